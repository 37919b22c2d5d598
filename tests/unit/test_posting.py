"""Worked postings: 835 remittances, charges, reversals, denials, PLB and matching.

The builders at the top are shared with the COB, statement and cycle tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import attrs
import pytest

from claimcore.charges import Charge, ChargeStatus, FeePrice, FeeSchedule, PayerContract
from claimcore.claims import (
    AdjudicationOutcome,
    Claim,
    ClaimKind,
    ClaimLine,
    ClaimStatus,
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
    Modifier,
    PlaceOfService,
)
from claimcore.coverage import (
    MEDICARE_APPEALS,
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
from claimcore.denials import DenialCategory
from claimcore.errors import DuplicateTransfer, PostingError, TypeMismatch, ValidationError
from claimcore.ids import (
    NPI,
    ClaimId,
    EncounterId,
    MedicalRecordNumber,
    MemberId,
    PayerClaimNumber,
    PayerId,
    TaxId,
    TransferId,
)
from claimcore.ledger import Account, Ledger, TransferCode
from claimcore.money import Money, Rate
from claimcore.patients import Address, AdministrativeSex, Patient, PersonName
from claimcore.periods import Period
from claimcore.posting import (
    UnmatchedKind,
    collect_prepayment,
    post_charges,
    post_remittance,
    refund_payer,
)
from claimcore.providers import Organization
from claimcore.remittance import (
    Adjustment,
    ClaimPayment,
    CrossoverCarrier,
    Payee,
    PaymentMethod,
    ProviderAdjustment,
    ProviderAdjustmentReason,
    Remittance,
    RemittancePayer,
    ServicePayment,
    reverse,
)

# -- builders -------------------------------------------------------------------------

DOS = date(2026, 3, 2)
AT = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
MRN = MedicalRecordNumber("MRN00077311")
ADDRESS = Address(lines=("14 Elm St",), city="Springfield", state="IL", postal_code="62704")
PATIENT = Patient(mrn=MRN, name=PersonName(family="Reyes", given="Dana"),
                  birth_date=date(1955, 6, 9), sex=AdministrativeSex.FEMALE, address=ADDRESS)
ACME = Payer(payer_id=PayerId("ACME1"), name="Acme Health", kind=PayerKind.COMMERCIAL,
             timely_filing=TimelyFiling(days=180), appeal_rules=MEDICARE_APPEALS)
BEACON = Payer(payer_id=PayerId("BEACON7"), name="Beacon Mutual", kind=PayerKind.COMMERCIAL,
               timely_filing=TimelyFiling(days=365))
MEDICARE = Payer(payer_id=PayerId("MCARE1"), name="Medicare Part B", kind=PayerKind.MEDICARE,
                 timely_filing=TimelyFiling(months=12), appeal_rules=MEDICARE_APPEALS)
CLINIC = Organization(npi=NPI("1234567893"), name="Springfield Family Medicine",
                      tax_id=TaxId("12-3456789"), address=ADDRESS)
PAYEE = Payee(name="Springfield Family Medicine", npi=NPI("1234567893"))
CLAIM_ID = ClaimId("DR0302A")


def usd(text: str) -> Money:
    return Money(Decimal(text))


def coverage(payer: Payer = ACME, order: CoverageOrder = CoverageOrder.PRIMARY) -> Coverage:
    """A coverage of the test patient as the subscriber."""
    member = MemberId(f"M{payer.payer_id.value}001")
    return Coverage(
        payer=payer, plan=Plan(name=f"{payer.name} plan", plan_type=PlanType.PPO),
        member_id=member,
        subscriber=Subscriber(member_id=member, name=PATIENT.name,
                              birth_date=PATIENT.birth_date, sex=PATIENT.sex),
        relationship=Relationship.SELF, period=Period(date(2020, 1, 1)), order=order,
        # a claim to Medicare as a later payer says why (the medicare-secondary edit)
        medicare_secondary_type=MedicareSecondaryType.WORKING_AGED
        if payer.kind is PayerKind.MEDICARE and order is not CoverageOrder.PRIMARY else None,
    )


PRIMARY = coverage(ACME, CoverageOrder.PRIMARY)
SECONDARY = coverage(BEACON, CoverageOrder.SECONDARY)
TERTIARY = coverage(MEDICARE, CoverageOrder.TERTIARY)


def claim_line(n: int, code: str, charge: str, modifiers: Sequence[str] = (),
               on: date = DOS) -> ClaimLine:
    return ClaimLine(line_number=n, procedure=CPT(code), charge=usd(charge),
                     modifiers=tuple(Modifier(m) for m in modifiers),
                     service_period=Period(on, on), pointers=(1,))


def make_claim(
    lines: Sequence[tuple[str, str]] = (("99214", "175.00"), ("80053", "60.00")),
    *,
    claim_id: ClaimId = CLAIM_ID,
    cov: Coverage = PRIMARY,
    status: ClaimStatus = ClaimStatus.ACCEPTED,
    modifiers: Sequence[Sequence[str]] = (),
    on: date = DOS,
    encounter: str | None = "ENC-1",
) -> Claim:
    """A professional claim for ``encounter`` taken to ``status`` through the lifecycle."""
    claim = Claim(
        id=claim_id, kind=ClaimKind.PROFESSIONAL, encounter=encounter, patient=PATIENT,
        coverage=cov,
        billing_provider=CLINIC, place_of_service=PlaceOfService("11"),
        diagnoses=(ICD10CM("E11.9"),),
        lines=[claim_line(i, code, charge, modifiers[i - 1] if modifiers else (), on)
               for i, (code, charge) in enumerate(lines, 1)],
    )
    if status is ClaimStatus.DRAFT:
        return claim
    claim = mark_ready(claim, scrub(claim, context=EditContext(as_of=on)), at=AT)
    if status is ClaimStatus.READY:
        return claim
    claim = submit(claim, at=AT.replace(hour=10))
    if status is ClaimStatus.SUBMITTED:
        return claim
    return acknowledge(claim, at=AT.replace(hour=11))


def adj(group: str, reason: str, amount: str) -> Adjustment:
    return Adjustment(group=AdjustmentGroup(group), reason=CARC(reason), amount=usd(amount))


def svc(code: str, charge: str, paid: str, *adjs: Adjustment, ref: str | None = None,
        allowed: str | None = None, modifiers: Sequence[str] = (),
        remarks: Sequence[str] = ()) -> ServicePayment:
    return ServicePayment(
        procedure=CPT(code), charge=usd(charge), paid=usd(paid), adjustments=adjs,
        line_ref=ref, allowed=None if allowed is None else usd(allowed),
        modifiers=tuple(Modifier(m) for m in modifiers),
        remarks=tuple(RARC(r) for r in remarks),
    )


def payment(
    services: Sequence[ServicePayment] = (),
    *,
    claim: str = "DR0302A",
    status: ClaimStatusCode = ClaimStatusCode.PROCESSED_AS_PRIMARY,
    charge: str | None = None,
    paid: str | None = None,
    adjustments: Sequence[Adjustment] = (),
    remarks: Sequence[str] = (),
    crossover: CrossoverCarrier | None = None,
) -> ClaimPayment:
    """A claim payment; charge and paid default to what the lines and adjustments give."""
    total = sum((s.charge for s in services), Money.zero())
    charged = usd(charge) if charge is not None else total
    if paid is None:
        lines_paid = sum((s.paid for s in services), Money.zero())
        paid_money = lines_paid + (charged - total) - sum(
            (a.amount for a in adjustments), Money.zero())
    else:
        paid_money = usd(paid)
    return ClaimPayment(
        claim=ClaimId(claim), status=status, charge=charged, paid=paid_money,
        payer_claim_number=PayerClaimNumber("ICN2603190001"), services=services,
        adjustments=adjustments, remarks=tuple(RARC(r) for r in remarks),
        crossover=crossover,
    )


def remittance(
    claims: Sequence[ClaimPayment], *, payer: Payer = ACME, trace: str = "ACH0319001",
    plb: Sequence[ProviderAdjustment] = (), paid_on: date = date(2026, 3, 19),
) -> Remittance:
    claims_paid = sum((c.paid for c in claims), Money.zero())
    if claims_paid.is_negative():
        # The payer carries the negative balance forward (PLB FB) rather than pay below 0.
        plb = [*plb, ProviderAdjustment(reason=ProviderAdjustmentReason.FORWARDING_BALANCE,
                                        amount=claims_paid)]
    total = claims_paid - sum((p.amount for p in plb), Money.zero())
    return Remittance(
        payer=RemittancePayer(payer_id=payer.payer_id, name=payer.name), payee=PAYEE,
        method=PaymentMethod.ACH if total.is_positive() else PaymentMethod.NON_PAYMENT,
        payment=total, trace=trace, paid_on=paid_on, claims=claims,
        provider_adjustments=plb,
    )


def acme_payment(claim: str = "DR0302A") -> ClaimPayment:
    """Acme's adjudication: allowed 150.00 and 40.00, 50.00 deductible, 20% coinsurance."""
    return payment([
        svc("99214", "175.00", "80.00", adj("CO", "45", "25.00"), adj("PR", "1", "50.00"),
            adj("PR", "2", "20.00"), ref="1", allowed="150.00"),
        svc("80053", "60.00", "32.00", adj("CO", "45", "20.00"), adj("PR", "2", "8.00"),
            ref="2", allowed="40.00"),
    ], claim=claim)


