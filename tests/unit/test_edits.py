"""Worked scrubbing scenarios: each default edit, with the CARC a payer would send."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from claimcore.claims import (
    DEFAULT_EDITS,
    Claim,
    ClaimKind,
    EditContext,
    Finding,
    FunctionEdit,
    MueEntry,
    MueIndicator,
    MueTable,
    NcciEdit,
    NcciModifierIndicator,
    NcciTable,
    ScrubReport,
    Severity,
    edit,
    filing_deadline,
    scrub,
)
from claimcore.claims.edits import Edit
from claimcore.codes import CARC, CPT, ICD10CM, PlaceOfService, RevenueCode
from claimcore.codes.codeset import CodeSet, CodeSets, CodeSystem
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.ids import ClaimId, PayerClaimNumber
from claimcore.money import Money
from claimcore.periods import Period
from tests.unit.test_claims_support import (
    BIRTH,
    CONTEXT,
    DOS,
    DX,
    coverage,
    institutional,
    line,
    professional,
)

ALWAYS = Period(date(2015, 10, 1))


def ids(report: ScrubReport) -> list[str]:
    return [f.edit_id for f in report.findings]


def test_clean_claims_have_no_findings() -> None:
    """The reference professional and institutional claims scrub clean."""
    assert scrub(professional(), context=CONTEXT).findings == ()
    assert scrub(institutional(), context=CONTEXT).findings == ()


def test_report_names_claim_revision_and_date() -> None:
    """A report records which claim, which version and which date it scrubbed."""
    report = scrub(professional(), context=CONTEXT)

    assert (report.claim_id, report.revision, report.as_of) == (
        ClaimId("PCN0001"), 0, date(2026, 3, 10)
    )
    assert report.clean and report.errors == () and report.warnings == ()


# -- NCCI --------------------------------------------------------------------------------

NCCI = NcciTable(edits=[
    NcciEdit(column1=CPT("20610"), column2=CPT("20552"), effective=ALWAYS,
             modifier_indicator=NcciModifierIndicator.ALLOWED),
    NcciEdit(column1=CPT("93000"), column2=CPT("93005"), effective=ALWAYS,
             modifier_indicator=NcciModifierIndicator.NOT_ALLOWED),
    NcciEdit(column1=CPT("36415"), column2=CPT("36416"), effective=ALWAYS,
             modifier_indicator=NcciModifierIndicator.NOT_APPLICABLE),
])
NCCI_CONTEXT = EditContext(as_of=date(2026, 3, 10), ncci=NCCI)


def test_ncci_indicator_1_passes_with_59_on_the_column_2_line() -> None:
    """A pair with modifier indicator 1 passes when 59 is on the column-2 line."""
    claim = professional([line(1, "20610", charge="150.00"),
                          line(2, "20552", charge="90.00", modifiers=["59"])])

    assert scrub(claim, context=NCCI_CONTEXT).findings == ()


def test_ncci_indicator_1_fails_without_a_modifier() -> None:
    """The same pair without a bypass modifier is an NCCI error (CARC 236) on line 2."""
    claim = professional([line(1, "20610", charge="150.00"), line(2, "20552", charge="90.00")])

    report = scrub(claim, context=NCCI_CONTEXT)

    (finding,) = report.findings
    assert finding.edit_id == "ncci-ptp" and finding.severity is Severity.ERROR
    assert finding.location == "$.lines[1]" and finding.carc == CARC("236")
    assert "20610/20552" in finding.message


def test_ncci_a_non_bypass_modifier_does_not_help() -> None:
    """A modifier that is not NCCI-associated (26) does not let an indicator-1 pair through."""
    claim = professional([line(1, "20610"), line(2, "20552", modifiers=["26"])])

    assert ids(scrub(claim, context=NCCI_CONTEXT)) == ["ncci-ptp"]


def test_ncci_indicator_0_never_passes() -> None:
    """A pair with modifier indicator 0 fails even with 59."""
    claim = professional([line(1, "93000"), line(2, "93005", modifiers=["59"])])

    assert ids(scrub(claim, context=NCCI_CONTEXT)) == ["ncci-ptp"]


def test_ncci_indicator_9_and_other_dates_do_not_apply() -> None:
    """Indicator 9 is not applied, and a pair on two different dates is no pair."""
    other_day = professional([line(1, "20610"), line(2, "20552", on=date(2026, 2, 27))])
    nine = professional([line(1, "36415", charge="10.00"), line(2, "36416", charge="5.00")])

    assert scrub(other_day, context=NCCI_CONTEXT).findings == ()
    assert scrub(nine, context=NCCI_CONTEXT).findings == ()


def test_ncci_pair_outside_its_period_does_not_apply() -> None:
    """A pair deleted before the date of service is not applied."""
    old = NcciTable(edits=[NcciEdit(
        column1=CPT("20610"), column2=CPT("20552"),
        effective=Period(date(2016, 1, 1), date(2020, 12, 31)),
        modifier_indicator=NcciModifierIndicator.NOT_ALLOWED)])
    claim = professional([line(1, "20610"), line(2, "20552")])

    assert scrub(claim, context=EditContext(as_of=date(2026, 3, 10), ncci=old)).findings == ()
    assert old.pair(CPT("20610"), CPT("20552"), on=date(2019, 1, 1)) is not None
    assert old.pair(CPT("20610"), CPT("99999"), on=date(2019, 1, 1)) is None


def test_ncci_edit_refuses_the_same_code_twice() -> None:
    """A pair of a code with itself is refused at construction."""
    with pytest.raises(ValidationError) as err:
        NcciEdit(column1=CPT("20610"), column2=CPT("20610"), effective=ALWAYS,
                 modifier_indicator=NcciModifierIndicator.ALLOWED)
    assert err.value.rule == "same-code"


# -- MUE ---------------------------------------------------------------------------------

MUE = MueTable(entries=[
    MueEntry(code=CPT("97110"), max_units=4, adjudication_indicator=MueIndicator.LINE,
             effective=ALWAYS),
    MueEntry(code=CPT("36415"), max_units=2,
             adjudication_indicator=MueIndicator.DATE_OF_SERVICE_CLINICAL, effective=ALWAYS),
])
MUE_CONTEXT = EditContext(as_of=date(2026, 3, 10), mue=MUE)


def test_mue_line_limit() -> None:
    """Five units of a code with a line MUE of 4 is an error (CARC 151); four pass."""
    over = professional([line(1, "97110", units=5, charge="200.00")])
    at = professional([line(1, "97110", units=4, charge="160.00")])

    (finding,) = scrub(over, context=MUE_CONTEXT).findings
    assert (finding.edit_id, finding.carc, finding.location) == (
        "mue", CARC("151"), "$.lines[0].units"
    )
    assert scrub(at, context=MUE_CONTEXT).findings == ()


def test_mue_date_of_service_limit_adds_lines() -> None:
    """Units of a date-of-service MUE add up across lines of the same day (CARC 119)."""
    claim = professional([
        line(1, "36415", charge="10.00", units=2),
        line(2, "36415", charge="10.00", units=1, modifiers=["91"]),
        line(3, "36415", charge="10.00", units=2, on=date(2026, 2, 27)),
    ])

    (finding,) = scrub(claim, context=MUE_CONTEXT).findings
    assert (finding.carc, finding.location) == (CARC("119"), "$.lines[1].units")
    assert "3 units" in finding.message


def test_mue_table_refuses_overlapping_entries() -> None:
    """Two entries for one code in force at once are refused."""
    entry = MueEntry(code=CPT("97110"), max_units=4, adjudication_indicator=MueIndicator.LINE,
                     effective=ALWAYS)
    with pytest.raises(ValidationError) as err:
        MueTable(entries=[entry, entry])
    assert err.value.rule == "mue-overlap"


# -- timely filing -----------------------------------------------------------------------


def test_timely_filing_from_29_february_is_due_28_february() -> None:
    """Medicare's 12 months from a 29 February 2024 service end on 28 February 2025."""
    claim = professional([line(1, on=date(2024, 2, 29))])

    assert filing_deadline(claim) == date(2025, 2, 28)
    on_time = scrub(claim, context=EditContext(as_of=date(2025, 2, 28)))
    late = scrub(claim, context=EditContext(as_of=date(2025, 3, 1)))
    assert on_time.findings == ()
    (finding,) = late.findings
    assert (finding.edit_id, finding.carc) == ("timely-filing", CARC("29"))
    assert "2025-02-28" in finding.message


