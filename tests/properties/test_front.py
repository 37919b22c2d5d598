"""Laws for patients, providers and encounters: round trips, the encounter state machine,
history that loses nothing, and no PHI in any repr, str or error message."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from claimcore.encounters import (
    AdmissionSource,
    AdmissionType,
    DischargeDisposition,
    Encounter,
    EncounterClass,
    EncounterStatus,
    admit,
    arrive,
    cancel,
    discharge,
    mark_entered_in_error,
    record_no_show,
    start,
)
from claimcore.errors import ClaimcoreError, InvalidTransition, ValidationError
from claimcore.ids import SSN
from claimcore.patients import (
    MAX_AGE,
    Address,
    Contact,
    DemographicChange,
    Guarantor,
    Patient,
    PersonName,
    change_address,
    change_contacts,
    change_name,
    register,
)
from claimcore.serialization import dumps, loads, make_converter
from claimcore.strategies import (
    addresses,
    admissions,
    care_team_members,
    contacts,
    demographic_changes,
    discharges,
    encounter_events,
    encounters,
    facilities,
    guarantors,
    organizations,
    patients,
    person_names,
    providers,
)

CONVERTER = make_converter()
S = EncounterStatus

# -- round trips --------------------------------------------------------------------------

FRONT_STRATEGIES: dict[str, st.SearchStrategy[Any]] = {
    "PersonName": person_names(),
    "Address": addresses(),
    "Contact": contacts(),
    "DemographicChange": demographic_changes(),
    "Guarantor": guarantors(),
    "Patient": patients(),
    "Provider": providers(),
    "Organization": organizations(),
    "Facility": facilities(),
    "CareTeamMember": care_team_members(),
    "Admission": admissions(),
    "Discharge": discharges(),
    "EncounterEvent": encounter_events(),
    "Encounter": encounters(),
}


@pytest.mark.parametrize("name", sorted(FRONT_STRATEGIES))
@given(data=st.data())
def test_front_types_round_trip(name: str, data: st.DataObject) -> None:
    """structure(unstructure(v)) == v, and through JSON documents too."""
    value = data.draw(FRONT_STRATEGIES[name])
    cls = type(value)
    assert CONVERTER.structure(CONVERTER.unstructure(value), cls) == value
    assert loads(dumps(value), cls) == value


@pytest.mark.parametrize("name", sorted(FRONT_STRATEGIES))
@settings(max_examples=10)
@given(data=st.data())
def test_from_type_knows_front_types(name: str, data: st.DataObject) -> None:
    """st.from_type gives valid values of every front type (the strategies are registered)."""
    cls = type(data.draw(FRONT_STRATEGIES[name]))
    assert isinstance(data.draw(st.from_type(cls)), cls)


# -- the encounter state machine ----------------------------------------------------------

# The table as FHIR R4 Encounter.status and docs/architecture.md state it, written out apart from
# claimcore.encounters.TRANSITIONS so that the two check each other.
EXPECTED: dict[tuple[S, str], S] = {
    (S.PLANNED, "arrive"): S.ARRIVED,
    (S.PLANNED, "start"): S.IN_PROGRESS,
    (S.PLANNED, "admit"): S.IN_PROGRESS,
    (S.PLANNED, "cancel"): S.CANCELLED,
    (S.PLANNED, "record_no_show"): S.CANCELLED,
    (S.ARRIVED, "start"): S.IN_PROGRESS,
    (S.ARRIVED, "admit"): S.IN_PROGRESS,
    (S.ARRIVED, "cancel"): S.CANCELLED,
    (S.IN_PROGRESS, "discharge"): S.FINISHED,
    **{(s, "mark_entered_in_error"): S.ENTERED_IN_ERROR for s in S if s is not S.ENTERED_IN_ERROR},
}
EVENTS = sorted({event for _, event in EXPECTED})


def expected_target(encounter: Encounter, event: str) -> S | None:
    """Where the event leads, or None when the model forbids it."""
    inpatient = encounter.encounter_class is EncounterClass.INPATIENT
    if (event == "admit" and not inpatient) or (event == "start" and inpatient):
        return None
    return EXPECTED.get((encounter.status, event))


def apply(encounter: Encounter, event: str, at: datetime) -> Encounter:
    """Run one named event with fixed extra arguments."""
    moves: dict[str, Callable[[], Encounter]] = {
        "arrive": lambda: arrive(encounter, at=at),
        "start": lambda: start(encounter, at=at),
        "admit": lambda: admit(encounter, at=at, admission_type=AdmissionType.ELECTIVE,
                               source=AdmissionSource.CLINIC_OR_PHYSICIAN_OFFICE),
        "discharge": lambda: discharge(encounter, at=at,
                                       disposition=DischargeDisposition.HOME),
        "cancel": lambda: cancel(encounter, at=at, reason="rescheduled"),
        "record_no_show": lambda: record_no_show(encounter, at=at),
        "mark_entered_in_error": lambda: mark_entered_in_error(encounter, at=at),
    }
    return moves[event]()


class EncounterLifecycle(RuleBasedStateMachine):
    """Every sequence of events follows the table or raises InvalidTransition, and no
    input value ever changes."""

    def __init__(self) -> None:
        super().__init__()
        self.encounter: Encounter | None = None
        self.clock: datetime | None = None
        self.seen: list[tuple[Encounter, dict[str, Any], str]] = []

    @initialize(encounter=encounters(max_steps=3))
    def begin(self, encounter: Encounter) -> None:
        self.encounter = encounter
        last = encounter.history[-1].at if encounter.history else None
        self.clock = last or datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
        self.seen.append(self._snapshot(encounter))

    @staticmethod
    def _snapshot(encounter: Encounter) -> tuple[Encounter, dict[str, Any], str]:
        return encounter, copy.deepcopy(CONVERTER.unstructure(encounter)), repr(encounter)

    @rule(event=st.sampled_from(EVENTS), minutes=st.integers(0, 5000))
    def happen(self, event: str, minutes: int) -> None:
        assert self.encounter is not None and self.clock is not None
        before = self.encounter
        at = self.clock + timedelta(minutes=minutes)
        target = expected_target(before, event)
        if target is None:
            with pytest.raises(InvalidTransition) as info:
                apply(before, event, at)
            assert info.value.current == before.status.value
            assert info.value.event == event
            assert all(expected_target(before, e) is not None for e in info.value.allowed)
            return
        after = apply(before, event, at)
        assert after.status is target
        assert after.history[:-1] == before.history
        last = after.history[-1]
        assert (last.from_status, last.to_status, last.at) == (before.status, target, at)
        self.encounter, self.clock = after, at
        self.seen.append(self._snapshot(after))

    @rule(event=st.sampled_from(EVENTS), minutes=st.integers(1, 5000))
    @precondition(lambda self: self.encounter is not None and bool(self.encounter.history))
    def happen_too_early(self, event: str, minutes: int) -> None:
        assert self.encounter is not None and self.clock is not None
        at = self.clock - timedelta(minutes=minutes)
        expected = InvalidTransition if expected_target(self.encounter, event) is None else (
            ValidationError)
        with pytest.raises(expected):
            apply(self.encounter, event, at)

    @rule(event=st.sampled_from(EVENTS))
    def happen_without_a_zone(self, event: str) -> None:
        assert self.encounter is not None and self.clock is not None
        naive = self.clock.replace(tzinfo=None) + timedelta(days=1)
        with pytest.raises(ClaimcoreError):
            apply(self.encounter, event, naive)

    @invariant()
    def nothing_seen_ever_changes(self) -> None:
        for value, raw, shown in self.seen:
            assert CONVERTER.unstructure(value) == raw
            assert repr(value) == shown

    @invariant()
    def status_and_records_agree(self) -> None:
        e = self.encounter
        if e is None:
            return
        assert e.status is (e.history[-1].to_status if e.history else S.PLANNED)
        assert (e.discharge is not None) == (e.ended_at is not None)
        if e.status is S.FINISHED:
            assert e.ended_at is not None
            assert e.started_at is not None and e.started_at <= e.ended_at
        if e.encounter_class is EncounterClass.INPATIENT and e.started_at is not None:
            assert e.admission is not None and e.admission.at == e.started_at


TestEncounterLifecycle = EncounterLifecycle.TestCase


@given(encounters())
def test_terminal_states_accept_no_event(encounter: Encounter) -> None:
    """entered_in_error accepts nothing; finished and cancelled only entered_in_error."""
    assume(encounter.status in (S.FINISHED, S.CANCELLED, S.ENTERED_IN_ERROR))
    at = (encounter.history[-1].at if encounter.history else
          datetime(2026, 1, 1, tzinfo=UTC)) + timedelta(hours=1)
    for event in EVENTS:
        if event == "mark_entered_in_error" and encounter.status is not S.ENTERED_IN_ERROR:
            assert apply(encounter, event, at).status is S.ENTERED_IN_ERROR
            continue
        with pytest.raises(InvalidTransition):
            apply(encounter, event, at)


@given(encounters())
def test_service_dates_cover_start_to_end(encounter: Encounter) -> None:
    """A begun encounter's dates run from its start date to its end date (open if none)."""
    if encounter.started_at is None:
        with pytest.raises(ValidationError):
            encounter.service_dates()
        return
    dates = encounter.service_dates()
    assert dates.start == encounter.started_at.date()
    end = encounter.ended_at
    assert dates.end == (None if end is None else end.date())


