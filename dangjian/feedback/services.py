"""Writes of feedback (DB3212/T 1124 §10.1.2, §10.2 "跟踪到底").

Every function is keyword-only, authorises first (`PermissionDenied`), runs in one transaction with the
feedback row locked (`select_for_update`), guards the state with a Chinese `ValidationError` carrying a
code, records an audit event and a timeline step (`FeedbackEvent`), and tells people once the
transaction commits (inbox notifications, `signals`).

The workflow: received (已受理) → assigned (已分派) → in progress (办理中) → replied (已答复) → closed (已办结).
A complaint is decided valid or invalid before it is closed; only a valid one may be closed as resolved.
After closing, the submitter (signed in, or holding the tracking code) rates the handling, confirms it is
solved, or reopens it (back to assigned, or received when nobody was assigned; a new due date).
Overdue items (not replied by their due date) alert the station admin, then HQ (`escalate_overdue`).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from dangjian.accounts.models import Role, User
from dangjian.accounts.permissions import role_holders
from dangjian.core.audit import record_event
from dangjian.core.moderation import screen_text
from dangjian.core.notifications import notify
from dangjian.core.request_context import current_client_ip
from dangjian.core.throttle import throttle_hit
from dangjian.feedback import rules, signals
from dangjian.feedback.models import (
    ONLINE_CHANNELS,
    OPEN_STATUSES,
    PAPER_CHANNELS,
    Channel,
    Escalation,
    EventAction,
    Feedback,
    FeedbackContact,
    FeedbackEvent,
    Kind,
    Resolution,
    Status,
    Validity,
    new_tracking_code,
)
from dangjian.organizations.models import PartyOrganization
from dangjian.stations.models import ResidentUnit, Station

HANDLE_REFUSAL = "只有本站点的站点管理员、党务工作者或讲解员可以办理意见反馈"
FOLLOW_UP_REFUSAL = "只有提交人（或持有查询码的人）可以评价或申请重新办理"
HANDLER_ROLES = (Role.STATION_ADMIN, Role.WORKER, Role.GUIDE)
MAX_REOPENS = 3
PAPER_BACKDATE_DAYS = 60  # a slip from the box may be entered up to two months after it was collected


# ---------------------------------------------------------------- shared helpers


def require(actor: Any, permission: str, obj: Any, message: str) -> None:
    if actor is None or not actor.has_perm(permission, obj):
        raise PermissionDenied(message)


def refuse(message: str, code: str, field: str | None = None) -> ValidationError:
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def clean_text(value: Any, *, label: str, max_length: int, required: bool, field: str) -> str:
    """A typed text, stripped; refused when missing (`required`), too long (`too_long`) or with a NUL."""
    text = value.strip() if isinstance(value, str) else ""
    if "\x00" in text:
        raise refuse(f"{label}含有不允许的字符", "invalid", field)
    if required and not text:
        raise refuse(f"请填写{label}", "required", field)
    if len(text) > max_length:
        raise refuse(f"{label}不能超过 {max_length} 个字", "too_long", field)
    return text


def clean_phone(value: Any) -> str:
    phone = clean_text(value, label="联系电话", max_length=20, required=False, field="contact_phone")
    digits = "".join(ch for ch in phone if ch.isdigit())
    if phone and (not 7 <= len(digits) <= 12 or set(phone) - set("0123456789-+ ")):
        raise refuse(
            "请填写有效的联系电话（手机或座机，如 13812345678、0523-86881234）", "phone", "contact_phone"
        )
    return phone


def screened(text: str, *, field: str) -> str:
    """The sensitive-word screen: a blocked word refuses the text, a replaced word is masked."""
    screening = screen_text(text)
    if screening.blocked:
        raise refuse(screening.message or "内容含有不允许发布的词语，请修改后再提交", "sensitive", field)
    return screening.text


def handlers_of(station_id: int) -> list[User]:
    return list(role_holders(Role.STATION_ADMIN, Role.WORKER, station_id=station_id))


def station_admins_of(station_id: int) -> list[User]:
    return list(role_holders(Role.STATION_ADMIN, station_id=station_id))


def hq_admins() -> list[User]:
    return list(role_holders(Role.STATION_ADMIN, at_hq=True))


def staff_page(feedback: Feedback) -> str:
    return reverse("feedback:manage_detail", kwargs={"pk": feedback.pk})


def submitter_page(feedback: Feedback) -> str:
    return reverse("feedback:mine_detail", kwargs={"pk": feedback.pk})


def send_after_commit(signal: Any, feedback: Feedback, **extra: Any) -> None:
    transaction.on_commit(lambda: signal.send(sender=Feedback, feedback=feedback, **extra), robust=True)


def lock(feedback: Feedback) -> Feedback:
    return (
        Feedback.objects.select_for_update(of=("self",))  # the nullable joins are not locked (PostgreSQL)
        .select_related("station", "submitter", "assignee")
        .get(pk=feedback.pk)
    )


def step(
    feedback: Feedback, action: str, actor: Any, note: str = "", *, audit: dict[str, Any] | None = None
) -> None:
    """One timeline step and its audit event."""
    person = actor if getattr(actor, "is_authenticated", False) else None
    FeedbackEvent.objects.create(feedback=feedback, action=action, actor=person, note=note)
    record_event(
        actor=person, action=f"feedback.{action}", target=feedback, station=feedback.station, data=audit or {}
    )


def tell_submitter(feedback: Feedback, title: str, body: str) -> None:
    if feedback.submitter_id:
        notify(
            recipients=[feedback.submitter],
            title=title,
            body=body,
            url=submitter_page(feedback),
            station=feedback.station,
        )


# ---------------------------------------------------------------- submitting


@dataclass(frozen=True)
class Submission:
    """What a person (or the guide copying a paper slip) writes."""

    station: Station
    channel: str
    kind: str
    title: str
    content: str
    contact_name: str = ""
    contact_phone: str = ""
    organization: PartyOrganization | None = None
    unit: ResidentUnit | None = None


@dataclass(frozen=True)
class CleanSubmission:
    title: str
    content: str
    contact_name: str
    contact_phone: str


def _check_submission(submission: Submission, channels: tuple[str, ...]) -> CleanSubmission:
    station = submission.station
    if station is None or not station.is_active:
        raise refuse("请选择站点", "required", "station")
    if submission.channel not in channels:
        if submission.channel in PAPER_CHANNELS:
            message = "投诉箱、意见簿里的纸质意见由站点工作人员代为录入"
        else:
            message = "请选择反馈渠道"
        raise refuse(message, "channel", "channel")
    if submission.kind not in Kind.values:
        raise refuse("请选择反馈类别（投诉、建议、表扬或咨询）", "required", "kind")
    for related, field, label in (
        (submission.organization, "organization", "所选党组织"),
        (submission.unit, "unit", "所选入驻单位"),
    ):
        if related is not None and related.station_id != station.pk:
            raise refuse(f"{label}不属于该站点", "wrong_station", field)
    title = clean_text(
        submission.title, label="标题", max_length=rules.TITLE_MAX, required=True, field="title"
    )
    content = clean_text(
        submission.content, label="反馈内容", max_length=rules.CONTENT_MAX, required=True, field="content"
    )
    return CleanSubmission(
        title=screened(title, field="title"),
        content=screened(content, field="content"),
        contact_name=clean_text(
            submission.contact_name, label="联系人", max_length=40, required=False, field="contact_name"
        ),
        contact_phone=clean_phone(submission.contact_phone),
    )


def _throttle(actor: Any, ip: str | None) -> None:
    """At most `PER_IP_PER_HOUR` submissions from one address and `PER_PERSON_PER_HOUR` from one person."""
    address = ip or current_client_ip() or "unknown"
    if not throttle_hit(f"feedback:ip:{address}", limit=rules.PER_IP_PER_HOUR, window_seconds=3600):
        raise refuse("提交过于频繁，请一小时后再试。如有急事，请直接拨打站点服务电话。", "throttled")
    if getattr(actor, "is_authenticated", False) and not throttle_hit(
        f"feedback:user:{actor.pk}", limit=rules.PER_PERSON_PER_HOUR, window_seconds=3600
    ):
        raise refuse("您提交得太频繁了，请一小时后再试。", "throttled")


def _unique_code() -> str:
    for _ in range(5):
        code = new_tracking_code()
        if not Feedback.objects.filter(tracking_code=code).exists():
            return code
    raise RuntimeError("could not draw an unused tracking code")  # pragma: no cover (2^-59 per draw)


def _create(
    submission: Submission,
    clean: CleanSubmission,
    *,
    submitter: User | None,
    entered_by: User | None,
    received_at: datetime,
) -> Feedback:
    station = submission.station
    feedback = Feedback(
        station=station,
        organization=submission.organization,
        unit=submission.unit,
        channel=submission.channel,
        kind=submission.kind,
        title=clean.title,
        content=clean.content,
        submitter=submitter,
        entered_by=entered_by,
        tracking_code=_unique_code(),
        received_at=received_at,
        due_on=rules.due_date(submission.kind, timezone.localtime(received_at).date()),
    )
    feedback.save()
    if clean.contact_name or clean.contact_phone:
        with scope(station=[station.pk]):
            FeedbackContact.objects.create(
                feedback=feedback, station=station, name=clean.contact_name, phone=clean.contact_phone
            )
    return feedback


def _tell_handlers(feedback: Feedback) -> None:
    notify(
        recipients=handlers_of(feedback.station_id),
        title=f"新的{feedback.get_kind_display()}：{feedback.title}",
        body=f"{feedback.get_channel_display()}，请在{rules_label(feedback.due_on)}前答复。",
        url=staff_page(feedback),
        station=feedback.station,
    )


def rules_label(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def submit(*, actor: Any, submission: Submission, ip: str | None = None) -> Feedback:
    """Anyone (also without an account) submits through an online channel; the answer's
    `tracking_code` is then the key to follow it. Throttled per client address and per person."""
    actor = actor if actor is not None else AnonymousUser()
    require(actor, "feedback.submit", submission.station, "暂不能提交意见反馈")
    clean = _check_submission(submission, tuple(ONLINE_CHANNELS))
    _throttle(actor, ip)
    submitter = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        feedback = _create(
            submission, clean, submitter=submitter, entered_by=None, received_at=timezone.now()
        )
        step(
            feedback,
            EventAction.SUBMIT,
            submitter,
            audit={"channel": feedback.channel, "kind": feedback.kind},
        )
        _tell_handlers(feedback)
        send_after_commit(signals.feedback_submitted, feedback)
    return feedback


def enter_paper(
    *, actor: Any, submission: Submission, received_on: date | None = None, now: datetime | None = None
) -> Feedback:
    """A guide or worker types in a slip from the complaint box (投诉箱) or the suggestion book (意见簿); the
    channel and who entered it are kept, the due date runs from the day it was collected."""
    require(actor, "feedback.handle", submission.station, HANDLE_REFUSAL)
    clean = _check_submission(submission, tuple(PAPER_CHANNELS))
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    received_on = received_on or today
    if not today - timedelta(days=PAPER_BACKDATE_DAYS) <= received_on <= today:
        raise refuse(f"收取日期应在近 {PAPER_BACKDATE_DAYS} 天内，且不晚于今天", "invalid", "received_on")
    received_at = (
        now
        if received_on == today
        else timezone.make_aware(datetime.combine(received_on, datetime.min.time().replace(hour=9)))
    )
    with transaction.atomic():
        feedback = _create(submission, clean, submitter=None, entered_by=actor, received_at=received_at)
        step(
            feedback,
            EventAction.ENTER,
            actor,
            f"{feedback.get_channel_display()}收取，工作人员代为录入",
            audit={"channel": feedback.channel, "kind": feedback.kind},
        )
        send_after_commit(signals.feedback_submitted, feedback)
    return feedback


# ---------------------------------------------------------------- handling


def _handle(actor: Any, feedback: Feedback, allowed: tuple[str, ...], what: str) -> Feedback:
    """Authorise, lock and check the state; the locked row."""
    require(actor, "feedback.handle", feedback, HANDLE_REFUSAL)
    locked = lock(feedback)
    if locked.status not in allowed:
        raise refuse(f"该反馈{locked.get_status_display()}，不能{what}", "wrong_state")
    return locked


def assign(*, actor: Any, feedback: Feedback, assignee: User | None) -> Feedback:
    """Give the item to one of the station's handlers (admin, worker or guide)."""
    if assignee is None or not assignee.is_active or not assignee.has_perm("feedback.handle", feedback):
        require(actor, "feedback.handle", feedback, HANDLE_REFUSAL)
        raise refuse("请选择本站点的站点管理员、党务工作者或讲解员作为承办人", "assignee", "assignee")
    with transaction.atomic():
        locked = _handle(actor, feedback, OPEN_STATUSES, "分派")
        locked.assignee = assignee
        if locked.status == Status.RECEIVED:
            locked.status = Status.ASSIGNED
        locked.save(update_fields=["assignee", "status", "updated_at"])
        step(locked, EventAction.ASSIGN, actor, "已分派承办人办理", audit={"assignee": assignee.pk})
        if assignee.pk != getattr(actor, "pk", None):
            notify(
                recipients=[assignee],
                title=f"请办理{locked.get_kind_display()}：{locked.title}",
                body=f"答复期限：{rules_label(locked.due_on)}。",
                url=staff_page(locked),
                station=locked.station,
            )
    return locked


