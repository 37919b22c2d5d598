"""Benchmark: CodeSet lookups and memory with the full ICD-10-CM set, against a plain dict.

Run ``python benchmarks/bench_codeset.py``. It reads the FY2026 ICD-10-CM list (98,505
rows, about 98,200 distinct codes) from ``../shared/fixtures/codesets/icd10cm/`` (or the
path given as the first argument), builds a :class:`~claimcore.codes.CodeSet` with
:meth:`~claimcore.codes.CodeSet.from_rows`, and prints a table: lookups per second and
memory (``tracemalloc``) for the code set beside a plain ``dict`` from code to billable
flag, the floor, with the ratio.

With the ``icd10cm`` extra installed it then times :meth:`~claimcore.codes.CodeSet.search`
over the full table with descriptions and inclusion terms (from
:func:`~claimcore.codes.icd10cm_data.load_icd10cm`): the one-time word index, and each of
a set of clinical queries (best of several runs) against the 10 ms a query may take, and
against a plain scan of the descriptions for the same words (the floor without an index).
"""

from __future__ import annotations

import csv
import gc
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path

from claimcore.codes import ICD10CM, CodeSet, CodeSystem, words

DEFAULT = (
    Path(__file__).resolve().parents[2]
    / "shared" / "fixtures" / "codesets" / "icd10cm"
    / "icd10cm_fy2026_april_codes_with_leaf_flag.csv"
)
ON = date(2026, 2, 10)
LOOKUPS = 200_000
QUERIES = (
    "type 2 diabetes without complications", "htn", "chf", "copd", "uti", "dm2",
    "fracture of neck of right femur", "ckd stage 3", "headache", "low back pain",
    "acute upper respiratory infection", "unspecified",
)
SEARCH_BUDGET_MS = 10.0


def best_ms(fn: Callable[[], object], runs: int = 7) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def bench_search() -> None:
    """Search over the full ICD-10-CM table (skipped without the icd10cm extra)."""
    try:
        from claimcore.codes.icd10cm_data import load_icd10cm

        icd = load_icd10cm()
    except Exception as err:  # the extra is optional
        print(f"search: skipped ({err})")
        return
    start = time.perf_counter()
    icd.search("warm up", on=ON)
    index_seconds = time.perf_counter() - start
    texts = [(e, " ".join((e.description or "", *e.terms)).lower()) for e in icd.entries]

    def scan(query: str) -> None:
        # the floor without an index: stem every text for the query's words
        wanted = set(words(query))
        sum(1 for _, t in texts[:10_000] if wanted & set(words(t)))

    print()
    print(f"search: {len(icd):,} codes with descriptions and inclusion terms; word index "
          f"built on the first search in {index_seconds:.2f} s")
    print(f"{'query':<40} {'ms':>8} {'budget':>8} {'scan of 10k texts ms':>22}  first hit")
    worst = 0.0
    for query in QUERIES:
        ms = best_ms(lambda q=query: icd.search(q, on=ON))  # type: ignore[misc]
        worst = max(worst, ms)
        first = icd.search(query, on=ON, limit=1)
        scan_ms = best_ms(lambda q=query: scan(q), runs=1)  # type: ignore[misc]
        print(f"{query:<40} {ms:>8.2f} {SEARCH_BUDGET_MS:>8.1f} {scan_ms:>22.1f}  "
              f"{first[0].code if first else '-'}")
    print(f"slowest query {worst:.2f} ms: "
          f"{'within' if worst <= SEARCH_BUDGET_MS else 'OVER'} the {SEARCH_BUDGET_MS:.0f} ms "
          "budget")


def read_rows(path: Path) -> list[dict[str, object]]:
    """Distinct codes (categories and subcategories) as CodeSet rows."""
    rows: dict[str, dict[str, object]] = {}
    with path.open() as f:
        for r in csv.DictReader(f):
            if r["kind"] in ("chapter", "block") or r["code_nodot"] in rows:
                continue
            rows[r["code_nodot"]] = {
                "code": r["code_nodot"], "start": "2025-10-01",
                "billable": r["is_leaf_billable_derived"],
            }
    return list(rows.values())


def measure_memory(build: Callable[[], object]) -> tuple[object, int]:
    """The built object and the bytes still allocated for it."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    built = build()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return built, after - before


def per_second(fn: Callable[[], None], count: int) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return count / best


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    rows = read_rows(path)

    start = time.perf_counter()
    CodeSet.from_rows(rows, name="ICD-10-CM", system=CodeSystem.ICD10CM, version="FY2026")
    build_seconds = time.perf_counter() - start
    code_set, set_bytes = measure_memory(
        lambda: CodeSet.from_rows(rows, name="ICD-10-CM", system=CodeSystem.ICD10CM,
                                  version="FY2026 April")
    )
    assert isinstance(code_set, CodeSet)
    floor, dict_bytes = measure_memory(
        lambda: {str(r["code"]): r["billable"] == "True" for r in rows}
    )
    assert isinstance(floor, dict)

    rng = random.Random(2026)
    keys = [str(r["code"]) for r in rng.choices(rows, k=LOOKUPS)]
    typed = [ICD10CM(k) for k in keys]

    def dict_lookups() -> None:
        get = floor.get
        for k in keys:
            get(k)

    def set_lookups_typed() -> None:
        lookup = code_set.lookup
        for c in typed:
            lookup(c, on=ON)

    def set_lookups_text() -> None:
        lookup = code_set.lookup
        for k in keys:
            lookup(k, on=ON)

    def set_is_valid() -> None:
        is_valid = code_set.is_valid
        for c in typed:
            is_valid(c, on=ON)

    floor_rate = per_second(dict_lookups, LOOKUPS)
    results = [
        ("dict.get (floor)", floor_rate),
        ("CodeSet.lookup(ICD10CM)", per_second(set_lookups_typed, LOOKUPS)),
        ("CodeSet.is_valid(ICD10CM)", per_second(set_is_valid, LOOKUPS)),
        ("CodeSet.lookup(str)", per_second(set_lookups_text, LOOKUPS)),
    ]

    print(f"ICD-10-CM: {len(code_set):,} codes, "
          f"{sum(e.billable for e in code_set.entries):,} billable; "
          f"CodeSet.from_rows took {build_seconds:.2f} s")
    print()
    print(f"{'operation':<28} {'lookups/s':>14} {'x slower than dict':>20}")
    for name, rate in results:
        print(f"{name:<28} {rate:>14,.0f} {floor_rate / rate:>20.1f}")
    print()
    print(f"{'memory':<28} {'MiB':>14} {'x the dict':>20}")
    print(f"{'dict code -> billable':<28} {dict_bytes / 2**20:>14.1f} {1.0:>20.1f}")
    print(f"{'CodeSet':<28} {set_bytes / 2**20:>14.1f} {set_bytes / dict_bytes:>20.1f}")
    bench_search()


if __name__ == "__main__":
    main()
