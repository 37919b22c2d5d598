"""Posting at its edges: line numbers up to 999, lines matched by revenue code only when
it is the same, the transfers a line denial names, and what an overturned line denial
moves back (each test fails if a bound or a test of claimcore.posting changes; found by
scripts/mutation.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, date, datetime

import attrs
import pytest

from claimcore.claims import appeal
from claimcore.codes import ClaimStatusCode, RevenueCode
from claimcore.coverage import MEDICARE_APPEALS
from claimcore.denials import AppealOutcome
from claimcore.errors import ValidationError
from claimcore.ids import (
    ClaimId,
    EncounterId,
    MedicalRecordNumber,
    PayerClaimNumber,
    PayerId,
    TransferId,
)
from claimcore.ledger import Account, Ledger, Transfer, TransferCode, WriteOffReason
from claimcore.money import Money
from claimcore.periods import Period
from claimcore.posting import (
    Denial,
    DuplicatePayment,
    Overpayment,
    Underpayment,
    Unmatched,
    UnmatchedKind,
    UnreadPosting,
    post_remittance,
    write_off,
)
from claimcore.remittance import ClaimPayment, ServicePayment
from tests.unit.test_posting import (
    AR_ACME,
    acme_payment,
    adj,
    charged,
    denied,
    make_claim,
    payment,
    remittance,
    svc,
    usd,
)

CLAIM = ClaimId("DR0302A")
ACME = PayerId("ACME1")


# -- line numbers: 1 to 999 ----------------------------------------------------------------


def results_on_line(line: int) -> list[Callable[[], object]]:
    """Every result that names a claim line (or service position), on ``line``."""
    return [
        lambda: Underpayment(claim=CLAIM, payer=ACME, line=line, expected=usd("2.00"),
                             allowed=usd("1.00")),
        lambda: Overpayment(claim=CLAIM, payer=ACME, line=line, expected=usd("1.00"),
                            allowed=usd("2.00")),
        lambda: Denial(claim=CLAIM, payer=ACME, line=line, adjustments=()),
        lambda: Unmatched(kind=UnmatchedKind.UNMATCHED_LINE, claim=CLAIM,
                          status=ClaimStatusCode.PROCESSED_AS_PRIMARY, amount=usd("1.00"),
                          service=line),
        lambda: DuplicatePayment(claim=CLAIM, payer=ACME,
                                 payer_claim_number=PayerClaimNumber("ICN1"), repeats="T1",
                                 amount=usd("1.00"), line=line),
    ]


@pytest.mark.parametrize("line", [1, 999])
def test_result_line_numbers_up_to_999_are_kept(line: int) -> None:
    for build in results_on_line(line):
        assert build() is not None


@pytest.mark.parametrize("line", [0, 1000])
@pytest.mark.parametrize("which", range(5))
def test_result_line_numbers_beyond_1_to_999_are_refused(line: int, which: int) -> None:
    """A claim has at most 999 lines: every result that names one refuses 0 and 1000."""
    with pytest.raises(ValidationError) as caught:
        results_on_line(line)[which]()
    assert caught.value.path in ("$.line", "$.service")


def test_the_overpayment_amount_is_allowed_less_expected() -> None:
    over = Overpayment(claim=CLAIM, payer=ACME, expected=usd("10.00"), allowed=usd("10.01"))
    assert over.amount == usd("0.01")
    under = Underpayment(claim=CLAIM, payer=ACME, line=1, expected=usd("10.01"),
                         allowed=usd("10.00"))
    assert (under.expected - under.allowed) == usd("0.01")


# -- matching by revenue code --------------------------------------------------------------


def test_a_revenue_code_matches_only_the_same_revenue_code() -> None:
    """A service line with only a revenue code never matches a professional line (which
    has none): it posts at claim level and is reported."""
    claim = make_claim([("99214", "175.00")])
    by_revenue = ServicePayment(revenue_code=RevenueCode("0450"), charge=usd("175.00"),
                                paid=usd("120.00"), adjustments=[adj("CO", "45", "55.00")])
    result = post_remittance(charged(claim), [claim], remittance([payment([by_revenue])]))

    (unmatched,) = result.unmatched
    assert (unmatched.kind, unmatched.service) == (UnmatchedKind.UNMATCHED_LINE, 1)
    assert all(t.line is None for t in list(result.ledger)[1:])
    assert result.ledger.balance(AR_ACME) == usd("0.00")


# -- a line denial, and its overturn ---------------------------------------------------------


def partly_denied() -> ClaimPayment:
    return payment([
        svc("99214", "175.00", "150.00", adj("CO", "45", "25.00"), ref="1"),
        svc("80053", "60.00", "0.00", adj("CO", "97", "60.00"), ref="2", remarks=["M80"]),
    ])


def test_a_line_denial_names_exactly_its_denial_transfers() -> None:
    claim = make_claim()
    result = post_remittance(charged(claim), [claim], remittance([partly_denied()]))

    (denial,) = result.denials
    denied = tuple(t.id for t in result.ledger if t.code is TransferCode.DENIAL)
    assert len(denied) == 1
    assert denial.transfers == denied
    assert all(result.ledger.get(i) is not None for i in denial.transfers)
    assert result.ledger.balance(Account.denial(), claim=claim.id) == usd("60.00")


def test_an_overturned_line_denial_moves_only_the_denial_back() -> None:
    """After a partly paid claim, the payer's new decision reverses the denial transfers
    alone: the paid line's payment and contractual adjustment stay posted."""
    claim = make_claim()
    first = post_remittance(charged(claim), [claim], remittance([partly_denied()]))
    appealed = appeal(first.claims[0], at=datetime(2026, 3, 25, tzinfo=UTC),
                      rules=MEDICARE_APPEALS, amount_in_controversy=usd("60.00"))
    again = payment([
        svc("99214", "175.00", "150.00", adj("CO", "45", "25.00"), ref="1"),
        svc("80053", "60.00", "40.00", adj("CO", "45", "20.00"), ref="2"),
    ])
    second = post_remittance(first.ledger, [appealed],
                             remittance([again], trace="ACH0501", paid_on=date(2026, 5, 1)))

    new = list(second.ledger)[len(first.ledger):]
    reversed_ids = [t.reverses for t in new if t.code is TransferCode.REVERSAL]
    assert reversed_ids == list(first.denials[0].transfers)
    assert second.ledger.balance(Account.denial()) == usd("0.00")
    assert second.ledger.balance(Account.denial(), claim=claim.id) == usd("0.00")


