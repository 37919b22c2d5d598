"""Posting's exception queue (issue 12, second part): denials held apart with their
category and follow-up date, appeal outcomes, duplicates inside one 835 and reversed
duplicates, unread claims' cash (issue 13) and bank deposits reconciled.

Every number here is checked to the cent; the builders come from ``test_posting``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import attrs
import pytest

from claimcore.claims import Claim, ClaimStatus, appeal
from claimcore.codes import CARC, AdjustmentGroup, ClaimStatusCode
from claimcore.coverage import MEDICARE_APPEALS
from claimcore.cycle import claim_settled, close_settled_claims
from claimcore.denials import (
    DEFAULT_DENIAL_RULES,
    AppealOutcome,
    DenialCategory,
    DenialRules,
)
from claimcore.errors import ClaimcoreError, PostingError, ValidationError
from claimcore.ids import PayerClaimNumber, PayerId
from claimcore.ledger import (
    ADJUSTMENT_ROLES,
    DENIAL_ROLES,
    Account,
    AccountKind,
    AccountRole,
    Ledger,
    TransferCode,
    WriteOffReason,
)
from claimcore.posting import (
    Deposit,
    PostingResult,
    UnreadClaimPayment,
    post_remittance,
    reconcile_deposits,
    refund_payer,
    write_off_denial,
)
from claimcore.remittance import ClaimPayment, reverse
from claimcore.x12 import ControlNumbers, UnreadClaim, read_835_with_warnings, write_835
from tests.unit.test_posting import (
    ACME,
    AR_ACME,
    CLAIM_ID,
    adj,
    charged,
    make_claim,
    moves,
    payment,
    remittance,
    svc,
    usd,
)

DENIED = Account.denial()
PAYER_CREDIT = Account.payer_credit(ACME.payer_id)
UNAPPLIED = Account.unapplied_cash(ACME.payer_id)


def balanced(result: PostingResult) -> None:
    """Every cent of the ledger is accounted for, denials apart from adjustments."""
    money = result.ledger.balances_by_role()
    denied = result.ledger.balance(DENIED)
    adjustments = money.adjusted - denied
    assert money.charges == (money.payer_paid + money.patient_paid + adjustments + denied
                             + money.written_off + money.outstanding)
    assert all(t.debit != t.credit and t.amount.is_positive() for t in result.ledger)


def denial_of_both_lines() -> ClaimPayment:
    """Status 4 on 235.00: CO-197 (no authorization) on both lines."""
    return payment([svc("99214", "175.00", "0.00", adj("CO", "197", "175.00")),
                    svc("80053", "60.00", "0.00", adj("CO", "197", "60.00"))],
                   status=ClaimStatusCode.DENIED)


def paid_in_full() -> ClaimPayment:
    """235.00: paid 188.00, CO-45 27.00, PR-2 20.00."""
    return payment([svc("99214", "175.00", "140.00", adj("CO", "45", "15.00"),
                        adj("PR", "2", "20.00"), ref="1"),
                    svc("80053", "60.00", "48.00", adj("CO", "45", "12.00"), ref="2")])


# -- the denial account and the table ---------------------------------------------------


def test_the_denial_account_is_contra_revenue_apart_from_the_contractual_one() -> None:
    """contra:denial: contra-revenue, its own role and group, parsed back from its key."""
    assert (DENIED.key, DENIED.kind, DENIED.role) == (
        "contra:denial", AccountKind.CONTRA_REVENUE, AccountRole.DENIAL)
    assert Account.parse("contra:denial") == DENIED
    assert {AccountRole.DENIAL} == DENIAL_ROLES and DENIAL_ROLES <= ADJUSTMENT_ROLES
    assert not DENIED.is_receivable
    with pytest.raises(ValidationError):
        Account(role=AccountRole.DENIAL, payer=ACME.payer_id)


def test_the_default_table_places_each_category() -> None:
    """One CARC per category, and unknown reasons fall to other."""
    table = {"31": "eligibility", "197": "authorization", "11": "coding",
             "50": "medical_necessity", "29": "timely_filing", "18": "duplicate",
             "97": "bundling", "22": "coordination_of_benefits",
             "16": "missing_information", "B7": "other"}
    for code, category in table.items():
        assert DEFAULT_DENIAL_RULES.category(CARC(code)).value == category
    assert {c.value for c in DenialCategory} == set(table.values())
    assert not DEFAULT_DENIAL_RULES.denies(AdjustmentGroup.CONTRACTUAL_OBLIGATION, CARC("45"))
    assert not DEFAULT_DENIAL_RULES.denies(AdjustmentGroup.PATIENT_RESPONSIBILITY, CARC("50"))
    assert DEFAULT_DENIAL_RULES.denies(AdjustmentGroup.OTHER_ADJUSTMENT, CARC("50"))
    assert DEFAULT_DENIAL_RULES.follow_up_on(date(2026, 12, 15)) == date(2027, 1, 14)
    with pytest.raises(ValidationError, match="PR is the patient's share"):
        DenialRules(groups={AdjustmentGroup.PATIENT_RESPONSIBILITY})
    with pytest.raises(ValidationError):
        DenialRules(follow_up_days=-1)


def test_a_line_denial_goes_to_the_denial_account_never_the_contractual() -> None:
    """Line 1 paid (CO-45 25.00), line 2 CO-16 60.00 denied: 60.00 to contra:denial,
    missing information, follow up 30 days after the payment date."""
    claim = make_claim()
    sent = payment([svc("99214", "175.00", "150.00", adj("CO", "45", "25.00"), ref="1"),
                    svc("80053", "60.00", "0.00", adj("CO", "16", "60.00"), ref="2",
                        remarks=["M51"])])
    result = post_remittance(charged(claim), [claim], remittance([sent]))

    (denial,) = result.denials
    assert (denial.line, denial.held, denial.category, denial.amount) == (
        2, True, DenialCategory.MISSING_INFORMATION, usd("60.00"))
    assert denial.follow_up_on == date(2026, 4, 18)
    assert moves(result.ledger, 2) == [
        ("pay.L1", "cash", "ar:payer:ACME1", "150.00"),
        ("adj.L1.1", "contra:contractual", "ar:payer:ACME1", "25.00"),
        ("adj.L2.1", "contra:denial", "ar:payer:ACME1", "60.00"),
    ]
    (t,) = result.ledger.transfers(code=TransferCode.DENIAL)
    assert (t.id, t.line, t.group, t.reason, t.payer) == (
        denial.transfers[0], 2, AdjustmentGroup.CONTRACTUAL_OBLIGATION, CARC("16"),
        ACME.payer_id)
    assert result.ledger.balance(Account.contractual_allowance()) == usd("25.00")
    money = result.ledger.balances_by_role(claim=CLAIM_ID)
    assert [(a.group.value, str(a.reason), a.amount) for a in money.adjustments] == [
        ("CO", "16", usd("60.00")), ("CO", "45", usd("25.00"))]
    balanced(result)
    # A denial held keeps the claim from closing.
    assert not claim_settled(result.claims[0], result.ledger)
    assert close_settled_claims(result.claims, result.ledger,
                                at=datetime(2026, 4, 1, tzinfo=UTC)) == result.claims


def test_the_caller_replaces_the_table_and_the_follow_up_interval() -> None:
    """A caller's rules: CO-16 is coding and follow-up is 10 days; CO-16 not denying at
    all posts as the contractual allowance, and no denial is listed."""
    claim = make_claim()
    sent = payment([svc("99214", "175.00", "150.00", adj("CO", "45", "25.00"), ref="1"),
                    svc("80053", "60.00", "0.00", adj("CO", "16", "60.00"), ref="2")])
    mine = DenialRules(categories={CARC("16"): DenialCategory.CODING}, follow_up_days=10)
    result = post_remittance(charged(claim), [claim], remittance([sent]), denial_rules=mine)
    (denial,) = result.denials
    assert (denial.category, denial.follow_up_on) == (DenialCategory.CODING, date(2026, 3, 29))

    never = attrs.evolve(DEFAULT_DENIAL_RULES,
                         not_denials=DEFAULT_DENIAL_RULES.not_denials | {CARC("16")})
    plain = post_remittance(charged(claim), [claim], remittance([sent]), denial_rules=never)
    assert plain.denials == ()
    assert plain.ledger.balance(DENIED) == usd("0.00")
    assert plain.ledger.balance(Account.contractual_allowance()) == usd("85.00")


def test_a_zero_paid_line_with_only_a_contractual_reduction_is_no_denial() -> None:
    """CO-45 of the whole 60.00 (a zero fee) is contractual, not a denial."""
    claim = make_claim()
    sent = payment([svc("99214", "175.00", "150.00", adj("CO", "45", "25.00"), ref="1"),
                    svc("80053", "60.00", "0.00", adj("CO", "45", "60.00"), ref="2")])
    result = post_remittance(charged(claim), [claim], remittance([sent]))
    assert result.denials == ()
    assert result.ledger.balance(Account.contractual_allowance()) == usd("85.00")


# -- appeals: overturned, partially overturned, upheld ----------------------------------


def denied_then_appealed() -> tuple[PostingResult, ClaimPayment]:
    claim = make_claim()
    first = post_remittance(charged(claim), [claim], remittance([denial_of_both_lines()]))
    assert first.ledger.balance(DENIED) == usd("235.00")
    assert first.denials[0].category is DenialCategory.AUTHORIZATION
    appealed = appeal(first.claims[0], at=datetime(2026, 3, 25, tzinfo=UTC),
                      rules=MEDICARE_APPEALS, amount_in_controversy=usd("235.00"))
    return attrs.evolve(first, claims=(appealed,)), denial_of_both_lines()


def test_an_overturned_denial_moves_out_of_the_denial_account() -> None:
    """The appeal pays in full: 235.00 back to Acme's A/R, then paid and adjusted."""
    first, _ = denied_then_appealed()
    paid = post_remittance(first.ledger, first.claims,
                           remittance([paid_in_full()], trace="ACH0501",
                                      paid_on=date(2026, 5, 1)))

    (result,) = paid.appeals
    assert (result.outcome, result.denied, result.still_denied, result.recovered,
            result.appealed) == (AppealOutcome.OVERTURNED, usd("235.00"), usd("0.00"),
                                 usd("235.00"), True)
    assert paid.ledger.balance(DENIED) == usd("0.00")
    assert paid.ledger.balance(AR_ACME) == usd("0.00")
    assert paid.ledger.balance(Account.contractual_allowance()) == usd("27.00")
    assert paid.ledger.balance(Account.ar_patient()) == usd("20.00")
    released = [t for t in paid.ledger if t.id in result.transfers]
    assert [(t.debit.key, t.credit.key, str(t.amount.amount)) for t in released] == [
        ("ar:payer:ACME1", "contra:denial", "175.00"),
        ("ar:payer:ACME1", "contra:denial", "60.00")]
    assert paid.claims[0].status is ClaimStatus.ADJUDICATED
    assert not paid.duplicates
    balanced(paid)
    # Posted again, nothing moves.
    again = post_remittance(paid.ledger, paid.claims,
                            remittance([paid_in_full()], trace="ACH0501",
                                       paid_on=date(2026, 5, 1)))
    assert again.ledger == paid.ledger


