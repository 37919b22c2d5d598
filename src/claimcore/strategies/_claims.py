"""Strategies for charges, claims and scrubbing: clean claims, and claims with one known defect.

:func:`claims` draws claims that pass every default edit under a context from
:func:`edit_contexts` with the same ``as_of``; :func:`dirty_claims` draws ``(claim,
edit_id)`` pairs whose claim has exactly one planted defect that the edit ``edit_id``
reports. The codes come from small fixed pools, and the NCCI and MUE tables of
:func:`edit_contexts` name only codes that clean claims never use.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Final

import attrs
from hypothesis import strategies as st

from claimcore.charges import (
    Charge,
    ChargeEntry,
    ChargeStatus,
    FeePrice,
    FeeSchedule,
    PayerContract,
    UnlistedRule,
)
from claimcore.claims import (
    Adjudication,
    AdjudicationOutcome,
    AdmissionInfo,
    Appeal,
    Claim,
    ClaimAdjustment,
    ClaimEvent,
    ClaimKind,
    ClaimLine,
    ClaimStatus,
    EditContext,
    InpatientProcedure,
    LineAdjudication,
    MueEntry,
    MueIndicator,
    MueTable,
    NcciEdit,
    NcciModifierIndicator,
    NcciTable,
    Occurrence,
    OccurrenceSpan,
    OtherPayer,
    RejectionReason,
    ScrubReport,
    ValueAmount,
    acknowledge,
    appeal,
    close,
    mark_ready,
    record_adjudication,
    reject,
    replace,
    scrub,
    submit,
    void,
)
from claimcore.codes import (
    CARC,
    DRG,
    ICD10CM,
    ICD10PCS,
    MSP_VALUE_CODES,
    AdjustmentGroup,
    ConditionCode,
    Modifier,
    OccurrenceCode,
    OccurrenceSpanCode,
    PlaceOfService,
    PresentOnAdmission,
    ProcedureCode,
    RevenueCode,
    TypeOfBill,
    ValueCode,
    procedure_code,
)
from claimcore.codes.codeset import CodeSet, CodeSets, CodeSystem
from claimcore.coverage import (
    MEDICARE_APPEALS,
    AppealLevel,
    AppealRules,
    Coverage,
    CoverageOrder,
    MedicareSecondaryType,
    Payer,
    PayerKind,
    Plan,
    PlanType,
    Relationship,
    Subscriber,
    TimelyFiling,
)
from claimcore.ids import ClaimId
from claimcore.money import Money, Rate
from claimcore.patients import Address, AdministrativeSex, Patient
from claimcore.periods import Period
from claimcore.posting import (
    CobMethod,
    CombinedEstimate,
    CoverageTerms,
    PayerEstimate,
    estimate_combined,
)
from claimcore.providers import Organization
from claimcore.strategies._codes import (
    icd10pcs_codes,
    occurrence_codes,
    occurrence_span_codes,
    value_codes,
)
from claimcore.strategies._core import (
    claim_ids,
    encounter_ids,
    findings,
    medical_record_numbers,
    member_ids,
    money,
    npis,
    payer_claim_numbers,
    payer_ids,
    tax_ids,
)
from claimcore.strategies._coverage import benefits, coverages
from claimcore.strategies._front import person_names, providers

__all__ = [
    "AS_OF",
    "adjudications",
    "admission_infos",
    "appeals",
    "charge_entries",
    "charges",
    "claim_adjustments",
    "claim_events",
    "claim_lines",
    "claims",
    "combined_estimates",
    "dirty_claims",
    "edit_contexts",
    "fee_prices",
    "fee_schedules",
    "inpatient_procedures",
    "line_adjudications",
    "mue_entries",
    "mue_tables",
    "ncci_edits",
    "ncci_tables",
    "occurrence_spans",
    "occurrences",
    "other_payers",
    "payer_contracts",
    "rejection_reasons",
    "scrub_reports",
    "value_amounts",
]

AS_OF: Final = date(2026, 6, 30)
"""The default scrub date of :func:`claims` and :func:`edit_contexts`."""

_CLEAN_PROCEDURES: Final = tuple(procedure_code(c) for c in (
    "99202", "99203", "99212", "99213", "99214", "99215", "93000", "80053", "85025",
    "71046", "90471", "97140", "G0438", "J1100",
))
_DIAGNOSES: Final = tuple(ICD10CM(c) for c in (
    "E11.9", "I10", "E78.5", "J45.909", "K21.9", "M54.50", "R51.9", "Z00.00", "N39.0",
    "F41.1", "G43.909", "J06.9", "L30.9", "R10.9", "M25.561", "H10.9",
))
_HEADER_DIAGNOSIS: Final = ICD10CM("E11")  # in the code set, not billable
_REVENUE: Final = tuple(RevenueCode(c) for c in ("0120", "0250", "0300", "0450", "0636"))
_CONDITIONS: Final = tuple(ConditionCode(c) for c in ("01", "07", "39", "A1", "C1"))
_OCCURRENCES: Final = tuple(OccurrenceCode(c) for c in ("11", "24", "31", "42"))
_SPANS: Final = tuple(OccurrenceSpanCode(c) for c in ("70", "74", "M0"))
_AMOUNT_VALUES: Final = tuple(ValueCode(c) for c in ("01", "06", "A1"))
_DRGS: Final = tuple(DRG(c) for c in ("195", "193", "291", "470", "871"))
_PCS: Final = tuple(ICD10PCS(c) for c in ("0DTJ4ZZ", "5A1955Z", "0BH17EZ", "02HV33Z",
                                          "3E0234Z"))
_SAFE_MODIFIERS: Final = tuple(Modifier(c) for c in ("25", "GT", "95", "KX", "LT", "RT", "TC"))
_PLACES: Final = tuple(PlaceOfService(c) for c in ("11", "22", "19", "02", "10", "12"))
_NCCI_PAIRS: Final = (
    (procedure_code("20610"), procedure_code("20552"), NcciModifierIndicator.ALLOWED),
    (procedure_code("11042"), procedure_code("97597"), NcciModifierIndicator.NOT_ALLOWED),
)
_MUE_CODE: Final = procedure_code("20600")
_MUE_MAX: Final = 2
_ALWAYS: Final = Period(date(2015, 10, 1))
_ADDRESSES: Final = (
    # Nine-digit ZIP codes: the 837 requires ZIP+4 for the billing provider (2010AA N403).
    Address(lines=("1 Main St",), city="Springfield", state="IL", postal_code="627011234"),
    Address(lines=("200 Lake Shore Dr", "Suite 4"), city="Chicago", state="IL",
            postal_code="606113300"),
    Address(lines=("9 Elm Rd",), city="Austin", state="TX", postal_code="787010042"),
)
_TABLE_PROCEDURES: Final = (*(c for p in _NCCI_PAIRS for c in p[:2]), _MUE_CODE)


def _code_set(system: CodeSystem, codes: tuple[object, ...], name: str) -> CodeSet:
    rows = [{"code": str(c), "start": "2015-10-01"} for c in codes]
    return CodeSet.from_rows(rows, name=name, system=system, version="strategies")


_CODE_SETS: Final = CodeSets(
    icd10cm=CodeSet.from_rows(
        [*({"code": str(c), "start": "2015-10-01"} for c in _DIAGNOSES),
         {"code": str(_HEADER_DIAGNOSIS), "start": "2015-10-01", "billable": False}],
        name="ICD-10-CM strategy pool", system=CodeSystem.ICD10CM, version="strategies",
    ),
    cpt=_code_set(CodeSystem.CPT, tuple(
        c for c in (*_CLEAN_PROCEDURES, *_TABLE_PROCEDURES) if c.system == "CPT"
    ), "CPT strategy pool"),
    hcpcs=_code_set(CodeSystem.HCPCS, tuple(
        c for c in _CLEAN_PROCEDURES if c.system == "HCPCS"
    ), "HCPCS strategy pool"),
    revenue_codes=_code_set(CodeSystem.REVENUE_CODE, _REVENUE, "revenue strategy pool"),
)
_NCCI: Final = NcciTable(edits=[
    NcciEdit(column1=a, column2=b, effective=_ALWAYS, modifier_indicator=ind)
    for a, b, ind in _NCCI_PAIRS
])
_MUE: Final = MueTable(entries=[
    MueEntry(code=_MUE_CODE, max_units=_MUE_MAX, adjudication_indicator=MueIndicator.LINE,
             effective=_ALWAYS),
])


# -- small parts ---------------------------------------------------------------------------


def _units() -> st.SearchStrategy[Decimal]:
    return st.integers(1, 4).map(Decimal)


def fee_prices() -> st.SearchStrategy[FeePrice]:
    """Prices of a pool code, with or without a modifier."""
    return st.builds(
        FeePrice,
        code=st.sampled_from(_CLEAN_PROCEDURES),
        modifier=st.none() | st.sampled_from(_SAFE_MODIFIERS),
        price=money(min_cents=100, max_cents=500_000),
    )


def _price_list() -> st.SearchStrategy[list[FeePrice]]:
    return st.lists(fee_prices(), min_size=1, max_size=8,
                    unique_by=lambda f: (f.code, f.modifier))


def fee_schedules() -> st.SearchStrategy[FeeSchedule]:
    """Fee schedules in force over some period, each unlisted rule among them."""

    @st.composite
    def build(draw: st.DrawFn) -> FeeSchedule:
        rule = draw(st.sampled_from(UnlistedRule))
        base = None
        rate = None
        if rule is UnlistedRule.PERCENT_OF_BASE:
            base = FeeSchedule(name="base", effective=_ALWAYS, prices=draw(_price_list()))
            rate = draw(st.integers(50, 300).map(Rate.percent))
        return FeeSchedule(
            name=draw(st.sampled_from(("2026 office", "hospital chargemaster", "MPFS"))),
            effective=Period(date(2015, 10, 1), draw(st.none() | st.just(date(2030, 12, 31)))),
            prices=draw(_price_list()), unlisted=rule, base=base, base_rate=rate,
        )

    return build()


def payer_contracts() -> st.SearchStrategy[PayerContract]:
    """Contracts on a fee schedule of allowed amounts or on a rate of charges."""
    return st.one_of(
        st.builds(PayerContract, payer_id=payer_ids(), effective=st.just(_ALWAYS),
                  allowed=fee_schedules()),
        st.builds(PayerContract, payer_id=payer_ids(), effective=st.just(_ALWAYS),
                  rate_of_charges=st.integers(10, 100).map(Rate.percent)),
    )


def charges(*, as_of: date = AS_OF) -> st.SearchStrategy[Charge]:
    """Active or voided charges of a pool code, entered up to 30 days after service."""

    @st.composite
    def build(draw: st.DrawFn) -> Charge:
        service = draw(st.dates(min_value=as_of - timedelta(days=90), max_value=as_of))
        voided = draw(st.booleans())
        return Charge(
            id=draw(st.from_regex(r"CH[0-9]{1,8}", fullmatch=True)),
            code=draw(st.sampled_from(_CLEAN_PROCEDURES)),
            modifiers=draw(st.lists(st.sampled_from(_SAFE_MODIFIERS), max_size=2,
                                    unique=True)),
            units=draw(_units()),
            unit_price=draw(money(min_cents=100, max_cents=500_000)),
            service_date=service,
            diagnoses=draw(st.lists(st.sampled_from(_DIAGNOSES), max_size=4, unique=True)),
            rendering_npi=draw(st.none() | npis()),
            place_of_service=draw(st.none() | st.sampled_from(_PLACES)),
            revenue_code=draw(st.none() | st.sampled_from(_REVENUE)),
            encounter_id=draw(st.none() | st.just("ENC1")),
            entered_on=service + timedelta(days=draw(st.integers(0, 30))),
            status=ChargeStatus.VOIDED if voided else ChargeStatus.ACTIVE,
            voided_by="CHV1" if voided else None,
        )

    return build()


def charge_entries() -> st.SearchStrategy[ChargeEntry]:
    """Valid :class:`ChargeEntry` values, as Hypothesis draws them for ``st.from_type``."""
    return st.builds(ChargeEntry, charges=st.lists(charges(), max_size=3),
                     findings=st.lists(findings(), max_size=2))


def _aware(on: date, hour: int = 12) -> datetime:
    return datetime.combine(on, time(hour), tzinfo=UTC)


def claim_events() -> st.SearchStrategy[ClaimEvent]:
    """Valid :class:`ClaimEvent` values, as Hypothesis draws them for ``st.from_type``."""
    return st.builds(
        ClaimEvent, from_status=st.sampled_from(ClaimStatus),
        to_status=st.sampled_from(ClaimStatus),
        at=st.dates(min_value=date(2020, 1, 1), max_value=AS_OF).map(_aware),
        reason=st.none() | st.just("corrected"),
    )


def rejection_reasons() -> st.SearchStrategy[RejectionReason]:
    """277CA rejection reasons (A3, A6, A7 with common status codes)."""
    return st.builds(
        RejectionReason, category=st.sampled_from(("A3", "A6", "A7", "A8")),
        status_code=st.sampled_from(("21", "33", "145", "164", "562")),
        entity=st.none() | st.sampled_from(("85", "IL", "QC", "PR")),
        text=st.none() | st.just("see field"),
    )


def claim_adjustments() -> st.SearchStrategy[ClaimAdjustment]:
    """Valid :class:`ClaimAdjustment` values, as Hypothesis draws them for ``st.from_type``."""
    return st.builds(
        ClaimAdjustment, group=st.sampled_from(AdjustmentGroup),
        reason=st.sampled_from(("1", "2", "3", "45", "23")).map(CARC),
        amount=money(max_cents=100_000), quantity=st.none() | st.just(Decimal(1)),
    )


def line_adjudications() -> st.SearchStrategy[LineAdjudication]:
    """Valid :class:`LineAdjudication` values, as Hypothesis draws them for ``st.from_type``."""
    return st.builds(LineAdjudication, line_number=st.integers(1, 50),
                     paid=money(max_cents=100_000),
                     adjustments=st.lists(claim_adjustments(), max_size=2))


def other_payers() -> st.SearchStrategy[OtherPayer]:
    """A prior payer's adjudication, as a secondary claim carries it (loops 2320/2430)."""
    return st.builds(
        OtherPayer, coverage=coverages(), paid=money(max_cents=100_000),
        adjustments=st.lists(claim_adjustments(), max_size=2),
        lines=st.lists(line_adjudications(), max_size=2),
        adjudicated_on=st.dates(min_value=date(2020, 1, 1), max_value=AS_OF),
    )


