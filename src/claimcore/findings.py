"""Findings: business-rule problems reported as data, not raised.

Every ``check``, ``verify``, ``code_encounter`` and ``scrub`` function in claimcore returns
:class:`Finding` records: an edit or rule id, a severity, a message without PHI, the
location it concerns, and, where a payer would answer it with a denial, the CARC it would
likely send; for eligibility, what a person should do about it.

>>> f = Finding(edit_id="ncci-ptp", severity=Severity.ERROR,
...             message="99214 and 36415 are an NCCI pair", location="$.lines[1]")
>>> f.is_error, f.rule
(True, 'ncci-ptp')
"""

from __future__ import annotations

import enum

import attrs

from claimcore._validate import instance, optional_instance, optional_text, text
from claimcore.codes import CARC

__all__ = ["Finding", "Severity"]


class Severity(enum.StrEnum):
    """How bad a finding is: an ``error`` stops the claim (or the visit's billing as
    planned), a ``warning`` is work to do that does not."""

    ERROR = "error"
    WARNING = "warning"


@attrs.frozen(kw_only=True)
class Finding:
    """One business-rule problem found by an edit or check, as data rather than an exception.

    ``edit_id`` names the edit or rule (``"ncci-ptp"``, ``"eligibility-inactive"``),
    ``location`` the field path (``"$.lines[3]"``), ``carc`` the claim adjustment reason
    code a payer would most likely send for it (``16`` missing information, ``236`` NCCI),
    ``action`` what a person should do. The texts never hold PHI. X12: what a 277CA
    ``STC`` or an 835 ``CAS`` would say after the fact.
    """

    edit_id: str
    severity: Severity
    message: str
    location: str = "$"
    carc: CARC | None = None
    action: str | None = None

    def __attrs_post_init__(self) -> None:
        text(self.edit_id, "$.edit_id", max_len=64)
        instance(self.severity, Severity, "$.severity")
        text(self.message, "$.message", max_len=500)
        text(self.location, "$.location", max_len=200)
        optional_instance(self.carc, CARC, "$.carc")
        optional_text(self.action, "$.action", max_len=500)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def rule(self) -> str:
        """The same as :attr:`edit_id`, the name coding checks use."""
        return self.edit_id
