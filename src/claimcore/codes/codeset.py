"""Versioned code sets: which codes are valid and billable on a date of service.

A :class:`CodeSet` is an immutable table of :class:`CodeEntry` rows for one code system,
built from rows the caller passes (claimcore reads no file). A code may have several
entries over time (a description change, a retirement and a re-activation); entries of
one code never overlap. Lookups hash the code to its few entries and pick the one in
force on the date, so a 98,000-row ICD-10-CM table answers as fast as a small one.

>>> from datetime import date
>>> icd = CodeSet.from_rows(
...     [
...         {"code": "E11", "start": "2015-10-01", "billable": False},
...         {"code": "E11.9", "start": "2015-10-01"},
...         {"code": "U07.1", "start": "2020-04-01"},
...     ],
...     name="ICD-10-CM sample", system=CodeSystem.ICD10CM, version="2026",
... )
>>> icd.check("E11.9", on=date(2026, 3, 1)).status
<CodeStatus.VALID: 'valid'>
>>> icd.check("E11", on=date(2026, 3, 1)).status
<CodeStatus.NOT_BILLABLE: 'not_billable'>
>>> icd.check("U07.1", on=date(2020, 3, 31)).message
'ICD-10-CM code U07.1 is not in force until 2020-04-01'
>>> icd.check("250.00", on=date(2014, 5, 1)).status
<CodeStatus.ICD9_ERA: 'icd9_era'>
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from itertools import chain, pairwise
from types import MappingProxyType
from typing import Final

import attrs

from claimcore._validate import (
    a_date,
    an_int,
    instance,
    kind,
    optional_instance,
    optional_text,
    text,
    to_tuple,
)
from claimcore.codes._base import Code
from claimcore.codes._search import ABBREVIATIONS, UNSPECIFIC, SearchHit, words
from claimcore.codes.icd10 import ICD10_EFFECTIVE, ICD10CM, ICD10PCS
from claimcore.codes.institutional import RevenueCode, TypeOfBill
from claimcore.codes.modifiers import Modifier
from claimcore.codes.ndc import NDC
from claimcore.codes.places import PlaceOfService
from claimcore.codes.procedures import CPT, HCPCS
from claimcore.codes.remittance_codes import CARC, RARC
from claimcore.errors import CodeSetError, TypeMismatch, ValidationError
from claimcore.periods import Period

__all__ = [
    "CodeCheck",
    "CodeEntry",
    "CodeSet",
    "CodeSets",
    "CodeStatus",
    "CodeSystem",
    "SexLimit",
]


class CodeSystem(enum.StrEnum):
    """The code system a :class:`CodeSet` holds; each maps to one :class:`Code` type."""

    ICD10CM = "icd10cm"
    ICD10PCS = "icd10pcs"
    CPT = "cpt"
    HCPCS = "hcpcs"
    MODIFIER = "modifier"
    PLACE_OF_SERVICE = "place_of_service"
    REVENUE_CODE = "revenue_code"
    TYPE_OF_BILL = "type_of_bill"
    CARC = "carc"
    RARC = "rarc"
    NDC = "ndc"

    @property
    def code_type(self) -> type[Code]:
        """The :class:`Code` subclass of this system."""
        return _CODE_TYPES[self]

    @classmethod
    def of(cls, code: Code) -> CodeSystem:
        """The system a code belongs to."""
        try:
            return _SYSTEMS[type(code)]
        except KeyError:
            raise TypeMismatch(
                f"must be a claimcore code, got {kind(code)}", path="$.code", rule="type"
            ) from None

    @property
    def label(self) -> str:
        """The system's usual name (``ICD-10-CM``)."""
        return self.code_type.system

    @property
    def is_icd10(self) -> bool:
        """ICD-10-CM or ICD-10-PCS: only in use for dates of service from 1 October 2015."""
        return self in (CodeSystem.ICD10CM, CodeSystem.ICD10PCS)


