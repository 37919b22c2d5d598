"""FHIR plumbing shared by every resource family: system URIs, builders, readers, JSON.

Builders turn claimcore values into FHIR R4 data types (``Identifier``,
``CodeableConcept``, ``Money``, ``Period``, ``Reference``) as plain dicts. Readers take
data apart again and raise :class:`~claimcore.errors.ValidationError` (or
:class:`~claimcore.errors.TypeMismatch`) with a FHIRPath-like path
(``$.item[2].adjudication[0].amount.value``) and never ``KeyError`` or a bare
``TypeError``. Messages name the rule and the kind of value found, never the value: a
FHIR resource may hold PHI anywhere.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final, TypeVar

from claimcore._validate import kind
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.money import Money
from claimcore.periods import Period

__all__ = [
    "CARC_SYSTEM",
    "CPT_SYSTEM",
    "HCPCS_SYSTEM",
    "ICD10CM_SYSTEM",
    "MAX_NUMBER_DIGITS",
    "NPI_SYSTEM",
    "POS_SYSTEM",
    "RARC_SYSTEM",
    "Resource",
    "dumps",
    "loads",
    "resource_id",
]

T = TypeVar("T")

Resource = dict[str, Any]
"""A FHIR resource or data type as a JSON-ready dict (numbers as ``Decimal`` or ``int``)."""

# -- code systems ------------------------------------------------------------------------

NPI_SYSTEM: Final = "http://hl7.org/fhir/sid/us-npi"
SSN_SYSTEM: Final = "http://hl7.org/fhir/sid/us-ssn"
EIN_SYSTEM: Final = "urn:oid:2.16.840.1.113883.4.4"
ICD10CM_SYSTEM: Final = "http://hl7.org/fhir/sid/icd-10-cm"
ICD10PCS_SYSTEM: Final = "http://www.cms.gov/Medicare/Coding/ICD10"
CPT_SYSTEM: Final = "http://www.ama-assn.org/go/cpt"
HCPCS_SYSTEM: Final = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
MODIFIER_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/modifiers"
NDC_SYSTEM: Final = "http://hl7.org/fhir/sid/ndc"
REVENUE_SYSTEM: Final = "https://www.nubc.org/CodeSystem/RevenueCodes"
POS_SYSTEM: Final = (
    "https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set"
)
CARC_SYSTEM: Final = "https://x12.org/codes/claim-adjustment-reason-codes"
RARC_SYSTEM: Final = "https://x12.org/codes/remittance-advice-remark-codes"
X12_GROUP_SYSTEM: Final = "https://x12.org/codes/claim-adjustment-group-codes"
V2_0203: Final = "http://terminology.hl7.org/CodeSystem/v2-0203"
ADJUDICATION_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/adjudication"
CARIN_BASE: Final = "http://hl7.org/fhir/us/carin-bb"
C4BB_ADJUDICATION_SYSTEM: Final = f"{CARIN_BASE}/CodeSystem/C4BBAdjudication"
C4BB_DISCRIMINATOR_SYSTEM: Final = f"{CARIN_BASE}/CodeSystem/C4BBAdjudicationDiscriminator"
C4BB_IDENTIFIER_TYPE_SYSTEM: Final = f"{CARIN_BASE}/CodeSystem/C4BBIdentifierType"
CLAIM_TYPE_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/claim-type"
PROCESS_PRIORITY_SYSTEM: Final = "http://terminology.hl7.org/CodeSystem/processpriority"
CLAIMCORE_SYSTEM: Final = "https://claimcore.dev/fhir"
"""Base of claimcore's own identifier systems (``<base>/claim-id``, ``<base>/charge-id``)."""

# -- resource ids ------------------------------------------------------------------------

_FHIR_ID: Final = re.compile(r"[A-Za-z0-9\-.]{1,64}")
_KEEP: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.")


def resource_id(value: str) -> str:
    """A FHIR resource id (``[A-Za-z0-9-.]{1,64}``) for a claimcore id, stable and injective.

    Letters, digits and ``.`` stay; ``-`` becomes ``--``; any other character becomes
    ``-`` and its two hex digits (``ENC_1`` gives ``ENC-5F1``). When that is longer than 64
    characters the id is ``-h`` and 62 hex digits of the SHA-256 of ``value`` (no escaped
    id contains ``-h``, so the two forms never meet).

    >>> resource_id("CLM-001/A")
    'CLM--001-2FA'
    """
    out: list[str] = []
    for ch in value:
        if ch in _KEEP:
            out.append(ch)
        elif ch == "-":
            out.append("--")
        else:
            out.append("".join(f"-{b:02X}" for b in ch.encode()))
    escaped = "".join(out)
    if 1 <= len(escaped) <= 64:
        return escaped
    return "-h" + hashlib.sha256(value.encode()).hexdigest()[:62]


