"""A three-day pneumonia stay, billed as the UB-04 and the 837I describe it.

J18.9 present on admission, DRG 195, room and board 0120 x 3 days at its daily rate,
pharmacy 0250, lab 0300 with its HCPCS code: written to an 837I that pyx12 accepts,
scrubbed clean, and posted against the payer's 835 to the cent.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import attrs
import pytest

from claimcore.adjustments import Adjustment
from claimcore.charges import enter_revenue_charge
from claimcore.claims import (
    Claim,
    ClaimKind,
    ClaimStatus,
    EditContext,
    InpatientProcedure,
    Occurrence,
    ValueAmount,
    acknowledge,
    admission_info,
    build_claim,
    mark_ready,
    scrub,
    submit,
)
from claimcore.codes import (
    CARC,
    CPT,
    DRG,
    ICD10CM,
    ICD10PCS,
    AdjustmentGroup,
    ClaimStatusCode,
    ConditionCode,
    OccurrenceCode,
    PlaceOfService,
    PresentOnAdmission,
    RevenueCode,
    TypeOfBill,
    ValueCode,
)
from claimcore.coverage import (
    Coverage,
    CoverageOrder,
    MedicareSecondaryType,
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
from claimcore.ledger import Account, Ledger
from claimcore.money import Money
from claimcore.patients import Address, AdministrativeSex, Patient, PersonName
from claimcore.periods import Period
from claimcore.posting import post_charges, post_remittance
from claimcore.providers import Facility, Organization, Provider
from claimcore.remittance import ClaimPayment, Payee, PaymentMethod, Remittance, RemittancePayer
from claimcore.x12 import ControlNumbers, Receiver, Submitter, read_interchanges, write_837i
from tests.unit.test_x12_837 import pyx12_errors

ADMITTED = datetime(2026, 2, 2, 14, 10, tzinfo=UTC)
DISCHARGED = datetime(2026, 2, 5, 10, 30, tzinfo=UTC)
MRN = MedicalRecordNumber("MRN00088120")
ADDRESS = Address(lines=("200 Lake Shore Dr",), city="Chicago", state="IL",
                  postal_code="606111234")
HOSPITAL = Organization(npi=NPI("1234567893"), name="Lakeside General Hospital",
                        tax_id=TaxId("36-1122334"), address=ADDRESS)
ATTENDING = Provider(npi=NPI("1245319599"), name=PersonName(family="Osei", given="Ama"))
PATIENT = Patient(mrn=MRN, name=PersonName(family="Novak", given="Lena"),
                  birth_date=date(1958, 8, 14), sex=AdministrativeSex.FEMALE, address=ADDRESS)
ACME = Payer(payer_id=PayerId("ACME1"), name="Acme Health", kind=PayerKind.COMMERCIAL,
             timely_filing=TimelyFiling(days=180))
MEMBER = MemberId("ACM771204")
COVERAGE = Coverage(
    payer=ACME, plan=Plan(name="Acme PPO", plan_type=PlanType.PPO), member_id=MEMBER,
    subscriber=Subscriber(member_id=MEMBER, name=PATIENT.name, birth_date=PATIENT.birth_date,
                          sex=PATIENT.sex),
    relationship=Relationship.SELF, period=Period(date(2024, 1, 1)),
    order=CoverageOrder.PRIMARY,
)
NUMBERS = ControlNumbers(interchange=7, group=7, transaction=1)
SUBMITTER = Submitter(name="LAKESIDE BILLING", id="LAKE01", contact_name="Billing Office",
                      phone="3125550100")


def usd(text: str) -> Money:
    return Money(Decimal(text))


def cas(group: str, reason: str, amount: str) -> Adjustment:
    return Adjustment(group=AdjustmentGroup(group), reason=CARC(reason), amount=usd(amount))


def the_stay() -> Claim:
    """Admission to discharge, three revenue-code charges, the institutional claim."""
    stay = plan_encounter(id="ENC-0202", patient=MRN, encounter_class=EncounterClass.INPATIENT,
                          facility=Facility(name="Lakeside General Hospital", address=ADDRESS,
                                            place_of_service=PlaceOfService("21")))
    stay = admit(stay, at=ADMITTED, admission_type=AdmissionType.EMERGENCY,
                 source=AdmissionSource.NON_HEALTH_CARE_FACILITY)
    stay = discharge(stay, at=DISCHARGED, disposition=DischargeDisposition.HOME)
    admitted_on, on = ADMITTED.date(), DISCHARGED.date()
    pneumonia = ICD10CM("J18.9")
    charges = [
        *enter_revenue_charge(id="RB-1", revenue_code=RevenueCode("0120"), units=3,
                              rate=usd("2100.00"), service_date=admitted_on, on=on,
                              diagnoses=[pneumonia], encounter_id="ENC-0202").charges,
        *enter_revenue_charge(id="RX-1", revenue_code=RevenueCode("0250"),
                              rate=usd("1240.00"), service_date=admitted_on, on=on,
                              diagnoses=[pneumonia], encounter_id="ENC-0202").charges,
        *enter_revenue_charge(id="LAB-1", revenue_code=RevenueCode("0300"), code=CPT("85025"),
                              units=2, rate=usd("95.00"), service_date=admitted_on, on=on,
                              diagnoses=[pneumonia], encounter_id="ENC-0202").charges,
    ]
    (claim,) = build_claim(
        id=ClaimId("LG0202N"), kind=ClaimKind.INSTITUTIONAL, charges=charges,
        patient=PATIENT, coverage=COVERAGE, billing_provider=HOSPITAL,
        attending_provider=ATTENDING, type_of_bill=TypeOfBill("0111"),
        admission=admission_info(stay), diagnoses=[pneumonia, ICD10CM("E11.9")],
        present_on_admission=[PresentOnAdmission.YES, PresentOnAdmission.YES],
        admitting_diagnosis=ICD10CM("R50.9"), drg=DRG("195"),
        occurrences=[Occurrence(code=OccurrenceCode("11"), on=date(2026, 1, 30))],
        condition_codes=[ConditionCode("39")],
        value_codes=[ValueAmount(code=ValueCode("80"), amount=usd("3"))],
        procedures=[InpatientProcedure(code=ICD10PCS("3E0234Z"), on=admitted_on)],
    )
    return claim


def test_the_stay_bills_three_lines_from_admission_to_discharge() -> None:
    """The encounter gives the UB-04 admission data; charges give 0120 x 3 at 2100.00."""
    claim = the_stay()
    admission = claim.admission
    assert admission is not None
    assert admission.statement_period == Period(date(2026, 2, 2), date(2026, 2, 5))
    assert (admission.admission_date, admission.admission_hour, admission.admission_type,
            admission.admission_source) == (date(2026, 2, 2), 14, "1", "1")
    assert (admission.discharge_date, admission.discharge_hour,
            admission.discharge_status) == (date(2026, 2, 5), 10, "01")
    assert [(str(line.revenue_code), line.units, line.charge) for line in claim.lines] == [
        ("0120", Decimal(3), usd("6300.00")), ("0250", Decimal(1), usd("1240.00")),
        ("0300", Decimal(2), usd("190.00"))]
    assert claim.lines[2].procedure == CPT("85025")
    assert claim.total_charge == usd("7730.00")
    assert claim.diagnoses_on_admission[0] == (ICD10CM("J18.9"), PresentOnAdmission.YES)


def test_the_stay_scrubs_clean_and_each_ub04_edit_can_fail() -> None:
    """No error on the stay; without POA, with a procedure after discharge, an
    occurrence after the stay or a day count over the stay, the edits say so."""
    claim = the_stay()
    context = EditContext(as_of=date(2026, 2, 6))
    assert scrub(claim, context=context).errors == ()
    broken = {
        "poa": attrs.evolve(claim, present_on_admission=()),
        "procedure-dates": attrs.evolve(claim, procedures=[
            InpatientProcedure(code=ICD10PCS("3E0234Z"), on=date(2026, 2, 6))]),
        "occurrence-dates": attrs.evolve(claim, occurrences=[
            Occurrence(code=OccurrenceCode("24"), on=date(2026, 2, 6))]),
        "value-codes": attrs.evolve(claim, value_codes=[
            ValueAmount(code=ValueCode("80"), amount=usd("5"))]),
    }
    for edit_id, bad in broken.items():
        found = {f.edit_id for f in scrub(bad, context=context).errors}
        assert found == {edit_id}, edit_id
    exempt = attrs.evolve(claim, present_on_admission=[PresentOnAdmission.YES, None])
    assert [f.location for f in scrub(exempt, context=context).errors] == [
        "$.present_on_admission[1]"]
    assert scrub(exempt, context=attrs.evolve(
        context, poa_exempt=[ICD10CM("E11.9")])).errors == ()


def test_the_stay_writes_an_837i_that_pyx12_accepts() -> None:
    """HI*ABK with POA Y in HI01-9, HI*DR:195, BBR with its date, BH, BE, BG; SV2 0120 in
    days; pyx12 finds no error."""
    text = write_837i([the_stay()], submitter=SUBMITTER,
                      receiver=Receiver("ACME HEALTH", "ACME1"), control_numbers=NUMBERS,
                      at=datetime(2026, 2, 6, 9, tzinfo=UTC))
    (interchange,), _ = read_interchanges(text)
    segments = ["*".join(s.elements) for s in interchange.groups[0].transactions[0].segments]
    his = [s for s in segments if s.startswith("HI*")]
    assert his == ["HI*ABK:J189:::::::Y", "HI*ABJ:R509", "HI*DR:195",
                   "HI*ABF:E119:::::::Y", "HI*BBR:3E0234Z:D8:20260202",
                   "HI*BH:11:D8:20260130", "HI*BE:80:::3.00", "HI*BG:39"]
    assert [s for s in segments if s.startswith("SV2")] == [
        "SV2*0120**6300.00*DA*3", "SV2*0250**1240.00*UN*1", "SV2*0300*HC:85025*190.00*UN*2"]
    assert "CL1*1*1*01" in segments
    assert pyx12_errors(text) == []


def test_the_stay_posts_against_its_835_to_the_cent() -> None:
    """The DRG payment: 7730.00 billed = 4412.36 paid + 2317.64 CO-45 + 1000.00 PR-1;
    the payer's A/R is settled and the patient owes the deductible."""
    claim = the_stay()
    ledger = post_charges(Ledger(), claim, on=date(2026, 2, 5))
    claim = mark_ready(claim, scrub(claim, context=EditContext(as_of=date(2026, 2, 6))),
                       at=datetime(2026, 2, 6, 9, tzinfo=UTC))
    claim = acknowledge(submit(claim, at=datetime(2026, 2, 6, 10, tzinfo=UTC)),
                        at=datetime(2026, 2, 7, 7, tzinfo=UTC),
                        payer_claim_number=PayerClaimNumber("ACM26020700042"))
    payment = ClaimPayment(
        claim=claim.id, status=ClaimStatusCode.PROCESSED_AS_PRIMARY, charge=usd("7730.00"),
        paid=usd("4412.36"), patient_responsibility=usd("1000.00"),
        payer_claim_number=PayerClaimNumber("ACM26020700042"),
        adjustments=[cas("CO", "45", "2317.64"), cas("PR", "1", "1000.00")],
    )
    remittance = Remittance(
        payer=RemittancePayer(payer_id=ACME.payer_id, name=ACME.name),
        payee=Payee(name=HOSPITAL.name, npi=HOSPITAL.npi), method=PaymentMethod.ACH,
        payment=usd("4412.36"), trace="EFT26022001", paid_on=date(2026, 2, 20),
        claims=[payment],
    )
    result = post_remittance(ledger, [claim], remittance)
    (posted,) = result.claims
    assert posted.status is ClaimStatus.ADJUDICATED
    balances = result.ledger.balances()
    assert balances[Account.ar_payer(ACME.payer_id)] == Money.zero()
    assert balances[Account.ar_patient()] == usd("1000.00")
    assert balances[Account.cash()] == usd("4412.36")


