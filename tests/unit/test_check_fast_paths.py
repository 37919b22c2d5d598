"""The inline fast checks of the value classes accept and refuse exactly what the detailed
checks do.

Each class whose ``__attrs_post_init__`` proves the common valid case inline keeps the
detailed checks, unchanged, in ``_check_in_detail`` (``Claim``: ``_check_fast`` then
``_check_in_detail``). Every test here builds a value without running its check (so any
field may hold anything), runs the fast entry point on one copy and the detailed checks on
another, and compares the outcomes: nothing raised and the same state, or the same error
type, message, path, rule and problems. Boundary tables also pin the expected outcome, so
that two paths broken the same way still fail a test.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcore import strategies as cs
from claimcore.claims import (
    Claim,
    ClaimEvent,
    ClaimKind,
    ClaimLine,
    ClaimStatus,
    InpatientProcedure,
    RejectionReason,
)
from claimcore.codes import (
    CPT,
    DRG,
    HCPCS,
    ICD10CM,
    ICD10PCS,
    NDC,
    ClaimFrequency,
    ConditionCode,
    Modifier,
    PlaceOfService,
    PresentOnAdmission,
    RevenueCode,
    TypeOfBill,
)
from claimcore.coverage import (
    MEDICARE_APPEALS,
    AppealLevel,
    AppealRules,
    Payer,
    PayerKind,
    TimelyFiling,
)
from claimcore.errors import ValidationError
from claimcore.ids import (
    NPI,
    SSN,
    ClaimId,
    EncounterId,
    PayerClaimNumber,
    PayerId,
)
from claimcore.money import Money
from claimcore.patients import (
    Address,
    Contact,
    ContactUse,
    DemographicChange,
    DemographicField,
    Guarantor,
    GuarantorRelationship,
    Patient,
    PersonName,
)
from claimcore.periods import Period
from tests.unit.test_claims_support import ADDRESS, BILLING, COVERAGE, DOCTOR, PATIENT, line

_UNSET = object()


class _Str(str):
    """A ``str`` subclass: refused by the ``type(x) is str`` checks, so only the detailed
    path may decide it."""


class _Decimal(Decimal):
    pass


def _raw(cls: type[Any], base: object, **changes: object) -> Any:
    """An instance of ``cls`` with ``base``'s slots and ``changes``, its check not run."""
    obj = object.__new__(cls)
    for name in _slots(cls):
        value = changes.get(name, getattr(base, name, _UNSET))
        if value is not _UNSET:
            object.__setattr__(obj, name, value)
    return obj


def _slots(cls: type[Any]) -> list[str]:
    return [f.name for f in attrs.fields(cls)]


def _outcome(call: Callable[[], object]) -> object:
    try:
        call()
    except ValidationError as e:
        return (type(e), str(e), e.message, e.path, e.rule, e.problems)
    except Exception as e:  # a non-claimcore error must match too
        return (type(e), str(e))
    return None


def _state(obj: object) -> tuple[object, ...]:
    return tuple(getattr(obj, n, _UNSET) for n in _slots(type(obj)))


def _same(cls: type[Any], base: object, **changes: object) -> object:
    """Run the fast and the detailed checks on copies; assert equal outcomes; return it."""
    fast, slow = _raw(cls, base, **changes), _raw(cls, base, **changes)
    got = _outcome(fast.__attrs_post_init__)
    want = _outcome(slow._check_in_detail)
    assert got == want
    if got is None:
        assert _state(fast) == _state(slow)
    return got


def _rule(outcome: object) -> str | None:
    """The rule of an outcome (``None`` when accepted)."""
    if outcome is None:
        return None
    assert isinstance(outcome, tuple)
    return outcome[4] if len(outcome) == 6 else "not-a-claimcore-error"


