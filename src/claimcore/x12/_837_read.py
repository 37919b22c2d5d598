"""The 837 health care claim read: professional (005010X222A1) and institutional
(005010X223A2) into :class:`~claimcore.claims.Claim` values.

The reader follows the hierarchy the writer (:mod:`claimcore.x12._837`) produces and the
guides allow: billing provider (``HL`` 20, loop 2010AA), subscriber (22: ``SBR``, 2010BA,
2010BB), patient (23: ``PAT``, 2010CA), then each claim (2300 ``CLM`` with its dates,
references and ``HI`` diagnoses; 2310x providers; 2320/2330A/2330B other payers; 2400
lines with 2410 drugs, 2420x line providers and 2430 line adjudications). A read claim is
a ``draft`` with no history: the sender's lifecycle is not the receiver's.

An 837I claim's UB-04 codes are read back into the claim: ``POA`` indicators
(``HI0x-9`` of ``ABK``/``ABF``), the DRG (``DR``), ICD-10-PCS procedures (``BBR``/``BBQ``),
occurrence spans (``BI``), occurrences (``BH``), value codes (``BE``) and condition codes
(``BG``); a Medicare secondary coverage takes its MSP type from ``SBR05`` on an 837P and
from its one MSP value code (12-16, 41-43, 47) on an 837I. What a
:class:`~claimcore.claims.Claim` cannot hold (an ICD-9 diagnosis, a POA indicator or
UB-04 code on an 837P, a pay-to address, a segment claimcore has no field for) is an
:class:`~claimcore.x12.X12Warning` with code ``not-held``, naming the segment and element;
nothing is dropped silently. What a ``Claim`` needs and an 837 does not carry (a medical
record number without ``REF*EA``, a payer's timely-filing limit, a plan type, a
non-patient subscriber's birth date) comes from :class:`Read837Defaults`.

A fault inside one claim (its ``CLM`` up to the next claim or ``HL``), or in the billing
provider or subscriber levels above it, sets that claim aside as an
:class:`Unread837Claim` and never costs the other claims: the salvage of
:func:`~claimcore.x12.read_835_with_warnings`. The strict :func:`read_837` raises.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any, Final, TypeAlias

import attrs

from claimcore._validate import an_int, instance, members, optional_instance, text, to_tuple
from claimcore.adjustments import Adjustment
from claimcore.claims import (
    AdmissionInfo,
    Claim,
    ClaimKind,
    ClaimLine,
    InpatientProcedure,
    LineAdjudication,
    Occurrence,
    OccurrenceSpan,
    OtherPayer,
    ValueAmount,
)
from claimcore.codes import (
    CARC,
    DRG,
    ICD10CM,
    ICD10PCS,
    NDC,
    AdjustmentGroup,
    ClaimFrequency,
    ConditionCode,
    Modifier,
    OccurrenceCode,
    OccurrenceSpanCode,
    PlaceOfService,
    PresentOnAdmission,
    RevenueCode,
    TypeOfBill,
    ValueCode,
    procedure_code,
)
from claimcore.coverage import (
    Coverage,
    CoverageOrder,
    MedicareSecondaryType,
    Payer,
    PayerKind,
    Plan,
    PlanType,
    Relationship,
    Subscriber,
    TimelyFiling,
)
from claimcore.errors import ValidationError
from claimcore.ids import (
    NPI,
    ClaimId,
    MedicalRecordNumber,
    MemberId,
    PayerClaimNumber,
    PayerId,
    TaxId,
)
from claimcore.money import Money
from claimcore.patients import Address, AdministrativeSex, Patient, PersonName
from claimcore.periods import Period
from claimcore.providers import Facility, Organization, Provider
from claimcore.x12._elements import MAX_CAS_TRIPLETS, ElementReader
from claimcore.x12._envelope import EnvelopeWalker, RawTransaction, require_set, transactions
from claimcore.x12._tokens import Delimiters, Rows, scan_chunks
from claimcore.x12._warnings import ReadResult, WarningCode, X12Error, X12Warning

__all__ = [
    "Read837Defaults",
    "Read837Item",
    "Read837Result",
    "Unread837Claim",
    "collect_837",
    "iter_837",
    "read_837",
    "read_837_with_warnings",
]

_PROFESSIONAL: Final = "005010X222"
_INSTITUTIONAL: Final = "005010X223"
_MAX_RAW: Final = 80
_MAX_REASON: Final = 500
_FILING: Final = {
    "MA": PayerKind.MEDICARE, "MB": PayerKind.MEDICARE, "16": PayerKind.MEDICARE,
    "MC": PayerKind.MEDICAID, "CH": PayerKind.TRICARE, "WC": PayerKind.WORKERS_COMPENSATION,
    "AM": PayerKind.AUTO, "ZZ": PayerKind.SELF_PAY,
}
"""``SBR09`` claim filing indicator to payer kind; every other code (``CI``, ``BL``, ``HM``,
``12``...) is a commercial payer (the writer's table, read back)."""
_ORDERS: Final = {o.value: o for o in CoverageOrder}
_RELATIONSHIPS: Final = {r.value: r for r in Relationship}
_GROUPS: Final = {g.value: g for g in AdjustmentGroup}
_SEXES: Final = {s.value: s for s in AdministrativeSex}
_PROCEDURE_QUALIFIERS: Final = frozenset({"HC", "HP", "AD", "ER", "IV", "WK"})
_CAS_END: Final = 2 + 3 * MAX_CAS_TRIPLETS
_MSP_TYPES: Final = {t.value: t for t in MedicareSecondaryType}
_AMOUNT_TEXT: Final = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_HOUR: Final = re.compile(r"([01][0-9]|2[0-3])[0-5][0-9](?:[0-9]{2})?")
_OTHER_SEPARATOR: Final = re.compile(r"[^A-Za-z0-9 .\-]")
_TAXONOMY: Final = re.compile(r"[0-9]{3}[0-9A-Z]{6}X")
_PADDED_NUMBER: Final = re.compile(r"([0-9]+)\.0*")
_ENVELOPE_IDS: Final = frozenset({"ISA", "GS", "ST", "SE", "GE", "IEA"})
_CLAIM_END: Final = frozenset({"CLM", "HL"})
# CLM06-CLM09 as claimcore writes them; another value is an indicator Claim cannot hold
_CLM_DEFAULTS: Final = {6: ("Y", ""), 7: ("A",), 8: ("Y",), 9: ("Y", "I")}


@attrs.frozen(kw_only=True)
class Read837Defaults:
    """What :func:`read_837` puts in the fields a :class:`~claimcore.claims.Claim` needs
    and an 837 does not carry.

    ``mrn`` is the patient's medical record number when the claim has no ``REF*EA``;
    ``birth_date`` and ``sex`` a subscriber's who is not the patient and has no ``DMG``
    (2010BA, 2330A); ``timely_filing`` every payer's filing limit; ``plan_type`` every
    plan's design; ``plan_name`` a plan's name when ``SBR04`` is empty (the writer puts
    the group number in ``SBR03`` instead). A coverage's period starts on the claim's
    first date of service and stays open: the claim says it was in force then, nothing
    more.

    >>> Read837Defaults().timely_filing
    TimelyFiling(months=12, days=0)
    """

    mrn: MedicalRecordNumber = attrs.field(factory=lambda: MedicalRecordNumber("UNKNOWN"))
    birth_date: date = date(1900, 1, 1)
    sex: AdministrativeSex = AdministrativeSex.UNKNOWN
    timely_filing: TimelyFiling = attrs.field(factory=lambda: TimelyFiling(months=12))
    plan_type: PlanType = PlanType.OTHER
    plan_name: str = "Not given"

    def __attrs_post_init__(self) -> None:
        instance(self.mrn, MedicalRecordNumber, "$.mrn")
        instance(self.birth_date, date, "$.birth_date")
        instance(self.sex, AdministrativeSex, "$.sex")
        instance(self.timely_filing, TimelyFiling, "$.timely_filing")
        instance(self.plan_type, PlanType, "$.plan_type")
        Plan(name=self.plan_name, plan_type=self.plan_type)  # the same checks as a plan's


DEFAULTS: Final = Read837Defaults()


def _raw(value: str) -> str:
    return value[:_MAX_RAW]


@attrs.frozen(kw_only=True)
class Unread837Claim:
    """A claim of an 837 that :func:`read_837_with_warnings` could not read.

    ``segment_number`` is its ``CLM`` segment's position in the file (the ``ISA`` is 1);
    ``reason`` the error that stopped it, with the segment and element it is about (in the
    claim, or in the billing provider or subscriber levels above it). ``clm01`` and
    ``clm02`` are the ``CLM`` elements as sent (patient control number, total charge);
    ``charge`` is ``CLM02`` as :class:`~claimcore.money.Money` when it is an amount.

    >>> from claimcore.money import Money
    >>> Unread837Claim(segment_number=30, reason="segment 30 (CLM), CLM02: is required",
    ...                clm01="PCN1").charge is None
    True
    """

    segment_number: int
    reason: str
    clm01: str = ""
    clm02: str = ""
    charge: Money | None = None

    def __attrs_post_init__(self) -> None:
        an_int(self.segment_number, "$.segment_number", low=1)
        text(self.reason, "$.reason", max_len=_MAX_REASON)
        for name in ("clm01", "clm02"):
            value = instance(getattr(self, name), str, f"$.{name}")
            if len(value) > _MAX_RAW:
                raise ValidationError(f"must have at most {_MAX_RAW} characters, got "
                                      f"{len(value)}", path=f"$.{name}", rule="length")
        optional_instance(self.charge, Money, "$.charge")


def _unread(value: Iterable[Unread837Claim]) -> tuple[Unread837Claim, ...]:
    return to_tuple(value)


@attrs.frozen
class Read837Result(ReadResult[Claim]):
    """What :func:`read_837_with_warnings` found: the claims (``values``, also named
    ``claims``), the warnings (what was tolerated, and what a ``Claim`` cannot hold), and
    the claims it could not read (``unread_claims``, each also a ``claim-not-read``
    warning)."""

    unread_claims: tuple[Unread837Claim, ...] = attrs.field(default=(), converter=_unread)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        members(self.values, Claim, "$.values")
        members(self.unread_claims, Unread837Claim, "$.unread_claims")

    @property
    def claims(self) -> tuple[Claim, ...]:
        """The claims read, in the order of the file (the same as ``values``)."""
        return self.values


# ---------------------------------------------------------------- the hierarchy


@attrs.define(slots=True)
class _Level:
    """One ``HL`` level's own segments (row indices), and its parent level."""

    hl: int
    code: str
    rows: list[int] = attrs.Factory(list)
    parent: _Level | None = None
    built: Organization | X12Error | None = None  # a billing level, read once


@attrs.define(slots=True)
class _Entity:
    """An ``NM1`` and the segments that describe it (``N3``, ``N4``, ``REF``, ``PRV``...)."""

    nm1: int
    rows: list[int] = attrs.Factory(list)


@attrs.define(slots=True)
class _Line:
    i: int  # the LX row
    rows: list[int] = attrs.Factory(list)


@attrs.define(slots=True)
class _OtherPayerRows:
    sbr: int
    rows: list[int] = attrs.Factory(list)  # 2320 segments (CAS, AMT, OI, ...)
    entities: list[_Entity] = attrs.Factory(list)  # 2330A-G


@attrs.define(slots=True)
class _Adjudication:
    svd: int
    rows: list[int] = attrs.Factory(list)


@attrs.define(slots=True)
class _Diagnoses:
    """The diagnoses of a claim's ``HI`` segments, by role (the 837I adds its codes here)."""

    principal: list[ICD10CM] = attrs.Factory(list)
    admitting: list[ICD10CM] = attrs.Factory(list)
    others: list[ICD10CM] = attrs.Factory(list)
    seen: int = 0  # HI composites read, ICD-9 and not-held ones included
    poa: dict[str, list[PresentOnAdmission | None]] = attrs.Factory(
        lambda: {"principal": [], "others": []})
    ub04: dict[str, list[Any]] = attrs.Factory(lambda: {
        "drg": [], "procedures": [], "occurrence_spans": [], "occurrences": [],
        "value_codes": [], "condition_codes": []})


_HI_ROLES: Final = {"ABK": "principal", "ABJ": "admitting", "ABF": "others"}
"""ICD-10-CM diagnosis qualifiers (``HI0n-1``) and the role they fill."""
_HI_ICD9: Final = {"BK": "principal", "BJ": "admitting", "BF": "other", "PR": "reason-for-visit",
                   "BN": "external cause"}
_HI_INSTITUTIONAL: Final = {
    "DR": "a DRG", "BBR": "a principal ICD-10-PCS procedure", "BBQ": "an ICD-10-PCS procedure",
    "BI": "an occurrence span code", "BH": "an occurrence code", "BE": "a value code",
    "BG": "a condition code",
}
"""``HI`` qualifiers an institutional Claim holds (a professional one has no field)."""
_HI_NOT_HELD: Final = {
    "APR": "a reason-for-visit diagnosis", "ABN": "an external-cause-of-injury code",
    "BR": "an ICD-9-CM principal procedure", "BQ": "an ICD-9-CM procedure",
    "TC": "a treatment code", "BP": "an HCPCS principal procedure",
    "BO": "an HCPCS procedure", "CAH": "an advanced billing concept code",
    **_HI_INSTITUTIONAL,
}
"""``HI`` qualifiers a Claim has no field for: each composite read is a warning."""


def _msp_from_value_codes(coverage: Coverage, values: list[ValueAmount]) -> Coverage:
    """A Medicare secondary coverage of an 837I with the reason its MSP value code gives
    (the 837I has no ``SBR05``; the value code of the same number stands in for it)."""
    if (coverage.payer.kind is not PayerKind.MEDICARE
            or coverage.order is CoverageOrder.PRIMARY
            or coverage.medicare_secondary_type is not None):
        return coverage
    found = [_MSP_TYPES[v.code.code] for v in values if v.code.code in _MSP_TYPES]
    if len(found) != 1:
        return coverage
    return attrs.evolve(coverage, medicare_secondary_type=found[0])


class _Reader(ElementReader):
    """Reads the rows of one 837 transaction set into claims."""

    def __init__(self, rows: Rows, delims: Delimiters, warnings: list[X12Warning],
                 *, salvage: bool, defaults: Read837Defaults) -> None:
        super().__init__(rows, delims, warnings)
        self.salvage = salvage
        self.defaults = defaults
        self.unread: list[Unread837Claim] = []
        self.kind = ClaimKind.PROFESSIONAL

    # -- salvage -------------------------------------------------------------------------

    def lose(self, i: int, err: X12Error) -> None:
        if not self.salvage:
            raise err
        row = self.rows[i]
        reason = str(err)[:_MAX_REASON]
        try:
            charge = self.money(i, 2, required=False)
        except X12Error:
            charge = None
        self.unread.append(Unread837Claim(segment_number=i + 1, reason=reason,
                                          clm01=_raw(self.el(row, 1)),
                                          clm02=_raw(self.el(row, 2)), charge=charge))
        self.warn(WarningCode.CLAIM_NOT_READ,
                  f"the claim was not read and is in unread_claims: {reason}"[:_MAX_REASON],
                  i, "CLM01")

    def not_held(self, i: int, what: str, element: str | None = None) -> None:
        self.warn(WarningCode.NOT_HELD, f"{what}: a Claim has no field for it; it was not "
                  "read into the claim", i, element)

    def segment_not_held(self, i: int, loop: str) -> None:
        self.not_held(i, f"this {self.rows[i][0]} segment (loop {loop}) holds data")

    # -- the transaction set -------------------------------------------------------------

    def read(self, t: RawTransaction) -> Iterator[Claim]:
        """The claims of transaction set ``t``, in order (each set aside or yielded)."""
        walk = _Walk(self)
        for i in range(t.st + 1, t.se):
            yield from walk.step(i)
        yield from walk.end()

    def level(self, i: int, levels: dict[str, _Level]) -> _Level:
        row = self.rows[i]
        code = self.el(row, 3)
        if code not in ("20", "22", "23"):
            self.fail("an 837 has billing provider (20), subscriber (22) and patient (23) "
                      "levels", i, "HL03")
        parent = levels.get(self.el(row, 2)) if code != "20" else None
        wanted = {"22": "20", "23": "22"}.get(code)
        if wanted is not None and (parent is None or parent.code != wanted):
            parent = levels.get(f"last {wanted}")
            if parent is None:
                self.fail("names a parent level (HL02) the 837 does not have before it", i,
                          "HL02")
            self.warn(WarningCode.INVALID_VALUE,
                      f"HL02 does not name the "
                      f"{'billing provider' if wanted == '20' else 'subscriber'} level "
                      "before it; the last one was used", i, "HL02")
        level = _Level(hl=i, code=code, parent=parent)
        levels[self.el(row, 1)] = level
        levels[f"last {code}"] = level
        return level

    def claim(self, rows: list[int], level: _Level | None) -> Iterator[Claim]:
        if level is None:  # pragma: no cover - read() checked the CLM's level
            return
        first = len(self.warnings)
        try:
            built: Claim | None = self.build(rows, level)
        except X12Error as err:
            self.lose(rows[0], err)
            built = None
        # the parts of a claim are read in the order they depend on each other; its
        # warnings are reported in the order of the file
        self.warnings[first:] = sorted(self.warnings[first:],
                                       key=lambda w: w.segment_number or 0)
        if built is not None:
            yield built

    # -- levels --------------------------------------------------------------------------

    def chain(self, level: _Level) -> tuple[_Level, _Level, _Level | None]:
        """(billing, subscriber, patient) levels of a claim's level."""
        patient: _Level | None = None
        if level.code == "23":
            patient, level = level, level.parent  # type: ignore[assignment]
        if level is None or level.code != "22" or level.parent is None:
            i = (patient or level).hl if (patient or level) is not None else 0
            self.fail("a patient level (23) is under a subscriber level (22), under a "
                      "billing provider level (20)", i, "HL02")
        billing = level.parent
        if billing.code != "20":
            self.fail("a subscriber level (22) is under a billing provider level (20)",
                      level.hl, "HL02")
        return billing, level, patient

    def entities(self, rows: list[int], loop: str) -> tuple[list[int], list[_Entity]]:
        """The rows before the first ``NM1``, and each ``NM1`` with the rows after it."""
        head: list[int] = []
        found: list[_Entity] = []
        for i in rows:
            if self.rows[i][0] == "NM1":
                found.append(_Entity(nm1=i))
            elif found:
                found[-1].rows.append(i)
            else:
                head.append(i)
        return head, found

    def billing(self, level: _Level) -> Organization:
        """The billing provider of a level, read (and warned about) once for its claims."""
        built = level.built
        if built is None:
            try:
                built = self.read_billing(level)
            except X12Error as err:
                built = err
            level.built = built
        if isinstance(built, X12Error):
            raise built
        return built

    def read_billing(self, level: _Level) -> Organization:
        head, entities = self.entities(level.rows, "2000A")
        taxonomy: str | None = None
        for i in head:
            row = self.rows[i]
            if row[0] == "PRV" and self.el(row, 1) == "BI":
                taxonomy = self.taxonomy(i)
            else:
                self.segment_not_held(i, "2000A")
        org: Organization | None = None
        for e in entities:
            code = self.el(self.rows[e.nm1], 1)
            if code == "85" and org is None:
                org = self.organization(e, taxonomy)
            else:
                loop = {"87": "2010AB", "PE": "2010AC"}.get(code, "2010A")
                self.not_held(e.nm1, f"this {'pay-to' if code in ('87', 'PE') else 'other'} "
                              f"party (loop {loop})", "NM101")
        if org is None:
            self.fail("the billing provider level has no billing provider (NM1*85, loop "
                      "2010AA)", level.hl)
        return org

    def organization(self, e: _Entity, taxonomy: str | None) -> Organization:
        i = e.nm1
        row = self.rows[i]
        name = self.el(row, 3)
        if self.el(row, 2) == "1" and self.el(row, 4):
            name = f"{name} {self.el(row, 4)}"
        npi = self.npi(i)
        address: Address | None = None
        tax_id: TaxId | None = None
        for k in e.rows:
            seg = self.rows[k]
            if seg[0] in ("N3", "N4"):
                continue
            if seg[0] == "REF" and self.el(seg, 1) in ("EI", "SY") and tax_id is None:
                tax_id = self.tax_id(k)
            else:
                self.segment_not_held(k, "2010AA")
        address = self.full_address(e)
        if tax_id is None:
            self.fail("the billing provider has a tax id (REF*EI, loop 2010AA)", i)
        try:
            return Organization(npi=npi, name=name, tax_id=tax_id, address=address,
                                taxonomy=taxonomy)
        except ValidationError as err:
            self.fail(err.message, i, "NM103")

    def parts(self, i: int, k: int) -> list[str]:
        """The components of element ``k``, also when written with another separator than
        ``ISA16`` whose first part is not a qualifier (``CLM05`` of ``11>B>1``)."""
        parts = self.composite(i, k)
        if len(parts) == 1:
            other = _OTHER_SEPARATOR.search(parts[0])
            if other is not None:
                self.warn(WarningCode.COMPOSITE_SEPARATOR,
                          "this composite is written with another separator than ISA16; "
                          "it was read with that separator", i, self.name(self.rows[i], k))
                return parts[0].split(other.group())
        return parts

    def taxonomy(self, i: int) -> str | None:
        """``PRV03``: a NUCC taxonomy code, or ``None`` (with a warning) when it is not one."""
        value = self.el(self.rows[i], 3)
        if not value:
            return None
        if _TAXONOMY.fullmatch(value) is None:
            self.warn(WarningCode.INVALID_VALUE, "is not a NUCC taxonomy code (ten "
                      "characters ending in X); it was ignored", i, "PRV03")
            return None
        return value

    def tax_id(self, i: int) -> TaxId:
        try:
            return TaxId(self.el(self.rows[i], 2))
        except ValidationError as err:
            self.fail(err.message, i, "REF02")

    def npi(self, i: int, *, required: bool = True) -> NPI:
        row = self.rows[i]
        if self.el(row, 8) != "XX" or not self.el(row, 9):
            self.fail("identifies the provider by its NPI (NM108 XX, NM109)", i, "NM108")
        try:
            return NPI(self.el(row, 9))
        except ValidationError as err:
            self.fail(err.message, i, "NM109")

    def person(self, i: int) -> PersonName:
        row = self.rows[i]
        el = self.el
        try:
            return PersonName(family=el(row, 3), given=el(row, 4) or None,
                              middle=el(row, 5) or None, prefix=el(row, 6) or None,
                              suffix=el(row, 7) or None)
        except ValidationError as err:
            part = {"$.given": "NM104", "$.middle": "NM105", "$.prefix": "NM106",
                    "$.suffix": "NM107"}.get(err.path or "", "NM103")
            self.fail(err.message, i, part)

    def full_address(self, e: _Entity) -> Address:
        address = self.address(e, required=True)
        if address is None:  # pragma: no cover - address() failed when it was missing
            self.fail("an address has an N3 and an N4 segment", e.nm1)
        return address

    def address(self, e: _Entity, *, required: bool = False) -> Address | None:
        n3 = n4 = -1
        for k in e.rows:
            seg = self.rows[k][0]
            if seg == "N3" and n3 < 0:
                n3 = k
            elif seg == "N4" and n4 < 0:
                n4 = k
        if n3 < 0 or n4 < 0:
            if required or n3 >= 0 or n4 >= 0:
                self.fail("an address has an N3 and an N4 segment", e.nm1)
            return None
        lines = [v for v in self.rows[n3][1:3] if v]
        row = self.rows[n4]
        el = self.el
        country = el(row, 4) or "US"
        state = el(row, 2) if country in ("US", "CA") else el(row, 7)
        try:
            return Address(lines=lines, city=el(row, 1), state=state,
                           postal_code=el(row, 3), country=country)
        except ValidationError as err:
            where = {"$.lines": (n3, "N301")}.get((err.path or "").split("[")[0])
            k, element = where or (n4, {"$.city": "N401", "$.state": "N402",
                                        "$.postal_code": "N403",
                                        "$.country": "N404"}.get(err.path or "", "N401"))
            self.fail(err.message, k, element)

    def demographics(self, i: int) -> tuple[date, AdministrativeSex]:
        row = self.rows[i]
        if self.el(row, 1) != "D8":
            self.fail("a birth date is written as D8 (CCYYMMDD)", i, "DMG01")
        born = self.day(i, 2, quiet=True)
        if born is None:
            self.fail("is required: the birth date (CCYYMMDD)", i, "DMG02")
        sex = _SEXES.get(self.el(row, 3))
        if sex is None:
            self.fail("must be F, M or U", i, "DMG03")
        return born, sex

    # -- subscriber and patient ---------------------------------------------------------

    def coverage_parts(self, sbr: int, entities: list[_Entity], *, other: bool,
                       loop: str, start: date) -> Coverage:
        """A coverage from an ``SBR`` and its subscriber (``NM1*IL``) and payer (``NM1*PR``)."""
        row = self.rows[sbr]
        el = self.el
        order = _ORDERS.get(el(row, 1))
        if order is None:
            self.fail("must be a payer responsibility code (P, S, T, A-H)", sbr, "SBR01")
        relationship = Relationship.SELF if el(row, 2) == "18" else Relationship.OTHER
        if other:
            relationship = _RELATIONSHIPS.get(el(row, 2), Relationship.OTHER)
            if el(row, 2) not in _RELATIONSHIPS:
                self.fail("must be an individual relationship code", sbr, "SBR02")
        group = el(row, 3) or None
        plan_name = el(row, 4) or self.defaults.plan_name
        kind = _FILING.get(el(row, 9), PayerKind.COMMERCIAL)
        msp: MedicareSecondaryType | None = None
        insurance_type = el(row, 5)
        if (insurance_type and self.kind is ClaimKind.PROFESSIONAL
                and kind is PayerKind.MEDICARE and order is not CoverageOrder.PRIMARY):
            msp = _MSP_TYPES.get(insurance_type)
            if msp is None:
                self.fail("must be a Medicare secondary payer insurance type code (12-16, "
                          "41-43, 47)", sbr, "SBR05")
        for k in (5, 6, 7, 8):
            if el(row, k) and not (k == 5 and msp is not None):
                self.not_held(sbr, "an insurance type, coordination of benefits or "
                              "employment code", f"SBR{k:02d}")
        subscriber_e = payer_e = None
        for e in entities:
            code = el(self.rows[e.nm1], 1)
            if code == "IL" and subscriber_e is None:
                subscriber_e = e
            elif code == "PR" and payer_e is None:
                payer_e = e
            else:
                self.not_held(e.nm1, f"this party (loop {loop}, NM1*{code[:3]})", "NM101")
        if subscriber_e is None:
            self.fail(f"a subscriber (NM1*IL) follows the SBR (loop {loop})", sbr)
        if payer_e is None:
            self.fail(f"a payer (NM1*PR) follows the subscriber (loop {loop})", sbr)
        member = self.member_id(subscriber_e.nm1)
        born, sex = self.defaults.birth_date, self.defaults.sex
        for k in subscriber_e.rows:
            seg = self.rows[k][0]
            if seg == "DMG":
                born, sex = self.demographics(k)
            elif seg not in ("N3", "N4"):
                self.segment_not_held(k, loop)
        try:
            subscriber = Subscriber(member_id=member, name=self.person(subscriber_e.nm1),
                                    birth_date=born, sex=sex,
                                    address=self.address(subscriber_e))
        except ValidationError as err:  # pragma: no cover - every part was checked
            self.fail(err.message, subscriber_e.nm1)
        payer = self.payer(payer_e, kind, loop)
        try:
            return Coverage(
                payer=payer, plan=Plan(name=plan_name, plan_type=self.defaults.plan_type),
                member_id=member, group_number=group, subscriber=subscriber,
                relationship=relationship, period=Period(start), order=order,
                medicare_secondary_type=msp,
            )
        except ValidationError as err:
            self.fail(err.message, sbr, "SBR03" if err.path == "$.group_number" else "SBR04")

    def member_id(self, i: int) -> MemberId:
        row = self.rows[i]
        try:
            return MemberId(self.el(row, 9))
        except ValidationError as err:
            self.fail(err.message, i, "NM109")

    def payer(self, e: _Entity, kind: PayerKind, loop: str) -> Payer:
        row = self.rows[e.nm1]
        for k in e.rows:
            seg = self.rows[k]
            if not (seg[0] == "DTP" and self.el(seg, 1) == "573"):  # read by other_payer()
                self.segment_not_held(k, loop)
        try:
            payer_id = PayerId(self.el(row, 9))
        except ValidationError as err:
            self.fail(err.message, e.nm1, "NM109")
        try:
            return Payer(payer_id=payer_id, name=self.el(row, 3), kind=kind,
                         timely_filing=self.defaults.timely_filing)
        except ValidationError as err:
            self.fail(err.message, e.nm1, "NM103")

    # -- the claim -----------------------------------------------------------------------

    def build(self, rows: list[int], level: _Level) -> Claim:
        billing_level, subscriber_level, patient_level = self.chain(level)
        billing = self.billing(billing_level)
        clm = rows[0]
        head: list[int] = []
        providers: list[_Entity] = []
        others: list[_OtherPayerRows] = []
        lines: list[_Line] = []
        for i in rows[1:]:
            seg = self.rows[i][0]
            if seg == "LX":
                lines.append(_Line(i=i))
            elif lines:
                lines[-1].rows.append(i)
            elif seg == "SBR":
                others.append(_OtherPayerRows(sbr=i))
            elif others:
                if seg == "NM1":
                    others[-1].entities.append(_Entity(nm1=i))
                elif others[-1].entities:
                    others[-1].entities[-1].rows.append(i)
                else:
                    others[-1].rows.append(i)
            elif seg == "NM1":
                providers.append(_Entity(nm1=i))
            elif providers:
                providers[-1].rows.append(i)
            else:
                head.append(i)
        if not lines:
            self.fail("a claim has at least one service line (LX, loop 2400)", clm)
        fields = self.header(clm, head)
        line_values = [self.line(line, n, fields) for n, line in enumerate(lines, 1)]
        start = min(v[0].service_period.start for v in line_values)
        coverage, patient = self.subscriber(subscriber_level, patient_level, start,
                                            fields.pop("mrn"))
        coverage = _msp_from_value_codes(coverage, fields.get("value_codes", ()))
        fields.update(self.providers(providers))
        facility = fields.pop("facility_entity", None)
        if facility is not None:
            fields["facility"] = self.facility(facility, fields.get("place_of_service"))
        adjudications = [v[1] for v in line_values]
        other_payers = [op for op in (self.other_payer(o, adjudications, start)
                                      for o in others) if op is not None]
        total = fields.pop("total")
        try:
            return Claim(
                billing_provider=billing, patient=patient, coverage=coverage,
                kind=self.kind, lines=[v[0] for v in line_values], total_charge=total,
                other_payers=other_payers, **fields,
            )
        except ValidationError as err:
            element = {"$.total_charge": "CLM02", "$.original_claim_number": "CLM05-3",
                       "$.diagnoses": "HI01"}.get(err.path or "", "CLM01")
            self.fail(err.message, clm, element)

    def header(self, clm: int, head: list[int]) -> dict[str, Any]:
        """Loop 2300: ``CLM``, its dates, references, ``CL1`` and ``HI``."""
        row = self.rows[clm]
        el = self.el
        fields: dict[str, Any] = {}
        try:
            fields["id"] = ClaimId(el(row, 1))
        except ValidationError as err:
            self.fail(err.message, clm, "CLM01")
        fields["total"] = self.amount(clm, 2)
        parts = self.parts(clm, 5)
        facility = parts[0] if parts else ""
        frequency_code = parts[2] if len(parts) > 2 else ""
        try:
            frequency = ClaimFrequency(frequency_code or "1")
        except ValidationError as err:
            self.fail(err.message, clm, "CLM05-3")
        fields["frequency"] = frequency
        if self.kind is ClaimKind.PROFESSIONAL:
            fields["place_of_service"] = self.code(PlaceOfService, facility, clm, "CLM05-1")
        else:
            fields["type_of_bill"] = self.code(TypeOfBill, facility + frequency.value, clm,
                                               "CLM05-1")
        for k, allowed in _CLM_DEFAULTS.items():
            if el(row, k) not in allowed:
                self.not_held(clm, "an indicator other than claimcore assumes (signature, "
                              "assignment, benefits, release)", f"CLM{k:02d}")
        for k in range(10, 21):
            if el(row, k):
                self.not_held(clm, "a claim indicator or code (related causes, special "
                              "program, delay reason...)", f"CLM{k:02d}")
        fields["mrn"] = None
        diagnoses = _Diagnoses()
        admission: dict[str, Any] = {}
        for i in head:
            seg = self.rows[i]
            tag = seg[0]
            if tag == "REF":
                self.reference(i, fields)
            elif tag == "HI":
                self.hi(i, diagnoses)
            elif tag == "DTP" and self.kind is ClaimKind.INSTITUTIONAL and el(seg, 1) in (
                    "096", "434", "435"):
                self.admission_date(i, admission)
            elif tag == "CL1" and self.kind is ClaimKind.INSTITUTIONAL:
                for name, k in (("admission_type", 1), ("admission_source", 2),
                                ("discharge_status", 3)):
                    admission[name] = (el(seg, k) or None, i, k)
            else:
                self.segment_not_held(i, "2300")
        fields["diagnoses"] = [*diagnoses.principal, *diagnoses.others]
        if diagnoses.admitting:
            fields["admitting_diagnosis"] = diagnoses.admitting[0]
        if self.kind is ClaimKind.INSTITUTIONAL:
            fields["admission"] = self.admission(clm, admission)
            fields["present_on_admission"] = [*diagnoses.poa["principal"],
                                              *diagnoses.poa["others"]]
            found = diagnoses.ub04
            drgs = found.pop("drg")
            if len(drgs) > 1:
                self.not_held(clm, "a second DRG", "HI01")
            fields["drg"] = drgs[0] if drgs else None
            fields.update(found)
        return fields

    def reference(self, i: int, fields: dict[str, Any]) -> None:
        row = self.rows[i]
        qualifier = self.el(row, 1)
        value = self.el(row, 2)
        try:
            if qualifier == "G1" and "prior_authorization" not in fields:
                text(value, "$", pattern=re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./_-]{0,49}"),
                     expected="1 to 50 letters, digits or ./_- ")
                fields["prior_authorization"] = value
            elif qualifier == "F8" and "original_claim_number" not in fields:
                fields["original_claim_number"] = PayerClaimNumber(value)
            elif qualifier == "EA" and fields.get("mrn") is None:
                fields["mrn"] = MedicalRecordNumber(value)
            else:
                self.segment_not_held(i, "2300")
        except ValidationError as err:
            self.fail(err.message, i, "REF02")

    def hi(self, i: int, diagnoses: _Diagnoses) -> None:
        row = self.rows[i]
        skip = False
        for k in range(1, len(row)):
            if not row[k] or skip:
                skip = False
                continue
            parts = self.composite(i, k)
            qualifier = parts[0]
            if len(parts) == 1 and k + 1 < len(row) and (
                    qualifier in _HI_ROLES or qualifier in _HI_ICD9):
                self.warn(WarningCode.MALFORMED_COMPOSITE,
                          "a diagnosis composite was sent as two elements (qualifier, then "
                          "code); it was read as one", i, f"HI{k:02d}")
                parts = [qualifier, row[k + 1]]
                skip = True
            code = parts[1] if len(parts) > 1 else ""
            element = f"HI{k:02d}"
            diagnoses.seen += 1
            role = _HI_ROLES.get(qualifier)
            institutional = self.kind is ClaimKind.INSTITUTIONAL
            if role is not None:
                dx = self.code(ICD10CM, code, i, f"{element}-2")
                getattr(diagnoses, role).append(dx)
                poa = parts[8] if len(parts) > 8 else ""
                if role != "admitting" and institutional:
                    diagnoses.poa[role].append(
                        self.code(PresentOnAdmission, poa, i, f"{element}-9") if poa else None)
                elif poa:
                    self.not_held(i, "a present-on-admission indicator", f"{element}-9")
            elif qualifier in _HI_INSTITUTIONAL and institutional:
                self.ub04_code(i, element, parts, diagnoses)
            elif qualifier in _HI_ICD9:
                self.not_held(i, f"an ICD-9-CM {_HI_ICD9[qualifier]} diagnosis "
                              f"({qualifier} {code[:8]}); Claim holds ICD-10-CM codes",
                              f"{element}-1")
            elif qualifier in _HI_NOT_HELD:
                self.not_held(i, f"{_HI_NOT_HELD[qualifier]} ({qualifier})",
                              f"{element}-1")
            else:
                self.fail("is not a health care code qualifier of the 837 (ABK, ABF, ABJ, "
                          "BK, BF, BG, BH, BI, BE, DR, ...)", i, f"{element}-1")

    def ub04_code(self, i: int, element: str, parts: list[str], diagnoses: _Diagnoses
                  ) -> None:
        """One 837I ``HI`` composite of a UB-04 code: DR, BBR/BBQ, BI, BH, BE or BG."""
        qualifier = parts[0]
        code = parts[1] if len(parts) > 1 else ""
        fmt = parts[2] if len(parts) > 2 else ""
        value = parts[3] if len(parts) > 3 else ""
        found = diagnoses.ub04
        if qualifier == "DR":
            found["drg"].append(self.code(DRG, code, i, f"{element}-2"))
        elif qualifier == "BG":
            found["condition_codes"].append(self.code(ConditionCode, code, i, f"{element}-2"))
        elif qualifier in ("BBR", "BBQ", "BH"):
            if fmt != "D8":
                self.fail("is dated as D8 (CCYYMMDD)", i, f"{element}-3")
            on = self.date_of(value, i, f"{element}-4", quiet=True)
            if on is None:
                self.fail("must be a date (CCYYMMDD)", i, f"{element}-4")
            if qualifier == "BH":
                found["occurrences"].append(Occurrence(
                    code=self.code(OccurrenceCode, code, i, f"{element}-2"), on=on))
            else:
                procedures = found["procedures"]
                if (qualifier == "BBR") != (not procedures):
                    self.fail("the principal procedure (BBR) comes once, before the others "
                              "(BBQ)", i, f"{element}-1")
                procedures.append(InpatientProcedure(
                    code=self.code(ICD10PCS, code, i, f"{element}-2"), on=on))
        elif qualifier == "BI":
            if fmt != "RD8":
                self.fail("is dated as RD8 (CCYYMMDD-CCYYMMDD)", i, f"{element}-3")
            found["occurrence_spans"].append(OccurrenceSpan(
                code=self.code(OccurrenceSpanCode, code, i, f"{element}-2"),
                period=self.period(i, fmt, value)))
        else:  # BE, a value code and its amount (HI0x-5)
            text_amount = parts[4] if len(parts) > 4 else ""
            if _AMOUNT_TEXT.fullmatch(text_amount) is None:
                self.fail("a value code has its amount (HI0x-5)", i, f"{element}-5")
            try:
                money = Money(Decimal(text_amount))
            except ValidationError as err:
                self.fail(err.message, i, f"{element}-5")
            found["value_codes"].append(ValueAmount(
                code=self.code(ValueCode, code, i, f"{element}-2"), amount=money))

    def admission_date(self, i: int, admission: dict[str, Any]) -> None:
        row = self.rows[i]
        qualifier, fmt, value = self.el(row, 1), self.el(row, 2), self.el(row, 3)
        if qualifier == "434":
            admission["period"] = (self.period(i, fmt, value), i)
        elif qualifier == "435":
            on = self.date_of(value[:8], i, "DTP03", quiet=True)
            if on is None or fmt not in ("D8", "DT"):
                self.fail("must be the admission date (D8) or date and time (DT)", i, "DTP03")
            admission["admission_date"] = on
            if fmt == "DT":
                admission["admission_hour"] = self.hour(value[8:], i)
        else:  # 096, the discharge hour
            if fmt != "TM":
                self.fail("the discharge hour is written as TM (HHMM)", i, "DTP02")
            admission["discharge_hour"] = self.hour(value, i)

    def hour(self, value: str, i: int) -> int:
        if _HOUR.fullmatch(value) is None:
            self.fail("must be a time of day (HHMM)", i, "DTP03")
        if value[2:4] != "00":
            self.not_held(i, "the minutes of an admission or discharge time (Claim holds "
                          "the hour)", "DTP03")
        return int(value[:2])

    def period(self, i: int, fmt: str, value: str) -> Period:
        if fmt == "D8":
            start = self.date_of(value, i, "DTP03", quiet=True)
            end = start
        elif fmt == "RD8":
            first, _, last = value.partition("-")
            start = self.date_of(first, i, "DTP03", quiet=True)
            end = self.date_of(last, i, "DTP03", quiet=True)
        else:
            self.fail("a date is written as D8 (CCYYMMDD) or RD8 (CCYYMMDD-CCYYMMDD)", i,
                      "DTP02")
        if start is None or end is None:
            self.fail("must be a date (CCYYMMDD) or a range of dates (CCYYMMDD-CCYYMMDD)", i,
                      "DTP03")
        try:
            return Period(start, end)
        except ValidationError as err:
            self.fail(err.message, i, "DTP03")

    def admission(self, clm: int, found: dict[str, Any]) -> AdmissionInfo:
        period = found.pop("period", None)
        if period is None:
            self.fail("an 837I claim has a statement period (DTP*434)", clm)
        fields: dict[str, Any] = {"statement_period": period[0]}
        for name in ("admission_date", "admission_hour", "discharge_hour"):
            if name in found:
                fields[name] = found[name]
        for name in ("admission_type", "admission_source", "discharge_status"):
            if name in found:
                fields[name] = found[name][0]
        try:
            return AdmissionInfo(**fields)
        except ValidationError as err:
            name = (err.path or "").removeprefix("$.")
            if name in found and name.startswith(("admission_type", "admission_source",
                                                  "discharge_status")):
                _, i, k = found[name]
                self.fail(err.message, i, f"CL1{k:02d}")
            self.fail(err.message, clm)

    def providers(self, entities: list[_Entity]) -> dict[str, Any]:
        """Loops 2310A-F: referring, rendering, attending, service facility..."""
        fields: dict[str, Any] = {}
        roles = {"DN": ("referring_provider", None), "82": ("rendering_provider", "PE"),
                 "71": ("attending_provider", "AT")}
        for e in entities:
            code = self.el(self.rows[e.nm1], 1)
            role = roles.get(code)
            if role is not None and self.el(self.rows[e.nm1], 8) != "XX":
                self.not_held(e.nm1, "a provider without an NPI (NM108 XX): claimcore's "
                              "providers are identified by their NPI", "NM108")
            elif role is not None and role[0] not in fields:
                fields[role[0]] = self.provider(e, role[1], "2310")
            elif (code == "77" and "facility_entity" not in fields
                  and self.kind is ClaimKind.PROFESSIONAL):
                fields["facility_entity"] = e
            else:
                self.not_held(e.nm1, f"this provider or party (loop 2310, NM1*{code[:3]})",
                              "NM101")
        return fields

    def provider(self, e: _Entity, prv: str | None, loop: str) -> Provider:
        taxonomy: str | None = None
        for k in e.rows:
            row = self.rows[k]
            if row[0] == "PRV" and prv is not None and self.el(row, 1) == prv:
                taxonomy = self.taxonomy(k)
            else:
                self.segment_not_held(k, loop)
        if self.el(self.rows[e.nm1], 2) == "2":
            self.not_held(e.nm1, "an organization where claimcore expects a person (its name "
                          "was read as the family name)", "NM102")
        try:
            return Provider(npi=self.npi(e.nm1), name=self.person(e.nm1), taxonomy=taxonomy)
        except ValidationError as err:
            self.fail(err.message, e.nm1, "PRV03")

    def facility(self, e: object, place: object) -> Facility:
        if not isinstance(e, _Entity) or not isinstance(place, PlaceOfService):
            raise TypeError("a facility entity and a place of service")  # pragma: no cover
        row = self.rows[e.nm1]
        npi = self.npi(e.nm1) if self.el(row, 9) else None
        for k in e.rows:
            if self.rows[k][0] not in ("N3", "N4"):
                self.segment_not_held(k, "2310C")
        try:
            return Facility(name=self.el(row, 3), address=self.full_address(e),
                            place_of_service=place, npi=npi)
        except ValidationError as err:
            self.fail(err.message, e.nm1, "NM103")

    def subscriber(self, level: _Level, patient_level: _Level | None, start: date,
                   mrn: object) -> tuple[Coverage, Patient]:
        head, entities = self.entities(level.rows, "2000B")
        sbr = -1
        for i in head:
            if self.rows[i][0] == "SBR" and sbr < 0:
                sbr = i
            elif self.rows[i][0] == "PAT":
                self.pat(i, patient=False)
            else:
                self.segment_not_held(i, "2000B")
        if sbr < 0:
            self.fail("a subscriber level has an SBR segment (loop 2000B)", level.hl)
        coverage = self.coverage_parts(sbr, entities, other=False, loop="2010B",
                                       start=start)
        medical_record = mrn if isinstance(mrn, MedicalRecordNumber) else self.defaults.mrn
        if patient_level is None:
            if coverage.relationship is not Relationship.SELF:
                self.warn(WarningCode.INVALID_VALUE, "with no patient level (HL 23) the "
                          "subscriber is the patient, but SBR02 is not 18 (self); read as "
                          "self", sbr, "SBR02")
                coverage = attrs.evolve(coverage, relationship=Relationship.SELF)
            s = coverage.subscriber
            address = s.address
            return coverage, self.patient(medical_record, s.name, s.birth_date, s.sex,
                                          address, sbr)
        if coverage.relationship is Relationship.SELF:
            self.fail("a patient level (HL 23) is for a patient who is not the subscriber; "
                      "SBR02 says 18 (self)", sbr, "SBR02")
        p_head, p_entities = self.entities(patient_level.rows, "2000C")
        relationship: Relationship | None = None
        for i in p_head:
            if self.rows[i][0] == "PAT" and relationship is None:
                relationship = self.pat(i, patient=True)
            else:
                self.segment_not_held(i, "2000C")
        if relationship is None:
            self.fail("a patient level has a PAT segment (loop 2000C)", patient_level.hl)
        coverage = attrs.evolve(coverage, relationship=relationship)
        patient_e: _Entity | None = None
        for e in p_entities:
            if self.el(self.rows[e.nm1], 1) == "QC" and patient_e is None:
                patient_e = e
            else:
                self.not_held(e.nm1, "this party (loop 2010C)", "NM101")
        if patient_e is None:
            self.fail("a patient level names the patient (NM1*QC, loop 2010CA)",
                      patient_level.hl)
        dmg = -1
        for k in patient_e.rows:
            seg = self.rows[k][0]
            if seg == "DMG" and dmg < 0:
                dmg = k
            elif seg not in ("N3", "N4"):
                self.segment_not_held(k, "2010CA")
        if dmg < 0:
            self.fail("the patient has a DMG segment (loop 2010CA)", patient_e.nm1)
        born, sex = self.demographics(dmg)
        return coverage, self.patient(medical_record, self.person(patient_e.nm1), born, sex,
                                      self.address(patient_e), patient_e.nm1)

    def pat(self, i: int, *, patient: bool) -> Relationship:
        row = self.rows[i]
        relationship = _RELATIONSHIPS.get(self.el(row, 1))
        if patient and (relationship is None or relationship is Relationship.SELF):
            self.fail("must be the patient's relationship to the subscriber (not 18)", i,
                      "PAT01")
        for k in range(2 if patient else 1, len(row)):
            if row[k]:
                self.not_held(i, "patient information (death date, weight, pregnancy)",
                              f"PAT{k:02d}")
        return relationship or Relationship.OTHER

    def patient(self, mrn: MedicalRecordNumber, name: PersonName, born: date,
                sex: AdministrativeSex, address: Address | None, i: int) -> Patient:
        try:
            return Patient(mrn=mrn, name=name, birth_date=born, sex=sex, address=address)
        except ValidationError as err:
            self.fail(err.message, i)

    # -- other payers --------------------------------------------------------------------

    def other_payer(self, o: _OtherPayerRows, lines: list[list[_Adjudication]], start: date
                    ) -> OtherPayer | None:
        """Loops 2320/2330A/2330B and the 2430s of the payer: an other payer's
        adjudication, or ``None`` (a warning) for other insurance that has not paid."""
        if not any(self.rows[i][0] == "AMT" and self.el(self.rows[i], 1) == "D"
                   for i in o.rows):
            self.not_held(o.sbr, "other insurance with no payer paid amount (AMT*D): "
                          "claimcore holds the payers that adjudicated the claim")
            return None
        coverage = self.coverage_parts(o.sbr, o.entities, other=True, loop="2330",
                                       start=start)
        paid: Money | None = None
        adjustments: list[Adjustment] = []
        for i in o.rows:
            row = self.rows[i]
            tag = row[0]
            if tag == "CAS":
                adjustments.extend(self.adjustments(i))
            elif tag == "AMT" and self.el(row, 1) == "D" and paid is None:
                paid = self.amount(i, 2)
            elif tag == "OI":
                continue  # benefits assignment and release: claimcore assumes both
            else:
                self.segment_not_held(i, "2320")
        adjudicated: date | None = None
        for e in o.entities:
            if self.el(self.rows[e.nm1], 1) != "PR":
                continue
            for k in e.rows:
                row = self.rows[k]
                if row[0] == "DTP" and self.el(row, 1) == "573":
                    adjudicated = self.period(k, self.el(row, 2), self.el(row, 3)).start
        if paid is None:
            self.fail("an other payer's paid amount (AMT*D, loop 2320) is required by "
                      "claimcore", o.sbr)
        payer_id = coverage.payer.payer_id.value
        adjudications: list[LineAdjudication] = []
        for n, line in enumerate(lines, 1):
            for a in line:
                if self.el(self.rows[a.svd], 1) != payer_id:
                    continue
                line_adj, on = self.line_adjudication(a, n)
                adjudications.append(line_adj)
                adjudicated = adjudicated or on
        if adjudicated is None:
            self.fail("an other payer's adjudication date (DTP*573, loop 2330B or 2430) is "
                      "required by claimcore", o.sbr)
        try:
            return OtherPayer(coverage=coverage, paid=paid, adjustments=adjustments,
                              lines=adjudications, adjudicated_on=adjudicated)
        except ValidationError as err:  # pragma: no cover - every part was checked
            self.fail(err.message, o.sbr)

    def line_adjudication(self, a: _Adjudication, n: int) -> tuple[LineAdjudication, date | None]:
        adjustments: list[Adjustment] = []
        on: date | None = None
        for k in a.rows:
            row = self.rows[k]
            if row[0] == "CAS":
                adjustments.extend(self.adjustments(k))
            elif row[0] == "DTP" and self.el(row, 1) == "573":
                on = self.period(k, self.el(row, 2), self.el(row, 3)).start
            else:
                self.segment_not_held(k, "2430")
        return LineAdjudication(line_number=n, paid=self.amount(a.svd, 2),
                                adjustments=adjustments), on

    def adjustments(self, i: int) -> list[Adjustment]:
        row = self.rows[i]
        n = len(row)
        group = _GROUPS.get(self.el(row, 1))
        if group is None:
            self.fail("must be an adjustment group code: CO, OA, PI or PR", i, "CAS01")
        found: list[Adjustment] = []
        for k in range(2, min(n, _CAS_END), 3):
            if not row[k]:
                continue
            reason = self.code(CARC, row[k], i, f"CAS{k:02d}")
            try:
                found.append(Adjustment(group=group, reason=reason, amount=self.amount(i, k + 1),
                                        quantity=self.quantity(i, k + 2)))
            except ValidationError as err:
                self.fail(err.message, i, f"CAS{k + 1:02d}")
        if not found:
            self.fail("a CAS segment has at least one reason code", i, "CAS02")
        return found

    # -- lines ---------------------------------------------------------------------------

    def line(self, line: _Line, n: int, fields: dict[str, Any]
             ) -> tuple[ClaimLine, list[_Adjudication]]:
        """Loop 2400 and what it holds: 2410 (drug), 2420x (providers), 2430, 2440."""
        service = -1
        period: Period | None = None
        charge_id: str | None = None
        ndc: NDC | None = None
        rendering: NPI | None = None
        adjudications: list[_Adjudication] = []
        loop = "2400"
        institutional = self.kind is ClaimKind.INSTITUTIONAL
        tag_service = "SV2" if institutional else "SV1"
        for i in line.rows:
            row = self.rows[i]
            tag = row[0]
            if tag == tag_service and service < 0:
                service = i
            elif tag == "SVD":
                adjudications.append(_Adjudication(svd=i))
                loop = "2430"
            elif loop == "2430" and tag in ("CAS", "DTP", "AMT"):
                adjudications[-1].rows.append(i)
            elif tag == "DTP" and self.el(row, 1) == "472" and period is None:
                period = self.period(i, self.el(row, 2), self.el(row, 3))
            elif tag == "REF" and self.el(row, 1) == "6R" and charge_id is None:
                charge_id = self.el(row, 2)
            elif tag == "LIN":
                loop = "2410"
                if self.el(row, 2) == "N4" and ndc is None:
                    ndc = self.code(NDC, self.el(row, 3), i, "LIN03")
                else:
                    self.not_held(i, "a drug identified otherwise than by its NDC (N4)",
                                  "LIN02")
            elif tag == "CTP" and loop == "2410":
                self.ctp(i, service)
            elif tag == "NM1":
                loop = "2420"
                code = self.el(row, 1)
                if code == "82" and rendering is None:
                    rendering = self.npi(i)
                else:
                    self.not_held(i, f"a line provider or party (loop 2420, NM1*{code[:3]})",
                                  "NM101")
            elif tag == "PRV" and loop == "2420":
                continue  # the line rendering provider's taxonomy: ClaimLine holds its NPI
            else:
                self.segment_not_held(i, loop)
        if service < 0:
            self.fail(f"a service line has an {tag_service} segment", line.i)
        if period is None:
            admission = fields.get("admission")
            if not isinstance(admission, AdmissionInfo):
                self.fail("a service line has its date of service (DTP*472)", line.i)
            period = admission.statement_period
            self.warn(WarningCode.INVALID_VALUE, "the line has no date of service (DTP*472); "
                      "the claim's statement period (DTP*434) was used", line.i)
        return self.service_line(service, n, period, charge_id, ndc, rendering), adjudications

    def ctp(self, i: int, service: int) -> None:
        row = self.rows[i]
        units = self.quantity(i, 4)
        basis = self.composite(i, 5)[0]
        if service >= 0:
            k = 5 if self.kind is ClaimKind.INSTITUTIONAL else 4
            if units != self.quantity(service, k) or basis != "UN":
                self.not_held(i, "a drug quantity or unit other than the line's units",
                              "CTP04")
        del row

    def service_line(self, i: int, n: int, period: Period, charge_id: str | None,
                     ndc: NDC | None, rendering: NPI | None) -> ClaimLine:
        row = self.rows[i]
        el = self.el
        institutional = self.kind is ClaimKind.INSTITUTIONAL
        revenue: RevenueCode | None = None
        if institutional:
            revenue = self.code(RevenueCode, el(row, 1), i, "SV201")
            procedure_k, charge_k, units_k = 2, 3, 5
            for k in (6, 7):
                if el(row, k):
                    self.not_held(i, "a rate or a non-covered charge", f"SV2{k:02d}")
        else:
            procedure_k, charge_k, units_k = 1, 2, 4
            if el(row, 5):
                self.not_held(i, "a line place of service", "SV105")
            for k in range(9, len(row)):
                if row[k]:
                    self.not_held(i, "a line indicator (emergency, EPSDT, family planning...)",
                                  f"SV1{k:02d}")
        procedure = None
        modifiers: list[Modifier] = []
        name = f"{row[0]}{procedure_k:02d}"
        if el(row, procedure_k):
            parts = self.composite(i, procedure_k)
            if parts[0] not in _PROCEDURE_QUALIFIERS:
                self.fail("claimcore reads procedures coded as HCPCS/CPT (HC) and the like",
                          i, f"{name}-1")
            procedure = self.code(procedure_code, parts[1] if len(parts) > 1 else "", i,
                                  f"{name}-2")
            for m, value in enumerate(parts[2:6], 3):
                if value:
                    modifiers.append(self.code(Modifier, value, i, f"{name}-{m}"))
            if len(parts) > 6 and any(parts[6:]):
                self.not_held(i, "a procedure description", f"{name}-7")
        units = self.quantity(i, units_k)
        pointers: list[int] = []
        if not institutional and el(row, 7):
            for p, value in enumerate(self.parts(i, 7), 1):
                if not value:
                    continue
                padded = _PADDED_NUMBER.fullmatch(value)
                if padded is not None:
                    self.warn(WarningCode.MALFORMED_CODE, "a diagnosis pointer carries "
                              "decimals; they were dropped", i, f"SV107-{p}")
                    value = padded.group(1)
                if not value.isdigit():
                    self.fail("a diagnosis pointer is a number (1 to 12)", i, f"SV107-{p}")
                pointers.append(int(value))
        try:
            return ClaimLine(
                line_number=n, procedure=procedure, revenue_code=revenue, modifiers=modifiers,
                units=Decimal(1) if units is None else units,
                charge=self.amount(i, charge_k), service_period=period, pointers=pointers,
                rendering_npi=rendering, ndc=ndc, charge_id=charge_id,
            )
        except ValidationError as err:
            element = {"$.units": units_k, "$.charge": charge_k}.get(err.path or "",
                                                                       procedure_k)
            self.fail(err.message, i, f"{row[0]}{element:02d}")


