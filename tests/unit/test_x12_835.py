"""Reading 835 remittances: the TR3 examples to the cent, real-world quirks, clear errors."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from claimcore.codes import CARC, RARC, AdjustmentGroup, ClaimStatusCode, procedure_code
from claimcore.ids import ClaimId, PayerClaimNumber, PayerId, TaxId
from claimcore.money import Money
from claimcore.periods import Period
from claimcore.remittance import (
    Adjustment,
    ClaimPayment,
    Payee,
    PaymentMethod,
    ProviderAdjustment,
    ProviderAdjustmentReason,
    Remittance,
    RemittancePayer,
    ServicePayment,
    reverse,
)
from claimcore.x12 import (
    ControlNumbers,
    WarningCode,
    X12Error,
    read_835,
    read_835_with_warnings,
    write_835,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "x12"
ISA = ("ISA*00*          *00*          *ZZ*PAYER          *ZZ*PROVIDER       "
       "*260115*1200*^*00501*000000001*0*P*:~")
NUMBERS = ControlNumbers(interchange=7, group=7, transaction=1)
AT = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def usd(text: str) -> Money:
    return Money(Decimal(text))


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text()


def interchange(*body: str, version: str = "005010X221A1", st01: str = "835") -> str:
    """An 835 interchange around ``body`` segments, with correct counts."""
    segments = [f"ST*{st01}*0001", *body]
    return (ISA + f"GS*HP*PAYER*PROVIDER*20260115*1200*1*X*{version}~"
            + "~".join(segments) + f"~SE*{len(segments) + 1}*0001~GE*1*1~IEA*1*000000001~")


HEADER = (
    "BPR*I*100.00*C*CHK************20260110",
    "TRN*1*CHK0001*1999999999",
    "N1*PR*ACME HEALTH PLAN",
    "REF*2U*ACME01",
    "N1*PE*GOOD CLINIC*XX*1234567893",
)


def test_managed_care_reads_to_the_cent() -> None:
    """lfh_managed-care: 945.00 = 450.00 + 495.00, claim CO-A2 and line PR-1/CO-45 exact."""
    result = read_835_with_warnings(fixture("lfh_managed-care.835"))
    (rem,) = result.remittances
    assert rem.payment == usd("945.00")
    assert rem.method is PaymentMethod.ACH
    assert rem.trace == "7170066655"
    assert rem.payer == RemittancePayer(payer_id=PayerId("1935665544"), name="RUSHMORE LIFE")
    assert rem.payee == Payee(name="ACME MEDICAL CENTER", tax_id=TaxId("777667755"))
    first, second = rem.claims
    assert first.claim == ClaimId("5554555444")
    assert first.status is ClaimStatusCode.PROCESSED_AS_PRIMARY
    assert (first.charge, first.paid, first.patient_responsibility) == (
        usd("800.00"), usd("450.00"), usd("300.00"))
    assert first.payer_claim_number == PayerClaimNumber("94060555410000")
    assert first.facility_code is None
    assert first.adjustments == (
        Adjustment(group=AdjustmentGroup("CO"), reason=CARC("A2"), amount=usd("50.00")),)
    (line,) = first.services
    assert line.procedure == procedure_code("99211")
    assert (line.charge, line.paid) == (usd("800.00"), usd("500.00"))
    assert line.service_period == Period(date(2002, 3, 1), date(2002, 3, 4))
    assert line.adjustments == (
        Adjustment(group=AdjustmentGroup("PR"), reason=CARC("1"), amount=usd("300.00")),)
    assert (second.charge, second.paid) == (usd("1200.00"), usd("495.00"))
    assert [(a.group.value, a.reason.code, a.amount) for a in second.all_adjustments()] == [
        ("CO", "A2", usd("55.00")), ("PR", "1", usd("600.00")), ("CO", "45", usd("50.00"))]
    assert second.patient_responsibility_total() == usd("600.00")


def test_managed_care_warns_about_its_quirks() -> None:
    """The impossible BPR16 date falls back to DTM*405; the bad payee NPI is dropped."""
    result = read_835_with_warnings(fixture("lfh_managed-care.835"))
    assert result.remittances[0].paid_on == date(2002, 3, 14)
    found = {(w.code, w.segment_number, w.element) for w in result.warnings}
    assert (WarningCode.INVALID_DATE, 4, "BPR16") in found
    assert (WarningCode.INVALID_VALUE, 10, "N104") in found
    assert all("5544667733" not in str(w) for w in result.warnings)


def test_secondary_payment_with_a_foreign_composite_separator() -> None:
    """lfh_secondary: ISA16 ':' but SVC uses '>'; codes, modifiers, allowed and PR-1/2."""
    result = read_835_with_warnings(fixture("lfh_secondary-payment.835"))
    (rem,) = result.remittances
    assert rem.payment == usd("1222.00")
    first, second = rem.claims
    assert first.status is ClaimStatusCode.PROCESSED_AS_SECONDARY
    assert first.statement_period == Period(date(2005, 3, 3), date(2005, 3, 4))
    assert first.adjustments_total() == usd("9411.64")
    one, two = second.services
    assert (one.procedure, [m.code for m in one.modifiers]) == (procedure_code("12345"), ["26"])
    assert (one.charge, one.paid, one.allowed) == (usd("166.50"), usd("30.00"), usd("150.00"))
    assert (two.charge, two.paid, two.allowed) == (usd("585.00"), usd("280.00"), usd("500.00"))
    assert [(a.group.value, a.reason.code, a.amount) for a in two.adjustments] == [
        ("PR", "1", usd("150.00")), ("PR", "2", usd("70.00")), ("CO", "42", usd("85.00"))]
    codes = [(w.code, w.segment_number) for w in result.warnings]
    assert (WarningCode.COMPOSITE_SEPARATOR, 29) in codes
    assert (WarningCode.COMPOSITE_SEPARATOR, 34) in codes


def test_tertiary_payment_with_a_malformed_svc01() -> None:
    """lfh_tertiary: SVC*HC*24599.00*... is read as HC:24599 with charge 1766.50."""
    result = read_835_with_warnings(fixture("lfh_tertiary-payment.835"))
    (claim,) = result.remittances[0].claims
    assert claim.status is ClaimStatusCode.PROCESSED_AS_TERTIARY
    (line,) = claim.services
    assert line.procedure == procedure_code("24599")
    assert (line.charge, line.paid, line.units) == (usd("1766.50"), usd("187.50"), Decimal(1))
    assert {WarningCode.MALFORMED_COMPOSITE, WarningCode.MALFORMED_CODE} <= {
        w.code for w in result.warnings}


def test_denied_claim_with_remarks() -> None:
    """pyx12 file: CLP02 4, zero payment (BPR H/NON), CO-16 and OA-A7, LQ*HE*N14 per line."""
    (rem,) = read_835(fixture("pyx12_835_mult_loops.txt"))
    assert rem.method is PaymentMethod.NON_PAYMENT
    assert rem.payment == Money.zero()
    (claim,) = rem.claims
    assert claim.is_denial
    assert claim.status is ClaimStatusCode.DENIED
    assert [s.charge for s in claim.services] == [usd("500.04"), usd("127.80"), usd("287.55")]
    assert [s.units for s in claim.services] == [Decimal(68), Decimal(16), Decimal(36)]
    assert all(s.remarks == (RARC("N14"),) for s in claim.services)
    assert claim.adjustments_by_group()[AdjustmentGroup("OA")] == usd("415.35")
    assert claim.adjustments_by_group()[AdjustmentGroup("CO")] == usd("500.04")


def test_medicare_part_a_with_a_provider_level_adjustment() -> None:
    """150000.00 = 149998.73 - (-1.27): the PLB CV adjustment raises the payment."""
    (rem,) = read_835(fixture("lfh_medicare-part-a.835"))
    assert rem.claims_paid() == usd("149998.73")
    assert rem.provider_adjustments == (ProviderAdjustment(
        reason=ProviderAdjustmentReason("CV"), amount=usd("-1.27"), reference="CP",
        provider_id="6543210903", fiscal_period_end=date(2002, 12, 31)),)
    assert rem.claims[1].remarks == (RARC("MA02"),)


def test_cob_negative_adjustment() -> None:
    """541.00 - 34.00 = 516.00 + (-9.00): a negative OA-94 raises the payment."""
    (rem,) = read_835(fixture("lfh_cob-contractural-adjustment.835"))
    (claim,) = rem.claims
    assert claim.services[0].adjustments[1].amount == usd("-9.00")


def test_fixtures_agree_with_the_independent_readers() -> None:
    """Totals per claim equal what linuxforhealth-x12 / edi-835-parser reported, to the cent."""
    facts: dict[str, Any] = json.loads((FIXTURES / "independent_835.json").read_text())
    compared = 0
    for name, expected in facts["files"].items():
        if "remittances" not in expected:
            continue
        remittances = read_835(fixture(name))
        for rem, exp in zip(remittances, expected["remittances"], strict=True):
            if "BPR02" in exp:
                assert rem.payment == usd(exp["BPR02"])
                assert rem.provider_adjustments_total() == usd(exp["PLB"])
            for claim, want in zip(rem.claims, exp["claims"], strict=True):
                assert claim.claim.value == want["CLP01"]
                if "charge" in want:
                    assert (claim.charge, claim.paid) == (usd(want["charge"]), usd(want["paid"]))
                    assert claim.adjustments_total() == usd(want["adjustments"])
                    assert len(claim.services) == want["lines"]
                else:
                    got = [(s.procedure.code if s.procedure else "", s.charge, s.paid,
                            f"{s.adjustments[0].group.value}-{s.adjustments[0].reason.code} "
                            f"{s.adjustments[0].amount.amount}", s.remarks[0].code, int(s.units))
                           for s in claim.services]
                    assert got == [(w["code"], usd(w["charge"]), usd(w["paid"]), w["adjustment"],
                                    w["remark"], w["units"]) for w in want["lines"]]
                compared += 1
    assert compared == 9  # every claim of the six fixture files


def test_independent_reader_agrees_when_run_now() -> None:
    """edi-835-parser, run now, reports the same line charges and adjustments for pyx12's file."""
    import warnings

    import edi_835_parser  # in the test extra, so CI runs this; missing, the test fails

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = edi_835_parser.parse(str(FIXTURES / "pyx12_835_mult_loops.txt")).to_dataframe()
        theirs = [(Money.of(Decimal(str(r.charge_amount))), Money.of(Decimal(str(r.adj_0_amount))))
                  for r in frame.itertuples()]
    (rem,) = read_835(fixture("pyx12_835_mult_loops.txt"))
    ours = [(s.charge, s.adjustments_total()) for s in rem.claims[0].services]
    assert ours == theirs


