"""Office and outpatient E/M levels (CPT 99202-99205, 99211-99215), by the AMA 2021 rules.

Since 2021 an office or outpatient visit is levelled by **medical decision making** or by
the practitioner's **total time on the date of the encounter**, whichever the
documentation supports better; history and examination are only "medically
appropriate". MDM has three elements (the problems addressed, the data reviewed and
analysed, the risk of the patient's management); a level needs **two of the three** to
meet or exceed it. By time, each level has a minimum that must be met or exceeded (CPT
2024): new patients 15, 30, 45 and 60 minutes (99202-99205), established patients 10,
20, 30 and 40 (99212-99215). 99211 has neither (a visit that may not need a physician).

>>> from claimcore.codes import CPT
>>> level = em_level(new_patient=False, mdm=MedicalDecisionMaking(
...     problems=MdmLevel.MODERATE, data=MdmLevel.LOW, risk=MdmLevel.MODERATE))
>>> level.code, level.basis
(CPT('99214'), <EmBasis.MDM: 'mdm'>)
>>> level.reasons[0]
'MDM moderate: two of problems (moderate), data (low) and risk (moderate) meet moderate'
>>> em_level(new_patient=True, minutes=44).code
CPT('99203')
>>> em_level(new_patient=True, minutes=45).code
CPT('99204')
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import attrs

from claimcore._validate import an_int, instance, optional_instance, to_tuple
from claimcore.codes.procedures import CPT
from claimcore.errors import TypeMismatch, ValidationError

__all__ = [
    "EM_MDM_LEVELS",
    "EM_TIME_THRESHOLDS",
    "ESTABLISHED_PATIENT_EM",
    "NEW_PATIENT_EM",
    "OFFICE_EM_CODES",
    "EmBasis",
    "EmLevel",
    "MdmLevel",
    "MedicalDecisionMaking",
    "em_level",
    "em_rank",
]


class MdmLevel(enum.StrEnum):
    """A level of medical decision making, or of one of its three elements."""

    STRAIGHTFORWARD = "straightforward"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """0 (straightforward) to 3 (high), for comparing levels."""
        return _MDM_ORDER.index(self)


_MDM_ORDER: Final = (MdmLevel.STRAIGHTFORWARD, MdmLevel.LOW, MdmLevel.MODERATE,
                     MdmLevel.HIGH)

NEW_PATIENT_EM: Final = (CPT("99202"), CPT("99203"), CPT("99204"), CPT("99205"))
"""The new-patient office visit codes, straightforward to high."""
ESTABLISHED_PATIENT_EM: Final = (CPT("99212"), CPT("99213"), CPT("99214"), CPT("99215"))
"""The established-patient office visit codes (besides 99211), straightforward to high."""
OFFICE_EM_CODES: Final = frozenset((*NEW_PATIENT_EM, CPT("99211"), *ESTABLISHED_PATIENT_EM))
"""Every office or outpatient E/M code of 2021 onward (99201 was deleted)."""

EM_MDM_LEVELS: Final[Mapping[CPT, MdmLevel]] = MappingProxyType({
    code: level
    for codes in (NEW_PATIENT_EM, ESTABLISHED_PATIENT_EM)
    for code, level in zip(codes, _MDM_ORDER, strict=True)
})
"""The MDM level each code needs (99202 and 99212 straightforward ... 99205 and 99215
high)."""

EM_TIME_THRESHOLDS: Final[Mapping[CPT, int]] = MappingProxyType({
    CPT("99202"): 15, CPT("99203"): 30, CPT("99204"): 45, CPT("99205"): 60,
    CPT("99212"): 10, CPT("99213"): 20, CPT("99214"): 30, CPT("99215"): 40,
})
"""The total minutes on the date each code needs, met or exceeded (CPT 2024 onward)."""


@attrs.frozen(kw_only=True)
class MedicalDecisionMaking:
    """The three MDM elements as documented, each at the level it reaches.

    ``problems``: number and complexity of problems addressed; ``data``: amount and
    complexity of data reviewed and analysed; ``risk``: risk of complications, morbidity
    or mortality of patient management.
    """

    problems: MdmLevel
    data: MdmLevel
    risk: MdmLevel

    def __attrs_post_init__(self) -> None:
        instance(self.problems, MdmLevel, "$.problems")
        instance(self.data, MdmLevel, "$.data")
        instance(self.risk, MdmLevel, "$.risk")

    @property
    def level(self) -> MdmLevel:
        """The highest level two of the three elements meet or exceed (their median)."""
        ranks = sorted(e.rank for e in (self.problems, self.data, self.risk))
        return _MDM_ORDER[ranks[1]]


class EmBasis(enum.StrEnum):
    """What a level rests on: medical decision making or total time on the date."""

    MDM = "mdm"
    TIME = "time"


def _reasons(value: object) -> tuple[str, ...]:
    return to_tuple(value)  # type: ignore[arg-type]


@attrs.frozen(kw_only=True)
class EmLevel:
    """The E/M code the documentation supports, on what basis, and why.

    ``code`` is ``None`` when nothing supports a level (time under the first threshold
    and no MDM given). ``mdm`` and ``minutes`` are what was documented.
    """

    code: CPT | None
    new_patient: bool
    basis: EmBasis | None
    reasons: tuple[str, ...] = attrs.field(converter=_reasons)
    mdm: MdmLevel | None = None
    minutes: int | None = None

    def __attrs_post_init__(self) -> None:
        optional_instance(self.code, CPT, "$.code")
        if self.code is not None and self.code not in EM_MDM_LEVELS:
            raise ValidationError("must be one of 99202-99205 or 99212-99215",
                                  path="$.code", rule="em-code")
        if type(self.new_patient) is not bool:
            raise TypeMismatch("must be a bool", path="$.new_patient", rule="type")
        optional_instance(self.basis, EmBasis, "$.basis")
        optional_instance(self.mdm, MdmLevel, "$.mdm")
        if self.minutes is not None:
            an_int(self.minutes, "$.minutes", low=0, high=1440)

    @property
    def rank(self) -> int:
        """0 (straightforward) to 3 (high); -1 when no level is supported."""
        return -1 if self.code is None else EM_MDM_LEVELS[self.code].rank


def em_rank(code: CPT) -> tuple[bool, int] | None:
    """What a billed office E/M code claims: (new patient?, rank 0 to 3, as
    :attr:`EmLevel.rank`); 99211 is an established visit of rank -1; any other code
    ``None``.

    >>> em_rank(CPT("99214")), em_rank(CPT("99211")), em_rank(CPT("80053"))
    ((False, 2), (False, -1), None)
    """
    if code == CPT("99211"):
        return False, -1
    level = EM_MDM_LEVELS.get(code)
    if level is None:
        return None
    return code in NEW_PATIENT_EM, level.rank


def _by_time(new_patient: bool, minutes: int) -> tuple[CPT | None, str]:
    codes = NEW_PATIENT_EM if new_patient else ESTABLISHED_PATIENT_EM
    met = [c for c in codes if minutes >= EM_TIME_THRESHOLDS[c]]
    who = "new" if new_patient else "established"
    if not met:
        first = codes[0]
        return None, (f"total time {minutes} minutes is under {first}'s "
                      f"{EM_TIME_THRESHOLDS[first]} (the first {who}-patient level by time)")
    code = met[-1]
    reason = f"total time {minutes} minutes meets {code}'s {EM_TIME_THRESHOLDS[code]}"
    if code != codes[-1]:
        after = codes[codes.index(code) + 1]
        reason += f" ({after} needs {EM_TIME_THRESHOLDS[after]})"
    return code, reason


def em_level(
    *,
    new_patient: bool,
    mdm: MedicalDecisionMaking | None = None,
    minutes: int | None = None,
) -> EmLevel:
    """The office or outpatient E/M level the documented elements support, with reasons.

    ``mdm`` gives the three elements of medical decision making; ``minutes`` the total
    time of the practitioner on the date of the encounter. Either or both: with both, the
    higher level wins (the practitioner may level by whichever the documentation
    supports). Raises :class:`~claimcore.errors.ValidationError` when neither is given.
    """
    if type(new_patient) is not bool:
        raise TypeMismatch("must be a bool", path="$.new_patient", rule="type")
    optional_instance(mdm, MedicalDecisionMaking, "$.mdm")
    if minutes is not None:
        an_int(minutes, "$.minutes", low=0, high=1440)
    if mdm is None and minutes is None:
        raise ValidationError("give the MDM elements, the total minutes, or both",
                              path="$", rule="em-nothing-documented")
    codes = NEW_PATIENT_EM if new_patient else ESTABLISHED_PATIENT_EM
    reasons: list[str] = []
    by_mdm: CPT | None = None
    if mdm is not None:
        level = mdm.level
        by_mdm = codes[level.rank]
        reasons.append(
            f"MDM {level.value}: two of problems ({mdm.problems.value}), data "
            f"({mdm.data.value}) and risk ({mdm.risk.value}) meet {level.value}"
        )
    by_time: CPT | None = None
    if minutes is not None:
        by_time, reason = _by_time(new_patient, minutes)
        reasons.append(reason)
    if by_time is not None and (by_mdm is None or codes.index(by_time) > codes.index(by_mdm)):
        code, basis = by_time, EmBasis.TIME
    elif by_mdm is not None:
        code, basis = by_mdm, EmBasis.MDM
    else:
        code, basis = None, None
    if by_mdm is not None and by_time is not None:
        reasons.append(f"levelled by {basis.value if basis else 'neither'}: the higher of "
                       f"{by_mdm} (MDM) and {by_time} (time)")
    return EmLevel(code=code, new_patient=new_patient, basis=basis, reasons=reasons,
                   mdm=None if mdm is None else mdm.level, minutes=minutes)
