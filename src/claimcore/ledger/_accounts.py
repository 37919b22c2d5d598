"""Accounts and the chart: roles, kinds, normal sides and the role groups.

An :class:`Account` is named by its role in claimcore's chart (A/R payer, A/R patient,
gross revenue, contractual allowance, ...) and, for A/R payer and write-off accounts, by
the payer or the write-off reason. The role groups (:data:`RECEIVABLE_ROLES`,
:data:`ADJUSTMENT_ROLES`, :data:`CREDIT_ROLES`, :data:`PATIENT_ROLES`) are defined here
once; the ledger's fold (:meth:`~claimcore.ledger.Ledger.balances_by_role`) reads
transfers through them, and nothing else sorts accounts by role.

>>> Account.ar_patient().role in PATIENT_ROLES, Account.cash().kind.value
(True, 'asset')
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import attrs

from claimcore._validate import instance, kind
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.ids import PayerId

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
    "Side",
    "WriteOffReason",
]


class Side(enum.StrEnum):
    """The side of an entry: a transfer debits one account and credits another."""

    DEBIT = "debit"
    CREDIT = "credit"


class AccountKind(enum.StrEnum):
    """What an account is in the chart: it decides the account's normal balance side."""

    ASSET = "asset"
    LIABILITY = "liability"
    REVENUE = "revenue"
    CONTRA_REVENUE = "contra_revenue"
    EXPENSE = "expense"

    @property
    def normal_side(self) -> Side:
        """Debit for assets, expenses and contra-revenue; credit for liabilities and revenue."""
        return _NORMAL_SIDE[self]


_NORMAL_SIDE: Final[Mapping[AccountKind, Side]] = MappingProxyType({
    AccountKind.ASSET: Side.DEBIT,
    AccountKind.EXPENSE: Side.DEBIT,
    AccountKind.CONTRA_REVENUE: Side.DEBIT,
    AccountKind.LIABILITY: Side.CREDIT,
    AccountKind.REVENUE: Side.CREDIT,
})


class WriteOffReason(enum.StrEnum):
    """Why a balance was written off; each reason has its own write-off account."""

    SMALL_BALANCE = "small_balance"
    BAD_DEBT = "bad_debt"
    CHARITY = "charity"
    PROMPT_PAY = "prompt_pay"
    ADMINISTRATIVE = "administrative"


class AccountRole(enum.StrEnum):
    """The place of an account in claimcore's chart of accounts."""

    AR_PAYER = "ar_payer"
    AR_PATIENT = "ar_patient"
    GROSS_REVENUE = "gross_revenue"
    CONTRACTUAL_ALLOWANCE = "contractual_allowance"
    OTHER_ADJUSTMENTS = "other_adjustments"
    WRITE_OFF = "write_off"
    CASH = "cash"
    PATIENT_CREDIT = "patient_credit"
    REFUNDS_PAYABLE = "refunds_payable"
    PAYER_CREDIT = "payer_credit"
    UNAPPLIED_CASH = "unapplied_cash"
    INTEREST_INCOME = "interest_income"
    DENIAL = "denial"


_ROLE_KIND: Final[Mapping[AccountRole, AccountKind]] = MappingProxyType({
    AccountRole.AR_PAYER: AccountKind.ASSET,
    AccountRole.AR_PATIENT: AccountKind.ASSET,
    AccountRole.CASH: AccountKind.ASSET,
    AccountRole.GROSS_REVENUE: AccountKind.REVENUE,
    AccountRole.CONTRACTUAL_ALLOWANCE: AccountKind.CONTRA_REVENUE,
    AccountRole.OTHER_ADJUSTMENTS: AccountKind.CONTRA_REVENUE,
    AccountRole.WRITE_OFF: AccountKind.CONTRA_REVENUE,
    AccountRole.PATIENT_CREDIT: AccountKind.LIABILITY,
    AccountRole.REFUNDS_PAYABLE: AccountKind.LIABILITY,
    AccountRole.PAYER_CREDIT: AccountKind.LIABILITY,
    AccountRole.UNAPPLIED_CASH: AccountKind.LIABILITY,
    AccountRole.INTEREST_INCOME: AccountKind.REVENUE,
    AccountRole.DENIAL: AccountKind.CONTRA_REVENUE,
})

