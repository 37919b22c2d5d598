"""Grouped aging reports combine only with reports of the same shape (a survivor of the
2026-12-02 mutation run: the check was never made to fail)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from claimcore.errors import ValidationError
from claimcore.ids import PayerId
from claimcore.ledger import AgingBasis, AgingGroup, GroupedAgingReport, GroupedAgingRow
from claimcore.money import Money
from claimcore.periods import AgingBuckets


def usd(text: str) -> Money:
    return Money(Decimal(text))


def report(payer: str, amount: str) -> GroupedAgingReport:
    return GroupedAgingReport(
        as_of=date(2026, 3, 31), group=AgingGroup.PAYER, basis=AgingBasis.SERVICE_DATE,
        buckets=AgingBuckets((30,)),
        rows=[GroupedAgingRow(key=PayerId(payer), amounts=[usd(amount), usd("0.00")],
                              unapplied=usd("0.00"))],
    )


def test_reports_of_the_same_shape_combine_row_by_row() -> None:
    both = report("ACME1", "10.00").combine(report("BEACON7", "2.50"))
    assert [(r.key, r.total) for r in both.rows] == [
        (PayerId("ACME1"), usd("10.00")), (PayerId("BEACON7"), usd("2.50"))]
    assert both.total == usd("12.50")


def shapes() -> list[GroupedAgingReport]:
    base = report("BEACON7", "2.50")
    return [attrs.evolve(base, as_of=date(2026, 4, 30)),
            attrs.evolve(base, group=AgingGroup.CLAIM),
            attrs.evolve(base, basis=AgingBasis.FIRST_BILL_DATE),
            attrs.evolve(base, buckets=AgingBuckets((60,)))]


@pytest.mark.parametrize("which", range(4))
def test_reports_of_another_shape_refuse_to_combine(which: int) -> None:
    """Another date, grouping, basis or set of buckets: refused, naming $.other."""
    other = shapes()[which]
    with pytest.raises(ValidationError) as caught:
        report("ACME1", "10.00").combine(other)
    assert (caught.value.path, caught.value.rule) == ("$.other", "incompatible")
