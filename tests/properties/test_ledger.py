"""Laws of the ledger: double entry, idempotence, persistence, and balances as folds."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from claimcore.ids import TransferId
from claimcore.ledger import (
    Account,
    AdjustmentTotal,
    AgingReport,
    AgingRow,
    EncounterSummary,
    Ledger,
    PayerBalance,
    Side,
    Totals,
    Transfer,
    WriteOffTotal,
    post,
)
from claimcore.money import Money
from claimcore.serialization import make_converter
from claimcore.strategies import (
    aging_reports,
    dates,
    encounter_summaries,
    ledgers,
    transfer_lists,
    transfers,
)

CONVERTER = make_converter()


def _fold(items: list[Transfer] | tuple[Transfer, ...]) -> dict[object, int]:
    """Balances by brute force: debit-positive cents per account and per reference."""
    out: dict[object, int] = defaultdict(int)
    for t in items:
        cents = t.amount.cents
        for account, sign in ((t.debit, 1), (t.credit, -1)):
            out[account] += sign * cents
            for dimension, ref in (("patient", t.patient), ("encounter", t.encounter),
                                   ("claim", t.claim)):
                if ref is not None:
                    out[account, dimension, ref] += sign * cents
    return out


def _signed(account: Account, cents: int) -> Money:
    value = Money.from_cents(cents)
    return value if account.normal_side is Side.DEBIT else -value


@given(transfers())
def test_every_transfer_balances(transfer: Transfer) -> None:
    """A transfer debits one account and credits another by the same positive amount."""
    assert transfer.debit != transfer.credit
    assert transfer.amount.is_positive()
    folded = _fold([transfer])
    assert folded[transfer.debit] + folded[transfer.credit] == 0


@given(ledgers())
def test_debits_equal_credits(ledger: Ledger) -> None:
    """The trial balance of every ledger balances, and its accounts net to zero."""
    totals = ledger.totals()
    assert totals.debits == totals.credits
    assert totals.balanced is True  # the property, not a bound method (always truthy)
    net = sum(
        balance.cents if account.normal_side is Side.DEBIT else -balance.cents
        for account, balance in ledger.balances().items()
    )
    assert net == 0


@given(transfer_lists())
def test_balances_equal_a_fold_over_all_transfers(items: list[Transfer]) -> None:
    """Every running balance equals the brute-force sum over the transfers."""
    ledger = Ledger.from_transfers(items)
    assert ledger.transfers() == tuple(items)
    folded = _fold(items)
    for key, cents in folded.items():
        if isinstance(key, Account):
            assert ledger.balance(key) == _signed(key, cents)
        else:
            assert isinstance(key, tuple)
            account, dimension, ref = key
            assert isinstance(account, Account)
            assert ledger.balance(account, **{dimension: ref}) == _signed(account, cents)
    assert set(ledger.balances()) == {k for k in folded if isinstance(k, Account)}


@given(transfer_lists(), st.data())
def test_posting_is_idempotent(items: list[Transfer], data: st.DataObject) -> None:
    """Posting transfers that are already there hands back the same ledger."""
    ledger = Ledger.from_transfers(items)
    assert post(ledger, *items) is ledger
    if items:
        again = data.draw(st.lists(st.sampled_from(items), max_size=5))
        assert post(ledger, *again) is ledger
    assert Ledger.from_transfers(items + items) == ledger


@given(transfer_lists(max_size=15), st.data())
def test_old_versions_are_unchanged_and_forks_are_correct(
    items: list[Transfer], data: st.DataObject
) -> None:
    """Every earlier version keeps its content; posting to an old one forks from it."""
    versions = [Ledger()]
    for t in items:
        versions.append(post(versions[-1], t))
    for n, version in enumerate(versions):
        assert version.transfers() == tuple(items[:n])
        assert version == Ledger.from_transfers(items[:n])
        assert version.totals() == Ledger.from_transfers(items[:n]).totals()
    n = data.draw(st.integers(0, len(items)), label="fork at")
    taken = {i.id for i in items}
    new = data.draw(transfers().filter(lambda t: t.id not in taken), label="new")
    fork = post(versions[n], new)
    assert fork.transfers() == (*items[:n], new)
    assert dict(fork.balances()) == dict(Ledger.from_transfers([*items[:n], new]).balances())
    # The versions after n, and n itself, are as they were.
    for m, version in enumerate(versions):
        assert version.transfers() == tuple(items[:m])
    assert versions[-1].totals() == Ledger.from_transfers(items).totals()


@given(ledgers(), st.sampled_from(("E1", "E2", "E3")))
def test_encounter_summary_accounts_for_every_cent(ledger: Ledger, encounter: str) -> None:
    """Charges = payer paid + patient paid + adjustments + write-offs + outstanding."""
    s = ledger.encounter_summary(encounter)
    assert s.charges == (
        s.payer_paid + s.patient_paid + s.adjusted + s.written_off + s.outstanding
    )
    assert s.patient_balance == ledger.balance(Account.ar_patient(), encounter=encounter)


@given(ledgers(), st.none() | st.sampled_from(("E1", "E2", "E3")))
def test_the_fold_by_role_accounts_for_every_cent(ledger: Ledger, encounter: str | None) -> None:
    """Charges + interest = cash - held payer cash + adjusted + written off + outstanding;
    receivables match balance()."""
    money = ledger.balances_by_role(encounter=encounter)
    assert money.charges + money.interest == (
        money.cash - money.held + money.adjusted + money.written_off + money.outstanding
    )
    assert money.held == money.payer_credit + money.unapplied_cash
    assert money.patient_owes == (
        ledger.balance(Account.ar_patient(), encounter=encounter) if encounter
        else ledger.balance(Account.ar_patient())
    )
    if encounter is None:  # the folds per encounter add up to the fold of everything
        parts = ledger.balances_by_encounter().values()
        assert sum(b.charges.cents for b in parts) == money.charges.cents
        assert sum(b.outstanding.cents for b in parts) == money.outstanding.cents


@given(ledgers(), dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)))
def test_aging_rows_total_the_balance_as_of_the_date(ledger: Ledger, as_of: date) -> None:
    """Each aging row's open amounts less unapplied credit is the balance on that date."""
    report = ledger.aging(as_of)
    then = Ledger.from_transfers(ledger.transfers(until=as_of))
    for row in report.rows:
        assert row.total == then.balance(row.account)
    receivables = {a for a in then.balances() if a.is_receivable}
    assert {row.account for row in report.rows} == receivables


