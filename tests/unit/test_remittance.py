"""Worked 835 remittances from the X12 TR3 examples, to the cent, and the balancing rules.

The numbers come from the 835 example transactions of the X12 005010X221A1 guide as
shipped by LinuxForHealth/x12 (Apache-2.0) and pyx12 (BSD), kept beside the project in
``../shared/fixtures/x12/835/`` and summarised in
``../shared/fixtures/adjudication/worked_examples.json``. They are copied here as
numbers, with the segment each comes from, so the tests run without that folder.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from claimcore.codes import (
    CARC,
    CPT,
    HCPCS,
    RARC,
    AdjustmentGroup,
    ClaimFrequency,
    ClaimStatusCode,
    Modifier,
    RevenueCode,
)
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.ids import NPI, ClaimId, PayerClaimNumber, PayerId, TaxId
from claimcore.money import Money
from claimcore.periods import Period
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
from claimcore.serialization import make_converter

CO = AdjustmentGroup.CONTRACTUAL_OBLIGATION
OA = AdjustmentGroup.OTHER_ADJUSTMENT
PI = AdjustmentGroup.PAYER_INITIATED_REDUCTION
PR = AdjustmentGroup.PATIENT_RESPONSIBILITY


def m(text: str) -> Money:
    return Money(Decimal(text))


def cas(group: AdjustmentGroup, reason: str, amount: str) -> Adjustment:
    return Adjustment(group=group, reason=CARC(reason), amount=m(amount))


# -- lfh_managed-care.835 -----------------------------------------------------------------------
# BPR*I*945.00*C*ACH*...; TRN*1*7170066655*1935665544; N1*PR*RUSHMORE LIFE;
# N1*PE*ACME MEDICAL CENTER*XX*5544667733 (that NPI fails the Luhn check, so the payee is
# identified here by its REF*TJ tax id 777667755); BPR16 20002316 is not a date, so the
# production date DTM*405 20020314 stands in for the payment date.
MANAGED_CARE_1 = ClaimPayment(
    claim=ClaimId("5554555444"),                     # CLP01
    status=ClaimStatusCode.PROCESSED_AS_PRIMARY,     # CLP02 1
    charge=m("800.00"), paid=m("450.00"),            # CLP03, CLP04
    patient_responsibility=m("300.00"),              # CLP05
    payer_claim_number=PayerClaimNumber("94060555410000"),
    adjustments=[cas(CO, "A2", "50.00")],            # CAS*CO*A2*50.00
    services=[ServicePayment(
        procedure=CPT("99211"), charge=m("800.00"), paid=m("500.00"),  # SVC*HC:99211
        adjustments=[cas(PR, "1", "300.00")],        # CAS*PR*1*300.00
        service_period=Period(date(2002, 3, 1), date(2002, 3, 4)),    # DTM*150/151
    )],
)
MANAGED_CARE_2 = ClaimPayment(
    claim=ClaimId("8765432112"),
    status=ClaimStatusCode.PROCESSED_AS_PRIMARY,
    charge=m("1200.00"), paid=m("495.00"), patient_responsibility=m("600.00"),
    payer_claim_number=PayerClaimNumber("94077799230000"),
    adjustments=[cas(CO, "A2", "55.00")],
    services=[ServicePayment(
        procedure=CPT("93555"), charge=m("1200.00"), paid=m("550.00"),
        adjustments=[cas(PR, "1", "600.00"), cas(CO, "45", "50.00")],
        service_period=Period(date(2002, 3, 10), date(2002, 3, 12)),
    )],
)
MANAGED_CARE = Remittance(
    payer=RemittancePayer(payer_id=PayerId("1935665544"), name="RUSHMORE LIFE"),
    payee=Payee(name="ACME MEDICAL CENTER", tax_id=TaxId("777667755")),
    method=PaymentMethod.ACH,
    payment=m("945.00"),
    trace="7170066655",
    paid_on=date(2002, 3, 14),
    claims=[MANAGED_CARE_1, MANAGED_CARE_2],
)


def test_managed_care_balances_at_every_level() -> None:
    """lfh_managed-care.835: 945.00 = 450.00 + 495.00 with CO-A2 at claim level, PR-1 on lines."""
    assert MANAGED_CARE.claims_paid() == m("945.00")
    assert MANAGED_CARE.provider_adjustments_total() == m("0.00")
    first, second = MANAGED_CARE.claims
    # 800 - 450 = 300 + 50; the line: 800 - 300 = 500.
    assert first.adjustments_total() == m("350.00")
    assert first.services[0].adjustments_total() == m("300.00")
    assert dict(first.adjustments_by_group()) == {CO: m("50.00"), PR: m("300.00")}
    assert first.patient_responsibility_total() == first.patient_responsibility == m("300.00")
    # 1200 - 495 = 600 + 50 + 55.
    assert dict(second.adjustments_by_group()) == {CO: m("105.00"), PR: m("600.00")}
    assert list(second.adjustments_by_group()) == [CO, PR]
    assert second.patient_responsibility_total() == m("600.00")
    assert dict(second.services[0].adjustments_by_group()) == {CO: m("50.00"), PR: m("600.00")}
    assert [a.reason for a in second.all_adjustments()] == [CARC("A2"), CARC("1"), CARC("45")]
    assert not first.is_denial and not first.is_reversal


# -- lfh_medicare-part-a.835 --------------------------------------------------------------------
# BPR*C*150000.00*C*ACH*...*20020913; TRN*1*12345*1512345678; REF*2U*999; the payee NPI
# 6543210903 in N1*PE fails the NPI format (first digit 6): a valid NPI stands in for it.
MEDICARE_A = Remittance(
    payer=RemittancePayer(payer_id=PayerId("999"), name="INSURANCE COMPANY OF TIMBUCKTU"),
    payee=Payee(name="REGIONAL HOPE HOSPITAL", npi=NPI("1234567893")),
    method=PaymentMethod.ACH,
    payment=m("150000.00"),
    trace="12345",
    paid_on=date(2002, 9, 13),
    claims=[
        ClaimPayment(  # CLP*666123*1*211366.97*138018.40**MA*1999999444444*11*1
            claim=ClaimId("666123"), status=ClaimStatusCode.PROCESSED_AS_PRIMARY,
            charge=m("211366.97"), paid=m("138018.40"),
            payer_claim_number=PayerClaimNumber("1999999444444"),
            facility_code="11", frequency=ClaimFrequency.ORIGINAL,
            adjustments=[cas(CO, "45", "73348.57")],
            statement_period=Period(date(2002, 8, 16), date(2002, 8, 24)),
        ),
        ClaimPayment(  # CLP*777777*1*15000.00*11980.33**MB*1999999444445*13*1; MOA***MA02
            claim=ClaimId("777777"), status=ClaimStatusCode.PROCESSED_AS_PRIMARY,
            charge=m("15000.00"), paid=m("11980.33"),
            payer_claim_number=PayerClaimNumber("1999999444445"),
            facility_code="13", frequency=ClaimFrequency.ORIGINAL,
            adjustments=[cas(CO, "45", "3019.67")],
            remarks=[RARC("MA02")],
            statement_period=Period(date(2002, 5, 12)),
        ),
    ],
    # PLB*6543210903*20021231*CV:CP*-1.27
    provider_adjustments=[ProviderAdjustment(
        reason=ProviderAdjustmentReason.CAPITAL_PASSTHROUGH, reference="CP",
        amount=m("-1.27"), provider_id="6543210903", fiscal_period_end=date(2002, 12, 31),
    )],
)


def test_medicare_part_a_payment_includes_the_negative_plb() -> None:
    """lfh_medicare-part-a.835: BPR02 150000.00 = 149998.73 - (-1.27)."""
    assert MEDICARE_A.claims_paid() == m("149998.73")
    assert MEDICARE_A.provider_adjustments_total() == m("-1.27")
    assert MEDICARE_A.payment == MEDICARE_A.claims_paid() - MEDICARE_A.provider_adjustments_total()
    first = MEDICARE_A.claims[0]
    assert first.charge - first.adjustments_total() == m("138018.40")
    assert dict(MEDICARE_A.claims[1].adjustments_by_group()) == {CO: m("3019.67")}
    assert MEDICARE_A.claims[1].patient_responsibility_total() == m("0.00")


def test_medicare_part_a_refuses_a_payment_without_the_plb() -> None:
    """Without its PLB the Medicare remittance is off by 1.27 and is refused."""
    with pytest.raises(ValidationError) as err:
        attrs.evolve(MEDICARE_A, provider_adjustments=())
    assert (err.value.rule, err.value.path) == ("payment-balance", "$.payment")
    assert "149,998.73" in str(err.value)
    assert "difference $1.27" in str(err.value)


# -- lfh_secondary-payment.835 ------------------------------------------------------------------
# BPR*I*1222.00*C*CHK************20050412; TRN*1*0012524965*1559123456;
# N1*PE*ACME MEDICAL CENTER*FI*599944521.
SECONDARY = Remittance(
    payer=RemittancePayer(payer_id=PayerId("1559123456"), name="YOUR TAX DOLLARS AT WORK"),
    payee=Payee(name="ACME MEDICAL CENTER", tax_id=TaxId("599944521")),
    method=PaymentMethod.CHECK,
    payment=m("1222.00"),
    trace="0012524965",
    paid_on=date(2005, 4, 12),
    claims=[
        ClaimPayment(  # CLP*L0004828311*2*10323.64*912.00**12*05090256390*11*1
            claim=ClaimId("L0004828311"), status=ClaimStatusCode.PROCESSED_AS_SECONDARY,
            charge=m("10323.64"), paid=m("912.00"),
            payer_claim_number=PayerClaimNumber("05090256390"),
            facility_code="11", frequency=ClaimFrequency.ORIGINAL,
            adjustments=[cas(OA, "23", "9411.64")],
            statement_period=Period(date(2005, 3, 3), date(2005, 3, 4)),
        ),
        ClaimPayment(  # CLP*0001000053*2*751.50*310.00*220.00*12*05630626430
            claim=ClaimId("0001000053"), status=ClaimStatusCode.PROCESSED_AS_SECONDARY,
            charge=m("751.50"), paid=m("310.00"), patient_responsibility=m("220.00"),
            payer_claim_number=PayerClaimNumber("05630626430"),
            statement_period=Period.day(date(2005, 1, 6)),
            services=[
                ServicePayment(  # SVC*HC>12345>26*166.50*30.00**1.00; AMT*B6*150.00
                    procedure=CPT("12345"), modifiers=[Modifier("26")], units=Decimal("1.00"),
                    charge=m("166.50"), paid=m("30.00"), allowed=m("150.00"),
                    adjustments=[cas(OA, "23", "136.50")],
                    service_period=Period.day(date(2005, 1, 6)),
                ),
                # SVC*HC>66543>26*585.00*280.00*220*1.00: SVC04 "220" is a revenue code
                # written with three digits, which claimcore does not pad; left out here.
                ServicePayment(
                    procedure=CPT("66543"), modifiers=[Modifier("26")], units=Decimal("1.00"),
                    charge=m("585.00"), paid=m("280.00"), allowed=m("500.00"),
                    adjustments=[cas(PR, "1", "150.00"), cas(PR, "2", "70.00"),
                                 cas(CO, "42", "85.00")],
                    service_period=Period.day(date(2005, 1, 6)),
                ),
            ],
        ),
    ],
)


def test_secondary_payment_with_oa23_and_allowed_amounts() -> None:
    """lfh_secondary-payment.835: OA-23 prior payer amounts; allowed 500 = 585 - 85, paid
    280 = 500 - 150 - 70."""
    assert SECONDARY.claims_paid() == m("1222.00")
    first, second = SECONDARY.claims
    assert dict(first.adjustments_by_group()) == {OA: m("9411.64")}
    line = second.services[1]
    assert line.allowed == line.charge - line.adjustments_by_group()[CO] == m("500.00")
    assert line.allowed - line.adjustments_by_group()[PR] == line.paid == m("280.00")
    assert second.patient_responsibility_total() == second.patient_responsibility
    assert dict(second.adjustments_by_group()) == {
        CO: m("85.00"), OA: m("136.50"), PR: m("220.00"),
    }
    assert all(c.status.payer_order == 2 for c in SECONDARY.claims)


# -- lfh_cob-contractural-adjustment.835 ---------------------------------------------------------
# BPR*I*34.00*C*CHK************20050318; TRN*1*0063158ABC*1566339911; the payee's FI id
# 3UR334563 is not an EIN, so a valid tax id stands in for it.
COB_NEGATIVE = Remittance(
    payer=RemittancePayer(payer_id=PayerId("1566339911"), name="YOUR TAX DOLLARS AT WORK"),
    payee=Payee(name="ATONEWITHHEALTH", tax_id=TaxId("123456789")),
    method=PaymentMethod.CHECK,
    payment=m("34.00"),
    trace="0063158ABC",
    paid_on=date(2005, 3, 18),
    claims=[ClaimPayment(  # CLP*0001000055*2*541.00*34.00**12*50650619501
        claim=ClaimId("0001000055"), status=ClaimStatusCode.PROCESSED_AS_SECONDARY,
        charge=m("541.00"), paid=m("34.00"),
        payer_claim_number=PayerClaimNumber("50650619501"),
        statement_period=Period.day(date(2005, 2, 2)),
        services=[ServicePayment(  # SVC*HC>55669*541.00*34.00**1.00; AMT*B6*550.00
            procedure=CPT("55669"), units=Decimal("1.00"), charge=m("541.00"),
            paid=m("34.00"), allowed=m("550.00"),
            adjustments=[cas(OA, "23", "516.00"), cas(OA, "94", "-9.00")],
            service_period=Period.day(date(2005, 2, 2)),
        )],
    )],
)


def test_a_negative_adjustment_raises_the_payment() -> None:
    """lfh_cob-contractural-adjustment.835: 541 - 34 = 507 = 516 + (-9) (OA-94 -9.00)."""
    line = COB_NEGATIVE.claims[0].services[0]
    assert line.adjustments_total() == m("507.00")
    assert line.charge - line.adjustments_total() == line.paid == m("34.00")
    # Without the negative OA-94 the line would pay 25.00, not 34.00.
    with pytest.raises(ValidationError) as err:
        attrs.evolve(line, adjustments=line.adjustments[:1])
    assert err.value.rule == "line-balance"
    assert "= $25.00, but paid (SVC03) is $34.00 (difference $9.00)" in str(err.value)


# -- pyx12_835_mult_loops.txt ------------------------------------------------------------------
# BPR*H*0*C*NON************20041028; TRN*1*000000000*1386000134; N1*PE*UNKNOWN*FI*444313000.
DENIED_CLAIM = ClaimPayment(  # CLP*2005555A*4*915.39*0**MC*4276512332
    claim=ClaimId("2005555A"), status=ClaimStatusCode.DENIED,
    charge=m("915.39"), paid=m("0.00"), payer_claim_number=PayerClaimNumber("4276512332"),
    services=[
        ServicePayment(  # SVC*HC:T1005*500.04*0**68; CAS*CO*16*500.04; LQ*HE*N14
            procedure=HCPCS("T1005"), units=Decimal(68), charge=m("500.04"), paid=m("0.00"),
            adjustments=[cas(CO, "16", "500.04")], remarks=[RARC("N14")],
            service_period=Period.day(date(2003, 11, 29)),
        ),
        ServicePayment(  # SVC*HC:T1005*127.8*0**16; CAS*OA*A7*127.8
            procedure=HCPCS("T1005"), units=Decimal(16), charge=m("127.80"), paid=m("0.00"),
            adjustments=[cas(OA, "A7", "127.80")], remarks=[RARC("N14")],
            service_period=Period.day(date(2003, 10, 30)),
        ),
        ServicePayment(  # SVC*HC:T1005*287.55*0**36; CAS*OA*A7*287.55
            procedure=HCPCS("T1005"), units=Decimal(36), charge=m("287.55"), paid=m("0.00"),
            adjustments=[cas(OA, "A7", "287.55")], remarks=[RARC("N14")],
            service_period=Period.day(date(2003, 10, 31)),
        ),
    ],
)
DENIED = Remittance(
    payer=RemittancePayer(payer_id=PayerId("1386000134"), name="PAYER"),
    payee=Payee(name="UNKNOWN", tax_id=TaxId("444313000")),
    method=PaymentMethod.NON_PAYMENT,
    payment=m("0.00"),
    trace="000000000",
    paid_on=date(2004, 10, 28),
    claims=[DENIED_CLAIM],
)


def test_a_denied_claim_with_co16_and_n14() -> None:
    """pyx12_835_mult_loops.txt: status 4, nothing paid, CO-16 500.04 and OA-A7 415.35."""
    assert DENIED_CLAIM.is_denial
    assert dict(DENIED_CLAIM.adjustments_by_group()) == {CO: m("500.04"), OA: m("415.35")}
    assert DENIED_CLAIM.adjustments_total() == DENIED_CLAIM.charge
    assert all(s.remarks == (RARC("N14"),) for s in DENIED_CLAIM.services)
    assert DENIED.payment.is_zero() and DENIED.claims_paid().is_zero()


def test_denial_is_read_from_the_money_too() -> None:
    """A processed claim with nothing paid and nothing owed by the patient is a denial;
    one whose charge went to the deductible is not."""
    all_co = ClaimPayment(
        claim=ClaimId("X1"), status=ClaimStatusCode.PROCESSED_AS_PRIMARY, charge=m("100.00"),
        paid=m("0.00"), payer_claim_number=PayerClaimNumber("P1"),
        adjustments=[cas(CO, "50", "100.00")],
    )
    assert all_co.is_denial
    deductible = attrs.evolve(all_co, adjustments=[cas(PR, "1", "100.00")])
    assert not deductible.is_denial
    assert not reverse(MANAGED_CARE_1).is_denial


# -- reversals ----------------------------------------------------------------------------------


def test_reverse_negates_every_amount() -> None:
    """A status 22 reversal carries the original's amounts negated, groups unchanged."""
    back = reverse(MANAGED_CARE_2)
    assert back.status is ClaimStatusCode.REVERSAL and back.is_reversal
    assert (back.charge, back.paid, back.patient_responsibility) == (
        m("-1200.00"), m("-495.00"), m("-600.00")
    )
    assert back.adjustments == (cas(CO, "A2", "-55.00"),)
    line = back.services[0]
    assert (line.charge, line.paid) == (m("-1200.00"), m("-550.00"))
    assert line.adjustments == (cas(PR, "1", "-600.00"), cas(CO, "45", "-50.00"))
    assert dict(back.adjustments_by_group()) == {CO: m("-105.00"), PR: m("-600.00")}
    assert (back.claim, back.payer_claim_number) == (MANAGED_CARE_2.claim,
                                                     MANAGED_CARE_2.payer_claim_number)
    secondary_line = reverse(SECONDARY.claims[1]).services[0]
    assert secondary_line.allowed == m("-150.00")
    assert reverse(MEDICARE_A.claims[0]).patient_responsibility is None