def test_line_breaks_and_several_transaction_sets() -> None:
    """Two ST sets, CRLF after every terminator: two remittances in order, no warnings."""
    one = [*HEADER, "LX*1", "CLP*A1*1*100.00*100.00**12*P1", "SVC*HC:99213*100.00*100.00"]
    body = ["ST*835*0001", *one, "SE*10*0001", "ST*835*0002", *one, "SE*10*0002"]
    text = ISA + "\r\nGS*HP*PAYER*PROVIDER*20260115*1200*1*X*005010X221A1~\r\n" + "~\r\n".join(
        body) + "~\r\nGE*2*1~\r\nIEA*1*000000001~\r\n"
    result = read_835_with_warnings(text)
    assert len(result.remittances) == 2
    assert result.warnings == ()
    assert result.remittances[0].payee.npi is not None


def test_six_cas_triplets_and_six_plb_adjustments() -> None:
    """A CAS with six triplets and a PLB with six pairs are read whole."""
    cas = "CAS*CO*45*1.00**97*2.00**96*3.00**94*4.00**B7*5.00**253*6.00"
    plb = "PLB*1234567893*20261231*" + "*".join(f"L6:{k}*-1.00" for k in range(6))
    text = interchange(
        "BPR*I*85.00*C*ACH************20260110", *HEADER[1:], "LX*1",
        "CLP*A1*1*100.00*79.00**12*P1", "SVC*HC:99213*100.00*79.00", "DTM*472*20260105",
        cas, "REF*6R*L1", plb,
    )
    (rem,) = read_835(text)
    line = rem.claims[0].services[0]
    assert [a.amount for a in line.adjustments] == [usd(f"{k}.00") for k in range(1, 7)]
    assert line.line_ref == "L1"
    assert line.service_period == Period.day(date(2026, 1, 5))
    assert rem.provider_adjustments_total() == usd("-6.00")
    assert rem.payment == usd("85.00")


