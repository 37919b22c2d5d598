"""Worked examples for CodeSet, CodeSets and the ICD-10-CM extra, on real codes."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest

from claimcore.codes import (
    CPT,
    HCPCS,
    ICD10CM,
    ICD10PCS,
    CodeEntry,
    CodeSet,
    CodeSets,
    CodeStatus,
    CodeSystem,
    Modifier,
    SexLimit,
)
from claimcore.errors import CodeSetError, TypeMismatch, ValidationError
from claimcore.periods import Period

FIXTURES = Path(__file__).parent.parent / "fixtures" / "codesets"
FY2026 = date(2025, 10, 1)


def _icd10cm_fy2026() -> CodeSet:
    with (FIXTURES / "icd10cm_fy2026_sample.csv").open() as f:
        rows = [
            {"code": r["code_nodot"], "start": FY2026,
             "billable": r["is_leaf_billable_derived"]}
            for r in csv.DictReader(f)
        ]
    return CodeSet.from_rows(rows, name="ICD-10-CM FY2026 sample",
                             system=CodeSystem.ICD10CM, version="2026-04-01")


def _hcpcs_2020() -> CodeSet:
    def iso(yyyymmdd: str) -> str:
        return f"{yyyymmdd[:4]}-{yyyymmdd[4:6]}-{yyyymmdd[6:]}" if yyyymmdd else ""

    with (FIXTURES / "hcpcs_2020_sample.csv").open() as f:
        rows = [
            {"code": r["code"], "start": iso(r["add_date"]), "end": iso(r["termination_date"]),
             "description": r["short_description"]}
            for r in csv.DictReader(f)
        ]
    return CodeSet.from_rows(rows, name="HCPCS 2020", system=CodeSystem.HCPCS, version="2020")


ON = date(2026, 2, 10)


# real ICD-10-CM codes ------------------------------------------------------------------


def test_header_and_billable_icd10cm_codes() -> None:
    """E11 and S72.001 are headers; E11.9 and S72.001A are billable."""
    icd = _icd10cm_fy2026()

    assert icd.check("E11", on=ON).status is CodeStatus.NOT_BILLABLE
    assert icd.check("E11.9", on=ON).status is CodeStatus.VALID
    assert icd.check(ICD10CM("S72001"), on=ON).status is CodeStatus.NOT_BILLABLE
    assert icd.check(ICD10CM("S72.001A"), on=ON).status is CodeStatus.VALID
    assert icd.is_valid("E119", on=ON)
    assert not icd.is_valid("E11", on=ON)
    assert icd.check("E11", on=ON).rule == "code-not-billable"
    assert "header code" in icd.check("E11", on=ON).message


def test_every_sample_row_answers_as_its_leaf_flag_says() -> None:
    """Each of the 42 sample codes is valid exactly when the source marks it billable."""
    icd = _icd10cm_fy2026()
    with (FIXTURES / "icd10cm_fy2026_sample.csv").open() as f:
        rows = list(csv.DictReader(f))

    assert len(icd) == 42
    for row in rows:
        expected = row["is_leaf_billable_derived"] == "True"
        assert icd.is_valid(row["code_dotted"], on=ON) is expected, row["code_dotted"]


def test_unknown_code() -> None:
    """A well-formed code the set lacks is unknown, and the message names the set."""
    check = _icd10cm_fy2026().check("Z99.89", on=ON)

    assert check.status is CodeStatus.UNKNOWN
    assert check.entry is None
    assert check.message == "ICD-10-CM code Z99.89 is not in ICD-10-CM FY2026 sample (2026-04-01)"
    assert not check.ok


def test_malformed_code_in_a_lookup_raises() -> None:
    """Asking about a malformed code is an error, not an 'unknown' answer."""
    with pytest.raises(ValidationError):
        _icd10cm_fy2026().check("E1", on=ON)
    with pytest.raises(TypeMismatch):
        _icd10cm_fy2026().lookup(CPT("99213"), on=ON)
    with pytest.raises(TypeMismatch):
        _icd10cm_fy2026().lookup(119, on=ON)  # type: ignore[arg-type]


def test_icd9_era_dates_are_not_called_malformed() -> None:
    """Before 1 October 2015 the answer is icd9_era, even for an ICD-9 code like 250.00."""
    icd = _icd10cm_fy2026()

    check = icd.check("250.00", on=date(2006, 3, 1))
    assert check.status is CodeStatus.ICD9_ERA
    assert check.rule == "icd9-era"
    assert "ICD-9-CM" in check.message
    assert icd.check("E11.9", on=date(2015, 9, 30)).status is CodeStatus.ICD9_ERA
    assert not icd.is_valid("E11.9", on=date(2015, 9, 30))
    bundle = CodeSets()
    assert bundle.check(ICD10CM("E11.9"), on=date(2015, 9, 30)).status is CodeStatus.ICD9_ERA
    assert bundle.check(ICD10PCS("0DTJ4ZZ"), on=date(2010, 1, 1)).status is CodeStatus.ICD9_ERA


# both sides of a 1 October change ---------------------------------------------------------


def _low_back_pain() -> CodeSet:
    """M54.5 low back pain was billable until FY2022 expanded it (1 October 2021)."""
    return CodeSet.from_rows(
        [
            {"code": "M54.5", "start": "2015-10-01", "end": "2021-09-30"},
            {"code": "M54.5", "start": "2021-10-01", "billable": False},
            {"code": "M54.50", "start": "2021-10-01"},
            {"code": "U07.1", "start": "2020-04-01"},
        ],
        name="ICD-10-CM history", system=CodeSystem.ICD10CM, version="2026",
    )


def test_validity_on_both_sides_of_a_1_october_change() -> None:
    """On 30 September 2021 M54.5 is billable; on 1 October it is a header and M54.50 is new."""
    icd = _low_back_pain()
    before, after = date(2021, 9, 30), date(2021, 10, 1)

    assert icd.check("M54.5", on=before).status is CodeStatus.VALID
    assert icd.check("M54.5", on=after).status is CodeStatus.NOT_BILLABLE
    assert icd.check("M54.50", on=before).status is CodeStatus.NOT_YET_IN_FORCE
    assert icd.check("M54.50", on=before).message == (
        "ICD-10-CM code M54.50 is not in force until 2021-10-01"
    )
    assert icd.check("M54.50", on=after).status is CodeStatus.VALID
    assert len(icd.entries_for("M54.5")) == 2
    assert icd.lookup("M54.5", on=after) == icd.entries_for("M54.5")[1]


def test_an_april_update() -> None:
    """U07.1 came in on 1 April 2020, outside the October cycle."""
    icd = _low_back_pain()

    assert icd.check("U07.1", on=date(2020, 3, 31)).status is CodeStatus.NOT_YET_IN_FORCE
    assert icd.check("U07.1", on=date(2020, 4, 1)).status is CodeStatus.VALID


# HCPCS retired on a termination date ---------------------------------------------------


def test_hcpcs_codes_retire_after_their_termination_date() -> None:
    """C9035 (2020 HCPCS file) was valid through 30 September 2019 and retired the next day."""
    hcpcs = _hcpcs_2020()

    assert hcpcs.check(HCPCS("C9035"), on=date(2019, 9, 30)).status is CodeStatus.VALID
    retired = hcpcs.check(HCPCS("C9035"), on=date(2019, 10, 1))
    assert retired.status is CodeStatus.RETIRED
    assert retired.rule == "code-retired"
    assert retired.message == "HCPCS code C9035 was retired on 2019-09-30 (its last day in force)"
    assert hcpcs.check("C9035", on=date(2018, 12, 31)).status is CodeStatus.NOT_YET_IN_FORCE
    # C9042 ended on 30 June, C9043 on 31 December 2019
    assert hcpcs.check("C9042", on=date(2019, 7, 1)).status is CodeStatus.RETIRED
    assert hcpcs.check("C9043", on=date(2019, 12, 31)).status is CodeStatus.VALID
    assert hcpcs.check("J1100", on=date(2026, 1, 5)).status is CodeStatus.VALID
    entry = hcpcs.lookup("J1100", on=date(2026, 1, 5))
    assert entry is not None
    assert entry.description == "Dexamethasone sodium phos"


def test_a_gap_between_entries_is_retired() -> None:
    """A code retired and re-activated is retired in the gap."""
    codes = CodeSet.from_rows(
        [{"code": "59", "start": "2016-01-01", "end": "2016-12-31"},
         {"code": "59", "start": "2018-01-01"}],
        name="modifiers", system=CodeSystem.MODIFIER, version="1",
    )

    assert codes.check(Modifier("59"), on=date(2017, 6, 1)).status is CodeStatus.RETIRED
    assert codes.check(Modifier("59"), on=date(2019, 6, 1)).status is CodeStatus.VALID
    assert Modifier("59") in codes
    assert Modifier("25") not in codes
    assert CPT("99213") not in codes
    assert "59" not in codes
    assert codes.codes() == frozenset({"59"})


# building code sets ----------------------------------------------------------------------


def test_rows_accept_dates_strings_and_flags() -> None:
    """Dates as date or ISO text, billable as bool or y/n, ages as int or digits."""
    codes = CodeSet.from_rows(
        [{"code": "O80", "start": date(2015, 10, 1), "end": None, "billable": "Y",
          "sex": "F", "min_age": "12", "max_age": 55, "description": ""},
         {"code": "N40.0", "start": "20151001", "billable": True, "sex": "M", "min_age": ""}],
        name="limits", system=CodeSystem.ICD10CM, version="1",
    )
    o80 = codes.lookup("O80", on=ON)
    assert o80 is not None
    assert (o80.sex, o80.min_age, o80.max_age, o80.description) == (SexLimit.FEMALE, 12, 55, None)
    assert o80.allows_age(12) and o80.allows_age(55)
    assert not o80.allows_age(11) and not o80.allows_age(56)
    n400 = codes.lookup("N400", on=ON)
    assert n400 is not None and n400.sex is SexLimit.MALE and n400.allows_age(90)


@pytest.mark.parametrize(
    ("row", "path", "rule"),
    [
        ({"code": "E11.9"}, "$.rows[0]", "missing-column"),
        ({"code": "E11.9", "start": "2020-01-01", "effective_from": "x"}, "$.rows[0]",
         "unknown-column"),
        ({"code": "E1", "start": "2020-01-01"}, "$.rows[0].code", "icd10cm-length"),
        ({"code": "E11.9", "start": "01/01/2020"}, "$.rows[0].start", "format"),
        ({"code": "E11.9", "start": "2020-01-01", "end": "2019-01-01"}, "$.rows[0].end",
         "end-before-start"),
        ({"code": "E11.9", "start": "2020-01-01", "billable": "maybe"}, "$.rows[0].billable",
         "type"),
        ({"code": "E11.9", "start": "2020-01-01", "sex": "X"}, "$.rows[0].sex", "format"),
        ({"code": "E11.9", "start": "2020-01-01", "min_age": -1}, "$.rows[0].min_age",
         "range"),
        ({"code": "E11.9", "start": "2020-01-01", "min_age": "\u0661\u0662"},
         "$.rows[0].min_age", "type"),  # Arabic-Indic digits are not an age
        ({"code": "E11.9", "start": "2020-01-01", "min_age": "151"}, "$.rows[0].min_age",
         "range"),
        ({"code": "E11.9", "start": "2020-01-01", "max_age": "9" * 5000},
         "$.rows[0].max_age", "range"),
        ({"code": "E11.9", "start": "2020-01-01", "min_age": 9, "max_age": 3},
         "$.rows[0].max_age", "age-range"),
        ({"code": "E11.9", "start": "2020-01-01", "description": "a\tb"},
         "$.rows[0].description", "description-format"),
        ({"code": CPT("99213"), "start": "2020-01-01"}, "$.rows[0].code", "type"),
    ],
)
def test_bad_rows_name_the_row_and_column(row: dict[str, object], path: str, rule: str) -> None:
    """Each bad row is refused with its position, column and rule."""
    with pytest.raises(ValidationError) as info:
        CodeSet.from_rows([row], name="x", system=CodeSystem.ICD10CM, version="1")
    assert (info.value.path, info.value.rule) == (path, rule)


def test_a_row_must_be_a_mapping() -> None:
    """A tuple row is refused."""
    with pytest.raises(TypeMismatch):
        CodeSet.from_rows([("E11.9", "2020-01-01")], name="x",  # type: ignore[list-item]
                          system=CodeSystem.ICD10CM, version="1")


def test_overlapping_entries_are_refused() -> None:
    """Two entries of one code in force on the same day cannot both answer."""
    with pytest.raises(ValidationError) as info:
        CodeSet.from_rows(
            [{"code": "E11.9", "start": "2020-01-01"},
             {"code": "E11.9", "start": "2021-01-01", "end": "2021-12-31"}],
            name="x", system=CodeSystem.ICD10CM, version="1",
        )
    assert info.value.rule == "codeset-overlap"
    assert "E11.9" in str(info.value)


def test_entries_must_hold_the_stored_form() -> None:
    """A CodeEntry built by hand with the dotted form is refused by the set."""
    entry = CodeEntry(code="E11.9", effective=Period(FY2026))
    with pytest.raises(ValidationError) as info:
        CodeSet(name="x", system=CodeSystem.ICD10CM, version="1", entries=[entry])
    assert info.value.rule == "codeset-not-canonical"
    assert info.value.path == "$.entries[0].code"
    with pytest.raises(ValidationError) as bad:
        CodeSet(name="x", system=CodeSystem.ICD10CM, version="1",
                entries=[CodeEntry(code="99213", effective=Period(FY2026))])
    assert bad.value.path == "$.entries[0].code"
    with pytest.raises(TypeMismatch):
        CodeSet(name="x", system=CodeSystem.ICD10CM, version="1",
                entries=["E119"])  # type: ignore[list-item]


def test_code_entry_checks_its_fields() -> None:
    """Each CodeEntry field is type-checked."""
    with pytest.raises(TypeMismatch):
        CodeEntry(code="E119", effective=Period(FY2026), billable=1)  # type: ignore[arg-type]
    with pytest.raises(TypeMismatch):
        CodeEntry(code="E119", effective=FY2026)  # type: ignore[arg-type]
    with pytest.raises(TypeMismatch):
        CodeEntry(code="E119", effective=Period(FY2026), sex="F")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        CodeEntry(code="E119", effective=Period(FY2026), max_age=151)


def test_lookup_needs_a_date() -> None:
    """A datetime is not a date of service."""
    with pytest.raises(TypeMismatch):
        _icd10cm_fy2026().lookup("E11.9", on=datetime(2026, 1, 1))
    with pytest.raises(TypeMismatch):
        _icd10cm_fy2026().check("E11.9", on="2026-01-01")  # type: ignore[arg-type]
    with pytest.raises(TypeMismatch):
        _icd10cm_fy2026().is_valid("E11.9", on=datetime(2026, 1, 1))


def test_code_system_maps_to_code_types() -> None:
    """Every system names its code type and back."""
    for system in CodeSystem:
        assert CodeSystem.of(system.code_type(_SAMPLES[system])) is system
    assert CodeSystem.ICD10CM.label == "ICD-10-CM"
    with pytest.raises(TypeMismatch):
        CodeSystem.of("E11.9")  # type: ignore[arg-type]


_SAMPLES = {
    CodeSystem.ICD10CM: "E119", CodeSystem.ICD10PCS: "0DTJ4ZZ", CodeSystem.CPT: "99213",
    CodeSystem.HCPCS: "J1100", CodeSystem.MODIFIER: "25", CodeSystem.PLACE_OF_SERVICE: "11",
    CodeSystem.REVENUE_CODE: "0450", CodeSystem.TYPE_OF_BILL: "111", CodeSystem.CARC: "45",
    CodeSystem.RARC: "N14", CodeSystem.NDC: "00777310502",
}


# CodeSets --------------------------------------------------------------------------------


def test_code_sets_dispatch_by_code_type() -> None:
    """The bundle asks the set of the code's own system."""
    bundle = CodeSets(icd10cm=_icd10cm_fy2026(), hcpcs=_hcpcs_2020())

    assert bundle.check(ICD10CM("E11.9"), on=ON).ok
    assert bundle.check(HCPCS("C9035"), on=ON).status is CodeStatus.RETIRED
    assert bundle.for_system(CodeSystem.HCPCS) is bundle.hcpcs
    assert bundle.for_system(CodeSystem.CARC) is None
    with pytest.raises(CodeSetError, match="no CPT code set"):
        bundle.check(CPT("99213"), on=ON)