def test_a_reversal_and_the_corrected_claim_in_one_remittance() -> None:
    """A remittance reversing a claim and paying it anew nets the two."""
    corrected = attrs.evolve(
        MANAGED_CARE_1, paid=m("460.00"), adjustments=[cas(CO, "A2", "40.00")]
    )
    remittance = attrs.evolve(
        MANAGED_CARE, payment=m("10.00"),
        claims=[reverse(MANAGED_CARE_1), corrected],
    )
    assert remittance.claims_paid() == m("10.00")


def test_reversal_sign_rules() -> None:
    """A reversal never has a positive charge; any other claim never a negative one."""
    with pytest.raises(ValidationError) as err:
        attrs.evolve(MANAGED_CARE_1, status=ClaimStatusCode.REVERSAL)
    assert (err.value.path, err.value.rule) == ("$.charge", "reversal-sign")
    back = reverse(MANAGED_CARE_1)
    with pytest.raises(ValidationError) as err:
        attrs.evolve(back, status=ClaimStatusCode.PROCESSED_AS_PRIMARY)
    assert (err.value.path, err.value.rule) == ("$.charge", "negative-charge")
    with pytest.raises(ValidationError) as err:
        reverse(back)
    assert err.value.rule == "already-reversal"
    # A line with the wrong sign is named by its place.
    with pytest.raises(ValidationError) as err:
        ClaimPayment(
            claim=ClaimId("R1"), status=ClaimStatusCode.REVERSAL, charge=m("0.00"),
            paid=m("500.00"), payer_claim_number=PayerClaimNumber("P1"),
            adjustments=[cas(CO, "A2", "-1300.00")],
            services=[MANAGED_CARE_1.services[0]],
        )
    assert (err.value.path, err.value.rule) == ("$.services[0].charge", "reversal-sign")


