"""The wire format: strict structuring, paths for every problem, versioned documents."""

from __future__ import annotations

import enum
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import attrs
import cattrs
import pytest

from claimcore.errors import TypeMismatch, ValidationError
from claimcore.ids import NPI, MemberId
from claimcore.money import Money, Rate
from claimcore.periods import Period
from claimcore.serialization import (
    SCHEMA,
    configure_converter,
    dumps,
    from_document,
    loads,
    make_converter,
    structure,
    to_document,
)


class Kind(enum.StrEnum):
    OFFICE = "office"
    HOME = "home"


@attrs.frozen(kw_only=True)
class Line:
    charge: Money
    on: date
    npi: NPI
    tags: tuple[str, ...] = ()
    units: int = 1
    scale: Decimal = Decimal(1)
    flag: bool = False


@attrs.frozen(kw_only=True)
class Doc:
    lines: tuple[Line, ...]
    member: MemberId
    kind: Kind
    period: Period
    at: datetime
    rate: Rate | None = None
    codes: frozenset[str] = frozenset()


def sample() -> Doc:
    line = Line(charge=Money(Decimal("1.50")), on=date(2026, 1, 2), npi=NPI("1234567893"),
                tags=("a",), scale=Decimal("1.25"))
    return Doc(lines=(line,), member=MemberId("XYZ123454821"), kind=Kind.HOME,
               period=Period(date(2026, 1, 1)), at=datetime(2026, 1, 2, 9, tzinfo=UTC),
               rate=Rate.percent(20), codes=frozenset({"b", "a"}))


CONV = make_converter()


def test_wire_format() -> None:
    """Money, rates and decimals are strings; dates ISO; ids bare; tuples and sets lists."""
    raw = CONV.unstructure(sample())
    assert raw == {
        "lines": [{"charge": "1.50", "on": "2026-01-02", "npi": "1234567893", "tags": ["a"],
                   "units": 1, "scale": "1.25", "flag": False}],
        "member": "XYZ123454821", "kind": "home",
        "period": {"start": "2026-01-01", "end": None},
        "at": "2026-01-02T09:00:00+00:00", "rate": "0.20", "codes": ["a", "b"],
    }
    assert CONV.structure(raw, Doc) == sample()
    assert json.loads(json.dumps(raw)) == raw
    assert CONV.unstructure(Money(Decimal("2.00"), "EUR")) == "2.00 EUR"
    assert CONV.structure("2.00 EUR", Money) == Money(Decimal("2.00"), "EUR")
    assert CONV.structure(3, Money) == Money(3)


def test_every_problem_is_listed_with_its_path() -> None:
    """Bad data gives one ValidationError listing every problem, each with its path."""
    raw = CONV.unstructure(sample())
    raw["lines"][0].update(charge=1.5, on="2026-13-01", npi="1234567890", tags="ab",
                           units="2", scale=0.5, flag="yes", extra=1)
    raw["member"] = 7
    raw["kind"] = "hospital"
    raw["at"] = "2026-01-02T09:00:00"
    raw["codes"] = [1]
    with pytest.raises(ValidationError) as caught:
        CONV.structure(raw, Doc)
    paths = dict(caught.value.problems)
    assert set(paths) == {
        "$.lines[0].charge", "$.lines[0].on", "$.lines[0].npi", "$.lines[0].tags",
        "$.lines[0].units", "$.lines[0].scale", "$.lines[0].flag", "$.lines[0].extra",
        "$.member", "$.kind", "$.at", "$.codes[0]",
    }
    assert "float" in paths["$.lines[0].charge"]
    assert paths["$.lines[0].extra"] == "unknown key"
    assert "'office'" in paths["$.kind"]
    assert caught.value.rule == "structure"


def test_missing_keys_and_wrong_shapes() -> None:
    """A missing field, a non-object and a wrong-length list are reported, not crashed on."""
    with pytest.raises(ValidationError) as caught:
        CONV.structure({"charge": "1.00"}, Line)
    assert any(m == "required key is missing" for _, m in caught.value.problems)
    with pytest.raises(ValidationError):
        CONV.structure("nope", Line)
    with pytest.raises(ValidationError):
        CONV.structure(["1.00"], tuple[Money, Money])
    assert CONV.structure(["1.00", "2.00"], tuple[Money, Money]) == (Money(1), Money(2))


