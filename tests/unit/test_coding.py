"""Worked coding scenarios: diagnoses, procedure lines and the coding checks."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from claimcore.codes import (
    CPT,
    HCPCS,
    ICD10CM,
    NDC,
    CodeSet,
    CodeSets,
    CodeSystem,
    Modifier,
    PlaceOfService,
)
from claimcore.coding import (
    CodedEncounter,
    CodingFinding,
    CodingResult,
    Diagnosis,
    DrugUnit,
    PresentOnAdmission,
    ProcedureLine,
    Severity,
    UnitOfMeasure,
    code_encounter,
)
from claimcore.encounters import (
    AdmissionSource,
    AdmissionType,
    DischargeDisposition,
    Encounter,
    EncounterClass,
    admit,
    discharge,
    plan_encounter,
    start,
)
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.ids import NPI, MedicalRecordNumber
from claimcore.patients import AdministrativeSex
from claimcore.periods import Period

DOS = date(2026, 3, 2)
DAY = Period.day(DOS)


def _office_visit() -> Encounter:
    visit = plan_encounter(
        id="ENC-100", patient=MedicalRecordNumber("MRN00421234"),
        encounter_class=EncounterClass.AMBULATORY, place_of_service=PlaceOfService("11"),
    )
    return start(visit, at=datetime(2026, 3, 2, 9, 5, tzinfo=UTC))


def _inpatient_stay() -> Encounter:
    stay = plan_encounter(
        id="ENC-200", patient=MedicalRecordNumber("MRN00421234"),
        encounter_class=EncounterClass.INPATIENT, place_of_service=PlaceOfService("21"),
    )
    stay = admit(stay, at=datetime(2026, 2, 27, 22, 0, tzinfo=UTC),
                 admission_type=AdmissionType.EMERGENCY,
                 source=AdmissionSource.NON_HEALTH_CARE_FACILITY)
    return discharge(stay, at=datetime(2026, 3, 2, 11, 0, tzinfo=UTC),
                     disposition=DischargeDisposition.HOME)


def _code_sets() -> CodeSets:
    icd = CodeSet.from_rows(
        [
            {"code": "E11", "start": "2015-10-01", "billable": False},
            {"code": "E11.9", "start": "2015-10-01"},
            {"code": "I10", "start": "2015-10-01"},
            {"code": "M54.5", "start": "2015-10-01", "end": "2021-09-30"},
            {"code": "M54.50", "start": "2021-10-01"},
            {"code": "O80", "start": "2015-10-01", "sex": "F", "min_age": 12, "max_age": 55},
            {"code": "N40.0", "start": "2015-10-01", "sex": "M"},
            {"code": "Z00.129", "start": "2015-10-01", "max_age": 17},
            {"code": "S72.001A", "start": "2015-10-01"},
        ],
        name="ICD-10-CM sample", system=CodeSystem.ICD10CM, version="2026",
    )
    cpt = CodeSet.from_rows(
        [{"code": c, "start": "2015-01-01"} for c in ("99213", "99214", "20610", "96372")]
        + [{"code": "0001F", "start": "2015-01-01", "end": "2019-12-31"}],
        name="CPT (codes only)", system=CodeSystem.CPT, version="2026",
    )
    hcpcs = CodeSet.from_rows(
        [{"code": "J1100", "start": "1982-01-01"},
         {"code": "C9035", "start": "2019-01-01", "end": "2019-09-30"}],
        name="HCPCS", system=CodeSystem.HCPCS, version="2026",
    )
    mods = CodeSet.from_rows(
        [{"code": m, "start": "2015-01-01"} for m in ("25", "59", "XS", "XU", "LT", "RT")],
        name="modifiers", system=CodeSystem.MODIFIER, version="2026",
    )
    return CodeSets(icd10cm=icd, cpt=cpt, hcpcs=hcpcs, modifiers=mods)


def _dx(*codes: str) -> list[Diagnosis]:
    return [Diagnosis(code=ICD10CM(c), sequence=i + 1) for i, c in enumerate(codes)]


def _line(code: str = "99214", pointers: tuple[int, ...] = (1,), **kw: object) -> ProcedureLine:
    built = HCPCS(code) if code[0].isalpha() else CPT(code)
    return ProcedureLine(code=built, service_period=DAY, diagnosis_pointers=pointers,
                         **kw)  # type: ignore[arg-type]


def _rules(result: CodingResult) -> list[tuple[str, str]]:
    return [(f.rule, f.location) for f in result.findings]


# clean coding ----------------------------------------------------------------------------


def test_a_clean_office_visit_has_no_findings() -> None:
    """E11.9 and I10 with 99214-25 and a J1100 injection: nothing to fix."""
    result = code_encounter(
        _office_visit(), _dx("E11.9", "I10"),
        [_line("99214", (1, 2), modifiers=[Modifier("25")]),
         _line("96372", (1,)),
         _line("J1100", (1,), units=4, ndc=NDC("0641-0367-21"), drug_quantity=Decimal("4"),
               drug_unit=DrugUnit.MILLIGRAM)],
        _code_sets(), on=DOS, sex=AdministrativeSex.MALE, birth_date=date(1961, 5, 20),
    )

    assert result.findings == ()
    assert result.ok
    assert result.errors == ()
    coded = result.coded
    assert coded.principal.code == ICD10CM("E11.9")
    assert [str(p.code) for p in coded.procedures] == ["99214", "96372", "J1100"]
    assert coded.procedures[2].units == Decimal("4")
    assert coded.procedures[2].ndc == NDC("00641036721")
    assert "MRN" not in repr(coded) and "4212" not in repr(coded)
    assert repr(coded) == (
        "CodedEncounter(encounter='ENC-100', diagnoses=['E11.9', 'I10'], "
        "procedures=['99214', '96372', 'J1100'])"
    )


def test_diagnoses_are_put_in_sequence_order() -> None:
    """Diagnoses given out of order come back principal first."""
    given = [Diagnosis(code=ICD10CM("I10"), sequence=2),
             Diagnosis(code=ICD10CM("E11.9"), sequence=1)]

    result = code_encounter(_office_visit(), given, [], _code_sets(), on=DOS)

    assert [str(d.code) for d in result.coded.diagnoses] == ["E11.9", "I10"]
    assert result.ok


# code validity -----------------------------------------------------------------------------


def test_codes_not_billable_retired_unknown_or_not_yet() -> None:
    """Each code is checked on its date of service, with the reason as the rule id."""
    result = code_encounter(
        _office_visit(), _dx("E11", "M54.5", "R51.9"),
        [_line("99214", (1,)), _line("0001F", (2,)), _line("C9035", (3,))],
        _code_sets(), on=DOS,
    )

    assert _rules(result) == [
        ("code-not-billable", "$.diagnoses[0]"),
        ("code-retired", "$.diagnoses[1]"),
        ("code-unknown", "$.diagnoses[2]"),
        ("code-retired", "$.procedures[1].code"),
        ("code-retired", "$.procedures[2].code"),
    ]
    assert not result.ok
    assert all(f.severity is Severity.ERROR for f in result.findings)
    assert result.findings[1].message == (
        "ICD-10-CM code M54.5 was retired on 2021-09-30 (its last day in force)"
    )


def test_a_procedure_is_checked_on_its_own_first_day() -> None:
    """A line dated before 1 October 2021 may use M54.5-era codes; here, CPT 0001F in 2019."""
    line = ProcedureLine(code=CPT("0001F"), service_period=Period(date(2019, 12, 30),
                         date(2019, 12, 31)), diagnosis_pointers=(1,))

    result = code_encounter(_office_visit(), _dx("E11.9"), [line], _code_sets(), on=DOS)

    assert result.findings == ()


def test_icd9_era_dates_are_reported_as_such() -> None:
    """A 2006 date of service gets icd9-era, not a format error."""
    result = code_encounter(_office_visit(), _dx("E11.9"), [], _code_sets(),
                            on=date(2006, 4, 1))

    assert _rules(result) == [("icd9-era", "$.diagnoses[0]")]
    assert "ICD-9-CM" in result.findings[0].message
    no_sets = code_encounter(_office_visit(), _dx("E11.9"), [], CodeSets(),
                             on=date(2006, 4, 1))
    assert _rules(no_sets) == [("icd9-era", "$.diagnoses[0]")]


def test_missing_code_sets_give_one_warning_per_system() -> None:
    """Without a CPT or modifier set, the codes are format-checked only, and it says so once."""
    result = code_encounter(
        _office_visit(), _dx("E11.9"),
        [_line("99214", (1,), modifiers=[Modifier("25")]), _line("99213", (1,))],
        CodeSets(), on=DOS,
    )

    assert _rules(result) == [
        ("code-not-checked", "$.diagnoses[0]"),
        ("code-not-checked", "$.procedures[0].code"),
        ("code-not-checked", "$.procedures[0].modifiers[0]"),
    ]
    assert all(f.severity is Severity.WARNING for f in result.findings)
    assert result.ok
    assert result.findings[1].message == (
        "no CPT code set was given: CPT codes were checked for format only"
    )


# pointers, duplicates, modifiers ----------------------------------------------------------------


def test_pointers_must_resolve() -> None:
    """A pointer to diagnosis 3 of 2 is an error at that pointer."""
    result = code_encounter(_office_visit(), _dx("E11.9", "I10"), [_line("99214", (2, 3))],
                            _code_sets(), on=DOS)

    assert _rules(result) == [("pointer-unresolved", "$.procedures[0].diagnosis_pointers[1]")]
    assert result.findings[0].message == "points at diagnosis 3, but only 2 are coded"


def test_duplicate_diagnoses_are_reported() -> None:
    """E11.9 twice: the second is a duplicate."""
    result = code_encounter(_office_visit(), _dx("E11.9", "I10", "E11.9"), [], _code_sets(),
                            on=DOS)

    assert _rules(result) == [("diagnosis-duplicate", "$.diagnoses[2]")]
    assert "first at diagnoses[0]" in result.findings[0].message


@pytest.mark.parametrize("x", ["XS", "XU"])
def test_59_and_an_x_modifier_never_share_a_line(x: str) -> None:
    """59 with XS (or XU) on one line is an error; 59 alone, or XS alone, is fine."""
    both = code_encounter(
        _office_visit(), _dx("E11.9"),
        [_line("20610", (1,), modifiers=[Modifier("59"), Modifier(x)]),
         _line("20610", (1,), modifiers=[Modifier("59"), Modifier("RT")]),
         _line("20610", (1,), modifiers=[Modifier(x), Modifier("LT")])],
        _code_sets(), on=DOS,
    )

    assert _rules(both) == [("modifier-59-with-x", "$.procedures[0].modifiers")]


# sex and age ------------------------------------------------------------------------------------


def test_sex_specific_codes() -> None:
    """O80 on a male patient and N40.0 on a female one are errors; unknown sex warns."""
    male = code_encounter(_office_visit(), _dx("O80"), [], _code_sets(), on=DOS,
                          sex=AdministrativeSex.MALE)
    female = code_encounter(_office_visit(), _dx("N40.0"), [], _code_sets(), on=DOS,
                            sex=AdministrativeSex.FEMALE)
    unknown = code_encounter(_office_visit(), _dx("O80"), [], _code_sets(), on=DOS,
                             sex=AdministrativeSex.UNKNOWN)
    matching = code_encounter(_office_visit(), _dx("O80"), [], _code_sets(), on=DOS,
                              sex=AdministrativeSex.FEMALE, birth_date=date(1996, 1, 1))
    not_given = code_encounter(_office_visit(), _dx("O80"), [], _code_sets(), on=DOS)

    assert _rules(male) == [("sex-conflict", "$.diagnoses[0]")]
    assert male.findings[0].message == (
        "O80 is for female patients only; the patient's recorded sex differs"
    )
    assert _rules(female) == [("sex-conflict", "$.diagnoses[0]")]
    assert _rules(unknown) == [("sex-unknown", "$.diagnoses[0]")]
    assert unknown.ok
    assert matching.findings == ()
    assert not_given.findings == ()


def test_age_specific_codes() -> None:
    """Z00.129 (child check-up, to 17) on a 40-year-old, O80 on an 11-year-old: errors."""
    adult = code_encounter(_office_visit(), _dx("Z00.129"), [], _code_sets(), on=DOS,
                           birth_date=date(1986, 3, 2))
    child = code_encounter(_office_visit(), _dx("O80"), [], _code_sets(), on=DOS,
                           sex=AdministrativeSex.FEMALE, birth_date=date(2014, 3, 3))
    seventeen = code_encounter(_office_visit(), _dx("Z00.129"), [], _code_sets(), on=DOS,
                               birth_date=date(2008, 3, 3))

    assert _rules(adult) == [("age-conflict", "$.diagnoses[0]")]
    assert adult.findings[0].message == (
        "Z00.129 is limited to ages any to 17; the patient's age on the date of service "
        "is outside them"
    )
    assert "1986" not in adult.findings[0].message
    assert _rules(child) == [("age-conflict", "$.diagnoses[0]")]
    assert seventeen.findings == ()


# claim limits and POA ---------------------------------------------------------------------------


def test_at_most_twelve_diagnoses_on_a_professional_claim() -> None:
    """Thirteen diagnoses: an error for 837P, fine for an institutional claim."""
    sets = CodeSets()
    codes = [f"E11.{i}" for i in range(9)] + ["I10", "I11.9", "I12.9", "I13.0"]
    dx = _dx(*codes)

    professional = code_encounter(_office_visit(), dx, [], sets, on=DOS)
    institutional = code_encounter(_office_visit(), dx, [], sets, on=DOS, professional=False)

    assert ("professional-diagnosis-limit", "$.diagnoses[12]") in _rules(professional)
    assert all(f.rule == "code-not-checked" for f in institutional.findings)


def test_at_most_fifty_lines_on_a_professional_claim() -> None:
    """Fifty-one lines: an error for 837P."""
    lines = [_line("99213", (1,)) for _ in range(51)]

    result = code_encounter(_office_visit(), _dx("E11.9"), lines, _code_sets(), on=DOS)

    assert _rules(result) == [("professional-line-limit", "$.procedures[50]")]


def test_present_on_admission_is_for_inpatient_stays() -> None:
    """An inpatient stay needs POA on each diagnosis; an office visit does not send it."""
    with_poa = [Diagnosis(code=ICD10CM("S72.001A"), sequence=1,
                          present_on_admission=PresentOnAdmission.YES),
                Diagnosis(code=ICD10CM("I10"), sequence=2)]

    stay = code_encounter(_inpatient_stay(), with_poa, [], _code_sets(), on=DOS,
                          professional=False)
    visit = code_encounter(_office_visit(), with_poa, [], _code_sets(), on=DOS)

    assert _rules(stay) == [("poa-missing", "$.diagnoses[1].present_on_admission")]
    assert _rules(visit) == [("poa-not-applicable", "$.diagnoses[0].present_on_admission")]
    assert stay.ok and visit.ok


# impossible values raise --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "path", "rule"),
    [
        ({"diagnosis_pointers": ()}, "$.diagnosis_pointers", "pointer-count"),
        ({"diagnosis_pointers": (1, 2, 3, 4, 5)}, "$.diagnosis_pointers", "pointer-count"),
        ({"diagnosis_pointers": (13,)}, "$.diagnosis_pointers[0]", "range"),
        ({"diagnosis_pointers": (0,)}, "$.diagnosis_pointers[0]", "range"),
        ({"diagnosis_pointers": (1, 1)}, "$.diagnosis_pointers", "pointer-duplicate"),
        ({"units": 0}, "$.units", "positive"),
        ({"units": Decimal("-1")}, "$.units", "positive"),
        ({"units": 1.5}, "$.units", "no-float"),
        ({"modifiers": [Modifier(m) for m in ("25", "59", "LT", "RT", "XS")]},
         "$.modifiers", "modifier-count"),
        ({"modifiers": [Modifier("LT"), Modifier("LT")]}, "$.modifiers", "modifier-duplicate"),
        ({"ndc": NDC("00641036721")}, "$.ndc", "drug-fields-together"),
        ({"ndc": NDC("00641036721"), "drug_quantity": 0, "drug_unit": DrugUnit.MILLILITER},
         "$.drug_quantity", "positive"),
        ({"service_period": Period(DOS)}, "$.service_period", "open-period"),
        ({"unit": "UN"}, "$.unit", "type"),
        ({"code": ICD10CM("E11.9")}, "$.code", "type"),
    ],
)
def test_impossible_lines_raise(kwargs: dict[str, object], path: str, rule: str) -> None:
    """A line that no claim could carry is refused when built, naming the field."""
    fields: dict[str, object] = {"code": CPT("99213"), "service_period": DAY,
                                 "diagnosis_pointers": (1,)}
    fields.update(kwargs)
    with pytest.raises(ValidationError) as info:
        ProcedureLine(**fields)  # type: ignore[arg-type]
    assert (info.value.path, info.value.rule) == (path, rule)


def test_a_full_line_keeps_every_field() -> None:
    """A line with every field set keeps them, and MJ minutes are accepted."""
    npi = NPI("1234567893")
    line = ProcedureLine(code=CPT("00790"), service_period=DAY, diagnosis_pointers=[1, 2],
                         units=Decimal("95"), unit=UnitOfMeasure.MINUTES,
                         rendering_provider=npi, place_of_service=PlaceOfService("22"))

    assert line.diagnosis_pointers == (1, 2)
    assert line.unit is UnitOfMeasure.MINUTES
    assert line.rendering_provider == npi


def test_impossible_diagnoses_and_encounters_raise() -> None:
    """Bad sequences, no diagnosis, or a wrong type are refused."""
    with pytest.raises(ValidationError) as seq:
        Diagnosis(code=ICD10CM("E11.9"), sequence=0)
    assert seq.value.rule == "range"
    with pytest.raises(TypeMismatch):
        Diagnosis(code="E11.9", sequence=1)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as none:
        CodedEncounter(encounter=_office_visit(), diagnoses=[])
    assert none.value.rule == "diagnosis-required"
    with pytest.raises(ValidationError) as gap:
        CodedEncounter(encounter=_office_visit(),
                       diagnoses=[Diagnosis(code=ICD10CM("E11.9"), sequence=2)])
    assert (gap.value.path, gap.value.rule) == ("$.diagnoses[0].sequence", "diagnosis-sequence")
    with pytest.raises(ValidationError) as twice:
        code_encounter(_office_visit(), [Diagnosis(code=ICD10CM("E11.9"), sequence=1),
                                         Diagnosis(code=ICD10CM("I10"), sequence=1)],
                       [], _code_sets(), on=DOS)
    assert twice.value.rule == "diagnosis-sequence-duplicate"


def test_code_encounter_checks_its_arguments() -> None:
    """Wrong argument types raise TypeMismatch naming the argument."""
    visit, dx, sets = _office_visit(), _dx("E11.9"), _code_sets()
    with pytest.raises(TypeMismatch) as on:
        code_encounter(visit, dx, [], sets, on=datetime(2026, 3, 2, tzinfo=UTC))
    assert on.value.path == "$.on"
    with pytest.raises(TypeMismatch):
        code_encounter(visit, dx, [], None, on=DOS)  # type: ignore[arg-type]
    with pytest.raises(TypeMismatch):
        code_encounter(visit, dx, [], sets, on=DOS, sex="F")  # type: ignore[arg-type]
    with pytest.raises(TypeMismatch):
        code_encounter(visit, dx, [], sets, on=DOS, birth_date="1990-01-01")  # type: ignore[arg-type]
    with pytest.raises(TypeMismatch):
        code_encounter(visit, dx, [], sets, on=DOS, professional=1)  # type: ignore[arg-type]
    with pytest.raises(TypeMismatch):
        code_encounter(visit, ["E11.9"], [], sets, on=DOS)  # type: ignore[list-item]


def test_findings_check_their_fields() -> None:
    """A CodingFinding needs a rule, a severity and a message."""
    finding = CodingFinding(edit_id="x", severity=Severity.WARNING, message="m")
    assert finding.location == "$"
    assert not finding.is_error
    with pytest.raises(TypeMismatch):
        CodingFinding(edit_id="x", severity="error", message="m")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        CodingResult(coded=None, findings=())  # type: ignore[arg-type]
