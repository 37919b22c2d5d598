"""Order of benefits: which coverage pays first, by the NAIC and Medicare secondary payer rules."""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Final

import attrs

from claimcore._validate import a_date, instance, members, optional_instance, to_tuple
from claimcore.coverage._coverage import (
    ORDERS,
    Coverage,
    CoverageOrder,
    EmploymentStatus,
    MedicareSecondaryType,
    Relationship,
)
from claimcore.coverage._payers import PayerKind
from claimcore.errors import ValidationError
from claimcore.patients import Patient
from claimcore.periods import age_on

__all__ = ["CobReason", "CoverageRank", "order_coverages"]

_MEDICARE_AGE: Final = 65


class CobReason(enum.StrEnum):
    """Why a coverage holds its place in the payer order (see :func:`order_coverages`).

    Each reason names its source: :attr:`description` and :attr:`source`.
    """

    ONLY_COVERAGE = "only_coverage"
    LIABILITY_FIRST = "liability_first"
    ACTIVE_EMPLOYMENT_BEFORE_MEDICARE = "active_employment_before_medicare"
    MEDICARE_BEFORE_RETIREE = "medicare_before_retiree"
    NON_DEPENDENT_FIRST = "non_dependent_first"
    BIRTHDAY_RULE = "birthday_rule"
    ACTIVE_BEFORE_RETIREE = "active_before_retiree"
    COBRA_LAST = "cobra_last"
    LONGER_COVERAGE = "longer_coverage"
    TRICARE_AFTER_OTHER = "tricare_after_other"
    MEDICAID_LAST = "medicaid_last"
    SELF_PAY_LAST = "self_pay_last"
    TIE_BREAK = "tie_break"
    INACTIVE = "inactive"

    @property
    def description(self) -> str:
        """What the rule says, in a sentence."""
        return _COB_RULES[self][0]

    @property
    def source(self) -> str:
        """Where the rule comes from."""
        return _COB_RULES[self][1]


_NAIC: Final = "NAIC Coordination of Benefits Model Regulation (MDL-120), section 6"
_COB_RULES: Final[Mapping[CobReason, tuple[str, str]]] = MappingProxyType({
    CobReason.ONLY_COVERAGE: ("the only active coverage pays first", "-"),
    CobReason.LIABILITY_FIRST: (
        "workers' compensation and automobile (no-fault or liability) coverage pay first "
        "for the injury they cover",
        "42 CFR 411 subparts C and D; CMS Medicare Secondary Payer Manual (Pub. 100-05) "
        "ch. 1 and 2; state no-fault and workers' compensation law",
    ),
    CobReason.ACTIVE_EMPLOYMENT_BEFORE_MEDICARE: (
        "a group health plan from current employment pays before Medicare (the "
        "beneficiary's or the spouse's employment at 65 and over; any family member's "
        "under 65)",
        "42 CFR 411 subparts G (working aged) and H (disabled); CMS Medicare Secondary "
        "Payer Manual (Pub. 100-05) ch. 1 and 2",
    ),
    CobReason.MEDICARE_BEFORE_RETIREE: (
        "Medicare pays before retiree, COBRA and other coverage not from current "
        "employment",
        "42 CFR 411.172 and 411.204; CMS Medicare Secondary Payer Manual (Pub. 100-05) "
        "ch. 2",
    ),
    CobReason.NON_DEPENDENT_FIRST: (
        "the plan covering the patient as subscriber or employee pays before a plan "
        "covering the patient as a dependent", _NAIC,
    ),
    CobReason.BIRTHDAY_RULE: (
        "for a child covered by both parents, the plan of the parent whose birthday "
        "(month and day) comes first in the year pays first", _NAIC,
    ),
    CobReason.ACTIVE_BEFORE_RETIREE: (
        "the plan covering the patient as an active employee (or an active employee's "
        "dependent) pays before a retiree plan", _NAIC,
    ),
    CobReason.COBRA_LAST: (
        "COBRA or state continuation coverage pays after other coverage", _NAIC,
    ),
    CobReason.LONGER_COVERAGE: (
        "the plan that has covered the patient longer (the earlier start) pays first",
        _NAIC,
    ),
    CobReason.TRICARE_AFTER_OTHER: (
        "TRICARE pays after other health coverage, Medicaid excepted",
        "10 U.S.C. 1079(j)(1); 32 CFR 199.8",
    ),
    CobReason.MEDICAID_LAST: (
        "Medicaid is the payer of last resort",
        "42 U.S.C. 1396a(a)(25); 42 CFR 433.139",
    ),
    CobReason.SELF_PAY_LAST: ("self-pay comes after every insurer", "-"),
    CobReason.TIE_BREAK: (
        "no coordination rule decides between these coverages: ordered by payer id and a "
        "stable fingerprint; confirm the order with the payers", _NAIC,
    ),
    CobReason.INACTIVE: (
        "the coverage is not in force on the date asked, so it has no place", "-"
    ),
})

