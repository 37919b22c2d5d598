"""Salvage per claim: a fault inside one claim of an 835 sets that claim aside as an
``UnreadClaim`` (read_835_with_warnings); the strict read_835 still refuses the file."""

from __future__ import annotations

from decimal import Decimal

import pytest

from claimcore.errors import ValidationError
from claimcore.ids import ClaimId
from claimcore.money import Money
from claimcore.serialization import make_converter
from claimcore.x12 import (
    UnreadClaim,
    WarningCode,
    X12Error,
    X12Result,
    read_835,
    read_835_with_warnings,
)

ISA = ("ISA*00*          *00*          *ZZ*PAYER          *ZZ*PROVIDER       "
       "*260115*1200*^*00501*000000001*0*P*:~")
HEADER = ("BPR*I*{bpr}*C*CHK************20260110", "TRN*1*CHK0001*1999999999",
          "N1*PR*ACME HEALTH PLAN", "REF*2U*ACME01", "N1*PE*GOOD CLINIC*XX*1234567893",
          "LX*1")
# segment numbers: ISA 1, GS 2, ST 3, BPR 4, TRN 5, N1 6, REF 7, N1 8, LX 9, then the claims
CLAIM1 = ("CLP*PCN1*1*100.00*80.00*20.00*12*ICN1", "SVC*HC:99213*100.00*80.00",
          "DTM*472*20260105", "CAS*PR*2*20.00")          # segments 10-13
CLAIM2 = ("CLP*PCN2*1*150.00*100.00**12*ICN2", "CAS*CO*45*50.00")  # segments 14-15
CLAIM3 = ("CLP*PCN3*4*40.00*0.00**12*ICN3", "CAS*CO*97*40.00")    # segments 16-17


def x835(claim1: tuple[str, ...] = CLAIM1, claim2: tuple[str, ...] = CLAIM2,
         claim3: tuple[str, ...] = CLAIM3, *, bpr: str = "180.00",
         tail: tuple[str, ...] = ()) -> str:
    segments = ["ST*835*0001", *(h.format(bpr=bpr) for h in HEADER), *claim1, *claim2,
                *claim3, *tail]
    return (ISA + "GS*HP*PAYER*PROVIDER*20260115*1200*1*X*005010X221A1~"
            + "~".join(segments) + f"~SE*{len(segments) + 1}*0001~GE*1*1~IEA*1*000000001~")


def usd(text: str) -> Money:
    return Money(Decimal(text))


def ids(result: X12Result) -> list[str]:
    return [c.claim.value for r in result.remittances for c in r.claims]


def codes(result: X12Result) -> list[tuple[WarningCode, int | None, str | None]]:
    return [(w.code, w.segment_number, w.element) for w in result.warnings]


def test_a_clean_file_has_no_unread_claim() -> None:
    result = read_835_with_warnings(x835())
    assert ids(result) == ["PCN1", "PCN2", "PCN3"]
    assert result.unread_claims == () and result.warnings == ()
    assert result.remittances[0].payment == usd("180.00")


def test_a_missing_required_element_sets_the_claim_aside() -> None:
    """CLP07 (payer claim number) empty in the second claim: the others are read."""
    text = x835(claim2=("CLP*PCN2*1*150.00*100.00**12*", "CAS*CO*45*50.00"))
    result = read_835_with_warnings(text)
    assert ids(result) == ["PCN1", "PCN3"]
    (unread,) = result.unread_claims
    assert unread == UnreadClaim(
        segment_number=14, reason="segment 14 (CLP), CLP07: is required: the payer claim "
        "control number", clp01="PCN2", clp02="1", clp03="150.00", clp04="100.00",
        charge=usd("150.00"), paid=usd("100.00"))
    # BPR02 balances with the unread claim's CLP04 counted: no payment warning; the
    # payment read is what the read claims pay
    assert codes(result) == [(WarningCode.CLAIM_NOT_READ, 14, "CLP01")]
    assert "segment 14 (CLP), CLP07" in result.warnings[0].message
    assert result.remittances[0].payment == usd("80.00")
    with pytest.raises(X12Error) as caught:
        read_835(text)
    assert (caught.value.segment_number, caught.value.element) == (14, "CLP07")
    assert str(caught.value) == unread.reason


def test_a_claim_that_does_not_balance_and_the_payment_warning() -> None:
    """CLP04 85.00 where the claim pays 80.00: the claim is unread; BPR02 (180) is not
    85 + 100 + 0, so the remittance-level check is a warning."""
    text = x835(claim1=("CLP*PCN1*1*100.00*85.00*20.00*12*ICN1", *CLAIM1[1:]))
    result = read_835_with_warnings(text)
    assert ids(result) == ["PCN2", "PCN3"]
    (unread,) = result.unread_claims
    assert unread.segment_number == 10 and unread.paid == usd("85.00")
    assert "claim-balance" in unread.reason and "CLP04" in unread.reason
    assert codes(result) == [(WarningCode.CLAIM_NOT_READ, 10, "CLP01"),
                             (WarningCode.PAYMENT_NOT_BALANCED, 4, "BPR02")]
    assert result.remittances[0].payment == usd("100.00")
    with pytest.raises(X12Error) as caught:
        read_835(text)
    assert (caught.value.segment_number, caught.value.element) == (10, "CLP04")


