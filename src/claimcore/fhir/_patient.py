"""Patient demographics to FHIR ``Patient`` and back (PHI belongs here, never in errors)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from claimcore._validate import instance
from claimcore.errors import ValidationError
from claimcore.fhir._common import (
    C4BB_IDENTIFIER_TYPE_SYSTEM,
    SSN_SYSTEM,
    V2_0203,
    Resource,
    a_date,
    build_at,
    built,
    code_from,
    each,
    identifier,
    need,
    obj,
    opt_string,
    pseudonym,
    resource_of,
    scalar_at,
    string,
)
from claimcore.findings import Finding, Severity
from claimcore.ids import SSN, MedicalRecordNumber
from claimcore.patients import (
    Address,
    AdministrativeSex,
    Contact,
    ContactUse,
    Patient,
    PersonName,
)

__all__ = [
    "from_patient",
    "from_patient_with_findings",
    "patient_id",
    "patient_reference",
    "to_patient",
]

MIDDLE_NAME_EXT: Final = "https://claimcore.dev/fhir/StructureDefinition/middle-name"
"""Marks the ``HumanName.given`` entry that is the middle name (on ``_given``)."""

GENDER: Final = {
    AdministrativeSex.FEMALE: "female",
    AdministrativeSex.MALE: "male",
    AdministrativeSex.UNKNOWN: "unknown",
}
"""FHIR ``gender`` for each administrative sex (``Patient.gender``, ``RelatedPerson.gender``)."""
SEX: Final = {
    "female": AdministrativeSex.FEMALE,
    "male": AdministrativeSex.MALE,
    "unknown": AdministrativeSex.UNKNOWN,
    "other": AdministrativeSex.UNKNOWN,
}
"""The administrative sex each FHIR ``gender`` is read as (``other`` as unknown)."""
_USES: Final = frozenset(u.value for u in ContactUse)
_NAME_ORDER: Final = ("official", "usual", None)


def patient_id(mrn: MedicalRecordNumber) -> str:
    """The ``Patient`` resource id for a record number: a SHA-256 pseudonym of it.

    The record number is PHI, so it goes into ``Patient.identifier`` (type ``MR``), not
    into the id that every reference and URL carries.
    """
    instance(mrn, MedicalRecordNumber, "$.mrn")
    return pseudonym("mrn", mrn.unmasked)


def patient_reference(mrn: MedicalRecordNumber) -> Resource:
    """``{"reference": "Patient/<id>"}`` for the patient with this record number."""
    return {"reference": f"Patient/{patient_id(mrn)}"}


def human_name(name: PersonName) -> Resource:
    """A FHIR ``HumanName`` for a :class:`PersonName` (middle name as the second given)."""
    out: Resource = {"use": "official", "family": name.family}
    given = [g for g in (name.given, name.middle) if g is not None]
    if given:
        out["given"] = given
    if name.middle is not None:
        marks: list[Resource | None] = [None] * (len(given) - 1)
        out["_given"] = [*marks, {"extension": [{"url": MIDDLE_NAME_EXT,
                                                  "valueBoolean": True}]}]
    if name.prefix is not None:
        out["prefix"] = [name.prefix]
    if name.suffix is not None:
        out["suffix"] = [name.suffix]
    return out


def address(addr: Address) -> Resource:
    """A FHIR ``Address`` (X12 ``N3``/``N4``)."""
    return {
        "line": list(addr.lines),
        "city": addr.city,
        "state": addr.state,
        "postalCode": addr.postal_code,
        "country": addr.country,
    }


def telecom(contacts: tuple[Contact, ...]) -> list[Resource]:
    """``ContactPoint`` entries: a contact's phone, then its e-mail, with its use."""
    out: list[Resource] = []
    for c in contacts:
        if c.phone is not None:
            out.append({"system": "phone", "value": c.formatted_phone(), "use": c.use.value})
        if c.email is not None:
            out.append({"system": "email", "value": c.email, "use": c.use.value})
    return out