def adjudications(*, on: date = AS_OF) -> st.SearchStrategy[Adjudication]:
    """Payer decisions of every outcome, paid amounts consistent with the outcome."""

    @st.composite
    def build(draw: st.DrawFn) -> Adjudication:
        outcome = draw(st.sampled_from(AdjudicationOutcome))
        paying = outcome in (AdjudicationOutcome.PAID, AdjudicationOutcome.PARTIALLY_PAID)
        return Adjudication(
            outcome=outcome,
            paid=draw(money(min_cents=1, max_cents=100_000)) if paying else Money.zero(),
            payer_claim_number=draw(payer_claim_numbers()),
            on=on,
            patient_responsibility=draw(money(max_cents=50_000)),
            allowed=draw(st.none() | money(max_cents=100_000)),
            adjustments=draw(st.lists(claim_adjustments(), max_size=2)),
        )

    return build()


def appeals() -> st.SearchStrategy[Appeal]:
    """Valid :class:`Appeal` values, as Hypothesis draws them for ``st.from_type``."""
    @st.composite
    def build(draw: st.DrawFn) -> Appeal:
        filed = draw(st.dates(min_value=date(2020, 1, 1), max_value=AS_OF))
        return Appeal(level=draw(st.integers(1, 5)), filed_on=filed,
                      deadline=filed + timedelta(days=draw(st.integers(0, 180))),
                      amount_in_controversy=draw(money(max_cents=100_000)),
                      reason=draw(st.none() | st.just("medically necessary")))

    return build()


