"""Validated identifiers.

Each identifier is a small frozen value around a ``str``. Non-PHI identifiers (``NPI``,
``TaxId``, ``PayerId``, ``ClaimId``, ``PayerClaimNumber``, ``TransferId``) show their value
as ``.value`` and in ``str``. Identifiers that are protected health information
(``MemberId``, ``MedicalRecordNumber``, ``SSN``) mask themselves in ``repr`` and ``str``
and give the raw value only through ``.unmasked``. The two families have public bases,
:class:`Identifier` and :class:`MaskedIdentifier`, to test a type against.

>>> NPI("1234567893")
NPI('1234567893')
>>> MemberId("XYZ123454821")
MemberId('***4821')
>>> MemberId("XYZ123454821").unmasked
'XYZ123454821'
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any, ClassVar, Final

import attrs

from claimcore._pickling import fast_pickle
from claimcore._validate import text
from claimcore.errors import ValidationError

__all__ = [
    "NPI",
    "SSN",
    "ClaimId",
    "EncounterId",
    "Identifier",
    "MaskedIdentifier",
    "MedicalRecordNumber",
    "MemberId",
    "PayerClaimNumber",
    "PayerId",
    "TaxId",
    "TransferId",
    "as_encounter_id",
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


@fast_pickle
@attrs.frozen(init=False, repr=False, order=True)
class Identifier:
    """The base of the plain (non-PHI) identifiers: a checked string, shown as it is.

    ``NPI``, ``TaxId``, ``PayerId``, ``ClaimId``, ``PayerClaimNumber``, ``EncounterId`` and
    ``TransferId`` subclass it; their value is ``.value`` and ``str()``. Test for the family
    with ``issubclass(cls, Identifier)`` (the wire format writes every one as its ``.value``);
    fields are typed with a concrete subclass, never with the base.

    >>> issubclass(NPI, Identifier), issubclass(MemberId, Identifier)
    (True, False)
    """

    value: str
    _name: ClassVar[str] = "identifier"
    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[\x21-\x7e]{1,80}")
    _expected: ClassVar[str] = ""
    _max_len: ClassVar[int | None] = None

    # The pattern's fullmatch when the class checks by it alone (its _check is this
    # one): then a str it takes, within the length, is the value as it is (an 835 builds
    # two identifiers per claim). Anything else goes through _check, which words the error.
    _accepts: ClassVar[Callable[[str], object] | None] = None
    _longest: ClassVar[int] = sys.maxsize

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _set_fast_path(cls)

    def __init__(self, value: str) -> None:
        cls = type(self)
        accepts = cls._accepts
        if (accepts is not None and type(value) is str and 0 < len(value) <= cls._longest
                and accepts(value) is not None):
            _setattr(self, "value", value)
        else:
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


_setattr: Final = object.__setattr__
_PLAIN_CHECK: Final = Identifier.__dict__["_check"].__func__


def _set_fast_path(cls: type[Identifier]) -> None:
    plain = getattr(cls._check, "__func__", None) is _PLAIN_CHECK
    cls._accepts = cls._pattern.fullmatch if plain else None
    cls._longest = sys.maxsize if cls._max_len is None else cls._max_len


_set_fast_path(Identifier)


@attrs.frozen(init=False, repr=False)
class NPI(Identifier):
    """A National Provider Identifier: ten digits, the first 1 or 2, and a Luhn check digit
    computed over the digits with the card-issuer prefix 80840 in front (45 CFR 162.406).

    X12: ``NM109`` with ``NM108 = XX``; FHIR: ``Identifier`` with system
    ``http://hl7.org/fhir/sid/us-npi``.
    """

    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[12][0-9]{9}")
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
        text(first_nine, "$.first_nine", pattern=re.compile(r"[12][0-9]{8}"),
             expected="nine digits starting with 1 or 2")
        return cls(first_nine + luhn_check_digit("80840" + first_nine))


_INVALID_EIN_PREFIXES: Final = frozenset(
    {"00", "07", "08", "09", "17", "18", "19", "28", "29", "49", "69", "70", "78", "79", "89",
     "96", "97"}
)


@attrs.frozen(init=False, repr=False)
class TaxId(Identifier):
    """An Employer Identification Number, kept as nine digits and shown as ``12-3456789``.

    ``"12-3456789"`` and ``"123456789"`` are the same EIN. Prefixes the IRS never assigns
    (00, 07, 08, 09, 17, ...) are refused. X12: ``REF*EI``; CMS-1500 box 25.
    """

    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[0-9]{2}-?[0-9]{7}")
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
class PayerId(Identifier):
    """The payer's identifier at the clearinghouse (X12 ``NM109`` in loop 2010BB, ``N104``)."""

    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{1,79}")
    _expected: ClassVar[str] = "2 to 80 letters, digits or hyphens"


