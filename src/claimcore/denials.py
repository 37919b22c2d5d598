"""Denials: which adjustments deny, why (a category), when to follow up, and appeal outcomes.

A payer denies a claim or a line when it pays nothing on it and says why with an
adjustment whose group is not the patient's (``CO``, ``OA``, ``PI``) and whose reason
(CARC) is not a contractual reduction such as ``CO-45``. Which groups and reasons count,
the category each reason falls into and the follow-up interval are data: a
:class:`DenialRules` value, :data:`DEFAULT_DENIAL_RULES` unless the caller passes its own
(to :func:`claimcore.posting.post_remittance`, ``denial_rules=``).

>>> from claimcore.codes import CARC, AdjustmentGroup
>>> DEFAULT_DENIAL_RULES.category(CARC("50")).value
'medical_necessity'
>>> DEFAULT_DENIAL_RULES.category(CARC("B7")).value  # not in the table
'other'
>>> DEFAULT_DENIAL_RULES.denies(AdjustmentGroup.CONTRACTUAL_OBLIGATION, CARC("45"))
False
>>> from datetime import date
>>> DEFAULT_DENIAL_RULES.follow_up_on(date(2026, 3, 2))
datetime.date(2026, 4, 1)

A caller's own table replaces the categories (or any other part):

>>> import attrs
>>> mine = attrs.evolve(DEFAULT_DENIAL_RULES, categories={CARC("B7"): DenialCategory.CODING},
...                     follow_up_days=14)
>>> mine.category(CARC("B7")).value, mine.category(CARC("50")).value
('coding', 'other')
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from types import MappingProxyType
from typing import Final

import attrs

from claimcore._validate import an_int, instance, kind, to_frozenset
from claimcore.adjustments import Adjustment
from claimcore.codes import CARC, AdjustmentGroup
from claimcore.errors import TypeMismatch, ValidationError

__all__ = [
    "DEFAULT_DENIAL_CATEGORIES",
    "DEFAULT_DENIAL_RULES",
    "AppealOutcome",
    "DenialCategory",
    "DenialRules",
]


class DenialCategory(enum.StrEnum):
    """Why a claim or line was denied, as a denial work queue sorts it."""

    ELIGIBILITY = "eligibility"
    """The patient was not covered on the date of service, or not known to the payer."""
    AUTHORIZATION = "authorization"
    """A prior authorization, precertification or referral was missing or exceeded."""
    CODING = "coding"
    """A code, modifier or code combination is invalid or inconsistent (age, sex, place)."""
    MEDICAL_NECESSITY = "medical_necessity"
    """The payer judged the service not medically necessary, or not at that level."""
    TIMELY_FILING = "timely_filing"
    """The claim arrived after the payer's filing limit."""
    DUPLICATE = "duplicate"
    """The payer holds the claim or service as a duplicate of one already decided."""
    BUNDLING = "bundling"
    """Included in another service's payment (bundling, NCCI procedure-to-procedure)."""
    COORDINATION_OF_BENEFITS = "coordination_of_benefits"
    """Another payer pays first, or the other payer's information is missing."""
    MISSING_INFORMATION = "missing_information"
    """The claim lacks information, an attachment or a reply the payer asked for."""
    OTHER = "other"
    """Any reason the table does not place."""


class AppealOutcome(enum.StrEnum):
    """What the payer's new decision did to a denial (after an appeal or a reprocessing).

    Read by :func:`claimcore.posting.post_remittance` from the denied amount held before
    the decision and the amount the decision still denies.
    """

    UPHELD = "upheld"
    """The whole denied amount is still denied."""
    OVERTURNED = "overturned"
    """Nothing is denied any more: the payer paid or adjusted it as a covered service."""
    PARTIALLY_OVERTURNED = "partially_overturned"
    """Part of the denied amount is still denied."""


_E, _A, _C, _M = (DenialCategory.ELIGIBILITY, DenialCategory.AUTHORIZATION,
                  DenialCategory.CODING, DenialCategory.MEDICAL_NECESSITY)
_T, _D, _B, _O, _I = (DenialCategory.TIMELY_FILING, DenialCategory.DUPLICATE,
                      DenialCategory.BUNDLING, DenialCategory.COORDINATION_OF_BENEFITS,
                      DenialCategory.MISSING_INFORMATION)
_TABLE: Final[Mapping[str, DenialCategory]] = {
    # eligibility and coverage dates
    "26": _E, "27": _E, "31": _E, "32": _E, "33": _E, "109": _E, "177": _E, "200": _E,
    # authorization, precertification, referral
    "15": _A, "39": _A, "62": _A, "197": _A, "198": _A, "288": _A,
    # coding: code, modifier and diagnosis consistency
    "4": _C, "5": _C, "6": _C, "7": _C, "8": _C, "9": _C, "10": _C, "11": _C, "146": _C,
    "181": _C, "182": _C, "189": _C, "199": _C,
    # medical necessity and level of service
    "50": _M, "55": _M, "56": _M, "150": _M, "151": _M, "152": _M, "167": _M,
    # timely filing
    "29": _T,
    # duplicate
    "18": _D,
    # bundling / NCCI
    "97": _B, "231": _B, "234": _B, "236": _B, "B15": _B,
    # coordination of benefits
    "22": _O, "B13": _O,
    # missing information
    "16": _I, "125": _I, "226": _I, "227": _I, "252": _I,
}
DEFAULT_DENIAL_CATEGORIES: Final[Mapping[CARC, DenialCategory]] = MappingProxyType(
    {CARC(code): category for code, category in _TABLE.items()}
)
"""claimcore's CARC -> :class:`DenialCategory` table: about 50 of the reasons payers deny
with most, each in one category (a starting point; replace it with your payers' usage)."""

