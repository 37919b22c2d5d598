"""A payer's new decision on a claim it already answered: lines whose payment stands are
never posted twice, a reversal in the same 835 as the payment it undoes finds it, and a
partly paid claim whose denial was released still stands for duplicates and reversals.

Every number is checked to the cent; the builders come from ``test_posting``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import attrs

from claimcore.claims import ClaimStatus, appeal
from claimcore.coverage import MEDICARE_APPEALS
from claimcore.denials import AppealOutcome
from claimcore.ids import PayerClaimNumber
from claimcore.ledger import Account, TransferCode
from claimcore.posting import DuplicatePayment, PostingResult, post_remittance, refund_payer
from claimcore.remittance import ClaimPayment, reverse
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

CONTRACTUAL = Account.contractual_allowance()
DENIED = Account.denial()
PAYER_CREDIT = Account.payer_credit(ACME.payer_id)
CASH = Account.cash()


def balanced(result: PostingResult) -> None:
    """debits = credits, and every cent of the charges is placed."""
    totals = result.ledger.totals()
    assert totals.debits == totals.credits
    money = result.ledger.balances_by_role(claim=CLAIM_ID)
    assert money.charges == (money.payer_paid + money.patient_paid + money.adjusted
                             + money.written_off + money.outstanding)


def line_1_paid_line_2_denied() -> ClaimPayment:
    """235.00: line 1 paid 150.00 with CO-45 25.00, line 2 denied CO-97 60.00."""
    return payment([svc("99214", "175.00", "150.00", adj("CO", "45", "25.00"), ref="1"),
                    svc("80053", "60.00", "0.00", adj("CO", "97", "60.00"), ref="2")])


def both_lines_paid() -> ClaimPayment:
    """The appeal's decision: line 1 as before, line 2 paid in full (60.00)."""
    return payment([svc("99214", "175.00", "150.00", adj("CO", "45", "25.00"), ref="1"),
                    svc("80053", "60.00", "60.00", ref="2")])


def appealed_after_a_line_denial() -> PostingResult:
    claim = make_claim()
    first = post_remittance(charged(claim), [claim], remittance([line_1_paid_line_2_denied()]))
    assert first.ledger.balance(DENIED) == usd("60.00")
    appealed = appeal(first.claims[0], at=datetime(2026, 3, 25, tzinfo=UTC),
                      rules=MEDICARE_APPEALS, amount_in_controversy=usd("60.00"))
    return PostingResult(ledger=first.ledger, claims=(appealed,), postings=())


def redecided() -> tuple[PostingResult, PostingResult]:
    first = appealed_after_a_line_denial()
    second = post_remittance(first.ledger, first.claims,
                             remittance([both_lines_paid()], trace="ACH0501",
                                        paid_on=date(2026, 5, 1)))
    return first, second


# -- the bug: a re-decision after an appeal posted the paid line a second time ----------


def test_a_paid_line_sent_again_on_appeal_is_a_duplicate_line_payment() -> None:
    """The appeal's 835 (no reversal) sends both lines: line 1's 150.00 is a duplicate
    line payment held as payer credit, its CO-45 is not posted again (contractual stays
    25.00), and line 2's denial is released and paid (60.00)."""
    first, second = redecided()

    assert moves(second.ledger, len(first.ledger)) == [
        ("release.ACH0319001.adj.L2.1", "ar:payer:ACME1", "contra:denial", "60.00"),
        ("dup.L1", "cash", "liability:payer_credit:ACME1", "150.00"),
        ("pay.L2", "cash", "ar:payer:ACME1", "60.00"),
    ]
    ledger = second.ledger
    assert ledger.balance(CONTRACTUAL) == usd("25.00")
    assert ledger.balance(DENIED) == usd("0.00")
    assert ledger.balance(PAYER_CREDIT) == usd("150.00")
    assert ledger.balance(AR_ACME) == usd("0.00")
    assert ledger.balance(Account.ar_patient()) == usd("0.00")
    assert ledger.balance(CASH) == usd("360.00")
    assert ledger.balance(Account.gross_revenue()) == usd("235.00")
    (dup_id,) = [t.id for t in ledger if t.code is TransferCode.DUPLICATE_PAYMENT]
    assert second.duplicates == (DuplicatePayment(
        claim=CLAIM_ID, payer=ACME.payer_id,
        payer_claim_number=both_lines_paid().payer_claim_number, repeats="ACH0319001",
        amount=usd("150.00"), line=1, transfers=(dup_id,)),)
    held = ledger.get(dup_id)
    assert held is not None and held.line == 1
    assert second.overpayments == ()
    (result,) = second.appeals
    assert (result.outcome, result.denied, result.still_denied, result.appealed) == (
        AppealOutcome.OVERTURNED, usd("60.00"), usd("0.00"), True)
    assert second.claims[0].status is ClaimStatus.ADJUDICATED
    assert second.postings[0].payer_balance == usd("0.00")
    balanced(second)
    # Posted again, nothing moves; refunded, the payer credit is clear.
    again = post_remittance(second.ledger, second.claims,
                            remittance([both_lines_paid()], trace="ACH0501",
                                       paid_on=date(2026, 5, 1)))
    assert again.ledger == second.ledger
    refunded = refund_payer(ledger, payer=ACME.payer_id, amount=usd("150.00"),
                            on=date(2026, 5, 5), reference="RF-150", claim=CLAIM_ID)
    assert refunded.balance(PAYER_CREDIT) == usd("0.00")
    assert refunded.balance(CASH) == usd("210.00")


