"""Worked charge scenarios: pricing, contracts, entry, late charges and corrections."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from claimcore.charges import (
    Charge,
    ChargeEntry,
    ChargeStatus,
    FeePrice,
    FeeSchedule,
    Finding,
    PayerContract,
    Severity,
    UnlistedRule,
    charge_lag,
    correct_charge,
    enter_charge,
    enter_late_charge,
)
from claimcore.codes import CARC, CPT, HCPCS, ICD10CM, Modifier, PlaceOfService, RevenueCode
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.ids import PayerId
from claimcore.money import Money, Rate
from claimcore.periods import Period
from tests.unit.test_claims_support import line

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
DOS = date(2026, 3, 2)


def usd(text: str) -> Money:
    return Money(Decimal(text))


MEDICARE_FS = FeeSchedule(name="MPFS 2026", effective=YEAR, prices=[
    FeePrice(code=CPT("99213"), modifier=None, price=usd("92.03")),
    FeePrice(code=CPT("71046"), modifier=None, price=usd("38.10")),
    FeePrice(code=CPT("71046"), modifier=Modifier("26"), price=usd("11.56")),
])
OFFICE = FeeSchedule(name="office", effective=YEAR, prices=[
    FeePrice(code=CPT("99213"), modifier=None, price=usd("150.00")),
    FeePrice(code=HCPCS("J1100"), modifier=None, price=usd("12.50")),
])


def test_price_with_and_without_modifier() -> None:
    """A modifier's own price wins; otherwise the code's plain price applies."""
    assert MEDICARE_FS.price_for(CPT("71046"), [Modifier("26")]) == usd("11.56")
    assert MEDICARE_FS.price_for(CPT("71046"), [Modifier("LT")]) == usd("38.10")
    assert MEDICARE_FS.price_for(CPT("99999")) is None


def test_unlisted_rules() -> None:
    """Unlisted codes are refused, priced at zero, or priced at a percentage of a base."""
    zero = attrs.evolve(OFFICE, unlisted=UnlistedRule.ZERO)
    pct = FeeSchedule(name="150% of Medicare", effective=YEAR, prices=[],
                      unlisted=UnlistedRule.PERCENT_OF_BASE, base=MEDICARE_FS,
                      base_rate=Rate.percent(150))

    assert zero.price_for(CPT("71046")) == Money.zero()
    assert pct.price_for(CPT("99213")) == usd("138.05")  # 92.03 × 1.5 = 138.045, half up
    assert pct.price_for(CPT("71046"), [Modifier("26")]) == usd("17.34")
    assert pct.price_for(CPT("12345")) is None


def test_fee_schedule_rules() -> None:
    """A base is given with percent_of_base only, and a code and modifier are listed once."""
    with pytest.raises(ValidationError) as err:
        FeeSchedule(name="x", effective=YEAR, prices=[], unlisted=UnlistedRule.PERCENT_OF_BASE)
    assert err.value.rule == "base-rule"
    with pytest.raises(ValidationError):
        FeeSchedule(name="x", effective=YEAR, prices=[], base=OFFICE, base_rate=Rate.percent(1))
    twice = FeePrice(code=CPT("99213"), modifier=None, price=usd("1.00"))
    with pytest.raises(ValidationError) as err:
        FeeSchedule(name="x", effective=YEAR, prices=[twice, twice])
    assert err.value.path == "$.prices[1]"
    with pytest.raises(ValidationError):
        FeePrice(code=CPT("99213"), modifier=None, price=usd("-1.00"))
    with pytest.raises(TypeMismatch):
        FeePrice(code="99213", modifier=None, price=usd("1.00"))  # type: ignore[arg-type]


def test_fee_schedule_equality_ignores_its_index() -> None:
    """Two schedules with the same prices are equal (the lookup index is not compared)."""
    again = FeeSchedule(name="office", effective=YEAR, prices=list(OFFICE.prices))

    assert again == OFFICE and hash(again) == hash(OFFICE)
    assert "_index" not in repr(OFFICE)


def test_contract_on_a_fee_schedule() -> None:
    """Expected allowed is the contract's unit price times the units: 2 × 38.10 = 76.20."""
    contract = PayerContract(payer_id=PayerId("MCARE1"), effective=YEAR, allowed=MEDICARE_FS)
    two = line(1, "71046", units=2, charge="180.00")

    assert contract.expected_allowed(two) == usd("76.20")
    assert contract.expected_allowed(line(1, "99215")) is None
    assert contract.expected_allowed(attrs.evolve(line(1), procedure=None,
                                                  revenue_code=_rev())) is None


