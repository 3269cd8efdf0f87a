"""JSON API of the stations' offline spaces (阵地, DB3212/T 1124 §6.1, §6.2, §5.4.3, §5.5).

- Venues (一馆三区) and their free/busy times: anyone may read public venues, people signed in every
  active one; free/busy gives times only, never who booked or why.
- Reservations: request (with weekly/monthly repeats), cancel, my bookings; the guide's review queue
  shows each request's conflicting requests and bookings, approve (answers the ids of the pending requests
  it rejected automatically), reject, check in.
- Faults: report (anyone signed in), list, assign, repair. Tours (参观预约): request, list, assign, confirm,
  decline, record the result, cancel.

Handlers are thin: `selectors.access_*` fetches and authorises (the same 404 for missing and forbidden,
another station's staff included), one service writes. A refusal keeps the service's machine-readable
code (`conflict`, `quota`, `past`, `out_of_service`, `audience`…); `conflict` answers 409, `audience` 403,
the others 400. Times are ISO 8601 in Asia/Shanghai (`+08:00`); a time sent without an offset is read as
Asia/Shanghai time.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import field_validator, model_validator

from dangjian.accounts.api_auth import PUBLIC_READ
from dangjian.core.api_errors import ApiError, service_error_code
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
from dangjian.stations import selectors as stations
from dangjian.venues import selectors, services
from dangjian.venues.models import (
    HOLDING_STATUSES,
    EquipmentState,
    FaultReport,
    Reservation,
    ReservationStatus,
    Tour,
    Venue,
)

router = Router(tags=["阵地场所与预约"])

# Times a person can type are bounded before they reach the services (a year 1 or 9999 would overflow the
# conversion to UTC); a free/busy window is at most about three months.
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_BUSY_WINDOW = timedelta(days=93)
DEFAULT_BUSY_WINDOW = timedelta(days=7)
# Refusals answered with their own status (every other refusal: 400 with the service's code).
REFUSAL_STATUS = {"conflict": 409, "audience": 403}

# ---------------------------------------------------------------- documented refusal codes

BOOKING_CODES = (
    "past",
    "order",
    "closed",
    "outside_hours",
    "over_capacity",
    "too_soon",
    "too_far",
    "too_long",
    "recurrence",
    "until",
    "out_of_service",
    "invalid",
)
REVIEW_CODES = ("wrong_state", "out_of_service", "invalid")


@contextmanager
def refusals() -> Iterator[None]:
    """A service's refusal keeps its code; `conflict` becomes 409 and `audience` 403."""
    try:
        yield
    except ValidationError as error:
        code = service_error_code(error)
        status = REFUSAL_STATUS.get(code)
        if status is None:
            raise
        details = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        raise ApiError(status, code, "；".join(dict.fromkeys(error.messages)), details) from None


def person_ref(user: Any) -> dict[str, Any] | None:
    return {"id": user.pk, "name": user.display_name} if user is not None else None


def ref(obj: Any) -> dict[str, Any] | None:
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


# ---------------------------------------------------------------- input types


def _aware(value: datetime) -> datetime:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"时间应在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间")
    return timezone.make_aware(value) if timezone.is_naive(value) else value


class TimeRange(Schema):
    starts_at: datetime = Field(..., description="开始时间（ISO 8601；不带时区时按北京时间）")
    ends_at: datetime = Field(..., description="结束时间，须晚于开始时间")

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _bounded(cls, value: datetime) -> datetime:
        return _aware(value)

    @model_validator(mode="after")
    def _ordered(self) -> "TimeRange":
        if self.ends_at <= self.starts_at:
            raise ValueError("结束时间应晚于开始时间")
        return self


Purpose = Annotated[str, text(200, min_length=1)]
Reason = Annotated[str, text(200)]
HeadCount = Annotated[int, Field(ge=1, le=100_000, description="人数")]


class ReserveIn(TimeRange):
    purpose: Purpose = Field(..., description="用途，如 支部主题党日")
    head_count: HeadCount
    recurrence: Literal["weekly", "monthly"] | None = Field(
        None, description="重复：weekly 每周 / monthly 每月；不填为单次"
    )
    until: date | None = Field(None, description="重复截止日期（含），重复预约时必填")

    @field_validator("until")
    @classmethod
    def _until_bounded(cls, value: date | None) -> date | None:
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValueError(f"日期应在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间")
        return value


class ReasonIn(Schema):
    reason: Reason = Field("", description="原因（讲解员、站点管理员取消他人预约时必填）")


class RequiredReasonIn(Schema):
    reason: Annotated[str, text(200, min_length=1)] = Field(..., description="原因")


