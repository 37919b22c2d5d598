"""CPT and HCPCS Level II procedure codes (the HCPCS Level I and Level II code sets).

CPT is the AMA's code set; its descriptions are licensed, so claimcore ships none: it
checks the format and takes any table from the caller. HCPCS Level II codes are published
by CMS (public domain).

>>> CPT("99213").category
<CPTCategory.CATEGORY_I: 'I'>
>>> CPT("0001F").category
<CPTCategory.CATEGORY_II: 'II'>
>>> procedure_code("J1100")
HCPCS('J1100')
>>> procedure_code("99214")
CPT('99214')
"""

from __future__ import annotations

import enum
import re
from typing import ClassVar, Final, TypeAlias

import attrs

from claimcore.codes._base import DIGITS, Code, fail, require_str

__all__ = ["CPT", "HCPCS", "CPTCategory", "ProcedureCode", "procedure_code"]

_CPT: Final = re.compile(r"[0-9]{4}[0-9FT]")
_HCPCS: Final = re.compile(r"[A-V][0-9]{4}")


class CPTCategory(enum.StrEnum):
    """The CPT category: I (services, five digits), II (performance measures, ``nnnnF``),
    III (emerging technology, ``nnnnT``)."""

    CATEGORY_I = "I"
    CATEGORY_II = "II"
    CATEGORY_III = "III"


@attrs.frozen(order=True, repr=False)
class CPT(Code):
    """A CPT (HCPCS Level I) code: five digits, or four digits and ``F`` or ``T``.

    X12 837P: ``SV101-2`` with qualifier ``HC``; FHIR: system
    ``http://www.ama-assn.org/go/cpt``.
    """

    system: ClassVar[str] = "CPT"

    @classmethod
    def _check(cls, code: object) -> None:
        value = require_str(code, cls.system)
        if _CPT.fullmatch(value) is not None:
            return
        if len(value) != 5:
            fail(f"CPT code {value!r}: must have exactly 5 characters, got {len(value)}",
                 "cpt-length")
        if value[0] in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
            fail(f"CPT code {value!r}: starts with a letter; a letter and four digits is "
                 "a HCPCS Level II code (use HCPCS or procedure_code)", "cpt-format")
        fail(f"CPT code {value!r}: must be five digits (Category I), or four digits and F "
             "(Category II) or T (Category III)", "cpt-format")

    @property
    def category(self) -> CPTCategory:
        """Category I, II or III, from the last character."""
        last = self.code[4]
        if last == "F":
            return CPTCategory.CATEGORY_II
        if last == "T":
            return CPTCategory.CATEGORY_III
        return CPTCategory.CATEGORY_I


@attrs.frozen(order=True, repr=False)
class HCPCS(Code):
    """A HCPCS Level II code: a letter from A to V and four digits (``J1100``, ``G0438``).

    Supplies, drugs, ambulance and services CPT does not cover. X12 837P: ``SV101-2``
    with qualifier ``HC``; FHIR: system ``https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets``.
    """

    system: ClassVar[str] = "HCPCS"

    @classmethod
    def _check(cls, code: object) -> None:
        value = require_str(code, cls.system)
        if _HCPCS.fullmatch(value) is not None:
            return
        if len(value) != 5:
            fail(f"HCPCS code {value!r}: must have exactly 5 characters, got "
                 f"{len(value)}", "hcpcs-length")
        if value[0] not in "ABCDEFGHIJKLMNOPQRSTUV":
            fail(f"HCPCS code {value!r}: the first character must be an uppercase letter "
                 "from A to V", "hcpcs-first-letter")
        fail(f"HCPCS code {value!r}: the last four characters must be digits",
             "hcpcs-digits")

    @property
    def letter(self) -> str:
        """The section letter (``J`` drugs given other than by mouth, ``E`` equipment, ...)."""
        return self.code[0]


ProcedureCode: TypeAlias = CPT | HCPCS
"""A procedure code on a professional claim line: CPT or HCPCS Level II."""


def procedure_code(text: str) -> CPT | HCPCS:
    """The CPT or HCPCS code written as ``text``: a leading letter means HCPCS Level II.

    Raises :class:`~claimcore.errors.ValidationError` when ``text`` is neither.
    """
    value = require_str(text, "procedure")
    if value and value[0] not in DIGITS:
        return HCPCS(value)
    return CPT(value)