def occurrences() -> st.SearchStrategy[Occurrence]:
    """Occurrence codes with their dates."""
    return st.builds(Occurrence, code=occurrence_codes(),
                     on=st.dates(date(2015, 10, 1), AS_OF))


def occurrence_spans() -> st.SearchStrategy[OccurrenceSpan]:
    """Occurrence span codes with their periods (a through date always given)."""

    @st.composite
    def build(draw: st.DrawFn) -> OccurrenceSpan:
        start = draw(st.dates(date(2015, 10, 1), AS_OF))
        end = start + timedelta(days=draw(st.integers(0, 60)))
        return OccurrenceSpan(code=draw(occurrence_span_codes()), period=Period(start, end))

    return build()


def value_amounts() -> st.SearchStrategy[ValueAmount]:
    """Value codes with their amounts (not negative)."""
    return st.builds(ValueAmount, code=value_codes(), amount=money(max_cents=5_000_000))


def inpatient_procedures() -> st.SearchStrategy[InpatientProcedure]:
    """ICD-10-PCS procedures with their dates."""
    return st.builds(InpatientProcedure, code=icd10pcs_codes(),
                     on=st.dates(date(2015, 10, 1), AS_OF))


def combined_estimates() -> st.SearchStrategy[CombinedEstimate]:
    """Estimates across one to three coverages, each by a commercial COB method."""

    @st.composite
    def build(draw: st.DrawFn) -> CombinedEstimate:
        count = draw(st.integers(1, 3))
        terms = [
            CoverageTerms(
                coverage=attrs.evolve(draw(coverages()), order=CoverageOrder.from_rank(n),
                                      medicare_secondary_type=None),
                benefits=draw(benefits()), allowed=draw(money(max_cents=500_000)),
                cob=draw(st.sampled_from([m for m in CobMethod
                                          if m is not CobMethod.MEDICARE_SECONDARY])),
            )
            for n in range(1, count + 1)
        ]
        return estimate_combined(draw(money(max_cents=800_000)), terms)

    return build()


