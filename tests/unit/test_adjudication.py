"""The deterministic payer: worked claims, every CARC it sends, and the 835 it remits."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from claimcore.adjudication import (
    Accumulators,
    Adjudicated,
    BenefitMaximum,
    CarveOut,
    Contract,
    MaximumUse,
    MultipleProcedureReduction,
    PayerRules,
    ServiceTypeRule,
    adjudicate,
    interest,
    recoupment,
    remit,
)
from claimcore.charges import FeePrice, FeeSchedule
from claimcore.claims import (
    ClaimStatus,
    LineAdjudication,
    MueEntry,
    MueIndicator,
    MueTable,
    NcciEdit,
    NcciModifierIndicator,
    NcciTable,
    OtherPayer,
)
from claimcore.codes import CPT, RARC, ClaimStatusCode
from claimcore.coverage import Accumulator, Copay, NetworkBenefits
from claimcore.errors import ValidationError
from claimcore.ids import ClaimId
from claimcore.money import Money, Rate
from claimcore.periods import Period
from claimcore.posting import CobMethod, post_remittance
from claimcore.remittance import ProviderAdjustmentReason, ServicePayment
from claimcore.x12 import ControlNumbers, read_835, write_835
from tests.unit.test_posting import (
    ACME,
    DOS,
    MEDICARE,
    MRN,
    PAYEE,
    PRIMARY,
    SECONDARY,
    adj,
    coverage,
    make_claim,
    usd,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"  # copies of ../shared/fixtures
YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
FEES = FeeSchedule(
    name="Acme 2026", effective=YEAR,
    prices=[FeePrice(code=CPT("99214"), modifier=None, price=usd("150.00")),
            FeePrice(code=CPT("80053"), modifier=None, price=usd("40.00")),
            FeePrice(code=CPT("36415"), modifier=None, price=usd("10.00")),
            FeePrice(code=CPT("97110"), modifier=None, price=usd("30.00"))],
)
BENEFITS = NetworkBenefits(
    individual_deductible=Accumulator(limit=usd("500.00"), met=usd("450.00")),
    family_deductible=Accumulator(limit=usd("1000.00"), met=usd("450.00")),
    individual_out_of_pocket=Accumulator(limit=usd("3000.00"), met=usd("450.00")),
    coinsurance=Rate.percent(20),
)
RULES = PayerRules(payer=ACME, contract=Contract(fee_schedule=FEES), benefits=BENEFITS,
                   coverage_period=Period(date(2025, 1, 1)))
ON = date(2026, 3, 18)


def codes(decided: Adjudicated) -> list[list[str]]:
    """Each line's adjustments as ``GROUP-CARC amount``."""
    return [[f"{a.group.value}-{a.reason.code} {a.amount.amount}" for a in s.adjustments]
            for s in decided.payment.services]


def test_primary_prices_by_the_schedule_and_shares_cost_with_the_member() -> None:
    """CO-45 above the schedule, PR-1 for the 50.00 deductible left, PR-2 at 20%."""
    decided = adjudicate(make_claim(), RULES, on=ON)

    assert codes(decided) == [["CO-45 25.00", "PR-1 50.00", "PR-2 20.00"],
                              ["CO-45 20.00", "PR-2 8.00"]]
    assert [s.paid for s in decided.payment.services] == [usd("80.00"), usd("32.00")]
    assert [s.allowed for s in decided.payment.services] == [usd("150.00"), usd("40.00")]
    assert decided.payment.paid == usd("112.00")
    assert decided.payment.patient_responsibility == usd("78.00")
    assert decided.payment.status is ClaimStatusCode.PROCESSED_AS_PRIMARY
    assert decided.accumulators.deductible == usd("500.00")
    assert decided.accumulators.family_deductible == usd("500.00")
    assert decided.accumulators.out_of_pocket == usd("528.00")
    assert decided.findings == ()


def test_the_same_claim_and_rules_give_the_same_answer() -> None:
    """Deterministic: no clock, no randomness, the same payer claim number."""
    assert adjudicate(make_claim(), RULES, on=ON) == adjudicate(make_claim(), RULES, on=ON)