class CheckInIn(Schema):
    token: Annotated[str, text(40, min_length=1)] | None = Field(
        None, description="场所二维码中的签到码（预约人本人扫码签到时填写；讲解员签到不填）"
    )


class FaultIn(Schema):
    description: Annotated[str, text(2000, min_length=1)] = Field(..., description="故障描述")
    equipment: ObjectId | None = Field(None, description="出故障的设备（该场所的设备编号）")
    blocks_venue: bool = Field(False, description="场地因此无法使用（暂停预约并提醒已预约的人）")


class AssigneeIn(Schema):
    assignee: ObjectId = Field(..., description="维修人（该场所所在楼宇的党务工作者）")


class RepairIn(Schema):
    note: Annotated[str, text(200, min_length=1)] = Field(..., description="维修情况")


class TourIn(TimeRange):
    group_name: Annotated[str, text(120, min_length=1)] = Field(..., description="参观团体")
    group_kind: Literal["unit", "community", "other"] = Field(
        "unit", description="团体类型：unit 单位 / community 社区 / other 其他"
    )
    contact_name: Annotated[str, text(40, min_length=1)] = Field(..., description="联系人")
    contact_phone: Annotated[str, text(20, min_length=1)] = Field(..., description="联系电话")
    visitor_count: HeadCount
    venue: ObjectId | None = Field(None, description="希望使用的场所（可不填）")


class GuideIn(Schema):
    guide: ObjectId = Field(..., description="讲解员（本站点）")


class VenueChoiceIn(Schema):
    venue: ObjectId = Field(..., description="接待参观使用的场所（本站点）")


class TourResultIn(Schema):
    actual_count: Annotated[int, Field(ge=0, le=100_000)] = Field(..., description="实到人数")
    feedback: Annotated[str, text(2000)] = Field("", description="参观反馈")


# ---------------------------------------------------------------- output shapes


class Ref(Schema):
    id: int
    name: str


class VenueOut(Schema):
    id: int
    name: str
    kind: str = Field(..., description="hall 综合馆 / book_bar 书吧 / salon 沙龙 / lecture 讲堂 / other 其他")
    kind_label: str
    station: Ref
    building: Ref | None
    unit: Ref | None = Field(None, description="场所所属的入驻单位（单位党群服务中心共享，§6.1）")
    capacity: int = Field(..., description="容纳人数")
    floor_label: str
    room: str
    photo: str | None = Field(None, description="照片地址")
    audience: str = Field(
        ..., description="station 本站人员 / surroundings 本站及周边社区 / public 所有注册用户"
    )
    audience_label: str
    needs_approval: bool = Field(..., description="预约须讲解员审核")
    out_of_service: bool = Field(..., description="因故障暂停使用")
    out_of_service_reason: str

    @staticmethod
    def resolve_kind_label(obj: Venue) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_audience_label(obj: Venue) -> str:
        return obj.get_audience_display()

    @staticmethod
    def resolve_station(obj: Venue) -> dict[str, Any] | None:
        return ref(obj.station)

    @staticmethod
    def resolve_building(obj: Venue) -> dict[str, Any] | None:
        return ref(obj.building)

    @staticmethod
    def resolve_unit(obj: Venue) -> dict[str, Any] | None:
        return ref(obj.unit)


class PolicyOut(Schema):
    min_advance_minutes: int = Field(..., description="最少提前（分钟）")
    max_advance_days: int = Field(..., description="最多提前（天）")
    max_duration_minutes: int = Field(..., description="单次最长（分钟）")
    monthly_quota: int = Field(..., description="每人每月预约次数上限，0 为不限（未到场也计入）")


class HoursOut(Schema):
    weekday: int = Field(..., description="0 星期一 … 6 星期日；未列出的日子不开放")
    weekday_label: str
    opens: str = Field(..., description="开放时间 HH:MM")
    closes: str = Field(..., description="关闭时间 HH:MM")


class EquipmentOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    quantity: int
    state: str = Field(..., description="good 完好 / faulty 故障 / retired 报废")
    state_label: str


class ClosedDayOut(Schema):
    date: date
    reason: str
    whole_station: bool = Field(..., description="全站闭馆（否则仅本场所）")


