"""Worked claim scenarios: construction rules, building from charges, splitting, lifecycle."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import attrs
import pytest

from claimcore.charges import Charge, ChargeStatus
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
    ClaimStatus,
    LineAdjudication,
    OtherPayer,
    RejectionReason,
    ScrubReport,
    acknowledge,
    allowed_events,
    appeal,
    build_claim,
    close,
    correct,
    mark_ready,
    readjudicate,
    record_adjudication,
    reject,
    replace,
    scrub,
    split_claim,
    submit,
    void,
)
from claimcore.codes import (
    CARC,
    CPT,
    ICD10CM,
    AdjustmentGroup,
    ClaimFrequency,
    PlaceOfService,
    PresentOnAdmission,
    RevenueCode,
    TypeOfBill,
)
from claimcore.coverage import MEDICARE_APPEALS, AppealLevel, AppealRules, CoverageOrder
from claimcore.errors import InvalidTransition, TypeMismatch, ValidationError
from claimcore.ids import ClaimId, EncounterId, PayerClaimNumber
from claimcore.money import Money
from claimcore.periods import Period
from tests.unit.test_claims_support import (
    AT,
    BILLING,
    CONTEXT,
    COVERAGE,
    DOCTOR,
    DOS,
    DX,
    PATIENT,
    coverage,
    institutional,
    line,
    professional,
)

ICN = PayerClaimNumber("22026061000123")


def usd(text: str) -> Money:
    return Money(Decimal(text))


def later(hours: int) -> datetime:
    return AT + timedelta(hours=hours)


def adjudicated(claim: Claim | None = None, *, paid: str = "80.00") -> Claim:
    """A claim taken through ready, submitted, accepted and adjudicated."""
    claim = claim or professional()
    ready = mark_ready(claim, scrub(claim, context=CONTEXT), at=AT)
    accepted = acknowledge(submit(ready, at=later(1)), at=later(2))
    result = Adjudication(
        outcome=AdjudicationOutcome.PAID if Decimal(paid) else AdjudicationOutcome.DENIED,
        paid=usd(paid), payer_claim_number=ICN, on=date(2026, 3, 20),
        patient_responsibility=usd("20.00"),
    )
    return record_adjudication(accepted, result, at=later(3))


# -- construction ------------------------------------------------------------------------


def test_total_is_derived_from_the_lines() -> None:
    """Without a total, the claim's total is the sum of its lines, to the cent."""
    claim = professional([line(1, charge="100.10"), line(2, "99214", charge="45.27")])

    assert claim.total_charge == usd("145.37")


def test_a_given_total_must_match_the_lines() -> None:
    """A given total that is off by one cent is refused."""
    claim = professional([line(1, charge="100.10")])

    with pytest.raises(ValidationError) as err:
        attrs.evolve(claim, total_charge=usd("100.11"))
    assert (err.value.path, err.value.rule) == ("$.total_charge", "total")


def test_new_lines_bring_their_own_total() -> None:
    """The total is derived, so evolving a claim with other lines never keeps the old total."""
    claim = professional([line(1, charge="100.10"), line(2, "99214", charge="45.27")])

    shorter = attrs.evolve(claim, lines=claim.lines[:1])

    assert shorter.total_charge == usd("100.10")
    assert attrs.evolve(claim, total_charge=usd("145.37")) == claim
    euro = attrs.evolve(claim.lines[1], charge=Money(Decimal("45.27"), "EUR"))
    with pytest.raises(ValidationError) as err:
        attrs.evolve(claim, lines=[claim.lines[0], euro])
    assert (err.value.path, err.value.rule) == ("$.lines[1].charge", "currency")


def test_claim_names_its_encounter_by_id() -> None:
    """A claim's encounter is an EncounterId (a str is read as one); a bad one is refused."""
    claim = attrs.evolve(professional(), encounter="ENC-1")

    assert claim.encounter == EncounterId("ENC-1")
    assert professional().encounter is None
    with pytest.raises(ValidationError) as err:
        attrs.evolve(claim, encounter="bad id")
    assert err.value.path == "$.encounter"
    with pytest.raises(TypeMismatch):
        attrs.evolve(claim, encounter=7)  # type: ignore[arg-type]
    original = adjudicated(claim)
    assert void(original, at=later(5))[1].encounter == EncounterId("ENC-1")
    assert replace(original, at=later(5))[1].encounter == EncounterId("ENC-1")


