"""One patient, two coverages, every stage of the revenue cycle, to paid in full.

Run it with ``python examples/revenue_cycle.py``. Everything is fixed (dates, times,
amounts), so the output is the same on every run. The payers' side (their 835s) comes
from claimcore's payer in a box (``claimcore.adjudication``): each payer's rules (fee
schedule, the member's deductible and coinsurance, its COB method) decide the claim the
way the payer would. ``examples/denial_and_appeal.py`` writes an 835 out by hand.

The story: Dana Reyes (MRN00077311) has her employer's PPO (Acme Health, primary) and
her spouse's plan (Beacon Mutual, secondary). She pays a $20.00 copay at check-in, sees
Dr. Hopper for a level-4 office visit with a metabolic panel, and goes home. The clinic
codes and prices the visit, bills Acme, posts Acme's 835 (CO-45, PR-1 deductible, PR-2
coinsurance), bills Beacon with Acme's adjudication, posts Beacon's 835 (it pays by
non-duplication), sends Dana a statement for what is left, posts her payment, and closes
the account: paid in full.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

import attrs

from claimcore.adjudication import Contract, PayerRules, adjudicate, remit
from claimcore.charges import FeePrice, FeeSchedule, enter_charges
from claimcore.claims import (
    ClaimKind,
    EditContext,
    acknowledge,
    build_claim,
    mark_ready,
    scrub,
    submit,
)
from claimcore.codes import (
    CPT,
    ICD10CM,
    CodeSets,
    MdmLevel,
    MedicalDecisionMaking,
    PlaceOfService,
    em_level,
)
from claimcore.coding import Diagnosis, ProcedureLine, code_encounter
from claimcore.coverage import (
    Accumulator,
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
    DischargeDisposition,
    EncounterClass,
    arrive,
    discharge,
    plan_encounter,
    start,
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
from claimcore.ledger import Ledger
from claimcore.money import Money, Rate
from claimcore.patients import Address, AdministrativeSex, PersonName, register
from claimcore.periods import Period
from claimcore.posting import (
    CobMethod,
    PatientPaymentMethod,
    collect_prepayment,
    post_charges,
    post_patient_payment,
    post_remittance,
    secondary_claim,
)
from claimcore.providers import (
    CareTeamMember,
    Facility,
    Organization,
    Provider,
    ProviderRole,
)
from claimcore.remittance import Payee, PaymentMethod
from claimcore.statements import statement

DOS = date(2026, 3, 2)
MRN = MedicalRecordNumber("MRN00077311")
CLAIM_ID = ClaimId("DR0302A")


def usd(text: str) -> Money:
    """Dollars from text, exactly."""
    return Money(Decimal(text))


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """A fixed moment in 2026 (UTC)."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain text table: left-aligned text, right-aligned amounts."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]

    def fmt(cells: Sequence[str]) -> str:
        out = []
        for cell, width in zip(cells, widths, strict=True):
            amount = cell.startswith(("$", "-$"))
            out.append(cell.rjust(width) if amount else cell.ljust(width))
        return "  ".join(out).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(headers), rule, *(fmt(r) for r in rows)])


def stage(step: str, account: PatientAccount) -> None:
    print(f"{step:<44} stage: {account.stage.value}")


