"""JSON-ready dicts and back: claimcore's wire format, in the cattrs preconf style.

:func:`make_converter` returns a converter that the caller owns;
:func:`configure_converter` teaches the same wire format to a converter the caller already
has. :func:`dumps` and :func:`loads` without a converter use a default built once (never
handed out): the msgspec :class:`Codec` of :func:`make_codec` when msgspec is installed,
whose bytes, values and errors are the converter's.

The wire format: ``Money`` as a decimal string (``"123.45"``; ``"10.00 EUR"`` outside USD),
``Rate`` and ``Decimal`` as strings, dates and datetimes as ISO 8601, enums by value,
identifiers and codes as bare strings, tuples and frozensets as lists. Structuring is
strict: unknown keys, floats for money, numbers given as text and text given as numbers
are refused, and every problem is reported at once with its path in a
:class:`~claimcore.errors.ValidationError`.

>>> from decimal import Decimal
>>> from claimcore.money import Money
>>> conv = make_converter()
>>> conv.unstructure(Money(Decimal("12.50")))
'12.50'
>>> conv.structure("12.50", Money)
Money('12.50')
>>> conv.structure(12.5, Money)
Traceback (most recent call last):
...
claimcore.errors.TypeMismatch: cannot structure Money: $: money must be a decimal string ...
"""

from __future__ import annotations

import functools
import json
import re
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum, IntEnum, StrEnum
from typing import Any, Final, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from claimcore._codec import Codec
from claimcore._compiled import Compiler
from claimcore._validate import aware_datetime, kind, to_tuple
from claimcore.errors import Problem, TypeMismatch, ValidationError
from claimcore.ids import Identifier, MaskedIdentifier
from claimcore.ledger import Ledger, Transfer
from claimcore.money import Money, Rate
from claimcore.periods import Period

__all__ = [
    "MAX_DEPTH",
    "SCHEMA",
    "SCHEMA_VERSION",
    "ClaimcoreConverter",
    "Codec",
    "configure_converter",
    "dumps",
    "from_document",
    "loads",
    "make_codec",
    "make_converter",
    "structure",
    "to_document",
]

T = TypeVar("T")

SCHEMA_VERSION: Final = 1
SCHEMA: Final = f"claimcore/{SCHEMA_VERSION}"

MAX_DEPTH: Final = 64
"""The deepest nesting of lists and objects a document may have. claimcore's own documents
stay far below it (a claim nests about ten levels); deeper input is refused before it is
structured, so hostile nesting is a ValidationError, never a RecursionError."""

_DECIMAL: Final = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,12})?")
_MONEY: Final = re.compile(r"(?P<amount>-?[0-9]{1,13}(?:\.[0-9]{1,2})?)(?: (?P<cur>[A-Z]{3}))?")
_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _refuse(what: str, value: object) -> TypeMismatch:
    if isinstance(value, float):
        return TypeMismatch(f"{what}, not a float", rule="no-float")
    return TypeMismatch(f"{what}, got {kind(value)}", rule="type")


# -- scalar hooks: strict, because cattrs' defaults coerce (str(5) == "5", int(2.9) == 2) --

def _structure_str(value: object, _: type) -> str:
    if type(value) is not str:
        raise _refuse("must be a string", value)
    return value


def _structure_int(value: object, _: type) -> int:
    if type(value) is not int:
        raise _refuse("must be an integer", value)
    return value


def _structure_bool(value: object, _: type) -> bool:
    if type(value) is not bool:
        raise _refuse("must be true or false", value)
    return value


def _structure_decimal(value: object, _: type) -> Decimal:
    if type(value) is int:
        return Decimal(value)
    if type(value) is not str or _DECIMAL.fullmatch(value) is None:
        if type(value) is str:
            raise ValidationError("must be a decimal number such as \"12.5\"", rule="format")
        raise _refuse("must be a decimal string such as \"12.5\"", value)
    return Decimal(value)


def _unstructure_money(value: Money) -> str:
    return str(value.amount) if value.currency == "USD" else f"{value.amount} {value.currency}"


def _structure_money(value: object, _: type) -> Money:
    if type(value) is int:
        return Money(value)
    if type(value) is not str:
        raise _refuse('money must be a decimal string such as "12.50"', value)
    m = _MONEY.fullmatch(value)
    if m is None:
        raise ValidationError(
            'money must be a decimal string with at most two places, such as "12.50"',
            rule="format",
        )
    return Money(Decimal(m["amount"]), m["cur"] or "USD")


def _structure_rate(value: object, _: type) -> Rate:
    return Rate(_structure_decimal(value, Decimal))