def charged(claim: Claim, ledger: Ledger | None = None) -> Ledger:
    """The claim's charges posted on its first date of service, under its encounter."""
    return post_charges(ledger or Ledger(), claim, on=claim.service_period.start)


AR_ACME = Account.ar_payer(ACME.payer_id)
AR_BEACON = Account.ar_payer(BEACON.payer_id)


def moves(ledger: Ledger, since: int = 0) -> list[tuple[str, str, str, str]]:
    """(id suffix, debit, credit, amount) of the transfers from position ``since``."""
    return [(t.id.value.split("#")[-1], t.debit.key, t.credit.key, str(t.amount.amount))
            for t in list(ledger)[since:]]


# -- charges --------------------------------------------------------------------------


def test_charges_of_a_claim_debit_the_payer_and_credit_revenue() -> None:
    """Each line posts its charge to the claim's payer A/R, with claim and line refs."""
    claim = make_claim()
    ledger = charged(claim)

    assert moves(ledger) == [
        ("chg:DR0302A:1", "ar:payer:ACME1", "revenue:gross", "175.00"),
        ("chg:DR0302A:2", "ar:payer:ACME1", "revenue:gross", "60.00"),
    ]
    assert {(t.claim, t.line, t.encounter, t.patient) for t in ledger} == {
        (CLAIM_ID, 1, EncounterId("ENC-1"), MRN), (CLAIM_ID, 2, EncounterId("ENC-1"), MRN)}
    assert charged(claim, ledger) == ledger


