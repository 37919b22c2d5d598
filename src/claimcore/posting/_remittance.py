"""Posting 835 remittances to the ledger, with the claims' adjudication."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Final, Protocol

import attrs

from claimcore._validate import (
    a_date,
    an_int,
    aware_datetime,
    instance,
    members,
    optional_date,
    optional_instance,
    text,
    to_tuple,
)
from claimcore.charges import PayerContract
from claimcore.claims import (
    Adjudication,
    AdjudicationOutcome,
    Claim,
    ClaimAdjustment,
    ClaimLine,
    ClaimStatus,
    acknowledge,
    readjudicate,
    record_adjudication,
    reopen,
)
from claimcore.codes import CARC, RARC, AdjustmentGroup, ClaimStatusCode
from claimcore.coverage import Coverage
from claimcore.denials import DEFAULT_DENIAL_RULES, AppealOutcome, DenialCategory, DenialRules
from claimcore.errors import PostingError
from claimcore.ids import (
    ClaimId,
    EncounterId,
    MedicalRecordNumber,
    PayerClaimNumber,
    PayerId,
    TransferId,
)
from claimcore.ledger import (
    Account,
    Ledger,
    Transfer,
    TransferCode,
    WriteOffReason,
    post,
    reversal_of,
)
from claimcore.money import Money
from claimcore.posting._common import (
    claim_key,
    credit_balance,
    directed,
    key,
    match_lines,
    payer_key,
    positive,
    transfer_id,
)
from claimcore.posting._common import (
    reference as check_reference,
)
from claimcore.remittance import (
    Adjustment,
    ClaimPayment,
    ProviderAdjustmentReason,
    Remittance,
    ServicePayment,
)

__all__ = [
    "AppealResult",
    "ClaimPosting",
    "Denial",
    "DuplicatePayment",
    "Overpayment",
    "PostingResult",
    "Underpayment",
    "Unmatched",
    "UnmatchedKind",
    "UnreadClaimPayment",
    "UnreadPosting",
    "next_coverage",
    "post_remittance",
    "refund_payer",
    "write_off_denial",
]

_CO: Final = AdjustmentGroup.CONTRACTUAL_OBLIGATION
_PR: Final = AdjustmentGroup.PATIENT_RESPONSIBILITY
_OA: Final = AdjustmentGroup.OTHER_ADJUSTMENT
_PRIOR_PAYER: Final = CARC("23")
"""CARC 23: the impact of prior payer(s) adjudication, including payments and adjustments."""
_NOT_POSTED: Final = frozenset({
    ClaimStatusCode.NOT_OUR_CLAIM_FORWARDED, ClaimStatusCode.PREDETERMINATION,
})
_PLB_INCOME: Final = frozenset({
    ProviderAdjustmentReason.BONUS,
    ProviderAdjustmentReason.INCENTIVE_PREMIUM_PAYMENT,
})
_PLB_RECOUPMENT: Final = frozenset({
    ProviderAdjustmentReason.OVERPAYMENT_RECOVERY,
    ProviderAdjustmentReason.FORWARDING_BALANCE,
    ProviderAdjustmentReason.AUTHORIZED_RETURN,
})
"""PLB reasons that take back (or carry forward) money of one claim, named in ``PLB03-2``."""
_FINAL: Final = frozenset({ClaimStatus.VOIDED, ClaimStatus.REPLACED})


def _total(adjustments: Iterable[Adjustment], zero: Money) -> Money:
    total = zero
    for a in adjustments:
        total = total + a.amount
    return total


def _adjustments(value: Iterable[Adjustment]) -> tuple[Adjustment, ...]:
    return to_tuple(value)


def _rarcs(value: Iterable[RARC]) -> tuple[RARC, ...]:
    return to_tuple(value)


def _transfer_ids(value: Iterable[TransferId]) -> tuple[TransferId, ...]:
    return to_tuple(value)


def _claims(value: Iterable[Claim]) -> tuple[Claim, ...]:
    return to_tuple(value)


def _postings(value: Iterable[ClaimPosting]) -> tuple[ClaimPosting, ...]:
    return to_tuple(value)


def _unmatched(value: Iterable[Unmatched]) -> tuple[Unmatched, ...]:
    return to_tuple(value)


def _denials(value: Iterable[Denial]) -> tuple[Denial, ...]:
    return to_tuple(value)


def _underpayments(value: Iterable[Underpayment]) -> tuple[Underpayment, ...]:
    return to_tuple(value)


def _overpayments(value: Iterable[Overpayment]) -> tuple[Overpayment, ...]:
    return to_tuple(value)


def _duplicates(value: Iterable[DuplicatePayment]) -> tuple[DuplicatePayment, ...]:
    return to_tuple(value)


def _appeals(value: Iterable[AppealResult]) -> tuple[AppealResult, ...]:
    return to_tuple(value)


def _unread_postings(value: Iterable[UnreadPosting]) -> tuple[UnreadPosting, ...]:
    return to_tuple(value)


# -- result values --------------------------------------------------------------------


class UnmatchedKind(enum.StrEnum):
    """Why part of a remittance could not be posted against a claim or claim line."""

    UNKNOWN_CLAIM = "unknown_claim"
    """No claim with that patient control number was billed to this payer: the money is
    posted as unapplied cash on the payer's A/R account (no claim) until it is worked."""
    UNMATCHED_LINE = "unmatched_line"
    """A service line that matches no line of the claim: posted at claim level."""
    REVERSAL_WITHOUT_ORIGINAL = "reversal_without_original"
    """A reversal (status 22) of a payment that was never posted: nothing is posted."""
    NOT_POSTED = "not_posted"
    """Status 23 (not our claim, forwarded) or 25 (predetermination): nothing to post."""


@attrs.frozen(kw_only=True)
class Unmatched:
    """Part of a remittance that did not match, reported rather than dropped.

    ``claim`` is the patient control number as the payer sent it (``CLP01``); ``service``
    the 1-based position of the service line in the claim payment (``None``: the whole
    claim payment); ``amount`` what that part paid.
    """

    kind: UnmatchedKind
    claim: ClaimId
    status: ClaimStatusCode
    amount: Money
    service: int | None = None
    note: str = ""

    def __attrs_post_init__(self) -> None:
        instance(self.kind, UnmatchedKind, "$.kind")
        instance(self.claim, ClaimId, "$.claim")
        instance(self.status, ClaimStatusCode, "$.status")
        instance(self.amount, Money, "$.amount")
        if self.service is not None:
            an_int(self.service, "$.service", low=1, high=999)
        text(self.note, "$.note", min_len=0, max_len=200)


@attrs.frozen(kw_only=True)
class Denial:
    """A denied claim or line, with the payer's reasons (CARC) and remarks (RARC).

    ``line`` is ``None`` for a whole-claim denial. ``held`` is true when the denied amount
    (``amount``: the denying adjustments, see :class:`~claimcore.denials.DenialRules`) was
    posted to the denial account (``Account.denial()``, contra-revenue kept apart from the
    contractual allowance) pending an appeal or a write-off; false when the caller chose
    to adjust it away as its group says (``hold_denials=False``). ``category`` comes from
    the rules' CARC table (the largest denying adjustment's reason), ``follow_up_on`` is
    when the denial is due to be worked (the posting date plus the rules'
    ``follow_up_days``), ``transfers`` the ids of the denial transfers. X12 835 ``CLP02``
    4 or a zero-paid ``CLP``/``SVC`` with ``CAS``; remarks from ``MOA``/``MIA`` and
    ``LQ*HE``.
    """

    claim: ClaimId
    payer: PayerId
    line: int | None = None
    adjustments: tuple[Adjustment, ...] = attrs.field(converter=_adjustments)
    remarks: tuple[RARC, ...] = attrs.field(default=(), converter=_rarcs)
    held: bool = False
    category: DenialCategory = DenialCategory.OTHER
    follow_up_on: date | None = None
    amount: Money | None = None
    transfers: tuple[TransferId, ...] = attrs.field(default=(), converter=_transfer_ids)

    def __attrs_post_init__(self) -> None:
        instance(self.claim, ClaimId, "$.claim")
        instance(self.payer, PayerId, "$.payer")
        if self.line is not None:
            an_int(self.line, "$.line", low=1, high=999)
        members(self.adjustments, Adjustment, "$.adjustments")
        members(self.remarks, RARC, "$.remarks")
        instance(self.held, bool, "$.held")
        instance(self.category, DenialCategory, "$.category")
        optional_date(self.follow_up_on, "$.follow_up_on")
        optional_instance(self.amount, Money, "$.amount")
        members(self.transfers, TransferId, "$.transfers")

    @property
    def reasons(self) -> tuple[str, ...]:
        """The group and reason codes, as ``CO-50``, in the payer's order."""
        return tuple(f"{a.group.value}-{a.reason}" for a in self.adjustments)


