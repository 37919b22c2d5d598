"""Encounters per second from registration to paid in full, through the public API.

Run: ``python benchmarks/bench_cycle.py [encounters]`` (default 2000). Each encounter is a
new patient with two coverages taken through every stage of ``examples/revenue_cycle.py``:
registration, eligibility, the visit, coding, charge entry, claim build and scrub,
submission, the primary's 835, the secondary claim and its 835, the statement, the
patient's payment, closing the claims and reading the stage. All encounters post to one
shared ledger, so the later ones run against a large ledger. The time is split by stage.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TypeVar

from claimcore.charges import FeePrice, FeeSchedule, enter_charges
from claimcore.claims import (
    Claim,
    ClaimKind,
    EditContext,
    acknowledge,
    build_claim,
    mark_ready,
    scrub,
    submit,
)
from claimcore.codes import (
    CARC,
    CPT,
    ICD10CM,
    AdjustmentGroup,
    ClaimStatusCode,
    CodeSets,
    PlaceOfService,
)
from claimcore.coding import Diagnosis, ProcedureLine, code_encounter
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
from claimcore.cycle import AccountStage, PatientAccount, close_settled_claims
from claimcore.eligibility import (
    BenefitInfo,
    BenefitRow,
    EligibilityInquiry,
    EligibilityResponse,
    verify,
)
from claimcore.encounters import (
    DischargeDisposition,
    Encounter,
    EncounterClass,
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
from claimcore.money import Money
from claimcore.patients import Address, AdministrativeSex, PersonName, register
from claimcore.periods import Period
from claimcore.posting import post_charges, post_patient_payment, post_remittance, secondary_claim
from claimcore.providers import Organization
from claimcore.remittance import (
    Adjustment,
    ClaimPayment,
    Payee,
    PaymentMethod,
    Remittance,
    RemittancePayer,
    ServicePayment,
)
from claimcore.statements import statement

T = TypeVar("T")
DOS = date(2026, 3, 2)
ADDRESS = Address(lines=("1 Main St",), city="Springfield", state="IL", postal_code="62701")
CLINIC = Organization(npi=NPI("1234567893"), name="Springfield Clinic",
                      tax_id=TaxId("12-3456789"), address=ADDRESS)
PAYEE = Payee(name="Springfield Clinic", npi=NPI("1234567893"))
ACME = Payer(payer_id=PayerId("ACME1"), name="Acme Health", kind=PayerKind.COMMERCIAL,
             timely_filing=TimelyFiling(days=180))
BEACON = Payer(payer_id=PayerId("BEACON7"), name="Beacon Mutual", kind=PayerKind.COMMERCIAL,
               timely_filing=TimelyFiling(days=365))
FEES = FeeSchedule(name="2026", effective=Period(date(2026, 1, 1), date(2026, 12, 31)),
                   prices=[FeePrice(code=CPT("99214"), modifier=None,
                                    price=Money(Decimal("175.00"))),
                           FeePrice(code=CPT("80053"), modifier=None,
                                    price=Money(Decimal("60.00")))])
CONTEXT = EditContext(as_of=DOS + timedelta(days=1))
ACTIVE = EligibilityResponse(plan_period=Period(date(2026, 1, 1), date(2026, 12, 31)),
                             benefits=[BenefitRow(info=BenefitInfo.ACTIVE_COVERAGE)])


def usd(text: str) -> Money:
    return Money(Decimal(text))


def cas(group: str, reason: str, amount: str) -> Adjustment:
    return Adjustment(group=AdjustmentGroup(group), reason=CARC(reason), amount=usd(amount))


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def coverage(payer: Payer, member: MemberId, name: PersonName, order: CoverageOrder) -> Coverage:
    return Coverage(
        payer=payer, plan=Plan(name="PPO", plan_type=PlanType.PPO), member_id=member,
        subscriber=Subscriber(member_id=member, name=name, birth_date=date(1980, 1, 1),
                              sex=AdministrativeSex.FEMALE),
        relationship=Relationship.SELF, period=Period(date(2025, 1, 1)), order=order,
    )


def remittance(payer: Payer, cp: ClaimPayment, trace: str) -> Remittance:
    return Remittance(payer=RemittancePayer(payer_id=payer.payer_id, name=payer.name),
                      payee=PAYEE, method=PaymentMethod.ACH, payment=cp.paid, trace=trace,
                      paid_on=date(2026, 3, 19), claims=[cp])


def one(n: int, ledger: Ledger, clock: dict[str, float]) -> Ledger:
    """One encounter from registration to paid in full; returns the shared ledger."""

    def timed(stage: str, step: Callable[[], T]) -> T:
        t0 = time.perf_counter()
        out = step()
        clock[stage] += time.perf_counter() - t0
        return out

    mrn = MedicalRecordNumber(f"MRN{n:07d}")
    name = PersonName(family="Doe", given="Alex")
    patient = timed("registration", lambda: register(
        mrn=mrn, name=name, birth_date=date(1980, 1, 1), sex=AdministrativeSex.FEMALE,
        address=ADDRESS, as_of=DOS))
    primary = coverage(ACME, MemberId(f"A{n:08d}"), name, CoverageOrder.PRIMARY)
    second_cov = coverage(BEACON, MemberId(f"B{n:08d}"), name, CoverageOrder.SECONDARY)
    checked = timed("eligibility", lambda: verify(
        EligibilityInquiry(coverage=primary, service_on=DOS), ACTIVE, on=DOS))

    def visit_steps() -> Encounter:
        v = plan_encounter(id=f"E{n}", patient=mrn, encounter_class=EncounterClass.AMBULATORY,
                           place_of_service=PlaceOfService("11"))
        v = start(v, at=at(2, 9))
        return discharge(v, at=at(2, 10), disposition=DischargeDisposition.HOME)

    visit = timed("visit", visit_steps)
    day = Period.day(DOS)
    coding = timed("coding", lambda: code_encounter(
        visit,
        [Diagnosis(code=ICD10CM("E11.9"), sequence=1)],
        [ProcedureLine(code=CPT("99214"), service_period=day, diagnosis_pointers=(1,)),
         ProcedureLine(code=CPT("80053"), service_period=day, diagnosis_pointers=(1,))],
        CodeSets(), on=DOS))
    entry = timed("charge entry", lambda: enter_charges(coding.coded, FEES, on=DOS))

    def bill() -> tuple[Claim, Ledger]:
        (claim,) = build_claim(id=ClaimId(f"C{n}"), kind=ClaimKind.PROFESSIONAL,
                               charges=entry.charges, patient=patient, coverage=primary,
                               billing_provider=CLINIC)
        posted = post_charges(ledger, claim, on=DOS, encounter=f"E{n}")
        claim = mark_ready(claim, scrub(claim, context=CONTEXT), at=at(3, 9))
        claim = acknowledge(submit(claim, at=at(3, 10)), at=at(4, 9))
        return claim, posted

    claim, ledger = timed("claim build, scrub, submit", bill)
    coverages = {mrn: (primary, second_cov)}
    acme_cp = ClaimPayment(
        claim=ClaimId(f"C{n}"), status=ClaimStatusCode.PROCESSED_AS_PRIMARY,
        charge=usd("235.00"), paid=usd("112.00"),
        payer_claim_number=PayerClaimNumber(f"A{n}"),
        services=[
            ServicePayment(procedure=CPT("99214"), charge=usd("175.00"), paid=usd("80.00"),
                           line_ref="1", adjustments=[cas("CO", "45", "25.00"),
                                                      cas("PR", "1", "50.00"),
                                                      cas("PR", "2", "20.00")]),
            ServicePayment(procedure=CPT("80053"), charge=usd("60.00"), paid=usd("32.00"),
                           line_ref="2", adjustments=[cas("CO", "45", "20.00"),
                                                      cas("PR", "2", "8.00")])])
    first = timed("primary 835", lambda: post_remittance(
        ledger, [claim], remittance(ACME, acme_cp, f"A{n}"), coverages=coverages))

    def second_bill() -> Claim:
        c = secondary_claim(first.claims[0], acme_cp, second_cov, at=at(20, 9))
        c = mark_ready(c, scrub(c, context=CONTEXT), at=at(20, 10))
        return acknowledge(submit(c, at=at(20, 11)), at=at(21, 9))

    second = timed("secondary claim", second_bill)
    beacon_cp = ClaimPayment(
        claim=ClaimId(f"C{n}"), status=ClaimStatusCode.PROCESSED_AS_SECONDARY,
        charge=usd("235.00"), paid=usd("18.00"), payer_claim_number=PayerClaimNumber(f"B{n}"),
        adjustments=[cas("OA", "23", "157.00"), cas("PR", "2", "60.00")])
    last = timed("secondary 835", lambda: post_remittance(
        first.ledger, [first.claims[0], second], remittance(BEACON, beacon_cp, f"B{n}"),
        coverages=coverages))
    bill_out = timed("statement", lambda: statement(last.ledger, mrn, as_of=date(2026, 4, 3)))
    ledger = timed("patient payment", lambda: post_patient_payment(
        last.ledger, patient=mrn, amount=bill_out.amount_due, on=date(2026, 4, 20),
        reference=f"P{n}"))

    def settle() -> AccountStage:
        claims = close_settled_claims(last.claims, ledger, at=at(30, 9))
        return PatientAccount(patient=patient, coverages=(primary, second_cov),
                              verifications=(checked,), encounters=(visit,),
                              claims=claims, ledger=ledger).stage

    stage = timed("close and stage", settle)
    if stage is not AccountStage.PAID_IN_FULL:  # pragma: no cover - a broken cycle
        raise SystemExit(f"encounter {n} ended {stage}")
    return ledger


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    clock: dict[str, float] = defaultdict(float)
    ledger = Ledger()
    t0 = time.perf_counter()
    for n in range(1, count + 1):
        ledger = one(n, ledger, clock)
    total = time.perf_counter() - t0
    print(f"{count} encounters, registration to paid in full, one shared ledger of "
          f"{len(ledger)} transfers")
    print(f"{count / total:,.0f} encounters per second ({total:.2f} s, "
          f"{total / count * 1000:.2f} ms each)")
    print()
    print(f"{'stage':<28} {'ms/encounter':>13} {'share':>6}")
    for stage, seconds in clock.items():
        print(f"{stage:<28} {seconds / count * 1000:>13.3f} {seconds / total:>6.1%}")


if __name__ == "__main__":
    main()
