"""Worked examples for periods, ages, deadlines and aging buckets."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from claimcore.errors import TypeMismatch, ValidationError
from claimcore.periods import (
    DEFAULT_AGING,
    AgingBuckets,
    Period,
    age_on,
    days_between,
    deadline,
)

JAN1 = date(2026, 1, 1)
DEC31 = date(2026, 12, 31)


def test_period_contains_both_ends() -> None:
    """A period includes its first and last day."""
    year = Period(JAN1, DEC31)
    assert year.contains(JAN1) and year.contains(DEC31)
    assert not year.contains(date(2027, 1, 1))
    assert date(2026, 6, 1) in year
    assert year.days() == 365
    assert Period.day(JAN1).days() == 1


def test_open_period() -> None:
    """An open period has no end and no length."""
    open_ = Period(JAN1)
    assert open_.is_open and open_.contains(date(2099, 1, 1))
    with pytest.raises(ValidationError):
        open_.days()


def test_overlap_and_intersection() -> None:
    """Intersections keep the shared days; disjoint periods share none."""
    a = Period(JAN1, date(2026, 6, 30))
    b = Period(date(2026, 6, 1))
    assert a.overlaps(b) and b.overlaps(a)
    assert a.intersection(b) == Period(date(2026, 6, 1), date(2026, 6, 30))
    assert Period(JAN1).intersection(Period(date(2025, 1, 1))) == Period(JAN1)
    c = Period(date(2027, 1, 1), date(2027, 2, 1))
    assert not a.overlaps(c)
    assert a.intersection(c) is None


def test_period_refuses_bad_values() -> None:
    """End before start, datetimes and text are refused with their paths."""
    with pytest.raises(ValidationError) as caught:
        Period(DEC31, JAN1)
    assert caught.value.path == "$.end"
    with pytest.raises(TypeMismatch, match="not a datetime"):
        Period(datetime(2026, 1, 1))
    with pytest.raises(TypeMismatch):
        Period("2026-01-01")  # type: ignore[arg-type]


def test_period_text_round_trip() -> None:
    """Period.parse reads what format writes."""
    for p in (Period(JAN1, DEC31), Period(JAN1)):
        assert Period.parse(p.format()) == p
        assert str(p) == p.format()
    for bad in ["2026-01-01", "2026-13-01..", "x..y"]:
        with pytest.raises(ValidationError):
            Period.parse(bad)


def test_age_on_a_date() -> None:
    """Ages count whole years; a 29 February birthday turns over on 1 March."""
    assert age_on(date(1990, 5, 15), date(2026, 5, 14)) == 35
    assert age_on(date(1990, 5, 15), date(2026, 5, 15)) == 36
    assert age_on(date(2024, 2, 29), date(2025, 2, 28)) == 0
    assert age_on(date(2024, 2, 29), date(2025, 3, 1)) == 1
    with pytest.raises(ValidationError):
        age_on(date(2026, 1, 2), JAN1)


def test_deadlines_clip_to_month_end() -> None:
    """Twelve months after 29 February 2024 is 28 February 2025 (Medicare timely filing)."""
    assert deadline(date(2024, 2, 29), months=12) == date(2025, 2, 28)
    assert deadline(date(2026, 1, 31), months=1) == date(2026, 2, 28)
    assert deadline(date(2026, 1, 1), days=120) == date(2026, 5, 1)
    assert deadline(date(2026, 1, 1), years=1) == date(2027, 1, 1)
    with pytest.raises(TypeMismatch):
        deadline(date(2026, 1, 1), days=1.5)  # type: ignore[arg-type]
    assert days_between(JAN1, DEC31) == 364


def test_default_aging_buckets() -> None:
    """The default buckets are 0-30, 31-60, 61-90, 91-120 and over 120 days."""
    labels = [b.label for b in DEFAULT_AGING.buckets]
    assert labels == ["0-30", "31-60", "61-90", "91-120", "over 120"]
    assert DEFAULT_AGING.bucket(0).label == "0-30"
    assert DEFAULT_AGING.bucket(30).label == "0-30"
    assert DEFAULT_AGING.bucket(31).label == "31-60"
    assert DEFAULT_AGING.bucket(121).label == "over 120"
    assert DEFAULT_AGING.bucket_on(date(2026, 1, 1), as_of=date(2026, 3, 2)).label == "31-60"
    with pytest.raises(ValidationError):
        DEFAULT_AGING.bucket_on(date(2026, 3, 2), as_of=date(2026, 1, 1))
    with pytest.raises(ValidationError):
        DEFAULT_AGING.bucket(-1)


def test_custom_aging_edges_are_checked() -> None:
    """Edges must be non-empty, non-negative and increasing."""
    assert [b.label for b in AgingBuckets((15, 45)).buckets] == ["0-15", "16-45", "over 45"]
    for bad in [(), (30, 30), (60, 30), (-1,)]:
        with pytest.raises(ValidationError):
            AgingBuckets(bad)
    with pytest.raises(TypeMismatch):
        AgingBuckets("30")  # type: ignore[arg-type]