def test_timely_filing_professional_counts_each_line() -> None:
    """Only the line past its deadline is flagged on a professional claim."""
    claim = professional([line(1, on=date(2025, 3, 1)),
                          line(2, "99214", on=date(2025, 3, 20), charge="150.00")])

    report = scrub(claim, context=EditContext(as_of=date(2026, 3, 10)))

    assert [f.location for f in report.findings] == ["$.lines[0].service_period"]
    assert filing_deadline(claim) == date(2026, 3, 1)


def test_timely_filing_institutional_counts_from_the_through_date() -> None:
    """An institutional claim counts from its through-date, not its admission."""
    claim = institutional(through=date(2025, 3, 12), days=20)

    assert filing_deadline(claim) == date(2026, 3, 12)
    assert "timely-filing" not in ids(scrub(claim, context=CONTEXT))
    late = scrub(claim, context=EditContext(as_of=date(2026, 3, 13)))
    assert ids(late) == ["timely-filing"]
    assert late.findings[0].location == "$.admission.statement_period"


def test_institutional_without_admission_counts_from_the_last_line() -> None:
    """Without a statement period the deadline counts from the last line's through-date."""
    claim = attrs.evolve(institutional(), admission=None)

    assert filing_deadline(claim) == date(2027, 3, 1)