def admission_infos(*, through: date = AS_OF) -> st.SearchStrategy[AdmissionInfo]:
    """Inpatient admission data for a stay ending on ``through``."""

    @st.composite
    def build(draw: st.DrawFn) -> AdmissionInfo:
        start = through - timedelta(days=draw(st.integers(0, 20)))
        return AdmissionInfo(
            statement_period=Period(start, through), admission_date=start,
            admission_hour=draw(st.none() | st.integers(0, 23)),
            admission_type=draw(st.sampled_from("1235")),
            admission_source=draw(st.sampled_from("124")),
            discharge_date=through, discharge_hour=draw(st.none() | st.integers(0, 23)),
            discharge_status=draw(st.sampled_from(("01", "02", "03", "06", "20"))),
        )

    return build()


def claim_lines(
    *, on: date = AS_OF, diagnoses: int = 4, kind: ClaimKind = ClaimKind.PROFESSIONAL,
    line_number: int = 1,
) -> st.SearchStrategy[ClaimLine]:
    """A clean line for a date of service: a pool code, safe modifiers, 1 to 4 units, a
    positive charge, and (professional) 1 to 4 pointers into ``diagnoses`` diagnoses."""
    professional = kind is ClaimKind.PROFESSIONAL
    pointer = st.lists(st.integers(1, max(diagnoses, 1)), min_size=1,
                       max_size=min(4, max(diagnoses, 1)), unique=True)
    return st.builds(
        ClaimLine,
        line_number=st.just(line_number),
        procedure=st.sampled_from(_CLEAN_PROCEDURES) if professional
        else st.none() | st.sampled_from(_CLEAN_PROCEDURES),
        revenue_code=st.none() if professional else st.sampled_from(_REVENUE),
        modifiers=st.lists(st.sampled_from(_SAFE_MODIFIERS), max_size=2, unique=True),
        units=_units(),
        charge=money(min_cents=100, max_cents=500_000),
        service_period=st.just(Period(on, on)),
        pointers=pointer.map(tuple) if professional else st.just(()),
        rendering_npi=st.none() | npis(),
        charge_id=st.none() | st.from_regex(r"CH[0-9]{1,6}", fullmatch=True),
    )


# -- claims ---------------------------------------------------------------------------------


class _Parts:
    """Strategies built once (building a strategy inside every draw is slow)."""

    def __init__(self) -> None:
        self.member_id = member_ids()
        self.payer_id = payer_ids()
        self.payer_name = st.sampled_from(("Medicare Part B", "Acme Health", "State Medicaid"))
        self.payer_kind = st.sampled_from(PayerKind)
        self.appeal_rules = st.sampled_from((None, MEDICARE_APPEALS))
        self.plan_name = st.sampled_from(("Gold PPO", "Original Medicare", "Basic HMO"))
        self.plan_type = st.sampled_from(PlanType)
        self.relationship = st.sampled_from(Relationship)
        self.order = st.sampled_from(CoverageOrder)
        self.npi = npis()
        self.tax_id = tax_ids()
        self.organization_name = st.sampled_from(
            ("Springfield Clinic", "Lakeside Medical Group", "Mercy Hospital"))
        self.address = st.sampled_from(_ADDRESSES)
        self.provider = providers()
        self.maybe_provider = st.none() | providers()
        self.name = person_names()
        self.mrn = medical_record_numbers()
        # Lower-case letters only: a claim's id is drawn apart from its patient, and can
        # then never hold (by coincidence of two draws) a record number or member id,
        # which are upper-case letters and digits. claim_ids() covers the full alphabet.
        self.claim_id = st.text(string.ascii_lowercase, min_size=1, max_size=20).map(ClaimId)
        self.maybe_encounter = st.none() | encounter_ids()
        self.maybe_npi = st.none() | npis()
        self.charge = money(min_cents=100, max_cents=500_000)
        self.modifiers = st.lists(st.sampled_from(_SAFE_MODIFIERS), max_size=2, unique=True)
        self.procedure = st.sampled_from(_CLEAN_PROCEDURES)
        self.maybe_procedure = st.none() | st.sampled_from(_CLEAN_PROCEDURES)
        self.revenue = st.sampled_from(_REVENUE)
        self.units = _units()
        self.pointers = {
            n: st.lists(st.integers(1, n), min_size=1, max_size=min(4, n), unique=True)
            for n in range(1, 13)
        }
        self.diagnoses = {
            n: st.lists(st.sampled_from(_DIAGNOSES), min_size=n, max_size=n, unique=True)
            for n in range(1, 13)
        }
        self.sex = st.sampled_from(AdministrativeSex)
        self.place = st.sampled_from(_PLACES)
        self.prior_authorization = st.none() | st.just("AUTH12345")
        self.coverage_end = st.none() | st.integers(0, 400)
        self.msp_type = st.sampled_from(MedicareSecondaryType)
        self.poa = st.sampled_from([p for p in PresentOnAdmission
                                    if p is not PresentOnAdmission.EXEMPT])
        self.conditions = st.lists(st.sampled_from(_CONDITIONS), max_size=3, unique=True)
        self.drg = st.none() | st.sampled_from(_DRGS)
        self.pcs = st.sampled_from(_PCS)
        self.value_amount = money(min_cents=0, max_cents=200_000)


