"""Payers and their rules: timely filing and appeal levels, as data keyed by date."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date
from typing import Final

import attrs

from claimcore._pickling import fast_pickle
from claimcore._validate import a_date, an_int, instance, members, optional_instance, text, to_tuple
from claimcore.coverage._common import FREE_TEXT, FREE_TEXT_EXPECTED, ZERO
from claimcore.errors import ValidationError
from claimcore.ids import PayerId
from claimcore.money import Money
from claimcore.periods import Period, deadline

__all__ = [
    "MEDICARE_APPEALS",
    "MEDICARE_TIMELY_FILING",
    "AppealLevel",
    "AppealRules",
    "Payer",
    "PayerKind",
    "TimelyFiling",
]


class PayerKind(enum.StrEnum):
    """What kind of payer this is; it decides the payer's place in coordination of benefits.

    X12: close to the claim filing indicator (``SBR09``: ``MB`` Medicare Part B, ``MC``
    Medicaid, ``CI`` commercial, ``CH`` TRICARE, ``WC`` workers' compensation, ``AM``
    automobile medical); self-pay has no payer on a claim.
    """

    MEDICARE = "medicare"
    MEDICAID = "medicaid"
    COMMERCIAL = "commercial"
    TRICARE = "tricare"
    WORKERS_COMPENSATION = "workers_compensation"
    AUTO = "auto"
    SELF_PAY = "self_pay"


@fast_pickle
@attrs.frozen(kw_only=True)
class TimelyFiling:
    """How long after the date of service a payer accepts a claim: ``months`` plus ``days``.

    Month arithmetic clips to the end of the month (python-dateutil ``relativedelta``):
    with Medicare's 12 months (42 CFR 424.44), a 29 February 2024 date of service is due
    by 28 February 2025. Professional claims count from each line's from-date,
    institutional claims from the through-date; the caller passes that date.

    >>> from datetime import date
    >>> TimelyFiling(days=90).deadline(date(2026, 1, 15))
    datetime.date(2026, 4, 15)
    """

    months: int = 0
    days: int = 0

    def __attrs_post_init__(self) -> None:
        months, days = self.months, self.days
        if (
            type(months) is int and 0 <= months <= 120
            and type(days) is int and 0 <= days <= 3660 and (months or days)
        ):
            return
        self._check_in_detail()

    def _check_in_detail(self) -> None:
        an_int(self.months, "$.months", low=0, high=120)
        an_int(self.days, "$.days", low=0, high=3660)
        if not self.months and not self.days:
            raise ValidationError(
                "a timely-filing limit needs some months or days", path="$",
                rule="empty-limit",
            )

    def deadline(self, service_date: date) -> date:
        """The last day a claim for ``service_date`` is timely (that day included)."""
        return deadline(service_date, months=self.months, days=self.days)

    def is_timely(self, service_date: date, *, filed_on: date) -> bool:
        """Whether a claim filed on ``filed_on`` meets the limit for ``service_date``."""
        return a_date(filed_on, "$.filed_on") <= self.deadline(service_date)


MEDICARE_TIMELY_FILING: Final = TimelyFiling(months=12)
"""Medicare's limit: one calendar year after the date of service (42 CFR 424.44(a)(1))."""


@fast_pickle
@attrs.frozen(kw_only=True)
class AppealLevel:
    """One level of a payer's appeal process: how long one has, and the smallest dispute.

    ``deadline_days`` counts from the date of the decision being appealed (Medicare
    presumes a notice is received five days after its date; pass that date if you count
    from receipt). ``minimum_in_controversy`` is the smallest amount still in dispute that
    the level hears (zero when there is none).
    """

    level: int
    name: str
    deadline_days: int
    minimum_in_controversy: Money = ZERO

    def __attrs_post_init__(self) -> None:
        # Every decoded payer brings its appeal levels: the common valid case is proved
        # inline (FREE_TEXT needs a character, so a match is never empty), and the
        # detailed checks run only to name what fails.
        level, name, days = self.level, self.name, self.deadline_days
        least = self.minimum_in_controversy
        if (
            type(level) is int and 1 <= level <= 20
            and type(name) is str and len(name) <= 80 and FREE_TEXT.fullmatch(name) is not None
            and type(days) is int and 1 <= days <= 3660
            and type(least) is Money and not least.is_negative()
        ):
            return
        self._check_in_detail()

    def _check_in_detail(self) -> None:
        an_int(self.level, "$.level", low=1, high=20)
        text(self.name, "$.name", pattern=FREE_TEXT, expected=FREE_TEXT_EXPECTED,
             max_len=80)
        an_int(self.deadline_days, "$.deadline_days", low=1, high=3660)
        instance(self.minimum_in_controversy, Money, "$.minimum_in_controversy")
        if self.minimum_in_controversy.is_negative():
            raise ValidationError(
                "must not be negative", path="$.minimum_in_controversy", rule="negative"
            )

    def deadline(self, decided_on: date) -> date:
        """The last day to request this level after a decision dated ``decided_on``."""
        return deadline(decided_on, days=self.deadline_days)

    def hears(self, in_controversy: Money) -> bool:
        """Whether an amount still in dispute reaches this level's minimum."""
        return instance(in_controversy, Money, "$.in_controversy") >= (
            self.minimum_in_controversy
        )


