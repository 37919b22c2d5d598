"""UB-04 claim codes: condition, occurrence, occurrence span and value codes, the DRG and POA.

The NUBC UB-04 data specifications define these code lists (claimcore checks their
format and ships no NUBC descriptions; a caller who licenses the manual may keep a
:class:`~claimcore.codes.CodeSet` of them). Each code is two characters, digits or
uppercase letters; form locators 18-28 (condition), 31-34 (occurrence), 35-36
(occurrence span) and 39-41 (value). The DRG is the three-digit MS-DRG of form locator
71 (X12 837I ``HI*DR``, 835 ``CLP11``); the present-on-admission indicator is the
8th character beside each diagnosis of form locators 67 and 67A-Q (837I ``HI0x-9``).

>>> ConditionCode("07"), OccurrenceCode("11"), OccurrenceSpanCode("74"), ValueCode("80")
(ConditionCode('07'), OccurrenceCode('11'), OccurrenceSpanCode('74'), ValueCode('80'))
>>> DRG("195").code
'195'
>>> PresentOnAdmission("Y").is_present
True
"""

from __future__ import annotations

import enum
import re
from typing import ClassVar, Final

import attrs

from claimcore.codes._base import Code, fail, require_str

__all__ = [
    "DRG",
    "MSP_VALUE_CODES",
    "ConditionCode",
    "OccurrenceCode",
    "OccurrenceSpanCode",
    "PresentOnAdmission",
    "ValueCode",
]

_TWO: Final = re.compile(r"[0-9A-Z]{2}")
_DRG: Final = re.compile(r"[0-9]{3}")


@attrs.frozen(order=True, repr=False)
class _Ub04Code(Code):
    """A two-character NUBC code (digits or uppercase letters)."""

    system: ClassVar[str] = "UB-04"

    @classmethod
    def _check(cls, code: object) -> None:
        value = require_str(code, cls.system)
        if _TWO.fullmatch(value) is None:
            fail(f"{cls.system} code {value!r}: must be two digits or uppercase letters "
                 f"(a one-digit code keeps its leading 0, as in '07')", "ub04-code-format")


@attrs.frozen(order=True, repr=False)
class ConditionCode(_Ub04Code):
    """A condition code (UB-04 FL 18-28): a condition that affects how the claim is paid.

    ``07`` treatment of a non-terminal condition for a hospice patient, ``A1`` EPSDT,
    ... X12 837I ``HI*BG``; FHIR ``Claim.supportingInfo`` category ``info``.
    """

    system: ClassVar[str] = "condition"


@attrs.frozen(order=True, repr=False)
class OccurrenceCode(_Ub04Code):
    """An occurrence code (UB-04 FL 31-34): an event with its date (``11`` onset, ...).

    X12 837I ``HI*BH`` with a ``D8`` date; FHIR ``Claim.supportingInfo`` (timingDate).
    """

    system: ClassVar[str] = "occurrence"


@attrs.frozen(order=True, repr=False)
class OccurrenceSpanCode(_Ub04Code):
    """An occurrence span code (UB-04 FL 35-36): an event with a from and through date.

    ``70`` qualifying stay dates, ``74`` non-covered level of care, ... X12 837I ``HI*BI``
    with an ``RD8`` period; FHIR ``Claim.supportingInfo`` (timingPeriod).
    """

    system: ClassVar[str] = "occurrence span"


@attrs.frozen(order=True, repr=False)
class ValueCode(_Ub04Code):
    """A value code (UB-04 FL 39-41): an amount that bears on payment (``80`` covered days).

    The Medicare secondary payer codes (:data:`MSP_VALUE_CODES`: 12 working aged, 13
    ESRD, 14 no-fault, 15 workers' compensation, 16 PHS or other federal, 41 black lung,
    42 VA, 43 disabled, 47 other liability) carry what the primary payer paid. X12 837I
    ``HI*BE`` (amount in ``HI0x-5``); FHIR ``Claim.supportingInfo`` (valueQuantity).
    """

    system: ClassVar[str] = "value"


MSP_VALUE_CODES: Final = frozenset(
    ValueCode(c) for c in ("12", "13", "14", "15", "16", "41", "42", "43", "47")
)
"""The value codes that say why Medicare is a secondary payer (the amount the primary
paid); on an 837I they stand in for the professional claim's ``SBR05``."""


@attrs.frozen(order=True, repr=False)
class DRG(Code):
    """A diagnosis-related group: the three-digit MS-DRG the stay groups to (``195``).

    Carried as the facility (or its grouper) assigned it, whether or not claimcore
    groups anything. UB-04 FL 71 (PPS code); X12 837I ``HI*DR``, 835 ``CLP11``; FHIR
    ``Claim.supportingInfo`` with category ``drg`` (as CARIN Blue Button has it).
    """

    system: ClassVar[str] = "MS-DRG"

    @classmethod
    def _check(cls, code: object) -> None:
        value = require_str(code, cls.system)
        if _DRG.fullmatch(value) is None:
            fail(f"MS-DRG {value!r}: must be exactly three digits (keep leading zeros, "
                 f"as in '001')", "drg-format")


class PresentOnAdmission(enum.StrEnum):
    """Whether a diagnosis was present when the inpatient was admitted (the POA indicator).

    ``Y`` yes, ``N`` no, ``U`` documentation insufficient, ``W`` clinically
    undetermined, and ``1`` exempt from POA reporting (the UB-04 value). 5010 has no
    ``1``: an exempt code goes with ``HI0x-9`` empty, so a :class:`~claimcore.claims.Claim`
    stores ``EXEMPT`` as ``None`` (no indicator). X12 837I ``HI0x-9``; FHIR
    ``Claim.diagnosis.onAdmission``. Also the indicator of a coded diagnosis
    (:class:`claimcore.coding.Diagnosis`).
    """

    YES = "Y"
    NO = "N"
    UNKNOWN = "U"
    """Documentation is insufficient to tell."""
    CLINICALLY_UNDETERMINED = "W"
    """The provider cannot clinically determine it."""
    EXEMPT = "1"
    """The code is exempt from POA reporting (blank on 5010 claims)."""

    @property
    def is_present(self) -> bool:
        """Whether the condition counts as present on admission (``Y`` or ``W``)."""
        return self in (PresentOnAdmission.YES, PresentOnAdmission.CLINICALLY_UNDETERMINED)
