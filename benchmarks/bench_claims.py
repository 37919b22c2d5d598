"""Claims throughput: build and scrub 10-line claims; JSON round trip beside msgspec and pydantic.

A plain script: ``python benchmarks/bench_claims.py``. Every figure is also given as a
ratio to a baseline measured in the same process (machines differ; ratios hold better).

* build + scrub: ``build_claim`` from 10 charges, then ``scrub`` with the default edits and
  NCCI/MUE tables; the baseline is pydantic v2 validating the same claim from a dict.
* JSON round trip of a 10-line claim: bytes -> validated values -> bytes, through
  claimcore's converter (orjson when installed, else json), claimcore's msgspec codec
  (``serialization.make_codec``, what ``dumps`` / ``loads`` use by default when msgspec is
  installed), msgspec ``Struct`` and
  pydantic v2 models of the same content with comparable checks (patterns on codes and
  identifiers, money as decimal strings, dates). The baseline is pydantic v2.

msgspec and pydantic are optional: a missing one is reported and skipped.
"""


import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.unit.test_claims_support import (
    BILLING,
    COVERAGE,
    DOCTOR,
    PATIENT,
)

from claimcore.charges import Charge
from claimcore.claims import (
    ClaimKind,
    EditContext,
    MueEntry,
    MueIndicator,
    MueTable,
    NcciEdit,
    NcciModifierIndicator,
    NcciTable,
    build_claim,
    scrub,
)
from claimcore.codes import CPT, ICD10CM, Modifier, PlaceOfService
from claimcore.ids import ClaimId
from claimcore.money import Money
from claimcore.periods import Period
from claimcore.serialization import make_converter

REPETITIONS = 5
DOS = date(2026, 3, 2)
CODES = ("99213", "93000", "80053", "85025", "71046", "36415", "90471", "97140", "97110",
         "99214")
DX = (ICD10CM("E11.9"), ICD10CM("I10"), ICD10CM("E78.5"), ICD10CM("M54.50"),
      ICD10CM("J45.909"), ICD10CM("K21.9"), ICD10CM("F41.1"), ICD10CM("N39.0"))
CHARGES = tuple(
    Charge(id=f"CH{n}", code=CPT(code), units=1 + n % 2, unit_price=Money(Decimal(f"{40 + n}.25")),
           modifiers=(Modifier("25"),) if n == 0 else (), service_date=DOS,
           diagnoses=(DX[n % 8], DX[(n + 1) % 8]), entered_on=DOS,
           place_of_service=PlaceOfService("11"))
    for n, code in enumerate(CODES)
)
ALWAYS = Period(date(2015, 10, 1))
CONTEXT = EditContext(
    as_of=date(2026, 3, 10),
    ncci=NcciTable(edits=[NcciEdit(column1=CPT("20610"), column2=CPT("20552"), effective=ALWAYS,
                                   modifier_indicator=NcciModifierIndicator.ALLOWED)]),
    mue=MueTable(entries=[MueEntry(code=CPT("97110"), max_units=4,
                                   adjudication_indicator=MueIndicator.LINE, effective=ALWAYS)]),
)


def build_and_scrub() -> None:
    (claim,) = build_claim(id=ClaimId("PCN1"), kind=ClaimKind.PROFESSIONAL, charges=CHARGES,
                           patient=PATIENT, coverage=COVERAGE, billing_provider=BILLING,
                           rendering_provider=DOCTOR)
    report = scrub(claim, context=CONTEXT)
    if not report.clean:  # pragma: no cover - the benchmark claim is clean
        raise SystemExit(f"benchmark claim is not clean: {report.findings}")


def rate(fn: Callable[[], object], seconds: float = 1.0) -> float:
    """Calls per second of ``fn`` (best of three runs of about ``seconds`` / 3)."""
    fn()
    n = 1
    while True:
        start = time.perf_counter()
        for _ in range(n):
            fn()
        took = time.perf_counter() - start
        if took > 0.05:
            break
        n *= 2
    per_run = max(1, int(n * (seconds / 3) / took))
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(per_run):
            fn()
        best = min(best, (time.perf_counter() - start) / per_run)
    return 1 / best


