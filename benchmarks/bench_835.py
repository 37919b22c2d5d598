"""Claims per second reading one big 835, side by side: claimcore and its peers.

The file is pyx12's denied-claim example (tests/fixtures/x12/pyx12_835_mult_loops.txt,
three service lines per claim, CAS and LQ on each) with its claim replicated to
``--claims`` claims, so that every reader accepts it; its ``PER`` segment is dropped
because linuxforhealth-x12 0.57 refuses it. Readers:

* ``claimcore.x12.read_835``: every value built and every balance checked;
* ``edi-835-parser`` (when installed): ``parse(path)`` and its data frame;
* ``linuxforhealth-x12`` (when a Python with it and pydantic 1 is given by
  ``--lfh-python`` or ``$LFH_PYTHON``; it cannot share a venv with pydantic 2): its
  ``X12ModelReader`` in a subprocess, timed there;
* a plain ``split`` on ``~`` and ``*``: the floor, no values at all.

Times are CPU seconds of the reading process (``time.process_time``), best of
``--repeat``, so that other work on a shared machine does not skew the comparison.

Run: ``python benchmarks/bench_835.py [--claims 20000] [--repeat 3] [--lfh-python PY]``;
``--sizes 1000,2000,5000,10000,20000`` prints ``read_835``'s ratio to the split at each
size instead (medians of at least five interleaved runs).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from claimcore.x12 import read_835

FIXTURE = Path(__file__).parent.parent / "tests" / "fixtures" / "x12" / "pyx12_835_mult_loops.txt"

_LFH_CODE = """
import sys, time
from linuxforhealth.x12.io import X12ModelReader
start = time.process_time()
with X12ModelReader(sys.argv[1]) as reader:
    claims = sum(len(l2000.loop_2100) for m in reader.models() for l2000 in m.loop_2000)
