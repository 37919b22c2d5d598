"""Claim acknowledgements: what a 277CA says about each claim, and the transitions it drives.

A :class:`ClaimAcknowledgement` is one claim status tracking loop (2200D) of a 277CA
(005010X214) as a value: the patient control number the claim was sent with, the payer's
claim number, the charge, the status date and one :class:`ClaimStatusEntry` per status
composite. Nothing here reads X12 text (:func:`claimcore.x12.read_277ca` does);
:func:`apply_277ca` moves the submitted claims they are about to ``accepted``
(:func:`~claimcore.claims.acknowledge`) or ``rejected`` (:func:`~claimcore.claims.reject`),
following the one table of :mod:`claimcore.claims.lifecycle`.

>>> entry = ClaimStatusEntry(category="A7", status="562", entity="85")
>>> entry.rejected
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Final

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
from claimcore.claims._ack999 import (
    AckStatus,
    ImplementationAcknowledgement,
    TransactionSetAcknowledgement,
)
from claimcore.claims._claim import Claim, ClaimStatus, RejectionReason
from claimcore.claims.lifecycle import acknowledge, reject
from claimcore.errors import ValidationError
from claimcore.ids import ClaimId, PayerClaimNumber
from claimcore.money import Money

__all__ = [
    "ACCEPTED_CATEGORIES",
    "REJECTED_CATEGORIES",
    "AcknowledgementResult",
    "ClaimAcknowledgement",
    "ClaimStatusEntry",
    "LineAcknowledgement",
    "apply_277ca",
    "apply_999",
]

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
class LineAcknowledgement:
    """What a 277CA says about one service line of a claim (loop 2220D, from an ``SVC``).

    ``procedure`` is the line's code as sent (``SVC01-2``: ``99213``; with its qualifier
    in ``qualifier``, ``SVC01-1``: ``HC``, ``NU``), ``charge`` ``SVC02``, ``line_ref`` the
    line item control number (``REF*FJ``, echoing 837 ``REF*6R``), ``statuses`` every
    status composite of the line's ``STC`` segments (at least one).
    """

    statuses: tuple[ClaimStatusEntry, ...] = attrs.field(converter=_entries)
    qualifier: str = ""
    procedure: str = ""
    charge: Money | None = None
    line_ref: str | None = None

    def __attrs_post_init__(self) -> None:
        members(self.statuses, ClaimStatusEntry, "$.statuses")
        if not self.statuses:
            raise ValidationError("a line acknowledgement has at least one status",
                                  path="$.statuses", rule="empty")
        text(self.qualifier, "$.qualifier", min_len=0, max_len=2)
        text(self.procedure, "$.procedure", min_len=0, max_len=48)
        optional_instance(self.charge, Money, "$.charge")
        optional_text(self.line_ref, "$.line_ref", max_len=50)

    @property
    def rejected(self) -> bool:
        """Some status rejects the line (``A3``, ``A4``, ``A6``, ``A7``, ``A8``)."""
        return any(s.rejected for s in self.statuses)


def _lines(value: Iterable[LineAcknowledgement]) -> tuple[LineAcknowledgement, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class ClaimAcknowledgement:
    """What a 277CA says about one claim (loop 2200D).

    ``claim_id`` is the patient control number the claim was sent with (``TRN02``,
    echoing 837 ``CLM01``); ``payer_claim_number`` the payer's (or clearinghouse's)
    claim control number (``REF*1K``); ``total_charge`` ``STC04`` and ``status_date``
    ``STC02`` of the first claim-level ``STC``; ``statuses`` every status composite of
    the claim-level ``STC`` segments, in order (at least one); ``lines`` the service
    lines the 277CA gives statuses of (loop 2220D), in order. A claim accepted with a
    rejected line (:attr:`rejected_lines`) is accepted, but that line will not be
    adjudicated: :func:`apply_277ca` reports it.
    """

    claim_id: ClaimId
    statuses: tuple[ClaimStatusEntry, ...] = attrs.field(converter=_entries)
    payer_claim_number: PayerClaimNumber | None = None
    total_charge: Money | None = None
    status_date: date | None = None
    lines: tuple[LineAcknowledgement, ...] = attrs.field(default=(), converter=_lines)

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
        members(self.lines, LineAcknowledgement, "$.lines")

    @property
    def rejected_lines(self) -> tuple[LineAcknowledgement, ...]:
        """The service lines some status rejects, in order."""
        return tuple(line for line in self.lines if line.rejected)

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
    neither accepts nor rejects (``A0`` forwarded, ``E`` codes). ``line_rejections`` are
    the acknowledgements that accepted their claim but rejected some of its lines
    (:attr:`ClaimAcknowledgement.rejected_lines`): the claim was moved to ``accepted``,
    and those lines will not be adjudicated (correct and resubmit them).
    """

    claims: tuple[Claim, ...] = attrs.field(converter=_claims)
    unmatched: tuple[ClaimAcknowledgement, ...] = attrs.field(default=(), converter=_acks)
    skipped: tuple[ClaimAcknowledgement, ...] = attrs.field(default=(), converter=_acks)
    line_rejections: tuple[ClaimAcknowledgement, ...] = attrs.field(default=(),
                                                                   converter=_acks)

    def __attrs_post_init__(self) -> None:
        members(self.claims, Claim, "$.claims")
        members(self.unmatched, ClaimAcknowledgement, "$.unmatched")
        members(self.skipped, ClaimAcknowledgement, "$.skipped")
        members(self.line_rejections, ClaimAcknowledgement, "$.line_rejections")


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
    line_rejections: list[ClaimAcknowledgement] = []
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
            if ack.rejected_lines:
                line_rejections.append(ack)
        else:
            skipped.append(ack)
    return AcknowledgementResult(claims=out, unmatched=unmatched, skipped=skipped,
                                 line_rejections=line_rejections)


