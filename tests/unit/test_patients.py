"""Worked scenarios for patient registration, demographics and their PHI-safe display."""

from __future__ import annotations

from datetime import date, datetime

import attrs
import pytest

from claimcore.errors import TypeMismatch, ValidationError
from claimcore.ids import SSN, MedicalRecordNumber
from claimcore.patients import (
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
    register,
    responsible_party,
)

AS_OF = date(2026, 3, 2)
MRN = MedicalRecordNumber("MRN00421234")
NAME = PersonName(prefix="Ms.", given="Adaline", middle="Byron", family="Lovelace-King")
HOME = Address(lines=("12 Marylebone Rd", "Apt 4"), city="Springfield", state="IL",
               postal_code="62704-1234")
PHONE = Contact(use=ContactUse.MOBILE, phone="(217) 555-0142")
MAIL = Contact(use=ContactUse.HOME, email="ada.lovelace@example.org")


def _patient(**changes: object) -> Patient:
    fields: dict[str, object] = {
        "mrn": MRN, "name": NAME, "birth_date": date(1990, 12, 10),
        "sex": AdministrativeSex.FEMALE, "as_of": AS_OF, "address": HOME,
        "contacts": [PHONE, MAIL], "ssn": SSN("234-56-7890"),
    }
    fields.update(changes)
    return register(**fields)  # type: ignore[arg-type]


# -- registration -------------------------------------------------------------------------

def test_register_builds_a_patient_with_empty_history() -> None:
    """A registered patient holds what was entered, contacts as a tuple, and no history."""
    patient = _patient()

    assert patient.mrn == MRN
    assert patient.contacts == (PHONE, MAIL)
    assert patient.history == ()
    assert patient.guarantor is None
    assert patient.age_on(AS_OF) == 35


def test_register_accepts_a_birth_on_the_as_of_date() -> None:
    """A newborn registered on the day of birth is age 0."""
    assert _patient(birth_date=AS_OF).age_on(AS_OF) == 0


def test_register_refuses_a_birth_date_after_as_of() -> None:
    """A birth date in the future is a data-entry error."""
    with pytest.raises(ValidationError) as info:
        _patient(birth_date=date(2026, 3, 3))
    assert (info.value.path, info.value.rule) == ("$.birth_date", "birth-in-future")


def test_register_accepts_age_130_and_refuses_131() -> None:
    """The age limit is 130 whole years on as_of."""
    assert _patient(birth_date=date(1895, 3, 3)).age_on(AS_OF) == 130
    with pytest.raises(ValidationError) as info:
        _patient(birth_date=date(1895, 3, 2))
    assert info.value.rule == "age-limit"
    assert "1895" not in str(info.value)
    assert "131" not in str(info.value)


def test_register_refuses_a_datetime_as_of() -> None:
    """as_of is a calendar date, not a datetime."""
    with pytest.raises(TypeMismatch) as info:
        _patient(as_of=datetime(2026, 3, 2, 9, 0))
    assert info.value.path == "$.as_of"


def test_patient_refuses_wrong_types_with_paths() -> None:
    """Each field is type-checked, and the error names the field."""
    with pytest.raises(TypeMismatch) as info:
        _patient(mrn="MRN00421234")
    assert info.value.path == "$.mrn"
    with pytest.raises(TypeMismatch) as info:
        _patient(sex="F")
    assert info.value.path == "$.sex"
    with pytest.raises(TypeMismatch) as info:
        _patient(contacts=[PHONE, "555-0142"])
    assert info.value.path == "$.contacts[1]"


def test_repr_and_str_of_a_patient_show_no_phi() -> None:
    """repr and str show the masked record number, sex and counts only."""
    patient = _patient()

    assert repr(patient) == "Patient(mrn=***1234, sex=F, contacts=2, changes=0)"
    assert str(patient) == repr(patient)
    for secret in ("Adaline", "Lovelace", "1990", "Marylebone", "Springfield", "62704",
                   "2175550142", "ada.lovelace", "234567890", "7890"):
        assert secret not in repr(patient)


# -- names, addresses, contacts -----------------------------------------------------------