# -- patients: history keeps everything -----------------------------------------------------

@given(patients())
def test_generated_patients_register(patient: Patient) -> None:
    """Every generated patient is one that register accepts on the strategy's as_of."""
    again = register(mrn=patient.mrn, name=patient.name, birth_date=patient.birth_date,
                     sex=patient.sex, as_of=date(2026, 1, 1), address=patient.address,
                     contacts=patient.contacts, ssn=patient.ssn, guarantor=patient.guarantor)
    assert again == attrs.evolve(patient, history=())
    assert 0 <= patient.age_on(date(2026, 1, 1)) <= MAX_AGE


@given(patients(), person_names(), st.none() | addresses(), st.lists(contacts(), max_size=3),
       st.integers(0, 400))
def test_changes_lose_nothing(
    patient: Patient, name: PersonName, address: Address | None, new: list[Contact], days: int
) -> None:
    """Each change keeps the earlier history, records the previous value, and leaves the
    input patient untouched."""
    on = (patient.history[-1].on if patient.history else patient.birth_date) + timedelta(days)
    snapshot = copy.deepcopy(CONVERTER.unstructure(patient))
    p1 = change_name(patient, name, on=on)
    p2 = change_address(p1, address, on=on)
    p3 = change_contacts(p2, new, on=on)
    assert CONVERTER.unstructure(patient) == snapshot
    assert p3.history[: len(patient.history)] == patient.history
    assert (p3.name, p3.address, p3.contacts) == (name, address, tuple(new))
    added = p3.history[len(patient.history):]
    expected_previous = [
        ("name", patient.name, name != patient.name),
        ("address", patient.address, address != patient.address),
        ("contacts", patient.contacts, tuple(new) != patient.contacts),
    ]
    recorded = [(c.field.value, c) for c in added]
    assert [f for f, _ in recorded] == [f for f, _, changed in expected_previous if changed]
    for field, change in recorded:
        previous = {"name": change.previous_name, "address": change.previous_address,
                    "contacts": change.previous_contacts}[field]
        assert previous == {f: v for f, v, _ in expected_previous}[field]
        assert change.on == on