# Payer classes in payment order. A commercial plan is a group health plan (GHP): before
# Medicare when it comes from current employment, after Medicare otherwise.
_LIABILITY, _GHP_FIRST, _MEDICARE, _AFTER_MEDICARE, _TRICARE, _MEDICAID, _SELF_PAY = range(7)
_CLASS_REASONS: Final[Mapping[int, CobReason]] = MappingProxyType({
    _MEDICARE: CobReason.ACTIVE_EMPLOYMENT_BEFORE_MEDICARE,
    _AFTER_MEDICARE: CobReason.MEDICARE_BEFORE_RETIREE,
    _TRICARE: CobReason.TRICARE_AFTER_OTHER,
    _MEDICAID: CobReason.MEDICAID_LAST,
    _SELF_PAY: CobReason.SELF_PAY_LAST,
})
_WORKING_AGED_RELATIONSHIPS: Final = frozenset(
    {Relationship.SELF, Relationship.EMPLOYEE, Relationship.SPOUSE}
)


@attrs.frozen(kw_only=True)
class CoverageRank:
    """A coverage's place in the payer order, and the rule that put it there.

    ``order`` is ``None`` for a coverage left out (``reason`` :attr:`CobReason.INACTIVE`).
    """

    coverage: Coverage
    order: CoverageOrder | None
    reason: CobReason

    def __attrs_post_init__(self) -> None:
        instance(self.coverage, Coverage, "$.coverage")
        optional_instance(self.order, CoverageOrder, "$.order")
        instance(self.reason, CobReason, "$.reason")
        if (self.order is None) != (self.reason is CobReason.INACTIVE):
            raise ValidationError(
                "a coverage has no order exactly when it is left out as inactive",
                path="$.order", rule="order-reason",
            )


@attrs.frozen(kw_only=True)
class _Facts:
    coverage: Coverage
    payer_class: int
    fingerprint: str


def _payer_class(coverage: Coverage, *, medicare: bool, age: int) -> int:
    kind_ = coverage.payer.kind
    if kind_ in (PayerKind.WORKERS_COMPENSATION, PayerKind.AUTO):
        return _LIABILITY
    if kind_ is PayerKind.MEDICARE:
        return _MEDICARE
    if kind_ is PayerKind.TRICARE:
        return _TRICARE
    if kind_ is PayerKind.MEDICAID:
        return _MEDICAID
    if kind_ is PayerKind.SELF_PAY:
        return _SELF_PAY
    if not medicare:
        return _GHP_FIRST
    from_current_employment = (
        coverage.subscriber.employment_status is EmploymentStatus.ACTIVE
        and (age < _MEDICARE_AGE or coverage.relationship in _WORKING_AGED_RELATIONSHIPS)
    )
    return _GHP_FIRST if from_current_employment else _AFTER_MEDICARE


def _compare(a: _Facts, b: _Facts) -> tuple[int, CobReason]:
    """Negative when ``a`` pays before ``b``, with the rule that decides it."""
    if a.payer_class != b.payer_class:
        sign = -1 if a.payer_class < b.payer_class else 1
        first, later = sorted((a.payer_class, b.payer_class))
        reason = (CobReason.LIABILITY_FIRST if first == _LIABILITY
                  else _CLASS_REASONS[later])
        return sign, reason
    x, y = a.coverage, b.coverage
    if x.relationship.is_dependent != y.relationship.is_dependent:
        return (1 if x.relationship.is_dependent else -1), CobReason.NON_DEPENDENT_FIRST
    children = (x.relationship is Relationship.CHILD, y.relationship is Relationship.CHILD)
    if all(children):
        bx, by = x.subscriber.birth_date, y.subscriber.birth_date
        if (bx.month, bx.day) != (by.month, by.day):
            return (-1 if (bx.month, bx.day) < (by.month, by.day) else 1,
                    CobReason.BIRTHDAY_RULE)
    if not any(children) or all(children):
        # A child covered by a parent's plan and as a spouse elsewhere goes straight to
        # the length-of-coverage rule.
        sign, reason = _compare_employment(x.subscriber.employment_status,
                                           y.subscriber.employment_status)
        if sign:
            return sign, reason
    if x.period.start != y.period.start:
        return (-1 if x.period.start < y.period.start else 1), CobReason.LONGER_COVERAGE
    kx = (x.payer.payer_id.value, a.fingerprint)
    ky = (y.payer.payer_id.value, b.fingerprint)
    return (-1 if kx < ky else 1 if kx > ky else 0), CobReason.TIE_BREAK


def _before(a: _Facts, b: _Facts) -> int:
    return _compare(a, b)[0]


def _compare_employment(x: EmploymentStatus, y: EmploymentStatus) -> tuple[int, CobReason]:
    cobra = EmploymentStatus.COBRA
    if (x is cobra) != (y is cobra):
        return (1 if x is cobra else -1), CobReason.COBRA_LAST
    pair = {x, y}
    if pair == {EmploymentStatus.ACTIVE, EmploymentStatus.RETIRED}:
        return (-1 if x is EmploymentStatus.ACTIVE else 1), CobReason.ACTIVE_BEFORE_RETIREE
    return 0, CobReason.TIE_BREAK


def _identity_key(coverage: Coverage) -> str:
    # Every field, so that distinct coverages never tie; used only as a sort key, never shown.
    return repr(attrs.astuple(coverage))


