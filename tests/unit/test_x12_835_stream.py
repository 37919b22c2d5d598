"""iter_835: an 835 read from chunks, one item at a time, with the checks, warnings and
salvage of read_835_with_warnings; and the streaming tokenizer under it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcore.errors import TypeMismatch
from claimcore.money import Money
from claimcore.remittance import ClaimPayment, ProviderAdjustment
from claimcore.x12 import (
    RemittanceBalance,
    RemittanceHeader,
    RemittanceItem,
    UnreadClaim,
    WarningCode,
    X12Error,
    X12Result,
    X12Warning,
    collect_835,
    iter_835,
    iter_segments,
    read_835,
    read_835_with_warnings,
    tokenize,
)
from tests.unit.test_x12_835_salvage import CLAIM2, usd, x835

ROOT = Path(__file__).parent.parent.parent
FIXTURES = [
    *sorted((ROOT.parent / "shared" / "fixtures" / "x12" / "835").glob("*")),
    *sorted((ROOT / "tests" / "fixtures" / "x12").glob("*.835")),
    ROOT / "tests" / "fixtures" / "x12" / "pyx12_835_mult_loops.txt",
]


def chunked(text: str, size: int) -> Iterator[str]:
    return (text[k:k + size] for k in range(0, len(text), size))


def order(w: X12Warning) -> tuple[int, str, str]:
    return (w.segment_number or 0, w.code.value, w.message)


def same(streamed: X12Result, read: X12Result) -> None:
    """The same values and unread claims; the same warnings, in the stream's own order."""
    assert streamed.remittances == read.remittances
    assert streamed.unread_claims == read.unread_claims
    assert sorted(streamed.warnings, key=order) == sorted(read.warnings, key=order)


def kinds(items: list[RemittanceItem]) -> list[str]:
    return [type(item).__name__ for item in items]


# ---------------------------------------------------------------- the tokenizer


def test_segments_split_across_chunks_are_whole() -> None:
    """Every split point of a small interchange, CRLF line breaks included, tokenizes the same."""
    text = x835().replace("~", "~\r\n")
    whole = tokenize(text)[1]
    for cut in range(1, len(text)):
        parts = [text[:cut], text[cut:]]
        assert tuple(seg for _, seg in iter_segments(parts)) == whole


def test_a_chunk_that_is_not_text_is_refused() -> None:
    with pytest.raises(TypeMismatch, match="decode bytes first"):
        list(iter_segments([x835()[:200], x835()[200:].encode()]))  # type: ignore[list-item]


def test_a_bad_segment_names_its_number_in_a_stream() -> None:
    """The tokenizer's error names the same segment as tokenize's."""
    text = x835().replace("~CAS*CO*45", "~cas*CO*45")
    with pytest.raises(X12Error) as whole:
        tokenize(text)
    with pytest.raises(X12Error) as streamed:
        list(iter_segments(chunked(text, 3)))
    assert str(streamed.value) == str(whole.value)


# ---------------------------------------------------------------- the items


def test_the_items_come_in_file_order() -> None:
    items = list(iter_835(chunked(x835(), 10)))
    assert kinds(items) == ["RemittanceHeader", "ClaimPayment", "ClaimPayment",
                            "ClaimPayment", "RemittanceBalance"]
    header, balance = items[0], items[-1]
    assert isinstance(header, RemittanceHeader) and isinstance(balance, RemittanceBalance)
    assert (header.segment_number, header.control_number, header.trace) == (3, "0001",
                                                                            "CHK0001")
    assert header.payment == usd("180.00") and header.paid_on == date(2026, 1, 10)
    assert balance == RemittanceBalance(
        segment_number=18, payment=usd("180.00"), bpr02=usd("180.00"),
        claims_paid=usd("180.00"), provider_adjustments_total=Money.zero(),
        unread_paid=Money.zero(), claims=3, unread_claims=0, balanced=True)


def test_a_claim_comes_as_soon_as_its_segments_are_complete() -> None:
    """The first claim is given once the second CLP arrives, before the rest is read."""
    text = x835() + " " * 70_000  # past the head the tokenizer reads at once
    cut = text.index("CLP*PCN2") + 4
    taken: list[int] = []

    def chunks() -> Iterator[str]:
        for n, part in enumerate([text[:cut], text[cut:70_000], text[70_000:]]):
            taken.append(n)
            yield part

    items = iter_835(chunks())
    assert isinstance(next(items), RemittanceHeader)
    first = next(items)
    assert isinstance(first, ClaimPayment) and first.claim.value == "PCN1"
    assert taken == [0, 1]  # the head (one chunk short of 64 KiB, so two), not the rest
    assert len(list(items)) == 3 and taken == [0, 1, 2]


