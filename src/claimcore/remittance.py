"""The 835 remittance advice as values: what a payer paid, adjusted and why.

A :class:`Remittance` is one 835 transaction: a payment (``BPR``, ``TRN``) from a payer to
a payee, made of :class:`ClaimPayment` records (loop 2100, ``CLP``) with their
:class:`ServicePayment` lines (loop 2110, ``SVC``), the claim adjustments (``CAS``) on
either level as :class:`~claimcore.adjustments.Adjustment` values (re-exported here as
``Adjustment``: the same class a secondary claim's loop 2430 carries), and provider-level
adjustments (``PLB``) as :class:`ProviderAdjustment` values. Nothing here reads X12
text: this module says what a remittance means and refuses one that does not add up.

Construction checks the three balancing rules of the 835 (X12 005010X221A1, section
1.10.2):

* per service line (rule ``line-balance``): charge - line adjustments = paid;
* per claim (``claim-balance``): charge - (claim adjustments + every line's adjustments)
  = paid;
* per remittance (``payment-balance``): the sum of claim payments - the provider-level
  adjustments = the payment amount (``BPR02``).

A positive adjustment lowers the payment, a negative one raises it. A reversal (claim
status 22) carries the original's amounts negated: :func:`reverse` builds it.

>>> from decimal import Decimal
>>> from claimcore.codes import CARC, AdjustmentGroup
>>> from claimcore.money import Money
>>> co45 = Adjustment(
...     group=AdjustmentGroup("CO"), reason=CARC("45"), amount=Money(Decimal("50.00"))
... )
>>> co45.amount
Money('50.00')
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    Rounded,
)
from types import MappingProxyType
from typing import Final

import attrs

from claimcore._validate import (
    a_date,
    a_decimal,
    instance,
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
    HCPCS,
    RARC,
    AdjustmentGroup,
    ClaimFrequency,
    ClaimStatusCode,
    Modifier,
    RevenueCode,
)
from claimcore.errors import ValidationError
from claimcore.ids import NPI, ClaimId, PayerClaimNumber, PayerId, TaxId
from claimcore.money import Money
from claimcore.periods import Period

__all__ = [
    "Adjustment",
    "ClaimPayment",
    "CrossoverCarrier",
    "Payee",
    "PaymentMethod",
    "ProviderAdjustment",
    "ProviderAdjustmentReason",
    "Remittance",
    "RemittancePayer",
    "ServicePayment",
    "reverse",
]

_NAME_MAX: Final = 60
_MAX_MODIFIERS: Final = 4
_FACILITY: Final = re.compile(r"[A-Z0-9]{1,2}")
_FILING: Final = re.compile(r"[A-Z0-9]{1,2}")
_LINE_REF: Final = re.compile(r"[\x21-\x7e][\x20-\x7e]{0,49}")


class PaymentMethod(enum.StrEnum):
    """How the payer moved the money: X12 835 ``BPR04`` (element 591)."""

    ACH = "ACH"
    """Automated Clearing House (an EFT)."""
    CHECK = "CHK"
    """A paper check."""
    NON_PAYMENT = "NON"
    """No payment: the remittance only reports (a zero ``BPR02``)."""
    FEDWIRE = "FWT"
    """A Federal Reserve funds or wire transfer."""
    FINANCIAL_INSTITUTION_OPTION = "BOP"
    """The bank chooses: financial institution option."""


class ProviderAdjustmentReason(enum.StrEnum):
    """Why a provider-level adjustment was made: X12 835 ``PLB03-1`` (element 426).

    The most used: ``WO`` overpayment recovery, ``L6`` interest owed, ``FB`` forwarding
    balance, ``72`` authorized return, ``CS`` adjustment, ``CV`` capital pass-through.
    """

    LATE_CHARGE = "50"
    INTEREST_PENALTY_CHARGE = "51"
    AUTHORIZED_RETURN = "72"
    EARLY_PAYMENT_ALLOWANCE = "90"
    ORIGINATION_FEE = "AH"
    APPLIED_TO_BORROWERS_ACCOUNT = "AM"
    ACCELERATION_OF_BENEFITS = "AP"
    REBATE = "B2"
    RECOVERY_ALLOWANCE = "B3"
    BAD_DEBT_ADJUSTMENT = "BD"
    BONUS = "BN"
    TEMPORARY_ALLOWANCE = "C5"
    CAPITATION_INTEREST = "CR"
    ADJUSTMENT = "CS"
    CAPITATION_PAYMENT = "CT"
    CAPITAL_PASSTHROUGH = "CV"
    CRNA_PASSTHROUGH = "CW"
    DIRECT_MEDICAL_EDUCATION_PASSTHROUGH = "DM"
    WITHHOLDING = "E3"
    FORWARDING_BALANCE = "FB"
    FUND_ALLOCATION = "FC"
    GRADUATE_MEDICAL_EDUCATION_PASSTHROUGH = "GO"
    HEMOPHILIA_CLOTTING_FACTOR_SUPPLEMENT = "HM"
    INCENTIVE_PREMIUM_PAYMENT = "IP"
    IRS_WITHHOLDING = "IR"
    INTERIM_SETTLEMENT = "IS"
    NONREIMBURSABLE = "J1"
    PENALTY = "L3"
    INTEREST_OWED = "L6"
    LEVY = "LE"
    LUMP_SUM = "LS"
    ORGAN_ACQUISITION_PASSTHROUGH = "OA"
    OFFSET_FOR_AFFILIATED_PROVIDERS = "OB"
    PERIODIC_INTERIM_PAYMENT = "PI"
    PAYMENT_FINAL = "PL"
    RETROACTIVITY_ADJUSTMENT = "RA"
    RETURN_ON_EQUITY = "RE"
    STUDENT_LOAN_REPAYMENT = "SL"
    THIRD_PARTY_LIABILITY = "TL"
    OVERPAYMENT_RECOVERY = "WO"
    UNSPECIFIED_RECOVERY = "WU"


def _adjustments(value: Iterable[Adjustment]) -> tuple[Adjustment, ...]:
    return value if type(value) is tuple else to_tuple(value)


def _rarcs(value: Iterable[RARC]) -> tuple[RARC, ...]:
    return value if type(value) is tuple else to_tuple(value)


def _modifiers(value: Iterable[Modifier]) -> tuple[Modifier, ...]:
    return value if type(value) is tuple else to_tuple(value)


def _services(value: Iterable[ServicePayment]) -> tuple[ServicePayment, ...]:
    return value if type(value) is tuple else to_tuple(value)


def _claims(value: Iterable[ClaimPayment]) -> tuple[ClaimPayment, ...]:
    return value if type(value) is tuple else to_tuple(value)


def _provider_adjustments(
    value: Iterable[ProviderAdjustment],
) -> tuple[ProviderAdjustment, ...]:
    return value if type(value) is tuple else to_tuple(value)


def _sum(amounts: Iterable[Money], currency: str) -> Money:
    total = Money.zero(currency)
    for amount in amounts:
        total = total + amount
    return total


# The balancing checks run on every line, claim and remittance read, so they first sum
# the amounts as Decimals: in a context that traps any rounding (the sum is exact, as
# Money's is) and within a bound tighter than Money's range (a sum Money would refuse is
# never taken as good). Only a True is trusted; on False the checks run again through
# Money arithmetic, which raises or words the error exactly as before.
_EXACT_SUM: Final = Context(
    prec=MAX_PREC, rounding=ROUND_HALF_EVEN, Emin=MIN_EMIN, Emax=MAX_EMAX, capitals=1,
    clamp=0, flags=[],
    traps=[InvalidOperation, DivisionByZero, Overflow, Inexact, Rounded],
)
_add: Final = _EXACT_SUM.add
_subtract: Final = _EXACT_SUM.subtract
_SAFE: Final = Decimal("1e12")  # within Money's range (1e13)
_NOTHING: Final = Decimal("0.00")
_REVERSAL: Final = ClaimStatusCode.REVERSAL


def _checked_adjustments(adjustments: tuple[Adjustment, ...], currency: str) -> Decimal | None:
    """Check ``adjustments`` (a tuple of :class:`Adjustment` in ``currency``) and give their
    exact sum, or ``None`` when the balance must take the Money path.

    One pass checks type and currency and sums (lines and claims of every 835 come here);
    anything odd (another type, another currency, a sum out of the safe bound) runs the
    checks one by one, which word the error.
    """
    total = _NOTHING
    for adjustment in adjustments:
        if type(adjustment) is Adjustment and adjustment.amount.currency == currency:
            total = _add(total, adjustment.amount.amount)
            if -_SAFE < total < _SAFE:
                continue
        members(adjustments, Adjustment, "$.adjustments")
        for i, checked in enumerate(adjustments):
            if checked.amount.currency != currency:
                _currency(checked.amount, currency, f"$.adjustments[{i}].amount")
        return None
    return total


def _total(amounts: Iterable[Money]) -> Decimal | None:
    """The exact sum of ``amounts``, or ``None`` when a partial sum leaves the safe bound."""
    total = _NOTHING
    for amount in amounts:
        total = _add(total, amount.amount)
        if not -_SAFE < total < _SAFE:
            return None
    return total


def _balances(start: Decimal | None, less: Decimal | None, result: Money) -> bool:
    """Whether ``start - less`` is ``result`` (all sums in range): ``False`` means "check
    again with Money"."""
    if start is None or less is None:
        return False
    left = _subtract(start, less)
    return -_SAFE < left < _SAFE and left == result.amount


