"""Code systems and versioned code sets.

Every code is a small frozen value (a :class:`Code` subclass with one field, ``code``)
that checks its format when built; ``str(code)`` is its display form, which the
constructor accepts back. Whether a well-formed code is valid and billable on a date of
service is a question for a :class:`CodeSet` that the caller builds from its own rows
(claimcore reads no file); the optional ``icd10cm`` extra loads the full ICD-10-CM table
(:func:`claimcore.codes.icd10cm_data.load_icd10cm`).

>>> from claimcore.codes import CPT, ICD10CM, AdjustmentGroup, ClaimStatusCode, Modifier
>>> ICD10CM("E11.9"), CPT("99213"), Modifier("25")
(ICD10CM('E11.9'), CPT('99213'), Modifier('25'))
>>> AdjustmentGroup("CO"), ClaimStatusCode("1").is_processed
(<AdjustmentGroup.CONTRACTUAL_OBLIGATION: 'CO'>, True)
"""

from typing import TYPE_CHECKING

from claimcore._lazy import lazy_face
from claimcore.codes._base import Code
from claimcore.codes.icd10 import ICD10_EFFECTIVE, ICD10CM, ICD10PCS
from claimcore.codes.institutional import ClaimFrequency, RevenueCode, TypeOfBill
from claimcore.codes.limits import (
    HI_CODES_PER_SEGMENT,
    MAX_DIAGNOSIS_POINTERS,
    MAX_INSTITUTIONAL_DIAGNOSES,
    MAX_INSTITUTIONAL_LINES,
    MAX_INSTITUTIONAL_OTHER_DIAGNOSES,
    MAX_MODIFIERS,
    MAX_PROFESSIONAL_DIAGNOSES,
    MAX_PROFESSIONAL_LINES,
)
from claimcore.codes.modifiers import DISTINCT_PROCEDURAL, MODIFIERS, X_MODIFIERS, Modifier
from claimcore.codes.ndc import NDC
from claimcore.codes.places import PLACES_OF_SERVICE, PlaceOfService
from claimcore.codes.procedures import CPT, HCPCS, CPTCategory, ProcedureCode, procedure_code
from claimcore.codes.ub04 import (
    DRG,
    MSP_VALUE_CODES,
    ConditionCode,
    OccurrenceCode,
    OccurrenceSpanCode,
    PresentOnAdmission,
    ValueCode,
)

if TYPE_CHECKING:
    from claimcore.codes._search import ABBREVIATIONS, SearchHit, words
    from claimcore.codes.claim_status import (
        CLAIM_STATUS_CATEGORIES,
        CLAIM_STATUS_CATEGORY_MEANINGS,
        CLAIM_STATUS_CODES,
        category_family,
    )
    from claimcore.codes.codeset import (
        CodeCheck,
        CodeEntry,
        CodeSet,
        CodeSets,
        CodeStatus,
        CodeSystem,
        SexLimit,
    )
    from claimcore.codes.em import (
        EM_MDM_LEVELS,
        EM_TIME_THRESHOLDS,
        ESTABLISHED_PATIENT_EM,
        NEW_PATIENT_EM,
        OFFICE_EM_CODES,
        EmBasis,
        EmLevel,
        MdmLevel,
        MedicalDecisionMaking,
        em_level,
        em_rank,
    )
    from claimcore.codes.icd10_tabular import (
        CodeRange,
        NoteKind,
        SeventhCharacterRule,
        TabularInstructions,
        TabularNote,
    )
    from claimcore.codes.icd10cm_data import FY2026_START, load_icd10cm, load_icd10cm_tabular
    from claimcore.codes.remittance_codes import (
        CARC,
        CARC_CODES,
        CARC_DESCRIPTIONS,
        RARC,
        RARC_CODES,
        AdjustmentGroup,
        ClaimStatusCode,
        RemittanceCode,
        RemittanceCodeList,
        carc_list,
        rarc_list,
    )