# -- bad input ----------------------------------------------------------------------------------


def test_an_unbalanced_line_names_the_difference() -> None:
    """charge - adjustments must equal paid on a line (rule line-balance)."""
    with pytest.raises(ValidationError) as err:
        ServicePayment(procedure=CPT("99211"), charge=m("800.00"), paid=m("450.00"),
                       adjustments=[cas(PR, "1", "300.00")])
    assert (err.value.rule, err.value.path) == ("line-balance", "$")
    assert str(err.value) == (
        "service line does not balance (line-balance): charge - line adjustments = "
        "$500.00, but paid (SVC03) is $450.00 (difference -$50.00)"
    )


def test_an_unbalanced_claim_names_the_difference() -> None:
    """charge - (claim and line adjustments) must equal paid (rule claim-balance)."""
    with pytest.raises(ValidationError) as err:
        attrs.evolve(MANAGED_CARE_1, adjustments=())
    assert (err.value.rule, err.value.path) == ("claim-balance", "$")
    assert "= $500.00, but paid (CLP04) is $450.00 (difference -$50.00)" in str(err.value)
    # Without lines, claim adjustments alone must balance the claim.
    with pytest.raises(ValidationError) as err:
        attrs.evolve(MEDICARE_A.claims[0], paid=m("138018.41"))
    assert err.value.rule == "claim-balance"