def test_frequency_and_original_claim_number_go_together() -> None:
    """Frequency 7 or 8 needs the original claim number; frequency 1 refuses one."""
    claim = professional()

    with pytest.raises(ValidationError) as err:
        attrs.evolve(claim, frequency=ClaimFrequency.REPLACEMENT)
    assert err.value.rule == "frequency"
    with pytest.raises(ValidationError):
        attrs.evolve(claim, original_claim_number=ICN)
    assert attrs.evolve(claim, frequency=ClaimFrequency.VOID,
                        original_claim_number=ICN).frequency is ClaimFrequency.VOID


def test_lines_are_numbered_in_order() -> None:
    """Line numbers run 1, 2, 3 in order."""
    with pytest.raises(ValidationError) as err:
        professional([line(1), line(3, "99214")])
    assert err.value.path == "$.lines[1].line_number"


def test_claim_needs_lines_and_distinct_diagnoses() -> None:
    """A claim has at least one line and lists each diagnosis once."""
    with pytest.raises(ValidationError) as err:
        professional([])
    assert err.value.rule == "empty"
    with pytest.raises(ValidationError) as err:
        professional(diagnoses=(DX[0], DX[0]))
    assert err.value.rule == "duplicate-diagnosis"


def test_claim_type_errors_name_the_field() -> None:
    """A wrong type is a TypeMismatch with the field's path."""
    claim = professional()
    with pytest.raises(TypeMismatch) as err:
        attrs.evolve(claim, lines=(claim.lines[0], "line"))  # type: ignore[arg-type]
    assert err.value.path == "$.lines[1]"
    with pytest.raises(TypeMismatch) as err:
        attrs.evolve(claim, id="PCN1")  # type: ignore[arg-type]
    assert err.value.path == "$.id"
    with pytest.raises(TypeMismatch):
        attrs.evolve(claim, total_charge=Decimal(100))  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        attrs.evolve(claim, revision=-1)
    with pytest.raises(TypeMismatch):
        attrs.evolve(claim, lines=[line(1)] and "ab")  # type: ignore[arg-type]


def test_claim_repr_has_no_phi() -> None:
    """The repr shows the claim id, kind, status and total, never the patient."""
    text = repr(professional())

    assert "Doe" not in text and "1960" not in text and "MRN12345" not in text
    assert text == ("Claim(id='PCN0001', kind=professional, status=draft, frequency=1, "
                    "lines=1, total_charge=Money('100.00'))")


