"""Tokenizing X12 and reading its envelope: delimiters from the ISA, numbered segments."""

from __future__ import annotations

import pytest

from claimcore.errors import TypeMismatch, ValidationError
from claimcore.x12 import (
    ControlNumbers,
    Delimiters,
    Receiver,
    Segment,
    Submitter,
    WarningCode,
    X12Error,
    X12Warning,
    read_interchanges,
    tokenize,
)

ISA = ("ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       "
       "*260115*1200*^*00501*000000001*0*P*:~")


def test_delimiters_come_from_the_isa() -> None:
    """Element = char 4, repetition = ISA11, component = ISA16, terminator after ISA16."""
    text = ISA.replace("*", "|").replace(":~", ">\n") + "GS|HP|A>B\n"
    delims, segments = tokenize(text)
    assert delims == Delimiters(element="|", component=">", repetition="^", segment="\n")
    assert segments[1].elements == ("GS", "HP", "A>B")
    assert segments[1].number == 2


def test_4010_has_no_repetition_separator() -> None:
    """ISA11 'U' (4010) is a standards id, not a delimiter."""
    delims, _ = tokenize(ISA.replace("*^*00501", "*U*00401"))
    assert delims.repetition is None


def test_line_breaks_bom_and_blank_space_are_tolerated() -> None:
    """A BOM, leading space and CRLF or ' \\n' after terminators change nothing."""
    text = "\ufeff  \r\n" + ISA + "\r\nGS*HP~ \nST*835*1~\n\n"
    _, segments = tokenize(text)
    assert [s.id for s in segments] == ["ISA", "GS", "ST"]
    assert [s.number for s in segments] == [1, 2, 3]


def test_segment_indexing_follows_the_standard() -> None:
    """seg[4] is element 04; a missing element reads as empty."""
    seg = Segment(7, ["CLP", "A1", "1", "100.00", "90.00"])
    assert (seg.id, seg[4], seg[9], seg[-1]) == ("CLP", "90.00", "", "")


def test_isa_of_another_length_is_read_with_a_warning() -> None:
    """An ISA without padding is read by its separators, with an isa-layout warning."""
    text = "ISA*00**00**ZZ*S*ZZ*R*260115*1200*^*00501*1*0*P*:~GS*HP*S*R*20260115*1200*1*X*" \
           "005010X221A1~GE*0*1~IEA*1*1~"
    (interchange,), warnings = read_interchanges(text)
    assert interchange.sender == "S"
    assert [w.code for w in warnings] == [WarningCode.ISA_LAYOUT]


@pytest.mark.parametrize(
    ("text", "element"),
    [
        ("", None), ("GS*HP~", None), ("ISA", None), ("ISAA00", None),
        (ISA[:60], None), (ISA[:-2], "ISA16"), (ISA.replace(":~", "*~"), "ISA16"),
        (ISA.replace(":~", ":A"), "ISA16"), (ISA[:-1], "ISA16"),
    ],
)
def test_unusable_isa_is_an_error(text: str, element: str | None) -> None:
    """Without a complete ISA there are no delimiters: X12Error at segment 1."""
    with pytest.raises(X12Error) as err:
        tokenize(text)
    assert err.value.segment_number == 1
    assert err.value.element == element


def test_garbage_segment_is_an_error_with_its_number() -> None:
    """A segment that does not start with an id is named by its number."""
    with pytest.raises(X12Error) as err:
        tokenize(ISA + "GS*HP~#!*x~")
    assert err.value.segment_number == 3
    assert "segment 3" in str(err.value)


def test_envelope_is_read_with_its_groups() -> None:
    """Two groups, their transaction sets and control numbers, and no warnings."""
    text = (ISA + "GS*HP*S*R*20260115*1200*5*X*005010X221A1~ST*835*0001~BPR*I~SE*3*0001~"
            "ST*835*0002~BPR*I~SE*3*0002~GE*2*5~GS*HB*S*R*20260115*1200*6*X*005010X279A1~"
            "ST*271*9*005010X279A1~SE*2*9~GE*1*6~IEA*2*000000001~")
    (ic,), warnings = read_interchanges(text)
    assert warnings == ()
    assert (ic.sender, ic.receiver, ic.version, ic.control_number, ic.usage) == (
        "SENDER", "RECEIVER", "00501", "000000001", "P")
    assert [g.control_number for g in ic.groups] == ["5", "6"]
    assert [t.control_number for t in ic.groups[0].transactions] == ["0001", "0002"]
    assert ic.groups[1].transactions[0].implementation == "005010X279A1"
    assert ic.groups[0].transactions[0].segments[0].number == 3


