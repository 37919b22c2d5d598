"""Worked ledger scenarios: the money flows of docs/architecture.md, to the cent."""

from __future__ import annotations

import copy
import pickle
from datetime import date
from decimal import Decimal

import attrs
import pytest

from claimcore.codes import CARC, AdjustmentGroup
from claimcore.errors import DuplicateTransfer, PostingError, TypeMismatch, ValidationError
from claimcore.ids import ClaimId, EncounterId, MedicalRecordNumber, PayerId, TransferId
from claimcore.ledger import (
    Account,
    AccountKind,
    AccountRole,
    AdjustmentTotal,
    AgingReport,
    AgingRow,
    EncounterSummary,
    Ledger,
    PayerActivity,
    PayerBalance,
    Side,
    Totals,
    Transfer,
    TransferCode,
    WriteOffReason,
    WriteOffTotal,
    post,
    reversal_of,
)
from claimcore.money import Money
from claimcore.periods import AgingBuckets

ACME = PayerId("ACME1")
BETA = PayerId("BETA2")
MRN = MedicalRecordNumber("MRN00042")
CLAIM = ClaimId("CLM-1")
CO = AdjustmentGroup.CONTRACTUAL_OBLIGATION
PR = AdjustmentGroup.PATIENT_RESPONSIBILITY
OA = AdjustmentGroup.OTHER_ADJUSTMENT


def m(text: str) -> Money:
    return Money(Decimal(text))


def tr(
    tid: str,
    debit: Account,
    credit: Account,
    amount: str,
    code: TransferCode,
    *,
    on: date = date(2026, 3, 2),
    encounter: str | None = "E1",
    **kw: object,
) -> Transfer:
    return Transfer(
        id=TransferId(tid), debit=debit, credit=credit, amount=m(amount), on=on, code=code,
        patient=MRN, encounter=encounter, claim=CLAIM, **kw,  # type: ignore[arg-type]
    )


AR_ACME = Account.ar_payer(ACME)
AR_BETA = Account.ar_payer(BETA)
AR_PAT = Account.ar_patient()
REV = Account.gross_revenue()
CASH = Account.cash()
CONTRA = Account.contractual_allowance()
OTHER = Account.other_adjustments()

CHARGE = tr("c1", AR_ACME, REV, "200.00", TransferCode.CHARGE, on=date(2026, 1, 5))
PAYMENT = tr("p1", CASH, AR_ACME, "120.00", TransferCode.PAYER_PAYMENT, trace="TRN-7")
CO45 = tr("a1", CONTRA, AR_ACME, "50.00", TransferCode.CONTRACTUAL, trace="TRN-7",
          group=CO, reason=CARC("45"))
PR1 = tr("r1", AR_PAT, AR_ACME, "30.00", TransferCode.PATIENT_RESPONSIBILITY, trace="TRN-7",
         group=PR, reason=CARC("1"))
PATIENT_PAYS = tr("pp1", CASH, AR_PAT, "20.00", TransferCode.PATIENT_PAYMENT,
                  on=date(2026, 4, 1))
SMALL = tr("w1", Account.write_off(WriteOffReason.SMALL_BALANCE), AR_PAT, "10.00",
           TransferCode.WRITE_OFF, on=date(2026, 5, 1))
CYCLE = (CHARGE, PAYMENT, CO45, PR1, PATIENT_PAYS, SMALL)


# -- accounts ---------------------------------------------------------------------------------


def test_account_keys_are_stable_and_parse_back() -> None:
    """Every account of the chart has a stable key that parses back to the same account."""
    chart = [
        (AR_ACME, "ar:payer:ACME1", AccountKind.ASSET),
        (AR_PAT, "ar:patient", AccountKind.ASSET),
        (REV, "revenue:gross", AccountKind.REVENUE),
        (CONTRA, "contra:contractual", AccountKind.CONTRA_REVENUE),
        (OTHER, "contra:other", AccountKind.CONTRA_REVENUE),
        (Account.write_off(WriteOffReason.CHARITY), "write_off:charity",
         AccountKind.CONTRA_REVENUE),
        (Account.write_off(WriteOffReason.BAD_DEBT), "write_off:bad_debt", AccountKind.EXPENSE),
        (CASH, "cash", AccountKind.ASSET),
        (Account.patient_credit(), "liability:patient_credit", AccountKind.LIABILITY),
        (Account.refunds_payable(), "liability:refunds_payable", AccountKind.LIABILITY),
    ]
    for account, key, account_kind in chart:
        assert account.key == key
        assert str(account) == key
        assert repr(account) == f"Account({key!r})"
        assert Account.parse(key) == account
        assert account.kind is account_kind