# The code classes a claim holds load with the package; the code sets and their search,
# the E/M levels, the ICD-10-CM tabular instructions and loader, the claim status tables
# and the remittance codes with their lists load on first use, so that holding or reading
# claims does not pay for them. Either way a name is the submodule's own object.
if not TYPE_CHECKING:
    # Where each deferred name is defined (PEP 562; claimcore._lazy). The public
    # submodules, which ``import claimcore.codes`` used to load, resolve as attributes
    # (``claimcore.codes.codeset``) without importing them by name.
    __getattr__, __dir__ = lazy_face(__name__, globals(), {
        "claimcore.codes._search": ("ABBREVIATIONS", "SearchHit", "words"),
        "claimcore.codes.claim_status": (
            "CLAIM_STATUS_CATEGORIES", "CLAIM_STATUS_CATEGORY_MEANINGS", "CLAIM_STATUS_CODES",
            "category_family",
        ),
        "claimcore.codes.codeset": (
            "CodeCheck", "CodeEntry", "CodeSet", "CodeSets", "CodeStatus", "CodeSystem",
            "SexLimit",
        ),
        "claimcore.codes.em": (
            "EM_MDM_LEVELS", "EM_TIME_THRESHOLDS", "ESTABLISHED_PATIENT_EM", "NEW_PATIENT_EM",
            "OFFICE_EM_CODES", "EmBasis", "EmLevel", "MdmLevel", "MedicalDecisionMaking",
            "em_level", "em_rank",
        ),
        "claimcore.codes.icd10_tabular": (
            "CodeRange", "NoteKind", "SeventhCharacterRule", "TabularInstructions",
            "TabularNote",
        ),
        "claimcore.codes.icd10cm_data": ("FY2026_START", "load_icd10cm", "load_icd10cm_tabular"),
        "claimcore.codes.remittance_codes": (
            "CARC", "CARC_CODES", "CARC_DESCRIPTIONS", "RARC", "RARC_CODES", "AdjustmentGroup",
            "ClaimStatusCode", "RemittanceCode", "RemittanceCodeList", "carc_list", "rarc_list",
        ),
    }, submodules=(
        "claim_status", "codeset", "em", "icd10_tabular", "icd10cm_data",
        "remittance_code_data", "remittance_codes",
    ))

__all__ = [
    "ABBREVIATIONS",
    "CARC",
    "CARC_CODES",
    "CARC_DESCRIPTIONS",
    "CLAIM_STATUS_CATEGORIES",
    "CLAIM_STATUS_CATEGORY_MEANINGS",
    "CLAIM_STATUS_CODES",
    "CPT",
    "DISTINCT_PROCEDURAL",
    "DRG",
    "EM_MDM_LEVELS",
    "EM_TIME_THRESHOLDS",
    "ESTABLISHED_PATIENT_EM",
    "FY2026_START",
    "HCPCS",
    "HI_CODES_PER_SEGMENT",
    "ICD10CM",
    "ICD10PCS",
    "ICD10_EFFECTIVE",
    "MAX_DIAGNOSIS_POINTERS",
    "MAX_INSTITUTIONAL_DIAGNOSES",
    "MAX_INSTITUTIONAL_LINES",
    "MAX_INSTITUTIONAL_OTHER_DIAGNOSES",
    "MAX_MODIFIERS",
    "MAX_PROFESSIONAL_DIAGNOSES",
    "MAX_PROFESSIONAL_LINES",
    "MODIFIERS",
    "MSP_VALUE_CODES",
    "NDC",
    "NEW_PATIENT_EM",
    "OFFICE_EM_CODES",
    "PLACES_OF_SERVICE",
    "RARC",
    "RARC_CODES",
    "X_MODIFIERS",
    "AdjustmentGroup",
    "CPTCategory",
    "ClaimFrequency",
    "ClaimStatusCode",
    "Code",
    "CodeCheck",
    "CodeEntry",
    "CodeRange",
    "CodeSet",
    "CodeSets",
    "CodeStatus",
    "CodeSystem",
    "ConditionCode",
    "EmBasis",
    "EmLevel",
    "MdmLevel",
    "MedicalDecisionMaking",
    "Modifier",
    "NoteKind",
    "OccurrenceCode",
    "OccurrenceSpanCode",
    "PlaceOfService",
    "PresentOnAdmission",
    "ProcedureCode",
    "RemittanceCode",
    "RemittanceCodeList",
    "RevenueCode",
    "SearchHit",
    "SeventhCharacterRule",
    "SexLimit",
    "TabularInstructions",
    "TabularNote",
    "TypeOfBill",
    "ValueCode",
    "carc_list",
    "category_family",
    "em_level",
    "em_rank",
    "load_icd10cm",
    "load_icd10cm_tabular",
    "procedure_code",
    "rarc_list",
    "words",
]
