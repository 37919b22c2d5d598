"""The claim value and its parts: :class:`Claim`, :class:`ClaimLine` and what travels with them."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

import attrs

from claimcore._pickling import fast_pickle
from claimcore._validate import (
    a_date,
    a_decimal,
    an_int,
    aware_datetime,
    instance,
    is_plain_text,
    kind,
    members,
    optional_date,
    optional_instance,
    optional_text,
    text,
    to_tuple,
)
from claimcore.adjustments import Adjustment
from claimcore.codes import (
    CPT,
    DRG,
    HCPCS,
    ICD10CM,
    ICD10PCS,
    NDC,
    ClaimFrequency,
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
)
from claimcore.coverage import Coverage
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.ids import NPI, ClaimId, EncounterId, PayerClaimNumber, as_encounter_id
from claimcore.money import Money
from claimcore.patients import Patient
from claimcore.periods import Period
from claimcore.providers import Facility, Organization, Provider

__all__ = [
    "Adjudication",
    "AdjudicationOutcome",
    "AdmissionInfo",
    "Appeal",
    "Claim",
    "ClaimAdjustment",
    "ClaimEvent",
    "ClaimKind",
    "ClaimLine",
    "ClaimStatus",
    "InpatientProcedure",
    "LineAdjudication",
    "Occurrence",
    "OccurrenceSpan",
    "OtherPayer",
    "RejectionReason",
    "ValueAmount",
]

_CHARGE_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9./_:#-]{0,63}")
_CODE2: Final = re.compile(r"[0-9A-Z]{1,3}")
_CATEGORY: Final = re.compile(r"[A-Z][0-9]{1,2}")
_STATUS_CODE: Final = re.compile(r"[0-9]{1,5}")
_PRIOR_AUTH: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./_-]{0,49}")
_MAX_UNITS: Final = Decimal(99999)
_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)
_PROCEDURE: Final = (CPT, HCPCS)


def _modifiers(value: Iterable[Modifier]) -> tuple[Modifier, ...]:
    return to_tuple(value)


def _diagnoses(value: Iterable[ICD10CM]) -> tuple[ICD10CM, ...]:
    return to_tuple(value)


def _poa(value: Iterable[PresentOnAdmission | None]) -> tuple[PresentOnAdmission | None, ...]:
    # Nothing reported and every indicator blank are one state (the 837I cannot tell them
    # apart), so they are one value; so are "exempt" and blank (5010 has no "1").
    found = tuple(None if p is PresentOnAdmission.EXEMPT else p for p in to_tuple(value))
    return () if all(p is None for p in found) else found


def _conditions(value: Iterable[ConditionCode]) -> tuple[ConditionCode, ...]:
    return to_tuple(value)


def _occurrences(value: Iterable[Occurrence]) -> tuple[Occurrence, ...]:
    return to_tuple(value)


def _spans(value: Iterable[OccurrenceSpan]) -> tuple[OccurrenceSpan, ...]:
    return to_tuple(value)


def _values(value: Iterable[ValueAmount]) -> tuple[ValueAmount, ...]:
    return to_tuple(value)


def _procedures(value: Iterable[InpatientProcedure]) -> tuple[InpatientProcedure, ...]:
    return to_tuple(value)


def _to_units(value: Decimal | int) -> Decimal:
    # claimcore.charges.to_units, restated so that a claim does not load the charges
    # module (and through it coding and encounters) at import: an int becomes a Decimal;
    # the rest, a float included, is checked in ClaimLine's post-init.
    if type(value) is int:
        return Decimal(value)
    return value  # type: ignore[return-value]


def _adjustments(value: Iterable[ClaimAdjustment]) -> tuple[ClaimAdjustment, ...]:
    return to_tuple(value)


def _line_adjudications(value: Iterable[LineAdjudication]) -> tuple[LineAdjudication, ...]:
    return to_tuple(value)


def _lines(value: Iterable[ClaimLine]) -> tuple[ClaimLine, ...]:
    return to_tuple(value)


def _other_payers(value: Iterable[OtherPayer]) -> tuple[OtherPayer, ...]:
    return to_tuple(value)


def _events(value: Iterable[ClaimEvent]) -> tuple[ClaimEvent, ...]:
    return to_tuple(value)


def _rejections(value: Iterable[RejectionReason]) -> tuple[RejectionReason, ...]:
    return to_tuple(value)


def _appeals(value: Iterable[Appeal]) -> tuple[Appeal, ...]:
    return to_tuple(value)


def _pointers(value: Iterable[int]) -> tuple[int, ...]:
    return to_tuple(value)


class ClaimKind(enum.StrEnum):
    """Professional (837P, CMS-1500) or institutional (837I, UB-04) billing."""

    PROFESSIONAL = "professional"
    INSTITUTIONAL = "institutional"


class ClaimStatus(enum.StrEnum):
    """Where a claim is in its life (see :data:`claimcore.claims.TRANSITIONS`)."""

    DRAFT = "draft"
    READY = "ready"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    ADJUDICATED = "adjudicated"
    APPEALED = "appealed"
    CLOSED = "closed"
    VOIDED = "voided"
    REPLACED = "replaced"


class AdjudicationOutcome(enum.StrEnum):
    """The payer's decision on a claim, as money sees it."""

    PAID = "paid"
    PARTIALLY_PAID = "partially_paid"
    DENIED = "denied"
    ZERO_PAID = "zero_paid"