class VenueDetailOut(VenueOut):
    description: str
    location_label: str
    policy: PolicyOut
    opening_hours: list[HoursOut]
    closed_days: list[ClosedDayOut] = Field(..., description="今天起 60 天内的闭馆日")
    equipment: list[EquipmentOut]

    @staticmethod
    def resolve_policy(obj: Venue) -> Venue:
        return obj

    @staticmethod
    def resolve_opening_hours(obj: Venue) -> list[dict[str, Any]]:
        return [
            {
                "weekday": h.weekday,
                "weekday_label": h.get_weekday_display(),
                "opens": f"{h.opens:%H:%M}",
                "closes": f"{h.closes:%H:%M}",
            }
            for h in obj.hours.order_by("weekday")
        ]

    @staticmethod
    def resolve_closed_days(obj: Venue) -> list[dict[str, Any]]:
        today = timezone.localdate()
        closed = selectors.closed_days_of(venue=obj, since=today).filter(date__lte=today + timedelta(days=60))
        return [{"date": c.date, "reason": c.reason, "whole_station": c.venue_id is None} for c in closed]

    @staticmethod
    def resolve_equipment(obj: Venue) -> list[dict[str, Any]]:
        return [
            {
                "id": e.pk,
                "kind": e.kind,
                "kind_label": e.get_kind_display(),
                "name": e.name,
                "quantity": e.quantity,
                "state": e.state,
                "state_label": e.get_state_display(),
            }
            for e in obj.equipment.exclude(state=EquipmentState.RETIRED).order_by("kind", "name", "id")
        ]


class BusySlotOut(Schema):
    starts_at: datetime
    ends_at: datetime
    tentative: bool = Field(..., description="true：待审核的申请（尚未占用）")


class BusyOut(Schema):
    venue_id: int
    start: datetime
    end: datetime
    busy: list[BusySlotOut] = Field(..., description="只有时间，不含预约人和用途")


class ReservationOut(Schema):
    id: int
    venue: Ref
    station: Ref
    holder: Ref
    purpose: str
    head_count: int
    starts_at: datetime
    ends_at: datetime
    time_label: str
    status: str = Field(
        ...,
        description="pending 待审核 / approved 已通过 / rejected 未通过 / cancelled 已取消 / no_show 未到场 / "
        "checked_in 已签到",
    )
    status_label: str
    series_id: int | None = Field(None, description="同一周期预约的各次预约 series_id 相同")
    decided_at: datetime | None
    decision_reason: str
    checked_in_at: datetime | None
    released_at: datetime | None = Field(None, description="未到场释放的时间")

    @staticmethod
    def resolve_venue(obj: Reservation) -> dict[str, Any] | None:
        return ref(obj.venue)

    @staticmethod
    def resolve_station(obj: Reservation) -> dict[str, Any] | None:
        return ref(obj.station)

    @staticmethod
    def resolve_holder(obj: Reservation) -> dict[str, Any] | None:
        return person_ref(obj.holder)

    @staticmethod
    def resolve_status_label(obj: Reservation) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_starts_at(obj: Reservation) -> datetime | None:
        return local(obj.starts_at)

    @staticmethod
    def resolve_ends_at(obj: Reservation) -> datetime | None:
        return local(obj.ends_at)

    @staticmethod
    def resolve_decided_at(obj: Reservation) -> datetime | None:
        return local(obj.decided_at)

    @staticmethod
    def resolve_checked_in_at(obj: Reservation) -> datetime | None:
        return local(obj.checked_in_at)

    @staticmethod
    def resolve_released_at(obj: Reservation) -> datetime | None:
        return local(obj.released_at)


class ConflictOut(Schema):
    id: int
    holder: Ref
    purpose: str
    starts_at: datetime
    ends_at: datetime
    status: str
    status_label: str

    @staticmethod
    def resolve_holder(obj: Reservation) -> dict[str, Any] | None:
        return person_ref(obj.holder)

    @staticmethod
    def resolve_status_label(obj: Reservation) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_starts_at(obj: Reservation) -> datetime | None:
        return local(obj.starts_at)

    @staticmethod
    def resolve_ends_at(obj: Reservation) -> datetime | None:
        return local(obj.ends_at)


class ReviewItemOut(ReservationOut):
    conflicts: list[ConflictOut] = Field(..., description="与之时间重叠的待审核申请和已通过的预约")

    @staticmethod
    def resolve_conflicts(obj: Reservation) -> list[Reservation]:
        return getattr(obj, "conflicts", [])


class ReviewPageOut(Schema):
    items: list[ReviewItemOut]
    count: int


class ApprovalOut(Schema):
    reservation: ReservationOut
    auto_rejected: list[int] = Field(..., description="因与之冲突而被自动驳回的待审核申请")