_parts_cache: list[_Parts] = []


def _parts() -> _Parts:
    if not _parts_cache:
        _parts_cache.append(_Parts())
    return _parts_cache[0]


def _day(draw: st.DrawFn, first: date, last: date) -> date:
    return first + timedelta(days=draw(st.integers(0, (last - first).days)))


def _coverage_for(draw: st.DrawFn, earliest: date, as_of: date) -> Coverage:
    parts = _parts()
    member = draw(parts.member_id)
    payer = Payer(
        payer_id=draw(parts.payer_id), name=draw(parts.payer_name), kind=draw(parts.payer_kind),
        timely_filing=TimelyFiling(months=draw(st.integers(3, 24)),
                                   days=draw(st.integers(0, 30))),
        appeal_rules=draw(parts.appeal_rules),
    )
    start = earliest - timedelta(days=draw(st.integers(0, 2000)))
    extra = draw(parts.coverage_end)
    end = None if extra is None else as_of + timedelta(days=extra)
    order = draw(parts.order)
    msp = (draw(parts.msp_type) if payer.kind is PayerKind.MEDICARE
           and order is not CoverageOrder.PRIMARY else None)
    return Coverage(
        payer=payer,
        plan=Plan(name=draw(parts.plan_name), plan_type=draw(parts.plan_type)),
        member_id=member,
        subscriber=Subscriber(member_id=member, name=draw(parts.name),
                              birth_date=_day(draw, date(1920, 1, 1), earliest),
                              sex=draw(parts.sex)),
        relationship=draw(parts.relationship),
        period=Period(start, end),
        order=order,
        medicare_secondary_type=msp,
    )


def _organization(draw: st.DrawFn) -> Organization:
    parts = _parts()
    return Organization(npi=draw(parts.npi), name=draw(parts.organization_name),
                        tax_id=draw(parts.tax_id), address=draw(parts.address))


def _line(draw: st.DrawFn, n: int, on: date, dx_count: int, professional: bool) -> ClaimLine:
    parts = _parts()
    return ClaimLine(
        line_number=n,
        procedure=draw(parts.procedure if professional else parts.maybe_procedure),
        revenue_code=None if professional else draw(parts.revenue),
        modifiers=draw(parts.modifiers),
        units=draw(parts.units),
        charge=draw(parts.charge),
        service_period=Period(on, on),
        pointers=tuple(draw(parts.pointers[dx_count])) if professional else (),
        rendering_npi=draw(parts.maybe_npi),
    )


def _draft(draw: st.DrawFn, kind: ClaimKind, as_of: date, max_lines: int) -> Claim:
    parts = _parts()
    last = as_of - timedelta(days=2)
    professional = kind is ClaimKind.PROFESSIONAL
    dx_count = draw(st.integers(1, 12 if professional else 8))
    diagnoses = draw(parts.diagnoses[dx_count])
    admission = None if professional else draw(admission_infos(through=last))
    first = admission.statement_period.start if admission else last - timedelta(days=60)
    count = draw(st.integers(1, max_lines))
    lines: list[ClaimLine] = []
    keys: set[tuple[object, ...]] = set()
    for _ in range(count):
        candidate = _line(draw, len(lines) + 1, _day(draw, first, last), dx_count,
                          professional)
        key = (candidate.procedure, candidate.revenue_code, candidate.modifiers,
               candidate.service_period)
        if key not in keys:
            keys.add(key)
            lines.append(candidate)
    earliest = min(line.from_date for line in lines)
    born_by = min(earliest, first)
    patient = Patient(
        mrn=draw(parts.mrn), name=draw(parts.name),
        birth_date=_day(draw, date(1920, 1, 1), born_by),
        sex=draw(parts.sex), address=draw(parts.address),  # the 837 carries it (2010BA/CA)
    )
    coverage = _coverage_for(draw, born_by, as_of)
    ub04 = {} if admission is None else _ub04(draw, admission, dx_count, coverage)
    return Claim(
        id=draw(parts.claim_id),
        kind=kind,
        encounter=draw(parts.maybe_encounter),
        patient=patient,
        coverage=coverage,
        billing_provider=_organization(draw),
        rendering_provider=draw(parts.maybe_provider),
        referring_provider=draw(parts.maybe_provider),
        attending_provider=None if professional else draw(parts.provider),
        place_of_service=draw(parts.place) if professional else None,
        type_of_bill=None if professional else TypeOfBill("111"),
        admission=admission,
        diagnoses=diagnoses,
        lines=lines,
        prior_authorization=draw(parts.prior_authorization),
        **ub04,
    )


