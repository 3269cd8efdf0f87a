"""党员人数 on the public organisation page (and in the API) is counted from the roster, not typed in:
a typed 20 beside a roster of 10 showed 20. Only members on the roll (正常, 流动) count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangjian.members.models import ACTIVE_STATUSES, MemberStatus
from dangjian.organizations import selectors
from dangjian.organizations.models import PartyOrganization
from tests.members.builders import make_profile


def test_the_on_roll_statuses_are_the_members_apps() -> None:
    """organizations may not import members, so it names the statuses itself; they must stay the same."""
    assert set(selectors.ON_ROLL_STATUSES) == {str(status) for status in ACTIVE_STATUSES}


@pytest.fixture
def roster(world):
    PartyOrganization.objects.filter(pk=world.org_a.pk).update(member_count=20)  # the typed-in figure
    for _ in range(8):
        make_profile(world.org_a)
    make_profile(world.org_a, status=MemberStatus.MOBILE)
    make_profile(world.org_a, status=MemberStatus.MOBILE)
    for gone in (MemberStatus.TRANSFERRED_OUT, MemberStatus.SUSPENDED, MemberStatus.DECEASED):
        make_profile(world.org_a, status=gone)
    make_profile(world.org_b)  # another organisation's member
    return world


@pytest.mark.django_db
def test_public_page_counts_the_roster(roster, client) -> None:
    body = client.get(roster.org_a.get_absolute_url()).content.decode()
    assert "<dt>党员人数</dt><dd>10 名</dd>" in body
    assert "20 名" not in body


@pytest.mark.django_db
def test_an_organisation_without_profiles_has_none(roster, client) -> None:
    org = PartyOrganization.objects.create(
        station=roster.a, name="新设支部", formal_superior="中共泰州市海陵区委两新工委", member_count=7
    )
    body = client.get(org.get_absolute_url()).content.decode()
    assert "<dt>党员人数</dt><dd>0 名</dd>" in body


@pytest.mark.django_db
def test_api_counts_the_roster_beside_the_unit_count(roster, client) -> None:
    roster.org_a.units.add(roster.unit_a)
    listing = client.get(reverse("api:organization_list")).json()
    items = listing["items"] if isinstance(listing, dict) else listing
    by_id = {item["id"]: item for item in items}
    assert by_id[roster.org_a.pk]["member_count"] == 10
    assert by_id[roster.org_a.pk]["unit_count"] == 1  # the roster count does not multiply the join
    assert by_id[roster.org_b.pk]["member_count"] == 1
    detail = client.get(reverse("api:organization_detail", args=[roster.org_a.pk])).json()
    assert detail["member_count"] == 10


@pytest.mark.django_db
def test_the_form_no_longer_asks_for_the_number(world, client) -> None:
    client.force_login(world.own_admin)
    body = client.get(reverse("orgs:organization_create")).content.decode()
    assert 'name="member_count"' not in body
