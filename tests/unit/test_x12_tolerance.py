"""What every reader accepts that the TR3 does not refuse: a byte-order mark before the
ISA, transaction sets stored without their envelope; and the envelope faults it refuses
clearly (ISA11 equal to ISA16, a 4010 ISA12 around a 5010 group)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcore.remittance import Remittance
from claimcore.strategies import remittances
from claimcore.x12 import (
    ControlNumbers,
    ReadResult,
    WarningCode,
    X12Error,
    X12Warning,
    read_271_with_warnings,
    read_277ca_with_warnings,
    read_835_with_warnings,
    read_interchanges,
    tokenize,
    write_835,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "x12"


def _isa(sender: str, receiver: str, control: str) -> str:
    return (f"ISA*00*          *00*          *ZZ*{sender:<15}*ZZ*{receiver:<15}"
            f"*260115*1200*^*00501*{control}*0*P*:~\n")


SMALL_835 = (
    _isa("PAYER", "CLINIC", "000000001")
    + "GS*HP*PAYER*CLINIC*20260115*1200*1*X*005010X221A1~\n"
    "ST*835*0001*005010X221A1~\n"
    "BPR*I*80.00*C*CHK************20260110~\n"
    "TRN*1*CHK1001*1999999999~\n"
    "DTM*405*20260109~\n"
    "N1*PR*ACME HEALTH PLAN~\n"
    "REF*2U*ACME01~\n"
    "N1*PE*GOOD CLINIC*XX*1234567893~\n"
    "LX*1~\n"
    "CLP*PCN1*1*100.00*80.00*20.00*12*ICN1~\n"
    "SVC*HC:99213*100.00*80.00~\n"
    "DTM*472*20260105~\n"
    "CAS*PR*2*20.00~\n"
    "AMT*B6*100.00~\n"
    "SE*14*0001~\n"
    "GE*1*1~\n"
    "IEA*1*000000001~\n"
)
SMALL_271 = (
    _isa("PAYER", "CLINIC", "000000002")
    + "GS*HB*PAYER*CLINIC*20260115*0800*2*X*005010X279A1~\n"
    "ST*271*0001*005010X279A1~\n"
    "BHT*0022*11*R1*20260115*0800~\n"
    "HL*1**20*1~\nNM1*PR*2*ACME*****PI*ACME01~\n"
    "HL*2*1*21*1~\nNM1*1P*2*CLINIC*****XX*1234567893~\n"
    "HL*3*2*22*0~\nNM1*IL*1*SMITH*JOHN****MI*123456789~\n"
    "DTP*346*D8*20260101~\n"
    "EB*1**30^98**GOLD PLAN~\n"
    "EB*B**98*HM*GOLD PLAN*27*25.00*****Y~\n"
    "SE*12*0001~\n"
    "GE*1*2~\n"
    "IEA*1*000000002~\n"
)
SMALL_277 = (
    _isa("CLEARINGHOUSE", "CLINIC", "000000009")
    + "GS*HN*CH*CLINIC*20260304*0900*9*X*005010X214~\n"
    "ST*277*0001*005010X214~\n"
    "BHT*0085*08*B1*20260304*0900*TH~\n"
    "HL*1**20*1~\nNM1*PR*2*ACME HEALTH PLAN*****PI*ACME1~\n"
    "HL*2*1*21*1~\nNM1*41*2*GOOD CLINIC*****46*E1~\n"
    "HL*3*2*19*1~\nNM1*85*2*GOOD CLINIC*****XX*1234567893~\n"
    "HL*4*3*PT~\nNM1*QC*1*DOE*JANE~\n"
    "TRN*2*PCN1~\nSTC*A7:562:85*20260303*U*100.00~\nREF*1K*ICN1~\n"
    "SE*14*0001~\n"
    "GE*1*9~\n"
    "IEA*1*000000009~\n"
)

Reader = Callable[[str], ReadResult[Any]]
READERS: list[tuple[str, Reader, str]] = [
    ("835", read_835_with_warnings, SMALL_835),
    ("271", read_271_with_warnings, SMALL_271),
    ("277CA", read_277ca_with_warnings, SMALL_277),
]
FIXTURE_FILES: list[tuple[Reader, str]] = [
    (read_835_with_warnings, "lfh_managed-care.835"),
    (read_835_with_warnings, "pyx12_835_mult_loops.txt"),
    (read_271_with_warnings, "lfh_subscriber-health-benefit-check.271"),
    (read_271_with_warnings, "lfh_dependent-health-benefit-check.271"),
    (read_277ca_with_warnings, "ims_x12_277CA_accepted.277"),
    (read_277ca_with_warnings, "ims_x12_277CA_rejected.277"),
]
BOMS = ["\ufeff", "\xef\xbb\xbf", "\xef\xbb\xbf\r\n", "\n\ufeff  "]
AT = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def unwrap(text: str) -> str:
    """The transaction sets of an interchange, without ISA, GS, GE and IEA."""
    sep = text[3]
    kept = [chunk for chunk in text.split("~")
            if chunk.strip().split(sep)[0] not in ("ISA", "GS", "GE", "IEA")]
    return "~".join(kept).lstrip()


def shifted(warnings: tuple[X12Warning, ...], by: int) -> list[tuple[object, ...]]:
    return [(w.code, None if w.segment_number is None else w.segment_number - by,
             w.segment_id, w.element) for w in warnings]


def test_the_small_files_read_with_no_warning() -> None:
    """The files below are clean: every warning a test sees comes from what it changed."""
    for _, read, text in READERS:
        result = read(text)
        assert result.values
        assert result.warnings == ()


# ------------------------------------------------------------------ byte-order mark


@pytest.mark.parametrize("bom", BOMS)
@pytest.mark.parametrize(("name", "read", "text"), READERS, ids=[r[0] for r in READERS])
def test_a_byte_order_mark_is_skipped_with_a_warning(
    name: str, read: Reader, text: str, bom: str,
) -> None:
    """A UTF-8 BOM, as U+FEFF or as its three bytes read as latin-1, changes no value."""
    result = read(bom + text)
    assert result.values == read(text).values
    (warning,) = result.warnings
    assert warning.code is WarningCode.BYTE_ORDER_MARK
    assert (warning.segment_number, warning.segment_id) == (1, "ISA")
    assert "byte-order mark" in warning.message


def test_read_interchanges_skips_a_byte_order_mark() -> None:
    """The envelope reader too, and the tokenizer numbers the ISA as segment 1."""
    (plain,), none = read_interchanges(SMALL_835)
    (marked,), warnings = read_interchanges("\xef\xbb\xbf" + SMALL_835)
    assert none == ()
    assert marked == plain
    assert [w.code for w in warnings] == [WarningCode.BYTE_ORDER_MARK]
    _, segments = tokenize("\ufeff" + SMALL_835)
    assert (segments[0].number, segments[0].id) == (1, "ISA")


def test_a_byte_order_mark_alone_is_an_empty_text() -> None:
    """A BOM followed by nothing is still 'empty', not a misread."""
    with pytest.raises(X12Error, match="is empty"):
        read_835_with_warnings("\xef\xbb\xbf\n")


def test_other_text_before_the_isa_is_still_refused() -> None:
    """Only a BOM and blank space are skipped; two of the BOM's three bytes are not a BOM."""
    for prefix in ("\xef\xbb", "x", "\x00"):
        with pytest.raises(X12Error, match="does not") as err:
            read_835_with_warnings(prefix + SMALL_835)
        assert (err.value.segment_number, err.value.segment_id) == (1, "ISA")


