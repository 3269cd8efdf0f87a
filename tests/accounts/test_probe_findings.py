"""Regression tests of the outside probe's account findings: takeover through a branch admin's reset,
lockout and throttle bypass through X-Forwarded-For, tokens outliving a password, a separate lockout
counter per login form, temporary passwords that never had to be changed, and usernames clashing
with mobiles."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts import services
from dangjian.accounts.models import ApiToken, Role, User
from dangjian.core.throttle import throttle_hit
from tests.concurrency import run_at_once
from tests.factories import PASSWORD, UserFactory, grant
from tests.people.test_people import register_data

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
NEW_PASSWORD = "Fengcheng#2027"


def wrong_login(client: Client, username: str, **extra: str) -> None:
    client.post(LOGIN, {"username": username, "password": "wrong-Password1"}, **extra)


def signs_in(username: str, password: str = PASSWORD, **extra: str) -> bool:
    client = Client()
    client.post(LOGIN, {"username": username, "password": password}, **extra)
    return "_auth_user_id" in client.session


def bearer(raw: str) -> int:
    return Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code


# Finding 1: a branch admin takes over accounts holding roles elsewhere.


@pytest.fixture
def guide_with_hq_admin_role(world) -> User:
    guide = UserFactory(username="guide_a", home_station=world.a)
    grant(guide, Role.GUIDE, world.a)
    grant(guide, Role.STATION_ADMIN, world.hq)
    return guide


def test_branch_admin_cannot_reset_a_person_holding_an_hq_role(world, guide_with_hq_admin_role) -> None:
    with pytest.raises(PermissionDenied):
        services.password_reset_by_admin(person=guide_with_hq_admin_role, actor=world.own_admin)
    assert signs_in("guide_a")


def test_branch_admin_cannot_reset_or_edit_through_the_pages(world, client, guide_with_hq_admin_role) -> None:
    client.force_login(world.own_admin)
    pk = guide_with_hq_admin_role.pk
    reset = client.post(reverse("people:person_reset_password", kwargs={"pk": pk}))
    edit = client.post(
        reverse("people:person_edit", kwargs={"pk": pk}),
        {"real_name": "改名", "person_kind": "staff", "home_station": world.a.pk, "is_active": "on"},
    )
    assert (reset.status_code, edit.status_code) == (404, 404)
    guide_with_hq_admin_role.refresh_from_db()
    assert guide_with_hq_admin_role.real_name != "改名" and signs_in("guide_a")


def test_branch_admin_sees_the_person_listed_but_not_editable(
    world, client, guide_with_hq_admin_role
) -> None:
    client.force_login(world.own_admin)
    body = client.get(reverse("people:person_list")).content.decode()
    assert guide_with_hq_admin_role.real_name in body and "由上级维护" in body
    assert reverse("people:person_edit", kwargs={"pk": guide_with_hq_admin_role.pk}) not in body


def test_branch_admin_cannot_reset_someone_holding_a_role_at_another_branch(world) -> None:
    person = UserFactory(home_station=world.a)
    grant(person, Role.INSTRUCTOR, world.b)
    with pytest.raises(PermissionDenied):
        services.password_reset_by_admin(person=person, actor=world.own_admin)


def test_only_platform_admins_reset_platform_admins(world) -> None:
    platform_admin = UserFactory(home_station=world.a)
    grant(platform_admin, Role.PLATFORM_ADMIN, world.hq)
    superuser = UserFactory(home_station=world.a, is_superuser=True)
    for person in (platform_admin, superuser):
        for actor in (world.own_admin, world.hq_admin):
            with pytest.raises(PermissionDenied):
                services.password_reset_by_admin(person=person, actor=actor)
    other_platform_admin = UserFactory()
    grant(other_platform_admin, Role.PLATFORM_ADMIN, world.hq)
    assert services.password_reset_by_admin(person=platform_admin, actor=other_platform_admin)


def test_hq_admin_still_resets_an_hq_role_holder(world, guide_with_hq_admin_role) -> None:
    temporary = services.password_reset_by_admin(person=guide_with_hq_admin_role, actor=world.hq_admin)
    assert signs_in("guide_a", temporary)


def test_person_save_authorises_in_the_service(world) -> None:
    person = UserFactory(home_station=world.a)
    grant(person, Role.WORKER, world.b, building=world.building_b)
    person.real_name = "他站人员"
    with pytest.raises(PermissionDenied):
        services.person_save(person=person, actor=world.own_admin, before={"is_active": True})
    newcomer = User(real_name="新人员", home_station=world.b, mobile="13952600001")
    with pytest.raises(PermissionDenied):
        services.person_save(person=newcomer, actor=world.own_admin, before=None)
    assert not User.objects.filter(mobile="13952600001").exists()


def test_admin_cannot_move_a_person_to_a_station_they_do_not_keep(world) -> None:
    person = UserFactory(home_station=world.a)
    person.home_station = world.b
    with pytest.raises(PermissionDenied):
        services.person_save(person=person, actor=world.own_admin, before={"is_active": True})


# Finding 3: lockout and registration throttle bypassed with X-Forwarded-For.


def test_rotating_forwarded_for_does_not_dodge_the_lockout(world) -> None:
    UserFactory(username="zhouyan")
    client = Client(REMOTE_ADDR="10.9.9.9")
    for n in range(12):
        wrong_login(client, "zhouyan", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert not signs_in("zhouyan", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="198.51.100.7")


def test_rotating_forwarded_for_does_not_dodge_the_registration_throttle(world) -> None:
    client = Client(REMOTE_ADDR="10.8.8.8")
    for n in range(12):
        client.post(
            reverse("people:register"),
            register_data(world, mobile=f"1395261{n:04d}"),
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
        client.logout()
    assert User.objects.filter(mobile__startswith="1395261").count() == services.REGISTRATIONS_PER_IP_PER_HOUR


@override_settings(TRUSTED_PROXY_HOPS=1)
def test_behind_one_proxy_the_client_is_the_address_the_proxy_appended(world) -> None:
    UserFactory(username="zhouyan")
    client = Client(REMOTE_ADDR="127.0.0.1")  # the proxy
    for n in range(6):  # the client writes its own XFF entry; the proxy appends the real address
        wrong_login(client, "zhouyan", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 192.0.2.50")
    assert not signs_in("zhouyan", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.50")
    assert signs_in("zhouyan", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.51")


def test_make_run_does_not_let_uvicorn_rewrite_the_client_address() -> None:
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    served = [line for line in makefile.splitlines() if "uvicorn config.asgi" in line]
    assert served and all("--no-proxy-headers" in line for line in served)


@pytest.mark.django_db(transaction=True)
def test_throttle_counts_are_shared_and_never_lost_under_concurrency() -> None:
    outcomes = run_at_once(lambda _: throttle_hit("register:192.0.2.9", limit=10, window_seconds=3600), 20)
    assert sorted(outcomes, key=str) == [False] * 10 + [True] * 10


# Finding 5: API tokens survive a password change, an admin reset and deactivation.


def test_tokens_end_when_the_person_changes_the_password(world, client) -> None:
    _, raw = services.token_create(user=world.member, name="手机客户端")
    assert bearer(raw) == 200
    client.force_login(world.member)
    client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert bearer(raw) == 401


def test_tokens_end_when_an_admin_resets_the_password(world) -> None:
    world.member.home_station = world.a
    world.member.save()
    _, raw = services.token_create(user=world.member, name="手机客户端")
    services.password_reset_by_admin(person=world.member, actor=world.own_admin)
    assert bearer(raw) == 401


def test_tokens_end_when_the_person_is_deactivated_and_stay_ended(world, client) -> None:
    world.member.home_station = world.a
    world.member.save()
    _, raw = services.token_create(user=world.member, name="手机客户端")
    client.force_login(world.own_admin)
    url = reverse("people:person_edit", kwargs={"pk": world.member.pk})
    body = {"real_name": world.member.real_name, "person_kind": "member", "home_station": world.a.pk}
    assert client.post(url, body).status_code == 302
    assert client.post(url, {**body, "is_active": "on"}).status_code == 302  # active again
    assert bearer(raw) == 401
    assert ApiToken.objects.get(user=world.member).revoked_at is not None


# Finding 9: a phone-number login had its own lockout counter.


def test_username_and_mobile_share_one_lockout_counter(world) -> None:
    UserFactory(username="wangfang", mobile="13905239876")
    client = Client(REMOTE_ADDR="10.7.7.7")
    for login in ("wangfang", "13905239876", "WangFang", "13905239876", "wangfang"):
        wrong_login(client, login)
    assert not signs_in("13905239876", REMOTE_ADDR="10.7.7.7")
    assert not signs_in("wangfang", REMOTE_ADDR="10.7.7.7")


# Finding 12: a temporary password did not force a change and kept working.


@pytest.fixture
def reset_member(world) -> tuple[User, str]:
    world.member.home_station = world.a
    world.member.save()
    return world.member, services.password_reset_by_admin(person=world.member, actor=world.own_admin)


def test_a_temporary_password_leads_straight_to_choosing_a_new_one(reset_member) -> None:
    person, temporary = reset_member
    client = Client()
    client.post(LOGIN, {"username": person.username, "password": temporary})
    home = client.get(reverse("portal:home"))
    assert home.status_code == 302 and home["Location"] == reverse("accounts:password_change")
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and api.json()["code"] == "password_change_required"
    page = client.get(reverse("accounts:password_change"))
    assert "临时密码" in page.content.decode()
    changed = client.post(
        reverse("accounts:password_change"),
        {"old_password": temporary, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200
    person.refresh_from_db()
    assert not person.must_change_password and person.password_expires_at is None


def test_a_temporary_password_stops_working_when_it_expires(reset_member) -> None:
    person, temporary = reset_member
    User.objects.filter(pk=person.pk).update(password_expires_at=timezone.now() - timedelta(minutes=1))
    client = Client()
    response = client.post(LOGIN, {"username": person.username, "password": temporary})
    assert "临时密码已过期" in response.content.decode() and "_auth_user_id" not in client.session


# Finding 14: a mobile equal to another account's username broke login for both.


def test_a_mobile_may_not_be_another_accounts_username(world, client) -> None:
    UserFactory(username="13905230000")
    client.force_login(world.member)
    response = client.post(
        reverse("accounts:profile"), {"real_name": world.member.real_name, "mobile": "13905230000"}
    )
    assert "已被其他账号用作用户名" in response.content.decode()
    world.member.refresh_from_db()
    assert world.member.mobile != "13905230000"
    with pytest.raises(ValidationError):
        User(username="13905231111", real_name="某", mobile=world.member.mobile).validate_unique()


def test_an_old_clash_still_lets_the_username_holder_sign_in(world) -> None:
    UserFactory(username="13905230000")
    User.objects.filter(pk=world.member.pk).update(mobile="13905230000")  # a row from before the rule
    assert signs_in("13905230000")


# Finding 10 (registration part): concurrent sign-ups with one mobile.


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_with_one_mobile_make_one_account_and_no_error(world) -> None:
    def register(index: int) -> int:
        response = Client(REMOTE_ADDR=f"10.6.6.{index + 1}").post(
            reverse("people:register"),
            register_data(world, mobile="13952680000"),
        )
        return response.status_code

    statuses = run_at_once(register, 20)
    assert sorted(statuses, key=str).count(302) == 1 and set(statuses) <= {200, 302}
    assert User.objects.filter(mobile="13952680000").count() == 1
