"""A compact, trusted pickle reduction for claimcore's value classes.

attrs' own pickling of a slotted class writes a dict of field names per value and sets
each field back through a Python loop; a claim holds about eighty values, so it took
hundreds of microseconds each way. :func:`fast_pickle` gives a class a ``__reduce__``
that writes the field values as one tuple, tagged with the class's import path as a
string, and rebuilds the value by setting its slots directly: the value was valid when
it was pickled and a value never changes, so its checks are not run again (pickle only
data you trust; pickle runs code by design).

Nothing here keeps a value: the caches hold one getter and one builder per class,
never a field value, so PHI goes nowhere but into the pickle bytes the caller asked for.
"""

from __future__ import annotations

import copyreg
import importlib
import operator
import types
from collections.abc import Callable
from typing import Any, Final, TypeVar

import attrs

from claimcore.errors import ValidationError

__all__ = ["fast_pickle"]

C = TypeVar("C", bound=type)

_Reducer = tuple[str | None, Callable[[Any], Any]]
_REDUCERS: Final[dict[type, _Reducer]] = {}
_BUILDERS: Final[dict[str, Callable[[Any], Any]]] = {}


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


def _reducer(cls: type) -> _Reducer:
    names = [a.name for a in attrs.fields(cls)]
    # One field travels bare (attrgetter of one name gives the value, not a 1-tuple).
    # A caller's subclass of a claimcore class keeps attrs' own reduction: the builder
    # rebuilds claimcore's classes only.
    entry: _Reducer = (_key(cls) if _ours(cls.__module__) else None,
                       operator.attrgetter(*names))
    _REDUCERS[cls] = entry
    return entry


def _reduce(self: Any) -> tuple[object, ...]:
    entry = _REDUCERS.get(type(self))
    if entry is None:
        entry = _reducer(type(self))
    if entry[0] is None:
        return (copyreg.__newobj__, (type(self),), self.__getstate__())  # type: ignore[attr-defined]
    return (_restore, (entry[0], entry[1](self)))


def _restore(key: str, values: Any) -> Any:
    build = _BUILDERS.get(key)
    if build is None:
        build = _builder(key)
    return build(values)


def _resolve(key: str) -> type:
    module, _, qualname = key.partition(":")
    refused = ValidationError(
        "a pickle names a class that is not a claimcore value", rule="pickle"
    )
    if not _ours(module):
        raise refused
    target: Any = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part, None)
    if not (isinstance(target, type) and attrs.has(target)
            and getattr(target, "__reduce__", None) is _reduce):
        raise refused
    return target


def _builder(key: str) -> Callable[[Any], Any]:
    cls = _resolve(key)
    new = object.__new__
    setters = [_setter(cls, a.name) for a in attrs.fields(cls)]
    if hasattr(cls, "_attrs_cached_hash"):  # attrs' hash cache starts empty
        hash_slot = _setter(cls, "_attrs_cached_hash")
    else:
        hash_slot = None
    build: Callable[[Any], Any]
    # The common shapes (codes and identifiers: one field; Money and Period: two) get a
    # straight-line builder; the rest set their slots in a loop.
    if len(setters) == 1 and hash_slot is None:
        (s0,) = setters

        def build(value: Any) -> Any:
            o: Any = new(cls)
            s0(o, value)
            return o
    elif len(setters) == 2 and hash_slot is None:
        s0, s1 = setters

        def build(values: Any) -> Any:
            o: Any = new(cls)
            v0, v1 = values
            s0(o, v0)
            s1(o, v1)
            return o
    else:
        one = len(setters) == 1

        def build(values: Any) -> Any:
            o: Any = new(cls)
            for put, value in zip(setters, (values,) if one else values, strict=True):
                put(o, value)
            if hash_slot is not None:
                hash_slot(o, None)
            return o
    _BUILDERS[key] = build
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
