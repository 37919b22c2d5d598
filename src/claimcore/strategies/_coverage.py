"""Strategies for coverage and eligibility: payers, plans, subscribers, benefits, 270/271.

Generated subscriber PHI comes from :func:`~claimcore.strategies.person_names` and
:func:`~claimcore.strategies.addresses`, whose words are distinctive so that a test can
search ``repr`` for them. Payer ids are exactly five characters, shorter than any
generated member id, so a member id found in a ``repr`` is a leak, not a coincidence.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from claimcore.coverage import (
    MEDICARE_APPEALS,
    MEDICARE_TIMELY_FILING,
    Accumulator,
    AppealLevel,
    AppealRules,
    Benefits,
    Copay,
    Coverage,
    CoverageOrder,
    CoverageRank,
    EmploymentStatus,
    Network,
    NetworkBenefits,
    Payer,
    PayerKind,
    Plan,
    PlanType,
    Relationship,
    ResponsibilityEstimate,
    ServiceType,
    Subscriber,
    TimelyFiling,
    estimate_responsibility,
    order_coverages,
)
from claimcore.eligibility import (
    BenefitInfo,
    BenefitRow,
    CoverageLevel,
    EligibilityInquiry,
    EligibilityResponse,
    FollowUpAction,
    InNetwork,
    Rejection,
    RejectReason,
    TimePeriod,
    Verification,
    verify,
)
from claimcore.ids import PayerId
from claimcore.money import Money
from claimcore.patients import AdministrativeSex, Patient
from claimcore.strategies._core import (
    dates,
    medical_record_numbers,
    member_ids,
    money,
    periods,
    rates,
)
from claimcore.strategies._front import addresses, person_names

__all__ = [
    "accumulators",
    "appeal_levels",
    "appeal_rules",
    "benefit_rows",
    "benefits",
    "copays",
    "coverage_ranks",
    "coverages",
    "eligibility_inquiries",
    "eligibility_responses",
    "network_benefits",
    "payers",
    "plans",
    "rejections",
    "responsibility_estimates",
    "subscribers",
    "timely_filings",
    "verifications",
]

_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_PAYER_NAMES = (
    "Medicare Part B", "State Medicaid", "Acme Health Plan", "Summit Mutual",
    "Tricare East", "Keystone Casualty", "Lakeside Auto Insurance", "Self Pay",
)
_PLAN_NAMES = ("Gold PPO", "Silver HMO", "Bronze HDHP", "Choice POS", "Select EPO", "Plan A")
_LEVEL_NAMES = ("Reconsideration", "Review", "Hearing", "Appeal", "Redetermination")
_SERVICE_TYPES = tuple(t.value for t in ServiceType)
_MESSAGES = (
    "Benefits are subject to medical necessity",
    "Plan year resets on January 1",
    "Referral required for specialist visits",
    "Call member services for details",
)
_SERVICE_START = date(2020, 1, 1)
_SERVICE_END = date(2030, 12, 31)


def timely_filings() -> st.SearchStrategy[TimelyFiling]:
    """Limits in months, in days, or both (Medicare's 12 months among them)."""
    return st.one_of(
        st.just(MEDICARE_TIMELY_FILING),
        st.builds(TimelyFiling, months=st.integers(1, 36)),
        st.builds(TimelyFiling, days=st.integers(1, 730)),
        st.builds(TimelyFiling, months=st.integers(1, 24), days=st.integers(1, 60)),
    )


def appeal_levels(*, level: int = 1) -> st.SearchStrategy[AppealLevel]:
    """One appeal level numbered ``level``."""
    return st.builds(
        AppealLevel,
        level=st.just(level),
        name=st.sampled_from(_LEVEL_NAMES),
        deadline_days=st.integers(1, 365),
        minimum_in_controversy=money(max_cents=500_000),
    )


def appeal_rules() -> st.SearchStrategy[AppealRules]:
    """Appeal rules with one to five levels, numbered in order (Medicare's among them)."""

    @st.composite
    def build(draw: st.DrawFn) -> AppealRules:
        count = draw(st.integers(1, 5))
        levels = [draw(appeal_levels(level=n)) for n in range(1, count + 1)]
        return AppealRules(levels=levels, effective=draw(periods()))

    return st.one_of(st.just(MEDICARE_APPEALS), build())


def payers(*, kinds: tuple[PayerKind, ...] = tuple(PayerKind)) -> st.SearchStrategy[Payer]:
    """Payers of the given kinds, with five-character payer ids."""
    return st.builds(
        Payer,
        payer_id=st.text(_ALNUM, min_size=5, max_size=5).map(PayerId),
        name=st.sampled_from(_PAYER_NAMES),
        kind=st.sampled_from(kinds),
        timely_filing=timely_filings(),
        appeal_rules=st.none() | appeal_rules(),
    )


def plans() -> st.SearchStrategy[Plan]:
    """Plans of every type, in or out of the provider's network."""
    return st.builds(
        Plan,
        name=st.sampled_from(_PLAN_NAMES),
        plan_type=st.sampled_from(PlanType),
        network=st.sampled_from(Network),
        plan_id=st.none() | st.text(_ALNUM, min_size=3, max_size=12),
    )


def subscribers() -> st.SearchStrategy[Subscriber]:
    """Subscribers born 1930-2010, with distinctive names and addresses."""
    return st.builds(
        Subscriber,
        member_id=member_ids(),
        name=person_names(),
        birth_date=st.dates(min_value=date(1930, 1, 1), max_value=date(2010, 12, 31)),
        sex=st.sampled_from(AdministrativeSex),
        address=st.none() | addresses(),
        employment_status=st.sampled_from(EmploymentStatus),
    )


def coverages(
    *, kinds: tuple[PayerKind, ...] = tuple(PayerKind)
) -> st.SearchStrategy[Coverage]:
    """Coverages with payers of the given kinds, in force for some span of 2020-2030."""
    return st.builds(
        Coverage,
        payer=payers(kinds=kinds),
        plan=plans(),
        member_id=member_ids(),
        group_number=st.none() | st.text(_ALNUM, min_size=3, max_size=15),
        subscriber=subscribers(),
        relationship=st.sampled_from(Relationship),
        period=periods(min_value=_SERVICE_START, max_value=_SERVICE_END),
        order=st.sampled_from(CoverageOrder),
    )


def accumulators(*, max_cents: int = 2_000_000) -> st.SearchStrategy[Accumulator]:
    """A limit up to ``max_cents`` and an amount met between zero and the limit."""

    @st.composite
    def build(draw: st.DrawFn) -> Accumulator:
        limit = draw(st.integers(0, max_cents))
        met = draw(st.integers(0, limit))
        return Accumulator(limit=Money.from_cents(limit), met=Money.from_cents(met))

    return build()


def copays(*, service_type: str | None = None) -> st.SearchStrategy[Copay]:
    """Copays up to $500 for a service type (``service_type`` or any common one)."""
    return st.builds(
        Copay,
        service_type=st.just(service_type) if service_type else st.sampled_from(_SERVICE_TYPES),
        amount=money(max_cents=50_000),
        deductible_applies=st.booleans(),
        coinsurance_applies=st.booleans(),
    )


def network_benefits() -> st.SearchStrategy[NetworkBenefits]:
    """One network tier: any mix of deductibles and out-of-pocket maxima, coinsurance up to
    100% and copays for distinct service types."""

    @st.composite
    def build(draw: st.DrawFn) -> NetworkBenefits:
        codes = draw(st.lists(st.sampled_from(_SERVICE_TYPES), unique=True, max_size=4))
        return NetworkBenefits(
            individual_deductible=draw(st.none() | accumulators()),
            family_deductible=draw(st.none() | accumulators(max_cents=4_000_000)),
            individual_out_of_pocket=draw(st.none() | accumulators()),
            family_out_of_pocket=draw(st.none() | accumulators(max_cents=4_000_000)),
            coinsurance=draw(rates(max_percent=100)),
            copays=[draw(copays(service_type=code)) for code in codes],
        )

    return build()


def benefits() -> st.SearchStrategy[Benefits]:
    """Benefits for a plan period, sometimes with an out-of-network tier."""
    return st.builds(
        Benefits,
        period=periods(min_value=_SERVICE_START, max_value=_SERVICE_END),
        in_network=network_benefits(),
        out_of_network=st.none() | network_benefits(),
    )


def responsibility_estimates() -> st.SearchStrategy[ResponsibilityEstimate]:
    """Estimates made by :func:`~claimcore.coverage.estimate_responsibility`."""
    return st.builds(
        estimate_responsibility,
        benefits(),
        money(max_cents=5_000_000),
        service_type=st.sampled_from(_SERVICE_TYPES),
        network=st.sampled_from(Network),
    )


def _plain_patients() -> st.SearchStrategy[Patient]:
    # Only the birth date matters to order_coverages; the full patients() strategy
    # (contacts, guarantors, history) costs ten times as much to draw.
    return st.builds(
        Patient,
        mrn=medical_record_numbers(),
        name=person_names(),
        birth_date=st.dates(min_value=date(1930, 1, 1), max_value=_SERVICE_START),
        sex=st.sampled_from(AdministrativeSex),
    )


def coverage_ranks() -> st.SearchStrategy[CoverageRank]:
    """Places in a payer order made by :func:`~claimcore.coverage.order_coverages`."""

    @st.composite
    def build(draw: st.DrawFn) -> CoverageRank:
        patient = draw(_plain_patients())
        found = draw(st.lists(coverages(), min_size=1, max_size=3))
        on = draw(dates(min_value=_SERVICE_START, max_value=_SERVICE_END))
        return draw(st.sampled_from(order_coverages(patient, found, on=on)))

    return build()


def eligibility_inquiries() -> st.SearchStrategy[EligibilityInquiry]:
    """Inquiries for a coverage, a date of service and one to three service types."""
    return st.builds(
        EligibilityInquiry,
        coverage=coverages(),
        service_on=dates(min_value=_SERVICE_START, max_value=_SERVICE_END),
        service_types=st.lists(st.sampled_from(_SERVICE_TYPES), min_size=1, max_size=3,
                               unique=True),
    )


def benefit_rows() -> st.SearchStrategy[BenefitRow]:
    """271 ``EB`` rows of every kind, with or without amounts and percents."""
    return st.builds(
        BenefitRow,
        info=st.sampled_from(BenefitInfo),
        coverage_level=st.none() | st.sampled_from(CoverageLevel),
        service_types=st.lists(st.sampled_from(_SERVICE_TYPES), max_size=3, unique=True),
        time_period=st.none() | st.sampled_from(TimePeriod),
        amount=st.none() | money(max_cents=2_000_000),
        percent=st.none() | rates(max_percent=100),
        authorization_required=st.none() | st.booleans(),
        in_network=st.none() | st.sampled_from(InNetwork),
        messages=st.lists(st.sampled_from(_MESSAGES), max_size=2),
    )


def rejections() -> st.SearchStrategy[Rejection]:
    """271 ``AAA`` rejections with a known reason and sometimes a follow-up action."""
    return st.builds(
        Rejection,
        reason=st.sampled_from(RejectReason).map(str),
        follow_up=st.none() | st.sampled_from(FollowUpAction),
    )


def eligibility_responses() -> st.SearchStrategy[EligibilityResponse]:
    """271-shaped responses: mostly answered (often active), sometimes rejected."""
    status_rows = st.lists(
        st.builds(BenefitRow, info=st.sampled_from(BenefitInfo).filter(
            lambda i: i.value in {"1", "5", "6", "7", "8"})),
        max_size=2,
    )
    return st.builds(
        lambda status, rows, plan_period, messages, rejected: EligibilityResponse(
            plan_period=plan_period, benefits=[*status, *rows], messages=messages,
            rejections=rejected,
        ),
        status_rows,
        st.lists(benefit_rows(), max_size=6),
        st.none() | periods(min_value=_SERVICE_START, max_value=_SERVICE_END),
        st.lists(st.sampled_from(_MESSAGES), max_size=2),
        st.one_of(st.just(()), st.just(()), st.lists(rejections(), min_size=1, max_size=2)),
    )


def verifications() -> st.SearchStrategy[Verification]:
    """Verifications made by :func:`~claimcore.eligibility.verify`."""
    return st.builds(
        lambda inquiry, response, offset: verify(
            inquiry, response, on=inquiry.service_on - timedelta(days=offset)
        ),
        eligibility_inquiries(),
        eligibility_responses(),
        st.integers(0, 30),
    )


def _register() -> None:
    """Register this module's strategies for ``st.from_type``."""
    for cls, strategy in (
        (TimelyFiling, timely_filings()),
        (AppealLevel, appeal_levels()),
        (AppealRules, appeal_rules()),
        (Payer, payers()),
        (Plan, plans()),
        (Subscriber, subscribers()),
        (Coverage, coverages()),
        (Accumulator, accumulators()),
        (Copay, copays()),
        (NetworkBenefits, network_benefits()),
        (Benefits, benefits()),
        (ResponsibilityEstimate, responsibility_estimates()),
        (CoverageRank, coverage_ranks()),
        (EligibilityInquiry, eligibility_inquiries()),
        (BenefitRow, benefit_rows()),
        (Rejection, rejections()),
        (EligibilityResponse, eligibility_responses()),
        (Verification, verifications()),
    ):
        st.register_type_strategy(cls, strategy)
