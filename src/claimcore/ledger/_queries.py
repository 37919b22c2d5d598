"""Queries derived from the transfers: the one fold by account role, aging, summaries.

:func:`role_balances` is the fold: it reads a selection of transfers through the role
groups of :mod:`claimcore.ledger._accounts` and gives a :class:`RoleBalances`. The
encounter summary, the patient account (``cycle``), statements, FHIR ``Account`` and the
patient's credit (``posting``) are all read from it, so the rules for which accounts count
as payer receivable, patient receivable, adjustments, write-offs, cash and credits live
here and nowhere else. The :class:`~claimcore.ledger.Ledger` methods
(:meth:`~claimcore.ledger.Ledger.balances_by_role`,
:meth:`~claimcore.ledger.Ledger.balances_by_encounter`,
:meth:`~claimcore.ledger.Ledger.aging`,
:meth:`~claimcore.ledger.Ledger.encounter_summary`) are the public way in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING

from claimcore._validate import a_date, instance
from claimcore.codes import CARC, AdjustmentGroup
from claimcore.ids import EncounterId, PayerId
from claimcore.ledger._accounts import (
    ADJUSTMENT_ROLES,
    PATIENT_ROLES,
    RECEIVABLE_ROLES,
    Account,
    AccountRole,
    WriteOffReason,
)
from claimcore.ledger._reports import (
    AdjustmentTotal,
    AgingReport,
    AgingRow,
    EncounterSummary,
    PayerActivity,
    PayerBalance,
    RoleBalances,
    WriteOffTotal,
)
from claimcore.ledger._transfers import Transfer, TransferCode
from claimcore.money import Money
from claimcore.periods import AgingBuckets

if TYPE_CHECKING:
    from claimcore.ledger._store import Ledger

__all__: list[str] = []  # reached through Ledger methods; nothing here is public on its own

_Key = tuple[AdjustmentGroup, CARC | None]


def _root(ledger: Ledger, transfer: Transfer) -> tuple[Transfer, int]:
    """The transfer a chain of reversals starts from, and the sign of ``transfer``
    relative to it (+1, or -1 for a reversal of it)."""
    sign = 1
    seen = 0
    while transfer.reverses is not None and seen < len(ledger):
        original = ledger.get(transfer.reverses)
        if original is None:  # pragma: no cover - post() refuses such reversals
            break
        transfer, sign, seen = original, -sign, seen + 1
    return transfer, sign


class _Fold:
    """Running totals, in cents, of one selection of transfers, by account role.

    Amounts on both sides of a transfer are signed debit-positive (``s``) and added to the
    total of the side's role; totals of credit-normal roles (revenue, credits) subtract.
    """

    __slots__ = (
        "activity",
        "adjusted",
        "adjustments",
        "cash",
        "charged_on",
        "charges",
        "first_on",
        "interest",
        "ledger",
        "patient_credit",
        "patient_owes",
        "patient_paid",
        "patient_written_off",
        "payer_credit",
        "payer_owes",
        "payer_paid",
        "payers_owe",
        "refunds_payable",
        "responsibility",
        "unapplied_cash",
        "write_offs",
        "written_off",
    )

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.charges = self.cash = self.payer_paid = self.patient_paid = 0
        self.adjusted = self.written_off = self.patient_written_off = 0
        self.payers_owe = self.patient_owes = self.patient_credit = self.refunds_payable = 0
        self.payer_credit = self.unapplied_cash = self.interest = 0
        self.adjustments: dict[_Key, int] = {}
        self.responsibility: dict[_Key, int] = {}
        self.write_offs: dict[WriteOffReason, int] = {}
        # Every payer whose receivable a transfer touched, and what it still owes.
        self.payer_owes: dict[PayerId, int] = {}
        # Per payer that acted: paid, adjusted, assigned to the patient, passed on.
        self.activity: dict[PayerId, list[int]] = {}
        self.first_on: date | None = None
        self.charged_on: date | None = None

    def _acted(self, payer: PayerId) -> list[int]:
        return self.activity.setdefault(payer, [0, 0, 0, 0])

    def add(self, t: Transfer) -> None:
        cents = t.amount.cents
        d, c = t.debit, t.credit
        if self.first_on is None or t.on < self.first_on:
            self.first_on = t.on
        if t.code is TransferCode.CHARGE and (self.charged_on is None or t.on < self.charged_on):
            self.charged_on = t.on
        root, root_sign = _root(self.ledger, t)
        for account, other, s in ((d, c, cents), (c, d, -cents)):
            self._side(t, root, account, other, s)
        if root.code is TransferCode.PATIENT_RESPONSIBILITY:
            key = (root.group or AdjustmentGroup.PATIENT_RESPONSIBILITY, root.reason)
            self.responsibility[key] = self.responsibility.get(key, 0) + root_sign * cents

    def _side(self, t: Transfer, root: Transfer, account: Account, other: Account,
              s: int) -> None:
        """Add ``s`` (debit positive) to the totals of ``account``'s role."""
        role = account.role
        if role is AccountRole.GROSS_REVENUE:
            self.charges -= s
        elif role in ADJUSTMENT_ROLES:
            self.adjusted += s
            # A reversal posted without group and reason takes its original's.
            group, reason = (t.group, t.reason) if t.group else (root.group, root.reason)
            group = group or (AdjustmentGroup.CONTRACTUAL_OBLIGATION
                              if role is AccountRole.CONTRACTUAL_ALLOWANCE
                              else AdjustmentGroup.OTHER_ADJUSTMENT)
            self.adjustments[group, reason] = self.adjustments.get((group, reason), 0) + s
        elif role is AccountRole.WRITE_OFF and account.reason is not None:
            self.written_off += s
            self.write_offs[account.reason] = self.write_offs.get(account.reason, 0) + s
            if other.role is AccountRole.AR_PATIENT:
                self.patient_written_off += s
        elif role is AccountRole.AR_PAYER and account.payer is not None:
            self.payers_owe += s
            self.payer_owes[account.payer] = self.payer_owes.get(account.payer, 0) + s
            self._payer_side(t, root, account, account.payer, other, -s)
        elif role is AccountRole.AR_PATIENT:
            self.patient_owes += s
        elif role is AccountRole.PATIENT_CREDIT:
            self.patient_credit -= s
        elif role is AccountRole.REFUNDS_PAYABLE:
            self.refunds_payable -= s
        elif role is AccountRole.PAYER_CREDIT:
            self.payer_credit -= s
            if other.role is AccountRole.AR_PAYER and other.payer is not None:
                # An overpayment moved off the payer's A/R is held, no longer paid.
                self.payer_paid += s
                self._acted(other.payer)[0] += s
        elif role is AccountRole.UNAPPLIED_CASH:
            self.unapplied_cash -= s
        elif role is AccountRole.INTEREST_INCOME:
            self.interest -= s
        elif role is AccountRole.CASH:
            self.cash += s
            if other.role is AccountRole.AR_PAYER and other.payer is not None:
                self.payer_paid += s
                self._acted(other.payer)[0] += s
            elif other.role in PATIENT_ROLES:
                self.patient_paid += s

    def _payer_side(self, t: Transfer, root: Transfer, account: Account, payer: PayerId,
                    other: Account, s: int) -> None:
        """What ``payer`` did by this transfer; ``s`` is positive when its A/R is credited."""
        if other.role in ADJUSTMENT_ROLES:
            self._acted(payer)[1] += s
        elif other.role in RECEIVABLE_ROLES:
            if root.code is TransferCode.PATIENT_RESPONSIBILITY:
                self._acted(payer)[2] += s
            elif root.code is TransferCode.COB_TRANSFER and root.credit == account:
                # Counted for the payer that passed the balance on, not the one taking it.
                self._acted(payer)[3] += s

    def result(self) -> RoleBalances:
        cur = self.ledger.currency

        def money(cents: int) -> Money:
            return Money.from_cents(cents, cur)

        def totals(table: dict[_Key, int]) -> tuple[AdjustmentTotal, ...]:
            return tuple(
                AdjustmentTotal(group=g, reason=r, amount=money(v))
                for (g, r), v in sorted(
                    table.items(), key=lambda kv: (kv[0][0].value, str(kv[0][1] or ""))
                )
            )

        return RoleBalances(
            currency=cur,
            charges=money(self.charges), cash=money(self.cash),
            payer_paid=money(self.payer_paid), patient_paid=money(self.patient_paid),
            adjusted=money(self.adjusted), written_off=money(self.written_off),
            patient_written_off=money(self.patient_written_off),
            payers_owe=money(self.payers_owe), patient_owes=money(self.patient_owes),
            patient_credit=money(self.patient_credit),
            refunds_payable=money(self.refunds_payable),
            adjustments=totals(self.adjustments),
            patient_responsibility=totals(self.responsibility),
            write_offs=tuple(
                WriteOffTotal(r, money(v))
                for r, v in sorted(self.write_offs.items(), key=lambda kv: kv[0].value)
            ),
            payer_balances=tuple(
                PayerBalance(p, money(v))
                for p, v in sorted(self.payer_owes.items(), key=lambda kv: kv[0].value)
            ),
            payers=tuple(
                PayerActivity(payer=p, paid=money(v[0]), adjusted=money(v[1]),
                              patient_responsibility=money(v[2]), transferred=money(v[3]))
                for p, v in sorted(self.activity.items(), key=lambda kv: kv[0].value)
            ),
            service_on=self.charged_on or self.first_on,
            payer_credit=money(self.payer_credit),
            unapplied_cash=money(self.unapplied_cash),
            interest=money(self.interest),
        )


