"""Remittance values at their edges: lengths, signs, the one-cent balancing limits and the
keyword-only constructors (each test fails if a bound of claimcore.remittance moves by one;
found by scripts/mutation.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import attrs
import pytest

from claimcore.codes import CARC, CPT, AdjustmentGroup, ClaimStatusCode, Modifier
from claimcore.errors import ValidationError
from claimcore.ids import ClaimId, PayerClaimNumber, PayerId, TaxId
from claimcore.money import Money
from claimcore.remittance import (
    Adjustment,
    ClaimPayment,
    CrossoverCarrier,
    Payee,
    PaymentMethod,
    ProviderAdjustment,
    ProviderAdjustmentReason,
    Remittance,
    RemittancePayer,
    ServicePayment,
    reverse,
)

CO = AdjustmentGroup.CONTRACTUAL_OBLIGATION
OA = AdjustmentGroup.OTHER_ADJUSTMENT
PI = AdjustmentGroup.PAYER_INITIATED_REDUCTION
PR = AdjustmentGroup.PATIENT_RESPONSIBILITY
PRIMARY = ClaimStatusCode.PROCESSED_AS_PRIMARY


def m(text: str) -> Money:
    return Money(Decimal(text))


def cas(group: AdjustmentGroup, reason: str, amount: str) -> Adjustment:
    return Adjustment(group=group, reason=CARC(reason), amount=m(amount))


LINE = ServicePayment(
    procedure=CPT("99213"), charge=m("100.00"), paid=m("70.00"),
    adjustments=[cas(PR, "2", "10.00"), cas(CO, "45", "20.00")],
)
CLAIM = ClaimPayment(
    claim=ClaimId("C1"), status=PRIMARY, charge=m("100.00"), paid=m("65.00"),
    payer_claim_number=PayerClaimNumber("PCN1"),
    adjustments=[cas(OA, "23", "5.00")], services=[LINE],
)
PAYER = RemittancePayer(payer_id=PayerId("12345"), name="ACME HEALTH")
PAYEE = Payee(name="CLINIC", tax_id=TaxId("123456789"))
REMITTANCE = Remittance(
    payer=PAYER, payee=PAYEE, method=PaymentMethod.ACH, payment=m("65.00"), trace="T1",
    paid_on=date(2026, 3, 2), claims=[CLAIM],
)


def refused(build: Callable[[], object], path: str, rule: str) -> None:
    with pytest.raises(ValidationError) as caught:
        build()
    assert (caught.value.path, caught.value.rule) == (path, rule)


# -- lengths: the limit itself is allowed, one more is not -----------------------------------


def test_four_modifiers_are_allowed_five_are_not() -> None:
    four = [Modifier(c) for c in ("25", "26", "59", "TC")]
    assert attrs.evolve(LINE, modifiers=four).modifiers == tuple(four)
    refused(lambda: attrs.evolve(LINE, modifiers=[*four, Modifier("LT")]),
            "$.modifiers", "modifier-count")


def test_trace_holds_fifty_characters() -> None:
    assert attrs.evolve(REMITTANCE, trace="T" * 50).trace == "T" * 50
    refused(lambda: attrs.evolve(REMITTANCE, trace="T" * 51), "$.trace", "length")


def test_names_hold_sixty_characters() -> None:
    name = "N" * 60
    assert RemittancePayer(payer_id=PayerId("12345"), name=name).name == name
    assert Payee(name=name, tax_id=TaxId("123456789")).name == name
    assert CrossoverCarrier(name=name).name == name
    refused(lambda: RemittancePayer(payer_id=PayerId("12345"), name=name + "N"),
            "$.name", "length")
    refused(lambda: Payee(name=name + "N", tax_id=TaxId("123456789")), "$.name", "length")
    refused(lambda: CrossoverCarrier(name=name + "N"), "$.name", "length")


def test_provider_adjustment_references_hold_fifty_characters() -> None:
    wo = ProviderAdjustmentReason.OVERPAYMENT_RECOVERY
    kept = ProviderAdjustment(reason=wo, amount=m("1.00"), reference="R" * 50,
                              provider_id="P" * 50)
    assert (kept.reference, kept.provider_id) == ("R" * 50, "P" * 50)
    refused(lambda: ProviderAdjustment(reason=wo, amount=m("1.00"), reference="R" * 51),
            "$.reference", "length")
    refused(lambda: ProviderAdjustment(reason=wo, amount=m("1.00"), provider_id="P" * 51),
            "$.provider_id", "length")


def test_payee_other_id_lengths_and_pairing() -> None:
    kept = Payee(name="CLINIC", other_id="X" * 80, other_qualifier="XX")
    assert (kept.other_id, kept.other_qualifier) == ("X" * 80, "XX")
    refused(lambda: Payee(name="CLINIC", other_id="X" * 81, other_qualifier="XX"),
            "$.other_id", "length")
    refused(lambda: Payee(name="CLINIC", other_id="X", other_qualifier="XXX"),
            "$.other_qualifier", "length")
    refused(lambda: Payee(name="CLINIC", other_id="X"), "$.other_qualifier", "payee-other-id")
    refused(lambda: Payee(name="CLINIC", tax_id=TaxId("123456789"), other_qualifier="XX"),
            "$.other_qualifier", "payee-other-id")
    refused(lambda: Payee(name="CLINIC"), "$.npi", "payee-id")


def test_line_ref_holds_fifty_printable_characters() -> None:
    assert attrs.evolve(LINE, line_ref="!" + "a b" * 16 + "c").line_ref == "!" + "a b" * 16 + "c"
    refused(lambda: attrs.evolve(LINE, line_ref="L" * 51), "$.line_ref", "format")
    refused(lambda: attrs.evolve(LINE, line_ref=""), "$.line_ref", "empty")


@pytest.mark.parametrize("code", ["1", "11", "A", "B2"])
def test_facility_codes_of_one_or_two(code: str) -> None:
    assert attrs.evolve(CLAIM, facility_code=code).facility_code == code


@pytest.mark.parametrize("code", ["111", "b2", "1-"])
def test_facility_codes_refused(code: str) -> None:
    refused(lambda: attrs.evolve(CLAIM, facility_code=code), "$.facility_code", "format")


# -- signs and balances at one cent ----------------------------------------------------------


def test_zero_units_and_zero_charges_are_allowed() -> None:
    assert attrs.evolve(LINE, units=Decimal(0)).units == 0
    refused(lambda: attrs.evolve(LINE, units=Decimal("-0.001")), "$.units", "non-negative")
    free = ClaimPayment(claim=ClaimId("C0"), status=PRIMARY, charge=m("0"), paid=m("0"),
                        payer_claim_number=PayerClaimNumber("P0"))
    assert not free.is_denial
    assert free.charge.is_zero()


def test_a_line_must_balance_to_the_cent() -> None:
    for paid in ("69.99", "70.01"):
        refused(lambda paid=paid: attrs.evolve(LINE, paid=m(paid)),  # type: ignore[misc]
                "$", "line-balance")
    assert attrs.evolve(LINE, paid=m("70.00")) == LINE


def test_a_claim_must_balance_to_the_cent() -> None:
    for paid in ("64.99", "65.01"):
        refused(lambda paid=paid: attrs.evolve(CLAIM, paid=m(paid)),  # type: ignore[misc]
                "$", "claim-balance")


def test_a_remittance_must_balance_to_the_cent() -> None:
    for payment in ("64.99", "65.01"):
        refused(lambda payment=payment: attrs.evolve(REMITTANCE, payment=m(payment)),  # type: ignore[misc]
                "$.payment", "payment-balance")
    interest = ProviderAdjustment(reason=ProviderAdjustmentReason.INTEREST_OWED,
                                  amount=m("-0.01"))
    with_interest = attrs.evolve(REMITTANCE, payment=m("65.01"),
                                 provider_adjustments=[interest])
    assert with_interest.provider_adjustments_total() == m("-0.01")
    assert with_interest.claims_paid() == m("65.00")


def test_a_reversal_charge_is_never_positive_by_even_a_cent() -> None:
    reversal = reverse(CLAIM)
    line = reversal.services[0]
    tiny = attrs.evolve(line, charge=m("0.01"), paid=m("0.01"), adjustments=())
    refused(lambda: attrs.evolve(reversal, services=[tiny], adjustments=(),
                                 charge=m("0.01"), paid=m("0.01")),
            "$.charge", "reversal-sign")
    refused(lambda: attrs.evolve(reversal, services=[tiny], adjustments=(),
                                 charge=m("0.00"), paid=m("0.01")),
            "$.services[0].charge", "reversal-sign")
    nothing = attrs.evolve(reversal, services=(), adjustments=(), charge=m("0"), paid=m("0"))
    assert nothing.is_reversal and not nothing.is_denial


def test_a_claim_charge_is_never_negative_by_even_a_cent() -> None:
    line = attrs.evolve(LINE, charge=m("-0.01"), paid=m("-0.01"), adjustments=())
    refused(lambda: attrs.evolve(CLAIM, charge=m("-0.01"), paid=m("-0.01"), adjustments=(),
                                 services=()),
            "$.charge", "negative-charge")
    refused(lambda: attrs.evolve(CLAIM, charge=m("0"), paid=m("-0.01"), adjustments=(),
                                 services=[line]),
            "$.services[0].charge", "negative-charge")


def test_payments_zero_and_non_payment() -> None:
    denied = ClaimPayment(claim=ClaimId("C2"), status=ClaimStatusCode.DENIED,
                          charge=m("10.00"), paid=m("0"), adjustments=[cas(CO, "16", "10.00")],
                          payer_claim_number=PayerClaimNumber("P2"))
    nothing = attrs.evolve(REMITTANCE, payment=m("0"), method=PaymentMethod.NON_PAYMENT,
                           claims=[denied])
    assert nothing.payment.is_zero()
    refused(lambda: attrs.evolve(nothing, payment=m("0.01"), provider_adjustments=[
        ProviderAdjustment(reason=ProviderAdjustmentReason.INTEREST_OWED, amount=m("-0.01"))
    ]), "$.payment", "non-payment")
    owed = ProviderAdjustment(reason=ProviderAdjustmentReason.OVERPAYMENT_RECOVERY,
                              amount=m("0.01"))
    refused(lambda: attrs.evolve(nothing, method=PaymentMethod.CHECK, payment=m("-0.01"),
                                 provider_adjustments=[owed]),
            "$.payment", "negative-payment")


def test_what_counts_as_a_denial() -> None:
    """Denied is status 4, or a positive charge with nothing paid and nothing on the patient."""
    def claim(paid: str, *line_adjustments: Adjustment) -> ClaimPayment:
        line = attrs.evolve(LINE, paid=m(paid), adjustments=line_adjustments)
        return attrs.evolve(CLAIM, paid=m(paid), adjustments=(), services=[line])

    wiped = claim("0", cas(CO, "45", "100.00"))
    assert wiped.is_denial
    assert not CLAIM.is_denial
    assert not claim("0", cas(CO, "45", "99.99"), cas(PR, "1", "0.01")).is_denial
    assert not claim("0.01", cas(CO, "45", "99.99")).is_denial
    assert attrs.evolve(CLAIM, status=ClaimStatusCode.DENIED).is_denial
    assert not reverse(wiped).is_denial


# -- totals and their order ------------------------------------------------------------------


def test_totals_by_group_in_code_order() -> None:
    claim = attrs.evolve(CLAIM, adjustments=[cas(PR, "3", "1.00"), cas(OA, "23", "4.00")])
    assert claim.all_adjustments()[:2] == (cas(PR, "3", "1.00"), cas(OA, "23", "4.00"))
    by_group = claim.adjustments_by_group()
    assert list(by_group) == [CO, OA, PR]
    assert dict(by_group) == {CO: m("20.00"), OA: m("4.00"), PR: m("11.00")}
    assert claim.adjustments_total() == m("35.00")
    assert claim.patient_responsibility_total() == m("11.00")
    assert list(LINE.adjustments_by_group()) == [CO, PR]
    assert LINE.adjustments_total() == m("30.00")
    euro = ServicePayment(procedure=CPT("99213"), charge=Money(Decimal(1), "EUR"),
                          paid=Money(Decimal(1), "EUR"))
    assert euro.adjustments_total() == Money.zero("EUR")


def test_reverse_keeps_absent_amounts_absent() -> None:
    reversal = reverse(CLAIM)
    assert reversal.patient_responsibility is None
    assert reversal.services[0].allowed is None
    with_both = attrs.evolve(CLAIM, patient_responsibility=m("10.00"),
                             services=[attrs.evolve(LINE, allowed=m("80.00"))])
    again = reverse(with_both)
    assert again.patient_responsibility == m("-10.00")
    assert again.services[0].allowed == m("-80.00")
    refused(lambda: reverse(reversal), "$.status", "already-reversal")


# -- constructors take keywords only ---------------------------------------------------------


def test_constructors_are_keyword_only() -> None:
    """Positional fields would silently swap charge and paid, or payer and payee."""
    with pytest.raises(TypeError):
        Remittance(PAYER, PAYEE, PaymentMethod.ACH, m("65.00"), "T1",  # type: ignore[call-arg]
                   date(2026, 3, 2), [CLAIM])
    with pytest.raises(TypeError):
        Payee("CLINIC")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        RemittancePayer(PayerId("12345"), "ACME")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        CrossoverCarrier("ACME")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        ProviderAdjustment(ProviderAdjustmentReason.INTEREST_OWED,  # type: ignore[call-arg]
                           m("1.00"))
    with pytest.raises(TypeError):
        ServicePayment(CPT("99213"), None, (),  # type: ignore[call-arg]
                       Decimal(1), m("1.00"), m("1.00"))
    with pytest.raises(TypeError):
        ClaimPayment(ClaimId("C1"), PRIMARY, m("1.00"),  # type: ignore[call-arg]
                     m("1.00"), None, PayerClaimNumber("P"))
