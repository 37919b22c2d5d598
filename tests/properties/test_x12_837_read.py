"""Laws of the 837 reader: what claimcore writes, it reads back as the same draft claim."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcore.claims import Claim, ClaimKind, ClaimStatus, OtherPayer
from claimcore.codes import ClaimFrequency, TypeOfBill
from claimcore.coverage import Coverage, Payer, Plan, Relationship, Subscriber
from claimcore.errors import ClaimcoreError
from claimcore.ids import PayerClaimNumber
from claimcore.patients import Patient, PersonName
from claimcore.periods import Period
from claimcore.providers import Provider
from claimcore.strategies import claims, other_payers
from claimcore.x12 import (
    ControlNumbers,
    Read837Defaults,
    Receiver,
    Submitter,
    WarningCode,
    collect_837,
    iter_837,
    read_837,
    read_837_with_warnings,
    write_837i,
    write_837p,
)
from tests.unit.test_x12_837_read import rekeyed

AT = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
SUBMITTER = Submitter(name="ACME BILLING", id="ACME01", contact_name="Pat", phone="5555551234")
RECEIVER = Receiver("BIG PAYER", "BIGPAYER")
CONTROL = ControlNumbers(interchange=1, group=1, transaction=1)
DEFAULTS = Read837Defaults()


def _name(name: PersonName) -> PersonName:
    return attrs.evolve(name, prefix=None)  # NM106 is not written


def _provider(provider: Provider | None, *, taxonomy: bool) -> Provider | None:
    if provider is None:
        return None
    return Provider(npi=provider.npi, name=_name(provider.name),
                    taxonomy=provider.taxonomy if taxonomy else None)


def _coverage(coverage: Coverage, subscriber: Subscriber, start: date) -> Coverage:
    payer = Payer(payer_id=coverage.payer.payer_id, name=coverage.payer.name,
                  kind=coverage.payer.kind, timely_filing=DEFAULTS.timely_filing)
    plan = Plan(name=DEFAULTS.plan_name if coverage.group_number else coverage.plan.name,
                plan_type=DEFAULTS.plan_type)
    return attrs.evolve(coverage, payer=payer, plan=plan, subscriber=subscriber,
                        period=Period(start))


def _other_payer(op: OtherPayer, start: date) -> OtherPayer:
    c = op.coverage
    subscriber = Subscriber(member_id=c.member_id, name=_name(c.subscriber.name),
                            birth_date=DEFAULTS.birth_date, sex=DEFAULTS.sex,
                            address=c.subscriber.address)
    lines = sorted(op.lines, key=lambda line: line.line_number)
    return attrs.evolve(op, coverage=_coverage(c, subscriber, start), lines=lines)


def carried(claim: Claim) -> Claim:
    """``claim`` as an 837 carries it: a draft, with the reader's defaults wherever the
    837 has no element (medical record number, plan type, filing limit...)."""
    professional = claim.kind is ClaimKind.PROFESSIONAL
    start = min(line.from_date for line in claim.lines)
    c = claim.coverage
    s = c.subscriber
    if c.relationship is Relationship.SELF:
        address = s.address or claim.patient.address
        subscriber = Subscriber(member_id=c.member_id, name=_name(s.name),
                                birth_date=s.birth_date, sex=s.sex, address=address)
        patient = Patient(mrn=DEFAULTS.mrn, name=_name(s.name), birth_date=s.birth_date,
                          sex=s.sex, address=address)
    else:
        subscriber = Subscriber(member_id=c.member_id, name=_name(s.name),
                                birth_date=DEFAULTS.birth_date, sex=DEFAULTS.sex)
        p = claim.patient
        patient = Patient(mrn=DEFAULTS.mrn, name=_name(p.name), birth_date=p.birth_date,
                          sex=p.sex, address=p.address)
    # no 2420A is written; an 837I line without a procedure has nowhere to put modifiers
    lines = [attrs.evolve(line, rendering_npi=None,
                          modifiers=line.modifiers if line.procedure else ())
             for line in claim.lines]
    changes: dict[str, Any] = {}
    if professional:
        facility = claim.facility
        if facility is not None and claim.place_of_service is not None:
            facility = attrs.evolve(facility, place_of_service=claim.place_of_service)
        changes.update(attending_provider=None, admitting_diagnosis=None, facility=facility,
                       rendering_provider=_provider(claim.rendering_provider, taxonomy=True))
    else:
        admission = claim.admission
        assert admission is not None and claim.type_of_bill is not None
        changes.update(
            rendering_provider=None, facility=None,
            attending_provider=_provider(claim.attending_provider, taxonomy=True),
            type_of_bill=TypeOfBill(claim.type_of_bill.code[:2] + claim.frequency.value),
            admission=attrs.evolve(
                admission, discharge_date=None,
                discharge_status=admission.discharge_status or "01",
                admission_hour=admission.admission_hour if admission.admission_date else None,
            ),
        )
    return attrs.evolve(
        claim, encounter=None, patient=patient, coverage=_coverage(c, subscriber, start),
        referring_provider=_provider(claim.referring_provider, taxonomy=False), lines=lines,
        other_payers=[_other_payer(op, start) for op in claim.other_payers],
        status=ClaimStatus.DRAFT, history=(), revision=0, payer_claim_number=None,
        rejections=(), adjudication=None, appeals=(), **changes,
    )


@st.composite
def claims_with_other_payers(draw: st.DrawFn, kind: ClaimKind) -> Claim:
    """Claims of the public strategy, some secondary with up to two prior payers (their
    line adjudications on lines the claim has), some replacing an earlier claim."""
    claim = draw(claims(kind=kind, max_lines=3))
    count = draw(st.integers(0, 2))
    found: list[OtherPayer] = []
    for _ in range(count):
        op = draw(other_payers())
        if any(o.coverage.payer.payer_id == op.coverage.payer.payer_id for o in found):
            continue  # SVD01 names the payer: two with one id cannot be told apart
        numbers = st.integers(1, len(claim.lines))
        lines = [attrs.evolve(a, line_number=draw(numbers)) for a in op.lines]
        found.append(attrs.evolve(op, lines=lines))
    if draw(st.booleans()):
        claim = attrs.evolve(claim, frequency=ClaimFrequency.REPLACEMENT,
                             original_claim_number=PayerClaimNumber("PCN7788"))
    return attrs.evolve(claim, other_payers=found)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(claims_with_other_payers(ClaimKind.PROFESSIONAL))
def test_read_837p_gives_back_what_write_837p_wrote(claim: Claim) -> None:
    """read_837(write_837p([c])) is c as a draft, in every field the 837 carries, with
    no warning."""
    text = write_837p([claim], submitter=SUBMITTER, receiver=RECEIVER,
                      control_numbers=CONTROL, at=AT)
    result = read_837_with_warnings(text)
    assert result.warnings == ()
    assert result.claims == (carried(claim),)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(claims_with_other_payers(ClaimKind.INSTITUTIONAL))
def test_read_837i_gives_back_what_write_837i_wrote(claim: Claim) -> None:
    """read_837(write_837i([c])) is c as a draft, in every field the 837 carries."""
    text = write_837i([claim], submitter=SUBMITTER, receiver=RECEIVER,
                      control_numbers=CONTROL, at=AT)
    result = read_837_with_warnings(text)
    assert result.warnings == ()
    assert result.claims == (carried(claim),)


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(claims(kind=ClaimKind.PROFESSIONAL, max_lines=2), min_size=1, max_size=4),
       st.integers(1, 200))
def test_several_claims_read_back_and_stream_alike(items: list[Claim], size: int) -> None:
    """Every claim of a file reads back (the writer groups them by billing provider, so
    the order may differ), and iter_837 over chunks of any size yields the same claims."""
    text = write_837p(items, submitter=SUBMITTER, receiver=RECEIVER,
                      control_numbers=CONTROL, at=AT)
    read = read_837(text)
    expected = [carried(c) for c in items]
    assert len(read) == len(expected)
    for claim in read:
        expected.remove(claim)  # raises when a claim read back is not one written
    chunks = [text[k:k + size] for k in range(0, len(text), size)]
    assert tuple(iter_837(chunks)) == read  # no warning, no claim set aside: claims only
    assert collect_837(iter_837(chunks)) == read_837_with_warnings(text)


@settings(max_examples=5, deadline=None)
@given(claims(kind=ClaimKind.PROFESSIONAL, max_lines=2))
def test_the_law_can_fail(claim: Claim) -> None:
    """A claim changed after writing does not read back equal (the law can fail)."""
    text = write_837p([claim], submitter=SUBMITTER, receiver=RECEIVER,
                      control_numbers=CONTROL, at=AT)
    other = ("Y" if claim.id.value[0] == "Z" else "Z") + claim.id.value[1:]
    changed = text.replace(f"CLM*{claim.id.value}*", f"CLM*{other}*", 1)
    assert read_837(changed) != (carried(claim),)
    changed = text.replace("~LX*1~", "~NTE*ADD*NOTE~LX*1~", 1)
    result = read_837_with_warnings(changed)
    assert [w.code for w in result.warnings] == [WarningCode.SEGMENT_COUNT,
                                                  WarningCode.NOT_HELD]
    assert result.claims == (carried(claim),)


SHARED = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "x12"
REAL_837 = [rekeyed(p.read_text(encoding="latin-1")) for p in sorted(SHARED.glob("837*/lfh_*"))]


@pytest.mark.skipif(not REAL_837, reason="../shared/fixtures is not present")
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_a_damaged_837_is_read_or_refused_with_a_claimcore_error(data: st.DataObject) -> None:
    """A real 837 with characters flipped, segments deleted, doubled or inserted reads
    (claims set aside as need be) or raises a ClaimcoreError: never another exception;
    the stream agrees with the whole read."""
    text = data.draw(st.sampled_from(REAL_837))
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text) - 1))
        kind = data.draw(st.sampled_from(["flip", "delete", "double", "insert"]))
        if kind == "flip":
            text = text[:at] + chr(data.draw(st.integers(32, 126))) + text[at + 1:]
        elif kind == "insert":
            text = text[:at] + data.draw(st.sampled_from(
                ["~", "*", ":", "~HL*9*1*22*0~", "~LX*1~", "~CLM*X*1~", "~SBR*S~",
                 "~SVD*A*1~", "~HI*ABK:Z~"])) + text[at:]
        else:
            segments = text.split("~")
            k = data.draw(st.integers(0, len(segments) - 1))
            if kind == "delete":
                del segments[k]
            else:
                segments.insert(k, segments[k])
            text = "~".join(segments)
    try:
        whole = read_837_with_warnings(text)
    except ClaimcoreError:
        return
    streamed = collect_837(iter_837([text[k:k + 64] for k in range(0, len(text), 64)]))
    assert (streamed.claims, streamed.unread_claims) == (whole.claims, whole.unread_claims)
