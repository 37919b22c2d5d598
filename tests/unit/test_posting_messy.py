"""The messy cases of posting (issue 12): duplicate payments, unapplied cash, PLB interest
and recoupments, overpayments, and a reversal of a closed claim's payment.

Every number here is checked to the cent; the builders come from ``test_posting``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import attrs
import pytest

from claimcore.charges import FeePrice, FeeSchedule, PayerContract
from claimcore.claims import ClaimStatus, close, reopen
from claimcore.codes import CPT
from claimcore.errors import InvalidTransition, PostingError, ValidationError
from claimcore.ids import ClaimId, PayerClaimNumber, PayerId, TransferId
from claimcore.ledger import (
    PAYER_LIABILITY_ROLES,
    RECEIVABLE_ROLES,
    Account,
    AccountKind,
    AccountRole,
    Transfer,
    TransferCode,
    post,
)
from claimcore.periods import Period
from claimcore.posting import (
    DuplicatePayment,
    Overpayment,
    UnmatchedKind,
    collect_prepayment,
    post_remittance,
    refund_payer,
)
from claimcore.remittance import (
    ClaimPayment,
    ProviderAdjustment,
    ProviderAdjustmentReason,
    reverse,
)
from tests.unit.test_posting import (
    ACME,
    AR_ACME,
    CLAIM_ID,
    DOS,
    MRN,
    adj,
    charged,
    make_claim,
    moves,
    payment,
    remittance,
    svc,
    usd,
)

ICN = PayerClaimNumber("ICN2603190001")
PAYER_CREDIT = Account.payer_credit(ACME.payer_id)
UNAPPLIED = Account.unapplied_cash(ACME.payer_id)


def paid_once() -> ClaimPayment:
    """200.00 charged; Acme pays 100.00, CO-45 75.00, PR-1 25.00."""
    return payment([svc("99214", "200.00", "100.00", adj("CO", "45", "75.00"),
                        adj("PR", "1", "25.00"), ref="1")])


# -- the chart ------------------------------------------------------------------------


def test_the_new_accounts_are_per_payer_liabilities_and_interest_is_revenue() -> None:
    """Payer credit and unapplied cash name a payer, are liabilities, never receivables."""
    acme = ACME.payer_id
    assert (PAYER_CREDIT.key, PAYER_CREDIT.kind) == (
        "liability:payer_credit:ACME1", AccountKind.LIABILITY)
    assert (UNAPPLIED.key, UNAPPLIED.kind) == ("liability:unapplied:ACME1",
                                               AccountKind.LIABILITY)
    assert (Account.interest_income().key, Account.interest_income().kind) == (
        "revenue:interest", AccountKind.REVENUE)
    for account in (PAYER_CREDIT, UNAPPLIED, Account.interest_income()):
        assert Account.parse(account.key) == account
        assert not account.is_receivable
    assert {AccountRole.PAYER_CREDIT, AccountRole.UNAPPLIED_CASH} == PAYER_LIABILITY_ROLES
    assert not PAYER_LIABILITY_ROLES & RECEIVABLE_ROLES
    with pytest.raises(ValidationError):
        Account(role=AccountRole.PAYER_CREDIT)
    with pytest.raises(ValidationError):
        Account(role=AccountRole.INTEREST_INCOME, payer=acme)
    with pytest.raises(ValidationError):
        Account.parse("liability:payer_credit")


# -- 1. duplicates ----------------------------------------------------------------------


def test_the_same_claim_paid_again_in_a_second_835_is_a_duplicate() -> None:
    """Issue 12: the second 835 (new trace, same ICN, CLP02 1, no reversal) must not double
    the contractual 75.00, eat the patient's credit or take payer A/R negative."""
    claim = make_claim([("99214", "200.00")])
    ledger = collect_prepayment(charged(claim), patient=MRN, amount=usd("25.00"), on=DOS,
                                reference="DESK-1", encounter="ENC-1")
    first = post_remittance(ledger, [claim], remittance([paid_once()], trace="T1"))
    assert first.ledger.balance(Account.contractual_allowance()) == usd("75.00")
    assert first.ledger.balance(Account.ar_patient()) == usd("0.00")  # the desk copay paid it
    assert first.ledger.balance(Account.patient_credit()) == usd("0.00")

    second = post_remittance(first.ledger, first.claims,
                             remittance([paid_once()], trace="T2",
                                        paid_on=date(2026, 3, 26)))
    ledger = second.ledger

    assert ledger.balance(Account.contractual_allowance()) == usd("75.00")  # not 150.00
    assert ledger.balance(AR_ACME) == usd("0.00")                          # not -200.00
    assert ledger.balance(Account.ar_patient()) == usd("0.00")             # not 25.00
    assert ledger.balance(PAYER_CREDIT) == usd("100.00")
    assert ledger.balance(Account.cash()) == usd("225.00")  # 25.00 desk + 100.00 twice
    assert moves(ledger, len(first.ledger)) == [
        ("dup", "cash", "liability:payer_credit:ACME1", "100.00")]
    (dup,) = ledger.transfers(code=TransferCode.DUPLICATE_PAYMENT)
    assert (dup.claim, dup.patient, dup.payer, dup.trace) == (CLAIM_ID, MRN, ACME.payer_id,
                                                              "T2")
    assert second.duplicates == (DuplicatePayment(
        claim=CLAIM_ID, payer=ACME.payer_id, payer_claim_number=ICN, repeats="T1",
        amount=usd("100.00"), transfers=(dup.id,)),)
    assert second.claims == first.claims
    assert [p.transitioned for p in second.postings] == [False]
    money = ledger.balances_by_role(encounter="ENC-1")
    assert (money.charges, money.payer_paid, money.patient_paid, money.adjusted,
            money.outstanding, money.payer_credit) == (
        usd("200.00"), usd("100.00"), usd("25.00"), usd("75.00"), usd("0.00"), usd("100.00"))
    assert money.charges == (money.payer_paid + money.patient_paid + money.adjusted
                             + money.written_off + money.outstanding)
    summary = ledger.encounter_summary("ENC-1")
    assert (summary.payer_paid, summary.patient_paid) == (usd("100.00"), usd("25.00"))
    # Posting the duplicate again changes nothing; so does a third copy under T2.
    again = post_remittance(ledger, second.claims, remittance([paid_once()], trace="T2",
                                                               paid_on=date(2026, 3, 26)))
    assert again.ledger == ledger
    assert again.duplicates == second.duplicates


