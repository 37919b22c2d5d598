"""Remittance codes: CARC, RARC, claim adjustment groups and 835 claim status codes.

Sources:

* CARC (Claim Adjustment Reason Codes, X12 external code source 139): the code list in
  pyx12's ``map/codes.xml`` (element 1034, the 1 November 2014 list: 1-268, A0-A8,
  B1-B23, D1-D21, P1-P23, W1), BSD licence. X12 adds and retires codes several times a
  year, so :class:`CARC` checks the format only and :data:`CARC_CODES` says whether a
  code was on that list. :data:`CARC_DESCRIPTIONS` gives about 90 of the most used codes
  a short meaning in claimcore's own words (the official wording belongs to X12).
* RARC (Remittance Advice Remark Codes, code source 411): the 998 codes in pyx12's
  ``map/codes.xml`` (element 127; codes only, no descriptions), BSD licence.
* The literals live in :mod:`claimcore.codes.remittance_code_data`. A caller with a
  newer list (X12's, with descriptions and start and stop dates) reads it into a
  :class:`RemittanceCodeList` with :meth:`RemittanceCodeList.from_text` or
  :meth:`RemittanceCodeList.from_rows`; :func:`carc_list` and :func:`rarc_list` give the
  shipped lists in the same form.
* Adjustment groups (X12 element 1033) and 835 claim status codes (CLP02, element 1029):
  the 005010X221A1 implementation guide; meanings in our own words.

>>> AdjustmentGroup("PR").description
'patient responsibility'
>>> ClaimStatusCode("19").is_crossover
True
>>> CARC("45").description
'charge exceeds the fee schedule or contracted amount'
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import ClassVar, Final

import attrs

from claimcore._validate import instance, kind, optional_text, text, to_tuple
from claimcore.codes._base import Code, fail, require_str
from claimcore.codes.remittance_code_data import (
    CARC_DESCRIPTIONS,
    CARC_LIST_TEXT,
    CARC_SOURCE,
    RARC_LIST_TEXT,
    RARC_SOURCE,
)
from claimcore.errors import TypeMismatch, ValidationError

__all__ = [
    "CARC",
    "CARC_CODES",
    "CARC_DESCRIPTIONS",
    "RARC",
    "RARC_CODES",
    "AdjustmentGroup",
    "ClaimStatusCode",
    "RemittanceCode",
    "RemittanceCodeList",
    "carc_list",
    "rarc_list",
]

_CARC: Final = re.compile(r"[1-9][0-9]{0,2}|[A-Z][0-9]{1,2}")
_RARC: Final = re.compile(r"(?:M|N|MA)[0-9]{1,3}")


@attrs.frozen(order=True, repr=False)
class CARC(Code):
    """A Claim Adjustment Reason Code: why a payer paid differently from the charge.

    One to three digits without a leading zero (``1``, ``45``, ``253``) or a letter and one
    or two digits (``A1``, ``B7``, ``P12``). Always read together with an
    :class:`AdjustmentGroup` (``CO-45``, ``PR-1``).

    X12 835: ``CAS02``/``05``/``08``/...; FHIR: ``ClaimResponse.item.adjudication.reason``.
    """

    system: ClassVar[str] = "CARC"

    @classmethod
    def _check(cls, code: object) -> None:
        value = require_str(code, cls.system)
        if _CARC.fullmatch(value) is None:
            fail(f"CARC {value!r}: must be 1 to 3 digits without a leading zero, or an "
                 "uppercase letter and 1 or 2 digits", "carc-format")

    @property
    def description(self) -> str | None:
        """Our short meaning of a common CARC, or ``None`` when the table lacks it."""
        return CARC_DESCRIPTIONS.get(self.code)

    @property
    def is_known(self) -> bool:
        """Whether the code was on the shipped list (newer codes are still accepted)."""
        return self.code in CARC_CODES


@attrs.frozen(order=True, repr=False)
class RARC(Code):
    """A Remittance Advice Remark Code: more detail on an adjustment (``N14``, ``MA01``).

    ``M``, ``MA`` or ``N`` and one to three digits.

    X12 835: ``LQ02`` (line, with ``LQ01 = HE``), ``MIA``/``MOA`` (claim);
    FHIR: ``ClaimResponse.processNote`` / adjudication reason.
    """

    system: ClassVar[str] = "RARC"

    @classmethod
    def _check(cls, code: object) -> None:
        value = require_str(code, cls.system)
        if _RARC.fullmatch(value) is None:
            fail(f"RARC {value!r}: must be M, MA or N followed by 1 to 3 digits",
                 "rarc-format")

    @property
    def is_known(self) -> bool:
        """Whether the code was on the shipped list (newer codes are still accepted)."""
        return self.code in RARC_CODES


class AdjustmentGroup(enum.StrEnum):
    """The claim adjustment group: who bears an adjustment.

    X12 835: ``CAS01`` (element 1033). 5010 has four groups; ``CR`` (correction and
    reversal) was removed in 5010 (a reversal is claim status 22 with the original groups).
    """

    CONTRACTUAL_OBLIGATION = "CO"
    OTHER_ADJUSTMENT = "OA"
    PAYER_INITIATED_REDUCTION = "PI"
    PATIENT_RESPONSIBILITY = "PR"

    @classmethod
    def _missing_(cls, value: object) -> AdjustmentGroup:
        if value == "CR":
            raise ValidationError(
                "adjustment group 'CR' (correction and reversal) was removed in X12 5010; "
                "a reversal is claim status 22 with the original groups and every amount "
                "negated", rule="adjustment-group-cr-removed",
            )
        raise ValidationError(
            f"adjustment group {value!r} is not one of CO, OA, PI, PR",
            rule="adjustment-group-unknown",
        )

    @property
    def description(self) -> str:
        return _GROUP_DESCRIPTIONS[self]


_GROUP_DESCRIPTIONS: Final[Mapping[AdjustmentGroup, str]] = MappingProxyType({
    AdjustmentGroup.CONTRACTUAL_OBLIGATION: "contractual obligation (the provider writes it off)",
    AdjustmentGroup.OTHER_ADJUSTMENT: "other adjustment (neither provider nor patient owes it)",
    AdjustmentGroup.PAYER_INITIATED_REDUCTION: "payer-initiated reduction",
    AdjustmentGroup.PATIENT_RESPONSIBILITY: "patient responsibility",
})


class ClaimStatusCode(enum.StrEnum):
    """How the payer processed a claim: X12 835 ``CLP02`` (element 1029).

    "Processed" is not "paid": a claim processed as primary with a zero payment is still
    status 1. FHIR: ``ClaimResponse.outcome`` is coarser (``complete``, ``error``, ...).
    """

    PROCESSED_AS_PRIMARY = "1"
    PROCESSED_AS_SECONDARY = "2"
    PROCESSED_AS_TERTIARY = "3"
    DENIED = "4"
    PROCESSED_AS_PRIMARY_FORWARDED = "19"
    PROCESSED_AS_SECONDARY_FORWARDED = "20"
    PROCESSED_AS_TERTIARY_FORWARDED = "21"
    REVERSAL = "22"
    NOT_OUR_CLAIM_FORWARDED = "23"
    PREDETERMINATION = "25"

    @classmethod
    def _missing_(cls, value: object) -> ClaimStatusCode:
        raise ValidationError(
            f"claim status {value!r} is not an 835 CLP02 code "
            "(1, 2, 3, 4, 19, 20, 21, 22, 23, 25)",
            rule="claim-status-unknown",
        )

    @property
    def is_processed(self) -> bool:
        """Adjudicated as primary, secondary or tertiary (forwarded or not), paid or not."""
        return self.value in _PAYER_ORDER

    @property
    def is_crossover(self) -> bool:
        """Processed, then forwarded to the next payer (19, 20, 21)."""
        return self in _CROSSOVER

    @property
    def is_reversal(self) -> bool:
        """Reverses an earlier payment (22)."""
        return self is ClaimStatusCode.REVERSAL

    @property
    def is_denied(self) -> bool:
        """Denied: the payer did not recognise the patient (4)."""
        return self is ClaimStatusCode.DENIED

    @property
    def payer_order(self) -> int | None:
        """1, 2 or 3 for a claim processed as primary, secondary or tertiary; else ``None``."""
        return _PAYER_ORDER.get(self.value)

    @property
    def description(self) -> str:
        return _STATUS_DESCRIPTIONS[self]


_PAYER_ORDER: Final[Mapping[str, int]] = MappingProxyType(
    {"1": 1, "2": 2, "3": 3, "19": 1, "20": 2, "21": 3}
)
_CROSSOVER: Final = frozenset({
    ClaimStatusCode.PROCESSED_AS_PRIMARY_FORWARDED,
    ClaimStatusCode.PROCESSED_AS_SECONDARY_FORWARDED,
    ClaimStatusCode.PROCESSED_AS_TERTIARY_FORWARDED,
})
_STATUS_DESCRIPTIONS: Final[Mapping[ClaimStatusCode, str]] = MappingProxyType({
    ClaimStatusCode.PROCESSED_AS_PRIMARY: "processed as primary",
    ClaimStatusCode.PROCESSED_AS_SECONDARY: "processed as secondary",
    ClaimStatusCode.PROCESSED_AS_TERTIARY: "processed as tertiary",
    ClaimStatusCode.DENIED: "denied",
    ClaimStatusCode.PROCESSED_AS_PRIMARY_FORWARDED:
        "processed as primary and forwarded to another payer",
    ClaimStatusCode.PROCESSED_AS_SECONDARY_FORWARDED:
        "processed as secondary and forwarded to another payer",
    ClaimStatusCode.PROCESSED_AS_TERTIARY_FORWARDED:
        "processed as tertiary and forwarded to another payer",
    ClaimStatusCode.REVERSAL: "reversal of a previous payment",
    ClaimStatusCode.NOT_OUR_CLAIM_FORWARDED: "not this payer's claim; forwarded to another",
    ClaimStatusCode.PREDETERMINATION: "predetermination pricing only; no payment",
})

RARC_CODES: Final = frozenset(RARC_LIST_TEXT.split())
"""The 998 RARCs of pyx12's ``map/codes.xml`` (codes only)."""

