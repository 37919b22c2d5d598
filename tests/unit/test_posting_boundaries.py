"""Posting at its edges: line numbers up to 999, lines matched by revenue code only when
it is the same, the transfers a line denial names, and what an overturned line denial
moves back (each test fails if a bound or a test of claimcore.posting changes; found by
scripts/mutation.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import attrs
import pytest

from claimcore.claims import appeal
from claimcore.codes import ClaimStatusCode, RevenueCode
from claimcore.coverage import MEDICARE_APPEALS
from claimcore.errors import ValidationError
from claimcore.ids import ClaimId, PayerId
from claimcore.ledger import Account, TransferCode
from claimcore.posting import (
    Denial,
    Overpayment,
    Underpayment,
    Unmatched,
    UnmatchedKind,
    post_remittance,
)
from claimcore.remittance import ClaimPayment, ServicePayment
from tests.unit.test_posting import (
    AR_ACME,
    adj,
    charged,
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
    ]


@pytest.mark.parametrize("line", [1, 999])
def test_result_line_numbers_up_to_999_are_kept(line: int) -> None:
    for build in results_on_line(line):
        assert build() is not None


@pytest.mark.parametrize("line", [0, 1000])
@pytest.mark.parametrize("which", range(4))
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
