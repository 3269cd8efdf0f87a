"""JSON API of activities and organisation life (活动邀约 DB3212/T 1124 §6.3; §5.5 registration; §7.3).

- Activities: list (filters: station, type, month, organiser) and detail — the audience sees published
  ones (public activities anonymously), the organisers their drafts too; the detail carries the caller's
  own registration and leave request.
- Registration: register (a free seat, or the waiting list), cancel (until the deadline), accept or
  decline an offered seat (one tap; an offer held `offer_hold_hours`), my registrations, my open offers;
  an activity's registrations for its organisers and the station's guides.
- 请假: a member of an organiser asks leave with a reason; the secretary of their organisation decides.
- Records (台账): the organisers file (or correct) the record of a held activity.
- Compliance (§7.3, 中国共产党支部工作条例（试行）): per organisation and year, every month, quarter and the
  year with each requirement met, missing (with the reason) or still open.

Handlers are thin: `selectors.access_*` fetches and authorises (the same 404 for missing and forbidden,
another station's roles included), one service writes. A refusal keeps the service's machine-readable code
(400), a refusal of the person (not in the audience, not a member of an organiser) answers 403 `forbidden`.
Times are ISO 8601 in Asia/Shanghai (`+08:00`).
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import field_validator, model_validator

from dangjian.accounts.api_auth import PUBLIC_READ
from dangjian.accounts.models import User
from dangjian.activities import checkin, invitations, page_selectors, selectors, services
from dangjian.activities.checkin import CheckInResult
from dangjian.activities.life_rules import SHANGHAI, STATUS_LABELS, Check, PeriodResult
from dangjian.activities.models import (
    SEAT_STATUSES,
    Activity,
    ActivityRecord,
    ActivityType,
    Invitation,
    LeaveRequest,
    Registration,
    RegistrationStatus,
)
from dangjian.core.api_errors import ApiError
from dangjian.core.api_schemas import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    ObjectId,
    PageQuery,
    local,
    paginated,
    text,
    with_errors,
    write_responses,
)
from dangjian.organizations.models import Alliance, PartyOrganization
from dangjian.stations.models import ResidentUnit

router = Router(tags=["活动与组织生活"])

FIRST_YEAR, LAST_YEAR = 2000, 2100

# ---------------------------------------------------------------- documented refusal codes

REGISTER_CODES = ("not_open", "started", "already_registered")
CANCEL_CODES = ("not_live", "cancel_deadline_passed")
ACCEPT_CODES = ("already_registered", "no_offer", "offer_expired")
LEAVE_CODES = ("required", "not_open", "ended", "already_requested", "invalid")
DECIDE_CODES = ("decided", "invalid")
RECORD_CODES = ("required", "not_held", "not_ended", "too_many", "too_long", "entitled_count", "invalid")
INVITE_CODES = ("no_invitee", "invitee", "not_open", "started")
ANSWER_CODES = ("head_count", "not_open", "started")
CHECK_IN_CODES = (
    "nonce",
    "nonce_reused",
    "no_code",
    "invalid_code",
    "wrong_activity",
    "not_registered",
    "not_open",
    "too_early",
    "ended",
    "already_checked_in",
)


def ref(obj: Any) -> dict[str, Any] | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def person_ref(user: Any) -> dict[str, Any] | None:
    return {"id": user.pk, "name": user.display_name} if user is not None else None


# ---------------------------------------------------------------- output shapes


class Ref(Schema):
    id: int
    name: str


ACTIVITY_TYPES = Literal[
    "theme_day",
    "general_meeting",
    "committee_meeting",
    "group_meeting",
    "party_lecture",
    "life_meeting",
    "member_review",
    "joint_building",
    "volunteer",
    "lecture",
    "visit",
    "other",
]
TYPE_HELP = "；".join(f"{value} {label}" for value, label in ActivityType.choices)


class ActivityBriefOut(Schema):
    id: int
    title: str
    activity_type: str
    type_label: str
    station: Ref
    starts_at: datetime
    ends_at: datetime

    @staticmethod
    def resolve_type_label(obj: Activity) -> str:
        return obj.get_activity_type_display()

    @staticmethod
    def resolve_station(obj: Activity) -> dict[str, Any] | None:
        return ref(obj.station)

    @staticmethod
    def resolve_starts_at(obj: Activity) -> datetime | None:
        return local(obj.starts_at)

    @staticmethod
    def resolve_ends_at(obj: Activity) -> datetime | None:
        return local(obj.ends_at)


class ActivityOut(ActivityBriefOut):
    activity_type: str = Field(..., description=TYPE_HELP)
    theme: str = Field(..., description="当月主题")
    organizers: list[Ref] = Field(..., description="主办党组织（联学共建可有多个，牵头的在前）")
    location: str
    capacity: int | None = Field(None, description="名额；null 表示不限")
    seats_taken: int = Field(..., description="已报名和候补名额待确认的人数")
    waiting: int = Field(..., description="候补人数")
    audience: str = Field(
        ...,
        description="organization 本组织党员 / station 本站点人员 / all_stations 全部站点人员 / "
        "public 公开（含周边社区居民）",
    )
    audience_label: str
    counts_for_life: bool = Field(..., description="计入组织生活")
    status: str = Field(..., description="draft 草稿 / published 已发布 / cancelled 已取消 / finished 已结束")
    status_label: str
    cancel_until: datetime = Field(..., description="报名可取消至此时")
    offer_hold_hours: int = Field(..., description="候补名额保留时长（小时）")
    cover: str | None = Field(None, description="封面图地址")

    @staticmethod
    def resolve_organizers(obj: Activity) -> list[dict[str, Any]]:
        return [{"id": o.pk, "name": o.name} for o in obj.organizers.all()]

    @staticmethod
    def resolve_location(obj: Activity) -> str:
        return obj.location_text

    @staticmethod
    def resolve_seats_taken(obj: Activity) -> int:
        return int(getattr(obj, "seats_taken", 0) or 0)

    @staticmethod
    def resolve_waiting(obj: Activity) -> int:
        return int(getattr(obj, "waiting", 0) or 0)

    @staticmethod
    def resolve_audience_label(obj: Activity) -> str:
        return obj.get_audience_display()

    @staticmethod
    def resolve_status_label(obj: Activity) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_cancel_until(obj: Activity) -> datetime | None:
        return local(obj.cancel_until)

    @staticmethod
    def resolve_cover(obj: Activity) -> str | None:
        return obj.cover.url if obj.cover else None


class RegistrationOut(Schema):
    id: int
    activity: ActivityBriefOut
    person: Ref
    status: str = Field(
        ...,
        description="registered 已报名 / waiting 候补中 / offered 候补名额待确认 / cancelled 已取消 / "
        "declined 已放弃候补名额 / expired 候补名额已过期",
    )
    status_label: str
    waiting_position: int | None = Field(None, description="候补第几位（只在详情中给出；1 为下一位）")
    queued_at: datetime | None
    offered_at: datetime | None
    offer_expires_at: datetime | None = Field(None, description="候补名额保留至此时，逾期顺延给下一位")
    confirmed_at: datetime | None
    ended_at: datetime | None

    @staticmethod
    def resolve_person(obj: Registration) -> dict[str, Any] | None:
        return person_ref(obj.person)

    @staticmethod
    def resolve_status_label(obj: Registration) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_waiting_position(obj: Registration) -> int | None:
        return getattr(obj, "position", None)

    @staticmethod
    def resolve_queued_at(obj: Registration) -> datetime | None:
        return local(obj.queued_at)

    @staticmethod
    def resolve_offered_at(obj: Registration) -> datetime | None:
        return local(obj.offered_at)

    @staticmethod
    def resolve_offer_expires_at(obj: Registration) -> datetime | None:
        return local(obj.offer_expires_at)

    @staticmethod
    def resolve_confirmed_at(obj: Registration) -> datetime | None:
        return local(obj.confirmed_at)

    @staticmethod
    def resolve_ended_at(obj: Registration) -> datetime | None:
        return local(obj.ended_at)


class LeaveOut(Schema):
    id: int
    activity: ActivityBriefOut
    person: Ref
    organization: Ref = Field(..., description="请假人所在的主办党组织（由其书记审批）")
    reason: str
    status: str = Field(..., description="pending 待审批 / approved 已批准 / rejected 未批准")
    status_label: str
    decided_by: Ref | None
    decided_at: datetime | None
    decision_note: str
    created_at: datetime

    @staticmethod
    def resolve_person(obj: LeaveRequest) -> dict[str, Any] | None:
        return person_ref(obj.person)

    @staticmethod
    def resolve_organization(obj: LeaveRequest) -> dict[str, Any] | None:
        return ref(obj.organization)

    @staticmethod
    def resolve_status_label(obj: LeaveRequest) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_decided_by(obj: LeaveRequest) -> dict[str, Any] | None:
        return person_ref(obj.decided_by)

    @staticmethod
    def resolve_decided_at(obj: LeaveRequest) -> datetime | None:
        return local(obj.decided_at)

    @staticmethod
    def resolve_created_at(obj: LeaveRequest) -> datetime | None:
        return local(obj.created_at)


class MineOut(Schema):
    registration: RegistrationOut | None = Field(None, description="本人在该活动的报名（最近一次）")
    leave_request: LeaveOut | None = Field(None, description="本人在该活动的请假申请（最近一次）")
    may_register: bool
    may_request_leave: bool = Field(..., description="本人是主办党组织的党员（不能参加须请假）")
    may_manage: bool = Field(..., description="本人可编辑、取消活动和提交台账")


class ActivityDetailOut(ActivityOut):
    description: str = Field(..., description="活动介绍（已净化的 HTML）")
    has_record: bool = Field(..., description="已提交台账")
    cancel_reason: str
    mine: MineOut | None = Field(None, description="登录后：本人的报名、请假和可做的事")

    @staticmethod
    def resolve_has_record(obj: Activity) -> bool:
        return bool(getattr(obj, "has_record", False))

    @staticmethod
    def resolve_mine(obj: Activity) -> dict[str, Any] | None:
        return getattr(obj, "mine", None)


class PhotoOut(Schema):
    id: int
    url: str
    caption: str


class RecordOut(Schema):
    id: int
    activity: ActivityBriefOut
    summary: str = Field(..., description="活动纪要")
    minutes: str = Field(..., description="会议记录（已净化的 HTML）")
    present_count: int = Field(..., description="实到人数（按签到统计，每次提交时更新）")
    entitled_count: int | None = Field(None, description="支部党员大会：应到（有表决权）党员人数")
    entitled_source: str = Field(..., description="roster 按党员名册计算 / typed 书记填报；其他活动为空")
    quorum_met: bool | None = Field(None, description="支部党员大会：实到超过应到半数；其他活动为 null")
    resolutions: list[str] = Field(..., description="会议决议，按序号")
    photos: list[PhotoOut]
    filed_at: datetime
    filed_by: Ref

    @staticmethod
    def resolve_resolutions(obj: ActivityRecord) -> list[str]:
        return [r.text for r in obj.resolutions.all()]

    @staticmethod
    def resolve_photos(obj: ActivityRecord) -> list[dict[str, Any]]:
        return [{"id": p.pk, "url": p.photo.url, "caption": p.caption} for p in obj.photos.all()]

    @staticmethod
    def resolve_filed_at(obj: ActivityRecord) -> datetime | None:
        return local(obj.filed_at)

    @staticmethod
    def resolve_filed_by(obj: ActivityRecord) -> dict[str, Any] | None:
        return person_ref(obj.filed_by)


class QrOut(Schema):
    registration_id: int
    activity: ActivityBriefOut
    status: str
    token: str = Field(..., description="报名二维码的内容：讲解员扫码后以 `token` 提交签到")
    svg: str = Field(..., description="二维码图片（内联 SVG）")
    may_check_in: bool = Field(..., description="已报名（占有名额）的报名才能凭二维码签到")


class AttendanceOut(Schema):
    id: int
    person: Ref
    method: str = Field(
        ..., description="qr 扫描报名二维码 / code 扫描活动签到码 / search 讲解员查找姓名 / sheet 签到表补录"
    )
    method_label: str
    checked_in_at: datetime
    recorded_by: Ref


class CheckInOut(Schema):
    attendance: AttendanceOut
    replayed: bool = Field(..., description="true：同一次扫码的重复上传（`nonce` 相同），只计一次")


STATUS_HELP = "met 已达标 / missing 未达标（期限已过） / open 进行中（尚未达标，期限未到）"


class CheckOut(Schema):
    key: str = Field(
        ..., description="type:<活动类型>、any-recorded（有台账的活动）、theme（当月主题）、plan（年度计划）"
    )
    label: str
    required: int = Field(..., description="至少次数")
    actual: int = Field(..., description="实际次数")
    status: Literal["met", "missing", "open"] = Field(..., description=STATUS_HELP)
    status_label: str
    reason: str = Field(..., description="未达标或进行中时的说明")


class PeriodOut(Schema):
    kind: Literal["month", "quarter", "year"]
    index: int = Field(..., description="月份 1–12、季度 1–4，全年为 1")
    label: str
    start: date
    end: date = Field(..., description="最后一天（含）")
    status: Literal["met", "missing", "open"] = Field(..., description=STATUS_HELP)
    status_label: str
    checks: list[CheckOut]
    missing: list[str] = Field(..., description="未达标的原因")


class ComplianceOut(Schema):
    organization: Ref
    station: Ref
    year: int
    status: Literal["met", "missing", "open"] = Field(..., description=STATUS_HELP)
    status_label: str
    months: list[PeriodOut]
    quarters: list[PeriodOut]
    whole_year: PeriodOut
    reasons: list[str] = Field(..., description="全年所有未达标的原因：按月、季度、全年")


def _check(check: Check) -> dict[str, Any]:
    return {
        "key": check.key,
        "label": check.label,
        "required": check.required,
        "actual": check.actual,
        "status": check.status.value,
        "status_label": STATUS_LABELS[check.status],
        "reason": check.reason,
    }


def _period(period: PeriodResult) -> dict[str, Any]:
    return {
        "kind": period.kind.value,
        "index": period.index,
        "label": period.label,
        "start": period.start,
        "end": period.end,
        "status": period.status.value,
        "status_label": STATUS_LABELS[period.status],
        "checks": [_check(c) for c in period.checks],
        "missing": [c.reason for c in period.missing],
    }


# ---------------------------------------------------------------- input shapes


class ActivityFilters(Schema):
    station: ObjectId | None = Field(None, description="站点")
    type: ACTIVITY_TYPES | None = Field(None, description=f"活动类型：{TYPE_HELP}")
    month: Annotated[str, Field(pattern=r"^(20\d{2}|2100)-(0[1-9]|1[0-2])$")] | None = Field(
        None, description="开始于该月（北京时间），格式 2026-03"
    )
    organization: ObjectId | None = Field(None, description="主办党组织（含共同主办）")
    upcoming: bool = Field(False, description="只列出尚未结束的活动，最近的在前")


class ReasonIn(Schema):
    reason: Annotated[str, text(300, min_length=1)] = Field(..., description="请假事由")


class DecisionIn(Schema):
    approve: bool = Field(..., description="true 批准 / false 不批准")
    note: Annotated[str, text(200)] = Field("", description="审批意见")


class RecordIn(Schema):
    summary: Annotated[str, text(20_000, min_length=1)] = Field(..., description="活动纪要")
    minutes: Annotated[str, text(100_000)] | None = Field(
        None, description="会议记录（HTML）；不填则保留原有的"
    )
    resolutions: list[Annotated[str, text(500)]] | None = Field(
        None, max_length=50, description="会议决议（替换原有的）；不填则保留原有的"
    )
    entitled_count: Annotated[int, Field(ge=1, le=100_000)] | None = Field(
        None, description="支部党员大会：应到（有表决权）党员人数（无党员名册时由书记填报）"
    )


class CheckInIn(Schema):
    nonce: Annotated[str, text(64, min_length=1)] = Field(
        ..., description="每次扫码生成一次的请求标识；重试上传时不变，只计一次"
    )
    token: Annotated[str, text(40, min_length=1)] | None = Field(
        None, description="报名二维码的内容（讲解员、主办方扫码）"
    )
    person: ObjectId | None = Field(None, description="讲解员、主办方查找姓名后为其签到")
    activity_code: Annotated[str, text(40, min_length=1)] | None = Field(
        None, description="活动签到码（参加者本人扫描现场张贴的二维码）"
    )

    @model_validator(mode="after")
    def _one_way(self) -> "CheckInIn":
        given = [v for v in (self.token, self.person, self.activity_code) if v is not None]
        if len(given) != 1:
            raise ValueError("token、person、activity_code 须且只能填写一项")
        return self


class YearQuery(Schema):
    year: int | None = Field(None, description="年度（默认今年，北京时间）")

    @field_validator("year")
    @classmethod
    def _bounded(cls, value: int | None) -> int | None:
        if value is not None and not FIRST_YEAR <= value <= LAST_YEAR:
            raise ValueError(f"年度应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间")
        return value


class RegistrationFilters(Schema):
    status: Literal["registered", "waiting", "offered", "cancelled", "declined", "expired"] | None = None


class LeaveFilters(Schema):
    status: Literal["pending", "approved", "rejected"] | None = None


# ---------------------------------------------------------------- reads of activities


def with_counts(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """Seats taken and people waiting, as two subqueries of the same query (constant for any page)."""

    def counted(statuses: tuple[str, ...]) -> Any:
        rows = (
            Registration.objects.filter(activity=OuterRef("pk"), status__in=statuses)
            .order_by()
            .values("activity")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), 0)

    return activities.annotate(
        seats_taken=counted(tuple(SEAT_STATUSES)), waiting=counted((RegistrationStatus.WAITING,))
    ).prefetch_related("organizers")


def month_bounds(month: str) -> tuple[datetime, datetime]:
    year, number = (int(part) for part in month.split("-"))
    start = datetime(year, number, 1, tzinfo=SHANGHAI)
    end = datetime(year + (number == 12), number % 12 + 1, 1, tzinfo=SHANGHAI)
    return start, end


@router.get(
    "",
    response=with_errors({200: list[ActivityOut]}, 422),
    url_name="activity_list",
    summary="活动列表",
    description=(
        "本人可看的活动：面向本人的已发布活动（未登录只有公开活动），以及本人主办或所在站点管理的活动"
        "（含草稿）。默认最新的在前；`upcoming=true` 只列尚未结束的，最近的在前。"
    ),
    **PUBLIC_READ,
)
@paginated
def activity_list(request: HttpRequest, filters: Query[ActivityFilters]) -> QuerySet[Activity]:
    found = selectors.visible_activities(request.user)
    if filters.station:
        found = found.filter(station_id=filters.station)
    if filters.type:
        found = found.filter(activity_type=filters.type)
    if filters.month:
        start, end = month_bounds(filters.month)
        found = found.filter(starts_at__gte=start, starts_at__lt=end)
    if filters.organization:
        organised = Activity.organizers.through.objects.filter(partyorganization_id=filters.organization)
        found = found.filter(pk__in=organised.values("activity_id"))
    if filters.upcoming:
        found = found.filter(ends_at__gt=timezone.now()).order_by("starts_at", "id")
    return with_counts(found)


def _mine(user: Any, activity: Activity) -> dict[str, Any] | None:
    if not getattr(user, "is_authenticated", False):
        return None
    registration = (
        Registration.objects.filter(activity=activity, person_id=user.pk)
        .select_related("activity__station", "person")
        .order_by("-id")
        .first()
    )
    if registration is not None:
        registration.position = selectors.waiting_position(registration)  # type: ignore[attr-defined]
    leave = (
        LeaveRequest.objects.filter(activity=activity, person_id=user.pk)
        .select_related("activity__station", "person", "organization", "decided_by")
        .order_by("-id")
        .first()
    )
    live = registration is not None and registration.is_live
    return {
        "registration": registration,
        "leave_request": leave,
        "may_register": not live and user.has_perm("activities.register", activity),
        "may_request_leave": user.has_perm("activities.request_leave", activity),
        "may_manage": user.has_perm("activities.manage_activity", activity),
    }


def _detail(user: Any, activity: Activity) -> Activity:
    recorded = ActivityRecord.objects.filter(activity_id=OuterRef("pk"))
    shown = with_counts(Activity.objects.filter(pk=activity.pk).select_related("station"))
    found = shown.annotate(has_record=Exists(recorded)).get()
    found.mine = _mine(user, found)  # type: ignore[attr-defined]
    return found


@router.get(
    "/{int:activity_id}",
    response=with_errors({200: ActivityDetailOut}, 404, 422),
    url_name="activity_detail",
    summary="活动详情（含本人的报名和请假）",
    **PUBLIC_READ,
)
def activity_detail(request: HttpRequest, activity_id: ObjectId) -> Activity:
    activity = selectors.access_activity(user=request.user, pk=activity_id)
    return _detail(request.user, activity)


# ---------------------------------------------------------------- registration


def _registration(user: Any, pk: int) -> Registration:
    """The caller's own registration, or one of an activity they organise (the same 404 otherwise)."""
    try:
        return selectors.access_registration(user=user, pk=pk)
    except Http404:
        return selectors.access_registration(user=user, pk=pk, manage=True)


