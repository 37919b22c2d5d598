"""277CA acknowledgements: the imsweb samples read value by value, claims moved by them,
and hostile input refused with an X12Error."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from claimcore import claims, x12
from claimcore.claims import (
    ClaimAcknowledgement,
    ClaimStatus,
    ClaimStatusEntry,
    LineAcknowledgement,
    RejectionReason,
    apply_277ca,
)
from claimcore.errors import ClaimcoreError, ValidationError
from claimcore.ids import ClaimId, PayerClaimNumber
from claimcore.money import Money
from claimcore.x12 import X12Error, read_277ca, read_277ca_with_warnings
from tests.unit.test_posting import make_claim

FIXTURES = Path(__file__).parent.parent / "fixtures" / "x12"
ACCEPTED = (FIXTURES / "ims_x12_277CA_accepted.277").read_text(encoding="latin-1")
REJECTED = (FIXTURES / "ims_x12_277CA_rejected.277").read_text(encoding="latin-1")
LATER = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


def test_accepted_sample_reads_value_by_value() -> None:
    """The accepted sample: one claim, A2:20, ICN, charge 125.00, status date, no warning."""
    result = read_277ca_with_warnings(ACCEPTED)
    assert result.warnings == ()
    (ack,) = result.values
    assert ack.claim_id == ClaimId("5781")
    assert ack.payer_claim_number == PayerClaimNumber("1107000000014420")
    assert ack.total_charge == Money(Decimal("125.00"))
    assert ack.status_date == date(2011, 3, 11)
    assert ack.statuses == (ClaimStatusEntry(category="A2", status="20"),)
    assert ack.accepted and not ack.rejected
    assert ack.rejection_reasons() == ()


def test_rejected_sample_reads_value_by_value() -> None:
    """The rejected sample ('|' components): A7:562:85, ICN, 199.14, rejected."""
    (ack,) = read_277ca(REJECTED)
    assert ack.claim_id == ClaimId("3920394930203")
    assert ack.payer_claim_number == PayerClaimNumber("1107000000001120")
    assert ack.total_charge == Money(Decimal("199.14"))
    assert ack.status_date == date(2011, 3, 11)
    assert ack.statuses == (ClaimStatusEntry(category="A7", status="562", entity="85"),)
    assert ack.rejected and not ack.accepted
    assert ack.rejection_reasons() == (
        RejectionReason(category="A7", status_code="562", entity="85"),
    )


def test_information_receiver_status_is_not_a_claim() -> None:
    """The 2200B STC (A1:20 for the whole batch) makes no acknowledgement of its own."""
    assert len(read_277ca(ACCEPTED)) == 1


def _two_claims_277(stc1: str, stc2: str) -> str:
    return (
        "ISA*00*          *00*          *ZZ*CH             *ZZ*CLINIC         "
        "*260304*0900*^*00501*000000009*0*P*:~"
        "GS*HN*CH*CLINIC*20260304*0900*9*X*005010X214~ST*277*0001*005010X214~"
        "BHT*0085*08*B1*20260304*0900*TH~HL*1**20*1~NM1*PR*2*PAYER*****PI*P1~"
        "HL*2*1*21*1~NM1*41*2*CLINIC*****46*E1~HL*3*2*19*1~NM1*85*2*CLINIC*****XX*1~"
        "HL*4*3*PT~NM1*QC*1*DOE*J~"
        f"TRN*2*A1~STC*{stc1}*20260303*WQ*100.00~REF*1K*ICN1~"
        "SVC*HC:99213*100.00~STC*A7:21*20260303*U*100.00~"
        f"TRN*2*B2~STC*{stc2}*20260303*U*50.00********MISSING THING~"
        "SE*19*0001~GE*1*9~IEA*1*000000009~"
    )


def test_one_patient_may_have_several_claims_and_line_status_is_the_lines() -> None:
    """Each TRN in a PT loop starts a claim; an STC after SVC (2220D) is the line's."""
    first, second = read_277ca(_two_claims_277("A2:20", "A6:21:QC"))
    assert first.claim_id == ClaimId("A1") and first.accepted
    assert first.statuses == (ClaimStatusEntry(category="A2", status="20"),)
    assert first.lines == (LineAcknowledgement(
        statuses=[ClaimStatusEntry(category="A7", status="21")], qualifier="HC",
        procedure="99213", charge=Money(Decimal("100.00"))),)
    assert first.rejected_lines == first.lines and second.lines == ()
    assert second.claim_id == ClaimId("B2") and second.rejected
    assert second.payer_claim_number is None
    (entry,) = second.statuses
    assert (entry.category, entry.status, entry.entity, entry.text) == (
        "A6", "21", "QC", "MISSING THING")


