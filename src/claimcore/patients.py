"""Patients and the people who answer for their bills: demographics as PHI-safe values.

A :class:`Patient` is registered once (:func:`register`, checked against an ``as_of``
date) and changed only by transitions that keep what came before
(:func:`change_address`, :func:`change_name`, :func:`change_contacts`): each change adds a
dated :class:`DemographicChange` to the patient's ``history`` holding the previous value.

Names, birth dates, addresses, phones, e-mails and SSNs are protected health information:
no ``repr``, ``str`` or error message of this module shows them.

>>> from datetime import date
>>> from claimcore.ids import MedicalRecordNumber
>>> patient = register(
...     mrn=MedicalRecordNumber("MRN00421234"),
...     name=PersonName(given="Ada", family="Lovelace"),
...     birth_date=date(1990, 12, 10),
...     sex=AdministrativeSex.FEMALE,
...     as_of=date(2026, 3, 2),
... )
>>> patient
Patient(mrn=***1234, sex=F, contacts=0, changes=0)
>>> patient.name
PersonName(<redacted>)
>>> patient.name.display()
'Ada Lovelace'
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from datetime import date
from typing import Final

import attrs

from claimcore._pickling import fast_pickle
from claimcore._validate import (
    a_date,
    instance,
    members,
    optional_instance,
    optional_text,
    text,
    to_tuple,
)
from claimcore.errors import ValidationError
from claimcore.ids import SSN, MedicalRecordNumber
from claimcore.periods import age_on

__all__ = [
    "MAX_AGE",
    "US_STATES",
    "Address",
    "AdministrativeSex",
    "Contact",
    "ContactUse",
    "DemographicChange",
    "DemographicField",
    "Guarantor",
    "GuarantorRelationship",
    "Patient",
    "PersonName",
    "change_address",
    "change_contacts",
    "change_name",
    "register",
    "responsible_party",
]

MAX_AGE: Final = 130
"""The oldest age :func:`register` accepts; anything above is a data-entry error."""

US_STATES: Final[frozenset[str]] = frozenset({
    # the 50 states
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN",
    "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV",
    "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN",
    "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
    # the District of Columbia and the inhabited territories
    "DC", "PR", "VI", "GU", "AS", "MP",
    # military mail: Armed Forces Americas, Europe, Pacific
    "AA", "AE", "AP",
})
"""USPS codes accepted as ``Address.state`` for a US address (X12 ``N402``)."""

# Names: a letter first, then letters, digits, spaces, periods, apostrophes or hyphens,
# ending on a letter, digit or period ("O'Neil", "Smith-Jones", "St. John", "III", "Jr.").
_NAME: Final = re.compile(r"[A-Za-z](?:[A-Za-z0-9 .'-]*[A-Za-z0-9.])?")
_NAME_EXPECTED: Final = "letters, with spaces, periods, apostrophes or hyphens inside"
_ADDRESS_TEXT: Final = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?")
_STATE_CODE: Final = re.compile(r"[A-Z]{2}")
_COUNTRY: Final = re.compile(r"[A-Z]{2}")
_US_ZIP: Final = re.compile(r"[0-9]{5}(?:[0-9]{4})?")
_ZIP_PLUS_4: Final = re.compile(r"[0-9]{5}-[0-9]{4}")
_PHONE: Final = re.compile(r"[2-9][0-9]{9}")
_PHONE_SEPARATORS: Final = re.compile(r"[\s().+-]")
_EMAIL: Final = re.compile(
    r"(?=.{3,254}\Z)(?=[^@]{1,64}@)"
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
)


class AdministrativeSex(enum.StrEnum):
    """The patient's sex as billing records it (X12 ``DMG03``; FHIR ``Patient.gender``)."""

    FEMALE = "F"
    MALE = "M"
    UNKNOWN = "U"


class ContactUse(enum.StrEnum):
    """What a phone number or e-mail address is for (FHIR ``ContactPoint.use``)."""

    HOME = "home"
    WORK = "work"
    MOBILE = "mobile"


class GuarantorRelationship(enum.StrEnum):
    """The patient's relationship to the guarantor: X12 individual relationship codes.

    The same code list as ``SBR02``/``PAT01`` in the 837 (patient to subscriber), limited to
    the codes that make sense for a person who answers for a bill.
    """

    SPOUSE = "01"
    SELF = "18"
    CHILD = "19"
    EMPLOYEE = "20"
    UNKNOWN = "21"
    LIFE_PARTNER = "53"
    OTHER = "G8"


class DemographicField(enum.StrEnum):
    """Which part of a patient's demographics a :class:`DemographicChange` replaced."""

    NAME = "name"
    ADDRESS = "address"
    CONTACTS = "contacts"


