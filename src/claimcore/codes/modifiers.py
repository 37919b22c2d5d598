"""CPT and HCPCS modifiers, and a table of the common ones with meanings in our own words.

Source: the modifiers listed in CPT Appendix A and the CMS HCPCS Level II file, as used
on Medicare claims in 2024-2026; the meanings below are claimcore's own short summaries
(the official descriptors are not reproduced). Two-character format only is enforced:
payers publish which modifiers they accept.

>>> Modifier("59").description
'distinct procedural service (not normally reported together)'
>>> Modifier("XS") in DISTINCT_PROCEDURAL
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar, Final

import attrs

from claimcore.codes._base import Code, fail, require_str

__all__ = ["DISTINCT_PROCEDURAL", "MODIFIERS", "X_MODIFIERS", "Modifier"]

_MODIFIER: Final = re.compile(r"[0-9A-Z]{2}")


@attrs.frozen(order=True, repr=False)
class Modifier(Code):
    """A CPT or HCPCS modifier: two digits or uppercase letters (``25``, ``TC``, ``XS``).

    X12 837P: ``SV101-3`` to ``SV101-6`` (at most four per line); FHIR:
    ``Claim.item.modifier``.
    """

    system: ClassVar[str] = "modifier"

    @classmethod
    def _check(cls, code: object) -> None:
        value = require_str(code, cls.system)
        if _MODIFIER.fullmatch(value) is None:
            fail(f"modifier {value!r}: must be exactly two digits or uppercase letters",
                 "modifier-format")

    @property
    def description(self) -> str | None:
        """Our short meaning of a common modifier, or ``None`` when the table lacks it."""
        return MODIFIERS.get(self.code)


MODIFIERS: Final[Mapping[str, str]] = MappingProxyType({
    "22": "increased procedural services (substantially more work than usual)",
    "24": "unrelated evaluation and management in a postoperative period",
    "25": "significant, separately identifiable E/M on the day of a procedure",
    "26": "professional component only",
    "27": "another hospital outpatient E/M encounter on the same date",
    "50": "bilateral procedure",
    "51": "multiple procedures in one session",
    "52": "reduced services",
    "53": "procedure discontinued after it started",
    "54": "surgical care only",
    "55": "postoperative management only",
    "56": "preoperative management only",
    "57": "decision for surgery made at this E/M visit",
    "58": "staged or related procedure in the postoperative period",
    "59": "distinct procedural service (not normally reported together)",
    "62": "two surgeons, each a primary surgeon",
    "66": "surgical team",
    "76": "repeat procedure by the same physician",
    "77": "repeat procedure by another physician",
    "78": "unplanned return to the operating room, related procedure",
    "79": "unrelated procedure in the postoperative period",
    "80": "assistant surgeon",
    "82": "assistant surgeon when no qualified resident was available",
    "90": "reference (outside) laboratory performed the test",
    "91": "repeat clinical laboratory test on the same day",
    "93": "synchronous telemedicine by audio only",
    "95": "synchronous telemedicine by audio and video",
    "AA": "anesthesia performed personally by the anesthesiologist",
    "AS": "physician assistant, nurse practitioner or clinical nurse specialist assisting "
          "at surgery",
    "CR": "related to a catastrophe or disaster",
    "FS": "split (shared) evaluation and management visit",
    "GA": "advance beneficiary notice (waiver of liability) on file",
    "GC": "performed in part by a resident under a teaching physician",
    "GE": "performed by a resident under the primary care exception",
    "GN": "under an outpatient speech-language pathology plan of care",
    "GO": "under an outpatient occupational therapy plan of care",
    "GP": "under an outpatient physical therapy plan of care",
    "GT": "by interactive audio and video telecommunication",
    "GY": "statutorily excluded or not a benefit",
    "GZ": "expected to be denied as not reasonable and necessary; no notice on file",
    "JW": "drug amount discarded, not given to the patient",
    "JZ": "no drug amount discarded",
    "KX": "requirements of the payer's medical policy are met",
    "LT": "left side of the body",
    "RT": "right side of the body",
    "PO": "excepted service in an off-campus provider-based department",
    "PN": "non-excepted service in an off-campus provider-based department",
    "Q5": "reciprocal billing arrangement (substitute physician)",
    "Q6": "fee-for-time compensation arrangement (locum tenens)",
    "QK": "medical direction of two to four concurrent anesthesia procedures",
    "QW": "CLIA-waived test",
    "QX": "CRNA service with medical direction by a physician",
    "QZ": "CRNA service without medical direction by a physician",
    "TC": "technical component only",
    "XE": "separate encounter",
    "XP": "separate practitioner",
    "XS": "separate structure or organ",
    "XU": "unusual non-overlapping service",
})
"""Common modifiers and their meaning, in claimcore's own words."""

X_MODIFIERS: Final = frozenset({"XE", "XP", "XS", "XU"})
"""The X{EPSU} modifiers: more specific subsets of 59 (CMS, January 2015)."""

DISTINCT_PROCEDURAL: Final = frozenset({Modifier(c) for c in ("59", *sorted(X_MODIFIERS))})
"""59 and XE/XS/XP/XU: 59 must never appear on one line together with an X modifier."""
