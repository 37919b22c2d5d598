"""Coordination of benefits: the next payer's claim, and what a secondary payer pays."""

from __future__ import annotations

import enum
from datetime import date, datetime

import attrs

from claimcore._validate import a_date, aware_datetime, instance
from claimcore.claims import (
    Claim,
    ClaimStatus,
    LineAdjudication,
    OtherPayer,
)
from claimcore.codes import ClaimFrequency
from claimcore.coverage import Coverage
from claimcore.errors import ValidationError
from claimcore.money import Money, Rate
from claimcore.posting._common import match_lines
from claimcore.remittance import ClaimPayment

__all__ = ["CobMethod", "secondary_claim", "secondary_payment"]

_MEDICARE_RATE = Rate.percent(80)


class CobMethod(enum.StrEnum):
    """How a secondary payer works out its payment after the primary paid.

    Each method is a rule of the secondary plan (or, for Medicare, of regulation). The
    worked examples below share one service: allowed 150.00 by the primary, which paid
    120.00; the secondary's own benefit on the service ("normal benefit", what it would
    pay as primary) is 100.00.

    * ``medicare_secondary``: Medicare as secondary payer, 42 CFR 411.33(b): the least
      of (1) the charge (or the amount the provider must accept as payment in full, if
      lower) minus the primary payment; (2) what Medicare would pay as primary (its rate
      of the fee schedule after any unmet deductible); (3) the higher of the Medicare fee
      schedule and the primary's allowed amount, minus the primary payment. Charge
      175.00, fee schedule 125.00, deductible met: min(55.00, 100.00, 30.00) = 30.00.
    * ``standard``: traditional COB: the lesser of the normal benefit and the balance
      left after the primary (allowable expense minus the primary payment):
      min(100.00, 150.00 - 120.00) = 30.00.
    * ``non_duplication``: the normal benefit minus what the primary paid, never below
      zero: max(0, 100.00 - 120.00) = 0.00.
    * ``carve_out``: the normal benefit is computed, then the primary payment is carved
      out of it: 100.00 - 120.00 = 0.00 here; with a normal benefit of 135.00 it pays
      15.00. It never pays more than the balance after the primary either.
    """

    MEDICARE_SECONDARY = "medicare_secondary"
    STANDARD = "standard"
    NON_DUPLICATION = "non_duplication"
    CARVE_OUT = "carve_out"


def _money(value: object, name: str) -> Money:
    money = instance(value, Money, f"$.{name}")
    if money.is_negative():
        raise ValidationError("must not be negative", path=f"$.{name}", rule="negative")
    return money


def secondary_payment(
    method: CobMethod,
    *,
    charge: Money,
    primary_allowed: Money,
    primary_paid: Money,
    normal_benefit: Money | None = None,
    allowable: Money | None = None,
    fee_schedule: Money | None = None,
    rate: Rate = _MEDICARE_RATE,
    deductible_remaining: Money | None = None,
    obligated_to_accept: Money | None = None,
) -> Money:
    """What the secondary payer pays on a service, by ``method`` (see :class:`CobMethod`).

    ``normal_benefit`` is what the secondary would pay as primary (required by the
    commercial methods); ``allowable`` the allowable expense the balance is taken from
    (default: the primary's allowed amount). Medicare's rule needs ``fee_schedule``,
    and takes its ``rate`` (80%), ``deductible_remaining`` (zero) and the amount the
    provider is ``obligated_to_accept`` as payment in full, when lower than the charge.
    The result is never negative.

    >>> from decimal import Decimal
    >>> usd = lambda s: Money(Decimal(s))
    >>> secondary_payment(CobMethod.MEDICARE_SECONDARY, charge=usd("175.00"),
    ...     primary_allowed=usd("150.00"), primary_paid=usd("120.00"),
    ...     fee_schedule=usd("125.00"))
    Money('30.00')
    """
    method = instance(method, CobMethod, "$.method")
    charge = _money(charge, "charge")
    primary_allowed = _money(primary_allowed, "primary_allowed")
    primary_paid = _money(primary_paid, "primary_paid")
    zero = Money.zero(charge.currency)
    if method is CobMethod.MEDICARE_SECONDARY:
        if fee_schedule is None:
            raise ValidationError(
                "Medicare's secondary payment needs the Medicare fee schedule amount",
                path="$.fee_schedule", rule="fee-schedule-required",
            )
        fee = _money(fee_schedule, "fee_schedule")
        instance(rate, Rate, "$.rate")
        unmet = zero if deductible_remaining is None else _money(
            deductible_remaining, "deductible_remaining")
        ceiling = charge
        if obligated_to_accept is not None:
            ceiling = min(charge, _money(obligated_to_accept, "obligated_to_accept"))
        candidates = (
            ceiling - primary_paid,
            rate.of(max(fee - unmet, zero)),
            max(fee, primary_allowed) - primary_paid,
        )
        return max(min(candidates), zero)
    if normal_benefit is None:
        raise ValidationError(
            f"the {method.value} method needs the secondary's normal benefit",
            path="$.normal_benefit", rule="normal-benefit-required",
        )
    benefit = _money(normal_benefit, "normal_benefit")
    base = primary_allowed if allowable is None else _money(allowable, "allowable")
    balance = max(base - primary_paid, zero)
    if method is CobMethod.STANDARD:
        return min(benefit, balance)
    carved = max(benefit - primary_paid, zero)
    if method is CobMethod.NON_DUPLICATION:
        return carved
    return min(carved, balance)


