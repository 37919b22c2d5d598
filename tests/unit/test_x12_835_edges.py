"""The 835 reader's edges: every tolerated oddity warns, every broken rule names its place."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from claimcore.codes import RARC, RevenueCode
from claimcore.ids import PayerId
from claimcore.money import Money
from claimcore.periods import Period
from claimcore.x12 import WarningCode, X12Error, read_835, read_835_with_warnings

ISA = ("ISA*00*          *00*          *ZZ*PAYER          *ZZ*PROVIDER       "
       "*260115*1200*^*00501*000000001*0*P*:~")
BPR = "BPR*I*100.00*C*CHK************20260110"
TRN = "TRN*1*CHK0001*1999999999"
PAYER = ("N1*PR*ACME HEALTH PLAN", "REF*2U*ACME01")
PAYEE = "N1*PE*GOOD CLINIC*XX*1234567893"
CLAIM = ("LX*1", "CLP*A1*1*100.00*100.00**12*P1")


def interchange(*body: str, version: str = "005010X221A1") -> str:
    segments = ["ST*835*0001", *body]
    return (ISA + f"GS*HP*PAYER*PROVIDER*20260115*1200*1*X*{version}~"
            + "~".join(segments) + f"~SE*{len(segments) + 1}*0001~GE*1*1~IEA*1*000000001~")


def usd(text: str) -> Money:
    return Money(Decimal(text))


def codes(text: str) -> set[tuple[WarningCode, str | None]]:
    return {(w.code, w.element) for w in read_835_with_warnings(text).warnings}


def test_claim_level_details_and_their_warnings() -> None:
    """NM1*TT crossover, MIA/MOA remarks, odd CLP08/CLP09, reversed statement dates."""
    text = interchange(
        BPR, TRN, *PAYER, PAYEE, "LX*1", "CLP*A1*19*100.00*100.00**12*P1*TOOLONG*5",
        "NM1*TT*2*NEXT PAYER*****PI*NEXT01", "MIA*0****MA01***************N1*N2",
        "DTM*233*20260101", "DTM*232*20260105", "ZZZ*1",
    )
    result = read_835_with_warnings(text)
    claim = result.remittances[0].claims[0]
    assert claim.crossover is not None and claim.crossover.payer_id == PayerId("NEXT01")
    assert claim.remarks == (RARC("MA01"), RARC("N1"), RARC("N2"))
    assert (claim.facility_code, claim.frequency, claim.statement_period) == (None, None, None)
    found = {(w.code, w.element) for w in result.warnings}
    assert {(WarningCode.INVALID_VALUE, "CLP08"), (WarningCode.INVALID_VALUE, "CLP09"),
            (WarningCode.INVALID_DATE, "CLP01"), (WarningCode.UNKNOWN_SEGMENT, None)} <= found


def test_crossover_without_a_usable_id_or_name() -> None:
    """A crossover id that is not a payer id is dropped; one without a name is skipped."""
    text = interchange(BPR, TRN, *PAYER, PAYEE, *CLAIM, "NM1*TT*2*NEXT*****PI*!")
    assert (WarningCode.INVALID_VALUE, "NM109") in codes(text)
    text = interchange(BPR, TRN, *PAYER, PAYEE, *CLAIM, "NM1*TT*2")
    (rem,) = read_835(text)
    assert rem.claims[0].crossover is None
    assert (WarningCode.INVALID_VALUE, "NM103") in codes(text)


def test_line_level_details_and_their_warnings() -> None:
    """NU revenue lines, SVC04 twice or malformed, dates that are off, AMT/LQ/REF."""
    text = interchange(
        BPR, TRN, *PAYER, PAYEE, "LX*1", "CLP*A1*1*100.00*100.00**12*P1",
        "SVC*NU:0450*40.00*40.00*0451*2", "DTM*151*20260105",
        "SVC*HC:99213:25*30.00*30.00*045", "DTM*150*20260105", "DTM*151*20260101",
        "SVC*HC:99214*30.00*30.00*0450", "DTM*150*20260105", "DTM*151*20261305",
        "REF*6R*L3", "REF*LU*X", "AMT*B6*30.00", "AMT*KH*1.00", "LQ*HE*N14", "LQ*RX*1",
    )
    result = read_835_with_warnings(text)
    one, two, three = result.remittances[0].claims[0].services
    assert (one.revenue_code, one.units, one.service_period) == (
        RevenueCode("0450"), Decimal(2), None)
    assert two.service_period is None and two.modifiers[0].code == "25"
    assert three.revenue_code == RevenueCode("0450")
    assert three.service_period == Period(date(2026, 1, 5))
    assert (three.line_ref, three.allowed, three.remarks) == ("L3", usd("30.00"), (RARC("N14"),))
    found = {(w.code, w.segment_number) for w in result.warnings}
    assert (WarningCode.INVALID_VALUE, 11) in found  # a revenue code twice
    assert (WarningCode.INVALID_VALUE, 13) in found  # SVC04 of three digits
    assert (WarningCode.INVALID_DATE, 11) in found  # an end date without a start
    assert (WarningCode.INVALID_DATE, 13) in found  # dates in the wrong order


def test_payer_id_falls_back_and_payee_tax_id_comes_from_ref() -> None:
    """N1*PR*..*XV wins, TRN03 serves when REF*2U is unusable, REF*TJ gives a tax id."""
    text = interchange(BPR, TRN, "N1*PR*ACME*XV*PLAN01", "REF*2U*ACME01",
                       "N1*PE*CLINIC*XV*X1", "REF*TJ*123456789", *CLAIM)
    (rem,) = read_835(text)
    assert rem.payer.payer_id == PayerId("PLAN01")
    assert rem.payee.tax_id is not None and rem.payee.npi is None
    (rem,) = read_835(interchange(BPR, TRN, "N1*PR*ACME", "REF*2U*!", PAYEE, *CLAIM))
    assert rem.payer.payer_id == PayerId("1999999999")
    bad_fi = interchange(BPR, TRN, *PAYER, "N1*PE*CLINIC*FI*00-0000000", "REF*TJ*123456789",
                         *CLAIM)
    assert (WarningCode.INVALID_VALUE, "N104") in codes(bad_fi)


def test_the_dtm_405_date_and_other_5010_versions() -> None:
    """A missing BPR16 takes DTM*405; a 5010 guide other than X221 warns at GS08."""
    text = interchange("BPR*I*100.00*C*CHK", TRN, "DTM*405*20260109", *PAYER, PAYEE, *CLAIM,
                       version="005010X999")
    result = read_835_with_warnings(text)
    assert result.remittances[0].paid_on == date(2026, 1, 9)
    assert {(WarningCode.INVALID_VALUE, "GS08"), (WarningCode.INVALID_DATE, "BPR16")} <= {
        (w.code, w.element) for w in result.warnings}


@pytest.mark.parametrize(
    ("body", "number", "element"),
    [
        ((TRN, BPR), 4, None),
        ((BPR, TRN, *PAYER, PAYEE, *CLAIM, BPR), 11, None),
        ((BPR, TRN, *PAYER, PAYEE, "CAS*CO*45*1.00"), 9, None),
        ((BPR, TRN, *PAYER, PAYEE, "SVC*HC:99213*1.00*1.00"), 9, None),
        ((BPR, TRN, *PAYER, PAYEE, "MOA***MA01"), 9, None),
        ((BPR, TRN, *PAYER, PAYEE, *CLAIM, "N1*PE*X*XX*1234567893"), 11, None),
        ((BPR, TRN, *PAYER, PAYEE, *CLAIM, "CAS*CO**1.00"), 11, "CAS02"),
        ((BPR, TRN, *PAYER, PAYEE, *CLAIM, "CAS*CO"), 11, "CAS02"),
        ((BPR, TRN, *PAYER, PAYEE, *CLAIM, "CAS*CO*45*1.00" + "*" * 18 + "*1"), 11, "CAS20"),
        ((BPR, TRN, *PAYER, PAYEE, *CLAIM, "CAS*CO*45*1.00*X"), 11, "CAS04"),
        ((BPR, TRN, *PAYER, PAYEE, *CLAIM, "CAS*CO*45*"), 11, "CAS03"),
        ((BPR, TRN, *PAYER, PAYEE, *CLAIM, "CAS*CO*45*1.001"), 11, "CAS03"),
        ((BPR, TRN, *PAYER, PAYEE, *CLAIM, "SVC*HC*100.00*100.00"), 11, "SVC01-2"),
        ((BPR, TRN, *PAYER, PAYEE, *CLAIM, "SVC*HC:*100.00*100.00"), 11, "SVC01"),
        ((BPR, TRN, *PAYER, PAYEE, *CLAIM, "SVC*HC:ABC*100.00*100.00"), 11, "SVC01-2"),
        ((BPR, TRN, *PAYER, PAYEE, *CLAIM, "SVC*HC:99213:X*100.00*100.00"), 11, "SVC01-3"),
        ((BPR, TRN, *PAYER, PAYEE, *CLAIM, "SVC*HC:99213*100.00*100.00", "LQ*HE*ZZ"), 12,
         "LQ02"),
        ((BPR, TRN, *PAYER, PAYEE, "LX*1", "CLP*" + "P" * 39 + "*1*1.00*1.00**12*P1"), 10,
         "CLP01"),
        ((BPR, TRN, *PAYER, PAYEE, "LX*1", "CLP*A1*1*1.00*1.00**12*" + "N" * 51), 10,
         "CLP07"),
        ((BPR, TRN, *PAYER, PAYEE, "LX*1", "CLP*A1*1*-1.00*-1.00**12*P1"), 10, "CLP03"),
        ((BPR, TRN, *PAYER, PAYEE, "PLB*1*20261231*L6:1*-1.00" + "*L6*-1.00" * 6), 9, "PLB15"),
        ((BPR, TRN, *PAYER, PAYEE, "PLB*1*20261231"), 9, "PLB03"),
        ((BPR, TRN, *PAYER, PAYEE, "PLB*1*20261231*L6:" + "R" * 60 + "*-1.00"), 9, "PLB03"),
        (("BPR*I*100.00*C*XYZ************20260110", TRN, *PAYER, PAYEE), 4, "BPR04"),
        (("BPR*I*100.00*C*CHK", TRN, *PAYER, PAYEE), 4, "BPR16"),
        ((BPR, *PAYER, PAYEE), 4, None),
        ((BPR, TRN, PAYEE), 4, None),
        ((BPR, "TRN*1*CHK*!", "N1*PR*ACME", PAYEE), 6, "N104"),
        ((BPR, "TRN*1*CHK1", "N1*PR*" + "A" * 70, "REF*2U*ACME01", PAYEE), 6, "N102"),
        ((BPR, TRN, *PAYER), 4, None),
        ((BPR, TRN, *PAYER, "N1*PE*" + "A" * 70 + "*XX*1234567893"), 8, "N102"),
        ((BPR, "TRN*1*" + "9" * 60, *PAYER, PAYEE, *CLAIM), 5, "TRN02"),
    ],
)
def test_broken_rules_name_their_place(
    body: tuple[str, ...], number: int, element: str | None,
) -> None:
    """Each broken rule raises X12Error at the segment (and element) that breaks it."""
    with pytest.raises(X12Error) as err:
        read_835(interchange(*body))
    assert (err.value.segment_number, err.value.element) == (number, element)


def test_an_empty_transaction_set_and_an_empty_interchange() -> None:
    """ST immediately followed by SE, or no ST at all, is an error."""
    with pytest.raises(X12Error, match="at least a BPR"):
        read_835(ISA + "GS*HP*P*R*20260115*1200*1*X*005010X221A1~ST*835*1~SE*2*1~GE*1*1~"
                       "IEA*1*000000001~")
    with pytest.raises(X12Error, match="no transaction set"):
        read_835(ISA + "GS*HP*P*R*20260115*1200*1*X*005010X221A1~GE*0*1~IEA*1*000000001~")


def test_unicode_digits_are_not_numbers() -> None:
    """A superscript or Arabic-Indic digit in a count, date or amount is not read as one."""
    text = interchange(BPR, TRN, *PAYER, PAYEE, *CLAIM).replace("~SE*", "~SE*\u00b9")
    assert (WarningCode.SEGMENT_COUNT, "SE01") in codes(text)
    with pytest.raises(X12Error):
        read_835(interchange(BPR, TRN, *PAYER, PAYEE, "LX*1", "CLP*A1*1*\u0661.00*1.00**12*P1"))
    dated = interchange(BPR.replace("20260110", "2026011\u00b2"), TRN, "DTM*405*20260109",
                        *PAYER, PAYEE, *CLAIM)
    assert read_835(dated)[0].paid_on.day == 9
