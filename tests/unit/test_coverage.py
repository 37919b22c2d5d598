"""Worked scenarios for claimcore.coverage: timely filing, appeals, estimates, payer order."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from claimcore.coverage import (
    MEDICARE_APPEALS,
    MEDICARE_TIMELY_FILING,
    Accumulator,
    AppealLevel,
    AppealRules,
    Benefits,
    CobReason,
    Copay,
    Coverage,
    CoverageOrder,
    CoverageRank,
    EmploymentStatus,
    MedicareSecondaryType,
    Network,
    NetworkBenefits,
    Payer,
    PayerKind,
    Plan,
    PlanType,
    Relationship,
    ResponsibilityEstimate,
    ServiceType,
    Subscriber,
    TimelyFiling,
    estimate_responsibility,
    order_coverages,
    service_type_code,
)
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.ids import MedicalRecordNumber, MemberId, PayerId
from claimcore.money import Money, Rate
from claimcore.patients import Address, AdministrativeSex, Patient, PersonName
from claimcore.periods import Period

YEAR_2026 = Period(date(2026, 1, 1), date(2026, 12, 31))
ON = date(2026, 3, 2)


def usd(text: str) -> Money:
    return Money(Decimal(text))


def tier(
    *,
    deductible: tuple[str, str] | None = None,
    family_deductible: tuple[str, str] | None = None,
    oop: tuple[str, str] | None = None,
    coinsurance: int = 0,
    copays: tuple[Copay, ...] = (),
) -> NetworkBenefits:
    def acc(pair: tuple[str, str] | None) -> Accumulator | None:
        return None if pair is None else Accumulator(limit=usd(pair[0]), met=usd(pair[1]))

    return NetworkBenefits(
        individual_deductible=acc(deductible), family_deductible=acc(family_deductible),
        individual_out_of_pocket=acc(oop), coinsurance=Rate.percent(coinsurance),
        copays=copays,
    )


def plan_benefits(
    in_network: NetworkBenefits, out_of_network: NetworkBenefits | None = None
) -> Benefits:
    return Benefits(period=YEAR_2026, in_network=in_network, out_of_network=out_of_network)


# -- timely filing and appeals --------------------------------------------------------


def test_medicare_timely_filing_from_29_february_2024_ends_28_february_2025() -> None:
    """A 29 Feb 2024 date of service is due by 28 Feb 2025 under Medicare's 12 months."""
    assert TimelyFiling(months=12) == MEDICARE_TIMELY_FILING
    assert MEDICARE_TIMELY_FILING.deadline(date(2024, 2, 29)) == date(2025, 2, 28)
    assert MEDICARE_TIMELY_FILING.is_timely(date(2024, 2, 29), filed_on=date(2025, 2, 28))
    assert not MEDICARE_TIMELY_FILING.is_timely(date(2024, 2, 29), filed_on=date(2025, 3, 1))


def test_timely_filing_in_days_and_months_adds_both() -> None:
    """A 90-day limit counts days; months and days together add both, months first."""
    assert TimelyFiling(days=90).deadline(date(2026, 1, 15)) == date(2026, 4, 15)
    assert TimelyFiling(months=1, days=10).deadline(date(2026, 1, 31)) == date(2026, 3, 10)


@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [({}, "empty-limit"), ({"months": -1}, "range"), ({"days": 4000}, "range")],
)
def test_timely_filing_refuses_an_empty_or_out_of_range_limit(
    kwargs: dict[str, int], rule: str
) -> None:
    """A limit needs some months or days, none negative or absurd."""
    with pytest.raises(ValidationError) as err:
        TimelyFiling(**kwargs)
    assert err.value.rule == rule