def test_a_whole_claim_denial_is_moved_back_whole() -> None:
    """A claim the first 835 paid nothing on is reversed whole when decided anew."""
    claim = make_claim()
    denied = payment([
        svc("99214", "175.00", "0.00", adj("CO", "50", "175.00"), ref="1"),
        svc("80053", "60.00", "0.00", adj("CO", "50", "60.00"), ref="2"),
    ], status=ClaimStatusCode.DENIED)
    first = post_remittance(charged(claim), [claim], remittance([denied]))
    appealed = appeal(first.claims[0], at=datetime(2026, 3, 25, tzinfo=UTC),
                      rules=MEDICARE_APPEALS, amount_in_controversy=usd("235.00"))
    paid = payment([
        svc("99214", "175.00", "150.00", adj("CO", "45", "25.00"), ref="1"),
        svc("80053", "60.00", "40.00", adj("CO", "45", "20.00"), ref="2"),
    ])
    second = post_remittance(first.ledger, [appealed],
                             remittance([paid], trace="ACH0501", paid_on=date(2026, 5, 1)))

    first_posted = [t.id for t in list(first.ledger)[2:]]
    new = list(second.ledger)[len(first.ledger):]
    assert sorted(t.reverses.value for t in new if t.reverses is not None) == sorted(
        i.value for i in first_posted)
    assert second.ledger.balance(Account.denial()) == usd("0.00")
    assert second.ledger.balance(AR_ACME) == usd("0.00")
    assert attrs.evolve(first.denials[0]).transfers == tuple(first_posted)