# ------------------------------------------------------------------ no envelope


@pytest.mark.parametrize("bom", ["", "\ufeff"])
@pytest.mark.parametrize(("name", "read", "text"), READERS, ids=[r[0] for r in READERS])
def test_a_transaction_set_without_envelope_reads_the_same(
    name: str, read: Reader, text: str, bom: str,
) -> None:
    """ST ... SE alone gives the values the enveloped file gives, with a no-envelope warning
    at the ST (segment 1: the ISA and GS are not there to count)."""
    result = read(bom + unwrap(text))
    assert result.values == read(text).values
    codes = [w.code for w in result.warnings]
    assert codes == ([WarningCode.BYTE_ORDER_MARK] if bom else []) + [WarningCode.NO_ENVELOPE]
    warning = result.warnings[-1]
    assert (warning.segment_number, warning.segment_id) == (1, "ST")
    assert "envelope" in warning.message


@pytest.mark.parametrize(("name", "read", "text"), READERS, ids=[r[0] for r in READERS])
def test_several_bare_transaction_sets_in_one_file(name: str, read: Reader, text: str) -> None:
    """Two ST ... SE one after the other: both read, each with its warning."""
    body = unwrap(text)
    result = read(body + body)
    single = read(text).values
    assert result.values == single + single
    numbers = [w.segment_number for w in result.warnings]
    assert [w.code for w in result.warnings] == [WarningCode.NO_ENVELOPE] * 2
    assert numbers == [1, 1 + body.count("~")]


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.replace("~\n", "~"),  # one line
        lambda t: t.replace("~\n", "~\r\n"),  # CRLF after each terminator
        lambda t: t.replace("~\n", "\n"),  # the newline is the terminator
        lambda t: t.translate(str.maketrans({"*": "|", "~": "!"})),  # other delimiters
    ],
    ids=["one-line", "crlf", "newline-terminator", "pipe-and-bang"],
)
@pytest.mark.parametrize(("name", "read", "text"), READERS, ids=[r[0] for r in READERS])
def test_bare_delimiters_are_read_from_the_st_segment(
    name: str, read: Reader, text: str, change: Callable[[str], str],
) -> None:
    """The element separator follows 'ST'; the terminator ends the ST segment."""
    result = read(change(unwrap(text)))
    assert result.values == read(text).values
    assert [w.code for w in result.warnings] == [WarningCode.NO_ENVELOPE]