def test_medicare_appeals_hold_the_five_levels_and_2026_amounts() -> None:
    """Medicare's five levels: 120, 180, 60, 60, 60 days; ALJ $200, judicial $1,960."""
    levels = MEDICARE_APPEALS.levels
    assert [lv.level for lv in levels] == [1, 2, 3, 4, 5]
    assert [lv.deadline_days for lv in levels] == [120, 180, 60, 60, 60]
    assert [lv.minimum_in_controversy for lv in levels] == [
        usd("0"), usd("0"), usd("200.00"), usd("0"), usd("1960.00")
    ]
    alj = MEDICARE_APPEALS.level(3)
    assert alj.name == "Administrative Law Judge hearing"
    assert alj.hears(usd("200.00"))
    assert not alj.hears(usd("199.99"))
    assert alj.deadline(date(2026, 5, 1)) == date(2026, 6, 30)
    assert MEDICARE_APPEALS.level(1).deadline(date(2026, 1, 10)) == date(2026, 5, 10)
    assert MEDICARE_APPEALS.applies_on(date(2026, 7, 1))
    assert not MEDICARE_APPEALS.applies_on(date(2027, 1, 1))


def test_appeal_rules_refuse_misnumbered_or_empty_levels() -> None:
    """Levels are numbered 1, 2, 3... in order, and there is at least one."""
    first = AppealLevel(level=1, name="Review", deadline_days=60)
    third = AppealLevel(level=3, name="Hearing", deadline_days=60)
    with pytest.raises(ValidationError) as err:
        AppealRules([first, third], YEAR_2026)
    assert (err.value.path, err.value.rule) == ("$.levels[1].level", "level-order")
    with pytest.raises(ValidationError) as err:
        AppealRules([], YEAR_2026)
    assert err.value.rule == "empty"
    with pytest.raises(ValidationError) as err:
        MEDICARE_APPEALS.level(6)
    assert err.value.rule == "range"


def test_appeal_level_refuses_a_negative_minimum() -> None:
    """The amount in controversy is never negative."""
    with pytest.raises(ValidationError) as err:
        AppealLevel(level=1, name="Review", deadline_days=30,
                    minimum_in_controversy=usd("-1.00"))
    assert err.value.path == "$.minimum_in_controversy"


def test_payer_gives_its_appeal_rules_only_while_in_force() -> None:
    """appeal_rules_on returns the rules on a date they cover, else None."""
    payer = Payer(payer_id=PayerId("04412"), name="Medicare Part B", kind=PayerKind.MEDICARE,
                  timely_filing=MEDICARE_TIMELY_FILING, appeal_rules=MEDICARE_APPEALS)
    assert payer.appeal_rules_on(date(2026, 12, 31)) is MEDICARE_APPEALS
    assert payer.appeal_rules_on(date(2025, 12, 31)) is None
    assert attrs.evolve(payer, appeal_rules=None).appeal_rules_on(date(2026, 6, 1)) is None
    with pytest.raises(ValidationError) as err:
        attrs.evolve(payer, name=" padded")
    assert err.value.path == "$.name"
    with pytest.raises(TypeMismatch):
        attrs.evolve(payer, kind="medicare")  # type: ignore[arg-type]


# -- estimates --------------------------------------------------------------------------


def test_worked_example_deductible_then_coinsurance() -> None:
    """Allowed 300.00, 200.00 deductible left, 20%: patient 220.00 (200 + 20), payer 80.00."""
    benefits = plan_benefits(tier(deductible=("1500.00", "1300.00"), coinsurance=20))
    est = estimate_responsibility(benefits, usd("300.00"))
    assert est.copay == usd("0.00")
    assert est.deductible == usd("200.00")
    assert est.coinsurance == usd("20.00")
    assert est.not_covered == usd("0.00")
    assert est.payer == usd("80.00")
    assert est.patient == usd("220.00")
    assert not est.out_of_pocket_met


def test_copay_only_office_visit() -> None:
    """A $25 office-visit copay replaces deductible and coinsurance: 25.00 / 95.00."""
    benefits = plan_benefits(tier(
        deductible=("1000.00", "0.00"), coinsurance=20,
        copays=(Copay(service_type=ServiceType.PROFESSIONAL_VISIT_OFFICE, amount=usd("25.00")),),
    ))
    est = estimate_responsibility(
        benefits, usd("120.00"), service_type=ServiceType.PROFESSIONAL_VISIT_OFFICE
    )
    assert (est.copay, est.deductible, est.coinsurance) == (usd("25.00"), usd("0"), usd("0"))
    assert est.payer == usd("95.00")
    assert est.patient == usd("25.00")