CARC_CODES: Final = frozenset(CARC_LIST_TEXT.split())
"""The 345 CARCs of pyx12's ``map/codes.xml`` (the 1 November 2014 list)."""


# -- code lists with dates ------------------------------------------------------------

_SYSTEMS: Final[Mapping[str, type[Code]]] = MappingProxyType({"CARC": CARC, "RARC": RARC})
_US_DATE: Final = re.compile(r"([0-9]{2})/([0-9]{2})/([0-9]{4})")
_ISO_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NO_CONTROL: Final = re.compile(r"[^\x00-\x1f\x7f]+")
_LINE: Final = re.compile(r"\s*([A-Z]{0,2}[0-9]{1,3})[\s:.-]+(.*)")
_START: Final = re.compile(r"Start:\s*([0-9/-]+)")
_STOP: Final = re.compile(r"Stop:\s*([0-9/-]+)")
_DATES: Final = re.compile(r"\s*\|?\s*(?:Start|Last Modified|Stop):\s*[0-9/-]+")


@attrs.frozen(kw_only=True)
class RemittanceCode:
    """One CARC or RARC of a code list: its description and when it may be used.

    ``start`` is the first day the code may be used (X12's "Start"), ``stop`` the day it
    may no longer be (X12's "Stop": in force until the day before); ``None`` when the list
    does not say. ``description`` as the list gives it (X12's wording where the caller
    loaded X12's list).
    """

    code: str
    description: str | None = None
    start: date | None = None
    stop: date | None = None

    def __attrs_post_init__(self) -> None:
        text(self.code, "$.code", max_len=5)
        optional_text(self.description, "$.description", max_len=2000, pattern=_NO_CONTROL,
                      expected="text without control characters",
                      rule="description-format")
        for name in ("start", "stop"):
            value = getattr(self, name)
            if value is not None and type(value) is not date:
                raise TypeMismatch(f"must be a date, got {kind(value)}", path=f"$.{name}",
                                   rule="type")
        if self.start is not None and self.stop is not None and self.stop <= self.start:
            raise ValidationError("must be after $.start", path="$.stop", rule="date-order")

    def in_force(self, on: date) -> bool:
        """Whether the code may be used on ``on`` (unknown dates do not limit it)."""
        if type(on) is not date:
            raise TypeMismatch(f"must be a date, got {kind(on)}", path="$.on", rule="type")
        return (self.start is None or self.start <= on) and (
            self.stop is None or on < self.stop)


