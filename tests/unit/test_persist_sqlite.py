"""examples/persist_sqlite.py on a temporary file: a crash between two postings leaves the
first whole and none of the second; the rebuilt ledger equals the in-memory one."""

from __future__ import annotations

import runpy
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from claimcore.ledger import Ledger

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "persist_sqlite.py"


def _example() -> dict[str, Any]:
    return runpy.run_path(str(EXAMPLE), run_name="persist_sqlite")


def test_the_example_rebuilds_what_it_stored(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    _example()["main"](tmp_path / "db.sqlite")
    lines = capsys.readouterr().out.splitlines()
    assert "posting 2 (835): crashed after 1 of 3 transfers; the transaction rolled back" in lines
    assert "after the crash: 1 transfers in the database, the charges whole: True" in lines
    assert "replayed 835 in the ledger: 0 new transfers" in lines
    assert "  cash $110.00" in lines and "  contra:contractual $40.00" in lines
    assert lines[-1] == "the rebuilt ledger and claim equal the in-memory ones: True"
    assert "Okafor" not in "\n".join(lines)


def test_a_crash_in_any_row_leaves_the_first_posting_whole(tmp_path: Path) -> None:
    example = _example()
    claim = example["_claim"]()
    charged = example["post_charges"](Ledger(), claim, on=date(2026, 3, 2))
    posted = example["post_remittance"](charged, [claim], example["_remittance"](claim)).ledger
    for crash_after in range(len(posted) - len(charged)):
        connection = example["connect"](tmp_path / f"db{crash_after}.sqlite")
        example["save_posting"](connection, Ledger(), charged)
        with pytest.raises(example["Crash"]):
            example["save_posting"](connection, charged, posted, crash_after=crash_after)
        assert example["load_ledger"](connection).transfers() == charged.transfers()
        # Restarted, the same posting completes, and a second write of it is refused.
        example["save_posting"](connection, charged, posted)
        assert example["load_ledger"](connection).transfers() == posted.transfers()
        with pytest.raises(sqlite3.IntegrityError):
            example["save_posting"](connection, charged, posted)
        assert example["load_ledger"](connection).totals() == posted.totals()
        connection.close()
