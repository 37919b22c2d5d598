"""Salvage per claim, as a law: any valid 835 with any one claim corrupted reads every other
claim as written and reports exactly that claim as unread."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import attrs
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from claimcore.money import Money
from claimcore.remittance import PaymentMethod, Remittance
from claimcore.strategies import remittances
from claimcore.x12 import (
    ControlNumbers,
    WarningCode,
    X12Error,
    X12Warning,
    collect_835,
    iter_835,
    read_835,
    read_835_with_warnings,
    write_835,
)

AT = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
CONTROL = ControlNumbers(interchange=1, group=1, transaction=1)
CENT = Money(Decimal("0.01"))


def corrupt(elements: list[str], how: str) -> list[str]:
    """One CLP made unreadable: a required element gone, an unknown status, or a CLP04
    that no longer balances the claim."""
    out = elements + [""] * max(0, 8 - len(elements))
    if how == "no-clp07":
        out[7] = ""
    elif how == "status":
        out[2] = "99"
    else:
        out[4] = format((Money(Decimal(out[4])) + CENT).amount, "f")
    return out


WITH_CLAIMS = st.lists(remittances(), min_size=1, max_size=3).filter(
    lambda rs: any(r.claims for r in rs))


@given(WITH_CLAIMS, st.data(), st.sampled_from(["no-clp07", "status", "clp04"]))
def test_one_corrupted_claim_is_the_only_unread_one(
    items: list[Remittance], data: st.DataObject, how: str,
) -> None:
    claims = [(r, k) for r, rem in enumerate(items) for k in range(len(rem.claims))]
    r, k = data.draw(st.sampled_from(claims))
    segments = write_835(items, control_numbers=CONTROL, at=AT).split("~")
    clps = [n for n, s in enumerate(segments) if s.startswith("CLP*")]
    # the CLP segments are written in order: remittance by remittance, claim by claim
    at = clps[sum(len(rem.claims) for rem in items[:r]) + k]
    segments[at] = "*".join(corrupt(segments[at].split("*"), how))
    text = "~".join(segments)

    with pytest.raises(X12Error) as strict:
        read_835(text)
    assert strict.value.segment_number == at + 1

    lost = items[r].claims[k]
    kept = items[r].claims[:k] + items[r].claims[k + 1:]
    part = sum((c.paid for c in kept), Money.zero()) - items[r].provider_adjustments_total()
    if part.is_negative() or (items[r].method is PaymentMethod.NON_PAYMENT
                              and not part.is_zero()):
        # what the other claims pay cannot stand as a remittance: the claim's fault stands
        event("the other claims cannot stand as a remittance")
        with pytest.raises(X12Error) as salvaged:
            read_835_with_warnings(text)
        assert str(salvaged.value) == str(strict.value)
        return
    result = read_835_with_warnings(text)
    (unread,) = result.unread_claims
    assert unread.segment_number == at + 1
    assert unread.reason == str(strict.value)
    assert unread.clp01 == lost.claim.value
    assert unread.charge == lost.charge
    assert unread.paid == (lost.paid + CENT if how == "clp04" else lost.paid)
    expected = [*map(as_written, items[:r]), None, *map(as_written, items[r + 1:])]
    for n, remittance in enumerate(result.remittances):
        if n != r:
            assert remittance == expected[n]
    assert result.remittances[r].claims == kept
    assert result.remittances[r].payment == part
    not_read = [w for w in result.warnings if w.code is WarningCode.CLAIM_NOT_READ]
    assert [w.segment_number for w in not_read] == [at + 1]
    unbalanced = [w for w in result.warnings if w.code is WarningCode.PAYMENT_NOT_BALANCED]
    assert len(unbalanced) == (1 if how == "clp04" else 0)
    size = data.draw(st.integers(1, 400), label="chunk size")
    streamed = collect_835(iter_835(text[n:n + size] for n in range(0, len(text), size)))
    assert streamed.remittances == result.remittances
    assert streamed.unread_claims == result.unread_claims
    assert sorted(streamed.warnings, key=_order) == sorted(result.warnings, key=_order)


def _order(w: X12Warning) -> tuple[int, str, str]:
    return (w.segment_number or 0, w.code.value, w.message)


def as_written(r: Remittance) -> Remittance:
    """``r`` as write_835 writes it: PLB01/PLB02 (required) derived where not set, from
    the payee's id and the last day of the payment's year."""
    payee = r.payee
    ident = payee.npi or payee.tax_id
    provider = ident.value if ident is not None else payee.other_id
    return attrs.evolve(r, provider_adjustments=[
        attrs.evolve(p, provider_id=p.provider_id or provider,
                     fiscal_period_end=p.fiscal_period_end or date(r.paid_on.year, 12, 31))
        for p in r.provider_adjustments
    ])
