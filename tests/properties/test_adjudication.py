"""Laws of the payer in a box: balanced 835s, money conserved, accumulators within limits."""

from __future__ import annotations

from datetime import UTC, date, datetime

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcore.adjudication import (
    Adjudicated,
    Contract,
    PayerRules,
    adjudicate,
    remit,
)
from claimcore.charges import FeePrice, FeeSchedule
from claimcore.claims import Claim, LineAdjudication, OtherPayer
from claimcore.codes import CPT, AdjustmentGroup
from claimcore.coverage import NetworkBenefits
from claimcore.ids import NPI, ClaimId
from claimcore.ledger import Ledger
from claimcore.money import Money, Rate
from claimcore.periods import Period
from claimcore.posting import CobMethod, post_charges, post_remittance
from claimcore.remittance import Payee
from claimcore.strategies import RevenueCycle, claims, payer_rules, revenue_cycles
from claimcore.x12 import ControlNumbers, read_835, write_835
from tests.unit.test_posting import MEDICARE, PRIMARY, SECONDARY, adj, coverage, make_claim

PAYEE = Payee(name="Springfield Clinic", npi=NPI("1234567893"))
ON = date(2026, 6, 1)
SLOW = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _own(claim: Claim, rules: PayerRules) -> PayerRules:
    return attrs.evolve(rules, payer=claim.coverage.payer)


def _check_line_balances(decided: Adjudicated) -> None:
    for s in decided.payment.services:
        assert s.charge - s.adjustments_total() == s.paid


@SLOW
@given(claims(), st.data())
def test_any_claim_under_any_rules_gives_a_balanced_835(claim: Claim, data: st.DataObject,
                                                        ) -> None:
    """Line, claim and remittance balance; the 835 writes and reads back the same."""
    rules = _own(claim, data.draw(payer_rules(codes=("99213", "99214", "80053"))))
    decided = adjudicate(claim, rules, on=ON)
    _check_line_balances(decided)
    payment = decided.payment
    assert payment.charge - payment.adjustments_total() == payment.paid
    assert payment.charge == claim.total_charge
    assert not payment.paid.is_negative()
    remittance = remit(decided, payer=rules.payer, payee=PAYEE, paid_on=ON, trace="T1")
    assert remittance.payment == payment.paid
    text = write_835([remittance], control_numbers=ControlNumbers(
        interchange=1, group=1, transaction=1), at=datetime(2026, 6, 1, tzinfo=UTC))
    (back,) = read_835(text)
    assert back.payment == remittance.payment
    assert [c.paid for c in back.claims] == [payment.paid]


@SLOW
@given(payer_rules(codes=("99213", "99214", "80053", "36415")),
       st.lists(st.lists(st.sampled_from(("99213", "99214", "80053", "36415")), min_size=1,
                         max_size=3, unique=True), min_size=1, max_size=4),
       st.lists(st.integers(1_000, 90_000), min_size=3, max_size=3))
def test_accumulators_never_pass_their_limits(rules: PayerRules, bills: list[list[str]],
                                              cents: list[int]) -> None:
    """Claim after claim, what is met stays within the deductible and out-of-pocket caps,
    and what the member pays never exceeds the out-of-pocket room."""
    rules = attrs.evolve(rules, payer=PRIMARY.payer)
    acc = None
    for n, codes in enumerate(bills):
        claim = make_claim([(c, str(Money.from_cents(cents[i % 3]).amount))
                            for i, c in enumerate(codes)],
                           claim_id=ClaimId(f"C{n}"))
        decided = adjudicate(claim, rules, on=ON, accumulators=acc)
        _check_line_balances(decided)
        after = decided.accumulators
        assert after.within(rules.benefits)
        if acc is not None:
            assert after.deductible >= acc.deductible
            assert after.out_of_pocket >= acc.out_of_pocket
        for maximum in rules.maximums:
            assert after.used(maximum.name) <= maximum.units
        acc = after


@SLOW
@given(st.integers(1, 100_000), st.integers(0, 100), st.integers(0, 100),
       st.integers(1, 100_000), st.sampled_from(CobMethod))
def test_a_secondary_never_pays_past_what_the_primary_left(
    charge_cents: int, allowed_pct: int, paid_pct: int, fee_cents: int, method: CobMethod,
) -> None:
    """Whatever the COB method, primary paid + secondary paid stays within the charge."""
    charge = Money.from_cents(charge_cents)
    allowed = Rate.percent(allowed_pct).of(charge)
    paid = Rate.percent(paid_pct).of(allowed)
    adjustments = [a for a in (adj("CO", "45", str((charge - allowed).amount)),
                               adj("PR", "2", str((allowed - paid).amount)))
                   if not a.amount.is_zero()]
    claim = attrs.evolve(
        make_claim([("99214", str(charge.amount))], cov=coverage(MEDICARE, SECONDARY.order)),
        other_payers=[OtherPayer(coverage=PRIMARY, paid=paid, adjudicated_on=ON, lines=[
            LineAdjudication(line_number=1, paid=paid, adjustments=adjustments)])],
    )
    rules = PayerRules(
        payer=MEDICARE, contract=Contract(fee_schedule=FeeSchedule(
            name="fee", effective=Period(date(2020, 1, 1)),
            prices=[FeePrice(code=CPT("99214"),
                             modifier=None, price=Money.from_cents(fee_cents))])),
        benefits=NetworkBenefits(coinsurance=Rate.percent(20)),
        coverage_period=Period(date(2020, 1, 1)), cob=method,
    )
    decided = adjudicate(claim, rules, on=ON)
    _check_line_balances(decided)
    assert paid + decided.payment.paid <= charge
    responsibility = decided.payment.patient_responsibility
    assert responsibility is not None
    assert responsibility <= allowed - paid


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(revenue_cycles())
def test_simulated_cycles_conserve_money(cycle: RevenueCycle) -> None:
    """Whole cycles with simulated payers: every cent of charges is accounted for, and
    every 835 the simulator sent balances."""
    money = cycle.account.ledger.balances_by_role()
    assert cycle.account.ledger.totals().balanced
    assert money.charges == (money.payer_paid + money.patient_paid + money.adjusted
                             + money.written_off + money.outstanding)
    for remittance in cycle.remittances:
        assert remittance.claims_paid() - remittance.provider_adjustments_total() == (
            remittance.payment)
        for cp in remittance.claims:
            assert cp.charge - cp.adjustments_total() == cp.paid


@SLOW
@given(claims(), st.data())
def test_posting_a_simulated_835_conserves_money(claim: Claim, data: st.DataObject) -> None:
    """Charges post, the simulator's 835 posts: the ledger balances and nets to the charge."""
    rules = _own(claim, data.draw(payer_rules()))
    decided = adjudicate(claim, rules, on=ON)
    remittance = remit(decided, payer=rules.payer, payee=PAYEE, paid_on=ON, trace="T9")
    ledger = post_charges(Ledger(), claim, on=claim.service_period.start)
    result = post_remittance(ledger, [claim], remittance,
                             coverages={claim.patient.mrn: (claim.coverage,)})
    money = result.ledger.balances_by_role()
    assert result.ledger.totals().balanced
    assert money.charges == claim.total_charge
    assert money.charges == (money.payer_paid + money.patient_paid + money.adjusted
                             + money.written_off + money.outstanding)
    assert money.payer_paid == decided.payment.paid
    pr = sum((a.amount for a in decided.payment.all_adjustments()
              if a.group is AdjustmentGroup.PATIENT_RESPONSIBILITY), Money.zero())
    assert money.patient_owes <= pr

