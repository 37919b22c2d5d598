"""Reading 999 and TA1 acknowledgements, and rejecting the claims of a rejected set."""

from __future__ import annotations

from datetime import UTC, date, datetime

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcore.claims import (
    AckStatus,
    Claim,
    ClaimStatus,
    ImplementationAcknowledgement,
    TransactionSetAcknowledgement,
    apply_999,
)
from claimcore.errors import ValidationError
from claimcore.ids import ClaimId
from claimcore.strategies import claims
from claimcore.x12 import X12Error, read_999, read_999_with_warnings, read_ta1

ISA = ("ISA*00*          *00*          *ZZ*PAYER          *ZZ*SUBMITTER      *260116*0900*^*"
       "00501*000000044*0*P*:~")
AT = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)  # after the strategies' submissions


def interchange(body: str) -> str:
    count = body.count("~") + 2
    return (f"{ISA}GS*FA*PAYER*SUBMITTER*20260116*0900*44*X*005010X231A1~"
            f"ST*999*0001*005010X231A1~{body}SE*{count}*0001~GE*1*44~IEA*1*000000044~")


REJECTED = interchange(
    "AK1*HC*17*005010X222A1~AK2*837*0001*005010X222A1~"
    "IK3*CLM*23*2300*8~CTX*CLM01:PCN1001~IK4*5:1*1331*7*99~"
    "IK3*NM1*9**3~IK5*R*5~AK9*R*1*1*0~"
)
ACCEPTED = interchange(
    "AK1*HC*18*005010X222A1~AK2*837*0001*005010X222A1~IK5*A~"
    "AK2*837*0002*005010X222A1~IK3*REF*30*2300*I4~IK5*E~AK9*A*2*2*2~"
)


def test_a_rejected_set_with_its_segment_and_element_errors() -> None:
    """IK3/CTX/IK4/IK5/AK9: the set is rejected (IK501 R, IK502 5), its CLM has an invalid
    code in CLM05-1 (IK4 5:1, 1331, code 7) for claim PCN1001, and an NM1 is missing."""
    (ack,) = read_999(REJECTED)
    assert (ack.functional_id, ack.group_control_number, ack.version) == (
        "HC", "17", "005010X222A1")
    assert ack.status is AckStatus.REJECTED
    assert (ack.included, ack.received, ack.accepted) == (1, 1, 0)
    (tset,) = ack.transaction_sets
    assert tset.rejected and tset.codes == ("5",) and tset.control_number == "0001"
    clm, nm1 = tset.segment_errors
    assert (clm.segment_id, clm.position, clm.loop, clm.code) == ("CLM", 23, "2300", "8")
    assert clm.claim_id == ClaimId("PCN1001")
    assert clm.description == "segment has data element errors"
    (element,) = clm.elements
    assert (element.position, element.component, element.reference, element.code) == (
        5, 1, 1331, "7")
    assert element.description == "invalid code value"
    assert "99" not in repr(element)  # IK404 may be PHI: never in repr
    assert (nm1.segment_id, nm1.loop, nm1.code) == ("NM1", None, "3")
    assert nm1.description == "required segment missing"


def test_accepted_and_accepted_with_errors_sets() -> None:
    """Two sets: one accepted (A), one accepted with errors (E) noting a 'not used' REF."""
    result = read_999_with_warnings(ACCEPTED)
    (ack,) = result.values
    assert [s.status for s in ack.transaction_sets] == [AckStatus.ACCEPTED,
                                                        AckStatus.ACCEPTED_WITH_ERRORS]
    assert ack.rejected_sets == ()
    assert ack.transaction_sets[1].segment_errors[0].code == "I4"
    assert result.warnings == ()