def _structure_date(value: object, _: type) -> date:
    if type(value) is not str:
        raise _refuse("must be an ISO 8601 date string (YYYY-MM-DD)", value)
    if _DATE.fullmatch(value) is None:
        raise ValidationError("must be an ISO 8601 date (YYYY-MM-DD)", rule="format")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError("is not a calendar date", rule="format") from None


def _structure_datetime(value: object, _: type) -> datetime:
    if type(value) is not str:
        raise _refuse("must be an ISO 8601 date-time string", value)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError("must be an ISO 8601 date-time", rule="format") from None
    return aware_datetime(parsed, "$")


def _is_subclass(base: type) -> Callable[[Any], bool]:
    def predicate(cls: Any) -> bool:
        return isinstance(cls, type) and issubclass(cls, base)

    return predicate


def _structure_identifier(value: object, cls: type[T]) -> T:
    if type(value) is not str:
        raise _refuse("an identifier must be a string", value)
    try:
        return cls(value)  # type: ignore[call-arg]
    except ValidationError as err:
        # On the wire an identifier or code is a bare string: its path is the field's own.
        raise type(err)(err.message, rule=err.rule) from None


_CACHE_LIMIT: Final = 8192


def _cached_structure(
    cache: dict[tuple[Any, str], Any],
    build: Callable[[object, Any], Any] = _structure_identifier,
) -> Callable[[object, Any], Any]:
    """Structure codes and non-PHI identifiers (or, with ``build``, unions of codes such as
    ``CPT | HCPCS``, or ``Money`` amounts) through a per-converter cache.

    They are immutable values checked once when first built, and a stream of claims
    repeats them (the same CPT codes, the same billing NPI), so a hit skips the format
    check. PHI identifiers (member ids, record numbers, SSNs) are never cached.
    """

    def structure(value: object, cls: Any) -> Any:
        if type(value) is str:
            hit = cache.get((cls, value))
            if hit is not None:
                return hit
            built = build(value, cls)
            if len(cache) >= _CACHE_LIMIT:
                cache.clear()
            cache[cls, value] = built
            return built
        return build(value, cls)

    return structure


def _unstructure_ledger(converter: cattrs.Converter, ledger: Ledger) -> dict[str, Any]:
    return {
        "currency": ledger.currency,
        "transfers": converter.unstructure(list(ledger.transfers()), list[Transfer]),
    }


def _structure_ledger(converter: cattrs.Converter, data: object) -> Ledger:
    if not isinstance(data, Mapping):
        raise _refuse("a ledger must be an object with its currency and transfers", data)
    extra = sorted(set(data) - {"currency", "transfers"})
    if extra:
        raise ValidationError(
            "unknown key", path=f"$.{extra[0]}", rule="structure",
            problems=[(f"$.{k}", "unknown key") for k in extra],
        )
    currency = converter.structure(data.get("currency", "USD"), str)
    transfers = converter.structure(data.get("transfers", []), tuple[Transfer, ...])
    return Ledger.from_transfers(transfers, currency)


def _derived(cls: Any) -> dict[str, str]:
    """A class's derived fields, checked on the way in: ``{given field: wire key}``.

    A derived field (``Claim.total_charge``) is computed, not passed (``init=False``); the
    value a caller may pass for it goes to a private field aliased by its name. The wire
    format writes the derived value under that name and reads it back into the alias, so
    a document keeps the value and loading checks it.
    """
    if not (isinstance(cls, type) and attrs.has(cls)):
        return {}
    fields = attrs.fields(cls)
    derived = {a.name for a in fields if not a.init}
    return {a.name: a.alias for a in fields
            if a.init and a.alias != a.name and a.alias in derived}


def _structure_derived(converter: cattrs.Converter) -> Callable[[Any], Any]:
    def factory(cls: Any) -> Any:
        renames: dict[str, Any] = {
            name: override(rename=key) for name, key in _derived(cls).items()
        }
        return make_dict_structure_fn(cls, converter, **renames)
    return factory


def _unstructure_derived(converter: cattrs.Converter) -> Callable[[Any], Any]:
    def factory(cls: Any) -> Any:
        omit: dict[str, Any] = {name: override(omit=True) for name in _derived(cls)}
        return make_dict_unstructure_fn(cls, converter, _cattrs_include_init_false=True,
                                        **omit)
    return factory


def _is_code_type(cls: Any) -> bool:
    try:
        from claimcore.codes import Code
    except ImportError:  # pragma: no cover - codes is part of the package
        return False
    return isinstance(cls, type) and issubclass(cls, Code)


