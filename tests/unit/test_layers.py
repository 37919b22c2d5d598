"""The layer rule: no module of claimcore imports one above it.

The order below is the one docs/architecture.md draws, bottom first. A module may import
only modules that come before it in this list (and its own submodules). Imports inside
functions and under ``TYPE_CHECKING`` count too: a lazy import upward is still a cycle in
the design. The package face (``claimcore/__init__.py``) and the Hypothesis entry point
sit above everything.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import claimcore

SRC = Path(claimcore.__file__).parent

#: Bottom first; the same list, in the same order, as the table in docs/architecture.md.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("foundation", ("errors", "_validate", "_lazy", "_pickling", "money", "ids", "periods",
                    "codes", "findings")),
    ("front", ("patients", "providers", "coverage", "eligibility", "encounters")),
    ("coding and claims", ("coding", "charges", "adjustments", "claims", "remittance")),
    ("money", ("ledger", "denials", "posting", "statements", "cycle", "adjudication",
               "metrics")),
    ("interchange", ("_compiled", "_codec", "serialization", "x12", "fhir", "tabular", "strategies",
                     "_hypothesis_plugin")),
)
ORDER: tuple[str, ...] = tuple(m for _, modules in LAYERS for m in modules)
FACE = "__init__"


def _top(module: str) -> str:
    """The top-level module of claimcore that ``module`` belongs to."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else FACE


def _imports(tree: ast.AST) -> Iterable[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.startswith("claimcore."):
                yield node.lineno, node.module
            elif node.module == "claimcore":
                yield from ((node.lineno, f"claimcore.{a.name}") for a in node.names)
        elif isinstance(node, ast.Import):
            yield from ((node.lineno, a.name) for a in node.names
                        if a.name.startswith("claimcore."))


def layer_violations(sources: Mapping[str, str]) -> list[str]:
    """Every upward (or unplaced) import in ``sources``: dotted module name -> its text."""
    rank = {name: i for i, name in enumerate(ORDER)}
    found: list[str] = []
    for module, text in sorted(sources.items()):
        me = _top(module)
        if me == FACE:
            continue
        if me not in rank:
            found.append(f"{module}: not in LAYERS (place it in the test and the docs)")
            continue
        for line, imported in _imports(ast.parse(text, filename=module)):
            other = _top(imported)
            if other == me:
                continue
            if other == FACE or rank.get(other, len(ORDER)) > rank[me]:
                found.append(f"{module}:{line} imports {imported}, which is above it")
    return found


def _sources() -> dict[str, str]:
    sources: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        sources[".".join(parts)] = path.read_text()
    return sources


def test_no_module_imports_one_above_it() -> None:
    """Each module of src/claimcore imports only modules below it in the layer order."""
    assert layer_violations(_sources()) == []


def test_every_module_has_a_layer() -> None:
    """Every top-level module or package of claimcore is placed in the layer order."""
    tops = {_top(name) for name in _sources()} - {FACE}
    assert tops == set(ORDER)


def test_the_layer_check_can_fail() -> None:
    """An upward import, an import of the face, and an unplaced module are all caught."""
    found = layer_violations({
        "claimcore.money": "from claimcore.ledger import Ledger\n",
        "claimcore.ids": "def f():\n    from claimcore import Claim\n",
        "claimcore.codes.icd10": "import claimcore.claims\n",
        "claimcore.newthing": "x = 1\n",
        "claimcore.posting._x": "from claimcore.ledger import Ledger\n",  # downward: fine
    })
    assert found == [
        "claimcore.codes.icd10:1 imports claimcore.claims, which is above it",
        "claimcore.ids:2 imports claimcore.Claim, which is above it",
        "claimcore.money:1 imports claimcore.ledger, which is above it",
        "claimcore.newthing: not in LAYERS (place it in the test and the docs)",
    ]
