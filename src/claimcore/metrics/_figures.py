"""Revenue-cycle KPIs as one partial aggregate (:class:`Figures`) and the ratios it gives."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import ROUND_HALF_EVEN, Context, Decimal
from types import MappingProxyType
from typing import Final, Literal

import attrs

from claimcore._validate import a_date, instance, members, to_tuple
from claimcore.claims import AdjudicationOutcome, Claim, ClaimStatus
from claimcore.denials import DEFAULT_DENIAL_RULES, DenialCategory, DenialRules
from claimcore.errors import ValidationError
from claimcore.ids import PayerId
from claimcore.ledger import (
    PATIENT_ROLES,
    AccountRole,
    AgingBasis,
    AgingGroup,
    Ledger,
    Transfer,
    TransferCode,
)
from claimcore.metrics._aging import aging_by
from claimcore.money import Money
from claimcore.periods import AgingBuckets, Period

__all__ = [
    "DenialTotal",
    "Figures",
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
]

_CONTEXT: Final = Context(prec=28, rounding=ROUND_HALF_EVEN)
_RATE: Final = Decimal("0.0001")
_DAYS: Final = Decimal("0.1")
_OVER: Final = AgingBuckets((90, 120))
_DECIDING: Final = frozenset({
    TransferCode.PAYER_PAYMENT, TransferCode.CONTRACTUAL, TransferCode.OTHER_ADJUSTMENT,
    TransferCode.PATIENT_RESPONSIBILITY, TransferCode.COB_TRANSFER, TransferCode.DENIAL,
})
By = Literal["count", "amount"]


def _ratio(numerator: Decimal | int, denominator: Decimal | int,
           places: Decimal = _RATE) -> Decimal | None:
    """``numerator / denominator`` rounded half-even to ``places``; ``None`` for ``x / 0``."""
    if not denominator:
        return None
    return _CONTEXT.divide(Decimal(numerator), Decimal(denominator)).quantize(
        places, context=_CONTEXT)


@attrs.frozen(kw_only=True)
class DenialTotal:
    """Denials of one category or payer: how many claims (per payer) and how much."""

    key: object
    count: int
    amount: Money

    def __attrs_post_init__(self) -> None:
        instance(self.amount, Money, "$.amount")

    def __add__(self, other: DenialTotal) -> DenialTotal:
        return DenialTotal(key=self.key, count=self.count + other.count,
                           amount=self.amount + other.amount)


def _totals(value: Iterable[DenialTotal]) -> tuple[DenialTotal, ...]:
    return to_tuple(value)


_MONEY: Final = (
    "charges", "contractual", "other_adjusted", "denied", "written_off", "payer_cash",
    "patient_cash", "receivable", "over_90", "over_120", "decided_amount",
    "initially_denied_amount", "overturned_amount", "first_denied_amount",
)
_COUNTS: Final = (
    "submitted", "clean", "adjudicated", "first_pass", "bill_lag_days", "billed",
    "charge_lag_days", "charged_lines", "decided", "initially_denied", "first_denied",
    "overturned",
)


def _zero() -> Money:
    return Money.zero()


@attrs.frozen(kw_only=True)
class Figures:
    """The sums and counts every KPI is a ratio of, for one ledger (or one partition).

    Money in the ``period`` (net of reversals, transfers dated in it): ``charges`` (gross
    revenue), ``contractual`` (CO to the contractual allowance), ``other_adjusted`` (OA,
    PI), ``denied`` (to the denial account), ``written_off``, ``payer_cash`` and
    ``patient_cash`` (cash against payer and patient accounts). As of ``as_of``:
    ``receivable`` (A/R payer + A/R patient) and what of it is ``over_90`` and
    ``over_120`` days from the date of service. Claims first submitted in the period:
    ``submitted``, ``clean`` (never rejected, never corrected), ``adjudicated``,
    ``first_pass`` (clean and paid on the one decision, no appeal), ``billed`` and
    ``bill_lag_days``; claim lines charged in the period: ``charged_lines`` and
    ``charge_lag_days``. First decisions of a payer on a claim made in the period:
    ``decided`` (``decided_amount``, what they took off the payer's A/R),
    ``initially_denied`` (``initially_denied_amount``); of those denied, ``first_denied``
    claims were decided again by ``as_of`` and ``overturned`` in full (the amounts:
    ``first_denied_amount`` and ``overturned_amount``). Denials by category and payer
    are ``by_category`` and ``by_payer``.

    Every field is a sum, so figures of disjoint partitions of a ledger (whole patients
    or encounters in each) :func:`combine` into the figures of the whole: the map-reduce
    shape for ledgers too large for one machine.
    """

    period: Period
    as_of: date
    charges: Money = attrs.field(factory=_zero)
    contractual: Money = attrs.field(factory=_zero)
    other_adjusted: Money = attrs.field(factory=_zero)
    denied: Money = attrs.field(factory=_zero)
    written_off: Money = attrs.field(factory=_zero)
    payer_cash: Money = attrs.field(factory=_zero)
    patient_cash: Money = attrs.field(factory=_zero)
    receivable: Money = attrs.field(factory=_zero)
    over_90: Money = attrs.field(factory=_zero)
    over_120: Money = attrs.field(factory=_zero)
    submitted: int = 0
    clean: int = 0
    adjudicated: int = 0
    first_pass: int = 0
    billed: int = 0
    bill_lag_days: int = 0
    charged_lines: int = 0
    charge_lag_days: int = 0
    decided: int = 0
    decided_amount: Money = attrs.field(factory=_zero)
    initially_denied: int = 0
    initially_denied_amount: Money = attrs.field(factory=_zero)
    first_denied: int = 0
    first_denied_amount: Money = attrs.field(factory=_zero)
    overturned: int = 0
    overturned_amount: Money = attrs.field(factory=_zero)
    by_category: tuple[DenialTotal, ...] = attrs.field(default=(), converter=_totals)
    by_payer: tuple[DenialTotal, ...] = attrs.field(default=(), converter=_totals)

    def __attrs_post_init__(self) -> None:
        instance(self.period, Period, "$.period")
        a_date(self.as_of, "$.as_of")
        if self.period.end is None:
            raise ValidationError("a KPI period has an end", path="$.period", rule="open")
        for name in _MONEY:
            instance(getattr(self, name), Money, f"$.{name}")
        members(self.by_category, DenialTotal, "$.by_category")
        members(self.by_payer, DenialTotal, "$.by_payer")

    def combine(self, other: Figures) -> Figures:
        """These figures and ``other``'s (of a disjoint partition) as one; associative and
        commutative, with ``Figures(period=..., as_of=...)`` as the identity."""
        instance(other, Figures, "$.other")
        if (other.period, other.as_of) != (self.period, self.as_of):
            raise ValidationError("only figures of the same period and as_of combine",
                                  path="$.other", rule="incompatible")
        fields: dict[str, object] = {n: getattr(self, n) + getattr(other, n) for n in _MONEY}
        fields.update({n: getattr(self, n) + getattr(other, n) for n in _COUNTS})
        return Figures(period=self.period, as_of=self.as_of,
                       by_category=_merge(self.by_category, other.by_category),
                       by_payer=_merge(self.by_payer, other.by_payer), **fields)  # type: ignore[arg-type]

    # -- the KPIs ------------------------------------------------------------------------

    @property
    def days(self) -> int:
        """Days in the period, both ends included."""
        return self.period.days()

    @property
    def net_revenue(self) -> Money:
        """Gross charges less contractual and other adjustments, in the period."""
        return self.charges - self.contractual - self.other_adjusted

    def days_in_ar(self, *, net: bool = False) -> Decimal | None:
        """A/R / (revenue of the period / days of the period), to 0.1 day: gross charges,
        or with ``net`` net revenue (charges - contractual - other adjustments)."""
        revenue = self.net_revenue if net else self.charges
        daily = _ratio(revenue.cents, self.days, Decimal("0.000001"))
        if daily is None or daily <= 0:
            return None
        return _ratio(self.receivable.cents, daily, _DAYS)

    def ar_over_90(self) -> Decimal | None:
        """A/R more than 90 days from the date of service / A/R."""
        return _ratio(self.over_90.cents, self.receivable.cents)

    def ar_over_120(self) -> Decimal | None:
        """A/R more than 120 days from the date of service / A/R."""
        return _ratio(self.over_120.cents, self.receivable.cents)

    def clean_claim_rate(self) -> Decimal | None:
        """Claims never rejected nor corrected / claims first submitted in the period."""
        return _ratio(self.clean, self.submitted)

    def first_pass_resolution_rate(self) -> Decimal | None:
        """Claims paid on their first submission and decision (no line denied), with no
        rejection, correction or appeal / claims first submitted in the period and
        adjudicated."""
        return _ratio(self.first_pass, self.adjudicated)

    def initial_denial_rate(self, *, by: By = "count") -> Decimal | None:
        """Claims whose payer's first decision denied (some of) them / claims first
        decided in the period; ``by="amount"``: the amount denied / the amount decided."""
        if by == "amount":
            return _ratio(self.initially_denied_amount.cents, self.decided_amount.cents)
        return _ratio(self.initially_denied, self.decided)

    def denial_overturn_rate(self, *, by: By = "count") -> Decimal | None:
        """Initially denied claims whose denial is no longer held by ``as_of`` / initially
        denied claims; ``by="amount"``: the amount recovered / the amount denied."""
        if by == "amount":
            return _ratio(self.overturned_amount.cents, self.first_denied_amount.cents)
        return _ratio(self.overturned, self.first_denied)

    def gross_collection_rate(self) -> Decimal | None:
        """Cash from payers and patients / gross charges, in the period."""
        return _ratio((self.payer_cash + self.patient_cash).cents, self.charges.cents)

    def net_collection_rate(self) -> Decimal | None:
        """Cash from payers and patients / (gross charges - contractual adjustments), in
        the period: 100% when every allowed amount was collected."""
        return _ratio((self.payer_cash + self.patient_cash).cents,
                      (self.charges - self.contractual).cents)

    def cash_to_net_revenue(self) -> Decimal | None:
        """Cash from payers and patients / net revenue, in the period."""
        return _ratio((self.payer_cash + self.patient_cash).cents, self.net_revenue.cents)

    def charge_lag(self) -> Decimal | None:
        """Average days from the date of service to charge entry, over lines charged in the
        period, to 0.1 day."""
        return _ratio(self.charge_lag_days, self.charged_lines, _DAYS)

    def bill_lag(self) -> Decimal | None:
        """Average days from the (last) date of service to the first submission, over
        claims first submitted in the period, to 0.1 day."""
        return _ratio(self.bill_lag_days, self.billed, _DAYS)

    def denials_by_category(self) -> Mapping[DenialCategory, DenialTotal]:
        """Denials made in the period by category (claims per payer, and amount)."""
        return MappingProxyType({t.key: t for t in self.by_category})  # type: ignore[misc]

    def denials_by_payer(self) -> Mapping[PayerId, DenialTotal]:
        """Denials made in the period by payer (claims, and amount)."""
        return MappingProxyType({t.key: t for t in self.by_payer})  # type: ignore[misc]


def _merge(first: Iterable[DenialTotal], second: Iterable[DenialTotal],
           ) -> tuple[DenialTotal, ...]:
    merged: dict[object, DenialTotal] = {}
    for total in (*first, *second):
        merged[total.key] = merged[total.key] + total if total.key in merged else total
    return tuple(sorted(merged.values(), key=lambda t: str(getattr(t.key, "value", t.key))))


def combine(*parts: Figures) -> Figures:
    """The figures of the union of disjoint partitions (at least one)."""
    if not parts:
        raise ValidationError("combine needs at least one Figures", path="$", rule="empty")
    total = parts[0]
    for part in parts[1:]:
        total = total.combine(part)
    return total


# -- reading a ledger and its claims ---------------------------------------------------------


def _side(role: AccountRole, t: Transfer) -> int:
    """``t``'s amount in cents as it moves ``role``'s account (debit positive)."""
    if t.debit.role is role:
        return t.amount.cents
    if t.credit.role is role:
        return -t.amount.cents
    return 0


def _money_in_period(ledger: Ledger, period: Period) -> dict[str, int]:
    sums = dict.fromkeys(("charges", "contractual", "other_adjusted", "denied",
                          "written_off", "payer_cash", "patient_cash"), 0)
    for t in ledger:
        if not period.contains(t.on):
            continue
        sums["charges"] -= _side(AccountRole.GROSS_REVENUE, t)
        sums["contractual"] += _side(AccountRole.CONTRACTUAL_ALLOWANCE, t)
        sums["other_adjusted"] += _side(AccountRole.OTHER_ADJUSTMENTS, t)
        sums["denied"] += _side(AccountRole.DENIAL, t)
        sums["written_off"] += _side(AccountRole.WRITE_OFF, t)
        for cash, other, sign in ((t.debit, t.credit, 1), (t.credit, t.debit, -1)):
            if cash.role is not AccountRole.CASH:
                continue
            if other.role is AccountRole.AR_PAYER:
                sums["payer_cash"] += sign * t.amount.cents
            elif other.role in PATIENT_ROLES:
                sums["patient_cash"] += sign * t.amount.cents
    return sums


def _claims_in_period(claims: Iterable[Claim], ledger: Ledger, period: Period,
                      ) -> dict[str, int]:
    sums = dict.fromkeys(("submitted", "clean", "adjudicated", "first_pass", "billed",
                          "bill_lag_days", "charged_lines", "charge_lag_days"), 0)
    served: dict[tuple[str, int], date] = {}
    for claim in claims:
        instance(claim, Claim, "$.claims[]")
        for line in claim.lines:
            served.setdefault((claim.id.normalized(), line.line_number), line.from_date)
        submitted = next((e.at.date() for e in claim.history
                          if e.to_status is ClaimStatus.SUBMITTED), None)
        if submitted is None or not period.contains(submitted):
            continue
        sums["submitted"] += 1
        clean = claim.revision == 0 and not any(
            e.to_status is ClaimStatus.REJECTED for e in claim.history)
        sums["clean"] += clean
        last_service = max(line.through_date for line in claim.lines)
        sums["billed"] += 1
        sums["bill_lag_days"] += max((submitted - last_service).days, 0)
        decisions = sum(e.to_status is ClaimStatus.ADJUDICATED for e in claim.history)
        if decisions:
            sums["adjudicated"] += 1
            paid = (claim.adjudication is not None
                    and claim.adjudication.outcome is AdjudicationOutcome.PAID)
            sums["first_pass"] += clean and decisions == 1 and not claim.appeals and paid
    for t in ledger:
        if (t.code is TransferCode.CHARGE and t.reverses is None and t.claim is not None
                and t.line is not None and period.contains(t.on)):
            service = served.get((t.claim.normalized(), t.line))
            if service is not None:
                sums["charged_lines"] += 1
                sums["charge_lag_days"] += max((t.on - service).days, 0)
    return sums


class _Decisions:
    """Per claim and payer: its first decision, its denials and their reversals."""

    __slots__ = ("categories", "denials", "first", "first_amount", "first_denied",
                 "reversed")

    def __init__(self) -> None:
        self.first: tuple[date, str] | None = None
        self.first_amount = 0
        self.first_denied = 0
        self.denials = 0
        self.reversed = 0
        self.categories: dict[DenialCategory, int] = {}


def _decisions(ledger: Ledger, as_of: date, period: Period, rules: DenialRules,
               ) -> dict[str, object]:
    found: dict[tuple[str, PayerId], _Decisions] = {}
    ordered = [t for t in ledger if t.on <= as_of]
    for t in ordered:
        if (t.reverses is None and t.code in _DECIDING and t.trace is not None
                and t.claim is not None and t.payer is not None):
            d = found.setdefault((t.claim.normalized(), t.payer), _Decisions())
            if d.first is None:
                d.first = (t.on, t.trace)
    by_category: dict[DenialCategory, list[int]] = {}
    by_payer: dict[PayerId, list[int]] = {}
    counted: set[tuple[object, tuple[str, PayerId]]] = set()
    for t in ordered:
        if t.claim is None or t.payer is None:
            continue
        key = (t.claim.normalized(), t.payer)
        found_d = found.get(key)
        if found_d is None or found_d.first is None:
            continue
        d, (_, trace) = found_d, found_d.first
        first_trace = t.reverses is None and t.trace == trace
        if first_trace and t.code in _DECIDING and t.credit.role is AccountRole.AR_PAYER:
            d.first_amount += t.amount.cents
        if t.code is TransferCode.DENIAL and t.reverses is None:
            d.denials += t.amount.cents
            if first_trace:
                d.first_denied += t.amount.cents
            if period.contains(t.on):
                category = (rules.category(t.reason) if t.reason is not None
                            else DenialCategory.OTHER)
                for table, k in ((by_category, category), (by_payer, t.payer)):
                    row = table.setdefault(k, [0, 0])  # type: ignore[arg-type]
                    row[1] += t.amount.cents
                    if (k, key) not in counted:
                        counted.add((k, key))
                        row[0] += 1
        elif t.code is TransferCode.REVERSAL and t.reverses is not None:
            original = ledger.get(t.reverses)
            if original is not None and original.code is TransferCode.DENIAL:
                d.reversed += t.amount.cents
    out: dict[str, object] = dict.fromkeys(
        ("decided", "decided_amount", "initially_denied", "initially_denied_amount",
         "first_denied", "first_denied_amount", "overturned", "overturned_amount"), 0)
    for d in found.values():
        assert d.first is not None
        if not period.contains(d.first[0]):
            continue
        out["decided"] += 1  # type: ignore[operator]
        out["decided_amount"] += d.first_amount  # type: ignore[operator]
        if not d.first_denied:
            continue
        out["initially_denied"] += 1  # type: ignore[operator]
        out["initially_denied_amount"] += d.first_denied  # type: ignore[operator]
        out["first_denied"] += 1  # type: ignore[operator]
        out["first_denied_amount"] += d.first_denied  # type: ignore[operator]
        still = d.denials - d.reversed
        out["overturned_amount"] += min(max(d.first_denied - still, 0),  # type: ignore[operator]
                                        d.first_denied)
        out["overturned"] += d.reversed > 0 and still <= 0  # type: ignore[operator]
    cur = ledger.currency
    out["by_category"] = tuple(
        DenialTotal(key=k, count=v[0], amount=Money.from_cents(v[1], cur))
        for k, v in sorted(by_category.items(), key=lambda kv: kv[0].value))
    out["by_payer"] = tuple(
        DenialTotal(key=k, count=v[0], amount=Money.from_cents(v[1], cur))
        for k, v in sorted(by_payer.items(), key=lambda kv: kv[0].value))
    return out


def figures(
    ledger: Ledger,
    claims: Iterable[Claim] = (),
    *,
    as_of: date,
    period: Period,
    denial_rules: DenialRules = DEFAULT_DENIAL_RULES,
) -> Figures:
    """Every KPI's sums and counts for ``ledger`` and its ``claims`` (see :class:`Figures`).

    ``period`` (closed: it has an end) bounds the flows; ``as_of`` the balances and what
    has happened to denials. Denial categories come from ``denial_rules``. Pure: the
    same inputs give the same figures.
    """
    instance(ledger, Ledger, "$.ledger")
    a_date(as_of, "$.as_of")
    instance(period, Period, "$.period")
    if period.end is None:
        raise ValidationError("a KPI period has an end", path="$.period", rule="open")
    instance(denial_rules, DenialRules, "$.denial_rules")
    claims = tuple(claims)
    cur = ledger.currency
    money = {k: Money.from_cents(v, cur) for k, v in _money_in_period(ledger, period).items()}
    aging = aging_by(ledger, claims, as_of=as_of, by=AgingGroup.ACCOUNT,
                     basis=AgingBasis.SERVICE_DATE, buckets=_OVER)
    zero = Money.zero(cur)
    buckets = aging.totals()
    decisions = _decisions(ledger, as_of, period, denial_rules)
    amounts = {k: Money.from_cents(decisions.pop(k), cur)  # type: ignore[arg-type]
               for k in ("decided_amount", "initially_denied_amount", "first_denied_amount",
                         "overturned_amount")}
    return Figures(
        period=period, as_of=as_of, **money,  # type: ignore[arg-type]
        receivable=aging.total, over_90=buckets[1] + buckets[2] if buckets else zero,
        over_120=buckets[2],
        **_claims_in_period(claims, ledger, period),  # type: ignore[arg-type]
        **amounts, **decisions,  # type: ignore[arg-type]
    )


# -- one function per KPI ------------------------------------------------------------------


def days_in_ar(ledger: Ledger, claims: Iterable[Claim] = (), *, as_of: date, period: Period,
               net: bool = False) -> Decimal | None:
    """Days in A/R: A/R as of ``as_of`` / (gross charges of ``period`` / its days); with
    ``net``, over net revenue (charges - contractual - other adjustments) instead."""
    return figures(ledger, claims, as_of=as_of, period=period).days_in_ar(net=net)


def ar_over_90(ledger: Ledger, claims: Iterable[Claim] = (), *, as_of: date,
               period: Period) -> Decimal | None:
    """A/R over 90 days from the date of service / A/R, as of ``as_of``."""
    return figures(ledger, claims, as_of=as_of, period=period).ar_over_90()


def ar_over_120(ledger: Ledger, claims: Iterable[Claim] = (), *, as_of: date,
                period: Period) -> Decimal | None:
    """A/R over 120 days from the date of service / A/R, as of ``as_of``."""
    return figures(ledger, claims, as_of=as_of, period=period).ar_over_120()


def clean_claim_rate(ledger: Ledger, claims: Iterable[Claim], *, as_of: date,
                     period: Period) -> Decimal | None:
    """Claims first submitted in ``period`` never rejected nor corrected / those claims."""
    return figures(ledger, claims, as_of=as_of, period=period).clean_claim_rate()


def first_pass_resolution_rate(ledger: Ledger, claims: Iterable[Claim], *, as_of: date,
                               period: Period) -> Decimal | None:
    """Claims paid on the first submission and decision (no rejection, correction or
    appeal) / claims first submitted in ``period`` and adjudicated."""
    return figures(ledger, claims, as_of=as_of, period=period).first_pass_resolution_rate()


def initial_denial_rate(ledger: Ledger, claims: Iterable[Claim] = (), *, as_of: date,
                        period: Period, by: By = "count") -> Decimal | None:
    """Claims (per payer) the first decision denied, all or some lines / claims first
    decided in ``period``; ``by="amount"``: denied amount / amount decided."""
    return figures(ledger, claims, as_of=as_of, period=period).initial_denial_rate(by=by)


def denials_by_category(ledger: Ledger, claims: Iterable[Claim] = (), *, as_of: date,
                        period: Period, denial_rules: DenialRules = DEFAULT_DENIAL_RULES,
                        ) -> Mapping[DenialCategory, DenialTotal]:
    """Denials posted in ``period``, by the category of their CARC: claims and amount."""
    return figures(ledger, claims, as_of=as_of, period=period,
                   denial_rules=denial_rules).denials_by_category()


def denials_by_payer(ledger: Ledger, claims: Iterable[Claim] = (), *, as_of: date,
                     period: Period) -> Mapping[PayerId, DenialTotal]:
    """Denials posted in ``period``, by payer: claims and amount."""
    return figures(ledger, claims, as_of=as_of, period=period).denials_by_payer()


def denial_overturn_rate(ledger: Ledger, claims: Iterable[Claim] = (), *, as_of: date,
                         period: Period, by: By = "count") -> Decimal | None:
    """Of the claims first denied in ``period``, those whose denial the payer reversed in
    full by ``as_of`` (after an appeal or on its own) / all of them; ``by="amount"``: the
    amount no longer denied / the amount first denied."""
    return figures(ledger, claims, as_of=as_of, period=period).denial_overturn_rate(by=by)


def gross_collection_rate(ledger: Ledger, claims: Iterable[Claim] = (), *, as_of: date,
                          period: Period) -> Decimal | None:
    """Cash collected (payers and patients) / gross charges, in ``period``."""
    return figures(ledger, claims, as_of=as_of, period=period).gross_collection_rate()


def net_collection_rate(ledger: Ledger, claims: Iterable[Claim] = (), *, as_of: date,
                        period: Period) -> Decimal | None:
    """Cash collected / (gross charges - contractual adjustments), in ``period``."""
    return figures(ledger, claims, as_of=as_of, period=period).net_collection_rate()


def cash_to_net_revenue(ledger: Ledger, claims: Iterable[Claim] = (), *, as_of: date,
                        period: Period) -> Decimal | None:
    """Cash collected / net revenue (charges - contractual - other adjustments)."""
    return figures(ledger, claims, as_of=as_of, period=period).cash_to_net_revenue()


def charge_lag(ledger: Ledger, claims: Iterable[Claim], *, as_of: date,
               period: Period) -> Decimal | None:
    """Average days from the date of service to charge entry, lines charged in ``period``."""
    return figures(ledger, claims, as_of=as_of, period=period).charge_lag()


def bill_lag(ledger: Ledger, claims: Iterable[Claim], *, as_of: date,
             period: Period) -> Decimal | None:
    """Average days from the last date of service to the first submission, claims first
    submitted in ``period``."""
    return figures(ledger, claims, as_of=as_of, period=period).bill_lag()
