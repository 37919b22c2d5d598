"""Acknowledgements read: the 999 implementation acknowledgement (005010X231A1) and the
TA1 interchange acknowledgement.

:func:`read_999` reads each 999 transaction set into an
:class:`~claimcore.claims.ImplementationAcknowledgement`: the group acknowledged
(``AK1``), each transaction set's response (loop 2000: ``AK2``, the segment errors of
loop 2100 ``IK3`` with the claim a ``CTX*CLM01`` names, the element errors of loop 2110
``IK4``, then ``IK5``) and the group's decision (``AK9``). :func:`read_ta1` reads every
``TA1`` segment of an interchange (they stand outside any functional group) into an
:class:`~claimcore.claims.InterchangeAcknowledgement`. The values and
:func:`~claimcore.claims.apply_999` live in :mod:`claimcore.claims`.
"""

from __future__ import annotations

from typing import Final

import attrs

from claimcore.claims import (
    AckStatus,
    ElementError,
    ImplementationAcknowledgement,
    InterchangeAcknowledgement,
    SegmentError,
    TransactionSetAcknowledgement,
)
from claimcore.errors import ValidationError
from claimcore.ids import ClaimId
from claimcore.x12._elements import ElementReader
from claimcore.x12._envelope import RawTransaction, require_set, transactions
from claimcore.x12._tokens import scan
from claimcore.x12._warnings import ReadResult, WarningCode, X12Error

__all__ = ["read_999", "read_999_with_warnings", "read_ta1"]

GUIDE: Final = "005010X231A1"
_STATUSES: Final = {s.value: s for s in AckStatus}
_TA1_DATE: Final = "%y%m%d"


@attrs.define(slots=True)
class _Set:
    ak2: int
    segments: list[SegmentError] = attrs.Factory(list)
    ik3: int = -1
    ik3_fields: dict[str, object] = attrs.Factory(dict)
    elements: list[ElementError] = attrs.Factory(list)


class _Reader999(ElementReader):
    """Reads the rows of one 999 transaction set."""

    def status(self, i: int, k: int) -> AckStatus:
        value = self.el(self.rows[i], k)
        status = _STATUSES.get(value)
        if status is None:
            self.fail("must be an acknowledgement code (A, E, P, R, M, W, X)", i,
                      self.name(self.rows[i], k))
        return status

    def count(self, i: int, k: int) -> int:
        value = self.el(self.rows[i], k)
        if not value.isdigit() or len(value) > 6:
            self.fail("must be a count of up to six digits", i, self.name(self.rows[i], k))
        return int(value)

    def number(self, i: int, value: str, element: str, *, required: bool = False
               ) -> int | None:
        if not value:
            if required:
                self.fail("is required: a number", i, element)
            return None
        if not value.isdigit():
            self.fail("must be a number", i, element)
        return int(value)

    def read(self, t: RawTransaction) -> ImplementationAcknowledgement:
        rows = self.rows
        el = self.el
        ak1 = ak9 = -1
        sets: list[TransactionSetAcknowledgement] = []
        current: _Set | None = None
        for i in range(t.st + 1, t.se):
            row = rows[i]
            seg = row[0]
            if seg == "AK1":
                ak1 = i
            elif seg == "AK2":
                if current is not None:
                    self.fail("the previous transaction set response (AK2) has no IK5", i)
                current = _Set(ak2=i)
            elif seg in ("IK3", "CTX", "IK4", "IK5"):
                if current is None:
                    self.fail(f"an {seg} segment belongs to a transaction set response (AK2)", i)
                if seg == "IK3":
                    self.close_segment(current)
                    current.ik3 = i
                    current.ik3_fields = {}
                elif seg == "CTX":
                    self.context(i, current)
                elif seg == "IK4":
                    if current.ik3 < 0:
                        self.fail("an IK4 element error follows its IK3 segment error", i)
                    current.elements.append(self.element_error(i))
                else:
                    self.close_segment(current)
                    sets.append(self.transaction_set(current, i))
                    current = None
            elif seg == "AK9":
                ak9 = i
            else:
                self.warn(WarningCode.UNKNOWN_SEGMENT, "this segment has no place in a 999; "
                          "it was skipped", i)
        if current is not None:
            self.fail("the transaction set response (AK2) has no IK5", current.ak2)
        if ak1 < 0:
            self.fail("a 999 names the group it acknowledges (AK1)", t.st)
        if ak9 < 0:
            self.fail("a 999 ends with the group's response (AK9)", t.se)
        a1, a9 = rows[ak1], rows[ak9]
        codes = [v for v in a9[5:10] if v]
        try:
            return ImplementationAcknowledgement(
                functional_id=el(a1, 1), group_control_number=el(a1, 2),
                version=el(a1, 3) or None, transaction_sets=sets,
                status=self.status(ak9, 1), included=self.count(ak9, 2),
                received=self.count(ak9, 3), accepted=self.count(ak9, 4), codes=codes,
            )
        except ValidationError as err:
            name = {"$.functional_id": (ak1, "AK101"), "$.group_control_number": (ak1, "AK102"),
                    "$.version": (ak1, "AK103")}.get(err.path or "", (ak9, "AK905"))
            self.fail(err.message, *name)

    def context(self, i: int, current: _Set) -> None:
        parts = self.composite(i, 1)
        if current.ik3 >= 0 and parts[0] == "CLM01" and len(parts) > 1:
            try:
                current.ik3_fields["claim_id"] = ClaimId(parts[1])
            except ValidationError:
                self.warn(WarningCode.INVALID_VALUE, "the CLM01 named is not a claimcore "
                          "claim id; it was ignored", i, "CTX01-2")

    def element_error(self, i: int) -> ElementError:
        row = self.rows[i]
        parts = self.composite(i, 1)
        position = self.number(i, parts[0], "IK401-1", required=True)
        try:
            return ElementError(
                position=position or 0,
                component=self.number(i, parts[1] if len(parts) > 1 else "", "IK401-2"),
                repetition=self.number(i, parts[2] if len(parts) > 2 else "", "IK401-3"),
                reference=self.number(i, self.el(row, 2), "IK402"),
                code=self.el(row, 3), bad_data=self.el(row, 4)[:99] or None,
            )
        except ValidationError as err:
            element = {"$.code": "IK403", "$.reference": "IK402"}.get(err.path or "", "IK401")
            self.fail(err.message, i, element)

    def close_segment(self, current: _Set) -> None:
        i = current.ik3
        if i < 0:
            return
        row = self.rows[i]
        try:
            current.segments.append(SegmentError(
                segment_id=self.el(row, 1),
                position=self.number(i, self.el(row, 2), "IK302", required=True) or 0,
                loop=self.el(row, 3) or None, code=self.el(row, 4) or None,
                claim_id=current.ik3_fields.get("claim_id"),  # type: ignore[arg-type]
                elements=current.elements,
            ))
        except ValidationError as err:
            element = {"$.segment_id": "IK301", "$.position": "IK302", "$.loop": "IK303"
                       }.get(err.path or "", "IK304")
            self.fail(err.message, i, element)
        current.ik3 = -1
        current.elements = []

    def transaction_set(self, current: _Set, ik5: int) -> TransactionSetAcknowledgement:
        ak2 = self.rows[current.ak2]
        row = self.rows[ik5]
        try:
            return TransactionSetAcknowledgement(
                set_id=self.el(ak2, 1), control_number=self.el(ak2, 2),
                implementation=self.el(ak2, 3) or None, status=self.status(ik5, 1),
                codes=[v for v in row[2:7] if v], segment_errors=current.segments,
            )
        except ValidationError as err:
            where = {"$.set_id": (current.ak2, "AK201"),
                     "$.control_number": (current.ak2, "AK202"),
                     "$.implementation": (current.ak2, "AK203")}.get(err.path or "",
                                                                    (ik5, "IK501"))
            self.fail(err.message, *where)


