"""Worked examples for identifiers."""

from __future__ import annotations

import pytest

from claimcore.errors import ClaimcoreError, TypeMismatch, ValidationError
from claimcore.ids import (
    NPI,
    SSN,
    ClaimId,
    MedicalRecordNumber,
    MemberId,
    PayerClaimNumber,
    PayerId,
    TaxId,
    TransferId,
    luhn_check_digit,
)


def test_npi_check_digit_over_the_80840_prefix() -> None:
    """1234567893 is CMS's published example of a valid NPI."""
    assert NPI("1234567893").value == "1234567893"
    assert NPI.from_prefix("123456789") == NPI("1234567893")
    assert luhn_check_digit("80840123456789") == "3"
    with pytest.raises(ValidationError) as caught:
        NPI("1234567890")
    assert caught.value.rule == "npi-check-digit"


@pytest.mark.parametrize("bad", ["", "123456789", "12345678931", "3234567893", "12345678a3"])
def test_npi_shape(bad: str) -> None:
    """An NPI is exactly ten digits, the first 1 or 2."""
    with pytest.raises(ValidationError):
        NPI(bad)


def test_npi_prefix_must_be_nine_digits() -> None:
    """from_prefix takes nine digits starting with 1 or 2."""
    with pytest.raises(ValidationError):
        NPI.from_prefix("12345678")


@pytest.mark.parametrize("bad", [1234567893, None, b"1234567893", 12.0])
def test_identifiers_refuse_non_strings(bad: object) -> None:
    """An identifier is text: numbers and bytes are a TypeMismatch."""
    with pytest.raises(TypeMismatch):
        NPI(bad)  # type: ignore[arg-type]


def test_ein_is_normalised_and_prefix_checked() -> None:
    """12-3456789 and 123456789 are the same EIN; prefix 07 is never assigned."""
    assert TaxId("12-3456789") == TaxId("123456789")
    assert str(TaxId("123456789")) == "12-3456789"
    with pytest.raises(ValidationError) as caught:
        TaxId("07-1234567")
    assert caught.value.rule == "ein-prefix"
    with pytest.raises(ValidationError):
        TaxId("1-23456789")


def test_phi_identifiers_mask_themselves() -> None:
    """Member ids, record numbers and SSNs never show their raw value in repr or str."""
    member = MemberId("XYZ123454821")
    assert repr(member) == "MemberId('***4821')"
    assert str(member) == "***4821"
    assert member.unmasked == "XYZ123454821"
    short = MedicalRecordNumber("A1234")
    assert "A1234" not in repr(short) and "1234" not in str(short)
    ssn = SSN("234-56-7890")
    assert ssn == SSN("234567890")
    assert repr(ssn) == "SSN('***-**-7890')"
    assert ssn.unmasked == "234567890"


def test_phi_errors_do_not_echo_the_value() -> None:
    """A malformed member id is refused without repeating it."""
    with pytest.raises(ValidationError) as caught:
        MemberId("SECRET VALUE")
    assert "SECRET" not in str(caught.value)


@pytest.mark.parametrize("bad", ["000-12-3456", "666-12-3456", "912-12-3456", "123-00-4567",
                                 "123-45-0000", "900-12-3456", "999-99-9999", "987-65-4320",
                                 "000000000", "666000000"])
def test_ssn_ranges(bad: str) -> None:
    """SSNs the SSA never issues (area 000, 666, 9xx; group 00; serial 0000) are refused."""
    with pytest.raises(ValidationError) as caught:
        SSN(bad)
    assert (caught.value.path, caught.value.rule) == ("$.unmasked", "ssn-range")
    assert bad not in str(caught.value) and bad.replace("-", "") not in str(caught.value)


@pytest.mark.parametrize("bad", ["078-05-1120", "078051120", "219-09-9999", "219099999",
                                 "123-45-6789", "123456789"])
