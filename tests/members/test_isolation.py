"""Personal data is isolated (DESIGN.md; issue acceptance): another organisation's officers and another
station's admins and workers get 404 on every page and API of a member of branch A's organisation, and
its lists never show that member."""

from __future__ import annotations

from typing import Any

import pytest
from django_scopes import scope

from dangjian.members.models import CorrectableField, ProfileCorrection

pytestmark = pytest.mark.django_db

OUTSIDERS = ("officer_b", "secretary_b", "other_admin", "worker_b", "member", "resident")


@pytest.fixture
def pending(people: Any) -> ProfileCorrection:
    with scope(station=[people.a.pk]):
        return ProfileCorrection.objects.create(
            profile=people.profile_a,
            station=people.a,
            field=CorrectableField.EDUCATION,
            old_value="大学本科",
            new_value="研究生",
            reason="已取得硕士学位",
            requested_by=people.member_a,
        )


def object_requests(w: Any, correction: ProfileCorrection) -> list[tuple[str, str]]:
    pk = w.profile_a.pk
    return [
        ("get", f"/manage/members/{pk}/"),
        ("get", f"/manage/members/{pk}/edit/"),
        ("post", f"/manage/members/{pk}/edit/"),
        ("post", f"/manage/members/{pk}/reveal/"),
        ("post", f"/manage/members/corrections/{correction.pk}/accept/"),
        ("post", f"/manage/members/corrections/{correction.pk}/reject/"),
        ("get", f"/api/v1/organizations/{w.org_a.pk}/members"),
    ]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_get_404_on_every_object_page_and_api(people, pending, client, role: str) -> None:
    client.force_login(getattr(people, role))

    statuses = {
        f"{m.upper()} {url}": getattr(client, m)(url).status_code
        for m, url in object_requests(people, pending)
    }

    assert set(statuses.values()) == {404}, statuses
    pending.refresh_from_db()
    assert pending.status == "pending"


@pytest.mark.parametrize("role", ("officer_b", "secretary_b", "other_admin", "worker_b"))
def test_outsiders_lists_and_exports_do_not_contain_the_member(people, pending, client, role: str) -> None:
    client.force_login(getattr(people, role))
    name = people.member_a.real_name + people.member_a.mobile

    for url in ("/manage/members/", "/manage/members/corrections/", "/manage/members/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert people.member_a.mobile.encode() not in response.content, url
    assert name not in client.get(f"/manage/members/?q={people.member_a.mobile}").content.decode()


@pytest.mark.parametrize(
    "role", ("officer_a", "secretary_a", "worker_a", "own_admin", "hq_admin", "platform_admin")
)
def test_keepers_of_branch_a_reach_the_member(people, client, role: str) -> None:
    client.force_login(getattr(people, role))

    assert client.get(f"/manage/members/{people.profile_a.pk}/").status_code == 200
    assert client.get(f"/api/v1/organizations/{people.org_a.pk}/members").json()["count"] == 1


def test_api_my_profile_is_masked_and_own(people, client) -> None:
    client.force_login(people.member_a)

    body = client.get("/api/v1/me/member").json()

    assert body["id"] == people.profile_a.pk
    assert body["id_number_masked"] == people.profile_a.id_number_masked
    assert people.profile_a.plain_id_number not in str(body)


def test_api_refuses_anonymous(people, client) -> None:
    assert client.get("/api/v1/me/member").status_code == 401
    assert client.get(f"/api/v1/organizations/{people.org_a.pk}/members").status_code == 401