def test_charges_file_under_the_claims_own_encounter() -> None:
    """A claim's charges go under its encounter and its payer; another one is refused."""
    claim = make_claim()
    unnamed = make_claim(encounter=None)

    assert {t.payer for t in charged(claim)} == {ACME.payer_id}
    assert post_charges(Ledger(), unnamed, on=DOS, encounter="ENC-3") == post_charges(
        Ledger(), attrs.evolve(unnamed, encounter="ENC-3"), on=DOS)
    with pytest.raises(ValidationError) as err:
        post_charges(Ledger(), claim, on=DOS, encounter="ENC-2")
    assert (err.value.path, err.value.rule) == ("$.encounter", "encounter-mismatch")


def test_remittance_postings_carry_the_claim_encounter_and_payer() -> None:
    """Every transfer of a claim payment names the claim, its encounter, payer and trace,
    taken from the claim: never read back from the ledger or out of a transfer id."""
    claim = make_claim(encounter="ENC-4")
    result = post_remittance(charged(make_claim(encounter="ENC-4")), [claim],
                             remittance([acme_payment()]))
    posted = [t for t in result.ledger if t.code is not TransferCode.CHARGE]

    assert {(t.claim, t.encounter, t.payer, t.trace) for t in posted} == {
        (CLAIM_ID, EncounterId("ENC-4"), ACME.payer_id, "ACH0319001")}
    bare = post_remittance(charged(claim), [attrs.evolve(claim, encounter=None)],
                           remittance([acme_payment()]))
    assert {t.encounter for t in bare.ledger if t.code is not TransferCode.CHARGE} == {None}


def test_self_pay_charges_debit_the_patient() -> None:
    """Charges without a claim go to A/R patient under their encounter; voided ones not."""
    live = Charge(id="C-1", code=CPT("99213"), unit_price=usd("120.00"), service_date=DOS,
                  entered_on=DOS, encounter_id="ENC-9")
    void = attrs.evolve(live, id="C-0", status=ChargeStatus.VOIDED,
                        voided_by="C-1")
    ledger = post_charges(Ledger(), [live, void], on=DOS, patient=MRN)

    assert moves(ledger) == [("chg:C-1", "ar:patient", "revenue:gross", "120.00")]
    assert ledger.balance(Account.ar_patient(), encounter="ENC-9") == usd("120.00")
    with pytest.raises(TypeMismatch):
        post_charges(Ledger(), [live], on=DOS)


# -- a primary remittance -------------------------------------------------------------


def test_primary_remittance_posts_every_cent_and_adjudicates_the_claim() -> None:
    """CO-45 to the contractual allowance, PR-1 and PR-2 to the patient, payment to cash."""
    claim = make_claim()
    ledger = charged(claim)
    result = post_remittance(ledger, [claim], remittance([acme_payment()]))

    base = "rmt:ACME1:ACH0319001:DR0302A:1.1#"
    assert moves(result.ledger, 2) == [
        ("pay.L1", "cash", "ar:payer:ACME1", "80.00"),
        ("pay.L2", "cash", "ar:payer:ACME1", "32.00"),
        ("adj.L1.1", "contra:contractual", "ar:payer:ACME1", "25.00"),
        ("adj.L1.2", "ar:patient", "ar:payer:ACME1", "50.00"),
        ("adj.L1.3", "ar:patient", "ar:payer:ACME1", "20.00"),
        ("adj.L2.1", "contra:contractual", "ar:payer:ACME1", "20.00"),
        ("adj.L2.2", "ar:patient", "ar:payer:ACME1", "8.00"),
    ]
    assert all(t.id.value.startswith(base) for t in list(result.ledger)[2:])
    assert [(t.code, t.group, t.reason, t.line) for t in list(result.ledger)[4:7]] == [
        (TransferCode.CONTRACTUAL, AdjustmentGroup("CO"), CARC("45"), 1),
        (TransferCode.PATIENT_RESPONSIBILITY, AdjustmentGroup("PR"), CARC("1"), 1),
        (TransferCode.PATIENT_RESPONSIBILITY, AdjustmentGroup("PR"), CARC("2"), 1),
    ]
    assert result.ledger.balance(AR_ACME) == usd("0.00")
    assert result.ledger.balance(Account.ar_patient(), encounter="ENC-1") == usd("78.00")
    assert result.ledger.balance(Account.cash()) == usd("112.00")
    (after,) = result.claims
    assert after.status is ClaimStatus.ADJUDICATED
    assert after.adjudication is not None
    assert (after.adjudication.outcome, after.adjudication.paid,
            after.adjudication.patient_responsibility, after.adjudication.allowed) == (
        AdjudicationOutcome.PAID, usd("112.00"), usd("78.00"), usd("190.00"))
    (posting,) = result.postings
    assert (posting.transitioned, posting.next_payer, posting.patient_responsibility,
            posting.payer_balance) == (True, None, usd("78.00"), usd("0.00"))
    assert len(posting.transfers) == 7
    assert not result.unmatched and not result.denials and not result.underpayments


def test_posting_the_same_remittance_twice_changes_nothing() -> None:
    """Same trace, same content: the ledger and claims come back equal, no new transition."""
    claim = make_claim()
    first = post_remittance(charged(claim), [claim], remittance([acme_payment()]))
    again = post_remittance(first.ledger, first.claims, remittance([acme_payment()]))

    assert again.ledger == first.ledger
    assert len(again.ledger) == len(first.ledger)
    assert again.claims == first.claims
    assert again.postings[0].transitioned is False
    assert again.postings[0].transfers == first.postings[0].transfers


