"""Patient statements and the patient's side of posting, worked to the cent."""

from __future__ import annotations

from datetime import date

import pytest

from claimcore.coverage import Accumulator, Benefits, NetworkBenefits, estimate_responsibility
from claimcore.errors import DuplicateTransfer, PostingError, TypeMismatch, ValidationError
from claimcore.ids import ClaimId, EncounterId, MedicalRecordNumber
from claimcore.ledger import Account, Ledger, TransferCode, WriteOffReason
from claimcore.money import Money, Rate
from claimcore.periods import AgingBuckets, Period
from claimcore.posting import (
    PatientPaymentMethod,
    PaymentAllocation,
    apply_credit,
    collect_prepayment,
    patient_credit,
    post_patient_payment,
    post_remittance,
    refund_credit,
    send_to_collections,
    write_off,
    write_off_denial,
    write_off_small_balances,
)
from claimcore.statements import PaymentPlan, Statement, statement
from tests.unit.test_posting import (
    ACME,
    MRN,
    PATIENT,
    acme_payment,
    adj,
    charged,
    make_claim,
    payment,
    remittance,
    svc,
    usd,
)

AR_PATIENT = Account.ar_patient()


def two_visits() -> Ledger:
    """Visit 1 (2 March) leaves 78.00 to the patient, visit 2 (2 May) leaves 30.00."""
    first = make_claim()
    ledger = post_remittance(charged(first), [first], remittance([acme_payment()])).ledger
    second = make_claim([("99213", "100.00")], claim_id=ClaimId("DR0502B"),
                        on=date(2026, 5, 2), encounter="ENC-2")
    ledger = charged(second, ledger)
    sent = payment([svc("99213", "100.00", "50.00", adj("CO", "45", "20.00"),
                        adj("PR", "2", "30.00"))], claim="DR0502B")
    return post_remittance(ledger, [second], remittance([sent], trace="ACH2",
                                                        paid_on=date(2026, 5, 20))).ledger


def test_a_statement_lists_open_items_aged_with_a_due_date() -> None:
    """Two items, 78.00 (91 days) and 30.00 (30 days): 108.00 due in 30 days."""
    bill = statement(two_visits(), PATIENT, as_of=date(2026, 6, 1))

    assert [(i.encounter, i.charges, i.balance, i.patient_paid) for i in bill.items] == [
        ("ENC-1", usd("235.00"), usd("78.00"), usd("0.00")),
        ("ENC-2", usd("100.00"), usd("30.00"), usd("0.00")),
    ]
    first = bill.items[0].payers[0]
    assert (first.payer, first.paid, first.adjusted, first.patient_responsibility,
            first.transferred) == (ACME.payer_id, usd("112.00"), usd("45.00"),
                                   usd("78.00"), usd("0.00"))
    assert bill.aging_labels == ("0-30", "31-60", "61-90", "91-120", "over 120")
    assert bill.aging == (usd("30.00"), usd("0.00"), usd("0.00"), usd("78.00"),
                          usd("0.00"))
    assert (bill.balance, bill.credit, bill.amount_due, bill.due_on) == (
        usd("108.00"), usd("0.00"), usd("108.00"), date(2026, 7, 1))
    assert bill.plan is None and bill.instalment is None


def test_a_statement_shows_no_phi() -> None:
    """repr names the masked record number and totals: no name, no date of service."""
    bill = statement(two_visits(), MRN, as_of=date(2026, 6, 1), terms_days=15)
    text = repr(bill) + repr(bill.items)

    assert "***7311" in text and "MRN00077311" not in text
    assert "Reyes" not in text and "2026-03-02" not in text and "2026-05-02" not in text
    assert bill.due_on == date(2026, 6, 16)


def test_a_statement_ignores_what_happened_after_its_date() -> None:
    """As of 1 April only the first visit exists; custom buckets are used."""
    bill = statement(two_visits(), PATIENT, as_of=date(2026, 4, 1),
                     buckets=AgingBuckets((15, 45)))

    assert [i.encounter for i in bill.items] == ["ENC-1"]
    assert bill.aging == (usd("0.00"), usd("78.00"), usd("0.00"))


