"""Worked examples for Money, Rate and allocate."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal

import pytest

from claimcore.errors import ClaimcoreError, CurrencyMismatch, TypeMismatch, ValidationError
from claimcore.money import Money, Rate, allocate, money_sum


def usd(text: str) -> Money:
    return Money(Decimal(text))


def test_whole_cents_are_kept_and_padded() -> None:
    """An amount in whole cents is kept exactly, shown with two places."""
    assert usd("12.5").amount == Decimal("12.50")
    assert repr(usd("12.5")) == "Money('12.50')"
    assert str(usd("1234.5")) == "$1,234.50"


@pytest.mark.parametrize(
    ("bad", "error", "rule"),
    [
        (1.5, TypeMismatch, "no-float"),
        (Decimal("NaN"), ValidationError, "finite"),
        (Decimal("Infinity"), ValidationError, "finite"),
        (Decimal("-Infinity"), ValidationError, "finite"),
        (Decimal("1e999999"), ValidationError, "range"),
        ("12.00", TypeMismatch, "type"),
        (True, TypeMismatch, "type"),
        (None, TypeMismatch, "type"),
        (Decimal("1.005"), ValidationError, "whole-cents"),
    ],
)
def test_bad_amounts_are_refused(bad: object, error: type[ClaimcoreError], rule: str) -> None:
    """Floats, non-finite numbers, text and fractions of a cent are refused, typed."""
    with pytest.raises(error) as caught:
        Money(bad)  # type: ignore[arg-type]
    assert isinstance(caught.value, ClaimcoreError)
    assert caught.value.rule == rule  # type: ignore[attr-defined]
    assert caught.value.path == "$.amount"  # type: ignore[attr-defined]


def test_a_float_is_both_a_claimcore_error_and_a_type_error() -> None:
    """A float given as money is refused with an error that is also a TypeError."""
    with pytest.raises(TypeError, match="float"):
        Money(0.1)  # type: ignore[arg-type]


def test_currency_must_be_iso_and_must_match() -> None:
    """Currencies are three capital letters; mixing them raises CurrencyMismatch."""
    with pytest.raises(ValidationError):
        Money(1, "usd")
    with pytest.raises(TypeMismatch):
        Money(1, 840)  # type: ignore[arg-type]
    eur = Money(Decimal("1.00"), "EUR")
    with pytest.raises(CurrencyMismatch):
        usd("1.00") + eur
    with pytest.raises(CurrencyMismatch):
        _ = usd("1.00") < eur
    assert repr(eur) == "Money('1.00', 'EUR')"
    assert eur.format() == "1.00 EUR"


def test_arithmetic_is_exact() -> None:
    """0.10 + 0.20 is exactly 0.30, unlike floats."""
    assert usd("0.10") + usd("0.20") == usd("0.30")
    assert usd("300.00") - usd("200.00") == usd("100.00")
    assert -usd("5.00") == usd("-5.00")
    assert abs(usd("-5.00")) == usd("5.00")
    assert +usd("5.00") == usd("5.00")
    assert sum([usd("1.00"), usd("2.00")], Money.zero()) == usd("3.00")
    assert sum([usd("1.00"), usd("2.00")]) == usd("3.00")
    assert money_sum([usd("1.01"), usd("2.02")]) == usd("3.03")
    assert money_sum([]) == Money.zero()


def test_negative_zero_is_zero() -> None:
    """-0.00 and 0.00 are the same amount with the same text."""
    assert repr(-Money.zero()) == "Money('0.00')"
    assert str(Money(Decimal("-0.00"))) == "$0.00"


def test_multiplication_rounds_half_up_unless_told() -> None:
    """Products are rounded to cents: half-up by default, or as the caller says."""
    assert usd("0.25") * Decimal("0.5") == usd("0.13")
    assert usd("0.25").times(Decimal("0.5"), rounding=ROUND_HALF_EVEN) == usd("0.12")
    assert usd("0.25").times(Decimal("0.5"), rounding=ROUND_DOWN) == usd("0.12")
    assert 3 * usd("1.11") == usd("3.33")
    assert usd("100.00") * Rate.percent(20) == usd("20.00")
    assert Rate.percent(20) * usd("100.00") == usd("20.00")


def test_multiplying_by_a_float_or_bad_rounding_is_refused() -> None:
    """Floats never enter money arithmetic; unknown rounding modes are refused."""
    with pytest.raises(TypeMismatch):
        usd("1.00") * 1.5  # type: ignore[operator]
    with pytest.raises(TypeMismatch):
        usd("1.00") * "2"  # type: ignore[operator]
    with pytest.raises(ValidationError):
        usd("1.00").times(2, rounding="ROUND_SIDEWAYS")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        usd("1.00") * Decimal("NaN")
    with pytest.raises(ValidationError):
        usd("9999999999.00") * 10000


def test_comparisons() -> None:
    """Money orders by amount; comparing with a number is refused."""
    assert usd("1.00") < usd("2.00") <= usd("2.00") < usd("3.00")
    assert usd("3.00") > usd("2.00") >= usd("2.00")
    assert max(usd("1.00"), usd("9.99")) == usd("9.99")
    with pytest.raises(TypeMismatch):
        _ = usd("1.00") < 2  # type: ignore[operator]
    assert usd("0.00").is_zero() and not usd("0.00")
    assert usd("1.00").is_positive() and usd("-1.00").is_negative()


def test_parse_and_format_are_inverses() -> None:
    """Money.parse reads what Money.format writes, and the common forms people type."""
    for text, amount in [
        ("1234.56", "1234.56"), ("$1,234.56", "1234.56"), ("-$5", "-5.00"),
        ("0.5", "0.50"), ("10.00 EUR", "10.00"),
    ]:
        assert Money.parse(text).amount == Decimal(amount)
    m = usd("-1234567.89")
    assert m.format() == "-$1,234,567.89"
    assert Money.parse(m.format()) == m
    assert m.format(symbol=False, grouping=False) == "-1234567.89"
    for bad in ["", "12.345", "1,23.00", "abc", "$1.00 EUR", "1e5"]:
        with pytest.raises(ValidationError):
            Money.parse(bad)
    with pytest.raises(TypeMismatch):
        Money.parse(12)  # type: ignore[arg-type]


def test_from_cents_and_of() -> None:
    """Money from whole cents, and from any precision with explicit rounding."""
    assert Money.from_cents(1250) == usd("12.50")
    assert Money.from_cents(-1) == usd("-0.01")
    assert Money.from_cents(1250).cents == 1250
    assert Money.of(Decimal("2.345")) == usd("2.35")
    assert Money.of(Decimal("2.345"), rounding=ROUND_HALF_EVEN) == usd("2.34")
    with pytest.raises(TypeMismatch):
        Money.from_cents(1.0)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Money.of(Decimal("1e20"))


def test_rate_forms() -> None:
    """Rates come from fractions or percentages and print as percentages."""
    assert Rate.percent(20) == Rate(Decimal("0.2"))
    assert Rate.percent("12.5") == Rate.parse("12.5%") == Rate(Decimal("0.125"))
    assert Rate.parse("0.8") == Rate(Decimal("0.8"))
    assert str(Rate(Decimal("0.125"))) == "12.5%"
    assert str(Rate(1)) == "100%"
    assert repr(Rate.percent(20)) == "Rate('0.20')"
    assert Rate.percent(20).complement() == Rate.percent(80)
    assert Rate.percent(20) < Rate.percent(30) <= Rate.percent(30)
    assert Rate.percent(40) > Rate.percent(30) >= Rate.percent(30)
    assert Rate.percent(20).of(usd("0.05"), rounding=ROUND_DOWN) == usd("0.01")


@pytest.mark.parametrize(
    "bad", [0.2, Decimal("NaN"), Decimal(-1), Decimal(1001), Decimal("1e-20"), "0.2", True]
)
def test_bad_rates_are_refused(bad: object) -> None:
    """Floats, negative, huge, over-precise and non-numeric rates are refused."""
    with pytest.raises(ClaimcoreError):
        Rate(bad)  # type: ignore[arg-type]


def test_rate_parse_errors_and_complement_limits() -> None:
    """Unreadable rate text and a complement of more than 100% are refused."""
    with pytest.raises(ValidationError):
        Rate.parse("twenty")
    with pytest.raises(TypeMismatch):
        Rate.parse(20)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Rate.percent(150).complement()


def test_allocate_by_largest_remainder() -> None:
    """Cents left after truncation go to the largest remainders, ties to the earlier part."""
    assert allocate(usd("100.00"), [1, 1, 1]) == (usd("33.34"), usd("33.33"), usd("33.33"))
    assert allocate(usd("0.05"), [Decimal("0.3"), Decimal("0.7")]) == (usd("0.02"), usd("0.03"))
    assert allocate(usd("10.00"), [usd("1.00"), usd("3.00")]) == (usd("2.50"), usd("7.50"))
    assert allocate(usd("1.00"), [Rate.percent(50), Rate.percent(50)]) == (
        usd("0.50"), usd("0.50"),
    )
    assert allocate(usd("-0.05"), [1, 1]) == (usd("-0.03"), usd("-0.02"))
    assert allocate(usd("0.01"), [0, 1]) == (usd("0.00"), usd("0.01"))


@pytest.mark.parametrize(
    "weights", [[], [0, 0], [1, -1], [1.5], "ab", [Money(1, "EUR")]]
)
def test_allocate_refuses_bad_weights(weights: object) -> None:
    """Empty, all-zero, negative, float and other-currency weights are refused."""
    with pytest.raises(ClaimcoreError):
        allocate(usd("1.00"), weights)  # type: ignore[arg-type]


def test_allocate_refuses_a_non_money_total() -> None:
    """The total must be Money."""
    with pytest.raises(TypeMismatch):
        allocate(Decimal("1.00"), [1])  # type: ignore[arg-type]
