"""Joint meetings (联席会议, DB3212/T 1124 §7.4): the supervising unit (platform admins and the HQ station's
admins) convenes the organisations 1–2 times a year — agenda, the invited organisations and their
representatives, attendance, minutes, and decisions (议定事项) with an owner, a due date and follow-up notes,
shown until done. A year is flagged when no meeting is held (or none is planned) or more than two are.

Services authorise first, run in one transaction, write the audit log and tell people on commit; reads
filter through `dangjian.accounts.permissions.role_rows_q` (the one visibility authority).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangjian.accounts import permissions as visibility
from dangjian.accounts.models import Role, User
from dangjian.accounts.permissions import OFFICER_ROLES, role_holders
from dangjian.activities.life_rules import SHANGHAI
from dangjian.activities.links import path_or_blank
from dangjian.activities.models import (
    DecisionStatus,
    JointDecision,
    JointMeeting,
    JointMeetingInvitee,
    JointMeetingStatus,
)
from dangjian.core.access import fetch_or_404
from dangjian.core.audit import record_event
from dangjian.core.notifications import notify
from dangjian.core.richtext import sanitize_html
from dangjian.core.workcards import remembered
from dangjian.organizations.models import PartyOrganization
from dangjian.stations.models import Station

CONVENE_REFUSAL = "只有主管单位（平台管理员、总站管理员）可以召集联席会议"
FOLLOW_UP_REFUSAL = "只有议定事项的责任人或主管单位可以更新落实情况"
MIN_A_YEAR, MAX_A_YEAR = 1, 2  # §7.4: 每年召开 1–2 次


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y年%m月%d日 %H:%M}"


def meeting_url(meeting: JointMeeting) -> str:
    return path_or_blank("activities:joint_meeting", pk=meeting.pk)


def decision_url(decision: JointDecision) -> str:
    """The decision's own page: its owner follows it up there (they may not see the whole meeting)."""
    return path_or_blank("activities:joint_decision", pk=decision.pk) or meeting_url(decision.meeting)


def _require_convener(actor: Any, meeting: JointMeeting | None = None) -> None:
    if not actor.has_perm("activities.convene_joint_meeting", meeting):
        raise PermissionDenied(CONVENE_REFUSAL)


def _officers(organization_ids: Sequence[int]) -> list[User]:
    return [p for pk in organization_ids for p in role_holders(*OFFICER_ROLES, organization_id=pk)]


def _invited_ids(meeting: JointMeeting) -> list[int]:
    return sorted(meeting.invitees.values_list("organization_id", flat=True))


def representative_choices(meeting: JointMeeting) -> dict[int, list[User]]:
    """Who may represent each invited organisation (by pk): its members, its secretary and officers."""
    choices = {}
    for pk in _invited_ids(meeting):
        officers = role_holders(*OFFICER_ROLES, organization_id=pk).values("pk")
        people = User.objects.filter(is_active=True).filter(Q(organization_id=pk) | Q(pk__in=officers))
        choices[pk] = list(people.order_by("real_name", "id"))
    return choices


def owner_choices(meeting: JointMeeting) -> QuerySet[User]:
    """Who may own a decision: the members of the invited organisations, the people holding a role at
    their stations (officers, workers, admins…) or at the HQ station, and the convener."""
    organization_ids = _invited_ids(meeting)
    station_ids = PartyOrganization.objects.filter(pk__in=organization_ids).values_list(
        "station_id", flat=True
    )
    pools = Q(organization_id__in=organization_ids) | Q(pk=meeting.convened_by_id)
    pools |= Q(pk__in=role_holders(*Role.values, at_hq=True).values("pk"))
    for station_id in sorted(set(station_ids)):
        pools |= Q(pk__in=role_holders(*Role.values, station_id=station_id).values("pk"))
    return User.objects.filter(is_active=True).filter(pools).order_by("real_name", "id")