def _union_args(cls: Any) -> tuple[Any, ...]:
    if isinstance(cls, types.UnionType) or typing.get_origin(cls) is typing.Union:
        return typing.get_args(cls)
    return ()


def _is_code_union(cls: Any) -> bool:
    args = [a for a in _union_args(cls) if a is not type(None)]
    return len(args) > 1 and all(_is_code_type(a) for a in args)


def _structure_code_union(value: object, cls: Any) -> Any:
    if value is None and type(None) in _union_args(cls):
        return None
    if type(value) is not str:
        raise _refuse("a code must be a string", value)
    errors: list[str] = []
    for option in _union_args(cls):
        if option is type(None):
            continue
        try:
            return option(value)
        except ValidationError as err:
            errors.append(f"not a {option.__name__} ({err.message})")
    raise ValidationError("; ".join(errors), rule="format")


def _structure_collection(
    converter: cattrs.Converter, value: object, cls: Any, make: Callable[[list[Any]], Any]
) -> Any:
    if not isinstance(value, (list, tuple)):
        raise _refuse("must be a list", value)
    args = typing.get_args(cls)
    if not args:
        return make(list(value))
    if (len(args) == 2 and args[1] is Ellipsis) or len(args) == 1:
        elements = [args[0]] * len(value)
    else:
        if len(args) != len(value):
            raise ValidationError(f"must be a list of {len(args)} items", rule="length")
        elements = list(args)
    out: list[Any] = []
    problems: list[Problem] = []
    for i, (item, elem) in enumerate(zip(value, elements, strict=True)):
        try:
            out.append(converter.structure(item, elem))
        except ValidationError as err:
            problems += [(_join(f"$[{i}]", p), m) for p, m in err.problems]
        except (BaseValidationError, KeyError, TypeError, ValueError, AttributeError) as err:
            problems += _problems(err, f"$[{i}]")
    if problems:
        raise ValidationError(problems[0][1], path=problems[0][0], problems=problems)
    return make(out)


def _collection_factory(
    converter: cattrs.Converter, make: Callable[[list[Any]], Any]
) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """A hook per collection type that finds its element hook once.

    The happy path calls the element hook directly; only when something is wrong does it
    go the slow way, element by element, to report every problem with its index.
    """

    def factory(cls: Any) -> Callable[[Any, Any], Any]:
        args = typing.get_args(cls)
        homogeneous = (len(args) == 2 and args[1] is Ellipsis) or len(args) == 1
        if not homogeneous:
            return lambda value, _: _structure_collection(converter, value, cls, make)
        elem = args[0]
        hook = converter.get_structure_hook(elem)
        empty = make([])

        def structure_collection(value: Any, _: Any) -> Any:
            if type(value) is list or type(value) is tuple:
                if not value:  # most of a claim's collections: no items to check
                    return empty
                try:
                    return make([hook(item, elem) for item in value])
                except Exception:  # done again below, item by item, to name every problem
                    return _structure_collection(converter, value, cls, make)
            return _structure_collection(converter, value, cls, make)

        return structure_collection

    return factory


def _is_optional(cls: Any) -> bool:
    args = _union_args(cls)
    return len(args) == 2 and type(None) in args


def _optional_factory(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """``X | None`` with the hook for ``X`` found once, not dispatched on every value."""

    def factory(cls: Any) -> Callable[[Any, Any], Any]:
        (inner,) = [a for a in typing.get_args(cls) if a is not type(None)]
        hook = converter.get_structure_hook(inner)

        def structure_optional(value: Any, _: Any) -> Any:
            return None if value is None else hook(value, inner)

        return structure_optional

    return factory


def _is_tuple(cls: Any) -> bool:
    return cls is tuple or typing.get_origin(cls) is tuple


def _is_frozenset(cls: Any) -> bool:
    return cls is frozenset or typing.get_origin(cls) is frozenset


def _sorted_list(value: frozenset[Any], converter: cattrs.Converter) -> list[Any]:
    items = [converter.unstructure(v) for v in value]
    return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, default=str))