def _currency(value: Money, currency: str, path: str) -> None:
    if value.currency != currency:
        raise ValidationError(
            f"must be in {currency} like the rest of the remittance, got {value.currency}",
            path=path, rule="currency",
        )


def _charge_sign(amount: Money, reversal: bool, path: str) -> None:
    """A reversal's charge is never positive, any other claim's never negative."""
    if reversal and amount.amount > 0:
        raise ValidationError(
            "a reversal (status 22) negates the original charge, so it is never "
            "positive", path=f"{path}.charge", rule="reversal-sign",
        )
    if not reversal and amount.amount < 0:
        raise ValidationError(
            "must not be negative (only a reversal, status 22, carries negated "
            "amounts)", path=f"{path}.charge", rule="negative-charge",
        )


def _imbalance(
    *, rule: str, path: str, what: str, formula: str, expected: Money, paid: Money,
    paid_name: str,
) -> ValidationError:
    return ValidationError(
        f"{what} does not balance ({rule}): {formula} = {expected}, but {paid_name} is "
        f"{paid} (difference {paid - expected})",
        path=path, rule=rule,
    )


def _by_group(adjustments: Iterable[Adjustment], currency: str) -> Mapping[
    AdjustmentGroup, Money
]:
    totals: dict[AdjustmentGroup, Money] = {}
    for adjustment in adjustments:
        totals[adjustment.group] = (
            totals.get(adjustment.group, Money.zero(currency)) + adjustment.amount
        )
    return MappingProxyType({g: totals[g] for g in AdjustmentGroup if g in totals})


