"""The front desk's estimate across every coverage: primary, then each next payer by its COB."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from claimcore._validate import instance, members, to_tuple
from claimcore.coverage import (
    Benefits,
    Coverage,
    Network,
    ResponsibilityEstimate,
    ServiceType,
    estimate_responsibility,
)
from claimcore.errors import ValidationError
from claimcore.money import Money
from claimcore.posting._cob import CobMethod, secondary_payment

__all__ = ["CombinedEstimate", "CoverageTerms", "PayerEstimate", "estimate_combined"]


@attrs.frozen(kw_only=True)
class CoverageTerms:
    """One coverage as an estimate needs it: its benefits, what it allows for the
    service, and (for a secondary or later payer) how it coordinates benefits.

    ``cob`` is ignored for the primary payer. Under
    :attr:`~claimcore.posting.CobMethod.MEDICARE_SECONDARY` the coverage's ``allowed`` is
    Medicare's fee schedule amount and its unmet deductible comes from ``benefits``.
    """

    coverage: Coverage = attrs.field(repr=False)
    benefits: Benefits
    allowed: Money
    cob: CobMethod = CobMethod.STANDARD
    network: Network = Network.IN

    def __attrs_post_init__(self) -> None:
        instance(self.coverage, Coverage, "$.coverage")
        instance(self.benefits, Benefits, "$.benefits")
        instance(self.allowed, Money, "$.allowed")
        instance(self.cob, CobMethod, "$.cob")
        instance(self.network, Network, "$.network")
        if self.allowed.is_negative():
            raise ValidationError("must not be negative", path="$.allowed", rule="negative")


@attrs.frozen(kw_only=True)
class PayerEstimate:
    """What one payer is expected to pay: its own estimate as if primary, and its share
    after the payers before it (``pays``)."""

    coverage: Coverage = attrs.field(repr=False)
    own: ResponsibilityEstimate
    pays: Money


def _shares(value: Iterable[PayerEstimate]) -> tuple[PayerEstimate, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class CombinedEstimate:
    """The estimate across the patient's coverages, in payment order.

    ``allowed`` is the primary's allowed amount (what the provider accepts from the
    patient's plans together); ``payers`` what each pays in turn; ``patient`` what is left
    to the patient, so that the payers' shares and the patient's always sum to ``allowed``.
    """

    allowed: Money
    payers: tuple[PayerEstimate, ...] = attrs.field(converter=_shares)
    patient: Money

    def __attrs_post_init__(self) -> None:
        members(self.payers, PayerEstimate, "$.payers")
        paid = sum((p.pays for p in self.payers), Money.zero(self.allowed.currency))
        if paid + self.patient != self.allowed:
            raise ValidationError("the payers' and the patient's shares sum to $.allowed",
                                  path="$.patient", rule="estimate-total")

    @property
    def payer_total(self) -> Money:
        """What every payer together is expected to pay."""
        return sum((p.pays for p in self.payers), Money.zero(self.allowed.currency))


def estimate_combined(
    charge: Money,
    terms: Iterable[CoverageTerms],
    *,
    service_type: str = ServiceType.HEALTH_BENEFIT_PLAN_COVERAGE,
) -> CombinedEstimate:
    """What the front desk quotes: the primary's estimate, then each next payer's share by
    its coordination-of-benefits method, and what is left to the patient.

    ``terms`` are taken in their coverages' order (``P``, ``S``, ``T``, ...; the order
    :func:`~claimcore.coverage.order_coverages` gives). The primary pays its
    :func:`~claimcore.coverage.estimate_responsibility` share of its allowed amount; each
    next payer pays :func:`~claimcore.posting.secondary_payment` by its ``cob`` (its own
    estimate as the normal benefit, the payments before it as the primary payment), never
    more than the patient's balance left. Every cent of the primary's allowed amount is
    either a payer's or the patient's.
    """
    instance(charge, Money, "$.charge")
    ordered = sorted(members(to_tuple(terms), CoverageTerms, "$.terms"),
                     key=lambda t: t.coverage.order.rank)
    if not ordered:
        raise ValidationError("needs at least one coverage", path="$.terms", rule="empty")
    first = ordered[0]
    zero = Money.zero(charge.currency)
    shares: list[PayerEstimate] = []
    paid = zero
    for i, term in enumerate(ordered):
        own = estimate_responsibility(term.benefits, term.allowed, service_type=service_type,
                                      network=term.network)
        if i == 0:
            pays = own.payer
        else:
            method = term.cob
            pays = secondary_payment(
                method, charge=charge, primary_allowed=first.allowed, primary_paid=paid,
                normal_benefit=own.payer, allowable=term.allowed,
                fee_schedule=term.allowed if method is CobMethod.MEDICARE_SECONDARY else None,
                deductible_remaining=own.deductible,
            )
            pays = min(pays, first.allowed - paid)
        shares.append(PayerEstimate(coverage=term.coverage, own=own, pays=pays))
        paid += pays
    return CombinedEstimate(allowed=first.allowed, payers=shares,
                            patient=max(first.allowed - paid, zero))
