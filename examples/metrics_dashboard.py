"""A clinic's month on one screen: the revenue-cycle dashboard, and two charts.

Run it with ``python examples/metrics_dashboard.py [DIRECTORY]``. It builds March 2026 of
a small clinic (the same month as docs/metrics.md): eight visits, two payers whose 835s
come from claimcore's payer in a box (``claimcore.adjudication``), posting, a few
patient payments. It prints the KPIs of ``claimcore.metrics`` as a table, denials by
category and A/R aging by financial class. When matplotlib is installed
(``pip install claimcore[plot]``) it also saves ``ar_aging.png`` and
``denials_by_category.png`` into DIRECTORY (default: a new temporary directory).
"""

from __future__ import annotations

import importlib
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from claimcore.adjudication import (
    Accumulators,
    Contract,
    PayerRules,
    ServiceTypeRule,
    adjudicate,
    remit,
)
from claimcore.charges import FeePrice, FeeSchedule
from claimcore.claims import (
    Claim,
    ClaimKind,
    ClaimLine,
    EditContext,
    NcciEdit,
    NcciModifierIndicator,
    NcciTable,
    RejectionReason,
    acknowledge,
    correct,
    mark_ready,
    reject,
    scrub,
    submit,
)
from claimcore.codes import CPT, ICD10CM, PlaceOfService
from claimcore.coverage import (
    Accumulator,
    Copay,
    Coverage,
    CoverageOrder,
    NetworkBenefits,
    Payer,
    PayerKind,
    Plan,
    PlanType,
    Relationship,
    Subscriber,
    TimelyFiling,
)
from claimcore.ids import NPI, ClaimId, MedicalRecordNumber, MemberId, PayerId, TaxId
from claimcore.ledger import Account, AgingGroup, Ledger
from claimcore.metrics import Figures, aging_by, figures
from claimcore.money import Money, Rate
from claimcore.patients import Address, AdministrativeSex, Patient, PersonName
from claimcore.periods import Period
from claimcore.posting import post_charges, post_patient_payment, post_remittance
from claimcore.providers import Organization
from claimcore.remittance import Payee

AS_OF = date(2026, 3, 31)
MARCH = Period(date(2026, 3, 1), AS_OF)
SINCE = Period(date(2020, 1, 1))
PRICES = {"99213": "120.00", "99214": "175.00", "80053": "60.00", "36415": "15.00",
          "93000": "50.00"}
ACME = Payer(payer_id=PayerId("ACME1"), name="Acme Health", kind=PayerKind.COMMERCIAL,
             timely_filing=TimelyFiling(days=180))
MEDICARE = Payer(payer_id=PayerId("MCARE1"), name="Medicare Part B", kind=PayerKind.MEDICARE,
                 timely_filing=TimelyFiling(months=12))
#: patient number, payer, date of service, codes, days from the visit to charge entry
VISITS: tuple[tuple[int, Payer, date, tuple[str, ...], int], ...] = (
    (1, ACME, date(2026, 3, 2), ("99214", "80053", "36415"), 1),
    (2, MEDICARE, date(2026, 3, 3), ("99213", "93000"), 1),
    (3, ACME, date(2026, 3, 5), ("99213", "93000"), 2),
    (4, MEDICARE, date(2026, 3, 9), ("99214", "80053"), 1),
    (5, ACME, date(2025, 11, 20), ("99213",), 110),
    (6, ACME, date(2026, 3, 12), ("99214",), 3),
    (7, MEDICARE, date(2026, 3, 16), ("99213", "36415"), 1),
    (8, ACME, date(2026, 3, 23), ("99214", "80053"), 1),
)


def usd(text: str) -> Money:
    """Dollars from text, exactly."""
    return Money(Decimal(text))


def schedule(name: str, prices: Sequence[tuple[str, str]]) -> FeeSchedule:
    """A payer's allowed amounts, per code."""
    return FeeSchedule(name=name, effective=SINCE, prices=[
        FeePrice(code=CPT(code), modifier=None, price=usd(price)) for code, price in prices])