def to_patient(patient: Patient) -> Resource:
    """A FHIR R4 ``Patient`` resource for a registered patient.

    Carries the record number (identifier type ``MR``), the SSN (system
    ``http://hl7.org/fhir/sid/us-ssn``, type ``SS``) when known, the name, sex
    (``gender``), birth date, address and contacts (``telecom``). Not carried: the
    guarantor (FHIR ``Account.guarantor``) and the demographic history.
    X12 loop 2010BA/2010CA.
    """
    instance(patient, Patient, "$")
    ids = [identifier(None, patient.mrn.unmasked, type_code="MR")]
    if patient.ssn is not None:
        ids.append(identifier(SSN_SYSTEM, patient.ssn.unmasked, type_code="SS"))
    out: Resource = {
        "resourceType": "Patient",
        "id": patient_id(patient.mrn),
        "identifier": ids,
        "name": [human_name(patient.name)],
        "gender": GENDER[patient.sex],
        "birthDate": patient.birth_date.isoformat(),
    }
    points = telecom(patient.contacts)
    if points:
        out["telecom"] = points
    if patient.address is not None:
        out["address"] = [address(patient.address)]
    return out


# -- reading ---------------------------------------------------------------------------


def _id_type(ident: Mapping[str, Any], path: str) -> str | None:
    t = ident.get("type")
    if t is None:
        return None
    found = code_from(t, f"{path}.type", V2_0203)
    if found is None:
        found = code_from(t, f"{path}.type", C4BB_IDENTIFIER_TYPE_SYSTEM)
    return None if found is None else found[1]


_RECORD_NUMBER_TYPES: Final = ("MR", "MB", "um")
"""Identifier types read as the record number, in order: the provider's MR, else the
payer's member number (v2-0203 ``MB``, CARIN's ``memberid``), else CARIN's unique member
id (``um``)."""


def _middle_index(n: Mapping[str, Any], path: str) -> int | None:
    """The index of the ``given`` entry marked as the middle name, if any."""
    for i, (p, ext) in enumerate(each(n, "_given", path)):
        if ext is None:
            continue
        for q, e in each(obj(ext, p), "extension", p):
            if obj(e, q).get("url") == MIDDLE_NAME_EXT:
                return i
    return None


def read_name(value: object, path: str) -> PersonName:
    """A :class:`PersonName` from a FHIR ``HumanName``.

    The ``given`` entry marked with the middle-name extension (as :func:`to_patient`
    writes it) and those after it are the middle name; without a mark, the first given
    name is the given name and the others the middle name.
    """
    n = obj(value, path)
    family = string(need(n, "family", path), f"{path}.family")
    given = [string(g, p) for p, g in each(n, "given", path)]
    prefixes = [string(g, p) for p, g in each(n, "prefix", path)]
    suffixes = [string(g, p) for p, g in each(n, "suffix", path)]
    split = _middle_index(n, path)
    if split is None or split >= len(given):
        split = 1
    return build_at(
        path, PersonName,
        family=family,
        given=" ".join(given[:split]) or None,
        middle=" ".join(given[split:]) or None,
        prefix=" ".join(prefixes) or None,
        suffix=" ".join(suffixes) or None,
    )


def pick_name(resource: Mapping[str, Any], path: str) -> tuple[str, Any]:
    """The ``official`` name (else ``usual``, else the first) with its path."""
    names = list(each(resource, "name", path))
    if not names:
        raise ValidationError("is required", path=f"{path}.name", rule="required")
    for wanted in _NAME_ORDER:
        for p, n in names:
            if wanted is None or obj(n, p).get("use") == wanted:
                return p, n
    raise AssertionError("unreachable")  # pragma: no cover


_ADDRESS_PARTS: Final = (("city", "city"), ("state", "state"), ("postalCode", "postal code"))


