"""Validated identifiers.

Each identifier is a small frozen value around a ``str``. Non-PHI identifiers (``NPI``,
``TaxId``, ``PayerId``, ``ClaimId``, ``PayerClaimNumber``, ``TransferId``) show their value
as ``.value`` and in ``str``. Identifiers that are protected health information
(``MemberId``, ``MedicalRecordNumber``, ``SSN``) mask themselves in ``repr`` and ``str``
and give the raw value only through ``.unmasked``.

>>> NPI("1234567893")
NPI('1234567893')
>>> MemberId("XYZ123454821")
MemberId('***4821')
>>> MemberId("XYZ123454821").unmasked
'XYZ123454821'
"""

from __future__ import annotations

import re
from typing import ClassVar, Final

import attrs

from claimcore._validate import text
from claimcore.errors import ValidationError

__all__ = [
    "NPI",
    "SSN",
    "ClaimId",
    "EncounterId",
    "MedicalRecordNumber",
    "MemberId",
    "PayerClaimNumber",
    "PayerId",
    "TaxId",
    "TransferId",
    "luhn_check_digit",
]


def luhn_check_digit(digits: str) -> str:
    """The Luhn check digit for a string of digits (as ISO/IEC 7812 computes it)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 0:  # every second digit from the right, starting with the rightmost
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


@attrs.frozen(init=False, repr=False, order=True)
class _Identifier:
    """A plain (non-PHI) identifier: a checked string."""

    value: str
    _name: ClassVar[str] = "identifier"
    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[\x21-\x7e]{1,80}")
    _expected: ClassVar[str] = ""
    _max_len: ClassVar[int | None] = None

    def __init__(self, value: str) -> None:
        self.__attrs_init__(self._check(value))

    @classmethod
    def _check(cls, value: object) -> str:
        return text(
            value, "$.value", pattern=cls._pattern, expected=cls._expected,
            max_len=cls._max_len,
        )

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.value!r})"


@attrs.frozen(init=False, repr=False)
class NPI(_Identifier):
    """A National Provider Identifier: ten digits, the first 1 or 2, and a Luhn check digit
    computed over the digits with the card-issuer prefix 80840 in front (45 CFR 162.406).

    X12: ``NM109`` with ``NM108 = XX``; FHIR: ``Identifier`` with system
    ``http://hl7.org/fhir/sid/us-npi``.
    """

    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[12]\d{9}")
    _expected: ClassVar[str] = "ten digits starting with 1 or 2"

    @classmethod
    def _check(cls, value: object) -> str:
        checked = super()._check(value)
        if luhn_check_digit("80840" + checked[:9]) != checked[9]:
            raise ValidationError(
                f"is not a valid NPI: check digit {checked[9]} should be "
                f"{luhn_check_digit('80840' + checked[:9])}",
                path="$.value", rule="npi-check-digit",
            )
        return checked

    @classmethod
    def from_prefix(cls, first_nine: str) -> NPI:
        """The NPI whose first nine digits are ``first_nine`` (adds the check digit)."""
        text(first_nine, "$.first_nine", pattern=re.compile(r"[12]\d{8}"),
             expected="nine digits starting with 1 or 2")
        return cls(first_nine + luhn_check_digit("80840" + first_nine))


_INVALID_EIN_PREFIXES: Final = frozenset(
    {"00", "07", "08", "09", "17", "18", "19", "28", "29", "49", "69", "70", "78", "79", "89",
     "96", "97"}
)


@attrs.frozen(init=False, repr=False)
class TaxId(_Identifier):
    """An Employer Identification Number, kept as nine digits and shown as ``12-3456789``.

    ``"12-3456789"`` and ``"123456789"`` are the same EIN. Prefixes the IRS never assigns
    (00, 07, 08, 09, 17, ...) are refused. X12: ``REF*EI``; CMS-1500 box 25.
    """

    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"\d{2}-?\d{7}")
    _expected: ClassVar[str] = "an EIN of nine digits (12-3456789)"

    @classmethod
    def _check(cls, value: object) -> str:
        digits = super()._check(value).replace("-", "")
        if digits[:2] in _INVALID_EIN_PREFIXES:
            raise ValidationError(
                f"is not a valid EIN: the IRS assigns no prefix {digits[:2]}",
                path="$.value", rule="ein-prefix",
            )
        return digits

    def __str__(self) -> str:
        return f"{self.value[:2]}-{self.value[2:]}"


@attrs.frozen(init=False, repr=False)
class PayerId(_Identifier):
    """The payer's identifier at the clearinghouse (X12 ``NM109`` in loop 2010BB, ``N104``)."""

    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{1,79}")
    _expected: ClassVar[str] = "2 to 80 letters, digits or hyphens"


