"""The ledger: accounts, transfers and balances in double entry.

Every money event of the revenue cycle is a :class:`Transfer` that debits one
:class:`Account` and credits another by one positive amount, so every transfer balances
by construction. A :class:`Ledger` is an immutable value holding transfers in posting
order; :func:`post` returns a new ledger and leaves the old one valid and unchanged.
The vocabulary and guarantees follow TigerBeetle: a transfer is never edited or removed,
a mistake is corrected by a new transfer (a reversal names the transfer it reverses),
and posting is idempotent by transfer id.

Balances, aging and encounter summaries are derived from the transfers, never stored
beside them. Posting a transfer and reading a balance cost the same in a ledger of ten
transfers and in one of a million: versions share one append-only history and keep
running balances.

>>> from datetime import date
>>> from decimal import Decimal
>>> from claimcore.ids import PayerId, TransferId
>>> from claimcore.money import Money
>>> acme = PayerId("ACME1")
>>> charge = Transfer(
...     id=TransferId("c-1"), debit=Account.ar_payer(acme), credit=Account.gross_revenue(),
...     amount=Money(Decimal("200.00")), on=date(2026, 3, 2), code=TransferCode.CHARGE,
...     encounter="E1",
... )
>>> ledger = post(Ledger(), charge)
>>> ledger.balance(Account.ar_payer(acme))
Money('200.00')
>>> post(ledger, charge) == ledger  # the same transfer again changes nothing
True
>>> len(Ledger())  # the old value is unchanged
0
"""

from __future__ import annotations

import enum
import threading
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Final, TypeAlias, TypeVar

import attrs

from claimcore._validate import (
    a_date,
    an_int,
    instance,
    kind,
    members,
    optional_instance,
    optional_text,
    text,
    to_tuple,
)
from claimcore.codes import CARC, AdjustmentGroup
from claimcore.errors import (
    DuplicateTransfer,
    PostingError,
    TypeMismatch,
    ValidationError,
)
from claimcore.ids import ClaimId, MedicalRecordNumber, PayerId, TransferId
from claimcore.money import USD, Money
from claimcore.periods import DEFAULT_AGING, AgingBuckets

__all__ = [
    "Account",
    "AccountKind",
    "AccountRole",
    "AdjustmentTotal",
    "AgingReport",
    "AgingRow",
    "EncounterSummary",
    "Ledger",
    "PayerBalance",
    "Side",
    "Totals",
    "Transfer",
    "TransferCode",
    "WriteOffReason",
    "WriteOffTotal",
    "post",
    "reversal_of",
]


# -- accounts -------------------------------------------------------------------------------


class Side(enum.StrEnum):
    """The side of an entry: a transfer debits one account and credits another."""

    DEBIT = "debit"
    CREDIT = "credit"


class AccountKind(enum.StrEnum):
    """What an account is in the chart: it decides the account's normal balance side."""

    ASSET = "asset"
    LIABILITY = "liability"
    REVENUE = "revenue"
    CONTRA_REVENUE = "contra_revenue"
    EXPENSE = "expense"

    @property
    def normal_side(self) -> Side:
        """Debit for assets, expenses and contra-revenue; credit for liabilities and revenue."""
        return _NORMAL_SIDE[self]


_NORMAL_SIDE: Final[Mapping[AccountKind, Side]] = MappingProxyType({
    AccountKind.ASSET: Side.DEBIT,
    AccountKind.EXPENSE: Side.DEBIT,
    AccountKind.CONTRA_REVENUE: Side.DEBIT,
    AccountKind.LIABILITY: Side.CREDIT,
    AccountKind.REVENUE: Side.CREDIT,
})


class WriteOffReason(enum.StrEnum):
    """Why a balance was written off; each reason has its own write-off account."""

    SMALL_BALANCE = "small_balance"
    BAD_DEBT = "bad_debt"
    CHARITY = "charity"
    PROMPT_PAY = "prompt_pay"
    ADMINISTRATIVE = "administrative"


class AccountRole(enum.StrEnum):
    """The place of an account in claimcore's chart of accounts."""

    AR_PAYER = "ar_payer"
    AR_PATIENT = "ar_patient"
    GROSS_REVENUE = "gross_revenue"
    CONTRACTUAL_ALLOWANCE = "contractual_allowance"
    OTHER_ADJUSTMENTS = "other_adjustments"
    WRITE_OFF = "write_off"
    CASH = "cash"
    PATIENT_CREDIT = "patient_credit"
    REFUNDS_PAYABLE = "refunds_payable"


