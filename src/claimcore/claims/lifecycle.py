"""The claim lifecycle: one transition table and the functions that follow it.

``draft → ready`` (scrubbed with no errors) ``→ submitted → accepted | rejected``;
``rejected → draft`` (corrected); ``accepted → adjudicated``; ``adjudicated → appealed →
adjudicated``; ``adjudicated → closed``; ``closed → adjudicated`` (reopened: a reversal
posted against a closed claim leaves a balance to work); ``voided`` and ``replaced`` from
``submitted``, ``accepted`` or ``adjudicated``. Every function checks :data:`TRANSITIONS`,
leaves its input unchanged, and appends a :class:`ClaimEvent` to the new claim's history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs

from claimcore._validate import aware_datetime, instance, members, optional_instance, text
from claimcore.claims._claim import (
    Adjudication,
    Appeal,
    Claim,
    ClaimEvent,
    ClaimLine,
    ClaimStatus,
    RejectionReason,
)
from claimcore.codes import ClaimFrequency
from claimcore.coverage import AppealRules
from claimcore.errors import InvalidTransition, ValidationError
from claimcore.ids import ClaimId, PayerClaimNumber
from claimcore.money import Money

if TYPE_CHECKING:
    from claimcore.claims.edits import ScrubReport

__all__ = [
    "TRANSITIONS",
    "acknowledge",
    "allowed_events",
    "appeal",
    "close",
    "correct",
    "mark_ready",
    "readjudicate",
    "record_adjudication",
    "reject",
    "reopen",
    "replace",
    "submit",
    "void",
]

_S = ClaimStatus

TRANSITIONS: Final[Mapping[ClaimStatus, Mapping[str, ClaimStatus]]] = MappingProxyType({
    _S.DRAFT: MappingProxyType({"mark_ready": _S.READY, "correct": _S.DRAFT}),
    _S.READY: MappingProxyType({"submit": _S.SUBMITTED, "correct": _S.DRAFT}),
    _S.SUBMITTED: MappingProxyType({
        "acknowledge": _S.ACCEPTED, "reject": _S.REJECTED,
        "void": _S.VOIDED, "replace": _S.REPLACED,
    }),
    _S.ACCEPTED: MappingProxyType({
        "record_adjudication": _S.ADJUDICATED, "void": _S.VOIDED, "replace": _S.REPLACED,
    }),
    _S.REJECTED: MappingProxyType({"correct": _S.DRAFT}),
    _S.ADJUDICATED: MappingProxyType({
        "appeal": _S.APPEALED, "close": _S.CLOSED, "void": _S.VOIDED, "replace": _S.REPLACED,
        "readjudicate": _S.ADJUDICATED,
    }),
    _S.APPEALED: MappingProxyType({"record_adjudication": _S.ADJUDICATED}),
    _S.CLOSED: MappingProxyType({"reopen": _S.ADJUDICATED}),
    _S.VOIDED: MappingProxyType({}),
    _S.REPLACED: MappingProxyType({}),
})
"""For each status, the events it allows and the status each leads to. Voided and replaced
claims are final: they allow no event; a closed claim allows only ``reopen`` (a payer's
reversal of its payment)."""


def allowed_events(claim: Claim) -> frozenset[str]:
    """The events the claim's status allows (the keys of its row in :data:`TRANSITIONS`)."""
    return frozenset(TRANSITIONS[claim.status])


def _target(claim: Claim, event: str) -> ClaimStatus:
    instance(claim, Claim, "$.claim")
    row = TRANSITIONS[claim.status]
    target = row.get(event)
    if target is None:
        raise InvalidTransition(
            subject="claim", current=claim.status.value, event=event, allowed=row.keys()
        )
    return target


def _event(claim: Claim, to: ClaimStatus, at: datetime, reason: str | None) -> ClaimEvent:
    return ClaimEvent(from_status=claim.status, to_status=to, at=at, reason=reason)


def _move(
    claim: Claim, event: str, *, at: datetime, reason: str | None = None, **changes: Any
) -> Claim:
    target = _target(claim, event)
    aware_datetime(at, "$.at")
    if claim.history and at < claim.history[-1].at:
        raise ValidationError(
            "a claim's events are in time order: 'at' is before its last event",
            path="$.at", rule="event-order",
        )
    return attrs.evolve(
        claim, status=target, history=(*claim.history, _event(claim, target, at, reason)),
        **changes,
    )