_CODE_TYPES: Final[Mapping[CodeSystem, type[Code]]] = MappingProxyType({
    CodeSystem.ICD10CM: ICD10CM,
    CodeSystem.ICD10PCS: ICD10PCS,
    CodeSystem.CPT: CPT,
    CodeSystem.HCPCS: HCPCS,
    CodeSystem.MODIFIER: Modifier,
    CodeSystem.PLACE_OF_SERVICE: PlaceOfService,
    CodeSystem.REVENUE_CODE: RevenueCode,
    CodeSystem.TYPE_OF_BILL: TypeOfBill,
    CodeSystem.CARC: CARC,
    CodeSystem.RARC: RARC,
    CodeSystem.NDC: NDC,
})
_SYSTEMS: Final[Mapping[type[Code], CodeSystem]] = MappingProxyType(
    {t: s for s, t in _CODE_TYPES.items()}
)


class SexLimit(enum.StrEnum):
    """The only sex a code applies to (ICD-10-CM's maternity and male-only codes).

    The values are those of :class:`claimcore.patients.AdministrativeSex`, so the two
    compare equal by value.
    """

    FEMALE = "F"
    MALE = "M"


class CodeStatus(enum.StrEnum):
    """The answer of a code check on a date of service."""

    VALID = "valid"
    """In force on the date and billable."""
    UNKNOWN = "unknown"
    """Not in the code set at all."""
    NOT_YET_IN_FORCE = "not_yet_in_force"
    """In the code set, but only from a later date."""
    RETIRED = "retired"
    """In the code set, but no longer (or not again yet) in force on the date."""
    NOT_BILLABLE = "not_billable"
    """In force, but a header (category) code that a claim cannot carry."""
    ICD9_ERA = "icd9_era"
    """The date of service is before 1 October 2015: ICD-9-CM applied, not ICD-10."""
    NOT_COVERED = "not_covered"
    """The date is outside the dates the code set speaks for (:attr:`CodeSet.covers`):
    it cannot say whether the code was in force (one year's table, an earlier date)."""


_NO_CONTROL: Final = re.compile(r"[^\x00-\x1f\x7f]+")


def _terms(value: Iterable[str]) -> tuple[str, ...]:
    if type(value) is str:
        raise TypeMismatch("must be a sequence of texts, not one str", path="$.terms",
                           rule="type")
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class CodeEntry:
    """One row of a code set: a code, when it is in force, and what a claim may do with it.

    ``code`` is the code's stored form (``E119``, as :attr:`Code.code`); ``description``
    only where the code system's licence allows (never CPT's); ``sex``, ``min_age`` and
    ``max_age`` (whole years, inclusive) limit whom the code may be used for, where the
    code set knows it.
    """

    code: str
    effective: Period
    billable: bool = True
    description: str | None = None
    sex: SexLimit | None = None
    min_age: int | None = None
    max_age: int | None = None
    terms: tuple[str, ...] = attrs.field(default=(), converter=_terms, repr=False)

    def __attrs_post_init__(self) -> None:
        text(self.code, "$.code", max_len=20)
        instance(self.effective, Period, "$.effective")
        if type(self.billable) is not bool:
            raise TypeMismatch(
                f"must be a bool, got {kind(self.billable)}", path="$.billable", rule="type"
            )
        optional_text(
            self.description, "$.description", max_len=500, pattern=_NO_CONTROL,
            expected="text without control characters", rule="description-format",
        )
        for i, term in enumerate(self.terms):
            text(term, f"$.terms[{i}]", max_len=500, pattern=_NO_CONTROL,
                 expected="text without control characters", rule="description-format")
        optional_instance(self.sex, SexLimit, "$.sex")
        if self.min_age is not None:
            an_int(self.min_age, "$.min_age", low=0, high=150)
        if self.max_age is not None:
            an_int(self.max_age, "$.max_age", low=0, high=150)
            if self.min_age is not None and self.max_age < self.min_age:
                raise ValidationError(
                    "must not be below $.min_age", path="$.max_age", rule="age-range"
                )

    def allows_age(self, age: int) -> bool:
        """Whether a patient of ``age`` whole years is within the entry's age limits."""
        return (self.min_age is None or age >= self.min_age) and (
            self.max_age is None or age <= self.max_age
        )


@attrs.frozen(kw_only=True)
class CodeCheck:
    """The answer to "may this code go on a claim for this date of service?", and why.

    ``code`` is the code's display form; ``entry`` the row in force on the date (for
    ``valid`` and ``not_billable``), else ``None``; ``message`` says why in words, with no
    PHI.
    """

    code: str
    system: CodeSystem
    on: date
    status: CodeStatus
    message: str
    entry: CodeEntry | None = None

    @property
    def ok(self) -> bool:
        """Whether the code is valid and billable on the date."""
        return self.status is CodeStatus.VALID

    @property
    def rule(self) -> str:
        """A stable rule id for a finding: ``code-not-billable``, ``icd9-era``, ..."""
        if self.status is CodeStatus.ICD9_ERA:
            return "icd9-era"
        return "code-" + self.status.value.replace("_", "-")