def test_copay_larger_than_allowed_is_capped_at_allowed() -> None:
    """A $25 copay on an 18.50 allowed amount costs the patient 18.50 and the payer nothing."""
    benefits = plan_benefits(tier(copays=(Copay(service_type="98", amount=usd("25.00")),)))
    est = estimate_responsibility(benefits, usd("18.50"), service_type="98")
    assert (est.copay, est.payer) == (usd("18.50"), usd("0.00"))


def test_out_of_pocket_maximum_reached_mid_visit() -> None:
    """OOP 400.00 left: 300 deductible + 140 coinsurance is cut to 300 + 100; payer 600."""
    benefits = plan_benefits(tier(
        deductible=("500.00", "200.00"), oop=("3000.00", "2600.00"), coinsurance=20,
    ))
    est = estimate_responsibility(benefits, usd("1000.00"))
    assert est.deductible == usd("300.00")
    assert est.coinsurance == usd("100.00")
    assert est.patient == usd("400.00")
    assert est.payer == usd("600.00")
    assert est.out_of_pocket_met


def test_out_of_pocket_cap_takes_coinsurance_then_deductible_then_copay() -> None:
    """ER: 150 copay + 500 deductible + 270 coinsurance capped at 100 leaves 100 of copay."""
    er = Copay(service_type=ServiceType.EMERGENCY_SERVICES, amount=usd("150.00"),
               deductible_applies=True, coinsurance_applies=True)
    benefits = plan_benefits(tier(
        deductible=("500.00", "0.00"), oop=("5000.00", "4900.00"), coinsurance=20,
        copays=(er,),
    ))
    est = estimate_responsibility(benefits, usd("2000.00"), service_type="86")
    assert (est.copay, est.deductible, est.coinsurance) == (
        usd("100.00"), usd("0.00"), usd("0.00")
    )
    assert est.payer == usd("1900.00")
    assert est.out_of_pocket_met


def test_out_of_pocket_already_met_means_the_payer_pays_all() -> None:
    """With nothing left of the OOP maximum, the patient owes nothing."""
    benefits = plan_benefits(tier(
        deductible=("500.00", "500.00"), oop=("3000.00", "3000.00"), coinsurance=30,
    ))
    est = estimate_responsibility(benefits, usd("812.34"))
    assert est.patient == usd("0.00")
    assert est.payer == usd("812.34")
    assert est.out_of_pocket_met


def test_family_deductible_remainder_limits_the_individual_one() -> None:
    """An embedded deductible: 800 left individually but 150 left for the family: 150."""
    benefits = plan_benefits(tier(
        deductible=("1000.00", "200.00"), family_deductible=("3000.00", "2850.00"),
        coinsurance=10,
    ))
    est = estimate_responsibility(benefits, usd("400.00"))
    assert est.deductible == usd("150.00")
    assert est.coinsurance == usd("25.00")
    assert est.payer == usd("225.00")


def test_coinsurance_rounds_half_up_to_the_cent() -> None:
    """15% of 33.33 is 4.9995: the patient owes 5.00 and the payer 28.33."""
    est = estimate_responsibility(plan_benefits(tier(coinsurance=15)), usd("33.33"))
    assert (est.coinsurance, est.payer) == (usd("5.00"), usd("28.33"))


def test_out_of_network_uses_its_own_tier_or_is_not_covered() -> None:
    """An HMO pays nothing out of network; a PPO applies its out-of-network tier."""
    hmo = plan_benefits(tier(coinsurance=10))
    est = estimate_responsibility(hmo, usd("250.00"), network=Network.OUT)
    assert est.not_covered == usd("250.00")
    assert est.patient == usd("250.00")
    assert est.payer == usd("0.00")
    ppo = plan_benefits(tier(coinsurance=10), tier(deductible=("2000.00", "1900.00"),
                                                   coinsurance=40))
    est = estimate_responsibility(ppo, usd("250.00"), network=Network.OUT)
    assert (est.deductible, est.coinsurance, est.payer) == (
        usd("100.00"), usd("60.00"), usd("90.00")
    )


