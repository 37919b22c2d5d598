"""Laws of posting a remittance: idempotent, every cent placed, reversals undo exactly,
and the posting, statement and account values round-trip through the converter."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from claimcore.claims import Claim, ClaimStatus, appeal
from claimcore.codes import CARC, AdjustmentGroup
from claimcore.coverage import MEDICARE_APPEALS
from claimcore.cycle import AccountBalances, PatientAccount
from claimcore.ids import PayerClaimNumber
from claimcore.ledger import Account, Ledger, TransferCode
from claimcore.money import Money
from claimcore.posting import (
    ClaimPosting,
    Denial,
    DuplicatePayment,
    Overpayment,
    PostingResult,
    Underpayment,
    Unmatched,
    post_charges,
    post_remittance,
)
from claimcore.remittance import (
    Adjustment,
    ClaimPayment,
    Payee,
    PaymentMethod,
    Remittance,
    RemittancePayer,
    ServicePayment,
)
from claimcore.serialization import make_converter
from claimcore.statements import (
    Instalment,
    PayerActivity,
    PaymentPlan,
    Statement,
    StatementItem,
)
from claimcore.strategies import claim_payments_for, claims, remittances_for

ACCEPTED = claims(status=ClaimStatus.ACCEPTED, max_lines=4)


def _charged(claim: Claim) -> Ledger:
    return post_charges(Ledger(), claim, on=claim.service_period.start)


@st.composite
def answered(draw: st.DrawFn) -> tuple[Claim, Remittance]:
    claim = draw(ACCEPTED)
    return claim, draw(remittances_for(claim, trace="T1"))


@given(answered())
def test_posting_twice_is_posting_once(case: tuple[Claim, Remittance]) -> None:
    """The same remittance again leaves ledger and claims as they were."""
    claim, remittance = case
    once = post_remittance(_charged(claim), [claim], remittance)
    twice = post_remittance(once.ledger, once.claims, remittance)

    assert twice.ledger == once.ledger
    assert twice.claims == once.claims


@given(answered())
def test_every_cent_of_the_claim_is_placed(case: tuple[Claim, Remittance]) -> None:
    """Primary only: the payer's A/R on the claim closes (a denial is held in the denial
    account, exactly the denials listed), cash is the payment, and the patient owes
    exactly the PR adjustments."""
    claim, remittance = case
    result = post_remittance(_charged(claim), [claim], remittance)
    (cp,) = remittance.claims
    ledger = result.ledger
    payer = Account.ar_payer(claim.coverage.payer.payer_id)

    assert ledger.balance(Account.cash()) == remittance.payment
    assert ledger.balance(payer, claim=claim.id).is_zero()
    assert ledger.balance(Account.ar_patient()) == cp.patient_responsibility_total()
    denied = sum((d.amount or Money.zero() for d in result.denials), Money.zero())
    assert ledger.balance(Account.denial(), claim=claim.id) == denied
    assert all(d.held and d.follow_up_on is not None for d in result.denials)
    assert result.claims[0].status is ClaimStatus.ADJUDICATED
    totals = ledger.totals()
    assert totals.debits == totals.credits


@st.composite
def corrected(draw: st.DrawFn) -> tuple[Claim, Remittance, Remittance]:
    claim = draw(ACCEPTED)
    first = draw(remittances_for(claim, trace="T1", allow_denial=False))
    fix = draw(remittances_for(claim, trace="T2", reverses=first.claims[0],
                               allow_denial=False))
    return claim, first, fix


@given(corrected())
def test_reversal_then_correction_equals_the_correction_alone(
    case: tuple[Claim, Remittance, Remittance],
) -> None:
    """Pay, reverse and pay again: every balance of the claim is that of the correction
    posted on its own."""
    claim, first, fix = case
    correction = fix.claims[1]
    alone = Remittance(
        payer=fix.payer, payee=fix.payee, payment=correction.paid, trace="T3",
        method=PaymentMethod.ACH if correction.paid.is_positive() else PaymentMethod.NON_PAYMENT,
        paid_on=fix.paid_on, claims=[correction],
    )
    ledger = post_remittance(_charged(claim), [claim], first).ledger
    both = post_remittance(ledger, [claim], fix).ledger
    only = post_remittance(_charged(claim), [claim], alone).ledger

    for account in (Account.ar_payer(claim.coverage.payer.payer_id), Account.ar_patient(),
                    Account.contractual_allowance(), Account.other_adjustments(),
                    Account.cash()):
        assert both.balance(account, claim=claim.id) == only.balance(account, claim=claim.id)


@given(answered())
def test_the_same_claim_payment_in_a_second_remittance_changes_no_balance_again(
    case: tuple[Claim, Remittance],
) -> None:
    """Paid again under a new trace (no reversal): contractual, other adjustments, the
    patient's and the payer's receivables stay as they were; the cash is payer credit;
    debits = credits and every cent of the claim is accounted for."""
    claim, remittance = case
    once = post_remittance(_charged(claim), [claim], remittance)
    again = attrs.evolve(remittance, trace="T2")
    twice = post_remittance(once.ledger, once.claims, again)
    (cp,) = remittance.claims
    payer = claim.coverage.payer.payer_id
    held = Account.payer_credit(payer)

    for account in (Account.ar_payer(payer), Account.ar_patient(),
                    Account.contractual_allowance(), Account.other_adjustments(),
                    Account.patient_credit(), Account.denial()):
        assert (twice.ledger.balance(account, claim=claim.id)
                == once.ledger.balance(account, claim=claim.id))
    assert not twice.ledger.balance(Account.ar_payer(payer), claim=claim.id).is_negative()
    posted = bool(once.ledger.transfers(claim=claim.id, trace="T1"))
    # A denial that paid nothing is decided again (upheld), never a duplicate.
    redecided = posted and cp.paid.is_zero() and bool(
        once.ledger.transfers(claim=claim.id, code=TransferCode.DENIAL))
    assert [d.claim for d in twice.duplicates] == (
        [claim.id] if posted and not redecided else [])
    assert [a.outcome.value for a in twice.appeals] == (["upheld"] if redecided else [])
    assert twice.ledger.balance(held, claim=claim.id) == (
        cp.paid if posted else Money.zero(cp.paid.currency))
    assert twice.claims == once.claims
    totals = twice.ledger.totals()
    assert totals.debits == totals.credits
    money = twice.ledger.balances_by_role(claim=claim.id)
    assert money.charges == (money.payer_paid + money.patient_paid + money.adjusted
                             + money.written_off + money.outstanding)
    assert post_remittance(twice.ledger, twice.claims, again).ledger == twice.ledger


# -- round trips ----------------------------------------------------------------------


CONVERTER = make_converter()
TYPES = (Unmatched, Denial, Underpayment, Overpayment, DuplicatePayment, ClaimPosting,
         PostingResult, PaymentPlan,
         Instalment, PayerActivity, StatementItem, Statement, AccountBalances,
         PatientAccount)


@pytest.mark.parametrize("cls", TYPES, ids=lambda c: c.__name__)
@given(data=st.data())
def test_values_round_trip(cls: type[Any], data: st.DataObject) -> None:
    """structure(unstructure(v)) == v for every posting, statement and account value."""
    value = data.draw(st.from_type(cls))

    assert CONVERTER.structure(CONVERTER.unstructure(value), cls) == value


# -- the exception cases (issue 12) -------------------------------------------------------

WATCHED = (Account.contractual_allowance(), Account.other_adjustments(),
           Account.ar_patient(), Account.patient_credit(), Account.denial())


def _identity(ledger: Ledger, claim: Claim) -> None:
    """debits = credits; charges = payer paid + patient paid + adjustments + denials +
    write-offs + open balance, to the cent (denials read apart from the adjustments)."""
    totals = ledger.totals()
    assert totals.debits == totals.credits
    money = ledger.balances_by_role(claim=claim.id)
    denied = ledger.balance(Account.denial(), claim=claim.id)
    assert money.charges == (money.payer_paid + money.patient_paid + (money.adjusted - denied)
                             + denied + money.written_off + money.outstanding)


@given(answered())
def test_a_claim_paid_twice_in_one_remittance_moves_no_balance_twice(
    case: tuple[Claim, Remittance],
) -> None:
    """The claim payment twice in one 835: the second is a duplicate (its cash payer
    credit); contractual, patient and denial balances are those of one payment."""
    claim, remittance = case
    (cp,) = remittance.claims
    doubled = attrs.evolve(remittance, claims=(cp, cp), payment=remittance.payment + cp.paid,
                           method=PaymentMethod.ACH if (remittance.payment + cp.paid)
                           .is_positive() else PaymentMethod.NON_PAYMENT)
    once = post_remittance(_charged(claim), [claim], remittance)
    twice = post_remittance(_charged(claim), [claim], doubled)

    for account in WATCHED:
        assert (twice.ledger.balance(account, claim=claim.id)
                == once.ledger.balance(account, claim=claim.id))
    assert [(d.claim, d.repeats) for d in twice.duplicates] == [(claim.id, "T1")]
    assert twice.ledger.balance(Account.cash()) == doubled.payment
    assert twice.ledger.balance(Account.payer_credit(claim.coverage.payer.payer_id),
                                claim=claim.id) == cp.paid
    _identity(twice.ledger, claim)
    assert post_remittance(twice.ledger, twice.claims, doubled).ledger == twice.ledger


@given(answered(), st.booleans())
def test_an_unread_claim_keeps_cash_equal_to_the_payment_sent(
    case: tuple[Claim, Remittance], known: bool,
) -> None:
    """A claim the reader set aside: its CLP04 (when known) is the payer's unapplied
    cash, so cash = BPR02; nothing else moves."""
    from claimcore.x12 import UnreadClaim

    claim, remittance = case
    (cp,) = remittance.claims
    lost = UnreadClaim(segment_number=30, reason="segment 30 (CLP): unreadable", clp01="ZZ1",
                       clp04=str(cp.paid.amount), paid=cp.paid if known else None)
    plain = post_remittance(_charged(claim), [claim], remittance)
    result = post_remittance(_charged(claim), [claim], remittance, unread=[lost])
    unapplied = Account.unapplied_cash(claim.coverage.payer.payer_id)
    sent = remittance.payment + cp.paid  # BPR02 of the whole file

    if known:
        assert result.ledger.balance(Account.cash()) == sent
        assert result.ledger.balance(unapplied) == cp.paid
    else:
        assert result.ledger.balance(Account.cash()) == remittance.payment
    assert [u.amount for u in result.unread] == [lost.paid]
    for account in (*WATCHED, Account.ar_payer(claim.coverage.payer.payer_id)):
        assert result.ledger.balance(account) == plain.ledger.balance(account)
    _identity(result.ledger, claim)
    assert post_remittance(result.ledger, result.claims, remittance,
                           unread=[lost]).ledger == result.ledger


# -- a new decision after an appeal (issue 12) -----------------------------------------

_LINE_WATCHED = (Account.contractual_allowance(), Account.other_adjustments(),
                 Account.ar_patient())


def _on_line(ledger: Ledger, account: Account, claim: Claim, line: int) -> int:
    """The balance of ``account`` on one line of ``claim``, in cents (debit positive)."""
    return sum(t.amount.cents if t.debit == account else -t.amount.cents
               for t in ledger.transfers(claim=claim.id, account=account) if t.line == line)


def _deny(s: ServicePayment) -> ServicePayment:
    """The line denied whole (CO-97, bundled), paid nothing."""
    return attrs.evolve(s, paid=Money.zero(s.charge.currency), allowed=None,
                        adjustments=(Adjustment(group=AdjustmentGroup.CONTRACTUAL_OBLIGATION,
                                                reason=CARC("97"), amount=s.charge),))


@st.composite
def appealed_line_denial(draw: st.DrawFn) -> tuple[Claim, ClaimPayment, ClaimPayment]:
    """A claim of two or more lines, some paid and some denied by the first 835, and the
    payer's new decision on every line (any split, or denied again) after an appeal."""
    claim = draw(ACCEPTED.filter(lambda c: len(c.lines) >= 2))
    n = len(claim.lines)
    denied = draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=n - 1))
    again = draw(st.sets(st.integers(0, n - 1), max_size=n - 1))

    def shaped(cp: ClaimPayment, deny: set[int]) -> ClaimPayment:
        services = [attrs.evolve(_deny(s) if i in deny else s,
                                 line_ref=str(claim.lines[i].line_number))
                    for i, s in enumerate(cp.services)]
        return attrs.evolve(cp, services=services,
                            paid=sum((s.paid for s in services), Money.zero()),
                            payer_claim_number=PayerClaimNumber("ICN1"))

    first = shaped(draw(claim_payments_for(claim, allow_denial=False)), denied)
    # A first 835 that paid nothing is decided again whole (a denial): not this case.
    assume(first.paid.is_positive())
    second = draw(claim_payments_for(claim, allow_denial=False))
    return claim, first, shaped(second, again)