def start(*, actor: Any, feedback: Feedback) -> Feedback:
    """The handler starts working on it (and becomes its assignee when nobody was)."""
    with transaction.atomic():
        locked = _handle(actor, feedback, (Status.RECEIVED, Status.ASSIGNED), "开始办理")
        locked.status = Status.IN_PROGRESS
        locked.assignee = locked.assignee or actor
        locked.save(update_fields=["status", "assignee", "updated_at"])
        step(locked, EventAction.START, actor, "承办人正在办理")
    return locked


def reply(*, actor: Any, feedback: Feedback, text: str) -> Feedback:
    text = clean_text(text, label="答复内容", max_length=rules.REPLY_MAX, required=True, field="reply")
    with transaction.atomic():
        locked = _handle(actor, feedback, OPEN_STATUSES, "答复")
        now = timezone.now()
        locked.status, locked.reply, locked.replied_at, locked.replied_by = Status.REPLIED, text, now, actor
        locked.assignee = locked.assignee or actor
        locked.save(update_fields=["status", "reply", "replied_at", "replied_by", "assignee", "updated_at"])
        step(locked, EventAction.REPLY, actor, text)
        tell_submitter(locked, f"您的{locked.get_kind_display()}已答复：{locked.title}", text[:200])
        send_after_commit(signals.feedback_replied, locked)
    return locked


