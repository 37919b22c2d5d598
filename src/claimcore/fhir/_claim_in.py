"""FHIR ``Claim`` in: a claim another system sent, read into a draft claimcore ``Claim``.

A FHIR ``Claim`` names its patient, coverage and billing provider by reference; claimcore's
:class:`~claimcore.claims.Claim` holds them as values, so the caller resolves the
references (with :func:`~claimcore.fhir.from_patient`, :func:`~claimcore.fhir.from_coverage`
or its own records) and passes them in. What the resource says and claimcore's claim
cannot hold comes back as findings; what cannot be a claim at all raises a
:class:`~claimcore.errors.ValidationError` naming the element.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Final

from claimcore._validate import instance, members
from claimcore.claims import Claim, ClaimKind, ClaimLine
from claimcore.codes import (
    CPT,
    HCPCS,
    ICD10CM,
    NDC,
    ClaimFrequency,
    Modifier,
    PlaceOfService,
    RevenueCode,
    TypeOfBill,
    procedure_code,
)
from claimcore.coverage import Coverage
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.fhir._claim import (
    C4BB_CARE_TEAM_ROLE,
    CARE_TEAM_ROLE,
    CLAIM_ID_SYSTEM,
    FREQUENCY_EXT,
)
from claimcore.fhir._common import (
    CLAIMCORE_SYSTEM,
    CPT_SYSTEM,
    HCPCS_SYSTEM,
    ICD10CM_SYSTEM,
    NDC_SYSTEM,
    NPI_SYSTEM,
    POS_SYSTEM,
    REVENUE_SYSTEM,
    a_date,
    build_at,
    code_from,
    codes_in,
    decimal,
    each,
    need,
    obj,
    read_money,
    read_period,
    resource_of,
    scalar_at,
    string,
)
from claimcore.findings import Finding, Severity
from claimcore.ids import NPI, ClaimId, PayerClaimNumber
from claimcore.money import Money
from claimcore.patients import Patient
from claimcore.periods import Period
from claimcore.providers import Organization, Provider

__all__ = ["from_claim", "from_claim_with_findings"]

ICD10_WHO_SYSTEM: Final = "http://hl7.org/fhir/sid/icd-10"
TYPE_OF_BILL_SYSTEMS: Final = frozenset({
    f"{CLAIMCORE_SYSTEM}/type-of-bill",
    "https://www.nubc.org/CodeSystem/TypeOfBill",
    "https://www.cms.gov/codes/billtype",
})
_POS: Final = POS_SYSTEM.lower()
_KINDS: Final = {"professional": ClaimKind.PROFESSIONAL, "institutional": ClaimKind.INSTITUTIONAL}
_ROLE_OF_CARIN: Final = {"rendering": "rendering", "attending": "attending",
                         "referring": "referring", "performing": "line"}


def _finding(edit: str, message: str, location: str,
             severity: Severity = Severity.WARNING) -> Finding:
    return Finding(edit_id=edit, severity=severity, message=message, location=location)


def _claim_id(res: Mapping[str, Any]) -> ClaimId:
    for p, raw in each(res, "identifier", "$"):
        ident = obj(raw, p)
        if ident.get("system") == CLAIM_ID_SYSTEM:
            return scalar_at(f"{p}.value", ClaimId, string(need(ident, "value", p),
                                                             f"{p}.value"))
    for p, raw in each(res, "identifier", "$"):
        value = obj(raw, p).get("value")
        if value is not None:
            return scalar_at(f"{p}.value", ClaimId, string(value, f"{p}.value"))
    return scalar_at("$.id", ClaimId, string(need(res, "id", "$"), "$.id"))


def _kind(res: Mapping[str, Any]) -> ClaimKind:
    found = code_from(need(res, "type", "$"), "$.type", None)
    if found is None:
        raise ValidationError("needs a claim type code", path="$.type", rule="required")
    where, code = found
    if code not in _KINDS:
        raise ValidationError(
            "claimcore bills professional and institutional claims (837P/837I), not "
            "this claim type", path=where, rule="claim-type",
        )
    return _KINDS[code]


def _diagnosis(entry: Mapping[str, Any], p: str, findings: list[Finding]) -> ICD10CM:
    cc = need(entry, "diagnosisCodeableConcept", p)
    path = f"{p}.diagnosisCodeableConcept"
    codings = list(codes_in(cc, path))
    for q, system, code in codings:
        if system == ICD10CM_SYSTEM:
            return scalar_at(f"{q}.code", ICD10CM, code)
    for q, system, code in codings:
        if system in (None, ICD10_WHO_SYSTEM):
            value = scalar_at(f"{q}.code", ICD10CM, code)
            if system == ICD10_WHO_SYSTEM:
                findings.append(_finding(
                    "fhir-claim-icd10-who",
                    f"diagnosis {value} is coded in WHO ICD-10, read as ICD-10-CM: check it "
                    "against the ICD-10-CM code set", f"{q}.code",
                ))
            return value
    raise ValidationError("needs an ICD-10-CM code (system http://hl7.org/fhir/sid/"
                          "icd-10-cm)", path=path, rule="diagnosis-system")


def _diagnoses(
    res: Mapping[str, Any], findings: list[Finding]
) -> tuple[list[ICD10CM], ICD10CM | None, dict[int, int]]:
    """(diagnoses in order, the admitting diagnosis, FHIR sequence -> claim position)."""
    entries: list[tuple[int, str, Mapping[str, Any]]] = []
    for p, raw in each(res, "diagnosis", "$"):
        entry = obj(raw, p)
        seq = need(entry, "sequence", p)
        if type(seq) is not int or seq < 1:
            raise TypeMismatch("must be a positive integer", path=f"{p}.sequence",
                               rule="type")
        entries.append((seq, p, entry))
    entries.sort(key=lambda e: e[0])
    codes: list[ICD10CM] = []
    admitting: ICD10CM | None = None
    position: dict[int, int] = {}
    for seq, p, entry in entries:
        types = {code for q, t in each(entry, "type", p)
                 for _, _, code in codes_in(t, q)}
        code = _diagnosis(entry, p, findings)
        if "admitting" in types and admitting is None and "principal" not in types:
            admitting = code
            continue
        if code in codes:
            findings.append(_finding(
                "fhir-claim-diagnosis-twice", f"diagnosis {code} is listed twice; the "
                "lines point at its first entry", p))
            position[seq] = codes.index(code) + 1
            continue
        codes.append(code)
        position[seq] = len(codes)
    return codes, admitting, position


def _procedure(item: Mapping[str, Any], p: str) -> tuple[CPT | HCPCS | None,
                                                         RevenueCode | None]:
    concept = need(item, "productOrService", p)
    path = f"{p}.productOrService"
    for q, system, code in codes_in(concept, path):
        if system == CPT_SYSTEM:
            return scalar_at(f"{q}.code", CPT, code), None
        if system == HCPCS_SYSTEM:
            return scalar_at(f"{q}.code", HCPCS, code), None
        if system == REVENUE_SYSTEM:
            return None, scalar_at(f"{q}.code", RevenueCode, code)
        if system is None:
            return scalar_at(f"{q}.code", procedure_code, code), None
    raise ValidationError(
        "needs a CPT or HCPCS code (or a revenue code on an institutional claim)",
        path=path, rule="procedure-system",
    )


def _units(item: Mapping[str, Any], p: str) -> Decimal:
    q = item.get("quantity")
    if q is None:
        return Decimal(1)
    return decimal(need(obj(q, f"{p}.quantity"), "value", f"{p}.quantity"),
                   f"{p}.quantity.value")


def _charge(item: Mapping[str, Any], p: str, units: Decimal) -> Money:
    net = item.get("net")
    if net is not None:
        return read_money(net, f"{p}.net")
    price = item.get("unitPrice")
    if price is None:
        raise ValidationError("needs a net amount (the line's charge)", path=f"{p}.net",
                              rule="required")
    unit = read_money(price, f"{p}.unitPrice")
    try:
        return unit.times(units)
    except ValidationError as err:
        raise err.at(f"{p}.unitPrice") from None


def _serviced(item: Mapping[str, Any], p: str) -> Period:
    if item.get("servicedDate") is not None:
        return Period.day(a_date(item["servicedDate"], f"{p}.servicedDate"))
    if item.get("servicedPeriod") is not None:
        span = read_period(item["servicedPeriod"], f"{p}.servicedPeriod")
        return span if span.end is not None else Period.day(span.start)
    raise ValidationError("needs servicedDate or servicedPeriod", path=f"{p}.servicedDate",
                          rule="required")


def _care_team(
    res: Mapping[str, Any], kind: ClaimKind, providers: Mapping[str, list[Provider]],
    findings: list[Finding],
) -> tuple[dict[int, NPI], dict[str, Provider]]:
    """(care team sequence -> NPI, claim role -> provider)."""
    npis: dict[int, NPI] = {}
    roles: dict[str, Provider] = {}
    primaries: list[tuple[str, NPI, object]] = []
    for p, raw in each(res, "careTeam", "$"):
        member = obj(raw, p)
        seq = need(member, "sequence", p)
        if type(seq) is not int or seq < 1:
            raise TypeMismatch("must be a positive integer", path=f"{p}.sequence",
                               rule="type")
        ref = obj(need(member, "provider", p), f"{p}.provider")
        ident = ref.get("identifier")
        if ident is None or obj(ident, f"{p}.provider.identifier").get("system") != NPI_SYSTEM:
            findings.append(_finding(
                "fhir-claim-care-team-npi", "a care team member without an NPI identifier "
                "is left out (claimcore knows providers by NPI)", f"{p}.provider"))
            continue
        value = string(need(ident, "value", f"{p}.provider.identifier"),
                       f"{p}.provider.identifier.value")
        npi = scalar_at(f"{p}.provider.identifier.value", NPI, value)
        npis[seq] = npi
        shown = ref.get("display")
        carin = base = None
        role_raw = member.get("role")
        if role_raw is not None:
            for _, system, code in codes_in(role_raw, f"{p}.role"):
                if system == C4BB_CARE_TEAM_ROLE:
                    carin = carin or code
                elif system == CARE_TEAM_ROLE:
                    base = base or code
        role = _ROLE_OF_CARIN.get(carin or "")
        if role is None:
            if base == "primary":
                primaries.append((p, npi, shown))
                continue
            role = "referring" if base == "other" else None
        if role is None or role == "line":
            continue
        _place(role, npi, shown, p, providers, roles, findings)
    if primaries:  # a plain primary is the rendering (837P) or attending (837I) provider
        first = "rendering" if kind is ClaimKind.PROFESSIONAL else "attending"
        for p, npi, shown in primaries:
            role = first if first not in roles else (
                "attending" if first == "rendering" else "rendering")
            _place(role, npi, shown, p, providers, roles, findings)
    return npis, roles


def _place(role: str, npi: NPI, shown: object, p: str,
           providers: Mapping[str, list[Provider]], roles: dict[str, Provider],
           findings: list[Finding]) -> None:
    """Put the provider with this NPI in ``role`` (of several, the one named ``shown``)."""
    if role in roles:
        return
    candidates = providers.get(npi.value, [])
    provider = next((c for c in candidates if c.name.display() == shown),
                    candidates[0] if candidates else None)
    if provider is None:
        findings.append(_finding(
            "fhir-claim-provider-unknown",
            f"the {role} provider (NPI {npi.value}) was not among the providers given, so "
            "the claim is read without it", f"{p}.provider"))
        return
    roles[role] = provider


def _frequency(res: Mapping[str, Any]) -> ClaimFrequency:
    for p, raw in each(res, "extension", "$"):
        ext = obj(raw, p)
        if ext.get("url") == FREQUENCY_EXT:
            code = string(need(ext, "valueCode", p), f"{p}.valueCode")
            try:
                return ClaimFrequency(code)
            except ValueError:
                raise ValidationError("is not a claim frequency code (1, 7, 8, ...)",
                                      path=f"{p}.valueCode", rule="frequency") from None
    return ClaimFrequency.ORIGINAL


def _original_number(res: Mapping[str, Any]) -> PayerClaimNumber | None:
    for p, raw in each(res, "related", "$"):
        rel = obj(raw, p)
        claim = rel.get("claim")
        if claim is None:
            continue
        ident = obj(claim, f"{p}.claim").get("identifier")
        if ident is None:
            continue
        value = obj(ident, f"{p}.claim.identifier").get("value")
        if value is not None:
            return scalar_at(f"{p}.claim.identifier.value", PayerClaimNumber,
                             string(value, f"{p}.claim.identifier.value"))
    return None


def _insurance(res: Mapping[str, Any], findings: list[Finding]) -> str | None:
    """The focal insurance's prior authorization; other insurances are findings."""
    entries = list(each(res, "insurance", "$"))
    if not entries:
        raise ValidationError("is required (the coverage billed)", path="$.insurance",
                              rule="required")
    focal = next((pe for pe in entries if obj(pe[1], pe[0]).get("focal") is True),
                 entries[0])
    for p, _ in entries:
        if p != focal[0]:
            findings.append(_finding(
                "fhir-claim-other-insurance", "an insurance that is not the focal one is "
                "not read: give other payers' history as claimcore OtherPayer values", p))
    fp, fraw = focal
    auth: str | None = None
    for q, value in each(obj(fraw, fp), "preAuthRef", fp):
        auth = auth or string(value, q)
    return auth


