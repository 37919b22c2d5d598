"""Payer FHIR in: CARIN Blue Button EOBs and patients, read with nothing lost silently.

The ten financial EOB examples and two patients of the CARIN Blue Button IG 2.2.0
(HL7/carin-bb @d23e3b7, CC0-1.0) are in ``tests/fixtures/fhir/carin`` (see its README).
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from claimcore.errors import ValidationError
from claimcore.fhir import (
    MAX_NUMBER_DIGITS,
    AdjudicationCategory,
    FhirAdjudication,
    from_claim_response,
    from_explanation_of_benefit,
    from_patient,
    from_patient_with_findings,
    loads,
)
from claimcore.findings import Severity
from tests.unit.test_fhir_values import fixture, usd

CARIN = Path(__file__).resolve().parent.parent / "fixtures" / "fhir" / "carin"
EOBS = sorted(p.stem for p in CARIN.glob("ExplanationOfBenefit-*.json"))
C4BB = "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication"
BASE = "http://terminology.hl7.org/CodeSystem/adjudication"
Cat = AdjudicationCategory


def carin(name: str) -> Any:
    return loads((CARIN / f"{name}.json").read_text())


def test_there_are_ten_carin_eobs() -> None:
    """The fixture folder holds every financial EOB example of the IG (a guard for the
    parametrised tests below, which would pass on an empty folder)."""
    assert len(EOBS) == 10


@pytest.mark.parametrize("name", EOBS)
def test_every_carin_eob_reads_with_payment_or_benefit(name: str) -> None:
    """Every CARIN example reads with a payment or a benefit (none comes back empty)."""
    a = from_explanation_of_benefit(carin(name))
    assert a.payment is not None or a.benefit is not None
    assert a.amounts


def _stated(resource: dict[str, Any]) -> list[tuple[str, str | None, str, Decimal]]:
    """(path, system, code, value) of every entry of the resource that has an amount."""
    out: list[tuple[str, str | None, str, Decimal]] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key in ("adjudication", "total"):
                for i, entry in enumerate(node.get(key, [])):
                    if "amount" in entry:
                        first = entry["category"]["coding"][0]
                        out.append((f"{path}.{key}[{i}]", first.get("system"),
                                    first["code"], Decimal(entry["amount"]["value"])))
            for key in ("item", "addItem", "detail", "subDetail"):
                for i, child in enumerate(node.get(key, [])):
                    walk(child, f"{path}.{key}[{i}]")

    walk(resource, "$")
    return out


@pytest.mark.parametrize("name", EOBS)
def test_no_carin_amount_is_lost_silently(name: str) -> None:
    """Each stated amount is read under its category (at its item or at claim level) or
    is a finding at its own path."""
    resource = carin(name)
    a = from_explanation_of_benefit(resource)
    flagged = {f.location for f in a.findings if f.edit_id == "fhir-adjudication-unknown"}
    for path, system, code, _ in _stated(resource):
        if path in flagged:
            continue
        assert system in (BASE, C4BB), (path, system, code)
        categories = {x.category for x in a.amounts}
        categories |= {x.category for i in a.items for x in i.amounts}
        assert any(c.value.replace("_", "") == code or (c, code) == (Cat.ELIGIBLE, "eligible")
                   for c in categories), (path, code)


@pytest.mark.parametrize("name", EOBS)
def test_carin_totals_are_read_to_the_cent(name: str) -> None:
    """Every ``total`` entry comes back as the claim-level amount of its category."""
    resource = carin(name)
    a = from_explanation_of_benefit(resource)
    sums: dict[str, Decimal] = {}
    for path, _, code, value in _stated(resource):
        if path.startswith("$.total"):
            sums[code] = sums.get(code, Decimal(0)) + value
    by_code = {x.category.value.replace("_", ""): x.amount.amount for x in a.amounts}
    for code, value in sums.items():
        assert by_code[code] == value, code


def test_inpatient1_payment_is_paid_to_provider() -> None:
    """Inpatient 1 states no benefit and no payment: both are its paid-to-provider 620.00,
    and the patient paid 0.00."""
    a = from_explanation_of_benefit(carin("ExplanationOfBenefit-EOBInpatient1"))
    assert (a.payment, a.benefit) == (usd("620.00"), usd("620.00"))
    assert a.amount(Cat.SUBMITTED) == usd("2650.00")
    assert a.amount(Cat.PAID_BY_PATIENT) == usd("0.00")
    assert a.findings == ()


def test_professional1_reads_its_adjustment_against_the_payment() -> None:
    """Professional 1: benefit and paid to provider 200.00; its payment 200.00 with a
    -50.00 payment adjustment does not add up, a finding."""
    a = from_explanation_of_benefit(carin("ExplanationOfBenefit-EOBProfessional1"))
    assert (a.payment, a.benefit) == (usd("200.00"), usd("200.00"))
    assert [f.edit_id for f in a.findings] == ["fhir-payment"]


def test_oral2_paid_below_benefit_is_a_finding() -> None:
    """Oral 2: benefit 110.00 but paid to provider 100.00: payment 100.00, and a warning."""
    a = from_explanation_of_benefit(carin("ExplanationOfBenefit-EOBOral2"))
    assert (a.payment, a.benefit) == (usd("100.00"), usd("110.00"))
    assert a.amount(Cat.DISCOUNT) == usd("40.00")
    (f,) = a.findings
    assert (f.edit_id, f.severity) == ("fhir-paid-benefit", Severity.WARNING)


def test_pharmacy1_member_liability_is_the_patients_share() -> None:
    """Pharmacy 1's item: benefit 20.00, member liability 80.00 is what the patient owes."""
    a = from_explanation_of_benefit(carin("ExplanationOfBenefit-EOBPharmacy1"))
    (item,) = a.items
    assert (item.benefit, item.patient) == (usd("20.00"), usd("80.00"))
    assert item.amount(Cat.DISCOUNT) == usd("900.00")


