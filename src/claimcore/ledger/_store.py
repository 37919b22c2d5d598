"""The store: :class:`Ledger`, an immutable value over one append-only history, and
:func:`post`.

Versions of a ledger share one append-only log of transfers with a running balance per
account and a chain of positions per patient, encounter and claim, so posting a transfer
and reading a balance cost the same in a ledger of ten transfers and in one of a million
(a balance by reference costs what that reference holds). The indexes hold positions,
cents and account ids in ``array`` s, not objects per transfer. The derived
reads (the fold by role, aging, encounter summaries) live in
:mod:`claimcore.ledger._queries`; the methods here are their public face.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from types import MappingProxyType
from typing import Final, TypeAlias, TypeVar

import attrs

from claimcore._validate import instance, kind, optional_instance, text, to_tuple
from claimcore.errors import (
    DuplicateTransfer,
    PostingError,
    TypeMismatch,
    ValidationError,
)
from claimcore.ids import (
    ClaimId,
    EncounterId,
    MedicalRecordNumber,
    PayerId,
    TransferId,
    as_encounter_id,
)
from claimcore.ledger._accounts import Account, Side
from claimcore.ledger._queries import (
    aging,
    encounter_summary,
    role_balances,
    role_balances_by_encounter,
)
from claimcore.ledger._reports import AgingReport, EncounterSummary, RoleBalances, Totals
from claimcore.ledger._transfers import Transfer, TransferCode
from claimcore.money import USD, Money
from claimcore.periods import DEFAULT_AGING, AgingBuckets

__all__ = ["Ledger", "post"]


_Series: TypeAlias = "array[int] | list[int]"
"""A running total with its history, as pairs ``position, value`` in one flat array: the
value after each posting (at that position) that changed it. The newest version of a
ledger reads the last pair (constant time); an older one searches for its own (binary
search). An ``array('q')`` holds the pairs compactly; a total beyond 2**63 cents turns
it into a list of Python ints."""

_Values: TypeAlias = "array[int] | list[int]"
"""An account's running balance after each of its postings, beside the account's
positions (a transfer never debits and credits one account, so the two stay aligned);
a list of Python ints once a balance goes beyond 2**63 cents."""

_LOW: Final = -(2**63)
_HIGH: Final = 2**63 - 1
_NONE: Final = -1
"""In a chain of positions: no earlier transfer with this reference."""
_POSITIONS: Final = -1
"""The key, in a heavy reference's table, of the positions of the transfers that carry it."""
_HEAVY: Final = 64
"""A reference read with more transfers than this gets its own table (see :class:`_Chain`)."""
_K = TypeVar("_K", int, str)


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


def _encounter(value: object) -> EncounterId:
    """An encounter given to a query, as an :class:`~claimcore.ids.EncounterId` (a ``str``
    is read as one, as :class:`Transfer` reads it)."""
    if isinstance(value, EncounterId):
        return value
    return as_encounter_id(text(value, "$.encounter", max_len=64), "$.encounter")


_EMPTY_POSITIONS: Final[array[int]] = array("q")


class _Chain:
    """The transfers that carry each patient, encounter or claim (by its text), as a chain
    of positions: ``last`` holds a reference's newest position and ``previous[p]`` the
    position before ``p`` with the same reference (``_NONE`` at the first, and for a
    transfer without one). Eight bytes per transfer and one entry per reference: a table
    per reference cost the ledger most of its memory. A reference's balance is read from
    its own transfers, so it costs what the reference holds (a claim's or encounter's
    handful), not what the ledger holds.

    A reference read with more than ``_HEAVY`` transfers (a patient with years of
    visits) gets a table in ``heavy``, kept up by every later posting: its positions
    (under ``_POSITIONS``) and a running balance per account id, so that its reads stay
    constant time and the memory goes only to references that are both long and read.
    """

    __slots__ = ("heavy", "last", "previous")

    def __init__(self) -> None:
        self.last: dict[str, int] = {}
        self.previous: array[int] = array("q")
        self.heavy: dict[str, dict[int, _Series]] = {}

    def add(self, ref: str | None, position: int, debit: int, credit: int,
            cents: int) -> None:
        if ref is None:
            self.previous.append(_NONE)
            return
        last = self.last
        self.previous.append(last.get(ref, _NONE))
        last[ref] = position
        if self.heavy:
            table = self.heavy.get(ref)
            if table is not None:
                _grow(table, position, debit, credit, cents)

    def walk(self, ref: str, length: int) -> list[int]:
        """The positions below ``length`` of the transfers that carry ``ref``, in order,
        read from the chain."""
        previous = self.previous
        position = self.last.get(ref, _NONE)
        while position >= length:
            position = previous[position]
        out: list[int] = []
        while position != _NONE:
            out.append(position)
            position = previous[position]
        out.reverse()
        return out


