"""The ICD-10-CM tabular's instructions as coding findings: worked cases of the guidelines.

The cases follow the ICD-10-CM Official Guidelines, section I.A: Excludes1 (I.A.12.a, type
1 with type 2 diabetes), etiology/manifestation "code first" (I.A.13, dementia in
Alzheimer's disease: G30.9 then F02.80), 7th characters (I.A.5, S72.001 needs one) and the
placeholder X (I.A.4, T36.0X1A). The notes are the FY2026 tabular's, written out here as
literals; the last tests load the whole tabular from the ``icd10cm`` extra.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from claimcore.claims import EditContext, scrub
from claimcore.codes import (
    ICD10CM,
    CodeRange,
    CodeSet,
    CodeSets,
    CodeSystem,
    NoteKind,
    PlaceOfService,
    SeventhCharacterRule,
    TabularInstructions,
    TabularNote,
)
from claimcore.coding import Diagnosis, code_encounter, tabular_findings
from claimcore.encounters import EncounterClass, plan_encounter, start
from claimcore.errors import ValidationError
from claimcore.ids import MedicalRecordNumber
from tests.unit.test_claims_support import professional

ON = date(2026, 3, 2)

NOTES = (
    TabularNote.parse("E10", NoteKind.EXCLUDES1, "type 2 diabetes mellitus (E11.-)"),
    TabularNote.parse("E11", NoteKind.EXCLUDES1, "type 1 diabetes mellitus (E10.-)"),
    TabularNote.parse("E11", NoteKind.USE_ADDITIONAL_CODE,
                      "code to identify control using: insulin (Z79.4)"),
    TabularNote.parse("E11.22", NoteKind.USE_ADDITIONAL_CODE,
                      "code to identify stage of chronic kidney disease (N18.1-N18.6)"),
    TabularNote.parse("F02", NoteKind.CODE_FIRST,
                      "the underlying physiological condition, such as: Alzheimer's (G30.-)"),
    TabularNote.parse("G30", NoteKind.USE_ADDITIONAL_CODE,
                      "code to identify: dementia with or without behavioral disturbance "
                      "(F02.8-)"),
    TabularNote.parse("I50", NoteKind.CODE_FIRST,
                      "heart failure due to hypertension (I11.0)"),
    TabularNote.parse("I10-I1A", NoteKind.EXCLUDES1, "neonatal hypertension (P29.2)"),
    TabularNote.parse("S00-T88", NoteKind.USE_ADDITIONAL_CODE,
                      "code to identify any retained foreign body, if applicable (Z18.-)"),
)
RULES = (
    SeventhCharacterRule(scope="S72", characters={
        "A": "initial encounter for closed fracture", "D": "subsequent encounter for "
        "closed fracture with routine healing", "S": "sequela"},
        note="The appropriate 7th character is to be added to all codes from category S72"),
    SeventhCharacterRule(scope="T36", characters={
        "A": "initial encounter", "D": "subsequent encounter", "S": "sequela"}),
)
TABULAR = TabularInstructions(name="ICD-10-CM tabular (worked cases)", version="FY2026",
                              notes=NOTES, seventh_characters=RULES,
                              unspecified=("I50.9", "M54.50"))
ICD = CodeSet.from_rows(
    [{"code": c, "start": "2015-10-01"} for c in (
        "E10.9", "E11.9", "E11.22", "N18.30", "F02.80", "G30.9", "I50.9", "I50.22", "I10",
        "P29.2", "S72.001A", "T36.0X1A", "M54.50", "M54.51", "Z79.4")]
    + [{"code": "T36.0X1", "start": "2015-10-01", "billable": False}],
    name="ICD-10-CM sample", system=CodeSystem.ICD10CM, version="FY2026")


def _rules(*codes: str) -> list[tuple[str, str, str]]:
    found = tabular_findings([ICD10CM(c) for c in codes], TABULAR, code_set=ICD)
    return [(f.rule, f.severity.value, f.location) for f in found]


def test_excludes1_type_1_with_type_2_diabetes() -> None:
    """I.A.12.a: E10.- and E11.- are never coded together; reported once, at the later."""
    found = tabular_findings([ICD10CM("E11.9"), ICD10CM("E10.9")], TABULAR)
    excludes = [f for f in found if f.rule == "excludes1"]
    assert len(excludes) == 1
    assert excludes[0].location == "$.diagnoses[1]" and excludes[0].is_error
    assert excludes[0].message == (
        "E11.9 and E10.9 are coded together, but the Excludes1 note at E11 ('type 1 "
        "diabetes mellitus (E10.-)') says they are not coded together (Guidelines "
        "I.A.12.a: only when the conditions are unrelated)")


def test_a_block_note_applies_to_every_code_in_the_block() -> None:
    assert ("excludes1", "error", "$.diagnoses[1]") in _rules("I10", "P29.2")


def test_code_first_the_etiology_of_a_manifestation() -> None:
    """I.A.13: dementia in Alzheimer's disease is G30.9 first, then F02.80."""
    assert _rules("G30.9", "F02.80") == []
    assert _rules("F02.80", "G30.9") == [("code-first-order", "error", "$.diagnoses[0]")]
    assert _rules("F02.80") == [("code-first-missing", "warning", "$.diagnoses[0]")]
    (finding,) = tabular_findings([ICD10CM("F02.80")], TABULAR)
    assert "the Code first note at F02" in finding.message