def test_an_unbalanced_remittance_names_its_place_through_the_converter() -> None:
    """Structuring an 835 document reports the level, the place and the difference."""
    conv = make_converter()
    data = conv.unstructure(MANAGED_CARE)
    assert conv.structure(data, Remittance) == MANAGED_CARE
    data["claims"][1]["services"][0]["paid"] = "560.00"
    with pytest.raises(ValidationError) as err:
        conv.structure(data, Remittance)
    [(path, message)] = err.value.problems
    assert path == "$.claims[1].services[0]"
    assert "line-balance" in message and "difference $10.00" in message
    data = conv.unstructure(MANAGED_CARE)
    data["claims"][0]["paid"] = "440.00"
    with pytest.raises(ValidationError) as err:
        conv.structure(data, Remittance)
    [(path, message)] = err.value.problems
    assert path == "$.claims[0]" and "claim-balance" in message
    data = conv.unstructure(MANAGED_CARE)
    data["payment"] = "944.99"
    with pytest.raises(ValidationError) as err:
        conv.structure(data, Remittance)
    [(path, message)] = err.value.problems
    assert path == "$.payment" and "payment-balance" in message
    assert "difference -$0.01" in message


@pytest.mark.parametrize(
    ("changes", "path", "rule"),
    [
        ({"payment": m("-1.00"), "claims": [reverse(MANAGED_CARE_1), MANAGED_CARE_2]},
         "$.payment", "negative-payment"),
        ({"method": PaymentMethod.NON_PAYMENT}, "$.payment", "non-payment"),
        ({"trace": ""}, "$.trace", "empty"),
        ({"paid_on": "2002-03-14"}, "$.paid_on", "type"),
        ({"method": "ACH"}, "$.method", "type"),
        ({"claims": [MANAGED_CARE_1, "claim"]}, "$.claims[1]", "type"),
        ({"payment": Money(Decimal("945.00"), "EUR")}, "$.claims[0].paid", "currency"),
        ({"provider_adjustments": [ProviderAdjustment(
            reason=ProviderAdjustmentReason.INTEREST_OWED, amount=Money(Decimal(0), "EUR"))]},
         "$.provider_adjustments[0].amount", "currency"),
    ],
)
def test_remittance_refuses_bad_values(changes: dict[str, object], path: str, rule: str) -> None:
    """Negative payments, paying non-payments, missing traces, wrong types and currencies."""
    with pytest.raises(ValidationError) as err:
        attrs.evolve(MANAGED_CARE, **changes)  # type: ignore[arg-type]
    assert (err.value.path, err.value.rule) == (path, rule)


