"""Eligibility: 270 inquiries written, 271 responses read (005010X279A1 TR3 examples)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

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
from claimcore.eligibility import (
    BenefitInfo,
    EligibilityInquiry,
    EligibilityStatus,
    FollowUpAction,
    InNetwork,
    Rejection,
)
from claimcore.ids import NPI, MemberId, PayerId, TaxId
from claimcore.money import Money
from claimcore.patients import Address, AdministrativeSex, PersonName
from claimcore.periods import Period
from claimcore.providers import Organization
from claimcore.x12 import (
    ControlNumbers,
    ReadResult,
    WarningCode,
    X12Error,
    read_271,
    read_271_with_warnings,
    read_interchanges,
    write_270,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "x12"
ISA = ("ISA*00*          *00*          *ZZ*PAYER          *ZZ*PROVIDER       "
       "*260115*1200*^*00501*000000001*0*P*:~")
AT = datetime(2026, 1, 15, 8, 0, tzinfo=UTC)


def response(*body: str, version: str = "005010X279A1", st01: str = "271") -> str:
    segments = [f"ST*{st01}*0001*005010X279A1", "BHT*0022*11*R1*20260115*0800", *body]
    return (ISA + f"GS*HB*PAYER*PROVIDER*20260115*0800*1*X*{version}~"
            + "~".join(segments) + f"~SE*{len(segments) + 1}*0001~GE*1*1~IEA*1*000000001~")


SUBSCRIBER_LOOP = ("HL*1**20*1", "NM1*PR*2*ACME*****PI*ACME01", "HL*2*1*21*1",
                   "NM1*1P*2*CLINIC*****XX*1234567893", "HL*3*2*22*0",
                   "NM1*IL*1*SMITH*JOHN****MI*123456789")


def test_subscriber_response_reads_copays_in_and_out_of_network() -> None:
    """The TR3 example: active coverage, PCP row, copay 10.00 in and 30.00 out of network."""
    (resp,) = read_271((FIXTURES / "lfh_subscriber-health-benefit-check.271").read_text())
    assert resp.status is EligibilityStatus.ACTIVE
    assert resp.plan_period == Period(date(2006, 1, 1))
    copays = [b for b in resp.benefits if b.info is BenefitInfo.COPAYMENT]
    assert [(b.amount, b.in_network) for b in copays] == [
        (Money(Decimal("10.00")), InNetwork.YES), (Money(Decimal("30.00")), InNetwork.NO)]
    assert copays[0].service_types == ("1", "33", "35", "47", "86", "88", "98", "AL", "MH",
                                       "UC")
    assert [b.info for b in resp.benefits][:2] == [BenefitInfo.ACTIVE_COVERAGE,
                                                    BenefitInfo.PRIMARY_CARE_PROVIDER]


def test_dependent_response_is_read_from_the_dependent_loop() -> None:
    """A 2000D dependent loop gives the one response; the 2000C subscriber loop leads to it."""
    responses = read_271((FIXTURES / "lfh_dependent-health-benefit-check.271").read_text())
    assert len(responses) == 1
    assert responses[0].status is EligibilityStatus.ACTIVE
    assert len(responses[0].benefits) == 5


def test_rejection_reason_50() -> None:
    """The AAA rejection (provider ineligible for inquiries, do not resubmit) is read."""
    result = read_271_with_warnings(
        (FIXTURES / "lfh_subscriber-health-benefit-check-error.271").read_text())
    (resp,) = result.values
    assert resp.rejections == (Rejection("50", FollowUpAction.RESUBMISSION_NOT_ALLOWED),)
    assert resp.status is EligibilityStatus.UNKNOWN
    assert [w.code for w in result.warnings] == [WarningCode.CONTROL_NUMBER]


def test_the_result_is_a_read_result_that_still_unpacks() -> None:
    """read_271_with_warnings returns a ReadResult; unpacking it gives (values, warnings)."""
    text = (FIXTURES / "lfh_subscriber-health-benefit-check-error.271").read_text()
    result = read_271_with_warnings(text)
    assert isinstance(result, ReadResult)
    responses, warnings = result
    assert (responses, warnings) == (result.values, result.warnings)
    assert responses == read_271(text)


def test_rows_messages_dates_and_skipped_entity_loops() -> None:
    """MSG lines join their EB row; LS/LE content is skipped; RD8 plan dates; percent."""
    text = response(
        *SUBSCRIBER_LOOP, "DTP*291*RD8*20260101-20261231",
        "EB*A*IND*30*HM*PLAN*23**0.2***Y*W", "MSG*AFTER DEDUCTIBLE",
        "EB*C*IND*30***23*500.00", "LS*2120", "NM1*P3*1*JONES", "EB*X", "LE*2120",
        "AAA*Y**15*C", "DTP*291*D8*20261345",
    )
    result = read_271_with_warnings(text)
    (resp,) = result.values
    assert resp.plan_period == Period(date(2026, 1, 1), date(2026, 12, 31))
    coinsurance, deductible = resp.benefits
    assert coinsurance.percent is not None and coinsurance.percent.value == Decimal("0.2")
    assert coinsurance.messages == ("AFTER DEDUCTIBLE",)
    assert coinsurance.authorization_required is True
    assert deductible.amount == Money(Decimal("500.00"))
    assert resp.rejections == (Rejection("15", FollowUpAction.CORRECT_AND_RESUBMIT),)
    assert [(w.code, w.element) for w in result.warnings] == [
        (WarningCode.INVALID_DATE, "DTP03")]


def test_plan_end_date_alone_and_dependent_levels() -> None:
    """DTP*346/347 give start and end; a subscriber with rows is kept beside its dependent."""
    text = response(*SUBSCRIBER_LOOP[:4], "HL*3*2*22*1", "DTP*346*D8*20260101",
                    "DTP*347*D8*20261231", "EB*1**30", "HL*4*3*23*0", "EB*6**30")
    subscriber, dependent = read_271(text)
    assert subscriber.plan_period == Period(date(2026, 1, 1), date(2026, 12, 31))
    assert dependent.status is EligibilityStatus.INACTIVE


@pytest.mark.parametrize(
    ("segment", "element"),
    [("EB*ZZ", "EB01"), ("EB*1*XXX", "EB02"), ("EB*1**30***99", "EB06"),
     ("EB*C**30****1.001", "EB07"), ("EB*A**30*****X", "EB08"), ("AAA*N**72*Q", "AAA03"),
     ("EB*C**30****-5.00", "EB07"), ("EB*A**30*****2", "EB08"), ("EB*1**3!", "EB03")],
)
def test_bad_codes_name_their_element(segment: str, element: str) -> None:
    """A code or amount a 271 cannot have raises X12Error at its element."""
    with pytest.raises(X12Error) as err:
        read_271(response(*SUBSCRIBER_LOOP, segment))
    assert (err.value.segment_number, err.value.element) == (11, element)


def test_refuses_4010_and_other_sets() -> None:
    """A 4010 group, a 270, and an empty interchange are errors."""
    with pytest.raises(X12Error, match="4010"):
        read_271(response(*SUBSCRIBER_LOOP, version="004010X092A1"))
    with pytest.raises(X12Error, match="not a 271"):
        read_271(response(*SUBSCRIBER_LOOP, st01="270"))
    with pytest.raises(X12Error, match="no transaction set"):
        read_271(ISA + "GS*HB*P*R*20260115*1200*1*X*005010X279A1~GE*0*1~IEA*1*000000001~")


def test_write_270_asks_about_the_subscriber() -> None:
    """The 270 carries payer, provider, subscriber, date of service and one EQ per type."""
    address = Address(lines=("1 Main St",), city="Springfield", state="IL",
                      postal_code="627011234")
    payer = Payer(payer_id=PayerId("ACME01"), name="ACME HEALTH", kind=PayerKind.COMMERCIAL,
                  timely_filing=TimelyFiling(days=90))
    subscriber = Subscriber(member_id=MemberId("11122333301"),
                            name=PersonName(family="Smith", given="Robert"),
                            birth_date=date(1943, 5, 19), sex=AdministrativeSex.MALE)
    coverage = Coverage(payer=payer, plan=Plan(name="Gold", plan_type=PlanType.PPO),
                        member_id=MemberId("11122333301"), subscriber=subscriber,
                        relationship=Relationship.SELF, period=Period(date(2026, 1, 1)),
                        order=CoverageOrder.PRIMARY)
    provider = Organization(npi=NPI("1234567893"), name="BONE AND JOINT CLINIC",
                            tax_id=TaxId("12-3456789"), address=address)
    inquiry = EligibilityInquiry(coverage=coverage, service_on=date(2026, 1, 20),
                                 service_types=("30", "98"))
    text = write_270(inquiry, provider=provider, trace="93175-012547",
                     control_numbers=ControlNumbers(interchange=5, group=5, transaction=1),
                     at=AT, sender_id="CLINIC", receiver_id="ACME01")
    (interchange,), warnings = read_interchanges(text)
    assert warnings == ()
    group = interchange.groups[0]
    assert (group.functional_id, group.version) == ("HS", "005010X279A1")
    segs = {s.id + (s[1] if s.id in ("NM1", "HL") else ""): s
            for s in group.transactions[0].segments}
    assert segs["NM1IL"].elements[3:] == ("Smith", "Robert", "", "", "", "MI", "11122333301")
    assert segs["NM11P"][9] == "1234567893"
    assert segs["DTP"].elements[1:] == ("291", "D8", "20260120")
    assert [s[1] for s in group.transactions[0].segments if s.id == "EQ"] == ["30", "98"]
    assert segs["TRN"].elements[1:] == ("1", "93175-012547", "9123456789")


@pytest.mark.parametrize(
    ("segment", "element"),
    [("EB*ZZ", "EB01"), ("EB*1*XXX", "EB02"), ("EB*C**30****1.001", "EB07"),
     ("EB*A**30*****2", "EB08"), ("EB*1**3!", "EB03")],
)
def test_a_bad_benefit_is_set_aside_and_the_others_read(segment: str, element: str) -> None:
    """Salvage per benefit: the bad EB (segment 11) and its MSG are unread, with a warning
    naming its position and reason; the benefits around it are read."""
    text = response(*SUBSCRIBER_LOOP, "EB*1**30", segment, "MSG*ABOUT THE BAD ONE",
                    "EB*B**98***27*25.00*****N")
    with pytest.raises(X12Error):
        read_271(text)
    result = read_271_with_warnings(text)
    (resp,) = result.values
    assert [b.info.value for b in resp.benefits] == ["1", "B"]
    assert all(b.messages == () for b in resp.benefits)
    (unread,) = result.unread
    assert (unread.kind, unread.segment_number, unread.segment_id) == ("benefit", 12, "EB")
    assert unread.key == segment.split("*")[1]
    assert f"segment 12 (EB), {element}" in unread.reason
    assert [(w.code, w.segment_number) for w in result.warnings] == [
        (WarningCode.ITEM_NOT_READ, 12)]
