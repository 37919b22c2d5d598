"""Strategies for the X12 envelope and reader values (proposed src/claimcore/strategies/_x12.py)."""

from __future__ import annotations

from hypothesis import strategies as st

from claimcore.strategies._core import money
from claimcore.strategies._ledger import remittances
from claimcore.x12 import (
    ControlNumbers,
    Delimiters,
    FunctionalGroup,
    Interchange,
    Receiver,
    Segment,
    Submitter,
    TransactionSet,
    UnreadClaim,
    WarningCode,
    X12Result,
    X12Warning,
)

__all__ = [
    "control_numbers",
    "delimiters",
    "interchanges",
    "receivers",
    "segments",
    "submitters",
    "unread_claims",
    "x12_results",
    "x12_warnings",
]

_WORD = st.from_regex(r"[A-Z][A-Z0-9]{1,8}", fullmatch=True)


def control_numbers() -> st.SearchStrategy[ControlNumbers]:
    """Valid :class:`ControlNumbers` values, as Hypothesis draws them for ``st.from_type``."""
    number = st.integers(1, 999_999_999)
    return st.builds(ControlNumbers, interchange=number, group=number, transaction=number)


def delimiters() -> st.SearchStrategy[Delimiters]:
    """Valid :class:`Delimiters` values, as Hypothesis draws them for ``st.from_type``."""
    return st.builds(Delimiters, element=st.sampled_from("*|"), component=st.sampled_from(":>"),
                     repetition=st.sampled_from(["^", None]), segment=st.sampled_from("~\n"))


def submitters() -> st.SearchStrategy[Submitter]:
    """Valid :class:`Submitter` values, as Hypothesis draws them for ``st.from_type``."""
    return st.builds(Submitter, name=_WORD, id=_WORD, contact_name=_WORD,
                     phone=st.just("5555551234"), email=st.none() | st.just("edi@example.com"))


def receivers() -> st.SearchStrategy[Receiver]:
    """Valid :class:`Receiver` values, as Hypothesis draws them for ``st.from_type``."""
    return st.builds(Receiver, _WORD, _WORD)


def segments() -> st.SearchStrategy[Segment]:
    """Valid :class:`Segment` values, as Hypothesis draws them for ``st.from_type``."""
    seg_id = st.from_regex(r"[A-Z][A-Z0-9]{1,2}", fullmatch=True)
    return st.builds(Segment, st.integers(1, 10_000),
                     st.tuples(seg_id, _WORD).map(tuple))


def x12_warnings() -> st.SearchStrategy[X12Warning]:
    """Valid :class:`X12Warning` values, as Hypothesis draws them for ``st.from_type``."""
    return st.builds(X12Warning, code=st.sampled_from(WarningCode), message=_WORD,
                     segment_number=st.none() | st.integers(1, 99),
                     segment_id=st.none() | st.sampled_from(["SE", "BPR", "CLP"]),
                     element=st.none() | st.sampled_from(["SE01", "BPR16", "CLP04"]))


def unread_claims() -> st.SearchStrategy[UnreadClaim]:
    """A claim an 835 reader set aside: its CLP elements as sent and, when they are amounts,
    CLP03 and CLP04 as money."""
    amount = st.one_of(money(min_cents=-100_000, max_cents=100_000),
                       st.none()).map(lambda m: (m, "" if m is None else format(m.amount, "f")))
    return st.builds(
        lambda n, reason, clp01, clp02, charge, paid: UnreadClaim(
            segment_number=n, reason=reason, clp01=clp01, clp02=clp02, clp03=charge[1],
            clp04=paid[1], charge=charge[0], paid=paid[0]),
        st.integers(1, 10_000), _WORD, st.sampled_from(["", "PCN1", "A CLAIM WITH SPACES"]),
        st.sampled_from(["", "1", "4", "99"]), amount, amount,
    )


def x12_results() -> st.SearchStrategy[X12Result]:
    """Valid :class:`X12Result` values, as Hypothesis draws them for ``st.from_type``."""
    return st.builds(X12Result, st.lists(remittances(), max_size=2).map(tuple),
                     st.lists(x12_warnings(), max_size=2).map(tuple),
                     st.lists(unread_claims(), max_size=2).map(tuple))


def _transactions() -> st.SearchStrategy[TransactionSet]:
    return st.builds(TransactionSet, id=st.sampled_from(["835", "837", "271"]),
                     control_number=st.just("0001"),
                     implementation=st.none() | st.just("005010X221A1"),
                     segments=st.lists(segments(), max_size=3).map(tuple))


def _groups() -> st.SearchStrategy[FunctionalGroup]:
    return st.builds(FunctionalGroup, functional_id=st.sampled_from(["HP", "HC"]),
                     sender=_WORD, receiver=_WORD, control_number=st.just("1"),
                     version=st.just("005010X221A1"),
                     transactions=st.lists(_transactions(), max_size=2).map(tuple))


def interchanges() -> st.SearchStrategy[Interchange]:
    """Valid :class:`Interchange` values, as Hypothesis draws them for ``st.from_type``."""
    return st.builds(Interchange, delimiters=delimiters(), sender=_WORD, receiver=_WORD,
                     version=st.just("00501"), control_number=st.just("000000001"),
                     usage=st.sampled_from("PT"), groups=st.lists(_groups(), max_size=2).map(tuple))


def _register() -> None:
    """Register this module's strategies for ``st.from_type``."""
    st.register_type_strategy(ControlNumbers, control_numbers())
    st.register_type_strategy(Delimiters, delimiters())
    st.register_type_strategy(Submitter, submitters())
    st.register_type_strategy(Receiver, receivers())
    st.register_type_strategy(Segment, segments())
    st.register_type_strategy(X12Warning, x12_warnings())
    st.register_type_strategy(X12Result, x12_results())
    st.register_type_strategy(UnreadClaim, unread_claims())
    st.register_type_strategy(TransactionSet, _transactions())
    st.register_type_strategy(FunctionalGroup, _groups())
    st.register_type_strategy(Interchange, interchanges())
