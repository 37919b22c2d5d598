"""Laws of coverage and eligibility: estimates conserve money, payer order is stable, no PHI."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcore.coverage import (
    Accumulator,
    AppealLevel,
    AppealRules,
    Benefits,
    CobReason,
    Copay,
    Coverage,
    CoverageOrder,
    CoverageRank,
    Network,
    NetworkBenefits,
    Payer,
    Plan,
    ResponsibilityEstimate,
    ServiceType,
    Subscriber,
    TimelyFiling,
    estimate_responsibility,
    order_coverages,
)
from claimcore.eligibility import (
    BenefitInfo,
    BenefitRow,
    CoverageLevel,
    EligibilityInquiry,
    EligibilityResponse,
    Finding,
    InNetwork,
    Rejection,
    TimePeriod,
    Verification,
    VerificationOutcome,
    verify,
)
from claimcore.money import Money
from claimcore.patients import AdministrativeSex, Patient
from claimcore.serialization import make_converter
from claimcore.strategies import (
    benefits,
    coverages,
    dates,
    eligibility_inquiries,
    eligibility_responses,
    medical_record_numbers,
    money,
    person_names,
    subscribers,
    timely_filings,
    verifications,
)

SERVICE_TYPES = st.sampled_from([t.value for t in ServiceType])
ON_DATES = dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
PATIENTS = st.builds(  # only the birth date matters to order_coverages
    Patient, mrn=medical_record_numbers(), name=person_names(),
    birth_date=dates(min_value=date(1930, 1, 1), max_value=date(2020, 1, 1)),
    sex=st.sampled_from(AdministrativeSex),
)


@given(benefits(), money(max_cents=5_000_000), SERVICE_TYPES, st.sampled_from(Network))
def test_estimate_parts_sum_to_the_allowed_amount(
    plan: Benefits, allowed: Money, service_type: str, network: Network
) -> None:
    """Copay + deductible + coinsurance + not covered + payer = allowed, to the cent."""
    est = estimate_responsibility(plan, allowed, service_type=service_type, network=network)
    parts = (est.copay, est.deductible, est.coinsurance, est.not_covered, est.payer)
    assert sum(p.cents for p in parts) == allowed.cents
    assert all(not p.is_negative() for p in parts)


@given(benefits(), money(max_cents=5_000_000), SERVICE_TYPES, st.sampled_from(Network))
def test_patient_share_never_exceeds_what_remains_of_the_out_of_pocket_maximum(
    plan: Benefits, allowed: Money, service_type: str, network: Network
) -> None:
    """The cost sharing stays within the remaining OOP maximum, deductible and copay."""
    est = estimate_responsibility(plan, allowed, service_type=service_type, network=network)
    tier = plan.for_network(network)
    if tier is None:
        assert est.not_covered == allowed
        return
    assert est.not_covered.is_zero()
    cost_sharing = est.copay + est.deductible + est.coinsurance
    cap = tier.remaining_out_of_pocket()
    if cap is not None:
        assert cost_sharing <= cap
        assert est.out_of_pocket_met == (cost_sharing == cap)
    else:
        assert not est.out_of_pocket_met
    assert est.deductible <= tier.remaining_deductible()
    copay = tier.copay_for(service_type)
    assert est.copay <= (copay.amount if copay else Money.zero())


@st.composite
def coverage_sets(draw: st.DrawFn) -> tuple[Patient, list[Coverage], date, list[Coverage]]:
    found = draw(st.lists(coverages(), min_size=1, max_size=5))
    return draw(PATIENTS), found, draw(ON_DATES), draw(st.permutations(found))


@given(coverage_sets())
def test_order_coverages_is_the_same_whatever_the_input_order(
    case: tuple[Patient, list[Coverage], date, list[Coverage]],
) -> None:
    """Any permutation of the coverages gives the same ranks and reasons."""
    patient, found, on, shuffled = case
    assert order_coverages(patient, found, on=on) == order_coverages(patient, shuffled, on=on)
    assert order_coverages(patient, found, on=on) == order_coverages(
        patient, list(reversed(found)), on=on
    )


@given(coverage_sets())
def test_order_coverages_ranks_every_active_coverage_once_in_sequence(
    case: tuple[Patient, list[Coverage], date, list[Coverage]],
) -> None:
    """Active coverages get P, S, T, A... in turn; inactive ones follow with no order."""
    patient, found, on, _ = case
    result = order_coverages(patient, found, on=on)
    def any_order(c: Coverage) -> str:
        return repr(attrs.evolve(c, order=CoverageOrder.from_rank(1)))

    assert sorted(any_order(r.coverage) for r in result) == sorted(map(any_order, found))
    active = [r for r in result if r.order is not None]
    assert all(r.coverage.order is r.order for r in active)
    assert [r.order for r in active] == [CoverageOrder.from_rank(i + 1)
                                         for i in range(len(active))]
    assert all(r.coverage.is_active(on) for r in active)
    rest = result[len(active):]
    assert all(r.reason is CobReason.INACTIVE and not r.coverage.is_active(on) for r in rest)
    if len(active) == 1:
        assert active[0].reason is CobReason.ONLY_COVERAGE


def _phi_of(subscriber: Subscriber) -> list[str]:
    name, born = subscriber.name, subscriber.birth_date
    secrets = [name.family, subscriber.member_id.unmasked, born.isoformat(), repr(born),
               f"{born.year}, {born.month}, {born.day}"]
    secrets += [part for part in (name.given, name.middle) if part]
    if subscriber.address is not None:
        secrets += [*subscriber.address.lines, subscriber.address.city]
    return secrets


@given(subscribers())
def test_subscriber_repr_and_str_hold_no_phi(subscriber: Subscriber) -> None:
    """No name, birth date, address line or member id shows in repr or str."""
    for shown in (repr(subscriber), str(subscriber)):
        for secret in _phi_of(subscriber):
            assert secret not in shown


@given(coverages())
def test_coverage_repr_and_str_hold_no_phi(coverage: Coverage) -> None:
    """A coverage, and values holding one, show none of the subscriber's PHI."""
    secrets = [*_phi_of(coverage.subscriber), coverage.member_id.unmasked]
    rank = CoverageRank(coverage=coverage, order=CoverageOrder.PRIMARY,
                        reason=CobReason.TIE_BREAK)
    inquiry = EligibilityInquiry(coverage=coverage, service_on=coverage.period.start)
    for shown in (repr(coverage), str(coverage), repr(rank), repr(inquiry)):
        for secret in secrets:
            assert secret not in shown