def test_normal_sides_follow_the_kind() -> None:
    """Assets, expenses and contra-revenue grow on the debit side; the rest on the credit."""
    assert [k.normal_side for k in AccountKind] == [
        Side.DEBIT, Side.CREDIT, Side.CREDIT, Side.DEBIT, Side.DEBIT,
    ]
    assert AR_ACME.normal_side is Side.DEBIT
    assert Account.refunds_payable().normal_side is Side.CREDIT
    assert AR_ACME.is_receivable and AR_PAT.is_receivable and not CASH.is_receivable


@pytest.mark.parametrize(
    ("kwargs", "path", "rule"),
    [
        ({"role": AccountRole.AR_PAYER}, "$.payer", "type"),
        ({"role": AccountRole.CASH, "payer": ACME}, "$.payer", "payer-not-allowed"),
        ({"role": AccountRole.WRITE_OFF}, "$.reason", "type"),
        ({"role": AccountRole.CASH, "reason": WriteOffReason.CHARITY}, "$.reason",
         "reason-not-allowed"),
        ({"role": "cash"}, "$.role", "type"),
    ],
)
def test_account_refuses_inconsistent_fields(kwargs: dict[str, object], path: str,
                                             rule: str) -> None:
    """A payer only on A/R payer accounts, a reason only (and always) on write-offs."""
    with pytest.raises(ValidationError) as err:
        Account(**kwargs)  # type: ignore[arg-type]
    assert (err.value.path, err.value.rule) == (path, rule)


@pytest.mark.parametrize("key", ["", "ar:payer:", "write_off:lost", "bank", "ar:payer:A"])
def test_account_parse_refuses_unknown_keys(key: str) -> None:
    """An unknown key is a ValidationError, not a guess."""
    with pytest.raises(ValidationError):
        Account.parse(key)


def test_account_parse_refuses_non_text() -> None:
    """Parsing takes text only."""
    with pytest.raises(TypeMismatch):
        Account.parse(5)  # type: ignore[arg-type]


# -- transfers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "path", "rule"),
    [
        ({"amount": m("-5.00")}, "$.amount", "positive"),
        ({"amount": m("0.00")}, "$.amount", "positive"),
        ({"credit": AR_ACME}, "$.credit", "same-account"),
        ({"code": TransferCode.REVERSAL}, "$.reverses", "reversal-link"),
        ({"reverses": TransferId("c0")}, "$.reverses", "reversal-link"),
        ({"code": TransferCode.REVERSAL, "reverses": TransferId("c1")}, "$.reverses",
         "self-reversal"),
        ({"reason": CARC("45")}, "$.group", "reason-without-group"),
        ({"line": 0}, "$.line", "range"),
        ({"encounter": ""}, "$.encounter", "empty"),
        ({"trace": "x" * 51}, "$.trace", "length"),
        ({"on": "2026-01-05"}, "$.on", "type"),
        ({"amount": 5}, "$.amount", "type"),
        ({"code": "charge"}, "$.code", "type"),
        ({"group": "CO"}, "$.group", "type"),
    ],
)
def test_transfer_refuses_bad_values(changes: dict[str, object], path: str, rule: str) -> None:
    """A negative or zero amount, one account on both sides, a dangling reversal link, ...
    are refused with the field's path and the rule."""
    with pytest.raises(ValidationError) as err:
        attrs.evolve(CHARGE, **changes)  # type: ignore[arg-type]
    assert (err.value.path, err.value.rule) == (path, rule)


def test_transfer_repr_hides_the_patient() -> None:
    """The medical record number never shows in a transfer's repr."""
    assert "MRN00042" not in repr(PR1)
    assert "0042" not in repr(PR1)


def test_reversal_of_mirrors_the_original() -> None:
    """A reversal swaps the accounts, keeps the references and names the original."""
    back = reversal_of(PAYMENT, id=TransferId("p1-r"), on=date(2026, 6, 1))
    assert (back.debit, back.credit, back.amount) == (AR_ACME, CASH, m("120.00"))
    assert back.code is TransferCode.REVERSAL and back.reverses == PAYMENT.id
    assert (back.patient, back.encounter, back.claim, back.trace) == (
        MRN, EncounterId("E1"), CLAIM, "TRN-7"
    )
    part = reversal_of(PAYMENT, id=TransferId("p1-r2"), on=date(2026, 6, 1),
                       amount=m("20.00"), trace="TRN-8")
    assert (part.amount, part.trace) == (m("20.00"), "TRN-8")


# -- posting ----------------------------------------------------------------------------------