_OUTLIVES: Final = {"20": frozenset(), "22": frozenset({"20"}), "23": frozenset({"20", "22"})}
"""The levels a new level of each code leaves open: a new billing provider closes every
level before it, a new subscriber the subscribers and patients before it."""


class _Walk:
    """One 837 transaction set read a row at a time: the levels open and the claim being
    gathered. ``release`` is told the rows no claim to come needs (a stream drops them)."""

    def __init__(self, reader: _Reader,
                 release: Callable[[Iterable[int]], None] | None = None) -> None:
        self.reader = reader
        self.levels: dict[str, _Level] = {}
        self.current: _Level | None = None
        self.claim: list[int] | None = None
        self.release = release

    def step(self, i: int) -> Iterator[Claim]:
        reader = self.reader
        seg = reader.rows[i][0]
        claim = self.claim
        if claim is not None:
            if seg not in _CLAIM_END:
                claim.append(i)
                return
            yield from self.finish(claim)
        if seg == "HL":
            self.close_levels(reader.el(reader.rows[i], 3))
            self.current = reader.level(i, self.levels)
        elif seg == "CLM":
            current = self.current
            if current is None or current.code not in ("22", "23"):
                reader.fail("a claim (CLM) belongs to a subscriber or patient level (HL 22 "
                            "or 23)", i)
            self.claim = [i]
        elif self.current is not None:
            self.current.rows.append(i)
        else:
            if seg not in ("BHT", "NM1", "PER", "REF"):  # the header and loops 1000A/B
                reader.warn(WarningCode.UNKNOWN_SEGMENT, "this segment has no place in an "
                            "837 header; it was skipped", i)
            if self.release is not None:
                self.release((i,))

    def finish(self, claim: list[int]) -> Iterator[Claim]:
        self.claim = None
        yield from self.reader.claim(claim, self.current)
        if self.release is not None:
            self.release(claim)

    def close_levels(self, code: str) -> None:
        keep = _OUTLIVES.get(code)
        if keep is None:
            return  # level() refuses the code
        dead = {id(v): v for v in self.levels.values() if v.code not in keep}
        if not dead:
            return
        self.levels = {k: v for k, v in self.levels.items() if id(v) not in dead}
        if self.release is not None:
            for level in dead.values():
                self.release((level.hl, *level.rows))

    def end(self) -> Iterator[Claim]:
        if self.claim is not None:
            yield from self.finish(self.claim)
        self.close_levels("20")


