"""FHIR plumbing: exact JSON numbers, Decimal parsing, stable ids and path-naming readers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from claimcore.errors import TypeMismatch, ValidationError
from claimcore.fhir import dumps, loads, resource_id
from claimcore.fhir._common import a_date, date_of, decimal, read_money, read_period, ref_id


def test_dumps_writes_decimals_as_exact_numbers() -> None:
    """Money values come out as JSON numbers with every cent, never through float."""
    text = dumps({"a": [Decimal("0.10"), Decimal("12345678901.23"), 7, True, None, "é"]})
    assert text == '{"a":[0.10,12345678901.23,7,true,null,"é"]}'


def test_dumps_then_loads_is_exact() -> None:
    """A resource written by dumps reads back equal, decimals as Decimal."""
    resource = {"amount": {"value": Decimal("100.47"), "currency": "USD"}, "seq": (1, 2)}
    back = loads(dumps(resource))
    assert back == {"amount": {"value": Decimal("100.47"), "currency": "USD"}, "seq": [1, 2]}
    assert type(back["amount"]["value"]) is Decimal


@pytest.mark.parametrize(
    ("value", "rule"),
    [(0.1, "no-float"), (object(), "type"), ({1: "x"}, "type")],
)
def test_dumps_refuses_what_json_cannot_hold_exactly(value: object, rule: str) -> None:
    """Floats, unknown objects and non-string keys are refused with a path."""
    with pytest.raises(TypeMismatch) as err:
        dumps({"x": value})
    assert err.value.rule == rule
    assert err.value.path.startswith("$.x")


def test_dumps_refuses_non_finite_decimals() -> None:
    """NaN is not a JSON number."""
    with pytest.raises(ValidationError, match="finite"):
        dumps({"x": Decimal("NaN")})


@pytest.mark.parametrize("text", ["{", '{"a": NaN}', b"\xff\xfe", b'"\x80"', "[" * 100_000])
def test_loads_refuses_bad_json_with_a_claimcore_error(text: str | bytes) -> None:
    """Broken, non-UTF-8, NaN-bearing or absurdly nested text is a ValidationError."""
    with pytest.raises(ValidationError) as err:
        loads(text)
    assert err.value.rule == "json"


def test_loads_refuses_non_text() -> None:
    """loads takes JSON text only."""
    with pytest.raises(TypeMismatch):
        loads(12)  # type: ignore[arg-type]


def test_resource_id_keeps_plain_ids_and_escapes_the_rest() -> None:
    """Ids are readable when they can be, injective always, and at most 64 characters."""
    assert resource_id("CLM1001") == "CLM1001"
    assert resource_id("CLM-1001") == "CLM--1001"
    assert resource_id("ENC_2026:1") == "ENC-5F2026-3A1"
    assert resource_id("a-5F") != resource_id("a_")
    long_id = resource_id("x" * 65)
    assert long_id.startswith("-h") and len(long_id) == 64


def test_decimal_reader_accepts_int_decimal_and_text_but_not_float() -> None:
    """FHIR decimals come in as Decimal, int or decimal text; floats and bools are refused."""
    assert decimal(Decimal("1.50"), "$.v") == Decimal("1.50")
    assert decimal(3, "$.v") == Decimal(3)
    assert decimal("2.25", "$.v") == Decimal("2.25")
    with pytest.raises(TypeMismatch) as err:
        decimal(1.5, "$.v")
    assert err.value.rule == "no-float" and "claimcore.fhir.loads" in str(err.value)
    for bad in (True, "1,5", None):
        with pytest.raises(TypeMismatch):
            decimal(bad, "$.v")
    with pytest.raises(ValidationError, match="finite"):
        decimal(Decimal("Infinity"), "$.v")


@pytest.mark.parametrize("text", ["\u0661.50", "\uff11.50", "1.\u0665", "1e\u0662", "1_000"])
def test_decimal_and_date_readers_take_ascii_digits_only(text: str) -> None:
    """Decimal text and dates with Arabic-Indic or fullwidth digits are refused."""
    with pytest.raises(TypeMismatch) as err:
        decimal(text, "$.v")
    assert err.value.path == "$.v"
    with pytest.raises(ValidationError):
        a_date("2026-0\u0663-02", "$.d")


def test_money_reader_names_the_element() -> None:
    """Bad money names its path; a missing currency means USD; sub-cent amounts are refused."""
    assert read_money({"value": 5}, "$.m") .amount == Decimal("5.00")
    assert read_money({"value": 5, "currency": None}, "$.m").currency == "USD"
    with pytest.raises(ValidationError) as err:
        read_money({"value": Decimal("1.005")}, "$.item[2].net")
    assert err.value.path == "$.item[2].net.amount" and err.value.rule == "whole-cents"
    with pytest.raises(ValidationError) as err:
        read_money({"currency": "USD"}, "$.total[0].amount")
    assert err.value.path == "$.total[0].amount.value"
    with pytest.raises(TypeMismatch) as err:
        read_money([], "$.m")
    assert err.value.path == "$.m"


def test_date_readers() -> None:
    """Full dates read; partial dates and non-dates are refused; a dateTime gives its date."""
    assert str(a_date("2026-03-02", "$.d")) == "2026-03-02"
    assert str(date_of("2026-03-02T09:05:00Z", "$.d")) == "2026-03-02"
    for bad, rule in (("2026-03", "partial-date"), ("2026-02-30", "date"), ("x", "date")):
        with pytest.raises(ValidationError) as err:
            a_date(bad, "$.d")
        assert err.value.rule == rule
    with pytest.raises(ValidationError) as err:
        read_period({"start": "2026-03-02", "end": "2026-03-01"}, "$.period")
    assert err.value.path == "$.period.end"


def test_reference_ids() -> None:
    """Literal references give their id; other resource types and forms give None."""
    assert ref_id({"reference": "Claim/100150"}, "$.claim", "Claim") == "100150"
    assert ref_id({"reference": "http://x.org/fhir/Claim/9/_history/2"}, "$.c", "Claim") == "9"
    assert ref_id({"reference": "Patient/1"}, "$.c", "Claim") is None
    assert ref_id({"display": "a claim"}, "$.c", "Claim") is None
