"""Deterministic builders shared by the claim, charge and edit tests (no tests here)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from claimcore.claims import (
    AdmissionInfo,
    Claim,
    ClaimKind,
    ClaimLine,
    EditContext,
)
from claimcore.codes import (
    CPT,
    ICD10CM,
    Modifier,
    PlaceOfService,
    PresentOnAdmission,
    RevenueCode,
    TypeOfBill,
)
from claimcore.coverage import (
    MEDICARE_APPEALS,
    Coverage,
    CoverageOrder,
    Payer,
    PayerKind,
    Plan,
    PlanType,
    Relationship,
    Subscriber,
    TimelyFiling,
)
from claimcore.ids import NPI, ClaimId, MedicalRecordNumber, MemberId, PayerId, TaxId
from claimcore.money import Money
from claimcore.patients import Address, AdministrativeSex, Patient, PersonName
from claimcore.periods import Period
from claimcore.providers import Organization, Provider

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DOS = date(2026, 3, 1)
BIRTH = date(1960, 5, 17)

ADDRESS = Address(lines=("1 Main St",), city="Springfield", state="IL", postal_code="62701")
PATIENT = Patient(
    mrn=MedicalRecordNumber("MRN12345"),
    name=PersonName(family="Doe", given="Jane"),
    birth_date=BIRTH,
    sex=AdministrativeSex.FEMALE,
    address=ADDRESS,
)
MEDICARE = Payer(
    payer_id=PayerId("MCARE1"),
    name="Medicare Part B",
    kind=PayerKind.MEDICARE,
    timely_filing=TimelyFiling(months=12),
    appeal_rules=MEDICARE_APPEALS,
)


SINCE_2020 = Period(date(2020, 1, 1))


def coverage(
    payer: Payer = MEDICARE,
    period: Period = SINCE_2020,
    order: CoverageOrder = CoverageOrder.PRIMARY,
) -> Coverage:
    """A coverage of the test patient as the subscriber."""
    return Coverage(
        payer=payer,
        plan=Plan(name="Original Medicare", plan_type=PlanType.OTHER),
        member_id=MemberId("1EG4TE5MK73"),
        subscriber=Subscriber(
            member_id=MemberId("1EG4TE5MK73"),
            name=PersonName(family="Doe", given="Jane"),
            birth_date=BIRTH,
            sex=AdministrativeSex.FEMALE,
        ),
        relationship=Relationship.SELF,
        period=period,
        order=order,
    )


COVERAGE = coverage()
BILLING = Organization(
    npi=NPI("1234567893"), name="Springfield Clinic", tax_id=TaxId("12-3456789"),
    address=ADDRESS,
)
DOCTOR = Provider(npi=NPI("1245319599"), name=PersonName(family="Hopper", given="Grace"))
DX = (ICD10CM("E11.9"), ICD10CM("I10"), ICD10CM("M54.50"))


def line(
    n: int,
    code: str = "99213",
    *,
    charge: str = "100.00",
    units: int | Decimal = 1,
    modifiers: Sequence[str] = (),
    pointers: Sequence[int] = (1,),
    on: date = DOS,
    revenue: str | None = None,
) -> ClaimLine:
    """A claim line numbered ``n``."""
    return ClaimLine(
        line_number=n,
        procedure=CPT(code),
        revenue_code=None if revenue is None else RevenueCode(revenue),
        modifiers=tuple(Modifier(m) for m in modifiers),
        units=units,
        charge=Money(Decimal(charge)),
        service_period=Period(on, on),
        pointers=tuple(pointers),
    )


def professional(
    lines: Sequence[ClaimLine] | None = None,
    *,
    claim_id: str = "PCN0001",
    diagnoses: Sequence[ICD10CM] = DX,
    cov: Coverage = COVERAGE,
) -> Claim:
    """A clean professional claim (office visit by default)."""
    return Claim(
        id=ClaimId(claim_id),
        kind=ClaimKind.PROFESSIONAL,
        patient=PATIENT,
        coverage=cov,
        billing_provider=BILLING,
        rendering_provider=DOCTOR,
        place_of_service=PlaceOfService("11"),
        diagnoses=tuple(diagnoses),
        lines=tuple(lines) if lines is not None else (line(1),),
    )


def institutional(
    lines: Sequence[ClaimLine] | None = None, *, through: date = DOS, days: int = 4
) -> Claim:
    """A clean inpatient claim (type of bill 111) of ``days`` days up to ``through``."""
    start = through - timedelta(days=days)
    return Claim(
        id=ClaimId("INST0001"),
        kind=ClaimKind.INSTITUTIONAL,
        patient=PATIENT,
        coverage=COVERAGE,
        billing_provider=BILLING,
        attending_provider=DOCTOR,
        type_of_bill=TypeOfBill("111"),
        admission=AdmissionInfo(
            statement_period=Period(start, through), admission_date=start,
            admission_hour=8, admission_type="1", admission_source="1",
            discharge_date=through, discharge_status="01",
        ),
        diagnoses=DX,
        present_on_admission=[PresentOnAdmission.YES] * len(DX),
        lines=tuple(lines) if lines is not None else (
            line(1, "99223", charge="1200.00", revenue="0120", pointers=(), on=start),
            line(2, "99238", charge="300.00", revenue="0450", pointers=(), on=through),
        ),
    )


CONTEXT = EditContext(as_of=date(2026, 3, 10))