_ROLE_KEY: Final[Mapping[AccountRole, str]] = MappingProxyType({
    AccountRole.AR_PAYER: "ar:payer",
    AccountRole.AR_PATIENT: "ar:patient",
    AccountRole.CASH: "cash",
    AccountRole.GROSS_REVENUE: "revenue:gross",
    AccountRole.CONTRACTUAL_ALLOWANCE: "contra:contractual",
    AccountRole.OTHER_ADJUSTMENTS: "contra:other",
    AccountRole.WRITE_OFF: "write_off",
    AccountRole.PATIENT_CREDIT: "liability:patient_credit",
    AccountRole.REFUNDS_PAYABLE: "liability:refunds_payable",
    AccountRole.PAYER_CREDIT: "liability:payer_credit",
    AccountRole.UNAPPLIED_CASH: "liability:unapplied",
    AccountRole.INTEREST_INCOME: "revenue:interest",
    AccountRole.DENIAL: "contra:denial",
})
_KEY_ROLE: Final[Mapping[str, AccountRole]] = MappingProxyType(
    {v: k for k, v in _ROLE_KEY.items()}
)
_WRITE_OFF_REASONS: Final = frozenset(r.value for r in WriteOffReason)
_PAYER_KEYS: Final[Mapping[str, AccountRole]] = MappingProxyType({
    _ROLE_KEY[r]: r
    for r in (AccountRole.AR_PAYER, AccountRole.PAYER_CREDIT, AccountRole.UNAPPLIED_CASH)
})

# -- the role groups: the only place that says which roles count together -------------------

RECEIVABLE_ROLES: Final = frozenset({AccountRole.AR_PAYER, AccountRole.AR_PATIENT})
"""Accounts receivable: what payers (``ar_payer``) and patients (``ar_patient``) owe."""

DENIAL_ROLES: Final = frozenset({AccountRole.DENIAL})
"""Denied amounts held apart (``contra:denial``): what a payer denied on a claim or line,
kept out of the contractual allowance until an appeal overturns it (the posting is
reversed to the payer's A/R) or it is written off."""

ADJUSTMENT_ROLES: Final = frozenset({
    AccountRole.CONTRACTUAL_ALLOWANCE, AccountRole.OTHER_ADJUSTMENTS,
}) | DENIAL_ROLES
"""The contra-revenue adjustments a remittance posts: contractual (CO), other (OA, PI) and
denials (:data:`DENIAL_ROLES`, their own account, never the contractual allowance).

Write-offs are contra-revenue too but are their own role: a provider's decision, not a
payer's adjustment."""

CREDIT_ROLES: Final = frozenset({AccountRole.PATIENT_CREDIT, AccountRole.REFUNDS_PAYABLE})
"""What is owed back to the patient: credits held and refunds approved (liabilities)."""

PATIENT_ROLES: Final = frozenset({AccountRole.AR_PATIENT}) | CREDIT_ROLES
"""The patient's accounts: cash exchanged with any of them is the patient's money."""

PAYER_LIABILITY_ROLES: Final = frozenset({AccountRole.PAYER_CREDIT, AccountRole.UNAPPLIED_CASH})
"""Cash a payer sent that is held, not applied (liabilities, never receivables): payer
credit (a duplicate payment or an overpayment, owed back to the payer) and unapplied cash
(a payment naming no known claim, in suspense until it is worked)."""

PAYER_ROLES: Final = frozenset({AccountRole.AR_PAYER}) | PAYER_LIABILITY_ROLES
"""The roles whose accounts are kept per payer (they name one)."""


