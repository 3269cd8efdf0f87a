from __future__ import annotations

from types import SimpleNamespace

import pytest

from dangjian.accounts.models import PersonKind, Role
from tests import factories as f


@pytest.fixture
def fu(db):
    """HQ, branch A with two buildings, branch B with one; A's admin, worker and instructor, B's admin
    and worker, an HQ admin and a member of A."""
    hq = f.StationFactory(kind="hq", code="hq", name="海陵区楼宇党建共享平台总站")
    a = f.StationFactory(code="wanda", name="万达广场分站")
    b = f.StationFactory(code="jinrong", name="金融大厦分站")
    people = {}
    for name, role, station in (
        ("admin_a", Role.STATION_ADMIN, a),
        ("worker_a", Role.WORKER, a),
        ("instructor_a", Role.INSTRUCTOR, a),
        ("admin_b", Role.STATION_ADMIN, b),
        ("worker_b", Role.WORKER, b),
        ("hq_admin", Role.STATION_ADMIN, hq),
    ):
        people[name] = f.UserFactory(username=name)
        f.grant(people[name], role, station)
    member = f.UserFactory(username="member_a", person_kind=PersonKind.MEMBER, home_station=a)
    return SimpleNamespace(
        hq=hq,
        a=a,
        b=b,
        tower_a=f.BuildingFactory(station=a, name="万达广场写字楼A座"),
        tower_c=f.BuildingFactory(station=a, name="万达广场写字楼C座"),
        tower_b=f.BuildingFactory(station=b, name="泰州金融大厦"),
        member=member,
        **people,
    )