def configure_converter(converter: cattrs.Converter) -> None:
    """Teach claimcore's wire format to ``converter`` (which the caller owns).

    Use it to add claimcore types to a converter that already knows your own types.
    Configure with ``forbid_extra_keys=True`` and ``detailed_validation=True`` to get
    claimcore's strictness; :func:`make_converter` does that for you.
    """
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_unstructure_hook(Money, _unstructure_money)
    # Amounts repeat across a stream of claims as codes do (the same fees, the same
    # copays), and a Money is an immutable value; an amount is not PHI. Kept apart from
    # the codes' cache so that many distinct amounts never push the codes out.
    converter.register_structure_hook(Money, _cached_structure({}, _structure_money))
    converter.register_unstructure_hook(Rate, lambda r: str(r.value))
    converter.register_structure_hook(Rate, _structure_rate)
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_structure_hook(date, _structure_date)
    converter.register_unstructure_hook(datetime, datetime.isoformat)
    converter.register_structure_hook(datetime, _structure_datetime)
    converter.register_unstructure_hook_func(
        _is_subclass(Identifier), lambda v: v.value
    )
    converter.register_unstructure_hook_func(
        _is_subclass(MaskedIdentifier), lambda v: v.unmasked
    )
    cache: dict[tuple[Any, str], Any] = {}
    cached = _cached_structure(cache)
    converter.register_structure_hook_func(_is_subclass(Identifier), cached)
    converter.register_structure_hook_func(
        _is_subclass(MaskedIdentifier), _structure_identifier
    )
    converter.register_unstructure_hook_func(_is_code_type, str)
    converter.register_structure_hook_func(_is_code_type, cached)
    converter.register_structure_hook_func(
        _is_code_union, _cached_structure(cache, _structure_code_union)
    )
    converter.register_structure_hook_factory(_is_optional, _optional_factory(converter))
    converter.register_structure_hook_factory(_is_tuple, _collection_factory(converter, tuple))
    converter.register_structure_hook_factory(
        _is_frozenset, _collection_factory(converter, frozenset)
    )
    converter.register_unstructure_hook_func(
        _is_frozenset,
        lambda v: _sorted_list(v, converter),
    )
    # A Ledger travels as its currency and its transfers in posting order; structuring
    # posts them again (so every posting rule is checked on the way in).
    converter.register_unstructure_hook(
        Ledger, lambda ledger: _unstructure_ledger(converter, ledger)
    )
    converter.register_structure_hook(Ledger, lambda data, _: _structure_ledger(converter, data))
    converter.register_structure_hook_factory(
        lambda cls: bool(_derived(cls)), _structure_derived(converter)
    )
    converter.register_unstructure_hook_factory(
        lambda cls: bool(_derived(cls)), _unstructure_derived(converter)
    )
    # StrEnum and IntEnum are also str and int, which cattrs passes through by class
    # dispatch: register them by class too, so the enum's own hooks win.
    for base in (StrEnum, IntEnum):
        converter.register_unstructure_hook(base, lambda v: v.value)
        converter.register_structure_hook(base, _structure_enum)
    converter.register_unstructure_hook_func(
        lambda cls: isinstance(cls, type) and issubclass(cls, Enum), lambda v: v.value
    )
    converter.register_structure_hook_func(
        lambda cls: isinstance(cls, type) and issubclass(cls, Enum), _structure_enum
    )


def _structure_enum(value: object, cls: type[Enum]) -> Enum:
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(repr(m.value) for m in cls)
        shown = repr(value) if isinstance(value, (str, int)) and len(str(value)) <= 20 else kind(
            value
        )
        raise ValidationError(
            f"must be one of {allowed}, got {shown}", rule="enum"
        ) from None


def _join(path: str, sub: str) -> str:
    return path + sub[1:] if sub.startswith("$") else f"{path}.{sub}"


def _problems(exc: BaseException, path: str) -> list[Problem]:
    if isinstance(exc, ForbiddenExtraKeysError):
        return [(f"{path}.{key}", "unknown key") for key in sorted(exc.extra_fields)]
    if isinstance(exc, ClassValidationError):
        found: list[Problem] = []
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            found += _problems(sub, f"{path}.{note.name}")
        for sub in without:
            found += _problems(sub, path)
        return found
    if isinstance(exc, IterableValidationError):
        found = []
        with_inotes, without = exc.group_exceptions()
        for sub, inote in with_inotes:
            found += _problems(sub, f"{path}[{inote.index}]")
        for sub in without:
            found += _problems(sub, path)
        return found
    if isinstance(exc, BaseValidationError):
        found = []
        for sub in exc.exceptions:
            found += _problems(sub, path)
        return found
    if isinstance(exc, ValidationError):
        return [(_join(path, p), m) for p, m in exc.problems]
    if isinstance(exc, KeyError):
        return [(path, "required key is missing")]
    if isinstance(exc, AttributeError):
        return [(path, "must be an object with named fields")]
    if isinstance(exc, (TypeError, ValueError, InvalidOperation)):
        return [(path, f"invalid value ({type(exc).__name__})")]
    raise exc  # pragma: no cover - anything else is a bug, not bad data