@pytest.mark.parametrize(
    ("changes", "path", "rule"),
    [
        ({"procedure": None}, "$.procedure", "service-code"),
        ({"procedure": "99211"}, "$.procedure", "type"),
        ({"modifiers": [Modifier(c) for c in ("25", "26", "59", "TC", "LT")]}, "$.modifiers",
         "modifier-count"),
        ({"units": Decimal(-1)}, "$.units", "non-negative"),
        ({"units": 1.5}, "$.units", "type"),
        ({"allowed": Money(Decimal(1), "EUR")}, "$.allowed", "currency"),
        ({"paid": Money(Decimal("500.00"), "EUR")}, "$.paid", "currency"),
        ({"adjustments": [Adjustment(group=PR, reason=CARC("1"),
                                     amount=Money(Decimal(300), "EUR"))]},
         "$.adjustments[0].amount", "currency"),
        ({"line_ref": " x"}, "$.line_ref", "format"),
        ({"remarks": ["N14"]}, "$.remarks[0]", "type"),
    ],
)
def test_service_payment_refuses_bad_values(
    changes: dict[str, object], path: str, rule: str
) -> None:
    """A line needs a code, at most four modifiers, units >= 0, one currency."""
    with pytest.raises(ValidationError) as err:
        attrs.evolve(MANAGED_CARE_1.services[0], **changes)  # type: ignore[arg-type]
    assert (err.value.path, err.value.rule) == (path, rule)