def test_a_partially_overturned_and_an_upheld_denial() -> None:
    """Line 1 paid on appeal, line 2 still denied: partially overturned, 60.00 held;
    the same denial again: upheld, and written off it settles the claim."""
    first, _ = denied_then_appealed()
    part = payment([svc("99214", "175.00", "140.00", adj("CO", "45", "35.00"), ref="1"),
                    svc("80053", "60.00", "0.00", adj("CO", "197", "60.00"), ref="2")])
    partly = post_remittance(first.ledger, first.claims,
                             remittance([part], trace="ACH0501", paid_on=date(2026, 5, 1)))
    (result,) = partly.appeals
    assert (result.outcome, result.still_denied) == (AppealOutcome.PARTIALLY_OVERTURNED,
                                                     usd("60.00"))
    assert partly.ledger.balance(DENIED) == usd("60.00")
    assert partly.ledger.balance(AR_ACME) == usd("0.00")
    balanced(partly)

    upheld = post_remittance(first.ledger, first.claims,
                             remittance([denial_of_both_lines()], trace="ACH0502"))
    assert [a.outcome for a in upheld.appeals] == [AppealOutcome.UPHELD]
    assert upheld.ledger.balance(DENIED) == usd("235.00")
    assert upheld.ledger.balance(AR_ACME) == usd("0.00")
    off = write_off_denial(upheld.ledger, claim=CLAIM_ID, payer=ACME.payer_id,
                           on=date(2026, 6, 1), reference="WOD-1")
    assert off.balance(DENIED) == usd("0.00")
    assert off.balance(Account.write_off(WriteOffReason.ADMINISTRATIVE)) == usd("235.00")
    assert claim_settled(upheld.claims[0], off)
    assert write_off_denial(off, claim=CLAIM_ID, payer=ACME.payer_id, on=date(2026, 6, 1),
                            reference="WOD-1") == off
    with pytest.raises(PostingError, match="holds no denial"):
        write_off_denial(off, claim=CLAIM_ID, payer=ACME.payer_id, on=date(2026, 6, 2),
                         reference="WOD-2")