@attrs.frozen(kw_only=True)
class ServicePayment:
    """How the payer adjudicated one service line of a claim.

    ``procedure`` is the CPT or HCPCS code paid (``SVC01``, qualifier ``HC``);
    institutional lines may carry a revenue code instead or beside it (``SVC01`` with
    ``NU``, or ``SVC04``). ``allowed`` is the payer's allowed amount (``AMT*B6``) when
    given; ``line_ref`` the provider's line control number (``REF*6R``); ``remarks`` the
    line's remark codes (``LQ*HE``). The line balances: charge - adjustments = paid.

    X12 835: loop 2110 (``SVC``, ``DTM*472`` or ``DTM*150``/``151``, ``CAS``, ``REF``,
    ``AMT``, ``LQ``); FHIR: ``ClaimResponse.item``.
    """

    procedure: CPT | HCPCS | None = None
    revenue_code: RevenueCode | None = None
    modifiers: tuple[Modifier, ...] = attrs.field(default=(), converter=_modifiers)
    units: Decimal = Decimal(1)
    charge: Money
    paid: Money
    allowed: Money | None = None
    adjustments: tuple[Adjustment, ...] = attrs.field(default=(), converter=_adjustments)
    remarks: tuple[RARC, ...] = attrs.field(default=(), converter=_rarcs)
    line_ref: str | None = None
    service_period: Period | None = None

    def __attrs_post_init__(self) -> None:
        # every line of an 835 is built here: the checks skip what an empty tuple (the
        # converters always give a tuple) or a None cannot fail
        procedure = self.procedure
        if procedure is not None and not isinstance(procedure, (CPT, HCPCS)):
            instance(procedure, CPT, "$.procedure", what="a CPT or HCPCS code")
        if self.revenue_code is not None:
            instance(self.revenue_code, RevenueCode, "$.revenue_code")
        elif procedure is None:
            raise ValidationError(
                "a service line names a procedure code or a revenue code",
                path="$.procedure", rule="service-code",
            )
        modifiers = self.modifiers
        if modifiers:
            members(modifiers, Modifier, "$.modifiers")
            if len(modifiers) > _MAX_MODIFIERS:
                raise ValidationError(
                    f"at most {_MAX_MODIFIERS} modifiers, got {len(modifiers)}",
                    path="$.modifiers", rule="modifier-count",
                )
        units = self.units
        if type(units) is not Decimal or not units.is_finite():
            units = a_decimal(units, "$.units")
        if units < 0:
            raise ValidationError("must not be negative", path="$.units", rule="non-negative")
        charge = self.charge
        if not isinstance(charge, Money):
            instance(charge, Money, "$.charge")
        currency = charge.currency
        paid = self.paid
        if not isinstance(paid, Money):
            instance(paid, Money, "$.paid")
        if paid.currency != currency:
            _currency(paid, currency, "$.paid")
        allowed = self.allowed
        if allowed is not None and (type(allowed) is not Money or allowed.currency != currency):
            _currency(instance(allowed, Money, "$.allowed"), currency, "$.allowed")
        total = _checked_adjustments(self.adjustments, currency)
        remarks = self.remarks
        for remark in remarks:
            if type(remark) is not RARC:
                members(remarks, RARC, "$.remarks")
                break
        if self.line_ref is not None:
            optional_text(self.line_ref, "$.line_ref", pattern=_LINE_REF,
                          expected="1 to 50 printable characters")
        period = self.service_period
        if period is not None and type(period) is not Period:
            optional_instance(period, Period, "$.service_period")
        if total is not None:
            left = _subtract(charge.amount, total)
            if -_SAFE < left < _SAFE and left == paid.amount:
                return
        expected = charge - self.adjustments_total()
        if expected != self.paid:
            raise _imbalance(
                rule="line-balance", path="$", what="service line",
                formula="charge - line adjustments",
                expected=expected, paid=self.paid, paid_name="paid (SVC03)",
            )

    def adjustments_total(self) -> Money:
        """The sum of this line's adjustments."""
        return _sum((a.amount for a in self.adjustments), self.charge.currency)

    def adjustments_by_group(self) -> Mapping[AdjustmentGroup, Money]:
        """The line's adjustments summed per group (CO, OA, PI, PR order)."""
        return _by_group(self.adjustments, self.charge.currency)

    def negated(self) -> ServicePayment:
        """The line with every amount negated (as a reversal carries it)."""
        return attrs.evolve(
            self,
            charge=-self.charge,
            paid=-self.paid,
            allowed=None if self.allowed is None else -self.allowed,
            adjustments=tuple(a.negated() for a in self.adjustments),
        )