def _variants(
    base: object, table: dict[str, list[object]], most: int = 4
) -> st.SearchStrategy[dict[str, object]]:
    """Up to ``most`` fields of ``base`` changed to values from ``table`` (so that some
    cases break one rule only, and others several at once, where the order tells)."""
    change = st.sampled_from(sorted(table)).flatmap(
        lambda name: st.tuples(st.just(name), st.sampled_from(table[name]))
    )
    return st.lists(change, max_size=most).map(dict)


# --- PersonName ------------------------------------------------------------------------

NAME = PersonName(family="Lovelace", given="Ada", middle="B", prefix="Dr.", suffix="Jr.")


def _names(longest: int) -> list[object]:
    return [None, "", "A", "A" * longest, "A" * (longest + 1), _Str("Ada"), 5, b"Ada",
            "O'Neil", "St. John", "Smith-Jones", "III", "ada", "Ada ", " Ada", "1Ada",
            "Ada-", "Ad\u00e9", "A\nB", "A" * (longest - 1) + ".", "A" * (longest - 1) + "-"]


NAME_TABLE: dict[str, list[object]] = {
    "family": _names(60), "given": _names(35), "middle": _names(25),
    "prefix": _names(10), "suffix": _names(10),
}


@pytest.mark.parametrize(("field", "value", "rule"), [
    ("family", "A" * 60, None), ("family", "A" * 61, "length"), ("family", "", "empty"),
    ("family", None, "type"), ("family", _Str("Ada"), "type"), ("family", "Ada ", "format"),
    ("given", None, None), ("given", "", "empty"), ("given", "A" * 35, None),
    ("given", "A" * 36, "length"), ("middle", "A" * 25, None), ("middle", "A" * 26, "length"),
    ("prefix", "A" * 10, None), ("prefix", "A" * 11, "length"),
    ("suffix", "Jr.", None), ("suffix", "A" * 11, "length"), ("suffix", 3, "type"),
])
def test_person_name_boundaries(field: str, value: object, rule: str | None) -> None:
    assert _rule(_same(PersonName, NAME, **{field: value})) == rule


@given(st.one_of(_variants(NAME, NAME_TABLE), st.builds(
    dict, family=st.text(max_size=62), given=st.none() | st.text(max_size=37),
    middle=st.none() | st.text(max_size=27), prefix=st.none() | st.text(max_size=12),
    suffix=st.none() | st.text(max_size=12),
)))
@settings(max_examples=300)
def test_person_name_paths_agree(changes: dict[str, object]) -> None:
    _same(PersonName, NAME, **changes)


@given(cs.person_names())
def test_valid_person_names_take_the_fast_path(name: PersonName) -> None:
    _fast_only(PersonName, name)


def _fast_only(cls: type[Any], value: Any) -> None:
    """The fast path alone accepts a valid value: its detailed checks are not reached."""
    copy = _raw(cls, value)

    def fail(self: object) -> None:
        raise AssertionError("the detailed checks ran for a valid value")

    original = cls._check_in_detail
    cls._check_in_detail = fail
    try:
        copy.__attrs_post_init__()
    finally:
        cls._check_in_detail = original


# --- Address ---------------------------------------------------------------------------

HOME = Address(lines=("1 Main St", "Apt 2"), city="Springfield", state="IL",
               postal_code="627011234")
ABROAD = Address(lines=("10 Downing St",), city="London", state="LND", postal_code="SW1A 2AA",
                 country="GB")


def _line_texts(longest: int) -> list[object]:
    return ["", "x", "x" * longest, "x" * (longest + 1), " x", "x ", "x\ty", "caf\u00e9",
            _Str("1 Main St"), None, 7]


ADDRESS_TABLE: dict[str, list[object]] = {
    "lines": [(), ("1 Main St",), ("a", "b"), ("a", "b", "c"), ["1 Main St"],
              *[(t,) for t in _line_texts(55)], ("1 Main St", "x" * 56)],
    "city": _line_texts(30),
    "state": ["IL", "il", "XX", "DC", "PR", "AE", "I", "ILL", "LND", "", " IL", _Str("IL"),
              None, "x" * 3, "x" * 4],
    "postal_code": ["62701", "627011234", "62701-1234", "6270", "627012", "SW1A 2AA", "",
                    "x" * 15, "x" * 16, _Str("62701"), 62701, None],
    "country": ["US", "GB", "us", "USA", "", _Str("US"), None, "U1"],
}