_TRUE: Final = frozenset({"true", "t", "y", "yes", "1"})
_FALSE: Final = frozenset({"false", "f", "n", "no", "0"})
_COLUMNS: Final = frozenset(
    {"code", "start", "end", "billable", "description", "sex", "min_age", "max_age",
     "terms"}
)


def _row_date(value: object, path: str) -> date:
    if type(value) is str:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValidationError(
                "must be a date or an ISO date string (YYYY-MM-DD or YYYYMMDD)",
                path=path, rule="format",
            ) from None
    return a_date(value, path)


def _row_bool(value: object, path: str) -> bool:
    if type(value) is bool:
        return value
    if type(value) is str and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise TypeMismatch(
        f"must be a bool or one of true/false, y/n, 1/0, got {kind(value)}",
        path=path, rule="type",
    )


def _row_age(value: object, path: str) -> int | None:
    if value is None or value == "":
        return None
    if type(value) is str and value.isascii() and value.isdigit():  # never "\u0663"
        if len(value.lstrip("0")) > 3:
            raise ValidationError("must be at most 150", path=path, rule="range")
        value = int(value)
    return an_int(value, path, low=0, high=150)


def _row_entry(
    row: Mapping[str, object], system: CodeSystem, path: str,
    periods: dict[tuple[date, date | None], Period],
) -> CodeEntry:
    if not isinstance(row, Mapping):
        raise TypeMismatch(f"a row must be a mapping, got {kind(row)}", path=path, rule="type")
    extra = set(row) - _COLUMNS
    if extra:
        raise ValidationError(
            f"unknown columns {sorted(map(str, extra))}; a row has {sorted(_COLUMNS)}",
            path=path, rule="unknown-column",
        )
    if "code" not in row or "start" not in row:
        raise ValidationError(
            "a row needs at least 'code' and 'start'", path=path, rule="missing-column"
        )
    raw = row["code"]
    try:
        code = raw if isinstance(raw, Code) else system.code_type(raw)  # type: ignore[arg-type]
    except ValidationError as err:
        raise err.at(f"{path}") from None
    if type(code) is not system.code_type:
        raise TypeMismatch(
            f"must be a {system.label} code, got {kind(code)}", path=f"{path}.code",
            rule="type",
        )
    end = row.get("end")
    sex = row.get("sex")
    description = row.get("description")
    terms = row.get("terms") or ()
    if type(terms) is str:  # a CSV cell: terms separated by "|"
        terms = tuple(t.strip() for t in terms.split("|") if t.strip())
    try:
        span = (
            _row_date(row["start"], f"{path}.start"),
            None if end is None or end == "" else _row_date(end, f"{path}.end"),
        )
        effective = periods.get(span)
        if effective is None:  # rows mostly share a few periods: keep one of each
            effective = periods[span] = Period(*span)
        return CodeEntry(
            code=code.code,
            effective=effective,
            billable=_row_bool(row.get("billable", True), f"{path}.billable"),
            description=None if description == "" else description,  # type: ignore[arg-type]
            sex=None if sex is None or sex == "" else SexLimit(sex),  # type: ignore[arg-type]
            min_age=_row_age(row.get("min_age"), f"{path}.min_age"),
            max_age=_row_age(row.get("max_age"), f"{path}.max_age"),
            terms=terms,  # type: ignore[arg-type]
        )
    except ValidationError as err:
        raise err if err.path.startswith(path) else err.at(path) from None
    except ValueError:
        raise ValidationError(
            "must be 'F', 'M' or empty", path=f"{path}.sex", rule="format"
        ) from None


def _entries(value: Iterable[CodeEntry]) -> tuple[CodeEntry, ...]:
    return to_tuple(value)


def _icd9_era(shown: str, system: CodeSystem, on: date) -> CodeCheck:
    return CodeCheck(
        code=shown, system=system, on=on, status=CodeStatus.ICD9_ERA,
        message=(
            f"the date of service {on.isoformat()} is before {ICD10_EFFECTIVE.isoformat()}, "
            f"when ICD-9-CM applied; {system.label} codes cannot be checked for it"
        ),
    )