def test_refunding_a_duplicate_clears_the_payer_credit() -> None:
    """refund_payer takes the refund from the payer credit: 100.00 back, liability 0.00."""
    claim = make_claim([("99214", "200.00")])
    first = post_remittance(charged(claim), [claim], remittance([paid_once()], trace="T1"))
    held = post_remittance(first.ledger, first.claims,
                           remittance([paid_once()], trace="T2")).ledger

    refunded = refund_payer(held, payer=ACME.payer_id, amount=usd("100.00"), on=DOS,
                            reference="RF-D1", claim=CLAIM_ID)
    assert refunded.balance(PAYER_CREDIT) == usd("0.00")
    assert refunded.balance(AR_ACME) == usd("0.00")
    assert refunded.balance(Account.cash()) == usd("100.00")
    assert moves(refunded)[-1] == ("prf:ACME1:RF-D1", "liability:payer_credit:ACME1",
                                   "cash", "100.00")
    with pytest.raises(PostingError, match=r"credit balance is \$100.00"):
        refund_payer(held, payer=ACME.payer_id, amount=usd("100.01"), on=DOS,
                     reference="RF-D2")


def test_a_recoupment_naming_the_claim_clears_the_duplicate() -> None:
    """PLB WO 100.00 naming the ICN takes the duplicate back from the payer credit."""
    claim = make_claim([("99214", "200.00")])
    first = post_remittance(charged(claim), [claim], remittance([paid_once()], trace="T1"))
    second = post_remittance(first.ledger, first.claims,
                             remittance([paid_once()], trace="T2"))
    stray = payment([svc("99213", "100.00", "100.00")], claim="ZZ404")
    back = post_remittance(second.ledger, second.claims, remittance([stray], trace="T3", plb=[
        ProviderAdjustment(reason=ProviderAdjustmentReason.OVERPAYMENT_RECOVERY,
                           amount=usd("100.00"), reference=ICN.value)]))

    assert moves(back.ledger)[-1] == ("rmt:ACME1:T3:plb.1", "liability:payer_credit:ACME1",
                                      "cash", "100.00")
    assert back.ledger.balance(PAYER_CREDIT) == usd("0.00")
    assert back.ledger.balance(AR_ACME) == usd("0.00")
    assert back.ledger.balance(Account.cash()) == usd("200.00")  # 100 + 100 + 100 - 100
    assert back.ledger.balance(UNAPPLIED) == usd("100.00")
    assert back.ledger.transfers(code=TransferCode.PROVIDER_ADJUSTMENT)[0].claim == CLAIM_ID


