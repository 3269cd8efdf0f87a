"""Self-registration (§4.7) and the people of a station kept by its admins."""

from __future__ import annotations

import secrets

import pytest
from django.urls import reverse

from dangjian.accounts.models import User
from dangjian.core.models import AuditEvent


@pytest.fixture(autouse=True)
def own_address(client) -> None:
    """A fresh client address per test: the registration throttle counts per IP (in Redis on CI)."""
    client.defaults["REMOTE_ADDR"] = (
        f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"
    )


def register_data(world, **overrides):
    data = {
        "real_name": "顾晓兰",
        "mobile": "13952688888",
        "person_kind": "resident",
        "home_station": world.a.pk,
        "place": world.place_a.pk,
        "password1": "Gulou#2026",
        "password2": "Gulou#2026",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_resident_registers_and_is_signed_in(world, client) -> None:
    response = client.post(reverse("people:register"), register_data(world))
    assert response.status_code == 302
    person = User.objects.get(mobile="13952688888")
    assert (
        person.username == "13952688888"
        and person.place == world.place_a
        and person.check_password("Gulou#2026")
    )
    assert client.session["_auth_user_id"] == str(person.pk)
    assert AuditEvent.objects.with_scopes_disabled().filter(action="accounts.register").exists()


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"mobile": "12345"}, "11 位手机号码"),
        ({"password2": "Different#1"}, "不一致"),
        ({"password1": "abcdefgh", "password2": "abcdefgh"}, "3 类"),
        ({"real_name": ""}, ""),
        ({"person_kind": "worker"}, ""),
    ],
)
@pytest.mark.django_db
def test_bad_registration_changes_nothing(world, client, overrides, words) -> None:
    before = User.objects.count()
    response = client.post(reverse("people:register"), register_data(world, **overrides))
    assert response.status_code == 200 and words in response.content.decode()
    assert User.objects.count() == before


@pytest.mark.django_db
def test_registered_mobile_and_foreign_place_are_refused(world, client) -> None:
    taken = client.post(reverse("people:register"), register_data(world, mobile=world.member.mobile))
    assert "已注册" in taken.content.decode()
    from tests.factories import PlaceFactory

    other_place = PlaceFactory(station=world.b)
    wrong = client.post(reverse("people:register"), register_data(world, place=other_place.pk))
    assert "不属于该站点" in wrong.content.decode()


@pytest.mark.django_db
def test_registration_is_throttled_per_ip(world, client) -> None:
    address = f"172.16.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"
    for n in range(10):
        client.post(
            reverse("people:register"), register_data(world, mobile=f"1395260{n:04d}"), REMOTE_ADDR=address
        )
        client.logout()
    response = client.post(
        reverse("people:register"), register_data(world, mobile="13952609999"), REMOTE_ADDR=address
    )
    assert "过于频繁" in response.content.decode()
    assert not User.objects.filter(mobile="13952609999").exists()


@pytest.mark.django_db
def test_admin_keeps_people_of_own_station_only(world, client) -> None:
    world.member.home_station = world.a
    world.member.save()
    world.resident.home_station = world.b
    world.resident.save()
    client.force_login(world.own_admin)
    body = client.get(reverse("people:person_list")).content.decode()
    assert world.member.real_name in body and world.resident.mobile not in body
    assert client.get(reverse("people:person_edit", kwargs={"pk": world.resident.pk})).status_code == 404
    data = {
        "real_name": "吴晓东",
        "mobile": "13952677777",
        "person_kind": "member",
        "home_station": world.a.pk,
        "is_active": "on",
    }
    assert client.post(reverse("people:person_edit", kwargs={"pk": world.member.pk}), data).status_code == 302
    world.member.refresh_from_db()
    assert world.member.real_name == "吴晓东"


@pytest.mark.django_db
def test_admin_resets_password_once_and_unlocks(world, client) -> None:
    from dangjian.accounts.models import LoginFailure

    world.member.home_station = world.a
    world.member.save()
    LoginFailure.objects.create(ip="10.0.0.1", username=world.member.username)
    client.force_login(world.own_admin)
    response = client.post(reverse("people:person_reset_password", kwargs={"pk": world.member.pk}))
    password = response.context["password"]
    world.member.refresh_from_db()
    assert world.member.check_password(password)
    assert not LoginFailure.objects.exists()
    client.force_login(world.other_admin)
    assert (
        client.post(reverse("people:person_reset_password", kwargs={"pk": world.member.pk})).status_code
        == 404
    )