def test_a_payment_plan_sets_the_instalment_due() -> None:
    """108.00 over 3 months: 36.00 due; after paying 36.00, the next 36.00."""
    ledger = two_visits()
    plan = PaymentPlan(total=usd("108.00"), instalments=3, start=date(2026, 6, 15))
    bill = statement(ledger, PATIENT, as_of=date(2026, 6, 1), plan=plan)

    assert [i.amount for i in plan.schedule] == [usd("36.00")] * 3
    assert (bill.instalment, bill.amount_due) == (usd("36.00"), usd("36.00"))
    paid = post_patient_payment(ledger, patient=MRN, amount=usd("36.00"),
                                on=date(2026, 6, 10), reference="PLAN-1")
    assert statement(paid, PATIENT, as_of=date(2026, 6, 11), plan=plan).amount_due == usd(
        "0.00")
    later = statement(paid, PATIENT, as_of=date(2026, 7, 1), plan=plan)
    assert later.amount_due == usd("36.00")
    assert plan.scheduled_through(date(2026, 8, 15)) == usd("108.00")
    with pytest.raises(ValidationError):
        PaymentPlan(total=usd("0.00"), instalments=3, start=date(2026, 6, 15))


def test_a_payment_goes_to_the_oldest_item_first() -> None:
    """90.00 pays ENC-1's 78.00 in full, then 12.00 of ENC-2."""
    ledger = post_patient_payment(two_visits(), patient=MRN, amount=usd("90.00"),
                                  on=date(2026, 6, 5), reference="R-1",
                                  method=PatientPaymentMethod.CHECK)

    new = ledger.transfers(code=TransferCode.PATIENT_PAYMENT)
    assert [(t.id.value, t.encounter, t.amount) for t in new] == [
        ("pt:check:R-1:1", EncounterId("ENC-1"), usd("78.00")),
        ("pt:check:R-1:2", EncounterId("ENC-2"), usd("12.00"))]
    assert ledger.balance(AR_PATIENT) == usd("18.00")


def test_a_proportional_payment_is_split_with_allocate() -> None:
    """100.00 over 78.00 and 30.00: 72.22 and 27.78, summing to the payment."""
    ledger = post_patient_payment(two_visits(), patient=MRN, amount=usd("100.00"),
                                  on=date(2026, 6, 5), reference="R-2",
                                  allocation=PaymentAllocation.PROPORTIONAL)

    parts = [t.amount for t in ledger.transfers(code=TransferCode.PATIENT_PAYMENT)]
    assert parts == [usd("72.22"), usd("27.78")]


def test_a_payment_for_one_encounter_stays_there() -> None:
    """A payment named for ENC-2 pays it; the rest becomes credit."""
    ledger = post_patient_payment(two_visits(), patient=MRN, amount=usd("40.00"),
                                  on=date(2026, 6, 5), reference="R-3", encounter="ENC-2")

    assert ledger.balance(AR_PATIENT, encounter="ENC-2") == usd("0.00")
    assert ledger.balance(AR_PATIENT, encounter="ENC-1") == usd("78.00")
    assert patient_credit(ledger, MRN) == usd("10.00")


def test_a_payment_reference_is_idempotent() -> None:
    """The same reference and amount change nothing; another amount is a duplicate."""
    once = post_patient_payment(two_visits(), patient=MRN, amount=usd("50.00"),
                                on=date(2026, 6, 5), reference="R-4")

    assert post_patient_payment(once, patient=MRN, amount=usd("50.00"),
                                on=date(2026, 6, 5), reference="R-4") == once
    with pytest.raises(DuplicateTransfer):
        post_patient_payment(once, patient=MRN, amount=usd("60.00"), on=date(2026, 6, 5),
                             reference="R-4")
    with pytest.raises(PostingError):
        post_patient_payment(once, patient=MRN, amount=usd("0.00"), on=date(2026, 6, 5),
                             reference="R-5")


