"""E/M levels by the AMA 2021 rules, the billed-level check and modifier 25.

Time thresholds (CPT 2024 onward, "met or exceeded"): new patient 99202 15, 99203 30,
99204 45, 99205 60 minutes; established 99212 10, 99213 20, 99214 30, 99215 40. MDM: two
of problems, data and risk meet or exceed the level.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import product

import pytest

from claimcore.claims import EditContext, scrub
from claimcore.codes import (
    CPT,
    EM_TIME_THRESHOLDS,
    ICD10CM,
    OFFICE_EM_CODES,
    CodeSets,
    EmBasis,
    EmLevel,
    MdmLevel,
    MedicalDecisionMaking,
    Modifier,
    PlaceOfService,
    em_level,
    em_rank,
)
from claimcore.coding import Diagnosis, ProcedureLine, code_encounter, em_findings
from claimcore.encounters import Encounter, EncounterClass, plan_encounter, start
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.ids import MedicalRecordNumber
from claimcore.periods import Period
from tests.unit.test_claims_support import line, professional

ON = date(2026, 3, 2)
S, L, M, H = (MdmLevel.STRAIGHTFORWARD, MdmLevel.LOW, MdmLevel.MODERATE, MdmLevel.HIGH)

# (minutes, new-patient code, established code): each threshold and the minute before it
BOUNDARIES = [
    (0, None, None), (9, None, None), (10, None, "99212"), (14, None, "99212"),
    (15, "99202", "99212"), (19, "99202", "99212"), (20, "99202", "99213"),
    (29, "99202", "99213"), (30, "99203", "99214"), (39, "99203", "99214"),
    (40, "99203", "99215"), (44, "99203", "99215"), (45, "99204", "99215"),
    (59, "99204", "99215"), (60, "99205", "99215"), (240, "99205", "99215"),
]


@pytest.mark.parametrize(("minutes", "new", "established"), BOUNDARIES)
def test_time_thresholds_at_each_boundary(
    minutes: int, new: str | None, established: str | None
) -> None:
    for is_new, want in ((True, new), (False, established)):
        level = em_level(new_patient=is_new, minutes=minutes)
        assert level.code == (None if want is None else CPT(want))
        assert level.basis == (None if want is None else EmBasis.TIME)
        assert level.minutes == minutes and level.new_patient is is_new


def test_the_threshold_table_is_the_amas() -> None:
    assert {str(c): m for c, m in EM_TIME_THRESHOLDS.items()} == {
        "99202": 15, "99203": 30, "99204": 45, "99205": 60,
        "99212": 10, "99213": 20, "99214": 30, "99215": 40}
    assert CPT("99201") not in OFFICE_EM_CODES and CPT("99211") in OFFICE_EM_CODES


def test_time_reasons_name_the_threshold_met_and_the_next() -> None:
    assert em_level(new_patient=False, minutes=35).reasons == (
        "total time 35 minutes meets 99214's 30 (99215 needs 40)",)
    assert em_level(new_patient=False, minutes=41).reasons == (
        "total time 41 minutes meets 99215's 40",)
    assert em_level(new_patient=True, minutes=14).reasons == (
        "total time 14 minutes is under 99202's 15 (the first new-patient level by time)",)


def _two_of_three(levels: tuple[MdmLevel, MdmLevel, MdmLevel]) -> MdmLevel:
    """The highest level at least two elements meet or exceed, counted directly."""
    order = [S, L, M, H]
    met = [lv for lv in order
           if sum(order.index(e) >= order.index(lv) for e in levels) >= 2]
    return met[-1]


@pytest.mark.parametrize("elements", list(product([S, L, M, H], repeat=3)))
def test_mdm_is_two_of_three(elements: tuple[MdmLevel, MdmLevel, MdmLevel]) -> None:
    mdm = MedicalDecisionMaking(problems=elements[0], data=elements[1], risk=elements[2])
    want = _two_of_three(elements)
    assert mdm.level is want
    new = em_level(new_patient=True, mdm=mdm)
    established = em_level(new_patient=False, mdm=mdm)
    index = [S, L, M, H].index(want)
    assert new.code == CPT(("99202", "99203", "99204", "99205")[index])
    assert established.code == CPT(("99212", "99213", "99214", "99215")[index])
    assert new.basis is EmBasis.MDM and new.mdm is want


def test_both_documented_the_higher_wins() -> None:
    mdm = MedicalDecisionMaking(problems=M, data=L, risk=L)  # low: 99213
    level = em_level(new_patient=False, mdm=mdm, minutes=31)  # time: 99214
    assert (level.code, level.basis) == (CPT("99214"), EmBasis.TIME)
    assert level.reasons[-1] == "levelled by time: the higher of 99213 (MDM) and 99214 (time)"
    level = em_level(new_patient=False, mdm=mdm, minutes=5)
    assert (level.code, level.basis) == (CPT("99213"), EmBasis.MDM)


def test_nothing_documented_or_bad_values() -> None:
    with pytest.raises(ValidationError) as info:
        em_level(new_patient=True)
    assert info.value.rule == "em-nothing-documented"
    with pytest.raises(TypeMismatch):
        em_level(new_patient=1, minutes=20)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        em_level(new_patient=True, minutes=-1)
    with pytest.raises(TypeMismatch):
        MedicalDecisionMaking(problems="high", data=L, risk=L)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        EmLevel(code=CPT("99211"), new_patient=False, basis=None, reasons=())


def test_em_rank() -> None:
    assert em_rank(CPT("99205")) == (True, 3)
    assert em_rank(CPT("99212")) == (False, 0)
    assert em_rank(CPT("99211")) == (False, -1)
    assert em_rank(CPT("36415")) is None


# the coding check: billed above what is documented -------------------------------------


def test_billed_higher_than_documented_is_a_finding() -> None:
    documented = em_level(new_patient=False, minutes=25)  # 99213
    assert em_findings([(CPT("99213"), "$.l[0]"), (CPT("99212"), "$.l[1]")], documented) == ()
    (finding,) = em_findings([(CPT("99214"), "$.l[0]")], documented)
    assert (finding.rule, finding.location, str(finding.carc)) == (
        "em-level-unsupported", "$.l[0]", "150")
    assert finding.message == ("99214 is billed, but the documented elements support 99213 "
                               "(total time 25 minutes meets 99213's 20 (99214 needs 30))")
    (status,) = em_findings([(CPT("99203"), "$.l[0]")], documented)
    assert status.rule == "em-patient-status"
    nothing = em_level(new_patient=False, minutes=5)
    assert [f.rule for f in em_findings([(CPT("99212"), "$")], nothing)] == [
        "em-level-unsupported"]
    assert em_findings([(CPT("99211"), "$")], nothing) == ()


def _visit() -> Encounter:
    return start(plan_encounter(id="ENC-12", patient=MedicalRecordNumber("MRN00421234"),
                                encounter_class=EncounterClass.AMBULATORY,
                                place_of_service=PlaceOfService("11")),
                 at=datetime(2026, 3, 2, 9, 5, tzinfo=UTC))


def _lines(*specs: tuple[str, tuple[str, ...]]) -> list[ProcedureLine]:
    day = Period.day(ON)
    return [ProcedureLine(code=CPT(code), service_period=day, diagnosis_pointers=(1,),
                          modifiers=tuple(Modifier(m) for m in mods)) for code, mods in specs]


def test_code_encounter_checks_the_level_and_modifier_25() -> None:
    dx = [Diagnosis(code=ICD10CM("L72.0"), sequence=1)]
    documented = em_level(new_patient=False, mdm=MedicalDecisionMaking(
        problems=L, data=S, risk=L))  # 99213
    result = code_encounter(_visit(), dx, _lines(("99214", ()), ("11401", ())), CodeSets(),
                            on=ON, em=documented, minor_procedures={CPT("11401")})
    rules = [(f.rule, f.location) for f in result.findings if f.rule != "code-not-checked"]
    assert rules == [("em-level-unsupported", "$.procedures[0].code"),
                     ("modifier-25-missing", "$.procedures[0].modifiers")]
    fixed = code_encounter(_visit(), dx, _lines(("99213", ("25",)), ("11401", ())),
                           CodeSets(), on=ON, em=documented, minor_procedures={CPT("11401")})
    assert fixed.ok
    # without the tables, nothing is said
    plain = code_encounter(_visit(), dx, _lines(("99214", ()), ("11401", ())), CodeSets(),
                           on=ON)
    assert plain.ok


def test_modifier_25_only_on_the_same_date() -> None:
    context = EditContext(as_of=date(2026, 3, 10), minor_procedures={CPT("11401")})
    same_day = professional([line(1, "99213"), line(2, "11401")])
    report = scrub(same_day, context=context)
    assert [(f.edit_id, f.location, str(f.carc)) for f in report.findings] == [
        ("modifier-25-missing", "$.lines[0].modifiers", "4")]
    with_25 = professional([line(1, "99213", modifiers=("25",)), line(2, "11401")])
    assert scrub(with_25, context=context).clean
    other_day = professional([line(1, "99213", on=date(2026, 2, 27)), line(2, "11401")])
    assert scrub(other_day, context=context).clean
    assert scrub(same_day, context=EditContext(as_of=date(2026, 3, 10))).clean