def test_a_denial_reprocessed_without_an_appeal_is_a_new_decision() -> None:
    """Acme pays a denied claim on its own (same ICN, new trace): no duplicate, the
    denial is overturned (not appealed)."""
    claim = make_claim()
    first = post_remittance(charged(claim), [claim], remittance([denial_of_both_lines()]))
    paid = post_remittance(first.ledger, first.claims,
                           remittance([paid_in_full()], trace="ACH0501"))
    assert not paid.duplicates
    assert [(a.outcome, a.appealed) for a in paid.appeals] == [
        (AppealOutcome.OVERTURNED, False)]
    assert paid.ledger.balance(DENIED) == usd("0.00")
    assert paid.ledger.balance(Account.cash()) == usd("188.00")


def test_not_holding_denials_adjusts_them_as_their_group_says() -> None:
    """hold_denials=False: the caller's choice; the denial is listed, not held."""
    claim = make_claim()
    result = post_remittance(charged(claim), [claim], remittance([denial_of_both_lines()]),
                             hold_denials=False)
    assert [(d.held, d.transfers) for d in result.denials] == [(False, ())]
    assert result.ledger.balance(DENIED) == usd("0.00")
    assert result.ledger.balance(Account.contractual_allowance()) == usd("235.00")


# -- duplicates: inside one 835, reversed -------------------------------------------------


