"""Charges: fee schedules, payer contracts, charge entry and charge correction.

A *charge* is one billable service at the provider's price: a procedure code with its
modifiers and units, priced from a :class:`FeeSchedule`. Charges are entered from a coded
encounter (:func:`enter_charges`), never edited (:func:`correct_charge` voids and
replaces), and gathered onto claims by :mod:`claimcore.claims`. A :class:`PayerContract`
says what a payer should allow for a service, so that underpayments stand out at posting.

Business-rule problems (a code the fee schedule does not list, a late charge) come back as
:class:`Finding` records, the same records that claim scrubbing returns.

>>> from datetime import date
>>> from decimal import Decimal
>>> from claimcore.codes import CPT
>>> from claimcore.money import Money
>>> from claimcore.periods import Period
>>> fees = FeeSchedule(
...     name="2026 office", effective=Period(date(2026, 1, 1), date(2026, 12, 31)),
...     prices=[FeePrice(code=CPT("99213"), modifier=None, price=Money(Decimal("150.00")))],
... )
>>> fees.price_for(CPT("99213"))
Money('150.00')
>>> fees.price_for(CPT("99214")) is None
True
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, Protocol

import attrs

from claimcore._validate import (
    a_date,
    a_decimal,
    an_int,
    instance,
    kind,
    members,
    optional_instance,
    text,
    to_tuple,
)
from claimcore.codes import (
    CARC,
    CPT,
    HCPCS,
    ICD10CM,
    Modifier,
    PlaceOfService,
    ProcedureCode,
    RevenueCode,
)
from claimcore.codes.limits import MAX_DIAGNOSIS_POINTERS, MAX_MODIFIERS
from claimcore.coding import CodedEncounter
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.findings import Finding, Severity
from claimcore.ids import NPI, PayerId
from claimcore.money import Money, Rate
from claimcore.periods import Period

__all__ = [
    "Charge",
    "ChargeEntry",
    "ChargeStatus",
    "FeePrice",
    "FeeSchedule",
    "Finding",
    "PayerContract",
    "PricedService",
    "Severity",
    "UnlistedRule",
    "charge_lag",
    "correct_charge",
    "enter_charge",
    "enter_charges",
    "enter_late_charge",
    "enter_revenue_charge",
    "to_units",
]

_PROCEDURE: Final = (CPT, HCPCS)
_CHARGE_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9./_:#-]{0,63}")
_UNIT_PLACES: Final = 3
_MAX_UNITS: Final = Decimal(99999)


def _modifiers(value: Iterable[Modifier]) -> tuple[Modifier, ...]:
    return to_tuple(value)


def _diagnoses(value: Iterable[ICD10CM]) -> tuple[ICD10CM, ...]:
    return to_tuple(value)


def _prices(value: Iterable[FeePrice]) -> tuple[FeePrice, ...]:
    return to_tuple(value)


def _charges(value: Iterable[Charge]) -> tuple[Charge, ...]:
    return to_tuple(value)


def _findings(value: Iterable[Finding]) -> tuple[Finding, ...]:
    return to_tuple(value)


# -- findings -------------------------------------------------------------------------


# -- units ----------------------------------------------------------------------------


def to_units(value: Decimal | int) -> Decimal:
    """Converter for unit fields: an ``int`` becomes a ``Decimal``; a ``float`` is refused."""
    if type(value) is int:
        return Decimal(value)
    return value  # type: ignore[return-value]  # checked in the owner's post-init


def _check_units(value: object, path: str) -> Decimal:
    if isinstance(value, float):
        raise TypeMismatch("must be a Decimal or int, not a float", path=path, rule="no-float")
    units = a_decimal(value, path)
    if units <= 0 or units > _MAX_UNITS:
        raise ValidationError(
            f"must be above 0 and at most {_MAX_UNITS}, got {units}", path=path, rule="range"
        )
    if units.as_tuple().exponent < -_UNIT_PLACES:  # type: ignore[operator]
        raise ValidationError(
            f"must have at most {_UNIT_PLACES} decimal places", path=path, rule="places"
        )
    return units


def _check_modifiers(value: object, path: str) -> None:
    mods = members(value, Modifier, path)
    if len(mods) > MAX_MODIFIERS:
        raise ValidationError(
            f"at most {MAX_MODIFIERS} modifiers fit a line (X12 SV101-3..6), got {len(mods)}",
            path=path, rule="max-modifiers",
        )


def _check_procedure(value: object, path: str) -> None:
    if not isinstance(value, _PROCEDURE):
        raise TypeMismatch(
            f"must be a CPT or HCPCS code, got {kind(value)}", path=path, rule="type"
        )


# -- fee schedules --------------------------------------------------------------------


class UnlistedRule(enum.StrEnum):
    """What a fee schedule does for a code it does not list.

    ``refuse``: no price (charge entry reports an error finding); ``zero``: price 0.00;
    ``percent_of_base``: a percentage of the base schedule's price.
    """

    REFUSE = "refuse"
    ZERO = "zero"
    PERCENT_OF_BASE = "percent_of_base"


@attrs.frozen(kw_only=True)
class FeePrice:
    """The price of one procedure code, for one modifier or (``modifier=None``) any."""

    code: ProcedureCode
    modifier: Modifier | None
    price: Money

    def __attrs_post_init__(self) -> None:
        _check_procedure(self.code, "$.code")
        optional_instance(self.modifier, Modifier, "$.modifier")
        instance(self.price, Money, "$.price")
        if self.price.amount < 0:
            raise ValidationError("must not be negative", path="$.price", rule="negative")


@attrs.frozen(kw_only=True)
class FeeSchedule:
    """A price list in force over a period: the provider's charge master for professional
    services, or a payer's schedule of allowed amounts.

    A price for a code with a modifier wins over the code's price without one. Codes the
    schedule does not list follow ``unlisted`` (with ``base`` and ``base_rate`` for
    ``percent_of_base``, e.g. 150% of the Medicare physician fee schedule).
    """

    name: str
    effective: Period
    prices: tuple[FeePrice, ...] = attrs.field(converter=_prices)
    unlisted: UnlistedRule = UnlistedRule.REFUSE
    base: FeeSchedule | None = None
    base_rate: Rate | None = None
    _index: Mapping[tuple[ProcedureCode, Modifier | None], Money] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        text(self.name, "$.name", max_len=120)
        instance(self.effective, Period, "$.effective")
        members(self.prices, FeePrice, "$.prices")
        instance(self.unlisted, UnlistedRule, "$.unlisted")
        optional_instance(self.base, FeeSchedule, "$.base")
        optional_instance(self.base_rate, Rate, "$.base_rate")
        wants_base = self.unlisted is UnlistedRule.PERCENT_OF_BASE
        if wants_base != (self.base is not None and self.base_rate is not None):
            raise ValidationError(
                "base and base_rate are required with unlisted='percent_of_base' and "
                "allowed with no other rule",
                path="$.base", rule="base-rule",
            )
        index: dict[tuple[ProcedureCode, Modifier | None], Money] = {}
        for i, fee in enumerate(self.prices):
            key = (fee.code, fee.modifier)
            if key in index:
                raise ValidationError(
                    "lists a code and modifier a second time", path=f"$.prices[{i}]",
                    rule="duplicate-price",
                )
            index[key] = fee.price
        object.__setattr__(self, "_index", index)

    def price_for(
        self, code: ProcedureCode, modifiers: Sequence[Modifier] = ()
    ) -> Money | None:
        """The unit price of ``code`` with ``modifiers``, or ``None`` when unlisted and refused.

        The first modifier with a price of its own wins; then the code's plain price; then
        the rule for unlisted codes.
        """
        index = self._index
        for modifier in modifiers:
            price = index.get((code, modifier))
            if price is not None:
                return price
        price = index.get((code, None))
        if price is not None:
            return price
        if self.unlisted is UnlistedRule.ZERO:
            return Money.zero()
        if self.unlisted is UnlistedRule.PERCENT_OF_BASE and self.base is not None:
            base = self.base.price_for(code, modifiers)
            if base is not None and self.base_rate is not None:
                return self.base_rate.of(base)
        return None

    def in_force(self, on: date) -> bool:
        """Whether the schedule applies to services on ``on``."""
        return self.effective.contains(on)


class PricedService(Protocol):
    """What a contract prices: a claim line (``procedure``, ``charge``) has these."""

    @property
    def procedure(self) -> ProcedureCode | None: ...

    @property
    def modifiers(self) -> tuple[Modifier, ...]: ...

    @property
    def units(self) -> Decimal: ...

    @property
    def charge(self) -> Money: ...


@attrs.frozen(kw_only=True)
class PayerContract:
    """What a payer agreed to allow: a schedule of allowed amounts, or a rate of charges.

    :meth:`expected_allowed` gives the amount to compare with the 835's allowed amount
    (``AMT*B6``) when posting, so that underpayments stand out.
    """

    payer_id: PayerId
    effective: Period
    allowed: FeeSchedule | None = None
    rate_of_charges: Rate | None = None

    def __attrs_post_init__(self) -> None:
        instance(self.payer_id, PayerId, "$.payer_id")
        instance(self.effective, Period, "$.effective")
        optional_instance(self.allowed, FeeSchedule, "$.allowed")
        optional_instance(self.rate_of_charges, Rate, "$.rate_of_charges")
        if (self.allowed is None) == (self.rate_of_charges is None):
            raise ValidationError(
                "give exactly one of allowed (a fee schedule) and rate_of_charges",
                path="$.allowed", rule="one-basis",
            )

    def expected_allowed(self, line: Charge | PricedService) -> Money | None:
        """The allowed amount the contract promises for ``line`` (``None``: no basis).

        With a schedule: its unit price times the units (half-up to the cent); with a rate
        of charges: the rate of the line's charge.
        """
        if isinstance(line, Charge):
            code: ProcedureCode | None = line.code
            charge = line.amount
        else:
            code, charge = line.procedure, line.charge
        if self.rate_of_charges is not None:
            return self.rate_of_charges.of(charge)
        if code is None or self.allowed is None:
            return None
        price = self.allowed.price_for(code, line.modifiers)
        if price is None:
            return None
        return price.times(line.units, rounding=ROUND_HALF_UP)


# -- charges --------------------------------------------------------------------------


class ChargeStatus(enum.StrEnum):
    """A charge is ``active`` until a correction voids it (it is then kept, not deleted)."""

    ACTIVE = "active"
    VOIDED = "voided"


def _default_amount(charge: Charge) -> Money:
    # An absent or malformed price is reported by the one check in __attrs_post_init__.
    if not isinstance(charge.unit_price, Money) or isinstance(charge.units, float):
        return Money.zero()
    try:
        return charge.unit_price.times(charge.units, rounding=ROUND_HALF_UP)
    except (TypeError, ValueError):
        return Money.zero()


@attrs.frozen(kw_only=True)
class Charge:
    """One billable service at the provider's price, as entered in the charge master.

    ``amount`` is ``unit_price × units`` rounded half-up to the cent (derived when not
    given, checked when given). ``diagnoses`` are the codes the service is for, in pointer
    order (the claim builder turns them into pointers). An institutional charge may have
    a revenue code and no procedure code: room and board is ``0120`` x 3 days at its daily
    rate (``unit_price``), entered with :func:`enter_revenue_charge`; such a charge bills
    on institutional claims only (the professional claim's ``required`` edit says so).
    A correction never edits a charge:
    it voids it (``status``, ``voided_by``) and enters a replacement (``replaces``).

    X12 837P: a service line (loop 2400, ``SV1``); 837I: ``SV2`` with the revenue code;
    FHIR: ``ChargeItem``.
    """

    id: str
    code: ProcedureCode | None = None
    modifiers: tuple[Modifier, ...] = attrs.field(default=(), converter=_modifiers)
    units: Decimal = attrs.field(default=Decimal(1), converter=to_units)
    unit_price: Money
    amount: Money = attrs.field(
        default=attrs.Factory(_default_amount, takes_self=True)
    )
    service_date: date
    diagnoses: tuple[ICD10CM, ...] = attrs.field(default=(), converter=_diagnoses)
    rendering_npi: NPI | None = None
    ordering_npi: NPI | None = None
    place_of_service: PlaceOfService | None = None
    revenue_code: RevenueCode | None = None
    encounter_id: str | None = None
    entered_on: date
    status: ChargeStatus = ChargeStatus.ACTIVE
    replaces: str | None = None
    voided_by: str | None = None

    def __attrs_post_init__(self) -> None:
        text(self.id, "$.id", pattern=_CHARGE_ID, expected="1 to 64 letters, digits or ./_:#-")
        if self.code is not None:
            _check_procedure(self.code, "$.code")
        elif self.revenue_code is None:
            raise ValidationError(
                "a charge has a procedure code, a revenue code or both", path="$.code",
                rule="no-service-code",
            )
        _check_modifiers(self.modifiers, "$.modifiers")
        units = _check_units(self.units, "$.units")
        instance(self.unit_price, Money, "$.unit_price")
        if self.unit_price.amount < 0:
            raise ValidationError("must not be negative", path="$.unit_price", rule="negative")
        instance(self.amount, Money, "$.amount")
        if self.amount != self.unit_price.times(units, rounding=ROUND_HALF_UP):
            raise ValidationError(
                "must equal unit_price × units rounded half-up to the cent",
                path="$.amount", rule="amount",
            )
        a_date(self.service_date, "$.service_date")
        members(self.diagnoses, ICD10CM, "$.diagnoses")
        if len(self.diagnoses) > MAX_DIAGNOSIS_POINTERS:
            raise ValidationError(
                f"a service points at no more than {MAX_DIAGNOSIS_POINTERS} diagnoses",
                path="$.diagnoses",
                rule="max-pointers",
            )
        if len(set(self.diagnoses)) != len(self.diagnoses):
            raise ValidationError(
                "lists a diagnosis twice", path="$.diagnoses", rule="duplicate-diagnosis"
            )
        optional_instance(self.rendering_npi, NPI, "$.rendering_npi")
        optional_instance(self.ordering_npi, NPI, "$.ordering_npi")
        optional_instance(self.place_of_service, PlaceOfService, "$.place_of_service")
        optional_instance(self.revenue_code, RevenueCode, "$.revenue_code")
        if self.encounter_id is not None:
            text(self.encounter_id, "$.encounter_id", max_len=64)
        a_date(self.entered_on, "$.entered_on")
        if self.entered_on < self.service_date:
            raise ValidationError(
                "a charge is entered on or after its date of service", path="$.entered_on",
                rule="entered-before-service",
            )
        instance(self.status, ChargeStatus, "$.status")
        if self.replaces is not None:
            text(self.replaces, "$.replaces", pattern=_CHARGE_ID, expected="a charge id")
            if self.replaces == self.id:
                raise ValidationError(
                    "a charge cannot replace itself", path="$.replaces", rule="self-reference"
                )
        if self.voided_by is not None:
            text(self.voided_by, "$.voided_by", pattern=_CHARGE_ID, expected="a charge id")
        if (self.status is ChargeStatus.VOIDED) != (self.voided_by is not None):
            raise ValidationError(
                "voided_by is set if and only if the charge is voided", path="$.voided_by",
                rule="voided-by",
            )

    @property
    def is_active(self) -> bool:
        return self.status is ChargeStatus.ACTIVE


@attrs.frozen(kw_only=True)
class ChargeEntry:
    """What charge entry produced: the charges, and findings for what it could not price."""

    charges: tuple[Charge, ...] = attrs.field(converter=_charges)
    findings: tuple[Finding, ...] = attrs.field(default=(), converter=_findings)

    def __attrs_post_init__(self) -> None:
        members(self.charges, Charge, "$.charges")
        members(self.findings, Finding, "$.findings")

    @property
    def ok(self) -> bool:
        """No error finding: every service was priced."""
        return not any(f.is_error for f in self.findings)


_UNLISTED_CARC: Final = CARC("16")


def _price(
    fee_schedule: FeeSchedule,
    code: ProcedureCode,
    modifiers: tuple[Modifier, ...],
    service_date: date,
    location: str,
) -> tuple[Money | None, list[Finding]]:
    findings: list[Finding] = []
    if not fee_schedule.in_force(service_date):
        findings.append(Finding(
            edit_id="fee-schedule-period", severity=Severity.ERROR,
            message=f"fee schedule {fee_schedule.name!r} is not in force on the date of service",
            location=location,
        ))
        return None, findings
    price = fee_schedule.price_for(code, modifiers)
    if price is None:
        findings.append(Finding(
            edit_id="fee-schedule-unlisted", severity=Severity.ERROR,
            message=f"code {code} is not on fee schedule {fee_schedule.name!r}",
            location=location, carc=_UNLISTED_CARC,
        ))
    return price, findings


def enter_charge(
    *,
    id: str,
    code: ProcedureCode,
    fee_schedule: FeeSchedule,
    service_date: date,
    on: date,
    modifiers: Iterable[Modifier] = (),
    units: Decimal | int = 1,
    diagnoses: Iterable[ICD10CM] = (),
    rendering_npi: NPI | None = None,
    ordering_npi: NPI | None = None,
    place_of_service: PlaceOfService | None = None,
    revenue_code: RevenueCode | None = None,
    encounter_id: str | None = None,
) -> ChargeEntry:
    """Enter one service priced from ``fee_schedule`` on ``on`` (the entry date).

    A code the schedule cannot price gives no charge and an error finding.
    """
    a_date(on, "$.on")
    mods = tuple(modifiers)
    price, findings = _price(fee_schedule, code, mods, service_date, "$")
    if price is None:
        return ChargeEntry(charges=(), findings=findings)
    charge = Charge(
        id=id, code=code, modifiers=mods, units=to_units(units), unit_price=price,
        service_date=service_date, diagnoses=tuple(diagnoses), rendering_npi=rendering_npi,
        ordering_npi=ordering_npi, place_of_service=place_of_service,
        revenue_code=revenue_code, encounter_id=encounter_id, entered_on=on,
    )
    return ChargeEntry(charges=(charge,), findings=findings)


def enter_revenue_charge(
    *,
    id: str,
    revenue_code: RevenueCode,
    rate: Money,
    service_date: date,
    on: date,
    units: Decimal | int = 1,
    code: ProcedureCode | None = None,
    modifiers: Iterable[Modifier] = (),
    diagnoses: Iterable[ICD10CM] = (),
    rendering_npi: NPI | None = None,
    encounter_id: str | None = None,
) -> ChargeEntry:
    """Enter one institutional service by revenue code at ``rate`` per unit (UB-04 FL 42-47).

    The hospital charge master prices accommodations and supplies by revenue code, not by
    procedure: ``enter_revenue_charge(revenue_code=RevenueCode("0120"), units=3,
    rate=Money(Decimal("500.00")), ...)`` is three days of room and board, 1500.00. ``code`` is
    the HCPCS code an outpatient or lab line also carries (837I ``SV202``). The amount is
    ``rate × units`` rounded half-up; a negative rate is refused.
    """
    a_date(on, "$.on")
    instance(revenue_code, RevenueCode, "$.revenue_code")
    charge = Charge(
        id=id, code=code, modifiers=tuple(modifiers), units=to_units(units), unit_price=rate,
        service_date=service_date, diagnoses=tuple(diagnoses), rendering_npi=rendering_npi,
        revenue_code=revenue_code, encounter_id=encounter_id, entered_on=on,
    )
    return ChargeEntry(charges=(charge,))


def enter_charges(
    coded_encounter: CodedEncounter,
    fee_schedule: FeeSchedule,
    *,
    on: date,
    id_prefix: str | None = None,
) -> ChargeEntry:
    """Price every procedure line of a coded encounter: one charge per line, entered on ``on``.

    Charge ids are ``{id_prefix}-{n}`` (the encounter id unless told), ``n`` the line's
    position from 1. Each charge carries the diagnoses its line points at, the line's place
    of service (else the encounter's) and rendering NPI. A line the schedule cannot price,
    or whose pointer names no diagnosis, gives no charge and an error finding located at
    ``$.procedures[i]``.
    """
    instance(coded_encounter, CodedEncounter, "$.coded_encounter")
    instance(fee_schedule, FeeSchedule, "$.fee_schedule")
    a_date(on, "$.on")
    prefix = coded_encounter.encounter.id.value if id_prefix is None else id_prefix
    diagnoses = coded_encounter.diagnoses
    encounter_pos = coded_encounter.encounter.place_of_service
    charges: list[Charge] = []
    findings: list[Finding] = []
    for i, line in enumerate(coded_encounter.procedures):
        location = f"$.procedures[{i}]"
        if any(p > len(diagnoses) for p in line.diagnosis_pointers):
            findings.append(Finding(
                edit_id="charge-pointer", severity=Severity.ERROR,
                message="a diagnosis pointer names no diagnosis of the encounter",
                location=f"{location}.diagnosis_pointers", carc=_UNLISTED_CARC,
            ))
            continue
        entry = enter_charge(
            id=f"{prefix}-{i + 1}", code=line.code, fee_schedule=fee_schedule,
            service_date=line.service_period.start, on=on, modifiers=line.modifiers,
            units=line.units,
            diagnoses=dict.fromkeys(diagnoses[p - 1].code for p in line.diagnosis_pointers),
            rendering_npi=line.rendering_provider,
            place_of_service=line.place_of_service or encounter_pos,
            encounter_id=coded_encounter.encounter.id.value,
        )
        charges.extend(entry.charges)
        findings.extend(attrs.evolve(f, location=location) for f in entry.findings)
    return ChargeEntry(charges=charges, findings=findings)


def enter_late_charge(
    *,
    id: str,
    code: ProcedureCode,
    fee_schedule: FeeSchedule,
    service_date: date,
    on: date,
    billed_on: date | None = None,
    max_lag_days: int = 3,
    modifiers: Iterable[Modifier] = (),
    units: Decimal | int = 1,
    diagnoses: Iterable[ICD10CM] = (),
    rendering_npi: NPI | None = None,
    place_of_service: PlaceOfService | None = None,
    revenue_code: RevenueCode | None = None,
    encounter_id: str | None = None,
) -> ChargeEntry:
    """Enter a charge found after the fact, with a warning when it is late.

    Late means entered after the claim for the encounter was billed (``billed_on``), or
    more than ``max_lag_days`` after the date of service. A late charge usually needs a
    replacement claim (frequency 7) rather than a new one.
    """
    an_int(max_lag_days, "$.max_lag_days", low=0)
    entry = enter_charge(
        id=id, code=code, fee_schedule=fee_schedule, service_date=service_date, on=on,
        modifiers=modifiers, units=units, diagnoses=diagnoses, rendering_npi=rendering_npi,
        place_of_service=place_of_service, revenue_code=revenue_code,
        encounter_id=encounter_id,
    )
    late: list[Finding] = []
    if billed_on is not None and a_date(billed_on, "$.billed_on") <= on:
        late.append(Finding(
            edit_id="late-charge-billed", severity=Severity.WARNING,
            message="charge entered after the claim was billed: send a replacement claim",
        ))
    lag = (on - service_date).days
    if lag > max_lag_days:
        late.append(Finding(
            edit_id="late-charge-lag", severity=Severity.WARNING,
            message=f"charge entered {lag} days after the date of service "
                    f"(limit {max_lag_days})",
        ))
    return attrs.evolve(entry, findings=(*entry.findings, *late))


def correct_charge(
    charge: Charge,
    *,
    new_id: str,
    on: date,
    code: ProcedureCode | None = None,
    modifiers: Iterable[Modifier] | None = None,
    units: Decimal | int | None = None,
    unit_price: Money | None = None,
    diagnoses: Iterable[ICD10CM] | None = None,
    service_date: date | None = None,
) -> tuple[Charge, Charge]:
    """Void ``charge`` and enter its corrected replacement: ``(voided original, replacement)``.

    Charges are never edited, so the ledger can reverse the original and post the
    replacement. Only an active charge can be corrected.
    """
    instance(charge, Charge, "$.charge")
    a_date(on, "$.on")
    if not charge.is_active:
        raise ValidationError(
            "only an active charge can be corrected", path="$.charge.status", rule="voided"
        )
    if new_id == charge.id:
        raise ValidationError(
            "the replacement needs an id of its own", path="$.new_id", rule="same-id"
        )
    new_units = charge.units if units is None else to_units(units)
    new_price = charge.unit_price if unit_price is None else unit_price
    replacement = Charge(
        id=new_id,
        code=charge.code if code is None else code,
        modifiers=charge.modifiers if modifiers is None else tuple(modifiers),
        units=new_units,
        unit_price=new_price,
        service_date=charge.service_date if service_date is None else service_date,
        diagnoses=charge.diagnoses if diagnoses is None else tuple(diagnoses),
        rendering_npi=charge.rendering_npi,
        ordering_npi=charge.ordering_npi,
        place_of_service=charge.place_of_service,
        revenue_code=charge.revenue_code,
        encounter_id=charge.encounter_id,
        entered_on=on,
        replaces=charge.id,
    )
    voided = attrs.evolve(charge, status=ChargeStatus.VOIDED, voided_by=new_id)
    return voided, replacement


def charge_lag(charge: Charge) -> int:
    """Days from the date of service to charge entry (0 for same-day entry)."""
    return (charge.entered_on - charge.service_date).days
