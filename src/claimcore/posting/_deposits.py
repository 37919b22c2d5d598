"""Bank deposits and their reconciliation against the remittances posted (835 cash)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import attrs

from claimcore._validate import a_date, instance, members, optional_instance, text, to_tuple
from claimcore.ids import PayerId
from claimcore.ledger import Account, Ledger
from claimcore.money import Money

__all__ = [
    "Deposit",
    "DepositMatch",
    "DepositReconciliation",
    "RemittanceCash",
    "reconcile_deposits",
]


@attrs.frozen(kw_only=True)
class Deposit:
    """One line of the bank statement: money that arrived in the provider's account.

    ``reference`` is what the bank shows to identify it; for an EFT it carries the
    payer's trace number (the 835 ``TRN02``, in the ACH addenda's ``TRN`` segment), which
    is how it is matched to its remittance. ``payer`` is optional (a lockbox line may
    name it).
    """

    on: date
    amount: Money
    reference: str
    payer: PayerId | None = None

    def __attrs_post_init__(self) -> None:
        a_date(self.on, "$.on")
        instance(self.amount, Money, "$.amount")
        text(self.reference, "$.reference", max_len=200)
        optional_instance(self.payer, PayerId, "$.payer")


@attrs.frozen(kw_only=True)
class RemittanceCash:
    """The cash one posted remittance (one payer, one trace) put in the ledger.

    ``amount`` is the net of every transfer of cash that names the payer and trace:
    claim payments, duplicates and unapplied cash, less what provider-level adjustments
    (``PLB``) withheld, plus interest: what the payer sent (``BPR02``). ``on`` is the
    first posting date.
    """

    payer: PayerId
    trace: str
    on: date
    amount: Money

    def __attrs_post_init__(self) -> None:
        instance(self.payer, PayerId, "$.payer")
        text(self.trace, "$.trace", max_len=80)
        a_date(self.on, "$.on")
        instance(self.amount, Money, "$.amount")


@attrs.frozen(kw_only=True)
class DepositMatch:
    """A deposit and the remittance it pays in; ``difference`` is deposit - remittance."""

    deposit: Deposit
    remittance: RemittanceCash

    def __attrs_post_init__(self) -> None:
        instance(self.deposit, Deposit, "$.deposit")
        instance(self.remittance, RemittanceCash, "$.remittance")

    @property
    def difference(self) -> Money:
        """What the bank received beyond (positive) or short of (negative) the 835."""
        return self.deposit.amount - self.remittance.amount


def _matches(value: Iterable[DepositMatch]) -> tuple[DepositMatch, ...]:
    return to_tuple(value)


def _deposits(value: Iterable[Deposit]) -> tuple[Deposit, ...]:
    return to_tuple(value)


def _remittances(value: Iterable[RemittanceCash]) -> tuple[RemittanceCash, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class DepositReconciliation:
    """What :func:`reconcile_deposits` found, as of ``on``.

    ``matched``: deposits paired with a remittance by trace (their amounts may differ);
    ``differences``: the matched pairs whose amounts differ; ``deposits_without_835``:
    money in the bank with no posted remittance (an ERA not yet received, or not a payer
    payment); ``remittances_without_deposit``: remittances posted whose money has not
    arrived (or arrived under an unrecognised reference).
    """

    on: date
    matched: tuple[DepositMatch, ...] = attrs.field(converter=_matches)
    deposits_without_835: tuple[Deposit, ...] = attrs.field(converter=_deposits)
    remittances_without_deposit: tuple[RemittanceCash, ...] = attrs.field(
        converter=_remittances)

    def __attrs_post_init__(self) -> None:
        a_date(self.on, "$.on")
        members(self.matched, DepositMatch, "$.matched")
        members(self.deposits_without_835, Deposit, "$.deposits_without_835")
        members(self.remittances_without_deposit, RemittanceCash,
                "$.remittances_without_deposit")

    @property
    def differences(self) -> tuple[DepositMatch, ...]:
        """The matched deposits whose amount is not the remittance's."""
        return tuple(m for m in self.matched if not m.difference.is_zero())

    @property
    def balanced(self) -> bool:
        """Every deposit matched, every remittance deposited, no amount differs."""
        return not (self.differences or self.deposits_without_835
                    or self.remittances_without_deposit)


def _norm(reference: str) -> str:
    return reference.strip().upper()


def _tokens(reference: str) -> set[str]:
    """The words of a bank reference (``TRN*1*12345*1512345678`` gives its parts too)."""
    out: set[str] = set()
    for word in reference.upper().replace("*", " ").replace("\\", " ").split():
        out.add(word)
    return out


def remittance_cash(ledger: Ledger, *, on: date) -> tuple[RemittanceCash, ...]:
    """The cash of each remittance posted on or before ``on``, in order of first posting."""
    cash = Account.cash()
    first: dict[tuple[PayerId, str], date] = {}
    cents: dict[tuple[PayerId, str], int] = {}
    for t in ledger.transfers(account=cash):
        if t.on > on or t.trace is None or t.payer is None:
            continue
        key = (t.payer, t.trace)
        first[key] = min(first.get(key, t.on), t.on)
        signed = t.amount.cents if t.debit == cash else -t.amount.cents
        cents[key] = cents.get(key, 0) + signed
    cur = ledger.currency
    return tuple(
        RemittanceCash(payer=payer, trace=trace, on=first[payer, trace],
                       amount=Money.from_cents(total, cur))
        for (payer, trace), total in cents.items()
    )


def reconcile_deposits(
    deposits: Iterable[Deposit], ledger: Ledger, *, on: date
) -> DepositReconciliation:
    """Match the bank's deposits to the remittances posted to ``ledger``, as of ``on``.

    A remittance is the cash its transfers moved under one payer and trace number
    (``TRN02``); a deposit matches it when its reference is that trace number, or
    contains it as a word (an ACH addenda ``TRN*1*<trace>*...``), and, when the deposit
    names a payer, that payer. Each remittance matches one deposit at most (the first in
    date order). Deposits dated after ``on`` and remittances posted after it are left
    out; remittances that moved no cash (a non-payment 835) need no deposit. Patient
    payments (no trace) are not remittances.
    """
    instance(ledger, Ledger, "$.ledger")
    day = a_date(on, "$.on")
    given = members(to_tuple(deposits), Deposit, "$.deposits")
    remits = [r for r in remittance_cash(ledger, on=day) if not r.amount.is_zero()]
    taken: set[int] = set()
    matched: list[DepositMatch] = []
    loose: list[Deposit] = []
    for deposit in sorted((d for d in given if d.on <= day), key=lambda d: d.on):
        ref, words = _norm(deposit.reference), _tokens(deposit.reference)
        found = None
        for i, r in enumerate(remits):
            if i in taken or (deposit.payer is not None and deposit.payer != r.payer):
                continue
            trace = _norm(r.trace)
            if ref == trace or trace in words:
                found = i
                break
        if found is None:
            loose.append(deposit)
            continue
        taken.add(found)
        matched.append(DepositMatch(deposit=deposit, remittance=remits[found]))
    return DepositReconciliation(
        on=day, matched=matched, deposits_without_835=loose,
        remittances_without_deposit=[r for i, r in enumerate(remits) if i not in taken],
    )
