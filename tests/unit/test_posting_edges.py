"""Posting paths the mutation run found untested (docs/testing.md, "Real survivors"):
a deposit's 80-character trace and its payer compared by value, a denial released after
a claim payment that credited cash, a denial already reversed by a status 22, a later
payer's remainder with no CO adjustment, and two claims with the same normalised id.

Every number is checked to the cent; the builders come from ``test_posting``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from claimcore.claims import Claim, EditContext, acknowledge, appeal, mark_ready, scrub, submit
from claimcore.codes import CARC, AdjustmentGroup, ClaimStatusCode
from claimcore.coverage import MEDICARE_APPEALS
from claimcore.errors import ValidationError
from claimcore.ids import ClaimId, PayerId
from claimcore.ledger import Account, TransferCode
from claimcore.posting import (
    Deposit,
    PostingResult,
    RemittanceCash,
    UnmatchedKind,
    post_remittance,
    reconcile_deposits,
    refund_payer,
    secondary_claim,
)
from claimcore.remittance import ClaimPayment, reverse
from tests.unit.test_posting import (
    ACME,
    AR_ACME,
    AR_BEACON,
    BEACON,
    CLAIM_ID,
    MRN,
    PRIMARY,
    SECONDARY,
    acme_payment,
    adj,
    charged,
    make_claim,
    moves,
    payment,
    remittance,
    svc,
    usd,
)

AT = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
COVERAGES = {MRN: (PRIMARY, SECONDARY)}
DENIED = Account.denial()
CONTRACTUAL = Account.contractual_allowance()


# -- deposits --------------------------------------------------------------------------------


def test_a_remittance_trace_of_80_characters_is_kept_and_81_refused() -> None:
    """The longest trace a remittance's cash carries is 80 characters."""
    longest = "T" * 80
    cash = RemittanceCash(payer=ACME.payer_id, trace=longest, on=date(2026, 3, 19),
                          amount=usd("1.00"))
    assert cash.trace == longest
    with pytest.raises(ValidationError) as caught:
        RemittanceCash(payer=ACME.payer_id, trace=longest + "T", on=date(2026, 3, 19),
                       amount=usd("1.00"))
    assert caught.value.path == "$.trace"


def test_a_deposit_naming_its_payer_matches_by_the_payer_id_value() -> None:
    """A bank line whose payer id was built apart from the 835's (another object, the
    same value) matches; another payer's does not."""
    claim = make_claim()
    posted = post_remittance(charged(claim), [claim],
                             remittance([acme_payment()], trace="EFT9"))
    same = PayerId("".join(["ACME", "1"]))
    assert same == ACME.payer_id and same is not ACME.payer_id
    line = Deposit(on=date(2026, 3, 20), amount=usd("112.00"), reference="EFT9", payer=same)
    rec = reconcile_deposits([line], posted.ledger, on=date(2026, 3, 31))
    assert [(m.remittance.trace, m.remittance.payer, m.difference) for m in rec.matched] == [
        ("EFT9", ACME.payer_id, usd("0.00"))]
    assert rec.balanced
    other = Deposit(on=date(2026, 3, 20), amount=usd("112.00"), reference="EFT9",
                    payer=BEACON.payer_id)
    assert reconcile_deposits([other], posted.ledger, on=date(2026, 3, 31)).matched == ()


# -- a denial released after a payment that credited cash --------------------------------


def sequestered() -> ClaimPayment:
    """Line 1 paid 150.00 (CO-45 25.00), line 2 denied CO-97 60.00, and a claim-level
    CO-253 of 2.00 taken off the payment: CLP04 148.00, the claim-level payment -2.00."""
    return payment([svc("99214", "175.00", "150.00", adj("CO", "45", "25.00"), ref="1"),
                    svc("80053", "60.00", "0.00", adj("CO", "97", "60.00"), ref="2")],
                   adjustments=[adj("CO", "253", "2.00")])


