"""Encounter, Claim, ChargeItem and Account resources: worked values, checked by fhir.resources."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest

from claimcore.claims import ClaimStatus
from claimcore.codes import ClaimFrequency, RevenueCode
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.fhir import (
    account_balances,
    coverage_id,
    dumps,
    loads,
    patient_id,
    to_account,
    to_charge_item,
    to_claim,
    to_encounter,
    to_explanation_of_benefit,
)
from claimcore.ids import PayerClaimNumber, TransferId
from claimcore.ledger import Account, Ledger, Transfer, TransferCode, post
from claimcore.patients import Guarantor, GuarantorRelationship, PersonName
from tests.unit.test_fhir_values import (
    COVERAGE,
    DOS,
    MRN,
    PATIENT,
    PAYER,
    charge,
    claim,
    inpatient_encounter,
    payment,
    usd,
)


def validate(model: str, resource: dict[str, Any]) -> None:
    """Validate with fhir.resources' R4B model, through JSON text."""
    pytest.importorskip("fhir.resources")
    import importlib

    module = importlib.import_module(f"fhir.resources.R4B.{model.lower()}")
    getattr(module, model).model_validate(loads(dumps(resource)))


def test_encounter_resource() -> None:
    """An inpatient stay: class IMP, finished, admitted/discharged, UB-04 codes, attending."""
    r = to_encounter(inpatient_encounter())
    validate("Encounter", r)
    assert r["id"] == "ENC-5F2026-3A1"
    assert r["status"] == "finished"
    assert r["class"]["code"] == "IMP"
    assert r["subject"] == {"reference": f"Patient/{patient_id(MRN)}"}
    assert r["period"] == {"start": "2026-03-02T08:00:00+00:00",
                           "end": "2026-03-04T15:30:00+00:00"}
    assert [h["status"] for h in r["statusHistory"]] == ["in-progress", "finished"]
    assert r["statusHistory"][0]["period"]["end"] == "2026-03-04T15:30:00+00:00"
    assert r["hospitalization"]["admitSource"]["coding"][0]["code"] == "1"
    assert r["hospitalization"]["dischargeDisposition"]["coding"][0]["code"] == "01"
    assert r["priority"]["coding"][0]["code"] == "1"
    assert r["participant"][0]["type"][0]["coding"][0]["code"] == "ATND"
    assert r["participant"][0]["individual"]["identifier"]["value"] == "1234567893"
    assert r["type"][0]["coding"][0]["code"] == "21"


def test_planned_encounter_resource() -> None:
    """A planned encounter has no history, and its planned period as its period."""
    from claimcore.codes import PlaceOfService
    from claimcore.encounters import EncounterClass, plan_encounter
    from claimcore.periods import Period
    from claimcore.providers import Facility
    from tests.unit.test_fhir_values import CLINIC

    facility = Facility(name="Harbor Clinic", address=CLINIC.address,
                        place_of_service=PlaceOfService("11"), npi=CLINIC.npi)
    visit = plan_encounter(id="E1", patient=MRN, encounter_class=EncounterClass.VIRTUAL,
                           facility=facility, planned=Period.day(DOS))
    r = to_encounter(visit)
    validate("Encounter", r)
    assert r["status"] == "planned" and "statusHistory" not in r
    assert r["period"] == {"start": "2026-03-02", "end": "2026-03-02"}
    assert r["location"][0]["location"]["display"] == "Harbor Clinic"


