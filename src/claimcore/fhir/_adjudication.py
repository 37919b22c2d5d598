"""What an adjudication entry's ``category`` means to claimcore, for HL7 and CARIN codes.

FHIR's base code system (``http://terminology.hl7.org/CodeSystem/adjudication``) has a
handful of amounts (submitted, eligible, benefit, copay, deductible, ...); the CARIN Blue
Button IG adds its own (``C4BBAdjudication``: paid to provider, paid by patient,
coinsurance, noncovered, prior payer paid, member liability, ...) and a discriminator code
system whose slices carry statuses and reasons, not amounts
(``C4BBAdjudicationDiscriminator``). :func:`meaning` maps each coding to one
:class:`AdjudicationCategory`; what it cannot map the reader reports as a finding.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import attrs

from claimcore._validate import instance
from claimcore.fhir._common import (
    ADJUDICATION_SYSTEM,
    C4BB_ADJUDICATION_SYSTEM,
    C4BB_DISCRIMINATOR_SYSTEM,
)
from claimcore.money import Money

__all__ = ["AdjudicationCategory", "FhirAmount"]


class AdjudicationCategory(enum.StrEnum):
    """What an adjudicated amount means, whichever FHIR code system named it.

    The first five are FHIR's base codes and keep their names; ``eligible`` is what a
    remittance calls the *allowed* amount (CARIN's drafts and some payers send
    ``allowed``). The others are CARIN Blue Button's (``C4BBAdjudication``):
    ``paid_to_provider`` is the payer's payment (835 ``CLP04``/``SVC03``),
    ``paid_by_patient`` what the patient already paid (and its ``_cash``, ``_other``,
    ``_health_account`` parts), ``member_liability`` everything the patient owes
    (copay + deductible + coinsurance + noncovered, as the payer counts it),
    ``prior_payer_paid`` the reduction for what an earlier payer paid (835 ``OA-23``),
    ``noncovered`` the part not covered by the contract, ``disallowed`` the part above
    the allowed amount (835 ``CO-45``).
    """

    SUBMITTED = "submitted"
    ELIGIBLE = "eligible"
    BENEFIT = "benefit"
    COPAY = "copay"
    DEDUCTIBLE = "deductible"
    UNALLOCATED_DEDUCTIBLE = "unallocated_deductible"
    TAX = "tax"
    COINSURANCE = "coinsurance"
    NONCOVERED = "noncovered"
    DISALLOWED = "disallowed"
    PRIOR_PAYER_PAID = "prior_payer_paid"
    PAID_TO_PROVIDER = "paid_to_provider"
    PAID_TO_PATIENT = "paid_to_patient"
    PAID_BY_PATIENT = "paid_by_patient"
    PAID_BY_PATIENT_CASH = "paid_by_patient_cash"
    PAID_BY_PATIENT_OTHER = "paid_by_patient_other"
    PAID_BY_PATIENT_HEALTH_ACCOUNT = "paid_by_patient_health_account"
    MEMBER_LIABILITY = "member_liability"
    DISCOUNT = "discount"
    DRUG_COST = "drug_cost"


@attrs.frozen(kw_only=True)
class FhirAmount:
    """One adjudicated amount of a FHIR ``ClaimResponse``/EOB, by what it means.

    FHIR ``adjudication`` (or ``total``) entry: ``category`` and ``amount``.
    """

    category: AdjudicationCategory
    amount: Money

    def __attrs_post_init__(self) -> None:
        instance(self.category, AdjudicationCategory, "$.category")
        instance(self.amount, Money, "$.amount")


C = AdjudicationCategory
_BASE: Final[Mapping[str, AdjudicationCategory]] = MappingProxyType({
    "submitted": C.SUBMITTED,
    "eligible": C.ELIGIBLE,
    "benefit": C.BENEFIT,
    "copay": C.COPAY,
    "deductible": C.DEDUCTIBLE,
    "unallocdeduct": C.UNALLOCATED_DEDUCTIBLE,
    "tax": C.TAX,
})
_C4BB: Final[Mapping[str, AdjudicationCategory]] = MappingProxyType({
    "coinsurance": C.COINSURANCE,
    "noncovered": C.NONCOVERED,
    "priorpayerpaid": C.PRIOR_PAYER_PAID,
    "paidbypatient": C.PAID_BY_PATIENT,
    "paidbypatientcash": C.PAID_BY_PATIENT_CASH,
    "paidbypatientother": C.PAID_BY_PATIENT_OTHER,
    "paidbypatienthealthaccount": C.PAID_BY_PATIENT_HEALTH_ACCOUNT,
    "paidtoprovider": C.PAID_TO_PROVIDER,
    "paidtopatient": C.PAID_TO_PATIENT,
    "memberliability": C.MEMBER_LIABILITY,
    "discount": C.DISCOUNT,
    "drugcost": C.DRUG_COST,
    # in CARIN's 2020 drafts and still sent by payers built on them
    "allowed": C.ELIGIBLE,
    "disallowed": C.DISALLOWED,
})
DISCRIMINATORS: Final = frozenset({
    "allowedunits", "adjustmentreason", "rejectreason", "billingnetworkstatus",
    "renderingnetworkstatus", "benefitpaymentstatus",
    "denialreason", "inoutnetwork",  # CARIN drafts
})
"""CARIN slices that carry a status, a reason or units: never an amount of their own."""
del C


def meaning(system: str | None, code: str) -> AdjudicationCategory | None:
    """The category a coding means, or ``None`` (not an amount claimcore understands).

    Without a system a code is looked up in both lists (base first); a base code under
    CARIN's system (CARIN's value set mixes the two) is read as the base code.
    """
    if system == ADJUDICATION_SYSTEM:
        return _BASE.get(code)
    if system == C4BB_ADJUDICATION_SYSTEM or system is None:
        return _BASE.get(code) or _C4BB.get(code)
    return None


def is_discriminator(system: str | None, code: str) -> bool:
    """Whether the coding names a CARIN status/reason slice (``billingnetworkstatus``)."""
    return system in (C4BB_DISCRIMINATOR_SYSTEM, None) and code in DISCRIMINATORS

