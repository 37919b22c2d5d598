"""The patient account to FHIR ``Account``, with its balances from the ledger."""

from __future__ import annotations

from datetime import date
from typing import Final

import attrs

from claimcore._validate import a_date, instance
from claimcore.fhir._common import Resource, concept, money, pseudonym
from claimcore.fhir._coverage import EXT
from claimcore.fhir._patient import patient_reference
from claimcore.ledger import Ledger
from claimcore.money import Money
from claimcore.patients import GuarantorRelationship, Patient

__all__ = ["AccountBalances", "account_balances", "to_account"]

BALANCE_EXT: Final = f"{EXT}/account-balance"
V3_ACT_CODE: Final = "http://terminology.hl7.org/CodeSystem/v3-ActCode"


@attrs.frozen(kw_only=True)
class AccountBalances:
    """What a patient's transfers up to a date leave owed: by the patient and by payers.

    FHIR R5 ``Account.balance`` (aggregates ``patient`` and ``insurance``).
    """

    patient: Money
    insurance: Money

    def __attrs_post_init__(self) -> None:
        instance(self.patient, Money, "$.patient")
        instance(self.insurance, Money, "$.insurance")

    @property
    def total(self) -> Money:
        """Everything still owed on the account."""
        return self.patient + self.insurance


def account_balances(patient: Patient, ledger: Ledger, *, as_of: date) -> AccountBalances:
    """The patient's A/R balances from the transfers dated on or before ``as_of``.

    A/R patient (what the patient owes) and the sum of every A/R payer account (what
    insurance owes) over the transfers that carry the patient's record number, read from
    the ledger's fold by account role (:meth:`~claimcore.ledger.Ledger.balances_by_role`).
    """
    instance(patient, Patient, "$.patient")
    instance(ledger, Ledger, "$.ledger")
    a_date(as_of, "$.as_of")
    money = ledger.balances_by_role(patient=patient.mrn, until=as_of)
    return AccountBalances(patient=money.patient_owes, insurance=money.payers_owe)


def _balance(aggregate: str, amount: Money) -> Resource:
    return {
        "url": BALANCE_EXT,
        "extension": [
            {"url": "aggregate", "valueCode": aggregate},
            {"url": "amount", "valueMoney": money(amount)},
        ],
    }


def to_account(patient: Patient, ledger: Ledger, *, as_of: date) -> Resource:
    """A FHIR R4 ``Account`` for the patient's account, with its balances as of ``as_of``.

    R4 has no balance element (R5 added ``Account.balance``), so the balances travel in
    the extension ``https://claimcore.dev/fhir/StructureDefinition/account-balance``,
    shaped like R5's: one per ``aggregate`` (``patient``, ``insurance``, ``total``) with
    an ``amount``, beside an ``as-of`` date. ``guarantor`` is the patient when the patient
    answers for the bill, else the guarantor by name.
    """
    balances = account_balances(patient, ledger, as_of=as_of)
    guarantor = patient.guarantor
    if guarantor is None or guarantor.relationship is GuarantorRelationship.SELF:
        party: Resource = patient_reference(patient.mrn)
    else:
        party = {"type": "RelatedPerson", "display": guarantor.name.display()}
    return {
        "resourceType": "Account",
        "id": pseudonym("account", patient.mrn.unmasked),
        "extension": [
            {"url": f"{EXT}/account-balance-as-of", "valueDate": as_of.isoformat()},
            _balance("patient", balances.patient),
            _balance("insurance", balances.insurance),
            _balance("total", balances.total),
        ],
        "status": "active",
        "type": concept(V3_ACT_CODE, "PBILLACCT", "patient billing account"),
        "subject": [patient_reference(patient.mrn)],
        "guarantor": [{"party": party}],
    }
