from __future__ import annotations

from types import SimpleNamespace

import pytest

from dangjian.accounts.models import Role
from tests import factories as f
from tests.elections.builders import make_branch


@pytest.fixture
def el(db):
    """Branch A (roster of 9 full members and its secretary, term ending in 30 days), another organisation
    of the same station with its own officer, branch B with its admin, A's admin and worker, an HQ admin."""
    hq = f.StationFactory(kind="hq", code="hq", name="海陵区楼宇党建共享平台总站")
    a = make_branch(f.StationFactory(code="wanda", name="万达广场分站"), name="万达广场楼宇联合党支部")
    b = make_branch(f.StationFactory(code="jinrong", name="金融大厦分站"), name="金融大厦楼宇联合党支部")
    other_org = f.PartyOrganizationFactory(station=a.station, name="万达广场物业公司党支部")
    other_officer = f.UserFactory(username="other_officer")
    f.grant(other_officer, Role.ORG_OFFICER, a.station, organization=other_org)
    admin_a = f.UserFactory(username="admin_a")
    f.grant(admin_a, Role.STATION_ADMIN, a.station)
    worker_a = f.UserFactory(username="worker_a")
    f.grant(worker_a, Role.WORKER, a.station)
    admin_b = f.UserFactory(username="admin_b")
    f.grant(admin_b, Role.STATION_ADMIN, b.station)
    worker_b = f.UserFactory(username="worker_b")
    f.grant(worker_b, Role.WORKER, b.station)
    hq_admin = f.UserFactory(username="hq_admin")
    f.grant(hq_admin, Role.STATION_ADMIN, hq)
    return SimpleNamespace(
        hq=hq,
        a=a,
        b=b,
        other_org=other_org,
        other_officer=other_officer,
        admin_a=admin_a,
        worker_a=worker_a,
        admin_b=admin_b,
        worker_b=worker_b,
        hq_admin=hq_admin,
    )
