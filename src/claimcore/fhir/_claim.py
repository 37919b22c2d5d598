"""Claims to FHIR ``Claim``, and charges to ``ChargeItem``."""

from __future__ import annotations

from datetime import date
from typing import Final

from claimcore._validate import instance, optional_date
from claimcore.charges import Charge, ChargeStatus
from claimcore.claims import Claim, ClaimKind, ClaimLine, ClaimStatus
from claimcore.codes import CPT, ICD10CM, Modifier, PlaceOfService
from claimcore.fhir._common import (
    CLAIM_TYPE_SYSTEM,
    CLAIMCORE_SYSTEM,
    CPT_SYSTEM,
    HCPCS_SYSTEM,
    ICD10CM_SYSTEM,
    ICD10PCS_SYSTEM,
    NDC_SYSTEM,
    NPI_SYSTEM,
    POS_SYSTEM,
    PROCESS_PRIORITY_SYSTEM,
    REVENUE_SYSTEM,
    Resource,
    coding,
    concept,
    identifier,
    money,
    period,
    resource_id,
)
from claimcore.fhir._coverage import EXT, coverage_id
from claimcore.fhir._encounter import practitioner_reference
from claimcore.fhir._patient import patient_reference
from claimcore.ids import MedicalRecordNumber

__all__ = ["claim_reference", "to_charge_item", "to_claim"]

CLAIM_ID_SYSTEM: Final = f"{CLAIMCORE_SYSTEM}/claim-id"
CHARGE_ID_SYSTEM: Final = f"{CLAIMCORE_SYSTEM}/charge-id"
CARE_TEAM_ROLE: Final = "http://terminology.hl7.org/CodeSystem/claimcareteamrole"
C4BB_CARE_TEAM_ROLE: Final = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBClaimCareTeamRole"
"""CARIN's care team roles (``rendering``, ``attending``, ``referring``): say which
provider a ``primary`` entry is, so that :func:`from_claim` can tell them apart."""
DIAGNOSIS_TYPE: Final = "http://terminology.hl7.org/CodeSystem/ex-diagnosistype"
RELATED_CLAIM: Final = "http://terminology.hl7.org/CodeSystem/ex-relatedclaimrelationship"
MODIFIER_EXT: Final = f"{EXT}/modifier"
REVENUE_EXT: Final = f"{EXT}/revenue-code"
POS_EXT: Final = f"{EXT}/place-of-service"
FREQUENCY_EXT: Final = f"{EXT}/claim-frequency"

POA_SYSTEM: Final = (
    "https://www.cms.gov/Medicare/Medicare-Fee-for-Service-Payment/HospitalAcqCond/Coding")
"""The present-on-admission indicators, as CARIN Blue Button codes ``diagnosis.onAdmission``."""
PROCEDURE_TYPE: Final = "http://terminology.hl7.org/CodeSystem/ex-procedure-type"
SUPPORTING_INFO_TYPE: Final = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBSupportingInfoType"
"""CARIN's supporting information categories (``drg``); claimcore's own
(:data:`UB04_INFO`) name the UB-04 code kinds CARIN has no category for."""
UB04_INFO: Final = f"{CLAIMCORE_SYSTEM}/ub04-info"
DRG_SYSTEM: Final = "https://www.cms.gov/Medicare/Medicare-Fee-for-Service-Payment/AcuteInpatientPPS/MS-DRG-Classifications-and-Software"
NUBC_CONDITION: Final = "https://www.nubc.org/CodeSystem/ConditionCodes"
NUBC_OCCURRENCE: Final = "https://www.nubc.org/CodeSystem/OccurrenceCodes"
NUBC_OCCURRENCE_SPAN: Final = "https://www.nubc.org/CodeSystem/OccurrenceSpanCodes"
NUBC_VALUE: Final = "https://www.nubc.org/CodeSystem/ValueCodes"

_DRAFT: Final = frozenset({ClaimStatus.DRAFT, ClaimStatus.READY})