def test_institutional_lines_may_carry_a_revenue_code() -> None:
    """A revenue code alone, or beside the procedure, names an institutional line."""
    line = ServicePayment(revenue_code=RevenueCode("0450"), charge=m("10.00"), paid=m("10.00"))
    assert line.procedure is None and line.units == Decimal(1)
    both = attrs.evolve(line, procedure=HCPCS("G0438"), line_ref="6R-0001")
    assert both.revenue_code == RevenueCode("0450")


@pytest.mark.parametrize(
    ("changes", "path", "rule"),
    [
        ({"claim": "5554555444"}, "$.claim", "type"),
        ({"status": "1"}, "$.status", "type"),
        ({"paid": Money(Decimal("450.00"), "EUR")}, "$.paid", "currency"),
        ({"patient_responsibility": Money(Decimal(300), "EUR")}, "$.patient_responsibility",
         "currency"),
        ({"adjustments": [Adjustment(group=CO, reason=CARC("A2"),
                                     amount=Money(Decimal(50), "EUR"))]},
         "$.adjustments[0].amount", "currency"),
        ({"facility_code": "111"}, "$.facility_code", "format"),
        ({"frequency": "1"}, "$.frequency", "type"),
        ({"crossover": "MEDICAID"}, "$.crossover", "type"),
        ({"charge": m("-800.00")}, "$.charge", "negative-charge"),
    ],
)
def test_claim_payment_refuses_bad_values(
    changes: dict[str, object], path: str, rule: str
) -> None:
    """A claim payment checks its fields, currencies and signs."""
    with pytest.raises(ValidationError) as err:
        attrs.evolve(MANAGED_CARE_1, **changes)  # type: ignore[arg-type]
    assert (err.value.path, err.value.rule) == (path, rule)


