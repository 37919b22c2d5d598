"""Coverage: payers, plans, subscribers, benefits, the patient's estimate and payer order.

Before a visit the front desk asks three questions, and this module answers each with
values and pure functions:

* *Who pays, and by when must we bill them?* A :class:`Payer` carries its timely-filing
  limit (:class:`TimelyFiling`) and appeal rules (:class:`AppealRules`) as data.
* *In which order do the patient's plans pay?* :func:`order_coverages` ranks the active
  :class:`Coverage` records by the NAIC coordination-of-benefits rules and the Medicare
  secondary payer rules, giving the reason for each place.
* *What will the patient owe?* :func:`estimate_responsibility` splits an allowed amount
  into copay, deductible, coinsurance and the payer's share from the plan's
  :class:`Benefits`, to the cent.

Subscriber names, birth dates, addresses and member ids are PHI: no ``repr``, ``str`` or
error message of this module shows them.

>>> from datetime import date
>>> from decimal import Decimal
>>> MEDICARE_TIMELY_FILING.deadline(date(2024, 2, 29))
datetime.date(2025, 2, 28)
>>> benefits = Benefits(
...     period=Period(date(2026, 1, 1), date(2026, 12, 31)),
...     in_network=NetworkBenefits(
...         individual_deductible=Accumulator(limit=Money(Decimal("1500.00")),
...                                           met=Money(Decimal("1300.00"))),
...         coinsurance=Rate.percent(20),
...     ),
... )
>>> estimate = estimate_responsibility(benefits, Money(Decimal("300.00")))
>>> estimate.deductible, estimate.coinsurance, estimate.payer
(Money('200.00'), Money('20.00'), Money('80.00'))
>>> estimate.patient
Money('220.00')
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Final

import attrs

from claimcore._validate import (
    a_date,
    an_int,
    instance,
    kind,
    members,
    optional_instance,
    optional_text,
    text,
    to_tuple,
)
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.ids import MemberId, PayerId
from claimcore.money import Money, Rate, allocate, money_sum
from claimcore.patients import Address, AdministrativeSex, Patient, PersonName
from claimcore.periods import Period, age_on, deadline

__all__ = [
    "MEDICARE_APPEALS",
    "MEDICARE_TIMELY_FILING",
    "Accumulator",
    "AppealLevel",
    "AppealRules",
    "Benefits",
    "CobReason",
    "Copay",
    "Coverage",
    "CoverageOrder",
    "CoverageRank",
    "EmploymentStatus",
    "Network",
    "NetworkBenefits",
    "Payer",
    "PayerKind",
    "Plan",
    "PlanType",
    "Relationship",
    "ResponsibilityEstimate",
    "ServiceType",
    "Subscriber",
    "TimelyFiling",
    "estimate_responsibility",
    "order_coverages",
    "service_type_code",
]

_SERVICE_TYPE: Final = re.compile(r"[A-Z0-9]{1,2}")
_SERVICE_TYPE_EXPECTED: Final = "an X12 service type code of 1 or 2 capital letters or digits"
_FREE_TEXT: Final = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?")
_FREE_TEXT_EXPECTED: Final = "printable ASCII without leading or trailing spaces"
_ZERO: Final = Money.zero()
_NO_COINSURANCE: Final = Rate(0)
_MEDICARE_AGE: Final = 65


# -- service types --------------------------------------------------------------------


class ServiceType(enum.StrEnum):
    """Common X12 service type codes (``EQ01`` in the 270, ``EB03`` in the 271).

    Fields that hold a service type are typed ``str`` and take any well-formed code of
    the X12 list (1 or 2 capital letters or digits); these members name the usual ones.
    """

    MEDICAL_CARE = "1"
    SURGICAL = "2"
    CONSULTATION = "3"
    DIAGNOSTIC_XRAY = "4"
    DIAGNOSTIC_LAB = "5"
    RADIATION_THERAPY = "6"
    ANESTHESIA = "7"
    DURABLE_MEDICAL_EQUIPMENT_PURCHASE = "12"
    HEALTH_BENEFIT_PLAN_COVERAGE = "30"
    CHIROPRACTIC = "33"
    DENTAL_CARE = "35"
    HOME_HEALTH_CARE = "42"
    HOSPICE = "45"
    HOSPITAL = "47"
    HOSPITAL_INPATIENT = "48"
    HOSPITAL_OUTPATIENT = "50"
    MRI_CT_SCAN = "62"
    MATERNITY = "69"
    DIAGNOSTIC_MEDICAL = "73"
    DIALYSIS = "76"
    ROUTINE_PHYSICAL = "81"
    EMERGENCY_SERVICES = "86"
    PHARMACY = "88"
    PROFESSIONAL_VISIT_OFFICE = "98"
    PSYCHIATRIC = "A4"
    OCCUPATIONAL_THERAPY = "AD"
    SPEECH_THERAPY = "AF"
    SKILLED_NURSING_CARE = "AG"
    SUBSTANCE_ABUSE = "AI"
    VISION_OPTOMETRY = "AL"
    PHYSICIAN_VISIT_SICK = "BY"
    PHYSICIAN_VISIT_WELL = "BZ"
    MENTAL_HEALTH = "MH"
    PHYSICAL_THERAPY = "PT"
    URGENT_CARE = "UC"


def service_type_code(value: str) -> str:
    """Converter for service type fields: a :class:`ServiceType` member becomes its bare code.

    Values keep plain ``str`` codes, so that a code missing from :class:`ServiceType`
    still fits and the wire format is the bare code either way.
    """
    return str(value) if isinstance(value, str) else value


def _check_service_type(value: object, path: str) -> str:
    return text(value, path, pattern=_SERVICE_TYPE, expected=_SERVICE_TYPE_EXPECTED,
                rule="service-type")


# -- payers, timely filing, appeals ------------------------------------------------------


class PayerKind(enum.StrEnum):
    """What kind of payer this is; it decides the payer's place in coordination of benefits.

    X12: close to the claim filing indicator (``SBR09``: ``MB`` Medicare Part B, ``MC``
    Medicaid, ``CI`` commercial, ``CH`` TRICARE, ``WC`` workers' compensation, ``AM``
    automobile medical); self-pay has no payer on a claim.
    """

    MEDICARE = "medicare"
    MEDICAID = "medicaid"
    COMMERCIAL = "commercial"
    TRICARE = "tricare"
    WORKERS_COMPENSATION = "workers_compensation"
    AUTO = "auto"
    SELF_PAY = "self_pay"


@attrs.frozen(kw_only=True)
class TimelyFiling:
    """How long after the date of service a payer accepts a claim: ``months`` plus ``days``.

    Month arithmetic clips to the end of the month (python-dateutil ``relativedelta``):
    with Medicare's 12 months (42 CFR 424.44), a 29 February 2024 date of service is due
    by 28 February 2025. Professional claims count from each line's from-date,
    institutional claims from the through-date; the caller passes that date.

    >>> from datetime import date
    >>> TimelyFiling(days=90).deadline(date(2026, 1, 15))
    datetime.date(2026, 4, 15)
    """

    months: int = 0
    days: int = 0

    def __attrs_post_init__(self) -> None:
        an_int(self.months, "$.months", low=0, high=120)
        an_int(self.days, "$.days", low=0, high=3660)
        if not self.months and not self.days:
            raise ValidationError(
                "a timely-filing limit needs some months or days", path="$",
                rule="empty-limit",
            )

    def deadline(self, service_date: date) -> date:
        """The last day a claim for ``service_date`` is timely (that day included)."""
        return deadline(service_date, months=self.months, days=self.days)

    def is_timely(self, service_date: date, *, filed_on: date) -> bool:
        """Whether a claim filed on ``filed_on`` meets the limit for ``service_date``."""
        return a_date(filed_on, "$.filed_on") <= self.deadline(service_date)


MEDICARE_TIMELY_FILING: Final = TimelyFiling(months=12)
"""Medicare's limit: one calendar year after the date of service (42 CFR 424.44(a)(1))."""