# -- the other default edits -------------------------------------------------------------


def test_required_data_professional() -> None:
    """A professional claim without diagnoses, place of service or procedure is flagged."""
    revenue_only = attrs.evolve(line(2, "99214", charge="1.00", pointers=()),
                                revenue_code=RevenueCode("0510"), procedure=None)
    claim = attrs.evolve(
        professional([line(1, pointers=()), revenue_only]), diagnoses=(),
        place_of_service=None,
    )

    report = scrub(claim, context=CONTEXT)

    required = [f for f in report.findings if f.edit_id == "required"]
    assert [f.location for f in required] == [
        "$.diagnoses", "$.place_of_service", "$.lines[1].procedure"]
    assert all(f.carc == CARC("16") for f in required)


def test_required_data_institutional() -> None:
    """An institutional claim needs a type of bill, admission data, attending provider and
    a revenue code on each line."""
    base = institutional()
    claim = attrs.evolve(
        base, type_of_bill=None, admission=None, attending_provider=None,
        lines=(attrs.evolve(base.lines[0], revenue_code=None), base.lines[1]),
    )

    found = [f.location for f in scrub(claim, context=CONTEXT).findings]

    assert found == ["$.type_of_bill", "$.admission", "$.attending_provider",
                     "$.lines[0].revenue_code"]


def test_x12_limits_professional() -> None:
    """13 diagnoses, 5 pointers and 5 modifiers break the 837P limits; 51 lines too."""
    many_dx = (*(ICD10CM(f"E11.{i}") for i in range(10)), ICD10CM("I10"),
               ICD10CM("J45.909"), ICD10CM("K21.9"))
    claim = professional(
        [line(1, pointers=(1, 2, 3, 4, 5), modifiers=["25", "GT", "95", "KX", "Q5"])],
        diagnoses=many_dx,
    )
    long_claim = professional([line(n, charge="1.00") for n in range(1, 52)])

    found = [(f.edit_id, f.location) for f in scrub(claim, context=CONTEXT).findings]
    assert ("x12-limits", "$.diagnoses") in found
    assert ("x12-limits", "$.lines[0].pointers") in found
    assert ("x12-limits", "$.lines[0].modifiers") in found
    assert ("x12-limits", "$.lines") in [
        (f.edit_id, f.location) for f in scrub(long_claim, context=CONTEXT).findings
    ]


def test_x12_limits_institutional_allow_25_diagnoses() -> None:
    """An institutional claim carries a principal and 24 other diagnoses, not 26."""
    dx25 = tuple(ICD10CM(f"S{n:02d}.0XXA") for n in range(25))
    ok = attrs.evolve(institutional(), diagnoses=dx25, present_on_admission=())
    too_many = attrs.evolve(institutional(), diagnoses=(*dx25, ICD10CM("I10")),
                            present_on_admission=())
    exempt = frozenset((*dx25, ICD10CM("I10")))  # the POA edit is not what is tested here

    context = attrs.evolve(CONTEXT, poa_exempt=exempt)
    assert "x12-limits" not in ids(scrub(ok, context=context))
    assert ids(scrub(too_many, context=context)) == ["x12-limits"]


