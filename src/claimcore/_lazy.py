"""Lazy package faces (PEP 562): a face's names load from their submodules on first use.

A face (``claimcore.claims``, ``claimcore.x12``, ...) imports eagerly what its core
values need and hands the rest to :func:`lazy_face`, which gives the module its
``__getattr__`` and ``__dir__``. The same imports sit under ``if TYPE_CHECKING:`` in the
face, so type checkers and the docs see every name. A name read once is stored in the
face's namespace, so later reads never come back here, and it is the submodule's own
object. This module imports nothing of claimcore: every layer may use it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from typing import Any

__all__ = ["lazy_face"]


def lazy_face(
    package: str,
    namespace: MutableMapping[str, Any],
    names: Mapping[str, Iterable[str]],
    *,
    submodules: Iterable[str] = (),
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of the face ``package``.

    ``names`` maps each deferred submodule's import path to the names the face takes from
    it; ``submodules`` are public submodules that resolve as attributes
    (``claimcore.claims.edits``) without being imported by name; ``namespace`` is the
    face's ``globals()``. ``__dir__`` lists the namespace, the deferred names and the
    submodules.
    """
    where = {name: module for module, found in names.items() for name in found}
    public = frozenset(submodules)

    def __getattr__(name: str) -> Any:
        if name in public:
            return importlib.import_module(f"{package}.{name}")
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value  # looked up once: later uses never come back here
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *where, *public})

    return __getattr__, __dir__
