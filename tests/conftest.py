from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings

from dangjian.accounts.models import PersonKind, Role, User
from dangjian.organizations.models import Alliance, JointBuildingAgreement, PartyOrganization
from dangjian.stations.models import Building, GridArea, Place, ResidentUnit, Station
from tests import factories as f

pytest_plugins = ["tests.browser_support"]


@pytest.fixture(autouse=True, scope="session")
def _private_files_in_a_folder_of_the_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Lesson media, plans, attachments and courseware the suite stores go to a folder of this run, not
    into the project's private_media/ (core/storage.py reads the setting each time)."""
    with override_settings(PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("private_media")):
        yield


@pytest.fixture(autouse=True, scope="session")
def _plain_http_and_unhashed_static() -> Iterator[None]:
    """Tests talk plain http to loopback and serve static files without a collectstatic manifest; an
    audit action without a registered label fails the test that performs it."""
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        SECURE_HSTS_SECONDS=0,
        SECURE_PROXY_SSL_HEADER=None,
        STORAGES=storages,
        AUDIT_REQUIRE_LABELS=True,  # every audited action the suite performs must have a Chinese label
        # factories build data without the services that renew cached pages: cache only where a test turns
        # it on (tests/portal/test_cache.py)
        PAGE_CACHE_SECONDS=0,
        # every login and password change of the suite would otherwise spend half a second in PBKDF2's
        # million rounds; what is tested is who may log in, not the hash's cost (production keeps PBKDF2)
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ):
        yield


@dataclass
class World:
    """HQ plus branches A and B with one of everything; people for each access-matrix role."""

    hq: Station
    a: Station
    b: Station
    building_a: Building
    building_b: Building
    unit_a: ResidentUnit
    unit_b: ResidentUnit
    grid_a: GridArea
    place_a: Place
    org_a: PartyOrganization
    org_b: PartyOrganization
    alliance_a: Alliance
    agreement_a: JointBuildingAgreement
    anonymous: None
    resident: User
    member: User
    other_admin: User
    own_admin: User
    hq_admin: User
    worker_a: User
    officer_a: User

    def actor(self, role: str) -> User | None:
        return getattr(self, role)


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    # Data migrations' rows are gone after a transactional test flushed the database: put them back.
    from dangjian.news.defaults import ensure_default_columns
    from dangjian.news.models import Column

    ensure_default_columns(Column)
    hq = f.StationFactory(kind="hq", code="hq", name="海陵区楼宇党建共享平台总站")
    a = f.StationFactory(code="wanda", name="万达广场分站")
    b = f.StationFactory(code="jinrong", name="金融大厦分站")
    building_a = f.BuildingFactory(station=a, name="万达广场写字楼A座")
    building_b = f.BuildingFactory(station=b, name="泰州金融大厦")
    grid_a = f.GridAreaFactory(building=building_a, name="A座高区网格")
    org_a = f.PartyOrganizationFactory(station=a, name="万达广场楼宇联合党支部")
    org_b = f.PartyOrganizationFactory(station=b, name="金融大厦楼宇联合党支部")
    alliance_a = Alliance.objects.create(station=a, name="万达商圈党建联盟", lead_organization=org_a)
    alliance_a.organizations.set([org_a, org_b])
    agreement_a = JointBuildingAgreement.objects.create(
        station=a, title="万达—金融联学共建协议", content="每季度联合开展主题党日"
    )
    agreement_a.organizations.set([org_a, org_b])
    users = {
        name: f.UserFactory(username=name)
        for name in ("resident", "member", "other_admin", "own_admin", "hq_admin", "worker_a", "officer_a")
    }
    users["resident"].person_kind = PersonKind.RESIDENT
    users["resident"].save()
    users["member"].person_kind = PersonKind.MEMBER
    users["member"].organization = org_a
    users["member"].save()
    f.grant(users["other_admin"], Role.STATION_ADMIN, b)
    f.grant(users["own_admin"], Role.STATION_ADMIN, a)
    f.grant(users["hq_admin"], Role.STATION_ADMIN, hq)
    f.grant(users["worker_a"], Role.WORKER, a, building=building_a)
    f.grant(users["officer_a"], Role.ORG_OFFICER, a, organization=org_a)
    return World(
        hq=hq,
        a=a,
        b=b,
        building_a=building_a,
        building_b=building_b,
        unit_a=f.ResidentUnitFactory(building=building_a, name="泰州华信软件科技有限公司"),
        unit_b=f.ResidentUnitFactory(building=building_b, name="江苏凤城律师事务所"),
        grid_a=grid_a,
        place_a=f.PlaceFactory(station=a, name="鼓楼社区"),
        org_a=org_a,
        org_b=org_b,
        alliance_a=alliance_a,
        agreement_a=agreement_a,
        anonymous=None,
        **users,
    )


def add_matrix_objects(world: World) -> World:
    """The world plus what every access-matrix row points at (each capability's `prepare`)."""
    from dangjian.accounts.services import token_create
    from dangjian.organizations.models import CommitteeMember
    from tests.access_matrix import prepare_world

    world.worker_token, _ = token_create(user=world.worker_a, name="考勤一体机")
    world.committee_member_a = CommitteeMember.objects.create(
        organization=world.org_a, user=world.member, position="member"
    )
    prepare_world(world)
    return world


@contextmanager
def data_of_the_module(django_db_blocker: Any) -> Iterator[None]:
    """Rows made once for a whole test module, inside a transaction that is rolled back after its last
    test. Each test of the module runs in a savepoint within it (pytest-django's `db`), so a test sees
    the module's rows and none of another test's; other modules never see them."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def matrix_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """The access-matrix world, built once per test module (it takes about a second and the matrix
    modules hold hundreds of tests). Tests that serve pages to a browser get their own
    (tests/browser/conftest.py), as a live server's thread cannot see an open transaction."""
    with data_of_the_module(django_db_blocker):
        yield add_matrix_objects(build_world())
