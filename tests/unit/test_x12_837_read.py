"""Reading 837P and 837I claims: the TR3 examples, salvage per claim, what a Claim
cannot hold, and the strict reader."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from claimcore.claims import ClaimKind, ClaimStatus
from claimcore.codes import CARC, AdjustmentGroup, procedure_code
from claimcore.coverage import PayerKind, Relationship
from claimcore.ids import NPI
from claimcore.money import Money
from claimcore.x12 import (
    Read837Defaults,
    WarningCode,
    X12Error,
    collect_837,
    iter_837,
    read_837,
    read_837_with_warnings,
)

SHARED = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "x12"
FILES = sorted([*SHARED.glob("837p/*"), *SHARED.glob("837i/*")])
needs_fixtures = pytest.mark.skipif(not FILES, reason="../shared/fixtures is not present")
CLM = re.compile(r"(?:^|~)\s*CLM\*([^*~]*)\*([^*~]*)")


def text_of(path: Path) -> str:
    return path.read_text(encoding="latin-1")


def rekeyed(text: str) -> str:
    """The text with each illustrative NPI of the TR3 examples (they fail the Luhn check)
    replaced by a valid one: what a claim of a real file would carry."""

    def fix(match: re.Match[str]) -> str:
        value = match.group(2)
        try:
            NPI(value)
        except ValueError:
            return match.group(1) + NPI.from_prefix("1" + value[1:9]).value
        return match.group(0)

    return re.sub(r"(\*XX\*)([0-9]{10})", fix, text)


@needs_fixtures
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("rekey", [False, True], ids=["as-sent", "npis-rekeyed"])
def test_every_fixture_837_accounts_for_each_claim_and_its_total(path: Path,
                                                                 rekey: bool) -> None:
    """Every 837 of the fixtures reads: the claims read and set aside are as many as its
    CLM segments, and their CLM02 totals add up to the segments' totals."""
    text = text_of(path)
    if rekey:
        text = rekeyed(text)
    found = CLM.findall(text)
    result = read_837_with_warnings(text)
    assert len(result.claims) + len(result.unread_claims) == len(found)
    plain = sum((Decimal(total) for _, total in found), Decimal(0))
    read = sum((c.total_charge.amount for c in result.claims), Decimal(0))
    unread = sum((u.charge.amount for u in result.unread_claims if u.charge), Decimal(0))
    assert read + unread == plain
    assert all(c.status is ClaimStatus.DRAFT and c.history == () for c in result.claims)
    not_read = [w for w in result.warnings if w.code is WarningCode.CLAIM_NOT_READ]
    assert len(not_read) == len(result.unread_claims)


@needs_fixtures
def test_the_tr3_examples_read_once_their_npis_are_valid() -> None:
    """With valid NPIs, every claim of the TR3 examples reads but two, each set aside
    for a value claimcore refuses: an EIN prefix the IRS never assigns, a nine-digit NPI
    (a CLM01 with a space and '#' reads: ClaimId holds what the guides allow)."""
    refused: dict[str, list[str]] = {}
    for path in FILES:
        if not path.name.startswith("lfh_"):
            continue
        result = read_837_with_warnings(rekeyed(text_of(path)))
        assert result.claims or result.unread_claims
        for u in result.unread_claims:
            refused.setdefault(path.name, []).append(u.reason.split(": ")[0])
    assert refused == {
        "lfh_demo.cob.example4.837": ["segment 12 (REF), REF02"],
        "lfh_demo.example9.837": ["segment 25 (NM1), NM109"],
    }


@needs_fixtures
def test_icd9_examples_read_with_a_warning_per_code_not_a_crash() -> None:
    """The TR3's ICD-9 diagnoses (BK/BF) are warnings naming the code; the claim reads
    with no diagnosis, its lines still pointing at the positions sent."""
    text = rekeyed(text_of(SHARED / "837p" / "lfh_demo.cob.example3.B.837"))
    result = read_837_with_warnings(text)
    (claim,) = result.claims
    assert claim.diagnoses == ()
    icd9 = [w for w in result.warnings if "ICD-9-CM" in w.message]
    assert [w.element for w in icd9] == ["HI01-1", "HI02-1", "HI03-1", "HI04-1"]
    assert all(w.code is WarningCode.NOT_HELD and w.segment_id == "HI" for w in icd9)
    assert "BK 4779" in icd9[0].message
    assert claim.lines[0].pointers == (1, 2, 3, 4)