def _type_of_bill(res: Mapping[str, Any]) -> TypeOfBill | None:
    sub = res.get("subType")
    if sub is None:
        return None
    for q, system, code in codes_in(sub, "$.subType"):
        if system in TYPE_OF_BILL_SYSTEMS:
            return scalar_at(f"{q}.code", TypeOfBill, code)
    return None


def _modifiers(item: Mapping[str, Any], p: str) -> list[Modifier]:
    out: list[Modifier] = []
    for q, raw in each(item, "modifier", p):
        found = code_from(raw, q, None)
        if found is not None:
            out.append(scalar_at(found[0], Modifier, found[1]))
    return out


def _ndc(item: Mapping[str, Any], p: str) -> NDC | None:
    for q, raw in each(item, "detail", p):
        product = obj(raw, q).get("productOrService")
        if product is None:
            continue
        found = code_from(product, f"{q}.productOrService", NDC_SYSTEM)
        if found is not None:
            return scalar_at(found[0], NDC, found[1])
    return None


def _pos(item: Mapping[str, Any], p: str) -> PlaceOfService | None:
    loc = item.get("locationCodeableConcept")
    if loc is None:
        return None
    for q, system, code in codes_in(loc, f"{p}.locationCodeableConcept"):
        # CMS's page is also cited in lower case with ".html" (HL7's own examples do)
        if system is not None and system.lower().removesuffix(".html") == _POS:
            return scalar_at(f"{q}.code", PlaceOfService, code)
    return None