print(claims, time.process_time() - start)
"""


def big_835(claims: int) -> str:
    """The fixture with its one claim replicated ``claims`` times and a correct SE count."""
    text = FIXTURE.read_text()
    segments = [s.strip() for s in text.split("~") if s.strip()]
    segments = [s for s in segments if not s.startswith("PER*")]
    clp = next(i for i, s in enumerate(segments) if s.startswith("CLP*"))
    se = next(i for i, s in enumerate(segments) if s.startswith("SE*"))
    st = next(i for i, s in enumerate(segments) if s.startswith("ST*"))
    claim = segments[clp:se]
    copies: list[str] = []
    for k in range(claims):
        first = claim[0].split("*")
        first[1] = f"C{k:07d}"  # a distinct patient control number per copy
        copies += ["*".join(first), *claim[1:]]
    body = segments[st:clp] + copies
    out = segments[:st] + body + [f"SE*{len(body) + 1}*0001"] + segments[se + 1:]
    return "~\n".join(out) + "~\n"


def best_of(repeat: int, run: Callable[[], int]) -> tuple[int, float]:
    best = float("inf")
    count = 0
    for _ in range(repeat):
        start = time.process_time()
        count = run()
        best = min(best, time.process_time() - start)
    return count, best


def plain_split(text: str) -> int:
    rows = [seg.split("*") for seg in text.split("~")]
    return sum(1 for row in rows if row[0].strip() == "CLP")


def ratios(sizes: list[int], repeat: int) -> None:
    """``read_835`` against the plain split at each size: medians of ``repeat``
    interleaved runs, CPU time per claim, and the ratio (the goal: at most 5x)."""
    print(f"{'claims':>8}{'read_835 us/claim':>20}{'split us/claim':>17}{'ratio':>8}"
          f"{'gc ms read':>12}{'gc ms split':>13}")
    for n in sizes:
        text = big_835(n)
        for _ in range(3):  # warm, both alike: lazily loaded tables, the heap's growth
            read_835(text)
            plain_split(text)
        ours: list[float] = []
        floor: list[float] = []
        gc_ours: list[float] = []
        gc_floor: list[float] = []
        for _ in range(repeat):
            runs: tuple[tuple[Callable[[str], object], list[float], list[float]], ...] = (
                (read_835, ours, gc_ours), (plain_split, floor, gc_floor))
            for run, times, gc_times in runs:
                # each run starts from the same collector state, so neither pays for the
                # other's garbage or inherits the other's collection schedule; the
                # collections a run triggers itself are counted in its time
                gc.collect()
                _GC_TIME[0] = 0.0
                start = time.process_time()
                run(text)
                times.append(time.process_time() - start)
                gc_times.append(_GC_TIME[0])
        r, f = statistics.median(ours), statistics.median(floor)
        print(f"{n:>8}{r * 1e6 / n:>20.1f}{f * 1e6 / n:>17.1f}{r / f:>8.2f}"
              f"{statistics.median(gc_ours) * 1e3:>12.1f}"
              f"{statistics.median(gc_floor) * 1e3:>13.1f}", flush=True)


_GC_TIME = [0.0]  # seconds spent in collections since the last reset
_GC_START = [0.0]


def _gc_timer(phase: str, info: dict[str, int]) -> None:
    if phase == "start":
        _GC_START[0] = time.perf_counter()
    else:
        _GC_TIME[0] += time.perf_counter() - _GC_START[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="",
                        help="comma-separated claim counts: print read_835 / split ratios")
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lfh-python", default=os.environ.get("LFH_PYTHON", ""),
                        help="a Python with linuxforhealth-x12 and pydantic<2 installed")
    args = parser.parse_args()
    if args.sizes:
        gc.callbacks.append(_gc_timer)
        ratios([int(n) for n in args.sizes.split(",")], max(args.repeat, 5))
        return
    text = big_835(args.claims)
    results: list[tuple[str, str, int, float]] = []
    best: float
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.835"
        path.write_text(text)

        def ours() -> int:
            return sum(len(r.claims) for r in read_835(text))

        results.append(("claimcore read_835", "values + 3 balances", *best_of(args.repeat, ours)))
        if importlib.util.find_spec("edi_835_parser") is not None:
            import edi_835_parser

            def edi() -> int:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    frame = edi_835_parser.parse(str(path)).to_dataframe()
                return int(frame["marker"].nunique()) if len(frame) else 0

            results.append(("edi-835-parser", "floats, no balance", *best_of(args.repeat, edi)))
        else:
            results.append(("edi-835-parser", "not installed", 0, 0.0))
        lfh = args.lfh_python
        if lfh:
            best = float("inf")
            count = 0
            for _ in range(args.repeat):
                out = subprocess.run(  # noqa: S603 - a Python the caller named
                    [lfh, "-c", _LFH_CODE, str(path)], capture_output=True, text=True,
                    check=True, timeout=600,
                )
                count_text, seconds_text = out.stdout.split()
                count, best = int(count_text), min(best, float(seconds_text))
            results.append(("linuxforhealth-x12", "pydantic 1 models", count, best))
        else:
            results.append(("linuxforhealth-x12", "no --lfh-python given", 0, 0.0))
        results.append(
            ("split on ~ and *", "no values", *best_of(args.repeat, lambda: plain_split(text)))
        )
    size = len(text) / 1e6
    print(f"835 of {size:.1f} MB, {args.claims} claims x 3 lines, best of {args.repeat}")
    print(f"{'reader':<22}{'what':<24}{'claims':>8}{'cpu s':>10}{'claims/s':>12}")
    for name, what, count, seconds in results:
        rate = f"{count / seconds:,.0f}" if seconds else "-"
        print(f"{name:<22}{what:<24}{count:>8}{seconds:>10.3f}{rate:>12}")
    if any(count not in (0, args.claims) for _, _, count, _ in results):
        print("warning: a reader counted another number of claims", file=sys.stderr)


if __name__ == "__main__":
    main()
