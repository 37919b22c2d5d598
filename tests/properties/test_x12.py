"""Laws of the X12 readers and writers: round trips, pyx12 validity, and hostile input."""

from __future__ import annotations

import contextlib
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcore.claims import Claim, ClaimKind
from claimcore.errors import ClaimcoreError
from claimcore.remittance import Remittance
from claimcore.strategies import claims, remittances
from claimcore.x12 import (
    ControlNumbers,
    Delimiters,
    Receiver,
    Segment,
    Submitter,
    WarningCode,
    X12Result,
    X12Warning,
    read_271,
    read_835,
    read_835_with_warnings,
    read_interchanges,
    write_835,
    write_837i,
    write_837p,
)
from tests.unit.test_x12_837 import pyx12_errors

FIXTURES = Path(__file__).parent.parent / "fixtures" / "x12"
REAL_835 = [p.read_text() for p in sorted(FIXTURES.glob("*.835"))] + [
    (FIXTURES / "pyx12_835_mult_loops.txt").read_text()
]
AT = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
SUBMITTER = Submitter(name="ACME BILLING", id="ACME01", contact_name="Pat", phone="5555551234")
RECEIVER = Receiver("BIG PAYER", "BIGPAYER")
CONTROL = ControlNumbers(interchange=1, group=1, transaction=1)
SECONDS_PER_READ = 5.0


def control_numbers(*, sets: int = 3) -> st.SearchStrategy[ControlNumbers]:
    """Control numbers that leave room for ``sets`` transaction sets in nine digits."""
    number = st.integers(1, 999_999_999)
    return st.builds(ControlNumbers, interchange=number, group=number,
                     transaction=st.integers(1, 1_000_000_000 - sets))


@given(st.lists(remittances(), min_size=1, max_size=3), control_numbers())
def test_remittances_round_trip_through_835_text(
    items: list[Remittance], numbers: ControlNumbers,
) -> None:
    """read_835(write_835(rs)) == rs, with no warning: nothing is lost or invented."""
    text = write_835(items, control_numbers=numbers, at=AT)
    result = read_835_with_warnings(text)
    assert result.remittances == tuple(as_written(r) for r in items)
    assert result.warnings == ()


@given(st.lists(remittances(), min_size=1, max_size=2))
def test_round_trip_survives_line_breaks_and_other_delimiters(items: list[Remittance]) -> None:
    """The same text with '|', '>', '!' and a newline terminator reads the same."""
    text = write_835(items, control_numbers=CONTROL, at=AT)
    table: dict[str, str | int | None] = {"*": "|", ":": ">", "~": "\n", "^": "!"}
    other = text.translate(str.maketrans(table))
    written = tuple(as_written(r) for r in items)
    assert read_835(other) == written
    assert read_835(text.replace("~", "~\r\n")) == written


@st.composite
def writable_claims(draw: st.DrawFn, kind: ClaimKind) -> Claim:
    """Claims exactly as the public strategy makes them: they carry what the 837 needs."""
    return draw(claims(kind=kind, max_lines=4))


def _key_facts(text: str) -> list[tuple[str, ...]]:
    (interchange,), warnings = read_interchanges(text)
    assert warnings == ()
    segs = interchange.groups[0].transactions[0].segments
    return [s.elements[1:3] for s in segs if s.id == "CLM"]


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(writable_claims(ClaimKind.PROFESSIONAL), min_size=1, max_size=3))
def test_837p_from_the_claims_strategy_validates_with_pyx12(items: list[Claim]) -> None:
    """Every generated professional claim writes an 837P that pyx12 finds no error in,
    and the file reads back each claim's id and total charge."""
    text = write_837p(items, submitter=SUBMITTER, receiver=RECEIVER, control_numbers=CONTROL,
                      at=AT)
    assert pyx12_errors(text) == []
    # The writer groups claims under their billing provider and subscriber (HL loops), so
    # the file's order need not be the input's: every claim appears once, with its total.
    assert sorted(_key_facts(text)) == sorted(
        (c.id.value, format(c.total_charge.amount, "f")) for c in items
    )


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(writable_claims(ClaimKind.INSTITUTIONAL), min_size=1, max_size=3))
def test_837i_from_the_claims_strategy_validates_with_pyx12(items: list[Claim]) -> None:
    """Every generated institutional claim writes an 837I that pyx12 finds no error in."""
    text = write_837i(items, submitter=SUBMITTER, receiver=RECEIVER, control_numbers=CONTROL,
                      at=AT)
    assert pyx12_errors(text) == []
    # The writer groups claims under their billing provider and subscriber (HL loops), so
    # the file's order need not be the input's: every claim appears once, with its total.
    assert sorted(_key_facts(text)) == sorted(
        (c.id.value, format(c.total_charge.amount, "f")) for c in items
    )