def test_a_trace_reused_with_other_content_is_refused_and_nothing_changes() -> None:
    """Another payment under a posted trace number raises DuplicateTransfer, all or nothing."""
    claim = make_claim()
    first = post_remittance(charged(claim), [claim], remittance([acme_payment()]))
    other = payment([
        svc("99214", "175.00", "90.00", adj("CO", "45", "25.00"), adj("PR", "1", "60.00"),
            ref="1"),
        svc("80053", "60.00", "40.00", adj("CO", "45", "20.00"), ref="2"),
    ])
    before = list(first.ledger)
    with pytest.raises(DuplicateTransfer):
        post_remittance(first.ledger, first.claims, remittance([other]))
    assert list(first.ledger) == before


def test_matching_survives_case_padding_and_dropped_modifiers() -> None:
    """'00dr0302a' finds DR0302A; a line billed with modifier 25 matches one sent without."""
    claim = make_claim([("99214", "175.00"), ("99214", "175.00")], modifiers=[["25"], []],
                       on=DOS)
    sent = payment([
        svc("99214", "175.00", "100.00", adj("CO", "45", "75.00")),
        svc("99214", "175.00", "90.00", adj("CO", "45", "85.00"), modifiers=["25"]),
    ], claim="00dr0302a")
    result = post_remittance(charged(claim), [claim], remittance([sent]))

    paid = {t.line: t.amount for t in result.ledger.transfers(code=TransferCode.PAYER_PAYMENT)}
    assert paid == {1: usd("90.00"), 2: usd("100.00")}
    assert result.claims[0].status is ClaimStatus.ADJUDICATED
    assert not result.unmatched


def test_unknown_claims_are_posted_as_unapplied_cash_and_reported() -> None:
    """A payment for no known claim lands in the payer's unapplied cash, reported."""
    claim = make_claim()
    stray = payment([svc("99213", "100.00", "70.00", adj("CO", "45", "30.00"))],
                    claim="ZZ999")
    ledger = charged(claim)
    result = post_remittance(ledger, [claim], remittance([stray]))

    (unmatched,) = result.unmatched
    assert (unmatched.kind, unmatched.claim, unmatched.amount) == (
        UnmatchedKind.UNKNOWN_CLAIM, ClaimId("ZZ999"), usd("70.00"))
    assert moves(result.ledger, 2) == [
        ("rmt:ACME1:ACH0319001:u.1", "cash", "liability:unapplied:ACME1", "70.00")]
    assert result.ledger.balance(AR_ACME) == usd("235.00")  # the charges, untouched
    assert result.ledger.balances_by_role().unapplied_cash == usd("70.00")
    assert result.ledger.transfers(code=TransferCode.PAYER_PAYMENT)[0].claim is None
    assert result.claims == (claim,)
    with pytest.raises(PostingError, match="no claim 'ZZ999'"):
        post_remittance(ledger, [claim], remittance([stray]), strict=True)


def test_a_claim_billed_to_another_payer_does_not_match() -> None:
    """Beacon's payment for a claim billed only to Acme is unapplied, not posted to Acme."""
    claim = make_claim()
    result = post_remittance(charged(claim), [claim],
                             remittance([acme_payment()], payer=BEACON, trace="B1"))

    assert [u.kind for u in result.unmatched] == [UnmatchedKind.UNKNOWN_CLAIM]
    assert result.ledger.balance(AR_ACME) == usd("235.00")
    assert result.ledger.balance(AR_BEACON) == usd("0.00")  # never a negative receivable
    assert result.ledger.balance(Account.unapplied_cash(BEACON.payer_id)) == usd("112.00")


def test_an_unmatched_service_line_posts_at_claim_level_and_is_reported() -> None:
    """A service no claim line fits is posted without a line number and listed."""
    claim = make_claim([("99214", "175.00")])
    sent = payment([svc("99215", "175.00", "120.00", adj("CO", "45", "55.00"))])
    result = post_remittance(charged(claim), [claim], remittance([sent]))

    (unmatched,) = result.unmatched
    assert (unmatched.kind, unmatched.service, unmatched.amount) == (
        UnmatchedKind.UNMATCHED_LINE, 1, usd("120.00"))
    assert moves(result.ledger, 1) == [
        ("pay.S1", "cash", "ar:payer:ACME1", "120.00"),
        ("adj.S1.1", "contra:contractual", "ar:payer:ACME1", "55.00"),
    ]
    assert all(t.line is None for t in list(result.ledger)[1:])


def test_claim_level_adjustments_and_claim_only_payments() -> None:
    """Without service lines, payment and adjustments post at claim level (TR3 CO-A2)."""
    claim = make_claim([("99211", "800.00")], claim_id=ClaimId("5554555444"))
    sent = payment(
        [svc("99211", "800.00", "500.00", adj("PR", "1", "300.00"))],
        claim="5554555444", adjustments=[adj("CO", "A2", "50.00")],
    )
    result = post_remittance(charged(claim), [claim], remittance([sent]))

    assert sent.paid == usd("450.00")
    assert moves(result.ledger, 1) == [
        ("pay.L1", "cash", "ar:payer:ACME1", "500.00"),
        ("pay.C", "ar:payer:ACME1", "cash", "50.00"),
        ("adj.L1.1", "ar:patient", "ar:payer:ACME1", "300.00"),
        ("adj.C.1", "contra:contractual", "ar:payer:ACME1", "50.00"),
    ]
    assert result.ledger.balance(Account.cash()) == usd("450.00")
    assert result.ledger.balance(AR_ACME) == usd("0.00")


