"""Encounters: a patient's visit or stay, from planned to finished, as a state machine.

The statuses follow FHIR R4 ``Encounter.status`` (with ``_`` where FHIR writes ``-``)::

    planned ──arrive──► arrived ──start / admit──► in_progress ──discharge──► finished
       │  └──────────────start / admit────────────────┘
       ├──cancel / record_no_show──► cancelled ◄──cancel── arrived
       └── any status but entered_in_error ──mark_entered_in_error──► entered_in_error

An inpatient encounter begins with :func:`admit` (which records the UB-04 admission type
and point of origin); every other class begins with :func:`start`. Every encounter ends
with :func:`discharge`, which records the UB-04 patient status (an outpatient claim
carries it too). Each transition takes its time as an aware ``datetime``, never runs
backwards, and appends an :class:`EncounterEvent` to the history. ``entered_in_error`` is
terminal; ``finished`` and ``cancelled`` accept only ``mark_entered_in_error``.

Dates tied to a patient (arrival, admission, discharge) and the patient's record number
are PHI: ``repr`` and error messages show neither the dates nor the unmasked number.

>>> from datetime import UTC, datetime
>>> from claimcore.codes import PlaceOfService
>>> from claimcore.ids import MedicalRecordNumber
>>> visit = plan_encounter(
...     id="ENC-1", patient=MedicalRecordNumber("MRN00421234"),
...     encounter_class=EncounterClass.AMBULATORY, place_of_service=PlaceOfService("11"),
... )
>>> visit = arrive(visit, at=datetime(2026, 3, 2, 8, 55, tzinfo=UTC))
>>> visit = start(visit, at=datetime(2026, 3, 2, 9, 5, tzinfo=UTC))
>>> visit = discharge(visit, at=datetime(2026, 3, 2, 9, 40, tzinfo=UTC),
...                   disposition=DischargeDisposition.HOME)
>>> visit
Encounter(id='ENC-1', patient=***1234, class=ambulatory, status=finished, events=3)
>>> str(visit.service_dates())
'2026-03-02..2026-03-02'
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Final

import attrs

from claimcore._validate import (
    aware_datetime,
    instance,
    members,
    optional_instance,
    optional_text,
    to_tuple,
)
from claimcore.codes import PlaceOfService
from claimcore.errors import InvalidTransition, ValidationError
from claimcore.ids import EncounterId, MedicalRecordNumber, as_encounter_id
from claimcore.periods import Period
from claimcore.providers import CareTeamMember, Facility, Provider, ProviderRole

__all__ = [
    "NO_SHOW",
    "TRANSITIONS",
    "Admission",
    "AdmissionSource",
    "AdmissionType",
    "Discharge",
    "DischargeDisposition",
    "Encounter",
    "EncounterClass",
    "EncounterEvent",
    "EncounterStatus",
    "admit",
    "allowed_events",
    "arrive",
    "cancel",
    "discharge",
    "mark_entered_in_error",
    "plan_encounter",
    "record_no_show",
    "start",
]

_REASON: Final = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?")
NO_SHOW: Final = "no-show"
"""The reason :func:`record_no_show` records on the cancelling event."""


class EncounterClass(enum.StrEnum):
    """The kind of encounter (FHIR ``Encounter.class``, v3 ActCode in brackets).

    ambulatory (AMB), emergency (EMER), inpatient (IMP), observation (OBSENC),
    virtual (VR), home health (HH).
    """

    AMBULATORY = "ambulatory"
    EMERGENCY = "emergency"
    INPATIENT = "inpatient"
    OBSERVATION = "observation"
    VIRTUAL = "virtual"
    HOME = "home"


class EncounterStatus(enum.StrEnum):
    """Where an encounter stands (FHIR R4 ``Encounter.status``)."""

    PLANNED = "planned"
    ARRIVED = "arrived"
    IN_PROGRESS = "in_progress"
    FINISHED = "finished"
    CANCELLED = "cancelled"
    ENTERED_IN_ERROR = "entered_in_error"


class AdmissionType(enum.StrEnum):
    """Priority (type) of an inpatient admission: UB-04 form locator 14, X12 837I ``CL101``."""

    EMERGENCY = "1"
    URGENT = "2"
    ELECTIVE = "3"
    NEWBORN = "4"
    TRAUMA = "5"
    INFORMATION_NOT_AVAILABLE = "9"


class AdmissionSource(enum.StrEnum):
    """Point of origin for an admission: UB-04 form locator 15, X12 837I ``CL102``.

    For a newborn (admission type 4), code 5 means born inside this hospital and code 6
    born outside it. Codes 3 and 7 were retired by the NUBC and are not accepted.
    """

    NON_HEALTH_CARE_FACILITY = "1"
    CLINIC_OR_PHYSICIAN_OFFICE = "2"
    TRANSFER_FROM_HOSPITAL = "4"
    TRANSFER_FROM_SNF_ICF_OR_ALF = "5"
    TRANSFER_FROM_OTHER_HEALTH_FACILITY = "6"
    COURT_OR_LAW_ENFORCEMENT = "8"
    INFORMATION_NOT_AVAILABLE = "9"
    TRANSFER_WITHIN_HOSPITAL_SEPARATE_CLAIM = "D"
    TRANSFER_FROM_AMBULATORY_SURGERY_CENTER = "E"
    TRANSFER_FROM_HOSPICE = "F"


class DischargeDisposition(enum.StrEnum):
    """Patient discharge status: UB-04 form locator 17, X12 837I ``CL103``.

    Codes 81 to 95 are the same destinations as 01 to 70 with a planned acute-care
    readmission. ``STILL_PATIENT`` (30) belongs on interim bills only, never on a
    :class:`Discharge`.
    """

    HOME = "01"
    SHORT_TERM_HOSPITAL = "02"
    SKILLED_NURSING_FACILITY = "03"
    INTERMEDIATE_CARE_FACILITY = "04"
    CANCER_CENTER_OR_CHILDRENS_HOSPITAL = "05"
    HOME_HEALTH = "06"
    LEFT_AGAINST_MEDICAL_ADVICE = "07"
    ADMITTED_AS_INPATIENT = "09"
    EXPIRED = "20"
    COURT_OR_LAW_ENFORCEMENT = "21"
    STILL_PATIENT = "30"
    HOSPICE_EXPIRED_AT_HOME = "40"
    HOSPICE_EXPIRED_IN_MEDICAL_FACILITY = "41"
    HOSPICE_EXPIRED_PLACE_UNKNOWN = "42"
    FEDERAL_HEALTH_CARE_FACILITY = "43"
    HOSPICE_HOME = "50"
    HOSPICE_MEDICAL_FACILITY = "51"
    SWING_BED = "61"
    INPATIENT_REHABILITATION_FACILITY = "62"
    LONG_TERM_CARE_HOSPITAL = "63"
    MEDICAID_NURSING_FACILITY = "64"
    PSYCHIATRIC_HOSPITAL = "65"
    CRITICAL_ACCESS_HOSPITAL = "66"
    DISASTER_ALTERNATIVE_CARE_SITE = "69"
    OTHER_INSTITUTION = "70"
    HOME_PLANNED_READMISSION = "81"
    SHORT_TERM_HOSPITAL_PLANNED_READMISSION = "82"
    SKILLED_NURSING_FACILITY_PLANNED_READMISSION = "83"
    INTERMEDIATE_CARE_FACILITY_PLANNED_READMISSION = "84"
    CANCER_CENTER_OR_CHILDRENS_HOSPITAL_PLANNED_READMISSION = "85"
    HOME_HEALTH_PLANNED_READMISSION = "86"
    COURT_OR_LAW_ENFORCEMENT_PLANNED_READMISSION = "87"
    FEDERAL_HEALTH_CARE_FACILITY_PLANNED_READMISSION = "88"
    SWING_BED_PLANNED_READMISSION = "89"
    INPATIENT_REHABILITATION_FACILITY_PLANNED_READMISSION = "90"
    LONG_TERM_CARE_HOSPITAL_PLANNED_READMISSION = "91"
    MEDICAID_NURSING_FACILITY_PLANNED_READMISSION = "92"
    PSYCHIATRIC_HOSPITAL_PLANNED_READMISSION = "93"
    CRITICAL_ACCESS_HOSPITAL_PLANNED_READMISSION = "94"
    OTHER_INSTITUTION_PLANNED_READMISSION = "95"


_S = EncounterStatus

TRANSITIONS: Final[Mapping[EncounterStatus, Mapping[str, EncounterStatus]]] = MappingProxyType({
    _S.PLANNED: MappingProxyType({
        "arrive": _S.ARRIVED,
        "start": _S.IN_PROGRESS,
        "admit": _S.IN_PROGRESS,
        "cancel": _S.CANCELLED,
        "record_no_show": _S.CANCELLED,
        "mark_entered_in_error": _S.ENTERED_IN_ERROR,
    }),
    _S.ARRIVED: MappingProxyType({
        "start": _S.IN_PROGRESS,
        "admit": _S.IN_PROGRESS,
        "cancel": _S.CANCELLED,
        "mark_entered_in_error": _S.ENTERED_IN_ERROR,
    }),
    _S.IN_PROGRESS: MappingProxyType({
        "discharge": _S.FINISHED,
        "mark_entered_in_error": _S.ENTERED_IN_ERROR,
    }),
    _S.FINISHED: MappingProxyType({"mark_entered_in_error": _S.ENTERED_IN_ERROR}),
    _S.CANCELLED: MappingProxyType({"mark_entered_in_error": _S.ENTERED_IN_ERROR}),
    _S.ENTERED_IN_ERROR: MappingProxyType({}),
})
"""The encounter state machine: for each status, the events it accepts and where they lead.

