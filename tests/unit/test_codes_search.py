"""CodeSet.search: words, stems, abbreviations, ranking, dates, and the full table."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcore.codes import (
    ABBREVIATIONS,
    HCPCS,
    ICD10CM,
    CodeEntry,
    CodeSet,
    CodeSystem,
    SearchHit,
    words,
)
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.periods import Period

ON = date(2026, 3, 2)


def _sample() -> CodeSet:
    rows: list[dict[str, object]] = [
        {"code": "E10", "start": "2015-10-01", "billable": False,
         "description": "Type 1 diabetes mellitus"},
        {"code": "E10.9", "start": "2015-10-01",
         "description": "Type 1 diabetes mellitus without complications"},
        {"code": "E11", "start": "2015-10-01", "billable": False,
         "description": "Type 2 diabetes mellitus"},
        {"code": "E11.8", "start": "2015-10-01",
         "description": "Type 2 diabetes mellitus with unspecified complications"},
        {"code": "E11.9", "start": "2015-10-01",
         "description": "Type 2 diabetes mellitus without complications"},
        {"code": "E11.A", "start": "2025-10-01",
         "description": "Type 2 diabetes mellitus without complications in remission"},
        {"code": "I10", "start": "2015-10-01",
         "description": "Essential (primary) hypertension",
         "terms": "High blood pressure|Hypertension (arterial) (benign) (essential)"},
        {"code": "I16.0", "start": "2018-10-01", "description": "Hypertensive urgency"},
        {"code": "I50.9", "start": "2015-10-01", "description": "Heart failure, unspecified",
         "terms": ["Congestive heart failure NOS"]},
        {"code": "N39.0", "start": "2015-10-01",
         "description": "Urinary tract infection, site not specified"},
        {"code": "P39.3", "start": "2015-10-01",
         "description": "Neonatal urinary tract infection"},
        {"code": "M54.5", "start": "2015-10-01", "end": "2021-09-30",
         "description": "Low back pain"},
        {"code": "M54.50", "start": "2021-10-01", "description": "Low back pain, unspecified"},
    ]
    return CodeSet.from_rows(rows, name="ICD-10-CM sample", system=CodeSystem.ICD10CM,
                             version="FY2026")


def test_type_2_diabetes_without_complications_finds_e11_9_first() -> None:
    """The issue's own example: every word matches E11.9, the least specific such code."""
    hits = _sample().search("type 2 diabetes without complications", on=ON)
    assert [str(h.code) for h in hits[:3]] == ["E11.9", "E11.A", "E10.9"]
    first = hits[0]
    assert first.matched == ("type", "2", "diabetes", "without", "complications")
    assert (first.score, first.of, first.billable) == (5, 5, True)
    assert first.why == ("5 of 5 words (type, 2, diabetes, without, complications) in its "
                         "description")
    assert hits[2].score == 4  # E10.9 lacks the "2"


def test_htn_finds_i10_by_the_abbreviation_table() -> None:
    hits = _sample().search("htn", on=ON)
    assert [str(h.code) for h in hits] == ["I10", "I16.0"]  # stems: hypertensive too
    assert hits[0].matched == ("hypertension (htn)",)
    assert "htn" in ABBREVIATIONS and ABBREVIATIONS["chf"] == "congestive heart failure"


def test_an_inclusion_term_matches_and_says_so() -> None:
    (hit,) = _sample().search("chf", on=ON)
    assert str(hit.code) == "I50.9"
    assert hit.source == "Congestive heart failure NOS"
    assert hit.why == ("3 of 3 words (congestive (chf), heart (chf), failure (chf)) in its "
                       "inclusion term 'Congestive heart failure NOS'")


def test_the_unspecified_code_comes_before_a_more_specific_one() -> None:
    hits = _sample().search("uti", on=ON)
    assert [str(h.code) for h in hits] == ["N39.0", "P39.3"]


def test_billable_codes_first_and_headers_only_when_asked() -> None:
    code_set = _sample()
    assert all(h.billable for h in code_set.search("diabetes", on=ON, limit=50))
    hits = code_set.search("diabetes mellitus", on=ON, billable_only=False, limit=50)
    assert {str(h.code) for h in hits if not h.billable} == {"E10", "E11"}
    flags = [h.billable for h in hits]
    assert flags == sorted(flags, reverse=True)  # every billable code before any header


def test_more_matched_words_rank_first_even_over_billable() -> None:
    hits = _sample().search("type 1 diabetes", on=ON, billable_only=False, limit=50)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert [str(h.code) for h in hits[:2]] == ["E10.9", "E10"]


def test_only_codes_in_force_on_the_date() -> None:
    code_set = _sample()
    assert [str(h.code) for h in code_set.search("low back pain", on=date(2021, 9, 30))] == [
        "M54.5"]
    assert [str(h.code) for h in code_set.search("low back pain", on=ON)] == ["M54.50"]
    before = code_set.search("remission", on=date(2025, 9, 30))
    assert before == ()
    assert code_set.search("diabetes", on=date(2015, 9, 30)) == ()  # ICD-9-CM then


def test_limit_and_no_match() -> None:
    code_set = _sample()
    assert len(code_set.search("diabetes", on=ON, limit=2)) == 2
    assert code_set.search("zebra", on=ON) == ()
    assert code_set.search("  ,, ", on=ON) == ()