def _ub04(draw: st.DrawFn, admission: AdmissionInfo, dx_count: int,
          coverage: Coverage) -> dict[str, Any]:
    """The UB-04 codes of an inpatient claim, each consistent with the stay (so that the
    institutional edits pass): POA for every diagnosis, dates within the stay."""
    parts = _parts()
    period = admission.statement_period
    start, end = period.start, period.end or period.start
    occurrences = [
        Occurrence(code=code, on=_day(draw, start, end))
        for code in draw(st.lists(st.sampled_from(_OCCURRENCES), max_size=3, unique=True))
    ]
    spans = []
    for code in draw(st.lists(st.sampled_from(_SPANS), max_size=2, unique=True)):
        first = _day(draw, start, end)
        spans.append(OccurrenceSpan(code=code, period=Period(first, _day(draw, first, end))))
    values = [
        ValueAmount(code=code, amount=draw(parts.value_amount))
        for code in draw(st.lists(st.sampled_from(_AMOUNT_VALUES), max_size=2, unique=True))
    ]
    if draw(st.booleans()):
        days = (end - start).days + 1
        values.append(ValueAmount(code=ValueCode("80"),
                                  amount=Money(Decimal(draw(st.integers(0, days))))))
    msp = coverage.medicare_secondary_type
    if msp is not None:
        values.append(ValueAmount(code=ValueCode(msp.value_code),
                                  amount=draw(parts.value_amount)))
    first_day = admission.admission_date or start
    last_day = admission.discharge_date or end
    procedures = [
        InpatientProcedure(code=code, on=_day(draw, first_day, last_day))
        for code in draw(st.lists(parts.pcs, max_size=4, unique=True))
    ]
    return {
        "present_on_admission": [draw(parts.poa) for _ in range(dx_count)],
        "condition_codes": draw(parts.conditions),
        "occurrences": occurrences,
        "occurrence_spans": spans,
        "value_codes": values,
        "drg": draw(parts.drg),
        "procedures": procedures,
    }


_PERMISSIVE_APPEALS: Final = AppealRules(
    levels=[AppealLevel(level=1, name="Reconsideration", deadline_days=3650)],
    effective=_ALWAYS,
)
_PATH: Final[dict[ClaimStatus, tuple[str, ...]]] = {
    ClaimStatus.DRAFT: (),
    ClaimStatus.READY: ("mark_ready",),
    ClaimStatus.SUBMITTED: ("mark_ready", "submit"),
    ClaimStatus.ACCEPTED: ("mark_ready", "submit", "acknowledge"),
    ClaimStatus.REJECTED: ("mark_ready", "submit", "reject"),
    ClaimStatus.ADJUDICATED: ("mark_ready", "submit", "acknowledge", "adjudicate"),
    ClaimStatus.APPEALED: ("mark_ready", "submit", "acknowledge", "adjudicate", "appeal"),
    ClaimStatus.CLOSED: ("mark_ready", "submit", "acknowledge", "adjudicate", "close"),
    ClaimStatus.VOIDED: ("mark_ready", "submit", "acknowledge", "adjudicate", "void"),
    ClaimStatus.REPLACED: ("mark_ready", "submit", "acknowledge", "adjudicate", "replace"),
}


def _advance(draw: st.DrawFn, claim: Claim, status: ClaimStatus, as_of: date) -> Claim:
    context = _context(as_of)
    at = _aware(as_of, 8)
    for step, event in enumerate(_PATH[status]):
        at = at + timedelta(hours=1 + step)
        if event == "mark_ready":
            claim = mark_ready(claim, scrub(claim, context=context), at=at)
        elif event == "submit":
            claim = submit(claim, at=at)
        elif event == "acknowledge":
            claim = acknowledge(claim, at=at)
        elif event == "reject":
            claim = reject(claim, at=at, reasons=[draw(rejection_reasons())])
        elif event == "adjudicate":
            claim = record_adjudication(claim, draw(adjudications(on=as_of)), at=at)
        elif event == "appeal":
            claim = appeal(claim, at=at, rules=_PERMISSIVE_APPEALS,
                           amount_in_controversy=claim.total_charge)
        elif event == "close":
            claim = close(claim, at=at)
        elif event == "void":
            claim = void(claim, at=at)[0]
        else:
            claim = replace(claim, at=at)[0]
    return claim


def claims(
    *,
    kind: ClaimKind | None = None,
    status: ClaimStatus | None = None,
    as_of: date = AS_OF,
    max_lines: int = 6,
) -> st.SearchStrategy[Claim]:
    """Claims that scrub clean with :data:`~claimcore.claims.DEFAULT_EDITS` under
    ``edit_contexts(as_of=as_of)``, of ``kind`` (any when ``None``), taken to ``status``
    through the lifecycle functions (a draft when ``None``)."""

    @st.composite
    def build(draw: st.DrawFn) -> Claim:
        chosen = kind if kind is not None else draw(st.sampled_from(ClaimKind))
        draft = _draft(draw, chosen, as_of, max_lines)
        return _advance(draw, draft, status or ClaimStatus.DRAFT, as_of)

    return build()