def _positive_ints(item: Mapping[str, Any], key: str, p: str) -> list[int]:
    out: list[int] = []
    for q, v in each(item, key, p):
        if type(v) is not int or v < 1:
            raise TypeMismatch("must be a positive integer", path=q, rule="type")
        out.append(v)
    return out


def _providers(value: Iterable[Provider]) -> dict[str, list[Provider]]:
    listed = members(tuple(value), Provider, "$.providers")
    out: dict[str, list[Provider]] = {}
    for p in listed:
        out.setdefault(p.npi.value, []).append(p)
    return out


def from_claim_with_findings(
    resource: object,
    *,
    patient: Patient,
    coverage: Coverage,
    billing_provider: Organization,
    providers: Iterable[Provider] = (),
) -> tuple[Claim, tuple[Finding, ...]]:
    """A draft :class:`~claimcore.claims.Claim` from a FHIR R4 ``Claim``, and findings.

    The patient, the coverage and the billing provider are the values the resource's
    references stand for (the caller resolves them); a ``provider`` identified by an NPI
    other than ``billing_provider``'s is refused (``provider-mismatch``). ``providers``
    are the clinicians the care team may name, matched by NPI (and by the reference's
    ``display`` name when two share an NPI): a CARIN role
    (``rendering``, ``attending``, ``referring``) says which is which, else ``primary``
    is the rendering provider of a professional claim and the attending of an
    institutional one, and ``other`` the referring provider.

    Read: the claim id (claimcore's ``claim-id`` identifier, else the first identifier,
    else the resource id), the kind (``type``: professional or institutional only), the
    diagnoses in ``sequence`` order (ICD-10-CM; ``admitting`` kept apart), each ``item``
    as a line (CPT/HCPCS, or a revenue code; modifiers; ``quantity`` as units; ``net``,
    else ``unitPrice`` × quantity, as the charge; the serviced date or period;
    ``diagnosisSequence`` as pointers; the care team member as the rendering NPI; an NDC
    detail), the place of service (the first item's location), the type of bill
    (``subType``), the frequency and original claim number, and the prior authorization.
    The claim is a draft with no history, as an 837 read in is.

    Findings (warnings): a WHO ICD-10 diagnosis read as ICD-10-CM, a diagnosis listed
    twice, a care team member without an NPI or not among ``providers``, an insurance
    other than the focal one. ``total``, when given, must be the sum of the lines.
    """
    res = resource_of(resource, "Claim")
    instance(patient, Patient, "$.patient")
    instance(coverage, Coverage, "$.coverage")
    instance(billing_provider, Organization, "$.billing_provider")
    known = _providers(providers)
    findings: list[Finding] = []
    claim_id = _claim_id(res)
    kind = _kind(res)
    provider_ref = obj(need(res, "provider", "$"), "$.provider")
    ident = provider_ref.get("identifier")
    if ident is not None:
        i = obj(ident, "$.provider.identifier")
        if i.get("system") == NPI_SYSTEM and i.get("value") != billing_provider.npi.value:
            raise ValidationError(
                "names another NPI than the billing provider given", path="$.provider",
                rule="provider-mismatch",
            )
    diagnoses, admitting, position = _diagnoses(res, findings)
    npis, roles = _care_team(res, kind, known, findings)
    lines: list[ClaimLine] = []
    place: PlaceOfService | None = None
    items = list(each(res, "item", "$"))
    for n, (p, raw) in enumerate(items, 1):
        item = obj(raw, p)
        procedure, revenue_only = _procedure(item, p)
        revenue = revenue_only
        rev_raw = item.get("revenue")
        if rev_raw is not None:
            found = code_from(rev_raw, f"{p}.revenue", None)
            if found is not None:
                revenue = scalar_at(found[0], RevenueCode, found[1])
        units = _units(item, p)
        pointers: list[int] = []
        for k, seq in enumerate(_positive_ints(item, "diagnosisSequence", p)):
            q = f"{p}.diagnosisSequence[{k}]"
            if seq not in position:
                raise ValidationError("points at no diagnosis of the claim", path=q,
                                      rule="pointer")
            pointers.append(position[seq])
        rendering: NPI | None = None
        for k, seq in enumerate(_positive_ints(item, "careTeamSequence", p)):
            q = f"{p}.careTeamSequence[{k}]"
            if seq not in npis:
                findings.append(_finding(
                    "fhir-claim-care-team-npi", "the line's care team member has no NPI "
                    "and is left out", q))
                continue
            rendering = rendering or npis[seq]
        place = place or _pos(item, p)
        lines.append(build_at(
            p, ClaimLine,
            line_number=n,
            procedure=procedure,
            revenue_code=revenue,
            modifiers=_modifiers(item, p),
            units=units,
            charge=_charge(item, p, units),
            service_period=_serviced(item, p),
            pointers=list(dict.fromkeys(pointers)),
            rendering_npi=rendering,
            ndc=_ndc(item, p),
        ))
    if not lines:
        raise ValidationError("a claim has at least one item", path="$.item", rule="empty")
    total_raw = res.get("total")
    if total_raw is not None:
        stated = read_money(total_raw, "$.total")
        summed = sum((line.charge.amount for line in lines), Decimal(0))
        if stated.amount != summed or stated.currency != lines[0].charge.currency:
            raise ValidationError(
                f"must equal the sum of the item charges ({summed})", path="$.total",
                rule="total",
            )
    prior_auth = _insurance(res, findings)
    frequency = _frequency(res)
    original = _original_number(res)
    tob = _type_of_bill(res) if kind is ClaimKind.INSTITUTIONAL else None
    claim = build_at(
        "$", Claim,
        id=claim_id,
        kind=kind,
        patient=patient,
        coverage=coverage,
        billing_provider=billing_provider,
        rendering_provider=roles.get("rendering"),
        referring_provider=roles.get("referring"),
        attending_provider=roles.get("attending"),
        place_of_service=place,
        type_of_bill=tob,
        diagnoses=diagnoses,
        admitting_diagnosis=admitting,
        lines=lines,
        frequency=frequency,
        original_claim_number=original,
        prior_authorization=prior_auth,
    )
    return claim, tuple(findings)


def from_claim(
    resource: object,
    *,
    patient: Patient,
    coverage: Coverage,
    billing_provider: Organization,
    providers: Iterable[Provider] = (),
) -> Claim:
    """A draft :class:`~claimcore.claims.Claim` from a FHIR R4 ``Claim``.

    As :func:`from_claim_with_findings`, keeping the claim only. The inverse of
    :func:`to_claim` for what a FHIR ``Claim`` carries.
    """
    return from_claim_with_findings(
        resource, patient=patient, coverage=coverage, billing_provider=billing_provider,
        providers=providers,
    )[0]
