"""FHIR R4 interchange: claimcore values to resources as dicts, and adjudication back.

Pure functions from values to JSON-ready dicts and back, with no I/O and no dependency on
any FHIR package. Money is ``{"value": Decimal, "currency": "USD"}``: the dicts keep
``Decimal`` so that no cent is lost; :func:`dumps` writes them as exact JSON numbers and
:func:`loads` reads JSON numbers back as ``Decimal`` (the ``from_*`` readers refuse
floats). Resource ids are stable: derived from claimcore ids (:func:`resource_id`), or a
SHA-256 pseudonym where the id is PHI (a patient's record number, :func:`patient_id`).

>>> from decimal import Decimal
>>> dumps({"resourceType": "Basic", "amount": {"value": Decimal("12.50")}})
'{"resourceType":"Basic","amount":{"value":12.50}}'
>>> loads('{"value": 12.50}')["value"]
Decimal('12.50')
"""

from typing import TYPE_CHECKING

from claimcore._lazy import lazy_face
from claimcore.fhir._common import (
    CARC_SYSTEM,
    CPT_SYSTEM,
    HCPCS_SYSTEM,
    ICD10CM_SYSTEM,
    MAX_NUMBER_DIGITS,
    NPI_SYSTEM,
    POS_SYSTEM,
    RARC_SYSTEM,
    Resource,
    dumps,
    loads,
    resource_id,
)

if TYPE_CHECKING:
    from claimcore.fhir._account import AccountBalances, account_balances, to_account
    from claimcore.fhir._adjudication import AdjudicationCategory, FhirAmount
    from claimcore.fhir._claim import claim_reference, to_charge_item, to_claim
    from claimcore.fhir._claim_in import from_claim, from_claim_with_findings
    from claimcore.fhir._coverage import coverage_id, from_coverage, to_coverage
    from claimcore.fhir._encounter import to_encounter
    from claimcore.fhir._eob import (
        FhirAdjudication,
        FhirItemAdjudication,
        from_claim_response,
        from_explanation_of_benefit,
        to_explanation_of_benefit,
    )
    from claimcore.fhir._patient import (
        from_patient,
        from_patient_with_findings,
        patient_id,
        patient_reference,
        to_patient,
    )

# The JSON helpers and the code systems load with the package; each resource mapping (and
# the claimcore values it needs) on first use. Either way a name is the submodule's own
# object.
if not TYPE_CHECKING:
    # Where each deferred name is defined (PEP 562; claimcore._lazy).
    __getattr__, __dir__ = lazy_face(__name__, globals(), {
        "claimcore.fhir._account": ("AccountBalances", "account_balances", "to_account"),
        "claimcore.fhir._adjudication": ("AdjudicationCategory", "FhirAmount"),
        "claimcore.fhir._claim": ("claim_reference", "to_charge_item", "to_claim"),
        "claimcore.fhir._claim_in": ("from_claim", "from_claim_with_findings"),
        "claimcore.fhir._coverage": ("coverage_id", "from_coverage", "to_coverage"),
        "claimcore.fhir._encounter": ("to_encounter",),
        "claimcore.fhir._eob": (
            "FhirAdjudication", "FhirItemAdjudication", "from_claim_response",
            "from_explanation_of_benefit", "to_explanation_of_benefit",
        ),
        "claimcore.fhir._patient": (
            "from_patient", "from_patient_with_findings", "patient_id", "patient_reference",
            "to_patient",
        ),
    })

__all__ = [
    "CARC_SYSTEM",
    "CPT_SYSTEM",
    "HCPCS_SYSTEM",
    "ICD10CM_SYSTEM",
    "MAX_NUMBER_DIGITS",
    "NPI_SYSTEM",
    "POS_SYSTEM",
    "RARC_SYSTEM",
    "AccountBalances",
    "AdjudicationCategory",
    "FhirAdjudication",
    "FhirAmount",
    "FhirItemAdjudication",
    "Resource",
    "account_balances",
    "claim_reference",
    "coverage_id",
    "dumps",
    "from_claim",
    "from_claim_response",
    "from_claim_with_findings",
    "from_coverage",
    "from_explanation_of_benefit",
    "from_patient",
    "from_patient_with_findings",
    "loads",
    "patient_id",
    "patient_reference",
    "resource_id",
    "to_account",
    "to_charge_item",
    "to_claim",
    "to_coverage",
    "to_encounter",
    "to_explanation_of_benefit",
    "to_patient",
]
