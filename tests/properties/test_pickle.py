"""Every public value type survives pickle, equal and of the same type; the reduction is
compact, refuses classes that are not claimcore's, and keeps no value of its own."""

# ruff: noqa: S301  (these tests unpickle only the bytes they have just written)
from __future__ import annotations

import copy
import gc
import pickle
from datetime import date
from decimal import Decimal
from typing import Any, cast

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claimcore._pickling
import claimcore.strategies  # registers st.from_type for every public type
from claimcore.errors import ClaimcoreError, ValidationError
from claimcore.ids import NPI, MemberId
from claimcore.money import Money
from claimcore.patients import AdministrativeSex, Patient, PersonName
from claimcore.periods import Period
from tests.properties.test_roundtrip import VALUE_TYPES

# The types that carry the compact reduction (every other type keeps attrs' own pickling,
# which this change does not touch).
REDUCED = [c for c in VALUE_TYPES if getattr(c, "__reduce__", None) is Period.__reduce__]


@pytest.mark.parametrize("cls", REDUCED, ids=lambda c: c.__qualname__)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_public_type_pickles_to_an_equal_value(cls: type[Any],
                                                     data: st.DataObject) -> None:
    """pickle.loads(pickle.dumps(v)) == v, of the same type, at every protocol we use."""
    try:
        value = data.draw(st.from_type(cls))
    except ClaimcoreError:
        # A type whose strategy is not registered yet: Hypothesis guesses its fields and
        # builds invalid values. test_roundtrip fails for it; pickling has nothing to add.
        pytest.skip(f"no strategy registered for {cls.__qualname__}")
    for protocol in (2, pickle.DEFAULT_PROTOCOL, pickle.HIGHEST_PROTOCOL):
        back = pickle.loads(pickle.dumps(value, protocol=protocol))
        assert back == value
        assert type(back) is type(value)
    assert copy.deepcopy(value) == value


def test_the_claim_types_are_covered() -> None:
    """The property above runs over the claim's value types (so it is not vacuous)."""
    names = {c.__name__ for c in REDUCED}
    assert {"Claim", "ClaimLine", "Money", "Period", "NPI", "MemberId", "CPT", "Patient",
            "Coverage", "Payer", "Organization"} <= names


def test_the_claim_classes_use_the_compact_reduction() -> None:
    """A value writes its tree as one flat tuple under its import path, no field names."""
    period = Period(date(2026, 1, 1), date(2026, 1, 31))
    restore, (key, flat) = cast(tuple[Any, Any], period.__reduce__())
    assert key == "claimcore.periods:Period"
    assert flat == (date(2026, 1, 1).toordinal(), date(2026, 1, 31).toordinal())
    assert restore(key, flat) == period
    name = PersonName(family="Doe")
    _, (_, named) = cast(tuple[Any, Any], Patient(
        mrn=claimcore.ids.MedicalRecordNumber("M1"), name=name, birth_date=date(1990, 1, 1),
        sex=AdministrativeSex.FEMALE).__reduce__())
    # One reduction for the whole tree: the nested values are spliced into it, the
    # identifier as its bare value, the enum member as its value.
    assert named[:6] == ("M1", "Doe", None, None, None, None)
    assert "F" in named
    assert b"start" not in pickle.dumps(period)  # no field names on the wire
    assert pickle.loads(pickle.dumps(Money(Decimal("-3.10"), "EUR"))) == Money(
        Decimal("-3.10"), "EUR")
    assert pickle.loads(pickle.dumps(NPI("1234567893"))) == NPI("1234567893")


def test_a_callers_subclass_inside_a_value_pickles_the_generic_way() -> None:
    """A value holding a caller's subclass does not fit the static types: its tree goes
    the generic way, and the subclass comes back as itself."""
    name = _LocalName(family="Doe")
    patient = Patient(mrn=claimcore.ids.MedicalRecordNumber("M1"), name=name,
                      birth_date=date(1990, 1, 1), sex=AdministrativeSex.FEMALE)
    restore = cast(tuple[Any, ...], patient.__reduce__())[0]
    assert restore is claimcore._pickling._restore
    back = pickle.loads(pickle.dumps(patient))
    assert back == patient
    assert type(back.name) is _LocalName