@attrs.frozen(init=False, repr=False)
class ClaimId(_Identifier):
    """The patient control number the provider gives a claim (X12 ``CLM01``, ``CLP01``):
    1 to 20 characters."""

    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[A-Za-z0-9][A-Za-z0-9./_-]{0,19}")
    _expected: ClassVar[str] = "1 to 20 letters, digits or . / _ -"
    _max_len: ClassVar[int | None] = 20

    def normalized(self) -> str:
        """The key claims are matched by: upper case, leading zeros dropped.

        Payers echo the patient control number with other case or padding (``clp01`` of
        ``00123abc`` for ``123ABC``); matching by this key survives that.
        """
        return self.value.upper().lstrip("0") or "0"


@attrs.frozen(init=False, repr=False)
class PayerClaimNumber(_Identifier):
    """The payer's internal control number for a claim (X12 ``CLP07``; ``REF*F8`` on a
    replacement or void claim)."""

    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./_-]{0,49}")
    _expected: ClassVar[str] = "1 to 50 letters, digits, spaces or . / _ -"
    _max_len: ClassVar[int | None] = 50


@attrs.frozen(init=False, repr=False)
class EncounterId(_Identifier):
    """The provider's id for one encounter (a visit or a stay); a claim names the encounter
    it bills by it (FHIR ``Encounter.identifier``; no X12 element of its own).

    Not PHI: never build it from a medical record number, a name or a date of birth.
    """

    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[A-Za-z0-9][A-Za-z0-9./_:#-]{0,63}")
    _expected: ClassVar[str] = "1 to 64 letters, digits or . / _ : # -"


@attrs.frozen(init=False, repr=False)
class TransferId(_Identifier):
    """The id of a ledger transfer; posting is idempotent by it."""

    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[A-Za-z0-9][A-Za-z0-9./_:#-]{0,127}")
    _expected: ClassVar[str] = "1 to 128 letters, digits or . / _ : # -"


def _mask(raw: str) -> str:
    # Show the last four only when at least as many stay hidden, so a short id gives
    # nothing away.
    return "***" + raw[-4:] if len(raw) >= 8 else "***"


@attrs.frozen(init=False, repr=False, order=True)
class _MaskedIdentifier:
    """An identifier that is PHI: masked in ``repr``/``str``; raw only as ``.unmasked``."""

    unmasked: str
    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[A-Za-z0-9-]{1,80}")
    _expected: ClassVar[str] = ""

    def __init__(self, unmasked: str) -> None:
        self.__attrs_init__(self._check(unmasked))

    @classmethod
    def _check(cls, value: object) -> str:
        return text(value, "$.unmasked", pattern=cls._pattern, expected=cls._expected, phi=True)

    @property
    def masked(self) -> str:
        """The value with all but (at most) its last four characters hidden."""
        return _mask(self.unmasked)

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.masked!r})"


@attrs.frozen(init=False, repr=False)
class MemberId(_MaskedIdentifier):
    """The subscriber's or patient's id at the payer (X12 ``NM109`` in loop 2010BA).

    PHI: masked in ``repr`` and ``str``.
    """

    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{1,79}")
    _expected: ClassVar[str] = "2 to 80 letters, digits or hyphens"


@attrs.frozen(init=False, repr=False)
class MedicalRecordNumber(_MaskedIdentifier):
    """The provider's medical record number for a patient (X12 ``REF*EA``). PHI: masked."""

    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,49}")
    _expected: ClassVar[str] = "1 to 50 letters, digits or hyphens"


@attrs.frozen(init=False, repr=False)
class SSN(_MaskedIdentifier):
    """A Social Security number, kept as nine digits (``123-45-6789`` is accepted).

    Numbers the SSA never issues (area 000, 666 or 900-999, group 00, serial 0000) are
    refused. PHI: masked as ``***-**-6789``.
    """

    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"\d{3}-?\d{2}-?\d{4}")
    _expected: ClassVar[str] = "nine digits (123-45-6789)"

    @classmethod
    def _check(cls, value: object) -> str:
        digits = super()._check(value).replace("-", "")
        area, group, serial = digits[:3], digits[3:5], digits[5:]
        if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
            raise ValidationError(
                "is not an SSN the SSA issues (area, group or serial out of range)",
                path="$.unmasked", rule="ssn-range",
            )
        return digits

    @property
    def masked(self) -> str:
        return "***-**-" + self.unmasked[5:]
