"""The docs site covers the code: every page is in the nav, every public module has a
reference page, every public class and function has a docstring (mkdocs builds the
reference from them; scripts/check.py builds the site with ``--strict``)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path
from typing import Final

import claimcore

ROOT: Final = Path(__file__).resolve().parents[2]
DOCS: Final = ROOT / "docs"
MKDOCS: Final = ROOT / "mkdocs.yml"


def _nav_pages() -> set[str]:
    return set(re.findall(r"([\w/.-]+\.md)\s*$", MKDOCS.read_text(encoding="utf-8"), re.M))


def _top_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(claimcore.__path__)
                  if not m.name.startswith("_"))


def test_every_page_is_in_the_nav() -> None:
    pages = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")}
    assert sorted(pages - _nav_pages()) == []
    assert sorted(_nav_pages() - pages) == []


def test_every_public_module_has_a_reference_page() -> None:
    for name in _top_modules():
        page = DOCS / "reference" / f"{name}.md"
        assert page.exists(), f"docs/reference/{name}.md is missing"
        assert f"::: claimcore.{name}" in page.read_text(encoding="utf-8")


def test_every_public_class_and_function_has_a_docstring() -> None:
    missing: list[str] = []
    for module_name in ["claimcore", *(f"claimcore.{m}" for m in _top_modules())]:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            value = getattr(module, name)
            if (inspect.isclass(value) or inspect.isfunction(value)) and not (
                    value.__doc__ or "").strip():
                missing.append(f"{module_name}.{name}")
    assert missing == []