def test_the_same_claim_paid_twice_in_one_835_is_a_duplicate() -> None:
    """Two CLPs for the claim, the same ICN, no reversal between: the second is held."""
    claim = make_claim()
    sent = remittance([paid_in_full(), paid_in_full()], trace="T1")
    result = post_remittance(charged(claim), [claim], sent)

    assert [(d.repeats, d.amount) for d in result.duplicates] == [("T1", usd("188.00"))]
    assert result.ledger.balance(Account.contractual_allowance()) == usd("27.00")
    assert result.ledger.balance(Account.ar_patient()) == usd("20.00")
    assert result.ledger.balance(PAYER_CREDIT) == usd("188.00")
    assert result.ledger.balance(AR_ACME) == usd("0.00")
    assert result.ledger.balance(Account.cash()) == sent.payment
    balanced(result)
    assert post_remittance(result.ledger, result.claims, sent).ledger == result.ledger
    # Another payer claim number in the same 835 is another decision, not a duplicate.
    split = attrs.evolve(paid_in_full(), payer_claim_number=PayerClaimNumber("ICN-B"))
    two = post_remittance(charged(claim), [claim], remittance([paid_in_full(), split],
                                                               trace="T2"))
    assert not two.duplicates
    assert two.ledger.balance(Account.contractual_allowance()) == usd("54.00")


def test_a_reversal_of_a_duplicate_takes_it_back_out_of_payer_credit() -> None:
    """T1 pays, T2 repeats it, T3 reverses it (alone): payer credit 0.00, the original's
    contractual and patient share untouched, A/R 0.00."""
    claim = make_claim()
    first = post_remittance(charged(claim), [claim], remittance([paid_in_full()],
                                                                 trace="T1"))
    dup = post_remittance(first.ledger, first.claims, remittance([paid_in_full()],
                                                                  trace="T2"))
    assert dup.ledger.balance(PAYER_CREDIT) == usd("188.00")
    back = post_remittance(dup.ledger, dup.claims,
                           remittance([reverse(paid_in_full())], trace="T3"))

    # The payer carries the negative 835 forward (PLB FB, outside any claim): it will
    # take the 188.00 off a later payment.
    assert moves(back.ledger, len(dup.ledger)) == [
        ("dup.back", "liability:payer_credit:ACME1", "cash", "188.00"),
        ("rmt:ACME1:T3:plb.1", "cash", "ar:payer:ACME1", "188.00")]
    assert back.ledger.balance(PAYER_CREDIT) == usd("0.00")
    assert back.ledger.balance(AR_ACME, claim=CLAIM_ID) == usd("0.00")
    assert back.ledger.balance(Account.contractual_allowance()) == usd("27.00")
    assert back.ledger.balance(Account.ar_patient()) == usd("20.00")
    assert back.ledger.balance(Account.cash()) == usd("376.00")
    assert not back.unmatched
    balanced(back)
    again = post_remittance(back.ledger, back.claims,
                            remittance([reverse(paid_in_full())], trace="T3"))
    assert again.ledger == back.ledger
    # Once the duplicate is refunded, a reversal undoes the original instead.
    refunded = refund_payer(dup.ledger, payer=ACME.payer_id, amount=usd("188.00"),
                            on=date(2026, 4, 1), reference="RF-1", claim=CLAIM_ID)
    late = post_remittance(refunded, dup.claims,
                           remittance([reverse(paid_in_full())], trace="T3"))
    assert late.ledger.balance(AR_ACME, claim=CLAIM_ID) == usd("235.00")
    assert late.ledger.balance(PAYER_CREDIT) == usd("0.00")