def test_a_new_payer_claim_number_or_a_reversal_in_between_is_no_duplicate() -> None:
    """Another ICN is a new decision; after a reversal the payment posts normally."""
    claim = make_claim([("99214", "200.00")])
    first = post_remittance(charged(claim), [claim], remittance([paid_once()], trace="T1"))
    fixed = post_remittance(first.ledger, first.claims, remittance(
        [reverse(paid_once()), paid_once()], trace="T2"))
    assert not fixed.duplicates
    assert fixed.ledger.balance(Account.contractual_allowance()) == usd("75.00")
    assert fixed.ledger.balance(PAYER_CREDIT) == usd("0.00")
    # With a duplicate held, a reversal followed by a corrected payment reprocesses the
    # original (T1); the duplicate's cash stays held.
    held = post_remittance(first.ledger, first.claims, remittance([paid_once()], trace="T3"))
    redo = post_remittance(held.ledger, held.claims,
                           remittance([reverse(paid_once()), paid_once()], trace="T4"))
    assert {t.reverses.value.split(":")[2] for t in redo.ledger.transfers(
        code=TransferCode.REVERSAL) if t.reverses} == {"T1"}
    assert redo.ledger.balance(Account.contractual_allowance()) == usd("75.00")
    assert redo.ledger.balance(PAYER_CREDIT) == usd("100.00")
    other = attrs.evolve(paid_once(), payer_claim_number=PayerClaimNumber("ICN-OTHER"))
    new = post_remittance(first.ledger, first.claims, remittance([other], trace="T5"))
    assert not new.duplicates
    assert new.ledger.balance(Account.contractual_allowance()) == usd("150.00")
    # ... and its excess over the open payer balance is an overpayment, held apart.
    assert new.ledger.balance(AR_ACME) == usd("0.00")
    assert new.ledger.balance(PAYER_CREDIT) == usd("200.00")


# -- 2. unapplied cash, interest, recoupments --------------------------------------------


def test_unidentified_cash_is_held_apart_from_plb_recoupments_and_interest() -> None:
    """An unknown 50.00 next to 45.00 of recoupments: 50.00 unapplied, never 5.00; L6
    interest of 3.00 is interest income; the WO names its claim."""
    claim = make_claim([("99214", "200.00")])
    first = post_remittance(charged(claim), [claim], remittance([paid_once()], trace="T1"))
    stray = payment([svc("99213", "80.00", "50.00", adj("CO", "45", "30.00"))],
                    claim="ZZ404")
    plb = [ProviderAdjustment(reason=ProviderAdjustmentReason.OVERPAYMENT_RECOVERY,
                              amount=usd("45.00"), reference="DR0302A"),
           ProviderAdjustment(reason=ProviderAdjustmentReason.INTEREST_OWED,
                              amount=usd("-3.00"))]
    sent = remittance([stray], trace="T2", plb=plb)
    result = post_remittance(first.ledger, first.claims, sent)
    ledger = result.ledger

    assert sent.payment == usd("8.00")
    assert [u.kind for u in result.unmatched] == [UnmatchedKind.UNKNOWN_CLAIM]
    assert ledger.balance(UNAPPLIED) == usd("50.00")
    assert moves(ledger, len(first.ledger)) == [
        ("rmt:ACME1:T2:u.1", "cash", "liability:unapplied:ACME1", "50.00"),
        ("rmt:ACME1:T2:plb.1", "ar:payer:ACME1", "cash", "45.00"),
        ("rmt:ACME1:T2:plb.2", "cash", "revenue:interest", "3.00"),
    ]
    recoup = ledger.transfers(code=TransferCode.PROVIDER_ADJUSTMENT)[0]
    assert (recoup.claim, recoup.patient, recoup.encounter) == (CLAIM_ID, MRN, claim.encounter)
    assert ledger.balance(AR_ACME, claim=CLAIM_ID) == usd("45.00")
    assert ledger.balance(Account.other_adjustments()) == usd("0.00")
    assert ledger.balance(Account.cash()) == usd("108.00")
    money = ledger.balances_by_role()
    assert (money.unapplied_cash, money.interest, money.payer_paid) == (
        usd("50.00"), usd("3.00"), usd("55.00"))
    assert money.charges + money.interest == (
        money.cash - money.held + money.adjusted + money.written_off + money.outstanding)
    # A reference naming no claim of this payer posts outside any claim, as before.
    loose = post_remittance(first.ledger, first.claims, remittance([stray], trace="T3", plb=[
        ProviderAdjustment(reason=ProviderAdjustmentReason.OVERPAYMENT_RECOVERY,
                           amount=usd("45.00"), reference="NOPE 1")]))
    assert loose.ledger.transfers(code=TransferCode.PROVIDER_ADJUSTMENT)[0].claim is None