def _set_rejected(ack: ImplementationAcknowledgement, control_number: str | None
                  ) -> tuple[bool, TransactionSetAcknowledgement | None]:
    """Whether the claims' set is rejected, and the set's acknowledgement when known."""
    sets = ack.transaction_sets
    group = ack.status is AckStatus.REJECTED
    if control_number is not None:
        key = text(control_number, "$.control_number", max_len=9).lstrip("0")
        found = [s for s in sets if s.control_number.lstrip("0") == key]
        if not found:
            raise ValidationError("the 999 acknowledges no transaction set with this control "
                                  "number (AK202)", path="$.control_number",
                                  rule="unknown-set")
        return group or found[0].rejected, found[0]
    if len(sets) == 1:
        return group or sets[0].rejected, sets[0]
    rejected = ack.rejected_sets
    if group or not rejected:
        return group, None
    if len(rejected) == len(sets):
        return True, None
    raise ValidationError(
        "the 999 rejects some of its transaction sets, not all: name the set the claims "
        "were sent in (control_number, the 837's ST02)", path="$.control_number",
        rule="which-set",
    )


def apply_999(
    claims: Iterable[Claim],
    ack: ImplementationAcknowledgement,
    *,
    at: datetime,
    control_number: str | None = None,
) -> tuple[Claim, ...]:
    """Reject each submitted claim of a transaction set that a 999 rejects.

    ``claims`` are the claims sent in the 837 transaction set the 999 acknowledges (the
    set whose ``ST02`` is ``control_number`` when the 999 answers several sets and
    rejects only some). A rejected set (``IK501`` ``R``, ``M``, ``W``, ``X``, or the
    whole group, ``AK901`` ``R``) moves every ``submitted`` claim to ``rejected``
    (:func:`~claimcore.claims.reject`) with one
    :class:`~claimcore.claims.RejectionReason`: category ``A3`` (returned as
    unprocessable) and status ``21`` (missing or invalid information), its text naming
    the set and, where a ``CTX`` names the claim, its segment errors. A set accepted,
    or accepted with errors, moves nothing: the 277CA accepts claims. Claims in another
    status are returned as they were.
    """
    given = members(tuple(claims), Claim, "$.claims")
    instance(ack, ImplementationAcknowledgement, "$.ack")
    aware_datetime(at, "$.at")
    rejected, chosen = _set_rejected(ack, control_number)
    if not rejected:
        return given
    where = (f"transaction set {chosen.control_number} (IK501 {chosen.status.value})"
             if chosen is not None and chosen.rejected
             else f"functional group {ack.group_control_number} (AK901 {ack.status.value})")
    out: list[Claim] = []
    for claim in given:
        if claim.status is not ClaimStatus.SUBMITTED:
            out.append(claim)
            continue
        notes = [f"{e.segment_id} at {e.position}: {e.description}"
                 for e in (chosen.segment_errors if chosen is not None else ())
                 if e.claim_id is not None and e.claim_id.normalized() == claim.id.normalized()]
        summary = f"999 rejected {where}" + (f"; {'; '.join(notes)}" if notes else "")
        reason = RejectionReason(category="A3", status_code="21", text=summary[:264])
        out.append(reject(claim, at=at, reasons=[reason], note=summary[:500]))
    return tuple(out)