_ROLE_KIND: Final[Mapping[AccountRole, AccountKind]] = MappingProxyType({
    AccountRole.AR_PAYER: AccountKind.ASSET,
    AccountRole.AR_PATIENT: AccountKind.ASSET,
    AccountRole.CASH: AccountKind.ASSET,
    AccountRole.GROSS_REVENUE: AccountKind.REVENUE,
    AccountRole.CONTRACTUAL_ALLOWANCE: AccountKind.CONTRA_REVENUE,
    AccountRole.OTHER_ADJUSTMENTS: AccountKind.CONTRA_REVENUE,
    AccountRole.WRITE_OFF: AccountKind.CONTRA_REVENUE,
    AccountRole.PATIENT_CREDIT: AccountKind.LIABILITY,
    AccountRole.REFUNDS_PAYABLE: AccountKind.LIABILITY,
})

_ROLE_KEY: Final[Mapping[AccountRole, str]] = MappingProxyType({
    AccountRole.AR_PAYER: "ar:payer",
    AccountRole.AR_PATIENT: "ar:patient",
    AccountRole.CASH: "cash",
    AccountRole.GROSS_REVENUE: "revenue:gross",
    AccountRole.CONTRACTUAL_ALLOWANCE: "contra:contractual",
    AccountRole.OTHER_ADJUSTMENTS: "contra:other",
    AccountRole.WRITE_OFF: "write_off",
    AccountRole.PATIENT_CREDIT: "liability:patient_credit",
    AccountRole.REFUNDS_PAYABLE: "liability:refunds_payable",
})
_KEY_ROLE: Final[Mapping[str, AccountRole]] = MappingProxyType(
    {v: k for k, v in _ROLE_KEY.items()}
)
_RECEIVABLE: Final = frozenset({AccountRole.AR_PAYER, AccountRole.AR_PATIENT})
_PATIENT_SIDE: Final = frozenset({
    AccountRole.AR_PATIENT, AccountRole.PATIENT_CREDIT, AccountRole.REFUNDS_PAYABLE,
})
_WRITE_OFF_REASONS: Final = frozenset(r.value for r in WriteOffReason)
_CONTRA: Final = frozenset({AccountRole.CONTRACTUAL_ALLOWANCE, AccountRole.OTHER_ADJUSTMENTS})


@attrs.frozen(kw_only=True, cache_hash=True, repr=False)
class Account:
    """An account of the provider's chart, named by a stable string :attr:`key`.

    The chart: accounts receivable per payer (``ar:payer:<payer id>``) and from patients
    (``ar:patient``), gross revenue, the contractual allowance (group CO), other
    adjustments (groups OA and PI), write-offs per :class:`WriteOffReason`, cash, patient
    credits and refunds payable (both liabilities). A bad-debt write-off is an expense;
    the other write-offs are contra-revenue. Build accounts with the constructors
    (``Account.cash()``, ``Account.ar_payer(payer_id)``, ...) or :meth:`parse`.

    FHIR: ``Account`` (the guarantor's account is a view over these).
    """

    role: AccountRole
    payer: PayerId | None = None
    reason: WriteOffReason | None = None

    def __attrs_post_init__(self) -> None:
        instance(self.role, AccountRole, "$.role")
        if self.role is AccountRole.AR_PAYER:
            instance(self.payer, PayerId, "$.payer")
        elif self.payer is not None:
            raise ValidationError(
                f"only an A/R payer account names a payer, not {self.role.value}",
                path="$.payer", rule="payer-not-allowed",
            )
        if self.role is AccountRole.WRITE_OFF:
            instance(self.reason, WriteOffReason, "$.reason")
        elif self.reason is not None:
            raise ValidationError(
                f"only a write-off account has a reason, not {self.role.value}",
                path="$.reason", rule="reason-not-allowed",
            )

    @classmethod
    def ar_payer(cls, payer: PayerId) -> Account:
        """Accounts receivable from one payer: what the payer still owes on claims."""
        return cls(role=AccountRole.AR_PAYER, payer=payer)

    @classmethod
    def ar_patient(cls) -> Account:
        """Accounts receivable from patients (self-pay and patient responsibility)."""
        return cls(role=AccountRole.AR_PATIENT)

    @classmethod
    def gross_revenue(cls) -> Account:
        """Gross patient service revenue, at full charge."""
        return cls(role=AccountRole.GROSS_REVENUE)

    @classmethod
    def contractual_allowance(cls) -> Account:
        """The contractual allowance: charge above the payer's contracted rate (group CO)."""
        return cls(role=AccountRole.CONTRACTUAL_ALLOWANCE)

    @classmethod
    def other_adjustments(cls) -> Account:
        """Other adjustments of revenue from remittances (groups OA and PI)."""
        return cls(role=AccountRole.OTHER_ADJUSTMENTS)

    @classmethod
    def write_off(cls, reason: WriteOffReason) -> Account:
        """Balances written off for ``reason`` (bad debt, charity, small balance, ...)."""
        return cls(role=AccountRole.WRITE_OFF, reason=reason)

    @classmethod
    def cash(cls) -> Account:
        """Cash: payer payments (835 ``BPR``) and patient payments received."""
        return cls(role=AccountRole.CASH)

    @classmethod
    def patient_credit(cls) -> Account:
        """Money a patient paid beyond what is owed, held as a credit (a liability)."""
        return cls(role=AccountRole.PATIENT_CREDIT)

    @classmethod
    def refunds_payable(cls) -> Account:
        """Refunds approved but not yet paid out (a liability)."""
        return cls(role=AccountRole.REFUNDS_PAYABLE)

    @property
    def kind(self) -> AccountKind:
        """Asset, liability, revenue, contra-revenue or expense."""
        if self.reason is WriteOffReason.BAD_DEBT:
            return AccountKind.EXPENSE
        return _ROLE_KIND[self.role]

    @property
    def normal_side(self) -> Side:
        """The side on which this account's balance grows."""
        return self.kind.normal_side

    @property
    def is_receivable(self) -> bool:
        """Whether this is an accounts-receivable account (payer or patient)."""
        return self.role in _RECEIVABLE

    @property
    def key(self) -> str:
        """The stable string name: ``cash``, ``ar:payer:12345``, ``write_off:bad_debt``."""
        base = _ROLE_KEY[self.role]
        if self.payer is not None:
            return f"{base}:{self.payer.value}"
        if self.reason is not None:
            return f"{base}:{self.reason.value}"
        return base

    @classmethod
    def parse(cls, key: str) -> Account:
        """The account named by ``key``; the inverse of :attr:`key`."""
        if type(key) is not str:
            raise TypeMismatch(f"an account key must be a str, got {kind(key)}", rule="type")
        role = _KEY_ROLE.get(key)
        if role is not None and role not in (AccountRole.AR_PAYER, AccountRole.WRITE_OFF):
            return cls(role=role)
        head, _, rest = key.rpartition(":")
        if head == _ROLE_KEY[AccountRole.AR_PAYER] and rest:
            return cls.ar_payer(PayerId(rest))
        if head == _ROLE_KEY[AccountRole.WRITE_OFF] and rest in _WRITE_OFF_REASONS:
            return cls.write_off(WriteOffReason(rest))
        raise ValidationError(
            f"{key[:60]!r} is not an account key (e.g. 'cash', 'ar:payer:12345', "
            "'write_off:bad_debt')",
            rule="account-key",
        )

    def __str__(self) -> str:
        return self.key

    def __repr__(self) -> str:
        return f"Account({self.key!r})"


