"""The patient's side of posting: payments, credits, refunds, write-offs, collections."""

from __future__ import annotations

import enum
from datetime import date

from claimcore._validate import a_date, instance, optional_instance, optional_text
from claimcore.errors import DuplicateTransfer, PostingError
from claimcore.ids import ClaimId, EncounterId, MedicalRecordNumber, PayerId
from claimcore.ledger import Account, Ledger, Transfer, TransferCode, WriteOffReason, post
from claimcore.money import Money, allocate
from claimcore.posting._common import (
    credit_balance,
    open_items,
    positive,
    reference,
    transfer_id,
)

__all__ = [
    "PatientPaymentMethod",
    "PaymentAllocation",
    "apply_credit",
    "collect_prepayment",
    "patient_credit",
    "post_patient_payment",
    "refund_credit",
    "send_to_collections",
    "write_off",
    "write_off_small_balances",
]


class PatientPaymentMethod(enum.StrEnum):
    """How the patient paid (kept in the transfer id, ``pt:<method>:<reference>:...``)."""

    CASH = "cash"
    CHECK = "check"
    CARD = "card"
    ACH = "ach"
    OTHER = "other"


class PaymentAllocation(enum.StrEnum):
    """How a patient payment is spread over the open items.

    ``oldest_first`` pays the oldest encounter (by date of service) in full before the
    next; ``proportional`` splits the payment over the open items in proportion to their
    balances, with :func:`~claimcore.money.allocate` (the parts sum to the payment).
    """

    OLDEST_FIRST = "oldest_first"
    PROPORTIONAL = "proportional"


def _start(
    ledger: Ledger, patient: MedicalRecordNumber, on: date, ref: object
) -> str:
    instance(ledger, Ledger, "$.ledger")
    instance(patient, MedicalRecordNumber, "$.patient")
    a_date(on, "$.on")
    return reference(ref)


def _encounter(value: EncounterId | str | None) -> str | None:
    """The encounter a caller names, as the text open items are keyed by (an
    :class:`~claimcore.ids.EncounterId` or, as before ids were typed, a ``str``)."""
    if isinstance(value, EncounterId):
        return value.value
    return optional_text(value, "$.encounter", max_len=64)


def _posted(ledger: Ledger, patient: MedicalRecordNumber, prefix: str) -> list[Transfer]:
    return [t for t in ledger.transfers(patient=patient) if t.id.value.startswith(prefix)]


def _replay(ledger: Ledger, done: list[Transfer], amount: Money, prefix: str) -> Ledger:
    """Posting idempotent by reference: the same reference and amount change nothing."""
    total = Money.zero(ledger.currency)
    for t in done:
        total = total + t.amount
    if total != amount:
        raise DuplicateTransfer(prefix + "*")
    return ledger


def _sweep(
    ledger: Ledger, patient: MedicalRecordNumber, on: date, prefix: str
) -> list[Transfer]:
    """Move negative A/R patient balances (overpaid encounters) into patient credit."""
    out: list[Transfer] = []
    for n, (_, encounter, balance) in enumerate(open_items(ledger, patient), 1):
        if balance.is_negative():
            out.append(Transfer(
                id=transfer_id(f"{prefix}sweep.{n}"), debit=Account.ar_patient(),
                credit=Account.patient_credit(), amount=-balance, on=on,
                code=TransferCode.CREDIT_APPLIED, patient=patient, encounter=encounter,
            ))
    return out


def patient_credit(ledger: Ledger, patient: MedicalRecordNumber) -> Money:
    """Everything owed back to the patient: the credit account and overpaid encounters."""
    instance(ledger, Ledger, "$.ledger")
    instance(patient, MedicalRecordNumber, "$.patient")
    total = Money.zero(ledger.currency)
    for item in ledger.balances_by_encounter(patient=patient).values():
        total = total + item.patient_credit
        if item.patient_owes.is_negative():
            total = total - item.patient_owes
    return total


def _spread(
    ledger: Ledger,
    patient: MedicalRecordNumber,
    amount: Money,
    allocation: PaymentAllocation,
    encounter: str | None,
) -> list[tuple[str | None, Money]]:
    items = [(enc, bal) for _, enc, bal in open_items(ledger, patient) if bal.is_positive()]
    if encounter is not None:
        items = [(enc, bal) for enc, bal in items if enc == encounter]
    if not items:
        return []
    total = Money.zero(amount.currency)
    for _, bal in items:
        total = total + bal
    if allocation is PaymentAllocation.PROPORTIONAL:
        parts = allocate(min(amount, total), [bal for _, bal in items])
        return [(enc, part) for (enc, _), part in zip(items, parts, strict=True) if part]
    out: list[tuple[str | None, Money]] = []
    left = amount
    for enc, bal in items:
        if not left.is_positive():
            break
        part = min(left, bal)
        out.append((enc, part))
        left = left - part
    return out


