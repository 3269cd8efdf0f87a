"""JSON API of feedback (DB3212/T 1124 §10.1.2): submit (also anonymous), follow one item by its tracking
code (read, rate, confirm solved, reopen), my feedback, and the station staff's list, item and moves
(assign, start, reply, decide, close).

Handlers are thin: `selectors.access_feedback` fetches and authorises (the same 404 for missing and
forbidden, another station's staff included), `selectors.by_code` opens one item by its code, one service
writes. A refusal keeps the service's machine-readable code (`wrong_state`, `undecided`,
`invalid_complaint`…); `throttled` answers 429, the others 400. The submitter's contact details are given
only to the submitter and the station's staff; a code holder sees the phone masked.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.utils import check_csrf

from dangjian.accounts.api_auth import PUBLIC, PUBLIC_READ
from dangjian.core.api_errors import ApiError, service_error_code
from dangjian.core.api_schemas import ObjectId, local, paginated, with_errors, write_responses
from dangjian.core.api_schemas import text as typed_text
from dangjian.core.request_context import client_ip_of
from dangjian.feedback import rules, selectors, services
from dangjian.feedback.models import Feedback
from dangjian.organizations.models import PartyOrganization
from dangjian.stations.models import ResidentUnit, Station

router = Router(tags=["意见反馈与投诉"])

# The feedback refusals' codes, in the platform's vocabulary (documented per operation below).
REFUSAL_STATUS = {"throttled": 429}
SUBMIT_CODES = ("required", "too_long", "invalid", "phone", "channel", "wrong_station", "sensitive")
FOLLOW_UP_CODES = ("wrong_state", "required", "too_long", "invalid", "rating", "already_rated")
MOVE_CODES = ("wrong_state", "required", "too_long", "invalid")


@contextmanager
def refusals() -> Iterator[None]:
    """A service's refusal keeps its code; `throttled` becomes 429."""
    try:
        yield
    except ValidationError as error:
        code = service_error_code(error)
        status = REFUSAL_STATUS.get(code)
        if status is None:
            raise
        raise ApiError(status, code, "；".join(dict.fromkeys(error.messages))) from None


def session_write_checked(request: HttpRequest) -> None:
    """A public write sent by a signed-in browser session must carry its CSRF token (a token call or an
    anonymous caller has no session to abuse)."""
    session = getattr(request.user, "is_authenticated", False) and not request.headers.get("Authorization")
    if session and check_csrf(request) is not None:
        raise ApiError(403, "forbidden", "CSRF 校验失败，请刷新页面后重试")


PUBLIC_WRITE: dict[str, Any] = {"auth": PUBLIC, "openapi_extra": {"security": [{"SessionAuth": []}, {}]}}


# ---------------------------------------------------------------- output


class Ref(Schema):
    id: int
    name: str


def ref(obj: Any) -> dict[str, Any] | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def person_ref(user: Any) -> dict[str, Any] | None:
    return {"id": user.pk, "name": user.display_name} if user is not None else None


class StepOut(Schema):
    at: datetime
    action: str
    label: str = Field(..., description="步骤的中文名称")
    who: str = Field(..., description="提交人 / 工作人员（对提交人不显示工作人员姓名） / 系统")
    note: str


class Labelled(Schema):
    """What the submitter and the staff both see of an item."""

    tracking_code: str = Field(..., description="查询码（12 位），凭此查询进度")
    code_display: str = Field(..., description="分组显示的查询码，如 ABCD-EFGH-JKMN")
    station: Ref
    channel: str = Field(
        ...,
        description="unit 入驻单位 / surroundings 周边楼宇·街道·社区 / box 投诉箱 / book 意见簿 / online 互联网反馈",
    )
    channel_label: str
    kind: str = Field(..., description="complaint 投诉 / suggestion 建议 / praise 表扬 / consultation 咨询")
    kind_label: str
    title: str
    content: str
    status: str = Field(
        ...,
        description="received 已受理 / assigned 已分派 / in_progress 办理中 / replied 已答复 / closed 已办结",
    )
    status_label: str
    received_at: datetime
    due_on: date = Field(..., description="答复期限")
    overdue: bool
    reply: str
    replied_at: datetime | None
    resolution: str = Field(..., description="resolved 已解决 / unresolved 未解决；未办结为空")
    rating: int | None
    rating_comment: str
    reopen_count: int

    @staticmethod
    def resolve_station(obj: Feedback) -> dict[str, Any] | None:
        return ref(obj.station)

    @staticmethod
    def resolve_channel_label(obj: Feedback) -> str:
        return obj.get_channel_display()

    @staticmethod
    def resolve_kind_label(obj: Feedback) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_label(obj: Feedback) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_received_at(obj: Feedback) -> datetime | None:
        return local(obj.received_at)

    @staticmethod
    def resolve_replied_at(obj: Feedback) -> datetime | None:
        return local(obj.replied_at)

    @staticmethod
    def resolve_overdue(obj: Feedback) -> bool:
        return obj.is_overdue()


