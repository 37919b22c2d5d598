"""Laws of the 835 remittance: three-level balance, reversal, round trip."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from claimcore.codes import AdjustmentGroup, ClaimStatusCode
from claimcore.money import Money, money_sum
from claimcore.remittance import (
    Adjustment,
    ClaimPayment,
    CrossoverCarrier,
    Payee,
    ProviderAdjustment,
    Remittance,
    RemittancePayer,
    ServicePayment,
    reverse,
)
from claimcore.serialization import make_converter
from claimcore.strategies import claim_payments, remittances

CONVERTER = make_converter()


def _line_balances(line: ServicePayment) -> bool:
    return line.charge - money_sum(a.amount for a in line.adjustments) == line.paid


@given(remittances())
def test_every_remittance_balances_at_three_levels(remittance: Remittance) -> None:
    """Per line, per claim and per payment: charge - adjustments = paid; payment = claims - PLB."""
    for claim in remittance.claims:
        for line in claim.services:
            assert _line_balances(line)
        adjusted = money_sum(a.amount for a in claim.adjustments) + money_sum(
            a.amount for line in claim.services for a in line.adjustments
        )
        assert claim.charge - adjusted == claim.paid
    paid = money_sum(c.paid for c in remittance.claims)
    withheld = money_sum(p.amount for p in remittance.provider_adjustments)
    assert paid - withheld == remittance.payment
    assert not remittance.payment.is_negative()


@given(claim_payments(allow_reversal=False))
def test_reversing_negates_every_amount(claim: ClaimPayment) -> None:
    """reverse() negates charge, paid, CLP05, allowed and every adjustment; codes stay."""
    back = reverse(claim)
    assert back.status is ClaimStatusCode.REVERSAL
    assert back.charge == -claim.charge and back.paid == -claim.paid
    if claim.patient_responsibility is None:
        assert back.patient_responsibility is None
    else:
        assert back.patient_responsibility == -claim.patient_responsibility
    assert [(a.group, a.reason, -a.amount, a.quantity) for a in back.adjustments] == [
        (a.group, a.reason, a.amount, a.quantity) for a in claim.adjustments
    ]
    assert len(back.services) == len(claim.services)
    for new, old in zip(back.services, claim.services, strict=True):
        assert (new.charge, new.paid) == (-old.charge, -old.paid)
        assert new.allowed == (None if old.allowed is None else -old.allowed)
        assert [(a.group, a.reason, -a.amount) for a in new.adjustments] == [
            (a.group, a.reason, a.amount) for a in old.adjustments
        ]
        assert (new.procedure, new.modifiers, new.units) == (
            old.procedure, old.modifiers, old.units
        )
    assert {g: -v for g, v in back.adjustments_by_group().items()} == dict(
        claim.adjustments_by_group()
    )


@given(claim_payments())
def test_adjustments_by_group_sum_to_the_total(claim: ClaimPayment) -> None:
    """Adjustments per group add up to all adjustments; PR is the patient's part."""
    by_group = claim.adjustments_by_group()
    assert money_sum(by_group.values()) == claim.adjustments_total()
    assert by_group.get(
        AdjustmentGroup.PATIENT_RESPONSIBILITY, Money.zero()
    ) == claim.patient_responsibility_total()
    assert list(by_group) == [g for g in AdjustmentGroup if g in by_group]


@given(st.one_of(
    st.from_type(Adjustment), st.from_type(ServicePayment), st.from_type(ClaimPayment),
    st.from_type(CrossoverCarrier), st.from_type(ProviderAdjustment),
    st.from_type(RemittancePayer), st.from_type(Payee),
))
def test_remittance_parts_round_trip(value: Any) -> None:
    """Every remittance part survives the converter unchanged."""
    assert CONVERTER.structure(CONVERTER.unstructure(value), type(value)) == value


@given(remittances())
def test_remittances_round_trip(remittance: Remittance) -> None:
    """A whole remittance survives the converter unchanged."""
    assert CONVERTER.structure(CONVERTER.unstructure(remittance), Remittance) == remittance