def _as_validation_error(exc: BaseException, cls: Any) -> ValidationError:
    problems = _problems(exc, "$") or [("$", "invalid value")]
    name = getattr(cls, "__name__", str(cls))
    head = "; ".join(f"{p}: {m}" for p, m in problems[:5])
    more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    is_type = all(
        isinstance(e, TypeMismatch) for e in _leaves(exc)
    )
    err_cls = TypeMismatch if is_type else ValidationError
    return err_cls(
        f"cannot structure {name}: {head}{more}", rule="structure",
        problems=problems,
    )


def _leaves(exc: BaseException) -> list[BaseException]:
    if isinstance(exc, BaseExceptionGroup):
        out: list[BaseException] = []
        for sub in exc.exceptions:
            out += _leaves(sub)
        return out
    return [exc]


def structure(converter: cattrs.Converter, data: Any, cls: type[T]) -> T:
    """``converter.structure(data, cls)``, with every failure as one claimcore ValidationError."""
    try:
        return converter.structure(data, cls)
    except RecursionError:
        raise _too_deep() from None
    except ValidationError as err:
        if err.rule in ("structure", "depth"):
            raise
        raise _as_validation_error(err, cls) from None
    except (BaseValidationError, KeyError, TypeError, ValueError, AttributeError) as err:
        raise _as_validation_error(err, cls) from None


class ClaimcoreConverter(cattrs.Converter):
    """A cattrs converter whose ``structure`` raises claimcore's ValidationError."""

    def structure(self, obj: Any, cl: Any) -> Any:
        try:
            return super().structure(obj, cl)
        except RecursionError:  # values built in Python, not decoded JSON, can nest so
            raise _too_deep() from None
        except ValidationError as err:
            if err.rule in ("structure", "depth"):
                raise
            raise _as_validation_error(err, cl) from None
        except (BaseValidationError, KeyError, TypeError, ValueError, AttributeError) as err:
            raise _as_validation_error(err, cl) from None


def make_converter() -> ClaimcoreConverter:
    """A new converter with claimcore's wire format; the caller owns it.

    Strict: unknown keys are refused and every problem is reported with its path.
    """
    converter = ClaimcoreConverter(
        forbid_extra_keys=True,
        detailed_validation=True,
        unstruct_collection_overrides={tuple: list},
    )
    configure_converter(converter)
    return converter


def to_document(converter: cattrs.Converter, value: Any) -> dict[str, Any]:
    """A versioned document: ``{"schema": "claimcore/1", "type": "Claim", "data": {...}}``."""
    return {
        "schema": SCHEMA,
        "type": type(value).__name__,
        "data": converter.unstructure(value),
    }


def _too_deep() -> ValidationError:
    return ValidationError(
        f"nested deeper than {MAX_DEPTH} levels of lists and objects", rule="depth"
    )


def _check_depth(value: Any, depth: int = 0) -> None:
    """Refuse ``value`` when lists and objects nest deeper than :data:`MAX_DEPTH`.

    Recursive, but never deeper than MAX_DEPTH itself; decoded JSON holds only dicts and
    lists as containers (anything else a caller passes is checked by the converter).
    """
    if depth >= MAX_DEPTH:
        raise _too_deep()
    for child in value.values() if type(value) is dict else value:
        if type(child) is dict or type(child) is list:
            _check_depth(child, depth + 1)


def from_document(converter: cattrs.Converter, document: Any, cls: type[T]) -> T:
    """The value in a document made by :func:`to_document`, checked for schema and type.

    A document nested deeper than :data:`MAX_DEPTH` is refused with a ``ValidationError``.
    """
    if type(document) is dict or type(document) is list:
        _check_depth(document)
    return _from_checked_document(converter, document, cls)


_ENVELOPE: Final = frozenset({"schema", "type", "data"})
_SCALARS: Final = frozenset({str, int, bool, Decimal, date, datetime, Money, Rate})


