"""Patients to FHIR Patient and back: worked example, HL7's example, hostile input."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from claimcore.errors import TypeMismatch, ValidationError
from claimcore.fhir import dumps, from_patient, loads, patient_id, to_patient
from claimcore.ids import SSN
from claimcore.patients import AdministrativeSex, ContactUse
from tests.unit.test_fhir_values import MRN, PATIENT, fixture


def test_patient_resource_carries_the_demographics() -> None:
    """The record number, name, sex, birth date, address and contacts are all there."""
    r = to_patient(PATIENT)
    assert r["id"] == patient_id(MRN) and MRN.unmasked not in r["id"]
    assert r["identifier"][0]["value"] == "MRN00421234"
    assert r["identifier"][0]["type"]["coding"][0]["code"] == "MR"
    assert r["name"] == [{
        "use": "official", "family": "Lovelace", "given": ["Ada", "B"],
        "_given": [None, {"extension": [{
            "url": "https://claimcore.dev/fhir/StructureDefinition/middle-name",
            "valueBoolean": True}]}],
        "suffix": ["Jr."],
    }]
    assert (r["gender"], r["birthDate"]) == ("female", "1990-12-10")
    assert r["address"][0]["postalCode"] == "021101234"
    assert [(t["system"], t["use"]) for t in r["telecom"]] == [
        ("phone", "home"), ("email", "home"), ("email", "work")]


def test_patient_validates_with_fhir_resources() -> None:
    """fhir.resources' R4B model accepts the resource."""
    pytest.importorskip("fhir.resources")
    from fhir.resources.R4B.patient import Patient as FhirPatient

    FhirPatient.model_validate(to_patient(PATIENT))
    FhirPatient.model_validate(loads(dumps(to_patient(PATIENT))))


def test_patient_round_trips() -> None:
    """from_patient(to_patient(p)) is p, through JSON text as well."""
    assert from_patient(to_patient(PATIENT)) == PATIENT
    assert from_patient(loads(dumps(to_patient(PATIENT)))) == PATIENT


def test_ssn_travels_as_a_us_ssn_identifier() -> None:
    """The SSN is an identifier of system us-ssn and comes back."""
    import attrs

    p = attrs.evolve(PATIENT, ssn=SSN("234-56-7890"))
    r = to_patient(p)
    assert r["identifier"][1]["system"] == "http://hl7.org/fhir/sid/us-ssn"
    assert from_patient(r) == p


def hl7_patient() -> dict[str, Any]:
    return dict(fixture("Patient-example"))


def test_hl7_patient_example_is_refused_where_claimcore_cannot_hold_it() -> None:
    """HL7's Australian example (no country, state 'Vic') fails at its address, not inside."""
    with pytest.raises(ValidationError) as err:
        from_patient(hl7_patient())
    assert err.value.path == "$.address[0].state"
    assert "Vic" not in str(err.value)  # addresses are PHI: never in messages


def test_hl7_patient_example_reads_once_localised() -> None:
    """With its country given and its Australian phones dropped, the example reads in."""
    r = hl7_patient()
    r["address"] = [{**r["address"][0], "country": "AU"}]
    with pytest.raises(ValidationError) as err:  # the work phone (03) 5555 6473 is not US
        from_patient(r)
    assert err.value.path == "$.telecom[1].value" and "5555" not in str(err.value)
    r["telecom"] = [t for t in r["telecom"] if t.get("system") != "phone"]
    p = from_patient(r)
    assert p.mrn.unmasked == "12345"
    assert (p.name.family, p.name.given, p.name.middle) == ("Chalmers", "Peter", "James")
    assert p.birth_date == date(1974, 12, 25)
    assert p.sex is AdministrativeSex.MALE
    assert p.address is not None and p.address.country == "AU"
    assert p.contacts == ()


def test_telecom_grouping_and_skipping() -> None:
    """A phone then an e-mail of one use make one contact; old, fax and bare points are skipped."""
    r = to_patient(PATIENT)
    r["telecom"] = [
        {"system": "phone", "value": "6175550000", "use": "old"},
        {"system": "fax", "value": "6175550001", "use": "work"},
        {"use": "home"},
        {"system": "phone", "value": "6175550002", "use": "mobile"},
        {"system": "phone", "value": "6175550003", "use": "work"},
        {"system": "email", "value": "x@example.org", "use": "home"},
    ]
    contacts = from_patient(r).contacts
    assert [(c.use, c.phone, c.email) for c in contacts] == [
        (ContactUse.MOBILE, "6175550002", None),
        (ContactUse.WORK, "6175550003", None),
        (ContactUse.HOME, None, "x@example.org"),
    ]