``admit`` is for inpatient encounters only and ``start`` for every other class
(:func:`allowed_events` applies that rule).
"""


@attrs.frozen(kw_only=True, repr=False)
class EncounterEvent:
    """One step in an encounter's history: from which status to which, when and why.

    FHIR ``Encounter.statusHistory``. ``repr`` shows the statuses only (the time is PHI).
    """

    from_status: EncounterStatus
    to_status: EncounterStatus
    at: datetime
    reason: str | None = None

    def __attrs_post_init__(self) -> None:
        instance(self.from_status, EncounterStatus, "$.from_status")
        instance(self.to_status, EncounterStatus, "$.to_status")
        aware_datetime(self.at, "$.at")
        optional_text(self.reason, "$.reason", pattern=_REASON, max_len=200, phi=True,
                      expected="printable ASCII without leading or trailing spaces")
        if self.to_status not in TRANSITIONS[self.from_status].values():
            raise ValidationError(
                f"no event leads from {self.from_status.value!r} to "
                f"{self.to_status.value!r}", path="$.to_status", rule="transition",
            )

    def __repr__(self) -> str:
        return f"EncounterEvent({self.from_status.value} -> {self.to_status.value})"


@attrs.frozen(kw_only=True, repr=False)
class Admission:
    """An inpatient admission: when, its type (priority) and its point of origin.

    UB-04 form locators 12-15; X12 837I ``DTP*435`` (admission date and hour) and ``CL101``/
    ``CL102``; FHIR ``Encounter.hospitalization.admitSource``. ``repr`` hides the time.
    """

    at: datetime
    admission_type: AdmissionType
    source: AdmissionSource

    def __attrs_post_init__(self) -> None:
        aware_datetime(self.at, "$.at")
        instance(self.admission_type, AdmissionType, "$.admission_type")
        instance(self.source, AdmissionSource, "$.source")

    def __repr__(self) -> str:
        return f"Admission(type={self.admission_type.value}, source={self.source.value})"


@attrs.frozen(kw_only=True, repr=False)
class Discharge:
    """The end of an encounter: when, and the patient's discharge status.

    UB-04 form locators 16-17; X12 837I ``DTP*096`` (discharge hour) and ``CL103``; FHIR
    ``Encounter.hospitalization.dischargeDisposition``. ``repr`` hides the time.
    """

    at: datetime
    disposition: DischargeDisposition

    def __attrs_post_init__(self) -> None:
        aware_datetime(self.at, "$.at")
        instance(self.disposition, DischargeDisposition, "$.disposition")
        if self.disposition is DischargeDisposition.STILL_PATIENT:
            raise ValidationError(
                "a discharge cannot have status 30 (still a patient); an interim bill "
                "needs no discharge", path="$.disposition", rule="still-patient",
            )

    def __repr__(self) -> str:
        return f"Discharge(disposition={self.disposition.value})"


def _id(value: EncounterId | str) -> EncounterId:
    return as_encounter_id(value, "$.id")


def _care_team(value: Iterable[CareTeamMember]) -> tuple[CareTeamMember, ...]:
    return to_tuple(value)


def _events(value: Iterable[EncounterEvent]) -> tuple[EncounterEvent, ...]:
    return to_tuple(value)


def _reached(history: tuple[EncounterEvent, ...], status: EncounterStatus) -> datetime | None:
    for event in history:
        if event.to_status is status:
            return event.at
    return None


@attrs.frozen(kw_only=True, repr=False)
class Encounter:
    """A patient's visit or stay at a facility, with its care team, status and history.

    ``id`` is the provider's :class:`~claimcore.ids.EncounterId` (a ``str`` is read as one);
    a claim names the encounter it bills by it. ``patient`` refers to the
    :class:`~claimcore.patients.Patient` by record number.
    ``planned`` is the span of dates the encounter is expected to cover. ``history``
    records every transition, oldest first; the encounter's status is where the last one
    led (``planned`` when there is none). An inpatient encounter that began holds its
    :class:`Admission`; an encounter that finished holds its :class:`Discharge`.
    FHIR ``Encounter``; X12 837 ``CLM``/``DTP``/``CL1`` draw on it.
    """

    id: EncounterId = attrs.field(converter=_id)
    patient: MedicalRecordNumber
    encounter_class: EncounterClass
    place_of_service: PlaceOfService
    facility: Facility | None = None
    care_team: tuple[CareTeamMember, ...] = attrs.field(default=(), converter=_care_team)
    planned: Period | None = None
    status: EncounterStatus = EncounterStatus.PLANNED
    admission: Admission | None = None
    discharge: Discharge | None = None
    history: tuple[EncounterEvent, ...] = attrs.field(default=(), converter=_events)

    def __attrs_post_init__(self) -> None:
        instance(self.id, EncounterId, "$.id")
        instance(self.patient, MedicalRecordNumber, "$.patient")
        instance(self.encounter_class, EncounterClass, "$.encounter_class")
        instance(self.place_of_service, PlaceOfService, "$.place_of_service")
        optional_instance(self.facility, Facility, "$.facility")
        members(self.care_team, CareTeamMember, "$.care_team")
        optional_instance(self.planned, Period, "$.planned")
        instance(self.status, EncounterStatus, "$.status")
        optional_instance(self.admission, Admission, "$.admission")
        optional_instance(self.discharge, Discharge, "$.discharge")
        members(self.history, EncounterEvent, "$.history")
        self._check_history()
        self._check_admission_and_discharge()

    def _check_history(self) -> None:
        current = EncounterStatus.PLANNED
        last: datetime | None = None
        for i, event in enumerate(self.history):
            if event.from_status is not current:
                raise ValidationError(
                    f"must start where the event before it led ({current.value!r})",
                    path=f"$.history[{i}].from_status", rule="history-chain",
                )
            if last is not None and event.at < last:
                raise ValidationError(
                    "must not be before the event before it", path=f"$.history[{i}].at",
                    rule="history-order",
                )
            current, last = event.to_status, event.at
        if self.status is not current:
            raise ValidationError(
                f"must be where the history leads ({current.value!r})", path="$.status",
                rule="status-history",
            )

    def _check_admission_and_discharge(self) -> None:
        started = _reached(self.history, EncounterStatus.IN_PROGRESS)
        finished = _reached(self.history, EncounterStatus.FINISHED)
        inpatient = self.encounter_class is EncounterClass.INPATIENT
        if self.admission is None:
            if inpatient and started is not None:
                raise ValidationError(
                    "an inpatient encounter that began must hold its admission",
                    path="$.admission", rule="admission-required",
                )
        elif not inpatient or started is None or self.admission.at != started:
            raise ValidationError(
                "only an inpatient encounter that began holds an admission, dated when it "
                "began", path="$.admission", rule="admission-unexpected",
            )
        if self.discharge is None:
            if finished is not None:
                raise ValidationError(
                    "a finished encounter must hold its discharge", path="$.discharge",
                    rule="discharge-required",
                )
        elif finished is None or self.discharge.at != finished:
            raise ValidationError(
                "only a finished encounter holds a discharge, dated when it finished",
                path="$.discharge", rule="discharge-unexpected",
            )

    @property
    def arrived_at(self) -> datetime | None:
        """When the patient arrived, if the encounter went through ``arrived``."""
        return _reached(self.history, EncounterStatus.ARRIVED)

    @property
    def started_at(self) -> datetime | None:
        """When the encounter began (for an inpatient stay, the admission)."""
        return _reached(self.history, EncounterStatus.IN_PROGRESS)

    @property
    def ended_at(self) -> datetime | None:
        """When the encounter finished (the discharge), or ``None``."""
        return None if self.discharge is None else self.discharge.at

    def service_dates(self) -> Period:
        """The calendar dates the encounter covered, from its start to its end.

        Each date is taken in the time zone its datetime carries (the facility's local
        time, as the caller recorded it). An encounter still in progress gives an open
        period. An encounter that never began has no dates of service.
        """
        started = self.started_at
        if started is None:
            raise ValidationError(
                "an encounter that never began has no dates of service",
                path="$.history", rule="not-started",
            )
        ended = self.ended_at
        return Period(started.date(), None if ended is None else ended.date())

    def providers_in(self, role: ProviderRole) -> tuple[Provider, ...]:
        """The care team's providers in ``role``, in care-team order."""
        return tuple(m.provider for m in self.care_team if m.role is role)

    def __repr__(self) -> str:
        return (
            f"Encounter(id={self.id.value!r}, patient={self.patient.masked}, "
            f"class={self.encounter_class.value}, status={self.status.value}, "
            f"events={len(self.history)})"
        )


