"""The 835 health care claim payment/advice (005010X221A1) read into
:class:`~claimcore.remittance.Remittance` values.

The reader takes what real payers send: delimiters from the ``ISA``, line breaks or none,
several transaction sets in one interchange, ``CAS`` with up to six triplets, ``PLB`` with
up to six adjustments, reversals (``CLP02`` 22), remark codes (``LQ*HE``, ``MOA``,
``MIA``), allowed amounts (``AMT*B6``), line references (``REF*6R``) and service dates.
Deviations that leave the meaning clear (an impossible ``BPR16`` date, a composite
separator other than ``ISA16``, a wrong segment count, a composite sent as separate
elements) become :class:`~claimcore.x12.X12Warning` records; anything else is an
:class:`~claimcore.x12.X12Error` naming the segment number and element. The remittance's
own constructor checks the three balancing rules; a remittance that does not balance is
an error at the segment whose amount disagrees (``SVC03``, ``CLP04`` or ``BPR02``).
The writer is :mod:`claimcore.x12._835_write`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Final, TypeAlias

import attrs

from claimcore._validate import an_int, instance, members, optional_instance, text, to_tuple
from claimcore.adjustments import Adjustment
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
    procedure_code,
)
from claimcore.errors import ValidationError
from claimcore.ids import NPI, ClaimId, PayerClaimNumber, PayerId, TaxId
from claimcore.money import Money
from claimcore.periods import Period
from claimcore.remittance import (
    ClaimPayment,
    CrossoverCarrier,
    Payee,
    PaymentMethod,
    ProviderAdjustment,
    ProviderAdjustmentReason,
    Remittance,
    RemittancePayer,
    ServicePayment,
)
from claimcore.x12._elements import MAX_CAS_TRIPLETS, QUALIFIER, ElementReader
from claimcore.x12._envelope import (
    EnvelopeWalker,
    RawTransaction,
    frozen_transactions,
    require_set,
)
from claimcore.x12._tokens import Delimiters, Rows, scan_chunks
from claimcore.x12._warnings import ReadResult, WarningCode, X12Error, X12Warning

__all__ = [
    "RemittanceBalance",
    "RemittanceHeader",
    "RemittanceItem",
    "UnreadClaim",
    "X12Result",
    "collect_835",
    "iter_835",
    "read_835",
    "read_835_with_warnings",
]

_CACHE_LIMIT: Final = 4096
_PADDED_CODE: Final = re.compile(r"([A-Z0-9]{5})\.0+")
_PROCEDURE_QUALIFIERS: Final = frozenset({"HC", "HP", "AD"})
_IGNORED: Final = frozenset({
    "CUR", "N2", "N3", "N4", "PER", "RDM", "TS3", "TS2", "QTY", "PLB_", "RMR",
})
_GROUPS: Final = {g.value: g for g in AdjustmentGroup}
_STATUSES: Final = {s.value: s for s in ClaimStatusCode}
_MAX_PLB_PAIRS: Final = 6
_CAS_END: Final = 2 + 3 * MAX_CAS_TRIPLETS  # CAS20: the first element after six triplets
_MAX_RAW: Final = 80  # an unread claim keeps at most this much of each CLP element
_MAX_REASON: Final = 500
_CLAIM_ENDS: Final = frozenset({"CLP", "LX", "PLB"})
_ONE: Final = Decimal(1)
_BLANKS: Final = ("",) * 15
_NOT_SALVAGED: Final = frozenset({"N1", "BPR"})  # header segments: a fault of the file
_FILING: Final = re.compile(r"[A-Z0-9]{1,2}")
_ENVELOPE: Final = frozenset({"ISA", "GS", "ST", "SE", "GE", "IEA"})


def _raw(value: str) -> str:
    return value[:_MAX_RAW]


@attrs.frozen(kw_only=True)
class UnreadClaim:
    """A claim of an 835 that :func:`read_835_with_warnings` could not read.

    ``segment_number`` is its ``CLP`` segment's position in the file (the ``ISA`` is 1);
    ``reason`` the error that stopped it, with the segment and element it is about (a
    missing element, a claim or line that does not balance, an unknown qualifier, a bad
    amount or date anywhere from its ``CLP`` to the next claim). ``clp01`` to ``clp04``
    are the ``CLP`` elements as sent (patient control number, status, charge, paid;
    ``""`` when absent); ``charge`` and ``paid`` are ``CLP03`` and ``CLP04`` as
    :class:`~claimcore.money.Money` when they are amounts, ``None`` otherwise.

    >>> from claimcore.money import Money
    >>> UnreadClaim(segment_number=11, reason="segment 11 (CLP), CLP07: is required",
    ...             clp01="PCN1", clp02="1", clp03="100.00", clp04="80.00",
    ...             charge=Money.parse("100.00"), paid=Money.parse("80.00")).paid
    Money('80.00')
    """

    segment_number: int
    reason: str
    clp01: str = ""
    clp02: str = ""
    clp03: str = ""
    clp04: str = ""
    charge: Money | None = None
    paid: Money | None = None

    def __attrs_post_init__(self) -> None:
        an_int(self.segment_number, "$.segment_number", low=1)
        text(self.reason, "$.reason", max_len=_MAX_REASON)
        for name in ("clp01", "clp02", "clp03", "clp04"):
            value = instance(getattr(self, name), str, f"$.{name}")
            if len(value) > _MAX_RAW:
                raise ValidationError(f"must have at most {_MAX_RAW} characters, got "
                                      f"{len(value)}", path=f"$.{name}", rule="length")
        optional_instance(self.charge, Money, "$.charge")
        optional_instance(self.paid, Money, "$.paid")


def _unread(value: Iterable[UnreadClaim]) -> tuple[UnreadClaim, ...]:
    return to_tuple(value)


@attrs.frozen
class X12Result(ReadResult[Remittance]):
    """What :func:`read_835_with_warnings` found: the remittances (``values``, also named
    ``remittances``), the warnings about what it tolerated, and the claims it could not
    read (``unread_claims``, each also a ``claim-not-read`` warning)."""

    unread_claims: tuple[UnreadClaim, ...] = attrs.field(default=(), converter=_unread)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        members(self.values, Remittance, "$.values")
        members(self.unread_claims, UnreadClaim, "$.unread_claims")

    @property
    def remittances(self) -> tuple[Remittance, ...]:
        """The remittances read, one per transaction set (the same as ``values``)."""
        return self.values


# ---------------------------------------------------------------- reading


class _Reader(ElementReader):
    """Reads the rows of one 835 transaction set into a Remittance."""

    def __init__(self, rows: Rows, delims: Delimiters,
                 warnings: list[X12Warning], *, salvage: bool) -> None:
        super().__init__(rows, delims, warnings)
        self.periods: dict[tuple[date, date | None], Period] = {}
        self.salvage = salvage
        self.unread: list[UnreadClaim] = []
        self.unread_errors: list[X12Error] = []
        # a CAS triplet as sent (with its group) -> its value: an 835 repeats the same
        # contractual adjustments on line after line, like the amounts and codes
        self.adjustment_cache: dict[tuple[AdjustmentGroup, str, str, str], Adjustment] = {}
        # SVC01 as sent -> procedure, revenue code, modifiers (read without a warning)
        self.svc01_cache: dict[
            str, tuple[CPT | HCPCS | None, RevenueCode | None, tuple[Modifier, ...]]] = {}
        self.handlers: dict[str, Callable[[int, Sequence[str], _State], None]] = {
            "CAS": self.on_cas, "SVC": self.on_svc, "DTM": self.on_dtm, "REF": self.on_ref,
            "AMT": self.on_amt, "LQ": self.on_lq, "MOA": self.on_moa, "MIA": self.on_moa,
            "NM1": self.on_nm1, "N1": self.on_n1, "BPR": self.on_bpr, "TRN": self.on_trn,
            "PLB": self.on_plb, "LX": self.on_lx,
        }
        # the segments a handler reads inside an open claim (see read)
        self.in_claim = frozenset(self.handlers) - _CLAIM_ENDS - _NOT_SALVAGED

    # -- salvage ----------------------------------------------------------------------

    def lose(self, i: int, err: X12Error) -> None:
        """Set the claim whose ``CLP`` is row ``i`` aside as unread, for ``err``; in a
        strict read, raise ``err`` instead."""
        if not self.salvage:
            raise err
        row = self.rows[i]
        reason = str(err)[:_MAX_REASON]
        self.unread.append(UnreadClaim(
            segment_number=i + 1, reason=reason,
            clp01=_raw(self.el(row, 1)), clp02=_raw(self.el(row, 2)),
            clp03=_raw(self.el(row, 3)), clp04=_raw(self.el(row, 4)),
            charge=self.quiet_money(i, 3), paid=self.quiet_money(i, 4),
        ))
        self.unread_errors.append(err)
        self.warn(WarningCode.CLAIM_NOT_READ,
                  f"the claim was not read and is in unread_claims: {reason}"
                  [:_MAX_REASON], i, "CLP01")

    def quiet_money(self, i: int, k: int) -> Money | None:
        try:
            return self.money(i, k, required=False)
        except X12Error:
            return None

    def close(self, c: _Claim, s: _Service | None, claims: list[ClaimPayment]) -> None:
        """Finish claim ``c`` (and its last line ``s``) into ``claims``, or set it aside."""
        try:
            claims.append(self.claim(c, s))
        except X12Error as err:
            self.lose(c.i, err)

    # -- segments -------------------------------------------------------------------

    def adjustments(self, i: int) -> list[Adjustment]:
        row = self.rows[i]
        n = len(row)
        group = _GROUPS.get(row[1] if n > 1 else "")
        if group is None:
            self.fail("must be an adjustment group code: CO, OA, PI or PR", i, "CAS01")
        found: list[Adjustment] = []
        codes = self.code_cache
        amounts = self.amount_cache
        known = self.adjustment_cache
        for k in range(2, min(n, _CAS_END), 3):
            reason = row[k]
            if not reason:
                if k + 1 < n and row[k + 1]:
                    self.fail("an adjustment amount without its reason code", i,
                              f"CAS{k:02d}")
                continue
            key = (group, reason, row[k + 1] if k + 1 < n else "",
                   row[k + 2] if k + 2 < n else "")
            adjustment = known.get(key)
            if adjustment is None:
                carc = codes.get((CARC, reason))
                if carc is None:
                    carc = self.code(CARC, reason, i, f"CAS{k:02d}")
                amount = amounts.get(key[2])
                if amount is None:
                    amount = self.amount(i, k + 1)
                quantity = self.quantity(i, k + 2) if key[3] else None
                adjustment = Adjustment(group=group, reason=carc,  # type: ignore[arg-type]
                                        amount=amount, quantity=quantity)
                if len(known) < _CACHE_LIMIT:
                    known[key] = adjustment
            found.append(adjustment)
        if n > _CAS_END and any(row[_CAS_END:]):
            self.fail("a CAS segment has at most six reason/amount/quantity triplets", i,
                      "CAS20")
        if not found:
            self.fail("a CAS segment has at least one reason code", i, "CAS02")
        return found

    def remark(self, value: str, i: int, element: str) -> RARC:
        return self.code(RARC, value, i, element)

    def read(self, t: RawTransaction) -> Remittance:
        if self.rows[t.st + 1][0] != "BPR":
            self.fail("an 835 begins with a BPR segment after the ST", t.st + 1)
        state = self.begin(t)
        step = self.step
        rows = self.rows
        handlers = self.handlers
        inside = self.in_claim
        for i in range(t.st + 1, t.se):
            row = rows[i]
            claim = state.claim
            if claim is not None and row[0] in inside and not state.skipping:
                # step()'s commonest case without its call: a segment of the open claim
                try:
                    handlers[row[0]](i, row, state)
                except X12Error as err:
                    self.set_aside(claim, err, state)
            else:
                step(i, state)
        return self.finish(state)

    def set_aside(self, claim: _Claim, err: X12Error, state: _State) -> None:
        """The open claim failed at one of its segments (``err``): set it aside, skip to
        the next claim (or, in a strict read, raise ``err``)."""
        self.lose(claim.i, err)
        state.claim = state.service = None
        state.skipping = True

    def begin(self, t: RawTransaction) -> _State:
        """The state of reading transaction set ``t`` (its rows follow, by :meth:`step`)."""
        return _State(t=t, first_unread=len(self.unread))

    def step(self, i: int, state: _State) -> None:
        """Read row ``i`` of the transaction set; a claim it ends goes to ``state.claims``
        (or, set aside, to :attr:`unread`)."""
        row = self.rows[i]
        seg = row[0]
        if state.skipping:
            if seg not in _CLAIM_ENDS and seg not in _NOT_SALVAGED:
                return
            if seg == "N1":  # still inside the claim set aside: not the header's
                self.fail("an N1 segment belongs to the header (loops 1000A/1000B)", i)
            state.skipping = False
        claim = state.claim
        if seg in _CLAIM_ENDS:
            if claim is not None:
                self.close(claim, state.service, state.claims)
                state.claim = state.service = None
            if seg == "CLP":
                state.party = ""
                try:
                    state.claim = self.start_claim(i)
                except X12Error as err:
                    self.lose(i, err)
                    state.skipping = True
                return
        elif claim is not None and seg not in _NOT_SALVAGED:
            try:
                handler = self.handlers.get(seg)
                if handler is None:
                    self.segment(i, row, state)
                else:
                    handler(i, row, state)
            except X12Error as err:
                self.set_aside(claim, err, state)
            return
        handler = self.handlers.get(seg)
        if handler is None:
            self.segment(i, row, state)
        else:
            handler(i, row, state)

    def end_claims(self, state: _State) -> None:
        """The transaction set's rows are all read: close its last claim."""
        if state.claim is not None:
            self.close(state.claim, state.service, state.claims)
            state.claim = state.service = None

    def finish(self, state: _State) -> Remittance:
        """The remittance of a transaction set whose rows were all given to :meth:`step`."""
        self.end_claims(state)
        first = state.first_unread
        return self.remittance(state.t, state.header, state.claims, state.plbs,
                               self.unread[first:], self.unread_errors[first:])

    def segment(self, i: int, row: Sequence[str], state: _State) -> None:
        """Row ``i``, a segment no handler reads: skipped, with a warning unless an 835
        may carry it."""
        if row[0] not in _IGNORED:
            self.warn(WarningCode.UNKNOWN_SEGMENT,
                      "this segment has no place in an 835 where it was found; it was "
                      "skipped", i)

    # one method a segment id, by :attr:`handlers`: an 835 claim is about 18 segments, so
    # a dict lookup, not a chain of comparisons, finds what reads each

    def on_cas(self, i: int, row: Sequence[str], state: _State) -> None:
        service = state.service
        if service is not None:
            service.adjustments += self.adjustments(i)
        elif state.claim is not None:
            state.claim.adjustments.extend(self.adjustments(i))
        else:
            self.fail("a CAS segment belongs to a claim (CLP) or a line (SVC)", i)

    def on_svc(self, i: int, row: Sequence[str], state: _State) -> None:
        claim = state.claim
        if claim is None:
            self.fail("a service line (SVC) belongs to a claim (CLP)", i)
        service = state.service
        if service is not None:
            claim.services.append(self.service(service))
            state.service = None
        state.service = self.start_service(i)

    def on_dtm(self, i: int, row: Sequence[str], state: _State) -> None:
        n = len(row)
        qualifier = row[1] if n > 1 else ""
        service = state.service
        if service is not None:
            if qualifier == "150" or qualifier == "472" or qualifier == "151":
                on = self.date_cache.get(row[2] if n > 2 else "")
                if on is None:
                    on = self.day(i, 2, what="service date")
                if qualifier == "151":
                    service.end = on
                else:
                    service.start = on
                    if qualifier == "472":
                        service.end = on
        elif state.claim is not None:
            if qualifier == "232":
                state.claim.start = self.day(i, 2, what="statement date")
            elif qualifier == "233":
                state.claim.end = self.day(i, 2, what="statement date")
        elif qualifier == "405":
            state.header.production = self.day(i, 2, what="production date")

    def on_ref(self, i: int, row: Sequence[str], state: _State) -> None:
        n = len(row)
        qualifier = row[1] if n > 1 else ""
        value = row[2] if n > 2 else ""
        service = state.service
        if service is not None:
            if qualifier == "6R":
                service.line_ref = value or None
        elif state.claim is None:
            if state.party == "PR" and qualifier == "2U":
                state.header.payer_ref = value
            elif state.party == "PE" and qualifier == "TJ":
                state.header.payee_tax_id = (value, i)

    def on_amt(self, i: int, row: Sequence[str], state: _State) -> None:
        service = state.service
        if service is not None and self.el(row, 1) == "B6":
            service.allowed = self.money(i, 2)

    def on_lq(self, i: int, row: Sequence[str], state: _State) -> None:
        service = state.service
        if service is not None and len(row) > 2 and row[1] == "HE" and row[2]:
            rarc = self.code_cache.get((RARC, row[2]))
            service.remarks.append(
                self.remark(row[2], i, "LQ02") if rarc is None else rarc)  # type: ignore[arg-type]

    def on_moa(self, i: int, row: Sequence[str], state: _State) -> None:
        claim = state.claim
        seg = row[0]
        if claim is None:
            self.fail(f"a {seg} segment belongs to a claim (CLP)", i)
        slots = (3, 4, 5, 6, 7) if seg == "MOA" else (5, 20, 21, 22, 23)
        el = self.el
        for k in slots:
            value = el(row, k)
            if value:
                claim.remarks.append(self.remark(value, i, f"{seg}{k:02d}"))

    def on_nm1(self, i: int, row: Sequence[str], state: _State) -> None:
        claim = state.claim
        if claim is not None and state.service is None and len(row) > 1 and row[1] == "TT":
            claim.crossover = self.crossover(i)

    def on_n1(self, i: int, row: Sequence[str], state: _State) -> None:
        el = self.el
        header = state.header
        state.party = el(row, 1)
        if state.claim is not None:
            self.fail("an N1 segment belongs to the header (loops 1000A/1000B)", i)
        if state.party == "PR":
            header.payer_name = (el(row, 2), i)
            if el(row, 3) == "XV" and el(row, 4):
                header.payer_xv = el(row, 4)
        elif state.party == "PE":
            header.payee = (el(row, 2), el(row, 3), el(row, 4), i)

    def on_bpr(self, i: int, row: Sequence[str], state: _State) -> None:
        if i != state.t.st + 1:
            self.fail("an 835 has one BPR segment, right after the ST", i)
        self.bpr(i, state.header)

    def on_trn(self, i: int, row: Sequence[str], state: _State) -> None:
        header = state.header
        if not header.trace:
            el = self.el
            header.trace = el(row, 2)
            header.trn03 = el(row, 3)
            header.trn_i = i

    def on_plb(self, i: int, row: Sequence[str], state: _State) -> None:
        state.plbs.extend(self.plb(i))

    def on_lx(self, i: int, row: Sequence[str], state: _State) -> None:
        pass

    def bpr(self, i: int, header: _Header) -> None:
        row = self.rows[i]
        header.payment = self.amount(i, 2)
        if self.el(row, 3) == "D":
            self.fail("a debit (BPR03 D) remittance takes money from the provider; "
                      "claimcore reads credits (C) only", i, "BPR03")
        method = self.el(row, 4)
        try:
            header.method = PaymentMethod(method)
        except ValueError:
            self.fail("must be a payment method: ACH, BOP, CHK, FWT or NON", i, "BPR04")
        header.paid_on = self.day(i, 16, quiet=True)
        header.bpr_i = i

    def crossover(self, i: int) -> CrossoverCarrier | None:
        row = self.rows[i]
        name = self.el(row, 3)
        ident = self.el(row, 9)
        payer_id: PayerId | None = None
        if ident:
            try:
                payer_id = PayerId(ident)
            except ValidationError:
                self.warn(WarningCode.INVALID_VALUE,
                          "the crossover carrier's id is not a payer id; it was ignored", i,
                          "NM109")
        try:
            return CrossoverCarrier(name=name, payer_id=payer_id)
        except ValidationError:
            self.warn(WarningCode.INVALID_VALUE,
                      "the crossover carrier has no usable name; it was ignored", i, "NM103")
            return None

    def start_claim(self, i: int) -> _Claim:
        row = self.rows[i]
        # CLP has at most 14 elements: pad once rather than test each index
        clp = (*row, *_BLANKS) if len(row) < 15 else row
        # Padding is not part of an AN value: a payer that pads CLP01 echoes the same id.
        clp01 = clp[1].strip()
        if not clp01:
            self.fail("is required: the patient control number", i, "CLP01")
        try:
            claim_id = ClaimId(clp01)
        except ValidationError as err:
            self.fail(f"must be a patient control number (AN 1/38): {err.message}", i,
                      "CLP01")
        status = _STATUSES.get(clp[2])
        if status is None:
            self.fail("must be a claim status code (1, 2, 3, 4, 19, 20, 21, 22, 23 or 25)", i,
                      "CLP02")
        number_text = clp[7].strip()
        if not number_text:
            self.fail("is required: the payer claim control number", i, "CLP07")
        try:
            number = PayerClaimNumber(number_text)
        except ValidationError as err:
            self.fail(f"must be a payer claim control number (AN 1/50): {err.message}", i,
                      "CLP07")
        facility = clp[8] or None
        if facility is not None and not (len(facility) <= 2 and facility.isalnum()
                                         and facility.isascii()):
            self.warn(WarningCode.INVALID_VALUE,
                      "is not a facility type code (one or two letters or digits); it was "
                      "ignored", i, "CLP08")
            facility = None
        frequency: ClaimFrequency | None = None
        if clp[9]:
            try:
                frequency = ClaimFrequency(clp[9])
            except ValueError:
                self.warn(WarningCode.INVALID_VALUE,
                          "is not a claim frequency claimcore knows (1, 7 or 8); it was "
                          "ignored", i, "CLP09")
        filing = clp[6]
        if not _FILING.fullmatch(filing):
            # ID 1/2 in the TR3; required, but a payer's blank or odd code says nothing
            if filing:
                self.warn(WarningCode.INVALID_VALUE,
                          "is not a claim filing indicator code (one or two letters or "
                          "digits); read as ZZ (mutually defined)", i, "CLP06")
            filing = "ZZ"
        return _Claim(
            i=i, claim=claim_id, status=status, charge=self.amount(i, 3), filing=filing,
            paid=self.amount(i, 4),
            patient_responsibility=self.money(i, 5, required=False) if clp[5] else None,
            payer_claim_number=number, facility_code=facility, frequency=frequency,
        )

    def start_service(self, i: int) -> _Service:
        row = self.rows[i]
        n = len(row)
        value = row[1] if n > 1 else ""
        shift = 0
        known = self.svc01_cache.get(value)
        if known is not None:
            procedure, revenue, modifiers = known
        else:
            procedure, revenue, modifiers, shift = self.svc01(i, row)
        rev_text = row[4 + shift] if 4 + shift < n else ""
        if rev_text:
            if revenue is not None:
                self.warn(WarningCode.INVALID_VALUE, "a revenue code twice; SVC04 was "
                          "ignored", i, "SVC04")
            else:
                try:
                    revenue = RevenueCode(rev_text)
                except ValidationError:
                    self.warn(WarningCode.INVALID_VALUE,
                              "is not a revenue code (four digits); it was ignored", i,
                              "SVC04")
        # the caches first, in the order the elements are read (an error names the first
        # bad one): three lines a claim come here
        units_text = row[5 + shift] if 5 + shift < n else ""
        units = self.quantity_cache.get(units_text) if units_text else _ONE
        if units is None:  # not cached (a value of 0 is a quantity, never a default)
            read = self.quantity(i, 5 + shift)
            units = _ONE if read is None else read
        amounts = self.amount_cache
        charge = amounts.get(row[2 + shift] if 2 + shift < n else "")
        if charge is None:
            charge = self.amount(i, 2 + shift)
        paid = amounts.get(row[3 + shift] if 3 + shift < n else "")
        if paid is None:
            paid = self.amount(i, 3 + shift)
        return _Service(
            i=i, procedure=procedure, revenue_code=revenue, modifiers=modifiers,
            charge=charge, paid=paid, units=units,
        )

    def svc01(self, i: int, row: Sequence[str]
              ) -> tuple[CPT | HCPCS | None, RevenueCode | None, tuple[Modifier, ...], int]:
        """What ``SVC01`` names: the procedure or revenue code, the modifiers, and how many
        places the elements after it moved (1 when the code came as its own element). A
        value read without a warning is cached: an 835 repeats the same few."""
        parts = self.composite(i, 1)
        clean = len(parts) > 1  # with ISA16: no warning about the separator
        shift = 0
        if len(parts) == 1 and QUALIFIER.fullmatch(parts[0]) and len(row) > 3:
            # SVC*HC*24599*... : the code was sent as its own element.
            self.warn(WarningCode.MALFORMED_COMPOSITE,
                      "the procedure code was sent as a separate element, not as a "
                      "component of SVC01; the elements after it were read one place "
                      "earlier", i, "SVC01")
            parts = [parts[0], self.el(row, 2)]
            shift = 1
        qualifier = parts[0]
        code = parts[1] if len(parts) > 1 else ""
        if not code:
            self.fail("names a service: a qualifier and a code", i, "SVC01")
        padded = _PADDED_CODE.fullmatch(code)
        if padded is not None:
            self.warn(WarningCode.MALFORMED_CODE,
                      "the procedure code carries decimals; they were dropped", i, "SVC01-2")
            code = padded.group(1)
            clean = False
        procedure: CPT | HCPCS | None = None
        revenue: RevenueCode | None = None
        if qualifier in _PROCEDURE_QUALIFIERS:
            procedure = self.code(procedure_code, code, i, "SVC01-2")
        elif qualifier == "NU":
            revenue = self.code(RevenueCode, code, i, "SVC01-2")
        else:
            self.fail("claimcore reads service lines coded as procedures (HC, HP, AD) or "
                      "revenue codes (NU)", i, "SVC01-1")
        modifiers: list[Modifier] = []
        for m, value in enumerate(parts[2:6], 3):
            if value:
                modifiers.append(self.code(Modifier, value, i, f"SVC01-{m}"))
        found = (procedure, revenue, tuple(modifiers))
        if clean and shift == 0 and self.delims.component in row[1] \
                and len(self.svc01_cache) < _CACHE_LIMIT:
            self.svc01_cache[row[1]] = found
        return (*found, shift)

    def period(self, start: date, end: date | None) -> Period:
        key = (start, end)
        known = self.periods.get(key)
        if known is None:
            known = Period(start, end)
            if len(self.periods) < _CACHE_LIMIT:
                self.periods[key] = known
        return known

    def service(self, s: _Service) -> ServicePayment:
        period: Period | None = None
        if s.start is not None:
            try:
                period = self.period(s.start, s.end)
            except ValidationError:
                self.warn(WarningCode.INVALID_DATE,
                          "the service dates end before they start; they were ignored",
                          s.i, "SVC01")
        elif s.end is not None:
            self.warn(WarningCode.INVALID_DATE,
                      "a service end date without its start date; it was ignored", s.i)
        try:
            # tuples, not lists: the converters take a tuple as it is (a list costs an
            # abstract Iterable check each)
            return ServicePayment(
                procedure=s.procedure, revenue_code=s.revenue_code,
                modifiers=s.modifiers, units=s.units, charge=s.charge, paid=s.paid,
                allowed=s.allowed, adjustments=tuple(s.adjustments),
                remarks=tuple(s.remarks), line_ref=s.line_ref, service_period=period,
            )
        except ValidationError as err:
            element = "SVC03" if err.rule == "line-balance" else "SVC01"
            self.fail(err.message, s.i, element)

    def claim(self, c: _Claim, s: _Service | None) -> ClaimPayment:
        if s is not None:
            c.services.append(self.service(s))
        period: Period | None = None
        if c.start is not None:
            try:
                period = Period(c.start, c.end)
            except ValidationError:
                self.warn(WarningCode.INVALID_DATE,
                          "the statement dates end before they start; they were ignored",
                          c.i, "CLP01")
        try:
            return ClaimPayment(
                claim=c.claim, status=c.status, charge=c.charge, paid=c.paid,
                patient_responsibility=c.patient_responsibility,
                payer_claim_number=c.payer_claim_number, adjustments=tuple(c.adjustments),
                services=tuple(c.services), remarks=tuple(c.remarks), crossover=c.crossover,
                facility_code=c.facility_code, frequency=c.frequency,
                statement_period=period, filing_indicator=c.filing,
            )
        except ValidationError as err:
            element = {"claim-balance": "CLP04"}.get(err.rule, "CLP03")
            self.fail(err.message, c.i, element)

    def plb(self, i: int) -> list[ProviderAdjustment]:
        row = self.rows[i]
        provider = self.el(row, 1) or None
        fiscal = self.day(i, 2, what="fiscal period date")
        found: list[ProviderAdjustment] = []
        for p in range(_MAX_PLB_PAIRS):
            k = 3 + 2 * p
            if not self.el(row, k):
                continue
            parts = self.composite(i, k)
            try:
                reason = ProviderAdjustmentReason(parts[0])
            except ValueError:
                self.fail("must be a provider adjustment reason code (element 426)", i,
                          f"PLB{k:02d}")
            reference = parts[1] if len(parts) > 1 and parts[1] else None
            try:
                found.append(ProviderAdjustment(
                    reason=reason, amount=self.amount(i, k + 1), reference=reference,
                    provider_id=provider, fiscal_period_end=fiscal,
                ))
            except ValidationError as err:
                self.fail(err.message, i, f"PLB{k:02d}")
        if len(row) > 15 and any(row[15:]):
            self.fail("a PLB segment has at most six adjustments", i, "PLB15")
        if not found:
            self.fail("a PLB segment has at least one adjustment", i, "PLB03")
        return found

    def remittance(self, t: RawTransaction, h: _Header, claims: list[ClaimPayment],
                   plbs: list[ProviderAdjustment], unread: list[UnreadClaim],
                   errors: list[X12Error]) -> Remittance:
        payer, payee, paid_on = self.header_values(t, h)
        assert h.method is not None and h.payment is not None
        payment = h.payment
        zero = Money.zero(payment.currency)
        if unread:
            payment = self.read_part(h.payment, sum((c.paid for c in claims), zero),
                                     plbs, unread, t.st + 1)
        return self.checked(t, h, payer, payee, paid_on, payment, claims, plbs,
                            bool(unread), errors)

    def checked(self, t: RawTransaction, h: _Header, payer: RemittancePayer, payee: Payee,
                paid_on: date, payment: Money, claims: Iterable[ClaimPayment],
                plbs: list[ProviderAdjustment], unread: bool,
                errors: list[X12Error]) -> Remittance:
        """The :class:`Remittance` of these values, its rules failing at their segment."""
        assert h.method is not None
        try:
            return Remittance(
                payer=payer, payee=payee, method=h.method, payment=payment,
                trace=h.trace, paid_on=paid_on, claims=claims, provider_adjustments=plbs,
            )
        except ValidationError as err:
            if unread and err.path == "$.payment":
                # what the read claims pay cannot stand as a remittance (less than the
                # PLB takes, or money on a non-payment): the first claim's fault stands
                raise errors[0] from err
            bpr = t.st + 1
            self.fail(err.message, {"$.trace": h.trn_i}.get(err.path, bpr),
                      {"$.trace": "TRN02"}.get(err.path, "BPR02"))

    def header_values(self, t: RawTransaction,
                      h: _Header) -> tuple[RemittancePayer, Payee, date]:
        """The payer, payee and payment date of the header (loops 1000A/1000B, BPR)."""
        bpr = t.st + 1
        paid_on = h.paid_on
        if paid_on is None:
            if h.production is None:
                self.fail("has no payment date (BPR16) and no production date (DTM*405)",
                          bpr, "BPR16")
            self.warn(WarningCode.INVALID_DATE,
                      "the payment date (BPR16) is missing or invalid; the production date "
                      "(DTM*405) was used", bpr, "BPR16")
            paid_on = h.production
        if not h.trace:
            self.fail("an 835 has a TRN segment with the check or EFT trace number", bpr)
        payer_name, payer_i = h.payer_name
        if payer_i < 0:
            self.fail("an 835 names its payer (N1*PR, loop 1000A)", bpr)
        payer_id: PayerId | None = None
        for candidate in (h.payer_xv, h.payer_ref, h.trn03):
            if candidate:
                try:
                    payer_id = PayerId(candidate)
                    break
                except ValidationError:
                    continue
        if payer_id is None:
            self.fail("no usable payer id (N1*PR N104 with XV, REF*2U or TRN03)", payer_i,
                      "N104")
        try:
            payer = RemittancePayer(payer_id=payer_id, name=payer_name)
        except ValidationError as err:
            self.fail(err.message, payer_i, "N102")
        payee = self.payee(h)
        if h.method is None or h.payment is None:  # pragma: no cover - bpr() ran first
            self.fail("an 835 begins with a BPR segment after the ST", bpr)
        return payer, payee, paid_on

    def read_part(self, bpr02: Money, claims_paid: Money,
                  plbs: list[ProviderAdjustment], unread: list[UnreadClaim],
                  bpr: int) -> Money:
        """The payment of a remittance with unread claims: what its read claims account
        for (their ``CLP04`` less the ``PLB``); a warning when ``BPR02`` is not that plus
        the unread claims' ``CLP04``."""
        zero = Money.zero(bpr02.currency)
        part = claims_paid - sum((p.amount for p in plbs), zero)
        paid = [u.paid for u in unread]
        known = [p for p in paid if p is not None]
        if len(known) < len(paid):
            self.warn(WarningCode.PAYMENT_NOT_BALANCED,
                      "an unread claim's CLP04 is not an amount, so BPR02 cannot be "
                      "checked; the payment read is what the read claims pay less the "
                      "provider-level adjustments", bpr, "BPR02")
        elif part + sum(known, zero) != bpr02:
            self.warn(WarningCode.PAYMENT_NOT_BALANCED,
                      "BPR02 is not the claim payments (the unread claims' CLP04 counted) "
                      "less the provider-level adjustments; the payment read is what the "
                      "read claims pay less the provider-level adjustments", bpr, "BPR02")
        return part

    def payee(self, h: _Header) -> Payee:
        if h.payee is None:
            self.fail("an 835 names its payee (N1*PE, loop 1000B)", h.bpr_i)
        name, qualifier, ident, i = h.payee
        npi: NPI | None = None
        tax_id: TaxId | None = None
        if qualifier == "XX":
            try:
                npi = NPI(ident)
            except ValidationError:
                self.warn(WarningCode.INVALID_VALUE,
                          "the payee's NPI is not a valid NPI (ten digits with a Luhn check "
                          "digit); it was ignored", i, "N104")
        elif qualifier == "FI":
            tax_id = self.tax_id(ident, i, "N104")
        if tax_id is None and h.payee_tax_id is not None:
            tax_id = self.tax_id(*h.payee_tax_id, "REF02")
        other_id: str | None = None
        other_qualifier: str | None = None
        if npi is None and tax_id is None and ident:
            other_id, other_qualifier = ident, qualifier or "ZZ"
        try:
            return Payee(name=name, npi=npi, tax_id=tax_id, other_id=other_id,
                         other_qualifier=other_qualifier)
        except ValidationError as err:
            self.fail(err.message, i, "N104" if err.rule == "payee-id" else "N102")

    def tax_id(self, ident: str, i: int, element: str) -> TaxId | None:
        try:
            return TaxId(ident)
        except ValidationError:
            self.warn(WarningCode.INVALID_VALUE,
                      "the payee's tax id is not a valid EIN; it was ignored", i, element)
            return None


