"""claimcore: the US healthcare revenue cycle as typed, immutable values.

The package face re-exports the foundation types; each domain lives in its own module
(``claimcore.patients``, ``claimcore.claims``, ``claimcore.ledger``, ...).
"""

from claimcore.errors import (
    ClaimcoreError,
    CodeSetError,
    CurrencyMismatch,
    DuplicateTransfer,
    EditFailure,
    InvalidTransition,
    PostingError,
    TypeMismatch,
    UnbalancedTransfer,
    ValidationError,
)
from claimcore.ids import (
    NPI,
    SSN,
    ClaimId,
    MedicalRecordNumber,
    MemberId,
    PayerClaimNumber,
    PayerId,
    TaxId,
    TransferId,
)
from claimcore.money import Money, Rate, allocate, money_sum
from claimcore.periods import AgingBuckets, Period, age_on, deadline

__version__ = "0.1.0.dev0"

__all__ = [
    "NPI",
    "SSN",
    "AgingBuckets",
    "ClaimId",
    "ClaimcoreError",
    "CodeSetError",
    "CurrencyMismatch",
    "DuplicateTransfer",
    "EditFailure",
    "InvalidTransition",
    "MedicalRecordNumber",
    "MemberId",
    "Money",
    "PayerClaimNumber",
    "PayerId",
    "Period",
    "PostingError",
    "Rate",
    "TaxId",
    "TransferId",
    "TypeMismatch",
    "UnbalancedTransfer",
    "ValidationError",
    "__version__",
    "age_on",
    "allocate",
    "deadline",
    "money_sum",
]
