"""Account recovery for people who cannot sign in (imported members have no password): a temporary
password from their organisation's secretary or officer, and 忘记密码 by an e-mailed link."""

from __future__ import annotations

import re
from html import escape
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from dangjian.accounts import services
from dangjian.accounts.models import ApiToken, LoginFailure, PersonKind, Role, User
from dangjian.core.models import AuditEvent, Notification
from tests.factories import UserFactory, grant
from tests.members.builders import make_profile

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
NEW_PASSWORD = "Fengcheng#2027"


def imported_member(organization: Any, mobile: str = "13952601234", **fields: Any) -> User:
    """A member as the Excel import leaves them: the mobile is the login, no usable password."""
    user = UserFactory(
        username=mobile,
        mobile=mobile,
        person_kind=PersonKind.MEMBER,
        organization=organization,
        home_station=organization.station,
        **fields,
    )
    user.set_unusable_password()
    user.save()
    make_profile(organization, user=user)
    return user


def audited(action: str, **filters: Any) -> list[AuditEvent]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action__startswith=action, **filters))


def temporary_password_url(person: User) -> str:
    return reverse("people:member_temporary_password", kwargs={"pk": person.pk})


# ---------------------------------------------------------------- the officer's temporary password


def test_an_officer_gives_a_member_of_their_organisation_a_temporary_password(
    world, django_capture_on_commit_callbacks
) -> None:
    person = imported_member(world.org_a)
    ApiToken.objects.create(user=person, name="旧手机", key_hash="x" * 64, prefix="djp_old")
    LoginFailure.objects.create(ip="10.0.0.9", username=services.account_key(person.pk))
    with django_capture_on_commit_callbacks(execute=True):
        password = services.password_reset_for_member(person=person, actor=world.officer_a)
    person.refresh_from_db()
    assert person.check_password(password) and person.must_change_password
    assert person.password_expires_at is not None
    assert not LoginFailure.objects.exists()
    assert ApiToken.objects.get(user=person).revoked_at is not None
    [event] = audited("accounts.person.reset_password_officer")
    assert event.actor_id == world.officer_a.pk and event.target_id == str(person.pk)
    assert Notification.objects.filter(recipient=person, title="您的登录密码已被重置").exists()


@pytest.mark.parametrize("who", ["member_of_b", "role_holder_of_a", "fellow_officer", "inactive", "self"])
def test_an_officer_may_not_reset_anyone_else(world, who) -> None:
    people = {
        "member_of_b": lambda: imported_member(world.org_b, "13952605555"),
        "role_holder_of_a": lambda: _with_role(imported_member(world.org_a, "13952606666"), world),
        "fellow_officer": lambda: _officer_of_a(world),
        "inactive": lambda: imported_member(world.org_a, "13952607777", is_active=False),
        "self": lambda: _self_in_org_a(world),
    }
    person = people[who]()
    with pytest.raises(PermissionDenied):
        services.password_reset_for_member(person=person, actor=world.officer_a)
    client = Client()
    client.force_login(world.officer_a)
    assert client.post(temporary_password_url(person)).status_code == 404
    assert not audited("accounts.person.reset_password")


def _with_role(person: User, world: Any) -> User:
    grant(person, Role.GUIDE, world.a)
    return person


def _officer_of_a(world: Any) -> User:
    person = imported_member(world.org_a, "13952608888")
    grant(person, Role.ORG_SECRETARY, world.a, organization=world.org_a)
    return person


def _self_in_org_a(world: Any) -> User:
    world.officer_a.organization = world.org_a
    world.officer_a.save()
    return world.officer_a


def test_a_station_admin_resets_from_the_member_record_as_an_admin(world) -> None:
    person = imported_member(world.org_a)
    services.password_reset_for_member(person=person, actor=world.own_admin)
    assert [e.action for e in audited("accounts.person.reset_password")] == ["accounts.person.reset_password"]
    with pytest.raises(PermissionDenied):
        services.password_reset_for_member(person=person, actor=world.other_admin)


def test_the_member_record_offers_the_reset_to_the_officer_and_the_page_shows_the_password_once(
    world, client
) -> None:
    person = imported_member(world.org_a)
    profile = person.member_profile
    detail = reverse("members:detail", kwargs={"pk": profile.pk})
    client.force_login(world.officer_a)
    page = client.get(detail).content.decode()
    assert temporary_password_url(person) in page and "重置密码" in page
    confirm = client.get(temporary_password_url(person), {"next": detail})
    assert confirm.status_code == 200 and "生成临时密码" in confirm.content.decode()
    shown = client.post(temporary_password_url(person), {"next": detail})
    assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
    body = shown.content.decode()
    password = shown.context["password"]
    # shown as HTML: a temporary password may hold "&"
    assert escape(password) in body and f'href="{detail}"' in body and person.mobile in body
    # a foreign or absolute `next` is not followed
    evil = client.post(temporary_password_url(person), {"next": "https://evil.example/"})
    assert "evil.example" not in evil.content.decode()
    client.force_login(world.worker_a)  # the worker sees the record but may not reset
    assert temporary_password_url(person) not in client.get(detail).content.decode()