# -- the same claim as msgspec and pydantic models -----------------------------------------

NPI_RE = r"^[12][0-9]{9}$"
CPT_RE = r"^([0-9]{4}[0-9FT]|[A-V][0-9]{4})$"
ICD_RE = r"^[A-Z][0-9][0-9A-Z](\.?[0-9A-Z]{1,4})?$"
MOD_RE = r"^[0-9A-Z]{2}$"
MONEY_RE = r"^-?[0-9]{1,13}(\.[0-9]{1,2})?$"


def _pydantic_models() -> Any:
    from typing import Annotated

    from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

    from claimcore.ids import luhn_check_digit

    def npi_check(value: str) -> str:
        if luhn_check_digit("80840" + value[:9]) != value[9]:
            raise ValueError("is not a valid NPI: wrong check digit")
        return value

    # The fair model carries claimcore's checks: the NPI check digit, strict ints (no
    # "5" for 5, no 2.0), and the claim-level rules in a model validator below.
    NpiT = Annotated[str, Field(pattern=NPI_RE), AfterValidator(npi_check)]
    MoneyT = Annotated[Decimal, Field(max_digits=15, decimal_places=2)]

    class Model(BaseModel):
        model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    class Name(Model):
        family: str = Field(min_length=1, max_length=60)
        given: str | None = None
        middle: str | None = None
        prefix: str | None = None
        suffix: str | None = None

    class Address(Model):
        lines: tuple[str, ...]
        city: str
        state: str = Field(pattern=r"^[A-Z]{2}$")
        postal_code: str = Field(pattern=r"^[0-9]{5}([0-9]{4})?$")
        country: str = "US"

    class Patient(Model):
        mrn: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,49}$")
        name: Name
        birth_date: date
        sex: str = Field(pattern=r"^[FMU]$")
        address: Address | None = None
        contacts: tuple[dict[str, str], ...] = ()
        ssn: str | None = None
        guarantor: None = None
        history: tuple[dict[str, str], ...] = ()

    class TimelyFiling(Model):
        months: int = Field(ge=0, le=120)
        days: int = Field(ge=0, le=3660)

    class AppealLevel(Model):
        level: int
        name: str
        deadline_days: int
        minimum_in_controversy: MoneyT

    class AppealRules(Model):
        levels: tuple[AppealLevel, ...]
        effective: dict[str, date | None]

    class Payer(Model):
        payer_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{1,79}$")
        name: str
        kind: str
        timely_filing: TimelyFiling
        appeal_rules: AppealRules | None = None

    class Plan(Model):
        name: str
        plan_type: str
        network: str
        plan_id: str | None = None

    class Subscriber(Model):
        member_id: str
        name: Name
        birth_date: date
        sex: str
        address: Address | None = None
        employment_status: str

    class Coverage(Model):
        payer: Payer
        plan: Plan
        member_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{1,79}$")
        group_number: str | None = None
        subscriber: Subscriber
        relationship: str
        period: dict[str, date | None]
        order: str
        medicare_secondary_type: str | None = None

    class Org(Model):
        npi: NpiT
        name: str
        tax_id: str = Field(pattern=r"^[0-9]{9}$")
        address: Address
        taxonomy: str | None = None

    class Provider(Model):
        npi: NpiT
        name: Name
        taxonomy: str | None = None

    class Line(Model):
        line_number: int = Field(ge=1)
        procedure: Annotated[str, Field(pattern=CPT_RE)] | None
        revenue_code: str | None
        modifiers: tuple[Annotated[str, Field(pattern=MOD_RE)], ...]
        units: Decimal
        charge: MoneyT
        service_period: dict[str, date | None]
        pointers: tuple[int, ...]
        rendering_npi: NpiT | None
        ndc: str | None
        charge_id: str | None

    class Claim(Model):
        id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9./_-]{0,19}$")
        kind: str
        encounter: str | None
        patient: Patient
        coverage: Coverage
        billing_provider: Org
        rendering_provider: Provider | None
        referring_provider: Provider | None
        attending_provider: Provider | None
        facility: None
        place_of_service: str | None
        type_of_bill: str | None
        admission: None
        diagnoses: tuple[Annotated[str, Field(pattern=ICD_RE)], ...]
        present_on_admission: tuple[str | None, ...] = ()
        admitting_diagnosis: str | None
        # The institutional fields (empty on a professional claim).
        condition_codes: tuple[str, ...] = ()
        occurrences: tuple[dict[str, str], ...] = ()
        occurrence_spans: tuple[dict[str, str], ...] = ()
        value_codes: tuple[dict[str, str], ...] = ()
        drg: str | None = None
        procedures: tuple[dict[str, str], ...] = ()
        lines: tuple[Line, ...]
        total_charge: MoneyT
        frequency: str
        original_claim_number: str | None
        prior_authorization: str | None
        other_payers: tuple[dict[str, str], ...]
        status: str
        history: tuple[dict[str, str], ...]
        revision: int
        payer_claim_number: str | None
        rejections: tuple[dict[str, str], ...]
        adjudication: None
        appeals: tuple[dict[str, str], ...]

        @model_validator(mode="after")
        def claim_rules(self) -> Any:
            if sum(line.charge for line in self.lines) != self.total_charge:
                raise ValueError("total_charge must equal the sum of the line charges")
            for i, line in enumerate(self.lines, 1):
                if line.line_number != i:
                    raise ValueError(f"lines[{i - 1}].line_number must be {i}")
                if any(p < 1 or p > len(self.diagnoses) for p in line.pointers):
                    raise ValueError("a diagnosis pointer points past the diagnoses")
            if len(set(self.diagnoses)) != len(self.diagnoses):
                raise ValueError("diagnoses must not repeat")
            if self.frequency not in ("1", "7", "8"):
                raise ValueError("frequency must be 1, 7 or 8")
            if (self.frequency in ("7", "8")) != (self.original_claim_number is not None):
                raise ValueError("original_claim_number iff frequency is 7 or 8")
            return self

    return Claim