def _with_position(registration: Registration) -> Registration:
    registration.position = selectors.waiting_position(registration)  # type: ignore[attr-defined]
    return registration


@router.post(
    "/{int:activity_id}/register",
    response=write_responses({201: RegistrationOut}, REGISTER_CODES),
    url_name="activity_register",
    summary="报名参加活动",
    description=(
        "有空余名额时直接报名成功（`registered`），名额已满时进入候补名单（`waiting`，`waiting_position` 为候补"
        "位次）。有人取消时，第一位候补人员获得保留一定时长的名额（`offered`），须在 `offer_expires_at` 前确认。"
        "不在活动的面向对象范围内：403 `forbidden`。"
    ),
)
def activity_register(request: HttpRequest, activity_id: ObjectId) -> Status:
    activity = selectors.access_activity(user=request.user, pk=activity_id)
    registration = services.register(actor=request.user, activity=activity)
    return Status(201, _with_position(selectors.access_registration(user=request.user, pk=registration.pk)))


@router.get(
    "/{int:activity_id}/registrations",
    response=with_errors({200: list[RegistrationOut]}, 401, 404, 422),
    url_name="activity_registrations",
    summary="活动报名名单（主办方、讲解员）",
    description="已报名的在前，然后是候补名额待确认的、候补名单（按先后），最后是已取消、放弃和过期的。",
)
@paginated
def activity_registrations(
    request: HttpRequest, activity_id: ObjectId, filters: Query[RegistrationFilters]
) -> QuerySet[Registration]:
    activity = page_selectors.access_staff_activity(user=request.user, pk=activity_id)
    found = selectors.registrations_of(user=request.user, activity=activity).select_related(
        "activity__station"
    )
    return found.filter(status=filters.status) if filters.status else found