class TrackOut(Labelled):
    contact_phone_masked: str = Field(..., description="留下的联系电话（隐去中间四位）")
    timeline: list[StepOut]

    @staticmethod
    def resolve_contact_phone_masked(obj: Feedback) -> str:
        contact = selectors.contact_of(obj)
        return contact.masked_phone if contact is not None and contact.phone else ""

    @staticmethod
    def resolve_timeline(obj: Feedback) -> list[dict[str, Any]]:
        return [_step(s) for s in selectors.public_steps(obj)]


def _step(s: selectors.Step) -> dict[str, Any]:
    return {"at": local(s.at), "action": s.action, "label": s.label, "who": s.who, "note": s.note}


class MineOut(Labelled):
    id: int


class StaffListOut(Labelled):
    id: int
    organization: Ref | None
    unit: Ref | None
    assignee: Ref | None
    validity: str = Field(..., description="投诉认定：valid 有效 / invalid 无效；未认定或非投诉为空")
    validity_reason: str
    escalation: int = Field(..., description="督办：0 未督办 / 1 已提醒站点管理员 / 2 已报总站督办")

    @staticmethod
    def resolve_organization(obj: Feedback) -> dict[str, Any] | None:
        return ref(obj.organization)

    @staticmethod
    def resolve_unit(obj: Feedback) -> dict[str, Any] | None:
        return ref(obj.unit)

    @staticmethod
    def resolve_assignee(obj: Feedback) -> dict[str, Any] | None:
        return person_ref(obj.assignee)


class ContactOut(Schema):
    name: str
    phone: str


class StaffDetailOut(StaffListOut):
    submitter: Ref | None
    entered_by: Ref | None = Field(None, description="代录纸质意见的工作人员")
    contact: ContactOut | None = Field(
        None, description="提交人的联系方式（个人信息，仅本站点工作人员和总站可见）"
    )
    timeline: list[StepOut]

    @staticmethod
    def resolve_submitter(obj: Feedback) -> dict[str, Any] | None:
        return person_ref(obj.submitter)

    @staticmethod
    def resolve_entered_by(obj: Feedback) -> dict[str, Any] | None:
        return person_ref(obj.entered_by)

    @staticmethod
    def resolve_contact(obj: Feedback) -> dict[str, str] | None:
        contact = getattr(obj, "visible_contact", None)
        return {"name": contact.name, "phone": contact.phone} if contact is not None else None

    @staticmethod
    def resolve_timeline(obj: Feedback) -> list[dict[str, Any]]:
        return [_step(s) for s in selectors.public_steps(obj, staff_view=True)]


def _staff_detail(request: HttpRequest, feedback: Feedback) -> Feedback:
    feedback.visible_contact = selectors.contact_for(user=request.user, feedback=feedback)  # type: ignore[attr-defined]
    return feedback


# ---------------------------------------------------------------- input

Code = Annotated[str, typed_text(20, min_length=1)]
Note = Annotated[str, typed_text(rules.NOTE_MAX)]


class SubmitIn(Schema):
    station: ObjectId = Field(..., description="反馈的站点")
    channel: Literal["unit", "surroundings", "online"] = Field(
        "online", description="unit 入驻单位 / surroundings 周边楼宇·街道·社区 / online 互联网反馈"
    )
    kind: Literal["complaint", "suggestion", "praise", "consultation"]
    title: Annotated[str, typed_text(rules.TITLE_MAX, min_length=1)]
    content: Annotated[str, typed_text(rules.CONTENT_MAX, min_length=1)]
    contact_name: Annotated[str, typed_text(40)] = ""
    contact_phone: Annotated[str, typed_text(20)] = ""
    organization: ObjectId | None = Field(None, description="涉及的党组织（该站点的）")
    unit: ObjectId | None = Field(None, description="所在或涉及的入驻单位（该站点的）")


class RateIn(Schema):
    rating: Annotated[int, Field(ge=1, le=5)] = Field(..., description="满意度 1–5 分")
    comment: Note = ""


class ReopenIn(Schema):
    reason: Annotated[str, typed_text(rules.NOTE_MAX, min_length=1)] = Field(
        ..., description="还有哪些没有解决"
    )


class AssignIn(Schema):
    assignee: ObjectId = Field(..., description="承办人（本站点的站点管理员、党务工作者或讲解员）")


class ReplyIn(Schema):
    text: Annotated[str, typed_text(rules.REPLY_MAX, min_length=1)] = Field(
        ..., description="答复内容（提交人可见）"
    )


class DecideIn(Schema):
    validity: Literal["valid", "invalid"]
    reason: Note = Field("", description="认定理由（无效投诉必填）")