# -- PHI never shows --------------------------------------------------------------------------

def _name_secrets(name: PersonName) -> Iterator[str]:
    for part in (name.family, name.given, name.middle):
        if part is not None:
            yield part
    yield name.display()


def _address_secrets(address: Address | None) -> Iterator[str]:
    if address is not None:
        yield from address.lines
        yield address.city
        yield address.postal_code


def _contact_secrets(contact: Contact) -> Iterator[str]:
    if contact.phone is not None:
        yield contact.phone
        yield contact.formatted_phone() or ""
        yield f"{contact.phone[:3]}-{contact.phone[3:6]}-{contact.phone[6:]}"
    if contact.email is not None:
        yield contact.email


def _date_secrets(day: date) -> Iterator[str]:
    yield day.isoformat()
    yield day.strftime("%m/%d/%Y")
    yield day.strftime("%Y%m%d")
    yield day.strftime("%m%d%Y")
    yield f"{day.year}, {day.month}, {day.day}"


def _ssn_secrets(ssn: SSN | None) -> Iterator[str]:
    if ssn is not None:
        yield ssn.unmasked
        yield f"{ssn.unmasked[:3]}-{ssn.unmasked[3:5]}-{ssn.unmasked[5:]}"


def _person_secrets(
    name: PersonName, birth: date | None, address: Address | None,
    contact_list: tuple[Contact, ...], ssn: SSN | None,
) -> set[str]:
    found = {*_name_secrets(name), *_address_secrets(address), *_ssn_secrets(ssn)}
    if birth is not None:
        found |= set(_date_secrets(birth))
    for contact in contact_list:
        found |= set(_contact_secrets(contact))
    return found