# -- 3. overpayments --------------------------------------------------------------------


def test_a_line_allowed_above_contract_is_an_overpayment() -> None:
    """Contract 140.00 for 99214; the payer allowed 150.00: a 10.00 overpayment."""
    schedule = FeeSchedule(
        name="Acme 2026", effective=Period(date(2026, 1, 1)),
        prices=[FeePrice(code=CPT("99214"), modifier=None, price=usd("140.00"))],
    )
    contract = PayerContract(payer_id=ACME.payer_id, effective=Period(date(2026, 1, 1)),
                             allowed=schedule)
    claim = make_claim([("99214", "175.00")])
    cp = payment([svc("99214", "175.00", "80.00", adj("CO", "45", "25.00"),
                      adj("PR", "1", "70.00"), ref="1", allowed="150.00")])
    result = post_remittance(charged(claim), [claim], remittance([cp]), contracts=[contract])

    assert result.overpayments == (Overpayment(
        claim=CLAIM_ID, payer=ACME.payer_id, line=1, expected=usd("140.00"),
        allowed=usd("150.00")),)
    assert result.overpayments[0].amount == usd("10.00")
    assert not result.underpayments
    assert result.ledger.balance(PAYER_CREDIT) == usd("0.00")  # listed, nothing held


def test_a_payment_beyond_the_open_payer_balance_leaves_payer_credit() -> None:
    """Acme owes nothing more on the claim and pays 100.00 again under a new payer claim
    number: 100.00 payer credit, A/R at 0.00, listed as a claim overpayment."""
    claim = make_claim([("99213", "100.00")])
    one = payment([svc("99213", "100.00", "60.00", adj("PR", "1", "40.00"))])
    first = post_remittance(charged(claim), [claim], remittance([one], trace="T1"))
    assert first.ledger.balance(AR_ACME) == usd("0.00")
    late = attrs.evolve(payment([svc("99213", "100.00", "100.00")]),
                        payer_claim_number=PayerClaimNumber("ICN-2"))
    reopened = post_remittance(first.ledger, [claim], remittance([late], trace="T2"))

    # The claim given is stale (no adjudication): the ledger shows T1 unreversed, so the
    # payment is a duplicate of T1 whatever its ICN.
    assert [d.repeats for d in reopened.duplicates] == ["T1"]
    second = post_remittance(first.ledger, first.claims, remittance([late], trace="T2"))
    assert not second.duplicates
    assert second.ledger.balance(AR_ACME) == usd("0.00")
    assert second.ledger.balance(PAYER_CREDIT) == usd("100.00")
    assert moves(second.ledger, len(first.ledger))[-1] == (
        "over", "ar:payer:ACME1", "liability:payer_credit:ACME1", "100.00")
    (over,) = second.overpayments
    assert (over.line, over.expected, over.allowed, over.amount) == (
        None, usd("0.00"), usd("100.00"), usd("100.00"))
    assert second.postings[0].payer_balance == usd("0.00")
    again = post_remittance(second.ledger, second.claims, remittance([late], trace="T2"))
    assert again.ledger == second.ledger


# -- 4. a reversal reopens a closed claim -----------------------------------------------