def _type_depth(cls: Any, visiting: frozenset[Any]) -> int | None:
    """How deep lists and objects can nest in a document of ``cls`` that structures; None
    when nothing bounds it (a recursive class, ``Any``, a type with its own hook)."""
    if cls in _SCALARS:
        return 0
    if isinstance(cls, type) and (issubclass(cls, (Enum, Identifier, MaskedIdentifier))
                                  or _is_code_type(cls)):
        return 0
    if _is_code_union(cls):
        return 0
    args = _union_args(cls)
    if args:
        depths = [0 if a is type(None) else _type_depth(a, visiting) for a in args]
        return None if None in depths else max(d for d in depths if d is not None)
    origin = typing.get_origin(cls)
    if origin is tuple or origin is frozenset or origin is dict:
        depths = [_type_depth(a, visiting) for a in typing.get_args(cls) if a is not Ellipsis]
        if not depths or None in depths:
            return None
        return 1 + max(d for d in depths if d is not None)
    if isinstance(cls, type) and attrs.has(cls) and cls not in visiting:
        try:
            hints = typing.get_type_hints(cls)
        except Exception:  # an annotation that does not resolve: no bound known
            return None
        inner = visiting | {cls}
        depths = [_type_depth(hints.get(a.name, Any), inner) for a in attrs.fields(cls)]
        if None in depths:
            return None
        return 1 + max((d for d in depths if d is not None), default=0)
    return None


@functools.cache
def _depth_is_bounded(cls: Any) -> bool:
    """Whether every document of ``cls`` that structures nests less than MAX_DEPTH.

    Then the depth walk over the document (a tenth of the codec's time on a claim) can
    be left out of the fast path: its structuring hooks refuse any list or object where
    the type has none, so a document nested deeper fails there and goes to the reference
    path, which refuses it for its depth as it always has.
    """
    depth = _type_depth(cls, frozenset())
    return depth is not None and depth < MAX_DEPTH - 1


def _fast_from_document(converter: cattrs.Converter, document: Any, cls: type[T]) -> T:
    # The codec's first try: from_document without the depth walk where the type bounds
    # the depth (a failure here is redone by the reference, which walks it).
    if not _depth_is_bounded(cls):  # type: ignore[arg-type]  # classes are hashable
        return from_document(converter, document, cls)
    return _from_checked_document(converter, document, cls)


def _from_checked_document(converter: cattrs.Converter, document: Any, cls: type[T]) -> T:
    if not isinstance(document, Mapping):
        raise TypeMismatch(f"a document must be an object, got {kind(document)}", rule="type")
    extra = sorted(set(document) - {"schema", "type", "data"})
    if extra:
        raise ValidationError(
            "unknown key", path=f"$.{extra[0]}", rule="structure",
            problems=[(f"$.{k}", "unknown key") for k in extra],
        )
    if document.get("schema") != SCHEMA:
        raise ValidationError(
            f"unsupported schema (this claimcore reads {SCHEMA!r})", path="$.schema",
            rule="schema",
        )
    if document.get("type") != cls.__name__:
        raise ValidationError(
            f"the document holds another type, not {cls.__name__}", path="$.type", rule="type"
        )
    try:
        return structure(converter, document["data"], cls)
    except ValidationError as err:
        raise err.at("$.data") from None


def _json_dumps(obj: Any) -> bytes:
    try:
        import orjson
    except ImportError:
        # UTF-8 as orjson and msgspec write it, so a document's bytes do not depend on
        # which extras are installed.
        return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()
    encoded: bytes = orjson.dumps(obj)  # typed whether or not orjson ships its stubs
    return encoded


def _json_loads(data: bytes | str) -> Any:
    try:
        import orjson
    except ImportError:
        return json.loads(data)
    try:
        return orjson.loads(data)
    except ValueError:
        # orjson refuses deep nesting with the same error as bad JSON; the json module
        # tells them apart (RecursionError), so the caller gets rule "depth" either way.
        return json.loads(data)


def _make_fast_converter() -> cattrs.Converter:
    # The same hooks as make_converter's, without cattrs' detailed validation (no
    # exception groups built per field): the codec's first try. A failure goes to the
    # reference converter, which names every problem.
    converter = cattrs.Converter(
        forbid_extra_keys=True,
        detailed_validation=False,
        unstruct_collection_overrides={tuple: list},
    )
    configure_converter(converter)
    converter.register_structure_hook(int, _structure_int64)
    converter.register_structure_hook(Decimal, _structure_decimal64)
    converter.register_unstructure_hook_factory(_is_homogeneous_tuple,
                                                _tuple_to_list_factory(converter))
    converter.register_structure_hook_factory(_is_value_class,
                                              _whole_document_factory(converter))
    return converter


# orjson, which the reference parses with when it is installed, reads an integer outside
# these as a float (which structuring refuses); msgspec reads it as an int. The fast path
# leaves such a number to the reference, which answers with whichever parser it has.
_INT_LOW: Final = -(2**63)
_INT_HIGH: Final = 2**64


def _structure_int64(value: object, cls: type) -> int:
    if type(value) is int and not _INT_LOW <= value < _INT_HIGH:
        raise ValidationError("wider than 64 bits: the reference path reads it", rule="range")
    return _structure_int(value, cls)


