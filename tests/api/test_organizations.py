"""Party organisations: public list with term-status filter, detail with units and committee."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dangjian.organizations.models import CommitteeMember, PartyOrganization
from tests.api.builders import API, make_user
from tests.api.conftest import World

pytestmark = pytest.mark.django_db


def make_organization(station: Any, name: str, *, days_left: int | None, **fields: Any) -> PartyOrganization:
    term_end = None if days_left is None else timezone.localdate() + timedelta(days=days_left)
    return PartyOrganization.objects.create(
        station=station, name=name, formal_superior="中共泰州市海陵区委两新工委", term_end=term_end, **fields
    )


@pytest.fixture
def organizations(world: World) -> dict[str, PartyOrganization]:
    normal = make_organization(world.branch_a, "云帆公司党支部", days_left=400, short_name="云帆支部")
    normal.units.add(world.unit_a)
    secretary = make_user("secretary")
    secretary.mobile = "13700001234"
    secretary.save()
    CommitteeMember.objects.create(organization=normal, user=make_user("publicity"), position="publicity")
    CommitteeMember.objects.create(organization=normal, user=secretary, position="secretary")
    PartyOrganization.objects.filter(pk=normal.pk).update(secretary=secretary)
    return {
        "normal": normal,
        "expiring": make_organization(world.branch_a, "万达联合党支部", days_left=30, kind="joint_branch"),
        "expired": make_organization(world.branch_b, "律所党支部", days_left=-1),
        "unknown": make_organization(world.branch_b, "金融大厦党总支", days_left=None, kind="general_branch"),
    }


def listed_names(client: Client, **query: Any) -> set[str]:
    response = client.get(f"{API}/organizations", query)
    assert response.status_code == 200, response.content
    return {item["name"] for item in response.json()["items"]}


def test_anonymous_lists_organizations(client: Client, organizations: dict[str, PartyOrganization]) -> None:
    response = client.get(f"{API}/organizations")

    assert response.json()["count"] == 4
    normal = next(item for item in response.json()["items"] if item["name"] == "云帆公司党支部")
    assert normal["term_status"] == "normal"
    assert normal["term_status_label"] == "任期正常"
    assert normal["unit_count"] == 1
    assert normal["secretary_name"] == "SECRETARY"


@pytest.mark.parametrize("term", ["normal", "expiring", "expired", "unknown"])
def test_term_filter(client: Client, organizations: dict[str, PartyOrganization], term: str) -> None:
    assert listed_names(client, term=term) == {organizations[term].name}


def test_other_filters(client: Client, world: World, organizations: dict[str, PartyOrganization]) -> None:
    assert listed_names(client, station=world.branch_b.pk) == {"律所党支部", "金融大厦党总支"}
    assert listed_names(client, kind="joint_branch") == {"万达联合党支部"}
    assert listed_names(client, q="云帆支部") == {"云帆公司党支部"}
    assert client.get(f"{API}/organizations", {"term": "soon"}).status_code == 422


def test_inactive_organization_is_hidden(client: Client, organizations: dict[str, PartyOrganization]) -> None:
    PartyOrganization.objects.filter(pk=organizations["expired"].pk).update(is_active=False)

    assert "律所党支部" not in listed_names(client)
    assert client.get(f"{API}/organizations/{organizations['expired'].pk}").status_code == 404


def test_detail_has_units_committee_and_no_mobile(
    client: Client, world: World, organizations: dict[str, PartyOrganization]
) -> None:
    response = client.get(f"{API}/organizations/{organizations['normal'].pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["formal_superior"] == "中共泰州市海陵区委两新工委"
    assert body["term_status"] == "normal"
    assert body["station"]["id"] == world.branch_a.pk
    assert body["units"] == [{"id": world.unit_a.pk, "name": world.unit_a.name}]
    assert body["committee"] == [
        {"name": "SECRETARY", "position": "secretary", "position_label": "书记"},
        {"name": "PUBLICITY", "position": "publicity", "position_label": "宣传委员"},
    ]
    assert "13700001234" not in response.content.decode()
    assert "mobile" not in response.content.decode()
