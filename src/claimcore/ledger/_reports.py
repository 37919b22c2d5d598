"""The values the ledger's queries return: trial balance, aging, summaries, role balances."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date
from typing import Final

import attrs

from claimcore._validate import (
    a_date,
    instance,
    members,
    optional_date,
    optional_instance,
    text,
    to_tuple,
)
from claimcore.codes import CARC, AdjustmentGroup
from claimcore.errors import ValidationError
from claimcore.ids import PayerId
from claimcore.ledger._accounts import Account, WriteOffReason
from claimcore.money import USD, Money
from claimcore.periods import AgingBuckets

__all__ = [
    "AdjustmentTotal",
    "AgingBasis",
    "AgingGroup",
    "AgingReport",
    "AgingRow",
    "EncounterSummary",
    "GroupedAgingReport",
    "GroupedAgingRow",
    "PayerActivity",
    "PayerBalance",
    "RoleBalances",
    "Totals",
    "WriteOffTotal",
]


def _monies(value: Iterable[Money]) -> tuple[Money, ...]:
    return to_tuple(value)


def _aging_rows(value: Iterable[AgingRow]) -> tuple[AgingRow, ...]:
    return to_tuple(value)


def _adjustment_totals(value: Iterable[AdjustmentTotal]) -> tuple[AdjustmentTotal, ...]:
    return to_tuple(value)


def _write_off_totals(value: Iterable[WriteOffTotal]) -> tuple[WriteOffTotal, ...]:
    return to_tuple(value)


def _payer_balances(value: Iterable[PayerBalance]) -> tuple[PayerBalance, ...]:
    return to_tuple(value)


def _activities(value: Iterable[PayerActivity]) -> tuple[PayerActivity, ...]:
    return to_tuple(value)


@attrs.frozen
class Totals:
    """The trial balance: the debit balances and the credit balances of every account.

    In double entry the two are always equal.
    """

    debits: Money
    credits: Money

    def __attrs_post_init__(self) -> None:
        instance(self.debits, Money, "$.debits")
        instance(self.credits, Money, "$.credits")

    @property
    def balanced(self) -> bool:
        """Whether debits equal credits (always, unless the ledger's own code is wrong)."""
        return self.debits == self.credits


def _non_negative(value: object, path: str) -> Money:
    money = instance(value, Money, path)
    if money.amount < 0:
        raise ValidationError("must not be negative", path=path, rule="non-negative")
    return money


def _check_buckets(amounts: tuple[Money, ...], unapplied: Money) -> None:
    """An aging row's amounts: Money, none negative, and its unapplied credit likewise."""
    members(amounts, Money, "$.amounts")
    for i, amount in enumerate(amounts):
        _non_negative(amount, f"$.amounts[{i}]")
    _non_negative(unapplied, "$.unapplied")


def _bucket_total(amounts: tuple[Money, ...], unapplied: Money) -> Money:
    """Open amounts less unapplied credit: an aging row's balance."""
    total = Money.zero(unapplied.currency)
    for amount in amounts:
        total = total + amount
    return total - unapplied


@attrs.frozen(kw_only=True)
class AgingRow:
    """One receivable account's open amounts by aging bucket, as of the report's date.

    ``amounts`` holds one amount per bucket (oldest last); ``unapplied`` is credit that
    no open debit absorbed (an overpayment): ``total`` is the account's balance.
    """

    account: Account
    amounts: tuple[Money, ...] = attrs.field(converter=_monies)
    unapplied: Money

    def __attrs_post_init__(self) -> None:
        instance(self.account, Account, "$.account")
        if not self.account.is_receivable:
            raise ValidationError(
                "aging is for receivable accounts", path="$.account", rule="receivable"
            )
        _check_buckets(self.amounts, self.unapplied)

    @property
    def total(self) -> Money:
        """Open amounts less unapplied credit: the account's balance."""
        return _bucket_total(self.amounts, self.unapplied)


@attrs.frozen(kw_only=True)
class AgingReport:
    """Accounts receivable aging as of a date: one row per receivable account.

    Each open debit is aged from the date of its charge (see :meth:`Ledger.aging`).
    """

    as_of: date
    buckets: AgingBuckets
    rows: tuple[AgingRow, ...] = attrs.field(converter=_aging_rows)

    def __attrs_post_init__(self) -> None:
        a_date(self.as_of, "$.as_of")
        instance(self.buckets, AgingBuckets, "$.buckets")
        members(self.rows, AgingRow, "$.rows")
        width = len(self.buckets.edges) + 1
        for i, row in enumerate(self.rows):
            if len(row.amounts) != width:
                raise ValidationError(
                    f"must have one amount per bucket ({width}), got {len(row.amounts)}",
                    path=f"$.rows[{i}].amounts", rule="bucket-count",
                )

    @property
    def labels(self) -> tuple[str, ...]:
        """The bucket labels, youngest first: ``("0-30", "31-60", ..., "over 120")``."""
        return tuple(b.label for b in self.buckets.buckets)

    def row(self, account: Account) -> AgingRow | None:
        """The row of ``account``, or ``None`` when it has no row."""
        for row in self.rows:
            if row.account == account:
                return row
        return None

    def totals(self, currency: str = USD) -> tuple[Money, ...]:
        """The open amount in each bucket over all rows."""
        sums = [Money.zero(currency)] * len(self.labels)
        for row in self.rows:
            sums = [s + a for s, a in zip(sums, row.amounts, strict=True)]
        return tuple(sums)


class AgingGroup(enum.StrEnum):
    """What an aging report has one row for."""

    ACCOUNT = "account"
    """Each receivable account (A/R of each payer, A/R patient): what ``aging()`` gives."""
    PATIENT = "patient"
    """Each patient (by medical record number, shown masked)."""
    GUARANTOR = "guarantor"
    """Each guarantor (the patient when they answer for their own bills)."""
    CLAIM = "claim"
    """Each claim (open amounts with no claim form a row of their own)."""
    PAYER = "payer"
    """Each payer; what patients owe is one row (``None``)."""
    FINANCIAL_CLASS = "financial_class"
    """Each kind of payer (Medicare, Medicaid, commercial, ...); patients' balances are
    ``self_pay``."""


class AgingBasis(enum.StrEnum):
    """The date an open amount is aged from."""

    SERVICE_DATE = "service_date"
    """The date of service: the claim line's from-date, else the encounter's first charge."""
    FIRST_BILL_DATE = "first_bill_date"
    """The day the claim was first submitted (its first ``submitted`` event), else the
    date of service."""


def _grouped_rows(value: Iterable[GroupedAgingRow]) -> tuple[GroupedAgingRow, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class GroupedAgingRow:
    """One group's open amounts by aging bucket (oldest last), and credit no open item took.

    ``key`` is what the row is for: an :class:`Account`, a medical record number, a
    guarantor's label, a :class:`~claimcore.ids.ClaimId`, a :class:`PayerId`, a payer kind
    value, or ``None`` (open amounts with no such key). Its repr never shows PHI: medical
    record numbers are masked. ``total`` is the group's balance.
    """

    key: object = attrs.field(repr=False)
    amounts: tuple[Money, ...] = attrs.field(converter=_monies)
    unapplied: Money

    def __attrs_post_init__(self) -> None:
        _check_buckets(self.amounts, self.unapplied)

    @property
    def total(self) -> Money:
        """Open amounts less unapplied credit: the group's balance."""
        return _bucket_total(self.amounts, self.unapplied)


@attrs.frozen(kw_only=True)
class GroupedAgingReport:
    """Accounts receivable aging as of a date, one row per group (see
    :func:`claimcore.metrics.aging_by`). Reports of disjoint partitions of a ledger
    (by patient or encounter) :meth:`combine` into the report of the whole."""

    as_of: date
    group: AgingGroup
    basis: AgingBasis
    buckets: AgingBuckets
    rows: tuple[GroupedAgingRow, ...] = attrs.field(converter=_grouped_rows)
    currency: str = USD

    def __attrs_post_init__(self) -> None:
        a_date(self.as_of, "$.as_of")
        instance(self.group, AgingGroup, "$.group")
        instance(self.basis, AgingBasis, "$.basis")
        instance(self.buckets, AgingBuckets, "$.buckets")
        members(self.rows, GroupedAgingRow, "$.rows")
        width = len(self.buckets.edges) + 1
        for i, row in enumerate(self.rows):
            if len(row.amounts) != width:
                raise ValidationError(
                    f"must have one amount per bucket ({width}), got {len(row.amounts)}",
                    path=f"$.rows[{i}].amounts", rule="bucket-count",
                )

    @property
    def labels(self) -> tuple[str, ...]:
        """The bucket labels, youngest first."""
        return tuple(b.label for b in self.buckets.buckets)

    def totals(self) -> tuple[Money, ...]:
        """The open amount in each bucket over all rows."""
        sums = [Money.zero(self.currency)] * len(self.labels)
        for row in self.rows:
            sums = [s + a for s, a in zip(sums, row.amounts, strict=True)]
        return tuple(sums)

    @property
    def total(self) -> Money:
        """The balance over all rows (open amounts less unapplied credit)."""
        total = Money.zero(self.currency)
        for row in self.rows:
            total = total + row.total
        return total

    def row(self, key: object) -> GroupedAgingRow | None:
        """The row for ``key``, or ``None``."""
        return next((r for r in self.rows if r.key == key), None)

    def combine(self, other: GroupedAgingReport) -> GroupedAgingReport:
        """This report and ``other`` (of a disjoint part of the ledger) as one: the rows
        of equal keys add up. Associative and commutative (up to row order)."""
        instance(other, GroupedAgingReport, "$.other")
        if (other.as_of, other.group, other.basis, other.buckets, other.currency) != (
                self.as_of, self.group, self.basis, self.buckets, self.currency):
            raise ValidationError(
                "only reports of the same date, grouping, basis, buckets and currency "
                "combine", path="$.other", rule="incompatible")
        merged: dict[object, GroupedAgingRow] = {}
        order: list[object] = []
        for row in (*self.rows, *other.rows):
            found = merged.get(row.key)
            if found is None:
                merged[row.key] = row
                order.append(row.key)
                continue
            merged[row.key] = GroupedAgingRow(
                key=row.key,
                amounts=tuple(a + b for a, b in zip(found.amounts, row.amounts, strict=True)),
                unapplied=found.unapplied + row.unapplied,
            )
        return attrs.evolve(self, rows=tuple(merged[k] for k in order))


@attrs.frozen(kw_only=True)
class AdjustmentTotal:
    """The net amount adjusted under one group code and reason (``CO-45``, ``PR-1``).

    ``reason`` is ``None`` for adjustments posted without a CARC.
    """

    group: AdjustmentGroup
    reason: CARC | None
    amount: Money

    def __attrs_post_init__(self) -> None:
        instance(self.group, AdjustmentGroup, "$.group")
        optional_instance(self.reason, CARC, "$.reason")
        instance(self.amount, Money, "$.amount")


@attrs.frozen
class WriteOffTotal:
    """The net amount written off for one reason."""

    reason: WriteOffReason
    amount: Money

    def __attrs_post_init__(self) -> None:
        instance(self.reason, WriteOffReason, "$.reason")
        instance(self.amount, Money, "$.amount")


@attrs.frozen
class PayerBalance:
    """What one payer still owes (negative: the payer overpaid)."""

    payer: PayerId
    amount: Money

    def __attrs_post_init__(self) -> None:
        instance(self.payer, PayerId, "$.payer")
        instance(self.amount, Money, "$.amount")


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


def _money_total(amounts: Iterable[Money], currency: str) -> Money:
    total = Money.zero(currency)
    for amount in amounts:
        total = total + amount
    return total


@attrs.frozen(kw_only=True)
class EncounterSummary:
    """Where one encounter's money stands: charged, paid, adjusted, written off, owed.

    ``charges`` is the net gross revenue; ``payer_paid`` the net cash from payers and
    ``patient_paid`` the net cash from (less refunds to) the patient; ``adjustments``
    the contra-revenue adjustments by group and reason (CO, OA, PI);
    ``patient_responsibility`` what payers assigned to the patient by reason (PR-1
    deductible, PR-2 coinsurance, PR-3 copay); ``write_offs`` by reason;
    ``payer_balances`` and ``patient_balance`` what each party still owes;
    ``patient_credit`` what is owed back to the patient (credits and refunds payable).

    Every cent is accounted for: ``charges == payer_paid + patient_paid + adjusted +
    written_off + outstanding``.
    """

    encounter: str
    currency: str = USD
    charges: Money
    payer_paid: Money
    patient_paid: Money
    adjustments: tuple[AdjustmentTotal, ...] = attrs.field(converter=_adjustment_totals)
    patient_responsibility: tuple[AdjustmentTotal, ...] = attrs.field(
        converter=_adjustment_totals
    )
    write_offs: tuple[WriteOffTotal, ...] = attrs.field(converter=_write_off_totals)
    payer_balances: tuple[PayerBalance, ...] = attrs.field(converter=_payer_balances)
    patient_balance: Money
    patient_credit: Money

    def __attrs_post_init__(self) -> None:
        text(self.encounter, "$.encounter", max_len=64)
        for name in ("charges", "payer_paid", "patient_paid", "patient_balance",
                     "patient_credit"):
            money = instance(getattr(self, name), Money, f"$.{name}")
            if money.currency != self.currency:
                raise ValidationError(
                    f"must be in {self.currency}", path=f"$.{name}", rule="currency"
                )
        members(self.adjustments, AdjustmentTotal, "$.adjustments")
        members(self.patient_responsibility, AdjustmentTotal, "$.patient_responsibility")
        members(self.write_offs, WriteOffTotal, "$.write_offs")
        members(self.payer_balances, PayerBalance, "$.payer_balances")

    @property
    def adjusted(self) -> Money:
        """All contra-revenue adjustments (CO, OA, PI) together."""
        return _money_total((a.amount for a in self.adjustments), self.currency)

    @property
    def written_off(self) -> Money:
        """All write-offs together."""
        return _money_total((w.amount for w in self.write_offs), self.currency)

    @property
    def payers_owe(self) -> Money:
        """What all payers together still owe."""
        return _money_total((p.amount for p in self.payer_balances), self.currency)

    @property
    def outstanding(self) -> Money:
        """The open balance: what payers and the patient owe, less what is owed back."""
        return self.payers_owe + self.patient_balance - self.patient_credit


_ROLE_MONEY: Final = (
    "charges", "cash", "payer_paid", "patient_paid", "adjusted", "written_off",
    "patient_written_off", "payers_owe", "patient_owes", "patient_credit", "refunds_payable",
    "payer_credit", "unapplied_cash", "interest",
)


def _zero(self: RoleBalances) -> Money:
    return Money.zero(self.currency)


@attrs.frozen(kw_only=True)
class RoleBalances:
    """The transfers of a patient, encounter, claim or payer, folded by account role.

    What :meth:`Ledger.balances_by_role` returns, and what the patient account, the
    statement, FHIR ``Account`` and patient credit all read. Each amount is on its normal
    side: ``charges`` the net gross revenue; ``cash`` the net cash, of which
    ``payer_paid`` came from payers (cash against A/R payer) and ``patient_paid`` from
    the patient (cash against A/R patient, patient credit or refunds payable);
    ``adjusted`` the contractual and other adjustments (CO, OA, PI) and ``adjustments``
    the same by group and reason; ``patient_responsibility`` what payers assigned to the
    patient by reason (PR-1, PR-2, PR-3); ``written_off`` every write-off, by reason in
    ``write_offs``, of which ``patient_written_off`` was written off the patient's
    balance; ``payers_owe`` and ``patient_owes`` the receivables, with ``payer_balances``
    per payer; ``patient_credit`` and ``refunds_payable`` what is owed back to the patient;
    ``payers`` what each payer did (paid, adjusted, assigned, passed on); ``service_on``
    the date of service (the first charge's date, else the first transfer's; ``None``
    when nothing was selected). Cash a payer sent that is held, not applied, is in
    ``payer_credit`` (duplicate payments and overpayments, owed back to the payer) and
    ``unapplied_cash`` (payments naming no known claim), both liabilities and neither in
    ``payer_paid``; ``interest`` is the interest payers paid (``PLB`` ``L6``), revenue
    apart from charges.

    Every cent is accounted for: ``charges == payer_paid + patient_paid + adjusted +
    written_off + outstanding``, and ``charges + interest == cash - held + adjusted +
    written_off + outstanding``.
    """

    currency: str = USD
    charges: Money
    cash: Money
    payer_paid: Money
    patient_paid: Money
    adjusted: Money
    written_off: Money
    patient_written_off: Money
    payers_owe: Money
    patient_owes: Money
    patient_credit: Money
    refunds_payable: Money
    adjustments: tuple[AdjustmentTotal, ...] = attrs.field(converter=_adjustment_totals)
    patient_responsibility: tuple[AdjustmentTotal, ...] = attrs.field(
        converter=_adjustment_totals
    )
    write_offs: tuple[WriteOffTotal, ...] = attrs.field(converter=_write_off_totals)
    payer_balances: tuple[PayerBalance, ...] = attrs.field(converter=_payer_balances)
    payers: tuple[PayerActivity, ...] = attrs.field(converter=_activities)
    service_on: date | None = None
    payer_credit: Money = attrs.field(default=attrs.Factory(_zero, takes_self=True))
    unapplied_cash: Money = attrs.field(default=attrs.Factory(_zero, takes_self=True))
    interest: Money = attrs.field(default=attrs.Factory(_zero, takes_self=True))

    def __attrs_post_init__(self) -> None:
        Money.zero(self.currency)  # checks the currency code
        for name in _ROLE_MONEY:
            money = instance(getattr(self, name), Money, f"$.{name}")
            if money.currency != self.currency:
                raise ValidationError(
                    f"must be in {self.currency}", path=f"$.{name}", rule="currency"
                )
        members(self.adjustments, AdjustmentTotal, "$.adjustments")
        members(self.patient_responsibility, AdjustmentTotal, "$.patient_responsibility")
        members(self.write_offs, WriteOffTotal, "$.write_offs")
        members(self.payer_balances, PayerBalance, "$.payer_balances")
        members(self.payers, PayerActivity, "$.payers")
        optional_date(self.service_on, "$.service_on")

    @property
    def credit(self) -> Money:
        """What is owed back to the patient: patient credit and refunds payable."""
        return self.patient_credit + self.refunds_payable

    @property
    def held(self) -> Money:
        """Payer cash held, not applied: payer credit and unapplied cash."""
        return self.payer_credit + self.unapplied_cash

    @property
    def outstanding(self) -> Money:
        """The open balance: what payers and the patient owe, less what is owed back."""
        return self.payers_owe + self.patient_owes - self.credit
