"""Laws of claims: clean claims scrub clean, planted defects are found, splits keep every
line and cent, the lifecycle follows its table, and every public type round-trips."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from claimcore.charges import (
    Charge,
    ChargeEntry,
    FeePrice,
    FeeSchedule,
    Finding,
    PayerContract,
)
from claimcore.claims import (
    TRANSITIONS,
    Adjudication,
    AdjudicationOutcome,
    AdmissionInfo,
    Appeal,
    Claim,
    ClaimAdjustment,
    ClaimEvent,
    ClaimKind,
    ClaimLine,
    ClaimStatus,
    EditContext,
    LineAdjudication,
    MueEntry,
    MueTable,
    NcciEdit,
    NcciTable,
    OtherPayer,
    RejectionReason,
    ScrubReport,
    acknowledge,
    appeal,
    close,
    correct,
    mark_ready,
    record_adjudication,
    reject,
    replace,
    scrub,
    split_claim,
    submit,
    void,
)
from claimcore.codes import ClaimFrequency
from claimcore.coverage import AppealLevel, AppealRules
from claimcore.errors import InvalidTransition
from claimcore.ids import PayerClaimNumber
from claimcore.money import Money
from claimcore.periods import Period
from claimcore.strategies import (
    adjudications,
    admission_infos,
    appeals,
    charge_entries,
    charges,
    claim_adjustments,
    claim_events,
    claim_lines,
    claims,
    dirty_claims,
    edit_contexts,
    fee_prices,
    fee_schedules,
    findings,
    line_adjudications,
    mue_entries,
    mue_tables,
    ncci_edits,
    ncci_tables,
    other_payers,
    payer_contracts,
    rejection_reasons,
    scrub_reports,
)

SLOW = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SLOW
@given(claims(), edit_contexts())
def test_generated_claims_scrub_clean(claim: Claim, context: EditContext) -> None:
    """A claim from claims() has no finding under the matching context."""
    assert scrub(claim, context=context).findings == ()


@SLOW
@given(claims(status=ClaimStatus.ADJUDICATED), edit_contexts())
def test_claims_in_any_status_still_scrub_clean(claim: Claim, context: EditContext) -> None:
    """Taking a claim through the lifecycle does not change what the scrub finds."""
    assert claim.status is ClaimStatus.ADJUDICATED
    assert [e.to_status for e in claim.history][-1] is ClaimStatus.ADJUDICATED
    assert scrub(claim, context=context).findings == ()


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(dirty_claims(), edit_contexts())
def test_every_planted_defect_is_found_by_its_edit(
    dirty: tuple[Claim, str], context: EditContext
) -> None:
    """The planted defect is reported by the edit it is labelled with, and by no other."""
    claim, edit_id = dirty

    report = scrub(claim, context=context)

    assert report.edit_ids() == {edit_id}
    assert not report.clean


@SLOW
@given(claims(kind=ClaimKind.PROFESSIONAL, max_lines=40), st.integers(1, 12))
def test_splitting_keeps_every_line_and_cent(claim: Claim, max_lines: int) -> None:
    """Split parts carry every line once, in order, and their totals add up exactly."""
    parts = split_claim(claim, max_lines=max_lines, max_diagnoses=4)

    assert all(len(p.lines) <= max_lines and len(p.diagnoses) <= 4 for p in parts)
    kept = [(attrs.evolve(ln, line_number=1, pointers=()),
             [p.diagnoses[q - 1] for q in ln.pointers]) for p in parts for ln in p.lines]
    original = [(attrs.evolve(ln, line_number=1, pointers=()),
                 [claim.diagnoses[q - 1] for q in ln.pointers]) for ln in claim.lines]
    assert kept == original
    assert sum((p.total_charge for p in parts), Money.zero()) == claim.total_charge
    assert len({p.id for p in parts}) == len(parts)


# -- the lifecycle as a state machine -----------------------------------------------------

ICN = PayerClaimNumber("ICN12345")
RULES = AppealRules(levels=[AppealLevel(level=n, name=f"level {n}", deadline_days=3650)
                            for n in (1, 2)], effective=Period(date(2015, 10, 1)))
EVENTS = ("mark_ready", "submit", "acknowledge", "reject", "correct", "record_adjudication",
          "appeal", "close", "void", "replace")


class ClaimLifecycle(RuleBasedStateMachine):
    """Random sequences of events: each follows the table or raises InvalidTransition."""

    def __init__(self) -> None:
        super().__init__()
        self.claim: Claim | None = None
        self.context: EditContext | None = None
        self.at = datetime(2026, 7, 1, 8, tzinfo=UTC)

    @precondition(lambda self: self.claim is None)
    @rule(claim=claims(max_lines=3), context=edit_contexts())
    def start(self, claim: Claim, context: EditContext) -> None:
        self.claim, self.context = claim, context

    def _apply(self, event: str, run: Any) -> None:
        claim = self.claim
        assert claim is not None
        before = (claim, repr(claim), claim.history, claim.status)
        self.at += timedelta(hours=1)
        expected = TRANSITIONS[claim.status].get(event)
        if expected is None:
            with pytest.raises(InvalidTransition) as err:
                run(claim, self.at)
            assert err.value.current == claim.status.value and err.value.event == event
            assert err.value.allowed == frozenset(TRANSITIONS[claim.status])
        else:
            result = run(claim, self.at)
            new = result[0] if isinstance(result, tuple) else result
            assert new.status is expected
            assert new.history == (*claim.history, new.history[-1])
            assert new.history[-1].from_status is claim.status
            if isinstance(result, tuple):
                successor = result[1]
                assert successor.status is ClaimStatus.DRAFT
                assert successor.original_claim_number is not None
                assert successor.frequency in (ClaimFrequency.VOID, ClaimFrequency.REPLACEMENT)
            self.claim = new
        # the input never changes
        assert (claim, repr(claim), claim.history, claim.status) == before

    @precondition(lambda self: self.claim is not None)
    @rule()
    def do_mark_ready(self) -> None:
        assert self.context is not None
        context = self.context
        self._apply("mark_ready", lambda c, at: mark_ready(c, scrub(c, context=context), at=at))

    @precondition(lambda self: self.claim is not None)
    @rule()
    def do_submit(self) -> None:
        self._apply("submit", lambda c, at: submit(c, at=at))

    @precondition(lambda self: self.claim is not None)
    @rule()
    def do_acknowledge(self) -> None:
        self._apply("acknowledge", lambda c, at: acknowledge(c, at=at, payer_claim_number=ICN))

    @precondition(lambda self: self.claim is not None)
    @rule(reason=rejection_reasons())
    def do_reject(self, reason: RejectionReason) -> None:
        self._apply("reject", lambda c, at: reject(c, at=at, reasons=[reason]))

    @precondition(lambda self: self.claim is not None)
    @rule()
    def do_correct(self) -> None:
        self._apply("correct", lambda c, at: correct(c, at=at, reason="fixed"))

    @precondition(lambda self: self.claim is not None)
    @rule(outcome=st.sampled_from(AdjudicationOutcome))
    def do_adjudicate(self, outcome: AdjudicationOutcome) -> None:
        paid = Money.from_cents(100) if outcome in (
            AdjudicationOutcome.PAID, AdjudicationOutcome.PARTIALLY_PAID) else Money.zero()
        self._apply("record_adjudication", lambda c, at: record_adjudication(c, Adjudication(
            outcome=outcome, paid=paid, payer_claim_number=ICN, on=at.date()), at=at))

    @precondition(lambda self: self.claim is not None and len(self.claim.appeals) < 2)
    @rule()
    def do_appeal(self) -> None:
        self._apply("appeal", lambda c, at: appeal(
            c, at=at, rules=RULES, amount_in_controversy=Money.from_cents(100)))

    @precondition(lambda self: self.claim is not None)
    @rule()
    def do_close(self) -> None:
        self._apply("close", lambda c, at: close(c, at=at))

    @precondition(lambda self: self.claim is not None)
    @rule()
    def do_void(self) -> None:
        self._apply("void", lambda c, at: void(c, at=at, original_claim_number=ICN))

    @precondition(lambda self: self.claim is not None)
    @rule()
    def do_replace(self) -> None:
        self._apply("replace", lambda c, at: replace(c, at=at, original_claim_number=ICN))

    @invariant()
    def history_is_a_chain(self) -> None:
        if self.claim is None:
            return
        history = self.claim.history
        for before, after in itertools.pairwise(history):
            assert before.to_status is after.from_status and before.at <= after.at
        if history:
            assert history[-1].to_status is self.claim.status


ClaimLifecycle.TestCase.settings = settings(
    max_examples=40, stateful_step_count=15, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TestClaimLifecycle = ClaimLifecycle.TestCase


# -- round trip through the converter -----------------------------------------------------

ROUND_TRIP = {
    Finding: findings(), FeePrice: fee_prices(), FeeSchedule: fee_schedules(),
    PayerContract: payer_contracts(), Charge: charges(), ChargeEntry: charge_entries(),
    ClaimEvent: claim_events(), RejectionReason: rejection_reasons(),
    ClaimAdjustment: claim_adjustments(), LineAdjudication: line_adjudications(),
    OtherPayer: other_payers(), Adjudication: adjudications(), Appeal: appeals(),
    AdmissionInfo: admission_infos(), ClaimLine: claim_lines(), NcciEdit: ncci_edits(),
    NcciTable: ncci_tables(), MueEntry: mue_entries(), MueTable: mue_tables(),
    ScrubReport: scrub_reports(),
}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(ROUND_TRIP, key=lambda t: t.__name__)).flatmap(
    lambda t: ROUND_TRIP[t]))
def test_every_public_type_round_trips(value: object) -> None:
    """structure(unstructure(v)) == v for every public charge, claim and edit type."""
    from claimcore.serialization import make_converter

    conv = make_converter()

    assert conv.structure(conv.unstructure(value), type(value)) == value


@SLOW
@given(st.sampled_from(list(ClaimStatus)).flatmap(lambda s: claims(status=s)))
def test_claims_in_every_status_round_trip(claim: Claim) -> None:
    """A claim in any status, with its history and adjudication, survives JSON."""
    from claimcore.serialization import dumps, loads

    assert loads(dumps(claim), Claim) == claim


@settings(max_examples=5, deadline=None)
@given(edit_contexts())
def test_edit_context_round_trips(context: EditContext) -> None:
    """The strategies' context, with code sets and NCCI/MUE tables, round-trips."""
    from claimcore.serialization import make_converter

    conv = make_converter()

    assert conv.structure(conv.unstructure(context), EditContext) == context