@pytest.mark.parametrize(("read", "name"), FIXTURE_FILES, ids=[f[1] for f in FIXTURE_FILES])
def test_public_fixtures_read_the_same_without_their_envelope(read: Reader, name: str) -> None:
    """Real files, unwrapped: the same values, and the same warnings two segments earlier."""
    text = (FIXTURES / name).read_text(encoding="latin-1")
    enveloped = read(text)
    bare = read(unwrap(text))
    assert bare.values == enveloped.values
    others = tuple(w for w in bare.warnings if w.code is not WarningCode.NO_ENVELOPE)
    envelope_codes = {WarningCode.TRANSACTION_COUNT, WarningCode.GROUP_COUNT,
                      WarningCode.MISSING_TRAILER}
    kept = tuple(w for w in enveloped.warnings
                 if w.code not in envelope_codes and w.segment_id not in ("GE", "IEA"))
    assert shifted(others, 0) == shifted(kept, 2)
    sets = sum(1 for segment in tokenize(text)[1] if segment.id == "ST")
    assert len(bare.warnings) - len(others) == sets


@given(st.lists(remittances(), min_size=1, max_size=3))
def test_written_835s_read_the_same_without_their_envelope(items: list[Remittance]) -> None:
    """write_835's transaction sets alone read back to the remittances written."""
    text = write_835(items, control_numbers=ControlNumbers(interchange=1, group=1,
                                                          transaction=1), at=AT)
    result = read_835_with_warnings(unwrap(text))
    assert result.remittances == tuple(as_written(r) for r in items)
    assert [w.code for w in result.warnings] == [WarningCode.NO_ENVELOPE] * len(items)


def test_read_interchanges_gives_bare_sets_an_empty_envelope() -> None:
    """One interchange with blank ids holds one group of the sets, segments numbered from 1."""
    (plain,), _ = read_interchanges(SMALL_835)
    (bare,), warnings = read_interchanges(unwrap(SMALL_835))
    assert [w.code for w in warnings] == [WarningCode.NO_ENVELOPE]
    assert (bare.sender, bare.receiver, bare.version, bare.control_number) == ("", "", "", "")
    assert bare.delimiters == plain.delimiters
    (group,) = bare.groups
    assert (group.functional_id, group.version) == ("HP", "005010X221A1")
    (txn,) = group.transactions
    (plain_txn,) = plain.groups[0].transactions
    assert txn.id == "835" and txn.control_number == "0001"
    assert [s.elements for s in txn.segments] == [s.elements for s in plain_txn.segments]
    assert [s.number for s in txn.segments] == [s.number - 2 for s in plain_txn.segments]


def test_bare_component_and_repetition_separators_make_way() -> None:
    """':' and '^' are assumed; one taken by the element separator or terminator yields."""
    delims, segments = tokenize("ST*835*1~SE*2*1~")
    assert (delims.element, delims.segment, delims.component, delims.repetition) == (
        "*", "~", ":", "^")
    delims, segments = tokenize("ST^835^1:SE^2^1:")
    assert (delims.element, delims.segment, delims.component, delims.repetition) == (
        "^", ":", ">", None)
    assert [s.id for s in segments] == ["ST", "SE"]


def test_a_bare_component_separator_is_the_one_the_text_uses() -> None:
    """No ':' anywhere but a '|': the composites are written with '|'."""
    delims, _ = tokenize("ST*277*1~STC*A7|562|85~SE*3*1~")
    assert delims.component == "|"
    delims, _ = tokenize("ST*277*1~STC*A7:562:85*X|Y~SE*3*1~")
    assert delims.component == ":"


@pytest.mark.parametrize(
    "text",
    ["ST*835*0001", "ST*835*0001~", "ST*835*0001*005010X221A1*EXTRA~SE*2*0001~",
     "ST*835*0001~~SE*2*0001~", "ST*835*0001~bad~"],
)
def test_a_bare_st_whose_terminator_cannot_be_found_is_an_error(text: str) -> None:
    """No terminator, no next segment, or too many elements: a clear error at the ST."""
    with pytest.raises(X12Error, match="segment terminator could not be found") as err:
        read_835_with_warnings(text)
    assert (err.value.segment_number, err.value.segment_id) == (1, "ST")


