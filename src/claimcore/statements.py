"""Patient statements: what a patient owes, item by item, and by when.

:func:`statement` reads the ledger as of a date and gives a :class:`Statement`: the open
items by encounter (what was charged, what each payer paid and adjusted, what the patient
paid and what was written off), the patient's balance aged in buckets, any credit, the
amount due and its due date (``as_of`` plus the terms, 30 days by default). With a
:class:`PaymentPlan`, the amount due is the plan's instalment rather than the balance.

Statements carry the patient's record number (masked in ``repr``), never a name or
address: the caller adds those when printing. Dates of service are kept out of ``repr``.

>>> from datetime import date
>>> from decimal import Decimal
>>> plan = PaymentPlan(total=Money(Decimal("100.00")), instalments=3, start=date(2026, 5, 1))
>>> [str(i.amount) for i in plan.schedule]
['$33.34', '$33.33', '$33.33']
>>> [i.due_on.isoformat() for i in plan.schedule]
['2026-05-01', '2026-06-01', '2026-07-01']
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Final

import attrs
from dateutil.relativedelta import relativedelta

from claimcore._validate import (
    a_date,
    an_int,
    instance,
    members,
    optional_instance,
    optional_text,
    to_tuple,
)
from claimcore.errors import ValidationError
from claimcore.ids import MedicalRecordNumber
from claimcore.ledger import Ledger, PayerActivity
from claimcore.money import Money, allocate
from claimcore.patients import Patient
from claimcore.periods import DEFAULT_AGING, AgingBuckets

__all__ = [
    "DEFAULT_TERMS_DAYS",
    "Instalment",
    "PayerActivity",
    "PaymentPlan",
    "Statement",
    "StatementItem",
    "statement",
]

DEFAULT_TERMS_DAYS: Final = 30
"""Days from the statement date to the due date unless told otherwise."""


def _activities(value: Iterable[PayerActivity]) -> tuple[PayerActivity, ...]:
    return to_tuple(value)


def _items(value: Iterable[StatementItem]) -> tuple[StatementItem, ...]:
    return to_tuple(value)


def _monies(value: Iterable[Money]) -> tuple[Money, ...]:
    return to_tuple(value)


def _labels(value: Iterable[str]) -> tuple[str, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class Instalment:
    """One instalment of a payment plan: its number, due date and amount."""

    number: int
    due_on: date
    amount: Money

    def __attrs_post_init__(self) -> None:
        an_int(self.number, "$.number", low=1, high=120)
        a_date(self.due_on, "$.due_on")
        instance(self.amount, Money, "$.amount")


@attrs.frozen(kw_only=True)
class PaymentPlan:
    """An agreement that the patient pays ``total`` in ``instalments`` equal parts.

    The first is due on ``start``, the next every ``interval_months`` after (month ends
    clip: 31 January, then 28 or 29 February). Parts are equal to the cent, the first
    ones a cent more when the total does not divide (:func:`~claimcore.money.allocate`).
    FHIR: ``Account`` with a payment arrangement; no X12 counterpart.
    """

    total: Money
    instalments: int
    start: date
    interval_months: int = 1

    def __attrs_post_init__(self) -> None:
        instance(self.total, Money, "$.total")
        if not self.total.is_positive():
            raise ValidationError("must be positive", path="$.total", rule="positive")
        an_int(self.instalments, "$.instalments", low=1, high=120)
        a_date(self.start, "$.start")
        an_int(self.interval_months, "$.interval_months", low=1, high=12)

    @property
    def schedule(self) -> tuple[Instalment, ...]:
        """Every instalment with its due date and amount; the amounts sum to the total."""
        parts = allocate(self.total, [1] * self.instalments)
        return tuple(
            Instalment(number=n, due_on=self.start + relativedelta(
                months=(n - 1) * self.interval_months), amount=part)
            for n, part in enumerate(parts, 1)
        )

    def scheduled_through(self, on: date) -> Money:
        """What the plan asks to have been paid by ``on`` (every instalment due by then)."""
        a_date(on, "$.on")
        total = Money.zero(self.total.currency)
        for item in self.schedule:
            if item.due_on <= on:
                total = total + item.amount
        return total


@attrs.frozen(kw_only=True)
class StatementItem:
    """One open item of a statement: an encounter's money as of the statement date.

    ``balance`` is what the patient owes on it (negative: overpaid); ``credit`` is
    patient credit held for it (a prepayment). ``service_date`` (the first charge's date)
    is PHI and stays out of ``repr``.
    """

    encounter: str | None
    service_date: date = attrs.field(repr=False)
    charges: Money
    payers: tuple[PayerActivity, ...] = attrs.field(converter=_activities)
    patient_paid: Money
    written_off: Money
    balance: Money
    credit: Money

    def __attrs_post_init__(self) -> None:
        optional_text(self.encounter, "$.encounter", max_len=64)
        a_date(self.service_date, "$.service_date")
        for name in ("charges", "patient_paid", "written_off", "balance", "credit"):
            instance(getattr(self, name), Money, f"$.{name}")
        members(self.payers, PayerActivity, "$.payers")


@attrs.frozen(kw_only=True, repr=False)
class Statement:
    """A patient statement as of a date: open items, aging, credit, amount and date due.

    ``balance`` is the sum of the items' positive balances; ``credit`` what the patient
    has on credit (credit account and overpaid items); ``aging`` the positive balances
    by age of service in ``aging_labels`` buckets; ``amount_due`` the balance less the
    credit, or with a ``plan`` the instalment due (``instalment``) by ``due_on``.
    ``repr`` shows the masked record number and totals only.
    """

    patient: MedicalRecordNumber
    as_of: date
    due_on: date
    items: tuple[StatementItem, ...] = attrs.field(converter=_items)
    aging_labels: tuple[str, ...] = attrs.field(converter=_labels)
    aging: tuple[Money, ...] = attrs.field(converter=_monies)
    balance: Money
    credit: Money
    amount_due: Money
    plan: PaymentPlan | None = None
    instalment: Money | None = None

    def __attrs_post_init__(self) -> None:
        instance(self.patient, MedicalRecordNumber, "$.patient")
        a_date(self.as_of, "$.as_of")
        a_date(self.due_on, "$.due_on")
        if self.due_on < self.as_of:
            raise ValidationError("must not be before $.as_of", path="$.due_on",
                                  rule="due-before-statement")
        members(self.items, StatementItem, "$.items")
        members(self.aging_labels, str, "$.aging_labels")
        members(self.aging, Money, "$.aging")
        if len(self.aging) != len(self.aging_labels):
            raise ValidationError("one amount per aging bucket", path="$.aging",
                                  rule="bucket-count")
        for name in ("balance", "credit", "amount_due"):
            if instance(getattr(self, name), Money, f"$.{name}").is_negative():
                raise ValidationError("must not be negative", path=f"$.{name}",
                                      rule="negative")
        optional_instance(self.plan, PaymentPlan, "$.plan")
        optional_instance(self.instalment, Money, "$.instalment")
        if (self.plan is None) != (self.instalment is None):
            raise ValidationError("an instalment is given with a plan, and only then",
                                  path="$.instalment", rule="plan-instalment")

    @property
    def owed(self) -> Money:
        """The balance less the credit, never below zero."""
        rest = self.balance - self.credit
        return rest if rest.is_positive() else Money.zero(rest.currency)

    def __repr__(self) -> str:
        return (
            f"Statement(patient={self.patient.masked}, as_of={self.as_of.isoformat()}, "
            f"items={len(self.items)}, balance={self.balance!r}, credit={self.credit!r}, "
            f"amount_due={self.amount_due!r}, due_on={self.due_on.isoformat()})"
        )


def statement(
    ledger: Ledger,
    patient: Patient | MedicalRecordNumber,
    *,
    as_of: date,
    terms_days: int = DEFAULT_TERMS_DAYS,
    plan: PaymentPlan | None = None,
    buckets: AgingBuckets = DEFAULT_AGING,
) -> Statement:
    """The patient's statement as of ``as_of`` (transfers dated after it do not count).

    Items are the patient's encounters with a balance or a credit, oldest service first.
    The balance is aged by date of service; the credit (the patient credit account and
    overpaid items) is subtracted from what is owed. Without a plan the amount due is
    what is owed; with one it is what the plan asks by the due date less what was
    already paid toward it (``plan.total`` less what is still owed), at most what is owed.
    """
    instance(ledger, Ledger, "$.ledger")
    mrn = patient.mrn if isinstance(patient, Patient) else instance(
        patient, MedicalRecordNumber, "$.patient")
    a_date(as_of, "$.as_of")
    an_int(terms_days, "$.terms_days", low=0, high=365)
    optional_instance(plan, PaymentPlan, "$.plan")
    instance(buckets, AgingBuckets, "$.buckets")
    cur = ledger.currency

    def money(cents: int) -> Money:
        return Money.from_cents(cents, cur)

    rows: list[StatementItem] = []
    credit = 0
    for encounter, item in ledger.balances_by_encounter(patient=mrn, until=as_of).items():
        # Only the credit account counts here; refunds payable are already on their way.
        credit += item.patient_credit.cents
        if item.patient_owes.is_zero() and not item.patient_credit.is_positive():
            continue
        rows.append(StatementItem(
            encounter=None if encounter is None else encounter.value,
            service_date=item.service_on or as_of, charges=item.charges,
            payers=item.payers, patient_paid=item.patient_paid,
            written_off=item.patient_written_off, balance=item.patient_owes,
            credit=item.patient_credit,
        ))
    rows.sort(key=lambda r: (r.service_date, r.encounter or ""))
    aging = [0] * (len(buckets.edges) + 1)
    balance = 0
    for row in rows:
        cents = row.balance.cents
        if cents > 0:
            balance += cents
            index = buckets.buckets.index(buckets.bucket_on(row.service_date, as_of=as_of))
            aging[index] += cents
        else:
            credit -= cents
    owed = max(balance - credit, 0)
    due_on = as_of + timedelta(days=terms_days)
    instalment: Money | None = None
    amount_due = money(owed)
    if plan is not None:
        paid_toward = max(plan.total.cents - owed, 0)
        asked = plan.scheduled_through(due_on).cents - paid_toward
        instalment = money(max(0, min(owed, asked)))
        amount_due = instalment
    return Statement(
        patient=mrn, as_of=as_of, due_on=due_on, items=rows,
        aging_labels=tuple(b.label for b in buckets.buckets),
        aging=tuple(money(c) for c in aging), balance=money(balance),
        credit=money(max(credit, 0)), amount_due=amount_due, plan=plan,
        instalment=instalment,
    )