@attrs.define(slots=True)
class _Header:
    payment: Money | None = None
    method: PaymentMethod | None = None
    paid_on: date | None = None
    production: date | None = None
    trace: str = ""
    trn03: str = ""
    trn_i: int = -1
    bpr_i: int = -1
    payer_name: tuple[str, int] = ("", -1)
    payer_xv: str = ""
    payer_ref: str = ""
    payee: tuple[str, str, str, int] | None = None
    payee_tax_id: tuple[str, int] | None = None


@attrs.define(slots=True, kw_only=True)
class _State:
    """What one transaction set's read has open: the claim and line, the party."""

    t: RawTransaction
    first_unread: int = 0  # the reader's unread claims before this transaction set's
    header: _Header = attrs.Factory(lambda: _Header())
    skipping: bool = False  # the segments of a claim set aside, up to the next claim
    claim: _Claim | None = None
    service: _Service | None = None
    party: str = ""  # "PR" or "PE" while in loop 1000A or 1000B
    claims: list[ClaimPayment] = attrs.Factory(list)
    plbs: list[ProviderAdjustment] = attrs.Factory(list)


@attrs.define(slots=True, kw_only=True)
class _Claim:
    i: int
    claim: ClaimId
    status: ClaimStatusCode
    charge: Money
    paid: Money
    patient_responsibility: Money | None
    payer_claim_number: PayerClaimNumber
    facility_code: str | None
    frequency: ClaimFrequency | None
    filing: str = "ZZ"
    adjustments: list[Adjustment] = attrs.Factory(list)
    services: list[ServicePayment] = attrs.Factory(list)
    remarks: list[RARC] = attrs.Factory(list)
    crossover: CrossoverCarrier | None = None
    start: date | None = None
    end: date | None = None


