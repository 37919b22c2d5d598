"""The ledger at its edges: inclusive date bounds, one-cent amounts, the limits of a
transfer's references, exact partial reversals and old versions read mid-history (each
test fails if a bound of claimcore.ledger moves by one; found by scripts/mutation.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from claimcore.codes import CARC, AdjustmentGroup
from claimcore.errors import PostingError, ValidationError
from claimcore.ids import ClaimId, MedicalRecordNumber, PayerId, TransferId
from claimcore.ledger import (
    Account,
    Ledger,
    PayerActivity,
    PayerBalance,
    Totals,
    Transfer,
    TransferCode,
    post,
    reversal_of,
)
from claimcore.money import Money

ACME = PayerId("ACME1")
MRN = MedicalRecordNumber("MRN00042")
CLAIM = ClaimId("CLM-1")
AR_ACME = Account.ar_payer(ACME)
AR_PAT = Account.ar_patient()
REV = Account.gross_revenue()
CASH = Account.cash()
CONTRA = Account.contractual_allowance()
MARCH_1, MARCH_2, MARCH_3 = date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)


def m(text: str) -> Money:
    return Money(Decimal(text))


def tr(tid: str, debit: Account, credit: Account, amount: str, code: TransferCode, *,
       on: date = MARCH_2, **kw: object) -> Transfer:
    return Transfer(id=TransferId(tid), debit=debit, credit=credit, amount=m(amount), on=on,
                    code=code, patient=MRN, encounter="E1", claim=CLAIM,
                    **kw)  # type: ignore[arg-type]


CHARGE = tr("c1", AR_ACME, REV, "200.00", TransferCode.CHARGE, on=MARCH_1)
PAYMENT = tr("p1", CASH, AR_ACME, "120.00", TransferCode.PAYER_PAYMENT, on=MARCH_2,
             payer=ACME, trace="TRN-7")
CO45 = tr("a1", CONTRA, AR_ACME, "50.00", TransferCode.CONTRACTUAL, on=MARCH_3, payer=ACME,
          trace="TRN-7", group=AdjustmentGroup.CONTRACTUAL_OBLIGATION, reason=CARC("45"))


# -- date bounds are inclusive -------------------------------------------------------------


def test_since_includes_its_own_day() -> None:
    """``since`` keeps transfers dated that very day; the day after drops them."""
    ledger = Ledger.from_transfers([CHARGE, PAYMENT, CO45])
    assert ledger.transfers(since=MARCH_2) == (PAYMENT, CO45)
    assert ledger.transfers(since=MARCH_1) == (CHARGE, PAYMENT, CO45)
    assert ledger.transfers(since=MARCH_3) == (CO45,)
    assert ledger.transfers(since=date(2026, 3, 4)) == ()


def test_until_includes_its_own_day() -> None:
    ledger = Ledger.from_transfers([CHARGE, PAYMENT, CO45])
    assert ledger.transfers(until=MARCH_2) == (CHARGE, PAYMENT)
    assert ledger.transfers(until=MARCH_3) == (CHARGE, PAYMENT, CO45)
    assert ledger.transfers(until=date(2026, 2, 28)) == ()
    assert ledger.transfers(since=MARCH_2, until=MARCH_2) == (PAYMENT,)
    assert ledger.transfers(since=MARCH_3, until=MARCH_2) == ()


def test_every_filter_narrows() -> None:
    """Each criterion alone drops what does not match it, alongside an indexed one."""
    other = attrs.evolve(PAYMENT, id=TransferId("p2"), payer=PayerId("BETA2"), trace="TRN-8",
                         claim=ClaimId("CLM-2"))
    ledger = Ledger.from_transfers([CHARGE, PAYMENT, CO45, other])
    assert ledger.transfers(payer=ACME) == (PAYMENT, CO45)
    assert ledger.transfers(account=CASH, payer=ACME) == (PAYMENT,)
    assert ledger.transfers(trace="TRN-8") == (other,)
    assert ledger.transfers(claim=CLAIM, trace="TRN-8") == ()
    assert ledger.transfers(claim=ClaimId("CLM-2")) == (other,)
    assert ledger.transfers(code=TransferCode.CONTRACTUAL) == (CO45,)
    assert ledger.transfers(patient=MRN, account=CONTRA) == (CO45,)
    assert ledger.transfers(account=Account.cash(), since=MARCH_3) == ()
    assert ledger.transfers(patient=MedicalRecordNumber("MRN99999")) == ()
    assert ledger.transfers(claim=ClaimId("CLM-9")) == ()


# -- a transfer's amount and references ----------------------------------------------------


def test_one_cent_is_the_smallest_transfer() -> None:
    assert tr("x", CASH, AR_PAT, "0.01", TransferCode.PATIENT_PAYMENT).amount == m("0.01")
    for bad in ("0.00", "-0.01"):
        with pytest.raises(ValidationError) as caught:
            tr("x", CASH, AR_PAT, bad, TransferCode.PATIENT_PAYMENT)
        assert (caught.value.path, caught.value.rule) == ("$.amount", "positive")


def test_line_numbers_run_from_1_to_999() -> None:
    for line in (1, 999):
        assert attrs.evolve(PAYMENT, line=line).line == line
    for bad in (0, 1000, -1):
        with pytest.raises(ValidationError) as caught:
            attrs.evolve(PAYMENT, line=bad)
        assert caught.value.path == "$.line"


def test_a_trace_holds_fifty_characters() -> None:
    assert attrs.evolve(PAYMENT, trace="T" * 50).trace == "T" * 50
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(PAYMENT, trace="T" * 51)
    assert caught.value.path == "$.trace"


def test_reversal_links() -> None:
    """Only a reversal names what it reverses, never itself; a reason needs its group."""
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(PAYMENT, reverses=TransferId("c1"))
    assert caught.value.rule == "reversal-link"
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(PAYMENT, code=TransferCode.REVERSAL)
    assert caught.value.rule == "reversal-link"
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(PAYMENT, code=TransferCode.REVERSAL, reverses=PAYMENT.id)
    assert caught.value.rule == "self-reversal"
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(PAYMENT, reason=CARC("45"))
    assert caught.value.rule == "reason-without-group"
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(PAYMENT, credit=CASH)
    assert caught.value.rule == "same-account"


def test_reversal_of_keeps_references_and_takes_a_new_trace() -> None:
    back = reversal_of(CO45, id=TransferId("a1-r"), on=MARCH_3, trace="TRN-9")
    assert (back.trace, back.group, back.reason, back.payer) == (
        "TRN-9", CO45.group, CO45.reason, ACME)
    assert (back.patient, back.encounter, back.claim, back.line) == (
        CO45.patient, CO45.encounter, CO45.claim, CO45.line)
    assert reversal_of(CO45, id=TransferId("a1-r"), on=MARCH_3).trace == "TRN-7"
    assert reversal_of(CO45, id=TransferId("a1-r"), on=MARCH_3).amount == CO45.amount
    assert reversal_of(CO45, id=TransferId("a1-r"), on=MARCH_3,
                       amount=m("0.01")).amount == m("0.01")


# -- partial reversals reach the original exactly ------------------------------------------


def test_reversals_may_add_up_to_the_original_exactly() -> None:
    ledger = Ledger.from_transfers([CHARGE, PAYMENT])
    parts = [reversal_of(PAYMENT, id=TransferId(f"r{i}"), on=MARCH_3, amount=m(a))
             for i, a in enumerate(("119.99", "0.01", "0.01"))]
    two = post(ledger, parts[0], parts[1])
    assert two.balance(CASH) == m("0.00")
    with pytest.raises(PostingError, match="already reversed"):
        post(two, parts[2])
    with pytest.raises(PostingError, match="already reversed"):
        post(ledger, *parts)
    # Reversed in two batches: the first batch's part counts in the second.
    one = post(ledger, parts[0])
    assert post(one, parts[1]).balance(CASH) == m("0.00")
    with pytest.raises(PostingError, match="already reversed"):
        post(post(one, parts[1]), parts[2])
    too_much = reversal_of(PAYMENT, id=TransferId("rx"), on=MARCH_3, amount=m("120.01"))
    with pytest.raises(PostingError, match="already reversed"):
        post(ledger, too_much)


def test_a_reversal_must_mirror_both_accounts() -> None:
    ledger = Ledger.from_transfers([CHARGE, PAYMENT])
    back = reversal_of(PAYMENT, id=TransferId("p1-r"), on=MARCH_3)
    with pytest.raises(PostingError, match="moves the money back"):
        post(ledger, attrs.evolve(back, credit=AR_PAT))
    with pytest.raises(PostingError, match="moves the money back"):
        post(ledger, attrs.evolve(back, debit=AR_PAT))
    for changes in ({"patient": None}, {"claim": ClaimId("CLM-2")}):
        with pytest.raises(PostingError, match="keeps the patient"):
            post(ledger, attrs.evolve(back, **changes))
    assert post(ledger, back).balance(AR_ACME) == m("200.00")


# -- versions read mid-history -------------------------------------------------------------


def test_every_version_reads_its_own_balances() -> None:
    """Each of many versions sharing one history reads exactly its own totals."""
    payments = [tr(f"p{i}", CASH, AR_ACME, "1.00", TransferCode.PAYER_PAYMENT, payer=ACME)
                for i in range(9)]
    versions = [post(Ledger(), CHARGE)]
    for payment in payments:
        versions.append(post(versions[-1], payment))
    for n, version in enumerate(versions):
        assert len(version) == n + 1
        assert version.balance(CASH) == Money.from_cents(100 * n)
        assert version.balance(AR_ACME) == Money.from_cents(20000 - 100 * n)
        assert version.balance(CASH, claim=CLAIM) == Money.from_cents(100 * n)
        assert version.balance(AR_ACME, patient=MRN) == Money.from_cents(20000 - 100 * n)
        assert version.balance(CASH, encounter="E1") == Money.from_cents(100 * n)
        assert version.transfers(account=CASH) == tuple(payments[:n])
        assert version.transfers(claim=CLAIM) == (CHARGE, *payments[:n])
        assert (CASH in version.balances()) == (n > 0)
        assert version.totals() == Totals(Money.from_cents(20000), Money.from_cents(20000))
        for i, payment in enumerate(payments):
            assert (payment.id in version) == (i < n)
            assert (version.get(payment.id) is not None) == (i < n)
    assert versions[0].balance(CASH) == m("0.00")
    assert dict(versions[0].balances()) == {AR_ACME: m("200.00"), REV: m("200.00")}


def test_an_old_version_reads_a_reference_touched_only_later() -> None:
    """A claim, patient or account first seen after a version reads zero in it."""
    first = Ledger.from_transfers([CHARGE])
    later = attrs.evolve(PAYMENT, claim=ClaimId("CLM-2"), patient=MedicalRecordNumber("MRN7"),
                         encounter="E7", debit=CONTRA)
    second = post(first, later)
    assert first.balance(CONTRA) == m("0.00")
    assert first.balance(CONTRA, claim=ClaimId("CLM-2")) == m("0.00")
    assert first.balance(CONTRA, patient=MedicalRecordNumber("MRN7")) == m("0.00")
    assert first.balance(CONTRA, encounter="E7") == m("0.00")
    assert first.transfers(claim=ClaimId("CLM-2")) == ()
    assert first.transfers(encounter="E7") == ()
    assert first.transfers(account=CONTRA) == ()
    assert CONTRA not in first.balances()
    assert second.balance(CONTRA, claim=ClaimId("CLM-2")) == m("120.00")
    assert second.balance(AR_ACME, claim=CLAIM) == m("200.00")


def test_a_credit_balance_reads_negative_on_a_debit_account() -> None:
    overpaid = tr("p9", CASH, AR_ACME, "250.00", TransferCode.PAYER_PAYMENT, payer=ACME)
    ledger = Ledger.from_transfers([CHARGE, overpaid])
    assert ledger.balance(AR_ACME) == m("-50.00")
    assert ledger.balance(REV) == m("200.00")
    assert ledger.totals() == Totals(m("250.00"), m("250.00"))
    assert ledger.totals().balanced


def test_ledger_equality_and_identity() -> None:
    one = Ledger.from_transfers([CHARGE, PAYMENT])
    same = Ledger.from_transfers([CHARGE, PAYMENT])
    assert one == same and hash(one) == hash(same)
    assert one != Ledger.from_transfers([CHARGE])
    assert one != Ledger.from_transfers([CHARGE, CO45])
    assert Ledger() != Ledger(currency="EUR")
    assert one.__eq__(object()) is NotImplemented
    assert "p1" not in one
    assert repr(one) == "<Ledger of 2 transfers in USD>"


# -- folding by role: every role and every payer column --------------------------------------


def test_an_overpayment_held_as_payer_credit_is_not_paid() -> None:
    """150 paid on a 100 charge, 50 moved to the payer's credit: the payer paid 100."""
    held = Account.payer_credit(ACME)
    ledger = Ledger.from_transfers([
        tr("c", AR_ACME, REV, "100.00", TransferCode.CHARGE, on=MARCH_1),
        tr("p", CASH, AR_ACME, "150.00", TransferCode.PAYER_PAYMENT, payer=ACME),
        tr("o", AR_ACME, held, "50.00", TransferCode.OVERPAYMENT, payer=ACME),
    ])
    money = ledger.balances_by_role(encounter="E1")
    assert (money.cash, money.payer_paid, money.payer_credit) == (
        m("150.00"), m("100.00"), m("50.00"))
    assert money.payers == (PayerActivity(payer=ACME, paid=m("100.00"), adjusted=m("0.00"),
                                          patient_responsibility=m("0.00"),
                                          transferred=m("0.00")),)
    assert money.payer_balances == (PayerBalance(ACME, m("0.00")),)
    assert money.held == m("50.00")