@pytest.mark.parametrize(("changes", "rule"), [
    ({}, None), ({"lines": ()}, "lines-count"), ({"lines": ("a", "b", "c")}, "lines-count"),
    ({"lines": ("x" * 55,)}, None), ({"lines": ("x" * 56,)}, "length"),
    ({"lines": (" x",)}, "format"), ({"city": "x" * 30}, None), ({"city": "x" * 31}, "length"),
    ({"city": ""}, "empty"), ({"state": "XX"}, "us-state"), ({"state": "il"}, "format"),
    ({"state": _Str("IL")}, "type"), ({"postal_code": "62701-1234"}, "zip"),
    ({"postal_code": 62701}, "type"), ({"country": _Str("US")}, "type"),
    ({"country": "USA"}, "format"), ({"lines": ["1 Main St"]}, None),
])
def test_address_boundaries(changes: dict[str, object], rule: str | None) -> None:
    assert _rule(_same(Address, HOME, **changes)) == rule


@given(st.sampled_from([HOME, ABROAD]).flatmap(lambda base: st.tuples(
    st.just(base), _variants(base, ADDRESS_TABLE))))
@settings(max_examples=300)
def test_address_paths_agree(case: tuple[Address, dict[str, object]]) -> None:
    base, changes = case
    _same(Address, base, **changes)


@given(cs.addresses().filter(lambda a: a.country == "US"))
def test_valid_us_addresses_take_the_fast_path(address: Address) -> None:
    _fast_only(Address, address)


# --- Contact, Guarantor, Patient -------------------------------------------------------

PHONE = Contact(use=ContactUse.HOME, phone="5551234567", email="ada@example.org")

CONTACT_TABLE: dict[str, list[object]] = {
    "use": [ContactUse.WORK, "home", None],
    "phone": [None, "", "5551234567", "1551234567", "555123456", "55512345678",
              _Str("5551234567"), 5551234567],
    "email": [None, "", "a@b.co", "a@b", "ada@example.org ", "x" * 64 + "@example.org",
              "x" * 65 + "@example.org", _Str("a@b.co"), 1],
}


@given(_variants(PHONE, CONTACT_TABLE))
@settings(max_examples=200)
def test_contact_paths_agree(changes: dict[str, object]) -> None:
    _same(Contact, PHONE, **changes)


def test_contact_boundaries() -> None:
    assert _rule(_same(Contact, PHONE)) is None
    assert _rule(_same(Contact, PHONE, phone=None, email=None)) == "contact-empty"
    assert _rule(_same(Contact, PHONE, phone="1551234567")) == "phone"
    assert _rule(_same(Contact, PHONE, email="")) == "empty"


GUARANTOR = Guarantor(relationship=GuarantorRelationship.CHILD, name=NAME,
                      birth_date=date(1970, 1, 1), address=ADDRESS, contacts=(PHONE,),
                      ssn=SSN("234-56-7890"))

GUARANTOR_TABLE: dict[str, list[object]] = {
    "relationship": ["19", None, GuarantorRelationship.SELF],
    "name": [None, "Ada"],
    "birth_date": [None, datetime(1970, 1, 1, tzinfo=UTC), "1970-01-01"],
    "address": [None, "1 Main St"],
    "contacts": [(), [PHONE], (PHONE, "x"), ("x",)],
    "ssn": [None, "123-45-6789"],
}


@given(_variants(GUARANTOR, GUARANTOR_TABLE))
@settings(max_examples=200)
def test_guarantor_paths_agree(changes: dict[str, object]) -> None:
    _same(Guarantor, GUARANTOR, **changes)


NAME_CHANGE = DemographicChange(on=date(2000, 1, 1), field=DemographicField.NAME,
                                previous_name=NAME)