def test_a_reversal_of_a_closed_claim_reopens_it() -> None:
    """Closed after T1; T2 reverses and corrects: reopened, then the new decision."""
    claim = make_claim([("99214", "200.00")])
    first = post_remittance(charged(claim), [claim], remittance([paid_once()], trace="T1"))
    closed = close(first.claims[0], at=datetime(2026, 3, 20, tzinfo=UTC), reason="settled")
    corrected = payment([svc("99214", "200.00", "120.00", adj("CO", "45", "75.00"),
                             adj("PR", "1", "5.00"), ref="1")])
    fix = remittance([reverse(paid_once()), corrected], trace="T2", paid_on=date(2026, 4, 2))
    second = post_remittance(first.ledger, [closed], fix)

    (claim_now,) = second.claims
    assert [(e.from_status, e.to_status, e.reason) for e in claim_now.history[-3:]] == [
        (ClaimStatus.ADJUDICATED, ClaimStatus.CLOSED, "settled"),
        (ClaimStatus.CLOSED, ClaimStatus.ADJUDICATED, "payment reversed"),
        (ClaimStatus.ADJUDICATED, ClaimStatus.ADJUDICATED, "corrected payment"),
    ]
    assert claim_now.adjudication is not None
    assert claim_now.adjudication.paid == usd("120.00")
    assert second.ledger.balance(AR_ACME) == usd("0.00")
    assert second.ledger.balance(Account.ar_patient()) == usd("5.00")
    assert second.ledger.balance(Account.contractual_allowance()) == usd("75.00")
    assert not second.duplicates
    # Posted again: nothing moves, the claim is not reopened twice.
    again = post_remittance(second.ledger, second.claims, fix)
    assert again.ledger == second.ledger
    assert again.claims == second.claims
    # Only a closed claim reopens.
    with pytest.raises(InvalidTransition):
        reopen(first.claims[0], at=datetime(2026, 4, 3, tzinfo=UTC))


def test_a_reversal_alone_reopens_a_closed_claim_to_work_its_balance() -> None:
    """A lone reversal: the claim is adjudicated again with 200.00 open at the payer."""
    claim = make_claim([("99214", "200.00")])
    first = post_remittance(charged(claim), [claim], remittance([paid_once()], trace="T1"))
    closed = close(first.claims[0], at=datetime(2026, 3, 20, tzinfo=UTC))
    back = post_remittance(first.ledger, [closed], remittance([reverse(paid_once())],
                                                              trace="T2"))

    assert back.claims[0].status is ClaimStatus.ADJUDICATED
    assert back.ledger.balance(AR_ACME, claim=CLAIM_ID) == usd("200.00")
    assert back.ledger.balance(Account.ar_patient()) == usd("0.00")


def test_result_values_check_their_fields() -> None:
    """DuplicatePayment and Overpayment refuse wrong types and lines."""
    with pytest.raises(ValidationError):
        Overpayment(claim=CLAIM_ID, payer=PayerId("A1"), line=0, expected=usd("1.00"),
                    allowed=usd("2.00"))
    with pytest.raises(TypeError):
        DuplicatePayment(claim=ClaimId("A"), payer=PayerId("A1"),
                         payer_claim_number="X",  # type: ignore[arg-type]
                         repeats="T1", amount=usd("1.00"))


def test_only_what_the_payment_takes_below_zero_moves_to_payer_credit() -> None:
    """A claim already 10.00 below zero (posted before) and paid 100.00: 100.00 moves to
    payer credit, the older -10.00 stays where it was, to be worked."""
    claim = make_claim([("99213", "100.00")])
    legacy = Transfer(id=TransferId("legacy-1"), debit=Account.cash(), credit=AR_ACME,
                      amount=usd("110.00"), on=DOS, code=TransferCode.PAYER_PAYMENT,
                      claim=CLAIM_ID, payer=ACME.payer_id)
    ledger = post(charged(claim), legacy)
    result = post_remittance(ledger, [claim], remittance([payment([svc("99213", "100.00",
                                                                        "100.00")])]))

    assert result.ledger.balance(AR_ACME, claim=CLAIM_ID) == usd("-10.00")
    assert result.ledger.balance(PAYER_CREDIT) == usd("100.00")
    (over,) = result.overpayments
    assert (over.expected, over.allowed, over.amount) == (usd("0.00"), usd("100.00"),
                                                          usd("100.00"))
