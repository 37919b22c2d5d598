"""Claim status: the 276 claimcore writes, the 277 responses it reads, and what they say
about claims (findings, never transitions)."""

from __future__ import annotations

import importlib.util
from datetime import UTC, date, datetime
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcore.claims import Claim, ClaimStatus
from claimcore.codes import CLAIM_STATUS_CATEGORIES, CLAIM_STATUS_CODES, category_family
from claimcore.errors import ValidationError
from claimcore.ids import ClaimId, PayerClaimNumber
from claimcore.money import Money
from claimcore.strategies import claims
from claimcore.x12 import (
    ControlNumbers,
    Receiver,
    Submitter,
    X12Error,
    claim_status_findings,
    read_277,
    read_277_with_warnings,
    read_interchanges,
    write_276,
)
from tests.unit.test_x12_837 import pyx12_errors

# Copies of the public fixtures (../shared/fixtures/x12/276_277), with their licences.
SHARED = Path(__file__).resolve().parents[1] / "fixtures" / "x12"
CODES = Path(__file__).resolve().parents[1] / "fixtures" / "codesets"
needs_fixtures = pytest.mark.skipif(not SHARED.exists(), reason="no ../shared/fixtures")
AT = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
SUBMITTER = Submitter(name="ACME BILLING", id="ACME01", contact_name="Pat", phone="5555551234")
RECEIVER = Receiver("BIG PAYER", "BIGPAYER")
CONTROL = ControlNumbers(interchange=7, group=7, transaction=1)


def _submitted() -> st.SearchStrategy[list[Claim]]:
    return st.lists(claims(status=ClaimStatus.SUBMITTED, max_lines=2), min_size=1, max_size=3)


def _tr3_shapes() -> set[tuple[str, str]]:
    """(segment id, first element) of every segment of the TR3's 276 examples."""
    found: set[tuple[str, str]] = set()
    for path in SHARED.glob("lfh_*.276"):
        (interchange,), _ = read_interchanges(path.read_text())
        for seg in interchange.groups[0].transactions[0].segments:
            found.add((seg.id, seg[1] if seg.id not in ("ST", "SE", "HL", "DMG") else ""))
    return found


def _pyx12_has_a_276_map() -> bool:
    spec = importlib.util.find_spec("pyx12")
    if spec is None or spec.origin is None:
        return False
    return any(Path(spec.origin).parent.glob("map/276.5010.X212*.xml"))


@needs_fixtures
@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(_submitted())
def test_every_276_is_well_formed_and_shaped_like_the_tr3_examples(items: list[Claim]) -> None:
    """Every 276 claimcore writes reads back with no envelope warning, uses only segments
    (with their qualifiers) the TR3's 276 examples use, and traces each claim once; pyx12
    finds no error in it where pyx12 has a 005010X212 276 map (4.0 has none)."""
    text = write_276(items, submitter=SUBMITTER, receiver=RECEIVER, control_numbers=CONTROL,
                     at=AT)
    (interchange,), warnings = read_interchanges(text)
    assert warnings == ()
    segments = interchange.groups[0].transactions[0].segments
    shapes = {(s.id, s[1] if s.id not in ("ST", "SE", "HL", "DMG") else "") for s in segments}
    assert shapes <= _tr3_shapes()
    traces = [s[2] for s in segments if s.id == "TRN"]
    assert traces == [c.id.value for c in _grouped(items)]
    if _pyx12_has_a_276_map():
        assert pyx12_errors(text) == []


def _grouped(items: list[Claim]) -> list[Claim]:
    """The claims in the order the 276 lists them: by payer, then billing provider."""
    order: dict[tuple[str, str], dict[object, list[Claim]]] = {}
    for c in items:
        key = (c.coverage.payer.payer_id.value, c.coverage.payer.name)
        order.setdefault(key, {}).setdefault(c.billing_provider, []).append(c)
    return [c for providers in order.values() for cs in providers.values() for c in cs]