def _check_representatives(meeting: JointMeeting, attended: Mapping[int, User | None]) -> None:
    choices = representative_choices(meeting)
    for organization_id, person in attended.items():
        if person is not None and person.pk not in {p.pk for p in choices.get(organization_id, [])}:
            raise ValidationError("参会代表须是该党组织的党员或书记、委员", code="representative")


# ---------------------------------------------------------------- meetings


def joint_meeting_save(
    *, actor: Any, meeting: JointMeeting, organizations: Sequence[PartyOrganization]
) -> JointMeeting:
    """Plan (or change) a joint meeting and the organisations invited; the HQ station convenes it. Newly
    invited organisations' secretaries and officers are told."""
    _require_convener(actor, meeting if meeting.pk else None)
    errors: dict[str, ValidationError] = {}
    meeting.title = (meeting.title or "").strip()
    if not meeting.title:
        errors["title"] = ValidationError("请填写会议名称", code="required")
    if meeting.starts_at is None:
        errors["starts_at"] = ValidationError("请填写召开时间", code="required")
    chosen = list({o.pk: o for o in organizations}.values())
    if not chosen:
        errors["organizations"] = ValidationError("请选择参会党组织", code="required")
    if errors:
        raise ValidationError(errors)
    meeting.agenda = sanitize_html(meeting.agenda) if (meeting.agenda or "").strip() else ""
    meeting.location = (meeting.location or "").strip()[:120]
    with transaction.atomic():
        adding = meeting.pk is None
        if not adding:
            stored = JointMeeting.objects.select_for_update().get(pk=meeting.pk)
            if stored.status != JointMeetingStatus.PLANNED:
                raise ValidationError(f"会议{stored.get_status_display()}，不能再修改", code="not_editable")
            meeting.status, meeting.convened_by_id, meeting.station_id = (
                stored.status,
                stored.convened_by_id,
                stored.station_id,
            )
        else:
            hq = Station.objects.filter(kind="hq").first()
            if hq is None:
                raise ValidationError("未设置总站，无法召集联席会议", code="no_hq")
            meeting.station, meeting.convened_by, meeting.status = hq, actor, JointMeetingStatus.PLANNED
        meeting.save()
        before = set(meeting.invitees.values_list("organization_id", flat=True))
        wanted = {o.pk for o in chosen}
        JointMeetingInvitee.objects.filter(meeting=meeting).exclude(organization_id__in=wanted).delete()
        JointMeetingInvitee.objects.bulk_create(
            [JointMeetingInvitee(meeting=meeting, organization_id=pk) for pk in sorted(wanted - before)]
        )
        record_event(
            actor=actor,
            action="activities.joint.save",
            target=meeting,
            station=meeting.station,
            data={"title": meeting.title, "starts_at": meeting.starts_at, "organizations": sorted(wanted)},
        )
        notify(
            recipients=_officers(sorted(wanted - before)),
            title=f"联席会议通知：{meeting.title}",
            body=f"请派代表参加{_when(meeting.starts_at)}召开的“{meeting.title}”（{meeting.location or '地点另行通知'}）。",
            url=meeting_url(meeting),
            station=meeting.station,
        )
    return meeting


