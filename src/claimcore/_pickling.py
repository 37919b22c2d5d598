"""A compact, trusted pickle reduction for claimcore's value classes: one per tree.

attrs' own pickling of a slotted class writes a dict of field names per value and sets
each field back through a Python loop, and pickle calls a reduction per value (a claim
holds about ninety). :func:`fast_pickle` gives a class a ``__reduce__`` that writes the
value's whole tree at once, as one flat tuple built by straight-line code generated per
class from its fields' static types (see "The fast path" below): nested values spliced in
place, leaves as their bare values, enum members as their values, dates as ordinals and
decimals as their exact strings, so pickle sees only tuples, lists, strings, ints and
``None``, which it writes in C. Unpickling makes one call, which rebuilds the tree by
setting each value's slots directly. A tree that does not fit its static types (a
caller's subclass inside) goes the generic way: tagged lists ``[key, field values...]``
(``key`` is the class's import path), rebuilt by per-class closures.

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
import itertools
import operator
import types
import typing
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
    fast = _FAST[cls] if cls in _FAST else _fast(cls)
    if fast is not None:
        key, flat = fast
        try:
            return (_restore_fast, (key, flat(self)))
        except _Unfit:
            pass
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


# --- The fast path: per-class straight-line code, generated from the fields' static types.
#
# A value's tree is written as one flat tuple of its fields' values, in field order, with
# every nested claimcore value of a fixed class spliced in place (its own fields, no tuple
# of its own), an optional one as ``None`` or its tuple, a tuple of values as a list of
# their encodings, an enum member as its value, and a leaf (one field that is never
# ``None``: codes, identifiers) as that bare value. The classes are not written: they
# follow from the static types, which both sides read from the same classes. A field whose
# type the generator does not know (``Any``, a class not ours) goes the generic way above.
# A value that does not fit its static types (a caller's subclass inside) makes the whole
# tree go the generic way: the check is ``type(x) is K`` per nested value, nothing else.


class _Unfit(Exception):
    """A value whose tree the fast path cannot write by its static types."""


def _unfit() -> Any:
    raise _Unfit


def _bad() -> Any:
    raise KeyError


_NONE: Final = type(None)
_ATOMS: Final = frozenset({str, int, bool, Decimal, date, datetime, time, timedelta, float,
                           bytes})
# A date travels as its ordinal and a Decimal as its exact str: pickle writes an int or a
# str in C, but a date or a Decimal through a reduction of its own, three to five times
# slower. Only a value of exactly that type is converted (anything else: the generic way).
_CONVERTED: Final[dict[Any, str]] = {date: "date", Decimal: "decimal"}
_CONVERTED_NAME: Final = {"date": "date", "decimal": "Decimal"}
_TO: Final = {"date": "{x}.toordinal()", "decimal": "str({x})"}
_FROM: Final = {"date": "fromordinal({a})", "decimal": "Decimal({a})"}
_NS: Final[dict[str, Any]] = {"new": object.__new__, "_unfit": _unfit, "_flat": _flat,
                              "_build": _build, "_bad": _bad, "date": date,
                              "Decimal": Decimal, "fromordinal": date.fromordinal}
_PLANS: Final[dict[type, _Plan]] = {}
_PLANNING: Final[set[type]] = set()
_NUMBERS: Final = itertools.count()
_FAST: Final[dict[type, tuple[str, Callable[[Any], Any]] | None]] = {}
_FAST_BUILDERS: Final[dict[str, Callable[[Any], Any]]] = {}

# A field's kind: ("plain", nullable), ("enum", plan-less enum class, nullable),
# ("nested", class, nullable), ("tuple", item kind), ("union", classes, nullable),
# ("generic",).
_Kind = tuple[Any, ...]


class _Plan:
    """How one class is written: its fields' kinds, and its generated functions' names."""

    def __init__(self, cls: type, number: int) -> None:
        self.cls = cls
        self.n = number
        self.fields: list[tuple[str, _Kind]] = []
        self.width = 0
        self.bare = False
        self.made = False


def _fits(cls: object) -> bool:
    return (isinstance(cls, type) and attrs.has(cls) and _ours(cls.__module__)
            and getattr(cls, "__reduce__", None) is _reduce)


def _kind(hint: Any) -> _Kind:
    if hint is date or hint is Decimal:
        return (_CONVERTED[hint], False)
    if hint in _ATOMS:
        return ("plain", False)
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Union or origin is types.UnionType:
        others = [a for a in args if a is not _NONE]
        nullable = len(others) < len(args)
        if len(others) == 1:
            inner = _kind(others[0])
            if inner[0] in ("plain", "date", "decimal", "enum", "nested"):
                return (*inner[:-1], inner[-1] or nullable)
            return ("generic",)
        if all(_fits(a) for a in others):
            return ("union", tuple(others), nullable)
        return ("generic",)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _kind(args[0])
        if item[0] in ("plain", "date", "decimal"):
            return ("plain", False)
        if item[0] in ("enum", "nested"):
            return ("tuple", item)
        return ("generic",)
    if isinstance(hint, type) and issubclass(hint, enum.Enum) and _ours(hint.__module__) \
            and None not in hint._value2member_map_:
        return ("enum", hint, False)
    if _fits(hint) and hint not in _PLANNING:
        return ("nested", hint, False)
    return ("generic",)


def _plan(cls: type) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is not None:
        return plan
    plan = _Plan(cls, next(_NUMBERS))
    _PLANNING.add(cls)
    try:
        try:
            hints = typing.get_type_hints(cls)
        except Exception:
            hints = {}
        for a in attrs.fields(cls):
            kind = _kind(hints.get(a.name, Any))
            plan.fields.append((a.name, kind))
            if kind[0] == "nested" and not kind[2]:
                inner = _plan(kind[1])
                plan.width += inner.width
            else:
                plan.width += 1
    finally:
        _PLANNING.discard(cls)
    plan.bare = plan.width == 1 and _never_none(plan)
    _PLANS[cls] = plan
    return plan


def _never_none(plan: _Plan) -> bool:
    (kind,) = [k for _, k in plan.fields if not (k[0] == "nested" and not k[2]
                                                 and _plan(k[1]).width == 0)]
    if kind[0] == "nested" and not kind[2]:
        return _never_none(_plan(kind[1]))
    return (kind[0] in ("plain", "date", "decimal", "enum") and not kind[-1]) \
        or kind[0] == "tuple"


def _name(prefix: str, plan: _Plan) -> str:
    """The function ``prefix`` of ``plan`` in the generated namespace, made on first use."""
    if not plan.made:
        plan.made = True
        _make(plan)
    return f"{prefix}{plan.n}"


def _enum_map(cls: type[enum.Enum], nullable: bool) -> str:
    name = f"E{_key(cls).replace('.', '_').replace(':', '__')}{'_n' if nullable else ''}"
    if name not in _NS:
        members: dict[Any, Any] = dict(cls._value2member_map_)
        if nullable:
            members[None] = None
        _NS[name] = members
    return name


class _Gen:
    """The lines of one generated function, with fresh local names."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.count = 0

    def var(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def add(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)


def _flat_fields(plan: _Plan, var: str, gen: _Gen, indent: int) -> list[str]:
    """Lines that check ``var``'s nested values; the expressions of its slots."""
    slots: list[str] = []
    for name, kind in plan.fields:
        expr = f"{var}.{name}"
        tag = kind[0]
        if tag == "plain":
            slots.append(expr)
        elif tag in _TO:
            x = gen.var("x")
            to = f"{_TO[tag].format(x=x)} if type({x}) is {_CONVERTED_NAME[tag]} else _unfit()"
            if kind[1]:
                slots.append(f"(None if ({x} := {expr}) is None else {to})")
            else:
                slots.append(f"({to.replace(f'type({x})', f'type({x} := {expr})', 1)})")
        elif tag == "enum":
            if kind[2]:
                x = gen.var("x")
                gen.add(indent, f"{x} = {expr}")
                slots.append(f"(None if {x} is None else {x}._value_)")
            else:
                slots.append(f"{expr}._value_")
        elif tag == "nested":
            inner = _plan(kind[1])
            x = gen.var("x")
            gen.add(indent, f"{x} = {expr}")
            cls_name = _class_name(inner)
            if not kind[2]:
                gen.add(indent, f"if type({x}) is not {cls_name}: _unfit()")
                slots.extend(_flat_fields(inner, x, gen, indent))
            else:
                s = gen.var("s")
                gen.add(indent, f"{s} = None")
                gen.add(indent, f"if {x} is not None:")
                gen.add(indent + 1, f"if type({x}) is not {cls_name}: _unfit()")
                inner_slots = _flat_fields(inner, x, gen, indent + 1)
                gen.add(indent + 1, f"{s} = {_encoding(inner, inner_slots)}")
                slots.append(s)
        elif tag == "tuple":
            x = gen.var("x")
            gen.add(indent, f"{x} = {expr}")
            slots.append(f"([{_item_flat(kind[1], 'y')} for y in {x}] if {x} else ())")
        elif tag == "union":
            x = gen.var("x")
            gen.add(indent, f"{x} = {expr}")
            choices = " else ".join(
                f"({i}, {_name('F', _plan(c))}({x})) if type({x}) is {_class_name(_plan(c))}"
                for i, c in enumerate(kind[1]))
            none = f"None if {x} is None else " if kind[2] else ""
            slots.append(f"({none}{choices} else _unfit())")
        else:
            slots.append(f"_flat({expr})")
    return slots


def _encoding(plan: _Plan, slots: list[str]) -> str:
    if plan.bare:
        return slots[0]
    return "(" + "".join(f"{s}, " for s in slots) + ")"


def _item_flat(kind: _Kind, y: str) -> str:
    if kind[0] == "enum":
        return f"None if {y} is None else {y}._value_" if kind[2] else f"{y}._value_"
    flat = f"{_name('F', _plan(kind[1]))}({y})"
    return f"None if {y} is None else {flat}" if kind[2] else flat


def _class_name(plan: _Plan) -> str:
    name = f"K{plan.n}"
    _NS[name] = plan.cls
    return name


def _build_fields(plan: _Plan, slots: list[str], gen: _Gen, indent: int) -> str:
    """Lines that build a ``plan.cls`` from the slot variables (consumed from the front)."""
    values: list[str] = []
    for _field, kind in plan.fields:
        tag = kind[0]
        if tag == "nested" and not kind[2]:
            values.append(_build_fields(_plan(kind[1]), slots, gen, indent))
            continue
        a = slots.pop(0)
        if tag == "plain":
            values.append(a)
        elif tag in _FROM:
            back = _FROM[tag].format(a=a)
            values.append(f"(None if {a} is None else {back})" if kind[1] else back)
        elif tag == "enum":
            values.append(f"{_enum_map(kind[1], kind[2])}[{a}]")
        elif tag == "nested":
            inner = _plan(kind[1])
            o = gen.var("o")
            gen.add(indent, f"if {a} is None: {o} = None")
            gen.add(indent, "else:")
            inner_slots = [gen.var("a") for _ in range(inner.width)]
            if inner.bare:
                gen.add(indent + 1, f"{inner_slots[0]} = {a}")
            elif inner_slots:
                gen.add(indent + 1, f"{', '.join(inner_slots)}, = {a}")
            else:
                gen.add(indent + 1, f"() = {a}")
            built = _build_fields(inner, inner_slots, gen, indent + 1)
            gen.add(indent + 1, f"{o} = {built}")
            values.append(o)
        elif tag == "tuple":
            item = kind[1]
            if item[0] == "enum":
                each = f"{_enum_map(item[1], item[2])}[y]"
            else:
                each = f"{_name('B', _plan(item[1]))}(y)"
                if item[2]:
                    each = f"None if y is None else {each}"
            values.append(f"(tuple([{each} for y in {a}]) if {a} else ())")
        elif tag == "union":
            build = "".join(f"{_name('B', _plan(c))}({a}[1]) if {a}[0] == {i} else "
                            for i, c in enumerate(kind[1])) + "_bad()"
            values.append(f"(None if {a} is None else {build})" if kind[2] else build)
        else:
            values.append(f"_build({a})")
    o = gen.var("o")
    gen.add(indent, f"{o} = new({_class_name(plan)})")
    for (name, _), value in zip(plan.fields, values, strict=True):
        setter = f"S{plan.n}_{name}"
        _NS[setter] = _setter(plan.cls, name)
        gen.add(indent, f"{setter}({o}, {value})")
    if hasattr(plan.cls, "_attrs_cached_hash"):
        _NS[f"H{plan.n}"] = _setter(plan.cls, "_attrs_cached_hash")
        gen.add(indent, f"H{plan.n}({o}, None)")
    return o


def _make(plan: _Plan) -> None:
    """Generate ``F<n>`` (a value to its encoding) and ``B<n>`` (back) for ``plan``."""
    flat = _Gen()
    flat.add(0, f"def F{plan.n}(v):")
    flat.add(1, f"if type(v) is not {_class_name(plan)}: _unfit()")
    slots = _flat_fields(plan, "v", flat, 1)
    flat.add(1, f"return {_encoding(plan, slots)}")
    build = _Gen()
    build.add(0, f"def B{plan.n}(e):")
    names = [build.var("a") for _ in range(plan.width)]
    if plan.bare:
        build.add(1, f"{names[0]} = e")
    elif names:
        build.add(1, f"{', '.join(names)}, = e")
    else:
        build.add(1, "() = e")
    built = _build_fields(plan, list(names), build, 1)
    build.add(1, f"return {built}")
    for gen in (flat, build):
        source = "\n".join(gen.lines) + "\n"
        exec(compile(source, f"<claimcore pickle {_key(plan.cls)}>", "exec"), _NS)  # noqa: S102


def _fast(cls: type) -> tuple[str, Callable[[Any], Any]] | None:
    """The key and the generated flattener of ``cls``; ``None`` for a caller's subclass."""
    found: tuple[str, Callable[[Any], Any]] | None = None
    if _fits(cls):
        found = (_key(cls), _NS[_name("F", _plan(cls))])
    _FAST[cls] = found
    return found


def _restore_fast(key: object, flat: object) -> Any:
    """The value that ``flat`` (from :func:`_reduce`) encodes: the one unpickling call."""
    build = _FAST_BUILDERS.get(key) if type(key) is str else None
    if build is None:
        cls = _resolve(key)
        if issubclass(cls, enum.Enum):
            raise _refused()
        build = _NS[_name("B", _plan(cls))]
        _FAST_BUILDERS[key] = build  # type: ignore[index]  # a str once resolved
    try:
        return build(flat)
    except ValidationError:
        raise
    except (TypeError, ValueError, KeyError, IndexError, AttributeError):
        raise ValidationError(
            f"a pickle of {key} does not have the fields of its class", rule="pickle"
        ) from None
