"""A month of a clinic's ERAs with one of each exception, reconciled against the bank.

Run it with ``python examples/exceptions_and_deposits.py``; the output is the same every
time.

Lakeside Family Practice bills Acme Health for five March visits. Acme's 835s arrive as
X12 text (written here with claimcore's own writer, then read back as a clearinghouse
would hand them over):

* ERA 1 pays one visit in full, denies a line of another as bundled (CO-97), denies a
  third visit for lack of authorization (CO-197), pays a claim nobody here billed
  (unapplied cash), and adds late-payment interest (PLB L6);
* ERA 2 pays the first visit again: a duplicate, held in Acme's payer credit;
* ERA 3 carries a claim whose CLP is damaged: the reader sets it aside, and its cash goes
  to unapplied cash so the ERA still posts in full;
* ERA 4 reverses the duplicate, and pays the appealed authorization denial (overturned).

The bank statement shows four deposits and one lockbox line. The month ends with the
reconciliation table: matched, short, not yet deposited, not yet explained.
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
    appeal,
    mark_ready,
    scrub,
    submit,
)
from claimcore.codes import CARC, CPT, ICD10CM, AdjustmentGroup, ClaimStatusCode, PlaceOfService
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
from claimcore.posting import (
    Deposit,
    PostingResult,
    post_charges,
    post_remittance,
    reconcile_deposits,
)
from claimcore.providers import Organization
from claimcore.remittance import (
    Adjustment,
    ClaimPayment,
    Payee,
    PaymentMethod,
    ProviderAdjustment,
    ProviderAdjustmentReason,
    Remittance,
    RemittancePayer,
    ServicePayment,
    reverse,
)
from claimcore.x12 import ControlNumbers, read_835_with_warnings, write_835

ACME = Payer(payer_id=PayerId("ACME1"),
             name="Acme Health", kind=PayerKind.COMMERCIAL,
             timely_filing=TimelyFiling(days=180), appeal_rules=MEDICARE_APPEALS)
CLINIC_NPI = NPI("1234567893")
ADDRESS = Address(lines=("40 Lake Rd",), city="Madison", state="WI", postal_code="53703")
CLINIC = Organization(npi=CLINIC_NPI, name="Lakeside Family Practice",
                      tax_id=TaxId("39-1234567"), address=ADDRESS)
PAYEE = Payee(name="Lakeside Family Practice", npi=CLINIC_NPI)


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


def coverage(patient: Patient, member: str) -> Coverage:
    member_id = MemberId(member)
    return Coverage(
        payer=ACME, plan=Plan(name="Acme PPO", plan_type=PlanType.PPO), member_id=member_id,
        subscriber=Subscriber(member_id=member_id, name=patient.name,
                              birth_date=patient.birth_date, sex=patient.sex),
        relationship=Relationship.SELF, period=Period(date(2024, 1, 1)),
        order=CoverageOrder.PRIMARY,
    )


def visit(claim_id: str, patient: Patient, cov: Coverage, on: date,
          lines: Sequence[tuple[str, str]]) -> Claim:
    day = Period(on, on)
    claim = Claim(
        id=ClaimId(claim_id), kind=ClaimKind.PROFESSIONAL, encounter=f"ENC-{claim_id}",
        patient=patient, coverage=cov, billing_provider=CLINIC,
        place_of_service=PlaceOfService("11"), diagnoses=(ICD10CM("J06.9"),),
        lines=[ClaimLine(line_number=n, procedure=CPT(code), charge=usd(charge),
                         service_period=day, pointers=(1,))
               for n, (code, charge) in enumerate(lines, 1)],
    )
    claim = mark_ready(claim, scrub(claim, context=EditContext(as_of=on)), at=at(3, on.day))
    return acknowledge(submit(claim, at=at(3, on.day, 12)), at=at(3, on.day + 1),
                       payer_claim_number=PayerClaimNumber(f"ICN{claim_id}"))


def paid(claim_id: str, services: Sequence[ServicePayment],
         status: ClaimStatusCode = ClaimStatusCode.PROCESSED_AS_PRIMARY) -> ClaimPayment:
    charge = sum((s.charge for s in services), Money.zero())
    return ClaimPayment(
        claim=ClaimId(claim_id), status=status, charge=charge,
        paid=sum((s.paid for s in services), Money.zero()),
        payer_claim_number=PayerClaimNumber(f"ICN{claim_id}"), services=services,
    )


def svc(code: str, charge: str, amount: str, *adjustments: Adjustment) -> ServicePayment:
    return ServicePayment(procedure=CPT(code), charge=usd(charge), paid=usd(amount),
                          adjustments=adjustments)


def era(trace: str, paid_on: date, claims: Sequence[ClaimPayment],
        plb: Sequence[ProviderAdjustment] = ()) -> Remittance:
    total = sum((c.paid for c in claims), Money.zero()) - sum(
        (p.amount for p in plb), Money.zero())
    if total.is_negative():
        plb = [*plb, ProviderAdjustment(reason=ProviderAdjustmentReason.FORWARDING_BALANCE,
                                        amount=total, provider_id=str(CLINIC_NPI),
                                        fiscal_period_end=date(2026, 12, 31))]
        total = Money.zero()
    return Remittance(
        payer=RemittancePayer(payer_id=ACME.payer_id, name=ACME.name), payee=PAYEE,
        method=PaymentMethod.ACH if total.is_positive() else PaymentMethod.NON_PAYMENT,
        payment=total, trace=trace, paid_on=paid_on, claims=claims, provider_adjustments=plb,
    )


def as_x12(remittance: Remittance, number: int) -> str:
    return write_835([remittance], at=at(3, remittance.paid_on.day, 6),
                     control_numbers=ControlNumbers(interchange=number, group=number,
                                                    transaction=1))


def main() -> None:
    ana = Patient(mrn=MedicalRecordNumber("MRN00310001"),
                  name=PersonName(family="Lindqvist", given="Ana"),
                  birth_date=date(1979, 2, 14), sex=AdministrativeSex.FEMALE, address=ADDRESS)
    ben = Patient(mrn=MedicalRecordNumber("MRN00310002"),
                  name=PersonName(family="Osei", given="Ben"),
                  birth_date=date(1988, 11, 3), sex=AdministrativeSex.MALE, address=ADDRESS)
    ana_cov, ben_cov = coverage(ana, "ACM40001"), coverage(ben, "ACM40002")
    claims = [
        visit("LF0302", ana, ana_cov, date(2026, 3, 2), [("99213", "150.00")]),
        visit("LF0303", ben, ben_cov, date(2026, 3, 3), [("99214", "210.00"),
                                                         ("36415", "25.00")]),
        visit("LF0304", ana, ana_cov, date(2026, 3, 4), [("73030", "180.00")]),
        visit("LF0305", ben, ben_cov, date(2026, 3, 5), [("99213", "150.00")]),
    ]
    ledger = Ledger()
    for claim in claims:
        ledger = post_charges(ledger, claim, on=claim.service_period.start)
    print("== Lakeside Family Practice: March ERAs from Acme Health ==")
    print(f"billed {sum((c.total_charge for c in claims), Money.zero()).format()} "
          f"on {len(claims)} claims")

    # -- the month's ERAs, as 835 text --------------------------------------------------
    visit_paid = paid("LF0302", [svc("99213", "150.00", "96.00", cas("CO", "45", "30.00"),
                                     cas("PR", "2", "24.00"))])
    bundled = paid("LF0303", [svc("99214", "210.00", "140.00", cas("CO", "45", "40.00"),
                                  cas("PR", "3", "30.00")),
                              svc("36415", "25.00", "0.00", cas("CO", "97", "25.00"))])
    no_auth = paid("LF0304", [svc("73030", "180.00", "0.00", cas("CO", "197", "180.00"))],
                   status=ClaimStatusCode.DENIED)
    stranger = paid("ZZ9001", [svc("99212", "90.00", "55.00", cas("CO", "45", "35.00"))])
    interest = ProviderAdjustment(reason=ProviderAdjustmentReason.INTEREST_OWED,
                                  amount=usd("-1.85"), provider_id=str(CLINIC_NPI),
                                  fiscal_period_end=date(2026, 12, 31))
    ben_paid = paid("LF0305", [svc("99213", "150.00", "100.00", cas("CO", "45", "30.00"),
                                   cas("PR", "3", "20.00"))])
    lost = paid("LF0399", [svc("99211", "60.00", "38.00", cas("CO", "45", "22.00"))])
    overturned = paid("LF0304", [svc("73030", "180.00", "126.00", cas("CO", "45", "36.00"),
                                     cas("PR", "2", "18.00"))])
    eras = [
        era("EFT0310001", date(2026, 3, 10), [visit_paid, bundled, no_auth, stranger],
            [interest]),
        era("EFT0317002", date(2026, 3, 17), [visit_paid]),
        era("EFT0320003", date(2026, 3, 20), [ben_paid, lost]),
        era("EFT0327004", date(2026, 3, 27), [reverse(visit_paid), overturned]),
    ]
    texts = [as_x12(r, n) for n, r in enumerate(eras, 1)]
    # The clearinghouse's copy of ERA 3 has a damaged CLP: CLP05 is not an amount.
    texts[2] = texts[2].replace("CLP*LF0399*1*60.00*38.00**", "CLP*LF0399*1*60.00*38.00*N/A*")

    results: list[PostingResult] = []
    current = list(claims)
    rows = []
    for number, text in enumerate(texts, 1):
        read = read_835_with_warnings(text)
        (remittance,) = read.remittances
        if number == 4:  # Ana's authorization was found; the denial was appealed on 3/18
            current[2] = appeal(current[2], at=at(3, 18), rules=MEDICARE_APPEALS,
                                amount_in_controversy=usd("180.00"))
        result = post_remittance(ledger, current, remittance, unread=read.unread_claims)
        ledger, current = result.ledger, list(result.claims)
        results.append(result)
        events = (
            [f"denial {d.claim} line {d.line or '-'} {' '.join(d.reasons)} "
             f"({d.category.value}, follow up {d.follow_up_on})" for d in result.denials]
            + [f"duplicate {d.claim} of {d.repeats}" for d in result.duplicates]
            + [f"unapplied {u.claim} {u.note}" for u in result.unmatched]
            + [f"unread CLP at segment {u.segment_number}: "
               f"{(u.amount or Money.zero()).format()} to unapplied" for u in result.unread]
            + [f"appeal {a.claim} {a.outcome.value}: {a.recovered.format()} out of denials"
               for a in result.appeals]
        )
        cash = sum((t.amount if t.debit == Account.cash() else -t.amount
                    for t in ledger.transfers(account=Account.cash(),
                                              trace=remittance.trace)), Money.zero())
        rows.append([remittance.trace, remittance.paid_on.isoformat(), cash.format(),
                     str(len(remittance.claims) + len(read.unread_claims))])
        print()
        print(f"ERA {number} {remittance.trace} ({remittance.paid_on}): cash "
              f"{cash.format()}")
        for event in events:
            print(f"  - {event}")

    acme = ACME.payer_id
    print()
    print(table(["trace", "paid on", "cash", "claims"], rows))
    print()
    print(table(["account", "balance"], [
        [a.key, ledger.balance(a).format()] for a in (
            Account.ar_payer(acme), Account.denial(), Account.contractual_allowance(),
            Account.payer_credit(acme), Account.unapplied_cash(acme),
            Account.interest_income(), Account.ar_patient(), Account.cash())
    ]))
    money = ledger.balances_by_role()
    denied = ledger.balance(Account.denial())
    print(f"charges {money.charges.format()} = payer {money.payer_paid.format()} + patient "
          f"{money.patient_paid.format()} + adjustments {(money.adjusted - denied).format()}"
          f" + denials {denied.format()} + write-offs {money.written_off.format()} + open "
          f"{money.outstanding.format()}")

    # -- the bank statement -------------------------------------------------------------
    bank = [
        Deposit(on=date(2026, 3, 11), amount=usd("292.85"),
                reference="ACME HEALTH HCCLAIMPMT TRN*1*EFT0310001*1391234567"),
        Deposit(on=date(2026, 3, 18), amount=usd("96.00"),
                reference="ACME HEALTH HCCLAIMPMT TRN*1*EFT0317002*1391234567"),
        Deposit(on=date(2026, 3, 23), amount=usd("137.50"),
                reference="ACME HEALTH HCCLAIMPMT TRN*1*EFT0320003*1391234567"),
        Deposit(on=date(2026, 3, 25), amount=usd("40.00"), reference="LOCKBOX 5521"),
    ]
    rec = reconcile_deposits(bank, ledger, on=date(2026, 3, 31))
    recon = [[m.remittance.trace, m.deposit.on.isoformat(), m.remittance.amount.format(),
              m.deposit.amount.format(), m.difference.format(),
              "matched" if m.difference.is_zero() else "amount differs"]
             for m in rec.matched]
    recon += [[r.trace, "-", r.amount.format(), "-", "-", "no deposit yet"]
              for r in rec.remittances_without_deposit]
    recon += [[d.reference, d.on.isoformat(), "-", d.amount.format(), "-", "no 835"]
              for d in rec.deposits_without_835]
    print()
    print("Deposit reconciliation as of 2026-03-31")
    print(table(["835 / reference", "deposited", "835 cash", "deposit", "difference",
                 "status"], recon))
    print(f"{len(rec.matched)} matched, {len(rec.differences)} with a difference, "
          f"{len(rec.remittances_without_deposit)} 835 without deposit, "
          f"{len(rec.deposits_without_835)} deposit without 835; balanced: {rec.balanced}")


if __name__ == "__main__":
    main()