def _supporting_info(claim: Claim) -> list[Resource]:
    """UB-04 codes as ``Claim.supportingInfo``: DRG, condition, occurrence (with its date),
    occurrence span (with its period) and value codes (with their amount)."""
    out: list[Resource] = []

    def add(category: Resource, code: Resource, **more: object) -> None:
        out.append({"sequence": len(out) + 1, "category": category, "code": code, **more})

    if claim.drg is not None:
        add(concept(SUPPORTING_INFO_TYPE, "drg"), concept(DRG_SYSTEM, claim.drg.code))
    for c in claim.condition_codes:
        add(concept(UB04_INFO, "condition"), concept(NUBC_CONDITION, c.code))
    for o in claim.occurrences:
        add(concept(UB04_INFO, "occurrence"), concept(NUBC_OCCURRENCE, o.code.code),
            timingDate=o.on.isoformat())
    for span in claim.occurrence_spans:
        add(concept(UB04_INFO, "occurrence-span"),
            concept(NUBC_OCCURRENCE_SPAN, span.code.code), timingPeriod=period(span.period))
    for v in claim.value_codes:
        add(concept(UB04_INFO, "value"), concept(NUBC_VALUE, v.code.code),
            valueQuantity={"value": v.amount.amount})
    return out


def _procedures(claim: Claim) -> list[Resource]:
    return [
        {"sequence": i,
         "type": [concept(PROCEDURE_TYPE, "primary" if i == 1 else "secondary")],
         "date": p.on.isoformat(),
         "procedureCodeableConcept": concept(ICD10PCS_SYSTEM, p.code.code)}
        for i, p in enumerate(claim.procedures, 1)
    ]


def claim_reference(claim: Claim) -> Resource:
    """``{"reference": "Claim/<id>"}`` for a claim (its id through :func:`resource_id`)."""
    return {"reference": f"Claim/{resource_id(claim.id.value)}"}


def procedure_concept(code: object) -> Resource:
    """A CPT or HCPCS code as a ``CodeableConcept`` (its code system by its type)."""
    return concept(CPT_SYSTEM if isinstance(code, CPT) else HCPCS_SYSTEM, str(code))


def _modifier(m: Modifier) -> Resource:
    return concept(CPT_SYSTEM if m.code.isdigit() else HCPCS_SYSTEM, str(m))


def _diagnosis(code: ICD10CM) -> Resource:
    return concept(ICD10CM_SYSTEM, str(code))


def _pos(pos: PlaceOfService) -> Resource:
    return concept(POS_SYSTEM, str(pos))


def _item(line: ClaimLine, claim: Claim, care_team: dict[str, int]) -> Resource:
    if line.procedure is not None:
        product = procedure_concept(line.procedure)
    else:  # an institutional line without a procedure: the revenue code is the service
        product = concept(REVENUE_SYSTEM, str(line.revenue_code))
    item: Resource = {"sequence": line.line_number}
    npi = line.rendering_npi.value if line.rendering_npi is not None else None
    if npi is not None and npi in care_team:
        item["careTeamSequence"] = [care_team[npi]]
    if line.pointers:
        item["diagnosisSequence"] = list(line.pointers)
    if line.revenue_code is not None:
        item["revenue"] = concept(REVENUE_SYSTEM, str(line.revenue_code))
    item["productOrService"] = product
    if line.modifiers:
        item["modifier"] = [_modifier(m) for m in line.modifiers]
    sp = line.service_period
    if sp.end is None or sp.end == sp.start:
        item["servicedDate"] = sp.start.isoformat()
    else:
        item["servicedPeriod"] = period(sp)
    if claim.place_of_service is not None:
        item["locationCodeableConcept"] = _pos(claim.place_of_service)
    item["quantity"] = {"value": line.units}
    item["net"] = money(line.charge)
    if line.ndc is not None:
        item["detail"] = [{
            "sequence": 1,
            "productOrService": concept(NDC_SYSTEM, str(line.ndc)),
            "net": money(line.charge),
        }]
    return item


def created_date(claim: Claim, created: date | None) -> str:
    """The ``created`` date of a claim's resources: ``created`` when given, else the day
    the claim was first recorded, else the last day of service."""
    if created is not None:
        return created.isoformat()
    if claim.history:
        return claim.history[0].at.date().isoformat()
    return claim.service_period.end.isoformat()  # type: ignore[union-attr]