def test_a_denial_released_after_a_claim_payment_that_credited_cash() -> None:
    """The first 835 paid 148.00 (150.00 on line 1, -2.00 at claim level): on appeal only
    the denial moves back; a later reversal of 148.00 finds that first payment."""
    claim = make_claim()
    first = post_remittance(charged(claim), [claim], remittance([sequestered()]))
    assert ("pay.C", "ar:payer:ACME1", "cash", "2.00") in moves(first.ledger, 2)
    appealed = appeal(first.claims[0], at=datetime(2026, 3, 25, tzinfo=UTC),
                      rules=MEDICARE_APPEALS, amount_in_controversy=usd("60.00"))
    paid = payment([svc("99214", "175.00", "150.00", adj("CO", "45", "25.00"), ref="1"),
                    svc("80053", "60.00", "60.00", ref="2")])
    second = post_remittance(first.ledger, [appealed],
                             remittance([paid], trace="ACH0501", paid_on=date(2026, 5, 1)))
    assert moves(second.ledger, len(first.ledger)) == [
        ("release.ACH0319001.adj.L2.1", "ar:payer:ACME1", "contra:denial", "60.00"),
        ("dup.L1", "cash", "liability:payer_credit:ACME1", "150.00"),
        ("pay.L2", "cash", "ar:payer:ACME1", "60.00"),
    ]
    assert second.ledger.balance(CONTRACTUAL) == usd("27.00")
    assert second.ledger.balance(AR_ACME) == usd("0.00")
    assert second.ledger.balance(Account.cash()) == usd("358.00")

    refunded = refund_payer(second.ledger, payer=ACME.payer_id, amount=usd("150.00"),
                            on=date(2026, 5, 5), reference="RF-1", claim=CLAIM_ID)
    third = post_remittance(refunded, second.claims,
                            remittance([reverse(sequestered())], trace="T3",
                                       paid_on=date(2026, 6, 1)))
    undone = {t.reverses for t in list(third.ledger)[len(refunded):] if t.reverses}
    first_posted = {t.id for t in list(first.ledger)[2:]} - set(first.denials[0].transfers)
    assert undone == first_posted
    assert third.ledger.balance(AR_ACME, claim=CLAIM_ID) == usd("175.00")
    assert third.ledger.balance(CONTRACTUAL) == usd("0.00")
    assert third.ledger.balance(DENIED) == usd("0.00")


# -- a denial already reversed by a status 22 --------------------------------------------------


def test_a_denial_reversed_by_a_status_22_is_not_released_again() -> None:
    """T1 partly paid (60.00 denied), T2 reverses all of T1; the appeal's T3 pays both
    lines: nothing is left in the denial account to release, so no appeal result, and
    the denial account is 0.00, never -60.00."""
    claim = make_claim()
    first_cp = payment([svc("99214", "175.00", "150.00", adj("CO", "45", "25.00"), ref="1"),
                        svc("80053", "60.00", "0.00", adj("CO", "97", "60.00"), ref="2")])
    first = post_remittance(charged(claim), [claim], remittance([first_cp], trace="T1"))
    back = post_remittance(first.ledger, first.claims,
                           remittance([reverse(first_cp)], trace="T2"))
    assert back.ledger.balance(DENIED) == usd("0.00")
    assert back.ledger.balance(AR_ACME, claim=CLAIM_ID) == usd("235.00")
    appealed = appeal(back.claims[0], at=datetime(2026, 3, 25, tzinfo=UTC),
                      rules=MEDICARE_APPEALS, amount_in_controversy=usd("60.00"))
    paid = payment([svc("99214", "175.00", "150.00", adj("CO", "45", "25.00"), ref="1"),
                    svc("80053", "60.00", "60.00", ref="2")])
    third = post_remittance(back.ledger, [appealed],
                            remittance([paid], trace="T3", paid_on=date(2026, 5, 1)))

    assert third.appeals == ()
    assert third.duplicates == ()
    assert moves(third.ledger, len(back.ledger)) == [
        ("pay.L1", "cash", "ar:payer:ACME1", "150.00"),
        ("pay.L2", "cash", "ar:payer:ACME1", "60.00"),
        ("adj.L1.1", "contra:contractual", "ar:payer:ACME1", "25.00"),
    ]
    assert third.ledger.balance(DENIED) == usd("0.00")
    assert third.ledger.balance(CONTRACTUAL) == usd("25.00")
    assert third.ledger.balance(AR_ACME, claim=CLAIM_ID) == usd("0.00")
    assert third.ledger.balance(Account.cash()) == usd("360.00")


