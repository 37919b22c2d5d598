"""The codec's compiled functions (claimcore._compiled): the reference's values and bytes,
faster, and nothing kept that is PHI.

tests/properties/test_codec.py holds the equality with the reference for every public
type; these are the cases a random draw rarely makes.
"""

from __future__ import annotations

import json
import types
from typing import Any

import attrs
import pytest

from claimcore._compiled import _CACHE_LIMIT, Compiler, _fill, _optional_inner
from claimcore.claims import Claim, ClaimLine
from claimcore.codes import CPT, HCPCS, RevenueCode
from claimcore.errors import ValidationError
from claimcore.ids import MemberId
from claimcore.periods import Period
from claimcore.serialization import (
    _make_compiler,
    _make_fast_converter,
    dumps,
    loads,
    make_codec,
    make_converter,
)
from claimcore.x12 import X12Result
from tests.unit.test_claims_support import PATIENT, institutional, line, professional

pytest.importorskip("msgspec")

REFERENCE = make_converter()


def _claim() -> Claim:
    return professional([line(n, code, charge=f"{40 + n}.25", pointers=(1, 2))
                         for n, code in enumerate(("99213", "93000", "80053", "85025"), 1)])


def _compiler() -> Compiler:
    return _make_compiler(_make_fast_converter())


def test_a_claim_reads_and_writes_as_the_reference_does() -> None:
    codec = make_codec()
    for claim in (_claim(), institutional()):
        reference = dumps(claim, converter=REFERENCE)
        assert codec.dumps(claim) == reference
        back = codec.loads(reference, Claim)
        assert back == claim == loads(reference, Claim, converter=REFERENCE)
        assert codec.dumps(back) == reference


def test_the_compiled_functions_are_used_for_a_claim() -> None:
    compiler = _compiler()
    structure = compiler.structurer(Claim)
    unstructure = compiler.unstructurer(Claim)
    assert structure is not None and unstructure is not None
    claim = _claim()
    data = REFERENCE.unstructure(claim)
    assert unstructure(claim) == data
    assert list(unstructure(claim)) == list(data)  # the same keys in the same order
    assert structure(data) == claim
    assert compiler.structurer(Claim) is structure  # compiled once


def test_equal_periods_of_one_document_are_built_once_and_then_forgotten() -> None:
    compiler = _compiler()
    structure = compiler.structurer(Claim)
    assert structure is not None
    back = structure(REFERENCE.unstructure(_claim()))
    first, second = back.lines[0].service_period, back.lines[1].service_period
    assert first is second and first == Period(first.start, first.end)
    held = [v for v in compiler._namespace.values() if isinstance(v, dict) and v
            and all(isinstance(k, tuple) for k in v)]
    assert held, "the period memo is where the test looks"
    compiler.forget()
    assert all(not memo for memo in held)


def test_the_codec_forgets_the_periods_of_each_document() -> None:
    codec = make_codec()
    codec.loads(dumps(_claim(), converter=REFERENCE), Claim)
    compiler = _compiler_of(codec)
    assert compiler._memo and all(not memo for memo in compiler._memo)


def _compiler_of(codec: Any) -> Compiler:
    # The codec keeps its compiler in the closure of its from_document function.
    cells = codec._from_document.__closure__ or ()
    (compiler,) = [c.cell_contents for c in cells if isinstance(c.cell_contents, Compiler)]
    return compiler


def test_no_phi_is_kept_in_caches_or_written_into_the_generated_code() -> None:
    codec = make_codec()
    claim = _claim()
    codec.loads(codec.dumps(claim), Claim)
    compiler = _compiler_of(codec)
    phi = {PATIENT.mrn.unmasked, PATIENT.name.family, str(PATIENT.name.given),
           claim.coverage.member_id.unmasked, PATIENT.birth_date.isoformat()}
    kept: list[Any] = []
    for value in compiler._namespace.values():
        if isinstance(value, dict):
            kept += list(value) + list(value.values())
        if isinstance(value, types.FunctionType):
            kept += [c for c in value.__code__.co_consts if isinstance(c, str)]
    assert not any(isinstance(v, MemberId) for v in kept)
    assert not any(isinstance(v, str) and v in phi for v in kept)
    assert not any(isinstance(v, tuple) and phi & set(v) for v in kept)


def test_a_document_with_a_defaulted_key_left_out_still_loads() -> None:
    claim = _claim()
    document = json.loads(dumps(claim, converter=REFERENCE))
    for one in document["data"]["lines"]:
        del one["ndc"]  # defaults to None
    text = json.dumps(document)
    assert make_codec().loads(text, Claim) == loads(text, Claim, converter=REFERENCE) == claim