def test_name_choice_and_gender_mapping() -> None:
    """The official name wins over a usual one; 'other' and absent gender become U."""
    r = to_patient(PATIENT)
    r["name"] = [{"use": "usual", "family": "Byron", "given": ["A", "B", "C"]},
                 {"use": "official", "family": "King", "given": ["Augusta", "Ada", "B"],
                  "prefix": ["Lady"]}]
    r["gender"] = "other"
    p = from_patient(r)
    assert (p.name.family, p.name.given, p.name.middle, p.name.prefix) == (
        "King", "Augusta", "Ada B", "Lady")
    assert p.sex is AdministrativeSex.UNKNOWN
    del r["gender"]
    assert from_patient(r).sex is AdministrativeSex.UNKNOWN
    r["name"] = [{"family": "Solo", "given": ["Q"], "_given": [
        {"extension": [{"url": "https://claimcore.dev/fhir/StructureDefinition/middle-name",
                        "valueBoolean": True}]}]}]
    assert (from_patient(r).name.given, from_patient(r).name.middle) == (None, "Q")
    r["name"] = [{"family": "Solo"}]
    assert from_patient(r).name.given is None


def test_old_addresses_are_not_current() -> None:
    """An old address, or one whose period ended, is skipped."""
    r = to_patient(PATIENT)
    current = r["address"][0]
    r["address"] = [{**current, "use": "old"}, {**current, "period": {"end": "2020"}}]
    assert from_patient(r).address is None
    r["address"].append(current)
    assert from_patient(r).address == PATIENT.address


HOSTILE: list[tuple[str, Any, str, type[Exception]]] = [
    ("not a dict", [], "$", TypeMismatch),
    ("wrong type", {"resourceType": "Coverage"}, "$.resourceType", ValidationError),
    ("no MRN", {"resourceType": "Patient", "name": [{"family": "X"}],
                "birthDate": "2000-01-01"}, "$.identifier", ValidationError),
]


@pytest.mark.parametrize(("label", "resource", "path", "error"), HOSTILE)
def test_hostile_patients(label: str, resource: Any, path: str, error: type[Exception]) -> None:
    """Wrong shapes fail as claimcore errors naming the element."""
    with pytest.raises(error) as err:
        from_patient(resource)
    assert isinstance(err.value, ValidationError)
    assert err.value.path == path, label


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda r: r.pop("birthDate"), "$.birthDate"),
        (lambda r: r.__setitem__("birthDate", "1990-12"), "$.birthDate"),
        (lambda r: r.__setitem__("birthDate", 19901210), "$.birthDate"),
        (lambda r: r.__setitem__("gender", ["female"]), "$.gender"),
        (lambda r: r.__setitem__("gender", "f"), "$.gender"),
        (lambda r: r.__setitem__("name", []), "$.name"),
        (lambda r: r.__setitem__("name", "Ada"), "$.name"),
        (lambda r: r["name"][0].pop("family"), "$.name[0].family"),
        (lambda r: r["name"][0].__setitem__("given", [7]), "$.name[0].given[0]"),
        (lambda r: r["name"][0].__setitem__("family", "L0vel@ce"), "$.name[0].family"),
        (lambda r: r["identifier"][0].__setitem__("value", "!!"), "$.identifier[0].value"),
        (lambda r: r["identifier"][0].pop("value"), "$.identifier[0].value"),
        (lambda r: r["identifier"].__setitem__(0, "MR"), "$.identifier[0]"),
        (lambda r: r["address"][0].__setitem__("postalCode", "ABCDE"),
         "$.address[0].postalCode"),
        (lambda r: r["address"][0].__setitem__("city", 7), "$.address[0].city"),
        (lambda r: r["telecom"][1].__setitem__("value", "not-an-email"), "$.telecom[1].value"),
        (lambda r: r["telecom"][0].__setitem__("value", {"n": 1}), "$.telecom[0].value"),
        (lambda r: r.__setitem__("telecom", {"system": "phone"}), "$.telecom"),
    ],
)
def test_broken_patient_elements_are_named(mutate: Any, path: str) -> None:
    """Each broken element raises a ValidationError at its own path, never KeyError/TypeError."""
    r = copy.deepcopy(to_patient(PATIENT))
    mutate(r)
    with pytest.raises(ValidationError) as err:
        from_patient(r)
    assert err.value.path == path
    message = str(err.value)
    for phi in ("Lovelace", "Ada", "1990", "Boston", "617", "ada@"):
        assert phi not in message