def test_claim_currency_of_lines_must_match() -> None:
    """A line in another currency than its claim is refused at the line's charge."""
    euro_line = ServicePayment(procedure=CPT("99211"), charge=Money(Decimal(5), "EUR"),
                               paid=Money(Decimal(5), "EUR"))
    with pytest.raises(ValidationError) as err:
        ClaimPayment(claim=ClaimId("E1"), status=ClaimStatusCode.PROCESSED_AS_PRIMARY,
                     charge=m("5.00"), paid=m("5.00"), payer_claim_number=PayerClaimNumber("P"),
                     services=[euro_line])
    assert (err.value.path, err.value.rule) == ("$.services[0].charge", "currency")


def test_crossover_payee_and_payer_records() -> None:
    """The small 835 party records check their names and identifiers."""
    carrier = CrossoverCarrier(name="STATE MEDICAID", payer_id=PayerId("SKCO0"))
    forwarded = attrs.evolve(MANAGED_CARE_1, status=ClaimStatusCode.PROCESSED_AS_PRIMARY_FORWARDED,
                             crossover=carrier)
    assert forwarded.status.is_crossover and forwarded.crossover == carrier
    with pytest.raises(ValidationError) as err:
        CrossoverCarrier(name="")
    assert err.value.path == "$.name"
    with pytest.raises(ValidationError) as err:
        Payee(name="NOBODY")
    assert (err.value.path, err.value.rule) == ("$.npi", "payee-id")
    with pytest.raises(TypeMismatch):
        Payee(name="X", npi="1234567893")  # type: ignore[arg-type]
    with pytest.raises(TypeMismatch):
        RemittancePayer(payer_id="ACME", name="ACME")  # type: ignore[arg-type]
    both = Payee(name="X", npi=NPI("1234567893"), tax_id=TaxId("12-3456789"))
    assert both.tax_id == TaxId("123456789")


