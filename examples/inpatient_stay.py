"""A three-day inpatient stay billed on the UB-04 (837I), with Medicare as secondary payer.

Run it with ``python examples/inpatient_stay.py``. Everything is fixed (dates, times,
amounts), so the output is the same on every run. The payers' 835s are written out by
hand: an inpatient stay is paid by its DRG, as a claim-level payment.

The story: Walter Brandt (MRN00090417), 68, still works and has his employer's group
health plan (Keystone Health) and Medicare. A group health plan from current employment
pays before Medicare at 65 and over, so Keystone is primary and Medicare secondary for
the "working aged" reason (MSP type 12). The front desk quotes both. Walter is admitted
through the emergency room with pneumonia (J18.9, present on admission), stays three
days, and goes home. The hospital codes the stay (DRG 195), enters room and board
(revenue code 0120 x 3 days), pharmacy (0250) and a lab panel (0300 with its HCPCS code),
bills Keystone on an 837I, posts Keystone's 835 (the deductible left to Walter moves on to
Medicare), bills Medicare with Keystone's payment as value code 12, and posts Medicare's
835, which pays the rest by its secondary payer rule: paid in full, as the desk quoted.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import attrs

from claimcore.adjustments import Adjustment
from claimcore.charges import enter_revenue_charge
from claimcore.claims import (
    ClaimKind,
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
    CodeSets,
    OccurrenceCode,
    PlaceOfService,
    PresentOnAdmission,
    RevenueCode,
    TypeOfBill,
    ValueCode,
)
from claimcore.coding import Diagnosis, code_encounter
from claimcore.coverage import (
    Accumulator,
    Benefits,
    Coverage,
    CoverageOrder,
    EmploymentStatus,
    NetworkBenefits,
    Payer,
    PayerKind,
    Plan,
    PlanType,
    Relationship,
    Subscriber,
    TimelyFiling,
    order_coverages,
)
from claimcore.cycle import PatientAccount, close_settled_claims
from claimcore.eligibility import (
    BenefitInfo,
    BenefitRow,
    EligibilityInquiry,
    EligibilityResponse,
    verify,
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
from claimcore.money import Money, Rate
from claimcore.patients import Address, AdministrativeSex, PersonName, register
from claimcore.periods import Period
from claimcore.posting import (
    CobMethod,
    CoverageTerms,
    estimate_combined,
    post_charges,
    post_remittance,
    secondary_claim,
)
from claimcore.providers import CareTeamMember, Facility, Organization, Provider, ProviderRole
from claimcore.remittance import (
    ClaimPayment,
    Payee,
    PaymentMethod,
    Remittance,
    RemittancePayer,
)
from claimcore.statements import statement
from claimcore.x12 import ControlNumbers, Receiver, Submitter, write_837i

MRN = MedicalRecordNumber("MRN00090417")
ADMITTED = datetime(2026, 2, 2, 14, 10, tzinfo=UTC)
DISCHARGED = datetime(2026, 2, 5, 10, 30, tzinfo=UTC)


def usd(text: str) -> Money:
    """Dollars from text, exactly."""
    return Money(Decimal(text))


def at(month: int, day: int, hour: int = 9) -> datetime:
    """A fixed moment in 2026 (UTC)."""
    return datetime(2026, month, day, hour, tzinfo=UTC)


def cas(group: str, reason: str, amount: str) -> Adjustment:
    return Adjustment(group=AdjustmentGroup(group), reason=CARC(reason), amount=usd(amount))


def stage(step: str, account: PatientAccount) -> None:
    print(f"{step:<52} stage: {account.stage.value}")


def remittance(payer: Payer, payee: Payee, payment: ClaimPayment, trace: str,
               paid_on: date) -> Remittance:
    return Remittance(
        payer=RemittancePayer(payer_id=payer.payer_id, name=payer.name), payee=payee,
        method=PaymentMethod.ACH, payment=payment.paid, trace=trace, paid_on=paid_on,
        claims=[payment],
    )


def main() -> None:
    address = Address(lines=("41 Orchard Ln",), city="Lancaster", state="PA",
                      postal_code="176021234")
    patient = register(
        mrn=MRN, name=PersonName(family="Brandt", given="Walter"), birth_date=date(1957, 9, 3),
        sex=AdministrativeSex.MALE, address=address, as_of=ADMITTED.date(),
    )
    keystone = Payer(payer_id=PayerId("KEYST1"), name="Keystone Health",
                     kind=PayerKind.COMMERCIAL, timely_filing=TimelyFiling(days=180))
    medicare = Payer(payer_id=PayerId("MCAREA"), name="Medicare Part A",
                     kind=PayerKind.MEDICARE, timely_filing=TimelyFiling(months=12))
    employer = Coverage(
        payer=keystone, plan=Plan(name="Keystone PPO", plan_type=PlanType.PPO),
        member_id=MemberId("KH5520918"), group_number="GRP7781",
        subscriber=Subscriber(member_id=MemberId("KH5520918"), name=patient.name,
                              birth_date=patient.birth_date, sex=patient.sex,
                              employment_status=EmploymentStatus.ACTIVE),
        relationship=Relationship.SELF, period=Period(date(2019, 1, 1)),
        order=CoverageOrder.SECONDARY,
    )
    part_a = Coverage(
        payer=medicare, plan=Plan(name="Original Medicare", plan_type=PlanType.OTHER),
        member_id=MemberId("1EG4TE5MK72"),
        subscriber=Subscriber(member_id=MemberId("1EG4TE5MK72"), name=patient.name,
                              birth_date=patient.birth_date, sex=patient.sex),
        relationship=Relationship.SELF, period=Period(date(2022, 9, 1)),
        order=CoverageOrder.PRIMARY,
    )
    ranked = order_coverages(patient, [part_a, employer], on=ADMITTED.date())
    primary, secondary = (r.coverage for r in ranked)
    assert secondary.medicare_secondary_type is not None
    account = PatientAccount(patient=patient, coverages=(primary, secondary))
    hospital = Organization(npi=NPI("1234567893"), name="Lancaster General Hospital",
                            tax_id=TaxId("23-1352203"), address=address)
    payee = Payee(name=hospital.name, npi=hospital.npi)
    attending = Provider(npi=NPI("1245319599"), name=PersonName(family="Osei", given="Ama"))

    print("== Inpatient stay: three days, two payers ==")
    print(f"order of benefits: {primary.payer.name} ({ranked[0].reason.value}), then "
          f"{secondary.payer.name} (MSP type {secondary.medicare_secondary_type.value})")
    stage("1. registration", account)
    inquiry = EligibilityInquiry(coverage=primary, service_on=ADMITTED.date(), patient=patient)
    response = EligibilityResponse(
        plan_period=Period(date(2026, 1, 1), date(2026, 12, 31)),
        benefits=[BenefitRow(info=BenefitInfo.ACTIVE_COVERAGE, service_types=("30",))],
    )
    account = attrs.evolve(account, verifications=(verify(inquiry, response,
                                                          on=ADMITTED.date()),))
    stage("2. eligibility verified (Keystone, primary)", account)

    # The desk's quote for the expected DRG payment: Keystone allows 5412.36 with 1000.00
    # of deductible left; Medicare, secondary, pays by its MSP rule.
    year = Period(date(2026, 1, 1), date(2026, 12, 31))
    quote = estimate_combined(usd("7730.00"), [
        CoverageTerms(coverage=primary, allowed=usd("5412.36"), benefits=Benefits(
            period=year, in_network=NetworkBenefits(
                individual_deductible=Accumulator(limit=usd("1500.00"), met=usd("500.00")),
                coinsurance=Rate.percent(0)))),
        CoverageTerms(coverage=secondary, allowed=usd("5100.00"),
                      cob=CobMethod.MEDICARE_SECONDARY, benefits=Benefits(
                          period=year, in_network=NetworkBenefits(
                              individual_deductible=Accumulator(limit=usd("1736.00"),
                                                                met=usd("1536.00")),
                              coinsurance=Rate.percent(0)))),
    ])
    print(f"   quote: Keystone {quote.payers[0].pays.format()}, Medicare "
          f"{quote.payers[1].pays.format()}, patient {quote.patient.format()}")

    # -- the stay ------------------------------------------------------------------------
    ward = Facility(name="Lancaster General Hospital", address=address,
                    place_of_service=PlaceOfService("21"))
    stay = plan_encounter(id="ENC-0202", patient=MRN, encounter_class=EncounterClass.INPATIENT,
                          facility=ward, care_team=[
                              CareTeamMember(role=ProviderRole.ATTENDING, provider=attending)])
    stay = admit(stay, at=ADMITTED, admission_type=AdmissionType.EMERGENCY,
                 source=AdmissionSource.NON_HEALTH_CARE_FACILITY)
    account = attrs.evolve(account, encounters=(stay,))
    stage("3. admitted through the emergency room", account)
    stay = discharge(stay, at=DISCHARGED, disposition=DischargeDisposition.HOME)
    account = attrs.evolve(account, encounters=(stay,))
    stage("4. discharged home after three days", account)

    on = DISCHARGED.date()
    coding = code_encounter(
        stay,
        [Diagnosis(code=ICD10CM("J18.9"), sequence=1,
                   present_on_admission=PresentOnAdmission.YES),
         Diagnosis(code=ICD10CM("E11.9"), sequence=2,
                   present_on_admission=PresentOnAdmission.YES)],
        [], CodeSets(), on=on, sex=patient.sex, birth_date=patient.birth_date,
        professional=False,
    )
    account = attrs.evolve(account, coded=(coding.coded,))
    stage("5. coded (J18.9 POA Y, E11.9 POA Y; DRG 195)", account)

    admitted_on = ADMITTED.date()
    entries = [
        enter_revenue_charge(id="RB-0202", revenue_code=RevenueCode("0120"), units=3,
                             rate=usd("2100.00"), service_date=admitted_on, on=on,
                             encounter_id=stay.id.value),
        enter_revenue_charge(id="RX-0202", revenue_code=RevenueCode("0250"),
                             rate=usd("1240.00"), service_date=admitted_on, on=on,
                             encounter_id=stay.id.value),
        enter_revenue_charge(id="LAB-0202", revenue_code=RevenueCode("0300"),
                             code=CPT("85025"), units=2, rate=usd("95.00"),
                             service_date=admitted_on, on=on, encounter_id=stay.id.value),
    ]
    charges = tuple(c for entry in entries for c in entry.charges)
    account = attrs.evolve(account, charges=charges)
    stage("6. charges: 0120 x 3, 0250, 0300 (85025 x 2)", account)

    # -- the primary claim (837I) ----------------------------------------------------------
    diagnoses = coding.coded.diagnoses
    (claim,) = build_claim(
        id=ClaimId("LG0202WB"), kind=ClaimKind.INSTITUTIONAL, charges=charges,
        patient=patient, coverage=primary, billing_provider=hospital,
        attending_provider=attending, type_of_bill=TypeOfBill("0111"),
        admission=admission_info(stay), diagnoses=[d.code for d in diagnoses],
        present_on_admission=[d.present_on_admission for d in diagnoses],
        drg=DRG("195"), occurrences=[Occurrence(code=OccurrenceCode("11"),
                                                on=date(2026, 1, 30))],
        procedures=[InpatientProcedure(code=ICD10PCS("3E0234Z"), on=admitted_on)],
    )
    ledger = post_charges(account.ledger, claim, on=on, encounter=stay.id)
    report = scrub(claim, context=EditContext(as_of=date(2026, 2, 6)))
    claim = mark_ready(claim, report, at=at(2, 6))
    text = write_837i([claim], submitter=Submitter(name="LGH BILLING", id="LGH01",
                                                   contact_name="Billing Office",
                                                   phone="7175550100"),
                      receiver=Receiver("KEYSTONE HEALTH", "KEYST1"),
                      control_numbers=ControlNumbers(interchange=11, group=11, transaction=1),
                      at=at(2, 6, 10))
    his = [s for s in text.split("~") if s.startswith(("HI*", "SV2*"))]
    claim = acknowledge(submit(claim, at=at(2, 6, 11)), at=at(2, 7, 7),
                        payer_claim_number=PayerClaimNumber("KH26020700311"))
    account = attrs.evolve(account, claims=(claim,), ledger=ledger)
    stage(f"7. 837I to Keystone ({len(report.errors)} scrub errors), accepted", account)
    for segment in his:
        print(f"   {segment}")

    # Keystone pays the DRG: allowed 5412.36, 1000.00 of it the deductible.
    paid_primary = ClaimPayment(
        claim=claim.id, status=ClaimStatusCode.PROCESSED_AS_PRIMARY, charge=usd("7730.00"),
        paid=usd("4412.36"), patient_responsibility=usd("1000.00"),
        payer_claim_number=PayerClaimNumber("KH26020700311"),
        adjustments=[cas("CO", "45", "2317.64"), cas("PR", "1", "1000.00")],
    )
    result = post_remittance(account.ledger, account.claims,
                             remittance(keystone, payee, paid_primary, "EFT0220KH",
                                        date(2026, 2, 20)),
                             coverages=account.coverage_map)
    (claim,) = result.claims
    account = attrs.evolve(account, claims=(claim,), ledger=result.ledger)
    stage("8. Keystone's 835 posted (paid $4,412.36)", account)

    # -- the secondary claim to Medicare -----------------------------------------------------
    second = secondary_claim(claim, paid_primary, secondary, at=at(2, 21))
    msp = ValueAmount(code=ValueCode(secondary.medicare_secondary_type.value_code),
                      amount=paid_primary.paid)
    second = attrs.evolve(second, value_codes=(*second.value_codes, msp))
    second_report = scrub(second, context=EditContext(as_of=date(2026, 2, 21)))
    second = mark_ready(second, second_report, at=at(2, 21, 10))
    second = acknowledge(submit(second, at=at(2, 21, 11)), at=at(2, 22, 7),
                         payer_claim_number=PayerClaimNumber("22026053000871"))
    account = attrs.evolve(account, claims=(claim, second))
    stage(f"9. 837I to Medicare with value code 12 ({len(second_report.errors)} errors)",
          account)

    # Medicare pays by 42 CFR 411.33(b): the least of the charge less Keystone's payment,
    # what it would pay as primary, and the higher allowed amount less Keystone's payment.
    paid_secondary = ClaimPayment(
        claim=second.id, status=ClaimStatusCode.PROCESSED_AS_SECONDARY,
        charge=usd("7730.00"), paid=usd("1000.00"), patient_responsibility=usd("0.00"),
        payer_claim_number=PayerClaimNumber("22026053000871"),
        adjustments=[cas("OA", "23", "4412.36"), cas("CO", "45", "2317.64")],
    )
    result = post_remittance(account.ledger, account.claims,
                             remittance(medicare, payee, paid_secondary, "EFT0306MC",
                                        date(2026, 3, 6)),
                             coverages=account.coverage_map)
    account = attrs.evolve(account, claims=result.claims, ledger=result.ledger)
    stage("10. Medicare's 835 posted (paid $1,000.00)", account)

    # -- the patient -------------------------------------------------------------------------
    bill = statement(account.ledger, patient, as_of=date(2026, 3, 9))
    print(f"   statement of 2026-03-09: {bill.amount_due.format()} due (the quote said "
          f"{quote.patient.format()})")
    claims = close_settled_claims(account.claims, account.ledger, at=at(3, 9, 12))
    account = attrs.evolve(account, claims=claims)
    stage("11. nothing left to pay; settled claims closed", account)

    money = account.balances
    print()
    print(f"charges {money.charges.format()} = payers {money.payer_paid.format()}"
          f" + patient {money.patient_paid.format()} + adjustments {money.adjusted.format()}"
          f" + write-offs {money.written_off.format()} + open {money.outstanding.format()}")
    print(f"claims: {', '.join(f'{c.coverage.payer.name} {c.status.value}' for c in claims)}")
    print(f"Account {MRN} is {account.stage.value.replace('_', ' ')}.")


if __name__ == "__main__":
    main()