@router.get(
    "/registrations/mine",
    response=with_errors({200: list[RegistrationOut]}, 401, 422),
    url_name="my_activity_registrations",
    summary="我的活动报名",
    description="本人的全部报名（含候补、已取消），活动开始时间最近的在前。",
)
@paginated
def my_registrations(request: HttpRequest, filters: Query[RegistrationFilters]) -> QuerySet[Registration]:
    found = (
        Registration.objects.filter(person_id=request.user.pk)
        .select_related("activity__station", "person")
        .order_by("-activity__starts_at", "-id")
    )
    return found.filter(status=filters.status) if filters.status else found


@router.get(
    "/offers/mine",
    response=with_errors({200: list[RegistrationOut]}, 401, 422),
    url_name="my_activity_offers",
    summary="我的待确认候补名额",
    description="为本人保留、尚未过期的候补名额，最先过期的在前；确认用 `POST /registrations/{id}/accept`。",
)
@paginated
def my_offers(request: HttpRequest) -> QuerySet[Registration]:
    return selectors.open_offers_for(request.user).select_related("activity__station", "person")


@router.get(
    "/registrations/{int:registration_id}",
    response=with_errors({200: RegistrationOut}, 401, 404, 422),
    url_name="activity_registration_detail",
    summary="报名详情（本人或主办方）",
)
def registration_detail(request: HttpRequest, registration_id: ObjectId) -> Registration:
    return _with_position(_registration(request.user, registration_id))


