"""Resident units: public reading with hidden contacts, and writes isolated by station (404, not 403)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from dangjian.accounts.models import User
from dangjian.core.models import AuditEvent
from dangjian.stations.models import ResidentUnit
from tests.api.builders import API, bearer, uscc_for
from tests.api.conftest import World

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


def items_by_id(response: Any) -> dict[int, dict[str, Any]]:
    assert response.status_code == 200, response.content
    return {item["id"]: item for item in response.json()["items"]}


def new_unit_body(world: World, **overrides: Any) -> dict[str, Any]:
    body = {
        "name": "泰州新锐咨询有限公司",
        "uscc": uscc_for(900_001),
        "building": world.building_a.pk,
        "floor": world.building_a.floors.get(number=3).pk,
        "room": "305",
        "industry": "consulting",
        "headcount": 12,
        "party_member_count": 3,
        "has_party_org": False,
        "contact_name": "王敏",
        "contact_phone": "13900001111",
        "moved_in_on": "2024-03-01",
    }
    return {**body, **overrides}


def audit_actions() -> list[str]:
    with scopes_disabled():
        return list(AuditEvent.objects.values_list("action", flat=True))


# ---------------------------------------------------------------- reading


def test_anonymous_reads_units_without_contacts(client: Client, world: World) -> None:
    units = items_by_id(client.get(f"{API}/units"))

    assert set(units) == {world.unit_a.pk, world.unit_b.pk}
    unit_a = units[world.unit_a.pk]
    assert unit_a["building"] == {"id": world.building_a.pk, "name": world.building_a.name}
    assert unit_a["floor"]["label"] == "1F"
    assert unit_a["industry_label"] == "信息技术"
    assert unit_a["contact_name"] is None
    assert unit_a["contact_phone"] is None


def test_station_admin_sees_contacts_of_own_units_only(login: Login, world: World) -> None:
    units = items_by_id(login(world.admin_a).get(f"{API}/units"))

    assert units[world.unit_a.pk]["contact_phone"] == "13812345678"
    assert units[world.unit_b.pk]["contact_phone"] is None


def test_hq_admin_sees_every_contact(login: Login, world: World) -> None:
    units = items_by_id(login(world.hq_admin).get(f"{API}/units"))

    assert all(unit["contact_name"] == "联系人" for unit in units.values())


def test_detail_hides_contact_from_plain_user(login: Login, world: World) -> None:
    response = login(world.plain_user).get(f"{API}/units/{world.unit_a.pk}")

    assert response.status_code == 200
    assert response.json()["uscc"] == world.unit_a.uscc
    assert response.json()["contact_name"] is None


def test_inactive_unit_is_visible_only_to_its_editors(client: Client, login: Login, world: World) -> None:
    ResidentUnit.objects.filter(pk=world.unit_a.pk).update(is_active=False)

    assert client.get(f"{API}/units/{world.unit_a.pk}").status_code == 404
    assert login(world.admin_a).get(f"{API}/units/{world.unit_a.pk}").status_code == 200


@pytest.mark.parametrize(
    ("query_for", "expected"),
    [
        (lambda w: {"station": w.branch_a.pk}, ["unit_a"]),
        (lambda w: {"building": w.building_b.pk}, ["unit_b"]),
        (lambda w: {"industry": "law"}, ["unit_b"]),
        (lambda w: {"has_party_org": "true"}, ["unit_a"]),
        (lambda w: {"has_party_org": "false"}, ["unit_b"]),
        (lambda w: {"q": "云帆"}, ["unit_a"]),
        (lambda w: {"station": w.branch_a.pk, "building": w.building_b.pk}, []),
    ],
)
def test_unit_filters(
    client: Client, world: World, query_for: Callable[[World], dict[str, Any]], expected: list[str]
) -> None:
    units = items_by_id(client.get(f"{API}/units", query_for(world)))

    assert set(units) == {getattr(world, name).pk for name in expected}


def test_unit_search_matches_uscc(client: Client, world: World) -> None:
    units = items_by_id(client.get(f"{API}/units", {"q": world.unit_b.uscc[-6:].lower()}))

    assert set(units) == {world.unit_b.pk}


# ---------------------------------------------------------------- creating


def test_admin_creates_unit_in_own_building(login: Login, world: World) -> None:
    response = login(world.admin_a).post(
        f"{API}/units", new_unit_body(world), content_type="application/json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    unit = ResidentUnit.objects.get(pk=body["id"])
    assert unit.station == world.branch_a
    assert unit.floor is not None and unit.floor.number == 3
    assert body["contact_phone"] == "13900001111"
    assert "stations.unit.create" in audit_actions()


def test_create_with_token(client: Client, world: World) -> None:
    headers = bearer(world.admin_a)

    response = client.post(f"{API}/units", new_unit_body(world), content_type="application/json", **headers)

    assert response.status_code == 201, response.content


def test_create_normalises_uscc(login: Login, world: World) -> None:
    raw = uscc_for(900_002).lower()
    body = new_unit_body(world, uscc=f" {raw} ")

    response = login(world.admin_a).post(f"{API}/units", body, content_type="application/json")

    assert response.status_code == 201, response.content
    assert response.json()["uscc"] == raw.upper()


def test_admin_of_b_cannot_create_in_building_of_a(login: Login, world: World) -> None:
    response = login(world.admin_b).post(
        f"{API}/units", new_unit_body(world), content_type="application/json"
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert ResidentUnit.objects.count() == 2


def test_plain_user_cannot_create(login: Login, world: World) -> None:
    response = login(world.plain_user).post(
        f"{API}/units", new_unit_body(world), content_type="application/json"
    )

    assert response.status_code == 404


def test_anonymous_cannot_create(client: Client, world: World) -> None:
    response = client.post(f"{API}/units", new_unit_body(world), content_type="application/json")

    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "message": "未登录或令牌无效"}


def test_wrong_uscc_is_refused_with_chinese_message(login: Login, world: World) -> None:
    good = uscc_for(900_003)
    wrong = good[:-1] + ("1" if good[-1] != "1" else "2")

    response = login(world.admin_a).post(
        f"{API}/units", new_unit_body(world, uscc=wrong), content_type="application/json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "uscc_checksum"
    assert "统一社会信用代码" in body["message"]
    assert "uscc" in body["details"]
    assert ResidentUnit.objects.count() == 2
    assert "stations.unit.create" not in audit_actions()


def test_duplicate_uscc_is_400(login: Login, world: World) -> None:
    body = new_unit_body(world, uscc=world.unit_b.uscc)

    response = login(world.admin_a).post(f"{API}/units", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["message"] == "该统一社会信用代码已登记为其他入驻单位"


def test_floor_of_another_building_is_400(login: Login, world: World) -> None:
    body = new_unit_body(world, floor=world.building_b.floors.get(number=1).pk)

    response = login(world.admin_a).post(f"{API}/units", body, content_type="application/json")

    assert response.status_code == 400
    assert "floor" in response.json()["details"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": ""},
        {"name": None},
        {"headcount": -1},
        {"headcount": 10**20},
        {"building": "A"},
        {"moved_in_on": "2024-13-01"},
        {"industry": "mining"},
        {"room": "x" * 50},
    ],
)
def test_malformed_body_is_422(login: Login, world: World, overrides: dict[str, Any]) -> None:
    response = login(world.admin_a).post(
        f"{API}/units", new_unit_body(world, **overrides), content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert response.json()["details"][0]["loc"][0] == "body"
    assert ResidentUnit.objects.count() == 2


def test_unparsable_json_is_400(login: Login, world: World) -> None:
    response = login(world.admin_a).post(f"{API}/units", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_session_write_without_csrf_token_is_refused(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin_a)

    response = client.post(f"{API}/units", new_unit_body(world), content_type="application/json")

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert ResidentUnit.objects.count() == 2


# ---------------------------------------------------------------- updating


def test_admin_of_b_gets_404_patching_unit_of_a(login: Login, world: World) -> None:
    response = login(world.admin_b).patch(
        f"{API}/units/{world.unit_a.pk}", {"room": "999"}, content_type="application/json"
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    world.unit_a.refresh_from_db()
    assert world.unit_a.room != "999"


@pytest.mark.parametrize("unit_name", ["unit_a", "unit_b"])
def test_hq_admin_patches_any_unit(login: Login, world: World, unit_name: str) -> None:
    unit: ResidentUnit = getattr(world, unit_name)

    response = login(world.hq_admin).patch(
        f"{API}/units/{unit.pk}", {"headcount": 80, "room": "1808"}, content_type="application/json"
    )

    assert response.status_code == 200, response.content
    unit.refresh_from_db()
    assert (unit.headcount, unit.room) == (80, "1808")
    assert unit.name == response.json()["name"]  # untouched fields stay


def test_patch_is_audited_with_changes(login: Login, world: World) -> None:
    login(world.admin_a).patch(
        f"{API}/units/{world.unit_a.pk}", {"room": "606"}, content_type="application/json"
    )

    with scopes_disabled():
        event = AuditEvent.objects.get(action="stations.unit.update")
    assert event.data["changed"]["room"][1] == "606"
    assert list(event.data["changed"]) == ["room"]


def test_patch_can_clear_floor(login: Login, world: World) -> None:
    response = login(world.admin_a).patch(
        f"{API}/units/{world.unit_a.pk}", {"floor": None}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["floor"] is None


def test_patch_into_building_of_other_station_is_404(login: Login, world: World) -> None:
    response = login(world.admin_a).patch(
        f"{API}/units/{world.unit_a.pk}",
        {"building": world.building_b.pk, "floor": None},
        content_type="application/json",
    )

    assert response.status_code == 404
    world.unit_a.refresh_from_db()
    assert world.unit_a.building == world.building_a


def test_patch_more_members_than_staff_is_400(login: Login, world: World) -> None:
    response = login(world.admin_a).patch(
        f"{API}/units/{world.unit_a.pk}", {"party_member_count": 51}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "party_member_count" in response.json()["details"]


def test_patch_bad_mobile_is_400(login: Login, world: World) -> None:
    response = login(world.admin_a).patch(
        f"{API}/units/{world.unit_a.pk}", {"contact_phone": "12345"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert "手机号码" in response.json()["message"]


def test_plain_user_gets_404_on_patch(login: Login, world: World) -> None:
    response = login(world.plain_user).patch(
        f"{API}/units/{world.unit_a.pk}", {"room": "1"}, content_type="application/json"
    )

    assert response.status_code == 404