def test_adjustment_and_plb_refuse_bad_values() -> None:
    """Adjustments need a group, a CARC and Money; a PLB a known reason code."""
    with pytest.raises(TypeMismatch) as err:
        Adjustment(group="CO", reason=CARC("45"), amount=m("1.00"))  # type: ignore[arg-type]
    assert err.value.path == "$.group"
    with pytest.raises(TypeMismatch) as err:
        Adjustment(group=CO, reason=CARC("45"), amount=m("1.00"), quantity=1.0)  # type: ignore[arg-type]
    assert err.value.path == "$.quantity"
    assert Adjustment(group=CO, reason=CARC("45"), amount=m("1.00"),
                      quantity=Decimal(2)).negated().amount == m("-1.00")
    with pytest.raises(ValueError, match="ZZ"):
        ProviderAdjustmentReason("ZZ")
    assert ProviderAdjustmentReason("WO") is ProviderAdjustmentReason.OVERPAYMENT_RECOVERY
    assert ProviderAdjustmentReason("L6") is ProviderAdjustmentReason.INTEREST_OWED
    with pytest.raises(ValidationError) as plb_err:
        ProviderAdjustment(reason=ProviderAdjustmentReason.INTEREST_OWED, amount=m("1.00"),
                           fiscal_period_end="2002-12-31")  # type: ignore[arg-type]
    assert plb_err.value.path == "$.fiscal_period_end"
    assert PaymentMethod("CHK") is PaymentMethod.CHECK
    with pytest.raises(TypeMismatch):
        reverse("claim")  # type: ignore[arg-type]


def test_a_payee_may_carry_an_id_that_is_neither_npi_nor_ein() -> None:
    """An unverifiable payee id is kept as sent, with its qualifier, and never trusted."""
    from claimcore.remittance import Payee

    payee = Payee(name="GENERAL HOSPITAL", other_id="6543210903", other_qualifier="XX")
    assert payee.npi is None and payee.tax_id is None
    assert payee.other_id == "6543210903"
    with pytest.raises(ValidationError) as caught:
        Payee(name="GENERAL HOSPITAL", other_id="6543210903")
    assert caught.value.rule == "payee-other-id"
    with pytest.raises(ValidationError) as caught:
        Payee(name="GENERAL HOSPITAL")
    assert caught.value.rule == "payee-id"