LATER_CHANGE = DemographicChange(on=date(2010, 1, 1), field=DemographicField.NAME,
                                 previous_name=NAME)
EARLY_CHANGE = DemographicChange(on=date(1900, 1, 1), field=DemographicField.NAME,
                                 previous_name=NAME)

PATIENT_TABLE: dict[str, list[object]] = {
    "mrn": ["MRN12345", None],
    "name": [None, "Doe"],
    "birth_date": [None, datetime(1960, 5, 17, tzinfo=UTC), date(2005, 1, 1)],
    "sex": ["F", None],
    "address": [None, "x"],
    "contacts": [(), (PHONE,), [PHONE], (PHONE, "x")],
    "ssn": [None, "123-45-6789", SSN("234-56-7890")],
    "guarantor": [None, GUARANTOR, "x"],
    "history": [(), (NAME_CHANGE,), (NAME_CHANGE, LATER_CHANGE), (LATER_CHANGE, NAME_CHANGE),
                (EARLY_CHANGE,), [NAME_CHANGE], ("x",)],
}


@given(_variants(PATIENT, PATIENT_TABLE))
@settings(max_examples=300)
def test_patient_paths_agree(changes: dict[str, object]) -> None:
    _same(Patient, PATIENT, **changes)


def test_patient_boundaries() -> None:
    assert _rule(_same(Patient, PATIENT)) is None
    assert _rule(_same(Patient, PATIENT, history=(EARLY_CHANGE,))) == "history-order"
    assert _rule(_same(Patient, PATIENT, birth_date=date(2005, 1, 1),
                       history=(NAME_CHANGE,))) == "history-order"
    assert _rule(_same(Patient, PATIENT, history=(NAME_CHANGE, LATER_CHANGE))) is None
    assert _rule(_same(Patient, PATIENT, sex="F")) == "type"


@given(cs.patients())
def test_valid_patients_without_history_take_the_fast_path(patient: Patient) -> None:
    if not patient.history:
        _fast_only(Patient, patient)


# --- Payers ----------------------------------------------------------------------------

_INTS: list[object] = [-1, 0, 1, 19, 20, 21, 120, 121, 3660, 3661, True, False, 1.0, None,
                       "1"]

TIMELY_TABLE: dict[str, list[object]] = {"months": _INTS, "days": _INTS}


@given(_variants(TimelyFiling(months=12), TIMELY_TABLE))
@settings(max_examples=300)
def test_timely_filing_paths_agree(changes: dict[str, object]) -> None:
    _same(TimelyFiling, TimelyFiling(months=12), **changes)


@pytest.mark.parametrize(("changes", "rule"), [
    ({}, None), ({"months": 0}, "empty-limit"), ({"months": 120}, None),
    ({"months": 121}, "range"), ({"days": 3660}, None), ({"days": 3661}, "range"),
    ({"months": True}, "type"), ({"months": 0, "days": 1}, None),
])
def test_timely_filing_boundaries(changes: dict[str, object], rule: str | None) -> None:
    assert _rule(_same(TimelyFiling, TimelyFiling(months=12), **changes)) == rule


LEVEL = MEDICARE_APPEALS.levels[2]


class _Money(Money):
    pass


LEVEL_TABLE: dict[str, list[object]] = {
    "level": _INTS,
    "name": ["", "x", "x" * 80, "x" * 81, " x", "x ", "x\ty", _Str("ALJ"), None, "caf\u00e9"],
    "deadline_days": _INTS,
    "minimum_in_controversy": [Money(0), Money(-1), Money(Decimal("0.01")),
                               Money(Decimal("-0.01")), Decimal(5), 5, None,
                               _Money(Decimal(5)), _Money(Decimal(-5))],
}


@given(_variants(LEVEL, LEVEL_TABLE))
@settings(max_examples=300)
def test_appeal_level_paths_agree(changes: dict[str, object]) -> None:
    _same(AppealLevel, LEVEL, **changes)