@attrs.frozen(kw_only=True)
class CrossoverCarrier:
    """The payer a claim was forwarded to (crossover): X12 835 loop 2100 ``NM1*TT``."""

    name: str
    payer_id: PayerId | None = None

    def __attrs_post_init__(self) -> None:
        text(self.name, "$.name", max_len=_NAME_MAX)
        optional_instance(self.payer_id, PayerId, "$.payer_id")


@attrs.frozen(kw_only=True)
class ClaimPayment:
    """How the payer adjudicated one claim: X12 835 loop 2100 (``CLP``).

    ``claim`` is the provider's patient control number (``CLP01``), ``status`` the claim
    status (``CLP02``), ``charge`` (``CLP03``), ``paid`` (``CLP04``),
    ``patient_responsibility`` (``CLP05``, when given), ``payer_claim_number``
    (``CLP07``), ``facility_code`` (``CLP08``), ``frequency`` (``CLP09``),
    ``filing_indicator`` (``CLP06``, the claim filing indicator code: ``12``, ``MB``...;
    ``ZZ``, mutually defined, when not known). Claim-level
    adjustments (``CAS``), remark codes (``MIA``/``MOA``), the crossover carrier
    (``NM1*TT``) and the statement period (``DTM*232``/``233``) follow. The claim
    balances: charge - (claim adjustments + every line's adjustments) = paid.

    A reversal (status 22) carries the original amounts negated: its charge is never
    positive; any other claim's charge is never negative.
    """

    claim: ClaimId
    status: ClaimStatusCode
    charge: Money
    paid: Money
    patient_responsibility: Money | None = None
    payer_claim_number: PayerClaimNumber
    adjustments: tuple[Adjustment, ...] = attrs.field(default=(), converter=_adjustments)
    services: tuple[ServicePayment, ...] = attrs.field(default=(), converter=_services)
    remarks: tuple[RARC, ...] = attrs.field(default=(), converter=_rarcs)
    crossover: CrossoverCarrier | None = None
    facility_code: str | None = None
    frequency: ClaimFrequency | None = None
    statement_period: Period | None = None
    filing_indicator: str = "ZZ"

    def __attrs_post_init__(self) -> None:
        # one claim of an 835 after another is built here: a check that passes costs
        # no call (the helper only runs to word the error)
        if not isinstance(self.claim, ClaimId):
            instance(self.claim, ClaimId, "$.claim")
        filing = self.filing_indicator
        if type(filing) is not str or _FILING.fullmatch(filing) is None:
            text(filing, "$.filing_indicator", pattern=_FILING,
                 expected="a claim filing indicator code: one or two capital letters or "
                          "digits")
        status = self.status
        if not isinstance(status, ClaimStatusCode):
            instance(status, ClaimStatusCode, "$.status")
        charge = self.charge
        if not isinstance(charge, Money):
            instance(charge, Money, "$.charge")
        currency = charge.currency
        paid = self.paid
        if not isinstance(paid, Money):
            instance(paid, Money, "$.paid")
        if paid.currency != currency:
            _currency(paid, currency, "$.paid")
        if self.patient_responsibility is not None:
            _currency(
                instance(self.patient_responsibility, Money, "$.patient_responsibility"),
                currency, "$.patient_responsibility",
            )
        if not isinstance(self.payer_claim_number, PayerClaimNumber):
            instance(self.payer_claim_number, PayerClaimNumber, "$.payer_claim_number")
        total = _checked_adjustments(self.adjustments, currency)
        services = self.services
        for line in services:
            if type(line) is not ServicePayment:
                members(services, ServicePayment, "$.services")
                break
        remarks = self.remarks
        for remark in remarks:
            if type(remark) is not RARC:
                members(remarks, RARC, "$.remarks")
                break
        if self.crossover is not None:
            optional_instance(self.crossover, CrossoverCarrier, "$.crossover")
        if self.facility_code is not None:
            optional_text(self.facility_code, "$.facility_code", pattern=_FACILITY,
                          expected="one or two letters or digits")
        if self.frequency is not None:
            optional_instance(self.frequency, ClaimFrequency, "$.frequency")
        if self.statement_period is not None:
            optional_instance(self.statement_period, Period, "$.statement_period")
        reversal = status is _REVERSAL
        if (charge.amount > 0) if reversal else (charge.amount < 0):
            _charge_sign(charge, reversal, "$")
        for i, line in enumerate(services):
            amount = line.charge
            # the path is only worded for an error: most claims have none
            if amount.currency != currency:
                _currency(amount, currency, f"$.services[{i}].charge")
            if (amount.amount > 0) if reversal else (amount.amount < 0):
                _charge_sign(amount, reversal, f"$.services[{i}]")
            if total is not None:  # the line checked its adjustments' currency: the charge's
                for adjustment in line.adjustments:
                    total = _add(total, adjustment.amount.amount)
                    if not -_SAFE < total < _SAFE:
                        total = None
                        break
        if total is not None and _balances(charge.amount, total, self.paid):
            return
        expected = charge - self.adjustments_total()
        if expected != self.paid:
            raise _imbalance(
                rule="claim-balance", path="$", what="claim",
                formula="charge - (claim and line adjustments)",
                expected=expected, paid=self.paid, paid_name="paid (CLP04)",
            )

    def all_adjustments(self) -> tuple[Adjustment, ...]:
        """The claim-level adjustments, then every line's, in order."""
        return self.adjustments + tuple(a for s in self.services for a in s.adjustments)

    def adjustments_total(self) -> Money:
        """The sum of the claim's and its lines' adjustments."""
        return _sum((a.amount for a in self.all_adjustments()), self.charge.currency)

    def adjustments_by_group(self) -> Mapping[AdjustmentGroup, Money]:
        """Claim and line adjustments summed per group (in CO, OA, PI, PR order)."""
        return _by_group(self.all_adjustments(), self.charge.currency)

    def patient_responsibility_total(self) -> Money:
        """What the payer assigned to the patient: the sum of the PR adjustments."""
        return _sum(
            (a.amount for a in self.all_adjustments()
             if a.group is AdjustmentGroup.PATIENT_RESPONSIBILITY),
            self.charge.currency,
        )

    @property
    def is_reversal(self) -> bool:
        """Whether this reverses an earlier payment (status 22)."""
        return self.status is ClaimStatusCode.REVERSAL

    @property
    def is_denial(self) -> bool:
        """Whether the claim was denied: status 4, or a charge that is neither paid nor
        assigned to the patient (every cent adjusted away under CO, OA or PI)."""
        if self.status is ClaimStatusCode.DENIED:
            return True
        return (
            not self.is_reversal
            and self.charge.is_positive()
            and self.paid.is_zero()
            and self.patient_responsibility_total().is_zero()
        )


