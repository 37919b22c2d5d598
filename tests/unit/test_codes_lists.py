"""Code data: the shipped CARC and RARC lists, the loader for a caller's newer list, and a
one-year ICD-10-CM table that says which dates it covers."""

from __future__ import annotations

from datetime import date

import pytest

from claimcore.codes import (
    CARC,
    CARC_CODES,
    CARC_DESCRIPTIONS,
    ICD10CM,
    RARC,
    RARC_CODES,
    CodeEntry,
    CodeSet,
    CodeStatus,
    CodeSystem,
    RemittanceCode,
    RemittanceCodeList,
    carc_list,
    rarc_list,
)
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.periods import Period

# Descriptions below are claimcore's test wording, not X12's.
X12_STYLE = """\
1\tDeductible (test wording) Start: 01/01/1995 | Last Modified: 09/20/2009
45\tCharge above the contracted fee (test wording).
Usage: a second line of notes. Start: 01/01/1995 | Last Modified: 11/01/2017

25\tStop-loss deductible not met (test wording) Start: 01/01/1995 | Stop: 10/16/2003
"""


def test_shipped_lists_keep_the_old_names_working() -> None:
    """carc_list()/rarc_list() hold exactly the codes of CARC_CODES/RARC_CODES, with
    CARC_DESCRIPTIONS as descriptions; CARC.description still reads the same table."""
    carcs, rarcs = carc_list(), rarc_list()
    assert (len(carcs), len(rarcs)) == (345, 998)
    assert carcs.codes() == CARC_CODES and rarcs.codes() == RARC_CODES
    described = {e.code for e in carcs.entries if e.description is not None}
    assert described == set(CARC_DESCRIPTIONS)
    assert carcs.description(CARC("45")) == CARC("45").description
    assert rarcs.get(RARC("N130")) == RemittanceCode(code="N130")
    assert "299" not in carcs and CARC("A1") in carcs
    assert repr(carcs).endswith("entries=345)")


def test_x12_text_reads_with_its_dates() -> None:
    """X12's published form: dates come out of the description, a line without a code
    continues the one above, blank lines are skipped."""
    lst = RemittanceCodeList.from_text(X12_STYLE, system="CARC", version="X12 test")
    assert [e.code for e in lst.entries] == ["1", "45", "25"]
    one, fortyfive, twentyfive = lst.entries
    assert (one.description, one.start, one.stop) == (
        "Deductible (test wording)", date(1995, 1, 1), None)
    assert fortyfive.description == (
        "Charge above the contracted fee (test wording). Usage: a second line of notes.")
    assert twentyfive.stop == date(2003, 10, 16)
    assert lst.in_force("25", on=date(2003, 10, 15))
    assert not lst.in_force("25", on=date(2003, 10, 16))
    assert not lst.in_force("1", on=date(1994, 12, 31))
    assert not lst.in_force("2", on=date(2026, 1, 1))  # not on this list at all


def test_rows_read_with_any_date_form() -> None:
    """Rows (a caller's CSV) take ISO or MM/DD/YYYY dates, or dates; empty is unknown."""
    lst = RemittanceCodeList.from_rows(
        [{"code": "N130", "description": "Consult plan (test)", "start": "2002-04-01",
          "stop": ""},
         {"code": "MA01", "start": "01/01/1997", "stop": date(2030, 1, 1)}],
        system="RARC", version="caller's copy",
    )
    assert lst.get("N130") == RemittanceCode(code="N130", description="Consult plan (test)",
                                             start=date(2002, 4, 1))
    assert lst.get("MA01").stop == date(2030, 1, 1)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("rows", "path", "rule"),
    [
        ([{"code": "N1", "stopp": "2020-01-01"}], "$.rows[0]", "unknown-column"),
        ([{"code": "N1", "start": "2020-13-01"}], "$.rows[0].start", "date"),
        ([{"code": "N1", "start": "13/45/2020"}], "$.rows[0].start", "date"),
        ([{"code": "N1", "start": "2020-01-01", "stop": "2019-01-01"}], "$.rows[0].stop",
         "date-order"),
        ([{"code": "X9"}], "$.entries[0].code", "rarc-format"),
        ([{"code": "N1"}, {"code": "N1"}], "$.entries[1].code", "duplicate"),
        ([{"description": "no code"}], "$.rows[0].code", "required"),
    ],
)
def test_bad_rows_name_the_row(rows: list[dict[str, object]], path: str, rule: str) -> None:
    """A bad row fails as a ValidationError naming the row and the rule."""
    with pytest.raises(ValidationError) as err:
        RemittanceCodeList.from_rows(rows, system="RARC", version="v")
    assert (err.value.path, err.value.rule) == (path, rule)


def test_bad_text_and_system() -> None:
    """Text must start with a code; the system is CARC or RARC; text must be a str."""
    with pytest.raises(ValidationError) as err:
        RemittanceCodeList.from_text("no code here", system="CARC", version="v")
    assert (err.value.path, err.value.rule) == ("$.lines[1]", "format")
    with pytest.raises(ValidationError):
        RemittanceCodeList(system="ICD", version="v", entries=[])
    with pytest.raises(TypeMismatch):
        RemittanceCodeList.from_text(b"1 x", system="CARC", version="v")  # type: ignore[arg-type]


# -- a one-year ICD-10-CM table ---------------------------------------------------------

FY2026 = Period(date(2025, 10, 1), date(2026, 9, 30))


def one_year(covers: Period | None) -> CodeSet:
    return CodeSet(
        name="ICD-10-CM", system=CodeSystem.ICD10CM, version="FY2026", covers=covers,
        entries=[CodeEntry(code="E119", effective=FY2026)],
    )


def test_a_date_before_the_tables_year_is_not_covered() -> None:
    """E11.9 on 2025-09-30 against a FY2026 table: 'not covered', saying which dates the
    table covers, never 'not yet in force' (E11.9 existed then)."""
    check = one_year(FY2026).check(ICD10CM("E11.9"), on=date(2025, 9, 30))
    assert check.status is CodeStatus.NOT_COVERED
    assert check.rule == "code-not-covered"
    assert "covers 2025-10-01 to 2026-09-30 only" in check.message
    assert "not in force until" not in check.message
    assert one_year(FY2026).check(ICD10CM("E11.9"), on=date(2025, 10, 1)).ok


def test_without_covers_the_entries_dates_are_the_truth() -> None:
    """A table without covers keeps the old answer (the entry's own start date)."""
    check = one_year(None).check(ICD10CM("E11.9"), on=date(2025, 9, 30))
    assert check.status is CodeStatus.NOT_YET_IN_FORCE


def test_an_unknown_code_outside_the_year_is_not_covered_either() -> None:
    """Outside its year the table cannot say 'unknown' either."""
    check = one_year(FY2026).check(ICD10CM("Z00.00"), on=date(2024, 5, 1))
    assert check.status is CodeStatus.NOT_COVERED


def test_the_icd10cm_extra_covers_its_own_year() -> None:
    """load_icd10cm's table covers its start onward: E11.9 on 2025-09-30 is not covered."""
    pytest.importorskip("simple_icd_10_cm")
    from claimcore.codes import load_icd10cm

    table = load_icd10cm(descriptions=False)
    assert table.covers == Period(date(2025, 10, 1), None)
    check = table.check(ICD10CM("E11.9"), on=date(2025, 9, 30))
    assert check.status is CodeStatus.NOT_COVERED
    assert "covers from 2025-10-01 only" in check.message
