"""Errors and warnings of the X12 readers and writers.

An :class:`X12Error` stops a read: the text cannot be understood (no ISA, a truncated
transaction set, an amount that is not a number, a remittance that does not balance). An
:class:`X12Warning` records something a real payer sends that breaks the standard but
leaves the meaning clear (a segment count off by one, an impossible ``BPR16`` date, a
composite separator other than the ISA's); the read goes on.

Both name the segment by its number (the ``ISA`` is segment 1, counting every segment of
the file in order) and the element (``CLP04``, ``SVC01-2``). Neither ever quotes the
value of an element that may hold PHI (names, member ids, birth dates, addresses).

Every ``*_with_warnings`` reader returns a :class:`ReadResult`: the values it read and
the warnings, as one frozen value.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from typing import Any, Final, Generic, TypeVar

import attrs

from claimcore._validate import an_int, instance, members, optional_text, text, to_tuple
from claimcore.errors import ClaimcoreError

__all__ = ["ReadResult", "UnreadItem", "WarningCode", "X12Error", "X12Warning"]

T = TypeVar("T")


def where(segment_number: int | None, segment_id: str | None, element: str | None) -> str:
    """``segment 17 (CLP), CLP04`` - the place an error or warning is about."""
    parts: list[str] = []
    if segment_number is not None:
        parts.append(f"segment {segment_number}" + (f" ({segment_id})" if segment_id else ""))
    elif segment_id:
        parts.append(f"segment {segment_id}")
    if element:
        parts.append(element)
    return ", ".join(parts)


class X12Error(ClaimcoreError, ValueError):
    """X12 text that cannot be read or written as asked.

    ``segment_number`` counts the segments of the file from 1 (the ``ISA``);
    ``segment_id`` is the segment's tag (``CLP``); ``element`` the element's reference
    designator (``CLP04``, ``SVC01-2``). Any of them may be ``None`` when the problem
    is not in one segment (an empty text, a missing trailer). The message never holds
    the value of an element that may be PHI.
    """

    segment_number: int | None
    segment_id: str | None
    element: str | None

    def __init__(
        self,
        message: str,
        *,
        segment_number: int | None = None,
        segment_id: str | None = None,
        element: str | None = None,
    ) -> None:
        self.segment_number = segment_number
        self.segment_id = segment_id
        self.element = element
        self.message = message
        place = where(segment_number, segment_id, element)
        super().__init__(f"{place}: {message}" if place else message)


class WarningCode(enum.StrEnum):
    """What kind of deviation from the standard a reader tolerated."""

    SEGMENT_COUNT = "segment-count"
    """``SE01`` does not count the segments of its transaction set."""
    TRANSACTION_COUNT = "transaction-count"
    """``GE01`` does not count the transaction sets of its group."""
    GROUP_COUNT = "group-count"
    """``IEA01`` does not count the functional groups of its interchange."""
    CONTROL_NUMBER = "control-number"
    """A trailer's control number (``SE02``, ``GE02``, ``IEA02``) differs from its header's."""
    MISSING_TRAILER = "missing-trailer"
    """A ``GE`` or ``IEA`` trailer is missing after a complete transaction set."""
    ISA_LAYOUT = "isa-layout"
    """The ``ISA`` is not the fixed 106 characters the standard prescribes."""
    INVALID_DATE = "invalid-date"
    """A date element that is not a calendar date (``BPR16`` of ``20002316``)."""
    COMPOSITE_SEPARATOR = "composite-separator"
    """A composite written with another separator than ``ISA16`` (``HC>99213`` for ``:``)."""
    MALFORMED_COMPOSITE = "malformed-composite"
    """A composite whose parts were sent as separate elements (``SVC*HC*99213*...``)."""
    MALFORMED_CODE = "malformed-code"
    """A code with padding or decimals the code set does not have (``24599.00``)."""
    UNKNOWN_SEGMENT = "unknown-segment"
    """A segment that has no place where it was found; it was skipped."""
    INVALID_VALUE = "invalid-value"
    """An element whose value the standard does not allow; it was ignored."""
    BYTE_ORDER_MARK = "byte-order-mark"
    """A byte-order mark before the ``ISA`` (``\\ufeff``, or its UTF-8 bytes decoded as latin-1,
    ``\\xef\\xbb\\xbf``); it was skipped."""
    NO_ENVELOPE = "no-envelope"
    """A transaction set (``ST`` ... ``SE``) stored without its ``ISA``/``GS`` envelope."""
    CLAIM_NOT_READ = "claim-not-read"
    """A claim (an 835's ``CLP`` up to the next ``CLP``, ``LX``, ``PLB`` or ``SE``; an 837's
    ``CLM`` up to the next ``CLM``, ``HL`` or ``SE``) that could not be read; it is in the
    result's ``unread_claims`` and the other claims were read."""
    NOT_HELD = "not-held"
    """Data the value read has no field for (an ICD-9 diagnosis or a condition code on an
    837 claim, a pay-to address); it was not read into the value, and the warning names
    where it is."""
    ITEM_NOT_READ = "item-not-read"
    """An item of a 271 (a benefit, ``EB``, with its segments up to the next ``EB``) or of a
    277CA (a claim status loop 2200D, ``TRN`` up to the next ``TRN`` or ``HL``) that could
    not be read; it is in the result's ``unread`` and the other items were read."""
    PAYMENT_NOT_BALANCED = "payment-not-balanced"
    """A remittance with unread claims whose ``BPR02`` is not the claim payments (the unread
    claims' ``CLP04`` counted) less the ``PLB`` adjustments, or an unread ``CLP04`` that is
    not an amount."""