def test_stems_and_case() -> None:
    assert words("Diabetic DIABETES diabetes") == ("diabet",)
    assert words("hypertensive hypertension") == ("hypertens",)
    assert words("fractures fracture") == ("fractur",)
    assert words("bodies body") == ("body",)
    code_set = _sample()
    assert [h.code for h in code_set.search("HYPERTENSIVE", on=ON)] == [
        ICD10CM("I10"), ICD10CM("I16.0")]


def test_the_callers_abbreviations() -> None:
    hits = _sample().search("lbp", on=ON, abbreviations={"lbp": "low back pain"})
    assert [str(h.code) for h in hits] == ["M54.50"]
    assert hits[0].matched == ("low (lbp)", "back (lbp)", "pain (lbp)")


def test_bad_arguments_are_typed_errors() -> None:
    code_set = _sample()
    with pytest.raises(TypeMismatch):
        code_set.search(42, on=ON)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as info:
        code_set.search("x" * 501, on=ON)
    assert info.value.path == "$.text"
    with pytest.raises(ValidationError):
        code_set.search("x", on=ON, limit=0)
    with pytest.raises(TypeMismatch):
        code_set.search("x", on="2026-03-02")  # type: ignore[arg-type]
    with pytest.raises(TypeMismatch):
        code_set.search("x", on=ON, billable_only=1)  # type: ignore[arg-type]


def test_terms_are_texts_and_checked() -> None:
    with pytest.raises(TypeMismatch):
        CodeEntry(code="I10", effective=Period(ON), terms="High blood pressure")
    with pytest.raises(ValidationError) as info:
        CodeEntry(code="I10", effective=Period(ON), terms=("ok", "bad\x00"))
    assert info.value.path == "$.terms[1]"


def test_search_works_for_other_systems() -> None:
    hcpcs = CodeSet.from_rows(
        [{"code": "J1100", "start": "1982-01-01", "description": "Dexamethasone sodium phos"},
         {"code": "A0428", "start": "2000-01-01", "description": "BLS"}],
        name="HCPCS", system=CodeSystem.HCPCS, version="2026")
    (hit,) = hcpcs.search("dexamethasone", on=ON)
    assert hit.code == HCPCS("J1100") and isinstance(hit, SearchHit)


# the property: hits are billable and valid on the date ----------------------------------

_WORDS = ("acute", "chronic", "pain", "fracture", "infection", "diabetes", "heart",
          "failure", "left", "right", "unspecified", "type", "2")


@st.composite
def _code_sets(draw: st.DrawFn) -> CodeSet:
    codes = draw(st.lists(st.from_regex(r"[A-Z][0-9]{2}[0-9A-Z]{0,2}", fullmatch=True),
                          min_size=1, max_size=25, unique=True))
    rows = []
    for code in codes:
        start = draw(st.dates(date(2015, 10, 1), date(2026, 12, 31)))
        end = draw(st.none() | st.dates(start, date(2027, 12, 31)))
        rows.append({
            "code": code, "start": start, "end": end, "billable": draw(st.booleans()),
            "description": " ".join(draw(st.lists(st.sampled_from(_WORDS), min_size=1,
                                                  max_size=5))),
        })
    return CodeSet.from_rows(rows, name="generated", system=CodeSystem.ICD10CM,
                             version="test")


@settings(max_examples=150, deadline=None)
@given(_code_sets(), st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3),
       st.dates(date(2015, 10, 1), date(2027, 12, 31)), st.integers(1, 30))
def test_search_returns_billable_codes_valid_on_the_date(
    code_set: CodeSet, query: list[str], on: date, limit: int
) -> None:
    hits = code_set.search(" ".join(query), on=on, limit=limit)
    assert len(hits) <= limit
    for hit in hits:
        assert hit.billable and code_set.is_valid(hit.code, on=on)
        assert hit.score >= 1 and set(hit.matched) <= set(query)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    # nothing better was left out: every valid code matching all the words is found
    wanted = {s for w in query for s in words(w)}
    full = {e.code for e in code_set.entries
            if e.billable and e.effective.contains(on)
            and wanted <= set(words(e.description or ""))}
    if len(full) <= limit:
        assert full <= {h.code.code for h in hits}


# the full ICD-10-CM table --------------------------------------------------------------


@pytest.fixture(scope="module")
def full() -> CodeSet:
    pytest.importorskip("simple_icd_10_cm")
    from claimcore.codes.icd10cm_data import load_icd10cm

    return load_icd10cm()


def test_the_full_table(full: CodeSet) -> None:
    assert str(full.search("type 2 diabetes without complications", on=ON)[0].code) == "E11.9"
    assert str(full.search("htn", on=ON)[0].code) == "I10"
    assert str(full.search("copd", on=ON, limit=30)[0].code).startswith("J44")
    assert str(full.search("uti", on=ON)[0].code) == "N39.0"
    assert str(full.search("headache", on=ON)[0].code) == "R51.9"
    assert str(full.search("chf", on=ON)[0].code) == "I50.9"
    for query in ("fracture of neck of right femur", "dm2", "gerd", "acute bronchitis"):
        hits = full.search(query, on=ON, limit=20)
        assert hits and all(full.is_valid(h.code, on=ON) for h in hits)


def test_the_full_table_carries_inclusion_terms(full: CodeSet) -> None:
    entry = full.lookup("I50.9", on=ON)
    assert entry is not None and "Congestive heart failure NOS" in entry.terms
