"""The error hierarchy: one root, builtin mixins, paths and PHI-free messages."""

from __future__ import annotations

import pytest

from claimcore.errors import (
    ClaimcoreError,
    CodeSetError,
    CurrencyMismatch,
    DuplicateTransfer,
    EditFailure,
    InvalidTransition,
    PostingError,
    TypeMismatch,
    UnbalancedTransfer,
    ValidationError,
)


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (ValidationError, ValueError),
        (TypeMismatch, TypeError),
        (TypeMismatch, ValueError),
        (CurrencyMismatch, ValueError),
        (CodeSetError, LookupError),
        (PostingError, ValueError),
        (UnbalancedTransfer, PostingError),
        (DuplicateTransfer, PostingError),
        (EditFailure, ClaimcoreError),
        (InvalidTransition, ClaimcoreError),
    ],
)
def test_every_error_is_a_claimcore_error_and_its_builtin(cls: type, builtin: type) -> None:
    """Callers can catch ClaimcoreError, or the builtin they expect."""
    assert issubclass(cls, ClaimcoreError)
    assert issubclass(cls, builtin)


def test_validation_error_carries_path_rule_and_problems() -> None:
    """A ValidationError names where and which rule, and re-roots under a parent path."""
    err = ValidationError("must be positive", path="$.charge", rule="positive")
    assert str(err) == "$.charge: must be positive"
    assert err.problems == (("$.charge", "must be positive"),)
    moved = err.at("$.lines[2]")
    assert moved.path == "$.lines[2].charge"
    assert moved.rule == "positive"
    assert moved.problems == (("$.lines[2].charge", "must be positive"),)
    assert isinstance(TypeMismatch("x", path="$.a").at("$.b"), TypeMismatch)
    assert str(ValidationError("bad")) == "bad"


def test_invalid_transition_names_state_event_and_allowed_events() -> None:
    """The message and attributes say what was asked and what is allowed."""
    err = InvalidTransition(
        subject="claim", current="draft", event="submit", allowed={"mark_ready", "void"}
    )
    assert err.current == "draft" and err.event == "submit"
    assert err.allowed == frozenset({"mark_ready", "void"})
    assert str(err) == (
        "cannot submit a claim that is 'draft'; allowed events: ['mark_ready', 'void']"
    )


def test_duplicate_transfer_message() -> None:
    """A reused transfer id says that transfers are never edited."""
    err = DuplicateTransfer("T-1")
    assert err.transfer_id == "T-1"
    assert "never edited" in str(err)