def test_a_medicare_secondary_claim_needs_its_msp_value_code() -> None:
    """To Medicare as secondary, the 837I carries the reason as a value code (12): the
    edit flags its absence and a value code that disagrees with the coverage."""
    medicare = Payer(payer_id=PayerId("MCAREA"), name="Medicare Part A",
                     kind=PayerKind.MEDICARE, timely_filing=TimelyFiling(months=12))
    secondary = attrs.evolve(COVERAGE, payer=medicare, order=CoverageOrder.SECONDARY,
                             plan=Plan(name="Original Medicare", plan_type=PlanType.OTHER))
    claim = attrs.evolve(the_stay(), coverage=secondary)
    context = EditContext(as_of=date(2026, 2, 6))
    assert [f.edit_id for f in scrub(claim, context=context).errors] == ["medicare-secondary"]
    paid = ValueAmount(code=ValueCode("12"), amount=usd("4412.36"))
    claim = attrs.evolve(claim, value_codes=(*claim.value_codes, paid))
    assert scrub(claim, context=context).errors == ()
    typed = attrs.evolve(secondary, medicare_secondary_type=MedicareSecondaryType.DISABLED)
    assert [f.edit_id for f in scrub(attrs.evolve(claim, coverage=typed),
                                     context=context).errors] == ["medicare-secondary"]


