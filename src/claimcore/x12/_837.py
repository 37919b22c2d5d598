"""The 837 health care claim: professional (005010X222A1) and institutional (005010X223A2).

:func:`write_837p` and :func:`write_837i` write a complete interchange: one transaction
set holding every claim, grouped under its billing provider (``HL`` level 20), each
claim under its subscriber (22) and, when the patient is not the subscriber, the patient
(23). Secondary and later claims carry each prior payer's adjudication in loops 2320
(``SBR``, ``CAS``, ``AMT*D``), 2330A/2330B (other subscriber and payer) and 2430 (``SVD``,
``CAS``, ``DTP*573``). The file holds PHI, as a claim must; the errors never do.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Final

from claimcore._validate import aware_datetime, instance, members, to_tuple
from claimcore.claims import Claim, ClaimKind, ClaimLine, OtherPayer
from claimcore.codes import ClaimFrequency, PresentOnAdmission
from claimcore.codes.limits import (
    HI_CODES_PER_SEGMENT,
    MAX_DIAGNOSIS_POINTERS,
    MAX_INSTITUTIONAL_DIAGNOSES,
    MAX_MODIFIERS,
    MAX_PROFESSIONAL_DIAGNOSES,
)
from claimcore.coverage import Coverage, CoverageOrder, PayerKind, Relationship
from claimcore.errors import ValidationError
from claimcore.patients import Address, PersonName
from claimcore.providers import Organization, Provider
from claimcore.x12._elements import amount, cas, d8, number
from claimcore.x12._envelope import ControlNumbers, Element, Receiver, Submitter, wrap
from claimcore.x12._warnings import X12Error

__all__ = ["write_837i", "write_837p"]

PROFESSIONAL_GUIDE: Final = "005010X222A1"
INSTITUTIONAL_GUIDE: Final = "005010X223A2"
_PROFESSIONAL_FILING: Final = {
    PayerKind.MEDICARE: "MB", PayerKind.MEDICAID: "MC", PayerKind.COMMERCIAL: "CI",
    PayerKind.TRICARE: "CH", PayerKind.WORKERS_COMPENSATION: "WC", PayerKind.AUTO: "AM",
    PayerKind.SELF_PAY: "ZZ",
}
_INSTITUTIONAL_FILING: Final = {**_PROFESSIONAL_FILING, PayerKind.MEDICARE: "MA"}
Segments = list[list[Element]]


def _person(code: str, name: PersonName, qualifier: str = "", ident: str = "") -> list[Element]:
    return ["NM1", code, "1", name.family, name.given or "", name.middle or "", "",
            name.suffix or "", qualifier, ident]


def _address(address: Address | None, path: str = "") -> Segments:
    if address is None:
        if path:
            raise ValidationError(
                "the 837 carries the patient's address (loop 2010BA or 2010CA, N3/N4): "
                "give the patient or the subscriber an address", path=path,
                rule="patient-address",
            )
        return []
    n4: list[Element]
    if address.country in ("US", "CA"):
        n4 = ["N4", address.city, address.state, address.postal_code]
        if address.country != "US":
            n4.append(address.country)
    else:  # N402 holds US and Canadian codes only; others go in N407
        n4 = ["N4", address.city, "", address.postal_code, address.country, "", "",
              address.state]
    return [["N3", *address.lines], n4]


def _demographics(birth_date: date, sex: str) -> list[Element]:
    return ["DMG", "D8", d8(birth_date), sex]


def _filing(coverage: Coverage, institutional: bool) -> str:
    table = _INSTITUTIONAL_FILING if institutional else _PROFESSIONAL_FILING
    return table[coverage.payer.kind]


def _sbr(coverage: Coverage, institutional: bool, *, other: bool) -> list[Element]:
    relationship = coverage.relationship
    if other:
        sbr02 = relationship.value if relationship in _SBR_RELATIONSHIPS else "G8"
    else:
        sbr02 = "18" if relationship is Relationship.SELF else ""
    group = coverage.group_number or ""
    return ["SBR", coverage.order.value, sbr02, group, "" if group else coverage.plan.name,
            _insurance_type(coverage, institutional), "", "", "",
            _filing(coverage, institutional)]


def _insurance_type(coverage: Coverage, institutional: bool) -> str:
    """``SBR05``: why Medicare is secondary, on 837P claims to Medicare as non-primary (the
    837I does not use it; it carries the reason as a value code)."""
    msp = coverage.medicare_secondary_type
    if (institutional or msp is None or coverage.payer.kind is not PayerKind.MEDICARE
            or coverage.order is CoverageOrder.PRIMARY):
        return ""
    return msp.value


_SBR_RELATIONSHIPS: Final = frozenset({
    Relationship.SPOUSE, Relationship.SELF, Relationship.CHILD, Relationship.EMPLOYEE,
    Relationship.UNKNOWN, Relationship.ORGAN_DONOR, Relationship.CADAVER_DONOR,
    Relationship.LIFE_PARTNER, Relationship.OTHER,
})


def _billing(org: Organization, path: str) -> Segments:
    if org.address.country == "US" and len(org.address.postal_code) != 9:
        raise ValidationError(
            "the 837 carries the billing provider's full nine-digit ZIP code (2010AA N403)",
            path=f"{path}.billing_provider.address.postal_code", rule="billing-zip",
        )
    out: Segments = []
    if org.taxonomy:
        out.append(["PRV", "BI", "PXC", org.taxonomy])
    out.append(["NM1", "85", "2", org.name, "", "", "", "", "XX", org.npi.value])
    out.extend(_address(org.address))
    out.append(["REF", "EI", org.tax_id.value])
    return out


def _provider(code: str, provider: Provider, prv: str | None) -> Segments:
    out: Segments = [_person(code, provider.name, "XX", provider.npi.value)]
    if prv and provider.taxonomy:
        out.append(["PRV", prv, "PXC", provider.taxonomy])
    return out


def _procedure(line: ClaimLine) -> tuple[str, ...] | str:
    if line.procedure is None:
        return ""
    return ("HC", line.procedure.code, *(m.code for m in line.modifiers))


def _service_date(line: ClaimLine) -> list[Element]:
    period = line.service_period
    if period.end is None or period.end == period.start:
        return ["DTP", "472", "D8", d8(period.start)]
    return ["DTP", "472", "RD8", f"{d8(period.start)}-{d8(period.end)}"]


def _drug(line: ClaimLine) -> Segments:
    if line.ndc is None:
        return []
    return [["LIN", "", "N4", line.ndc.code], ["CTP", "", "", "", number(line.units), ("UN",)]]


def _other_payer_claim(op: OtherPayer, claim: Claim, *, institutional: bool) -> Segments:
    coverage = op.coverage
    out: Segments = [_sbr(coverage, institutional, other=True)]
    out.extend(cas(op.adjustments))
    out.append(["AMT", "D", amount(op.paid)])
    out.append(["OI", "", "", "Y", "" if institutional else "P", "", "Y"])
    out.append(_person("IL", coverage.subscriber.name, "MI", coverage.member_id.unmasked))
    out.extend(_address(coverage.subscriber.address))
    out.append(["NM1", "PR", "2", coverage.payer.name, "", "", "", "", "PI",
                coverage.payer.payer_id.value])
    if not op.lines:
        out.append(["DTP", "573", "D8", d8(op.adjudicated_on)])
    for adjudication in op.lines:
        if not 1 <= adjudication.line_number <= len(claim.lines):
            raise ValidationError(
                "an other payer's line adjudication names a line the claim does not have",
                path="$.other_payers.lines.line_number", rule="other-payer-line",
            )
    return out


def _other_payer_lines(claim: Claim, line: ClaimLine, *, institutional: bool) -> Segments:
    out: Segments = []
    for op in claim.other_payers:
        for adjudication in op.lines:
            if adjudication.line_number != line.line_number:
                continue
            procedure = _procedure(line)
            revenue = line.revenue_code.code if line.revenue_code is not None else ""
            if institutional:
                svd: list[Element] = ["SVD", op.coverage.payer.payer_id.value,
                                      amount(adjudication.paid), procedure, revenue,
                                      number(line.units)]
            else:
                svd = ["SVD", op.coverage.payer.payer_id.value, amount(adjudication.paid),
                       procedure, "", number(line.units)]
            out.append(svd)
            out.extend(cas(adjudication.adjustments))
            out.append(["DTP", "573", "D8", d8(op.adjudicated_on)])
    return out


def _check_claim(claim: Claim, kind: ClaimKind, path: str) -> None:
    instance(claim, Claim, path)
    if claim.kind is not kind:
        raise ValidationError(f"must be a {kind.value} claim", path=f"{path}.kind",
                              rule="claim-kind")
    if not claim.diagnoses:
        raise ValidationError("an 837 claim has at least one diagnosis",
                              path=f"{path}.diagnoses", rule="no-diagnosis")
    professional = kind is ClaimKind.PROFESSIONAL
    limit = MAX_PROFESSIONAL_DIAGNOSES if professional else MAX_INSTITUTIONAL_DIAGNOSES
    if len(claim.diagnoses) > limit:
        raise ValidationError(f"an {'837P' if professional else '837I'} claim has at most "
                              f"{limit} diagnoses", path=f"{path}.diagnoses",
                              rule="diagnosis-count")
    if kind is ClaimKind.PROFESSIONAL:
        if claim.place_of_service is None:
            raise ValidationError("an 837P claim has a place of service (CLM05-1)",
                                  path=f"{path}.place_of_service", rule="place-of-service")
        for i, line in enumerate(claim.lines):
            if line.procedure is None:
                raise ValidationError("an 837P line has a procedure code (SV101)",
                                      path=f"{path}.lines[{i}].procedure", rule="procedure")
            if (not 1 <= len(line.pointers) <= MAX_DIAGNOSIS_POINTERS
                    or max(line.pointers) > len(claim.diagnoses)):
                raise ValidationError(
                    "an 837P line points at one to four of the claim's diagnoses (SV107)",
                    path=f"{path}.lines[{i}].pointers", rule="pointers",
                )
            if len(line.modifiers) > MAX_MODIFIERS:
                raise ValidationError("an 837P line has at most four modifiers",
                                      path=f"{path}.lines[{i}].modifiers", rule="modifiers")
    else:
        if claim.type_of_bill is None:
            raise ValidationError("an 837I claim has a type of bill (CLM05)",
                                  path=f"{path}.type_of_bill", rule="type-of-bill")
        if claim.admission is None:
            raise ValidationError("an 837I claim has a statement period (DTP*434)",
                                  path=f"{path}.admission", rule="statement-period")
        for i, line in enumerate(claim.lines):
            if line.revenue_code is None:
                raise ValidationError("an 837I line has a revenue code (SV201)",
                                      path=f"{path}.lines[{i}].revenue_code", rule="revenue")
        _check_hi_counts(claim, path)


_HI_LIMITS: Final = (
    ("condition_codes", "condition codes (HI*BG)", 2 * HI_CODES_PER_SEGMENT),
    ("occurrences", "occurrence codes (HI*BH)", 2 * HI_CODES_PER_SEGMENT),
    ("occurrence_spans", "occurrence span codes (HI*BI)", 2 * HI_CODES_PER_SEGMENT),
    ("value_codes", "value codes (HI*BE)", 2 * HI_CODES_PER_SEGMENT),
    ("procedures", "ICD-10-PCS procedures (one HI*BBR, 24 BBQ)",
     1 + 2 * HI_CODES_PER_SEGMENT),
)


def _check_hi_counts(claim: Claim, path: str) -> None:
    for name, what, limit in _HI_LIMITS:
        if len(getattr(claim, name)) > limit:
            raise ValidationError(f"an 837I claim has at most {limit} {what}",
                                  path=f"{path}.{name}", rule="hi-count")
    for i, span in enumerate(claim.occurrence_spans):
        if span.period.end is not None and span.period.end < span.period.start:
            raise ValidationError(  # pragma: no cover - Period refuses it
                "an occurrence span ends on or after it starts",
                path=f"{path}.occurrence_spans[{i}]", rule="span-order")


def _clm01(claim: Claim) -> str:
    """The claim's id as CLM01, written as strictly as claimcore reads it back: payers
    echo only 20 characters in CLP01, and spaces or punctuation are where they differ."""
    if not claim.id.is_submittable():
        raise X12Error(
            "the claim id cannot be sent as a patient control number: claimcore writes "
            "1 to 20 letters, digits or . / _ - (payers echo 20 characters in CLP01); "
            "give the claim such an id", segment_id="CLM", element="CLM01")
    return claim.id.value


def _professional_claim(claim: Claim) -> Segments:
    pos = claim.place_of_service.code if claim.place_of_service is not None else ""
    out: Segments = [[
        "CLM", _clm01(claim), amount(claim.total_charge), "", "",
        (pos, "B", claim.frequency.value), "Y", "A", "Y", "Y",
    ]]
    out.extend(_references(claim))
    hi: list[Element] = ["HI"]
    for n, dx in enumerate(claim.diagnoses):
        hi.append(("ABK" if n == 0 else "ABF", dx.code))
    out.append(hi)
    if claim.referring_provider is not None:
        out.extend(_provider("DN", claim.referring_provider, None))
    if claim.rendering_provider is not None:
        out.extend(_provider("82", claim.rendering_provider, "PE"))
    if claim.facility is not None:
        facility = claim.facility
        out.append(["NM1", "77", "2", facility.name, "", "", "", "",
                    "XX" if facility.npi else "", facility.npi.value if facility.npi else ""])
        out.extend(_address(facility.address))
    for op in claim.other_payers:
        out.extend(_other_payer_claim(op, claim, institutional=False))
    for line in claim.lines:
        out.append(["LX", str(line.line_number)])
        pointers = tuple(str(p) for p in line.pointers)
        out.append(["SV1", _procedure(line), amount(line.charge), "UN", number(line.units),
                    "", "", pointers])
        out.append(_service_date(line))
        if line.charge_id is not None:
            out.append(["REF", "6R", line.charge_id])
        out.extend(_drug(line))
        out.extend(_other_payer_lines(claim, line, institutional=False))
    return out


def _references(claim: Claim) -> Segments:
    out: Segments = []
    if claim.prior_authorization is not None:
        out.append(["REF", "G1", claim.prior_authorization])
    if claim.frequency is not ClaimFrequency.ORIGINAL and claim.original_claim_number:
        out.append(["REF", "F8", claim.original_claim_number.value])
    return out


def _hi(code: str, values: Iterable[str]) -> Segments:
    items = [(code, v) for v in values]
    return [
        ["HI", *items[k:k + HI_CODES_PER_SEGMENT]]
        for k in range(0, len(items), HI_CODES_PER_SEGMENT)
    ]


def _composites(items: list[tuple[str, ...]]) -> Segments:
    return [
        ["HI", *items[k:k + HI_CODES_PER_SEGMENT]]
        for k in range(0, len(items), HI_CODES_PER_SEGMENT)
    ]


def _dx(qualifier: str, code: str, poa: PresentOnAdmission | None) -> tuple[str, ...]:
    if poa is None:
        return (qualifier, code)
    return (qualifier, code, "", "", "", "", "", "", poa.value)


def _institutional_codes(claim: Claim) -> Segments:
    """The 2300 ``HI`` segments, in the guide's order: ABK, ABJ, DR, ABF, BBR, BBQ, BI,
    BH, BE, BG."""
    pairs = claim.diagnoses_on_admission
    out = _composites([_dx("ABK", pairs[0][0].code, pairs[0][1])])
    if claim.admitting_diagnosis is not None:
        out.extend(_hi("ABJ", [claim.admitting_diagnosis.code]))
    if claim.drg is not None:
        out.extend(_hi("DR", [claim.drg.code]))
    out.extend(_composites([_dx("ABF", dx.code, poa) for dx, poa in pairs[1:]]))
    procedures = claim.procedures
    if procedures:
        out.extend(_composites([("BBR", procedures[0].code.code, "D8",
                                 d8(procedures[0].on))]))
        out.extend(_composites([("BBQ", p.code.code, "D8", d8(p.on))
                                for p in procedures[1:]]))
    out.extend(_composites([
        ("BI", span.code.code, "RD8",
         f"{d8(span.period.start)}-{d8(span.period.end or span.period.start)}")
        for span in claim.occurrence_spans
    ]))
    out.extend(_composites([("BH", o.code.code, "D8", d8(o.on)) for o in claim.occurrences]))
    out.extend(_composites([("BE", v.code.code, "", "", amount(v.amount))
                            for v in claim.value_codes]))
    out.extend(_hi("BG", [c.code for c in claim.condition_codes]))
    return out


def _unit_basis(line: ClaimLine) -> str:
    # Accommodation revenue codes (0100-0219) count days; everything else units.
    revenue = line.revenue_code
    return "DA" if revenue is not None and "0100" <= revenue.code <= "0219" else "UN"


def _institutional_claim(claim: Claim) -> Segments:
    tob = claim.type_of_bill
    admission = claim.admission
    if tob is None or admission is None:  # pragma: no cover - checked by _check_claim
        raise ValidationError("an 837I claim has a type of bill and a statement period",
                              rule="type-of-bill")
    out: Segments = [[
        "CLM", _clm01(claim), amount(claim.total_charge), "", "",
        (tob.code[:2], "A", claim.frequency.value), "", "A", "Y", "Y",
    ]]
    inpatient = admission.admission_date is not None
    if admission.discharge_hour is not None:
        out.append(["DTP", "096", "TM", f"{admission.discharge_hour:02d}00"])
    period = admission.statement_period
    end = period.end or period.start
    out.append(["DTP", "434", "RD8", f"{d8(period.start)}-{d8(end)}"])
    if inpatient and admission.admission_date is not None:
        if admission.admission_hour is not None:
            out.append(["DTP", "435", "DT",
                        f"{d8(admission.admission_date)}{admission.admission_hour:02d}00"])
        else:
            out.append(["DTP", "435", "D8", d8(admission.admission_date)])
    out.append(["CL1", admission.admission_type or "", admission.admission_source or "",
                admission.discharge_status or "01"])
    out.extend(_references(claim))
    out.extend(_institutional_codes(claim))
    if claim.attending_provider is not None:
        out.extend(_provider("71", claim.attending_provider, "AT"))
    if claim.referring_provider is not None:
        out.extend(_provider("DN", claim.referring_provider, None))
    for op in claim.other_payers:
        out.extend(_other_payer_claim(op, claim, institutional=True))
    for line in claim.lines:
        out.append(["LX", str(line.line_number)])
        revenue = line.revenue_code.code if line.revenue_code is not None else ""
        out.append(["SV2", revenue, _procedure(line), amount(line.charge),
                    _unit_basis(line), number(line.units)])
        out.append(_service_date(line))
        if line.charge_id is not None:
            out.append(["REF", "6R", line.charge_id])
        out.extend(_drug(line))
        out.extend(_other_payer_lines(claim, line, institutional=True))
    return out


def _body(claims: tuple[Claim, ...], submitter: Submitter, receiver: Receiver,
          at: datetime, reference: str, institutional: bool) -> Segments:
    out: Segments = [
        ["BHT", "0019", "00", reference, d8(at.date()), at.strftime("%H%M"), "CH"],
        ["NM1", "41", "2", submitter.name, "", "", "", "", "46", submitter.id],
    ]
    per: list[Element] = ["PER", "IC", submitter.contact_name]
    if submitter.phone:
        per.extend(["TE", submitter.phone])
    if submitter.email:
        per.extend(["EM", submitter.email])
    out.append(per)
    out.append(["NM1", "40", "2", receiver.name, "", "", "", "", "46", receiver.id])
    hl = 0
    by_provider: dict[Organization, list[Claim]] = {}
    index = {id(claim): i for i, claim in enumerate(claims)}
    for claim in claims:
        by_provider.setdefault(claim.billing_provider, []).append(claim)
    for org, provider_claims in by_provider.items():
        hl += 1
        parent = hl
        out.append(["HL", str(parent), "", "20", "1"])
        out.extend(_billing(org, f"$.claims[{index[id(provider_claims[0])]}]"))
        for claim in provider_claims:
            coverage = claim.coverage
            subscriber = coverage.subscriber
            is_self = coverage.relationship is Relationship.SELF
            hl += 1
            sub_hl = hl
            out.append(["HL", str(sub_hl), str(parent), "22", "0" if is_self else "1"])
            out.append(_sbr(coverage, institutional, other=False))
            out.append(_person("IL", subscriber.name, "MI",
                               coverage.member_id.unmasked))
            if is_self:
                out.extend(_address(subscriber.address or claim.patient.address,
                                    f"$.claims[{index[id(claim)]}].patient.address"))
                out.append(_demographics(subscriber.birth_date, subscriber.sex.value))
            out.append(["NM1", "PR", "2", coverage.payer.name, "", "", "", "", "PI",
                        coverage.payer.payer_id.value])
            if not is_self:
                hl += 1
                out.append(["HL", str(hl), str(sub_hl), "23", "0"])
                relationship = coverage.relationship.value
                out.append(["PAT", relationship if relationship != "18" else "G8"])
                patient = claim.patient
                out.append(_person("QC", patient.name))
                out.extend(_address(patient.address,
                                    f"$.claims[{index[id(claim)]}].patient.address"))
                out.append(_demographics(patient.birth_date, patient.sex.value))
            out.extend(_institutional_claim(claim) if institutional
                       else _professional_claim(claim))
    return out


def _write(
    claims: Iterable[Claim], kind: ClaimKind, *, submitter: Submitter, receiver: Receiver,
    control_numbers: ControlNumbers, at: datetime, test: bool,
) -> str:
    items = members(to_tuple(claims), Claim, "$.claims")
    if not items:
        raise ValidationError("write at least one claim", path="$.claims", rule="empty")
    instance(submitter, Submitter, "$.submitter")
    instance(receiver, Receiver, "$.receiver")
    instance(control_numbers, ControlNumbers, "$.control_numbers")
    for i, claim in enumerate(items):
        _check_claim(claim, kind, f"$.claims[{i}]")
    institutional = kind is ClaimKind.INSTITUTIONAL
    guide = INSTITUTIONAL_GUIDE if institutional else PROFESSIONAL_GUIDE
    reference = str(control_numbers.interchange)
    aware_datetime(at, "$.at")
    body = _body(items, submitter, receiver, at, reference, institutional)
    return wrap([("837", guide, body)], functional_id="HC", version=guide,
                sender_id=submitter.id, receiver_id=receiver.id,
                control_numbers=control_numbers, at=at, test=test)


def write_837p(
    claims: Iterable[Claim], *, submitter: Submitter, receiver: Receiver,
    control_numbers: ControlNumbers, at: datetime, test: bool = False,
) -> str:
    """A professional claim interchange (837P, 005010X222A1) holding ``claims``.

    Every claim must be professional, with a place of service, one to twelve diagnoses
    (``HI*ABK`` then ``ABF``) and, per line, a procedure code with one to four diagnosis
    pointers. ``SBR05`` carries the coverage's Medicare secondary payer type on a claim
    to Medicare as a non-primary payer. ``at`` (timezone-aware) dates the ``ISA``, ``GS``
    and ``BHT``. Raises
    :class:`~claimcore.errors.ValidationError` for a claim the guide cannot carry, or a
    value holding a delimiter.
    """
    return _write(claims, ClaimKind.PROFESSIONAL, submitter=submitter, receiver=receiver,
                  control_numbers=control_numbers, at=at, test=test)


def write_837i(
    claims: Iterable[Claim], *, submitter: Submitter, receiver: Receiver,
    control_numbers: ControlNumbers, at: datetime, test: bool = False,
) -> str:
    """An institutional claim interchange (837I, 005010X223A2) holding ``claims``.

    Every claim must be institutional, with a type of bill, admission information (the
    statement period, ``DTP*434``; ``CL1``), a principal diagnosis (``HI*ABK``), an
    optional admitting diagnosis (``ABJ``), others (``ABF``), and a revenue code per line
    (``SV2``). Present-on-admission indicators go in ``HI0x-9`` of ``ABK``/``ABF``; the
    DRG in ``HI*DR``; ICD-10-PCS procedures in ``HI*BBR`` (principal) and ``BBQ`` with
    ``D8`` dates; occurrence spans ``HI*BI`` (``RD8``), occurrences ``HI*BH`` (``D8``),
    value codes ``HI*BE`` (amount in ``HI0x-5``), condition codes ``HI*BG``; at most 24
    of each (two segments of 12). An accommodation line (revenue codes 0100-0219) counts
    days (``SV204`` ``DA``), others units (``UN``); the rate (UB-04 FL 44) is not sent
    (``SV206`` is not used in 5010): the charge is units times rate.
    ``SBR05`` is not used in the 837I: the Medicare secondary payer reason travels as
    its value code (:data:`~claimcore.codes.MSP_VALUE_CODES`).
    """
    return _write(claims, ClaimKind.INSTITUTIONAL, submitter=submitter, receiver=receiver,
                  control_numbers=control_numbers, at=at, test=test)
