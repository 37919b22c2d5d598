"""Revenue-cycle KPIs on a small population whose every figure is computed by hand.

The month of March 2026 at one clinic, one payer (Acme, 20% coinsurance, no deductible,
99214 allowed 150.00, 80053 allowed 40.00):

* claim A (ENC-1, 99214 175.00 + 80053 60.00, seen 2 March, charged 3 March, billed
  3 March): Acme pays 120.00 + 32.00, CO-45 25.00 + 20.00, PR-2 30.00 + 8.00; the patient
  pays the 38.00 on 25 March;
* claim B (ENC-2, the same services): 80053 needs an authorization Acme has not got, so
  that line is denied CO-197 60.00; the visit is paid 120.00, CO-45 25.00, PR-2 30.00;
* claim C: rejected by the clearinghouse and corrected before it was accepted (never
  decided in March).

By hand: charges 470.00; contractual 70.00; denied 60.00; cash 272.00 from Acme and 38.00
from the patient; A/R on 31 March 30.00 (B's coinsurance).
"""

from __future__ import annotations

import importlib.util
import runpy
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from claimcore.adjudication import Contract, PayerRules, adjudicate, remit
from claimcore.charges import FeePrice, FeeSchedule
from claimcore.claims import (
    Claim,
    ClaimStatus,
    EditContext,
    RejectionReason,
    acknowledge,
    appeal,
    correct,
    mark_ready,
    reject,
    scrub,
    submit,
)
from claimcore.codes import CPT
from claimcore.coverage import MEDICARE_APPEALS, NetworkBenefits
from claimcore.denials import DenialCategory
from claimcore.errors import ValidationError
from claimcore.ids import ClaimId
from claimcore.ledger import AgingBasis, AgingGroup, Ledger
from claimcore.metrics import (
    Figures,
    aging_by,
    ar_over_90,
    bill_lag,
    cash_to_net_revenue,
    charge_lag,
    clean_claim_rate,
    combine,
    days_in_ar,
    denial_overturn_rate,
    denials_by_category,
    denials_by_payer,
    figures,
    first_pass_resolution_rate,
    gross_collection_rate,
    initial_denial_rate,
    net_collection_rate,
    receivable_balance,
)
from claimcore.money import Rate
from claimcore.periods import AgingBuckets, Period
from claimcore.posting import post_charges, post_patient_payment, post_remittance
from tests.unit.test_posting import ACME, MRN, PAYEE, PRIMARY, make_claim, usd

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
END = date(2026, 3, 31)
RULES = PayerRules(
    payer=ACME,
    contract=Contract(fee_schedule=FeeSchedule(
        name="Acme", effective=Period(date(2026, 1, 1)),
        prices=[FeePrice(code=CPT("99214"), modifier=None, price=usd("150.00")),
                FeePrice(code=CPT("80053"), modifier=None, price=usd("40.00"))])),
    benefits=NetworkBenefits(coinsurance=Rate.percent(20)),
    coverage_period=Period(date(2025, 1, 1)),
)
STRICT = attrs.evolve(RULES, authorization_required={CPT("80053")})
AT = datetime(2026, 3, 3, 9, tzinfo=UTC)


def _rejected_and_corrected() -> Claim:
    claim = make_claim(claim_id=ClaimId("C3"), status=ClaimStatus.SUBMITTED,
                       encounter="ENC-3")
    claim = reject(claim, at=AT.replace(hour=12),
                   reasons=[RejectionReason(category="A7", status_code="164")])
    claim = correct(claim, at=AT.replace(hour=13))
    claim = mark_ready(claim, scrub(claim, context=EditContext(as_of=date(2026, 3, 3))),
                       at=AT.replace(hour=14))
    return acknowledge(submit(claim, at=AT.replace(hour=15)), at=AT.replace(hour=16))


def _month() -> tuple[Ledger, list[Claim]]:
    a = make_claim(claim_id=ClaimId("A1"), encounter="ENC-1")
    b = make_claim(claim_id=ClaimId("B2"), encounter="ENC-2")
    ledger = Ledger()
    for claim in (a, b):
        ledger = post_charges(ledger, claim, on=date(2026, 3, 3))
    decided = [adjudicate(a, RULES, on=date(2026, 3, 18)),
               adjudicate(b, STRICT, on=date(2026, 3, 18))]
    result = post_remittance(ledger, [a, b], remit(decided, payer=ACME, payee=PAYEE,
                                                   paid_on=date(2026, 3, 19), trace="T1"),
                             coverages={MRN: (PRIMARY,)})
    ledger = post_patient_payment(result.ledger, patient=MRN, amount=usd("38.00"),
                                  on=date(2026, 3, 25), reference="P1")
    return ledger, [*result.claims, _rejected_and_corrected()]