def read_999_with_warnings(text: str) -> ReadResult[ImplementationAcknowledgement]:
    """Every 999 of an interchange (one per functional group acknowledged), with the
    warnings about what was tolerated."""
    delims, rows, warnings, found = transactions(text)
    reader = _Reader999(rows, delims, warnings)
    out: list[ImplementationAcknowledgement] = []
    for t in found:
        require_set(rows, t, st01="999", guide=GUIDE, values="acknowledgements",
                    is_a="a 999 implementation acknowledgement")
        out.append(reader.read(t))
    return ReadResult(out, warnings)


def read_999(text: str) -> tuple[ImplementationAcknowledgement, ...]:
    """Every 999 implementation acknowledgement (005010X231A1) of an interchange.

    Raises :class:`~claimcore.x12.X12Error` for a 4010 file, another transaction set, or
    a status, count or error code a 999 does not have.
    """
    return read_999_with_warnings(text).values


def read_ta1(text: str) -> tuple[InterchangeAcknowledgement, ...]:
    """Every ``TA1`` interchange acknowledgement of an interchange, in order.

    A TA1 stands between the ``ISA`` and the ``IEA`` (before any functional group): it
    acknowledges the envelope of the interchange ``TA101`` names. Raises
    :class:`~claimcore.x12.X12Error` when the text holds none, or for a TA1 whose date,
    time, code or note is not one the standard has.
    """
    delims, rows, warnings = scan(text)
    reader = ElementReader(rows, delims, warnings)
    out: list[InterchangeAcknowledgement] = []
    for i, row in enumerate(rows):
        if row[0] != "TA1":
            continue
        status = _STATUSES.get(reader.el(row, 4))
        if status is None:
            reader.fail("must be A, E or R", i, "TA104")
        day = reader.el(row, 2)
        on = reader.date_of("20" + day if len(day) == 6 else "", i, "TA102", quiet=True)
        if on is None:
            reader.fail("must be the interchange date (YYMMDD)", i, "TA102")
        try:
            out.append(InterchangeAcknowledgement(
                control_number=reader.el(row, 1), on=on, time=reader.el(row, 3),
                status=status, note=reader.el(row, 5)))
        except ValidationError as err:
            element = {"$.control_number": "TA101", "$.time": "TA103",
                       "$.status": "TA104"}.get(err.path or "", "TA105")
            reader.fail(err.message, i, element)
    if not out:
        raise X12Error("the interchange holds no TA1 segment", segment_number=1,
                       segment_id=rows[0][0] if rows else None)
    return tuple(out)