def test_code_sets_refuse_a_set_in_the_wrong_slot() -> None:
    """An HCPCS set given as the ICD-10-CM one is refused."""
    with pytest.raises(ValidationError) as info:
        CodeSets(icd10cm=_hcpcs_2020())
    assert (info.value.path, info.value.rule) == ("$.icd10cm", "codeset-system")
    with pytest.raises(TypeMismatch):
        CodeSets(cpt="cpt")  # type: ignore[arg-type]


# the icd10cm extra -----------------------------------------------------------------------


def test_full_icd10cm_from_the_extra() -> None:
    """The extra loads ~98,000 codes, ~74,700 billable, headers and leaves as CMS says."""
    pytest.importorskip("simple_icd_10_cm")
    from claimcore.codes.icd10cm_data import load_icd10cm

    icd = load_icd10cm()

    assert len(icd) == 98186
    assert sum(e.billable for e in icd.entries) == 74719
    assert icd.check("E11", on=ON).status is CodeStatus.NOT_BILLABLE
    assert icd.check("E11.9", on=ON).status is CodeStatus.VALID
    assert icd.check("S72.001", on=ON).status is CodeStatus.NOT_BILLABLE
    assert icd.check("S72.001A", on=ON).status is CodeStatus.VALID
    e119 = icd.lookup("E11.9", on=ON)
    assert e119 is not None
    assert e119.description == "Type 2 diabetes mellitus without complications"
    # the table is one year's: before it, it cannot say (E11.9 existed then)
    assert icd.check("E11.9", on=date(2025, 9, 30)).status is CodeStatus.NOT_COVERED
    assert icd.version.startswith("simple-icd-10-cm ")