@needs_fixtures
def test_cob_example_reads_the_prior_payer_claim_and_line_adjudication() -> None:
    """Loops 2320/2330B/2430: the other payer's paid amount, claim-level PR-1 and PR-2,
    and each line's SVD with its CO-42; the patient is the subscriber's child."""
    (claim,) = read_837(rekeyed(text_of(SHARED / "837p" / "lfh_demo.cob.example3.B.837")))
    assert claim.kind is ClaimKind.PROFESSIONAL
    assert claim.total_charge == Money(Decimal("79.04"))
    assert claim.coverage.relationship is Relationship.CHILD
    assert claim.coverage.payer.kind is PayerKind.COMMERCIAL
    (other,) = claim.other_payers
    assert other.paid == Money(Decimal("39.15"))
    assert [(a.group, a.reason, a.amount) for a in other.adjustments] == [
        (AdjustmentGroup.PATIENT_RESPONSIBILITY, CARC("1"), Money(Decimal("21.89"))),
        (AdjustmentGroup.PATIENT_RESPONSIBILITY, CARC("2"), Money(Decimal("15.00"))),
    ]
    assert [(a.line_number, a.paid) for a in other.lines] == [
        (1, Money(Decimal("40.00"))), (2, Money(Decimal("15.00"))),
        (3, Money(Decimal("21.04"))),
    ]
    assert other.lines[0].adjustments[0].reason == CARC("42")
    assert other.adjudicated_on.isoformat() == "2005-10-15"
    assert [line.procedure for line in claim.lines] == [
        procedure_code("99213"), procedure_code("90782"), procedure_code("J3301")]


@needs_fixtures
def test_institutional_example_reads_revenue_lines_type_of_bill_and_statement_period() -> None:
    """The 837I's two claims under one billing provider: SV2 revenue codes with their
    procedures and units, CLM05 as the type of bill, DTP*434 as the statement period."""
    text = rekeyed(text_of(SHARED / "837i" / "lfh_two-claims-single-provider.837i"))
    first, second = read_837(text)
    assert first.kind is ClaimKind.INSTITUTIONAL
    assert first.type_of_bill is not None and first.type_of_bill.code == "131"
    assert [(line.revenue_code.code if line.revenue_code else None, line.units)
            for line in first.lines] == [("0305", Decimal("1.00")), ("0730", Decimal("3.00"))]
    assert first.admission is not None
    assert first.admission.statement_period.start.isoformat() == "2005-03-15"
    assert second.total_charge == Money(Decimal("50.00"))


@needs_fixtures
def test_a_bad_claim_costs_only_itself() -> None:
    """One claim with an unknown procedure code is set aside with its position, CLM01 and
    charge; the other claim of the file is read."""
    text = rekeyed(text_of(SHARED / "837i" / "lfh_two-claims-single-provider.837i"))
    bad = text.replace("HC:85087", "HC:8508", 1)
    result = read_837_with_warnings(bad)
    assert [c.id.value for c in result.claims] == ["756048Q"]
    (unread,) = result.unread_claims
    assert unread.clm01 == "756049Q" and unread.charge == Money(Decimal("50.00"))
    assert "SV202-2" in unread.reason
    with pytest.raises(X12Error, match="SV202-2"):
        read_837(bad)


@needs_fixtures
def test_strict_reader_refuses_the_tr3_illustrative_npi() -> None:
    """read_837 raises where read_837_with_warnings sets the claim aside: the TR3's
    sample NPIs fail the Luhn check, so no Organization can hold them."""
    text = text_of(SHARED / "837p" / "lfh_demo.example6.837")
    with pytest.raises(X12Error, match="NM109"):
        read_837(text)
    assert read_837_with_warnings(text).unread_claims[0].segment_number > 1


def test_another_transaction_set_is_refused() -> None:
    """An 835 is not an 837: the reader names ST01."""
    text = ("ISA*00*          *00*          *ZZ*A              *ZZ*B              *260115*"
            "1200*^*00501*000000001*0*P*:~GS*HP*A*B*20260115*1200*1*X*005010X221A1~"
            "ST*835*0001*005010X221A1~BPR*I*1*C*CHK************20260115~SE*3*0001~GE*1*1~"
            "IEA*1*000000001~")
    with pytest.raises(X12Error, match="ST01"):
        read_837(text)


def test_defaults_fill_what_the_837_does_not_carry() -> None:
    """The defaults are values: a bad plan name is refused when they are built."""
    assert Read837Defaults().mrn.unmasked == "UNKNOWN"
    with pytest.raises(ValueError, match="name"):
        Read837Defaults(plan_name="")


@needs_fixtures
@pytest.mark.parametrize("size", [1, 7, 4096])
def test_the_stress_file_streams_as_it_reads(size: int) -> None:
    """iter_837 over chunks of a file (the 330 KB stress file; a small one one character
    at a time) gives what read_837_with_warnings gives: the same claims, the same claims
    set aside, the same warnings."""
    name = "837i/lfh_two-claims-single-provider.837i" if size == 1 else (
        "837p/ims_x12_many_claims.837")
    text = rekeyed(text_of(SHARED / name))
    whole = read_837_with_warnings(text)
    chunks = [text[k:k + size] for k in range(0, len(text), size)]
    streamed = collect_837(iter_837(chunks))
    assert streamed.claims == whole.claims
    assert streamed.unread_claims == whole.unread_claims
    assert sorted(map(str, streamed.warnings)) == sorted(map(str, whole.warnings))