@router.post(
    "/registrations/{int:registration_id}/cancel",
    response=write_responses({200: RegistrationOut}, CANCEL_CODES),
    url_name="activity_registration_cancel",
    summary="取消报名",
    description="本人或主办方在取消截止时间（最晚活动开始）前可取消；空出的名额依次保留给候补人员。",
)
def registration_cancel(request: HttpRequest, registration_id: ObjectId) -> Registration:
    registration = _registration(request.user, registration_id)
    services.registration_cancel(actor=request.user, registration=registration)
    return _registration(request.user, registration.pk)


@router.post(
    "/registrations/{int:registration_id}/accept",
    response=write_responses({200: RegistrationOut}, ACCEPT_CODES),
    url_name="activity_offer_accept",
    summary="确认候补名额（一键）",
    description="在 `offer_expires_at` 前确认为本人保留的名额；过期：400 `offer_expired`（已顺延给下一位）。",
)
def offer_accept(request: HttpRequest, registration_id: ObjectId) -> Registration:
    registration = selectors.access_registration(user=request.user, pk=registration_id)
    services.offer_accept(actor=request.user, registration=registration)
    return selectors.access_registration(user=request.user, pk=registration.pk)


@router.post(
    "/registrations/{int:registration_id}/decline",
    response=write_responses({200: RegistrationOut}, ("no_offer",)),
    url_name="activity_offer_decline",
    summary="放弃候补名额",
    description="名额立即顺延给下一位候补人员。",
)
def offer_decline(request: HttpRequest, registration_id: ObjectId) -> Registration:
    registration = selectors.access_registration(user=request.user, pk=registration_id)
    services.offer_decline(actor=request.user, registration=registration)
    return selectors.access_registration(user=request.user, pk=registration.pk)


