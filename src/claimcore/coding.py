"""Medical coding: an encounter's ordered diagnoses and its procedure lines, checked.

:func:`code_encounter` puts an :class:`~claimcore.encounters.Encounter` together with its
ICD-10-CM :class:`Diagnosis` codes and its CPT/HCPCS :class:`ProcedureLine` s into a
:class:`CodedEncounter`. Impossible values (five modifiers on a line, a pointer of 13, a
float for units) raise :class:`~claimcore.errors.ValidationError` when built; problems a
coder fixes (a code not billable on the date of service, a pointer to a diagnosis that is
not there, 59 with XS on one line) come back as :class:`CodingFinding` records in a
:class:`CodingResult`, beside the coded encounter, so that a caller can show all of them at
once.

>>> from datetime import UTC, date, datetime
>>> from claimcore.codes import (CPT, ICD10CM, CodeSet, CodeSets, CodeSystem, Modifier,
...     PlaceOfService)
>>> from claimcore.encounters import EncounterClass, plan_encounter, start
>>> from claimcore.ids import MedicalRecordNumber
>>> from claimcore.periods import Period
>>> visit = start(plan_encounter(id="ENC-7", patient=MedicalRecordNumber("MRN00421234"),
...     encounter_class=EncounterClass.AMBULATORY, place_of_service=PlaceOfService("11")),
...     at=datetime(2026, 3, 2, 9, 5, tzinfo=UTC))
>>> icd = CodeSet.from_rows([{"code": "E11", "start": "2015-10-01", "billable": False},
...     {"code": "E11.9", "start": "2015-10-01"}, {"code": "I10", "start": "2015-10-01"}],
...     name="ICD-10-CM sample", system=CodeSystem.ICD10CM, version="2026")
>>> day = Period.day(date(2026, 3, 2))
>>> result = code_encounter(
...     visit,
...     [Diagnosis(code=ICD10CM("E11"), sequence=1), Diagnosis(code=ICD10CM("I10"), sequence=2)],
...     [ProcedureLine(code=CPT("99214"), service_period=day, diagnosis_pointers=(1, 3),
...                    modifiers=(Modifier("25"),))],
...     CodeSets(icd10cm=icd), on=date(2026, 3, 2))
>>> [(f.severity.value, f.rule, f.location) for f in result.findings]
[('error', 'code-not-billable', '$.diagnoses[0]'),
 ('error', 'pointer-unresolved', '$.procedures[0].diagnosis_pointers[1]'),
 ('warning', 'code-not-checked', '$.procedures[0].code'),
 ('warning', 'code-not-checked', '$.procedures[0].modifiers[0]')]
>>> result.ok
False
"""

from __future__ import annotations

import enum
import re
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Final

import attrs

from claimcore._validate import (
    a_date,
    a_decimal,
    an_int,
    instance,
    members,
    optional_instance,
    to_tuple,
)
from claimcore.codes import (
    CARC,
    CPT,
    DISTINCT_PROCEDURAL,
    HCPCS,
    ICD10_EFFECTIVE,
    ICD10CM,
    NDC,
    OFFICE_EM_CODES,
    X_MODIFIERS,
    Code,
    CodeEntry,
    CodeSet,
    CodeSets,
    CodeSystem,
    EmLevel,
    Modifier,
    NoteKind,
    PlaceOfService,
    PresentOnAdmission,
    ProcedureCode,
    TabularInstructions,
    TabularNote,
    em_rank,
)
from claimcore.codes.limits import (
    MAX_DIAGNOSIS_POINTERS,
    MAX_MODIFIERS,
    MAX_PROFESSIONAL_DIAGNOSES,
    MAX_PROFESSIONAL_LINES,
)
from claimcore.encounters import Encounter, EncounterClass
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.findings import Finding, Severity
from claimcore.ids import NPI
from claimcore.patients import AdministrativeSex
from claimcore.periods import Period, age_on

CodingFinding = Finding
"""Coding checks report :class:`claimcore.findings.Finding` records (``.rule`` names the check)."""

