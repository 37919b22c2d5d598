"""The patient account: a patient's encounters, claims and ledger, and where they stand.

A :class:`PatientAccount` ties together what the other modules produce for one patient:
coverages and their verification, encounters, coded encounters, charges, claims and the
ledger. Its :attr:`~PatientAccount.stage` is derived from those parts every time it is
read, never stored (docs/architecture.md, "Patient account stage")::

    registered → verified → admitted → discharged → coded → charged → billed
        → adjudicated → patient_billed → paid_in_full     (or written_off, in_collections)

An account is at an end when every claim is settled (closed, voided, replaced, or
adjudicated with nothing left owing by its payer) and nothing is owed either way: the
payers' and the patient's receivables are zero and no credit is held for the patient.
It is then ``in_collections`` if a balance was handed to collections (a bad-debt
write-off), ``written_off`` if a balance was forgiven (charity care or an administrative
write-off), and ``paid_in_full`` otherwise (small-balance and prompt-pay write-offs are
courtesies on a paid account). :func:`account_balances` gives the money behind it.

>>> from datetime import date
>>> from claimcore.ids import MedicalRecordNumber
>>> from claimcore.patients import AdministrativeSex, PersonName, register
>>> patient = register(mrn=MedicalRecordNumber("MRN00421234"),
...     name=PersonName(given="Ada", family="Lovelace"), birth_date=date(1990, 12, 10),
...     sex=AdministrativeSex.FEMALE, as_of=date(2026, 3, 2))
>>> PatientAccount(patient=patient).stage
<AccountStage.REGISTERED: 'registered'>
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from typing import Final

import attrs

from claimcore._validate import aware_datetime, instance, members, to_tuple
from claimcore.charges import Charge
from claimcore.claims import Claim, ClaimStatus, close
from claimcore.coding import CodedEncounter
from claimcore.coverage import Coverage
from claimcore.eligibility import Verification
from claimcore.encounters import Encounter, EncounterStatus
from claimcore.errors import ValidationError
from claimcore.ids import MedicalRecordNumber
from claimcore.ledger import (
    Account,
    Ledger,
    RoleBalances,
    TransferCode,
    WriteOffReason,
)
from claimcore.money import Money
from claimcore.patients import Patient

__all__ = [
    "END_STAGES",
    "AccountBalances",
    "AccountStage",
    "PatientAccount",
    "account_balances",
    "account_stage",
    "claim_settled",
    "close_settled_claims",
]


class AccountStage(enum.StrEnum):
    """Where a patient account stands in the revenue cycle (derived, never stored)."""

    REGISTERED = "registered"
    VERIFIED = "verified"
    ADMITTED = "admitted"
    DISCHARGED = "discharged"
    CODED = "coded"
    CHARGED = "charged"
    BILLED = "billed"
    ADJUDICATED = "adjudicated"
    PATIENT_BILLED = "patient_billed"
    PAID_IN_FULL = "paid_in_full"
    WRITTEN_OFF = "written_off"
    IN_COLLECTIONS = "in_collections"


END_STAGES: Final = frozenset({
    AccountStage.PAID_IN_FULL, AccountStage.WRITTEN_OFF, AccountStage.IN_COLLECTIONS,
})
"""The stages where the account's money has come to rest."""

_DONE: Final = frozenset({ClaimStatus.CLOSED, ClaimStatus.VOIDED, ClaimStatus.REPLACED})
_DECIDED: Final = _DONE | {ClaimStatus.ADJUDICATED}
_UNSENT: Final = frozenset({ClaimStatus.DRAFT, ClaimStatus.READY})
_FORGIVEN: Final = frozenset({WriteOffReason.CHARITY, WriteOffReason.ADMINISTRATIVE})


