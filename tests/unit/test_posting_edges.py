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
from claimcore.errors import PostingError, ValidationError
from claimcore.ids import ClaimId, PayerId, TransferId
from claimcore.ledger import Account, Ledger, Transfer, TransferCode
from claimcore.posting import (
    Deposit,
    PostingResult,
    RemittanceCash,
    UnmatchedKind,
    post_patient_payment,
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
    coverage,
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


# -- survivors of the 2026-12-02 re-run ---------------------------------------------------------


def test_a_service_without_modifiers_matches_the_line_of_the_same_charge() -> None:
    """Two 99214 lines (-25 at 175.00, -59 at 150.00); the payer drops the modifiers:
    the 150.00 service matches line 2 by its charge, not line 1."""
    claim = make_claim([("99214", "175.00"), ("99214", "150.00")], modifiers=[["25"], ["59"]])
    sent = payment([svc("99214", "150.00", "120.00", adj("CO", "45", "30.00"))])
    result = post_remittance(charged(claim), [claim], remittance([sent]))
    assert {t.line for t in list(result.ledger)[2:]} == {2}
    assert result.ledger.balance(AR_ACME) == usd("175.00")


def test_claims_of_one_835_do_not_count_in_each_others_overpayment() -> None:
    """Two claims in one 835, each paid exactly what it owes (first the one whose id
    sorts after the other's): neither is an overpayment and no payer credit is left."""
    other = make_claim([("99213", "80.00")], claim_id=ClaimId("ZZ0001"), encounter="ENC-0")
    claim = make_claim()
    ledger = charged(claim, charged(other))
    sent = remittance([payment([svc("99213", "80.00", "80.00")], claim="ZZ0001"),
                       payment([svc("99214", "175.00", "175.00", ref="1"),
                                svc("80053", "60.00", "60.00", ref="2")])])
    result = post_remittance(ledger, [other, claim], sent)
    assert result.overpayments == ()
    assert result.ledger.balance(Account.payer_credit(ACME.payer_id)) == usd("0.00")
    assert result.ledger.balance(AR_ACME) == usd("0.00")
    assert [p.payer_balance for p in result.postings] == [usd("0.00"), usd("0.00")]


def test_a_patient_payment_for_one_encounter_pays_only_that_encounter() -> None:
    """E1 and E2 both owe; a payment for E2 goes to E2 alone, even though E1 sorts
    before it."""
    mrn = MRN

    def charge(tid: str, encounter: str, amount: str) -> Transfer:
        return Transfer(id=TransferId(tid), debit=Account.ar_patient(),
                        credit=Account.gross_revenue(), amount=usd(amount),
                        on=date(2026, 3, 2), code=TransferCode.CHARGE, patient=mrn,
                        encounter=encounter)

    ledger = Ledger.from_transfers([charge("e1", "E1", "30.00"), charge("e2", "E2", "20.00")])
    paid = post_patient_payment(ledger, patient=mrn, amount=usd("50.00"),
                                on=date(2026, 4, 1), reference="PP-1", encounter="E2")
    assert paid.balance(Account.ar_patient(), encounter="E2") == usd("0.00")
    assert paid.balance(Account.ar_patient(), encounter="E1") == usd("30.00")
    assert paid.balance(Account.patient_credit()) == usd("30.00")


def test_strict_posting_names_the_position_of_the_unknown_claim() -> None:
    """The fourth claim payment is unknown: the error names $.claims[3]."""
    claim = make_claim()
    paid = payment([svc("99214", "175.00", "175.00", ref="1"),
                    svc("80053", "60.00", "60.00", ref="2")])
    stray = payment([svc("99213", "80.00", "80.00")], claim="ZZ9")
    denial = payment([svc("99214", "175.00", "0.00", adj("CO", "97", "175.00"), ref="1"),
                      svc("80053", "60.00", "0.00", adj("CO", "97", "60.00"), ref="2")],
                     status=ClaimStatusCode.DENIED)
    with pytest.raises(PostingError, match=r"^\$\.claims\[3\]: no claim 'ZZ9'"):
        post_remittance(charged(claim), [claim],
                        remittance([denial, paid, reverse(paid), stray]), strict=True)


def test_a_later_payers_remainder_under_a_denying_reason_is_no_denial_when_it_pays() -> None:
    """Beacon pays 40.00 and leaves PR-2 10.00, with CO-50 as its largest adjustment, but
    does not deny the claim: the 28.00 left is contractual, never held as a denial."""
    first, second = billed_to_beacon()
    sent = payment([], status=ClaimStatusCode.PROCESSED_AS_SECONDARY, charge="235.00",
                   adjustments=[adj("CO", "50", "185.00"), adj("PR", "2", "10.00")])
    result = post_remittance(first.ledger, [first.claims[0], second],
                             remittance([sent], payer=BEACON, trace="CHK1"),
                             coverages=COVERAGES)
    (cob,) = [t for t in result.ledger if t.id.value.endswith("#cob")]
    assert (cob.debit.key, cob.amount, cob.group, cob.reason, cob.code) == (
        "contra:contractual", usd("28.00"), AdjustmentGroup.CONTRACTUAL_OBLIGATION,
        CARC("50"), TransferCode.CONTRACTUAL)
    assert result.denials == ()
    assert result.ledger.balance(DENIED) == usd("0.00")
    assert result.ledger.balance(AR_BEACON) == usd("0.00")


# -- survivors of the second 2026-12-02 run ------------------------------------------------------


def test_a_claim_billed_to_a_payer_whose_id_sorts_later_is_not_anothers_own() -> None:
    """Acme's 835 names a claim billed to Beacon (nothing moved to Acme): unapplied cash."""
    claim = make_claim(cov=coverage(BEACON))
    result = post_remittance(charged(claim), [claim], remittance([acme_payment()]))
    assert [u.kind for u in result.unmatched] == [UnmatchedKind.UNKNOWN_CLAIM]
    assert result.ledger.balance(Account.unapplied_cash(ACME.payer_id)) == usd("112.00")
    assert result.ledger.balance(AR_BEACON) == usd("235.00")


def test_charges_on_a_payers_ar_are_no_balance_moved_to_it() -> None:
    """Charges posted to Beacon's A/R, the claim since billed to Acme: Beacon's 835 finds
    nothing moved to it by an earlier payer, so its cash is unapplied."""
    claim = make_claim()
    ledger = charged(make_claim(cov=coverage(BEACON)))
    sent = payment([], status=ClaimStatusCode.PROCESSED_AS_SECONDARY, charge="235.00",
                   adjustments=[adj("OA", "23", "157.00")])
    result = post_remittance(ledger, [claim], remittance([sent], payer=BEACON, trace="CHK1"))
    assert [u.kind for u in result.unmatched] == [UnmatchedKind.UNKNOWN_CLAIM]
    assert result.ledger.balance(Account.unapplied_cash(BEACON.payer_id)) == usd("78.00")
    assert result.ledger.balance(AR_BEACON) == usd("235.00")


def test_an_encounter_id_of_64_characters_is_taken_and_65_refused() -> None:
    """A patient payment names its encounter by value (a string built apart), at most 64
    characters."""
    mrn = MRN
    longest = "E" * 64
    ledger = Ledger.from_transfers([
        Transfer(id=TransferId("e1"), debit=Account.ar_patient(),
                 credit=Account.gross_revenue(), amount=usd("30.00"), on=date(2026, 3, 2),
                 code=TransferCode.CHARGE, patient=mrn, encounter=longest)])
    built = "".join("E" for _ in range(64))
    paid = post_patient_payment(ledger, patient=mrn, amount=usd("30.00"),
                                on=date(2026, 4, 1), reference="PP-1", encounter=built)
    assert paid.balance(Account.ar_patient(), encounter=longest) == usd("0.00")
    assert paid.balance(Account.patient_credit()) == usd("0.00")
    with pytest.raises(ValidationError) as caught:
        post_patient_payment(ledger, patient=mrn, amount=usd("30.00"), on=date(2026, 4, 1),
                             reference="PP-2", encounter=longest + "E")
    assert caught.value.path == "$.encounter"


def test_a_bare_reversal_before_another_claim_still_takes_back_the_duplicate() -> None:
    """T1 pays, T2 repeats it; T3 reverses it and then pays another claim: the reversal
    has no corrected payment after it, so it takes the duplicate out of payer credit."""
    claim = make_claim()
    paid = acme_payment()
    first = post_remittance(charged(claim), [claim], remittance([paid], trace="T1"))
    dup = post_remittance(first.ledger, first.claims, remittance([paid], trace="T2"))
    assert dup.ledger.balance(Account.payer_credit(ACME.payer_id)) == usd("112.00")
    stray = payment([svc("99213", "80.00", "50.00", adj("CO", "45", "30.00"))], claim="ZZ1")
    back = post_remittance(dup.ledger, dup.claims,
                           remittance([reverse(paid), stray], trace="T3"))
    assert back.ledger.balance(Account.payer_credit(ACME.payer_id)) == usd("0.00")
    assert back.ledger.balance(AR_ACME, claim=CLAIM_ID) == usd("0.00")
    assert back.ledger.balance(CONTRACTUAL, claim=CLAIM_ID) == usd("45.00")


def test_a_later_payers_denial_names_its_remainder_transfer() -> None:
    """Beacon denies (status 4, CO-50): the 78.00 moved to it goes to the denial account,
    and the denial names exactly that transfer."""
    first, second = billed_to_beacon()
    sent = payment([], status=ClaimStatusCode.DENIED, charge="235.00",
                   adjustments=[adj("CO", "50", "235.00")])
    result = post_remittance(first.ledger, [first.claims[0], second],
                             remittance([sent], payer=BEACON, trace="CHK1"),
                             coverages=COVERAGES)
    (cob,) = [t for t in result.ledger if t.id.value.endswith("#cob")]
    assert (cob.debit.key, cob.amount, cob.code) == ("contra:denial", usd("78.00"),
                                                     TransferCode.DENIAL)
    (denial,) = result.denials
    assert denial.transfers == (cob.id,)
    assert result.ledger.balance(DENIED) == usd("78.00")
    assert result.ledger.balance(AR_BEACON) == usd("0.00")


def test_a_denied_service_matching_no_line_names_its_denial_transfer() -> None:
    """A denied service (CO-97) that matches no claim line posts at claim level under
    its position (S2) and its denial names exactly that transfer."""
    claim = make_claim()
    sent = payment([svc("99214", "175.00", "150.00", adj("CO", "45", "25.00"), ref="1"),
                    svc("99999", "60.00", "0.00", adj("CO", "97", "60.00"))])
    result = post_remittance(charged(claim), [claim], remittance([sent]))
    (denial,) = result.denials
    (held,) = [t for t in result.ledger if t.code is TransferCode.DENIAL]
    assert held.id.value.endswith("#adj.S2.1") and held.line is None
    assert (denial.line, denial.transfers, denial.amount) == (None, (held.id,), usd("60.00"))
    assert result.ledger.balance(DENIED) == usd("60.00")