def _context(as_of: date) -> EditContext:
    return EditContext(as_of=as_of, code_sets=_CODE_SETS, ncci=_NCCI, mue=_MUE)


def edit_contexts(*, as_of: date = AS_OF) -> st.SearchStrategy[EditContext]:
    """The context :func:`claims` pass under: ``as_of``, the pools' code sets, and NCCI and
    MUE tables that only :func:`dirty_claims` trips."""
    return st.just(_context(as_of))


# -- claims with one planted defect ----------------------------------------------------------


def _renumber(claim: Claim, lines: list[ClaimLine]) -> Claim:
    numbered = tuple(attrs.evolve(line, line_number=n) for n, line in enumerate(lines, 1))
    return attrs.evolve(claim, lines=numbered)


def _first_line(claim: Claim, **changes: Any) -> Claim:
    return _renumber(claim, [attrs.evolve(claim.lines[0], **changes), *claim.lines[1:]])


def _added(claim: Claim, *new: ClaimLine) -> Claim:
    return _renumber(claim, [*claim.lines, *new])


def _extra_line(claim: Claim, code: ProcedureCode, units: int = 1) -> ClaimLine:
    template = claim.lines[0]
    return attrs.evolve(
        template, procedure=code, modifiers=(), units=Decimal(units),
        revenue_code=template.revenue_code, pointers=template.pointers,
    )


Defect = Callable[[st.DrawFn, Claim, date], Claim]


def _missing(draw: st.DrawFn, claim: Claim, as_of: date) -> Claim:
    if claim.kind is ClaimKind.PROFESSIONAL:
        return attrs.evolve(claim, place_of_service=None)
    return attrs.evolve(claim, attending_provider=None)


def _too_many_modifiers(draw: st.DrawFn, claim: Claim, as_of: date) -> Claim:
    return _first_line(claim, modifiers=_SAFE_MODIFIERS[:5])


def _dangling_pointer(draw: st.DrawFn, claim: Claim, as_of: date) -> Claim:
    return _first_line(claim, pointers=(len(claim.diagnoses) + 1,))


def _header_code(draw: st.DrawFn, claim: Claim, as_of: date) -> Claim:
    return attrs.evolve(claim, diagnoses=(_HEADER_DIAGNOSIS, *claim.diagnoses[1:]))


def _future(draw: st.DrawFn, claim: Claim, as_of: date) -> Claim:
    on = as_of + timedelta(days=draw(st.integers(1, 30)))
    coverage = attrs.evolve(claim.coverage, period=Period(claim.coverage.period.start))
    admission = claim.admission
    if admission is not None:
        admission = attrs.evolve(
            admission, statement_period=Period(admission.statement_period.start, on),
            discharge_date=on,
        )
    moved = attrs.evolve(claim, coverage=coverage, admission=admission)
    return _first_line(moved, service_period=Period(on, on))


def _duplicate(draw: st.DrawFn, claim: Claim, as_of: date) -> Claim:
    return _added(claim, claim.lines[0])


def _zero_charge(draw: st.DrawFn, claim: Claim, as_of: date) -> Claim:
    return _first_line(claim, charge=Money.zero())


def _fifty_nine_and_x(draw: st.DrawFn, claim: Claim, as_of: date) -> Claim:
    return _first_line(claim, modifiers=(Modifier("59"), Modifier("XS")))


def _ncci_pair(draw: st.DrawFn, claim: Claim, as_of: date) -> Claim:
    column1, column2, _ = draw(st.sampled_from(_NCCI_PAIRS))
    return _added(claim, _extra_line(claim, column1), _extra_line(claim, column2))


def _mue_units(draw: st.DrawFn, claim: Claim, as_of: date) -> Claim:
    units = draw(st.integers(_MUE_MAX + 1, _MUE_MAX + 5))
    return _added(claim, _extra_line(claim, _MUE_CODE, units))


def _late(draw: st.DrawFn, claim: Claim, as_of: date) -> Claim:
    payer = attrs.evolve(claim.coverage.payer, timely_filing=TimelyFiling(days=1))
    return attrs.evolve(claim, coverage=attrs.evolve(claim.coverage, payer=payer))


def _no_poa(draw: st.DrawFn, claim: Claim, as_of: date) -> Claim:
    known = [PresentOnAdmission.YES] * (len(claim.diagnoses) - 1)
    return attrs.evolve(claim, present_on_admission=[*known, None])


def _negative_value(draw: st.DrawFn, claim: Claim, as_of: date) -> Claim:
    bad = ValueAmount(code=ValueCode("A2"), amount=Money(Decimal("-1.00")))
    return attrs.evolve(claim, value_codes=(*claim.value_codes, bad))


def _occurrence_after(draw: st.DrawFn, claim: Claim, as_of: date) -> Claim:
    assert claim.admission is not None
    end = claim.admission.statement_period.end or claim.admission.statement_period.start
    late = Occurrence(code=OccurrenceCode("50"), on=end + timedelta(days=1))
    return attrs.evolve(claim, occurrences=(*claim.occurrences, late))


def _procedure_after(draw: st.DrawFn, claim: Claim, as_of: date) -> Claim:
    assert claim.admission is not None
    end = claim.admission.discharge_date or claim.admission.statement_period.end
    assert end is not None
    late = InpatientProcedure(code=draw(_parts().pcs), on=end + timedelta(days=1))
    return attrs.evolve(claim, procedures=(*claim.procedures, late))