@pytest.mark.parametrize(("changes", "rule"), [
    ({}, None), ({"level": 20}, None), ({"level": 21}, "range"), ({"level": True}, "type"),
    ({"name": "x" * 80}, None), ({"name": "x" * 81}, "length"), ({"name": ""}, "empty"),
    ({"name": _Str("x")}, "type"), ({"deadline_days": 0}, "range"),
    ({"minimum_in_controversy": Money(-1)}, "negative"),
    ({"minimum_in_controversy": _Money(Decimal(5))}, None),
    ({"minimum_in_controversy": Decimal(5)}, "type"),
])
def test_appeal_level_boundaries(changes: dict[str, object], rule: str | None) -> None:
    assert _rule(_same(AppealLevel, LEVEL, **changes)) == rule


RULES_TABLE: dict[str, list[object]] = {
    "levels": [(), MEDICARE_APPEALS.levels[:1], MEDICARE_APPEALS.levels[1:],
               list(MEDICARE_APPEALS.levels), (LEVEL,), (MEDICARE_APPEALS.levels[0], "x")],
    "effective": [Period(date(2026, 1, 1)), None, "2026-01-01.."],
}


@given(_variants(MEDICARE_APPEALS, RULES_TABLE))
def test_appeal_rules_paths_agree(changes: dict[str, object]) -> None:
    _same(AppealRules, MEDICARE_APPEALS, **changes)


PAYER = Payer(payer_id=PayerId("MCARE1"), name="Medicare Part B", kind=PayerKind.MEDICARE,
              timely_filing=TimelyFiling(months=12), appeal_rules=MEDICARE_APPEALS)

PAYER_TABLE: dict[str, list[object]] = {
    "payer_id": ["MCARE1", None],
    "name": ["", "x" * 60, "x" * 61, " x", _Str("Aetna"), None],
    "kind": ["medicare", PayerKind.AUTO, None],
    "timely_filing": [None, 12],
    "appeal_rules": [None, "x", MEDICARE_APPEALS],
}


@given(_variants(PAYER, PAYER_TABLE))
@settings(max_examples=200)
def test_payer_paths_agree(changes: dict[str, object]) -> None:
    _same(Payer, PAYER, **changes)


@given(st.one_of(cs.appeal_levels(), cs.timely_filings(), cs.payers(), cs.appeal_rules()))
def test_valid_payer_values_take_the_fast_path(value: object) -> None:
    if type(value) is not AppealRules:
        _fast_only(type(value), value)
    else:
        assert _rule(_same(AppealRules, value)) is None


# --- ClaimLine -------------------------------------------------------------------------

LINE = attrs.evolve(line(3, modifiers=("25",), pointers=(1, 2)),
                    rendering_npi=NPI("1245319599"), charge_id="CH-1/a")
DAY = date(2026, 3, 1)

LINE_TABLE: dict[str, list[object]] = {
    "line_number": [0, 1, 9999, 10000, -1, True, 1.0, "1", None],
    "procedure": [None, CPT("99213"), HCPCS("J3420"), RevenueCode("0450"), "99213"],
    "revenue_code": [None, RevenueCode("0450"), "0450", CPT("99213")],
    "modifiers": [(), (Modifier("25"),), (Modifier("25"), Modifier("59")), [Modifier("25")],
                  ("25",), (Modifier("25"), "59"), None],
    "units": [Decimal(1), Decimal(0), Decimal("-0"), Decimal(99999), Decimal(100000),
              Decimal(-1), Decimal("1.5"), Decimal("1.000"), Decimal("1.0001"),
              Decimal("1E+1"), Decimal("1E+5"), Decimal("NaN"), Decimal("sNaN"),
              Decimal("Infinity"), Decimal("-Infinity"), _Decimal(1), 1, 1.0, True, "1"],
    "charge": [Money(1), Money(0), Decimal(1), _Money(Decimal(1)), None],
    "service_period": [Period(DAY, DAY), Period(DAY), Period(DAY, date(2026, 3, 5)),
                       (DAY, DAY), None],
    "pointers": [(), (1,), (1, 2, 3, 4, 5), (0,), (-1,), (True,), ("1",), [1], (1, 0), None],
    "rendering_npi": [None, NPI("1245319599"), "1245319599"],
    "ndc": [None, NDC("00002-7510-01"), "00002751001"],
    "charge_id": [None, "", "a", "a" * 64, "a" * 65, "-a", "a b", _Str("CH1"), 1],
}


