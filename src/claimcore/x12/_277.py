"""Claim acknowledgements: the 277CA in (005010X214), and the claim transitions it drives.

:func:`read_277ca` reads every claim status tracking loop (2200D, under a patient level
``HL*...*PT``) of a 277CA into a :class:`ClaimAcknowledgement`: the patient control
number the claim was sent with (``TRN02``), the payer's claim number (``REF*1K``), the
charge (``STC04``), the status date (``STC02``) and one :class:`ClaimStatusEntry` per
status composite (``STC01``, ``STC10``, ``STC11``) of the claim-level ``STC`` segments.
Service line loops (2220D, from an ``SVC``) are not read. :func:`apply_277ca` moves the
submitted claims they are about to ``accepted`` or ``rejected``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Final, NoReturn

import attrs

from claimcore._validate import (
    a_date,
    aware_datetime,
    instance,
    members,
    optional_instance,
    optional_text,
    text,
    to_tuple,
)
from claimcore.claims import Claim, ClaimStatus, RejectionReason, acknowledge, reject
from claimcore.errors import ValidationError
from claimcore.ids import ClaimId, PayerClaimNumber
from claimcore.money import Money
from claimcore.x12._envelope import RawTransaction, envelopes
from claimcore.x12._tokens import Delimiters, scan
from claimcore.x12._warnings import WarningCode, X12Error, X12Warning

__all__ = [
    "ACCEPTED_CATEGORIES",
    "REJECTED_CATEGORIES",
    "AcknowledgementResult",
    "ClaimAcknowledgement",
    "ClaimStatusEntry",
    "apply_277ca",
    "read_277ca",
    "read_277ca_with_warnings",
]

ACKNOWLEDGEMENT_GUIDE: Final = "005010X214"
ACCEPTED_CATEGORIES: Final = frozenset({"A1", "A2", "A5"})
"""277CA claim status categories that accept a claim: ``A1`` acknowledged (receipt),
``A2`` accepted into the adjudication system, ``A5`` split claim."""
REJECTED_CATEGORIES: Final = frozenset({"A3", "A4", "A6", "A7", "A8"})
"""277CA claim status categories that reject a claim: ``A3`` returned as unprocessable,
``A4`` not found, ``A6`` missing information, ``A7`` invalid information, ``A8``
relational field in error."""

_CATEGORY: Final = re.compile(r"[A-Z][0-9]{1,2}")
_STATUS_CODE: Final = re.compile(r"[0-9]{1,5}")
_ENTITY: Final = re.compile(r"[0-9A-Z]{1,3}")
_AMOUNT: Final = re.compile(r"-?[0-9]{1,13}(?:\.[0-9]{0,2})?|-?\.[0-9]{1,2}")
_STATUS_ELEMENTS: Final = (1, 10, 11)  # STC01, STC10, STC11: the status composites


@attrs.frozen(kw_only=True)
class ClaimStatusEntry:
    """One status a 277CA gives a claim: an ``STC01`` (or ``STC10``, ``STC11``) composite.

    ``category`` is the claim status category code (``A1`` acknowledged, ``A2`` accepted,
    ``A3``/``A6``/``A7`` rejected...; ``STC01-1``), ``status`` the claim status code
    (``20`` accepted for processing, ``562`` entity's NPI...; ``STC01-2``), ``entity``
    the entity identifier code it concerns (``85`` billing provider, ``QC`` patient;
    ``STC01-3``). ``text`` is the segment's free-form message ``STC12`` (kept out of
    ``repr``: payers sometimes quote PHI there).
    """

    category: str
    status: str
    entity: str | None = None
    text: str | None = attrs.field(default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        text(self.category, "$.category", pattern=_CATEGORY,
             expected="a claim status category code such as A1, A2 or A7")
        text(self.status, "$.status", pattern=_STATUS_CODE,
             expected="a claim status code of 1 to 5 digits")
        optional_text(self.entity, "$.entity", pattern=_ENTITY,
                      expected="an entity identifier code such as 85, IL or QC")
        optional_text(self.text, "$.text", max_len=264, phi=True)

    @property
    def accepted(self) -> bool:
        """The category accepts the claim (``A1``, ``A2``, ``A5``)."""
        return self.category in ACCEPTED_CATEGORIES

    @property
    def rejected(self) -> bool:
        """The category rejects the claim (``A3``, ``A4``, ``A6``, ``A7``, ``A8``)."""
        return self.category in REJECTED_CATEGORIES


def _entries(value: Iterable[ClaimStatusEntry]) -> tuple[ClaimStatusEntry, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class ClaimAcknowledgement:
    """What a 277CA says about one claim (loop 2200D).

    ``claim_id`` is the patient control number the claim was sent with (``TRN02``,
    echoing 837 ``CLM01``); ``payer_claim_number`` the payer's (or clearinghouse's)
    claim control number (``REF*1K``); ``total_charge`` ``STC04`` and ``status_date``
    ``STC02`` of the first claim-level ``STC``; ``statuses`` every status composite of
    the claim-level ``STC`` segments, in order (at least one).
    """

    claim_id: ClaimId
    statuses: tuple[ClaimStatusEntry, ...] = attrs.field(converter=_entries)
    payer_claim_number: PayerClaimNumber | None = None
    total_charge: Money | None = None
    status_date: date | None = None

    def __attrs_post_init__(self) -> None:
        instance(self.claim_id, ClaimId, "$.claim_id")
        members(self.statuses, ClaimStatusEntry, "$.statuses")
        if not self.statuses:
            raise ValidationError("an acknowledgement has at least one status",
                                  path="$.statuses", rule="empty")
        optional_instance(self.payer_claim_number, PayerClaimNumber, "$.payer_claim_number")
        optional_instance(self.total_charge, Money, "$.total_charge")
        if self.status_date is not None:
            a_date(self.status_date, "$.status_date")

    @property
    def accepted(self) -> bool:
        """Every status accepts the claim (``A1``, ``A2``, ``A5``)."""
        return all(s.accepted for s in self.statuses)

    @property
    def rejected(self) -> bool:
        """Some status rejects the claim (``A3``, ``A4``, ``A6``, ``A7``, ``A8``).

        An acknowledgement may be neither (``A0`` forwarded, ``E`` codes): it moves no claim.
        """
        return any(s.rejected for s in self.statuses)

    def rejection_reasons(self) -> tuple[RejectionReason, ...]:
        """The rejecting statuses as the claim's :class:`~claimcore.claims.RejectionReason`."""
        return tuple(
            RejectionReason(category=s.category, status_code=s.status, entity=s.entity,
                            text=s.text)
            for s in self.statuses if s.rejected
        )