def mark_ready(claim: Claim, report: ScrubReport, *, at: datetime) -> Claim:
    """A draft claim that a scrub passed with no error, ready to submit.

    ``report`` must be the scrub of this claim at its current ``revision``; a report with
    any error, or for another claim or version, is refused.
    """
    from claimcore.claims.edits import ScrubReport

    _target(claim, "mark_ready")
    instance(report, ScrubReport, "$.report")
    if report.claim_id != claim.id or report.revision != claim.revision:
        raise ValidationError(
            "the scrub report is for another claim or another version of it: scrub again",
            path="$.report", rule="stale-report",
        )
    if report.errors:
        raise ValidationError(
            f"the scrub found {len(report.errors)} error(s): correct the claim first",
            path="$.report", rule="scrub-errors",
        )
    return _move(claim, "mark_ready", at=at)


def submit(claim: Claim, *, at: datetime) -> Claim:
    """Send a ready claim to the payer (837 out)."""
    return _move(claim, "submit", at=at)


def acknowledge(
    claim: Claim, *, at: datetime, payer_claim_number: PayerClaimNumber | None = None
) -> Claim:
    """The payer (or clearinghouse) accepted the claim for processing (277CA ``A1``/``A2``).

    The payer's claim control number, when the acknowledgement carries one, is kept.
    """
    optional_instance(payer_claim_number, PayerClaimNumber, "$.payer_claim_number")
    number = payer_claim_number or claim.payer_claim_number
    return _move(claim, "acknowledge", at=at, payer_claim_number=number)


def reject(
    claim: Claim, *, at: datetime, reasons: Iterable[RejectionReason], note: str | None = None
) -> Claim:
    """The payer or clearinghouse rejected the claim before adjudication (277CA ``A3``...).

    ``reasons`` are what the 277CA's ``STC`` segments said (at least one).
    """
    found = members(tuple(reasons), RejectionReason, "$.reasons")
    if not found:
        raise ValidationError("a rejection has at least one reason", path="$.reasons",
                              rule="empty")
    summary = note or ", ".join(f"{r.category}:{r.status_code}" for r in found)
    return _move(claim, "reject", at=at, reason=summary, rejections=found)


def correct(
    claim: Claim,
    *,
    at: datetime,
    change: Callable[[Claim], Claim] | None = None,
    lines: Iterable[ClaimLine] | None = None,
    reason: str | None = None,
) -> Claim:
    """A corrected draft: ``change`` applied (a function of the claim) or new ``lines``.

    Allowed from draft, ready and rejected. The revision goes up by one, so that a scrub
    of the earlier version cannot mark this one ready; earlier rejection reasons are
    cleared. The change may not alter the claim's id or lifecycle fields.
    """
    _target(claim, "correct")
    changed = claim
    if lines is not None:
        changed = attrs.evolve(changed, lines=tuple(lines))
    if change is not None:
        changed = change(changed)
        instance(changed, Claim, "$.change")
    for name in ("id", "status", "history", "revision", "adjudication", "appeals"):
        if getattr(changed, name) != getattr(claim, name):
            raise ValidationError(
                f"a correction may not change the claim's {name}", path=f"$.{name}",
                rule="correction-scope",
            )
    return _move(
        changed, "correct", at=at, reason=reason, revision=claim.revision + 1, rejections=(),
    )


def record_adjudication(claim: Claim, adjudication: Adjudication, *, at: datetime) -> Claim:
    """The payer's decision (835 ``CLP``): from accepted, or from appealed after an appeal."""
    instance(adjudication, Adjudication, "$.adjudication")
    return _move(
        claim, "record_adjudication", at=at, reason=adjudication.outcome.value,
        adjudication=adjudication, payer_claim_number=adjudication.payer_claim_number,
    )


def readjudicate(
    claim: Claim, adjudication: Adjudication, *, at: datetime, reason: str | None = None
) -> Claim:
    """A new decision on an adjudicated claim: the corrected payment after a reversal
    (835 ``CLP02 = 22`` then a new ``CLP``), or a payer's own reprocessing.

    The earlier adjudication stays in the history (its event); the claim carries the new one.
    """
    instance(adjudication, Adjudication, "$.adjudication")
    return _move(
        claim, "readjudicate", at=at, reason=reason or adjudication.outcome.value,
        adjudication=adjudication, payer_claim_number=adjudication.payer_claim_number,
    )


