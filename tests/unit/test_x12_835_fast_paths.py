"""The fast paths of read_835 (issue 20) give what the plain paths give.

The reader holds its rows as tuples (``scan_frozen``), caches ``SVC01`` values and ``CAS``
triplets, and the remittance values sum their balances as Decimals before falling back
to Money arithmetic: every value, warning and error must stay what it was.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from claimcore.codes import CARC, HCPCS, AdjustmentGroup, ClaimStatusCode
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.ids import ClaimId, PayerClaimNumber
from claimcore.money import Money
from claimcore.remittance import Adjustment, ClaimPayment, ServicePayment
from claimcore.x12 import WarningCode, X12Error, read_835, read_835_with_warnings
from claimcore.x12._envelope import envelopes
from claimcore.x12._tokens import scan, scan_chunks, scan_frozen

FIXTURES = Path(__file__).parent.parent / "fixtures" / "x12"
ISA = ("ISA*00*          *00*          *ZZ*PAYER          *ZZ*PROVIDER       "
       "*260115*1200*^*00501*000000001*0*P*:~")
HEADER = ("TRN*1*CHK0001*1999999999",
          "N1*PR*ACME HEALTH PLAN", "REF*2U*ACME01", "N1*PE*GOOD CLINIC*XX*1234567893",
          "LX*1")


def interchange(*body: str, payment: str = "") -> str:
    paid = payment or body[0].split("*")[4]  # BPR02: the claim's CLP04
    segments = ["ST*835*0001", f"BPR*I*{paid}*C*CHK************20260110", *HEADER, *body]
    return (ISA + "GS*HP*PAYER*PROVIDER*20260115*1200*1*X*005010X221A1~"
            + "~".join(segments) + f"~SE*{len(segments) + 1}*0001~GE*1*1~IEA*1*000000001~")


def usd(text: str) -> Money:
    return Money(Decimal(text))


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()
                                        if p.suffix in (".835", ".837", ".837i", ".271", ".276",
                                                        ".277") or p.name.startswith("pyx12")))
def test_frozen_rows_are_the_rows(name: str) -> None:
    text = (FIXTURES / name).read_text(encoding="latin-1")
    delims, rows, warnings = scan(text)
    assert scan_frozen(text) == (delims, [tuple(row) for row in rows], warnings)


@pytest.mark.parametrize("text", [
    "ISA*00*          *00*          *ZZ*S              *ZZ*R              "
    "*260115*1200*^*00501*000000001*0*P*:~ \r\nGS*HP*S*R~\t\n  ~\n~ST*835*1 \t~",
    "ST*835*0001*005010X221A1~\r\nBPR*I*1.00~\r\n\r\nSE*3*0001~ ",
])
def test_blank_space_around_segments_is_still_stripped(text: str) -> None:
    _, rows, _ = scan(text)
    _, frozen, _ = scan_frozen(text)
    assert frozen == [tuple(row) for row in rows]
    assert all(row[0] == row[0].strip() and row[-1] == row[-1].strip() for row in frozen)


def test_repeated_lines_and_adjustments_read_alike() -> None:
    """Cached SVC01 values and CAS triplets: equal values on every line, new warnings on
    every line that earns one (a value read with a warning is not cached)."""
    line = ("SVC*HC:T1005*50.00*40.00**1", "CAS*CO*45*10.00")
    odd = ("SVC*HC>T1005*50.00*40.00**1", "CAS*CO*45*10.00")  # another separator
    padded = ("SVC*HC:T1005.00*50.00*40.00**1", "CAS*CO*45*10.00")
    text = interchange("CLP*A1*1*200.00*160.00**12*P1", *line, *odd, *padded, *line)
    result = read_835_with_warnings(text)
    services = result.remittances[0].claims[0].services
    assert len(services) == 4 and len(set(services)) == 1
    assert services[0].procedure == HCPCS("T1005")
    assert services[0].adjustments == (Adjustment(
        group=AdjustmentGroup("CO"), reason=CARC("45"), amount=usd("10.00")),)
    found = [(w.code, w.segment_number) for w in result.warnings]
    assert found == [(WarningCode.COMPOSITE_SEPARATOR, 13),
                     (WarningCode.MALFORMED_CODE, 15)]
    again = read_835_with_warnings(interchange(
        "CLP*A1*1*100.00*80.00**12*P1", *padded, *padded))
    assert [w.code for w in again.warnings] == [WarningCode.MALFORMED_CODE] * 2


def test_a_cached_triplet_does_not_hide_a_later_fault() -> None:
    text = interchange("CLP*A1*1*100.00*80.00**12*P1", "SVC*HC:T1005*50.00*40.00**1",
                       "CAS*CO*45*10.00", "SVC*HC:T1005*50.00*40.00**1", "CAS*CO*45*1O.00")
    with pytest.raises(X12Error) as caught:
        read_835(text)
    assert (caught.value.segment_number, caught.value.element) == (14, "CAS03")


def _line(charge: str, paid: str, *amounts: str) -> ServicePayment:
    return ServicePayment(
        procedure=HCPCS("T1005"), charge=usd(charge), paid=usd(paid),
        adjustments=[Adjustment(group=AdjustmentGroup("CO"), reason=CARC("45"),
                                amount=usd(a)) for a in amounts],
    )


def test_balances_near_and_beyond_the_range_of_money() -> None:
    """Sums beyond the fast path's bound go through Money, which accepts or refuses them
    as before."""
    big = _line("9000000000000.00", "0.00", "5000000000000.00", "4000000000000.00")
    assert big.adjustments_total() == usd("9000000000000.00")
    with pytest.raises(ValidationError) as caught:
        _line("9000000000000.00", "-9000000000000.00", "9000000000000.00",
              "9000000000000.00")
    assert caught.value.rule == "range"


def test_imbalances_are_worded_as_before() -> None:
    with pytest.raises(ValidationError) as caught:
        _line("100.00", "80.00", "30.00")
    assert caught.value.rule == "line-balance"
    assert caught.value.message == (
        "service line does not balance (line-balance): charge - line adjustments = "
        "$70.00, but paid (SVC03) is $80.00 (difference $10.00)")
    text = interchange("CLP*A1*1*100.00*70.00**12*P1", "SVC*HC:T1005*100.00*70.00**1",
                       "CAS*CO*45*20.00")
    with pytest.raises(X12Error) as x12:
        read_835(text)
    assert (x12.value.segment_number, x12.value.element) == (11, "SVC03")
    claim = interchange("CLP*A1*1*100.00*90.00**12*P1", "CAS*CO*45*20.00",
                        "SVC*HC:T1005*100.00*90.00**1", "CAS*CO*45*10.00")
    with pytest.raises(X12Error) as x12:
        read_835(claim)
    assert (x12.value.segment_number, x12.value.element) == (10, "CLP04")
    assert "claim does not balance (claim-balance)" in str(x12.value)
    payment = interchange("CLP*A1*1*100.00*90.00**12*P1", "SVC*HC:T1005*100.00*90.00**1",
                          "CAS*CO*45*10.00", payment="200.00")
    with pytest.raises(X12Error) as x12:
        read_835(payment)
    assert (x12.value.segment_number, x12.value.element) == (4, "BPR02")
    assert "remittance does not balance (payment-balance)" in str(x12.value)


def test_balances_ignore_the_callers_decimal_context() -> None:
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_FLOOR
        line = _line("1234.56", "1000.01", "234.55")
    assert line.paid == usd("1000.01")
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        with pytest.raises(ValidationError):
            _line("1234.56", "1000.00", "234.55")


# ---------------------------------------------------------------- issue 20, second pass


def _envelope_outcome(text: str, marks: bool) -> object:
    """What envelopes finds in text (the transaction sets and warnings, or the error)."""
    found: list[int] = []
    try:
        _, rows, warnings = scan_frozen(text, found if marks else None)
        sets = envelopes(rows, warnings, found if marks else None)
    except X12Error as err:
        return ("error", str(err), err.segment_number, err.segment_id)
    return ([(t.st, t.se, t.gs, t.isa, t.version) for t in sets], warnings)


_ENVELOPE_CASES = [
    ISA + "GS*HP*S*R*20260115*1200*1*X*005010X221A1~" + tail
    for tail in (
        "ST*835*1~BPR~GE*1*1~", "ST*835*1~BPR~", "ST*835*1~ST*835*2~", "BPR~",
        "GE*0*1~GE*0*1~", "GS*HP~", "ST*835*1~BPR~SE*3*1~N1*PR*X~GE*1*1~IEA*1*1~",
        "ST*835*1~BPR~SE*9*2~ST*835*3~BPR~SE*3*3~GE*1*1~",
        "ST*835*1~BPR~SE*3*1~GE*1*1~IEA*1*1~" + ISA + "GS*HP~ST*835*2~BPR~SE*3*2~",
    )
] + ["ST*835*0001*005010X221A1~BPR*I*1.00~SE*3*0001~ST*835*2~BPR~SE*3*2~",
     ISA + "IEA*0*000000001~IEA*0*1~", ISA + "ST*835*1~SE*2*1~"]


@pytest.mark.parametrize("text", _ENVELOPE_CASES + [
    (FIXTURES / p.name).read_text(encoding="latin-1") for p in sorted(FIXTURES.iterdir())
    if p.suffix == ".835" or p.name.startswith("pyx12_835")])
def test_envelopes_from_marks_find_what_the_walk_over_every_row_finds(text: str) -> None:
    """read_835 looks only at the envelope rows the tokenizer marked (and at the rows
    outside a transaction set): the same sets, warnings and errors as every row walked."""
    assert _envelope_outcome(text, marks=True) == _envelope_outcome(text, marks=False)


def test_marks_are_the_envelope_rows() -> None:
    text = (FIXTURES / "pyx12_835_mult_loops.txt").read_text(encoding="latin-1")
    marks: list[int] = []
    _, rows, _ = scan_frozen(text, marks)
    assert marks == [i for i, row in enumerate(rows)
                     if row[0] in ("ISA", "GS", "ST", "SE", "GE", "IEA")]


def test_streamed_rows_are_tuples_equal_to_the_rows() -> None:
    """iter_835 reads tuple rows too (scan_chunks(freeze=True)), the same elements."""
    text = (FIXTURES / "pyx12_835_mult_loops.txt").read_text(encoding="latin-1")
    _, rows, _ = scan(text)
    _, frozen, _ = scan_chunks([text[k:k + 7] for k in range(0, len(text), 7)], freeze=True)
    streamed = list(frozen)
    assert streamed == [tuple(row) for row in rows]
    assert all(type(row) is tuple for row in streamed)


def _adjustment(amount: Money) -> Adjustment:
    return Adjustment(group=AdjustmentGroup("CO"), reason=CARC("45"), amount=amount)


def _service(adjustments: tuple[object, ...], *, paid: str = "40.00",
             remarks: tuple[object, ...] = ()) -> ServicePayment:
    return ServicePayment(procedure=HCPCS("T1005"), charge=usd("50.00"), paid=usd(paid),
                          adjustments=adjustments,  # type: ignore[arg-type]
                          remarks=remarks)  # type: ignore[arg-type]


def test_line_checks_keep_their_errors_when_the_one_pass_bails_out() -> None:
    """A member of another type, another currency, an Adjustment subclass: the line's
    checks run one by one, with the same error and path as before."""
    good = _adjustment(usd("10.00"))
    with pytest.raises(TypeMismatch) as caught:
        _service((good, "CO-45"))
    assert (caught.value.path, caught.value.rule) == ("$.adjustments[1]", "type")
    with pytest.raises(ValidationError) as wrong:
        _service((_adjustment(Money(Decimal("10.00"), "EUR")),))
    assert (wrong.value.path, wrong.value.rule) == ("$.adjustments[0].amount", "currency")
    with pytest.raises(TypeMismatch) as remark:
        _service((good,), remarks=("N14",))
    assert remark.value.path == "$.remarks[0]"

    @attrs.frozen
    class Tagged(Adjustment):
        pass

    tagged = Tagged(group=AdjustmentGroup("CO"), reason=CARC("45"), amount=usd("10.00"))
    assert _service((tagged,)).adjustments == (tagged,)
    with pytest.raises(ValidationError) as off:
        _service((tagged,), paid="41.00")
    assert off.value.rule == "line-balance"


def _claim(*services: object, adjustments: tuple[Adjustment, ...] = (),
           remarks: tuple[object, ...] = (), charge: str = "60.00",
           paid: str = "40.00") -> ClaimPayment:
    return ClaimPayment(claim=ClaimId("A1"), status=ClaimStatusCode("1"),
                        charge=usd(charge), paid=usd(paid),
                        payer_claim_number=PayerClaimNumber("P1"), adjustments=adjustments,
                        services=services,  # type: ignore[arg-type]
                        remarks=remarks)  # type: ignore[arg-type]


def test_claim_checks_keep_their_errors_when_the_one_pass_bails_out() -> None:
    line = _line("50.00", "40.00", "10.00")
    assert _claim(line, adjustments=(_adjustment(usd("10.00")),)).paid == usd("40.00")
    with pytest.raises(TypeMismatch) as caught:
        _claim(line, "SVC")
    assert caught.value.path == "$.services[1]"
    with pytest.raises(ValidationError) as wrong:
        _claim(line, adjustments=(_adjustment(Money(Decimal("10.00"), "EUR")),))
    assert (wrong.value.path, wrong.value.rule) == ("$.adjustments[0].amount", "currency")
    with pytest.raises(TypeMismatch) as remark:
        _claim(line, remarks=("N14",))
    assert remark.value.path == "$.remarks[0]"
    with pytest.raises(ValidationError) as off:
        _claim(line, adjustments=(_adjustment(usd("9.00")),))
    assert off.value.rule == "claim-balance"
    big = _line("9000000000000.00", "0.00", "5000000000000.00", "4000000000000.00")
    assert _claim(big, charge="9000000000000.00", paid="0.00").paid == usd("0.00")


def test_line_units_from_the_cache_and_not() -> None:
    """SVC05 as sent: empty is one unit, 0 is zero units (also when cached), a bad
    quantity fails before a bad amount on the same line."""
    text = interchange("CLP*A1*1*150.00*120.00**12*P1", "SVC*HC:T1005*50.00*40.00**0",
                       "CAS*CO*45*10.00", "SVC*HC:T1005*50.00*40.00**0", "CAS*CO*45*10.00",
                       "SVC*HC:T1005*50.00*40.00", "CAS*CO*45*10.00")
    units = [s.units for s in read_835(text)[0].claims[0].services]
    assert units == [Decimal(0), Decimal(0), Decimal(1)]
    with pytest.raises(X12Error) as caught:
        read_835(interchange("CLP*A1*1*50.00*40.00**12*P1", "SVC*HC:T1005*5O.00*40.00**x",
                             "CAS*CO*45*10.00"))
    assert (caught.value.segment_number, caught.value.element) == (11, "SVC05")
