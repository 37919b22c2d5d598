"""Every version of a ledger answers every read as a ledger built from its own transfers.

The store keeps compact indexes shared by all versions (positions in arrays, reference
chains, running balances beside the positions): these properties read each older
version, after later postings and after a fork, by every account and reference, and
compare with a brute-force fold over that version's transfers.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from claimcore.ids import ClaimId, EncounterId, MedicalRecordNumber, TransferId
from claimcore.ledger import Account, Ledger, Side, Transfer, TransferCode, _store, post
from claimcore.money import Money
from claimcore.strategies import transfer_lists, transfers


def _signed(account: Account, cents: int) -> Money:
    value = Money.from_cents(cents)
    return value if account.normal_side is Side.DEBIT else -value


def _check_version(version: Ledger, items: list[Transfer], later: list[Transfer]) -> None:
    """``version`` holds exactly ``items``; ``later`` were posted after it elsewhere."""
    assert len(version) == len(items)
    assert tuple(version) == tuple(items)
    for t in items:
        assert version.get(t.id) is t
        assert t.id in version
    for t in later:
        assert version.get(t.id) is None
    accounts = {a for t in items for a in (t.debit, t.credit)}
    accounts |= {a for t in later for a in (t.debit, t.credit)}
    patients = {t.patient for t in (*items, *later) if t.patient is not None}
    encounters = {t.encounter for t in (*items, *later) if t.encounter is not None}
    claims = {t.claim for t in (*items, *later) if t.claim is not None}
    totals: dict[Account, int] = defaultdict(int)
    for t in items:
        totals[t.debit] += t.amount.cents
        totals[t.credit] -= t.amount.cents
    for account in accounts:
        assert version.balance(account) == _signed(account, totals.get(account, 0))
        assert version.transfers(account=account) == tuple(
            t for t in items if account in (t.debit, t.credit)
        )
        for patient in patients:
            _check_reference(version, items, account, "patient", patient)
        for encounter in encounters:
            _check_reference(version, items, account, "encounter", encounter)
        for claim in claims:
            _check_reference(version, items, account, "claim", claim)
    assert dict(version.balances()) == {
        a: _signed(a, c) for a, c in sorted(totals.items(), key=lambda kv: kv[0].key)
    }
    assert list(version.balances()) == sorted(totals, key=lambda a: a.key)
    rebuilt = Ledger.from_transfers(items)
    assert version == rebuilt
    assert version.totals() == rebuilt.totals()


def _check_reference(
    version: Ledger,
    items: list[Transfer],
    account: Account,
    dimension: str,
    ref: MedicalRecordNumber | EncounterId | ClaimId,
) -> None:
    by: dict[str, Any] = {dimension: ref}
    mine = [t for t in items if getattr(t, dimension) == ref]
    cents = sum(t.amount.cents for t in mine if t.debit == account) - sum(
        t.amount.cents for t in mine if t.credit == account
    )
    assert version.balance(account, **by) == _signed(account, cents)
    assert version.transfers(**by) == tuple(mine)
    assert version.transfers(account=account, **by) == tuple(
        t for t in mine if account in (t.debit, t.credit)
    )


@given(transfer_lists(max_size=20), st.data())
def test_every_version_reads_as_its_own_transfers(
    items: list[Transfer], data: st.DataObject
) -> None:
    """Old versions answer balances, references, lookups and filters for their prefix."""
    _versions_read_as_their_transfers(items, data)


@given(transfer_lists(max_size=20), st.data())
def test_every_version_reads_as_its_own_transfers_with_heavy_references(
    items: list[Transfer], data: st.DataObject
) -> None:
    """The same with every reference given its own table at its first read (as a
    reference with many transfers is), and a fork posted afterwards."""
    limit = _store._HEAVY
    _store._HEAVY = 0  # type: ignore[misc]
    try:
        _versions_read_as_their_transfers(items, data)
    finally:
        _store._HEAVY = limit  # type: ignore[misc]


def _versions_read_as_their_transfers(items: list[Transfer], data: st.DataObject) -> None:
    versions = [Ledger()]
    for t in items:
        versions.append(post(versions[-1], t))
    for n, version in enumerate(versions):
        _check_version(version, items[:n], items[n:])
    n = data.draw(st.integers(0, len(items)), label="fork at")
    taken = {t.id for t in items}
    new = data.draw(transfers().filter(lambda t: t.id not in taken), label="new")
    fork = post(versions[n], new)
    _check_version(fork, [*items[:n], new], items[n:])
    for m, version in enumerate(versions):
        _check_version(version, items[:m], [*items[m:], new])


def test_an_old_version_reads_its_balance_after_it_passes_64_bits() -> None:
    """An older version still finds its own balance once the running balance beyond it
    has left 64 bits (the store then keeps Python ints)."""
    biggest = Money.from_cents(999_999_999_999_999)
    ar, revenue = Account.ar_patient(), Account.gross_revenue()
    versions = [Ledger()]
    for i in range(9_300):
        versions.append(post(versions[-1], Transfer(
            id=TransferId(f"big-{i}"), debit=ar, credit=revenue, amount=biggest,
            on=date(2026, 1, 1), code=TransferCode.CHARGE, encounter="E1",
        )))
    for n in (0, 1, 10, 9_000, 9_222, 9_223, 9_300):
        expected = Money._trusted_cents(999_999_999_999_999 * n)  # beyond Money's range
        assert versions[n].balance(ar) == expected
        assert versions[n].balance(revenue) == expected
        assert versions[n].balance(ar, encounter="E1") == expected
        totals = versions[n].totals()
        assert totals.debits == totals.credits == expected


def test_a_long_reference_reads_the_same_before_and_after_it_gets_its_own_table() -> None:
    """A patient with hundreds of transfers: every version, before and after the reads
    that give the patient a table, and a fork made afterwards, read the same."""
    mrn = MedicalRecordNumber("MRN00077")
    ar, revenue, cash = Account.ar_patient(), Account.gross_revenue(), Account.cash()
    items = [
        Transfer(
            id=TransferId(f"t{i}"), debit=ar if i % 3 else cash,
            credit=revenue if i % 3 else ar, amount=Money.from_cents(100 + i),
            on=date(2026, 1, 1), code=TransferCode.CHARGE if i % 3
            else TransferCode.PATIENT_PAYMENT, patient=mrn, encounter=f"E{i % 2}",
        )
        for i in range(300)
    ]
    versions = [Ledger()]
    for t in items[:200]:
        versions.append(post(versions[-1], t))
    for n in (0, 1, 64, 65, 150, 200):  # the first long read gives the patient a table
        _check_version(versions[n], items[:n], items[n:200])
    assert "MRN00077" in versions[-1]._store.patients.heavy
    for t in items[200:]:  # kept up by later postings
        versions.append(post(versions[-1], t))
    for n in (0, 65, 199, 200, 250, 300):
        _check_version(versions[n], items[:n], items[n:])
    fork = post(versions[100], items[250])
    _check_version(fork, [*items[:100], items[250]], items[100:250])