@attrs.define(slots=True, kw_only=True)
class _Service:
    i: int
    procedure: CPT | HCPCS | None
    revenue_code: RevenueCode | None
    modifiers: tuple[Modifier, ...]
    charge: Money
    paid: Money
    units: Decimal
    allowed: Money | None = None
    adjustments: list[Adjustment] = attrs.Factory(list)
    remarks: list[RARC] = attrs.Factory(list)
    line_ref: str | None = None
    start: date | None = None
    end: date | None = None


def read_835_with_warnings(text: str) -> X12Result:
    """Every remittance in an 835 interchange, with the warnings about what was tolerated.

    Raises :class:`~claimcore.x12.X12Error` (naming the segment number and element) when
    the text is not a readable 5010 835: a 4010 file, another transaction set, a truncated
    transaction, an amount that is not a number, a remittance that does not balance.
    """
    return _read(text, salvage=True)


def _read(text: str, *, salvage: bool) -> X12Result:
    # the rows as tuples: the reader holds them all, and the collector walks a list each
    # time (it stops walking a tuple of strings, see scan_frozen)
    delims, rows, warnings, found = frozen_transactions(text)
    reader = _Reader(rows, delims, warnings, salvage=salvage)
    remittances: list[Remittance] = []
    for t in found:
        require_set(rows, t, st01="835", guide="005010X221A1", values="remittances",
                    is_a="an 835 remittance advice")
        version = t.version
        if not version.startswith("005010X221"):
            reader.warn(WarningCode.INVALID_VALUE,
                        "the group's version is not 005010X221A1; read as 005010X221A1",
                        t.gs, "GS08")
        if t.se - t.st < 2:
            raise X12Error("an 835 transaction set holds at least a BPR segment",
                           segment_number=t.st + 1, segment_id="ST")
        remittances.append(reader.read(t))
    return X12Result(remittances, warnings, reader.unread)