@attrs.frozen(kw_only=True)
class AppealLevel:
    """One level of a payer's appeal process: how long one has, and the smallest dispute.

    ``deadline_days`` counts from the date of the decision being appealed (Medicare
    presumes a notice is received five days after its date; pass that date if you count
    from receipt). ``minimum_in_controversy`` is the smallest amount still in dispute that
    the level hears (zero when there is none).
    """

    level: int
    name: str
    deadline_days: int
    minimum_in_controversy: Money = _ZERO

    def __attrs_post_init__(self) -> None:
        an_int(self.level, "$.level", low=1, high=20)
        text(self.name, "$.name", pattern=_FREE_TEXT, expected=_FREE_TEXT_EXPECTED,
             max_len=80)
        an_int(self.deadline_days, "$.deadline_days", low=1, high=3660)
        instance(self.minimum_in_controversy, Money, "$.minimum_in_controversy")
        if self.minimum_in_controversy.is_negative():
            raise ValidationError(
                "must not be negative", path="$.minimum_in_controversy", rule="negative"
            )

    def deadline(self, decided_on: date) -> date:
        """The last day to request this level after a decision dated ``decided_on``."""
        return deadline(decided_on, days=self.deadline_days)

    def hears(self, in_controversy: Money) -> bool:
        """Whether an amount still in dispute reaches this level's minimum."""
        return instance(in_controversy, Money, "$.in_controversy") >= (
            self.minimum_in_controversy
        )


def _levels(value: Iterable[AppealLevel]) -> tuple[AppealLevel, ...]:
    return to_tuple(value)


@attrs.frozen
class AppealRules:
    """A payer's appeal levels, in order, as they stand during ``effective``.

    Deadlines and amounts in controversy change (Medicare's amounts every calendar year),
    so rules are data keyed by the period they are in force: pass your own for another
    year or another payer.
    """

    levels: tuple[AppealLevel, ...] = attrs.field(converter=_levels)
    effective: Period

    def __attrs_post_init__(self) -> None:
        members(self.levels, AppealLevel, "$.levels")
        instance(self.effective, Period, "$.effective")
        if not self.levels:
            raise ValidationError("must not be empty", path="$.levels", rule="empty")
        for i, level in enumerate(self.levels):
            if level.level != i + 1:
                raise ValidationError(
                    f"levels must be numbered 1, 2, 3, ... in order; found {level.level} "
                    f"at position {i + 1}", path=f"$.levels[{i}].level", rule="level-order",
                )

    def level(self, number: int) -> AppealLevel:
        """The level numbered ``number`` (1 is the first appeal)."""
        an_int(number, "$.number", low=1, high=len(self.levels))
        return self.levels[number - 1]

    def applies_on(self, on: date) -> bool:
        """Whether these rules are in force on ``on``."""
        return self.effective.contains(a_date(on, "$.on"))


