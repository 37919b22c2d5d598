"""Claim scrubbing: the edits a claim passes before it goes to the payer.

:func:`scrub` runs a sequence of :class:`Edit` callables over a claim and returns a
:class:`ScrubReport` of :class:`Finding` records (business-rule problems are data, not
exceptions). :data:`DEFAULT_EDITS` holds the edits every claim should pass: required data,
the X12 5010 limits, diagnosis pointers, the total, code validity on the date of
service, dates, duplicate lines, units and charges, frequency, 59 with X{EPSU}, NCCI
procedure-to-procedure pairs, medically unlikely edits, timely filing, and for
institutional claims present-on-admission indicators, value code amounts, occurrence and
procedure dates within the stay, and the Medicare secondary payer reason. NCCI and MUE
tables and code sets are values the caller passes in an :class:`EditContext`; an edit
whose table is not given does not run.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final, Protocol, runtime_checkable

import attrs

from claimcore._validate import (
    a_date,
    an_int,
    instance,
    members,
    optional_date,
    optional_instance,
    text,
    to_tuple,
)
from claimcore.claims._claim import Claim, ClaimKind, ClaimLine
from claimcore.codes import (
    CARC,
    CPT,
    DISTINCT_PROCEDURAL,
    HCPCS,
    ICD10CM,
    MSP_VALUE_CODES,
    Code,
    CodeSets,
    Modifier,
    ProcedureCode,
    TabularInstructions,
)
from claimcore.codes.codeset import CodeStatus, CodeSystem
from claimcore.codes.limits import (
    MAX_DIAGNOSIS_POINTERS,
    MAX_INSTITUTIONAL_DIAGNOSES,
    MAX_INSTITUTIONAL_LINES,
    MAX_MODIFIERS,
    MAX_PROFESSIONAL_DIAGNOSES,
    MAX_PROFESSIONAL_LINES,
)
from claimcore.coding import modifier_25_findings, tabular_findings
from claimcore.coverage import CoverageOrder, PayerKind
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.findings import Finding, Severity
from claimcore.ids import ClaimId
from claimcore.patients import AdministrativeSex
from claimcore.periods import Period, age_on

__all__ = [
    "DEFAULT_EDITS",
    "LIMITS",
    "NCCI_BYPASS_MODIFIERS",
    "Edit",
    "EditContext",
    "FunctionEdit",
    "MueEntry",
    "MueIndicator",
    "MueTable",
    "NcciEdit",
    "NcciModifierIndicator",
    "NcciTable",
    "ScrubReport",
    "edit",
    "filing_deadline",
    "scrub",
]

_ERROR: Final = Severity.ERROR
_PROCEDURE: Final = (CPT, HCPCS)

LIMITS: Final[Mapping[str, int]] = MappingProxyType({
    "professional_diagnoses": MAX_PROFESSIONAL_DIAGNOSES,
    "institutional_diagnoses": MAX_INSTITUTIONAL_DIAGNOSES,
    "pointers": MAX_DIAGNOSIS_POINTERS,
    "modifiers": MAX_MODIFIERS,
    "professional_lines": MAX_PROFESSIONAL_LINES,
    "institutional_lines": MAX_INSTITUTIONAL_LINES,
})
"""The X12 5010 limits the ``x12-limits`` edit checks: 12 diagnoses on a professional
claim (``HI``), a principal and 24 others on an institutional one, 4 pointers
(``SV107``) and 4 modifiers (``SV101-3..6``) per line, 50 lines (837P loop 2400) and
999 (837I). The numbers live in :mod:`claimcore.codes.limits`; this is their view by
name."""

NCCI_BYPASS_MODIFIERS: Final = frozenset(
    Modifier(c) for c in (
        "59", "XE", "XS", "XP", "XU",                             # distinct service
        "E1", "E2", "E3", "E4", "FA", "F1", "F2", "F3", "F4",   # anatomic: eyelids, fingers
        "F5", "F6", "F7", "F8", "F9", "LC", "LD", "LM", "RC",   # fingers, coronary arteries
        "RI", "LT", "RT", "TA", "T1", "T2", "T3", "T4", "T5",   # sides, toes
        "T6", "T7", "T8", "T9",
        "24", "25", "57", "58", "78", "79",                       # global surgery
        "27", "91",                                               # other NCCI-associated
    )
)
"""The NCCI-associated modifiers that let a pair with modifier indicator 1 through
(CMS NCCI Policy Manual, chapter I, section E)."""


def _carc(code: str) -> CARC:
    return CARC(code)


CARC_MISSING: Final = _carc("16")
CARC_MODIFIER: Final = _carc("4")
CARC_NCCI: Final = _carc("236")
CARC_MUE_LINE: Final = _carc("151")
CARC_MUE_DAY: Final = _carc("119")
CARC_TIMELY: Final = _carc("29")
CARC_DUPLICATE: Final = _carc("18")
CARC_BEFORE_COVERAGE: Final = _carc("26")
CARC_AFTER_COVERAGE: Final = _carc("27")
CARC_DIAGNOSIS: Final = _carc("146")
CARC_PROCEDURE: Final = _carc("181")
CARC_MODIFIER_INVALID: Final = _carc("182")
CARC_PLACE: Final = _carc("58")
CARC_DIAGNOSIS_AGE: Final = _carc("9")
CARC_DIAGNOSIS_SEX: Final = _carc("10")


# -- NCCI and MUE tables ----------------------------------------------------------------


class NcciModifierIndicator(enum.StrEnum):
    """Whether an NCCI-associated modifier lets a pair through: ``0`` never, ``1`` yes,
    ``9`` the edit does not apply (deleted on its first day)."""

    NOT_ALLOWED = "0"
    ALLOWED = "1"
    NOT_APPLICABLE = "9"


class MueIndicator(enum.StrEnum):
    """The MUE adjudication indicator: ``1`` per line, ``2`` per date of service (policy,
    absolute), ``3`` per date of service (clinical, appealable)."""

    LINE = "1"
    DATE_OF_SERVICE_POLICY = "2"
    DATE_OF_SERVICE_CLINICAL = "3"


def _check_code(value: object, path: str) -> None:
    if not isinstance(value, _PROCEDURE):
        raise TypeMismatch(
            f"must be a CPT or HCPCS code, got {type(value).__name__}", path=path, rule="type"
        )


@attrs.frozen(kw_only=True)
class NcciEdit:
    """One NCCI procedure-to-procedure pair: ``column2`` is not paid with ``column1`` on
    the same date, unless the modifier indicator is ``1`` and a bypass modifier is on the
    column-2 line. From the CMS PTP tables (practitioner or hospital outpatient)."""

    column1: ProcedureCode
    column2: ProcedureCode
    effective: Period
    modifier_indicator: NcciModifierIndicator

    def __attrs_post_init__(self) -> None:
        _check_code(self.column1, "$.column1")
        _check_code(self.column2, "$.column2")
        instance(self.effective, Period, "$.effective")
        instance(self.modifier_indicator, NcciModifierIndicator, "$.modifier_indicator")
        if self.column1 == self.column2:
            raise ValidationError(
                "a pair has two different codes", path="$.column2", rule="same-code"
            )


_NO_PAIRS: Final[Mapping[Any, tuple[NcciEdit, ...]]] = MappingProxyType({})


def _ncci_edits(value: Iterable[NcciEdit]) -> tuple[NcciEdit, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class NcciTable:
    """The NCCI PTP pairs the caller passes (claimcore ships none: the tables are CMS's
    and change each quarter). Indexed by column-1 code and by code pair when built, so a
    claim's scrub costs the same whatever the number of pairs a code has."""

    edits: tuple[NcciEdit, ...] = attrs.field(converter=_ncci_edits)
    _by_column1: Mapping[ProcedureCode, tuple[NcciEdit, ...]] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )
    _by_pair: Mapping[ProcedureCode, Mapping[ProcedureCode, tuple[NcciEdit, ...]]] = (
        attrs.field(init=False, eq=False, repr=False, hash=False)
    )

    def __attrs_post_init__(self) -> None:
        members(self.edits, NcciEdit, "$.edits")
        index: dict[ProcedureCode, list[NcciEdit]] = {}
        pairs: dict[ProcedureCode, dict[ProcedureCode, list[NcciEdit]]] = {}
        for pair in self.edits:
            index.setdefault(pair.column1, []).append(pair)
            pairs.setdefault(pair.column1, {}).setdefault(pair.column2, []).append(pair)
        object.__setattr__(
            self, "_by_column1", {k: tuple(v) for k, v in index.items()}
        )
        object.__setattr__(self, "_by_pair", {
            first: {second: tuple(v) for second, v in inner.items()}
            for first, inner in pairs.items()
        })

    def pairs_for(self, column1: ProcedureCode, *, on: date) -> Iterator[NcciEdit]:
        """The pairs with ``column1`` in force on ``on``."""
        for pair in self._by_column1.get(column1, ()):
            if pair.effective.contains(on):
                yield pair

    def pair(
        self, column1: ProcedureCode, column2: ProcedureCode, *, on: date
    ) -> NcciEdit | None:
        """The pair ``column1``/``column2`` in force on ``on``, or ``None``."""
        return next(self.pairs_between(column1, column2, on=on), None)

    def pairs_between(
        self, column1: ProcedureCode, column2: ProcedureCode, *, on: date
    ) -> Iterator[NcciEdit]:
        """The pairs ``column1``/``column2`` in force on ``on`` (one lookup, any table size)."""
        for pair in self._by_pair.get(column1, _NO_PAIRS).get(column2, ()):
            if pair.effective.contains(on):
                yield pair

    def column2_pairs(
        self, column1: ProcedureCode
    ) -> Mapping[ProcedureCode, tuple[NcciEdit, ...]]:
        """Every pair with ``column1``, by column-2 code, whatever its dates."""
        return self._by_pair.get(column1, _NO_PAIRS)


