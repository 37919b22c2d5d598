"""Benefits and the patient's estimate: copay, deductible, coinsurance, out-of-pocket cap."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from typing import Final

import attrs

from claimcore._validate import instance, kind, members, optional_instance, text, to_tuple
from claimcore.coverage._common import ZERO
from claimcore.coverage._coverage import Network
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.money import Money, Rate, allocate, money_sum
from claimcore.periods import Period

__all__ = [
    "Accumulator",
    "Benefits",
    "Copay",
    "NetworkBenefits",
    "ResponsibilityEstimate",
    "ServiceType",
    "estimate_responsibility",
    "service_type_code",
]

_SERVICE_TYPE: Final = re.compile(r"[A-Z0-9]{1,2}")
_SERVICE_TYPE_EXPECTED: Final = "an X12 service type code of 1 or 2 capital letters or digits"
_NO_COINSURANCE: Final = Rate(0)


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


# -- benefits and the patient's estimate -------------------------------------------------


@attrs.frozen(kw_only=True)
class Accumulator:
    """A yearly limit and how much of it is met so far: a deductible or out-of-pocket maximum.

    X12 271: ``EB*C`` (deductible) or ``EB*G`` (out of pocket) with ``EB06`` time period
    ``23`` calendar year (the limit), ``29`` remaining or ``24`` year to date (met).
    """

    limit: Money
    met: Money = ZERO

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
        return _least(self.individual_deductible, self.family_deductible) or ZERO

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
    not_covered: Money = ZERO
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