def _rev() -> RevenueCode:
    return RevenueCode("0450")


def test_contract_on_a_rate_of_charges() -> None:
    """A 65% of charges contract expects 65% of the charge, half up: 65% of 99.99 = 64.99."""
    contract = PayerContract(payer_id=PayerId("ACME1"), effective=YEAR,
                             rate_of_charges=Rate.percent(65))
    entry = enter_charge(id="C1", code=CPT("99213"), fee_schedule=OFFICE, service_date=DOS,
                         on=DOS)

    assert contract.expected_allowed(line(1, charge="99.99")) == usd("64.99")
    assert contract.expected_allowed(entry.charges[0]) == usd("97.50")
    with pytest.raises(ValidationError):
        PayerContract(payer_id=PayerId("ACME1"), effective=YEAR)


def test_enter_charge_prices_and_multiplies() -> None:
    """Three units of J1100 at 12.50 make a 37.50 charge."""
    entry = enter_charge(id="C1", code=HCPCS("J1100"), fee_schedule=OFFICE, service_date=DOS,
                         on=date(2026, 3, 3), units=3, diagnoses=[ICD10CM("E11.9")],
                         place_of_service=PlaceOfService("11"), encounter_id="ENC1")

    (charge,) = entry.charges
    assert entry.ok and entry.findings == ()
    assert (charge.unit_price, charge.amount) == (usd("12.50"), usd("37.50"))
    assert charge.is_active and charge_lag(charge) == 1


def test_enter_charge_for_an_unlisted_code_gives_a_finding() -> None:
    """A code the schedule refuses gives no charge and an error finding (CARC 16)."""
    entry = enter_charge(id="C1", code=CPT("99215"), fee_schedule=OFFICE, service_date=DOS,
                         on=DOS)

    assert entry.charges == () and not entry.ok
    (finding,) = entry.findings
    assert (finding.edit_id, finding.severity, finding.carc) == (
        "fee-schedule-unlisted", Severity.ERROR, CARC("16"))


def test_enter_charge_outside_the_schedule_period() -> None:
    """A schedule not in force on the date of service prices nothing."""
    entry = enter_charge(id="C1", code=CPT("99213"), fee_schedule=OFFICE,
                         service_date=date(2025, 12, 31), on=DOS)

    assert [f.edit_id for f in entry.findings] == ["fee-schedule-period"]


def test_fractional_units_round_half_up() -> None:
    """1.5 units at 12.25 is 18.375, entered as 18.38."""
    schedule = FeeSchedule(name="drugs", effective=YEAR, prices=[
        FeePrice(code=HCPCS("J1100"), modifier=None, price=usd("12.25"))])

    (charge,) = enter_charge(id="C1", code=HCPCS("J1100"), fee_schedule=schedule,
                             service_date=DOS, on=DOS, units=Decimal("1.5")).charges

    assert charge.amount == usd("18.38")
    with pytest.raises(ValidationError) as err:
        attrs.evolve(charge, amount=usd("18.37"))
    assert err.value.rule == "amount"


def test_late_charge_after_billing_and_after_the_lag() -> None:
    """A charge entered after the claim went out, 10 days after service, gets two warnings."""
    entry = enter_late_charge(id="C9", code=CPT("99213"), fee_schedule=OFFICE,
                              service_date=DOS, on=date(2026, 3, 12),
                              billed_on=date(2026, 3, 5), max_lag_days=3)

    assert entry.ok and len(entry.charges) == 1
    assert [f.edit_id for f in entry.findings] == ["late-charge-billed", "late-charge-lag"]
    assert all(f.severity is Severity.WARNING for f in entry.findings)
    on_time = enter_late_charge(id="C9", code=CPT("99213"), fee_schedule=OFFICE,
                                service_date=DOS, on=date(2026, 3, 3))
    assert on_time.findings == ()


def test_correct_charge_voids_and_replaces() -> None:
    """A correction returns the voided original and a replacement pointing back at it."""
    (original,) = enter_charge(id="C1", code=CPT("99213"), fee_schedule=OFFICE,
                               service_date=DOS, on=DOS).charges

    voided, replacement = correct_charge(original, new_id="C2", on=date(2026, 3, 4), units=2)

    assert voided.status is ChargeStatus.VOIDED and voided.voided_by == "C2"
    assert replacement.replaces == "C1" and replacement.amount == usd("300.00")
    assert replacement.entered_on == date(2026, 3, 4) and charge_lag(replacement) == 2
    assert original.is_active
    with pytest.raises(ValidationError):
        correct_charge(voided, new_id="C3", on=DOS)
    with pytest.raises(ValidationError):
        correct_charge(original, new_id="C1", on=DOS)


