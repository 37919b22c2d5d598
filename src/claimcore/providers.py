"""Providers: the clinicians, groups and facilities that give and bill care.

A :class:`Provider` is an individual (type 1 NPI) with a NUCC taxonomy code; an
:class:`Organization` is a group or institution (type 2 NPI) with its tax id; a
:class:`Facility` is where care is given, with its default place of service. On an
encounter or a claim a provider plays a :class:`ProviderRole`, recorded as a
:class:`CareTeamMember`. Provider names are public (the NPPES registry publishes them),
so they show in ``repr``; the addresses are kept as :class:`~claimcore.patients.Address`,
whose ``repr`` shows nothing.

>>> from claimcore.ids import NPI
>>> from claimcore.patients import PersonName
>>> doctor = Provider(
...     npi=NPI("1234567893"), name=PersonName(given="Grace", family="Hopper"),
...     taxonomy="207Q00000X",
... )
>>> doctor
Provider(npi='1234567893', name='Grace Hopper', taxonomy='207Q00000X')
>>> CareTeamMember(role=ProviderRole.RENDERING, provider=doctor).role
<ProviderRole.RENDERING: 'rendering'>
"""

from __future__ import annotations

import enum
import re
from typing import Final

import attrs

from claimcore._pickling import fast_pickle
from claimcore._validate import instance, optional_instance, optional_text, text
from claimcore.codes import PlaceOfService
from claimcore.ids import NPI, TaxId
from claimcore.patients import Address, PersonName

__all__ = [
    "CareTeamMember",
    "Facility",
    "Organization",
    "Provider",
    "ProviderRole",
]

_TAXONOMY: Final = re.compile(r"[0-9]{3}[0-9A-Z]{6}X")
_TAXONOMY_EXPECTED: Final = "a NUCC taxonomy code: 3 digits, 6 digits or capitals, then X"
_ORG_NAME: Final = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?")


class ProviderRole(enum.StrEnum):
    """The part a provider plays on an encounter or a claim.

    837P loops: billing 2010AA, referring 2310A, rendering 2310B/2420A, supervising
    2310D/2420D; 837I: attending 2310A, operating 2310B. FHIR
    ``Encounter.participant.type`` / ``Claim.careTeam.role``.
    """

    BILLING = "billing"
    RENDERING = "rendering"
    REFERRING = "referring"
    ATTENDING = "attending"
    OPERATING = "operating"
    SUPERVISING = "supervising"


def _taxonomy(value: object, path: str) -> None:
    optional_text(value, path, pattern=_TAXONOMY, expected=_TAXONOMY_EXPECTED,
                  rule="taxonomy")


@fast_pickle
@attrs.frozen(kw_only=True, repr=False)
class Provider:
    """An individual clinician: type 1 NPI, name and NUCC taxonomy (specialty) code.

    X12: ``NM1`` with ``NM102 = 1`` and ``NM108 = XX``, taxonomy in ``PRV03``
    (qualifier ``PXC``); FHIR ``Practitioner``.
    """

    npi: NPI
    name: PersonName
    taxonomy: str | None = None

    def __attrs_post_init__(self) -> None:
        instance(self.npi, NPI, "$.npi")
        instance(self.name, PersonName, "$.name")
        _taxonomy(self.taxonomy, "$.taxonomy")

    def __repr__(self) -> str:
        # A provider's name is public (NPPES), unlike a patient's, so it may show here.
        return (
            f"Provider(npi={self.npi.value!r}, name={self.name.display()!r}, "
            f"taxonomy={self.taxonomy!r})"
        )


@fast_pickle
@attrs.frozen(kw_only=True)
class Organization:
    """A group practice or institution that bills: type 2 NPI, legal name, EIN, address.

    X12 loop 2010AA (billing provider): ``NM1`` with ``NM102 = 2``, ``N3``/``N4``,
    ``REF*EI`` for the tax id, taxonomy in ``PRV03``; FHIR ``Organization``.
    """

    npi: NPI
    name: str
    tax_id: TaxId
    address: Address
    taxonomy: str | None = None

    def __attrs_post_init__(self) -> None:
        instance(self.npi, NPI, "$.npi")
        text(self.name, "$.name", pattern=_ORG_NAME, max_len=60,
             expected="printable ASCII without leading or trailing spaces")
        instance(self.tax_id, TaxId, "$.tax_id")
        instance(self.address, Address, "$.address")
        _taxonomy(self.taxonomy, "$.taxonomy")


@fast_pickle
@attrs.frozen(kw_only=True)
class Facility:
    """Where care is given (a clinic, a hospital, an ambulatory surgery center).

    ``place_of_service`` is the code an encounter there takes unless told otherwise.
    X12 837 loop 2310C (professional) / 2310E (institutional) service facility location;
    FHIR ``Location``.
    """

    name: str
    address: Address
    place_of_service: PlaceOfService
    npi: NPI | None = None

    def __attrs_post_init__(self) -> None:
        text(self.name, "$.name", pattern=_ORG_NAME, max_len=60,
             expected="printable ASCII without leading or trailing spaces")
        instance(self.address, Address, "$.address")
        instance(self.place_of_service, PlaceOfService, "$.place_of_service")
        optional_instance(self.npi, NPI, "$.npi")


@fast_pickle
@attrs.frozen(kw_only=True)
class CareTeamMember:
    """A provider in a role on an encounter or claim (FHIR ``Claim.careTeam``)."""

    role: ProviderRole
    provider: Provider

    def __attrs_post_init__(self) -> None:
        instance(self.role, ProviderRole, "$.role")
        instance(self.provider, Provider, "$.provider")
