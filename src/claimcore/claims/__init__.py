"""Claims: the claim value, building claims from charges, scrubbing, and the lifecycle.

A :class:`Claim` is a professional (837P, CMS-1500) or institutional (837I, UB-04) bill
to one payer. :func:`build_claim` assembles claims from an encounter's charges (splitting
professional claims of more than 50 lines); :func:`scrub` runs the edits a payer would
run; the lifecycle functions (:func:`mark_ready`, :func:`submit`, :func:`acknowledge`,
:func:`reject`, :func:`correct`, :func:`record_adjudication`, :func:`appeal`,
:func:`close`, :func:`void`, :func:`replace`) follow the one table :data:`TRANSITIONS`;
:func:`apply_277ca` acknowledges or rejects submitted claims from a 277CA's
:class:`ClaimAcknowledgement` values (``claims/acknowledgement.py``), and
:func:`apply_999` rejects the submitted claims of a transaction set a 999
(:class:`ImplementationAcknowledgement`) rejects.
"""

from typing import TYPE_CHECKING

from claimcore._lazy import lazy_face
from claimcore.claims._claim import (
    Adjudication,
    AdjudicationOutcome,
    AdmissionInfo,
    Appeal,
    Claim,
    ClaimAdjustment,
    ClaimEvent,
    ClaimKind,
    ClaimLine,
    ClaimStatus,
    InpatientProcedure,
    LineAdjudication,
    Occurrence,
    OccurrenceSpan,
    OtherPayer,
    RejectionReason,
    ValueAmount,
)

if TYPE_CHECKING:
    from claimcore.claims._ack999 import (
        ELEMENT_ERROR_CODES,
        GROUP_ERROR_CODES,
        INTERCHANGE_NOTE_CODES,
        SEGMENT_ERROR_CODES,
        TRANSACTION_SET_ERROR_CODES,
        AckStatus,
        ElementError,
        ImplementationAcknowledgement,
        InterchangeAcknowledgement,
        SegmentError,
        TransactionSetAcknowledgement,
    )
    from claimcore.claims.acknowledgement import (
        ACCEPTED_CATEGORIES,
        REJECTED_CATEGORIES,
        AcknowledgementResult,
        ClaimAcknowledgement,
        ClaimStatusEntry,
        LineAcknowledgement,
        apply_277ca,
        apply_999,
    )
    from claimcore.claims.build import admission_info, build_claim, claim_line_for, split_claim
    from claimcore.claims.edits import (
        DEFAULT_EDITS,
        LIMITS,
        NCCI_BYPASS_MODIFIERS,
        Edit,
        EditContext,
        FunctionEdit,
        MueEntry,
        MueIndicator,
        MueTable,
        NcciEdit,
        NcciModifierIndicator,
        NcciTable,
        ScrubReport,
        edit,
        filing_deadline,
        scrub,
    )
    from claimcore.claims.lifecycle import (
        TRANSITIONS,
        acknowledge,
        allowed_events,
        appeal,
        close,
        correct,
        mark_ready,
        readjudicate,
        record_adjudication,
        reject,
        reopen,
        replace,
        submit,
        void,
    )
    from claimcore.findings import Finding, Severity

# The claim values load with the package; the rest (the 999 and 277CA values, building,
# the scrubbing edits and their tables, the lifecycle) loads on first use, so that holding
# or reading claims does not pay for it. Either way a name is the submodule's own object.
if not TYPE_CHECKING:
    # Where each deferred name is defined (PEP 562; claimcore._lazy).
    # The public submodules, which ``import claimcore.claims`` used to load: an attribute
    # such as ``claimcore.claims.edits`` still works without importing it by name.
    __getattr__, __dir__ = lazy_face(__name__, globals(), {
        "claimcore.claims._ack999": (
            "ELEMENT_ERROR_CODES", "GROUP_ERROR_CODES", "INTERCHANGE_NOTE_CODES",
            "SEGMENT_ERROR_CODES", "TRANSACTION_SET_ERROR_CODES", "AckStatus", "ElementError",
            "ImplementationAcknowledgement", "InterchangeAcknowledgement", "SegmentError",
            "TransactionSetAcknowledgement",
        ),
        "claimcore.claims.acknowledgement": (
            "ACCEPTED_CATEGORIES", "REJECTED_CATEGORIES", "AcknowledgementResult",
            "ClaimAcknowledgement", "ClaimStatusEntry", "LineAcknowledgement", "apply_277ca",
            "apply_999",
        ),
        "claimcore.claims.build": (
            "admission_info", "build_claim", "claim_line_for", "split_claim",
        ),
        "claimcore.claims.edits": (
            "DEFAULT_EDITS", "LIMITS", "NCCI_BYPASS_MODIFIERS", "Edit", "EditContext",
            "FunctionEdit", "MueEntry", "MueIndicator", "MueTable", "NcciEdit",
            "NcciModifierIndicator", "NcciTable", "ScrubReport", "edit", "filing_deadline",
            "scrub",
        ),
        "claimcore.claims.lifecycle": (
            "TRANSITIONS", "acknowledge", "allowed_events", "appeal", "close", "correct",
            "mark_ready", "readjudicate", "record_adjudication", "reject", "reopen", "replace",
            "submit", "void",
        ),
        "claimcore.findings": ("Finding", "Severity"),
    }, submodules=(
        "acknowledgement", "build", "edits", "lifecycle",
    ))

__all__ = [
    "ACCEPTED_CATEGORIES",
    "DEFAULT_EDITS",
    "ELEMENT_ERROR_CODES",
    "GROUP_ERROR_CODES",
    "INTERCHANGE_NOTE_CODES",
    "LIMITS",
    "NCCI_BYPASS_MODIFIERS",
    "REJECTED_CATEGORIES",
    "SEGMENT_ERROR_CODES",
    "TRANSACTION_SET_ERROR_CODES",
    "TRANSITIONS",
    "AckStatus",
    "AcknowledgementResult",
    "Adjudication",
    "AdjudicationOutcome",
    "AdmissionInfo",
    "Appeal",
    "Claim",
    "ClaimAcknowledgement",
    "ClaimAdjustment",
    "ClaimEvent",
    "ClaimKind",
    "ClaimLine",
    "ClaimStatus",
    "ClaimStatusEntry",
    "Edit",
    "EditContext",
    "ElementError",
    "Finding",
    "FunctionEdit",
    "ImplementationAcknowledgement",
    "InpatientProcedure",
    "InterchangeAcknowledgement",
    "LineAcknowledgement",
    "LineAdjudication",
    "MueEntry",
    "MueIndicator",
    "MueTable",
    "NcciEdit",
    "NcciModifierIndicator",
    "NcciTable",
    "Occurrence",
    "OccurrenceSpan",
    "OtherPayer",
    "RejectionReason",
    "ScrubReport",
    "SegmentError",
    "Severity",
    "TransactionSetAcknowledgement",
    "ValueAmount",
    "acknowledge",
    "admission_info",
    "allowed_events",
    "appeal",
    "apply_277ca",
    "apply_999",
    "build_claim",
    "claim_line_for",
    "close",
    "correct",
    "edit",
    "filing_deadline",
    "mark_ready",
    "readjudicate",
    "record_adjudication",
    "reject",
    "reopen",
    "replace",
    "scrub",
    "split_claim",
    "submit",
    "void",
]