# ---------------------------------------------------------------- entry points


def _guide(reader: _Reader, rows: Rows, t: RawTransaction) -> None:
    require_set(rows, t, st01="837", guide="005010X222A1 or 005010X223A2", values="claims",
                is_a="an 837 claim")
    st03 = reader.el(rows[t.st], 3)
    guide = st03 or t.version
    if _INSTITUTIONAL in guide:
        reader.kind = ClaimKind.INSTITUTIONAL
    elif _PROFESSIONAL in guide:
        reader.kind = ClaimKind.PROFESSIONAL
    else:
        raise X12Error("this 837 names neither the professional (005010X222A1) nor the "
                       "institutional (005010X223A2) guide; claimcore reads those two",
                       segment_number=t.st + 1, segment_id="ST",
                       element="ST03" if st03 else None)
    if not guide.endswith(("X222A1", "X223A2")):
        read_as = ("005010X223A2" if reader.kind is ClaimKind.INSTITUTIONAL
                   else "005010X222A1")
        reader.warn(WarningCode.INVALID_VALUE, f"the guide is {guide[:12]!r}; read as {read_as}",
                    t.st, "ST03" if st03 else None)


def _claims(text: str, *, salvage: bool, defaults: Read837Defaults,
            warnings_out: list[X12Warning] | None = None) -> tuple[_Reader, list[Claim]]:
    instance(defaults, Read837Defaults, "$.defaults")
    delims, rows, warnings, found = transactions(text)
    reader = _Reader(rows, delims, warnings, salvage=salvage, defaults=defaults)
    out: list[Claim] = []
    for t in found:
        _guide(reader, rows, t)
        out.extend(reader.read(t))
    return reader, out