def plan_encounter(
    *,
    id: EncounterId | str,
    patient: MedicalRecordNumber,
    encounter_class: EncounterClass,
    facility: Facility | None = None,
    place_of_service: PlaceOfService | None = None,
    care_team: Iterable[CareTeamMember] = (),
    planned: Period | None = None,
) -> Encounter:
    """A new ``planned`` encounter with an empty history.

    The place of service defaults to the facility's; one of the two must be given.
    """
    optional_instance(facility, Facility, "$.facility")
    if place_of_service is None:
        if facility is None:
            raise ValidationError(
                "give a place of service or a facility that has one",
                path="$.place_of_service", rule="place-of-service-required",
            )
        place_of_service = facility.place_of_service
    return Encounter(
        id=id, patient=patient, encounter_class=encounter_class,
        place_of_service=place_of_service, facility=facility, care_team=care_team,
        planned=planned,
    )


def allowed_events(encounter: Encounter) -> frozenset[str]:
    """The events the encounter accepts now (``admit`` only inpatient, ``start`` never)."""
    events = frozenset(TRANSITIONS[encounter.status])
    if encounter.encounter_class is EncounterClass.INPATIENT:
        return events - {"start"}
    return events - {"admit"}


def _move(
    encounter: Encounter, event: str, at: datetime, reason: str | None = None
) -> tuple[EncounterStatus, EncounterEvent]:
    """Check that ``event`` may happen at ``at``; the target status and the event record."""
    instance(encounter, Encounter, "$.encounter")
    allowed = allowed_events(encounter)
    if event not in allowed:
        raise InvalidTransition(
            subject="encounter", current=encounter.status.value, event=event,
            allowed=allowed,
        )
    aware_datetime(at, "$.at")
    if encounter.history and at < encounter.history[-1].at:
        if event == "discharge":  # in progress: the last event is the admission or start
            raise ValidationError(
                "must not be before the admission (or the start) of the encounter",
                path="$.at", rule="discharge-before-admission",
            )
        raise ValidationError(
            "must not be before the encounter's last event", path="$.at",
            rule="before-last-event",
        )
    target = TRANSITIONS[encounter.status][event]
    return target, EncounterEvent(
        from_status=encounter.status, to_status=target, at=at, reason=reason
    )


