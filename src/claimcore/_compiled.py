"""Compiled structure and unstructure functions for the codec's attrs value classes.

cattrs dispatches every field through its converter: a hook per value found at run time,
``X | None`` and tuples through generic hooks, each with its own Python frames. For a
claim that dispatch is most of the codec's time. This module writes, once per class, the
Python source of one function that structures an object of exactly the class's fields
(and one that unstructures a value), with each field's static type worked out when the
function is written: a ``str`` field is one type test, ``X | None`` one ``is None``
test, a tuple one list comprehension, a nested value class a direct call of its own
compiled function, an enum a lookup in its value table. Everything else (identifiers,
codes, ``Money``, dates, unions of codes, sets) goes to the converter's own hook for that
type, found once.

The compiled functions are a fast path, never a second reference: they build each value
with the class itself (so its converters and checks run exactly as under cattrs), and
hand anything they do not expect (a missing or unknown key, a value of another type, an
integer wider than 64 bits) to the converter's hook for the class or raise, so the codec
does the call again the reference way and the caller sees the reference's value, bytes
or error. tests/properties/test_codec.py holds the equality for every public type.

Generated source holds only names of classes, fields and keys, never a field value; the
namespaces hold classes, hooks and enum tables.
"""

from __future__ import annotations

import enum
import itertools
import linecache
import re
import types
import typing
from collections.abc import Callable
from datetime import date
from typing import Any, Final

import attrs

__all__ = ["Compiler"]

# Integers the fast path reads itself; the rest go to the reference (see serialization).
_INT_LOW: Final = -(2**63)
_INT_HIGH: Final = 2**64

_Structure = Callable[[Any], Any]
_Unstructure = Callable[[Any], Any]


class _Miss(Exception):
    """The compiled function cannot read this value; the codec falls back."""


def _miss() -> Any:
    raise _Miss


_CACHE_LIMIT: Final = 8192


def _fill(cache: dict[str, Any], hook: Callable[[Any, Any], Any], value: Any, tp: Any) -> Any:
    """The hook's value for ``value``, kept in ``cache`` when ``value`` is a string."""
    built = hook(value, tp)
    if type(value) is str:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[value] = built
    return built


def _optional_inner(tp: Any) -> Any:
    """``X`` for ``X | None`` (``X | Y`` for ``X | Y | None``), else None."""
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = typing.get_args(tp)
        if type(None) in args:
            others = tuple(a for a in args if a is not type(None))
            return others[0] if len(others) == 1 else typing.Union[others]  # noqa: UP007
    return None


def _tuple_element(tp: Any) -> Any:
    """``X`` for ``tuple[X, ...]``, else None."""
    if typing.get_origin(tp) is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return args[0]
    return None


