"""Benchmark: CodeSet lookups and memory with the full ICD-10-CM set, against a plain dict.

Run ``python benchmarks/bench_codeset.py``. It reads the FY2026 ICD-10-CM list (98,505
rows, about 98,200 distinct codes) from ``../shared/fixtures/codesets/icd10cm/`` (or the
path given as the first argument), builds a :class:`~claimcore.codes.CodeSet` with
:meth:`~claimcore.codes.CodeSet.from_rows`, and prints a table: lookups per second and
memory (``tracemalloc``) for the code set beside a plain ``dict`` from code to billable
flag, the floor, with the ratio.
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

from claimcore.codes import ICD10CM, CodeSet, CodeSystem

DEFAULT = (
    Path(__file__).resolve().parents[2]
    / "shared" / "fixtures" / "codesets" / "icd10cm"
    / "icd10cm_fy2026_april_codes_with_leaf_flag.csv"
)
ON = date(2026, 2, 10)
LOOKUPS = 200_000


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


if __name__ == "__main__":
    main()