__all__ = [
    "MAX_PROFESSIONAL_DIAGNOSES",
    "MAX_PROFESSIONAL_LINES",
    "CodedEncounter",
    "CodingFinding",
    "CodingResult",
    "Diagnosis",
    "DrugUnit",
    "PresentOnAdmission",
    "ProcedureLine",
    "Severity",
    "UnitOfMeasure",
    "code_encounter",
    "em_findings",
    "modifier_25_findings",
    "tabular_findings",
]

# MAX_PROFESSIONAL_DIAGNOSES and MAX_PROFESSIONAL_LINES stay importable from here; their
# home is claimcore.codes.limits, with the other X12 5010 limits.


class UnitOfMeasure(enum.StrEnum):
    """The unit of a procedure line's quantity: X12 837P ``SV103``."""

    UNIT = "UN"
    MINUTES = "MJ"
    """Anesthesia time in minutes."""


class DrugUnit(enum.StrEnum):
    """The unit of a drug quantity: X12 837 ``CTP05-1`` (loop 2410)."""

    INTERNATIONAL_UNIT = "F2"
    GRAM = "GR"
    MILLIGRAM = "ME"
    MILLILITER = "ML"
    UNIT = "UN"


@attrs.frozen(kw_only=True)
class Diagnosis:
    """An ICD-10-CM diagnosis of the encounter, in its place in the claim's order.

    ``sequence`` 1 is the principal (institutional) or first-listed (professional)
    diagnosis. ``present_on_admission`` is for inpatient stays. X12 837: ``HI`` (``ABK``
    then ``ABF``); FHIR: ``Claim.diagnosis`` (``sequence``, ``onAdmission``).
    """

    code: ICD10CM
    sequence: int
    present_on_admission: PresentOnAdmission | None = None

    def __attrs_post_init__(self) -> None:
        instance(self.code, ICD10CM, "$.code")
        an_int(self.sequence, "$.sequence", low=1, high=99)
        optional_instance(self.present_on_admission, PresentOnAdmission,
                          "$.present_on_admission")


def _units(value: Decimal | int) -> Decimal:
    return Decimal(value) if type(value) is int else value  # type: ignore[return-value]


def _optional_units(value: Decimal | int | None) -> Decimal | None:
    return None if value is None else _units(value)


def _modifiers(value: Iterable[Modifier]) -> tuple[Modifier, ...]:
    return to_tuple(value)


def _pointers(value: Iterable[int]) -> tuple[int, ...]:
    return to_tuple(value)


def _positive(value: object, path: str) -> Decimal:
    if isinstance(value, float):
        raise TypeMismatch("must be a Decimal or int, not a float", path=path, rule="no-float")
    number = a_decimal(value, path)
    if number <= 0:
        raise ValidationError("must be more than zero", path=path, rule="positive")
    return number