def test_the_tr3_managed_care_remittance_posts_both_claims() -> None:
    """TR3 835 (managed care): 945.00 = 450.00 + 495.00; every A/R closes, PR 900.00."""
    first = make_claim([("99211", "800.00")], claim_id=ClaimId("5554555444"))
    second = make_claim([("99211", "1200.00")], claim_id=ClaimId("8765432112"),
                        encounter="ENC-2")
    ledger = charged(second, charged(first))
    claims_paid = [
        payment([svc("99211", "800.00", "500.00", adj("PR", "1", "300.00"))],
                claim="5554555444", adjustments=[adj("CO", "A2", "50.00")]),
        payment([svc("99211", "1200.00", "550.00", adj("PR", "1", "600.00"),
                     adj("CO", "45", "50.00"))],
                claim="8765432112", adjustments=[adj("CO", "A2", "55.00")]),
    ]
    sent = remittance(claims_paid, trace="12345")
    result = post_remittance(ledger, [first, second], sent)

    assert sent.payment == usd("945.00")
    assert result.ledger.balance(Account.cash()) == usd("945.00")
    assert result.ledger.balance(AR_ACME) == usd("0.00")
    assert result.ledger.balance(Account.ar_patient()) == usd("900.00")
    assert result.ledger.balance(Account.contractual_allowance()) == usd("155.00")
    assert [c.status for c in result.claims] == [ClaimStatus.ADJUDICATED] * 2


def test_a_negative_adjustment_swaps_debit_and_credit() -> None:
    """OA-94 of -9.00 (TR3 COB example) raises the payment: debit A/R, credit adjustments."""
    claim = make_claim([("99215", "541.00")], claim_id=ClaimId("0001000055"))
    sent = payment([svc("99215", "541.00", "34.00", adj("OA", "23", "516.00"),
                        adj("OA", "94", "-9.00"))], claim="0001000055")
    result = post_remittance(charged(claim), [claim], remittance([sent]))

    assert moves(result.ledger, 1) == [
        ("pay.L1", "cash", "ar:payer:ACME1", "34.00"),
        ("adj.L1.1", "contra:other", "ar:payer:ACME1", "516.00"),
        ("adj.L1.2", "ar:payer:ACME1", "contra:other", "9.00"),
    ]
    assert result.ledger.balance(AR_ACME) == usd("0.00")


def test_a_submitted_claim_is_acknowledged_on_the_way_to_adjudicated() -> None:
    """An 835 for a claim with no 277CA yet accepts it, then records the adjudication."""
    claim = make_claim(status=ClaimStatus.SUBMITTED)
    result = post_remittance(charged(claim), [claim], remittance([acme_payment()]))

    (after,) = result.claims
    assert [e.to_status for e in after.history][-2:] == [
        ClaimStatus.ACCEPTED, ClaimStatus.ADJUDICATED]
    assert after.history[-1].at == datetime(2026, 3, 19, tzinfo=UTC)


def test_the_adjudication_is_recorded_at_the_time_given() -> None:
    """``at`` sets the time of the claim's new events; a naive time is refused."""
    claim = make_claim()
    when = datetime(2026, 3, 20, 15, 30, tzinfo=UTC)
    result = post_remittance(charged(claim), [claim], remittance([acme_payment()]), at=when,
                             on=date(2026, 3, 20))

    assert result.claims[0].history[-1].at == when
    assert {t.on for t in list(result.ledger)[2:]} == {date(2026, 3, 20)}
    with pytest.raises(ValidationError):
        post_remittance(charged(claim), [claim], remittance([acme_payment()]),
                        at=datetime(2026, 3, 20))


# -- reversals ------------------------------------------------------------------------


def test_a_reversal_mirrors_the_original_and_a_corrected_payment_posts_normally() -> None:
    """Status 22 negates each original transfer (``reverses`` set); the correction posts."""
    claim = make_claim()
    original = acme_payment()
    first = post_remittance(charged(claim), [claim], remittance([original]))
    corrected = payment([
        svc("99214", "175.00", "100.00", adj("CO", "45", "25.00"), adj("PR", "1", "50.00"),
            ref="1"),
        svc("80053", "60.00", "40.00", adj("CO", "45", "20.00"), ref="2"),
    ])
    fix = remittance([reverse(original), corrected], trace="ACH0402777",
                     paid_on=date(2026, 4, 2))
    second = post_remittance(first.ledger, first.claims, fix)

    reversals = second.ledger.transfers(code=TransferCode.REVERSAL)
    originals = list(first.ledger)[2:]
    assert len(reversals) == len(originals) == 7
    for back, orig in zip(reversals, originals, strict=True):
        assert (back.reverses, back.debit, back.credit, back.amount) == (
            orig.id, orig.credit, orig.debit, orig.amount)
        assert back.trace == "ACH0402777"
    alone = post_remittance(charged(claim), [claim], remittance([corrected], trace="X"))
    assert second.ledger.balances() == alone.ledger.balances()
    assert second.ledger.balance(Account.ar_patient()) == usd("50.00")
    # The reversal moves no claim; the corrected payment records the new decision once.
    assert [p.transitioned for p in second.postings] == [False, True]
    (fixed,) = second.claims
    assert fixed.adjudication is not None
    assert fixed.adjudication.paid == usd("140.00")
    assert fixed.history[-1].reason == "corrected payment"
    again = post_remittance(second.ledger, second.claims, fix)
    assert again.ledger == second.ledger
    assert again.claims == second.claims


def test_a_reversal_of_nothing_posted_is_reported() -> None:
    """A status 22 with no earlier posting of the payer posts nothing and is listed."""
    claim = make_claim()
    ledger = charged(claim)
    result = post_remittance(ledger, [claim], remittance([reverse(acme_payment())],
                                                         trace="R1"))

    assert [u.kind for u in result.unmatched] == [UnmatchedKind.REVERSAL_WITHOUT_ORIGINAL]
    assert result.ledger.transfers(claim=CLAIM_ID) == ledger.transfers(claim=CLAIM_ID)
    assert [t.code for t in list(result.ledger)[2:]] == [TransferCode.PROVIDER_ADJUSTMENT]
    with pytest.raises(PostingError, match="never posted"):
        post_remittance(ledger, [claim], remittance([reverse(acme_payment())], trace="R1"),
                        strict=True)