def test_a_full_cycle_balances_to_the_cent() -> None:
    """Charge 200, payer pays 120, CO-45 50, PR-1 30, patient pays 20, 10 written off."""
    ledger = Ledger.from_transfers(CYCLE)
    assert len(ledger) == 6
    assert ledger.balance(AR_ACME) == m("0.00")
    assert ledger.balance(AR_PAT) == m("0.00")
    assert ledger.balance(CASH) == m("140.00")
    assert ledger.balance(REV) == m("200.00")
    assert ledger.balance(CONTRA) == m("50.00")
    assert ledger.balance(Account.write_off(WriteOffReason.SMALL_BALANCE)) == m("10.00")
    assert ledger.balance(OTHER) == m("0.00")
    assert ledger.totals() == Totals(m("200.00"), m("200.00"))
    assert dict(ledger.balances()) == {
        AR_ACME: m("0.00"), AR_PAT: m("0.00"), CASH: m("140.00"), CONTRA: m("50.00"),
        REV: m("200.00"), Account.write_off(WriteOffReason.SMALL_BALANCE): m("10.00"),
    }


def test_balances_partway_through_the_cycle() -> None:
    """After the remittance the payer owes nothing and the patient owes the 30.00 PR-1."""
    ledger = Ledger.from_transfers(CYCLE[:4])
    assert ledger.balance(AR_ACME) == m("0.00")
    assert ledger.balance(AR_PAT) == m("30.00")
    assert ledger.balance(AR_PAT, patient=MRN) == m("30.00")
    assert ledger.balance(AR_PAT, encounter="E1") == m("30.00")
    assert ledger.balance(AR_PAT, claim=CLAIM) == m("30.00")
    assert ledger.balance(AR_PAT, encounter="E2") == m("0.00")
    assert ledger.balance(REV, claim=ClaimId("OTHER")) == m("0.00")


def test_encounter_summary_accounts_for_every_cent() -> None:
    """The summary splits the 200.00 charge into paid, adjusted, written off and open."""
    ledger = Ledger.from_transfers(CYCLE)
    summary = ledger.encounter_summary("E1")
    assert summary == EncounterSummary(
        encounter="E1",
        charges=m("200.00"),
        payer_paid=m("120.00"),
        patient_paid=m("20.00"),
        adjustments=(AdjustmentTotal(group=CO, reason=CARC("45"), amount=m("50.00")),),
        patient_responsibility=(AdjustmentTotal(group=PR, reason=CARC("1"),
                                                amount=m("30.00")),),
        write_offs=(WriteOffTotal(WriteOffReason.SMALL_BALANCE, m("10.00")),),
        payer_balances=(PayerBalance(ACME, m("0.00")),),
        patient_balance=m("0.00"),
        patient_credit=m("0.00"),
    )
    assert summary.adjusted == m("50.00")
    assert summary.written_off == m("10.00")
    assert summary.outstanding == m("0.00")
    assert summary.charges == (summary.payer_paid + summary.patient_paid + summary.adjusted
                               + summary.written_off + summary.outstanding)


def test_encounter_summary_with_secondary_overpayment_and_refund() -> None:
    """COB to a secondary payer, a patient overpayment held as credit and refunded."""
    credit = Account.patient_credit()
    refunds = Account.refunds_payable()
    transfers = [
        *CYCLE[:4],
        # The secondary payer takes over the 30.00 patient responsibility and pays 25.00.
        tr("x1", AR_BETA, AR_PAT, "30.00", TransferCode.COB_TRANSFER),
        tr("x2", CASH, AR_BETA, "25.00", TransferCode.PAYER_PAYMENT),
        tr("x3", OTHER, AR_BETA, "5.00", TransferCode.OTHER_ADJUSTMENT, group=OA,
           reason=CARC("23")),
        # The patient pays 15.00 that nobody owes: a credit, refunded later.
        tr("x4", CASH, credit, "15.00", TransferCode.PATIENT_PAYMENT),
        tr("x5", credit, refunds, "15.00", TransferCode.REFUND),
        tr("x6", refunds, CASH, "10.00", TransferCode.REFUND),
    ]
    ledger = Ledger.from_transfers(transfers)
    summary = ledger.encounter_summary("E1")
    assert summary.charges == m("200.00")
    assert summary.payer_paid == m("145.00")
    assert summary.patient_paid == m("5.00")
    assert summary.adjustments == (
        AdjustmentTotal(group=CO, reason=CARC("45"), amount=m("50.00")),
        AdjustmentTotal(group=OA, reason=CARC("23"), amount=m("5.00")),
    )
    assert summary.payer_balances == (PayerBalance(ACME, m("0.00")),
                                      PayerBalance(BETA, m("0.00")))
    assert summary.patient_credit == m("5.00")  # 5.00 of the refund is still to pay out
    assert summary.outstanding == m("-5.00")
    assert summary.charges == (summary.payer_paid + summary.patient_paid + summary.adjusted
                               + summary.written_off + summary.outstanding)