@st.composite
def mutated_835(draw: st.DrawFn) -> str:
    """A real 835 with byte flips, a truncation, deleted or duplicated segments."""
    text = draw(st.sampled_from(REAL_835))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "truncate", "delete", "duplicate", "insert"]))
        if not text:
            break
        at = draw(st.integers(0, len(text) - 1))
        if kind == "flip":
            text = text[:at] + chr(draw(st.integers(0, 255))) + text[at + 1:]
        elif kind == "truncate":
            text = text[:at]
        elif kind == "insert":
            text = text[:at] + draw(st.sampled_from(["~", "*", ":", "~~", "\n", "ST*835*9~",
                                                      "CAS*CO*45*1.00~", "-"])) + text[at:]
        else:
            segments = text.split("~")
            k = draw(st.integers(0, len(segments) - 1))
            if kind == "delete":
                del segments[k]
            else:
                segments.insert(k, segments[k])
            text = "~".join(segments)
    return text


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(mutated_835())
def test_hostile_835_gives_a_result_or_a_claimcore_error(text: str) -> None:
    """A mutated real file reads to a result or raises a ClaimcoreError, quickly."""
    start = time.perf_counter()
    try:
        result = read_835_with_warnings(text)
    except ClaimcoreError:
        pass
    else:
        assert isinstance(result, X12Result)
    assert time.perf_counter() - start < SECONDS_PER_READ


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400) | st.binary(max_size=400).map(lambda b: b.decode("latin-1")))
def test_random_text_gives_a_result_or_a_claimcore_error(text: str) -> None:
    """Random text, with or without an ISA in front, never escapes as another exception."""
    for candidate in (text, REAL_835[0][:106] + text):
        with contextlib.suppress(ClaimcoreError):
            read_835(candidate)


def test_a_ten_megabyte_835_reads_in_bounded_time() -> None:
    """A 10 MB file of real claims reads, balances and takes well under a minute."""
    source = (FIXTURES / "lfh_managed-care.835").read_text()
    head, rest = source.split("LX*1~", 1)
    claims_text = rest.split("SE*")[0]
    copies = 10_000_000 // len(claims_text) + 1
    head = head.replace("BPR*I*945.00", f"BPR*I*{945 * copies}.00")
    body = "LX*1~" + claims_text * copies
    count = (head + body).count("~") - 2
    text = head + body + f"SE*{count}*112233~GE*1*1~IEA*1*000000907~"
    assert len(text) > 10_000_000
    start = time.perf_counter()
    (rem,) = read_835(text)
    assert time.perf_counter() - start < 60
    assert len(rem.claims) == 2 * copies
    assert rem.payment.amount == Decimal(945 * copies)


def _x12_values() -> st.SearchStrategy[Any]:
    word = st.from_regex(r"[A-Z][A-Z0-9]{1,8}", fullmatch=True)
    return st.one_of(
        control_numbers(),
        st.builds(Submitter, name=word, id=word, contact_name=word,
                  phone=st.just("5555551234")),
        st.builds(Receiver, word, word),
        st.builds(Delimiters, element=st.sampled_from("*|"), component=st.sampled_from(":>"),
                  repetition=st.sampled_from(["^", None]), segment=st.sampled_from("~\n")),
        st.builds(Segment, st.integers(1, 10_000),
                  st.tuples(st.from_regex(r"[A-Z][A-Z0-9]{1,2}", fullmatch=True), word)),
        st.builds(X12Warning, code=st.sampled_from(WarningCode), message=word,
                  segment_number=st.none() | st.integers(1, 99), segment_id=st.none() | word.map(
                      lambda w: w[:3]), element=st.none() | st.just("CLP04")),
    )


@given(_x12_values())
def test_x12_values_round_trip_through_the_converter(value: Any) -> None:
    """structure(unstructure(v)) == v for the x12 value types."""
    serialization = pytest.importorskip("claimcore.serialization")
    converter = serialization.make_converter()
    assert converter.structure(converter.unstructure(value), type(value)) == value


REAL_271 = [p.read_text() for p in sorted(FIXTURES.glob("*.271"))]


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.sampled_from(REAL_271), st.data())
def test_hostile_271_gives_a_result_or_a_claimcore_error(text: str, data: st.DataObject) -> None:
    """A 271 with a flipped character or a truncation never escapes as another exception."""
    at = data.draw(st.integers(0, len(text) - 1))
    if data.draw(st.booleans()):
        text = text[:at]
    else:
        text = text[:at] + chr(data.draw(st.integers(0, 255))) + text[at + 1:]
    with contextlib.suppress(ClaimcoreError):
        read_271(text)


def as_written(r: Remittance) -> Remittance:
    """``r`` as write_835 writes it: PLB01/PLB02 (required) derived where not set, from
    the payee's id and the last day of the payment's year."""
    payee = r.payee
    ident = payee.npi or payee.tax_id
    provider = ident.value if ident is not None else payee.other_id
    return attrs.evolve(r, provider_adjustments=[
        attrs.evolve(p, provider_id=p.provider_id or provider,
                     fiscal_period_end=p.fiscal_period_end or date(r.paid_on.year, 12, 31))
        for p in r.provider_adjustments
    ])