def test_a_partly_overturned_denial_keeps_what_is_denied_again() -> None:
    """Denied whole (235.00), then paid on one line and denied again on the other: the
    appeal is partly overturned and 60.00 is still denied."""
    claim = make_claim()
    first = post_remittance(charged(claim), [claim], remittance([denied()]))
    appealed = appeal(first.claims[0], at=datetime(2026, 3, 25, tzinfo=UTC),
                      rules=MEDICARE_APPEALS, amount_in_controversy=usd("235.00"))
    partly = payment([
        svc("99214", "175.00", "150.00", adj("CO", "45", "25.00"), ref="1"),
        svc("80053", "60.00", "0.00", adj("CO", "50", "60.00"), ref="2"),
    ])
    second = post_remittance(first.ledger, [appealed],
                             remittance([partly], trace="ACH0501", paid_on=date(2026, 5, 1)))

    (result,) = second.appeals
    assert (result.denied, result.still_denied) == (usd("235.00"), usd("60.00"))
    assert result.outcome is AppealOutcome.PARTIALLY_OVERTURNED
    assert second.ledger.balance(Account.denial(), claim=claim.id) == usd("60.00")


# -- the patient's side --------------------------------------------------------------------


def test_a_write_off_takes_the_balance_of_its_own_encounter() -> None:
    """The default amount is the named encounter's balance, not another's."""
    mrn = MedicalRecordNumber("MRN00077311")

    def charge(tid: str, encounter: str, amount: str) -> Transfer:
        return Transfer(id=TransferId(tid), debit=Account.ar_patient(),
                        credit=Account.gross_revenue(), amount=usd(amount), on=date(2026, 3, 2),
                        code=TransferCode.CHARGE, patient=mrn, encounter=encounter)

    ledger = Ledger.from_transfers([charge("e1", "E1", "30.00"), charge("e2", "E2", "20.00")])
    for encounter, amount in (("E2", "20.00"), ("E1", "30.00")):
        after = write_off(ledger, patient=mrn, encounter=encounter,
                          reason=WriteOffReason.SMALL_BALANCE, on=date(2026, 6, 1),
                          reference=f"wo-{encounter}")
        (posted,) = list(after)[2:]
        assert (posted.amount, posted.encounter) == (usd(amount), EncounterId(encounter))
        assert after.balance(Account.ar_patient(), encounter=encounter) == usd("0.00")


# -- ids and matching details ----------------------------------------------------------------


def test_an_odd_trace_becomes_a_twenty_digit_digest() -> None:
    """Ids must not change between versions: an unsafe trace is 'h' + 20 hex digits of
    its SHA-256, so a ledger posted by an older version is still recognised."""
    claim = make_claim()
    trace = "CHK 0001:22"
    result = post_remittance(charged(claim), [claim],
                             remittance([acme_payment()], trace=trace))
    digest = "h" + hashlib.sha256(trace.encode()).hexdigest()[:20]
    ids = [t.id.value for t in list(result.ledger)[2:]]
    assert ids and all(i.startswith(f"rmt:ACME1:{digest}:") for i in ids)


def test_modifiers_must_be_the_same_to_match_a_line() -> None:
    """Dated otherwise than both lines, a 99214-25 service matches the 99214-25 line,
    not the 99214-59 line before it."""
    claim = make_claim([("99214", "175.00"), ("99214", "175.00")],
                       modifiers=[["59"], ["25"]])
    sent = ServicePayment(
        procedure=claim.lines[1].procedure, modifiers=claim.lines[1].modifiers,
        charge=usd("175.00"), paid=usd("150.00"), adjustments=[adj("CO", "45", "25.00")],
        service_period=Period(date(2026, 3, 9), date(2026, 3, 9)),
    )
    result = post_remittance(charged(claim), [claim], remittance([payment([sent])]))

    assert result.unmatched == ()
    assert {t.line for t in list(result.ledger)[2:]} == {2}


@attrs.frozen
class _Unread:
    segment_number: int
    reason: str = "CLP04 is not a number"
    clp01: str = "DR0302A"
    paid: Money | None = None


def test_unread_claim_payments_count_segments_from_1() -> None:
    """A segment number is a 1-based position: 0 is refused, 1 is taken."""
    claim = make_claim()
    ledger = charged(claim)
    sent = remittance([acme_payment()])
    with pytest.raises(ValidationError) as caught:
        post_remittance(ledger, [claim], sent, unread=[_Unread(0)])
    assert caught.value.path == "$.unread[0].segment_number"
    assert post_remittance(ledger, [claim], sent, unread=[_Unread(1)]).ledger is not None
    with pytest.raises(ValidationError):
        UnreadPosting(segment_number=0, claim="X", amount=None, reason="")
    assert UnreadPosting(segment_number=1, claim="", amount=None, reason="").claim == ""
