"""Accounts receivable aging by any grouping, from any date basis, with any bucket bounds."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from claimcore._validate import a_date, instance
from claimcore.claims import Claim, ClaimStatus
from claimcore.coverage import PayerKind
from claimcore.ids import ClaimId, EncounterId, MedicalRecordNumber, PayerId
from claimcore.ledger import (
    Account,
    AccountRole,
    AgingBasis,
    AgingGroup,
    GroupedAgingReport,
    GroupedAgingRow,
    Ledger,
    Transfer,
    TransferCode,
)
from claimcore.money import Money
from claimcore.periods import DEFAULT_AGING, AgingBuckets, days_between

__all__ = ["aging_by", "receivable_balance"]

_Group = tuple[Account, MedicalRecordNumber | None, EncounterId | None]


class ClaimIndex:
    """What the claims tell about open amounts: dates of service, first bill dates, the
    guarantor of each patient and the kind of each payer."""

    __slots__ = ("billed", "guarantor", "kind", "lines", "served")

    def __init__(self, claims: Iterable[Claim]) -> None:
        self.lines: dict[tuple[str, int], date] = {}
        self.served: dict[str, date] = {}
        self.billed: dict[str, date] = {}
        self.guarantor: dict[MedicalRecordNumber, object] = {}
        self.kind: dict[PayerId, PayerKind] = {}
        for claim in claims:
            instance(claim, Claim, "$.claims[]")
            key = claim.id.normalized()
            for line in claim.lines:
                self.lines[key, line.line_number] = line.from_date
            start = claim.service_period.start
            self.served[key] = min(self.served.get(key, start), start)
            for event in claim.history:
                if event.to_status is ClaimStatus.SUBMITTED:
                    on = event.at.date()
                    self.billed[key] = min(self.billed.get(key, on), on)
                    break
            patient = claim.patient
            if patient.guarantor is not None:
                self.guarantor.setdefault(patient.mrn, patient.guarantor)
            for coverage in (claim.coverage, *(o.coverage for o in claim.other_payers)):
                self.kind.setdefault(coverage.payer.payer_id, coverage.payer.kind)

    def service_date(self, t: Transfer) -> date | None:
        """The date of service of what ``t`` charged or moved, when the claims say it."""
        if t.claim is None:
            return None
        key = t.claim.normalized()
        if t.line is not None and (key, t.line) in self.lines:
            return self.lines[key, t.line]
        return self.served.get(key)

    def first_billed(self, claim: ClaimId | None) -> date | None:
        return None if claim is None else self.billed.get(claim.normalized())


def _key_of(group: AgingGroup, index: ClaimIndex) -> Callable[[Account, Transfer], object]:
    if group is AgingGroup.ACCOUNT:
        return lambda account, t: account
    if group is AgingGroup.PATIENT:
        return lambda account, t: t.patient
    if group is AgingGroup.GUARANTOR:
        return lambda account, t: (None if t.patient is None
                                   else index.guarantor.get(t.patient, t.patient))
    if group is AgingGroup.CLAIM:
        return lambda account, t: t.claim
    if group is AgingGroup.PAYER:
        return lambda account, t: account.payer

    def financial_class(account: Account, t: Transfer) -> object:
        if account.role is AccountRole.AR_PATIENT:
            return PayerKind.SELF_PAY.value
        kind = index.kind.get(account.payer) if account.payer is not None else None
        return None if kind is None else kind.value

    return financial_class


class _Item:
    __slots__ = ("cents", "claim", "dated", "key", "position")

    def __init__(self, dated: date, position: int, cents: int, claim: ClaimId | None,
                 key: object) -> None:
        self.dated, self.position, self.cents, self.claim, self.key = (
            dated, position, cents, claim, key)


def aging_by(
    ledger: Ledger,
    claims: Iterable[Claim] = (),
    *,
    as_of: date,
    by: AgingGroup = AgingGroup.ACCOUNT,
    basis: AgingBasis = AgingBasis.SERVICE_DATE,
    buckets: AgingBuckets = DEFAULT_AGING,
) -> GroupedAgingReport:
    """Accounts receivable aging as of ``as_of``, one row per ``by`` group.

    Every open receivable debit (a charge, patient responsibility, a balance moved to the
    next payer) is aged from its date by ``basis``: the date of service (the claim line's
    from-date from ``claims``, else the encounter's first charge, else the transfer's
    date) or the claim's first bill date (its first submission; an amount not billed yet
    is 0 days old). Credits (payments, adjustments) are taken from the oldest open debits
    of the same account, patient and encounter, those of the same claim first; credit no
    debit absorbs is the row's ``unapplied``. ``buckets`` gives the bounds
    (:data:`~claimcore.periods.DEFAULT_AGING`: 0-30, ..., over 120).

    The rows sum to the receivable balance as of ``as_of``:
    ``report.total == ar_payer + ar_patient`` balances, to the cent.
    """
    instance(ledger, Ledger, "$.ledger")
    a_date(as_of, "$.as_of")
    instance(by, AgingGroup, "$.by")
    instance(basis, AgingBasis, "$.basis")
    instance(buckets, AgingBuckets, "$.buckets")
    index = ClaimIndex(claims)
    key_of = _key_of(by, index)
    first_charge: dict[EncounterId, date] = {}
    debits: dict[_Group, list[_Item]] = {}
    credits: dict[_Group, list[tuple[int, ClaimId | None, object]]] = {}
    for position, t in enumerate(ledger):
        if t.on > as_of:
            continue
        if (t.code is TransferCode.CHARGE and t.encounter is not None
                and t.on < first_charge.get(t.encounter, date.max)):
            first_charge[t.encounter] = t.on
        if t.debit.is_receivable:
            served = index.service_date(t) or t.on
            dated = served
            if basis is AgingBasis.FIRST_BILL_DATE:
                billed = index.first_billed(t.claim)
                dated = billed if billed is not None and billed <= as_of else as_of
            debits.setdefault((t.debit, t.patient, t.encounter), []).append(
                _Item(min(dated, as_of), position, t.amount.cents, t.claim,
                      key_of(t.debit, t)))
        if t.credit.is_receivable:
            credits.setdefault((t.credit, t.patient, t.encounter), []).append(
                (t.amount.cents, t.claim, key_of(t.credit, t)))
    width = len(buckets.edges) + 1
    rows: dict[object, list[int]] = {}
    unapplied: dict[object, int] = {}
    bounds = buckets.buckets
    for group in (*debits, *(g for g in credits if g not in debits)):
        _, _, encounter = group
        items = debits.get(group, [])
        if basis is AgingBasis.SERVICE_DATE:
            for item in items:
                if item.claim is None and encounter is not None:
                    item.dated = min(first_charge.get(encounter, item.dated), item.dated)
        items.sort(key=lambda i: (i.dated, i.position))
        left_over = 0
        last_key: object = None
        for cents, claim, key in credits.get(group, []):
            last_key = key
            for item in (i for i in items if claim is not None and i.claim == claim):
                used = min(cents, item.cents)
                item.cents -= used
                cents -= used
                if not cents:
                    break
            left_over += cents
        for item in items:
            used = min(left_over, item.cents)
            item.cents -= used
            left_over -= used
        for item in items:
            row = rows.setdefault(item.key, [0] * width)
            if item.cents:
                age = days_between(item.dated, as_of)
                row[bounds.index(buckets.bucket(age))] += item.cents
        if left_over:
            rows.setdefault(last_key, [0] * width)
            unapplied[last_key] = unapplied.get(last_key, 0) + left_over
    cur = ledger.currency
    return GroupedAgingReport(
        as_of=as_of, group=by, basis=basis, buckets=buckets, currency=cur,
        rows=tuple(
            GroupedAgingRow(key=key, amounts=tuple(Money.from_cents(c, cur) for c in cents),
                            unapplied=Money.from_cents(unapplied.get(key, 0), cur))
            for key, cents in rows.items()
        ),
    )


def receivable_balance(ledger: Ledger, *, as_of: date) -> Money:
    """What payers and patients owe as of ``as_of``: the A/R payer and A/R patient accounts."""
    cents = 0
    for t in ledger:
        if t.on > as_of:
            continue
        if t.debit.is_receivable:
            cents += t.amount.cents
        if t.credit.is_receivable:
            cents -= t.amount.cents
    return Money.from_cents(cents, ledger.currency)