def test_a_reversal_picks_the_posting_with_the_matching_payment() -> None:
    """Two postings on a claim: the reversal negates the one whose payment it mirrors."""
    claim = make_claim([("99213", "100.00")])
    one = payment([svc("99213", "100.00", "60.00", adj("CO", "45", "40.00"))])
    two = payment([svc("99213", "100.00", "70.00", adj("CO", "45", "30.00"))])
    ledger = post_remittance(charged(claim), [claim], remittance([one], trace="T1")).ledger
    ledger = post_remittance(ledger, [claim], remittance([two], trace="T2")).ledger
    result = post_remittance(ledger, [claim], remittance([reverse(one)], trace="T3"))

    back = result.ledger.transfers(code=TransferCode.REVERSAL)
    assert {t.reverses.value.split(":")[2] for t in back if t.reverses} == {"T1"}


# -- denials and appeals -------------------------------------------------------------


def denied() -> ClaimPayment:
    return payment(
        [svc("99214", "175.00", "0.00", adj("CO", "50", "175.00"), remarks=["N115"]),
         svc("80053", "60.00", "0.00", adj("CO", "50", "60.00"))],
        status=ClaimStatusCode.DENIED, remarks=["M25"],
    )


def test_a_denial_is_held_open_and_listed_with_its_reasons() -> None:
    """Status 4, CO-50: 235.00 moves to the denial account, never the contractual one;
    the denial says its category and follow-up date; outcome denied."""
    claim = make_claim()
    result = post_remittance(charged(claim), [claim], remittance([denied()]))

    (denial,) = result.denials
    assert denial.held and denial.line is None
    assert denial.reasons == ("CO-50", "CO-50")
    assert denial.remarks == (RARC("M25"), RARC("N115"))
    assert (denial.category, denial.amount) == (DenialCategory.MEDICAL_NECESSITY,
                                                usd("235.00"))
    assert denial.follow_up_on == date(2026, 3, 19) + timedelta(days=30)
    assert moves(result.ledger, 2) == [
        ("adj.L1.1", "contra:denial", "ar:payer:ACME1", "175.00"),
        ("adj.L2.1", "contra:denial", "ar:payer:ACME1", "60.00"),
    ]
    assert denial.transfers == tuple(t.id for t in list(result.ledger)[2:])
    assert result.ledger.balance(Account.contractual_allowance()) == usd("0.00")
    assert result.ledger.balance(Account.denial(), claim=claim.id) == usd("235.00")
    assert result.postings[0].payer_balance == usd("0.00")
    assert result.claims[0].adjudication is not None
    assert result.claims[0].adjudication.outcome is AdjudicationOutcome.DENIED


def test_a_denial_can_be_adjusted_away_when_not_held() -> None:
    """With ``hold_denials=False`` the CO-50 amounts post to the contractual allowance."""
    claim = make_claim()
    result = post_remittance(charged(claim), [claim], remittance([denied()]),
                             hold_denials=False)

    assert result.ledger.balance(AR_ACME) == usd("0.00")
    assert result.ledger.balance(Account.contractual_allowance()) == usd("235.00")
    assert result.denials[0].held is False


def test_an_appealed_denial_is_paid_on_the_new_adjudication() -> None:
    """Denied, appealed, then paid: the claim goes appealed → adjudicated, the A/R closes."""
    claim = make_claim()
    first = post_remittance(charged(claim), [claim], remittance([denied()]))
    appealed = appeal(first.claims[0], at=datetime(2026, 3, 25, tzinfo=UTC),
                      rules=MEDICARE_APPEALS, amount_in_controversy=usd("235.00"))
    paid = post_remittance(first.ledger, [appealed],
                           remittance([acme_payment()], trace="ACH0501", paid_on=date(2026, 5, 1)))

    (after,) = paid.claims
    assert after.status is ClaimStatus.ADJUDICATED
    assert after.adjudication is not None
    assert after.adjudication.outcome is AdjudicationOutcome.PAID
    assert paid.ledger.balance(AR_ACME) == usd("0.00")


def test_a_denied_line_makes_the_claim_partially_paid() -> None:
    """One line paid, one denied (CO-97): partially paid, the denied line listed."""
    claim = make_claim()
    sent = payment([
        svc("99214", "175.00", "150.00", adj("CO", "45", "25.00"), ref="1"),
        svc("80053", "60.00", "0.00", adj("CO", "97", "60.00"), ref="2", remarks=["M80"]),
    ])
    result = post_remittance(charged(claim), [claim], remittance([sent]))

    (denial,) = result.denials
    assert (denial.line, denial.reasons, denial.held) == (2, ("CO-97",), True)
    assert (denial.category, denial.amount) == (DenialCategory.BUNDLING, usd("60.00"))
    assert result.ledger.balance(Account.denial()) == usd("60.00")
    assert result.ledger.balance(Account.contractual_allowance()) == usd("25.00")
    assert result.claims[0].adjudication is not None
    assert result.claims[0].adjudication.outcome is AdjudicationOutcome.PARTIALLY_PAID
    assert result.ledger.balance(AR_ACME) == usd("0.00")