# -- transfers ------------------------------------------------------------------------------


class TransferCode(enum.StrEnum):
    """What a transfer records, in the words of the revenue cycle."""

    CHARGE = "charge"
    PAYER_PAYMENT = "payer_payment"
    CONTRACTUAL = "contractual"
    OTHER_ADJUSTMENT = "other_adjustment"
    PATIENT_RESPONSIBILITY = "patient_responsibility"
    COB_TRANSFER = "cob_transfer"
    PATIENT_PAYMENT = "patient_payment"
    WRITE_OFF = "write_off"
    REFUND = "refund"
    REVERSAL = "reversal"
    PROVIDER_ADJUSTMENT = "provider_adjustment"
    CREDIT_APPLIED = "credit_applied"


_MAX_LINE: Final = 999


@attrs.frozen(kw_only=True)
class Transfer:
    """One balanced money movement: ``amount`` leaves ``credit`` and arrives in ``debit``.

    The amount is always positive and the two accounts always differ. References tie the
    transfer to a patient, encounter, claim (and claim line) and remittance trace number
    (835 ``TRN02``), so that balances can be read per patient, encounter or claim. An
    adjustment from a remittance keeps its group (``CAS01``) and reason (``CAS02``, a
    CARC). A reversal names the transfer it reverses in ``reverses``: use
    :func:`reversal_of` to build one.
    """

    id: TransferId
    debit: Account
    credit: Account
    amount: Money
    on: date
    code: TransferCode
    patient: MedicalRecordNumber | None = attrs.field(default=None, repr=False)
    encounter: str | None = None
    claim: ClaimId | None = None
    line: int | None = None
    trace: str | None = None
    reverses: TransferId | None = None
    group: AdjustmentGroup | None = None
    reason: CARC | None = None

    def __attrs_post_init__(self) -> None:
        instance(self.id, TransferId, "$.id")
        instance(self.debit, Account, "$.debit")
        instance(self.credit, Account, "$.credit")
        instance(self.amount, Money, "$.amount")
        if self.amount.amount <= 0:
            raise ValidationError(
                "must be positive: a transfer moves money from its credit account to its "
                "debit account (swap the accounts instead of negating the amount)",
                path="$.amount", rule="positive",
            )
        a_date(self.on, "$.on")
        instance(self.code, TransferCode, "$.code")
        if self.debit == self.credit:
            raise ValidationError(
                f"must differ from $.debit (both are {self.debit.key})",
                path="$.credit", rule="same-account",
            )
        optional_instance(self.patient, MedicalRecordNumber, "$.patient")
        optional_text(self.encounter, "$.encounter", max_len=64)
        optional_instance(self.claim, ClaimId, "$.claim")
        if self.line is not None:
            an_int(self.line, "$.line", low=1, high=_MAX_LINE)
        optional_text(self.trace, "$.trace", max_len=50)
        optional_instance(self.reverses, TransferId, "$.reverses")
        if (self.code is TransferCode.REVERSAL) != (self.reverses is not None):
            raise ValidationError(
                "a reversal (code 'reversal') names the transfer it reverses, and only a "
                "reversal does",
                path="$.reverses", rule="reversal-link",
            )
        if self.reverses == self.id:
            raise ValidationError(
                "a transfer cannot reverse itself", path="$.reverses", rule="self-reversal"
            )
        optional_instance(self.group, AdjustmentGroup, "$.group")
        optional_instance(self.reason, CARC, "$.reason")
        if self.reason is not None and self.group is None:
            raise ValidationError(
                "an adjustment reason (CARC) needs its group code", path="$.group",
                rule="reason-without-group",
            )