def test_publicised_and_placeholder_ssns_are_refused(bad: str) -> None:
    """The Woolworth wallet number, the SSA advertisement's and the placeholder are refused."""
    with pytest.raises(ValidationError) as caught:
        SSN(bad)
    assert (caught.value.path, caught.value.rule) == ("$.unmasked", "ssn-known-invalid")
    digits = bad.replace("-", "")
    for shown in (bad, digits, f"{digits[:3]}-{digits[3:5]}-{digits[5:]}", digits[5:]):
        assert shown not in str(caught.value)


@pytest.mark.parametrize("good", ["001-01-0001", "665-99-9999", "667-01-0001", "899-99-9999",
                                  "457-55-5462", "078-05-1121", "123-45-6788"])
def test_ssns_in_range_are_accepted(good: str) -> None:
    """Every in-range number but the three refused by name is accepted."""
    assert SSN(good).unmasked == good.replace("-", "")


@pytest.mark.parametrize("bad", [
    "12345678", "1234567890", "234-567-890", "234 56 7890",
    "\u0662\u0663\u0664-56-7890",          # Arabic-Indic
    "\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9\u06f0",  # Persian
    "\uff12\uff13\uff14-\uff15\uff16-\uff17\uff18\uff19\uff10",  # fullwidth
    "234-56-789\U0001d7ce",                  # mathematical bold zero
])
def test_ssn_takes_ascii_digits_only(bad: str) -> None:
    """Non-ASCII digits and other shapes are refused as format errors, without an echo."""
    with pytest.raises(ValidationError) as caught:
        SSN(bad)
    assert (caught.value.path, caught.value.rule) == ("$.unmasked", "format")
    assert bad not in str(caught.value)


@pytest.mark.parametrize(("make", "text"), [
    (NPI, "\uff11234567893"), (NPI, "123456789\u0663"), (NPI, "\u0661\u0662\u0663\u0664567893"),
    (NPI.from_prefix, "12345678\u0669"),
    (TaxId, "\u0661\u0662-3456789"), (TaxId, "12-345678\uff19"),
])
def test_npi_and_tax_id_take_ascii_digits_only(make: object, text: str) -> None:
    """NPI and EIN patterns match ASCII digits only (Python's \\d would match others)."""
    with pytest.raises(ValidationError) as caught:
        make(text)  # type: ignore[operator]
    assert caught.value.rule == "format"


def test_claim_id_limits_and_matching_key() -> None:
    """A patient control number has at most 38 characters (CLP01), claimcore sends at most
    20 (CLM01); matching ignores case and padding."""
    assert ClaimId("A" * 38).value == "A" * 38
    assert ClaimId("A" * 20).is_submittable() and not ClaimId("A" * 21).is_submittable()
    with pytest.raises(ValidationError) as caught:
        ClaimId("A" * 39)
    assert caught.value.rule == "length"
    assert ClaimId("00123abc").normalized() == ClaimId("123ABC").normalized()
    assert ClaimId("000").normalized() == "0"


@pytest.mark.parametrize(
    ("cls", "good", "bad"),
    [
        (PayerId, "87726", "8"),
        (PayerClaimNumber, "2019123456789", " lead"),
        (TransferId, "charge:123/1", ""),
        (MedicalRecordNumber, "MRN-001", "MRN 001"),
    ],
)
def test_other_identifiers(cls: type[PayerId], good: str, bad: str) -> None:
    """Each identifier accepts its documented shape and refuses others."""
    assert str(cls(good)) in (good, "***")
    with pytest.raises(ClaimcoreError):
        cls(bad)


def test_identifiers_of_different_kinds_are_not_equal() -> None:
    """A payer id and a claim id with the same text are different values."""
    assert PayerId("12345") != ClaimId("12345")  # type: ignore[comparison-overlap]
    assert sorted([ClaimId("B"), ClaimId("A")]) == [ClaimId("A"), ClaimId("B")]


def test_non_ascii_is_refused() -> None:
    """Identifiers are ASCII, as X12 requires."""
    with pytest.raises(ValidationError):
        ClaimId("CLAIMé")
