"""Worked scenarios for claimcore.eligibility: reading a 271 and verifying a visit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from claimcore.coverage import (
    Accumulator,
    Benefits,
    Copay,
    Coverage,
    CoverageOrder,
    NetworkBenefits,
    Payer,
    PayerKind,
    Plan,
    PlanType,
    Relationship,
    ServiceType,
    Subscriber,
    TimelyFiling,
    estimate_responsibility,
)
from claimcore.eligibility import (
    BenefitInfo,
    BenefitRow,
    CoverageLevel,
    EligibilityInquiry,
    EligibilityResponse,
    EligibilityStatus,
    Finding,
    FollowUpAction,
    InNetwork,
    Rejection,
    RejectReason,
    Severity,
    TimePeriod,
    Verification,
    VerificationOutcome,
    benefits_from_response,
    verify,
)
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.ids import MemberId, PayerId
from claimcore.money import Money, Rate
from claimcore.patients import AdministrativeSex, PersonName
from claimcore.periods import Period

YEAR_2026 = Period(date(2026, 1, 1), date(2026, 12, 31))
DOS = date(2026, 3, 9)
CHECKED_ON = date(2026, 3, 2)


def usd(text: str) -> Money:
    return Money(Decimal(text))


COVERAGE = Coverage(
    payer=Payer(payer_id=PayerId("60054"), name="Acme Health Plan", kind=PayerKind.COMMERCIAL,
                timely_filing=TimelyFiling(days=180)),
    plan=Plan(name="Gold PPO", plan_type=PlanType.PPO),
    member_id=MemberId("W123456789"),
    group_number="GRP100",
    subscriber=Subscriber(member_id=MemberId("W123456789"),
                          name=PersonName(family="Zabrowski", given="Kira"),
                          birth_date=date(1980, 5, 20), sex=AdministrativeSex.FEMALE),
    relationship=Relationship.SELF,
    period=YEAR_2026,
    order=CoverageOrder.PRIMARY,
)
INQUIRY = EligibilityInquiry(coverage=COVERAGE, service_on=DOS)
ACTIVE = BenefitRow(info=BenefitInfo.ACTIVE_COVERAGE, service_types=["30"])


def row(info: BenefitInfo, **kwargs: object) -> BenefitRow:
    return BenefitRow(info=info, **kwargs)  # type: ignore[arg-type]


def accumulator_rows(
    info: BenefitInfo, level: CoverageLevel, limit: str, remaining: str, network: InNetwork
) -> list[BenefitRow]:
    return [
        row(info, coverage_level=level, service_types=["30"],
            time_period=TimePeriod.CALENDAR_YEAR, amount=usd(limit), in_network=network),
        row(info, coverage_level=level, service_types=["30"],
            time_period=TimePeriod.REMAINING, amount=usd(remaining), in_network=network),
    ]


FULL_271 = EligibilityResponse(
    plan_period=YEAR_2026,
    benefits=[
        ACTIVE,
        *accumulator_rows(BenefitInfo.DEDUCTIBLE, CoverageLevel.INDIVIDUAL, "1500.00", "200.00",
                          InNetwork.YES),
        *accumulator_rows(BenefitInfo.DEDUCTIBLE, CoverageLevel.FAMILY, "3000.00", "1700.00",
                          InNetwork.YES),
        *accumulator_rows(BenefitInfo.OUT_OF_POCKET, CoverageLevel.INDIVIDUAL, "5000.00",
                          "4100.00", InNetwork.YES),
        row(BenefitInfo.COINSURANCE, service_types=["30"], percent=Rate.percent(20),
            in_network=InNetwork.YES),
        row(BenefitInfo.COPAYMENT, service_types=["98", "UC"], amount=usd("25.00"),
            in_network=InNetwork.YES),
        *accumulator_rows(BenefitInfo.DEDUCTIBLE, CoverageLevel.INDIVIDUAL, "3000.00",
                          "3000.00", InNetwork.NO),
        row(BenefitInfo.COINSURANCE, service_types=["30"], percent=Rate.percent(40),
            in_network=InNetwork.NO),
    ],
    messages=["Plan year resets on January 1"],
)


def test_active_271_verifies_and_gives_the_benefits_for_the_estimate() -> None:
    """An active answer covering the date verifies; its rows give the worked estimate."""
    result = verify(INQUIRY, FULL_271, on=CHECKED_ON)
    assert result.outcome is VerificationOutcome.VERIFIED
    assert result.is_verified
    assert result.findings == ()
    assert result.verified_on == CHECKED_ON
    expected = Benefits(
        period=YEAR_2026,
        in_network=NetworkBenefits(
            individual_deductible=Accumulator(limit=usd("1500.00"), met=usd("1300.00")),
            family_deductible=Accumulator(limit=usd("3000.00"), met=usd("1300.00")),
            individual_out_of_pocket=Accumulator(limit=usd("5000.00"), met=usd("900.00")),
            coinsurance=Rate.percent(20),
            copays=[Copay(service_type="98", amount=usd("25.00")),
                    Copay(service_type="UC", amount=usd("25.00"))],
        ),
        out_of_network=NetworkBenefits(
            individual_deductible=Accumulator(limit=usd("3000.00"), met=usd("0.00")),
            coinsurance=Rate.percent(40),
        ),
    )
    assert result.benefits == expected
    est = estimate_responsibility(expected, usd("300.00"))
    assert (est.deductible, est.coinsurance, est.payer) == (
        usd("200.00"), usd("20.00"), usd("80.00")
    )


def test_inactive_coverage_gives_outcome_inactive() -> None:
    """EB01 6 alone: the coverage is inactive and the desk must find other coverage."""
    response = EligibilityResponse(benefits=[row(BenefitInfo.INACTIVE, service_types=["30"])])
    assert response.status is EligibilityStatus.INACTIVE
    result = verify(INQUIRY, response, on=CHECKED_ON)
    assert result.outcome is VerificationOutcome.INACTIVE
    assert [f.edit_id for f in result.findings] == ["eligibility-inactive"]
    assert result.findings[0].is_error
    assert result.benefits is None


def test_rejection_needs_follow_up_with_the_payers_action() -> None:
    """AAA 72 (invalid member id) with follow-up C: correct and resubmit."""
    response = EligibilityResponse(rejections=[
        Rejection(RejectReason.INVALID_MEMBER_ID, FollowUpAction.CORRECT_AND_RESUBMIT),
        Rejection("75"),
    ])
    result = verify(INQUIRY, response, on=CHECKED_ON)
    assert result.outcome is VerificationOutcome.NEEDS_FOLLOW_UP
    first, second = result.findings
    assert "AAA03 72" in first.message
    assert "invalid or missing subscriber/insured id" in first.message
    assert first.action == "correct the inquiry and resubmit it"
    assert first.location == "$.rejections[0]"
    assert "subscriber/insured not found" in second.message
    assert "phone or portal" in (second.action or "")
    assert "W123456789" not in repr(result)


def test_date_of_service_outside_the_plan_period_is_not_covered() -> None:
    """The payer's plan ended before the date of service: not covered on that date."""
    response = EligibilityResponse(
        plan_period=Period(date(2025, 1, 1), date(2026, 2, 28)), benefits=[ACTIVE]
    )
    result = verify(INQUIRY, response, on=CHECKED_ON)
    assert result.outcome is VerificationOutcome.NOT_COVERED_ON_DATE
    assert [f.edit_id for f in result.findings] == ["eligibility-date-of-service"]


