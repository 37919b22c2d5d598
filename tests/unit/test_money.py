"""Worked examples for Money, Rate and allocate."""

from __future__ import annotations

import decimal
from collections.abc import Iterator
from contextlib import contextmanager
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


# -- claimcore's own decimal context: exact whatever the caller set --------------------

_CALLER_CONTEXTS = {
    "prec=6": {"prec": 6},
    "prec=6, ROUND_FLOOR": {"prec": 6, "rounding": decimal.ROUND_FLOOR},
    "prec=1, ROUND_CEILING": {"prec": 1, "rounding": decimal.ROUND_CEILING},
}


@contextmanager
def caller_context(name: str, traps: str) -> Iterator[None]:
    """A hostile caller's context: low precision, odd rounding, changed traps."""
    with decimal.localcontext(**_CALLER_CONTEXTS[name]) as ctx:  # type: ignore[arg-type]
        if traps == "all":
            for signal in list(ctx.traps):
                ctx.traps[signal] = True
        elif traps == "none":
            for signal in list(ctx.traps):
                ctx.traps[signal] = False
        yield


caller_contexts = pytest.mark.parametrize(
    ("context", "traps"),
    [(name, traps) for name in _CALLER_CONTEXTS for traps in ("default", "all", "none")],
)


@caller_contexts
def test_arithmetic_is_exact_under_a_low_precision_caller_context(
    context: str, traps: str
) -> None:
    """+, -, neg, abs, sum, comparisons, cents and format ignore the caller's context."""
    a, b = usd("3703703.66"), usd("0.01")
    with caller_context(context, traps):
        total = a + b
        assert total.amount == Decimal("3703703.67")
        assert repr(total) == "Money('3703703.67')"
        assert (total - b) == a
        assert repr(usd("9999999999999.99") - usd("-0.00")) == "Money('9999999999999.99')"
        assert repr(-total) == "Money('-3703703.67')"
        assert repr(abs(-total)) == "Money('3703703.67')"
        assert repr(sum([a, b, b], Money.zero())) == "Money('3703703.68')"
        assert repr(money_sum([a, b, -b, b])) == "Money('3703703.67')"
        assert total > a and a < total and total >= total and a <= total
        assert not (total < a) and not (a > total)
        assert total.cents == 370370367
        assert total.format() == "$3,703,703.67"
        assert str(-total) == "-$3,703,703.67"
        assert Money.from_cents(999999999999999).format(grouping=False) == "$9999999999999.99"
        assert repr(usd("9999999999999.99")) == "Money('9999999999999.99')"


@caller_contexts
def test_multiplication_and_rounding_are_exact_under_a_caller_context(
    context: str, traps: str
) -> None:
    """times, Money * Rate, Rate.of and Money.of round once, to cents, as told."""
    a = usd("3703703.67")
    with caller_context(context, traps):
        assert repr(a * 3) == "Money('11111111.01')"
        assert repr(3 * a) == "Money('11111111.01')"
        assert repr(a * Decimal("1.5")) == "Money('5555555.51')"  # 5555555.505, half-up
        assert repr(a.times(Decimal("1.5"), rounding=ROUND_HALF_EVEN)) == "Money('5555555.50')"
        assert repr(a.times(Decimal("1.5"), rounding=ROUND_DOWN)) == "Money('5555555.50')"
        assert repr(Rate.percent(20).of(a)) == "Money('740740.73')"
        assert repr(a * Rate(Decimal("0.123456789012"))) == "Money('457247.36')"
        # a 28-digit factor times a 15-digit amount: 43 digits, still exact
        third = Decimal("0.3333333333333333333333333333")
        assert repr(usd("9999999999999.99") * third) == "Money('3333333333333.33')"
        assert repr(Money.of(Decimal("3703703.675"))) == "Money('3703703.68')"
        assert repr(Money.of(Decimal("3703703.675"), rounding=ROUND_DOWN)) == (
            "Money('3703703.67')"
        )
        assert repr(usd("0.01") * Decimal("-0.1")) == "Money('0.00')"  # never -0.00