def _round_trips(value: Any) -> None:
    assert CONVERTER.structure(CONVERTER.unstructure(value), type(value)) == value


@given(st.one_of(
    st.from_type(Account), st.from_type(Transfer), st.from_type(Totals),
    st.from_type(AgingRow), st.from_type(AdjustmentTotal), st.from_type(WriteOffTotal),
    st.from_type(PayerBalance),
))
def test_small_ledger_values_round_trip(value: Any) -> None:
    """Accounts, transfers and report records survive the converter unchanged."""
    _round_trips(value)


@given(encounter_summaries())
def test_encounter_summaries_round_trip(summary: EncounterSummary) -> None:
    """An encounter summary survives the converter unchanged."""
    _round_trips(summary)


@given(aging_reports())
def test_aging_reports_round_trip(report: AgingReport) -> None:
    """An aging report survives the converter unchanged."""
    _round_trips(report)


@given(ledgers())
def test_a_ledger_round_trips_as_its_transfers(ledger: Ledger) -> None:
    """A ledger travels as its list of transfers and comes back equal."""
    data = CONVERTER.unstructure(ledger.transfers())
    back = CONVERTER.structure(data, tuple[Transfer, ...])
    assert Ledger.from_transfers(back) == ledger


def test_transfer_ids_in_a_list_are_unique() -> None:
    """The generated lists never reuse an id (so they post without DuplicateTransfer)."""

    @given(transfer_lists())
    def check(items: list[Transfer]) -> None:
        ids: list[TransferId] = [t.id for t in items]
        assert len(ids) == len(set(ids))

    check()


@given(transfer_lists(), st.data())
def test_merging_partitions_gives_the_balances_of_one_ledger(
        items: list[Transfer], data: st.DataObject) -> None:
    """Route the transfers to partitions (a reversal with what it reverses, as routing by
    patient account does), post each apart, merge: the same balances, totals and
    transfers as posting everything into one ledger, to the cent."""
    one = Ledger.from_transfers(items)
    root: dict[TransferId, TransferId] = {}
    for t in items:
        root[t.id] = root[t.reverses] if t.reverses is not None else t.id
    count = data.draw(st.integers(1, 4), label="partitions")
    route = {r: data.draw(st.integers(0, count - 1)) for r in dict.fromkeys(root.values())}
    groups: list[list[Transfer]] = [[] for _ in range(count)]
    for t in items:
        groups[route[root[t.id]]].append(t)
    parts = [Ledger.from_transfers(g) for g in groups]
    merged = Ledger.merge(*parts)
    assert merged.balances() == one.balances()
    assert merged.totals() == one.totals()
    assert sorted(t.id.value for t in merged) == sorted(t.id.value for t in one)
    # A partition given twice changes nothing: the same content is kept once.
    assert Ledger.merge(*parts, *parts).balances() == one.balances()
