"""Strategies for the adjudication values read from FHIR ClaimResponse and EOB resources."""

from __future__ import annotations

from hypothesis import strategies as st

from claimcore.fhir import FhirAdjudication, FhirItemAdjudication
from claimcore.strategies._codes import rarcs
from claimcore.strategies._core import findings, money
from claimcore.strategies._ledger import adjustments

__all__ = ["fhir_adjudications", "fhir_item_adjudications"]


def fhir_item_adjudications() -> st.SearchStrategy[FhirItemAdjudication]:
    """Per-item adjudications with any of their amounts present."""
    amounts = st.none() | money(max_cents=1_000_000)
    return st.builds(
        FhirItemAdjudication,
        sequence=st.integers(1, 999),
        submitted=amounts, eligible=amounts, benefit=amounts, patient=amounts,
        adjustments=st.lists(adjustments(), max_size=3).map(tuple),
        remarks=st.lists(rarcs(), max_size=2).map(tuple),
    )


def fhir_adjudications() -> st.SearchStrategy[FhirAdjudication]:
    """Adjudications as read from a ClaimResponse or an ExplanationOfBenefit."""
    amounts = st.none() | money(max_cents=10_000_000)
    return st.builds(
        FhirAdjudication,
        resource_type=st.sampled_from(("ClaimResponse", "ExplanationOfBenefit")),
        outcome=st.sampled_from(("queued", "complete", "error", "partial")),
        claim=st.none() | st.from_regex(r"[A-Za-z0-9-]{1,20}", fullmatch=True),
        items=st.lists(fhir_item_adjudications(), max_size=3).map(tuple),
        adjustments=st.lists(adjustments(), max_size=2).map(tuple),
        remarks=st.lists(rarcs(), max_size=2).map(tuple),
        submitted=amounts, benefit=amounts, payment=amounts,
        findings=st.lists(findings(), max_size=2).map(tuple),
    )


def _register() -> None:
    st.register_type_strategy(FhirItemAdjudication, fhir_item_adjudications())
    st.register_type_strategy(FhirAdjudication, fhir_adjudications())