def test_an_imported_member_signs_in_with_the_temporary_password_and_chooses_their_own(world) -> None:
    person = imported_member(world.org_a)
    temporary = services.password_reset_for_member(person=person, actor=world.officer_a)
    client = Client()
    signed_in = client.post(LOGIN, {"username": person.mobile, "password": temporary})
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("portal:workpage")
    assert client.get(reverse("portal:workpage"))["Location"] == reverse("accounts:password_change")
    changed = client.post(
        reverse("accounts:password_change"),
        {"old_password": temporary, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302 and changed["Location"] == reverse("portal:workpage")
    assert client.get(reverse("portal:workpage")).status_code == 200
    person.refresh_from_db()
    assert not person.must_change_password and person.check_password(NEW_PASSWORD)


def test_people_land_on_their_work_page_or_the_home(world) -> None:
    for user, landing in (
        (world.worker_a, reverse("portal:workpage")),
        (world.officer_a, reverse("portal:workpage")),
        (world.member, reverse("portal:workpage")),  # a party member (person_kind)
        (world.resident, reverse("portal:home")),
    ):
        response = Client().post(LOGIN, {"username": user.username, "password": "Dangjian@2026"})
        assert response["Location"] == landing, user.username
    kept = Client().post(
        f"{LOGIN}?next=/news/", {"username": "worker_a", "password": "Dangjian@2026", "next": "/news/"}
    )
    assert kept["Location"] == "/news/"


# ---------------------------------------------------------------- 忘记密码 by e-mail


def test_the_login_page_links_both_ways_of_recovery(client) -> None:
    body = client.get(LOGIN).content.decode()
    assert "忘记密码？" in body and reverse("accounts:password_reset") in body
    assert reverse("accounts:sms_login") in body


def test_an_emailed_link_sets_the_first_password_of_an_imported_member(world, client) -> None:
    person = imported_member(world.org_a, email="zhou.min@example.cn")
    person.must_change_password = True
    person.save()
    ApiToken.objects.create(user=person, name="旧手机", key_hash="y" * 64, prefix="djp_old")
    response = client.post(reverse("accounts:password_reset"), {"email": "Zhou.Min@example.cn"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["zhou.min@example.cn"]
    message = mail.outbox[0]
    assert "设置新密码" in message.subject and person.real_name in message.body
    link = re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+/)", message.body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("accounts:password_reset_complete")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD) and not person.must_change_password
    assert ApiToken.objects.get(user=person).revoked_at is not None
    assert audited("accounts.password.reset_email", target_id=str(person.pk))
    # the link works once
    again = client.get(link.group(1), follow=True)
    assert not again.context["validlink"] and "链接已失效" in again.content.decode()
    assert Client().post(LOGIN, {"username": person.mobile, "password": NEW_PASSWORD}).status_code == 302


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.cn"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []
    sent = client.get(reverse("accounts:password_reset_done")).content.decode()
    assert "如果该邮箱已在平台登记" in sent


def test_reset_mails_are_throttled_per_address_and_per_ip(world, client) -> None:
    UserFactory(username="wangfang", email="wang.fang@example.cn")
    url = reverse("accounts:password_reset")
    for _ in range(services.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR):
        assert client.post(url, {"email": "wang.fang@example.cn"}).status_code == 302
    refused = client.post(url, {"email": "WANG.FANG@example.cn"})
    assert refused.status_code == 200 and "过于频繁" in refused.content.decode()
    assert len(mail.outbox) == services.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR
    other = Client(REMOTE_ADDR="10.20.30.40")
    for n in range(services.PASSWORD_RESETS_PER_IP_PER_HOUR):
        assert other.post(url, {"email": f"someone{n}@example.cn"}).status_code == 302
    assert "过于频繁" in other.post(url, {"email": "last@example.cn"}).content.decode()


def test_a_broken_link_says_so(client) -> None:
    url = reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "abc-def"})
    response = client.get(url)
    assert response.status_code == 200 and "链接已失效" in response.content.decode()


def test_registration_lists_only_what_exists(client) -> None:
    body = client.get(reverse("people:register")).content.decode()
    for feature in ("信息浏览", "党务公开", "检索", "个人中心"):
        assert feature in body
    for promise in ("参加活动", "预约阵地"):
        assert promise not in body
