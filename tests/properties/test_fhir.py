"""FHIR laws: every generated value maps to a resource fhir.resources accepts, patients and
coverages round-trip, and an EOB's totals are its payments' to the cent."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcore.claims import Claim
from claimcore.coverage import Coverage
from claimcore.fhir import (
    AccountBalances,
    FhirAdjudication,
    dumps,
    from_claim_with_findings,
    from_coverage,
    from_explanation_of_benefit,
    from_patient,
    loads,
    to_charge_item,
    to_claim,
    to_coverage,
    to_encounter,
    to_explanation_of_benefit,
    to_patient,
)
from claimcore.money import Money
from claimcore.patients import Contact, Patient, PersonName
from claimcore.remittance import ClaimPayment
from claimcore.strategies import (
    charges,
    claim_payments,
    claims,
    coverages,
    encounters,
    medical_record_numbers,
    money,
    patients,
)

fhir = pytest.importorskip("fhir.resources")

from fhir.resources.R4B.chargeitem import ChargeItem  # noqa: E402
from fhir.resources.R4B.claim import Claim as FhirClaim  # noqa: E402
from fhir.resources.R4B.coverage import Coverage as FhirCoverage  # noqa: E402
from fhir.resources.R4B.encounter import Encounter as FhirEncounter  # noqa: E402
from fhir.resources.R4B.explanationofbenefit import ExplanationOfBenefit  # noqa: E402
from fhir.resources.R4B.patient import Patient as FhirPatient  # noqa: E402


def through_json(resource: dict[str, Any]) -> Any:
    return loads(dumps(resource))


def carried(patient: Patient) -> Patient:
    """What FHIR Patient carries of a patient: no guarantor or history; a phone followed
    by an e-mail of the same use comes back as one contact."""
    points: list[tuple[Any, str, str]] = []
    for c in patient.contacts:
        if c.phone is not None:
            points.append((c.use, "phone", c.phone))
        if c.email is not None:
            points.append((c.use, "email", c.email))
    contacts: list[Contact] = []
    i = 0
    while i < len(points):
        use, system, value = points[i]
        nxt = points[i + 1] if i + 1 < len(points) else None
        if system == "phone" and nxt is not None and nxt[1] == "email" and nxt[0] is use:
            contacts.append(Contact(use=use, phone=value, email=nxt[2]))
            i += 2
            continue
        contacts.append(Contact(use=use, phone=value) if system == "phone"
                        else Contact(use=use, email=value))
        i += 1
    return Patient(mrn=patient.mrn, name=patient.name, birth_date=patient.birth_date,
                   sex=patient.sex, address=patient.address, contacts=contacts,
                   ssn=patient.ssn)


@given(patients())
def test_patients_validate_and_round_trip(patient: Patient) -> None:
    """Every patient maps to a valid FHIR Patient that reads back as what FHIR carries."""
    resource = through_json(to_patient(patient))
    FhirPatient.model_validate(resource)
    assert from_patient(resource) == carried(patient)


@given(coverages(), medical_record_numbers())
def test_coverages_validate_and_round_trip(coverage: Coverage, mrn: Any) -> None:
    """Every coverage maps to a valid FHIR Coverage that reads back equal (a plan id equal
    to the plan's name is the one thing that comes back as no plan id)."""
    resource = through_json(to_coverage(coverage, patient_ref=mrn))
    FhirCoverage.model_validate(resource)
    expected = coverage
    if coverage.plan.plan_id == coverage.plan.name:
        expected = attrs.evolve(coverage, plan=attrs.evolve(coverage.plan, plan_id=None))
    assert from_coverage(resource, payer=coverage.payer) == expected


@given(encounters())
def test_encounters_validate(encounter: Any) -> None:
    """Every encounter maps to a valid FHIR Encounter whose status follows FHIR's spelling."""
    resource = through_json(to_encounter(encounter))
    FhirEncounter.model_validate(resource)
    assert resource["status"] == encounter.status.value.replace("_", "-")


@given(claims())
def test_claims_validate(claim: Claim) -> None:
    """Every claim maps to a valid FHIR Claim whose total is the sum of its items' net."""
    resource = through_json(to_claim(claim))
    FhirClaim.model_validate(resource)
    nets = sum(Decimal(item["net"]["value"]) for item in resource["item"])
    assert nets == resource["total"]["value"] == claim.total_charge.amount


@given(charges(), medical_record_numbers())
def test_charges_validate(charge: Any, mrn: Any) -> None:
    """Every charge maps to a valid ChargeItem priced at its amount."""
    resource = through_json(to_charge_item(charge, patient=mrn))
    ChargeItem.model_validate(resource)
    assert resource["priceOverride"]["value"] == charge.amount.amount


def _sum(amounts: list[Money]) -> Money:
    return sum(amounts, Money.zero())


@given(claims(), st.lists(claim_payments(), min_size=1, max_size=3))
def test_eob_totals_equal_the_payments(claim: Claim, drawn: list[ClaimPayment]) -> None:
    """An EOB's submitted and benefit totals and its payment are the payments' sums to the
    cent; it validates, and reads back with the same adjustments and no findings."""
    payments = [attrs.evolve(p, claim=claim.id) for p in drawn]
    resource = through_json(to_explanation_of_benefit(claim, payments))
    ExplanationOfBenefit.model_validate(resource)
    totals = {t["category"]["coding"][0]["code"]: t["amount"]["value"]
              for t in resource["total"]}
    charged = _sum([p.charge for p in payments])
    paid = _sum([p.paid for p in payments])
    assert totals == {"submitted": charged.amount, "benefit": paid.amount}
    assert resource["payment"]["amount"]["value"] == paid.amount
    back = from_explanation_of_benefit(resource)
    assert back.findings == ()
    assert (back.submitted, back.benefit, back.payment) == (charged, paid, paid)
    assert Counter(back.all_adjustments()) == Counter(
        a for p in payments for a in p.all_adjustments())
    assert Counter(back.remarks + tuple(r for i in back.items for r in i.remarks)) == Counter(
        r for p in payments for r in (*p.remarks, *(x for s in p.services for x in s.remarks)))


@given(claims(), st.lists(claim_payments(), min_size=1, max_size=2))
def test_adjudication_values_round_trip_through_the_converter(
    claim: Claim, drawn: list[ClaimPayment]
) -> None:
    """FhirAdjudication (with its items and findings) survives claimcore's converter."""
    from claimcore.serialization import make_converter

    payments = [attrs.evolve(p, claim=claim.id) for p in drawn]
    value = from_explanation_of_benefit(to_explanation_of_benefit(claim, payments))
    conv = make_converter()
    assert conv.structure(conv.unstructure(value), FhirAdjudication) == value


@given(money(), money())
def test_account_balances_round_trip_through_the_converter(a: Money, b: Money) -> None:
    """AccountBalances survives claimcore's converter."""
    from claimcore.serialization import make_converter

    value = AccountBalances(patient=a, insurance=b)
    conv = make_converter()
    assert conv.structure(conv.unstructure(value), AccountBalances) == value


def test_contact_grouping_is_what_fhir_carries() -> None:
    """A phone contact followed by an e-mail contact of the same use comes back as one."""
    from datetime import date

    from claimcore.ids import MedicalRecordNumber
    from claimcore.patients import AdministrativeSex, ContactUse

    p = Patient(mrn=MedicalRecordNumber("M1"), name=PersonName(family="Doe", middle="Q"),
                birth_date=date(2000, 1, 1), sex=AdministrativeSex.UNKNOWN,
                contacts=[Contact(use=ContactUse.HOME, phone="6175551234"),
                          Contact(use=ContactUse.HOME, email="q@example.org")])
    back = from_patient(to_patient(p))
    assert back.name == p.name
    assert back.contacts == (Contact(use=ContactUse.HOME, phone="6175551234",
                                     email="q@example.org"),)
    assert back == carried(p)


def claim_as_fhir_carries(claim: Claim) -> Claim:
    """What a FHIR Claim carries of a claim: a draft with no history, without the
    encounter, facility, admission, other payers or the lines' charge ids."""
    return Claim(
        id=claim.id, kind=claim.kind, patient=claim.patient, coverage=claim.coverage,
        billing_provider=claim.billing_provider,
        rendering_provider=claim.rendering_provider,
        referring_provider=claim.referring_provider,
        attending_provider=claim.attending_provider,
        place_of_service=claim.place_of_service,
        type_of_bill=claim.type_of_bill if claim.kind.value == "institutional" else None,
        diagnoses=claim.diagnoses, admitting_diagnosis=claim.admitting_diagnosis,
        lines=[attrs.evolve(line, charge_id=None) for line in claim.lines],
        frequency=claim.frequency, original_claim_number=claim.original_claim_number,
        prior_authorization=claim.prior_authorization,
    )


@given(claims())
def test_claims_round_trip_through_fhir(claim: Claim) -> None:
    """from_claim(to_claim(c)) is c as a draft, equal in every field a FHIR Claim carries,
    with no findings, and the resource validates."""
    resource = through_json(to_claim(claim))
    FhirClaim.model_validate(resource)
    providers = [p for p in (claim.rendering_provider, claim.referring_provider,
                             claim.attending_provider) if p is not None]
    back, findings = from_claim_with_findings(
        resource, patient=claim.patient, coverage=claim.coverage,
        billing_provider=claim.billing_provider, providers=providers,
    )
    assert findings == ()
    assert back == claim_as_fhir_carries(claim)
    assert back.total_charge == claim.total_charge