def _msgspec_models() -> Any:
    from typing import Annotated

    import msgspec

    NpiT = Annotated[str, msgspec.Meta(pattern=NPI_RE)]
    MoneyT = Annotated[str, msgspec.Meta(pattern=MONEY_RE)]

    class Name(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
        family: Annotated[str, msgspec.Meta(min_length=1, max_length=60)]
        given: str | None = None
        middle: str | None = None
        prefix: str | None = None
        suffix: str | None = None

    class Address(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
        lines: tuple[str, ...]
        city: str
        state: Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{2}$")]
        postal_code: Annotated[str, msgspec.Meta(pattern=r"^[0-9]{5}([0-9]{4})?$")]
        country: str = "US"

    class Patient(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
        mrn: str
        name: Name
        birth_date: date
        sex: str
        address: Address | None = None
        contacts: tuple[dict[str, str], ...] = ()
        ssn: str | None = None
        guarantor: None = None
        history: tuple[dict[str, str], ...] = ()

    class TimelyFiling(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
        months: Annotated[int, msgspec.Meta(ge=0, le=120)]
        days: Annotated[int, msgspec.Meta(ge=0, le=3660)]

    class AppealLevel(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
        level: int
        name: str
        deadline_days: int
        minimum_in_controversy: MoneyT

    class AppealRules(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
        levels: tuple[AppealLevel, ...]
        effective: dict[str, date | None]

    class Payer(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
        payer_id: str
        name: str
        kind: str
        timely_filing: TimelyFiling
        appeal_rules: AppealRules | None = None

    class Plan(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
        name: str
        plan_type: str
        network: str
        plan_id: str | None = None

    class Subscriber(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
        member_id: str
        name: Name
        birth_date: date
        sex: str
        employment_status: str
        address: Address | None = None

    class Coverage(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
        payer: Payer
        plan: Plan
        member_id: str
        subscriber: Subscriber
        relationship: str
        period: dict[str, date | None]
        order: str
        group_number: str | None = None
        medicare_secondary_type: str | None = None

    class Org(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
        npi: NpiT
        name: str
        tax_id: str
        address: Address
        taxonomy: str | None = None

    class Provider(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
        npi: NpiT
        name: Name
        taxonomy: str | None = None

    class Line(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
        line_number: int
        procedure: Annotated[str, msgspec.Meta(pattern=CPT_RE)] | None
        revenue_code: str | None
        modifiers: tuple[Annotated[str, msgspec.Meta(pattern=MOD_RE)], ...]
        units: str
        charge: MoneyT
        service_period: dict[str, date | None]
        pointers: tuple[int, ...]
        rendering_npi: NpiT | None
        ndc: str | None
        charge_id: str | None

    class Claim(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
        id: str
        kind: str
        encounter: str | None
        patient: Patient
        coverage: Coverage
        billing_provider: Org
        rendering_provider: Provider | None
        referring_provider: Provider | None
        attending_provider: Provider | None
        facility: None
        place_of_service: str | None
        type_of_bill: str | None
        admission: None
        diagnoses: tuple[Annotated[str, msgspec.Meta(pattern=ICD_RE)], ...]
        admitting_diagnosis: str | None
        lines: tuple[Line, ...]
        total_charge: MoneyT
        frequency: str
        original_claim_number: str | None
        prior_authorization: str | None
        other_payers: tuple[dict[str, str], ...]
        status: str
        history: tuple[dict[str, str], ...]
        revision: int
        payer_claim_number: str | None
        rejections: tuple[dict[str, str], ...]
        adjudication: None
        appeals: tuple[dict[str, str], ...]
        # The institutional fields (empty on a professional claim).
        present_on_admission: tuple[str | None, ...] = ()
        condition_codes: tuple[str, ...] = ()
        occurrences: tuple[dict[str, str], ...] = ()
        occurrence_spans: tuple[dict[str, str], ...] = ()
        value_codes: tuple[dict[str, str], ...] = ()
        drg: str | None = None
        procedures: tuple[dict[str, str], ...] = ()

    return Claim, msgspec


def main() -> None:
    from claimcore.claims import Claim

    (claim,) = build_claim(id=ClaimId("PCN1"), kind=ClaimKind.PROFESSIONAL, charges=CHARGES,
                           patient=PATIENT, coverage=COVERAGE, billing_provider=BILLING,
                           rendering_provider=DOCTOR)
    conv = make_converter()
    try:
        import orjson

        dumps: Callable[[Any], bytes] = orjson.dumps
        loads: Callable[[bytes], Any] = orjson.loads
        json_lib = "orjson"
    except ImportError:  # pragma: no cover - orjson is an optional extra
        import json

        def dumps(obj: Any) -> bytes:
            return json.dumps(obj, separators=(",", ":")).encode()

        loads = json.loads
        json_lib = "json"
    payload = dumps(conv.unstructure(claim))
    if conv.structure(loads(payload), Claim) != claim:  # pragma: no cover
        raise SystemExit("claimcore round trip is not lossless")

    def claimcore_round_trip() -> bytes:
        return dumps(conv.unstructure(conv.structure(loads(payload), Claim)))

    # (name, function, baseline): every contender is timed in each of REPETITIONS
    # interleaved rounds; a figure is the median over rounds of its ratio to its
    # baseline in the same round.
    contenders: list[tuple[str, Callable[[], object], str]] = []
    missing: list[str] = []
    try:
        model = _pydantic_models()
        model.model_validate_json(payload)

        def pydantic_round_trip() -> bytes:
            return model.model_validate_json(payload).model_dump_json().encode()  # type: ignore[no-any-return]

        def pydantic_validate() -> object:
            return model.model_validate_json(payload)

        contenders += [("pydantic v2 validation of the claim JSON", pydantic_validate, ""),
                       ("JSON round trip, pydantic v2 with claimcore's checks",
                        pydantic_round_trip, "")]
        round_base = "JSON round trip, pydantic v2 with claimcore's checks"
        build_base = "pydantic v2 validation of the claim JSON"
    except ImportError:
        missing.append("pydantic v2")
        round_base = f"JSON round trip, claimcore converter + {json_lib}"
        build_base = round_base
    contenders.append(("build_claim + scrub, 10-line claim", build_and_scrub, build_base))
    contenders.append((f"JSON round trip, claimcore converter + {json_lib}",
                       claimcore_round_trip, round_base))
    codec_name = "JSON round trip, claimcore msgspec codec (make_codec)"
    try:
        from claimcore.serialization import make_codec

        codec = make_codec()
        document = codec.dumps(claim)
        if codec.loads(document, Claim) != claim:  # pragma: no cover
            raise SystemExit("claimcore codec round trip is not lossless")

        def codec_round_trip() -> bytes:
            return codec.dumps(codec.loads(document, Claim))

        contenders.append((codec_name, codec_round_trip, round_base))
    except ImportError:
        missing.append("msgspec (claimcore codec)")
    # What dumps / loads use when msgspec is not installed: the same compiled functions
    # over orjson (or the json module).
    from claimcore.serialization import _json_dumps, _json_loads, _make_codec

    plain = _make_codec(encode=_json_dumps, decode=_json_loads)
    plain_document = plain.dumps(claim)
    if plain.loads(plain_document, Claim) != claim:  # pragma: no cover
        raise SystemExit("claimcore codec without msgspec is not lossless")

    def plain_round_trip() -> bytes:
        return plain.dumps(plain.loads(plain_document, Claim))

    contenders.append((f"JSON round trip, claimcore without msgspec ({json_lib})",
                       plain_round_trip, round_base))
    try:
        struct, msgspec = _msgspec_models()
        decoder = msgspec.json.Decoder(struct)
        encoder = msgspec.json.Encoder()
        decoder.decode(payload)

        def msgspec_round_trip() -> bytes:
            return encoder.encode(decoder.decode(payload))  # type: ignore[no-any-return]

        contenders.append(("JSON round trip, msgspec Struct (fewer checks)",
                           msgspec_round_trip, round_base))
    except ImportError:
        missing.append("msgspec")
    try:
        from fhir.resources.R4B.claim import Claim as FhirClaim

        from claimcore.fhir import dumps as fhir_dumps
        from claimcore.fhir import to_claim

        fhir_payload = fhir_dumps(to_claim(claim, created=date(2026, 3, 2))).encode()
        FhirClaim.model_validate_json(fhir_payload)

        def fhir_round_trip() -> bytes:
            return FhirClaim.model_validate_json(fhir_payload).model_dump_json().encode()

        contenders.append(("JSON round trip, fhir.resources R4B Claim, same claim",
                           fhir_round_trip, round_base))
    except ImportError:
        missing.append("fhir.resources")

    rates: dict[str, list[float]] = {name: [] for name, _, _ in contenders}
    for _ in range(REPETITIONS):
        for name, fn, _ in contenders:
            rates[name].append(rate(fn, seconds=0.5))
    print(f"claimcore claims benchmark (Python {sys.version.split()[0]}, claim with "
          f"{len(claim.lines)} lines and {len(claim.diagnoses)} diagnoses); medians of "
          f"{REPETITIONS} interleaved rounds")
    print(f"{'measure':<58} {'per second':>11} {'ratio':>7}  baseline")
    for name, _, base in contenders:
        per_second = statistics.median(rates[name])
        if not base:
            print(f"{name:<58} {per_second:>11,.0f}")
            continue
        ratio = statistics.median(
            r / b for r, b in zip(rates[name], rates[base], strict=True))
        print(f"{name:<58} {per_second:>11,.0f} {ratio:>7.2f}  {base}")
    fhir = "JSON round trip, fhir.resources R4B Claim, same claim"
    ours = f"JSON round trip, claimcore converter + {json_lib}"
    if fhir in rates:
        ratio = statistics.median(
            o / f for o, f in zip(rates[ours], rates[fhir], strict=True))
        print(f"claimcore round trip / fhir.resources round trip: {ratio:.1f}x")
        if codec_name in rates:
            ratio = statistics.median(
                o / f for o, f in zip(rates[codec_name], rates[fhir], strict=True))
            print(f"claimcore codec round trip / fhir.resources round trip: {ratio:.1f}x")
    for name in missing:
        print(f"{name}: not installed, skipped")


if __name__ == "__main__":
    main()
