"""Every structure service authorises before it writes (DESIGN.md): called directly, with a valid
object, by someone who may not — B's admin creating into A, A's worker editing a grid, A's admin moving
a building to B — it raises PermissionDenied and writes nothing. Positive control: A's admin may."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from dangjian.core.models import AuditEvent
from dangjian.organizations.models import Alliance, JointBuildingAgreement, PartyOrganization
from dangjian.organizations.services import (
    agreement_save,
    alliance_save,
    committee_member_add,
    organization_save,
)
from dangjian.stations.models import Building, GridArea, Place, ResidentUnit, Station
from dangjian.stations.services import building_save, grid_save, place_save, station_save, unit_save
from tests.factories import valid_uscc

pytestmark = pytest.mark.django_db


def new_writes(world: Any) -> dict[str, Callable[[Any], Any]]:
    """One valid create into branch A per service, for `actor`."""
    return {
        "station": lambda actor: station_save(
            station=Station(
                code="newst", name="新分站", address="泰州市海陵区凤凰路8号", contact_phone="0523-86880000"
            ),
            actor=actor,
        ),
        "building": lambda actor: building_save(
            building=Building(
                station=world.a, name="万达广场写字楼C座", address="泰州市海陵区济川东路9号", floors_above=10
            ),
            actor=actor,
        ),
        "unit": lambda actor: unit_save(
            unit=ResidentUnit(building=world.building_a, name="泰州新能科技有限公司", uscc=valid_uscc(7311)),
            actor=actor,
        ),
        "grid": lambda actor: grid_save(
            grid=GridArea(building=world.building_a, name="A座低区网格"), actor=actor, floors=[]
        ),
        "place": lambda actor: place_save(
            place=Place(station=world.a, name="春晖社区", kind="community"), actor=actor
        ),
        "organization": lambda actor: organization_save(
            organization=PartyOrganization(
                station=world.a,
                name="新能科技党支部",
                kind="branch",
                formal_superior="中共泰州市海陵区委员会",
            ),
            actor=actor,
            units=[],
        ),
        "alliance": lambda actor: alliance_save(
            alliance=Alliance(station=world.a, name="新联盟", lead_organization=world.org_a),
            actor=actor,
            organizations=[world.org_a, world.org_b],
        ),
        "agreement": lambda actor: agreement_save(
            agreement=JointBuildingAgreement(station=world.a, title="新协议", content="共建"),
            actor=actor,
            organizations=[world.org_a, world.org_b],
        ),
        "committee": lambda actor: committee_member_add(
            organization=world.org_a, user=world.resident, position="member", actor=actor
        ),
    }


WRITES = [
    "station",
    "building",
    "unit",
    "grid",
    "place",
    "organization",
    "alliance",
    "agreement",
    "committee",
]


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("role", ["other_admin", "worker_a", "officer_a", "member", "resident"])
def test_a_write_into_branch_a_is_refused_for_who_may_not(world, write, role) -> None:
    if (write, role) in {("unit", "worker_a"), ("committee", "officer_a")}:
        pytest.skip("A's worker keeps units; an organisation's officer keeps its committee")
    before = AuditEvent.objects.with_scopes_disabled().count()
    with pytest.raises(PermissionDenied):
        new_writes(world)[write](world.actor(role))
    assert AuditEvent.objects.with_scopes_disabled().count() == before


@pytest.mark.parametrize("write", WRITES)
def test_branch_a_admin_or_hq_may(world, write) -> None:
    actor = world.hq_admin if write == "station" else world.own_admin
    assert new_writes(world)[write](actor).pk


def test_moving_a_building_to_another_station_needs_the_right_there(world) -> None:
    world.building_a.station = world.b
    with pytest.raises(PermissionDenied):
        building_save(building=world.building_a, actor=world.own_admin, before={})
    assert Building.objects.get(pk=world.building_a.pk).station_id == world.a.pk
