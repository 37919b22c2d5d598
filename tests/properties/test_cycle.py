"""Laws over whole generated revenue cycles: money is conserved and the stage tells the truth."""

from __future__ import annotations

import attrs
from hypothesis import given

from claimcore.cycle import END_STAGES, AccountStage, account_balances, claim_settled
from claimcore.ledger import Account, AccountRole, TransferCode, WriteOffReason
from claimcore.money import Money
from claimcore.posting import patient_credit, post_remittance
from claimcore.statements import statement
from claimcore.strategies import RevenueCycle, revenue_cycles


@given(revenue_cycles())
def test_debits_equal_credits(cycle: RevenueCycle) -> None:
    """The trial balance of every generated ledger balances."""
    totals = cycle.account.ledger.totals()

    assert totals.debits == totals.credits


@given(revenue_cycles())
def test_every_cent_is_accounted_for(cycle: RevenueCycle) -> None:
    """charges = payer payments + patient payments + adjustments + write-offs + open."""
    money = account_balances(cycle.account.ledger, cycle.account.patient.mrn)
    charged = sum((line.charge for c in cycle.account.claims if not c.other_payers
                   for line in c.lines), Money.zero())

    assert money.charges == charged
    assert money.charges == (money.payer_paid + money.patient_paid + money.adjusted
                             + money.written_off + money.outstanding)


@given(revenue_cycles())
def test_the_stage_is_an_end_exactly_when_everything_is_settled(cycle: RevenueCycle) -> None:
    """An end stage iff receivables and credit are zero and every claim is settled;
    paid in full iff, besides, nothing was forgiven or sent to collections."""
    account = cycle.account
    ledger, mrn = account.ledger, account.patient.mrn
    money = account.balances
    settled = money.settled and all(claim_settled(c, ledger) for c in account.claims)
    forgiven = any(
        t.debit.reason in (WriteOffReason.CHARITY, WriteOffReason.ADMINISTRATIVE,
                           WriteOffReason.BAD_DEBT)
        for t in ledger.transfers(patient=mrn, code=TransferCode.WRITE_OFF)
    )

    assert (account.stage in END_STAGES) == settled
    assert (account.stage is AccountStage.PAID_IN_FULL) == (settled and not forgiven)


@given(revenue_cycles())
def test_no_patient_is_billed_before_the_last_payer_answered(cycle: RevenueCycle) -> None:
    """Patient responsibility reaches A/R patient only from the last payer's A/R."""
    ledger = cycle.account.ledger
    last = Account.ar_payer(cycle.last_payer)
    for t in ledger.transfers(code=TransferCode.PATIENT_RESPONSIBILITY):
        assert t.debit == Account.ar_patient()
        assert t.credit == last
    for t in ledger.transfers(code=TransferCode.COB_TRANSFER):
        assert t.debit.role is AccountRole.AR_PAYER and t.debit != Account.ar_patient()


@given(revenue_cycles())
def test_a_credit_is_never_lost(cycle: RevenueCycle) -> None:
    """Credit taken in is applied, refunded, or still shown on the statement."""
    ledger, mrn = cycle.account.ledger, cycle.account.patient.mrn
    held = Account.patient_credit()
    taken = sum((t.amount for t in ledger.transfers(patient=mrn, account=held)
                 if t.credit == held), Money.zero())
    applied = sum((t.amount for t in ledger.transfers(patient=mrn, account=held)
                   if t.debit == held and t.code is not TransferCode.REFUND), Money.zero())
    refunded = sum((t.amount for t in ledger.transfers(patient=mrn, account=held)
                    if t.debit == held and t.code is TransferCode.REFUND), Money.zero())
    shown = statement(ledger, mrn, as_of=cycle.as_of).credit

    assert taken - applied - refunded == ledger.balance(held, patient=mrn)
    assert shown == patient_credit(ledger, mrn)
    assert shown >= ledger.balance(held, patient=mrn) >= Money.zero()