def test_a_zero_payment_to_the_deductible_is_not_a_denial() -> None:
    """Everything to PR-1: outcome zero paid, the whole allowed amount to the patient."""
    claim = make_claim([("99213", "100.00")])
    sent = payment([svc("99213", "100.00", "0.00", adj("CO", "45", "20.00"),
                        adj("PR", "1", "80.00"))])
    result = post_remittance(charged(claim), [claim], remittance([sent]))

    assert not result.denials
    assert result.claims[0].adjudication is not None
    assert result.claims[0].adjudication.outcome is AdjudicationOutcome.ZERO_PAID
    assert result.ledger.balance(Account.ar_patient()) == usd("80.00")


# -- provider-level adjustments, statuses, contracts --------------------------------


def test_provider_adjustments_post_outside_any_claim() -> None:
    """PLB WO recoups 30.00 (A/R payer / cash); L6 interest of -2.50 is interest income."""
    claim = make_claim()
    plb = [ProviderAdjustment(reason=ProviderAdjustmentReason.OVERPAYMENT_RECOVERY,
                              amount=usd("30.00"), reference="ICN OLD"),
           ProviderAdjustment(reason=ProviderAdjustmentReason.INTEREST_OWED,
                              amount=usd("-2.50"))]
    sent = remittance([acme_payment()], plb=plb)
    result = post_remittance(charged(claim), [claim], sent)

    assert sent.payment == usd("84.50")
    assert [moves(result.ledger)[-2:][i] for i in (0, 1)] == [
        ("rmt:ACME1:ACH0319001:plb.1", "ar:payer:ACME1", "cash", "30.00"),
        ("rmt:ACME1:ACH0319001:plb.2", "cash", "revenue:interest", "2.50"),
    ]
    assert result.ledger.balance(Account.other_adjustments()) == usd("0.00")
    assert result.ledger.balances_by_role().interest == usd("2.50")
    assert result.ledger.balance(Account.cash()) == usd("84.50")
    assert [str(i) for i in result.provider_adjustments] == [
        "rmt:ACME1:ACH0319001:plb.1", "rmt:ACME1:ACH0319001:plb.2"]
    assert all(t.claim is None for t in result.ledger.transfers(
        code=TransferCode.PROVIDER_ADJUSTMENT))


def test_the_tr3_part_a_forwarding_adjustment_adds_cash() -> None:
    """TR3 Medicare Part A: PLB CV of -1.27 makes BPR02 149998.73 + 1.27 = 150000.00."""
    big = make_claim([("99223", "211366.97")], claim_id=ClaimId("666123"))
    small = make_claim([("99223", "15000.00")], claim_id=ClaimId("777777"))
    sent = remittance(
        [payment([svc("99223", "211366.97", "138018.40", adj("CO", "45", "73348.57"))],
                 claim="666123"),
         payment([svc("99223", "15000.00", "11980.33", adj("CO", "45", "3019.67"))],
                 claim="777777")],
        plb=[ProviderAdjustment(reason=ProviderAdjustmentReason.CAPITAL_PASSTHROUGH,
                                amount=usd("-1.27"))],
    )
    result = post_remittance(charged(small, charged(big)), [big, small], sent)

    assert sent.payment == usd("150000.00")
    assert result.ledger.balance(Account.cash()) == usd("150000.00")
    assert result.ledger.balance(AR_ACME) == usd("-1.27")


def test_predeterminations_and_not_our_claim_are_not_posted() -> None:
    """Status 25 and 23 post nothing and are reported."""
    claim = make_claim()
    ledger = charged(claim)
    sent = remittance([
        attrs.evolve(acme_payment(), status=ClaimStatusCode.PREDETERMINATION),
        attrs.evolve(acme_payment(), status=ClaimStatusCode.NOT_OUR_CLAIM_FORWARDED),
    ])
    result = post_remittance(ledger, [claim], sent)

    assert [u.kind for u in result.unmatched] == [UnmatchedKind.NOT_POSTED] * 2
    assert result.ledger == ledger
    assert result.claims == (claim,)


def test_lines_allowed_below_contract_are_underpayments() -> None:
    """Contract 160.00 for 99214; the payer allowed 150.00: a 10.00 shortfall on line 1."""
    schedule = FeeSchedule(
        name="Acme 2026", effective=Period(date(2026, 1, 1)),
        prices=[FeePrice(code=CPT("99214"), modifier=None, price=usd("160.00")),
                FeePrice(code=CPT("80053"), modifier=None, price=usd("40.00"))],
    )
    contracts = [
        PayerContract(payer_id=BEACON.payer_id, effective=Period(date(2026, 1, 1)),
                      rate_of_charges=Rate.percent(100)),
        PayerContract(payer_id=ACME.payer_id, effective=Period(date(2025, 1, 1),
                                                               date(2025, 12, 31)),
                      rate_of_charges=Rate.percent(100)),
        PayerContract(payer_id=ACME.payer_id, effective=Period(date(2026, 1, 1)),
                      allowed=schedule),
    ]
    claim = make_claim()
    result = post_remittance(charged(claim), [claim], remittance([acme_payment()]),
                             contracts=contracts)

    (short,) = result.underpayments
    assert (short.line, short.expected, short.allowed, short.shortfall) == (
        1, usd("160.00"), usd("150.00"), usd("10.00"))


