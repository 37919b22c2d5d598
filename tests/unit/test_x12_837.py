"""Writing 837P and 837I claims: the segments a payer reads, and pyx12's verdict on them."""

from __future__ import annotations

import io
import json
import logging
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from claimcore.adjustments import Adjustment
from claimcore.claims import (
    AdmissionInfo,
    Claim,
    ClaimAdjustment,
    ClaimKind,
    ClaimLine,
    LineAdjudication,
    OtherPayer,
)
from claimcore.codes import (
    CARC,
    ICD10CM,
    NDC,
    AdjustmentGroup,
    ClaimFrequency,
    Modifier,
    PlaceOfService,
    RevenueCode,
    TypeOfBill,
    procedure_code,
)
from claimcore.coverage import (
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
from claimcore.errors import ValidationError
from claimcore.ids import (
    NPI,
    ClaimId,
    MedicalRecordNumber,
    MemberId,
    PayerClaimNumber,
    PayerId,
    TaxId,
)
from claimcore.money import Money
from claimcore.patients import Address, AdministrativeSex, Patient, PersonName
from claimcore.periods import Period
from claimcore.providers import Organization, Provider
from claimcore.remittance import Adjustment as RemittanceAdjustment
from claimcore.x12 import (
    ControlNumbers,
    Receiver,
    Segment,
    Submitter,
    read_835,
    read_interchanges,
    write_835,
    write_837i,
    write_837p,
)

AT = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
NUMBERS = ControlNumbers(interchange=42, group=42, transaction=1)
SUBMITTER = Submitter(name="ACME BILLING", id="ACME01", contact_name="Pat Jones",
                      phone="5555551234", email="billing@acme.example")
RECEIVER = Receiver("BIG PAYER", "BIGPAYER")
DOS = date(2026, 1, 5)


def pyx12_errors(text: str) -> list[str]:
    """Every error pyx12's validator reports for ``text`` (skips when pyx12 is missing)."""
    pytest.importorskip("pyx12")
    import pyx12.params
    import pyx12.x12n_document

    logging.getLogger("pyx12").setLevel(logging.CRITICAL)
    found: list[str] = []

    def walk(node: Any, seg: str) -> None:
        if isinstance(node, dict):
            here = node.get("seg_id") or seg
            found.extend(f"{here}: {e.get('err_str')}" for e in node.get("errors") or [])
            for value in node.values():
                walk(value, here)
        elif isinstance(node, list):
            for value in node:
                walk(value, seg)

    report = io.StringIO()
    ok = pyx12.x12n_document.x12n_document(
        param=pyx12.params.params(), src_file=io.StringIO(text), fd_997=io.StringIO(),
        fd_html=None, fd_xmldoc=None, fd_json=report,
    )
    walk(json.loads(report.getvalue() or "[]"), "")
    if not ok and not found:
        found.append("pyx12 rejected the interchange")
    return found


def usd(text: str) -> Money:
    return Money(Decimal(text))


def address(zip_code: str = "627011234") -> Address:
    return Address(lines=("1 Main St", "Suite 2"), city="Springfield", state="IL",
                   postal_code=zip_code)


BILLING = Organization(npi=NPI("1234567893"), name="GOOD CLINIC", tax_id=TaxId("12-3456789"),
                       address=address(), taxonomy="207Q00000X")
RENDERING = Provider(npi=NPI("1245319599"), name=PersonName(family="Welby", given="Marcus"),
                     taxonomy="207Q00000X")
PATIENT = Patient(mrn=MedicalRecordNumber("MRN1"), name=PersonName(family="Smith", given="Ted"),
                  birth_date=date(2010, 5, 1), sex=AdministrativeSex.MALE, address=address())
SUBSCRIBER = Subscriber(member_id=MemberId("XYZ123456789"),
                        name=PersonName(family="Smith", given="Jack"),
                        birth_date=date(1980, 10, 22), sex=AdministrativeSex.MALE,
                        address=address())


def payer(name: str = "BIG PAYER", payer_id: str = "BIGPAYER",
          kind: PayerKind = PayerKind.COMMERCIAL) -> Payer:
    return Payer(payer_id=PayerId(payer_id), name=name, kind=kind,
                 timely_filing=TimelyFiling(days=90))


def coverage(relationship: Relationship = Relationship.SELF,
             order: CoverageOrder = CoverageOrder.PRIMARY, **kw: Any) -> Coverage:
    return Coverage(payer=kw.pop("payer", payer()),
                    plan=Plan(name="Gold PPO", plan_type=PlanType.PPO),
                    member_id=MemberId("XYZ123456789"), group_number=kw.pop("group", "GRP01"),
                    subscriber=SUBSCRIBER, relationship=relationship,
                    period=Period(date(2025, 1, 1)), order=order)


def evolve(claim: Claim, **changes: Any) -> Claim:
    """attrs.evolve, with the total charge following new lines."""
    if "lines" in changes:
        changes["total_charge"] = sum((line.charge for line in changes["lines"]), Money.zero())
    return attrs.evolve(claim, **changes)


def professional(**changes: Any) -> Claim:
    lines = [
        ClaimLine(line_number=1, procedure=procedure_code("99213"),
                  modifiers=[Modifier("25")], charge=usd("43.00"),
                  service_period=Period.day(DOS), pointers=[1, 2], charge_id="CH1"),
        ClaimLine(line_number=2, procedure=procedure_code("J3301"), units=Decimal(2),
                  charge=usd("21.04"), service_period=Period(DOS, date(2026, 1, 6)),
                  pointers=[2], ndc=NDC("00003-0293-05")),
    ]
    claim = Claim(id=ClaimId("26407789"), kind=ClaimKind.PROFESSIONAL, patient=PATIENT,
                  coverage=coverage(), billing_provider=BILLING, rendering_provider=RENDERING,
                  place_of_service=PlaceOfService("11"),
                  diagnoses=[ICD10CM("E11.9"), ICD10CM("I10")], lines=lines)
    return evolve(claim, **changes)


def institutional(**changes: Any) -> Claim:
    lines = [
        ClaimLine(line_number=1, revenue_code=RevenueCode("0305"),
                  procedure=procedure_code("85025"), charge=usd("13.39"),
                  service_period=Period.day(DOS)),
        ClaimLine(line_number=2, revenue_code=RevenueCode("0120"), units=Decimal(3),
                  charge=usd("1500.00"), service_period=Period(DOS, date(2026, 1, 7))),
    ]
    admission = AdmissionInfo(statement_period=Period(DOS, date(2026, 1, 8)),
                              admission_date=DOS, admission_hour=7, admission_type="1",
                              admission_source="1", discharge_date=date(2026, 1, 8),
                              discharge_hour=11, discharge_status="01")
    claim = Claim(id=ClaimId("756048Q"), kind=ClaimKind.INSTITUTIONAL, patient=PATIENT,
                  coverage=coverage(), billing_provider=BILLING, attending_provider=RENDERING,
                  type_of_bill=TypeOfBill("111"), admission=admission,
                  diagnoses=[ICD10CM("J18.9"), ICD10CM("I10"), ICD10CM("E11.9")],
                  admitting_diagnosis=ICD10CM("R50.9"), lines=lines)
    return evolve(claim, **changes)


def segments(text: str) -> list[Segment]:
    (interchange,), warnings = read_interchanges(text)
    assert warnings == ()
    return list(interchange.groups[0].transactions[0].segments)


def find(segs: list[Segment], seg_id: str, *first: str) -> list[Segment]:
    return [s for s in segs if s.id == seg_id and list(s.elements[1:1 + len(first)]) == list(first)]


def secondary_payer() -> OtherPayer:
    primary = coverage(payer=payer("KEY INSURANCE", "KEY01"), order=CoverageOrder.PRIMARY)
    return OtherPayer(
        coverage=primary, paid=usd("39.15"),
        adjustments=[ClaimAdjustment(group=AdjustmentGroup("PR"), reason=CARC("1"),
                                     amount=usd("21.89")),
                     ClaimAdjustment(group=AdjustmentGroup("PR"), reason=CARC("2"),
                                     amount=usd("15.00"))],
        lines=[LineAdjudication(line_number=1, paid=usd("40.00"), adjustments=[
            ClaimAdjustment(group=AdjustmentGroup("CO"), reason=CARC("42"), amount=usd("3.00"))])],
        adjudicated_on=date(2026, 1, 12),
    )


def test_837p_has_the_envelope_hierarchy_and_claim() -> None:
    """ISA/GS/ST..SE/GE/IEA, HL 20 > 22, CLM05 11:B:1, HI ABK/ABF, SV1 with pointers."""
    text = write_837p([professional()], submitter=SUBMITTER, receiver=RECEIVER,
                      control_numbers=NUMBERS, at=AT)
    assert text.startswith("ISA*00*          *00*          *ZZ*ACME01         *ZZ*BIGPAYER")
    assert "*260115*0930*^*00501*000000042*0*P*:~GS*HC*ACME01*BIGPAYER*20260115*0930*42*X*" \
           "005010X222A1~ST*837*0001*005010X222A1~BHT*0019*00*42*20260115*0930*CH~" in text
    assert text.endswith("~GE*1*42~IEA*1*000000042~")
    segs = segments(text)
    assert [s.elements[1:] for s in segs if s.id == "HL"] == [("1", "", "20", "1"),
                                                             ("2", "1", "22", "0")]
    (clm,) = find(segs, "CLM")
    assert clm.elements[1:] == ("26407789", "64.04", "", "", "11:B:1", "Y", "A", "Y", "Y")
    assert find(segs, "HI")[0].elements[1:] == ("ABK:E119", "ABF:I10")
    assert find(segs, "SV1")[0].elements[1:] == ("HC:99213:25", "43.00", "UN", "1", "", "",
                                                "1:2")
    assert find(segs, "DTP", "472")[1].elements[2:] == ("RD8", "20260105-20260106")
    assert find(segs, "LIN")[0].elements[1:] == ("", "N4", "00003029305")
    assert find(segs, "CTP")[0].elements[4:] == ("2", "UN")
    assert find(segs, "REF", "EI")[0][2] == "123456789"
    assert find(segs, "NM1", "IL")[0][9] == "XYZ123456789"
    assert find(segs, "SBR")[0].elements[1:4] == ("P", "18", "GRP01")
    assert not find(segs, "PAT")


def test_837p_validates_with_pyx12() -> None:
    """pyx12 finds no error in the professional claim, its dependent and secondary forms."""
    dependent = professional(coverage=coverage(Relationship.CHILD))
    secondary = professional(id=ClaimId("SEC1"), other_payers=[secondary_payer()],
                             coverage=coverage(order=CoverageOrder.SECONDARY))
    replacement = professional(id=ClaimId("REP1"), frequency=ClaimFrequency.REPLACEMENT,
                               original_claim_number=PayerClaimNumber("ICN0001"),
                               prior_authorization="AUTH1")
    text = write_837p([professional(), dependent, secondary, replacement], submitter=SUBMITTER,
                      receiver=RECEIVER, control_numbers=NUMBERS, at=AT)
    assert pyx12_errors(text) == []


def test_dependent_patient_gets_its_own_hl() -> None:
    """A child patient: HL 22 with a child, HL 23 with PAT*19, NM1*QC and DMG."""
    segs = segments(write_837p([professional(coverage=coverage(Relationship.CHILD))],
                               submitter=SUBMITTER, receiver=RECEIVER,
                               control_numbers=NUMBERS, at=AT))
    assert [s.elements[1:] for s in segs if s.id == "HL"] == [
        ("1", "", "20", "1"), ("2", "1", "22", "1"), ("3", "2", "23", "0")]
    assert find(segs, "PAT")[0][1] == "19"
    assert find(segs, "SBR")[0][2] == ""
    assert find(segs, "NM1", "QC")[0][3] == "Smith"


def test_secondary_claim_carries_the_prior_adjudication() -> None:
    """2320 SBR/CAS/AMT*D/OI, 2330A/B, and 2430 SVD/CAS/DTP*573 for the adjudicated line."""
    claim = professional(other_payers=[secondary_payer()],
                         coverage=coverage(order=CoverageOrder.SECONDARY))
    segs = segments(write_837p([claim], submitter=SUBMITTER, receiver=RECEIVER,
                               control_numbers=NUMBERS, at=AT))
    sbrs = find(segs, "SBR")
    assert [s[1] for s in sbrs] == ["S", "P"]
    assert find(segs, "CAS")[0].elements[1:] == ("PR", "1", "21.89", "", "2", "15.00")
    assert find(segs, "AMT", "D")[0][2] == "39.15"
    assert [s[3] for s in find(segs, "NM1", "PR")] == ["BIG PAYER", "KEY INSURANCE"]
    assert find(segs, "SVD")[0].elements[1:] == ("KEY01", "40.00", "HC:99213:25", "", "1")
    assert find(segs, "CAS", "CO")[0].elements[2:] == ("42", "3.00")
    assert find(segs, "DTP", "573")[0][3] == "20260112"


def test_replacement_claim_names_the_original() -> None:
    """Frequency 7: CLM05-3 is 7 and REF*F8 carries the payer's original claim number."""
    claim = professional(frequency=ClaimFrequency.REPLACEMENT,
                         original_claim_number=PayerClaimNumber("ICN0001"))
    segs = segments(write_837p([claim], submitter=SUBMITTER, receiver=RECEIVER,
                               control_numbers=NUMBERS, at=AT))
    assert find(segs, "CLM")[0][5] == "11:B:7"
    assert find(segs, "REF", "F8")[0][2] == "ICN0001"


def test_837i_has_the_institutional_loops() -> None:
    """CLM05 11:A:1, DTP*434/435/096, CL1, HI ABK/ABJ/ABF, SV2 with revenue codes."""
    text = write_837i([institutional()], submitter=SUBMITTER, receiver=RECEIVER,
                      control_numbers=NUMBERS, at=AT)
    assert "GS*HC*ACME01*BIGPAYER*20260115*0930*42*X*005010X223A2~" in text
    segs = segments(text)
    assert find(segs, "CLM")[0].elements[1:] == ("756048Q", "1513.39", "", "", "11:A:1", "",
                                                "A", "Y", "Y")
    assert find(segs, "DTP", "434")[0][3] == "20260105-20260108"
    assert find(segs, "DTP", "435")[0].elements[2:] == ("DT", "202601050700")
    assert find(segs, "DTP", "096")[0][3] == "1100"
    assert find(segs, "CL1")[0].elements[1:] == ("1", "1", "01")
    assert [s.elements[1:] for s in find(segs, "HI")] == [("ABK:J189",), ("ABJ:R509",),
                                                          ("ABF:I10", "ABF:E119")]
    assert [s.elements[1:] for s in find(segs, "SV2")] == [
        ("0305", "HC:85025", "13.39", "UN", "1"), ("0120", "", "1500.00", "DA", "3")]
    assert find(segs, "NM1", "71")[0][9] == "1245319599"


def test_837i_validates_with_pyx12() -> None:
    """pyx12 finds no error in the institutional claim, including a secondary form."""
    other = attrs.evolve(secondary_payer(), lines=[LineAdjudication(
        line_number=2, paid=usd("1400.00"), adjustments=[ClaimAdjustment(
            group=AdjustmentGroup("CO"), reason=CARC("45"), amount=usd("100.00"))])])
    secondary = institutional(id=ClaimId("SEC2"), other_payers=[other],
                              coverage=coverage(order=CoverageOrder.SECONDARY))
    dependent = institutional(id=ClaimId("DEP2"), coverage=coverage(Relationship.SPOUSE))
    text = write_837i([institutional(), secondary, dependent], submitter=SUBMITTER,
                      receiver=RECEIVER, control_numbers=NUMBERS, at=AT)
    assert pyx12_errors(text) == []


def test_fixture_837p_is_checked_by_the_harness() -> None:
    """The harness does report errors: a copied 5010 example with a broken SE count fails."""
    text = write_837p([professional()], submitter=SUBMITTER, receiver=RECEIVER,
                      control_numbers=NUMBERS, at=AT).replace("SE*", "SE*9")
    assert any("SE" in e for e in pyx12_errors(text))


@pytest.mark.parametrize(
    ("claim", "rule"),
    [
        (institutional(), "claim-kind"),
        (professional(place_of_service=None), "place-of-service"),
        (professional(billing_provider=attrs.evolve(BILLING, address=address("62701"))),
         "billing-zip"),
        (professional(patient=attrs.evolve(PATIENT, address=None),
                      coverage=coverage(Relationship.CHILD)), "patient-address"),
        (professional(diagnoses=[]), "no-diagnosis"),
    ],
)
def test_837p_refuses_what_the_guide_cannot_carry(claim: Claim, rule: str) -> None:
    """Claims an 837P cannot hold raise ValidationError with a rule id, and no PHI."""
    with pytest.raises(ValidationError) as err:
        write_837p([claim], submitter=SUBMITTER, receiver=RECEIVER, control_numbers=NUMBERS,
                   at=AT)
    assert err.value.rule == rule
    assert "Smith" not in str(err.value) and "62701" not in str(err.value)


def test_837i_refuses_a_professional_claim_and_delimiters_in_text() -> None:
    """A professional claim in an 837I, and a name holding '*', are refused."""
    with pytest.raises(ValidationError):
        write_837i([professional()], submitter=SUBMITTER, receiver=RECEIVER,
                   control_numbers=NUMBERS, at=AT)
    starred = Submitter(name="A*B", id="AB01", contact_name="Pat", phone="5555551234")
    with pytest.raises(ValidationError) as err:
        write_837p([professional()], submitter=starred, receiver=RECEIVER,
                   control_numbers=NUMBERS, at=AT)
    assert err.value.rule == "x12-character"
    with pytest.raises(ValidationError):
        write_837p([], submitter=SUBMITTER, receiver=RECEIVER, control_numbers=NUMBERS, at=AT)
    with pytest.raises(ValidationError):
        write_837p([professional()], submitter=SUBMITTER, receiver=RECEIVER,
                   control_numbers=NUMBERS, at=datetime(2026, 1, 15))  # naive


def test_837_edge_shapes_write_and_validate() -> None:
    """Fractional units, a facility, a Canadian patient, an e-mail-only contact, an
    other payer without line detail: written as the guide says, and pyx12 agrees."""
    from claimcore.codes import PlaceOfService as POS
    from claimcore.providers import Facility

    canadian = attrs.evolve(PATIENT, address=Address(lines=("1 Rue Main",), city="Ottawa",
                                                     state="ON", postal_code="K1A 0B1",
                                                     country="CA"))
    facility = Facility(name="GOOD CLINIC ANNEX", address=address(), place_of_service=POS("11"),
                        npi=NPI("1234567893"))
    other = attrs.evolve(secondary_payer(), lines=())
    claim = professional(
        lines=[attrs.evolve(professional().lines[0], units=Decimal("1.5"))],
        patient=canadian, coverage=coverage(Relationship.SPOUSE, order=CoverageOrder.SECONDARY),
        facility=facility, other_payers=[other], referring_provider=RENDERING,
    )
    mailer = Submitter(name="ACME", id="ACME01", contact_name="Pat", email="b@acme.example")
    text = write_837p([claim], submitter=mailer, receiver=RECEIVER, control_numbers=NUMBERS,
                      at=AT)
    segs = segments(text)
    assert find(segs, "SV1")[0][4] == "1.5"
    assert find(segs, "N4")[-1].elements[1:] != ()
    assert [s.elements[1:] for s in find(segs, "N4") if s[4] == "CA"] == [
        ("Ottawa", "ON", "K1A 0B1", "CA")]
    assert find(segs, "NM1", "77")[0][9] == "1234567893"
    assert find(segs, "DTP", "573")[0][3] == "20260112"
    assert find(segs, "PER")[0].elements[3:] == ("EM", "b@acme.example")
    assert pyx12_errors(text) == []
    outpatient = institutional(
        admission=AdmissionInfo(statement_period=Period(DOS, DOS), discharge_status="01"),
        attending_provider=None,
        lines=[attrs.evolve(institutional().lines[0], charge_id="CH9")],
    )
    itext = write_837i([outpatient], submitter=SUBMITTER, receiver=RECEIVER,
                       control_numbers=NUMBERS, at=AT)
    isegs = segments(itext)
    assert not find(isegs, "DTP", "435") and find(isegs, "REF", "6R")[0][2] == "CH9"
    admission = institutional().admission
    assert admission is not None
    inpatient = institutional(admission=attrs.evolve(admission, admission_hour=None))
    assert find(segments(write_837i([inpatient], submitter=SUBMITTER, receiver=RECEIVER,
                                    control_numbers=NUMBERS, at=AT)), "DTP", "435")[0][2] == "D8"


def _bad_line(**changes: Any) -> list[ClaimLine]:
    return [attrs.evolve(professional().lines[0], **changes)]


@pytest.mark.parametrize(
    ("claim", "rule"),
    [
        (professional(diagnoses=[ICD10CM(f"E11.{k}") for k in range(10)]
                      + [ICD10CM("I10"), ICD10CM("I11.9"), ICD10CM("J18.9")]),
         "diagnosis-count"),
        (professional(lines=_bad_line(procedure=None, revenue_code=RevenueCode("0450"))),
         "procedure"),
        (professional(lines=_bad_line(pointers=[])), "pointers"),
        (professional(lines=_bad_line(pointers=[3])), "pointers"),
        (professional(lines=_bad_line(modifiers=[Modifier(m) for m in
                                                 ("25", "59", "76", "77", "LT")])),
         "modifiers"),
        (professional(other_payers=[attrs.evolve(secondary_payer(), lines=[
            LineAdjudication(line_number=9, paid=usd("1.00"))])]), "other-payer-line"),
    ],
)
def test_837p_refuses_shapes_outside_the_guide(claim: Claim, rule: str) -> None:
    """Too many diagnoses, lines without code or pointers, a dangling other-payer line."""
    with pytest.raises(ValidationError) as err:
        write_837p([claim], submitter=SUBMITTER, receiver=RECEIVER, control_numbers=NUMBERS,
                   at=AT)
    assert err.value.rule == rule


@pytest.mark.parametrize(
    ("claim", "rule"),
    [
        (institutional(type_of_bill=None), "type-of-bill"),
        (institutional(admission=None), "statement-period"),
        (institutional(lines=[attrs.evolve(institutional().lines[0], revenue_code=None)]),
         "revenue"),
    ],
)
def test_837i_refuses_shapes_outside_the_guide(claim: Claim, rule: str) -> None:
    """An institutional claim without a type of bill, admission data or revenue codes."""
    with pytest.raises(ValidationError) as err:
        write_837i([claim], submitter=SUBMITTER, receiver=RECEIVER, control_numbers=NUMBERS,
                   at=AT)
    assert err.value.rule == rule


def test_an_835s_cas_travels_into_the_2430_cas_unchanged() -> None:
    """The 835's line adjustments, as a secondary claim's 2430, are the same values and
    are written as the very CAS segments the 835 writer writes for them."""
    assert ClaimAdjustment is Adjustment is RemittanceAdjustment
    fixture = Path(__file__).parent.parent / "fixtures" / "x12" / "lfh_managed-care.835"
    (remittance,) = read_835(fixture.read_text())
    service = next(s for c in remittance.claims for s in c.services if s.adjustments)
    many = (*service.adjustments, *[Adjustment(group=AdjustmentGroup("CO"),
                                               reason=CARC("45"), amount=usd("1.00"),
                                               quantity=Decimal("1.50"))] * 7)
    line = LineAdjudication(line_number=1, paid=usd("40.00"), adjustments=many)
    assert line.adjustments == many
    other = attrs.evolve(secondary_payer(), lines=[line])
    text_837 = write_837p(
        [professional(other_payers=[other], coverage=coverage(order=CoverageOrder.SECONDARY))],
        submitter=SUBMITTER, receiver=RECEIVER, control_numbers=NUMBERS, at=AT)
    segs = segments(text_837)
    svd = next(k for k, s in enumerate(segs) if s.id == "SVD")
    cas_837 = [s.elements for s in segs[svd + 1:] if s.id == "CAS"]
    lone = attrs.evolve(service, adjustments=many,
                        paid=service.charge - sum((a.amount for a in many), usd("0.00")))
    claim = next(c for c in remittance.claims if service in c.services)
    rem = attrs.evolve(remittance, claims=[attrs.evolve(
        claim, services=[lone], adjustments=[], paid=lone.paid, charge=lone.charge)],
        payment=lone.paid, provider_adjustments=[])
    cas_835 = [s.elements for s in segments(write_835([rem], control_numbers=NUMBERS, at=AT))
               if s.id == "CAS"]
    assert cas_837 == cas_835
    assert [len(e) for e in cas_835][-2:] == [20, 5]  # six triplets a segment, then the rest