MEDICARE_APPEALS: Final = AppealRules(
    levels=(
        AppealLevel(level=1, name="Redetermination by the Medicare contractor",
                    deadline_days=120),
        AppealLevel(level=2, name="Reconsideration by a Qualified Independent Contractor",
                    deadline_days=180),
        AppealLevel(level=3, name="Administrative Law Judge hearing", deadline_days=60,
                    minimum_in_controversy=Money(200)),
        AppealLevel(level=4, name="Medicare Appeals Council review", deadline_days=60),
        AppealLevel(level=5, name="Judicial review in federal district court",
                    deadline_days=60, minimum_in_controversy=Money(1960)),
    ),
    effective=Period(date(2026, 1, 1), date(2026, 12, 31)),
)
"""Medicare Parts A and B appeals for calendar year 2026 (42 CFR 405 subpart I).

Deadlines in days from the decision appealed: redetermination 120, reconsideration 180,
ALJ hearing 60, Council review 60, judicial review 60. The amounts in controversy are the
CY2026 figures (ALJ hearing $200, judicial review $1,960); CMS updates them every year in
the Federal Register. They are data keyed by date (``effective``): for another year,
build an :class:`AppealRules` with that year's amounts and pass it instead.
"""


@attrs.frozen(kw_only=True)
class Payer:
    """A health plan or other party that pays claims: its id, name, kind and rules.

    X12: loop 2010BB (``NM1*PR``, payer id in ``NM109``); FHIR ``Organization`` referenced
    by ``Coverage.payor``.
    """

    payer_id: PayerId
    name: str
    kind: PayerKind
    timely_filing: TimelyFiling
    appeal_rules: AppealRules | None = None

    def __attrs_post_init__(self) -> None:
        instance(self.payer_id, PayerId, "$.payer_id")
        text(self.name, "$.name", pattern=_FREE_TEXT, expected=_FREE_TEXT_EXPECTED,
             max_len=60)
        instance(self.kind, PayerKind, "$.kind")
        instance(self.timely_filing, TimelyFiling, "$.timely_filing")
        optional_instance(self.appeal_rules, AppealRules, "$.appeal_rules")

    def appeal_rules_on(self, on: date) -> AppealRules | None:
        """The payer's appeal rules if they are in force on ``on``, else ``None``."""
        rules = self.appeal_rules
        return rules if rules is not None and rules.applies_on(on) else None


# -- plans, subscribers, coverage ---------------------------------------------------------


class PlanType(enum.StrEnum):
    """The plan's design: it decides referrals, networks and cost sharing.

    HMO, PPO, EPO, POS, a high-deductible health plan (HDHP, IRC 223) or another design.
    """

    HMO = "hmo"
    PPO = "ppo"
    EPO = "epo"
    POS = "pos"
    HDHP = "hdhp"
    OTHER = "other"


class Network(enum.StrEnum):
    """In or out of the plan's provider network (X12 ``EB12``: ``Y`` in, ``N`` out)."""

    IN = "in"
    OUT = "out"


@attrs.frozen(kw_only=True)
class Plan:
    """A health plan product and where this provider stands in its network.

    ``network`` is the provider's participation: ``IN`` when the provider is contracted
    with the plan; it is the default network of an estimate for the plan's patients.
    X12: ``SBR03``/``SBR04`` (group or plan), ``EB05`` plan description; FHIR
    ``Coverage.class`` (plan).
    """

    name: str
    plan_type: PlanType
    network: Network = Network.IN
    plan_id: str | None = None

    def __attrs_post_init__(self) -> None:
        text(self.name, "$.name", pattern=_FREE_TEXT, expected=_FREE_TEXT_EXPECTED,
             max_len=60)
        instance(self.plan_type, PlanType, "$.plan_type")
        instance(self.network, Network, "$.network")
        optional_text(self.plan_id, "$.plan_id", pattern=_FREE_TEXT,
                      expected=_FREE_TEXT_EXPECTED, max_len=50)


class EmploymentStatus(enum.StrEnum):
    """The subscriber's employment behind the coverage, for coordination of benefits.

    ``active``: a group health plan from current employment; ``cobra``: continuation
    coverage (COBRA or a state law); ``retired``: retiree coverage; ``none``: coverage not
    tied to employment (an individual policy, a government program).
    """

    ACTIVE = "active"
    COBRA = "cobra"
    RETIRED = "retired"
    NONE = "none"


@attrs.frozen(kw_only=True, repr=False)
class Subscriber:
    """The person who holds the coverage (the insured), who may not be the patient.

    X12: loop 2010BA (``NM1*IL``, ``N3``, ``N4``, ``DMG``); FHIR ``Coverage.subscriber``.
    PHI: ``repr`` and ``str`` show only the masked member id, the sex and the employment
    status.
    """

    member_id: MemberId
    name: PersonName
    birth_date: date
    sex: AdministrativeSex
    address: Address | None = None
    employment_status: EmploymentStatus = EmploymentStatus.NONE

    def __attrs_post_init__(self) -> None:
        instance(self.member_id, MemberId, "$.member_id")
        instance(self.name, PersonName, "$.name")
        a_date(self.birth_date, "$.birth_date")
        instance(self.sex, AdministrativeSex, "$.sex")
        optional_instance(self.address, Address, "$.address")
        instance(self.employment_status, EmploymentStatus, "$.employment_status")

    def __repr__(self) -> str:
        return (
            f"Subscriber(member_id={self.member_id.masked}, sex={self.sex.value}, "
            f"employment_status={self.employment_status.value})"
        )