def _entry(system: str | None, code: str, value: str) -> dict[str, Any]:
    coding: dict[str, Any] = {"code": code}
    if system is not None:
        coding["system"] = system
    return {"category": {"coding": [coding]},
            "amount": {"value": Decimal(value), "currency": "USD"}}


def _one_item_eob(*entries: dict[str, Any]) -> dict[str, Any]:
    return {"resourceType": "ExplanationOfBenefit", "outcome": "complete",
            "item": [{"sequence": 1, "adjudication": list(entries)}]}


def test_categories_map_to_claimcore_meaning() -> None:
    """paidtoprovider is the benefit when none is stated; copay, deductible and
    coinsurance are the patient's share; allowed is eligible; priorpayerpaid is kept."""
    a = from_explanation_of_benefit(_one_item_eob(
        _entry(BASE, "submitted", "200.00"),
        _entry(C4BB, "allowed", "150.00"),
        _entry(C4BB, "paidtoprovider", "90.00"),
        _entry(BASE, "copay", "10.00"),
        _entry(BASE, "deductible", "20.00"),
        _entry(C4BB, "coinsurance", "5.00"),
        _entry(C4BB, "priorpayerpaid", "25.00"),
        _entry(C4BB, "disallowed", "50.00"),
        _entry(None, "paidbypatient", "10.00"),
    ))
    (item,) = a.items
    assert (item.submitted, item.eligible, item.benefit, item.patient) == (
        usd("200.00"), usd("150.00"), usd("90.00"), usd("35.00"))
    assert item.amount(Cat.PRIOR_PAYER_PAID) == usd("25.00")
    assert item.amount(Cat.DISALLOWED) == usd("50.00")
    assert item.amount(Cat.PAID_BY_PATIENT) == usd("10.00")
    assert (a.payment, a.benefit) == (usd("90.00"), usd("90.00"))
    assert a.findings == ()


@pytest.mark.parametrize(
    ("entry", "shown"),
    [
        (_entry(C4BB, "newcategory", "12.00"), "C4BBAdjudication#newcategory"),
        (_entry("https://bluebutton.cms.gov/resources/variables/line_prmry_alowd_chrg_amt",
                "line_prmry_alowd_chrg_amt", "12.00"), "line_prmry_alowd_chrg_amt"),
        (_entry(BASE, "unheardof", "12.00"), "adjudication#unheardof"),
        (_entry("http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudicationDiscriminator",
                "benefitpaymentstatus", "12.00"), "a status or reason slice"),
    ],
)
def test_an_amount_not_understood_is_a_finding(entry: dict[str, Any], shown: str) -> None:
    """A category claimcore does not read that carries an amount is a warning at its
    path, naming the category and the amount: never dropped silently."""
    a = from_explanation_of_benefit(_one_item_eob(_entry(BASE, "benefit", "40.00"), entry))
    (f,) = a.findings
    assert (f.edit_id, f.severity, f.location) == (
        "fhir-adjudication-unknown", Severity.WARNING, "$.item[0].adjudication[1]")
    assert shown in f.message and "12.00" in f.message
    assert a.items[0].benefit == usd("40.00")


def test_an_unknown_total_is_a_finding() -> None:
    """A total of a category claimcore does not read is a finding too."""
    r = _one_item_eob(_entry(BASE, "benefit", "40.00"))
    r["total"] = [_entry(BASE, "benefit", "40.00"), _entry(C4BB, "mystery", "3.00")]
    a = from_explanation_of_benefit(r)
    assert [(f.edit_id, f.location) for f in a.findings] == [
        ("fhir-adjudication-unknown", "$.total[1]")]


def test_status_slices_without_amounts_are_quiet() -> None:
    """Network status slices carry a reason, no amount: nothing to report."""
    a = from_explanation_of_benefit(carin("ExplanationOfBenefit-EOBProfessional2"))
    assert a.findings == ()