def test_a_line_that_does_not_balance_is_found_when_the_claim_closes() -> None:
    text = x835(claim1=(CLAIM1[0], "SVC*HC:99213*100.00*70.00", *CLAIM1[2:]))
    result = read_835_with_warnings(text)
    assert ids(result) == ["PCN2", "PCN3"]
    (unread,) = result.unread_claims
    assert unread.segment_number == 10 and unread.reason.startswith("segment 11 (SVC), SVC03")


def test_an_unknown_qualifier_sets_the_claim_aside() -> None:
    text = x835(claim1=(CLAIM1[0], "SVC*ZZ:99213*100.00*80.00", *CLAIM1[2:]))
    result = read_835_with_warnings(text)
    assert ids(result) == ["PCN2", "PCN3"]
    (unread,) = result.unread_claims
    assert unread.reason.startswith("segment 11 (SVC), SVC01-1")
    # the rest of the claim's segments (DTM, CAS) were skipped, not read as orphans, and
    # BPR02 balances with the unread claim's CLP04 counted
    assert codes(result) == [(WarningCode.CLAIM_NOT_READ, 10, "CLP01")]


def test_an_unknown_claim_status_sets_the_claim_aside() -> None:
    text = x835(claim3=("CLP*PCN3*99*40.00*0.00**12*ICN3", "CAS*CO*97*40.00"))
    result = read_835_with_warnings(text)
    assert ids(result) == ["PCN1", "PCN2"]
    (unread,) = result.unread_claims
    assert (unread.segment_number, unread.clp02) == (16, "99")
    assert unread.reason.startswith("segment 16 (CLP), CLP02")
    assert codes(result) == [(WarningCode.CLAIM_NOT_READ, 16, "CLP01")]


def test_a_bad_amount_inside_the_claim() -> None:
    text = x835(claim2=(CLAIM2[0], "CAS*CO*45*5O.00"))
    result = read_835_with_warnings(text)
    assert ids(result) == ["PCN1", "PCN3"]
    (unread,) = result.unread_claims
    assert unread.reason.startswith("segment 15 (CAS), CAS03")
    assert result.remittances[0].payment == usd("80.00")


def test_a_bad_date_inside_the_claim_was_already_tolerated() -> None:
    """An impossible service date never refused the file: it is ignored with a warning and
    the claim is read (without its service period), not set aside."""
    text = x835(claim1=(*CLAIM1[:2], "DTM*472*20261332", CLAIM1[3]))
    result = read_835_with_warnings(text)
    assert ids(result) == ["PCN1", "PCN2", "PCN3"] and result.unread_claims == ()
    assert codes(result) == [(WarningCode.INVALID_DATE, 12, "DTM02")]
    assert result.remittances[0].claims[0].services[0].service_period is None
    assert read_835(text) == result.remittances


def test_a_bad_clp04_leaves_paid_none_and_the_payment_unchecked() -> None:
    text = x835(claim2=("CLP*PCN2*1*150.00*1OO.00**12*ICN2", CLAIM2[1]))
    result = read_835_with_warnings(text)
    (unread,) = result.unread_claims
    assert (unread.clp04, unread.paid, unread.charge) == ("1OO.00", None, usd("150.00"))
    assert codes(result)[-1] == (WarningCode.PAYMENT_NOT_BALANCED, 4, "BPR02")
    assert "cannot be checked" in result.warnings[-1].message


@pytest.mark.parametrize("clp01", ["PCN 1", "A" * 21, "P" * 38, "-PCN1", "#1 (A&B)"])
def test_every_clp01_the_tr3_allows_reads(clp01: str) -> None:
    """CLP01 is AN 1/38 in the TR3 and may hold spaces and punctuation: it reads, though
    claimcore would not send such an id as CLM01."""
    text = x835(claim1=(f"CLP*{clp01}*1*100.00*80.00*20.00*12*ICN1", *CLAIM1[1:]))
    result = read_835_with_warnings(text)
    assert ids(result) == [clp01, "PCN2", "PCN3"]
    assert result.unread_claims == ()
    assert not ClaimId(clp01).is_submittable()
    assert read_835(text)[0].claims[0].claim == ClaimId(clp01)


def test_a_padded_clp01_reads_as_the_id() -> None:
    text = x835(claim1=("CLP*PCN1  *1*100.00*80.00*20.00*12*ICN1 ", *CLAIM1[1:]))
    (claim, *_) = read_835(text)[0].claims
    assert (claim.claim.value, claim.payer_claim_number.value) == ("PCN1", "ICN1")