@attrs.frozen(kw_only=True)
class AppealResult:
    """What a payer's new decision on a denied claim did to its denial.

    ``denied`` is what the denial account held for the claim (from this payer) before the
    decision, ``still_denied`` what the new decision denies; ``outcome`` is
    :class:`~claimcore.denials.AppealOutcome` ``overturned`` (nothing denied any more),
    ``partially_overturned`` or ``upheld``. ``appealed`` says whether the claim was under
    appeal (status ``appealed``) or the payer reprocessed it on its own. The earlier
    denial transfers are reversed back to the payer's A/R (``transfers``), and the new
    decision posts from there: the money leaves the denial account.
    """

    claim: ClaimId
    payer: PayerId
    outcome: AppealOutcome
    denied: Money
    still_denied: Money
    appealed: bool
    transfers: tuple[TransferId, ...] = attrs.field(default=(), converter=_transfer_ids)

    def __attrs_post_init__(self) -> None:
        instance(self.claim, ClaimId, "$.claim")
        instance(self.payer, PayerId, "$.payer")
        instance(self.outcome, AppealOutcome, "$.outcome")
        instance(self.denied, Money, "$.denied")
        instance(self.still_denied, Money, "$.still_denied")
        instance(self.appealed, bool, "$.appealed")
        members(self.transfers, TransferId, "$.transfers")

    @property
    def recovered(self) -> Money:
        """What left the denial account for good: ``denied`` - ``still_denied`` (not
        below zero)."""
        return max(self.denied - self.still_denied, Money.zero(self.denied.currency))


@attrs.frozen(kw_only=True)
class Underpayment:
    """A line the payer allowed for less than its contract promises.

    ``expected`` comes from :meth:`claimcore.charges.PayerContract.expected_allowed`;
    ``allowed`` is the 835's allowed amount (``AMT*B6``), or paid plus patient
    responsibility when the payer sent none.
    """

    claim: ClaimId
    payer: PayerId
    line: int
    expected: Money
    allowed: Money

    def __attrs_post_init__(self) -> None:
        instance(self.claim, ClaimId, "$.claim")
        instance(self.payer, PayerId, "$.payer")
        an_int(self.line, "$.line", low=1, high=999)
        instance(self.expected, Money, "$.expected")
        instance(self.allowed, Money, "$.allowed")

    @property
    def shortfall(self) -> Money:
        """How much more the contract promises than the payer allowed."""
        return self.expected - self.allowed


@attrs.frozen(kw_only=True)
class Overpayment:
    """A payer paid more than it owed: the mirror of :class:`Underpayment`.

    For a line (``line`` set), ``expected`` is the contract's allowed amount and
    ``allowed`` the 835's (as for an underpayment), and nothing is posted apart. For the
    claim (``line`` ``None``), ``expected`` is what the payer still owed on the claim
    before the payment and ``allowed`` what the payment took off its A/R; the excess,
    ``amount``, is posted from the payer's A/R to its payer credit (a liability), so the
    receivable never goes below zero.
    """

    claim: ClaimId
    payer: PayerId
    line: int | None = None
    expected: Money
    allowed: Money

    def __attrs_post_init__(self) -> None:
        instance(self.claim, ClaimId, "$.claim")
        instance(self.payer, PayerId, "$.payer")
        if self.line is not None:
            an_int(self.line, "$.line", low=1, high=999)
        instance(self.expected, Money, "$.expected")
        instance(self.allowed, Money, "$.allowed")

    @property
    def amount(self) -> Money:
        """How much more the payer allowed (or paid) than it owed."""
        return self.allowed - self.expected


@attrs.frozen(kw_only=True)
class DuplicatePayment:
    """A claim payment repeating one already posted: the same payer, claim and payer claim
    number (``CLP07``), paid again in another remittance with no reversal between.

    Its cash (``amount``) is posted to the payer's credit account (a liability, to refund
    with :func:`refund_payer` or to be recouped); no adjustment and no patient share is
    posted again. ``repeats`` is the trace number (``TRN02``) of the remittance whose
    posting it repeats. ``line`` is set for a duplicate *line* payment: a payer's new
    decision on a claim (after an appeal, or releasing a line denial) that pays again a
    line whose earlier payment stands (not reversed); that line's cash is held the same
    way and its adjustments are not posted again, while the claim's other lines post as
    decided.
    """

    claim: ClaimId
    payer: PayerId
    payer_claim_number: PayerClaimNumber
    repeats: str
    amount: Money
    line: int | None = None
    transfers: tuple[TransferId, ...] = attrs.field(default=(), converter=_transfer_ids)

    def __attrs_post_init__(self) -> None:
        instance(self.claim, ClaimId, "$.claim")
        instance(self.payer, PayerId, "$.payer")
        instance(self.payer_claim_number, PayerClaimNumber, "$.payer_claim_number")
        if self.line is not None:
            an_int(self.line, "$.line", low=1, high=999)
        text(self.repeats, "$.repeats", max_len=80)
        instance(self.amount, Money, "$.amount")
        members(self.transfers, TransferId, "$.transfers")


class UnreadClaimPayment(Protocol):
    """A claim payment an 835 reader set aside (:class:`claimcore.x12.UnreadClaim` is
    one): its ``CLP`` segment's position, why it was not read, its patient control number
    as sent (``CLP01``) and its payment (``CLP04``) when that could be read."""

    @property
    def segment_number(self) -> int: ...

    @property
    def reason(self) -> str: ...

    @property
    def clp01(self) -> str: ...

    @property
    def paid(self) -> Money | None: ...


def _unread_claims(value: Iterable[UnreadClaimPayment]) -> tuple[UnreadClaimPayment, ...]:
    claims = to_tuple(value)
    for i, u in enumerate(claims):
        an_int(getattr(u, "segment_number", None), f"$.unread[{i}].segment_number", low=1)
        instance(getattr(u, "reason", None), str, f"$.unread[{i}].reason")
        instance(getattr(u, "clp01", None), str, f"$.unread[{i}].clp01")
        optional_instance(getattr(u, "paid", None), Money, f"$.unread[{i}].paid")
    return claims


@attrs.frozen(kw_only=True)
class UnreadPosting:
    """What posting did with a claim payment the reader could not read.

    ``claim`` is its ``CLP01`` as sent (possibly not a valid claim id), ``amount`` its
    ``CLP04`` (``None``: unreadable, nothing posted, and cash falls short of ``BPR02`` by
    it), ``transfers`` the transfer to the payer's unapplied cash (cash, credit
    ``liability:unapplied:<payer>``), ``reason`` why the reader set it aside.
    """

    segment_number: int
    claim: str
    amount: Money | None
    reason: str
    transfers: tuple[TransferId, ...] = attrs.field(default=(), converter=_transfer_ids)

    def __attrs_post_init__(self) -> None:
        an_int(self.segment_number, "$.segment_number", low=1)
        text(self.claim, "$.claim", min_len=0, max_len=80)
        optional_instance(self.amount, Money, "$.amount")
        text(self.reason, "$.reason", min_len=0, max_len=300)
        members(self.transfers, TransferId, "$.transfers")


@attrs.frozen(kw_only=True)
class ClaimPosting:
    """What posting one claim payment (835 loop 2100) did.

    ``transfers`` are the ids of the transfers it posted (or found already posted);
    ``transitioned`` says whether the claim's adjudication was recorded (a claim that
    is already adjudicated, or a crossover's claim at another payer, is not moved
    again); ``next_payer`` is the payer patient responsibility moved to (``None``: to the
    patient); ``forwarded_to`` the payer the claim was crossed over to (status 19, 20,
    21), when known; ``payer_balance`` what the payer still owes on the claim after the
    posting (an overpayment is moved to the payer's credit, so it does not go below zero
    through a claim payment).
    """

    claim: ClaimId
    payer: PayerId
    status: ClaimStatusCode
    paid: Money
    patient_responsibility: Money
    transfers: tuple[TransferId, ...] = attrs.field(converter=_transfer_ids)
    transitioned: bool
    forwarded: bool = False
    forwarded_to: PayerId | None = None
    next_payer: PayerId | None = None
    payer_balance: Money

    def __attrs_post_init__(self) -> None:
        instance(self.claim, ClaimId, "$.claim")
        instance(self.payer, PayerId, "$.payer")
        instance(self.status, ClaimStatusCode, "$.status")
        instance(self.paid, Money, "$.paid")
        instance(self.patient_responsibility, Money, "$.patient_responsibility")
        members(self.transfers, TransferId, "$.transfers")
        instance(self.transitioned, bool, "$.transitioned")
        instance(self.forwarded, bool, "$.forwarded")
        optional_instance(self.forwarded_to, PayerId, "$.forwarded_to")
        optional_instance(self.next_payer, PayerId, "$.next_payer")
        instance(self.payer_balance, Money, "$.payer_balance")