def _medicare_secondary(draw: st.DrawFn, claim: Claim, as_of: date) -> Claim:
    coverage = claim.coverage
    medicare = attrs.evolve(coverage, payer=attrs.evolve(coverage.payer,
                                                        kind=PayerKind.MEDICARE),
                            order=CoverageOrder.SECONDARY, medicare_secondary_type=None)
    values = [v for v in claim.value_codes if v.code not in MSP_VALUE_CODES]
    return attrs.evolve(claim, coverage=medicare, value_codes=values)


_INSTITUTIONAL_DEFECTS: Final[tuple[tuple[str, Defect], ...]] = (
    ("poa", _no_poa),
    ("value-codes", _negative_value),
    ("occurrence-dates", _occurrence_after),
    ("procedure-dates", _procedure_after),
)
"""Defects of the UB-04 codes: planted on institutional claims only."""

_DEFECTS: Final[tuple[tuple[str, Defect, bool], ...]] = (
    # (edit id, how to plant it, also on institutional claims)
    ("required", _missing, True),
    ("x12-limits", _too_many_modifiers, True),
    ("pointers", _dangling_pointer, False),
    ("codes", _header_code, True),
    ("dates", _future, True),
    ("duplicates", _duplicate, True),
    ("units-charges", _zero_charge, True),
    ("modifier-59-x", _fifty_nine_and_x, True),
    ("ncci-ptp", _ncci_pair, False),
    ("mue", _mue_units, False),
    ("timely-filing", _late, True),
    ("medicare-secondary", _medicare_secondary, True),
)


def dirty_claims(
    *, kind: ClaimKind | None = None, as_of: date = AS_OF
) -> st.SearchStrategy[tuple[Claim, str]]:
    """``(claim, edit_id)``: a draft claim with one planted defect that the default edit
    ``edit_id`` reports under ``edit_contexts(as_of=as_of)``, and no other edit does."""

    @st.composite
    def build(draw: st.DrawFn) -> tuple[Claim, str]:
        chosen = kind if kind is not None else draw(st.sampled_from(ClaimKind))
        options = [(e, plant) for e, plant, both in _DEFECTS
                   if both or chosen is ClaimKind.PROFESSIONAL]
        if chosen is ClaimKind.INSTITUTIONAL:
            options.extend(_INSTITUTIONAL_DEFECTS)
        edit_id, plant = draw(st.sampled_from(options))
        claim = _draft(draw, chosen, as_of, 4)
        return plant(draw, claim, as_of), edit_id

    return build()


# -- tables and reports --------------------------------------------------------------------


def ncci_edits() -> st.SearchStrategy[NcciEdit]:
    """Valid :class:`NcciEdit` values, as Hypothesis draws them for ``st.from_type``."""
    return st.builds(
        NcciEdit, column1=st.sampled_from(_CLEAN_PROCEDURES[:7]),
        column2=st.sampled_from(_CLEAN_PROCEDURES[7:]), effective=st.just(_ALWAYS),
        modifier_indicator=st.sampled_from(NcciModifierIndicator),
    )


def ncci_tables() -> st.SearchStrategy[NcciTable]:
    """Valid :class:`NcciTable` values, as Hypothesis draws them for ``st.from_type``."""
    return st.builds(NcciTable, edits=st.lists(ncci_edits(), max_size=4))


def mue_entries() -> st.SearchStrategy[MueEntry]:
    """Valid :class:`MueEntry` values, as Hypothesis draws them for ``st.from_type``."""
    return st.builds(
        MueEntry, code=st.sampled_from(_CLEAN_PROCEDURES), max_units=st.integers(0, 99),
        adjudication_indicator=st.sampled_from(MueIndicator), effective=st.just(_ALWAYS),
    )


def mue_tables() -> st.SearchStrategy[MueTable]:
    """Valid :class:`MueTable` values, as Hypothesis draws them for ``st.from_type``."""
    return st.builds(MueTable, entries=st.lists(mue_entries(), max_size=4,
                                                unique_by=lambda e: e.code))


def scrub_reports() -> st.SearchStrategy[ScrubReport]:
    """Valid :class:`ScrubReport` values, as Hypothesis draws them for ``st.from_type``."""
    return st.builds(ScrubReport, claim_id=claim_ids(), revision=st.integers(0, 5),
                     as_of=st.just(AS_OF), findings=st.lists(findings(), max_size=3))


def _register() -> None:
    """Register this module's strategies for ``st.from_type``."""
    for cls, strategy in (
        (FeePrice, fee_prices()),
        (FeeSchedule, fee_schedules()),
        (PayerContract, payer_contracts()),
        (Charge, charges()),
        (ChargeEntry, charge_entries()),
        (ClaimEvent, claim_events()),
        (RejectionReason, rejection_reasons()),
        (LineAdjudication, line_adjudications()),
        (OtherPayer, other_payers()),
        (Adjudication, adjudications()),
        (Appeal, appeals()),
        (AdmissionInfo, admission_infos()),
        (Occurrence, occurrences()),
        (OccurrenceSpan, occurrence_spans()),
        (ValueAmount, value_amounts()),
        (InpatientProcedure, inpatient_procedures()),
        (CombinedEstimate, combined_estimates()),
        (PayerEstimate, combined_estimates().map(lambda e: e.payers[0])),
        (ClaimLine, claim_lines()),
        (Claim, claims()),
        (EditContext, edit_contexts()),
        (NcciEdit, ncci_edits()),
        (NcciTable, ncci_tables()),
        (MueEntry, mue_entries()),
        (MueTable, mue_tables()),
        (ScrubReport, scrub_reports()),
    ):
        st.register_type_strategy(cls, strategy)
