"""JSON API of demonstration and leadership (示范引领, §9).

- `GET /honors/roll`: the public honour roll (anyone; `?year=`, `?station=`): public facts only;
- `GET /honors/nominations`, `POST /honors/nominations`: the nominations the caller may see, a new one
  (in draft) for an organisation the caller keeps;
- `POST /honors/nominations/{id}/actions`: one workflow step (`submit`, `approve`, `return`, `award`,
  `reject`); a wrong step answers 400 with its code (`wrong_state`, `self_review`, `comment_required`…);
- `GET /honors/publicity`, `POST /honors/publicity`: the publicity records of the caller's stations, a
  new one (without clipping: the page takes the upload).
Anything outside the caller's reach is 404."""

from datetime import date
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from dangjian.accounts.api_auth import PUBLIC_READ
from dangjian.core.api_errors import ApiError
from dangjian.core.api_schemas import ObjectId, paginated, text, with_errors, write_responses
from dangjian.core.workflow import REFUSAL_CODES, ReviewAction
from dangjian.honors import selectors, services
from dangjian.honors.models import HonorKind, MediaLevel, Nomination, NominationStatus, PublicityRecord
from dangjian.stations.models import Station

router = Router(tags=["示范引领"])

CREATE_CODES = (
    "invalid",
    "year",
    "required",
    "too_long",
    "nominee",
    "kind",
    "duplicate",
)
ACTION_CODES = tuple(
    dict.fromkeys(("invalid", *REFUSAL_CODES[ReviewAction.RETURN], *REFUSAL_CODES[ReviewAction.SUBMIT]))
)
PUBLICITY_CODES = ("invalid", "future_date")


class Ref(Schema):
    id: int
    name: str


class HonourOut(Schema):
    """One awarded honour as the public sees it."""

    id: int
    year: int
    kind: str
    kind_label: str
    nominee: str = Field(..., alias="nominee_name")
    organization: Ref
    station: Ref
    summary: str

    @staticmethod
    def resolve_kind_label(obj: Nomination) -> str:
        return obj.get_kind_display()


class NominationOut(Schema):
    id: int
    year: int
    kind: str
    kind_label: str
    nominee_name: str
    nominee_user_id: int | None
    organization: Ref
    station: Ref
    deeds: str
    status: str
    status_label: str
    review_comment: str
    decision_note: str

    @staticmethod
    def resolve_kind_label(obj: Nomination) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_label(obj: Nomination) -> str:
        return obj.get_status_display()


class PublicityOut(Schema):
    id: int
    station: Ref
    outlet: str
    level: str
    level_label: str
    published_on: date
    title: str
    link: str

    @staticmethod
    def resolve_level_label(obj: PublicityRecord) -> str:
        return obj.get_level_display()


class RollFilter(Schema):
    year: int | None = Field(None, ge=2000, le=9999, description="年度")
    station: ObjectId | None = Field(None, description="站点 id")


class NominationFilter(Schema):
    year: int | None = Field(None, ge=2000, le=9999, description="年度")
    kind: HonorKind | None = Field(None, description="荣誉类别")
    status: NominationStatus | None = Field(None, description="状态")


class NominationIn(Schema):
    organization: ObjectId = Field(..., description="推荐党组织 id（先进基层党组织即被推荐的党组织）")
    kind: HonorKind
    year: int = Field(..., ge=2000, le=9999)
    nominee: ObjectId | None = Field(None, description="被推荐人的用户 id（个人荣誉）")
    deeds: Annotated[str, text(services.DEEDS_MAX, min_length=1)]


class ActionIn(Schema):
    action: Literal["submit", "approve", "return", "award", "reject"]
    comment: Annotated[str, text(500)] = ""


class PublicityIn(Schema):
    station: ObjectId
    outlet: Annotated[str, text(80, min_length=1)]
    level: MediaLevel
    published_on: date
    title: Annotated[str, text(200, min_length=1)]
    link: Annotated[str, text(500)] = Field("", description="报道的网址（http 或 https），可不填")


