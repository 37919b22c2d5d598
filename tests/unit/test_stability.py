"""The public API and the wire format, held against a snapshot (docs/stability.md).

A public name that disappears, or a wire document that changes, fails unless
``CHANGELOG.md`` names it (in backticks); any difference fails until the snapshot is
updated with ``python -m tests.unit.test_stability --update``, so every change to the
public surface is a reviewed change of ``tests/unit/stability_snapshot.json``.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st

import claimcore
from claimcore import serialization
from claimcore.charges import Charge
from claimcore.claims import Claim
from claimcore.coverage import Coverage, Payer
from claimcore.encounters import Encounter
from claimcore.ledger import Ledger, Transfer
from claimcore.money import Money, Rate
from claimcore.patients import Patient
from claimcore.remittance import ClaimPayment, Remittance

ROOT: Final = Path(__file__).resolve().parents[2]
SNAPSHOT: Final = Path(__file__).with_name("stability_snapshot.json")
CHANGELOG: Final = ROOT / "CHANGELOG.md"

#: The types whose wire document is held: the values a billing system stores.
WIRE_TYPES: Final[tuple[type, ...]] = (
    Money, Rate, Patient, Payer, Coverage, Encounter, Charge, Claim, ClaimPayment,
    Remittance, Transfer, Ledger,
)


def _public_modules() -> Iterator[str]:
    yield "claimcore"
    for info in pkgutil.walk_packages(claimcore.__path__, "claimcore."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            yield info.name


def public_names() -> dict[str, list[str]]:
    """Every public module's ``__all__``, sorted."""
    names: dict[str, list[str]] = {}
    for module_name in _public_modules():
        module = importlib.import_module(module_name)
        exported = getattr(module, "__all__", None)
        if exported is not None:
            names[module_name] = sorted(exported)
    return names


def _minimal(cls: type) -> Any:
    # Hypothesis tries the simplest value of a strategy first (every choice at its
    # smallest), so the first example, with no randomness, is a stable document.
    return find(st.from_type(cls), lambda _: True,
                settings=settings(database=None, suppress_health_check=list(HealthCheck),
                                  derandomize=True, phases=[Phase.generate],
                                  max_examples=1))


def wire_documents() -> dict[str, Any]:
    """One wire document per held type: its minimal value as :func:`serialization.dumps`
    writes it."""
    return {cls.__name__: json.loads(serialization.dumps(_minimal(cls))) for cls in WIRE_TYPES}


def _snapshot() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    return data


def _in_changelog(name: str) -> bool:
    return f"`{name}`" in CHANGELOG.read_text(encoding="utf-8")


def test_no_public_name_disappears_without_a_changelog_line() -> None:
    current = public_names()
    gone = [f"{module}.{name}" for module, names in _snapshot()["names"].items()
            for name in names if name not in current.get(module, [])]
    unexplained = [q for q in gone if not (_in_changelog(q) or _in_changelog(q.rsplit(".", 1)[1]))]
    assert unexplained == [], "public names removed with no CHANGELOG line naming them"


def test_no_wire_document_changes_without_a_changelog_line() -> None:
    held = _snapshot()["wire"]
    current = wire_documents()
    changed = [name for name, doc in held.items() if current.get(name) != doc]
    assert [n for n in changed if not _in_changelog(n)] == [], (
        "wire documents changed with no CHANGELOG line naming the type"
    )


def test_snapshot_is_current() -> None:
    """Additions too: the snapshot is the reviewed list of what is public."""
    held = _snapshot()
    assert held["names"] == public_names(), "run: python -m tests.unit.test_stability --update"
    assert held["wire"] == wire_documents(), "run: python -m tests.unit.test_stability --update"
    assert held["schema"] == serialization.SCHEMA


def test_snapshot_covers_the_package_face() -> None:
    assert "Money" in _snapshot()["names"]["claimcore"]
    assert set(_snapshot()["wire"]) == {cls.__name__ for cls in WIRE_TYPES}


def main(argv: list[str]) -> int:
    if argv != ["--update"]:
        sys.stderr.write("usage: python -m tests.unit.test_stability --update\n")
        return 2
    data = {"schema": serialization.SCHEMA, "names": public_names(), "wire": wire_documents()}
    SNAPSHOT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote {SNAPSHOT.relative_to(ROOT)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
