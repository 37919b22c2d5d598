"""Worked values shared by the FHIR tests: one patient, coverage, encounter, claim, payment."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from claimcore.charges import Charge
from claimcore.claims import Claim, ClaimKind, ClaimLine
from claimcore.codes import (
    CARC,
    CPT,
    ICD10CM,
    RARC,
    AdjustmentGroup,
    ClaimStatusCode,
    Modifier,
    PlaceOfService,
)
from claimcore.coverage import (
    Coverage,
    CoverageOrder,
    Payer,
    PayerKind,
    Plan,
    PlanType,
    Relationship,
    Subscriber,
    TimelyFiling,
)
from claimcore.encounters import (
    AdmissionSource,
    AdmissionType,
    DischargeDisposition,
    Encounter,
    EncounterClass,
    admit,
    discharge,
    plan_encounter,
)
from claimcore.ids import (
    NPI,
    ClaimId,
    MedicalRecordNumber,
    MemberId,
    PayerClaimNumber,
    PayerId,
    TaxId,
)
from claimcore.money import Money
from claimcore.patients import (
    Address,
    AdministrativeSex,
    Contact,
    ContactUse,
    Patient,
    PersonName,
)
from claimcore.periods import Period
from claimcore.providers import CareTeamMember, Organization, Provider, ProviderRole
from claimcore.remittance import Adjustment, ClaimPayment, ServicePayment

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "fhir"


def fixture(name: str) -> Any:
    """An HL7 example from tests/fixtures/fhir, read with Decimal numbers."""
    return json.loads((FIXTURES / f"{name}.json").read_text(), parse_float=Decimal)


def usd(text: str) -> Money:
    return Money(Decimal(text))


PAYER = Payer(payer_id=PayerId("60054"), name="Aetna", kind=PayerKind.COMMERCIAL,
              timely_filing=TimelyFiling(days=90))
MRN = MedicalRecordNumber("MRN00421234")
PATIENT = Patient(
    mrn=MRN,
    name=PersonName(family="Lovelace", given="Ada", middle="B", suffix="Jr."),
    birth_date=date(1990, 12, 10),
    sex=AdministrativeSex.FEMALE,
    address=Address(lines=["12 Main St", "Apt 4"], city="Boston", state="MA",
                    postal_code="02110-1234"),
    contacts=[Contact(use=ContactUse.HOME, phone="(617) 555-1234", email="ada@example.org"),
              Contact(use=ContactUse.WORK, email="ada@work.example.com")],
)
SUBSCRIBER = Subscriber(
    member_id=MemberId("W123456789"), name=PersonName(family="Lovelace", given="Ada"),
    birth_date=date(1990, 12, 10), sex=AdministrativeSex.FEMALE,
)
COVERAGE = Coverage(
    payer=PAYER, plan=Plan(name="Choice POS II", plan_type=PlanType.POS, plan_id="POS-2"),
    member_id=MemberId("W123456789"), group_number="GRP-0042", subscriber=SUBSCRIBER,
    relationship=Relationship.SELF, period=Period(date(2026, 1, 1), date(2026, 12, 31)),
    order=CoverageOrder.PRIMARY,
)
DOCTOR = Provider(npi=NPI("1234567893"), name=PersonName(family="Hopper", given="Grace"),
                  taxonomy="207Q00000X")
CLINIC = Organization(
    npi=NPI.from_prefix("198765432"), name="Harbor Family Medicine", tax_id=TaxId("12-3456789"),
    address=Address(lines=["1 Harbor Way"], city="Boston", state="MA", postal_code="02110"),
)
DOS = date(2026, 3, 2)


def claim() -> Claim:
    """A professional claim of two lines: 99213 for 150.00 and 36415 for 25.00."""
    return Claim(
        id=ClaimId("CLM-1001"), kind=ClaimKind.PROFESSIONAL, patient=PATIENT,
        coverage=COVERAGE, billing_provider=CLINIC, rendering_provider=DOCTOR,
        place_of_service=PlaceOfService("11"),
        diagnoses=[ICD10CM("E11.9"), ICD10CM("I10")],
        lines=[
            ClaimLine(line_number=1, procedure=CPT("99213"), modifiers=[Modifier("25")],
                      charge=usd("150.00"), service_period=Period.day(DOS), pointers=[1, 2],
                      rendering_npi=DOCTOR.npi, charge_id="CHG-1"),
            ClaimLine(line_number=2, procedure=CPT("36415"), charge=usd("25.00"),
                      service_period=Period.day(DOS), pointers=[1], charge_id="CHG-2"),
        ],
    )


def payment() -> ClaimPayment:
    """The 835 answer: 99213 allowed 100.00, paid 80.00 (CO-45 50.00, PR-1 20.00);
    36415 allowed 10.00, paid 7.00 (CO-45 15.00, PR-3 3.00)."""
    return ClaimPayment(
        claim=ClaimId("CLM-1001"), status=ClaimStatusCode("1"), charge=usd("175.00"),
        paid=usd("87.00"), patient_responsibility=usd("23.00"),
        payer_claim_number=PayerClaimNumber("PCN-555"),
        services=[
            ServicePayment(
                procedure=CPT("99213"), modifiers=[Modifier("25")], charge=usd("150.00"),
                paid=usd("80.00"), allowed=usd("100.00"), line_ref="CHG-1",
                adjustments=[
                    Adjustment(group=AdjustmentGroup("CO"), reason=CARC("45"),
                               amount=usd("50.00")),
                    Adjustment(group=AdjustmentGroup("PR"), reason=CARC("1"),
                               amount=usd("20.00")),
                ],
                remarks=[RARC("N130")],
            ),
            ServicePayment(
                procedure=CPT("36415"), charge=usd("25.00"), paid=usd("7.00"),
                allowed=usd("10.00"), line_ref="CHG-2",
                adjustments=[
                    Adjustment(group=AdjustmentGroup("CO"), reason=CARC("45"),
                               amount=usd("15.00")),
                    Adjustment(group=AdjustmentGroup("PR"), reason=CARC("3"),
                               amount=usd("3.00")),
                ],
            ),
        ],
    )


def inpatient_encounter() -> Encounter:
    """An inpatient stay: admitted 2 March 2026 08:00 UTC, discharged home on 4 March."""
    stay = plan_encounter(
        id="ENC_2026:1", patient=MRN, encounter_class=EncounterClass.INPATIENT,
        place_of_service=PlaceOfService("21"),
        care_team=[CareTeamMember(role=ProviderRole.ATTENDING, provider=DOCTOR)],
    )
    stay = admit(stay, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
                 admission_type=AdmissionType.EMERGENCY,
                 source=AdmissionSource.NON_HEALTH_CARE_FACILITY)
    return discharge(stay, at=datetime(2026, 3, 4, 15, 30, tzinfo=UTC),
                     disposition=DischargeDisposition.HOME)


def charge() -> Charge:
    """A charge of 2 units of 36415 at 12.50."""
    return Charge(
        id="CHG-7", code=CPT("36415"), units=2, unit_price=usd("12.50"), service_date=DOS,
        diagnoses=[ICD10CM("E11.9")], rendering_npi=DOCTOR.npi,
        place_of_service=PlaceOfService("11"), encounter_id="ENC_2026:1",
        entered_on=date(2026, 3, 3), modifiers=[Modifier("QW")],
    )


def test_worked_values_are_valid() -> None:
    """The shared values build, and the payment balances against the claim."""
    assert claim().total_charge == usd("175.00")
    assert payment().paid == usd("87.00")
    assert charge().amount == usd("25.00")
    assert inpatient_encounter().discharge is not None