@pytest.mark.parametrize("clp01", ["P" * 39, "\x01PCN"])
def test_a_clp01_outside_the_tr3_is_an_unread_claim(clp01: str) -> None:
    """Longer than AN 1/38, or a control character: that claim alone is unread."""
    with pytest.raises(ValidationError):
        ClaimId(clp01)
    text = x835(claim1=(f"CLP*{clp01}*1*100.00*80.00*20.00*12*ICN1", *CLAIM1[1:]))
    result = read_835_with_warnings(text)
    assert ids(result) == ["PCN2", "PCN3"]
    (unread,) = result.unread_claims
    assert unread.clp01 == clp01
    assert "CLP01" in unread.reason and "AN 1/38" in unread.reason
    with pytest.raises(X12Error, match="CLP01"):
        read_835(text)


def test_every_claim_unread() -> None:
    text = x835(claim1=("CLP*PCN1*1*100.00*80.00*20.00*12*", *CLAIM1[1:]),
                claim2=("CLP*PCN2*1*150.00*100.00**12*", CLAIM2[1]),
                claim3=("CLP*PCN3*4*40.00*0.00**12*", CLAIM3[1]))
    result = read_835_with_warnings(text)
    assert ids(result) == []
    assert [u.segment_number for u in result.unread_claims] == [10, 14, 16]
    assert result.remittances[0].payment == Money.zero()


def test_the_read_part_below_the_plb_refuses_with_the_claims_fault() -> None:
    """When what the read claims pay is less than the PLB takes, the remittance cannot
    stand as a value: the unread claim's own error is raised, as read_835 would."""
    plb = ("PLB*1234567893*20261231*WO:REF1*110.00",)
    text = x835(claim2=("CLP*PCN2*1*150.00*100.00**12*", CLAIM2[1]), bpr="70.00", tail=plb)
    assert read_835_with_warnings(x835(bpr="70.00", tail=plb)).remittances[0].payment \
        == usd("70.00")
    with pytest.raises(X12Error) as caught:
        read_835_with_warnings(text)
    assert (caught.value.segment_number, caught.value.element) == (14, "CLP07")


def test_a_fault_in_the_last_claim_before_the_plb() -> None:
    plb = ("PLB*1234567893*20261231*WO:REF1*10.00",)
    text = x835(claim3=("CLP*PCN3*4*40.00*0.00**12*ICN3", "CAS*CO*97*45.00"), bpr="170.00",
                tail=plb)
    result = read_835_with_warnings(text)
    assert ids(result) == ["PCN1", "PCN2"]
    assert result.unread_claims[0].segment_number == 16
    assert result.remittances[0].provider_adjustments[0].amount == usd("10.00")
    assert result.remittances[0].payment == usd("170.00")
    assert codes(result) == [(WarningCode.CLAIM_NOT_READ, 16, "CLP01")]


def test_header_faults_still_refuse() -> None:
    """An N1 inside a claim, or a bad BPR, is a fault of the file, not of a claim."""
    with pytest.raises(X12Error, match="N1 segment belongs to the header"):
        read_835_with_warnings(x835(claim2=(*CLAIM2, "N1*PE*OTHER")))
    with pytest.raises(X12Error, match="N1 segment belongs to the header"):
        read_835_with_warnings(x835(claim2=("CLP*PCN2*1*150.00*100.00**12*", *CLAIM2[1:],
                                            "N1*PE*OTHER")))
    with pytest.raises(X12Error, match="one BPR segment"):
        read_835_with_warnings(x835(claim2=("CLP*PCN2*1*150.00*100.00**12*", *CLAIM2[1:],
                                            "BPR*I*1.00*C*CHK")))
    with pytest.raises(X12Error, match="BPR02"):
        read_835_with_warnings(x835(bpr="1B0.00"))
    with pytest.raises(X12Error, match="payment-balance"):
        read_835_with_warnings(x835(bpr="181.00"))


def test_unread_claim_checks_itself_and_round_trips() -> None:
    good = UnreadClaim(segment_number=3, reason="r", clp01="X Y", paid=usd("1.00"))
    converter = make_converter()
    assert converter.structure(converter.unstructure(good), UnreadClaim) == good
    result = X12Result([], [], [good])
    assert result.unread_claims == (good,)
    assert converter.structure(converter.unstructure(result), X12Result) == result
    with pytest.raises(ValidationError):
        UnreadClaim(segment_number=0, reason="r")
    with pytest.raises(ValidationError):
        UnreadClaim(segment_number=1, reason="")
    with pytest.raises(ValidationError):
        UnreadClaim(segment_number=1, reason="r", clp01="x" * 81)
    with pytest.raises(TypeError):
        UnreadClaim(segment_number=1, reason="r", charge=Decimal(1))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        X12Result([], [], ["not an unread claim"])  # type: ignore[list-item]