# -- unread claims (issue 13) --------------------------------------------------------------


def test_an_unread_claim_posts_its_clp04_to_unapplied_cash() -> None:
    """One claim of a written 835 corrupted: the other posts, the unread one's 55.00
    goes to Acme's unapplied cash, and cash equals BPR02."""
    claim = make_claim()
    other = payment([svc("99213", "80.00", "55.00", adj("CO", "45", "25.00"))],
                    claim="ZZ77")
    sent = remittance([paid_in_full(), other], trace="ACH0320")
    text = write_835([sent], at=datetime(2026, 3, 20, 8, tzinfo=UTC),
                     control_numbers=ControlNumbers(interchange=1, group=1, transaction=1))
    # CLP05 (patient responsibility) not an amount: that claim alone cannot be read.
    broken = text.replace("CLP*ZZ77*1*80.00*55.00**", "CLP*ZZ77*1*80.00*55.00*X*")
    assert broken != text
    read = read_835_with_warnings(broken)
    (unread,) = read.unread_claims
    assert (unread.clp01, unread.paid) == ("ZZ77", usd("55.00"))
    (remit,) = read.remittances
    assert remit.payment == usd("188.00")

    result = post_remittance(charged(claim), [claim], remit, unread=read.unread_claims)
    assert result.ledger.balance(Account.cash()) == sent.payment == usd("243.00")
    assert result.ledger.balance(UNAPPLIED) == usd("55.00")
    assert result.ledger.balance(AR_ACME) == usd("0.00")
    (posted,) = result.unread
    assert (posted.segment_number, posted.claim, posted.amount) == (
        unread.segment_number, "ZZ77", usd("55.00"))
    (t,) = [t for t in result.ledger if t.id in posted.transfers]
    assert (t.debit.key, t.credit.key, t.payer, t.trace) == (
        "cash", "liability:unapplied:ACME1", ACME.payer_id, "ACH0320")
    balanced(result)
    again = post_remittance(result.ledger, result.claims, remit, unread=read.unread_claims)
    assert again.ledger == result.ledger


def test_an_unread_claim_without_an_amount_is_listed_and_posts_nothing() -> None:
    """CLP04 unreadable: listed with amount None, no transfer; a bad value is refused."""
    claim = make_claim()
    lost = UnreadClaim(segment_number=14, reason="segment 14 (CLP), CLP04: not an amount",
                       clp01="ZZ77", clp02="1", clp03="80.00", clp04="5S")
    result = post_remittance(charged(claim), [claim], remittance([paid_in_full()]),
                             unread=[lost])
    assert [(u.amount, u.transfers) for u in result.unread] == [(None, ())]
    assert result.ledger.balance(UNAPPLIED) == usd("0.00")
    shaped: UnreadClaimPayment = lost
    assert shaped.clp01 == "ZZ77"
    with pytest.raises(ClaimcoreError, match=r"unread\[0\]\.segment_number"):
        post_remittance(charged(claim), [claim], remittance([paid_in_full()]),
                        unread=[object()])  # type: ignore[list-item]


# -- deposits ---------------------------------------------------------------------------------


