"""The ``claimcore`` console script, run as a subprocess on the public fixtures."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from claimcore.x12 import read_835

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "x12"  # copies of ../shared
SCRIPT = Path(sys.executable).with_name("claimcore")
ERA = FIXTURES / "lfh_managed-care.835"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    assert SCRIPT.exists(), "the console script is installed with the package"
    return subprocess.run([str(SCRIPT), *map(str, args)],  # noqa: S603 - our own script
                          capture_output=True, text=True, timeout=300, check=False)


def test_read_summarises_every_transaction_it_reads() -> None:
    files = sorted(p for p in FIXTURES.rglob("*")
                   if (p.is_file() and p.suffix not in (".270", ".276", ".txt", ".md", ".json"))
                   or p.name == "pyx12_835_mult_loops.txt")
    result = run("read", *files)
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["file", "transaction", "warnings"]
    kinds = {line.split()[1] for line in lines[2:]}
    assert {"835", "837P", "837I", "271", "277CA", "277"} <= kinds
    # The one file refused (a 4010 271) is one line on stderr, and the status says so.
    refused = [line for line in result.stderr.splitlines() if line]
    assert refused == [line for line in refused if line.startswith("claimcore: ")]
    assert result.returncode == (1 if refused else 0)
    row = next(line for line in lines if line.startswith("lfh_managed-care.835"))
    assert "RUSHMORE LIFE" in row and "$945.00" in row and "CO $155.00 PR $900.00" in row


def test_read_csv_and_json_rows_carry_every_cent() -> None:
    (remittance,) = read_835(ERA.read_text(encoding="latin-1"))
    rows = list(csv.DictReader(io.StringIO(run("read", "--csv", ERA).stdout)))
    assert [r["claim_id"] for r in rows] == [c.claim.value for c in remittance.claims]
    assert sum(Decimal(r["paid"]) for r in rows) == remittance.payment.amount
    (document,) = json.loads(run("read", "--json", ERA).stdout)
    assert document["transaction"] == "835"
    services = document["tables"]["service_payments"]
    assert sum(Decimal(s["paid"]) for s in services) == sum(
        (s.paid.amount for c in remittance.claims for s in c.services), Decimal("0.00"))
    assert {w["segment_number"] for w in document["warnings"]} == {4, 10}


def test_read_parquet_writes_each_table(tmp_path: Path) -> None:
    files = sorted(FIXTURES.glob("*.835"))
    result = run("read", "--parquet", tmp_path / "out", *files)
    assert result.returncode == 0, result.stderr
    table = pq.read_table(tmp_path / "out" / "claim_payments.parquet")
    total = sum(read_835(f.read_text(encoding="latin-1"))[0].payment.amount for f in files)
    plb = pq.read_table(tmp_path / "out" / "provider_adjustments.parquet")
    paid = sum(table.column("paid").to_pylist(), Decimal("0.00"))
    assert paid - sum(plb.column("amount").to_pylist(), Decimal("0.00")) == total


def test_check_lists_warnings_and_refusals_with_positions(tmp_path: Path) -> None:
    text = ERA.read_text(encoding="latin-1")
    broken = tmp_path / "broken.835"
    # One claim's CLP04 no longer balances: that claim is salvaged, the rest read.
    clp = "CLP*5554555444*1*800.00*"
    broken.write_text(text.replace(f"{clp}450.00", f"{clp}455.00"), encoding="latin-1")
    (tmp_path / "note.txt").write_text("not x12\n", encoding="utf-8")
    (tmp_path / "wide.835").write_bytes("ISA*00".encode("utf-16"))
    result = run("check", ERA, broken, tmp_path / "note.txt", tmp_path / "wide.835",
                 tmp_path / "missing.835", tmp_path)
    out = result.stdout.splitlines()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert f"{ERA}: 835: warnings (1 read, 0 unread, 2 warnings)" in out
    assert any(line.startswith("  warning: segment 4 (BPR), BPR16") for line in out)
    assert any(line.startswith(f"{broken}: 835: salvaged (1 read, 1 unread") for line in out)
    assert any(line.startswith("  unread at segment ") for line in out)
    assert f"{tmp_path / 'note.txt'}: REFUSED: not an X12 file (it does not begin with an " \
           "ISA or ST segment)" in out
    assert any("wide.835: REFUSED: unreadable encoding" in line for line in out)
    assert f"{tmp_path / 'missing.835'}: REFUSED: no such file" in out
    assert f"{tmp_path}: REFUSED: is a directory" in out


def test_check_of_good_files_exits_zero() -> None:
    result = run("check", ERA, FIXTURES / "lfh_medicare-part-a.835")
    assert result.returncode == 0
    assert result.stderr == ""


@pytest.mark.parametrize("args", [(), ("read",), ("frobnicate", "x")])
def test_usage_errors_exit_two(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert "usage: claimcore" in result.stderr
    assert "Traceback" not in result.stderr
