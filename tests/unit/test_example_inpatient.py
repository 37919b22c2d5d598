"""examples/inpatient_stay.py runs in-process, prints what it promises and ends paid in full."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(name: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Run ``examples/<name>`` as a script and return its output lines."""
    runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    return capsys.readouterr().out.splitlines()


def test_the_inpatient_stay_ends_paid_in_full(capsys: pytest.CaptureFixture[str]) -> None:
    """Every stage in order; the 837I carries POA, DRG and days; Medicare is billed as
    secondary (type 12) and pays what Keystone left; every cent adds up; no PHI printed."""
    lines = run("inpatient_stay.py", capsys)
    stages = [line.split("stage: ")[1] for line in lines if "stage: " in line]

    assert stages == [
        "registered", "verified", "admitted", "discharged", "coded", "charged", "billed",
        "adjudicated", "billed", "paid_in_full", "paid_in_full",
    ]
    assert ("order of benefits: Keystone Health (active_employment_before_medicare), then "
            "Medicare Part A (MSP type 12)") in lines
    assert "   quote: Keystone $4,412.36, Medicare $1,000.00, patient $0.00" in lines
    assert [line.strip() for line in lines if line.startswith("   HI*")] == [
        "HI*ABK:J189:::::::Y", "HI*DR:195", "HI*ABF:E119:::::::Y",
        "HI*BBR:3E0234Z:D8:20260202", "HI*BH:11:D8:20260130"]
    assert "   SV2*0120**6300.00*DA*3" in lines
    assert any(line.startswith("7. 837I to Keystone (0 scrub errors)") for line in lines)
    assert any(line.startswith("9. 837I to Medicare with value code 12 (0 errors)")
               for line in lines)
    assert ("charges $7,730.00 = payers $5,412.36 + patient $0.00 + adjustments $2,317.64"
            " + write-offs $0.00 + open $0.00") in lines
    assert "claims: Keystone Health closed, Medicare Part A closed" in lines
    assert lines[-1] == "Account ***0417 is paid in full."
    assert "Brandt" not in "\n".join(lines)
