"""The :class:`Code` base class shared by every typed code, and its small helpers."""

from __future__ import annotations

from typing import ClassVar, NoReturn

import attrs

from claimcore._pickling import fast_pickle
from claimcore._validate import kind
from claimcore.errors import TypeMismatch, ValidationError

__all__ = ["Code"]

PATH = "$.code"
UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
DIGITS = frozenset("0123456789")
ALNUM = UPPER | DIGITS


def fail(message: str, rule: str) -> NoReturn:
    """Raise the :class:`ValidationError` for a malformed code (codes are not PHI)."""
    raise ValidationError(message, path=PATH, rule=rule)


def require_str(value: object, system: str) -> str:
    """``value`` itself when it is a ``str``; a :class:`TypeMismatch` otherwise."""
    if type(value) is not str:
        raise TypeMismatch(
            f"{system} code must be a str, got {kind(value)}", path=PATH, rule="type"
        )
    return value


@fast_pickle
@attrs.frozen(order=True, repr=False)
class Code:
    """A code from a published code system, kept in its canonical stored form.

    Every code type subclasses this with the single field ``code``; ``str(code)`` is the
    canonical display form, and the constructor accepts it back, so codes travel as bare
    strings (X12 elements, FHIR ``Coding.code``, JSON). Two codes are equal only when they
    are of the same type and hold the same code.
    """

    code: str

    system: ClassVar[str] = "code"
    """The code system's usual name (``"ICD-10-CM"``)."""

    def __attrs_post_init__(self) -> None:
        self._check(self.code)

    @classmethod
    def _check(cls, code: object) -> None:
        """Raise when ``code`` breaks the code system's format (each subclass says how)."""
        require_str(code, cls.system)
        if not code:
            fail(f"a {cls.system} code must not be empty", "empty")

    def __str__(self) -> str:
        return self.code

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"