def test_coverage_on_file_out_of_date_is_a_warning_only() -> None:
    """The payer says active for a date the coverage on file does not hold: update it."""
    inquiry = EligibilityInquiry(coverage=COVERAGE, service_on=date(2027, 1, 5))
    response = EligibilityResponse(benefits=[ACTIVE])
    result = verify(inquiry, response, on=date(2027, 1, 5))
    assert result.outcome is VerificationOutcome.VERIFIED
    assert [f.edit_id for f in result.findings] == [
        "eligibility-coverage-dates", "eligibility-no-benefits"
    ]
    assert all(f.severity is Severity.WARNING for f in result.findings)


@pytest.mark.parametrize(
    ("info", "edit_id"),
    [
        (BenefitInfo.ACTIVE_PENDING_INVESTIGATION, "eligibility-pending"),
        (BenefitInfo.INACTIVE_PENDING_ELIGIBILITY_UPDATE, "eligibility-pending"),
        (BenefitInfo.BENEFIT_DESCRIPTION, "eligibility-no-status"),
    ],
)
def test_pending_or_missing_status_needs_follow_up(info: BenefitInfo, edit_id: str) -> None:
    """A pending status (EB01 5, 7, 8) or none at all needs a person to follow up."""
    result = verify(INQUIRY, EligibilityResponse(benefits=[row(info)]), on=CHECKED_ON)
    assert result.outcome is VerificationOutcome.NEEDS_FOLLOW_UP
    assert [f.edit_id for f in result.findings] == [edit_id]