@pytest.mark.parametrize(("changes", "rule"), [
    ({}, None), ({"line_number": 9999}, None), ({"line_number": 10000}, "range"),
    ({"line_number": True}, "type"), ({"units": Decimal("1.000")}, None),
    ({"units": Decimal("1.0001")}, "places"), ({"units": Decimal("1E+1")}, None),
    ({"units": Decimal("-0")}, None), ({"units": Decimal(100000)}, "range"),
    ({"units": Decimal("NaN")}, "finite"), ({"units": 1.0}, "no-float"),
    # A Decimal subclass has always been refused, if with the "places" rule.
    ({"units": _Decimal(1)}, "places"), ({"procedure": None, "revenue_code": None},
                                     "no-service-code"),
    ({"procedure": None, "revenue_code": RevenueCode("0450")}, None),
    ({"modifiers": ("25",)}, "type"), ({"pointers": (True,)}, "type"),
    ({"pointers": (0,)}, "range"), ({"service_period": Period(DAY)}, "open-period"),
    ({"charge": _Money(Decimal(1))}, None), ({"ndc": NDC("00002-7510-01")}, None),
    ({"charge_id": "a" * 64}, None), ({"charge_id": "a" * 65}, "format"),
    ({"charge_id": ""}, "empty"), ({"charge_id": _Str("CH1")}, "type"),
])
def test_claim_line_boundaries(changes: dict[str, object], rule: str | None) -> None:
    assert _rule(_same(ClaimLine, LINE, **changes)) == rule


@given(_variants(LINE, LINE_TABLE))
@settings(max_examples=300)
def test_claim_line_paths_agree(changes: dict[str, object]) -> None:
    _same(ClaimLine, LINE, **changes)


@given(cs.claim_lines())
def test_claim_line_paths_agree_on_generated_lines(value: ClaimLine) -> None:
    assert _rule(_same(ClaimLine, value)) is None


def test_a_common_line_takes_the_fast_path() -> None:
    _fast_only(ClaimLine, LINE)


# --- ClaimEvent ------------------------------------------------------------------------

EVENT = ClaimEvent(from_status=ClaimStatus.DRAFT, to_status=ClaimStatus.READY,
                   at=datetime(2026, 3, 2, 9, tzinfo=UTC), reason="scrubbed")


class _DateTime(datetime):
    pass


class _NoOffset(tzinfo):
    """A zone that has a ``tzinfo`` but no offset: still naive, so refused."""

    def utcoffset(self, dt: datetime | None) -> None:
        return None

    def dst(self, dt: datetime | None) -> None:
        return None

    def tzname(self, dt: datetime | None) -> str:
        return "none"


EVENT_TABLE: dict[str, list[object]] = {
    "from_status": ["draft", ClaimStatus.READY, None],
    "to_status": ["ready", ClaimStatus.SUBMITTED, None],
    "at": [datetime(2026, 3, 2), datetime(2026, 3, 2, tzinfo=timezone(timedelta(hours=-5))),
           datetime(2026, 3, 2, tzinfo=_NoOffset()),
           _DateTime(2026, 3, 2, tzinfo=UTC), date(2026, 3, 2), None],
    "reason": [None, "", "x", "x" * 500, "x" * 501, "x\ny", "caf\u00e9", _Str("x"), 1],
}


@given(_variants(EVENT, EVENT_TABLE))
@settings(max_examples=300)
def test_claim_event_paths_agree(changes: dict[str, object]) -> None:
    _same(ClaimEvent, EVENT, **changes)