@attrs.frozen(kw_only=True)
class MueEntry:
    """A medically unlikely edit: at most ``max_units`` of ``code`` per line (indicator 1)
    or per date of service (2, 3), from the CMS MUE tables."""

    code: ProcedureCode
    max_units: int
    adjudication_indicator: MueIndicator
    effective: Period

    def __attrs_post_init__(self) -> None:
        _check_code(self.code, "$.code")
        an_int(self.max_units, "$.max_units", low=0)
        instance(self.adjudication_indicator, MueIndicator, "$.adjudication_indicator")
        instance(self.effective, Period, "$.effective")


def _mue_entries(value: Iterable[MueEntry]) -> tuple[MueEntry, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class MueTable:
    """The MUE entries the caller passes, indexed by code when built."""

    entries: tuple[MueEntry, ...] = attrs.field(converter=_mue_entries)
    _by_code: Mapping[ProcedureCode, tuple[MueEntry, ...]] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        members(self.entries, MueEntry, "$.entries")
        index: dict[ProcedureCode, list[MueEntry]] = {}
        for i, entry in enumerate(self.entries):
            found = index.setdefault(entry.code, [])
            if any(e.effective.overlaps(entry.effective) for e in found):
                raise ValidationError(
                    "has two entries for one code in force at once",
                    path=f"$.entries[{i}]", rule="mue-overlap",
                )
            found.append(entry)
        object.__setattr__(self, "_by_code", {k: tuple(v) for k, v in index.items()})

    def lookup(self, code: ProcedureCode, *, on: date) -> MueEntry | None:
        """The entry for ``code`` in force on ``on``, or ``None``."""
        for entry in self._by_code.get(code, ()):
            if entry.effective.contains(on):
                return entry
        return None


# -- context, protocol, report ----------------------------------------------------------


def _minor_procedures(
    value: Iterable[ProcedureCode] | None,
) -> frozenset[ProcedureCode] | None:
    return None if value is None else frozenset(value)


def _poa_exempt(value: Iterable[ICD10CM] | None) -> frozenset[ICD10CM] | None:
    return None if value is None else frozenset(value)


@attrs.frozen(kw_only=True)
class EditContext:
    """What the edits need besides the claim: the date of the scrub and the caller's tables.

    ``patient_birth_date`` and ``patient_sex`` override the claim's patient when given
    (kept out of ``repr``: they are PHI). ``tabular`` (the ICD-10-CM tabular's
    instructions) runs the ``tabular`` edit; ``minor_procedures`` (the caller's codes of
    000/010-day global procedures) the ``modifier-25`` edit; ``poa_exempt`` (the CMS
    list of ICD-10-CM codes exempt from POA reporting, for the year of discharge) lets
    the ``poa`` edit accept those codes without an indicator.
    """

    as_of: date
    code_sets: CodeSets | None = None
    ncci: NcciTable | None = None
    mue: MueTable | None = None
    patient_birth_date: date | None = attrs.field(default=None, repr=False)
    patient_sex: AdministrativeSex | None = attrs.field(default=None, repr=False)
    tabular: TabularInstructions | None = None
    minor_procedures: frozenset[ProcedureCode] | None = attrs.field(
        default=None, converter=_minor_procedures)
    poa_exempt: frozenset[ICD10CM] | None = attrs.field(default=None, converter=_poa_exempt)

    def __attrs_post_init__(self) -> None:
        a_date(self.as_of, "$.as_of")
        for exempt in self.poa_exempt or ():
            instance(exempt, ICD10CM, "$.poa_exempt[]")
        optional_instance(self.tabular, TabularInstructions, "$.tabular")
        for code in self.minor_procedures or ():
            _check_code(code, "$.minor_procedures[]")
        optional_instance(self.code_sets, CodeSets, "$.code_sets")
        optional_instance(self.ncci, NcciTable, "$.ncci")
        optional_instance(self.mue, MueTable, "$.mue")
        optional_date(self.patient_birth_date, "$.patient_birth_date")
        optional_instance(self.patient_sex, AdministrativeSex, "$.patient_sex")


@runtime_checkable
class Edit(Protocol):
    """A scrubbing edit: ``edit(claim, context)`` yields findings; ``edit.id`` names it.

    Write your own as a class with an ``id`` and ``__call__``, or wrap a function with
    :func:`edit`.
    """

    @property
    def id(self) -> str: ...

    def __call__(self, claim: Claim, context: EditContext, /) -> Iterable[Finding]: ...


EditFunction = Callable[[Claim, EditContext], Iterable[Finding]]


class FunctionEdit:
    """An :class:`Edit` made from a function and an id (see :func:`edit`).

    Not a data value (it holds code), so it is a plain class rather than an attrs one:
    it never travels through the converter.
    """

    __slots__ = ("function", "id")

    def __init__(self, id: str, function: EditFunction) -> None:
        text(id, "$.id", max_len=64)
        if not callable(function):
            raise TypeMismatch("must be callable", path="$.function", rule="type")
        self.id = id
        self.function = function

    def __call__(self, claim: Claim, context: EditContext, /) -> Iterable[Finding]:
        return self.function(claim, context)

    def __repr__(self) -> str:
        return f"FunctionEdit({self.id!r})"


def edit(edit_id: str) -> Callable[[EditFunction], FunctionEdit]:
    """Decorator: turn ``function(claim, context) -> Iterable[Finding]`` into an :class:`Edit`.

    >>> @edit("no-emergency")
    ... def no_emergency(claim, context):
    ...     return ()
    >>> no_emergency.id
    'no-emergency'
    """
    def wrap(function: EditFunction) -> FunctionEdit:
        return FunctionEdit(edit_id, function)

    return wrap


def _findings(value: Iterable[Finding]) -> tuple[Finding, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class ScrubReport:
    """What a scrub found on one version (``revision``) of one claim, as of a date.

    :func:`~claimcore.claims.mark_ready` takes it and refuses a report with errors or one
    for another claim or version.
    """

    claim_id: ClaimId
    revision: int
    as_of: date
    findings: tuple[Finding, ...] = attrs.field(default=(), converter=_findings)

    def __attrs_post_init__(self) -> None:
        instance(self.claim_id, ClaimId, "$.claim_id")
        an_int(self.revision, "$.revision", low=0)
        a_date(self.as_of, "$.as_of")
        members(self.findings, Finding, "$.findings")

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def clean(self) -> bool:
        """No error (warnings allowed): the claim may be marked ready."""
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def edit_ids(self) -> frozenset[str]:
        """The ids of the edits that found something."""
        return frozenset(f.edit_id for f in self.findings)


def scrub(
    claim: Claim, *, edits: Iterable[Edit] | None = None, context: EditContext
) -> ScrubReport:
    """Run ``edits`` (default :data:`DEFAULT_EDITS`) over ``claim``; gather their findings."""
    instance(claim, Claim, "$.claim")
    instance(context, EditContext, "$.context")
    found: list[Finding] = []
    for one in DEFAULT_EDITS if edits is None else edits:
        found.extend(one(claim, context))
    return ScrubReport(
        claim_id=claim.id, revision=claim.revision, as_of=context.as_of, findings=found
    )


# -- the default edits ------------------------------------------------------------------


def _error(edit_id: str, message: str, location: str = "$", carc: CARC = CARC_MISSING) -> Finding:
    return Finding(edit_id=edit_id, severity=_ERROR, message=message, location=location,
                   carc=carc)


@edit("required")
def required_data(claim: Claim, context: EditContext) -> Iterator[Finding]:
    """The data every claim of its kind needs: diagnoses, place of service or type of bill,
    statement period and attending provider, a procedure or revenue code per line."""
    e = "required"
    if not claim.diagnoses:
        yield _error(e, "the claim has no diagnosis", "$.diagnoses")
    if claim.kind is ClaimKind.PROFESSIONAL:
        if claim.place_of_service is None:
            yield _error(e, "a professional claim needs a place of service",
                         "$.place_of_service")
        for i, line in enumerate(claim.lines):
            if line.procedure is None:
                yield _error(e, "a professional line needs a procedure code",
                             f"$.lines[{i}].procedure")
    else:
        if claim.type_of_bill is None:
            yield _error(e, "an institutional claim needs a type of bill", "$.type_of_bill")
        if claim.admission is None:
            yield _error(e, "an institutional claim needs a statement period",
                         "$.admission")
        if claim.attending_provider is None:
            yield _error(e, "an institutional claim needs an attending provider",
                         "$.attending_provider")
        for i, line in enumerate(claim.lines):
            if line.revenue_code is None:
                yield _error(e, "an institutional line needs a revenue code",
                             f"$.lines[{i}].revenue_code")


@edit("x12-limits")
def x12_limits(claim: Claim, context: EditContext) -> Iterator[Finding]:
    """The counts X12 5010 allows: diagnoses, lines, pointers and modifiers per line;
    and a claim id claimcore's 837 writers send as ``CLM01``
    (:meth:`~claimcore.ids.ClaimId.is_submittable`)."""
    e = "x12-limits"
    if not claim.id.is_submittable():
        yield _error(e, "the claim id cannot be sent as CLM01: claimcore writes 1 to 20 "
                     "letters, digits or . / _ - (payers echo 20 characters in CLP01)",
                     "$.id")
    professional = claim.kind is ClaimKind.PROFESSIONAL
    most = LIMITS["professional_diagnoses" if professional else "institutional_diagnoses"]
    if len(claim.diagnoses) > most:
        yield _error(e, f"{len(claim.diagnoses)} diagnoses; the {claim.kind.value} claim "
                     f"carries at most {most}", "$.diagnoses")
    most = LIMITS["professional_lines" if professional else "institutional_lines"]
    if len(claim.lines) > most:
        yield _error(e, f"{len(claim.lines)} lines; a {claim.kind.value} claim carries at "
                     f"most {most} (split it)", "$.lines")
    for i, line in enumerate(claim.lines):
        if len(line.pointers) > LIMITS["pointers"]:
            yield _error(e, f"{len(line.pointers)} diagnosis pointers; a line carries at "
                         f"most {LIMITS['pointers']}", f"$.lines[{i}].pointers")
        if len(line.modifiers) > LIMITS["modifiers"]:
            yield _error(e, f"{len(line.modifiers)} modifiers; a line carries at most "
                         f"{LIMITS['modifiers']}", f"$.lines[{i}].modifiers")


@edit("pointers")
def pointers(claim: Claim, context: EditContext) -> Iterator[Finding]:
    """Every professional line points at 1 to 4 diagnoses that exist, each once."""
    if claim.kind is not ClaimKind.PROFESSIONAL:
        return
    e = "pointers"
    count = len(claim.diagnoses)
    for i, line in enumerate(claim.lines):
        if not line.pointers:
            yield _error(e, "the line points at no diagnosis", f"$.lines[{i}].pointers")
        if len(set(line.pointers)) != len(line.pointers):
            yield _error(e, "the line points at one diagnosis twice",
                         f"$.lines[{i}].pointers")
        for j, p in enumerate(line.pointers):
            if p > count or p > LIMITS["professional_diagnoses"]:
                yield _error(e, f"pointer {p} does not resolve: the claim has {count} "
                             "diagnoses", f"$.lines[{i}].pointers[{j}]")


@edit("total")
def total(claim: Claim, context: EditContext) -> Iterator[Finding]:
    """The total charge is the sum of the line charges (837 ``CLM02``)."""
    amount = sum((line.charge.amount for line in claim.lines), Decimal(0))
    if claim.total_charge.amount != amount:
        yield _error("total", "the total charge is not the sum of the line charges",
                     "$.total_charge")


_CARC_OF_SYSTEM: Final[Mapping[CodeSystem, CARC]] = MappingProxyType({
    CodeSystem.ICD10CM: CARC_DIAGNOSIS,
    CodeSystem.CPT: CARC_PROCEDURE,
    CodeSystem.HCPCS: CARC_PROCEDURE,
    CodeSystem.MODIFIER: CARC_MODIFIER_INVALID,
    CodeSystem.PLACE_OF_SERVICE: CARC_PLACE,
    CodeSystem.REVENUE_CODE: CARC_MISSING,
    CodeSystem.NDC: CARC_MISSING,
})


def _codes_on(claim: Claim) -> Iterator[tuple[Code, date, str]]:
    first = claim.service_period.start
    for k, dx in enumerate(claim.diagnoses):
        yield dx, first, f"$.diagnoses[{k}]"
    if claim.admitting_diagnosis is not None:
        yield claim.admitting_diagnosis, first, "$.admitting_diagnosis"
    if claim.place_of_service is not None:
        yield claim.place_of_service, first, "$.place_of_service"
    for i, line in enumerate(claim.lines):
        on = line.from_date
        if line.procedure is not None:
            yield line.procedure, on, f"$.lines[{i}].procedure"
        if line.revenue_code is not None:
            yield line.revenue_code, on, f"$.lines[{i}].revenue_code"
        for j, modifier in enumerate(line.modifiers):
            yield modifier, on, f"$.lines[{i}].modifiers[{j}]"
        if line.ndc is not None:
            yield line.ndc, on, f"$.lines[{i}].ndc"


@edit("codes")
def codes_valid(claim: Claim, context: EditContext) -> Iterator[Finding]:
    """Every code is valid and billable on its date of service, in the code sets given
    (diagnoses on the claim's first date of service). Systems without a set are skipped."""
    sets = context.code_sets
    if sets is None:
        return
    for code, on, location in _codes_on(claim):
        system = CodeSystem.of(code)
        code_set = sets.for_system(system)
        if code_set is None:
            continue
        check = code_set.check(code, on=on)
        if check.status is not CodeStatus.VALID:
            yield _error("codes", check.message, location,
                         _CARC_OF_SYSTEM.get(system, CARC_MISSING))


@edit("dates")
def dates(claim: Claim, context: EditContext) -> Iterator[Finding]:
    """Dates of service inside the coverage period, not before birth, not after the scrub
    date; an institutional discharge not before the admission."""
    e = "dates"
    coverage = claim.coverage.period
    birth = context.patient_birth_date or claim.patient.birth_date
    for i, line in enumerate(claim.lines):
        where = f"$.lines[{i}].service_period"
        if line.from_date < coverage.start:
            yield _error(e, "service before the coverage period starts", where,
                         CARC_BEFORE_COVERAGE)
        elif coverage.end is not None and line.through_date > coverage.end:
            yield _error(e, "service after the coverage period ends", where,
                         CARC_AFTER_COVERAGE)
        if line.from_date < birth:
            yield _error(e, "service before the patient's birth date", where)
        if line.through_date > context.as_of:
            yield _error(e, "service dated after the scrub date (a future service)", where)
    admission = claim.admission
    if admission is not None:
        if (
            admission.admission_date is not None
            and admission.discharge_date is not None
            and admission.discharge_date < admission.admission_date
        ):
            yield _error(e, "discharge before admission", "$.admission.discharge_date")
        if admission.admission_date is not None and admission.admission_date < birth:
            yield _error(e, "admission before the patient's birth date",
                         "$.admission.admission_date")


def _line_key(line: ClaimLine) -> tuple[object, ...]:
    return (line.procedure, line.revenue_code, line.modifiers, line.service_period)


@edit("duplicates")
def duplicates(claim: Claim, context: EditContext) -> Iterator[Finding]:
    """No two lines bill the same code with the same modifiers for the same dates."""
    seen: dict[tuple[object, ...], int] = {}
    for i, line in enumerate(claim.lines):
        key = _line_key(line)
        if key in seen:
            yield _error("duplicates", f"the line repeats line {seen[key] + 1}",
                         f"$.lines[{i}]", CARC_DUPLICATE)
        else:
            seen[key] = i


@edit("units-charges")
def units_and_charges(claim: Claim, context: EditContext) -> Iterator[Finding]:
    """Every line has positive units and a positive charge."""
    for i, line in enumerate(claim.lines):
        if line.units <= 0:
            yield _error("units-charges", "units must be positive", f"$.lines[{i}].units")
        if line.charge.amount <= 0:
            yield _error("units-charges", "the charge must be positive",
                         f"$.lines[{i}].charge")


@edit("frequency")
def frequency(claim: Claim, context: EditContext) -> Iterator[Finding]:
    """The payer's original claim number is there if and only if the frequency is 7 or 8."""
    if claim.frequency.requires_original_claim_number != (
        claim.original_claim_number is not None
    ):
        yield _error("frequency", "frequency and original claim number disagree",
                     "$.original_claim_number")


@edit("modifier-59-x")
def modifier_59_x(claim: Claim, context: EditContext) -> Iterator[Finding]:
    """59 and XE/XS/XP/XU never on one line (the X modifiers are specific forms of 59)."""
    for i, line in enumerate(claim.lines):
        distinct = [m for m in line.modifiers if m in DISTINCT_PROCEDURAL]
        if len(distinct) > 1 and Modifier("59") in distinct:
            yield _error("modifier-59-x", "modifier 59 and an X modifier on one line",
                         f"$.lines[{i}].modifiers", CARC_MODIFIER)


@edit("ncci-ptp")
def ncci_ptp(claim: Claim, context: EditContext) -> Iterator[Finding]:
    """NCCI procedure-to-procedure pairs on one date of service (table from the context).

    Indicator 0: the column-2 line is refused; 1: refused unless it carries an
    NCCI-associated modifier; 9: not applied.
    """
    table = context.ncci
    if table is None:
        return
    lines = claim.lines
    for i, first in enumerate(lines):
        if first.procedure is None:
            continue
        by_column2 = table.column2_pairs(first.procedure)
        if not by_column2:  # most codes head no pair: one lookup per line
            continue
        on = first.from_date
        for j, second in enumerate(lines):
            if i == j or second.procedure is None or second.from_date != on:
                continue
            for pair in by_column2.get(second.procedure, ()):
                if (not pair.effective.contains(on) or pair.modifier_indicator
                        is NcciModifierIndicator.NOT_APPLICABLE):
                    continue
                if pair.modifier_indicator is NcciModifierIndicator.ALLOWED and any(
                    m in NCCI_BYPASS_MODIFIERS for m in second.modifiers
                ):
                    continue
                how = (
                    "never billed together" if pair.modifier_indicator
                    is NcciModifierIndicator.NOT_ALLOWED
                    else "billed together only with an NCCI-associated modifier"
                )
                yield _error(
                    "ncci-ptp",
                    f"NCCI pair {pair.column1}/{pair.column2} on one date: {how}",
                    f"$.lines[{j}]", CARC_NCCI,
                )


@edit("mue")
def mue(claim: Claim, context: EditContext) -> Iterator[Finding]:
    """Medically unlikely edits: units per line (indicator 1) or per date of service
    (2 and 3) above the table's maximum (table from the context)."""
    table = context.mue
    if table is None:
        return
    per_day: dict[tuple[ProcedureCode, date], tuple[Decimal, int, MueEntry]] = {}
    for i, line in enumerate(claim.lines):
        if line.procedure is None:
            continue
        on = line.from_date
        entry = table.lookup(line.procedure, on=on)
        if entry is None:
            continue
        if entry.adjudication_indicator is MueIndicator.LINE:
            if line.units > entry.max_units:
                yield _error("mue", f"{line.units} units of {line.procedure} on one line; "
                             f"the MUE is {entry.max_units}", f"$.lines[{i}].units",
                             CARC_MUE_LINE)
        else:
            key = (line.procedure, on)
            units, _, _ = per_day.get(key, (Decimal(0), i, entry))
            per_day[key] = (units + line.units, i, entry)
    for (code, _), (units, last, entry) in per_day.items():
        if units > entry.max_units:
            yield _error("mue", f"{units} units of {code} on one date of service; the MUE "
                         f"is {entry.max_units}", f"$.lines[{last}].units", CARC_MUE_DAY)


@edit("tabular")
def tabular(claim: Claim, context: EditContext) -> Iterator[Finding]:
    """The ICD-10-CM tabular's instructions over the claim's diagnoses (Excludes1, code
    first, use additional code, 7th character and placeholder X, unspecified beside
    specific), from the context's tabular; see :func:`claimcore.coding.tabular_findings`."""
    if context.tabular is None:
        return
    code_set = None if context.code_sets is None else context.code_sets.icd10cm
    for found in tabular_findings(claim.diagnoses, context.tabular, code_set=code_set):
        yield attrs.evolve(found, carc=CARC_DIAGNOSIS) if found.is_error else found


@edit("age-sex")
def age_sex(claim: Claim, context: EditContext) -> Iterator[Finding]:
    """Diagnoses whose code-set entry limits the patient's sex or age (maternity,
    newborn, male- or female-only codes, as the caller's ICD-10-CM set says), against
    the patient on the claim's first date of service. The patient's values are compared,
    never shown."""
    sets = context.code_sets
    code_set = None if sets is None else sets.icd10cm
    if code_set is None:
        return
    on = claim.service_period.start
    sex = context.patient_sex or claim.patient.sex
    age = age_on(context.patient_birth_date or claim.patient.birth_date, on)
    for k, dx in enumerate(claim.diagnoses):
        entry = code_set.lookup(dx, on=on)
        if entry is None:
            continue
        if (entry.sex is not None and sex is not AdministrativeSex.UNKNOWN
                and sex.value != entry.sex.value):
            word = "female" if entry.sex.value == "F" else "male"
            yield _error("age-sex", f"{dx} is for {word} patients only ({code_set.name}); "
                         "the patient's recorded sex differs", f"$.diagnoses[{k}]",
                         CARC_DIAGNOSIS_SEX)
        if not entry.allows_age(age):
            low = "any" if entry.min_age is None else str(entry.min_age)
            high = "any" if entry.max_age is None else str(entry.max_age)
            yield _error("age-sex", f"{dx} is limited to ages {low} to {high} "
                         f"({code_set.name}); the patient's age on the date of service is "
                         "outside them", f"$.diagnoses[{k}]", CARC_DIAGNOSIS_AGE)


@edit("modifier-25")
def modifier_25(claim: Claim, context: EditContext) -> Iterator[Finding]:
    """An office E/M on the date of a minor procedure (the context's table) carries
    modifier 25; see :func:`claimcore.coding.modifier_25_findings`."""
    if context.minor_procedures is None:
        return
    yield from modifier_25_findings(
        [(line.procedure, line.from_date, line.modifiers, f"$.lines[{i}].modifiers")
         for i, line in enumerate(claim.lines) if line.procedure is not None],
        context.minor_procedures,
    )


def filing_deadline(claim: Claim) -> date:
    """The last day the payer accepts the claim: its timely-filing limit counted from the
    earliest line's from-date (professional) or the through-date (institutional)."""
    limit = claim.coverage.payer.timely_filing
    if claim.kind is ClaimKind.PROFESSIONAL:
        return limit.deadline(min(line.from_date for line in claim.lines))
    return limit.deadline(_through(claim))


def _through(claim: Claim) -> date:
    if claim.admission is not None and claim.admission.statement_period.end is not None:
        return claim.admission.statement_period.end
    return claim.service_period.end or claim.service_period.start


@edit("timely-filing")
def timely_filing(claim: Claim, context: EditContext) -> Iterator[Finding]:
    """The claim reaches the payer within its timely-filing limit, as of the scrub date."""
    limit = claim.coverage.payer.timely_filing
    as_of = context.as_of
    if claim.kind is ClaimKind.PROFESSIONAL:
        due_on: dict[date, date] = {}
        for i, line in enumerate(claim.lines):
            start = line.service_period.start
            due = due_on.get(start)
            if due is None:
                due = due_on[start] = limit.deadline(start)
            if as_of > due:
                yield _error("timely-filing", f"past the payer's filing limit (was due "
                             f"{due.isoformat()})", f"$.lines[{i}].service_period",
                             CARC_TIMELY)
    else:
        due = limit.deadline(_through(claim))
        if as_of > due:
            yield _error("timely-filing", f"past the payer's filing limit (was due "
                         f"{due.isoformat()})", "$.admission.statement_period", CARC_TIMELY)


# -- institutional: UB-04 codes ------------------------------------------------------------

_DAY_COUNTS: Final = frozenset({"80", "81", "82", "83"})
"""Value codes that count days (covered, non-covered, coinsurance, lifetime reserve)."""
_BEFORE_STAY: Final = frozenset({"01", "02", "03", "04", "05", "06", "11"})
"""Occurrence codes that date an event before the stay may begin (accidents, onset)."""


def _is_inpatient(claim: Claim) -> bool:
    tob = claim.type_of_bill
    return (claim.kind is ClaimKind.INSTITUTIONAL and tob is not None
            and tob.facility_type == "1" and tob.bill_classification == "1")


@edit("poa")
def present_on_admission(claim: Claim, context: EditContext) -> Iterator[Finding]:
    """An inpatient hospital claim (type of bill 11x) gives every diagnosis its
    present-on-admission indicator, but for codes the caller lists as exempt."""
    if not _is_inpatient(claim):
        return
    exempt = context.poa_exempt or frozenset()
    for i, (dx, poa) in enumerate(claim.diagnoses_on_admission):
        if poa is None and dx not in exempt:
            yield _error("poa", f"diagnosis {dx} has no present-on-admission indicator "
                         "(required on inpatient claims; exempt codes come from "
                         "EditContext.poa_exempt)", f"$.present_on_admission[{i}]")


@edit("value-codes")
def value_codes(claim: Claim, context: EditContext) -> Iterator[Finding]:
    """Value code amounts: none negative, no code twice, day counts whole and within the
    statement period."""
    e = "value-codes"
    seen: set[str] = set()
    admission = claim.admission
    days = None
    if admission is not None and admission.statement_period.end is not None:
        days = (admission.statement_period.end - admission.statement_period.start).days + 1
    for i, value in enumerate(claim.value_codes):
        where = f"$.value_codes[{i}]"
        code = value.code.code
        if code in seen:
            yield _error(e, f"value code {code} is given twice", where)
        seen.add(code)
        amount = value.amount.amount
        if amount < 0:
            yield _error(e, f"value code {code} has a negative amount", f"{where}.amount")
        elif code in _DAY_COUNTS:
            if amount != amount.to_integral_value():
                yield _error(e, f"value code {code} counts days: a whole number",
                             f"{where}.amount")
            elif days is not None and amount > days:
                yield _error(e, f"value code {code} counts {amount} days; the statement "
                             f"period has {days}", f"{where}.amount")


@edit("occurrence-dates")
def occurrence_dates(claim: Claim, context: EditContext) -> Iterator[Finding]:
    """Occurrence and occurrence span dates within the statement period (accident and
    onset codes 01-06 and 11 may precede it), never after it."""
    admission = claim.admission
    if admission is None:
        return
    period = admission.statement_period
    end = period.end or period.start
    dated = [(f"$.occurrences[{i}].on", o.code.code, o.on, o.on)
             for i, o in enumerate(claim.occurrences)]
    dated += [(f"$.occurrence_spans[{i}].period", s.code.code, s.period.start,
               s.period.end or s.period.start) for i, s in enumerate(claim.occurrence_spans)]
    for where, code, first, last in dated:
        if last > end:
            yield _error("occurrence-dates", f"occurrence code {code} is dated after the "
                         "statement period", where)
        elif first < period.start and code not in _BEFORE_STAY:
            yield _error("occurrence-dates", f"occurrence code {code} is dated before the "
                         "statement period", where)


@edit("procedure-dates")
def procedure_dates(claim: Claim, context: EditContext) -> Iterator[Finding]:
    """ICD-10-PCS procedures (the principal first) performed within the stay: from the
    admission (or the statement period's start) to the discharge (or its end)."""
    admission = claim.admission
    if admission is None or not claim.procedures:
        return
    period = admission.statement_period
    first = admission.admission_date or period.start
    last = admission.discharge_date or period.end or period.start
    for i, procedure in enumerate(claim.procedures):
        if not first <= procedure.on <= last:
            what = "the principal procedure" if i == 0 else f"procedure {procedure.code}"
            yield _error("procedure-dates", f"{what} is dated outside the stay "
                         f"({first.isoformat()} to {last.isoformat()})",
                         f"$.procedures[{i}].on")


@edit("medicare-secondary")
def medicare_secondary(claim: Claim, context: EditContext) -> Iterator[Finding]:
    """A claim to Medicare as a non-primary payer says why Medicare is secondary: the
    coverage's insurance type (837P ``SBR05``) or, on an institutional claim, an MSP value
    code (12-16, 41-43, 47) with the primary payer's payment."""
    coverage = claim.coverage
    if coverage.payer.kind is not PayerKind.MEDICARE or coverage.order is CoverageOrder.PRIMARY:
        return
    e = "medicare-secondary"
    if claim.kind is ClaimKind.PROFESSIONAL:
        if coverage.medicare_secondary_type is None:
            yield _error(e, "a claim to Medicare as secondary payer needs the Medicare "
                         "secondary payer type (SBR05)", "$.coverage.medicare_secondary_type")
        return
    msp = [v.code.code for v in claim.value_codes if v.code in MSP_VALUE_CODES]
    if not msp:
        yield _error(e, "an institutional claim to Medicare as secondary payer needs a "
                     "Medicare secondary payer value code (12-16, 41-43, 47)", "$.value_codes")
    elif (coverage.medicare_secondary_type is not None
          and coverage.medicare_secondary_type.value_code not in msp):
        yield _error(e, f"the coverage says Medicare is secondary by type "
                     f"{coverage.medicare_secondary_type.value}; the claim's MSP value code "
                     f"is {msp[0]}", "$.value_codes")


DEFAULT_EDITS: Final[tuple[Edit, ...]] = (
    required_data,
    x12_limits,
    pointers,
    total,
    codes_valid,
    dates,
    duplicates,
    units_and_charges,
    frequency,
    modifier_59_x,
    ncci_ptp,
    mue,
    timely_filing,
    age_sex,
    tabular,
    modifier_25,
    present_on_admission,
    value_codes,
    occurrence_dates,
    procedure_dates,
    medicare_secondary,
)
"""The edits :func:`scrub` runs unless told otherwise, in this order."""