def test_the_month_by_hand() -> None:
    """Every sum of the month, to the cent."""
    ledger, claims = _month()
    f = figures(ledger, claims, as_of=END, period=MARCH)

    assert f.charges == usd("470.00")
    assert f.contractual == usd("70.00")
    assert f.denied == usd("60.00")
    assert f.payer_cash == usd("272.00")
    assert f.patient_cash == usd("38.00")
    assert f.receivable == usd("30.00") == receivable_balance(ledger, as_of=END)
    assert (f.submitted, f.clean, f.adjudicated, f.first_pass) == (3, 2, 2, 1)
    assert (f.decided, f.initially_denied) == (2, 1)
    assert f.decided_amount == usd("470.00")


def test_days_in_ar_gross_and_net() -> None:
    """30.00 / (470.00 / 31) = 1.98 -> 2.0 days; net 30.00 / (400.00 / 31) = 2.3 days."""
    ledger, claims = _month()
    assert days_in_ar(ledger, claims, as_of=END, period=MARCH) == Decimal("2.0")
    assert days_in_ar(ledger, claims, as_of=END, period=MARCH, net=True) == Decimal("2.3")


def test_ar_over_90_days() -> None:
    """Nothing is over 90 days on 31 March; on 1 July (121 days) all 30.00 is."""
    ledger, claims = _month()
    assert ar_over_90(ledger, claims, as_of=END, period=MARCH) == Decimal("0")
    july = figures(ledger, claims, as_of=date(2026, 7, 1), period=MARCH)
    assert july.ar_over_90() == Decimal("1") == july.ar_over_120()


def test_clean_claim_and_first_pass_rates() -> None:
    """2 of 3 claims clean (C was rejected); 1 of the 2 decided was paid whole (A)."""
    ledger, claims = _month()
    assert clean_claim_rate(ledger, claims, as_of=END, period=MARCH) == Decimal("0.6667")
    assert first_pass_resolution_rate(ledger, claims, as_of=END,
                                      period=MARCH) == Decimal("0.5")


def test_initial_denial_rate_by_count_and_amount() -> None:
    """1 of 2 first decisions denied something; 60.00 of the 470.00 decided = 12.77%."""
    ledger, claims = _month()
    assert initial_denial_rate(ledger, claims, as_of=END, period=MARCH) == Decimal("0.5")
    assert initial_denial_rate(ledger, claims, as_of=END, period=MARCH,
                               by="amount") == Decimal("0.1277")


def test_denials_by_category_and_payer() -> None:
    """CO-197 is an authorization denial: one claim, 60.00, all Acme's."""
    ledger, claims = _month()
    by_category = denials_by_category(ledger, claims, as_of=END, period=MARCH)
    by_payer = denials_by_payer(ledger, claims, as_of=END, period=MARCH)

    assert list(by_category) == [DenialCategory.AUTHORIZATION]
    assert (by_category[DenialCategory.AUTHORIZATION].count,
            by_category[DenialCategory.AUTHORIZATION].amount) == (1, usd("60.00"))
    assert (by_payer[ACME.payer_id].count, by_payer[ACME.payer_id].amount) == (
        1, usd("60.00"))


def test_collection_rates() -> None:
    """Gross 310.00 / 470.00 = 65.96%; net 310.00 / 400.00 = 77.5%; cash / net revenue
    the same 77.5% (no other adjustments)."""
    ledger, claims = _month()
    assert gross_collection_rate(ledger, claims, as_of=END, period=MARCH) == Decimal("0.6596")
    assert net_collection_rate(ledger, claims, as_of=END, period=MARCH) == Decimal("0.775")
    assert cash_to_net_revenue(ledger, claims, as_of=END, period=MARCH) == Decimal("0.775")


def test_charge_and_bill_lag() -> None:
    """Four lines charged a day after service; three claims billed a day after it."""
    ledger, claims = _month()
    assert charge_lag(ledger, claims, as_of=END, period=MARCH) == Decimal("1.0")
    assert bill_lag(ledger, claims, as_of=END, period=MARCH) == Decimal("1.0")


def test_an_appeal_that_is_paid_overturns_the_denial() -> None:
    """B appealed, the payer pays the panel on 10 April: 1 of 1 overturned, 60.00 of
    60.00; the first decision stays an initial denial."""
    ledger, claims = _month()
    b = next(c for c in claims if c.id == ClaimId("B2"))
    b = appeal(b, at=datetime(2026, 3, 28, tzinfo=UTC), rules=MEDICARE_APPEALS,
               amount_in_controversy=usd("60.00"))
    again = adjudicate(b, RULES, on=date(2026, 4, 9))
    result = post_remittance(ledger, [b], remit(again, payer=ACME, payee=PAYEE,
                                                paid_on=date(2026, 4, 10), trace="T2"),
                             coverages={MRN: (PRIMARY,)})
    april = date(2026, 4, 30)

    assert denial_overturn_rate(result.ledger, claims, as_of=april,
                                period=MARCH) == Decimal("1")
    assert denial_overturn_rate(result.ledger, claims, as_of=april, period=MARCH,
                                by="amount") == Decimal("1")
    assert denial_overturn_rate(ledger, claims, as_of=END, period=MARCH) == Decimal("0")
    assert initial_denial_rate(result.ledger, claims, as_of=april,
                               period=MARCH) == Decimal("0.5")