def joint_meeting_record(
    *,
    actor: Any,
    meeting: JointMeeting,
    minutes: str,
    attended: Mapping[int, User | None],
) -> JointMeeting:
    """Record the meeting as held: the minutes and, per invited organisation (by pk), that it attended and
    its representative (a user, or None when unnamed); organisations not given were absent."""
    _require_convener(actor, meeting)
    if not (minutes or "").strip():
        raise ValidationError({"minutes": ValidationError("请填写会议纪要", code="required")})
    with transaction.atomic():
        locked = (
            JointMeeting.objects.select_for_update(of=("self",)).select_related("station").get(pk=meeting.pk)
        )
        if locked.status == JointMeetingStatus.CANCELLED:
            raise ValidationError("会议已取消，不能登记召开情况", code="cancelled")
        if locked.starts_at > timezone.now():
            raise ValidationError("会议召开后才能登记召开情况", code="not_held")
        invitees = {i.organization_id: i for i in locked.invitees.all()}
        strangers = set(attended) - set(invitees)
        if strangers:
            raise ValidationError("出席的党组织须是受邀的党组织", code="not_invited")
        _check_representatives(locked, attended)
        for organization_id, invitee in invitees.items():
            invitee.attended = organization_id in attended
            invitee.representative = attended.get(organization_id)
        JointMeetingInvitee.objects.bulk_update(list(invitees.values()), ["attended", "representative"])
        locked.minutes = sanitize_html(minutes)
        locked.status, locked.held_at = JointMeetingStatus.HELD, locked.held_at or timezone.now()
        locked.save(update_fields=["minutes", "status", "held_at", "updated_at"])
        record_event(
            actor=actor,
            action="activities.joint.record",
            target=locked,
            station=locked.station,
            data={"attended": sorted(attended)},
        )
    return locked


def joint_meeting_cancel(*, actor: Any, meeting: JointMeeting, reason: str) -> JointMeeting:
    _require_convener(actor, meeting)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError("请填写取消原因", code="required")})
    with transaction.atomic():
        locked = (
            JointMeeting.objects.select_for_update(of=("self",)).select_related("station").get(pk=meeting.pk)
        )
        if locked.status != JointMeetingStatus.PLANNED:
            raise ValidationError(f"会议{locked.get_status_display()}，不能取消", code="not_planned")
        locked.status = JointMeetingStatus.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        record_event(
            actor=actor,
            action="activities.joint.cancel",
            target=locked,
            station=locked.station,
            data={"reason": reason},
        )
        notify(
            recipients=_officers(list(locked.invitees.values_list("organization_id", flat=True))),
            title=f"联席会议取消：{locked.title}",
            body=f"原定于{_when(locked.starts_at)}召开的“{locked.title}”取消。原因：{reason}",
            url=meeting_url(locked),
            station=locked.station,
        )
    return locked


# ---------------------------------------------------------------- decisions


def joint_decision_save(*, actor: Any, meeting: JointMeeting, decision: JointDecision) -> JointDecision:
    """Add (or change) a decision of the meeting with its owner and due date; the owner is told."""
    _require_convener(actor, meeting)
    decision.content = (decision.content or "").strip()
    errors: dict[str, ValidationError] = {}
    if not decision.content:
        errors["content"] = ValidationError("请填写议定事项", code="required")
    if decision.owner_id is None:
        errors["owner"] = ValidationError("请指定责任人", code="required")
    if decision.due_on is None:
        errors["due_on"] = ValidationError("请填写完成时限", code="required")
    if errors:
        raise ValidationError(errors)
    if decision.pk is not None and decision.meeting_id != meeting.pk:
        raise ValidationError("该事项不属于此会议", code="wrong_meeting")
    if not owner_choices(meeting).filter(pk=decision.owner_id).exists():
        raise ValidationError(
            {"owner": ValidationError("责任人须是参会党组织的党员，或所在站点、总站的工作人员", code="owner")}
        )
    with transaction.atomic():
        locked = (
            JointMeeting.objects.select_for_update(of=("self",)).select_related("station").get(pk=meeting.pk)
        )
        if locked.status == JointMeetingStatus.CANCELLED:
            raise ValidationError("会议已取消", code="cancelled")
        adding = decision.pk is None
        decision.meeting = locked
        if adding:
            decision.status = DecisionStatus.OPEN
        decision.save()
        record_event(
            actor=actor,
            action="activities.decision.save",
            target=locked,
            station=locked.station,
            data={
                "decision": decision.pk,
                "owner": decision.owner_id,
                "due_on": decision.due_on,
                "created": adding,
            },
        )
        notify(
            recipients=[decision.owner],
            title=f"联席会议议定事项：{decision.content[:40]}",
            body=f"您是“{locked.title}”议定事项的责任人，请于{decision.due_on:%Y年%m月%d日}前落实：{decision.content}",
            url=decision_url(decision),
            station=locked.station,
        )
    return decision


