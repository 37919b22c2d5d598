"""A compact, trusted pickle reduction for claimcore's value classes: one per tree.

attrs' own pickling of a slotted class writes a dict of field names per value and sets
each field back through a Python loop, and pickle calls a reduction per value (a claim
holds about ninety). :func:`fast_pickle` gives a class a ``__reduce__`` that flattens the
value's whole tree at once: every claimcore value inside becomes a plain list ``[key,
field values...]`` (``key`` is the class's import path as a string, which pickle writes
once per pickle), enum members become ``[key, value]``, and pickle sees only lists,
tuples, strings, numbers, dates and decimals, which it writes in C. Unpickling makes one
call, which rebuilds the tree by setting each value's slots directly.

The trust this takes: a rebuilt value's checks are not run again. It was valid when it
was pickled and a value never changes, so the rebuilt value is the same valid value, as
long as the bytes are the ones pickled. Pickle only data you trust (pickle runs code by
design); the rebuild itself only ever makes claimcore's own classes and enum members.

Nothing here keeps a value: the caches hold one flattener and one builder per class,
never a field value, so PHI goes nowhere but into the pickle bytes the caller asked for.
"""

from __future__ import annotations

import copyreg
import enum
import importlib
import operator
import types
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Final, TypeVar

import attrs

from claimcore.errors import ValidationError

__all__ = ["fast_pickle"]

C = TypeVar("C", bound=type)

_Flat = Callable[[Any], Any]
# Pickle writes these itself, in C; they never hold a claimcore value.
_PLAIN: Final = frozenset({str, int, bool, type(None), Decimal, date, datetime, time,
                           timedelta, float, bytes})
# Tags of the containers that may hold claimcore values; a class key always has a ":".
_LIST: Final = "list"
_FROZENSET: Final = "frozenset"
_SET: Final = "set"
_DICT: Final = "dict"

_FLATTENERS: Final[dict[type, _Flat]] = {}
_BUILDERS: Final[dict[str, Callable[[list[Any]], Any]]] = {}


def fast_pickle(cls: C) -> C:
    """Give the attrs class ``cls`` (and its subclasses) claimcore's pickle reduction."""
    checked: type = cls  # attrs.has narrows its argument; the caller's type is kept
    if not attrs.has(checked):
        raise TypeError(f"fast_pickle needs an attrs class, got {cls.__qualname__}")
    setattr(cls, "__reduce__", _reduce)  # noqa: B010  (a dunder set on a class)
    return cls


def _key(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _ours(module: str) -> bool:
    return module == "claimcore" or module.startswith("claimcore.")


def _reduce(self: Any) -> tuple[object, ...]:
    cls = type(self)
    flatten = _FLATTENERS.get(cls)
    if flatten is None:
        flatten = _flattener(cls)
    if flatten is _same:
        # A caller's subclass of a claimcore class keeps attrs' own reduction: the
        # builder rebuilds claimcore's classes only.
        return (copyreg.__newobj__, (cls,), self.__getstate__())  # type: ignore[attr-defined]
    return (_restore, (flatten(self),))


def _same(value: Any) -> Any:
    return value


def _flat(value: Any) -> Any:
    """``value`` with every claimcore value inside it as a plain tagged list."""
    cls = type(value)
    if cls in _PLAIN:
        return value
    flatten = _FLATTENERS.get(cls)
    if flatten is None:
        flatten = _flattener(cls)
    return flatten(value)


def _flat_tuple(value: tuple[Any, ...]) -> tuple[Any, ...]:
    # The plain test inline: a Python call per string or None would cost more than it.
    return tuple([x if type(x) in _PLAIN else _flat(x) for x in value])


def _flattener(cls: type) -> _Flat:
    """How to flatten a value of ``cls``: built once per class, then looked up."""
    flatten: _Flat
    if cls is tuple:
        flatten = _flat_tuple
    elif cls is list:
        flatten = lambda v: [_LIST, *map(_flat, v)]  # noqa: E731
    elif cls is frozenset or cls is set:
        tag = _FROZENSET if cls is frozenset else _SET
        flatten = lambda v: [tag, *map(_flat, v)]  # noqa: E731
    elif cls is dict:
        flatten = lambda v: [_DICT, *map(_flat, v), *map(_flat, v.values())]  # noqa: E731
    elif issubclass(cls, enum.Enum) and _ours(cls.__module__):
        key = _key(cls)
        flatten = lambda v: [key, v._value_]  # noqa: E731
    elif (attrs.has(cls) and _ours(cls.__module__)
          and getattr(cls, "__reduce__", None) is _reduce):
        key = _key(cls)
        names = [a.name for a in attrs.fields(cls)]
        if len(names) == 1:
            (name,) = names
            get_one = operator.attrgetter(name)

            def flatten(v: Any) -> Any:
                x = get_one(v)
                return [key, x if type(x) in _PLAIN else _flat(x)]
        else:
            get = operator.attrgetter(*names)

            def flatten(v: Any) -> Any:
                return [key, *[x if type(x) in _PLAIN else _flat(x) for x in get(v)]]
    else:
        # Anything else (a caller's class, a subclass of ours) travels as itself and
        # pickles by its own reduction.
        flatten = _same
    _FLATTENERS[cls] = flatten
    return flatten


def _restore(tree: Any) -> Any:
    """The value that ``tree`` (from :func:`_reduce`) was made of: the one unpickling call."""
    return _build(tree)


def _build(flat: Any) -> Any:
    cls = type(flat)
    if cls is list:
        build = _BUILDERS.get(flat[0])
        if build is None:
            build = _builder(flat[0])
        return build(flat)
    if cls is tuple:
        return tuple([_build(x) if type(x) is list or type(x) is tuple else x for x in flat])
    return flat


def _build_items(flat: list[Any]) -> list[Any]:
    return [_build(item) for item in flat[1:]]


def _build_dict(flat: list[Any]) -> dict[Any, Any]:
    items = _build_items(flat)
    half = len(items) // 2
    return dict(zip(items[:half], items[half:], strict=True))


def _refused() -> ValidationError:
    return ValidationError("a pickle names a class that is not a claimcore value", rule="pickle")


def _resolve(key: object) -> type:
    if not isinstance(key, str):
        raise _refused()
    module, _, qualname = key.partition(":")
    if not _ours(module) or not qualname:
        raise _refused()
    target: Any = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part, None)
    if not isinstance(target, type):
        raise _refused()
    if issubclass(target, enum.Enum):
        return target
    if not (attrs.has(target) and getattr(target, "__reduce__", None) is _reduce):
        raise _refused()
    return target


