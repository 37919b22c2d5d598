"""Adjudication: ExplanationOfBenefit out, ClaimResponse/EOB in, HL7 examples to the cent."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import attrs
import pytest

from claimcore.codes import CARC, CPT, RARC, AdjustmentGroup
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.fhir import (
    dumps,
    from_claim_response,
    from_explanation_of_benefit,
    loads,
    to_explanation_of_benefit,
)
from claimcore.findings import Severity
from claimcore.ids import ClaimId
from claimcore.remittance import Adjustment, ServicePayment, reverse
from tests.unit.test_fhir_values import claim, fixture, payment, usd


def validate(resource: dict[str, Any]) -> None:
    pytest.importorskip("fhir.resources")
    from fhir.resources.R4B.explanationofbenefit import ExplanationOfBenefit

    ExplanationOfBenefit.model_validate(loads(dumps(resource)))


def amounts(entries: list[dict[str, Any]]) -> dict[str, Decimal]:
    standard = "http://terminology.hl7.org/CodeSystem/adjudication"
    return {e["category"]["coding"][0]["code"]: e["amount"]["value"] for e in entries
            if e["category"]["coding"][0]["system"] == standard and "reason" not in e}


def test_eob_items_and_totals_to_the_cent() -> None:
    """99213: 150.00 submitted, 100.00 eligible, 80.00 paid; 36415: 25.00, 10.00, 7.00."""
    r = to_explanation_of_benefit(claim(), payment())
    validate(r)
    first, second = r["item"]
    assert amounts(first["adjudication"]) == {
        "submitted": Decimal("150.00"), "eligible": Decimal("100.00"),
        "benefit": Decimal("80.00")}
    assert amounts(second["adjudication"]) == {
        "submitted": Decimal("25.00"), "eligible": Decimal("10.00"), "benefit": Decimal("7.00")}
    pr1 = first["adjudication"][4]
    assert [c["code"] for c in pr1["category"]["coding"]] == ["deductible", "PR"]
    assert pr1["reason"]["coding"][0] == {
        "system": "https://x12.org/codes/claim-adjustment-reason-codes", "code": "1"}
    assert pr1["amount"]["value"] == Decimal("20.00")
    assert first["adjudication"][5]["reason"]["coding"][0]["code"] == "N130"
    assert amounts(r["total"]) == {"submitted": Decimal("175.00"), "benefit": Decimal("87.00")}
    assert r["payment"]["amount"] == {"value": Decimal("87.00"), "currency": "USD"}
    assert r["claim"] == {"reference": "Claim/CLM--1001"}
    assert r["identifier"][0]["value"] == "PCN-555"
    assert "adjudication" not in r and "addItem" not in r


def test_eob_reads_back_without_findings() -> None:
    """Our own EOB reads back: the same amounts, adjustments and remarks, nothing flagged."""
    a = from_explanation_of_benefit(loads(dumps(to_explanation_of_benefit(claim(), payment()))))
    assert a.findings == ()
    assert (a.submitted, a.benefit, a.payment) == (usd("175.00"), usd("87.00"), usd("87.00"))
    assert a.claim == "CLM--1001"
    one, two = a.items
    assert (one.submitted, one.eligible, one.benefit, one.patient) == (
        usd("150.00"), usd("100.00"), usd("80.00"), usd("20.00"))
    assert two.patient == usd("3.00")
    assert one.remarks == (RARC("N130"),)
    assert a.all_adjustments() == payment().all_adjustments()


def test_reversal_and_correction_add_up() -> None:
    """Original 87.00, its reversal -87.00 and a corrected 97.00 pay 97.00 in all."""
    original = payment()
    corrected = attrs.evolve(
        original,
        paid=usd("97.00"),
        services=[
            attrs.evolve(original.services[0], paid=usd("90.00"), adjustments=[
                Adjustment(group=AdjustmentGroup("CO"), reason=CARC("45"), amount=usd("50.00")),
                Adjustment(group=AdjustmentGroup("PR"), reason=CARC("1"), amount=usd("10.00")),
            ]),
            original.services[1],
        ],
    )
    r = to_explanation_of_benefit(claim(), [original, reverse(original), corrected])
    validate(r)
    assert amounts(r["total"]) == {"submitted": Decimal("175.00"), "benefit": Decimal("97.00")}
    assert amounts(r["item"][0]["adjudication"])["benefit"] == Decimal("90.00")
    a = from_explanation_of_benefit(r)
    assert a.findings == () and a.payment == usd("97.00")


def test_claim_level_only_and_unmatched_services() -> None:
    """A payment without lines goes to the header; a service matching no line to addItem."""
    denied = attrs.evolve(
        payment(), paid=usd("0.00"), services=[], patient_responsibility=None,
        adjustments=[Adjustment(group=AdjustmentGroup("CO"), reason=CARC("16"),
                                amount=usd("175.00"))],
        remarks=[RARC("N14")],
    )
    r = to_explanation_of_benefit(claim(), denied)
    validate(r)
    assert amounts(r["adjudication"]) == {"submitted": Decimal("175.00"),
                                          "benefit": Decimal("0.00")}
    a = from_explanation_of_benefit(r)
    assert a.findings == () and a.remarks == (RARC("N14",),)
    assert a.adjustments[0].reason == CARC("16")
    stray = ServicePayment(procedure=CPT("99999"), charge=usd("175.00"), paid=usd("0.00"),
                           adjustments=denied.adjustments)
    r = to_explanation_of_benefit(claim(), attrs.evolve(denied, adjustments=[],
                                                        services=[stray]))
    validate(r)
    assert r["addItem"][0]["productOrService"]["coding"][0]["code"] == "99999"
    a = from_explanation_of_benefit(r)
    assert a.findings == () and a.items[-1].sequence == 3


def test_eob_refuses_payments_for_another_claim() -> None:
    """A payment for another claim, no payment, or a non-payment is refused."""
    with pytest.raises(ValidationError) as err:
        to_explanation_of_benefit(claim(), [payment(), attrs.evolve(payment(),
                                                                     claim=ClaimId("X9"))])
    assert err.value.path == "$.payments[1].claim"
    with pytest.raises(ValidationError):
        to_explanation_of_benefit(claim(), [])
    with pytest.raises(TypeMismatch):
        to_explanation_of_benefit(claim(), "payment")  # type: ignore[arg-type]
    with pytest.raises(TypeMismatch):
        to_explanation_of_benefit(claim(), [claim()])  # type: ignore[list-item]


def test_hl7_eob_eb3500_to_the_cent() -> None:
    """EB3500: item 1 eligible 120.00 x 0.8 = benefit 96.00; item 2 200.00 x 0.9 = 180.00.

    Each item's arithmetic holds, but the totals (submitted 135.57, benefit 96.00) count
    item 1 only: items sum to 335.57 submitted and 276.00 benefit, so both are findings.
    """
    a = from_explanation_of_benefit(fixture("ExplanationOfBenefit-EB3500"))
    assert (a.outcome, a.claim) == ("complete", "100150")
    one, two = a.items
    assert (one.sequence, one.submitted, one.eligible, one.benefit, one.patient) == (
        1, usd("135.57"), usd("120.00"), usd("96.00"), None)
    assert (two.sequence, two.submitted, two.eligible, two.benefit) == (
        2, usd("200.00"), usd("200.00"), usd("180.00"))
    assert (a.submitted, a.benefit, a.payment) == (usd("135.57"), usd("96.00"), None)
    assert [(f.edit_id, f.location) for f in a.findings] == [
        ("fhir-total", "$.total[0]"), ("fhir-total", "$.total[1]")]
    assert "335.57" in a.findings[0].message and "276.00" in a.findings[1].message


def test_hl7_claim_response_r3500_does_not_add_up() -> None:
    """R3500: eligible 135.57, copay 10.00, 80%: benefit should be 100.46, not 90.47, and
    the payment 100.47 is not the benefit 90.47. Reported, not raised."""
    a = from_claim_response(fixture("ClaimResponse-R3500"))
    (item,) = a.items
    assert (item.eligible, item.benefit, item.patient) == (
        usd("135.57"), usd("90.47"), usd("10.00"))
    assert (a.submitted, a.benefit, a.payment) == (usd("135.57"), usd("90.47"), usd("100.47"))
    assert a.claim == "15476332402"
    found = {f.edit_id: f for f in a.findings}
    assert set(found) == {"fhir-eligpercent-scale", "fhir-benefit-arithmetic", "fhir-payment"}
    assert "100.46" in found["fhir-benefit-arithmetic"].message
    assert found["fhir-payment"].severity is Severity.ERROR
    assert found["fhir-eligpercent-scale"].severity is Severity.WARNING


def test_hl7_claim_response_r3502_details_do_not_add_up() -> None:
    """R3502: detail sums and the total benefit disagree with the item; payment 107.00."""
    a = from_claim_response(fixture("ClaimResponse-R3502"))
    assert a.payment == usd("107.00")
    kinds = {f.edit_id for f in a.findings}
    assert {"fhir-detail-total", "fhir-total", "fhir-payment"} <= kinds


def test_hl7_claim_response_r3503_totals_hold() -> None:
    """R3503: six items (three added) whose benefits sum to the total 1054.47."""
    a = from_claim_response(fixture("ClaimResponse-R3503"))
    assert len(a.items) == 6
    assert sum((i.benefit for i in a.items if i.benefit), usd("0")) == usd("1054.47")
    assert a.benefit == usd("1054.47")
    assert "fhir-total" not in {f.edit_id for f in a.findings}


def test_hl7_eob_eb3501_error_outcome() -> None:
    """EB3501 is an error outcome and reads without items."""
    a = from_explanation_of_benefit(fixture("ExplanationOfBenefit-EB3501"))
    assert a.outcome == "error"


@pytest.mark.parametrize(
    ("mutate", "path", "error"),
    [
        (lambda r: r["item"][1]["adjudication"][0]["amount"].__setitem__("value", 0.1),
         "$.item[1].adjudication[0].amount.value", TypeMismatch),
        (lambda r: r["item"][1]["adjudication"][0]["amount"].__setitem__("value", "ten"),
         "$.item[1].adjudication[0].amount.value", TypeMismatch),
        (lambda r: r["item"][1]["adjudication"][0]["amount"].pop("value"),
         "$.item[1].adjudication[0].amount.value", ValidationError),
        (lambda r: r["item"][0]["adjudication"][3].pop("amount"),
         "$.item[0].adjudication[3].amount", ValidationError),
        (lambda r: r["item"][0]["adjudication"][3]["category"]["coding"][0]
         .__setitem__("code", "CR"), "$.item[0].adjudication[3].category", ValidationError),
        (lambda r: r["item"][0]["adjudication"][3]["reason"]["coding"][0]
         .__setitem__("code", "?"), "$.item[0].adjudication[3].reason", ValidationError),
        (lambda r: r["item"][0]["adjudication"][5]["reason"]["coding"][0]
         .__setitem__("code", "ZZ"), "$.item[0].adjudication[5].reason", ValidationError),
        (lambda r: r["item"][0]["adjudication"][0].pop("category"),
         "$.item[0].adjudication[0].category", ValidationError),
        (lambda r: r["item"][0].__setitem__("adjudication", {"a": 1}),
         "$.item[0].adjudication", TypeMismatch),
        (lambda r: r["item"][0].__setitem__("sequence", "1"), "$.item[0].sequence",
         TypeMismatch),
        (lambda r: r["item"][0].pop("sequence"), "$.item[0].sequence", ValidationError),
        (lambda r: r["item"].__setitem__(0, None), "$.item[0]", TypeMismatch),
        (lambda r: r.__setitem__("outcome", "done"), "$.outcome", ValidationError),
        (lambda r: r.pop("outcome"), "$.outcome", ValidationError),
        (lambda r: r["total"][0].pop("amount"), "$.total[0].amount", ValidationError),
        (lambda r: r["payment"]["amount"].__setitem__("currency", 840),
         "$.payment.amount.currency", TypeMismatch),
        (lambda r: r["payment"].__setitem__("adjustment", {"value": True}),
         "$.payment.adjustment.value", TypeMismatch),
        (lambda r: r["item"][0]["adjudication"][2]["amount"].__setitem__(
            "value", Decimal("1.001")), "$.item[0].adjudication[2].amount.amount",
         ValidationError),
        (lambda r: r.__setitem__("resourceType", "ClaimResponse"), "$.resourceType",
         ValidationError),
    ],
)
def test_hostile_eobs_fail_at_the_element(mutate: Any, path: str, error: type[Exception]) -> None:
    """Broken adjudication dicts raise claimcore errors with a FHIRPath-like path."""
    r = copy.deepcopy(to_explanation_of_benefit(claim(), payment()))
    mutate(r)
    with pytest.raises(error) as err:
        from_explanation_of_benefit(r)
    assert isinstance(err.value, ValidationError)
    assert err.value.path == path


def test_float_amounts_point_at_loads() -> None:
    """A float (from json.loads) is refused with a hint to read the text with fhir.loads."""
    import json

    r = json.loads(dumps(to_explanation_of_benefit(claim(), payment())))
    with pytest.raises(TypeMismatch, match=r"claimcore\.fhir\.loads"):
        from_explanation_of_benefit(r)


def test_payment_adjustment_is_part_of_the_payment() -> None:
    """payment.amount = total benefit + payment.adjustment holds quietly; otherwise a finding."""
    r = to_explanation_of_benefit(claim(), payment())
    r["payment"]["adjustment"] = {"value": Decimal("-7.00"), "currency": "USD"}
    assert [f.edit_id for f in from_explanation_of_benefit(r).findings] == ["fhir-payment"]
    r["payment"]["amount"]["value"] = Decimal("80.00")
    assert from_explanation_of_benefit(r).findings == ()


def test_adjustment_quantity_and_value_checks() -> None:
    """An adjustment's quantity travels as the entry's value; the result types check input."""
    from claimcore.fhir import FhirAdjudication, FhirItemAdjudication

    p = payment()
    adjusted = attrs.evolve(p.services[1].adjustments[0], quantity=Decimal(1))
    service = attrs.evolve(p.services[1], adjustments=[adjusted, p.services[1].adjustments[1]])
    r = to_explanation_of_benefit(claim(), attrs.evolve(p, services=[p.services[0], service]))
    assert r["item"][1]["adjudication"][3]["value"] == Decimal(1)
    assert from_explanation_of_benefit(r).items[1].adjustments[0].quantity == Decimal(1)
    with pytest.raises(ValidationError):
        FhirItemAdjudication(sequence=0)
    with pytest.raises(ValidationError):
        FhirAdjudication(resource_type="ClaimResponse", outcome="done")


def test_repeated_total_categories_add_up() -> None:
    """Two 'benefit' totals are one total of their sum."""
    r = to_explanation_of_benefit(claim(), payment())
    r["total"].append({"category": r["total"][1]["category"],
                       "amount": {"value": Decimal("0.00"), "currency": "USD"}})
    assert from_explanation_of_benefit(r).benefit == usd("87.00")