def test_estimate_refuses_negative_amounts_and_bad_service_types() -> None:
    """A negative allowed amount or a malformed service type is an error, with its path."""
    benefits = plan_benefits(tier())
    with pytest.raises(ValidationError) as err:
        estimate_responsibility(benefits, usd("-1.00"))
    assert err.value.path == "$.allowed"
    with pytest.raises(ValidationError) as err:
        estimate_responsibility(benefits, usd("1.00"), service_type="abc")
    assert (err.value.path, err.value.rule) == ("$.service_type", "service-type")
    with pytest.raises(TypeMismatch):
        estimate_responsibility(benefits, usd("1.00"), network="in")  # type: ignore[arg-type]


def test_estimate_value_must_balance() -> None:
    """A hand-built estimate whose shares do not sum to allowed is refused."""
    with pytest.raises(ValidationError) as err:
        ResponsibilityEstimate(allowed=usd("10.00"), copay=usd("5.00"), deductible=usd("0"),
                               coinsurance=usd("0"), payer=usd("4.99"))
    assert err.value.rule == "unbalanced"
    with pytest.raises(ValidationError) as err:
        ResponsibilityEstimate(allowed=usd("10.00"), copay=usd("-5.00"), deductible=usd("0"),
                               coinsurance=usd("0"), payer=usd("15.00"))
    assert err.value.path == "$.copay"
    with pytest.raises(TypeMismatch):
        ResponsibilityEstimate(allowed=usd("0"), copay=usd("0"), deductible=usd("0"),
                               coinsurance=usd("0"), payer=usd("0"),
                               out_of_pocket_met=1)  # type: ignore[arg-type]


def test_benefit_values_refuse_inconsistent_data() -> None:
    """Met above limit, negative amounts, duplicate copays and coinsurance over 100% fail."""
    with pytest.raises(ValidationError) as err:
        Accumulator(limit=usd("100.00"), met=usd("100.01"))
    assert err.value.rule == "met-over-limit"
    with pytest.raises(ValidationError) as err:
        Accumulator(limit=usd("-1.00"))
    assert err.value.path == "$.limit"
    with pytest.raises(ValidationError) as err:
        Accumulator(limit=usd("1.00"), met=usd("-1.00"))
    assert err.value.path == "$.met"
    with pytest.raises(ValidationError) as err:
        Copay(service_type="98", amount=usd("-5.00"))
    assert err.value.path == "$.amount"
    with pytest.raises(TypeMismatch) as terr:
        Copay(service_type="98", amount=usd("5.00"), deductible_applies=1)  # type: ignore[arg-type]
    assert terr.value.path == "$.deductible_applies"
    twice = (Copay(service_type="98", amount=usd("5")), Copay(service_type="98", amount=usd("9")))
    with pytest.raises(ValidationError) as err:
        NetworkBenefits(copays=twice)
    assert (err.value.path, err.value.rule) == ("$.copays[1].service_type", "duplicate")
    with pytest.raises(ValidationError) as err:
        NetworkBenefits(coinsurance=Rate(Decimal("1.5")))
    assert err.value.path == "$.coinsurance"


def test_service_type_members_are_stored_as_bare_codes() -> None:
    """A ServiceType member becomes its plain str code, so the wire format is the code."""
    copay = Copay(service_type=ServiceType.URGENT_CARE, amount=usd("50.00"))
    assert type(copay.service_type) is str
    assert copay.service_type == "UC"
    assert service_type_code(ServiceType.EMERGENCY_SERVICES) == "86"
    assert tier(copays=(copay,)).copay_for("UC") == copay
    assert tier(copays=(copay,)).copay_for("86") is None


def test_network_benefits_without_accumulators_have_no_deductible_and_no_cap() -> None:
    """Absent accumulators mean no deductible (zero left) and no out-of-pocket cap."""
    empty = NetworkBenefits()
    assert empty.remaining_deductible() == usd("0")
    assert empty.remaining_out_of_pocket() is None
    assert tier(oop=("100.00", "40.00")).remaining_out_of_pocket() == usd("60.00")


# -- coverages and their order -----------------------------------------------------------


def person(family: str, given: str) -> PersonName:
    return PersonName(family=family, given=given)


PATIENT = Patient(
    mrn=MedicalRecordNumber("MRN0001234"), name=person("Zabrowski", "Kira"),
    birth_date=date(1958, 5, 20), sex=AdministrativeSex.FEMALE,
)
CHILD = attrs.evolve(PATIENT, birth_date=date(2016, 9, 1))
DISABLED_ADULT = attrs.evolve(PATIENT, birth_date=date(1990, 9, 1))