def post_patient_payment(
    ledger: Ledger,
    *,
    patient: MedicalRecordNumber,
    amount: Money,
    on: date,
    reference: str,
    method: PatientPaymentMethod = PatientPaymentMethod.CARD,
    allocation: PaymentAllocation = PaymentAllocation.OLDEST_FIRST,
    encounter: EncounterId | str | None = None,
) -> Ledger:
    """Post a patient payment: debit cash, credit A/R patient, over the open items.

    The payment goes to the patient's open items (encounters with a balance) oldest first,
    or proportionally (``allocation``), or to one ``encounter``. Whatever is left after
    every open item is paid becomes patient credit (a liability), to apply to a later
    balance (:func:`apply_credit`) or refund (:func:`refund_credit`). Transfer ids are
    ``pt:<method>:<reference>:<n>``: the same reference and amount again change nothing;
    the same reference with another amount raises
    :class:`~claimcore.errors.DuplicateTransfer`.
    """
    ref = _start(ledger, patient, on, reference)
    instance(method, PatientPaymentMethod, "$.method")
    instance(allocation, PaymentAllocation, "$.allocation")
    encounter = _encounter(encounter)
    positive(amount, "amount")
    prefix = f"pt:{method.value}:{ref}:"
    done = _posted(ledger, patient, prefix)
    if done:
        return _replay(ledger, done, amount, prefix)
    out: list[Transfer] = []
    left = amount
    for n, (enc, part) in enumerate(_spread(ledger, patient, amount, allocation, encounter), 1):
        left = left - part
        out.append(Transfer(
            id=transfer_id(f"{prefix}{n}"), debit=Account.cash(), credit=Account.ar_patient(),
            amount=part, on=on, code=TransferCode.PATIENT_PAYMENT, patient=patient,
            encounter=enc,
        ))
    if left.is_positive():
        out.append(Transfer(
            id=transfer_id(f"{prefix}credit"), debit=Account.cash(),
            credit=Account.patient_credit(), amount=left, on=on,
            code=TransferCode.PATIENT_PAYMENT, patient=patient, encounter=encounter,
        ))
    return post(ledger, *out)


def collect_prepayment(
    ledger: Ledger,
    *,
    patient: MedicalRecordNumber,
    amount: Money,
    on: date,
    reference: str,
    encounter: EncounterId | str | None = None,
    method: PatientPaymentMethod = PatientPaymentMethod.CARD,
) -> Ledger:
    """Take a copay or deposit at the desk before the payer has answered.

    The money is held as patient credit (debit cash, credit patient credit) for
    ``encounter``; :func:`~claimcore.posting.post_remittance` applies it when the
    patient's responsibility posts, and :func:`apply_credit` applies it by hand.
    """
    ref = _start(ledger, patient, on, reference)
    instance(method, PatientPaymentMethod, "$.method")
    encounter = _encounter(encounter)
    positive(amount, "amount")
    return post(ledger, Transfer(
        id=transfer_id(f"pre:{method.value}:{ref}"), debit=Account.cash(),
        credit=Account.patient_credit(), amount=amount, on=on,
        code=TransferCode.PATIENT_PAYMENT, patient=patient, encounter=encounter,
    ))


def apply_credit(
    ledger: Ledger,
    *,
    patient: MedicalRecordNumber,
    on: date,
    reference: str,
    encounter: EncounterId | str | None = None,
    amount: Money | None = None,
) -> Ledger:
    """Apply the patient's credit to open items (oldest first, or one ``encounter``).

    Overpaid encounters (a negative patient balance, e.g. after a payer's correction) are
    first moved into patient credit, then the credit (all of it, or ``amount``) pays open
    items: debit patient credit, credit A/R patient. Credit that no open item needs stays
    as credit. Ids: ``cr:<reference>:...``.
    """
    ref = _start(ledger, patient, on, reference)
    encounter = _encounter(encounter)
    prefix = f"cr:{ref}:"
    if _posted(ledger, patient, prefix):
        return ledger
    swept = _sweep(ledger, patient, on, prefix)
    staged = post(ledger, *swept)
    available = credit_balance(staged, patient)
    if amount is not None:
        positive(amount, "amount")
        if amount > available:
            raise PostingError(f"the patient has {available} of credit; cannot apply {amount}")
        available = amount
    out = list(swept)
    if available.is_positive():
        spread = _spread(staged, patient, available, PaymentAllocation.OLDEST_FIRST, encounter)
        for n, (enc, part) in enumerate(spread, 1):
            out.append(Transfer(
                id=transfer_id(f"{prefix}{n}"), debit=Account.patient_credit(),
                credit=Account.ar_patient(), amount=part, on=on,
                code=TransferCode.CREDIT_APPLIED, patient=patient, encounter=enc,
            ))
    return post(ledger, *out)