@pytest.mark.parametrize(
    ("tail", "number", "seg"),
    [
        ("ST*835*1~BPR~GE*1*1~", 5, "GE"),
        ("ST*835*1~BPR~", 3, "ST"),
        ("ST*835*1~ST*835*2~", 4, "ST"),
        ("BPR~", 3, "BPR"),
        ("GE*0*1~GE*0*1~", 4, "GE"),
        ("GS*HP~", 3, "GS"),
    ],
)
def test_broken_structure_is_an_error(tail: str, number: int, seg: str) -> None:
    """A missing SE, a segment outside a transaction set, a stray trailer: X12Error."""
    with pytest.raises(X12Error) as err:
        read_interchanges(ISA + "GS*HP*S*R*20260115*1200*1*X*005010X221A1~" + tail)
    assert (err.value.segment_number, err.value.segment_id) == (number, seg)


def test_stray_structure_outside_an_interchange() -> None:
    """An ST before any GS and an IEA after the interchange closed are errors."""
    with pytest.raises(X12Error):
        read_interchanges(ISA + "ST*835*1~SE*2*1~")
    with pytest.raises(X12Error):
        read_interchanges(ISA + "IEA*0*000000001~IEA*0*1~")


def test_a_second_interchange_closes_the_first() -> None:
    """Two ISAs in one text: two interchanges, with warnings for the missing trailers."""
    group = "GS*HP*S*R*20260115*1200*1*X*005010X221A1~ST*835*1~BPR~SE*3*1~"
    interchanges, warnings = read_interchanges(ISA + group + ISA + group + "GE*1*1~IEA*1*1~")
    assert len(interchanges) == 2
    assert [w.code for w in warnings] == [WarningCode.MISSING_TRAILER] * 2


def test_value_types_check_themselves() -> None:
    """Delimiters, ControlNumbers, Submitter, Receiver and warnings refuse bad values."""
    with pytest.raises(ValidationError):
        Delimiters(element="*", component="*")
    with pytest.raises(ValidationError):
        Delimiters(element="A")
    with pytest.raises(ValidationError):
        Delimiters(element="**")
    with pytest.raises(TypeMismatch):
        Delimiters(element=1)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        ControlNumbers(interchange=0, group=1, transaction=1)
    with pytest.raises(ValidationError):
        Submitter(name="A", id="A1", contact_name="B")
    with pytest.raises(ValidationError):
        Receiver("PAYER", "")
    with pytest.raises(ValidationError):
        Segment(1, [])
    with pytest.raises(ValidationError):
        Segment(1, ["c1p"])
    warning = X12Warning(code=WarningCode.INVALID_DATE, message="bad", segment_id="BPR")
    assert str(warning) == "segment BPR: bad"
    assert str(X12Warning(code=WarningCode.INVALID_DATE, message="m")) == "m"
    assert str(X12Error("plain")) == "plain"


def test_submitter_keeps_its_email_out_of_repr() -> None:
    """The contact e-mail is not shown in repr."""
    submitter = Submitter(name="ACME", id="ACME01", contact_name="Pat", email="pat@acme.example")
    assert "pat@acme" not in repr(submitter)


def test_blank_chunks_between_terminators_are_skipped() -> None:
    """'~  ~' and a form feed between segments are blank, not segments."""
    _, segments = tokenize(ISA + "GS*HP~  ~\x0c~ST*835*1~")
    assert [s.id for s in segments] == ["ISA", "GS", "ST"]


def test_a_second_isa_must_be_complete() -> None:
    """A later ISA with too few elements is an error at its own number."""
    with pytest.raises(X12Error) as err:
        read_interchanges(ISA + "IEA*0*000000001~ISA*00~")
    assert (err.value.segment_number, err.value.segment_id) == (3, "ISA")
