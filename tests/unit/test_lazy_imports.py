"""The lazy package faces (PEP 562): every public name still resolves, to the defining
module's own object, and importing a face does not load what it defers."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from typing import Final

import pytest

#: Each lazy face, and submodules that ``import <face>`` must not load (so that a new
#: eager import in the face, or in the modules it does load, fails here).
DEFERRED: Final[dict[str, tuple[str, ...]]] = {
    "claimcore.claims": (
        "claimcore.claims._ack999",
        "claimcore.claims.acknowledgement",
        "claimcore.claims.build",
        "claimcore.claims.edits",
        "claimcore.claims.lifecycle",
        "claimcore.charges",
        "claimcore.coding",
        "claimcore.encounters",
        "claimcore.coverage._benefits",
        "claimcore.coverage._order",
        # A claim holds codes, not code sets: these load only when a scrub or a caller
        # uses them (the remittance codes do load, for the Adjustment a claim holds).
        "claimcore.codes._search",
        "claimcore.codes.claim_status",
        "claimcore.codes.codeset",
        "claimcore.codes.em",
        "claimcore.codes.icd10_tabular",
        "claimcore.codes.icd10cm_data",
    ),
    "claimcore.codes": (
        "claimcore.codes._search",
        "claimcore.codes.claim_status",
        "claimcore.codes.codeset",
        "claimcore.codes.em",
        "claimcore.codes.icd10_tabular",
        "claimcore.codes.icd10cm_data",
        "claimcore.codes.remittance_codes",
        "claimcore.codes.remittance_code_data",
    ),
    "claimcore.coverage": (
        "claimcore.coverage._benefits",
        "claimcore.coverage._order",
    ),
    "claimcore.x12": (
        "claimcore.claims",
        "claimcore.x12._tokens",
        "claimcore.x12._envelope",
        "claimcore.x12._835_read",
        "claimcore.x12._837_read",
        "claimcore.x12._999",
    ),
    "claimcore.fhir": (
        "claimcore.claims",
        "claimcore.ledger",
        "claimcore.fhir._claim",
        "claimcore.fhir._eob",
        "claimcore.fhir._account",
    ),
}

FACES: Final = sorted(DEFERRED)


@pytest.mark.parametrize("face", FACES)
def test_every_public_name_resolves(face: str) -> None:
    module = importlib.import_module(face)
    assert [name for name in module.__all__ if not hasattr(module, name)] == []


@pytest.mark.parametrize("face", FACES)
def test_from_import_gives_the_defining_modules_object(face: str) -> None:
    module = importlib.import_module(face)
    for name in module.__all__:
        value = getattr(module, name)
        namespace: dict[str, object] = {}
        exec(f"from {face} import {name}", namespace)  # noqa: S102  (a literal import)
        assert namespace[name] is value
        home = getattr(value, "__module__", None)
        if isinstance(home, str) and home.startswith("claimcore.") and hasattr(value, "__name__"):
            # The face re-exports; it never wraps or copies.
            assert getattr(sys.modules[home], value.__name__) is value, f"{face}.{name}"


@pytest.mark.parametrize("face", FACES)
def test_dir_lists_every_public_name(face: str) -> None:
    module = importlib.import_module(face)
    assert set(module.__all__) <= set(dir(module))


@pytest.mark.parametrize("face", FACES)
def test_an_unknown_name_raises_attribute_error_naming_the_module(face: str) -> None:
    module = importlib.import_module(face)
    missing = "no_such_name"
    with pytest.raises(AttributeError, match=f"module '{face}' has no attribute '{missing}'"):
        getattr(module, missing)
    with pytest.raises(ImportError, match=missing):
        exec(f"from {face} import {missing}", {})  # noqa: S102  (a literal import)


def _loaded_after(statement: str) -> set[str]:
    code = f"import json, sys; {statement}; print(json.dumps(sorted(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,  # noqa: S603
                         check=True)
    return set(json.loads(run.stdout))


@pytest.mark.parametrize("face", FACES)
def test_importing_a_face_does_not_load_what_it_defers(face: str) -> None:
    loaded = _loaded_after(f"import {face}")
    assert face in loaded
    assert sorted(loaded & set(DEFERRED[face])) == []


def test_the_claim_values_load_with_claims() -> None:
    """What is deferred is what a claim value does not need: a Claim works at once."""
    loaded = _loaded_after(
        "import claimcore.claims as c; c.Claim; c.ClaimLine; c.ClaimStatus; c.OtherPayer")
    assert "claimcore.claims._claim" in loaded
    assert "claimcore.claims.edits" not in loaded


def test_a_lazy_name_loads_its_module_on_first_use() -> None:
    loaded = _loaded_after("from claimcore.claims import scrub")
    assert "claimcore.claims.edits" in loaded
    assert "claimcore.claims._ack999" not in loaded


def test_the_public_claims_submodules_are_attributes_of_the_package() -> None:
    """``claimcore.claims.edits`` and its siblings, which the package used to load, still
    resolve as attributes after a bare ``import claimcore.claims``."""
    code = ("import claimcore.claims as c; "
            "print(c.edits.scrub is c.scrub, c.lifecycle.submit is c.submit, "
            "c.build.build_claim is c.build_claim, "
            "c.acknowledgement.apply_277ca is c.apply_277ca, 'edits' in dir(c))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,  # noqa: S603
                         check=True)
    assert run.stdout.split() == ["True"] * 5


def test_the_deferred_codes_submodules_are_attributes_of_the_package() -> None:
    """``claimcore.codes.codeset`` and its siblings, which the package used to load, still
    resolve as attributes after a bare ``import claimcore.codes``."""
    code = ("import claimcore.codes as c; "
            "print(c.codeset.CodeSet is c.CodeSet, c.em.em_level is c.em_level, "
            "c.remittance_codes.CARC is c.CARC, c.icd10_tabular.TabularNote is c.TabularNote, "
            "c.claim_status.category_family is c.category_family, 'codeset' in dir(c))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,  # noqa: S603
                         check=True)
    assert run.stdout.split() == ["True"] * 6


def test_a_lazy_codes_name_loads_only_its_module() -> None:
    loaded = _loaded_after("from claimcore.codes import em_level")
    assert "claimcore.codes.em" in loaded
    assert "claimcore.codes.codeset" not in loaded