def test_pointers_resolve_and_are_unique() -> None:
    """Pointers must exist, point at a diagnosis the claim has, and not repeat."""
    claim = professional([line(1, pointers=()), line(2, "99214", pointers=(1, 1)),
                          line(3, "99215", pointers=(4,))])

    found = [f.location for f in scrub(claim, context=CONTEXT).findings
             if f.edit_id == "pointers"]

    assert found == ["$.lines[0].pointers", "$.lines[1].pointers", "$.lines[2].pointers[0]"]


def test_pointers_are_not_checked_on_institutional_lines() -> None:
    """837I lines carry no diagnosis pointers, so the edit does not apply."""
    assert "pointers" not in ids(scrub(institutional(), context=CONTEXT))


def test_total_edit_catches_a_trusted_claim_with_a_wrong_total() -> None:
    """A claim assembled without checks and a wrong total is caught by the total edit."""
    claim = professional()
    broken = object.__new__(Claim)
    for field in attrs.fields(Claim):
        object.__setattr__(broken, field.name, getattr(claim, field.name))
    object.__setattr__(broken, "total_charge", Money(Decimal("1.00")))
    object.__setattr__(broken, "original_claim_number", PayerClaimNumber("X1"))

    assert sorted(ids(scrub(broken, context=CONTEXT))) == ["frequency", "total"]


def test_dates_edit() -> None:
    """Service before coverage (CARC 26), after it (27), before birth, in the future."""
    cov = coverage(period=Period(date(2026, 1, 1), date(2026, 2, 28)))
    claim = professional([
        line(1, on=date(2025, 12, 31)),
        line(2, "99214", on=DOS),
        line(3, "99215", on=date(2026, 2, 1)),
    ], cov=cov)
    future = professional([line(1, on=date(2026, 3, 11))])
    unborn = EditContext(as_of=date(2026, 3, 10), patient_birth_date=date(2026, 2, 1))

    found = [(f.location, f.carc) for f in scrub(claim, context=CONTEXT).findings]
    assert found == [("$.lines[0].service_period", CARC("26")),
                     ("$.lines[1].service_period", CARC("27"))]
    assert [f.edit_id for f in scrub(future, context=CONTEXT).findings] == ["dates"]
    assert [f.location for f in scrub(claim, context=unborn).findings if
            "birth" in f.message] == ["$.lines[0].service_period"]


def test_dates_edit_institutional_discharge_and_admission() -> None:
    """A discharge before the admission, and an admission before birth, are flagged."""
    base = institutional()
    assert base.admission is not None
    backwards = attrs.evolve(base, admission=attrs.evolve(
        base.admission, discharge_date=date(2026, 2, 24)))
    unborn = EditContext(as_of=date(2026, 3, 10), patient_birth_date=date(2026, 2, 26))

    assert [f.location for f in scrub(backwards, context=CONTEXT).findings] == [
        "$.admission.discharge_date"]
    assert "$.admission.admission_date" in [
        f.location for f in scrub(base, context=unborn).findings]
    assert BIRTH < DOS


def test_duplicate_lines() -> None:
    """The same code, modifiers and dates twice is a duplicate (CARC 18)."""
    claim = professional([line(1), line(2), line(3, modifiers=["25"])])

    (finding,) = scrub(claim, context=CONTEXT).findings
    assert (finding.edit_id, finding.location, finding.carc) == (
        "duplicates", "$.lines[1]", CARC("18"))


def test_units_and_charges_positive() -> None:
    """Zero units and a zero charge are errors."""
    claim = professional([line(1, units=0, charge="0.00")])

    found = [f.location for f in scrub(claim, context=CONTEXT).findings]

    assert found == ["$.lines[0].units", "$.lines[0].charge"]


def test_59_and_x_modifier_on_one_line() -> None:
    """59 with XS on one line is an error (CARC 4); XS alone or 59 alone is fine."""
    both = professional([line(1, modifiers=["59", "XS"])])
    alone = professional([line(1, modifiers=["XS"]), line(2, modifiers=["59"])])

    (finding,) = scrub(both, context=CONTEXT).findings
    assert (finding.edit_id, finding.carc) == ("modifier-59-x", CARC("4"))
    assert scrub(alone, context=CONTEXT).findings == ()