def test_service_level_rows_raise_the_right_findings() -> None:
    """Non-covered, inactive-for-service, authorization, other payer, contact and V rows."""
    inquiry = EligibilityInquiry(
        coverage=COVERAGE, service_on=DOS,
        service_types=[ServiceType.VISION_OPTOMETRY, ServiceType.MENTAL_HEALTH,
                       ServiceType.HOSPITAL_INPATIENT],
    )
    response = EligibilityResponse(plan_period=YEAR_2026, benefits=[
        ACTIVE,
        row(BenefitInfo.NON_COVERED, service_types=["AL"]),
        row(BenefitInfo.INACTIVE, service_types=["MH"]),
        row(BenefitInfo.ACTIVE_COVERAGE, service_types=["48"], authorization_required=True),
        row(BenefitInfo.OTHER_OR_ADDITIONAL_PAYER),
        row(BenefitInfo.CONTACT_FOLLOWING_ENTITY),
        row(BenefitInfo.CANNOT_PROCESS),
    ])
    result = verify(inquiry, response, on=CHECKED_ON)
    assert result.outcome is VerificationOutcome.NEEDS_FOLLOW_UP
    assert [(f.edit_id, f.severity) for f in result.findings] == [
        ("eligibility-not-covered-service", Severity.ERROR),
        ("eligibility-inactive-service", Severity.ERROR),
        ("eligibility-authorization", Severity.WARNING),
        ("eligibility-other-payer", Severity.WARNING),
        ("eligibility-contact-entity", Severity.WARNING),
        ("eligibility-cannot-process", Severity.ERROR),
    ]
    assert "service type AL" in result.findings[0].message
    assert result.findings[2].location == "$.benefits[3]"


def test_authorization_alone_keeps_the_coverage_verified() -> None:
    """Prior authorization is work to do, not a reason to doubt the coverage."""
    inquiry = EligibilityInquiry(coverage=COVERAGE, service_on=DOS, service_types=["48"])
    response = attrs.evolve(FULL_271, benefits=[
        *FULL_271.benefits,
        row(BenefitInfo.ACTIVE_COVERAGE, service_types=["48"], authorization_required=True),
    ])
    result = verify(inquiry, response, on=CHECKED_ON)
    assert result.outcome is VerificationOutcome.VERIFIED
    assert [f.edit_id for f in result.findings] == ["eligibility-authorization"]


def test_benefits_need_an_active_answer_a_plan_period_and_in_network_rows() -> None:
    """No benefits from an inactive answer, one without plan dates, or one without amounts."""
    assert benefits_from_response(attrs.evolve(FULL_271, benefits=[
        row(BenefitInfo.INACTIVE), *FULL_271.benefits[1:]
    ])) is None
    assert attrs.evolve(FULL_271, plan_period=None).to_benefits() is None
    only_out = EligibilityResponse(plan_period=YEAR_2026, benefits=[
        ACTIVE, row(BenefitInfo.COINSURANCE, percent=Rate.percent(40), in_network=InNetwork.NO)
    ])
    assert only_out.to_benefits() is None