def test_encounter_summary_of_a_reversed_payment() -> None:
    """A reversed payment and adjustment net to zero under their original group and reason."""
    ledger = Ledger.from_transfers([
        CHARGE, PAYMENT, CO45,
        reversal_of(PAYMENT, id=TransferId("p1-r"), on=date(2026, 4, 1)),
        # A reversal posted without group and reason takes its original's.
        attrs.evolve(reversal_of(CO45, id=TransferId("a1-r"), on=date(2026, 4, 1)),
                     group=None, reason=None),
        PR1,
    ])
    summary = ledger.encounter_summary("E1")
    assert summary.payer_paid == m("0.00")
    assert summary.adjustments == (
        AdjustmentTotal(group=CO, reason=CARC("45"), amount=m("0.00")),
    )
    assert summary.payer_balances == (PayerBalance(ACME, m("170.00")),)
    assert summary.patient_balance == m("30.00")


def test_encounter_summary_reversal_of_patient_responsibility_and_ungrouped() -> None:
    """A reversed PR counts against PR; adjustments without a group count as CO or OA."""
    ledger = Ledger.from_transfers([
        CHARGE, PR1,
        reversal_of(PR1, id=TransferId("r1-r"), on=date(2026, 4, 1), amount=m("10.00")),
        tr("u1", CONTRA, AR_ACME, "7.00", TransferCode.CONTRACTUAL),
        tr("u2", OTHER, AR_ACME, "3.00", TransferCode.OTHER_ADJUSTMENT),
        tr("u3", AR_ACME, REV, "1.00", TransferCode.CHARGE),
        tr("u4", REV, AR_ACME, "1.00", TransferCode.CHARGE),
    ])
    summary = ledger.encounter_summary("E1")
    assert summary.patient_responsibility == (
        AdjustmentTotal(group=PR, reason=CARC("1"), amount=m("20.00")),
    )
    assert summary.adjustments == (
        AdjustmentTotal(group=CO, reason=None, amount=m("7.00")),
        AdjustmentTotal(group=OA, reason=None, amount=m("3.00")),
    )
    assert summary.charges == m("200.00")
    assert summary.patient_balance == m("20.00")
    assert summary.payers_owe == m("170.00")


def test_encounter_summary_of_an_unknown_encounter_is_empty() -> None:
    """An encounter with no transfers has zero everywhere."""
    summary = Ledger.from_transfers(CYCLE).encounter_summary("NOPE")
    assert summary.charges == summary.outstanding == m("0.00")
    assert summary.adjustments == ()
    assert summary.payer_balances == ()


def test_posting_the_same_transfer_again_changes_nothing() -> None:
    """Idempotent by id: the same transfer again hands back the same ledger."""
    ledger = Ledger.from_transfers(CYCLE)
    assert post(ledger, PAYMENT) is ledger
    assert post(ledger, *CYCLE) is ledger
    assert post(Ledger(), CHARGE, CHARGE) == post(Ledger(), CHARGE)
    assert len(post(Ledger(), CHARGE, CHARGE)) == 1


def test_a_reused_id_with_other_content_is_refused() -> None:
    """The same id with another amount is a DuplicateTransfer; the ledger is unchanged."""
    ledger = Ledger.from_transfers(CYCLE[:2])
    changed = attrs.evolve(PAYMENT, amount=m("121.00"))
    with pytest.raises(DuplicateTransfer) as err:
        post(ledger, changed)
    assert err.value.transfer_id == "p1"
    assert "already posted" in str(err.value)
    with pytest.raises(DuplicateTransfer):
        post(Ledger(), PAYMENT, changed)
    assert ledger.transfers() == CYCLE[:2]
    assert ledger.balance(CASH) == m("120.00")


def test_posting_is_all_or_nothing() -> None:
    """One bad transfer in a batch posts none of them."""
    ledger = Ledger.from_transfers([CHARGE])
    bad = attrs.evolve(CHARGE, amount=m("1.00"))
    with pytest.raises(DuplicateTransfer):
        post(ledger, PAYMENT, CO45, bad)
    assert len(ledger) == 1
    assert ledger.balance(AR_ACME) == m("200.00")
    # The ledger still takes the good transfers afterwards.
    assert post(ledger, PAYMENT, CO45).balance(AR_ACME) == m("30.00")


def test_posting_refuses_what_is_not_a_transfer() -> None:
    """Posting anything but Transfers is a TypeMismatch naming its place."""
    with pytest.raises(TypeMismatch) as err:
        post(Ledger(), CHARGE, "payment")  # type: ignore[arg-type]
    assert err.value.path == "$.transfers[1]"
    with pytest.raises(TypeMismatch):
        post([], CHARGE)  # type: ignore[arg-type]


def test_posting_refuses_another_currency() -> None:
    """A ledger holds one currency."""
    euros = attrs.evolve(CHARGE, amount=Money(Decimal("5.00"), "EUR"))
    with pytest.raises(PostingError, match="EUR"):
        post(Ledger(), euros)
    assert Ledger(currency="EUR").currency == "EUR"
    assert len(post(Ledger(currency="EUR"), euros)) == 1
    with pytest.raises(ValidationError):
        Ledger(currency="euro")


