"""X12 5010 interchange: 837P/837I claims out and in, 835 remittances in and out, 270 out
and 271 in, 276 out and 277 in (claim status), 277CA claim acknowledgements in, 999 and TA1
acknowledgements in.

Pure text in, values out (and back): nothing here opens a file or a connection. The
readers take the delimiters from the ``ISA``, tolerate what real payers send (reporting
it as :class:`X12Warning` records) and raise :class:`X12Error`, which names the segment
number and element, for anything they cannot read; every ``*_with_warnings`` reader
returns a :class:`ReadResult` (``values`` and ``warnings``). The writers compute every
count and control number, so what they write always has a consistent envelope. The 277CA
values and :func:`apply_277ca` live in :mod:`claimcore.claims.acknowledgement`, next to
the other claim transitions, and are re-exported here.
"""

from typing import TYPE_CHECKING

from claimcore._lazy import lazy_face
from claimcore.x12._warnings import (
    ReadResult,
    UnreadItem,
    WarningCode,
    X12Error,
    X12Warning,
)

if TYPE_CHECKING:
    from claimcore.claims import (
        AckStatus,
        ElementError,
        ImplementationAcknowledgement,
        InterchangeAcknowledgement,
        SegmentError,
        TransactionSetAcknowledgement,
        apply_999,
    )
    from claimcore.claims.acknowledgement import (
        ACCEPTED_CATEGORIES,
        REJECTED_CATEGORIES,
        AcknowledgementResult,
        ClaimAcknowledgement,
        ClaimStatusEntry,
        LineAcknowledgement,
        apply_277ca,
    )
    from claimcore.x12._270_271 import read_271, read_271_with_warnings, write_270
    from claimcore.x12._276_277 import (
        ClaimStatusResponse,
        LineStatus,
        StatusDetail,
        claim_status_findings,
        read_277,
        read_277_with_warnings,
        write_276,
    )
    from claimcore.x12._277 import read_277ca, read_277ca_with_warnings
    from claimcore.x12._835_read import (
        RemittanceBalance,
        RemittanceHeader,
        RemittanceItem,
        UnreadClaim,
        X12Result,
        collect_835,
        iter_835,
        read_835,
        read_835_with_warnings,
    )
    from claimcore.x12._835_write import write_835
    from claimcore.x12._837 import write_837i, write_837p
    from claimcore.x12._837_read import (
        Read837Defaults,
        Read837Item,
        Read837Result,
        Unread837Claim,
        collect_837,
        iter_837,
        read_837,
        read_837_with_warnings,
    )
    from claimcore.x12._999 import read_999, read_999_with_warnings, read_ta1
    from claimcore.x12._envelope import (
        ControlNumbers,
        FunctionalGroup,
        Interchange,
        Receiver,
        Submitter,
        TransactionSet,
        read_interchanges,
    )
    from claimcore.x12._tokens import Delimiters, Segment, iter_segments, tokenize

# Only the errors and warnings load with the package; each reader and writer (and the claim
# values it needs) on first use, so that one format does not pay for all the others. Either
# way a name is the defining module's own object.
if not TYPE_CHECKING:
    # Where each deferred name is defined (PEP 562; claimcore._lazy).
    __getattr__, __dir__ = lazy_face(__name__, globals(), {
        "claimcore.claims": (
            "AckStatus", "ElementError", "ImplementationAcknowledgement",
            "InterchangeAcknowledgement", "SegmentError", "TransactionSetAcknowledgement",
            "apply_999",
        ),
        "claimcore.claims.acknowledgement": (
            "ACCEPTED_CATEGORIES", "REJECTED_CATEGORIES", "AcknowledgementResult",
            "ClaimAcknowledgement", "ClaimStatusEntry", "LineAcknowledgement", "apply_277ca",
        ),
        "claimcore.x12._270_271": ("read_271", "read_271_with_warnings", "write_270"),
        "claimcore.x12._276_277": (
            "ClaimStatusResponse", "LineStatus", "StatusDetail", "claim_status_findings",
            "read_277", "read_277_with_warnings", "write_276",
        ),
        "claimcore.x12._277": ("read_277ca", "read_277ca_with_warnings"),
        "claimcore.x12._835_read": (
            "RemittanceBalance", "RemittanceHeader", "RemittanceItem", "UnreadClaim", "X12Result",
            "collect_835", "iter_835", "read_835", "read_835_with_warnings",
        ),
        "claimcore.x12._835_write": ("write_835",),
        "claimcore.x12._837": ("write_837i", "write_837p"),
        "claimcore.x12._837_read": (
            "Read837Defaults", "Read837Item", "Read837Result", "Unread837Claim", "collect_837",
            "iter_837", "read_837", "read_837_with_warnings",
        ),
        "claimcore.x12._999": ("read_999", "read_999_with_warnings", "read_ta1"),
        "claimcore.x12._envelope": (
            "ControlNumbers", "FunctionalGroup", "Interchange", "Receiver", "Submitter",
            "TransactionSet", "read_interchanges",
        ),
        "claimcore.x12._tokens": ("Delimiters", "Segment", "iter_segments", "tokenize"),
    })

__all__ = [
    "ACCEPTED_CATEGORIES",
    "REJECTED_CATEGORIES",
    "AckStatus",
    "AcknowledgementResult",
    "ClaimAcknowledgement",
    "ClaimStatusEntry",
    "ClaimStatusResponse",
    "ControlNumbers",
    "Delimiters",
    "ElementError",
    "FunctionalGroup",
    "ImplementationAcknowledgement",
    "Interchange",
    "InterchangeAcknowledgement",
    "LineAcknowledgement",
    "LineStatus",
    "Read837Defaults",
    "Read837Item",
    "Read837Result",
    "ReadResult",
    "Receiver",
    "RemittanceBalance",
    "RemittanceHeader",
    "RemittanceItem",
    "Segment",
    "SegmentError",
    "StatusDetail",
    "Submitter",
    "TransactionSet",
    "TransactionSetAcknowledgement",
    "Unread837Claim",
    "UnreadClaim",
    "UnreadItem",
    "WarningCode",
    "X12Error",
    "X12Result",
    "X12Warning",
    "apply_277ca",
    "apply_999",
    "claim_status_findings",
    "collect_835",
    "collect_837",
    "iter_835",
    "iter_837",
    "iter_segments",
    "read_271",
    "read_271_with_warnings",
    "read_277",
    "read_277_with_warnings",
    "read_277ca",
    "read_277ca_with_warnings",
    "read_835",
    "read_835_with_warnings",
    "read_837",
    "read_837_with_warnings",
    "read_999",
    "read_999_with_warnings",
    "read_interchanges",
    "read_ta1",
    "tokenize",
    "write_270",
    "write_276",
    "write_835",
    "write_837i",
    "write_837p",
]
