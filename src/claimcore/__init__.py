"""claimcore: the US healthcare revenue cycle as typed, immutable values.

The package face re-exports the foundation types; each domain lives in its own module
(``claimcore.patients``, ``claimcore.claims``, ``claimcore.ledger``, ...).
"""

from typing import TYPE_CHECKING

from claimcore._lazy import lazy_face
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
    EncounterId,
    MedicalRecordNumber,
    MemberId,
    PayerClaimNumber,
    PayerId,
    TaxId,
    TransferId,
)
from claimcore.money import Money, Rate, allocate, money_sum
from claimcore.periods import AgingBuckets, Period, age_on, deadline

if TYPE_CHECKING:
    from claimcore.adjustments import Adjustment
    from claimcore.charges import (
        Charge,
        FeeSchedule,
        correct_charge,
        enter_charges,
    )
    from claimcore.claims import (
        Claim,
        ClaimKind,
        ClaimLine,
        ClaimStatus,
        build_claim,
        scrub,
    )
    from claimcore.codes import (
        CARC,
        CPT,
        HCPCS,
        ICD10CM,
        RARC,
        AdjustmentGroup,
        ClaimFrequency,
        ClaimStatusCode,
        CodeSet,
        CodeSets,
        Modifier,
        PlaceOfService,
        RevenueCode,
    )
    from claimcore.coding import (
        CodedEncounter,
        Diagnosis,
        ProcedureLine,
        code_encounter,
    )
    from claimcore.coverage import (
        Benefits,
        Coverage,
        CoverageOrder,
        Payer,
        Plan,
        Relationship,
        Subscriber,
        estimate_responsibility,
        order_coverages,
    )
    from claimcore.cycle import (
        AccountStage,
        PatientAccount,
    )
    from claimcore.eligibility import (
        EligibilityInquiry,
        EligibilityResponse,
        Verification,
        verify,
    )
    from claimcore.encounters import (
        Encounter,
        EncounterClass,
        EncounterStatus,
        plan_encounter,
    )
    from claimcore.findings import (
        Finding,
        Severity,
    )
    from claimcore.ledger import (
        Account,
        Ledger,
        RoleBalances,
        Transfer,
        post,
    )
    from claimcore.patients import (
        Address,
        AdministrativeSex,
        Contact,
        Guarantor,
        Patient,
        PersonName,
        register,
    )
    from claimcore.posting import (
        post_charges,
        post_patient_payment,
        post_remittance,
        secondary_claim,
        secondary_payment,
        write_off,
    )
    from claimcore.providers import (
        CareTeamMember,
        Facility,
        Organization,
        Provider,
        ProviderRole,
    )
    from claimcore.remittance import (
        ClaimPayment,
        ProviderAdjustment,
        Remittance,
        ServicePayment,
    )
    from claimcore.serialization import (
        configure_converter,
        make_converter,
    )
    from claimcore.statements import (
        Statement,
        statement,
    )

__version__ = "0.2.0"

