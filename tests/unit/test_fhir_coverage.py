"""Coverage to FHIR Coverage and back; HL7's Coverage examples; hostile input."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import attrs
import pytest

from claimcore.coverage import (
    CoverageOrder,
    EmploymentStatus,
    Network,
    Plan,
    PlanType,
    Relationship,
)
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.fhir import coverage_id, dumps, from_coverage, loads, patient_id, to_coverage
from claimcore.ids import PayerId
from claimcore.periods import Period
from tests.unit.test_fhir_values import COVERAGE, MRN, PAYER, SUBSCRIBER, fixture


def test_coverage_resource_elements() -> None:
    """Member id, subscriber id, group, plan, relationship, period and order are all mapped."""
    r = to_coverage(COVERAGE, patient_ref=MRN)
    assert r["id"] == coverage_id(COVERAGE)
    assert r["beneficiary"] == {"reference": f"Patient/{patient_id(MRN)}"}
    assert r["identifier"][0]["value"] == "W123456789"
    assert r["subscriberId"] == "W123456789"
    assert r["relationship"]["coding"][0]["code"] == "self"
    assert r["relationship"]["coding"][1]["code"] == "18"
    assert r["period"] == {"start": "2026-01-01", "end": "2026-12-31"}
    assert r["order"] == 1
    assert [(c["type"]["coding"][0]["code"], c["value"]) for c in r["class"]] == [
        ("group", "GRP-0042"), ("plan", "POS-2")]
    assert r["type"]["coding"][0]["code"] == "5"  # SOPT: private health insurance


def test_coverage_validates_with_fhir_resources() -> None:
    """fhir.resources' R4B model accepts the resource, contained resources included."""
    pytest.importorskip("fhir.resources")
    from fhir.resources.R4B.coverage import Coverage as FhirCoverage

    FhirCoverage.model_validate(loads(dumps(to_coverage(COVERAGE, patient_ref=MRN))))


def test_coverage_round_trips() -> None:
    """from_coverage(to_coverage(c), payer=c.payer) is c."""
    assert from_coverage(to_coverage(COVERAGE, patient_ref=MRN), payer=PAYER) == COVERAGE
    other = attrs.evolve(
        COVERAGE, relationship=Relationship.EMPLOYEE, group_number=None,
        order=CoverageOrder.FOURTH, period=Period(date(2026, 1, 1)),
        plan=Plan(name="Open Access", plan_type=PlanType.HMO, network=Network.OUT),
        subscriber=attrs.evolve(SUBSCRIBER, employment_status=EmploymentStatus.COBRA),
    )
    r = to_coverage(other, patient_ref="Patient/abc")
    assert r["relationship"]["coding"][0]["code"] == "other"
    assert from_coverage(loads(dumps(r)), payer=PAYER) == other


def test_patient_ref_must_name_a_patient() -> None:
    """patient_ref is a record number or a Patient reference."""
    with pytest.raises(ValidationError):
        to_coverage(COVERAGE, patient_ref="Organization/1")
    with pytest.raises(TypeMismatch):
        to_coverage(COVERAGE, patient_ref=7)  # type: ignore[arg-type]


def test_another_payers_coverage_is_refused() -> None:
    """A resource naming payer 60054 is not read as another payer's coverage."""
    other = attrs.evolve(PAYER, payer_id=PayerId("BCBS1"))
    with pytest.raises(ValidationError) as err:
        from_coverage(to_coverage(COVERAGE, patient_ref=MRN), payer=other)
    assert err.value.rule == "payer-mismatch"
    assert err.value.path == "$.contained[0].identifier[0].value"


def test_hl7_coverage_9876b1() -> None:
    """HL7's 9876B1 reads with the subscriber given: group CB135, plan B37FC, self, 2011-12."""
    c = from_coverage(fixture("Coverage-9876B1"), payer=PAYER, subscriber=SUBSCRIBER)
    assert c.member_id.unmasked == "12345"
    assert c.group_number == "CB135"
    assert (c.plan.plan_id, c.plan.name) == (
        "B37FC", "Full Coverage: Medical, Dental, Pharmacy, Vision, EHC")
    assert c.plan.plan_type is PlanType.OTHER
    assert c.relationship is Relationship.SELF
    assert c.period == Period(date(2011, 5, 23), date(2012, 5, 23))
    assert c.order is CoverageOrder.PRIMARY


