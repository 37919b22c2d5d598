"""PHI never shows: no generated value (ids and transfers included) has a patient's PHI in
its repr, because no strategy builds an identifier from PHI."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Final

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from claimcore.claims import Claim, ClaimStatus
from claimcore.codes import Code
from claimcore.coverage import Subscriber
from claimcore.encounters import Encounter
from claimcore.ids import (
    NPI,
    ClaimId,
    EncounterId,
    MaskedIdentifier,
    PayerClaimNumber,
    PayerId,
    TaxId,
)
from claimcore.ledger import Ledger
from claimcore.patients import DemographicChange, Guarantor, Patient
from claimcore.providers import Facility, Organization, Provider
from claimcore.strategies import RevenueCycle, claims, encounters, patients, revenue_cycles
from tests.properties.test_front import _date_secrets, _name_secrets, patient_secrets


def _values(root: object) -> Iterator[object]:
    """Every claimcore value reachable from ``root``: attrs instances, the transfers of a
    ledger, and what tuples and frozensets hold (bare strings and dates are fields, not
    values: their owner's repr decides whether they show)."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        value = todo.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, Ledger):
            yield value
            todo.extend(value)
        elif attrs.has(type(value)):
            yield value
            todo.extend(getattr(value, a.name) for a in attrs.fields(type(value)))  # type: ignore[arg-type]
        elif isinstance(value, tuple | frozenset | list):
            todo.extend(value)


def _secrets(root: object) -> set[str]:
    """The PHI under ``root``: patients' (names, birth dates, SSNs, addresses, phones,
    record numbers), subscribers' names and birth dates, and every member id, record
    number and SSN, in the forms a leak would take."""
    found: set[str] = set()
    for value in _values(root):
        if isinstance(value, Patient):
            found |= patient_secrets(value)
        elif isinstance(value, Subscriber):
            found |= set(_name_secrets(value.name)) | set(_date_secrets(value.birth_date))
        elif isinstance(value, MaskedIdentifier):
            found.add(value.unmasked)
    return {s for s in found if s}


def _leaks(root: object, *, coincidences: frozenset[str] = frozenset()) -> list[str]:
    text = "\n".join(repr(v) for v in _values(root))
    return sorted(s for s in _secrets(root) - coincidences if s in text)


@settings(max_examples=60, deadline=None)
@given(revenue_cycles())
def test_no_phi_in_any_value_of_a_revenue_cycle(cycle: RevenueCycle) -> None:
    """The account, encounters, claims, remittances, transfers and their ids hold no PHI."""
    assert _leaks(cycle) == []  # the cycle's own repr (its steps) among them


_PEOPLE: Final = (Patient, Subscriber, Guarantor, DemographicChange)
"""The values whose dates are PHI (birth dates, dates of a change of name or address)."""


def _coincidences(root: object) -> frozenset[str]:
    """PHI values that are equal to, or inside, what a value shows on purpose and draws
    apart from the patient: payer ids and claim numbers, NPIs, tax ids, code values, and
    providers', organizations' and facilities' names (public data). That is a coincidence of two
    draws (a patient named Baaa treated at Baaa Clinic), not a leak; so is a birth date
    that is also a date of service or of an event (a newborn seen on the day of birth).
    A claim or encounter id whose digits hold a ZIP, phone or date drawn apart ("00000" and
    a ZIP of 00000: Hypothesis shrinks both towards zeros) is a coincidence too; an id
    that holds a name, a member id, a record number or an SSN is never excused."""
    shown: set[str] = set()
    whole_ids: set[str] = set()
    masked: set[str] = set()
    for value in _values(root):
        # A repr spells its type's and fields' names: a member id drawn as "ICD10C" shows
        # inside "ICD10CM(code=...)" without leaking anything.
        shown.add(type(value).__name__)
        if attrs.has(type(value)):
            shown.update(a.name for a in attrs.fields(type(value)))  # type: ignore[arg-type]
        if isinstance(value, MaskedIdentifier):
            masked.add(value.unmasked)
        if isinstance(value, ClaimId | EncounterId):
            whole_ids.add(value.value)
        elif isinstance(value, PayerId | PayerClaimNumber | NPI | TaxId):
            shown.add(value.value)
        elif isinstance(value, Code):
            # Code values are public (a ZIP of 85025 beside CPT 85025 is two draws).
            shown.add(value.code)
        elif isinstance(value, Provider | Organization | Facility):
            shown.add(repr(value))
        elif attrs.has(type(value)) and not isinstance(value, _PEOPLE):
            fields = attrs.fields(type(value))  # type: ignore[arg-type]
            shown |= {repr(d) for d in (getattr(value, a.name) for a in fields)
                      if isinstance(d, date)}
    return frozenset(s for s in _secrets(root) if any(s in p for p in shown)
                     or (s.isdigit() and s not in masked
                         and any(s in i for i in whole_ids)))


@given(encounters(), patients())
def test_no_phi_in_an_encounter_of_a_patient(encounter: Encounter, patient: Patient) -> None:
    """An encounter's id and repr hold none of its patient's PHI."""
    encounter = attrs.evolve(encounter, patient=patient.mrn)
    both = (encounter, patient)
    assert _leaks(both, coincidences=_coincidences(both)) == []


@settings(max_examples=60)
@given(st.sampled_from((None, *ClaimStatus)).flatmap(lambda status: claims(status=status)))
def test_no_phi_in_any_value_of_a_claim(claim: Claim) -> None:
    """A claim's id, encounter, lines, history and adjudication hold no PHI."""
    assert _leaks(claim, coincidences=_coincidences(claim)) == []
    assert claim.id.value not in _secrets(claim) - _coincidences(claim)