class Compiler:
    """Compiles, once per class, the codec's structure and unstructure functions.

    ``converter`` is the codec's fast converter (its hooks serve the leaf types and the
    objects the compiled functions leave to it); ``compiles(cls)`` says which classes get
    a compiled function (the value classes written as objects); ``wire_keys(cls)`` maps a
    field to its wire key where they differ (derived fields); ``omitted(cls)`` names the
    fields left out of the written object.
    """

    __slots__ = ("_cacheable", "_compiles", "_converter", "_counter", "_inline",
                 "_keeps_tuples", "_memo", "_memoized", "_namespace", "_omitted",
                 "_structurers", "_unstructurers", "_wire_keys")

    def __init__(
        self,
        converter: Any,
        *,
        compiles: Callable[[Any], bool],
        wire_keys: Callable[[Any], dict[str, str]],
        omitted: Callable[[Any], frozenset[str]],
        cacheable: Callable[[Any], bool],
        memoized: Callable[[Any], bool],
        inline: Callable[[Any], str | None],
        keeps_tuples: Callable[[Any], bool],
        date_format: re.Pattern[str],
    ) -> None:
        self._converter = converter
        self._cacheable = cacheable
        self._memoized = memoized
        self._inline = inline
        self._keeps_tuples = keeps_tuples
        self._memo: list[dict[Any, Any]] = []
        self._compiles = compiles
        self._wire_keys = wire_keys
        self._omitted = omitted
        self._structurers: dict[Any, _Structure | None] = {}
        self._unstructurers: dict[Any, _Unstructure | None] = {}
        self._namespace: dict[str, Any] = {
            "_miss": _miss, "_LOW": _INT_LOW, "_HIGH": _INT_HIGH, "_fill": _fill,
            "_date_format": date_format.fullmatch, "_fromisoformat": date.fromisoformat,
        }
        self._counter = itertools.count()

    # -- public -----------------------------------------------------------------

    def structurer(self, cls: Any) -> _Structure | None:
        """The compiled structure function of ``cls``, or None when it has none."""
        try:
            return self._structurers[cls]
        except KeyError:
            pass
        except TypeError:  # an unhashable type form
            return None
        try:
            return self._compile_structure(cls)
        except Exception:  # a field type the compiler cannot write: cattrs' own hook
            self._structurers[cls] = None
            return None

    def unstructurer(self, cls: Any) -> _Unstructure | None:
        """The compiled unstructure function of ``cls``, or None when it has none."""
        try:
            return self._unstructurers[cls]
        except KeyError:
            pass
        except TypeError:
            return None
        try:
            return self._compile_unstructure(cls)
        except Exception:  # as above
            self._unstructurers[cls] = None
            return None

    def forget(self) -> None:
        """Drop the values memoized while reading one document (see ``memoized``)."""
        for memo in self._memo:
            memo.clear()

    # -- shared -----------------------------------------------------------------

    def _bind(self, prefix: str, value: object) -> str:
        name = f"{prefix}{next(self._counter)}"
        self._namespace[name] = value
        return name

    def _hints(self, cls: Any) -> dict[str, Any] | None:
        if any("__orig_bases__" in k.__dict__ for k in cls.__mro__):
            # A generic class or a subclass of one: cattrs resolves its type variables
            # from the bases, get_type_hints does not. Its own hook is the one to use.
            return None
        try:
            return typing.get_type_hints(cls)
        except Exception:  # an annotation that does not resolve: cattrs' own hook
            return None

    def _define(self, name: str, source: str) -> Callable[[Any], Any]:
        code = compile(source, f"<claimcore compiled {name}>", "exec")
        exec(code, self._namespace)  # noqa: S102 - source written here from field names
        made: Callable[[Any], Any] = self._namespace[name]
        return made

    # -- structure --------------------------------------------------------------

    def _compile_structure(self, cls: Any) -> _Structure | None:
        if not (isinstance(cls, type) and attrs.has(cls) and self._compiles(cls)):
            self._structurers[cls] = None
            return None
        hints = self._hints(cls)
        if hints is None:
            self._structurers[cls] = None
            return None
        name = f"structure_{cls.__name__}_{next(self._counter)}"
        # Bound before the body is written, so a class that holds itself calls itself.
        self._structurers[cls] = lambda o: self._namespace[name](o)
        keys = self._wire_keys(cls)
        fields = [a for a in attrs.fields(cls) if a.init]
        wire = [keys.get(a.name, a.name) for a in fields]
        klass = self._bind("C", cls)
        whole = self._bind("W", frozenset(wire))
        fallback = self._bind("F", self._converter.get_structure_hook(cls))
        lines = [f"def {name}(o):",
                 f"    if type(o) is not dict or o.keys() != {whole}:",
                 f"        return {fallback}(o, {klass})"]
        args = []
        for i, (a, key) in enumerate(zip(fields, wire, strict=True)):
            var = f"v{i}"
            lines.append(f"    {var} = o[{key!r}]")
            args.append(f"{a.alias}={self._structure_expr(hints.get(a.name, Any), var, 0)}")
        build = self._init_steps(cls, fields, args, klass, hints)
        if self._memoized(cls) and fields:
            # A document repeats such a value (every line's service period): built once
            # per document, from the same wire values, and forgotten when it is read.
            memo: dict[Any, Any] = {}
            self._memo.append(memo)
            table = self._bind("M", memo)
            key = ", ".join(f"v{i}" for i in range(len(fields)))
            lines += [f"    k = ({key},)",
                      f"    hit = {table}.get(k)",
                      "    if hit is not None:",
                      "        return hit",
                      *build,
                      f"    {table}[k] = made",
                      "    return made"]
        else:
            lines += [*build, "    return made"]
        made = self._define(name, "\n".join(lines) + "\n")
        self._structurers[cls] = made
        return made

    def _init_steps(self, cls: Any, fields: list[Any], args: list[str], klass: str,
                    hints: dict[str, Any]) -> list[str]:
        """Lines that leave ``made`` built from ``args`` (``alias=expression``).

        Where the class's ``__init__`` is attrs' own and does nothing but convert, set each
        field's slot and call ``__attrs_post_init__`` (its generated source is read to make
        sure), the lines do just that, without the call of ``__init__`` and its keyword
        parsing; the checks run as they would. Any other class (validators,
        ``__attrs_pre_init__``, fields it does not take, a hash cache, an ``__init__`` of
        its own, a future attrs that writes it otherwise) is called.
        """
        setters = self._slot_setters(cls, fields)
        if setters is None:
            return [f"    made = {klass}({', '.join(args)})"]
        new = self._bind("N", object.__new__)
        steps = [f"    made = {new}({klass})"]
        for a, arg, setter in zip(fields, args, setters, strict=True):
            value = arg.split("=", 1)[1]
            # A tuple field's expression gives a tuple; a converter that returns every
            # tuple as it is has nothing to do.
            if a.converter is not None and not (
                    _tuple_element(hints.get(a.name, Any)) is not None
                    and self._keeps_tuples(a.converter)):
                value = f"{self._bind('V', a.converter)}({value})"
            steps.append(f"    {self._bind('P', setter)}(made, {value})")
        if hasattr(cls, "__attrs_post_init__"):
            steps.append("    made.__attrs_post_init__()")
        return steps

    @staticmethod
    def _slot_setters(cls: Any, fields: list[Any]) -> list[Any] | None:
        """Each field's slot setter, when attrs' ``__init__`` of ``cls`` is exactly: per
        field in order ``_setattr(name, value)`` or ``_setattr(name, converter(value))``
        through ``object.__setattr__``, then ``self.__attrs_post_init__()`` if any."""
        init = getattr(cls.__init__, "__code__", None)
        if init is None or not init.co_filename.startswith("<attrs generated"):
            return None
        source = linecache.getlines(init.co_filename)
        try:
            start = next(i for i, text in enumerate(source) if text.startswith("def __init__"))
        except StopIteration:
            return None
        body = []
        for text in source[start + 1:]:
            if not text.startswith(" "):
                break
            body.append(text.strip())
        expected = ["_setattr = _cached_setattr_get(self)"]
        for a in fields:
            if a.converter is None:
                expected.append(f"_setattr({a.name!r}, {a.alias})")
            elif isinstance(a.converter, types.FunctionType):
                expected.append(f"_setattr({a.name!r}, __attr_converter_{a.name}({a.alias}))")
            else:
                return None
        if hasattr(cls, "__attrs_post_init__"):
            expected.append("self.__attrs_post_init__()")
        if body != expected or len(fields) != len(attrs.fields(cls)):
            return None
        setters = []
        for a in fields:
            slot = next((k.__dict__[a.name] for k in cls.__mro__ if a.name in k.__dict__), None)
            if not isinstance(slot, types.MemberDescriptorType):
                return None
            setters.append(slot.__set__)
        return setters

    def _structure_expr(self, tp: Any, var: str, depth: int) -> str:
        """An expression that structures the local ``var`` as ``tp``."""
        if tp is str:
            return f"({var} if type({var}) is str else _miss())"
        if tp is bool:
            return f"({var} if type({var}) is bool else _miss())"
        if tp is int:
            return f"({var} if type({var}) is int and _LOW <= {var} < _HIGH else _miss())"
        if tp is date:  # the date hook's checks, inline; a bad day raises and falls back
            return (f"(_fromisoformat({var}) if type({var}) is str "
                    f"and _date_format({var}) is not None else _miss())")
        inner = _optional_inner(tp)
        if inner is not None:
            return f"(None if {var} is None else {self._structure_expr(inner, var, depth)})"
        element = _tuple_element(tp)
        if element is not None:
            item = f"e{depth}"
            each = self._structure_expr(element, item, depth + 1)
            return (f"((tuple([{each} for {item} in {var}]) if {var} else ()) "
                    f"if type({var}) is list else _miss())")
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            members = {m.value: m for m in tp}
            kinds = {type(v) for v in members}
            if len(kinds) == 1:
                table = self._bind("E", members)
                kind = self._bind("K", kinds.pop())
                return f"({table}[{var}] if type({var}) is {kind} else _miss())"
        if isinstance(tp, type) and attrs.has(tp) and self._compiles(tp):
            nested = self.structurer(tp)  # a class being written gives its forwarder
            if nested is not None:
                return f"{self._bind('S', nested)}({var})"
        hook = self._bind("H", self._converter.get_structure_hook(tp))
        target = self._bind("T", tp)
        if self._cacheable(tp):
            # Codes, non-PHI identifiers and amounts repeat: a hit is one dict lookup.
            cache = self._bind("D", {})
            hit = self._bind("h", None)
            return (f"({hit} if ({hit} := {cache}.get({var})) is not None "
                    f"else _fill({cache}, {hook}, {var}, {target}))")
        return f"{hook}({var}, {target})"

    # -- unstructure ------------------------------------------------------------

    def _compile_unstructure(self, cls: Any) -> _Unstructure | None:
        if not (isinstance(cls, type) and attrs.has(cls) and self._compiles(cls)):
            self._unstructurers[cls] = None
            return None
        hints = self._hints(cls)
        if hints is None:
            self._unstructurers[cls] = None
            return None
        name = f"unstructure_{cls.__name__}_{next(self._counter)}"
        self._unstructurers[cls] = lambda v: self._namespace[name](v)
        omitted = self._omitted(cls)
        derived = bool(self._wire_keys(cls))
        # cattrs writes the init fields in field order; a class with derived fields
        # writes its init=False fields too, less the private ones they are read into.
        fields = [a for a in attrs.fields(cls)
                  if (a.init or derived) and a.name not in omitted]
        lines = [f"def {name}(v):"]
        items = []
        for i, a in enumerate(fields):
            var = f"f{i}"
            lines.append(f"    {var} = v.{a.name}")
            items.append(f"{a.name!r}: {self._unstructure_expr(hints.get(a.name, Any), var, 0)}")
        lines.append(f"    return {{{', '.join(items)}}}")
        made = self._define(name, "\n".join(lines) + "\n")
        self._unstructurers[cls] = made
        return made

    def _unstructure_expr(self, tp: Any, var: str, depth: int) -> str:
        if tp is str or tp is bool or tp is int:
            return var
        inner = _optional_inner(tp)
        if inner is not None:
            return f"(None if {var} is None else {self._unstructure_expr(inner, var, depth)})"
        element = _tuple_element(tp)
        if element is not None:
            item = f"e{depth}"
            return f"[{self._unstructure_expr(element, item, depth + 1)} for {item} in {var}]"
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return f"{var}._value_"  # what .value reads, without its descriptor's frame
        template = self._inline(tp)
        if template is not None:
            return f"({template.replace('$', var)})"
        if isinstance(tp, type) and attrs.has(tp) and self._compiles(tp):
            nested = self.unstructurer(tp)
            if nested is not None:
                return f"{self._bind('U', nested)}({var})"
        return f"{self._bind('G', self._converter.get_unstructure_hook(tp))}({var})"
