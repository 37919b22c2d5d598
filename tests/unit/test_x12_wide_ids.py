"""Claim ids and payer claim numbers as wide as the TR3 allows (issue 13): every CLP01,
CLP07, 277CA TRN02 and REF*1K the guides allow reads, posts and matches its claim; what
claimcore writes as CLM01 stays strict; transfer ids stay valid and unambiguous."""

from __future__ import annotations

from datetime import UTC, datetime

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcore.claims import Claim, ClaimStatus, EditContext, acknowledge, mark_ready, scrub, submit
from claimcore.errors import ValidationError
from claimcore.ids import ClaimId, PayerClaimNumber, TransferId
from claimcore.ledger import Ledger, TransferCode
from claimcore.money import Money
from claimcore.posting import post_charges, post_remittance
from claimcore.strategies import claim_ids
from claimcore.x12 import (
    ControlNumbers,
    X12Error,
    read_277ca,
    read_835,
    write_835,
    write_837i,
    write_837p,
)
from tests.unit import test_posting as p
from tests.unit import test_x12_837 as w

WIDE = "PCN 0001 WITH SPACES AND 38 CHARS XX"
LONGEST = "P#1 (A&B) 'x'=y; z? [0]{1}|<2>$%@!_/," + "Q"  # 38 characters
AT = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)


def test_the_longest_sample_is_38_characters() -> None:
    assert len(LONGEST) == 38


@pytest.mark.parametrize("value", [WIDE, LONGEST, "A", "a b", "-1", "#", "x" * 38])
def test_a_claim_id_holds_what_clp01_allows(value: str) -> None:
    assert ClaimId(value).value == value


@pytest.mark.parametrize("value", ["", " A", "A ", "x" * 39, "A\tB", "A\nB", "\x7f", "é"])
def test_a_claim_id_refuses_what_clp01_does_not_allow(value: str) -> None:
    with pytest.raises(ValidationError):
        ClaimId(value)


@pytest.mark.parametrize("value", ["ICN 1", "#1/2:3", "n" * 50, "'x'"])
def test_a_payer_claim_number_holds_what_clp07_allows(value: str) -> None:
    assert PayerClaimNumber(value).value == value


@pytest.mark.parametrize("value", ["", " ICN", "ICN ", "n" * 51, "A\x00"])
def test_a_payer_claim_number_refuses_what_clp07_does_not_allow(value: str) -> None:
    with pytest.raises(ValidationError):
        PayerClaimNumber(value)


@pytest.mark.parametrize(("value", "submittable"), [
    ("PCN1", True), ("A./_-9", True), ("x" * 20, True), ("x" * 21, False),
    ("PCN 1", False), ("-PCN1", False), ("PCN#1", False), (WIDE, False),
])
def test_is_submittable_is_claimcores_own_clm01_rule(value: str, submittable: bool) -> None:
    assert ClaimId(value).is_submittable() is submittable


# -- reading, posting, matching ---------------------------------------------------------


def wide_claim(claim_id: str = WIDE) -> Claim:
    """Test_posting's claim under ``claim_id``, taken to accepted as another system that
    submitted it would have (claimcore's own scrub flags the id, see below)."""
    claim = p.make_claim(claim_id=ClaimId(claim_id), status=ClaimStatus.DRAFT)
    claim = mark_ready(claim, scrub(claim, edits=(), context=EditContext(as_of=p.DOS)), at=p.AT)
    return acknowledge(submit(claim, at=p.AT.replace(hour=10)), at=p.AT.replace(hour=11))


def wide_835(clp01: str) -> str:
    """Acme's payment of test_posting's claim, as an 835 whose CLP01 is ``clp01``."""
    text = write_835([p.remittance([p.acme_payment()])],
                     control_numbers=ControlNumbers(interchange=1, group=1, transaction=1),
                     at=AT)
    assert "CLP*DR0302A*" in text
    return text.replace("CLP*DR0302A*", f"CLP*{clp01}*")


@pytest.mark.parametrize("claim_id", [WIDE, LONGEST, "PCN:1", "PCN#1.2"])
def test_an_835_with_a_wide_clp01_reads_posts_and_matches_its_claim(claim_id: str) -> None:
    (remittance,) = read_835(wide_835(claim_id))
    assert remittance.claims[0].claim == ClaimId(claim_id)
    claim = wide_claim(claim_id)
    ledger = p.charged(claim)
    result = post_remittance(ledger, [claim], remittance)
    assert not result.unmatched
    assert result.claims[0].status is ClaimStatus.ADJUDICATED
    paid = [t for t in result.ledger if t.code is TransferCode.PAYER_PAYMENT]
    assert sum((t.amount for t in paid), Money.zero()) == p.usd("112.00")
    assert {t.claim for t in result.ledger} == {ClaimId(claim_id)}
    for t in result.ledger:  # every id a TransferId, the claim's part free of separators
        assert isinstance(t.id, TransferId)
        assert claim_id not in t.id.value or ClaimId(claim_id).is_submittable()
    # idempotent by transfer id: the same remittance again changes nothing
    again = post_remittance(result.ledger, list(result.claims), remittance)
    assert list(again.ledger) == list(result.ledger)