def patient_secrets(patient: Patient) -> set[str]:
    """Every PHI string a patient holds, in the forms a leak would take."""
    found = _person_secrets(patient.name, patient.birth_date, patient.address,
                            patient.contacts, patient.ssn)
    found.add(patient.mrn.unmasked)
    g = patient.guarantor
    if g is not None:
        found |= _person_secrets(g.name, g.birth_date, g.address, g.contacts, g.ssn)
    for change in patient.history:
        if change.previous_name is not None:
            found |= set(_name_secrets(change.previous_name))
        found |= set(_address_secrets(change.previous_address))
        for contact in change.previous_contacts:
            found |= set(_contact_secrets(contact))
    return {s for s in found if s}


def _errors(*attempts: Callable[[], object]) -> Iterator[str]:
    for attempt in attempts:
        try:
            attempt()
        except ClaimcoreError as err:
            yield str(err)
            yield repr(err)
            if isinstance(err, ValidationError):
                yield from (m for _, m in err.problems)
        else:  # pragma: no cover - every attempt above must fail
            raise AssertionError("expected an error")


def _bad_versions(patient: Patient) -> Iterator[Callable[[], object]]:
    """Operations that fail on this patient's own PHI."""
    b = patient.birth_date
    yield lambda: register(mrn=patient.mrn, name=patient.name, birth_date=b, sex=patient.sex,
                           as_of=b - timedelta(days=1))
    yield lambda: register(mrn=patient.mrn, name=patient.name, birth_date=b, sex=patient.sex,
                           as_of=date(b.year + MAX_AGE + 1, 12, 31))
    yield lambda: change_name(patient, patient.name, on=b - timedelta(days=1))
    for part in _name_secrets(patient.name):
        yield partial(PersonName, family=part + "#")
        yield partial(PersonName, family="Zed", given=part + "!")
    if patient.address is not None:
        a = patient.address
        yield lambda: attrs.evolve(a, lines=[a.lines[0] + " "])
        yield lambda: attrs.evolve(a, city=a.city + " ")
        yield lambda: attrs.evolve(a, lines=[a.lines[0] + "x" * 60])
        yield lambda: attrs.evolve(a, postal_code=a.postal_code + "0", country="US",
                                   state="IL")
        raw = CONVERTER.unstructure(patient)
        raw["address"]["lines"] = [a.lines[0] + "\t"]
        yield lambda: CONVERTER.structure(raw, Patient)
    for c in patient.contacts:
        if c.phone is not None:
            yield partial(Contact, use=c.use, phone=c.phone + "9")
            yield partial(Contact, use=c.use, phone=f"x{c.formatted_phone()}")
        if c.email is not None:
            yield partial(Contact, use=c.use, email=c.email.replace("@", "#"))
            yield partial(Contact, use=c.use, email=c.email + "@")
    if patient.ssn is not None:
        s = patient.ssn.unmasked
        yield lambda: SSN(s + "1")
        yield lambda: SSN("000" + s[3:])
    raw_mrn: Any = patient.mrn.unmasked
    yield lambda: attrs.evolve(patient, mrn=raw_mrn)
    yield lambda: attrs.evolve(patient, birth_date=datetime(b.year, b.month, b.day))


