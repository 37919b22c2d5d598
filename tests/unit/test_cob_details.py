"""The coordination-of-benefits details payers reject claims without: SBR05 on a Medicare
secondary 837P, the dependent's 270 (2000D), and the estimate across every coverage."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import attrs

from claimcore.claims import EditContext, scrub
from claimcore.coverage import (
    Accumulator,
    Benefits,
    Coverage,
    CoverageOrder,
    EmploymentStatus,
    MedicareSecondaryType,
    NetworkBenefits,
    PayerKind,
    Plan,
    PlanType,
    Relationship,
    Subscriber,
    order_coverages,
)
from claimcore.eligibility import EligibilityInquiry
from claimcore.ids import MemberId
from claimcore.money import Money, Rate
from claimcore.patients import AdministrativeSex, Patient, PersonName
from claimcore.periods import Period
from claimcore.posting import CobMethod, CoverageTerms, estimate_combined
from claimcore.x12 import ControlNumbers, read_interchanges, write_270, write_837p
from tests.unit.test_x12_837 import (
    AT,
    BILLING,
    NUMBERS,
    PATIENT,
    RECEIVER,
    SUBMITTER,
    coverage,
    payer,
    professional,
    pyx12_errors,
)

MEDICARE = payer("MEDICARE PART B", "MCARE1", PayerKind.MEDICARE)


def usd(text: str) -> Money:
    return Money(Decimal(text))


def segments(text: str) -> list[str]:
    (interchange,), warnings = read_interchanges(text)
    assert warnings == ()
    return ["*".join(s.elements) for s in interchange.groups[0].transactions[0].segments]


def test_a_medicare_secondary_837p_carries_sbr05_and_pyx12_accepts_it() -> None:
    """SBR*S with SBR05 12 (working aged) on the 2000B loop; nothing for the primary."""
    secondary = attrs.evolve(coverage(order=CoverageOrder.SECONDARY), payer=MEDICARE,
                             medicare_secondary_type=MedicareSecondaryType.WORKING_AGED)
    text = write_837p([professional(coverage=secondary)], submitter=SUBMITTER,
                      receiver=RECEIVER, control_numbers=NUMBERS, at=AT)
    sbr = [s for s in segments(text) if s.startswith("SBR")]
    assert sbr == ["SBR*S*18*GRP01**12****MB"]
    assert pyx12_errors(text) == []
    primary = write_837p([professional()], submitter=SUBMITTER, receiver=RECEIVER,
                         control_numbers=NUMBERS, at=AT)
    assert [s for s in segments(primary) if s.startswith("SBR")] == ["SBR*P*18*GRP01******CI"]


def test_the_medicare_secondary_edit_flags_a_claim_without_the_type() -> None:
    """A professional claim to Medicare as secondary without SBR05 is an error; with it,
    or to Medicare as primary, none."""
    context = EditContext(as_of=date(2026, 1, 20))
    secondary = attrs.evolve(coverage(order=CoverageOrder.SECONDARY), payer=MEDICARE)
    found = scrub(professional(coverage=secondary), context=context).errors
    assert [(f.edit_id, f.location) for f in found] == [
        ("medicare-secondary", "$.coverage.medicare_secondary_type")]
    typed = attrs.evolve(secondary, medicare_secondary_type=MedicareSecondaryType.DISABLED)
    assert scrub(professional(coverage=typed), context=context).errors == ()
    primary = attrs.evolve(coverage(), payer=MEDICARE)
    assert scrub(professional(coverage=primary), context=context).errors == ()


def _patient(born: date) -> Patient:
    return attrs.evolve(PATIENT, birth_date=born)


def _coverage(kind: PayerKind, payer_id: str, status: EmploymentStatus) -> Coverage:
    member = MemberId(f"M{payer_id}")
    return Coverage(
        payer=payer(payer_id, payer_id, kind), plan=Plan(name="Plan", plan_type=PlanType.PPO),
        member_id=member, subscriber=Subscriber(
            member_id=member, name=PersonName(family="Lee", given="Ann"),
            birth_date=date(1950, 1, 1), sex=AdministrativeSex.FEMALE,
            employment_status=status),
        relationship=Relationship.SELF, period=Period(date(2020, 1, 1)),
        order=CoverageOrder.PRIMARY)


def test_the_order_of_benefits_gives_medicare_its_secondary_payer_type() -> None:
    """Active employment ahead of Medicare: 12 at 65 and over, 43 under 65; workers'
    compensation ahead: 15; Medicare primary: none."""
    on = date(2026, 3, 1)
    medicare = _coverage(PayerKind.MEDICARE, "MCARE", EmploymentStatus.NONE)
    employer = _coverage(PayerKind.COMMERCIAL, "EMPLR", EmploymentStatus.ACTIVE)
    retiree = _coverage(PayerKind.COMMERCIAL, "RETIR", EmploymentStatus.RETIRED)
    comp = _coverage(PayerKind.WORKERS_COMPENSATION, "COMP", EmploymentStatus.NONE)

    def msp(patient: Patient, *covs: Coverage) -> list[str | None]:
        return [r.coverage.medicare_secondary_type and r.coverage.medicare_secondary_type.value
                for r in order_coverages(patient, covs, on=on)
                if r.coverage.payer.kind is PayerKind.MEDICARE]

    assert msp(_patient(date(1955, 5, 1)), medicare, employer) == ["12"]
    assert msp(_patient(date(1980, 5, 1)), medicare, employer) == ["43"]
    assert msp(_patient(date(1955, 5, 1)), medicare, comp) == ["15"]
    assert msp(_patient(date(1955, 5, 1)), medicare, retiree) == [None]


def test_a_dependent_without_own_id_is_asked_about_in_2000d() -> None:
    """The child shares the parent's member id: HL 22 has a child, HL 23 names the child
    with NM1*03 and its own DMG; the service date and EQ follow the dependent."""
    child = Patient(mrn=PATIENT.mrn, name=PersonName(family="Smith", given="Amy"),
                    birth_date=date(2014, 6, 2), sex=AdministrativeSex.FEMALE)
    family = coverage(Relationship.CHILD)
    inquiry = EligibilityInquiry(coverage=family, service_on=date(2026, 1, 20), patient=child)
    assert inquiry.asks_about_dependent
    text = write_270(inquiry, provider=BILLING, trace="TR1",
                     control_numbers=ControlNumbers(interchange=3, group=3, transaction=1),
                     at=datetime(2026, 1, 19, 8, tzinfo=UTC), sender_id="CLINIC",
                     receiver_id="BIGPAYER")
    segs = segments(text)
    start = segs.index("HL*3*2*22*1")
    assert segs[start:start + 9] == [
        "HL*3*2*22*1", "NM1*IL*1*Smith*Jack****MI*XYZ123456789", "DMG*D8*19801022*M",
        "HL*4*3*23*0", "TRN*1*TR1*9123456789", "NM1*03*1*Smith*Amy", "DMG*D8*20140602*F",
        "DTP*291*D8*20260120", "EQ*30"]
    assert "Amy" not in repr(inquiry)


def test_a_dependent_with_own_id_is_asked_about_as_the_subscriber_level() -> None:
    """A member id of the child's own: no 2000D; 2100C names the child by that id."""
    child = Patient(mrn=PATIENT.mrn, name=PersonName(family="Smith", given="Amy"),
                    birth_date=date(2014, 6, 2), sex=AdministrativeSex.FEMALE)
    own = attrs.evolve(coverage(Relationship.CHILD), member_id=MemberId("XYZ12345678902"))
    inquiry = EligibilityInquiry(coverage=own, service_on=date(2026, 1, 20), patient=child)
    assert not inquiry.asks_about_dependent
    text = write_270(inquiry, provider=BILLING, trace="TR2",
                     control_numbers=ControlNumbers(interchange=4, group=4, transaction=1),
                     at=datetime(2026, 1, 19, 8, tzinfo=UTC), sender_id="CLINIC",
                     receiver_id="BIGPAYER")
    segs = segments(text)
    assert "NM1*IL*1*Smith*Amy****MI*XYZ12345678902" in segs
    assert "DMG*D8*20140602*F" in segs
    assert not any(s.startswith(("HL*4", "NM1*03")) for s in segs)