def role_balances(ledger: Ledger, transfers: Iterable[Transfer]) -> RoleBalances:
    """``transfers`` (of ``ledger``) folded by account role."""
    fold = _Fold(ledger)
    for t in transfers:
        fold.add(t)
    return fold.result()


def role_balances_by_encounter(
    ledger: Ledger, transfers: Iterable[Transfer]
) -> Mapping[EncounterId | None, RoleBalances]:
    """``transfers`` folded by account role per encounter, in order of first transfer."""
    folds: dict[EncounterId | None, _Fold] = {}
    for t in transfers:
        fold = folds.get(t.encounter)
        if fold is None:
            fold = folds[t.encounter] = _Fold(ledger)
        fold.add(t)
    return MappingProxyType({enc: fold.result() for enc, fold in folds.items()})


def encounter_summary(ledger: Ledger, encounter: EncounterId) -> EncounterSummary:
    """Where the money of ``encounter`` stands, read from its role balances."""
    money = ledger.balances_by_role(encounter=encounter)
    return EncounterSummary(
        encounter=encounter.value,
        currency=money.currency,
        charges=money.charges,
        payer_paid=money.payer_paid,
        # Everything but payers' cash is the patient's side of the encounter here, so the
        # summary's cents add up even for cash posted against revenue or adjustments.
        # Payer cash held (payer credit, unapplied) and interest are not the patient's.
        patient_paid=money.cash - money.payer_paid - money.held - money.interest,
        adjustments=money.adjustments,
        patient_responsibility=money.patient_responsibility,
        write_offs=money.write_offs,
        payer_balances=money.payer_balances,
        patient_balance=money.patient_owes,
        patient_credit=money.credit,
    )