@SLOW
@given(claims(kind=ClaimKind.PROFESSIONAL, max_lines=1),
       st.lists(charges(), min_size=1, max_size=70, unique_by=lambda c: c.id))
def test_building_keeps_every_active_charge_and_cent(
    template: Claim, entered: list[Charge]
) -> None:
    """build_claim bills every active charge once, and the claims' totals add up to them."""
    from claimcore.claims import build_claim

    active = [c for c in entered if c.is_active]
    if not active:
        return
    parts = build_claim(
        id=template.id, kind=ClaimKind.PROFESSIONAL, charges=entered,
        patient=template.patient, coverage=template.coverage,
        billing_provider=template.billing_provider,
    )

    billed = sorted(ln.charge_id or "" for p in parts for ln in p.lines)
    assert billed == sorted(c.id for c in active)
    total = sum((c.amount for c in active), Money.zero())
    assert sum((p.total_charge for p in parts), Money.zero()) == total
    assert all(len(p.lines) <= 50 and len(p.diagnoses) <= 12 for p in parts)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fee_schedules(), st.data())
def test_entering_charges_prices_or_reports_every_line(
    schedule: FeeSchedule, data: st.DataObject
) -> None:
    """Every procedure line of a coded encounter gives one charge or one finding."""
    from claimcore.charges import enter_charges
    from claimcore.strategies import coded_encounters

    coded = data.draw(coded_encounters())
    last = max((p.service_period.start for p in coded.procedures), default=date(2026, 1, 1))

    entry = enter_charges(coded, schedule, on=last + timedelta(days=1))

    assert len(entry.charges) + len(entry.findings) == len(coded.procedures)
    for charge in entry.charges:
        assert charge.amount == charge.unit_price.times(charge.units)
