"""The deterministic payer: a claim and the payer's rules in, a balanced claim payment out."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

import attrs

from claimcore._validate import a_date, instance, members, to_tuple
from claimcore.adjudication._rules import Accumulators, MaximumUse, PayerRules
from claimcore.adjustments import Adjustment
from claimcore.claims import (
    NCCI_BYPASS_MODIFIERS,
    Claim,
    ClaimLine,
    ClaimStatus,
    LineAdjudication,
    MueIndicator,
    NcciModifierIndicator,
)
from claimcore.codes import CARC, RARC, AdjustmentGroup, ClaimStatusCode
from claimcore.coverage import Accumulator, Benefits, NetworkBenefits, estimate_responsibility
from claimcore.errors import ClaimcoreError, ValidationError
from claimcore.findings import Finding, Severity
from claimcore.ids import PayerClaimNumber, PayerId
from claimcore.money import Money, allocate
from claimcore.posting import secondary_payment
from claimcore.remittance import ClaimPayment, ServicePayment

__all__ = ["Adjudicated", "adjudicate"]

_CO = AdjustmentGroup.CONTRACTUAL_OBLIGATION
_OA = AdjustmentGroup.OTHER_ADJUSTMENT
_PR = AdjustmentGroup.PATIENT_RESPONSIBILITY
_STATUS = {
    1: ClaimStatusCode.PROCESSED_AS_PRIMARY,
    2: ClaimStatusCode.PROCESSED_AS_SECONDARY,
    3: ClaimStatusCode.PROCESSED_AS_TERTIARY,
}
_M51 = RARC("M51")
_N130 = RARC("N130")


def _findings(value: Iterable[Finding]) -> tuple[Finding, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class Adjudicated:
    """A payer's decision on one claim: the claim payment, the accumulators after it, why.

    ``payment`` is the balanced 835 claim payment (loop 2100 with its 2110 lines),
    ``accumulators`` the member's after this claim, ``findings`` one record per line (or
    claim) the payer denied or could not decide, with the CARC it sent. ``payer`` is the
    payer that decided it; :func:`remit` groups decisions of one payer into an 835.
    """

    claim: Claim = attrs.field(repr=False)
    payer: PayerId
    payment: ClaimPayment
    accumulators: Accumulators
    findings: tuple[Finding, ...] = attrs.field(default=(), converter=_findings)

    def __attrs_post_init__(self) -> None:
        instance(self.claim, Claim, "$.claim")
        instance(self.payer, PayerId, "$.payer")
        instance(self.payment, ClaimPayment, "$.payment")
        instance(self.accumulators, Accumulators, "$.accumulators")
        members(self.findings, Finding, "$.findings")

    @property
    def denied(self) -> bool:
        """Whether the payer paid nothing and left nothing to the patient."""
        return self.payment.is_denial


@attrs.frozen
class _Denial:
    carc: CARC
    edit: str
    message: str
    remark: RARC | None = None


class _Line:
    """One claim line while it is decided: what is payable and what was taken off."""

    __slots__ = ("adjustments", "allowed", "charge", "covered_units", "denial", "line",
                 "payable_charge", "remarks")

    def __init__(self, line: ClaimLine) -> None:
        self.line = line
        self.charge = line.charge
        self.payable_charge = line.charge
        self.covered_units = line.units
        self.allowed: Money | None = None
        self.denial: _Denial | None = None
        self.adjustments: list[Adjustment] = []
        self.remarks: list[RARC] = []

    def take(self, group: AdjustmentGroup, reason: str, amount: Money) -> None:
        if not amount.is_zero():
            self.adjustments.append(Adjustment(group=group, reason=CARC(reason), amount=amount))

    def deny(self, denial: _Denial) -> None:
        self.denial = denial

    @property
    def paid(self) -> Money:
        total = self.charge
        for a in self.adjustments:
            total = total - a.amount
        return total


def _filed_on(claim: Claim, on: date) -> date:
    for event in claim.history:
        if event.to_status is ClaimStatus.SUBMITTED:
            return event.at.date()
    return on


def _rank(claim: Claim) -> int:
    return min(len(claim.other_payers) + 1, 3)


def _claim_number(claim: Claim, payer: PayerId) -> PayerClaimNumber:
    if claim.payer_claim_number is not None:
        return claim.payer_claim_number
    # A digest of non-PHI keys: stable for the same claim, payer and revision.
    key = f"{payer.value}|{claim.id.value}|{claim.revision}|{len(claim.other_payers)}"
    return PayerClaimNumber("AJ" + hashlib.sha256(key.encode()).hexdigest()[:16].upper())


def _edits(claim: Claim, rules: PayerRules, lines: Sequence[_Line], filed_on: date) -> None:
    """Deny lines by the payer's edits, in the order a payer runs them."""
    late_claim = (not claim.is_professional
                  and not rules.payer.timely_filing.is_timely(
                      claim.service_period.end or claim.service_period.start,
                      filed_on=filed_on))
    period = rules.coverage_period
    for item in lines:
        line = item.line
        on = line.from_date
        code = line.procedure
        if late_claim or (claim.is_professional and not rules.payer.timely_filing.is_timely(
                on, filed_on=filed_on)):
            item.deny(_Denial(CARC("29"), "timely-filing",
                              "filed after the payer's timely-filing limit"))
        elif on < period.start:
            item.deny(_Denial(CARC("26"), "coverage-not-started",
                              "service before the member's coverage began"))
        elif period.end is not None and on > period.end:
            item.deny(_Denial(CARC("27"), "coverage-ended",
                              "service after the member's coverage ended"))
        elif code is not None and code in rules.non_covered:
            item.deny(_Denial(CARC("96"), "non-covered", "the plan does not cover the code",
                              _N130))
        elif code is not None and code in rules.authorization_required and (
                claim.prior_authorization is None
                or (rules.authorizations is not None
                    and claim.prior_authorization not in rules.authorizations)):
            item.deny(_Denial(CARC("197"), "authorization",
                              "the code needs a prior authorization the payer has not on file"))
    _ncci(rules, lines)
    _mue(rules, lines)