@caller_contexts
def test_parsing_and_rates_are_exact_under_a_caller_context(context: str, traps: str) -> None:
    """Money.parse, Rate.parse, Rate.percent, complement and format ignore the caller."""
    with caller_context(context, traps):
        assert repr(Money.parse("$3,703,703.67")) == "Money('3703703.67')"
        assert repr(Money.parse("-3703703.67 EUR")) == "Money('-3703703.67', 'EUR')"
        assert repr(Money(Decimal("-0.00"))) == "Money('0.00')"
        assert repr(-Money.zero()) == "Money('0.00')"
        assert Rate.parse("12.3456789012%") == Rate(Decimal("0.123456789012"))
        assert Rate.percent(Decimal("12.3456789012")).value == Decimal("0.123456789012")
        assert Rate(Decimal("0.123456789012")).complement().value == Decimal("0.876543210988")
        assert Rate(Decimal("0.123456789012")).format() == "12.3456789012%"
        assert Rate.percent(20) < Rate.percent(Decimal("20.0000000001"))


@caller_contexts
def test_allocate_is_exact_under_a_caller_context(context: str, traps: str) -> None:
    """allocate's parts still sum to the total, to the cent."""
    total = usd("3703703.67")
    with caller_context(context, traps):
        parts = allocate(total, [1, 1, 1])
        assert [repr(p) for p in parts] == [
            "Money('1234567.89')", "Money('1234567.89')", "Money('1234567.89')",
        ]
        assert money_sum(parts) == total
        uneven = allocate(-total, [Decimal("0.3"), Decimal("0.7"), usd("0.01")])
        assert sum(p.cents for p in uneven) == -370370367
        assert repr(money_sum(uneven)) == "Money('-3703703.67')"


@caller_contexts
def test_a_ledger_balance_is_exact_under_a_caller_context(context: str, traps: str) -> None:
    """A ledger balance of 3,703,703.67 reads 3,703,703.67 even at prec=6 (issue 12)."""
    from datetime import date

    from claimcore.ids import PayerId, TransferId
    from claimcore.ledger import Account, Ledger, Transfer, TransferCode, post

    acme = PayerId("ACME1")
    ledger = Ledger()
    for i, amount in enumerate(["1234567.89", "2469135.78"]):
        ledger = post(ledger, Transfer(
            id=TransferId(f"c-{i}"), debit=Account.ar_payer(acme),
            credit=Account.gross_revenue(), amount=usd(amount), on=date(2026, 3, 2),
            code=TransferCode.CHARGE, encounter="E1",
        ))
    with caller_context(context, traps):
        balance = ledger.balance(Account.ar_payer(acme))
        assert repr(balance) == "Money('3703703.67')"
        assert balance == usd("3703703.67")


# -- numbers in text are ASCII digits ---------------------------------------------------

@pytest.mark.parametrize(
    "text",
    ["\u0663.00", "\uff13.00", "$\u0661,234.56", "12.\u0665\u0660", "\u06f1\u06f2",
     "1\u00a0234.00", "\u3000" + "12.00", "1_000.00", "12.00 \uff25UR"],
)
def test_money_parse_takes_ascii_digits_only(text: str) -> None:
    """Arabic-Indic, Persian, fullwidth digits and Unicode spaces are not an amount."""
    with pytest.raises(ValidationError) as caught:
        Money.parse(text)
    assert caught.value.rule == "format"


@pytest.mark.parametrize("text", ["\u0662\u0660%", "\uff12\uff10%", "0.\u0662", "20\u00a0%"])
def test_rate_parse_takes_ascii_digits_only(text: str) -> None:
    """Rate.parse and Rate.percent refuse non-ASCII digits and spaces."""
    with pytest.raises(ValidationError) as caught:
        Rate.parse(text)
    assert caught.value.rule == "format"
    with pytest.raises(ValidationError):
        Rate.percent(text.rstrip("%"))