@attrs.frozen(kw_only=True)
class X12Warning:
    """Something a reader tolerated: where it was, what kind, and what it did about it.

    ``code`` says the kind of deviation, ``message`` what was found and done (never
    with PHI). X12: what an implementation acknowledgment (999 ``IK3``/``IK4``) would
    report as a segment or element note.
    """

    code: WarningCode
    message: str
    segment_number: int | None = None
    segment_id: str | None = None
    element: str | None = None

    def __attrs_post_init__(self) -> None:
        instance(self.code, WarningCode, "$.code")
        text(self.message, "$.message", max_len=500)
        if self.segment_number is not None:
            an_int(self.segment_number, "$.segment_number", low=1)
        optional_text(self.segment_id, "$.segment_id", max_len=3)
        optional_text(self.element, "$.element", max_len=12)

    def __str__(self) -> str:
        place = where(self.segment_number, self.segment_id, self.element)
        return f"{place}: {self.message}" if place else self.message


_MAX_UNREAD_TEXT: Final = 80
_MAX_REASON: Final = 500


@attrs.frozen(kw_only=True)
class UnreadItem:
    """An item a ``*_with_warnings`` reader set aside, so that the others could be read.

    ``kind`` says what it is (``"benefit"``: a 271 ``EB`` with its segments;
    ``"claim acknowledgement"``: a 277CA loop 2200D); ``segment_number`` and
    ``segment_id`` where it starts; ``reason`` the error that stopped it, naming the
    segment and element; ``key`` the text that identifies it as sent (a 277CA's
    ``TRN02``, the patient control number; a 271's ``EB01``, the benefit code), at most
    80 characters.

    >>> UnreadItem(kind="benefit", segment_number=12, segment_id="EB",
    ...            reason="segment 12 (EB), EB01: is required", key="").kind
    'benefit'
    """

    kind: str
    segment_number: int
    segment_id: str
    reason: str
    key: str = ""

    def __attrs_post_init__(self) -> None:
        text(self.kind, "$.kind", max_len=40)
        an_int(self.segment_number, "$.segment_number", low=1)
        text(self.segment_id, "$.segment_id", max_len=3)
        text(self.reason, "$.reason", max_len=_MAX_REASON)
        text(self.key, "$.key", min_len=0, max_len=_MAX_UNREAD_TEXT)


def _unread_items(value: Iterable[UnreadItem]) -> tuple[UnreadItem, ...]:
    return to_tuple(value)


def _values(value: Iterable[Any]) -> tuple[Any, ...]:
    return to_tuple(value)


def _warnings(value: Iterable[X12Warning]) -> tuple[X12Warning, ...]:
    return to_tuple(value)


@attrs.frozen
class ReadResult(Generic[T]):
    """What a reader found: the values, and the warnings about what it tolerated.

    ``values`` are what the text holds, in order (the responses of a 271, the
    acknowledgements of a 277CA; :class:`~claimcore.x12.X12Result`, the 835's, also
    names them ``remittances``); ``warnings`` the :class:`X12Warning` records about what
    was tolerated, in the order met; ``unread`` the items of a 271 or 277CA that could
    not be read (:class:`UnreadItem`; the 835's unread claims are its ``unread_claims``),
    each also an ``item-not-read`` warning. It unpacks as the pair ``(values, warnings)``, as
    the 271 and 277CA readers' tuples did.

    >>> from claimcore.x12 import WarningCode
    >>> result = ReadResult(["a"], [X12Warning(code=WarningCode.ISA_LAYOUT, message="m")])
    >>> result.values
    ('a',)
    >>> values, warnings = result
    >>> [w.code.value for w in warnings]
    ['isa-layout']
    """

    values: tuple[T, ...] = attrs.field(converter=_values)
    warnings: tuple[X12Warning, ...] = attrs.field(default=(), converter=_warnings)
    unread: tuple[UnreadItem, ...] = attrs.field(default=(), converter=_unread_items,
                                                 kw_only=True)

    def __attrs_post_init__(self) -> None:
        members(self.warnings, X12Warning, "$.warnings")
        members(self.unread, UnreadItem, "$.unread")

    def __iter__(self) -> Iterator[Any]:
        """``values, warnings = result``: the pair, for code written for a tuple."""
        return iter((self.values, self.warnings))
