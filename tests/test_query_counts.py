"""Every list page runs the same number of SQL queries with 1 row or 25 (DESIGN.md: constant query counts)."""

from __future__ import annotations

import pytest

from dangjian.core.audit import record_event
from dangjian.organizations.models import Alliance, CommitteeMember, JointBuildingAgreement
from tests import factories as f
from tests.queries import get_query_count

MAX_QUERIES = 20
# The work page asks each capability's cards for one count apiece; it stays constant in the rows.
MAX_QUERIES_BY_URL = {
    "/work/": 40,  # one or two per capability's cards, whatever the rows
    "/manage/cockpit/stations/{a_code}/": 34,  # the station's figures, goals, units and a page of organisations
}

LIST_PAGES = [
    "/",
    "/stations/",
    "/stations/{a_code}/",
    "/buildings/{building_a}/",
    "/organizations/{org_a}/",
    "/work/",
    "/manage/stations/",
    "/manage/buildings/",
    "/manage/units/",
    "/manage/grids/",
    "/manage/places/",
    "/manage/organizations/",
    "/manage/organizations/{org_a}/committee/",
    "/manage/alliances/",
    "/manage/agreements/",
    "/manage/elections/",
    "/manage/elections/overdue/",
    "/manage/roles/",
    "/manage/audit/",
    "/accounts/tokens/",
    "/manage/cockpit/stations/{a_code}/",
    "/manage/funding/",
    "/manage/honors/",
    "/manage/publicity/",
    "/manage/demonstrations/",
    "/honors/",
]


def _grow(world, n: int, start: int = 0) -> None:
    """Add `n` more rows of every listed kind to branch A."""
    from dangjian.accounts.services import token_create

    for i in range(start, start + n):
        building = f.BuildingFactory(station=world.a, floors_above=2, floors_below=0)
        unit = f.ResidentUnitFactory(building=world.building_a, floor=world.building_a.floors.first())
        grid = f.GridAreaFactory(building=building)
        grid.floors.set(building.floors.all())
        f.PlaceFactory(station=world.a)
        f.StationFactory()
        org = f.PartyOrganizationFactory(station=world.a)
        org.units.add(unit)
        person = f.UserFactory()
        CommitteeMember.objects.create(organization=world.org_a, user=person, position="member")
        world.org_a.units.add(unit)
        alliance = Alliance.objects.create(station=world.a, name=f"联盟{i}", lead_organization=org)
        alliance.organizations.set([org, world.org_a])
        agreement = JointBuildingAgreement.objects.create(station=world.a, title=f"协议{i}", content="共建")
        agreement.organizations.set([org, world.org_a])
        f.grant(person, "worker", world.a, building=building)
        f.grant(person, "grid_leader", world.a, grid=grid)
        record_event(actor=world.own_admin, action="stations.unit.update", target=unit, station=world.a)
        token_create(user=world.own_admin, name=f"令牌{i}")


@pytest.mark.django_db
def test_list_pages_use_constant_queries(world, client) -> None:
    client.force_login(world.own_admin)
    names = {"a_code": world.a.code, "building_a": world.building_a.pk, "org_a": world.org_a.pk}
    urls = [u.format(**names) for u in LIST_PAGES]
    limits = {u.format(**names): n for u, n in MAX_QUERIES_BY_URL.items()}
    for url in urls:  # a first visit may compute what later ones read (the cockpit's figures)
        client.get(url)
    _grow(world, 1)
    few = {url: get_query_count(client, url) for url in urls}
    _grow(world, 24, start=1)
    many = {url: get_query_count(client, url) for url in urls}
    growing = {url: (few[url], many[url]) for url in urls if many[url] != few[url]}
    assert not growing, f"query count grows with rows (few, many): {growing}"
    too_many = {url: n for url, n in many.items() if n > limits.get(url, MAX_QUERIES)}
    assert not too_many, f"more than {MAX_QUERIES} queries: {too_many}"
