"""Rewrite the ``nav`` of mkdocs.yml from docs/: the guide pages in the order of the cycle,
then the reference page of every public module. ``tests/unit/test_docs_site.py`` fails
when a page is missing from the nav; run ``python scripts/docs_nav.py`` to fix it."""

from __future__ import annotations

import pkgutil
from pathlib import Path

import claimcore

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

#: The guide, in the order of the revenue cycle; other pages follow alphabetically.
ORDER = (
    "patients", "ids", "providers", "coverage", "eligibility", "encounters", "codes", "coding",
    "charges", "claims", "edits", "findings", "remittance", "posting", "ledger", "statements",
    "cycle", "adjudication", "metrics", "x12", "fhir", "mapping", "tabular", "cli",
    "serialization", "persistence", "distributed", "strategies", "money", "periods",
    "errors", "performance", "testing", "stability", "changelog",
)


def _title(page: Path) -> str:
    first = page.read_text(encoding="utf-8").splitlines()[0] if page.stat().st_size else ""
    title = first.lstrip("# ").strip() if first.startswith("#") else page.stem.capitalize()
    return title.replace("'", "''")


def nav() -> str:
    pages = [p.stem for p in DOCS.glob("*.md") if p.stem not in ("index", "architecture")]
    guide = [p for p in ORDER if p in pages] + sorted(set(pages) - set(ORDER))
    lines = ["nav:", "  - Home: index.md", "  - Architecture: architecture.md", "  - Guide:"]
    lines += [f"      - '{_title(DOCS / f'{p}.md')}': {p}.md" for p in guide]
    lines += ["  - API reference:", "      - reference/index.md"]
    modules = sorted(m.name for m in pkgutil.iter_modules(claimcore.__path__)
                     if not m.name.startswith("_"))
    lines += [f"      - claimcore.{m}: reference/{m}.md" for m in modules]
    return "\n".join(lines) + "\n"


def main() -> None:
    for module in (m.name for m in pkgutil.iter_modules(claimcore.__path__)
                   if not m.name.startswith("_")):
        page = DOCS / "reference" / f"{module}.md"
        if not page.exists():
            page.write_text(f"# `claimcore.{module}`\n\n::: claimcore.{module}\n",
                            encoding="utf-8")
    config = ROOT / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    head = text[: text.index("nav:")] if "nav:" in text else text
    config.write_text(head + nav(), encoding="utf-8")


if __name__ == "__main__":
    main()