def test_a_reversal_reads_back_negated() -> None:
    """A CLP02 22 claim keeps the original groups with every amount negated."""
    text = interchange(
        "BPR*H*0*C*NON************20260110", *HEADER[1:], "LX*1",
        "CLP*A1*1*100.00*80.00*20.00*12*P1", "CAS*PR*2*20.00",
        "CLP*A1*22*-100.00*-80.00*-20.00*12*P1", "CAS*PR*2*-20.00",
    )
    original, reversal = read_835(text)[0].claims
    assert reversal == reverse(original)
    assert reversal.is_reversal


def test_write_then_read_gives_equal_remittances() -> None:
    """write_835 then read_835 round-trips a remittance with every optional part."""
    line = ServicePayment(
        procedure=procedure_code("99213"), modifiers=(), units=Decimal(2),
        charge=usd("150.00"), paid=usd("100.00"), allowed=usd("120.00"),
        adjustments=[Adjustment(group=AdjustmentGroup("CO"), reason=CARC("45"),
                                amount=usd("30.00")),
                     Adjustment(group=AdjustmentGroup("PR"), reason=CARC("2"),
                                amount=usd("20.00"), quantity=Decimal(1))],
        remarks=[RARC("N14")], line_ref="LINE-1",
        service_period=Period(date(2026, 1, 2), date(2026, 1, 3)),
    )
    claim = ClaimPayment(
        claim=ClaimId("PCN1"), status=ClaimStatusCode("1"), charge=usd("150.00"),
        paid=usd("100.00"), patient_responsibility=usd("20.00"),
        payer_claim_number=PayerClaimNumber("ICN 0001"), services=[line],
        remarks=[RARC("MA01")], facility_code="11",
        statement_period=Period(date(2026, 1, 2), date(2026, 1, 3)),
    )
    rem = Remittance(
        payer=RemittancePayer(payer_id=PayerId("ACME01"), name="ACME HEALTH PLAN"),
        payee=Payee(name="GOOD CLINIC", tax_id=TaxId("12-3456789")),
        method=PaymentMethod.CHECK, payment=usd("90.00"), trace="CHK0001",
        paid_on=date(2026, 1, 10), claims=[claim, reverse(claim), claim],
        provider_adjustments=[ProviderAdjustment(
            reason=ProviderAdjustmentReason("WO"), amount=usd("10.00"), reference="OLD1",
            provider_id="1234567893", fiscal_period_end=date(2026, 12, 31))],
    )
    text = write_835([rem], control_numbers=NUMBERS, at=AT)
    assert read_835_with_warnings(text).remittances == (rem,)
    assert read_835_with_warnings(text).warnings == ()


