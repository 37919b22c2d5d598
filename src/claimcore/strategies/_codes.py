"""Strategies for code systems, code sets and coded encounters (valid values only)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Final

from hypothesis import strategies as st

from claimcore.codes import (
    CARC,
    CARC_CODES,
    CPT,
    DRG,
    HCPCS,
    ICD10CM,
    ICD10PCS,
    MODIFIERS,
    NDC,
    PLACES_OF_SERVICE,
    RARC,
    RARC_CODES,
    Code,
    CodeEntry,
    CodeRange,
    CodeSet,
    CodeSets,
    CodeSystem,
    ConditionCode,
    EmLevel,
    MdmLevel,
    MedicalDecisionMaking,
    Modifier,
    NoteKind,
    OccurrenceCode,
    OccurrenceSpanCode,
    PlaceOfService,
    RevenueCode,
    SearchHit,
    SeventhCharacterRule,
    SexLimit,
    TabularInstructions,
    TabularNote,
    TypeOfBill,
    ValueCode,
    em_level,
)
from claimcore.coding import (
    CodedEncounter,
    CodingResult,
    Diagnosis,
    DrugUnit,
    PresentOnAdmission,
    ProcedureLine,
    UnitOfMeasure,
)
from claimcore.encounters import EncounterClass
from claimcore.periods import Period
from claimcore.strategies._core import findings, npis
from claimcore.strategies._front import encounters

__all__ = [
    "carcs",
    "code_entries",
    "code_ranges",
    "code_set_bundles",
    "code_sets",
    "coded_encounters",
    "coding_results",
    "condition_codes",
    "cpt_codes",
    "diagnoses",
    "drgs",
    "em_levels",
    "hcpcs_codes",
    "icd10cm_codes",
    "icd10pcs_codes",
    "medical_decision_makings",
    "modifiers",
    "ndcs",
    "occurrence_codes",
    "occurrence_span_codes",
    "places_of_service",
    "procedure_lines",
    "rarcs",
    "revenue_codes",
    "search_hits",
    "seventh_character_rules",
    "tabular_instructions",
    "tabular_notes",
    "types_of_bill",
    "value_codes",
]


_UPPER: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS: Final = "0123456789"
_ALNUM: Final = _UPPER + _DIGITS
_PCS: Final = "".join(c for c in _ALNUM if c not in "IO")


def _chars(alphabet: str, size: int, max_size: int | None = None) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=size, max_size=size if max_size is None else max_size)


def _joined(*parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(*parts).map("".join)


def icd10cm_codes() -> st.SearchStrategy[ICD10CM]:
    """Well-formed ICD-10-CM codes (3 to 7 characters; not necessarily in any release)."""
    usual = _joined(_chars(_UPPER, 1), _chars(_DIGITS, 1), _chars(_ALNUM, 1, 5))
    qa_block = _joined(st.just("QA"), _chars(_DIGITS, 1), _chars(_ALNUM, 0, 4))
    return st.one_of(usual, qa_block).map(ICD10CM)


def icd10pcs_codes() -> st.SearchStrategy[ICD10PCS]:
    """Well-formed ICD-10-PCS codes (7 characters, no O or I)."""
    return _chars(_PCS, 7).map(ICD10PCS)


def condition_codes() -> st.SearchStrategy[ConditionCode]:
    """Well-formed UB-04 condition codes (two digits or uppercase letters)."""
    return _chars(_ALNUM, 2).map(ConditionCode)


def occurrence_codes() -> st.SearchStrategy[OccurrenceCode]:
    """Well-formed UB-04 occurrence codes."""
    return _chars(_ALNUM, 2).map(OccurrenceCode)


def occurrence_span_codes() -> st.SearchStrategy[OccurrenceSpanCode]:
    """Well-formed UB-04 occurrence span codes."""
    return _chars(_ALNUM, 2).map(OccurrenceSpanCode)


def value_codes() -> st.SearchStrategy[ValueCode]:
    """Well-formed UB-04 value codes."""
    return _chars(_ALNUM, 2).map(ValueCode)


def drgs() -> st.SearchStrategy[DRG]:
    """Well-formed MS-DRGs (three digits)."""
    return _chars(_DIGITS, 3).map(DRG)


def cpt_codes() -> st.SearchStrategy[CPT]:
    """Well-formed CPT codes of all three categories."""
    return _joined(_chars(_DIGITS, 4), st.sampled_from(_DIGITS + "FT")).map(CPT)


def hcpcs_codes() -> st.SearchStrategy[HCPCS]:
    """Well-formed HCPCS Level II codes (A to V and four digits)."""
    return _joined(st.sampled_from(_UPPER[:22]), _chars(_DIGITS, 4)).map(HCPCS)


_KNOWN_MODIFIERS: Final = tuple(sorted(MODIFIERS))


def modifiers(*, known_only: bool = False) -> st.SearchStrategy[Modifier]:
    """Modifiers: mostly the common ones of :data:`~claimcore.codes.MODIFIERS`."""
    known = st.sampled_from(_KNOWN_MODIFIERS)
    if known_only:
        return known.map(Modifier)
    return st.one_of(known, _chars(_ALNUM, 2)).map(Modifier)


def places_of_service() -> st.SearchStrategy[PlaceOfService]:
    """Assigned CMS place of service codes."""
    return st.sampled_from(tuple(sorted(PLACES_OF_SERVICE))).map(PlaceOfService)


def revenue_codes() -> st.SearchStrategy[RevenueCode]:
    """Four-digit revenue codes."""
    return _chars(_DIGITS, 4).map(RevenueCode)


def types_of_bill() -> st.SearchStrategy[TypeOfBill]:
    """Types of bill (facility type 1-8, classification 1-9, frequency)."""
    return _joined(
        st.sampled_from("12345678"), st.sampled_from("123456789"), st.sampled_from(_ALNUM)
    ).map(TypeOfBill)


def carcs() -> st.SearchStrategy[CARC]:
    """CARCs: known ones from the shipped list and any well-formed one."""
    return st.one_of(
        st.sampled_from(tuple(sorted(CARC_CODES))),
        st.integers(1, 999).map(str),
        _joined(st.sampled_from(_UPPER), st.integers(0, 99).map(str)),
    ).map(CARC)


def rarcs() -> st.SearchStrategy[RARC]:
    """RARCs: known ones from the shipped list and any well-formed one."""
    return st.one_of(
        st.sampled_from(tuple(sorted(RARC_CODES))),
        _joined(st.sampled_from(("M", "N", "MA")), _chars(_DIGITS, 1, 3)),
    ).map(RARC)


def ndcs() -> st.SearchStrategy[NDC]:
    """NDCs, built from 11 digits or from the hyphenated 10-digit forms."""
    hyphen = st.just("-")
    hyphenated = st.sampled_from(((4, 4, 2), (5, 3, 2), (5, 4, 1))).flatmap(
        lambda n: _joined(
            _chars(_DIGITS, n[0]), hyphen, _chars(_DIGITS, n[1]), hyphen, _chars(_DIGITS, n[2])
        )
    )
    return st.one_of(_chars(_DIGITS, 11), hyphenated).map(NDC)


_BY_SYSTEM: Final[dict[CodeSystem, Callable[[], st.SearchStrategy[Any]]]] = {
    CodeSystem.ICD10CM: icd10cm_codes,
    CodeSystem.ICD10PCS: icd10pcs_codes,
    CodeSystem.CPT: cpt_codes,
    CodeSystem.HCPCS: hcpcs_codes,
    CodeSystem.MODIFIER: modifiers,
    CodeSystem.PLACE_OF_SERVICE: places_of_service,
    CodeSystem.REVENUE_CODE: revenue_codes,
    CodeSystem.TYPE_OF_BILL: types_of_bill,
    CodeSystem.CARC: carcs,
    CodeSystem.RARC: rarcs,
    CodeSystem.NDC: ndcs,
}

_FIRST: Final = date(2015, 10, 1)
_LAST: Final = date(2030, 12, 31)
_SPAN: Final = (_LAST - _FIRST).days
_AGES: Final = st.one_of(st.none(), st.integers(0, 120))
_DESCRIPTIONS: Final = ("header", "a description", "Sjögren syndrome", "x" * 500)
_DESCRIPTION: Final = st.one_of(st.none(), st.sampled_from(_DESCRIPTIONS))
_SEX: Final = st.one_of(st.none(), st.sampled_from(SexLimit))


def _periods_apart(draw: st.DrawFn, count: int) -> list[Period]:
    """``count`` periods in date order with at least one day between them; the last may
    be open."""
    offsets = sorted(draw(st.lists(st.integers(0, _SPAN), min_size=2 * count,
                                   max_size=2 * count, unique=True)))
    days = [_FIRST + timedelta(days=o) for o in offsets]
    periods = [Period(days[2 * i], days[2 * i + 1]) for i in range(count)]
    if draw(st.booleans()):
        periods[-1] = Period(periods[-1].start)
    return periods


def _entry(
    draw: st.DrawFn, code: Code, effective: Period, *, with_limits: bool
) -> CodeEntry:
    low, high = (draw(_AGES), draw(_AGES)) if with_limits else (None, None)
    if low is not None and high is not None and high < low:
        low, high = high, low
    return CodeEntry(
        code=code.code,
        effective=effective,
        billable=draw(st.booleans()),
        description=draw(_DESCRIPTION),
        sex=draw(_SEX) if with_limits else None,
        min_age=low,
        max_age=high,
    )


def code_entries(
    code: Code, *, effective: Period, with_limits: bool = True
) -> st.SearchStrategy[CodeEntry]:
    """Entries for ``code`` in force over ``effective`` (billable or not, maybe limited)."""

    @st.composite
    def build(draw: st.DrawFn) -> CodeEntry:
        return _entry(draw, code, effective, with_limits=with_limits)

    return build()


def code_sets(
    system: CodeSystem | None = None, *, max_codes: int = 12, max_entries_per_code: int = 3
) -> st.SearchStrategy[CodeSet]:
    """Code sets of one system (drawn when not given), each code with 1 to
    ``max_entries_per_code`` entries that never overlap."""
    code_lists = {
        s: st.lists(make(), max_size=max_codes, unique_by=lambda c: c.code)
        for s, make in _BY_SYSTEM.items()
    }
    counts = st.integers(1, max_entries_per_code)
    systems = st.just(system) if system is not None else st.sampled_from(CodeSystem)

    @st.composite
    def build(draw: st.DrawFn) -> CodeSet:
        chosen = draw(systems)
        entries: list[CodeEntry] = []
        for code in draw(code_lists[chosen]):
            entries.extend(
                _entry(draw, code, period, with_limits=True)
                for period in _periods_apart(draw, draw(counts))
            )
        return CodeSet(
            name=f"{chosen.label} test set", system=chosen,
            version=str(draw(st.integers(2015, 2030))), entries=entries,
        )

    return build()


def code_set_bundles() -> st.SearchStrategy[CodeSets]:
    """:class:`~claimcore.codes.CodeSets` bundles with some of their sets present."""

    def maybe(system: CodeSystem) -> st.SearchStrategy[CodeSet | None]:
        return st.one_of(st.none(), code_sets(system, max_codes=6))

    return st.builds(
        CodeSets,
        icd10cm=maybe(CodeSystem.ICD10CM),
        icd10pcs=maybe(CodeSystem.ICD10PCS),
        cpt=maybe(CodeSystem.CPT),
        hcpcs=maybe(CodeSystem.HCPCS),
        modifiers=maybe(CodeSystem.MODIFIER),
        places_of_service=maybe(CodeSystem.PLACE_OF_SERVICE),
        revenue_codes=maybe(CodeSystem.REVENUE_CODE),
        ndcs=maybe(CodeSystem.NDC),
    )


def diagnoses(*, max_size: int = 12) -> st.SearchStrategy[tuple[Diagnosis, ...]]:
    """Distinct ICD-10-CM diagnoses in sequence order (1, 2, 3, ...), some with POA."""
    poa = st.one_of(st.none(), st.sampled_from(PresentOnAdmission))
    return st.lists(
        st.tuples(icd10cm_codes(), poa), min_size=1, max_size=max_size,
        unique_by=lambda pair: pair[0].code,
    ).map(lambda pairs: tuple(
        Diagnosis(code=code, sequence=i + 1, present_on_admission=p)
        for i, (code, p) in enumerate(pairs)
    ))


def procedure_lines(*, diagnosis_count: int = 12) -> st.SearchStrategy[ProcedureLine]:
    """Professional service lines pointing at diagnoses 1 to ``diagnosis_count``."""
    mod_lists = st.lists(modifiers(), max_size=4, unique_by=lambda m: m.code)
    codes = st.one_of(cpt_codes(), hcpcs_codes())
    pointers = st.lists(st.integers(1, diagnosis_count), min_size=1,
                        max_size=min(4, diagnosis_count), unique=True)
    npi_or_none = st.none() | npis()
    place_or_none = st.none() | places_of_service()
    ndc_codes = ndcs()

    @st.composite
    def build(draw: st.DrawFn) -> ProcedureLine:
        start = draw(st.dates(min_value=_FIRST, max_value=_LAST - timedelta(days=7)))
        drug = draw(st.booleans())
        mods = draw(mod_lists)
        if any(m.code == "59" for m in mods):  # 59 never with an X modifier
            mods = [m for m in mods if m.code not in ("XE", "XP", "XS", "XU")]
        return ProcedureLine(
            code=draw(codes),
            service_period=Period(start, start + timedelta(days=draw(st.integers(0, 6)))),
            diagnosis_pointers=draw(pointers),
            units=Decimal(draw(st.integers(1, 9999))).scaleb(-draw(st.integers(0, 3))),
            unit=draw(st.sampled_from(UnitOfMeasure)),
            modifiers=mods,
            rendering_provider=draw(npi_or_none),
            place_of_service=draw(place_or_none),
            ndc=draw(ndc_codes) if drug else None,
            drug_quantity=Decimal(draw(st.integers(1, 999))) if drug else None,
            drug_unit=draw(st.sampled_from(DrugUnit)) if drug else None,
        )

    return build()


def coded_encounters(
    *, max_diagnoses: int = 4, max_lines: int = 3
) -> st.SearchStrategy[CodedEncounter]:
    """Coded encounters: any encounter, its diagnoses, lines whose pointers resolve."""
    visits = encounters(max_steps=3)
    dx_lists = diagnoses(max_size=max_diagnoses)
    line_lists = {
        n: st.lists(procedure_lines(diagnosis_count=n), max_size=max_lines)
        for n in range(1, max_diagnoses + 1)
    }

    @st.composite
    def build(draw: st.DrawFn) -> CodedEncounter:
        encounter = draw(visits)
        dx = draw(dx_lists)
        if encounter.encounter_class is not EncounterClass.INPATIENT:
            dx = tuple(Diagnosis(code=d.code, sequence=d.sequence) for d in dx)
        lines = draw(line_lists[len(dx)])
        return CodedEncounter(encounter=encounter, diagnoses=dx, procedures=lines)

    return build()


def _code_entries_any() -> st.SearchStrategy[CodeEntry]:
    @st.composite
    def build(draw: st.DrawFn) -> CodeEntry:
        return _entry(draw, draw(icd10cm_codes()), _periods_apart(draw, 1)[0], with_limits=True)

    return build()


def coding_results() -> st.SearchStrategy[CodingResult]:
    """What ``code_encounter`` returns: a coded encounter and a few findings."""
    return st.builds(
        CodingResult,
        coded=coded_encounters(),
        findings=st.lists(findings(), max_size=3).map(tuple),
    )


def code_ranges() -> st.SearchStrategy[CodeRange]:
    """ICD-10-CM code ranges (a code alone, or two in order)."""
    def build(pair: tuple[ICD10CM, ICD10CM]) -> CodeRange:
        first, last = sorted(c.code for c in pair)
        return CodeRange(first, first if last[: len(first)] < first else last)

    return st.tuples(icd10cm_codes(), icd10cm_codes()).map(build)


_NOTE_WORDS: Final = st.sampled_from(("diabetes", "type 1", "neonatal", "underlying",
                                      "disease", "code to identify", "if applicable"))


def tabular_notes() -> st.SearchStrategy[TabularNote]:
    """Tabular notes whose text names the codes they refer to."""
    @st.composite
    def build(draw: st.DrawFn) -> TabularNote:
        refs = draw(st.lists(code_ranges(), max_size=3, unique=True))
        words = draw(st.lists(_NOTE_WORDS, min_size=1, max_size=3))
        text = " ".join(words) + "".join(f" ({r})" for r in refs)
        return TabularNote(scope=draw(code_ranges()), kind=draw(st.sampled_from(NoteKind)),
                           text=text, references=refs)

    return build()


def seventh_character_rules() -> st.SearchStrategy[SeventhCharacterRule]:
    """7th-character rules over a category or subcategory."""
    return st.builds(
        SeventhCharacterRule,
        scope=_joined(_chars(_UPPER, 1), _chars(_DIGITS, 2), _chars(_ALNUM, 0, 3)),
        characters=st.dictionaries(st.sampled_from("ADS0123"),
                                   st.sampled_from(("initial encounter", "sequela")),
                                   min_size=1, max_size=4),
        note=st.sampled_from(("", "The appropriate 7th character is to be added")),
    )


def tabular_instructions() -> st.SearchStrategy[TabularInstructions]:
    """Small sets of tabular instructions."""
    return st.builds(
        TabularInstructions, name=st.just("ICD-10-CM tabular test"),
        version=st.sampled_from(("FY2025", "FY2026")),
        notes=st.lists(tabular_notes(), max_size=4).map(tuple),
        seventh_characters=st.lists(seventh_character_rules(), max_size=3,
                                    unique_by=lambda r: r.scope).map(tuple),
        unspecified=st.frozensets(icd10cm_codes().map(lambda c: c.code), max_size=3),
    )


def medical_decision_makings() -> st.SearchStrategy[MedicalDecisionMaking]:
    """The three MDM elements at any levels."""
    level = st.sampled_from(MdmLevel)
    return st.builds(MedicalDecisionMaking, problems=level, data=level, risk=level)


def em_levels() -> st.SearchStrategy[EmLevel]:
    """E/M levels as :func:`~claimcore.codes.em_level` finds them."""
    @st.composite
    def build(draw: st.DrawFn) -> EmLevel:
        mdm = draw(st.none() | medical_decision_makings())
        minutes = draw(st.integers(0, 120) if mdm is None else st.none() | st.integers(0, 120))
        return em_level(new_patient=draw(st.booleans()), mdm=mdm, minutes=minutes)

    return build()


def search_hits() -> st.SearchStrategy[SearchHit]:
    """Search hits on ICD-10-CM codes."""
    @st.composite
    def build(draw: st.DrawFn) -> SearchHit:
        words = draw(st.lists(_NOTE_WORDS, min_size=1, max_size=3, unique=True))
        matched = draw(st.lists(st.sampled_from(words), min_size=1, unique=True))
        description = " ".join(words)
        return SearchHit(code=draw(icd10cm_codes()), description=description,
                         billable=draw(st.booleans()), matched=matched,
                         of=len(words), source=description)

    return build()


def _register() -> None:
    """Register this module's strategies for ``st.from_type``."""
    for cls, strategy in (
        (CodingResult, coding_results()),
        (ICD10CM, icd10cm_codes()),
        (ICD10PCS, icd10pcs_codes()),
        (CPT, cpt_codes()),
        (HCPCS, hcpcs_codes()),
        (Modifier, modifiers()),
        (PlaceOfService, places_of_service()),
        (RevenueCode, revenue_codes()),
        (TypeOfBill, types_of_bill()),
        (ConditionCode, condition_codes()),
        (OccurrenceCode, occurrence_codes()),
        (OccurrenceSpanCode, occurrence_span_codes()),
        (ValueCode, value_codes()),
        (DRG, drgs()),
        (CARC, carcs()),
        (RARC, rarcs()),
        (NDC, ndcs()),
        (CodeEntry, _code_entries_any()),
        (CodeSet, code_sets()),
        (CodeSets, code_set_bundles()),
        (Diagnosis, diagnoses(max_size=1).map(lambda d: d[0])),
        (ProcedureLine, procedure_lines()),
        (CodedEncounter, coded_encounters()),
        (CodeRange, code_ranges()),
        (TabularNote, tabular_notes()),
        (SeventhCharacterRule, seventh_character_rules()),
        (TabularInstructions, tabular_instructions()),
        (MedicalDecisionMaking, medical_decision_makings()),
        (EmLevel, em_levels()),
        (SearchHit, search_hits()),
    ):
        st.register_type_strategy(cls, strategy)
