"""Small, fast checks shared by every value type.

Each function checks one value once and raises a claimcore error naming the path and
the rule. They never put the offending value in the message when ``phi`` is true, and
name only its type otherwise for values that are not plain codes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final, TypeVar

from claimcore.errors import TypeMismatch, ValidationError

T = TypeVar("T")

_PRINTABLE_ASCII: Final = re.compile(r"[\x20-\x7e]*")


def kind(value: object) -> str:
    """The type name of ``value``, for messages that must not show the value itself."""
    return type(value).__name__


def text(
    value: object,
    path: str,
    *,
    pattern: re.Pattern[str] | None = None,
    rule: str = "format",
    expected: str = "",
    min_len: int = 1,
    max_len: int | None = None,
    phi: bool = False,
) -> str:
    """Check that ``value`` is a printable-ASCII ``str`` of the right length and shape."""
    if type(value) is not str:
        raise TypeMismatch(f"must be a str, got {kind(value)}", path=path, rule="type")
    n = len(value)
    if n < min_len:
        raise ValidationError(
            "must not be empty" if min_len == 1 else
            f"must have at least {min_len} characters, got {n}",
            path=path, rule="empty" if n == 0 else "length",
        )
    if max_len is not None and n > max_len:
        raise ValidationError(
            f"must have at most {max_len} characters, got {n}", path=path, rule="length"
        )
    if pattern is not None:
        if pattern.fullmatch(value) is None:
            shown = "" if phi else f", got {value!r}"
            raise ValidationError(
                f"must be {expected or 'well formed'}{shown}", path=path, rule=rule
            )
    elif _PRINTABLE_ASCII.fullmatch(value) is None:
        raise ValidationError(
            "must be printable ASCII (X12 and most payers accept nothing else)",
            path=path, rule="ascii",
        )
    return value


def is_plain_text(value: object, max_len: int) -> bool:
    """Whether :func:`text` with no pattern and ``max_len`` accepts ``value``: a fast test
    for the common case, with no path and no error (the caller runs :func:`text` when it
    is false, to raise the detailed error)."""
    return (
        type(value) is str and 0 < len(value) <= max_len
        and _PRINTABLE_ASCII.fullmatch(value) is not None
    )


def optional_text(value: object, path: str, **kwargs: Any) -> str | None:
    """Like :func:`text`, but ``None`` is allowed."""
    if value is None:
        return None
    return text(value, path, **kwargs)


def instance(value: object, cls: type[T], path: str, *, what: str = "") -> T:
    """Check that ``value`` is an instance of ``cls``."""
    if not isinstance(value, cls):
        raise TypeMismatch(
            f"must be {what or ('a ' + cls.__name__)}, got {kind(value)}",
            path=path, rule="type",
        )
    return value


def optional_instance(value: object, cls: type[T], path: str, *, what: str = "") -> T | None:
    """Like :func:`instance`, but ``None`` is allowed."""
    if value is None:
        return None
    return instance(value, cls, path, what=what)


def a_date(value: object, path: str) -> date:
    """A calendar date; a ``datetime`` is refused, because a date of service has no time."""
    if type(value) is not date:
        raise TypeMismatch(
            "must be a datetime.date"
            + (" (not a datetime)" if isinstance(value, datetime) else "")
            + f", got {kind(value)}",
            path=path, rule="type",
        )
    return value


def optional_date(value: object, path: str) -> date | None:
    """Like :func:`a_date`, but ``None`` is allowed."""
    return None if value is None else a_date(value, path)


def aware_datetime(value: object, path: str) -> datetime:
    """A timezone-aware ``datetime``; a naive one is refused, because it is ambiguous."""
    if not isinstance(value, datetime):
        raise TypeMismatch(
            f"must be a datetime.datetime, got {kind(value)}", path=path, rule="type"
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(
            "must be timezone-aware (pass tzinfo, e.g. datetime.UTC)",
            path=path, rule="aware",
        )
    return value


def an_int(value: object, path: str, *, low: int | None = None, high: int | None = None) -> int:
    """An ``int`` (not a ``bool``) within ``[low, high]``."""
    if type(value) is not int:
        raise TypeMismatch(f"must be an int, got {kind(value)}", path=path, rule="type")
    if low is not None and value < low:
        raise ValidationError(f"must be at least {low}, got {value}", path=path, rule="range")
    if high is not None and value > high:
        raise ValidationError(f"must be at most {high}, got {value}", path=path, rule="range")
    return value


def a_decimal(value: object, path: str) -> Decimal:
    """A finite ``Decimal`` (ints are accepted and converted, floats refused)."""
    if type(value) is int:
        return Decimal(value)
    if not isinstance(value, Decimal):
        raise TypeMismatch(
            f"must be a Decimal or int, got {kind(value)}", path=path, rule="type"
        )
    if not value.is_finite():
        raise ValidationError(f"must be finite, got {value}", path=path, rule="finite")
    return value


def items(
    values: Iterable[object], path: str, check: Callable[[object, str], T]
) -> tuple[T, ...]:
    """Check every member of a tuple, naming each one's index in the path."""
    return tuple(check(v, f"{path}[{i}]") for i, v in enumerate(values))


def members(value: object, cls: type[T], path: str) -> tuple[T, ...]:
    """A tuple whose members are all instances of ``cls``."""
    if not isinstance(value, tuple):
        raise TypeMismatch(f"must be a tuple, got {kind(value)}", path=path, rule="type")
    for i, v in enumerate(value):
        if not isinstance(v, cls):
            raise TypeMismatch(
                f"must be a {cls.__name__}, got {kind(v)}",
                path=f"{path}[{i}]", rule="type",
            )
    return value


def to_tuple(value: Iterable[T]) -> tuple[T, ...]:
    """Converter for collection fields: callers may pass a list, the value keeps a tuple.

    A ``str`` or ``bytes`` is refused, because iterating it by character is never meant.
    """
    if isinstance(value, tuple):
        return value
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
        raise TypeMismatch(
            f"expected a sequence, got {kind(value)}", rule="type"
        )
    return tuple(value)


def to_frozenset(value: Iterable[T]) -> frozenset[T]:
    """Converter for set fields: callers may pass any iterable but a ``str``."""
    if isinstance(value, frozenset):
        return value
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
        raise TypeMismatch(f"expected a collection, got {kind(value)}", rule="type")
    return frozenset(value)