def test_code_first_that_names_no_underlying_condition_only_orders() -> None:
    assert _rules("I50.22") == []  # "code first heart failure due to hypertension" if so


def test_use_additional_code_on_the_subcategory() -> None:
    assert _rules("E11.22") == [("use-additional-missing", "warning", "$.diagnoses[0]")]
    assert _rules("E11.22", "N18.30") == []
    # the category's "control using insulin" and a chapter's "if applicable" are not asked
    assert _rules("E11.9") == []
    assert _rules("S72.001A") == []


def test_the_seventh_character_is_required() -> None:
    """I.A.5: S72.001 is invalid, S72.001A valid."""
    assert _rules("S72.001A") == []
    assert _rules("S72.001") == [("seventh-character-missing", "error", "$.diagnoses[0]")]
    (finding,) = tabular_findings([ICD10CM("S72.001")], TABULAR)
    assert "the 7th-character note at S72: A, D, S" in finding.message
    assert _rules("S72.001Z") == [("seventh-character-invalid", "error", "$.diagnoses[0]")]


def test_the_placeholder_x_puts_the_seventh_character_in_place() -> None:
    """I.A.4: poisoning by penicillins, initial encounter, is T36.0X1A, not T36.01A."""
    assert _rules("T36.0X1A") == []
    (finding,) = tabular_findings([ICD10CM("T36.01A")], TABULAR, code_set=ICD)
    assert finding.rule == "placeholder-x-missing"
    assert finding.message.endswith("(Guidelines I.A.4): T36.0X1A")
    (bare,) = tabular_findings([ICD10CM("T36.01A")], TABULAR)  # no set: no suggestion
    assert bare.message.endswith("(Guidelines I.A.4)")
    assert _rules("T36.0X1") == [("seventh-character-missing", "error", "$.diagnoses[0]")]


def test_unspecified_beside_a_specific_sibling() -> None:
    assert _rules("I50.9", "I50.22") == [
        ("unspecified-with-specific", "warning", "$.diagnoses[0]")]
    assert _rules("M54.50", "M54.51") == [
        ("unspecified-with-specific", "warning", "$.diagnoses[0]")]
    assert _rules("I50.9") == []
    assert _rules("I50.9", "I10") == []


def test_notes_nearest_first_and_ranges() -> None:
    notes = TABULAR.notes_for(ICD10CM("E11.22"))
    assert [n.at for n in notes] == ["E11.22", "E11", "E11"]
    assert TABULAR.notes_for(ICD10CM("E11.22"), NoteKind.EXCLUDES1)[0].at == "E11"
    rule = TABULAR.seventh_character(ICD10CM("S72.001A"))
    assert rule is not None and rule.meaning("A") == "initial encounter for closed fracture"
    assert TABULAR.seventh_character(ICD10CM("E11.9")) is None
    assert CodeRange.of("N18.1-N18.6").covers(ICD10CM("N18.30"))
    assert not CodeRange.of("N18.1-N18.6").covers(ICD10CM("N18.9"))
    assert CodeRange.of("C00-D49").covers(ICD10CM("C7A.00"))
    assert str(CodeRange.of("E10.-")) == "E10"
    assert repr(TABULAR) == ("TabularInstructions(name='ICD-10-CM tabular (worked cases)', "
                             "version='FY2026', notes=9, seventh_characters=2)")