def test_accumulators_carry_from_one_claim_to_the_next() -> None:
    """After the first claim meets the deductible, the second pays no PR-1."""
    first = adjudicate(make_claim(), RULES, on=ON)
    second = adjudicate(make_claim(claim_id=ClaimId("DR0303B")), RULES, on=ON,
                        accumulators=first.accumulators)

    assert codes(second) == [["CO-45 25.00", "PR-2 30.00"], ["CO-45 20.00", "PR-2 8.00"]]
    assert second.payment.paid == usd("152.00")


def test_a_copay_of_the_service_type_is_pr_3() -> None:
    """An office-visit copay (service type 98) replaces deductible and coinsurance."""
    benefits = attrs.evolve(BENEFITS, copays=[Copay(service_type="98", amount=usd("25.00"))])
    rules = attrs.evolve(RULES, benefits=benefits,
                         service_types=[ServiceTypeRule(codes={CPT("99214")},
                                                        service_type="98")])
    decided = adjudicate(make_claim(), rules, on=ON)

    assert codes(decided)[0] == ["CO-45 25.00", "PR-3 25.00"]
    assert decided.payment.services[0].paid == usd("125.00")


def test_out_of_pocket_maximum_caps_what_the_member_pays() -> None:
    """With 10.00 left to the out-of-pocket cap, the member's share stops there."""
    benefits = attrs.evolve(BENEFITS, individual_out_of_pocket=Accumulator(
        limit=usd("460.00"), met=usd("450.00")))
    decided = adjudicate(make_claim(), attrs.evolve(RULES, benefits=benefits), on=ON)

    assert decided.payment.patient_responsibility == usd("10.00")
    assert decided.accumulators.out_of_pocket == usd("460.00")
    assert decided.payment.paid == usd("180.00")


def test_family_deductible_stops_the_member_deductible() -> None:
    """The family has 20.00 of deductible left: the member pays only that."""
    benefits = attrs.evolve(BENEFITS, family_deductible=Accumulator(
        limit=usd("1000.00"), met=usd("980.00")))
    decided = adjudicate(make_claim(), attrs.evolve(RULES, benefits=benefits), on=ON)

    assert codes(decided)[0] == ["CO-45 25.00", "PR-1 20.00", "PR-2 26.00"]
    assert decided.accumulators.family_deductible == usd("1000.00")


# -- the Medicare secondary case -------------------------------------------------------


def _worked_case() -> dict[str, str]:
    cases = json.loads((FIXTURES / "adjudication" / "worked_examples.json").read_text())
    (case,) = [c for c in cases if c["id"] == "CFR-411.33b-MSP"]
    inputs: dict[str, str] = case["inputs"]
    return {**inputs, "expected": case["expected"]["medicare_secondary_payment"]}


def test_medicare_secondary_pays_30_in_the_42_cfr_411_33_b_case() -> None:
    """Charge 175, primary allowed 150 and paid 120, Medicare fee 125, deductible met."""
    case = _worked_case()
    primary_line = LineAdjudication(line_number=1, paid=usd(case["primary_paid"]), adjustments=[
        adj("CO", "45", "25.00"), adj("PR", "2", "30.00")])
    claim = attrs.evolve(
        make_claim([("99214", case["charge"])], cov=coverage(MEDICARE, SECONDARY.order),
                   status=ClaimStatus.DRAFT),
        other_payers=[OtherPayer(coverage=PRIMARY, paid=usd(case["primary_paid"]),
                                 lines=[primary_line], adjudicated_on=date(2026, 3, 10))],
    )
    medicare = PayerRules(
        payer=MEDICARE,
        contract=Contract(fee_schedule=FeeSchedule(
            name="MPFS 2026", effective=YEAR,
            prices=[FeePrice(code=CPT("99214"), modifier=None,
                             price=usd(case["medicare_fee_schedule"]))])),
        benefits=NetworkBenefits(
            individual_deductible=Accumulator(limit=usd("257.00"), met=usd("257.00")),
            coinsurance=Rate(1 - Decimal(case["medicare_rate"]))),
        coverage_period=Period(date(2020, 1, 1)), cob=CobMethod.MEDICARE_SECONDARY,
    )
    decided = adjudicate(claim, medicare, on=ON)

    assert decided.payment.paid == usd(case["expected"]) == usd("30.00")
    assert decided.payment.status is ClaimStatusCode.PROCESSED_AS_SECONDARY
    assert codes(decided) == [["OA-23 145.00"]]
    assert decided.payment.patient_responsibility == usd("0.00")


