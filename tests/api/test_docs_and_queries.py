"""OpenAPI docs, URL names, and a constant number of SQL queries on every list whatever its length."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dangjian.accounts.services import token_create
from dangjian.organizations.models import PartyOrganization
from tests.api.builders import API, bearer, make_building, make_station, make_unit
from tests.api.conftest import World

pytestmark = pytest.mark.django_db

URL_NAMES = {
    "station_list": {},
    "station_detail": {"station_id": 1},
    "building_list": {},
    "building_detail": {"building_id": 1},
    "unit_list": {},
    "unit_detail": {"unit_id": 1},
    "unit_create": {},
    "unit_update": {"unit_id": 1},
    "organization_list": {},
    "organization_detail": {"organization_id": 1},
    "me": {},
    "token_list": {},
    "token_create": {},
    "token_revoke": {"token_id": 1},
}


@pytest.mark.parametrize(("name", "kwargs"), URL_NAMES.items())
def test_every_operation_has_a_url_name(name: str, kwargs: dict[str, int]) -> None:
    assert reverse(f"api:{name}", kwargs=kwargs).startswith(f"{API}/")


def test_docs_page_loads(client: Client) -> None:
    response = client.get(f"{API}/docs")

    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_openapi_schema_is_consistent(client: Client) -> None:
    response = client.get(f"{API}/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) >= len(URL_NAMES)
    assert all(op.get("summary") for op in operations)
    operation_ids = [op["operationId"] for op in operations]
    assert len(set(operation_ids)) == len(operation_ids)
    assert {} in schema["paths"][f"{API}/stations"]["get"]["security"]  # anonymous callers welcome
    assert {} not in schema["paths"][f"{API}/me"]["get"]["security"]
    for ref in _refs(schema):
        assert ref.removeprefix("#/components/schemas/") in schema["components"]["schemas"], ref


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


# ---------------------------------------------------------------- constant query counts


def add_stations(world: World, rows: int) -> None:
    for n in range(rows):
        station = make_station(f"extra-{n}")
        make_unit(make_building(station, f"楼宇 {n}", floors_above=1, floors_below=0), f"单位 {n}")


def add_buildings(world: World, rows: int) -> None:
    for n in range(rows):
        make_unit(make_building(world.branch_a, f"楼宇 {n}", floors_above=1, floors_below=0), f"单位 {n}")


def add_units(world: World, rows: int) -> None:
    for n in range(rows):
        make_unit(world.building_a if n % 2 else world.building_b, f"单位 {n}")


def add_organizations(world: World, rows: int) -> None:
    for n in range(rows):
        organization = PartyOrganization.objects.create(
            station=world.branch_a, name=f"党支部 {n}", formal_superior="两新工委", secretary=world.plain_user
        )
        organization.units.add(world.unit_a)


def add_tokens(world: World, rows: int) -> None:
    for n in range(rows):
        token_create(user=world.admin_a, name=f"令牌 {n}")


ListCase = tuple[str, Callable[[World, int], None], int]

# (list path, row maker, most queries allowed) — the same bound must hold for 3 rows and for 30.
# Anonymous: COUNT + page. With a token: token lookup, its last-used stamp, the caller's roles, COUNT + page.
LIST_CASES: list[ListCase] = [
    ("stations", add_stations, 2),
    ("buildings", add_buildings, 2),
    ("units", add_units, 2),
    ("organizations", add_organizations, 2),
]
AUTHENTICATED_LIST_CASES: list[ListCase] = [
    ("units", add_units, 5),
    ("tokens", add_tokens, 4),
]


def _assert_constant_queries(
    client: Client, world: World, case: ListCase, rows: int, assert_max_queries: Any, **headers: str
) -> None:
    path, add_rows, most_queries = case
    add_rows(world, rows)

    with assert_max_queries(most_queries):
        response = client.get(f"{API}/{path}", {"page_size": 100}, **headers)

    assert response.status_code == 200, response.content
    assert len(response.json()["items"]) >= rows


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("case", LIST_CASES, ids=lambda case: case[0])
def test_anonymous_list_queries_are_constant(
    client: Client, world: World, case: ListCase, rows: int, django_assert_max_num_queries: Any
) -> None:
    _assert_constant_queries(client, world, case, rows, django_assert_max_num_queries)


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("case", AUTHENTICATED_LIST_CASES, ids=lambda case: case[0])
def test_authenticated_list_queries_are_constant(
    client: Client, world: World, case: ListCase, rows: int, django_assert_max_num_queries: Any
) -> None:
    headers = bearer(world.admin_a)
    _assert_constant_queries(client, world, case, rows, django_assert_max_num_queries, **headers)


@pytest.mark.parametrize(
    ("path", "status", "codes"),
    [
        ("/articles/{article_id}/submit", "400", ["wrong_state"]),
        ("/articles/{article_id}/approve", "400", ["wrong_state", "self_review"]),
        ("/articles/{article_id}/return", "400", ["self_review", "comment_required"]),
        ("/disclosures/{disclosure_id}/approve", "400", ["self_review", "forbidden"]),
        ("/disclosures/{disclosure_id}/withdraw", "400", ["comment_required"]),
    ],
)
def test_openapi_lists_the_refusal_codes_of_each_workflow_operation(
    client: Client, path: str, status: str, codes: list[str]
) -> None:
    schema = client.get(f"{API}/openapi.json").json()
    description = schema["paths"][f"{API}{path}"]["post"]["responses"][status]["description"]
    assert all(f"`{code}`" in description for code in codes), description