def test_deposits_reconcile_against_the_remittances_posted() -> None:
    """Three 835s and three bank lines: one matched, one short by 0.50, one 835 with no
    deposit, one deposit with no 835."""
    claim = make_claim()
    a = post_remittance(charged(claim), [claim], remittance([paid_in_full()], trace="EFT1",
                                                             paid_on=date(2026, 3, 19)))
    stray = payment([svc("99213", "80.00", "50.00", adj("CO", "45", "30.00"))], claim="ZZ1")
    b = post_remittance(a.ledger, a.claims, remittance([stray], trace="EFT2",
                                                       paid_on=date(2026, 3, 20)))
    stray3 = payment([svc("99213", "80.00", "40.00", adj("CO", "45", "40.00"))], claim="ZZ2")
    c = post_remittance(b.ledger, b.claims, remittance([stray3], trace="EFT3",
                                                       paid_on=date(2026, 3, 21)))
    bank = [
        Deposit(on=date(2026, 3, 20), amount=usd("188.00"),
                reference="ACME HEALTH HCCLAIMPMT TRN*1*EFT1*1999999999"),
        Deposit(on=date(2026, 3, 21), amount=usd("49.50"), reference="eft2"),
        Deposit(on=date(2026, 3, 22), amount=usd("12.00"), reference="LOCKBOX 7781"),
        Deposit(on=date(2026, 4, 2), amount=usd("40.00"), reference="EFT3"),
    ]
    rec = reconcile_deposits(bank, c.ledger, on=date(2026, 3, 31))

    assert [(m.remittance.trace, m.deposit.amount, m.difference) for m in rec.matched] == [
        ("EFT1", usd("188.00"), usd("0.00")), ("EFT2", usd("49.50"), usd("-0.50"))]
    assert [m.remittance.trace for m in rec.differences] == ["EFT2"]
    assert [d.reference for d in rec.deposits_without_835] == ["LOCKBOX 7781"]
    assert [(r.trace, r.payer, r.amount, r.on) for r in rec.remittances_without_deposit] == [
        ("EFT3", ACME.payer_id, usd("40.00"), date(2026, 3, 21))]
    assert not rec.balanced
    later = reconcile_deposits([bank[0], bank[3], attrs.evolve(bank[1], amount=usd("50.00"))],
                               c.ledger, on=date(2026, 4, 30))
    assert later.balanced
    # A deposit naming another payer does not match Acme's trace.
    other = Deposit(on=date(2026, 3, 20), amount=usd("188.00"), reference="EFT1",
                    payer=PayerId("BEACON7"))
    assert reconcile_deposits([other], a.ledger, on=date(2026, 3, 31)).matched == ()


def test_a_remittance_cash_is_net_of_plb_and_duplicates() -> None:
    """A duplicate's cash and a recoupment count in the 835's cash (it is BPR02)."""
    claim = make_claim()
    first = post_remittance(charged(claim), [claim], remittance([paid_in_full()],
                                                                 trace="T1"))
    dup_835 = remittance([paid_in_full()], trace="T2")
    dup = post_remittance(first.ledger, first.claims, dup_835)
    rec = reconcile_deposits([Deposit(on=date(2026, 3, 20), amount=dup_835.payment,
                                      reference="T2")], dup.ledger, on=date(2026, 3, 31))
    assert [(m.remittance.trace, m.difference) for m in rec.matched] == [("T2",
                                                                           usd("0.00"))]
    assert [r.trace for r in rec.remittances_without_deposit] == ["T1"]
    empty = reconcile_deposits([], Ledger(), on=date(2026, 1, 1))
    assert (empty.matched, empty.balanced) == ((), True)


def test_a_stale_claim_is_told_apart_by_its_acknowledged_payer_claim_number() -> None:
    """The claim given has no adjudication (stale) but was acknowledged under ICN-A: a
    payment under another ICN is a new decision, one under ICN-A a duplicate."""
    claim = make_claim()
    acked: Claim = attrs.evolve(claim, payer_claim_number=PayerClaimNumber("ICN2603190001"))
    first = post_remittance(charged(acked), [acked], remittance([paid_in_full()],
                                                                 trace="T1"))
    other = attrs.evolve(paid_in_full(), payer_claim_number=PayerClaimNumber("ICN-NEW"))
    new = post_remittance(first.ledger, [acked], remittance([other], trace="T2"))
    assert not new.duplicates
    same = post_remittance(first.ledger, [acked], remittance([paid_in_full()], trace="T2"))
    assert [d.repeats for d in same.duplicates] == ["T1"]
    # With no number recorded at all, any unreversed earlier posting is repeated.
    bare = post_remittance(first.ledger, [claim], remittance([other], trace="T2"))
    assert [d.repeats for d in bare.duplicates] == ["T1"]
