"""The X12 envelope: interchange (``ISA``/``IEA``), functional group (``GS``/``GE``) and
transaction set (``ST``/``SE``), read with their counts checked and written with them right.

A reader finds each transaction set, checks that every trailer counts what it closes
(``SE01`` segments, ``GE01`` transaction sets, ``IEA01`` groups) and repeats its header's
control number; a payer's file that gets a count wrong is still read, with a warning.
A transaction set without its ``SE`` (a truncated file) is an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Final

import attrs

from claimcore._validate import (
    an_int,
    aware_datetime,
    instance,
    members,
    optional_text,
    text,
    to_tuple,
)
from claimcore.errors import ValidationError
from claimcore.x12._tokens import Delimiters, Rows, Segment, scan, scan_frozen
from claimcore.x12._warnings import WarningCode, X12Error, X12Warning

__all__ = [
    "ControlNumbers",
    "FunctionalGroup",
    "Interchange",
    "Receiver",
    "Submitter",
    "TransactionSet",
    "read_interchanges",
]

_MAX_CONTROL: Final = 999_999_999
# GS01 for a transaction set stored without its GS, by ST01
_FUNCTIONAL_IDS: Final = {"835": "HP", "837": "HC", "270": "HS", "271": "HB", "276": "HR",
                          "277": "HN", "999": "FA"}
# the one 5010 guide of a transaction set that may come with no GS08 and no ST03
_GUIDES: Final = {"835": "005010X221A1", "271": "005010X279A1", "277": "005010X214"}
_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./_-]{1,14}")
_PHONE: Final = re.compile(r"[0-9]{10,15}")
_EMAIL: Final = re.compile(r"[^@\s*~:^|]+@[^@\s*~:^|]+\.[^@\s*~:^|]+")


@attrs.frozen(kw_only=True)
class ControlNumbers:
    """The control numbers of one interchange: ``ISA13``, ``GS06`` and the first ``ST02``.

    Each is a positive number of at most nine digits; the sender keeps them unique
    (a payer rejects an interchange control number it has seen). Written zero-padded to
    nine digits in the ``ISA`` and to four in the ``ST``; further transaction sets in the
    same group take the following numbers.
    """

    interchange: int
    group: int
    transaction: int

    def __attrs_post_init__(self) -> None:
        an_int(self.interchange, "$.interchange", low=1, high=_MAX_CONTROL)
        an_int(self.group, "$.group", low=1, high=_MAX_CONTROL)
        an_int(self.transaction, "$.transaction", low=1, high=_MAX_CONTROL)


@attrs.frozen(kw_only=True)
class Submitter:
    """Who sends the claims: the billing service or provider that the receiver knows.

    ``id`` is the electronic transmitter identification number (ETIN) the receiver
    assigned; it also goes into ``ISA06`` and ``GS02``. A contact has a phone (ten to
    fifteen digits), an e-mail, or both. X12 837 loop 1000A (``NM1*41``, ``PER*IC``).
    """

    name: str
    id: str
    contact_name: str
    phone: str | None = None
    email: str | None = attrs.field(default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        text(self.name, "$.name", max_len=60)
        text(self.id, "$.id", pattern=_ID, expected="2 to 15 letters, digits or ./_- ")
        text(self.contact_name, "$.contact_name", max_len=60)
        optional_text(self.phone, "$.phone", pattern=_PHONE,
                      expected="a phone number of 10 to 15 digits", phi=True)
        optional_text(self.email, "$.email", pattern=_EMAIL, expected="an e-mail address",
                      max_len=256, phi=True)
        if self.phone is None and self.email is None:
            raise ValidationError("a submitter contact has a phone or an e-mail",
                                  path="$.phone", rule="contact")


@attrs.frozen
class Receiver:
    """Who receives the claims: the payer or clearinghouse, by the id it gave itself.

    ``id`` also goes into ``ISA08`` and ``GS03``. X12 837 loop 1000B (``NM1*40``).
    """

    name: str
    id: str

    def __attrs_post_init__(self) -> None:
        text(self.name, "$.name", max_len=60)
        text(self.id, "$.id", pattern=_ID, expected="2 to 15 letters, digits or ./_- ")


def _segments(value: Iterable[Segment]) -> tuple[Segment, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class TransactionSet:
    """One transaction set, ``ST`` to ``SE`` (both included), as read.

    ``id`` is ``ST01`` (``835``, ``837``, ``271``), ``control_number`` ``ST02``,
    ``implementation`` ``ST03`` (the guide, ``005010X221A1``; ``None`` when absent).
    """

    id: str
    control_number: str
    implementation: str | None
    segments: tuple[Segment, ...] = attrs.field(converter=_segments, repr=False)

    def __attrs_post_init__(self) -> None:
        text(self.id, "$.id", max_len=3)
        text(self.control_number, "$.control_number", max_len=9)
        optional_text(self.implementation, "$.implementation", max_len=35)
        members(self.segments, Segment, "$.segments")


def _transactions(value: Iterable[TransactionSet]) -> tuple[TransactionSet, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class FunctionalGroup:
    """One functional group, ``GS`` to ``GE``: transaction sets of one kind and version.

    ``functional_id`` is ``GS01`` (``HP`` remittance, ``HC`` claim, ``HB`` eligibility
    response), ``sender``/``receiver`` ``GS02``/``GS03``, ``control_number`` ``GS06``
    and ``version`` ``GS08`` (``005010X221A1``).
    """

    functional_id: str
    sender: str
    receiver: str
    control_number: str
    version: str
    transactions: tuple[TransactionSet, ...] = attrs.field(converter=_transactions)

    def __attrs_post_init__(self) -> None:
        text(self.functional_id, "$.functional_id", max_len=2)
        text(self.sender, "$.sender", min_len=0, max_len=15)
        text(self.receiver, "$.receiver", min_len=0, max_len=15)
        text(self.control_number, "$.control_number", max_len=9)
        text(self.version, "$.version", min_len=0, max_len=12)
        members(self.transactions, TransactionSet, "$.transactions")


def _groups(value: Iterable[FunctionalGroup]) -> tuple[FunctionalGroup, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class Interchange:
    """One interchange, ``ISA`` to ``IEA``, with the delimiters its ``ISA`` declares.

    ``sender``/``receiver`` are ``ISA06``/``ISA08`` (padding removed), ``version`` is
    ``ISA12`` (``00501``), ``control_number`` ``ISA13``, ``usage`` ``ISA15`` (``P``
    production, ``T`` test).
    """

    delimiters: Delimiters
    sender: str
    receiver: str
    version: str
    control_number: str
    usage: str
    groups: tuple[FunctionalGroup, ...] = attrs.field(converter=_groups)

    def __attrs_post_init__(self) -> None:
        instance(self.delimiters, Delimiters, "$.delimiters")
        text(self.sender, "$.sender", min_len=0, max_len=15)
        text(self.receiver, "$.receiver", min_len=0, max_len=15)
        text(self.version, "$.version", min_len=0, max_len=5)
        text(self.control_number, "$.control_number", min_len=0, max_len=9)
        text(self.usage, "$.usage", min_len=0, max_len=1)
        members(self.groups, FunctionalGroup, "$.groups")


# ---------------------------------------------------------------- reading


@attrs.define(slots=True)
class RawTransaction:
    """Where one transaction set lies in the scanned rows (internal to the readers)."""

    st: int  # index of the ST row (its segment number is st + 1)
    se: int  # index of the SE row
    functional_id: str
    version: str
    gs: int
    isa: int


def _int(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def _same_number(a: str, b: str) -> bool:
    ia, ib = _int(a.strip()), _int(b.strip())
    return ia == ib if ia is not None and ib is not None else a.strip() == b.strip()


def _el(row: Sequence[str], i: int) -> str:
    return row[i] if i < len(row) else ""


_ENVELOPE: Final = frozenset({"ISA", "GS", "ST", "SE", "GE", "IEA"})


class EnvelopeWalker:
    """The envelope checks of :func:`envelopes`, one row at a time (internal to the
    readers): what a streaming reader uses, as it never holds every row.

    ``rows`` needs to hold only the header rows still open (the ``ISA``, ``GS`` and
    ``ST`` of the current interchange, group and transaction set) when :meth:`step` is
    given an envelope row. A row inside a transaction set that is no envelope segment
    need not be given at all.
    """

    def __init__(self, rows: Rows, warnings: list[X12Warning]) -> None:
        self.rows = rows
        self.warn = warnings.append
        self.isa = self.gs = self.st = -1
        self.bare = False  # transaction sets without their envelope
        self.groups = self.sets = 0
        self.open: RawTransaction | None = None  # the transaction set being read

    def step(self, i: int, row: Sequence[str]) -> RawTransaction | None:
        """Check row ``i``; the transaction set it closes when it is an ``SE``."""
        rows = self.rows
        warn = self.warn
        seg = row[0]
        if i == 0:
            self.bare = seg == "ST"
        st = self.st
        if st >= 0:
            if seg == "SE":
                count = i - st + 1
                if _int(_el(row, 1)) != count:
                    warn(X12Warning(
                        code=WarningCode.SEGMENT_COUNT, segment_number=i + 1, segment_id="SE",
                        element="SE01",
                        message=f"SE01 should count {count} segments (ST to SE); it was "
                                "not used",
                    ))
                if not _same_number(_el(row, 2), _el(rows[st], 2)):
                    warn(X12Warning(
                        code=WarningCode.CONTROL_NUMBER, segment_number=i + 1,
                        segment_id="SE", element="SE02",
                        message="SE02 differs from the ST02 control number",
                    ))
                done = self.open
                assert done is not None
                done.se = i
                self.sets += 1
                self.st = -1
                self.open = None
                return done
            if seg in ("ST", "GS", "GE", "IEA", "ISA"):
                raise X12Error(
                    f"the transaction set that starts at segment {st + 1} has no SE trailer "
                    f"before this {seg}",
                    segment_number=i + 1, segment_id=seg,
                )
            return None
        gs, isa = self.gs, self.isa
        if seg == "ST":
            if gs < 0 and self.bare and isa < 0:
                guide = _GUIDES.get(_el(row, 1), "")
                assumed = (f"; with no ST03 either, it was read as {guide}"
                           if guide and not _el(row, 3) else "")
                warn(X12Warning(
                    code=WarningCode.NO_ENVELOPE, segment_number=i + 1, segment_id="ST",
                    message="this transaction set was stored without its ISA/GS envelope; "
                            "it was read with the delimiters of the file's first ST "
                            f"segment{assumed}",
                ))
            elif gs < 0:
                raise X12Error("a transaction set (ST) must be inside a functional group (GS)",
                               segment_number=i + 1, segment_id="ST")
            if gs >= 0:
                header, fid, version = gs, _el(rows[gs], 1), _el(rows[gs], 8)
            else:  # no GS: the ST stands for it, ST03 (or the one guide) for GS08
                header, fid = i, _FUNCTIONAL_IDS.get(_el(row, 1), "")
                version = _el(row, 3) or _GUIDES.get(_el(row, 1), "")
            self.open = RawTransaction(st=i, se=-1, functional_id=fid, version=version,
                                       gs=header, isa=isa)
            self.st = i
        elif seg == "GS":
            if isa < 0 or gs >= 0:
                raise X12Error(
                    "a functional group (GS) must be inside an interchange and follow the "
                    "previous group's GE",
                    segment_number=i + 1, segment_id="GS",
                )
            self.gs, self.sets = i, 0
        elif seg == "GE":
            if gs < 0:
                raise X12Error("a GE trailer without its GS header", segment_number=i + 1,
                               segment_id="GE")
            _check_trailer(row, i, self.sets, rows[gs], 6, "GE", WarningCode.TRANSACTION_COUNT,
                           "transaction sets", warn)
            self.gs = -1
            self.groups += 1
        elif seg == "IEA":
            if isa < 0:
                raise X12Error("an IEA trailer without its ISA header", segment_number=i + 1,
                               segment_id="IEA")
            if gs >= 0:
                _missing(warn, i + 1, "GE", gs)
                self.groups += 1
                self.gs = -1
            _check_trailer(row, i, self.groups, rows[isa], 13, "IEA", WarningCode.GROUP_COUNT,
                           "functional groups", warn)
            self.isa = -1
        elif seg == "ISA":
            if isa >= 0:
                if gs >= 0:
                    _missing(warn, i + 1, "GE", gs)
                _missing(warn, i + 1, "IEA", isa)
            self.isa, self.gs, self.groups = i, -1, 0
            if len(row) < 17:
                raise X12Error("the ISA segment must have 16 elements",
                               segment_number=i + 1, segment_id="ISA")
        else:
            raise X12Error(
                "this segment is outside any transaction set (ST ... SE)",
                segment_number=i + 1, segment_id=seg,
            )
        return None

    def end(self, n: int) -> None:
        """The text ended after ``n`` rows: a transaction set still open is an error."""
        if self.st >= 0:
            raise X12Error(
                "the file is truncated: the transaction set that starts here has no SE "
                "trailer", segment_number=self.st + 1, segment_id="ST",
            )
        if self.gs >= 0:
            _missing(self.warn, n, "GE", self.gs)
        if self.isa >= 0:
            _missing(self.warn, n, "IEA", self.isa)


def envelopes(rows: Sequence[Sequence[str]], warnings: list[X12Warning],
              marks: Sequence[int] | None = None) -> list[RawTransaction]:
    """Find every transaction set in the rows, checking the envelope's counts.

    Counts and control numbers that disagree are warnings; a structure that cannot be
    read (a segment outside any transaction set, a missing ``SE``) is an :class:`X12Error`.
    ``marks``, when given, are the indices of every envelope row, in order (see
    :func:`~claimcore.x12._tokens.scan_frozen`): only those rows and the rows outside a
    transaction set are looked at, the same rows the walk over all of them steps.
    """
    found: list[RawTransaction] = []
    walker = EnvelopeWalker(rows, warnings)
    step = walker.step
    if marks is None:
        envelope = _ENVELOPE
        for i, row in enumerate(rows):
            if row[0] in envelope or walker.st < 0:
                done = step(i, row)
                if done is not None:
                    found.append(done)
    else:
        after = 0  # the first row not yet looked at
        for i in (*marks, len(rows)):
            if walker.st < 0:  # rows between two transaction sets: each is stepped
                for k in range(after, i):
                    step(k, rows[k])
            if i < len(rows):
                done = step(i, rows[i])
                if done is not None:
                    found.append(done)
            after = i + 1
    walker.end(len(rows))
    return found


def transactions(
    raw: object,
) -> tuple[Delimiters, list[list[str]], list[X12Warning], list[RawTransaction]]:
    """Scan an interchange and find its transaction sets: what every reader starts from.

    Returns the delimiters, the rows, the warnings list (the readers add theirs to it) and
    the transaction sets; an interchange that holds none is an :class:`X12Error`.
    """
    delims, rows, warnings = scan(raw)
    found = envelopes(rows, warnings)
    if not found:
        raise X12Error("the interchange holds no transaction set", segment_number=1,
                       segment_id="ISA")
    return delims, rows, warnings, found


def frozen_transactions(
    raw: object,
) -> tuple[Delimiters, list[tuple[str, ...]], list[X12Warning], list[RawTransaction]]:
    """:func:`transactions` with the rows as tuples (:func:`~claimcore.x12._tokens.
    scan_frozen`): for a reader that holds every row while it reads."""
    marks: list[int] = []
    delims, rows, warnings = scan_frozen(raw, marks)
    found = envelopes(rows, warnings, marks)
    if not found:
        raise X12Error("the interchange holds no transaction set", segment_number=1,
                       segment_id="ISA")
    return delims, rows, warnings, found


def require_set(rows: Rows, t: RawTransaction, *, st01: str, guide: str,
                values: str, is_a: str) -> None:
    """Refuse a 4010 group (``GS08``) and a transaction set other than ``st01`` (``ST01``).

    ``guide`` is the 5010 guide the reader reads, ``values`` what it reads (plural),
    ``is_a`` what ``st01`` is (``"an 835 remittance advice"``).
    """
    version = t.version
    header = rows[t.gs][0]  # GS, or the ST of a transaction set without its envelope
    if version.startswith("004"):
        raise X12Error(
            f"this is a 4010 interchange (version {version[:12]!r}); claimcore reads "
            f"5010 ({guide}) {values} only",
            segment_number=t.gs + 1, segment_id=header,
            element="GS08" if header == "GS" else "ST03",
        )
    isa12 = _el(rows[t.isa], 12) if t.isa >= 0 else ""
    if isa12.startswith("0040"):
        raise X12Error(
            f"ISA12 says this is a 4010 interchange (version {isa12[:5]!r}), but its group "
            f"is version {version[:12]!r} (GS08); claimcore reads 5010 ({guide}) {values} "
            "only, in a 5010 interchange (ISA12 '00501')",
            segment_number=t.isa + 1, segment_id="ISA", element="ISA12",
        )
    found = _el(rows[t.st], 1)
    if found != st01:
        raise X12Error(f"this is a {found[:3]!r} transaction set, not {is_a}",
                       segment_number=t.st + 1, segment_id="ST", element="ST01")


def _missing(warn: Callable[[X12Warning], None], number: int, trailer: str, header: int) -> None:
    header_id = "GS" if trailer == "GE" else "ISA"
    warn(X12Warning(
        code=WarningCode.MISSING_TRAILER, segment_number=header + 1, segment_id=header_id,
        message=f"the {header_id} that starts here has no {trailer} trailer (the file may be "
                "truncated); its complete transaction sets were read",
    ))


def _check_trailer(
    row: Sequence[str], i: int, count: int, header: Sequence[str], header_el: int, seg: str,
    code: WarningCode, what: str, warn: Callable[[X12Warning], None],
) -> None:
    if _int(_el(row, 1)) != count:
        warn(X12Warning(
            code=code, segment_number=i + 1, segment_id=seg, element=f"{seg}01",
            message=f"{seg}01 should count {count} {what}; it was not used",
        ))
    if not _same_number(_el(row, 2), _el(header, header_el)):
        warn(X12Warning(
            code=WarningCode.CONTROL_NUMBER, segment_number=i + 1, segment_id=seg,
            element=f"{seg}02",
            message=f"{seg}02 differs from the header's control number "
                    f"({'GS06' if seg == 'GE' else 'ISA13'})",
        ))


def read_interchanges(raw: str) -> tuple[tuple[Interchange, ...], tuple[X12Warning, ...]]:
    """Every interchange in X12 text, with the warnings about its envelope.

    >>> text = ("ISA*00*          *00*          *ZZ*SUBMITTER      *ZZ*PAYER          "
    ...         "*260115*1200*^*00501*000000001*0*P*:~GS*HC*SUBMITTER*PAYER*20260115*1200*1*X*"
    ...         "005010X222A1~ST*837*0001*005010X222A1~BHT*0019*00*1*20260115*1200*CH~"
    ...         "SE*3*0001~GE*1*1~IEA*1*000000001~")
    >>> (interchange,), warnings = read_interchanges(text)
    >>> group = interchange.groups[0]
    >>> group.functional_id, group.version, group.transactions[0].segments[1].id
    ('HC', '005010X222A1', 'BHT')
    >>> warnings
    ()
    """
    delims, rows, warnings = scan(raw)
    found = envelopes(rows, warnings)
    by_isa: dict[int, dict[int, list[RawTransaction]]] = {}
    for t in found:
        by_isa.setdefault(t.isa, {}).setdefault(t.gs if t.isa >= 0 else 0, []).append(t)
    interchanges: list[Interchange] = []
    if -1 in by_isa:  # transaction sets without their envelope: one group of them
        first = by_isa[-1][0][0]
        interchanges.append(Interchange(
            delimiters=delims, sender="", receiver="", version="", control_number="",
            usage="", groups=[FunctionalGroup(
                functional_id=first.functional_id[:2] or "??", sender="", receiver="",
                control_number="0", version=_el(rows[first.st], 3)[:12],
                transactions=[_transaction_set(rows, t) for t in by_isa[-1][0]],
            )],
        ))
    for isa_i, row in enumerate(rows):
        if row[0] != "ISA":
            continue
        groups: list[FunctionalGroup] = []
        for gs_i, txns in by_isa.get(isa_i, {}).items():
            gs = rows[gs_i]
            groups.append(FunctionalGroup(
                functional_id=_el(gs, 1)[:2] or "??", sender=_el(gs, 2)[:15],
                receiver=_el(gs, 3)[:15], control_number=_el(gs, 6)[:9] or "0",
                version=_el(gs, 8)[:12],
                transactions=[_transaction_set(rows, t) for t in txns],
            ))
        interchanges.append(Interchange(
            delimiters=delims, sender=row[6].strip()[:15], receiver=row[8].strip()[:15],
            version=row[12][:5], control_number=row[13][:9], usage=row[15][:1],
            groups=groups,
        ))
    return tuple(interchanges), tuple(warnings)


def _transaction_set(rows: list[list[str]], t: RawTransaction) -> TransactionSet:
    st = rows[t.st]
    return TransactionSet(
        id=_el(st, 1)[:3] or "???", control_number=_el(st, 2)[:9] or "0",
        implementation=_el(st, 3)[:35] or None,
        segments=[Segment(k + 1, rows[k]) for k in range(t.st, t.se + 1)],
    )


# ---------------------------------------------------------------- writing

DEFAULT_DELIMITERS: Final = Delimiters()


Element = str | tuple[str, ...]
"""An element to write: a plain value, or a composite as its components."""


def check_value(value: str, delims: Delimiters, where: str) -> str:
    """A value to write: printable ASCII without any delimiter (never quoted in errors)."""
    for ch in value:
        if ch in (delims.element, delims.component, delims.segment, delims.repetition) or not (
            " " <= ch <= "~"
        ):
            raise ValidationError(
                f"{where} holds a delimiter or a character X12 cannot carry; remove it "
                "before writing", rule="x12-character",
            )
    return value


def render(elements: Sequence[Element], delims: Delimiters, end: str) -> str:
    """One segment as text: values checked, composites joined, trailing empties dropped."""
    seg_id = elements[0]
    parts: list[str] = [seg_id if isinstance(seg_id, str) else ""]
    for e, value in enumerate(elements[1:], 1):
        if isinstance(value, tuple):
            k = len(value)
            while k > 1 and value[k - 1] == "":
                k -= 1
            for c, part in enumerate(value[:k], 1):
                check_value(part, delims, f"{parts[0]}{e:02d}-{c}")
            parts.append(delims.component.join(value[:k]))
        else:
            parts.append(check_value(value, delims, f"{parts[0]}{e:02d}"))
    n = len(parts)
    while n > 1 and parts[n - 1] == "":
        n -= 1
    return delims.element.join(parts[:n]) + end


def _pad(value: str, width: int) -> str:
    return value[:width].ljust(width)


def wrap(
    bodies: Sequence[tuple[str, str | None, Sequence[Sequence[Element]]]],
    *,
    functional_id: str,
    version: str,
    sender_id: str,
    receiver_id: str,
    control_numbers: ControlNumbers,
    at: datetime,
    test: bool = False,
    delims: Delimiters = DEFAULT_DELIMITERS,
    newline: bool = False,
) -> str:
    """A complete interchange around transaction-set bodies (internal writer helper).

    Each body is ``(ST01, ST03, segments between ST and SE)``; the envelope's counts and
    control numbers are computed here, so they are always right.
    """
    instance(control_numbers, ControlNumbers, "$.control_numbers")
    aware_datetime(at, "$.at")
    on: date = at.date()
    end = delims.segment + ("\n" if newline else "")
    rep = delims.repetition or "U"
    isa = [
        "ISA", "00", " " * 10, "00", " " * 10, "ZZ", _pad(sender_id, 15), "ZZ",
        _pad(receiver_id, 15), on.strftime("%y%m%d"), at.strftime("%H%M"), rep, "00501",
        f"{control_numbers.interchange:09d}", "0", "T" if test else "P", delims.component,
    ]
    out = [delims.element.join(isa) + end]
    gs: list[Element] = [
        "GS", functional_id, sender_id, receiver_id, on.strftime("%Y%m%d"),
        at.strftime("%H%M"), str(control_numbers.group), "X", version,
    ]
    out.append(render(gs, delims, end))
    for k, (st01, st03, segments) in enumerate(bodies):
        number = f"{control_numbers.transaction + k:04d}"
        if len(number) > 9:
            raise ValidationError("the transaction set control numbers run past nine digits",
                                  path="$.control_numbers.transaction", rule="range")
        out.append(render(["ST", st01, number, st03 or ""], delims, end))
        out.extend(render(seg, delims, end) for seg in segments)
        out.append(render(["SE", str(len(segments) + 2), number], delims, end))
    out.append(render(["GE", str(len(bodies)), str(control_numbers.group)], delims, end))
    out.append(render(["IEA", "1", f"{control_numbers.interchange:09d}"], delims, end))
    return "".join(out)
