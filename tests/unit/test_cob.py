"""Coordination of benefits: secondary payments, secondary claims and posting down the line."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from claimcore.claims import (
    ClaimStatus,
    EditContext,
    OtherPayer,
    acknowledge,
    mark_ready,
    scrub,
    submit,
)
from claimcore.codes import CARC, ClaimStatusCode
from claimcore.errors import PostingError, TypeMismatch, ValidationError
from claimcore.ids import ClaimId
from claimcore.ledger import Account, TransferCode
from claimcore.money import Money, Rate
from claimcore.posting import (
    CobMethod,
    PostingResult,
    post_remittance,
    refund_payer,
    secondary_claim,
    secondary_payment,
)
from claimcore.remittance import ClaimPayment, CrossoverCarrier, reverse
from tests.unit.test_posting import (
    ACME,
    AR_ACME,
    AR_BEACON,
    BEACON,
    MEDICARE,
    MRN,
    PRIMARY,
    SECONDARY,
    TERTIARY,
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
AR_MEDICARE = Account.ar_payer(MEDICARE.payer_id)


# -- what a secondary pays ------------------------------------------------------------


def test_medicare_secondary_payment_of_42_cfr_411_33_b() -> None:
    """Charge 175, primary allowed 150 and paid 120, fee schedule 125: Medicare pays 30.00."""
    paid = secondary_payment(
        CobMethod.MEDICARE_SECONDARY, charge=usd("175.00"), primary_allowed=usd("150.00"),
        primary_paid=usd("120.00"), fee_schedule=usd("125.00"),
        deductible_remaining=usd("0.00"),
    )

    assert paid == usd("30.00")


def test_medicare_secondary_takes_the_least_of_its_three_amounts() -> None:
    """Each of the three limits of 411.33(b) decides when it is the lowest."""
    # (1) charge - primary paid: an obligated-to-accept amount of 130 caps it at 10.00.
    assert secondary_payment(
        CobMethod.MEDICARE_SECONDARY, charge=usd("175.00"), primary_allowed=usd("150.00"),
        primary_paid=usd("120.00"), fee_schedule=usd("125.00"),
        obligated_to_accept=usd("130.00"),
    ) == usd("10.00")
    # (2) what Medicare pays as primary: 80% of (125 - 100 unmet deductible) = 20.00.
    assert secondary_payment(
        CobMethod.MEDICARE_SECONDARY, charge=usd("175.00"), primary_allowed=usd("150.00"),
        primary_paid=usd("100.00"), fee_schedule=usd("125.00"),
        deductible_remaining=usd("100.00"),
    ) == usd("20.00")
    # (3) the higher allowed amount less what the primary paid, never below zero.
    assert secondary_payment(
        CobMethod.MEDICARE_SECONDARY, charge=usd("175.00"), primary_allowed=usd("150.00"),
        primary_paid=usd("160.00"), fee_schedule=usd("125.00"), rate=Rate.percent(80),
    ) == usd("0.00")


def test_the_commercial_methods_on_one_service() -> None:
    """Allowed 150, primary paid 120: standard 30.00; non-duplication and carve-out differ
    from it once the normal benefit is below the primary payment."""
    def pays(method: CobMethod, benefit: str, allowable: str | None = None) -> Money:
        return secondary_payment(
            method, charge=usd("175.00"), primary_allowed=usd("150.00"),
            primary_paid=usd("120.00"), normal_benefit=usd(benefit),
            allowable=None if allowable is None else usd(allowable),
        )

    assert pays(CobMethod.STANDARD, "100.00") == usd("30.00")
    assert pays(CobMethod.STANDARD, "20.00") == usd("20.00")
    assert pays(CobMethod.STANDARD, "100.00", allowable="160.00") == usd("40.00")
    assert pays(CobMethod.NON_DUPLICATION, "100.00") == usd("0.00")
    assert pays(CobMethod.NON_DUPLICATION, "135.00") == usd("15.00")
    assert pays(CobMethod.CARVE_OUT, "135.00") == usd("15.00")
    # A normal benefit above the allowable: carve-out stays within the balance left.
    assert pays(CobMethod.NON_DUPLICATION, "175.00") == usd("55.00")
    assert pays(CobMethod.CARVE_OUT, "175.00") == usd("30.00")


def test_secondary_payment_refuses_missing_or_negative_inputs() -> None:
    """Medicare needs a fee schedule, the others a normal benefit; amounts are not negative."""
    with pytest.raises(ValidationError) as fee:
        secondary_payment(CobMethod.MEDICARE_SECONDARY, charge=usd("1.00"),
                          primary_allowed=usd("1.00"), primary_paid=usd("1.00"))
    assert fee.value.rule == "fee-schedule-required"
    with pytest.raises(ValidationError) as benefit:
        secondary_payment(CobMethod.STANDARD, charge=usd("1.00"),
                          primary_allowed=usd("1.00"), primary_paid=usd("1.00"))
    assert benefit.value.rule == "normal-benefit-required"
    with pytest.raises(ValidationError) as negative:
        secondary_payment(CobMethod.STANDARD, charge=usd("1.00"),
                          primary_allowed=usd("1.00"), primary_paid=usd("-1.00"),
                          normal_benefit=usd("1.00"))
    assert negative.value.path == "$.primary_paid"
    with pytest.raises(TypeMismatch):
        secondary_payment("standard", charge=usd("1.00"),  # type: ignore[arg-type]
                          primary_allowed=usd("1.00"), primary_paid=usd("1.00"))


# -- the secondary claim --------------------------------------------------------------


def cob_3b() -> ClaimPayment:
    """The TR3 837P COB example 3B: the primary's answer behind its 2320/2430 loops."""
    return payment(
        [svc("99213", "43.00", "40.00", adj("CO", "42", "3.00"), ref="1"),
         svc("90782", "15.00", "15.00", ref="2"),
         svc("99070", "21.04", "21.04", ref="3")],
        adjustments=[adj("PR", "1", "21.89"), adj("PR", "2", "15.00")],
    )