@attrs.frozen(kw_only=True)
class ProviderAdjustment:
    """A provider-level adjustment, outside any claim: X12 835 ``PLB``.

    A positive amount is money withheld from the provider (a recoupment, ``WO``); a
    negative one is money added (interest, ``L6``). ``reference`` is the identifier
    the payer gives with the reason (``PLB03-2``, often the claim being recouped);
    ``provider_id`` and ``fiscal_period_end`` are ``PLB01`` and ``PLB02``.
    """

    reason: ProviderAdjustmentReason
    amount: Money
    reference: str | None = None
    provider_id: str | None = None
    fiscal_period_end: date | None = None

    def __attrs_post_init__(self) -> None:
        instance(self.reason, ProviderAdjustmentReason, "$.reason")
        instance(self.amount, Money, "$.amount")
        optional_text(self.reference, "$.reference", max_len=50)
        optional_text(self.provider_id, "$.provider_id", max_len=50)
        optional_date(self.fiscal_period_end, "$.fiscal_period_end")


@attrs.frozen(kw_only=True)
class RemittancePayer:
    """The payer of a remittance: X12 835 loop 1000A (``N1*PR``) and ``TRN03``/``REF*2U``."""

    payer_id: PayerId
    name: str

    def __attrs_post_init__(self) -> None:
        instance(self.payer_id, PayerId, "$.payer_id")
        text(self.name, "$.name", max_len=_NAME_MAX)


