"""Transfers: one balanced money movement each, and the reversal that undoes one.

>>> from datetime import date
>>> from decimal import Decimal
>>> from claimcore.ids import PayerId, TransferId
>>> from claimcore.money import Money
>>> paid = Transfer(id=TransferId("p-1"), debit=Account.cash(),
...     credit=Account.ar_payer(PayerId("ACME1")), amount=Money(Decimal("80.00")),
...     on=date(2026, 3, 9), code=TransferCode.PAYER_PAYMENT, encounter="E1",
...     payer=PayerId("ACME1"), trace="TRN7")
>>> paid.encounter
EncounterId('E1')
>>> back = reversal_of(paid, id=TransferId("p-1r"), on=date(2026, 4, 1))
>>> (back.debit.key, back.credit.key, back.payer, back.reverses)
('ar:payer:ACME1', 'cash', PayerId('ACME1'), TransferId('p-1'))
"""

from __future__ import annotations

import enum
import sys
from datetime import date
from typing import Final

import attrs

from claimcore._validate import (
    a_date,
    an_int,
    instance,
    optional_instance,
    optional_text,
)
from claimcore.codes import CARC, AdjustmentGroup
from claimcore.errors import ValidationError
from claimcore.ids import (
    ClaimId,
    EncounterId,
    MedicalRecordNumber,
    PayerId,
    TransferId,
    as_encounter_id,
)
from claimcore.ledger._accounts import Account
from claimcore.money import Money

__all__ = ["Transfer", "TransferCode", "reversal_of"]


class TransferCode(enum.StrEnum):
    """What a transfer records, in the words of the revenue cycle."""

    CHARGE = "charge"
    PAYER_PAYMENT = "payer_payment"
    CONTRACTUAL = "contractual"
    OTHER_ADJUSTMENT = "other_adjustment"
    PATIENT_RESPONSIBILITY = "patient_responsibility"
    COB_TRANSFER = "cob_transfer"
    PATIENT_PAYMENT = "patient_payment"
    WRITE_OFF = "write_off"
    REFUND = "refund"
    REVERSAL = "reversal"
    PROVIDER_ADJUSTMENT = "provider_adjustment"
    CREDIT_APPLIED = "credit_applied"
    DUPLICATE_PAYMENT = "duplicate_payment"
    OVERPAYMENT = "overpayment"
    DENIAL = "denial"


_MAX_LINE: Final = 999
_MAX_TRACE: Final = 50


_last_encounter: tuple[str, EncounterId] | None = None
"""The encounter id read last from a ``str``, kept so that the transfers of one encounter
(built together, as posting does) share one :class:`~claimcore.ids.EncounterId` instead
of holding 48 bytes each. An encounter id is not PHI; one pair is kept, never more."""


def _encounter(value: EncounterId | str | None) -> EncounterId | None:
    """The encounter reference as an :class:`~claimcore.ids.EncounterId`; a ``str`` is read
    as one, so transfers built (or stored) before encounter ids were typed still load."""
    global _last_encounter
    if type(value) is not str:
        return None if value is None else as_encounter_id(value, "$.encounter")
    last = _last_encounter  # one read: another thread may replace the pair meanwhile
    if last is not None and last[0] == value:
        return last[1]
    found = as_encounter_id(value, "$.encounter")
    _last_encounter = (value, found)
    return found


def _trace(value: str | None) -> str | None:
    """The trace number, interned: the transfers of one remittance share its ``TRN02``,
    so they share one string (a new one per transfer is 50-odd bytes each)."""
    if type(value) is str and len(value) <= _MAX_TRACE:
        return sys.intern(value)
    return value  # for the check in __attrs_post_init__ to accept or refuse