# ---------------------------------------------------------------- leave (请假)

LEAVE_RELATED = ("activity__station", "person", "organization", "decided_by")


def _leave(user: Any, pk: int) -> LeaveRequest:
    """The caller's own leave request, or one they decide (the same 404 otherwise)."""
    try:
        return selectors.access_leave_request(user=user, pk=pk)
    except Http404:
        return selectors.access_leave_request(user=user, pk=pk, manage=True)


@router.post(
    "/{int:activity_id}/leave",
    response=write_responses({201: LeaveOut}, LEAVE_CODES),
    url_name="activity_leave_request",
    summary="请假（主办党组织的党员）",
    description="活动结束前提交请假事由，由本人所在党组织的书记审批。不是主办党组织的党员：403 `forbidden`。",
)
def leave_request(request: HttpRequest, activity_id: ObjectId, payload: ReasonIn) -> Status:
    activity = selectors.access_activity(user=request.user, pk=activity_id)
    leave = services.leave_request(actor=request.user, activity=activity, reason=payload.reason)
    return Status(201, selectors.access_leave_request(user=request.user, pk=leave.pk))


@router.get(
    "/leave-requests/mine",
    response=with_errors({200: list[LeaveOut]}, 401, 422),
    url_name="my_leave_requests",
    summary="我的请假申请",
)
@paginated
def my_leave_requests(request: HttpRequest, filters: Query[LeaveFilters]) -> QuerySet[LeaveRequest]:
    found = LeaveRequest.objects.filter(person_id=request.user.pk).select_related(*LEAVE_RELATED)
    return found.filter(status=filters.status) if filters.status else found