def _ncci(rules: PayerRules, lines: Sequence[_Line]) -> None:
    if rules.ncci is None:
        return
    for item in lines:
        col2 = item.line.procedure
        if item.denial is not None or col2 is None:
            continue
        for other in lines:
            col1 = other.line.procedure
            if other is item or col1 is None or other.denial is not None:
                continue
            if other.line.from_date != item.line.from_date:
                continue
            for pair in rules.ncci.pairs_between(col1, col2, on=item.line.from_date):
                indicator = pair.modifier_indicator
                if indicator is NcciModifierIndicator.NOT_APPLICABLE:
                    continue
                bypass = any(m in NCCI_BYPASS_MODIFIERS for m in item.line.modifiers)
                if indicator is NcciModifierIndicator.ALLOWED and bypass:
                    continue
                item.deny(_Denial(CARC("97"), "ncci-ptp",
                                  f"bundled into line {other.line.line_number} (NCCI pair)"))
                break
            if item.denial is not None:
                break


def _mue(rules: PayerRules, lines: Sequence[_Line]) -> None:
    if rules.mue is None:
        return
    per_day: dict[tuple[object, date], Decimal] = {}
    for item in lines:
        code = item.line.procedure
        if item.denial is not None or code is None:
            continue
        entry = rules.mue.lookup(code, on=item.line.from_date)
        if entry is None:
            continue
        if entry.adjudication_indicator is MueIndicator.LINE:
            over = item.line.units > entry.max_units
        else:
            key = (code, item.line.from_date)
            units = per_day.get(key, Decimal(0)) + item.line.units
            over = units > entry.max_units
            if not over:
                per_day[key] = units
        if over:
            item.deny(_Denial(CARC("151"), "mue",
                              f"more than {entry.max_units} units (medically unlikely edit)"))


def _maximums(rules: PayerRules, lines: Sequence[_Line], acc: Accumulators) -> Accumulators:
    """Cut units past each benefit maximum (``CO-119``) and count the units used."""
    used = {m.name: acc.used(m.name) for m in rules.maximums}
    for item in lines:
        code = item.line.procedure
        if item.denial is not None:
            continue
        for maximum in rules.maximums:
            if code not in maximum.codes:
                continue
            room = max(Decimal(maximum.units) - used[maximum.name], Decimal(0))
            units = item.line.units
            if units <= room:
                used[maximum.name] += units
                continue
            if room <= 0 or units <= 0:
                item.deny(_Denial(CARC("119"), "benefit-maximum",
                                  f"the benefit maximum {maximum.name!r} is reached"))
                break
            covered, excess = allocate(item.charge, [room, units - room])
            item.take(_CO, "119", excess)
            item.payable_charge = covered
            item.covered_units = room
            used[maximum.name] += room
            break
    known = {u.name for u in acc.maximums}
    uses = [MaximumUse(u.name, used.get(u.name, u.units)) for u in acc.maximums]
    uses += [MaximumUse(name, units) for name, units in used.items()
             if name not in known and units]
    return attrs.evolve(acc, maximums=tuple(uses))