@attrs.frozen(kw_only=True)
class PostingResult:
    """The outcome of :func:`post_remittance`: the new ledger and claims, and what to work.

    ``claims`` are the claims given, in their order, with the adjudication recorded where
    it applied. ``unmatched`` lists what did not match (never dropped), ``denials`` the
    denied claims and lines, ``underpayments`` the lines allowed below contract,
    ``overpayments`` the lines allowed above it and the claims paid beyond their open
    payer balance, ``duplicates`` the claim payments repeating one already posted,
    ``provider_adjustments`` the ids of the ``PLB`` transfers.
    """

    ledger: Ledger
    claims: tuple[Claim, ...] = attrs.field(converter=_claims)
    postings: tuple[ClaimPosting, ...] = attrs.field(converter=_postings)
    unmatched: tuple[Unmatched, ...] = attrs.field(default=(), converter=_unmatched)
    denials: tuple[Denial, ...] = attrs.field(default=(), converter=_denials)
    underpayments: tuple[Underpayment, ...] = attrs.field(default=(), converter=_underpayments)
    provider_adjustments: tuple[TransferId, ...] = attrs.field(
        default=(), converter=_transfer_ids
    )
    overpayments: tuple[Overpayment, ...] = attrs.field(default=(), converter=_overpayments)
    duplicates: tuple[DuplicatePayment, ...] = attrs.field(default=(), converter=_duplicates)
    appeals: tuple[AppealResult, ...] = attrs.field(default=(), converter=_appeals)
    unread: tuple[UnreadPosting, ...] = attrs.field(default=(), converter=_unread_postings)

    def __attrs_post_init__(self) -> None:
        instance(self.ledger, Ledger, "$.ledger")
        members(self.appeals, AppealResult, "$.appeals")
        members(self.unread, UnreadPosting, "$.unread")
        members(self.claims, Claim, "$.claims")
        members(self.postings, ClaimPosting, "$.postings")
        members(self.unmatched, Unmatched, "$.unmatched")
        members(self.denials, Denial, "$.denials")
        members(self.underpayments, Underpayment, "$.underpayments")
        members(self.provider_adjustments, TransferId, "$.provider_adjustments")
        members(self.overpayments, Overpayment, "$.overpayments")
        members(self.duplicates, DuplicatePayment, "$.duplicates")

    @property
    def forwarded(self) -> tuple[ClaimPosting, ...]:
        """The claim payments the payer crossed over to the next payer (status 19-21)."""
        return tuple(p for p in self.postings if p.forwarded)

    def claim(self, claim_id: ClaimId) -> Claim | None:
        """The (first) claim with ``claim_id``, as it stands after the posting."""
        for c in self.claims:
            if c.id == claim_id:
                return c
        return None


# -- remittances ----------------------------------------------------------------------


def next_coverage(
    patient: MedicalRecordNumber,
    coverages: Mapping[MedicalRecordNumber, Sequence[Coverage]],
    *,
    after: PayerId,
    rank: int,
    on: date,
) -> Coverage | None:
    """The coverage that pays after payer ``after`` (at ``rank``, or its own rank when
    listed) for a service on ``on``, or ``None`` when that payer is the last."""
    listed = coverages.get(patient, ())
    for c in listed:
        if c.payer.payer_id == after:
            rank = c.order.rank
            break
    following = [c for c in listed
                 if c.order.rank > rank and c.payer.payer_id != after and c.is_active(on)]
    return min(following, key=lambda c: c.order.rank) if following else None


def _moment(on: date, claim: Claim, at: datetime | None) -> datetime:
    if at is not None:
        return aware_datetime(at, "$.at")
    start = datetime(on.year, on.month, on.day, tzinfo=UTC)
    return max(start, claim.history[-1].at) if claim.history else start


def _outcome(cp: ClaimPayment, line_denied: bool) -> AdjudicationOutcome:
    if cp.paid.is_positive():
        return AdjudicationOutcome.PARTIALLY_PAID if line_denied else AdjudicationOutcome.PAID
    if cp.is_denial:
        return AdjudicationOutcome.DENIED
    return AdjudicationOutcome.ZERO_PAID


def _adjudicate(
    claim: Claim, cp: ClaimPayment, *, on: date, at: datetime, line_denied: bool
) -> Claim:
    outcome = _outcome(cp, line_denied)
    zero = Money.zero(cp.paid.currency)
    pr = cp.patient_responsibility_total()
    allowed: Money | None = None
    if cp.services and all(s.allowed is not None for s in cp.services):
        allowed = zero
        for s in cp.services:
            allowed = allowed + (s.allowed or zero)
    result = Adjudication(
        outcome=outcome,
        paid=cp.paid if cp.paid.is_positive() else zero,
        payer_claim_number=cp.payer_claim_number,
        on=on,
        patient_responsibility=pr if pr.is_positive() else zero,
        allowed=allowed,
        adjustments=tuple(
            ClaimAdjustment(group=a.group, reason=a.reason, amount=a.amount,
                            quantity=a.quantity)
            for a in cp.all_adjustments()
        ),
    )
    if claim.status is ClaimStatus.ADJUDICATED:
        # A corrected payment after a reversal: a new decision, recorded once (the same
        # remittance posted again finds the same decision and changes nothing).
        if result == claim.adjudication:
            return claim
        return readjudicate(claim, result, at=at, reason="corrected payment")
    if claim.status is ClaimStatus.SUBMITTED:
        claim = acknowledge(claim, at=at, payer_claim_number=cp.payer_claim_number)
    return record_adjudication(claim, result, at=at)


def _cob_inflow(ledger: Ledger, ar: Account, claim: ClaimId) -> Money:
    """What earlier payers moved into ``ar`` for ``claim`` (net of reversals)."""
    total = Money.zero(ledger.currency)
    for t in ledger.transfers(claim=claim, account=ar):
        original = t
        if t.reverses is not None:
            found = ledger.get(t.reverses)
            original = found if found is not None else t
        if original.code is not TransferCode.COB_TRANSFER or original.debit != ar:
            continue  # not a balance moved in (what this payer passes on is its own)
        total = total - t.amount if t.reverses is not None else total + t.amount
    return total


def _earlier(
    ledger: Ledger, claim: ClaimId, payer: PayerId, *, besides: str
) -> list[list[Transfer]]:
    """What ``payer``'s remittances posted for ``claim`` (reversals aside), one group per
    remittance (trace number), oldest first, leaving out the remittance ``besides``.

    Found by the transfers' fields (claim, payer, trace), never by their ids.
    """
    groups: dict[str, list[Transfer]] = {}
    for t in ledger.transfers(claim=claim, payer=payer):
        if (t.code is TransferCode.REVERSAL or _claim_duplicate(t)
                or t.trace is None or t.trace == besides):
            continue  # a duplicate's cash is held apart: it repeats a posting, it is none
        groups.setdefault(t.trace, []).append(t)
    return list(groups.values())


def _claim_duplicate(t: Transfer) -> bool:
    """A whole claim payment's duplicate: a posting of its own, apart from the one it
    repeats (a line's duplicate belongs to the claim payment that sent it)."""
    return t.code is TransferCode.DUPLICATE_PAYMENT and t.line is None


_RELEASABLE: Final = frozenset({TransferCode.DENIAL, TransferCode.DUPLICATE_PAYMENT})
"""Transfers a group can lose and still stand: its denials (a new decision releases them)
and its duplicate lines (a reversal of a duplicate takes one back)."""


def _unreversed(
    ledger: Ledger, claim: ClaimId, groups: list[list[Transfer]]
) -> list[list[Transfer]]:
    """The groups a reversal (status 22) has not undone.

    A new decision releases only the denial transfers of a partly paid claim: its payment
    still stands, so the group does too. A group is undone when any of its other
    transfers, or every one of them, has been reversed.
    """
    reversed_ids = {t.reverses for t in ledger.transfers(claim=claim) if t.reverses}
    return [g for g in groups
            if not any(t.id in reversed_ids and t.code not in _RELEASABLE for t in g)
            and not all(t.id in reversed_ids for t in g)]


def _reversal_id(base: str, original: TransferId) -> TransferId:
    """The id of the reversal posted under ``base`` for ``original``.

    It reuses the name the original's claim payment gave it (what follows ``#``: ``pay.L1``,
    ``adj.C.2``), so reversal ids are what they always were; the name is never read for
    its meaning.
    """
    name = original.value.partition("#")[2] or original.value
    return transfer_id(f"{base}#{name}")