def decide(*, actor: Any, feedback: Feedback, validity: str, reason: str = "") -> Feedback:
    """A complaint is valid or invalid (an invalid one needs the reason); may be revised until closed."""
    reason = clean_text(reason, label="认定理由", max_length=rules.NOTE_MAX, required=False, field="reason")
    with transaction.atomic():
        locked = _handle(actor, feedback, (*OPEN_STATUSES, Status.REPLIED), "认定")
        if not locked.is_complaint:
            raise refuse("只有投诉需要认定有效或无效", "not_complaint")
        if validity not in (Validity.VALID, Validity.INVALID):
            raise refuse("请选择有效投诉或无效投诉", "required", "validity")
        if validity == Validity.INVALID and not reason:
            raise refuse("认定为无效投诉须写明理由", "comment_required", "reason")
        locked.validity, locked.validity_reason, locked.validity_decided_at = validity, reason, timezone.now()
        locked.save(update_fields=["validity", "validity_reason", "validity_decided_at", "updated_at"])
        note = f"认定为{locked.get_validity_display()}" + (f"：{reason}" if reason else "")
        step(locked, EventAction.DECIDE, actor, note, audit={"validity": validity})
    return locked


def _check_closing(feedback: Feedback, resolution: str) -> None:
    if feedback.status != Status.REPLIED:
        if feedback.status in OPEN_STATUSES:
            raise refuse("尚未答复提交人，不能办结", "reply_required")
        raise refuse(f"该反馈{feedback.get_status_display()}，不能办结", "wrong_state")
    if resolution not in (Resolution.RESOLVED, Resolution.UNRESOLVED):
        raise refuse("请选择办理结果：已解决或未解决", "resolution", "resolution")
    if not feedback.is_complaint:
        return
    if feedback.validity == Validity.UNDECIDED:
        raise refuse("请先认定投诉是否有效，再办结", "undecided")
    if feedback.validity == Validity.INVALID and resolution == Resolution.RESOLVED:
        raise refuse("无效投诉不能办结为“已解决”", "invalid_complaint", "resolution")