@attrs.frozen(kw_only=True, cache_hash=True, repr=False)
class Account:
    """An account of the provider's chart, named by a stable string :attr:`key`.

    The chart: accounts receivable per payer (``ar:payer:<payer id>``) and from patients
    (``ar:patient``), gross revenue, the contractual allowance (group CO), other
    adjustments (groups OA and PI), write-offs per :class:`WriteOffReason`, cash, patient
    credits and refunds payable (both liabilities), per payer the payer credit (duplicate
    payments, overpayments) and unapplied cash (both liabilities), interest income
    (revenue) and denials held apart (``contra:denial``, contra-revenue). A bad-debt
    write-off is an expense; the other write-offs are contra-revenue. Build accounts with
    the constructors (``Account.cash()``, ``Account.ar_payer(payer_id)``, ...) or
    :meth:`parse`.

    FHIR: ``Account`` (the guarantor's account is a view over these).
    """

    role: AccountRole
    payer: PayerId | None = None
    reason: WriteOffReason | None = None

    def __attrs_post_init__(self) -> None:
        instance(self.role, AccountRole, "$.role")
        if self.role in PAYER_ROLES:
            instance(self.payer, PayerId, "$.payer")
        elif self.payer is not None:
            raise ValidationError(
                f"only a payer's account (A/R payer, payer credit, unapplied cash) names a "
                f"payer, not {self.role.value}",
                path="$.payer", rule="payer-not-allowed",
            )
        if self.role is AccountRole.WRITE_OFF:
            instance(self.reason, WriteOffReason, "$.reason")
        elif self.reason is not None:
            raise ValidationError(
                f"only a write-off account has a reason, not {self.role.value}",
                path="$.reason", rule="reason-not-allowed",
            )

    @classmethod
    def ar_payer(cls, payer: PayerId) -> Account:
        """Accounts receivable from one payer: what the payer still owes on claims."""
        return cls(role=AccountRole.AR_PAYER, payer=payer)

    @classmethod
    def ar_patient(cls) -> Account:
        """Accounts receivable from patients (self-pay and patient responsibility)."""
        return cls(role=AccountRole.AR_PATIENT)

    @classmethod
    def gross_revenue(cls) -> Account:
        """Gross patient service revenue, at full charge."""
        return cls(role=AccountRole.GROSS_REVENUE)

    @classmethod
    def contractual_allowance(cls) -> Account:
        """The contractual allowance: charge above the payer's contracted rate (group CO)."""
        return cls(role=AccountRole.CONTRACTUAL_ALLOWANCE)

    @classmethod
    def other_adjustments(cls) -> Account:
        """Other adjustments of revenue from remittances (groups OA and PI)."""
        return cls(role=AccountRole.OTHER_ADJUSTMENTS)

    @classmethod
    def write_off(cls, reason: WriteOffReason) -> Account:
        """Balances written off for ``reason`` (bad debt, charity, small balance, ...)."""
        return cls(role=AccountRole.WRITE_OFF, reason=reason)

    @classmethod
    def cash(cls) -> Account:
        """Cash: payer payments (835 ``BPR``) and patient payments received."""
        return cls(role=AccountRole.CASH)

    @classmethod
    def patient_credit(cls) -> Account:
        """Money a patient paid beyond what is owed, held as a credit (a liability)."""
        return cls(role=AccountRole.PATIENT_CREDIT)

    @classmethod
    def refunds_payable(cls) -> Account:
        """Refunds approved but not yet paid out (a liability)."""
        return cls(role=AccountRole.REFUNDS_PAYABLE)

    @classmethod
    def payer_credit(cls, payer: PayerId) -> Account:
        """Cash a payer sent beyond what it owed (a duplicate payment of a claim already
        paid, an overpayment): owed back to the payer until refunded or recouped (a
        liability)."""
        return cls(role=AccountRole.PAYER_CREDIT, payer=payer)

    @classmethod
    def unapplied_cash(cls, payer: PayerId) -> Account:
        """Cash from a payer for a claim payment that matches no known claim, held in
        suspense until it is identified (a liability)."""
        return cls(role=AccountRole.UNAPPLIED_CASH, payer=payer)

    @classmethod
    def interest_income(cls) -> Account:
        """Interest a payer paid on late claims (835 ``PLB`` ``L6``): revenue of its own."""
        return cls(role=AccountRole.INTEREST_INCOME)

    @classmethod
    def denial(cls) -> Account:
        """Denied amounts (a payer paid nothing on a claim or line, for a reason that is
        not contractual), held apart from the contractual allowance (contra-revenue) until
        an appeal overturns them or they are written off. Each transfer names the payer,
        claim, line, group and CARC."""
        return cls(role=AccountRole.DENIAL)

    @property
    def kind(self) -> AccountKind:
        """Asset, liability, revenue, contra-revenue or expense."""
        if self.reason is WriteOffReason.BAD_DEBT:
            return AccountKind.EXPENSE
        return _ROLE_KIND[self.role]

    @property
    def normal_side(self) -> Side:
        """The side on which this account's balance grows."""
        return self.kind.normal_side

    @property
    def is_receivable(self) -> bool:
        """Whether this is an accounts-receivable account (payer or patient)."""
        return self.role in RECEIVABLE_ROLES

    @property
    def key(self) -> str:
        """The stable string name: ``cash``, ``ar:payer:12345``, ``write_off:bad_debt``."""
        base = _ROLE_KEY[self.role]
        if self.payer is not None:
            return f"{base}:{self.payer.value}"
        if self.reason is not None:
            return f"{base}:{self.reason.value}"
        return base

    @classmethod
    def parse(cls, key: str) -> Account:
        """The account named by ``key``; the inverse of :attr:`key`."""
        if type(key) is not str:
            raise TypeMismatch(f"an account key must be a str, got {kind(key)}", rule="type")
        role = _KEY_ROLE.get(key)
        if role is not None and role not in PAYER_ROLES and role is not AccountRole.WRITE_OFF:
            return cls(role=role)
        head, _, rest = key.rpartition(":")
        payer_role = _PAYER_KEYS.get(head)
        if payer_role is not None and rest:
            return cls(role=payer_role, payer=PayerId(rest))
        if head == _ROLE_KEY[AccountRole.WRITE_OFF] and rest in _WRITE_OFF_REASONS:
            return cls.write_off(WriteOffReason(rest))
        raise ValidationError(
            f"{key[:60]!r} is not an account key (e.g. 'cash', 'ar:payer:12345', "
            "'write_off:bad_debt')",
            rule="account-key",
        )

    def __str__(self) -> str:
        return self.key

    def __repr__(self) -> str:
        return f"Account({self.key!r})"