@fast_pickle
@attrs.frozen(kw_only=True)
class ClaimEvent:
    """One step of a claim's history: from which status to which, when, and why.

    FHIR: the ``Claim``/``Task`` audit trail; X12: what 277CA and 835 responses record.
    """

    from_status: ClaimStatus
    to_status: ClaimStatus
    at: datetime
    reason: str | None = None

    def __attrs_post_init__(self) -> None:
        # Every transition adds an event, so a claim's history grows with its life.
        at, reason = self.at, self.reason
        if (
            type(self.from_status) is ClaimStatus and type(self.to_status) is ClaimStatus
            and type(at) is datetime and at.tzinfo is not None and at.utcoffset() is not None
            and (reason is None or is_plain_text(reason, 500))
        ):
            return
        self._check_in_detail()

    def _check_in_detail(self) -> None:
        instance(self.from_status, ClaimStatus, "$.from_status")
        instance(self.to_status, ClaimStatus, "$.to_status")
        aware_datetime(self.at, "$.at")
        optional_text(self.reason, "$.reason", max_len=500)


@fast_pickle
@attrs.frozen(kw_only=True)
class RejectionReason:
    """Why a payer or clearinghouse rejected a claim, as a 277CA carries it.

    ``category`` is the claim status category code (``A3`` returned as unprocessable,
    ``A6`` missing information, ``A7`` invalid information), ``status_code`` the claim
    status code (``21`` missing or invalid information, ...), ``entity`` the entity
    identifier code it concerns (``85`` billing provider, ``IL`` subscriber, ``QC``
    patient). X12 277CA ``STC01-1``, ``STC01-2``, ``STC01-3``; ``text`` is ``STC12``
    (kept out of ``repr``: payers sometimes quote PHI there).
    """

    category: str
    status_code: str
    entity: str | None = None
    text: str | None = attrs.field(default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        text(self.category, "$.category", pattern=_CATEGORY,
             expected="a claim status category code such as A3, A6 or A7")
        text(self.status_code, "$.status_code", pattern=_STATUS_CODE,
             expected="a claim status code of 1 to 5 digits")
        optional_text(self.entity, "$.entity", pattern=_CODE2,
                      expected="an entity identifier code such as 85, IL or QC")
        optional_text(self.text, "$.text", max_len=264, phi=True)


ClaimAdjustment = Adjustment
"""One adjustment a payer made (X12 ``CAS``): the claim-side name of
:class:`~claimcore.adjustments.Adjustment`, the very class an 835 carries."""


@fast_pickle
@attrs.frozen(kw_only=True)
class LineAdjudication:
    """How a payer adjudicated one line of the claim (837 loop 2430: ``SVD``, ``CAS``)."""

    line_number: int
    paid: Money
    adjustments: tuple[ClaimAdjustment, ...] = attrs.field(default=(), converter=_adjustments)

    def __attrs_post_init__(self) -> None:
        an_int(self.line_number, "$.line_number", low=1, high=999)
        instance(self.paid, Money, "$.paid")
        members(self.adjustments, ClaimAdjustment, "$.adjustments")


@fast_pickle
@attrs.frozen(kw_only=True)
class OtherPayer:
    """A payer that already adjudicated the claim, for a secondary or tertiary claim.

    What the 837 carries for coordination of benefits: loop 2320 (the other
    subscriber's coverage, ``AMT*D`` paid, claim-level ``CAS``), 2330B (the payer) and
    2430 (line adjudication ``SVD``/``CAS``, date ``DTP*573``).
    """

    coverage: Coverage = attrs.field(repr=False)
    paid: Money
    adjustments: tuple[ClaimAdjustment, ...] = attrs.field(default=(), converter=_adjustments)
    lines: tuple[LineAdjudication, ...] = attrs.field(default=(), converter=_line_adjudications)
    adjudicated_on: date

    def __attrs_post_init__(self) -> None:
        instance(self.coverage, Coverage, "$.coverage")
        instance(self.paid, Money, "$.paid")
        members(self.adjustments, ClaimAdjustment, "$.adjustments")
        members(self.lines, LineAdjudication, "$.lines")
        a_date(self.adjudicated_on, "$.adjudicated_on")


@fast_pickle
@attrs.frozen(kw_only=True)
class Adjudication:
    """The payer's result for a claim: outcome, amount paid, its claim number, the date.

    X12 835 ``CLP`` (``CLP04`` paid, ``CLP05`` patient responsibility, ``CLP07`` payer
    claim control number); FHIR ``ClaimResponse``.
    """

    outcome: AdjudicationOutcome
    paid: Money
    payer_claim_number: PayerClaimNumber
    on: date
    patient_responsibility: Money = attrs.field(factory=Money.zero)
    allowed: Money | None = None
    adjustments: tuple[ClaimAdjustment, ...] = attrs.field(default=(), converter=_adjustments)

    def __attrs_post_init__(self) -> None:
        instance(self.outcome, AdjudicationOutcome, "$.outcome")
        instance(self.paid, Money, "$.paid")
        instance(self.payer_claim_number, PayerClaimNumber, "$.payer_claim_number")
        a_date(self.on, "$.on")
        instance(self.patient_responsibility, Money, "$.patient_responsibility")
        optional_instance(self.allowed, Money, "$.allowed")
        members(self.adjustments, ClaimAdjustment, "$.adjustments")
        if self.patient_responsibility.amount < 0:
            raise ValidationError(
                "must not be negative", path="$.patient_responsibility", rule="negative"
            )
        paid = self.paid.amount
        outcome = self.outcome
        if outcome in (AdjudicationOutcome.PAID, AdjudicationOutcome.PARTIALLY_PAID):
            if paid <= 0:
                raise ValidationError(
                    f"a {outcome.value} claim has a positive payment", path="$.paid",
                    rule="outcome-paid",
                )
        elif paid != 0:
            raise ValidationError(
                f"a {outcome.value} claim has no payment", path="$.paid", rule="outcome-paid"
            )


@fast_pickle
@attrs.frozen(kw_only=True)
class Appeal:
    """A request that the payer reconsider its decision, at one level of its appeal process.

    ``deadline`` is the last day to file (from the adjudication date and the level's
    days); ``amount_in_controversy`` what is disputed.
    """

    level: int
    filed_on: date
    deadline: date
    amount_in_controversy: Money
    reason: str | None = None

    def __attrs_post_init__(self) -> None:
        an_int(self.level, "$.level", low=1, high=20)
        a_date(self.filed_on, "$.filed_on")
        a_date(self.deadline, "$.deadline")
        instance(self.amount_in_controversy, Money, "$.amount_in_controversy")
        optional_text(self.reason, "$.reason", max_len=500)
        if self.filed_on > self.deadline:
            raise ValidationError(
                "an appeal is filed on or before its deadline", path="$.filed_on",
                rule="appeal-deadline",
            )


@fast_pickle
@attrs.frozen(kw_only=True)
class AdmissionInfo:
    """The admission data of an institutional claim (UB-04 form locators 6, 12-17).

    ``statement_period`` is FL 6 (X12 ``DTP*434``); ``admission_date`` and
    ``admission_hour`` FL 12-13 (``DTP*435``); ``admission_type`` FL 14 and
    ``admission_source`` FL 15 (``CL101``, ``CL102``); ``discharge_hour`` FL 16
    (``DTP*096``); ``discharge_status`` FL 17, the patient status code (``CL103``).
    """

    statement_period: Period
    admission_date: date | None = None
    admission_hour: int | None = None
    admission_type: str | None = None
    admission_source: str | None = None
    discharge_date: date | None = None
    discharge_hour: int | None = None
    discharge_status: str | None = None

    def __attrs_post_init__(self) -> None:
        instance(self.statement_period, Period, "$.statement_period")
        if self.statement_period.end is None:
            raise ValidationError(
                "a statement period has a through date", path="$.statement_period.end",
                rule="open-period",
            )
        optional_date(self.admission_date, "$.admission_date")
        if self.admission_hour is not None:
            an_int(self.admission_hour, "$.admission_hour", low=0, high=23)
        optional_text(self.admission_type, "$.admission_type", pattern=re.compile(r"[1-9]"),
                      expected="a priority (type) of admission code, 1 to 9")
        optional_text(self.admission_source, "$.admission_source",
                      pattern=re.compile(r"[0-9A-Z]"),
                      expected="a point of origin (source) code: one digit or letter")
        optional_date(self.discharge_date, "$.discharge_date")
        if self.discharge_hour is not None:
            an_int(self.discharge_hour, "$.discharge_hour", low=0, high=23)
        optional_text(self.discharge_status, "$.discharge_status",
                      pattern=re.compile(r"[0-9]{2}"),
                      expected="a two-digit patient discharge status code")


@fast_pickle
@attrs.frozen(kw_only=True)
class Occurrence:
    """An occurrence code and the date it happened (UB-04 FL 31-34; 837I ``HI*BH``, ``D8``).

    >>> Occurrence(code=OccurrenceCode("11"), on=date(2026, 1, 2)).code
    OccurrenceCode('11')
    """

    code: OccurrenceCode
    on: date

    def __attrs_post_init__(self) -> None:
        instance(self.code, OccurrenceCode, "$.code")
        a_date(self.on, "$.on")


@fast_pickle
@attrs.frozen(kw_only=True)
class OccurrenceSpan:
    """An occurrence span code and its from and through dates (UB-04 FL 35-36; 837I
    ``HI*BI``, ``RD8``)."""

    code: OccurrenceSpanCode
    period: Period

    def __attrs_post_init__(self) -> None:
        instance(self.code, OccurrenceSpanCode, "$.code")
        instance(self.period, Period, "$.period")
        if self.period.end is None:
            raise ValidationError("an occurrence span has a through date",
                                  path="$.period.end", rule="open-period")


@fast_pickle
@attrs.frozen(kw_only=True)
class ValueAmount:
    """A value code and its amount (UB-04 FL 39-41; 837I ``HI*BE``, amount in ``HI0x-5``).

    Most value codes are money (``12`` what a working-aged plan paid, ``06`` the blood
    deductible); some count (``80`` covered days). Both travel as the ``amount``: a
    count of days is written as that many units (``Money(3)`` for three days), as
    the UB-04 prints it. Whether an amount is plausible for its code is a scrub edit.
    """

    code: ValueCode
    amount: Money

    def __attrs_post_init__(self) -> None:
        instance(self.code, ValueCode, "$.code")
        instance(self.amount, Money, "$.amount")


@fast_pickle
@attrs.frozen(kw_only=True)
class InpatientProcedure:
    """An ICD-10-PCS procedure and the day it was performed (UB-04 FL 74, 74a-e).

    The claim's first is the principal procedure (837I ``HI*BBR``), the others ``BBQ``;
    the date is required by the guide (``HI0x-3`` ``D8``). FHIR ``Claim.procedure``.
    """

    code: ICD10PCS
    on: date

    def __attrs_post_init__(self) -> None:
        instance(self.code, ICD10PCS, "$.code")
        a_date(self.on, "$.on")


def trusted_line(**fields: Any) -> ClaimLine:
    """A :class:`ClaimLine` from parts already known valid, without running its check.

    The per-call fast path for the claim builder, which assembles lines from checked
    charges: every field must be given and valid. Never exposed as a global switch.
    """
    line = object.__new__(ClaimLine)
    for name in _LINE_FIELDS:
        object.__setattr__(line, name, fields[name])
    return line


def _fail_units(value: object, path: str) -> None:
    if isinstance(value, float):
        raise TypeMismatch("must be a Decimal or int, not a float", path=path, rule="no-float")
    units = a_decimal(value, path)
    if units < 0 or units > _MAX_UNITS:
        raise ValidationError(
            f"must be between 0 and {_MAX_UNITS}", path=path, rule="range"
        )
    raise ValidationError("must have at most 3 decimal places", path=path, rule="places")


@fast_pickle
@attrs.frozen(kw_only=True)
class ClaimLine:
    """One service line of a claim.

    Professional lines carry a procedure code (CPT or HCPCS), up to four modifiers and
    diagnosis pointers (1-based positions in the claim's diagnoses); institutional lines
    carry a revenue code and, for outpatient services, a procedure code. Limits beyond
    the types (4 modifiers, 4 pointers, positive units and charges) are scrubbing edits,
    so that a claim read from a payer's file can still be held and reported on.

    X12 837P loop 2400 (``LX``, ``SV1``, ``DTP*472``, ``LIN`` for the NDC, ``REF*6R``
    for the charge id); 837I loop 2400 (``SV2``); FHIR ``Claim.item``.
    """

    line_number: int
    procedure: ProcedureCode | None = None
    revenue_code: RevenueCode | None = None
    modifiers: tuple[Modifier, ...] = attrs.field(default=(), converter=_modifiers)
    units: Decimal = attrs.field(default=Decimal(1), converter=_to_units)
    charge: Money
    service_period: Period
    pointers: tuple[int, ...] = attrs.field(default=(), converter=_pointers)
    rendering_npi: NPI | None = None
    ndc: NDC | None = None
    charge_id: str | None = None

    def __attrs_post_init__(self) -> None:
        # Ten lines a claim: prove the common valid line inline, with exact types only
        # (a subclass, a float, a missing through date, ... take the detailed checks below,
        # which accept or refuse exactly as before and name the error). Units with
        # exponent 0 need no places test, so the costly ``as_tuple`` runs only for others.
        procedure, revenue = self.procedure, self.revenue_code
        n, units, period = self.line_number, self.units, self.service_period
        npi, charge_id = self.rendering_npi, self.charge_id
        if (
            type(n) is int and 1 <= n <= 9999
            and (type(procedure) is CPT or type(procedure) is HCPCS
                 or (procedure is None and type(revenue) is RevenueCode))
            and (revenue is None or type(revenue) is RevenueCode)
            and type(units) is Decimal and units.same_quantum(_ONE)
            and _ZERO <= units <= _MAX_UNITS
            and type(self.charge) is Money
            and type(period) is Period and period.end is not None
            and (npi is None or type(npi) is NPI)
            and self.ndc is None
            and (charge_id is None or (type(charge_id) is str
                                       and _CHARGE_ID.fullmatch(charge_id) is not None))
        ):
            modifiers, pointers = self.modifiers, self.pointers
            if type(modifiers) is tuple and type(pointers) is tuple:
                for m in modifiers:
                    if type(m) is not Modifier:
                        break
                else:
                    for p in pointers:
                        if type(p) is not int or p < 1:
                            break
                    else:
                        return
        self._check_in_detail()

    def _check_in_detail(self) -> None:
        n = self.line_number
        if type(n) is not int or not 1 <= n <= 9999:
            an_int(n, "$.line_number", low=1, high=9999)
        procedure = self.procedure
        if procedure is not None and not isinstance(procedure, _PROCEDURE):
            raise TypeMismatch(
                f"must be a CPT or HCPCS code, got {kind(procedure)}", path="$.procedure",
                rule="type",
            )
        revenue = self.revenue_code
        if revenue is not None and type(revenue) is not RevenueCode:
            instance(revenue, RevenueCode, "$.revenue_code")
        if procedure is None and revenue is None:
            raise ValidationError(
                "a line has a procedure code, a revenue code or both", path="$.procedure",
                rule="no-service-code",
            )
        modifiers = self.modifiers
        if type(modifiers) is not tuple or any(type(m) is not Modifier for m in modifiers):
            members(modifiers, Modifier, "$.modifiers")
        units = self.units
        if (
            type(units) is not Decimal
            or not units.is_finite()
            or units < _ZERO
            or units > _MAX_UNITS
            or units.as_tuple().exponent < -3  # type: ignore[operator]
        ):
            _fail_units(units, "$.units")
        if type(self.charge) is not Money:
            instance(self.charge, Money, "$.charge")
        period = self.service_period
        if type(period) is not Period:
            instance(period, Period, "$.service_period")
        if period.end is None:
            raise ValidationError(
                "a service period has a through date", path="$.service_period.end",
                rule="open-period",
            )
        pointers = self.pointers
        if type(pointers) is not tuple:
            members(pointers, int, "$.pointers")
        for i, p in enumerate(pointers):
            if type(p) is not int or p < 1:
                an_int(p, f"$.pointers[{i}]", low=1)
        npi = self.rendering_npi
        if npi is not None and type(npi) is not NPI:
            instance(npi, NPI, "$.rendering_npi")
        if self.ndc is not None:
            instance(self.ndc, NDC, "$.ndc")
        if self.charge_id is not None:
            text(self.charge_id, "$.charge_id", pattern=_CHARGE_ID, expected="a charge id")

    @property
    def from_date(self) -> date:
        """The first day of service (X12 ``DTP*472``)."""
        return self.service_period.start

    @property
    def through_date(self) -> date:
        """The last day of service."""
        return self.service_period.end or self.service_period.start


_LINE_FIELDS: Final = tuple(f.name for f in attrs.fields(ClaimLine))
_INSTITUTIONAL_ONLY: Final = (
    "present_on_admission", "condition_codes", "occurrences", "occurrence_spans",
    "value_codes", "drg", "procedures",
)


def _encounter(value: EncounterId | str | None) -> EncounterId | None:
    return None if value is None else as_encounter_id(value, "$.encounter")


@fast_pickle
@attrs.frozen(kw_only=True, repr=False)
class Claim:
    """A claim for payment: who was treated, under which coverage, by whom, for what.

    ``kind`` says professional (837P, CMS-1500) or institutional (837I, UB-04).
    ``diagnoses`` are in order: the first is the principal diagnosis (837 ``HI*ABK``),
    the others ``ABF``; lines point at them by position. ``total_charge`` is derived:
    always the sum of the lines, so a claim evolved with new lines has the new total
    (the constructor still accepts ``total_charge`` and checks that it is that sum).
    ``encounter`` names the encounter the claim bills (:func:`build_claim` fills it in
    from the charges; it travels to corrections, voids, replacements and secondary
    claims, and posting files the claim's transfers under it). ``frequency`` is
    ``1`` for an original claim, ``7`` a replacement and ``8`` a void, and the payer's
    ``original_claim_number`` is given if and only if the frequency is 7 or 8.

    Institutional claims carry what the UB-04 prints beside: ``present_on_admission``,
    a tuple parallel to ``diagnoses`` (one :class:`~claimcore.codes.PresentOnAdmission`
    or ``None`` for an exempt code per diagnosis, or empty when none is reported: FL 67
    8th character, 837I ``HI0x-9``), so ``diagnoses`` stays a tuple of codes for every
    caller and :attr:`diagnoses_on_admission` pairs them; ``condition_codes`` (FL 18-28,
    ``HI*BG``), ``occurrences`` (FL 31-34, ``HI*BH``), ``occurrence_spans`` (FL 35-36,
    ``HI*BI``), ``value_codes`` (FL 39-41, ``HI*BE``), the ``drg`` (FL 71, ``HI*DR``) and
    the ICD-10-PCS ``procedures``, principal first (FL 74, ``HI*BBR``/``BBQ``). A
    professional claim carrying any of them is refused (the 837P has no place for them).

    ``status``, ``history``, ``revision`` (bumped by every correction, so a scrub report
    matches one version only), ``payer_claim_number``, ``rejections``, ``adjudication``
    and ``appeals`` are kept by the lifecycle functions in :mod:`claimcore.claims`.

    X12 837P/837I loop 2300 (``CLM``: ``CLM01`` id, ``CLM02`` total, ``CLM05`` place of
    service or type of bill with the frequency, ``REF*F8`` original claim number,
    ``REF*G1`` prior authorization); FHIR ``Claim``. PHI stays out of ``repr``.
    """

    id: ClaimId
    kind: ClaimKind
    encounter: EncounterId | None = attrs.field(default=None, converter=_encounter)
    patient: Patient
    coverage: Coverage
    billing_provider: Organization
    rendering_provider: Provider | None = None
    referring_provider: Provider | None = None
    attending_provider: Provider | None = None
    facility: Facility | None = None
    place_of_service: PlaceOfService | None = None
    type_of_bill: TypeOfBill | None = None
    admission: AdmissionInfo | None = None
    diagnoses: tuple[ICD10CM, ...] = attrs.field(converter=_diagnoses)
    present_on_admission: tuple[PresentOnAdmission | None, ...] = attrs.field(
        default=(), converter=_poa
    )
    admitting_diagnosis: ICD10CM | None = None
    condition_codes: tuple[ConditionCode, ...] = attrs.field(default=(),
                                                             converter=_conditions)
    occurrences: tuple[Occurrence, ...] = attrs.field(default=(), converter=_occurrences)
    occurrence_spans: tuple[OccurrenceSpan, ...] = attrs.field(default=(), converter=_spans)
    value_codes: tuple[ValueAmount, ...] = attrs.field(default=(), converter=_values)
    drg: DRG | None = None
    procedures: tuple[InpatientProcedure, ...] = attrs.field(default=(),
                                                             converter=_procedures)
    lines: tuple[ClaimLine, ...] = attrs.field(converter=_lines)
    _given_total: Money | None = attrs.field(
        default=None, alias="total_charge", eq=False, repr=False
    )
    """Only what a caller passed as ``total_charge``, to be checked; ``None`` once built,
    so that :func:`attrs.evolve` never carries an old total to new lines."""
    total_charge: Money = attrs.field(init=False)
    frequency: ClaimFrequency = ClaimFrequency.ORIGINAL
    original_claim_number: PayerClaimNumber | None = None
    prior_authorization: str | None = None
    other_payers: tuple[OtherPayer, ...] = attrs.field(default=(), converter=_other_payers)
    status: ClaimStatus = ClaimStatus.DRAFT
    history: tuple[ClaimEvent, ...] = attrs.field(default=(), converter=_events)
    revision: int = 0
    payer_claim_number: PayerClaimNumber | None = None
    rejections: tuple[RejectionReason, ...] = attrs.field(default=(), converter=_rejections)
    adjudication: Adjudication | None = None
    appeals: tuple[Appeal, ...] = attrs.field(default=(), converter=_appeals)

    def __attrs_post_init__(self) -> None:
        if not self._check_fast():
            self._check_in_detail()

    def _check_fast(self) -> bool:
        """The checks of :meth:`_check_in_detail` for the common valid claim, with exact
        types only; ``False`` (nothing set) as soon as one does not pass, so that the
        detailed checks run from the start and raise the error they always raised. Each
        step runs only once every step before it is proved, in the detailed order, so a
        detailed helper called here raises what the detailed path would."""
        enc, adm = self.encounter, self.admission
        rendering, referring = self.rendering_provider, self.referring_provider
        attending, facility = self.attending_provider, self.facility
        pos, tob = self.place_of_service, self.type_of_bill
        if not (
            type(self.id) is ClaimId
            and type(self.kind) is ClaimKind
            and (enc is None or type(enc) is EncounterId)
            and type(self.patient) is Patient
            and type(self.coverage) is Coverage
            and type(self.billing_provider) is Organization
            and (rendering is None or type(rendering) is Provider)
            and (referring is None or type(referring) is Provider)
            and (attending is None or type(attending) is Provider)
            and (facility is None or type(facility) is Facility)
            and (pos is None or type(pos) is PlaceOfService)
            and (tob is None or type(tob) is TypeOfBill)
            and (adm is None or type(adm) is AdmissionInfo)
        ):
            return False
        diagnoses = self.diagnoses
        if type(diagnoses) is not tuple:
            return False
        for dx in diagnoses:
            if type(dx) is not ICD10CM:
                return False
        # Two codes of one exact type are equal when their strings are: counting the
        # strings avoids a Python-level hash per code.
        if len({dx.code for dx in diagnoses}) != len(diagnoses):
            return False
        admitting = self.admitting_diagnosis
        if admitting is not None and type(admitting) is not ICD10CM:
            return False
        poa, conditions, occurrences = (
            self.present_on_admission, self.condition_codes, self.occurrences
        )
        spans, values, procedures = self.occurrence_spans, self.value_codes, self.procedures
        if not (
            type(poa) is tuple and type(conditions) is tuple and type(occurrences) is tuple
            and type(spans) is tuple and type(values) is tuple and type(procedures) is tuple
        ):
            return False
        if (
            poa or conditions or occurrences or spans or values or procedures
            or self.drg is not None
        ):
            # What only an institutional claim carries: its detailed check, in its place.
            self._check_institutional()
        lines = self.lines
        if type(lines) is not tuple or not lines or type(lines[0]) is not ClaimLine:
            return False
        total = _ZERO
        currency = lines[0].charge.currency
        for i, line in enumerate(lines, 1):
            if (
                type(line) is not ClaimLine or line.line_number != i
                or line.charge.currency != currency
            ):
                return False
            total += line.charge.amount
        given = self._given_total
        if given is not None and (
            type(given) is not Money or given.amount != total or given.currency != currency
        ):
            return False
        total_charge = Money(total, currency)
        frequency, original = self.frequency, self.original_claim_number
        if (
            type(frequency) is not ClaimFrequency
            or (original is not None and type(original) is not PayerClaimNumber)
            or (frequency is ClaimFrequency.REPLACEMENT or frequency is ClaimFrequency.VOID)
            != (original is not None)
        ):
            return False
        auth = self.prior_authorization
        if auth is not None and (type(auth) is not str or _PRIOR_AUTH.fullmatch(auth) is None):
            return False
        others, history, rejections, appeals = (
            self.other_payers, self.history, self.rejections, self.appeals
        )
        if not (
            type(others) is tuple and type(history) is tuple and type(rejections) is tuple
            and type(appeals) is tuple
        ):
            return False
        if others or history or rejections or appeals:
            lifecycle: tuple[tuple[tuple[object, ...], type], ...] = (
                (others, OtherPayer), (history, ClaimEvent),
                (rejections, RejectionReason), (appeals, Appeal),
            )
            for kept, cls in lifecycle:
                for v in kept:
                    if type(v) is not cls:
                        return False
        rev, number, adjudication = self.revision, self.payer_claim_number, self.adjudication
        if not (
            type(self.status) is ClaimStatus
            and type(rev) is int and rev >= 0
            and (number is None or type(number) is PayerClaimNumber)
            and (adjudication is None or type(adjudication) is Adjudication)
        ):
            return False
        if given is not None:
            object.__setattr__(self, "_given_total", None)
        object.__setattr__(self, "total_charge", total_charge)
        return True

    def _check_in_detail(self) -> None:
        if type(self.id) is not ClaimId:
            instance(self.id, ClaimId, "$.id")
        instance(self.kind, ClaimKind, "$.kind")
        optional_instance(self.encounter, EncounterId, "$.encounter")
        instance(self.patient, Patient, "$.patient")
        instance(self.coverage, Coverage, "$.coverage")
        instance(self.billing_provider, Organization, "$.billing_provider")
        optional_instance(self.rendering_provider, Provider, "$.rendering_provider")
        optional_instance(self.referring_provider, Provider, "$.referring_provider")
        optional_instance(self.attending_provider, Provider, "$.attending_provider")
        optional_instance(self.facility, Facility, "$.facility")
        optional_instance(self.place_of_service, PlaceOfService, "$.place_of_service")
        optional_instance(self.type_of_bill, TypeOfBill, "$.type_of_bill")
        optional_instance(self.admission, AdmissionInfo, "$.admission")
        diagnoses = members(self.diagnoses, ICD10CM, "$.diagnoses")
        if len(set(diagnoses)) != len(diagnoses):
            raise ValidationError(
                "lists a diagnosis twice (lines point at each by its position)",
                path="$.diagnoses", rule="duplicate-diagnosis",
            )
        optional_instance(self.admitting_diagnosis, ICD10CM, "$.admitting_diagnosis")
        self._check_institutional()
        lines = self.lines
        if type(lines) is not tuple:
            members(lines, ClaimLine, "$.lines")
        if not lines:
            raise ValidationError("a claim has at least one line", path="$.lines",
                                  rule="empty")
        total = _ZERO
        currency = lines[0].charge.currency if type(lines[0]) is ClaimLine else ""
        for i, line in enumerate(lines, 1):
            if type(line) is not ClaimLine:
                members(lines, ClaimLine, "$.lines")
            if line.line_number != i:
                raise ValidationError(
                    f"lines are numbered 1, 2, 3, ... in order; expected {i}",
                    path=f"$.lines[{i - 1}].line_number", rule="line-number",
                )
            if line.charge.currency != currency:
                raise ValidationError(
                    f"must be in the claim's currency ({currency})",
                    path=f"$.lines[{i - 1}].charge", rule="currency",
                )
            total += line.charge.amount
        given = self._given_total
        if given is not None:
            if type(given) is not Money:
                instance(given, Money, "$.total_charge")
            if given.amount != total or given.currency != currency:
                raise ValidationError(
                    "must equal the sum of the line charges", path="$.total_charge",
                    rule="total",
                )
            object.__setattr__(self, "_given_total", None)
        object.__setattr__(self, "total_charge", Money(total, currency))
        instance(self.frequency, ClaimFrequency, "$.frequency")
        optional_instance(self.original_claim_number, PayerClaimNumber,
                          "$.original_claim_number")
        wants_original = self.frequency in (ClaimFrequency.REPLACEMENT, ClaimFrequency.VOID)
        if wants_original != (self.original_claim_number is not None):
            raise ValidationError(
                "the payer's original claim number is given if and only if the frequency "
                "is 7 (replacement) or 8 (void)",
                path="$.original_claim_number", rule="frequency",
            )
        optional_text(self.prior_authorization, "$.prior_authorization",
                      pattern=_PRIOR_AUTH, expected="1 to 50 letters, digits or ./_- ")
        members(self.other_payers, OtherPayer, "$.other_payers")
        instance(self.status, ClaimStatus, "$.status")
        members(self.history, ClaimEvent, "$.history")
        rev = self.revision
        if type(rev) is not int or rev < 0:
            an_int(rev, "$.revision", low=0)
        optional_instance(self.payer_claim_number, PayerClaimNumber, "$.payer_claim_number")
        members(self.rejections, RejectionReason, "$.rejections")
        optional_instance(self.adjudication, Adjudication, "$.adjudication")
        members(self.appeals, Appeal, "$.appeals")

    def _check_institutional(self) -> None:
        poa = self.present_on_admission
        if type(poa) is not tuple:
            raise TypeMismatch("must be a tuple", path="$.present_on_admission", rule="type")
        for i, p in enumerate(poa):
            optional_instance(p, PresentOnAdmission, f"$.present_on_admission[{i}]")
        if poa and len(poa) != len(self.diagnoses):
            raise ValidationError(
                f"gives one indicator (or None) per diagnosis: {len(self.diagnoses)} "
                f"diagnoses, {len(poa)} indicators", path="$.present_on_admission",
                rule="poa-count",
            )
        members(self.condition_codes, ConditionCode, "$.condition_codes")
        members(self.occurrences, Occurrence, "$.occurrences")
        members(self.occurrence_spans, OccurrenceSpan, "$.occurrence_spans")
        members(self.value_codes, ValueAmount, "$.value_codes")
        optional_instance(self.drg, DRG, "$.drg")
        members(self.procedures, InpatientProcedure, "$.procedures")
        if self.kind is ClaimKind.INSTITUTIONAL:
            return
        for name in _INSTITUTIONAL_ONLY:
            if getattr(self, name):
                raise ValidationError(
                    "only an institutional claim (837I, UB-04) carries it",
                    path=f"$.{name}", rule="institutional-only",
                )

    @property
    def diagnoses_on_admission(self) -> tuple[tuple[ICD10CM, PresentOnAdmission | None], ...]:
        """Each diagnosis with its present-on-admission indicator (``None``: not reported
        or exempt), in claim order: UB-04 FL 67 with its 8th character."""
        poa = self.present_on_admission or (None,) * len(self.diagnoses)
        return tuple(zip(self.diagnoses, poa, strict=True))

    @property
    def principal_procedure(self) -> InpatientProcedure | None:
        """The first ICD-10-PCS procedure (837I ``HI*BBR``), if any."""
        return self.procedures[0] if self.procedures else None

    @property
    def is_professional(self) -> bool:
        return self.kind is ClaimKind.PROFESSIONAL

    @property
    def principal_diagnosis(self) -> ICD10CM | None:
        """The first diagnosis (837I ``HI*ABK``), or ``None`` on a claim without any."""
        return self.diagnoses[0] if self.diagnoses else None

    @property
    def service_period(self) -> Period:
        """From the first line's from-date to the last line's through-date."""
        start = min(line.from_date for line in self.lines)
        end = max(line.through_date for line in self.lines)
        return Period(start, end)

    def __repr__(self) -> str:
        return (
            f"Claim(id={self.id.value!r}, kind={self.kind.value}, status={self.status.value}, "
            f"frequency={self.frequency.value}, lines={len(self.lines)}, "
            f"total_charge={self.total_charge!r})"
        )