def _levels(value: Iterable[AppealLevel]) -> tuple[AppealLevel, ...]:
    return to_tuple(value)


@fast_pickle
@attrs.frozen
class AppealRules:
    """A payer's appeal levels, in order, as they stand during ``effective``.

    Deadlines and amounts in controversy change (Medicare's amounts every calendar year),
    so rules are data keyed by the period they are in force: pass your own for another
    year or another payer.
    """

    levels: tuple[AppealLevel, ...] = attrs.field(converter=_levels)
    effective: Period

    def __attrs_post_init__(self) -> None:
        levels = self.levels
        if type(levels) is tuple and levels and type(self.effective) is Period:
            for i, level in enumerate(levels, 1):
                if type(level) is not AppealLevel or level.level != i:
                    break
            else:
                return
        self._check_in_detail()

    def _check_in_detail(self) -> None:
        members(self.levels, AppealLevel, "$.levels")
        instance(self.effective, Period, "$.effective")
        if not self.levels:
            raise ValidationError("must not be empty", path="$.levels", rule="empty")
        for i, level in enumerate(self.levels):
            if level.level != i + 1:
                raise ValidationError(
                    f"levels must be numbered 1, 2, 3, ... in order; found {level.level} "
                    f"at position {i + 1}", path=f"$.levels[{i}].level", rule="level-order",
                )

    def level(self, number: int) -> AppealLevel:
        """The level numbered ``number`` (1 is the first appeal)."""
        an_int(number, "$.number", low=1, high=len(self.levels))
        return self.levels[number - 1]

    def applies_on(self, on: date) -> bool:
        """Whether these rules are in force on ``on``."""
        return self.effective.contains(a_date(on, "$.on"))


MEDICARE_APPEALS: Final = AppealRules(
    levels=(
        AppealLevel(level=1, name="Redetermination by the Medicare contractor",
                    deadline_days=120),
        AppealLevel(level=2, name="Reconsideration by a Qualified Independent Contractor",
                    deadline_days=180),
        AppealLevel(level=3, name="Administrative Law Judge hearing", deadline_days=60,
                    minimum_in_controversy=Money(200)),
        AppealLevel(level=4, name="Medicare Appeals Council review", deadline_days=60),
        AppealLevel(level=5, name="Judicial review in federal district court",
                    deadline_days=60, minimum_in_controversy=Money(1960)),
    ),
    effective=Period(date(2026, 1, 1), date(2026, 12, 31)),
)
"""Medicare Parts A and B appeals for calendar year 2026 (42 CFR 405 subpart I).

Deadlines in days from the decision appealed: redetermination 120, reconsideration 180,
ALJ hearing 60, Council review 60, judicial review 60. The amounts in controversy are the
CY2026 figures (ALJ hearing $200, judicial review $1,960); CMS updates them every year in
the Federal Register. They are data keyed by date (``effective``): for another year,
build an :class:`AppealRules` with that year's amounts and pass it instead.
"""


@fast_pickle
@attrs.frozen(kw_only=True)
class Payer:
    """A health plan or other party that pays claims: its id, name, kind and rules.

    X12: loop 2010BB (``NM1*PR``, payer id in ``NM109``); FHIR ``Organization`` referenced
    by ``Coverage.payor``.
    """

    payer_id: PayerId
    name: str
    kind: PayerKind
    timely_filing: TimelyFiling
    appeal_rules: AppealRules | None = None

    def __attrs_post_init__(self) -> None:
        name = self.name
        if (
            type(self.payer_id) is PayerId
            and type(name) is str and len(name) <= 60 and FREE_TEXT.fullmatch(name) is not None
            and type(self.kind) is PayerKind
            and type(self.timely_filing) is TimelyFiling
            and (self.appeal_rules is None or type(self.appeal_rules) is AppealRules)
        ):
            return
        self._check_in_detail()

    def _check_in_detail(self) -> None:
        instance(self.payer_id, PayerId, "$.payer_id")
        text(self.name, "$.name", pattern=FREE_TEXT, expected=FREE_TEXT_EXPECTED,
             max_len=60)
        instance(self.kind, PayerKind, "$.kind")
        instance(self.timely_filing, TimelyFiling, "$.timely_filing")
        optional_instance(self.appeal_rules, AppealRules, "$.appeal_rules")

    def appeal_rules_on(self, on: date) -> AppealRules | None:
        """The payer's appeal rules if they are in force on ``on``, else ``None``."""
        rules = self.appeal_rules
        return rules if rules is not None and rules.applies_on(on) else None
