"""Benchmark: the batch pipeline of examples/batch_dask.py on 1 and 2 Dask workers
against the serial loop, on the same files.

Run ``python benchmarks/bench_dask.py [PATIENTS] [REPEATS]`` (defaults 600 and 3; needs
``claimcore[dask]``). It writes the example's population once, then times, each
``REPEATS`` times after one warm-up, and prints the median:

* ``serial``: the example's single-machine loop (read every file, post into one ledger);
* ``in-process, 4 partitions``: the distributed algorithm without a cluster (the same
  split, each partition posted one after the other in this process), which separates
  what partitioning itself changes from what parallel workers add;
* ``dask, 1 worker`` and ``dask, 2 workers``: a ``LocalCluster`` of single-threaded
  worker processes (started before timing), two patient partitions per worker.

For each it prints wall seconds, claims per second, the ratio to serial and the CPU
seconds spent (this process plus the workers'), and the load average of the machine,
since on a shared 2-core machine the ratio depends on what else runs. Every run's totals
are checked against the serial ones (exit status 1 if any differ).
"""

from __future__ import annotations

import importlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _example() -> Any:
    sys.path.insert(0, str(EXAMPLES))
    return importlib.import_module("batch_dask")


def _worker_cpu() -> float:
    return time.process_time()


def measure(run: Callable[[], Any], repeats: int, client: Any | None = None,
            ) -> tuple[float, float, Any]:
    """Median wall seconds and median CPU seconds of ``run`` (after one warm-up)."""
    result = run()
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(repeats):
        before = sum(client.run(_worker_cpu).values()) if client is not None else 0.0
        cpu = time.process_time()
        wall = time.perf_counter()
        result = run()
        walls.append(time.perf_counter() - wall)
        after = sum(client.run(_worker_cpu).values()) if client is not None else 0.0
        cpus.append(time.process_time() - cpu + after - before)
    return statistics.median(walls), statistics.median(cpus), result


def main(argv: list[str]) -> int:
    patients = int(argv[1]) if len(argv) > 1 else 600
    repeats = int(argv[2]) if len(argv) > 2 else 3
    example = _example()
    with tempfile.TemporaryDirectory() as scratch:
        files = example.write_population(Path(scratch), patients)
        serial_wall, serial_cpu, one = measure(lambda: example.serial(files), repeats)
        claims = len(one.claims)
        index = example.load_index(files.patients)

        def in_process() -> Any:
            claims_, advices = ([c for n, p in enumerate(files.claims)
                                 for c in example.read_claims((n, str(p)), index)],
                                [a for n, p in enumerate(files.remittances)
                                 for a in example.read_advices((n, str(p)))])
            return example.partitioned(
                claims_, advices,
                lambda c: example.partition_of(c.patient.mrn.unmasked, 4), 4)

        rows: list[tuple[str, float, float, Any]] = [
            ("serial", serial_wall, serial_cpu, one)]
        wall, cpu, result = measure(in_process, repeats)
        rows.append(("in-process, 4 partitions", wall, cpu, result))
        for workers in (1, 2):
            def on_cluster(partitions: int = 2 * workers) -> Any:
                return example.distributed(files, partitions)

            with example.cluster(workers) as local, example.client(local) as client:
                wall, cpu, result = measure(on_cluster, repeats, client)
            rows.append((f"dask, {workers} worker{'s' if workers > 1 else ''}", wall, cpu,
                         result))
    load = os.getloadavg()[0]
    print(f"{patients} patients, {claims} claims, {len(files.claims)} 837 and "
          f"{len(files.remittances)} 835 files; median of {repeats}; "
          f"load average {load:.1f} on {os.cpu_count()} cores")
    print(f"{'run':<26} {'wall s':>8} {'claims/s':>9} {'x serial':>9} {'CPU s':>7}")
    same = True
    for name, wall, cpu, result in rows:
        agree = example.report(result) == example.report(one) and result.figures == one.figures
        same = same and agree
        print(f"{name:<26} {wall:>8.2f} {claims / wall:>9.0f} {serial_wall / wall:>9.2f} "
              f"{cpu:>7.2f}{'' if agree else '  TOTALS DIFFER'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
