"""A payer in a box: deterministic adjudication of claims into balanced 835 values.

Billing systems are tested against the other side of the wire: :func:`adjudicate` turns a
claim and a payer's :class:`PayerRules` (contract, member benefits with
:class:`Accumulators`, edits, COB method) into the :class:`~claimcore.remittance.ClaimPayment`
a payer would send, with the CARC a payer would use, and :func:`remit` groups decisions
into a :class:`~claimcore.remittance.Remittance` that
:func:`~claimcore.x12.write_835` writes. Nothing here is random: the same claim, rules,
date and accumulators give the same 835. See docs/adjudication.md.
"""

from claimcore.adjudication._engine import Adjudicated, adjudicate
from claimcore.adjudication._remit import interest, recoupment, remit
from claimcore.adjudication._rules import (
    Accumulators,
    BenefitMaximum,
    CarveOut,
    Contract,
    MaximumUse,
    MultipleProcedureReduction,
    PayerRules,
    ServiceTypeRule,
)

__all__ = [
    "Accumulators",
    "Adjudicated",
    "BenefitMaximum",
    "CarveOut",
    "Contract",
    "MaximumUse",
    "MultipleProcedureReduction",
    "PayerRules",
    "ServiceTypeRule",
    "adjudicate",
    "interest",
    "recoupment",
    "remit",
]
