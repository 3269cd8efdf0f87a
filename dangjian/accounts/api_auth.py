"""Who is calling: a browser session (CSRF-checked on writes) or a personal bearer token `djp_…`.

Operations pick one of three lists:
- `AUTHENTICATED` (the API default): a token or a signed-in session;
- `PUBLIC`: anyone, anonymous included; a token, if sent, must still be valid (operations take
  `**PUBLIC_READ`, which also tells OpenAPI that no credentials are needed);
- `SESSION_ONLY`: a signed-in browser session, never a token (a token must not mint tokens).

Handlers always read `request.user`; a token sets it to the token's owner."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth, django_auth

from dangjian.accounts.services import user_for_token
from dangjian.core.api_errors import ApiError


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            # A token that was sent but is wrong or revoked is refused, never quietly ignored.
            raise ApiError(401, "not_authenticated", "未登录或令牌无效")
        request.user = user
        return user


class BrowserSessionAuth(SessionAuth):
    """Session auth that refuses requests carrying an `Authorization` header."""

    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get("Authorization"):
            raise ApiError(403, "forbidden", "此操作只能在网页登录状态下进行，不能使用接口令牌")
        return super().__call__(request)


def anyone(request: HttpRequest) -> bool:
    """Lets anonymous callers in; `request.user` stays the session user or AnonymousUser."""
    return True


bearer_token = BearerTokenAuth()

AUTHENTICATED: list[Any] = [bearer_token, django_auth]
PUBLIC: list[Any] = [bearer_token, anyone]
SESSION_ONLY: list[Any] = [BrowserSessionAuth()]
# `{}` in an OpenAPI security list means "no credentials needed"; SessionAuth is django_auth's scheme.
PUBLIC_READ: dict[str, Any] = {"auth": PUBLIC, "openapi_extra": {"security": [{"SessionAuth": []}, {}]}}