def payer(payer_id: str, kind: PayerKind = PayerKind.COMMERCIAL) -> Payer:
    return Payer(payer_id=PayerId(payer_id), name=f"Payer {payer_id}", kind=kind,
                 timely_filing=TimelyFiling(days=180))


def subscriber(
    member: str, born: date, status: EmploymentStatus = EmploymentStatus.ACTIVE
) -> Subscriber:
    return Subscriber(member_id=MemberId(member), name=person("Whitcombe", "Jorah"),
                      birth_date=born, sex=AdministrativeSex.MALE, employment_status=status)


def coverage(
    payer_id: str,
    *,
    kind: PayerKind = PayerKind.COMMERCIAL,
    relationship: Relationship = Relationship.SELF,
    status: EmploymentStatus = EmploymentStatus.ACTIVE,
    born: date = date(1958, 5, 20),
    start: date = date(2020, 1, 1),
    end: date | None = None,
    member: str = "MEMBER0001",
) -> Coverage:
    return Coverage(
        payer=payer(payer_id, kind), plan=Plan(name="Gold PPO", plan_type=PlanType.PPO),
        member_id=MemberId(member), group_number="GRP100",
        subscriber=subscriber(member, born, status), relationship=relationship,
        period=Period(start, end), order=CoverageOrder.PRIMARY,
    )


def ranked(result: tuple[CoverageRank, ...]) -> list[tuple[str, str | None, CobReason]]:
    return [(r.coverage.payer.payer_id.value, r.order.value if r.order else None, r.reason)
            for r in result]


def test_coverage_is_active_on_both_ends_of_its_period() -> None:
    """is_active includes the first and last day and nothing outside."""
    cov = coverage("AAAAA", start=date(2026, 1, 1), end=date(2026, 6, 30))
    assert cov.is_active(date(2026, 1, 1))
    assert cov.is_active(date(2026, 6, 30))
    assert not cov.is_active(date(2025, 12, 31))
    assert not cov.is_active(date(2026, 7, 1))


def test_inactive_coverage_is_listed_last_without_an_order() -> None:
    """A coverage that ended before the date asked is left out, with reason inactive."""
    old = coverage("OLDPY", end=date(2025, 12, 31))
    current = coverage("NEWPY", start=date(2026, 1, 1))
    result = order_coverages(PATIENT, [old, current], on=ON)
    assert ranked(result) == [
        ("NEWPY", "P", CobReason.ONLY_COVERAGE),
        ("OLDPY", None, CobReason.INACTIVE),
    ]


def test_birthday_rule_for_a_child_on_both_parents_plans() -> None:
    """Mother born 14 March, father 2 July: the mother's plan pays first for the child."""
    mother = coverage("MOMPY", relationship=Relationship.CHILD, born=date(1987, 3, 14),
                      start=date(2021, 1, 1), member="MOM0000001")
    father = coverage("DADPY", relationship=Relationship.CHILD, born=date(1984, 7, 2),
                      start=date(2018, 1, 1), member="DAD0000001")
    assert ranked(order_coverages(CHILD, [father, mother], on=ON)) == [
        ("MOMPY", "P", CobReason.BIRTHDAY_RULE),
        ("DADPY", "S", CobReason.BIRTHDAY_RULE),
    ]


def test_birthday_tie_goes_to_the_longer_held_plan() -> None:
    """Parents born the same day and month: the plan that started earlier pays first."""
    mother = coverage("MOMPY", relationship=Relationship.CHILD, born=date(1987, 3, 14),
                      start=date(2021, 1, 1))
    father = coverage("DADPY", relationship=Relationship.CHILD, born=date(1985, 3, 14),
                      start=date(2018, 1, 1))
    assert ranked(order_coverages(CHILD, [mother, father], on=ON)) == [
        ("DADPY", "P", CobReason.LONGER_COVERAGE),
        ("MOMPY", "S", CobReason.LONGER_COVERAGE),
    ]