@attrs.frozen(kw_only=True)
class Payee:
    """The payee of a remittance: X12 835 loop 1000B (``N1*PE`` with ``XX`` or ``FI``,
    ``REF*TJ``). At least one of the NPI, the tax id and ``other_id`` identifies it.

    ``other_id`` keeps the id a payer sent when it is neither a valid NPI nor a valid EIN
    (real 835s carry such ids, e.g. a legacy provider number), with its ``N103``
    qualifier in ``other_qualifier``: kept as sent, never trusted as an NPI or EIN.
    """

    name: str
    npi: NPI | None = None
    tax_id: TaxId | None = None
    other_id: str | None = None
    other_qualifier: str | None = None

    def __attrs_post_init__(self) -> None:
        text(self.name, "$.name", max_len=_NAME_MAX)
        optional_instance(self.npi, NPI, "$.npi")
        optional_instance(self.tax_id, TaxId, "$.tax_id")
        optional_text(self.other_id, "$.other_id", max_len=80)
        optional_text(self.other_qualifier, "$.other_qualifier", max_len=2)
        if (self.other_id is None) != (self.other_qualifier is None):
            raise ValidationError(
                "other_id and other_qualifier go together", path="$.other_qualifier",
                rule="payee-other-id",
            )
        if self.npi is None and self.tax_id is None and self.other_id is None:
            raise ValidationError(
                "a payee is identified by an NPI, a tax id or another id", path="$.npi",
                rule="payee-id",
            )


