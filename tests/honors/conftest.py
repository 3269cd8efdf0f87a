from __future__ import annotations

from types import SimpleNamespace

import pytest

from dangjian.accounts.models import PersonKind, Role
from tests import factories as f
from tests.members.builders import make_profile


@pytest.fixture
def hn(db):
    """HQ and branches A and B; A's organisation with a member, an officer, A's admin, worker and
    instructor; B's admin and instructor; an HQ admin. `nominator`, `instructor` and `decider` walk a
    nomination of A along the workflow."""
    hq = f.StationFactory(kind="hq", code="hq", name="海陵区楼宇党建共享平台总站")
    a = f.StationFactory(code="wanda", name="万达广场分站")
    b = f.StationFactory(code="jinrong", name="金融大厦分站")
    org_a = f.PartyOrganizationFactory(station=a, name="万达广场楼宇联合党支部")
    org_b = f.PartyOrganizationFactory(station=b, name="金融大厦楼宇联合党支部")
    member = make_profile(org_a).user
    member.real_name = "周立新"
    member.save()
    member_b = make_profile(org_b).user
    people = {}
    for name, role, station, scope in (
        ("admin_a", Role.STATION_ADMIN, a, {}),
        ("worker_a", Role.WORKER, a, {}),
        ("instructor_a", Role.INSTRUCTOR, a, {}),
        ("officer_a", Role.ORG_OFFICER, a, {"organization": org_a}),
        ("admin_b", Role.STATION_ADMIN, b, {}),
        ("instructor_b", Role.INSTRUCTOR, b, {}),
        ("hq_admin", Role.STATION_ADMIN, hq, {}),
    ):
        person = f.UserFactory(username=name, person_kind=PersonKind.MEMBER)
        f.grant(person, role, station, **scope)
        people[name] = person
    resident = f.UserFactory(username="resident", person_kind=PersonKind.RESIDENT)
    return SimpleNamespace(
        hq=hq,
        a=a,
        b=b,
        org_a=org_a,
        org_b=org_b,
        member=member,
        member_b=member_b,
        resident=resident,
        nominator=people["admin_a"],
        instructor=people["instructor_a"],
        decider=people["hq_admin"],
        **people,
    )
