"""Strategies for the 277CA acknowledgement values of :mod:`claimcore.x12`."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from claimcore.claims import Claim
from claimcore.ids import ClaimId, PayerClaimNumber
from claimcore.money import Money
from claimcore.x12 import AcknowledgementResult, ClaimAcknowledgement, ClaimStatusEntry

__all__ = ["acknowledgement_results", "claim_acknowledgements", "claim_status_entries"]


def claim_status_entries() -> st.SearchStrategy[ClaimStatusEntry]:
    """277CA ``STC01`` statuses: accepting and rejecting categories, common codes."""
    return st.builds(
        ClaimStatusEntry,
        category=st.sampled_from(("A0", "A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8")),
        status=st.sampled_from(("19", "20", "21", "33", "145", "164", "562")),
        entity=st.none() | st.sampled_from(("85", "IL", "QC", "PR", "41")),
        text=st.none() | st.just("see field"),
    )


def claim_acknowledgements() -> st.SearchStrategy[ClaimAcknowledgement]:
    """What a 277CA says about one claim (loop 2200D)."""
    return st.builds(
        ClaimAcknowledgement,
        claim_id=st.from_type(ClaimId),
        statuses=st.lists(claim_status_entries(), min_size=1, max_size=3).map(tuple),
        payer_claim_number=st.none() | st.from_type(PayerClaimNumber),
        total_charge=st.none() | st.from_type(Money),
        status_date=st.none() | st.dates(min_value=date(2011, 1, 1),
                                         max_value=date(2030, 12, 31)),
    )


def acknowledgement_results() -> st.SearchStrategy[AcknowledgementResult]:
    """What apply_277ca did: claims, unmatched and skipped acknowledgements."""
    acks = st.lists(claim_acknowledgements(), max_size=2).map(tuple)
    return st.builds(
        AcknowledgementResult, claims=st.lists(st.from_type(Claim), max_size=2).map(tuple),
        unmatched=acks, skipped=acks,
    )


def _register() -> None:
    """Register this module's strategies for ``st.from_type``."""
    st.register_type_strategy(ClaimStatusEntry, claim_status_entries())
    st.register_type_strategy(ClaimAcknowledgement, claim_acknowledgements())
    st.register_type_strategy(AcknowledgementResult, acknowledgement_results())