# ---------------------------------------------------------------- reading


@attrs.define(slots=True)
class _Open:
    trn: int
    claim_id: ClaimId
    statuses: list[ClaimStatusEntry] = attrs.Factory(list)
    payer_claim_number: PayerClaimNumber | None = None
    total_charge: Money | None = None
    status_date: date | None = None
    in_line: bool = False


class _Reader277:
    def __init__(self, rows: list[list[str]], delims: Delimiters,
                 warnings: list[X12Warning]) -> None:
        self.rows = rows
        self.delims = delims
        self.warnings = warnings

    def fail(self, message: str, i: int, element: str | None = None) -> NoReturn:
        raise X12Error(message, segment_number=i + 1, segment_id=self.rows[i][0],
                       element=element)

    def warn(self, code: WarningCode, message: str, i: int, element: str) -> None:
        self.warnings.append(X12Warning(code=code, message=message, segment_number=i + 1,
                                        segment_id=self.rows[i][0], element=element))

    @staticmethod
    def el(row: list[str], k: int) -> str:
        return row[k] if k < len(row) else ""

    def read(self, t: RawTransaction) -> list[ClaimAcknowledgement]:
        rows = self.rows
        el = self.el
        out: list[ClaimAcknowledgement] = []
        current: _Open | None = None
        patient = False
        for i in range(t.st + 1, t.se):
            row = rows[i]
            seg = row[0]
            if seg == "HL":
                if current is not None:
                    out.append(self.close(current))
                    current = None
                patient = el(row, 3) == "PT"
            elif not patient:
                continue
            elif seg == "TRN":
                if current is not None:
                    out.append(self.close(current))
                current = _Open(trn=i, claim_id=self.claim_id(i))
            elif current is None:
                if seg == "STC":
                    self.fail("a claim status (STC) must follow the claim's TRN in loop 2200D",
                              i)
                continue
            elif seg == "SVC":
                current.in_line = True
            elif current.in_line:
                continue
            elif seg == "STC":
                self.status(i, current)
            elif seg == "REF" and el(row, 1) == "1K" and current.payer_claim_number is None:
                value = el(row, 2).strip()
                try:
                    current.payer_claim_number = PayerClaimNumber(value)
                except ValidationError as err:
                    self.fail(f"must be a payer claim control number: {err.message}", i,
                              "REF02")
        if current is not None:
            out.append(self.close(current))
        return out

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

    def status(self, i: int, current: _Open) -> None:
        row = self.rows[i]
        el = self.el
        message = el(row, 12).strip() or None
        sep = self.delims.component
        first = not current.statuses
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
            current.statuses.append(entry)
        if message is not None and len(message) > 264:
            self.warn(WarningCode.INVALID_VALUE, "is longer than 264 characters; it was "
                      "ignored", i, "STC12")
        if first:
            current.status_date = self.day(el(row, 2), i, "STC02")
            current.total_charge = self.money(el(row, 4), i, "STC04")

    def day(self, value: str, i: int, element: str) -> date | None:
        if not value:
            return None
        if len(value) == 8 and value.isascii() and value.isdigit():
            try:
                return date(int(value[:4]), int(value[4:6]), int(value[6:]))
            except ValueError:
                pass
        self.warn(WarningCode.INVALID_DATE, "is not a calendar date (CCYYMMDD); it was "
                  "ignored", i, element)
        return None

    def money(self, value: str, i: int, element: str) -> Money | None:
        if not value:
            return None
        if _AMOUNT.fullmatch(value) is None:
            self.fail("must be an amount in whole cents", i, element)
        try:
            return Money(Decimal(value))
        except ValidationError as err:
            self.fail(err.message, i, element)

    def close(self, current: _Open) -> ClaimAcknowledgement:
        if not current.statuses:
            self.fail("the claim status loop (2200D) has no claim-level STC", current.trn)
        return ClaimAcknowledgement(
            claim_id=current.claim_id, statuses=current.statuses,
            payer_claim_number=current.payer_claim_number,
            total_charge=current.total_charge, status_date=current.status_date,
        )


