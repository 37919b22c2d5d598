"""Benchmark: posting transfers one by one, and reading balances, as the ledger grows.

Run ``python benchmarks/bench_ledger.py [MAX_N]`` (or set ``CLAIMCORE_BENCH_MAX_N``; the
default is 1,000,000). For N = 10,000, 20,000, 40,000, ..., 640,000 and MAX_N it posts N
transfers one at a time through :func:`claimcore.ledger.post` (each post returns a new
ledger), best of five rounds, and prints a table: seconds for N, the ratio of the time
for N to the time for N / 2 (it must stay at or below 2.3, i.e. posting does not grow
with the ledger's size), microseconds per post and per balance read. A size below
40,000 is run 40,000 / N times back to back in each round and its sample is their mean,
so that one hiccup of a shared machine does not decide a short run's time (a mean, not a
best: every size gets the same five samples, none gets more tries). Times are CPU time
of this process (``time.process_time``), so that other work on the machine disturbs the
ratios less. It then measures memory per transfer with ``tracemalloc`` at 10,000,
100,000 and 1,000,000 transfers (up to MAX_N): the transfer values themselves and what
the ledger adds, each counted apart (the limit, 600 bytes, is on the two together). It
runs the in-process baseline, a naive ledger that copies a tuple of transfers per post
(the design this ledger avoids), for small N only. The load average is printed first and
last: the machine may be shared.

The transfers are a realistic mix per encounter: a charge, a payer payment, a CO-45
adjustment and a PR-1 transfer to the patient, each with patient, encounter and claim
references. Exit status 1 when a ratio or the memory exceeds its limit.
"""

from __future__ import annotations

import gc
import math
import os
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from claimcore.codes import CARC, AdjustmentGroup
from claimcore.ids import ClaimId, MedicalRecordNumber, PayerId, TransferId
from claimcore.ledger import Account, Ledger, Transfer, TransferCode, post
from claimcore.money import Money

LIMIT = 2.3
MEMORY_LIMIT = 600  # bytes per transfer, values and ledger together
START = 10_000
DEFAULT_MAX = 1_000_000
NAIVE_MAX = 80_000
REPEATS = 5
SHORT = 40_000  # below this many posts, a round's sample is the mean of back-to-back runs

PAYERS = [Account.ar_payer(PayerId(f"PAYER{i:02d}")) for i in range(20)]
PATIENT = Account.ar_patient()
REVENUE = Account.gross_revenue()
CASH = Account.cash()
CONTRACTUAL = Account.contractual_allowance()
AMOUNTS = [Money(Decimal(c).scaleb(-2)) for c in range(1_000, 101_000, 997)]
DAYS = [date(2025, 1, 1) + timedelta(days=d) for d in range(730)]
CO, PR = AdjustmentGroup.CONTRACTUAL_OBLIGATION, AdjustmentGroup.PATIENT_RESPONSIBILITY
CO45, PR1 = CARC("45"), CARC("1")


def make_transfers(count: int) -> list[Transfer]:
    """``count`` transfers, four per encounter, with shared amounts, dates and accounts."""
    out: list[Transfer] = []
    encounter_no = 0
    while len(out) < count:
        encounter = f"E{encounter_no}"
        claim = ClaimId(f"C{encounter_no}")
        patient = MedicalRecordNumber(f"MRN{encounter_no % 50_000:06d}")
        payer = PAYERS[encounter_no % len(PAYERS)]
        on = DAYS[encounter_no % len(DAYS)]
        amount = AMOUNTS[encounter_no % len(AMOUNTS)]
        flows = (
            (payer, REVENUE, amount, TransferCode.CHARGE, None, None),
            (CASH, payer, AMOUNTS[0], TransferCode.PAYER_PAYMENT, None, None),
            (CONTRACTUAL, payer, AMOUNTS[1], TransferCode.CONTRACTUAL, CO, CO45),
            (PATIENT, payer, AMOUNTS[2], TransferCode.PATIENT_RESPONSIBILITY, PR, PR1),
        )
        for step, (debit, credit, money, code, group, reason) in enumerate(flows):
            out.append(Transfer(
                id=TransferId(f"{encounter}-{step}"), debit=debit, credit=credit,
                amount=money, on=on, code=code, patient=patient, encounter=encounter,
                claim=claim, trace=f"TRN{encounter_no // 100}", group=group, reason=reason,
            ))
        encounter_no += 1
    return out[:count]


class NaiveLedger:
    """The baseline: a tuple of transfers copied on every post, balances by a fold."""

    __slots__ = ("transfers",)

    def __init__(self, transfers: tuple[Transfer, ...] = ()) -> None:
        self.transfers = transfers

    def post(self, transfer: Transfer) -> NaiveLedger:
        # Not even an idempotence check: only the copy this ledger avoids.
        return NaiveLedger((*self.transfers, transfer))

    def balance(self, account: Account) -> int:
        cents = 0
        for t in self.transfers:
            if t.debit == account:
                cents += t.amount.cents
            elif t.credit == account:
                cents -= t.amount.cents
        return cents


def time_posts(transfers: Sequence[Transfer]) -> tuple[float, Ledger]:
    """CPU seconds to post ``transfers`` one by one into an empty ledger, and the ledger."""
    gc.collect()
    ledger = Ledger()
    began = time.process_time()
    for transfer in transfers:
        ledger = post(ledger, transfer)
    return time.process_time() - began, ledger


def time_naive(transfers: Sequence[Transfer]) -> float:
    gc.collect()
    ledger = NaiveLedger()
    began = time.process_time()
    for transfer in transfers:
        ledger = ledger.post(transfer)
    return time.process_time() - began


