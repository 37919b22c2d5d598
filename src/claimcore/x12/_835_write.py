"""The 835 health care claim payment/advice (005010X221A1) written from
:class:`~claimcore.remittance.Remittance` values.

:func:`write_835` writes one transaction set per remittance: ``BPR``/``TRN``, the payer
and payee (loops 1000A/1000B), each claim payment (``CLP``, loop 2100) with its ``CAS``,
crossover carrier, ``MOA`` remarks and statement dates, each service line (``SVC``, loop
2110) and the provider-level adjustments (``PLB``). Reading the text back with
:func:`~claimcore.x12.read_835` gives the same remittances.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Final

from claimcore._validate import instance, members, to_tuple
from claimcore.errors import ValidationError
from claimcore.remittance import ClaimPayment, ProviderAdjustment, Remittance, ServicePayment
from claimcore.x12._elements import amount, cas, d8, number
from claimcore.x12._envelope import ControlNumbers, Element, wrap
from claimcore.x12._tokens import Delimiters

__all__ = ["write_835"]

_MAX_MOA_REMARKS: Final = 5


def _remarks(claim: ClaimPayment) -> list[list[Element]]:
    codes = [r.code for r in claim.remarks]
    return [
        ["MOA", "", "", *codes[k:k + _MAX_MOA_REMARKS]]
        for k in range(0, len(codes), _MAX_MOA_REMARKS)
    ]


def _service_segments(s: ServicePayment) -> list[list[Element]]:
    if s.procedure is not None:
        svc01: tuple[str, ...] = ("HC", s.procedure.code, *(m.code for m in s.modifiers))
        rev = s.revenue_code.code if s.revenue_code is not None else ""
    else:
        revenue = s.revenue_code.code if s.revenue_code is not None else ""
        svc01 = ("NU", revenue, *(m.code for m in s.modifiers))
        rev = ""
    units = "" if s.units == 1 else number(s.units)
    out: list[list[Element]] = [["SVC", svc01, amount(s.charge), amount(s.paid), rev, units]]
    period = s.service_period
    if period is not None:
        if period.end == period.start:
            out.append(["DTM", "472", d8(period.start)])
        else:
            out.append(["DTM", "150", d8(period.start)])
            if period.end is not None:
                out.append(["DTM", "151", d8(period.end)])
    out.extend(cas(s.adjustments))
    if s.line_ref is not None:
        out.append(["REF", "6R", s.line_ref])
    if s.allowed is not None:
        out.append(["AMT", "B6", amount(s.allowed)])
    out.extend(["LQ", "HE", r.code] for r in s.remarks)
    return out


def _plb_identity(remittance: Remittance, plb: ProviderAdjustment) -> tuple[str, date]:
    """``PLB01`` and ``PLB02`` for ``plb``, both required by the TR3: its own provider id
    and fiscal period end, else the payee's id (NPI, tax id, other id, as ``N104``) and the
    last day of the payment's year (the fiscal period most providers keep)."""
    payee = remittance.payee
    ident = payee.npi or payee.tax_id
    provider = plb.provider_id or (ident.value if ident is not None else payee.other_id or "")
    fiscal = plb.fiscal_period_end or date(remittance.paid_on.year, 12, 31)
    return provider, fiscal


def _remittance_segments(r: Remittance) -> list[list[Element]]:
    method = r.method.value
    bpr: list[Element] = [
        "BPR", "I" if r.payment.is_positive() else "H", amount(r.payment), "C", method,
        *([""] * 11), d8(r.paid_on),
    ]
    out: list[list[Element]] = [bpr, ["TRN", "1", r.trace]]
    out.append(["N1", "PR", r.payer.name])
    out.append(["REF", "2U", r.payer.payer_id.value])
    payee = r.payee
    if payee.npi is not None:
        out.append(["N1", "PE", payee.name, "XX", payee.npi.value])
        if payee.tax_id is not None:
            out.append(["REF", "TJ", payee.tax_id.value])
    elif payee.tax_id is not None:
        out.append(["N1", "PE", payee.name, "FI", payee.tax_id.value])
    else:
        out.append(["N1", "PE", payee.name, payee.other_qualifier or "ZZ", payee.other_id or ""])
    if r.claims:
        out.append(["LX", "1"])
    for claim in r.claims:
        out.append([
            "CLP", claim.claim.value, claim.status.value, amount(claim.charge),
            amount(claim.paid),
            "" if claim.patient_responsibility is None else amount(claim.patient_responsibility),
            claim.filing_indicator, claim.payer_claim_number.value, claim.facility_code or "",
            "" if claim.frequency is None else claim.frequency.value,
        ])
        out.extend(cas(claim.adjustments))
        if claim.crossover is not None:
            cross = claim.crossover
            out.append(["NM1", "TT", "2", cross.name, "", "", "", "",
                        "PI" if cross.payer_id else "",
                        cross.payer_id.value if cross.payer_id else ""])
        out.extend(_remarks(claim))
        period = claim.statement_period
        if period is not None:
            out.append(["DTM", "232", d8(period.start)])
            if period.end is not None:
                out.append(["DTM", "233", d8(period.end)])
        for s in claim.services:
            out.extend(_service_segments(s))
    for plb in r.provider_adjustments:
        reason = (plb.reason.value, plb.reference or "")
        provider, fiscal = _plb_identity(r, plb)
        out.append(["PLB", provider, d8(fiscal), reason, amount(plb.amount)])
    return out


def write_835(
    remittances: Sequence[Remittance],
    *,
    control_numbers: ControlNumbers,
    at: datetime,
    sender_id: str | None = None,
    receiver_id: str | None = None,
    test: bool = False,
) -> str:
    """An 835 interchange (005010X221A1) with one transaction set per remittance.

    ``sender_id`` and ``receiver_id`` (``ISA06``/``ISA08``, ``GS02``/``GS03``) default to
    the first remittance's payer id and payee NPI (or tax id). Reading the text back with
    :func:`read_835` gives remittances equal to ``remittances``.
    """
    items = members(to_tuple(remittances), Remittance, "$.remittances")
    if not items:
        raise ValidationError("write at least one remittance", path="$.remittances",
                              rule="empty")
    first = items[0]
    sender = sender_id or first.payer.payer_id.value[:15]
    payee_id = first.payee.npi or first.payee.tax_id
    receiver = receiver_id or (
        payee_id.value if payee_id is not None else first.payee.other_id or "RECEIVER"
    )
    delims = Delimiters()
    bodies: list[tuple[str, str | None, Sequence[Sequence[Element]]]] = []
    for n, r in enumerate(items):
        instance(r, Remittance, f"$.remittances[{n}]")
        segments = _remittance_segments(r)
        bodies.append(("835", None, segments))
    return wrap(bodies, functional_id="HP", version="005010X221A1", sender_id=sender,
                receiver_id=receiver, control_numbers=control_numbers, at=at, test=test,
                delims=delims)
