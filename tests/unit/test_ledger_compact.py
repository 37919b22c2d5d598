"""The compact ledger: transfers share their repeated references, and a ledger built on
the compact store still pickles, merges and serialises as its transfers."""

from __future__ import annotations

import pickle
from datetime import date
from decimal import Decimal

import attrs
import pytest

from claimcore import serialization
from claimcore.errors import ValidationError
from claimcore.ids import ClaimId, EncounterId, MedicalRecordNumber, PayerId, TransferId
from claimcore.ledger import Account, Ledger, Transfer, TransferCode, post, reversal_of
from claimcore.money import Money

ACME = Account.ar_payer(PayerId("ACME1"))


def _charge(i: int, *, encounter: str | EncounterId | None = "E1",
            trace: str | None = None) -> Transfer:
    return Transfer(
        id=TransferId(f"c{i}"), debit=ACME, credit=Account.gross_revenue(),
        amount=Money(Decimal("10.00")), on=date(2026, 3, 1), code=TransferCode.CHARGE,
        patient=MedicalRecordNumber("MRN00042"), encounter=encounter,
        claim=ClaimId("CLM-1"), trace=trace,
    )


def test_transfers_share_one_trace_string() -> None:
    """Equal trace numbers built apart end up as one string, equal to what was given."""
    first, second = "".join(["TRN", "77"]), "".join(["TRN", "7", "7"])
    assert first == second and first is not second
    a, b = _charge(1, trace=first), _charge(2, trace=second)
    assert a.trace == b.trace == "TRN77"
    assert a.trace is b.trace


def test_transfers_of_one_encounter_share_its_id() -> None:
    """An encounter given as text is read once for the transfers built after each other."""
    a, b = _charge(1, encounter="E9"), _charge(2, encounter="".join(["E", "9"]))
    assert a.encounter == b.encounter == EncounterId("E9")
    assert a.encounter is b.encounter
    c = _charge(3, encounter="E10")
    assert c.encounter == EncounterId("E10")
    assert _charge(4, encounter=EncounterId("E9")).encounter == a.encounter
    assert _charge(5, encounter=None).encounter is None


@pytest.mark.parametrize(
    ("changes", "path", "rule"),
    [
        ({"trace": "x" * 51}, "$.trace", "length"),
        ({"trace": ""}, "$.trace", "empty"),
        ({"trace": 5}, "$.trace", "type"),
        ({"encounter": ""}, "$.encounter", "empty"),
        ({"encounter": 5}, "$.encounter", "type"),
    ],
)
def test_shared_references_are_still_checked(changes: dict[str, object], path: str,
                                             rule: str) -> None:
    """Sharing comes after the checks: a bad trace or encounter is refused as before,
    also right after a valid one was read."""
    _charge(0, encounter="E1", trace="TRN1")
    with pytest.raises(ValidationError) as err:
        attrs.evolve(_charge(1), **changes)  # type: ignore[arg-type]
    assert (err.value.path, err.value.rule) == (path, rule)


def _ledger() -> Ledger:
    ledger = Ledger()
    for i in range(30):
        ledger = post(ledger, _charge(i, encounter=f"E{i % 4}", trace=f"TRN{i % 3}"))
    back = reversal_of(ledger.transfers()[3], id=TransferId("r3"), on=date(2026, 4, 1))
    return post(ledger, back)


def test_a_compact_ledger_pickles_merges_and_serialises_as_its_transfers() -> None:
    """Pickle, merge and the wire format see the same transfers and balances."""
    ledger = _ledger()
    again = pickle.loads(pickle.dumps(ledger))  # noqa: S301 - our own bytes
    assert again == ledger and again.transfers() == ledger.transfers()
    assert dict(again.balances()) == dict(ledger.balances())
    assert again.balance(ACME, encounter="E3") == ledger.balance(ACME, encounter="E3")
    e3 = EncounterId("E3")
    merged = Ledger.merge(
        Ledger.from_transfers(t for t in ledger if t.encounter != e3),
        Ledger.from_transfers(t for t in ledger if t.encounter == e3),
    )
    assert dict(merged.balances()) == dict(ledger.balances())
    assert merged.balance(ACME, encounter=e3) == ledger.balance(ACME, encounter=e3)
    assert merged.balance(ACME, claim=ClaimId("CLM-1")) == ledger.balance(
        ACME, claim=ClaimId("CLM-1")
    )
    loaded = serialization.loads(serialization.dumps(ledger), Ledger)
    assert loaded == ledger
    assert loaded.totals() == ledger.totals()