def _benefits(deductible_left: str, coinsurance: int) -> Benefits:
    return Benefits(
        period=Period(date(2026, 1, 1), date(2026, 12, 31)),
        in_network=NetworkBenefits(
            individual_deductible=Accumulator(limit=usd("1000.00"),
                                              met=usd("1000.00") - usd(deductible_left)),
            coinsurance=Rate.percent(coinsurance)))


def test_the_combined_estimate_adds_the_secondary_by_its_cob_method() -> None:
    """Primary allows 300.00 with 200.00 of deductible left and 20%: pays 80.00, the
    patient would owe 220.00. The secondary (standard COB, allowed 280.00, deductible met,
    10%) would pay 252.00 alone; by standard COB it pays the lesser of that and its
    allowed less the primary's payment (200.00), leaving 20.00. Non-duplication pays
    252.00 - 80.00 = 172.00."""
    primary = CoverageTerms(coverage=coverage(), benefits=_benefits("200.00", 20),
                            allowed=usd("300.00"))
    secondary = CoverageTerms(coverage=coverage(order=CoverageOrder.SECONDARY),
                              benefits=_benefits("0.00", 10), allowed=usd("280.00"))
    estimate = estimate_combined(usd("400.00"), [secondary, primary])
    assert [p.pays for p in estimate.payers] == [usd("80.00"), usd("200.00")]
    assert estimate.patient == usd("20.00")
    nondup = estimate_combined(usd("400.00"), [
        primary, attrs.evolve(secondary, cob=CobMethod.NON_DUPLICATION)])
    assert [p.pays for p in nondup.payers] == [usd("80.00"), usd("172.00")]
    assert nondup.patient == usd("48.00")
    assert nondup.payer_total + nondup.patient == nondup.allowed == usd("300.00")
    alone = estimate_combined(usd("400.00"), [primary])
    assert (alone.payer_total, alone.patient) == (usd("80.00"), usd("220.00"))