@fast_pickle
@attrs.frozen(kw_only=True, repr=False)
class PersonName:
    """A person's name, in parts.

    X12: ``NM103`` (family, at most 60), ``NM104`` (given, 35), ``NM105`` (middle, 25),
    ``NM106`` (prefix, 10), ``NM107`` (suffix, 10); FHIR ``HumanName``. PHI: ``repr`` and
    ``str`` show ``PersonName(<redacted>)``; :meth:`display` gives the name itself.
    """

    family: str
    given: str | None = None
    middle: str | None = None
    prefix: str | None = None
    suffix: str | None = None

    def __attrs_post_init__(self) -> None:
        # A decoded claim builds several names: prove the common valid case inline (the
        # pattern needs a letter, so a match is never empty) and leave the helpers, which
        # name the exact error, to what does not pass.
        match = _NAME.fullmatch
        given, middle, prefix, suffix = self.given, self.middle, self.prefix, self.suffix
        family = self.family
        if (
            type(family) is str and len(family) <= 60 and match(family) is not None
            and (given is None or (type(given) is str and len(given) <= 35
                                   and match(given) is not None))
            and (middle is None or (type(middle) is str and len(middle) <= 25
                                    and match(middle) is not None))
            and (prefix is None or (type(prefix) is str and len(prefix) <= 10
                                    and match(prefix) is not None))
            and (suffix is None or (type(suffix) is str and len(suffix) <= 10
                                    and match(suffix) is not None))
        ):
            return
        self._check_in_detail()

    def _check_in_detail(self) -> None:
        text(self.family, "$.family", pattern=_NAME, expected=_NAME_EXPECTED, max_len=60,
             phi=True)
        for value, path, longest in (
            (self.given, "$.given", 35), (self.middle, "$.middle", 25),
            (self.prefix, "$.prefix", 10), (self.suffix, "$.suffix", 10),
        ):
            optional_text(value, path, pattern=_NAME, expected=_NAME_EXPECTED,
                          max_len=longest, phi=True)

    def display(self) -> str:
        """The name as written on a statement: ``Dr. Ada B. Lovelace Jr.`` (this is PHI)."""
        parts = (self.prefix, self.given, self.middle, self.family, self.suffix)
        return " ".join(p for p in parts if p)

    def __repr__(self) -> str:
        return "PersonName(<redacted>)"


def _lines(value: Iterable[str]) -> tuple[str, ...]:
    return to_tuple(value)


def _contacts(value: Iterable[Contact]) -> tuple[Contact, ...]:
    return to_tuple(value)


def _changes(value: Iterable[DemographicChange]) -> tuple[DemographicChange, ...]:
    return to_tuple(value)


def _upper(value: object) -> object:
    return value.upper() if type(value) is str else value


def _zip_digits(value: object) -> object:
    """``12345-6789`` becomes ``123456789``; anything else is left for the check."""
    if type(value) is str and _ZIP_PLUS_4.fullmatch(value):
        return value.replace("-", "")
    return value


