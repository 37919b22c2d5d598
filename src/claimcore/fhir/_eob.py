"""Adjudication both ways: ``ExplanationOfBenefit`` out, ``ClaimResponse``/EOB in.

Out: :func:`to_explanation_of_benefit` writes a claim and the 835 claim payments for it.
In: :func:`from_claim_response` and :func:`from_explanation_of_benefit` read a payer's
resource into a :class:`FhirAdjudication`, checking its arithmetic and reporting what does
not add up as :class:`~claimcore.charges.Finding` records rather than failing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

import attrs

from claimcore._validate import (
    instance,
    members,
    optional_date,
    optional_instance,
    optional_text,
    text,
    to_tuple,
)
from claimcore.claims import Claim, ClaimLine
from claimcore.codes import CARC, RARC, AdjustmentGroup
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.fhir._adjudication import (
    AdjudicationCategory,
    FhirAmount,
    is_discriminator,
    meaning,
)
from claimcore.fhir._claim import claim_reference, created_date, procedure_concept
from claimcore.fhir._common import (
    ADJUDICATION_SYSTEM,
    CARC_SYSTEM,
    CLAIM_TYPE_SYSTEM,
    CLAIMCORE_SYSTEM,
    NPI_SYSTEM,
    RARC_SYSTEM,
    REVENUE_SYSTEM,
    X12_GROUP_SYSTEM,
    Resource,
    build_at,
    built,
    codes_in,
    coding,
    concept,
    decimal,
    each,
    identifier,
    money,
    need,
    obj,
    period,
    read_money,
    ref_id,
    resource_id,
    resource_of,
    scalar_at,
    string,
)
from claimcore.fhir._coverage import PAYER_ID_SYSTEM, coverage_id
from claimcore.fhir._patient import patient_reference
from claimcore.findings import Finding, Severity
from claimcore.money import Money
from claimcore.remittance import Adjustment, ClaimPayment, ServicePayment

__all__ = [
    "FhirAdjudication",
    "FhirItemAdjudication",
    "from_claim_response",
    "from_explanation_of_benefit",
    "to_explanation_of_benefit",
]

PAYER_CLAIM_SYSTEM: Final = f"{CLAIMCORE_SYSTEM}/payer-claim-number"
CLAIMCORE_ADJUDICATION: Final = f"{CLAIMCORE_SYSTEM}/adjudication"
_STANDARD_FOR: Final = {
    (AdjustmentGroup.PATIENT_RESPONSIBILITY, "1"): "deductible",
    (AdjustmentGroup.PATIENT_RESPONSIBILITY, "3"): "copay",
}
_Cat = AdjudicationCategory
_PATIENT_CATEGORIES: Final = (_Cat.COPAY, _Cat.DEDUCTIBLE)
"""Subtracted from the eligible amount before the benefit percentage (FHIR's rule)."""
_PATIENT_SHARE: Final = (_Cat.COPAY, _Cat.DEDUCTIBLE, _Cat.COINSURANCE)
_PAID: Final = (_Cat.PAID_TO_PROVIDER, _Cat.PAID_TO_PATIENT)
_MAX_PERCENT: Final = Decimal(100)
_OUTCOMES: Final = ("queued", "complete", "error", "partial")


def _adjustments(value: Iterable[Adjustment]) -> tuple[Adjustment, ...]:
    return to_tuple(value)


def _remarks(value: Iterable[RARC]) -> tuple[RARC, ...]:
    return to_tuple(value)


def _items(value: Iterable[FhirItemAdjudication]) -> tuple[FhirItemAdjudication, ...]:
    return to_tuple(value)


def _findings(value: Iterable[Finding]) -> tuple[Finding, ...]:
    return to_tuple(value)


def _amounts(value: Iterable[FhirAmount]) -> tuple[FhirAmount, ...]:
    return to_tuple(value)


def _amount_of(amounts: tuple[FhirAmount, ...], category: AdjudicationCategory) -> Money | None:
    for a in amounts:
        if a.category is category:
            return a.amount
    return None


def _optional_money(value: object, path: str) -> None:
    optional_instance(value, Money, path)


@attrs.frozen(kw_only=True)
class FhirItemAdjudication:
    """How a payer adjudicated one item (service line) in a ``ClaimResponse`` or EOB.

    ``sequence`` is the claim item's sequence (``itemSequence`` in a ClaimResponse);
    ``submitted``, ``eligible`` and ``benefit`` are the adjudication amounts of those
    categories (``submitted`` falls back to the EOB item's ``net``); ``patient`` is what
    the patient owes: CARIN's ``memberliability`` when given, else the copay,
    deductible and coinsurance amounts plus the PR adjustments. ``benefit`` falls back to
    what the payer paid (CARIN ``paidtoprovider`` plus ``paidtopatient``) when the entry
    has no ``benefit``. ``amounts`` holds every amount read, one per category (details
    rolled up), so that nothing an EOB states is lost. ``adjustments`` are the entries
    coded with an X12 group and a CARC; ``remarks`` the RARCs. FHIR
    ``ClaimResponse.item`` / ``ExplanationOfBenefit.item``; X12 835 loop 2110.
    """

    sequence: int
    submitted: Money | None = None
    eligible: Money | None = None
    benefit: Money | None = None
    patient: Money | None = None
    adjustments: tuple[Adjustment, ...] = attrs.field(default=(), converter=_adjustments)
    remarks: tuple[RARC, ...] = attrs.field(default=(), converter=_remarks)
    amounts: tuple[FhirAmount, ...] = attrs.field(default=(), converter=_amounts)

    def __attrs_post_init__(self) -> None:
        if type(self.sequence) is not int or self.sequence < 1:
            raise ValidationError("must be a positive int", path="$.sequence", rule="range")
        for name in ("submitted", "eligible", "benefit", "patient"):
            _optional_money(getattr(self, name), f"$.{name}")
        members(self.adjustments, Adjustment, "$.adjustments")
        members(self.remarks, RARC, "$.remarks")
        members(self.amounts, FhirAmount, "$.amounts")

    def amount(self, category: AdjudicationCategory) -> Money | None:
        """The item's amount of ``category`` (``None`` when the payer stated none)."""
        return _amount_of(self.amounts, category)


@attrs.frozen(kw_only=True)
class FhirAdjudication:
    """A payer's adjudication read from a FHIR ``ClaimResponse`` or ``ExplanationOfBenefit``.

    ``claim`` is the id of the claim it answers (the ``Claim/<id>`` of ``request`` or
    ``claim``), ``outcome`` FHIR's ``queued``/``complete``/``error``/``partial``;
    ``items`` per service line; ``adjustments`` and ``remarks`` at claim level;
    ``submitted`` and ``benefit`` the totals the resource states, ``payment`` its payment
    amount. Where a CARIN EOB states no ``benefit`` total or no ``payment``, both are
    what the payer paid (``paidtoprovider`` plus ``paidtopatient``), and a ``benefit``
    with no total at all is the sum of the items'. ``amounts`` holds every claim-level
    amount by category: the ``total`` entries, and for a category without one the sum of
    the header and item entries. ``findings`` lists what does not add up (totals that are
    not the sum of the items, a payment that is not the benefit, a benefit that is not
    eligible × percent) and every amount whose category claimcore does not understand
    (``fhir-adjudication-unknown``): nothing is dropped silently.
    FHIR ``ClaimResponse``/``ExplanationOfBenefit``; X12 835 loop 2100.
    """

    resource_type: str
    outcome: str
    claim: str | None = None
    items: tuple[FhirItemAdjudication, ...] = attrs.field(default=(), converter=_items)
    adjustments: tuple[Adjustment, ...] = attrs.field(default=(), converter=_adjustments)
    remarks: tuple[RARC, ...] = attrs.field(default=(), converter=_remarks)
    submitted: Money | None = None
    benefit: Money | None = None
    payment: Money | None = None
    findings: tuple[Finding, ...] = attrs.field(default=(), converter=_findings)
    amounts: tuple[FhirAmount, ...] = attrs.field(default=(), converter=_amounts)

    def __attrs_post_init__(self) -> None:
        text(self.resource_type, "$.resource_type", max_len=64)
        if self.outcome not in _OUTCOMES:
            raise ValidationError(
                f"must be one of {', '.join(_OUTCOMES)}", path="$.outcome", rule="outcome"
            )
        optional_text(self.claim, "$.claim", max_len=64)
        members(self.items, FhirItemAdjudication, "$.items")
        members(self.adjustments, Adjustment, "$.adjustments")
        members(self.remarks, RARC, "$.remarks")
        for name in ("submitted", "benefit", "payment"):
            _optional_money(getattr(self, name), f"$.{name}")
        members(self.findings, Finding, "$.findings")
        members(self.amounts, FhirAmount, "$.amounts")

    def amount(self, category: AdjudicationCategory) -> Money | None:
        """The claim-level amount of ``category`` (``None`` when the payer stated none)."""
        return _amount_of(self.amounts, category)

    def all_adjustments(self) -> tuple[Adjustment, ...]:
        """Claim-level adjustments, then every item's, in order."""
        return self.adjustments + tuple(a for i in self.items for a in i.adjustments)


# -- writing -----------------------------------------------------------------------------


def _adjustment_entry(a: Adjustment) -> Resource:
    codings = [coding(X12_GROUP_SYSTEM, a.group.value)]
    standard = _STANDARD_FOR.get((a.group, a.reason.code))
    if standard is not None:
        codings.insert(0, coding(ADJUDICATION_SYSTEM, standard))
    entry: Resource = {
        "category": {"coding": codings},
        "reason": concept(CARC_SYSTEM, str(a.reason)),
        "amount": money(a.amount),
    }
    if a.quantity is not None:
        entry["value"] = a.quantity
    return entry


def _remark_entry(r: RARC) -> Resource:
    return {
        "category": concept(CLAIMCORE_ADJUDICATION, "remark"),
        "reason": concept(RARC_SYSTEM, str(r)),
    }


def _amount_entry(category: str, amount: Money) -> Resource:
    return {"category": concept(ADJUDICATION_SYSTEM, category), "amount": money(amount)}


def _sum(amounts: Iterable[Money]) -> Money | None:
    total: Money | None = None
    for a in amounts:
        total = a if total is None else total + a
    return total


def _line_for(
    service: ServicePayment, index: int, payment: ClaimPayment, lines: Sequence[ClaimLine]
) -> ClaimLine | None:
    """The claim line a service payment answers: by line_ref, else by position and code."""
    if service.line_ref is not None:
        for line in lines:
            if service.line_ref in (line.charge_id, str(line.line_number)):
                return line
    if len(payment.services) == len(lines):
        line = lines[index]
        if service.procedure is None or service.procedure == line.procedure:
            return line
    return None


def _service_adjudication(services: Sequence[ServicePayment]) -> list[Resource]:
    entries = [
        _amount_entry("submitted", _sum(s.charge for s in services) or Money.zero()),
    ]
    allowed = [s.allowed for s in services if s.allowed is not None]
    if allowed:
        entries.append(_amount_entry("eligible", _sum(allowed) or Money.zero()))
    entries.append(_amount_entry("benefit", _sum(s.paid for s in services) or Money.zero()))
    entries.extend(_adjustment_entry(a) for s in services for a in s.adjustments)
    entries.extend(_remark_entry(r) for s in services for r in s.remarks)
    return entries


def _payments(value: object) -> tuple[ClaimPayment, ...]:
    if isinstance(value, ClaimPayment):
        return (value,)
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise TypeMismatch(
            f"must be a ClaimPayment or a sequence of them, got {type(value).__name__}",
            path="$.payments", rule="type",
        )
    return members(tuple(value), ClaimPayment, "$.payments")


def to_explanation_of_benefit(
    claim: Claim,
    payments: ClaimPayment | Iterable[ClaimPayment],
    *,
    created: date | None = None,
) -> Resource:
    """A FHIR R4 ``ExplanationOfBenefit`` for a claim and the payer's payments on it.

    ``payments`` are the 835 claim payments (loop 2100) for this claim, in order: an
    original, a reversal and a corrected payment add up. Each service payment goes to the
    item of the claim line it answers (by ``line_ref``, else by position); one that
    matches no line becomes an ``addItem``; what the lines do not explain goes to the
    header ``adjudication``. Amounts use the categories ``submitted``, ``eligible`` and
    ``benefit``; each CAS adjustment is an entry coded with its X12 group and CARC (PR-1
    and PR-3 also as ``deductible`` and ``copay``). ``total`` (submitted and benefit) and
    ``payment.amount`` equal the payments' sums to the cent. ``created`` defaults to the
    claim's adjudication date, else as :func:`to_claim` chooses.
    """
    instance(claim, Claim, "$.claim")
    paid = _payments(payments)
    optional_date(created, "$.created")
    if not paid:
        raise ValidationError("needs at least one claim payment", path="$.payments",
                              rule="empty")
    key = claim.id.normalized()
    for i, p in enumerate(paid):
        if p.claim.normalized() != key:
            raise ValidationError(
                "is a payment for another claim", path=f"$.payments[{i}].claim",
                rule="other-claim",
            )
        if p.charge.currency != claim.total_charge.currency:
            raise ValidationError(
                "is in another currency than the claim", path=f"$.payments[{i}].charge",
                rule="currency",
            )
    lines = claim.lines
    per_line: dict[int, list[ServicePayment]] = {line.line_number: [] for line in lines}
    unmatched: list[ServicePayment] = []
    header: list[Resource] = []
    for p in paid:
        for j, s in enumerate(p.services):
            line = _line_for(s, j, p, lines)
            if line is None:
                unmatched.append(s)
            else:
                per_line[line.line_number].append(s)
        residual_charge = p.charge - (_sum(s.charge for s in p.services) or Money.zero())
        residual_paid = p.paid - (_sum(s.paid for s in p.services) or Money.zero())
        if residual_charge or residual_paid or not p.services:
            header.append(_amount_entry("submitted", residual_charge))
            header.append(_amount_entry("benefit", residual_paid))
        header.extend(_adjustment_entry(a) for a in p.adjustments)
        header.extend(_remark_entry(r) for r in p.remarks)
    items: list[Resource] = []
    for line in lines:
        item: Resource = {"sequence": line.line_number}
        if line.procedure is not None:
            item["productOrService"] = procedure_concept(line.procedure)
        else:
            item["productOrService"] = concept(REVENUE_SYSTEM, str(line.revenue_code))
        sp = line.service_period
        if sp.end is None or sp.end == sp.start:
            item["servicedDate"] = sp.start.isoformat()
        else:
            item["servicedPeriod"] = period(sp)
        item["quantity"] = {"value": line.units}
        item["net"] = money(line.charge)
        services = per_line[line.line_number]
        if services:
            item["adjudication"] = _service_adjudication(services)
        items.append(item)
    add_items: list[Resource] = []
    for s in unmatched:
        product = (procedure_concept(s.procedure) if s.procedure is not None
                   else concept(REVENUE_SYSTEM, str(s.revenue_code)))
        add_items.append({
            "productOrService": product,
            "net": money(s.charge),
            "adjudication": _service_adjudication([s]),
        })
    payer = claim.coverage.payer
    billing = claim.billing_provider
    numbers = list(dict.fromkeys(p.payer_claim_number.value for p in paid))
    total_charge = _sum(p.charge for p in paid) or Money.zero()
    total_paid = _sum(p.paid for p in paid) or Money.zero()
    when = created or (claim.adjudication.on if claim.adjudication is not None else None)
    out: Resource = {
        "resourceType": "ExplanationOfBenefit",
        "id": resource_id(f"eob.{claim.id.value}"),
        "identifier": [identifier(PAYER_CLAIM_SYSTEM, n) for n in numbers],
        "status": "active",
        "type": concept(CLAIM_TYPE_SYSTEM, claim.kind.value),
        "use": "claim",
        "patient": patient_reference(claim.patient.mrn),
        "billablePeriod": period(claim.service_period),
        "created": created_date(claim, when),
        "insurer": {
            "type": "Organization",
            "identifier": identifier(PAYER_ID_SYSTEM, payer.payer_id.value),
            "display": payer.name,
        },
        "provider": {
            "type": "Organization",
            "identifier": identifier(NPI_SYSTEM, billing.npi.value),
            "display": billing.name,
        },
        "claim": claim_reference(claim),
        "outcome": "complete",
        "insurance": [{
            "focal": True,
            "coverage": {"reference": f"Coverage/{coverage_id(claim.coverage)}"},
        }],
        "item": items,
    }
    if add_items:
        out["addItem"] = add_items
    if header:
        out["adjudication"] = header
    out["total"] = [
        _amount_entry("submitted", total_charge),
        _amount_entry("benefit", total_paid),
    ]
    out["payment"] = {"amount": money(total_paid)}
    return out


# -- reading -----------------------------------------------------------------------------


@attrs.define
class _Level:
    """What one list of adjudication entries says, while reading."""

    amounts: dict[AdjudicationCategory, Money] = attrs.Factory(dict)
    percent: tuple[str, Decimal] | None = None
    adjustments: list[Adjustment] = attrs.Factory(list)
    remarks: list[RARC] = attrs.Factory(list)


@attrs.frozen
class _Category:
    """What an entry's ``category`` says: its meaning, X12 group, or what it is instead."""

    meaning: AdjudicationCategory | None
    group: str | None
    percent: bool
    status: bool
    shown: str | None  # the first coding claimcore did not understand, as system#code


def _category(entry: Mapping[str, Any], path: str) -> _Category:
    found: AdjudicationCategory | None = None
    group: str | None = None
    percent = status = False
    shown: str | None = None
    for _, system, code in codes_in(need(entry, "category", path), f"{path}.category"):
        if system == X12_GROUP_SYSTEM:
            group = group or code
            continue
        if system in (None, ADJUDICATION_SYSTEM) and code == "eligpercent":
            percent = True
            continue
        if system == CLAIMCORE_ADJUDICATION:
            status = True  # claimcore's own "remark" entries carry a RARC, no amount
            continue
        if is_discriminator(system, code):
            status = True
            continue
        category = meaning(system, code)
        if category is None:
            shown = shown or f"{system or ''}#{code}"
        else:
            found = found or category
    return _Category(found, group, percent, status, shown)


def _unread(p: str, what: _Category, amount: Money, findings: list[Finding]) -> None:
    kind_ = (f"category {what.shown}" if what.shown is not None
             else "a status or reason slice")
    findings.append(_finding(
        "fhir-adjudication-unknown",
        f"{kind_} carries an amount of {amount.amount} that claimcore does not read as "
        "any adjudication category",
        p, Severity.WARNING,
    ))


def _read_level(parent: Mapping[str, Any], path: str, findings: list[Finding]) -> _Level:
    level = _Level()
    for p, item in each(parent, "adjudication", path):
        entry = obj(item, p)
        what = _category(entry, p)
        group = what.group
        carc: str | None = None
        rarc: str | None = None
        reason = entry.get("reason")
        if reason is not None:
            for _, system, code in codes_in(reason, f"{p}.reason"):
                if system == CARC_SYSTEM:
                    carc = carc or code
                elif system == RARC_SYSTEM:
                    rarc = rarc or code
        amount_raw = entry.get("amount")
        amount = None if amount_raw is None else read_money(amount_raw, f"{p}.amount")
        if rarc is not None:
            level.remarks.append(scalar_at(f"{p}.reason", RARC, rarc))
        if group is not None and carc is not None:
            if amount is None:
                raise ValidationError("an adjustment needs an amount", path=f"{p}.amount",
                                      rule="required")
            quantity = entry.get("value")
            qty = None if quantity is None else decimal(quantity, f"{p}.value")
            try:
                grp = AdjustmentGroup(group)
            except ValueError:
                raise ValidationError("is not an X12 adjustment group code",
                                      path=f"{p}.category", rule="code") from None
            reason_code = scalar_at(f"{p}.reason", CARC, carc)
            level.adjustments.append(build_at(
                p, Adjustment, group=grp, reason=reason_code, amount=amount, quantity=qty,
            ))
            continue
        if what.percent:
            value = entry.get("value")
            if value is not None:
                level.percent = (f"{p}.value", _percent(value, f"{p}.value"))
            if amount is not None and what.meaning is None:
                _unread(p, what, amount, findings)
            continue
        if amount is None:
            continue
        if what.meaning is None:
            _unread(p, what, amount, findings)
            continue
        previous = level.amounts.get(what.meaning)
        level.amounts[what.meaning] = amount if previous is None else previous + amount
    return level


def _percent(value: object, path: str) -> Decimal:
    """An ``eligpercent`` value: a fraction 0..1, or (read with a warning) a percentage."""
    pct = decimal(value, path)
    if not 0 <= pct <= _MAX_PERCENT:
        raise ValidationError(
            "must be a fraction from 0 to 1 (a percentage up to 100 is read with a "
            "warning)", path=path, rule="eligpercent-range",
        )
    return pct


def _finding(edit: str, message: str, location: str,
             severity: Severity = Severity.ERROR) -> Finding:
    return Finding(edit_id=edit, severity=severity, message=message, location=location)


def _hundredth(pct: Decimal) -> Decimal:
    """``pct / 100`` exactly, in any caller's decimal context: the digits stay, the exponent
    moves (a finite ``Decimal`` built from its tuple is never rounded)."""
    sign, digits, exponent = pct.as_tuple()
    return Decimal((sign, digits, int(exponent) - 2))


def _check_percent(level: _Level, path: str, findings: list[Finding]) -> None:
    eligible = level.amounts.get(_Cat.ELIGIBLE)
    benefit = level.amounts.get(_Cat.BENEFIT)
    if level.percent is None or eligible is None or benefit is None:
        return
    p, pct = level.percent
    if pct > 1:
        findings.append(_finding(
            "fhir-eligpercent-scale",
            f"eligpercent {pct} is above 1; read as {pct}% (FHIR expects a fraction)",
            p, Severity.WARNING,
        ))
        pct = _hundredth(pct)
    base = eligible
    for name in _PATIENT_CATEGORIES:
        if name in level.amounts:
            base = base - level.amounts[name]
    # pct is within 0..1 here (_percent refused the rest), so the product is in range
    expected = base.times(pct, rounding=ROUND_HALF_UP).amount
    if expected != benefit.amount:
        findings.append(_finding(
            "fhir-benefit-arithmetic",
            f"benefit {benefit.amount} is not (eligible {eligible.amount} - copay - "
            f"deductible) x {pct} = {expected}",
            path, Severity.WARNING,
        ))


def _rolled(
    parent: Mapping[str, Any], path: str, child_key: str, findings: list[Finding]
) -> _Level:
    """The level of ``parent``, with amounts its details have and it lacks rolled up."""
    level = _read_level(parent, path, findings)
    _check_percent(level, path, findings)
    nested = {"detail": "subDetail"}.get(child_key)
    child_sums: dict[AdjudicationCategory, Money] = {}
    for p, child in each(parent, child_key, path):
        c = obj(child, p)
        sub = (_rolled(c, p, nested, findings) if nested is not None
               else _read_level(c, p, findings))
        if nested is None:
            _check_percent(sub, p, findings)
        net = c.get("net")
        if _Cat.SUBMITTED not in sub.amounts and net is not None:
            sub.amounts[_Cat.SUBMITTED] = read_money(net, f"{p}.net")
        for name, amount in sub.amounts.items():
            child_sums[name] = amount if name not in child_sums else child_sums[name] + amount
    for name, amount in child_sums.items():
        own = level.amounts.get(name)
        if own is None:
            if name is not _Cat.SUBMITTED or parent.get("net") is None:
                level.amounts[name] = amount
        elif own != amount:
            findings.append(_finding(
                "fhir-detail-total",
                f"{name} {own.amount} is not the sum of its {child_key} entries "
                f"({amount.amount})", path,
            ))
    return level


def _read_items(
    res: Mapping[str, Any], findings: list[Finding], *, eob: bool
) -> list[FhirItemAdjudication]:
    out: list[FhirItemAdjudication] = []
    for p, raw in each(res, "item", "$"):
        item = obj(raw, p)
        key = "sequence" if eob else "itemSequence"
        seq = need(item, key, p)
        if type(seq) is not int or seq < 1:
            raise TypeMismatch("must be a positive integer", path=f"{p}.{key}", rule="type")
        level = _rolled(item, p, "detail", findings)
        net = item.get("net")
        adjudicated = bool(level.amounts or level.adjustments)
        if _Cat.SUBMITTED not in level.amounts and net is not None and adjudicated:
            level.amounts[_Cat.SUBMITTED] = read_money(net, f"{p}.net")
        out.append(_item_from(level, seq, p))
    return out


def _paid(amounts: Mapping[AdjudicationCategory, Money]) -> Money | None:
    """What the payer paid: CARIN's paid to provider plus paid to patient, if stated."""
    return _sum(amounts[c] for c in _PAID if c in amounts)


def _item_from(level: _Level, sequence: int, path: str) -> FhirItemAdjudication:
    amounts = level.amounts
    patient = amounts.get(_Cat.MEMBER_LIABILITY)
    if patient is None:
        parts = [amounts[n] for n in _PATIENT_SHARE if n in amounts]
        parts += [a.amount for a in level.adjustments
                  if a.group is AdjustmentGroup.PATIENT_RESPONSIBILITY]
        patient = _sum(parts)
    benefit = amounts.get(_Cat.BENEFIT)
    if benefit is None:
        benefit = _paid(amounts)
    return built(
        lambda: FhirItemAdjudication(
            sequence=sequence,
            submitted=amounts.get(_Cat.SUBMITTED),
            eligible=amounts.get(_Cat.ELIGIBLE),
            benefit=benefit,
            patient=patient,
            adjustments=level.adjustments,
            remarks=level.remarks,
            amounts=_as_amounts(amounts),
        ),
        path,
    )


def _as_amounts(amounts: Mapping[AdjudicationCategory, Money]) -> tuple[FhirAmount, ...]:
    return tuple(FhirAmount(category=c, amount=m) for c, m in amounts.items())


def _adjudicated(item: FhirItemAdjudication) -> bool:
    """Whether the payer said anything about the item (an item of the claim may be silent)."""
    return bool(
        item.adjustments or item.amounts or any(a is not None for a in (
            item.submitted, item.eligible, item.benefit, item.patient))
    )


def _totals(
    res: Mapping[str, Any], findings: list[Finding]
) -> dict[AdjudicationCategory, tuple[str, Money]]:
    out: dict[AdjudicationCategory, tuple[str, Money]] = {}
    for p, raw in each(res, "total", "$"):
        entry = obj(raw, p)
        what = _category(entry, p)
        amount = read_money(need(entry, "amount", p), f"{p}.amount")
        if what.meaning is None:
            _unread(p, what, amount, findings)
        elif what.meaning in out:
            out[what.meaning] = (out[what.meaning][0], out[what.meaning][1] + amount)
        else:
            out[what.meaning] = (p, amount)
    return out


def _read(res: Mapping[str, Any], *, eob: bool) -> FhirAdjudication:
    findings: list[Finding] = []
    outcome = string(need(res, "outcome", "$"), "$.outcome")
    if outcome not in _OUTCOMES:
        raise ValidationError(f"must be one of {', '.join(_OUTCOMES)}", path="$.outcome",
                              rule="outcome")
    target = res.get("claim" if eob else "request")
    claim = None if target is None else ref_id(target, "$.claim" if eob else "$.request",
                                               "Claim")
    if claim is None and target is not None and not eob:
        # a request given as an absolute URL of another shape: keep its last segment
        ref = obj(target, "$.request").get("reference")
        if isinstance(ref, str) and ref.rstrip("/"):
            claim = ref.rstrip("/").rsplit("/", 1)[-1][:64] or None
    items = _read_items(res, findings, eob=eob)
    add_items: list[FhirItemAdjudication] = []
    for p, raw in each(res, "addItem", "$"):
        level = _rolled(obj(raw, p), p, "detail", findings)
        net = obj(raw, p).get("net")
        if _Cat.SUBMITTED not in level.amounts and net is not None:
            level.amounts[_Cat.SUBMITTED] = read_money(net, f"{p}.net")
        add_items.append(_item_from(level, len(items) + len(add_items) + 1, p))
    header = _read_level(res, "$", findings)
    totals = _totals(res, findings)
    for name, (p, stated) in totals.items():
        if name not in (_Cat.SUBMITTED, _Cat.ELIGIBLE, _Cat.BENEFIT):
            continue
        values = [getattr(i, name.value) for i in (*items, *add_items) if _adjudicated(i)]
        if any(v is None for v in values):
            continue  # a partial sum proves nothing
        if name in header.amounts:
            values.append(header.amounts[name])
        summed = _sum(values)
        if summed is not None and summed != stated:
            findings.append(_finding(
                "fhir-total",
                f"total {name} {stated.amount} is not the sum of the items and header "
                f"({summed.amount})", p,
            ))
    payment: Money | None = None
    pay = res.get("payment")
    if pay is not None:
        pm = obj(pay, "$.payment")
        if pm.get("amount") is not None:
            payment = read_money(pm["amount"], "$.payment.amount")
        adjustment = pm.get("adjustment")
        adj = Money.zero() if adjustment is None else read_money(
            adjustment, "$.payment.adjustment")
        benefit = totals.get(_Cat.BENEFIT)
        if payment is not None and benefit is not None and benefit[1] + adj != payment:
            findings.append(_finding(
                "fhir-payment",
                f"payment {payment.amount} is not the total benefit {benefit[1].amount}"
                + (f" plus the payment adjustment {adj.amount}" if adjustment is not None
                   else ""),
                "$.payment.amount",
            ))
    claim_amounts = _claim_amounts(header, (*items, *add_items), totals)
    submitted = totals.get(_Cat.SUBMITTED)
    benefit_total = claim_amounts.get(_Cat.BENEFIT)
    if benefit_total is None:
        benefit_total = _paid(claim_amounts)
    if payment is None:
        payment = _paid(claim_amounts)
    paid = _paid(claim_amounts)
    stated_benefit = claim_amounts.get(_Cat.BENEFIT)
    if paid is not None and stated_benefit is not None and paid != stated_benefit:
        findings.append(_finding(
            "fhir-paid-benefit",
            f"the payer paid {paid.amount} (paid to provider and to patient) but states a "
            f"benefit of {stated_benefit.amount}",
            "$.total", Severity.WARNING,
        ))
    return built(
        lambda: FhirAdjudication(
            resource_type=res["resourceType"],
            outcome=outcome,
            claim=claim,
            items=(*items, *add_items),
            adjustments=header.adjustments,
            remarks=header.remarks,
            submitted=None if submitted is None else submitted[1],
            benefit=benefit_total,
            payment=payment,
            findings=findings,
            amounts=_as_amounts(claim_amounts),
        ),
        "$",
    )


def _claim_amounts(
    header: _Level,
    items: Sequence[FhirItemAdjudication],
    totals: Mapping[AdjudicationCategory, tuple[str, Money]],
) -> dict[AdjudicationCategory, Money]:
    """Claim-level amounts: each total, else the header's entry plus the items' entries."""
    summed: dict[AdjudicationCategory, Money] = dict(header.amounts)
    for item in items:
        for a in item.amounts:
            previous = summed.get(a.category)
            summed[a.category] = a.amount if previous is None else previous + a.amount
    out = {c: m for c, (_, m) in totals.items()}
    for c, m in summed.items():
        out.setdefault(c, m)
    return out


def from_claim_response(resource: object) -> FhirAdjudication:
    """A :class:`FhirAdjudication` from a FHIR R4 ``ClaimResponse``.

    Items are read by ``itemSequence`` with their details and sub-details rolled up;
    totals, the payment and each item's ``eligible × eligpercent`` are checked and what
    does not add up is reported in ``findings``. Malformed input raises a
    :class:`~claimcore.errors.ValidationError` whose path names the element
    (``$.item[2].adjudication[0].amount.value``).
    """
    return _read(resource_of(resource, "ClaimResponse"), eob=False)


def from_explanation_of_benefit(resource: object) -> FhirAdjudication:
    """A :class:`FhirAdjudication` from a FHIR R4 ``ExplanationOfBenefit``.

    As :func:`from_claim_response`; an item's ``submitted`` amount falls back to its
    ``net``, and ``addItem`` entries follow the items (numbered after them).
    """
    return _read(resource_of(resource, "ExplanationOfBenefit"), eob=True)
