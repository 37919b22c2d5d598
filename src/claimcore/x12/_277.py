"""Claim acknowledgements: the 277CA read (005010X214).

:func:`read_277ca` reads every claim status tracking loop (2200D, under a patient level
``HL*...*PT``) of a 277CA into a :class:`~claimcore.claims.ClaimAcknowledgement`: the
patient control number the claim was sent with (``TRN02``), the payer's claim number
(``REF*1K``), the charge (``STC04``), the status date (``STC02``) and one
:class:`~claimcore.claims.ClaimStatusEntry` per status composite (``STC01``, ``STC10``,
``STC11``) of the claim-level ``STC`` segments, and one
:class:`~claimcore.claims.LineAcknowledgement` per service line loop (2220D, from an
``SVC``: its code, charge, ``REF*FJ`` and ``STC`` statuses). The values and
:func:`~claimcore.claims.apply_277ca`, which moves the submitted claims they are about to
``accepted`` or ``rejected`` (and reports accepted claims with rejected lines), live in
:mod:`claimcore.claims.acknowledgement`.
"""

from __future__ import annotations

from datetime import date
from typing import Final

import attrs

from claimcore.claims.acknowledgement import (
    ClaimAcknowledgement,
    ClaimStatusEntry,
    LineAcknowledgement,
)
from claimcore.errors import ValidationError
from claimcore.ids import ClaimId, PayerClaimNumber
from claimcore.money import Money
from claimcore.x12._elements import ElementReader
from claimcore.x12._envelope import RawTransaction, require_set, transactions
from claimcore.x12._tokens import Delimiters
from claimcore.x12._warnings import ReadResult, UnreadItem, WarningCode, X12Error, X12Warning

__all__ = ["read_277ca", "read_277ca_with_warnings"]

ACKNOWLEDGEMENT_GUIDE: Final = "005010X214"
_STATUS_ELEMENTS: Final = (1, 10, 11)  # STC01, STC10, STC11: the status composites
_MAX_REASON: Final = 500
_MAX_KEY: Final = 80


@attrs.define(slots=True)
class _Line:
    svc: int
    qualifier: str
    procedure: str
    charge: Money | None
    statuses: list[ClaimStatusEntry] = attrs.Factory(list)
    line_ref: str | None = None


@attrs.define(slots=True)
class _Open:
    trn: int
    claim_id: ClaimId
    statuses: list[ClaimStatusEntry] = attrs.Factory(list)
    payer_claim_number: PayerClaimNumber | None = None
    total_charge: Money | None = None
    status_date: date | None = None
    lines: list[LineAcknowledgement] = attrs.Factory(list)
    line: _Line | None = None


