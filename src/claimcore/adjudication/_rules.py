"""The payer's side as values: its contract, the member's benefits, its edits, its COB rule."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Final

import attrs

from claimcore._validate import (
    a_decimal,
    an_int,
    instance,
    members,
    optional_instance,
    text,
    to_frozenset,
    to_tuple,
)
from claimcore.charges import FeeSchedule
from claimcore.claims import MueTable, NcciTable
from claimcore.codes import CPT, HCPCS, ProcedureCode
from claimcore.coverage import Accumulator, NetworkBenefits, Payer, ServiceType
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.money import Money, Rate
from claimcore.periods import Period
from claimcore.posting import CobMethod

__all__ = [
    "Accumulators",
    "BenefitMaximum",
    "CarveOut",
    "Contract",
    "MaximumUse",
    "MultipleProcedureReduction",
    "PayerRules",
    "ServiceTypeRule",
]

_CODES = (CPT, HCPCS)
_HALF: Final = Rate.percent(50)


def _codes(value: Iterable[ProcedureCode]) -> frozenset[ProcedureCode]:
    return to_frozenset(value)


def _check_codes(value: frozenset[ProcedureCode], path: str) -> None:
    if not isinstance(value, frozenset):
        raise TypeMismatch(f"must be a set of CPT or HCPCS codes, got {type(value).__name__}",
                           path=path, rule="type")
    for code in value:
        if not isinstance(code, _CODES):
            raise TypeMismatch(
                f"must hold CPT or HCPCS codes, got {type(code).__name__}", path=path,
                rule="type",
            )


def _non_negative(value: object, path: str) -> Money:
    money = instance(value, Money, path)
    if money.is_negative():
        raise ValidationError("must not be negative", path=path, rule="negative")
    return money


def _at_most_one(rate: object, path: str) -> Rate:
    found = instance(rate, Rate, path)
    if found.value > 1:
        raise ValidationError("must be at most 100%", path=path, rule="range")
    return found


@attrs.frozen(kw_only=True)
class CarveOut:
    """A code the contract prices apart from the schedule: a fixed ``price`` per unit, or a
    ``rate`` of the line's charge (implants at 40% of charges, a vaccine at a flat fee).

    A carve-out wins over the fee schedule and the percent-of-charge basis.
    """

    code: ProcedureCode
    price: Money | None = None
    rate: Rate | None = None

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.code, _CODES):
            raise TypeMismatch(
                f"must be a CPT or HCPCS code, got {type(self.code).__name__}", path="$.code",
                rule="type",
            )
        if self.price is not None:
            _non_negative(self.price, "$.price")
        if self.rate is not None:
            _at_most_one(self.rate, "$.rate")
        if (self.price is None) == (self.rate is None):
            raise ValidationError("give exactly one of price and rate", path="$.price",
                                  rule="one-basis")


@attrs.frozen(kw_only=True)
class MultipleProcedureReduction:
    """The multiple-procedure rule: of the listed ``codes`` done on one date, the one with
    the highest allowed amount is paid in full and each other at ``rate`` of its allowed
    amount (Medicare's 50% for the second and later surgical procedures). The reduction is
    reported as ``CO-59`` (processed under multiple or concurrent procedure rules)."""

    codes: frozenset[ProcedureCode] = attrs.field(converter=_codes)
    rate: Rate = _HALF

    def __attrs_post_init__(self) -> None:
        _check_codes(self.codes, "$.codes")
        _at_most_one(self.rate, "$.rate")


def _carve_outs(value: Iterable[CarveOut]) -> tuple[CarveOut, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class Contract:
    """What the payer agreed to allow the provider, line by line.

    A line's allowed amount is, in this order: its :class:`CarveOut`; the ``fee_schedule``
    price (with the line's modifiers) times its units, when the schedule is in force on
    the date of service; ``percent_of_charge`` of its charge. Never more than the charge
    (payers allow the lesser of the charge and the contract). The difference to the charge
    is ``CO-45``; ``multiple_procedure`` then reduces further (``CO-59``). A line no basis
    prices cannot be decided: it is denied ``CO-16`` with remark ``M51``.
    """

    fee_schedule: FeeSchedule | None = None
    percent_of_charge: Rate | None = None
    carve_outs: tuple[CarveOut, ...] = attrs.field(default=(), converter=_carve_outs)
    multiple_procedure: MultipleProcedureReduction | None = None

    def __attrs_post_init__(self) -> None:
        optional_instance(self.fee_schedule, FeeSchedule, "$.fee_schedule")
        if self.percent_of_charge is not None:
            _at_most_one(self.percent_of_charge, "$.percent_of_charge")
        members(self.carve_outs, CarveOut, "$.carve_outs")
        optional_instance(self.multiple_procedure, MultipleProcedureReduction,
                          "$.multiple_procedure")
        if self.fee_schedule is None and self.percent_of_charge is None and not self.carve_outs:
            raise ValidationError(
                "a contract prices something: give a fee schedule, a percent of charge or "
                "carve-outs", path="$.fee_schedule", rule="no-basis",
            )
        seen: set[ProcedureCode] = set()
        for i, carve in enumerate(self.carve_outs):
            if carve.code in seen:
                raise ValidationError("carves the same code out twice",
                                      path=f"$.carve_outs[{i}].code", rule="duplicate")
            seen.add(carve.code)

    def carve_out(self, code: ProcedureCode | None) -> CarveOut | None:
        """The carve-out of ``code``, if the contract has one."""
        for carve in self.carve_outs:
            if carve.code == code:
                return carve
        return None


@attrs.frozen(kw_only=True)
class BenefitMaximum:
    """A benefit limit in units per benefit period: ``units`` of the listed ``codes``
    (20 physical-therapy visits a year). Units past it are denied ``CO-119`` (benefit
    maximum for this time period has been reached). ``name`` keys its use in the
    :class:`Accumulators`."""

    name: str
    codes: frozenset[ProcedureCode] = attrs.field(converter=_codes)
    units: int

    def __attrs_post_init__(self) -> None:
        text(self.name, "$.name", max_len=64)
        _check_codes(self.codes, "$.codes")
        an_int(self.units, "$.units", low=0)


@attrs.frozen(kw_only=True)
class ServiceTypeRule:
    """Which X12 service type (``EB03``) the listed ``codes`` count as, so the member's
    copay for that type applies (office visits as ``98``). Codes no rule lists count as
    ``30`` (health benefit plan coverage)."""

    codes: frozenset[ProcedureCode] = attrs.field(converter=_codes)
    service_type: str

    def __attrs_post_init__(self) -> None:
        _check_codes(self.codes, "$.codes")
        text(str(self.service_type), "$.service_type", max_len=2)


def _maximums(value: Iterable[BenefitMaximum]) -> tuple[BenefitMaximum, ...]:
    return to_tuple(value)


def _service_types(value: Iterable[ServiceTypeRule]) -> tuple[ServiceTypeRule, ...]:
    return to_tuple(value)


def _auths(value: Iterable[str] | None) -> frozenset[str] | None:
    return None if value is None else to_frozenset(value)


@attrs.frozen(kw_only=True)
class PayerRules:
    """Everything a payer decides a claim with: all values, every table from the caller.

    * ``payer``: who answers (its id, name and timely-filing limit, ``CO-29`` when late);
    * ``contract``: how lines are priced (:class:`Contract`);
    * ``benefits``: the member's cost sharing in the network tier the claim falls in
      (deductible, coinsurance, copays by service type, out-of-pocket maximum;
      individual and family). Only the limits are read here; what is met comes from the
      :class:`Accumulators` passed to :func:`adjudicate`;
    * ``coverage_period``: when the member is covered (``CO-26`` before, ``CO-27`` after);
    * edits: ``ncci`` pairs (``CO-97`` bundled), ``mue`` (``CO-151``), ``maximums`` in
      units (``CO-119``), ``authorization_required`` codes (``CO-197`` without one;
      ``authorizations`` the numbers on file, ``None`` to accept any), ``non_covered``
      codes (``CO-96``);
    * ``service_types``: which codes a copay of which service type applies to;
    * ``cob``: how it pays as a secondary or tertiary payer (:class:`CobMethod`).
    """

    payer: Payer
    contract: Contract
    benefits: NetworkBenefits = attrs.field(factory=NetworkBenefits)
    coverage_period: Period
    ncci: NcciTable | None = None
    mue: MueTable | None = None
    maximums: tuple[BenefitMaximum, ...] = attrs.field(default=(), converter=_maximums)
    authorization_required: frozenset[ProcedureCode] = attrs.field(
        default=frozenset(), converter=_codes)
    authorizations: frozenset[str] | None = attrs.field(default=None, converter=_auths)
    non_covered: frozenset[ProcedureCode] = attrs.field(default=frozenset(), converter=_codes)
    service_types: tuple[ServiceTypeRule, ...] = attrs.field(
        default=(), converter=_service_types)
    cob: CobMethod = CobMethod.STANDARD

    def __attrs_post_init__(self) -> None:
        instance(self.payer, Payer, "$.payer")
        instance(self.contract, Contract, "$.contract")
        instance(self.benefits, NetworkBenefits, "$.benefits")
        instance(self.coverage_period, Period, "$.coverage_period")
        optional_instance(self.ncci, NcciTable, "$.ncci")
        optional_instance(self.mue, MueTable, "$.mue")
        members(self.maximums, BenefitMaximum, "$.maximums")
        names = [m.name for m in self.maximums]
        if len(set(names)) != len(names):
            raise ValidationError("two benefit maximums share a name", path="$.maximums",
                                  rule="duplicate")
        _check_codes(self.authorization_required, "$.authorization_required")
        if self.authorizations is not None:
            for number in self.authorizations:
                text(number, "$.authorizations", max_len=50)
        _check_codes(self.non_covered, "$.non_covered")
        members(self.service_types, ServiceTypeRule, "$.service_types")
        instance(self.cob, CobMethod, "$.cob")

    def service_type_of(self, code: ProcedureCode | None) -> str:
        """The service type a line with ``code`` counts as, for its copay."""
        for rule in self.service_types:
            if code in rule.codes:
                return str(rule.service_type)
        return ServiceType.HEALTH_BENEFIT_PLAN_COVERAGE.value


@attrs.frozen
class MaximumUse:
    """How many units of the benefit maximum ``name`` the member used this period."""

    name: str
    units: Decimal

    def __attrs_post_init__(self) -> None:
        text(self.name, "$.name", max_len=64)
        if a_decimal(self.units, "$.units") < 0:
            raise ValidationError("must not be negative", path="$.units", rule="negative")


def _uses(value: Iterable[MaximumUse]) -> tuple[MaximumUse, ...]:
    return to_tuple(value)


_MET = ("deductible", "family_deductible", "out_of_pocket", "family_out_of_pocket")


@attrs.frozen(kw_only=True)
class Accumulators:
    """What the member (and the family) met so far this benefit period, as the payer keeps it.

    ``deductible`` and ``out_of_pocket`` are the member's own; the ``family_`` ones the
    family's; ``maximums`` the units used of each :class:`BenefitMaximum`.
    :func:`adjudicate` takes them and returns them updated; they never pass the limits
    of the rules' benefits. X12 271 ``EB*C`` / ``EB*G`` with ``EB06`` ``24`` (year to date).
    """

    deductible: Money = attrs.field(factory=Money.zero)
    family_deductible: Money = attrs.field(factory=Money.zero)
    out_of_pocket: Money = attrs.field(factory=Money.zero)
    family_out_of_pocket: Money = attrs.field(factory=Money.zero)
    maximums: tuple[MaximumUse, ...] = attrs.field(default=(), converter=_uses)

    def __attrs_post_init__(self) -> None:
        for name in _MET:
            _non_negative(getattr(self, name), f"$.{name}")
        members(self.maximums, MaximumUse, "$.maximums")

    @classmethod
    def starting(cls, benefits: NetworkBenefits) -> Accumulators:
        """The accumulators as the ``met`` amounts of ``benefits`` give them."""
        instance(benefits, NetworkBenefits, "$.benefits")

        def met(acc: Accumulator | None) -> Money:
            return Money.zero() if acc is None else acc.met

        return cls(
            deductible=met(benefits.individual_deductible),
            family_deductible=met(benefits.family_deductible),
            out_of_pocket=met(benefits.individual_out_of_pocket),
            family_out_of_pocket=met(benefits.family_out_of_pocket),
        )

    def used(self, name: str) -> Decimal:
        """The units used of the benefit maximum ``name`` (zero when none yet)."""
        for use in self.maximums:
            if use.name == name:
                return use.units
        return Decimal(0)

    def within(self, benefits: NetworkBenefits) -> bool:
        """Whether every amount met is at most its limit in ``benefits``."""
        pairs = (
            (self.deductible, benefits.individual_deductible),
            (self.family_deductible, benefits.family_deductible),
            (self.out_of_pocket, benefits.individual_out_of_pocket),
            (self.family_out_of_pocket, benefits.family_out_of_pocket),
        )
        return all(acc is None or met <= acc.limit for met, acc in pairs)