class FaultOut(Schema):
    id: int
    station: Ref
    venue: Ref
    equipment: Ref | None
    reporter: Ref
    description: str
    photo: str | None = Field(None, description="照片地址")
    blocks_venue: bool = Field(..., description="场地无法使用")
    status: str = Field(..., description="open 待处理 / assigned 维修中 / repaired 已修复")
    status_label: str
    assignee: Ref | None
    reported_at: datetime
    assigned_at: datetime | None
    repaired_at: datetime | None
    repair_note: str

    @staticmethod
    def resolve_station(obj: FaultReport) -> dict[str, Any] | None:
        return ref(obj.station)

    @staticmethod
    def resolve_venue(obj: FaultReport) -> dict[str, Any] | None:
        return ref(obj.venue)

    @staticmethod
    def resolve_equipment(obj: FaultReport) -> dict[str, Any] | None:
        return ref(obj.equipment)

    @staticmethod
    def resolve_reporter(obj: FaultReport) -> dict[str, Any] | None:
        return person_ref(obj.reporter)

    @staticmethod
    def resolve_assignee(obj: FaultReport) -> dict[str, Any] | None:
        return person_ref(obj.assignee)

    @staticmethod
    def resolve_status_label(obj: FaultReport) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_reported_at(obj: FaultReport) -> datetime | None:
        return local(obj.reported_at)

    @staticmethod
    def resolve_assigned_at(obj: FaultReport) -> datetime | None:
        return local(obj.assigned_at)

    @staticmethod
    def resolve_repaired_at(obj: FaultReport) -> datetime | None:
        return local(obj.repaired_at)


class TourOut(Schema):
    id: int
    station: Ref
    group_name: str
    group_kind: str = Field(..., description="unit 单位 / community 社区 / other 其他")
    group_kind_label: str
    contact_name: str = Field(..., description="仅申请人和站点工作人员可见（列表只含这些人可见的参观）")
    contact_phone: str
    visitor_count: int
    starts_at: datetime
    ends_at: datetime
    venue: Ref | None
    reservation_id: int | None = Field(None, description="参观使用的场所预约")
    requested_by: Ref
    guide: Ref | None
    status: str = Field(
        ...,
        description="requested 待确认 / confirmed 已确认 / declined 已婉拒 / done 已完成 / cancelled 已取消",
    )
    status_label: str
    actual_count: int | None
    feedback: str
    decision_reason: str

    @staticmethod
    def resolve_station(obj: Tour) -> dict[str, Any] | None:
        return ref(obj.station)

    @staticmethod
    def resolve_group_kind_label(obj: Tour) -> str:
        return obj.get_group_kind_display()

    @staticmethod
    def resolve_venue(obj: Tour) -> dict[str, Any] | None:
        return ref(obj.venue)

    @staticmethod
    def resolve_requested_by(obj: Tour) -> dict[str, Any] | None:
        return person_ref(obj.requested_by)

    @staticmethod
    def resolve_guide(obj: Tour) -> dict[str, Any] | None:
        return person_ref(obj.guide)

    @staticmethod
    def resolve_status_label(obj: Tour) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_starts_at(obj: Tour) -> datetime | None:
        return local(obj.starts_at)

    @staticmethod
    def resolve_ends_at(obj: Tour) -> datetime | None:
        return local(obj.ends_at)


# ---------------------------------------------------------------- venues


class VenueFilters(Schema):
    station: ObjectId | None = Field(None, description="站点")
    kind: Literal["hall", "book_bar", "salon", "lecture", "other"] | None = Field(None, description="类型")
    bookable: bool = Field(False, description="只列出本人现在可以预约的场所")


@router.get(
    "",
    response=list[VenueOut],
    url_name="venue_list",
    summary="场所列表（一馆三区）",
    description="未登录可看面向所有注册用户开放的场所，登录后可看全部启用的场所；`bookable=true` 只列本人可预约的。",
    **PUBLIC_READ,
)
@paginated
def venue_list(request: HttpRequest, filters: Query[VenueFilters]) -> QuerySet[Venue]:
    station = None
    if filters.station:
        station = stations.access_station(user=request.user, pk=filters.station)
    if filters.bookable:
        venues = selectors.bookable_venues(user=request.user, station=station)
    else:
        venues = selectors.venues_for(user=request.user, station=station)
    return venues.filter(kind=filters.kind) if filters.kind else venues


@router.get(
    "/{int:venue_id}",
    response=with_errors({200: VenueDetailOut}, 404, 422),
    url_name="venue_detail",
    summary="场所详情（开放时间、闭馆日、预约规则、设备）",
    **PUBLIC_READ,
)
def venue_detail(request: HttpRequest, venue_id: ObjectId) -> Venue:
    return selectors.access_venue(user=request.user, pk=venue_id)


class BusyQuery(Schema):
    start: datetime | None = Field(None, description="起（默认现在）")
    end: datetime | None = Field(None, description="止（默认起后 7 天；最多 93 天）")

    @field_validator("start", "end")
    @classmethod
    def _bounded(cls, value: datetime | None) -> datetime | None:
        return _aware(value) if value is not None else None