def _price(rules: PayerRules, item: _Line) -> Money | None:
    line = item.line
    contract = rules.contract
    charge = item.payable_charge
    carve = contract.carve_out(line.procedure)
    if carve is not None:
        if carve.price is not None:
            return carve.price.times(item.covered_units)
        if carve.rate is not None:
            return carve.rate.of(charge)
    schedule = contract.fee_schedule
    if (line.procedure is not None and schedule is not None
            and schedule.in_force(line.from_date)):
        price = schedule.price_for(line.procedure, line.modifiers)
        if price is not None:
            return price.times(item.covered_units)
    if contract.percent_of_charge is not None:
        return contract.percent_of_charge.of(charge)
    return None


def _allow(rules: PayerRules, lines: Sequence[_Line]) -> None:
    """Each payable line's allowed amount: ``CO-45`` above it, ``CO-59`` for the MPPR."""
    for item in lines:
        if item.denial is not None:
            continue
        priced = _price(rules, item)
        if priced is None:
            item.deny(_Denial(CARC("16"), "unpriced",
                              "no contract basis prices the line", _M51))
            continue
        allowed = min(priced, item.payable_charge)
        item.take(_CO, "45", item.payable_charge - allowed)
        item.allowed = allowed
    rule = rules.contract.multiple_procedure
    if rule is None:
        return
    by_day: dict[date, list[_Line]] = {}
    for item in lines:
        if item.allowed is not None and item.line.procedure in rule.codes:
            by_day.setdefault(item.line.from_date, []).append(item)
    for group in by_day.values():
        ranked = sorted(group, key=lambda i: (-i.allowed.cents if i.allowed else 0,
                                              i.line.line_number))
        for item in ranked[1:]:
            assert item.allowed is not None
            reduced = rule.rate.of(item.allowed)
            item.take(_CO, "59", item.allowed - reduced)
            item.allowed = reduced


def _tier(benefits: NetworkBenefits, acc: Accumulators) -> NetworkBenefits:
    def met(limit: Accumulator | None, amount: Money) -> Accumulator | None:
        return None if limit is None else Accumulator(limit=limit.limit, met=amount)

    return attrs.evolve(
        benefits,
        individual_deductible=met(benefits.individual_deductible, acc.deductible),
        family_deductible=met(benefits.family_deductible, acc.family_deductible),
        individual_out_of_pocket=met(benefits.individual_out_of_pocket, acc.out_of_pocket),
        family_out_of_pocket=met(benefits.family_out_of_pocket, acc.family_out_of_pocket),
    )


@attrs.frozen
class _Share:
    copay: Money
    deductible: Money
    coinsurance: Money
    payer: Money
    deductible_before: Money


def _cost_share(rules: PayerRules, item: _Line, acc: Accumulators,
                ) -> tuple[_Share, Accumulators]:
    assert item.allowed is not None
    tier = _tier(rules.benefits, acc)
    before = tier.remaining_deductible()
    estimate = estimate_responsibility(
        Benefits(period=rules.coverage_period, in_network=tier), item.allowed,
        service_type=rules.service_type_of(item.line.procedure),
    )
    spent = estimate.copay + estimate.deductible + estimate.coinsurance
    acc = attrs.evolve(
        acc,
        deductible=acc.deductible + estimate.deductible,
        family_deductible=acc.family_deductible + estimate.deductible,
        out_of_pocket=acc.out_of_pocket + spent,
        family_out_of_pocket=acc.family_out_of_pocket + spent,
    )
    share = _Share(estimate.copay, estimate.deductible, estimate.coinsurance, estimate.payer,
                   before)
    return share, acc