def test_medicare_is_secondary_to_an_active_employer_plan() -> None:
    """At 67 and still working: the employer's group plan pays first, Medicare second."""
    medicare = coverage("MCARE", kind=PayerKind.MEDICARE, status=EmploymentStatus.NONE)
    employer = coverage("EMPLR", status=EmploymentStatus.ACTIVE, start=date(2025, 1, 1))
    assert ranked(order_coverages(PATIENT, [medicare, employer], on=ON)) == [
        ("EMPLR", "P", CobReason.ACTIVE_EMPLOYMENT_BEFORE_MEDICARE),
        ("MCARE", "S", CobReason.ACTIVE_EMPLOYMENT_BEFORE_MEDICARE),
    ]


def test_ranked_coverages_carry_their_place_as_their_own_order() -> None:
    """Both entered as primary: the ranked secondary comes back with order S, ready to bill."""
    medicare = coverage("MCARE", kind=PayerKind.MEDICARE, status=EmploymentStatus.NONE)
    employer = coverage("EMPLR", status=EmploymentStatus.ACTIVE, start=date(2025, 1, 1))
    assert medicare.order is employer.order is CoverageOrder.PRIMARY
    first, second = order_coverages(PATIENT, [medicare, employer], on=ON)
    assert (first.coverage.payer.payer_id.value, first.coverage.order) == ("EMPLR",
                                                                      CoverageOrder.PRIMARY)
    assert (second.coverage.payer.payer_id.value, second.coverage.order) == ("MCARE",
                                                                       CoverageOrder.SECONDARY)
    assert second.coverage == attrs.evolve(
        medicare, order=CoverageOrder.SECONDARY,
        medicare_secondary_type=MedicareSecondaryType.WORKING_AGED)
    assert first.coverage is employer  # already right: returned as given


def test_medicare_is_primary_to_retiree_coverage() -> None:
    """A retiree plan pays after Medicare."""
    medicare = coverage("MCARE", kind=PayerKind.MEDICARE, status=EmploymentStatus.NONE,
                        start=date(2023, 6, 1))
    retiree = coverage("RETIR", status=EmploymentStatus.RETIRED)
    assert ranked(order_coverages(PATIENT, [retiree, medicare], on=ON)) == [
        ("MCARE", "P", CobReason.MEDICARE_BEFORE_RETIREE),
        ("RETIR", "S", CobReason.MEDICARE_BEFORE_RETIREE),
    ]


def test_spouse_active_plan_then_medicare_then_own_retiree_plan() -> None:
    """NAIC's Medicare exception: spouse's active plan, then Medicare, then own retiree plan."""
    retiree = coverage("RETIR", status=EmploymentStatus.RETIRED)
    spouse = coverage("SPOUS", relationship=Relationship.SPOUSE, born=date(1962, 1, 1))
    medicare = coverage("MCARE", kind=PayerKind.MEDICARE, status=EmploymentStatus.NONE)
    assert ranked(order_coverages(PATIENT, [medicare, retiree, spouse], on=ON)) == [
        ("SPOUS", "P", CobReason.ACTIVE_EMPLOYMENT_BEFORE_MEDICARE),
        ("MCARE", "S", CobReason.ACTIVE_EMPLOYMENT_BEFORE_MEDICARE),
        ("RETIR", "T", CobReason.MEDICARE_BEFORE_RETIREE),
    ]


def test_working_aged_rule_ignores_a_child_employers_plan() -> None:
    """At 67, a plan through an adult child's job is not a spouse's: Medicare pays first."""
    medicare = coverage("MCARE", kind=PayerKind.MEDICARE, status=EmploymentStatus.NONE)
    via_child = coverage("KIDPY", relationship=Relationship.OTHER, born=date(1985, 1, 1))
    assert ranked(order_coverages(PATIENT, [via_child, medicare], on=ON))[0][:2] == (
        "MCARE", "P"
    )


def test_disabled_beneficiary_under_65_on_a_parents_active_plan() -> None:
    """Under 65, any family member's current employment puts the group plan first."""
    medicare = coverage("MCARE", kind=PayerKind.MEDICARE, status=EmploymentStatus.NONE)
    parent = coverage("PARNT", relationship=Relationship.CHILD, born=date(1960, 1, 1))
    assert ranked(order_coverages(DISABLED_ADULT, [medicare, parent], on=ON)) == [
        ("PARNT", "P", CobReason.ACTIVE_EMPLOYMENT_BEFORE_MEDICARE),
        ("MCARE", "S", CobReason.ACTIVE_EMPLOYMENT_BEFORE_MEDICARE),
    ]