@fast_pickle
@attrs.frozen(kw_only=True, repr=False)
class Address:
    """A postal address: one or two street lines, city, state, ZIP code and country.

    For a US address (``country="US"``) the state must be a USPS state, territory or
    military code (:data:`US_STATES`) and the ZIP code 5 or 9 digits (``12345-6789`` is
    kept as ``123456789``). Other countries keep their subdivision and postal code as text.
    X12: ``N301``/``N302`` (lines, at most 55 each), ``N401`` city, ``N402`` state,
    ``N403`` ZIP, ``N404`` country; FHIR ``Address``. PHI: ``repr`` shows nothing of it.
    """

    lines: tuple[str, ...] = attrs.field(converter=_lines)
    city: str
    state: str = attrs.field(converter=_upper)
    postal_code: str = attrs.field(converter=_zip_digits)
    country: str = attrs.field(default="US", converter=_upper)

    def __attrs_post_init__(self) -> None:
        # The common case, a US address, proved inline; a US state code is always two
        # capitals, so membership in US_STATES stands for the pattern too. Anything else
        # takes the detailed checks, which raise the exact error.
        lines, city, state, postal = self.lines, self.city, self.state, self.postal_code
        match = _ADDRESS_TEXT.fullmatch
        if (
            type(lines) is tuple and 1 <= len(lines) <= 2
            and type(city) is str and len(city) <= 30 and match(city) is not None
            and type(self.country) is str and self.country == "US"
            and type(state) is str and state in US_STATES
            and type(postal) is str and _US_ZIP.fullmatch(postal) is not None
        ):
            for line in lines:
                if type(line) is not str or len(line) > 55 or match(line) is None:
                    break
            else:
                return
        self._check_in_detail()

    def _check_in_detail(self) -> None:
        if not 1 <= len(self.lines) <= 2:
            raise ValidationError(
                f"must have one or two street lines, got {len(self.lines)}",
                path="$.lines", rule="lines-count",
            )
        for i, line in enumerate(self.lines):
            text(line, f"$.lines[{i}]", pattern=_ADDRESS_TEXT, max_len=55, phi=True,
                 expected="printable ASCII without leading or trailing spaces")
        text(self.city, "$.city", pattern=_ADDRESS_TEXT, max_len=30, phi=True,
             expected="printable ASCII without leading or trailing spaces")
        text(self.country, "$.country", pattern=_COUNTRY,
             expected="an ISO 3166 two-letter country code")
        if self.country == "US":
            text(self.state, "$.state", pattern=_STATE_CODE, phi=True,
                 expected="a two-letter USPS code")
            if self.state not in US_STATES:
                raise ValidationError(
                    "must be a US state, DC, a territory (PR, VI, GU, AS, MP) or a "
                    "military code (AA, AE, AP)", path="$.state", rule="us-state",
                )
            text(self.postal_code, "$.postal_code", pattern=_US_ZIP, phi=True,
                 rule="zip", expected="a ZIP code of 5 or 9 digits (12345 or 12345-6789)")
        else:
            text(self.state, "$.state", pattern=_ADDRESS_TEXT, max_len=3, phi=True)
            text(self.postal_code, "$.postal_code", pattern=_ADDRESS_TEXT, max_len=15,
                 phi=True)

    @property
    def zip5(self) -> str:
        """The first five digits of a US ZIP code (the whole postal code elsewhere)."""
        return self.postal_code[:5] if self.country == "US" else self.postal_code

    def __repr__(self) -> str:
        return "Address(<redacted>)"


def _phone_digits(value: object) -> object:
    """``(555) 123-4567`` and ``+1 555.123.4567`` become ``5551234567``."""
    if type(value) is not str:
        return value
    digits = _PHONE_SEPARATORS.sub("", value)
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    return digits


@fast_pickle
@attrs.frozen(kw_only=True, repr=False)
class Contact:
    """A way to reach a person: a US phone number, an e-mail address or both, with its use.

    The phone is kept as its ten digits (``(555) 123-4567`` gives ``5551234567``; a leading
    country code 1 is dropped); its area code cannot start with 0 or 1. X12: ``PER`` with
    ``TE``/``EM`` qualifiers; FHIR ``ContactPoint``. PHI: ``repr`` shows only the use.
    """

    use: ContactUse
    phone: str | None = attrs.field(default=None, converter=_phone_digits)
    email: str | None = None

    def __attrs_post_init__(self) -> None:
        # Both patterns need characters, so a match is never empty.
        phone, email = self.phone, self.email
        if (
            type(self.use) is ContactUse
            and (phone is not None or email is not None)
            and (phone is None or (type(phone) is str and _PHONE.fullmatch(phone) is not None))
            and (email is None or (type(email) is str and _EMAIL.fullmatch(email) is not None))
        ):
            return
        self._check_in_detail()

    def _check_in_detail(self) -> None:
        instance(self.use, ContactUse, "$.use")
        if self.phone is None and self.email is None:
            raise ValidationError(
                "needs a phone number or an e-mail address", path="$", rule="contact-empty"
            )
        optional_text(self.phone, "$.phone", pattern=_PHONE, phi=True, rule="phone",
                      expected="a US phone number of ten digits, area code first")
        optional_text(self.email, "$.email", pattern=_EMAIL, phi=True, rule="email",
                      expected="an e-mail address: a name, one @ and a dotted domain")

    def formatted_phone(self) -> str | None:
        """The phone as ``(555) 123-4567`` (this is PHI), or ``None``."""
        p = self.phone
        return None if p is None else f"({p[:3]}) {p[3:6]}-{p[6:]}"

    def __repr__(self) -> str:
        return f"Contact(<redacted>, use={self.use.value})"