def test_old_versions_stay_unchanged() -> None:
    """Posting returns a new ledger: every earlier version keeps its transfers and balances."""
    empty = Ledger()
    one = post(empty, CHARGE)
    two = post(one, PAYMENT)
    three = post(two, CO45)
    assert (len(empty), len(one), len(two), len(three)) == (0, 1, 2, 3)
    assert empty.balance(AR_ACME) == m("0.00")
    assert one.balance(AR_ACME) == m("200.00")
    assert two.balance(AR_ACME) == m("80.00")
    assert three.balance(AR_ACME) == m("30.00")
    assert two.balance(AR_ACME, encounter="E1") == m("80.00")
    assert PAYMENT.id not in one and PAYMENT.id in two
    assert one.get(PAYMENT.id) is None and two.get(PAYMENT.id) == PAYMENT
    assert one.transfers() == (CHARGE,)
    assert one.transfers(account=CASH) == ()
    assert dict(one.balances()) == {AR_ACME: m("200.00"), REV: m("200.00")}
    assert one.totals() == Totals(m("200.00"), m("200.00"))
    assert empty.encounter_summary("E1").payer_balances == ()


def test_posting_to_an_old_version_forks() -> None:
    """Posting to an older version makes a new branch; the newer version is untouched."""
    one = post(Ledger(), CHARGE)
    two = post(one, PAYMENT)
    branch = post(one, CO45)
    assert branch.transfers() == (CHARGE, CO45)
    assert two.transfers() == (CHARGE, PAYMENT)
    assert branch.balance(AR_ACME) == m("150.00")
    assert two.balance(AR_ACME) == m("80.00")
    assert one.balance(AR_ACME) == m("200.00")
    # Both branches grow on independently.
    assert post(two, CO45).balance(AR_ACME) == m("30.00")
    assert post(branch, PAYMENT).balance(AR_ACME) == m("30.00")
    # Same transfers in another order: a different ledger.
    assert post(branch, PAYMENT) != post(two, CO45)
    # The same transfer id means the same thing in both branches.
    with pytest.raises(DuplicateTransfer):
        post(branch, attrs.evolve(CO45, amount=m("1.00")))


def test_reversals_move_money_back() -> None:
    """A full reversal restores the balances; partial ones never exceed the original."""
    ledger = Ledger.from_transfers([CHARGE, PAYMENT])
    half = reversal_of(PAYMENT, id=TransferId("p1-r1"), on=date(2026, 4, 1), amount=m("60.00"))
    rest = reversal_of(PAYMENT, id=TransferId("p1-r2"), on=date(2026, 4, 1), amount=m("60.00"))
    after = post(ledger, half, rest)
    assert after.balance(AR_ACME) == m("200.00")
    assert after.balance(CASH) == m("0.00")
    more = reversal_of(PAYMENT, id=TransferId("p1-r3"), on=date(2026, 4, 1), amount=m("0.01"))
    with pytest.raises(PostingError, match="already reversed"):
        post(after, more)
    with pytest.raises(PostingError, match="already reversed"):
        post(ledger, half, rest, more)
    # A reversal may reverse a transfer of the same batch.
    assert post(Ledger(), CHARGE, PAYMENT, half).balance(CASH) == m("60.00")


def test_bad_reversals_are_refused() -> None:
    """A reversal of nothing, one that does not mirror, or one with other references."""
    ledger = Ledger.from_transfers([CHARGE, PAYMENT])
    back = reversal_of(PAYMENT, id=TransferId("p1-r"), on=date(2026, 4, 1))
    with pytest.raises(PostingError, match="not posted"):
        post(Ledger(), back)
    with pytest.raises(PostingError, match="moves the money back"):
        post(ledger, attrs.evolve(back, debit=AR_BETA))
    with pytest.raises(PostingError, match="keeps the patient"):
        post(ledger, attrs.evolve(back, encounter="E9"))
    assert len(ledger) == 2


def test_transfers_are_filtered() -> None:
    """transfers() filters by account, reference, code, trace and dates, in posting order."""
    other = tr("o1", AR_BETA, REV, "75.00", TransferCode.CHARGE, encounter="E2",
               on=date(2026, 2, 1))
    ledger = Ledger.from_transfers([*CYCLE, other])
    assert ledger.transfers() == (*CYCLE, other)
    assert ledger.transfers(account=REV) == (CHARGE, other)
    assert ledger.transfers(encounter="E2") == (other,)
    assert ledger.transfers(encounter="E1", account=AR_PAT) == (PR1, PATIENT_PAYS, SMALL)
    assert ledger.transfers(patient=MRN, code=TransferCode.CHARGE) == (CHARGE, other)
    assert ledger.transfers(claim=CLAIM, trace="TRN-7") == (PAYMENT, CO45, PR1)
    assert ledger.transfers(since=date(2026, 3, 3)) == (PATIENT_PAYS, SMALL)
    assert ledger.transfers(until=date(2026, 2, 1)) == (CHARGE, other)
    assert ledger.transfers(encounter="NONE") == ()
    assert list(ledger) == [*CYCLE, other]


