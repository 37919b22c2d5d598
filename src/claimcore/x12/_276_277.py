"""Claim status: the 276 inquiry out and the 277 response in (005010X212).

:func:`write_276` asks about a batch of claims already sent: one information source
level per payer (``HL`` 20, ``NM1*PR``), the submitter as information receiver (21,
``NM1*41``), each billing provider (19, ``NM1*1P``), each subscriber (22) and, when the
patient is not the subscriber, the patient (23); per claim a loop 2200D/E with the trace
``TRN*1`` (the claim's patient control number, which the 277 echoes), the payer's claim
number (``REF*1K``) when known, the type of bill (``REF*BLT``), the patient control
number (``REF*EJ``), the total charge (``AMT*T3``) and the service dates (``DTP*472``).

:func:`read_277` reads each claim status loop (2200D/E: ``TRN*2``, ``STC``, ``REF``,
``DTP*472``) and its service lines (2220D/E: ``SVC``, ``STC``, ``REF*FJ``, ``DTP*472``)
into a :class:`ClaimStatusResponse`. A status is a report, not a transition: the 835 is
the payer's decision, so a finalized, denied or pended claim comes back as a
:class:`~claimcore.findings.Finding` (:func:`claim_status_findings`), and no claim moves.
The 277CA (005010X214) is :func:`~claimcore.x12.read_277ca`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Final

import attrs

from claimcore._validate import (
    a_date,
    aware_datetime,
    instance,
    members,
    optional_instance,
    optional_text,
    to_tuple,
)
from claimcore.claims import Claim, ClaimKind, ClaimStatus, ClaimStatusEntry
from claimcore.codes import (
    CLAIM_STATUS_CATEGORIES,
    CLAIM_STATUS_CATEGORY_MEANINGS,
    CLAIM_STATUS_CODES,
    Modifier,
    ProcedureCode,
    RevenueCode,
    category_family,
    procedure_code,
)
from claimcore.coverage import Relationship
from claimcore.errors import ValidationError
from claimcore.findings import Finding, Severity
from claimcore.ids import ClaimId, PayerClaimNumber
from claimcore.money import Money
from claimcore.periods import Period
from claimcore.providers import Organization
from claimcore.x12._elements import ElementReader, amount, d8
from claimcore.x12._envelope import (
    ControlNumbers,
    Element,
    RawTransaction,
    Receiver,
    Submitter,
    require_set,
    transactions,
    wrap,
)
from claimcore.x12._warnings import ReadResult, WarningCode, X12Error

__all__ = [
    "ClaimStatusResponse",
    "LineStatus",
    "StatusDetail",
    "claim_status_findings",
    "read_277",
    "read_277_with_warnings",
    "write_276",
]

STATUS_GUIDE: Final = "005010X212"
_STATUS_ELEMENTS: Final = (1, 10, 11)
_NOT_SENT: Final = frozenset({ClaimStatus.DRAFT, ClaimStatus.READY})


def _entries(value: Iterable[ClaimStatusEntry]) -> tuple[ClaimStatusEntry, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class StatusDetail:
    """One ``STC`` segment of a 277: the statuses it gives and the money and dates with
    them.

    ``statuses`` are its status composites (``STC01``, ``STC10``, ``STC11``: category,
    status code, entity), ``effective_on`` the date the status applies from (``STC02``),
    ``charge`` and ``paid`` the amounts (``STC04``, ``STC05``), ``adjudicated_on`` the
    date it was finalized (``STC06``), ``remitted_on`` the remittance date (``STC08``),
    ``check_number`` the check or EFT trace (``STC09``).
    """

    statuses: tuple[ClaimStatusEntry, ...] = attrs.field(converter=_entries)
    effective_on: date | None = None
    charge: Money | None = None
    paid: Money | None = None
    adjudicated_on: date | None = None
    remitted_on: date | None = None
    check_number: str | None = None

    def __attrs_post_init__(self) -> None:
        members(self.statuses, ClaimStatusEntry, "$.statuses")
        if not self.statuses:
            raise ValidationError("an STC has at least one status", path="$.statuses",
                                  rule="empty")
        for name in ("effective_on", "adjudicated_on", "remitted_on"):
            if getattr(self, name) is not None:
                a_date(getattr(self, name), f"$.{name}")
        optional_instance(self.charge, Money, "$.charge")
        optional_instance(self.paid, Money, "$.paid")
        optional_text(self.check_number, "$.check_number", max_len=16)


def _details(value: Iterable[StatusDetail]) -> tuple[StatusDetail, ...]:
    return to_tuple(value)


def _modifiers(value: Iterable[Modifier]) -> tuple[Modifier, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class LineStatus:
    """The status of one service line (277 loop 2220D/E).

    ``procedure`` and ``modifiers`` or ``revenue_code`` identify the service (``SVC01``,
    ``SVC04``), ``charge`` and ``paid`` are ``SVC02`` and ``SVC03``, ``units``
    ``SVC07``, ``line_ref`` the line item control number (``REF*FJ``), and ``details``
    the line's ``STC`` segments.
    """

    charge: Money
    details: tuple[StatusDetail, ...] = attrs.field(converter=_details)
    procedure: ProcedureCode | None = None
    modifiers: tuple[Modifier, ...] = attrs.field(default=(), converter=_modifiers)
    revenue_code: RevenueCode | None = None
    paid: Money | None = None
    units: Decimal | None = None
    line_ref: str | None = None
    service_period: Period | None = None

    def __attrs_post_init__(self) -> None:
        instance(self.charge, Money, "$.charge")
        members(self.details, StatusDetail, "$.details")
        members(self.modifiers, Modifier, "$.modifiers")
        optional_instance(self.revenue_code, RevenueCode, "$.revenue_code")
        optional_instance(self.paid, Money, "$.paid")
        optional_instance(self.units, Decimal, "$.units")
        optional_text(self.line_ref, "$.line_ref", max_len=50)
        optional_instance(self.service_period, Period, "$.service_period")


def _lines(value: Iterable[LineStatus]) -> tuple[LineStatus, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class ClaimStatusResponse:
    """What a 277 says about one claim (loop 2200D or 2200E and its lines).

    ``claim_id`` is the trace the 276 sent (``TRN02``, claimcore writes the patient
    control number there); ``payer_claim_number`` the payer's claim control number
    (``REF*1K``); ``patient_control_number`` ``REF*EJ``; ``type_of_bill`` ``REF*BLT``;
    ``service_period`` ``DTP*472``; ``details`` the claim-level ``STC`` segments (at
    least one) and ``lines`` the service lines with their own statuses.

    >>> entry = ClaimStatusEntry(category="F2", status="88", entity="QC")
    >>> response = ClaimStatusResponse(claim_id=ClaimId("PCN1"),
    ...     details=[StatusDetail(statuses=[entry])])
    >>> response.finalized, response.denied, response.pended
    (True, True, False)
    """

    claim_id: ClaimId
    details: tuple[StatusDetail, ...] = attrs.field(converter=_details)
    payer_claim_number: PayerClaimNumber | None = None
    patient_control_number: str | None = None
    type_of_bill: str | None = None
    service_period: Period | None = None
    lines: tuple[LineStatus, ...] = attrs.field(default=(), converter=_lines)

    def __attrs_post_init__(self) -> None:
        instance(self.claim_id, ClaimId, "$.claim_id")
        members(self.details, StatusDetail, "$.details")
        if not self.details:
            raise ValidationError("a claim status has at least one STC", path="$.details",
                                  rule="empty")
        optional_instance(self.payer_claim_number, PayerClaimNumber, "$.payer_claim_number")
        optional_text(self.patient_control_number, "$.patient_control_number", max_len=50)
        optional_text(self.type_of_bill, "$.type_of_bill", max_len=4)
        optional_instance(self.service_period, Period, "$.service_period")
        members(self.lines, LineStatus, "$.lines")

    @property
    def categories(self) -> tuple[str, ...]:
        """Every claim-level status category, in order (``STC01-1``, ``STC10-1``...)."""
        return tuple(s.category for d in self.details for s in d.statuses)

    @property
    def finalized(self) -> bool:
        """Some claim-level status is finalized (an ``F`` category)."""
        return any(c.startswith("F") for c in self.categories)

    @property
    def denied(self) -> bool:
        """Some claim-level status is ``F2`` (finalized: denial)."""
        return "F2" in self.categories

    @property
    def pended(self) -> bool:
        """Some claim-level status is pending (``P``) or asks for information (``R``)."""
        return any(c.startswith(("P", "R")) for c in self.categories)


# ---------------------------------------------------------------- findings


def _finding(k: int, response: ClaimStatusResponse) -> Finding | None:
    detail = response.details[0]
    entry = detail.statuses[0]
    category = entry.category
    family = category_family(category) or "unknown"
    meaning = CLAIM_STATUS_CATEGORY_MEANINGS.get(category, family)
    said = f"the payer's claim status is {category}:{entry.status} ({meaning})"
    if response.denied:
        return Finding(edit_id="claim-status-denied", severity=Severity.ERROR,
                       message=f"{said}; the 835 will say why", location=f"$.claims[{k}]",
                       action="work the denial when the 835 arrives")
    if response.finalized:
        return Finding(edit_id="claim-status-finalized", severity=Severity.WARNING,
                       message=f"{said}; post the 835 when it arrives",
                       location=f"$.claims[{k}]")
    if response.pended:
        request = any(c.startswith("R") for c in response.categories)
        return Finding(edit_id="claim-status-pended", severity=Severity.WARNING,
                       message=said, location=f"$.claims[{k}]",
                       action="send what the payer asks for" if request else None)
    if family in ("acknowledgement", "response not possible", "data search unsuccessful"):
        return Finding(edit_id="claim-status-other", severity=Severity.WARNING,
                       message=said, location=f"$.claims[{k}]")
    return None


def claim_status_findings(claims: Iterable[Claim], responses: Iterable[ClaimStatusResponse]
                          ) -> tuple[Finding, ...]:
    """What 277 responses say about the claims, as findings on them (``$.claims[k]``).

    A denied claim (``F2``) is an error finding ``claim-status-denied``; another
    finalized status (``F0``, ``F1``, ``F3``, ``F4``) ``claim-status-finalized``; a
    pending one or a request for information (``P``, ``R``) ``claim-status-pended``; an
    acknowledgement or a response-not-possible status ``claim-status-other``. Claims are
    matched by :meth:`~claimcore.ids.ClaimId.normalized`; no claim changes: the 835 is
    the payer's decision.
    """
    given = members(tuple(claims), Claim, "$.claims")
    found = members(tuple(responses), ClaimStatusResponse, "$.responses")
    index = {claim.id.normalized(): k for k, claim in enumerate(given)}
    out: list[Finding] = []
    for response in found:
        k = index.get(response.claim_id.normalized())
        if k is None:
            continue
        finding = _finding(k, response)
        if finding is not None:
            out.append(finding)
    return tuple(out)


# ---------------------------------------------------------------- the 276


def _person(code: str, claim: Claim, *, patient: bool) -> list[Element]:
    if patient:
        name = claim.patient.name
        return ["NM1", "QC", "1", name.family, name.given or "", name.middle or "", "",
                name.suffix or ""]
    name = claim.coverage.subscriber.name
    return ["NM1", code, "1", name.family, name.given or "", name.middle or "", "",
            name.suffix or "", "MI", claim.coverage.member_id.unmasked]


def _claim_segments(claim: Claim) -> list[list[Element]]:
    out: list[list[Element]] = [["TRN", "1", claim.id.value]]
    if claim.payer_claim_number is not None:
        out.append(["REF", "1K", claim.payer_claim_number.value])
    if claim.kind is ClaimKind.INSTITUTIONAL and claim.type_of_bill is not None:
        out.append(["REF", "BLT", claim.type_of_bill.code])
    out.append(["REF", "EJ", claim.id.value])
    out.append(["AMT", "T3", amount(claim.total_charge)])
    period = claim.service_period
    end = period.end or period.start
    if end == period.start:
        out.append(["DTP", "472", "D8", d8(period.start)])
    else:
        out.append(["DTP", "472", "RD8", f"{d8(period.start)}-{d8(end)}"])
    return out


def write_276(
    claims: Iterable[Claim], *, submitter: Submitter, receiver: Receiver,
    control_numbers: ControlNumbers, at: datetime, test: bool = False,
) -> str:
    """A claim status inquiry (276, 005010X212) about claims already sent.

    Every claim must have been submitted (any status after ``ready``). Claims are grouped
    by payer, billing provider and subscriber; each is traced by its patient control
    number (``TRN02``), which the 277 echoes. ``at`` (timezone-aware) dates the ``ISA``,
    ``GS`` and ``BHT``. Raises :class:`~claimcore.errors.ValidationError` for a claim not
    sent, or a value holding a delimiter.
    """
    items = members(to_tuple(claims), Claim, "$.claims")
    if not items:
        raise ValidationError("ask about at least one claim", path="$.claims", rule="empty")
    instance(submitter, Submitter, "$.submitter")
    instance(receiver, Receiver, "$.receiver")
    aware_datetime(at, "$.at")
    for k, claim in enumerate(items):
        if claim.status in _NOT_SENT:
            raise ValidationError("a status inquiry asks about a claim that was submitted; "
                                  f"this one is {claim.status.value}",
                                  path=f"$.claims[{k}].status", rule="not-submitted")
    body: list[list[Element]] = [
        ["BHT", "0010", "13", str(control_numbers.interchange), d8(at.date()),
         at.strftime("%H%M")],
    ]
    by_payer: dict[tuple[str, str], dict[Organization, list[Claim]]] = {}
    for claim in items:
        payer = claim.coverage.payer
        key = (payer.payer_id.value, payer.name)
        by_payer.setdefault(key, {}).setdefault(claim.billing_provider, []).append(claim)
    hl = 0
    for (payer_id, payer_name), providers in by_payer.items():
        hl += 1
        source = hl
        body.append(["HL", str(source), "", "20", "1"])
        body.append(["NM1", "PR", "2", payer_name, "", "", "", "", "PI", payer_id])
        hl += 1
        receiver_hl = hl
        body.append(["HL", str(receiver_hl), str(source), "21", "1"])
        body.append(["NM1", "41", "2", submitter.name, "", "", "", "", "46", submitter.id])
        for org, provider_claims in providers.items():
            hl += 1
            provider_hl = hl
            body.append(["HL", str(provider_hl), str(receiver_hl), "19", "1"])
            body.append(["NM1", "1P", "2", org.name, "", "", "", "", "XX", org.npi.value])
            for claim in provider_claims:
                hl += 1
                subscriber_hl = hl
                is_self = claim.coverage.relationship is Relationship.SELF
                body.append(["HL", str(subscriber_hl), str(provider_hl), "22",
                             "0" if is_self else "1"])
                subscriber = claim.coverage.subscriber
                if is_self:
                    body.append(["DMG", "D8", d8(subscriber.birth_date), subscriber.sex.value])
                body.append(_person("IL", claim, patient=False))
                if is_self:
                    body.extend(_claim_segments(claim))
                    continue
                hl += 1
                body.append(["HL", str(hl), str(subscriber_hl), "23"])
                patient = claim.patient
                body.append(["DMG", "D8", d8(patient.birth_date), patient.sex.value])
                body.append(_person("QC", claim, patient=True))
                body.extend(_claim_segments(claim))
    return wrap([("276", STATUS_GUIDE, body)], functional_id="HR", version=STATUS_GUIDE,
                sender_id=submitter.id, receiver_id=receiver.id,
                control_numbers=control_numbers, at=at, test=test)


# ---------------------------------------------------------------- the 277


@attrs.define(slots=True)
class _OpenLine:
    svc: int
    details: list[StatusDetail] = attrs.Factory(list)
    line_ref: str | None = None
    period: Period | None = None


@attrs.define(slots=True)
class _OpenClaim:
    trn: int
    claim_id: ClaimId
    details: list[StatusDetail] = attrs.Factory(list)
    refs: dict[str, str] = attrs.Factory(dict)
    period: Period | None = None
    lines: list[_OpenLine] = attrs.Factory(list)


class _Reader277(ElementReader):
    """Reads the rows of one 277 (005010X212) transaction set."""

    def read(self, t: RawTransaction) -> list[ClaimStatusResponse]:
        rows = self.rows
        el = self.el
        out: list[ClaimStatusResponse] = []
        current: _OpenClaim | None = None
        level = ""
        for i in range(t.st + 1, t.se):
            row = rows[i]
            seg = row[0]
            if seg == "HL":
                if current is not None:
                    out.append(self.close(current))
                    current = None
                level = el(row, 3)
            elif seg == "TRN":
                if current is not None:
                    out.append(self.close(current))
                    current = None
                if level in ("22", "23") and el(row, 1) == "2":
                    current = _OpenClaim(trn=i, claim_id=self.claim_id(i))
            elif current is None:
                continue  # the payer, receiver and provider levels' own status
            elif seg == "SVC":
                current.lines.append(_OpenLine(svc=i))
            elif seg == "STC":
                target = current.lines[-1].details if current.lines else current.details
                target.append(self.detail(i))
            elif seg == "REF":
                qualifier, value = el(row, 1), el(row, 2).strip()
                if current.lines and qualifier == "FJ":
                    current.lines[-1].line_ref = value[:50] or None
                elif not current.lines and qualifier not in current.refs and value:
                    current.refs[qualifier] = value
            elif seg == "DTP" and el(row, 1) == "472":
                period = self.period(i)
                if current.lines:
                    current.lines[-1].period = period
                else:
                    current.period = period
            elif seg not in ("NM1", "DMG", "QTY", "AMT", "PER"):
                self.warn(WarningCode.UNKNOWN_SEGMENT, "this segment has no place in a 277 "
                          "claim status loop; it was skipped", i)
        if current is not None:
            out.append(self.close(current))
        return out

    def claim_id(self, i: int) -> ClaimId:
        try:
            return ClaimId(self.el(self.rows[i], 2).strip())
        except ValidationError as err:
            self.fail(f"must be the trace the 276 sent (a claim's patient control number): "
                      f"{err.message}", i, "TRN02")

    def period(self, i: int) -> Period:
        row = self.rows[i]
        fmt, value = self.el(row, 2), self.el(row, 3)
        first, _, last = value.partition("-")
        start = self.date_of(first, i, "DTP03", quiet=True)
        end = self.date_of(last, i, "DTP03", quiet=True) if fmt == "RD8" else start
        if start is None or end is None or fmt not in ("D8", "RD8"):
            self.fail("must be a date (D8) or a range of dates (RD8)", i, "DTP03")
        try:
            return Period(start, end)
        except ValidationError as err:
            self.fail(err.message, i, "DTP03")

    def detail(self, i: int) -> StatusDetail:
        row = self.rows[i]
        statuses: list[ClaimStatusEntry] = []
        for k in _STATUS_ELEMENTS:
            value = self.el(row, k)
            if not value:
                if k == 1:
                    self.fail("is required: the status composite", i, "STC01")
                continue
            parts = value.split(self.delims.component)
            category = parts[0]
            status = parts[1] if len(parts) > 1 else ""
            name = f"STC{k:02d}"
            if category not in CLAIM_STATUS_CATEGORIES:
                self.warn(WarningCode.INVALID_VALUE, "is not a claim status category code "
                          "of the 5010 list (element 507)", i, f"{name}-1")
            ncpdp = len(parts) > 3 and parts[3] == "RX"  # STC01-4: an NCPDP reject code
            if status not in CLAIM_STATUS_CODES and not ncpdp:
                self.warn(WarningCode.INVALID_VALUE, "is not a claim status code of the 5010 "
                          "list (element 508)", i, f"{name}-2")
            try:
                statuses.append(ClaimStatusEntry(
                    category=category, status=status,
                    entity=parts[2] if len(parts) > 2 and parts[2] else None))
            except ValidationError as err:
                part = {"$.category": "-1", "$.status": "-2", "$.entity": "-3"}.get(
                    err.path or "", "")
                self.fail(err.message, i, name + part)
        check = self.el(row, 9).strip() or None
        return StatusDetail(
            statuses=statuses, effective_on=self.day(i, 2), charge=self.money(i, 4,
                                                                              required=False),
            paid=self.money(i, 5, required=False), adjudicated_on=self.day(i, 6),
            remitted_on=self.day(i, 8), check_number=check[:16] if check else None,
        )

    def line(self, line: _OpenLine) -> LineStatus:
        i = line.svc
        row = self.rows[i]
        parts = self.composite(i, 1)
        procedure: ProcedureCode | None = None
        revenue: RevenueCode | None = None
        modifiers: list[Modifier] = []
        code = parts[1] if len(parts) > 1 else ""
        if parts[0] in ("HC", "HP", "AD") and code:
            procedure = self.code(procedure_code, code, i, "SVC01-2")
            modifiers = [self.code(Modifier, m, i, f"SVC01-{n}")
                         for n, m in enumerate(parts[2:6], 3) if m]
        elif parts[0] == "NU" and code:
            revenue = self.code(RevenueCode, code, i, "SVC01-2")
        elif parts[0]:
            self.warn(WarningCode.INVALID_VALUE, "a service coded otherwise than as a "
                      "procedure (HC) or revenue code (NU); it was kept without its code",
                      i, "SVC01-1")
        if revenue is None and self.el(row, 4):
            revenue = self.code(RevenueCode, self.el(row, 4), i, "SVC04")
        if not line.details:
            self.fail("a service line status (loop 2220) has an STC", i)
        return LineStatus(
            charge=self.amount(i, 2), paid=self.money(i, 3, required=False),
            procedure=procedure, modifiers=modifiers, revenue_code=revenue,
            units=self.quantity(i, 7), line_ref=line.line_ref, service_period=line.period,
            details=line.details,
        )

    def close(self, current: _OpenClaim) -> ClaimStatusResponse:
        if not current.details:
            self.fail("a claim status loop (2200D/E) has a claim-level STC", current.trn)
        refs = current.refs
        number: PayerClaimNumber | None = None
        if "1K" in refs:
            try:
                number = PayerClaimNumber(refs["1K"])
            except ValidationError as err:
                self.fail(f"must be a payer claim control number: {err.message}",
                          current.trn, "REF02")
        return ClaimStatusResponse(
            claim_id=current.claim_id, details=current.details, payer_claim_number=number,
            patient_control_number=refs.get("EJ", "")[:50] or None,
            type_of_bill=refs.get("BLT", "")[:4] or None, service_period=current.period,
            lines=[self.line(line) for line in current.lines],
        )


def _guide(rows: list[list[str]], t: RawTransaction) -> None:
    require_set(rows, t, st01="277", guide=STATUS_GUIDE, values="claim status responses",
                is_a="a 277 claim status response")
    st03 = rows[t.st][3] if len(rows[t.st]) > 3 else ""
    guide = st03 or t.version
    if guide and "X212" not in guide:
        raise X12Error("this 277 is not a claim status response (005010X212); a 277CA "
                       "(005010X214) is read by read_277ca",
                       segment_number=(t.st if st03 else t.gs) + 1,
                       segment_id=rows[t.st if st03 else t.gs][0],
                       element="ST03" if st03 else "GS08")


def read_277_with_warnings(raw: str) -> ReadResult[ClaimStatusResponse]:
    """Every claim status of a 277 (005010X212) interchange, with the warnings (codes not
    in the claim status lists, segments skipped)."""
    delims, rows, warnings, found = transactions(raw)
    reader = _Reader277(rows, delims, warnings)
    out: list[ClaimStatusResponse] = []
    for t in found:
        _guide(rows, t)
        out.extend(reader.read(t))
    return ReadResult(out, warnings)


def read_277(raw: str) -> tuple[ClaimStatusResponse, ...]:
    """Every claim status (one per loop 2200D/E) of a 277 claim status response.

    Raises :class:`~claimcore.x12.X12Error` for a 4010 file, a 277CA, another
    transaction set, or a status, amount or date a 277 does not have.
    """
    return read_277_with_warnings(raw).values