@attrs.frozen(kw_only=True)
class CodeSet:
    """An immutable, versioned table of one code system's codes and their effective dates.

    ``name`` says what it is (``"ICD-10-CM FY2026"``), ``version`` which release
    (``"2026-04-01"``). Entries are kept as given; an index from each code to its few
    entries (by start date) answers :meth:`lookup` and :meth:`check` by hashing.
    """

    name: str
    system: CodeSystem
    version: str
    entries: tuple[CodeEntry, ...] = attrs.field(converter=_entries, repr=False)
    covers: Period | None = None
    """The dates the table speaks for, when it is one release (a year's table): on a
    date outside them :meth:`check` answers ``not_covered``, never ``not_yet_in_force``
    or ``unknown``. ``None``: the entries' own dates are the whole truth."""
    # Private, built once in __attrs_post_init__ and never changed: a plain dict (not a
    # MappingProxyType) because every lookup goes through it.
    _index: dict[str, tuple[CodeEntry, ...]] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    _type: type[Code] = attrs.field(init=False, repr=False, eq=False, hash=False)
    # The word index of search(), built on the first search: most code sets are only
    # ever checked, and the index of a full ICD-10-CM table costs about a second.
    _words: _WordIndex | None = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __repr__(self) -> str:
        # A full ICD-10-CM table has ~98,000 entries: show how many, never the rows.
        return (f"CodeSet(name={self.name!r}, system={self.system.value!r}, "
                f"version={self.version!r}, entries={len(self.entries)})")

    def __attrs_post_init__(self) -> None:
        text(self.name, "$.name", max_len=200)
        instance(self.system, CodeSystem, "$.system")
        text(self.version, "$.version", max_len=50)
        optional_instance(self.covers, Period, "$.covers")
        code_type = self.system.code_type
        index: dict[str, list[CodeEntry]] = {}
        canonical: dict[str, bool] = {}
        for i, entry in enumerate(self.entries):
            if type(entry) is not CodeEntry:
                raise TypeMismatch(
                    f"must be a CodeEntry, got {kind(entry)}",
                    path=f"$.entries[{i}]", rule="type",
                )
            key = entry.code
            if key not in canonical:
                try:
                    canonical[key] = code_type(key).code == key
                except ValidationError as err:
                    raise err.at(f"$.entries[{i}]") from None
                if not canonical[key]:
                    raise ValidationError(
                        f"must be the code's stored form {code_type(key).code!r} "
                        f"(as {code_type.__name__}.code holds it)",
                        path=f"$.entries[{i}].code", rule="codeset-not-canonical",
                    )
            index.setdefault(key, []).append(entry)
        frozen: dict[str, tuple[CodeEntry, ...]] = {}
        for key, found in index.items():
            if len(found) > 1:
                found.sort(key=lambda e: e.effective.start)
                for before, after in pairwise(found):
                    if before.effective.overlaps(after.effective):
                        raise ValidationError(
                            f"{code_type.system} code {code_type(key)} has overlapping "
                            f"entries ({before.effective} and {after.effective})",
                            path="$.entries", rule="codeset-overlap",
                        )
            frozen[key] = tuple(found)
        object.__setattr__(self, "_index", frozen)
        object.__setattr__(self, "_type", code_type)
        object.__setattr__(self, "_words", None)

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Mapping[str, object]],
        *,
        name: str,
        system: CodeSystem,
        version: str,
    ) -> CodeSet:
        """A code set from plain rows (dicts, e.g. from ``csv.DictReader``).

        Columns: ``code`` (any written form the code type accepts, or a code), ``start``
        and ``end`` (``date`` or ISO string; ``end`` empty or absent while in force),
        ``billable`` (bool or ``true``/``false``, ``y``/``n``, ``1``/``0``; default true),
        ``description``, ``sex`` (``F``/``M``), ``min_age``, ``max_age``. Any other column
        is refused, so a misspelt one is not silently ignored.
        """
        instance(system, CodeSystem, "$.system")
        periods: dict[tuple[date, date | None], Period] = {}
        entries = [
            _row_entry(row, system, f"$.rows[{i}]", periods) for i, row in enumerate(rows)
        ]
        return cls(name=name, system=system, version=version, entries=entries)

    def __len__(self) -> int:
        """How many distinct codes the set holds."""
        return len(self._index)

    def __contains__(self, code: object) -> bool:
        """Whether the set holds the code on any date."""
        if isinstance(code, Code):
            return type(code) is self.system.code_type and code.code in self._index
        return False

    def codes(self) -> frozenset[str]:
        """The stored form of every code in the set."""
        return frozenset(self._index)

    def _key(self, code: Code | str) -> str:
        code_type = self.system.code_type
        if type(code) is code_type:
            return code.code
        if type(code) is str:
            return code_type(code).code
        raise TypeMismatch(
            f"must be a {code_type.__name__} or a str, got {kind(code)}",
            path="$.code", rule="type",
        )

    def entries_for(self, code: Code | str) -> tuple[CodeEntry, ...]:
        """Every entry of a code, by start date (empty when the set lacks it)."""
        return self._index.get(self._key(code), ())

    def lookup(self, code: Code | str, *, on: date) -> CodeEntry | None:
        """The entry of ``code`` in force on ``on``, or ``None`` (billable or not)."""
        if type(on) is not date:
            a_date(on, "$.on")
        key = code.code if type(code) is self._type else self._key(code)
        for entry in self._index.get(key, ()):
            period = entry.effective
            if period.start <= on and (period.end is None or on <= period.end):
                return entry
        return None

    def is_valid(self, code: Code | str, *, on: date) -> bool:
        """Whether ``code`` is in force and billable on ``on``."""
        if type(on) is not date:
            a_date(on, "$.on")
        if on < ICD10_EFFECTIVE and self.system.is_icd10:
            return False
        key = code.code if type(code) is self._type else self._key(code)
        for entry in self._index.get(key, ()):
            period = entry.effective
            if period.start <= on and (period.end is None or on <= period.end):
                return entry.billable
        return False

    def check(self, code: Code | str, *, on: date) -> CodeCheck:
        """Whether ``code`` may go on a claim for ``on``, and if not, why.

        For ICD-10-CM and ICD-10-PCS before 1 October 2015 the answer is ``icd9_era``
        whatever the code looks like (an ICD-9-CM code such as ``250.00`` is not called
        malformed). A malformed code raises :class:`~claimcore.errors.ValidationError`.
        """
        a_date(on, "$.on")
        system = self.system
        if system.is_icd10 and on < ICD10_EFFECTIVE:
            return _icd9_era(code if type(code) is str else str(code), system, on)
        key = self._key(code)
        shown = str(system.code_type(key))
        label = f"{system.label} code {shown}"
        covers = self.covers
        if covers is not None and not covers.contains(on):
            span = (f"from {covers.start.isoformat()}" if covers.end is None
                    else f"{covers.start.isoformat()} to {covers.end.isoformat()}")
            return CodeCheck(
                code=shown, system=system, on=on, status=CodeStatus.NOT_COVERED,
                message=f"{self.name} ({self.version}) covers {span} only: it cannot say "
                f"whether {label} was in force on {on.isoformat()}; check it with that "
                "year's code set",
            )
        entries = self._index.get(key, ())
        if not entries:
            return CodeCheck(
                code=shown, system=system, on=on, status=CodeStatus.UNKNOWN,
                message=f"{label} is not in {self.name} ({self.version})",
            )
        for entry in entries:
            if entry.effective.contains(on):
                if entry.billable:
                    return CodeCheck(
                        code=shown, system=system, on=on, status=CodeStatus.VALID,
                        message=f"{label} is valid on {on.isoformat()}", entry=entry,
                    )
                return CodeCheck(
                    code=shown, system=system, on=on, status=CodeStatus.NOT_BILLABLE,
                    message=f"{label} is a header code, not billable: use a more "
                    "specific code below it",
                    entry=entry,
                )
        if on < entries[0].effective.start:
            return CodeCheck(
                code=shown, system=system, on=on, status=CodeStatus.NOT_YET_IN_FORCE,
                message=f"{label} is not in force until "
                f"{entries[0].effective.start.isoformat()}",
            )
        ended = max(
            end for end in (e.effective.end for e in entries) if end is not None and end < on
        )
        return CodeCheck(
            code=shown, system=system, on=on, status=CodeStatus.RETIRED,
            message=f"{label} was retired on {ended.isoformat()} (its last day in force)",
        )

    def search(
        self,
        text: str,
        *,
        on: date,
        limit: int = 10,
        billable_only: bool = True,
        abbreviations: Mapping[str, str] = ABBREVIATIONS,
    ) -> tuple[SearchHit, ...]:
        """The codes in force on ``on`` whose description or terms hold the words of ``text``.

        Words are compared lower-case and stemmed; a word of ``abbreviations`` (by default
        :data:`~claimcore.codes.ABBREVIATIONS`: ``htn``, ``dm2``, ``chf``, ...) is read as
        the words it stands for. Hits are ranked by how many of the query's words they
        hold, then billable codes first, then the shorter (less specific) code, then code
        order; each says why it matched. ``billable_only`` (the default) leaves header
        codes out. Nothing matches before 1 October 2015 in an ICD-10 set, or an empty
        query.
        """
        _text_arg(text)
        a_date(on, "$.on")
        an_int(limit, "$.limit", low=1, high=1000)
        if type(billable_only) is not bool:
            raise TypeMismatch("must be a bool", path="$.billable_only", rule="type")
        if self.system.is_icd10 and on < ICD10_EFFECTIVE:
            return ()
        labels = _query(text, abbreviations)
        if not labels:
            return ()
        index = self._words
        if index is None:
            index = _WordIndex(self.entries)
            object.__setattr__(self, "_words", index)
        return index.search(labels, on=on, limit=limit, billable_only=billable_only,
                            code_type=self._type)