def _guide(rows: list[list[str]], t: RawTransaction) -> None:
    st_row = rows[t.st]
    st01 = st_row[1] if len(st_row) > 1 else ""
    if st01 != "277":
        raise X12Error(f"this is a {st01[:3]!r} transaction set, not a 277CA acknowledgement",
                       segment_number=t.st + 1, segment_id="ST", element="ST01")
    if t.version.startswith("004") or rows[t.isa][12].startswith("0040"):
        raise X12Error(
            "this is a 4010 interchange; claimcore reads 5010 (005010X214) acknowledgements",
            segment_number=t.gs + 1, segment_id="GS", element="GS08",
        )
    st03 = st_row[3] if len(st_row) > 3 else ""
    guide, element, number = (st03, "ST03", t.st) if st03 else (t.version, "GS08", t.gs)
    if guide and "X214" not in guide:
        raise X12Error(
            "this 277 is not a claim acknowledgement (005010X214); a claim status "
            "response (005010X212) is not read here",
            segment_number=number + 1, segment_id=rows[number][0], element=element,
        )


def read_277ca_with_warnings(
    raw: str,
) -> tuple[tuple[ClaimAcknowledgement, ...], tuple[X12Warning, ...]]:
    """Every claim acknowledgement of a 277CA interchange, and the warnings about what was
    tolerated."""
    delims, rows, warnings = scan(raw)
    found = envelopes(rows, warnings)
    if not found:
        raise X12Error("the interchange holds no transaction set", segment_number=1,
                       segment_id="ISA")
    reader = _Reader277(rows, delims, warnings)
    out: list[ClaimAcknowledgement] = []
    for t in found:
        _guide(rows, t)
        out.extend(reader.read(t))
    return tuple(out), tuple(warnings)