def reversal_of(
    transfer: Transfer,
    *,
    id: TransferId,
    on: date,
    amount: Money | None = None,
    trace: str | None = None,
) -> Transfer:
    """The transfer that reverses ``transfer`` (all of it, or ``amount`` of it).

    It moves the money back (debit and credit swapped), keeps every reference, group and
    reason, and names the original in ``reverses``; ``trace`` defaults to the original's.
    An 835 claim with status 22 is posted this way.
    """
    instance(transfer, Transfer, "$.transfer")
    return Transfer(
        id=id,
        debit=transfer.credit,
        credit=transfer.debit,
        amount=transfer.amount if amount is None else amount,
        on=on,
        code=TransferCode.REVERSAL,
        patient=transfer.patient,
        encounter=transfer.encounter,
        claim=transfer.claim,
        line=transfer.line,
        trace=transfer.trace if trace is None else trace,
        reverses=transfer.id,
        group=transfer.group,
        reason=transfer.reason,
    )


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


# -- report values --------------------------------------------------------------------------


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
        return self.debits == self.credits


def _non_negative(value: object, path: str) -> Money:
    money = instance(value, Money, path)
    if money.amount < 0:
        raise ValidationError("must not be negative", path=path, rule="non-negative")
    return money


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
        members(self.amounts, Money, "$.amounts")
        for i, amount in enumerate(self.amounts):
            _non_negative(amount, f"$.amounts[{i}]")
        _non_negative(self.unapplied, "$.unapplied")

    @property
    def total(self) -> Money:
        """Open amounts less unapplied credit: the account's balance."""
        total = Money.zero(self.unapplied.currency)
        for amount in self.amounts:
            total = total + amount
        return total - self.unapplied


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


# -- the ledger -----------------------------------------------------------------------------


_Series: TypeAlias = "array[int] | list[int]"
"""A running total with its history, as pairs ``position, value`` in one flat array: the
value after each posting (at that position) that changed it. The newest version of a
ledger reads the last pair (constant time); an older one searches for its own (binary
search). An ``array('q')`` holds the pairs compactly; a total beyond 2**63 cents turns
it into a list of Python ints."""

_K = TypeVar("_K", int, str)
_LOW: Final = -(2**63)
_HIGH: Final = 2**63 - 1


def _new_series(position: int, delta: int) -> _Series:
    # One transfer is below 10**15 cents (Money's limit), so it always fits an array.
    return array("q", (position, delta))


def _extend(table: dict[_K, _Series], key: _K, position: int, delta: int) -> None:
    """Add ``delta`` to the running total of ``key`` in ``table`` at ``position``."""
    series = table.get(key)
    if series is None:
        table[key] = _new_series(position, delta)
        return
    value = series[-1] + delta
    if not _LOW <= value <= _HIGH and type(series) is not list:
        series = table[key] = list(series)
    # The position goes in before its value; readers only take whole pairs.
    series.append(position)
    series.append(value)


def _value(series: _Series | None, length: int) -> int:
    """The total over the first ``length`` postings of a ledger."""
    if series is None:
        return 0
    n = len(series) & ~1
    if n == 0:  # pragma: no cover - a series is never empty once made
        return 0
    if series[n - 2] < length:
        return series[n - 1]
    low, high = 0, n // 2  # find the first pair at or after ``length``
    while low < high:
        middle = (low + high) // 2
        if series[2 * middle] < length:
            low = middle + 1
        else:
            high = middle
    return series[2 * low - 1] if low else 0


def _starts_before(series: _Series | None, length: int) -> bool:
    return series is not None and len(series) >= 2 and series[0] < length


_EMPTY_POSITIONS: Final[array[int]] = array("q")
_POSITIONS: Final = -1
"""The key, in a reference's table, of the positions of the transfers that carry it."""


