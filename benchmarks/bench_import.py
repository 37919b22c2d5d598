"""Import time of claimcore's packages against attrs + cattrs + dateutil, in subprocesses.

A plain script: ``python benchmarks/bench_import.py``. Each import runs in a fresh
interpreter (``python -c``), timed inside it with ``time.perf_counter`` around the import
statement only (interpreter start-up excluded); baseline and claimcore runs are
interleaved and the figure is the median of the ratios of seven repetitions. The goal:
``import claimcore.claims`` at most 2x the baseline.

Bytecode is cached as an installed package has it: the subprocesses write their ``.pyc``
files under a temporary ``PYTHONPYCACHEPREFIX`` (warmed once before timing), even when
the calling shell sets ``PYTHONDONTWRITEBYTECODE``; without that, every run compiles
claimcore's source again and measures the compiler, not the import.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile

BASELINE = "import attrs, cattrs, cattrs.gen, dateutil.relativedelta"
TARGETS = ("claimcore", "claimcore.claims", "claimcore.x12", "claimcore.fhir",
           "claimcore.serialization")
SNIPPET = ("import time; t = time.perf_counter(); {stmt}; "
           "print(time.perf_counter() - t)")


ENV = dict(os.environ)
ENV.pop("PYTHONDONTWRITEBYTECODE", None)


def timed(stmt: str) -> float:
    """Seconds taken by ``stmt`` in a new interpreter."""
    command = [sys.executable, "-c", SNIPPET.format(stmt=stmt)]
    run = subprocess.run(command, capture_output=True, text=True, check=True, env=ENV)  # noqa: S603
    out = run.stdout
    return float(out)


def main(repetitions: int = 7) -> None:
    with tempfile.TemporaryDirectory() as cache:
        ENV["PYTHONPYCACHEPREFIX"] = cache
        for stmt in (BASELINE, *(f"import {t}" for t in TARGETS)):
            timed(stmt)  # writes the bytecode once
        measure(repetitions)


def measure(repetitions: int) -> None:
    ratios: dict[str, list[float]] = {t: [] for t in TARGETS}
    base_times: list[float] = []
    times: dict[str, list[float]] = {t: [] for t in TARGETS}
    for _ in range(repetitions):
        for target in TARGETS:
            base = timed(BASELINE)
            took = timed(f"import {target}")
            base_times.append(base)
            times[target].append(took)
            ratios[target].append(took / base)
    print(f"import times (Python {sys.version.split()[0]}); baseline `{BASELINE}` "
          f"median {statistics.median(base_times) * 1e3:.1f} ms")
    print(f"{'import':<28} {'ms (median)':>12} {'ratio to baseline (median)':>28}")
    for target in TARGETS:
        print(f"{target:<28} {statistics.median(times[target]) * 1e3:>12.1f} "
              f"{statistics.median(ratios[target]):>27.2f}x")


if __name__ == "__main__":
    main()