def test_a_line_denied_again_on_appeal_stays_denied_and_the_paid_line_is_not_reposted() -> None:
    """The appeal upholds line 2 and repeats line 1: 60.00 is still denied, nothing of
    line 1 moves but its cash (to payer credit)."""
    first = appealed_after_a_line_denial()
    second = post_remittance(first.ledger, first.claims,
                             remittance([line_1_paid_line_2_denied()], trace="ACH0501",
                                        paid_on=date(2026, 5, 1)))
    assert moves(second.ledger, len(first.ledger)) == [
        ("release.ACH0319001.adj.L2.1", "ar:payer:ACME1", "contra:denial", "60.00"),
        ("dup.L1", "cash", "liability:payer_credit:ACME1", "150.00"),
        ("adj.L2.1", "contra:denial", "ar:payer:ACME1", "60.00"),
    ]
    assert [a.outcome for a in second.appeals] == [AppealOutcome.UPHELD]
    assert second.ledger.balance(DENIED) == usd("60.00")
    assert second.ledger.balance(CONTRACTUAL) == usd("25.00")
    assert second.ledger.balance(PAYER_CREDIT) == usd("150.00")
    assert second.ledger.balance(AR_ACME) == usd("0.00")
    assert [(d.line, d.amount) for d in second.duplicates] == [(1, usd("150.00"))]
    assert [(d.line, d.amount) for d in second.denials] == [(2, usd("60.00"))]
    balanced(second)


# -- a reversal in the same 835 as the payment it undoes -------------------------------------


def test_a_reversal_after_its_payment_in_the_same_835_undoes_it() -> None:
    """One 835 pays the claim (188.00) and then reverses that payment: the claim is open
    again at 235.00 on Acme's A/R, no cash, no adjustment, nothing unmatched."""
    claim = make_claim()
    paid = payment([svc("99214", "175.00", "140.00", adj("CO", "45", "15.00"),
                        adj("PR", "2", "20.00"), ref="1"),
                    svc("80053", "60.00", "48.00", adj("CO", "45", "12.00"), ref="2")])
    sent = remittance([paid, reverse(paid)], trace="T1")
    result = post_remittance(charged(claim), [claim], sent)

    assert result.unmatched == ()
    ledger = result.ledger
    reversed_ids = [t.reverses for t in ledger if t.code is TransferCode.REVERSAL]
    originals = [t.id for t in list(ledger)[2:] if t.code is not TransferCode.REVERSAL]
    assert reversed_ids == originals and len(originals) == 5
    assert ledger.balance(AR_ACME) == usd("235.00")
    assert ledger.balance(CASH) == usd("0.00")
    assert ledger.balance(CONTRACTUAL) == usd("0.00")
    assert ledger.balance(Account.ar_patient()) == usd("0.00")
    assert ledger.balance(PAYER_CREDIT) == usd("0.00")
    assert result.duplicates == ()
    balanced(result)
    assert post_remittance(result.ledger, result.claims, sent).ledger == result.ledger
    # The payer then pays anew in another 835: a new posting, no duplicate.
    anew = post_remittance(result.ledger, result.claims, remittance([paid], trace="T2"))
    assert anew.duplicates == ()
    assert anew.ledger.balance(AR_ACME) == usd("0.00")
    assert anew.ledger.balance(CONTRACTUAL) == usd("27.00")