@fast_pickle
@attrs.frozen(kw_only=True, repr=False)
class DemographicChange:
    """One change of a patient's demographics, holding the value it replaced.

    Exactly the field named by ``field`` is filled: ``previous_name``,
    ``previous_address`` (``None`` when the patient had none) or ``previous_contacts``.
    PHI: ``repr`` shows only which field changed.
    """

    on: date
    field: DemographicField
    previous_name: PersonName | None = None
    previous_address: Address | None = None
    previous_contacts: tuple[Contact, ...] = attrs.field(default=(), converter=_contacts)

    def __attrs_post_init__(self) -> None:
        a_date(self.on, "$.on")
        instance(self.field, DemographicField, "$.field")
        optional_instance(self.previous_name, PersonName, "$.previous_name")
        optional_instance(self.previous_address, Address, "$.previous_address")
        members(self.previous_contacts, Contact, "$.previous_contacts")
        if self.field is DemographicField.NAME and self.previous_name is None:
            raise ValidationError(
                "a name change must hold the previous name", path="$.previous_name",
                rule="missing-previous",
            )
        for name, filled in (
            ("previous_name", self.previous_name is not None),
            ("previous_address", self.previous_address is not None),
            ("previous_contacts", bool(self.previous_contacts)),
        ):
            if filled and name != f"previous_{self.field.value}":
                raise ValidationError(
                    f"must be empty in a change of {self.field.value}", path=f"$.{name}",
                    rule="other-field",
                )

    def __repr__(self) -> str:
        return f"DemographicChange(field={self.field.value})"


@fast_pickle
@attrs.frozen(kw_only=True, repr=False)
class Guarantor:
    """The person who answers for a patient's bill (the responsible party).

    ``relationship`` is the patient's relationship to the guarantor (``SELF`` when the
    patient pays their own bills; ``CHILD`` for a minor whose parent pays). Patient
    statements go to the guarantor. HL7 v2 ``GT1``; FHIR ``Account.guarantor``. PHI:
    ``repr`` shows only the relationship.
    """

    relationship: GuarantorRelationship
    name: PersonName
    birth_date: date | None = None
    address: Address | None = None
    contacts: tuple[Contact, ...] = attrs.field(default=(), converter=_contacts)
    ssn: SSN | None = None

    def __attrs_post_init__(self) -> None:
        birth, address, contacts, ssn = self.birth_date, self.address, self.contacts, self.ssn
        if (
            type(self.relationship) is GuarantorRelationship
            and type(self.name) is PersonName
            and (birth is None or type(birth) is date)
            and (address is None or type(address) is Address)
            and type(contacts) is tuple
            and (not contacts or all(type(c) is Contact for c in contacts))
            and (ssn is None or type(ssn) is SSN)
        ):
            return
        self._check_in_detail()

    def _check_in_detail(self) -> None:
        instance(self.relationship, GuarantorRelationship, "$.relationship")
        instance(self.name, PersonName, "$.name")
        if self.birth_date is not None:
            a_date(self.birth_date, "$.birth_date")
        optional_instance(self.address, Address, "$.address")
        members(self.contacts, Contact, "$.contacts")
        optional_instance(self.ssn, SSN, "$.ssn")

    def __repr__(self) -> str:
        return f"Guarantor(<redacted>, relationship={self.relationship.value})"


@fast_pickle
@attrs.frozen(kw_only=True, repr=False)
class Patient:
    """A registered patient: record number, name, birth date, sex, address and contacts.

    ``guarantor`` is ``None`` when the patient answers for their own bills (see
    :func:`responsible_party`). ``history`` holds every earlier name, address and set of
    contacts, oldest first. X12 loop 2010CA / 2010BA (``NM1``, ``N3``, ``N4``, ``DMG``);
    FHIR ``Patient``. PHI: ``repr`` and ``str`` show a masked record number and counts.
    """

    mrn: MedicalRecordNumber
    name: PersonName
    birth_date: date
    sex: AdministrativeSex
    address: Address | None = None
    contacts: tuple[Contact, ...] = attrs.field(default=(), converter=_contacts)
    ssn: SSN | None = None
    guarantor: Guarantor | None = None
    history: tuple[DemographicChange, ...] = attrs.field(default=(), converter=_changes)

    def __attrs_post_init__(self) -> None:
        # A history must be checked for its order; a patient without one, the common
        # case, needs only its types proved.
        address, ssn, guarantor = self.address, self.ssn, self.guarantor
        contacts, history = self.contacts, self.history
        if (
            type(self.mrn) is MedicalRecordNumber
            and type(self.name) is PersonName
            and type(self.birth_date) is date
            and type(self.sex) is AdministrativeSex
            and (address is None or type(address) is Address)
            and type(contacts) is tuple
            and (not contacts or all(type(c) is Contact for c in contacts))
            and (ssn is None or type(ssn) is SSN)
            and (guarantor is None or type(guarantor) is Guarantor)
            and type(history) is tuple and not history
        ):
            return
        self._check_in_detail()

    def _check_in_detail(self) -> None:
        instance(self.mrn, MedicalRecordNumber, "$.mrn")
        instance(self.name, PersonName, "$.name")
        a_date(self.birth_date, "$.birth_date")
        instance(self.sex, AdministrativeSex, "$.sex")
        optional_instance(self.address, Address, "$.address")
        members(self.contacts, Contact, "$.contacts")
        optional_instance(self.ssn, SSN, "$.ssn")
        optional_instance(self.guarantor, Guarantor, "$.guarantor")
        members(self.history, DemographicChange, "$.history")
        previous = self.birth_date
        for i, change in enumerate(self.history):
            if change.on < previous:
                raise ValidationError(
                    "must not be before the birth date or the change before it",
                    path=f"$.history[{i}].on", rule="history-order",
                )
            previous = change.on

    def age_on(self, on: date) -> int:
        """The patient's age in whole years on ``on``."""
        return age_on(self.birth_date, on)

    def __repr__(self) -> str:
        return (
            f"Patient(mrn={self.mrn.masked}, sex={self.sex.value}, "
            f"contacts={len(self.contacts)}, changes={len(self.history)})"
        )