def test_an_unread_claim_and_its_warnings_come_in_the_stream() -> None:
    text = x835(claim2=("CLP*PCN2*1*150.00*100.00**12*", "CAS*CO*45*50.00"))
    items = list(iter_835([text]))
    # a warning comes no later than the claim it is about
    assert kinds(items) == ["RemittanceHeader", "X12Warning", "ClaimPayment",
                            "UnreadClaim", "ClaimPayment", "RemittanceBalance"]
    unread = items[3]
    assert isinstance(unread, UnreadClaim) and unread.segment_number == 14
    balance = items[-1]
    assert isinstance(balance, RemittanceBalance)
    assert (balance.payment, balance.bpr02, balance.unread_paid, balance.balanced) == (
        usd("80.00"), usd("180.00"), usd("100.00"), True)
    same(collect_835(items), read_835_with_warnings(text))


def test_an_unbalanced_remittance_with_unread_claims_is_a_warning() -> None:
    text = x835(claim2=("CLP*PCN2*1*150.00*100.00**12*", "CAS*CO*45*50.00"), bpr="181.00")
    items = list(iter_835([text]))
    balance = items[-1]
    assert isinstance(balance, RemittanceBalance) and not balance.balanced
    warned = [w.code for w in items if isinstance(w, X12Warning)]
    assert WarningCode.PAYMENT_NOT_BALANCED in warned


def test_provider_adjustments_come_after_the_claims() -> None:
    text = x835(bpr="170.00", tail=("PLB*1234567893*20261231*WO:ICN9*10.00",))
    items = list(iter_835(chunked(text, 50)))
    assert kinds(items)[-2:] == ["ProviderAdjustment", "RemittanceBalance"]
    plb = items[-2]
    assert isinstance(plb, ProviderAdjustment) and plb.amount == usd("10.00")
    same(collect_835(items), read_835_with_warnings(text))


def test_an_error_is_raised_where_the_stream_meets_it() -> None:
    """A remittance that does not balance (no claim unread) is refused at its BPR02, after
    the claims before it were given; read_835_with_warnings refuses it with the same error."""
    text = x835(bpr="999.00")
    items = iter_835([text])
    got = [next(items) for _ in range(4)]
    with pytest.raises(X12Error) as streamed:
        next(items)
    with pytest.raises(X12Error) as whole:
        read_835_with_warnings(text)
    assert str(streamed.value) == str(whole.value)
    assert streamed.value.element == "BPR02"
    assert kinds(got) == ["RemittanceHeader", *["ClaimPayment"] * 3]


def test_a_truncated_file_is_refused_at_its_end() -> None:
    text = x835().split("SE*")[0]
    with pytest.raises(X12Error, match="truncated"):
        list(iter_835(chunked(text, 64)))


def test_several_transaction_sets_and_interchanges() -> None:
    one = x835()
    two = one.replace("ST*835*0001", "ST*835*0002").replace("SE*17*0001", "SE*17*0002")
    text = one + "\n" + two
    items = list(iter_835(chunked(text, 33)))
    assert kinds(items).count("RemittanceHeader") == 2
    same(collect_835(items), read_835_with_warnings(text))
    assert len(collect_835(items).remittances) == 2


def test_a_bare_transaction_set_streams_with_its_warning() -> None:
    text = x835()
    bare = text[text.index("ST*835"):text.index("GE*")]
    items = list(iter_835(chunked(bare, 5)))
    assert [w.code for w in items if isinstance(w, X12Warning)] == [WarningCode.NO_ENVELOPE]
    same(collect_835(items), read_835_with_warnings(bare))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
@pytest.mark.parametrize("size", [1, 97, 1 << 20])
def test_every_fixture_streams_as_it_reads(path: Path, size: int) -> None:
    text = path.read_bytes().decode("latin-1")
    same(collect_835(iter_835(chunked(text, size))), read_835_with_warnings(text))


@given(st.lists(st.integers(1, 200), min_size=1, max_size=40),
       st.sampled_from(["", "\n", "\r\n"]))
def test_any_chunking_reads_the_same(sizes: list[int], newline: str) -> None:
    text = x835(claim2=("CLP*PCN2*1*150.00*100.00**12*", "CAS*CO*45*50.00")).replace(
        "~", "~" + newline)
    chunks: list[str] = []
    k = 0
    for size in sizes * (len(text) // sum(sizes) + 1):
        chunks.append(text[k:k + size])
        k += size
    assert "".join(chunks) == text
    same(collect_835(iter_835(chunks)), read_835_with_warnings(text))


# ---------------------------------------------------------------- the 835 writer's fixes


def test_clp06_keeps_the_value_read() -> None:
    """CLP06 12 (PPO) is read into filing_indicator and written back as 12, not ZZ."""
    (remittance,) = read_835(x835())
    assert remittance.claims[0].filing_indicator == "12"
    odd = read_835_with_warnings(x835(claim2=("CLP*PCN2*1*150.00*100.00**1$*ICN2", *CLAIM2[1:])))
    assert odd.remittances[0].claims[1].filing_indicator == "ZZ"
    assert [(w.code, w.element) for w in odd.warnings] == [(WarningCode.INVALID_VALUE, "CLP06")]