def test_benefits_reading_rules_for_network_and_time_period() -> None:
    """W rows reach both tiers, U neither; YTD gives met; a limit alone means nothing met."""
    response = EligibilityResponse(plan_period=YEAR_2026, benefits=[
        ACTIVE,
        row(BenefitInfo.DEDUCTIBLE, coverage_level=CoverageLevel.INDIVIDUAL,
            time_period=TimePeriod.CALENDAR_YEAR, amount=usd("1000.00"),
            in_network=InNetwork.NOT_APPLICABLE),
        row(BenefitInfo.DEDUCTIBLE, coverage_level=CoverageLevel.INDIVIDUAL,
            time_period=TimePeriod.YEAR_TO_DATE, amount=usd("250.00")),
        row(BenefitInfo.DEDUCTIBLE, coverage_level=CoverageLevel.INDIVIDUAL,
            time_period=TimePeriod.YEAR_TO_DATE, amount=usd("999.00")),
        row(BenefitInfo.OUT_OF_POCKET, coverage_level=CoverageLevel.FAMILY,
            time_period=TimePeriod.SERVICE_YEAR, amount=usd("8000.00"),
            in_network=InNetwork.YES),
        row(BenefitInfo.OUT_OF_POCKET, coverage_level=CoverageLevel.FAMILY,
            time_period=TimePeriod.REMAINING, amount=usd("9000.00"), in_network=InNetwork.YES),
        row(BenefitInfo.COINSURANCE, percent=Rate.percent(50), in_network=InNetwork.UNKNOWN),
        row(BenefitInfo.COINSURANCE, service_types=["98"], percent=Rate.percent(5)),
        row(BenefitInfo.COPAYMENT, service_types=["UC"]),
    ])
    benefits = response.to_benefits()
    assert benefits is not None
    deductible = Accumulator(limit=usd("1000.00"), met=usd("250.00"))
    assert benefits.in_network == NetworkBenefits(
        individual_deductible=deductible,
        family_out_of_pocket=Accumulator(limit=usd("8000.00"), met=usd("0.00")),
    )
    assert benefits.out_of_network == NetworkBenefits(individual_deductible=deductible)


def test_remaining_above_limit_or_met_above_limit_is_clamped() -> None:
    """A payer's remainder above the limit means nothing met; met above it means all met."""
    response = EligibilityResponse(plan_period=YEAR_2026, benefits=[
        ACTIVE,
        *accumulator_rows(BenefitInfo.DEDUCTIBLE, CoverageLevel.INDIVIDUAL, "500.00",
                          "900.00", InNetwork.YES),
        row(BenefitInfo.OUT_OF_POCKET, coverage_level=CoverageLevel.INDIVIDUAL,
            time_period=TimePeriod.CALENDAR_YEAR, amount=usd("100.00"),
            in_network=InNetwork.YES),
        row(BenefitInfo.OUT_OF_POCKET, coverage_level=CoverageLevel.INDIVIDUAL,
            time_period=TimePeriod.YEAR_TO_DATE, amount=usd("150.00"),
            in_network=InNetwork.YES),
    ])
    tier = benefits_from_response(response)
    assert tier is not None
    assert tier.in_network.individual_deductible == Accumulator(limit=usd("500.00"))
    assert tier.in_network.individual_out_of_pocket == Accumulator(
        limit=usd("100.00"), met=usd("100.00")
    )


def test_response_status_prefers_active_then_pending_then_inactive() -> None:
    """Active rows win over inactive ones (Part A active, Part B inactive is active)."""
    both = EligibilityResponse(benefits=[row(BenefitInfo.INACTIVE), ACTIVE])
    assert both.status is EligibilityStatus.ACTIVE
    pending = EligibilityResponse(benefits=[
        row(BenefitInfo.INACTIVE), row(BenefitInfo.INACTIVE_PENDING_INVESTIGATION)
    ])
    assert pending.status is EligibilityStatus.PENDING
    assert EligibilityResponse().status is EligibilityStatus.UNKNOWN


def test_rejection_describes_known_and_unknown_codes() -> None:
    """Known AAA03 codes read in words; others say their code."""
    assert Rejection("75").description == "subscriber/insured not found"
    assert Rejection("ZZ").description == "code ZZ"
    assert type(Rejection(RejectReason.PATIENT_NOT_FOUND).reason) is str
    with pytest.raises(ValidationError) as err:
        Rejection("7")
    assert (err.value.path, err.value.rule) == ("$.reason", "reject-reason")


