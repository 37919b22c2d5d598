"""Money and Rate at their edges: each test here fails if a bound, a sign or a strict
comparison of claimcore.money moves by one (found by scripts/mutation.py)."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal

import pytest

from claimcore.errors import CurrencyMismatch, TypeMismatch, ValidationError
from claimcore.money import USD, Money, Rate, allocate, money_sum
from claimcore.serialization import make_converter

# The largest amount Money holds: one cent under 10**13 dollars.
TOP = Decimal("9999999999999.99")
CAP = Decimal("1e13")


def usd(text: str) -> Money:
    return Money(Decimal(text))


def fresh(code: str) -> str:
    """An equal string that is not the same object (as one read from a file would be)."""
    return "".join(list(code))


# -- the 10**13 cap, on every path that checks it ------------------------------------------


@pytest.mark.parametrize("amount", [TOP, -TOP])
def test_the_largest_amounts_are_held(amount: Decimal) -> None:
    """One cent under the cap is money, positive or negative, through every constructor."""
    assert Money(amount).amount == amount
    assert Money.of(amount).amount == amount
    assert Money.from_cents(int(amount * 100)).amount == amount
    assert Money.parse(f"{amount}").amount == amount


@pytest.mark.parametrize("amount", [CAP, -CAP])
def test_the_cap_itself_is_refused(amount: Decimal) -> None:
    """Exactly 10**13 dollars, either sign, is out of range, whatever the constructor."""
    for build in (Money, Money.of, lambda d: Money.from_cents(int(d * 100))):
        with pytest.raises(ValidationError) as caught:
            build(amount)
        assert caught.value.rule == "range"


def test_money_of_checks_the_cap_before_rounding() -> None:
    """Money.of refuses an amount at the cap even when rounding would keep it below."""
    with pytest.raises(ValidationError) as caught:
        Money.of(CAP, rounding=ROUND_DOWN)
    assert caught.value.rule == "range"
    assert Money.of(Decimal("9999999999999.994")).amount == TOP
    with pytest.raises(ValidationError):
        Money.of(Decimal("-9999999999999.995"))  # rounds half up (away) to -10**13


@pytest.mark.parametrize("sign", [1, -1])
def test_sums_and_differences_stop_at_the_cap(sign: int) -> None:
    """Adding or subtracting up to the cap is refused; up to one cent under is kept."""
    top, cent = Money(sign * TOP), Money(sign * Decimal("0.01"))
    assert (top - cent + cent).amount == sign * TOP
    with pytest.raises(ValidationError) as caught:
        top + cent
    assert caught.value.rule == "range"
    with pytest.raises(ValidationError):
        top - (-cent)
    assert (top + (-cent)).amount == sign * (TOP - Decimal("0.01"))


@pytest.mark.parametrize("sign", [1, -1])
def test_products_stop_at_the_cap(sign: int) -> None:
    """A product of exactly 10**13 is refused, one cent under is kept, either sign."""
    half = Money(sign * Decimal("5000000000000.00"))
    with pytest.raises(ValidationError) as caught:
        half.times(2)
    assert caught.value.rule == "range"
    assert Money(sign * TOP).times(1).amount == sign * TOP
    assert Money(sign * Decimal("0.01")).times(Decimal("999999999999999")).amount == (
        sign * TOP
    )


def test_a_sum_of_many_amounts_stops_at_the_cap() -> None:
    """money_sum goes through the same bound."""
    assert money_sum([Money(TOP - 1), Money(1)]).amount == TOP
    with pytest.raises(ValidationError):
        money_sum([Money(TOP), usd("0.01")])


# -- negative zero -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda: Money(Decimal("-0.00")),
        lambda: Money(Decimal("-0")),
        lambda: Money.of(Decimal("-0.004")),
        lambda: Money.parse("-0.00"),
        lambda: Money.parse("-$0"),
        lambda: Money.from_cents(-0),
        lambda: usd("-0.01").times(Decimal("0.1")),
        lambda: usd("-0.01").times(Decimal("0.4"), rounding=ROUND_DOWN),
        lambda: usd("0.01").times(-1).times(0),
        lambda: usd("-0.01") * Rate.percent(10),
    ],
)
def test_negative_zero_reads_as_zero(build: object) -> None:
    """Every way to reach -0.00 gives 0.00: no sign in repr, amount, format or is_negative."""
    assert callable(build)
    value = build()
    assert isinstance(value, Money)
    assert not value.amount.is_signed()
    assert str(value.amount) == "0.00"
    assert repr(value) == "Money('0.00')"
    assert str(value) == "$0.00"
    assert value.is_zero()
    assert not value.is_negative()
    assert not value.is_positive()
    assert value.cents == 0


def test_a_true_zero_product_keeps_two_places() -> None:
    """A product that is zero is 0.00, not 0 or 0E-6."""
    assert str(usd("12.34").times(0).amount) == "0.00"
    assert str(usd("12.34").times(Decimal("0.0001"), rounding=ROUND_DOWN).amount) == "0.00"


# -- signs, rounding and the one-cent edges ---------------------------------------------------


def test_sign_predicates_at_one_cent() -> None:
    """Positive and negative start one cent from zero."""
    assert usd("0.01").is_positive() and not usd("0.01").is_negative()
    assert usd("-0.01").is_negative() and not usd("-0.01").is_positive()
    assert not usd("0.01").is_zero() and bool(usd("0.01")) and not bool(Money.zero())
    assert usd("-0.01").cents == -1
    assert Money.zero("EUR").currency == "EUR"
    assert Money.zero().amount.as_tuple().exponent == -2


def test_whole_cents_are_exact_to_one_place() -> None:
    """Half a cent is refused; a tenth of a dollar is kept and padded."""
    with pytest.raises(ValidationError) as caught:
        usd("0.005")
    assert caught.value.rule == "whole-cents"
    assert str(usd("0.1").amount) == "0.10"
    assert usd("-12.5").amount == Decimal("-12.50")


def test_rounding_is_as_told() -> None:
    """times rounds half up by default, and each mode where the caller asks."""
    three = usd("0.03")
    assert three.times(Decimal("0.5")).amount == Decimal("0.02")
    assert three.times(Decimal("0.5"), rounding=ROUND_DOWN).amount == Decimal("0.01")
    assert three.times(Decimal("0.1"), rounding=ROUND_UP).amount == Decimal("0.01")
    assert Money.of(Decimal("0.015")).amount == Decimal("0.02")
    assert Money.of(Decimal("0.015"), rounding=ROUND_DOWN).amount == Decimal("0.01")
    assert Rate.percent(50).of(three).amount == Decimal("0.02")
    assert Rate.percent(50).of(three, rounding=ROUND_DOWN).amount == Decimal("0.01")


def test_rounding_is_keyword_only() -> None:
    """A rounding mode passed by position is refused: it reads like a second factor."""
    with pytest.raises(TypeError):
        usd("1.00").times(Decimal(2), ROUND_HALF_UP)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Money.of(Decimal("1.005"), USD, ROUND_DOWN)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Rate.percent(50).of(usd("1.00"), ROUND_DOWN)  # type: ignore[call-arg]


def test_format_signs_and_grouping() -> None:
    """The sign goes before the symbol; grouping and the symbol can be left out."""
    assert usd("-1234.50").format() == "-$1,234.50"
    assert usd("-1234.50").format(symbol=False) == "-1,234.50"
    assert usd("1234.50").format(grouping=False) == "$1234.50"
    assert usd("0.01").format() == "$0.01"
    assert Money(Decimal("-1234.5"), "EUR").format() == "-1,234.50 EUR"
    assert Money(Decimal("1234.5"), "EUR").format(grouping=False) == "1234.50 EUR"
    assert repr(Money(Decimal("2"), "EUR")) == "Money('2.00', 'EUR')"
    assert str(Money(Decimal("2"), "EUR")) == "2.00 EUR"
    # Only USD takes the dollar sign, whichever side of "USD" a code sorts on.
    assert Money(Decimal("-1"), "ZAR").format() == "-1.00 ZAR"
    assert Money(Decimal("1"), "AUD").format(symbol=True) == "1.00 AUD"


def test_parse_edges() -> None:
    """Parsing takes what format writes, and no more."""
    assert Money.parse(" $1,234,567.8 ").amount == Decimal("1234567.80")
    assert Money.parse("-$5").amount == Decimal("-5.00")
    assert Money.parse("10.00 EUR") == Money(Decimal(10), "EUR")
    for bad in ("$10.00 EUR", "1,23", "12.345", "12,3456", "--5", "$-5", "5 usd", ""):
        with pytest.raises(ValidationError):
            Money.parse(bad)


def test_sum_starts_from_int_zero_only() -> None:
    """sum() may start from 0; other numbers are not money."""
    assert sum([usd("1.00"), usd("2.00")]) == usd("3.00")
    assert 0 + usd("1.00") == usd("1.00")
    with pytest.raises(TypeError):
        1 + usd("1.00")
    with pytest.raises(TypeError):
        -1 + usd("1.00")
    with pytest.raises(TypeError):
        0.0 + usd("1.00")
    with pytest.raises(TypeError):
        usd("1.00") + 0  # type: ignore[operator]
    with pytest.raises(TypeError):
        usd("1.00") - 0  # type: ignore[operator]
    assert money_sum([], currency="EUR") == Money.zero("EUR")


def test_comparisons_are_strict_at_equality() -> None:
    """< and > are false between equal amounts, <= and >= true; a cent decides."""
    a, b, c = usd("5.00"), usd("5.00"), usd("5.01")
    assert not a < b and not a > b and a <= b and a >= b
    assert a < c and c > a and not c < a and not a > c
    assert not c <= a and not a >= c
    with pytest.raises(CurrencyMismatch):
        assert a < Money(Decimal(5), "EUR")
    with pytest.raises(TypeMismatch):
        assert a < 5  # type: ignore[operator]


def test_currency_is_compared_by_value_not_identity() -> None:
    """A currency code read at run time (not the same str object) still matches."""
    usd_again = fresh(USD)
    assert usd_again == USD
    one = Money(Decimal(1), usd_again)
    assert (one + usd("1.00")).amount == Decimal("2.00")
    assert allocate(usd("1.00"), [one, usd("3.00")]) == (usd("0.25"), usd("0.75"))
    assert one >= usd("1.00")


# -- Rate ----------------------------------------------------------------------------------


def test_rate_bounds_are_inclusive() -> None:
    """0 and 1000 (100,000%) are rates; one step outside is not."""
    assert Rate(0).value == 0
    assert Rate(1000).value == 1000
    for bad in (Decimal("-0.000000000001"), Decimal("1000.000000000001")):
        with pytest.raises(ValidationError) as caught:
            Rate(bad)
        assert caught.value.rule == "range"


def test_rate_places_stop_at_twelve() -> None:
    """Twelve decimal places are kept; thirteen are refused."""
    assert Rate(Decimal("0.123456789012")).value == Decimal("0.123456789012")
    with pytest.raises(ValidationError) as caught:
        Rate(Decimal("0.1234567890123"))
    assert caught.value.rule == "places"
    assert Rate(Decimal("5E+2")).value == 500


def test_rate_comparisons_are_strict_at_equality() -> None:
    """Equal rates are neither < nor >; <= and >= hold."""
    a, b, c = Rate.percent(20), Rate(Decimal("0.2")), Rate.percent(21)
    assert not a < b and not a > b and a <= b and a >= b
    assert a < c and c > a and not c < a and not a > c
    assert not c <= a and not a >= c


def test_complement_of_exactly_one_hundred_percent() -> None:
    """100% has the complement 0%; a hair above 100% has none; 0% has 100%."""
    assert Rate(1).complement() == Rate(0)
    assert Rate.percent(100).complement().value == 0
    assert Rate(0).complement() == Rate(1)
    with pytest.raises(ValidationError) as caught:
        Rate(Decimal("1.000000000001")).complement()
    assert caught.value.rule == "range"


def test_rate_format_keeps_whole_percentages() -> None:
    """Only the zeros after a decimal point go: 1000% stays 1000%, 0% is 0%."""
    assert Rate(10).format() == "1000%"
    assert Rate(0).format() == "0%"
    assert Rate(Decimal("0.5")).format() == "50%"
    assert Rate(Decimal("0.1250")).format() == "12.5%"
    assert str(Rate(Decimal("1.00"))) == "100%"


def test_rate_parse_and_percent_edges() -> None:
    """A percent sign means hundredths, with or without a space; without, a fraction."""
    assert Rate.parse("20 %") == Rate.parse("20%") == Rate(Decimal("0.2"))
    assert Rate.parse(" 0.2 ") == Rate(Decimal("0.2"))
    assert Rate.percent("20") == Rate.percent("20%") == Rate.percent("20 %") == Rate.percent(20)
    assert Rate.percent(Decimal("12.5")) == Rate(Decimal("0.125"))
    for bad in ("20%%", "%", ".5", "5.", "-", "1e3"):
        with pytest.raises(ValidationError):
            Rate.parse(bad)


def test_rate_times_money_only() -> None:
    """A rate multiplies money, in either order, and nothing else."""
    assert (Rate.percent(50) * usd("3.00")).amount == Decimal("1.50")
    assert (usd("3.00") * Rate.percent(50)).amount == Decimal("1.50")
    with pytest.raises(TypeError):
        Rate.percent(50) * 3  # type: ignore[operator]
    with pytest.raises(TypeError):
        Rate.percent(50) * Rate.percent(50)  # type: ignore[operator]


@pytest.mark.parametrize("bad", [True, False, 1.0, "1", None])
def test_factors_must_be_int_decimal_or_rate(bad: object) -> None:
    """A bool, float or text is not a factor, for times, Money.of or a weight."""
    with pytest.raises(TypeMismatch):
        usd("1.00").times(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeMismatch):
        Money.of(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeMismatch):
        Rate(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_non_finite_factors_are_refused(bad: Decimal) -> None:
    with pytest.raises(ValidationError) as caught:
        usd("1.00").times(bad)
    assert caught.value.rule == "finite"
    with pytest.raises(ValidationError) as caught:
        Rate(bad)
    assert caught.value.rule == "finite"


def test_from_cents_takes_an_int_only() -> None:
    assert Money.from_cents(1250, "EUR") == Money(Decimal("12.50"), "EUR")
    assert Money.from_cents(-1).amount == Decimal("-0.01")
    for bad in (True, Decimal(1), 1.0):
        with pytest.raises(TypeMismatch):
            Money.from_cents(bad)  # type: ignore[arg-type]


# -- allocate ------------------------------------------------------------------------------


def test_allocate_remainders_and_ties() -> None:
    """Leftover cents go to the largest remainders, ties to the earlier part."""
    assert allocate(usd("1.00"), [1, 1, 1]) == (usd("0.34"), usd("0.33"), usd("0.33"))
    assert allocate(usd("-1.00"), [1, 1, 1]) == (usd("-0.34"), usd("-0.33"), usd("-0.33"))
    assert allocate(usd("0.02"), [1, 1, 1]) == (usd("0.01"), usd("0.01"), Money.zero())
    assert allocate(usd("1.00"), [1, 2]) == (usd("0.33"), usd("0.67"))
    assert allocate(usd("0.05"), [0, 1]) == (Money.zero(), usd("0.05"))
    assert allocate(usd("0.10"), [3]) == (usd("0.10"),)
    assert allocate(Money.zero(), [1, 1]) == (Money.zero(), Money.zero())
    parts = allocate(usd("-0.01"), [1, 1])
    assert parts == (usd("-0.01"), Money.zero())
    assert not parts[1].amount.is_signed()
    euros = allocate(Money(Decimal(1), "EUR"), [1])
    assert euros[0].currency == "EUR"


def test_allocate_refuses_bad_weights_with_their_place() -> None:
    with pytest.raises(ValidationError) as caught:
        allocate(usd("1.00"), [1, -1])
    assert caught.value.rule == "range"
    assert caught.value.path == "$.weights[1]"
    with pytest.raises(ValidationError) as caught:
        allocate(usd("1.00"), [0, 0])
    assert caught.value.path == "$.weights"
    with pytest.raises(ValidationError) as caught:
        allocate(usd("1.00"), [1, Decimal("NaN")])
    assert caught.value.path == "$.weights[1]"
    with pytest.raises(ValidationError) as caught:
        allocate(usd("1.00"), [])
    assert caught.value.rule == "empty"
    with pytest.raises(CurrencyMismatch):
        allocate(usd("1.00"), [Money(Decimal(1), "EUR")])
    with pytest.raises(TypeMismatch):
        allocate(usd("1.00"), "11")  # type: ignore[arg-type]
    with pytest.raises(TypeMismatch):
        allocate(Decimal(1), [1])  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["-0.00", "-0", "-0.0"])
def test_the_converter_reads_negative_zero_as_zero(text: str) -> None:
    """The wire format goes through the same normalisation: never Money('-0.00')."""
    value = make_converter().structure(text, Money)
    assert repr(value) == "Money('0.00')"
    assert not value.amount.is_signed()
    assert make_converter().unstructure(value) == "0.00"