# -- a later payer's remainder ------------------------------------------------------------------


def billed_to_beacon() -> tuple[PostingResult, Claim]:
    claim = make_claim()
    first = post_remittance(charged(claim), [claim], remittance([acme_payment()]),
                            coverages=COVERAGES)
    second = secondary_claim(first.claims[0], acme_payment(), SECONDARY, at=AT)
    second = mark_ready(second, scrub(second, context=EditContext(as_of=date(2026, 3, 20))),
                        at=AT)
    return first, acknowledge(submit(second, at=AT), at=AT)


def test_a_later_payers_remainder_with_no_co_goes_under_its_largest_other_reason() -> None:
    """Beacon pays 40.00 of the 78.00 moved to it, PR-2 10.00, and adjusts PI-94 157.00
    and OA-23 28.00 (no CO): the 28.00 left goes under PI-94, never under the PR."""
    first, second = billed_to_beacon()
    sent = payment([], status=ClaimStatusCode.PROCESSED_AS_SECONDARY, charge="235.00",
                   adjustments=[adj("OA", "23", "28.00"), adj("PI", "94", "157.00"),
                                adj("PR", "2", "10.00")])
    result = post_remittance(first.ledger, [first.claims[0], second],
                             remittance([sent], payer=BEACON, trace="CHK1"),
                             coverages=COVERAGES)
    (cob,) = [t for t in result.ledger if t.id.value.endswith("#cob")]
    assert (cob.debit.key, cob.credit.key, cob.amount, cob.group, cob.reason, cob.code) == (
        "contra:other", "ar:payer:BEACON7", usd("28.00"),
        AdjustmentGroup.PAYER_INITIATED_REDUCTION, CARC("94"), TransferCode.OTHER_ADJUSTMENT)
    assert result.ledger.balance(AR_BEACON) == usd("0.00")
    assert result.ledger.balance(Account.ar_patient()) == usd("10.00")


# -- two claims with the same normalised id -------------------------------------------------


def test_a_later_payer_posts_on_the_first_live_claim_of_that_id() -> None:
    """Two claims answer to DR0302A (case and leading zeros aside), both billed to Acme;
    only the first had Acme's share moved to Beacon. Beacon's 835 posts on it."""
    claim = make_claim()
    twin = make_claim(claim_id=ClaimId("0dr0302a"), encounter="ENC-2")
    assert twin.id.normalized() == claim.id.normalized()
    first = post_remittance(charged(claim), [claim], remittance([acme_payment()]),
                            coverages=COVERAGES)
    assert first.ledger.balance(AR_BEACON, claim=CLAIM_ID) == usd("78.00")
    sent = payment([], status=ClaimStatusCode.PROCESSED_AS_SECONDARY, charge="235.00",
                   adjustments=[adj("OA", "23", "157.00")])
    result = post_remittance(first.ledger, [first.claims[0], twin],
                             remittance([sent], payer=BEACON, trace="CHK1"),
                             coverages=COVERAGES)
    assert not [u for u in result.unmatched if u.kind is UnmatchedKind.UNKNOWN_CLAIM]
    assert result.ledger.balance(AR_BEACON, claim=CLAIM_ID) == usd("0.00")
    assert result.ledger.balance(Account.cash()) == usd("190.00")
    assert result.ledger.balance(Account.unapplied_cash(BEACON.payer_id)) == usd("0.00")