@attrs.frozen(kw_only=True)
class CodeSets:
    """The code sets an edit may consult, one per code system, each optional.

    :meth:`check` dispatches on the code's type: ``code_sets.check(ICD10CM("E11.9"),
    on=...)`` asks the ICD-10-CM set.
    """

    icd10cm: CodeSet | None = None
    icd10pcs: CodeSet | None = None
    cpt: CodeSet | None = None
    hcpcs: CodeSet | None = None
    modifiers: CodeSet | None = None
    places_of_service: CodeSet | None = None
    revenue_codes: CodeSet | None = None
    ndcs: CodeSet | None = None

    def __attrs_post_init__(self) -> None:
        for field, system in _SLOTS.items():
            value = getattr(self, field)
            if value is None:
                continue
            instance(value, CodeSet, f"$.{field}")
            if value.system is not system:
                raise ValidationError(
                    f"must be a {system.label} code set, got a {value.system.label} one",
                    path=f"$.{field}", rule="codeset-system",
                )

    def for_system(self, system: CodeSystem) -> CodeSet | None:
        """The code set held for ``system``, or ``None``."""
        field = _FIELD_OF.get(system)
        return None if field is None else getattr(self, field)

    def check(self, code: Code, *, on: date) -> CodeCheck:
        """Check ``code`` against the set of its system.

        Raises :class:`~claimcore.errors.CodeSetError` when no set for that system is held
        (except for ICD-10 codes before 1 October 2015, which are ``icd9_era`` anyway).
        """
        system = CodeSystem.of(code)
        a_date(on, "$.on")
        if system.is_icd10 and on < ICD10_EFFECTIVE:
            return _icd9_era(str(code), system, on)
        code_set = self.for_system(system)
        if code_set is None:
            raise CodeSetError(f"no {system.label} code set was given to check {code}")
        return code_set.check(code, on=on)