def test_aging_by_claim_patient_and_financial_class() -> None:
    """B's 30.00 is the only open amount: it shows under B, the patient and self-pay."""
    ledger, claims = _month()
    by_claim = aging_by(ledger, claims, as_of=END, by=AgingGroup.CLAIM)
    assert by_claim.row(ClaimId("B2")) is not None
    assert by_claim.row(ClaimId("B2")).total == usd("30.00")  # type: ignore[union-attr]
    assert by_claim.total == usd("30.00")
    by_patient = aging_by(ledger, claims, as_of=END, by=AgingGroup.PATIENT)
    assert [r.total for r in by_patient.rows if r.total] == [usd("30.00")]
    by_class = aging_by(ledger, claims, as_of=END, by=AgingGroup.FINANCIAL_CLASS)
    assert by_class.row("self_pay").total == usd("30.00")  # type: ignore[union-attr]


def test_aging_by_first_bill_date_and_custom_bounds() -> None:
    """Billed 3 March: 28 days old on 31 March, in 15-30 of the bounds (14, 30)."""
    ledger, claims = _month()
    report = aging_by(ledger, claims, as_of=END, by=AgingGroup.ACCOUNT,
                      basis=AgingBasis.FIRST_BILL_DATE, buckets=AgingBuckets((14, 30)))
    assert report.labels == ("0-14", "15-30", "over 30")
    assert report.totals() == (usd("0.00"), usd("30.00"), usd("0.00"))
    by_service = aging_by(ledger, claims, as_of=date(2026, 4, 2),
                          buckets=AgingBuckets((30,)))
    assert by_service.totals() == (usd("0.00"), usd("30.00"))


def test_figures_of_two_partitions_combine_to_the_whole() -> None:
    """Split by encounter, the figures add up to those of the whole ledger."""
    ledger, claims = _month()
    whole = figures(ledger, claims, as_of=END, period=MARCH)
    parts = []
    for encounter in ("ENC-1", "ENC-2", "ENC-3"):
        part = Ledger.from_transfers(t for t in ledger if str(t.encounter) == encounter
                                     or (t.encounter is None and encounter == "ENC-1"))
        parts.append(figures(part, [c for c in claims if str(c.encounter) == encounter],
                             as_of=END, period=MARCH))
    assert combine(*parts) == whole
    assert combine(Figures(period=MARCH, as_of=END), whole) == whole


def test_incompatible_figures_refuse_to_combine() -> None:
    """Figures of another period are not added silently."""
    with pytest.raises(ValidationError, match="same period"):
        Figures(period=MARCH, as_of=END).combine(
            Figures(period=Period(date(2026, 4, 1), date(2026, 4, 30)), as_of=END))
    with pytest.raises(ValidationError, match="has an end"):
        figures(Ledger(), as_of=END, period=Period(date(2026, 3, 1)))


def test_no_activity_gives_no_ratio() -> None:
    """An empty ledger: every ratio is None (no denominator), never a division error."""
    f = figures(Ledger(), as_of=END, period=MARCH)
    assert f.days_in_ar() is None and f.net_collection_rate() is None
    assert f.initial_denial_rate() is None and f.bill_lag() is None


def test_the_dashboard_example_prints_the_month(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    """examples/metrics_dashboard.py prints the docs' numbers and, with matplotlib, two PNGs."""
    script = Path(__file__).resolve().parents[2] / "examples" / "metrics_dashboard.py"
    namespace = runpy.run_path(str(script), run_name="dashboard")
    namespace["main"](["metrics_dashboard.py", str(tmp_path)])
    lines = capsys.readouterr().out.splitlines()

    assert "days in A/R (gross)            7.4 days" in lines
    assert "net collection rate               64.3%" in lines
    assert "authorization       1  $50.00" in lines
    assert "self_pay     $93.50  $0.00  $0.00   $0.00    $25.00  $118.50" in lines
    if importlib.util.find_spec("matplotlib") is None:
        assert lines[-1].startswith("matplotlib is not installed")
    else:
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            "ar_aging.png", "denials_by_category.png"]
        assert (tmp_path / "ar_aging.png").read_bytes().startswith(b"\x89PNG")
