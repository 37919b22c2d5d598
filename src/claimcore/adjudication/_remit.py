"""Grouping a payer's decisions into one balanced 835, with provider-level adjustments."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from claimcore._validate import a_date, instance, members, optional_instance, text
from claimcore.adjudication._engine import Adjudicated
from claimcore.coverage import Payer
from claimcore.errors import ValidationError
from claimcore.ids import ClaimId
from claimcore.money import Money
from claimcore.remittance import (
    Payee,
    PaymentMethod,
    ProviderAdjustment,
    ProviderAdjustmentReason,
    Remittance,
    RemittancePayer,
)

__all__ = ["interest", "recoupment", "remit"]


def recoupment(amount: Money, *, claim: ClaimId, on: date | None = None) -> ProviderAdjustment:
    """A recoupment of an earlier overpayment on ``claim``: ``PLB`` ``WO`` (overpayment
    recovery), a positive amount withheld from this payment, naming the claim in
    ``PLB03-2``."""
    amount = instance(amount, Money, "$.amount")
    if not amount.is_positive():
        raise ValidationError("a recoupment withholds a positive amount", path="$.amount",
                              rule="positive")
    instance(claim, ClaimId, "$.claim")
    return ProviderAdjustment(reason=ProviderAdjustmentReason.OVERPAYMENT_RECOVERY,
                              amount=amount, reference=claim.value, fiscal_period_end=on)


def interest(amount: Money, *, reference: str | None = None,
             on: date | None = None) -> ProviderAdjustment:
    """Interest the payer adds for paying late: ``PLB`` ``L6``, a negative amount (it
    raises the payment). ``amount`` is the interest, given as a positive amount."""
    amount = instance(amount, Money, "$.amount")
    if not amount.is_positive():
        raise ValidationError("interest is a positive amount", path="$.amount",
                              rule="positive")
    return ProviderAdjustment(reason=ProviderAdjustmentReason.INTEREST_OWED, amount=-amount,
                              reference=reference, fiscal_period_end=on)


def remit(
    adjudicated: Adjudicated | Iterable[Adjudicated],
    *,
    payer: RemittancePayer | Payer,
    payee: Payee,
    paid_on: date,
    trace: str,
    provider_adjustments: Iterable[ProviderAdjustment] = (),
    method: PaymentMethod | None = None,
) -> Remittance:
    """One 835 from the decisions of one payer: it balances at all three levels.

    The payment (``BPR02``) is the sum of the claim payments less the provider-level
    adjustments (``PLB``: pass :func:`recoupment` and :func:`interest` values). When the
    withholdings exceed what is paid, the rest is carried to a later remittance with a
    ``PLB`` ``FB`` (forwarding balance, negative), so the payment is zero, never negative.
    ``method`` defaults to ``ACH``, or ``NON`` (no payment) for a zero payment. Every
    decision must be the payer's own.
    """
    decisions = ((adjudicated,) if isinstance(adjudicated, Adjudicated)
                 else tuple(adjudicated))
    members(decisions, Adjudicated, "$.adjudicated")
    if isinstance(payer, Payer):
        payer = RemittancePayer(payer_id=payer.payer_id, name=payer.name)
    instance(payer, RemittancePayer, "$.payer")
    instance(payee, Payee, "$.payee")
    a_date(paid_on, "$.paid_on")
    text(trace, "$.trace", max_len=50)
    optional_instance(method, PaymentMethod, "$.method")
    plb = tuple(provider_adjustments)
    members(plb, ProviderAdjustment, "$.provider_adjustments")
    for i, decision in enumerate(decisions):
        if decision.payer != payer.payer_id:
            raise ValidationError("was decided by another payer",
                                  path=f"$.adjudicated[{i}].payer", rule="payer-mismatch")
    currency = decisions[0].payment.charge.currency if decisions else "USD"
    payment = Money.zero(currency)
    for decision in decisions:
        payment = payment + decision.payment.paid
    for adjustment in plb:
        payment = payment - adjustment.amount
    if payment.is_negative():
        plb = (*plb, ProviderAdjustment(reason=ProviderAdjustmentReason.FORWARDING_BALANCE,
                                        amount=payment, fiscal_period_end=paid_on))
        payment = Money.zero(currency)
    if method is None:
        method = PaymentMethod.ACH if payment.is_positive() else PaymentMethod.NON_PAYMENT
    return Remittance(
        payer=payer, payee=payee, method=method, payment=payment, trace=trace,
        paid_on=paid_on, claims=tuple(d.payment for d in decisions),
        provider_adjustments=plb,
    )