def test_without_an_allowed_amount_paid_plus_patient_share_is_compared() -> None:
    """No AMT*B6: allowed is paid + PR (80.00 + 70.00 = 150.00 < 175.00 at 100%)."""
    contract = PayerContract(payer_id=ACME.payer_id, effective=Period(date(2026, 1, 1)),
                             rate_of_charges=Rate.percent(100))
    claim = make_claim([("99214", "175.00")])
    sent = payment([svc("99214", "175.00", "80.00", adj("CO", "45", "25.00"),
                        adj("PR", "1", "50.00"), adj("PR", "2", "20.00"))])
    result = post_remittance(charged(claim), [claim], remittance([sent]),
                             contracts=[contract])

    assert [(u.expected, u.allowed) for u in result.underpayments] == [
        (usd("175.00"), usd("150.00"))]


def test_a_prepayment_is_applied_when_the_patient_share_posts() -> None:
    """A 20.00 desk copay held as credit pays part of the 78.00 patient share."""
    claim = make_claim()
    ledger = collect_prepayment(charged(claim), patient=MRN, amount=usd("20.00"), on=DOS,
                                reference="DESK-1", encounter="ENC-1")
    result = post_remittance(ledger, [claim], remittance([acme_payment()]))

    assert moves(result.ledger)[-1] == ("credit", "liability:patient_credit", "ar:patient",
                                        "20.00")
    assert result.ledger.balance(Account.ar_patient()) == usd("58.00")
    assert result.ledger.balance(Account.patient_credit()) == usd("0.00")
    again = post_remittance(result.ledger, result.claims, remittance([acme_payment()]))
    assert again.ledger == result.ledger
    kept = post_remittance(ledger, [claim], remittance([acme_payment()]),
                           apply_credits=False)
    assert kept.ledger.balance(Account.patient_credit()) == usd("20.00")


def test_refunding_a_payer_needs_a_credit_balance() -> None:
    """A payer's credit balance (an overpayment) is refunded by check; more is refused."""
    claim = make_claim([("99213", "100.00")])
    over = payment([svc("99213", "100.00", "110.00", adj("OA", "94", "-10.00"))])
    ledger = post_remittance(charged(claim), [claim], remittance([over])).ledger
    assert ledger.balance(AR_ACME) == usd("0.00")
    ledger = post_remittance(
        ledger, [claim], remittance([], plb=[ProviderAdjustment(
            reason=ProviderAdjustmentReason.INTEREST_PENALTY_CHARGE, amount=usd("-10.00"))],
            trace="P2")).ledger
    assert ledger.balance(AR_ACME) == usd("-10.00")
    refunded = refund_payer(ledger, payer=ACME.payer_id, amount=usd("10.00"), on=DOS,
                            reference="RF-1")

    assert refunded.balance(AR_ACME) == usd("0.00")
    assert moves(refunded)[-1] == ("prf:ACME1:RF-1", "ar:payer:ACME1", "cash", "10.00")
    with pytest.raises(PostingError, match="credit balance"):
        refund_payer(ledger, payer=ACME.payer_id, amount=usd("10.01"), on=DOS,
                     reference="RF-2")
    with pytest.raises(PostingError, match="positive"):
        refund_payer(ledger, payer=ACME.payer_id, amount=usd("0.00"), on=DOS,
                     reference="RF-3")
    with pytest.raises(PostingError):
        refund_payer(ledger, payer=ACME.payer_id, amount=usd("1.00"), on=DOS,
                     reference="RF-4", claim=CLAIM_ID)


def test_bad_arguments_are_refused_with_their_path() -> None:
    """Wrong types and bad references raise claimcore errors naming the field."""
    claim = make_claim()
    with pytest.raises(TypeMismatch) as err:
        post_remittance(Ledger(), [claim], "835")  # type: ignore[arg-type]
    assert err.value.path == "$.remittance"
    with pytest.raises(TypeMismatch):
        post_remittance(Ledger(), ["claim"], remittance([]))  # type: ignore[list-item]
    with pytest.raises(ValidationError) as bad:
        refund_payer(Ledger(), payer=ACME.payer_id, amount=usd("1.00"), on=DOS,
                     reference="has space")
    assert bad.value.path == "$.reference"


def test_transfer_ids_survive_odd_trace_numbers() -> None:
    """A trace with spaces or colons is hashed into a stable, valid id part."""
    claim = make_claim()
    result = post_remittance(charged(claim), [claim],
                             remittance([acme_payment()], trace="CHK 0001:22"))

    ids = [t.id.value for t in list(result.ledger)[2:]]
    assert all(i.startswith("rmt:ACME1:h") for i in ids)
    assert TransferId(ids[0]) in result.ledger
    assert {t.trace for t in list(result.ledger)[2:]} == {"CHK 0001:22"}


def test_zero_charge_lines_and_contracts_without_a_price_are_skipped() -> None:
    """A 0.00 line posts no charge; a contract that cannot price a code flags nothing."""
    claim = attrs.evolve(make_claim([("99214", "175.00")]), lines=[
        claim_line(1, "99214", "175.00"), claim_line(2, "36415", "0.00")],
        total_charge=usd("175.00"))
    ledger = charged(claim)
    contract = PayerContract(
        payer_id=ACME.payer_id, effective=Period(date(2026, 1, 1)),
        allowed=FeeSchedule(name="Acme", effective=Period(date(2026, 1, 1)),
                            prices=[FeePrice(code=CPT("80053"), modifier=None,
                                             price=usd("1.00"))]),
    )
    sent = payment([svc("99214", "175.00", "100.00", adj("CO", "45", "75.00"), ref="1"),
                    svc("36415", "0.00", "0.00", ref="2")])
    result = post_remittance(ledger, [claim], remittance([sent]), contracts=[contract])

    assert [t.line for t in ledger] == [1]
    assert result.underpayments == ()
    assert result.claim(CLAIM_ID) == result.claims[0]
    assert result.claim(ClaimId("NOPE")) is None
