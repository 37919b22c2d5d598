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
from claimcore.ids import MedicalRecordNumber, PayerId
from claimcore.ledger import AccountRole, Ledger, Transfer, TransferCode
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
_CONTRA: Final = frozenset({AccountRole.CONTRACTUAL_ALLOWANCE, AccountRole.OTHER_ADJUSTMENTS})
_PATIENT_SIDE: Final = frozenset({AccountRole.AR_PATIENT, AccountRole.PATIENT_CREDIT,
                                  AccountRole.REFUNDS_PAYABLE})


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
class PayerActivity:
    """What one payer did on an encounter: paid, adjusted, and left to the patient.

    ``adjusted`` is the contractual and other adjustments (CO, OA, PI);
    ``patient_responsibility`` what the payer assigned to the patient (PR) and
    ``transferred`` what it passed on to the next payer (the patient's share under this
    payer, billed to the next), both net of reversals. X12 835 ``CLP04``, ``CAS``; FHIR
    ``ExplanationOfBenefit.total``.
    """

    payer: PayerId
    paid: Money
    adjusted: Money
    patient_responsibility: Money
    transferred: Money

    def __attrs_post_init__(self) -> None:
        instance(self.payer, PayerId, "$.payer")
        for name in ("paid", "adjusted", "patient_responsibility", "transferred"):
            instance(getattr(self, name), Money, f"$.{name}")


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


class _Item:
    """Running totals of one encounter, in cents."""

    __slots__ = ("balance", "charged_on", "charges", "credit", "first_on", "paid",
                 "payers", "written_off")

    def __init__(self, on: date) -> None:
        self.first_on = on
        self.charged_on: date | None = None
        self.charges = self.paid = self.written_off = self.balance = self.credit = 0
        self.payers: dict[PayerId, list[int]] = {}

    def payer(self, payer: PayerId) -> list[int]:
        return self.payers.setdefault(payer, [0, 0, 0, 0])


def _fold(item: _Item, t: Transfer, ledger: Ledger) -> None:
    cents = t.amount.cents
    d, c = t.debit, t.credit
    if t.code is TransferCode.CHARGE and (item.charged_on is None or t.on < item.charged_on):
        item.charged_on = t.on
    item.first_on = min(item.first_on, t.on)
    for account, sign in ((d, 1), (c, -1)):
        role = account.role
        if role is AccountRole.GROSS_REVENUE:
            item.charges -= sign * cents
        elif role is AccountRole.AR_PATIENT:
            item.balance += sign * cents
        elif role is AccountRole.PATIENT_CREDIT:
            item.credit -= sign * cents
        elif role is AccountRole.WRITE_OFF and (d.role is AccountRole.AR_PATIENT
                                                or c.role is AccountRole.AR_PATIENT):
            item.written_off += sign * cents
    if AccountRole.CASH in (d.role, c.role):
        other = c if d.role is AccountRole.CASH else d
        sign = 1 if d.role is AccountRole.CASH else -1
        if other.role is AccountRole.AR_PAYER and other.payer is not None:
            item.payer(other.payer)[0] += sign * cents
        elif other.role in _PATIENT_SIDE:
            item.paid += sign * cents
    for payer_side, other, sign in ((c, d, 1), (d, c, -1)):
        if payer_side.role is not AccountRole.AR_PAYER or payer_side.payer is None:
            continue
        if other.role in _CONTRA:
            item.payer(payer_side.payer)[1] += sign * cents
        elif other.role in (AccountRole.AR_PATIENT, AccountRole.AR_PAYER):
            root = t
            if t.reverses is not None:
                root = ledger.get(t.reverses) or t
            if root.code is TransferCode.PATIENT_RESPONSIBILITY:
                item.payer(payer_side.payer)[2] += sign * cents
            elif root.code is TransferCode.COB_TRANSFER and root.credit == payer_side:
                # Counted for the payer that passed the balance on, not the one taking it.
                item.payer(payer_side.payer)[3] += sign * cents


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
    items: dict[str | None, _Item] = {}
    for t in ledger.transfers(patient=mrn, until=as_of):
        item = items.get(t.encounter)
        if item is None:
            item = items[t.encounter] = _Item(t.on)
        _fold(item, t, ledger)

    def money(cents: int) -> Money:
        return Money.from_cents(cents, cur)

    rows: list[StatementItem] = []
    credit = 0
    for encounter, item in items.items():
        credit += item.credit
        if not item.balance and item.credit <= 0:
            continue
        rows.append(StatementItem(
            encounter=encounter, service_date=item.charged_on or item.first_on,
            charges=money(item.charges),
            payers=tuple(
                PayerActivity(payer=p, paid=money(v[0]), adjusted=money(v[1]),
                              patient_responsibility=money(v[2]), transferred=money(v[3]))
                for p, v in sorted(item.payers.items(), key=lambda kv: kv[0].value)
            ),
            patient_paid=money(item.paid), written_off=money(item.written_off),
            balance=money(item.balance), credit=money(item.credit),
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

