"""Eligibility: ask a payer whether a coverage is active, and read what it answers.

An :class:`EligibilityInquiry` is what a 270 asks (this coverage, this date of service,
these service types); an :class:`EligibilityResponse` is what a 271 answers (benefit rows
``EB``, messages ``MSG``, rejections ``AAA``). :func:`verify` reads the answer and says
what it means for the visit as a :class:`Verification`: an outcome (verified, inactive,
not covered on the date of service, needs follow-up) and the :class:`Finding` records a
person must act on. Business outcomes are values, never exceptions.
:func:`benefits_from_response` turns the benefit rows into
:class:`~claimcore.coverage.Benefits` for the patient's estimate.

>>> from datetime import date
>>> from decimal import Decimal
>>> from claimcore.money import Money, Rate
>>> response = EligibilityResponse(
...     plan_period=Period(date(2026, 1, 1), date(2026, 12, 31)),
...     benefits=[
...         BenefitRow(info=BenefitInfo.ACTIVE_COVERAGE, service_types=["30"]),
...         BenefitRow(info=BenefitInfo.DEDUCTIBLE, coverage_level=CoverageLevel.INDIVIDUAL,
...                    service_types=["30"], time_period=TimePeriod.CALENDAR_YEAR,
...                    amount=Money(Decimal("1500.00")), in_network=InNetwork.YES),
...         BenefitRow(info=BenefitInfo.DEDUCTIBLE, coverage_level=CoverageLevel.INDIVIDUAL,
...                    service_types=["30"], time_period=TimePeriod.REMAINING,
...                    amount=Money(Decimal("200.00")), in_network=InNetwork.YES),
...         BenefitRow(info=BenefitInfo.COINSURANCE, service_types=["30"],
...                    percent=Rate.percent(20), in_network=InNetwork.YES),
...     ],
... )
>>> response.status
<EligibilityStatus.ACTIVE: 'active'>
>>> benefits = response.to_benefits()
>>> benefits.in_network.individual_deductible.met
Money('1300.00')
>>> benefits.in_network.coinsurance.format()
'20%'
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Final

import attrs

from claimcore._validate import (
    a_date,
    instance,
    kind,
    members,
    optional_instance,
    text,
    to_tuple,
)
from claimcore.coverage import (
    Accumulator,
    Benefits,
    Copay,
    Coverage,
    NetworkBenefits,
    Relationship,
    ServiceType,
    service_type_code,
)
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.findings import Finding, Severity
from claimcore.money import Money, Rate
from claimcore.patients import Patient
from claimcore.periods import Period

__all__ = [
    "BenefitInfo",
    "BenefitRow",
    "CoverageLevel",
    "EligibilityInquiry",
    "EligibilityResponse",
    "EligibilityStatus",
    "Finding",
    "FollowUpAction",
    "InNetwork",
    "RejectReason",
    "Rejection",
    "Severity",
    "TimePeriod",
    "Verification",
    "VerificationOutcome",
    "benefits_from_response",
    "verify",
]

_SERVICE_TYPE: Final = re.compile(r"[A-Z0-9]{1,2}")
_SERVICE_TYPE_EXPECTED: Final = "an X12 service type code of 1 or 2 capital letters or digits"
_REJECT_REASON: Final = re.compile(r"[A-Z0-9]{2}")
_MESSAGE: Final = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?")
_MESSAGE_EXPECTED: Final = "printable ASCII without leading or trailing spaces"
_MAX_SERVICE_TYPES: Final = 99  # EB03 repeats up to 99 times


def _service_types(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(service_type_code(v) for v in to_tuple(value))


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return to_tuple(value)


def _check_service_types(values: tuple[str, ...], path: str) -> None:
    if len(values) > _MAX_SERVICE_TYPES:
        raise ValidationError(
            f"must have at most {_MAX_SERVICE_TYPES} service types, got {len(values)}",
            path=path, rule="length",
        )
    seen: set[str] = set()
    for i, code in enumerate(values):
        text(code, f"{path}[{i}]", pattern=_SERVICE_TYPE, expected=_SERVICE_TYPE_EXPECTED,
             rule="service-type")
        if code in seen:
            raise ValidationError("is listed twice", path=f"{path}[{i}]", rule="duplicate")
        seen.add(code)


def _check_messages(values: tuple[str, ...], path: str) -> None:
    for i, message in enumerate(values):
        text(message, f"{path}[{i}]", pattern=_MESSAGE, expected=_MESSAGE_EXPECTED,
             max_len=264, phi=True)


# -- findings --------------------------------------------------------------------------


# -- the inquiry (270) -------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class EligibilityInquiry:
    """What the provider asks the payer: is this coverage good for these services on this day?

    ``patient`` is the person asked about. When the patient is not the subscriber and
    has no member id of their own (the coverage's ``member_id`` is the subscriber's), the
    270 asks about them under the subscriber (:attr:`asks_about_dependent`: loop
    2000D/2100D, ``NM1*03``); a patient with their own id is asked about as the subscriber
    level, by that id. Without a patient the inquiry is about the subscriber.

    X12 270: loop 2000C/2100C (subscriber) or 2000D/2100D (dependent), ``DTP*291`` date
    of service, ``EQ01`` service types (``30`` asks for the plan's general benefits);
    FHIR ``CoverageEligibilityRequest``. PHI: ``repr`` shows no patient.
    """

    coverage: Coverage
    service_on: date
    service_types: tuple[str, ...] = attrs.field(
        default=(ServiceType.HEALTH_BENEFIT_PLAN_COVERAGE.value,), converter=_service_types
    )
    patient: Patient | None = attrs.field(default=None, repr=False)

    @property
    def asks_about_dependent(self) -> bool:
        """Whether the 270 names the patient as a dependent (2000D) under the subscriber:
        a patient who is not the subscriber and shares the subscriber's member id."""
        return (self.patient is not None
                and self.coverage.relationship is not Relationship.SELF
                and self.coverage.member_id == self.coverage.subscriber.member_id)

    def __attrs_post_init__(self) -> None:
        instance(self.coverage, Coverage, "$.coverage")
        optional_instance(self.patient, Patient, "$.patient")
        a_date(self.service_on, "$.service_on")
        _check_service_types(self.service_types, "$.service_types")
        if not self.service_types:
            raise ValidationError("must not be empty", path="$.service_types", rule="empty")


# -- the response (271) ------------------------------------------------------------------


class BenefitInfo(enum.StrEnum):
    """What a benefit row says (X12 271 ``EB01``, eligibility or benefit information code)."""

    ACTIVE_COVERAGE = "1"
    ACTIVE_FULL_RISK_CAPITATION = "2"
    ACTIVE_SERVICES_CAPITATED = "3"
    ACTIVE_SERVICES_CAPITATED_TO_PCP = "4"
    ACTIVE_PENDING_INVESTIGATION = "5"
    INACTIVE = "6"
    INACTIVE_PENDING_ELIGIBILITY_UPDATE = "7"
    INACTIVE_PENDING_INVESTIGATION = "8"
    COINSURANCE = "A"
    COPAYMENT = "B"
    DEDUCTIBLE = "C"
    COVERAGE_BASIS = "CB"
    BENEFIT_DESCRIPTION = "D"
    EXCLUSIONS = "E"
    LIMITATIONS = "F"
    OUT_OF_POCKET = "G"
    UNLIMITED = "H"
    NON_COVERED = "I"
    COST_CONTAINMENT = "J"
    RESERVE = "K"
    PRIMARY_CARE_PROVIDER = "L"
    PRE_EXISTING_CONDITION = "M"
    MANAGED_CARE_COORDINATOR = "MC"
    SERVICES_RESTRICTED_TO_PROVIDER = "N"
    NOT_DEEMED_MEDICALLY_NECESSARY = "O"
    BENEFIT_DISCLAIMER = "P"
    SECOND_SURGICAL_OPINION_REQUIRED = "Q"
    OTHER_OR_ADDITIONAL_PAYER = "R"
    PRIOR_YEAR_HISTORY = "S"
    CARDS_REPORTED_LOST_STOLEN = "T"
    CONTACT_FOLLOWING_ENTITY = "U"
    CANNOT_PROCESS = "V"
    OTHER_SOURCE_OF_DATA = "W"
    HEALTH_CARE_FACILITY = "X"
    SPEND_DOWN = "Y"


_ACTIVE: Final = frozenset({
    BenefitInfo.ACTIVE_COVERAGE, BenefitInfo.ACTIVE_FULL_RISK_CAPITATION,
    BenefitInfo.ACTIVE_SERVICES_CAPITATED, BenefitInfo.ACTIVE_SERVICES_CAPITATED_TO_PCP,
})
_PENDING: Final = frozenset({
    BenefitInfo.ACTIVE_PENDING_INVESTIGATION, BenefitInfo.INACTIVE_PENDING_ELIGIBILITY_UPDATE,
    BenefitInfo.INACTIVE_PENDING_INVESTIGATION,
})
_STATUS_CODES: Final = _ACTIVE | _PENDING | {BenefitInfo.INACTIVE}


class CoverageLevel(enum.StrEnum):
    """Whom a benefit row covers (X12 271 ``EB02``)."""

    CHILDREN_ONLY = "CHD"
    DEPENDENTS_ONLY = "DEP"
    EMPLOYEE_AND_CHILDREN = "ECH"
    EMPLOYEE_ONLY = "EMP"
    EMPLOYEE_AND_SPOUSE = "ESP"
    FAMILY = "FAM"
    INDIVIDUAL = "IND"
    SPOUSE_AND_CHILDREN = "SPC"
    SPOUSE_ONLY = "SPO"


class TimePeriod(enum.StrEnum):
    """The period a row's amount refers to (X12 271 ``EB06``, time period qualifier)."""

    HOUR = "6"
    DAY = "7"
    TWENTY_FOUR_HOURS = "13"
    YEARS = "21"
    SERVICE_YEAR = "22"
    CALENDAR_YEAR = "23"
    YEAR_TO_DATE = "24"
    CONTRACT = "25"
    EPISODE = "26"
    VISIT = "27"
    OUTLIER = "28"
    REMAINING = "29"
    EXCEEDED = "30"
    NOT_EXCEEDED = "31"
    LIFETIME = "32"
    LIFETIME_REMAINING = "33"
    MONTH = "34"
    WEEK = "35"
    ADMISSION = "36"


_LIMIT_PERIODS: Final = frozenset({
    TimePeriod.CALENDAR_YEAR, TimePeriod.SERVICE_YEAR, TimePeriod.CONTRACT, TimePeriod.YEARS,
})


class InNetwork(enum.StrEnum):
    """Whether a row applies in network (X12 271 ``EB12``): ``Y`` yes, ``N`` no (out of
    network), ``U`` unknown, ``W`` not applicable (applies in and out of network)."""

    YES = "Y"
    NO = "N"
    UNKNOWN = "U"
    NOT_APPLICABLE = "W"


@attrs.frozen(kw_only=True)
class BenefitRow:
    """One benefit row of a 271 (an ``EB`` segment in loop 2110C/2110D, with its ``MSG``).

    ``service_types`` are ``EB03`` (empty when the row does not name any); ``amount`` is
    ``EB07``, ``percent`` ``EB08`` (a fraction: 0.2 is 20%), ``authorization_required``
    ``EB11`` and ``in_network`` ``EB12``. Messages are hidden from ``repr``.
    """

    info: BenefitInfo
    coverage_level: CoverageLevel | None = None
    service_types: tuple[str, ...] = attrs.field(default=(), converter=_service_types)
    time_period: TimePeriod | None = None
    amount: Money | None = None
    percent: Rate | None = None
    authorization_required: bool | None = None
    in_network: InNetwork | None = None
    messages: tuple[str, ...] = attrs.field(default=(), converter=_strings, repr=False)

    def __attrs_post_init__(self) -> None:
        instance(self.info, BenefitInfo, "$.info")
        optional_instance(self.coverage_level, CoverageLevel, "$.coverage_level")
        _check_service_types(self.service_types, "$.service_types")
        optional_instance(self.time_period, TimePeriod, "$.time_period")
        amount = optional_instance(self.amount, Money, "$.amount")
        if amount is not None and amount.is_negative():
            raise ValidationError("must not be negative", path="$.amount", rule="negative")
        percent = optional_instance(self.percent, Rate, "$.percent")
        if percent is not None and percent.value > 1:
            raise ValidationError(
                "must be a fraction of at most 1 (EB08 0.2 is 20%)", path="$.percent",
                rule="range",
            )
        if self.authorization_required is not None and (
            type(self.authorization_required) is not bool
        ):
            raise TypeMismatch(
                f"must be a bool or None, got {kind(self.authorization_required)}",
                path="$.authorization_required", rule="type",
            )
        optional_instance(self.in_network, InNetwork, "$.in_network")
        _check_messages(self.messages, "$.messages")

    def mentions(self, service_type: str) -> bool:
        """Whether the row names ``service_type`` in ``EB03``."""
        return service_type_code(service_type) in self.service_types


class RejectReason(enum.StrEnum):
    """Common reasons a payer rejects an inquiry (X12 271 ``AAA03``).

    :attr:`Rejection.reason` takes any two-character code; these members name the usual
    ones and give their descriptions.
    """

    AUTHORIZED_QUANTITY_EXCEEDED = "04"
    REQUIRED_DATA_MISSING = "15"
    INPUT_ERRORS = "33"
    OUT_OF_NETWORK = "35"
    AUTHORIZATION_ACCESS_RESTRICTIONS = "41"
    UNABLE_TO_RESPOND_NOW = "42"
    INVALID_PROVIDER_ID = "43"
    INVALID_PROVIDER_NAME = "44"
    PROVIDER_INELIGIBLE_FOR_INQUIRIES = "50"
    PROVIDER_NOT_ON_FILE = "51"
    SERVICE_DATES_NOT_IN_PROVIDER_ENROLLMENT = "52"
    INVALID_DATE_OF_SERVICE = "57"
    INVALID_BIRTH_DATE = "58"
    BIRTH_DATE_AFTER_SERVICE = "60"
    DEATH_BEFORE_SERVICE = "61"
    DATE_OF_SERVICE_OUTSIDE_INQUIRY_PERIOD = "62"
    DATE_OF_SERVICE_IN_FUTURE = "63"
    INVALID_PATIENT_ID = "64"
    INVALID_PATIENT_NAME = "65"
    PATIENT_NOT_FOUND = "67"
    BIRTH_DATE_MISMATCH = "71"
    INVALID_MEMBER_ID = "72"
    INVALID_SUBSCRIBER_NAME = "73"
    SUBSCRIBER_NOT_FOUND = "75"
    DUPLICATE_MEMBER_ID = "76"
    SUBSCRIBER_FOUND_PATIENT_NOT_FOUND = "77"
    SUBSCRIBER_NOT_IN_GROUP = "78"
    INVALID_PARTICIPANT_ID = "79"
    NO_RESPONSE = "80"


_REJECT_DESCRIPTIONS: Final[Mapping[str, str]] = MappingProxyType({
    "04": "authorized quantity exceeded",
    "15": "required application data missing",
    "33": "input errors",
    "35": "out of network",
    "41": "authorization or access restrictions",
    "42": "unable to respond at this time",
    "43": "invalid or missing provider identification",
    "44": "invalid or missing provider name",
    "50": "provider ineligible for inquiries",
    "51": "provider not on file",
    "52": "service dates not within the provider's plan enrollment",
    "57": "invalid or missing dates of service",
    "58": "invalid or missing date of birth",
    "60": "date of birth follows the dates of service",
    "61": "date of death precedes the dates of service",
    "62": "date of service not within the allowable inquiry period",
    "63": "date of service in the future",
    "64": "invalid or missing patient id",
    "65": "invalid or missing patient name",
    "67": "patient not found",
    "71": "birth date does not match the payer's records",
    "72": "invalid or missing subscriber/insured id",
    "73": "invalid or missing subscriber/insured name",
    "75": "subscriber/insured not found",
    "76": "duplicate subscriber/insured id",
    "77": "subscriber found, patient not found",
    "78": "subscriber/insured not in the group or plan identified",
    "79": "invalid participant identification",
    "80": "no response received, transaction terminated",
})


class FollowUpAction(enum.StrEnum):
    """What the payer asks the provider to do after a rejection (X12 271 ``AAA04``)."""

    CORRECT_AND_RESUBMIT = "C"
    RESUBMISSION_NOT_ALLOWED = "N"
    RESUBMIT_ORIGINAL = "P"
    RESUBMISSION_ALLOWED = "R"
    DO_NOT_RESUBMIT_INQUIRY_INITIATED = "S"
    WAIT_30_DAYS = "W"
    WAIT_10_DAYS = "X"
    DO_NOT_RESUBMIT_WILL_RESPOND = "Y"


_FOLLOW_UP: Final[Mapping[FollowUpAction, str]] = MappingProxyType({
    FollowUpAction.CORRECT_AND_RESUBMIT: "correct the inquiry and resubmit it",
    FollowUpAction.RESUBMISSION_NOT_ALLOWED:
        "do not resubmit: verify by phone or on the payer's portal",
    FollowUpAction.RESUBMIT_ORIGINAL: "resubmit the original inquiry",
    FollowUpAction.RESUBMISSION_ALLOWED: "resubmit the inquiry",
    FollowUpAction.DO_NOT_RESUBMIT_INQUIRY_INITIATED:
        "do not resubmit: the payer has asked a third party; wait for its answer",
    FollowUpAction.WAIT_30_DAYS: "wait 30 days and resubmit",
    FollowUpAction.WAIT_10_DAYS: "wait 10 days and resubmit",
    FollowUpAction.DO_NOT_RESUBMIT_WILL_RESPOND:
        "do not resubmit: the payer will respond",
})


@attrs.frozen
class Rejection:
    """A payer's refusal to answer an inquiry (X12 271 ``AAA`` segment).

    ``reason`` is ``AAA03`` (``"72"`` invalid member id, ``"75"`` subscriber not found,
    ...; see :class:`RejectReason`), ``follow_up`` is ``AAA04``.
    """

    reason: str = attrs.field(converter=service_type_code)
    follow_up: FollowUpAction | None = None

    def __attrs_post_init__(self) -> None:
        text(self.reason, "$.reason", pattern=_REJECT_REASON,
             expected="an AAA03 code of two capital letters or digits", rule="reject-reason")
        optional_instance(self.follow_up, FollowUpAction, "$.follow_up")

    @property
    def description(self) -> str:
        """The code's meaning (``"code XX"`` for a code this library does not name)."""
        return _REJECT_DESCRIPTIONS.get(self.reason, f"code {self.reason}")


def _rows(value: Iterable[BenefitRow]) -> tuple[BenefitRow, ...]:
    return to_tuple(value)


def _rejections(value: Iterable[Rejection]) -> tuple[Rejection, ...]:
    return to_tuple(value)


class EligibilityStatus(enum.StrEnum):
    """What a 271 says of the coverage as a whole (from its ``EB01`` codes 1 to 8)."""

    ACTIVE = "active"
    INACTIVE = "inactive"
    PENDING = "pending"
    UNKNOWN = "unknown"


@attrs.frozen(kw_only=True)
class EligibilityResponse:
    """The payer's answer to an inquiry, shaped like a 271.

    ``plan_period`` is ``DTP*291`` (plan dates) or ``DTP*346``/``347``; ``benefits`` the
    ``EB`` rows; ``messages`` free-text ``MSG`` lines; ``rejections`` the ``AAA``
    segments (present when the payer could not answer). Messages are hidden from
    ``repr``. FHIR ``CoverageEligibilityResponse``.
    """

    plan_period: Period | None = None
    benefits: tuple[BenefitRow, ...] = attrs.field(default=(), converter=_rows)
    messages: tuple[str, ...] = attrs.field(default=(), converter=_strings, repr=False)
    rejections: tuple[Rejection, ...] = attrs.field(default=(), converter=_rejections)

    def __attrs_post_init__(self) -> None:
        optional_instance(self.plan_period, Period, "$.plan_period")
        members(self.benefits, BenefitRow, "$.benefits")
        _check_messages(self.messages, "$.messages")
        members(self.rejections, Rejection, "$.rejections")

    @property
    def status(self) -> EligibilityStatus:
        """Active if any row says active (``EB01`` 1-4); else pending (5, 7, 8); else
        inactive (6); unknown when no row gives a status."""
        codes = {row.info for row in self.benefits}
        if codes & _ACTIVE:
            return EligibilityStatus.ACTIVE
        if codes & _PENDING:
            return EligibilityStatus.PENDING
        if BenefitInfo.INACTIVE in codes:
            return EligibilityStatus.INACTIVE
        return EligibilityStatus.UNKNOWN

    def to_benefits(self) -> Benefits | None:
        """The cost sharing the rows describe (see :func:`benefits_from_response`)."""
        return benefits_from_response(self)


def _tiers(row: BenefitRow) -> tuple[bool, bool]:
    """Whether a row applies (in network, out of network)."""
    network = row.in_network
    if network is InNetwork.YES:
        return True, False
    if network is InNetwork.NO:
        return False, True
    if network is InNetwork.UNKNOWN:
        return False, False
    return True, True  # W (not applicable) or absent: both tiers


_Key = tuple[BenefitInfo, CoverageLevel]


class _TierRows:
    """A private scratch pad for reading one network tier's rows (never escapes)."""

    __slots__ = ("coinsurance", "copays", "limits", "met", "remaining")

    def __init__(self) -> None:
        self.limits: dict[_Key, Money] = {}
        self.remaining: dict[_Key, Money] = {}
        self.met: dict[_Key, Money] = {}
        self.coinsurance: Rate | None = None
        self.copays: dict[str, Money] = {}

    @property
    def empty(self) -> bool:
        return not (self.limits or self.coinsurance is not None or self.copays)

    def read(self, row: BenefitRow) -> None:
        general = not row.service_types or row.mentions(
            ServiceType.HEALTH_BENEFIT_PLAN_COVERAGE
        )
        if row.info is BenefitInfo.COPAYMENT and row.amount is not None:
            for code in row.service_types:
                self.copays.setdefault(code, row.amount)
        elif row.info is BenefitInfo.COINSURANCE and general and row.percent is not None:
            if self.coinsurance is None:
                self.coinsurance = row.percent
        elif (row.info in (BenefitInfo.DEDUCTIBLE, BenefitInfo.OUT_OF_POCKET) and general
              and row.amount is not None
              and row.coverage_level in (CoverageLevel.INDIVIDUAL, CoverageLevel.FAMILY)):
            key = (row.info, row.coverage_level)
            if row.time_period in _LIMIT_PERIODS:
                self.limits.setdefault(key, row.amount)
            elif row.time_period is TimePeriod.REMAINING:
                self.remaining.setdefault(key, row.amount)
            elif row.time_period is TimePeriod.YEAR_TO_DATE:
                self.met.setdefault(key, row.amount)

    def accumulator(self, info: BenefitInfo, level: CoverageLevel) -> Accumulator | None:
        key = (info, level)
        limit = self.limits.get(key)
        if limit is None:
            return None
        zero = Money.zero(limit.currency)
        if key in self.remaining:
            met = limit - min(self.remaining[key], limit)
        else:
            met = min(self.met.get(key, zero), limit)
        return Accumulator(limit=limit, met=met)

    def build(self) -> NetworkBenefits:
        ded, oop = BenefitInfo.DEDUCTIBLE, BenefitInfo.OUT_OF_POCKET
        ind, fam = CoverageLevel.INDIVIDUAL, CoverageLevel.FAMILY
        return NetworkBenefits(
            individual_deductible=self.accumulator(ded, ind),
            family_deductible=self.accumulator(ded, fam),
            individual_out_of_pocket=self.accumulator(oop, ind),
            family_out_of_pocket=self.accumulator(oop, fam),
            coinsurance=self.coinsurance if self.coinsurance is not None else Rate(0),
            copays=[Copay(service_type=code, amount=amount)
                    for code, amount in sorted(self.copays.items())],
        )


def benefits_from_response(response: EligibilityResponse) -> Benefits | None:
    """The :class:`~claimcore.coverage.Benefits` that a 271's rows describe, when they can.

    ``None`` unless the coverage is active, the response has a plan period and at least
    one in-network cost-sharing row. How rows are read:

    * ``EB12`` ``Y`` rows go to the in-network tier, ``N`` rows out of network, ``W`` or
      absent to both, ``U`` to neither; the out-of-network tier exists only when some row
      reaches it.
    * Deductible (``C``) and out-of-pocket (``G``) rows for the whole plan (``EB03`` ``30``
      or absent) at level ``IND`` or ``FAM``: ``EB06`` ``23``/``22``/``25``/``21`` gives
      the limit, ``29`` what remains (met = limit - remaining) or else ``24`` what is met
      year to date (met = 0 when neither is given).
    * Coinsurance (``A``) for the whole plan gives the patient's rate (``EB08``); absent,
      the rate is 0%.
    * Each copay (``B``) row gives a copay for each of its service types, which replaces
      the deductible and coinsurance for them (the common plan design; adjust the
      :class:`~claimcore.coverage.Copay` when the plan says otherwise).
    * Rows that repeat a kind already read are ignored (the first one wins).
    """
    instance(response, EligibilityResponse, "$.response")
    if response.status is not EligibilityStatus.ACTIVE or response.plan_period is None:
        return None
    tiers = (_TierRows(), _TierRows())
    for row in response.benefits:
        for tier, applies in zip(tiers, _tiers(row), strict=True):
            if applies:
                tier.read(row)
    in_rows, out_rows = tiers
    if in_rows.empty:
        return None
    return Benefits(
        period=response.plan_period,
        in_network=in_rows.build(),
        out_of_network=None if out_rows.empty else out_rows.build(),
    )


# -- verification ------------------------------------------------------------------------


class VerificationOutcome(enum.StrEnum):
    """What an eligibility check concluded for the visit."""

    VERIFIED = "verified"
    INACTIVE = "inactive"
    NOT_COVERED_ON_DATE = "not_covered_on_date"
    NEEDS_FOLLOW_UP = "needs_follow_up"


def _findings(value: Iterable[Finding]) -> tuple[Finding, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class Verification:
    """The result of checking an inquiry against the payer's response, on ``verified_on``.

    ``outcome`` says whether the visit can go ahead as billed to this coverage;
    ``findings`` list what a person must do; ``benefits`` holds the cost sharing read from
    the response, when it had enough (for :func:`~claimcore.coverage.estimate_responsibility`).
    """

    inquiry: EligibilityInquiry
    outcome: VerificationOutcome
    findings: tuple[Finding, ...] = attrs.field(default=(), converter=_findings)
    verified_on: date
    benefits: Benefits | None = None

    def __attrs_post_init__(self) -> None:
        instance(self.inquiry, EligibilityInquiry, "$.inquiry")
        instance(self.outcome, VerificationOutcome, "$.outcome")
        members(self.findings, Finding, "$.findings")
        a_date(self.verified_on, "$.verified_on")
        optional_instance(self.benefits, Benefits, "$.benefits")
        if self.outcome is not VerificationOutcome.VERIFIED and not any(
            f.is_error for f in self.findings
        ):
            raise ValidationError(
                "an outcome other than verified needs at least one error finding",
                path="$.findings", rule="outcome-without-finding",
            )

    @property
    def is_verified(self) -> bool:
        return self.outcome is VerificationOutcome.VERIFIED


# The worse outcome wins when several apply.
_WEIGHT: Final[Mapping[VerificationOutcome, int]] = MappingProxyType({
    VerificationOutcome.VERIFIED: 0,
    VerificationOutcome.NEEDS_FOLLOW_UP: 1,
    VerificationOutcome.NOT_COVERED_ON_DATE: 2,
    VerificationOutcome.INACTIVE: 3,
})


def verify(
    inquiry: EligibilityInquiry, response: EligibilityResponse, *, on: date
) -> Verification:
    """What the payer's answer means for the visit, checked on ``on``.

    The checks, in order:

    1. Rejections (``AAA``): the payer did not answer; each becomes an error finding with
       the payer's follow-up action, and the outcome is *needs follow-up*.
    2. Status: inactive (``EB01`` 6) gives *inactive*; pending (5, 7, 8) or no status at
       all gives *needs follow-up*.
    3. Dates: a plan period (``DTP*291``) that does not hold the date of service gives
       *not covered on the date of service*; a coverage on file whose period does not
       hold it, while the payer says active, is a warning (update the coverage on file).
    4. Each service type asked: a non-covered row (``EB01`` I) or only inactive rows for
       it give *needs follow-up*; a row requiring authorization (``EB11`` Y) is a warning.
    5. Other rows: another payer (R) is a warning to update coordination of benefits; a
       row to contact another entity (U) is a warning; "cannot process" (V) needs
       follow-up.
    6. A verified coverage whose rows give no cost sharing gets a warning: the estimate
       needs the benefits from elsewhere.

    The outcome is the worst one found (inactive, then not covered on the date, then
    needs follow-up, then verified).
    """
    instance(inquiry, EligibilityInquiry, "$.inquiry")
    instance(response, EligibilityResponse, "$.response")
    a_date(on, "$.on")
    found: list[tuple[VerificationOutcome, Finding]] = []

    def add(outcome: VerificationOutcome, finding: Finding) -> None:
        found.append((outcome, finding))

    follow = VerificationOutcome.NEEDS_FOLLOW_UP
    ok = VerificationOutcome.VERIFIED
    for i, rejection in enumerate(response.rejections):
        add(follow, Finding(
            edit_id="eligibility-rejected", severity=Severity.ERROR,
            message=f"the payer rejected the inquiry: AAA03 {rejection.reason} "
                    f"({rejection.description})",
            action=_FOLLOW_UP[rejection.follow_up] if rejection.follow_up is not None
            else "correct the inquiry and resubmit it, or verify by phone or portal",
            location=f"$.rejections[{i}]",
        ))
    if not response.rejections:
        _check_status(response, add)
    if response.status is EligibilityStatus.ACTIVE and not response.rejections:
        _check_dates(inquiry, response, add)
        _check_services(inquiry, response, add)
        _check_other_rows(response, add)
    benefits = None if response.rejections else response.to_benefits()
    outcome = max((o for o, _ in found), key=_WEIGHT.__getitem__, default=ok)
    if outcome is ok and benefits is None:
        add(ok, Finding(
            edit_id="eligibility-no-benefits", severity=Severity.WARNING,
            message="the response gives no deductible, coinsurance or copay amounts",
            action="get the benefits from the payer's portal or by phone before "
                   "estimating the patient's share",
        ))
    return Verification(
        inquiry=inquiry, outcome=outcome, findings=[f for _, f in found], verified_on=on,
        benefits=benefits,
    )


_Add = Callable[[VerificationOutcome, Finding], None]


def _check_status(response: EligibilityResponse, add: _Add) -> None:
    status = response.status
    if status is EligibilityStatus.INACTIVE:
        add(VerificationOutcome.INACTIVE, Finding(
            edit_id="eligibility-inactive", severity=Severity.ERROR,
            message="the payer reports the coverage inactive (EB01 6)",
            action="ask the patient for current coverage; otherwise register the visit "
                   "as self-pay",
            location="$.benefits",
        ))
    elif status is EligibilityStatus.PENDING:
        add(VerificationOutcome.NEEDS_FOLLOW_UP, Finding(
            edit_id="eligibility-pending", severity=Severity.ERROR,
            message="the payer is still investigating eligibility (EB01 5, 7 or 8)",
            action="verify again before the visit, or call the payer",
            location="$.benefits",
        ))
    elif status is EligibilityStatus.UNKNOWN:
        add(VerificationOutcome.NEEDS_FOLLOW_UP, Finding(
            edit_id="eligibility-no-status", severity=Severity.ERROR,
            message="the response has no coverage status (no EB01 1 to 8)",
            action="call the payer or check its portal to confirm coverage",
            location="$.benefits",
        ))


def _check_dates(
    inquiry: EligibilityInquiry, response: EligibilityResponse, add: _Add
) -> None:
    service_on = inquiry.service_on
    if response.plan_period is not None and not response.plan_period.contains(service_on):
        add(VerificationOutcome.NOT_COVERED_ON_DATE, Finding(
            edit_id="eligibility-date-of-service", severity=Severity.ERROR,
            message="the date of service is outside the payer's plan period",
            action="ask the patient for the coverage in force on the date of service; "
                   "otherwise register the visit as self-pay",
            location="$.plan_period",
        ))
    elif not inquiry.coverage.is_active(service_on):
        add(VerificationOutcome.VERIFIED, Finding(
            edit_id="eligibility-coverage-dates", severity=Severity.WARNING,
            message="the payer reports active coverage, but the coverage on file does "
                    "not cover the date of service",
            action="update the coverage period on file from the payer's plan dates",
            location="$.inquiry.coverage.period",
        ))


def _check_services(
    inquiry: EligibilityInquiry, response: EligibilityResponse, add: _Add
) -> None:
    for code in inquiry.service_types:
        rows = [(i, row) for i, row in enumerate(response.benefits) if row.mentions(code)]
        infos = {row.info for _, row in rows}
        if BenefitInfo.NON_COVERED in infos:
            add(VerificationOutcome.NEEDS_FOLLOW_UP, Finding(
                edit_id="eligibility-not-covered-service", severity=Severity.ERROR,
                message=f"the payer does not cover service type {code}",
                action="tell the patient before the service; have them sign a waiver "
                       "(an ABN for Medicare) or collect as self-pay",
                location="$.benefits",
            ))
        elif BenefitInfo.INACTIVE in infos and not infos & _ACTIVE:
            add(VerificationOutcome.NEEDS_FOLLOW_UP, Finding(
                edit_id="eligibility-inactive-service", severity=Severity.ERROR,
                message=f"the coverage is inactive for service type {code}",
                action="ask the patient for other coverage for this service, or collect "
                       "as self-pay",
                location="$.benefits",
            ))
        for i, row in rows:
            if row.authorization_required:
                add(VerificationOutcome.VERIFIED, Finding(
                    edit_id="eligibility-authorization", severity=Severity.WARNING,
                    message=f"the payer requires prior authorization for service type "
                            f"{code}",
                    action="obtain the authorization before the service",
                    location=f"$.benefits[{i}]",
                ))
                break


def _check_other_rows(response: EligibilityResponse, add: _Add) -> None:
    for i, row in enumerate(response.benefits):
        if row.info is BenefitInfo.OTHER_OR_ADDITIONAL_PAYER:
            add(VerificationOutcome.VERIFIED, Finding(
                edit_id="eligibility-other-payer", severity=Severity.WARNING,
                message="the payer reports another payer for this patient (EB01 R)",
                action="ask the patient about other coverage and update the order of "
                       "benefits",
                location=f"$.benefits[{i}]",
            ))
        elif row.info is BenefitInfo.CONTACT_FOLLOWING_ENTITY:
            add(VerificationOutcome.VERIFIED, Finding(
                edit_id="eligibility-contact-entity", severity=Severity.WARNING,
                message="the payer refers benefit questions to another entity (EB01 U)",
                action="contact the entity named in the response for the benefits",
                location=f"$.benefits[{i}]",
            ))
        elif row.info is BenefitInfo.CANNOT_PROCESS:
            add(VerificationOutcome.NEEDS_FOLLOW_UP, Finding(
                edit_id="eligibility-cannot-process", severity=Severity.ERROR,
                message="the payer could not process part of the inquiry (EB01 V)",
                action="call the payer or check its portal",
                location=f"$.benefits[{i}]",
            ))