_NEVER: Final = frozenset(CARC(c) for c in (
    "23",   # impact of prior payers: what an earlier payer covered
    "44",   # prompt-pay discount
    "45",   # charge above the fee schedule or contracted amount
    "59",   # multiple or concurrent procedure reduction
    "94",   # processed in excess of charges
    "131",  # claim-specific negotiated discount
    "144",  # incentive adjustment
    "253",  # sequestration
))


def _categories(value: Mapping[CARC, DenialCategory]) -> Mapping[CARC, DenialCategory]:
    if not isinstance(value, Mapping):
        raise TypeMismatch(f"must be a mapping of CARC to DenialCategory, got {kind(value)}",
                           path="$.categories", rule="type")
    for reason, category in value.items():
        instance(reason, CARC, "$.categories")
        instance(category, DenialCategory, f"$.categories[{reason.code}]")
    return value if isinstance(value, MappingProxyType) else MappingProxyType(dict(value))


def _groups(value: Iterable[AdjustmentGroup]) -> frozenset[AdjustmentGroup]:
    return to_frozenset(value)


def _reasons(value: Iterable[CARC]) -> frozenset[CARC]:
    return to_frozenset(value)


@attrs.frozen(kw_only=True)
class DenialRules:
    """What counts as a denial, its category, and when to follow it up.

    An adjustment denies when its group is in ``groups`` (default ``CO``, ``OA``, ``PI``:
    never the patient's ``PR``) and its reason is not in ``not_denials`` (contractual
    reductions such as ``CO-45``, prior-payer ``OA-23``, sequestration ``CO-253``), on a
    claim or line the payer paid nothing on. ``categories`` maps a CARC to its
    :class:`DenialCategory` (anything else is ``other``); ``follow_up_days`` is how long
    after the posting date a denial is due to be worked.
    """

    categories: Mapping[CARC, DenialCategory] = attrs.field(
        default=DEFAULT_DENIAL_CATEGORIES, converter=_categories)
    groups: frozenset[AdjustmentGroup] = attrs.field(
        default=frozenset({AdjustmentGroup.CONTRACTUAL_OBLIGATION,
                           AdjustmentGroup.OTHER_ADJUSTMENT,
                           AdjustmentGroup.PAYER_INITIATED_REDUCTION}),
        converter=_groups)
    not_denials: frozenset[CARC] = attrs.field(default=_NEVER, converter=_reasons)
    follow_up_days: int = 30

    def __attrs_post_init__(self) -> None:
        for g in self.groups:
            instance(g, AdjustmentGroup, "$.groups")
        if AdjustmentGroup.PATIENT_RESPONSIBILITY in self.groups:
            raise ValidationError(
                "PR is the patient's share, never a denial", path="$.groups", rule="group")
        for r in self.not_denials:
            instance(r, CARC, "$.not_denials")
        an_int(self.follow_up_days, "$.follow_up_days", low=0, high=3650)

    def denies(self, group: AdjustmentGroup, reason: CARC) -> bool:
        """Whether an adjustment of ``group`` and ``reason`` denies (on an unpaid item)."""
        return group in self.groups and reason not in self.not_denials

    def denying(self, adjustments: Iterable[Adjustment]) -> tuple[Adjustment, ...]:
        """The positive adjustments among ``adjustments`` that deny."""
        return tuple(a for a in adjustments
                     if a.amount.is_positive() and self.denies(a.group, a.reason))

    def category(self, reason: CARC) -> DenialCategory:
        """The category of a denial for ``reason`` (``other`` when the table lacks it)."""
        return self.categories.get(reason, DenialCategory.OTHER)

    def category_of(self, adjustments: Iterable[Adjustment]) -> DenialCategory:
        """The category of the largest denying adjustment (the first of equals), else
        ``other``."""
        denying = self.denying(adjustments)
        if not denying:
            return DenialCategory.OTHER
        largest = max(denying, key=lambda a: a.amount)
        return self.category(largest.reason)

    def follow_up_on(self, on: date) -> date:
        """When a denial posted on ``on`` is due to be worked: ``on`` + ``follow_up_days``."""
        return on + timedelta(days=self.follow_up_days)


DEFAULT_DENIAL_RULES: Final = DenialRules()
"""The rules :func:`claimcore.posting.post_remittance` uses unless given others: CO, OA and
PI deny, :data:`DEFAULT_DENIAL_CATEGORIES`, follow up after 30 days."""
