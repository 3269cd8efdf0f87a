"""A small 1+N world for the API tests: HQ, branches A and B, one building and one unit in each branch,
and four people: the HQ admin, the admins of A and B, and a plain user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from dangjian.accounts.models import Role, User
from dangjian.stations.models import Building, ResidentUnit, Station, StationKind
from tests.api.builders import make_building, make_station, make_unit, make_user


@dataclass
class World:
    hq: Station
    branch_a: Station
    branch_b: Station
    building_a: Building
    building_b: Building
    unit_a: ResidentUnit
    unit_b: ResidentUnit
    hq_admin: User
    admin_a: User
    admin_b: User
    plain_user: User


@pytest.fixture
def world(db: Any) -> World:
    hq = make_station("hq", kind=StationKind.HQ, sort_order=1)
    branch_a = make_station("branch-a", open_to_surroundings=True, sort_order=2)
    branch_b = make_station("branch-b", sort_order=3)
    building_a = make_building(branch_a, "万达广场 A 座")
    building_b = make_building(branch_b, "金融大厦")
    return World(
        hq=hq,
        branch_a=branch_a,
        branch_b=branch_b,
        building_a=building_a,
        building_b=building_b,
        unit_a=make_unit(building_a, "泰州云帆信息技术有限公司", industry="it", has_party_org=True),
        unit_b=make_unit(building_b, "海陵律师事务所", industry="law"),
        hq_admin=make_user("hqadmin", station=hq, role=Role.STATION_ADMIN),
        admin_a=make_user("admina", station=branch_a, role=Role.STATION_ADMIN),
        admin_b=make_user("adminb", station=branch_b, role=Role.STATION_ADMIN),
        plain_user=make_user("plain"),
    )


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    def signed_in(user: User) -> Client:
        client.force_login(user)
        return client

    return signed_in