class Relationship(enum.StrEnum):
    """The patient's relationship to the subscriber: the X12 individual relationship codes.

    The 5010 837 list (``SBR02`` and ``PAT01``): 01 spouse, 18 self, 19 child, 20
    employee, 21 unknown, 39 organ donor, 40 cadaver donor, 53 life partner, G8 other.
    """

    SPOUSE = "01"
    SELF = "18"
    CHILD = "19"
    EMPLOYEE = "20"
    UNKNOWN = "21"
    ORGAN_DONOR = "39"
    CADAVER_DONOR = "40"
    LIFE_PARTNER = "53"
    OTHER = "G8"

    @property
    def is_dependent(self) -> bool:
        """Whether the patient is covered as someone's dependent (not self or employee)."""
        return self not in (Relationship.SELF, Relationship.EMPLOYEE)


class CoverageOrder(enum.StrEnum):
    """The payer's place in coordination of benefits (X12 ``SBR01``).

    ``P``, ``S``, ``T`` for the first three payers, then ``A`` to ``H`` for payers 4 to 11.

    >>> CoverageOrder.TERTIARY.rank, CoverageOrder.from_rank(4)
    (3, <CoverageOrder.FOURTH: 'A'>)
    """

    PRIMARY = "P"
    SECONDARY = "S"
    TERTIARY = "T"
    FOURTH = "A"
    FIFTH = "B"
    SIXTH = "C"
    SEVENTH = "D"
    EIGHTH = "E"
    NINTH = "F"
    TENTH = "G"
    ELEVENTH = "H"

    @property
    def rank(self) -> int:
        """1 for the primary payer, 2 for the secondary, ... 11 for ``H``."""
        return _RANKS[self]

    @classmethod
    def from_rank(cls, rank: int) -> CoverageOrder:
        """The code for the ``rank``-th payer (1 to 11)."""
        an_int(rank, "$.rank", low=1, high=len(_ORDERS))
        return _ORDERS[rank - 1]


_ORDERS: Final = tuple(CoverageOrder)
_RANKS: Final[Mapping[CoverageOrder, int]] = MappingProxyType(
    {order: i + 1 for i, order in enumerate(_ORDERS)}
)


@attrs.frozen(kw_only=True, repr=False)
class Coverage:
    """One insurance coverage of a patient: payer, plan, member, subscriber, dates, order.

    ``member_id`` is the patient's id at the payer (often the subscriber's, sometimes with
    a suffix); ``relationship`` is the patient's relationship to the subscriber;
    ``period`` the dates the coverage is in force; ``order`` the payer's place as
    recorded (see :func:`order_coverages` to work it out). X12: loop 2000B ``SBR`` with
    2010BA/2010BB, and 2320 for other payers; FHIR ``Coverage``. PHI: ``repr`` and
    ``str`` show no name, birth date, address or unmasked member id.
    """

    payer: Payer
    plan: Plan
    member_id: MemberId
    group_number: str | None = None
    subscriber: Subscriber
    relationship: Relationship
    period: Period
    order: CoverageOrder

    def __attrs_post_init__(self) -> None:
        instance(self.payer, Payer, "$.payer")
        instance(self.plan, Plan, "$.plan")
        instance(self.member_id, MemberId, "$.member_id")
        optional_text(self.group_number, "$.group_number", pattern=_FREE_TEXT,
                      expected=_FREE_TEXT_EXPECTED, max_len=50, phi=True)
        instance(self.subscriber, Subscriber, "$.subscriber")
        instance(self.relationship, Relationship, "$.relationship")
        instance(self.period, Period, "$.period")
        instance(self.order, CoverageOrder, "$.order")

    def is_active(self, on: date) -> bool:
        """Whether the coverage is in force on ``on`` (both ends of its period included)."""
        return self.period.contains(a_date(on, "$.on"))

    def __repr__(self) -> str:
        return (
            f"Coverage(payer={self.payer.payer_id.value}, kind={self.payer.kind.value}, "
            f"plan_type={self.plan.plan_type.value}, member_id={self.member_id.masked}, "
            f"relationship={self.relationship.value}, order={self.order.value})"
        )


# -- benefits and the patient's estimate -------------------------------------------------


@attrs.frozen(kw_only=True)
class Accumulator:
    """A yearly limit and how much of it is met so far: a deductible or out-of-pocket maximum.

    X12 271: ``EB*C`` (deductible) or ``EB*G`` (out of pocket) with ``EB06`` time period
    ``23`` calendar year (the limit), ``29`` remaining or ``24`` year to date (met).
    """

    limit: Money
    met: Money = _ZERO

    def __attrs_post_init__(self) -> None:
        instance(self.limit, Money, "$.limit")
        instance(self.met, Money, "$.met")
        if self.limit.is_negative():
            raise ValidationError("must not be negative", path="$.limit", rule="negative")
        if self.met.is_negative():
            raise ValidationError("must not be negative", path="$.met", rule="negative")
        if self.met > self.limit:
            raise ValidationError(
                "must not exceed $.limit", path="$.met", rule="met-over-limit"
            )

    @property
    def remaining(self) -> Money:
        """What is left before the limit is met."""
        return self.limit - self.met