def read_835(text: str) -> tuple[Remittance, ...]:
    """Every remittance in an 835 interchange (see :func:`read_835_with_warnings`).

    Strict: a fault inside one claim raises :class:`~claimcore.x12.X12Error`, where
    :func:`read_835_with_warnings` sets the claim aside as an :class:`UnreadClaim`.
    """
    return _read(text, salvage=False).remittances




# ---------------------------------------------------------------- streaming


@attrs.frozen(kw_only=True)
class RemittanceHeader:
    """The start of one remittance in an :func:`iter_835` stream: its transaction set's
    header (``BPR``, ``TRN``, loops 1000A and 1000B), before any of its claims.

    ``segment_number`` is the ``ST``'s position in the file, ``control_number`` its
    ``ST02``; ``payment`` is ``BPR02`` as sent. The other fields are those of
    :class:`~claimcore.remittance.Remittance`.
    """

    segment_number: int
    control_number: str
    payer: RemittancePayer
    payee: Payee
    method: PaymentMethod
    payment: Money
    trace: str
    paid_on: date

    def __attrs_post_init__(self) -> None:
        an_int(self.segment_number, "$.segment_number", low=1)
        text(self.control_number, "$.control_number", min_len=0, max_len=_MAX_RAW)
        instance(self.payer, RemittancePayer, "$.payer")
        instance(self.payee, Payee, "$.payee")
        instance(self.method, PaymentMethod, "$.method")
        instance(self.payment, Money, "$.payment")
        text(self.trace, "$.trace", max_len=50)
        instance(self.paid_on, date, "$.paid_on")


