"""Station admins assign roles within their station; HQ admins everywhere; platform admins only by platform admins."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dangjian.accounts.models import Role, RoleAssignment
from dangjian.accounts.permissions import managed_station_ids
from dangjian.accounts.services import role_grant, role_revoke
from dangjian.core.models import AuditEvent
from tests.factories import UserFactory


@pytest.mark.django_db
def test_station_admin_grants_within_own_station(world) -> None:
    person = UserFactory(username="zhouming")
    role_grant(actor=world.own_admin, user=person, role=Role.GUIDE, station=world.a)
    assert RoleAssignment.objects.filter(user=person, role=Role.GUIDE, station=world.a).exists()
    assert AuditEvent.objects.with_scopes_disabled().filter(action="accounts.role.grant").count() == 1


@pytest.mark.django_db
def test_station_admin_cannot_grant_at_another_station(world) -> None:
    person = UserFactory(username="zhouming")
    with pytest.raises(PermissionDenied):
        role_grant(actor=world.own_admin, user=person, role=Role.GUIDE, station=world.b)
    assert not RoleAssignment.objects.filter(user=person).exists()


@pytest.mark.django_db
def test_hq_admin_grants_anywhere_but_not_platform_admin(world) -> None:
    person = UserFactory(username="zhouming")
    role_grant(actor=world.hq_admin, user=person, role=Role.INSTRUCTOR, station=world.b)
    with pytest.raises(ValidationError):
        role_grant(actor=world.hq_admin, user=person, role=Role.PLATFORM_ADMIN, station=world.hq)


@pytest.mark.django_db
def test_branch_admin_cannot_create_hq_roles(world) -> None:
    person = UserFactory(username="zhouming")
    with pytest.raises(PermissionDenied):
        role_grant(actor=world.own_admin, user=person, role=Role.STATION_ADMIN, station=world.hq)


@pytest.mark.django_db
def test_scope_must_match_role_and_station(world) -> None:
    person = UserFactory(username="zhouming")
    with pytest.raises(ValidationError, match="楼宇"):
        role_grant(actor=world.own_admin, user=person, role=Role.WORKER, station=world.a)
    with pytest.raises(ValidationError, match="不属于该站点"):
        role_grant(
            actor=world.hq_admin, user=person, role=Role.WORKER, station=world.a, building=world.building_b
        )
    with pytest.raises(ValidationError, match="留空"):
        role_grant(
            actor=world.own_admin, user=person, role=Role.GUIDE, station=world.a, building=world.building_a
        )
    assert not RoleAssignment.objects.filter(user=person).exists()


@pytest.mark.django_db
def test_duplicate_grant_is_refused(world) -> None:
    person = UserFactory(username="zhouming")
    role_grant(actor=world.own_admin, user=person, role=Role.GUIDE, station=world.a)
    with pytest.raises(ValidationError, match="已有该角色"):
        role_grant(actor=world.own_admin, user=person, role=Role.GUIDE, station=world.a)
    assert RoleAssignment.objects.filter(user=person).count() == 1


@pytest.mark.django_db
def test_admin_cannot_revoke_own_admin_role(world) -> None:
    own = world.own_admin.roles.get()
    with pytest.raises(ValidationError):
        role_revoke(actor=world.own_admin, assignment=own)


@pytest.mark.django_db
def test_hq_role_governs_every_branch(world) -> None:
    assert managed_station_ids(world.hq_admin) is None
    assert managed_station_ids(world.own_admin) == {world.a.pk}
    assert managed_station_ids(world.member) == set()


@pytest.mark.django_db
def test_role_page_grants_with_chinese_errors(world, client) -> None:
    UserFactory(username="zhouming", mobile="13952600001")
    client.force_login(world.own_admin)
    url = reverse("people:role_create")
    bad = client.post(url, {"login": "nobody", "role": "guide", "station": world.a.pk})
    assert "找不到该用户" in bad.content.decode()
    other_station = client.post(url, {"login": "zhouming", "role": "guide", "station": world.b.pk})
    assert other_station.status_code == 200
    assert not RoleAssignment.objects.filter(user__username="zhouming").exists()
    good = client.post(url, {"login": "13952600001", "role": "guide", "station": world.a.pk})
    assert good.status_code == 302
    assert RoleAssignment.objects.filter(user__username="zhouming", role="guide", station=world.a).exists()


@pytest.mark.django_db
def test_role_list_shows_only_own_station(world, client) -> None:
    client.force_login(world.own_admin)
    body = client.get(reverse("people:role_list")).content.decode()
    assert world.worker_a.real_name in body
    assert world.other_admin.username not in body