def _check_birth(birth_date: date, as_of: date) -> None:
    a_date(as_of, "$.as_of")
    a_date(birth_date, "$.birth_date")
    if birth_date > as_of:
        raise ValidationError(
            "must not be after as_of", path="$.birth_date", rule="birth-in-future"
        )
    if age_on(birth_date, as_of) > MAX_AGE:
        raise ValidationError(
            f"gives an age above {MAX_AGE} years on as_of", path="$.birth_date",
            rule="age-limit",
        )


def register(
    *,
    mrn: MedicalRecordNumber,
    name: PersonName,
    birth_date: date,
    sex: AdministrativeSex,
    as_of: date,
    address: Address | None = None,
    contacts: Iterable[Contact] = (),
    ssn: SSN | None = None,
    guarantor: Guarantor | None = None,
) -> Patient:
    """Register a patient at the front desk on ``as_of``.

    The birth date must not be after ``as_of`` and give an age of at most
    :data:`MAX_AGE` years. The new patient has an empty history.
    """
    _check_birth(birth_date, as_of)
    return Patient(
        mrn=mrn, name=name, birth_date=birth_date, sex=sex, address=address,
        contacts=contacts, ssn=ssn, guarantor=guarantor,
    )


def _check_change_date(patient: Patient, on: date) -> None:
    instance(patient, Patient, "$.patient")
    a_date(on, "$.on")
    last = patient.history[-1].on if patient.history else patient.birth_date
    if on < last:
        raise ValidationError(
            "must not be before the birth date or the patient's last change",
            path="$.on", rule="history-order",
        )


def change_name(patient: Patient, name: PersonName, *, on: date) -> Patient:
    """The patient with a new name from ``on``; the old name goes to ``history``.

    Giving the name the patient already has changes nothing.
    """
    _check_change_date(patient, on)
    instance(name, PersonName, "$.name")
    if name == patient.name:
        return patient
    change = DemographicChange(on=on, field=DemographicField.NAME, previous_name=patient.name)
    return attrs.evolve(patient, name=name, history=(*patient.history, change))


def change_address(patient: Patient, address: Address | None, *, on: date) -> Patient:
    """The patient with a new address (or none) from ``on``; the old one goes to ``history``.

    Giving the address the patient already has changes nothing.
    """
    _check_change_date(patient, on)
    optional_instance(address, Address, "$.address")
    if address == patient.address:
        return patient
    change = DemographicChange(
        on=on, field=DemographicField.ADDRESS, previous_address=patient.address
    )
    return attrs.evolve(patient, address=address, history=(*patient.history, change))


def change_contacts(patient: Patient, contacts: Iterable[Contact], *, on: date) -> Patient:
    """The patient with new contacts from ``on``; the old ones go to ``history``.

    Giving the contacts the patient already has (in the same order) changes nothing.
    """
    _check_change_date(patient, on)
    new = members(_contacts(contacts), Contact, "$.contacts")
    if new == patient.contacts:
        return patient
    change = DemographicChange(
        on=on, field=DemographicField.CONTACTS, previous_contacts=patient.contacts
    )
    return attrs.evolve(patient, contacts=new, history=(*patient.history, change))


def responsible_party(patient: Patient) -> Guarantor:
    """Who answers for the patient's bill: the guarantor, or the patient as ``SELF``."""
    if patient.guarantor is not None:
        return patient.guarantor
    return Guarantor(
        relationship=GuarantorRelationship.SELF, name=patient.name,
        birth_date=patient.birth_date, address=patient.address, contacts=patient.contacts,
        ssn=patient.ssn,
    )
