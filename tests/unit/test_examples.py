"""The examples run in-process, print what they promise and end on the right line."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(name: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Run ``examples/<name>`` as a script and return its output lines."""
    runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    return capsys.readouterr().out.splitlines()


def test_the_revenue_cycle_ends_paid_in_full(capsys: pytest.CaptureFixture[str]) -> None:
    """Every stage is printed in order; the money adds up; the last line says paid in full."""
    lines = run("revenue_cycle.py", capsys)
    stages = [line.split("stage: ")[1] for line in lines if "stage: " in line]

    assert stages == [
        "registered", "verified", "admitted", "discharged", "coded", "charged", "charged",
        "billed", "billed", "adjudicated", "billed", "patient_billed", "patient_billed",
        "paid_in_full",
    ]
    assert any("13. statement: $40.00 due 2026-05-03" in line for line in lines)
    assert ("charges $235.00 = payers $130.00 + patient $60.00 + adjustments $45.00"
            " + write-offs $0.00 + open $0.00") in lines
    assert "claims: Acme Health closed, Beacon Mutual closed" in lines
    assert lines[-1] == "Account ***7311 is paid in full."
    assert "Reyes" not in "\n".join(lines)


def test_the_denial_is_paid_on_appeal(capsys: pytest.CaptureFixture[str]) -> None:
    """The denial is held at 260.00, the appeal pays 120.80, the patient pays 30.20."""
    lines = run("denial_and_appeal.py", capsys)
    text = "\n".join(lines)

    assert "RC20260209  CO-50 CO-50  N115     True           $260.00" in text
    assert ("category medical_necessity, follow up by 2026-03-29; Medicare's A/R $0.00"
            in text)
    assert "appeal overturned: $260.00 left the denial account (now $0.00)" in text
    assert "claim adjudicated (denied); stage adjudicated" in text
    assert "claim adjudicated (paid); Medicare owes $0.00; stage patient_billed" in text
    assert "statement 2026-05-04: $30.20 due 2026-06-03" in text
    assert "$260.00        $120.80        $30.20   $109.00  $0.00" in text
    assert lines[-1] == "Claim RC20260209 was paid on appeal; account ***1207 is paid in full."


def test_the_reversal_matches_the_corrected_payment(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Three mirrored transfers, a 20.00 net payment, and the balances of the correction."""
    lines = run("reversal_and_repayment.py", capsys)

    assert "2026-02-20 835: reversal -$80.00 + corrected $100.00 = $20.00" in lines
    assert sum(1 for line in lines if line.startswith("2026-02-20  ACH0220  reversal")) == 3
    assert ("ar:patient                               $25.00                   $25.00"
            in lines)
    assert lines[-1] == ("The reversal left the same balances as the corrected payment "
                         "alone: True; account ***8402 is paid in full.")


def test_a_month_of_exceptions_ends_with_the_reconciliation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """One of each exception posts where it belongs, every cent adds up, and the
    reconciliation table shows the matched, short, undeposited and unexplained lines."""
    lines = run("exceptions_and_deposits.py", capsys)
    text = "\n".join(lines)

    assert "  - denial LF0303 line 2 CO-97 (bundling, follow up 2026-04-09)" in lines
    assert "  - duplicate LF0302 of EFT0310001" in lines
    assert "  - unread CLP at segment 14: $38.00 to unapplied" in lines
    assert "  - appeal LF0304 overturned: $180.00 out of denials" in lines
    assert "contra:denial                  $25.00" in lines
    assert "liability:payer_credit:ACME1    $0.00" in lines
    assert "liability:unapplied:ACME1      $93.00" in lines
    assert ("charges $715.00 = payer $462.00 + patient $0.00 + adjustments $136.00 + "
            "denials $25.00 + write-offs $0.00 + open $92.00") in lines
    assert "EFT0320003       2026-03-23   $138.00  $137.50      -$0.50  amount differs" in lines
    assert "LOCKBOX 5521     2026-03-25  -          $40.00  -           no 835" in lines
    assert lines[-1] == ("3 matched, 1 with a difference, 1 835 without deposit, "
                         "1 deposit without 835; balanced: False")
    assert "Lindqvist" not in text and "Osei" not in text
