"""Strategies for what the 837, 999, TA1 and 277 readers return."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from claimcore.claims import (
    AckStatus,
    ElementError,
    ImplementationAcknowledgement,
    InterchangeAcknowledgement,
    SegmentError,
    TransactionSetAcknowledgement,
)
from claimcore.codes import Modifier, RevenueCode, procedure_code
from claimcore.coverage import PlanType
from claimcore.ids import ClaimId, MedicalRecordNumber, PayerClaimNumber
from claimcore.patients import AdministrativeSex
from claimcore.periods import Period
from claimcore.strategies._claims import claims
from claimcore.strategies._core import money
from claimcore.strategies._coverage import timely_filings
from claimcore.strategies._x12 import x12_warnings
from claimcore.strategies._x12_277 import claim_status_entries
from claimcore.x12 import (
    ClaimStatusResponse,
    LineStatus,
    Read837Defaults,
    Read837Result,
    StatusDetail,
    Unread837Claim,
)

__all__ = [
    "claim_status_responses",
    "element_errors",
    "implementation_acknowledgements",
    "interchange_acknowledgements",
    "line_statuses",
    "read_837_defaults",
    "read_837_results",
    "segment_errors",
    "status_details",
    "transaction_set_acknowledgements",
    "unread_837_claims",
]

_DAYS = st.dates(min_value=date(2011, 1, 1), max_value=date(2030, 12, 31))
_SET_STATUSES = (AckStatus.ACCEPTED, AckStatus.ACCEPTED_WITH_ERRORS, AckStatus.REJECTED,
                 AckStatus.REJECTED_AUTHENTICATION)


def read_837_defaults() -> st.SearchStrategy[Read837Defaults]:
    """What the 837 reader puts where an 837 carries nothing."""
    return st.builds(
        Read837Defaults, mrn=st.sampled_from(("UNKNOWN", "MRN-0", "X1")).map(
            MedicalRecordNumber),
        birth_date=_DAYS, sex=st.sampled_from(AdministrativeSex),
        timely_filing=timely_filings(), plan_type=st.sampled_from(PlanType),
        plan_name=st.sampled_from(("Not given", "Gold PPO")),
    )


def unread_837_claims() -> st.SearchStrategy[Unread837Claim]:
    """An 837 claim the reader set aside: its CLM01 and CLM02 as sent."""
    amount = st.one_of(money(max_cents=100_000), st.none()).map(
        lambda m: (m, "" if m is None else format(m.amount, "f")))
    return st.builds(
        lambda n, reason, clm01, charge: Unread837Claim(
            segment_number=n, reason=reason, clm01=clm01, clm02=charge[1], charge=charge[0]),
        st.integers(1, 10_000), st.sampled_from(("segment 9 (NM1), NM109: not an NPI",
                                                 "segment 30 (CLM), CLM02: total")),
        st.sampled_from(("", "PCN1", "R03996273 #01")), amount,
    )


def read_837_results() -> st.SearchStrategy[Read837Result]:
    """What read_837_with_warnings returns: claims, warnings, claims set aside."""
    return st.builds(Read837Result, st.lists(claims(max_lines=1), max_size=1).map(tuple),
                     st.lists(x12_warnings(), max_size=2).map(tuple),
                     st.lists(unread_837_claims(), max_size=2).map(tuple))


def element_errors() -> st.SearchStrategy[ElementError]:
    """999 ``IK4`` element errors."""
    small = st.none() | st.integers(1, 9)
    return st.builds(ElementError, position=st.integers(1, 20),
                     code=st.sampled_from(("1", "7", "8", "I6", "I12")), component=small,
                     repetition=small, reference=st.none() | st.integers(1, 1331),
                     bad_data=st.none() | st.just("99"))


def segment_errors() -> st.SearchStrategy[SegmentError]:
    """999 ``IK3`` segment errors with their element errors."""
    return st.builds(SegmentError, segment_id=st.sampled_from(("CLM", "NM1", "SV1")),
                     position=st.integers(1, 9999),
                     loop=st.none() | st.sampled_from(("2300", "2010")),
                     code=st.none() | st.sampled_from(("3", "8", "I4")),
                     claim_id=st.none() | st.just(ClaimId("PCN1")),
                     elements=st.lists(element_errors(), max_size=2).map(tuple))


def transaction_set_acknowledgements() -> st.SearchStrategy[TransactionSetAcknowledgement]:
    """999 responses to one transaction set (loop 2000), with their segment errors."""
    return st.builds(TransactionSetAcknowledgement, set_id=st.just("837"),
                     control_number=st.sampled_from(("0001", "0002", "123456789")),
                     status=st.sampled_from(_SET_STATUSES),
                     implementation=st.none() | st.just("005010X222A1"),
                     codes=st.lists(st.sampled_from(("5", "I5")), max_size=2).map(tuple),
                     segment_errors=st.lists(segment_errors(), max_size=2).map(tuple))


def implementation_acknowledgements() -> st.SearchStrategy[ImplementationAcknowledgement]:
    """999s: a group's sets accepted, accepted with errors or rejected."""
    return st.builds(
        ImplementationAcknowledgement, functional_id=st.sampled_from(("HC", "HR")),
        group_control_number=st.sampled_from(("1", "17", "999999999")),
        version=st.none() | st.just("005010X222A1"),
        transaction_sets=st.lists(transaction_set_acknowledgements(), max_size=2).map(tuple),
        status=st.sampled_from(AckStatus), included=st.integers(0, 5),
        received=st.integers(0, 5), accepted=st.integers(0, 5),
        codes=st.lists(st.sampled_from(("5", "19")), max_size=1).map(tuple),
    )


