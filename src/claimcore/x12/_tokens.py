"""Tokenizing X12 text into numbered segments, with the delimiters the ISA declares.

The ``ISA`` segment says how the rest of the interchange is written: its fourth
character is the element separator, ``ISA11`` the repetition separator (5010; in 4010
that element is a standards identifier, ``U``), ``ISA16`` the component (composite)
separator, and the character after ``ISA16`` ends every segment. Line breaks after a
segment terminator are tolerated, as are a byte-order mark (with a warning) and blank
space before the ``ISA``. A transaction set stored without its envelope begins with its
``ST``; its element separator and segment terminator are read from that segment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from typing import Any, Final, Literal, Protocol, overload

import attrs

from claimcore._validate import an_int, kind, members, text, to_tuple
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.x12._warnings import WarningCode, X12Error, X12Warning

__all__ = ["Delimiters", "Segment", "iter_segments", "tokenize"]

_ISA_LENGTH: Final = 106  # "ISA" + 16 elements of fixed width + 16 separators + terminator
_ISA_WINDOW: Final = 512  # an ISA longer than this is not an ISA, however it is padded
_SEGMENT_ID: Final = re.compile(r"[A-Z][A-Z0-9]{1,2}")
_COMMON: Final = frozenset({
    "ISA", "GS", "ST", "SE", "GE", "IEA", "BPR", "TRN", "DTM", "N1", "N3", "N4", "REF",
    "PER", "LX", "CLP", "CAS", "NM1", "SVC", "AMT", "QTY", "LQ", "MOA", "MIA", "PLB", "HL",
    "SBR", "CLM", "HI", "SV1", "SV2", "DTP", "EB", "DMG",
})
_ENVELOPE_IDS: Final = frozenset({"ISA", "GS", "ST", "SE", "GE", "IEA"})
_COMMON_BODY: Final = _COMMON - _ENVELOPE_IDS
_LATIN1_BOM: Final = "\xef\xbb\xbf"  # the UTF-8 byte-order mark decoded as latin-1
_LEADING: Final = re.compile(r"(?:\s|\ufeff|\xef\xbb\xbf)*")
_ST_WINDOW: Final = 64  # ST01 to ST03 and their separators fit well within this
_COMPONENTS: Final = ":>|\\!"  # an envelope-less set's component separator, likeliest first
_BREAKS: Final = " \t\r\n"
_BATCH: Final = 1024  # rows a stream builds at a time


class Rows(Protocol):
    """Segment rows by index (``rows[i]`` is segment ``i + 1``): the list :func:`scan`
    returns (or :func:`scan_frozen`'s), or the window of rows a streaming reader still
    holds (a ``dict``)."""

    def __getitem__(self, i: int, /) -> Sequence[str]: ...


def _delimiter(value: object, path: str, *, whitespace: bool = False) -> str:
    if type(value) is not str:
        raise TypeMismatch(f"must be a str, got {kind(value)}", path=path, rule="type")
    if len(value) != 1:
        raise ValidationError("must be one character", path=path, rule="length")
    if value.isalnum() or value == " " or (value.isspace() and not whitespace):
        raise ValidationError(
            "must not be a letter, a digit or a space (X12 data would contain it)",
            path=path, rule="delimiter",
        )
    return value


def _elements(value: Iterable[str]) -> tuple[str, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class Delimiters:
    """The four delimiters of an interchange, as its ``ISA`` declares them.

    ``element`` separates elements (``ISA`` character 4, ``*`` by convention);
    ``component`` separates the parts of a composite (``ISA16``, ``:``);
    ``repetition`` separates repeated values (``ISA11``, ``^``; ``None`` in 4010);
    ``segment`` ends each segment (the character after ``ISA16``, ``~``).
    """

    element: str = "*"
    component: str = ":"
    repetition: str | None = "^"
    segment: str = "~"

    def __attrs_post_init__(self) -> None:
        chars = [
            _delimiter(self.element, "$.element"),
            _delimiter(self.component, "$.component"),
            _delimiter(self.segment, "$.segment", whitespace=True),
        ]
        if self.repetition is not None:
            chars.append(_delimiter(self.repetition, "$.repetition"))
        if len(set(chars)) != len(chars):
            raise ValidationError(
                "the delimiters must be four different characters", rule="distinct"
            )


@attrs.frozen
class Segment:
    """One segment: its number in the file and its elements.

    ``elements[0]`` is the segment id (``CLP``), so ``elements[4]`` is ``CLP04``, as the
    standard numbers them. ``number`` counts the segments of the file from 1 (the
    ``ISA``). A composite element stays one string (``HC:99213:25``); split it with the
    interchange's :class:`Delimiters`.
    """

    number: int
    elements: tuple[str, ...] = attrs.field(converter=_elements)

    def __attrs_post_init__(self) -> None:
        an_int(self.number, "$.number", low=1)
        members(self.elements, str, "$.elements")
        if not self.elements:
            raise ValidationError("a segment has an id", path="$.elements", rule="empty")
        text(self.elements[0], "$.elements[0]", pattern=_SEGMENT_ID,
             expected="a segment id of 2 or 3 capital letters or digits")

    @property
    def id(self) -> str:
        """The segment id: ``ISA``, ``CLP``, ``SVC``..."""
        return self.elements[0]

    def __getitem__(self, index: int) -> str:
        """Element ``index`` (``seg[4]`` is ``CLP04``); ``""`` when the segment is shorter."""
        elements = self.elements
        return elements[index] if 0 <= index < len(elements) else ""


def _fail(message: str, number: int | None = 1, seg: str | None = "ISA",
          element: str | None = None) -> X12Error:
    return X12Error(message, segment_number=number, segment_id=seg, element=element)


def _isa_delimiters(source: str, start: int, warnings: list[X12Warning]) -> Delimiters:
    """The delimiters the ``ISA`` at ``start`` declares (an ISA of another length warns)."""
    if len(source) < start + 4:
        raise _fail("the ISA segment is truncated")
    sep = source[start + 3]
    if sep.isalnum() or sep.isspace():
        raise _fail("the element separator (ISA character 4) must not be a letter, a digit "
                    "or blank space")
    limit = min(len(source), start + _ISA_WINDOW)
    pos = start + 3
    for _ in range(15):
        pos = source.find(sep, pos + 1, limit)
        if pos < 0:
            raise _fail("the ISA segment is truncated or malformed: it does not have 16 "
                        "elements")
    if pos + 2 >= len(source):
        raise _fail("the ISA segment is truncated: no ISA16 and segment terminator",
                    element="ISA16")
    component = source[pos + 1]
    terminator = source[pos + 2]
    if component.isalnum() or component.isspace() or component == sep:
        raise _fail("ISA16 (the component separator) must be one character that is not a "
                    "letter, digit, blank or the element separator", element="ISA16")
    if terminator.isalnum() or terminator == " " or terminator in (sep, component):
        raise _fail("the segment terminator (the character after ISA16) must not be a "
                    "letter, digit, space or another delimiter", element="ISA16")
    isa = source[start:pos + 2].split(sep)
    repetition: str | None = isa[11] if len(isa[11]) == 1 else None
    if repetition is not None and repetition in (component, terminator):
        other = ("ISA16 (the component separator)" if repetition == component
                 else "the segment terminator (the character after ISA16)")
        raise _fail(f"ISA11 (the repetition separator) is {repetition!r}, the same character "
                    f"as {other}; the two must differ", element="ISA11")
    if repetition is not None and (repetition.isalnum() or repetition.isspace()):
        repetition = None
    if pos + 3 - start != _ISA_LENGTH:
        warnings.append(X12Warning(
            code=WarningCode.ISA_LAYOUT, segment_number=1, segment_id="ISA",
            message=f"the ISA is {pos + 3 - start} characters long, not the fixed "
                    f"{_ISA_LENGTH}; its elements were read by their separators",
        ))
    return Delimiters(element=sep, component=component, repetition=repetition,
                      segment=terminator)


def _bare_delimiters(source: str, start: int) -> Delimiters:
    """The delimiters of a transaction set stored without its envelope (``ST`` first).

    The element separator is the character after ``ST``; the segment terminator is the
    first character after it that is neither a letter, a digit, a space nor the element
    separator (``ST01``-``ST03`` hold only those), and the next segment must follow it.
    Nothing in the text declares the component and repetition separators: the component
    separator is the first of ``:``, ``>``, ``|``, ``\\``, ``!`` that the text holds
    (``:`` when it holds none), the repetition separator ``^``; neither is one already
    taken.
    """
    sep = source[start + 2]
    limit = min(len(source), start + _ST_WINDOW)
    pos = start + 3
    while pos < limit and (source[pos].isalnum() or source[pos] in (sep, " ")):
        pos += 1
    terminator = source[pos] if pos < limit else ""
    elements = source[start:pos].split(sep)
    next_segment = re.compile(r"\s*[A-Z][A-Z0-9]{1,2}" + re.escape(sep))
    if (not terminator or not 3 <= len(elements) <= 4
            or next_segment.match(source, pos + 1) is None):
        raise _fail("the text begins with an ST segment (a transaction set without its "
                    "ISA/GS envelope), but its segment terminator could not be found: ST "
                    "holds ST01 to ST03 and the next segment follows it", seg="ST")
    free = [c for c in _COMPONENTS if c not in (sep, terminator)]
    component = next((c for c in free if c in source), free[0])
    repetition = "^" if "^" not in (sep, terminator, component) else None
    return Delimiters(element=sep, component=component, repetition=repetition,
                      segment=terminator)


def _head(source: str) -> tuple[int, bool, Delimiters, list[X12Warning]]:
    """Where the first segment starts, whether it is a bare ``ST``, the delimiters and the
    warnings about what came before it (``source`` is the text, or its first part)."""
    start = _LEADING.match(source).end()  # type: ignore[union-attr]
    warnings: list[X12Warning] = []
    after = source[start + 2:start + 3]  # the element separator, when ST comes first
    bare = source.startswith("ST", start) and after != "" and not (
        after.isalnum() or after.isspace())
    if not bare and not source.startswith("ISA", start):
        raise _fail(
            "X12 text begins with an ISA segment (the interchange header), or with the ST "
            "of a transaction set stored without its envelope; this text "
            + ("is empty" if start == len(source) else "does not"),
        )
    leading = source[:start]
    if "\ufeff" in leading or _LATIN1_BOM in leading:
        warnings.append(X12Warning(
            code=WarningCode.BYTE_ORDER_MARK, segment_number=1,
            segment_id="ST" if bare else "ISA",
            message="the text begins with a byte-order mark (UTF-8 "
                    + ("read as latin-1" if _LATIN1_BOM in leading else "\\ufeff")
                    + "), which X12 does not have; it was skipped",
        ))
    delims = (_bare_delimiters(source, start) if bare
              else _isa_delimiters(source, start, warnings))
    return start, bare, delims, warnings


@overload
def _rows(pieces: list[str], sep: str, done: int, *,
          freeze: Literal[False] = False, marks: None = None) -> list[list[str]]: ...
@overload
def _rows(pieces: list[str], sep: str, done: int, *,
          freeze: Literal[True], marks: list[int] | None = None) -> list[tuple[str, ...]]: ...
@overload
def _rows(pieces: list[str], sep: str, done: int, *,
          freeze: bool, marks: None = None) -> list[Any]: ...
def _rows(pieces: list[str], sep: str, done: int, *, freeze: bool = False,
          marks: list[int] | None = None) -> list[list[str]] | list[tuple[str, ...]]:
    """The segment rows of ``pieces`` (text split at the segment terminator); ``done``
    segments came before them (for the position an error names). ``freeze``: each row a
    tuple, not a list (see :func:`scan_frozen`). ``marks``: given, it receives the index
    of every envelope row (``ISA``, ``GS``, ``ST``, ``SE``, ``GE``, ``IEA``), in order."""
    rows: list[Any] = []
    append = rows.append
    match_id = _SEGMENT_ID.fullmatch
    # with marks, an envelope id takes the branch below (a few rows a file), which marks it
    common = _COMMON if marks is None else _COMMON_BODY
    for chunk in pieces:
        # strip returns the chunk itself when there is nothing to strip: cheaper than
        # testing both ends first
        chunk = chunk.strip(_BREAKS)
        if not chunk:
            continue
        elements = chunk.split(sep)
        seg_id = elements[0]
        if seg_id not in common:
            if marks is not None and seg_id in _ENVELOPE_IDS:
                marks.append(done + len(rows))
            elif match_id(seg_id) is None:
                stripped = seg_id.strip()
                if stripped == "" and len(elements) == 1:
                    continue  # blank space between segments
                raise _fail(
                    "is not a segment: a segment begins with an id of 2 or 3 capital "
                    "letters or digits (is the file truncated, or are its delimiters "
                    "mixed?)",
                    number=done + len(rows) + 1, seg=None,
                )
        append(tuple(elements) if freeze else elements)
    return rows


def _text(raw: object) -> str:
    if type(raw) is not str:
        hint = " (decode bytes first, e.g. data.decode('latin-1'))" if isinstance(
            raw, (bytes, bytearray)) else ""
        raise TypeMismatch(f"X12 text must be a str, got {kind(raw)}{hint}", rule="type")
    return raw


def scan(raw: object) -> tuple[Delimiters, list[list[str]], list[X12Warning]]:
    """Split X12 text into segments of elements (``rows[i]`` is segment ``i + 1``).

    The text begins with an ``ISA``, or with the ``ST`` of a transaction set stored
    without its envelope (its delimiters then come from the ``ST`` segment). Blank space
    and a byte-order mark before it are skipped (the mark with a warning). Raises
    :class:`X12Error` when the text begins with neither.
    """
    source = _text(raw)
    start, _, delims, warnings = _head(source)
    return delims, _rows(source[start:].split(delims.segment), delims.element, 0), warnings


def scan_frozen(raw: object, marks: list[int] | None = None,
                ) -> tuple[Delimiters, list[tuple[str, ...]], list[X12Warning]]:
    """:func:`scan` with each row a tuple: for a reader that holds every row of a big file.

    The garbage collector stops walking a tuple of strings after its first collection
    (CPython untracks it), while it walks every list at each full collection: with all
    the rows of a 20,000-claim 835 held as lists, the collections cost more than reading.
    ``marks``, when given, receives the index of every envelope row, in order (so that
    :func:`~claimcore.x12._envelope.envelopes` need not look at every row again).
    """
    source = _text(raw)
    start, _, delims, warnings = _head(source)
    return delims, _rows(source[start:].split(delims.segment), delims.element, 0,
                         freeze=True, marks=marks), warnings


@overload
def scan_chunks(
    chunks: Iterable[str], *, freeze: Literal[False] = False,
) -> tuple[Delimiters, Iterator[list[str]], list[X12Warning]]: ...
@overload
def scan_chunks(
    chunks: Iterable[str], *, freeze: Literal[True],
) -> tuple[Delimiters, Iterator[tuple[str, ...]], list[X12Warning]]: ...
def scan_chunks(
    chunks: Iterable[str], *, freeze: bool = False,
) -> tuple[Delimiters, Iterator[list[str]] | Iterator[tuple[str, ...]], list[X12Warning]]:
    """:func:`scan` over text that arrives in parts: what every streaming reader starts from.

    ``chunks`` is any iterable of ``str`` (a file read in blocks, lines, one string); a
    segment, a delimiter or a ``\\r\\n`` may be split across two chunks. The first
    chunks are read at once, up to :data:`HEAD_SIZE` characters (or the whole text when it
    is shorter), to find the delimiters; the rest only as the rows are taken. Returns the
    delimiters, an iterator of the rows (the ``n``-th row is segment ``n``, as in
    :func:`scan`) and the warnings list: it holds the warnings about the text's start at
    once, and the caller adds its own. Memory is bounded by the largest chunk plus the
    longest segment, not by the text. Raises :class:`X12Error` (when iterated, for a bad
    segment) as :func:`scan` does, and :class:`TypeMismatch` for a chunk that is not a
    ``str``. ``freeze``: each row a tuple, as :func:`scan_frozen` gives them.

    >>> delims, rows, warnings = scan_chunks(["ISA*00*          *00*          *ZZ*SENDER",
    ...     "         *ZZ*RECEIVER       *260115*1200*^*00501*000000001*0*P*:~GS*H",
    ...     "P*S*R~ST*835*1~"])
    >>> delims.segment, [row[0] for row in rows], warnings
    ('~', ['ISA', 'GS', 'ST'], [])
    """
    source = iter(chunks)
    parts: list[str] = []
    size = 0
    for chunk in source:
        parts.append(_text(chunk))
        size += len(chunk)
        if size >= HEAD_SIZE:
            break
    head = "".join(parts)
    del parts
    start, _, delims, warnings = _head(head)
    return delims, _stream(head[start:], source, delims, freeze), warnings


HEAD_SIZE: Final = 65_536
"""How much of a stream :func:`scan_chunks` reads before it decides the delimiters: the
component separator of a transaction set without its envelope is guessed from the text
it sees, so a stream and the whole text agree on files up to this size."""


def _stream(head: str, source: Iterator[str], delims: Delimiters,
            freeze: bool) -> Iterator[Any]:
    sep, terminator = delims.element, delims.segment
    done = 0
    pending = ""
    for chunk in chain((head,), source):
        pieces = (pending + _text(chunk) if pending else _text(chunk)).split(terminator)
        pending = pieces.pop()  # a chunk's complete segments come before the next chunk
        # rows in batches: a big chunk's rows are not all alive at once (memory, and the
        # garbage collector, which would walk every one of them at each full collection)
        for k in range(0, len(pieces), _BATCH):
            rows: list[Any] = _rows(pieces[k:k + _BATCH], sep, done, freeze=freeze)
            done += len(rows)
            yield from rows
    # the end: a last segment without its terminator is still read, as scan reads it
    yield from _rows(pending.split(terminator), sep, done, freeze=freeze)


def tokenize(raw: str) -> tuple[Delimiters, tuple[Segment, ...]]:
    """The delimiters and the numbered segments of X12 text.

    >>> delims, segs = tokenize("ISA*00*          *00*          *ZZ*SENDER         "
    ...     "*ZZ*RECEIVER       *260115*1200*^*00501*000000001*0*P*:~\\nGS*HP*S*R~")
    >>> delims.component, delims.segment, segs[1].id, segs[1][2]
    (':', '~', 'GS', 'S')
    """
    delims, rows, _ = scan(raw)
    return delims, tuple(Segment(i, row) for i, row in enumerate(rows, 1))


def iter_segments(chunks: Iterable[str]) -> Iterator[tuple[Delimiters, Segment]]:
    """The numbered segments of X12 text that arrives in parts (see :func:`tokenize`).

    ``chunks`` is any iterable of ``str``: a file read in blocks, its lines, one string.
    A segment or a delimiter may be split across chunks. Each segment comes with the
    interchange's delimiters (the same value every time), as a composite element is split
    with them. Memory is bounded by the largest chunk and segment, not by the text.

    >>> head = ("ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       "
    ...         "*260115*1200*^*00501*000000001*0*P*:~")
    >>> chunks = [head[:50], head[50:] + "GS*HP*S", "*R~"]
    >>> [(seg.number, seg.id, seg[2]) for _, seg in iter_segments(chunks)]
    [(1, 'ISA', '          '), (2, 'GS', 'S')]
    """
    delims, rows, _ = scan_chunks(chunks)
    for number, row in enumerate(rows, 1):
        yield delims, Segment(number, row)