@attrs.frozen(kw_only=True)
class Transfer:
    """One balanced money movement: ``amount`` leaves ``credit`` and arrives in ``debit``.

    The amount is always positive and the two accounts always differ. References tie the
    transfer to a patient, encounter (an :class:`~claimcore.ids.EncounterId`; a ``str`` is
    read as one), claim (and claim line), the payer whose claim or remittance it belongs to
    and the remittance trace number (835 ``TRN02``), so that balances can be read per
    patient, encounter or claim and a claim's postings found by payer and trace. An
    adjustment from a remittance keeps its group (``CAS01``) and reason (``CAS02``, a
    CARC). A reversal names the transfer it reverses in ``reverses``: use
    :func:`reversal_of` to build one.
    """

    id: TransferId
    debit: Account
    credit: Account
    amount: Money
    on: date
    code: TransferCode
    patient: MedicalRecordNumber | None = attrs.field(default=None, repr=False)
    encounter: EncounterId | None = attrs.field(default=None, converter=_encounter)
    claim: ClaimId | None = None
    line: int | None = None
    payer: PayerId | None = None
    trace: str | None = attrs.field(default=None, converter=_trace)
    reverses: TransferId | None = None
    group: AdjustmentGroup | None = None
    reason: CARC | None = None

    def __attrs_post_init__(self) -> None:
        instance(self.id, TransferId, "$.id")
        instance(self.debit, Account, "$.debit")
        instance(self.credit, Account, "$.credit")
        instance(self.amount, Money, "$.amount")
        if self.amount.amount <= 0:
            raise ValidationError(
                "must be positive: a transfer moves money from its credit account to its "
                "debit account (swap the accounts instead of negating the amount)",
                path="$.amount", rule="positive",
            )
        a_date(self.on, "$.on")
        instance(self.code, TransferCode, "$.code")
        if self.debit == self.credit:
            raise ValidationError(
                f"must differ from $.debit (both are {self.debit.key})",
                path="$.credit", rule="same-account",
            )
        optional_instance(self.patient, MedicalRecordNumber, "$.patient")
        optional_instance(self.encounter, EncounterId, "$.encounter")
        optional_instance(self.claim, ClaimId, "$.claim")
        if self.line is not None:
            an_int(self.line, "$.line", low=1, high=_MAX_LINE)
        optional_instance(self.payer, PayerId, "$.payer")
        optional_text(self.trace, "$.trace", max_len=_MAX_TRACE)
        optional_instance(self.reverses, TransferId, "$.reverses")
        if (self.code is TransferCode.REVERSAL) != (self.reverses is not None):
            raise ValidationError(
                "a reversal (code 'reversal') names the transfer it reverses, and only a "
                "reversal does",
                path="$.reverses", rule="reversal-link",
            )
        if self.reverses == self.id:
            raise ValidationError(
                "a transfer cannot reverse itself", path="$.reverses", rule="self-reversal"
            )
        optional_instance(self.group, AdjustmentGroup, "$.group")
        optional_instance(self.reason, CARC, "$.reason")
        if self.reason is not None and self.group is None:
            raise ValidationError(
                "an adjustment reason (CARC) needs its group code", path="$.group",
                rule="reason-without-group",
            )


def reversal_of(
    transfer: Transfer,
    *,
    id: TransferId,
    on: date,
    amount: Money | None = None,
    trace: str | None = None,
) -> Transfer:
    """The transfer that reverses ``transfer`` (all of it, or ``amount`` of it).

    It moves the money back (debit and credit swapped), keeps every reference, group and
    reason, and names the original in ``reverses``; ``trace`` defaults to the original's.
    An 835 claim with status 22 is posted this way.
    """
    instance(transfer, Transfer, "$.transfer")
    return Transfer(
        id=id,
        debit=transfer.credit,
        credit=transfer.debit,
        amount=transfer.amount if amount is None else amount,
        on=on,
        code=TransferCode.REVERSAL,
        patient=transfer.patient,
        encounter=transfer.encounter,
        claim=transfer.claim,
        line=transfer.line,
        payer=transfer.payer,
        trace=transfer.trace if trace is None else trace,
        reverses=transfer.id,
        group=transfer.group,
        reason=transfer.reason,
    )