def joint_decision_follow_up(
    *, actor: Any, decision: JointDecision, status: str, note: str = ""
) -> JointDecision:
    """The owner (or the convener) reports progress: the status and a dated note added to the follow-up."""
    if not actor.has_perm("activities.follow_up_decision", decision):
        raise PermissionDenied(FOLLOW_UP_REFUSAL)
    if status not in DecisionStatus.values:
        raise ValidationError({"status": ValidationError("请选择落实情况", code="status")})
    note = (note or "").strip()[:500]
    with transaction.atomic():
        locked = (
            JointDecision.objects.select_for_update(of=("self",))
            .select_related("meeting__station")
            .get(pk=decision.pk)
        )
        if locked.status == DecisionStatus.DONE and status == DecisionStatus.DONE and not note:
            raise ValidationError("该事项已完成", code="already_done")
        if note:
            stamp = f"{timezone.localtime():%Y-%m-%d} {actor.display_name}：{note}"
            locked.follow_up = f"{locked.follow_up}\n{stamp}".strip()
        locked.status = status
        locked.done_at = timezone.now() if status == DecisionStatus.DONE else None
        locked.save(update_fields=["status", "follow_up", "done_at", "updated_at"])
        record_event(
            actor=actor,
            action="activities.decision.follow_up",
            target=locked.meeting,
            station=locked.meeting.station,
            data={"decision": locked.pk, "status": status, "note": note},
        )
    return locked


# ---------------------------------------------------------------- reads


def visible_meetings(*, user: Any) -> QuerySet[JointMeeting]:
    """The convener's (every meeting) and, for an organisation's secretary or officers, those it is
    invited to."""
    condition = visibility.role_rows_q(
        user, (Role.STATION_ADMIN,), organization_field="invitees__organization_id"
    )
    ids = JointMeeting.objects.filter(condition).values("pk")
    return JointMeeting.objects.filter(pk__in=ids).select_related("station", "convened_by")


def access_joint_meeting(*, user: Any, pk: Any, manage: bool = False) -> JointMeeting:
    meeting = fetch_or_404(visible_meetings(user=user), pk)
    permission = "activities.convene_joint_meeting" if manage else "activities.view_joint_meeting"
    if not user.has_perm(permission, meeting):
        raise Http404
    return meeting


def visible_decisions(*, user: Any) -> QuerySet[JointDecision]:
    condition = visibility.role_rows_q(
        user,
        (Role.STATION_ADMIN,),
        station_field="meeting__station_id",
        organization_field="meeting__invitees__organization_id",
        owner_field="owner_id",
    )
    ids = JointDecision.objects.filter(condition).values("pk")
    return JointDecision.objects.filter(pk__in=ids).select_related("meeting", "owner")


def access_decision(*, user: Any, pk: Any, manage: bool = False) -> JointDecision:
    decision = fetch_or_404(visible_decisions(user=user), pk)
    permission = "activities.follow_up_decision" if manage else "activities.view_joint_meeting"
    obj: Any = decision if manage else decision.meeting
    if not (user.has_perm(permission, obj) or decision.owner_id == getattr(user, "pk", None)):
        raise Http404
    return decision


def open_decisions(*, user: Any) -> QuerySet[JointDecision]:
    """Decisions not done yet, shown until done (earliest due first)."""
    return (
        visible_decisions(user=user)
        .exclude(status=DecisionStatus.DONE)
        .exclude(meeting__status=JointMeetingStatus.CANCELLED)
        .order_by("due_on", "id")
    )


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The first moment of the year and of the next, Asia/Shanghai time."""
    return datetime(year, 1, 1, tzinfo=SHANGHAI), datetime(year + 1, 1, 1, tzinfo=SHANGHAI)


def with_counts(meetings: QuerySet[JointMeeting]) -> QuerySet[JointMeeting]:
    """Each meeting's invited and attending organisations and open decisions, counted in the same query."""
    not_done = Q(decisions__status__in=[DecisionStatus.OPEN, DecisionStatus.IN_PROGRESS])
    return meetings.annotate(
        invited_count=Count("invitees", distinct=True),
        attended_count=Count("invitees", filter=Q(invitees__attended=True), distinct=True),
        open_count=Count("decisions", filter=not_done, distinct=True),
    )