_SLOTS: Final[Mapping[str, CodeSystem]] = MappingProxyType({
    "icd10cm": CodeSystem.ICD10CM,
    "icd10pcs": CodeSystem.ICD10PCS,
    "cpt": CodeSystem.CPT,
    "hcpcs": CodeSystem.HCPCS,
    "modifiers": CodeSystem.MODIFIER,
    "places_of_service": CodeSystem.PLACE_OF_SERVICE,
    "revenue_codes": CodeSystem.REVENUE_CODE,
    "ndcs": CodeSystem.NDC,
})
_FIELD_OF: Final[Mapping[CodeSystem, str]] = MappingProxyType(
    {s: f for f, s in _SLOTS.items()}
)



def _text_arg(value: object) -> None:
    if type(value) is not str:
        raise TypeMismatch(f"must be a str, got {kind(value)}", path="$.text", rule="type")
    if len(value) > 500:
        raise ValidationError("must be at most 500 characters", path="$.text",
                              rule="length")


def _query(phrase: str, abbreviations: Mapping[str, str]) -> dict[str, str]:
    """Each stem of the query with the word it came from (``hypertension (htn)``)."""
    labels: dict[str, str] = {}
    for raw in re.split(r"[^0-9a-z]+", phrase.lower()):
        if not raw:
            continue
        long = abbreviations.get(raw)
        if long is None:
            for one in words(raw):
                labels.setdefault(one, raw)
            continue
        for word in re.split(r"[^0-9a-z]+", long.lower()):
            for one in words(word):
                labels.setdefault(one, f"{word} ({raw})")
    return labels