def main() -> None:
    address = Address(lines=("14 Elm St",), city="Springfield", state="IL", postal_code="62704")
    patient = register(
        mrn=MRN, name=PersonName(family="Reyes", given="Dana"), birth_date=date(1981, 6, 9),
        sex=AdministrativeSex.FEMALE, address=address, as_of=DOS,
    )
    acme = Payer(payer_id=PayerId("ACME1"), name="Acme Health", kind=PayerKind.COMMERCIAL,
                 timely_filing=TimelyFiling(days=180))
    beacon = Payer(payer_id=PayerId("BEACON7"), name="Beacon Mutual",
                   kind=PayerKind.COMMERCIAL, timely_filing=TimelyFiling(days=365))
    own = Coverage(
        payer=acme, plan=Plan(name="Acme PPO", plan_type=PlanType.PPO),
        member_id=MemberId("ACM448812"),
        subscriber=Subscriber(member_id=MemberId("ACM448812"), name=patient.name,
                              birth_date=patient.birth_date, sex=patient.sex,
                              employment_status=EmploymentStatus.ACTIVE),
        relationship=Relationship.SELF, period=Period(date(2025, 1, 1)),
        order=CoverageOrder.PRIMARY,
    )
    spouse = Coverage(
        payer=beacon, plan=Plan(name="Beacon Choice", plan_type=PlanType.PPO),
        member_id=MemberId("BMX220931"),
        subscriber=Subscriber(member_id=MemberId("BMX220931"),
                              name=PersonName(family="Reyes", given="Sam"),
                              birth_date=date(1979, 11, 2), sex=AdministrativeSex.MALE,
                              employment_status=EmploymentStatus.ACTIVE),
        relationship=Relationship.SPOUSE, period=Period(date(2024, 7, 1)),
        order=CoverageOrder.SECONDARY,
    )
    ranked = order_coverages(patient, [spouse, own], on=DOS)
    coverages = tuple(r.coverage for r in ranked)
    primary, secondary = coverages
    account = PatientAccount(patient=patient, coverages=coverages)

    clinic = Organization(npi=NPI("1234567893"), name="Springfield Family Medicine",
                          tax_id=TaxId("12-3456789"), address=address)
    office = Facility(name="Springfield Family Medicine", address=address,
                      place_of_service=PlaceOfService("11"))
    doctor = Provider(npi=NPI("1245319599"), name=PersonName(family="Hopper", given="Grace"))

    print("== Revenue cycle: one office visit, two payers ==")
    print()
    print("Stages")
    stage("1. registration", account)

    # -- eligibility, the copay at the desk, the visit ---------------------------------
    inquiry = EligibilityInquiry(coverage=primary, service_on=DOS)
    response = EligibilityResponse(
        plan_period=Period(date(2026, 1, 1), date(2026, 12, 31)),
        benefits=[BenefitRow(info=BenefitInfo.ACTIVE_COVERAGE, service_types=("30",))],
    )
    account = attrs.evolve(account, verifications=(verify(inquiry, response, on=DOS),))
    stage("2. eligibility verified (Acme, primary)", account)

    visit = plan_encounter(id="ENC-0302", patient=MRN, encounter_class=EncounterClass.AMBULATORY,
                           facility=office,
                           care_team=[CareTeamMember(role=ProviderRole.RENDERING,
                                                     provider=doctor)])
    visit = arrive(visit, at=at(2, 8, 50))
    ledger = collect_prepayment(Ledger(), patient=MRN, amount=usd("20.00"), on=DOS,
                                reference="DESK-5521", encounter=visit.id,
                                method=PatientPaymentMethod.CARD)
    visit = start(visit, at=at(2, 9, 5))
    account = attrs.evolve(account, encounters=(visit,), ledger=ledger)
    stage("3. admitted (visit started; $20.00 copay)", account)
    visit = discharge(visit, at=at(2, 9, 45), disposition=DischargeDisposition.HOME)
    account = attrs.evolve(account, encounters=(visit,))
    stage("4. discharged", account)

    # -- coding and charges -------------------------------------------------------------
    day = Period.day(DOS)
    # Documented: two stable chronic illnesses (moderate problems), one test ordered
    # (minimal data), prescription drug management (moderate risk); 25 minutes in all.
    level = em_level(new_patient=False, minutes=25, mdm=MedicalDecisionMaking(
        problems=MdmLevel.MODERATE, data=MdmLevel.STRAIGHTFORWARD, risk=MdmLevel.MODERATE))
    assert level.code is not None
    coding = code_encounter(
        visit,
        [Diagnosis(code=ICD10CM("E11.9"), sequence=1), Diagnosis(code=ICD10CM("I10"),
                                                                 sequence=2)],
        [ProcedureLine(code=level.code, service_period=day, diagnosis_pointers=(1, 2),
                       rendering_provider=doctor.npi),
         ProcedureLine(code=CPT("80053"), service_period=day, diagnosis_pointers=(1,))],
        CodeSets(), on=DOS, sex=patient.sex, birth_date=patient.birth_date, em=level,
    )
    assert coding.ok
    print(f"   E/M {level.code} by {level.basis}: {level.reasons[0]}")
    account = attrs.evolve(account, coded=(coding.coded,))
    stage("5. coded (E11.9, I10; 99214, 80053)", account)

    fees = FeeSchedule(
        name="2026 clinic charges", effective=Period(date(2026, 1, 1), date(2026, 12, 31)),
        prices=[FeePrice(code=CPT("99214"), modifier=None, price=usd("175.00")),
                FeePrice(code=CPT("80053"), modifier=None, price=usd("60.00"))],
    )
    entry = enter_charges(coding.coded, fees, on=DOS)
    account = attrs.evolve(account, charges=entry.charges)
    stage("6. charges entered ($235.00)", account)

    # -- the primary claim --------------------------------------------------------------
    (claim,) = build_claim(
        id=CLAIM_ID, kind=ClaimKind.PROFESSIONAL, charges=entry.charges, patient=patient,
        coverage=primary, billing_provider=clinic, rendering_provider=doctor,
        facility=office,
    )
    ledger = post_charges(account.ledger, claim, on=DOS, encounter=visit.id)
    report = scrub(claim, context=EditContext(as_of=date(2026, 3, 3)))
    claim = mark_ready(claim, report, at=at(3, 10))
    account = attrs.evolve(account, claims=(claim,), ledger=ledger)
    stage("7. claim built and scrubbed (0 errors)", account)
    claim = submit(claim, at=at(3, 11))
    account = attrs.evolve(account, claims=(claim,))
    stage("8. claim submitted to Acme (837P)", account)
    claim = acknowledge(claim, at=at(4, 7), payer_claim_number=PayerClaimNumber("ACM2603040077"))
    account = attrs.evolve(account, claims=(claim,))
    stage("9. accepted (277CA)", account)

    # Acme allows 150.00 and 40.00; 50.00 of deductible is left; coinsurance is 20%.
    acme_rules = PayerRules(
        payer=acme, coverage_period=own.period,
        contract=Contract(fee_schedule=FeeSchedule(
            name="Acme 2026 allowed", effective=fees.effective,
            prices=[FeePrice(code=CPT("99214"), modifier=None, price=usd("150.00")),
                    FeePrice(code=CPT("80053"), modifier=None, price=usd("40.00"))])),
        benefits=NetworkBenefits(
            individual_deductible=Accumulator(limit=usd("500.00"), met=usd("450.00")),
            coinsurance=Rate.percent(20)),
    )
    acme_decision = adjudicate(claim, acme_rules, on=date(2026, 3, 18))
    acme_payment = acme_decision.payment
    payee = Payee(name="Springfield Family Medicine", npi=clinic.npi)
    acme_835 = remit(acme_decision, payer=acme, payee=payee, paid_on=date(2026, 3, 19),
                     trace="ACH0319001")
    result = post_remittance(account.ledger, account.claims, acme_835,
                             coverages=account.coverage_map)
    (claim,) = result.claims
    account = attrs.evolve(account, claims=(claim,), ledger=result.ledger)
    stage("10. Acme's 835 posted (paid $112.00)", account)

    # -- the secondary claim ------------------------------------------------------------
    second = secondary_claim(claim, acme_payment, secondary, at=at(20, 9))
    second = mark_ready(second, scrub(second, context=EditContext(as_of=date(2026, 3, 20))),
                        at=at(20, 9, 5))
    second = submit(second, at=at(20, 10))
    second = acknowledge(second, at=at(21, 7))
    account = attrs.evolve(account, claims=(claim, second))
    stage("11. secondary claim to Beacon (2320/2430)", account)

    # Beacon pays by non-duplication: its own benefit (70% of its 140.00 allowed for the
    # visit, nothing for the panel after Acme) less what Acme paid; Acme's part is OA-23.
    beacon_rules = PayerRules(
        payer=beacon, coverage_period=spouse.period, cob=CobMethod.NON_DUPLICATION,
        contract=Contract(fee_schedule=FeeSchedule(
            name="Beacon 2026 allowed", effective=fees.effective,
            prices=[FeePrice(code=CPT("99214"), modifier=None, price=usd("140.00")),
                    FeePrice(code=CPT("80053"), modifier=None, price=usd("40.00"))])),
        benefits=NetworkBenefits(coinsurance=Rate.percent(30)),
    )
    beacon_decision = adjudicate(second, beacon_rules, on=date(2026, 4, 1))
    beacon_payment = beacon_decision.payment
    beacon_835 = remit(beacon_decision, payer=beacon, payee=payee, paid_on=date(2026, 4, 2),
                       trace="CHK88231", method=PaymentMethod.CHECK)
    result = post_remittance(account.ledger, account.claims, beacon_835,
                             coverages=account.coverage_map)
    account = attrs.evolve(account, claims=result.claims, ledger=result.ledger)
    stage(f"12. Beacon's 835 posted (paid {beacon_payment.paid.format()})", account)

    # -- the patient ---------------------------------------------------------------------
    bill = statement(account.ledger, patient, as_of=date(2026, 4, 3))
    stage(f"13. statement: {bill.amount_due.format()} due {bill.due_on.isoformat()}", account)
    ledger = post_patient_payment(account.ledger, patient=MRN, amount=bill.amount_due,
                                  on=date(2026, 4, 20), reference="WEB-90412",
                                  method=PatientPaymentMethod.CARD)
    claims = close_settled_claims(account.claims, ledger, at=at(20, 12, month=4))
    account = attrs.evolve(account, ledger=ledger, claims=claims)
    stage("14. patient paid; settled claims closed", account)

    # -- tables --------------------------------------------------------------------------
    print()
    print("Statement of 2026-04-03")
    rows = [
        [str(item.encounter), activity.payer.value, activity.paid.format(),
         activity.adjusted.format(), activity.transferred.format(),
         activity.patient_responsibility.format()]
        for item in bill.items for activity in item.payers
    ]
    print(table(["encounter", "payer", "paid", "adjusted", "to next payer", "to patient"],
                rows))
    print(f"charges {bill.items[0].charges.format()}; balance {bill.balance.format()}; "
          f"credit {bill.credit.format()}; amount due {bill.amount_due.format()}")

    print()
    print("Ledger")
    print(table(
        ["date", "transfer", "debit", "credit", "amount"],
        [[t.on.isoformat(), t.id.value, t.debit.key, t.credit.key, t.amount.format()]
         for t in account.ledger],
    ))

    print()
    print("Final balances")
    print(table(["account", "balance"],
                [[a.key, b.format()] for a, b in account.ledger.balances().items()]))
    money = account.balances
    print()
    print(f"charges {money.charges.format()} = payers {money.payer_paid.format()}"
          f" + patient {money.patient_paid.format()} + adjustments {money.adjusted.format()}"
          f" + write-offs {money.written_off.format()} + open {money.outstanding.format()}")
    print(f"claims: {', '.join(f'{c.coverage.payer.name} {c.status.value}' for c in claims)}")
    print(f"Account {MRN} is {account.stage.value.replace('_', ' ')}.")


if __name__ == "__main__":
    main()