@attrs.frozen(kw_only=True)
class Remittance:
    """One 835 remittance advice: a payment and the claims it pays.

    ``payment`` is the total paid (``BPR02``) by ``method`` (``BPR04``) on ``paid_on``
    (``BPR16``); ``trace`` is the check or EFT trace number (``TRN02``), which makes
    posting idempotent. The payment equals the sum of the claim payments less the
    provider-level adjustments.

    X12 835 (005010X221A1): header ``BPR``/``TRN``, loops 1000A/1000B, 2000/2100/2110 and
    ``PLB``; FHIR: ``PaymentReconciliation`` with ``ClaimResponse`` resources.
    """

    payer: RemittancePayer
    payee: Payee
    method: PaymentMethod
    payment: Money
    trace: str
    paid_on: date
    claims: tuple[ClaimPayment, ...] = attrs.field(default=(), converter=_claims)
    provider_adjustments: tuple[ProviderAdjustment, ...] = attrs.field(
        default=(), converter=_provider_adjustments
    )

    def __attrs_post_init__(self) -> None:
        instance(self.payer, RemittancePayer, "$.payer")
        instance(self.payee, Payee, "$.payee")
        method = instance(self.method, PaymentMethod, "$.method")
        payment = instance(self.payment, Money, "$.payment")
        currency = payment.currency
        if payment.is_negative():
            raise ValidationError(
                "must not be negative (a payer carries a negative balance forward with a "
                "PLB FB adjustment)", path="$.payment", rule="negative-payment",
            )
        if method is PaymentMethod.NON_PAYMENT and not payment.is_zero():
            raise ValidationError(
                "a non-payment remittance (NON) pays nothing", path="$.payment",
                rule="non-payment",
            )
        text(self.trace, "$.trace", max_len=50)
        a_date(self.paid_on, "$.paid_on")
        claims = members(self.claims, ClaimPayment, "$.claims")
        for i, claim in enumerate(claims):
            if claim.paid.currency != currency:
                _currency(claim.paid, currency, f"$.claims[{i}].paid")
        plbs = members(self.provider_adjustments, ProviderAdjustment, "$.provider_adjustments")
        for i, plb in enumerate(plbs):
            if plb.amount.currency != currency:
                _currency(plb.amount, currency, f"$.provider_adjustments[{i}].amount")
        if _balances(_total([c.paid for c in claims]), _total([p.amount for p in plbs]),
                     payment):
            return
        expected = self.claims_paid() - self.provider_adjustments_total()
        if expected != payment:
            raise _imbalance(
                rule="payment-balance", path="$.payment", what="remittance",
                formula="claim payments - provider-level adjustments",
                expected=expected, paid=payment, paid_name="the payment (BPR02)",
            )

    def claims_paid(self) -> Money:
        """The sum of the claim payments (``CLP04``)."""
        return _sum((c.paid for c in self.claims), self.payment.currency)

    def provider_adjustments_total(self) -> Money:
        """The sum of the provider-level adjustments (``PLB``); positive is withheld."""
        return _sum((p.amount for p in self.provider_adjustments), self.payment.currency)


def reverse(claim_payment: ClaimPayment) -> ClaimPayment:
    """The reversal of ``claim_payment``: status 22 with every amount negated.

    Groups, reasons, codes and references stay as they were, as the 835 reverses a
    payment (X12 005010X221A1 section 1.10.2.8). A reversal cannot be reversed again:
    the payer sends the claim anew instead.
    """
    instance(claim_payment, ClaimPayment, "$.claim_payment")
    if claim_payment.is_reversal:
        raise ValidationError(
            "is already a reversal (status 22); resend the claim instead",
            path="$.status", rule="already-reversal",
        )
    return attrs.evolve(
        claim_payment,
        status=ClaimStatusCode.REVERSAL,
        charge=-claim_payment.charge,
        paid=-claim_payment.paid,
        patient_responsibility=(
            None if claim_payment.patient_responsibility is None
            else -claim_payment.patient_responsibility
        ),
        adjustments=tuple(a.negated() for a in claim_payment.adjustments),
        services=tuple(s.negated() for s in claim_payment.services),
    )