def _structure_decimal64(value: object, cls: type) -> Decimal:
    if type(value) is int and not _INT_LOW <= value < _INT_HIGH:
        raise ValidationError("wider than 64 bits: the reference path reads it", rule="range")
    return _structure_decimal(value, cls)


def _is_cacheable(cls: Any) -> bool:
    # What the converter's own caches hold (codes, unions of codes, non-PHI identifiers,
    # amounts) and plain decimals (units, rates): never a PHI identifier.
    if _is_code_union(cls):
        return True
    return isinstance(cls, type) and (
        _is_code_type(cls) or cls is Money or cls is Decimal
        or (issubclass(cls, Identifier) and not issubclass(cls, MaskedIdentifier)))


def _to_tuple_only(value: Any) -> Any:  # the shape of claimcore's collection converters
    return to_tuple(value)


def _keeps_tuples(converter: Any) -> bool:
    """Whether ``converter`` returns a tuple as it is: ``to_tuple`` itself, or a function
    whose whole body is ``return to_tuple(value)`` with claimcore's ``to_tuple`` (the
    bytecode and the name it calls are compared, so nothing else can pass)."""
    if converter is to_tuple:
        return True
    code = getattr(converter, "__code__", None)
    template = _to_tuple_only.__code__
    return (code is not None and code.co_code == template.co_code
            and code.co_names == template.co_names and code.co_argcount == 1
            and getattr(converter, "__globals__", {}).get("to_tuple") is to_tuple)


def _inline_unstructure(cls: Any) -> str | None:
    """The unstructure hook of ``cls`` as an expression of the value ``$``, where it is an
    attribute read (the compiled functions inline it); None to call the hook."""
    from claimcore.codes import Code

    options = list(_union_args(cls)) or [cls]  # a union with None: the hook
    if all(isinstance(a, type) and issubclass(a, Code) and a.__str__ is Code.__str__
           for a in options):
        return "$.code"
    if isinstance(cls, type):
        if issubclass(cls, Identifier):
            return "$.value"
        if cls is Money:
            return "str($.amount) if $.currency == 'USD' else f'{$.amount} {$.currency}'"
    return None


def _is_value_class(cls: Any) -> bool:
    # The attrs classes structured from an object of named fields: not the ones written
    # as bare strings (identifiers, codes, Money, Rate), which keep their own hooks.
    return (isinstance(cls, type) and attrs.has(cls) and not getattr(cls, "__parameters__", ())
            and not issubclass(cls, (Identifier, MaskedIdentifier, Money, Rate))
            and not _is_code_type(cls))


def _whole_document_factory(
    converter: cattrs.Converter,
) -> Callable[[Any], Callable[[Any, Any], Any]]:
    """A structure hook per class for objects that give exactly the class's fields, as
    claimcore's own documents do (the writer omits nothing).

    cattrs' hook that refuses unknown keys builds a set of the object's keys on every
    value; this one compares the keys with the fields' in one step and then runs cattrs'
    hook built without that check. Anything else (a missing key, an unknown one, not an
    object) goes to cattrs' checking hook, which accepts or refuses exactly as before.
    """

    def factory(cls: Any) -> Callable[[Any, Any], Any]:
        keys = _derived(cls)
        renames: dict[str, Any] = {name: override(rename=key) for name, key in keys.items()}
        checking = make_dict_structure_fn(cls, converter, **renames)
        fields = [a for a in attrs.fields(cls) if a.init]
        wire = frozenset(keys.get(a.name, a.name) for a in fields)
        if len(wire) != len(fields):  # pragma: no cover - never in claimcore
            return checking
        known_keys = make_dict_structure_fn(
            cls, converter, _cattrs_forbid_extra_keys=False, **renames)

        def structure(o: Any, cl: Any) -> Any:
            if type(o) is dict and o.keys() == wire:
                return known_keys(o, cl)
            return checking(o, cl)

        return structure

    return factory


def _tuple_to_list_factory(converter: cattrs.Converter) -> Callable[[Any], Callable[[Any], Any]]:
    """Tuples written as lists with a list comprehension (cattrs builds its list from a
    generator, a fifth of the codec's unstructuring): the same lists, so the same bytes.

    Only for the codec's own converter, whose tuples are lists on the wire as the
    reference's are; a caller's converter keeps its own collection choices.
    """

    def factory(cls: Any) -> Callable[[Any], Any]:
        hook = converter.get_unstructure_hook(typing.get_args(cls)[0])
        return lambda value: [hook(v) for v in value]

    return factory


def _is_homogeneous_tuple(cls: Any) -> bool:
    args = typing.get_args(cls)
    return typing.get_origin(cls) is tuple and len(args) == 2 and args[1] is Ellipsis


