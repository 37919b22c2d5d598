"""The X12 5010 claim limits: how many diagnoses, pointers, modifiers and lines fit a claim.

One home for the counts the 837 implementation guides (TR3s) allow, so that coding,
claim building, the scrubbing edits and the 837 writer all read the same numbers:
005010X222A1 for the professional claim (837P), 005010X223A2 for the institutional one
(837I).

>>> MAX_PROFESSIONAL_DIAGNOSES, MAX_DIAGNOSIS_POINTERS, MAX_PROFESSIONAL_LINES
(12, 4, 50)
>>> MAX_INSTITUTIONAL_DIAGNOSES == 1 + MAX_INSTITUTIONAL_OTHER_DIAGNOSES
True
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "HI_CODES_PER_SEGMENT",
    "MAX_DIAGNOSIS_POINTERS",
    "MAX_INSTITUTIONAL_DIAGNOSES",
    "MAX_INSTITUTIONAL_LINES",
    "MAX_INSTITUTIONAL_OTHER_DIAGNOSES",
    "MAX_MODIFIERS",
    "MAX_PROFESSIONAL_DIAGNOSES",
    "MAX_PROFESSIONAL_LINES",
]

MAX_PROFESSIONAL_DIAGNOSES: Final[int] = 12
"""An 837P claim carries at most 12 diagnosis codes (005010X222A1 loop 2300 ``HI01``-``HI12``)."""

MAX_INSTITUTIONAL_OTHER_DIAGNOSES: Final[int] = 24
"""An 837I claim carries at most 24 other diagnoses (005010X223A2 loop 2300, two ``HI*ABF``)."""

MAX_INSTITUTIONAL_DIAGNOSES: Final[int] = 1 + MAX_INSTITUTIONAL_OTHER_DIAGNOSES
"""An 837I claim carries at most 25 diagnoses: the principal (``HI*ABK``) and 24 others."""

MAX_DIAGNOSIS_POINTERS: Final[int] = 4
"""An 837P line points at most at 4 diagnoses (005010X222A1 loop 2400 ``SV107-1``..``-4``)."""

MAX_MODIFIERS: Final[int] = 4
"""A claim line carries at most 4 procedure modifiers (837P ``SV101-3``..``-6``, 837I ``SV202``)."""

MAX_PROFESSIONAL_LINES: Final[int] = 50
"""An 837P claim carries at most 50 service lines (005010X222A1 loop 2400 repeat)."""

MAX_INSTITUTIONAL_LINES: Final[int] = 999
"""An 837I claim carries at most 999 service lines (005010X223A2 loop 2400 repeat)."""

HI_CODES_PER_SEGMENT: Final[int] = 12
"""One ``HI`` segment holds at most 12 code composites (``HI01``-``HI12``, both TR3s)."""