@attrs.frozen(kw_only=True)
class RemittanceBalance:
    """The end of one remittance in an :func:`iter_835` stream (at its ``SE``): the
    remittance-level balance, after its claims and provider adjustments.

    ``payment`` is what :func:`read_835_with_warnings` gives as the remittance's payment:
    ``BPR02`` (``bpr02``) when every claim was read, else what the read claims pay less
    the provider-level adjustments. ``claims_paid`` sums the read claims' ``CLP04``,
    ``unread_paid`` the unread claims' ``CLP04`` where it is an amount. ``balanced`` is
    whether ``BPR02`` equals the claim payments (unread counted) less the ``PLB``; when
    every claim was read it always does (a remittance that does not is an error), else a
    ``payment-not-balanced`` warning came before this item.
    """

    segment_number: int
    payment: Money
    bpr02: Money
    claims_paid: Money
    provider_adjustments_total: Money
    unread_paid: Money
    claims: int
    unread_claims: int
    balanced: bool

    def __attrs_post_init__(self) -> None:
        an_int(self.segment_number, "$.segment_number", low=1)
        for name in ("payment", "bpr02", "claims_paid", "provider_adjustments_total",
                     "unread_paid"):
            instance(getattr(self, name), Money, f"$.{name}")
        an_int(self.claims, "$.claims", low=0)
        an_int(self.unread_claims, "$.unread_claims", low=0)
        instance(self.balanced, bool, "$.balanced")


