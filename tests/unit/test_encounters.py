"""Worked scenarios for the encounter lifecycle: visits, inpatient stays, cancellations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import attrs
import pytest

from claimcore.codes import PlaceOfService
from claimcore.encounters import (
    NO_SHOW,
    TRANSITIONS,
    Admission,
    AdmissionSource,
    AdmissionType,
    Discharge,
    DischargeDisposition,
    Encounter,
    EncounterClass,
    EncounterEvent,
    EncounterStatus,
    admit,
    allowed_events,
    arrive,
    cancel,
    discharge,
    mark_entered_in_error,
    plan_encounter,
    record_no_show,
    start,
)
from claimcore.errors import InvalidTransition, TypeMismatch, ValidationError
from claimcore.ids import NPI, MedicalRecordNumber
from claimcore.patients import Address, PersonName
from claimcore.periods import Period
from claimcore.providers import CareTeamMember, Facility, Provider, ProviderRole

S = EncounterStatus
CENTRAL = timezone(timedelta(hours=-6))
MRN = MedicalRecordNumber("MRN00421234")
HOSPITAL = Facility(
    name="Memorial Hospital", place_of_service=PlaceOfService("21"),
    address=Address(lines=["1 Memorial Dr"], city="Springfield", state="IL",
                    postal_code="62701"),
)
HOPPER = Provider(npi=NPI("1234567893"), name=PersonName(given="Grace", family="Hopper"))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in March 2026, US Central standard time."""
    return datetime(2026, 3, day, hour, minute, tzinfo=CENTRAL)


def _office_visit() -> Encounter:
    return plan_encounter(id="ENC-1", patient=MRN, encounter_class=EncounterClass.AMBULATORY,
                          place_of_service=PlaceOfService("11"),
                          planned=Period.day(date(2026, 3, 2)))


def _inpatient() -> Encounter:
    return plan_encounter(
        id="ENC-2", patient=MRN, encounter_class=EncounterClass.INPATIENT, facility=HOSPITAL,
        care_team=[CareTeamMember(role=ProviderRole.ATTENDING, provider=HOPPER)],
    )


def _admitted(when: datetime | None = None) -> Encounter:
    return admit(_inpatient(), at=when or at(2, 22), admission_type=AdmissionType.EMERGENCY,
                 source=AdmissionSource.NON_HEALTH_CARE_FACILITY)


# -- happy paths --------------------------------------------------------------------------

def test_plan_encounter_starts_planned_with_empty_history() -> None:
    """A new encounter is planned, with no events, admission or discharge."""
    visit = _office_visit()
    assert (visit.status, visit.history, visit.admission, visit.discharge) == (
        S.PLANNED, (), None, None)
    assert (visit.arrived_at, visit.started_at, visit.ended_at) == (None, None, None)


def test_place_of_service_defaults_to_the_facility() -> None:
    """Without an explicit place of service the facility's (21, inpatient) is used."""
    assert _inpatient().place_of_service == PlaceOfService("21")
    other = plan_encounter(id="E", patient=MRN, encounter_class=EncounterClass.OBSERVATION,
                           facility=HOSPITAL, place_of_service=PlaceOfService("22"))
    assert other.place_of_service == PlaceOfService("22")
    with pytest.raises(ValidationError) as info:
        plan_encounter(id="E", patient=MRN, encounter_class=EncounterClass.AMBULATORY)
    assert info.value.rule == "place-of-service-required"


def test_office_visit_from_arrival_to_discharge() -> None:
    """Arrive 8:55, seen 9:05, leaves 9:40: three events, one date of service."""
    visit = arrive(_office_visit(), at=at(2, 8, 55))
    visit = start(visit, at=at(2, 9, 5))
    visit = discharge(visit, at=at(2, 9, 40), disposition=DischargeDisposition.HOME)

    assert visit.status is S.FINISHED
    assert [(e.from_status, e.to_status) for e in visit.history] == [
        (S.PLANNED, S.ARRIVED), (S.ARRIVED, S.IN_PROGRESS), (S.IN_PROGRESS, S.FINISHED)]
    assert (visit.arrived_at, visit.started_at, visit.ended_at) == (
        at(2, 8, 55), at(2, 9, 5), at(2, 9, 40))
    assert visit.discharge == Discharge(at=at(2, 9, 40), disposition=DischargeDisposition.HOME)
    assert visit.service_dates() == Period.day(date(2026, 3, 2))
    assert repr(visit) == (
        "Encounter(id='ENC-1', patient=***1234, class=ambulatory, status=finished, events=3)")


