"""National Drug Codes: the FDA's product identifiers, normalised to HIPAA's 11 digits.

The FDA publishes NDCs as 10 digits in three hyphenated segments, 4-4-2, 5-3-2 or
5-4-1 (labeler, product, package). Claims carry 11 digits, 5-4-2, made by padding the
short segment with a leading zero. An unhyphenated 10-digit NDC is ambiguous (the
segment that was short cannot be known), so it is refused.

>>> NDC("0777-3105-02")
NDC('00777310502')
>>> NDC("00777310502").hyphenated
'00777-3105-02'
"""

from __future__ import annotations

import re
from typing import ClassVar, Final

import attrs

from claimcore.codes._base import Code, fail, require_str

__all__ = ["NDC"]

_ELEVEN: Final = re.compile(r"[0-9]{11}")
_HYPHENATED: Final = re.compile(r"([0-9]{4,5})-([0-9]{3,4})-([0-9]{1,2})")


def _normalise(value: str) -> str:
    """A well-formed hyphenated 10- or 11-digit NDC as its 11 digits; anything else as is."""
    if type(value) is not str or "-" not in value:
        return value
    m = _HYPHENATED.fullmatch(value)
    if m is None:
        return value
    labeler, product, package = m.groups()
    lengths = (len(labeler), len(product), len(package))
    if lengths in ((4, 4, 2), (5, 3, 2), (5, 4, 1), (5, 4, 2)):
        return labeler.zfill(5) + product.zfill(4) + package.zfill(2)
    return value


@attrs.frozen(order=True, repr=False)
class NDC(Code):
    """A National Drug Code, stored as 11 digits (5-4-2).

    Accepts 11 digits, or a hyphenated 4-4-2, 5-3-2, 5-4-1 or 5-4-2 form.
    X12 837: ``LIN03`` with ``LIN02 = N4`` (drug line, loop 2410); FHIR: ``Coding`` with
    system ``http://hl7.org/fhir/sid/ndc``.
    """

    code: str = attrs.field(converter=_normalise)
    system: ClassVar[str] = "NDC"

    @classmethod
    def _check(cls, code: object) -> None:
        value = require_str(code, cls.system)
        if _ELEVEN.fullmatch(value) is not None:
            return
        if len(value) == 10 and value.isdigit() and value.isascii():
            fail(f"NDC {value!r}: ten digits without hyphens are ambiguous (4-4-2, 5-3-2 "
                 "or 5-4-1?); give the hyphenated form from the package or the 11-digit "
                 "5-4-2 form", "ndc-ambiguous-ten-digits")
        fail(f"NDC {value!r}: must be 11 digits, or hyphenated as 4-4-2, 5-3-2, 5-4-1 or "
             "5-4-2", "ndc-format")

    @property
    def hyphenated(self) -> str:
        """The 11-digit form with hyphens: ``00777-3105-02``."""
        c = self.code
        return f"{c[:5]}-{c[5:9]}-{c[9:]}"