RemittanceItem: TypeAlias = (
    RemittanceHeader | ClaimPayment | UnreadClaim | ProviderAdjustment | RemittanceBalance
    | X12Warning
)
"""One item of an :func:`iter_835` stream. For each transaction set, in order: a
:class:`RemittanceHeader`; each claim as soon as its segments are complete, a
:class:`~claimcore.remittance.ClaimPayment` or an :class:`UnreadClaim`; each
:class:`~claimcore.remittance.ProviderAdjustment` (``PLB``); a :class:`RemittanceBalance`.
An :class:`~claimcore.x12.X12Warning` comes as soon as it is found, between them."""

_ANY_REASON: Final = next(iter(ProviderAdjustmentReason))


@attrs.define(slots=True)
class _Tally:
    """What a stream has given of the open transaction set."""

    paid: Money = attrs.Factory(Money.zero)  # the read claims' CLP04
    claims: int = 0
    unread: int = 0  # UnreadClaim items given
    plbs: int = 0  # ProviderAdjustment items given


def _drain(reader: _Reader, state: _State, tally: _Tally,
           warnings: list[X12Warning]) -> Iterator[RemittanceItem]:
    """What the rows read so far completed, in file order: the warnings, then the claims
    (a read one precedes one set aside in the same row), then the ``PLB`` adjustments."""
    if warnings:
        yield from warnings
        warnings.clear()
    claims = state.claims
    if claims:
        for claim in claims:
            tally.paid += claim.paid
            yield claim
        tally.claims += len(claims)
        claims.clear()
    unread = reader.unread
    held = state.first_unread + tally.unread
    if len(unread) > held:
        yield from unread[held:]
        tally.unread = len(unread) - state.first_unread
    plbs = state.plbs
    if len(plbs) > tally.plbs:
        yield from plbs[tally.plbs:]
        tally.plbs = len(plbs)


