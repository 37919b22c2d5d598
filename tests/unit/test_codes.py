"""Worked examples for the typed codes of claimcore.codes."""

from __future__ import annotations

import csv
from pathlib import Path

import attrs
import pytest

from claimcore.codes import (
    CARC,
    CARC_CODES,
    CARC_DESCRIPTIONS,
    CPT,
    DISTINCT_PROCEDURAL,
    HCPCS,
    ICD10CM,
    ICD10PCS,
    MODIFIERS,
    NDC,
    PLACES_OF_SERVICE,
    RARC,
    RARC_CODES,
    AdjustmentGroup,
    ClaimFrequency,
    ClaimStatusCode,
    Code,
    CPTCategory,
    Modifier,
    PlaceOfService,
    RevenueCode,
    TypeOfBill,
    procedure_code,
)
from claimcore.errors import TypeMismatch, ValidationError

FIXTURES = Path(__file__).parent.parent / "fixtures" / "codesets"


def _rule(call: object, *args: object) -> str:
    assert callable(call)
    with pytest.raises(ValidationError) as info:
        call(*args)
    return info.value.rule


# ICD-10-CM ---------------------------------------------------------------------------


def test_icd10cm_is_stored_without_the_dot_and_shown_with_it() -> None:
    """E11.9 and E119 are the same code, kept as E119 and shown as E11.9."""
    dotted, plain = ICD10CM("E11.9"), ICD10CM("E119")

    assert dotted == plain
    assert dotted.code == "E119"
    assert str(dotted) == "E11.9"
    assert repr(dotted) == "ICD10CM('E11.9')"
    assert str(ICD10CM("I10")) == "I10"
    assert hash(dotted) == hash(plain)


def test_icd10cm_parts() -> None:
    """The category is the first three characters; the 7th character is the extension."""
    fracture = ICD10CM("S72.001A")

    assert fracture.category == "S72"
    assert fracture.extension == "A"
    assert ICD10CM("T14.8XXA").extension == "A"
    assert ICD10CM("E11.9").extension is None


def test_icd10cm_accepts_u_and_the_qa_block() -> None:
    """U07.1 (COVID-19) and QA0.0101 (added 1 April 2026) are real codes."""
    assert str(ICD10CM("U07.1")) == "U07.1"
    assert str(ICD10CM("QA00101")) == "QA0.0101"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("E1", "icd10cm-length"),
        ("E119ABCD", "icd10cm-length"),
        ("e11.9", "icd10cm-first-letter"),
        ("111", "icd10cm-first-letter"),
        ("EA1", "icd10cm-second-digit"),
        ("E1*", "icd10cm-third-character"),
        ("E11.", "icd10cm-dot"),
        ("E1.19", "icd10cm-dot"),
        ("E11.9.", "icd10cm-dot"),
        ("E11.9a", "icd10cm-characters"),
        ("", "icd10cm-length"),
    ],
)
def test_icd10cm_refuses_each_broken_rule(text: str, rule: str) -> None:
    """A malformed ICD-10-CM code names the rule it breaks."""
    assert _rule(ICD10CM, text) == rule


def test_icd10cm_error_names_the_path_and_code() -> None:
    """The message says which field, which code and what is wrong."""
    with pytest.raises(ValidationError) as info:
        ICD10CM("1E1")

    assert info.value.path == "$.code"
    assert "'1E1'" in str(info.value)
    assert "first character" in str(info.value)


def test_a_code_must_be_a_str() -> None:
    """A number or None is a TypeMismatch, not a ValueError about format."""
    with pytest.raises(TypeMismatch) as info:
        ICD10CM(119)  # type: ignore[arg-type]
    assert info.value.rule == "type"
    with pytest.raises(TypeMismatch):
        CPT(None)  # type: ignore[arg-type]