def read_277ca(raw: str) -> tuple[ClaimAcknowledgement, ...]:
    """Every claim acknowledgement (one per loop 2200D) of a 277CA (005010X214).

    Raises :class:`~claimcore.x12.X12Error` for a 4010 file, another transaction set or
    guide, or a status, claim number or amount a 277CA does not have.
    """
    return read_277ca_with_warnings(raw)[0]


# ---------------------------------------------------------------- applying


def _acks(value: Iterable[ClaimAcknowledgement]) -> tuple[ClaimAcknowledgement, ...]:
    return to_tuple(value)


def _claims(value: Iterable[Claim]) -> tuple[Claim, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class AcknowledgementResult:
    """What :func:`apply_277ca` did.

    ``claims`` are the claims given, in their order, each moved or left as it was;
    ``unmatched`` the acknowledgements about no claim given; ``skipped`` the
    acknowledgements that moved no claim: their claim is not ``submitted`` (already
    acknowledged, rejected, ...), two claims given share their id, or the acknowledgement
    neither accepts nor rejects (``A0`` forwarded, ``E`` codes).
    """

    claims: tuple[Claim, ...] = attrs.field(converter=_claims)
    unmatched: tuple[ClaimAcknowledgement, ...] = attrs.field(default=(), converter=_acks)
    skipped: tuple[ClaimAcknowledgement, ...] = attrs.field(default=(), converter=_acks)

    def __attrs_post_init__(self) -> None:
        members(self.claims, Claim, "$.claims")
        members(self.unmatched, ClaimAcknowledgement, "$.unmatched")
        members(self.skipped, ClaimAcknowledgement, "$.skipped")


def apply_277ca(
    claims: Iterable[Claim],
    acknowledgements: Iterable[ClaimAcknowledgement],
    *,
    at: datetime,
) -> AcknowledgementResult:
    """Move each submitted claim a 277CA accepts to ``accepted`` and each it rejects to
    ``rejected``, in the order of the acknowledgements.

    Claims are matched by :meth:`~claimcore.ids.ClaimId.normalized`. An accepting
    acknowledgement calls :func:`~claimcore.claims.acknowledge` with its payer claim
    number; a rejecting one :func:`~claimcore.claims.reject` with a
    :class:`~claimcore.claims.RejectionReason` per rejecting status.
    """
    given = members(tuple(claims), Claim, "$.claims")
    acks = members(tuple(acknowledgements), ClaimAcknowledgement, "$.acknowledgements")
    aware_datetime(at, "$.at")
    out = list(given)
    index: dict[str, int] = {}
    ambiguous: set[str] = set()
    for k, claim in enumerate(given):
        key = claim.id.normalized()
        if key in index:
            ambiguous.add(key)
        index[key] = k
    unmatched: list[ClaimAcknowledgement] = []
    skipped: list[ClaimAcknowledgement] = []
    for ack in acks:
        key = ack.claim_id.normalized()
        found = index.get(key)
        if found is None:
            unmatched.append(ack)
            continue
        k = found
        claim = out[k]
        if key in ambiguous or claim.status is not ClaimStatus.SUBMITTED:
            skipped.append(ack)
        elif ack.rejected:
            out[k] = reject(claim, at=at, reasons=ack.rejection_reasons())
        elif ack.accepted:
            out[k] = acknowledge(claim, at=at, payer_claim_number=ack.payer_claim_number)
        else:
            skipped.append(ack)
    return AcknowledgementResult(claims=out, unmatched=unmatched, skipped=skipped)