def test_a_professional_claim_cannot_carry_ub04_codes() -> None:
    """The 837P has no place for POA, DRG or value codes: the claim refuses them."""
    from claimcore.errors import ValidationError

    claim = the_stay()
    with pytest.raises(ValidationError, match="institutional"):
        attrs.evolve(claim, kind=ClaimKind.PROFESSIONAL)


def test_the_fhir_claim_carries_poa_procedures_and_ub04_codes() -> None:
    """diagnosis.onAdmission Y, the ICD-10-PCS procedure with its date, the DRG and the
    condition, occurrence and value codes as supportingInfo."""
    from claimcore.fhir import to_claim

    resource = to_claim(the_stay())
    assert [d.get("onAdmission", {}).get("coding", [{}])[0].get("code")
            for d in resource["diagnosis"]] == ["Y", "Y", None]
    (procedure,) = resource["procedure"]
    assert (procedure["date"], procedure["procedureCodeableConcept"]["coding"][0]["code"],
            procedure["type"][0]["coding"][0]["code"]) == ("2026-02-02", "3E0234Z", "primary")
    info = [(i["category"]["coding"][0]["code"], i["code"]["coding"][0]["code"])
            for i in resource["supportingInfo"]]
    assert info == [("drg", "195"), ("condition", "39"), ("occurrence", "11"),
                    ("value", "80")]
    assert resource["supportingInfo"][2]["timingDate"] == "2026-01-30"
    assert resource["supportingInfo"][3]["valueQuantity"] == {"value": Decimal("3.00")}