def test_balance_takes_one_reference_at_most() -> None:
    """A balance per patient, encounter or claim: one of them at a time."""
    ledger = Ledger.from_transfers(CYCLE)
    with pytest.raises(ValidationError) as err:
        ledger.balance(AR_PAT, patient=MRN, encounter="E1")
    assert err.value.rule == "one-reference"
    with pytest.raises(TypeMismatch):
        ledger.balance("cash")  # type: ignore[arg-type]


def test_ledger_is_immutable_and_round_trips_as_its_transfers() -> None:
    """No attribute can be set; pickling, copying and from_transfers give an equal ledger."""
    ledger = Ledger.from_transfers(CYCLE)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ledger._length = 0
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        del ledger._length
    assert pickle.loads(pickle.dumps(ledger)) == ledger  # noqa: S301 - our own bytes
    assert copy.deepcopy(ledger) == ledger
    rebuilt = Ledger.from_transfers(ledger.transfers())
    assert rebuilt == ledger and hash(rebuilt) == hash(ledger)
    assert rebuilt != Ledger.from_transfers(CYCLE[:5])
    assert Ledger.from_transfers(CYCLE[1:2]) != Ledger.from_transfers(CYCLE[2:3])
    assert ledger != Ledger(currency="EUR")
    assert ledger != CYCLE
    assert repr(ledger) == "<Ledger of 6 transfers in USD>"
    assert "MRN" not in repr(ledger)


def test_balances_beyond_64_bits_stay_exact() -> None:
    """Running totals past 2**63 cents switch to Python ints without losing a cent."""
    biggest = m("9999999999999.99")
    ledger = Ledger.from_transfers(
        Transfer(id=TransferId(f"big-{i}"), debit=AR_PAT, credit=REV, amount=biggest,
                 on=date(2026, 1, 1), code=TransferCode.CHARGE)
        for i in range(9_300)
    )
    expected = Money._trusted(biggest.amount * 9_300)
    assert ledger.balance(AR_PAT) == ledger.balance(REV) == expected
    totals = ledger.totals()
    assert totals.debits == totals.credits
    assert Ledger.from_transfers(ledger.transfers()[:10]).balance(AR_PAT) == Money._trusted(
        biggest.amount * 10
    )


# -- aging ------------------------------------------------------------------------------------


def test_aging_applies_credits_first_in_first_out() -> None:
    """Payments pay the oldest charges first; the rest ages from its charge date."""
    ledger = Ledger.from_transfers([
        tr("c1", AR_ACME, REV, "100.00", TransferCode.CHARGE, on=date(2026, 1, 1)),
        tr("c2", AR_ACME, REV, "50.00", TransferCode.CHARGE, on=date(2026, 2, 15)),
        tr("p1", CASH, AR_ACME, "120.00", TransferCode.PAYER_PAYMENT, on=date(2026, 3, 1)),
        tr("c3", AR_BETA, REV, "80.00", TransferCode.CHARGE, on=date(2026, 1, 10),
           encounter="E2"),
        # Patient responsibility moved on 1 March ages from the encounter's charge date.
        tr("r1", AR_PAT, AR_ACME, "20.00", TransferCode.PATIENT_RESPONSIBILITY,
           on=date(2026, 3, 1)),
        # After as_of: ignored.
        tr("p2", CASH, AR_BETA, "80.00", TransferCode.PAYER_PAYMENT, on=date(2026, 4, 2),
           encounter="E2"),
    ])
    report = ledger.aging(date(2026, 3, 31))
    zero = m("0.00")
    assert report.labels == ("0-30", "31-60", "61-90", "91-120", "over 120")
    assert report.rows == (
        AgingRow(account=AR_PAT, amounts=(zero, zero, m("20.00"), zero, zero), unapplied=zero),
        AgingRow(account=AR_ACME, amounts=(zero, m("10.00"), zero, zero, zero),
                 unapplied=zero),
        AgingRow(account=AR_BETA, amounts=(zero, zero, m("80.00"), zero, zero),
                 unapplied=zero),
    )
    assert report.totals() == (zero, m("10.00"), m("100.00"), zero, zero)
    # Each row's total is the account's balance as of that date.
    as_of = Ledger.from_transfers(ledger.transfers(until=date(2026, 3, 31)))
    assert [row.total for row in report.rows] == [m("20.00"), m("10.00"), m("80.00")]
    assert [as_of.balance(row.account) for row in report.rows] == [
        row.total for row in report.rows
    ]
    assert report.row(Account.ar_payer(PayerId("NOPE"))) is None
    later = ledger.aging(date(2026, 4, 30))
    assert later.row(AR_BETA) == AgingRow(
        account=AR_BETA, amounts=(zero,) * 5, unapplied=zero
    )