RULES = {
    ACME.payer_id: PayerRules(
        payer=ACME,
        contract=Contract(fee_schedule=schedule("Acme", [
            ("99213", "95.00"), ("99214", "150.00"), ("80053", "40.00"), ("36415", "10.00")]),
            percent_of_charge=Rate.percent(60)),
        benefits=NetworkBenefits(
            individual_deductible=Accumulator(limit=usd("500.00"), met=usd("400.00")),
            coinsurance=Rate.percent(20), copays=[Copay(service_type="98", amount=usd("25.00"))]),
        service_types=[ServiceTypeRule(codes={CPT("99213"), CPT("99214")}, service_type="98")],
        coverage_period=SINCE, authorization_required={CPT("93000")},
        ncci=NcciTable(edits=[NcciEdit(column1=CPT("80053"), column2=CPT("36415"),
                                       effective=SINCE,
                                       modifier_indicator=NcciModifierIndicator.ALLOWED)]),
    ),
    MEDICARE.payer_id: PayerRules(
        payer=MEDICARE,
        contract=Contract(fee_schedule=schedule("MPFS", [
            ("99213", "92.00"), ("99214", "128.00"), ("80053", "10.50"), ("36415", "3.00"),
            ("93000", "17.00")])),
        benefits=NetworkBenefits(
            individual_deductible=Accumulator(limit=usd("257.00"), met=usd("257.00")),
            coinsurance=Rate.percent(20)),
        coverage_period=SINCE,
    ),
}
CLINIC = Organization(npi=NPI("1234567893"), name="Springfield Clinic",
                      tax_id=TaxId("12-3456789"),
                      address=Address(lines=("1 Main St",), city="Springfield", state="IL",
                                      postal_code="62701"))
PAYEE = Payee(name="Springfield Clinic", npi=CLINIC.npi)


def _ready(claim: Claim, *, on: date, at: datetime) -> Claim:
    return submit(mark_ready(claim, scrub(claim, context=EditContext(as_of=on)), at=at), at=at)


def clinic_month() -> tuple[Ledger, list[Claim]]:
    """March 2026 of the clinic: its ledger and its claims as of the 31st."""
    ledger = Ledger()
    claims: list[Claim] = []
    accumulators: dict[MedicalRecordNumber, Accumulators] = {}
    for n, payer, dos, codes, lag in VISITS:
        mrn = MedicalRecordNumber(f"MRN{n:05d}")
        patient = Patient(mrn=mrn, name=PersonName(family="Doe", given="Alex"),
                          birth_date=date(1950, 1, 1), sex=AdministrativeSex.UNKNOWN)
        member = MemberId(f"M{n:06d}")
        coverage = Coverage(
            payer=payer, plan=Plan(name="Plan", plan_type=PlanType.PPO), member_id=member,
            subscriber=Subscriber(member_id=member, name=patient.name,
                                  birth_date=patient.birth_date, sex=patient.sex),
            relationship=Relationship.SELF, period=SINCE, order=CoverageOrder.PRIMARY)
        claim = Claim(
            id=ClaimId(f"CL{n:03d}"), kind=ClaimKind.PROFESSIONAL, encounter=f"E{n}",
            patient=patient, coverage=coverage, billing_provider=CLINIC,
            place_of_service=PlaceOfService("11"), diagnoses=(ICD10CM("E11.9"),),
            lines=[ClaimLine(line_number=i, procedure=CPT(code), charge=usd(PRICES[code]),
                             service_period=Period(dos, dos), pointers=(1,))
                   for i, code in enumerate(codes, 1)])
        entered = dos + timedelta(days=lag)
        ledger = post_charges(ledger, claim, on=entered)
        at = datetime(entered.year, entered.month, entered.day, 17, tzinfo=UTC)
        claim = _ready(claim, on=entered, at=at)
        if n == 6:  # the clearinghouse rejects it; it is corrected and sent the next day
            claim = reject(claim, at=at,
                           reasons=[RejectionReason(category="A7", status_code="164")])
            claim = correct(claim, at=at + timedelta(days=1))
            claim = _ready(claim, on=entered, at=at + timedelta(days=1))
        claim = acknowledge(claim, at=at + timedelta(days=1, hours=1))
        decided_on = entered + timedelta(days=10)
        if decided_on <= AS_OF:
            decision = adjudicate(claim, RULES[payer.payer_id], on=decided_on,
                                  accumulators=accumulators.get(mrn))
            accumulators[mrn] = decision.accumulators
            advice = remit(decision, payer=payer, payee=PAYEE,
                           paid_on=decided_on + timedelta(days=1), trace=f"EFT{n:04d}")
            result = post_remittance(ledger, [claim], advice, coverages={mrn: (coverage,)})
            ledger, (claim,) = result.ledger, result.claims
            owed = ledger.balance(Account.ar_patient(), patient=mrn)
            paid_on = decided_on + timedelta(days=6)
            if n in (1, 3, 7) and owed.is_positive() and paid_on <= AS_OF:
                ledger = post_patient_payment(ledger, patient=mrn, amount=owed, on=paid_on,
                                              reference=f"PAY{n}")
        claims.append(claim)
    return ledger, claims