def test_a_reversal_in_the_same_835_undoes_that_835s_payment_not_an_older_one() -> None:
    """T1 paid 188.00; T2 pays 190.00 under a new number and reverses it: T1 stands."""
    claim = make_claim()
    first = post_remittance(charged(claim), [claim], remittance([
        payment([svc("99214", "175.00", "140.00", adj("CO", "45", "15.00"),
                     adj("PR", "2", "20.00"), ref="1"),
                 svc("80053", "60.00", "48.00", adj("CO", "45", "12.00"), ref="2")])],
        trace="T1"))
    other = payment([svc("99214", "175.00", "150.00", adj("CO", "45", "25.00"), ref="1"),
                     svc("80053", "60.00", "40.00", adj("CO", "45", "20.00"), ref="2")])
    other = attrs.evolve(other, payer_claim_number=PayerClaimNumber("ICN-2"))
    second = post_remittance(first.ledger, first.claims,
                             remittance([other, reverse(other)], trace="T2"))
    assert second.ledger.balance(CONTRACTUAL) == usd("27.00")
    assert second.ledger.balance(Account.ar_patient()) == usd("20.00")
    assert second.ledger.balance(AR_ACME) == usd("0.00")
    assert second.ledger.balance(CASH) == usd("188.00")
    assert second.unmatched == ()


# -- a partly paid claim whose denial was released still stands ------------------------------


def test_a_reversal_of_the_first_payment_after_a_redecision_undoes_the_first() -> None:
    """T1 partly paid, the appeal's T2 pays line 2 (line 1 a duplicate, refunded); T3
    reverses T1 (150.00): line 1's payment and CO-45 go back to Acme's A/R (175.00 open),
    the denial released by T2 is not released again, line 2 stays paid."""
    first, second = redecided()
    refunded = refund_payer(second.ledger, payer=ACME.payer_id, amount=usd("150.00"),
                            on=date(2026, 5, 5), reference="RF-150", claim=CLAIM_ID)
    third = post_remittance(refunded, second.claims,
                            remittance([reverse(line_1_paid_line_2_denied())], trace="T3",
                                       paid_on=date(2026, 6, 1)))
    new = list(third.ledger)[len(refunded):]
    first_ids = {t.id: t for t in first.ledger}
    undone = [first_ids[t.reverses] for t in new if t.reverses is not None]
    assert [(t.id.value.split("#")[-1], str(t.amount.amount)) for t in undone] == [
        ("pay.L1", "150.00"), ("adj.L1.1", "25.00")]
    assert third.unmatched == ()
    ledger = third.ledger
    assert ledger.balance(AR_ACME, claim=CLAIM_ID) == usd("175.00")
    # The payer carries the negative 835 forward (PLB FB, outside the claim): no cash moves.
    assert ledger.balance(AR_ACME) == usd("25.00")
    assert ledger.balance(CONTRACTUAL) == usd("0.00")
    assert ledger.balance(DENIED) == usd("0.00")
    assert ledger.balance(PAYER_CREDIT) == usd("0.00")
    assert ledger.balance(CASH) == usd("210.00")
    balanced(third)


def test_the_first_payment_repeated_after_a_redecision_is_a_duplicate_of_it() -> None:
    """T1 partly paid, the appeal's T2 pays both lines and is then reversed (T3); T1
    sent again (T4) repeats T1, which still stands: a duplicate, nothing reposted."""
    _, second = redecided()
    third = post_remittance(second.ledger, second.claims,
                            remittance([reverse(both_lines_paid())], trace="T3",
                                       paid_on=date(2026, 6, 1)))
    # T3 takes back all T2 paid: line 2's payment and line 1's duplicate cash.
    assert third.ledger.balance(PAYER_CREDIT) == usd("0.00")
    assert third.ledger.balance(AR_ACME, claim=CLAIM_ID) == usd("60.00")
    assert third.ledger.balance(CONTRACTUAL) == usd("25.00")
    fourth = post_remittance(third.ledger, third.claims,
                             remittance([line_1_paid_line_2_denied()], trace="T4",
                                        paid_on=date(2026, 6, 2)))
    assert [(d.repeats, d.amount, d.line) for d in fourth.duplicates] == [
        ("ACH0319001", usd("150.00"), None)]
    assert fourth.ledger.balance(CONTRACTUAL) == usd("25.00")
    assert fourth.ledger.balance(PAYER_CREDIT) == usd("150.00")
    balanced(fourth)