def test_person_name_display_and_redacted_repr() -> None:
    """display() writes the whole name; repr redacts it."""
    assert NAME.display() == "Ms. Adaline Byron Lovelace-King"
    assert PersonName(family="O'Neil", suffix="Jr.").display() == "O'Neil Jr."
    assert repr(NAME) == "PersonName(<redacted>)"


@pytest.mark.parametrize(("field", "value", "rule"), [
    ("family", "", "empty"),
    ("family", "Sm!th", "format"),
    ("family", " Smith", "format"),
    ("given", "Jo@n", "format"),
    ("family", "A" * 61, "length"),
    ("suffix", "Esquire III", "length"),
])
def test_person_name_refuses_bad_parts(field: str, value: str, rule: str) -> None:
    """Name parts are letters with inner punctuation, within their X12 lengths."""
    parts = {"family": "Smith", field: value}
    with pytest.raises(ValidationError) as info:
        PersonName(**parts)
    assert (info.value.path, info.value.rule) == (f"$.{field}", rule)
    if value.strip():
        assert value.strip() not in str(info.value)


def test_address_normalises_zip_and_state() -> None:
    """A ZIP+4 with a hyphen is kept as nine digits; the state is upper-cased."""
    address = Address(lines=["1 Main St"], city="Boston", state="ma", postal_code="02110-1234")

    assert (address.state, address.postal_code, address.zip5) == ("MA", "021101234", "02110")
    assert Address(lines=["1 Main St"], city="Boston", state="MA",
                   postal_code="021101234") == address
    assert repr(address) == "Address(<redacted>)"


def test_us_states_are_the_real_list() -> None:
    """50 states, DC, five territories and three military codes: 59 codes."""
    assert len(US_STATES) == 59
    assert {"DC", "PR", "VI", "GU", "AS", "MP", "AA", "AE", "AP"} <= US_STATES
    assert "ZZ" not in US_STATES


@pytest.mark.parametrize("state", ["PR", "GU", "AE", "wy"])
def test_territories_and_military_codes_are_accepted(state: str) -> None:
    """Territories and APO/FPO codes are valid US states for an address."""
    address = Address(lines=["PSC 1234 Box 5"], city="APO", state=state, postal_code="09012")
    assert address.state == state.upper()


@pytest.mark.parametrize(("changes", "path", "rule"), [
    ({"state": "ZZ"}, "$.state", "us-state"),
    ({"state": "California"}, "$.state", "format"),
    ({"postal_code": "1234"}, "$.postal_code", "zip"),
    ({"postal_code": "123456"}, "$.postal_code", "zip"),
    ({"postal_code": "12345-678"}, "$.postal_code", "zip"),
    ({"postal_code": "\u0660\u0662\u0661\u0661\u0660"}, "$.postal_code", "zip"),  # Arabic-Indic
    ({"postal_code": "\uff10\uff12\uff11\uff11\uff10"}, "$.postal_code", "zip"),  # fullwidth
    ({"lines": []}, "$.lines", "lines-count"),
    ({"lines": ["1 A St", "2", "3"]}, "$.lines", "lines-count"),
    ({"lines": ["x" * 56]}, "$.lines[0]", "length"),
    ({"lines": ["1 Main St "]}, "$.lines[0]", "format"),
    ({"city": ""}, "$.city", "empty"),
    ({"country": "USA"}, "$.country", "format"),
])
def test_address_refuses_bad_fields(changes: dict[str, object], path: str, rule: str) -> None:
    """State must be on the USPS list, ZIP 5 or 9 digits, one or two lines of 55 or less."""
    fields: dict[str, object] = {"lines": ["1 Main St"], "city": "Boston", "state": "MA",
                                 "postal_code": "02110"}
    fields.update(changes)
    with pytest.raises(ValidationError) as info:
        Address(**fields)  # type: ignore[arg-type]
    assert (info.value.path, info.value.rule) == (path, rule)


def test_address_refuses_a_str_for_lines() -> None:
    """lines is a sequence of lines, never one string iterated by character."""
    with pytest.raises(TypeMismatch):
        Address(lines="1 Main St", city="Boston", state="MA",
                postal_code="02110")