def test_a_secondary_leaves_the_patient_what_it_does_not_cover() -> None:
    """Standard COB pays the primary's 30.00 coinsurance only up to its own benefit."""
    primary_line = LineAdjudication(line_number=1, paid=usd("120.00"), adjustments=[
        adj("CO", "45", "25.00"), adj("PR", "1", "10.00"), adj("PR", "2", "20.00")])
    claim = attrs.evolve(
        make_claim([("99214", "175.00")], cov=coverage(ACME, SECONDARY.order)),
        coverage=attrs.evolve(coverage(ACME, SECONDARY.order)),
        other_payers=[OtherPayer(coverage=coverage(MEDICARE), paid=usd("120.00"),
                                 lines=[primary_line], adjudicated_on=date(2026, 3, 10))],
    )
    rules = attrs.evolve(RULES, contract=Contract(fee_schedule=FeeSchedule(
        name="low", effective=YEAR,
        prices=[FeePrice(code=CPT("99214"), modifier=None, price=usd("30.00"))])))
    decided = adjudicate(claim, rules, on=ON)

    # Its normal benefit is nothing: the 30.00 it allows all goes to its own deductible,
    # so the patient keeps both parts of the primary's share.
    assert decided.payment.paid == usd("0.00")
    assert codes(decided) == [["PR-1 10.00", "PR-2 20.00", "OA-23 145.00"]]


# -- edits and the CARC they send --------------------------------------------------------


def test_a_claim_filed_late_is_co_29() -> None:
    """Acme allows 180 days: a claim first submitted 200 days after service is late."""
    late = make_claim(status=ClaimStatus.DRAFT, on=date(2025, 8, 1))
    decided = adjudicate(late, RULES, on=date(2026, 2, 17))

    assert codes(decided) == [["CO-29 175.00"], ["CO-29 60.00"]]
    assert decided.payment.paid == usd("0.00")
    assert decided.payment.status is ClaimStatusCode.PROCESSED_AS_PRIMARY
    assert [f.carc.code if f.carc else None for f in decided.findings] == ["29", "29"]


def test_service_outside_the_coverage_period_is_co_26_or_co_27() -> None:
    """Before the coverage starts: CO-26; after it ends: CO-27."""
    starts_late = attrs.evolve(RULES, coverage_period=Period(date(2026, 4, 1)))
    ended = attrs.evolve(RULES, coverage_period=Period(date(2025, 1, 1), date(2026, 2, 28)))

    assert codes(adjudicate(make_claim(), starts_late, on=ON))[0] == ["CO-26 175.00"]
    assert codes(adjudicate(make_claim(), ended, on=ON))[0] == ["CO-27 175.00"]


def test_non_covered_codes_and_missing_authorizations() -> None:
    """CO-96 (remark N130) for a code the plan excludes; CO-197 without an authorization."""
    rules = attrs.evolve(RULES, non_covered={CPT("80053")},
                         authorization_required={CPT("99214")})
    decided = adjudicate(make_claim(), rules, on=ON)

    assert codes(decided) == [["CO-197 175.00"], ["CO-96 60.00"]]
    assert decided.payment.services[1].remarks == (RARC("N130"),)
    with_auth = attrs.evolve(make_claim(), prior_authorization="AUTH123")
    assert codes(adjudicate(with_auth, rules, on=ON))[0][0] == "CO-45 25.00"
    on_file = attrs.evolve(rules, authorizations={"AUTH999"})
    assert codes(adjudicate(with_auth, on_file, on=ON))[0] == ["CO-197 175.00"]


def test_ncci_pair_bundles_the_column_2_line_unless_a_modifier_may_and_does_bypass() -> None:
    """80053 with 36415: the venipuncture is CO-97; with 59 under indicator 1 it is paid."""
    pair = NcciEdit(column1=CPT("80053"), column2=CPT("36415"), effective=Period(
        date(2020, 1, 1)), modifier_indicator=NcciModifierIndicator.ALLOWED)
    rules = attrs.evolve(RULES, ncci=NcciTable(edits=[pair]))
    claim = make_claim([("80053", "60.00"), ("36415", "15.00")])

    assert codes(adjudicate(claim, rules, on=ON))[1] == ["CO-97 15.00"]
    bypass = make_claim([("80053", "60.00"), ("36415", "15.00")], modifiers=[(), ("59",)])
    assert codes(adjudicate(bypass, rules, on=ON))[1][0] == "CO-45 5.00"