def _paid(group: Sequence[Transfer]) -> Money:
    """What a claim payment's group paid (``CLP04``): its line and claim payments and the
    cash of its duplicate lines."""
    total = Money.zero(group[0].amount.currency)
    for t in group:
        if t.code in (TransferCode.PAYER_PAYMENT, TransferCode.DUPLICATE_PAYMENT):
            total = total + t.amount if t.debit == Account.cash() else total - t.amount
    return total


_LINE_POSTINGS: Final = frozenset({
    TransferCode.PAYER_PAYMENT, TransferCode.CONTRACTUAL, TransferCode.OTHER_ADJUSTMENT,
    TransferCode.PATIENT_RESPONSIBILITY, TransferCode.COB_TRANSFER,
})
"""What a line's decision posts besides a denial: its payment, adjustments and shares."""


class _Poster:
    """Builds the transfers of one remittance; nothing is posted until all are built."""

    def __init__(
        self,
        ledger: Ledger,
        remittance: Remittance,
        *,
        on: date,
        coverages: Mapping[MedicalRecordNumber, Sequence[Coverage]],
        contracts: tuple[PayerContract, ...],
        hold_denials: bool,
        apply_credits: bool,
        rules: DenialRules = DEFAULT_DENIAL_RULES,
    ) -> None:
        self.ledger = ledger
        self.rules = rules
        self.denied_amount = Money.zero(ledger.currency)
        self.remittance = remittance
        self.on = on
        self.coverages = coverages
        self.contracts = contracts
        self.hold_denials = hold_denials
        self.apply_credits = apply_credits
        self.payer = remittance.payer.payer_id
        self.pkey = payer_key(self.payer)
        self.tkey = key(remittance.trace)
        self.batch: list[Transfer] = []
        self.unmatched: list[Unmatched] = []
        self.denials: list[Denial] = []
        self.underpayments: list[Underpayment] = []
        self.overpayments: list[Overpayment] = []
        self.duplicates: list[DuplicatePayment] = []
        self.appeals: list[AppealResult] = []
        self.unread: list[UnreadPosting] = []
        self.credit_used: dict[MedicalRecordNumber, Money] = {}

    def add(self, transfer: Transfer | None, ids: list[TransferId]) -> None:
        if transfer is not None:
            self.batch.append(transfer)
            ids.append(transfer.id)

    # -- one claim payment ------------------------------------------------------------

    def reversal(
        self, claim: Claim, cp: ClaimPayment, base: str, ids: list[TransferId], *,
        corrected: bool,
    ) -> None:
        # A reversal undoes what an earlier remittance of the payer posted for the claim.
        # A bare reversal (no corrected payment follows it in this remittance) of the
        # amount of a duplicate still held in the payer's credit takes that duplicate back:
        # the payer recovers what it paid twice, the claim's own posting stands.
        back = transfer_id(f"{base}#dup.back")
        if back in self.ledger:
            ids.append(back)
            return
        held = None if corrected else self.held_duplicate(claim.id, -cp.paid)
        if held is not None:
            self.add(reversal_of(held, id=back, on=self.on, trace=self.remittance.trace),
                     ids)
            return
        earlier = _earlier(self.ledger, claim.id, self.payer, besides=self.remittance.trace)
        done = [r for g in earlier for t in g
                if (r := _reversal_id(base, t.id)) in self.ledger]
        if done:  # this reversal was posted before: its ids are its idempotency keys
            ids.extend(done)
            return
        groups = _unreversed(self.ledger, claim.id, earlier)
        undone = {t.reverses for t in (*self.ledger.transfers(claim=claim.id), *self.batch)
                  if t.reverses is not None}
        # A payment earlier in this same 835 is the latest posting a reversal can undo.
        here = [t for t in self.batch
                if t.claim == claim.id and t.payer == self.payer
                and t.trace == self.remittance.trace and t.id not in undone
                and t.code is not TransferCode.REVERSAL and not _claim_duplicate(t)]
        if here:
            groups = [*groups, here]
        if not groups:
            if not cp.paid.is_zero() or not cp.adjustments_total().is_zero():
                self.unmatched.append(Unmatched(
                    kind=UnmatchedKind.REVERSAL_WITHOUT_ORIGINAL, claim=cp.claim,
                    status=cp.status, amount=cp.paid,
                    note="no unreversed posting of this payer for the claim",
                ))
            return
        target = -cp.paid
        same = [g for g in groups if _paid(g) == target]
        group = (same or groups)[-1]
        for t in group:
            if t.id in undone:
                continue  # a denial a new decision already released is not undone twice
            self.add(reversal_of(
                t, id=_reversal_id(base, t.id), on=self.on,
                trace=self.remittance.trace,
            ), ids)

    def held_duplicate(self, claim: ClaimId, amount: Money) -> Transfer | None:
        """The latest duplicate payment of ``amount`` on ``claim`` that is neither reversed
        nor refunded or recouped (the payer's credit on the claim still holds it)."""
        if not amount.is_positive():
            return None
        held = Account.payer_credit(self.payer)
        known = [*self.ledger.transfers(claim=claim, payer=self.payer),
                 *(t for t in self.batch if t.claim == claim and t.id not in self.ledger)]
        undone = {t.reverses for t in known if t.reverses is not None}
        balance = Money.zero(amount.currency)
        for t in known:
            if t.credit == held:
                balance = balance + t.amount
            elif t.debit == held:
                balance = balance - t.amount
        found = [t for t in known if t.code is TransferCode.DUPLICATE_PAYMENT
                 and t.debit == Account.cash() and t.amount == amount
                 and t.id not in undone]
        return found[-1] if found and balance >= amount else None

    def release(
        self, claim: Claim, base: str, ids: list[TransferId]
    ) -> tuple[Money, list[TransferId]]:
        """Reverse this payer's earlier denial postings of ``claim`` back to its A/R, so
        that the new decision posts from there; the amount taken out of the denial account.

        A whole-claim denial (its remittance paid nothing on the claim) is reversed whole,
        so none of its adjustments is posted twice; after a partly paid claim, only the
        denial transfers are.
        """
        released = Money.zero(self.ledger.currency)
        freed: list[TransferId] = []
        groups = _earlier(self.ledger, claim.id, self.payer, besides=self.remittance.trace)
        undone = {t.reverses: t.id for t in self.ledger.transfers(claim=claim.id)
                  if t.reverses is not None}
        for group in groups:
            if not any(t.code is TransferCode.DENIAL for t in group):
                continue
            targets = (group if _paid(group).is_zero()
                       else [t for t in group if t.code is TransferCode.DENIAL])
            for t in targets:
                name = t.id.value.partition("#")[2] or t.id.value
                rid = transfer_id(f"{base}#release.{key(t.trace or '')}.{name}")
                if t.id in undone and undone[t.id] != rid:
                    continue  # reversed by something else (a status 22): not ours to move
                self.add(reversal_of(t, id=rid, on=self.on, trace=self.remittance.trace),
                         freed)
                if t.code is TransferCode.DENIAL:
                    released = released + t.amount
        ids.extend(freed)
        return released, freed

    def standing(self, claim: ClaimId) -> dict[int, str]:
        """The lines of ``claim`` whose earlier posting by this payer stands (not reversed,
        not a denial a new decision released): line number -> trace of that posting."""
        undone = {t.reverses for t in (*self.ledger.transfers(claim=claim), *self.batch)
                  if t.reverses is not None}
        lines: dict[int, str] = {}
        for group in _earlier(self.ledger, claim, self.payer, besides=self.remittance.trace):
            for t in group:
                if (t.line is not None and t.trace is not None
                        and t.code in _LINE_POSTINGS and t.id not in undone):
                    lines[t.line] = t.trace
        return lines

    def payment(
        self, claim: Claim, cp: ClaimPayment, base: str, ids: list[TransferId], *,
        ar: Account, cob: bool, next_payer: PayerId | None,
        standing: Mapping[int, str] | None = None,
    ) -> tuple[bool, Money]:
        """Post one processed claim payment; (a line was denied, PR assigned).

        ``standing`` (a new decision on the claim): lines already posted whose posting
        stands; paid again, their cash goes to the payer's credit as a duplicate line
        payment, and nothing else of theirs is posted twice.
        """
        standing = standing or {}
        mrn = claim.patient.mrn
        refs: dict[str, object] = {
            "patient": mrn, "encounter": claim.encounter, "claim": claim.id,
            "payer": self.payer, "trace": self.remittance.trace,
        }
        zero = Money.zero(cp.paid.currency)
        lines = match_lines(claim, cp.services)
        rules = self.rules
        hold = self.hold_denials
        line_denied = False
        # Which services are denied (zero paid, a denying reason, nothing to the patient);
        # their denying adjustments post to the denial account, never the contractual one.
        denied_services: set[int] = set()
        pending: list[tuple[Denial, set[TransferId]]] = []
        repeated = {i for i, line in enumerate(lines)
                    if line is not None and line.line_number in standing}
        for i, (s, line) in enumerate(zip(cp.services, lines, strict=True)):
            if i in repeated:
                continue
            if line is None:
                self.unmatched.append(Unmatched(
                    kind=UnmatchedKind.UNMATCHED_LINE, claim=cp.claim, status=cp.status,
                    amount=s.paid, service=i + 1,
                    note="posted at claim level: no claim line matches this service",
                ))
            denying = rules.denying(s.adjustments)
            if (not cp.is_denial and s.paid.is_zero() and s.charge.is_positive()
                    and denying and not any(a.group is _PR for a in s.adjustments)):
                line_denied = True
                denied_services.add(i)
                tag = "L" + str(line.line_number) if line else f"S{i + 1}"
                pending.append((Denial(
                    claim=claim.id, payer=self.payer,
                    line=None if line is None else line.line_number,
                    adjustments=s.adjustments, remarks=s.remarks or cp.remarks,
                    held=hold, category=rules.category_of(s.adjustments),
                    follow_up_on=rules.follow_up_on(self.on),
                    amount=_total(denying, zero),
                ), {transfer_id(f"{base}#adj.{tag}.{j}")
                    for j, a in enumerate(s.adjustments, 1) if a in denying}))
            if line is not None and not cob:
                self.underpaid(claim, line, s)
        claim_denied = cp.is_denial
        if claim_denied:
            # A line an earlier posting of this payer still stands for is a duplicate line
            # payment, never posted again: its adjustments are no part of this denial.
            everything = (*cp.adjustments, *(a for i, s in enumerate(cp.services)
                                             if i not in repeated for a in s.adjustments))
            denying = rules.denying(everything)
            pending.append((Denial(
                claim=claim.id, payer=self.payer, adjustments=everything,
                remarks=tuple(dict.fromkeys(
                    cp.remarks + tuple(r for s in cp.services for r in s.remarks))),
                held=hold, category=rules.category_of(everything),
                follow_up_on=rules.follow_up_on(self.on), amount=_total(denying, zero),
            ), set()))
        pr_to = Account.ar_payer(next_payer) if next_payer else Account.ar_patient()
        pr_code = TransferCode.COB_TRANSFER if next_payer else TransferCode.PATIENT_RESPONSIBILITY
        tagged: list[tuple[str, int | None, ServicePayment]] = [
            ("L" + str(line.line_number) if line else f"S{i + 1}",
             None if line is None else line.line_number, s)
            for i, (s, line) in enumerate(zip(cp.services, lines, strict=True))
        ]
        lines_paid = zero
        for k, (tag, number, s) in enumerate(tagged):
            lines_paid = lines_paid + s.paid
            if k in repeated and number is not None:
                self.duplicate_line(claim, cp, f"{base}#dup.{tag}", number, s.paid,
                                    standing[number], ids)
                continue
            self.add(directed(
                id=f"{base}#pay.{tag}", to=Account.cash(), source=ar, amount=s.paid,
                on=self.on, code=TransferCode.PAYER_PAYMENT, line=number, **refs,
            ), ids)
        self.add(directed(
            id=f"{base}#pay.C", to=Account.cash(), source=ar, amount=cp.paid - lines_paid,
            on=self.on, code=TransferCode.PAYER_PAYMENT, **refs,
        ), ids)
        pr_total = zero
        denied_tags = {(tag, number) for k, (tag, number, _) in enumerate(tagged)
                       if k in denied_services}
        denial_ids: list[TransferId] = []
        rows: list[tuple[str, int | None, int, Adjustment]] = [
            (tag, number, j, a)
            for k, (tag, number, s) in enumerate(tagged) if k not in repeated
            for j, a in enumerate(s.adjustments, 1)
        ] + [("C", None, j, a) for j, a in enumerate(cp.adjustments, 1)]
        for tag, number, j, a in rows:
            denial = (hold and not cob and a.amount.is_positive()
                      and rules.denies(a.group, a.reason)
                      and (claim_denied or (tag, number) in denied_tags))
            if denial:
                self.add(directed(
                    id=f"{base}#adj.{tag}.{j}", to=Account.denial(), source=ar,
                    amount=a.amount, on=self.on, code=TransferCode.DENIAL, line=number,
                    group=a.group, reason=a.reason, **refs,
                ), ids)
                denial_ids.append(transfer_id(f"{base}#adj.{tag}.{j}"))
            elif a.group is _PR:
                pr_total = pr_total + a.amount
                self.add(directed(
                    id=f"{base}#adj.{tag}.{j}", to=pr_to, source=ar, amount=a.amount,
                    on=self.on, code=pr_code, line=number, group=a.group, reason=a.reason,
                    **refs,
                ), ids)
            elif not cob:
                contra = (Account.contractual_allowance() if a.group is _CO
                          else Account.other_adjustments())
                code = (TransferCode.CONTRACTUAL if a.group is _CO
                        else TransferCode.OTHER_ADJUSTMENT)
                self.add(directed(
                    id=f"{base}#adj.{tag}.{j}", to=contra, source=ar, amount=a.amount,
                    on=self.on, code=code, line=number, group=a.group, reason=a.reason,
                    **refs,
                ), ids)
        if cob:
            denial_ids.extend(self.cob_remainder(
                claim, cp, base, ids, ar=ar, pr_total=pr_total, refs=refs,
                denied=hold and claim_denied))
        self.denied_amount = zero
        for found, names in pending:
            # A line's denial names its own transfers; the claim's, every one of the payment.
            mine = tuple(d for d in denial_ids if not names or d in names)
            self.denials.append(attrs.evolve(found, transfers=mine))
        for d in denial_ids:
            posted = next(t for t in self.batch if t.id == d)
            self.denied_amount = self.denied_amount + posted.amount
        if (self.apply_credits and next_payer is None and pr_total.is_positive()
                and not any(i in self.ledger for i in ids)):
            self.credit(mrn, pr_total, base, ids, refs)
        return line_denied, pr_total

    def cob_remainder(
        self, claim: Claim, cp: ClaimPayment, base: str, ids: list[TransferId], *,
        ar: Account, pr_total: Money, refs: Mapping[str, object], denied: bool,
    ) -> list[TransferId]:
        """A later payer's claim: only what earlier payers moved to this payer is open.

        The payer's own adjustments describe the whole charge (``OA-23`` for what earlier
        payers paid); what is left of the amount moved to it, after its payment and the
        patient's share, is adjusted off under its largest CO adjustment (else its largest
        other non-PR one, else ``OA-23``). A payment above that leaves a credit balance.
        When the later payer ``denied`` the claim under a denying reason, the remainder
        goes to the denial account instead (the ids of such transfers are returned).
        """
        remainder = _cob_inflow(self.ledger, ar, claim.id) - cp.paid - pr_total
        if not remainder.is_positive():
            return []
        others = [a for a in cp.all_adjustments() if a.group is not _PR]
        chosen = (max((a for a in others if a.group is _CO), key=lambda a: a.amount,
                      default=None)
                  or max(others, key=lambda a: a.amount, default=None))
        group, reason = (chosen.group, chosen.reason) if chosen else (_OA, _PRIOR_PAYER)
        contra = (Account.contractual_allowance() if group is _CO
                  else Account.other_adjustments())
        code = TransferCode.CONTRACTUAL if group is _CO else TransferCode.OTHER_ADJUSTMENT
        if denied and self.rules.denies(group, reason):
            contra, code = Account.denial(), TransferCode.DENIAL
        self.add(directed(
            id=f"{base}#cob", to=contra, source=ar, amount=remainder, on=self.on,
            code=code, group=group, reason=reason, **refs,
        ), ids)
        return [ids[-1]] if code is TransferCode.DENIAL else []

    def credit(
        self, mrn: MedicalRecordNumber, owed: Money, base: str, ids: list[TransferId],
        refs: Mapping[str, object],
    ) -> None:
        """Apply credit the patient holds (a prepayment, a desk copay) to what they now owe."""
        used = self.credit_used.get(mrn, Money.zero(owed.currency))
        # Credit this batch gives back (a released decision reverses its application) is
        # available again: the new decision applies it anew.
        returned = sum((t.amount for t in self.batch if t.credit == Account.patient_credit()
                        and t.patient == mrn), Money.zero(owed.currency))
        available = credit_balance(self.ledger, mrn) + returned - used
        amount = min(available, owed)
        if amount.is_positive():
            self.credit_used[mrn] = used + amount
            self.add(directed(
                id=f"{base}#credit", to=Account.patient_credit(), source=Account.ar_patient(),
                amount=amount, on=self.on, code=TransferCode.CREDIT_APPLIED, **refs,
            ), ids)

    def underpaid(self, claim: Claim, line: ClaimLine, s: ServicePayment) -> None:
        for contract in self.contracts:
            if contract.payer_id != self.payer or not contract.effective.contains(
                line.from_date
            ):
                continue
            expected = contract.expected_allowed(line)
            if expected is None:
                return
            allowed = s.allowed
            if allowed is None:
                allowed = s.paid
                for a in s.adjustments:
                    if a.group is _PR:
                        allowed = allowed + a.amount
            if allowed < expected:
                self.underpayments.append(Underpayment(
                    claim=claim.id, payer=self.payer, line=line.line_number,
                    expected=expected, allowed=allowed,
                ))
            elif allowed > expected:
                self.overpayments.append(Overpayment(
                    claim=claim.id, payer=self.payer, line=line.line_number,
                    expected=expected, allowed=allowed,
                ))
            return

    def unapplied(self, cp: ClaimPayment, number: int, note: str) -> None:
        self.unmatched.append(Unmatched(
            kind=UnmatchedKind.UNKNOWN_CLAIM, claim=cp.claim, status=cp.status,
            amount=cp.paid, note=note,
        ))
        self.add(directed(
            id=f"rmt:{self.pkey}:{self.tkey}:u.{number}", to=Account.cash(),
            source=Account.unapplied_cash(self.payer), amount=cp.paid, on=self.on,
            code=TransferCode.PAYER_PAYMENT, payer=self.payer, trace=self.remittance.trace,
        ), [])

    def post_unread(self, claims: tuple[UnreadClaimPayment, ...]) -> None:
        """Post the cash of claims the reader set aside (``CLP04`` where it could be read)
        to the payer's unapplied cash, so cash equals the payment sent (``BPR02``)."""
        for u in claims:
            ids: list[TransferId] = []
            if u.paid is not None:
                self.add(directed(
                    id=f"rmt:{self.pkey}:{self.tkey}:unread.{u.segment_number}",
                    to=Account.cash(), source=Account.unapplied_cash(self.payer),
                    amount=u.paid, on=self.on, code=TransferCode.PAYER_PAYMENT,
                    payer=self.payer, trace=self.remittance.trace,
                ), ids)
            self.unread.append(UnreadPosting(
                segment_number=u.segment_number, claim=u.clp01[:80], amount=u.paid,
                reason=u.reason[:300], transfers=ids,
            ))

    def contribution(self, ar: Account, claim: ClaimId, t: Transfer) -> int:
        """What ``t`` adds to ``ar`` on ``claim``, in cents (debit positive)."""
        if t.claim != claim:
            return 0
        return t.amount.cents if t.debit == ar else -t.amount.cents if t.credit == ar else 0

    def overpaid(
        self, claim: ClaimId, base: str, ids: list[TransferId], *, ar: Account,
        refs: Mapping[str, object],
    ) -> None:
        """A payment that takes the payer's A/R on ``claim`` below zero: the excess moves to
        the payer's credit (a liability) and is listed in ``overpayments``."""
        over_id = transfer_id(f"{base}#over")
        mine = set(ids) | {over_id}
        before = self.ledger.balance(ar, claim=claim).cents
        before -= sum(self.contribution(ar, claim, t)
                      for i in mine if (t := self.ledger.get(i)) is not None)
        before += sum(self.contribution(ar, claim, t) for t in self.batch
                      if t.id not in mine and t.id not in self.ledger)
        after = before + sum(self.contribution(ar, claim, t) for t in self.batch
                             if t.id in ids)
        # Only what this payment took below zero: a balance already negative (a recoupment
        # left it so) is not this payment's to move.
        excess = min(-after, before - after)
        if excess <= 0:
            return
        cur = self.ledger.currency
        self.add(Transfer(
            id=over_id, debit=ar, credit=Account.payer_credit(self.payer),
            amount=Money.from_cents(excess, cur), on=self.on, code=TransferCode.OVERPAYMENT,
            **refs,  # type: ignore[arg-type]
        ), ids)
        owed = max(before, 0)
        self.overpayments.append(Overpayment(
            claim=claim, payer=self.payer, expected=Money.from_cents(owed, cur),
            allowed=Money.from_cents(owed + excess, cur),
        ))

    def duplicate_line(
        self, claim: Claim, cp: ClaimPayment, tid: str, line: int, paid: Money,
        repeats: str, ids: list[TransferId],
    ) -> None:
        """A line paid again while its earlier payment stands: its cash to the payer's
        credit (listed when it is not zero), its adjustments not posted again."""
        mine: list[TransferId] = []
        self.add(directed(
            id=tid, to=Account.cash(), source=Account.payer_credit(self.payer),
            amount=paid, on=self.on, code=TransferCode.DUPLICATE_PAYMENT, line=line,
            patient=claim.patient.mrn, encounter=claim.encounter, claim=claim.id,
            payer=self.payer, trace=self.remittance.trace,
        ), mine)
        ids.extend(mine)
        if mine:
            self.duplicates.append(DuplicatePayment(
                claim=claim.id, payer=self.payer, payer_claim_number=cp.payer_claim_number,
                repeats=repeats, amount=paid, line=line, transfers=mine,
            ))

    def duplicate(
        self, claim: Claim, cp: ClaimPayment, base: str, ids: list[TransferId], repeats: str
    ) -> None:
        """Post a repeated claim payment's cash to the payer's credit, and nothing else."""
        self.add(directed(
            id=f"{base}#dup", to=Account.cash(), source=Account.payer_credit(self.payer),
            amount=cp.paid, on=self.on, code=TransferCode.DUPLICATE_PAYMENT,
            patient=claim.patient.mrn, encounter=claim.encounter, claim=claim.id,
            payer=self.payer, trace=self.remittance.trace,
        ), ids)
        self.duplicates.append(DuplicatePayment(
            claim=claim.id, payer=self.payer, payer_claim_number=cp.payer_claim_number,
            repeats=repeats, amount=cp.paid, transfers=ids,
        ))

    def provider_adjustments(self, claims: Sequence[Claim]) -> list[TransferId]:
        ids: list[TransferId] = []
        for i, plb in enumerate(self.remittance.provider_adjustments, 1):
            refs: dict[str, object] = {"payer": self.payer, "trace": self.remittance.trace}
            counter = Account.ar_payer(self.payer)
            if plb.reason is ProviderAdjustmentReason.INTEREST_OWED:
                counter = Account.interest_income()
            elif plb.reason in _PLB_INCOME:
                counter = Account.other_adjustments()
            elif plb.reason in _PLB_RECOUPMENT:
                named = _named_claim(plb.reference, claims, self.payer)
                if named is not None:
                    refs.update(claim=named.id, patient=named.patient.mrn,
                                encounter=named.encounter)
                    held = Account.payer_credit(self.payer)
                    if (plb.amount.is_positive()
                            and self.ledger.balance(held, claim=named.id) >= plb.amount):
                        counter = held  # the recoupment of a duplicate or an overpayment
            # A positive PLB amount is withheld from the payment: cash goes out.
            self.add(directed(
                id=f"rmt:{self.pkey}:{self.tkey}:plb.{i}", to=counter, source=Account.cash(),
                amount=plb.amount, on=self.on, code=TransferCode.PROVIDER_ADJUSTMENT, **refs,
            ), ids)
        return ids


