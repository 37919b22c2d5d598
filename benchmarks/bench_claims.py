"""Claims throughput: build and scrub 10-line claims; JSON round trip beside msgspec and pydantic.

A plain script: ``python benchmarks/bench_claims.py``. Every figure is also given as a
ratio to a baseline measured in the same process (machines differ; ratios hold better).

* build + scrub: ``build_claim`` from 10 charges, then ``scrub`` with the default edits and
  NCCI/MUE tables; the baseline is pydantic v2 validating the same claim from a dict.
* JSON round trip of a 10-line claim: bytes -> validated values -> bytes, through
  claimcore's converter (orjson when installed, else json), msgspec ``Struct`` and
  pydantic v2 models of the same content with comparable checks (patterns on codes and
  identifiers, money as decimal strings, dates). The baseline is pydantic v2.

msgspec and pydantic are optional: a missing one is reported and skipped.
"""


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

DOS = date(2026, 3, 2)
CODES = ("99213", "93000", "80053", "85025", "71046", "36415", "90471", "97140", "97110",
         "99214")
DX = (ICD10CM("E11.9"), ICD10CM("I10"), ICD10CM("E78.5"), ICD10CM("M54.50"))
CHARGES = tuple(
    Charge(id=f"CH{n}", code=CPT(code), units=1 + n % 2, unit_price=Money(Decimal(f"{40 + n}.25")),
           modifiers=(Modifier("25"),) if n == 0 else (), service_date=DOS,
           diagnoses=(DX[n % 4], DX[(n + 1) % 4]), entered_on=DOS,
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

    from pydantic import BaseModel, ConfigDict, Field

    NpiT = Annotated[str, Field(pattern=NPI_RE)]
    MoneyT = Annotated[Decimal, Field(max_digits=15, decimal_places=2)]

    class Model(BaseModel):
        model_config = ConfigDict(frozen=True, extra="forbid")

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

    rows: list[tuple[str, float | None, str]] = []
    baseline_name = "pydantic v2"
    pydantic_rate: float | None = None
    try:
        model = _pydantic_models()
        model.model_validate_json(payload)

        def pydantic_round_trip() -> bytes:
            return model.model_validate_json(payload).model_dump_json().encode()  # type: ignore[no-any-return]

        def pydantic_validate() -> object:
            return model.model_validate_json(payload)

        pydantic_rate = rate(pydantic_round_trip)
        pydantic_build = rate(pydantic_validate)
    except ImportError:
        pydantic_build = None
        baseline_name = "claimcore JSON round trip"

    build_rate = rate(build_and_scrub)
    rows.append(("build_claim + scrub, 10-line claim (claims/s)", build_rate,
                 "pydantic v2 JSON validation of the same claim"))
    cc_rate = rate(claimcore_round_trip)
    rows.append((f"JSON round trip, claimcore converter + {json_lib} (claims/s)", cc_rate, ""))
    try:
        struct, msgspec = _msgspec_models()
        decoder = msgspec.json.Decoder(struct)
        encoder = msgspec.json.Encoder()
        decoder.decode(payload)

        def msgspec_round_trip() -> bytes:
            return encoder.encode(decoder.decode(payload))  # type: ignore[no-any-return]

        rows.append(("JSON round trip, msgspec Struct (claims/s)", rate(msgspec_round_trip), ""))
    except ImportError:
        rows.append(("JSON round trip, msgspec Struct (claims/s)", None, "not installed"))
    rows.append(("JSON round trip, pydantic v2 (claims/s)", pydantic_rate,
                 "" if pydantic_rate else "not installed"))
    try:
        from fhir.resources.R4B.claim import Claim as FhirClaim

        from claimcore.fhir import dumps as fhir_dumps
        from claimcore.fhir import to_claim

        fhir_payload = fhir_dumps(to_claim(claim, created=date(2026, 3, 2))).encode()
        FhirClaim.model_validate_json(fhir_payload)

        def fhir_round_trip() -> bytes:
            return FhirClaim.model_validate_json(fhir_payload).model_dump_json().encode()

        rows.append(("JSON round trip, fhir.resources R4B Claim, same claim (claims/s)",
                     rate(fhir_round_trip), ""))
    except ImportError:
        rows.append(("JSON round trip, fhir.resources R4B Claim (claims/s)", None,
                     "not installed"))

    base_rt = pydantic_rate or cc_rate
    print(f"claimcore claims benchmark (Python {sys.version.split()[0]}); "
          f"ratios to {baseline_name} in this process\n")
    print(f"{'measure':<62} {'per second':>12} {'ratio':>7}")
    for name, value, note in rows:
        if value is None:
            print(f"{name:<62} {'-':>12} {'-':>7}  {note}")
            continue
        base = pydantic_build if name.startswith("build") and pydantic_build else base_rt
        print(f"{name:<62} {value:>12,.0f} {value / base:>7.2f}"
              + (f"  (vs {note})" if note and base else ""))


if __name__ == "__main__":
    main()
