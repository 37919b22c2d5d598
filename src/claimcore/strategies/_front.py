"""Strategies for the front of the cycle: patients, providers and encounters.

Generated PHI is made distinctive on purpose, so that a test can search ``repr`` and error
messages for it and a hit means a leak, not a coincidence: every name part and city is a
capitalised word of at least four letters whose first letter starts no word claimcore
prints (B, H, J, K, W, Y or Z); street lines carry a house number; e-mail addresses hold
an ``@``; phone numbers are ten digits.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta, timezone

from hypothesis import strategies as st

from claimcore.codes import PLACES_OF_SERVICE, PlaceOfService
from claimcore.encounters import (
    TRANSITIONS,
    Admission,
    AdmissionSource,
    AdmissionType,
    Discharge,
    DischargeDisposition,
    Encounter,
    EncounterClass,
    EncounterEvent,
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
from claimcore.patients import (
    MAX_AGE,
    US_STATES,
    Address,
    AdministrativeSex,
    Contact,
    ContactUse,
    DemographicChange,
    DemographicField,
    Guarantor,
    GuarantorRelationship,
    Patient,
    PersonName,
    change_address,
    change_contacts,
    change_name,
)
from claimcore.providers import CareTeamMember, Facility, Organization, Provider, ProviderRole
from claimcore.strategies._core import (
    encounter_ids,
    medical_record_numbers,
    npis,
    periods,
    ssns,
    tax_ids,
)

__all__ = [
    "addresses",
    "admissions",
    "aware_datetimes",
    "care_team_members",
    "contacts",
    "demographic_changes",
    "discharges",
    "encounter_events",
    "encounters",
    "facilities",
    "guarantors",
    "organizations",
    "patients",
    "person_names",
    "providers",
]

_INITIALS = "BHJKWYZ"
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_DIGITS_AND_CAPITALS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_STATES = tuple(sorted(US_STATES))
_PLACES = tuple(PLACES_OF_SERVICE)
_STREET_KINDS = ("St", "Ave", "Rd", "Blvd", "Ln", "Way", "Ct")
_TAXONOMIES = (
    "207Q00000X",  # family medicine
    "207R00000X",  # internal medicine
    "207P00000X",  # emergency medicine
    "208D00000X",  # general practice
    "2084N0400X",  # neurology
    "363LF0000X",  # family nurse practitioner
    "363A00000X",  # physician assistant
)
_ORG_TAXONOMIES = (
    "261QP2300X",  # primary care clinic
    "282N00000X",  # general acute care hospital
    "193200000X",  # multi-specialty group
    "261QU0200X",  # urgent care clinic
)
_ZONES = (
    UTC,
    timezone(timedelta(hours=-5)),
    timezone(timedelta(hours=-8)),
    timezone(timedelta(hours=-10)),
)
_DISPOSITIONS = tuple(
    d for d in DischargeDisposition if d is not DischargeDisposition.STILL_PATIENT
)


@functools.cache
def _word(min_size: int = 4, max_size: int = 10) -> st.SearchStrategy[str]:
    """A capitalised word that no claimcore repr or message contains (built once per size)."""
    return st.builds(
        lambda first, rest: first + rest,
        st.sampled_from(_INITIALS),
        st.text(_LOWER, min_size=min_size - 1, max_size=max_size - 1),
    )


def person_names() -> st.SearchStrategy[PersonName]:
    """Names with a family name and usually a given name; sometimes middle, prefix, suffix."""
    return st.builds(
        PersonName,
        family=_word(4, 20),
        given=st.none() | _word(4, 12),
        middle=st.none() | _word(4, 12),
        prefix=st.none() | st.sampled_from(("Dr.", "Mr.", "Ms.", "Mrs.", "Mx.")),
        suffix=st.none() | st.sampled_from(("Jr.", "Sr.", "II", "III", "IV")),
    )


@st.composite
def _us_address(draw: st.DrawFn) -> Address:
    number = draw(st.integers(1, 99999))
    street = f"{number} {draw(_word(4, 12))} {draw(st.sampled_from(_STREET_KINDS))}"
    lines = [street]
    if draw(st.booleans()):
        lines.append(f"Unit {draw(st.integers(1, 9999))}{draw(_word(4, 6))}")
    zip_code = f"{draw(st.integers(0, 99999)):05d}"
    if draw(st.booleans()):
        zip_code += f"{draw(st.integers(0, 9999)):04d}"
    return Address(
        lines=lines, city=draw(_word(4, 20)), state=draw(st.sampled_from(_STATES)),
        postal_code=zip_code,
    )


@st.composite
def _foreign_address(draw: st.DrawFn) -> Address:
    country, state, postal = draw(st.sampled_from((
        ("CA", "ON", "K1A 0B1"), ("MX", "JAL", "44100"), ("GB", "ENG", "SW1A 1AA"),
    )))
    number = draw(st.integers(1, 9999))
    return Address(
        lines=[f"{number} {draw(_word(4, 12))} Rd"], city=draw(_word(4, 20)), state=state,
        postal_code=postal, country=country,
    )


def addresses(*, us_only: bool = False) -> st.SearchStrategy[Address]:
    """Postal addresses: US ones (ZIP of 5 or 9 digits), sometimes a foreign one."""
    if us_only:
        return _us_address()
    return st.one_of(_us_address(), _us_address(), _us_address(), _foreign_address())


def _phones() -> st.SearchStrategy[str]:
    return st.integers(2_000_000_000, 9_999_999_999).map(str)


def _emails() -> st.SearchStrategy[str]:
    return st.builds(
        lambda local, host, tld: f"{local.lower()}@{host.lower()}.{tld}",
        _word(4, 12), _word(4, 12), st.sampled_from(("org", "com", "net", "us")),
    )


def contacts() -> st.SearchStrategy[Contact]:
    """A phone, an e-mail or both, with their use."""
    return st.one_of(
        st.builds(Contact, use=st.sampled_from(ContactUse), phone=_phones()),
        st.builds(Contact, use=st.sampled_from(ContactUse), email=_emails()),
        st.builds(Contact, use=st.sampled_from(ContactUse), phone=_phones(), email=_emails()),
    )


def demographic_changes(
    *, min_value: date = date(1900, 1, 1), max_value: date = date(2030, 12, 31)
) -> st.SearchStrategy[DemographicChange]:
    """One dated change, holding the previous value of the field it names."""
    on = st.dates(min_value=min_value, max_value=max_value)
    return st.one_of(
        st.builds(DemographicChange, on=on, field=st.just(DemographicField.NAME),
                  previous_name=person_names()),
        st.builds(DemographicChange, on=on, field=st.just(DemographicField.ADDRESS),
                  previous_address=st.none() | addresses()),
        st.builds(DemographicChange, on=on, field=st.just(DemographicField.CONTACTS),
                  previous_contacts=st.lists(contacts(), max_size=3).map(tuple)),
    )


def guarantors() -> st.SearchStrategy[Guarantor]:
    """Responsible parties other than the patient (a parent, a spouse, ...)."""
    return st.builds(
        Guarantor,
        relationship=st.sampled_from(GuarantorRelationship),
        name=person_names(),
        birth_date=st.none() | st.dates(min_value=date(1930, 1, 1),
                                        max_value=date(2008, 1, 1)),
        address=st.none() | addresses(),
        contacts=st.lists(contacts(), max_size=2).map(tuple),
        ssn=st.none() | ssns(),
    )


def patients(
    *, as_of: date = date(2026, 1, 1), max_changes: int = 2
) -> st.SearchStrategy[Patient]:
    """Patients that :func:`~claimcore.patients.register` accepts on ``as_of``.

    Some have a guarantor, and up to ``max_changes`` demographic changes in their history
    (made with the change transitions, dated between birth and ``as_of``).
    """

    # Strategies are built once here, not at every draw (building them is the slow part).
    births = st.dates(min_value=date(as_of.year - MAX_AGE + 1, 1, 1), max_value=as_of)
    mrns, names, sexes = medical_record_numbers(), person_names(), st.sampled_from(
        AdministrativeSex)
    maybe_address, contact_lists = st.none() | addresses(), st.lists(contacts(), max_size=3)
    maybe_ssn, maybe_guarantor = st.none() | ssns(), st.none() | guarantors()
    kinds = st.sampled_from(DemographicField)

    @st.composite
    def build(draw: st.DrawFn) -> Patient:
        birth = draw(births)
        patient = Patient(
            mrn=draw(mrns), name=draw(names), birth_date=birth, sex=draw(sexes),
            address=draw(maybe_address), contacts=draw(contact_lists),
            ssn=draw(maybe_ssn), guarantor=draw(maybe_guarantor),
        )
        days = sorted(draw(st.lists(
            st.integers(0, (as_of - birth).days), max_size=max_changes
        )))
        for offset in days:
            on = birth + timedelta(days=offset)
            kind = draw(kinds)
            if kind is DemographicField.NAME:
                patient = change_name(patient, draw(names), on=on)
            elif kind is DemographicField.ADDRESS:
                patient = change_address(patient, draw(maybe_address), on=on)
            else:
                patient = change_contacts(patient, draw(contact_lists), on=on)
        return patient

    return build()


def providers() -> st.SearchStrategy[Provider]:
    """Individual clinicians with an NPI and, usually, a taxonomy code."""
    taxonomy = st.sampled_from(_TAXONOMIES) | st.builds(
        lambda head, body: f"{head:03d}{body}X",
        st.integers(0, 999), st.text(_DIGITS_AND_CAPITALS, min_size=6, max_size=6),
    )
    return st.builds(Provider, npi=npis(), name=person_names(), taxonomy=st.none() | taxonomy)


def organizations() -> st.SearchStrategy[Organization]:
    """Billing organizations: group NPI, EIN, address."""
    return st.builds(
        Organization,
        npi=npis(),
        name=st.builds(lambda w, k: f"{w} {k}", _word(4, 12),
                       st.sampled_from(("Clinic", "Medical Group", "Hospital", "Health"))),
        tax_id=tax_ids(),
        address=addresses(us_only=True),
        taxonomy=st.none() | st.sampled_from(_ORG_TAXONOMIES),
    )


def facilities() -> st.SearchStrategy[Facility]:
    """Places of care with their default place of service."""
    return st.builds(
        Facility,
        name=st.builds(lambda w, k: f"{w} {k}", _word(4, 12),
                       st.sampled_from(("Clinic", "Hospital", "Surgery Center", "Campus"))),
        address=addresses(us_only=True),
        place_of_service=st.sampled_from(_PLACES).map(PlaceOfService),
        npi=st.none() | npis(),
    )


def care_team_members() -> st.SearchStrategy[CareTeamMember]:
    """A provider in a role."""
    return st.builds(CareTeamMember, role=st.sampled_from(ProviderRole), provider=providers())


def aware_datetimes(
    *, min_value: date = date(2015, 10, 1), max_value: date = date(2030, 12, 31)
) -> st.SearchStrategy[datetime]:
    """Timezone-aware datetimes (UTC or a fixed US offset) on days between the bounds."""
    return st.datetimes(
        min_value=datetime.combine(min_value, time()),
        max_value=datetime.combine(max_value, time(23, 59, 59)),
        timezones=st.sampled_from(_ZONES),
    ).map(lambda d: d.replace(microsecond=0))


def admissions() -> st.SearchStrategy[Admission]:
    """Inpatient admissions with a type and a point of origin."""
    return st.builds(
        Admission, at=aware_datetimes(), admission_type=st.sampled_from(AdmissionType),
        source=st.sampled_from(AdmissionSource),
    )


def discharges() -> st.SearchStrategy[Discharge]:
    """Discharges with a patient status other than 30 (still a patient)."""
    return st.builds(Discharge, at=aware_datetimes(), disposition=st.sampled_from(_DISPOSITIONS))


def encounter_events() -> st.SearchStrategy[EncounterEvent]:
    """One step allowed by the encounter state machine."""
    pairs = tuple(
        (origin, target) for origin, moves in TRANSITIONS.items() for target in moves.values()
    )
    return st.builds(
        lambda pair, at, reason: EncounterEvent(
            from_status=pair[0], to_status=pair[1], at=at, reason=reason
        ),
        st.sampled_from(sorted(set(pairs))), aware_datetimes(),
        st.none() | st.sampled_from(("no-show", "duplicate", "rescheduled")),
    )


def encounters(*, max_steps: int = 5) -> st.SearchStrategy[Encounter]:
    """Encounters in any reachable status, built by applying random allowed events."""

    maybe_facility = st.none() | facilities()
    maybe_place = st.none() | st.sampled_from(_PLACES).map(PlaceOfService)
    ids = encounter_ids()  # drawn apart from the patient: never built from PHI
    mrns, classes = medical_record_numbers(), st.sampled_from(EncounterClass)
    teams = st.lists(care_team_members(), max_size=3)
    maybe_planned = st.none() | periods(allow_open=False)
    first_times = aware_datetimes(max_value=date(2029, 12, 31))

    @st.composite
    def build(draw: st.DrawFn) -> Encounter:
        facility = draw(maybe_facility)
        place = draw(maybe_place)
        if facility is None and place is None:
            place = PlaceOfService("11")
        encounter = plan_encounter(
            id=draw(ids), patient=draw(mrns), encounter_class=draw(classes),
            facility=facility, place_of_service=place, care_team=draw(teams),
            planned=draw(maybe_planned),
        )
        at = draw(first_times)
        for _ in range(max_steps):
            # Walk the forward path (weighted towards it, so finished encounters are
            # common); entered_in_error, allowed from everywhere, comes only at the end.
            allowed = allowed_events(encounter) - {"mark_entered_in_error"}
            weighted = sorted(
                (e for e in allowed for _ in range(_WEIGHTS.get(e, 1))),
                key=lambda e: (-_WEIGHTS.get(e, 1), e),
            ) + [_STOP] * _WEIGHTS[_STOP]
            event = weighted[draw(st.integers(0, len(weighted) - 1))]
            if event == _STOP:
                break
            at += timedelta(minutes=draw(st.integers(0, 3 * 24 * 60)))
            encounter = _apply(draw, encounter, event, at)
        if draw(st.integers(0, 5)) == 5:
            at += timedelta(minutes=draw(st.integers(0, 60)))
            encounter = _apply(draw, encounter, "mark_entered_in_error", at)
        return encounter

    return build()


_ADMISSION_TYPES = st.sampled_from(AdmissionType)
_ADMISSION_SOURCES = st.sampled_from(AdmissionSource)
_DISPOSITION_CODES = st.sampled_from(_DISPOSITIONS)
_CANCEL_REASONS = st.none() | st.just("rescheduled")
_ERROR_REASONS = st.none() | st.just("duplicate")
_STOP = "(stop)"
_WEIGHTS = {"arrive": 4, "start": 6, "admit": 6, "discharge": 8, _STOP: 3}


def _apply(draw: st.DrawFn, encounter: Encounter, event: str, at: datetime) -> Encounter:
    if event == "arrive":
        return arrive(encounter, at=at)
    if event == "start":
        return start(encounter, at=at)
    if event == "admit":
        return admit(encounter, at=at, admission_type=draw(_ADMISSION_TYPES),
                     source=draw(_ADMISSION_SOURCES))
    if event == "discharge":
        return discharge(encounter, at=at, disposition=draw(_DISPOSITION_CODES))
    if event == "cancel":
        return cancel(encounter, at=at, reason=draw(_CANCEL_REASONS))
    if event == "record_no_show":
        return record_no_show(encounter, at=at)
    return mark_entered_in_error(encounter, at=at, reason=draw(_ERROR_REASONS))


def _register() -> None:
    """Register this module's strategies for ``st.from_type``."""
    for cls, strategy in (
        (PersonName, person_names()),
        (Address, addresses()),
        (Contact, contacts()),
        (DemographicChange, demographic_changes()),
        (Guarantor, guarantors()),
        (Patient, patients()),
        (Provider, providers()),
        (Organization, organizations()),
        (Facility, facilities()),
        (CareTeamMember, care_team_members()),
        (Admission, admissions()),
        (Discharge, discharges()),
        (EncounterEvent, encounter_events()),
        (Encounter, encounters()),
    ):
        st.register_type_strategy(cls, strategy)