def secondary_claim(
    primary_claim: Claim,
    primary_payment: ClaimPayment,
    next_coverage: Coverage,
    *,
    at: datetime,
    adjudicated_on: date | None = None,
) -> Claim:
    """The next payer's claim: the same services, carrying what the earlier payer did.

    The new claim is a draft (to scrub and submit) under ``next_coverage``, with the same
    id (the patient control number stays with the account) and lines, and one more
    :class:`~claimcore.claims.OtherPayer`: the payer of ``primary_payment``, what it paid
    (837 loop 2320 ``AMT*D``), its claim-level adjustments (2320 ``CAS``) and, per line it
    matched, the line's payment and adjustments (2430 ``SVD``/``CAS``); adjustments of
    service lines that match no claim line are carried at claim level. For a tertiary
    claim, pass the secondary claim and its payment: the earlier payers stay in order.

    ``adjudicated_on`` (2430 ``DTP*573``) defaults to the earlier claim's adjudication
    date, else the date of ``at``. A crossover (status 19, 20 or 21: the payer forwarded
    the claim itself) and a reversal are refused: no claim is to be built for them.
    """
    instance(primary_claim, Claim, "$.primary_claim")
    instance(primary_payment, ClaimPayment, "$.primary_payment")
    instance(next_coverage, Coverage, "$.next_coverage")
    aware_datetime(at, "$.at")
    if adjudicated_on is not None:
        a_date(adjudicated_on, "$.adjudicated_on")
    if primary_payment.claim.normalized() != primary_claim.id.normalized():
        raise ValidationError(
            "the payment is for another claim", path="$.primary_payment.claim",
            rule="claim-mismatch",
        )
    if primary_payment.status.is_crossover:
        raise ValidationError(
            f"status {primary_payment.status.value}: the payer forwarded the claim to the "
            "next payer (crossover); do not bill it again",
            path="$.primary_payment.status", rule="crossover",
        )
    if primary_payment.is_reversal:
        raise ValidationError(
            "a reversal is not an adjudication to pass on", path="$.primary_payment.status",
            rule="reversal",
        )
    if next_coverage.payer.payer_id == primary_claim.coverage.payer.payer_id:
        raise ValidationError(
            "the next coverage is with the payer that already paid",
            path="$.next_coverage", rule="same-payer",
        )
    if next_coverage.order.rank <= primary_claim.coverage.order.rank:
        raise ValidationError(
            "the next coverage must come after the claim's coverage in payer order",
            path="$.next_coverage.order", rule="payer-order",
        )
    if primary_claim.status in (ClaimStatus.DRAFT, ClaimStatus.READY, ClaimStatus.REJECTED):
        raise ValidationError(
            "the claim was not yet adjudicated by its payer", path="$.primary_claim.status",
            rule="not-adjudicated",
        )
    matched = match_lines(primary_claim, primary_payment.services)
    claim_level = list(primary_payment.adjustments)
    lines: list[LineAdjudication] = []
    for service, line in zip(primary_payment.services, matched, strict=True):
        if line is None:
            claim_level.extend(service.adjustments)
            continue
        lines.append(LineAdjudication(
            line_number=line.line_number, paid=service.paid,
            adjustments=service.adjustments,
        ))
    lines.sort(key=lambda a: a.line_number)
    when = adjudicated_on
    if when is None:
        when = (primary_claim.adjudication.on if primary_claim.adjudication is not None
                else at.date())
    prior = OtherPayer(
        coverage=primary_claim.coverage, paid=primary_payment.paid,
        adjustments=tuple(claim_level), lines=tuple(lines),
        adjudicated_on=when,
    )
    return attrs.evolve(
        primary_claim,
        coverage=next_coverage,
        other_payers=(*primary_claim.other_payers, prior),
        frequency=ClaimFrequency.ORIGINAL,
        original_claim_number=None,
        status=ClaimStatus.DRAFT,
        history=(),
        revision=0,
        payer_claim_number=None,
        rejections=(),
        adjudication=None,
        appeals=(),
    )