def missing_address_parts(value: object, path: str) -> list[str]:
    """What of city, state, ZIP and street line a FHIR ``Address`` lacks (claimcore needs
    them all; FHIR needs none)."""
    a = obj(value, path)
    missing = [name for key, name in _ADDRESS_PARTS if a.get(key) is None]
    if not a.get("line"):
        missing.insert(0, "street line")
    return missing


def read_address(value: object, path: str) -> Address:
    """An :class:`Address` from a FHIR ``Address`` (``country`` defaults to ``US``)."""
    a = obj(value, path)
    lines = [string(x, p) for p, x in each(a, "line", path)]
    city = string(need(a, "city", path), f"{path}.city")
    state = string(need(a, "state", path), f"{path}.state")
    postal = string(need(a, "postalCode", path), f"{path}.postalCode")
    country = opt_string(a, "country", path) or "US"
    try:
        return Address(lines=lines, city=city, state=state, postal_code=postal,
                       country=country)
    except ValidationError as err:
        renamed = err.path.replace("$.postal_code", "$.postalCode")
        raise type(err)(err.message, path=renamed, rule=err.rule).at(path) from None


def pick_address(
    resource: Mapping[str, Any], path: str, findings: list[Finding] | None = None
) -> Address | None:
    """The current address: the first whose ``use`` is not ``old`` and has no end.

    With ``findings``, an address that lacks what claimcore needs (FHIR allows an address
    without a city) is left out with a finding instead of refused.
    """
    for p, a in each(resource, "address", path):
        m = obj(a, p)
        if m.get("use") in ("old", "billing") or (
            isinstance(m.get("period"), Mapping) and m["period"].get("end") is not None
        ):
            continue
        if findings is not None:
            missing = missing_address_parts(m, p)
            if missing:
                findings.append(Finding(
                    edit_id="fhir-address-incomplete", severity=Severity.WARNING,
                    message=f"the address has no {', '.join(missing)}: claimcore needs "
                    "them for a claim (X12 N3/N4), so the patient is read without an address",
                    location=p,
                    action="complete the patient's address before billing",
                ))
                return None
        return read_address(m, p)
    return None


def read_telecom(resource: Mapping[str, Any], path: str) -> tuple[Contact, ...]:
    """Contacts from ``telecom``: phone and e-mail of use home, work or mobile.

    A phone followed directly by an e-mail of the same use becomes one contact (as
    :func:`to_patient` writes a contact holding both); other points (``old``, ``temp``,
    fax, pager, url, sms) are not carried by claimcore and are skipped.
    """
    out: list[Contact] = []
    pending: tuple[str, ContactUse, str] | None = None  # (path, use, phone)
    for p, item in each(resource, "telecom", path):
        cp = obj(item, p)
        system, value, use = cp.get("system"), cp.get("value"), cp.get("use")
        if system not in ("phone", "email") or value is None or not (
            isinstance(use, str) and use in _USES
        ):
            continue
        text = string(value, f"{p}.value")
        cu = ContactUse(use)
        if system == "email" and pending is not None and pending[1] is cu:
            pp, _, phone = pending
            try:
                out.append(Contact(use=cu, phone=phone, email=text))
            except ValidationError as err:
                at = f"{pp}.value" if err.path == "$.phone" else f"{p}.value"
                raise ValidationError(err.message, path=at, rule=err.rule) from None
            pending = None
            continue
        if pending is not None:
            pp, pu, phone = pending
            out.append(_contact(pp, pu, phone=phone))
            pending = None
        if system == "phone":
            pending = (p, cu, text)
        else:
            out.append(_contact(p, cu, email=text))
    if pending is not None:
        out.append(_contact(pending[0], pending[1], phone=pending[2]))
    return tuple(out)