def time_reads(ledger: Ledger, reads: int = 20_000) -> float:
    """Microseconds per balance read (account-level and per-encounter alternately)."""
    began = time.process_time()
    for i in range(reads // 2):
        ledger.balance(PAYERS[i % len(PAYERS)])
        ledger.balance(PATIENT, encounter=f"E{i}")
    return (time.process_time() - began) / reads * 1e6


def traced(build: Callable[[], object]) -> tuple[object, int]:
    """The built value and the bytes it still holds, by tracemalloc."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    built = build()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return built, after - before


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def memory(n: int) -> tuple[list[Transfer], int, int]:
    """``n`` transfers, the bytes they hold, and the bytes a ledger of them adds."""
    values, value_bytes = traced(lambda: make_transfers(n))
    assert isinstance(values, list)
    built, ledger_bytes = traced(lambda: Ledger.from_transfers(values))
    assert isinstance(built, Ledger) and len(built) == n
    return values, value_bytes, ledger_bytes


def memory_sizes(max_n: int) -> list[int]:
    """10,000, 100,000 and 1,000,000, up to ``max_n``."""
    return [n for n in (10_000, 100_000, 1_000_000) if n <= max(max_n, START)]


def sizes(max_n: int) -> list[int]:
    """10,000 doubling up to ``max_n``, and ``max_n`` itself last (1,000,000 by default)."""
    out = [START]
    while out[-1] * 2 <= max_n:
        out.append(out[-1] * 2)
    if out[-1] < max_n:
        out.append(max_n)
    return out


def doubling_ratio(seconds: float, previous: float, n: int, previous_n: int) -> float:
    """t(N)/t(N_prev), scaled to what it would be for a doubling when N is not 2 N_prev."""
    return float((seconds / previous) ** (math.log(2) / math.log(n / previous_n)))


def main(argv: Sequence[str]) -> int:
    max_n = int(argv[1]) if len(argv) > 1 else int(
        os.environ.get("CLAIMCORE_BENCH_MAX_N", DEFAULT_MAX)
    )
    ns = sizes(max(max_n, START))
    print(f"claimcore ledger: posting one transfer at a time (Python {sys.version.split()[0]})")
    print(f"load average (1, 5, 15 min): {load()}")
    print(f"building {ns[-1]:,} transfers ...", flush=True)
    transfers = make_transfers(ns[-1])
    # The input is not what is measured: keep the collector from walking it again and again.
    gc.collect()
    gc.freeze()

    # Rounds over all sizes, keeping the best time of each: noise from other work on the
    # machine then spreads over every size instead of landing on one.
    best = dict.fromkeys(ns, math.inf)
    reads: dict[int, float] = {}
    naive: dict[int, float] = {}
    for round_no in range(REPEATS):
        print(f"round {round_no + 1} of {REPEATS} ...", flush=True)
        for n in ns:
            runs = max(1, SHORT // n)  # a short run alone is at the mercy of one hiccup
            seconds, ledger = time_posts(transfers[:n])
            for _ in range(runs - 1):
                del ledger
                again, ledger = time_posts(transfers[:n])
                seconds += again
            seconds /= runs
            totals = ledger.totals()
            assert len(ledger) == n and totals.debits == totals.credits
            best[n] = min(best[n], seconds)
            if round_no == 0:
                reads[n] = time_reads(ledger)
                if n <= NAIVE_MAX:
                    naive[n] = time_naive(transfers[:n])
            del ledger

    print()
    print(f"{'N':>10} {'CPU s':>9} {'t(2N)/t(N)':>12} {'us/post':>8} {'us/read':>8} "
          f"{'naive s':>9} {'naive/ours':>10}")
    failed = False
    for i, n in enumerate(ns):
        seconds = best[n]
        ratio = ""
        if i:
            value = doubling_ratio(seconds, best[ns[i - 1]], n, ns[i - 1])
            ratio = f"{value:.2f}" + ("" if n == 2 * ns[i - 1] else "*")
            if value > LIMIT:
                failed = True
                ratio += " FAIL"
        naive_s = f"{naive[n]:.2f}" if n in naive else ""
        versus = f"{naive[n] / seconds:.1f}x" if n in naive else ""
        print(f"{n:>10,} {seconds:>9.2f} {ratio:>12} {seconds / n * 1e6:>8.1f} "
              f"{reads[n]:>8.2f} {naive_s:>9} {versus:>10}")

    del transfers  # measured apart below: keep the machine's memory for that
    gc.unfreeze()
    gc.collect()
    print()
    print("memory per transfer (tracemalloc, bytes still held after gc.collect()):")
    print(f"{'N':>10} {'values B':>9} {'ledger B':>9} {'total B':>8}")
    for n in memory_sizes(ns[-1]):
        values, value_bytes, ledger_bytes = memory(n)
        total = (value_bytes + ledger_bytes) / n
        verdict = ""
        if total > MEMORY_LIMIT:
            failed = True
            verdict = " FAIL"
        print(f"{n:>10,} {value_bytes / n:>9.0f} {ledger_bytes / n:>9.0f} {total:>8.0f}{verdict}")
        del values
    print("  values: the list of N Transfer values as make_transfers() builds them, with")
    print("  everything only they hold (their ids, trace strings, encounter, claim and")
    print("  patient ids); not the accounts, amounts and dates shared by all of them.")
    print("  ledger: what Ledger.from_transfers(values) adds (log, id index, account")
    print("  positions and running balances, reference chains, per-position arrays).")
    print()
    print("* N is not twice the previous N: the ratio is scaled to a doubling")
    print(f"limits: t(2N)/t(N) <= {LIMIT}, values + ledger <= {MEMORY_LIMIT} B per transfer: "
          f"{'FAILED' if failed else 'ok'}")
    print(f"load average (1, 5, 15 min): {load()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