@router.get(
    "/{int:venue_id}/busy",
    response=with_errors({200: BusyOut}, 404, 422, e403=("audience",)),
    url_name="venue_busy",
    summary="场所占用时段（只有时间）",
    description=(
        "已通过、已签到的预约和待审核的申请（`tentative`）的时间段，不含预约人和用途。"
        "可预约该场所的人、站点工作人员可看；公开场所任何人可看。"
    ),
    **PUBLIC_READ,
)
def venue_busy(request: HttpRequest, venue_id: ObjectId, window: Query[BusyQuery]) -> dict[str, Any]:
    venue = selectors.access_venue(user=request.user, pk=venue_id)
    if not request.user.has_perm("venues.view_busy", venue):
        raise ApiError(403, "audience", "您不在该场所的可预约范围内，不能查看占用时段")
    start = window.start or timezone.now()
    end = window.end or start + DEFAULT_BUSY_WINDOW
    if end <= start or end - start > MAX_BUSY_WINDOW:
        raise ApiError(422, "invalid", "查询时段应为结束晚于开始、不超过 93 天")
    slots = selectors.busy_slots(venue=venue, start=start, end=end)
    return {
        "venue_id": venue.pk,
        "start": local(start),
        "end": local(end),
        "busy": [
            {"starts_at": local(s.starts_at), "ends_at": local(s.ends_at), "tentative": s.tentative}
            for s in slots
        ],
    }


# ---------------------------------------------------------------- reservations


@router.post(
    "/{int:venue_id}/reservations",
    response=write_responses(
        {201: list[ReservationOut]},
        (*BOOKING_CODES, "quota"),
        e403=("audience", "forbidden"),
        e409=("conflict",),
    ),
    url_name="venue_reserve",
    summary="预约场所",
    description=(
        "申请 [starts_at, ends_at) 时段；`recurrence`（weekly/monthly）与 `until` 一起时按周或按月重复，"
        "每一次都检查，任何一次不能安排时整体拒绝并写明是哪一天。须审核的场所为待审核，否则直接通过。"
        "时间冲突：409 `conflict`；不在可预约范围内：403 `audience`；其他拒绝 400，代码见下。"
    ),
)
def venue_reserve(request: HttpRequest, venue_id: ObjectId, payload: ReserveIn) -> Status:
    venue = selectors.access_venue(user=request.user, pk=venue_id)
    with refusals():
        made = services.reservation_request(
            actor=request.user,
            venue=venue,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            purpose=payload.purpose,
            head_count=payload.head_count,
            recurrence=payload.recurrence,
            until=payload.until,
        )
    made_ids = [r.pk for r in made]
    return Status(
        201, list(selectors.my_reservations(user=request.user).filter(pk__in=made_ids).order_by("starts_at"))
    )


class MyReservationFilters(Schema):
    status: Literal["pending", "approved", "rejected", "cancelled", "no_show", "checked_in"] | None = None
    upcoming: bool = Field(False, description="只列出尚未结束的待审核和已通过的预约，最近的在前")


@router.get(
    "/reservations/mine",
    response=list[ReservationOut],
    url_name="my_reservations",
    summary="我的场所预约",
)
@paginated
def my_reservations(request: HttpRequest, filters: Query[MyReservationFilters]) -> QuerySet[Reservation]:
    if filters.upcoming:
        found = selectors.upcoming_reservations(user=request.user)
    else:
        found = selectors.my_reservations(user=request.user)
    return found.filter(status=filters.status) if filters.status else found


@router.get(
    "/reservations/{int:reservation_id}",
    response=with_errors({200: ReviewItemOut}, 401, 404, 422),
    url_name="reservation_detail",
    summary="预约详情",
    description="预约人本人和该站点工作人员可看；`conflicts` 只对可审核的人列出，其他人为空。",
)
def reservation_detail(request: HttpRequest, reservation_id: ObjectId) -> Reservation:
    reservation = selectors.access_reservation(user=request.user, pk=reservation_id)
    reviewer = request.user.has_perm("venues.review_reservation", reservation)
    conflicts = selectors.conflicts_of(reservation=reservation) if reviewer else []
    return _review_item(reservation, conflicts)


def _review_item(reservation: Reservation, conflicts: list[Reservation]) -> Reservation:
    reservation.conflicts = conflicts  # type: ignore[attr-defined]
    return reservation