def test_an_overpayment_becomes_credit_and_is_refunded() -> None:
    """Paying 120.00 on 108.00 leaves 12.00 of credit; the refund returns it to zero."""
    ledger = post_patient_payment(two_visits(), patient=MRN, amount=usd("120.00"),
                                  on=date(2026, 6, 5), reference="R-6")

    assert ledger.balance(Account.patient_credit()) == usd("12.00")
    bill = statement(ledger, PATIENT, as_of=date(2026, 6, 6))
    assert (bill.balance, bill.credit, bill.amount_due, bill.owed) == (
        usd("0.00"), usd("12.00"), usd("0.00"), usd("0.00"))
    with pytest.raises(PostingError, match="cannot refund"):
        refund_credit(ledger, patient=MRN, on=date(2026, 6, 7), reference="RF-1",
                      amount=usd("12.01"))
    refunded = refund_credit(ledger, patient=MRN, on=date(2026, 6, 7), reference="RF-1")
    assert refunded.balance(Account.patient_credit()) == usd("0.00")
    assert refunded.balance(Account.cash()) == usd("162.00") + usd("108.00")
    assert refund_credit(refunded, patient=MRN, on=date(2026, 6, 7),
                         reference="RF-1") == refunded
    with pytest.raises(PostingError, match="no credit"):
        refund_credit(refunded, patient=MRN, on=date(2026, 6, 8), reference="RF-2")


def test_credit_is_applied_to_another_open_item() -> None:
    """A 50.00 prepayment for a later visit pays ENC-1 when applied by hand."""
    ledger = collect_prepayment(two_visits(), patient=MRN, amount=usd("50.00"),
                                on=date(2026, 6, 2), reference="DESK-9", encounter="ENC-9",
                                method=PatientPaymentMethod.CASH)
    applied = apply_credit(ledger, patient=MRN, on=date(2026, 6, 3), reference="AP-1",
                           amount=usd("40.00"))

    assert applied.balance(AR_PATIENT, encounter="ENC-1") == usd("38.00")
    assert patient_credit(applied, MRN) == usd("10.00")
    assert apply_credit(applied, patient=MRN, on=date(2026, 6, 3), reference="AP-1") == applied
    with pytest.raises(PostingError):
        apply_credit(applied, patient=MRN, on=date(2026, 6, 3), reference="AP-2",
                     amount=usd("10.01"))


def test_an_overpaid_item_is_swept_into_credit_before_it_is_applied() -> None:
    """ENC-2 paid 40.00 on 30.00 owed (explicitly), then the payer's share goes up... the
    -10.00 balance moves to credit and pays ENC-1."""
    ledger = two_visits()
    ledger = post_patient_payment(ledger, patient=MRN, amount=usd("30.00"),
                                  on=date(2026, 6, 5), reference="R-7", encounter="ENC-2")
    ledger = write_off(ledger, patient=MRN, encounter="ENC-1", reason=WriteOffReason.CHARITY,
                       on=date(2026, 6, 6), reference="W-1", amount=usd("8.00"))
    reversal = make_claim([("99213", "100.00")], claim_id=ClaimId("DR0502B"),
                          on=date(2026, 5, 2), encounter="ENC-2")
    refund = payment([svc("99213", "100.00", "60.00", adj("CO", "45", "20.00"),
                          adj("PR", "2", "20.00"))], claim="DR0502B")
    from claimcore.remittance import reverse

    first = payment([svc("99213", "100.00", "50.00", adj("CO", "45", "20.00"),
                         adj("PR", "2", "30.00"))], claim="DR0502B")
    ledger = post_remittance(ledger, [reversal], remittance(
        [reverse(first), refund], trace="FIX1", paid_on=date(2026, 6, 8))).ledger
    assert ledger.balance(AR_PATIENT, encounter="ENC-2") == usd("-10.00")
    assert patient_credit(ledger, MRN) == usd("10.00")
    applied = apply_credit(ledger, patient=MRN, on=date(2026, 6, 9), reference="AP-3")

    assert applied.balance(AR_PATIENT, encounter="ENC-2") == usd("0.00")
    assert applied.balance(AR_PATIENT, encounter="ENC-1") == usd("60.00")
    assert patient_credit(applied, MRN) == usd("0.00")