@pytest.mark.parametrize("bad", [
    ("line_number", True), ("line_number", 2**64), ("line_number", "1"), ("pointers", [0]),
    ("modifiers", "25"), ("procedure", 99213), ("charge", 12.5), ("units", "x"),
    ("charge_id", 7), ("unknown", 1),
    ("service_period", {"start": "2026-02-30", "end": "2026-03-01"}),
    ("service_period", {"start": "20260301", "end": "2026-03-01"}),
])
def test_a_wrong_value_gets_the_reference_error(bad: tuple[str, Any]) -> None:
    key, value = bad
    document = json.loads(dumps(_claim(), converter=REFERENCE))
    document["data"]["lines"][0][key] = value
    text = json.dumps(document)
    with pytest.raises(ValidationError) as fast:
        make_codec().loads(text, Claim)
    with pytest.raises(ValidationError) as ref:
        loads(text, Claim, converter=REFERENCE)
    assert (fast.value.message, fast.value.path, fast.value.rule, fast.value.problems) == (
        ref.value.message, ref.value.path, ref.value.rule, ref.value.problems)


def test_generic_classes_keep_the_converter_hooks() -> None:
    # cattrs resolves X12Result's type variable from its base; get_type_hints does not.
    compiler = _compiler()
    assert compiler.structurer(X12Result) is None
    assert compiler.unstructurer(X12Result) is None


def test_unions_with_none_are_read_as_the_union_or_none() -> None:
    assert _optional_inner(CPT | None) is CPT
    assert _optional_inner(CPT | HCPCS | None) == CPT | HCPCS
    assert _optional_inner(CPT | HCPCS) is None
    assert _optional_inner(tuple[CPT, ...]) is None
    a_line = line(1)
    compiler = _compiler()
    structure = compiler.structurer(ClaimLine)
    assert structure is not None
    data = REFERENCE.unstructure(a_line)
    assert structure(data) == a_line
    assert structure({**data, "procedure": None, "revenue_code": "0450"}) == ClaimLine(
        line_number=1, revenue_code=RevenueCode("0450"), charge=a_line.charge,
        service_period=a_line.service_period, pointers=(1,))


def test_the_leaf_cache_is_bounded_and_keeps_strings_only() -> None:
    cache: dict[str, Any] = {}
    calls: list[object] = []

    def hook(value: object, _: object) -> object:
        calls.append(value)
        return ("built", value)

    for n in range(_CACHE_LIMIT):
        _fill(cache, hook, str(n), None)
    assert len(cache) == _CACHE_LIMIT
    _fill(cache, hook, "one more", None)
    assert cache == {"one more": ("built", "one more")}
    assert _fill(cache, hook, 5, None) == ("built", 5)
    assert list(cache) == ["one more"]


def _setters(cls: type[Any]) -> list[Any] | None:
    return Compiler._slot_setters(cls, [a for a in attrs.fields(cls) if a.init])


def test_attrs_init_is_left_out_only_where_it_converts_sets_and_checks() -> None:
    assert _setters(ClaimLine) is not None and _setters(Period) is not None
    assert _setters(Claim) is None  # a field it does not take (the derived total)

    @attrs.frozen
    class Validated:
        n: int = attrs.field(validator=attrs.validators.instance_of(int))

    @attrs.frozen
    class PreInit:
        n: int

        def __attrs_pre_init__(self) -> None:
            pass

    @attrs.frozen(cache_hash=True)
    class Hashed:
        n: int

    @attrs.define
    class Mutable:
        n: int

    @attrs.frozen
    class Builtin:
        n: int = attrs.field(converter=int)

    def upper(value: str) -> str:
        return value.upper()

    @attrs.frozen
    class Plain:
        code: str = attrs.field(converter=upper)

    for cls in (Validated, PreInit, Hashed, Mutable, Builtin):
        assert _setters(cls) is None, cls.__name__
    assert _setters(Plain) is not None


def test_a_value_built_without_init_equals_the_one_init_builds() -> None:
    compiler = _compiler()
    structure = compiler.structurer(ClaimLine)
    assert structure is not None
    a_line = line(3, "97110", units=2, modifiers=("25", "59"), pointers=(1, 2))
    data = REFERENCE.unstructure(a_line)
    built = structure(data)
    assert built == a_line and type(built) is ClaimLine
    assert hash(built) == hash(a_line) and repr(built) == repr(a_line)
    with pytest.raises(ValidationError) as err:
        structure({**data, "pointers": [0]})  # the check still runs
    assert err.value.path == "$.pointers[0]"


def test_only_converters_that_keep_tuples_are_left_out() -> None:
    from claimcore._validate import to_tuple
    from claimcore.claims import _claim
    from claimcore.serialization import _keeps_tuples

    def sorted_tuple(value: Any) -> Any:
        return tuple(sorted(value))

    def other_name(value: Any) -> Any:
        return to_frozen(value)

    def to_frozen(value: Any) -> Any:
        return frozenset(value)

    assert _keeps_tuples(to_tuple) and _keeps_tuples(_claim._modifiers)
    assert not _keeps_tuples(_claim._poa)  # it maps "exempt" to blank
    assert not _keeps_tuples(sorted_tuple) and not _keeps_tuples(other_name)
    assert not _keeps_tuples(tuple)