@pytest.mark.parametrize(("bad", "element"), [
    ("IK5*Q~", "IK501"), ("AK9*R*one*1*0~", "AK902"), ("IK4*x*1*7~", "IK401-1"),
])
def test_a_bad_999_names_the_element(bad: str, element: str) -> None:
    """A code, count or position a 999 does not have is an X12Error naming its element."""
    body = ("AK1*HC*17*005010X222A1~AK2*837*0001~IK3*CLM*23**8~IK4*1*1*7~IK5*R~"
            "AK9*R*1*1*0~")
    seg = bad.split("*")[0]
    old = {"IK5": "IK5*R~", "AK9": "AK9*R*1*1*0~", "IK4": "IK4*1*1*7~"}[seg]
    with pytest.raises(X12Error, match=element):
        read_999(interchange(body.replace(old, bad)))


def test_ta1_reads_the_interchange_decision_and_note() -> None:
    """TA1*...*R*025: the interchange 000000905 of 15 January 2026 is rejected as a
    duplicate control number."""
    text = f"{ISA}TA1*000000905*260115*1200*R*025~IEA*0*000000044~"
    (ta1,) = read_ta1(text)
    assert (ta1.control_number, ta1.on, ta1.time) == ("000000905", date(2026, 1, 15), "1200")
    assert ta1.rejected and ta1.description == "duplicate interchange control number"
    with pytest.raises(X12Error, match="TA104"):
        read_ta1(text.replace("*R*025", "*Z*025"))
    with pytest.raises(X12Error, match="no TA1"):
        read_ta1(REJECTED)


def _submitted() -> st.SearchStrategy[list[Claim]]:
    return st.lists(claims(status=ClaimStatus.SUBMITTED, max_lines=1), min_size=1,
                    max_size=3)


@settings(max_examples=5, deadline=None)
@given(_submitted())
def test_apply_999_rejects_every_submitted_claim_of_a_rejected_set(items: list[Claim]) -> None:
    """A rejected set rejects each submitted claim sent in it (A3/21, the set named);
    an accepted set moves none."""
    (rejected,) = read_999(REJECTED)
    out = apply_999(items, rejected, at=AT)
    assert [c.status for c in out] == [ClaimStatus.REJECTED] * len(items)
    assert all(c.rejections[0].category == "A3" for c in out)
    assert all("transaction set 0001" in (c.history[-1].reason or "") for c in out)
    (accepted,) = read_999(ACCEPTED)
    assert apply_999(items, accepted, at=AT, control_number="0002") == tuple(items)


@settings(max_examples=3, deadline=None)
@given(claims(status=ClaimStatus.SUBMITTED, max_lines=1), claims(max_lines=1))
def test_apply_999_names_the_claim_a_ctx_points_at_and_skips_other_statuses(
    claim: Claim, draft: Claim,
) -> None:
    """The rejection text carries the segment errors of the claim CTX*CLM01 names; a
    draft claim is returned as it was."""
    named = attrs.evolve(claim, id=ClaimId("PCN1001"))
    (ack,) = read_999(REJECTED)
    out = apply_999([named, draft], ack, at=AT)
    assert out[1] is draft
    assert "CLM at 23: segment has data element errors" in (out[0].history[-1].reason or "")


@settings(max_examples=3, deadline=None)
@given(claims(status=ClaimStatus.SUBMITTED, max_lines=1))
def test_apply_999_asks_which_set_when_only_some_are_rejected(claim: Claim) -> None:
    """With one of two sets rejected, the caller names the set its claims were in."""
    sets = [TransactionSetAcknowledgement(set_id="837", control_number="0001",
                                          status=AckStatus.ACCEPTED),
            TransactionSetAcknowledgement(set_id="837", control_number="0002",
                                          status=AckStatus.REJECTED)]
    ack = ImplementationAcknowledgement(functional_id="HC", group_control_number="9",
                                        transaction_sets=sets,
                                        status=AckStatus.PARTIALLY_ACCEPTED, included=2,
                                        received=2, accepted=1)
    with pytest.raises(ValidationError, match="name the set"):
        apply_999([claim], ack, at=AT)
    assert apply_999([claim], ack, at=AT, control_number="1") == (claim,)
    (moved,) = apply_999([claim], ack, at=AT, control_number="2")
    assert moved.status is ClaimStatus.REJECTED
    with pytest.raises(ValidationError, match="no transaction set"):
        apply_999([claim], ack, at=AT, control_number="7")