@router.get(
    "/roll",
    response=with_errors({200: list[HonourOut]}, 401, 422),
    url_name="honors_roll",
    summary="荣誉榜",
    description="已授予的年度荣誉（先进基层党组织、优秀共产党员、优秀党务工作者），仅含公开信息。",
    **PUBLIC_READ,
)
@paginated
def honors_roll(request: HttpRequest, filters: Query[RollFilter]) -> QuerySet[Nomination]:
    return selectors.honour_roll(year=filters.year, station_id=filters.station)


@router.get(
    "/nominations",
    response=with_errors({200: list[NominationOut]}, 401, 422),
    url_name="honors_nominations",
    summary="评先评优推荐列表",
)
@paginated
def nominations_list(request: HttpRequest, filters: Query[NominationFilter]) -> QuerySet[Nomination]:
    nominations = selectors.visible_nominations(request.user)
    for name in ("year", "kind", "status"):
        value = getattr(filters, name)
        if value:
            nominations = nominations.filter(**{name: value})
    return nominations


def _fresh(nomination: Nomination) -> Nomination:
    """The nomination as it now is, with its organisation and station."""
    fresh = Nomination.objects.filter(pk=nomination.pk).select_related(*selectors.NOMINATION_RELATED)
    return fresh.first() or nomination


@router.post(
    "/nominations",
    response=write_responses({201: NominationOut}, CREATE_CODES),
    url_name="honors_nominate",
    summary="推荐评先评优（草稿）",
    description="站点管理员、党务工作者或本组织书记、委员为本组织或其党员推荐；同一对象每年每类荣誉只能推荐一次（`duplicate`）。",
)
def nominations_create(request: HttpRequest, payload: NominationIn) -> Status:
    organization = selectors.access_organization(user=request.user, pk=payload.organization)
    nominee: Any = None
    if payload.nominee is not None:
        nominee = selectors.nominee_choices(request.user).filter(pk=payload.nominee).first()
        if nominee is None:
            raise ApiError(400, "nominee", "被推荐人不符合该类荣誉的条件")
    nomination = services.nomination_create(
        actor=request.user,
        organization=organization,
        data=services.NominationInput(
            kind=payload.kind, year=payload.year, deeds=payload.deeds, nominee=nominee
        ),
    )
    return Status(201, _fresh(nomination))


@router.post(
    "/nominations/{nomination_id}/actions",
    response=write_responses({200: NominationOut}, ACTION_CODES),
    url_name="honors_nomination_act",
    summary="办理推荐（提交、审核、退回、授予、不予授予）",
    description="提交：推荐人员；审核通过、退回：本站点党建指导员；授予、不予授予：总站。退回和不予授予须填写意见。",
)
def nominations_act(request: HttpRequest, nomination_id: ObjectId, payload: ActionIn) -> Nomination:
    nomination = selectors.access_nomination(user=request.user, pk=nomination_id)
    services.nomination_act(
        actor=request.user, nomination=nomination, action=payload.action, comment=payload.comment
    )
    return _fresh(nomination)


@router.get(
    "/publicity",
    response=with_errors({200: list[PublicityOut]}, 401, 422),
    url_name="honors_publicity",
    summary="宣传报道列表",
)
@paginated
def publicity_list(request: HttpRequest) -> QuerySet[PublicityRecord]:
    return selectors.visible_publicity(request.user)


@router.post(
    "/publicity",
    response=write_responses({201: PublicityOut}, PUBLICITY_CODES),
    url_name="honors_publicity_create",
    summary="登记宣传报道",
    description="站点管理员、党务工作者登记本站点的宣传报道；级别为市级、省级、国家级的计入示范引领的年度要求。",
)
def publicity_create(request: HttpRequest, payload: PublicityIn) -> Status:
    station: Station | None = selectors.kept_stations(request.user).filter(pk=payload.station).first()
    if station is None:
        raise ApiError(404, "not_found", "未找到该站点")
    record = services.publicity_create(
        actor=request.user,
        station=station,
        data=services.PublicityInput(
            outlet=payload.outlet,
            level=payload.level,
            published_on=payload.published_on,
            title=payload.title,
            link=payload.link,
        ),
    )
    return Status(201, record)