def _evolve(
    encounter: Encounter, target: EncounterStatus, event: EncounterEvent, *,
    admission: Admission | None = None, discharge: Discharge | None = None,
) -> Encounter:
    return attrs.evolve(
        encounter, status=target, history=(*encounter.history, event),
        admission=admission or encounter.admission, discharge=discharge or encounter.discharge,
    )


def arrive(encounter: Encounter, *, at: datetime) -> Encounter:
    """The patient has arrived (checked in) and waits to be seen."""
    target, event = _move(encounter, "arrive", at)
    return _evolve(encounter, target, event)


def start(encounter: Encounter, *, at: datetime) -> Encounter:
    """A non-inpatient encounter begins: the patient is being seen."""
    target, event = _move(encounter, "start", at)
    return _evolve(encounter, target, event)


def admit(
    encounter: Encounter, *, at: datetime, admission_type: AdmissionType,
    source: AdmissionSource,
) -> Encounter:
    """An inpatient encounter begins with the admission (UB-04 FL 12-15)."""
    target, event = _move(encounter, "admit", at)
    admission = Admission(at=at, admission_type=admission_type, source=source)
    return _evolve(encounter, target, event, admission=admission)


def discharge(
    encounter: Encounter, *, at: datetime, disposition: DischargeDisposition
) -> Encounter:
    """The encounter ends; the patient leaves with a discharge status (UB-04 FL 17).

    The discharge is never before the admission (or the start).
    """
    target, event = _move(encounter, "discharge", at)
    record = Discharge(at=at, disposition=disposition)
    return _evolve(encounter, target, event, discharge=record)


def cancel(encounter: Encounter, *, at: datetime, reason: str | None = None) -> Encounter:
    """The encounter will not happen (from ``planned`` or ``arrived``)."""
    target, event = _move(encounter, "cancel", at, reason)
    return _evolve(encounter, target, event)


def record_no_show(encounter: Encounter, *, at: datetime) -> Encounter:
    """The patient did not come: the planned encounter is cancelled with reason ``no-show``."""
    target, event = _move(encounter, "record_no_show", at, NO_SHOW)
    return _evolve(encounter, target, event)


def mark_entered_in_error(
    encounter: Encounter, *, at: datetime, reason: str | None = None
) -> Encounter:
    """The encounter should never have existed; its data stay for the record."""
    target, event = _move(encounter, "mark_entered_in_error", at, reason)
    return _evolve(encounter, target, event)