@router.get(
    "/reservations/review-queue",
    response=with_errors({200: ReviewPageOut}, 401, 422),
    url_name="reservation_review_queue",
    summary="待我审核的场所预约（讲解员）",
    description=(
        "本站点（总站为全部站点）尚未结束的待审核申请，最近的在前；每条附与之时间重叠的待审核申请和已通过的预约。"
        f"按 `page`、`page_size` 分页（默认 {DEFAULT_PAGE_SIZE} 条，最多 {MAX_PAGE_SIZE} 条）。"
    ),
)
def review_queue(request: HttpRequest, paging: Query[PageQuery]) -> dict[str, Any]:
    queue = selectors.review_queue(user=request.user)
    size = min(paging.page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    start = (paging.page - 1) * size
    page = list(queue[start : start + size])
    conflicts = _conflicts_of_page(page)
    return {
        "items": [_review_item(r, conflicts[r.pk]) for r in page],
        "count": queue.count(),
    }


def _conflicts_of_page(page: list[Reservation]) -> dict[int, list[Reservation]]:
    """`selectors.conflicts_of` for a whole page in one query: the pending and holding bookings of the
    page's venues within its time span, matched to each request."""
    found: dict[int, list[Reservation]] = {r.pk: [] for r in page}
    if not page:
        return found
    candidates = list(
        Reservation.objects.filter(
            venue_id__in={r.venue_id for r in page},
            status__in=(ReservationStatus.PENDING, *HOLDING_STATUSES),
            starts_at__lt=max(r.ends_at for r in page),
            ends_at__gt=min(r.starts_at for r in page),
        )
        .select_related("holder")
        .order_by("starts_at", "id")
    )
    for reservation in page:
        found[reservation.pk] = [
            other
            for other in candidates
            if other.pk != reservation.pk
            and other.venue_id == reservation.venue_id
            and other.starts_at < reservation.ends_at
            and other.ends_at > reservation.starts_at
        ]
    return found


@router.post(
    "/reservations/{int:reservation_id}/approve",
    response=write_responses({200: ApprovalOut}, REVIEW_CODES, e409=("conflict",)),
    url_name="reservation_approve",
    summary="通过预约（讲解员）",
    description=(
        "通过后，与之时间重叠的待审核申请自动驳回（理由写明与哪一预约冲突），`auto_rejected` 列出它们。"
        "与已通过的预约冲突：409 `conflict`（并发审核时数据库保证同一场所已通过的预约不重叠）。"
    ),
)
def reservation_approve(request: HttpRequest, reservation_id: ObjectId) -> dict[str, Any]:
    reservation = selectors.access_reservation(user=request.user, pk=reservation_id, manage=True)
    with refusals():
        result = services.reservation_approve(actor=request.user, reservation=reservation)
    return {
        "reservation": selectors.access_reservation(user=request.user, pk=result.reservation.pk),
        "auto_rejected": [r.pk for r in result.auto_rejected],
    }


@router.post(
    "/reservations/{int:reservation_id}/reject",
    response=write_responses({200: ReservationOut}, ("wrong_state", "invalid", "invalid_body")),
    url_name="reservation_reject",
    summary="不通过预约（讲解员，须填写理由）",
)
def reservation_reject(
    request: HttpRequest, reservation_id: ObjectId, payload: RequiredReasonIn
) -> Reservation:
    reservation = selectors.access_reservation(user=request.user, pk=reservation_id, manage=True)
    with refusals():
        services.reservation_reject(actor=request.user, reservation=reservation, reason=payload.reason)
    return selectors.access_reservation(user=request.user, pk=reservation.pk)


@router.post(
    "/reservations/{int:reservation_id}/cancel",
    response=write_responses({200: ReservationOut}, ("wrong_state", "started", "invalid", "invalid_body")),
    url_name="reservation_cancel",
    summary="取消预约",
    description="预约人本人在开始前可取消；讲解员、站点管理员也可取消，须填写原因（会通知预约人）。",
)
def reservation_cancel(
    request: HttpRequest, reservation_id: ObjectId, payload: ReasonIn | None = None
) -> Reservation:
    reservation = selectors.access_reservation(user=request.user, pk=reservation_id)
    with refusals():
        services.reservation_cancel(
            actor=request.user, reservation=reservation, reason=payload.reason if payload else ""
        )
    return selectors.access_reservation(user=request.user, pk=reservation.pk)


@router.post(
    "/reservations/{int:reservation_id}/check-in",
    response=write_responses({200: ReservationOut}, ("wrong_state", "not_now", "token", "invalid_body")),
    url_name="reservation_check_in",
    summary="预约签到",
    description=(
        "讲解员为已通过的预约签到（不填 `token`）；预约人本人扫描场所二维码签到时填写 `token`。"
        "须在开始前 15 分钟至结束前；开始 30 分钟后仍未签到的预约自动释放（未到场）。"
    ),
)
def reservation_check_in(
    request: HttpRequest, reservation_id: ObjectId, payload: CheckInIn | None = None
) -> Reservation:
    reservation = selectors.access_reservation(user=request.user, pk=reservation_id)
    token = payload.token if payload else None
    with refusals():
        services.reservation_check_in(actor=request.user, reservation=reservation, token=token)
    return selectors.access_reservation(user=request.user, pk=reservation.pk)


# ---------------------------------------------------------------- faults


@router.post(
    "/{int:venue_id}/faults",
    response=write_responses({201: FaultOut}, ("wrong_venue", "invalid", "invalid_body")),
    url_name="venue_fault_report",
    summary="故障报修",
    description="登录后任何人可报修；`blocks_venue=true`（场地无法使用）时场所暂停预约，并提醒已预约的人。",
)
def venue_fault_report(request: HttpRequest, venue_id: ObjectId, payload: FaultIn) -> Status:
    venue = selectors.access_venue(user=request.user, pk=venue_id)
    equipment = None
    if payload.equipment is not None:
        equipment = venue.equipment.filter(pk=payload.equipment).first()
        if equipment is None:
            raise ApiError(400, "wrong_venue", "该设备不属于此场所")
    with refusals():
        fault = services.fault_report(
            actor=request.user,
            venue=venue,
            description=payload.description,
            equipment=equipment,
            blocks_venue=payload.blocks_venue,
        )
    return Status(201, selectors.access_fault(user=request.user, pk=fault.pk))


class FaultFilters(Schema):
    status: Literal["open", "assigned", "repaired"] | None = None


@router.get(
    "/faults",
    response=list[FaultOut],
    url_name="fault_list",
    summary="报修列表",
    description="本人报修的，以及所维护楼宇（党务工作者）、所在站点（站点管理员、讲解员）的报修，最新的在前。",
)
@paginated
def fault_list(request: HttpRequest, filters: Query[FaultFilters]) -> QuerySet[FaultReport]:
    faults = selectors.faults_for(user=request.user)
    return faults.filter(status=filters.status) if filters.status else faults


@router.get(
    "/faults/{int:fault_id}",
    response=write_responses({200: FaultOut}, ("wrong_state", "invalid", "invalid_body")),
    url_name="fault_detail",
    summary="报修详情",
)
def fault_detail(request: HttpRequest, fault_id: ObjectId) -> FaultReport:
    return selectors.access_fault(user=request.user, pk=fault_id)


@router.post(
    "/faults/{int:fault_id}/assign",
    response=with_errors({200: FaultOut}, 400, 401, 403, 404, 422),
    url_name="fault_assign",
    summary="报修派单（指定维修的党务工作者）",
)
def fault_assign(request: HttpRequest, fault_id: ObjectId, payload: AssigneeIn) -> FaultReport:
    fault = selectors.access_fault(user=request.user, pk=fault_id, manage=True)
    assignee = selectors.maintainers_for(fault=fault).filter(pk=payload.assignee).first()
    with refusals():
        services.fault_assign(actor=request.user, fault=fault, assignee=assignee)  # type: ignore[arg-type]
    return selectors.access_fault(user=request.user, pk=fault.pk)


@router.post(
    "/faults/{int:fault_id}/repair",
    response=write_responses({200: FaultOut}, ("wrong_state", "invalid", "invalid_body")),
    url_name="fault_repair",
    summary="报修已修复（填写维修情况）",
    description="场所最后一个“场地无法使用”的报修修复后，场所恢复预约。",
)
def fault_repair(request: HttpRequest, fault_id: ObjectId, payload: RepairIn) -> FaultReport:
    fault = selectors.access_fault(user=request.user, pk=fault_id, manage=True)
    with refusals():
        services.fault_repair(actor=request.user, fault=fault, note=payload.note)
    return selectors.access_fault(user=request.user, pk=fault.pk)


# ---------------------------------------------------------------- tours (参观预约, §5.4.3)


@router.post(
    "/stations/{int:station_id}/tours",
    response=write_responses({201: TourOut}, ("past", "order", "required", "wrong_station", "invalid")),
    url_name="tour_request",
    summary="申请参观站点",
    description="单位、社区等团体申请参观；站点讲解员确认后安排场所并接待。",
)
def tour_request(request: HttpRequest, station_id: ObjectId, payload: TourIn) -> Status:
    station = stations.access_station(user=request.user, pk=station_id)
    venue = selectors.access_venue(user=request.user, pk=payload.venue) if payload.venue else None
    with refusals():
        tour = services.tour_request(
            actor=request.user,
            station=station,
            group_name=payload.group_name,
            group_kind=payload.group_kind,
            contact_name=payload.contact_name,
            contact_phone=payload.contact_phone,
            visitor_count=payload.visitor_count,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            venue=venue,
        )
    return Status(201, selectors.access_tour(user=request.user, pk=tour.pk))


class TourFilters(Schema):
    status: Literal["requested", "confirmed", "declined", "done", "cancelled"] | None = None


@router.get(
    "/tours",
    response=list[TourOut],
    url_name="tour_list",
    summary="参观预约列表",
    description="本人申请或接待的参观，以及所在站点（站点工作人员）的全部参观，最新的在前。",
)
@paginated
def tour_list(request: HttpRequest, filters: Query[TourFilters]) -> QuerySet[Tour]:
    tours = selectors.tours_for(user=request.user)
    return tours.filter(status=filters.status) if filters.status else tours


@router.get(
    "/tours/{int:tour_id}",
    response=write_responses({200: TourOut}, ("wrong_state", "invalid", "invalid_body")),
    url_name="tour_detail",
    summary="参观预约详情",
)
def tour_detail(request: HttpRequest, tour_id: ObjectId) -> Tour:
    return selectors.access_tour(user=request.user, pk=tour_id)


@router.post(
    "/tours/{int:tour_id}/assign",
    response=with_errors({200: TourOut}, 400, 401, 403, 404, 422),
    url_name="tour_assign",
    summary="指派讲解员",
)
def tour_assign(request: HttpRequest, tour_id: ObjectId, payload: GuideIn) -> Tour:
    tour = selectors.access_tour(user=request.user, pk=tour_id, manage=True)
    guide = selectors.guides_for(station=tour.station).filter(pk=payload.guide).first()
    with refusals():
        services.tour_assign(actor=request.user, tour=tour, guide=guide)  # type: ignore[arg-type]
    return selectors.access_tour(user=request.user, pk=tour.pk)


@router.post(
    "/tours/{int:tour_id}/confirm",
    response=write_responses(
        {200: TourOut},
        ("wrong_state", "out_of_service", "over_capacity", "wrong_station", "invalid_body"),
        e409=("conflict",),
    ),
    url_name="tour_confirm",
    summary="确认参观并预约场所",
    description="为参观预约所选场所（直接通过，与其他预约同样不重叠）；时间冲突：409 `conflict`。",
)
def tour_confirm(request: HttpRequest, tour_id: ObjectId, payload: VenueChoiceIn) -> Tour:
    tour = selectors.access_tour(user=request.user, pk=tour_id, manage=True)
    venue = selectors.access_venue(user=request.user, pk=payload.venue, manage=True)
    with refusals():
        services.tour_confirm(actor=request.user, tour=tour, venue=venue)
    return selectors.access_tour(user=request.user, pk=tour.pk)


@router.post(
    "/tours/{int:tour_id}/decline",
    response=write_responses({200: TourOut}, ("wrong_state", "invalid", "invalid_body")),
    url_name="tour_decline",
    summary="婉拒参观（须填写原因）",
)
def tour_decline(request: HttpRequest, tour_id: ObjectId, payload: RequiredReasonIn) -> Tour:
    tour = selectors.access_tour(user=request.user, pk=tour_id, manage=True)
    with refusals():
        services.tour_decline(actor=request.user, tour=tour, reason=payload.reason)
    return selectors.access_tour(user=request.user, pk=tour.pk)


@router.post(
    "/tours/{int:tour_id}/record",
    response=write_responses({200: TourOut}, ("wrong_state", "not_yet", "invalid", "invalid_body")),
    url_name="tour_record",
    summary="登记参观结果（实到人数、反馈）",
)
def tour_record(request: HttpRequest, tour_id: ObjectId, payload: TourResultIn) -> Tour:
    tour = selectors.access_tour(user=request.user, pk=tour_id, manage=True)
    with refusals():
        services.tour_record(
            actor=request.user, tour=tour, actual_count=payload.actual_count, feedback=payload.feedback
        )
    return selectors.access_tour(user=request.user, pk=tour.pk)


@router.post(
    "/tours/{int:tour_id}/cancel",
    response=write_responses({200: TourOut}, ("wrong_state", "invalid_body")),
    url_name="tour_cancel",
    summary="取消参观",
    description="申请人本人，或该站点的讲解员、站点管理员可取消；已预约的场所一并释放。",
)
def tour_cancel(request: HttpRequest, tour_id: ObjectId) -> Tour:
    tour = selectors.access_tour(user=request.user, pk=tour_id)
    with refusals():
        services.tour_cancel(actor=request.user, tour=tour)
    return selectors.access_tour(user=request.user, pk=tour.pk)
