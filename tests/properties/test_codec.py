"""The msgspec codec and the reference converter agree on every public type.

For every type the round-trip law covers (tests/properties/test_roundtrip.py's discovery):
equal bytes out, equal values in, and the same documents refused with the same error.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcore.errors import ClaimcoreError, ValidationError
from claimcore.ledger import Ledger
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


def _draw(cls: type[Any], data: st.DataObject) -> Any:
    try:
        return data.draw(st.from_type(cls))
    except ClaimcoreError:
        # A type whose strategy is not registered yet: Hypothesis guesses its fields and
        # builds invalid values. test_roundtrip fails for it; the codec has nothing to add.
        pytest.skip(f"no strategy registered for {cls.__qualname__}")


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
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_codec_writes_the_reference_bytes_and_reads_them_back(
    cls: type[Any], data: st.DataObject
) -> None:
    """codec.dumps == the converter's bytes, and codec.loads == the converter's value."""
    value = _draw(cls, data)
    reference = dumps(value, converter=REFERENCE)
    assert CODEC.dumps(value) == reference
    back = CODEC.loads(reference, cls)
    assert back == loads(reference, cls, converter=REFERENCE) == value
    assert type(back) is type(value)


@pytest.mark.parametrize("cls", VALUE_TYPES, ids=lambda c: c.__qualname__)
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_codec_refuses_what_the_converter_refuses(
    cls: type[Any], data: st.DataObject
) -> None:
    """A document with one value replaced, or a key added: both paths give the same answer."""
    value = _draw(cls, data)
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


@given(st.text())
def test_both_json_writers_give_the_same_bytes_for_any_text(text: str) -> None:
    """The json-module fallback writes UTF-8 and escapes as msgspec does (claimcore's own
    values are printable ASCII; a caller's free text need not be)."""
    import msgspec

    from claimcore import serialization

    document = {"schema": "claimcore/1", "type": "X", "data": [text, {"k": text}]}
    try:
        expected = msgspec.json.encode(document)
    except UnicodeEncodeError:  # a lone surrogate: not text msgspec writes
        return
    assert serialization._json_dumps(document) == expected


@settings(max_examples=20)
@given(st.from_type(Ledger))
def test_a_ledger_travels_the_same_way_through_both_paths(ledger: Ledger) -> None:
    """The ledger's own hooks (its transfers, posted again on the way in) are shared."""
    reference = dumps(ledger, converter=REFERENCE)
    assert CODEC.dumps(ledger) == reference
    back = CODEC.loads(reference, Ledger)
    assert back == ledger
    assert list(back.transfers()) == list(ledger.transfers())


def test_the_fast_path_answers_valid_documents_and_the_reference_bad_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A valid document never reaches the reference path; a refused one always does."""
    from claimcore import serialization
    from claimcore.periods import Period

    codec = make_codec()
    good = b'{"schema":"claimcore/1","type":"Period","data":{"start":"2026-01-01","end":null}}'
    bad = good.replace(b"2026-01-01", b"2026-02-30")
    used: list[object] = []

    def reference(*args: object) -> object:
        used.append(args)
        raise ValidationError("the reference path", rule="test")

    monkeypatch.setattr(serialization, "_loads_with", reference)
    monkeypatch.setattr(serialization, "_json_dumps", reference)
    value = codec.loads(good, Period)
    assert codec.dumps(value) == good
    assert not used
    with pytest.raises(ValidationError, match="the reference path"):
        codec.loads(bad, Period)
    assert len(used) == 1


def test_without_msgspec_dumps_and_loads_use_the_compiled_functions_over_json(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With msgspec missing, the default codec reads and writes with the reference's JSON
    functions: the same bytes, values and errors."""
    import sys

    from claimcore import serialization
    from tests.unit.test_claims_support import professional

    value = professional()
    with_msgspec = dumps(value)
    monkeypatch.setitem(sys.modules, "msgspec", None)
    serialization._default_codec.cache_clear()
    try:
        codec = serialization._default_codec()
        assert codec._encode is serialization._json_dumps
        assert dumps(value) == with_msgspec == dumps(value, converter=REFERENCE)
        assert loads(with_msgspec, type(value)) == value
        bad = with_msgspec.replace(b'"99213"', b'"9921"')
        assert _outcome(lambda: loads(bad, type(value))) == _outcome(
            lambda: loads(bad, type(value), converter=REFERENCE))
        assert _outcome(lambda: loads(b"[1,", type(value)))[0] == "refused"
    finally:
        serialization._default_codec.cache_clear()


def test_make_codec_without_msgspec_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """make_codec names the `fast` extra when msgspec cannot be imported."""
    import sys

    monkeypatch.setitem(sys.modules, "msgspec", None)
    with pytest.raises(ImportError, match=r"claimcore\[fast\]"):
        make_codec()


def test_the_fast_path_leaves_out_the_depth_walk_only_where_the_type_bounds_the_depth() -> None:
    """A claim nests a fixed number of levels; a ledger (its own hook) is walked."""
    from claimcore import serialization
    from claimcore.claims import Claim
    from claimcore.periods import Period

    assert serialization._depth_is_bounded(Claim)
    assert serialization._depth_is_bounded(Period)
    assert not serialization._depth_is_bounded(Ledger)


@pytest.mark.parametrize("depth", [63, 64, 70, 2_000])
def test_a_deep_value_in_a_bounded_type_is_refused_as_the_reference_refuses_it(
    depth: int,
) -> None:
    """Without the walk, deep nesting still fails on the fast path and gets the
    reference's answer (the depth error past MAX_DEPTH)."""
    from claimcore.periods import Period

    deep = "[" * depth + "]" * depth
    text = ('{"schema":"claimcore/1","type":"Period","data":{"start":"2026-01-01","end":'
            + deep + "}}")
    fast = _outcome(lambda: CODEC.loads(text, Period))
    assert fast == _outcome(lambda: loads(text, Period, converter=REFERENCE))
    assert fast[0] == "refused"
    if depth >= 70:
        assert fast[1][1] == "depth"


@pytest.mark.parametrize("cls", VALUE_TYPES, ids=lambda c: c.__qualname__)
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_document_missing_a_key_gets_the_same_answer_from_both_paths(
    cls: type[Any], data: st.DataObject
) -> None:
    """The fast hooks take objects that give every field; one with a key left out (a
    default to fill in, or a required field missing) goes the converter's way."""
    value = _draw(cls, data)
    document = json.loads(dumps(value, converter=REFERENCE))
    objects = [p for p in _paths(document) if p and p[0] == "data"
               and isinstance(_at(document, p), dict) and _at(document, p)]
    if not objects:
        return
    path = data.draw(st.sampled_from(objects))
    target = _at(document, path)
    key = data.draw(st.sampled_from(sorted(target)))
    changed = _replace(document, path, {k: v for k, v in target.items() if k != key})
    text = json.dumps(changed, ensure_ascii=False)
    assert _outcome(lambda: CODEC.loads(text, cls)) == _outcome(
        lambda: loads(text, cls, converter=REFERENCE))


def _at(doc: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        doc = doc[step]
    return doc


@pytest.mark.parametrize("number", [-(2**63) - 1, -(2**63), 2**63, 2**64 - 1, 2**64, 2**70])
def test_an_integer_wider_than_64_bits_gets_the_reference_answer(number: int) -> None:
    """msgspec reads any integer as an int; orjson (the reference's parser when installed)
    reads one outside 64 bits as a float. The fast path leaves those to the reference."""
    from claimcore.periods import AgingBucket

    text = ('{"schema":"claimcore/1","type":"AgingBucket","data":{"label":"0-1","low":'
            f'{number},"high":1}}}}')
    assert _outcome(lambda: CODEC.loads(text, AgingBucket)) == _outcome(
        lambda: loads(text, AgingBucket, converter=REFERENCE))
