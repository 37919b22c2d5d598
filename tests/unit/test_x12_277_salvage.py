"""277CA line statuses and salvage per claim status loop: a loop that cannot be read is set
aside (``unread``) and the others are read; apply_277ca reports accepted claims with
rejected lines."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from claimcore.claims import ClaimStatus, apply_277ca
from claimcore.ids import ClaimId
from claimcore.x12 import UnreadItem, WarningCode, X12Error, read_277ca, read_277ca_with_warnings
from tests.unit.test_posting import make_claim

LATER = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


def x277(*loops: str) -> str:
    """A 277CA with one patient and the given claim status loops (TRN onwards). The
    segment numbers: ISA 1, GS 2, ST 3, BHT 4, HL 5, NM1 6, HL 7, NM1 8, HL 9, NM1 10,
    HL 11, NM1 12, then the loops."""
    body = ("ST*277*0001*005010X214~BHT*0085*08*B1*20260304*0900*TH~HL*1**20*1~"
            "NM1*PR*2*PAYER*****PI*P1~HL*2*1*21*1~NM1*41*2*CLINIC*****46*E1~"
            "HL*3*2*19*1~NM1*85*2*CLINIC*****XX*1~HL*4*3*PT~NM1*QC*1*DOE*J~"
            + "".join(loops))
    count = body.count("~") + 1
    return ("ISA*00*          *00*          *ZZ*CH             *ZZ*CLINIC         "
            "*260304*0900*^*00501*000000009*0*P*:~GS*HN*CH*CLINIC*20260304*0900*9*X*"
            f"005010X214~{body}SE*{count}*0001~GE*1*9~IEA*1*000000009~")


GOOD = "TRN*2*A1~STC*A2:20*20260303*WQ*100.00~"
LINE_REJECTED = ("TRN*2*L1~STC*A2:20*20260303*WQ*150.00~SVC*HC:99213*100.00~"
                 "STC*A3:21*20260303*U*100.00~REF*FJ*LINE1~SVC*HC:80053*50.00~"
                 "STC*A2:20*20260303*WQ*50.00~")
BAD_STATUS = "TRN*2*B2~STC*A2*20260303*WQ*50.00~"  # no status code: STC01-2 missing
LAST = "TRN*2*C3~STC*A7:562:85*20260303*U*20.00~"


def test_a_bad_claim_status_loop_is_set_aside_and_the_others_read() -> None:
    text = x277(GOOD, BAD_STATUS, LAST)
    result = read_277ca_with_warnings(text)
    assert [a.claim_id.value for a in result.values] == ["A1", "C3"]
    (unread,) = result.unread
    assert unread.kind == "claim acknowledgement" and unread.key == "B2"
    assert (unread.segment_number, unread.segment_id) == (15, "TRN")
    assert "segment 16 (STC), STC01-2" in unread.reason
    assert [(w.code, w.segment_number, w.element) for w in result.warnings] == [
        (WarningCode.ITEM_NOT_READ, 15, "TRN02")]
    with pytest.raises(X12Error) as strict:
        read_277ca(text)
    assert (strict.value.segment_number, strict.value.element) == (16, "STC01-2")


def test_a_bad_patient_control_number_is_set_aside() -> None:
    """A TRN02 that is no claim id (longer than any CLP01): the loop is unread, its STC
    not misread as another's; one with spaces is a claim id and reads."""
    long_id = "B" * 45
    result = read_277ca_with_warnings(x277(f"TRN*2*{long_id}~STC*A2:20~", LAST))
    assert [a.claim_id.value for a in result.values] == ["C3"]
    assert result.unread == (UnreadItem(
        kind="claim acknowledgement", segment_number=13, segment_id="TRN",
        reason=result.unread[0].reason, key=long_id),)
    spaced = read_277ca_with_warnings(x277("TRN*2*ID WITH SPACES~STC*A2:20~", LAST))
    assert [a.claim_id.value for a in spaced.values] == ["ID WITH SPACES", "C3"]


def test_a_line_without_its_status_sets_its_claim_aside() -> None:
    result = read_277ca_with_warnings(x277("TRN*2*A1~STC*A2:20~SVC*HC:99213*10.00~", LAST))
    assert [a.claim_id.value for a in result.values] == ["C3"]
    assert "2220D" in result.unread[0].reason


def test_line_statuses_are_read() -> None:
    (ack,) = read_277ca(x277(LINE_REJECTED))
    assert ack.accepted and not ack.rejected
    first, second = ack.lines
    assert (first.qualifier, first.procedure, first.line_ref, first.rejected) == (
        "HC", "99213", "LINE1", True)
    assert (second.procedure, second.line_ref, second.rejected) == ("80053", None, False)
    assert ack.rejected_lines == (first,)


def test_apply_reports_an_accepted_claim_with_a_rejected_line() -> None:
    """The claim is accepted (the payer adjudicates it), and the line rejection reported."""
    claims = [make_claim(claim_id=ClaimId(n), status=ClaimStatus.SUBMITTED)
              for n in ("L1", "A1")]
    acks = read_277ca(x277(LINE_REJECTED, GOOD))
    result = apply_277ca(claims, acks, at=LATER)
    assert [c.status for c in result.claims] == [ClaimStatus.ACCEPTED] * 2
    assert result.line_rejections == (acks[0],)
    assert result.skipped == () and result.unmatched == ()