def pseudonym(kind_: str, value: str) -> str:
    """A FHIR id for a PHI identifier (a record number): ``-h`` and a SHA-256 digest.

    The digest keeps the record number out of URLs and logs; it is a pseudonym, not
    de-identification (a short record number can be found by trying them all).
    """
    return "-h" + hashlib.sha256(f"{kind_}:{value}".encode()).hexdigest()[:62]


# -- builders ----------------------------------------------------------------------------


def coding(system: str, code: str, display: str | None = None) -> Resource:
    """A ``Coding``."""
    out: Resource = {"system": system, "code": code}
    if display is not None:
        out["display"] = display
    return out


def concept(system: str, code: str, display: str | None = None) -> Resource:
    """A ``CodeableConcept`` of one coding."""
    return {"coding": [coding(system, code, display)]}


def identifier(
    system: str | None, value: str, *, type_code: str | None = None
) -> Resource:
    """An ``Identifier``; ``type_code`` is a v2-0203 identifier type (``MR``, ``SS``)."""
    out: Resource = {}
    if type_code is not None:
        out["type"] = concept(V2_0203, type_code)
    if system is not None:
        out["system"] = system
    out["value"] = value
    return out


def money(amount: Money) -> Resource:
    """A FHIR ``Money``: ``{"value": Decimal, "currency": "USD"}`` (exact; see :func:`dumps`)."""
    return {"value": amount.amount, "currency": amount.currency}


def period(span: Period) -> Resource:
    """A FHIR ``Period`` of dates (an open period has no ``end``)."""
    out: Resource = {"start": span.start.isoformat()}
    if span.end is not None:
        out["end"] = span.end.isoformat()
    return out


def instant(at: datetime) -> str:
    """A FHIR ``dateTime``/``instant`` from an aware ``datetime``."""
    return at.isoformat()


# -- JSON --------------------------------------------------------------------------------


def _decimal_text(value: Decimal) -> str:
    if not value.is_finite():
        raise ValidationError(
            "a FHIR decimal must be finite", rule="finite"
        )
    return format(value, "f")


def _write(value: object, out: list[str], path: str) -> None:
    if value is None or isinstance(value, (bool, str)):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, Decimal):
        out.append(_decimal_text(value))
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, Mapping):
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            if type(key) is not str:
                raise TypeMismatch(
                    f"a JSON object key must be a str, got {kind(key)}", path=path,
                    rule="type",
                )
            if i:
                out.append(",")
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            _write(item, out, f"{path}.{key}")
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, out, f"{path}[{i}]")
        out.append("]")
    elif isinstance(value, float):
        raise TypeMismatch(
            "must be a Decimal, not a float: FHIR decimals are exact", path=path,
            rule="no-float",
        )
    else:
        raise TypeMismatch(
            f"cannot be written as JSON: {kind(value)}", path=path, rule="type"
        )


def dumps(resource: Mapping[str, Any]) -> str:
    """FHIR JSON text for a resource, with every ``Decimal`` written as an exact number.

    ``json.dumps`` cannot write a ``Decimal`` as a number and converting to ``float``
    would lose cents, so claimcore writes the JSON itself: ``Decimal("135.57")`` becomes
    the number ``135.57``. A ``float`` anywhere is refused.

    >>> from decimal import Decimal
    >>> dumps({"value": Decimal("135.57"), "currency": "USD"})
    '{"value":135.57,"currency":"USD"}'
    """
    out: list[str] = []
    _write(resource, out, "$")
    return "".join(out)


def _no_constant(name: str) -> object:
    raise ValidationError(f"{name} is not a JSON number FHIR accepts", rule="json")


MAX_NUMBER_DIGITS: Final = 4300
"""The most digits :func:`loads` accepts in one JSON number (Python's own limit for ``int``)."""


class _TooLong(Exception):
    """A JSON number with more digits than :data:`MAX_NUMBER_DIGITS` (caught in loads)."""