def test_foreign_address_keeps_its_own_codes() -> None:
    """Outside the US, the subdivision and postal code are free text."""
    address = Address(lines=["24 Sussex Dr"], city="Ottawa", state="ON", postal_code="K1M 1M4",
                      country="ca")
    assert (address.country, address.zip5) == ("CA", "K1M 1M4")
    with pytest.raises(ValidationError):
        Address(lines=["24 Sussex Dr"], city="Ottawa", state="ON", postal_code=" K1M",
                country="CA")


@pytest.mark.parametrize("raw", ["(555) 123-4567", "555-123-4567", "555.123.4567",
                                 "+1 555 123 4567", "15551234567", "5551234567"])
def test_phone_is_normalised_to_ten_digits(raw: str) -> None:
    """Every usual way of writing a US number keeps the same ten digits."""
    contact = Contact(use=ContactUse.HOME, phone=raw)
    assert contact.phone == "5551234567"
    assert contact.formatted_phone() == "(555) 123-4567"


@pytest.mark.parametrize("raw", ["555-1234", "055 123 4567", "(555) 123-45678", "555-CALL-NOW",
                                 "25551234567", "\u0665\u0665\u0665 123 4567",
                                 "(\uff15\uff15\uff15) 123-4567"])
def test_bad_phones_are_refused_without_echoing(raw: str) -> None:
    """A bad phone is refused, and the message does not repeat it."""
    with pytest.raises(ValidationError) as info:
        Contact(use=ContactUse.HOME, phone=raw)
    assert (info.value.path, info.value.rule) == ("$.phone", "phone")
    assert raw not in str(info.value)


@pytest.mark.parametrize("raw", ["ada", "ada@", "@example.org", "ada@example", "ada@@x.org",
                                 "a da@example.org", "ada.@example.org", "ada@-x.org",
                                 "a" * 65 + "@example.org"])
def test_bad_emails_are_refused_without_echoing(raw: str) -> None:
    """An e-mail needs one @, a dotted domain and a top-level name of letters."""
    with pytest.raises(ValidationError) as info:
        Contact(use=ContactUse.WORK, email=raw)
    assert (info.value.path, info.value.rule) == ("$.email", "email")
    assert raw not in str(info.value)


def test_contact_needs_a_phone_or_an_email() -> None:
    """A contact with neither a phone nor an e-mail says nothing."""
    with pytest.raises(ValidationError) as info:
        Contact(use=ContactUse.HOME)
    assert info.value.rule == "contact-empty"
    with pytest.raises(TypeMismatch):
        Contact(use="home", phone="5551234567")  # type: ignore[arg-type]


def test_contact_repr_shows_only_its_use() -> None:
    """A contact's repr hides the phone and e-mail."""
    both = Contact(use=ContactUse.WORK, phone="2175550142", email="a.b@example.org")
    assert repr(both) == "Contact(<redacted>, use=work)"
    assert both.formatted_phone() == "(217) 555-0142"
    assert MAIL.formatted_phone() is None


# -- demographic changes ------------------------------------------------------------------

def test_change_address_keeps_the_old_one_in_history() -> None:
    """Moving house adds a dated change holding the previous address."""
    patient = _patient()
    new_home = Address(lines=["9 Elm St"], city="Peoria", state="IL", postal_code="61602")

    moved = change_address(patient, new_home, on=date(2026, 5, 1))

    assert moved.address == new_home
    assert moved.history == (DemographicChange(
        on=date(2026, 5, 1), field=DemographicField.ADDRESS, previous_address=HOME),)
    assert patient.address == HOME and patient.history == ()