def test_thirty_real_icd10cm_codes_are_well_formed() -> None:
    """Every code of the FY2026 sample parses, and shows back as its dotted form."""
    with (FIXTURES / "icd10cm_fy2026_sample.csv").open() as f:
        rows = list(csv.DictReader(f))

    assert len(rows) >= 30
    for row in rows:
        code = ICD10CM(row["code_dotted"])
        assert code.code == row["code_nodot"]
        assert str(code) == row["code_dotted"]
        assert ICD10CM(row["code_nodot"]) == code


# ICD-10-PCS --------------------------------------------------------------------------


def test_icd10pcs() -> None:
    """Seven characters from digits and letters other than O and I."""
    assert ICD10PCS("0DTJ4ZZ").code == "0DTJ4ZZ"
    assert _rule(ICD10PCS, "0DTJ4Z") == "icd10pcs-length"
    assert _rule(ICD10PCS, "0DTJ4ZO") == "icd10pcs-character"
    assert _rule(ICD10PCS, "0DTJ4ZI") == "icd10pcs-character"
    assert _rule(ICD10PCS, "0dtj4zz") == "icd10pcs-character"


# CPT and HCPCS -----------------------------------------------------------------------


def test_cpt_categories() -> None:
    """Five digits is Category I; nnnnF Category II; nnnnT Category III."""
    assert CPT("99213").category is CPTCategory.CATEGORY_I
    assert CPT("3074F").category is CPTCategory.CATEGORY_II
    assert CPT("0042T").category is CPTCategory.CATEGORY_III


@pytest.mark.parametrize(
    ("text", "rule"),
    [("9921", "cpt-length"), ("992134", "cpt-length"), ("J1100", "cpt-format"),
     ("9921X", "cpt-format"), ("99 13", "cpt-format")],
)
def test_cpt_refusals(text: str, rule: str) -> None:
    """A malformed CPT code names the rule it breaks."""
    assert _rule(CPT, text) == rule


def test_cpt_refusal_of_a_hcpcs_code_points_at_hcpcs() -> None:
    """A letter-first code given as CPT says it looks like HCPCS."""
    with pytest.raises(ValidationError, match="HCPCS"):
        CPT("J1100")


def test_hcpcs() -> None:
    """A letter A to V and four digits."""
    assert HCPCS("J1100").letter == "J"
    assert _rule(HCPCS, "J110") == "hcpcs-length"
    assert _rule(HCPCS, "W1100") == "hcpcs-first-letter"
    assert _rule(HCPCS, "j1100") == "hcpcs-first-letter"
    assert _rule(HCPCS, "J11A0") == "hcpcs-digits"


def test_procedure_code_dispatches_on_the_first_character() -> None:
    """A leading letter makes a HCPCS code, a leading digit a CPT code."""
    assert procedure_code("G0438") == HCPCS("G0438")
    assert procedure_code("99214") == CPT("99214")
    assert procedure_code("0042T") == CPT("0042T")
    assert _rule(procedure_code, "") == "cpt-length"
    assert _rule(procedure_code, "Z1234") == "hcpcs-first-letter"
    with pytest.raises(TypeMismatch):
        procedure_code(99214)  # type: ignore[arg-type]


def test_codes_of_different_types_never_compare_equal() -> None:
    """Same text, different code systems: not equal."""
    modifier: object = Modifier("25")
    carc: object = CARC("1")
    assert modifier != PlaceOfService("25")
    assert RevenueCode("0450") != Code("0450")
    assert carc != "1"


def test_codes_sort_within_a_type() -> None:
    """Codes of one type order by their stored form."""
    assert sorted([CPT("99214"), CPT("99213"), CPT("0042T")]) == [
        CPT("0042T"), CPT("99213"), CPT("99214")
    ]


def test_codes_are_frozen() -> None:
    """A code cannot be changed after it is built."""
    code = CPT("99213")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        code.code = "99214"  # type: ignore[misc]


def test_the_base_code_checks_only_emptiness() -> None:
    """The Code base type accepts any non-empty str."""
    assert str(Code("anything")) == "anything"
    assert _rule(Code, "") == "empty"


# modifiers, places of service --------------------------------------------------------