@pytest.mark.parametrize(
    ("raw", "cls"),
    [
        ("12.345", Money), ("1e3", Money), (None, Money), ("20260101", date),
        (20260101, date), ("nan", Decimal), ("x", Decimal), ([], Decimal), (1.0, int),
        ("2026-01-01T00:00:00", datetime), (5, datetime), ("not a date", datetime),
        ("-1", Rate), (True, str),
    ],
)
def test_scalars_are_strict(raw: object, cls: type) -> None:
    """No silent coercion: text for numbers, numbers for text, naive times, floats."""
    with pytest.raises(ValidationError):
        CONV.structure(raw, cls)


def test_type_mismatches_are_type_errors() -> None:
    """When every problem is a wrong type, the error is also a TypeError."""
    with pytest.raises(TypeMismatch):
        CONV.structure(1.5, Money)


def test_configure_a_callers_converter() -> None:
    """configure_converter teaches the wire format to a converter the caller owns."""
    conv = cattrs.Converter(forbid_extra_keys=True)
    configure_converter(conv)
    assert conv.unstructure(Money(Decimal("1.00"))) == "1.00"
    assert structure(conv, "1.00", Money) == Money(1)
    with pytest.raises(ValidationError):
        structure(conv, {"start": "x"}, Period)
    with pytest.raises(ValidationError):
        structure(conv, 1.5, Money)


def test_documents_carry_the_schema_version() -> None:
    """Documents say their schema and type; others are refused."""
    doc = to_document(CONV, sample())
    assert doc["schema"] == SCHEMA == "claimcore/1"
    assert doc["type"] == "Doc"
    assert from_document(CONV, doc, Doc) == sample()
    assert loads(dumps(sample()), Doc) == sample()
    assert loads(dumps(sample()).decode(), Doc) == sample()
    for bad, path in [
        ({**doc, "schema": "claimcore/99"}, "$.schema"),
        ({**doc, "type": "Line"}, "$.type"),
        ({**doc, "extra": 1}, "$.extra"),
    ]:
        with pytest.raises(ValidationError) as caught:
            from_document(CONV, bad, Doc)
        assert caught.value.path == path
    with pytest.raises(TypeMismatch):
        from_document(CONV, [], Doc)
    with pytest.raises(ValidationError) as caught:
        from_document(CONV, {**doc, "data": {**doc["data"], "kind": 1}}, Doc)
    assert caught.value.problems[0][0] == "$.data.kind"
    with pytest.raises(ValidationError):
        loads(b"{not json", Doc)


def test_float_money_in_json_is_refused() -> None:
    """A JSON number with a fraction for money is refused, not rounded."""
    doc = json.loads(dumps(Money(Decimal("1.10"))))
    doc["data"] = 1.1
    with pytest.raises(TypeMismatch):
        loads(json.dumps(doc), Money)


def test_codes_are_checked_once_per_converter_but_phi_is_never_cached() -> None:
    """A repeated code comes back as the same checked value; PHI ids are built each time."""
    from claimcore.codes import CPT

    conv = make_converter()
    first = conv.structure("99214", CPT)
    assert conv.structure("99214", CPT) is first
    assert conv.structure("1234567893", NPI) is conv.structure("1234567893", NPI)
    member = conv.structure("XYZ123454821", MemberId)
    assert conv.structure("XYZ123454821", MemberId) is not member
    with pytest.raises(ValidationError):
        conv.structure("9921", CPT)
    with pytest.raises(TypeMismatch):
        conv.structure(99214, CPT)


def test_a_union_of_codes_is_checked_once_per_converter() -> None:
    """A repeated ``CPT | HCPCS`` value is the same checked code; each kind still parses."""
    from claimcore.codes import CPT, HCPCS

    conv = make_converter()
    union = CPT | HCPCS
    first = conv.structure("99214", union)
    assert first == CPT("99214") and type(first) is CPT
    assert conv.structure("99214", union) is first
    assert type(conv.structure("J3490", union)) is HCPCS
    assert conv.structure(None, CPT | HCPCS | None) is None
    with pytest.raises(ValidationError):
        conv.structure("9921", union)
    with pytest.raises(TypeMismatch):
        conv.structure(99214, union)