def test_claim_resource() -> None:
    """The claim: references, ICD-10-CM diagnoses, CPT items with modifiers, totals."""
    c = claim()
    r = to_claim(c)
    validate("Claim", r)
    assert r["id"] == "CLM--1001"
    assert r["status"] == "draft"
    assert r["type"]["coding"][0]["code"] == "professional"
    assert r["patient"] == {"reference": f"Patient/{patient_id(MRN)}"}
    assert r["insurance"][0]["coverage"] == {"reference": f"Coverage/{coverage_id(COVERAGE)}"}
    assert r["created"] == "2026-03-02"  # no history: the last date of service
    assert [d["diagnosisCodeableConcept"]["coding"][0]["code"] for d in r["diagnosis"]] == [
        "E11.9", "I10"]
    assert r["diagnosis"][0]["type"][0]["coding"][0]["code"] == "principal"
    first, second = r["item"]
    assert first["productOrService"]["coding"][0] == {
        "system": "http://www.ama-assn.org/go/cpt", "code": "99213"}
    assert first["modifier"][0]["coding"][0]["code"] == "25"
    assert first["diagnosisSequence"] == [1, 2]
    assert first["careTeamSequence"] == [1]
    assert first["net"] == {"value": Decimal("150.00"), "currency": "USD"}
    assert second["net"]["value"] + first["net"]["value"] == r["total"]["value"]
    assert r["total"] == {"value": Decimal("175.00"), "currency": "USD"}
    assert '"total":{"value":175.00,"currency":"USD"}' in dumps(r)


def test_claim_status_created_and_replacement() -> None:
    """A voided replacement claim is cancelled, names the claim it replaces, dates as told."""
    c = attrs.evolve(claim(), status=ClaimStatus.VOIDED, frequency=ClaimFrequency.VOID,
                     original_claim_number=PayerClaimNumber("PCN-555"),
                     prior_authorization="AUTH-1")
    r = to_claim(c, created=date(2026, 4, 1))
    validate("Claim", r)
    assert r["status"] == "cancelled"
    assert r["created"] == "2026-04-01"
    assert r["related"][0]["claim"]["identifier"]["value"] == "PCN-555"
    assert r["insurance"][0]["preAuthRef"] == ["AUTH-1"]
    assert r["extension"][0]["valueCode"] == "8"
    submitted = attrs.evolve(claim(), status=ClaimStatus.SUBMITTED)
    assert to_claim(submitted)["status"] == "active"
    with pytest.raises(TypeMismatch):
        to_claim(claim(), created="2026-04-01")  # type: ignore[arg-type]


def test_institutional_line_without_procedure() -> None:
    """A revenue-code-only line uses the revenue code as its service."""
    from claimcore.claims import ClaimKind, ClaimLine
    from claimcore.codes import ICD10CM, TypeOfBill
    from claimcore.periods import Period

    c = attrs.evolve(
        claim(), kind=ClaimKind.INSTITUTIONAL, type_of_bill=TypeOfBill("0131"),
        place_of_service=None, admitting_diagnosis=ICD10CM("R07.9"),
        lines=[ClaimLine(line_number=1, revenue_code=RevenueCode("0450"),
                         charge=usd("900.00"), service_period=Period(DOS, date(2026, 3, 3)))],
        total_charge=usd("900.00"),
    )
    r = to_claim(c)
    validate("Claim", r)
    item = r["item"][0]
    assert item["productOrService"]["coding"][0]["code"] == "0450"
    assert item["servicedPeriod"] == {"start": "2026-03-02", "end": "2026-03-03"}
    assert r["diagnosis"][-1]["type"][0]["coding"][0]["code"] == "admitting"


def test_charge_item_resource() -> None:
    """2 x 36415 at 12.50: priceOverride 25.00, quantity 2, billable, for the patient."""
    r = to_charge_item(charge(), patient=MRN)
    validate("ChargeItem", r)
    assert r["status"] == "billable"
    assert r["quantity"] == {"value": Decimal(2)}
    assert r["priceOverride"] == {"value": Decimal("25.00"), "currency": "USD"}
    assert r["subject"] == {"reference": f"Patient/{patient_id(MRN)}"}
    assert r["context"] == {"reference": "Encounter/ENC-5F2026-3A1"}
    assert r["occurrenceDateTime"] == "2026-03-02" and r["enteredDate"] == "2026-03-03"
    assert [e["valueCoding"]["code"] for e in r["extension"]] == ["QW", "11"]
    voided = attrs.evolve(charge(), status=charge().status.VOIDED, voided_by="CHG-8")
    assert to_charge_item(voided, patient=MRN)["status"] == "entered-in-error"


