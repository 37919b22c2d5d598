"""Dates and spans of dates: :class:`Period`, ages, deadlines and A/R aging buckets.

Every date here is a parameter: nothing reads the clock. Deadlines use
:class:`dateutil.relativedelta.relativedelta`, so a month added to 31 January lands on the
last day of February and a year added to 29 February lands on 28 February.

>>> from datetime import date
>>> deadline(date(2024, 2, 29), months=12)
datetime.date(2025, 2, 28)
>>> Period(date(2026, 1, 1), date(2026, 12, 31)).contains(date(2026, 7, 4))
True
>>> DEFAULT_AGING.bucket(45).label
'31-60'
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Final

import attrs
from dateutil.relativedelta import relativedelta

from claimcore._pickling import fast_pickle
from claimcore._validate import a_date, an_int, kind, optional_date
from claimcore.errors import TypeMismatch, ValidationError

__all__ = [
    "DEFAULT_AGING",
    "AgingBucket",
    "AgingBuckets",
    "Period",
    "age_on",
    "days_between",
    "deadline",
]


@fast_pickle
@attrs.frozen(order=True)
class Period:
    """An inclusive span of dates; ``end=None`` is open (still in force).

    X12: ``DTP`` with format ``RD8`` (``20260101-20261231``); FHIR: ``Period``.
    """

    start: date
    end: date | None = None

    def __attrs_post_init__(self) -> None:
        # Inline type tests: a claim builds a dozen periods, so the helpers run only to raise.
        start, end = self.start, self.end
        if type(start) is not date:
            a_date(start, "$.start")
        if end is not None:
            if type(end) is not date:
                optional_date(end, "$.end")
            if end < start:
                raise ValidationError(
                    "must not be before $.start", path="$.end", rule="end-before-start"
                )

    @classmethod
    def day(cls, on: date) -> Period:
        """The period of a single day."""
        return cls(on, on)

    @property
    def is_open(self) -> bool:
        return self.end is None

    def contains(self, on: date) -> bool:
        """Whether ``on`` falls inside this period (both ends included)."""
        return self.start <= on and (self.end is None or on <= self.end)

    __contains__ = contains

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one day."""
        return (other.end is None or self.start <= other.end) and (
            self.end is None or other.start <= self.end
        )

    def intersection(self, other: Period) -> Period | None:
        """The days both periods share, or ``None`` when they share none."""
        if not self.overlaps(other):
            return None
        start = max(self.start, other.start)
        ends = [e for e in (self.end, other.end) if e is not None]
        return Period(start, min(ends) if ends else None)

    def days(self) -> int:
        """How many days the period spans, both ends included (an open period has no count)."""
        if self.end is None:
            raise ValidationError("an open period has no length", rule="open-period")
        return (self.end - self.start).days + 1

    def format(self) -> str:
        """``2026-01-01..2026-12-31`` (``2026-01-01..`` when open)."""
        return f"{self.start.isoformat()}..{self.end.isoformat() if self.end else ''}"

    @classmethod
    def parse(cls, text: str) -> Period:
        """The inverse of :meth:`format`."""
        if type(text) is not str or ".." not in text:
            raise ValidationError(
                "a period is written 'YYYY-MM-DD..YYYY-MM-DD' (end optional)", rule="format"
            )
        left, right = text.split("..", 1)
        try:
            start = date.fromisoformat(left)
            end = date.fromisoformat(right) if right else None
        except ValueError:
            raise ValidationError(
                "a period is written 'YYYY-MM-DD..YYYY-MM-DD' (end optional)", rule="format"
            ) from None
        return cls(start, end)

    def __str__(self) -> str:
        return self.format()


def age_on(birth_date: date, on: date) -> int:
    """Age in whole years on a date (a 29 February birthday turns over on 1 March)."""
    a_date(birth_date, "$.birth_date")
    a_date(on, "$.on")
    if on < birth_date:
        raise ValidationError(
            "is before the birth date", path="$.on", rule="before-birth"
        )
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - before_birthday


def days_between(start: date, end: date) -> int:
    """Days from ``start`` to ``end`` (negative when ``end`` comes first)."""
    return (a_date(end, "$.end") - a_date(start, "$.start")).days


def deadline(start: date, *, years: int = 0, months: int = 0, days: int = 0) -> date:
    """The date ``years``, ``months`` and ``days`` after ``start`` (relative amounts).

    Month arithmetic clips to the end of the month: 12 months after 29 February 2024 is
    28 February 2025, as Medicare's timely-filing rule counts it.
    """
    a_date(start, "$.start")
    for name, value in (("years", years), ("months", months), ("days", days)):
        an_int(value, f"$.{name}", low=-1200 if name == "months" else None)
    return start + relativedelta(years=years, months=months, days=days)


@attrs.frozen
class AgingBucket:
    """One A/R aging bucket: items ``low`` to ``high`` days old (``high=None``: no limit)."""

    label: str
    low: int
    high: int | None

    def holds(self, age_days: int) -> bool:
        return self.low <= age_days and (self.high is None or age_days <= self.high)


def _edges(value: Iterable[int]) -> tuple[int, ...]:
    if isinstance(value, (str, bytes)):
        raise TypeMismatch(f"edges must be a sequence of int, got {kind(value)}", rule="type")
    return tuple(value)


@attrs.frozen
class AgingBuckets:
    """Aging buckets from their upper edges: ``(30, 60, 90, 120)`` gives 0-30, 31-60,
    61-90, 91-120 and over 120 days."""

    edges: tuple[int, ...] = attrs.field(default=(30, 60, 90, 120), converter=_edges)

    def __attrs_post_init__(self) -> None:
        if not self.edges:
            raise ValidationError("must not be empty", path="$.edges", rule="empty")
        previous = -1
        for i, edge in enumerate(self.edges):
            an_int(edge, f"$.edges[{i}]", low=0)
            if edge <= previous:
                raise ValidationError(
                    "must increase", path=f"$.edges[{i}]", rule="increasing"
                )
            previous = edge

    @property
    def buckets(self) -> tuple[AgingBucket, ...]:
        out: list[AgingBucket] = []
        low = 0
        for edge in self.edges:
            out.append(AgingBucket(f"{low}-{edge}", low, edge))
            low = edge + 1
        out.append(AgingBucket(f"over {self.edges[-1]}", low, None))
        return tuple(out)

    def bucket(self, age_days: int) -> AgingBucket:
        """The bucket for an item ``age_days`` old (0 for an item dated today)."""
        an_int(age_days, "$.age_days", low=0)
        for b in self.buckets:
            if b.holds(age_days):
                return b
        raise AssertionError("unreachable: the last bucket is open")  # pragma: no cover

    def bucket_on(self, dated: date, *, as_of: date) -> AgingBucket:
        """The bucket for an item dated ``dated``, aged as of ``as_of``."""
        age = days_between(dated, as_of)
        if age < 0:
            raise ValidationError(
                "an item dated after as_of has no age yet", path="$.dated", rule="future"
            )
        return self.bucket(age)


DEFAULT_AGING: Final = AgingBuckets()
"""The usual A/R buckets: 0-30, 31-60, 61-90, 91-120, over 120 days."""