@router.get(
    "/leave-requests/pending",
    response=with_errors({200: list[LeaveOut]}, 401, 422),
    url_name="pending_leave_requests",
    summary="待我审批的请假（书记）",
    description="本人任书记的党组织的党员提交、尚未审批的请假申请，最新的在前。",
)
@paginated
def pending_leave_requests(request: HttpRequest) -> QuerySet[LeaveRequest]:
    return selectors.pending_leave_for(request.user).select_related(*LEAVE_RELATED)


@router.get(
    "/leave-requests/{int:leave_id}",
    response=with_errors({200: LeaveOut}, 401, 404, 422),
    url_name="leave_request_detail",
    summary="请假申请详情（本人或审批的书记）",
)
def leave_detail(request: HttpRequest, leave_id: ObjectId) -> LeaveRequest:
    return _leave(request.user, leave_id)


@router.post(
    "/leave-requests/{int:leave_id}/decide",
    response=write_responses({200: LeaveOut}, DECIDE_CODES),
    url_name="leave_request_decide",
    summary="审批请假（书记）",
    description="`approve=true` 批准，`false` 不批准；请假人收到通知。已审批过：400 `decided`。",
)
def leave_decide(request: HttpRequest, leave_id: ObjectId, payload: DecisionIn) -> LeaveRequest:
    leave = selectors.access_leave_request(user=request.user, pk=leave_id, manage=True)
    services.leave_decide(actor=request.user, leave=leave, approve=payload.approve, note=payload.note)
    return selectors.access_leave_request(user=request.user, pk=leave.pk, manage=True)


# ---------------------------------------------------------------- records (台账, §7.3)


def _record_of(activity: Activity) -> ActivityRecord:
    record = (
        ActivityRecord.objects.filter(activity=activity)
        .select_related("activity__station", "filed_by")
        .prefetch_related("resolutions", "photos")
        .first()
    )
    if record is None:
        raise Http404
    return record


@router.get(
    "/{int:activity_id}/record",
    response=with_errors({200: RecordOut}, 401, 404, 422),
    url_name="activity_record",
    summary="活动台账（主办方）",
    description="尚未提交台账：404。",
)
def activity_record(request: HttpRequest, activity_id: ObjectId) -> ActivityRecord:
    activity = selectors.access_activity(user=request.user, pk=activity_id, manage=True)
    return _record_of(activity)


@router.post(
    "/{int:activity_id}/record",
    response=write_responses({200: RecordOut}, RECORD_CODES),
    url_name="activity_record",
    summary="提交或更正活动台账（主办方）",
    description=(
        "活动结束后提交；已发布的活动随之变为已结束。实到人数按签到统计；支部党员大会按党员名册（或书记填报的"
        "`entitled_count`）判断是否超过应到半数。照片在网页上传。活动尚未结束：400 `not_ended`。"
    ),
)
def activity_record_file(request: HttpRequest, activity_id: ObjectId, payload: RecordIn) -> ActivityRecord:
    activity = selectors.access_activity(user=request.user, pk=activity_id, manage=True)
    services.record_file(
        actor=request.user,
        activity=activity,
        summary=payload.summary,
        minutes=payload.minutes,
        resolutions=payload.resolutions,
        entitled_count=payload.entitled_count,
    )
    return _record_of(activity)


# ---------------------------------------------------------------- my QR code and check-in (签到)


@router.get(
    "/registrations/{int:registration_id}/qr",
    response=with_errors({200: QrOut}, 401, 404, 422),
    url_name="activity_registration_qr",
    summary="我的报名二维码",
    description="在手机上出示，讲解员扫码签到；只有本人可看。",
)
def registration_qr(request: HttpRequest, registration_id: ObjectId) -> dict[str, Any]:
    import segno

    registration = selectors.access_registration(user=request.user, pk=registration_id)
    svg = segno.make(registration.token, error="m").svg_inline(scale=4, border=2)
    return {
        "registration_id": registration.pk,
        "activity": registration.activity,
        "status": registration.status,
        "token": registration.token,
        "svg": svg,
        "may_check_in": registration.status == RegistrationStatus.REGISTERED,
    }


