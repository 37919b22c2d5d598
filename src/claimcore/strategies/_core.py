"""Strategies for the foundation types: money, rates, identifiers, dates and periods."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from claimcore.codes import CARC
from claimcore.errors import ValidationError
from claimcore.findings import Finding, Severity
from claimcore.ids import (
    NPI,
    SSN,
    ClaimId,
    EncounterId,
    MedicalRecordNumber,
    MemberId,
    PayerClaimNumber,
    PayerId,
    TaxId,
    TransferId,
    luhn_check_digit,
)
from claimcore.money import Money, Rate
from claimcore.periods import AgingBucket, AgingBuckets, Period

__all__ = [
    "aging_bucket_values",
    "aging_buckets",
    "claim_ids",
    "dates",
    "encounter_ids",
    "findings",
    "medical_record_numbers",
    "member_ids",
    "money",
    "npis",
    "payer_claim_numbers",
    "payer_ids",
    "periods",
    "rates",
    "ssns",
    "tax_ids",
    "transfer_ids",
]

_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_LOWER = "abcdefghijklmnopqrstuvwxyz"


def money(
    *, min_cents: int = 0, max_cents: int = 10_000_000, currency: str = "USD"
) -> st.SearchStrategy[Money]:
    """Amounts between ``min_cents`` and ``max_cents`` (non-negative by default)."""
    return st.integers(min_cents, max_cents).map(lambda c: Money.from_cents(c, currency))


def rates(*, max_percent: int = 100, places: int = 4) -> st.SearchStrategy[Rate]:
    """Rates from 0% to ``max_percent``, with up to ``places`` decimal places as a fraction."""
    scale = 10**places
    return st.integers(0, max_percent * scale // 100).map(
        lambda n: Rate(Decimal((0, tuple(map(int, str(n))), -places)))  # any context
    )


def dates(
    *, min_value: date = date(2015, 10, 1), max_value: date = date(2030, 12, 31)
) -> st.SearchStrategy[date]:
    """Calendar dates (by default from the start of ICD-10 to 2030)."""
    return st.dates(min_value=min_value, max_value=max_value)


def periods(
    *, min_value: date = date(2015, 10, 1), max_value: date = date(2030, 12, 31),
    allow_open: bool = True,
) -> st.SearchStrategy[Period]:
    """Inclusive periods, sometimes open-ended."""

    @st.composite
    def build(draw: st.DrawFn) -> Period:
        start = draw(dates(min_value=min_value, max_value=max_value))
        if allow_open and draw(st.booleans()):
            return Period(start)
        days = draw(st.integers(0, (max_value - start).days))
        return Period(start, start + timedelta(days=days))

    return build()


def npis() -> st.SearchStrategy[NPI]:
    """Valid NPIs (a Luhn check digit over the 80840 prefix)."""
    return st.from_regex(r"[12][0-9]{8}", fullmatch=True).map(
        lambda nine: NPI(nine + luhn_check_digit("80840" + nine))
    )


_EIN_PREFIXES = tuple(
    f"{n:02d}" for n in range(1, 100)
    if f"{n:02d}" not in {"07", "08", "09", "17", "18", "19", "28", "29", "49", "69", "70",
                          "78", "79", "89", "96", "97"}
)


def tax_ids() -> st.SearchStrategy[TaxId]:
    """Valid :class:`TaxId` values, as Hypothesis draws them for ``st.from_type``."""
    return st.builds(
        lambda p, rest: TaxId(p + rest),
        st.sampled_from(_EIN_PREFIXES),
        st.from_regex(r"[0-9]{7}", fullmatch=True),
    )


def _code(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.text(_ALNUM, min_size=min_size, max_size=max_size)


def member_ids() -> st.SearchStrategy[MemberId]:
    """Valid :class:`MemberId` values, as Hypothesis draws them for ``st.from_type``."""
    return _code(6, 20).map(MemberId)


def medical_record_numbers() -> st.SearchStrategy[MedicalRecordNumber]:
    """Valid :class:`MedicalRecordNumber` values, as Hypothesis draws them for ``st.from_type``."""
    return _code(5, 12).map(MedicalRecordNumber)


def ssns() -> st.SearchStrategy[SSN]:
    """SSNs the SSA could issue: never area 000, 666 or 9xx, group 00, serial 0000, nor
    the publicised and placeholder numbers :class:`~claimcore.ids.SSN` refuses."""
    return st.builds(
        lambda a, g, s: f"{a:03d}{g:02d}{s:04d}",
        st.integers(1, 899).filter(lambda a: a != 666),
        st.integers(1, 99),
        st.integers(1, 9999),
    ).filter(_issuable).map(SSN)


def _issuable(digits: str) -> bool:
    """Whether :class:`~claimcore.ids.SSN` accepts ``digits`` (it alone knows the
    publicised and placeholder numbers it refuses)."""
    try:
        SSN(digits)
    except ValidationError:
        return False
    return True


def payer_ids() -> st.SearchStrategy[PayerId]:
    """Valid :class:`PayerId` values, as Hypothesis draws them for ``st.from_type``."""
    return _code(5, 10).map(PayerId)


# Every printable ASCII character (the X12 basic and extended character sets, what a payer
# may send in an AN element) but those files use as delimiters: claimcore's writers'
# ``* : ^ ~`` and the others the properties rewrite them to (``| > ! \``).
_AN = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) not in "*:^~|>!\\")


def _an(max_size: int) -> st.SearchStrategy[str]:
    """AN text as a payer sends it: spaces inside (never at either end), punctuation."""
    return st.text(_AN, min_size=1, max_size=max_size).map(str.strip).filter(bool)


def claim_ids() -> st.SearchStrategy[ClaimId]:
    """Claim ids claimcore submits (1 to 20 of ``A-Z 0-9``), and sometimes any id an 835's
    ``CLP01`` may echo (AN 1/38: spaces, ``#``, punctuation but delimiters)."""
    return _code(1, 20).map(ClaimId) | _an(38).map(ClaimId)


def encounter_ids() -> st.SearchStrategy[EncounterId]:
    """``ENC-`` and 4 to 12 lower-case letters: drawn on their own, so an encounter id never
    holds a record number, a name, a date or other PHI (those have capitals or digits)."""
    return st.text(_LOWER, min_size=4, max_size=12).map(lambda s: EncounterId("ENC-" + s))


def payer_claim_numbers() -> st.SearchStrategy[PayerClaimNumber]:
    """Payer claim numbers as most payers send them, and sometimes any AN 1/50 value."""
    return _code(5, 20).map(PayerClaimNumber) | _an(50).map(PayerClaimNumber)


def transfer_ids() -> st.SearchStrategy[TransferId]:
    """Valid :class:`TransferId` values, as Hypothesis draws them for ``st.from_type``."""
    return _code(1, 32).map(TransferId)


def aging_buckets() -> st.SearchStrategy[AgingBuckets]:
    """Valid :class:`AgingBuckets` values, as Hypothesis draws them for ``st.from_type``."""
    return st.lists(st.integers(1, 400), min_size=1, max_size=6, unique=True).map(
        lambda edges: AgingBuckets(tuple(sorted(edges)))
    )


def findings() -> st.SearchStrategy[Finding]:
    """Findings of either severity, with or without a CARC or an action."""
    return st.builds(
        Finding,
        edit_id=st.sampled_from(("required", "ncci-ptp", "mue", "timely-filing", "custom")),
        severity=st.sampled_from(Severity),
        message=st.sampled_from(("units must be positive", "past the payer's filing limit")),
        location=st.sampled_from(("$", "$.lines[0]", "$.diagnoses")),
        carc=st.none() | st.sampled_from(("16", "4", "236", "151", "29")).map(CARC),
        action=st.none() | st.just("call the payer"),
    )


def aging_bucket_values() -> st.SearchStrategy[AgingBucket]:
    """Single buckets, as an AgingBuckets value defines them."""
    return aging_buckets().flatmap(lambda b: st.sampled_from(b.buckets))


def _register() -> None:
    for cls, strategy in (
        (Money, money()),
        (Rate, rates()),
        (Period, periods()),
        (NPI, npis()),
        (TaxId, tax_ids()),
        (MemberId, member_ids()),
        (MedicalRecordNumber, medical_record_numbers()),
        (SSN, ssns()),
        (PayerId, payer_ids()),
        (ClaimId, claim_ids()),
        (EncounterId, encounter_ids()),
        (PayerClaimNumber, payer_claim_numbers()),
        (TransferId, transfer_ids()),
        (AgingBuckets, aging_buckets()),
        (AgingBucket, aging_bucket_values()),
        (Finding, findings()),
    ):
        st.register_type_strategy(cls, strategy)
