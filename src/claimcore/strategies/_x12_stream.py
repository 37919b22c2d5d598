"""Strategies for the streaming readers' items, 277CA line statuses and CARC/RARC lists."""

from __future__ import annotations

from hypothesis import strategies as st

from claimcore.codes import RemittanceCode, RemittanceCodeList, carc_list, rarc_list
from claimcore.strategies._core import money
from claimcore.strategies._ledger import remittances
from claimcore.strategies._x12_277 import claim_status_entries
from claimcore.x12 import LineAcknowledgement, RemittanceBalance, RemittanceHeader, UnreadItem

__all__ = [
    "line_acknowledgements",
    "remittance_balances",
    "remittance_code_lists",
    "remittance_codes",
    "remittance_headers",
    "unread_items",
]

_TEXT = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ", min_size=1, max_size=30).map(
    lambda s: s.strip() or "X")


def line_acknowledgements() -> st.SearchStrategy[LineAcknowledgement]:
    """277CA service-line statuses: one to three statuses, a procedure as sent."""
    return st.builds(
        LineAcknowledgement, statuses=st.lists(claim_status_entries(), min_size=1, max_size=3),
        qualifier=st.sampled_from(("", "HC", "NU")), procedure=st.sampled_from(("", "99213")),
        charge=st.none() | money(), line_ref=st.none() | st.just("1"))


def remittance_headers() -> st.SearchStrategy[RemittanceHeader]:
    """The header item of an ``iter_835`` stream, from a generated remittance."""
    return st.builds(
        lambda r, n, cn: RemittanceHeader(
            segment_number=n, control_number=cn, payer=r.payer, payee=r.payee,
            method=r.method, payment=r.payment, trace=r.trace, paid_on=r.paid_on),
        remittances(), st.integers(1, 10_000), st.from_regex(r"[0-9]{4,9}", fullmatch=True))


def remittance_balances() -> st.SearchStrategy[RemittanceBalance]:
    """The balance item of an ``iter_835`` stream."""
    return st.builds(
        RemittanceBalance, segment_number=st.integers(1, 10_000), payment=money(),
        bpr02=money(), claims_paid=money(), provider_adjustments_total=money(),
        unread_paid=money(), claims=st.integers(0, 500), unread_claims=st.integers(0, 50),
        balanced=st.booleans())


def unread_items() -> st.SearchStrategy[UnreadItem]:
    """Items a reader set aside: a 271 benefit or a 277CA claim status."""
    return st.builds(
        UnreadItem, kind=st.sampled_from(("benefit", "claim acknowledgement")),
        segment_number=st.integers(1, 10_000), segment_id=st.sampled_from(("EB", "TRN")),
        reason=_TEXT, key=st.just("") | _TEXT)


def remittance_codes() -> st.SearchStrategy[RemittanceCode]:
    """CARC and RARC entries as shipped."""
    return st.sampled_from((*carc_list().entries[:50], *rarc_list().entries[:50]))


def remittance_code_lists() -> st.SearchStrategy[RemittanceCodeList]:
    """The shipped CARC and RARC lists."""
    return st.sampled_from((carc_list(), rarc_list()))


def _register() -> None:
    st.register_type_strategy(LineAcknowledgement, line_acknowledgements())
    st.register_type_strategy(RemittanceHeader, remittance_headers())
    st.register_type_strategy(RemittanceBalance, remittance_balances())
    st.register_type_strategy(UnreadItem, unread_items())
    st.register_type_strategy(RemittanceCode, remittance_codes())
    st.register_type_strategy(RemittanceCodeList, remittance_code_lists())