@attrs.frozen(kw_only=True)
class ProcedureLine:
    """One professional service line: a CPT or HCPCS code and how it was given.

    ``diagnosis_pointers`` (1 to 4, each 1 to 12) point into the encounter's diagnoses by
    sequence; ``units`` are a positive count of ``unit`` (``UN``) or minutes (``MJ``).
    ``place_of_service`` is given when it differs from the encounter's. A drug line has an
    ``ndc`` with its ``drug_quantity`` and ``drug_unit``, all three or none.

    X12 837P: ``SV1`` (code ``SV101``, modifiers, ``SV103``/``SV104`` units, ``SV105``
    place, ``SV107`` pointers), ``DTP*472`` dates, loop 2310B/2420A rendering provider,
    ``LIN``/``CTP`` drug; FHIR: ``Claim.item``.
    """

    code: CPT | HCPCS
    service_period: Period
    diagnosis_pointers: tuple[int, ...] = attrs.field(converter=_pointers)
    units: Decimal = attrs.field(default=Decimal(1), converter=_units)
    unit: UnitOfMeasure = UnitOfMeasure.UNIT
    modifiers: tuple[Modifier, ...] = attrs.field(default=(), converter=_modifiers)
    rendering_provider: NPI | None = None
    place_of_service: PlaceOfService | None = None
    ndc: NDC | None = None
    drug_quantity: Decimal | None = attrs.field(default=None, converter=_optional_units)
    drug_unit: DrugUnit | None = None

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.code, (CPT, HCPCS)):
            raise TypeMismatch(
                f"must be a CPT or HCPCS code, got {type(self.code).__name__}",
                path="$.code", rule="type",
            )
        instance(self.service_period, Period, "$.service_period")
        if self.service_period.end is None:
            raise ValidationError(
                "a service line's dates must be closed (from and through)",
                path="$.service_period", rule="open-period",
            )
        pointers = self.diagnosis_pointers
        if not 1 <= len(pointers) <= MAX_DIAGNOSIS_POINTERS:
            raise ValidationError(
                f"a line points at 1 to {MAX_DIAGNOSIS_POINTERS} diagnoses, got {len(pointers)}",
                path="$.diagnosis_pointers", rule="pointer-count",
            )
        for i, pointer in enumerate(pointers):
            an_int(pointer, f"$.diagnosis_pointers[{i}]", low=1, high=MAX_PROFESSIONAL_DIAGNOSES)
        if len(set(pointers)) != len(pointers):
            raise ValidationError(
                "must not point at one diagnosis twice", path="$.diagnosis_pointers",
                rule="pointer-duplicate",
            )
        _positive(self.units, "$.units")
        instance(self.unit, UnitOfMeasure, "$.unit")
        members(self.modifiers, Modifier, "$.modifiers")
        if len(self.modifiers) > MAX_MODIFIERS:
            raise ValidationError(
                f"a line carries at most {MAX_MODIFIERS} modifiers, got {len(self.modifiers)}",
                path="$.modifiers", rule="modifier-count",
            )
        if len(set(self.modifiers)) != len(self.modifiers):
            raise ValidationError(
                "must not repeat a modifier", path="$.modifiers", rule="modifier-duplicate"
            )
        optional_instance(self.rendering_provider, NPI, "$.rendering_provider")
        optional_instance(self.place_of_service, PlaceOfService, "$.place_of_service")
        optional_instance(self.ndc, NDC, "$.ndc")
        optional_instance(self.drug_unit, DrugUnit, "$.drug_unit")
        drug = (self.ndc is None, self.drug_quantity is None, self.drug_unit is None)
        if len(set(drug)) != 1:
            raise ValidationError(
                "a drug line gives ndc, drug_quantity and drug_unit together (or none)",
                path="$.ndc", rule="drug-fields-together",
            )
        if self.drug_quantity is not None:
            _positive(self.drug_quantity, "$.drug_quantity")


def _diagnoses(value: Iterable[Diagnosis]) -> tuple[Diagnosis, ...]:
    return to_tuple(value)