def ledger() -> Ledger:
    """Charge 175.00 to the payer; payer pays 87.00; CO-45 65.00; PR 23.00 to the patient;
    the patient pays 10.00 on 20 March."""
    payer, patient = Account.ar_payer(PAYER.payer_id), Account.ar_patient()

    def t(n: str, debit: Account, credit: Account, amount: str, on: date,
          code: TransferCode) -> Transfer:
        return Transfer(id=TransferId(n), debit=debit, credit=credit, amount=usd(amount),
                        on=on, code=code, patient=MRN, encounter="E1")

    return post(
        Ledger(),
        t("t1", payer, Account.gross_revenue(), "175.00", DOS, TransferCode.CHARGE),
        t("t2", Account.cash(), payer, "87.00", date(2026, 3, 15), TransferCode.PAYER_PAYMENT),
        t("t3", Account.contractual_allowance(), payer, "65.00", date(2026, 3, 15),
          TransferCode.CONTRACTUAL),
        t("t4", patient, payer, "23.00", date(2026, 3, 15),
          TransferCode.PATIENT_RESPONSIBILITY),
        t("t5", Account.cash(), patient, "10.00", date(2026, 3, 20),
          TransferCode.PATIENT_PAYMENT),
    )


def test_account_balances_by_date() -> None:
    """Before the remittance the payer owes 175.00; after it the patient owes 23.00, then 13.00."""
    book = ledger()
    before = account_balances(PATIENT, book, as_of=date(2026, 3, 10))
    assert (before.patient, before.insurance) == (usd("0.00"), usd("175.00"))
    after = account_balances(PATIENT, book, as_of=date(2026, 3, 15))
    assert (after.patient, after.insurance, after.total) == (
        usd("23.00"), usd("0.00"), usd("23.00"))
    assert account_balances(PATIENT, book, as_of=date(2026, 3, 31)).patient == usd("13.00")


def test_account_resource() -> None:
    """The Account carries the balances in the claimcore extension, exact to the cent."""
    r = to_account(PATIENT, ledger(), as_of=date(2026, 3, 31))
    validate("Account", r)
    balances = {
        e["extension"][0]["valueCode"]: e["extension"][1]["valueMoney"]["value"]
        for e in r["extension"][1:]
    }
    assert balances == {"patient": Decimal("13.00"), "insurance": Decimal("0.00"),
                        "total": Decimal("13.00")}
    assert r["extension"][0]["valueDate"] == "2026-03-31"
    assert r["guarantor"][0]["party"] == {"reference": f"Patient/{patient_id(MRN)}"}
    assert len(r["id"]) <= 64
    parent = Guarantor(relationship=GuarantorRelationship.CHILD,
                       name=PersonName(family="Byron", given="Anne"))
    r = to_account(attrs.evolve(PATIENT, guarantor=parent), Ledger(), as_of=DOS)
    validate("Account", r)
    assert r["guarantor"][0]["party"]["display"] == "Anne Byron"
    with pytest.raises(ValidationError):
        to_account(PATIENT, ledger(), as_of="2026-03-31")  # type: ignore[arg-type]


def test_claim_with_history_ndc_and_multi_day_line() -> None:
    """created comes from the first history event; an NDC line has a drug detail."""
    from datetime import UTC, datetime

    from claimcore.claims import ClaimEvent
    from claimcore.codes import NDC
    from claimcore.periods import Period

    c = claim()
    lines = (attrs.evolve(c.lines[0], ndc=NDC("00071015523"),
                          service_period=Period(DOS, date(2026, 3, 5))), c.lines[1])
    event = ClaimEvent(from_status=ClaimStatus.DRAFT, to_status=ClaimStatus.READY,
                       at=datetime(2026, 3, 6, 9, 0, tzinfo=UTC))
    c = attrs.evolve(c, lines=lines, status=ClaimStatus.READY, history=[event])
    r = to_claim(c)
    validate("Claim", r)
    assert r["created"] == "2026-03-06"
    assert r["item"][0]["detail"][0]["productOrService"]["coding"][0]["code"] == "00071015523"
    assert r["item"][0]["servicedPeriod"] == {"start": "2026-03-02", "end": "2026-03-05"}
    eob = to_explanation_of_benefit(c, payment())
    assert eob["item"][0]["servicedPeriod"] == {"start": "2026-03-02", "end": "2026-03-05"}