def _named_claim(
    reference: str | None, claims: Sequence[Claim], payer: PayerId
) -> Claim | None:
    """The claim a PLB reference (``PLB03-2``) names: by the payer's claim number, else by
    the patient control number; only a claim billed to ``payer``."""
    if reference is None:
        return None
    ref = reference.strip()
    own = [c for c in claims if c.coverage.payer.payer_id == payer]
    for c in own:
        numbers = {c.payer_claim_number,
                   None if c.adjudication is None else c.adjudication.payer_claim_number}
        if any(n is not None and n.value == ref for n in numbers):
            return c
    key_ = ref.upper().lstrip("0") or "0"
    return next((c for c in own if c.id.normalized() == key_), None)


def _repeats(
    poster: _Poster, claim: Claim, cp: ClaimPayment, own: bool
) -> str | None:
    """The trace of the remittance whose posting ``cp`` repeats, or ``None``.

    A repeat: the payer already posted an adjudication of the claim in another remittance
    that is not reversed, and (when the claim records this payer's decision) under the
    same payer claim number. An appealed claim takes a new decision: never a repeat.
    """
    if claim.status is ClaimStatus.APPEALED:
        return None
    ledger = poster.ledger
    trace = poster.remittance.trace
    if any(t.code is not TransferCode.DUPLICATE_PAYMENT
           for t in ledger.transfers(claim=claim.id, payer=poster.payer, trace=trace)):
        return None  # this remittance was posted before, as no repeat: post it the same way
    groups = _unreversed(ledger, claim.id, _earlier(
        ledger, claim.id, poster.payer, besides=trace))
    undone = {t.reverses for t in poster.batch if t.reverses is not None}
    # A denial that paid nothing is decided again, never repeated (the new decision
    # releases it from the denial account).
    groups = [g for g in groups if not any(t.id in undone for t in g)
              and not (_paid(g).is_zero() and any(t.code is TransferCode.DENIAL for t in g))]
    if not groups:
        return None
    # Transfers carry no payer claim number: the number the claim records (its
    # adjudication's, else the one its acknowledgement gave) is what the repeat is told by.
    decided = claim.adjudication
    recorded = (decided.payer_claim_number if decided is not None
                else claim.payer_claim_number)
    if own and recorded is not None and recorded != cp.payer_claim_number:
        return None
    return groups[-1][0].trace


