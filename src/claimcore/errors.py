"""Errors that claimcore raises on purpose.

Every error derives from :class:`ClaimcoreError`, so one ``except`` catches them all.
Each also derives from the builtin a Python programmer would expect: bad values are
``ValueError``, wrong types (a ``float`` given as money) are ``TypeError``.

Messages say what, where (a field path such as ``$.lines[2].charge``) and why. They
never contain protected health information: validators describe the rule broken and the
*kind* of value received, never the value itself when the field may hold PHI.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

__all__ = [
    "ClaimcoreError",
    "CodeSetError",
    "CurrencyMismatch",
    "DuplicateTransfer",
    "EditFailure",
    "InvalidTransition",
    "PostingError",
    "Problem",
    "TypeMismatch",
    "UnbalancedTransfer",
    "ValidationError",
]

ROOT: Final = "$"


class ClaimcoreError(Exception):
    """Every error that claimcore raises on purpose."""


Problem = tuple[str, str]
"""One problem found while validating: ``(path, message)``."""


class ValidationError(ClaimcoreError, ValueError):
    """A value breaks a rule.

    ``path`` names the field (``$`` for the value itself, ``$.lines[2].charge`` deep
    inside), ``rule`` a short stable identifier of the rule broken (``"whole-cents"``),
    and ``problems`` lists every problem found when several were collected at once (the
    converter does that), each as ``(path, message)``.
    """

    path: str
    rule: str
    problems: tuple[Problem, ...]

    def __init__(
        self,
        message: str,
        *,
        path: str = ROOT,
        rule: str = "invalid",
        problems: Iterable[Problem] = (),
    ) -> None:
        self.path = path
        self.rule = rule
        self.problems = tuple(problems) or ((path, message),)
        self.message = message
        super().__init__(message if path == ROOT else f"{path}: {message}")

    def at(self, prefix: str) -> ValidationError:
        """The same error with its paths placed under ``prefix`` (a field path)."""
        return type(self)._rebuilt(self, prefix)

    @classmethod
    def _rebuilt(cls, err: ValidationError, prefix: str) -> ValidationError:
        def join(path: str) -> str:
            return prefix + path[1:] if path.startswith(ROOT) else f"{prefix}.{path}"

        new = cls.__new__(cls)
        ValidationError.__init__(
            new,
            err.message,
            path=join(err.path),
            rule=err.rule,
            problems=[(join(p), m) for p, m in err.problems],
        )
        return new


class TypeMismatch(ValidationError, TypeError):
    """A value of the wrong type: a ``float`` where money belongs, a ``str`` for a date.

    It is a :class:`ValidationError` (so it carries a path) and a ``TypeError``.
    """


class CurrencyMismatch(ClaimcoreError, ValueError):
    """Arithmetic or comparison between amounts in different currencies."""


class InvalidTransition(ClaimcoreError):
    """A state machine was asked for a move that its table does not allow."""

    def __init__(
        self, *, subject: str, current: str, event: str, allowed: Iterable[str]
    ) -> None:
        self.subject = subject
        self.current = current
        self.event = event
        self.allowed = frozenset(allowed)
        article = "an" if subject[:1].lower() in "aeiou" else "a"
        super().__init__(
            f"cannot {event} {article} {subject} that is {current!r}; "
            f"allowed events: {sorted(self.allowed)}"
        )


class CodeSetError(ClaimcoreError, LookupError):
    """A code set cannot answer: no such code set, or a code missing where one is required."""


class EditFailure(ClaimcoreError):
    """A scrubbing edit could not run (its table is missing or broken), as opposed to a finding."""


class PostingError(ClaimcoreError, ValueError):
    """Money cannot be posted as asked: unknown claim, unbalanced remittance, wrong sign."""


class UnbalancedTransfer(PostingError):
    """A set of transfers whose debits and credits do not net to zero."""


class DuplicateTransfer(PostingError):
    """A transfer id used again with different content."""

    def __init__(self, transfer_id: str) -> None:
        self.transfer_id = transfer_id
        super().__init__(
            f"transfer id {transfer_id!r} was already posted with different content; "
            "a transfer is never edited: post a correcting transfer with a new id"
        )