def test_line_rules() -> None:
    """A line needs a service code, whole units to 3 places and a closed service period."""
    ok = line(1)
    with pytest.raises(ValidationError) as err:
        attrs.evolve(ok, procedure=None)
    assert err.value.rule == "no-service-code"
    with pytest.raises(TypeMismatch):
        attrs.evolve(ok, units=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        attrs.evolve(ok, units=Decimal("1.0005"))
    with pytest.raises(ValidationError):
        attrs.evolve(ok, units=Decimal(-1))
    with pytest.raises(ValidationError):
        attrs.evolve(ok, service_period=Period(DOS))
    with pytest.raises(ValidationError):
        attrs.evolve(ok, pointers=(0,))
    with pytest.raises(TypeMismatch):
        attrs.evolve(ok, procedure=ICD10CM("E11.9"))  # type: ignore[arg-type]
    with pytest.raises(TypeMismatch):
        attrs.evolve(ok, line_number=True)
    with pytest.raises(TypeMismatch):
        attrs.evolve(ok, charge=Decimal(1))  # type: ignore[arg-type]
    with pytest.raises(TypeMismatch):
        attrs.evolve(ok, service_period=(DOS, DOS))  # type: ignore[arg-type]
    assert attrs.evolve(ok, units=Decimal("1.5")).units == Decimal("1.5")
    assert (ok.from_date, ok.through_date) == (DOS, DOS)


def test_parts_check_themselves() -> None:
    """Each part of a claim checks its own fields."""
    with pytest.raises(ValidationError):
        RejectionReason(category="a3", status_code="21")
    with pytest.raises(ValidationError) as err:
        Adjudication(outcome=AdjudicationOutcome.PAID, paid=usd("0.00"),
                     payer_claim_number=ICN, on=DOS)
    assert err.value.rule == "outcome-paid"
    with pytest.raises(ValidationError):
        Adjudication(outcome=AdjudicationOutcome.DENIED, paid=usd("1.00"),
                     payer_claim_number=ICN, on=DOS)
    with pytest.raises(ValidationError):
        Adjudication(outcome=AdjudicationOutcome.DENIED, paid=usd("0.00"),
                     payer_claim_number=ICN, on=DOS, patient_responsibility=usd("-1.00"))
    with pytest.raises(ValidationError):
        Appeal(level=1, filed_on=date(2026, 5, 1), deadline=date(2026, 4, 30),
               amount_in_controversy=usd("1.00"))
    with pytest.raises(ValidationError):
        AdmissionInfo(statement_period=Period(DOS))
    with pytest.raises(ValidationError):
        AdmissionInfo(statement_period=Period(DOS, DOS), admission_type="0")
    with pytest.raises(ValidationError):
        ClaimEvent(from_status=ClaimStatus.DRAFT, to_status=ClaimStatus.READY,
                   at=datetime(2026, 1, 1))
    with pytest.raises(ValidationError):
        LineAdjudication(line_number=0, paid=usd("1.00"))
    assert ClaimAdjustment(group=AdjustmentGroup.CONTRACTUAL_OBLIGATION, reason=CARC("45"),
                           amount=usd("20.00"), quantity=Decimal(1)).quantity == 1


def test_rejection_reason_text_stays_out_of_repr() -> None:
    """A 277CA's free text may quote PHI, so it is not shown."""
    reason = RejectionReason(category="A7", status_code="164", entity="IL",
                             text="Jane Doe not found")

    assert "Jane" not in repr(reason)


def test_secondary_claim_carries_the_primary_payers_adjudication() -> None:
    """A secondary claim records the primary payer's payment and adjustments (loop 2320/2430)."""
    primary = OtherPayer(
        coverage=coverage(),
        paid=usd("80.00"),
        adjustments=[ClaimAdjustment(group=AdjustmentGroup.PATIENT_RESPONSIBILITY,
                                     reason=CARC("2"), amount=usd("20.00"))],
        lines=[LineAdjudication(line_number=1, paid=usd("80.00"))],
        adjudicated_on=date(2026, 3, 20),
    )
    claim = attrs.evolve(professional(), coverage=coverage(order=CoverageOrder.SECONDARY),
                         other_payers=[primary])

    assert claim.other_payers[0].paid + claim.other_payers[0].adjustments[0].amount == (
        claim.total_charge)
    assert "1EG4TE5MK73" not in repr(primary)


# -- building and splitting --------------------------------------------------------------


def charge(n: int, code: str = "99213", *, dx: tuple[ICD10CM, ...] = (DX[0],),
           on: date = DOS, price: str = "100.00", revenue: str | None = None) -> Charge:
    return Charge(
        id=f"CH{n}", code=CPT(code), unit_price=usd(price), service_date=on, diagnoses=dx,
        entered_on=on, place_of_service=PlaceOfService("11"),
        revenue_code=None if revenue is None else RevenueCode(revenue),
    )


def test_build_claim_from_charges() -> None:
    """Each active charge becomes a line pointing at its diagnoses; voided ones are left out."""
    voided = attrs.evolve(charge(9, "99215"), status=ChargeStatus.VOIDED, voided_by="CH10")
    charges = [charge(1, dx=(DX[1], DX[0])), charge(2, "93000", dx=(DX[0],), price="35.00"),
               voided]

    (claim,) = build_claim(id=ClaimId("PCN7"), kind=ClaimKind.PROFESSIONAL, charges=charges,
                           patient=PATIENT, coverage=COVERAGE, billing_provider=BILLING,
                           rendering_provider=DOCTOR)

    assert claim.diagnoses == (DX[1], DX[0])
    assert [ln.pointers for ln in claim.lines] == [(1, 2), (2,)]
    assert [ln.charge_id for ln in claim.lines] == ["CH1", "CH2"]
    assert claim.total_charge == usd("135.00")
    assert claim.place_of_service == PlaceOfService("11")
    assert scrub(claim, context=CONTEXT).findings == ()


def test_build_claim_names_the_encounter_of_its_charges() -> None:
    """The claim bills the encounter its charges were entered for, unless told another."""
    charges = [attrs.evolve(charge(n), encounter_id="ENC-7") for n in (1, 2)]
    kw = {"kind": ClaimKind.PROFESSIONAL, "charges": charges, "patient": PATIENT,
          "coverage": COVERAGE, "billing_provider": BILLING}

    (claim,) = build_claim(id=ClaimId("PCN7"), **kw)  # type: ignore[arg-type]
    (told,) = build_claim(id=ClaimId("PCN8"), encounter="ENC-8", **kw)  # type: ignore[arg-type]
    (mixed,) = build_claim(id=ClaimId("PCN9"), kind=ClaimKind.PROFESSIONAL,
                           charges=[charges[0], charge(3)], patient=PATIENT,
                           coverage=COVERAGE, billing_provider=BILLING)

    assert claim.encounter == EncounterId("ENC-7")
    assert told.encounter == EncounterId("ENC-8")
    assert mixed.encounter is None


def test_build_claim_with_given_diagnoses_refuses_a_missing_one() -> None:
    """Given diagnoses must include every charge's diagnoses."""
    with pytest.raises(ValidationError) as err:
        build_claim(id=ClaimId("PCN7"), kind=ClaimKind.PROFESSIONAL,
                    charges=[charge(1, dx=(DX[2],))], patient=PATIENT, coverage=COVERAGE,
                    billing_provider=BILLING, diagnoses=[DX[0]])
    assert err.value.rule == "unknown-diagnosis"
    with pytest.raises(ValidationError):
        build_claim(id=ClaimId("PCN7"), kind=ClaimKind.PROFESSIONAL, charges=[],
                    patient=PATIENT, coverage=COVERAGE, billing_provider=BILLING)


def test_build_institutional_claim_orders_lines_by_revenue_code() -> None:
    """Institutional lines carry revenue codes, in revenue-code order, and are not split."""
    start = DOS - timedelta(days=2)
    charges = [charge(1, "99238", revenue="0450", on=DOS),
               charge(2, "99223", revenue="0120", on=start, price="1200.00")]

    (claim,) = build_claim(
        id=ClaimId("INST9"), kind=ClaimKind.INSTITUTIONAL, charges=charges, patient=PATIENT,
        coverage=COVERAGE, billing_provider=BILLING, attending_provider=DOCTOR,
        type_of_bill=TypeOfBill("111"),
        admission=AdmissionInfo(statement_period=Period(start, DOS), admission_date=start),
        present_on_admission=[PresentOnAdmission.YES],
    )

    assert [str(ln.revenue_code) for ln in claim.lines] == ["0120", "0450"]
    assert [ln.line_number for ln in claim.lines] == [1, 2]
    assert claim.total_charge == usd("1300.00")
    assert claim.place_of_service is None
    assert scrub(claim, context=CONTEXT).findings == ()


def test_120_line_claim_splits_into_50_50_20() -> None:
    """120 lines split into claims of 50, 50 and 20 lines; every cent is kept."""
    charges = [charge(n, "97110", dx=(DX[n % 3],), price=f"{n}.{n % 100:02d}",
                      on=DOS - timedelta(days=121 - n)) for n in range(1, 121)]
    expected = sum((c.amount for c in charges), Money.zero())

    parts = build_claim(id=ClaimId("BIG1"), kind=ClaimKind.PROFESSIONAL, charges=charges,
                        patient=PATIENT, coverage=COVERAGE, billing_provider=BILLING)

    assert [len(p.lines) for p in parts] == [50, 50, 20]
    assert [p.id.value for p in parts] == ["BIG1", "BIG1-2", "BIG1-3"]
    assert sum((p.total_charge for p in parts), Money.zero()) == expected == usd("7311.60")
    charge_ids = [ln.charge_id or "" for p in parts for ln in p.lines]
    assert sorted(charge_ids) == sorted(c.id for c in charges)
    for part in parts:
        assert scrub(part, context=CONTEXT).findings == ()


def test_split_remaps_pointers_to_the_diagnoses_each_part_keeps() -> None:
    """A part keeps only the diagnoses its lines point at, and its pointers follow them."""
    dx = (*(ICD10CM(f"E11.{i}") for i in range(10)), ICD10CM("I10"), ICD10CM("J45.909"),
          ICD10CM("K21.9"), ICD10CM("M54.50"))
    lines = [line(1, "99213", pointers=(1, 2, 3, 4)), line(2, "99214", pointers=(5, 6, 7, 8)),
             line(3, "99215", pointers=(9, 10, 11, 12)), line(4, "93000", pointers=(13, 14, 1))]
    claim = professional(lines, diagnoses=dx)

    first, second = split_claim(claim)

    assert len(first.diagnoses) == 12 and len(first.lines) == 3
    assert second.diagnoses == (dx[0], dx[12], dx[13])
    assert second.lines[0].pointers == (2, 3, 1)
    assert second.lines[0].line_number == 1
    assert first.total_charge + second.total_charge == claim.total_charge
    for part in (first, second):
        assert scrub(part, context=CONTEXT).findings == ()


def test_split_leaves_a_small_claim_alone() -> None:
    """A claim within the limits, or institutional, comes back unchanged."""
    claim = professional()

    assert split_claim(claim) == (claim,)
    assert split_claim(institutional(), max_lines=1) == (institutional(),)


def test_split_refusals() -> None:
    """Only drafts split; pointers must resolve; ids must fit and match the parts."""
    lines = [line(n, charge="1.00", pointers=(1,)) for n in range(1, 4)]
    claim = professional(lines)
    with pytest.raises(ValidationError) as err:
        split_claim(attrs.evolve(claim, status=ClaimStatus.SUBMITTED), max_lines=2)
    assert err.value.rule == "split-after-draft"
    with pytest.raises(ValidationError) as err:
        split_claim(professional([*lines[:2], line(3, charge="1.00", pointers=(9,))]),
                    max_lines=2)
    assert err.value.rule == "unresolved-pointer"
    long_parts = split_claim(professional(lines, claim_id="A" * 20), max_lines=2)
    assert [p.id.value for p in long_parts] == ["A" * 20, "A" * 18 + "-2"]
    with pytest.raises(ValidationError) as err:
        split_claim(claim, max_lines=2, ids=[ClaimId("A")])
    assert err.value.rule == "split-ids"
    parts = split_claim(claim, max_lines=2, ids=[ClaimId("A"), ClaimId("B")])
    assert [p.id.value for p in parts] == ["A", "B"]


# -- lifecycle ---------------------------------------------------------------------------


def test_happy_path_records_every_event() -> None:
    """draft → ready → submitted → accepted → adjudicated → closed, each step recorded."""
    claim = professional()
    done = close(adjudicated(claim), at=later(4), reason="paid in full")

    assert done.status is ClaimStatus.CLOSED
    assert [(e.from_status.value, e.to_status.value) for e in done.history] == [
        ("draft", "ready"), ("ready", "submitted"), ("submitted", "accepted"),
        ("accepted", "adjudicated"), ("adjudicated", "closed"),
    ]
    assert done.payer_claim_number == ICN
    assert done.adjudication is not None and done.adjudication.paid == usd("80.00")
    assert claim.status is ClaimStatus.DRAFT and claim.history == ()
    assert allowed_events(done) == frozenset({"reopen"})


def test_illegal_move_raises_invalid_transition() -> None:
    """Submitting a draft is refused with the allowed events named."""
    with pytest.raises(InvalidTransition) as err:
        submit(professional(), at=AT)

    assert (err.value.current, err.value.event) == ("draft", "submit")
    assert err.value.allowed == frozenset({"mark_ready", "correct"})


def test_mark_ready_refuses_errors_and_stale_reports() -> None:
    """A report with errors, for another claim, or an older version is refused."""
    claim = professional()
    dirty = professional([line(1, units=0)])
    with pytest.raises(ValidationError) as err:
        mark_ready(dirty, scrub(dirty, context=CONTEXT), at=AT)
    assert err.value.rule == "scrub-errors"
    other = scrub(professional(claim_id="OTHER"), context=CONTEXT)
    with pytest.raises(ValidationError) as err:
        mark_ready(claim, other, at=AT)
    assert err.value.rule == "stale-report"
    report = scrub(claim, context=CONTEXT)
    corrected = correct(claim, at=AT, reason="typo")
    with pytest.raises(ValidationError):
        mark_ready(corrected, report, at=later(1))
    assert mark_ready(corrected, scrub(corrected, context=CONTEXT), at=later(1)).status is (
        ClaimStatus.READY)


def test_events_must_not_go_back_in_time() -> None:
    """An event dated before the last one is refused; a naive datetime too."""
    claim = professional()
    ready = mark_ready(claim, scrub(claim, context=CONTEXT), at=AT)

    with pytest.raises(ValidationError) as err:
        submit(ready, at=AT - timedelta(seconds=1))
    assert err.value.rule == "event-order"
    with pytest.raises(ValidationError):
        submit(ready, at=datetime(2026, 3, 2, 10))


def test_reject_and_correct() -> None:
    """A 277CA rejection keeps its reasons; correcting returns a draft of the next revision."""
    claim = professional()
    submitted = submit(mark_ready(claim, scrub(claim, context=CONTEXT), at=AT), at=later(1))
    reasons = [RejectionReason(category="A7", status_code="21", entity="85")]

    rejected = reject(submitted, at=later(2), reasons=reasons)
    fixed = correct(rejected, at=later(3), lines=[line(1, "99214", charge="150.00")],
                    reason="wrong level of service")

    assert rejected.status is ClaimStatus.REJECTED and rejected.rejections == tuple(reasons)
    assert rejected.history[-1].reason == "A7:21"
    assert fixed.status is ClaimStatus.DRAFT and fixed.revision == 1
    assert fixed.rejections == () and fixed.total_charge == usd("150.00")
    with pytest.raises(ValidationError):
        reject(submitted, at=later(2), reasons=[])


def test_correct_with_a_function_and_its_scope() -> None:
    """A correction function changes content, never the id or the lifecycle fields."""
    claim = professional()
    fixed = correct(claim, at=AT, change=lambda c: attrs.evolve(
        c, place_of_service=PlaceOfService("22")))

    assert fixed.place_of_service == PlaceOfService("22") and fixed.revision == 1
    with pytest.raises(ValidationError) as err:
        correct(claim, at=AT, change=lambda c: attrs.evolve(c, id=ClaimId("NEW")))
    assert err.value.rule == "correction-scope"


def test_replacement_claim_carries_the_original_claim_number() -> None:
    """Replacing an adjudicated claim gives a frequency-7 draft with REF*F8 = the ICN."""
    original = adjudicated()

    replaced, replacement = replace(
        original, at=later(5), lines=[line(1, "99214", charge="150.00")],
        reason="late charge found",
    )

    assert replaced.status is ClaimStatus.REPLACED
    assert replaced.history[-1].to_status is ClaimStatus.REPLACED
    assert replacement.frequency is ClaimFrequency.REPLACEMENT
    assert replacement.original_claim_number == ICN
    assert replacement.status is ClaimStatus.DRAFT and replacement.history == ()
    assert replacement.adjudication is None and replacement.total_charge == usd("150.00")
    assert scrub(replacement, context=CONTEXT).findings == ()
    assert original.status is ClaimStatus.ADJUDICATED


def test_replacement_change_must_keep_frequency_7() -> None:
    """A change function may not turn the replacement back into an original."""
    with pytest.raises(ValidationError):
        replace(adjudicated(), at=later(5), change=lambda c: attrs.evolve(
            c, frequency=ClaimFrequency.ORIGINAL, original_claim_number=None))
    _, ok = replace(adjudicated(), at=later(5), new_id=ClaimId("PCN0001R"),
                    change=lambda c: attrs.evolve(c, prior_authorization="AUTH1"))
    assert ok.prior_authorization == "AUTH1" and ok.id == ClaimId("PCN0001R")


def test_void_makes_a_frequency_8_claim() -> None:
    """Voiding gives (voided original, void claim with frequency 8 and the ICN)."""
    original = adjudicated()

    voided, void_claim = void(original, at=later(5), reason="wrong patient")

    assert voided.status is ClaimStatus.VOIDED
    assert void_claim.frequency is ClaimFrequency.VOID
    assert void_claim.original_claim_number == ICN
    assert void_claim.lines == original.lines
    assert void_claim.total_charge == original.total_charge == usd("100.00")
    with pytest.raises(InvalidTransition):
        void(voided, at=later(6))


def test_void_needs_the_payer_claim_number() -> None:
    """A submitted claim with no payer claim number yet needs one passed in."""
    claim = professional()
    submitted = submit(mark_ready(claim, scrub(claim, context=CONTEXT), at=AT), at=later(1))

    with pytest.raises(ValidationError) as err:
        void(submitted, at=later(2))
    assert err.value.rule == "no-payer-claim-number"
    _, void_claim = void(submitted, at=later(2), original_claim_number=ICN)
    assert void_claim.original_claim_number == ICN


def test_acknowledge_keeps_the_payer_claim_number() -> None:
    """A 277CA acceptance may carry the payer's claim number; it is kept."""
    claim = professional()
    submitted = submit(mark_ready(claim, scrub(claim, context=CONTEXT), at=AT), at=later(1))

    assert acknowledge(submitted, at=later(2), payer_claim_number=ICN).payer_claim_number == ICN


def test_appeal_within_the_deadline() -> None:
    """A denied claim adjudicated 20 March 2026 may be appealed to level 1 until 18 July."""
    denied = adjudicated(paid="0.00")

    appealed = appeal(denied, at=datetime(2026, 7, 18, 23, tzinfo=UTC), rules=MEDICARE_APPEALS,
                      amount_in_controversy=usd("100.00"), reason="medically necessary")

    assert appealed.status is ClaimStatus.APPEALED
    assert appealed.appeals[0].level == 1
    assert appealed.appeals[0].deadline == date(2026, 7, 18)
    with pytest.raises(ValidationError) as err:
        appeal(denied, at=datetime(2026, 7, 19, tzinfo=UTC), rules=MEDICARE_APPEALS,
               amount_in_controversy=usd("100.00"))
    assert err.value.rule == "appeal-deadline"


def test_appeal_minimum_amount_and_levels() -> None:
    """Level 3 needs $200 in controversy; there is no level beyond the rules."""
    rules = AppealRules(levels=[
        AppealLevel(level=1, name="first", deadline_days=30,
                    minimum_in_controversy=usd("200.00")),
    ], effective=Period(date(2026, 1, 1)))
    denied = adjudicated(paid="0.00")
    at = datetime(2026, 3, 25, tzinfo=UTC)

    with pytest.raises(ValidationError) as err:
        appeal(denied, at=at, rules=rules, amount_in_controversy=usd("199.99"))
    assert err.value.rule == "appeal-minimum"
    appealed = appeal(denied, at=at, rules=rules, amount_in_controversy=usd("200.00"))
    again = record_adjudication(appealed, Adjudication(
        outcome=AdjudicationOutcome.DENIED, paid=usd("0.00"), payer_claim_number=ICN,
        on=date(2026, 4, 1)), at=datetime(2026, 4, 2, tzinfo=UTC))
    with pytest.raises(ValidationError) as err:
        appeal(again, at=datetime(2026, 4, 3, tzinfo=UTC), rules=rules,
               amount_in_controversy=usd("200.00"))
    assert err.value.rule == "appeal-level"


def test_transition_table_is_read_only_and_final_states_are_final() -> None:
    """The table cannot be changed; voided and replaced allow nothing, closed only reopen."""
    with pytest.raises(TypeError):
        TRANSITIONS[ClaimStatus.DRAFT] = {}  # type: ignore[index]
    for final in (ClaimStatus.VOIDED, ClaimStatus.REPLACED):
        assert not TRANSITIONS[final]
    assert dict(TRANSITIONS[ClaimStatus.CLOSED]) == {"reopen": ClaimStatus.ADJUDICATED}
    assert set(TRANSITIONS) == set(ClaimStatus)


def test_scrub_report_checks_fields() -> None:
    """A scrub report checks its fields."""
    with pytest.raises(ValidationError):
        ScrubReport(claim_id=ClaimId("A"), revision=-1, as_of=DOS)


def test_readjudication_keeps_the_first_decision_in_the_history() -> None:
    """A corrected payment after a reversal replaces the decision; the old one stays an event."""
    first = adjudicated(paid="80.00")
    corrected = Adjudication(
        outcome=AdjudicationOutcome.PAID, paid=usd("95.00"), payer_claim_number=ICN,
        on=date(2026, 4, 2), patient_responsibility=usd("5.00"),
    )
    again = readjudicate(first, corrected, at=later(10))
    assert again.status is ClaimStatus.ADJUDICATED
    assert again.adjudication == corrected
    assert first.adjudication is not None and first.adjudication.paid == usd("80.00")
    assert [e.to_status for e in again.history[-2:]] == [ClaimStatus.ADJUDICATED] * 2
    with pytest.raises(InvalidTransition) as caught:
        readjudicate(professional(), corrected, at=later(10))
    assert caught.value.event == "readjudicate"
