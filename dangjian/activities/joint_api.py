"""JSON API of joint meetings (联席会议, DB3212/T 1124 §7.4), under `/api/v1/activities/joint-meetings`.

- Meetings: the year's list (with the year's §7.4 status: 1–2 a year), detail with the invited
  organisations, attendance, minutes and decisions; the supervising unit (platform admins, the HQ
  station's admins) plans or changes a meeting, records it as held (attendance and minutes) or cancels it.
- Decisions (议定事项): the convener adds or changes one with its owner and due date; the open ones are
  listed until done; the owner (or the convener) reports progress.

Handlers are thin: joint.py's `access_*` fetches and authorises (the same 404 for missing and forbidden),
one service writes and keeps its machine-readable refusal code (400). Times are ISO 8601 in
Asia/Shanghai (`+08:00`); a time without an offset is read as Beijing time.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import PlainSerializer, field_validator

from dangjian.accounts.models import User
from dangjian.activities import joint, permissions
from dangjian.activities.models import DecisionStatus, JointDecision, JointMeeting
from dangjian.core.api_errors import ApiError
from dangjian.core.api_schemas import ObjectId, local, paginated, text, with_errors, write_responses
from dangjian.organizations.models import PartyOrganization

router = Router(tags=["联席会议"])

FIRST_YEAR, LAST_YEAR = 2000, 2100
CONVENE = "activities.convene_joint_meeting"

SAVE_CODES = ("required", "invitee", "not_editable", "no_hq")
RECORD_CODES = ("required", "not_held", "cancelled", "not_invited", "representative")
CANCEL_CODES = ("required", "not_planned")
DECISION_CODES = ("required", "owner", "cancelled", "wrong_meeting")
FOLLOW_UP_CODES = ("status", "already_done")
STATUS_HELP = "planned 计划召开 / held 已召开 / cancelled 已取消"
DECISION_STATUS_HELP = "open 待落实 / in_progress 落实中 / done 已完成"


def _in_range(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"年份应在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间")


# ---------------------------------------------------------------- output shapes


class JointRef(Schema):
    id: int
    name: str


class JointPersonRef(Schema):
    id: int
    name: str = Field(..., alias="display_name")


class JointMeetingBriefOut(Schema):
    id: int
    title: str


LocalTime = Annotated[datetime, PlainSerializer(local, return_type=datetime)]  # Asia/Shanghai, +08:00


class JointDecisionOut(Schema):
    id: int
    meeting: JointMeetingBriefOut
    content: str = Field(..., description="议定事项")
    owner: JointPersonRef = Field(..., description="责任人")
    due_on: date = Field(..., description="完成时限")
    status: str = Field(..., description=DECISION_STATUS_HELP)
    status_label: str
    overdue: bool = Field(..., description="未完成且已过完成时限")
    follow_up: list[str] = Field(..., description="跟进记录，每条“日期 姓名：说明”，按时间先后")
    done_at: LocalTime | None

    @staticmethod
    def resolve_status_label(obj: JointDecision) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_overdue(obj: JointDecision) -> bool:
        return obj.status != DecisionStatus.DONE and obj.due_on < timezone.localdate()

    @staticmethod
    def resolve_follow_up(obj: JointDecision) -> list[str]:
        return [line for line in obj.follow_up.splitlines() if line.strip()]


class JointMeetingOut(Schema):
    id: int
    title: str
    starts_at: LocalTime
    location: str
    status: str = Field(..., description=STATUS_HELP)
    status_label: str
    station: JointRef = Field(..., description="召集站点（总站）")
    convened_by: JointPersonRef
    held_at: LocalTime | None = Field(None, description="登记召开情况的时间")
    invited_count: int = Field(..., description="受邀党组织数")
    attended_count: int = Field(..., description="出席党组织数")
    open_count: int = Field(..., description="未完成的议定事项数")

    @staticmethod
    def resolve_status_label(obj: JointMeeting) -> str:
        return obj.get_status_display()


class JointInviteeOut(Schema):
    organization: JointRef
    station: JointRef = Field(..., alias="organization.station")
    attended: bool = Field(..., description="出席（登记召开情况后有效）")
    representative: JointPersonRef | None = Field(None, description="参会代表")


class JointMeetingDetailOut(JointMeetingOut):
    agenda: str = Field(..., description="议程（已净化的 HTML）")
    minutes: str = Field(..., description="会议纪要（已净化的 HTML）")
    invitees: list[JointInviteeOut]
    decisions: list[JointDecisionOut]
    may_manage: bool = Field(..., description="调用者可修改、登记、取消会议和添加议定事项（主管单位）")

    @staticmethod
    def resolve_invitees(obj: JointMeeting) -> list[Any]:
        return list(joint.meeting_invitees(obj))

    @staticmethod
    def resolve_decisions(obj: JointMeeting) -> list[JointDecision]:
        return list(joint.meeting_decisions(obj).select_related("meeting"))

    @staticmethod
    def resolve_may_manage(obj: JointMeeting, context: Any) -> bool:
        return bool(context["request"].user.has_perm(CONVENE, obj))


class JointYearOut(Schema):
    year: int
    held: int = Field(..., description="已召开次数")
    planned: int = Field(..., description="计划召开（尚未召开、未取消）次数")
    flagged: bool = Field(..., description="不符合每年 1–2 次：年度结束仍未召开、尚未计划，或超过 2 次")
    reasons: list[str]


# ---------------------------------------------------------------- input shapes


class JointMeetingIn(Schema):
    title: Annotated[str, text(120, min_length=1)] = Field(..., description="会议名称")
    starts_at: datetime = Field(..., description="召开时间（ISO 8601；不带时区时按北京时间）")
    location: Annotated[str, text(120)] = Field("", description="地点")
    agenda: Annotated[str, text(100_000)] = Field("", description="议程（HTML，保存时净化）")
    organizations: list[ObjectId] = Field(..., min_length=1, max_length=200, description="参会党组织")

    @field_validator("starts_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        _in_range(value.year)
        return timezone.make_aware(value) if timezone.is_naive(value) else value


class JointAttendedIn(Schema):
    organization: ObjectId = Field(..., description="出席的受邀党组织")
    representative: ObjectId | None = Field(None, description="参会代表（该党组织的党员或书记、委员）")


class JointRecordIn(Schema):
    minutes: Annotated[str, text(100_000, min_length=1)] = Field(..., description="会议纪要（HTML）")
    attended: list[JointAttendedIn] = Field(
        [], max_length=200, description="出席的党组织及其代表；未列出的受邀党组织记为缺席"
    )


class JointCancelIn(Schema):
    reason: Annotated[str, text(200, min_length=1)] = Field(..., description="取消原因（通知受邀党组织）")


class JointDecisionIn(Schema):
    content: Annotated[str, text(300, min_length=1)] = Field(..., description="议定事项")
    owner: ObjectId = Field(..., description="责任人：参会党组织的党员，或所在站点、总站的工作人员")
    due_on: date = Field(..., description="完成时限")

    @field_validator("due_on")
    @classmethod
    def _bounded(cls, value: date) -> date:
        _in_range(value.year)
        return value


class JointFollowUpIn(Schema):
    status: Literal["open", "in_progress", "done"] = Field(..., description=DECISION_STATUS_HELP)
    note: Annotated[str, text(500)] = Field("", description="进展说明，记入跟进记录")


class JointMeetingFilters(Schema):
    year: int | None = Field(None, description="年度（默认今年，北京时间）")

    @field_validator("year")
    @classmethod
    def _bounded(cls, value: int | None) -> int | None:
        if value is not None:
            _in_range(value)
        return value


class JointDecisionFilters(Schema):
    mine: bool = Field(False, description="只列出本人负责的")
    done: bool = Field(False, description="包括已完成的")


# ---------------------------------------------------------------- meetings


def _detail(meeting: JointMeeting) -> JointMeeting:
    """The meeting as stored now, with its counts."""
    found = JointMeeting.objects.filter(pk=meeting.pk).select_related("station", "convened_by")
    return joint.with_counts(found).get()


def _organizations(ids: list[int]) -> list[PartyOrganization]:
    found = list(PartyOrganization.objects.filter(pk__in=sorted(set(ids)), is_active=True))
    if len(found) != len(set(ids)):
        raise ApiError(400, "invitee", "所选的参会党组织不存在或已撤销")
    return found


def _save(request: HttpRequest, meeting: JointMeeting, payload: JointMeetingIn) -> JointMeeting:
    meeting.title, meeting.starts_at = payload.title, payload.starts_at
    meeting.location, meeting.agenda = payload.location, payload.agenda
    saved = joint.joint_meeting_save(
        actor=request.user, meeting=meeting, organizations=_organizations(payload.organizations)
    )
    return _detail(saved)


@router.get(
    "",
    response=with_errors({200: list[JointMeetingOut]}, 401, 422),
    url_name="joint_meetings",
    summary="联席会议列表",
    description="某一年（默认今年）调用者可看的联席会议，按召开时间先后：主管单位看全部，党组织书记、委员看邀请本组织的。",
)
@paginated
def meeting_list(request: HttpRequest, filters: Query[JointMeetingFilters]) -> Any:
    return joint.meetings_of_year(user=request.user, year=filters.year or timezone.localdate().year)


@router.post(
    "",
    response=write_responses({201: JointMeetingDetailOut}, SAVE_CODES),
    url_name="joint_meetings",
    summary="召集联席会议（主管单位）",
    description="新受邀党组织的书记、委员收到通知。非主管单位：403 `forbidden`；参会党组织不存在：400 `invitee`。",
)
def meeting_create(request: HttpRequest, payload: JointMeetingIn) -> Status:
    return Status(201, _save(request, JointMeeting(), payload))


@router.get(
    "/{int:meeting_id}",
    response=with_errors({200: JointMeetingDetailOut}, 401, 404, 422),
    url_name="joint_meeting",
    summary="联席会议详情",
    description="议程、受邀党组织及出席、代表、会议纪要和议定事项。主管单位和受邀党组织的书记、委员可看。",
)
def meeting_detail(request: HttpRequest, meeting_id: ObjectId) -> JointMeeting:
    return _detail(joint.access_joint_meeting(user=request.user, pk=meeting_id))


@router.put(
    "/{int:meeting_id}",
    response=write_responses({200: JointMeetingDetailOut}, SAVE_CODES),
    url_name="joint_meeting",
    summary="修改联席会议（主管单位）",
    description="只有计划召开的会议可以修改，否则 400 `not_editable`；新增的受邀党组织收到通知。",
)
def meeting_update(request: HttpRequest, meeting_id: ObjectId, payload: JointMeetingIn) -> JointMeeting:
    meeting = joint.access_joint_meeting(user=request.user, pk=meeting_id, manage=True)
    return _save(request, meeting, payload)


def _attended(payload: JointRecordIn) -> dict[int, User | None]:
    wanted = {a.representative for a in payload.attended if a.representative is not None}
    people = {u.pk: u for u in User.objects.filter(pk__in=sorted(wanted), is_active=True)}
    if len(people) != len(wanted):
        raise ApiError(400, "representative", "所选的参会代表不存在")
    return {
        a.organization: people[a.representative] if a.representative is not None else None
        for a in payload.attended
    }


@router.post(
    "/{int:meeting_id}/record",
    response=write_responses({200: JointMeetingDetailOut}, RECORD_CODES),
    url_name="joint_meeting_record",
    summary="登记联席会议召开情况（主管单位）",
    description=(
        "会议纪要和出席的党组织（及其代表），未列出的记为缺席；可再次提交更正。会议开始前：400 `not_held`；"
        "已取消：400 `cancelled`；党组织未受邀：400 `not_invited`；代表不是该党组织的党员或书记、委员："
        "400 `representative`。"
    ),
)
def meeting_record(request: HttpRequest, meeting_id: ObjectId, payload: JointRecordIn) -> JointMeeting:
    meeting = joint.access_joint_meeting(user=request.user, pk=meeting_id, manage=True)
    joint.joint_meeting_record(
        actor=request.user, meeting=meeting, minutes=payload.minutes, attended=_attended(payload)
    )
    return _detail(meeting)


@router.post(
    "/{int:meeting_id}/cancel",
    response=write_responses({200: JointMeetingDetailOut}, CANCEL_CODES),
    url_name="joint_meeting_cancel",
    summary="取消联席会议（主管单位）",
    description="只有计划召开的会议可以取消，否则 400 `not_planned`；受邀党组织的书记、委员收到通知。",
)
def meeting_cancel(request: HttpRequest, meeting_id: ObjectId, payload: JointCancelIn) -> JointMeeting:
    meeting = joint.access_joint_meeting(user=request.user, pk=meeting_id, manage=True)
    joint.joint_meeting_cancel(actor=request.user, meeting=meeting, reason=payload.reason)
    return _detail(meeting)


@router.get(
    "/years/{int:year}",
    response=with_errors({200: JointYearOut}, 401, 403, 404, 422),
    url_name="joint_year",
    summary="年度联席会议召开情况（§7.4 每年 1–2 次）",
    description="年度结束仍未召开、尚未计划，或召开和计划召开超过 2 次时 `flagged`。管理人员可看，其他人 403。",
)
def joint_year(request: HttpRequest, year: int) -> dict[str, Any]:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ApiError(404, "not_found", f"年份应在 {FIRST_YEAR} 年至 {LAST_YEAR} 年之间")
    if not request.user.has_perm(permissions.ENTER_MANAGEMENT):
        raise ApiError(403, "forbidden", "只有管理人员可以查看联席会议召开情况")
    status = joint.joint_year_status(year=year)
    return {
        "year": status.year,
        "held": status.held,
        "planned": status.planned,
        "flagged": status.flagged,
        "reasons": list(status.reasons),
    }


# ---------------------------------------------------------------- decisions (议定事项)


def _decision(user: Any, pk: int) -> JointDecision:
    return joint.access_decision(user=user, pk=pk)


def _owner(payload: JointDecisionIn) -> User:
    owner = User.objects.filter(pk=payload.owner, is_active=True).first()
    if owner is None:
        raise ApiError(400, "owner", "所选的责任人不存在")
    return owner


@router.post(
    "/{int:meeting_id}/decisions",
    response=write_responses({201: JointDecisionOut}, DECISION_CODES),
    url_name="joint_meeting_decisions",
    summary="添加议定事项（主管单位）",
    description="责任人收到通知；责任人须是参会党组织的党员，或所在站点、总站的工作人员，否则 400 `owner`。",
)
def decision_add(request: HttpRequest, meeting_id: ObjectId, payload: JointDecisionIn) -> Status:
    meeting = joint.access_joint_meeting(user=request.user, pk=meeting_id, manage=True)
    decision = JointDecision(content=payload.content, owner=_owner(payload), due_on=payload.due_on)
    saved = joint.joint_decision_save(actor=request.user, meeting=meeting, decision=decision)
    return Status(201, _decision(request.user, saved.pk))


@router.get(
    "/decisions",
    response=with_errors({200: list[JointDecisionOut]}, 401, 422),
    url_name="joint_decisions",
    summary="议定事项（未完成的一直列出）",
    description="调用者可看的议定事项，最早到期的在前：默认只列未完成的；`mine=true` 只列本人负责的，`done=true` 包括已完成的。",
)
@paginated
def decision_list(request: HttpRequest, filters: Query[JointDecisionFilters]) -> Any:
    return joint.decisions_for(user=request.user, mine=filters.mine, done=filters.done)


@router.get(
    "/decisions/{int:decision_id}",
    response=with_errors({200: JointDecisionOut}, 401, 404, 422),
    url_name="joint_decision",
    summary="议定事项详情（含跟进记录）",
)
def decision_detail(request: HttpRequest, decision_id: ObjectId) -> JointDecision:
    return _decision(request.user, decision_id)


@router.put(
    "/decisions/{int:decision_id}",
    response=write_responses({200: JointDecisionOut}, DECISION_CODES),
    url_name="joint_decision",
    summary="修改议定事项（主管单位）",
    description="修改内容、责任人或完成时限，责任人收到通知；落实情况不变。",
)
def decision_update(request: HttpRequest, decision_id: ObjectId, payload: JointDecisionIn) -> JointDecision:
    decision = _decision(request.user, decision_id)
    meeting = joint.access_joint_meeting(user=request.user, pk=decision.meeting_id, manage=True)
    decision.content, decision.owner, decision.due_on = payload.content, _owner(payload), payload.due_on
    joint.joint_decision_save(actor=request.user, meeting=meeting, decision=decision)
    return _decision(request.user, decision.pk)


@router.post(
    "/decisions/{int:decision_id}/follow-up",
    response=write_responses({200: JointDecisionOut}, FOLLOW_UP_CODES),
    url_name="joint_decision_follow_up",
    summary="更新落实情况（责任人或主管单位）",
    description="落实情况和进展说明（记入跟进记录）；已完成的事项再标记完成须写说明，否则 400 `already_done`。",
)
def decision_follow_up(
    request: HttpRequest, decision_id: ObjectId, payload: JointFollowUpIn
) -> JointDecision:
    decision = joint.access_decision(user=request.user, pk=decision_id, manage=True)
    joint.joint_decision_follow_up(
        actor=request.user, decision=decision, status=payload.status, note=payload.note
    )
    return _decision(request.user, decision.pk)