# The domain modules load on first use (PEP 562), so that ``import claimcore`` costs
# about what attrs and cattrs cost; ``from claimcore import Claim`` still works.
_LAZY: dict[str, str] = {
    "Finding": "claimcore.findings",
    "Severity": "claimcore.findings",
    "Patient": "claimcore.patients",
    "PersonName": "claimcore.patients",
    "Address": "claimcore.patients",
    "Contact": "claimcore.patients",
    "AdministrativeSex": "claimcore.patients",
    "Guarantor": "claimcore.patients",
    "register": "claimcore.patients",
    "Provider": "claimcore.providers",
    "Organization": "claimcore.providers",
    "Facility": "claimcore.providers",
    "ProviderRole": "claimcore.providers",
    "CareTeamMember": "claimcore.providers",
    "Payer": "claimcore.coverage",
    "Plan": "claimcore.coverage",
    "Subscriber": "claimcore.coverage",
    "Coverage": "claimcore.coverage",
    "Benefits": "claimcore.coverage",
    "Relationship": "claimcore.coverage",
    "CoverageOrder": "claimcore.coverage",
    "estimate_responsibility": "claimcore.coverage",
    "order_coverages": "claimcore.coverage",
    "EligibilityInquiry": "claimcore.eligibility",
    "EligibilityResponse": "claimcore.eligibility",
    "Verification": "claimcore.eligibility",
    "verify": "claimcore.eligibility",
    "Encounter": "claimcore.encounters",
    "EncounterStatus": "claimcore.encounters",
    "EncounterClass": "claimcore.encounters",
    "plan_encounter": "claimcore.encounters",
    "ICD10CM": "claimcore.codes",
    "CPT": "claimcore.codes",
    "HCPCS": "claimcore.codes",
    "Modifier": "claimcore.codes",
    "PlaceOfService": "claimcore.codes",
    "RevenueCode": "claimcore.codes",
    "CARC": "claimcore.codes",
    "RARC": "claimcore.codes",
    "AdjustmentGroup": "claimcore.codes",
    "ClaimStatusCode": "claimcore.codes",
    "ClaimFrequency": "claimcore.codes",
    "CodeSet": "claimcore.codes",
    "CodeSets": "claimcore.codes",
    "Diagnosis": "claimcore.coding",
    "ProcedureLine": "claimcore.coding",
    "CodedEncounter": "claimcore.coding",
    "code_encounter": "claimcore.coding",
    "FeeSchedule": "claimcore.charges",
    "Charge": "claimcore.charges",
    "enter_charges": "claimcore.charges",
    "correct_charge": "claimcore.charges",
    "Claim": "claimcore.claims",
    "ClaimLine": "claimcore.claims",
    "ClaimKind": "claimcore.claims",
    "ClaimStatus": "claimcore.claims",
    "build_claim": "claimcore.claims",
    "scrub": "claimcore.claims",
    "Remittance": "claimcore.remittance",
    "ClaimPayment": "claimcore.remittance",
    "ServicePayment": "claimcore.remittance",
    "Adjustment": "claimcore.adjustments",
    "ProviderAdjustment": "claimcore.remittance",
    "Account": "claimcore.ledger",
    "Transfer": "claimcore.ledger",
    "Ledger": "claimcore.ledger",
    "RoleBalances": "claimcore.ledger",
    "post": "claimcore.ledger",
    "post_remittance": "claimcore.posting",
    "post_charges": "claimcore.posting",
    "post_patient_payment": "claimcore.posting",
    "secondary_claim": "claimcore.posting",
    "secondary_payment": "claimcore.posting",
    "write_off": "claimcore.posting",
    "Statement": "claimcore.statements",
    "statement": "claimcore.statements",
    "PatientAccount": "claimcore.cycle",
    "AccountStage": "claimcore.cycle",
    "make_converter": "claimcore.serialization",
    "configure_converter": "claimcore.serialization",
}


_BY_MODULE: dict[str, list[str]] = {}
for _name, _module in _LAZY.items():
    _BY_MODULE.setdefault(_module, []).append(_name)
__getattr__, _ = lazy_face(__name__, globals(), _BY_MODULE)
del _name, _module, _


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "CARC",
    "CPT",
    "HCPCS",
    "ICD10CM",
    "NPI",
    "RARC",
    "SSN",
    "Account",
    "AccountStage",
    "Address",
    "Adjustment",
    "AdjustmentGroup",
    "AdministrativeSex",
    "AgingBuckets",
    "Benefits",
    "CareTeamMember",
    "Charge",
    "Claim",
    "ClaimFrequency",
    "ClaimId",
    "ClaimKind",
    "ClaimLine",
    "ClaimPayment",
    "ClaimStatus",
    "ClaimStatusCode",
    "ClaimcoreError",
    "CodeSet",
    "CodeSetError",
    "CodeSets",
    "CodedEncounter",
    "Contact",
    "Coverage",
    "CoverageOrder",
    "CurrencyMismatch",
    "Diagnosis",
    "DuplicateTransfer",
    "EditFailure",
    "EligibilityInquiry",
    "EligibilityResponse",
    "Encounter",
    "EncounterClass",
    "EncounterId",
    "EncounterStatus",
    "Facility",
    "FeeSchedule",
    "Finding",
    "Guarantor",
    "InvalidTransition",
    "Ledger",
    "MedicalRecordNumber",
    "MemberId",
    "Modifier",
    "Money",
    "Organization",
    "Patient",
    "PatientAccount",
    "Payer",
    "PayerClaimNumber",
    "PayerId",
    "Period",
    "PersonName",
    "PlaceOfService",
    "Plan",
    "PostingError",
    "ProcedureLine",
    "Provider",
    "ProviderAdjustment",
    "ProviderRole",
    "Rate",
    "Relationship",
    "Remittance",
    "RevenueCode",
    "RoleBalances",
    "ServicePayment",
    "Severity",
    "Statement",
    "Subscriber",
    "TaxId",
    "Transfer",
    "TransferId",
    "TypeMismatch",
    "UnbalancedTransfer",
    "ValidationError",
    "Verification",
    "__version__",
    "age_on",
    "allocate",
    "build_claim",
    "code_encounter",
    "configure_converter",
    "correct_charge",
    "deadline",
    "enter_charges",
    "estimate_responsibility",
    "make_converter",
    "money_sum",
    "order_coverages",
    "plan_encounter",
    "post",
    "post_charges",
    "post_patient_payment",
    "post_remittance",
    "register",
    "scrub",
    "secondary_claim",
    "secondary_payment",
    "statement",
    "verify",
    "write_off",
]