@given(revenue_cycles())
def test_posting_every_remittance_again_changes_nothing(cycle: RevenueCycle) -> None:
    """Each remittance of the story, posted once more at the end, is a no-op."""
    account = cycle.account
    ledger, claims = account.ledger, account.claims
    for remittance in cycle.remittances:
        result = post_remittance(ledger, claims, remittance,
                                 coverages=account.coverage_map)
        assert result.ledger == ledger
        assert result.claims == claims
        assert not any(p.transitioned for p in result.postings)


@given(revenue_cycles())
def test_a_remittance_paid_again_under_a_new_trace_moves_no_balance_again(
    cycle: RevenueCycle,
) -> None:
    """Each remittance without reversals, sent again under a new trace (its PLB left
    off): every claim payment whose posting stands is a duplicate, its cash lands in the
    payer's credit and nothing else of the claim moves; every cent is still accounted for."""
    account = cycle.account
    ledger, claims, mrn = account.ledger, account.claims, account.patient.mrn
    for remittance in cycle.remittances:
        if any(cp.is_reversal for cp in remittance.claims):
            continue
        paid = sum((cp.paid for cp in remittance.claims), Money.zero())
        if paid.is_negative():
            continue
        again = attrs.evolve(remittance, trace=f"DUP{remittance.trace}"[:50],
                             provider_adjustments=(), payment=paid)
        result = post_remittance(ledger, claims, again, coverages=account.coverage_map)
        payer = remittance.payer.payer_id
        held = Account.payer_credit(payer)
        after = result.ledger
        for dup in result.duplicates:
            for acct in (Account.ar_payer(payer), Account.ar_patient(),
                         Account.contractual_allowance(), Account.other_adjustments(),
                         Account.patient_credit()):
                assert after.balance(acct, claim=dup.claim) == ledger.balance(
                    acct, claim=dup.claim)
        # Payer credit grows by the duplicates and by what a payment posted anew took
        # beyond the claim's open payer balance (a claim overpayment), nothing else.
        assert after.balance(held) - ledger.balance(held) == sum(
            (d.amount for d in result.duplicates), Money.zero()) + sum(
            (o.amount for o in result.overpayments if o.line is None), Money.zero())
        totals = after.totals()
        assert totals.debits == totals.credits
        money = account_balances(after, mrn)
        assert money.charges == (money.payer_paid + money.patient_paid + money.adjusted
                                 + money.written_off + money.outstanding)


@given(revenue_cycles())
def test_remittances_posted_again_move_no_balance_a_second_time(cycle: RevenueCycle) -> None:
    """Every remittance posted again changes nothing; its claim payments sent again in a
    new remittance (a new trace) leave contractual, other, patient and denial balances
    where they were (the cash is payer credit); debits = credits, and charges = payer paid
    + patient paid + adjustments + denials + write-offs + open, to the cent. Reversals are
    left out of the resending: a second reversal is a new event, not a repeat."""
    account = cycle.account
    mrn = account.patient.mrn
    terms = {mrn: account.coverages}
    ledger, claims = account.ledger, account.claims
    watched = (Account.contractual_allowance(), Account.other_adjustments(),
               Account.ar_patient(), Account.patient_credit(), Account.denial())
    before = {a: ledger.balance(a) for a in watched}
    for remittance in cycle.remittances:
        assert post_remittance(ledger, claims, remittance, coverages=terms).ledger == ledger
    for remittance in cycle.remittances:
        if any(c.is_reversal for c in remittance.claims):
            continue
        again = attrs.evolve(remittance, trace=f"{remittance.trace}R")
        result = post_remittance(ledger, claims, again, coverages=terms)
        ledger, claims = result.ledger, result.claims

    assert {a: ledger.balance(a) for a in watched} == before
    totals = ledger.totals()
    assert totals.debits == totals.credits
    money = ledger.balances_by_role(patient=mrn)
    denied = ledger.balance(Account.denial(), patient=mrn)
    assert money.charges == (money.payer_paid + money.patient_paid + (money.adjusted - denied)
                             + denied + money.written_off + money.outstanding)