def test_the_secondary_claim_carries_the_primary_adjudication() -> None:
    """TR3 COB 3B: AMT*D 39.15, claim CAS PR-1 21.89 / PR-2 15.00, line SVD and CO-42."""
    primary = make_claim([("99213", "43.00"), ("90782", "15.00"), ("99070", "21.04")])
    sent = cob_3b()
    result = post_remittance(charged(primary), [primary], remittance([sent]),
                             coverages=COVERAGES)
    second = secondary_claim(result.claims[0], sent, SECONDARY, at=AT)

    assert sent.paid == usd("39.15")
    (prior,) = second.other_payers
    assert isinstance(prior, OtherPayer)
    assert prior.coverage == PRIMARY and prior.paid == usd("39.15")
    assert [(a.group.value, str(a.reason), a.amount) for a in prior.adjustments] == [
        ("PR", "1", usd("21.89")), ("PR", "2", usd("15.00"))]
    assert [(line.line_number, line.paid, [(a.group.value, str(a.reason), a.amount)
                                           for a in line.adjustments])
            for line in prior.lines] == [
        (1, usd("40.00"), [("CO", "42", usd("3.00"))]),
        (2, usd("15.00"), []),
        (3, usd("21.04"), []),
    ]
    assert prior.adjudicated_on == date(2026, 3, 19)
    assert (second.id, second.coverage, second.status, second.history, second.lines) == (
        primary.id, SECONDARY, ClaimStatus.DRAFT, (), primary.lines)
    assert second.adjudication is None and second.payer_claim_number is None
    assert sum((line.paid for line in prior.lines), Money.zero()) == usd("76.04")


def test_a_tertiary_claim_keeps_both_earlier_payers_in_order() -> None:
    """Secondary claim, its payment, then the tertiary claim with two other payers."""
    primary = make_claim([("99213", "100.00")])
    first = payment([svc("99213", "100.00", "60.00", adj("CO", "45", "20.00"),
                         adj("PR", "2", "20.00"))])
    second = secondary_claim(primary, first, SECONDARY, at=AT,
                             adjudicated_on=date(2026, 3, 19))
    second = acknowledge(submit(mark_ready(
        second, scrub(second, context=EditContext(as_of=date(2026, 3, 20))), at=AT),
        at=AT), at=AT)
    paid_second = payment([svc("99213", "100.00", "10.00", adj("OA", "23", "80.00"),
                               adj("PR", "2", "10.00"))],
                          status=ClaimStatusCode.PROCESSED_AS_SECONDARY)
    third = secondary_claim(second, paid_second, TERTIARY, at=AT)

    assert [p.coverage.payer.payer_id for p in third.other_payers] == [
        ACME.payer_id, BEACON.payer_id]
    assert [p.paid for p in third.other_payers] == [usd("60.00"), usd("10.00")]
    assert [p.adjudicated_on for p in third.other_payers] == [date(2026, 3, 19),
                                                               date(2026, 3, 20)]
    assert third.coverage == TERTIARY and third.status is ClaimStatus.DRAFT