def _codes(value: Iterable[RemittanceCode]) -> tuple[RemittanceCode, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class RemittanceCodeList:
    """A CARC or RARC list: each code with its description and dates, by code.

    ``system`` is ``"CARC"`` or ``"RARC"``, ``version`` says which release (``"X12
    2026-03-01"``). Built by :meth:`from_text` or :meth:`from_rows` from the list a
    caller has (claimcore reads no file), or by :func:`carc_list` / :func:`rarc_list`
    for the shipped one.
    """

    system: str
    version: str
    entries: tuple[RemittanceCode, ...] = attrs.field(converter=_codes, repr=False)
    _index: dict[str, RemittanceCode] = attrs.field(init=False, repr=False, eq=False,
                                                    hash=False)

    def __attrs_post_init__(self) -> None:
        if self.system not in _SYSTEMS:
            raise ValidationError("must be 'CARC' or 'RARC'", path="$.system",
                                  rule="system")
        text(self.version, "$.version", max_len=100)
        code_type = _SYSTEMS[self.system]
        index: dict[str, RemittanceCode] = {}
        for i, entry in enumerate(self.entries):
            instance(entry, RemittanceCode, f"$.entries[{i}]")
            try:
                code_type(entry.code)
            except ValidationError as err:
                raise type(err)(err.message, path=f"$.entries[{i}].code",
                                rule=err.rule) from None
            if entry.code in index:
                raise ValidationError(f"{self.system} {entry.code} is listed twice",
                                      path=f"$.entries[{i}].code", rule="duplicate")
            index[entry.code] = entry
        object.__setattr__(self, "_index", index)

    def __repr__(self) -> str:
        return (f"RemittanceCodeList(system={self.system!r}, version={self.version!r}, "
                f"entries={len(self.entries)})")

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, code: object) -> bool:
        key = code.code if isinstance(code, Code) else code
        return isinstance(key, str) and key in self._index

    def codes(self) -> frozenset[str]:
        """Every code of the list."""
        return frozenset(self._index)

    def get(self, code: Code | str) -> RemittanceCode | None:
        """The entry of ``code`` (a :class:`CARC`, :class:`RARC` or its text), or ``None``."""
        key = code.code if isinstance(code, Code) else code
        return self._index.get(key) if isinstance(key, str) else None

    def description(self, code: Code | str) -> str | None:
        """The list's description of ``code``, or ``None``."""
        entry = self.get(code)
        return None if entry is None else entry.description

    def in_force(self, code: Code | str, *, on: date) -> bool:
        """Whether ``code`` is on the list and may be used on ``on``."""
        entry = self.get(code)
        return entry is not None and entry.in_force(on)

    @classmethod
    def from_rows(
        cls, rows: Iterable[Mapping[str, object]], *, system: str, version: str
    ) -> RemittanceCodeList:
        """A list from plain rows (e.g. ``csv.DictReader`` over the caller's file).

        Columns: ``code``; ``description``, ``start`` and ``stop`` optional, the dates as
        ``date``, ISO text or X12's ``MM/DD/YYYY`` (empty: not given). Any other column is
        refused, so that a misspelt one is not silently ignored.
        """
        entries = []
        for i, row in enumerate(rows):
            path = f"$.rows[{i}]"
            if not isinstance(row, Mapping):
                raise TypeMismatch(f"a row must be a mapping, got {kind(row)}", path=path,
                                   rule="type")
            extra = set(row) - {"code", "description", "start", "stop"}
            if extra:
                raise ValidationError(
                    f"unknown columns {sorted(map(str, extra))}; a row has code, "
                    "description, start, stop", path=path, rule="unknown-column")
            code = row.get("code")
            if type(code) is not str or not code.strip():
                raise ValidationError("needs a code", path=f"{path}.code", rule="required")
            description = row.get("description")
            if description is not None and type(description) is not str:
                raise TypeMismatch(f"must be text, got {kind(description)}",
                                   path=f"{path}.description", rule="type")
            entries.append(_entry(
                path, code.strip(), " ".join(description.split()) if description else None,
                _date(row.get("start"), f"{path}.start"),
                _date(row.get("stop"), f"{path}.stop"),
            ))
        return cls(system=system, version=version, entries=entries)

    @classmethod
    def from_text(cls, source: str, *, system: str, version: str) -> RemittanceCodeList:
        """A list from text as X12 publishes it: one code per line, then its description
        with ``Start: MM/DD/YYYY``, ``Last Modified: ...`` and ``Stop: MM/DD/YYYY`` notes
        (``45  Charge exceeds fee schedule ... Start: 01/01/1995 | Last Modified: ...``).

        A line that does not start with a code continues the description above it; blank
        lines are skipped. The dates are taken out of the description.
        """
        if type(source) is not str:
            raise TypeMismatch(f"must be text, got {kind(source)}", path="$.text",
                               rule="type")
        rows: list[tuple[int, str, str]] = []
        for n, line in enumerate(source.splitlines(), 1):
            if not line.strip():
                continue
            m = _LINE.fullmatch(line)
            if m is not None:
                rows.append((n, m.group(1), m.group(2)))
            elif rows:
                k, code, desc = rows[-1]
                rows[-1] = (k, code, f"{desc} {line.strip()}")
            else:
                raise ValidationError("must start with a code", path=f"$.lines[{n}]",
                                      rule="format")
        entries = []
        for n, code, desc in rows:
            path = f"$.lines[{n}]"
            start = _dated(_START, desc, path)
            stop = _dated(_STOP, desc, path)
            cleaned = " ".join(_DATES.sub("", desc).split()) or None
            entries.append(_entry(path, code, cleaned, start, stop))
        return cls(system=system, version=version, entries=entries)