def _contact(path: str, use: ContactUse, *, phone: str | None = None,
             email: str | None = None) -> Contact:
    try:
        return Contact(use=use, phone=phone, email=email)
    except ValidationError as err:
        # the value is the only field that can fail here
        raise ValidationError(err.message, path=f"{path}.value", rule=err.rule) from None


def from_patient(resource: object) -> Patient:
    """A claimcore :class:`Patient` from a FHIR ``Patient`` resource.

    As :func:`from_patient_with_findings`, without the findings: a payer's patient (a
    member number, no ``MR``; an address without a city) is read all the same.
    """
    return from_patient_with_findings(resource)[0]


def from_patient_with_findings(resource: object) -> tuple[Patient, tuple[Finding, ...]]:
    """A claimcore :class:`Patient` from a FHIR ``Patient``, and what claimcore lacked.

    The record number is the identifier of type ``MR`` (v2-0203); a payer's resource
    (CARIN Blue Button) has none, so the member number (``MB``) or CARIN's unique member
    id (``um``) stands in, with a ``fhir-patient-mrn`` warning: look up the provider's own
    record number before billing. Without any of the three the resource is refused
    (``mrn-required``). The SSN is the identifier of system
    ``http://hl7.org/fhir/sid/us-ssn``; the name the ``official`` one (else ``usual``,
    else the first); the address the first current one, left out with a
    ``fhir-address-incomplete`` warning when it lacks a street line, city, state or ZIP
    (FHIR requires none of them); the contacts the phones and e-mails of use home, work
    or mobile. ``gender`` ``other`` or absent becomes ``U`` (X12 ``DMG03`` has nothing
    else). What claimcore cannot hold (a non-US phone, a US state that does not exist)
    raises a :class:`ValidationError` naming the element. Findings never hold PHI.
    """
    res = resource_of(resource, "Patient")
    findings: list[Finding] = []
    numbers: dict[str, tuple[str, MedicalRecordNumber]] = {}
    ssn: SSN | None = None
    for p, item in each(res, "identifier", "$"):
        ident = obj(item, p)
        kind_ = _id_type(ident, p)
        if kind_ in _RECORD_NUMBER_TYPES and kind_ not in numbers:
            value = string(need(ident, "value", p), f"{p}.value")
            numbers[kind_] = (p, scalar_at(f"{p}.value", MedicalRecordNumber, value))
        elif (kind_ == "SS" or ident.get("system") == SSN_SYSTEM) and ssn is None:
            value = string(need(ident, "value", p), f"{p}.value")
            ssn = scalar_at(f"{p}.value", SSN, value)
    chosen = next((k for k in _RECORD_NUMBER_TYPES if k in numbers), None)
    if chosen is None:
        raise ValidationError(
            "needs an identifier of type MR (the medical record number), or a payer's "
            "member number (MB, or CARIN's um)",
            path="$.identifier", rule="mrn-required",
        )
    where, mrn = numbers[chosen]
    if chosen != "MR":
        findings.append(Finding(
            edit_id="fhir-patient-mrn", severity=Severity.WARNING,
            message=f"no medical record number (identifier type MR): the {chosen} "
            "identifier stands in as the record number",
            location=where,
            action="match the patient to the provider's own record number",
        ))
    name_path, name_value = pick_name(res, "$")
    name = read_name(name_value, name_path)
    birth = a_date(need(res, "birthDate", "$"), "$.birthDate")
    gender = res.get("gender")
    if gender is None:
        sex = AdministrativeSex.UNKNOWN
    elif isinstance(gender, str) and gender in SEX:
        sex = SEX[gender]
    else:
        raise ValidationError(
            "must be one of female, male, other, unknown", path="$.gender", rule="gender"
        )
    addr = pick_address(res, "$", findings)
    contacts = read_telecom(res, "$")
    patient = built(
        lambda: Patient(mrn=mrn, name=name, birth_date=birth, sex=sex, address=addr,
                        contacts=contacts, ssn=ssn),
        "$",
    )
    return patient, tuple(findings)