def test_own_coverage_before_a_spouses() -> None:
    """The plan covering the patient as subscriber pays before the one covering a dependent."""
    own = coverage("OWNPY", status=EmploymentStatus.RETIRED, start=date(2025, 1, 1))
    spouse = coverage("SPOUS", relationship=Relationship.SPOUSE, start=date(2010, 1, 1))
    assert ranked(order_coverages(DISABLED_ADULT, [spouse, own], on=ON)) == [
        ("OWNPY", "P", CobReason.NON_DEPENDENT_FIRST),
        ("SPOUS", "S", CobReason.NON_DEPENDENT_FIRST),
    ]


def test_active_before_retiree_and_cobra_last() -> None:
    """Among own plans: active employment, then retiree, then COBRA."""
    cobra = coverage("COBRA", status=EmploymentStatus.COBRA, start=date(2010, 1, 1))
    retiree = coverage("RETIR", status=EmploymentStatus.RETIRED, start=date(2011, 1, 1))
    active = coverage("ACTIV", status=EmploymentStatus.ACTIVE, start=date(2024, 1, 1))
    assert ranked(order_coverages(DISABLED_ADULT, [cobra, retiree, active], on=ON)) == [
        ("ACTIV", "P", CobReason.ACTIVE_BEFORE_RETIREE),
        ("RETIR", "S", CobReason.ACTIVE_BEFORE_RETIREE),
        ("COBRA", "T", CobReason.COBRA_LAST),
    ]


def test_child_and_spouse_dependent_coverage_go_by_length() -> None:
    """A dependent child also on a spouse's plan: the longer-held coverage pays first."""
    parent = coverage("PARNT", relationship=Relationship.CHILD, status=EmploymentStatus.RETIRED,
                      start=date(2005, 1, 1))
    spouse = coverage("SPOUS", relationship=Relationship.SPOUSE, start=date(2024, 1, 1))
    assert ranked(order_coverages(DISABLED_ADULT, [spouse, parent], on=ON))[0] == (
        "PARNT", "P", CobReason.LONGER_COVERAGE
    )


def test_liability_first_tricare_then_medicaid_then_self_pay_last() -> None:
    """Workers' comp first; TRICARE after commercial; Medicaid after TRICARE; self-pay last."""
    found = [
        coverage("SELFP", kind=PayerKind.SELF_PAY, status=EmploymentStatus.NONE),
        coverage("MCAID", kind=PayerKind.MEDICAID, status=EmploymentStatus.NONE),
        coverage("TRICR", kind=PayerKind.TRICARE, status=EmploymentStatus.NONE),
        coverage("COMML"),
        coverage("WCOMP", kind=PayerKind.WORKERS_COMPENSATION),
    ]
    assert ranked(order_coverages(DISABLED_ADULT, found, on=ON)) == [
        ("WCOMP", "P", CobReason.LIABILITY_FIRST),
        ("COMML", "S", CobReason.LIABILITY_FIRST),
        ("TRICR", "T", CobReason.TRICARE_AFTER_OTHER),
        ("MCAID", "A", CobReason.MEDICAID_LAST),
        ("SELFP", "B", CobReason.SELF_PAY_LAST),
    ]


def test_undecided_coverages_are_ordered_by_payer_id_whatever_the_input_order() -> None:
    """With no rule deciding, payer id breaks the tie, the same for any input order."""
    first, second = coverage("AAAAA"), coverage("BBBBB")
    expected = [("AAAAA", "P", CobReason.TIE_BREAK), ("BBBBB", "S", CobReason.TIE_BREAK)]
    assert ranked(order_coverages(PATIENT, [first, second], on=ON)) == expected
    assert ranked(order_coverages(PATIENT, [second, first], on=ON)) == expected


