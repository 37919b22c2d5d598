"""Strategies for the ledger (accounts, transfers, ledgers) and 835 remittances.

Remittances are balanced by construction: each charge is split into paid, CO, PR, OA and
PI parts with :func:`claimcore.money.allocate`, sometimes with a negative adjustment
that raises the payment, sometimes reversed (claim status 22), and the payment amount is
the claim payments less the provider-level adjustments.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from claimcore.codes import (
    CARC,
    CPT,
    HCPCS,
    RARC,
    AdjustmentGroup,
    ClaimFrequency,
    ClaimStatusCode,
    Modifier,
    RevenueCode,
)
from claimcore.ids import ClaimId, MedicalRecordNumber, PayerId, TransferId
from claimcore.ledger import (
    PAYER_ROLES,
    Account,
    AccountRole,
    AdjustmentTotal,
    AgingReport,
    AgingRow,
    EncounterSummary,
    Ledger,
    PayerBalance,
    RoleBalances,
    Totals,
    Transfer,
    TransferCode,
    WriteOffReason,
    WriteOffTotal,
    reversal_of,
)
from claimcore.money import Money, allocate
from claimcore.remittance import (
    Adjustment,
    ClaimPayment,
    CrossoverCarrier,
    Payee,
    PaymentMethod,
    ProviderAdjustment,
    ProviderAdjustmentReason,
    Remittance,
    RemittancePayer,
    ServicePayment,
    reverse,
)
from claimcore.strategies._core import (
    aging_buckets,
    claim_ids,
    dates,
    medical_record_numbers,
    money,
    npis,
    payer_claim_numbers,
    payer_ids,
    periods,
    tax_ids,
    transfer_ids,
)

__all__ = [
    "accounts",
    "adjustments",
    "aging_reports",
    "claim_payments",
    "encounter_summaries",
    "ledgers",
    "payees",
    "provider_adjustments",
    "remittances",
    "service_payments",
    "transfer_lists",
    "transfers",
]

_CO = AdjustmentGroup.CONTRACTUAL_OBLIGATION
_OA = AdjustmentGroup.OTHER_ADJUSTMENT
_PI = AdjustmentGroup.PAYER_INITIATED_REDUCTION
_PR = AdjustmentGroup.PATIENT_RESPONSIBILITY
_REASONS: dict[AdjustmentGroup, tuple[str, ...]] = {
    _CO: ("45", "A2", "16", "97", "59", "253"),
    _OA: ("23", "94", "A7", "18"),
    _PI: ("45", "104", "131"),
    _PR: ("1", "2", "3"),
}
_RARCS = ("N14", "MA01", "MA02", "M15", "N130", "N381")
_MODIFIERS = ("25", "26", "59", "TC", "LT", "RT", "XS")
_NAMES = ("ACME HEALTH PLAN", "RUSHMORE LIFE", "REGIONAL HOPE HOSPITAL", "MEDICARE PART B")
_TRANSFER_CODES = tuple(c for c in TransferCode if c is not TransferCode.REVERSAL)
_PROCESSED = tuple(s for s in ClaimStatusCode if s is not ClaimStatusCode.REVERSAL)
_START = date(2024, 1, 1)


# -- ledger ---------------------------------------------------------------------------------


def accounts(*, payers: st.SearchStrategy[PayerId] | None = None) -> st.SearchStrategy[Account]:
    """Any account of the chart (A/R payer accounts for ``payers``, any payer by default)."""
    payer_strategy = payer_ids() if payers is None else payers
    plain = st.sampled_from([
        r for r in AccountRole if r not in PAYER_ROLES and r is not AccountRole.WRITE_OFF
    ]).map(lambda role: Account(role=role))
    return st.one_of(
        plain,
        payer_strategy.map(Account.ar_payer),
        payer_strategy.map(Account.payer_credit),
        payer_strategy.map(Account.unapplied_cash),
        st.sampled_from(WriteOffReason).map(Account.write_off),
    )


_REASON_STRATEGIES: dict[AdjustmentGroup, st.SearchStrategy[CARC]] = {
    group: st.sampled_from(tuple(CARC(c) for c in codes)) for group, codes in _REASONS.items()
}


def _adjustment_code(group: AdjustmentGroup) -> st.SearchStrategy[CARC]:
    return _REASON_STRATEGIES[group]


_DATES = dates(min_value=_START, max_value=date(2026, 12, 31))
_CODES = st.sampled_from(_TRANSFER_CODES)
_TRACES = st.none() | st.sampled_from(("TRN-1", "TRN-2", "CHK-0001"))
_LINES = st.none() | st.integers(1, 50)
_OTHER_GROUPS = st.sampled_from((_OA, _PI))
_GROUP_OF = {
    TransferCode.CONTRACTUAL: _CO,
    TransferCode.PATIENT_RESPONSIBILITY: _PR,
}


def _draw_transfer(
    draw: st.DrawFn,
    *,
    transfer_id: TransferId,
    account_strategy: st.SearchStrategy[Account],
    patients: st.SearchStrategy[MedicalRecordNumber | None],
    encounters: st.SearchStrategy[str | None],
    claims: st.SearchStrategy[ClaimId | None],
    amounts: st.SearchStrategy[Money],
    payers: st.SearchStrategy[PayerId | None],
) -> Transfer:
    debit = draw(account_strategy)
    credit = draw(account_strategy)
    if credit == debit:
        credit = Account.gross_revenue() if debit != Account.gross_revenue() else Account.cash()
    code = draw(_CODES)
    group = reason = None
    if code in (TransferCode.CONTRACTUAL, TransferCode.OTHER_ADJUSTMENT,
                TransferCode.PATIENT_RESPONSIBILITY) and draw(st.booleans()):
        group = _GROUP_OF.get(code) or draw(_OTHER_GROUPS)
        reason = draw(st.none() | _REASON_STRATEGIES[group])
    claim = draw(claims)
    return Transfer(
        id=transfer_id,
        debit=debit,
        credit=credit,
        amount=draw(amounts),
        on=draw(_DATES),
        code=code,
        patient=draw(patients),
        encounter=draw(encounters),
        claim=claim,
        line=draw(_LINES) if claim is not None else None,
        payer=draw(payers),
        trace=draw(_TRACES),
        group=group,
        reason=reason,
    )


@st.composite
def _single_transfer(draw: st.DrawFn) -> Transfer:
    return _draw_transfer(
        draw,
        transfer_id=draw(transfer_ids()),
        account_strategy=accounts(),
        patients=st.none() | medical_record_numbers(),
        encounters=st.none() | st.sampled_from(("E1", "E2", "ENC-0003")),
        claims=st.none() | claim_ids(),
        amounts=money(min_cents=1, max_cents=10_000_000),
        payers=st.none() | payer_ids(),
    )


def transfers() -> st.SearchStrategy[Transfer]:
    """A single valid transfer (any accounts, code and references; never a reversal)."""
    return _single_transfer()


@st.composite
def transfer_lists(
    draw: st.DrawFn, *, max_size: int = 25, max_cents: int = 1_000_000
) -> list[Transfer]:
    """A list of transfers that posts cleanly in order: unique ids, and reversals (full
    or partial) of earlier transfers that never reverse more than is left.

    Accounts, patients, encounters and claims come from small pools, so balances per
    account and reference build up.
    """
    payer_pool = draw(st.lists(payer_ids(), min_size=1, max_size=3, unique=True))
    account_strategy = accounts(payers=st.sampled_from(payer_pool))
    patients = st.none() | st.sampled_from(
        draw(st.lists(medical_record_numbers(), min_size=1, max_size=3, unique=True))
    )
    encounters = st.none() | st.sampled_from(("E1", "E2", "E3"))
    claims = st.none() | st.sampled_from(tuple(ClaimId(c) for c in ("C1", "C2", "C3")))
    amounts = money(min_cents=1, max_cents=max_cents)
    size = draw(st.integers(0, max_size))
    out: list[Transfer] = []
    left: dict[TransferId, int] = {}
    for i in range(size):
        tid = TransferId(f"T{i}")
        reversible = [t for t in out if left.get(t.id, 0) > 0]
        if reversible and draw(st.integers(0, 4)) == 0:
            original = reversible[draw(st.integers(0, len(reversible) - 1))]
            cents = draw(st.integers(1, left[original.id]))
            out.append(reversal_of(
                original, id=tid, on=original.on + timedelta(days=draw(st.integers(0, 60))),
                amount=Money.from_cents(cents),
            ))
            left[original.id] -= cents
            continue
        transfer = _draw_transfer(
            draw, transfer_id=tid, account_strategy=account_strategy, patients=patients,
            encounters=encounters, claims=claims, amounts=amounts,
            payers=st.none() | st.sampled_from(payer_pool),
        )
        left[tid] = transfer.amount.cents
        out.append(transfer)
    return out


def ledgers(*, max_size: int = 25) -> st.SearchStrategy[Ledger]:
    """Ledgers of up to ``max_size`` transfers (see :func:`transfer_lists`)."""
    return transfer_lists(max_size=max_size).map(Ledger.from_transfers)


def encounter_summaries() -> st.SearchStrategy[EncounterSummary]:
    """Summaries of an encounter of a generated ledger."""
    return st.builds(
        lambda ledger, encounter: ledger.encounter_summary(encounter),
        ledgers(), st.sampled_from(("E1", "E2", "E3")),
    )


def aging_reports() -> st.SearchStrategy[AgingReport]:
    """A/R aging reports of generated ledgers."""
    return st.builds(
        lambda ledger, as_of, buckets: ledger.aging(as_of, buckets),
        ledgers(), dates(min_value=_START, max_value=date(2027, 12, 31)), aging_buckets(),
    )


def _role_balances() -> st.SearchStrategy[RoleBalances]:
    """Role balances of generated ledgers: of everything, or of one encounter."""
    return st.builds(
        lambda ledger, encounter: ledger.balances_by_role(encounter=encounter),
        ledgers(), st.none() | st.sampled_from(("E1", "E2", "E3")),
    )


def _totals() -> st.SearchStrategy[Totals]:
    return ledgers().map(lambda ledger: ledger.totals())


def _aging_rows() -> st.SearchStrategy[AgingRow]:
    return st.builds(
        lambda account, amounts, unapplied: AgingRow(
            account=account, amounts=amounts, unapplied=unapplied
        ),
        st.one_of(payer_ids().map(Account.ar_payer), st.just(Account.ar_patient())),
        st.lists(money(max_cents=1_000_000), min_size=1, max_size=6),
        money(max_cents=100_000),
    )


def _adjustment_totals() -> st.SearchStrategy[AdjustmentTotal]:
    return st.sampled_from(AdjustmentGroup).flatmap(
        lambda group: st.builds(
            lambda reason, amount: AdjustmentTotal(group=group, reason=reason, amount=amount),
            st.none() | _adjustment_code(group),
            money(min_cents=-100_000, max_cents=1_000_000),
        )
    )


# -- remittance -----------------------------------------------------------------------------


def adjustments() -> st.SearchStrategy[Adjustment]:
    """A single claim adjustment (sometimes negative, sometimes with a quantity)."""
    return st.sampled_from(AdjustmentGroup).flatmap(
        lambda group: st.builds(
            lambda reason, amount, quantity: Adjustment(
                group=group, reason=reason, amount=amount, quantity=quantity
            ),
            _adjustment_code(group),
            money(min_cents=-100_000, max_cents=1_000_000),
            st.none() | st.integers(1, 10).map(Decimal),
        )
    )


_WEIGHTS5 = st.lists(st.integers(0, 10), min_size=5, max_size=5)
_WEIGHTS3 = st.lists(st.integers(0, 5), min_size=3, max_size=3).filter(any)
_WEIGHTS2 = st.lists(st.integers(0, 10), min_size=2, max_size=2).filter(any)
_EXTRA = money(min_cents=1, max_cents=10_000)


def _split(draw: st.DrawFn, charge: Money) -> tuple[Money, list[Adjustment]]:
    """Split ``charge`` into a paid part and adjustments that make up the rest."""
    weights = draw(_WEIGHTS5)
    if not any(weights):
        weights[0] = 1
    paid, co, pr, oa, pi = allocate(charge, weights)
    found: list[Adjustment] = []
    for group, amount in ((_CO, co), (_OA, oa), (_PI, pi)):
        if amount:
            found.append(Adjustment(
                group=group, reason=draw(_adjustment_code(group)), amount=amount
            ))
    if pr:
        # Deductible, coinsurance and copay, each its own CAS reason.
        parts = allocate(pr, draw(_WEIGHTS3))
        found.extend(
            Adjustment(group=_PR, reason=CARC(code), amount=part)
            for code, part in zip(("1", "2", "3"), parts, strict=True) if part
        )
    if draw(st.integers(0, 5)) == 0:
        # A negative adjustment (OA-94: processed in excess of charges) raises the payment.
        extra = draw(_EXTRA)
        found.append(Adjustment(group=_OA, reason=CARC("94"), amount=-extra))
        paid = paid + extra
    if found:  # CAS segments come in any order
        turn = draw(st.integers(0, len(found) - 1))
        found = found[turn:] + found[:turn]
    return paid, found


_PROCEDURES: st.SearchStrategy[CPT | HCPCS] = st.one_of(
    st.integers(0, 99_999).map(lambda n: CPT(f"{n:05d}")),
    st.builds(lambda letter, n: HCPCS(f"{letter}{n:04d}"),
              st.sampled_from("ABCDEGHJKLMPQRSTV"), st.integers(0, 9_999)),
)
_REVENUE_CODES = st.integers(100, 999).map(lambda n: RevenueCode(f"0{n}"))
_MODIFIER_LISTS = st.lists(st.sampled_from(tuple(Modifier(c) for c in _MODIFIERS)),
                           max_size=2, unique=True)
_RARC_LISTS = st.lists(st.sampled_from(tuple(RARC(c) for c in _RARCS)), max_size=2,
                       unique=True)
_LINE_REFS = st.none() | st.integers(1, 9_999).map(lambda n: f"L{n}")
_PERIODS = st.none() | periods(min_value=_START, allow_open=False)


@st.composite
def service_payments(draw: st.DrawFn, *, max_cents: int = 500_000) -> ServicePayment:
    """A service line that balances: charge - adjustments = paid."""
    charge = draw(money(max_cents=max_cents))
    paid, found = _split(draw, charge)
    procedure = draw(st.none() | _PROCEDURES)
    revenue = draw(st.none() | _REVENUE_CODES) if procedure is not None else draw(
        _REVENUE_CODES)
    co = sum((a.amount for a in found if a.group is _CO), Money.zero())
    return ServicePayment(
        procedure=procedure,
        revenue_code=revenue,
        modifiers=draw(_MODIFIER_LISTS),
        units=Decimal(draw(st.integers(0, 12))),
        charge=charge,
        paid=paid,
        allowed=charge - co if draw(st.booleans()) else None,
        adjustments=found,
        remarks=draw(_RARC_LISTS),
        line_ref=draw(_LINE_REFS),
        service_period=draw(_PERIODS),
    )


_SERVICE_PAYMENTS = service_payments()
_CLAIM_CHARGES = money(max_cents=2_000_000)
_CLAIM_IDS = claim_ids()
_PAYER_CLAIM_NUMBERS = payer_claim_numbers()
_NAME_STRATEGY = st.sampled_from(_NAMES)
_OPTIONAL_PAYERS = st.none() | payer_ids()
_FACILITY_CODES = st.none() | st.sampled_from(("11", "13", "22", "83"))
_FREQUENCIES = st.none() | st.sampled_from(ClaimFrequency)


@st.composite
def claim_payments(
    draw: st.DrawFn, *, max_services: int = 3, allow_reversal: bool = True
) -> ClaimPayment:
    """A claim payment that balances at line and claim level; sometimes a reversal."""
    services = draw(st.lists(_SERVICE_PAYMENTS, max_size=max_services))
    if services:
        charge = sum((s.charge for s in services), Money.zero())
        lines_paid = sum((s.paid for s in services), Money.zero())
        claim_level: list[Adjustment] = []
        paid = lines_paid
        if lines_paid.is_positive() and draw(st.booleans()):
            # Part of what the lines pay is adjusted at claim level (CO-A2, say).
            taken, _ = allocate(lines_paid, draw(_WEIGHTS2))
            if taken:
                group = draw(st.sampled_from((_CO, _OA, _PI, _PR)))
                claim_level.append(Adjustment(
                    group=group, reason=draw(_adjustment_code(group)), amount=taken
                ))
                paid = lines_paid - taken
    else:
        charge = draw(_CLAIM_CHARGES)
        paid, claim_level = _split(draw, charge)
    status = draw(st.sampled_from(_PROCESSED))
    claim = ClaimPayment(
        claim=draw(_CLAIM_IDS),
        status=status,
        charge=charge,
        paid=paid,
        payer_claim_number=draw(_PAYER_CLAIM_NUMBERS),
        adjustments=claim_level,
        services=services,
        remarks=draw(_RARC_LISTS),
        crossover=(
            CrossoverCarrier(name=draw(_NAME_STRATEGY), payer_id=draw(_OPTIONAL_PAYERS))
            if status.is_crossover else None
        ),
        facility_code=draw(_FACILITY_CODES),
        frequency=draw(_FREQUENCIES),
        statement_period=draw(_PERIODS),
    )
    if draw(st.booleans()):
        # CLP05, when given, is the sum of the PR adjustments.
        claim = attrs.evolve(claim, patient_responsibility=claim.patient_responsibility_total())
    if allow_reversal and draw(st.integers(0, 5)) == 0:
        return reverse(claim)
    return claim


def provider_adjustments() -> st.SearchStrategy[ProviderAdjustment]:
    """A provider-level adjustment (PLB): positive withholds, negative adds."""
    return st.builds(
        lambda reason, amount, reference, fiscal: ProviderAdjustment(
            reason=reason, amount=amount, reference=reference, provider_id="1234567893",
            fiscal_period_end=fiscal,
        ),
        st.sampled_from(ProviderAdjustmentReason),
        money(min_cents=-50_000, max_cents=50_000).filter(bool),
        st.none() | st.integers(10_000, 10**12).map(lambda n: f"ICN{n}"),
        st.none() | dates(min_value=_START),
    )


def payees() -> st.SearchStrategy[Payee]:
    """A payee named by an NPI, a tax id or both."""
    return st.one_of(
        st.builds(lambda n, npi: Payee(name=n, npi=npi), st.sampled_from(_NAMES), npis()),
        st.builds(lambda n, t: Payee(name=n, tax_id=t), st.sampled_from(_NAMES), tax_ids()),
        st.builds(lambda n, npi, t: Payee(name=n, npi=npi, tax_id=t),
                  st.sampled_from(_NAMES), npis(), tax_ids()),
    )


def _remittance_payers() -> st.SearchStrategy[RemittancePayer]:
    return st.builds(
        lambda pid, name: RemittancePayer(payer_id=pid, name=name),
        payer_ids(), st.sampled_from(_NAMES),
    )


_CLAIM_PAYMENTS = claim_payments()
_PLB_LISTS = st.lists(provider_adjustments(), max_size=2)
_REMITTANCE_PAYERS = _remittance_payers()
_PAYEES = payees()
_PAID_ON = dates(min_value=_START)
_ZERO_METHODS = st.sampled_from((PaymentMethod.NON_PAYMENT, PaymentMethod.CHECK))
_PAYING_METHODS = st.sampled_from(
    [m for m in PaymentMethod if m is not PaymentMethod.NON_PAYMENT]
)


@st.composite
def remittances(draw: st.DrawFn, *, max_claims: int = 3) -> Remittance:
    """A remittance that balances at all three levels (line, claim, payment).

    The payment is the claim payments less the provider-level adjustments; when that
    would be negative, a forwarding-balance PLB (``FB``) carries the difference forward
    and the payment is zero, as payers do.
    """
    claims = draw(st.lists(_CLAIM_PAYMENTS, max_size=max_claims))
    plbs = draw(_PLB_LISTS)
    claims_paid = sum((c.paid for c in claims), Money.zero())
    payment = claims_paid - sum((p.amount for p in plbs), Money.zero())
    if payment.is_negative():
        plbs.append(ProviderAdjustment(
            reason=ProviderAdjustmentReason.FORWARDING_BALANCE, amount=payment,
        ))
        payment = Money.zero()
    method = (
        draw(_ZERO_METHODS) if payment.is_zero() else draw(_PAYING_METHODS)
    )
    return Remittance(
        payer=draw(_REMITTANCE_PAYERS),
        payee=draw(_PAYEES),
        method=method,
        payment=payment,
        trace=str(draw(st.integers(100_000, 10**12))),
        paid_on=draw(_PAID_ON),
        claims=claims,
        provider_adjustments=plbs,
    )


def _register() -> None:
    """Register this module's strategies for ``st.from_type``."""
    for cls, strategy in (
        (Account, accounts()),
        (Transfer, transfers()),
        (Ledger, ledgers()),
        (Totals, _totals()),
        (AgingRow, _aging_rows()),
        (AgingReport, aging_reports()),
        (AdjustmentTotal, _adjustment_totals()),
        (WriteOffTotal, st.builds(WriteOffTotal, st.sampled_from(WriteOffReason),
                                  money(min_cents=-10_000, max_cents=100_000))),
        (PayerBalance, st.builds(PayerBalance, payer_ids(),
                                 money(min_cents=-10_000, max_cents=100_000))),
        (EncounterSummary, encounter_summaries()),
        (RoleBalances, _role_balances()),
        (Adjustment, adjustments()),
        (ServicePayment, service_payments()),
        (ClaimPayment, claim_payments()),
        (CrossoverCarrier, st.builds(lambda n, p: CrossoverCarrier(name=n, payer_id=p),
                                     st.sampled_from(_NAMES), st.none() | payer_ids())),
        (ProviderAdjustment, provider_adjustments()),
        (RemittancePayer, _remittance_payers()),
        (Payee, payees()),
        (Remittance, remittances()),
    ):
        st.register_type_strategy(cls, strategy)
