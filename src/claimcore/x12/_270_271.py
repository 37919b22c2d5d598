"""Eligibility: the 270 inquiry out and the 271 response in (005010X279A1).

:func:`write_270` asks about one coverage (the subscriber's member id, name, birth date
and sex in loop 2100C, the date of service ``DTP*291``, one ``EQ`` per service type).
:func:`read_271` reads every subscriber or dependent loop (2000C/2000D) of a 271 into an
:class:`~claimcore.eligibility.EligibilityResponse`: its ``EB`` rows with their ``MSG``
lines, its plan dates, and the ``AAA`` rejections at any level. Benefit-related entity
loops (``LS`` ... ``LE``, loop 2120) are skipped.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Final

import attrs

from claimcore._validate import aware_datetime, instance, text
from claimcore.eligibility import (
    BenefitInfo,
    BenefitRow,
    CoverageLevel,
    EligibilityInquiry,
    EligibilityResponse,
    FollowUpAction,
    InNetwork,
    Rejection,
    TimePeriod,
)
from claimcore.errors import ValidationError
from claimcore.money import Rate
from claimcore.periods import Period
from claimcore.providers import Organization
from claimcore.x12._elements import ElementReader, d8
from claimcore.x12._envelope import (
    ControlNumbers,
    Element,
    RawTransaction,
    require_set,
    transactions,
    wrap,
)
from claimcore.x12._tokens import Delimiters
from claimcore.x12._warnings import ReadResult, UnreadItem, WarningCode, X12Error, X12Warning

__all__ = ["read_271", "read_271_with_warnings", "write_270"]

ELIGIBILITY_GUIDE: Final = "005010X279A1"
_YES_NO: Final = {"Y": True, "N": False}
_MAX_REASON: Final = 500
_MAX_KEY: Final = 80
_ELEMENTS: Final = {"service_types": "EB03", "amount": "EB07", "percent": "EB08",
                    "messages": "MSG01"}


@attrs.define(slots=True)
class _Loop:
    level: str
    benefits: list[BenefitRow] = attrs.Factory(list)
    rejections: list[Rejection] = attrs.Factory(list)
    start: date | None = None
    end: date | None = None
    row: dict[str, object] | None = None
    messages: list[str] = attrs.Factory(list)


class _Reader271(ElementReader):
    """Reads the rows of one 271 transaction set into eligibility responses; with
    ``salvage``, a benefit (``EB`` and its ``MSG``) it cannot read is set aside
    (:attr:`unread`)."""

    def __init__(self, rows: list[list[str]], delims: Delimiters,
                 warnings: list[X12Warning], *, salvage: bool) -> None:
        super().__init__(rows, delims, warnings)
        self.salvage = salvage
        self.unread: list[UnreadItem] = []

    def lose(self, i: int, err: X12Error) -> None:
        """Set the benefit whose ``EB`` is row ``i`` aside (strict: raise ``err``)."""
        if not self.salvage:
            raise err
        reason = str(err)[:_MAX_REASON]
        self.unread.append(UnreadItem(kind="benefit", segment_number=i + 1,
                                      segment_id=self.rows[i][0], reason=reason,
                                      key=self.el(self.rows[i], 1)[:_MAX_KEY]))
        self.warn(WarningCode.ITEM_NOT_READ,
                  f"the benefit was not read and is in unread: {reason}"[:_MAX_REASON], i,
                  "EB01")

    def read(self, t: RawTransaction) -> list[EligibilityResponse]:
        rows = self.rows
        el = self.el
        header: list[Rejection] = []
        loops: list[_Loop] = []
        loop: _Loop | None = None
        in_entity = False
        for i in range(t.st + 1, t.se):
            row = rows[i]
            seg = row[0]
            if seg == "LS":
                in_entity = True
            elif seg == "LE":
                in_entity = False
            elif in_entity:
                continue
            elif seg == "HL":
                if loop is not None:
                    self.close_row(loop)
                level = el(row, 3)
                loop = _Loop(level) if level in ("22", "23") else None
                if loop is not None:
                    loops.append(loop)
            elif seg == "AAA":
                rejection = self.rejection(i)
                (loop.rejections if loop is not None else header).append(rejection)
            elif loop is None:
                continue
            elif seg == "EB":
                self.close_row(loop)
                try:
                    loop.row = self.benefit(i)
                except X12Error as err:
                    self.lose(i, err)  # its MSG segments then attach to nothing
            elif seg == "MSG":
                if loop.row is not None and el(row, 1):
                    loop.messages.append(el(row, 1).strip())
            elif seg == "DTP":
                self.dates(i, loop)
        if loop is not None:
            self.close_row(loop)
        responses: list[EligibilityResponse] = []
        for lp in loops:
            if lp.level == "22" and not (lp.benefits or lp.rejections) and any(
                other.level == "23" for other in loops
            ):
                continue  # a subscriber loop that only leads to its dependents
            period = None
            if lp.start is not None:
                period = Period(lp.start, lp.end) if lp.end is None or lp.end >= lp.start \
                    else None
            responses.append(EligibilityResponse(
                plan_period=period, benefits=lp.benefits,
                rejections=[*header, *lp.rejections],
            ))
        if not responses:
            responses.append(EligibilityResponse(rejections=header))
        return responses

    def close_row(self, loop: _Loop) -> None:
        if loop.row is None:
            return
        fields = loop.row
        i = int(str(fields.pop("_i")))
        messages = loop.messages
        loop.row = None
        loop.messages = []
        try:
            loop.benefits.append(BenefitRow(**fields, messages=messages))  # type: ignore[arg-type]
        except ValidationError as err:
            field = err.path.split(".")[1].split("[")[0] if "." in err.path else ""
            try:
                self.fail(err.message, i, _ELEMENTS.get(field, "EB01"))
            except X12Error as failed:
                self.lose(i, failed)

    def benefit(self, i: int) -> dict[str, object]:
        row = self.rows[i]
        el = self.el
        try:
            info = BenefitInfo(el(row, 1))
        except ValueError:
            self.fail("must be an eligibility or benefit information code", i, "EB01")
        fields: dict[str, object] = {"_i": i, "info": info}
        for k, name, enum_type in ((2, "coverage_level", CoverageLevel),
                                   (6, "time_period", TimePeriod), (12, "in_network", InNetwork)):
            value = el(row, k)
            if value:
                try:
                    fields[name] = enum_type(value)
                except ValueError:
                    self.fail(f"is not a code of EB{k:02d}", i, f"EB{k:02d}")
        rep = self.delims.repetition
        services = el(row, 3)
        if services:
            codes = services.split(rep) if rep else [services]
            fields["service_types"] = tuple(dict.fromkeys(c for c in codes if c))
        amount = self.money(i, 7, required=False)
        if amount is not None:
            fields["amount"] = amount
        percent = el(row, 8)
        if percent:
            try:
                fields["percent"] = Rate(Decimal(percent))
            except (InvalidOperation, ValidationError):
                self.fail("must be a fraction (0.2 is 20%)", i, "EB08")
        auth = el(row, 11)
        if auth in _YES_NO:
            fields["authorization_required"] = _YES_NO[auth]
        return fields

    def rejection(self, i: int) -> Rejection:
        row = self.rows[i]
        follow = self.el(row, 4)
        try:
            return Rejection(self.el(row, 3),
                             FollowUpAction(follow) if follow else None)
        except ValueError:
            self.fail("must be a reject reason (AAA03) and follow-up action (AAA04)", i,
                      "AAA03")

    def dates(self, i: int, loop: _Loop) -> None:
        row = self.rows[i]
        qualifier, form, value = self.el(row, 1), self.el(row, 2), self.el(row, 3)
        if qualifier not in ("291", "346", "347", "307"):
            return
        if form == "RD8" and "-" in value:
            first, _, last = value.partition("-")
            start, end = self.date_of(first, i, "DTP03"), self.date_of(last, i, "DTP03")
        elif qualifier == "347":
            start, end = None, self.day(i, 3)
        else:
            start, end = self.day(i, 3), None
        loop.start = start or loop.start
        loop.end = end or loop.end


def read_271_with_warnings(raw: str) -> ReadResult[EligibilityResponse]:
    """Every response of a 271 interchange (``values``), the warnings about what was
    tolerated (``warnings``) and the benefits it could not read (``unread``): a fault in
    one ``EB`` (an unknown code, a bad amount or percent) sets that benefit aside, with an
    ``item-not-read`` warning, and the others are read. :func:`read_271` refuses the
    file instead."""
    return _read(raw, salvage=True)


def _read(raw: str, *, salvage: bool) -> ReadResult[EligibilityResponse]:
    delims, rows, warnings, found = transactions(raw)
    reader = _Reader271(rows, delims, warnings, salvage=salvage)
    out: list[EligibilityResponse] = []
    for t in found:
        require_set(rows, t, st01="271", guide=ELIGIBILITY_GUIDE, values="responses",
                    is_a="a 271 response")
        out.extend(reader.read(t))
    return ReadResult(out, warnings, unread=reader.unread)


def read_271(raw: str) -> tuple[EligibilityResponse, ...]:
    """Every eligibility response (one per subscriber or dependent loop) of a 271.

    Raises :class:`~claimcore.x12.X12Error` for a 4010 file, another transaction set or a
    code a 271 does not have.
    """
    return _read(raw, salvage=False).values


def write_270(
    inquiry: EligibilityInquiry,
    *,
    provider: Organization,
    trace: str,
    control_numbers: ControlNumbers,
    at: datetime,
    sender_id: str,
    receiver_id: str,
    test: bool = False,
) -> str:
    """A 270 eligibility inquiry (005010X279A1) about ``inquiry``'s coverage.

    ``provider`` is the information receiver (loop 2100B, ``NM1*1P`` with its NPI);
    ``trace`` the reference the 271 echoes in ``TRN02``. The subscriber is identified by
    member id, name, birth date and sex (loop 2100C). For a dependent without a member id
    of their own (:attr:`~claimcore.eligibility.EligibilityInquiry.asks_about_dependent`)
    the subscriber level has children (``HL04`` 1) and the patient follows in 2000D/2100D
    (``HL*23``, ``TRN``, ``NM1*03`` name, ``DMG``, ``DTP*291``, then ``EQ`` in 2110D); a
    dependent with their own id is asked about in 2100C by that id, name and birth date.
    """
    instance(inquiry, EligibilityInquiry, "$.inquiry")
    instance(provider, Organization, "$.provider")
    text(trace, "$.trace", max_len=50)
    aware_datetime(at, "$.at")
    coverage = inquiry.coverage
    subscriber = coverage.subscriber
    patient = inquiry.patient
    dependent = inquiry.asks_about_dependent
    own_id = patient is not None and not dependent and coverage.relationship.is_dependent
    name = patient.name if own_id and patient is not None else subscriber.name
    birth, sex = ((patient.birth_date, patient.sex) if own_id and patient is not None
                  else (subscriber.birth_date, subscriber.sex))
    trn: list[Element] = ["TRN", "1", trace, "9" + provider.tax_id.value]
    body: list[list[Element]] = [
        ["BHT", "0022", "13", trace, d8(at), at.strftime("%H%M")],
        ["HL", "1", "", "20", "1"],
        ["NM1", "PR", "2", coverage.payer.name, "", "", "", "", "PI",
         coverage.payer.payer_id.value],
        ["HL", "2", "1", "21", "1"],
        ["NM1", "1P", "2", provider.name, "", "", "", "", "XX", provider.npi.value],
        ["HL", "3", "2", "22", "1" if dependent else "0"],
    ]
    if not dependent:
        body.append(trn)
    body.extend([
        ["NM1", "IL", "1", name.family, name.given or "", name.middle or "", "",
         name.suffix or "", "MI", coverage.member_id.unmasked],
        ["DMG", "D8", d8(birth), sex.value],
    ])
    if dependent and patient is not None:
        person = patient.name
        body.extend([
            ["HL", "4", "3", "23", "0"],
            trn,
            ["NM1", "03", "1", person.family, person.given or "", person.middle or "", "",
             person.suffix or ""],
            ["DMG", "D8", d8(patient.birth_date), patient.sex.value],
        ])
    body.append(["DTP", "291", "D8", d8(inquiry.service_on)])
    body.extend(["EQ", code] for code in inquiry.service_types)
    return wrap([("270", ELIGIBILITY_GUIDE, body)], functional_id="HS",
                version=ELIGIBILITY_GUIDE, sender_id=sender_id, receiver_id=receiver_id,
                control_numbers=control_numbers, at=at, test=test)
