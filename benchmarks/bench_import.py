"""Import time of claimcore's packages against attrs + cattrs + dateutil, in subprocesses.

A plain script: ``python benchmarks/bench_import.py``. Each import runs in a fresh
interpreter (``python -c``), timed inside it with ``time.perf_counter`` around the import
statement only (interpreter start-up excluded); baseline and claimcore runs are
interleaved and the figure is the median of the ratios of seven repetitions. The goal:
``import claimcore.claims`` at most 2x the baseline.

The package faces of ``claims``, ``x12``, ``fhir`` and ``coverage`` are lazy (PEP 562):
they load a submodule when one of its names is first used. Deferring moves the cost, it
does not remove it, so the ``*`` rows (``from claimcore.claims import *``: every name of
the face) show what a program that uses all of a face pays in the end.

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
#: (label, statement): the bare imports, and each lazy face with every name loaded.
TARGETS = (
    ("claimcore", "import claimcore"),
    ("claimcore.claims", "import claimcore.claims"),
    ("claimcore.claims *", "from claimcore.claims import *"),
    ("claimcore.x12", "import claimcore.x12"),
    ("claimcore.x12 *", "from claimcore.x12 import *"),
    ("claimcore.fhir", "import claimcore.fhir"),
    ("claimcore.fhir *", "from claimcore.fhir import *"),
    ("claimcore.serialization", "import claimcore.serialization"),
)
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
        for stmt in (BASELINE, *(stmt for _, stmt in TARGETS)):
            timed(stmt)  # writes the bytecode once
        measure(repetitions)


def measure(repetitions: int) -> None:
    ratios: dict[str, list[float]] = {label: [] for label, _ in TARGETS}
    base_times: list[float] = []
    times: dict[str, list[float]] = {label: [] for label, _ in TARGETS}
    for _ in range(repetitions):
        for label, stmt in TARGETS:
            base = timed(BASELINE)
            took = timed(stmt)
            base_times.append(base)
            times[label].append(took)
            ratios[label].append(took / base)
    print(f"import times (Python {sys.version.split()[0]}); baseline `{BASELINE}` "
          f"median {statistics.median(base_times) * 1e3:.1f} ms")
    print(f"{'import':<28} {'ms (median)':>12} {'ratio to baseline (median)':>28}")
    for target, _ in TARGETS:
        print(f"{target:<28} {statistics.median(times[target]) * 1e3:>12.1f} "
              f"{statistics.median(ratios[target]):>27.2f}x")


if __name__ == "__main__":
    main()