def test_virtual_visit_may_start_without_arriving() -> None:
    """start is allowed straight from planned."""
    visit = start(_office_visit(), at=at(2, 9))
    assert visit.status is S.IN_PROGRESS
    assert visit.service_dates() == Period(date(2026, 3, 2))


def test_inpatient_stay_records_admission_and_discharge() -> None:
    """Admitted through the ED on 2 March 22:00, home on 5 March: dates 2 to 5 March."""
    stay = _admitted()
    assert stay.admission == Admission(at=at(2, 22), admission_type=AdmissionType.EMERGENCY,
                                       source=AdmissionSource.NON_HEALTH_CARE_FACILITY)
    assert stay.status is S.IN_PROGRESS
    assert stay.providers_in(ProviderRole.ATTENDING) == (HOPPER,)
    assert stay.providers_in(ProviderRole.OPERATING) == ()

    stay = discharge(stay, at=at(5, 11), disposition=DischargeDisposition.HOME_HEALTH)

    assert stay.status is S.FINISHED
    assert stay.discharge is not None
    assert stay.discharge.disposition.value == "06"
    assert stay.service_dates() == Period(date(2026, 3, 2), date(2026, 3, 5))
    assert stay.service_dates().days() == 4
    assert repr(stay.admission) == "Admission(type=1, source=1)"
    assert repr(stay.discharge) == "Discharge(disposition=06)"


def test_service_dates_use_the_time_zone_recorded() -> None:
    """23:30 Central on 2 March is 3 March in UTC; the date follows the recorded offset."""
    visit = start(_office_visit(), at=at(2, 23, 30))
    assert visit.service_dates().start == date(2026, 3, 2)
    utc_visit = start(_office_visit(), at=at(2, 23, 30).astimezone(UTC))
    assert utc_visit.service_dates().start == date(2026, 3, 3)


def test_no_show_and_cancel() -> None:
    """A no-show cancels with reason 'no-show'; an arrived patient may still be cancelled."""
    no_show = record_no_show(_office_visit(), at=at(2, 10))
    assert no_show.status is S.CANCELLED
    assert no_show.history[-1].reason == NO_SHOW == "no-show"

    left = cancel(arrive(_office_visit(), at=at(2, 9)), at=at(2, 9, 30), reason="left")
    assert (left.status, left.history[-1].reason) == (S.CANCELLED, "left")
    with pytest.raises(ValidationError) as info:
        left.service_dates()
    assert info.value.rule == "not-started"


def test_entered_in_error_from_any_status_but_itself() -> None:
    """Any status but entered_in_error may be marked entered in error; that one is terminal."""
    finished = discharge(_admitted(), at=at(3, 9), disposition=DischargeDisposition.EXPIRED)
    voided = mark_entered_in_error(finished, at=at(4, 9), reason="duplicate")

    assert voided.status is S.ENTERED_IN_ERROR
    assert voided.discharge == finished.discharge  # the data stay for the record
    assert allowed_events(voided) == frozenset()
    with pytest.raises(InvalidTransition) as info:
        mark_entered_in_error(voided, at=at(4, 10))
    assert (info.value.current, info.value.event, info.value.allowed) == (
        "entered_in_error", "mark_entered_in_error", frozenset())


# -- the table ----------------------------------------------------------------------------

