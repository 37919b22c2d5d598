"""The one claim adjustment type: a group code, a reason (CARC), an amount and a quantity.

An :class:`Adjustment` is one reason/amount/quantity triplet of an X12 ``CAS`` segment. The
same value says why a payer paid less on an 835 (loops 2100 and 2110 of
:class:`~claimcore.remittance.ClaimPayment` and :class:`~claimcore.remittance.ServicePayment`)
and tells the next payer what the prior one did on a secondary 837 (loops 2320 and 2430 of
:class:`~claimcore.claims.OtherPayer` and :class:`~claimcore.claims.LineAdjudication`), so an
835's adjustments travel into the next claim unchanged. ``claimcore.claims.ClaimAdjustment``
is this class under its claim-side name.

>>> from decimal import Decimal
>>> from claimcore.codes import CARC, AdjustmentGroup
>>> from claimcore.money import Money
>>> co45 = Adjustment(
...     group=AdjustmentGroup("CO"), reason=CARC("45"), amount=Money(Decimal("50.00"))
... )
>>> co45.negated().amount
Money('-50.00')
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from claimcore._validate import a_decimal, instance
from claimcore.codes import CARC, AdjustmentGroup
from claimcore.money import Money

__all__ = ["Adjustment"]


@attrs.frozen(kw_only=True)
class Adjustment:
    """One claim adjustment: a group code, a reason (CARC) and an amount.

    A positive amount lowers the payment, a negative one raises it (``OA-94 -9.00``:
    processed in excess of charges). ``quantity`` is the adjusted units, when given.

    X12: one reason/amount/quantity triplet of a ``CAS`` segment (``CAS01`` group,
    ``CAS02`` reason, ``CAS03`` amount, ``CAS04`` quantity), in an 835 (loops 2100, 2110)
    or an 837 (loops 2320, 2430); FHIR: ``ClaimResponse.item.adjudication``.
    """

    group: AdjustmentGroup
    reason: CARC
    amount: Money
    quantity: Decimal | None = None

    def __attrs_post_init__(self) -> None:
        instance(self.group, AdjustmentGroup, "$.group")
        instance(self.reason, CARC, "$.reason")
        instance(self.amount, Money, "$.amount")
        if self.quantity is not None:
            a_decimal(self.quantity, "$.quantity")

    def negated(self) -> Adjustment:
        """The same adjustment with the amount negated (as a reversal carries it)."""
        return attrs.evolve(self, amount=-self.amount)