def _choose(
    candidates: list[int], claims: tuple[Claim, ...], payer: PayerId
) -> tuple[int | None, bool]:
    """The claim a payment is for: (index, billed to this payer)."""
    live = [i for i in candidates if claims[i].status not in _FINAL] or candidates
    own = [i for i in live if claims[i].coverage.payer.payer_id == payer]
    if own:
        return own[-1], True
    return (live[0], False) if live else (None, False)


def post_remittance(
    ledger: Ledger,
    claims: Iterable[Claim],
    remittance: Remittance,
    *,
    on: date | None = None,
    at: datetime | None = None,
    coverages: Mapping[MedicalRecordNumber, Sequence[Coverage]] | None = None,
    contracts: Iterable[PayerContract] = (),
    hold_denials: bool = True,
    apply_credits: bool = True,
    strict: bool = False,
    denial_rules: DenialRules = DEFAULT_DENIAL_RULES,
    unread: Iterable[UnreadClaimPayment] = (),
) -> PostingResult:
    """Post an 835 remittance to the ledger and record each claim's adjudication.

    For each claim payment (loop 2100), matched to a claim by its patient control number
    (:meth:`~claimcore.ids.ClaimId.normalized`: case and leading zeros do not matter)
    and payer, the transfers are, line by line where lines are given (loop 2110):

    ======================  ===================================  ==================
    what                    debit                                credit
    ======================  ===================================  ==================
    payment                 cash                                 A/R payer
    CO adjustment           contractual allowance                A/R payer
    OA, PI adjustment       other adjustments                    A/R payer
    PR adjustment           A/R patient, or the next payer's     A/R payer
                            A/R when another coverage follows
    ======================  ===================================  ==================

    A negative amount swaps debit and credit. The next payer comes from ``coverages``
    (each patient's coverages; the first active one ranked after the claim's payer);
    patient responsibility moves to A/R patient only after the last payer answered, and
    then any credit the patient holds is applied to it (``apply_credits``). A claim that
    carries other payers (a secondary claim) or was crossed over to this payer clears
    only what earlier payers moved to this payer (see :func:`secondary_claim`).

    Denials (a whole claim, status 4 or paid nothing with nothing to the patient, or a line
    paid nothing with a denying reason) are listed in ``denials`` with their category and
    follow-up date; with ``hold_denials`` (the default) their denying adjustments post to
    the denial account (``Account.denial()``, ``contra:denial``), never to the contractual
    allowance, until an appeal overturns them or :func:`write_off_denial` writes them off.
    What denies, the CARC -> category table and the follow-up interval are
    ``denial_rules`` (:class:`~claimcore.denials.DenialRules`). A new decision on a claim
    with a denial held (an appeal, or the payer's own reprocessing) reverses the earlier
    denial transfers back to the payer's A/R and posts from there; ``appeals`` says
    whether the denial was overturned, partially overturned or upheld.
    A reversal (status 22) posts the mirror of the original postings (``reverses`` set);
    a corrected payment then posts normally; a reversal of a closed claim reopens it.
    Provider-level adjustments (``PLB``) post between cash and the payer's A/R (interest,
    ``L6``: interest income; bonuses and incentives: other adjustments), outside any claim
    unless a recoupment (``WO``, ``FB``, ``72``) names a known claim in ``PLB03-2``; it
    then carries the claim and draws on the payer's credit when that covers it. A claim
    payment that matches no claim is posted to the payer's unapplied cash (a suspense
    liability) and reported; with ``strict`` it raises instead.

    A claim payment repeating an adjudication already posted (the same payer and claim,
    under the same payer claim number, earlier in the same remittance or in another one,
    and not reversed) is a duplicate: its cash goes to the payer's credit
    (``Account.payer_credit``), nothing else is posted and ``duplicates`` lists it. A
    reversal (status 22) with no corrected payment after it, of the amount of a duplicate
    the payer's credit still holds, takes that duplicate back out of the payer credit.
    A new decision on a claim under appeal (or one releasing a denial) that sends again a
    line whose earlier payment stands posts that line's cash to the payer's credit as a
    duplicate line payment (``DuplicatePayment.line``) and none of its adjustments or
    patient share. A reversal after the payment it undoes in the same remittance reverses
    that payment.
    Claim payments the 835 reader set aside (``unread``: for instance
    :attr:`claimcore.x12.X12Result.unread_claims` of the transaction set posted) post their
    ``CLP04`` to the payer's unapplied cash, so cash equals ``BPR02``; ``unread`` in the
    result lists them. A payment taking the claim's payer A/R
    below zero moves the excess to the payer's credit and is listed in ``overpayments``
    (with the lines allowed above their contract).

    Transfer ids derive from the payer, trace number (``TRN02``), claim, status and
    line, so posting the same remittance again changes nothing, and a claim is never
    transitioned twice. Claims move by :func:`~claimcore.claims.record_adjudication`
    (acknowledged first when still submitted) at ``at`` (default: the start of ``on``
    in UTC, or the claim's last event when later). ``on`` defaults to the payment date
    (``BPR16``). Underpayments against ``contracts`` are listed. All or nothing: on
    any error nothing is posted and the ledger and claims given are unchanged.
    """
    instance(ledger, Ledger, "$.ledger")
    instance(remittance, Remittance, "$.remittance")
    given = members(to_tuple(claims), Claim, "$.claims")
    day = remittance.paid_on if on is None else a_date(on, "$.on")
    if at is not None:
        aware_datetime(at, "$.at")
    instance(denial_rules, DenialRules, "$.denial_rules")
    set_aside = _unread_claims(unread)
    terms = dict(coverages or {})
    poster = _Poster(
        ledger, remittance, on=day, coverages=terms,
        contracts=members(to_tuple(contracts), PayerContract, "$.contracts"),
        hold_denials=hold_denials, apply_credits=apply_credits, rules=denial_rules,
    )
    by_key: dict[str, list[int]] = {}
    for i, claim in enumerate(given):
        by_key.setdefault(claim.id.normalized(), []).append(i)
    out = list(given)
    seen: dict[tuple[int, ClaimStatusCode], int] = {}
    pending: list[tuple[Account, ClaimPosting]] = []
    # Claims paid earlier in this remittance (and the payer claim numbers): paid again
    # with no reversal between, a claim payment is a duplicate within the one 835.
    paid_here: dict[int, set[PayerClaimNumber]] = {}
    keys = [cp.claim.normalized() for cp in remittance.claims]
    for number, cp in enumerate(remittance.claims, 1):
        if cp.status in _NOT_POSTED:
            poster.unmatched.append(Unmatched(
                kind=UnmatchedKind.NOT_POSTED, claim=cp.claim, status=cp.status,
                amount=cp.paid, note=f"status {cp.status.value}: nothing to post",
            ))
            continue
        index, own = _choose(by_key.get(cp.claim.normalized(), []), tuple(out), poster.payer)
        ar = Account.ar_payer(poster.payer)
        crossed = (index is not None and not own
                   and _cob_inflow(ledger, ar, out[index].id).is_positive())
        if index is None or not (own or crossed):
            if strict:
                raise PostingError(
                    f"$.claims[{number - 1}]: no claim {cp.claim.value!r} billed to payer "
                    f"{poster.payer.value!r}"
                )
            poster.unapplied(cp, number, "no claim with this id was billed to this payer")
            continue
        claim = out[index]
        occurrence = seen.get((index, cp.status), 0) + 1
        seen[index, cp.status] = occurrence
        base = (f"rmt:{poster.pkey}:{poster.tkey}:{claim_key(claim.id)}:{cp.status.value}"
                f".{occurrence}")
        ids: list[TransferId] = []
        zero = Money.zero(cp.paid.currency)
        repeats = None
        if not cp.is_reversal:
            repeats = (remittance.trace
                       if cp.payer_claim_number in paid_here.get(index, set())
                       else _repeats(poster, claim, cp, own))
        if repeats is not None:
            poster.duplicate(claim, cp, base, ids, repeats)
            pending.append((ar, ClaimPosting(
                claim=claim.id, payer=poster.payer, status=cp.status, paid=cp.paid,
                patient_responsibility=zero, transfers=ids, transitioned=False,
                payer_balance=zero,
            )))
            continue
        if cp.is_reversal:
            paid_here.pop(index, None)
            corrected = any(k == keys[number - 1] and not later.is_reversal
                            for k, later in zip(keys[number:], remittance.claims[number:],
                                                strict=True))
            poster.reversal(claim, cp, base, ids, corrected=corrected)
            if (own and claim.status is ClaimStatus.CLOSED
                    and any(i not in ledger for i in ids)):
                # A reversal of a closed claim's payment leaves a balance to work.
                out[index] = claim = reopen(claim, at=_moment(day, claim, at),
                                            reason="payment reversed")
            pending.append((ar, ClaimPosting(
                claim=claim.id, payer=poster.payer, status=cp.status, paid=cp.paid,
                patient_responsibility=cp.patient_responsibility_total(), transfers=ids,
                transitioned=False, payer_balance=zero,
            )))
            continue
        day_of_service = claim.service_period.start
        following = next_coverage(
            claim.patient.mrn, terms, after=poster.payer,
            rank=claim.coverage.order.rank, on=day_of_service,
        )
        forwarded_to = None
        if cp.status.is_crossover and cp.crossover is not None:
            forwarded_to = cp.crossover.payer_id
        next_payer = following.payer.payer_id if following is not None else forwarded_to
        released, freed = poster.release(claim, base, ids) if own else (zero, [])
        # A new decision (an appeal's, or one releasing a denial) repeats the lines whose
        # earlier posting stands: they are not posted twice.
        redecided = own and (claim.status is ClaimStatus.APPEALED or released.is_positive())
        line_denied, pr_total = poster.payment(
            claim, cp, base, ids, ar=ar, cob=bool(claim.other_payers) or crossed,
            next_payer=next_payer, standing=poster.standing(claim.id) if redecided else None,
        )
        poster.overpaid(claim.id, base, ids, ar=ar, refs={
            "patient": claim.patient.mrn, "encounter": claim.encounter, "claim": claim.id,
            "payer": poster.payer, "trace": remittance.trace,
        })
        if own:
            paid_here.setdefault(index, set()).add(cp.payer_claim_number)
        if released.is_positive():
            still = poster.denied_amount
            poster.appeals.append(AppealResult(
                claim=claim.id, payer=poster.payer,
                outcome=(AppealOutcome.OVERTURNED if still.is_zero()
                         else AppealOutcome.PARTIALLY_OVERTURNED if still < released
                         else AppealOutcome.UPHELD),
                denied=released, still_denied=still,
                appealed=claim.status is ClaimStatus.APPEALED,
                transfers=freed,
            ))
        transitioned = False
        # An adjudicated claim takes a new decision only from a payment posted for the
        # first time (a corrected payment after a reversal), never from a repeat.
        repeat = claim.status is ClaimStatus.ADJUDICATED and all(i in ledger for i in ids)
        if own and not repeat and claim.status in (
            ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED, ClaimStatus.APPEALED,
            ClaimStatus.ADJUDICATED,
        ):
            moved = _adjudicate(claim, cp, on=day, at=_moment(day, claim, at),
                                line_denied=line_denied)
            transitioned = moved is not claim
            out[index] = moved
        pending.append((ar, ClaimPosting(
            claim=claim.id, payer=poster.payer, status=cp.status, paid=cp.paid,
            patient_responsibility=pr_total, transfers=ids, transitioned=transitioned,
            forwarded=cp.status.is_crossover, forwarded_to=forwarded_to,
            next_payer=next_payer, payer_balance=zero,
        )))
    poster.post_unread(set_aside)
    plb = poster.provider_adjustments(out)
    if strict and any(u.kind is UnmatchedKind.REVERSAL_WITHOUT_ORIGINAL
                      for u in poster.unmatched):
        raise PostingError("a reversal (status 22) names a payment that was never posted")
    new_ledger = post(ledger, *poster.batch)
    postings = [
        attrs.evolve(p, payer_balance=new_ledger.balance(acct, claim=p.claim))
        for acct, p in pending
    ]
    return PostingResult(
        ledger=new_ledger, claims=tuple(out), postings=postings, unmatched=poster.unmatched,
        denials=poster.denials, underpayments=poster.underpayments, provider_adjustments=plb,
        overpayments=poster.overpayments, duplicates=poster.duplicates,
        appeals=poster.appeals, unread=poster.unread,
    )