def make_codec() -> Codec:
    """A new msgspec codec with claimcore's wire format; needs msgspec (the ``fast`` extra).

    ``codec.dumps(value)`` and ``codec.loads(data, cls)`` give the same bytes, values and
    errors as :func:`dumps` and :func:`loads` with a converter from :func:`make_converter`
    (which the codec keeps as its reference and fallback), faster. Raises ``ImportError``
    when msgspec is not installed.
    """
    try:
        import msgspec  # noqa: F401
    except ImportError:
        raise ImportError("make_codec needs msgspec: pip install claimcore[fast]") from None
    return _make_codec()


def _make_codec(encode: Callable[[Any], bytes] | None = None,
                decode: Callable[[bytes | str], Any] | None = None) -> Codec:
    # msgspec's JSON functions unless others are given (the default without msgspec
    # passes the reference's own, so its bytes are the reference's by construction).
    fast = _make_fast_converter()
    reference = make_converter()
    compiler = _make_compiler(fast)

    def compiled_to_document(value: Any) -> dict[str, Any]:
        unstructure = compiler.unstructurer(type(value))
        if unstructure is None:
            return to_document(fast, value)
        return {"schema": SCHEMA, "type": type(value).__name__, "data": unstructure(value)}

    def compiled_from_document(document: Any, cls: type[T]) -> T:
        # The envelope exactly as written, a type whose documents cannot nest past
        # MAX_DEPTH, and a compiled function: else the converter's fast path.
        if (document.keys() == _ENVELOPE and document["schema"] == SCHEMA
                and document["type"] == cls.__name__
                and _depth_is_bounded(cls)):  # type: ignore[arg-type]  # classes hash
            structure = compiler.structurer(cls)
            if structure is not None:
                try:
                    value: T = structure(document["data"])
                finally:
                    compiler.forget()
                return value
        return _fast_from_document(fast, document, cls)

    return Codec(
        to_document=compiled_to_document,
        from_document=compiled_from_document,
        reference_dumps=lambda value: _json_dumps(to_document(reference, value)),
        reference_loads=lambda data, cls: _loads_with(reference, data, cls),
        encode=encode,
        decode=decode,
    )


def _make_compiler(fast: cattrs.Converter) -> Compiler:
    """The codec's compiled functions, over its fast converter's hooks."""
    return Compiler(
        fast,
        compiles=lambda cls: _is_value_class(cls) and not issubclass(cls, Ledger),
        wire_keys=_derived,
        omitted=lambda cls: frozenset(_derived(cls)),
        cacheable=_is_cacheable,
        memoized=lambda cls: cls is Period,
        inline=_inline_unstructure,
        keeps_tuples=_keeps_tuples,
        date_format=_DATE,
    )


@functools.cache
def _default_codec() -> Codec:
    # Built once, like the default converter: msgspec's codec when it is installed, else
    # the same compiled functions over the reference's JSON functions.
    try:
        return make_codec()
    except ImportError:
        return _make_codec(encode=_json_dumps, decode=_json_loads)


def dumps(value: Any, *, converter: cattrs.Converter | None = None) -> bytes:
    """JSON bytes of a versioned document (orjson when installed, else the json module).

    Without ``converter``, a default codec built once (on first use) is used: the
    msgspec codec of :func:`make_codec` when msgspec is installed, else the same
    compiled functions over orjson or the json module. Either gives exactly what a
    converter from :func:`make_converter` gives, faster.
    """
    if converter is None:
        return _default_codec().dumps(value)
    return _json_dumps(to_document(converter, value))


def loads(data: bytes | str, cls: type[T], *, converter: cattrs.Converter | None = None) -> T:
    """The value of type ``cls`` in JSON made by :func:`dumps`.

    Without ``converter``, a default codec built once (on first use) is used: the
    msgspec codec of :func:`make_codec` when msgspec is installed, else the same
    compiled functions over orjson or the json module. Either gives exactly what a
    converter from :func:`make_converter` gives, faster.
    """
    if converter is None:
        return _default_codec().loads(data, cls)
    return _loads_with(converter, data, cls)


def _loads_with(converter: cattrs.Converter, data: bytes | str, cls: type[T]) -> T:
    try:
        document = _json_loads(data)
    except ValueError:  # _json_loads sends orjson's refusals to the json module
        raise ValidationError("not valid JSON", rule="json") from None
    except RecursionError:  # the json module's own limit, far past MAX_DEPTH
        raise _too_deep() from None
    return from_document(converter, document, cls)