def _with_msp_type(medicare: Coverage, ahead: list[_Facts], *, age: int) -> Coverage:
    """The Medicare coverage with the reason it pays second, where the order tells it."""
    kinds = {f.coverage.payer.kind for f in ahead}
    msp: MedicareSecondaryType | None
    if not ahead:
        msp = None
    elif PayerKind.WORKERS_COMPENSATION in kinds:
        msp = MedicareSecondaryType.WORKERS_COMPENSATION
    elif PayerKind.AUTO in kinds:
        msp = MedicareSecondaryType.NO_FAULT
    elif any(f.payer_class == _GHP_FIRST for f in ahead):
        msp = (MedicareSecondaryType.WORKING_AGED if age >= _MEDICARE_AGE
               else MedicareSecondaryType.DISABLED)
    else:  # ahead for a reason claimcore does not model: keep what the caller recorded
        msp = medicare.medicare_secondary_type
    if msp is medicare.medicare_secondary_type:
        return medicare
    return attrs.evolve(medicare, medicare_secondary_type=msp)


def order_coverages(
    patient: Patient, coverages: Iterable[Coverage], *, on: date
) -> tuple[CoverageRank, ...]:
    """The patient's coverages in payment order on ``on``, each with the rule behind its place.

    Coverages not in force on ``on`` are left out: they come last, with ``order=None``
    and reason :attr:`CobReason.INACTIVE`. The others get ``P``, ``S``, ``T``, ``A``...
    The rules, first match wins:

    1. Workers' compensation and auto coverage first (for the injury they cover).
    2. Medicare secondary payer rules, when Medicare is among the coverages: a group
       health plan from current employment pays before Medicare (the patient's own or
       spouse's employment when the patient is 65 or over, on ``on``; any family member's
       under 65); Medicare pays before retiree, COBRA and other coverage. Then TRICARE,
       then Medicaid (payer of last resort), then self-pay.
    3. NAIC rules among the rest: the patient's own coverage (self or employee) before a
       dependent's; for a child covered by both parents, the birthday rule (the parent
       whose birthday month and day come first); a plan from active employment before a
       retiree plan; COBRA after other coverage; the longer-held coverage (earlier start)
       first.
    4. Ties: payer id, then a fingerprint of every field.

    Each ranked coverage comes back with its own ``order`` set to its place (an inactive
    one keeps the order it was given). A Medicare coverage comes back with its
    ``medicare_secondary_type`` derived from what pays ahead of it: workers'
    compensation ``15``, auto ``14`` (no-fault; ``47`` liability is the caller's to
    record), a group health plan from current employment ``12`` at 65 and over, ``43``
    under 65 (ESRD's ``13`` is not modelled); ``None`` when Medicare is primary. The
    result does not depend on the order ``coverages`` come in. A coverage's reason is
    the rule deciding it against the coverage just above it (for the primary: against the
    secondary). Limits: the employer-size thresholds of the MSP rules (20 employees for
    the working aged, 100 for the disabled), the ESRD coordination period and the custody
    rules for children of separated parents are not modelled; confirm those cases by hand.
    """
    instance(patient, Patient, "$.patient")
    a_date(on, "$.on")
    given = members(to_tuple(coverages), Coverage, "$.coverages")
    active = [c for c in given if c.is_active(on)]
    inactive = [c for c in given if not c.is_active(on)]
    if len(active) > len(ORDERS):
        raise ValidationError(
            f"X12 orders at most {len(ORDERS)} payers, got {len(active)} active coverages",
            path="$.coverages", rule="too-many-coverages",
        )
    medicare = any(c.payer.kind is PayerKind.MEDICARE for c in active)
    age = age_on(patient.birth_date, on)
    facts = sorted(
        (_Facts(coverage=c, payer_class=_payer_class(c, medicare=medicare, age=age),
                fingerprint=_identity_key(c))
         for c in active),
        key=lambda f: f.fingerprint,
    )
    # Sorting from a canonical start keeps the result independent of the input order.
    facts.sort(key=functools.cmp_to_key(_before))
    ranked: list[CoverageRank] = []
    for i, fact in enumerate(facts):
        if fact.payer_class == _MEDICARE:
            fact = attrs.evolve(fact, coverage=_with_msp_type(fact.coverage, facts[:i],
                                                              age=age))
        if len(facts) == 1:
            reason = CobReason.ONLY_COVERAGE
        elif i == 0:
            reason = _compare(fact, facts[1])[1]
        else:
            reason = _compare(facts[i - 1], fact)[1]
        order = CoverageOrder.from_rank(i + 1)
        # The coverage comes back with its own order set to its place, so that what is
        # sent on to claims (SBR01) and eligibility agrees with the ranking.
        coverage = (fact.coverage if fact.coverage.order is order
                    else attrs.evolve(fact.coverage, order=order))
        ranked.append(CoverageRank(coverage=coverage, order=order, reason=reason))
    ranked.extend(
        CoverageRank(coverage=coverage, order=None, reason=CobReason.INACTIVE)
        for coverage in sorted(inactive, key=_identity_key)
    )
    return tuple(ranked)
