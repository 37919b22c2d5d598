"""Every public value type round-trips through the converter, losslessly.

The types are discovered from the ``__all__`` of claimcore's modules, so a new public type
is covered as soon as it is exported; its values come from ``st.from_type``, which the
strategies register for every public type.
"""

from __future__ import annotations

import enum
import importlib
import pkgutil
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import claimcore
import claimcore.ledger
import claimcore.strategies
from claimcore.serialization import dumps, loads, make_converter

# Types that are not data on the wire: results of computations, protocols, internal state
# holders. Each is listed with its reason.
NOT_WIRE_TYPES: dict[str, str] = {
    "Ledger": "not an attrs class; travels as its transfers, tested in test_ledger_round_trips",
    "Code": "the abstract base of the code types: fields are typed with a concrete code type",
    "SearchHit": "a search answer over any code system (its code is a Code): never stored",
    "Identifier": "the base of the plain identifiers: fields are typed with a concrete one",
    "MaskedIdentifier": "the base of the PHI identifiers: fields are typed with a concrete one",
    "ReadResult": "generic over what a reader read; its 835 form, X12Result, round-trips",
    "Figures": "a KPI aggregate computed from a ledger: its denial totals are keyed by any "
               "grouping value (typed object); recomputed, never stored",
    "DenialTotal": "part of Figures, keyed by a category or a payer (typed object)",
    "GroupedAgingRow": "a report row keyed by any grouping value (typed object)",
    "GroupedAgingReport": "an aging report computed from a ledger, rows keyed by any value",
    "Table": "a flat view for analytics (cells of any kind), computed, exported by to_arrow",
    "Column": "part of Table",
}


def _public_value_types() -> list[type[Any]]:
    found: dict[str, type[Any]] = {}
    for info in pkgutil.walk_packages(claimcore.__path__, "claimcore."):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):
            continue
        if info.name.startswith(("claimcore.strategies", "claimcore.codes.icd10cm_data")):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name, None)
            if (isinstance(obj, type) and attrs.has(obj) and not name.startswith("_")
                    and name not in NOT_WIRE_TYPES):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[k] for k in sorted(found)]


VALUE_TYPES = _public_value_types()
CONVERTER = make_converter()


@pytest.mark.parametrize("cls", VALUE_TYPES, ids=lambda c: c.__qualname__)
@given(data=st.data())
def test_every_public_type_round_trips(cls: type[Any], data: st.DataObject) -> None:
    """structure(unstructure(v)) == v for every generated value of every public type."""
    value = data.draw(st.from_type(cls))
    raw = CONVERTER.unstructure(value)
    assert CONVERTER.structure(raw, cls) == value


@pytest.mark.parametrize("cls", VALUE_TYPES[:: max(1, len(VALUE_TYPES) // 8)],
                         ids=lambda c: c.__qualname__)
@given(data=st.data())
def test_json_documents_round_trip(cls: type[Any], data: st.DataObject) -> None:
    """loads(dumps(v)) == v through JSON bytes with the schema version."""
    value = data.draw(st.from_type(cls))
    assert loads(dumps(value), cls) == value


def test_discovery_finds_the_foundation() -> None:
    """The discovery above sees the foundation types (so the law is not vacuous)."""
    names = {c.__name__ for c in VALUE_TYPES}
    assert {"Money", "Rate", "Period", "NPI", "MemberId", "AgingBuckets"} <= names


def test_enums_travel_by_value() -> None:
    """Enums are written as their values."""
    class Color(enum.StrEnum):
        RED = "r"

    assert CONVERTER.unstructure(Color.RED) == "r"
    assert CONVERTER.structure("r", Color) is Color.RED
    assert claimcore.__version__


@given(st.from_type(claimcore.ledger.Ledger))
def test_ledger_round_trips(ledger: claimcore.ledger.Ledger) -> None:
    """A ledger travels as its transfers and comes back with the same transfers and balances."""
    back = CONVERTER.structure(CONVERTER.unstructure(ledger), claimcore.ledger.Ledger)
    assert list(back.transfers()) == list(ledger.transfers())
    assert back == ledger