def test_a_wide_clp01_matches_its_claim_by_the_normalized_key() -> None:
    """The payer echoes the id in lower case with zeros in front: it still matches."""
    (remittance,) = read_835(wide_835("00" + WIDE.lower()))
    claim = wide_claim()
    result = post_remittance(p.charged(claim), [claim], remittance)
    assert not result.unmatched
    assert result.claims[0].status is ClaimStatus.ADJUDICATED


def test_claims_whose_ids_differ_only_where_escaping_acts_get_apart_transfer_ids() -> None:
    """'A B', 'A_20B', 'A:B' and '_A_20B' must not share transfer ids: each claim's
    charges and payment stay its own."""
    ids = ["A B", "A_20B", "A:B", "_A_20B", "A#B", "A_B"]
    ledger = Ledger()
    for claim_id in ids:
        ledger = post_charges(ledger, wide_claim(claim_id), on=p.DOS)
    assert len(list(ledger)) == 2 * len(ids)
    assert len({t.id for t in ledger}) == 2 * len(ids)
    assert {t.claim for t in ledger} == {ClaimId(c) for c in ids}


def test_a_long_wide_id_gets_a_digest_and_stays_within_the_transfer_id() -> None:
    ledger = post_charges(Ledger(), wide_claim(LONGEST), on=p.DOS)
    (first, second) = list(ledger)
    assert first.id.value.startswith("chg:-") and first.id != second.id
    assert len(first.id.value) <= 40


def test_a_277ca_trn02_and_ref_1k_with_spaces_read() -> None:
    text = (
        "ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*CLINIC         "
        "*260304*0900*^*00501*000000009*0*P*:~"
        "GS*HN*CH*CLINIC*20260304*0900*9*X*005010X214~ST*277*0001*005010X214~"
        "BHT*0085*08*B1*20260304*0900*TH~HL*1**20*1~NM1*PR*2*ACME*****PI*ACME1~"
        "HL*2*1*21*1~NM1*41*2*GOOD CLINIC*****46*E1~HL*3*2*19*1~"
        "NM1*85*2*GOOD CLINIC*****XX*1234567893~HL*4*3*PT~NM1*QC*1*DOE*JANE~"
        f"TRN*2*{WIDE}~STC*A2:20*20260303*U*100.00~REF*1K*ICN 77/A#1~"
        "SE*14*0001~GE*1*9~IEA*1*000000009~"
    )
    (ack,) = read_277ca(text)
    assert ack.claim_id == ClaimId(WIDE)
    assert ack.payer_claim_number == PayerClaimNumber("ICN 77/A#1")


# -- writing stays strict ---------------------------------------------------------------


@pytest.mark.parametrize("claim_id", [WIDE, "x" * 21, "PCN 1", "-PCN1", "PCN#1"])
def test_the_837_writers_refuse_a_clm01_claimcore_does_not_send(claim_id: str) -> None:
    submitter, receiver = w.SUBMITTER, w.RECEIVER
    for write, claim in ((write_837p, w.professional()), (write_837i, w.institutional())):
        wide = attrs.evolve(claim, id=ClaimId(claim_id))
        with pytest.raises(X12Error) as err:
            write(claims=[wide], submitter=submitter, receiver=receiver,
                  control_numbers=w.NUMBERS, at=w.AT)
        assert (err.value.segment_id, err.value.element) == ("CLM", "CLM01")
        assert write(claims=[claim], submitter=submitter, receiver=receiver,
                     control_numbers=w.NUMBERS, at=w.AT)


def test_the_scrub_flags_a_claim_id_claimcore_does_not_send() -> None:
    claim = p.make_claim(claim_id=ClaimId(WIDE), status=ClaimStatus.DRAFT)
    report = scrub(claim, context=EditContext(as_of=p.DOS))
    assert [(f.edit_id, f.location) for f in report.errors] == [("x12-limits", "$.id")]
    strict = p.make_claim(status=ClaimStatus.DRAFT)
    assert not scrub(strict, context=EditContext(as_of=p.DOS)).errors
    with pytest.raises(ValidationError, match="scrub"):
        mark_ready(claim, report, at=p.AT)


@settings(max_examples=40, deadline=None)
@given(st.lists(claim_ids(), min_size=2, max_size=4, unique=True))
def test_distinct_claim_ids_never_share_a_transfer_id(ids: list[ClaimId]) -> None:
    """Whatever the ids hold (spaces, '#', '_', hex-looking escapes), each claim's
    transfers have ids of their own."""
    ledger = Ledger()
    for claim_id in ids:
        ledger = post_charges(ledger, wide_claim(claim_id.value), on=p.DOS)
    assert len({t.id for t in ledger}) == len(list(ledger)) == 2 * len(ids)