class CloseIn(Schema):
    resolution: Literal["resolved", "unresolved"]
    note: Note = ""


class StaffFilters(Schema):
    status: Literal["received", "assigned", "in_progress", "replied", "closed"] | None = None
    kind: Literal["complaint", "suggestion", "praise", "consultation"] | None = None
    channel: Literal["unit", "surroundings", "box", "book", "online"] | None = None
    overdue: bool = Field(False, description="只列逾期未答复的")
    mine: bool = Field(False, description="只列分派给我的")
    station: ObjectId | None = Field(None, description="站点（总站可按站点筛选）")


# ---------------------------------------------------------------- public: submit and track


def _related(model: Any, pk: int | None) -> Any:
    """An organisation or unit by id; one that does not exist is refused like one of another station."""
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise ApiError(400, "wrong_station", "所选党组织或入驻单位不存在或不属于该站点")
    return found


@router.post(
    "",
    response=with_errors({201: TrackOut}, 401, 403, 404, 422, e400=SUBMIT_CODES, e429=("throttled",)),
    url_name="feedback_submit",
    summary="提交意见反馈（可不登录）",
    description=(
        "任何人都可提交投诉、建议、表扬或咨询，答复中的 `tracking_code` 是查询进度的唯一凭证。"
        f"同一网络地址每小时最多 {rules.PER_IP_PER_HOUR} 条、同一人每小时最多 {rules.PER_PERSON_PER_HOUR} 条，"
        "超过时 429 `throttled`。登录后提交的可在“我的反馈”中查看。"
    ),
    **PUBLIC_WRITE,
)
def feedback_submit(request: HttpRequest, payload: SubmitIn) -> Status:
    session_write_checked(request)
    station = Station.objects.filter(pk=payload.station, is_active=True).first()
    if station is None:
        raise ApiError(404, "not_found", "站点不存在")
    submission = services.Submission(
        station=station,
        channel=payload.channel,
        kind=payload.kind,
        title=payload.title,
        content=payload.content,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        organization=_related(PartyOrganization, payload.organization),
        unit=_related(ResidentUnit, payload.unit),
    )
    with refusals():
        feedback = services.submit(actor=request.user, submission=submission, ip=client_ip_of(request))
    return Status(201, selectors.by_code(feedback.tracking_code))


@router.get(
    "/track/{code}",
    response=with_errors({200: TrackOut}, 404, 422),
    url_name="feedback_track",
    summary="凭查询码查看进度",
    description="办理进度、答复和评价；工作人员显示为“工作人员”。查询码不对时 404。",
    **PUBLIC_READ,
)
def feedback_track(request: HttpRequest, code: Code) -> Feedback:
    return selectors.by_code(code)


def _follow_up(request: HttpRequest, code: str) -> Feedback:
    session_write_checked(request)
    return selectors.by_code(code)


@router.post(
    "/track/{code}/rate",
    response=write_responses({200: TrackOut}, FOLLOW_UP_CODES),
    url_name="feedback_track_rate",
    summary="评价办理情况（凭查询码）",
    description="答复后可评价一次（1–5 分和评价）。",
    **PUBLIC_WRITE,
)
def feedback_track_rate(request: HttpRequest, code: Code, payload: RateIn) -> Feedback:
    feedback = _follow_up(request, code)
    with refusals():
        services.rate(
            actor=request.user,
            feedback=feedback,
            rating=payload.rating,
            comment=payload.comment,
            code=feedback.tracking_code,
        )
    return selectors.by_code(code)


@router.post(
    "/track/{code}/confirm",
    response=write_responses({200: TrackOut}, ("wrong_state",)),
    url_name="feedback_track_confirm",
    summary="确认问题已解决（凭查询码）",
    **PUBLIC_WRITE,
)
def feedback_track_confirm(request: HttpRequest, code: Code) -> Feedback:
    feedback = _follow_up(request, code)
    with refusals():
        services.confirm_solved(actor=request.user, feedback=feedback, code=feedback.tracking_code)
    return selectors.by_code(code)


@router.post(
    "/track/{code}/reopen",
    response=write_responses({200: TrackOut}, FOLLOW_UP_CODES),
    url_name="feedback_track_reopen",
    summary="问题没有解决，申请重新办理（凭查询码）",
    description=f"办结后可申请重新办理（最多 {services.MAX_REOPENS} 次），重新计算答复期限。",
    **PUBLIC_WRITE,
)
def feedback_track_reopen(request: HttpRequest, code: Code, payload: ReopenIn) -> Feedback:
    feedback = _follow_up(request, code)
    with refusals():
        services.reopen(
            actor=request.user, feedback=feedback, reason=payload.reason, code=feedback.tracking_code
        )
    return selectors.by_code(code)