def _header(reader: _Reader, t: RawTransaction, h: _Header) -> RemittanceHeader:
    payer, payee, paid_on = reader.header_values(t, h)
    assert h.method is not None and h.payment is not None
    st = reader.rows[t.st]
    return RemittanceHeader(
        segment_number=t.st + 1, control_number=_raw(st[2] if len(st) > 2 else ""),
        payer=payer, payee=payee, method=h.method, payment=h.payment, trace=h.trace,
        paid_on=paid_on,
    )


def _balance(reader: _Reader, state: _State, tally: _Tally, head: RemittanceHeader,
             se: int) -> RemittanceBalance:
    """The remittance-level check at the ``SE``: :meth:`_Reader.remittance`'s, without the
    claims (only their sum is held)."""
    t, h = state.t, state.header
    bpr02 = head.payment
    zero = Money.zero(bpr02.currency)
    first = state.first_unread
    unread = reader.unread[first:]
    payment = bpr02
    if unread:
        payment = reader.read_part(bpr02, tally.paid, state.plbs, unread, t.st + 1)
    # the Remittance's own rules decide: an adjustment of minus the claims' sum stands for
    # them (claim payments - adjustments is the same amount, so is any message)
    standing = [ProviderAdjustment(reason=_ANY_REASON, amount=-tally.paid)]
    reader.checked(t, h, head.payer, head.payee, head.paid_on, payment, (),
                   [*state.plbs, *standing],
                   bool(unread), reader.unread_errors[first:])
    plb_total = sum((p.amount for p in state.plbs), zero)
    known = [u.paid for u in unread if u.paid is not None]
    return RemittanceBalance(
        segment_number=se + 1, payment=payment, bpr02=bpr02, claims_paid=tally.paid,
        provider_adjustments_total=plb_total, unread_paid=sum(known, zero),
        claims=tally.claims, unread_claims=len(unread),
        balanced=len(known) == len(unread)
        and tally.paid + sum(known, zero) - plb_total == bpr02,
    )