def test_every_change_is_kept_in_order() -> None:
    """Name, address and contacts changes pile up, oldest first, and nothing is lost."""
    patient = _patient()
    married = PersonName(given="Adaline", family="King")

    p1 = change_name(patient, married, on=date(2026, 4, 1))
    p2 = change_address(p1, None, on=date(2026, 4, 1))
    p3 = change_contacts(p2, [MAIL], on=date(2026, 6, 30))

    assert (p3.name, p3.address, p3.contacts) == (married, None, (MAIL,))
    assert [c.field for c in p3.history] == [DemographicField.NAME, DemographicField.ADDRESS,
                                             DemographicField.CONTACTS]
    assert p3.history[0].previous_name == NAME
    assert p3.history[1].previous_address == HOME
    assert p3.history[2].previous_contacts == (PHONE, MAIL)
    assert repr(p3) == "Patient(mrn=***1234, sex=F, contacts=1, changes=3)"
    assert repr(p3.history[0]) == "DemographicChange(field=name)"


def test_a_change_to_the_same_value_changes_nothing() -> None:
    """Giving the current value again returns the patient as it was."""
    patient = _patient()
    on = date(2026, 4, 1)

    assert change_name(patient, NAME, on=on) is patient
    assert change_address(patient, HOME, on=on) is patient
    assert change_contacts(patient, [PHONE, MAIL], on=on) is patient


def test_changes_cannot_go_back_in_time() -> None:
    """A change is not dated before the birth or the patient's last change."""
    patient = change_address(_patient(), None, on=date(2026, 5, 1))

    with pytest.raises(ValidationError) as info:
        change_contacts(patient, [], on=date(2026, 4, 30))
    assert (info.value.path, info.value.rule) == ("$.on", "history-order")
    with pytest.raises(ValidationError):
        change_name(_patient(), PersonName(family="King"), on=date(1990, 12, 9))
    with pytest.raises(TypeMismatch):
        change_name(_patient(), "King", on=date(2026, 4, 1))  # type: ignore[arg-type]
    with pytest.raises(TypeMismatch):
        change_address(_patient(), HOME, on=datetime(2026, 4, 1))


def test_a_patient_with_history_out_of_order_is_refused() -> None:
    """History built by hand must be in date order, after the birth date."""
    early = DemographicChange(on=date(1980, 1, 1), field=DemographicField.ADDRESS)
    with pytest.raises(ValidationError) as info:
        attrs.evolve(_patient(), history=[early])
    assert (info.value.path, info.value.rule) == ("$.history[0].on", "history-order")


def test_demographic_change_holds_only_its_own_field() -> None:
    """A name change needs the old name; other fields stay empty."""
    with pytest.raises(ValidationError) as info:
        DemographicChange(on=AS_OF, field=DemographicField.NAME)
    assert info.value.rule == "missing-previous"
    with pytest.raises(ValidationError) as info:
        DemographicChange(on=AS_OF, field=DemographicField.CONTACTS, previous_address=HOME)
    assert (info.value.path, info.value.rule) == ("$.previous_address", "other-field")
    with pytest.raises(ValidationError) as info:
        DemographicChange(on=AS_OF, field=DemographicField.ADDRESS, previous_contacts=[MAIL])
    assert info.value.path == "$.previous_contacts"


# -- guarantors ---------------------------------------------------------------------------

def test_a_patient_without_guarantor_answers_for_their_own_bill() -> None:
    """responsible_party gives the patient, as SELF (X12 code 18)."""
    patient = _patient()
    party = responsible_party(patient)

    assert party.relationship is GuarantorRelationship.SELF
    assert party.relationship.value == "18"
    assert (party.name, party.address, party.contacts) == (NAME, HOME, (PHONE, MAIL))
    assert repr(party) == "Guarantor(<redacted>, relationship=18)"


def test_a_minor_has_a_parent_as_guarantor() -> None:
    """A child's bill goes to the parent: the patient is the guarantor's child (19)."""
    parent = Guarantor(relationship=GuarantorRelationship.CHILD,
                       name=PersonName(given="Annabella", family="Milbanke"),
                       birth_date=date(1972, 5, 17), address=HOME, contacts=[PHONE])
    child = _patient(birth_date=date(2015, 12, 10), guarantor=parent)

    assert responsible_party(child) is parent
    assert "Milbanke" not in repr(parent)
    with pytest.raises(TypeMismatch) as info:
        Guarantor(relationship="19", name=NAME)  # type: ignore[arg-type]
    assert info.value.path == "$.relationship"