@router.get(
    "/mine",
    response=with_errors({200: list[MineOut]}, 401, 422),
    url_name="feedback_mine",
    summary="我的反馈",
)
@paginated
def feedback_mine(request: HttpRequest) -> QuerySet[Feedback]:
    return selectors.my_feedback(user=request.user)


# ---------------------------------------------------------------- staff


@router.get(
    "/items",
    response=with_errors({200: list[StaffListOut]}, 401, 422),
    url_name="feedback_items",
    summary="意见反馈列表（站点工作人员）",
    description="本站点（总站为全部站点）的反馈，最新的在前；不含联系方式。",
)
@paginated
def feedback_items(request: HttpRequest, filters: Query[StaffFilters]) -> QuerySet[Feedback]:
    return selectors.staff_list(
        user=request.user,
        filters=selectors.ListFilters(
            status=filters.status or "",
            kind=filters.kind or "",
            channel=filters.channel or "",
            overdue=filters.overdue,
            mine=filters.mine,
            station=filters.station,
        ),
    )


@router.get(
    "/items/{int:feedback_id}",
    response=with_errors({200: StaffDetailOut}, 401, 404, 422),
    url_name="feedback_item",
    summary="意见反馈详情（站点工作人员）",
    description="含提交人的联系方式和办理记录；其他站点的工作人员 404。",
)
def feedback_item(request: HttpRequest, feedback_id: ObjectId) -> Feedback:
    return _staff_detail(request, selectors.access_feedback(user=request.user, pk=feedback_id, manage=True))


def _moved(request: HttpRequest, feedback: Feedback) -> Feedback:
    return _staff_detail(request, selectors.access_feedback(user=request.user, pk=feedback.pk, manage=True))


@router.post(
    "/items/{int:feedback_id}/assign",
    response=write_responses({200: StaffDetailOut}, ("wrong_state", "assignee")),
    url_name="feedback_assign",
    summary="分派承办人",
)
def feedback_assign(request: HttpRequest, feedback_id: ObjectId, payload: AssignIn) -> Feedback:
    feedback = selectors.access_feedback(user=request.user, pk=feedback_id, manage=True)
    assignee = selectors.handlers_for(feedback=feedback).filter(pk=payload.assignee).first()
    services.assign(actor=request.user, feedback=feedback, assignee=assignee)
    return _moved(request, feedback)


@router.post(
    "/items/{int:feedback_id}/start",
    response=write_responses({200: StaffDetailOut}, ("wrong_state",)),
    url_name="feedback_start",
    summary="开始办理",
)
def feedback_start(request: HttpRequest, feedback_id: ObjectId) -> Feedback:
    feedback = selectors.access_feedback(user=request.user, pk=feedback_id, manage=True)
    services.start(actor=request.user, feedback=feedback)
    return _moved(request, feedback)


@router.post(
    "/items/{int:feedback_id}/reply",
    response=write_responses({200: StaffDetailOut}, MOVE_CODES),
    url_name="feedback_reply",
    summary="答复提交人",
)
def feedback_reply(request: HttpRequest, feedback_id: ObjectId, payload: ReplyIn) -> Feedback:
    feedback = selectors.access_feedback(user=request.user, pk=feedback_id, manage=True)
    services.reply(actor=request.user, feedback=feedback, text=payload.text)
    return _moved(request, feedback)


@router.post(
    "/items/{int:feedback_id}/decide",
    response=write_responses({200: StaffDetailOut}, (*MOVE_CODES, "not_complaint", "comment_required")),
    url_name="feedback_decide",
    summary="投诉认定（有效 / 无效）",
    description="只对投诉；认定为无效投诉须写明理由（`comment_required`）。办结前可修改。",
)
def feedback_decide(request: HttpRequest, feedback_id: ObjectId, payload: DecideIn) -> Feedback:
    feedback = selectors.access_feedback(user=request.user, pk=feedback_id, manage=True)
    services.decide(actor=request.user, feedback=feedback, validity=payload.validity, reason=payload.reason)
    return _moved(request, feedback)


@router.post(
    "/items/{int:feedback_id}/close",
    response=write_responses(
        {200: StaffDetailOut},
        (*MOVE_CODES, "reply_required", "resolution", "undecided", "invalid_complaint"),
    ),
    url_name="feedback_close",
    summary="办结",
    description=(
        "答复后办结为已解决或未解决。投诉须先认定（`undecided`），无效投诉不能办结为已解决（`invalid_complaint`）；"
        "未答复时 `reply_required`。"
    ),
)
def feedback_close(request: HttpRequest, feedback_id: ObjectId, payload: CloseIn) -> Feedback:
    feedback = selectors.access_feedback(user=request.user, pk=feedback_id, manage=True)
    services.close(actor=request.user, feedback=feedback, resolution=payload.resolution, note=payload.note)
    return _moved(request, feedback)
