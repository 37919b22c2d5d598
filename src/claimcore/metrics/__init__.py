"""Revenue-cycle KPIs: the figures a billing office runs on, from a ledger and its claims.

Each KPI is a pure function of a :class:`~claimcore.ledger.Ledger`, its claims, an
``as_of`` date and a ``period`` (HFMA's MAP Keys and the usual RCM dashboards): days in
A/R (gross and net), A/R over 90 and 120 days, clean claim and first-pass resolution
rates, initial denial rate (count and amount), denials by category and payer, denial
overturn rate, gross and net collection rates, cash as a share of net revenue, charge and
bill lag, and aging by account, patient, guarantor, claim, payer or financial class.

Every ratio is read from one partial aggregate, :class:`Figures` (sums and counts), that
:func:`combine` adds across disjoint partitions of a ledger: figures of any split combine
to the single-machine numbers. Ratios are ``Decimal`` (four places, half-even; days to
0.1), ``None`` when the denominator is zero. See docs/metrics.md.
"""

from claimcore.metrics._aging import aging_by, receivable_balance
from claimcore.metrics._figures import (
    DenialTotal,
    Figures,
    ar_over_90,
    ar_over_120,
    bill_lag,
    cash_to_net_revenue,
    charge_lag,
    clean_claim_rate,
    combine,
    days_in_ar,
    denial_overturn_rate,
    denials_by_category,
    denials_by_payer,
    figures,
    first_pass_resolution_rate,
    gross_collection_rate,
    initial_denial_rate,
    net_collection_rate,
)

__all__ = [
    "DenialTotal",
    "Figures",
    "aging_by",
    "ar_over_90",
    "ar_over_120",
    "bill_lag",
    "cash_to_net_revenue",
    "charge_lag",
    "clean_claim_rate",
    "combine",
    "days_in_ar",
    "denial_overturn_rate",
    "denials_by_category",
    "denials_by_payer",
    "figures",
    "first_pass_resolution_rate",
    "gross_collection_rate",
    "initial_denial_rate",
    "net_collection_rate",
    "receivable_balance",
]