class _References:
    """What a ledger keeps per patient, encounter or claim (by its text), in one small
    table per reference: the positions of the transfers that carry it (under the key
    ``_POSITIONS``) and a running balance per account id. One lookup per reference and
    posting keeps a large ledger's memory traffic low.
    """

    __slots__ = ("tables",)

    def __init__(self) -> None:
        self.tables: dict[str, dict[int, _Series]] = {}

    def add(self, ref: str, position: int, debit: int, credit: int, cents: int) -> None:
        table = self.tables.get(ref)
        if table is None:
            self.tables[ref] = {
                _POSITIONS: array("q", (position,)),
                debit: _new_series(position, cents),
                credit: _new_series(position, -cents),
            }
            return
        table[_POSITIONS].append(position)
        _extend(table, debit, position, cents)
        _extend(table, credit, position, -cents)

    def positions(self, ref: str) -> _Series:
        table = self.tables.get(ref)
        return _EMPTY_POSITIONS if table is None else table[_POSITIONS]

    def balance(self, ref: str, account: int) -> _Series | None:
        table = self.tables.get(ref)
        return None if table is None else table.get(account)

    def balances(self, ref: str) -> list[tuple[int, _Series]]:
        """The running balances of ``ref`` by account id."""
        table = self.tables.get(ref, {})
        return [(k, v) for k, v in list(table.items()) if k != _POSITIONS]


class _Store:
    """The history shared by every version of one ledger: an append-only log of
    transfers and the running totals and position indexes over it.

    Only the newest version appends; posting to an older version forks a new store.
    Accounts get small ids in the order they first appear.
    """

    __slots__ = (
        "account_ids", "accounts", "by_id", "claims", "encounters", "lock", "log",
        "patients", "positions", "reversed", "totals",
    )

    def __init__(self) -> None:
        self.log: list[Transfer] = []
        self.by_id: dict[str, int] = {}
        self.account_ids: dict[Account, int] = {}
        self.accounts: list[Account] = []
        # By account id: the running balance (debit positive) and the positions.
        self.totals: dict[int, _Series] = {}
        self.positions: list[array[int]] = []
        self.patients = _References()
        self.encounters = _References()
        self.claims = _References()
        # How much of each reversed transfer (by id) has been reversed so far.
        self.reversed: dict[str, _Series] = {}
        self.lock = threading.Lock()

    def _account_id(self, account: Account) -> int:
        found = self.account_ids.get(account)
        if found is None:
            found = self.account_ids[account] = len(self.accounts)
            self.accounts.append(account)
            self.positions.append(array("q"))
        return found

    def append(self, transfer: Transfer, cents: int) -> None:
        """Add one validated transfer of ``cents`` at the end (the caller holds the lock)."""
        position = len(self.log)
        debit = self._account_id(transfer.debit)
        credit = self._account_id(transfer.credit)
        _extend(self.totals, debit, position, cents)
        _extend(self.totals, credit, position, -cents)
        self.positions[debit].append(position)
        self.positions[credit].append(position)
        if transfer.patient is not None:
            self.patients.add(transfer.patient.unmasked, position, debit, credit, cents)
        if transfer.encounter is not None:
            self.encounters.add(transfer.encounter, position, debit, credit, cents)
        if transfer.claim is not None:
            self.claims.add(transfer.claim.value, position, debit, credit, cents)
        if transfer.reverses is not None:
            _extend(self.reversed, transfer.reverses.value, position, cents)
        self.by_id[transfer.id.value] = position
        self.log.append(transfer)

    def fork(self, length: int) -> _Store:
        """A new store holding the first ``length`` transfers of this one."""
        new = _Store()
        for transfer in self.log[:length]:
            new.append(transfer, transfer.amount.cents)
        return new