def test_apply_moves_submitted_claims() -> None:
    """A2 acknowledges with the ICN; A7 rejects with its reason; others are reported."""
    accepted_claim = make_claim(claim_id=ClaimId("5781"), status=ClaimStatus.SUBMITTED)
    rejected_claim = make_claim(claim_id=ClaimId("3920394930203"),
                                status=ClaimStatus.SUBMITTED)
    acks = (*read_277ca(ACCEPTED), *read_277ca(REJECTED))
    result = apply_277ca([accepted_claim, rejected_claim], acks, at=LATER)
    done_accepted, done_rejected = result.claims
    assert done_accepted.status is ClaimStatus.ACCEPTED
    assert done_accepted.payer_claim_number == PayerClaimNumber("1107000000014420")
    assert done_accepted.history[-1].at == LATER
    assert done_rejected.status is ClaimStatus.REJECTED
    assert done_rejected.rejections == (
        RejectionReason(category="A7", status_code="562", entity="85"),)
    assert result.unmatched == () and result.skipped == ()


def test_apply_matches_by_normalized_id_and_reports_the_rest() -> None:
    """Padding and case do not stop a match; unknown and non-submitted claims are reported."""
    padded = make_claim(claim_id=ClaimId("0005781"), status=ClaimStatus.SUBMITTED)
    already = make_claim(claim_id=ClaimId("3920394930203"), status=ClaimStatus.ACCEPTED)
    stranger = ClaimAcknowledgement(claim_id=ClaimId("NOPE1"),
                                    statuses=[ClaimStatusEntry(category="A1", status="20")])
    forwarded = ClaimAcknowledgement(claim_id=ClaimId("0005781"),
                                     statuses=[ClaimStatusEntry(category="A0", status="20")])
    rejected = read_277ca(REJECTED)[0]
    result = apply_277ca([padded, already], [forwarded, *read_277ca(ACCEPTED), stranger,
                                              rejected], at=LATER)
    assert result.claims[0].status is ClaimStatus.ACCEPTED
    assert result.claims[1] is already
    assert result.unmatched == (stranger,)
    assert result.skipped == (forwarded, rejected)


def test_apply_refuses_an_event_before_the_last_one() -> None:
    """Time runs forward: an 'at' before the submission is refused."""
    claim = make_claim(claim_id=ClaimId("5781"), status=ClaimStatus.SUBMITTED)
    with pytest.raises(ValidationError):
        apply_277ca([claim], read_277ca(ACCEPTED), at=datetime(2020, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(("text", "element"), [
    (ACCEPTED.replace("SE*23*000014420~\n", ""), None),
    ("garbage", None),
    ("", None),
    (ACCEPTED.replace("ST*277*", "ST*835*"), "ST01"),
    (ACCEPTED.replace("005010X214~\nBHT", "005010X212~\nBHT"), "ST03"),
    (ACCEPTED.replace("STC*A2:20", "STC*AB:20"), "STC01-1"),
    (ACCEPTED.replace("STC*A2:20", "STC*A2:XX"), "STC01-2"),
    (ACCEPTED.replace("WQ*125~", "WQ*12.505~"), "STC04"),
    (ACCEPTED.replace("TRN*2*5781", "TRN*2*"), "TRN02"),
    (ACCEPTED.replace("REF*1K*1107000000014420", "REF*1K*" + "N" * 51), "REF02"),
])
def test_hostile_input_is_an_x12_error(text: str, element: str | None) -> None:
    """Truncated, garbage, non-277, other guide, bad codes and numbers: X12Error."""
    with pytest.raises(X12Error) as info:
        read_277ca(text)
    assert info.value.element == element
    assert "5781" not in str(info.value) and "TPATIENT" not in str(info.value)


def test_every_truncation_is_read_or_refused_cleanly() -> None:
    """Cut anywhere, a 277CA never raises anything but a ClaimcoreError."""
    for sample in (ACCEPTED, REJECTED):
        for end in range(len(sample)):
            with contextlib.suppress(ClaimcoreError):
                read_277ca(sample[:end])


def test_bytes_are_refused_with_a_type_error() -> None:
    """Bytes are not text: decode first."""
    with pytest.raises(ClaimcoreError):
        read_277ca(ACCEPTED.encode())  # type: ignore[arg-type]


def test_an_invalid_status_date_is_a_warning() -> None:
    """STC02 that is not a date is ignored with a warning."""
    result = read_277ca_with_warnings(ACCEPTED.replace("STC*A2:20*20110311",
                                                      "STC*A2:20*20111399"))
    (ack,) = result.values
    assert ack.status_date is None
    assert [w.element for w in result.warnings] == ["STC02"]
    (same,), warnings = result  # a ReadResult still unpacks as (values, warnings)
    assert same == ack and warnings == result.warnings


def test_the_transition_lives_with_the_claims() -> None:
    """apply_277ca and the acknowledgement values are claims' own, re-exported by x12."""
    assert x12.apply_277ca is apply_277ca
    assert x12.ClaimAcknowledgement is ClaimAcknowledgement
    assert x12.ClaimStatusEntry is ClaimStatusEntry
    assert x12.AcknowledgementResult is claims.AcknowledgementResult
    assert apply_277ca.__module__ == "claimcore.claims.acknowledgement"