def iter_835(chunks: Iterable[str]) -> Iterator[RemittanceItem]:
    """The remittances of an 835 that arrives in parts, one item at a time.

    ``chunks`` is any iterable of ``str`` (a file read in blocks, its lines; a segment or
    delimiter may be split across chunks): the library still does no I/O. The items are
    :data:`RemittanceItem` values. The checks and warnings are those of
    :func:`read_835_with_warnings`, claim salvage included; the warnings come as they are
    found, so in another order than its list (an envelope warning at its trailer, not
    first). An error the text holds is raised when the stream reaches it, after the items
    before it: a consumer that must not act on part of a file collects first (see
    :func:`collect_835`). Memory is bounded by the largest claim and chunk, not by the file.
    """
    # tuple rows, as read_835's: the collector stops walking them (see scan_frozen)
    delims, source, warnings = scan_chunks(chunks, freeze=True)
    window: dict[int, tuple[str, ...]] = {}  # the rows still needed, by index
    walker = EnvelopeWalker(window, warnings)
    reader = _Reader(window, delims, warnings, salvage=True)
    envelope = _ENVELOPE
    claim_ends = _CLAIM_ENDS
    step = reader.step
    state: _State | None = None
    t: RawTransaction | None = None
    tally = _Tally()
    head: RemittanceHeader | None = None
    body = low = -1  # the first row after the header, the first body row still held
    n = 0
    for i, row in enumerate(source):
        n = i + 1
        window[i] = row
        seg = row[0]
        if state is None or t is None:
            walker.step(i, row)
            t = walker.open
            if t is not None:
                require_set(window, t, st01="835", guide="005010X221A1",
                            values="remittances", is_a="an 835 remittance advice")
                if not t.version.startswith("005010X221"):
                    reader.warn(WarningCode.INVALID_VALUE,
                                "the group's version is not 005010X221A1; read as "
                                "005010X221A1", t.gs, "GS08")
                state = reader.begin(t)
                tally = _Tally()
                body = low = -1
            elif seg == "GE" or seg == "IEA":
                for k in [k for k in window if k != walker.isa or seg == "IEA"]:
                    del window[k]  # the group (interchange) is closed
            if warnings:
                yield from warnings
                warnings.clear()
            continue
        if seg in envelope:
            done = walker.step(i, row)  # raises for an ST, GS, GE, ISA or IEA here
            if done is not None:
                if i == t.st + 1:
                    raise X12Error("an 835 transaction set holds at least a BPR segment",
                                   segment_number=t.st + 1, segment_id="ST")
                if head is None:
                    head = _header(reader, t, state.header)
                    yield head
                reader.end_claims(state)
                yield from _drain(reader, state, tally, warnings)
                balance = _balance(reader, state, tally, head, i)
                yield from _drain(reader, state, tally, warnings)
                yield balance
                del reader.unread[state.first_unread:]
                reader.unread_errors.clear()
                for k in [k for k in window if k >= t.st]:
                    del window[k]
                state = t = head = None
                continue
        if i == t.st + 1 and seg != "BPR":
            reader.fail("an 835 begins with a BPR segment after the ST", i)
        if body < 0 and seg in claim_ends:
            body = low = i
            head = _header(reader, t, state.header)
            yield head
        step(i, state)
        if warnings or state.claims or state.plbs or len(reader.unread) > state.first_unread:
            yield from _drain(reader, state, tally, warnings)
        if body >= 0:
            claim = state.claim
            upto = claim.i if claim is not None else i + 1
            for k in range(low, upto):
                del window[k]
            if upto > low:
                low = upto
    walker.end(n)
    if warnings:
        yield from warnings
        warnings.clear()


def collect_835(items: Iterable[RemittanceItem]) -> X12Result:
    """What :func:`read_835_with_warnings` returns, from the items of :func:`iter_835`.

    For a file small enough to hold: read it as a stream, keep its values. Each
    remittance is built from its header, claims, adjustments and balance (its rules
    checked again); the warnings keep the stream's order.
    """
    remittances: list[Remittance] = []
    found: list[X12Warning] = []
    unread: list[UnreadClaim] = []
    header: RemittanceHeader | None = None
    claims: list[ClaimPayment] = []
    plbs: list[ProviderAdjustment] = []
    for item in items:
        if isinstance(item, X12Warning):
            found.append(item)
        elif isinstance(item, RemittanceHeader):
            header, claims, plbs = item, [], []
        elif isinstance(item, ClaimPayment):
            claims.append(item)
        elif isinstance(item, UnreadClaim):
            unread.append(item)
        elif isinstance(item, ProviderAdjustment):
            plbs.append(item)
        elif header is not None:
            remittances.append(Remittance(
                payer=header.payer, payee=header.payee, method=header.method,
                payment=item.payment, trace=header.trace, paid_on=header.paid_on,
                claims=claims, provider_adjustments=plbs,
            ))
            header = None
    return X12Result(remittances, found, unread)