def _entry(path: str, code: str, description: str | None, start: date | None,
           stop: date | None) -> RemittanceCode:
    try:
        return RemittanceCode(code=code, description=description, start=start, stop=stop)
    except ValidationError as err:
        raise err.at(path) from None


def _date(value: object, path: str) -> date | None:
    if value is None or value == "":
        return None
    if type(value) is date:
        return value
    if type(value) is str:
        text_ = value.strip()
        m = _US_DATE.fullmatch(text_)
        try:
            if m is not None:
                return date(int(m.group(3)), int(m.group(1)), int(m.group(2)))
            if _ISO_DATE.fullmatch(text_):
                return date.fromisoformat(text_)
        except ValueError:
            raise ValidationError("is not a calendar date", path=path, rule="date") from None
    raise ValidationError("must be a date, YYYY-MM-DD or MM/DD/YYYY", path=path,
                          rule="date")


def _dated(pattern: re.Pattern[str], desc: str, path: str) -> date | None:
    m = pattern.search(desc)
    return None if m is None else _date(m.group(1), path)


def carc_list() -> RemittanceCodeList:
    """The shipped CARC list: 345 codes, claimcore's short descriptions for about 90 of
    them, no dates (the source has none; load X12's list for those)."""
    return RemittanceCodeList(
        system="CARC", version=CARC_SOURCE,
        entries=[RemittanceCode(code=c, description=CARC_DESCRIPTIONS.get(c))
                 for c in CARC_LIST_TEXT.split()],
    )


def rarc_list() -> RemittanceCodeList:
    """The shipped RARC list: 998 codes, no descriptions or dates (the source has none)."""
    return RemittanceCodeList(
        system="RARC", version=RARC_SOURCE,
        entries=[RemittanceCode(code=c) for c in RARC_LIST_TEXT.split()],
    )