def test_every_column_of_a_payer_and_of_the_patient() -> None:
    """Paid, adjusted, left to the patient and passed on land in their own columns."""
    beta = PayerId("BETA2")
    ar_beta = Account.ar_payer(beta)
    ledger = Ledger.from_transfers([
        tr("c", AR_ACME, REV, "100.00", TransferCode.CHARGE, on=MARCH_1),
        tr("p", CASH, AR_ACME, "40.00", TransferCode.PAYER_PAYMENT, payer=ACME),
        tr("a", CONTRA, AR_ACME, "30.00", TransferCode.CONTRACTUAL, payer=ACME,
           group=AdjustmentGroup.CONTRACTUAL_OBLIGATION, reason=CARC("45")),
        tr("o", Account.other_adjustments(), AR_ACME, "5.00", TransferCode.OTHER_ADJUSTMENT,
           payer=ACME, group=AdjustmentGroup.OTHER_ADJUSTMENT, reason=CARC("23")),
        tr("r", AR_PAT, AR_ACME, "15.00", TransferCode.PATIENT_RESPONSIBILITY, payer=ACME,
           group=AdjustmentGroup.PATIENT_RESPONSIBILITY, reason=CARC("2")),
        tr("x", ar_beta, AR_ACME, "10.00", TransferCode.COB_TRANSFER, payer=ACME),
        tr("bp", CASH, ar_beta, "10.00", TransferCode.PAYER_PAYMENT, payer=beta),
        tr("pp", CASH, AR_PAT, "5.00", TransferCode.PATIENT_PAYMENT, on=MARCH_3),
        tr("pc", CASH, Account.patient_credit(), "7.00", TransferCode.PATIENT_PAYMENT,
           on=MARCH_3),
        tr("rf", Account.patient_credit(), Account.refunds_payable(), "2.00",
           TransferCode.REFUND, on=MARCH_3),
    ])
    money = ledger.balances_by_role()
    assert money.payers == (
        PayerActivity(payer=ACME, paid=m("40.00"), adjusted=m("35.00"),
                      patient_responsibility=m("15.00"), transferred=m("10.00")),
        PayerActivity(payer=beta, paid=m("10.00"), adjusted=m("0.00"),
                      patient_responsibility=m("0.00"), transferred=m("0.00")),
    )
    assert (money.charges, money.cash, money.payer_paid, money.patient_paid) == (
        m("100.00"), m("62.00"), m("50.00"), m("12.00"))
    assert (money.adjusted, money.payers_owe, money.patient_owes) == (
        m("35.00"), m("0.00"), m("10.00"))
    assert (money.patient_credit, money.refunds_payable) == (m("5.00"), m("2.00"))
    assert money.credit == m("7.00")
    assert [(t.group, t.reason, t.amount) for t in money.adjustments] == [
        (AdjustmentGroup.CONTRACTUAL_OBLIGATION, CARC("45"), m("30.00")),
        (AdjustmentGroup.OTHER_ADJUSTMENT, CARC("23"), m("5.00")),
    ]
    assert [(t.reason, t.amount) for t in money.patient_responsibility] == [
        (CARC("2"), m("15.00"))]
    assert money.service_on == MARCH_1
    assert ledger.balances_by_role(until=MARCH_2).patient_paid == m("0.00")
    assert ledger.balances_by_role(until=MARCH_3).patient_paid == m("12.00")