@attrs.frozen(kw_only=True)
class Copay:
    """A fixed amount the patient pays for a service type (X12 271 ``EB*B`` with ``EB03``).

    Usually a copay replaces the deductible and coinsurance for that service (an office
    visit for $25). ``deductible_applies`` and ``coinsurance_applies`` say when the plan
    takes them as well (an emergency room copay plus coinsurance after the deductible).
    """

    service_type: str = attrs.field(converter=service_type_code)
    amount: Money
    deductible_applies: bool = False
    coinsurance_applies: bool = False

    def __attrs_post_init__(self) -> None:
        _check_service_type(self.service_type, "$.service_type")
        instance(self.amount, Money, "$.amount")
        if self.amount.is_negative():
            raise ValidationError("must not be negative", path="$.amount", rule="negative")
        for name in ("deductible_applies", "coinsurance_applies"):
            value = getattr(self, name)
            if type(value) is not bool:
                raise TypeMismatch(
                    f"must be a bool, got {kind(value)}", path=f"$.{name}", rule="type"
                )


def _copays(value: Iterable[Copay]) -> tuple[Copay, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class NetworkBenefits:
    """Cost sharing in one network tier: deductibles, out-of-pocket maxima, coinsurance, copays.

    A missing accumulator means the plan has none in this tier (no deductible, no
    out-of-pocket cap). ``coinsurance`` is the patient's share after the deductible
    (X12 ``EB*A``, ``EB08``); ``copays`` one :class:`Copay` per service type.
    """

    individual_deductible: Accumulator | None = None
    family_deductible: Accumulator | None = None
    individual_out_of_pocket: Accumulator | None = None
    family_out_of_pocket: Accumulator | None = None
    coinsurance: Rate = _NO_COINSURANCE
    copays: tuple[Copay, ...] = attrs.field(default=(), converter=_copays)

    def __attrs_post_init__(self) -> None:
        for name in ("individual_deductible", "family_deductible",
                     "individual_out_of_pocket", "family_out_of_pocket"):
            optional_instance(getattr(self, name), Accumulator, f"$.{name}")
        instance(self.coinsurance, Rate, "$.coinsurance")
        if self.coinsurance.value > 1:
            raise ValidationError(
                "must be at most 100%", path="$.coinsurance", rule="range"
            )
        members(self.copays, Copay, "$.copays")
        seen: set[str] = set()
        for i, copay in enumerate(self.copays):
            if copay.service_type in seen:
                raise ValidationError(
                    f"service type {copay.service_type!r} has more than one copay",
                    path=f"$.copays[{i}].service_type", rule="duplicate",
                )
            seen.add(copay.service_type)

    def remaining_deductible(self) -> Money:
        """What is left of the deductible for one member: the lesser of the individual and
        family remainders (an embedded deductible), zero when there is no deductible."""
        return _least(self.individual_deductible, self.family_deductible) or _ZERO

    def remaining_out_of_pocket(self) -> Money | None:
        """What is left of the out-of-pocket maximum for one member (``None``: no cap)."""
        return _least(self.individual_out_of_pocket, self.family_out_of_pocket)

    def copay_for(self, service_type: str) -> Copay | None:
        """The copay for exactly this service type, if the plan has one."""
        for copay in self.copays:
            if copay.service_type == service_type:
                return copay
        return None


def _least(*accumulators: Accumulator | None) -> Money | None:
    remaining = [a.remaining for a in accumulators if a is not None]
    return min(remaining) if remaining else None


@attrs.frozen(kw_only=True)
class Benefits:
    """What a plan pays during its benefit period, tier by tier.

    ``out_of_network`` is ``None`` when the plan pays nothing out of network (most HMOs
    and EPOs, emergencies aside). X12 271 loop 2110C (``EB`` rows; ``DTP*291`` plan
    period); FHIR ``CoverageEligibilityResponse.insurance.item``.
    """

    period: Period
    in_network: NetworkBenefits
    out_of_network: NetworkBenefits | None = None

    def __attrs_post_init__(self) -> None:
        instance(self.period, Period, "$.period")
        instance(self.in_network, NetworkBenefits, "$.in_network")
        optional_instance(self.out_of_network, NetworkBenefits, "$.out_of_network")

    def for_network(self, network: Network) -> NetworkBenefits | None:
        """The tier for ``network`` (``None`` when the plan has no benefits there)."""
        instance(network, Network, "$.network")
        return self.in_network if network is Network.IN else self.out_of_network


@attrs.frozen(kw_only=True)
class ResponsibilityEstimate:
    """An allowed amount split between the patient and the payer, to the cent.

    The patient owes ``copay + deductible + coinsurance + not_covered`` (:attr:`patient`);
    the payer pays ``payer``; together they are ``allowed``. ``out_of_pocket_met`` is true
    when, after this service, the patient has reached the out-of-pocket maximum. These are
    the amounts an 835 would report as ``PR-3``, ``PR-1``, ``PR-2`` and ``PR-96``/``PR-204``.
    """

    allowed: Money
    copay: Money
    deductible: Money
    coinsurance: Money
    not_covered: Money = _ZERO
    payer: Money
    out_of_pocket_met: bool = False

    def __attrs_post_init__(self) -> None:
        for name in ("allowed", "copay", "deductible", "coinsurance", "not_covered", "payer"):
            amount = instance(getattr(self, name), Money, f"$.{name}")
            if amount.is_negative():
                raise ValidationError("must not be negative", path=f"$.{name}",
                                      rule="negative")
        if type(self.out_of_pocket_met) is not bool:
            raise TypeMismatch(
                f"must be a bool, got {kind(self.out_of_pocket_met)}",
                path="$.out_of_pocket_met", rule="type",
            )
        if self.patient + self.payer != self.allowed:
            raise ValidationError(
                "the patient's and the payer's shares must sum to $.allowed",
                path="$.payer", rule="unbalanced",
            )

    @property
    def patient(self) -> Money:
        """Everything the patient owes for the service."""
        return money_sum(
            (self.copay, self.deductible, self.coinsurance, self.not_covered),
            currency=self.allowed.currency,
        )


def estimate_responsibility(
    benefits: Benefits,
    allowed: Money,
    *,
    service_type: str = ServiceType.HEALTH_BENEFIT_PLAN_COVERAGE,
    network: Network = Network.IN,
) -> ResponsibilityEstimate:
    """Split ``allowed`` into what the patient and the payer will owe: the front-desk estimate.

    The order applied:

    1. **Copay.** If the tier has a copay for ``service_type``, the patient pays it (at
       most the allowed amount). Unless the copay says otherwise, the deductible and
       coinsurance then do not apply to that service.
    2. **Deductible.** Of what is left, the patient pays up to the remaining deductible
       (the lesser of the individual and family remainders).
    3. **Coinsurance.** Of what is left after that, the patient pays the coinsurance rate,
       rounded half up to the cent (through :func:`~claimcore.money.allocate`); the payer
       pays the rest.
    4. **Out-of-pocket cap.** If copay + deductible + coinsurance would exceed what
       remains of the out-of-pocket maximum, the excess moves to the payer, taken first
       from coinsurance, then from the deductible, then from the copay.

    With no benefits in the ``network`` tier, the whole amount is ``not_covered`` and the
    patient's. The parts always sum to ``allowed`` exactly.
    """
    instance(benefits, Benefits, "$.benefits")
    instance(allowed, Money, "$.allowed")
    if allowed.is_negative():
        raise ValidationError("must not be negative", path="$.allowed", rule="negative")
    code = _check_service_type(service_type_code(service_type), "$.service_type")
    zero = Money.zero(allowed.currency)
    tier = benefits.for_network(network)
    if tier is None:
        return ResponsibilityEstimate(
            allowed=allowed, copay=zero, deductible=zero, coinsurance=zero,
            not_covered=allowed, payer=zero,
        )
    row = tier.copay_for(code)
    copay = min(row.amount, allowed) if row is not None else zero
    rest = allowed - copay
    deductible = zero
    if row is None or row.deductible_applies:
        deductible = min(rest, _least(tier.individual_deductible, tier.family_deductible)
                         or zero)
    rest = rest - deductible
    rate = tier.coinsurance if row is None or row.coinsurance_applies else _NO_COINSURANCE
    coinsurance = zero
    if rest.is_positive():
        coinsurance = allocate(rest, [rate.value, 1 - rate.value])[0]
    cap = tier.remaining_out_of_pocket()
    met = False
    if cap is not None:
        excess = copay + deductible + coinsurance - cap
        met = not excess.is_negative()
        if excess.is_positive():
            cut = min(excess, coinsurance)
            coinsurance, excess = coinsurance - cut, excess - cut
            cut = min(excess, deductible)
            deductible, excess = deductible - cut, excess - cut
            copay = copay - excess
    payer = allowed - copay - deductible - coinsurance
    return ResponsibilityEstimate(
        allowed=allowed, copay=copay, deductible=deductible, coinsurance=coinsurance,
        payer=payer, out_of_pocket_met=met,
    )


# -- coordination of benefits ------------------------------------------------------------


class CobReason(enum.StrEnum):
    """Why a coverage holds its place in the payer order (see :func:`order_coverages`).

    Each reason names its source: :attr:`description` and :attr:`source`.
    """

    ONLY_COVERAGE = "only_coverage"
    LIABILITY_FIRST = "liability_first"
    ACTIVE_EMPLOYMENT_BEFORE_MEDICARE = "active_employment_before_medicare"
    MEDICARE_BEFORE_RETIREE = "medicare_before_retiree"
    NON_DEPENDENT_FIRST = "non_dependent_first"
    BIRTHDAY_RULE = "birthday_rule"
    ACTIVE_BEFORE_RETIREE = "active_before_retiree"
    COBRA_LAST = "cobra_last"
    LONGER_COVERAGE = "longer_coverage"
    TRICARE_AFTER_OTHER = "tricare_after_other"
    MEDICAID_LAST = "medicaid_last"
    SELF_PAY_LAST = "self_pay_last"
    TIE_BREAK = "tie_break"
    INACTIVE = "inactive"

    @property
    def description(self) -> str:
        """What the rule says, in a sentence."""
        return _COB_RULES[self][0]

    @property
    def source(self) -> str:
        """Where the rule comes from."""
        return _COB_RULES[self][1]


_NAIC: Final = "NAIC Coordination of Benefits Model Regulation (MDL-120), section 6"
_COB_RULES: Final[Mapping[CobReason, tuple[str, str]]] = MappingProxyType({
    CobReason.ONLY_COVERAGE: ("the only active coverage pays first", "-"),
    CobReason.LIABILITY_FIRST: (
        "workers' compensation and automobile (no-fault or liability) coverage pay first "
        "for the injury they cover",
        "42 CFR 411 subparts C and D; CMS Medicare Secondary Payer Manual (Pub. 100-05) "
        "ch. 1 and 2; state no-fault and workers' compensation law",
    ),
    CobReason.ACTIVE_EMPLOYMENT_BEFORE_MEDICARE: (
        "a group health plan from current employment pays before Medicare (the "
        "beneficiary's or the spouse's employment at 65 and over; any family member's "
        "under 65)",
        "42 CFR 411 subparts G (working aged) and H (disabled); CMS Medicare Secondary "
        "Payer Manual (Pub. 100-05) ch. 1 and 2",
    ),
    CobReason.MEDICARE_BEFORE_RETIREE: (
        "Medicare pays before retiree, COBRA and other coverage not from current "
        "employment",
        "42 CFR 411.172 and 411.204; CMS Medicare Secondary Payer Manual (Pub. 100-05) "
        "ch. 2",
    ),
    CobReason.NON_DEPENDENT_FIRST: (
        "the plan covering the patient as subscriber or employee pays before a plan "
        "covering the patient as a dependent", _NAIC,
    ),
    CobReason.BIRTHDAY_RULE: (
        "for a child covered by both parents, the plan of the parent whose birthday "
        "(month and day) comes first in the year pays first", _NAIC,
    ),
    CobReason.ACTIVE_BEFORE_RETIREE: (
        "the plan covering the patient as an active employee (or an active employee's "
        "dependent) pays before a retiree plan", _NAIC,
    ),
    CobReason.COBRA_LAST: (
        "COBRA or state continuation coverage pays after other coverage", _NAIC,
    ),
    CobReason.LONGER_COVERAGE: (
        "the plan that has covered the patient longer (the earlier start) pays first",
        _NAIC,
    ),
    CobReason.TRICARE_AFTER_OTHER: (
        "TRICARE pays after other health coverage, Medicaid excepted",
        "10 U.S.C. 1079(j)(1); 32 CFR 199.8",
    ),
    CobReason.MEDICAID_LAST: (
        "Medicaid is the payer of last resort",
        "42 U.S.C. 1396a(a)(25); 42 CFR 433.139",
    ),
    CobReason.SELF_PAY_LAST: ("self-pay comes after every insurer", "-"),
    CobReason.TIE_BREAK: (
        "no coordination rule decides between these coverages: ordered by payer id and a "
        "stable fingerprint; confirm the order with the payers", _NAIC,
    ),
    CobReason.INACTIVE: (
        "the coverage is not in force on the date asked, so it has no place", "-"
    ),
})

# Payer classes in payment order. A commercial plan is a group health plan (GHP): before
# Medicare when it comes from current employment, after Medicare otherwise.
_LIABILITY, _GHP_FIRST, _MEDICARE, _AFTER_MEDICARE, _TRICARE, _MEDICAID, _SELF_PAY = range(7)
_CLASS_REASONS: Final[Mapping[int, CobReason]] = MappingProxyType({
    _MEDICARE: CobReason.ACTIVE_EMPLOYMENT_BEFORE_MEDICARE,
    _AFTER_MEDICARE: CobReason.MEDICARE_BEFORE_RETIREE,
    _TRICARE: CobReason.TRICARE_AFTER_OTHER,
    _MEDICAID: CobReason.MEDICAID_LAST,
    _SELF_PAY: CobReason.SELF_PAY_LAST,
})
_WORKING_AGED_RELATIONSHIPS: Final = frozenset(
    {Relationship.SELF, Relationship.EMPLOYEE, Relationship.SPOUSE}
)


@attrs.frozen(kw_only=True)
class CoverageRank:
    """A coverage's place in the payer order, and the rule that put it there.

    ``order`` is ``None`` for a coverage left out (``reason`` :attr:`CobReason.INACTIVE`).
    """

    coverage: Coverage
    order: CoverageOrder | None
    reason: CobReason

    def __attrs_post_init__(self) -> None:
        instance(self.coverage, Coverage, "$.coverage")
        optional_instance(self.order, CoverageOrder, "$.order")
        instance(self.reason, CobReason, "$.reason")
        if (self.order is None) != (self.reason is CobReason.INACTIVE):
            raise ValidationError(
                "a coverage has no order exactly when it is left out as inactive",
                path="$.order", rule="order-reason",
            )


@attrs.frozen(kw_only=True)
class _Facts:
    coverage: Coverage
    payer_class: int
    fingerprint: str


def _payer_class(coverage: Coverage, *, medicare: bool, age: int) -> int:
    kind_ = coverage.payer.kind
    if kind_ in (PayerKind.WORKERS_COMPENSATION, PayerKind.AUTO):
        return _LIABILITY
    if kind_ is PayerKind.MEDICARE:
        return _MEDICARE
    if kind_ is PayerKind.TRICARE:
        return _TRICARE
    if kind_ is PayerKind.MEDICAID:
        return _MEDICAID
    if kind_ is PayerKind.SELF_PAY:
        return _SELF_PAY
    if not medicare:
        return _GHP_FIRST
    from_current_employment = (
        coverage.subscriber.employment_status is EmploymentStatus.ACTIVE
        and (age < _MEDICARE_AGE or coverage.relationship in _WORKING_AGED_RELATIONSHIPS)
    )
    return _GHP_FIRST if from_current_employment else _AFTER_MEDICARE


def _compare(a: _Facts, b: _Facts) -> tuple[int, CobReason]:
    """Negative when ``a`` pays before ``b``, with the rule that decides it."""
    if a.payer_class != b.payer_class:
        sign = -1 if a.payer_class < b.payer_class else 1
        first, later = sorted((a.payer_class, b.payer_class))
        reason = (CobReason.LIABILITY_FIRST if first == _LIABILITY
                  else _CLASS_REASONS[later])
        return sign, reason
    x, y = a.coverage, b.coverage
    if x.relationship.is_dependent != y.relationship.is_dependent:
        return (1 if x.relationship.is_dependent else -1), CobReason.NON_DEPENDENT_FIRST
    children = (x.relationship is Relationship.CHILD, y.relationship is Relationship.CHILD)
    if all(children):
        bx, by = x.subscriber.birth_date, y.subscriber.birth_date
        if (bx.month, bx.day) != (by.month, by.day):
            return (-1 if (bx.month, bx.day) < (by.month, by.day) else 1,
                    CobReason.BIRTHDAY_RULE)
    if not any(children) or all(children):
        # A child covered by a parent's plan and as a spouse elsewhere goes straight to
        # the length-of-coverage rule.
        sign, reason = _compare_employment(x.subscriber.employment_status,
                                           y.subscriber.employment_status)
        if sign:
            return sign, reason
    if x.period.start != y.period.start:
        return (-1 if x.period.start < y.period.start else 1), CobReason.LONGER_COVERAGE
    kx = (x.payer.payer_id.value, a.fingerprint)
    ky = (y.payer.payer_id.value, b.fingerprint)
    return (-1 if kx < ky else 1 if kx > ky else 0), CobReason.TIE_BREAK


def _before(a: _Facts, b: _Facts) -> int:
    return _compare(a, b)[0]


def _compare_employment(x: EmploymentStatus, y: EmploymentStatus) -> tuple[int, CobReason]:
    cobra = EmploymentStatus.COBRA
    if (x is cobra) != (y is cobra):
        return (1 if x is cobra else -1), CobReason.COBRA_LAST
    pair = {x, y}
    if pair == {EmploymentStatus.ACTIVE, EmploymentStatus.RETIRED}:
        return (-1 if x is EmploymentStatus.ACTIVE else 1), CobReason.ACTIVE_BEFORE_RETIREE
    return 0, CobReason.TIE_BREAK


def _identity_key(coverage: Coverage) -> str:
    # Every field, so that distinct coverages never tie; used only as a sort key, never shown.
    return repr(attrs.astuple(coverage))


def order_coverages(
    patient: Patient, coverages: Iterable[Coverage], *, on: date
) -> tuple[CoverageRank, ...]:
    """The patient's coverages in payment order on ``on``, each with the rule behind its place.

    Coverages not in force on ``on`` are left out: they come last, with ``order=None``
    and reason :attr:`CobReason.INACTIVE`. The others get ``P``, ``S``, ``T``, ``A``...
    The rules, first match wins:

    1. Workers' compensation and auto coverage first (for the injury they cover).
    2. Medicare secondary payer rules, when Medicare is among the coverages: a group
       health plan from current employment pays before Medicare (the patient's own or
       spouse's employment when the patient is 65 or over, on ``on``; any family member's
       under 65); Medicare pays before retiree, COBRA and other coverage. Then TRICARE,
       then Medicaid (payer of last resort), then self-pay.
    3. NAIC rules among the rest: the patient's own coverage (self or employee) before a
       dependent's; for a child covered by both parents, the birthday rule (the parent
       whose birthday month and day come first); a plan from active employment before a
       retiree plan; COBRA after other coverage; the longer-held coverage (earlier start)
       first.
    4. Ties: payer id, then a fingerprint of every field.

    The result does not depend on the order ``coverages`` come in. A coverage's reason is
    the rule deciding it against the coverage just above it (for the primary: against the
    secondary). Limits: the employer-size thresholds of the MSP rules (20 employees for
    the working aged, 100 for the disabled), the ESRD coordination period and the custody
    rules for children of separated parents are not modelled; confirm those cases by hand.
    """
    instance(patient, Patient, "$.patient")
    a_date(on, "$.on")
    given = members(to_tuple(coverages), Coverage, "$.coverages")
    active = [c for c in given if c.is_active(on)]
    inactive = [c for c in given if not c.is_active(on)]
    if len(active) > len(_ORDERS):
        raise ValidationError(
            f"X12 orders at most {len(_ORDERS)} payers, got {len(active)} active coverages",
            path="$.coverages", rule="too-many-coverages",
        )
    medicare = any(c.payer.kind is PayerKind.MEDICARE for c in active)
    age = age_on(patient.birth_date, on)
    facts = sorted(
        (_Facts(coverage=c, payer_class=_payer_class(c, medicare=medicare, age=age),
                fingerprint=_identity_key(c))
         for c in active),
        key=lambda f: f.fingerprint,
    )
    # Sorting from a canonical start keeps the result independent of the input order.
    facts.sort(key=functools.cmp_to_key(_before))
    ranked: list[CoverageRank] = []
    for i, fact in enumerate(facts):
        if len(facts) == 1:
            reason = CobReason.ONLY_COVERAGE
        elif i == 0:
            reason = _compare(fact, facts[1])[1]
        else:
            reason = _compare(facts[i - 1], fact)[1]
        ranked.append(CoverageRank(
            coverage=fact.coverage, order=CoverageOrder.from_rank(i + 1), reason=reason
        ))
    ranked.extend(
        CoverageRank(coverage=coverage, order=None, reason=CobReason.INACTIVE)
        for coverage in sorted(inactive, key=_identity_key)
    )
    return tuple(ranked)