def test_more_than_eleven_active_coverages_are_refused() -> None:
    """X12 SBR01 names at most eleven payers."""
    many = [coverage(f"P{i:04d}") for i in range(12)]
    with pytest.raises(ValidationError) as err:
        order_coverages(PATIENT, many, on=ON)
    assert err.value.rule == "too-many-coverages"
    assert order_coverages(PATIENT, [], on=ON) == ()


def test_reasons_name_their_sources() -> None:
    """Every reason has a description and a source; the NAIC and MSP ones cite them."""
    assert "NAIC" in CobReason.BIRTHDAY_RULE.source
    assert "42 CFR 411" in CobReason.ACTIVE_EMPLOYMENT_BEFORE_MEDICARE.source
    assert all(reason.description and reason.source for reason in CobReason)


def test_coverage_order_codes_and_ranks() -> None:
    """P, S, T rank 1 to 3; A to H rank 4 to 11; from_rank is the inverse."""
    assert [o.rank for o in CoverageOrder] == list(range(1, 12))
    assert [CoverageOrder.from_rank(n) for n in range(1, 12)] == list(CoverageOrder)
    assert CoverageOrder.from_rank(4) is CoverageOrder.FOURTH
    assert CoverageOrder.ELEVENTH.value == "H"
    with pytest.raises(ValidationError):
        CoverageOrder.from_rank(12)


def test_coverage_rank_needs_an_order_unless_inactive() -> None:
    """Only an inactive coverage goes without an order."""
    cov = coverage("AAAAA")
    with pytest.raises(ValidationError) as err:
        CoverageRank(coverage=cov, order=None, reason=CobReason.TIE_BREAK)
    assert err.value.rule == "order-reason"
    with pytest.raises(ValidationError):
        CoverageRank(coverage=cov, order=CoverageOrder.PRIMARY, reason=CobReason.INACTIVE)


def test_relationship_codes_are_the_5010_list() -> None:
    """The X12 individual relationship codes of the 837, with self and employee non-dependent."""
    assert {r.value for r in Relationship} == {
        "01", "18", "19", "20", "21", "39", "40", "53", "G8"
    }
    assert not Relationship.SELF.is_dependent
    assert not Relationship.EMPLOYEE.is_dependent
    assert Relationship.CHILD.is_dependent


def test_subscriber_and_coverage_reprs_hide_phi() -> None:
    """repr and str show no name, birth date, address line or unmasked member id."""
    sub = Subscriber(
        member_id=MemberId("XYZ123454821"), name=person("Hollingsworth", "Bertrand"),
        birth_date=date(1961, 4, 17), sex=AdministrativeSex.MALE,
        address=Address(lines=["4821 Kestrel Way"], city="Juniper", state="OR",
                        postal_code="97001"),
    )
    cov = attrs.evolve(coverage("AAAAA"), subscriber=sub, member_id=MemberId("XYZ123454821"))
    for shown in (repr(sub), str(sub), repr(cov), str(cov)):
        for secret in ("Hollingsworth", "Bertrand", "1961", "Kestrel", "Juniper",
                       "XYZ123454821", "GRP100"):
            assert secret not in shown
    assert repr(sub) == "Subscriber(member_id=***4821, sex=M, employment_status=none)"


def test_coverage_and_subscriber_check_their_field_types() -> None:
    """Wrong types are refused with the field's path."""
    cov = coverage("AAAAA")
    with pytest.raises(TypeMismatch) as err:
        attrs.evolve(cov, relationship="18")  # type: ignore[arg-type]
    assert err.value.path == "$.relationship"
    with pytest.raises(ValidationError) as verr:
        attrs.evolve(cov, group_number="")
    assert verr.value.path == "$.group_number"
    with pytest.raises(TypeMismatch) as err:
        attrs.evolve(cov.subscriber, employment_status="active")  # type: ignore[arg-type]
    assert err.value.path == "$.employment_status"
    with pytest.raises(ValidationError) as verr:
        Plan(name="Gold", plan_type=PlanType.PPO, plan_id=" x")
    assert verr.value.path == "$.plan_id"


def test_service_type_must_be_a_string_code() -> None:
    """A service type that is not a str is a type error, not converted."""
    with pytest.raises(TypeMismatch) as err:
        Copay(service_type=98, amount=usd("5.00"))  # type: ignore[arg-type]
    assert err.value.path == "$.service_type"