def close(*, actor: Any, feedback: Feedback, resolution: str, note: str = "") -> Feedback:
    note = clean_text(note, label="办结说明", max_length=rules.NOTE_MAX, required=False, field="note")
    require(actor, "feedback.handle", feedback, HANDLE_REFUSAL)
    with transaction.atomic():
        locked = lock(feedback)
        _check_closing(locked, resolution)
        locked.status, locked.resolution, locked.closed_at = Status.CLOSED, resolution, timezone.now()
        locked.save(update_fields=["status", "resolution", "closed_at", "updated_at"])
        text = f"办结：{locked.get_resolution_display()}" + (f"。{note}" if note else "")
        step(locked, EventAction.CLOSE, actor, text, audit={"resolution": resolution})
        tell_submitter(
            locked,
            f"您的{locked.get_kind_display()}已办结：{locked.title}",
            "问题解决了吗？欢迎评价办理情况；如未解决，可申请重新办理。",
        )
        send_after_commit(signals.feedback_closed, locked)
    return locked


# ---------------------------------------------------------------- the submitter's follow-up


def holds_code(feedback: Feedback, code: str | None) -> bool:
    return bool(code) and hmac.compare_digest(str(code).encode(), feedback.tracking_code.encode())


def _follow_up(
    actor: Any, feedback: Feedback, code: str | None, allowed: tuple[str, ...], what: str
) -> Feedback:
    """The submitter (signed in) or the tracking-code holder, on a row in one of `allowed`."""
    if not holds_code(feedback, code) and not (
        actor is not None and actor.has_perm("feedback.follow_up", feedback)
    ):
        raise PermissionDenied(FOLLOW_UP_REFUSAL)
    locked = lock(feedback)
    if locked.status not in allowed:
        raise refuse(f"该反馈{locked.get_status_display()}，暂不能{what}", "wrong_state")
    return locked


