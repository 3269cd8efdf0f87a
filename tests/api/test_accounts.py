"""/me and personal tokens: session and bearer auth, minting only from a session, revoking."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from dangjian.accounts.models import ApiToken, User
from dangjian.accounts.services import token_create
from tests.api.builders import API, bearer
from tests.api.conftest import World

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


def test_me_requires_authentication(client: Client, world: World) -> None:
    response = client.get(f"{API}/me")

    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "message": "未登录或令牌无效"}


def test_me_with_session_lists_roles(login: Login, world: World) -> None:
    response = login(world.admin_a).get(f"{API}/me")

    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "admina"
    assert body["real_name"] == "ADMINA"
    assert body["person_kind"] == "staff"
    assert body["home_station"] == {"id": world.branch_a.pk, "name": world.branch_a.name}
    assert body["roles"] == [
        {
            "role": "station_admin",
            "role_label": "站点管理员",
            "station_id": world.branch_a.pk,
            "scope_label": world.branch_a.name,
        }
    ]


def test_me_with_bearer_token(client: Client, world: World) -> None:
    response = client.get(f"{API}/me", **bearer(world.plain_user))

    assert response.status_code == 200
    assert response.json()["username"] == "plain"
    assert response.json()["roles"] == []
    assert response.json()["home_station"] is None


def test_token_sets_user_on_public_endpoints(client: Client, world: World) -> None:
    response = client.get(f"{API}/units/{world.unit_a.pk}", **bearer(world.admin_a))

    assert response.json()["contact_phone"] == "13812345678"


@pytest.mark.parametrize("header", ["Bearer djp_not-a-real-token", "Bearer ", "Bearer xyz"])
def test_wrong_token_is_401_even_on_public_endpoints(client: Client, world: World, header: str) -> None:
    response = client.get(f"{API}/stations", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_create_list_and_revoke_token(client: Client, login: Login, world: World) -> None:
    session = login(world.admin_a)

    created = session.post(f"{API}/tokens", {"name": "手机客户端"}, content_type="application/json")

    assert created.status_code == 201, created.content
    secret = created.json()["secret"]
    token = created.json()["token"]
    assert secret.startswith("djp_")
    assert token["name"] == "手机客户端"
    assert secret.startswith(token["prefix"])

    listed = session.get(f"{API}/tokens").json()
    assert listed["count"] == 1
    assert listed["items"][0]["id"] == token["id"]
    assert "secret" not in listed["items"][0]
    assert listed["items"][0]["revoked_at"] is None

    token_client = Client()
    assert token_client.get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200

    revoked = session.delete(f"{API}/tokens/{token['id']}")
    assert revoked.status_code == 204
    assert ApiToken.objects.get(pk=token["id"]).revoked_at is not None

    refused = token_client.get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert refused.status_code == 401
    assert refused.json() == {"code": "not_authenticated", "message": "未登录或令牌无效"}


def test_a_token_cannot_mint_tokens(client: Client, world: World) -> None:
    response = client.post(
        f"{API}/tokens", {"name": "再来一个"}, content_type="application/json", **bearer(world.admin_a)
    )

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert ApiToken.objects.filter(user=world.admin_a).count() == 1


def test_anonymous_cannot_mint_tokens(client: Client, world: World) -> None:
    response = client.post(f"{API}/tokens", {"name": "x"}, content_type="application/json")

    assert response.status_code == 401


def test_token_name_is_required(login: Login, world: World) -> None:
    response = login(world.admin_a).post(f"{API}/tokens", {"name": "  "}, content_type="application/json")

    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "name"


def test_a_token_may_revoke_itself(client: Client, world: World) -> None:
    token, secret = token_create(user=world.admin_a, name="手机")

    response = client.delete(f"{API}/tokens/{token.pk}", HTTP_AUTHORIZATION=f"Bearer {secret}")

    assert response.status_code == 204
    assert client.get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_revoking_another_users_token_is_404(login: Login, world: World) -> None:
    token, _secret = token_create(user=world.admin_b, name="B 的手机")

    response = login(world.admin_a).delete(f"{API}/tokens/{token.pk}")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_list_shows_only_own_tokens(login: Login, world: World) -> None:
    token_create(user=world.admin_b, name="B 的手机")
    token_create(user=world.admin_a, name="A 的手机")

    listed = login(world.admin_a).get(f"{API}/tokens").json()

    assert [item["name"] for item in listed["items"]] == ["A 的手机"]
