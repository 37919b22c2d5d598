"""Building claims from charges, and splitting professional claims that are too long."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from claimcore._validate import an_int, instance, members
from claimcore.charges import Charge
from claimcore.claims._claim import (
    AdmissionInfo,
    Claim,
    ClaimKind,
    ClaimLine,
    ClaimStatus,
    InpatientProcedure,
    Occurrence,
    OccurrenceSpan,
    OtherPayer,
    ValueAmount,
    trusted_line,
)
from claimcore.codes import (
    DRG,
    ICD10CM,
    ConditionCode,
    PlaceOfService,
    PresentOnAdmission,
    TypeOfBill,
)
from claimcore.codes.limits import (
    MAX_DIAGNOSIS_POINTERS,
    MAX_PROFESSIONAL_DIAGNOSES,
    MAX_PROFESSIONAL_LINES,
)
from claimcore.coverage import Coverage
from claimcore.encounters import Encounter, EncounterStatus
from claimcore.errors import ValidationError
from claimcore.ids import ClaimId, EncounterId
from claimcore.patients import Patient
from claimcore.periods import Period
from claimcore.providers import Facility, Organization, Provider

__all__ = ["admission_info", "build_claim", "claim_line_for", "split_claim"]


def claim_line_for(
    charge: Charge, *, line_number: int, pointers: Sequence[int], kind: ClaimKind
) -> ClaimLine:
    """The claim line that bills ``charge``: its code, modifiers, units, amount and date.

    Institutional lines carry the charge's revenue code as well (837I ``SV201``). The
    charge is already checked, so only the line number and pointers are checked here.
    """
    instance(charge, Charge, "$.charge")
    an_int(line_number, "$.line_number", low=1, high=9999)
    checked = tuple(pointers)
    for i, p in enumerate(checked):
        an_int(p, f"$.pointers[{i}]", low=1)
    return _line(charge, line_number, checked, kind)


def _line(charge: Charge, n: int, pointers: tuple[int, ...], kind: ClaimKind) -> ClaimLine:
    day = charge.service_date
    return trusted_line(
        line_number=n,
        procedure=charge.code,
        revenue_code=charge.revenue_code if kind is ClaimKind.INSTITUTIONAL else None,
        modifiers=charge.modifiers,
        units=charge.units,
        charge=charge.amount,
        service_period=Period(day, day),
        pointers=pointers,
        rendering_npi=charge.rendering_npi,
        ndc=None,
        charge_id=charge.id,
    )


def admission_info(encounter: Encounter, *, statement_period: Period | None = None
                   ) -> AdmissionInfo:
    """The claim's admission data (UB-04 FL 6, 12-17) from a finished encounter.

    The statement period defaults to the encounter's service dates
    (:meth:`~claimcore.encounters.Encounter.service_dates`: admission to discharge);
    give ``statement_period`` for an interim bill. An inpatient encounter gives the
    admission date and hour, type (FL 14) and point of origin (FL 15) from its
    :class:`~claimcore.encounters.Admission`, and the discharge date, hour and status
    (FL 16-17) from its :class:`~claimcore.encounters.Discharge`; hours are read in the
    time zone each datetime carries, so record them in the facility's local time. An
    outpatient encounter gives the statement period and its discharge status only.
    The helper lives here rather than in :mod:`claimcore.encounters`, which sits below
    claims and never imports them.
    """
    instance(encounter, Encounter, "$.encounter")
    if encounter.status is not EncounterStatus.FINISHED or encounter.discharge is None:
        raise ValidationError("the encounter must be finished (discharged) to bill it",
                              path="$.encounter.status", rule="not-finished")
    if statement_period is None:
        statement_period = encounter.service_dates()
    instance(statement_period, Period, "$.statement_period")
    admitted = encounter.admission
    discharged = encounter.discharge
    return AdmissionInfo(
        statement_period=statement_period,
        admission_date=None if admitted is None else admitted.at.date(),
        admission_hour=None if admitted is None else admitted.at.hour,
        admission_type=None if admitted is None else admitted.admission_type.value,
        admission_source=None if admitted is None else admitted.source.value,
        discharge_date=discharged.at.date() if admitted is not None else None,
        discharge_hour=discharged.at.hour if admitted is not None else None,
        discharge_status=discharged.disposition.value,
    )


def build_claim(
    *,
    id: ClaimId,
    kind: ClaimKind,
    charges: Iterable[Charge],
    patient: Patient,
    coverage: Coverage,
    billing_provider: Organization,
    rendering_provider: Provider | None = None,
    referring_provider: Provider | None = None,
    attending_provider: Provider | None = None,
    facility: Facility | None = None,
    place_of_service: PlaceOfService | None = None,
    type_of_bill: TypeOfBill | None = None,
    admission: AdmissionInfo | None = None,
    diagnoses: Iterable[ICD10CM] | None = None,
    admitting_diagnosis: ICD10CM | None = None,
    prior_authorization: str | None = None,
    other_payers: Iterable[OtherPayer] = (),
    max_lines: int = MAX_PROFESSIONAL_LINES,
    encounter: EncounterId | str | None = None,
    present_on_admission: Iterable[PresentOnAdmission | None] = (),
    condition_codes: Iterable[ConditionCode] = (),
    occurrences: Iterable[Occurrence] = (),
    occurrence_spans: Iterable[OccurrenceSpan] = (),
    value_codes: Iterable[ValueAmount] = (),
    drg: DRG | None = None,
    procedures: Iterable[InpatientProcedure] = (),
) -> tuple[Claim, ...]:
    """Draft claims for an encounter's active charges under one coverage.

    Each active charge becomes one line (voided charges are left out), in date order.
    ``diagnoses`` default to the charges' diagnoses in order of first appearance; each
    line points at its charge's diagnoses. The claim names the ``encounter`` it bills:
    by default the one its active charges were entered for (``Charge.encounter_id``),
    when they all name the same one. The place of service defaults to the
    facility's, then the first charge's. A professional claim of more than
    ``max_lines`` lines or 12 diagnoses is split (:func:`split_claim`); institutional
    claims are never split. The UB-04 codes (``present_on_admission``, parallel to the
    claim's diagnoses, ``condition_codes``, ``occurrences``, ``occurrence_spans``,
    ``value_codes``, ``drg``, ICD-10-PCS ``procedures``) go on the institutional claim as
    given (see :class:`Claim`).
    """
    instance(kind, ClaimKind, "$.kind")
    found = members(tuple(charges), Charge, "$.charges")
    active = sorted((c for c in found if c.is_active), key=lambda c: c.service_date)
    if not active:
        raise ValidationError("a claim needs at least one active charge", path="$.charges",
                              rule="no-charges")
    if diagnoses is None:
        order: dict[ICD10CM, None] = {}
        for charge in active:
            for dx in charge.diagnoses:
                order.setdefault(dx, None)
        claim_dx = tuple(order)
    else:
        claim_dx = members(tuple(diagnoses), ICD10CM, "$.diagnoses")
    position = {dx: i for i, dx in enumerate(claim_dx, 1)}
    lines: list[ClaimLine] = []
    for n, charge in enumerate(active, 1):
        try:
            pointers = tuple(position[dx] for dx in charge.diagnoses)
        except KeyError:
            raise ValidationError(
                "a charge's diagnosis is not among the claim's diagnoses",
                path=f"$.charges[{found.index(charge)}].diagnoses", rule="unknown-diagnosis",
            ) from None
        lines.append(_line(charge, n, pointers, kind))
    if kind is ClaimKind.INSTITUTIONAL:
        lines.sort(key=lambda line: (str(line.revenue_code or ""), line.from_date))
        lines = [attrs.evolve(line, line_number=n) for n, line in enumerate(lines, 1)]
    if encounter is None:
        named = {c.encounter_id for c in active}
        encounter = named.pop() if len(named) == 1 else None
    if place_of_service is None and kind is ClaimKind.PROFESSIONAL:
        place_of_service = (
            facility.place_of_service if facility is not None else active[0].place_of_service
        )
    claim = Claim(
        id=id, kind=kind, encounter=encounter, patient=patient, coverage=coverage,
        billing_provider=billing_provider, rendering_provider=rendering_provider,
        referring_provider=referring_provider, attending_provider=attending_provider,
        facility=facility, place_of_service=place_of_service, type_of_bill=type_of_bill,
        admission=admission, diagnoses=claim_dx, admitting_diagnosis=admitting_diagnosis,
        lines=tuple(lines), prior_authorization=prior_authorization,
        other_payers=tuple(other_payers), present_on_admission=tuple(present_on_admission),
        condition_codes=tuple(condition_codes), occurrences=tuple(occurrences),
        occurrence_spans=tuple(occurrence_spans), value_codes=tuple(value_codes), drg=drg,
        procedures=tuple(procedures),
    )
    if kind is ClaimKind.PROFESSIONAL:
        return split_claim(claim, max_lines=max_lines)
    return (claim,)


def _part_id(claim_id: ClaimId, number: int) -> ClaimId:
    if number == 1:
        return claim_id
    suffix = f"-{number}"
    # CLM01 holds 20 characters: a long id gives up its tail to keep the parts distinct.
    return ClaimId(claim_id.value[: 20 - len(suffix)] + suffix)


def split_claim(
    claim: Claim,
    max_lines: int = MAX_PROFESSIONAL_LINES,
    *,
    max_diagnoses: int = MAX_PROFESSIONAL_DIAGNOSES,
    ids: Sequence[ClaimId] | None = None,
) -> tuple[Claim, ...]:
    """A draft professional claim as several claims of at most ``max_lines`` lines and
    ``max_diagnoses`` diagnoses each, every line and every cent kept exactly once.

    Lines stay in order; a part takes lines until the next would pass either limit.
    Each part carries only the diagnoses its lines point at (in the original order) and
    its pointers are renumbered to match. Part ``k`` is numbered ``{id}-{k}`` (the first
    keeps the id; an id too long for that is shortened to fit X12's 20 characters) unless
    ``ids`` are given. A claim within the limits comes back alone,
    unchanged; institutional claims are never split.
    """
    instance(claim, Claim, "$.claim")
    an_int(max_lines, "$.max_lines", low=1, high=MAX_PROFESSIONAL_LINES)
    an_int(max_diagnoses, "$.max_diagnoses", low=MAX_DIAGNOSIS_POINTERS,
           high=MAX_PROFESSIONAL_DIAGNOSES)
    if claim.kind is not ClaimKind.PROFESSIONAL or (
        len(claim.lines) <= max_lines and len(claim.diagnoses) <= max_diagnoses
    ):
        return (claim,)
    if claim.status is not ClaimStatus.DRAFT:
        raise ValidationError("only a draft claim can be split", path="$.status",
                              rule="split-after-draft")
    count = len(claim.diagnoses)
    chunks: list[tuple[list[ClaimLine], set[int]]] = []
    current: list[ClaimLine] = []
    used: set[int] = set()
    for i, line in enumerate(claim.lines):
        need = set(line.pointers)
        if any(p > count for p in need):
            raise ValidationError(
                "every pointer must resolve before a claim is split",
                path=f"$.lines[{i}].pointers", rule="unresolved-pointer",
            )
        if len(need) > max_diagnoses:  # pragma: no cover - pointers are at most 4 per line
            raise ValidationError("a line points at too many diagnoses to split",
                                  path=f"$.lines[{i}].pointers", rule="max-pointers")
        if current and (len(current) >= max_lines or len(used | need) > max_diagnoses):
            chunks.append((current, used))
            current, used = [], set()
        current.append(line)
        used |= need
    chunks.append((current, used))
    if ids is not None and len(ids) != len(chunks):
        raise ValidationError(
            f"the split makes {len(chunks)} claims; {len(ids)} ids were given",
            path="$.ids", rule="split-ids",
        )
    parts: list[Claim] = []
    for k, (chunk, pointed) in enumerate(chunks, 1):
        keep = sorted(pointed) or [1]
        renumber = {old: new for new, old in enumerate(keep, 1)}
        new_lines = tuple(
            attrs.evolve(
                line, line_number=n, pointers=tuple(renumber[p] for p in line.pointers)
            )
            for n, line in enumerate(chunk, 1)
        )
        parts.append(attrs.evolve(
            claim,
            id=_part_id(claim.id, k) if ids is None else instance(ids[k - 1], ClaimId, "$.ids"),
            diagnoses=tuple(claim.diagnoses[p - 1] for p in keep if p <= count),
            lines=new_lines,
        ))
    return tuple(parts)