def test_the_date_of_service_is_the_earliest_charge_else_the_earliest_transfer() -> None:
    late_charge = tr("c2", AR_ACME, REV, "10.00", TransferCode.CHARGE, on=MARCH_3)
    early_payment = tr("p0", CASH, AR_PAT, "1.00", TransferCode.PATIENT_PAYMENT, on=MARCH_1)
    ledger = Ledger.from_transfers([late_charge, early_payment, CHARGE])
    assert ledger.balances_by_role().service_on == MARCH_1
    assert Ledger.from_transfers([late_charge, early_payment]).balances_by_role(
        ).service_on == MARCH_3
    assert Ledger.from_transfers([early_payment]).balances_by_role().service_on == MARCH_1
    two = Ledger.from_transfers([attrs.evolve(early_payment, id=TransferId("p9"), on=MARCH_3),
                                 early_payment])
    assert two.balances_by_role().service_on == MARCH_1


def test_a_one_cent_ledger_balances() -> None:
    """A net of one cent is a debit balance: the trial balance counts it on its side."""
    cent = tr("c", AR_PAT, REV, "0.01", TransferCode.CHARGE)
    ledger = Ledger.from_transfers([cent])
    assert ledger.totals() == Totals(m("0.01"), m("0.01"))
    back = post(ledger, tr("p", CASH, AR_PAT, "0.01", TransferCode.PATIENT_PAYMENT))
    assert back.totals() == Totals(m("0.01"), m("0.01"))
    assert back.balance(AR_PAT) == m("0.00")
    assert dict(back.balances()) == {AR_PAT: m("0.00"), CASH: m("0.01"), REV: m("0.01")}