def test_charge_rules() -> None:
    """Charges check their fields: ids, units, dates, diagnoses and void links."""
    (charge,) = enter_charge(id="C1", code=CPT("99213"), fee_schedule=OFFICE,
                             service_date=DOS, on=DOS).charges
    for changes, rule in (
        ({"id": "bad id"}, "format"),
        ({"units": Decimal(0)}, "range"),
        ({"units": Decimal("1.0001")}, "places"),
        ({"entered_on": date(2026, 3, 1)}, "entered-before-service"),
        ({"diagnoses": [ICD10CM("I10")] * 2}, "duplicate-diagnosis"),
        ({"diagnoses": [ICD10CM(f"E11.{i}") for i in range(5)]}, "max-pointers"),
        ({"modifiers": [Modifier("25")] * 5}, "max-modifiers"),
        ({"replaces": "C1"}, "self-reference"),
        ({"status": ChargeStatus.VOIDED}, "voided-by"),
        ({"unit_price": usd("-1.00")}, "negative"),
    ):
        with pytest.raises(ValidationError) as err:
            attrs.evolve(charge, **changes)
        assert err.value.rule == rule, changes
    with pytest.raises(TypeMismatch):
        attrs.evolve(charge, units=1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeMismatch):
        Charge(id="C1", code=CPT("99213"), unit_price=1, service_date=DOS,  # type: ignore[arg-type]
               entered_on=DOS)


def test_charge_entry_and_finding_checks() -> None:
    """A charge entry holds charges and findings only."""
    with pytest.raises(TypeMismatch):
        ChargeEntry(charges=["x"])  # type: ignore[list-item]
    finding = Finding(edit_id="x", severity=Severity.WARNING, message="m")
    assert ChargeEntry(charges=[], findings=[finding]).ok


def _coded(*pointers: tuple[int, ...]):  # type: ignore[no-untyped-def]
    from claimcore.coding import CodedEncounter, Diagnosis, ProcedureLine
    from claimcore.encounters import Encounter, EncounterClass
    from claimcore.ids import MedicalRecordNumber

    encounter = Encounter(id="ENC42", patient=MedicalRecordNumber("MRN1"),
                          encounter_class=EncounterClass.AMBULATORY,
                          place_of_service=PlaceOfService("11"))
    codes: list[CPT | HCPCS] = [CPT("99213"), HCPCS("J1100"), CPT("99215")]
    return CodedEncounter(
        encounter=encounter,
        diagnoses=[Diagnosis(code=ICD10CM("E11.9"), sequence=1),
                   Diagnosis(code=ICD10CM("I10"), sequence=2)],
        procedures=[ProcedureLine(code=codes[i], service_period=Period(DOS, DOS),
                                  diagnosis_pointers=p, units=2 if i == 1 else 1)
                    for i, p in enumerate(pointers)],
    )


def test_enter_charges_from_a_coded_encounter() -> None:
    """Each priced line becomes a charge with its diagnoses; unpriced lines give findings."""
    from claimcore.charges import enter_charges

    coded = _coded((2, 1), (1,), (1,))

    entry = enter_charges(coded, OFFICE, on=date(2026, 3, 3))

    assert [c.id for c in entry.charges] == ["ENC42-1", "ENC42-2"]
    assert [c.amount for c in entry.charges] == [usd("150.00"), usd("25.00")]
    assert entry.charges[0].diagnoses == (ICD10CM("I10"), ICD10CM("E11.9"))
    assert entry.charges[0].place_of_service == PlaceOfService("11")
    assert entry.charges[0].encounter_id == "ENC42"
    (finding,) = entry.findings
    assert (finding.edit_id, finding.location) == ("fee-schedule-unlisted", "$.procedures[2]")


def test_enter_charges_reports_a_dangling_pointer() -> None:
    """A line pointing past the encounter's diagnoses gives no charge and a finding."""
    from claimcore.charges import enter_charges

    entry = enter_charges(_coded((3,)), OFFICE, on=DOS, id_prefix="X")

    assert entry.charges == ()
    assert [f.edit_id for f in entry.findings] == ["charge-pointer"]
