"""Pickle round trip of a 10-line claim: claimcore's compact reduction against attrs' own.

A plain script: ``python benchmarks/bench_pickle.py``. The baseline is the reduction the
classes had before (attrs' ``__getstate__`` / ``__setstate__`` for slotted classes, a dict
of field names per value), measured in the same process by switching the classes back to
``object.__reduce__`` for the baseline runs; the figure is the median ratio of five
interleaved repetitions.
"""

# ruff: noqa: S301  (the benchmark unpickles only the bytes it has just written)
from __future__ import annotations

import pickle
import statistics
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_claims import CHARGES, rate
from tests.unit.test_claims_support import BILLING, COVERAGE, DOCTOR, PATIENT

import claimcore
from claimcore.claims import ClaimKind, build_claim
from claimcore.ids import ClaimId
from claimcore.money import Money

REDUCE = Money.__dict__["__reduce__"]


def _reduced_classes() -> list[type]:
    found: dict[int, type] = {}
    for name, module in list(sys.modules.items()):
        if name.startswith("claimcore"):
            for obj in vars(module).values():
                if isinstance(obj, type) and obj.__dict__.get("__reduce__") is REDUCE:
                    found[id(obj)] = obj
    return list(found.values())


@contextmanager
def attrs_pickling(classes: list[type]) -> Iterator[None]:
    """The classes pickle as before (attrs' state dict), for the baseline only."""
    for cls in classes:
        cls.__reduce__ = object.__reduce__  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        for cls in classes:
            cls.__reduce__ = REDUCE  # type: ignore[method-assign]


def main() -> None:
    (claim,) = build_claim(id=ClaimId("PCN1"), kind=ClaimKind.PROFESSIONAL, charges=CHARGES,
                           patient=PATIENT, coverage=COVERAGE, billing_provider=BILLING,
                           rendering_provider=DOCTOR)
    classes = _reduced_classes()
    proto = pickle.HIGHEST_PROTOCOL
    fast_bytes = pickle.dumps(claim, protocol=proto)
    with attrs_pickling(classes):
        old_bytes = pickle.dumps(claim, protocol=proto)
    if pickle.loads(fast_bytes) != claim or pickle.loads(old_bytes) != claim:
        raise SystemExit("pickle round trip is not lossless")  # pragma: no cover

    rows: dict[str, list[float]] = {k: [] for k in ("dumps", "loads", "round trip")}
    rates: dict[str, list[tuple[float, float]]] = {k: [] for k in rows}
    for _ in range(5):  # interleaved repetitions; the median ratio is the figure
        with attrs_pickling(classes):
            old = (rate(lambda: pickle.dumps(claim, protocol=proto)),
                   rate(lambda: pickle.loads(old_bytes)),
                   rate(lambda: pickle.loads(pickle.dumps(claim, protocol=proto))))
        new = (rate(lambda: pickle.dumps(claim, protocol=proto)),
               rate(lambda: pickle.loads(fast_bytes)),
               rate(lambda: pickle.loads(pickle.dumps(claim, protocol=proto))))
        for key, o, n in zip(rows, old, new, strict=True):
            rows[key].append(n / o)
            rates[key].append((1e6 / o, 1e6 / n))
    print(f"claimcore pickle benchmark (Python {sys.version.split()[0]}, claimcore "
          f"{claimcore.__version__}); {len(classes)} classes carry the reduction")
    print(f"bytes per claim: {len(old_bytes):,} before, {len(fast_bytes):,} now")
    print(f"{'measure':<12} {'µs before':>10} {'µs now':>8} {'ratio (median of 5)':>20}")
    for key, ratios in rows.items():
        before = statistics.median(r[0] for r in rates[key])
        now = statistics.median(r[1] for r in rates[key])
        print(f"{key:<12} {before:>10.1f} {now:>8.1f} {statistics.median(ratios):>19.2f}x")


if __name__ == "__main__":
    main()