def _builder(key: object) -> Callable[[list[Any]], Any]:
    build: Callable[[list[Any]], Any]
    if key == _LIST:
        build = _build_items
    elif key == _FROZENSET:
        build = lambda flat: frozenset(_build_items(flat))  # noqa: E731
    elif key == _SET:
        build = lambda flat: set(_build_items(flat))  # noqa: E731
    elif key == _DICT:
        build = _build_dict
    else:
        cls = _resolve(key)
        build = _enum_builder(cls) if issubclass(cls, enum.Enum) else _value_builder(cls)
    _BUILDERS[key] = build  # type: ignore[index]  # a str once resolved
    return build


def _enum_builder(cls: type[enum.Enum]) -> Callable[[list[Any]], Any]:
    members = dict(cls._value2member_map_)

    def build(flat: list[Any]) -> Any:
        try:
            return members[flat[1]]
        except (KeyError, TypeError, IndexError):
            raise ValidationError(
                f"a pickle names a member {cls.__name__} does not have", rule="pickle"
            ) from None

    return build


def _value_builder(cls: type) -> Callable[[list[Any]], Any]:
    new = object.__new__
    setters = [_setter(cls, a.name) for a in attrs.fields(cls)]
    hash_slot = _setter(cls, "_attrs_cached_hash") if hasattr(cls, "_attrs_cached_hash") \
        else None
    build: Callable[[list[Any]], Any]
    # The common shapes (codes and identifiers: one field; Money and Period: two) get a
    # straight-line builder; the rest set their slots in a loop.
    if len(setters) == 1 and hash_slot is None:
        (s0,) = setters

        def build(flat: list[Any]) -> Any:
            o: Any = new(cls)
            _, v0 = flat
            s0(o, _build(v0) if type(v0) is list or type(v0) is tuple else v0)
            return o
    elif len(setters) == 2 and hash_slot is None:
        s0, s1 = setters

        def build(flat: list[Any]) -> Any:
            o: Any = new(cls)
            _, v0, v1 = flat
            s0(o, _build(v0) if type(v0) is list or type(v0) is tuple else v0)
            s1(o, _build(v1) if type(v1) is list or type(v1) is tuple else v1)
            return o
    else:
        count = len(setters) + 1

        def build(flat: list[Any]) -> Any:
            if len(flat) != count:
                raise ValidationError(
                    f"a pickle of {cls.__name__} has the wrong number of fields", rule="pickle"
                )
            o: Any = new(cls)
            for put, x in zip(setters, flat[1:], strict=True):
                put(o, _build(x) if type(x) is list or type(x) is tuple else x)
            if hash_slot is not None:
                hash_slot(o, None)
            return o
    return build


def _setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """The slot's own setter, which a frozen class's ``__setattr__`` does not stand in."""
    slot = _slot(cls, name)
    if slot is not None:
        put: Callable[[Any, Any], None] = slot.__set__
        return put
    return lambda o, value: object.__setattr__(o, name, value)


def _slot(cls: type, name: str) -> types.MemberDescriptorType | None:
    for klass in cls.__mro__:
        found = klass.__dict__.get(name)
        if found is not None:
            return found if isinstance(found, types.MemberDescriptorType) else None
    return None
