"""Laws of identifiers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from claimcore.errors import ValidationError
from claimcore.ids import NPI, SSN, MedicalRecordNumber, MemberId
from claimcore.strategies import medical_record_numbers, member_ids, npis, ssns
from claimcore.strategies._core import _issuable


@given(npis())
def test_every_generated_npi_passes(npi: NPI) -> None:
    """Generated NPIs pass the Luhn check (re-validated from their text)."""
    assert NPI(npi.value) == npi


@given(npis(), st.integers(0, 9), st.integers(1, 9))
def test_changing_any_single_digit_breaks_an_npi(npi: NPI, position: int, delta: int) -> None:
    """The Luhn check catches every single-digit change."""
    digits = list(npi.value)
    digits[position] = str((int(digits[position]) + delta) % 10)
    changed = "".join(digits)
    try:
        NPI(changed)
    except ValidationError:
        return
    raise AssertionError("a one-digit change went undetected")


@given(st.one_of(member_ids(), medical_record_numbers(), ssns()))
def test_phi_identifiers_never_show_their_raw_value(
    ident: MemberId | MedicalRecordNumber | SSN,
) -> None:
    """repr and str of a PHI identifier never contain the raw value."""
    raw = ident.unmasked
    assert raw not in repr(ident)
    assert raw not in str(ident)
    if isinstance(ident, SSN):
        assert f"{raw[:3]}-{raw[3:5]}-{raw[5:]}" not in repr(ident)


def test_the_ssn_strategy_filters_by_what_ssn_refuses() -> None:
    """ssns() keeps a number only when SSN accepts it: the placeholders are left out."""
    assert [_issuable(d) for d in ("078051120", "219099999", "123456789", "234567890")] == [
        False, False, False, True]