class Ledger:
    """An immutable, ordered collection of posted transfers, with balances derived from them.

    ``Ledger()`` is an empty ledger in US dollars; :func:`post` returns a new ledger and
    never changes the one it was given. Two ledgers are equal when they hold the same
    transfers in the same order, in the same currency. A ledger travels (and
    round-trips) as its list of transfers: :meth:`transfers` and :meth:`from_transfers`.

    Versions share their history, so posting and reading a balance take constant time
    whatever the ledger's size; reading an older version's balance takes a binary search,
    and posting to an older version copies its history once (a fork).
    """

    __slots__ = ("_currency", "_length", "_store")

    _store: _Store
    _length: int
    _currency: str

    def __init__(self, *, currency: str = USD) -> None:
        Money.zero(currency)  # checks the currency code
        object.__setattr__(self, "_store", _Store())
        object.__setattr__(self, "_length", 0)
        object.__setattr__(self, "_currency", currency)

    @classmethod
    def _at(cls, store: _Store, length: int, currency: str) -> Ledger:
        new = object.__new__(cls)
        object.__setattr__(new, "_store", store)
        object.__setattr__(new, "_length", length)
        object.__setattr__(new, "_currency", currency)
        return new

    @classmethod
    def from_transfers(cls, transfers: Iterable[Transfer], currency: str = USD) -> Ledger:
        """A ledger holding ``transfers``, posted in order (checked as :func:`post` does)."""
        return post(cls(currency=currency), *to_tuple(transfers))

    def __setattr__(self, name: str, value: object) -> None:
        raise attrs.exceptions.FrozenInstanceError()

    def __delattr__(self, name: str) -> None:
        raise attrs.exceptions.FrozenInstanceError()

    def __reduce__(self) -> tuple[object, ...]:
        return (Ledger.from_transfers, (self.transfers(), self._currency))

    # -- reading --------------------------------------------------------------------------

    @property
    def currency(self) -> str:
        """The currency of every amount in this ledger."""
        return self._currency

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[Transfer]:
        log = self._store.log
        for i in range(self._length):
            yield log[i]

    def __contains__(self, transfer_id: object) -> bool:
        return isinstance(transfer_id, TransferId) and self.get(transfer_id) is not None

    def get(self, transfer_id: TransferId) -> Transfer | None:
        """The transfer posted with ``transfer_id``, or ``None``."""
        position = self._store.by_id.get(transfer_id.value)
        if position is None or position >= self._length:
            return None
        return self._store.log[position]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ledger):
            return NotImplemented
        if self._currency != other._currency or self._length != other._length:
            return False
        if self._store is other._store:
            return True
        return all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash((self._currency, self._length))

    def __repr__(self) -> str:
        return f"<Ledger of {self._length} transfers in {self._currency}>"

    def _money(self, cents: int) -> Money:
        return Money._trusted(Decimal(cents).scaleb(-2), self._currency)

    def _references(
        self,
        *,
        patient: MedicalRecordNumber | None = None,
        encounter: str | None = None,
        claim: ClaimId | None = None,
    ) -> tuple[_References, str]:
        """The table and the key of the one reference given (checked for type)."""
        store = self._store
        if patient is not None:
            return store.patients, instance(patient, MedicalRecordNumber, "$.patient").unmasked
        if encounter is not None:
            return store.encounters, instance(encounter, str, "$.encounter")
        return store.claims, instance(claim, ClaimId, "$.claim").value

    def transfers(
        self,
        *,
        account: Account | None = None,
        patient: MedicalRecordNumber | None = None,
        encounter: str | None = None,
        claim: ClaimId | None = None,
        code: TransferCode | None = None,
        trace: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> tuple[Transfer, ...]:
        """The posted transfers in posting order, filtered by every criterion given.

        ``since`` and ``until`` bound the transfer date (both included). With no criteria:
        every transfer, which is how a ledger is serialised.
        """
        store = self._store
        lists: list[_Series] = []
        if account is not None:
            found = store.account_ids.get(instance(account, Account, "$.account"))
            lists.append(_EMPTY_POSITIONS if found is None else store.positions[found])
        if patient is not None:
            table, key = self._references(patient=patient)
            lists.append(table.positions(key))
        if encounter is not None:
            table, key = self._references(encounter=encounter)
            lists.append(table.positions(key))
        if claim is not None:
            table, key = self._references(claim=claim)
            lists.append(table.positions(key))
        log = self._store.log
        if lists:
            # Walk the shortest position list; check the other criteria per transfer.
            shortest = min(lists, key=len)
            end = bisect_left(shortest, self._length)
            candidates: Iterable[Transfer] = (log[p] for p in shortest[:end])
        else:
            candidates = log[: self._length]
        return tuple(
            t for t in candidates
            if (account is None or t.debit == account or t.credit == account)
            and (patient is None or t.patient == patient)
            and (encounter is None or t.encounter == encounter)
            and (claim is None or t.claim == claim)
            and (code is None or t.code == code)
            and (trace is None or t.trace == trace)
            and (since is None or t.on >= since)
            and (until is None or t.on <= until)
        )

    def balance(
        self,
        account: Account,
        *,
        patient: MedicalRecordNumber | None = None,
        encounter: str | None = None,
        claim: ClaimId | None = None,
    ) -> Money:
        """The balance of ``account`` on its normal side (negative when on the other side).

        With ``patient``, ``encounter`` or ``claim`` (at most one): the balance of the
        transfers that carry that reference. An A/R account's balance is what is owed; a
        revenue account's is what was earned.
        """
        instance(account, Account, "$.account")
        given = (patient is not None) + (encounter is not None) + (claim is not None)
        if given > 1:
            raise ValidationError(
                "give at most one of patient, encounter and claim", rule="one-reference"
            )
        found = self._store.account_ids.get(account)
        series: _Series | None = None
        if found is not None and given:
            table, key = self._references(patient=patient, encounter=encounter, claim=claim)
            series = table.balance(key, found)
        elif found is not None:
            series = self._store.totals.get(found)
        cents = _value(series, self._length)
        if account.normal_side is Side.CREDIT:
            cents = -cents
        return self._money(cents)

    def balances(self) -> Mapping[Account, Money]:
        """The balance of every account that any transfer touched, by account."""
        store = self._store
        out = {
            store.accounts[found]: self.balance(store.accounts[found])
            for found, series in list(store.totals.items())
            if _starts_before(series, self._length)
        }
        return MappingProxyType(dict(sorted(out.items(), key=lambda kv: kv[0].key)))

    def totals(self) -> Totals:
        """The trial balance: debit balances and credit balances of all accounts (equal)."""
        debits = credits = 0
        for series in list(self._store.totals.values()):
            net = _value(series, self._length)
            if net > 0:
                debits += net
            else:
                credits -= net
        return Totals(self._money(debits), self._money(credits))

    def _reversed_cents(self, transfer_id: TransferId) -> int:
        return _value(self._store.reversed.get(transfer_id.value), self._length)

    def _root(self, transfer: Transfer) -> tuple[Transfer, int]:
        """The transfer a chain of reversals starts from, and the sign of ``transfer``
        relative to it (+1, or -1 for a reversal of it)."""
        sign = 1
        seen = 0
        while transfer.reverses is not None and seen < self._length:
            original = self.get(transfer.reverses)
            if original is None:  # pragma: no cover - post() refuses such reversals
                break
            transfer, sign, seen = original, -sign, seen + 1
        return transfer, sign

    def aging(self, as_of: date, buckets: AgingBuckets = DEFAULT_AGING) -> AgingReport:
        """Accounts receivable aging as of ``as_of``: open amounts per account and bucket.

        Only transfers dated on or before ``as_of`` count. Within each receivable account
        and encounter, credits (payments, adjustments, transfers out) are applied first in,
        first out to the oldest open debits; what remains of each debit is open. A charge
        is aged from its own date. Any other debit (patient responsibility moved from a
        payer, a balance moved to a secondary payer, a reversed payment) is aged from the
        date of its encounter's first charge, so it keeps the age of the service; without
        an encounter or an earlier charge, from its own date. Credit that no debit
        absorbs is the row's ``unapplied`` amount.
        """
        a_date(as_of, "$.as_of")
        instance(buckets, AgingBuckets, "$.buckets")
        first_charge: dict[str, date] = {}
        debits: dict[tuple[Account, str | None], list[tuple[date, int, int, bool]]] = {}
        credits: dict[tuple[Account, str | None], int] = {}
        receivables: set[Account] = set()
        for position, t in enumerate(self):
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
        rows = [
            AgingRow(
                account=account,
                amounts=tuple(self._money(c) for c in open_cents[account]),
                unapplied=self._money(unapplied[account]),
            )
            for account in sorted(receivables, key=lambda a: a.key)
        ]
        return AgingReport(as_of=as_of, buckets=buckets, rows=tuple(rows))

    def encounter_summary(self, encounter: str) -> EncounterSummary:
        """Where the money of ``encounter`` stands (see :class:`EncounterSummary`).

        Payer paid is the net cash exchanged with A/R payer accounts; patient paid the net
        cash exchanged with any other account (A/R patient, patient credits, refunds).
        Adjustments are grouped by the group and reason the transfers carry (a reversal
        without them takes its original's); an adjustment without a group counts as CO in
        the contractual allowance and OA in other adjustments.
        """
        instance(encounter, str, "$.encounter")
        charges = payer_paid = patient_paid = 0
        adjustments: dict[tuple[AdjustmentGroup, CARC | None], int] = {}
        responsibility: dict[tuple[AdjustmentGroup, CARC | None], int] = {}
        write_offs: dict[WriteOffReason, int] = {}
        for t in self.transfers(encounter=encounter):
            cents = t.amount.cents
            d, c = t.debit.role, t.credit.role
            if c is AccountRole.GROSS_REVENUE:
                charges += cents
            if d is AccountRole.GROSS_REVENUE:
                charges -= cents
            if d is AccountRole.CASH:
                if c is AccountRole.AR_PAYER:
                    payer_paid += cents
                else:
                    patient_paid += cents
            if c is AccountRole.CASH:
                if d is AccountRole.AR_PAYER:
                    payer_paid -= cents
                else:
                    patient_paid -= cents
            if t.debit.reason is not None:
                write_offs[t.debit.reason] = write_offs.get(t.debit.reason, 0) + cents
            if t.credit.reason is not None:
                write_offs[t.credit.reason] = write_offs.get(t.credit.reason, 0) - cents
            if d in _CONTRA or c in _CONTRA:
                root, _ = self._root(t)
                group, reason = (t.group, t.reason) if t.group else (root.group, root.reason)
                for role, sign in ((d, 1), (c, -1)):
                    if role in _CONTRA:
                        g = group or (AdjustmentGroup.CONTRACTUAL_OBLIGATION
                                      if role is AccountRole.CONTRACTUAL_ALLOWANCE
                                      else AdjustmentGroup.OTHER_ADJUSTMENT)
                        adjustments[g, reason] = adjustments.get((g, reason), 0) + sign * cents
            root, sign = self._root(t)
            if root.code is TransferCode.PATIENT_RESPONSIBILITY:
                g = root.group or AdjustmentGroup.PATIENT_RESPONSIBILITY
                responsibility[g, root.reason] = (
                    responsibility.get((g, root.reason), 0) + sign * cents
                )
        payer_balances = []
        store = self._store
        for found, series in store.encounters.balances(encounter):
            account = store.accounts[found]
            if account.payer is not None and _starts_before(series, self._length):
                payer_balances.append(
                    PayerBalance(account.payer, self._money(_value(series, self._length)))
                )
        payer_balances.sort(key=lambda p: p.payer.value)

        def totals(table: dict[tuple[AdjustmentGroup, CARC | None], int]) -> tuple[
            AdjustmentTotal, ...
        ]:
            return tuple(
                AdjustmentTotal(group=g, reason=r, amount=self._money(v))
                for (g, r), v in sorted(
                    table.items(), key=lambda kv: (kv[0][0].value, str(kv[0][1] or ""))
                )
            )

        credit = (
            self.balance(Account.patient_credit(), encounter=encounter)
            + self.balance(Account.refunds_payable(), encounter=encounter)
        )
        return EncounterSummary(
            encounter=encounter,
            currency=self._currency,
            charges=self._money(charges),
            payer_paid=self._money(payer_paid),
            patient_paid=self._money(patient_paid),
            adjustments=totals(adjustments),
            patient_responsibility=totals(responsibility),
            write_offs=tuple(
                WriteOffTotal(r, self._money(v))
                for r, v in sorted(write_offs.items(), key=lambda kv: kv[0].value)
            ),
            payer_balances=tuple(payer_balances),
            patient_balance=self.balance(Account.ar_patient(), encounter=encounter),
            patient_credit=credit,
        )


# -- posting --------------------------------------------------------------------------------


def _check_reversal(
    ledger: Ledger,
    transfer: Transfer,
    reverses: TransferId,
    batch: Mapping[TransferId, Transfer],
    reversed_in_batch: dict[TransferId, int],
    where: str,
) -> None:
    original = ledger.get(reverses) or batch.get(reverses)
    if original is None:
        raise PostingError(f"{where}: reverses transfer {reverses.value!r}, which is not posted")
    if transfer.debit != original.credit or transfer.credit != original.debit:
        raise PostingError(
            f"{where}: a reversal moves the money back: it must debit {original.credit.key} "
            f"and credit {original.debit.key}"
        )
    if (transfer.patient, transfer.encounter, transfer.claim) != (
        original.patient, original.encounter, original.claim
    ):
        raise PostingError(
            f"{where}: a reversal keeps the patient, encounter and claim of the transfer "
            "it reverses"
        )
    done = ledger._reversed_cents(original.id) + reversed_in_batch.get(original.id, 0)
    cents = transfer.amount.cents
    if done + cents > original.amount.cents:
        raise PostingError(
            f"{where}: reverses {transfer.amount} of {original.amount}, of which "
            f"{ledger._money(done)} is already reversed"
        )
    reversed_in_batch[original.id] = reversed_in_batch.get(original.id, 0) + cents


def post(ledger: Ledger, *transfers: Transfer) -> Ledger:
    """Post ``transfers`` to ``ledger``: a new ledger with them added, all or nothing.

    Every transfer is checked before any is added: a transfer whose id is already posted
    with the same content is skipped (posting is idempotent); the same id with other
    content raises :class:`~claimcore.errors.DuplicateTransfer`; an amount in another
    currency, or a reversal of a transfer that is not posted, does not mirror it, or
    reverses more than is left of it, raises :class:`~claimcore.errors.PostingError`.
    On any error nothing is posted and ``ledger`` is, as always, unchanged.
    """
    instance(ledger, Ledger, "$.ledger")
    batch: dict[TransferId, Transfer] = {}
    reversed_in_batch: dict[TransferId, int] = {}
    new: list[Transfer] = []
    for i, transfer in enumerate(transfers):
        where = f"$.transfers[{i}]"
        if not isinstance(transfer, Transfer):
            raise TypeMismatch(f"must be a Transfer, got {kind(transfer)}", path=where,
                               rule="type")
        if transfer.amount.currency != ledger.currency:
            raise PostingError(
                f"{where}: amount in {transfer.amount.currency}, ledger in {ledger.currency}"
            )
        prior = ledger.get(transfer.id) or batch.get(transfer.id)
        if prior is not None:
            if prior == transfer:
                continue
            raise DuplicateTransfer(transfer.id.value)
        if transfer.reverses is not None:
            _check_reversal(ledger, transfer, transfer.reverses, batch, reversed_in_batch, where)
        batch[transfer.id] = transfer
        new.append(transfer)
    if not new:
        return ledger
    store = ledger._store
    with store.lock:
        if len(store.log) != ledger._length:
            store = store.fork(ledger._length)
        for transfer in new:
            store.append(transfer, transfer.amount.cents)
        return Ledger._at(store, len(store.log), ledger.currency)
