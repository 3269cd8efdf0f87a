"""JSON API of the caller's own account: who am I, and my personal bearer tokens."""

from datetime import datetime
from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthenticationError

from dangjian.accounts import selectors, services
from dangjian.accounts.api_auth import SESSION_ONLY
from dangjian.accounts.models import ApiToken, RoleAssignment, User
from dangjian.core.api_schemas import ObjectId, StationRef, paginated, text, with_errors

router = Router(tags=["账号与令牌"])


class RoleOut(Schema):
    role: str
    role_label: str
    station_id: int
    scope_label: str

    @staticmethod
    def resolve_role_label(obj: RoleAssignment) -> str:
        return obj.get_role_display()


class MeOut(Schema):
    id: int
    username: str
    real_name: str
    person_kind: str
    person_kind_label: str
    home_station: StationRef | None
    roles: list[RoleOut]

    @staticmethod
    def resolve_person_kind_label(obj: User) -> str:
        return obj.get_person_kind_display()

    @staticmethod
    def resolve_roles(obj: User) -> QuerySet[RoleAssignment]:
        return obj.roles.select_related("station", "building", "organization", "grid__building")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(..., description="令牌开头几位，便于辨认")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(Schema):
    token: TokenOut
    secret: str = Field(..., description="令牌原文，只在创建时返回这一次，请妥善保存")


class TokenIn(Schema):
    name: Annotated[str, text(60, min_length=1)] = Field(..., description="令牌名称，如“手机客户端”")


def caller(request: HttpRequest) -> User:
    """The signed-in user of an authenticated operation (session or token)."""
    user = request.user
    if not isinstance(user, User):
        raise AuthenticationError()
    return user


@router.get("/me", response=with_errors({200: MeOut}, 401), url_name="me", summary="当前用户与角色")
def me(request: HttpRequest) -> User:
    return caller(request)


@router.get(
    "/tokens",
    response=with_errors({200: list[TokenOut]}, 401, 422),
    url_name="token_list",
    summary="我的接口令牌",
)
@paginated
def token_list(request: HttpRequest) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=caller(request)).order_by("-created_at", "-id")


@router.post(
    "/tokens",
    response=with_errors({201: TokenCreatedOut}, 400, 401, 403, 422),
    auth=SESSION_ONLY,
    url_name="token_create",
    summary="创建接口令牌",
    description="只能在网页登录状态下创建（不能用令牌创建令牌）。令牌原文只返回这一次。",
)
def token_create(request: HttpRequest, payload: TokenIn) -> Status[dict[str, object]]:
    token, secret = services.token_create(user=caller(request), name=payload.name)
    return Status(201, {"token": token, "secret": secret})


@router.delete(
    "/tokens/{token_id}",
    response=with_errors({204: None}, 401, 403, 404, 422),
    url_name="token_revoke",
    summary="撤销接口令牌",
)
def token_revoke(request: HttpRequest, token_id: ObjectId) -> Status[None]:
    user = caller(request)
    token = selectors.access_token(user=user, pk=token_id)
    services.token_revoke(user=user, token=token)
    return Status(204, None)