def test_refuses_4010_and_other_transactions() -> None:
    """A 4010 group (GS08 004010...) and a non-835 set are clear errors naming GS08 / ST01."""
    with pytest.raises(X12Error) as err:
        read_835(interchange(*HEADER, version="004010X091A1"))
    assert (err.value.segment_number, err.value.segment_id, err.value.element) == (2, "GS", "GS08")
    with pytest.raises(X12Error) as other:
        read_835(interchange(*HEADER, st01="837"))
    assert (other.value.segment_id, other.value.element) == ("ST", "ST01")


@pytest.mark.parametrize(
    ("body", "number", "element"),
    [
        ((*HEADER, "LX*1", "CLP*A1*1*100.00*90.00**12*P1"), 10, "CLP04"),
        ((*HEADER, "LX*1", "CLP*A1*1*100.00*100.00**12*P1", "SVC*HC:99213*100.00*90.00"), 11,
         "SVC03"),
        (("BPR*I*99.00*C*CHK************20260110", *HEADER[1:], "LX*1",
          "CLP*A1*1*100.00*100.00**12*P1"), 4, "BPR02"),
        ((*HEADER, "LX*1", "CLP*A1*1*1OO.00*100.00**12*P1"), 10, "CLP03"),
        ((*HEADER, "LX*1", "CLP*A1*9*100.00*100.00**12*P1"), 10, "CLP02"),
        ((*HEADER, "LX*1", "CLP*A1*1*100.00*100.00**12"), 10, "CLP07"),
        ((*HEADER, "LX*1", "CLP*A1*1*100.00*100.00**12*P1", "CAS*XX*45*1.00"), 11, "CAS01"),
        ((*HEADER, "LX*1", "CLP*A1*1*100.00*100.00**12*P1", "CAS*CO*4Z5*1.00"), 11, "CAS02"),
        ((*HEADER, "LX*1", "CLP*A1*1*100.00*100.00**12*P1", "SVC*ZZ:X*100.00*100.00"), 11,
         "SVC01-1"),
        ((*HEADER, "PLB*1*20261231*ZZ:1*1.00"), 9, "PLB03"),
        (("BPR*I*100.00*D*CHK************20260110", *HEADER[1:]), 4, "BPR03"),
    ],
)
def test_errors_name_the_segment_and_element(
    body: tuple[str, ...], number: int, element: str,
) -> None:
    """Unbalanced or malformed data raises X12Error with segment number and element."""
    with pytest.raises(X12Error) as err:
        read_835(interchange(*body))
    assert (err.value.segment_number, err.value.element) == (number, element)


