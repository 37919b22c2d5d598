"""A denied claim, its appeal, and the payment that follows.

Run it with ``python examples/denial_and_appeal.py``; the output is the same every time.

Medicare denies an office visit with an ECG as not medically necessary (CO-50, remark
N115). claimcore posts the denial to its own account (``contra:denial``, never the
contractual allowance), where the $260.00 waits while the clinic appeals (redetermination,
within 120 days). On redetermination Medicare pays: the appeal is overturned, the denial is
moved back to Medicare's receivable and paid from there; the patient's 20% coinsurance
moves to her account, she pays it, and the account is paid in full.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

import attrs

from claimcore.claims import (
    Claim,
    ClaimKind,
    ClaimLine,
    EditContext,
    acknowledge,
    appeal,
    mark_ready,
    scrub,
    submit,
)
from claimcore.codes import (
    CARC,
    CPT,
    ICD10CM,
    RARC,
    AdjustmentGroup,
    ClaimStatusCode,
    PlaceOfService,
)
from claimcore.coverage import (
    MEDICARE_APPEALS,
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
from claimcore.cycle import PatientAccount, close_settled_claims
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
from claimcore.posting import post_charges, post_patient_payment, post_remittance
from claimcore.providers import Organization
from claimcore.remittance import (
    Adjustment,
    ClaimPayment,
    Payee,
    PaymentMethod,
    ProviderAdjustment,
    Remittance,
    RemittancePayer,
    ServicePayment,
)
from claimcore.statements import statement

DOS = date(2026, 2, 9)
MRN = MedicalRecordNumber("MRN00051207")


def usd(text: str) -> Money:
    return Money(Decimal(text))


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def cas(group: str, reason: str, amount: str) -> Adjustment:
    return Adjustment(group=AdjustmentGroup(group), reason=CARC(reason), amount=usd(amount))


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = ["  ".join(c.rjust(w) if c.startswith(("$", "-$")) else c.ljust(w)
                       for c, w in zip(cells, widths, strict=True)).rstrip()
             for cells in [headers, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def remittance(payer: Payer, claims: list[ClaimPayment], trace: str, paid_on: date,
               plb: Sequence[ProviderAdjustment] = ()) -> Remittance:
    paid = sum((c.paid for c in claims), Money.zero())
    return Remittance(
        payer=RemittancePayer(payer_id=payer.payer_id, name=payer.name),
        payee=Payee(name="Riverside Cardiology", npi=NPI("1234567893")),
        method=PaymentMethod.ACH if paid.is_positive() else PaymentMethod.NON_PAYMENT,
        payment=paid, trace=trace, paid_on=paid_on, claims=claims, provider_adjustments=plb,
    )


def main() -> None:
    address = Address(lines=("9 Mill Rd",), city="Peoria", state="IL", postal_code="61602")
    patient = Patient(mrn=MRN, name=PersonName(family="Okafor", given="Grace"),
                      birth_date=date(1950, 4, 18), sex=AdministrativeSex.FEMALE,
                      address=address)
    medicare = Payer(payer_id=PayerId("MCARE1"), name="Medicare Part B",
                     kind=PayerKind.MEDICARE, timely_filing=TimelyFiling(months=12),
                     appeal_rules=MEDICARE_APPEALS)
    member = MemberId("1EG4TE5MK73")
    coverage = Coverage(
        payer=medicare, plan=Plan(name="Original Medicare", plan_type=PlanType.OTHER),
        member_id=member, subscriber=Subscriber(member_id=member, name=patient.name,
                                                birth_date=patient.birth_date,
                                                sex=patient.sex),
        relationship=Relationship.SELF, period=Period(date(2015, 5, 1)),
        order=CoverageOrder.PRIMARY,
    )
    clinic = Organization(npi=NPI("1234567893"), name="Riverside Cardiology",
                          tax_id=TaxId("36-4412098"), address=address)
    day = Period(DOS, DOS)
    claim = Claim(
        id=ClaimId("RC20260209"), kind=ClaimKind.PROFESSIONAL, encounter="ENC-0209",
        patient=patient,
        coverage=coverage, billing_provider=clinic, place_of_service=PlaceOfService("11"),
        diagnoses=(ICD10CM("R07.9"), ICD10CM("I10")),
        lines=[ClaimLine(line_number=1, procedure=CPT("99214"), charge=usd("190.00"),
                         service_period=day, pointers=(1, 2)),
               ClaimLine(line_number=2, procedure=CPT("93000"), charge=usd("70.00"),
                         service_period=day, pointers=(1,))],
    )
    ledger = post_charges(Ledger(), claim, on=DOS)
    claim = mark_ready(claim, scrub(claim, context=EditContext(as_of=DOS)), at=at(2, 10))
    claim = acknowledge(submit(claim, at=at(2, 10, 11)), at=at(2, 11),
                        payer_claim_number=PayerClaimNumber("22026042000123"))
    account = PatientAccount(patient=patient, coverages=(coverage,), claims=(claim,),
                             ledger=ledger)
    ar = Account.ar_payer(medicare.payer_id)
    print("== A denial and its appeal ==")
    print(f"billed {claim.total_charge.format()} to Medicare; stage {account.stage.value}")

    # -- the denial ---------------------------------------------------------------------
    denied = ClaimPayment(
        claim=claim.id, status=ClaimStatusCode.DENIED, charge=usd("260.00"),
        paid=usd("0.00"), payer_claim_number=PayerClaimNumber("22026042000123"),
        services=[
            ServicePayment(procedure=CPT("99214"), charge=usd("190.00"), paid=usd("0.00"),
                           adjustments=[cas("CO", "50", "190.00")], remarks=[RARC("N115")]),
            ServicePayment(procedure=CPT("93000"), charge=usd("70.00"), paid=usd("0.00"),
                           adjustments=[cas("CO", "50", "70.00")], remarks=[RARC("N115")]),
        ],
    )
    result = post_remittance(account.ledger, account.claims,
                             remittance(medicare, [denied], "EFT0227", date(2026, 2, 27)))
    account = attrs.evolve(account, claims=result.claims, ledger=result.ledger)
    (denial,) = result.denials
    adjudication = account.claims[0].adjudication
    assert adjudication is not None
    print()
    print("Denial posted on 2026-02-27")
    print(table(["claim", "reasons", "remarks", "held", "in contra:denial"],
                [[str(denial.claim), " ".join(denial.reasons),
                  " ".join(str(r) for r in denial.remarks), str(denial.held),
                  account.ledger.balance(Account.denial()).format()]]))
    print(f"category {denial.category.value}, follow up by {denial.follow_up_on}; "
          f"Medicare's A/R {account.ledger.balance(ar).format()}")
    print(f"claim {account.claims[0].status.value} ({adjudication.outcome.value}); "
          f"stage {account.stage.value}")

    # -- the appeal ----------------------------------------------------------------------
    level = MEDICARE_APPEALS.level(1)
    appealed = appeal(account.claims[0], at=at(3, 16), rules=MEDICARE_APPEALS,
                      amount_in_controversy=usd("260.00"),
                      reason="chest pain work-up: records attached")
    account = attrs.evolve(account, claims=(appealed,))
    filed = appealed.appeals[0]
    print()
    print(f"Appeal level {filed.level} ({level.name}) filed {filed.filed_on.isoformat()}, "
          f"deadline {filed.deadline.isoformat()}; claim {appealed.status.value}")

    # -- the redetermination pays --------------------------------------------------------
    paid = ClaimPayment(
        claim=claim.id, status=ClaimStatusCode.PROCESSED_AS_PRIMARY, charge=usd("260.00"),
        paid=usd("120.80"), payer_claim_number=PayerClaimNumber("22026042000123"),
        services=[
            ServicePayment(procedure=CPT("99214"), charge=usd("190.00"), paid=usd("104.00"),
                           allowed=usd("130.00"),
                           adjustments=[cas("CO", "45", "60.00"), cas("PR", "2", "26.00")]),
            ServicePayment(procedure=CPT("93000"), charge=usd("70.00"), paid=usd("16.80"),
                           allowed=usd("21.00"),
                           adjustments=[cas("CO", "45", "49.00"), cas("PR", "2", "4.20")]),
        ],
    )
    result = post_remittance(account.ledger, account.claims,
                             remittance(medicare, [paid], "EFT0501", date(2026, 5, 1)))
    account = attrs.evolve(account, claims=result.claims, ledger=result.ledger)
    after = account.claims[0].adjudication
    assert after is not None
    (decided,) = result.appeals
    print()
    print("Redetermination paid on 2026-05-01")
    print(table(["line", "charge", "allowed", "paid", "CO-45", "PR-2"], [
        [str(n), s.charge.format(), (s.allowed or Money.zero()).format(), s.paid.format(),
         s.adjustments[0].amount.format(), s.adjustments[1].amount.format()]
        for n, s in enumerate(paid.services, 1)
    ]))
    print(f"appeal {decided.outcome.value}: {decided.recovered.format()} left the denial "
          f"account (now {account.ledger.balance(Account.denial()).format()})")
    print(f"claim {account.claims[0].status.value} ({after.outcome.value}); "
          f"Medicare owes {account.ledger.balance(ar).format()}; stage {account.stage.value}")

    # -- the patient's coinsurance -------------------------------------------------------
    bill = statement(account.ledger, patient, as_of=date(2026, 5, 4))
    print(f"statement 2026-05-04: {bill.amount_due.format()} due {bill.due_on.isoformat()}")
    ledger = post_patient_payment(account.ledger, patient=MRN, amount=bill.amount_due,
                                  on=date(2026, 5, 15), reference="CHK-2231")
    claims = close_settled_claims(account.claims, ledger, at=at(5, 15, 12))
    account = attrs.evolve(account, ledger=ledger, claims=claims)
    money = account.balances
    print()
    print(table(["charges", "Medicare paid", "patient paid", "adjusted", "open"], [[
        money.charges.format(), money.payer_paid.format(), money.patient_paid.format(),
        money.adjusted.format(), money.outstanding.format()]]))
    print(f"Claim {claim.id} was paid on appeal; account {MRN} is "
          f"{account.stage.value.replace('_', ' ')}.")


if __name__ == "__main__":
    main()
