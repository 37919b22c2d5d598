"""examples/batch_dask.py: the files posted on a Dask cluster, partitioned by patient
account, give the serial loop's ledger balances and KPI figures to the cent."""

from __future__ import annotations

import importlib
import pickle
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcore.ids import ClaimId
from claimcore.ledger import Account
from claimcore.money import Money
from claimcore.remittance import ProviderAdjustmentReason

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def example() -> Iterator[ModuleType]:
    """The example as a module (imported, so that its values pickle by reference)."""
    sys.path.insert(0, str(EXAMPLES))
    try:
        yield importlib.import_module("batch_dask")
    finally:
        sys.path.remove(str(EXAMPLES))


@pytest.fixture(scope="module")
def files(example: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A small population's files: 40 patients, 80 claims, a few 837s and 835s."""
    return example.write_population(tmp_path_factory.mktemp("batch"), 40)


@pytest.fixture(scope="module")
def serial(example: ModuleType, files: Any) -> Any:
    return example.serial(files)


@pytest.fixture(scope="module")
def read(example: ModuleType, files: Any) -> tuple[list[Any], list[Any]]:
    """The claims and remittances of the files, as the serial loop reads them."""
    index = example.load_index(files.patients)
    claims = [c for n, p in enumerate(files.claims)
              for c in example.read_claims((n, str(p)), index)]
    advices = [a for n, p in enumerate(files.remittances)
               for a in example.read_advices((n, str(p)))]
    return claims, advices


def _patient_balances(posted: Any) -> dict[str, dict[str, Money]]:
    """Every patient's balance on every account, read from the ledger."""
    out: dict[str, dict[str, Money]] = {}
    for claim in posted.claims:
        mrn = claim.patient.mrn
        out[mrn.unmasked] = {a.key: posted.ledger.balance(a, patient=mrn)
                             for a in posted.ledger.balances()}
    return out


def _assert_same(one: Any, many: Any) -> None:
    assert many.ledger.balances() == one.ledger.balances()
    assert many.ledger.totals() == one.ledger.totals()
    assert many.ledger.totals().debits == many.ledger.totals().credits
    assert many.figures == one.figures
    assert many.unmatched == one.unmatched
    assert _patient_balances(many) == _patient_balances(one)
    assert sorted(c.id.value for c in many.claims) == sorted(c.id.value for c in one.claims)
    assert ({c.id.value: c.status for c in many.claims}
            == {c.id.value: c.status for c in one.claims})
    # Every transfer a claim posts keeps its serial id; only the unapplied cash of a
    # payment that matches no claim is numbered within its (partial) remittance.
    assert ({t.id.value for t in many.ledger if ":u." not in t.id.value}
            == {t.id.value for t in one.ledger if ":u." not in t.id.value})
    assert len(many.ledger) == len(one.ledger)


def test_the_population_has_what_a_split_must_handle(serial: Any, read: Any) -> None:
    """Interest, recoupments, a denial and a payment for a claim never sent are in it."""
    _, advices = read
    reasons = {plb.reason for a in advices for plb in a.remittance.provider_adjustments}
    assert ProviderAdjustmentReason.INTEREST_OWED in reasons
    assert ProviderAdjustmentReason.OVERPAYMENT_RECOVERY in reasons
    assert serial.unmatched == 1
    assert serial.figures.denied.is_positive()
    assert len(serial.claims) == 80


def test_the_cluster_gives_the_serial_totals_to_the_cent(example: ModuleType, files: Any,
                                                        serial: Any) -> None:
    """Two workers, three patient partitions: the same balances (per account and per
    patient), KPI figures, claims and transfer ids as the serial loop."""
    with example.cluster(2, processes=False) as local, example.client(local):
        many = example.distributed(files, 3)
    _assert_same(serial, many)
    assert example.report(many) == example.report(serial)


def test_the_script_prints_that_both_runs_agree(example: ModuleType, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """``main`` on worker processes (every value pickled): it exits 0 on the equality."""
    assert example.main(["--patients", "12", "--workers", "1", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "The distributed totals equal the serial ones, to the cent."
    assert "Doe" not in "\n".join(lines)


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(data=st.data())
def test_any_split_of_the_population_posts_to_the_same_figures(
        example: ModuleType, read: Any, serial: Any, data: st.DataObject) -> None:
    """Patients drawn into one to four partitions in any way: merged ledgers and combined
    figures equal the serial ones, to the cent."""
    claims, advices = read
    partitions = data.draw(st.integers(1, 4), label="partitions")
    accounts = sorted({c.patient.mrn.unmasked for _, c in claims})
    assign = {a: data.draw(st.integers(0, partitions - 1)) for a in accounts}
    many = example.partitioned(claims, advices, lambda c: assign[c.patient.mrn.unmasked],
                               partitions)
    _assert_same(serial, many)


def test_every_part_of_a_split_remittance_balances(example: ModuleType, read: Any) -> None:
    """The parts pay what the remittance pays; each balances; the PLBs travel together."""
    claims, advices = read
    routes = {c.id.normalized(): i % 3 for i, (_, c) in enumerate(claims)}
    for advice in advices:
        r = advice.remittance
        parts = example.split(advice, routes)
        assert sum((p.remittance.payment for _, p in parts), Money.zero()) == r.payment
        assert sorted(cp.claim.value for _, p in parts for cp in p.remittance.claims) == sorted(
            cp.claim.value for cp in r.claims)
        with_plb = [p for _, p in parts if p.remittance.provider_adjustments]
        assert len(with_plb) == (1 if r.provider_adjustments else 0)
        if with_plb:
            assert with_plb[0].remittance.provider_adjustments == r.provider_adjustments
        for p, part in parts:
            assert all(routes.get(cp.claim.normalized(), p) == p
                       for cp in part.remittance.claims)
            assert (part.remittance.trace, part.remittance.paid_on) == (r.trace, r.paid_on)


def test_a_recoupment_goes_to_the_partition_of_the_claim_it_names(
        example: ModuleType, read: Any) -> None:
    """The PLB WO is posted where its claim (and that claim's payer credit) lives."""
    claims, advices = read
    routes = {c.id.normalized(): i % 4 for i, (_, c) in enumerate(claims)}
    found = 0
    for advice in advices:
        for plb in advice.remittance.provider_adjustments:
            if plb.reason is ProviderAdjustmentReason.OVERPAYMENT_RECOVERY:
                found += 1
                (home,) = [p for p, part in example.split(advice, routes)
                           if part.remittance.provider_adjustments]
                assert home == routes[ClaimId(plb.reference).normalized()]
    assert found


def test_a_recoupment_by_payer_claim_number_finds_its_partition(
        example: ModuleType, read: Any) -> None:
    """A PLB naming a claim by the payer's claim number (CLP07) goes where that claim is,
    as post_remittance finds the claim by that number first."""
    import attrs

    from claimcore.adjudication import recoupment

    claims, advices = read
    routes = {c.id.normalized(): i % 4 for i, (_, c) in enumerate(claims)}
    earlier = advices[0]
    later = [a for a in advices if a.remittance.payer == earlier.remittance.payer][-1]
    target = earlier.remittance.claims[0]
    # The named claim's partition is paid something in the later remittance.
    paid = next(cp for cp in later.remittance.claims if cp.paid.is_positive())
    routes[target.claim.normalized()] = routes[paid.claim.normalized()]
    numbers = dict(pair for a in advices for pair in example.number_entries(a, routes))
    plb = attrs.evolve(recoupment(Money.parse("0.01"), claim=ClaimId("X")),
                       reference=target.payer_claim_number.value)
    odd = attrs.evolve(later.remittance, provider_adjustments=(plb,),
                       payment=later.remittance.claims_paid() - Money.parse("0.01"))
    homes = [p for p, part in example.split(example.Advice(later.order, odd, ()), routes,
                                            numbers)
             if part.remittance.provider_adjustments]
    assert homes == [routes[target.claim.normalized()]]
    assert later is not earlier


def test_a_remittance_that_cannot_be_cut_is_refused(example: ModuleType, read: Any) -> None:
    """Recoupments naming claims of two partitions raise a SplitError, never a guess."""
    import attrs

    from claimcore.adjudication import recoupment

    _, advices = read
    advice = next(a for a in advices if len(a.remittance.claims) > 1)
    first, second = advice.remittance.claims[:2]
    routes = {first.claim.normalized(): 0, second.claim.normalized(): 1}
    plb = (recoupment(Money.parse("1.00"), claim=ClaimId(first.claim.value)),
           recoupment(Money.parse("1.00"), claim=ClaimId(second.claim.value)))
    odd = attrs.evolve(advice.remittance, provider_adjustments=plb,
                       payment=advice.remittance.claims_paid() - Money.parse("2.00"))
    with pytest.raises(example.SplitError, match="different partitions"):
        example.split(example.Advice(advice.order, odd, ()), routes)


def test_what_crosses_the_workers_pickles_back_equal(example: ModuleType, read: Any,
                                                     serial: Any) -> None:
    """Claims, remittances and the posted partitions (ledger, claims, figures) survive a
    pickle round trip equal, as they do between worker processes."""
    claims, advices = read
    for value in (claims, advices, serial, serial.figures, serial.ledger):
        assert pickle.loads(pickle.dumps(value)) == value  # noqa: S301  (our own bytes)
    again = pickle.loads(pickle.dumps(serial.ledger))  # noqa: S301
    assert again.balances() == serial.ledger.balances()
    assert [t.id for t in again] == [t.id for t in serial.ledger]


def test_the_ledger_accounts_of_a_partition_are_its_own(example: ModuleType,
                                                         read: Any) -> None:
    """A partition's ledger holds only its patients' transfers (and the PLB/unapplied
    cash it was given): nothing is posted twice across partitions."""
    claims, advices = read
    assign = {c.patient.mrn.unmasked: i % 2 for i, (_, c) in enumerate(claims)}
    routes = {c.id.normalized(): assign[c.patient.mrn.unmasked] for _, c in claims}
    lists: list[list[Any]] = [[], []]
    for ordered in claims:
        lists[routes[ordered[1].id.normalized()]].append(ordered)
    shares = example.bucket_advices((pa for a in advices for pa in example.split(a, routes)),
                                    2)
    parts = [example.post_all(lists[p], shares[p]) for p in range(2)]
    ids = [{t.id.value for t in part.ledger} for part in parts]
    assert not ids[0] & ids[1]
    for p, part in enumerate(parts):
        patients = {t.patient.unmasked for t in part.ledger if t.patient is not None}
        assert patients <= {a for a, q in assign.items() if q == p}
    cash = Account.cash()
    assert sum((part.ledger.balance(cash) for part in parts), Money.zero()) == sum(
        (a.remittance.payment for a in advices), Money.zero())