@pytest.mark.parametrize(("changes", "rule"), [
    ({}, None), ({"reason": "x" * 500}, None), ({"reason": "x" * 501}, "length"),
    ({"reason": ""}, "empty"), ({"reason": "x\ny"}, "ascii"), ({"reason": _Str("x")}, "type"),
    ({"at": datetime(2026, 3, 2)}, "aware"), ({"at": _DateTime(2026, 3, 2, tzinfo=UTC)}, None),
])
def test_claim_event_boundaries(changes: dict[str, object], rule: str | None) -> None:
    assert _rule(_same(ClaimEvent, EVENT, **changes)) == rule


# --- Claim -----------------------------------------------------------------------------

CLAIM = attrs.evolve(
    Claim(id=ClaimId("PCN0001"), kind=ClaimKind.PROFESSIONAL, patient=PATIENT,
          coverage=COVERAGE, billing_provider=BILLING, rendering_provider=DOCTOR,
          place_of_service=PlaceOfService("11"),
          diagnoses=(ICD10CM("E11.9"), ICD10CM("I10"), ICD10CM("M54.50")),
          lines=(line(1), line(2, "93000", charge="20.10"), line(3, charge="0.01"))),
    encounter=EncounterId("ENC1"),
)


def _claim_same(**changes: object) -> object:
    """Like :func:`_same`, with ``Claim``'s two steps and the total it sets."""
    fast, slow = _raw(Claim, CLAIM, **changes), _raw(Claim, CLAIM, **changes)
    got = _outcome(fast.__attrs_post_init__)
    want = _outcome(slow._check_in_detail)
    assert got == want
    if got is None:
        assert _state(fast) == _state(slow)
        assert fast.total_charge == slow.total_charge
        assert fast._given_total is None
    return got


_CLAIM_LINES = CLAIM.lines
_EURO = attrs.evolve(line(2), charge=Money(Decimal(5), "EUR"))
_INSTITUTIONAL = Claim(
    id=ClaimId("PCN0002"), kind=ClaimKind.INSTITUTIONAL, patient=PATIENT, coverage=COVERAGE,
    billing_provider=BILLING, type_of_bill=TypeOfBill("0111"), diagnoses=(ICD10CM("I10"),),
    lines=(attrs.evolve(line(1, revenue="0450"), procedure=None),),
)

CLAIM_TABLE: dict[str, list[object]] = {
    "id": ["PCN0001", None],
    "kind": [ClaimKind.INSTITUTIONAL, "professional", None],
    "encounter": [None, "ENC1"],
    "patient": [None, "x"],
    "coverage": [None],
    "billing_provider": [DOCTOR, None],
    "rendering_provider": [None, BILLING],
    "referring_provider": [DOCTOR, BILLING],
    "attending_provider": [DOCTOR, "x"],
    "facility": [BILLING],
    "place_of_service": [None, "11"],
    "type_of_bill": [TypeOfBill("0111"), "0111"],
    "admission": [_INSTITUTIONAL.admission, "x"],
    "diagnoses": [(), (ICD10CM("I10"),), (ICD10CM("I10"), ICD10CM("I10")),
                  (ICD10CM("E11.9"), ICD10CM("E119")), [ICD10CM("I10")], ("I10",), None],
    "present_on_admission": [(), (PresentOnAdmission.YES,) * 3, (PresentOnAdmission.YES,),
                             (None, PresentOnAdmission.NO, None), [], ("Y",) * 3],
    "admitting_diagnosis": [None, ICD10CM("I10"), "I10"],
    "condition_codes": [(), (ConditionCode("01"),), ["01"], ("01",)],
    "occurrences": [(), ["x"], ("x",)],
    "occurrence_spans": [(), ["x"], ("x",)],
    "value_codes": [(), ["x"], ("x",)],
    "drg": [None, DRG("470"), "470"],
    "procedures": [(), (InpatientProcedure(code=ICD10PCS("0SRC0J9"), on=DAY),), ["x"]],
    "lines": [(), _CLAIM_LINES[:1], _CLAIM_LINES[1:], (*_CLAIM_LINES[:2], _EURO),
              list(_CLAIM_LINES), (*_CLAIM_LINES[:2], "x"), (_CLAIM_LINES[0], _CLAIM_LINES[0]),
              _INSTITUTIONAL.lines, None],
    "_given_total": [None, Money(Decimal("120.11")), Money(Decimal("120.10")),
                     Money(Decimal("120.11"), "EUR"), Decimal("120.11"),
                     _Money(Decimal("120.11"))],
    "frequency": [ClaimFrequency.REPLACEMENT, ClaimFrequency.VOID, "1", None],
    "original_claim_number": [None, PayerClaimNumber("ICN123"), "ICN123"],
    "prior_authorization": [None, "", "A", "A" * 50, "A" * 51, "A 1", " A", _Str("A"), 1],
    "other_payers": [(), ["x"], ("x",)],
    "status": [ClaimStatus.READY, "draft", None],
    "history": [(), (EVENT,), [EVENT], (EVENT, "x")],
    "revision": [0, 1, -1, True, 1.0, None],
    "payer_claim_number": [None, PayerClaimNumber("ICN123"), "ICN123"],
    "rejections": [(), (RejectionReason(category="A7", status_code="21"),), ("x",)],
    "adjudication": [None, "x"],
    "appeals": [(), ("x",)],
}


