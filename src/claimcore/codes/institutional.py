"""Institutional billing codes: revenue codes, type of bill, and claim frequency codes.

Sources: the NUBC UB-04 data specifications (revenue code and type of bill structure;
claimcore ships no NUBC descriptions) and the X12 005010X222A1/X223A2 guides for claim
frequency (``CLM05-3``, NUBC frequency codes 1, 7 and 8).

>>> RevenueCode("0450").category
'045'
>>> TypeOfBill("0111").frequency
'1'
>>> str(TypeOfBill("117"))
'117'
>>> ClaimFrequency("7").requires_original_claim_number
True
"""

from __future__ import annotations

import enum
import re
from typing import ClassVar, Final

import attrs

from claimcore.codes._base import Code, fail, require_str
from claimcore.errors import ValidationError

__all__ = ["ClaimFrequency", "RevenueCode", "TypeOfBill"]

_FOUR_DIGITS: Final = re.compile(r"[0-9]{4}")
_TOB: Final = re.compile(r"[1-8][1-9][0-9A-Z]")


@attrs.frozen(order=True, repr=False)
class RevenueCode(Code):
    """A revenue code: four digits naming the department or kind of charge (``0450`` ER).

    A three-digit code is refused rather than padded: ``450`` is usually ``0450``, but a
    code that lost a digit elsewhere must not be guessed.

    X12 837I: ``SV201``; FHIR: ``Claim.item.revenue`` (system
    ``https://www.nubc.org/CodeSystem/RevenueCodes``).
    """

    system: ClassVar[str] = "revenue"

    @classmethod
    def _check(cls, code: object) -> None:
        value = require_str(code, cls.system)
        if _FOUR_DIGITS.fullmatch(value) is not None:
            return
        if len(value) == 3 and value.isdigit() and value.isascii():
            fail(f"revenue code {value!r}: has 3 digits; revenue codes have 4, and a "
                 f"leading 0 is not added silently (did you mean '0{value}'?)",
                 "revenue-code-three-digits")
        fail(f"revenue code {value!r}: must be exactly four digits", "revenue-code-format")

    @property
    def category(self) -> str:
        """The first three digits: the revenue category (``045`` emergency room)."""
        return self.code[:3]


def _drop_leading_zero(value: str) -> str:
    """``0111`` → ``111``: the UB-04 leading zero is display only."""
    if type(value) is str and len(value) == 4 and value[0] == "0":
        return value[1:]
    return value


@attrs.frozen(order=True, repr=False)
class TypeOfBill(Code):
    """A type of bill: facility type, bill classification and frequency (``111``).

    Given as three characters or four with a leading ``0`` (UB-04 form locator 4:
    ``0111``); stored and shown as three. The first digit is the type of facility (1-8),
    the second the bill classification (1-9), the third the frequency (``1`` admit through
    discharge, ``7`` replacement, ``8`` void, ...).

    X12 837I: ``CLM05-1`` (first two) and ``CLM05-3`` (frequency); FHIR:
    ``Claim.subType``/extension.
    """

    code: str = attrs.field(converter=_drop_leading_zero)
    system: ClassVar[str] = "type of bill"

    @classmethod
    def _check(cls, code: object) -> None:
        value = require_str(code, cls.system)
        if _TOB.fullmatch(value) is not None:
            return
        if len(value) == 4:
            fail(f"type of bill {value!r}: a four-character type of bill starts with 0",
                 "tob-leading-zero")
        if len(value) != 3:
            fail(f"type of bill {value!r}: must have 3 characters (or 4 with a leading "
                 f"0), got {len(value)}", "tob-length")
        if value[0] not in "12345678":
            fail(f"type of bill {value!r}: the facility type must be a digit 1 to 8",
                 "tob-facility-type")
        if value[1] not in "123456789":
            fail(f"type of bill {value!r}: the bill classification must be a digit 1 to 9",
                 "tob-classification")
        fail(f"type of bill {value!r}: the frequency must be a digit or uppercase letter",
             "tob-frequency")

    @property
    def facility_type(self) -> str:
        """The type of facility (``1`` hospital, ``2`` skilled nursing, ...)."""
        return self.code[0]

    @property
    def bill_classification(self) -> str:
        """The bill classification (``1`` inpatient, ``3`` outpatient, ...)."""
        return self.code[1]

    @property
    def facility_code(self) -> str:
        """Facility type and classification together: X12 ``CLM05-1`` (``11``)."""
        return self.code[:2]

    @property
    def frequency(self) -> str:
        """The frequency character: X12 ``CLM05-3``."""
        return self.code[2]

    @property
    def claim_frequency(self) -> ClaimFrequency | None:
        """The frequency as a :class:`ClaimFrequency` when it is 1, 7 or 8."""
        return _BY_VALUE.get(self.code[2])


class ClaimFrequency(enum.StrEnum):
    """Whether a claim is new, replaces an earlier one, or voids it.

    X12 837: ``CLM05-3``; the payer's original claim number goes in ``REF*F8`` if and only
    if the frequency is 7 or 8.
    """

    ORIGINAL = "1"
    REPLACEMENT = "7"
    VOID = "8"

    @classmethod
    def _missing_(cls, value: object) -> ClaimFrequency:
        raise ValidationError(
            f"claim frequency {value!r} is not 1 (original), 7 (replacement) or 8 (void)",
            rule="claim-frequency-unknown",
        )

    @property
    def requires_original_claim_number(self) -> bool:
        """Whether the payer's claim number of the claim replaced or voided is required."""
        return self is not ClaimFrequency.ORIGINAL


_BY_VALUE: Final = {f.value: f for f in ClaimFrequency}