def _prior(claim: Claim, line: ClaimLine) -> tuple[Money, Money, list[Adjustment]]:
    """The earlier payers' paid amount on ``line``, the first payer's allowed amount, and
    the last payer's patient-responsibility adjustments on it."""
    zero = Money.zero(line.charge.currency)
    paid = zero
    allowed: Money | None = None
    responsibility: list[Adjustment] = []
    for other in claim.other_payers:
        found = next((a for a in other.lines if a.line_number == line.line_number), None)
        if found is None:
            found = _spread(claim, other.paid, other.adjustments, line)
        paid = paid + found.paid
        if allowed is None:
            allowed = line.charge
            for a in found.adjustments:
                if a.group is not _PR:
                    allowed = allowed - a.amount
        responsibility = [a for a in found.adjustments if a.group is _PR]
    return paid, allowed if allowed is not None else line.charge, responsibility


def _spread(claim: Claim, paid: Money, adjustments: Sequence[Adjustment],
            line: ClaimLine) -> LineAdjudication:
    """A payer that answered at claim level only: its amounts spread by line charge."""
    weights = [max(item.charge.cents, 0) for item in claim.lines]
    if not any(weights):
        weights = [1] * len(claim.lines)
    index = claim.lines.index(line)
    share = allocate(paid, weights)[index]
    parts = [attrs.evolve(a, amount=allocate(a.amount, weights)[index]) for a in adjustments]
    return LineAdjudication(line_number=line.line_number, paid=share,
                            adjustments=[a for a in parts if not a.amount.is_zero()])


def _as_secondary(rules: PayerRules, claim: Claim, item: _Line, share: _Share) -> None:
    assert item.allowed is not None
    prior_paid, prior_allowed, responsibility = _prior(claim, item.line)
    zero = Money.zero(item.charge.currency)
    charge = item.payable_charge
    pays = secondary_payment(
        rules.cob, charge=charge, primary_allowed=max(prior_allowed, zero),
        primary_paid=max(prior_paid, zero), normal_benefit=share.payer,
        fee_schedule=item.allowed, rate=rules.benefits.coinsurance.complement(),
        deductible_remaining=share.deductible_before,
    )
    pays = min(pays, charge)
    left: list[tuple[str, Money]] = []
    cover = pays
    for adjustment in responsibility:
        taken = min(cover, max(adjustment.amount, zero))
        cover = cover - taken
        left.append((adjustment.reason.code, adjustment.amount - taken))
    # Undo the CO-45 / CO-59 of our own pricing: as secondary, what the prior payer did
    # explains the difference (OA-23), and the patient keeps only what is left of its share.
    item.adjustments = [a for a in item.adjustments if a.reason.code == "119"]
    still_owed = zero
    for reason, amount in left:
        if amount.is_positive():
            item.take(_PR, reason, amount)
            still_owed = still_owed + amount
    item.take(_OA, "23", charge - pays - still_owed)


def _as_primary(item: _Line, share: _Share) -> None:
    item.take(_PR, "1", share.deductible)
    item.take(_PR, "2", share.coinsurance)
    item.take(_PR, "3", share.copay)


def _service(item: _Line) -> ServicePayment:
    line = item.line
    return ServicePayment(
        procedure=line.procedure, revenue_code=line.revenue_code, modifiers=line.modifiers,
        units=line.units, charge=line.charge, paid=item.paid,
        allowed=item.allowed, adjustments=item.adjustments, remarks=item.remarks,
        line_ref=str(line.line_number), service_period=line.service_period,
    )


def _finding(item: _Line, index: int) -> Finding:
    assert item.denial is not None
    return Finding(
        edit_id=item.denial.edit, severity=Severity.ERROR, message=item.denial.message,
        location=f"$.lines[{index}]", carc=item.denial.carc,
    )


def _decide(claim: Claim, rules: PayerRules, on: date, acc: Accumulators) -> Adjudicated:
    payer = rules.payer.payer_id
    number = _claim_number(claim, payer)
    lines = [_Line(line) for line in claim.lines]
    if claim.coverage.payer.payer_id != payer:
        return _deny_all(claim, rules, acc, number, ClaimStatusCode.DENIED, _Denial(
            CARC("31"), "not-our-member", "the payer does not recognise the member"))
    _edits(claim, rules, lines, _filed_on(claim, on))
    acc = _maximums(rules, lines, acc)
    _allow(rules, lines)
    secondary = bool(claim.other_payers)
    for item in lines:
        if item.denial is not None:
            item.adjustments = []
            item.allowed = None
            item.take(_CO, item.denial.carc.code, item.charge)
            if item.denial.remark is not None:
                item.remarks.append(item.denial.remark)
            continue
        share, acc = _cost_share(rules, item, acc)
        if secondary:
            _as_secondary(rules, claim, item, share)
        else:
            _as_primary(item, share)
    services = [_service(item) for item in lines]
    payment = _payment(claim, _STATUS[_rank(claim)], number, services)
    findings = [_finding(item, i) for i, item in enumerate(lines) if item.denial is not None]
    return Adjudicated(claim=claim, payer=payer, payment=payment, accumulators=acc,
                       findings=findings)