def _shown(values: list[object]) -> str:
    return "\n".join(f"{v!r}\n{v!s}" for v in values)


@given(patients())
def test_no_phi_in_patient_repr_str_or_errors(patient: Patient) -> None:
    """repr, str and error messages for a patient hold none of its PHI."""
    values: list[object] = [patient, patient.name, patient.address, *patient.contacts,
                            patient.guarantor, *patient.history]
    for change in patient.history:
        values += [change.previous_name, change.previous_address, *change.previous_contacts]
    if patient.guarantor is not None:
        values += [patient.guarantor.name, patient.guarantor.address, patient.guarantor.ssn]
    text = _shown(values) + "\n".join(_errors(*_bad_versions(patient)))
    leaked = sorted(s for s in patient_secrets(patient) if s in text)
    assert not leaked, leaked


@given(patients(), person_names(), addresses(), contacts(), st.none() | guarantors())
def test_patient_repr_depends_on_no_phi(
    patient: Patient, name: PersonName, address: Address, contact: Contact,
    guarantor: Guarantor | None,
) -> None:
    """Replacing every PHI field leaves repr unchanged (but the counts it shows)."""
    other = attrs.evolve(
        patient, name=name, address=address,
        contacts=[contact] * len(patient.contacts), birth_date=date(1970, 1, 1),
        guarantor=guarantor, history=(),
        ssn=None if patient.ssn is None else SSN("234567890"),
    )
    assert repr(other) == repr(patient).replace(
        f"changes={len(patient.history)}", "changes=0")
    assert repr(name) == repr(patient.name)
    assert repr(address) == repr(Address(lines=["1 A St"], city="Zzz", state="WY",
                                         postal_code="82001"))


@given(demographic_changes(), guarantors())
def test_no_phi_in_changes_and_guarantors(change: DemographicChange, g: Guarantor) -> None:
    """A change's repr shows only the field; a guarantor's only the relationship."""
    assert repr(change) == f"DemographicChange(field={change.field.value})"
    assert repr(g) == f"Guarantor(<redacted>, relationship={g.relationship.value})"


@given(encounters(), patients())
def test_no_phi_in_encounter_repr_or_errors(encounter: Encounter, patient: Patient) -> None:
    """An encounter's repr and its errors show no record number and no patient dates."""
    encounter = attrs.evolve(encounter, patient=patient.mrn)
    values: list[object] = [encounter, *encounter.history, encounter.admission,
                            encounter.discharge]
    at = (encounter.history[-1].at if encounter.history else
          datetime(2026, 1, 1, tzinfo=UTC)) + timedelta(hours=1)
    attempts: list[Callable[[], object]] = [
        partial(apply, encounter, event, at) for event in EVENTS
        if expected_target(encounter, event) is None
    ]
    attempts.append(partial(apply, encounter, "mark_entered_in_error", at.replace(tzinfo=None)))
    if encounter.history:
        early = encounter.history[-1].at - timedelta(minutes=1)
        attempts += [partial(apply, encounter, event, early) for event in EVENTS
                     if expected_target(encounter, event) is not None]
    text = _shown(values) + "\n".join(_errors(*attempts))
    secrets = {patient.mrn.unmasked}
    for event in encounter.history:
        secrets |= {event.at.isoformat(), event.at.date().isoformat(),
                    event.at.strftime("%m/%d/%Y")}
    # The encounter id is shown on purpose: it is drawn apart from the patient's PHI
    # (lower-case letters), so any record number or date in the text is a leak.
    leaked = sorted(s for s in secrets if s in text)
    assert not leaked, leaked
