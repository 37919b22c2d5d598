"""The coverage record: plans, subscribers, the patient's relationship and the payer order."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Final

import attrs

from claimcore._pickling import fast_pickle
from claimcore._validate import a_date, an_int, instance, optional_instance, optional_text, text
from claimcore.coverage._common import FREE_TEXT, FREE_TEXT_EXPECTED
from claimcore.coverage._payers import Payer, PayerKind
from claimcore.errors import ValidationError
from claimcore.ids import MemberId
from claimcore.patients import Address, AdministrativeSex, PersonName
from claimcore.periods import Period

__all__ = [
    "Coverage",
    "CoverageOrder",
    "EmploymentStatus",
    "MedicareSecondaryType",
    "Network",
    "Plan",
    "PlanType",
    "Relationship",
    "Subscriber",
]


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


@fast_pickle
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
        text(self.name, "$.name", pattern=FREE_TEXT, expected=FREE_TEXT_EXPECTED,
             max_len=60)
        instance(self.plan_type, PlanType, "$.plan_type")
        instance(self.network, Network, "$.network")
        optional_text(self.plan_id, "$.plan_id", pattern=FREE_TEXT,
                      expected=FREE_TEXT_EXPECTED, max_len=50)


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


@fast_pickle
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
        an_int(rank, "$.rank", low=1, high=len(ORDERS))
        return ORDERS[rank - 1]


ORDERS: Final = tuple(CoverageOrder)
_RANKS: Final[Mapping[CoverageOrder, int]] = MappingProxyType(
    {order: i + 1 for i, order in enumerate(ORDERS)}
)


class MedicareSecondaryType(enum.StrEnum):
    """Why Medicare pays second: the X12 insurance type code of a Medicare secondary claim.

    ``12`` working aged (a group health plan from current employment, 65 or over), ``13``
    end-stage renal disease in its coordination period, ``14`` no-fault (auto), ``15``
    workers' compensation, ``16`` Public Health Service or other federal agency, ``41``
    black lung, ``42`` Veterans Affairs, ``43`` disabled under 65 with a large group health
    plan, ``47`` other liability. X12 837P ``SBR05`` (loop 2000B), required when the claim
    goes to Medicare and Medicare is not primary; the 837I has no ``SBR05`` and carries the
    same reason as the value code of the same number (:attr:`value_code`). Source: X12
    element 1336 and the CMS MSP claim edits (meanings of 13-47 from the element list, not
    re-read against the TR3).
    """

    WORKING_AGED = "12"
    END_STAGE_RENAL_DISEASE = "13"
    NO_FAULT = "14"
    WORKERS_COMPENSATION = "15"
    PUBLIC_HEALTH_SERVICE = "16"
    BLACK_LUNG = "41"
    VETERANS_AFFAIRS = "42"
    DISABLED = "43"
    OTHER_LIABILITY = "47"

    @property
    def value_code(self) -> str:
        """The UB-04 value code that carries the primary payer's payment (same number)."""
        return self.value


@fast_pickle
@attrs.frozen(kw_only=True, repr=False)
class Coverage:
    """One insurance coverage of a patient: payer, plan, member, subscriber, dates, order.

    ``member_id`` is the patient's id at the payer (often the subscriber's, sometimes with
    a suffix); ``relationship`` is the patient's relationship to the subscriber;
    ``period`` the dates the coverage is in force; ``order`` the payer's place as
    recorded (see :func:`order_coverages` to work it out); ``medicare_secondary_type``
    why a Medicare coverage pays second (837P ``SBR05``; :func:`order_coverages` derives
    it where the rules tell). X12: loop 2000B ``SBR`` with
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
    medicare_secondary_type: MedicareSecondaryType | None = None

    def __attrs_post_init__(self) -> None:
        instance(self.payer, Payer, "$.payer")
        instance(self.plan, Plan, "$.plan")
        instance(self.member_id, MemberId, "$.member_id")
        optional_text(self.group_number, "$.group_number", pattern=FREE_TEXT,
                      expected=FREE_TEXT_EXPECTED, max_len=50, phi=True)
        instance(self.subscriber, Subscriber, "$.subscriber")
        instance(self.relationship, Relationship, "$.relationship")
        instance(self.period, Period, "$.period")
        instance(self.order, CoverageOrder, "$.order")
        optional_instance(self.medicare_secondary_type, MedicareSecondaryType,
                          "$.medicare_secondary_type")
        if (self.medicare_secondary_type is not None
                and self.payer.kind is not PayerKind.MEDICARE):
            raise ValidationError(
                "only a Medicare coverage has a Medicare secondary payer type",
                path="$.medicare_secondary_type", rule="msp-not-medicare",
            )

    def is_active(self, on: date) -> bool:
        """Whether the coverage is in force on ``on`` (both ends of its period included)."""
        return self.period.contains(a_date(on, "$.on"))

    def __repr__(self) -> str:
        return (
            f"Coverage(payer={self.payer.payer_id.value}, kind={self.payer.kind.value}, "
            f"plan_type={self.plan.plan_type.value}, member_id={self.member_id.masked}, "
            f"relationship={self.relationship.value}, order={self.order.value})"
        )
