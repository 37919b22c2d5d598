"""Worked scenarios for providers, organizations, facilities and care-team roles."""

from __future__ import annotations

import pytest

from claimcore.codes import PlaceOfService
from claimcore.errors import TypeMismatch, ValidationError
from claimcore.ids import NPI, TaxId
from claimcore.patients import Address, PersonName
from claimcore.providers import CareTeamMember, Facility, Organization, Provider, ProviderRole

CLINIC_ADDRESS = Address(lines=["200 Health Way"], city="Springfield", state="IL",
                         postal_code="62701")
HOPPER = Provider(npi=NPI("1234567893"), name=PersonName(given="Grace", family="Hopper"),
                  taxonomy="207Q00000X")


def test_provider_repr_shows_public_name_and_npi() -> None:
    """A provider's name and NPI are public (NPPES) and show in repr."""
    assert repr(HOPPER) == (
        "Provider(npi='1234567893', name='Grace Hopper', taxonomy='207Q00000X')"
    )


@pytest.mark.parametrize("taxonomy", ["207Q00000X", "363LF0000X", "2084N0400X", None])
def test_valid_taxonomy_codes(taxonomy: str | None) -> None:
    """NUCC codes are three digits, six digits or capitals, then X."""
    assert Provider(npi=NPI("1234567893"), name=PersonName(family="Hopper"),
                    taxonomy=taxonomy).taxonomy == taxonomy


@pytest.mark.parametrize("taxonomy", ["207Q00000", "207q00000X", "A07Q00000X", "207Q00000Y",
                                      "207Q000000X", ""])
def test_bad_taxonomy_codes_are_refused(taxonomy: str) -> None:
    """A taxonomy code that is not 10 characters of the NUCC shape is refused."""
    with pytest.raises(ValidationError) as info:
        Provider(npi=NPI("1234567893"), name=PersonName(family="Hopper"), taxonomy=taxonomy)
    assert info.value.path == "$.taxonomy"


def test_provider_refuses_wrong_types() -> None:
    """The NPI must be an NPI value (checked), not a bare string."""
    with pytest.raises(TypeMismatch) as info:
        Provider(npi="1234567893", name=PersonName(family="Hopper"))  # type: ignore[arg-type]
    assert info.value.path == "$.npi"
    with pytest.raises(TypeMismatch) as info:
        Provider(npi=NPI("1234567893"), name="Hopper")  # type: ignore[arg-type]
    assert info.value.path == "$.name"


def test_organization_holds_group_npi_and_ein() -> None:
    """A billing group: type 2 NPI, EIN shown as 12-3456789, address and taxonomy."""
    group = Organization(npi=NPI("1245319599"), name="Springfield Family Clinic",
                         tax_id=TaxId("12-3456789"), address=CLINIC_ADDRESS,
                         taxonomy="261QP2300X")
    assert str(group.tax_id) == "12-3456789"
    assert "Springfield Family Clinic" in repr(group)
    assert "Health Way" not in repr(group)


@pytest.mark.parametrize(("name", "rule"), [("", "empty"), (" Clinic", "format"),
                                            ("C" * 61, "length")])
def test_organization_name_is_checked(name: str, rule: str) -> None:
    """An organization name is 1 to 60 printable characters, trimmed."""
    with pytest.raises(ValidationError) as info:
        Organization(npi=NPI("1245319599"), name=name, tax_id=TaxId("123456789"),
                     address=CLINIC_ADDRESS)
    assert (info.value.path, info.value.rule) == ("$.name", rule)


def test_organization_refuses_a_str_tax_id() -> None:
    """The tax id is a TaxId value."""
    with pytest.raises(TypeMismatch) as info:
        Organization(npi=NPI("1245319599"), name="Clinic", tax_id="123456789",  # type: ignore[arg-type]
                     address=CLINIC_ADDRESS)
    assert info.value.path == "$.tax_id"


def test_facility_has_a_default_place_of_service() -> None:
    """An office is place of service 11; a hospital's ED is 23."""
    office = Facility(name="Springfield Family Clinic", address=CLINIC_ADDRESS,
                      place_of_service=PlaceOfService("11"))
    emergency = Facility(name="Memorial ED", address=CLINIC_ADDRESS,
                         place_of_service=PlaceOfService("23"), npi=NPI("1245319599"))
    assert office.place_of_service.name == "office"
    assert emergency.place_of_service.name == "hospital emergency department"
    with pytest.raises(TypeMismatch) as info:
        Facility(name="Clinic", address=CLINIC_ADDRESS, place_of_service="11")  # type: ignore[arg-type]
    assert info.value.path == "$.place_of_service"


def test_roles_and_care_team_members() -> None:
    """The six roles carry stable lower-case values; a member pairs a role and a provider."""
    assert [r.value for r in ProviderRole] == [
        "billing", "rendering", "referring", "attending", "operating", "supervising"]
    member = CareTeamMember(role=ProviderRole.ATTENDING, provider=HOPPER)
    assert member.provider is HOPPER
    with pytest.raises(TypeMismatch) as info:
        CareTeamMember(role="attending", provider=HOPPER)  # type: ignore[arg-type]
    assert info.value.path == "$.role"