def refund_payer(
    ledger: Ledger,
    *,
    payer: PayerId,
    amount: Money,
    on: date,
    reference: str,
    claim: ClaimId | None = None,
    patient: MedicalRecordNumber | None = None,
    encounter: EncounterId | str | None = None,
) -> Ledger:
    """Refund a payer's duplicate payment or overpayment by check, crediting cash.

    What is refunded is the payer's credit account (``Account.payer_credit``: duplicate
    payments and overpayments :func:`post_remittance` held there), on ``claim`` when
    given, else in total; when that holds less than ``amount``, a credit balance of the
    payer's A/R (one a provider-level adjustment left) of at least ``amount``. A payer
    that recoups instead sends a ``PLB`` adjustment naming the claim, which
    :func:`post_remittance` posts against the same account.
    """
    instance(ledger, Ledger, "$.ledger")
    instance(payer, PayerId, "$.payer")
    positive(amount, "amount")
    a_date(on, "$.on")
    ref = check_reference(reference)
    optional_instance(claim, ClaimId, "$.claim")
    held = Account.payer_credit(payer)
    debit = held
    owed_back = ledger.balance(held, claim=claim) if claim else ledger.balance(held)
    if amount > owed_back:
        debit = Account.ar_payer(payer)
        on_ar = -(ledger.balance(debit, claim=claim) if claim else ledger.balance(debit))
        if amount > on_ar:
            raise PostingError(
                f"the payer's credit balance is {max(owed_back, on_ar)}; cannot refund "
                f"{amount}"
            )
    return post(ledger, Transfer(
        id=transfer_id(f"prf:{payer_key(payer)}:{ref}"), debit=debit, credit=Account.cash(),
        amount=amount, on=on, code=TransferCode.REFUND, claim=claim, patient=patient,
        encounter=encounter, payer=payer,
    ))