# What claimcore sends as CLM01 (ClaimId.is_submittable).
_SUBMITTABLE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9./_-]{0,19}")


@attrs.frozen(init=False, repr=False)
class ClaimId(Identifier):
    """The patient control number the provider gives a claim (X12 ``CLM01``, ``CLP01``,
    a 277CA's ``TRN02``).

    It holds what the 835 guide allows in ``CLP01`` (AN 1/38), so a payer's echo always
    reads: 1 to 38 printable ASCII characters (the X12 basic and extended character sets),
    spaces inside but not at either end. What claimcore itself sends as ``CLM01`` is
    stricter (:meth:`is_submittable`): payers return only 20 characters of it.

    >>> ClaimId("PCN 0001").is_submittable(), ClaimId("PCN-0001").is_submittable()
    (False, True)
    """

    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[!-~](?:[ -~]{0,36}[!-~])?")
    _expected: ClassVar[str] = (
        "1 to 38 printable ASCII characters, no space at either end")
    _max_len: ClassVar[int | None] = 38

    def is_submittable(self) -> bool:
        """Whether claimcore's 837 writers send this id as ``CLM01``: 1 to 20 letters,
        digits or ``. / _ -``, starting with a letter or digit.

        ``CLM01`` is AN 1/20 and payers echo at most 20 characters of it in ``CLP01``;
        spaces and punctuation are where their systems differ. Ids that keep to this come
        back whole from every payer; wider ones are read and matched, never sent."""
        return _SUBMITTABLE.fullmatch(self.value) is not None

    def normalized(self) -> str:
        """The key claims are matched by: upper case, leading zeros dropped.

        Payers echo the patient control number with other case or padding (``clp01`` of
        ``00123abc`` for ``123ABC``); matching by this key survives that.
        """
        return self.value.upper().lstrip("0") or "0"


@attrs.frozen(init=False, repr=False)
class PayerClaimNumber(Identifier):
    """The payer's internal control number for a claim (X12 ``CLP07``; ``REF*F8`` on a
    replacement or void claim, ``REF*1K`` of a 277CA): what the guides allow there (AN
    1/50), 1 to 50 printable ASCII characters (the X12 basic and extended character
    sets), spaces inside but not at either end."""

    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[!-~](?:[ -~]{0,48}[!-~])?")
    _expected: ClassVar[str] = (
        "1 to 50 printable ASCII characters, no space at either end")
    _max_len: ClassVar[int | None] = 50


