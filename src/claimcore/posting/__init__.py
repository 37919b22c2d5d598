"""Posting: what each money event of the revenue cycle does to the ledger and the claims.

* **Charges** (:func:`post_charges`): debit accounts receivable (the claim's payer, or
  the patient for self-pay), credit gross revenue.
* **Remittances** (:func:`post_remittance`): an 835 posts payments, contractual (CO) and
  other (OA, PI) adjustments and patient responsibility (PR) per claim and line, records
  each claim's adjudication, reverses earlier postings on a status 22, posts provider
  adjustments (PLB), and reports what did not match, denials, under- and overpayments
  and duplicate payments (held in the payer's credit, never posted twice).
* **Coordination of benefits**: :func:`secondary_claim` builds the next payer's claim
  with the earlier payer's adjudication (837 loops 2320/2430); patient responsibility
  moves to the next payer's A/R until the last payer has answered;
  :func:`secondary_payment` computes what a secondary pays (:class:`CobMethod`);
  :func:`estimate_combined` quotes a service across the patient's coverages (primary,
  then each next payer by its method: :class:`CoverageTerms`, :class:`CombinedEstimate`).
* **The patient's side**: payments (:func:`post_patient_payment`), desk prepayments
  (:func:`collect_prepayment`), credits (:func:`apply_credit`, :func:`refund_credit`),
  write-offs (:func:`write_off`, :func:`write_off_small_balances`) and the hand-off to
  collections (:func:`send_to_collections`); refunds to payers (:func:`refund_payer`).
* **Denials** (:func:`write_off_denial`): a denial held in ``contra:denial`` that will not
  be appealed, or whose appeal was upheld, is written off.
* **Deposits** (:func:`reconcile_deposits`): the bank's :class:`Deposit` lines matched to
  the remittances posted, by trace number.

Every function takes a :class:`~claimcore.ledger.Ledger` and returns a new one (all or
nothing); transfer ids are deterministic, so the same event posted twice changes nothing.
"""

from claimcore.posting._charges import post_charges
from claimcore.posting._cob import CobMethod, secondary_claim, secondary_payment
from claimcore.posting._deposits import (
    Deposit,
    DepositMatch,
    DepositReconciliation,
    RemittanceCash,
    reconcile_deposits,
)
from claimcore.posting._estimate import (
    CombinedEstimate,
    CoverageTerms,
    PayerEstimate,
    estimate_combined,
)
from claimcore.posting._patient import (
    PatientPaymentMethod,
    PaymentAllocation,
    apply_credit,
    collect_prepayment,
    patient_credit,
    post_patient_payment,
    refund_credit,
    send_to_collections,
    write_off,
    write_off_small_balances,
)
from claimcore.posting._remittance import (
    AppealResult,
    ClaimPosting,
    Denial,
    DuplicatePayment,
    Overpayment,
    PostingResult,
    Underpayment,
    Unmatched,
    UnmatchedKind,
    UnreadClaimPayment,
    UnreadPosting,
    next_coverage,
    post_remittance,
    refund_payer,
    write_off_denial,
)

__all__ = [
    "AppealResult",
    "ClaimPosting",
    "CobMethod",
    "CombinedEstimate",
    "CoverageTerms",
    "Denial",
    "Deposit",
    "DepositMatch",
    "DepositReconciliation",
    "DuplicatePayment",
    "Overpayment",
    "PatientPaymentMethod",
    "PayerEstimate",
    "PaymentAllocation",
    "PostingResult",
    "RemittanceCash",
    "Underpayment",
    "Unmatched",
    "UnmatchedKind",
    "UnreadClaimPayment",
    "UnreadPosting",
    "apply_credit",
    "collect_prepayment",
    "estimate_combined",
    "next_coverage",
    "patient_credit",
    "post_charges",
    "post_patient_payment",
    "post_remittance",
    "reconcile_deposits",
    "refund_credit",
    "refund_payer",
    "secondary_claim",
    "secondary_payment",
    "send_to_collections",
    "write_off",
    "write_off_denial",
    "write_off_small_balances",
]