def refund_credit(
    ledger: Ledger,
    *,
    patient: MedicalRecordNumber,
    on: date,
    reference: str,
    amount: Money | None = None,
) -> Ledger:
    """Refund the patient's credit (all of it, or ``amount``): debit credit, credit cash.

    Overpaid encounters are first moved into patient credit. Refunding more than the
    patient's credit raises :class:`~claimcore.errors.PostingError`. Id: ``rf:<reference>``.
    """
    ref = _start(ledger, patient, on, reference)
    prefix = f"rf:{ref}:"
    done = _posted(ledger, patient, prefix)
    if done:
        return ledger
    swept = _sweep(ledger, patient, on, prefix)
    available = credit_balance(post(ledger, *swept), patient)
    if amount is None:
        amount = available
        if not amount.is_positive():
            raise PostingError("the patient has no credit to refund")
    positive(amount, "amount")
    if amount > available:
        raise PostingError(f"the patient has {available} of credit; cannot refund {amount}")
    return post(ledger, *swept, Transfer(
        id=transfer_id(f"{prefix}refund"), debit=Account.patient_credit(),
        credit=Account.cash(), amount=amount, on=on, code=TransferCode.REFUND,
        patient=patient,
    ))


def write_off(
    ledger: Ledger,
    *,
    patient: MedicalRecordNumber,
    encounter: EncounterId | str | None,
    reason: WriteOffReason,
    on: date,
    reference: str,
    amount: Money | None = None,
    payer: PayerId | None = None,
    claim: ClaimId | None = None,
) -> Ledger:
    """Write off a balance for ``reason``: debit the reason's write-off account, credit A/R.

    By default the patient's balance on ``encounter``; with ``payer`` (and ``claim``),
    what that payer still owes on the claim, e.g. a denial that will not be appealed.
    ``amount`` defaults to the whole balance and may not exceed it. Reasons: small
    balance, bad debt (an expense), charity care, prompt-pay discount, administrative.
    Id: ``wo:<reason>:<reference>``.
    """
    ref = _start(ledger, patient, on, reference)
    instance(reason, WriteOffReason, "$.reason")
    encounter = _encounter(encounter)
    ident = transfer_id(f"wo:{reason.value}:{ref}")
    if ident in ledger:
        return ledger
    optional_instance(claim, ClaimId, "$.claim")
    if payer is not None:
        ar = Account.ar_payer(instance(payer, PayerId, "$.payer"))
        balance = (ledger.balance(ar, claim=claim) if claim is not None
                   else ledger.balance(ar, encounter=encounter) if encounter is not None
                   else ledger.balance(ar, patient=patient))
    else:
        ar = Account.ar_patient()
        balance = next(
            (bal for _, enc, bal in open_items(ledger, patient) if enc == encounter),
            Money.zero(ledger.currency),
        )
    if amount is None:
        amount = balance
    if not amount.is_positive() or amount > balance:
        raise PostingError(
            f"the balance is {balance}; cannot write off {amount}"
        )
    return post(ledger, Transfer(
        id=ident, debit=Account.write_off(reason), credit=ar, amount=amount, on=on,
        code=TransferCode.WRITE_OFF, patient=patient, encounter=encounter, claim=claim,
    ))


def write_off_small_balances(
    ledger: Ledger,
    *,
    patient: MedicalRecordNumber,
    threshold: Money,
    on: date,
    reference: str,
) -> Ledger:
    """Write off every open patient balance of at most ``threshold`` (small balance).

    Not worth a statement: a balance of a few cents after a rounding or a late
    adjustment. Ids: ``wo:small_balance:<reference>.<n>``.
    """
    ref = _start(ledger, patient, on, reference)
    instance(threshold, Money, "$.threshold")
    out: list[Transfer] = []
    reason = WriteOffReason.SMALL_BALANCE
    for n, (_, enc, bal) in enumerate(open_items(ledger, patient), 1):
        if bal.is_positive() and bal <= threshold:
            out.append(Transfer(
                id=transfer_id(f"wo:{reason.value}:{ref}.{n}"),
                debit=Account.write_off(reason), credit=Account.ar_patient(), amount=bal,
                on=on, code=TransferCode.WRITE_OFF, patient=patient, encounter=enc,
            ))
    return post(ledger, *out)


def send_to_collections(
    ledger: Ledger,
    *,
    patient: MedicalRecordNumber,
    on: date,
    reference: str,
    encounter: EncounterId | str | None = None,
) -> Ledger:
    """Hand the patient's open balances (or one encounter's) to a collection agency.

    The balances are written off as bad debt on placement (debit the bad-debt write-off,
    an expense; credit A/R patient), so the account's stage becomes ``in_collections``;
    what the agency recovers later posts as a patient payment. Ids:
    ``col:<reference>.<n>``. Raises :class:`~claimcore.errors.PostingError` when there is
    nothing open.
    """
    ref = _start(ledger, patient, on, reference)
    encounter = _encounter(encounter)
    reason = WriteOffReason.BAD_DEBT
    out = [
        Transfer(
            id=transfer_id(f"col:{ref}.{n}"), debit=Account.write_off(reason),
            credit=Account.ar_patient(), amount=bal, on=on, code=TransferCode.WRITE_OFF,
            patient=patient, encounter=enc,
        )
        for n, (_, enc, bal) in enumerate(open_items(ledger, patient), 1)
        if bal.is_positive() and (encounter is None or enc == encounter)
    ]
    if not out and not _posted(ledger, patient, f"col:{ref}."):
        raise PostingError("the patient has no open balance to send to collections")
    return post(ledger, *out)