def test_aging_reports_unapplied_credit_and_encounterless_items() -> None:
    """An overpayment is unapplied credit; items without an encounter age from their date."""
    ledger = Ledger.from_transfers([
        tr("c1", AR_PAT, REV, "40.00", TransferCode.CHARGE, on=date(2026, 1, 1),
           encounter=None),
        tr("p1", CASH, AR_PAT, "55.00", TransferCode.PATIENT_PAYMENT, on=date(2026, 1, 20),
           encounter=None),
        tr("c2", AR_PAT, REV, "30.00", TransferCode.CHARGE, on=date(2026, 5, 1),
           encounter="E5"),
    ])
    report = ledger.aging(date(2026, 6, 15), AgingBuckets((30, 60)))
    row = report.row(AR_PAT)
    assert row == AgingRow(
        account=AR_PAT, amounts=(m("0.00"), m("30.00"), m("0.00")), unapplied=m("15.00")
    )
    assert row.total == ledger.balance(AR_PAT) == m("15.00")
    assert ledger.aging(date(2025, 12, 31)).rows == ()


def test_aging_values_check_themselves() -> None:
    """Aging rows hold receivables only, non-negative amounts, one amount per bucket."""
    zero = m("0.00")
    with pytest.raises(ValidationError) as err:
        AgingRow(account=CASH, amounts=(zero,), unapplied=zero)
    assert err.value.rule == "receivable"
    with pytest.raises(ValidationError) as err:
        AgingRow(account=AR_PAT, amounts=(m("-1.00"),), unapplied=zero)
    assert err.value.path == "$.amounts[0]"
    with pytest.raises(ValidationError) as err:
        AgingReport(as_of=date(2026, 1, 1), buckets=AgingBuckets((30,)),
                    rows=[AgingRow(account=AR_PAT, amounts=(zero,), unapplied=zero)])
    assert (err.value.path, err.value.rule) == ("$.rows[0].amounts", "bucket-count")


def test_summary_values_check_themselves() -> None:
    """Summary records refuse the wrong types and currencies."""
    with pytest.raises(TypeMismatch):
        AdjustmentTotal(group="CO", reason=None, amount=m("1.00"))  # type: ignore[arg-type]
    with pytest.raises(TypeMismatch):
        WriteOffTotal("charity", m("1.00"))  # type: ignore[arg-type]
    with pytest.raises(TypeMismatch):
        PayerBalance("ACME", m("1.00"))  # type: ignore[arg-type]
    with pytest.raises(TypeMismatch):
        Totals(m("1.00"), 1)  # type: ignore[arg-type]
    summary = Ledger.from_transfers(CYCLE).encounter_summary("E1")
    with pytest.raises(ValidationError) as err:
        attrs.evolve(summary, charges=Money(Decimal(1), "EUR"))
    assert (err.value.path, err.value.rule) == ("$.charges", "currency")
    with pytest.raises(TypeMismatch):
        attrs.evolve(summary, write_offs=[1])  # type: ignore[list-item]


# -- the fold by role ---------------------------------------------------------------------


def test_the_worked_cycle_folds_by_role() -> None:
    """CHARGE 200, paid 120, CO-45 50, PR-1 30, patient pays 20, 10 written off."""
    money = Ledger.from_transfers(CYCLE).balances_by_role(patient=MRN)
    assert (money.charges, money.cash, money.payer_paid, money.patient_paid) == (
        m("200.00"), m("140.00"), m("120.00"), m("20.00"))
    assert (money.adjusted, money.written_off, money.patient_written_off) == (
        m("50.00"), m("10.00"), m("10.00"))
    assert (money.payers_owe, money.patient_owes, money.credit, money.outstanding) == (
        m("0.00"), m("0.00"), m("0.00"), m("0.00"))
    assert money.adjustments == (AdjustmentTotal(group=CO, reason=CARC("45"),
                                                 amount=m("50.00")),)
    assert money.patient_responsibility == (AdjustmentTotal(group=PR, reason=CARC("1"),
                                                            amount=m("30.00")),)
    assert money.write_offs == (WriteOffTotal(WriteOffReason.SMALL_BALANCE, m("10.00")),)
    assert money.payer_balances == (PayerBalance(ACME, m("0.00")),)
    assert money.payers == (PayerActivity(payer=ACME, paid=m("120.00"), adjusted=m("50.00"),
                                          patient_responsibility=m("30.00"),
                                          transferred=m("0.00")),)
    assert money.service_on == date(2026, 1, 5)


def test_an_empty_selection_folds_to_zero() -> None:
    """Nothing selected: every amount is zero and there is no date of service."""
    money = Ledger.from_transfers(CYCLE).balances_by_role(encounter=EncounterId("E9"))
    assert money.charges.is_zero() and money.outstanding.is_zero()
    assert (money.payers, money.payer_balances, money.service_on) == ((), (), None)