def test_the_code_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache empties itself when full, and answers stay right."""
    import claimcore.serialization as serialization
    from claimcore.codes import CPT

    monkeypatch.setattr(serialization, "_CACHE_LIMIT", 2)
    conv = make_converter()
    codes = ["99211", "99212", "99213", "99214", "99215"]
    assert [conv.structure(c, CPT) for c in codes] == [CPT(c) for c in codes]


def test_a_ledger_travels_with_its_currency_and_transfers() -> None:
    """A ledger is {currency, transfers}; an empty EUR ledger comes back in EUR."""
    from claimcore.ledger import Ledger

    eur = Ledger(currency="EUR")
    raw = CONV.unstructure(eur)
    assert raw == {"currency": "EUR", "transfers": []}
    back = CONV.structure(raw, Ledger)
    assert back.currency == "EUR"
    assert back == eur
    with pytest.raises(ValidationError) as caught:
        CONV.structure({"currency": "USD", "transfers": [], "note": 1}, Ledger)
    assert caught.value.problems[0][0] == "$.note"
    with pytest.raises(TypeMismatch):
        CONV.structure([], Ledger)


def test_dumps_and_loads_without_a_converter_build_one_only_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The module-level functions reuse one default converter instead of building one a call."""
    import claimcore.serialization as serialization

    built: list[object] = []
    real = serialization.make_converter

    def counting() -> serialization.ClaimcoreConverter:
        converter = real()
        built.append(converter)
        return converter

    serialization._default_codec.cache_clear()  # the codec keeps one as reference
    monkeypatch.setattr(serialization, "make_converter", counting)
    try:
        value = Period(date(2026, 1, 5), date(2026, 1, 9))
        for _ in range(3):
            assert serialization.loads(serialization.dumps(value), Period) == value
        assert len(built) == 1
    finally:
        serialization._default_codec.cache_clear()


@pytest.mark.parametrize("depth", [65, 1_000, 100_000])
def test_a_document_nested_too_deep_is_refused_with_a_claimcore_error(depth: int) -> None:
    """Hostile nesting is a ValidationError (rule depth), never a RecursionError."""
    from claimcore.claims import ClaimKind
    from claimcore.serialization import MAX_DEPTH

    text = ('{"schema":"claimcore/1","type":"ClaimKind","data":'
            + "[" * depth + '"professional"' + "]" * depth + "}")
    with pytest.raises(ValidationError) as caught:
        loads(text, ClaimKind)
    assert caught.value.rule == "depth"
    assert str(MAX_DEPTH) in str(caught.value)


def test_a_document_at_the_depth_limit_is_structured_as_usual() -> None:
    """Nesting up to the limit is not refused for depth (the type check answers instead)."""
    from claimcore.claims import ClaimKind
    from claimcore.serialization import MAX_DEPTH

    inner = MAX_DEPTH - 1  # the document object itself is one level
    text = ('{"schema":"claimcore/1","type":"ClaimKind","data":'
            + "[" * inner + '"professional"' + "]" * inner + "}")
    with pytest.raises(ValidationError) as caught:
        loads(text, ClaimKind)
    assert caught.value.rule != "depth"
    assert loads('{"schema":"claimcore/1","type":"ClaimKind","data":"professional"}',
                 ClaimKind) is ClaimKind.PROFESSIONAL


def test_a_recursion_error_while_structuring_is_a_claimcore_error() -> None:
    """Nesting built in Python (no JSON) that exhausts the interpreter is refused as depth."""

    class Deep:
        pass

    def exhausted(value: object, cls: type) -> Deep:
        raise RecursionError("maximum recursion depth exceeded")

    conv = make_converter()
    conv.register_structure_hook(Deep, exhausted)
    with pytest.raises(ValidationError) as caught:
        conv.structure([], Deep)
    assert caught.value.rule == "depth"
    with pytest.raises(ValidationError) as again:
        structure(conv, [], Deep)
    assert again.value.rule == "depth"