def test_mue_over_the_units_is_co_151() -> None:
    """At most one 99214 a day: the second line is CO-151."""
    mue = MueTable(entries=[MueEntry(code=CPT("99214"), max_units=1, effective=Period(
        date(2020, 1, 1)), adjudication_indicator=MueIndicator.DATE_OF_SERVICE_POLICY)])
    claim = make_claim([("99214", "175.00"), ("99214", "175.00")], modifiers=[(), ("25",)])
    decided = adjudicate(claim, attrs.evolve(RULES, mue=mue), on=ON)

    assert codes(decided)[1] == ["CO-151 175.00"]


def test_benefit_maximum_cuts_units_past_it_with_co_119() -> None:
    """20 therapy units a year, 19 used: of a 3-unit line, 2 units are CO-119."""
    rules = attrs.evolve(RULES, maximums=[BenefitMaximum(name="pt", codes={CPT("97110")},
                                                           units=20)])
    claim = attrs.evolve(make_claim([("97110", "150.00")]),
                         lines=[attrs.evolve(make_claim([("97110", "150.00")]).lines[0],
                                             units=Decimal(3))])
    used = Accumulators(deductible=usd("500.00"), family_deductible=usd("500.00"),
                        out_of_pocket=usd("500.00"), maximums=[MaximumUse("pt", Decimal(19))])
    decided = adjudicate(claim, rules, on=ON, accumulators=used)

    assert codes(decided) == [["CO-119 100.00", "CO-45 20.00", "PR-2 6.00"]]
    assert decided.payment.paid == usd("24.00")
    assert decided.accumulators.used("pt") == Decimal(20)
    again = adjudicate(claim, rules, on=ON, accumulators=decided.accumulators)
    assert codes(again) == [["CO-119 150.00"]]


def test_multiple_procedure_reduction_is_co_59() -> None:
    """Two listed procedures on one day: the lower one is paid at 50% (CO-59)."""
    rules = attrs.evolve(RULES, contract=Contract(
        fee_schedule=FEES, multiple_procedure=MultipleProcedureReduction(
            codes={CPT("99214"), CPT("80053")})))
    decided = adjudicate(make_claim(), attrs.evolve(rules, benefits=NetworkBenefits()), on=ON)

    assert codes(decided) == [["CO-45 25.00"], ["CO-45 20.00", "CO-59 20.00"]]


def test_carve_outs_and_percent_of_charge() -> None:
    """A carved-out code at a flat price; codes off the schedule at 60% of charge."""
    contract = Contract(fee_schedule=FEES, percent_of_charge=Rate.percent(60),
                        carve_outs=[CarveOut(code=CPT("80053"), price=usd("12.00"))])
    rules = attrs.evolve(RULES, contract=contract, benefits=NetworkBenefits())
    decided = adjudicate(make_claim([("80053", "60.00"), ("93000", "50.00")]), rules, on=ON)

    assert [s.allowed for s in decided.payment.services] == [usd("12.00"), usd("30.00")]


def test_a_line_no_contract_prices_is_co_16_with_m51() -> None:
    """A code missing from the schedule, with no other basis, is denied, not raised."""
    decided = adjudicate(make_claim([("93000", "50.00")]), RULES, on=ON)

    assert codes(decided) == [["CO-16 50.00"]]
    assert decided.payment.services[0].remarks == (RARC("M51"),)
    assert decided.findings[0].edit_id == "unpriced"


def test_someone_elses_member_is_status_4_co_31() -> None:
    """A claim for another payer's member: denied, patient not recognised."""
    decided = adjudicate(make_claim(cov=SECONDARY), RULES, on=ON)

    assert decided.payment.status is ClaimStatusCode.DENIED
    assert codes(decided) == [["CO-31 175.00"], ["CO-31 60.00"]]
    assert decided.denied