def rate(
    *, actor: Any, feedback: Feedback, rating: Any, comment: str = "", code: str | None = None
) -> Feedback:
    """The submitter rates the handling once (1–5 and a comment), after the reply."""
    comment = clean_text(comment, label="评价", max_length=rules.NOTE_MAX, required=False, field="comment")
    if isinstance(rating, bool) or not isinstance(rating, int) or rating not in rules.RATING_RANGE:
        raise refuse("请选择 1 至 5 分的评分", "rating", "rating")
    with transaction.atomic():
        locked = _follow_up(actor, feedback, code, (Status.REPLIED, Status.CLOSED), "评价")
        if locked.rating is not None:
            raise refuse("您已评价过本次办理，不能重复评价", "already_rated")
        locked.rating, locked.rating_comment, locked.rated_at = rating, comment, timezone.now()
        locked.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
        note = f"{rating} 分" + (f"：{comment}" if comment else "")
        step(locked, EventAction.RATE, actor, note, audit={"rating": rating})
        send_after_commit(signals.feedback_rated, locked)
    return locked


def confirm_solved(*, actor: Any, feedback: Feedback, code: str | None = None) -> Feedback:
    """ "问题解决了吗？" — 已解决: the follow-up is answered, the item stays closed."""
    with transaction.atomic():
        locked = _follow_up(actor, feedback, code, (Status.CLOSED,), "确认")
        if locked.confirmed_solved_at is not None:
            raise refuse("您已确认问题已解决", "wrong_state")
        locked.confirmed_solved_at = timezone.now()
        locked.save(update_fields=["confirmed_solved_at", "updated_at"])
        step(locked, EventAction.CONFIRM, actor, "提交人确认问题已解决")
    return locked