def appeal(
    claim: Claim,
    *,
    at: datetime,
    rules: AppealRules,
    amount_in_controversy: Money,
    reason: str | None = None,
) -> Claim:
    """Ask the payer to reconsider: the next level of ``rules``, within its deadline.

    The level is one above the claim's last appeal. The deadline counts the level's days
    from the adjudication date; an appeal filed after it, or for less than the level's
    minimum amount in controversy, is refused.
    """
    _target(claim, "appeal")
    aware_datetime(at, "$.at")
    instance(rules, AppealRules, "$.rules")
    instance(amount_in_controversy, Money, "$.amount_in_controversy")
    adjudication = claim.adjudication
    if adjudication is None:  # pragma: no cover - the table only allows adjudicated claims
        raise ValidationError("an appeal needs an adjudication", rule="no-adjudication")
    number = len(claim.appeals) + 1
    if number > len(rules.levels):
        raise ValidationError(
            f"the payer's appeal process has no level {number}", path="$.rules",
            rule="appeal-level",
        )
    level = rules.level(number)
    last_day = level.deadline(adjudication.on)
    filed_on = at.date()
    if filed_on > last_day:
        raise ValidationError(
            f"the deadline for a level {number} appeal has passed", path="$.at",
            rule="appeal-deadline",
        )
    if not level.hears(amount_in_controversy):
        raise ValidationError(
            f"a level {number} appeal needs at least {level.minimum_in_controversy} "
            "in controversy",
            path="$.amount_in_controversy", rule="appeal-minimum",
        )
    filed = Appeal(
        level=number, filed_on=filed_on, deadline=last_day,
        amount_in_controversy=amount_in_controversy, reason=reason,
    )
    return _move(claim, "appeal", at=at, reason=reason, appeals=(*claim.appeals, filed))


def close(claim: Claim, *, at: datetime, reason: str | None = None) -> Claim:
    """Close an adjudicated claim whose balance is settled (nothing more will happen)."""
    return _move(claim, "close", at=at, reason=reason)


def reopen(claim: Claim, *, at: datetime, reason: str | None = None) -> Claim:
    """Reopen a closed claim: back to adjudicated, so its new balance is worked.

    What a payer's reversal (835 ``CLP02 = 22``) of a closed claim's payment does; the
    claim keeps its adjudication until the corrected payment records a new one.
    """
    return _move(claim, "reopen", at=at, reason=reason)


def _original_number(claim: Claim, given: PayerClaimNumber | None) -> PayerClaimNumber:
    optional_instance(given, PayerClaimNumber, "$.original_claim_number")
    number = given or claim.payer_claim_number
    if number is None:
        raise ValidationError(
            "the payer's claim number of the claim is not known: pass original_claim_number",
            path="$.original_claim_number", rule="no-payer-claim-number",
        )
    return number


def _successor(
    claim: Claim, frequency: ClaimFrequency, number: PayerClaimNumber, new_id: ClaimId | None
) -> Claim:
    return attrs.evolve(
        claim,
        id=claim.id if new_id is None else instance(new_id, ClaimId, "$.new_id"),
        frequency=frequency, original_claim_number=number, status=ClaimStatus.DRAFT,
        history=(), revision=0, payer_claim_number=None, rejections=(), adjudication=None,
        appeals=(),
    )


def void(
    claim: Claim,
    *,
    at: datetime,
    original_claim_number: PayerClaimNumber | None = None,
    new_id: ClaimId | None = None,
    reason: str | None = None,
) -> tuple[Claim, Claim]:
    """Cancel a claim the payer has: ``(voided original, void claim)``.

    The void claim (frequency 8) repeats the original's content with the payer's claim
    number of the original (837 ``REF*F8``); it starts as a draft to scrub and submit.
    """
    _target(claim, "void")
    number = _original_number(claim, original_claim_number)
    voided = _move(claim, "void", at=at, reason=reason)
    return voided, _successor(claim, ClaimFrequency.VOID, number, new_id)


def replace(
    claim: Claim,
    *,
    at: datetime,
    change: Callable[[Claim], Claim] | None = None,
    lines: Iterable[ClaimLine] | None = None,
    original_claim_number: PayerClaimNumber | None = None,
    new_id: ClaimId | None = None,
    reason: str | None = None,
) -> tuple[Claim, Claim]:
    """Replace a claim the payer has: ``(replaced original, replacement claim)``.

    The replacement (frequency 7) carries the payer's claim number of the original
    (837 ``REF*F8``), with ``change`` applied or new ``lines``; it starts as a draft.
    """
    _target(claim, "replace")
    number = _original_number(claim, original_claim_number)
    if reason is not None:
        text(reason, "$.reason", max_len=500)
    replaced = _move(claim, "replace", at=at, reason=reason)
    successor = _successor(claim, ClaimFrequency.REPLACEMENT, number, new_id)
    if lines is not None:
        successor = attrs.evolve(successor, lines=tuple(lines))
    if change is not None:
        successor = instance(change(successor), Claim, "$.change")
        if (
            successor.frequency is not ClaimFrequency.REPLACEMENT
            or successor.original_claim_number != number
        ):
            raise ValidationError(
                "a replacement keeps frequency 7 and the original claim number",
                path="$.frequency", rule="correction-scope",
            )
    return replaced, successor