def test_secondary_claims_are_refused_where_they_make_no_sense() -> None:
    """Crossovers, reversals, the same payer, the wrong order, another claim, no decision."""
    claim = make_claim()
    crossed = payment(acme_payment().services,
                      status=ClaimStatusCode.PROCESSED_AS_PRIMARY_FORWARDED,
                      crossover=CrossoverCarrier(name="Beacon Mutual",
                                                 payer_id=BEACON.payer_id))
    cases = [
        (claim, crossed, SECONDARY, "crossover"),
        (claim, reverse(acme_payment()), SECONDARY, "reversal"),
        (claim, acme_payment(), PRIMARY, "same-payer"),
        (make_claim(cov=SECONDARY), acme_payment(), PRIMARY, "payer-order"),
        (claim, acme_payment(claim="OTHER1"), SECONDARY, "claim-mismatch"),
        (make_claim(status=ClaimStatus.DRAFT), acme_payment(), SECONDARY, "not-adjudicated"),
    ]
    for primary, sent, nxt, rule in cases:
        with pytest.raises(ValidationError) as err:
            secondary_claim(primary, sent, nxt, at=AT)
        assert err.value.rule == rule


# -- posting down the payer order ----------------------------------------------------


def test_patient_responsibility_moves_to_the_secondary_until_the_last_payer() -> None:
    """Acme's PR (78.00) goes to Beacon's A/R, not to the patient."""
    claim = make_claim()
    result = post_remittance(charged(claim), [claim], remittance([acme_payment()]),
                             coverages=COVERAGES)

    assert result.ledger.balance(AR_BEACON) == usd("78.00")
    assert result.ledger.balance(Account.ar_patient()) == usd("0.00")
    cob = result.ledger.transfers(code=TransferCode.COB_TRANSFER)
    assert [(t.debit, t.credit, t.amount, str(t.reason)) for t in cob] == [
        (AR_BEACON, AR_ACME, usd("50.00"), "1"), (AR_BEACON, AR_ACME, usd("20.00"), "2"),
        (AR_BEACON, AR_ACME, usd("8.00"), "2")]
    assert result.postings[0].next_payer == BEACON.payer_id


def beacon_835(paid: str, to_patient: str, trace: str = "CHK1") -> ClaimPayment:
    """Beacon's claim-level answer: OA-23 for Acme's part, PR-2 to the patient."""
    other = usd("235.00") - usd(paid) - usd(to_patient)
    return payment(
        [], claim="DR0302A", status=ClaimStatusCode.PROCESSED_AS_SECONDARY,
        charge="235.00", adjustments=[adj("OA", "23", str(other.amount)),
                                      *([adj("PR", "2", to_patient)]
                                        if usd(to_patient).is_positive() else [])],
    )


def two_payers(paid: str, to_patient: str) -> PostingResult:
    """Acme's 835 posted, Beacon billed, Beacon's claim-level 835 posted."""
    claim = make_claim()
    first = post_remittance(charged(claim), [claim], remittance([acme_payment()]),
                            coverages=COVERAGES)
    second = secondary_claim(first.claims[0], acme_payment(), SECONDARY, at=AT)
    second = mark_ready(second, scrub(second, context=EditContext(as_of=date(2026, 3, 20))),
                        at=AT)
    second = acknowledge(submit(second, at=AT), at=AT)
    sent = beacon_835(paid, to_patient)
    return post_remittance(first.ledger, [first.claims[0], second],
                           remittance([sent], payer=BEACON, trace="CHK1"),
                           coverages=COVERAGES)


def test_the_secondary_clears_only_what_the_primary_left() -> None:
    """Beacon pays 18.00 and leaves 60.00 to the patient; its OA-23 is not posted."""
    result = two_payers("18.00", "60.00")

    assert [m[0] for m in moves(result.ledger)[-2:]] == ["pay.C", "adj.C.2"]
    new = [t for t in result.ledger if t.trace == "CHK1"]
    assert [(t.debit.key, t.credit.key, t.amount) for t in new] == [
        ("cash", "ar:payer:BEACON7", usd("18.00")),
        ("ar:patient", "ar:payer:BEACON7", usd("60.00")),
    ]
    assert result.ledger.balance(AR_BEACON) == usd("0.00")
    assert result.ledger.balance(Account.ar_patient()) == usd("60.00")
    assert [c.status for c in result.claims] == [ClaimStatus.ADJUDICATED] * 2
    assert result.postings[0].payer_balance == usd("0.00")