def _int(text: str) -> int:
    # int() of more than 4,300 digits raises a bare ValueError (CVE-2020-10735 guard);
    # the number is refused here, by its length, before int() is asked.
    if len(text) > MAX_NUMBER_DIGITS:
        raise _TooLong
    return int(text)


def _float(text: str) -> Decimal:
    if len(text) > MAX_NUMBER_DIGITS:
        raise _TooLong
    return Decimal(text)


def loads(text: str | bytes) -> Any:
    """Parse FHIR JSON with every non-integer number as a ``Decimal`` (never a ``float``).

    The ``from_*`` readers refuse floats, because ``json.loads`` would have rounded them
    already; read the text with this function instead. A number of more than 4,300
    characters (:data:`MAX_NUMBER_DIGITS`) is refused, as is text nested too deeply: both
    raise a :class:`~claimcore.errors.ValidationError` (rules ``json-number-length`` and
    ``json``), never a bare ``ValueError`` or ``RecursionError``.

    >>> loads('{"value": 135.57}')
    {'value': Decimal('135.57')}
    """
    if not isinstance(text, (str, bytes, bytearray)):
        raise TypeMismatch(f"must be JSON text, got {kind(text)}", rule="type")
    try:
        return json.loads(text, parse_float=_float, parse_int=_int,
                          parse_constant=_no_constant)
    except _TooLong:
        raise ValidationError(
            f"holds a number of more than {MAX_NUMBER_DIGITS:,} digits", path="$",
            rule="json-number-length",
        ) from None
    except json.JSONDecodeError as err:
        raise ValidationError(
            f"is not valid JSON (line {err.lineno}, column {err.colno})", rule="json"
        ) from None
    except UnicodeDecodeError:
        raise ValidationError("is not UTF-8 JSON text", rule="json") from None
    except RecursionError:
        raise ValidationError("is nested too deeply", rule="json") from None


# -- readers -----------------------------------------------------------------------------

_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PARTIAL_DATE: Final = re.compile(r"[0-9]{4}(?:-[0-9]{2})?")
_DECIMAL_TEXT: Final = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def obj(value: object, path: str) -> Mapping[str, Any]:
    """``value`` as a JSON object."""
    if not isinstance(value, Mapping):
        raise TypeMismatch(f"must be a JSON object, got {kind(value)}", path=path, rule="type")
    return value


def resource_of(value: object, resource_type: str) -> Mapping[str, Any]:
    """``value`` as a resource of ``resource_type`` (checks ``resourceType``)."""
    res = obj(value, "$")
    found = res.get("resourceType")
    if found != resource_type:
        shown = repr(found) if isinstance(found, str) and found.isalpha() else kind(found)
        raise ValidationError(
            f"must be a {resource_type} resource, got resourceType {shown}",
            path="$.resourceType", rule="resource-type",
        )
    return res


def arr(value: object, path: str) -> Sequence[Any]:
    """``value`` as a JSON array (``None`` is an empty one)."""
    if value is None:
        return ()
    if not isinstance(value, (list, tuple)):
        raise TypeMismatch(f"must be a JSON array, got {kind(value)}", path=path, rule="type")
    return value


def each(parent: Mapping[str, Any], key: str, path: str) -> Iterator[tuple[str, Any]]:
    """``(path, member)`` for each member of the array ``parent[key]`` (none when absent)."""
    for i, item in enumerate(arr(parent.get(key), f"{path}.{key}")):
        yield f"{path}.{key}[{i}]", item


def need(parent: Mapping[str, Any], key: str, path: str) -> Any:
    """``parent[key]``, which must be present and not null."""
    value = parent.get(key)
    if value is None:
        raise ValidationError("is required", path=f"{path}.{key}", rule="required")
    return value


def string(value: object, path: str) -> str:
    """A FHIR ``string``/``code``/``uri``: a non-empty ``str``."""
    if type(value) is not str:
        raise TypeMismatch(f"must be a string, got {kind(value)}", path=path, rule="type")
    if not value.strip():
        raise ValidationError("must not be empty", path=path, rule="empty")
    return value


def opt_string(parent: Mapping[str, Any], key: str, path: str) -> str | None:
    """``parent[key]`` as a string, or ``None`` when absent."""
    value = parent.get(key)
    return None if value is None else string(value, f"{path}.{key}")