def read_837_with_warnings(text: str, *, defaults: Read837Defaults = DEFAULTS
                           ) -> Read837Result:
    """Every claim of an 837P or 837I interchange, with the warnings and the claims that
    could not be read.

    A claim that cannot be read (a bad code, an NPI that fails its check, a total that is
    not the sum of its lines...) is an :class:`Unread837Claim` and a ``claim-not-read``
    warning; the other claims are read. Raises :class:`~claimcore.x12.X12Error` for text
    that is not a readable 5010 837 (a 4010 file, another transaction set, a truncated
    transaction set). ``defaults`` fills what a claim needs and the 837 does not carry.
    """
    reader, claims = _claims(text, salvage=True, defaults=defaults)
    return Read837Result(claims, reader.warnings, reader.unread)


def read_837(text: str, *, defaults: Read837Defaults = DEFAULTS) -> tuple[Claim, ...]:
    """Every claim of an 837P or 837I interchange (see :func:`read_837_with_warnings`).

    Strict: a fault inside one claim raises :class:`~claimcore.x12.X12Error`.
    """
    return tuple(_claims(text, salvage=False, defaults=defaults)[1])


Read837Item: TypeAlias = Claim | Unread837Claim | X12Warning
"""One item of an :func:`iter_837` stream: each claim as soon as its segments are
complete, a :class:`~claimcore.claims.Claim` or an :class:`Unread837Claim`, and each
:class:`~claimcore.x12.X12Warning` as soon as it is found."""


