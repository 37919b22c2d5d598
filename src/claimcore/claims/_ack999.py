"""Implementation and interchange acknowledgements as values: the 999 (005010X231A1) and
the TA1.

A 999 says, for each transaction set of a functional group, whether it was accepted,
accepted with errors or rejected, and why (``IK3`` segment errors with their ``IK4``
element errors); a TA1 says the same of a whole interchange. Nothing here reads X12
(:func:`claimcore.x12.read_999` and :func:`claimcore.x12.read_ta1` do);
:func:`~claimcore.claims.apply_999` rejects the submitted claims of a rejected set. The
code lists are the X12 elements 620 (``IK304``), 621 (``IK403``), 618 (``IK502``), 716
(``AK905``) and I18 (``TA105``).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Final

import attrs

from claimcore._validate import (
    a_date,
    an_int,
    instance,
    members,
    optional_text,
    text,
    to_tuple,
)
from claimcore.errors import ValidationError
from claimcore.ids import ClaimId

__all__ = [
    "ELEMENT_ERROR_CODES",
    "GROUP_ERROR_CODES",
    "INTERCHANGE_NOTE_CODES",
    "SEGMENT_ERROR_CODES",
    "TRANSACTION_SET_ERROR_CODES",
    "AckStatus",
    "ElementError",
    "ImplementationAcknowledgement",
    "InterchangeAcknowledgement",
    "SegmentError",
    "TransactionSetAcknowledgement",
]

SEGMENT_ERROR_CODES: Final[Mapping[str, str]] = MappingProxyType({
    "1": "unrecognized segment ID", "2": "unexpected segment",
    "3": "required segment missing", "4": "loop occurs over maximum times",
    "5": "segment exceeds maximum use", "6": "segment not in defined transaction set",
    "7": "segment not in proper sequence", "8": "segment has data element errors",
    "I4": "implementation 'not used' segment present",
    "I6": "implementation dependent segment missing",
    "I7": "implementation loop occurs under minimum times",
    "I8": "implementation segment below minimum use",
    "I9": "implementation dependent 'not used' segment present",
})
"""``IK304``, the implementation segment syntax error codes (X12 element 620)."""

ELEMENT_ERROR_CODES: Final[Mapping[str, str]] = MappingProxyType({
    "1": "required data element missing", "2": "conditional required data element missing",
    "3": "too many data elements", "4": "data element too short",
    "5": "data element too long", "6": "invalid character in data element",
    "7": "invalid code value", "8": "invalid date", "9": "invalid time",
    "10": "exclusion condition violated", "11": "implementation code not used",
    "12": "too many repetitions", "13": "too many components",
    "I6": "code value not used in implementation",
    "I9": "implementation dependent data element missing",
    "I10": "implementation 'not used' data element present",
    "I11": "implementation too few repetitions",
    "I12": "implementation pattern match failure",
    "I13": "implementation dependent 'not used' data element present",
})
"""``IK403``, the implementation data element syntax error codes (X12 element 621; ``11``
is in pyx12's list, not in every source)."""

TRANSACTION_SET_ERROR_CODES: Final[Mapping[str, str]] = MappingProxyType({
    "1": "transaction set not supported", "2": "transaction set trailer missing",
    "3": "transaction set control number in header and trailer do not match",
    "4": "number of included segments does not match actual count",
    "5": "one or more segments in error", "6": "missing or invalid transaction set identifier",
    "7": "missing or invalid transaction set control number",
    **{str(n): "security (authentication, encryption or assurance) error"
       for n in range(8, 18)},
    "18": "transaction set not in functional group",
    "19": "invalid transaction set implementation convention reference",
    "23": "transaction set control number not unique within the functional group",
    **{str(n): "security (S3E/S4E pairing) error" for n in range(24, 28)},
    "I5": "implementation one or more segments in error",
    "I6": "implementation convention not supported",
})
"""``IK502``-``IK506``, the transaction set syntax error codes (X12 element 618)."""

GROUP_ERROR_CODES: Final[Mapping[str, str]] = MappingProxyType({
    "1": "functional group not supported", "2": "functional group version not supported",
    "3": "functional group trailer missing",
    "4": "group control number in the functional group header and trailer do not agree",
    "5": "number of included transaction sets does not match actual count",
    "6": "group control number violates syntax",
    **{str(n): "security error" for n in range(10, 19)},
    "19": "functional group control number not unique within interchange",
    **{str(n): "security (S3E/S4E pairing) error" for n in range(23, 27)},
})
"""``AK905``-``AK909``, the functional group syntax error codes (X12 element 716)."""

INTERCHANGE_NOTE_CODES: Final[Mapping[str, str]] = MappingProxyType({
    "000": "no error", "001": "the interchange control numbers of ISA13 and IEA02 differ",
    "002": "this standard as noted in the control standards identifier is not supported",
    "003": "this version of the controls is not supported",
    "004": "the segment terminator is invalid", "005": "invalid interchange ID qualifier "
    "for sender", "006": "invalid interchange sender ID",
    "007": "invalid interchange ID qualifier for receiver",
    "008": "invalid interchange receiver ID", "009": "unknown interchange receiver ID",
    "010": "invalid authorization information qualifier value",
    "011": "invalid authorization information value",
    "012": "invalid security information qualifier value",
    "013": "invalid security information value", "014": "invalid interchange date value",
    "015": "invalid interchange time value",
    "016": "invalid interchange standards identifier value",
    "017": "invalid interchange version ID value",
    "018": "invalid interchange control number value",
    "019": "invalid acknowledgment requested value", "020": "invalid test indicator value",
    "021": "invalid number of included groups value", "022": "invalid control structure",
    "023": "improper (premature) end-of-file (transmission)",
    "024": "invalid interchange content (e.g. invalid GS segment)",
    "025": "duplicate interchange control number",
    "026": "invalid data element separator", "027": "invalid component element separator",
    "028": "invalid delivery date in deferred delivery request",
    "029": "invalid delivery time in deferred delivery request",
    "030": "invalid delivery time code in deferred delivery request",
    "031": "invalid grade of service code",
})
"""``TA105``, the interchange note codes of 5010 (X12 element I18, 000-031)."""

_SEGMENT_ID: Final = re.compile(r"[A-Z][A-Z0-9]{1,2}")
_CODE: Final = re.compile(r"[0-9A-Z]{1,3}")
_CONTROL: Final = re.compile(r"[0-9A-Za-z]{1,9}")


class AckStatus(enum.StrEnum):
    """What an acknowledgement decided (``IK501``, ``AK901``, ``TA104``).

    ``A`` accepted, ``E`` accepted with errors (the errors are noted, nothing is refused),
    ``P`` partially accepted (``AK901`` only: some sets of the group were rejected),
    ``R`` rejected, ``M`` rejected because the message authentication code failed, ``W``
    rejected because assurance failed, ``X`` rejected because the content could not be
    decrypted.
    """

    ACCEPTED = "A"
    ACCEPTED_WITH_ERRORS = "E"
    PARTIALLY_ACCEPTED = "P"
    REJECTED = "R"
    REJECTED_AUTHENTICATION = "M"
    REJECTED_ASSURANCE = "W"
    REJECTED_DECRYPTION = "X"

    @property
    def rejected(self) -> bool:
        """``R``, ``M``, ``W`` or ``X``: what was acknowledged is refused as a whole."""
        return self in _REJECTED


_REJECTED: Final = frozenset({AckStatus.REJECTED, AckStatus.REJECTED_AUTHENTICATION,
                              AckStatus.REJECTED_ASSURANCE, AckStatus.REJECTED_DECRYPTION})


def _codes(value: Iterable[str]) -> tuple[str, ...]:
    return to_tuple(value)


def _check_codes(values: tuple[str, ...], path: str) -> None:
    for k, code in enumerate(members(values, str, path)):
        text(code, f"{path}[{k}]", pattern=_CODE, expected="an X12 error code")


@attrs.frozen(kw_only=True)
class ElementError:
    """One data element error of a 999 (loop 2110, ``IK4``).

    ``position`` is the element's place in its segment (``IK401-1``), ``component`` and
    ``repetition`` its component and repetition (``IK401-2``, ``-3``), ``reference`` its
    data element reference number (``IK402``), ``code`` the error (``IK403``, see
    :data:`ELEMENT_ERROR_CODES`); ``bad_data`` is a copy of the bad element (``IK404``,
    kept out of ``repr``: it may be a name or a member id).
    """

    position: int
    code: str
    component: int | None = None
    repetition: int | None = None
    reference: int | None = None
    bad_data: str | None = attrs.field(default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        an_int(self.position, "$.position", low=1, high=99)
        text(self.code, "$.code", pattern=_CODE, expected="an IK403 error code")
        if self.component is not None:
            an_int(self.component, "$.component", low=1, high=99)
        if self.repetition is not None:
            an_int(self.repetition, "$.repetition", low=1, high=9999)
        if self.reference is not None:
            an_int(self.reference, "$.reference", low=1, high=9999)
        optional_text(self.bad_data, "$.bad_data", max_len=99, phi=True)

    @property
    def description(self) -> str:
        """What ``code`` means (element 621), or ``"unknown code"``."""
        return ELEMENT_ERROR_CODES.get(self.code, "unknown code")


def _elements(value: Iterable[ElementError]) -> tuple[ElementError, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class SegmentError:
    """One segment error of a 999 (loop 2100, ``IK3`` with its ``CTX`` and ``IK4``).

    ``segment_id`` is ``IK301``, ``position`` the segment's place in its transaction set
    counting the ``ST`` as 1 (``IK302``), ``loop`` the loop identifier (``IK303``),
    ``code`` the error (``IK304``, see :data:`SEGMENT_ERROR_CODES`; ``None`` when only
    its elements are in error), ``claim_id`` the claim it concerns when a ``CTX`` names
    it (``CTX01`` ``CLM01:<patient control number>``), ``elements`` the element errors.
    """

    segment_id: str
    position: int
    loop: str | None = None
    code: str | None = None
    claim_id: ClaimId | None = None
    elements: tuple[ElementError, ...] = attrs.field(default=(), converter=_elements)

    def __attrs_post_init__(self) -> None:
        text(self.segment_id, "$.segment_id", pattern=_SEGMENT_ID,
             expected="a segment id of 2 or 3 capital letters or digits")
        an_int(self.position, "$.position", low=1, high=999_999)
        optional_text(self.loop, "$.loop", max_len=4)
        optional_text(self.code, "$.code", pattern=_CODE, expected="an IK304 error code")
        if self.claim_id is not None:
            instance(self.claim_id, ClaimId, "$.claim_id")
        members(self.elements, ElementError, "$.elements")

    @property
    def description(self) -> str:
        """What ``code`` means (element 620); ``"data element errors"`` without one."""
        if self.code is None:
            return "data element errors"
        return SEGMENT_ERROR_CODES.get(self.code, "unknown code")


def _segments(value: Iterable[SegmentError]) -> tuple[SegmentError, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class TransactionSetAcknowledgement:
    """What a 999 says of one transaction set (loop 2000: ``AK2`` ... ``IK5``).

    ``set_id`` and ``control_number`` name the set acknowledged (``AK201`` ``837``,
    ``AK202`` its ``ST02``), ``implementation`` its guide (``AK203``), ``status`` the
    decision (``IK501``), ``codes`` the syntax error codes (``IK502``-``IK506``, see
    :data:`TRANSACTION_SET_ERROR_CODES`), ``segment_errors`` what was wrong where.
    """

    set_id: str
    control_number: str
    status: AckStatus
    implementation: str | None = None
    codes: tuple[str, ...] = attrs.field(default=(), converter=_codes)
    segment_errors: tuple[SegmentError, ...] = attrs.field(default=(), converter=_segments)

    def __attrs_post_init__(self) -> None:
        text(self.set_id, "$.set_id", pattern=re.compile(r"[0-9]{3}"),
             expected="a transaction set id of three digits")
        text(self.control_number, "$.control_number", pattern=re.compile(r"[0-9A-Za-z]{4,9}"),
             expected="a transaction set control number of 4 to 9 characters")
        instance(self.status, AckStatus, "$.status")
        if self.status is AckStatus.PARTIALLY_ACCEPTED:
            raise ValidationError("a transaction set is accepted, accepted with errors or "
                                  "rejected (P is for a group)", path="$.status",
                                  rule="set-status")
        optional_text(self.implementation, "$.implementation", max_len=35)
        _check_codes(self.codes, "$.codes")
        members(self.segment_errors, SegmentError, "$.segment_errors")

    @property
    def rejected(self) -> bool:
        """The set is refused (``IK501`` ``R``, ``M``, ``W`` or ``X``)."""
        return self.status.rejected


def _sets(value: Iterable[TransactionSetAcknowledgement]
          ) -> tuple[TransactionSetAcknowledgement, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class ImplementationAcknowledgement:
    """A 999 (005010X231A1): what the receiver found in one functional group.

    ``functional_id``, ``group_control_number`` and ``version`` name the group
    acknowledged (``AK101`` ``HC``, ``AK102`` its ``GS06``, ``AK103`` its ``GS08``);
    ``transaction_sets`` say what became of each set; ``status`` is the group's
    (``AK901``: ``A``, ``E``, ``P`` partially accepted, ``R``); ``included``,
    ``received`` and ``accepted`` count the sets (``AK902``-``AK904``); ``codes`` are
    the group's error codes (``AK905``-``AK909``, see :data:`GROUP_ERROR_CODES`).

    >>> ack = ImplementationAcknowledgement(
    ...     functional_id="HC", group_control_number="17", version="005010X222A1",
    ...     transaction_sets=[TransactionSetAcknowledgement(
    ...         set_id="837", control_number="0001", status=AckStatus.REJECTED)],
    ...     status=AckStatus.REJECTED, included=1, received=1, accepted=0)
    >>> [s.control_number for s in ack.rejected_sets]
    ['0001']
    """

    functional_id: str
    group_control_number: str
    version: str | None = None
    transaction_sets: tuple[TransactionSetAcknowledgement, ...] = attrs.field(
        default=(), converter=_sets)
    status: AckStatus
    included: int
    received: int
    accepted: int
    codes: tuple[str, ...] = attrs.field(default=(), converter=_codes)

    def __attrs_post_init__(self) -> None:
        text(self.functional_id, "$.functional_id", pattern=re.compile(r"[A-Z]{2}"),
             expected="a functional identifier code of two letters (HC, HP...)")
        text(self.group_control_number, "$.group_control_number", pattern=_CONTROL,
             expected="a group control number of 1 to 9 characters")
        optional_text(self.version, "$.version", max_len=12)
        members(self.transaction_sets, TransactionSetAcknowledgement, "$.transaction_sets")
        instance(self.status, AckStatus, "$.status")
        for name in ("included", "received", "accepted"):
            an_int(getattr(self, name), f"$.{name}", low=0, high=999_999)
        _check_codes(self.codes, "$.codes")

    @property
    def rejected_sets(self) -> tuple[TransactionSetAcknowledgement, ...]:
        """The transaction sets refused, in order."""
        return tuple(s for s in self.transaction_sets if s.rejected)


@attrs.frozen(kw_only=True)
class InterchangeAcknowledgement:
    """A TA1: what the receiver found in one interchange's envelope.

    ``control_number`` is the interchange acknowledged (``TA101``, its ``ISA13``),
    ``on`` and ``time`` its date and time (``TA102`` as a date, ``TA103`` ``HHMM``),
    ``status`` the decision (``TA104``: ``A``, ``E`` or ``R``), ``note`` the interchange
    note code (``TA105``, see :data:`INTERCHANGE_NOTE_CODES`; ``000`` no error).

    >>> from datetime import date
    >>> InterchangeAcknowledgement(control_number="000000905", on=date(2026, 1, 15),
    ...     time="1200", status=AckStatus.REJECTED, note="025").description
    'duplicate interchange control number'
    """

    control_number: str
    on: date
    time: str
    status: AckStatus
    note: str

    def __attrs_post_init__(self) -> None:
        text(self.control_number, "$.control_number", pattern=re.compile(r"[0-9]{1,9}"),
             expected="an interchange control number of up to nine digits")
        a_date(self.on, "$.on")
        text(self.time, "$.time", pattern=re.compile(r"([01][0-9]|2[0-3])[0-5][0-9]"),
             expected="a time of day, HHMM")
        instance(self.status, AckStatus, "$.status")
        if self.status not in (AckStatus.ACCEPTED, AckStatus.ACCEPTED_WITH_ERRORS,
                               AckStatus.REJECTED):
            raise ValidationError("a TA1 accepts (A), accepts with errors (E) or rejects (R)",
                                  path="$.status", rule="ta1-status")
        text(self.note, "$.note", pattern=re.compile(r"[0-9]{3}"),
             expected="an interchange note code of three digits")

    @property
    def rejected(self) -> bool:
        """The interchange is refused (``TA104`` ``R``)."""
        return self.status is AckStatus.REJECTED

    @property
    def description(self) -> str:
        """What ``note`` means (element I18), or ``"unknown code"``."""
        return INTERCHANGE_NOTE_CODES.get(self.note, "unknown code")