def _payment(claim: Claim, status: ClaimStatusCode, number: PayerClaimNumber,
             services: Sequence[ServicePayment], remarks: Sequence[RARC] = ()) -> ClaimPayment:
    zero = Money.zero(claim.total_charge.currency)
    paid = zero
    responsibility = zero
    for s in services:
        paid = paid + s.paid
        for a in s.adjustments:
            if a.group is _PR:
                responsibility = responsibility + a.amount
    return ClaimPayment(
        claim=claim.id, status=status, charge=claim.total_charge, paid=paid,
        patient_responsibility=responsibility, payer_claim_number=number, services=services,
        remarks=remarks, frequency=claim.frequency,
    )


def _deny_all(claim: Claim, rules: PayerRules, acc: Accumulators, number: PayerClaimNumber,
              status: ClaimStatusCode, denial: _Denial,
              remarks: Sequence[RARC] = ()) -> Adjudicated:
    lines = [_Line(line) for line in claim.lines]
    for item in lines:
        item.deny(denial)
        item.take(_CO, denial.carc.code, item.charge)
    services = [_service(item) for item in lines]
    return Adjudicated(
        claim=claim, payer=rules.payer.payer_id,
        payment=_payment(claim, status, number, services, remarks), accumulators=acc,
        findings=[Finding(edit_id=denial.edit, severity=Severity.ERROR,
                          message=denial.message, carc=denial.carc)],
    )


def adjudicate(
    claim: Claim, rules: PayerRules, *, on: date, accumulators: Accumulators | None = None,
) -> Adjudicated:
    """Decide ``claim`` as the payer of ``rules`` would on ``on``: a balanced claim payment.

    In order: the claim must be the payer's (else status 4, ``CO-31``); each line is
    checked against timely filing (``CO-29``; professional claims count from each line's
    date, institutional from the through-date, the filing date is the claim's first
    submission, else ``on``), the coverage period (``CO-26`` before it, ``CO-27`` after),
    non-covered codes (``CO-96``, remark ``N130``), prior authorization (``CO-197``), NCCI
    pairs (``CO-97``), MUE (``CO-151``) and benefit maximums (``CO-119``, units past it).
    Lines that pass are priced by the :class:`Contract` (``CO-45`` above it, ``CO-59``
    for the multiple-procedure reduction); the allowed amount is shared with the member
    by the benefits and ``accumulators`` (``PR-3`` copay, ``PR-1`` deductible, ``PR-2``
    coinsurance, out-of-pocket cap). A claim that carries an earlier payer
    (``claim.other_payers``) is paid as secondary (or tertiary) by ``rules.cob`` through
    :func:`~claimcore.posting.secondary_payment`: what the earlier payers did is
    ``OA-23``, and what is left of the patient's share stays ``PR`` with its reason.

    Every line balances (charge - adjustments = paid), so the claim payment does. A claim
    the payer cannot decide (a rule raised a claimcore error) is denied ``CO-16`` with a
    finding saying why, never an exception. ``accumulators`` default to the ``met``
    amounts of ``rules.benefits``; the result carries them updated.
    """
    instance(claim, Claim, "$.claim")
    instance(rules, PayerRules, "$.rules")
    a_date(on, "$.on")
    acc = Accumulators.starting(rules.benefits) if accumulators is None else instance(
        accumulators, Accumulators, "$.accumulators")
    if not acc.within(rules.benefits):
        raise ValidationError(
            "the accumulators are past the limits of the rules' benefits",
            path="$.accumulators", rule="over-limit",
        )
    try:
        return _decide(claim, rules, on, acc)
    except ClaimcoreError as error:
        number = _claim_number(claim, rules.payer.payer_id)
        return _deny_all(
            claim, rules, acc, number, _STATUS[_rank(claim)],
            _Denial(CARC("16"), "undecidable", f"cannot be decided: {error}"[:500]),
            remarks=(RARC("MA130"),),
        )