def test_what_the_secondary_does_not_pay_is_adjusted_under_its_reason() -> None:
    """Beacon pays 50.00, nothing to the patient: 28.00 left is adjusted off (OA-23)."""
    result = two_payers("50.00", "0.00")

    new = [t for t in result.ledger if t.trace == "CHK1"]
    assert [(t.debit.key, t.credit.key, t.amount, t.reason) for t in new] == [
        ("cash", "ar:payer:BEACON7", usd("50.00"), None),
        ("contra:other", "ar:payer:BEACON7", usd("28.00"), CARC("23")),
    ]
    assert result.ledger.balance(AR_BEACON) == usd("0.00")


def test_a_secondary_overpayment_leaves_a_credit_balance_to_refund() -> None:
    """Beacon pays 90.00 on 78.00 moved to it: 12.00 payer credit, then refunded."""
    result = two_payers("90.00", "0.00")

    assert result.postings[0].payer_balance == usd("0.00")
    held = Account.payer_credit(BEACON.payer_id)
    assert result.ledger.balance(held, claim=ClaimId("DR0302A")) == usd("12.00")
    (over,) = result.overpayments
    assert (over.line, over.expected, over.allowed, over.amount) == (
        None, usd("78.00"), usd("90.00"), usd("12.00"))
    refunded = refund_payer(result.ledger, payer=BEACON.payer_id, amount=usd("12.00"),
                            on=date(2026, 4, 9), reference="RF-12", claim=ClaimId("DR0302A"))
    assert refunded.balance(AR_BEACON) == usd("0.00")
    assert refunded.balance(held) == usd("0.00")
    assert refunded.balance(Account.cash()) == result.ledger.balance(Account.cash()) - usd(
        "12.00")


def test_a_crossover_forwards_the_claim_and_the_next_payer_posts_without_a_claim() -> None:
    """Status 19 with NM1*TT: PR goes to the crossover payer; its own 835 then posts."""
    claim = make_claim()
    crossed = payment(acme_payment().services,
                      status=ClaimStatusCode.PROCESSED_AS_PRIMARY_FORWARDED,
                      crossover=CrossoverCarrier(name="Beacon Mutual", payer_id=BEACON.payer_id))
    first = post_remittance(charged(claim), [claim], remittance([crossed]))

    (forward,) = first.forwarded
    assert (forward.forwarded_to, forward.next_payer) == (BEACON.payer_id, BEACON.payer_id)
    assert first.ledger.balance(AR_BEACON) == usd("78.00")
    second = post_remittance(first.ledger, first.claims,
                             remittance([beacon_835("78.00", "0.00")], payer=BEACON,
                                        trace="XO1"))
    assert second.ledger.balance(AR_BEACON) == usd("0.00")
    assert second.postings[0].transitioned is False
    assert second.claims == first.claims
    assert not second.unmatched


def test_a_claim_unknown_to_a_later_payer_is_an_error_in_strict_mode() -> None:
    """A payer with nothing moved to it cannot post on another payer's claim."""
    claim = make_claim()
    first = post_remittance(charged(claim), [claim], remittance([acme_payment()]))
    with pytest.raises(PostingError):
        post_remittance(first.ledger, first.claims,
                        remittance([beacon_835("10.00", "0.00")], payer=BEACON),
                        strict=True)


def test_the_third_payer_follows_the_second() -> None:
    """With three coverages, the secondary's PR goes to the tertiary's A/R."""
    coverages = {MRN: (PRIMARY, SECONDARY, TERTIARY)}
    claim = make_claim()
    first = post_remittance(charged(claim), [claim], remittance([acme_payment()]),
                            coverages=coverages)
    second_claim = secondary_claim(first.claims[0], acme_payment(), SECONDARY, at=AT)
    second = post_remittance(first.ledger, [second_claim],
                             remittance([beacon_835("18.00", "60.00")], payer=BEACON,
                                        trace="B2"),
                             coverages=coverages)

    assert second.ledger.balance(AR_MEDICARE) == usd("60.00")
    assert second.ledger.balance(Account.ar_patient()) == usd("0.00")
    assert second.postings[0].next_payer == MEDICARE.payer_id


def test_an_unmatched_primary_line_is_carried_at_claim_level() -> None:
    """A service the claim does not have: its adjustments go to the 2320 claim-level CAS."""
    primary = make_claim([("99213", "100.00")])
    sent = payment([svc("99213", "100.00", "80.00", adj("CO", "45", "20.00")),
                    svc("99999", "10.00", "0.00", adj("CO", "97", "10.00"))])
    second = secondary_claim(primary, sent, SECONDARY, at=AT)

    (prior,) = second.other_payers
    assert [(a.group.value, str(a.reason), a.amount) for a in prior.adjustments] == [
        ("CO", "97", usd("10.00"))]
    assert [line.line_number for line in prior.lines] == [1]
    assert prior.adjudicated_on == AT.date()