def _procedures(value: Iterable[ProcedureLine]) -> tuple[ProcedureLine, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class CodedEncounter:
    """An encounter with its diagnoses in claim order and its procedure lines.

    ``diagnoses[0]`` is the principal or first-listed diagnosis; their sequences run 1,
    2, 3, ... in order. FHIR: ``Claim.diagnosis`` and ``Claim.item``; X12 837: ``HI`` and
    loop 2400.
    """

    encounter: Encounter
    diagnoses: tuple[Diagnosis, ...] = attrs.field(converter=_diagnoses)
    procedures: tuple[ProcedureLine, ...] = attrs.field(default=(), converter=_procedures)

    def __attrs_post_init__(self) -> None:
        instance(self.encounter, Encounter, "$.encounter")
        members(self.diagnoses, Diagnosis, "$.diagnoses")
        members(self.procedures, ProcedureLine, "$.procedures")
        if not self.diagnoses:
            raise ValidationError(
                "a coded encounter has at least one diagnosis", path="$.diagnoses",
                rule="diagnosis-required",
            )
        for i, diagnosis in enumerate(self.diagnoses):
            if diagnosis.sequence != i + 1:
                raise ValidationError(
                    f"must be {i + 1}: diagnoses are kept in sequence order, from 1",
                    path=f"$.diagnoses[{i}].sequence", rule="diagnosis-sequence",
                )

    @property
    def principal(self) -> Diagnosis:
        """The principal (or first-listed) diagnosis."""
        return self.diagnoses[0]

    def __repr__(self) -> str:
        return (
            f"CodedEncounter(encounter={self.encounter.id.value!r}, "
            f"diagnoses={[str(d.code) for d in self.diagnoses]}, "
            f"procedures={[str(p.code) for p in self.procedures]})"
        )


def _findings(value: Iterable[CodingFinding]) -> tuple[CodingFinding, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class CodingResult:
    """What :func:`code_encounter` returns: the coded encounter and the problems found."""

    coded: CodedEncounter
    findings: tuple[CodingFinding, ...] = attrs.field(default=(), converter=_findings)

    def __attrs_post_init__(self) -> None:
        instance(self.coded, CodedEncounter, "$.coded")
        members(self.findings, CodingFinding, "$.findings")

    @property
    def ok(self) -> bool:
        """Whether no finding is an error."""
        return not any(f.is_error for f in self.findings)

    @property
    def errors(self) -> tuple[CodingFinding, ...]:
        return tuple(f for f in self.findings if f.is_error)


class _Checker:
    """Collects the findings of one :func:`code_encounter` call."""

    def __init__(
        self, code_sets: CodeSets, sex: AdministrativeSex | None, birth_date: date | None
    ) -> None:
        self.code_sets = code_sets
        self.sex = sex
        self.birth_date = birth_date
        self.findings: list[CodingFinding] = []
        self.unchecked: dict[CodeSystem, str] = {}

    def add(self, rule: str, message: str, location: str,
            severity: Severity = Severity.ERROR) -> None:
        self.findings.append(
            CodingFinding(edit_id=rule, severity=severity, message=message, location=location)
        )

    def code(self, code: Code, on: date, location: str) -> None:
        system = CodeSystem.of(code)
        icd9_era = system.is_icd10 and on < ICD10_EFFECTIVE
        if self.code_sets.for_system(system) is None and not icd9_era:
            self.unchecked.setdefault(system, location)
            return
        check = self.code_sets.check(code, on=on)
        if not check.ok:
            self.add(check.rule, check.message, location)
        elif check.entry is not None:
            self.limits(code, check.entry, on, location)

    def limits(self, code: Code, entry: CodeEntry, on: date, location: str) -> None:
        if entry.sex is not None and self.sex is not None and self.sex.value != entry.sex.value:
            if self.sex is AdministrativeSex.UNKNOWN:
                self.add("sex-unknown",
                         f"{code} is for {_SEX_WORD[entry.sex.value]} patients only and the "
                         "patient's sex is recorded as unknown", location, Severity.WARNING)
            else:
                self.add("sex-conflict",
                         f"{code} is for {_SEX_WORD[entry.sex.value]} patients only; the "
                         "patient's recorded sex differs", location)
        if self.birth_date is not None and (entry.min_age is not None
                                            or entry.max_age is not None):
            age = age_on(self.birth_date, on)
            if not entry.allows_age(age):
                low = "any" if entry.min_age is None else str(entry.min_age)
                high = "any" if entry.max_age is None else str(entry.max_age)
                self.add("age-conflict",
                         f"{code} is limited to ages {low} to {high}; the patient's age on "
                         "the date of service is outside them", location)


    def report_unchecked(self) -> None:
        for system, location in self.unchecked.items():
            self.add("code-not-checked",
                     f"no {system.label} code set was given: {system.label} codes were "
                     "checked for format only", location, Severity.WARNING)


_SEX_WORD: Final = {"F": "female", "M": "male"}


def code_encounter(
    encounter: Encounter,
    diagnoses: Sequence[Diagnosis],
    procedures: Sequence[ProcedureLine],
    code_sets: CodeSets,
    *,
    on: date,
    sex: AdministrativeSex | None = None,
    birth_date: date | None = None,
    professional: bool = True,
    tabular: TabularInstructions | None = None,
    em: EmLevel | None = None,
    minor_procedures: Collection[ProcedureCode] | None = None,
) -> CodingResult:
    """Code an encounter and check the coding; rule problems come back as findings.

    ``diagnoses`` may come in any order: they are put in ``sequence`` order (two with one
    sequence raise). ``on`` is the date the diagnoses are checked on (the date of
    service; for an inpatient stay, the discharge date); each procedure line is checked
    on its first day. ``sex`` and ``birth_date`` (the patient's) let the sex- and
    age-specific limits of the code sets be checked; they never appear in a message.
    ``professional`` applies the 837P limits (12 diagnoses, 50 lines). ``tabular`` (the
    ICD-10-CM tabular's instructions) adds :func:`tabular_findings`; ``em`` (what
    :func:`~claimcore.codes.em_level` found in the visit's documentation) adds
    :func:`em_findings`; ``minor_procedures`` (the caller's table of 000/010-day global
    procedures) adds :func:`modifier_25_findings`.

    Checks, each a :class:`CodingFinding` with its rule id: every code valid and billable
    on its date (``code-unknown``, ``code-retired``, ``code-not-yet-in-force``,
    ``code-not-billable``, ``icd9-era``; ``code-not-checked`` as a warning when no set was
    given for a procedure or modifier system), pointers resolve (``pointer-unresolved``),
    no duplicate diagnosis (``diagnosis-duplicate``), 59 never with XE/XS/XP/XU
    (``modifier-59-with-x``), sex and age limits (``sex-conflict``, ``sex-unknown``,
    ``age-conflict``), the 837P limits (``professional-diagnosis-limit``,
    ``professional-line-limit``), and the present-on-admission indicator on inpatient
    stays only (``poa-missing``, ``poa-not-applicable``, warnings).
    """
    a_date(on, "$.on")
    instance(code_sets, CodeSets, "$.code_sets")
    optional_instance(sex, AdministrativeSex, "$.sex")
    if birth_date is not None:
        a_date(birth_date, "$.birth_date")
    if type(professional) is not bool:
        raise TypeMismatch("must be a bool", path="$.professional", rule="type")
    listed = list(diagnoses)
    members(tuple(listed), Diagnosis, "$.diagnoses")
    ordered = sorted(listed, key=lambda d: d.sequence)
    for before, after in pairwise(ordered):
        if before.sequence == after.sequence:
            raise ValidationError(
                f"two diagnoses have sequence {after.sequence}", path="$.diagnoses",
                rule="diagnosis-sequence-duplicate",
            )
    coded = CodedEncounter(encounter=encounter, diagnoses=ordered, procedures=procedures)
    optional_instance(tabular, TabularInstructions, "$.tabular")
    optional_instance(em, EmLevel, "$.em")
    checker = _Checker(code_sets, sex, birth_date)
    _check_diagnoses(coded, checker, on, professional=professional)
    if tabular is not None:
        checker.findings.extend(tabular_findings(
            [d.code for d in coded.diagnoses], tabular, code_set=code_sets.icd10cm))
    _check_procedures(coded, checker, professional=professional)
    lines = coded.procedures
    if em is not None:
        checker.findings.extend(em_findings(
            [(p.code, f"$.procedures[{i}].code") for i, p in enumerate(lines)], em))
    if minor_procedures is not None:
        checker.findings.extend(modifier_25_findings(
            [(p.code, p.service_period.start, p.modifiers, f"$.procedures[{i}].modifiers")
             for i, p in enumerate(lines)], minor_procedures))
    checker.report_unchecked()
    return CodingResult(coded=coded, findings=checker.findings)


def _check_diagnoses(
    coded: CodedEncounter, checker: _Checker, on: date, *, professional: bool
) -> None:
    inpatient = coded.encounter.encounter_class is EncounterClass.INPATIENT
    seen: dict[ICD10CM, int] = {}
    for i, diagnosis in enumerate(coded.diagnoses):
        where = f"$.diagnoses[{i}]"
        if diagnosis.code in seen:
            checker.add("diagnosis-duplicate",
                        f"{diagnosis.code} is listed twice (first at diagnoses"
                        f"[{seen[diagnosis.code]}])", where)
            continue
        seen[diagnosis.code] = i
        checker.code(diagnosis.code, on, where)
        if inpatient and diagnosis.present_on_admission is None:
            checker.add("poa-missing",
                        f"{diagnosis.code} needs a present-on-admission indicator on an "
                        "inpatient claim (Y, N, U, W or 1 for exempt codes)",
                        f"{where}.present_on_admission", Severity.WARNING)
        elif not inpatient and diagnosis.present_on_admission is not None:
            checker.add("poa-not-applicable",
                        "a present-on-admission indicator is reported for inpatient stays "
                        "only; it will not be sent", f"{where}.present_on_admission",
                        Severity.WARNING)
    count = len(coded.diagnoses)
    if professional and count > MAX_PROFESSIONAL_DIAGNOSES:
        checker.add("professional-diagnosis-limit",
                    f"a professional claim carries at most {MAX_PROFESSIONAL_DIAGNOSES} "
                    f"diagnoses; {count} were coded", f"$.diagnoses[{MAX_PROFESSIONAL_DIAGNOSES}]")


def _check_procedures(coded: CodedEncounter, checker: _Checker, *, professional: bool) -> None:
    count = len(coded.diagnoses)
    for i, line in enumerate(coded.procedures):
        where = f"$.procedures[{i}]"
        first_day = line.service_period.start
        checker.code(line.code, first_day, f"{where}.code")
        for j, modifier in enumerate(line.modifiers):
            checker.code(modifier, first_day, f"{where}.modifiers[{j}]")
        for j, pointer in enumerate(line.diagnosis_pointers):
            if pointer > count:
                checker.add("pointer-unresolved",
                            f"points at diagnosis {pointer}, but only {count} "
                            f"{'is' if count == 1 else 'are'} coded",
                            f"{where}.diagnosis_pointers[{j}]")
        distinct = [m for m in line.modifiers if m in DISTINCT_PROCEDURAL]
        if Modifier("59") in distinct and any(m.code in X_MODIFIERS for m in distinct):
            checker.add("modifier-59-with-x",
                        "59 and an X modifier (XE, XS, XP, XU) never go on one line: use "
                        "the more specific X modifier alone", f"{where}.modifiers")
    if professional and len(coded.procedures) > MAX_PROFESSIONAL_LINES:
        checker.add("professional-line-limit",
                    f"a professional claim carries at most {MAX_PROFESSIONAL_LINES} lines; "
                    f"{len(coded.procedures)} were coded",
                    f"$.procedures[{MAX_PROFESSIONAL_LINES}]")


# -- the tabular's instructions ---------------------------------------------------------

_NOTE_CHARS: Final = 160


def _quoted(note: TabularNote) -> str:
    shown = note.text if len(note.text) <= _NOTE_CHARS else note.text[: _NOTE_CHARS - 3] + "..."
    return f"the {note.kind.label} note at {note.at} ({shown!r})"


_UNDERLYING: Final = re.compile(r"\bunderlying\b", re.IGNORECASE)


def _asks_always(note: TabularNote, code: ICD10CM) -> bool:
    # A "use additional code" note on a category, block or chapter mostly names detail
    # to add when it applies (tobacco exposure at I10-I1A, drug resistance at A00-B99,
    # the control of diabetes at E11); one on the code or its subcategory names a part
    # of the condition itself (the CKD stage at E11.22, dialysis status at N18.6).
    scope = note.scope
    return scope.first == scope.last and (len(scope.first) >= 4 or scope.first == code.code)


def _base(code: str) -> str:
    """The code without its 7th character and placeholders (``S72001A`` -> ``S72001``)."""
    return (code[:6] if len(code) == 7 else code).rstrip("X")


def _placeholder_fix(code: str, char: str, code_set: CodeSet | None) -> str | None:
    """The code the coder likely meant, X-padded so ``char`` is the 7th (in the set)."""
    if code_set is None:
        return None
    base = code[:-1]
    pad = 6 - len(base)
    for at in range(len(base), 2, -1):
        candidate = base[:at] + "X" * pad + base[at:] + char
        if ICD10CM(candidate) in code_set:
            return candidate
    return None


def tabular_findings(
    codes: Sequence[ICD10CM],
    tabular: TabularInstructions,
    *,
    code_set: CodeSet | None = None,
    path: str = "$.diagnoses",
) -> tuple[Finding, ...]:
    """The ICD-10-CM tabular's instructions over an encounter's diagnoses, in claim order.

    Each finding names the tabular note it comes from. ``code_set`` (ICD-10-CM) lets a
    missing placeholder ``X`` be shown as the code meant. Rules:

    - ``excludes1`` (error): two codes an Excludes1 note keeps apart (Guidelines
      I.A.12.a; both only when the conditions are unrelated, which the coder documents);
    - ``code-first-missing`` (warning): a manifestation whose "code first" note asks for
      its underlying condition, none of which is coded; ``code-first-order`` (error): a
      code a "code first" note names is coded, but after it (I.A.13);
    - ``use-additional-missing`` (warning): no partner of a "use additional code" note
      on the code or its subcategory (notes on a category, block or chapter mostly name
      detail to add when it applies, such as tobacco exposure, and are not asked for);
    - ``seventh-character-missing``, ``placeholder-x-missing``,
      ``seventh-character-invalid`` (errors): the 7th character a category requires
      (I.A.5), the X that puts it in 7th place (I.A.4), or one the category does not list;
    - ``unspecified-with-specific`` (warning): an unspecified code beside a specific code
      of the same parent.

    Notes that name no code, or say "if applicable", are not asked for.
    """
    members(tuple(codes), ICD10CM, "$.codes")
    instance(tabular, TabularInstructions, "$.tabular")
    optional_instance(code_set, CodeSet, "$.code_set")
    listed = list(codes)
    found: list[Finding] = []

    def add(rule: str, message: str, i: int, severity: Severity = Severity.ERROR) -> None:
        found.append(Finding(edit_id=rule, severity=severity, message=message[:500],
                             location=f"{path}[{i}]"))

    seen_pairs: set[tuple[int, int]] = set()
    for i, code in enumerate(listed):
        notes = tabular.notes_for(code)
        for note in notes:
            if note.kind is NoteKind.EXCLUDES1:
                for j, other in enumerate(listed):
                    pair = (min(i, j), max(i, j))
                    if other == code or pair in seen_pairs or not note.refers_to(other):
                        continue
                    seen_pairs.add(pair)
                    add("excludes1", f"{code} and {other} are coded together, but "
                        f"{_quoted(note)} says they are not coded together (Guidelines "
                        "I.A.12.a: only when the conditions are unrelated)", pair[1])
            elif note.checkable:
                partners = [j for j, other in enumerate(listed)
                            if other != code and note.refers_to(other)]
                if note.kind is NoteKind.CODE_FIRST:
                    if not partners:
                        if _UNDERLYING.search(note.text):
                            add("code-first-missing", f"{code} follows {_quoted(note)}: "
                                "code its underlying condition first", i, Severity.WARNING)
                    elif min(partners) > i:
                        add("code-first-order", f"{code} is listed before "
                            f"{listed[min(partners)]}, but {_quoted(note)} puts the "
                            "underlying condition first (Guidelines I.A.13)", i)
                elif not partners and _asks_always(note, code):
                    add("use-additional-missing", f"{code} follows {_quoted(note)}: no "
                        "such code is on the encounter", i, Severity.WARNING)
        for rule, message in _seventh(code, tabular, code_set):
            add(rule, message, i)
        if tabular.is_unspecified(code) and len(_base(code.code)) >= 4:
            parent = _base(code.code)[:-1]
            for other in listed:
                if (other != code and not tabular.is_unspecified(other)
                        and _base(other.code).startswith(parent)):
                    add("unspecified-with-specific", f"{code} is titled unspecified in the "
                        f"tabular, but {other} beside it, under {ICD10CM(parent)}, says "
                        "more: code the specific condition only", i, Severity.WARNING)
                    break
    return tuple(found)


def _seventh(
    code: ICD10CM, tabular: TabularInstructions, code_set: CodeSet | None
) -> Iterable[tuple[str, str]]:
    rule = tabular.seventh_character(code)
    if rule is None:
        return
    key = code.code
    allowed = ", ".join(c for c, _ in rule.characters)
    where = f"the 7th-character note at {ICD10CM(rule.scope)}"
    if len(key) == 7:
        if not rule.allows(key[6]):
            yield ("seventh-character-invalid", f"{code} ends in {key[6]!r}, which "
                   f"{where} does not list (it allows {allowed})")
        return
    last = key[-1]
    if len(key) >= 4 and rule.allows(last) and not last.isdigit():
        fix = _placeholder_fix(key, last, code_set)
        meant = f": {ICD10CM(fix)}" if fix is not None else ""
        yield ("placeholder-x-missing", f"{code} ends in the 7th character {last!r} of "
               f"{where}, but not in 7th place: fill the empty places with the "
               f"placeholder X (Guidelines I.A.4){meant}")
        return
    yield ("seventh-character-missing", f"{code} needs a 7th character ({where}: "
           f"{allowed}), after X placeholders up to 6 characters (Guidelines I.A.5)")


# -- E/M level and modifier 25 ----------------------------------------------------------


def em_findings(
    lines: Sequence[tuple[ProcedureCode, str]], documented: EmLevel
) -> tuple[Finding, ...]:
    """Office E/M codes billed above what the documentation supports (never changed).

    ``lines`` are (code, location) pairs; ``documented`` is what
    :func:`~claimcore.codes.em_level` found in the visit's documented elements. Rules:
    ``em-level-unsupported`` (error) when a billed 99202-99215 is higher than the
    documented level (or no level is supported), ``em-patient-status`` (error) when a
    new-patient code is billed for an established patient or the other way round.
    """
    instance(documented, EmLevel, "$.documented")
    found: list[Finding] = []
    supported = "no level" if documented.code is None else str(documented.code)
    why = "; ".join(documented.reasons)
    for code, location in lines:
        if not isinstance(code, CPT):
            continue
        billed = em_rank(code)
        if billed is None:
            continue
        new, rank = billed
        if code != CPT("99211") and new != documented.new_patient:
            want = "a new" if documented.new_patient else "an established"
            found.append(Finding(
                edit_id="em-patient-status", severity=Severity.ERROR, location=location,
                message=f"{code} is billed, but the visit is documented for {want} "
                "patient", carc=CARC_LEVEL))
        elif rank > documented.rank:
            found.append(Finding(
                edit_id="em-level-unsupported", severity=Severity.ERROR, location=location,
                message=(f"{code} is billed, but the documented elements support "
                         f"{supported} ({why})")[:500],
                carc=CARC_LEVEL))
    return tuple(found)


def modifier_25_findings(
    lines: Sequence[tuple[ProcedureCode, date, Sequence[Modifier], str]],
    minor_procedures: Collection[ProcedureCode],
) -> tuple[Finding, ...]:
    """Office E/M lines without modifier 25 on the date of a minor procedure.

    ``lines`` are (code, date of service, modifiers, location); ``minor_procedures``
    the caller's table of minor procedures (CMS physician fee schedule global period 000
    or 010). An E/M beside one is paid only as a significant, separately identifiable
    service, which modifier 25 on the E/M line says (CPT Appendix A). Rule
    ``modifier-25-missing`` (error), at the E/M line.
    """
    found: list[Finding] = []
    minor = {(code, on) for code, on, _, _ in lines if code in minor_procedures}
    dates = {on: code for code, on in minor}
    for code, on, modifiers, location in lines:
        if code in OFFICE_EM_CODES and on in dates and Modifier("25") not in modifiers:
            found.append(Finding(
                edit_id="modifier-25-missing", severity=Severity.ERROR, location=location,
                message=f"{code} is billed with the minor procedure {dates[on]} on "
                f"{on.isoformat()} without modifier 25: add it if the E/M was significant "
                "and separately identifiable, or do not bill the E/M",
                carc=CARC_MODIFIER))
    return tuple(found)


CARC_MODIFIER: Final = CARC("4")
"""The procedure code is inconsistent with the modifier used, or a required modifier is
missing."""
CARC_LEVEL: Final = CARC("150")
"""Payer deems the information submitted does not support this level of service."""