def test_errors_and_warnings_never_show_phi() -> None:
    """A patient's name and member id never appear in an error message."""
    text = interchange(*HEADER, "LX*1", "CLP*A1*1*100.00*90.00**12*P1",
                       "NM1*QC*1*DOE*JANE****MI*SECRET123")
    with pytest.raises(X12Error) as err:
        read_835(text)
    assert "DOE" not in str(err.value) and "SECRET123" not in str(err.value)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "hello", "ISA", "ISA*00", ISA[:-3], ISA.replace("*", "A"),
     ISA + "GS*HP*A*B*20260115*1200*1*X*005010X221A1~ST*835*1~BPR*I*1",
     ISA + "IEA*1*000000001~", ISA + "\x00\x01\x02~", ISA + "ST*835*1~SE*2*1~"],
)
def test_hostile_input_is_a_clear_error(text: str) -> None:
    """Empty, truncated or garbled text raises X12Error, never anything else."""
    with pytest.raises(X12Error):
        read_835(text)


def test_bytes_are_refused_with_a_hint() -> None:
    """Bytes are a type error that says to decode first."""
    with pytest.raises(TypeError, match="decode"):
        read_835(b"ISA*")  # type: ignore[arg-type]


def test_tolerated_envelope_problems_become_warnings() -> None:
    """Wrong SE/GE/IEA counts and control numbers, a missing IEA: warnings, not failures."""
    body = [*HEADER, "LX*1", "CLP*A1*1*100.00*100.00**12*P1"]
    text = (ISA + "GS*HP*P*R*20260115*1200*1*X*005010X221A1~ST*835*0001~" + "~".join(body)
            + "~SE*99*0002~GE*5*2~")
    result = read_835_with_warnings(text)
    assert len(result.remittances) == 1
    assert {w.code for w in result.warnings} == {
        WarningCode.SEGMENT_COUNT, WarningCode.CONTROL_NUMBER, WarningCode.TRANSACTION_COUNT,
        WarningCode.MISSING_TRAILER,
    }


def test_write_835_refuses_an_empty_list() -> None:
    """Writing no remittance is a ValidationError, not an empty interchange."""
    from claimcore.errors import ValidationError

    with pytest.raises(ValidationError):
        write_835([], control_numbers=NUMBERS, at=AT)


def test_control_numbers_run_on_and_stop_at_nine_digits() -> None:
    """Each remittance gets the next ST02; past 999999999 the writer refuses."""
    (rem,) = read_835(fixture("lfh_managed-care.835"))
    text = write_835([rem, rem], control_numbers=ControlNumbers(
        interchange=1, group=1, transaction=41), at=AT, sender_id="S", receiver_id="R")
    assert "ST*835*0041~" in text and "ST*835*0042~" in text and "SE*" in text
    from claimcore.errors import ValidationError

    with pytest.raises(ValidationError):
        write_835([rem, rem], control_numbers=ControlNumbers(
            interchange=1, group=1, transaction=999_999_999), at=AT)
