"""The msgspec fast path behind ``serialization.dumps`` / ``loads`` (the ``fast`` extra).

msgspec parses and writes the JSON (in C, several times faster than the json module),
and a second converter with claimcore's hooks, built without cattrs' detailed
validation, structures and unstructures the values. The detailed converter stays the
reference: whenever the fast path cannot do a document (not JSON msgspec reads, a value
that does not structure, an integer wider than 64 bits on the way out), the reference
path does the whole call again, so a caller sees exactly the reference's value, bytes or
error (every problem with its path). Both converters are configured by the same
``configure_converter``, so they accept the same documents; the property test
tests/properties/test_codec.py holds it. The fast path also leaves out the depth walk for
types whose documents cannot nest past ``MAX_DEPTH`` (deeper input fails in their hooks
and the reference refuses it for its depth), see ``serialization._depth_is_bounded``.

Why not msgspec's own decoding into the attrs classes: msgspec treats every attrs class
as an object with named fields and never hands it to a ``dec_hook``. Identifiers, codes,
``Money`` and ``Rate`` are attrs classes written as bare strings, so msgspec would refuse
every claimcore document, and it would build an ``NPI`` from ``{"value": ...}`` without
its check digit (their checks live in ``__init__``, which msgspec does not call). Every
claim class holds one of them, so no claim type can be decoded by msgspec directly; see
docs/serialization.md.

This module imports nothing above it: :mod:`claimcore.serialization` passes in the two
halves of each path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["Codec"]

T = TypeVar("T")


class Codec:
    """JSON documents through msgspec (or the given ``encode`` / ``decode``) and the
    compiled functions, the reference as fallback.

    Made by :func:`claimcore.serialization.make_codec`; its ``dumps`` and ``loads`` give
    the bytes, values and errors of ``serialization.dumps`` / ``loads`` with the default
    converter, faster. Without msgspec, the default ``dumps`` / ``loads`` use one built
    on the reference's own JSON functions (orjson or the json module).
    """

    __slots__ = ("_decode", "_encode", "_from_document", "_ref_dumps", "_ref_loads",
                 "_to_document")

    def __init__(
        self,
        *,
        to_document: Callable[[Any], Any],
        from_document: Callable[[Any, type[Any]], Any],
        reference_dumps: Callable[[Any], bytes],
        reference_loads: Callable[[bytes | str, type[Any]], Any],
        encode: Callable[[Any], bytes] | None = None,
        decode: Callable[[bytes | str], Any] | None = None,
    ) -> None:
        if encode is None or decode is None:
            import msgspec

            encode = encode or msgspec.json.Encoder().encode
            decode = decode or msgspec.json.Decoder().decode
        self._encode = encode
        self._decode = decode
        self._to_document = to_document
        self._from_document = from_document
        self._ref_dumps = reference_dumps
        self._ref_loads = reference_loads

    def dumps(self, value: Any) -> bytes:
        """JSON bytes of the versioned document of ``value``, as ``serialization.dumps``."""
        try:
            document = self._to_document(value)
            encoded: bytes = self._encode(document)
        except Exception:  # the reference raises its own error, or writes what msgspec cannot
            return self._ref_dumps(value)
        return encoded

    def loads(self, data: bytes | str, cls: type[T]) -> T:
        """The value of type ``cls`` in ``data``, as ``serialization.loads``."""
        try:
            document = self._decode(data)
            if type(document) is dict:  # anything else is the reference's error to name
                value: T = self._from_document(document, cls)
                return value
        except Exception:  # noqa: S110 - the reference below gives the detailed error
            pass
        loaded: T = self._ref_loads(data, cls)
        return loaded
