"""Remittances posted per second: ``post_remittance`` on one 835 paying many claims.

Run from the project root: ``python benchmarks/bench_posting.py [CLAIMS]`` (default 1,000
claims of two lines each). Each claim is matched by its patient control number, checked,
adjudicated through the claim lifecycle, and posted as a payment, a CO-45 contractual
adjustment and a PR-1/PR-2 patient responsibility per line.

The baseline, in the same process, posts the same number of already-built transfers
straight to the ledger with ``post``: the ratio is what matching, adjudication and
building the transfers cost on top of the double-entry bookkeeping itself.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

# The worked builders of the posting tests make the claims and the 835.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.unit.test_posting import (
    adj,
    make_claim,
    payment,
    remittance,
    svc,
)

from claimcore.ids import ClaimId
from claimcore.ledger import Ledger, post
from claimcore.posting import post_charges, post_remittance


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
    claims = [
        make_claim(claim_id=ClaimId(f"PCN{n:06d}")) for n in range(count)
    ]
    ledger = Ledger()
    for claim in claims:
        ledger = post_charges(ledger, claim, on=claim.service_period.start)
    payments = [
        payment([
            svc("99214", "175.00", "100.00", adj("CO", "45", "25.00"),
                adj("PR", "1", "40.00"), adj("PR", "2", "10.00"), ref="1"),
            svc("80053", "60.00", "40.00", adj("CO", "45", "20.00"), ref="2"),
        ], claim=claim.id.value)
        for claim in claims
    ]
    rem = remittance(payments, trace="BENCH0001")

    start = time.perf_counter()
    result = post_remittance(ledger, claims, rem)
    took = time.perf_counter() - start
    posted = [t for t in result.ledger if t.id not in ledger]
    if len(result.postings) != count:  # pragma: no cover - a broken benchmark
        raise SystemExit("not every claim was posted")

    start = time.perf_counter()
    post(ledger, *posted)
    bare = time.perf_counter() - start

    print(f"post_remittance: one 835 of {count:,} claims ({len(posted):,} transfers)")
    print(f"{'measure':<52} {'claims/s':>10} {'seconds':>9}")
    print(f"{'post_remittance (match, adjudicate, post)':<52} {count / took:>10,.0f} {took:>9.3f}")
    print(f"{'baseline: post the same transfers, already built':<52} "
          f"{count / bare:>10,.0f} {bare:>9.3f}")
    print(f"ratio: post_remittance takes {took / bare:.1f}x the bare ledger posting")


if __name__ == "__main__":
    main()