def test_a_small_balance_is_written_off() -> None:
    """After paying 105.00 of 108.00, ENC-2's 3.00 is under the 5.00 threshold."""
    ledger = post_patient_payment(two_visits(), patient=MRN, amount=usd("105.00"),
                                  on=date(2026, 6, 5), reference="R-8")
    cleared = write_off_small_balances(ledger, patient=MRN, threshold=usd("5.00"),
                                       on=date(2026, 6, 30), reference="SB-1")

    offs = cleared.transfers(code=TransferCode.WRITE_OFF)
    assert [(t.encounter, t.amount, t.debit.key) for t in offs] == [
        (EncounterId("ENC-2"), usd("3.00"), "write_off:small_balance")]
    assert cleared.balance(AR_PATIENT) == usd("0.00")
    assert write_off_small_balances(cleared, patient=MRN, threshold=usd("5.00"),
                                    on=date(2026, 6, 30), reference="SB-1") == cleared


def test_write_offs_are_bounded_by_the_balance() -> None:
    """More than the balance, or nothing owed, is refused; the same reference is a no-op."""
    ledger = two_visits()
    done = write_off(ledger, patient=MRN, encounter="ENC-2",
                     reason=WriteOffReason.ADMINISTRATIVE, on=date(2026, 6, 1),
                     reference="W-2")

    assert done.balance(AR_PATIENT, encounter="ENC-2") == usd("0.00")
    assert write_off(done, patient=MRN, encounter="ENC-2",
                     reason=WriteOffReason.ADMINISTRATIVE, on=date(2026, 6, 1),
                     reference="W-2") == done
    with pytest.raises(PostingError, match="cannot write off"):
        write_off(ledger, patient=MRN, encounter="ENC-1", reason=WriteOffReason.BAD_DEBT,
                  on=date(2026, 6, 1), reference="W-3", amount=usd("78.01"))
    with pytest.raises(TypeMismatch):
        write_off(ledger, patient=MRN, encounter="ENC-1", reason="charity",  # type: ignore[arg-type]
                  on=date(2026, 6, 1), reference="W-4")


def test_a_denied_claim_is_written_off_from_the_payer() -> None:
    """A denial not worth appealing (CO-29, timely filing): the 235.00 the denial account
    holds apart goes to the administrative write-off; the payer owes nothing either way."""
    claim = make_claim()
    denied = payment([svc("99214", "175.00", "0.00", adj("CO", "29", "175.00")),
                      svc("80053", "60.00", "0.00", adj("CO", "29", "60.00"))])
    ledger = post_remittance(charged(claim), [claim], remittance([denied])).ledger
    assert ledger.balance(Account.ar_payer(ACME.payer_id)) == usd("0.00")
    assert ledger.balance(Account.denial()) == usd("235.00")
    cleared = write_off_denial(ledger, claim=claim.id, payer=ACME.payer_id,
                               on=date(2026, 4, 1), reference="TF-1")

    assert cleared.balance(Account.denial()) == usd("0.00")
    assert cleared.balance(Account.write_off(WriteOffReason.ADMINISTRATIVE)) == usd("235.00")
    with pytest.raises(PostingError, match="the balance is"):
        write_off(cleared, patient=MRN, encounter="ENC-1",
                  reason=WriteOffReason.ADMINISTRATIVE, on=date(2026, 4, 2),
                  reference="TF-2", payer=ACME.payer_id, claim=claim.id)


def test_collections_write_off_every_open_balance_as_bad_debt() -> None:
    """Both items (108.00) go to the bad-debt account; nothing left to send twice."""
    ledger = send_to_collections(two_visits(), patient=MRN, on=date(2026, 9, 1),
                                 reference="COL-1")

    assert ledger.balance(Account.write_off(WriteOffReason.BAD_DEBT)) == usd("108.00")
    assert ledger.balance(AR_PATIENT) == usd("0.00")
    assert send_to_collections(ledger, patient=MRN, on=date(2026, 9, 1),
                               reference="COL-1") == ledger
    with pytest.raises(PostingError, match="no open balance"):
        send_to_collections(ledger, patient=MRN, on=date(2026, 9, 2), reference="COL-2")


