"""The ledger: accounts, transfers and balances in double entry.

Every money event of the revenue cycle is a :class:`Transfer` that debits one
:class:`Account` and credits another by one positive amount, so every transfer balances
by construction. A :class:`Ledger` is an immutable value holding transfers in posting
order; :func:`post` returns a new ledger and leaves the old one valid and unchanged.
The vocabulary and guarantees follow TigerBeetle: a transfer is never edited or removed,
a mistake is corrected by a new transfer (a reversal names the transfer it reverses),
and posting is idempotent by transfer id.

Balances, aging and encounter summaries are derived from the transfers, never stored
beside them, and every balance by account role comes from one fold,
:meth:`Ledger.balances_by_role` (a :class:`RoleBalances`). Posting a transfer and reading
a balance cost the same in a ledger of ten transfers and in one of a million: versions
share one append-only history and keep running balances.

The package: ``_accounts`` (the chart, roles and role groups), ``_transfers``
(:class:`Transfer`, :func:`reversal_of`), ``_store`` (:class:`Ledger`, :func:`post`),
``_queries`` (the fold, aging, encounter summaries) and ``_reports`` (the values they
return). Import from ``claimcore.ledger``.

>>> from datetime import date
>>> from decimal import Decimal
>>> from claimcore.ids import PayerId, TransferId
>>> from claimcore.money import Money
>>> acme = PayerId("ACME1")
>>> charge = Transfer(
...     id=TransferId("c-1"), debit=Account.ar_payer(acme), credit=Account.gross_revenue(),
...     amount=Money(Decimal("200.00")), on=date(2026, 3, 2), code=TransferCode.CHARGE,
...     encounter="E1",
... )
>>> ledger = post(Ledger(), charge)
>>> ledger.balance(Account.ar_payer(acme))
Money('200.00')
>>> post(ledger, charge) == ledger  # the same transfer again changes nothing
True
>>> len(Ledger())  # the old value is unchanged
0
>>> ledger.balances_by_role(encounter="E1").payers_owe
Money('200.00')
"""

from __future__ import annotations

from claimcore.ledger._accounts import (
    ADJUSTMENT_ROLES,
    CREDIT_ROLES,
    DENIAL_ROLES,
    PATIENT_ROLES,
    PAYER_LIABILITY_ROLES,
    PAYER_ROLES,
    RECEIVABLE_ROLES,
    Account,
    AccountKind,
    AccountRole,
    Side,
    WriteOffReason,
)
from claimcore.ledger._reports import (
    AdjustmentTotal,
    AgingBasis,
    AgingGroup,
    AgingReport,
    AgingRow,
    EncounterSummary,
    GroupedAgingReport,
    GroupedAgingRow,
    PayerActivity,
    PayerBalance,
    RoleBalances,
    Totals,
    WriteOffTotal,
)
from claimcore.ledger._store import Ledger, post
from claimcore.ledger._transfers import Transfer, TransferCode, reversal_of

__all__ = [
    "ADJUSTMENT_ROLES",
    "CREDIT_ROLES",
    "DENIAL_ROLES",
    "PATIENT_ROLES",
    "PAYER_LIABILITY_ROLES",
    "PAYER_ROLES",
    "RECEIVABLE_ROLES",
    "Account",
    "AccountKind",
    "AccountRole",
    "AdjustmentTotal",
    "AgingBasis",
    "AgingGroup",
    "AgingReport",
    "AgingRow",
    "EncounterSummary",
    "GroupedAgingReport",
    "GroupedAgingRow",
    "Ledger",
    "PayerActivity",
    "PayerBalance",
    "RoleBalances",
    "Side",
    "Totals",
    "Transfer",
    "TransferCode",
    "WriteOffReason",
    "WriteOffTotal",
    "post",
    "reversal_of",
]
