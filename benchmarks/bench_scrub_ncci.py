"""Scrub cost against the size of the NCCI table: a 10-line claim scrubbed with no NCCI
table, and with a table of 10,000 pairs of which 250 have a column-1 code on the claim.

A plain script: ``python benchmarks/bench_scrub_ncci.py``. The figure is the ratio of the
two rates in the same process (the goal: within 1.5x). Both runs use every default edit and
the same MUE table; the table is built once, outside the timing, as a caller would.
"""

from __future__ import annotations

import sys
from pathlib import Path

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_claims import ALWAYS, CHARGES, CONTEXT, rate
from tests.unit.test_claims_support import BILLING, COVERAGE, DOCTOR, PATIENT

from claimcore.claims import (
    ClaimKind,
    NcciEdit,
    NcciModifierIndicator,
    NcciTable,
    build_claim,
    scrub,
)
from claimcore.codes import CPT
from claimcore.ids import ClaimId


def big_table(size: int = 10_000, on_claim: int = 250) -> NcciTable:
    """``size`` pairs; ``on_claim`` of them have 99213 (a code on the claim) as column 1,
    with column-2 codes that are not on the claim, so the claim stays clean."""
    column2 = [CPT(f"{10000 + n:05d}") for n in range(size)]
    edits = [
        NcciEdit(column1=CPT("99213") if n < on_claim else CPT(f"{60000 + n % 3000:05d}"),
                 column2=code, effective=ALWAYS,
                 modifier_indicator=NcciModifierIndicator.NOT_ALLOWED)
        for n, code in enumerate(column2)
    ]
    return NcciTable(edits=edits)


def main() -> None:
    (claim,) = build_claim(id=ClaimId("PCN1"), kind=ClaimKind.PROFESSIONAL, charges=CHARGES,
                           patient=PATIENT, coverage=COVERAGE, billing_provider=BILLING,
                           rendering_provider=DOCTOR)
    none = attrs.evolve(CONTEXT, ncci=None)
    big = attrs.evolve(CONTEXT, ncci=big_table())
    for context in (none, big):
        if not scrub(claim, context=context).clean:  # pragma: no cover - a clean claim
            raise SystemExit("benchmark claim is not clean")
    ratios = []
    for _ in range(5):  # interleaved repetitions; the median is the figure
        without = rate(lambda: scrub(claim, context=none))
        with_big = rate(lambda: scrub(claim, context=big))
        ratios.append(without / with_big)
    ratios.sort()
    print(f"scrub, no NCCI table:        {without:10,.0f} claims/s")
    print(f"scrub, 10,000-pair table:    {with_big:10,.0f} claims/s")
    print(f"cost ratio (median of 5):    {ratios[2]:10.2f}x   (goal: <= 1.5x)")


if __name__ == "__main__":
    main()