def test_modifiers() -> None:
    """Two digits or uppercase letters; common ones carry our meaning."""
    assert Modifier("25").description is not None
    assert Modifier("Z9").description is None
    assert _rule(Modifier, "5") == "modifier-format"
    assert _rule(Modifier, "lt") == "modifier-format"
    assert len(MODIFIERS) >= 40
    for needed in ("59", "25", "26", "TC", "50", "LT", "RT", "XE", "XS", "XP", "XU", "76",
                   "77", "91", "GA", "GY", "GZ", "KX"):
        assert needed in MODIFIERS
    assert {str(m) for m in DISTINCT_PROCEDURAL} == {"59", "XE", "XS", "XP", "XU"}


def test_places_of_service_match_the_cms_list() -> None:
    """The shipped table holds exactly the codes of the CMS list (pyx12 copy)."""
    with (FIXTURES / "pos_codes_pyx12.csv").open() as f:
        codes = {row["code"] for row in csv.DictReader(f)}

    assert set(PLACES_OF_SERVICE) == codes
    assert PlaceOfService("11").name == "office"
    assert _rule(PlaceOfService, "1") == "pos-format"
    assert _rule(PlaceOfService, "30") == "pos-unknown"
    assert _rule(PlaceOfService, "98") == "pos-unknown"


# institutional -----------------------------------------------------------------------


def test_revenue_codes() -> None:
    """Four digits; three digits refused with a hint instead of padding."""
    assert RevenueCode("0450").category == "045"
    with pytest.raises(ValidationError) as info:
        RevenueCode("450")
    assert info.value.rule == "revenue-code-three-digits"
    assert "'0450'" in str(info.value)
    assert _rule(RevenueCode, "04500") == "revenue-code-format"
    assert _rule(RevenueCode, "045A") == "revenue-code-format"


def test_type_of_bill() -> None:
    """Three characters (or four with a leading 0) with a frequency."""
    tob = TypeOfBill("0117")

    assert tob == TypeOfBill("117")
    assert str(tob) == "117"
    assert tob.facility_type == "1"
    assert tob.bill_classification == "1"
    assert tob.facility_code == "11"
    assert tob.frequency == "7"
    assert tob.claim_frequency is ClaimFrequency.REPLACEMENT
    assert TypeOfBill("131").claim_frequency is ClaimFrequency.ORIGINAL
    assert TypeOfBill("112").claim_frequency is None


@pytest.mark.parametrize(
    ("text", "rule"),
    [("1117", "tob-leading-zero"), ("11", "tob-length"), ("01170", "tob-length"),
     ("911", "tob-facility-type"), ("101", "tob-classification"), ("11a", "tob-frequency")],
)
def test_type_of_bill_refusals(text: str, rule: str) -> None:
    """A malformed type of bill names the rule it breaks."""
    assert _rule(TypeOfBill, text) == rule


def test_claim_frequency() -> None:
    """Replacement and void need the original claim number; an original does not."""
    assert not ClaimFrequency.ORIGINAL.requires_original_claim_number
    assert ClaimFrequency("7").requires_original_claim_number
    assert ClaimFrequency("8").requires_original_claim_number
    with pytest.raises(ValidationError) as info:
        ClaimFrequency("2")
    assert info.value.rule == "claim-frequency-unknown"


# NDC -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "eleven"),
    [
        ("0777-3105-02", "00777310502"),   # 4-4-2
        ("50242-040-62", "50242004062"),   # 5-3-2
        ("60575-4112-1", "60575411201"),   # 5-4-1
        ("00777-3105-02", "00777310502"),  # already 5-4-2
        ("00777310502", "00777310502"),    # 11 digits
    ],
)
def test_ndc_forms_normalise_to_eleven_digits(text: str, eleven: str) -> None:
    """Every hyphenated 10-digit form pads its short segment with a zero."""
    ndc = NDC(text)

    assert ndc.code == eleven
    assert str(ndc) == eleven
    assert NDC(str(ndc)) == ndc
    assert ndc.hyphenated == f"{eleven[:5]}-{eleven[5:9]}-{eleven[9:]}"


