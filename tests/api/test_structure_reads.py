"""Public reads of stations and buildings, pagination and the JSON error shape of bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.api.builders import API
from tests.api.conftest import World

pytestmark = pytest.mark.django_db


def names(response: Any) -> list[str]:
    return [item["name"] for item in response.json()["items"]]


def test_anonymous_lists_stations_in_sort_order(client: Client, world: World) -> None:
    response = client.get(f"{API}/stations")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert names(response) == ["hq 站", "branch-a 站", "branch-b 站"]
    branch_a = body["items"][1]
    assert branch_a["kind"] == "branch"
    assert branch_a["kind_label"] == "分站"
    assert branch_a["building_count"] == 1
    assert branch_a["unit_count"] == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "hq"}, ["hq 站"]),
        ({"open_to_surroundings": "true"}, ["branch-a 站"]),
        ({"q": "branch-b"}, ["branch-b 站"]),
        ({"kind": "branch", "q": "branch"}, ["branch-a 站", "branch-b 站"]),
    ],
)
def test_station_filters(client: Client, world: World, query: dict[str, str], expected: list[str]) -> None:
    assert names(client.get(f"{API}/stations", query)) == expected


def test_station_detail_has_intro(client: Client, world: World) -> None:
    response = client.get(f"{API}/stations/{world.branch_a.pk}")

    assert response.status_code == 200
    assert response.json()["code"] == "branch-a"
    assert "intro" in response.json()


def test_inactive_station_is_not_found(client: Client, world: World) -> None:
    world.branch_b.is_active = False
    world.branch_b.save()

    assert client.get(f"{API}/stations/{world.branch_b.pk}").status_code == 404
    assert world.building_b.name not in names(client.get(f"{API}/buildings"))


@pytest.mark.parametrize("path", ["stations", "buildings", "units", "organizations"])
def test_unknown_id_is_json_not_found(client: Client, world: World, path: str) -> None:
    response = client.get(f"{API}/{path}/987654")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "资源不存在"}


def test_page_size_and_page(client: Client, world: World) -> None:
    first = client.get(f"{API}/stations", {"page_size": 2})
    second = client.get(f"{API}/stations", {"page_size": 2, "page": 2})

    assert first.json()["count"] == 3
    assert names(first) == ["hq 站", "branch-a 站"]
    assert names(second) == ["branch-b 站"]


def test_huge_page_size_is_capped_not_refused(client: Client, world: World) -> None:
    response = client.get(f"{API}/stations", {"page_size": 100000})

    assert response.status_code == 200
    assert response.json()["count"] == 3


@pytest.mark.parametrize(
    "query",
    [
        {"page": "abc"},
        {"page": "0"},
        {"page": str(10**30)},
        {"page_size": "-1"},
        {"page_size": "lots"},
        {"kind": "castle"},
        {"open_to_surroundings": "maybe"},
        {"q": "a\x00b"},
        {"q": "x" * 500},
    ],
)
def test_bad_query_is_422_json_not_500(client: Client, world: World, query: dict[str, str]) -> None:
    response = client.get(f"{API}/stations", query)

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["message"].startswith("提交的数据不正确")
    assert body["details"][0]["loc"][0] == "query"


@pytest.mark.parametrize("bad_id", ["abc", "-3", str(10**30)])
def test_bad_path_id_is_422_json(client: Client, world: World, bad_id: str) -> None:
    response = client.get(f"{API}/buildings/{bad_id}")

    assert response.status_code == 422
    assert response.json()["details"][0]["loc"] == ["path", "building_id"]


def test_wrong_filter_type_is_422(client: Client, world: World) -> None:
    for path, query in [
        ("buildings", {"station": "b"}),
        ("units", {"building": "x"}),
        ("units", {"industry": "?"}),
    ]:
        response = client.get(f"{API}/{path}", query)
        assert response.status_code == 422, (path, query)
        assert response.json()["code"] == "invalid"


def test_building_list_filters(client: Client, world: World) -> None:
    assert names(client.get(f"{API}/buildings")) == [world.building_a.name, world.building_b.name]
    assert names(client.get(f"{API}/buildings", {"station": world.branch_b.pk})) == [world.building_b.name]
    assert names(client.get(f"{API}/buildings", {"q": "金融"})) == [world.building_b.name]
    assert names(client.get(f"{API}/buildings", {"station": 987654})) == []


def test_building_detail_lists_floors_top_down(client: Client, world: World) -> None:
    response = client.get(f"{API}/buildings/{world.building_a.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["station"] == {"id": world.branch_a.pk, "name": world.branch_a.name}
    assert body["unit_count"] == 1
    floors = body["floors"]
    assert [floor["label"] for floor in floors] == ["5F", "4F", "3F", "2F", "1F", "B1"]
    assert next(floor for floor in floors if floor["number"] == 1)["unit_count"] == 1


def test_wrong_method_is_json_405(client: Client, world: World) -> None:
    response = client.put(f"{API}/stations", {}, content_type="application/json")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_unknown_endpoint_is_json_404(client: Client, db: object) -> None:
    response = client.get(f"{API}/no-such-thing")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_api_root_is_json_404(client: Client, db: object) -> None:
    response = client.get(f"{API}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