def test_note_parsing() -> None:
    note = TabularNote.parse("I10", NoteKind.EXCLUDES1, "hypertensive disease complicating "
                             "pregnancy, childbirth and the puerperium (O10-O11, O13-O16)")
    assert [str(r) for r in note.references] == ["O10-O11", "O13-O16"]
    assert note.checkable and not note.conditional
    partial = TabularNote.parse("G63", NoteKind.EXCLUDES1,
                                "diabetes mellitus (E08-E13 with .42)")
    assert partial.references == () and not partial.checkable
    iffy = TabularNote.parse("O00-O9A", NoteKind.USE_ADDITIONAL_CODE,
                             "code, if applicable, from category Z3A (Z3A)")
    assert iffy.conditional and not iffy.checkable


def test_bad_values_are_refused() -> None:
    with pytest.raises(ValidationError) as info:
        CodeRange("E11", "E10")
    assert info.value.rule == "code-range-order"
    with pytest.raises(ValidationError):
        CodeRange("e11", "e11")
    with pytest.raises(ValidationError):
        SeventhCharacterRule(scope="S72", characters={})
    with pytest.raises(ValidationError) as info:
        TabularInstructions(name="t", version="1", seventh_characters=RULES + RULES[:1])
    assert info.value.rule == "seventh-character-duplicate"


def _visit() -> object:
    return start(plan_encounter(id="ENC-9", patient=MedicalRecordNumber("MRN00421234"),
                                encounter_class=EncounterClass.AMBULATORY,
                                place_of_service=PlaceOfService("11")),
                 at=datetime(2026, 3, 2, 9, 5, tzinfo=UTC))


def test_code_encounter_runs_the_tabular_when_given() -> None:
    dx = [Diagnosis(code=ICD10CM("E11.9"), sequence=1),
          Diagnosis(code=ICD10CM("E10.9"), sequence=2)]
    visit = _visit()
    plain = code_encounter(visit, dx, [], CodeSets(icd10cm=ICD), on=ON)  # type: ignore[arg-type]
    assert plain.ok
    checked = code_encounter(visit, dx, [], CodeSets(icd10cm=ICD), on=ON,  # type: ignore[arg-type]
                             tabular=TABULAR)
    assert [(f.rule, f.location) for f in checked.findings] == [
        ("excludes1", "$.diagnoses[1]")]
    assert not checked.ok


def test_the_scrub_runs_the_tabular_from_its_context() -> None:
    claim = professional(diagnoses=(ICD10CM("F02.80"), ICD10CM("G30.9")))
    report = scrub(claim, context=EditContext(as_of=ON, tabular=TABULAR))
    assert [(f.edit_id, f.location, str(f.carc)) for f in report.findings
            if f.edit_id.startswith("code-first")] == [
        ("code-first-order", "$.diagnoses[0]", "146")]
    assert not report.clean
    assert "code-first-order" not in scrub(claim, context=EditContext(as_of=ON)).edit_ids()


# the whole FY2026 tabular ---------------------------------------------------------------


@pytest.fixture(scope="module")
def fy2026() -> tuple[TabularInstructions, CodeSet]:
    pytest.importorskip("simple_icd_10_cm")
    from claimcore.codes.icd10cm_data import load_icd10cm, load_icd10cm_tabular

    return load_icd10cm_tabular(), load_icd10cm()


def test_the_fy2026_tabular(fy2026: tuple[TabularInstructions, CodeSet]) -> None:
    tabular, icd = fy2026

    def rules(*codes: str) -> list[str]:
        return [f.rule for f in tabular_findings([ICD10CM(c) for c in codes], tabular,
                                                 code_set=icd)]

    assert "excludes1" in rules("E11.9", "E10.9")
    assert "code-first-order" in rules("F02.80", "G30.9")
    assert "code-first-order" not in rules("G30.9", "F02.80")
    assert rules("S72.001") == ["seventh-character-missing"]
    assert "placeholder-x-missing" in rules("T36.01A")
    assert "seventh-character-invalid" in rules("T36.0X1Z")
    assert "unspecified-with-specific" in rules("I50.9", "I50.22")
    assert "use-additional-missing" in rules("E11.22")
    assert "use-additional-missing" not in rules("E11.22", "N18.30")
    assert rules("E11.9", "I10") == []  # the example's visit: nothing to say
    assert len(tabular.notes) > 5000 and len(tabular.seventh_characters) > 400
    chapter = tabular.notes_for(ICD10CM("O80"), NoteKind.EXCLUDES1)
    assert any(n.at == "O00-O9A" for n in chapter)
