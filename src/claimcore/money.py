"""Exact money: :class:`Money`, :class:`Rate` and :func:`allocate`.

``Money`` holds a :class:`~decimal.Decimal` in whole cents and a currency (USD by
default). A ``float`` is refused, because ``0.1 + 0.2`` is not ``0.3`` and a billing
system must never lose a cent to binary rounding. Every split of an amount (coinsurance,
a payment spread across lines, proration) goes through :func:`allocate`, whose parts
always sum to the whole.

>>> from decimal import Decimal
>>> charge = Money(Decimal("300.00"))
>>> charge - Money(Decimal("200.00"))
Money('100.00')
>>> Rate.percent(20).of(Money(Decimal("100.00")))
Money('20.00')
>>> allocate(Money(Decimal("100.00")), [1, 1, 1])
(Money('33.34'), Money('33.33'), Money('33.33'))

Every operation uses claimcore's own decimal contexts, never the caller's: a low
``decimal.getcontext().prec``, another rounding mode or changed traps in the calling
code do not change a single cent.

>>> import decimal
>>> with decimal.localcontext(prec=6, rounding=decimal.ROUND_FLOOR):
...     Money(Decimal("3703703.66")) + Money(Decimal("0.01"))
Money('3703703.67')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Context,
    Decimal,
    DecimalException,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    Rounded,
)
from fractions import Fraction
from typing import Final, Literal, TypeAlias

import attrs

from claimcore._pickling import fast_pickle
from claimcore._validate import kind
from claimcore.errors import CurrencyMismatch, TypeMismatch, ValidationError

__all__ = [
    "CENT",
    "USD",
    "Money",
    "Rate",
    "Rounding",
    "allocate",
    "money_sum",
]

USD: Final = "USD"
CENT: Final = Decimal("0.01")
Rounding: TypeAlias = Literal[
    "ROUND_HALF_UP", "ROUND_HALF_EVEN", "ROUND_HALF_DOWN",
    "ROUND_UP", "ROUND_DOWN", "ROUND_CEILING", "ROUND_FLOOR",
]
"""The rounding modes of :mod:`decimal`, by name (``decimal.ROUND_HALF_UP`` is one)."""
_ROUNDINGS: Final = frozenset({
    ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_HALF_DOWN, ROUND_UP, ROUND_DOWN,
    ROUND_CEILING, ROUND_FLOOR,
})

# Amounts beyond a trillion dollars are data errors, and bounding them keeps every
# quantize inside the context's precision (Decimal('1e999999') would otherwise trap).
_LIMIT: Final = Decimal("1e13")
_RATE_LIMIT: Final = Decimal(1000)
_RATE_PLACES: Final = 12

# claimcore's own decimal contexts. Money never does arithmetic in the caller's context
# (``decimal.getcontext()``): a caller's ``prec = 6`` would turn 3,703,703.67 into
# 3,703,700, ROUND_FLOOR would turn -0.00 + 0 into -0.00, and changed traps would raise
# or stay silent where they should not. Every field is given, so nothing is copied from
# the (mutable) ``decimal.DefaultContext`` either.
#
# _EXACT does the arithmetic (add, subtract, negate, abs, multiply, scaleb). Its
# precision is unlimited (the decimal docs' recipe for exact arithmetic), so a sum or a
# product is always exact, whatever the number of digits of a factor (a 28-digit 1/3
# times a 15-digit amount needs 43); Inexact and Rounded are trapped, so a result that
# could not be exact raises instead of losing a cent (only absurd exponents, near
# 10**±999999999999999999, can do that). We never divide, where an unlimited precision
# would not do.
#
# _ROUNDING does the one deliberate rounding, the quantize to cents, with the rounding
# mode passed explicitly each time; it cannot trap on Inexact, which is its job.
#
# The explicit methods (``_EXACT.add(a, b)``) are used rather than ``with
# localcontext(...)``: measured with timeit they cost ~140 ns a call against ~550 ns.
_EXACT: Final = Context(
    prec=MAX_PREC, rounding=ROUND_HALF_EVEN, Emin=MIN_EMIN, Emax=MAX_EMAX, capitals=1,
    clamp=0, flags=[],
    traps=[InvalidOperation, DivisionByZero, Overflow, Inexact, Rounded],
)
_ROUNDING: Final = Context(
    prec=MAX_PREC, rounding=ROUND_HALF_EVEN, Emin=MIN_EMIN, Emax=MAX_EMAX, capitals=1,
    clamp=0, flags=[], traps=[InvalidOperation, DivisionByZero, Overflow],
)
_add: Final = _EXACT.add
_subtract: Final = _EXACT.subtract
_multiply: Final = _EXACT.multiply
_scaleb: Final = _EXACT.scaleb
_CURRENCY: Final = re.compile(r"[A-Z]{3}")
# Numbers in text are ASCII digits only: ``\d`` and ``Decimal()`` also take Arabic-Indic
# or fullwidth digits ("\u0663", "\uff13"), which no payer or X12 file means.
_PARSE: Final = re.compile(
    r"(?P<sign>-)?(?P<dollar>\$)?(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)"
    r"(?:\.(?P<frac>[0-9]{1,2}))?(?: (?P<cur>[A-Z]{3}))?",
    re.ASCII,
)
_ASCII_SPACE: Final = " \t\n\r\f\v"


def _in_range(value: Decimal) -> bool:
    # A chained comparison is exact in any context; abs() would round in the caller's.
    return -_LIMIT < value < _LIMIT


def _currency(value: object, path: str = "$.currency") -> str:
    if type(value) is not str:
        raise TypeMismatch(f"must be a str, got {kind(value)}", path=path, rule="type")
    if _CURRENCY.fullmatch(value) is None:
        raise ValidationError(
            f"must be an ISO 4217 code of three capital letters, got {value!r}",
            path=path, rule="currency",
        )
    return value


def _cents(value: object, path: str = "$.amount") -> Decimal:
    """Check and quantize an amount: a finite Decimal (or int) in whole cents."""
    if type(value) is int:
        value = Decimal(value)
    elif not isinstance(value, Decimal):
        if isinstance(value, float):
            raise TypeMismatch(
                "must be a Decimal, not a float: floats cannot hold cents exactly "
                "(use Decimal('12.34') or Money.parse('12.34'))",
                path=path, rule="no-float",
            )
        hint = " (use Money.parse for text)" if isinstance(value, str) else ""
        raise TypeMismatch(
            f"must be a Decimal or int, got {kind(value)}{hint}", path=path, rule="type"
        )
    if not value.is_finite():
        raise ValidationError(f"must be finite, got {value}", path=path, rule="finite")
    if not _in_range(value):
        raise ValidationError(
            f"must be below {_LIMIT:,f} in magnitude", path=path, rule="range"
        )
    cents = value.quantize(CENT, context=_ROUNDING)
    if cents != value:
        raise ValidationError(
            f"must be in whole cents, got {value}; round it explicitly first "
            "(Money.of(amount, rounding=...))",
            path=path, rule="whole-cents",
        )
    return cents if cents else _ZERO  # normalise -0.00 to 0.00


_ZERO: Final = Decimal("0.00")


def _rounding(mode: str) -> str:
    if mode not in _ROUNDINGS:
        raise ValidationError(
            f"rounding must be one of {sorted(_ROUNDINGS)}, got {mode!r}", rule="rounding"
        )
    return mode


def _factor(value: object) -> Decimal:
    if isinstance(value, Rate):
        return value.value
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        if isinstance(value, float):
            raise TypeMismatch(
                "cannot multiply money by a float: use a Decimal or a Rate", rule="no-float"
            )
        raise TypeMismatch(
            f"money can be multiplied by an int, Decimal or Rate, got {kind(value)}", rule="type"
        )
    d = Decimal(value)
    if not d.is_finite():
        raise ValidationError(f"factor must be finite, got {d}", rule="finite")
    return d


@fast_pickle
@attrs.frozen(init=False, repr=False)
class Money:
    """An exact amount of money in whole cents.

    ``Money(Decimal("12.5"))`` is twelve dollars fifty; ``Money(Decimal("12.345"))`` is
    refused (round it explicitly with :meth:`of`). Arithmetic with another currency
    raises :class:`~claimcore.errors.CurrencyMismatch`.

    X12: every monetary element (``CLM02``, ``SV102``, ``CLP04``, ``BPR02``); FHIR: ``Money``.
    """

    amount: Decimal
    currency: str = USD

    def __init__(self, amount: Decimal | int, currency: str = USD) -> None:
        self.__attrs_init__(_cents(amount), _currency(currency))

    @classmethod
    def _trusted(cls, amount: Decimal, currency: str = USD) -> Money:
        """Build from an amount already quantized to cents (internal fast path)."""
        new = object.__new__(cls)
        object.__setattr__(new, "amount", amount)
        object.__setattr__(new, "currency", currency)
        return new

    @classmethod
    def _trusted_cents(cls, cents: int, currency: str = USD) -> Money:
        """Build from a whole number of cents already in range (internal fast path).

        Exact in any caller's decimal context, unlike ``Decimal(cents).scaleb(-2)``.
        """
        return cls._trusted(_scaleb(Decimal(cents), -2), currency)

    @classmethod
    def zero(cls, currency: str = USD) -> Money:
        """Zero, the start value for ``sum(amounts, Money.zero())``."""
        return cls._trusted(_ZERO, _currency(currency))

    @classmethod
    def of(
        cls, amount: Decimal | int, currency: str = USD, *, rounding: Rounding = ROUND_HALF_UP
    ) -> Money:
        """Money from an amount with any number of places, rounded to cents as told."""
        d = _factor(amount)
        if not _in_range(d):
            raise ValidationError(f"amount must be below {_LIMIT:,f} in magnitude", rule="range")
        return cls(d.quantize(CENT, rounding=_rounding(rounding), context=_ROUNDING), currency)

    @classmethod
    def from_cents(cls, cents: int, currency: str = USD) -> Money:
        """Money from a whole number of cents: ``Money.from_cents(1250)`` is 12.50."""
        if type(cents) is not int:
            raise TypeMismatch(f"cents must be an int, got {kind(cents)}", rule="type")
        return cls(_scaleb(Decimal(cents), -2), currency)

    @classmethod
    def parse(cls, text: str) -> Money:
        """Read money from text: ``"1234.56"``, ``"$1,234.56"``, ``"-$5"``, ``"10.00 EUR"``.

        The inverse of :meth:`format`. Digits must be ASCII (``0``-``9``); surrounding
        ASCII whitespace is ignored.
        """
        if type(text) is not str:
            raise TypeMismatch(f"Money.parse takes a str, got {kind(text)}", rule="type")
        m = _PARSE.fullmatch(text.strip(_ASCII_SPACE))
        if m is None:
            raise ValidationError(
                f"{text[:40]!r} is not an amount of money (expected e.g. '1234.56' or "
                "'$1,234.56')",
                rule="format",
            )
        currency = m["cur"] or USD
        if m["dollar"] and currency != USD:
            raise ValidationError("a '$' amount must be in USD", rule="currency")
        digits = m["whole"].replace(",", "") + "." + (m["frac"] or "0")
        return cls(_EXACT.create_decimal(("-" if m["sign"] else "") + digits), currency)

    def format(self, *, symbol: bool = True, grouping: bool = True) -> str:
        """Text for people: ``"$1,234.56"``, ``"-$5.00"``, ``"10.00 EUR"``."""
        size = _EXACT.abs(self.amount)
        number = f"{size:,.2f}" if grouping else f"{size:.2f}"
        sign = "-" if self.amount < 0 else ""
        if self.currency == USD:
            return f"{sign}{'$' if symbol else ''}{number}"
        return f"{sign}{number} {self.currency}"

    @property
    def cents(self) -> int:
        """The amount as a whole number of cents."""
        return int(_scaleb(self.amount, 2))

    def is_zero(self) -> bool:
        return not self.amount

    def is_positive(self) -> bool:
        return self.amount > 0

    def is_negative(self) -> bool:
        return self.amount < 0

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(
                f"cannot combine {self.currency} with {other.currency}"
            )

    def _bounded(self, amount: Decimal) -> Money:
        if not -_LIMIT < amount < _LIMIT:
            raise ValidationError(
                f"result must be below {_LIMIT:,f} in magnitude", rule="range"
            )
        return Money._trusted(amount, self.currency)

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self._bounded(_add(self.amount, other.amount))

    def __radd__(self, other: object) -> Money:
        # Lets the builtin sum() start from 0 without a start value.
        if other == 0 and not isinstance(other, float):
            return self
        return NotImplemented

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return self._bounded(_subtract(self.amount, other.amount))

    def __neg__(self) -> Money:
        return Money._trusted(_EXACT.minus(self.amount), self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money._trusted(_EXACT.abs(self.amount), self.currency)

    def __bool__(self) -> bool:
        return bool(self.amount)

    def times(self, factor: int | Decimal | Rate, *, rounding: Rounding = ROUND_HALF_UP) -> Money:
        """This amount times ``factor``, rounded to cents as told (half-up by default)."""
        try:
            product = _multiply(self.amount, _factor(factor))
        except DecimalException:  # only for exponents near 10**±999999999999999999
            raise ValidationError("factor is out of range", rule="range") from None
        if not -_LIMIT < product < _LIMIT:
            raise ValidationError(f"result must be below {_LIMIT:,f} in magnitude", rule="range")
        cents = product.quantize(CENT, rounding=_rounding(rounding), context=_ROUNDING)
        return Money._trusted(cents if cents else _ZERO, self.currency)

    def __mul__(self, factor: int | Decimal | Rate) -> Money:
        return self.times(factor)

    __rmul__ = __mul__

    def _cmp(self, other: object) -> Decimal:
        # Comparing two Decimals is exact in any context (a subtraction would round).
        if not isinstance(other, Money):
            raise TypeMismatch(f"cannot compare Money with {kind(other)}", rule="type")
        self._same(other)
        return other.amount

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._cmp(other)

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._cmp(other)

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._cmp(other)

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._cmp(other)

    def __repr__(self) -> str:
        if self.currency == USD:
            return f"Money('{self.amount}')"
        return f"Money('{self.amount}', '{self.currency}')"

    def __str__(self) -> str:
        return self.format()


_RATE_PARSE: Final = re.compile(r"(?P<num>-?[0-9]+(?:\.[0-9]+)?)(?P<pct> ?%)?", re.ASCII)


@fast_pickle
@attrs.frozen(init=False, repr=False)
class Rate:
    """A percentage or fraction, with more precision than cents: ``Rate.percent(20)`` is 0.2.

    Used for coinsurance, fee-schedule percentages (150% of Medicare) and discounts.
    Rates are not money and never mix with it except through :meth:`of` and ``Money * Rate``.
    """

    value: Decimal

    def __init__(self, value: Decimal | int) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            if isinstance(value, float):
                raise TypeMismatch(
                    "a Rate must be a Decimal, not a float", path="$.value", rule="no-float"
                )
            raise TypeMismatch(
                f"$.value must be a Decimal or int, got {kind(value)}", path="$.value",
                rule="type",
            )
        d = Decimal(value)
        if not d.is_finite():
            raise ValidationError(f"a Rate must be finite, got {d}", path="$.value", rule="finite")
        if d < 0 or d > _RATE_LIMIT:
            raise ValidationError(
                f"a Rate must be between 0 and {_RATE_LIMIT}, got {d}", path="$.value",
                rule="range",
            )
        if d.as_tuple().exponent < -_RATE_PLACES:  # type: ignore[operator]
            raise ValidationError(
                f"a Rate has at most {_RATE_PLACES} decimal places", path="$.value", rule="places"
            )
        self.__attrs_init__(d)

    @classmethod
    def percent(cls, value: Decimal | int | str) -> Rate:
        """A rate from a percentage: ``Rate.percent(20)`` is one fifth."""
        if isinstance(value, str):
            return cls.parse(value if value.rstrip().endswith("%") else value + "%")
        return cls(_scaleb(_factor(value), -2))

    @classmethod
    def parse(cls, text: str) -> Rate:
        """Read ``"20%"`` (a percentage) or ``"0.2"`` (a fraction); inverse of :meth:`format`.

        Digits must be ASCII (``0``-``9``); surrounding ASCII whitespace is ignored.
        """
        if type(text) is not str:
            raise TypeMismatch(f"Rate.parse takes a str, got {kind(text)}", rule="type")
        m = _RATE_PARSE.fullmatch(text.strip(_ASCII_SPACE))
        if m is None:
            raise ValidationError(
                f"{text[:40]!r} is not a rate (expected e.g. '20%' or '0.2')", rule="format"
            )
        d = _EXACT.create_decimal(m["num"])
        return cls(_scaleb(d, -2) if m["pct"] else d)

    def format(self) -> str:
        """A percentage for people: ``"20%"``, ``"12.5%"``."""
        pct = _scaleb(self.value, 2)
        text = f"{pct:f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return f"{text}%"

    def of(self, money: Money, *, rounding: Rounding = ROUND_HALF_UP) -> Money:
        """This rate applied to ``money``, rounded to cents as told."""
        return money.times(self, rounding=rounding)

    def complement(self) -> Rate:
        """One minus this rate: the payer's 80% when the patient's coinsurance is 20%."""
        if self.value > 1:
            raise ValidationError("only a rate of at most 100% has a complement", rule="range")
        return Rate(_subtract(1, self.value))

    def __mul__(self, money: Money) -> Money:
        if not isinstance(money, Money):
            return NotImplemented
        return money.times(self)

    def __lt__(self, other: Rate) -> bool:
        return self.value < other.value

    def __le__(self, other: Rate) -> bool:
        return self.value <= other.value

    def __gt__(self, other: Rate) -> bool:
        return self.value > other.value

    def __ge__(self, other: Rate) -> bool:
        return self.value >= other.value

    def __repr__(self) -> str:
        return f"Rate('{self.value}')"

    def __str__(self) -> str:
        return self.format()


def money_sum(amounts: Iterable[Money], *, currency: str = USD) -> Money:
    """The sum of ``amounts`` (zero in ``currency`` when there are none)."""
    total = Money.zero(currency)
    for amount in amounts:
        total = total + amount
    return total


def allocate(total: Money, weights: Sequence[int | Decimal | Money | Rate]) -> tuple[Money, ...]:
    """Split ``total`` in proportion to ``weights`` so that the parts sum to it exactly.

    Largest remainder: every part first gets its exact share rounded toward zero; the
    cents left over go one each to the parts with the largest remainders, ties to the
    earlier part. Each part is within one cent of its exact share. A negative total splits
    like its absolute value, negated.

    >>> from decimal import Decimal
    >>> allocate(Money(Decimal("0.05")), [Decimal("0.5"), Decimal("0.5")])
    (Money('0.03'), Money('0.02'))
    """
    if not isinstance(total, Money):
        raise TypeMismatch(f"total must be Money, got {kind(total)}", rule="type")
    if isinstance(weights, (str, bytes)) or not isinstance(weights, Sequence):
        raise TypeMismatch(f"weights must be a sequence, got {kind(weights)}", rule="type")
    if not weights:
        raise ValidationError("weights must not be empty", path="$.weights", rule="empty")
    exact: list[Fraction] = []
    for i, w in enumerate(weights):
        if isinstance(w, Money):
            if w.currency != total.currency:
                raise CurrencyMismatch(f"weight {i} is in {w.currency}, total in {total.currency}")
            d = w.amount
        else:
            try:
                d = _factor(w)
            except ValidationError as err:
                raise err.at(f"$.weights[{i}]") from None
        if d < 0:
            raise ValidationError(
                f"weights must not be negative, got {d} at index {i}",
                path=f"$.weights[{i}]", rule="range",
            )
        exact.append(Fraction(d))
    whole = sum(exact, Fraction(0))
    if whole == 0:
        raise ValidationError("weights must not all be zero", path="$.weights", rule="range")
    sign = -1 if total.amount < 0 else 1
    cents = abs(total.cents)
    shares = [cents * w / whole for w in exact]
    parts = [int(s) for s in shares]  # int() truncates toward zero: shares are >= 0
    left = cents - sum(parts)
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(shares[i] - parts[i]), i))
    for i in by_remainder[:left]:
        parts[i] += 1
    cur = total.currency
    return tuple(Money._trusted(_scaleb(Decimal(sign * p), -2), cur) for p in parts)

