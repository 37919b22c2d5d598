"""Coverage: payers, plans, subscribers, benefits, the patient's estimate and payer order.

Before a visit the front desk asks three questions, and this module answers each with
values and pure functions:

* *Who pays, and by when must we bill them?* A :class:`Payer` carries its timely-filing
  limit (:class:`TimelyFiling`) and appeal rules (:class:`AppealRules`) as data.
* *In which order do the patient's plans pay?* :func:`order_coverages` ranks the active
  :class:`Coverage` records by the NAIC coordination-of-benefits rules and the Medicare
  secondary payer rules, giving the reason for each place.
* *What will the patient owe?* :func:`estimate_responsibility` splits an allowed amount
  into copay, deductible, coinsurance and the payer's share from the plan's
  :class:`Benefits`, to the cent.

Subscriber names, birth dates, addresses and member ids are PHI: no ``repr``, ``str`` or
error message of this module shows them.

>>> from datetime import date
>>> from decimal import Decimal
>>> from claimcore.money import Money, Rate
>>> from claimcore.periods import Period
>>> from claimcore.coverage import (
...     MEDICARE_TIMELY_FILING, Accumulator, Benefits, NetworkBenefits, estimate_responsibility)
>>> MEDICARE_TIMELY_FILING.deadline(date(2024, 2, 29))
datetime.date(2025, 2, 28)
>>> benefits = Benefits(
...     period=Period(date(2026, 1, 1), date(2026, 12, 31)),
...     in_network=NetworkBenefits(
...         individual_deductible=Accumulator(limit=Money(Decimal("1500.00")),
...                                           met=Money(Decimal("1300.00"))),
...         coinsurance=Rate.percent(20),
...     ),
... )
>>> estimate = estimate_responsibility(benefits, Money(Decimal("300.00")))
>>> estimate.deductible, estimate.coinsurance, estimate.payer
(Money('200.00'), Money('20.00'), Money('80.00'))
>>> estimate.patient
Money('220.00')
"""

from typing import TYPE_CHECKING

from claimcore._lazy import lazy_face
from claimcore.coverage._coverage import (
    Coverage,
    CoverageOrder,
    EmploymentStatus,
    MedicareSecondaryType,
    Network,
    Plan,
    PlanType,
    Relationship,
    Subscriber,
)
from claimcore.coverage._payers import (
    MEDICARE_APPEALS,
    MEDICARE_TIMELY_FILING,
    AppealLevel,
    AppealRules,
    Payer,
    PayerKind,
    TimelyFiling,
)

if TYPE_CHECKING:
    from claimcore.coverage._benefits import (
        Accumulator,
        Benefits,
        Copay,
        NetworkBenefits,
        ResponsibilityEstimate,
        ServiceType,
        estimate_responsibility,
        service_type_code,
    )
    from claimcore.coverage._order import CobReason, CoverageRank, order_coverages

# Payers and coverage records load with the package (a claim holds them); benefits, the
# estimate and the payer order on first use. Either way a name is the submodule's own object.
if not TYPE_CHECKING:
    # Where each deferred name is defined (PEP 562; claimcore._lazy).
    __getattr__, __dir__ = lazy_face(__name__, globals(), {
        "claimcore.coverage._benefits": (
            "Accumulator", "Benefits", "Copay", "NetworkBenefits", "ResponsibilityEstimate",
            "ServiceType", "estimate_responsibility", "service_type_code",
        ),
        "claimcore.coverage._order": ("CobReason", "CoverageRank", "order_coverages"),
    })

__all__ = [
    "MEDICARE_APPEALS",
    "MEDICARE_TIMELY_FILING",
    "Accumulator",
    "AppealLevel",
    "AppealRules",
    "Benefits",
    "CobReason",
    "Copay",
    "Coverage",
    "CoverageOrder",
    "CoverageRank",
    "EmploymentStatus",
    "MedicareSecondaryType",
    "Network",
    "NetworkBenefits",
    "Payer",
    "PayerKind",
    "Plan",
    "PlanType",
    "Relationship",
    "ResponsibilityEstimate",
    "ServiceType",
    "Subscriber",
    "TimelyFiling",
    "estimate_responsibility",
    "order_coverages",
    "service_type_code",
]