def meetings_of_year(*, user: Any, year: int) -> QuerySet[JointMeeting]:
    """The meetings of a year the person sees, in order, with their counts."""
    start, end = year_bounds(year)
    found = visible_meetings(user=user).filter(starts_at__gte=start, starts_at__lt=end)
    return with_counts(found).order_by("starts_at", "id")


def meeting_invitees(meeting: JointMeeting) -> QuerySet[JointMeetingInvitee]:
    return meeting.invitees.select_related("organization__station", "representative").order_by(
        "organization__station__sort_order", "organization__station_id", "organization__name"
    )


def meeting_decisions(meeting: JointMeeting) -> QuerySet[JointDecision]:
    return meeting.decisions.select_related("owner").order_by("due_on", "id")


def decisions_for(*, user: Any, mine: bool = False, done: bool = False) -> QuerySet[JointDecision]:
    """The decisions the person sees: open ones (shown until done) or, with `done`, the done ones too;
    with `mine`, only those they own."""
    found = visible_decisions(user=user).exclude(meeting__status=JointMeetingStatus.CANCELLED)
    if not done:
        found = found.exclude(status=DecisionStatus.DONE)
    if mine:
        found = found.filter(owner_id=getattr(user, "pk", None))
    return found.order_by("due_on", "id")


def owned_open_count(user: Any) -> int | None:
    """The work card: decisions the person owns that are not done yet; None (no card) when there are none."""
    if not getattr(user, "is_authenticated", False):
        return None
    return decisions_for(user=user, mine=True).count() or None


def _this_year(user: Any) -> JointYear:
    return remembered(
        user, "activities.joint_year", lambda: joint_year_status(year=timezone.localdate().year)
    )


def this_year_count(user: Any) -> int:
    """The convener's card: meetings held or planned this year (the note says whether it falls short)."""
    status = _this_year(user)
    return status.held + status.planned


def this_year_note(user: Any) -> str:
    status = _this_year(user)
    return "；".join(status.reasons) or f"已召开 {status.held} 次，计划召开 {status.planned} 次"


@dataclass(frozen=True)
class JointYear:
    year: int
    held: int
    planned: int  # planned and not yet held (not cancelled)
    reasons: tuple[str, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)


def joint_year_status(*, year: int, today: date | None = None) -> JointYear:
    """§7.4 (1–2 joint meetings a year): flagged when none is held by the end of the year (or none is even
    planned during it), or when more than two are held or planned."""
    today = today or timezone.localdate()
    start, end = year_bounds(year)
    rows = JointMeeting.objects.filter(starts_at__gte=start, starts_at__lt=end).exclude(
        status=JointMeetingStatus.CANCELLED
    )
    counted = rows.aggregate(
        held=Count("pk", filter=Q(status=JointMeetingStatus.HELD)),
        planned=Count("pk", filter=Q(status=JointMeetingStatus.PLANNED)),
    )
    held, planned = counted["held"], counted["planned"]
    reasons = []
    if held == 0 and today.year > year:
        reasons.append(f"{year}年未召开联席会议（每年应召开 {MIN_A_YEAR}–{MAX_A_YEAR} 次）")
    elif held + planned == 0:
        reasons.append(f"{year}年尚未计划召开联席会议（每年应召开 {MIN_A_YEAR}–{MAX_A_YEAR} 次）")
    if held + planned > MAX_A_YEAR:
        reasons.append(f"{year}年已召开或计划召开 {held + planned} 次联席会议，超过每年 {MAX_A_YEAR} 次")
    return JointYear(year=year, held=held, planned=planned, reasons=tuple(reasons))