class _Reader277(ElementReader):
    """Reads the rows of one 277CA transaction set into claim acknowledgements; with
    ``salvage``, a claim status loop it cannot read is set aside (:attr:`unread`)."""

    def __init__(self, rows: list[list[str]], delims: Delimiters,
                 warnings: list[X12Warning], *, salvage: bool) -> None:
        super().__init__(rows, delims, warnings)
        self.salvage = salvage
        self.unread: list[UnreadItem] = []

    def lose(self, trn: int, err: X12Error) -> None:
        """Set the claim status loop whose ``TRN`` is row ``trn`` aside (strict: raise)."""
        if not self.salvage:
            raise err
        reason = str(err)[:_MAX_REASON]
        self.unread.append(UnreadItem(
            kind="claim acknowledgement", segment_number=trn + 1,
            segment_id=self.rows[trn][0], reason=reason,
            key=self.el(self.rows[trn], 2).strip()[:_MAX_KEY],
        ))
        self.warn(WarningCode.ITEM_NOT_READ,
                  f"the claim status loop was not read and is in unread: {reason}"
                  [:_MAX_REASON], trn, "TRN02")

    def read(self, t: RawTransaction) -> list[ClaimAcknowledgement]:
        rows = self.rows
        out: list[ClaimAcknowledgement] = []
        current: _Open | None = None
        patient = False
        skipping = -1  # the TRN row of a loop set aside, up to the next TRN or HL
        for i in range(t.st + 1, t.se):
            row = rows[i]
            seg = row[0]
            if seg == "HL" or (seg == "TRN" and patient):
                skipping = -1
                if current is not None:
                    try:
                        out.append(self.close(current))
                    except X12Error as err:
                        self.lose(current.trn, err)
                    current = None
                if seg == "HL":
                    patient = self.el(row, 3) == "PT"
                    continue
                try:
                    current = _Open(trn=i, claim_id=self.claim_id(i))
                except X12Error as err:
                    self.lose(i, err)
                    skipping = i
                continue
            if not patient or skipping >= 0:
                continue
            if current is None:
                if seg == "STC":
                    self.fail("a claim status (STC) must follow the claim's TRN in loop 2200D",
                              i)
                continue
            try:
                self.segment(i, current)
            except X12Error as err:
                self.lose(current.trn, err)
                current = None
                skipping = i
        if current is not None:
            try:
                out.append(self.close(current))
            except X12Error as err:
                self.lose(current.trn, err)
        return out

    def segment(self, i: int, current: _Open) -> None:
        """Row ``i`` of a claim status loop (2200D) or of one of its lines (2220D)."""
        row = self.rows[i]
        seg = row[0]
        el = self.el
        if seg == "SVC":
            self.end_line(current)
            parts = self.composite(i, 1)
            current.line = _Line(svc=i, qualifier=parts[0][:2],
                                 procedure=(parts[1] if len(parts) > 1 else "")[:48],
                                 charge=self.money(i, 2, required=False))
        elif current.line is not None:
            line = current.line
            if seg == "STC":
                line.statuses.extend(self.entries(i))
            elif seg == "REF" and el(row, 1) == "FJ" and line.line_ref is None:
                line.line_ref = el(row, 2).strip()[:50] or None
        elif seg == "STC":
            self.status(i, current)
        elif seg == "REF" and el(row, 1) == "1K" and current.payer_claim_number is None:
            value = el(row, 2).strip()
            try:
                current.payer_claim_number = PayerClaimNumber(value)
            except ValidationError as err:
                self.fail(f"must be a payer claim control number: {err.message}", i,
                          "REF02")

    def end_line(self, current: _Open) -> None:
        line = current.line
        if line is None:
            return
        current.line = None
        if not line.statuses:
            self.fail("the service line status loop (2220D) has no STC", line.svc)
        current.lines.append(LineAcknowledgement(
            statuses=line.statuses, qualifier=line.qualifier, procedure=line.procedure,
            charge=line.charge, line_ref=line.line_ref,
        ))

    def claim_id(self, i: int) -> ClaimId:
        row = self.rows[i]
        if self.el(row, 1) != "2":
            self.fail("the claim's TRN in loop 2200D has trace type 2 (referenced "
                      "transaction)", i, "TRN01")
        try:
            return ClaimId(self.el(row, 2).strip())
        except ValidationError as err:
            self.fail(f"must be the claim's patient control number: {err.message}", i,
                      "TRN02")

    def entries(self, i: int) -> list[ClaimStatusEntry]:
        """The status composites (``STC01``, ``STC10``, ``STC11``) of the ``STC`` row ``i``."""
        row = self.rows[i]
        el = self.el
        message = el(row, 12).strip() or None
        sep = self.delims.component
        found: list[ClaimStatusEntry] = []
        for k in _STATUS_ELEMENTS:
            value = el(row, k)
            if not value:
                if k == 1:
                    self.fail("is required: the claim status composite", i, "STC01")
                continue
            parts = value.split(sep)
            category, status = parts[0], parts[1] if len(parts) > 1 else ""
            entity = parts[2] if len(parts) > 2 and parts[2] else None
            name = f"STC{k:02d}"
            try:
                entry = ClaimStatusEntry(category=category, status=status, entity=entity,
                                         text=message if message and len(message) <= 264
                                         else None)
            except ValidationError as err:
                part = {"$.category": "-1", "$.status": "-2", "$.entity": "-3"}.get(
                    err.path, "")
                self.fail(err.message, i, name + part)
            found.append(entry)
        if message is not None and len(message) > 264:
            self.warn(WarningCode.INVALID_VALUE, "is longer than 264 characters; it was "
                      "ignored", i, "STC12")
        return found

    def status(self, i: int, current: _Open) -> None:
        first = not current.statuses
        current.statuses.extend(self.entries(i))
        if first:
            current.status_date = self.day(i, 2)
            current.total_charge = self.money(i, 4, required=False)

    def close(self, current: _Open) -> ClaimAcknowledgement:
        self.end_line(current)
        if not current.statuses:
            self.fail("the claim status loop (2200D) has no claim-level STC", current.trn)
        return ClaimAcknowledgement(
            claim_id=current.claim_id, statuses=current.statuses,
            payer_claim_number=current.payer_claim_number,
            total_charge=current.total_charge, status_date=current.status_date,
            lines=current.lines,
        )


def _guide(rows: list[list[str]], t: RawTransaction) -> None:
    require_set(rows, t, st01="277", guide=ACKNOWLEDGEMENT_GUIDE, values="acknowledgements",
                is_a="a 277CA acknowledgement")
    st_row = rows[t.st]
    st03 = st_row[3] if len(st_row) > 3 else ""
    guide, element, number = (st03, "ST03", t.st) if st03 else (t.version, "GS08", t.gs)
    if guide and "X214" not in guide:
        raise X12Error(
            "this 277 is not a claim acknowledgement (005010X214); a claim status "
            "response (005010X212) is not read here",
            segment_number=number + 1, segment_id=rows[number][0], element=element,
        )


def read_277ca_with_warnings(raw: str) -> ReadResult[ClaimAcknowledgement]:
    """Every claim acknowledgement of a 277CA interchange (``values``), the warnings about
    what was tolerated (``warnings``) and the claim status loops it could not read
    (``unread``): a fault inside one loop 2200D (a patient control number, status or
    amount it cannot read, a loop or line without its ``STC``) sets that loop aside, with
    an ``item-not-read`` warning, and the others are read. :func:`read_277ca` refuses the
    file instead."""
    return _read(raw, salvage=True)


def _read(raw: str, *, salvage: bool) -> ReadResult[ClaimAcknowledgement]:
    delims, rows, warnings, found = transactions(raw)
    reader = _Reader277(rows, delims, warnings, salvage=salvage)
    out: list[ClaimAcknowledgement] = []
    for t in found:
        _guide(rows, t)
        out.extend(reader.read(t))
    return ReadResult(out, warnings, unread=reader.unread)


def read_277ca(raw: str) -> tuple[ClaimAcknowledgement, ...]:
    """Every claim acknowledgement (one per loop 2200D) of a 277CA (005010X214).

    Raises :class:`~claimcore.x12.X12Error` for a 4010 file, another transaction set or
    guide, or a status, claim number or amount a 277CA does not have.
    """
    return _read(raw, salvage=False).values
