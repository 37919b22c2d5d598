"""Coverage to FHIR ``Coverage`` and back.

The payer travels as a contained ``Organization`` (``#payer``) and the subscriber as a
contained ``RelatedPerson`` (``#subscriber``), so that one resource carries everything a
claim needs. What FHIR has no element for (the plan's type and network, the subscriber's
employment status, the X12 relationship code) travels in claimcore extensions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from claimcore._validate import instance, optional_instance
from claimcore.coverage import (
    Coverage,
    CoverageOrder,
    EmploymentStatus,
    Network,
    Payer,
    PayerKind,
    Plan,
    PlanType,
    Relationship,
    Subscriber,
)
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.fhir._common import (
    CLAIMCORE_SYSTEM,
    V2_0203,
    Resource,
    a_date,
    built,
    code_from,
    codes_in,
    coding,
    concept,
    each,
    identifier,
    need,
    obj,
    opt_string,
    period,
    pseudonym,
    read_period,
    resource_of,
    scalar_at,
    string,
)
from claimcore.fhir._patient import (
    GENDER,
    SEX,
    address,
    human_name,
    patient_reference,
    pick_address,
    pick_name,
    read_name,
)
from claimcore.ids import MedicalRecordNumber, MemberId

__all__ = ["coverage_id", "from_coverage", "to_coverage"]

EXT: Final = f"{CLAIMCORE_SYSTEM}/StructureDefinition"
PLAN_TYPE_EXT: Final = f"{EXT}/plan-type"
NETWORK_EXT: Final = f"{EXT}/network"
EMPLOYMENT_EXT: Final = f"{EXT}/employment-status"
PAYER_ID_SYSTEM: Final = f"{CLAIMCORE_SYSTEM}/payer-id"
PAYER_KIND_SYSTEM: Final = f"{CLAIMCORE_SYSTEM}/payer-kind"
X12_RELATIONSHIP_SYSTEM: Final = f"{CLAIMCORE_SYSTEM}/x12-individual-relationship"
SUBSCRIBER_RELATIONSHIP: Final = "http://terminology.hl7.org/CodeSystem/subscriber-relationship"
COVERAGE_CLASS: Final = "http://terminology.hl7.org/CodeSystem/coverage-class"
SOPT: Final = "https://nahdo.org/sopt"
ROLE_CODE: Final = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"

_SOPT: Final = {
    PayerKind.MEDICARE: ("1", "MEDICARE"),
    PayerKind.MEDICAID: ("2", "MEDICAID"),
    PayerKind.TRICARE: ("311", "TRICARE (CHAMPUS)"),
    PayerKind.COMMERCIAL: ("5", "PRIVATE HEALTH INSURANCE"),
    PayerKind.WORKERS_COMPENSATION: ("95", "Worker's Compensation"),
    PayerKind.AUTO: ("96", "Auto Insurance (includes no fault)"),
    PayerKind.SELF_PAY: ("81", "Self-pay"),
}
_FHIR_RELATIONSHIP: Final = {
    Relationship.SELF: "self",
    Relationship.SPOUSE: "spouse",
    Relationship.CHILD: "child",
    Relationship.LIFE_PARTNER: "common",
}
_FROM_FHIR_RELATIONSHIP: Final = {
    "self": Relationship.SELF,
    "spouse": Relationship.SPOUSE,
    "child": Relationship.CHILD,
    "common": Relationship.LIFE_PARTNER,
    "parent": Relationship.OTHER,
    "injured": Relationship.OTHER,
    "other": Relationship.OTHER,
}


def coverage_id(coverage: Coverage) -> str:
    """The ``Coverage`` resource id: a pseudonym of payer, member id, start and order."""
    instance(coverage, Coverage, "$")
    key = "|".join((
        coverage.payer.payer_id.value, coverage.member_id.unmasked,
        coverage.period.start.isoformat(), coverage.order.value,
    ))
    return pseudonym("coverage", key)


def _ext(url: str, code: str) -> Resource:
    return {"url": url, "valueCode": code}


def _payer(payer: Payer) -> Resource:
    return {
        "resourceType": "Organization",
        "id": "payer",
        "identifier": [identifier(PAYER_ID_SYSTEM, payer.payer_id.value)],
        "type": [concept("http://terminology.hl7.org/CodeSystem/organization-type", "pay")],
        "name": payer.name,
    }


def _subscriber(sub: Subscriber, patient_ref: str, relationship: Relationship) -> Resource:
    code = "ONESELF" if relationship is Relationship.SELF else "POLHOLD"
    out: Resource = {
        "resourceType": "RelatedPerson",
        "id": "subscriber",
        "identifier": [identifier(None, sub.member_id.unmasked, type_code="MB")],
        "patient": {"reference": patient_ref},
        "relationship": [concept(ROLE_CODE, code)],
        "name": [human_name(sub.name)],
        "gender": GENDER[sub.sex],
        "birthDate": sub.birth_date.isoformat(),
    }
    if sub.address is not None:
        out["address"] = [address(sub.address)]
    return out


def _patient_ref(value: object) -> str:
    if isinstance(value, MedicalRecordNumber):
        return str(patient_reference(value)["reference"])
    if type(value) is not str:
        raise TypeMismatch(
            f"must be a MedicalRecordNumber or a reference such as 'Patient/<id>', got "
            f"{type(value).__name__}", path="$.patient_ref", rule="type",
        )
    if "Patient/" not in value:
        raise ValidationError(
            "must be a reference to a Patient ('Patient/<id>')", path="$.patient_ref",
            rule="reference",
        )
    return value


def to_coverage(coverage: Coverage, *, patient_ref: MedicalRecordNumber | str) -> Resource:
    """A FHIR R4 ``Coverage`` for a patient's coverage; ``patient_ref`` is the beneficiary.

    ``patient_ref`` is the patient's record number (the reference is then
    ``Patient/<patient_id(mrn)>``, as :func:`to_patient` writes it) or a reference text.
    The patient's member id is ``identifier`` of type ``MB``; the subscriber's is
    ``subscriberId``; the group number and plan are ``class`` entries; the order is
    ``order`` (1 primary, 2 secondary, ...). X12 loop 2000B ``SBR``, 2010BA, 2010BB.
    """
    instance(coverage, Coverage, "$")
    ref = _patient_ref(patient_ref)
    kind_code, kind_display = _SOPT[coverage.payer.kind]
    relationship = coverage.relationship
    rel_codings = [coding(X12_RELATIONSHIP_SYSTEM, relationship.value)]
    if relationship in _FHIR_RELATIONSHIP:
        rel_codings.insert(0, coding(SUBSCRIBER_RELATIONSHIP, _FHIR_RELATIONSHIP[relationship]))
    else:
        rel_codings.insert(0, coding(SUBSCRIBER_RELATIONSHIP, "other"))
    plan = coverage.plan
    plan_class: Resource = {
        "extension": [
            _ext(PLAN_TYPE_EXT, plan.plan_type.value),
            _ext(NETWORK_EXT, plan.network.value),
        ],
        "type": concept(COVERAGE_CLASS, "plan"),
        "value": plan.plan_id if plan.plan_id is not None else plan.name,
        "name": plan.name,
    }
    classes = [plan_class]
    if coverage.group_number is not None:
        classes.insert(0, {"type": concept(COVERAGE_CLASS, "group"),
                           "value": coverage.group_number})
    sub = coverage.subscriber
    return {
        "resourceType": "Coverage",
        "id": coverage_id(coverage),
        "contained": [_payer(coverage.payer), _subscriber(sub, ref, relationship)],
        "extension": [_ext(EMPLOYMENT_EXT, sub.employment_status.value)],
        "identifier": [identifier(None, coverage.member_id.unmasked, type_code="MB")],
        "status": "active",
        "type": {"coding": [
            coding(SOPT, kind_code, kind_display),
            coding(PAYER_KIND_SYSTEM, coverage.payer.kind.value),
        ]},
        "subscriber": {"reference": "#subscriber"},
        "subscriberId": sub.member_id.unmasked,
        "beneficiary": {"reference": ref},
        "relationship": {"coding": rel_codings},
        "period": period(coverage.period),
        "payor": [{"reference": "#payer"}],
        "class": classes,
        "order": coverage.order.rank,
    }


# -- reading ---------------------------------------------------------------------------


def _ext_code(parent: Mapping[str, Any], url: str, path: str) -> tuple[str, str] | None:
    for p, item in each(parent, "extension", path):
        e = obj(item, p)
        if e.get("url") == url:
            return f"{p}.valueCode", string(need(e, "valueCode", p), f"{p}.valueCode")
    return None


def _enum(cls: type[Any], found: tuple[str, str] | None, default: Any) -> Any:
    if found is None:
        return default
    p, code = found
    try:
        return cls(code)
    except ValueError:
        raise ValidationError(
            f"is not a {cls.__name__} code", path=p, rule="code"
        ) from None


def _contained(res: Mapping[str, Any], ref: object, path: str) -> tuple[str, Any] | None:
    if not isinstance(ref, Mapping):
        return None
    target = ref.get("reference")
    if not (isinstance(target, str) and target.startswith("#")):
        return None
    for p, item in each(res, "contained", "$"):
        if obj(item, p).get("id") == target[1:]:
            return p, item
    raise ValidationError(
        "refers to a contained resource that is not there", path=f"{path}.reference",
        rule="contained-missing",
    )


def _read_subscriber(res: Mapping[str, Any], member_path: str) -> Subscriber | None:
    found = _contained(res, res.get("subscriber"), "$.subscriber")
    if found is None:
        return None
    p, value = found
    rp = obj(value, p)
    member: str | None = None
    for ip, item in each(rp, "identifier", p):
        ident = obj(item, ip)
        t = ident.get("type")
        if t is not None and code_from(t, f"{ip}.type", V2_0203) is not None:
            member = string(need(ident, "value", ip), f"{ip}.value")
            member_path = f"{ip}.value"
            break
    if member is None:
        member = opt_string(res, "subscriberId", "$")
        member_path = "$.subscriberId"
    if member is None:
        raise ValidationError(
            "needs the subscriber's member id (subscriberId)", path="$.subscriberId",
            rule="required",
        )
    member_id = scalar_at(member_path, MemberId, member)
    name_path, name_value = pick_name(rp, p)
    name = read_name(name_value, name_path)
    birth = a_date(need(rp, "birthDate", p), f"{p}.birthDate")
    gender = rp.get("gender", "unknown")
    if not (isinstance(gender, str) and gender in SEX):
        raise ValidationError(
            "must be one of female, male, other, unknown", path=f"{p}.gender", rule="gender"
        )
    addr = pick_address(rp, p)
    employment = _enum(EmploymentStatus, _ext_code(res, EMPLOYMENT_EXT, "$"),
                       EmploymentStatus.NONE)
    return built(
        lambda: Subscriber(member_id=member_id, name=name, birth_date=birth,
                           sex=SEX[gender], address=addr, employment_status=employment),
        p,
    )


def _relationship(res: Mapping[str, Any]) -> Relationship:
    rel = res.get("relationship")
    if rel is None:
        return Relationship.SELF if _same_person(res) else Relationship.UNKNOWN
    x12 = code_from(rel, "$.relationship", X12_RELATIONSHIP_SYSTEM)
    if x12 is not None:
        return _enum(Relationship, x12, None)  # type: ignore[no-any-return]
    for p, system, code in codes_in(rel, "$.relationship"):
        if system in (None, SUBSCRIBER_RELATIONSHIP) and code in _FROM_FHIR_RELATIONSHIP:
            return _FROM_FHIR_RELATIONSHIP[code]
        if system in (None, SUBSCRIBER_RELATIONSHIP):
            raise ValidationError(
                "is not a subscriber-relationship code", path=f"{p}.code", rule="code"
            )
    return Relationship.UNKNOWN


def _same_person(res: Mapping[str, Any]) -> bool:
    sub, ben = res.get("subscriber"), res.get("beneficiary")
    return isinstance(sub, Mapping) and isinstance(ben, Mapping) and (
        sub.get("reference") is not None and sub.get("reference") == ben.get("reference")
    )


def _member_id(res: Mapping[str, Any], relationship: Relationship) -> tuple[str, str]:
    idents = list(each(res, "identifier", "$"))
    for p, item in idents:
        ident = obj(item, p)
        t = ident.get("type")
        if t is not None:
            found = code_from(t, f"{p}.type", V2_0203)
            if found is not None and found[1] == "MB":
                return f"{p}.value", string(need(ident, "value", p), f"{p}.value")
    sid = opt_string(res, "subscriberId", "$")
    if sid is not None and relationship is Relationship.SELF:
        return "$.subscriberId", sid
    for p, item in idents:
        ident = obj(item, p)
        return f"{p}.value", string(need(ident, "value", p), f"{p}.value")
    if sid is not None:
        return "$.subscriberId", sid
    raise ValidationError(
        "needs the member id (an identifier of type MB, or subscriberId)",
        path="$.identifier", rule="member-id-required",
    )


def _classes(res: Mapping[str, Any]) -> dict[str, tuple[str, Mapping[str, Any]]]:
    out: dict[str, tuple[str, Mapping[str, Any]]] = {}
    for p, item in each(res, "class", "$"):
        c = obj(item, p)
        found = code_from(need(c, "type", p), f"{p}.type", None)
        if found is not None and found[1] not in out:
            out[found[1]] = (p, c)
    return out


def _read_plan(classes: Mapping[str, tuple[str, Mapping[str, Any]]]) -> Plan | None:
    if "plan" not in classes:
        return None
    p, c = classes["plan"]
    value = string(need(c, "value", p), f"{p}.value")
    name = opt_string(c, "name", p)
    plan_type = _enum(PlanType, _ext_code(c, PLAN_TYPE_EXT, p), PlanType.OTHER)
    network = _enum(Network, _ext_code(c, NETWORK_EXT, p), Network.IN)
    plan_name = name if name is not None else value
    plan_id = None if value == plan_name else value
    return built(
        lambda: Plan(name=plan_name, plan_type=plan_type, network=network, plan_id=plan_id),
        p,
    )


def _named_payer(res: Mapping[str, Any]) -> tuple[str, str] | None:
    for p, ref in each(res, "payor", "$"):
        found = _contained(res, ref, p)
        if found is None:
            continue
        cp, org = found
        for ip, item in each(obj(org, cp), "identifier", cp):
            ident = obj(item, ip)
            if ident.get("system") == PAYER_ID_SYSTEM:
                return f"{ip}.value", string(need(ident, "value", ip), f"{ip}.value")
    return None


def _order(res: Mapping[str, Any]) -> CoverageOrder:
    value = res.get("order")
    if value is None:
        return CoverageOrder.PRIMARY
    if type(value) is not int:
        raise TypeMismatch(
            f"must be a positive integer, got {type(value).__name__}", path="$.order",
            rule="type",
        )
    if not 1 <= value <= len(CoverageOrder):
        raise ValidationError(
            f"must be 1 to {len(CoverageOrder)} (X12 SBR01 P, S, T, A to H)",
            path="$.order", rule="range",
        )
    return CoverageOrder.from_rank(value)


def from_coverage(
    resource: object,
    *,
    payer: Payer,
    subscriber: Subscriber | None = None,
    plan: Plan | None = None,
) -> Coverage:
    """A claimcore :class:`Coverage` from a FHIR ``Coverage`` resource.

    ``payer`` is the claimcore payer the coverage is with (its timely-filing and appeal
    rules are not FHIR data); when the resource names a payer id (as :func:`to_coverage`
    writes it) it must be this payer's. The subscriber comes from a contained
    ``RelatedPerson`` or, when the resource only refers to one, from ``subscriber``; the
    plan from the ``plan`` class or ``plan``. The member id is the identifier of type
    ``MB``, else ``subscriberId`` when the patient is the subscriber, else the first
    identifier. ``order`` absent means primary; a
    ``relationship`` absent means self when subscriber and beneficiary are the same.
    """
    instance(payer, Payer, "$.payer")
    optional_instance(subscriber, Subscriber, "$.subscriber")
    optional_instance(plan, Plan, "$.plan")
    res = resource_of(resource, "Coverage")
    status = res.get("status")
    if status not in (None, "active"):
        raise ValidationError(
            "must be active: claimcore holds coverage in force (its period says when)",
            path="$.status", rule="status",
        )
    named = _named_payer(res)
    if named is not None and named[1] != payer.payer_id.value:
        raise ValidationError(
            "names another payer than the one given", path=named[0], rule="payer-mismatch"
        )
    relationship = _relationship(res)
    member_path, member = _member_id(res, relationship)
    member_id = scalar_at(member_path, MemberId, member)
    sub = _read_subscriber(res, member_path) if subscriber is None else subscriber
    if sub is None:
        raise ValidationError(
            "refers to a subscriber outside the resource: pass subscriber=",
            path="$.subscriber", rule="subscriber-required",
        )
    classes = _classes(res)
    chosen_plan = plan if plan is not None else _read_plan(classes)
    if chosen_plan is None:
        raise ValidationError(
            "has no plan class: pass plan=", path="$.class", rule="plan-required"
        )
    group = None
    if "group" in classes:
        gp, gc = classes["group"]
        group = string(need(gc, "value", gp), f"{gp}.value")
    span = read_period(need(res, "period", "$"), "$.period")
    order = _order(res)
    return built(
        lambda: Coverage(
            payer=payer, plan=chosen_plan, member_id=member_id, group_number=group,
            subscriber=sub, relationship=relationship, period=span, order=order,
        ),
        "$",
    )