def _attendance_of(result: CheckInResult) -> dict[str, Any]:
    attendance = result.attendance
    return {
        "attendance": {
            "id": attendance.pk,
            "person": person_ref(attendance.person),
            "method": attendance.method,
            "method_label": attendance.get_method_display(),
            "checked_in_at": local(attendance.checked_in_at),
            "recorded_by": person_ref(attendance.recorded_by),
        },
        "replayed": result.replayed,
    }


@router.post(
    "/{int:activity_id}/check-in",
    response=write_responses({200: CheckInOut}, CHECK_IN_CODES),
    url_name="activity_check_in",
    summary="活动签到",
    description=(
        "三种方式（只填一项）：讲解员或主办方扫描报名二维码（`token`）或查找姓名（`person`）为他人签到；参加者"
        "本人扫描活动签到码（`activity_code`）。每次扫码带一个 `nonce`，重复上传返回同一签到（`replayed`）。"
        "同一人第二次签到：400 `already_checked_in`；其他活动的二维码：400 `wrong_activity`。活动开始前 1 小时"
        "至结束可签到。"
    ),
)
def activity_check_in(request: HttpRequest, activity_id: ObjectId, payload: CheckInIn) -> dict[str, Any]:
    if payload.activity_code is not None:
        activity = selectors.access_activity(user=request.user, pk=activity_id)
    else:
        activity = page_selectors.access_staff_activity(user=request.user, pk=activity_id)
    person = None
    if payload.person is not None:
        person = User.objects.filter(pk=payload.person, is_active=True).first()
        if person is None:
            raise ApiError(400, "not_registered", "所选人员未报名本活动")
    result = checkin.check_in(
        actor=request.user,
        activity=activity,
        token=payload.token,
        person=person,
        activity_code=payload.activity_code,
        nonce=payload.nonce,
    )
    return _attendance_of(result)


# ---------------------------------------------------------------- invitations (活动邀约, §6.3)


class InviteeOut(Schema):
    kind: str = Field(
        ..., description="organization 党组织 / unit 入驻单位 / alliance 党建联盟 / person 个人"
    )
    id: int
    name: str


class InvitationOut(Schema):
    id: int
    activity: ActivityBriefOut
    kind: str = Field(
        ..., description="organization 党组织 / unit 入驻单位 / alliance 党建联盟 / person 个人"
    )
    kind_label: str
    invitee: InviteeOut
    note: str = Field(..., description="邀请说明")
    status: str = Field(..., description="pending 待答复 / accepted 接受 / declined 婉拒")
    status_label: str
    head_count: int = Field(..., description="接受时的参加人数")
    answer_note: str
    sent_at: datetime
    answered_at: datetime | None
    answered_by: Ref | None

    @staticmethod
    def resolve_kind_label(obj: Invitation) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_invitee(obj: Invitation) -> dict[str, Any]:
        return {"kind": obj.kind, "id": obj.invitee.pk, "name": obj.invitee_name}

    @staticmethod
    def resolve_status_label(obj: Invitation) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_sent_at(obj: Invitation) -> datetime | None:
        return local(obj.sent_at)

    @staticmethod
    def resolve_answered_at(obj: Invitation) -> datetime | None:
        return local(obj.answered_at)

    @staticmethod
    def resolve_answered_by(obj: Invitation) -> dict[str, Any] | None:
        return person_ref(obj.answered_by)


class InvitationCountsOut(Schema):
    invited: int
    accepted: int
    accepted_head_count: int = Field(..., description="接受邀约的参加人数合计")
    declined: int
    silent: int = Field(..., description="尚未答复（每天提醒一次）")


class InvitationPageOut(Schema):
    counts: InvitationCountsOut
    items: list[InvitationOut]
    count: int


Ids = list[ObjectId]


class InviteIn(Schema):
    organizations: Ids = Field([], max_length=200, description="党组织")
    units: Ids = Field([], max_length=200, description="入驻单位")
    alliances: Ids = Field([], max_length=50, description="党建联盟")
    people: Ids = Field([], max_length=200, description="个人（本站点的人员）")
    note: Annotated[str, text(300)] = Field("", description="邀请说明")


class AnswerIn(Schema):
    accept: bool = Field(..., description="true 接受 / false 婉拒")
    head_count: Annotated[int, Field(ge=1, le=10_000)] | None = Field(
        None, description="接受时的参加人数（邀请个人时不填为 1 人）"
    )
    note: Annotated[str, text(300)] = Field("", description="答复说明")


class InvitationFilters(Schema):
    pending: bool = Field(True, description="只列出尚未答复、活动尚未开始的邀约")


INVITATION_RELATED = ("activity__station", "organization", "unit", "alliance", "person", "answered_by")


def _invitees(activity: Activity, payload: InviteIn) -> dict[str, list[Any]]:
    """The invited parties by id: any organisation, resident unit or alliance; people of the activity's
    station. An id that names none of these is refused (`invitee`)."""

    def found(queryset: QuerySet[Any], ids: list[int]) -> list[Any]:
        rows = list(queryset.filter(pk__in=sorted(set(ids))))
        if len(rows) != len(set(ids)):
            raise ApiError(400, "invitee", "所选的邀请对象不存在或不可邀请")
        return rows

    station_people = User.objects.filter(is_active=True).filter(
        Q(home_station_id=activity.station_id) | Q(organization__station_id=activity.station_id)
    )
    return {
        "organizations": found(PartyOrganization.objects.all(), payload.organizations),
        "units": found(ResidentUnit.objects.all(), payload.units),
        "alliances": found(Alliance.objects.all(), payload.alliances),
        "people": found(station_people, payload.people),
    }