def _grow(table: dict[int, _Series], position: int, debit: int, credit: int,
          cents: int) -> None:
    """Add one transfer to a heavy reference's table."""
    _extend(table, debit, position, cents)
    _extend(table, credit, position, -cents)
    # The position goes in last: a reader that finds it finds the balances it changed.
    table[_POSITIONS].append(position)


class _Store:
    """The history shared by every version of one ledger: an append-only log of
    transfers and the running totals and position indexes over it.

    Only the newest version appends; posting to an older version forks a new store.
    Accounts get small ids in the order they first appear. Per transfer the store keeps
    its amount in cents and its two account ids in arrays (so balances by reference are
    sums of machine integers), its position in each account's positions with the running
    balance beside it, one link per reference chain and its id.
    """

    __slots__ = (
        "account_ids", "accounts", "by_id", "cents", "claims", "credits", "debits",
        "encounters", "lock", "log", "patients", "positions", "reversed", "values",
    )

    def __init__(self) -> None:
        self.log: list[Transfer] = []
        self.by_id: dict[str, int] = {}
        self.account_ids: dict[Account, int] = {}
        self.accounts: list[Account] = []
        # By position: the amount in cents and the account ids debited and credited.
        self.cents: array[int] = array("q")
        self.debits: array[int] = array("I")
        self.credits: array[int] = array("I")
        # By account id: the positions that touch it and the balance (debit positive)
        # after each of them.
        self.positions: list[array[int]] = []
        self.values: list[_Values] = []
        self.patients = _Chain()
        self.encounters = _Chain()
        self.claims = _Chain()
        # How much of each reversed transfer (by id) has been reversed so far.
        self.reversed: dict[str, _Series] = {}
        self.lock = threading.Lock()

    def _account_id(self, account: Account) -> int:
        found = self.account_ids.get(account)
        if found is None:
            # Published last, so that a concurrent reader that finds the id finds the rest.
            found = len(self.accounts)
            self.accounts.append(account)
            self.values.append(array("q"))
            self.positions.append(array("q"))
            self.account_ids[account] = found
        return found

    def _add(self, account: int, position: int, delta: int) -> None:
        values = self.values[account]
        value = values[-1] + delta if values else delta
        if not _LOW <= value <= _HIGH and type(values) is not list:
            values = self.values[account] = list(values)
        # The position goes in after its value: a reader goes by the positions, so it
        # never sees a position without its value.
        values.append(value)
        self.positions[account].append(position)

    def append(self, transfer: Transfer, cents: int) -> None:
        """Add one validated transfer of ``cents`` at the end (the caller holds the lock)."""
        position = len(self.log)
        debit = self._account_id(transfer.debit)
        credit = self._account_id(transfer.credit)
        self._add(debit, position, cents)
        self._add(credit, position, -cents)
        patient, encounter, claim = transfer.patient, transfer.encounter, transfer.claim
        self.patients.add(
            None if patient is None else patient.unmasked, position, debit, credit, cents
        )
        self.encounters.add(
            None if encounter is None else encounter.value, position, debit, credit, cents
        )
        self.claims.add(None if claim is None else claim.value, position, debit, credit, cents)
        if transfer.reverses is not None:
            _extend(self.reversed, transfer.reverses.value, position, cents)
        self.cents.append(cents)
        self.debits.append(debit)
        self.credits.append(credit)
        self.by_id[transfer.id.value] = position
        self.log.append(transfer)

    def balance(self, account: int, length: int) -> int:
        """The balance (debit positive) of ``account`` over the first ``length`` postings."""
        positions = self.positions[account]
        values = self.values[account]
        # Read the values first: a concurrent append writes its value before its position.
        count = min(len(positions), len(values))
        if count and positions[count - 1] < length:
            return values[count - 1]
        found = bisect_left(positions, length, 0, count)
        return values[found - 1] if found else 0

    def reference_positions(self, chain: _Chain, ref: str, length: int) -> _Series:
        """The positions below ``length`` of the transfers that carry ``ref``, in order."""
        table = chain.heavy.get(ref)
        if table is not None:
            found = table[_POSITIONS]
            return found[:bisect_left(found, length)]
        positions = chain.walk(ref, length)
        if len(positions) > _HEAVY:
            self._promote(chain, ref)
        return positions

    def _promote(self, chain: _Chain, ref: str) -> None:
        """Give ``ref`` its own table in ``chain`` (see :class:`_Chain`)."""
        with self.lock:  # no posting meanwhile: the table is whole when it appears
            if ref in chain.heavy:
                return
            cents, debits, credits = self.cents, self.debits, self.credits
            table: dict[int, _Series] = {_POSITIONS: array("q")}
            for position in chain.walk(ref, len(self.log)):
                _grow(table, position, debits[position], credits[position], cents[position])
            chain.heavy[ref] = table

    def reference_balance(self, chain: _Chain, ref: str, account: int, length: int) -> int:
        """The balance (debit positive) of ``account`` over the first ``length`` postings
        that carry ``ref``."""
        positions = self.reference_positions(chain, ref, length)
        table = chain.heavy.get(ref)
        if table is not None:
            return _value(table.get(account), length)
        cents, debits, credits = self.cents, self.debits, self.credits
        total = 0
        for position in positions:
            if debits[position] == account:
                total += cents[position]
            elif credits[position] == account:
                total -= cents[position]
        return total

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
    whatever the ledger's size (by patient, encounter or claim: time in what that
    reference holds); reading an older version's account balance takes a binary search,
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

    @classmethod
    def merge(cls, *ledgers: Ledger) -> Ledger:
        """One ledger holding the transfers of ``ledgers``, in order: the combine step
        of a ledger partitioned by patient account (or by payer).

        Posting partitions apart and merging gives the same balances as posting
        everything into one ledger, as long as a reversal is in the same partition as
        (or a later one than) what it reverses. A transfer in two partitions with the
        same content is kept once; the same id with other content raises
        :class:`~claimcore.errors.DuplicateTransfer`; ledgers in different currencies
        raise :class:`~claimcore.errors.PostingError`. Every transfer is checked again,
        as :func:`post` does.

        >>> Ledger.merge(Ledger(), Ledger())
        <Ledger of 0 transfers in USD>
        """
        for i, ledger in enumerate(ledgers):
            instance(ledger, Ledger, f"$.ledgers[{i}]")
        currencies = {ledger.currency for ledger in ledgers}
        if len(currencies) > 1:
            raise PostingError(f"cannot merge ledgers in {', '.join(sorted(currencies))}")
        currency = currencies.pop() if currencies else USD
        if len(ledgers) == 1:
            return ledgers[0]
        return cls.from_transfers((t for ledger in ledgers for t in ledger), currency)

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
        return Money._trusted_cents(cents, self._currency)

    def _references(
        self,
        *,
        patient: MedicalRecordNumber | None = None,
        encounter: EncounterId | None = None,
        claim: ClaimId | None = None,
    ) -> tuple[_Chain, str]:
        """The table and the key of the one reference given (checked for type)."""
        store = self._store
        if patient is not None:
            return store.patients, instance(patient, MedicalRecordNumber, "$.patient").unmasked
        if encounter is not None:
            return store.encounters, instance(encounter, EncounterId, "$.encounter").value
        return store.claims, instance(claim, ClaimId, "$.claim").value

    def transfers(
        self,
        *,
        account: Account | None = None,
        patient: MedicalRecordNumber | None = None,
        encounter: EncounterId | str | None = None,
        claim: ClaimId | None = None,
        payer: PayerId | None = None,
        code: TransferCode | None = None,
        trace: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> tuple[Transfer, ...]:
        """The posted transfers in posting order, filtered by every criterion given.

        ``payer`` is the payer a transfer belongs to (:attr:`Transfer.payer`: its claim's
        or remittance's payer), so ``transfers(claim=..., payer=..., trace=...)`` finds a
        claim's postings from one remittance. ``since`` and ``until`` bound the transfer
        date (both included). With no criteria: every transfer, which is how a ledger is
        serialised.
        """
        if encounter is not None:
            encounter = _encounter(encounter)
        optional_instance(payer, PayerId, "$.payer")
        store = self._store
        lists: list[_Series] = []
        if account is not None:
            found = store.account_ids.get(instance(account, Account, "$.account"))
            lists.append(_EMPTY_POSITIONS if found is None else store.positions[found])
        if patient is not None:
            chain, key = self._references(patient=patient)
            lists.append(store.reference_positions(chain, key, self._length))
        if encounter is not None:
            chain, key = self._references(encounter=encounter)
            lists.append(store.reference_positions(chain, key, self._length))
        if claim is not None:
            chain, key = self._references(claim=claim)
            lists.append(store.reference_positions(chain, key, self._length))
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
            and (payer is None or t.payer == payer)
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
        encounter: EncounterId | str | None = None,
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
        store = self._store
        found = store.account_ids.get(account)
        cents = 0
        if found is not None and given:
            chain, key = self._references(
                patient=patient, encounter=None if encounter is None else _encounter(encounter),
                claim=claim,
            )
            cents = store.reference_balance(chain, key, found, self._length)
        elif found is not None:
            cents = store.balance(found, self._length)
        if account.normal_side is Side.CREDIT:
            cents = -cents
        return self._money(cents)

    def balances(self) -> Mapping[Account, Money]:
        """The balance of every account that any transfer touched, by account."""
        store = self._store
        out = {
            store.accounts[found]: self.balance(store.accounts[found])
            for found, positions in enumerate(list(store.positions))
            if positions and positions[0] < self._length
        }
        return MappingProxyType(dict(sorted(out.items(), key=lambda kv: kv[0].key)))

    def totals(self) -> Totals:
        """The trial balance: debit balances and credit balances of all accounts (equal)."""
        debits = credits = 0
        store = self._store
        for found in range(len(store.positions)):
            net = store.balance(found, self._length)
            if net > 0:
                debits += net
            else:
                credits -= net
        return Totals(self._money(debits), self._money(credits))

    def _reversed_cents(self, transfer_id: TransferId) -> int:
        return _value(self._store.reversed.get(transfer_id.value), self._length)

    def balances_by_role(
        self,
        *,
        patient: MedicalRecordNumber | None = None,
        encounter: EncounterId | str | None = None,
        claim: ClaimId | None = None,
        payer: PayerId | None = None,
        until: date | None = None,
    ) -> RoleBalances:
        """The selected transfers folded by account role (see :class:`RoleBalances`).

        The one fold of the ledger: charges, cash from payers and from the patient,
        adjustments, write-offs, what payers and the patient owe and what is owed back,
        for the transfers that carry every reference given (all transfers with none),
        dated on or before ``until``. The patient account, statements, FHIR ``Account``
        and patient credit are read from it.
        """
        return role_balances(self, self.transfers(
            patient=patient, encounter=encounter, claim=claim, payer=payer, until=until,
        ))

    def balances_by_encounter(
        self,
        *,
        patient: MedicalRecordNumber | None = None,
        claim: ClaimId | None = None,
        payer: PayerId | None = None,
        until: date | None = None,
    ) -> Mapping[EncounterId | None, RoleBalances]:
        """:meth:`balances_by_role` for each encounter of the selection (``None``: the
        transfers that name no encounter), in order of each encounter's first transfer.

        A statement's items and a patient's open items are read this way: one pass over
        the patient's transfers.
        """
        return role_balances_by_encounter(self, self.transfers(
            patient=patient, claim=claim, payer=payer, until=until,
        ))

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
        return aging(self, as_of, buckets)

    def encounter_summary(self, encounter: EncounterId | str) -> EncounterSummary:
        """Where the money of ``encounter`` stands (see :class:`EncounterSummary`).

        Read from :meth:`balances_by_role`: payer paid is the net cash exchanged with A/R
        payer accounts; patient paid the net cash exchanged with any other account (A/R
        patient, patient credits, refunds). Adjustments are grouped by the group and
        reason the transfers carry (a reversal without them takes its original's); an
        adjustment without a group counts as CO in the contractual allowance and OA in
        other adjustments.
        """
        return encounter_summary(self, _encounter(encounter))


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