def test_benefit_row_checks_its_fields() -> None:
    """Negative amounts, percents over 1, non-bool flags, repeated or bad codes are refused."""
    with pytest.raises(ValidationError) as err:
        row(BenefitInfo.COPAYMENT, amount=usd("-1.00"))
    assert err.value.path == "$.amount"
    with pytest.raises(ValidationError) as err:
        row(BenefitInfo.COINSURANCE, percent=Rate(2))
    assert err.value.path == "$.percent"
    with pytest.raises(TypeMismatch) as terr:
        row(BenefitInfo.ACTIVE_COVERAGE, authorization_required="Y")
    assert terr.value.path == "$.authorization_required"
    with pytest.raises(ValidationError) as err:
        row(BenefitInfo.ACTIVE_COVERAGE, service_types=["30", "30"])
    assert (err.value.path, err.value.rule) == ("$.service_types[1]", "duplicate")
    with pytest.raises(ValidationError) as err:
        row(BenefitInfo.ACTIVE_COVERAGE, service_types=["3O0"])
    assert err.value.rule == "service-type"
    with pytest.raises(ValidationError) as err:
        row(BenefitInfo.ACTIVE_COVERAGE, service_types=[f"{n:02d}" for n in range(100)])
    assert err.value.rule == "length"
    with pytest.raises(ValidationError) as err:
        row(BenefitInfo.ACTIVE_COVERAGE, messages=[" padded"])
    assert err.value.path == "$.messages[0]"
    with pytest.raises(ValidationError):
        EligibilityResponse(messages=["x" * 265])


def test_benefit_row_repr_hides_messages() -> None:
    """Free-text messages may hold anything, so repr leaves them out."""
    shown = repr(row(BenefitInfo.ACTIVE_COVERAGE, messages=["Call Kira Zabrowski"]))
    assert "Zabrowski" not in shown
    assert row(BenefitInfo.ACTIVE_COVERAGE, service_types=["98"]).mentions(
        ServiceType.PROFESSIONAL_VISIT_OFFICE
    )


def test_inquiry_needs_a_service_type_and_a_date() -> None:
    """An inquiry asks about at least one service type on a calendar date."""
    assert INQUIRY.service_types == ("30",)
    with pytest.raises(ValidationError) as err:
        EligibilityInquiry(coverage=COVERAGE, service_on=DOS, service_types=[])
    assert err.value.rule == "empty"
    with pytest.raises(TypeMismatch):
        EligibilityInquiry(coverage=COVERAGE, service_on="2026-03-09")  # type: ignore[arg-type]


def test_verification_with_a_bad_outcome_needs_an_error_finding() -> None:
    """Only a verified outcome may come without an error finding."""
    warning = Finding(edit_id="x", severity=Severity.WARNING, message="m", action="a")
    assert not warning.is_error
    with pytest.raises(ValidationError) as err:
        Verification(inquiry=INQUIRY, outcome=VerificationOutcome.INACTIVE,
                     findings=[warning], verified_on=CHECKED_ON)
    assert err.value.rule == "outcome-without-finding"
    with pytest.raises(TypeMismatch):
        Finding(edit_id="x", severity="error", message="m", action="a")  # type: ignore[arg-type]


def test_first_coinsurance_row_wins_and_unknown_time_periods_are_ignored() -> None:
    """A repeated coinsurance row is ignored, and so is a deductible per visit."""
    response = EligibilityResponse(plan_period=YEAR_2026, benefits=[
        ACTIVE,
        row(BenefitInfo.COINSURANCE, percent=Rate.percent(20), in_network=InNetwork.YES),
        row(BenefitInfo.COINSURANCE, percent=Rate.percent(30), in_network=InNetwork.YES),
        row(BenefitInfo.DEDUCTIBLE, coverage_level=CoverageLevel.INDIVIDUAL,
            time_period=TimePeriod.VISIT, amount=usd("50.00"), in_network=InNetwork.YES),
    ])
    benefits = response.to_benefits()
    assert benefits is not None
    assert benefits.in_network == NetworkBenefits(coinsurance=Rate.percent(20))