def _tuple(value: Iterable[object]) -> tuple[object, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class AccountBalances:
    """Where a patient's money stands, from the ledger: every cent accounted for.

    ``charges == payer_paid + patient_paid + adjusted + written_off + outstanding``, where
    ``outstanding`` is what payers and the patient owe less the credit held for the
    patient. ``payer_paid`` is net cash from payers, ``patient_paid`` net cash from (less
    refunds to) the patient, ``adjusted`` the contractual and other adjustments.
    """

    charges: Money
    payer_paid: Money
    patient_paid: Money
    adjusted: Money
    written_off: Money
    payers_owe: Money
    patient_owes: Money
    credit: Money

    def __attrs_post_init__(self) -> None:
        for field in attrs.fields(AccountBalances):
            instance(getattr(self, field.name), Money, f"$.{field.name}")

    @property
    def outstanding(self) -> Money:
        """What payers and the patient still owe, less the credit held for the patient."""
        return self.payers_owe + self.patient_owes - self.credit

    @property
    def settled(self) -> bool:
        """Nothing owed either way: receivables and credit are all zero."""
        return self.payers_owe.is_zero() and self.patient_owes.is_zero() and (
            self.credit.is_zero()
        )


def account_balances(ledger: Ledger, patient: MedicalRecordNumber) -> AccountBalances:
    """The money of ``patient``'s account, read from the ledger's fold by account role."""
    instance(ledger, Ledger, "$.ledger")
    instance(patient, MedicalRecordNumber, "$.patient")
    return _account_balances(ledger.balances_by_role(patient=patient))


def _account_balances(money: RoleBalances) -> AccountBalances:
    return AccountBalances(
        charges=money.charges, payer_paid=money.payer_paid,
        # Any cash not from a payer is the patient's here, so every cent is accounted for
        # (payer cash held apart, payer credit and unapplied, and interest are not).
        patient_paid=money.cash - money.payer_paid - money.held - money.interest,
        adjusted=money.adjusted,
        written_off=money.written_off, payers_owe=money.payers_owe,
        patient_owes=money.patient_owes, credit=money.credit,
    )


def claim_settled(claim: Claim, ledger: Ledger) -> bool:
    """Whether a claim needs nothing more: closed, voided or replaced, or adjudicated with
    nothing left owing by its payer on it (the payer's A/R for the claim is zero) and no
    denial held on it (``Account.denial()``: to appeal or write off first)."""
    instance(claim, Claim, "$.claim")
    if claim.status in _DONE:
        return True
    if claim.status is not ClaimStatus.ADJUDICATED:
        return False
    ar = Account.ar_payer(claim.coverage.payer.payer_id)
    return (ledger.balance(ar, claim=claim.id).is_zero()
            and ledger.balance(Account.denial(), claim=claim.id).is_zero())


def close_settled_claims(
    claims: Iterable[Claim], ledger: Ledger, *, at: datetime
) -> tuple[Claim, ...]:
    """The claims with every settled adjudicated claim closed at ``at`` (others as given).

    A closed claim accepts no further event, so close a claim only once its payer's
    part is settled; the patient's share does not keep the claim open.
    """
    instance(ledger, Ledger, "$.ledger")
    aware_datetime(at, "$.at")
    out: list[Claim] = []
    for claim in members(to_tuple(claims), Claim, "$.claims"):
        if claim.status is ClaimStatus.ADJUDICATED and claim_settled(claim, ledger):
            claim = close(claim, at=at, reason="settled")
        out.append(claim)
    return tuple(out)


def account_stage(account: PatientAccount) -> AccountStage:
    """The account's stage, derived from its parts (see the module documentation)."""
    instance(account, PatientAccount, "$.account")
    ledger, mrn, claims = account.ledger, account.patient.mrn, account.claims
    charged = bool(ledger.transfers(patient=mrn, code=TransferCode.CHARGE))
    if charged or claims or account.charges:
        roles = ledger.balances_by_role(patient=mrn)
        money = _account_balances(roles)
        settled = all(claim_settled(c, ledger) for c in claims)
        offs = {w.reason: w.amount.cents for w in roles.write_offs}
        if charged and settled and money.settled:
            if offs.get(WriteOffReason.BAD_DEBT, 0) > 0:
                return AccountStage.IN_COLLECTIONS
            if any(offs.get(r, 0) > 0 for r in _FORGIVEN):
                return AccountStage.WRITTEN_OFF
            return AccountStage.PAID_IN_FULL
        payers_done = bool(claims) and all(c.status in _DECIDED for c in claims) and (
            money.payers_owe.is_zero())
        if offs.get(WriteOffReason.BAD_DEBT, 0) > 0 and money.payers_owe.is_zero() and settled:
            return AccountStage.IN_COLLECTIONS
        if (payers_done or not claims) and charged and (
                money.patient_owes.is_positive() or money.credit.is_positive()):
            return AccountStage.PATIENT_BILLED
        if claims and all(c.status in _DECIDED for c in claims):
            return AccountStage.ADJUDICATED
        if any(c.status not in _UNSENT for c in claims):
            return AccountStage.BILLED
        return AccountStage.CHARGED
    if account.coded:
        return AccountStage.CODED
    statuses = {e.status for e in account.encounters}
    if EncounterStatus.FINISHED in statuses:
        return AccountStage.DISCHARGED
    if EncounterStatus.IN_PROGRESS in statuses:
        return AccountStage.ADMITTED
    if any(v.is_verified for v in account.verifications):
        return AccountStage.VERIFIED
    return AccountStage.REGISTERED


@attrs.frozen(kw_only=True, repr=False)
class PatientAccount:
    """One patient's account: everything the revenue cycle produced for them, together.

    ``coverages`` in payer order, ``verifications`` (eligibility checks), ``encounters``,
    ``coded`` encounters, ``charges``, ``claims`` (every payer's, including secondary
    claims) and the ``ledger`` (which may hold other patients' transfers: the account
    reads only those that name this patient). Change it with ``attrs.evolve`` as each
    step returns new values. :attr:`stage` and :attr:`balances` are derived on reading.
    FHIR ``Account`` (with ``Account.guarantor``, ``coverage``). ``repr`` shows no PHI.
    """

    patient: Patient
    coverages: tuple[Coverage, ...] = attrs.field(default=(), converter=_tuple)
    verifications: tuple[Verification, ...] = attrs.field(default=(), converter=_tuple)
    encounters: tuple[Encounter, ...] = attrs.field(default=(), converter=_tuple)
    coded: tuple[CodedEncounter, ...] = attrs.field(default=(), converter=_tuple)
    charges: tuple[Charge, ...] = attrs.field(default=(), converter=_tuple)
    claims: tuple[Claim, ...] = attrs.field(default=(), converter=_tuple)
    ledger: Ledger = attrs.field(factory=Ledger)

    def __attrs_post_init__(self) -> None:
        instance(self.patient, Patient, "$.patient")
        members(self.coverages, Coverage, "$.coverages")
        members(self.verifications, Verification, "$.verifications")
        members(self.encounters, Encounter, "$.encounters")
        members(self.coded, CodedEncounter, "$.coded")
        members(self.charges, Charge, "$.charges")
        members(self.claims, Claim, "$.claims")
        instance(self.ledger, Ledger, "$.ledger")
        for i, encounter in enumerate(self.encounters):
            if encounter.patient != self.patient.mrn:
                raise ValidationError(
                    "belongs to another patient", path=f"$.encounters[{i}].patient",
                    rule="other-patient",
                )

    @property
    def stage(self) -> AccountStage:
        """The stage, derived now from the parts (see :func:`account_stage`)."""
        return account_stage(self)

    @property
    def balances(self) -> AccountBalances:
        """The account's money (see :func:`account_balances`)."""
        return account_balances(self.ledger, self.patient.mrn)

    @property
    def coverage_map(self) -> dict[MedicalRecordNumber, tuple[Coverage, ...]]:
        """The coverages keyed by the patient, as :func:`~claimcore.posting.post_remittance`
        takes them."""
        return {self.patient.mrn: self.coverages}

    def __repr__(self) -> str:
        return (
            f"PatientAccount(patient={self.patient.mrn.masked}, "
            f"encounters={len(self.encounters)}, claims={len(self.claims)}, "
            f"transfers={len(self.ledger.transfers(patient=self.patient.mrn))}, "
            f"stage={self.stage.value})"
        )
