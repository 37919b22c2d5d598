"""Place of service codes: where a professional service was given.

Source: the CMS Place of Service Code Set (the list as carried in pyx12's
``map/codes.xml``, element 1331, checked against the CMS list in force in 2026); the
names are claimcore's own short wording. Unassigned codes (``28``-``30``, ``35``-``40``,
``43``-``48``, ``59``, ``63``, ``64``, ``67``-``70``, ``73``-``80``, ``82``-``98``) are
refused.

>>> PlaceOfService("11").name
'office'
>>> PlaceOfService("23").name
'hospital emergency department'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar, Final

import attrs

from claimcore.codes._base import Code, fail, require_str

__all__ = ["PLACES_OF_SERVICE", "PlaceOfService"]

_TWO_DIGITS: Final = re.compile(r"[0-9]{2}")

PLACES_OF_SERVICE: Final[Mapping[str, str]] = MappingProxyType({
    "01": "pharmacy",
    "02": "telehealth, not in the patient's home",
    "03": "school",
    "04": "homeless shelter",
    "05": "Indian Health Service free-standing facility",
    "06": "Indian Health Service provider-based facility",
    "07": "tribal 638 free-standing facility",
    "08": "tribal 638 provider-based facility",
    "09": "prison or correctional facility",
    "10": "telehealth in the patient's home",
    "11": "office",
    "12": "home",
    "13": "assisted living facility",
    "14": "group home",
    "15": "mobile unit",
    "16": "temporary lodging",
    "17": "walk-in retail health clinic",
    "18": "place of employment (worksite)",
    "19": "off-campus outpatient hospital",
    "20": "urgent care facility",
    "21": "inpatient hospital",
    "22": "on-campus outpatient hospital",
    "23": "hospital emergency department",
    "24": "ambulatory surgical center",
    "25": "birthing center",
    "26": "military treatment facility",
    "27": "outreach site or street",
    "31": "skilled nursing facility",
    "32": "nursing facility",
    "33": "custodial care facility",
    "34": "hospice",
    "41": "land ambulance",
    "42": "air or water ambulance",
    "49": "independent clinic",
    "50": "federally qualified health center",
    "51": "inpatient psychiatric facility",
    "52": "psychiatric facility, partial hospitalization",
    "53": "community mental health center",
    "54": "intermediate care facility for people with intellectual disabilities",
    "55": "residential substance use treatment facility",
    "56": "psychiatric residential treatment center",
    "57": "non-residential substance use treatment facility",
    "58": "non-residential opioid treatment facility",
    "60": "mass immunization center",
    "61": "comprehensive inpatient rehabilitation facility",
    "62": "comprehensive outpatient rehabilitation facility",
    "65": "end-stage renal disease treatment facility",
    "66": "programs of all-inclusive care for the elderly (PACE) center",
    "71": "public health clinic",
    "72": "rural health clinic",
    "81": "independent laboratory",
    "99": "other place of service",
})
"""Every assigned CMS place of service code and its name (our wording)."""

_ASSIGNED: Final = frozenset(PLACES_OF_SERVICE)


@attrs.frozen(order=True, repr=False)
class PlaceOfService(Code):
    """A CMS place of service code: two digits, one of the assigned codes.

    X12 837P: ``CLM05-1`` (claim) and ``SV105`` (line); FHIR:
    ``Claim.item.location[x]`` (CodeableConcept, system
    ``https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set``).
    """

    system: ClassVar[str] = "place of service"

    @classmethod
    def _check(cls, code: object) -> None:
        value = require_str(code, cls.system)
        if value in _ASSIGNED:
            return
        if _TWO_DIGITS.fullmatch(value) is None:
            fail(f"place of service {value!r}: must be exactly two digits", "pos-format")
        fail(f"place of service {value!r}: is not an assigned CMS place of service code",
             "pos-unknown")

    @property
    def name(self) -> str:
        """The place's name, in our words."""
        return PLACES_OF_SERVICE[self.code]