def _pct(value: Decimal | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def _days(value: Decimal | None) -> str:
    return "n/a" if value is None else f"{value} days"


def dashboard(f: Figures) -> list[tuple[str, str]]:
    """The KPIs of ``f`` as (name, value) rows."""
    return [
        ("gross charges", f.charges.format()),
        ("cash collected", (f.payer_cash + f.patient_cash).format()),
        ("A/R", f.receivable.format()),
        ("days in A/R (gross)", _days(f.days_in_ar())),
        ("days in A/R (net)", _days(f.days_in_ar(net=True))),
        ("A/R over 90 days", _pct(f.ar_over_90())),
        ("A/R over 120 days", _pct(f.ar_over_120())),
        ("clean claim rate", _pct(f.clean_claim_rate())),
        ("first-pass resolution", _pct(f.first_pass_resolution_rate())),
        ("initial denial rate (claims)", _pct(f.initial_denial_rate())),
        ("initial denial rate (amount)", _pct(f.initial_denial_rate(by="amount"))),
        ("denial overturn rate", _pct(f.denial_overturn_rate())),
        ("gross collection rate", _pct(f.gross_collection_rate())),
        ("net collection rate", _pct(f.net_collection_rate())),
        ("cash / net revenue", _pct(f.cash_to_net_revenue())),
        ("charge lag", _days(f.charge_lag())),
        ("bill lag", _days(f.bill_lag())),
    ]


def table(rows: Sequence[Sequence[str]]) -> str:
    """Rows as aligned text: the first column left, the others right."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                  for i, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip()
        for row in rows)


def charts(f: Figures, aging: list[tuple[str, list[Decimal]]], labels: Sequence[str],
           directory: Path) -> list[Path] | None:
    """Save the A/R aging and denial charts as PNG into ``directory`` (``None``: no
    matplotlib)."""
    try:
        matplotlib = importlib.import_module("matplotlib")
    except ImportError:
        return None
    matplotlib.use("Agg")  # files only, never a window
    plt = importlib.import_module("matplotlib.pyplot")
    saved = []
    fig, ax = plt.subplots(figsize=(7, 4))
    bottom = [0.0] * len(labels)
    for name, amounts in aging:
        values = [float(a) for a in amounts]  # for drawing only; the money stays Decimal
        ax.bar(labels, values, bottom=bottom, label=name)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_title(f"A/R aging by financial class, {f.as_of.isoformat()}")
    ax.set_ylabel("USD")
    ax.legend()
    path = directory / "ar_aging.png"
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    saved.append(path)
    denials = f.denials_by_category()
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.bar([c.value for c in denials], [float(t.amount.amount) for t in denials.values()])
    ax.set_title(f"Denials by category, {f.period}")
    ax.set_ylabel("USD")
    path = directory / "denials_by_category.png"
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    saved.append(path)
    return saved


def main(argv: Sequence[str]) -> None:
    ledger, claims = clinic_month()
    f = figures(ledger, claims, as_of=AS_OF, period=MARCH)
    print(f"== Revenue-cycle dashboard: Springfield Clinic, {MARCH} ==")
    print()
    print(table([("KPI", "value"), *dashboard(f)]))
    print()
    print("Denials by category")
    print(table([("category", "claims", "amount"),
                 *((c.value, str(t.count), t.amount.format())
                   for c, t in f.denials_by_category().items())]))
    print()
    report = aging_by(ledger, claims, as_of=AS_OF, by=AgingGroup.FINANCIAL_CLASS)
    print("A/R aging by financial class")
    print(table([("class", *report.labels, "total"),
                 *((str(r.key), *(a.format() for a in r.amounts), r.total.format())
                   for r in report.rows)]))
    directory = Path(argv[1]) if len(argv) > 1 else Path(tempfile.mkdtemp(prefix="kpi-"))
    saved = charts(f, [(str(r.key), [a.amount for a in r.amounts]) for r in report.rows],
                   report.labels, directory)
    print()
    if saved is None:
        print("matplotlib is not installed: no charts (pip install claimcore[plot]).")
    else:
        print("charts: " + ", ".join(p.name for p in saved) + f" in {directory}")


if __name__ == "__main__":
    main(sys.argv)