def to_claim(claim: Claim, *, created: date | None = None) -> Resource:
    """A FHIR R4 ``Claim`` for a claim (837P/837I loop 2300 and its lines, loop 2400).

    ``created`` defaults to the date of the claim's first history event, else the last
    date of service (claimcore reads no clock). The patient, the coverage (``insurance``)
    and the billing provider are references (``Patient/<patient_id>``,
    ``Coverage/<coverage_id>``, the provider by NPI); diagnoses are ICD-10-CM with the
    first ``principal``; each line is an ``item`` with its charge as ``net``. The care
    team holds the rendering, attending and referring providers (each role also coded
    with CARIN's ``C4BBClaimCareTeamRole``), and each line's own rendering NPI (role
    ``performing``). An institutional claim's present-on-admission indicators go in
    ``diagnosis.onAdmission``, its ICD-10-PCS procedures in ``procedure`` (the principal
    ``primary``, with their dates), and its DRG (CARIN category ``drg``), condition,
    occurrence (``timingDate``), occurrence span (``timingPeriod``) and value codes
    (``valueQuantity``) in ``supportingInfo``. :func:`from_claim` reads it back (not yet
    the UB-04 codes: they are left out of the claim it reads).
    """
    instance(claim, Claim, "$")
    optional_date(created, "$.created")
    care_team: list[Resource] = []
    by_npi: dict[str, int] = {}
    for provider, role, carin in (
        (claim.rendering_provider, "primary", "rendering"),
        (claim.attending_provider, "primary", "attending"),
        (claim.referring_provider, "other", "referring"),
    ):
        if provider is None:
            continue
        by_npi.setdefault(provider.npi.value, len(care_team) + 1)
        care_team.append({
            "sequence": len(care_team) + 1,
            "provider": practitioner_reference(provider),
            "role": {"coding": [coding(CARE_TEAM_ROLE, role),
                                coding(C4BB_CARE_TEAM_ROLE, carin)]},
        })
    for line in claim.lines:
        npi = line.rendering_npi
        if npi is not None and npi.value not in by_npi:
            # a line's own renderer, known by NPI only (the claim holds no name for it)
            by_npi[npi.value] = len(care_team) + 1
            care_team.append({
                "sequence": len(care_team) + 1,
                "provider": {"type": "Practitioner",
                             "identifier": identifier(NPI_SYSTEM, npi.value)},
                "role": {"coding": [coding(CARE_TEAM_ROLE, "primary"),
                                    coding(C4BB_CARE_TEAM_ROLE, "performing")]},
            })
    diagnoses: list[Resource] = []
    for i, (code, poa) in enumerate(claim.diagnoses_on_admission, 1):
        entry: Resource = {"sequence": i, "diagnosisCodeableConcept": _diagnosis(code)}
        if i == 1:
            entry["type"] = [concept(DIAGNOSIS_TYPE, "principal")]
        if poa is not None:
            entry["onAdmission"] = concept(POA_SYSTEM, poa.value)
        diagnoses.append(entry)
    if claim.admitting_diagnosis is not None:
        diagnoses.append({
            "sequence": len(diagnoses) + 1,
            "diagnosisCodeableConcept": _diagnosis(claim.admitting_diagnosis),
            "type": [concept(DIAGNOSIS_TYPE, "admitting")],
        })
    insurance: Resource = {
        "sequence": 1,
        "focal": True,
        "coverage": {"reference": f"Coverage/{coverage_id(claim.coverage)}"},
    }
    if claim.prior_authorization is not None:
        insurance["preAuthRef"] = [claim.prior_authorization]
    billing = claim.billing_provider
    out: Resource = {
        "resourceType": "Claim",
        "id": resource_id(claim.id.value),
        "extension": [{"url": FREQUENCY_EXT, "valueCode": claim.frequency.value}],
        "identifier": [identifier(CLAIM_ID_SYSTEM, claim.id.value)],
        "status": "cancelled" if claim.status is ClaimStatus.VOIDED
        else "draft" if claim.status in _DRAFT else "active",
        "type": concept(CLAIM_TYPE_SYSTEM, claim.kind.value),
        "use": "claim",
        "patient": patient_reference(claim.patient.mrn),
        "billablePeriod": period(claim.service_period),
        "created": created_date(claim, created),
        "provider": {
            "type": "Organization",
            "identifier": identifier(NPI_SYSTEM, billing.npi.value),
            "display": billing.name,
        },
        "priority": concept(PROCESS_PRIORITY_SYSTEM, "normal"),
    }
    if claim.original_claim_number is not None:
        out["related"] = [{
            "claim": {"identifier": {"value": claim.original_claim_number.value}},
            "relationship": concept(RELATED_CLAIM, "prior"),
        }]
    if care_team:
        out["careTeam"] = care_team
    supporting = _supporting_info(claim)
    if supporting:
        out["supportingInfo"] = supporting
    if diagnoses:
        out["diagnosis"] = diagnoses
    if claim.procedures:
        out["procedure"] = _procedures(claim)
    out["insurance"] = [insurance]
    out["item"] = [_item(line, claim, by_npi) for line in claim.lines]
    out["total"] = money(claim.total_charge)
    if claim.kind is ClaimKind.INSTITUTIONAL and claim.type_of_bill is not None:
        out["subType"] = concept(f"{CLAIMCORE_SYSTEM}/type-of-bill", str(claim.type_of_bill))
    return out


