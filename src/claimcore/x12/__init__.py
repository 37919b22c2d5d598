"""X12 5010 interchange: 837P/837I claims out, 835 remittances in, 270 out and 271 in,
277CA claim acknowledgements in.

Pure text in, values out (and back): nothing here opens a file or a connection. The
readers take the delimiters from the ``ISA``, tolerate what real payers send (reporting
it as :class:`X12Warning` records) and raise :class:`X12Error`, which names the segment
number and element, for anything they cannot read. The writers compute every count and
control number, so what they write always has a consistent envelope.
"""

from claimcore.x12._270_271 import read_271, read_271_with_warnings, write_270
from claimcore.x12._277 import (
    ACCEPTED_CATEGORIES,
    REJECTED_CATEGORIES,
    AcknowledgementResult,
    ClaimAcknowledgement,
    ClaimStatusEntry,
    apply_277ca,
    read_277ca,
    read_277ca_with_warnings,
)
from claimcore.x12._835 import X12Result, read_835, read_835_with_warnings, write_835
from claimcore.x12._837 import write_837i, write_837p
from claimcore.x12._envelope import (
    ControlNumbers,
    FunctionalGroup,
    Interchange,
    Receiver,
    Submitter,
    TransactionSet,
    read_interchanges,
)
from claimcore.x12._tokens import Delimiters, Segment, tokenize
from claimcore.x12._warnings import WarningCode, X12Error, X12Warning

__all__ = [
    "ACCEPTED_CATEGORIES",
    "REJECTED_CATEGORIES",
    "AcknowledgementResult",
    "ClaimAcknowledgement",
    "ClaimStatusEntry",
    "ControlNumbers",
    "Delimiters",
    "FunctionalGroup",
    "Interchange",
    "Receiver",
    "Segment",
    "Submitter",
    "TransactionSet",
    "WarningCode",
    "X12Error",
    "X12Result",
    "X12Warning",
    "apply_277ca",
    "read_271",
    "read_271_with_warnings",
    "read_277ca",
    "read_277ca_with_warnings",
    "read_835",
    "read_835_with_warnings",
    "read_interchanges",
    "tokenize",
    "write_270",
    "write_835",
    "write_837i",
    "write_837p",
]