@pytest.mark.parametrize(("changes", "rule"), [
    ({}, None), ({"_given_total": Money(Decimal("220.11"))}, "total"),
    ({"_given_total": Money(Decimal("120.11"))}, None),
    ({"_given_total": _Money(Decimal("120.11"))}, None),
    ({"diagnoses": (ICD10CM("E11.9"), ICD10CM("E119"))}, "duplicate-diagnosis"),
    ({"lines": (_CLAIM_LINES[0], _CLAIM_LINES[0])}, "line-number"),
    ({"lines": (*_CLAIM_LINES[:1], _EURO)}, "currency"), ({"lines": ()}, "empty"),
    ({"frequency": ClaimFrequency.VOID}, "frequency"),
    ({"frequency": ClaimFrequency.VOID, "original_claim_number": PayerClaimNumber("I1")},
     None),
    ({"drg": DRG("470")}, "institutional-only"),
    ({"present_on_admission": (PresentOnAdmission.YES,)}, "poa-count"),
    ({"prior_authorization": "A" * 50}, None), ({"prior_authorization": "A" * 51}, "format"),
    ({"prior_authorization": ""}, "empty"), ({"prior_authorization": _Str("A")}, "type"),
    ({"revision": True}, "type"), ({"history": (EVENT,)}, None),
    ({"kind": ClaimKind.INSTITUTIONAL, "drg": DRG("470")}, None),
])
def test_claim_boundaries(changes: dict[str, object], rule: str | None) -> None:
    assert _rule(_claim_same(**changes)) == rule


@given(_variants(CLAIM, CLAIM_TABLE, most=6))
@settings(max_examples=300)
def test_claim_paths_agree(changes: dict[str, object]) -> None:
    _claim_same(**changes)


@given(st.sampled_from(sorted(CLAIM_TABLE)).flatmap(
    lambda name: st.tuples(st.just(name), st.sampled_from(CLAIM_TABLE[name]))))
@settings(max_examples=300)
def test_claim_paths_agree_one_field_changed(change: tuple[str, object]) -> None:
    name, value = change
    _claim_same(**{name: value})


@given(cs.claims())
def test_claim_paths_agree_on_generated_claims(claim: Claim) -> None:
    fast, slow = _raw(Claim, claim), _raw(Claim, claim)
    assert fast._check_fast() is True
    slow._check_in_detail()
    assert fast.total_charge == slow.total_charge == claim.total_charge


def test_the_common_claim_takes_the_fast_path() -> None:
    assert _raw(Claim, CLAIM)._check_fast() is True
    assert _raw(Claim, _INSTITUTIONAL)._check_fast() is True
