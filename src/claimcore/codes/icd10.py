"""ICD-10-CM diagnosis codes and ICD-10-PCS inpatient procedure codes.

ICD-10-CM (the US clinical modification of WHO ICD-10, maintained by CDC/NCHS and CMS)
replaced ICD-9-CM for dates of service from 1 October 2015 (:data:`ICD10_EFFECTIVE`);
ICD-10-PCS replaced ICD-9-CM volume 3 for inpatient procedures on the same date.

>>> ICD10CM("E11.9")
ICD10CM('E11.9')
>>> ICD10CM("E119").code
'E119'
>>> ICD10CM("S72.001A").extension
'A'
>>> str(ICD10PCS("0DTJ4ZZ"))
'0DTJ4ZZ'
"""

from __future__ import annotations

import re
from datetime import date
from typing import ClassVar, Final

import attrs

from claimcore.codes._base import ALNUM, DIGITS, UPPER, Code, fail, require_str

__all__ = ["ICD10CM", "ICD10PCS", "ICD10_EFFECTIVE"]

ICD10_EFFECTIVE: Final = date(2015, 10, 1)
"""The first date of service coded with ICD-10-CM/PCS; earlier dates used ICD-9-CM."""

_ICD10CM: Final = re.compile(r"(?:[A-Z][0-9]|Q[A-Z])[0-9A-Z]{1,5}")
_ICD10PCS: Final = re.compile(r"[0-9A-HJ-NP-Z]{7}")


def _strip_dot(value: str) -> str:
    """``E11.9`` → ``E119``: the dot after the third character is display only."""
    if type(value) is str and len(value) > 4 and value[3] == ".":
        return value[:3] + value[4:]
    return value


@attrs.frozen(order=True, repr=False)
class ICD10CM(Code):
    """An ICD-10-CM diagnosis code: 3 to 7 characters, stored without its dot.

    A letter, a digit, then letters or digits (``X`` is the placeholder that pads a code
    to take a 7th-character extension such as ``A`` initial encounter). The one
    exception to "digit second" is the chapter-Q block ``QA0`` (genetic conditions) added
    on 1 April 2026, so after ``Q`` a letter is accepted too. Shown with the
    dot after the third character (``E11.9``); given with or without it. Whether the code
    is billable on a date is a question for a :class:`~claimcore.codes.CodeSet`.

    X12 837: ``HI01-2`` with qualifier ``ABK`` (principal) / ``ABF`` (other);
    FHIR: ``Coding`` with system ``http://hl7.org/fhir/sid/icd-10-cm``.
    """

    code: str = attrs.field(converter=_strip_dot)
    system: ClassVar[str] = "ICD-10-CM"

    @classmethod
    def _check(cls, code: object) -> None:
        value = require_str(code, cls.system)
        if _ICD10CM.fullmatch(value) is not None:
            return
        n = len(value)
        if "." in value:
            fail(
                f"ICD-10-CM code {value!r}: a dot may only follow the third character "
                "and must be followed by at least one character",
                "icd10cm-dot",
            )
        if not 3 <= n <= 7:
            fail(f"ICD-10-CM code {value!r}: must have 3 to 7 characters, got {n}",
                 "icd10cm-length")
        if value[0] not in UPPER:
            fail(f"ICD-10-CM code {value!r}: the first character must be an uppercase "
                 "letter", "icd10cm-first-letter")
        if value[1] not in DIGITS:
            fail(f"ICD-10-CM code {value!r}: the second character must be a digit (a "
                 "letter only after Q, as in the QA block added on 1 April 2026)",
                 "icd10cm-second-digit")
        if value[2] not in ALNUM:
            fail(f"ICD-10-CM code {value!r}: the third character must be a digit or an "
                 "uppercase letter", "icd10cm-third-character")
        fail(f"ICD-10-CM code {value!r}: characters 4 to 7 must be digits or uppercase "
             "letters", "icd10cm-characters")

    def __str__(self) -> str:
        code = self.code
        return code if len(code) == 3 else f"{code[:3]}.{code[3:]}"

    @property
    def category(self) -> str:
        """The three-character category (``E11`` for ``E11.9``)."""
        return self.code[:3]

    @property
    def extension(self) -> str | None:
        """The 7th character (``A`` initial, ``D`` subsequent, ``S`` sequela, ...), if any."""
        return self.code[6] if len(self.code) == 7 else None


@attrs.frozen(order=True, repr=False)
class ICD10PCS(Code):
    """An ICD-10-PCS inpatient procedure code: 7 characters, digits and letters but O and I.

    Each position has a meaning (section, body system, root operation, body part,
    approach, device, qualifier). Used on institutional (inpatient) claims only.

    X12 837I: ``HI01-2`` with qualifier ``BBR`` (principal) / ``BBQ`` (other);
    FHIR: system ``http://www.cms.gov/Medicare/Coding/ICD10``.
    """

    system: ClassVar[str] = "ICD-10-PCS"

    @classmethod
    def _check(cls, code: object) -> None:
        value = require_str(code, cls.system)
        if _ICD10PCS.fullmatch(value) is not None:
            return
        if len(value) != 7:
            fail(f"ICD-10-PCS code {value!r}: must have exactly 7 characters, got "
                 f"{len(value)}", "icd10pcs-length")
        fail(f"ICD-10-PCS code {value!r}: every character must be a digit or an uppercase "
             "letter other than O and I (which ICD-10-PCS never uses)", "icd10pcs-character")
