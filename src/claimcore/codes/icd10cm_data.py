"""The full ICD-10-CM code set, from the optional ``icd10cm`` extra.

This module is the only place in claimcore that loads ICD-10-CM data. It adapts the
``simple-icd-10-cm`` package (MIT licence; it ships the CDC/CMS FY2026 ICD-10-CM tabular
list and code list with the 1 April 2026 update, which are US government works in the
public domain) into a :class:`~claimcore.codes.CodeSet`: about 98,000 categories and
subcategories, of which about 74,700 are billable (leaf) codes, each with its
description.

Install with ``pip install 'claimcore[icd10cm]'``. The package parses its XML when it is
first imported (about 4 seconds), so claimcore imports it only inside
:func:`load_icd10cm`; call that once and keep the code set. Without the extra, every
format check still works and callers pass their own ``CodeSet``.

The package holds one release and no per-code dates, so every code is given the same
effective period: from ``start`` (by default 1 October 2025, the start of FY2026) to
``end`` (open by default). Codes first added on 1 April 2026 are therefore treated as in
force from ``start``; build a dated ``CodeSet`` from the CMS addenda where that matters.
The code set says so itself: its :attr:`~claimcore.codes.CodeSet.covers` is that period,
and a date outside it is ``not_covered`` ("covers from 2025-10-01 only: it cannot say
whether E11.9 was in force on 2025-09-30"), never "not yet in force" for a code that
existed then. Earlier years' tables are not shipped: earlier releases of the package
(1.0 to 1.4) hold earlier years, but one environment installs one release, and a copy of
each year would add megabytes to claimcore. For an earlier date of service, build that
year's ``CodeSet`` (``CodeSet.from_rows`` over the CMS code list) and check with it.
The package knows no sex or age limits (those are in the CMS Medicare Code Editor).
"""

from __future__ import annotations

import importlib
import re
from datetime import date
from typing import Any, Final

from claimcore._validate import a_date, optional_date
from claimcore.codes.codeset import CodeEntry, CodeSet, CodeSystem
from claimcore.codes.icd10 import ICD10CM
from claimcore.codes.icd10_tabular import (
    NoteKind,
    SeventhCharacterRule,
    TabularInstructions,
    TabularNote,
)
from claimcore.errors import CodeSetError, ValidationError
from claimcore.periods import Period

__all__ = ["FY2026_START", "load_icd10cm", "load_icd10cm_tabular"]

FY2026_START: Final = date(2025, 10, 1)
"""The first day of ICD-10-CM fiscal year 2026."""

_PACKAGE: Final = "simple_icd_10_cm"
_DISTRIBUTION: Final = "simple-icd-10-cm"


def _version() -> str:
    # importlib.metadata pulls in email, zipfile and csv (a third of `import
    # claimcore.claims`), so it loads when a code set is built, not on import.
    from importlib import metadata

    return metadata.version(_DISTRIBUTION)


def _import_package() -> Any:
    try:
        return importlib.import_module(_PACKAGE)
    except ImportError:
        raise CodeSetError(
            "the full ICD-10-CM code set needs the optional extra: "
            "pip install 'claimcore[icd10cm]' (or pass your own CodeSet)"
        ) from None


def _clean(value: object) -> str:
    """One line of at most 500 characters (the XML's texts may wrap or carry tabs)."""
    return " ".join(str(value).split())[:500]


def load_icd10cm(
    *,
    start: date = FY2026_START,
    end: date | None = None,
    descriptions: bool = True,
) -> CodeSet:
    """The full ICD-10-CM code set (categories and subcategories, billable or not).

    ``start``/``end`` give every entry its effective period; each entry has its
    description and its inclusion terms (``terms``), which ``descriptions=False`` leaves
    out (saving memory). Raises :class:`~claimcore.errors.CodeSetError` when
    the ``icd10cm`` extra is not installed.
    """
    a_date(start, "$.start")
    optional_date(end, "$.end")
    effective = Period(start, end)
    icd = _import_package()
    entries: list[CodeEntry] = []
    seen: set[str] = set()
    for raw in icd.get_all_codes(with_dots=False):
        if raw in seen or not icd.is_category_or_subcategory(raw):
            continue  # chapters ("1") and blocks ("A00-A09") are not codes; QA0 is listed twice
        seen.add(raw)
        try:
            code = ICD10CM(raw).code
        except ValidationError:  # pragma: no cover - every FY2026 code is well formed
            raise CodeSetError(
                f"the {_DISTRIBUTION} package holds a code that is not ICD-10-CM: {raw!r}"
            ) from None
        entries.append(
            CodeEntry(
                code=code,
                effective=effective,
                billable=bool(icd.is_leaf(raw)),
                description=_clean(icd.get_description(raw)) if descriptions else None,
                terms=tuple(_clean(t) for t in icd.get_inclusion_term(raw)) if descriptions
                else (),
            )
        )
    return CodeSet(
        name="ICD-10-CM",
        system=CodeSystem.ICD10CM,
        version=f"{_DISTRIBUTION} {_version()}",
        entries=entries,
        covers=effective,
    )


_UNSPECIFIED: Final = re.compile(r"\bunspecified\b", re.IGNORECASE)


def _scope(icd: Any, name: str) -> str | None:
    """A code or block as a scope (``E11.9``, ``E08-E13``); a chapter as its blocks' span."""
    if icd.is_chapter(name):
        blocks = list(icd.get_children(name))
        if not blocks:  # pragma: no cover - every chapter has blocks
            return None
        first, last = _scope(icd, blocks[0]), _scope(icd, blocks[-1])
        if first is None or last is None:  # pragma: no cover
            return None
        return f"{first.partition('-')[0]}-{last.rpartition('-')[2]}"
    return str(name)


def load_icd10cm_tabular() -> TabularInstructions:
    """The FY2026 tabular's instructions: Excludes1, code first, use additional code,
    7th characters, and the codes titled unspecified.

    Notes on chapters and blocks apply to their span (chapter 15 is ``O00-O9A``). Raises
    :class:`~claimcore.errors.CodeSetError` without the ``icd10cm`` extra.
    """
    icd = _import_package()
    notes: list[TabularNote] = []
    rules: list[SeventhCharacterRule] = []
    unspecified: set[str] = set()
    seen: set[str] = set()
    for name in icd.get_all_codes(with_dots=True):
        if name in seen:
            continue
        seen.add(name)
        scope = _scope(icd, name)
        if scope is None:  # pragma: no cover
            continue
        notes.extend(TabularNote.parse(scope, NoteKind.EXCLUDES1, _clean(line))
                     for line in icd.get_excludes1(name))
        for kind, text in ((NoteKind.CODE_FIRST, icd.get_code_first(name)),
                           (NoteKind.USE_ADDITIONAL_CODE, icd.get_use_additional_code(name))):
            if text:
                notes.append(TabularNote.parse(scope, kind, _clean(text)[:2000]))
        if not icd.is_category_or_subcategory(name):
            continue
        code = ICD10CM(name).code
        characters = icd.get_seven_chr_def(name)
        if characters:
            rules.append(SeventhCharacterRule(
                scope=code,
                characters={k: _clean(v) for k, v in characters.items()},
                note=_clean(icd.get_seven_chr_note(name))[:2000],
            ))
        if _UNSPECIFIED.search(str(icd.get_description(name))):
            unspecified.add(code)
    return TabularInstructions(
        name="ICD-10-CM tabular",
        version=f"{_DISTRIBUTION} {_version()}",
        notes=notes, seventh_characters=rules, unspecified=unspecified,
    )