def to_charge_item(charge: Charge, *, patient: MedicalRecordNumber) -> Resource:
    """A FHIR R4 ``ChargeItem`` for a charge of ``patient``.

    ``code`` is the procedure, ``quantity`` the units, ``priceOverride`` the charge
    amount (``unit_price × units``), ``occurrenceDateTime`` the date of service,
    ``enteredDate`` the entry date, ``reason`` the diagnoses, ``context`` the encounter.
    A voided charge is ``entered-in-error``; an active one ``billable``. Modifiers, the
    revenue code and the place of service travel in claimcore extensions (R4's
    ``ChargeItem`` has no element for them).
    """
    instance(charge, Charge, "$")
    instance(patient, MedicalRecordNumber, "$.patient")
    extensions: list[Resource] = [
        {"url": MODIFIER_EXT, "valueCoding": coding(
            CPT_SYSTEM if m.code.isdigit() else HCPCS_SYSTEM, str(m))}
        for m in charge.modifiers
    ]
    if charge.revenue_code is not None:
        extensions.append({"url": REVENUE_EXT,
                           "valueCoding": coding(REVENUE_SYSTEM, str(charge.revenue_code))})
    if charge.place_of_service is not None:
        extensions.append({"url": POS_EXT,
                           "valueCoding": coding(POS_SYSTEM, str(charge.place_of_service))})
    out: Resource = {"resourceType": "ChargeItem", "id": resource_id(charge.id)}
    if extensions:
        out["extension"] = extensions
    out.update({
        "identifier": [identifier(CHARGE_ID_SYSTEM, charge.id)],
        "status": "billable" if charge.status is ChargeStatus.ACTIVE else "entered-in-error",
        "code": (procedure_concept(charge.code) if charge.code is not None
                 else {"coding": [coding(REVENUE_SYSTEM, str(charge.revenue_code))]}),
        "subject": patient_reference(patient),
    })
    if charge.encounter_id is not None:
        out["context"] = {"reference": f"Encounter/{resource_id(charge.encounter_id)}"}
    out["occurrenceDateTime"] = charge.service_date.isoformat()
    performers = [npi for npi in (charge.rendering_npi,) if npi is not None]
    if performers:
        out["performer"] = [{"actor": {"type": "Practitioner",
                                       "identifier": identifier(NPI_SYSTEM, npi.value)}}
                            for npi in performers]
    out["quantity"] = {"value": charge.units}
    out["priceOverride"] = money(charge.amount)
    out["enteredDate"] = charge.entered_on.isoformat()
    if charge.diagnoses:
        out["reason"] = [_diagnosis(d) for d in charge.diagnoses]
    return out