def test_the_extra_takes_its_period_and_may_drop_descriptions() -> None:
    """start/end bound every entry; descriptions=False leaves them out."""
    pytest.importorskip("simple_icd_10_cm")
    from claimcore.codes.icd10cm_data import load_icd10cm

    icd = load_icd10cm(start=date(2026, 4, 1), end=date(2026, 9, 30), descriptions=False)

    assert icd.check("E11.9", on=date(2026, 10, 1)).status is CodeStatus.NOT_COVERED
    entry = icd.lookup("QA0.0101", on=date(2026, 4, 1))
    assert entry is not None and entry.description is None


def test_without_the_extra_the_loader_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A missing package is a CodeSetError naming the extra."""
    import importlib

    from claimcore.codes import icd10cm_data

    real = importlib.import_module

    def fake(name: str, package: str | None = None) -> object:
        if name == "simple_icd_10_cm":
            raise ImportError(name)
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", fake)
    with pytest.raises(CodeSetError, match=r"claimcore\[icd10cm\]"):
        icd10cm_data.load_icd10cm()


def test_a_code_sets_repr_counts_its_entries_instead_of_listing_them() -> None:
    """A full table prints as one short line: name, system, version and how many entries."""
    from datetime import date

    from claimcore.codes import CodeEntry, CodeSet, CodeSystem
    from claimcore.periods import Period

    entries = [CodeEntry(code=f"E11{n}", effective=Period(date(2025, 10, 1)))
               for n in range(10)]
    table = CodeSet(name="ICD-10-CM test", system=CodeSystem.ICD10CM, version="2026",
                    entries=entries)
    assert repr(table) == (
        "CodeSet(name='ICD-10-CM test', system='icd10cm', version='2026', entries=10)"
    )