def write_off_denial(
    ledger: Ledger,
    *,
    claim: ClaimId,
    payer: PayerId,
    on: date,
    reference: str,
    reason: WriteOffReason = WriteOffReason.ADMINISTRATIVE,
) -> Ledger:
    """Write off what the denial account holds for ``claim`` from ``payer``.

    For a denial the provider will not appeal, or whose appeal was upheld
    (:class:`~claimcore.denials.AppealOutcome` ``upheld``): the held amount moves from
    ``contra:denial`` to the write-off account of ``reason`` (administrative by default),
    so the claim is settled and the denial no longer counts as open. Posting the same
    ``reference`` again changes nothing.
    """
    instance(ledger, Ledger, "$.ledger")
    instance(claim, ClaimId, "$.claim")
    instance(payer, PayerId, "$.payer")
    a_date(on, "$.on")
    instance(reason, WriteOffReason, "$.reason")
    ref = check_reference(reference)
    held = Account.denial()
    tid = transfer_id(f"wod:{payer_key(payer)}:{ref}")
    mine = ledger.transfers(claim=claim, payer=payer, account=held)
    if any(t.id == tid for t in mine):
        return ledger
    cents = sum((t.amount.cents if t.debit == held else -t.amount.cents) for t in mine)
    if cents <= 0:
        raise PostingError(
            f"claim {claim.value!r} holds no denial of payer {payer.value!r} to write off")
    source = mine[0]
    return post(ledger, Transfer(
        id=tid, debit=Account.write_off(reason), credit=held,
        amount=Money.from_cents(cents, ledger.currency), on=on, code=TransferCode.WRITE_OFF,
        claim=claim, patient=source.patient, encounter=source.encounter, payer=payer,
    ))
