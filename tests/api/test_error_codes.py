"""Every API operation that can refuse documents, per error status, the machine-readable codes its body
may carry (`with_errors`: an enum on `code`), and real refusals answer exactly one of those codes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from dangjian.core.api_errors import ERROR_CODES
from dangjian.core.api_schemas import with_errors
from tests.api.builders import API
from tests.api.conftest import World

pytestmark = pytest.mark.django_db

WRITE_METHODS = {"post", "put", "patch", "delete"}
# Operations built at the same time as this test; remove once they document their statuses.
PENDING_PREFIXES = (f"{API}/venues/",)  # venues app under construction (issue 8 follow-up)


@pytest.fixture
def schema(client: Client) -> dict[str, Any]:
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, op) for path, ops in schema["paths"].items() for method, op in ops.items()]


def documented_codes(schema: dict[str, Any], operation: dict[str, Any], status: int) -> list[str]:
    """The codes an operation's error response declares (its schema's `code` enum), [] if none."""
    response = operation["responses"].get(str(status))
    if response is None:
        return []
    ref = response["content"]["application/json"]["schema"].get("$ref", "")
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    code = component["properties"]["code"]
    return list(code.get("enum") or [code["const"]])


def test_every_error_response_declares_its_codes(schema: dict[str, Any]) -> None:
    problems = []
    for method, path, operation in _operations(schema):
        for status in operation["responses"]:
            if int(status) < 400:
                continue
            try:
                codes = documented_codes(schema, operation, int(status))
            except KeyError:
                problems.append(f"{method.upper()} {path} {status}: no code schema")
                continue
            if not codes or set(codes) - set(ERROR_CODES):
                problems.append(f"{method.upper()} {path} {status}: codes {codes}")
            description = operation["responses"][status]["description"]
            if not all(f"`{code}`" in description for code in codes):
                problems.append(f"{method.upper()} {path} {status}: description lacks codes")
    assert not problems, "\n".join(problems)


def _required_statuses(method: str, path: str, operation: dict[str, Any]) -> set[int]:
    required = set()
    if {} not in operation.get("security", [{}]):
        required.add(401)  # a missing or wrong token / session
    if "{" in path:
        required |= {404, 422}  # an id that is missing or not the caller's; an id that is no id
    if method in WRITE_METHODS:
        required |= {401, 403}  # a session write without its CSRF token; the service's PermissionDenied
    return required


def test_every_refusing_operation_documents_its_error_statuses(schema: dict[str, Any]) -> None:
    missing = []
    for method, path, operation in _operations(schema):
        if path.startswith(PENDING_PREFIXES):
            continue
        documented = {int(status) for status in operation["responses"] if int(status) >= 400}
        lacking = _required_statuses(method, path, operation) - documented
        takes_input = operation.get("parameters") or operation.get("requestBody")
        if method in WRITE_METHODS and takes_input and not documented & {400, 422}:
            lacking.add(400)  # some input refusal
        if lacking:
            missing.append(f"{method.upper()} {path}: {sorted(lacking)}")
    assert not missing, "\n".join(missing)


def test_write_operations_document_the_services_own_codes(schema: dict[str, Any]) -> None:
    units = schema["paths"][f"{API}/units"]["post"]
    assert {"uscc_checksum", "unique", "floor_mismatch"} <= set(documented_codes(schema, units, 400))
    approve = schema["paths"][f"{API}/articles/{{article_id}}/approve"]["post"]
    assert {"wrong_state", "self_review"} <= set(documented_codes(schema, approve, 400))
    pay = schema["paths"][f"{API}/me/dues/pay"]["post"]
    assert documented_codes(schema, pay, 409) == ["order_pending"]
    assert "not_a_member" in documented_codes(schema, pay, 403)


def test_an_operation_needs_a_code_per_error_status() -> None:
    with pytest.raises(ValueError, match="at least one"):
        with_errors({200: None}, e400=())


# ---------------------------------------------------------------- real refusals answer a documented code


def _operation(schema: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    return schema["paths"][f"{API}{path}"][method]  # type: ignore[no-any-return]


def assert_documented(schema: dict[str, Any], method: str, path: str, response: Any, status: int) -> str:
    assert response.status_code == status, response.content
    code = response.json()["code"]
    assert code in documented_codes(schema, _operation(schema, method, path), status)
    return str(code)


def test_a_unit_of_another_station_is_not_found(
    schema: dict[str, Any], world: World, login: Callable[[Any], Client]
) -> None:
    client = login(world.admin_a)
    response = client.patch(
        f"{API}/units/{world.unit_b.pk}", {"room": "301"}, content_type="application/json"
    )
    assert assert_documented(schema, "patch", "/units/{unit_id}", response, 404) == "not_found"


def test_a_wrong_check_character_keeps_its_code(
    schema: dict[str, Any], world: World, login: Callable[[Any], Client]
) -> None:
    client = login(world.admin_a)
    uscc = world.unit_a.uscc
    wrong = uscc[:-1] + ("0" if uscc[-1] != "0" else "1")
    response = client.patch(
        f"{API}/units/{world.unit_a.pk}", {"uscc": wrong}, content_type="application/json"
    )
    assert assert_documented(schema, "patch", "/units/{unit_id}", response, 400) == "uscc_checksum"


def test_a_floor_of_another_building_keeps_its_code(
    schema: dict[str, Any], world: World, login: Callable[[Any], Client]
) -> None:
    client = login(world.admin_a)
    floor = world.building_b.floors.first()
    assert floor is not None
    response = client.patch(
        f"{API}/units/{world.unit_a.pk}", {"floor": floor.pk}, content_type="application/json"
    )
    assert assert_documented(schema, "patch", "/units/{unit_id}", response, 400) == "floor_mismatch"


def test_a_session_write_without_csrf_is_forbidden(schema: dict[str, Any], world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin_a)
    response = client.patch(
        f"{API}/units/{world.unit_a.pk}", {"room": "301"}, content_type="application/json"
    )
    assert assert_documented(schema, "patch", "/units/{unit_id}", response, 403) == "forbidden"


def test_a_pk_that_is_no_id_is_invalid(schema: dict[str, Any], world: World) -> None:
    response = Client().get(f"{API}/buildings/0")
    assert assert_documented(schema, "get", "/buildings/{building_id}", response, 422) == "invalid"


def test_a_token_cannot_mint_a_token(schema: dict[str, Any], world: World) -> None:
    from dangjian.accounts.services import token_create

    _, secret = token_create(user=world.admin_a, name="手机")
    response = Client().post(
        f"{API}/tokens",
        {"name": "另一个"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert assert_documented(schema, "post", "/tokens", response, 403) == "forbidden"