def _rank(entry: CodeEntry, stems: tuple[str, ...]) -> tuple[bool, int, int, str, date]:
    # billable first, then the general code before the specific one: fewer characters,
    # then fewer words that say something (``unspecified`` and ``other`` say nothing)
    specific = sum(1 for s in stems if s not in UNSPECIFIC)
    return (not entry.billable, len(entry.code), specific, entry.code,
            entry.effective.start)


class _WordIndex:
    """Stems to the entries holding them, entries kept in rank order.

    Postings hold ranks (positions in ``ranked``), so sorting candidates is sorting
    small ints, and a one-word query is already in order.
    """

    __slots__ = ("first_header", "postings", "ranked")

    def __init__(self, entries: Iterable[CodeEntry]) -> None:
        memo: dict[str, str] = {}
        keyed: list[tuple[tuple[bool, int, int, str, date], CodeEntry, set[str]]] = []
        for entry in entries:
            own = words(entry.description, memo) if entry.description is not None else ()
            stems = set(own)
            for term in entry.terms:
                stems.update(words(term, memo))
            keyed.append((_rank(entry, own), entry, stems))
        keyed.sort(key=lambda k: k[0])
        self.ranked = tuple(entry for _, entry, _ in keyed)
        self.first_header = sum(1 for e in self.ranked if e.billable)
        postings: dict[str, list[int]] = {}
        for rank, (_, _, stems) in enumerate(keyed):
            for one in stems:
                postings.setdefault(one, []).append(rank)
        self.postings = {k: tuple(v) for k, v in postings.items()}

    def _ordered(self, stems: list[str]) -> Iterable[tuple[int, Iterable[int]]]:
        """(how many stems matched, ranks in order) from the most matched down."""
        lists = sorted((self.postings[s] for s in stems), key=len)
        if len(lists) == 1:
            yield 1, lists[0]
            return
        every = set(lists[0]).intersection(*lists[1:])  # from the shortest list
        yield len(lists), sorted(every)
        counts = Counter(chain.from_iterable(lists))
        by_count: dict[int, list[int]] = {}
        for rank, count in counts.items():
            if count < len(lists):
                by_count.setdefault(count, []).append(rank)
        for count in sorted(by_count, reverse=True):
            yield count, sorted(by_count[count])

    def search(
        self, labels: Mapping[str, str], *, on: date, limit: int, billable_only: bool,
        code_type: type[Code],
    ) -> tuple[SearchHit, ...]:
        stems = [s for s in labels if s in self.postings]
        if not stems:
            return ()
        hits: list[SearchHit] = []
        for _, ranks in self._ordered(stems):
            for rank in ranks:
                entry = self.ranked[rank]
                if billable_only and not entry.billable:
                    if rank >= self.first_header:
                        break  # ranks past here are all headers
                    continue
                period = entry.effective
                if on < period.start or (period.end is not None and on > period.end):
                    continue
                hits.append(_hit(entry, labels, code_type))
                if len(hits) == limit:
                    return tuple(hits)
        return tuple(hits)


def _hit(entry: CodeEntry, labels: Mapping[str, str], code_type: type[Code]) -> SearchHit:
    description = entry.description or ""
    best: tuple[int, str] = (-1, description)
    matched: set[str] = set()
    for source in (description, *entry.terms):
        found = set(words(source)) & labels.keys()
        matched |= found
        if len(found) > best[0]:
            best = (len(found), source)
    return SearchHit(
        code=code_type(entry.code), description=description or entry.code,
        billable=entry.billable,
        matched=tuple(labels[s] for s in labels if s in matched), of=len(labels),
        source=best[1] or entry.code,
    )