@settings(max_examples=5, deadline=None)
@given(claims(max_lines=1))
def test_a_claim_not_sent_has_no_status_to_ask(claim: Claim) -> None:
    """A draft claim cannot be asked about: a ValidationError naming its status."""
    with pytest.raises(ValidationError, match="submitted"):
        write_276([claim], submitter=SUBMITTER, receiver=RECEIVER, control_numbers=CONTROL,
                  at=AT)


@needs_fixtures
def test_the_tr3_claim_level_response_reads_per_claim_and_per_line() -> None:
    """The 277 example: P3:317 pended, F0:3 finalized with 7599.00 paid, and a denied
    claim (F2:88:QC) with its denied line HC:99203."""
    pended, finalized, denied = read_277((SHARED / "lfh_claim-level-status.277").read_text())
    assert pended.claim_id == ClaimId("ABCXYZ1") and pended.pended
    assert pended.payer_claim_number == PayerClaimNumber("05347006051")
    assert pended.type_of_bill == "111" and pended.patient_control_number == "SM123456"
    assert pended.service_period is not None
    assert pended.service_period.start == date(2005, 8, 31)
    assert pended.details[0].effective_on == date(2005, 9, 13)
    assert pended.details[0].charge == Money.parse("8513.88")
    assert finalized.finalized and not finalized.denied
    assert finalized.details[0].paid == Money.parse("7599.00")
    assert denied.denied
    (line,) = denied.lines
    assert line.procedure is not None and line.procedure.code == "99203"
    assert (line.charge, line.paid) == (Money.parse("150.00"), Money.parse("0.00"))
    assert line.details[0].statuses[0].entity == "QC"
    assert line.service_period is not None and line.service_period.start == date(2005, 5, 1)


@needs_fixtures
@pytest.mark.parametrize("path", sorted(SHARED.glob("lfh_*.277")), ids=lambda p: p.name)
def test_every_277_fixture_reads(path: Path) -> None:
    """Each claim status fixture reads; what it holds outside the lists is a warning
    (the NCPDP reject code of STC01-4 RX is not held to element 508)."""
    result = read_277_with_warnings(path.read_text())
    assert result.warnings == ()
    assert all(r.details for r in result.values)


@needs_fixtures
def test_a_277ca_is_not_a_claim_status_response() -> None:
    """The 277CA (005010X214) has its own reader."""
    with pytest.raises(X12Error, match="read_277ca"):
        read_277((SHARED / "ims_x12_277CA_accepted.277").read_text())


@settings(max_examples=5, deadline=None)
@given(claims(status=ClaimStatus.SUBMITTED, max_lines=1))
def test_statuses_are_findings_on_the_claims_not_transitions(claim: Claim) -> None:
    """A 277 that denies, finalizes or pends a claim is a finding on it; no claim moves."""
    text = (SHARED / "lfh_claim-level-status.277").read_text()
    pended, finalized, denied = read_277(text)

    def named(value: str) -> Claim:
        return attrs.evolve(claim, id=ClaimId(value))

    sent = [named("ABCXYZ1"), named("ABCXYZ2"), named("ABCXYC3")]
    found = claim_status_findings(sent, [pended, finalized, denied])
    assert [(f.edit_id, f.location) for f in found] == [
        ("claim-status-pended", "$.claims[0]"), ("claim-status-finalized", "$.claims[1]"),
        ("claim-status-denied", "$.claims[2]"),
    ]
    assert found[2].is_error and "F2:88" in found[2].message
    assert [c.status for c in sent] == [ClaimStatus.SUBMITTED] * 3


@needs_fixtures
def test_the_claim_status_lists_are_the_fixtures_code_lists() -> None:
    """The shipped lists hold exactly the codes of the public code lists."""
    def codes(name: str) -> set[str]:
        lines = (CODES / name).read_text().splitlines()[1:]
        return {line.split(",")[0] for line in lines if line}

    assert codes("claim_status_category_507_pyx12.csv") == CLAIM_STATUS_CATEGORIES
    assert codes("claim_status_508_pyx12.csv") == CLAIM_STATUS_CODES
    assert category_family("R16") == "request for additional information"
    assert category_family("ZZ") is None
