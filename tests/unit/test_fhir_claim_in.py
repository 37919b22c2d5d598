"""FHIR Claim in: our own Claim back to the value, HL7's examples read or refused by path."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from claimcore.claims import Claim, ClaimKind, ClaimStatus
from claimcore.codes import CPT, ICD10CM, ClaimFrequency, PlaceOfService, RevenueCode, TypeOfBill
from claimcore.errors import ValidationError
from claimcore.fhir import dumps, from_claim, from_claim_with_findings, loads, to_claim
from claimcore.ids import NPI, PayerClaimNumber
from claimcore.patients import PersonName
from claimcore.periods import Period
from claimcore.providers import Provider
from tests.unit.test_fhir_values import CLINIC, COVERAGE, DOCTOR, DOS, PATIENT, claim, fixture, usd

SHARED = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "fhir_r4"
REFERRER = Provider(npi=NPI("1245319599"), name=PersonName(family="Lamarr", given="Hedy"))


def validate(resource: dict[str, Any]) -> None:
    pytest.importorskip("fhir.resources")
    from fhir.resources.R4B.claim import Claim as FhirClaim

    FhirClaim.model_validate(loads(dumps(resource)))


def read(resource: dict[str, Any], **kw: Any) -> tuple[Claim, tuple[Any, ...]]:
    kw.setdefault("providers", [DOCTOR, REFERRER])
    return from_claim_with_findings(loads(dumps(resource)), patient=PATIENT,
                                    coverage=COVERAGE, billing_provider=CLINIC, **kw)


def test_our_claim_reads_back_as_a_draft() -> None:
    """to_claim then from_claim: every field a FHIR Claim carries comes back, as a draft
    (the lines' charge ids are not carried)."""
    c = claim()
    resource = to_claim(c)
    validate(resource)
    back, findings = read(resource)
    assert findings == ()
    assert back == attrs.evolve(
        c, lines=[attrs.evolve(line, charge_id=None) for line in c.lines])
    assert back.status is ClaimStatus.DRAFT and back.history == ()
    assert back.total_charge == usd("175.00")


def test_replacement_institutional_claim_round_trips() -> None:
    """An institutional replacement (frequency 7) with a type of bill, an attending and a
    referring provider, an admitting diagnosis and a revenue-code-only line."""
    c = attrs.evolve(
        claim(), kind=ClaimKind.INSTITUTIONAL, type_of_bill=TypeOfBill("117"),
        rendering_provider=None, attending_provider=DOCTOR, referring_provider=REFERRER,
        admitting_diagnosis=ICD10CM("R07.9"), frequency=ClaimFrequency.REPLACEMENT,
        original_claim_number=PayerClaimNumber("PCN-555"), prior_authorization="AUTH-1",
        place_of_service=None,
        lines=[attrs.evolve(claim().lines[0], revenue_code=RevenueCode("0450"),
                            charge_id=None),
               attrs.evolve(claim().lines[1], procedure=None,
                            revenue_code=RevenueCode("0300"), charge_id=None)],
    )
    resource = to_claim(c)
    validate(resource)
    back, findings = read(resource)
    assert findings == ()
    assert back == c


def test_attending_and_rendering_with_one_npi_stay_apart() -> None:
    """The same clinician as rendering and attending: both roles come back."""
    c = attrs.evolve(claim(), attending_provider=DOCTOR)
    back, _ = read(to_claim(c))
    assert (back.rendering_provider, back.attending_provider) == (DOCTOR, DOCTOR)


def test_a_line_renderer_known_by_npi_only_comes_back() -> None:
    """A line's rendering NPI that is no claim-level provider still comes back."""
    other = NPI("1245319599")
    c = attrs.evolve(claim(), lines=[attrs.evolve(claim().lines[0], rendering_npi=other,
                                                  charge_id=None)])
    resource = to_claim(c)
    validate(resource)
    back, findings = read(resource)
    assert back.lines[0].rendering_npi == other
    assert findings == ()


def test_hl7_med_00050_reads_with_findings() -> None:
    """HL7's outpatient surgery claim: institutional, bill type 831, CPT 62264 for
    12,500.00 pointing at diagnoses 2 and 4, at place of service 24 (cited by CMS's
    lower-case page address), four WHO ICD-10 diagnoses read as ICD-10-CM (each a
    finding), a care team member without an NPI (a finding)."""
    c, findings = read(fixture("Claim-MED-00050"))
    assert (c.id.value, c.kind, c.type_of_bill) == (
        "MED-00050", ClaimKind.INSTITUTIONAL, TypeOfBill("831"))
    assert c.diagnoses == (ICD10CM("M96.1"), ICD10CM("G89.4"), ICD10CM("M53.88"),
                           ICD10CM("M47.816"))
    (line,) = c.lines
    assert (line.procedure, line.charge, line.pointers) == (CPT("62264"), usd("12500.00"),
                                                            (2, 4))
    assert c.place_of_service == PlaceOfService("24")
    kinds = [f.edit_id for f in findings]
    assert kinds.count("fhir-claim-icd10-who") == 4
    assert "fhir-claim-care-team-npi" in kinds
    assert c.status is ClaimStatus.DRAFT


def test_hl7_professional_example_is_refused_by_path() -> None:
    """HL7's professional example codes its diagnosis as '654456': not ICD-10-CM."""
    with pytest.raises(ValidationError) as err:
        read(fixture("Claim-860150"))
    assert err.value.path == "$.diagnosis[0].diagnosisCodeableConcept.coding[0].code"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/fixtures is not here")
@pytest.mark.parametrize("path", sorted(SHARED.glob("Claim-*.json")), ids=lambda p: p.stem)
def test_every_hl7_claim_reads_or_is_refused_by_path(path: Path) -> None:
    """Each HL7 example reads, or fails as a claimcore error naming the element (oral,
    vision and pharmacy claims by their type; example codes that are no ICD-10-CM)."""
    resource = loads(path.read_text())
    refused: ValidationError | None = None
    try:
        c, _ = read(resource)
    except ValidationError as err:
        refused = err
    if refused is None:
        assert c.total_charge.amount == sum(line.charge.amount for line in c.lines)
    else:
        assert refused.path.startswith("$.")
        assert refused.rule in {"claim-type", "icd10cm-first-letter", "procedure-system"}


def _ours() -> dict[str, Any]:
    resource: dict[str, Any] = loads(dumps(to_claim(claim())))
    return resource


@pytest.mark.parametrize(
    ("mutate", "path", "rule"),
    [
        (lambda r: r["provider"]["identifier"].__setitem__("value", "1245319599"),
         "$.provider", "provider-mismatch"),
        (lambda r: r["total"].__setitem__("value", 1), "$.total", "total"),
        (lambda r: r["item"][0].__setitem__("diagnosisSequence", [9]),
         "$.item[0].diagnosisSequence[0]", "pointer"),
        (lambda r: r["type"]["coding"][0].__setitem__("code", "vision"),
         "$.type.coding[0].code", "claim-type"),
        (lambda r: r.pop("insurance"), "$.insurance", "required"),
        (lambda r: r.__setitem__("item", []), "$.item", "empty"),
        (lambda r: r["item"][0].pop("servicedDate"), "$.item[0].servicedDate", "required"),
        (lambda r: r["item"][0]["productOrService"]["coding"][0].__setitem__(
            "system", "http://example.org/x"), "$.item[0].productOrService",
         "procedure-system"),
        (lambda r: r["extension"][0].__setitem__("valueCode", "9"),
         "$.extension[0].valueCode", "frequency"),
    ],
)
def test_broken_claims_name_the_element(mutate: Any, path: str, rule: str) -> None:
    """What cannot be a claimcore claim raises a ValidationError at its element."""
    r = copy.deepcopy(_ours())
    mutate(r)
    with pytest.raises(ValidationError) as err:
        read(r)
    assert (err.value.path, err.value.rule) == (path, rule)


def test_a_provider_not_given_is_a_finding() -> None:
    """A care team provider the caller did not pass is left out, with a finding."""
    c, findings = read(_ours(), providers=[])
    assert c.rendering_provider is None
    assert [f.edit_id for f in findings] == ["fhir-claim-provider-unknown"]
    assert c.lines[0].rendering_npi == DOCTOR.npi


def test_unit_price_times_quantity_is_the_charge_without_net() -> None:
    """An item with unitPrice and quantity but no net is charged their product."""
    r = _ours()
    item = r["item"][0]
    item.pop("net")
    item["unitPrice"] = {"value": loads("75.00"), "currency": "USD"}
    item["quantity"] = {"value": 2}
    r.pop("total")
    c = from_claim(r, patient=PATIENT, coverage=COVERAGE, billing_provider=CLINIC,
                   providers=[DOCTOR])
    assert (c.lines[0].charge, c.lines[0].units) == (usd("150.00"), Decimal(2))
    assert c.service_period == Period.day(DOS)