@router.post(
    "/{int:activity_id}/invitations",
    response=write_responses({201: list[InvitationOut]}, INVITE_CODES),
    url_name="activity_invitations",
    summary="发出活动邀约（主办方）",
    description=(
        "邀请党组织、入驻单位、党建联盟和本站点的个人；已邀请过的跳过，答复新发出的邀约。受邀方的书记、委员"
        "（或本人）收到通知，未答复的每天提醒一次。"
    ),
)
def activity_invite(request: HttpRequest, activity_id: ObjectId, payload: InviteIn) -> Status:
    activity = selectors.access_activity(user=request.user, pk=activity_id, manage=True)
    made = invitations.invitation_send(
        actor=request.user, activity=activity, note=payload.note, **_invitees(activity, payload)
    )
    rows = Invitation.objects.filter(pk__in=[i.pk for i in made]).select_related(*INVITATION_RELATED)
    return Status(201, list(rows.order_by("kind", "id")))


@router.get(
    "/{int:activity_id}/invitations",
    response=with_errors({200: InvitationPageOut}, 401, 404, 422),
    url_name="activity_invitations",
    summary="活动邀约及答复（主办方）",
    description=(
        "`counts`：邀请数、接受数及人数合计、婉拒数、未答复数；`items` 按 `page`、`page_size` 分页"
        f"（默认 {DEFAULT_PAGE_SIZE} 条，最多 {MAX_PAGE_SIZE} 条）。"
    ),
)
def activity_invitations(
    request: HttpRequest, activity_id: ObjectId, paging: Query[PageQuery]
) -> dict[str, Any]:
    activity = selectors.access_activity(user=request.user, pk=activity_id, manage=True)
    found = selectors.invitations_of(user=request.user, activity=activity).select_related(*INVITATION_RELATED)
    size = min(paging.page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    start = (paging.page - 1) * size
    return {
        "counts": invitations.invitation_counts(activity=activity),
        "items": list(found[start : start + size]),
        "count": found.count(),
    }


@router.get(
    "/invitations/mine",
    response=with_errors({200: list[InvitationOut]}, 401, 422),
    url_name="my_activity_invitations",
    summary="待我答复的活动邀约",
    description="邀请本人的，及邀请本人任书记、委员的党组织（所牵头的联盟、所覆盖的单位）的邀约，活动最近的在前。",
)
@paginated
def my_invitations(request: HttpRequest, filters: Query[InvitationFilters]) -> QuerySet[Invitation]:
    return selectors.invitations_to_answer(user=request.user, pending_only=filters.pending).select_related(
        *INVITATION_RELATED
    )


def _invitation(user: Any, pk: int) -> Invitation:
    """An invitation the caller answers, or one of an activity they organise (the same 404 otherwise)."""
    try:
        return selectors.access_invitation(user=user, pk=pk)
    except Http404:
        return selectors.access_invitation(user=user, pk=pk, manage=True)


@router.get(
    "/invitations/{int:invitation_id}",
    response=with_errors({200: InvitationOut}, 401, 404, 422),
    url_name="activity_invitation_detail",
    summary="活动邀约详情（受邀方或主办方）",
)
def invitation_detail(request: HttpRequest, invitation_id: ObjectId) -> Invitation:
    return _invitation(request.user, invitation_id)


@router.post(
    "/invitations/{int:invitation_id}/answer",
    response=write_responses({200: InvitationOut}, ANSWER_CODES),
    url_name="activity_invitation_answer",
    summary="答复活动邀约",
    description="接受（填写参加人数）或婉拒；活动开始前可改答复。主办方收到通知。",
)
def invitation_answer(request: HttpRequest, invitation_id: ObjectId, payload: AnswerIn) -> Invitation:
    invitation = selectors.access_invitation(user=request.user, pk=invitation_id)
    invitations.invitation_answer(
        actor=request.user,
        invitation=invitation,
        accept=payload.accept,
        head_count=payload.head_count,
        note=payload.note,
    )
    return selectors.access_invitation(user=request.user, pk=invitation.pk)  # as answered


# ---------------------------------------------------------------- compliance (§7.3)


@router.get(
    "/organizations/{int:organization_id}/compliance",
    response=with_errors({200: ComplianceOut}, 401, 404, 422, e400=("no_rule",)),
    url_name="organization_compliance",
    summary="党组织组织生活达标情况",
    description=(
        "按《中国共产党支部工作条例（试行）》和 DB3212/T 1124—2023 §7.3（规则以数据保存，按生效日期选用）："
        "每月、每季度和全年每项要求是否达标，未达标的写明原因；尚未结束的期间为进行中。"
        "本组织书记、委员，所在站点管理员、党务工作者、党建指导员和总站可看。"
    ),
)
def organization_compliance(
    request: HttpRequest, organization_id: ObjectId, query: Query[YearQuery]
) -> dict[str, Any]:
    organization = selectors.access_life_organization(user=request.user, pk=organization_id)
    year = query.year or timezone.localdate().year
    result = selectors.compliance_for(organization=organization, year=year)
    return {
        "organization": {"id": organization.pk, "name": organization.name},
        "station": ref(organization.station),
        "year": year,
        "status": result.status.value,
        "status_label": STATUS_LABELS[result.status],
        "months": [_period(p) for p in result.months],
        "quarters": [_period(p) for p in result.quarters],
        "whole_year": _period(result.whole_year),
        "reasons": result.reasons,
    }