def test_an_enveloped_st_outside_a_group_is_still_an_error() -> None:
    """Inside an interchange, an ST without its GS stays a structural error."""
    text = SMALL_835.replace("GS*HP*PAYER*CLINIC*20260115*1200*1*X*005010X221A1~\n", "")
    with pytest.raises(X12Error, match=r"inside a functional group \(GS\)") as err:
        read_835_with_warnings(text)
    assert (err.value.segment_number, err.value.segment_id) == (2, "ST")


def test_a_bare_set_of_another_kind_or_4010_is_refused_at_the_st() -> None:
    """The readers' checks still apply: ST01 is named, and a 4010 ST03 stands for GS08."""
    body = unwrap(SMALL_835)
    with pytest.raises(X12Error, match="not an 835") as err:
        read_835_with_warnings(body.replace("ST*835", "ST*837"))
    assert (err.value.segment_number, err.value.element) == (1, "ST01")
    with pytest.raises(X12Error, match="4010") as err:
        read_835_with_warnings(body.replace("005010X221A1", "004010X091A1"))
    assert (err.value.segment_number, err.value.segment_id, err.value.element) == (
        1, "ST", "ST03")


# ------------------------------------------------------------------ ISA11 and ISA16


@pytest.mark.parametrize(("name", "read", "text"), READERS, ids=[r[0] for r in READERS])
def test_isa11_equal_to_isa16_is_an_error_at_the_isa(name: str, read: Reader, text: str) -> None:
    """Both '^': the repetition and component separators cannot be told apart."""
    broken = text.replace("*P*:~", "*P*^~", 1).replace(":", "^")
    with pytest.raises(X12Error, match=r"ISA11 \(the repetition separator\).*ISA16") as err:
        read(broken)
    assert (err.value.segment_number, err.value.segment_id, err.value.element) == (
        1, "ISA", "ISA11")


def test_isa11_equal_to_the_segment_terminator_is_an_error_at_the_isa() -> None:
    """ISA11 '~' with '~' ending segments would split the ISA itself."""
    with pytest.raises(X12Error, match=r"ISA11.*segment terminator") as err:
        read_835_with_warnings(SMALL_835.replace("*^*00501", "*~*00501", 1))
    assert (err.value.segment_id, err.value.element) == ("ISA", "ISA11")


def test_4010_isa11_is_still_a_standards_id() -> None:
    """ISA11 'U' is not a delimiter at all, so it cannot clash."""
    delims, _ = tokenize(SMALL_835.replace("*^*00501", "*U*00501", 1))
    assert delims.repetition is None


# ------------------------------------------------------------------ 4010 ISA12


@pytest.mark.parametrize(("name", "read", "text"), READERS, ids=[r[0] for r in READERS])
def test_a_4010_isa12_around_a_5010_group_names_isa12(name: str, read: Reader, text: str) -> None:
    """ISA12 00401 with a 5010 GS08: refused at the ISA, naming both versions."""
    gs08 = text.split("~")[1].split("*")[8]
    with pytest.raises(X12Error, match="ISA12") as err:
        read(text.replace("*00501*", "*00401*", 1))
    assert (err.value.segment_number, err.value.segment_id, err.value.element) == (
        1, "ISA", "ISA12")
    assert "'00401'" in err.value.message and repr(gs08) in err.value.message


@pytest.mark.parametrize(("name", "read", "text"), READERS, ids=[r[0] for r in READERS])
def test_a_4010_gs08_still_names_gs08(name: str, read: Reader, text: str) -> None:
    """A 4010 group is refused at its GS08, whatever ISA12 says."""
    gs08 = text.split("~")[1].split("*")[8]
    for isa12 in ("00501", "00401"):
        broken = text.replace("*00501*", f"*{isa12}*", 1).replace(gs08, "004010X091A1")
        with pytest.raises(X12Error, match="4010") as err:
            read(broken)
        assert (err.value.segment_number, err.value.segment_id, err.value.element) == (
            2, "GS", "GS08")


def test_a_bare_set_without_st03_is_read_as_its_one_guide() -> None:
    """No GS08 and no ST03: the 835 is read as 005010X221A1, and the warning says so."""
    body = unwrap(SMALL_835).replace("ST*835*0001*005010X221A1~", "ST*835*0001~")
    result = read_835_with_warnings(body)
    assert result.values == read_835_with_warnings(SMALL_835).values
    (warning,) = result.warnings
    assert warning.code is WarningCode.NO_ENVELOPE
    assert "read as 005010X221A1" in warning.message
    (interchange,), _ = read_interchanges(body)
    assert interchange.groups[0].version == ""
    assert interchange.groups[0].transactions[0].implementation is None


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