@attrs.frozen(init=False, repr=False)
class EncounterId(Identifier):
    """The provider's id for one encounter (a visit or a stay); a claim names the encounter
    it bills by it (FHIR ``Encounter.identifier``; no X12 element of its own).

    Not PHI: never build it from a medical record number, a name or a date of birth.
    """

    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[A-Za-z0-9][A-Za-z0-9./_:#-]{0,63}")
    _expected: ClassVar[str] = "1 to 64 letters, digits or . / _ : # -"


def as_encounter_id(value: EncounterId | str, path: str = "$") -> EncounterId:
    """``value`` as an :class:`EncounterId`: the converter of every field that holds one.

    A ``str`` is read as one (its errors reported at ``path``), so callers and documents
    that give encounter ids as text keep working; anything else is returned as it is,
    for the field's type check to refuse.

    >>> as_encounter_id("ENC-1")
    EncounterId('ENC-1')
    """
    if isinstance(value, str):
        try:
            return EncounterId(value)
        except ValidationError as err:
            raise ValidationError(err.message, path=path, rule=err.rule) from None
    return value


@attrs.frozen(init=False, repr=False)
class TransferId(Identifier):
    """The id of a ledger transfer; posting is idempotent by it."""

    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[A-Za-z0-9][A-Za-z0-9./_:#-]{0,127}")
    _expected: ClassVar[str] = "1 to 128 letters, digits or . / _ : # -"


# The former private names of the two bases, kept as aliases for any code that still
# spells them so; new code uses the public names.


def _mask(raw: str) -> str:
    # Show the last four only when at least as many stay hidden, so a short id gives
    # nothing away.
    return "***" + raw[-4:] if len(raw) >= 8 else "***"


@fast_pickle
@attrs.frozen(init=False, repr=False, order=True)
class MaskedIdentifier:
    """The base of the identifiers that are PHI: masked in ``repr``/``str``, raw only as
    ``.unmasked``.

    ``MemberId``, ``MedicalRecordNumber`` and ``SSN`` subclass it. Test for the family with
    ``issubclass(cls, MaskedIdentifier)``: the wire format writes each as its ``.unmasked``
    value, and nothing else may print it. Not a subclass of :class:`Identifier`.

    >>> issubclass(SSN, MaskedIdentifier), issubclass(ClaimId, MaskedIdentifier)
    (True, False)
    """

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
class MemberId(MaskedIdentifier):
    """The subscriber's or patient's id at the payer (X12 ``NM109`` in loop 2010BA).

    PHI: masked in ``repr`` and ``str``.
    """

    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{1,79}")
    _expected: ClassVar[str] = "2 to 80 letters, digits or hyphens"


@attrs.frozen(init=False, repr=False)
class MedicalRecordNumber(MaskedIdentifier):
    """The provider's medical record number for a patient (X12 ``REF*EA``). PHI: masked."""

    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,49}")
    _expected: ClassVar[str] = "1 to 50 letters, digits or hyphens"


_NEVER_ISSUED_SSNS: Final = frozenset({
    "078051120",  # the Woolworth wallet insert (1938): used by thousands, voided by the SSA
    "219099999",  # the sample card in an SSA advertisement: never issued to anyone
    "123456789",  # the universal placeholder: on a claim it is test data or a form default
})
"""SSNs refused although their area, group and serial are in range. python-stdnum refuses
the first two (and 457-55-5462, which we accept: it was issued to a living person who
published it, and refusing it would leave one real patient unable to be recorded)."""


@attrs.frozen(init=False, repr=False)
class SSN(MaskedIdentifier):
    """A Social Security number, kept as nine digits (``234-56-7890`` is accepted).

    Numbers the SSA never issues are refused (rule ``ssn-range``): area 000, 666 or
    900-999, group 00, serial 0000. So are publicised numbers that belong to nobody and
    the placeholder 123-45-6789 (rule ``ssn-known-invalid``). Digits must be ASCII.
    Errors never repeat the number. PHI: masked as ``***-**-7890``.
    """

    _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[0-9]{3}-?[0-9]{2}-?[0-9]{4}")
    _expected: ClassVar[str] = "nine ASCII digits, optionally as ddd-dd-dddd"

    @classmethod
    def _check(cls, value: object) -> str:
        digits = super()._check(value).replace("-", "")
        area, group, serial = digits[:3], digits[3:5], digits[5:]
        if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
            raise ValidationError(
                "is not an SSN the SSA issues (area 000, 666 or 900-999, group 00 or "
                "serial 0000)",
                path="$.unmasked", rule="ssn-range",
            )
        if digits in _NEVER_ISSUED_SSNS:
            raise ValidationError(
                "is a publicised or placeholder SSN, never a patient's (see SSN's docs)",
                path="$.unmasked", rule="ssn-known-invalid",
            )
        return digits

    @property
    def masked(self) -> str:
        return "***-**-" + self.unmasked[5:]
