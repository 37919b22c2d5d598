"""The plain identifiers' fast construction path: the same values and the same errors as
the full check (``_check``), which it skips only for a value that check accepts as is."""

from __future__ import annotations

import pickle
import re
from typing import ClassVar

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimcore.errors import ValidationError
from claimcore.ids import (
    NPI,
    ClaimId,
    EncounterId,
    Identifier,
    PayerClaimNumber,
    PayerId,
    TaxId,
    TransferId,
)

PLAIN = [Identifier, ClaimId, PayerClaimNumber, PayerId, EncounterId, TransferId]


def _outcome(make: object, value: object) -> object:
    try:
        made = make(value)  # type: ignore[operator]
    except ValidationError as err:
        return (type(err), err.message, err.path, err.rule)
    return made.value if isinstance(made, Identifier) else made


_TEXTS = st.one_of(
    st.text(st.characters(min_codepoint=0, max_codepoint=0x7F), max_size=60),
    st.text(max_size=60),
    st.sampled_from(["", " ", "A", " A", "A ", "A B", "C0000001", "x" * 38, "x" * 39,
                     "x" * 50, "x" * 51, "ENC-1", "é", "A\tB"]),
)


@pytest.mark.parametrize("cls", PLAIN)
@given(value=_TEXTS)
def test_fast_path_agrees_with_the_full_check(cls: type[Identifier], value: str) -> None:
    assert _outcome(cls, value) == _outcome(cls._check, value)


@pytest.mark.parametrize("cls", PLAIN)
@pytest.mark.parametrize("value", [None, 12, b"A1", ["A1"]])
def test_non_strings_are_refused_as_before(cls: type[Identifier], value: object) -> None:
    assert _outcome(cls, value) == _outcome(cls._check, value)


def test_a_str_subclass_takes_the_full_check() -> None:
    class Loud(str):
        pass

    assert _outcome(ClaimId, Loud("A1")) == _outcome(ClaimId._check, Loud("A1"))


def test_classes_with_their_own_check_never_take_the_fast_path() -> None:
    assert NPI._accepts is None and TaxId._accepts is None
    assert TaxId("12-3456789").value == "123456789"  # normalised by its own _check
    with pytest.raises(ValidationError) as caught:
        NPI("1234567890")
    assert caught.value.rule == "npi-check-digit"

    @attrs.frozen(init=False, repr=False)
    class Upper(Identifier):
        _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[A-Z]{1,5}")

        @classmethod
        def _check(cls, value: object) -> str:
            checked = super()._check(value)
            if checked == "NO":
                raise ValidationError("is refused", path="$.value", rule="no")
            return checked

    @attrs.frozen(init=False, repr=False)
    class Plain(Identifier):
        _pattern: ClassVar[re.Pattern[str]] = re.compile(r"[a-z]{1,5}")
        _max_len: ClassVar[int | None] = 3

    assert Upper._accepts is None
    with pytest.raises(ValidationError):
        Upper("NO")
    assert Plain._accepts is not None and Plain("abc").value == "abc"
    with pytest.raises(ValidationError) as long:
        Plain("abcd")
    assert long.value.rule == "length"


@pytest.mark.parametrize("cls", [ClaimId, PayerClaimNumber])
def test_values_from_the_fast_path_behave_as_before(cls: type[Identifier]) -> None:
    made = cls("PCN 0001")
    assert repr(made) == f"{cls.__name__}('PCN 0001')" and str(made) == "PCN 0001"
    assert made == cls("PCN 0001") and hash(made) == hash(cls("PCN 0001"))
    assert pickle.loads(pickle.dumps(made)) == made  # noqa: S301 - our own bytes
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.value = "X"  # type: ignore[misc]