def test_transition_table_matches_fhir() -> None:
    """planned → arrived → in_progress → finished; cancelled from planned or arrived."""
    assert set(TRANSITIONS) == set(S)
    assert TRANSITIONS[S.PLANNED]["arrive"] is S.ARRIVED
    assert TRANSITIONS[S.ARRIVED]["start"] is S.IN_PROGRESS
    assert TRANSITIONS[S.IN_PROGRESS]["discharge"] is S.FINISHED
    cancelling = {s for s, moves in TRANSITIONS.items() if S.CANCELLED in moves.values()}
    assert cancelling == {S.PLANNED, S.ARRIVED}
    erring = {s for s, moves in TRANSITIONS.items() if S.ENTERED_IN_ERROR in moves.values()}
    assert erring == set(S) - {S.ENTERED_IN_ERROR}
    with pytest.raises(TypeError):
        TRANSITIONS[S.PLANNED]["finish"] = S.FINISHED  # type: ignore[index]


def test_allowed_events_depend_on_class() -> None:
    """Only an inpatient encounter is admitted; only the others are started."""
    assert allowed_events(_office_visit()) == {
        "arrive", "start", "cancel", "record_no_show", "mark_entered_in_error"}
    assert allowed_events(_inpatient()) == {
        "arrive", "admit", "cancel", "record_no_show", "mark_entered_in_error"}


def test_illegal_moves_raise_invalid_transition() -> None:
    """Each move outside the table names the state, the event and what is allowed."""
    with pytest.raises(InvalidTransition) as info:
        discharge(_office_visit(), at=at(2, 9), disposition=DischargeDisposition.HOME)
    assert (info.value.subject, info.value.current, info.value.event) == (
        "encounter", "planned", "discharge")
    assert "discharge" not in info.value.allowed

    with pytest.raises(InvalidTransition):
        record_no_show(arrive(_office_visit(), at=at(2, 9)), at=at(2, 10))
    with pytest.raises(InvalidTransition):
        start(_inpatient(), at=at(2, 9))
    with pytest.raises(InvalidTransition):
        admit(_office_visit(), at=at(2, 9), admission_type=AdmissionType.ELECTIVE,
              source=AdmissionSource.CLINIC_OR_PHYSICIAN_OFFICE)
    with pytest.raises(InvalidTransition):
        cancel(start(_office_visit(), at=at(2, 9)), at=at(2, 10))
    with pytest.raises(InvalidTransition):
        arrive(cancel(_office_visit(), at=at(2, 9)), at=at(2, 10))


# -- times --------------------------------------------------------------------------------

def test_discharge_never_before_admission() -> None:
    """A discharge dated before the admission is refused with its own rule."""
    with pytest.raises(ValidationError) as info:
        discharge(_admitted(at(2, 22)), at=at(2, 21, 59),
                  disposition=DischargeDisposition.HOME)
    assert (info.value.path, info.value.rule) == ("$.at", "discharge-before-admission")
    same_minute = discharge(_admitted(at(2, 22)), at=at(2, 22),
                            disposition=DischargeDisposition.LEFT_AGAINST_MEDICAL_ADVICE)
    assert same_minute.ended_at == same_minute.started_at


def test_events_never_go_back_in_time() -> None:
    """Each event is at or after the one before it, whatever the offsets."""
    arrived = arrive(_office_visit(), at=at(2, 9))
    with pytest.raises(ValidationError) as info:
        start(arrived, at=at(2, 8, 59))
    assert info.value.rule == "before-last-event"
    # 15:00 UTC is 9:00 Central: the same instant, so it is allowed.
    assert start(arrived, at=datetime(2026, 3, 2, 15, 0, tzinfo=UTC)).status is S.IN_PROGRESS


def test_naive_datetimes_are_refused() -> None:
    """A time without a zone is ambiguous and refused."""
    with pytest.raises(ValidationError) as info:
        arrive(_office_visit(), at=datetime(2026, 3, 2, 9, 0))
    assert (info.value.path, info.value.rule) == ("$.at", "aware")
    with pytest.raises(TypeMismatch):
        arrive(_office_visit(), at=date(2026, 3, 2))  # type: ignore[arg-type]


