"""Helpers shared by the posting modules: transfer ids, references, line matching."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import date
from typing import Final

from claimcore._validate import instance, text
from claimcore.claims import Claim, ClaimLine
from claimcore.errors import PostingError
from claimcore.ids import ClaimId, MedicalRecordNumber, PayerId, TransferId
from claimcore.ledger import Account, Ledger, Transfer, TransferCode
from claimcore.money import Money
from claimcore.remittance import ServicePayment

_SAFE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
_REFERENCE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,59}")
_PAYER_KEY_MAX: Final = 24


def key(value: str, limit: int = 40) -> str:
    """``value`` when it is safe inside a transfer id (and short), else a stable digest."""
    if len(value) <= limit and _SAFE.fullmatch(value) is not None:
        return value
    return "h" + hashlib.sha256(value.encode()).hexdigest()[:20]


_CLAIM_KEEP: Final = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./-")


def claim_key(claim: ClaimId) -> str:
    """``claim`` as the part of a transfer id that names it: stable and injective.

    A claim id claimcore submits (:meth:`~claimcore.ids.ClaimId.is_submittable`) is
    itself, so the transfers of such claims keep the ids earlier versions gave them
    (posting is idempotent by id). Any other id (a payer's ``CLP01`` with spaces, ``#`` or
    ``:``, which separate the parts of a transfer id) is ``_`` and the id with each
    character outside letters, digits and ``. / -`` written as ``_`` and two hex digits
    (``PCN 1`` gives ``_PCN_201``). The three forms never meet: a submittable id starts
    with a letter or digit, an escaped one with ``_`` and a digest (an escape longer than
    40 characters) with ``-``.

    >>> claim_key(ClaimId("PCN-1")), claim_key(ClaimId("PCN 1#2"))
    ('PCN-1', '_PCN_201_232')
    >>> claim_key(ClaimId("PCN 1 PCN 2 PCN 3 PCN 4 PCN 5"))  # escaped, 45 characters
    '-b2fe42434ad818e016eb9880'
    """
    value = claim.value
    if claim.is_submittable():
        return value
    escaped = "_" + "".join(ch if ch in _CLAIM_KEEP else f"_{ord(ch):02X}" for ch in value)
    if len(escaped) <= 40:
        return escaped
    return "-" + hashlib.sha256(value.encode()).hexdigest()[:24]


def payer_key(payer: PayerId) -> str:
    return key(payer.value, _PAYER_KEY_MAX)


def reference(value: object, path: str = "$.reference") -> str:
    """A caller's reference for a patient-side posting (receipt number, batch id)."""
    return text(value, path, pattern=_REFERENCE,
                expected="1 to 60 letters, digits or . _ - (a receipt or batch number)")


def transfer_id(value: str) -> TransferId:
    return TransferId(value)


def positive(amount: Money, what: str) -> Money:
    instance(amount, Money, f"$.{what}")
    if not amount.is_positive():
        raise PostingError(f"{what} must be positive, got {amount}")
    return amount


def directed(
    *,
    id: str,
    to: Account,
    source: Account,
    amount: Money,
    on: date,
    code: TransferCode,
    **refs: object,
) -> Transfer | None:
    """A transfer moving ``amount`` from ``source`` to ``to``; a negative amount moves
    the other way (transfers are positive); zero gives no transfer."""
    if amount.is_zero():
        return None
    debit, credit = (to, source) if amount.is_positive() else (source, to)
    return Transfer(
        id=transfer_id(id), debit=debit, credit=credit, amount=abs(amount), on=on,
        code=code, **refs,  # type: ignore[arg-type]
    )


def open_items(
    ledger: Ledger, patient: MedicalRecordNumber
) -> list[tuple[date, str | None, Money]]:
    """The patient's encounters with their A/R patient balance and first date, oldest first.

    The date is the first charge's date (the date of service), else the first transfer's;
    both come from the ledger's fold by account role. An encounter is an item once a
    transfer touched its A/R patient balance (the items' numbers name transfer ids, so an
    encounter billed to payers only must not shift them).
    """
    touched = {t.encounter for t in ledger.transfers(patient=patient,
                                                     account=Account.ar_patient())}
    items = [
        (money.service_on, None if enc is None else enc.value, money.patient_owes)
        for enc, money in ledger.balances_by_encounter(patient=patient).items()
        if enc in touched and money.service_on is not None
    ]
    items.sort(key=lambda item: (item[0], item[1] or ""))
    return items


def credit_balance(ledger: Ledger, patient: MedicalRecordNumber) -> Money:
    """What the patient has on credit (prepayments, overpayments) in the credit account."""
    return ledger.balance(Account.patient_credit(), patient=patient)


def match_lines(
    claim: Claim, services: Sequence[ServicePayment]
) -> list[ClaimLine | None]:
    """The claim line each service payment pays, or ``None`` when none fits.

    Payers echo lines imperfectly, so each service is tried against the lines not yet
    taken, in this order: the line control number (``REF*6R``: the line's charge id or
    its number); procedure, modifiers and date; procedure and modifiers; procedure with
    the same charge (modifiers dropped by the payer); procedure alone; revenue code.
    """
    free = list(claim.lines)
    found: list[ClaimLine | None] = [None] * len(services)

    def by_ref(s: ServicePayment, line: ClaimLine) -> bool:
        ref = s.line_ref
        return ref is not None and (
            ref == line.charge_id or ref.lstrip("0") == str(line.line_number)
        )

    def exact(s: ServicePayment, line: ClaimLine) -> bool:
        return (
            s.procedure is not None and s.procedure == line.procedure
            and s.modifiers == line.modifiers
            and (s.service_period is None or s.service_period.start == line.from_date)
        )

    def code_mods(s: ServicePayment, line: ClaimLine) -> bool:
        return s.procedure is not None and s.procedure == line.procedure and (
            s.modifiers == line.modifiers
        )

    def code_charge(s: ServicePayment, line: ClaimLine) -> bool:
        return (s.procedure is not None and s.procedure == line.procedure
                and s.charge == line.charge)

    def code_only(s: ServicePayment, line: ClaimLine) -> bool:
        return s.procedure is not None and s.procedure == line.procedure

    def revenue(s: ServicePayment, line: ClaimLine) -> bool:
        return s.revenue_code is not None and s.revenue_code == line.revenue_code

    for rule in (by_ref, exact, code_mods, code_charge, code_only, revenue):
        for i, s in enumerate(services):
            if found[i] is not None:
                continue
            for line in free:
                if rule(s, line):
                    found[i] = line
                    free.remove(line)
                    break
    return found
