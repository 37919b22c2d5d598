"""Laws of the KPIs: aging sums to A/R, full collection is 100%, partitions combine."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcore.adjudication import Accumulators, PayerRules, adjudicate, remit
from claimcore.claims import Claim
from claimcore.ids import ClaimId
from claimcore.ledger import AgingBasis, AgingGroup, Ledger
from claimcore.metrics import aging_by, combine, figures, receivable_balance
from claimcore.money import Money, Rate
from claimcore.periods import AgingBuckets, Period
from claimcore.posting import post_charges, post_patient_payment, post_remittance
from claimcore.strategies import RevenueCycle, payer_rules, revenue_cycles
from tests.unit.test_posting import ACME, MRN, PAYEE, PRIMARY, make_claim

CYCLES = settings(max_examples=25, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
BOUNDS = st.lists(st.integers(0, 200), min_size=1, max_size=5, unique=True).map(
    lambda edges: AgingBuckets(tuple(sorted(edges))))


@CYCLES
@given(revenue_cycles(), st.sampled_from(AgingGroup), st.sampled_from(AgingBasis), BOUNDS,
       st.integers(0, 200))
def test_aging_buckets_sum_to_the_ar_balance(cycle: RevenueCycle, by: AgingGroup,
                                             basis: AgingBasis, bounds: AgingBuckets,
                                             later: int) -> None:
    """Whatever the grouping, date basis and bounds, the rows add up to what payers and
    the patient owe, to the cent."""
    ledger = cycle.account.ledger
    as_of = cycle.as_of + timedelta(days=later)
    report = aging_by(ledger, cycle.account.claims, as_of=as_of, by=by, basis=basis,
                      buckets=bounds)
    money = ledger.balances_by_role()
    assert report.total == receivable_balance(ledger, as_of=as_of)
    assert report.total == money.payers_owe + money.patient_owes
    assert sum((sum(r.amounts, Money.zero()) for r in report.rows), Money.zero()) == sum(
        report.totals(), Money.zero())


@CYCLES
@given(revenue_cycles(), st.integers(0, 120))
def test_figures_of_any_split_by_encounter_combine_to_the_whole(cycle: RevenueCycle,
                                                                 later: int) -> None:
    """Map-reduce: split the ledger by encounter (anything without one in the first
    part), compute the figures of each part, combine: the figures of the whole."""
    ledger = cycle.account.ledger
    claims = cycle.account.claims
    as_of = cycle.as_of + timedelta(days=later)
    period = Period(date(2026, 1, 1), as_of)
    whole = figures(ledger, claims, as_of=as_of, period=period)
    encounters = sorted({str(t.encounter) for t in ledger if t.encounter is not None})
    first = encounters[0] if encounters else None
    parts = []
    keys: list[str | None] = list(encounters) or [None]
    for encounter in keys:
        part = Ledger.from_transfers(
            t for t in ledger
            if (str(t.encounter) if t.encounter is not None else first) == encounter)
        mine = [c for c in claims
                if (str(c.encounter) if c.encounter is not None else first) == encounter]
        parts.append(figures(part, mine, as_of=as_of, period=period))
    assert combine(*parts) == whole
    assert combine(*reversed(parts)) == whole


def _priced(rules: PayerRules) -> PayerRules:
    contract = rules.contract
    if contract.percent_of_charge is None:
        contract = attrs.evolve(contract, percent_of_charge=Rate.percent(70))
    return attrs.evolve(rules, payer=ACME, contract=contract)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payer_rules(codes=("99213", "99214", "80053", "36415"), edits=False),
       st.lists(st.lists(st.sampled_from(("99213", "99214", "80053", "36415")),
                         min_size=1, max_size=3, unique=True), min_size=1, max_size=3),
       st.lists(st.integers(1_000, 90_000), min_size=3, max_size=3))
def test_net_collection_rate_is_100_percent_when_every_allowed_amount_is_collected(
    rules: PayerRules, bills: list[list[str]], cents: list[int],
) -> None:
    """The payer pays its share, the patient pays theirs, in the period: NCR = 100%."""
    rules = _priced(rules)
    ledger = Ledger()
    claims: list[Claim] = []
    acc: Accumulators | None = None
    paid_on = date(2026, 3, 19)
    for n, codes in enumerate(bills):
        claim = make_claim([(c, str(Money.from_cents(cents[i]).amount))
                            for i, c in enumerate(codes)],
                           claim_id=ClaimId(f"N{n}"), encounter=f"E{n}")
        ledger = post_charges(ledger, claim, on=date(2026, 3, 2))
        decided = adjudicate(claim, rules, on=date(2026, 3, 18), accumulators=acc)
        acc = decided.accumulators
        result = post_remittance(ledger, [claim], remit(
            decided, payer=ACME, payee=PAYEE, paid_on=paid_on, trace=f"T{n}"),
            coverages={MRN: (PRIMARY,)})
        ledger = result.ledger
        claims.extend(result.claims)
    owed = ledger.balances_by_role().patient_owes
    if owed.is_positive():
        ledger = post_patient_payment(ledger, patient=MRN, amount=owed,
                                      on=date(2026, 3, 25), reference="ALL")
    f = figures(ledger, claims, as_of=date(2026, 3, 31),
                period=Period(date(2026, 3, 1), date(2026, 3, 31)))
    if (f.charges - f.contractual).is_positive():
        assert f.net_collection_rate() == Decimal(1)
    assert f.receivable.is_zero()
    assert f.initial_denial_rate() == Decimal(0)
