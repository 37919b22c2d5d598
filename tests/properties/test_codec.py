"""The msgspec codec and the reference converter agree on every public type.

For every type the round-trip law covers (tests/properties/test_roundtrip.py's discovery):
equal bytes out, equal values in, and the same documents refused with the same error.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcore.errors import ValidationError
from claimcore.serialization import dumps, loads, make_codec, make_converter
from tests.properties.test_roundtrip import VALUE_TYPES

pytest.importorskip("msgspec")

CODEC = make_codec()
REFERENCE = make_converter()

JSON_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.text(max_size=12),
    st.sampled_from(["", "12.50", "2026-02-30", "2026-01-01", "1234567893", "1e3", "x" * 90]),
    st.just([]), st.just({}),
)


def _outcome(call: Any) -> tuple[str, Any]:
    try:
        return "ok", call()
    except ValidationError as err:
        return "refused", (type(err), err.rule, err.message, err.problems)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(doc, dict):
        for key, sub in doc.items():
            found += _paths(sub, (*prefix, key))
    elif isinstance(doc, list):
        for i, sub in enumerate(doc):
            found += _paths(sub, (*prefix, i))
    return found


def _replace(doc: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(doc, dict):
        return {k: (_replace(v, rest, new) if k == head else v) for k, v in doc.items()}
    return [(_replace(v, rest, new) if i == head else v) for i, v in enumerate(doc)]


@pytest.mark.parametrize("cls", VALUE_TYPES, ids=lambda c: c.__qualname__)
@settings(max_examples=15)
@given(data=st.data())
def test_the_codec_writes_the_reference_bytes_and_reads_them_back(
    cls: type[Any], data: st.DataObject
) -> None:
    """codec.dumps == the converter's bytes, and codec.loads == the converter's value."""
    value = data.draw(st.from_type(cls))
    reference = dumps(value, converter=REFERENCE)
    assert CODEC.dumps(value) == reference
    back = CODEC.loads(reference, cls)
    assert back == loads(reference, cls, converter=REFERENCE) == value
    assert type(back) is type(value)


@pytest.mark.parametrize("cls", VALUE_TYPES, ids=lambda c: c.__qualname__)
@settings(max_examples=15)
@given(data=st.data())
def test_the_codec_refuses_what_the_converter_refuses(
    cls: type[Any], data: st.DataObject
) -> None:
    """A document with one value replaced, or a key added: both paths give the same answer."""
    value = data.draw(st.from_type(cls))
    document = json.loads(dumps(value, converter=REFERENCE))
    path = data.draw(st.sampled_from(_paths(document)))
    if data.draw(st.booleans()) or not isinstance(document["data"], dict):
        changed = _replace(document, path, data.draw(JSON_LEAVES))
    else:
        changed = {**document, "data": {**document["data"], "unknown": 1}}
    text = json.dumps(changed, ensure_ascii=False)
    fast = _outcome(lambda: CODEC.loads(text, cls))
    ref = _outcome(lambda: loads(text, cls, converter=REFERENCE))
    assert fast == ref


@pytest.mark.parametrize("text", [
    "", "not json", "[1, 2", '{"schema": "claimcore/1"}', '{"a": NaN}', "[]",
    '{"schema":"claimcore/1","type":"Money","data":"12.5"}',
    '{"schema":"claimcore/1","type":"Money","data":12.5}',
    '{"schema":"claimcore/1","type":"Money","data":"12.50","x":1}',
    '"\\ud800"',
])
def test_malformed_and_hostile_text_gets_the_reference_error(text: str) -> None:
    """Text msgspec cannot read, or reads differently, is answered by the reference path."""
    from claimcore.money import Money

    assert _outcome(lambda: CODEC.loads(text, Money)) == _outcome(
        lambda: loads(text, Money, converter=REFERENCE))


def test_non_ascii_text_is_written_as_utf8_by_both_paths() -> None:
    """A name with accents and a line separator: the same UTF-8 bytes either way."""
    from claimcore.patients import PersonName

    name = PersonName(family="Muñoz\u2028", given="José")
    assert CODEC.dumps(name) == dumps(name, converter=REFERENCE)
    assert "Muñoz".encode() in CODEC.dumps(name)
