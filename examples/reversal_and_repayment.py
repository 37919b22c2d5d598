"""A payer reverses a payment and pays the claim again, correctly.

Run it with ``python examples/reversal_and_repayment.py``; the output is the same every
time.

Acme Health pays a knee injection at last year's fee schedule (allowed $100.00). Three
weeks later its 835 carries the reversal of that payment (claim status 22, every amount
negated) and the corrected payment (allowed $125.00) together. claimcore posts the
reversal as the mirror image of each original transfer (never an edit: each new transfer
names the one it reverses), then the correction as a normal payment. The balances come
out exactly as if only the corrected payment had ever been posted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from claimcore.claims import (
    Claim,
    ClaimKind,
    ClaimLine,
    EditContext,
    acknowledge,
    mark_ready,
    scrub,
    submit,
)
from claimcore.codes import CARC, CPT, ICD10CM, AdjustmentGroup, ClaimStatusCode, PlaceOfService
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
    Remittance,
    RemittancePayer,
    ServicePayment,
    reverse,
)

DOS = date(2026, 1, 12)
MRN = MedicalRecordNumber("MRN00088402")
ICN = PayerClaimNumber("ACM2601200455")


def usd(text: str) -> Money:
    return Money(Decimal(text))


def cas(group: str, reason: str, amount: str) -> Adjustment:
    return Adjustment(group=AdjustmentGroup(group), reason=CARC(reason), amount=usd(amount))


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = ["  ".join(c.rjust(w) if c.startswith(("$", "-$")) else c.ljust(w)
                       for c, w in zip(cells, widths, strict=True)).rstrip()
             for cells in [headers, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def knee_payment(allowed: str, paid: str, contractual: str, coinsurance: str) -> ClaimPayment:
    """Acme's answer for the injection (20611, charge 180.00): allowed, paid, CO-45, PR-2."""
    line = ServicePayment(procedure=CPT("20611"), charge=usd("180.00"), paid=usd(paid),
                          allowed=usd(allowed), line_ref="1",
                          adjustments=[cas("CO", "45", contractual),
                                       cas("PR", "2", coinsurance)])
    return ClaimPayment(claim=ClaimId("KN0112"), status=ClaimStatusCode.PROCESSED_AS_PRIMARY,
                        charge=usd("180.00"), paid=usd(paid), payer_claim_number=ICN,
                        services=[line])


def remittance(payer: Payer, claims: list[ClaimPayment], trace: str, paid_on: date) -> Remittance:
    paid = sum((c.paid for c in claims), Money.zero())
    return Remittance(
        payer=RemittancePayer(payer_id=payer.payer_id, name=payer.name),
        payee=Payee(name="Lakeside Orthopedics", npi=NPI("1234567893")),
        method=PaymentMethod.ACH, payment=paid, trace=trace, paid_on=paid_on, claims=claims,
    )


def main() -> None:
    address = Address(lines=("200 Shore Dr",), city="Evanston", state="IL",
                      postal_code="60201")
    patient = Patient(mrn=MRN, name=PersonName(family="Novak", given="Petra"),
                      birth_date=date(1972, 9, 30), sex=AdministrativeSex.FEMALE,
                      address=address)
    acme = Payer(payer_id=PayerId("ACME1"), name="Acme Health", kind=PayerKind.COMMERCIAL,
                 timely_filing=TimelyFiling(days=180))
    member = MemberId("ACM771204")
    coverage = Coverage(
        payer=acme, plan=Plan(name="Acme PPO", plan_type=PlanType.PPO), member_id=member,
        subscriber=Subscriber(member_id=member, name=patient.name,
                              birth_date=patient.birth_date, sex=patient.sex),
        relationship=Relationship.SELF, period=Period(date(2024, 1, 1)),
        order=CoverageOrder.PRIMARY,
    )
    clinic = Organization(npi=NPI("1234567893"), name="Lakeside Orthopedics",
                          tax_id=TaxId("36-2208811"), address=address)
    claim = Claim(
        id=ClaimId("KN0112"), kind=ClaimKind.PROFESSIONAL, encounter="ENC-0112",
        patient=patient,
        coverage=coverage, billing_provider=clinic, place_of_service=PlaceOfService("11"),
        diagnoses=(ICD10CM("M17.11"),),
        lines=[ClaimLine(line_number=1, procedure=CPT("20611"), charge=usd("180.00"),
                         service_period=Period(DOS, DOS), pointers=(1,))],
    )
    ledger = post_charges(Ledger(), claim, on=DOS)
    claim = mark_ready(claim, scrub(claim, context=EditContext(as_of=DOS)),
                       at=datetime(2026, 1, 13, 9, tzinfo=UTC))
    claim = acknowledge(submit(claim, at=datetime(2026, 1, 13, 10, tzinfo=UTC)),
                        at=datetime(2026, 1, 14, 7, tzinfo=UTC), payer_claim_number=ICN)

    wrong = knee_payment(allowed="100.00", paid="80.00", contractual="80.00",
                         coinsurance="20.00")
    right = knee_payment(allowed="125.00", paid="100.00", contractual="55.00",
                         coinsurance="25.00")
    first = post_remittance(ledger, [claim], remittance(acme, [wrong], "ACH0130",
                                                        date(2026, 1, 30)))
    fix = remittance(acme, [reverse(wrong), right], "ACH0220", date(2026, 2, 20))
    second = post_remittance(first.ledger, first.claims, fix)

    print("== A reversal and its corrected re-payment ==")
    print(f"first payment 2026-01-30: {wrong.paid.format()} (allowed $100.00)")
    print(f"2026-02-20 835: reversal {reverse(wrong).paid.format()} + corrected "
          f"{right.paid.format()} = {fix.payment.format()}")
    print()
    print("Transfers")
    rows = [
        [t.on.isoformat(), t.trace or "charge", t.code.value, t.debit.key, t.credit.key,
         t.amount.format(), "" if t.reverses is None else t.reverses.value.split("#")[1]]
        for t in second.ledger
    ]
    print(table(["date", "trace", "code", "debit", "credit", "amount", "reverses"], rows))

    alone = post_remittance(ledger, [claim], remittance(acme, [right], "ACH0999",
                                                        date(2026, 2, 20)))
    accounts = (Account.cash(), Account.ar_payer(acme.payer_id), Account.ar_patient(),
                Account.contractual_allowance())
    same = all(second.ledger.balance(a) == alone.ledger.balance(a) for a in accounts)
    print()
    print(table(["account", "after reversal + correction", "corrected payment alone"],
                [[a.key, second.ledger.balance(a).format(), alone.ledger.balance(a).format()]
                 for a in accounts]))

    paid = post_patient_payment(second.ledger, patient=MRN, amount=usd("25.00"),
                                on=date(2026, 3, 2), reference="CARD-7781")
    account = PatientAccount(
        patient=patient, coverages=(coverage,), ledger=paid,
        claims=close_settled_claims(second.claims, paid,
                                    at=datetime(2026, 3, 2, 12, tzinfo=UTC)),
    )
    print()
    print(f"claim {account.claims[0].status.value}; patient paid $25.00 coinsurance; "
          f"stage {account.stage.value}")
    print(f"The reversal left the same balances as the corrected payment alone: {same}; "
          f"account {MRN} is {account.stage.value.replace('_', ' ')}.")


if __name__ == "__main__":
    main()