def aging(ledger: Ledger, as_of: date, buckets: AgingBuckets) -> AgingReport:
    """Accounts receivable aging as of ``as_of`` (see :meth:`Ledger.aging`)."""
    a_date(as_of, "$.as_of")
    instance(buckets, AgingBuckets, "$.buckets")
    first_charge: dict[EncounterId, date] = {}
    debits: dict[tuple[Account, EncounterId | None], list[tuple[date, int, int, bool]]] = {}
    credits: dict[tuple[Account, EncounterId | None], int] = {}
    receivables: set[Account] = set()
    for position, t in enumerate(ledger):
        if t.on > as_of:
            continue
        if (t.code is TransferCode.CHARGE and t.encounter is not None
                and (t.encounter not in first_charge or t.on < first_charge[t.encounter])):
            first_charge[t.encounter] = t.on
        if t.debit.is_receivable:
            receivables.add(t.debit)
            debits.setdefault((t.debit, t.encounter), []).append(
                (t.on, position, t.amount.cents, t.code is TransferCode.CHARGE)
            )
        if t.credit.is_receivable:
            receivables.add(t.credit)
            group = (t.credit, t.encounter)
            credits[group] = credits.get(group, 0) + t.amount.cents
    width = len(buckets.edges) + 1
    open_cents = {a: [0] * width for a in receivables}
    unapplied = dict.fromkeys(receivables, 0)
    for group in set(debits) | set(credits):
        account, encounter = group
        left = credits.get(group, 0)
        items = []
        for on, position, cents, is_charge in debits.get(group, []):
            dated = on
            if not is_charge and encounter is not None:
                dated = min(first_charge.get(encounter, on), on)
            items.append((dated, position, cents))
        items.sort()
        for dated, _, cents in items:
            used = min(left, cents)
            left -= used
            if cents > used:
                index = buckets.buckets.index(buckets.bucket_on(dated, as_of=as_of))
                open_cents[account][index] += cents - used
        unapplied[account] += left
    cur = ledger.currency
    rows = [
        AgingRow(
            account=account,
            amounts=tuple(Money.from_cents(c, cur) for c in open_cents[account]),
            unapplied=Money.from_cents(unapplied[account], cur),
        )
        for account in sorted(receivables, key=lambda a: a.key)
    ]
    return AgingReport(as_of=as_of, buckets=buckets, rows=tuple(rows))