PUBLIC_TYPES = [
    TimelyFiling, AppealLevel, AppealRules, Payer, Plan, Subscriber, Coverage, Accumulator,
    Copay, NetworkBenefits, Benefits, ResponsibilityEstimate, CoverageRank,
    EligibilityInquiry, BenefitRow, Rejection, EligibilityResponse, Finding, Verification,
]


@pytest.mark.parametrize("cls", PUBLIC_TYPES, ids=lambda c: c.__name__)
@given(data=st.data())
def test_every_public_type_round_trips_through_the_converter(
    cls: type[object], data: st.DataObject
) -> None:
    """structure(unstructure(v)) == v for every coverage and eligibility type."""
    conv = make_converter()
    value = data.draw(st.from_type(cls))
    assert conv.structure(conv.unstructure(value), cls) == value


def _rows_for(tier: NetworkBenefits, network: InNetwork) -> list[BenefitRow]:
    rows: list[BenefitRow] = []
    for info, level, acc in (
        (BenefitInfo.DEDUCTIBLE, CoverageLevel.INDIVIDUAL, tier.individual_deductible),
        (BenefitInfo.DEDUCTIBLE, CoverageLevel.FAMILY, tier.family_deductible),
        (BenefitInfo.OUT_OF_POCKET, CoverageLevel.INDIVIDUAL, tier.individual_out_of_pocket),
        (BenefitInfo.OUT_OF_POCKET, CoverageLevel.FAMILY, tier.family_out_of_pocket),
    ):
        if acc is not None:
            rows += [
                BenefitRow(info=info, coverage_level=level, service_types=["30"],
                           time_period=TimePeriod.CALENDAR_YEAR, amount=acc.limit,
                           in_network=network),
                BenefitRow(info=info, coverage_level=level, service_types=["30"],
                           time_period=TimePeriod.REMAINING, amount=acc.remaining,
                           in_network=network),
            ]
    rows.append(BenefitRow(info=BenefitInfo.COINSURANCE, service_types=["30"],
                           percent=tier.coinsurance, in_network=network))
    rows += [BenefitRow(info=BenefitInfo.COPAYMENT, service_types=[c.service_type],
                        amount=c.amount, in_network=network) for c in tier.copays]
    return rows


def _plain(tier: NetworkBenefits) -> NetworkBenefits:
    """The tier as a 271 can express it: copays replace deductible and coinsurance."""
    copays = sorted((attrs.evolve(c, deductible_applies=False, coinsurance_applies=False)
                     for c in tier.copays), key=lambda c: c.service_type)
    return attrs.evolve(tier, copays=copays)


@given(benefits())
def test_benefits_read_back_from_the_271_rows_that_express_them(plan: Benefits) -> None:
    """Writing benefits as EB rows and reading them back gives the same benefits."""
    in_tier = _plain(plan.in_network)
    out_tier = None if plan.out_of_network is None else _plain(plan.out_of_network)
    rows = [BenefitRow(info=BenefitInfo.ACTIVE_COVERAGE, service_types=["30"]),
            *_rows_for(in_tier, InNetwork.YES)]
    if out_tier is not None:
        rows += _rows_for(out_tier, InNetwork.NO)
    response = EligibilityResponse(plan_period=plan.period, benefits=rows)
    assert response.to_benefits() == Benefits(
        period=plan.period, in_network=in_tier, out_of_network=out_tier
    )


@given(eligibility_inquiries(), eligibility_responses(), st.integers(-30, 30))
def test_verify_answers_every_response_with_a_consistent_outcome(
    inquiry: EligibilityInquiry, response: EligibilityResponse, offset: int
) -> None:
    """verify never raises; the outcome is verified exactly when no finding is an error."""
    result = verify(inquiry, response, on=inquiry.service_on + timedelta(days=offset))
    has_error = any(f.is_error for f in result.findings)
    assert (result.outcome is VerificationOutcome.VERIFIED) == (not has_error)
    if response.rejections:
        assert result.outcome is VerificationOutcome.NEEDS_FOLLOW_UP
        assert result.benefits is None


@given(verifications())
def test_verification_reprs_hold_no_member_id(result: Verification) -> None:
    """A verification's repr shows no unmasked member id or subscriber name."""
    shown = repr(result)
    assert result.inquiry.coverage.member_id.unmasked not in shown
    assert result.inquiry.coverage.subscriber.name.family not in shown


@given(timely_filings(), dates())
def test_timely_filing_deadline_is_the_last_timely_day(
    limit: TimelyFiling, service_on: date
) -> None:
    """A claim is timely up to the deadline and late the day after."""
    due = limit.deadline(service_on)
    assert due > service_on
    assert limit.is_timely(service_on, filed_on=due)
    assert not limit.is_timely(service_on, filed_on=due + timedelta(days=1))