def reopen(*, actor: Any, feedback: Feedback, reason: str, code: str | None = None) -> Feedback:
    """ "问题解决了吗？" — 未解决: back to the assignee (or to the station when nobody was assigned), with a
    new due date; the earlier rating and result are kept in the timeline."""
    reason = clean_text(
        reason, label="未解决的原因", max_length=rules.NOTE_MAX, required=True, field="reason"
    )
    with transaction.atomic():
        locked = _follow_up(actor, feedback, code, (Status.CLOSED,), "申请重新办理")
        if locked.confirmed_solved_at is not None:
            raise refuse("您已确认问题已解决，不能再申请重新办理", "wrong_state")
        if locked.reopen_count >= MAX_REOPENS:
            raise refuse(f"已重新办理 {MAX_REOPENS} 次，如仍未解决请直接联系站点或总站", "wrong_state")
        _back_to_handling(locked)
        step(locked, EventAction.REOPEN, actor, reason, audit={"reopen_count": locked.reopen_count})
        notify(
            recipients=[locked.assignee] if locked.assignee else station_admins_of(locked.station_id),
            title=f"提交人申请重新办理：{locked.title}",
            body=reason[:200],
            url=staff_page(locked),
            station=locked.station,
        )
        send_after_commit(signals.feedback_reopened, locked)
    return locked


def _back_to_handling(locked: Feedback) -> None:
    today = timezone.localdate()
    locked.status = Status.ASSIGNED if locked.assignee_id else Status.RECEIVED
    locked.reopen_count += 1
    locked.resolution, locked.closed_at = Resolution.NONE, None
    locked.rating, locked.rating_comment, locked.rated_at = None, "", None
    locked.escalation, locked.escalated_station_at, locked.escalated_hq_at = Escalation.NONE, None, None
    locked.due_on = rules.due_date(locked.kind, today)
    locked.save()


# ---------------------------------------------------------------- overdue escalation


def overdue_q(today: date) -> Q:
    return Q(status__in=OPEN_STATUSES, due_on__lt=today)


def escalate_overdue(*, now: datetime | None = None) -> int:
    """Items past their due date and not replied: first the station admin is alerted, then, still
    overdue `HQ_ESCALATION_DAYS` later, HQ's admins. Each level is reached once (idempotent)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    overdue = Feedback.objects.filter(overdue_q(today))
    done = 0
    for pk in overdue.filter(escalation=Escalation.NONE).values_list("pk", flat=True):
        done += _escalate(pk, Escalation.STATION, now, today)
    hq_before = now - timedelta(days=rules.HQ_ESCALATION_DAYS)
    for pk in overdue.filter(escalation=Escalation.STATION, escalated_station_at__lte=hq_before).values_list(
        "pk", flat=True
    ):
        done += _escalate(pk, Escalation.HQ, now, today)
    return done


LEVELS: dict[int, tuple[str, str, str, Callable[[Feedback], list[User]]]] = {
    Escalation.STATION: (
        "escalated_station_at",
        EventAction.ESCALATE_STATION,
        "已超过答复期限，已提醒站点管理员督办",
        lambda f: station_admins_of(f.station_id),
    ),
    Escalation.HQ: (
        "escalated_hq_at",
        EventAction.ESCALATE_HQ,
        "逾期仍未答复，已报总站督办",
        lambda f: hq_admins(),
    ),
}


def _escalate(pk: int, level: int, now: datetime, today: date) -> int:
    field, action, note, recipients = LEVELS[level]
    with transaction.atomic():
        locked = Feedback.objects.select_for_update(of=("self",)).select_related("station").get(pk=pk)
        if not locked.is_overdue(today) or locked.escalation >= level:
            return 0
        locked.escalation = level
        setattr(locked, field, now)
        locked.save(update_fields=["escalation", field, "updated_at"])
        step(locked, action, None, note, audit={"level": level})
        days = (today - locked.due_on).days
        notify(
            recipients=recipients(locked),
            title=f"逾期未答复（{locked.station.name}）：{locked.title}",
            body=f"{locked.get_kind_display()}，答复期限{rules_label(locked.due_on)}，已逾期 {days} 天。",
            url=staff_page(locked),
            station=locked.station,
        )
    return 1


__all__ = [
    "Channel",
    "Submission",
    "assign",
    "close",
    "confirm_solved",
    "decide",
    "enter_paper",
    "escalate_overdue",
    "rate",
    "reopen",
    "reply",
    "start",
    "submit",
]