def test_a_deductible_met_across_two_encounters() -> None:
    """200.00 deductible: visit 1 (allowed 150.00) takes 150.00; visit 2 (allowed 120.00)
    takes the 50.00 left and 20% of the other 70.00; each posts and bills to the cent."""
    period = Period(date(2026, 1, 1), date(2026, 12, 31))

    def plan(met: str) -> Benefits:
        return Benefits(period=period, in_network=NetworkBenefits(
            individual_deductible=Accumulator(limit=usd("200.00"), met=usd(met)),
            coinsurance=Rate.percent(20)))

    first = estimate_responsibility(plan("0.00"), usd("150.00"))
    second = estimate_responsibility(plan(str((first.deductible).amount)), usd("120.00"))
    assert (first.deductible, first.coinsurance, first.payer) == (
        usd("150.00"), usd("0.00"), usd("0.00"))
    assert (second.deductible, second.coinsurance, second.payer) == (
        usd("50.00"), usd("14.00"), usd("56.00"))

    one = make_claim([("99214", "175.00")])
    two = make_claim([("99213", "130.00")], claim_id=ClaimId("DR0502B"), on=date(2026, 5, 2),
                     encounter="ENC-2")
    ledger = charged(two, charged(one))
    ledger = post_remittance(ledger, [one], remittance([payment([svc(
        "99214", "175.00", str(first.payer.amount), adj("CO", "45", "25.00"),
        adj("PR", "1", "150.00"))])])).ledger
    ledger = post_remittance(ledger, [two], remittance([payment([svc(
        "99213", "130.00", "56.00", adj("CO", "45", "10.00"), adj("PR", "1", "50.00"),
        adj("PR", "2", "14.00"))], claim="DR0502B")], trace="T2")).ledger
    bill = statement(ledger, PATIENT, as_of=date(2026, 6, 1))

    assert [i.balance for i in bill.items] == [usd("150.00"), usd("64.00")]
    assert bill.amount_due == usd("214.00")
    assert first.patient + second.patient == usd("214.00")


def test_statement_arguments_are_checked() -> None:
    """A bad patient, terms or plan is refused with its path; due_on follows as_of."""
    with pytest.raises(TypeMismatch) as err:
        statement(Ledger(), "MRN1", as_of=date(2026, 1, 1))  # type: ignore[arg-type]
    assert err.value.path == "$.patient"
    with pytest.raises(ValidationError):
        statement(Ledger(), MRN, as_of=date(2026, 1, 1), terms_days=-1)
    with pytest.raises(ValidationError) as due:
        Statement(patient=MRN, as_of=date(2026, 2, 1), due_on=date(2026, 1, 1), items=(),
                  aging_labels=(), aging=(), balance=Money.zero(), credit=Money.zero(),
                  amount_due=Money.zero())
    assert due.value.rule == "due-before-statement"
    empty = statement(Ledger(), MedicalRecordNumber("MRN9"), as_of=date(2026, 1, 1))
    assert (empty.items, empty.amount_due) == ((), usd("0.00"))


def test_a_statement_value_checks_its_totals() -> None:
    """One aging amount per bucket, no negative totals, an instalment only with a plan."""
    base = {"patient": MRN, "as_of": date(2026, 1, 1), "due_on": date(2026, 1, 31),
            "items": (), "balance": Money.zero(), "credit": Money.zero(),
            "amount_due": Money.zero()}
    with pytest.raises(ValidationError) as count:
        Statement(aging_labels=("0-30",), aging=(), **base)  # type: ignore[arg-type]
    assert count.value.rule == "bucket-count"
    with pytest.raises(ValidationError) as negative:
        Statement(aging_labels=(), aging=(), **{**base, "credit": usd("-1.00")})  # type: ignore[arg-type]
    assert negative.value.path == "$.credit"
    with pytest.raises(ValidationError) as plan:
        Statement(aging_labels=(), aging=(), instalment=usd("1.00"), **base)  # type: ignore[arg-type]
    assert plan.value.rule == "plan-instalment"