def test_a_malformed_pickle_is_refused() -> None:
    """Flat tuples that do not fit the class are refused as ValidationError(rule=pickle)."""
    restore = cast(tuple[Any, ...], Period(date(2026, 1, 1)).__reduce__())[0]
    for flat in ((1,), (1, 2, 3), None, "ab"):
        with pytest.raises(ValidationError) as caught:
            restore("claimcore.periods:Period", flat)
        assert caught.value.rule == "pickle"
    _, (key, flat) = cast(tuple[Any, Any], Patient(
        mrn=claimcore.ids.MedicalRecordNumber("M1"), name=PersonName(family="Doe"),
        birth_date=date(1990, 1, 1), sex=AdministrativeSex.FEMALE).__reduce__())
    bad = list(flat)
    bad[bad.index("F")] = "not a sex"
    with pytest.raises(ValidationError) as caught:
        restore(key, tuple(bad))
    assert caught.value.rule == "pickle"


def test_a_rebuilt_value_is_still_frozen() -> None:
    """Rebuilding sets the slots once; the value refuses changes afterwards."""
    back = pickle.loads(pickle.dumps(Period(date(2026, 1, 1))))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        back.start = date(2020, 1, 1)
    assert hash(back) == hash(Period(date(2026, 1, 1)))


def test_only_claimcore_classes_are_rebuilt() -> None:
    """A pickle naming another module's class through the reduction is refused."""
    restore = cast(tuple[Any, ...], Period(date(2026, 1, 1)).__reduce__())[0]
    for key in ("os:system", "claimcore.errors:ValidationError", "claimcore.periods:deadline",
                "claimcore.periods:Nothing"):
        with pytest.raises(ValidationError) as caught:
            restore(key, ("echo",))
        assert caught.value.rule == "pickle"
        assert "echo" not in str(caught.value)
        with pytest.raises(ValidationError) as caught:
            claimcore._pickling._restore([key, "echo"])  # the generic way refuses too
        assert caught.value.rule == "pickle"
    for odd in ("claimcore.patients:AdministrativeSex", 3):  # an enum, not a str
        with pytest.raises(ValidationError) as caught:
            restore(odd, ("F",))
        assert caught.value.rule == "pickle"


def test_a_callers_subclass_keeps_attrs_pickling() -> None:
    """A subclass defined outside claimcore pickles by attrs' own reduction."""
    back = pickle.loads(pickle.dumps(_LocalPeriod(date(2026, 2, 1))))
    assert type(back) is _LocalPeriod
    assert back == _LocalPeriod(date(2026, 2, 1))


@attrs.frozen
class _LocalPeriod(Period):
    pass


@attrs.frozen
class _LocalName(PersonName):
    pass


def test_the_reduction_keeps_no_phi() -> None:
    """After pickling a patient, the reduction's caches hold classes and code, no value."""
    family = "Zyxwvutsrq"
    patient = Patient(
        mrn=claimcore.ids.MedicalRecordNumber("MRN77123"),
        name=PersonName(family=family, given="Qpon"),
        birth_date=date(1961, 7, 14), sex=AdministrativeSex.FEMALE,
    )
    member = MemberId("W998877665")
    payload = pickle.dumps((patient, member))
    assert pickle.loads(payload) == (patient, member)
    gc.collect()
    for name, held in vars(claimcore._pickling).items():
        if isinstance(held, dict):
            text = repr(list(held.keys())) + repr(list(held.values()))
            for phi in (family, "Qpon", "MRN77123", "W998877665", "1961"):
                assert phi not in text, name
