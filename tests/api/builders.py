"""Builders of test rows, shared by the API tests."""

from __future__ import annotations

from itertools import count
from typing import Any

from dangjian.accounts.models import RoleAssignment, User
from dangjian.accounts.services import token_create
from dangjian.core.validators import build_uscc
from dangjian.stations.models import Building, ResidentUnit, Station, StationKind
from dangjian.stations.services import sync_floors

API = "/api/v1"

_unit_numbers = count(1)


def uscc_for(number: int) -> str:
    """A well-formed, unique USCC for the n-th test unit."""
    return build_uscc(authority="9", category="1", division="321202", org_code8=f"{number:08d}")


def make_station(code: str, *, kind: str = StationKind.BRANCH, **fields: Any) -> Station:
    return Station.objects.create(code=code, name=f"{code} 站", kind=kind, address="泰州市海陵区", **fields)


def make_building(station: Station, name: str, *, floors_above: int = 5, floors_below: int = 1) -> Building:
    building = Building.objects.create(
        station=station,
        name=name,
        address="海陵路 1 号",
        floors_above=floors_above,
        floors_below=floors_below,
    )
    sync_floors(building)
    return building


def make_unit(building: Building, name: str, **fields: Any) -> ResidentUnit:
    number = next(_unit_numbers)
    defaults: dict[str, Any] = {
        "uscc": uscc_for(number),
        "floor": building.floors.get(number=1),
        "room": f"{100 + number % 900}",
        "contact_name": "联系人",
        "contact_phone": "13812345678",
        "headcount": 50,
        "party_member_count": 5,
    }
    return ResidentUnit.objects.create(building=building, name=name, **{**defaults, **fields})


def make_user(username: str, *, station: Station | None = None, role: str | None = None) -> User:
    user = User.objects.create_user(username=username, password=None, real_name=username.upper())
    if station is not None:
        user.home_station = station
        user.save(update_fields=["home_station"])
    if role is not None and station is not None:
        RoleAssignment.objects.create(user=user, role=role, station=station)
    return user


def bearer(user: User) -> dict[str, str]:
    """Request headers (as test-client kwargs) carrying a fresh personal token of `user`."""
    _token, secret = token_create(user=user, name="测试令牌")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