def iter_837(chunks: Iterable[str], *, defaults: Read837Defaults = DEFAULTS
             ) -> Iterator[Read837Item]:
    """The claims of an 837 that arrives in parts, one at a time.

    ``chunks`` is any iterable of ``str`` (a file read in blocks, its lines; a segment or
    delimiter may be split across chunks). The items are :data:`Read837Item` values; the
    checks, salvage and warnings are those of :func:`read_837_with_warnings`, the warnings
    coming as they are found. An error the text holds is raised when the stream reaches
    it, after the claims before it (see :func:`collect_837`). Memory is bounded by the
    largest claim with its billing provider and subscriber levels, not by the file.
    """
    instance(defaults, Read837Defaults, "$.defaults")
    delims, source, warnings = scan_chunks(chunks)
    window: dict[int, list[str]] = {}
    walker = EnvelopeWalker(window, warnings)
    reader = _Reader(window, delims, warnings, salvage=True, defaults=defaults)

    def release(rows: Iterable[int]) -> None:
        for k in rows:
            window.pop(k, None)

    walk: _Walk | None = None
    t: RawTransaction | None = None
    n = 0
    for i, row in enumerate(source):
        n = i + 1
        window[i] = row
        seg = row[0]
        if walk is None or t is None:
            walker.step(i, row)
            t = walker.open
            if t is not None:
                _guide(reader, window, t)
                walk = _Walk(reader, release)
            elif seg in ("GE", "IEA"):
                for k in [k for k in window if k != walker.isa or seg == "IEA"]:
                    del window[k]
        elif seg in _ENVELOPE_IDS:
            done = walker.step(i, row)
            if done is not None:
                yield from walk.end()
                for k in [k for k in window if k >= t.st]:
                    del window[k]
                walk = t = None
        else:
            yield from walk.step(i)
        if reader.unread:
            yield from reader.unread
            reader.unread.clear()
        if warnings:
            yield from warnings
            warnings.clear()
    walker.end(n)
    if warnings:
        yield from warnings
        warnings.clear()


def collect_837(items: Iterable[Read837Item]) -> Read837Result:
    """What :func:`read_837_with_warnings` returns, from the items of :func:`iter_837`."""
    claims: list[Claim] = []
    unread: list[Unread837Claim] = []
    warnings: list[X12Warning] = []
    for item in items:
        if isinstance(item, Claim):
            claims.append(item)
        elif isinstance(item, Unread837Claim):
            unread.append(item)
        else:
            warnings.append(instance(item, X12Warning, "$.items"))
    return Read837Result(claims, warnings, unread)
