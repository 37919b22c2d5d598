"""Encounters to FHIR ``Encounter`` (status, class, history, care team, hospitalization)."""

from __future__ import annotations

from typing import Final

from claimcore._validate import instance
from claimcore.encounters import Encounter, EncounterClass, EncounterStatus
from claimcore.fhir._common import (
    NPI_SYSTEM,
    POS_SYSTEM,
    Resource,
    concept,
    identifier,
    instant,
    period,
    resource_id,
)
from claimcore.fhir._patient import patient_reference
from claimcore.providers import Provider, ProviderRole

__all__ = ["to_encounter"]

ACT_CODE: Final = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PARTICIPATION: Final = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
NUBC_POINT_OF_ORIGIN: Final = "https://www.nubc.org/CodeSystem/PointOfOrigin"
NUBC_PRIORITY: Final = "https://www.nubc.org/CodeSystem/PriorityTypeOfAdmitOrVisit"
NUBC_DISCHARGE: Final = "https://www.nubc.org/CodeSystem/PatDischargeStatus"

_CLASS: Final = {
    EncounterClass.AMBULATORY: ("AMB", "ambulatory"),
    EncounterClass.EMERGENCY: ("EMER", "emergency"),
    EncounterClass.INPATIENT: ("IMP", "inpatient encounter"),
    EncounterClass.OBSERVATION: ("OBSENC", "observation encounter"),
    EncounterClass.VIRTUAL: ("VR", "virtual"),
    EncounterClass.HOME: ("HH", "home health"),
}
_PARTICIPATION: Final = {
    ProviderRole.ATTENDING: "ATND",
    ProviderRole.REFERRING: "REF",
    ProviderRole.RENDERING: "PPRF",
    ProviderRole.OPERATING: "PPRF",
    ProviderRole.SUPERVISING: "SPRF",
    ProviderRole.BILLING: "PART",
}


def fhir_status(status: EncounterStatus) -> str:
    """FHIR's spelling of a status (``in-progress`` for ``in_progress``)."""
    return status.value.replace("_", "-")


def practitioner_reference(provider: Provider) -> Resource:
    """A logical reference to a ``Practitioner`` by NPI, with the (public) name."""
    return {
        "type": "Practitioner",
        "identifier": identifier(NPI_SYSTEM, provider.npi.value),
        "display": provider.name.display(),
    }


def to_encounter(encounter: Encounter) -> Resource:
    """A FHIR R4 ``Encounter`` for an encounter.

    ``status`` and ``statusHistory`` follow the history (FHIR writes ``in-progress`` and
    ``entered-in-error``); ``class`` is the v3 ActCode; ``type`` holds the CMS place of
    service; ``period`` runs from the start (admission) to the discharge, or is the
    planned period before the encounter begins; ``participant`` is the care team by NPI;
    ``hospitalization`` holds the UB-04 point of origin (FL 15) and discharge status
    (FL 17), ``priority`` the admission type (FL 14). The subject is the patient's
    pseudonymous id (:func:`patient_id`).
    """
    instance(encounter, Encounter, "$")
    code, display = _CLASS[encounter.encounter_class]
    out: Resource = {
        "resourceType": "Encounter",
        "id": resource_id(encounter.id.value),
        "identifier": [identifier("https://claimcore.dev/fhir/encounter-id",
                                  encounter.id.value)],
        "status": fhir_status(encounter.status),
        "class": {"system": ACT_CODE, "code": code, "display": display},
        "type": [concept(POS_SYSTEM, str(encounter.place_of_service))],
        "subject": patient_reference(encounter.patient),
    }
    history = encounter.history
    if history:
        entries: list[Resource] = []
        for i, event in enumerate(history):
            span: Resource = {"start": instant(event.at)}
            if i + 1 < len(history):
                span["end"] = instant(history[i + 1].at)
            entries.append({"status": fhir_status(event.to_status), "period": span})
        out["statusHistory"] = entries
    started = encounter.started_at
    if started is not None:
        span = {"start": instant(started)}
        if encounter.ended_at is not None:
            span["end"] = instant(encounter.ended_at)
        out["period"] = span
    elif encounter.planned is not None:
        out["period"] = period(encounter.planned)
    if encounter.care_team:
        out["participant"] = [
            {
                "type": [concept(PARTICIPATION, _PARTICIPATION[member.role],
                                 member.role.value)],
                "individual": practitioner_reference(member.provider),
            }
            for member in encounter.care_team
        ]
    if encounter.admission is not None:
        out["priority"] = concept(NUBC_PRIORITY, encounter.admission.admission_type.value)
    hospitalization: Resource = {}
    if encounter.admission is not None:
        hospitalization["admitSource"] = concept(
            NUBC_POINT_OF_ORIGIN, encounter.admission.source.value
        )
    if encounter.discharge is not None:
        hospitalization["dischargeDisposition"] = concept(
            NUBC_DISCHARGE, encounter.discharge.disposition.value
        )
    if hospitalization:
        out["hospitalization"] = hospitalization
    if encounter.facility is not None:
        location: Resource = {"display": encounter.facility.name}
        if encounter.facility.npi is not None:
            location["identifier"] = identifier(NPI_SYSTEM, encounter.facility.npi.value)
        out["location"] = [{"location": location}]
    return out
