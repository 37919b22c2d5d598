"""Laws of the code types and code sets."""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcore.codes import (
    CARC,
    CPT,
    HCPCS,
    ICD10CM,
    ICD10PCS,
    NDC,
    PLACES_OF_SERVICE,
    RARC,
    AdjustmentGroup,
    ClaimFrequency,
    ClaimStatusCode,
    Code,
    CodeCheck,
    CodeEntry,
    CodeSet,
    CodeSets,
    CodeStatus,
    Modifier,
    PlaceOfService,
    RevenueCode,
    TypeOfBill,
)
from claimcore.coding import CodedEncounter, CodingResult, code_encounter
from claimcore.errors import ValidationError
from claimcore.periods import Period
from claimcore.serialization import make_converter
from claimcore.strategies import (
    carcs,
    code_entries,
    code_set_bundles,
    code_sets,
    coded_encounters,
    cpt_codes,
    dates,
    hcpcs_codes,
    icd10cm_codes,
    icd10pcs_codes,
    modifiers,
    ndcs,
    places_of_service,
    rarcs,
    revenue_codes,
    types_of_bill,
)

_ALL_CODES = st.one_of(
    icd10cm_codes(), icd10pcs_codes(), cpt_codes(), hcpcs_codes(), modifiers(),
    places_of_service(), revenue_codes(), types_of_bill(), carcs(), rarcs(), ndcs(),
)


def _matches(pattern: str) -> Callable[[str], bool]:
    compiled = re.compile(pattern)
    return lambda s: compiled.fullmatch(s) is not None


def _icd10cm_ok(s: str) -> bool:
    if len(s) > 4 and s[3] == ".":
        s = s[:3] + s[4:]
    return re.fullmatch(r"(?:[A-Z][0-9]|Q[A-Z])[0-9A-Z]{1,5}", s) is not None


def _tob_ok(s: str) -> bool:
    if len(s) == 4 and s[0] == "0":
        s = s[1:]
    return re.fullmatch(r"[1-8][1-9][0-9A-Z]", s) is not None


# An independent statement of each format, written from the specifications.
_REFERENCE: dict[type[Code], Callable[[str], bool]] = {
    ICD10CM: _icd10cm_ok,
    ICD10PCS: _matches(r"[0-9A-HJ-NP-Z]{7}"),
    CPT: _matches(r"[0-9]{4}[0-9FT]"),
    HCPCS: _matches(r"[A-V][0-9]{4}"),
    Modifier: _matches(r"[0-9A-Z]{2}"),
    PlaceOfService: lambda s: s in PLACES_OF_SERVICE,
    RevenueCode: _matches(r"[0-9]{4}"),
    TypeOfBill: _tob_ok,
    CARC: _matches(r"[1-9][0-9]{0,2}|[A-Z][0-9]{1,2}"),
    RARC: _matches(r"(M|N|MA)[0-9]{1,3}"),
    NDC: _matches(
        r"[0-9]{11}|[0-9]{4}-[0-9]{4}-[0-9]{2}|[0-9]{5}-[0-9]{3}-[0-9]{2}"
        r"|[0-9]{5}-[0-9]{4}-[0-9]{1,2}"
    ),
}


@given(_ALL_CODES)
def test_every_generated_code_passes_its_format_check(code: Code) -> None:
    """A generated code's stored and display forms are both accepted back, unchanged."""
    cls = type(code)

    assert _REFERENCE[cls](code.code)
    assert cls(str(code)) == code
    assert cls(code.code) == code
    assert str(cls(str(code))) == str(code)


@given(_ALL_CODES, st.data())
def test_every_single_character_corruption_that_breaks_the_format_is_refused(
    code: Code, data: st.DataObject
) -> None:
    """Change one character: refused exactly when the specification says it is malformed."""
    cls = type(code)
    shown = data.draw(st.sampled_from([str(code), code.code]))
    at = data.draw(st.integers(0, len(shown) - 1))
    replacement = data.draw(st.sampled_from(string.printable.strip() + " "))
    corrupted = shown[:at] + replacement + shown[at + 1:]

    if _REFERENCE[cls](corrupted):
        assert _REFERENCE[cls](cls(corrupted).code)
    else:
        with pytest.raises(ValidationError) as info:
            cls(corrupted)
        assert info.value.path == "$.code"
        assert info.value.rule != "invalid"