def test_codes_edit_with_code_sets() -> None:
    """Codes not valid on the date of service are flagged with the CARC for their kind."""
    icd = CodeSet.from_rows(
        [{"code": "E11", "start": "2015-10-01", "billable": False},
         {"code": "E11.9", "start": "2015-10-01"},
         {"code": "I10", "start": "2015-10-01"}],
        name="ICD-10-CM test", system=CodeSystem.ICD10CM, version="t",
    )
    cpt = CodeSet.from_rows(
        [{"code": "99213", "start": "2015-01-01"},
         {"code": "99201", "start": "2015-01-01", "end": "2020-12-31"}],
        name="CPT test", system=CodeSystem.CPT, version="t",
    )
    context = EditContext(as_of=date(2026, 3, 10), code_sets=CodeSets(icd10cm=icd, cpt=cpt))
    claim = professional(
        [line(1), line(2, "99201", pointers=(2,)), line(3, "99213", pointers=(3,),
                                                        modifiers=["25"])],
        diagnoses=(ICD10CM("E11.9"), ICD10CM("I10"), ICD10CM("E11")),
    )

    found = [(f.location, f.carc) for f in scrub(claim, context=context).findings]

    assert found == [("$.diagnoses[2]", CARC("146")), ("$.lines[1].procedure", CARC("181"))]


def test_codes_edit_checks_every_coded_field() -> None:
    """Place of service, admitting diagnosis, modifiers, revenue codes are checked too."""
    pos = CodeSet.from_rows([{"code": "12", "start": "2015-01-01"}], name="POS",
                            system=CodeSystem.PLACE_OF_SERVICE, version="t")
    mods = CodeSet.from_rows([{"code": "GT", "start": "2015-01-01"}], name="mods",
                             system=CodeSystem.MODIFIER, version="t")
    revs = CodeSet.from_rows([{"code": "0450", "start": "2015-01-01"}], name="rev",
                             system=CodeSystem.REVENUE_CODE, version="t")
    sets = CodeSets(places_of_service=pos, modifiers=mods, revenue_codes=revs)
    context = EditContext(as_of=date(2026, 3, 10), code_sets=sets)
    claim = professional([line(1, modifiers=["25"])])
    inst = attrs.evolve(institutional(), admitting_diagnosis=ICD10CM("I10"))

    found = [(f.location, f.carc) for f in scrub(claim, context=context).findings]
    assert found == [("$.place_of_service", CARC("58")),
                     ("$.lines[0].modifiers[0]", CARC("182"))]
    assert [f.location for f in scrub(inst, context=context).findings] == [
        "$.lines[0].revenue_code"]


def test_custom_edit_runs_beside_the_defaults() -> None:
    """A caller's edit (a function wrapped with @edit) runs and its findings are kept."""

    @edit("no-office-visits")
    def no_office(claim: Claim, context: EditContext) -> list[Finding]:
        return [Finding(edit_id="no-office-visits", severity=Severity.WARNING,
                        message="office visit", location=f"$.lines[{i}]")
                for i, ln in enumerate(claim.lines) if ln.procedure == CPT("99213")]

    report = scrub(professional(), edits=(*DEFAULT_EDITS, no_office), context=CONTEXT)

    assert isinstance(no_office, Edit) and isinstance(no_office, FunctionEdit)
    assert report.clean and [f.edit_id for f in report.warnings] == ["no-office-visits"]
    assert report.edit_ids() == frozenset({"no-office-visits"})


def test_function_edit_refuses_a_non_callable() -> None:
    """An edit must be callable."""
    with pytest.raises(TypeMismatch):
        FunctionEdit("x", 5)  # type: ignore[arg-type]


def test_finding_and_context_are_checked() -> None:
    """Findings and contexts check their fields."""
    with pytest.raises(TypeMismatch):
        Finding(edit_id="x", severity="error", message="m")  # type: ignore[arg-type]
    with pytest.raises(TypeMismatch):
        EditContext(as_of="2026-01-01")  # type: ignore[arg-type]
    assert Finding(edit_id="x", severity=Severity.ERROR, message="m").is_error


def test_context_hides_phi_in_repr() -> None:
    """The patient's birth date and sex given to the context stay out of its repr."""
    context = EditContext(as_of=date(2026, 3, 10), patient_birth_date=date(1960, 5, 17))

    assert "1960" not in repr(context)


def test_institutional_kind_is_not_professional() -> None:
    """The kind decides which limits apply."""
    assert institutional().kind is ClaimKind.INSTITUTIONAL
    assert professional().place_of_service == PlaceOfService("11")
    assert DX[0] == professional().principal_diagnosis