def interchange_acknowledgements() -> st.SearchStrategy[InterchangeAcknowledgement]:
    """TA1s."""
    return st.builds(
        InterchangeAcknowledgement, control_number=st.sampled_from(("000000905", "1")),
        on=_DAYS, time=st.sampled_from(("0000", "1200", "2359")),
        status=st.sampled_from((AckStatus.ACCEPTED, AckStatus.ACCEPTED_WITH_ERRORS,
                                AckStatus.REJECTED)),
        note=st.sampled_from(("000", "025", "031")),
    )


def status_details() -> st.SearchStrategy[StatusDetail]:
    """277 ``STC`` segments."""
    maybe_day = st.none() | _DAYS
    return st.builds(StatusDetail,
                     statuses=st.lists(claim_status_entries(), min_size=1, max_size=3).map(tuple),
                     effective_on=maybe_day, charge=st.none() | money(max_cents=100_000),
                     paid=st.none() | money(max_cents=100_000), adjudicated_on=maybe_day,
                     remitted_on=maybe_day, check_number=st.none() | st.just("CHK1"))


def line_statuses() -> st.SearchStrategy[LineStatus]:
    """277 service line statuses (loop 2220)."""
    return st.builds(
        LineStatus, charge=money(max_cents=100_000),
        details=st.lists(status_details(), min_size=1, max_size=2).map(tuple),
        procedure=st.none() | st.sampled_from(("99213", "J3301")).map(procedure_code),
        modifiers=st.lists(st.sampled_from(("25", "TC")).map(Modifier), max_size=1,
                           unique=True).map(tuple),
        revenue_code=st.none() | st.just(RevenueCode("0450")),
        paid=st.none() | money(max_cents=100_000),
        units=st.none() | st.just(Decimal("1.00")), line_ref=st.none() | st.just("L1"),
        service_period=st.none() | st.just(Period(date(2026, 1, 5), date(2026, 1, 5))),
    )


def claim_status_responses() -> st.SearchStrategy[ClaimStatusResponse]:
    """What a 277 says about one claim: pended, finalized, denied, with lines."""
    return st.builds(
        ClaimStatusResponse, claim_id=st.sampled_from(("PCN1", "ABCXYZ1")).map(ClaimId),
        details=st.lists(status_details(), min_size=1, max_size=2).map(tuple),
        payer_claim_number=st.none() | st.just(PayerClaimNumber("ICN77")),
        patient_control_number=st.none() | st.just("SM123456"),
        type_of_bill=st.none() | st.just("111"),
        service_period=st.none() | st.just(Period(date(2026, 1, 5), date(2026, 1, 9))),
        lines=st.lists(line_statuses(), max_size=2).map(tuple),
    )


def _register() -> None:
    """Register this module's strategies for ``st.from_type``."""
    for cls, strategy in (
        (Read837Defaults, read_837_defaults()),
        (Unread837Claim, unread_837_claims()),
        (Read837Result, read_837_results()),
        (ElementError, element_errors()),
        (SegmentError, segment_errors()),
        (TransactionSetAcknowledgement, transaction_set_acknowledgements()),
        (ImplementationAcknowledgement, implementation_acknowledgements()),
        (InterchangeAcknowledgement, interchange_acknowledgements()),
        (StatusDetail, status_details()),
        (LineStatus, line_statuses()),
        (ClaimStatusResponse, claim_status_responses()),
    ):
        st.register_type_strategy(cls, strategy)