@given(code_sets(), dates(min_value=date(2015, 10, 1)), st.data())
def test_lookup_agrees_with_a_brute_force_scan(
    code_set: CodeSet, on: date, data: st.DataObject
) -> None:
    """lookup by hashing finds exactly the entry a scan of every entry finds."""
    keys = sorted(code_set.codes())
    pick_known = data.draw(st.booleans())
    if keys and pick_known:
        key: str = data.draw(st.sampled_from(keys))
    else:
        key = data.draw(st.from_type(code_set.system.code_type)).code

    scanned = [e for e in code_set.entries if e.code == key and e.effective.contains(on)]
    found = code_set.lookup(key, on=on)

    assert len(scanned) <= 1
    assert found == (scanned[0] if scanned else None)
    status = code_set.check(key, on=on).status
    if not scanned:
        assert status in {CodeStatus.UNKNOWN, CodeStatus.NOT_YET_IN_FORCE, CodeStatus.RETIRED}
        assert (status is CodeStatus.UNKNOWN) is (not any(e.code == key for e in code_set.entries))
    else:
        assert status is (CodeStatus.VALID if scanned[0].billable else CodeStatus.NOT_BILLABLE)
    assert code_set.is_valid(key, on=on) is (status is CodeStatus.VALID)


@given(code_sets(), dates(min_value=date(2015, 10, 1)))
def test_not_yet_and_retired_are_told_apart_by_the_first_start(
    code_set: CodeSet, on: date
) -> None:
    """A code not in force is 'not yet' before its first entry, 'retired' after it."""
    for key in code_set.codes():
        entries = code_set.entries_for(key)
        status = code_set.check(key, on=on).status
        if status is CodeStatus.NOT_YET_IN_FORCE:
            assert on < entries[0].effective.start
        elif status is CodeStatus.RETIRED:
            assert on > entries[0].effective.start


def _roundtrip_values() -> st.SearchStrategy[Any]:
    checks = st.builds(
        lambda cs, on: [cs.check(k, on=on) for k in sorted(cs.codes())],
        code_sets(max_codes=3), dates(min_value=date(2015, 10, 1)),
    ).flatmap(lambda cs: st.sampled_from(cs) if cs else st.nothing())
    return st.one_of(
        _ALL_CODES,
        st.sampled_from(AdjustmentGroup),
        st.sampled_from(ClaimStatusCode),
        st.sampled_from(ClaimFrequency),
        st.from_type(CodeEntry),
        code_sets(max_codes=4),
        code_set_bundles(),
        checks,
    )


@given(_roundtrip_values())
def test_every_public_type_round_trips_through_the_converter(value: Any) -> None:
    """structure(unstructure(v)) == v, and codes travel as bare strings."""
    conv = make_converter()

    raw = conv.unstructure(value)
    assert conv.structure(raw, type(value)) == value
    if isinstance(value, Code):
        assert raw == str(value)
    if isinstance(value, CodeCheck):
        assert raw["code"] == value.code


@given(code_set_bundles())
def test_a_bundle_answers_with_the_set_of_the_codes_system(bundle: CodeSets) -> None:
    """CodeSets.check gives the same answer as the set of the code's system."""
    for code_set in (bundle.icd10cm, bundle.cpt, bundle.hcpcs, bundle.modifiers):
        if code_set is None:
            continue
        for key in sorted(code_set.codes()):
            code = code_set.system.code_type(key)
            on = code_set.entries_for(key)[0].effective.start
            assert bundle.check(code, on=on) == code_set.check(code, on=on)


@settings(max_examples=30)
@given(coded_encounters())
def test_coded_encounters_round_trip_and_recode_to_themselves(coded: CodedEncounter) -> None:
    """A generated coded encounter round-trips, and coding it again changes nothing."""
    conv = make_converter()

    assert conv.structure(conv.unstructure(coded), CodedEncounter) == coded
    first = coded.diagnoses[0].code
    result = code_encounter(
        coded.encounter, list(reversed(coded.diagnoses)), coded.procedures, CodeSets(),
        on=date(2026, 1, 5), professional=False,
    )
    assert result.coded == coded
    assert result.coded.principal.code == first
    rules = {f.rule for f in result.findings}
    assert rules <= {"code-not-checked", "poa-missing", "poa-not-applicable"}
    assert result.ok
    assert conv.structure(conv.unstructure(result), CodingResult) == result


@given(modifiers(known_only=True), st.data())
def test_known_modifiers_have_a_meaning_and_entries_keep_their_code(
    modifier: Modifier, data: st.DataObject
) -> None:
    """A known modifier has a description; a generated entry holds the code's stored form."""
    assert modifier.description is not None
    entry = data.draw(code_entries(modifier, effective=Period(date(2020, 1, 1))))
    assert entry.code == modifier.code
    assert entry.min_age is None or entry.max_age is None or entry.min_age <= entry.max_age