def test_a_balance_passed_on_counts_for_the_payer_that_passed_it() -> None:
    """A COB transfer from ACME to BETA is ACME's `transferred`; BETA did nothing yet."""
    cob = tr("x1", AR_BETA, AR_ACME, "30.00", TransferCode.COB_TRANSFER)
    ledger = Ledger.from_transfers((CHARGE, cob))
    money = ledger.balances_by_role(encounter="E1")
    assert [(p.payer, p.transferred) for p in money.payers] == [(ACME, m("30.00"))]
    assert money.payer_balances == (PayerBalance(ACME, m("170.00")),
                                    PayerBalance(BETA, m("30.00")))
    back = post(ledger, reversal_of(cob, id=TransferId("x1-r"), on=date(2026, 4, 1)))
    assert [p.transferred for p in back.balances_by_role().payers] == [m("0.00")]


def test_balances_by_encounter_folds_each_encounter_once() -> None:
    """One fold per encounter, in order of first transfer; ``None`` for no encounter."""
    credit = tr("pc1", CASH, Account.patient_credit(), "15.00", TransferCode.PATIENT_PAYMENT,
                encounter=None)
    ledger = Ledger.from_transfers((*CYCLE[:4], credit))
    by_encounter = ledger.balances_by_encounter(patient=MRN)
    assert list(by_encounter) == [EncounterId("E1"), None]
    assert by_encounter[EncounterId("E1")].patient_owes == m("30.00")
    assert by_encounter[None].patient_credit == m("15.00")
    assert by_encounter[None].patient_paid == m("15.00")
    assert ledger.balances_by_role(patient=MRN).credit == m("15.00")


def test_role_balances_refuse_another_currency() -> None:
    """Every amount of a RoleBalances is in its currency."""
    money = Ledger.from_transfers(CYCLE).balances_by_role()
    with pytest.raises(ValidationError) as err:
        attrs.evolve(money, cash=Money(Decimal(1), "EUR"))
    assert (err.value.path, err.value.rule) == ("$.cash", "currency")
    with pytest.raises(TypeMismatch):
        attrs.evolve(money, service_on="2026-01-05")  # type: ignore[arg-type]


def test_transfers_carry_their_payer_and_a_typed_encounter() -> None:
    """``payer`` finds a claim's postings by field; ``encounter`` is an EncounterId."""
    paid = attrs.evolve(PAYMENT, payer=ACME)
    ledger = Ledger.from_transfers((CHARGE, paid))
    assert paid.encounter == EncounterId("E1")
    assert ledger.transfers(claim=CLAIM, payer=ACME, trace="TRN-7") == (paid,)
    assert ledger.transfers(payer=BETA) == ()
    assert ledger.transfers(encounter="E1") == ledger.transfers(encounter=EncounterId("E1"))
    assert ledger.balance(AR_ACME, encounter="E1") == m("80.00")
    assert reversal_of(paid, id=TransferId("p1-r"), on=date(2026, 6, 1)).payer == ACME
    with pytest.raises(TypeMismatch) as err:
        attrs.evolve(PAYMENT, payer="ACME1")  # type: ignore[arg-type]
    assert err.value.path == "$.payer"
    with pytest.raises(ValidationError) as bad:
        ledger.transfers(encounter="not an id")
    assert bad.value.path == "$.encounter"
    with pytest.raises(TypeMismatch):
        ledger.balance(AR_ACME, encounter=1)  # type: ignore[arg-type]


def test_merge_keeps_order_and_refuses_conflicts() -> None:
    """Merging keeps each partition's order, a shared transfer once, and refuses the same
    id with other content, ledgers in two currencies, and what is not a ledger."""
    charge = tr("c1", AR_ACME, Account.gross_revenue(), "100.00", TransferCode.CHARGE)
    other = tr("c2", Account.ar_patient(), Account.gross_revenue(), "30.00",
               TransferCode.CHARGE)
    a, b = Ledger.from_transfers([charge]), Ledger.from_transfers([other])
    merged = Ledger.merge(a, b)
    assert [t.id.value for t in merged] == ["c1", "c2"]
    assert merged.balance(Account.gross_revenue()) == m("130.00")
    assert Ledger.merge(a, a) == a and Ledger.merge(a) is a
    assert len(Ledger.merge()) == 0
    clash = Ledger.from_transfers([attrs.evolve(other, id=TransferId("c1"))])
    with pytest.raises(DuplicateTransfer):
        Ledger.merge(a, clash)
    with pytest.raises(PostingError, match="EUR, USD"):
        Ledger.merge(a, Ledger(currency="EUR"))
    with pytest.raises(TypeMismatch, match=r"\$\.ledgers\[1\]"):
        Ledger.merge(a, [charge])  # type: ignore[arg-type]
