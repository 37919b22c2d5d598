"""Memory and speed of ``iter_835`` on a big 835 read from a file in 1 MB chunks.

The file is bench_835's replicated claim (three service lines, CAS and LQ on each)
written to a temporary file of ``--mb`` megabytes (never to the repository). A child
process reads it through ``claimcore.x12.iter_835`` in 1 MB chunks and reports its peak
resident memory (``resource.getrusage``, the whole process, interpreter included) and
its CPU time. In this process, ``read_835`` and ``iter_835`` (from an in-memory string in
1 MB chunks) read the same ``--claims``-claim file, interleaved, median of ``--repeat``:
the throughput ratio at a size ``read_835`` can hold.

Run: ``python benchmarks/bench_stream_835.py [--mb 1000] [--claims 20000] [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_835 import big_835

from claimcore.remittance import ClaimPayment
from claimcore.x12 import iter_835, read_835

CHUNK = 1 << 20

_CHILD = """
import resource, sys, time
from claimcore.remittance import ClaimPayment
from claimcore.x12 import iter_835
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
def chunks(path):
    with open(path, encoding="latin-1") as f:
        while block := f.read(1 << 20):
            yield block
start = time.process_time()
claims = sum(1 for item in iter_835(chunks(sys.argv[1])) if isinstance(item, ClaimPayment))
seconds = time.process_time() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:  # ru_maxrss keeps the parent's peak across fork and exec; VmHWM is this process's
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
except OSError:
    pass
print(claims, seconds, base, peak)
"""


def write_big(path: Path, megabytes: int) -> tuple[int, int]:
    """An 835 of about ``megabytes`` MB at ``path``: one transaction set, its claim
    replicated; returns the claims and the bytes written."""
    sample = big_835(2)
    segments = [s for s in sample.split("~\n") if s]
    clps = [i for i, s in enumerate(segments) if s.startswith("CLP*")]
    se = next(i for i, s in enumerate(segments) if s.startswith("SE*"))
    head, claim, tail = segments[:clps[0]], segments[clps[0]:clps[1]], segments[se:]
    st = next(i for i, s in enumerate(head) if s.startswith("ST*"))
    target = megabytes * 1_000_000
    written = claims = 0
    body = len(head) - st
    with path.open("w", encoding="latin-1") as f:
        text = "~\n".join(head) + "~\n"
        f.write(text)
        written += len(text)
        rest = "~\n".join(claim[1:]) + "~\n"
        first = claim[0].split("*")
        while written < target:
            block = []
            for _ in range(1000):
                first[1] = f"C{claims:09d}"
                block.append("*".join(first) + "~\n" + rest)
                claims += 1
            text = "".join(block)
            f.write(text)
            written += len(text)
            body += 1000 * len(claim)
        trailer = [f"SE*{body + 1}*0001", *tail[1:]]
        text = "~\n".join(trailer) + "~\n"
        f.write(text)
        written += len(text)
    # BPR02 must be the claims' payments: the sample pays nothing per claim
    return claims, written


def in_chunks(text: str) -> Iterator[str]:
    for k in range(0, len(text), CHUNK):
        yield text[k:k + CHUNK]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=1000)
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    text = big_835(args.claims)
    batch: list[float] = []
    stream: list[float] = []
    for _ in range(args.repeat):
        start = time.process_time()
        n_batch = sum(len(r.claims) for r in read_835(text))
        batch.append(time.process_time() - start)
        start = time.process_time()
        n_stream = sum(1 for x in iter_835(in_chunks(text)) if isinstance(x, ClaimPayment))
        stream.append(time.process_time() - start)
    assert n_batch == n_stream == args.claims
    b, s = statistics.median(batch), statistics.median(stream)
    print(f"{args.claims} claims ({len(text) / 1e6:.1f} MB), median of {args.repeat}: "
          f"read_835 {b:.3f} s, iter_835 {s:.3f} s, iter_835 throughput "
          f"{b / s:.2f}x read_835's")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.835"
        claims, size = write_big(path, args.mb)
        out = subprocess.run(  # noqa: S603 - this Python, our own code
            [sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True,
            check=True,
        )
    count_text, seconds_text, base_text, peak_text = out.stdout.split()
    count, seconds = int(count_text), float(seconds_text)
    base, peak = int(base_text) / 1024, int(peak_text) / 1024  # KiB on Linux
    assert count == claims
    print(f"iter_835 on a {size / 1e6:.0f} MB file ({claims} claims) in 1 MB chunks: "
          f"{seconds:.1f} CPU s, {claims / seconds:,.0f} claims/s "
          f"(read_835 in memory: {args.claims / b:,.0f} claims/s); peak RSS "
          f"{peak:.0f} MiB (after import {base:.0f} MiB)")


if __name__ == "__main__":
    main()
