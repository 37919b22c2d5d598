"""X12 elements in one place: reading typed values out of segment rows, and formatting
values into elements.

Every reader (835, 271, 277CA) reads its rows with an :class:`ElementReader`: element
access that tolerates a short segment, amounts, quantities, ``CCYYMMDD`` dates, codes and
composites, and the failures (:class:`~claimcore.x12.X12Error`) and warnings
(:class:`~claimcore.x12.X12Warning`) that name the segment number and element. Every
writer (835, 837, 270) formats with :func:`amount`, :func:`number`, :func:`d8` and
:func:`cas`, so an amount or a ``CAS`` segment is written the same way everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Final, NoReturn, TypeVar

from claimcore.adjustments import Adjustment
from claimcore.errors import ValidationError
from claimcore.money import Money
from claimcore.x12._envelope import Element
from claimcore.x12._tokens import Delimiters, Rows
from claimcore.x12._warnings import WarningCode, X12Error, X12Warning

__all__: list[str] = []  # shared by the x12 readers and writers; not public

MAX_CAS_TRIPLETS: Final = 6
"""A ``CAS`` segment holds at most six reason/amount/quantity triplets (``CAS02``-``CAS19``)."""

_CACHE_LIMIT: Final = 4096
_CENTS: Final = re.compile(r"-?[0-9]{1,12}(?:\.[0-9]{0,2})?")
_AMOUNT: Final = re.compile(r"-?(?:[0-9]{1,15}(?:\.[0-9]{0,4})?|\.[0-9]{1,4})")
_QUANTITY: Final = re.compile(r"-?(?:[0-9]{1,10}(?:\.[0-9]{0,6})?|\.[0-9]{1,6})")
_SEPARATOR_GUESS: Final = re.compile(r"[^A-Za-z0-9 .\-]")
QUALIFIER: Final = re.compile(r"[A-Z][A-Z0-9]")
"""A two-character X12 qualifier (``HC``, ``NU``): the first component of a composite."""

T = TypeVar("T")


# ---------------------------------------------------------------- reading


def element(row: Sequence[str], k: int) -> str:
    """Element ``k`` of a segment row, or ``""`` when the segment is shorter."""
    return row[k] if k < len(row) else ""


class ElementReader:
    """The rows of one interchange, read element by element.

    Holds the rows, the delimiters and the list the warnings go to; its methods read one
    element of row ``i`` (``k`` counts from 1, as ``CLP04`` does) and fail or warn naming
    the segment number and element. Values read once are cached, as an 835 repeats the
    same amounts, dates and codes thousands of times (``*_cache``).
    """

    def __init__(self, rows: Rows, delims: Delimiters,
                 warnings: list[X12Warning]) -> None:
        self.rows = rows
        self.delims = delims
        self.warnings = warnings
        self.code_cache: dict[tuple[Callable[[str], object], str], object] = {}
        self.amount_cache: dict[str, Money] = {}
        self.quantity_cache: dict[str, Decimal] = {}
        self.date_cache: dict[str, date] = {}

    el = staticmethod(element)

    def fail(self, message: str, i: int, element: str | None = None) -> NoReturn:
        """Stop the read: an :class:`~claimcore.x12.X12Error` about row ``i``."""
        raise X12Error(message, segment_number=i + 1, segment_id=self.rows[i][0],
                       element=element)

    def warn(self, code: WarningCode, message: str, i: int, element: str | None = None) -> None:
        """Record an :class:`~claimcore.x12.X12Warning` about row ``i`` and go on."""
        self.warnings.append(X12Warning(code=code, message=message, segment_number=i + 1,
                                        segment_id=self.rows[i][0], element=element))

    @staticmethod
    def name(row: Sequence[str], k: int) -> str:
        """The reference designator of element ``k`` (``CLP04``)."""
        return f"{row[0]}{k:02d}"

    def money(self, i: int, k: int, *, required: bool = True) -> Money | None:
        """Element ``k`` as an amount in whole cents; ``None`` when empty and not required."""
        row = self.rows[i]
        value = row[k] if k < len(row) else ""
        if not value:
            if required:
                self.fail("is required: an amount", i, self.name(row, k))
            return None
        known = self.amount_cache.get(value)
        if known is not None:
            return known
        if _CENTS.fullmatch(value) is not None:
            # at most two places and thirteen digits: exact cents, within Money's range
            money = Money(Decimal(value))
            if len(self.amount_cache) < _CACHE_LIMIT:
                self.amount_cache[value] = money
            return money
        if _AMOUNT.fullmatch(value) is None:
            self.fail("must be an amount (digits with an optional sign and decimal point)",
                      i, self.name(row, k))
        try:
            return Money(Decimal(value))
        except ValidationError as err:
            self.fail(err.message, i, self.name(row, k))

    def amount(self, i: int, k: int) -> Money:
        """Element ``k`` as a required amount."""
        row = self.rows[i]
        known = self.amount_cache.get(row[k] if k < len(row) else "")
        if known is not None:  # "" is never cached: a missing amount fails below
            return known
        money = self.money(i, k)
        if money is None:  # pragma: no cover - money() raised when it was missing
            self.fail("is required: an amount", i, self.name(self.rows[i], k))
        return money

    def quantity(self, i: int, k: int) -> Decimal | None:
        """Element ``k`` as a quantity (units), or ``None`` when empty."""
        row = self.rows[i]
        value = row[k] if k < len(row) else ""
        if not value:
            return None
        known = self.quantity_cache.get(value)
        if known is not None:
            return known
        if _QUANTITY.fullmatch(value) is None:
            self.fail("must be a quantity (digits with an optional decimal point)", i,
                      self.name(row, k))
        quantity = Decimal(value)
        if len(self.quantity_cache) < _CACHE_LIMIT:
            self.quantity_cache[value] = quantity
        return quantity

    def day(self, i: int, k: int, *, what: str | None = None, quiet: bool = False) -> date | None:
        """Element ``k`` as a ``CCYYMMDD`` date (see :meth:`date_of`)."""
        row = self.rows[i]
        value = row[k] if k < len(row) else ""
        known = self.date_cache.get(value)
        if known is not None:  # the element's name is only worded for a warning
            return known
        return self.date_of(value, i, self.name(row, k), what=what, quiet=quiet)

    def date_of(self, value: str, i: int, element: str, *, what: str | None = None,
                quiet: bool = False) -> date | None:
        """A ``CCYYMMDD`` date; ``None`` when empty, or with a warning (unless ``quiet``)
        when it is not a calendar date: a payer's impossible date is ignored, not fatal."""
        if not value:
            return None
        known = self.date_cache.get(value)
        if known is not None:
            return known
        if len(value) == 8 and value.isascii() and value.isdigit():
            try:
                on = date(int(value[:4]), int(value[4:6]), int(value[6:]))
            except ValueError:
                pass
            else:
                if len(self.date_cache) < _CACHE_LIMIT:
                    self.date_cache[value] = on
                return on
        if not quiet:
            the = f"the {what} " if what else ""
            self.warn(WarningCode.INVALID_DATE,
                      f"{the}is not a calendar date (CCYYMMDD); it was ignored", i, element)
        return None

    def code(self, factory: Callable[[str], T], value: str, i: int, element: str) -> T:
        """``factory(value)`` (a code type), failing at ``element`` when it refuses."""
        key = (factory, value)
        known = self.code_cache.get(key)
        if known is not None:
            return known  # type: ignore[return-value]  # cached by the same factory
        try:
            made = factory(value)
        except ValidationError as err:
            self.fail(err.message, i, element)
        if len(self.code_cache) < _CACHE_LIMIT:
            self.code_cache[key] = made
        return made

    def composite(self, i: int, k: int) -> list[str]:
        """The components of element ``k``, tolerating another separator than ISA16."""
        row = self.rows[i]
        value = row[k] if k < len(row) else ""
        comp = self.delims.component
        if comp in value:
            return value.split(comp)
        other = _SEPARATOR_GUESS.search(value)
        if other is not None:
            parts = value.split(other.group())
            if QUALIFIER.fullmatch(parts[0]) is not None and len(parts) > 1:
                self.warn(WarningCode.COMPOSITE_SEPARATOR,
                          "this composite is written with another separator than ISA16; "
                          "it was read with that separator", i, self.name(row, k))
                return parts
        return [value]


# ---------------------------------------------------------------- writing


def number(value: Decimal) -> str:
    """A quantity as X12 writes it: no exponent, no trailing zeros (``2``, ``1.5``)."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def amount(money: Money) -> str:
    """An amount as X12 writes it: its cents, no exponent (``125.00``, ``-9.00``)."""
    return format(money.amount, "f")


def d8(on: date) -> str:
    """A date as ``CCYYMMDD`` (date format qualifier ``D8``)."""
    return on.strftime("%Y%m%d")


def cas(adjustments: Sequence[Adjustment]) -> list[list[Element]]:
    """``CAS`` segments for ``adjustments``, keeping their order: one per run of a group,
    at most six triplets each. The 835 (loops 2100, 2110) and the 837 (loops 2320, 2430)
    write them alike."""
    out: list[list[Element]] = []
    current: list[Element] = []
    for a in adjustments:
        if (not current or current[1] != a.group.value
                or len(current) >= 2 + 3 * MAX_CAS_TRIPLETS):
            current = ["CAS", a.group.value]
            out.append(current)
        qty = "" if a.quantity is None else number(a.quantity)
        current.extend([a.reason.code, amount(a.amount), qty])
    return out