def test_ndc_refuses_the_ambiguous_ten_digit_form() -> None:
    """Ten digits without hyphens could be any of three layouts: refused."""
    with pytest.raises(ValidationError) as info:
        NDC("0777310502")
    assert info.value.rule == "ndc-ambiguous-ten-digits"
    assert "ambiguous" in str(info.value)


@pytest.mark.parametrize("text", ["0777-3105-2", "777-3105-02", "12345-67-89", "1234567890a",
                                  "0777-3105-02-", "123456789012"])
def test_ndc_refuses_other_forms(text: str) -> None:
    """Other layouts are format errors."""
    assert _rule(NDC, text) == "ndc-format"


# remittance codes ------------------------------------------------------------------------


def test_carc() -> None:
    """1-3 digits without a leading zero, or a letter and 1-2 digits."""
    assert CARC("45").description == "charge exceeds the fee schedule or contracted amount"
    assert CARC("45").is_known
    assert CARC("299").is_known is False  # newer than the shipped list, still accepted
    assert CARC("A2").description == "contractual adjustment"
    assert CARC("P1").is_known
    assert CARC("7").description is not None
    assert CARC("200").description is None
    for bad in ("045", "1000", "AB", "A123", "a1", ""):
        assert _rule(CARC, bad) == "carc-format"


def test_carc_tables() -> None:
    """The shipped list covers 1-268 and the lettered groups; descriptions are a subset."""
    assert {"1", "2", "3", "45", "97", "253", "A1", "B7", "P1", "W1"} <= CARC_CODES
    assert len(CARC_CODES) == 345
    assert set(CARC_DESCRIPTIONS) <= CARC_CODES
    assert len(CARC_DESCRIPTIONS) >= 60


def test_rarc_matches_the_pyx12_list() -> None:
    """Every RARC of the pyx12 list is shipped, well formed and known."""
    with (FIXTURES / "rarc_codes_pyx12.csv").open() as f:
        codes = {row["code"] for row in csv.DictReader(f)}

    assert codes == RARC_CODES
    assert all(RARC(c).is_known for c in codes)
    assert RARC("N999").is_known is False
    for bad in ("N", "X14", "MA1234", "n14"):
        assert _rule(RARC, bad) == "rarc-format"


def test_adjustment_groups_refuse_cr_saying_why() -> None:
    """CR was removed in 5010: the refusal says so."""
    assert AdjustmentGroup("PR").description == "patient responsibility"
    assert {g.value for g in AdjustmentGroup} == {"CO", "OA", "PI", "PR"}
    with pytest.raises(ValidationError) as info:
        AdjustmentGroup("CR")
    assert info.value.rule == "adjustment-group-cr-removed"
    assert "5010" in str(info.value)
    with pytest.raises(ValidationError) as other:
        AdjustmentGroup("XX")
    assert other.value.rule == "adjustment-group-unknown"


@pytest.mark.parametrize(
    ("value", "processed", "crossover", "reversal", "order"),
    [
        ("1", True, False, False, 1),
        ("2", True, False, False, 2),
        ("3", True, False, False, 3),
        ("4", False, False, False, None),
        ("19", True, True, False, 1),
        ("20", True, True, False, 2),
        ("21", True, True, False, 3),
        ("22", False, False, True, None),
        ("23", False, False, False, None),
        ("25", False, False, False, None),
    ],
)
def test_claim_status_codes(
    value: str, processed: bool, crossover: bool, reversal: bool, order: int | None
) -> None:
    """Each 835 CLP02 status says whether it was processed, forwarded or reversed."""
    status = ClaimStatusCode(value)

    assert status.is_processed is processed
    assert status.is_crossover is crossover
    assert status.is_reversal is reversal
    assert status.payer_order == order
    assert status.is_denied is (value == "4")
    assert status.description


def test_claim_status_refuses_unknown_codes() -> None:
    """A status outside the 835 list is refused with a rule id."""
    with pytest.raises(ValidationError) as info:
        ClaimStatusCode("5")
    assert info.value.rule == "claim-status-unknown"