def _sent(claim: Claim, cp: ClaimPayment, trace: str, on: date) -> Remittance:
    payer = claim.coverage.payer
    return Remittance(
        payer=RemittancePayer(payer_id=payer.payer_id, name=payer.name),
        payee=Payee(name="Clinic", npi=claim.billing_provider.npi),
        method=PaymentMethod.ACH if cp.paid.is_positive() else PaymentMethod.NON_PAYMENT,
        payment=cp.paid, trace=trace, paid_on=on, claims=[cp],
    )


@given(appealed_line_denial())
def test_a_new_decision_after_an_appeal_never_reposts_a_line_already_posted(
    case: tuple[Claim, ClaimPayment, ClaimPayment],
) -> None:
    """Lines paid by the first 835 keep their contractual, other-adjustment and patient
    balances through the appeal's 835 (no reversal between); their new cash is payer
    credit, listed as duplicate line payments; the denied lines are released and post as
    decided; every cent is placed and posting it again changes nothing."""
    claim, first_cp, second_cp = case
    day = claim.service_period.start + timedelta(days=20)
    first = post_remittance(_charged(claim), [claim], _sent(claim, first_cp, "T1", day))
    decided = first.claims[0]
    at = max(datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
             decided.history[-1].at) + timedelta(days=1)
    appealed = appeal(decided, at=at, rules=MEDICARE_APPEALS,
                      amount_in_controversy=first.ledger.balance(Account.denial()))
    sent = _sent(claim, second_cp, "T2", day + timedelta(days=40))
    second = post_remittance(first.ledger, [appealed], sent)
    # The lines the first 835 posted other than as a denial.
    lines = {t.line for t in first.ledger.transfers(claim=claim.id)
             if t.trace == "T1" and t.code is not TransferCode.DENIAL}
    posted = [i for i, line in enumerate(claim.lines) if line.line_number in lines]
    assert posted
    payer = claim.coverage.payer.payer_id

    for i in posted:
        number = claim.lines[i].line_number
        for account in _LINE_WATCHED:
            assert (_on_line(second.ledger, account, claim, number)
                    == _on_line(first.ledger, account, claim, number))
    repeated = [(d.line, d.amount) for d in second.duplicates]
    assert repeated == [(claim.lines[i].line_number, second_cp.services[i].paid)
                        for i in posted if not second_cp.services[i].paid.is_zero()]
    held = sum((second_cp.services[i].paid for i in posted), Money.zero())
    assert second.ledger.balance(Account.payer_credit(payer), claim=claim.id) == held
    assert second.ledger.balance(Account.ar_payer(payer), claim=claim.id).is_zero()
    assert second.ledger.balance(Account.cash()) == first_cp.paid + second_cp.paid
    new_denials = sum((d.amount or Money.zero() for d in second.denials), Money.zero())
    assert second.ledger.balance(Account.denial(), claim=claim.id) == new_denials
    _identity(second.ledger, claim)
    assert post_remittance(second.ledger, second.claims, sent).ledger == second.ledger