# -- hostile numbers ------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    '{"value": ' + "9" * (MAX_NUMBER_DIGITS + 1) + "}",
    '{"value": 1.' + "5" * MAX_NUMBER_DIGITS + "}",
])
def test_loads_refuses_numbers_of_too_many_digits(text: str) -> None:
    """A number of more than 4,300 digits is a claimcore error, not a bare ValueError."""
    with pytest.raises(ValidationError) as err:
        loads(text)
    assert err.value.rule == "json-number-length"
    assert err.value.path == "$"


def test_loads_keeps_numbers_up_to_the_limit() -> None:
    """4,300 digits still read, exactly."""
    assert loads('{"v": ' + "7" * MAX_NUMBER_DIGITS + "}")["v"] == int("7" * MAX_NUMBER_DIGITS)


def _with_percent(value: object) -> dict[str, Any]:
    r: dict[str, Any] = copy.deepcopy(fixture("ClaimResponse-R3500"))
    for entry in r["item"][0]["adjudication"]:
        if entry["category"]["coding"][0]["code"] == "eligpercent":
            entry["value"] = value
    return r


@pytest.mark.parametrize("value", [
    Decimal("1E+30"), Decimal("-1E+30"), Decimal("1E+999999999999999999"), "1E+30",
    Decimal("100.01"), Decimal("-0.01"),
])
def test_an_absurd_percentage_is_a_claimcore_error_with_a_path(value: object) -> None:
    """eligpercent outside 0..100 raises a ValidationError at its value, never a decimal
    exception."""
    with pytest.raises(ValidationError) as err:
        from_claim_response(_with_percent(value))
    assert err.value.path == "$.item[0].adjudication[2].value"
    assert err.value.rule == "eligpercent-range"


def test_a_percentage_of_100_reads_with_the_scale_warning() -> None:
    """100 is read as 100% (a warning), the benefit checked against it."""
    a: FhirAdjudication = from_claim_response(_with_percent(Decimal(100)))
    assert "fhir-eligpercent-scale" in {f.edit_id for f in a.findings}


# -- payer patients ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Patient-Patient1", "Patient-Patient2"])
def test_carin_patients_read_with_the_member_number(name: str) -> None:
    """A CARIN patient has a member number (MB) and no MR: it stands in, with a finding
    that names the identifier type and never the number."""
    resource = carin(name)
    patient, findings = from_patient_with_findings(resource)
    member = next(i["value"] for i in resource["identifier"]
                  if i["type"]["coding"][0]["code"] == "MB")
    assert patient.mrn.unmasked == member
    (f,) = findings
    assert (f.edit_id, f.location) == ("fhir-patient-mrn", "$.identifier[0]")
    assert "MB" in f.message and member not in f.message
    assert from_patient(resource) == patient


def test_unique_member_id_stands_in_without_mb() -> None:
    """Without MR or MB, CARIN's unique member id (um) is the record number."""
    resource = carin("Patient-Patient1")
    resource["identifier"] = [i for i in resource["identifier"]
                              if i["type"]["coding"][0]["code"] != "MB"]
    patient, findings = from_patient_with_findings(resource)
    assert patient.mrn.unmasked == "1234-234-1243-12345678901u"
    assert "um" in findings[0].message


def test_mr_is_preferred_and_quiet() -> None:
    """With an MR identifier as well, the MR is the record number and nothing is found."""
    resource = carin("Patient-Patient1")
    resource["identifier"].append({
        "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                             "code": "MR"}]}, "value": "MRN77"})
    patient, findings = from_patient_with_findings(resource)
    assert patient.mrn.unmasked == "MRN77"
    assert findings == ()


def test_a_patient_without_any_record_or_member_number_is_refused() -> None:
    """No MR, MB or um: claimcore cannot key the patient, a ValidationError."""
    resource = carin("Patient-Patient1")
    resource["identifier"] = []
    with pytest.raises(ValidationError) as err:
        from_patient(resource)
    assert (err.value.path, err.value.rule) == ("$.identifier", "mrn-required")


@pytest.mark.parametrize("drop", ["city", "state", "postalCode", "line"])
def test_an_address_without_a_city_is_left_out_with_a_finding(drop: str) -> None:
    """FHIR allows an address without a city (or state, ZIP, line); claimcore needs them
    for a claim, so the patient is read without the address and a finding says so."""
    resource = carin("Patient-Patient1")
    resource["address"][0].pop(drop)
    patient, findings = from_patient_with_findings(resource)
    assert patient.address is None
    (f,) = [f for f in findings if f.edit_id == "fhir-address-incomplete"]
    assert f.location == "$.address[0]"
    shown = {"postalCode": "postal code", "line": "street line"}.get(drop, drop)
    assert shown in f.message
    for phi in ("Main Street", "Pittsburgh", "12519"):
        assert phi not in f.message
