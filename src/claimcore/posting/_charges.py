"""Posting charges to the ledger: accounts receivable against gross revenue."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from claimcore._validate import a_date, instance, members, optional_instance, to_tuple
from claimcore.charges import Charge
from claimcore.claims import Claim
from claimcore.errors import ValidationError
from claimcore.ids import EncounterId, MedicalRecordNumber, as_encounter_id
from claimcore.ledger import Account, Ledger, Transfer, TransferCode, post
from claimcore.posting._common import claim_key, transfer_id

__all__ = ["post_charges"]


def post_charges(
    ledger: Ledger,
    claim_or_charges: Claim | Iterable[Charge],
    *,
    on: date,
    encounter: EncounterId | str | None = None,
    patient: MedicalRecordNumber | None = None,
) -> Ledger:
    """Post charge entry: debit accounts receivable, credit gross revenue, per service.

    A :class:`~claimcore.claims.Claim` posts each line to the A/R of the claim's payer,
    referenced by claim, line, patient, payer and encounter (the claim's own
    :attr:`~claimcore.claims.Claim.encounter`; ``encounter`` names it for a claim that
    has none, and must agree with it otherwise). Charges without a claim are self-pay:
    each active charge goes to A/R patient under its own encounter (or ``encounter``) for
    ``patient``. Transfer ids come from the charge ids (``chg:<charge id>``;
    ``chg:<claim id>:<line>`` for a line without one), so posting again changes nothing.
    """
    instance(ledger, Ledger, "$.ledger")
    a_date(on, "$.on")
    given = None if encounter is None else as_encounter_id(encounter, "$.encounter")
    optional_instance(given, EncounterId, "$.encounter")
    out: list[Transfer] = []
    if isinstance(claim_or_charges, Claim):
        claim = claim_or_charges
        if given is not None and claim.encounter not in (None, given):
            raise ValidationError(
                f"the claim bills encounter {claim.encounter}, not {given}",
                path="$.encounter", rule="encounter-mismatch",
            )
        payer = claim.coverage.payer.payer_id
        ar = Account.ar_payer(payer)
        for line in claim.lines:
            if not line.charge.is_positive():
                continue
            ident = (f"chg:{line.charge_id}" if line.charge_id
                     else f"chg:{claim_key(claim.id)}:{line.line_number}")
            out.append(Transfer(
                id=transfer_id(ident), debit=ar, credit=Account.gross_revenue(),
                amount=line.charge, on=on, code=TransferCode.CHARGE,
                patient=claim.patient.mrn, encounter=claim.encounter or given,
                claim=claim.id, line=line.line_number, payer=payer,
            ))
        return post(ledger, *out)
    charges = members(to_tuple(claim_or_charges), Charge, "$.charges")
    instance(patient, MedicalRecordNumber, "$.patient")
    for charge in charges:
        if not charge.is_active or not charge.amount.is_positive():
            continue
        out.append(Transfer(
            id=transfer_id(f"chg:{charge.id}"), debit=Account.ar_patient(),
            credit=Account.gross_revenue(), amount=charge.amount, on=on,
            code=TransferCode.CHARGE, patient=patient,
            encounter=charge.encounter_id or given,
        ))
    return post(ledger, *out)