def test_a_claim_that_cannot_be_decided_is_denied_with_the_reason() -> None:
    """A schedule in euros for a claim in dollars: CO-16, MA130 and a finding, no raise."""
    euros = FeeSchedule(name="EUR", effective=YEAR, prices=[
        FeePrice(code=CPT("99214"), modifier=None, price=Money(Decimal("100.00"), "EUR"))])
    rules = attrs.evolve(RULES, contract=Contract(fee_schedule=euros))
    decided = adjudicate(make_claim([("99214", "175.00")]), rules, on=ON)

    assert codes(decided) == [["CO-16 175.00"]]
    assert decided.payment.remarks == (RARC("MA130"),)
    assert decided.findings[0].edit_id == "undecidable"
    assert "cannot be decided" in decided.findings[0].message


def test_accumulators_past_the_limits_are_refused() -> None:
    """Bad input is an error: met amounts beyond the rules' limits."""
    with pytest.raises(ValidationError, match="past the limits"):
        adjudicate(make_claim(), RULES, on=ON,
                   accumulators=Accumulators(deductible=usd("900.00")))


# -- the 835 -----------------------------------------------------------------------------


def test_remit_balances_writes_and_reads_back_as_the_same_835() -> None:
    """Two claims in one 835, with a recoupment and interest; write_835 and back."""
    first = adjudicate(make_claim(), RULES, on=ON)
    second = adjudicate(make_claim(claim_id=ClaimId("DR0303B")), RULES, on=ON,
                        accumulators=first.accumulators)
    plb = [recoupment(usd("10.00"), claim=ClaimId("OLD1")), interest(usd("1.25"))]
    remittance = remit([first, second], payer=ACME, payee=PAYEE, paid_on=date(2026, 3, 19),
                       trace="ACH0319001", provider_adjustments=plb)

    assert remittance.payment == usd("112.00") + usd("152.00") - usd("10.00") + usd("1.25")
    assert [p.reason for p in remittance.provider_adjustments] == [
        ProviderAdjustmentReason.OVERPAYMENT_RECOVERY, ProviderAdjustmentReason.INTEREST_OWED]
    numbers = ControlNumbers(interchange=1, group=1, transaction=1)
    text = write_835([remittance], control_numbers=numbers,
                     at=datetime(2026, 3, 19, 8, tzinfo=UTC))
    (back,) = read_835(text)
    assert back.payment == remittance.payment
    assert [c.paid for c in back.claims] == [usd("112.00"), usd("152.00")]


def test_remit_carries_a_negative_balance_forward() -> None:
    """A recoupment larger than the payments: PLB FB, payment zero, method NON."""
    decided = adjudicate(make_claim(), RULES, on=ON)
    remittance = remit(decided, payer=ACME, payee=PAYEE, paid_on=ON, trace="T1",
                       provider_adjustments=[recoupment(usd("200.00"), claim=ClaimId("X1"))])

    assert remittance.payment == usd("0.00")
    assert remittance.provider_adjustments[-1].reason is (
        ProviderAdjustmentReason.FORWARDING_BALANCE)
    assert remittance.provider_adjustments[-1].amount == usd("-88.00")


def test_remit_refuses_another_payers_decision() -> None:
    """A decision of Acme cannot go out on Medicare's 835."""
    decided = adjudicate(make_claim(), RULES, on=ON)
    with pytest.raises(ValidationError, match="another payer"):
        remit(decided, payer=MEDICARE, payee=PAYEE, paid_on=ON, trace="T1")


def test_posting_a_simulated_835_records_the_adjudication() -> None:
    """The simulator's 835 posts like a real one: the claim is adjudicated, cash 112.00."""
    claim = make_claim()
    remittance = remit(adjudicate(claim, RULES, on=ON), payer=ACME, payee=PAYEE,
                       paid_on=ON, trace="ACH1")
    from claimcore.ledger import Ledger
    from claimcore.posting import post_charges

    ledger = post_charges(Ledger(), claim, on=DOS, encounter="ENC-1")
    result = post_remittance(ledger, [claim], remittance, coverages={MRN: (PRIMARY,)})

    assert result.claims[0].status is ClaimStatus.ADJUDICATED
    assert result.ledger.balances_by_role().payer_paid == usd("112.00")
    assert isinstance(result.ledger.balances_by_role().charges, Money)


def test_service_payment_lines_carry_the_line_number() -> None:
    """REF*6R echoes the claim line number, so posting matches every line."""
    decided = adjudicate(make_claim(), RULES, on=ON)
    assert all(isinstance(s, ServicePayment) for s in decided.payment.services)
    assert [s.line_ref for s in decided.payment.services] == ["1", "2"]