def test_discharge_cannot_say_still_patient() -> None:
    """Patient status 30 belongs on interim bills, not on a discharge."""
    with pytest.raises(ValidationError) as info:
        discharge(_admitted(), at=at(3, 9), disposition=DischargeDisposition.STILL_PATIENT)
    assert info.value.rule == "still-patient"


# -- invariants of a hand-built encounter ---------------------------------------------------

def test_inpatient_encounter_that_began_needs_its_admission() -> None:
    """An inpatient encounter in progress without admission data cannot exist."""
    stay = _admitted()
    assert stay.admission is not None
    with pytest.raises(ValidationError) as info:
        attrs.evolve(stay, admission=None)
    assert info.value.rule == "admission-required"
    with pytest.raises(ValidationError) as info:
        attrs.evolve(stay, admission=attrs.evolve(stay.admission, at=at(2, 23)))
    assert info.value.rule == "admission-unexpected"
    with pytest.raises(ValidationError) as info:
        attrs.evolve(stay, encounter_class=EncounterClass.AMBULATORY)
    assert info.value.rule == "admission-unexpected"


def test_finished_encounter_needs_its_discharge() -> None:
    """A finished encounter has an end; an unfinished one has none."""
    done = discharge(_admitted(), at=at(4, 9), disposition=DischargeDisposition.HOME)
    with pytest.raises(ValidationError) as info:
        attrs.evolve(done, discharge=None)
    assert info.value.rule == "discharge-required"
    with pytest.raises(ValidationError) as info:
        attrs.evolve(_admitted(), discharge=done.discharge)
    assert info.value.rule == "discharge-unexpected"


def test_status_and_history_must_agree() -> None:
    """The status is where the history leads, and the history is one unbroken chain."""
    visit = arrive(_office_visit(), at=at(2, 9))
    with pytest.raises(ValidationError) as info:
        attrs.evolve(visit, status=S.PLANNED)
    assert info.value.rule == "status-history"
    broken = EncounterEvent(from_status=S.IN_PROGRESS, to_status=S.FINISHED, at=at(2, 10))
    with pytest.raises(ValidationError) as info:
        attrs.evolve(visit, history=[*visit.history, broken], status=S.FINISHED)
    assert (info.value.path, info.value.rule) == ("$.history[1].from_status", "history-chain")
    earlier = EncounterEvent(from_status=S.ARRIVED, to_status=S.CANCELLED, at=at(2, 8))
    with pytest.raises(ValidationError) as info:
        attrs.evolve(visit, history=[*visit.history, earlier], status=S.CANCELLED)
    assert (info.value.path, info.value.rule) == ("$.history[1].at", "history-order")


def test_event_must_follow_the_table() -> None:
    """An event record from planned straight to finished cannot exist."""
    with pytest.raises(ValidationError) as info:
        EncounterEvent(from_status=S.PLANNED, to_status=S.FINISHED, at=at(2, 9))
    assert info.value.rule == "transition"
    event = EncounterEvent(from_status=S.PLANNED, to_status=S.CANCELLED, at=at(2, 9),
                           reason="patient moved away")
    assert repr(event) == "EncounterEvent(planned -> cancelled)"


def test_encounter_fields_are_type_checked() -> None:
    """Bad ids and wrong types are refused with the field's path."""
    with pytest.raises(ValidationError) as info:
        plan_encounter(id="", patient=MRN, encounter_class=EncounterClass.HOME,
                       place_of_service=PlaceOfService("12"))
    assert info.value.path == "$.id"
    with pytest.raises(TypeMismatch) as info:
        plan_encounter(id="E1", patient="MRN00421234",  # type: ignore[arg-type]
                       encounter_class=EncounterClass.HOME,
                       place_of_service=PlaceOfService("12"))
    assert info.value.path == "$.patient"
    with pytest.raises(TypeMismatch) as info:
        arrive("ENC-1", at=at(2, 9))  # type: ignore[arg-type]
    assert info.value.path == "$.encounter"