def test_hl7_coverage_7546d_is_secondary() -> None:
    """HL7's 7546D: order 2 is secondary; the patient is the subscriber, so the member id
    is subscriberId AB9876 (its untyped identifier AB98761 is a policy id)."""
    c = from_coverage(fixture("Coverage-7546D"), payer=PAYER, subscriber=SUBSCRIBER)
    assert c.order is CoverageOrder.SECONDARY
    assert c.member_id.unmasked == "AB9876"
    assert c.group_number == "WESTAIR"


def test_hl7_coverage_without_start_or_subscriber_is_refused() -> None:
    """7547E has no period start and no plan; an outside subscriber needs subscriber=."""
    r = fixture("Coverage-7547E")
    with pytest.raises(ValidationError) as err:
        from_coverage(r, payer=PAYER)
    assert err.value.rule == "subscriber-required"
    with pytest.raises(ValidationError) as err:
        from_coverage(r, payer=PAYER, subscriber=SUBSCRIBER)
    assert err.value.rule == "plan-required"
    with pytest.raises(ValidationError) as err:
        from_coverage(r, payer=PAYER, subscriber=SUBSCRIBER, plan=COVERAGE.plan)
    assert err.value.path == "$.period.start"


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda r: r.__setitem__("status", "cancelled"), "$.status"),
        (lambda r: r.__setitem__("order", "1"), "$.order"),
        (lambda r: r.__setitem__("order", 12), "$.order"),
        (lambda r: r.pop("period"), "$.period"),
        (lambda r: r["period"].__setitem__("start", "2026-13-01"), "$.period.start"),
        (lambda r: r["identifier"][0].__setitem__("value", "!"), "$.identifier[0].value"),
        (lambda r: r["contained"].pop(1), "$.subscriber.reference"),
        (lambda r: r["contained"][1].pop("birthDate"), "$.contained[1].birthDate"),
        (lambda r: r["contained"][1].__setitem__("gender", 1), "$.contained[1].gender"),
        (lambda r: r["relationship"]["coding"].pop(1) and r["relationship"]["coding"][0]
         .__setitem__("code", "cousin"), "$.relationship.coding[0].code"),
        (lambda r: r["relationship"]["coding"][1].__setitem__("code", "99"),
         "$.relationship.coding[1].code"),
        (lambda r: r["extension"][0].__setitem__("valueCode", "gig"),
         "$.extension[0].valueCode"),
        (lambda r: r["class"][1]["extension"][0].pop("valueCode"),
         "$.class[1].extension[0].valueCode"),
        (lambda r: r["class"][1].pop("type"), "$.class[1].type"),
        (lambda r: r["class"][0].pop("value"), "$.class[0].value"),
        (lambda r: r.__setitem__("class", 3), "$.class"),
    ],
)
def test_broken_coverage_elements_are_named(mutate: Any, path: str) -> None:
    """Each broken element raises a ValidationError at its path, with no PHI in the message."""
    r = copy.deepcopy(to_coverage(COVERAGE, patient_ref=MRN))
    mutate(r)
    with pytest.raises(ValidationError) as err:
        from_coverage(r, payer=PAYER)
    assert err.value.path == path
    assert "W123456789" not in str(err.value) and "Lovelace" not in str(err.value)


def test_relationship_defaults() -> None:
    """No relationship: self when subscriber and beneficiary are one reference, else unknown."""
    r = fixture("Coverage-9876B1")
    del r["relationship"]
    c = from_coverage(r, payer=PAYER, subscriber=SUBSCRIBER)
    assert c.relationship is Relationship.SELF
    r["beneficiary"] = {"reference": "Patient/5"}
    c = from_coverage(r, payer=PAYER, subscriber=SUBSCRIBER)
    assert c.relationship is Relationship.UNKNOWN