def a_date(value: object, path: str) -> date:
    """A full FHIR ``date`` (``YYYY-MM-DD``); a partial date is refused."""
    s = string(value, path)
    if _DATE.fullmatch(s) is None:
        rule = "partial-date" if _PARTIAL_DATE.fullmatch(s) else "date"
        raise ValidationError(
            "must be a full date YYYY-MM-DD", path=path, rule=rule
        )
    try:
        return date.fromisoformat(s)
    except ValueError:
        raise ValidationError("is not a calendar date", path=path, rule="date") from None


def date_of(value: object, path: str) -> date:
    """The date of a FHIR ``date`` or ``dateTime`` (``2026-03-02T09:05:00Z`` gives its date)."""
    s = string(value, path)
    return a_date(s[:10], path) if len(s) > 10 and s[10] == "T" else a_date(s, path)


def decimal(value: object, path: str) -> Decimal:
    """A FHIR ``decimal``: ``Decimal``, ``int`` or decimal text; a ``float`` is refused."""
    if isinstance(value, bool):
        raise TypeMismatch("must be a number, got bool", path=path, rule="type")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValidationError("must be finite", path=path, rule="finite")
        return value
    if isinstance(value, float):
        raise TypeMismatch(
            "must be a Decimal or int, not a float (read FHIR JSON with "
            "claimcore.fhir.loads, which keeps decimals exact)", path=path, rule="no-float",
        )
    if isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value):
        try:
            return Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            pass
    raise TypeMismatch(f"must be a number, got {kind(value)}", path=path, rule="type")


def read_money(value: object, path: str) -> Money:
    """A FHIR ``Money`` (``value`` and ``currency``, USD when absent) in whole cents."""
    m = obj(value, path)
    amount = decimal(need(m, "value", path), f"{path}.value")
    currency = m.get("currency", "USD")
    if currency is None:
        currency = "USD"
    code = string(currency, f"{path}.currency")
    try:
        return Money(amount, code)
    except ValidationError as err:
        raise err.at(path) from None


def read_period(value: object, path: str) -> Period:
    """A FHIR ``Period`` of dates; ``start`` is required here."""
    p = obj(value, path)
    start = date_of(need(p, "start", path), f"{path}.start")
    end_raw = p.get("end")
    end = None if end_raw is None else date_of(end_raw, f"{path}.end")
    return built(lambda: Period(start, end), path)


def built(make: Callable[[], T], path: str) -> T:
    """``make()``, with a claimcore error's path placed under ``path``."""
    try:
        return make()
    except ValidationError as err:
        raise err.at(path) from None


def build_at(path: str, factory: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """``factory(*args, **kwargs)``, with a claimcore error's path placed under ``path``."""
    try:
        return factory(*args, **kwargs)
    except ValidationError as err:
        raise err.at(path) from None


def scalar_at(path: str, factory: Callable[[str], T], value: str) -> T:
    """A one-field value (an identifier, a code) from ``value``; its errors sit at ``path``."""
    try:
        return factory(value)
    except ValidationError as err:
        raise type(err)(err.message, path=path, rule=err.rule) from None


def codes_in(value: object, path: str) -> Iterator[tuple[str, str | None, str]]:
    """``(path, system, code)`` for each coding of a ``CodeableConcept`` with a code."""
    c = obj(value, path)
    for p, item in each(c, "coding", path):
        cd = obj(item, p)
        code = cd.get("code")
        if code is None:
            continue
        yield p, opt_string(cd, "system", p), string(code, f"{p}.code")


def code_from(value: object, path: str, system: str | None) -> tuple[str, str] | None:
    """The first ``(path, code)`` of a concept in ``system`` (any system when ``None``)."""
    for p, sys, code in codes_in(value, path):
        if system is None or sys == system:
            return f"{p}.code", code
    return None


def ref_id(value: object, path: str, resource_type: str) -> str | None:
    """The id of a literal reference to ``resource_type`` (``None`` for other references)."""
    r = obj(value, path)
    target = r.get("reference")
    if target is None:
        return None
    s = string(target, f"{path}.reference")
    prefix = f"{resource_type}/"
    if s.startswith(prefix):
        return s[len(prefix):].split("/", 1)[0]
    if f"/{prefix}" in s:
        return s.rsplit(f"/{prefix}", 1)[1].split("/", 1)[0]
    return None
