"""Laws of Money and allocate."""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from claimcore.money import Money, Rate, allocate, money_sum
from claimcore.strategies import money, rates

signed = money(min_cents=-10_000_000, max_cents=10_000_000)
weights = st.lists(st.integers(0, 10_000), min_size=1, max_size=12).filter(any)


@given(signed, weights)
def test_allocate_conserves_the_total_to_the_cent(total: Money, ws: list[int]) -> None:
    """The parts always sum to the total, whatever the weights."""
    parts = allocate(total, ws)
    assert len(parts) == len(ws)
    assert sum(p.cents for p in parts) == total.cents


@given(signed, weights)
def test_each_part_is_within_one_cent_of_its_exact_share(total: Money, ws: list[int]) -> None:
    """Largest remainder never moves a part more than one cent from its exact share."""
    whole = sum(ws)
    for part, w in zip(allocate(total, ws), ws, strict=True):
        exact = Fraction(total.cents * w, whole)
        assert abs(part.cents - exact) < 1


@given(signed, weights)
def test_allocate_is_deterministic_and_sign_symmetric(total: Money, ws: list[int]) -> None:
    """The same input gives the same split, and a negative total splits as its mirror."""
    assert allocate(total, ws) == allocate(total, ws)
    assert allocate(-total, ws) == tuple(-p for p in allocate(total, ws))


@given(signed, signed)
def test_addition_and_subtraction_agree_with_decimal(a: Money, b: Money) -> None:
    """Money arithmetic equals Decimal arithmetic on the amounts."""
    assert (a + b).amount == a.amount + b.amount
    assert (a - b).amount == a.amount - b.amount
    assert (-a).amount == -a.amount
    assert (a < b) == (a.amount < b.amount)
    assert (a == b) == (a.amount == b.amount)


@given(signed, st.integers(-1000, 1000))
def test_multiplication_by_int_is_exact(a: Money, n: int) -> None:
    """Multiplying by a whole number never rounds."""
    assert (a * n).amount == a.amount * n


@given(signed, rates())
def test_rate_product_is_the_half_up_rounding_of_the_exact_product(a: Money, r: Rate) -> None:
    """Money times a Rate is the exact product rounded half-up to cents."""
    exact = a.amount * r.value
    result = (a * r).amount
    assert abs(result - exact) <= Decimal("0.005")


@given(signed)
def test_parse_is_the_inverse_of_format(a: Money) -> None:
    """Money.parse(m.format()) == m for every amount, with and without grouping."""
    assert Money.parse(a.format()) == a
    assert Money.parse(a.format(symbol=False, grouping=False)) == a


@given(rates(max_percent=1000, places=6))
def test_rate_parse_is_the_inverse_of_format(r: Rate) -> None:
    """Rate.parse(r.format()) == r."""
    assert Rate.parse(r.format()) == r


_HOSTILE = st.fixed_dictionaries({
    "prec": st.integers(1, 9),
    "rounding": st.sampled_from([
        decimal.ROUND_FLOOR, decimal.ROUND_CEILING, decimal.ROUND_DOWN, decimal.ROUND_UP,
        decimal.ROUND_HALF_DOWN, decimal.ROUND_HALF_EVEN, decimal.ROUND_05UP,
    ]),
    "trap_inexact": st.booleans(),
    "trap_invalid": st.booleans(),
})


@given(signed, signed, st.integers(-1000, 1000), rates(max_percent=1000, places=12), weights,
       _HOSTILE)
def test_money_is_exact_whatever_the_callers_decimal_context(
    a: Money, b: Money, n: int, r: Rate, ws: list[int], hostile: dict[str, Any],
) -> None:
    """Arithmetic, rounding, allocate, parse and format give the same cents at any prec."""
    expected = (a + b, a - b, -a, a * n, a * r, r.of(a, rounding=decimal.ROUND_HALF_EVEN),
                allocate(a, ws), money_sum([a, b, a]), a < b, a.format(), a.cents,
                r.complement() if r.value <= 1 else None)
    with decimal.localcontext(prec=hostile["prec"], rounding=hostile["rounding"]) as ctx:
        ctx.traps[decimal.Inexact] = hostile["trap_inexact"]
        ctx.traps[decimal.InvalidOperation] = hostile["trap_invalid"]
        got = (a + b, a - b, -a, a * n, a * r, r.of(a, rounding=decimal.ROUND_HALF_EVEN),
               allocate(a, ws), money_sum([a, b, a]), a < b, a.format(), a.cents,
               r.complement() if r.value <= 1 else None)
        assert Money.parse(a.format()) == a
        assert Rate.parse(r.format()) == r
    assert [repr(x) for x in got] == [repr(x) for x in expected]
    # and the expected values are the exact ones, computed with integers
    assert (a + b).cents == a.cents + b.cents and (a * n).cents == a.cents * n
    assert sum(p.cents for p in got[6]) == a.cents
