"""Writes of activities and organisation life (活动邀约 DB3212/T 1124 §6.3; registration §5.5; §7.3).

Every function is keyword-only, authorises the actor first (`PermissionDenied`), runs in one transaction,
writes the audit log, and tells people and other apps (notifications, `signals`) once it commits. Refusals
of a wrong state or bad input are `ValidationError`s with a Chinese message and a code.

Seats: registered + offered registrations never exceed the capacity. Every service that takes or frees a
seat first locks the activity row (`select_for_update`; SQLite's IMMEDIATE transactions serialise writers
too), so two people racing for the last seat, or one person tapping 接受 twice, leave exactly one taker.
A freed seat is offered to the first person on the waiting list for `Activity.offer_hold_hours` (never past
the start); an offer not accepted in time expires (`expire_offers`, every 5 minutes) and passes on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.accounts.permissions import role_holders
from dangjian.activities.booking import KEEP, Keep, keep_in_step, release_for_cancel
from dangjian.activities.documents import clean_plan_document
from dangjian.activities.links import activity_url, registration_url
from dangjian.activities.models import (
    LIVE_STATUSES,
    MAX_OFFER_HOLD_HOURS,
    SEAT_STATUSES,
    Activity,
    ActivityRecord,
    ActivityStatus,
    ActivityType,
    AnnualPlan,
    Audience,
    LeaveRequest,
    LeaveStatus,
    MonthlyTheme,
    PlannedActivity,
    RecordPhoto,
    Registration,
    RegistrationStatus,
)
from dangjian.activities.records import clean_resolutions, entitled_for, present_count, replace_resolutions
from dangjian.activities.signals import (
    ActivitySummary,
    activity_attendees_final,
    activity_cancelled,
    activity_published,
    activity_record_filed,
)
from dangjian.core.audit import record_event
from dangjian.core.notifications import notify
from dangjian.core.richtext import sanitize_html
from dangjian.core.uploads import clean_image_upload
from dangjian.organizations.models import Alliance, JointBuildingAgreement, PartyOrganization
from dangjian.venues.models import Venue

EDITABLE_STATUSES = (ActivityStatus.DRAFT, ActivityStatus.PUBLISHED)
MANAGE_REFUSAL = "只有主办党组织的书记、委员或本站点管理员、党务工作者可以进行此操作"


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _local(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y年%m月%d日 %H:%M}"


def require(actor: Any, permission: str, obj: Any, message: str = MANAGE_REFUSAL) -> None:
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(message)


def summary_of(activity: Activity) -> ActivitySummary:
    return ActivitySummary(
        activity_id=activity.pk,
        station_id=activity.station_id,
        organization_ids=tuple(sorted(activity.organizer_ids)),
        activity_type=activity.activity_type,
        title=activity.title,
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        audience=activity.audience,
        counts_for_life=activity.counts_for_life,
    )


def lock_activity(activity: Activity) -> Activity:
    """The activity's row, locked for the rest of the transaction: everything that takes or frees a seat
    of it runs one after the other."""
    return Activity.objects.select_for_update(of=("self",)).select_related("station").get(pk=activity.pk)


def taken_seats(activity: Activity) -> int:
    return Registration.objects.filter(activity=activity, status__in=SEAT_STATUSES).count()


def waiting_list(activity: Activity) -> Any:
    return Registration.objects.filter(activity=activity, status=RegistrationStatus.WAITING).order_by(
        "queued_at", "id"
    )


# ---------------------------------------------------------------- activities


def activity_save(
    *,
    actor: Any,
    activity: Activity,
    organizations: Sequence[PartyOrganization],
    cover: UploadedFile | None = None,
    venue: Venue | Keep | None = KEEP,
) -> Activity:
    """Create or change an activity. `organizations`: the organisers, the lead first (联学共建: the partners
    after it). A new activity is created by someone who may organise for the lead (its secretary or an
    officer, or the admins and workers of its station), in the lead's station; an activity without
    organisers (a station's own 讲座) by the station's admins and workers. A co-organiser must be one the
    actor may organise for too, or a partner of the lead in an alliance or a joint-building agreement
    (§5.2). A change is authorised against the stored activity; the capacity may not drop below the seats
    taken, and a raised capacity offers the new seats to the waiting list at once.

    `venue`: book that venue for the activity's time (None: no venue; the default keeps the venue it has,
    moving its booking with a changed time — `booking.py`). A refused booking or move (the venue's message
    and code, e.g. `conflict`) changes nothing. A time change is told to everyone registered or waiting."""
    organizations = _distinct_organizations(organizations)
    stored = None
    if activity.pk is not None:
        stored = Activity.objects.prefetch_related("organizers").get(pk=activity.pk)
        require(actor, "activities.manage_activity", stored)
    _authorise_organizers(actor, activity, organizations)
    _validate_activity(activity, organizations)
    activity.description = sanitize_html(activity.description)
    activity.title = activity.title.strip()
    activity.theme = (activity.theme or "").strip()
    image = clean_image_upload(cover) if cover is not None else None
    with transaction.atomic():
        if stored is not None:
            locked = lock_activity(stored)
            if locked.status not in EDITABLE_STATUSES:
                raise ValidationError(f"活动{locked.get_status_display()}，不能再修改", code="not_editable")
            taken = taken_seats(locked)
            if activity.capacity is not None and activity.capacity < taken:
                raise ValidationError(
                    {"capacity": f"已有 {taken} 人报名或保留名额，名额不能少于 {taken}"},
                    code="capacity_below_taken",
                )
            activity.status = locked.status  # the state moves only through publish / cancel
            activity.created_by_id = locked.created_by_id
            activity.checkin_code, activity.reservation_id = locked.checkin_code, locked.reservation_id
        else:
            activity.status = ActivityStatus.DRAFT
            activity.created_by = actor
        if image is not None:
            activity.cover.save(image.name or "cover.jpg", image, save=False)
        activity.save()
        booking = keep_in_step(actor=actor, activity=activity, stored=stored, venue=venue)
        if (booking.pk if booking else None) != activity.reservation_id:
            activity.reservation = booking
            activity.save(update_fields=["reservation", "updated_at"])
        activity.organizers.set(organizations)
        activity.forget_organizers()
        if stored is not None and (stored.starts_at, stored.ends_at) != (
            activity.starts_at,
            activity.ends_at,
        ):
            _tell_time_changed(activity, stored)
        record_event(
            actor=actor,
            action="activities.activity.update" if stored is not None else "activities.activity.create",
            target=activity,
            station=activity.station,
            data={
                "title": activity.title,
                "type": activity.activity_type,
                "organizers": [o.pk for o in organizations],
                "starts_at": activity.starts_at,
                "capacity": activity.capacity,
                "reservation": activity.reservation_id,
            },
        )
        if stored is not None and activity.status == ActivityStatus.PUBLISHED:
            fill_free_seats(activity, now=timezone.now())
    return activity


def _tell_time_changed(activity: Activity, stored: Activity) -> None:
    people = [
        r.person
        for r in Registration.objects.filter(activity=activity, status__in=LIVE_STATUSES).select_related(
            "person"
        )
    ]
    notify(
        recipients=people,
        title=f"活动时间调整：{activity.title}",
        body=(
            f"“{activity.title}”由{_local(stored.starts_at)}调整为{_local(activity.starts_at)}"
            f"至{_local(activity.ends_at)}，请留意。"
        ),
        url=activity_url(activity),
        station=activity.station,
    )


def _distinct_organizations(organizations: Iterable[PartyOrganization]) -> list[PartyOrganization]:
    seen: dict[int, PartyOrganization] = {}
    for organization in organizations:
        seen.setdefault(organization.pk, organization)
    return list(seen.values())


def _authorise_organizers(actor: Any, activity: Activity, organizations: list[PartyOrganization]) -> None:
    if activity.station_id is None:
        raise ValidationError({"station": "请选择活动所属站点"}, code="required")
    if not organizations:
        require(actor, "activities.add_activity", activity.station)
        return
    lead, partners = organizations[0], organizations[1:]
    require(actor, "activities.organize", lead)
    if activity.station_id != lead.station_id:
        raise ValidationError({"station": "活动应属于牵头主办党组织所在的站点"}, code="wrong_station")
    strangers = [o for o in partners if not actor.has_perm("activities.organize", o)]
    if strangers:
        partner_ids = _partner_ids(lead)
        refused = [o.name for o in strangers if o.pk not in partner_ids]
        if refused:
            raise PermissionDenied(
                f"{'、'.join(refused)}与{lead.name}不在同一党建联盟或共建协议中，不能列为共同主办"
            )


def _partner_ids(lead: PartyOrganization) -> set[int]:
    """Organisations that share an alliance or a joint-building agreement with `lead` (§5.2 活动共办)."""
    through_alliances = Alliance.organizations.through.objects.filter(
        alliance__in=Alliance.objects.filter(Q(organizations=lead) | Q(lead_organization=lead))
    ).values_list("partyorganization_id", flat=True)
    through_agreements = JointBuildingAgreement.organizations.through.objects.filter(
        jointbuildingagreement__organizations=lead
    ).values_list("partyorganization_id", flat=True)
    leads = Alliance.objects.filter(organizations=lead).values_list("lead_organization_id", flat=True)
    return {*through_alliances, *through_agreements, *leads}


def _validate_activity(activity: Activity, organizations: list[PartyOrganization]) -> None:
    errors: dict[str, str] = {}
    if not (activity.title or "").strip():
        errors["title"] = "请填写活动名称"
    if activity.activity_type not in ActivityType.values:
        errors["activity_type"] = "请选择活动类型"
    if activity.audience not in Audience.values:
        errors["audience"] = "请选择面向对象"
    if activity.starts_at is None or activity.ends_at is None:
        errors["starts_at"] = "请填写开始和结束时间"
    elif activity.ends_at <= activity.starts_at:
        errors["ends_at"] = "结束时间应晚于开始时间"
    elif activity.cancel_deadline is not None and activity.cancel_deadline > activity.starts_at:
        errors["cancel_deadline"] = "取消报名截止时间不能晚于活动开始时间"
    if activity.capacity is not None and activity.capacity < 1:
        errors["capacity"] = "名额至少为 1，不限名额请留空"
    if not 1 <= (activity.offer_hold_hours or 0) <= MAX_OFFER_HOLD_HOURS:
        errors["offer_hold_hours"] = f"候补名额保留时长应在 1 至 {MAX_OFFER_HOLD_HOURS} 小时之间"
    if not organizations and activity.counts_for_life:
        errors["counts_for_life"] = "计入组织生活的活动须有主办党组织"
    if not organizations and activity.audience == Audience.ORGANIZATION:
        errors["audience"] = "面向本组织党员的活动须有主办党组织"
    if errors:
        raise ValidationError(errors, code="invalid")


def activity_publish(*, actor: Any, activity: Activity) -> Activity:
    """Draft → published: visible to its audience, open for registration until it starts. A meeting held
    before it was entered (a 支委会 recorded afterwards) may be published after the fact; it counts for
    organisation life once published, and its record (台账) is what §7.3 asks for."""
    require(actor, "activities.manage_activity", activity)
    with transaction.atomic():
        locked = lock_activity(activity)
        if locked.status != ActivityStatus.DRAFT:
            raise ValidationError(f"活动{locked.get_status_display()}，不能发布", code="not_draft")
        locked.status, locked.published_at = ActivityStatus.PUBLISHED, timezone.now()
        locked.save(update_fields=["status", "published_at", "updated_at"])
        record_event(
            actor=actor,
            action="activities.activity.publish",
            target=locked,
            station=locked.station,
            data={"title": locked.title},
        )
        summary = summary_of(locked)
        transaction.on_commit(
            lambda: activity_published.send(sender=ActivitySummary, summary=summary, actor=actor)
        )
    return locked


def activity_cancel(*, actor: Any, activity: Activity, reason: str) -> Activity:
    """Cancel a draft or published activity that has not ended: every live registration is cancelled and
    its person told (with the reason)."""
    require(actor, "activities.manage_activity", activity)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写取消原因"}, code="required")
    now = timezone.now()
    with transaction.atomic():
        locked = lock_activity(activity)
        if locked.status not in EDITABLE_STATUSES:
            raise ValidationError(f"活动{locked.get_status_display()}，不能取消", code="not_cancellable")
        if locked.ends_at <= now:
            raise ValidationError("活动已结束，不能取消", code="ended")
        live = list(
            Registration.objects.filter(activity=locked, status__in=LIVE_STATUSES).select_related("person")
        )
        Registration.objects.filter(pk__in=[r.pk for r in live]).update(
            status=RegistrationStatus.CANCELLED, ended_at=now, updated_at=now
        )
        release_for_cancel(actor=actor, activity=locked)
        was_published = locked.status == ActivityStatus.PUBLISHED
        locked.status, locked.cancelled_at, locked.cancel_reason = ActivityStatus.CANCELLED, now, reason
        locked.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
        record_event(
            actor=actor,
            action="activities.activity.cancel",
            target=locked,
            station=locked.station,
            data={"reason": reason, "registrations": len(live)},
        )
        notify(
            recipients=[r.person for r in live],
            title=f"活动已取消：{locked.title}",
            body=f"原定于{_local(locked.starts_at)}举行的“{locked.title}”已取消。原因：{reason}",
            url=activity_url(locked),
            station=locked.station,
        )
        if was_published:
            summary = summary_of(locked)
            transaction.on_commit(
                lambda: activity_cancelled.send(sender=ActivitySummary, summary=summary, actor=actor)
            )
    return locked


# ---------------------------------------------------------------- registration and the waiting list


def register(*, actor: Any, activity: Activity, now: datetime | None = None) -> Registration:
    """The actor registers: a free seat is theirs at once; a full activity puts them on the waiting list
    (their position is `selectors.waiting_position`). One live registration per person (a constraint)."""
    require(actor, "activities.register", activity, "您不在该活动的报名范围内")
    now = _now(now)
    with transaction.atomic():
        locked = lock_activity(activity)
        if locked.status != ActivityStatus.PUBLISHED:
            raise ValidationError(f"活动{locked.get_status_display()}，不能报名", code="not_open")
        if locked.starts_at <= now:
            raise ValidationError("活动已开始，报名已截止", code="started")
        if Registration.objects.filter(activity=locked, person=actor, status__in=LIVE_STATUSES).exists():
            raise ValidationError("您已报名或在候补名单中，请勿重复报名", code="already_registered")
        seat_free = locked.capacity is None or taken_seats(locked) < locked.capacity
        queue_empty = not waiting_list(locked).exists()
        registration = Registration(activity=locked, person=actor, station_id=locked.station_id)
        if seat_free and queue_empty:
            registration.status, registration.confirmed_at = RegistrationStatus.REGISTERED, now
        else:
            registration.status, registration.queued_at = RegistrationStatus.WAITING, now
        registration.save()
        record_event(
            actor=actor,
            action="activities.registration.create",
            target=locked,
            station=locked.station,
            data={"registration": registration.pk, "status": registration.status},
        )
        if registration.status == RegistrationStatus.WAITING:
            fill_free_seats(locked, now=now)  # a seat freed with nobody queued goes to the head of the line
            registration.refresh_from_db()
    return registration


def registration_cancel(
    *, actor: Any, registration: Registration, now: datetime | None = None
) -> Registration:
    """The person (or an organiser) cancels, until the activity's cancellation deadline; a seat freed goes
    to the first person waiting as an offer."""
    require(actor, "activities.cancel_registration", registration, "只能取消自己的报名")
    now = _now(now)
    with transaction.atomic():
        activity = lock_activity(registration.activity)
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status not in LIVE_STATUSES:
            raise ValidationError(f"报名{locked.get_status_display()}，无需取消", code="not_live")
        if now >= activity.cancel_until:
            raise ValidationError(
                f"取消报名已于{_local(activity.cancel_until)}截止，如不能参加请联系主办方",
                code="cancel_deadline_passed",
            )
        held_seat = locked.status in SEAT_STATUSES
        locked.status, locked.ended_at = RegistrationStatus.CANCELLED, now
        locked.save(update_fields=["status", "ended_at", "updated_at"])
        record_event(
            actor=actor,
            action="activities.registration.cancel",
            target=activity,
            station=activity.station,
            data={"registration": locked.pk, "person": locked.person_id},
        )
        if held_seat:
            fill_free_seats(activity, now=now)
    return locked


def offer_accept(*, actor: Any, registration: Registration, now: datetime | None = None) -> Registration:
    """One tap: the person takes the seat offered to them, if the offer has not expired."""
    require(actor, "activities.respond_offer", registration, "只能确认自己的候补名额")
    now = _now(now)
    with transaction.atomic():
        activity = lock_activity(registration.activity)
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status == RegistrationStatus.REGISTERED:
            raise ValidationError("您已确认该名额，无需重复确认", code="already_registered")
        if locked.status != RegistrationStatus.OFFERED:
            raise ValidationError(f"没有待确认的候补名额（{locked.get_status_display()}）", code="no_offer")
        assert locked.offer_expires_at is not None  # a constraint of the model
        if now >= locked.offer_expires_at:
            raise ValidationError(
                f"候补名额已于{_local(locked.offer_expires_at)}过期，已顺延给下一位候补人员",
                code="offer_expired",
            )
        locked.status, locked.confirmed_at = RegistrationStatus.REGISTERED, now
        locked.save(update_fields=["status", "confirmed_at", "updated_at"])
        record_event(
            actor=actor,
            action="activities.offer.accept",
            target=activity,
            station=activity.station,
            data={"registration": locked.pk},
        )
    return locked


def offer_decline(*, actor: Any, registration: Registration, now: datetime | None = None) -> Registration:
    """The person gives the offered seat up; it goes to the next person waiting."""
    require(actor, "activities.respond_offer", registration, "只能处理自己的候补名额")
    now = _now(now)
    with transaction.atomic():
        activity = lock_activity(registration.activity)
        locked = Registration.objects.select_for_update().get(pk=registration.pk)
        if locked.status != RegistrationStatus.OFFERED:
            raise ValidationError(f"没有待确认的候补名额（{locked.get_status_display()}）", code="no_offer")
        locked.status, locked.ended_at = RegistrationStatus.DECLINED, now
        locked.save(update_fields=["status", "ended_at", "updated_at"])
        record_event(
            actor=actor,
            action="activities.offer.decline",
            target=activity,
            station=activity.station,
            data={"registration": locked.pk},
        )
        fill_free_seats(activity, now=now)
    return locked


def expire_offers(*, now: datetime | None = None) -> int:
    """Offers not accepted by their expiry lapse and their seats pass to the next person waiting (the
    Celery beat task runs this every 5 minutes). Returns how many offers expired."""
    now = _now(now)
    activity_ids = sorted(
        set(
            Registration.objects.filter(
                status=RegistrationStatus.OFFERED, offer_expires_at__lte=now
            ).values_list("activity_id", flat=True)
        )
    )
    expired = 0
    for activity_id in activity_ids:
        with transaction.atomic():
            activity = (
                Activity.objects.select_for_update(of=("self",)).select_related("station").get(pk=activity_id)
            )
            lapsed = list(
                Registration.objects.select_for_update(of=("self",))
                .filter(activity=activity, status=RegistrationStatus.OFFERED, offer_expires_at__lte=now)
                .select_related("person")
            )
            for registration in lapsed:
                registration.status, registration.ended_at = RegistrationStatus.EXPIRED, now
                registration.save(update_fields=["status", "ended_at", "updated_at"])
                record_event(
                    actor=None,
                    action="activities.offer.expire",
                    target=activity,
                    station=activity.station,
                    data={"registration": registration.pk, "person": registration.person_id},
                )
                notify(
                    recipients=[registration.person],
                    title=f"候补名额已过期：{activity.title}",
                    body=f"为您保留的“{activity.title}”候补名额未在规定时间内确认，已顺延给下一位候补人员。",
                    url=activity_url(activity),
                    station=activity.station,
                )
            expired += len(lapsed)
            fill_free_seats(activity, now=now)
    return expired


def fill_free_seats(activity: Activity, *, now: datetime) -> list[Registration]:
    """Offer every free seat of the (locked) activity to the people at the head of the waiting list, each
    held `offer_hold_hours` but never past the start; nothing is offered once the activity has begun."""
    if activity.status != ActivityStatus.PUBLISHED or now >= activity.starts_at:
        return []
    free = None if activity.capacity is None else activity.capacity - taken_seats(activity)
    queue = waiting_list(activity).select_related("person")
    heads = list(queue if free is None else queue[: max(free, 0)])
    expires = min(now + timedelta(hours=activity.offer_hold_hours), activity.starts_at)
    for registration in heads:
        registration.status = RegistrationStatus.OFFERED
        registration.offered_at, registration.offer_expires_at = now, expires
        registration.save(update_fields=["status", "offered_at", "offer_expires_at", "updated_at"])
        record_event(
            actor=None,
            action="activities.offer.send",
            target=activity,
            station=activity.station,
            data={"registration": registration.pk, "person": registration.person_id, "expires": expires},
        )
        notify(
            recipients=[registration.person],
            title=f"候补名额待确认：{activity.title}",
            body=(
                f"“{activity.title}”有名额空出，已为您保留至{_local(expires)}，"
                "请在此之前确认参加，逾期将顺延给下一位候补人员。"
            ),
            url=registration_url(registration),
            station=activity.station,
        )
    return heads


# ---------------------------------------------------------------- leave (请假)


def leave_request(*, actor: Any, activity: Activity, reason: str) -> LeaveRequest:
    """A member of an organiser who cannot attend asks leave with a reason, before the activity ends; the
    secretary of their organisation is told."""
    require(actor, "activities.request_leave", activity, "只有主办党组织的党员需要请假")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写请假事由"}, code="required")
    with transaction.atomic():
        locked = lock_activity(activity)
        if locked.status != ActivityStatus.PUBLISHED:
            raise ValidationError(f"活动{locked.get_status_display()}，无需请假", code="not_open")
        if locked.ends_at <= timezone.now():
            raise ValidationError("活动已结束，不能再请假", code="ended")
        open_leave = Q(status__in=[LeaveStatus.PENDING, LeaveStatus.APPROVED])
        if LeaveRequest.objects.filter(open_leave, activity=locked, person=actor).exists():
            raise ValidationError("您已提交请假申请，请勿重复提交", code="already_requested")
        leave = LeaveRequest.objects.create(
            activity=locked,
            person=actor,
            organization_id=actor.organization_id,
            station_id=locked.station_id,
            reason=reason,
        )
        record_event(
            actor=actor,
            action="activities.leave.request",
            target=locked,
            station=locked.station,
            data={"leave": leave.pk, "organization": leave.organization_id},
        )
        notify(
            recipients=role_holders(Role.ORG_SECRETARY, organization_id=leave.organization_id),
            title=f"请假待审批：{actor}（{locked.title}）",
            body=f"{actor}申请不参加{_local(locked.starts_at)}的“{locked.title}”。事由：{reason}",
            url=activity_url(locked),
            station=locked.station,
        )
    return leave


def leave_decide(*, actor: Any, leave: LeaveRequest, approve: bool, note: str = "") -> LeaveRequest:
    """The secretary of the person's organisation approves or rejects a pending leave request."""
    require(actor, "activities.decide_leave", leave, "只有请假人所在党组织的书记可以审批请假")
    with transaction.atomic():
        locked = (
            LeaveRequest.objects.select_for_update(of=("self",))
            .select_related("activity__station")
            .get(pk=leave.pk)
        )
        if locked.status != LeaveStatus.PENDING:
            raise ValidationError(f"该请假申请{locked.get_status_display()}", code="decided")
        locked.status = LeaveStatus.APPROVED if approve else LeaveStatus.REJECTED
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.decision_note = (note or "").strip()[:200]
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
        activity = locked.activity
        record_event(
            actor=actor,
            action="activities.leave.decide",
            target=activity,
            station=activity.station,
            data={"leave": locked.pk, "status": locked.status, "note": locked.decision_note},
        )
        notify(
            recipients=[locked.person],
            title=f"请假{locked.get_status_display()}：{activity.title}",
            body=locked.decision_note or f"您对“{activity.title}”的请假申请{locked.get_status_display()}。",
            url=activity_url(activity),
            station=activity.station,
        )
    return locked


# ---------------------------------------------------------------- themes, plans, records (§7.3)


def theme_set(*, actor: Any, organization: PartyOrganization, month: date, theme: str) -> MonthlyTheme:
    """Set (or correct) the organisation's theme of a month (§7.3: 每月确定一个主题)."""
    require(actor, "activities.manage_life", organization, "只有本党组织的书记或委员可以设定主题")
    theme = (theme or "").strip()
    if not theme:
        raise ValidationError({"theme": "请填写主题"}, code="required")
    if len(theme) > 120:
        raise ValidationError({"theme": "主题不能超过 120 个字"}, code="too_long")
    first = month.replace(day=1)
    with transaction.atomic():
        row, created = MonthlyTheme.objects.update_or_create(
            organization=organization,
            month=first,
            defaults={"theme": theme, "station_id": organization.station_id, "set_by": actor},
        )
        record_event(
            actor=actor,
            action="activities.theme.set",
            target=organization,
            station=organization.station,
            data={"month": first, "theme": theme, "created": created},
        )
    return row


@dataclass(frozen=True)
class PlannedItem:
    month: int
    activity_type: str
    title: str


def plan_submit(
    *,
    actor: Any,
    organization: PartyOrganization,
    year: int,
    planned: Sequence[PlannedItem],
    document: UploadedFile | None = None,
    note: str = "",
) -> AnnualPlan:
    """File (or revise) the organisation's annual work plan (§7.3: 年初制定年度工作计划): a document and/or
    the planned activities by month. The first filing's time is what the deadline is judged by."""
    require(actor, "activities.manage_life", organization, "只有本党组织的书记或委员可以报送年度计划")
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度不正确"}, code="year")
    items = [_planned_item(item) for item in planned]
    if not items and document is None:
        raise ValidationError("请上传计划文件或至少填写一项计划活动", code="empty_plan")
    cleaned = clean_plan_document(document) if document is not None else None
    now = timezone.now()
    with transaction.atomic():
        plan = AnnualPlan.objects.select_for_update().filter(organization=organization, year=year).first()
        revised = plan is not None
        if plan is None:
            plan = AnnualPlan(
                organization=organization, station_id=organization.station_id, year=year, submitted_at=now
            )
        else:
            plan.revised_at = now
        plan.submitted_by, plan.note = actor, (note or "").strip()
        if cleaned is not None:
            plan.document.save(cleaned.name or "plan.pdf", cleaned, save=False)
        plan.save()
        if items:
            plan.planned.all().delete()
            PlannedActivity.objects.bulk_create(
                [PlannedActivity(plan=plan, month=m, activity_type=t, title=title) for m, t, title in items]
            )
        record_event(
            actor=actor,
            action="activities.plan.submit",
            target=plan,
            station=organization.station,
            data={"year": year, "planned": len(items), "document": bool(cleaned), "revised": revised},
        )
    return plan


def _planned_item(item: PlannedItem) -> tuple[int, str, str]:
    title = (item.title or "").strip()
    if not 1 <= item.month <= 12:
        raise ValidationError("计划活动的月份应为 1 至 12", code="month")
    if item.activity_type not in ActivityType.values:
        raise ValidationError("请选择计划活动的类型", code="activity_type")
    if not title or len(title) > 120:
        raise ValidationError("请填写计划活动的内容（不超过 120 字）", code="title")
    return item.month, item.activity_type, title


def record_file(
    *,
    actor: Any,
    activity: Activity,
    summary: str,
    minutes: str | None = None,
    photos: Sequence[UploadedFile] = (),
    captions: Sequence[str] = (),
    resolutions: Sequence[str] | None = None,
    entitled_count: int | None = None,
    now: datetime | None = None,
) -> ActivityRecord:
    """File (or correct) the record (台账, §7.3: 每次活动后建立台账) of a held activity; a published activity
    that has ended is finished by it. `minutes` (rich text, sanitised) and `resolutions` (replacing the
    list) are kept as they are when not given; `photos` (re-encoded, with `captions`) are added. The
    attendance is counted from check-in on every filing; for a 支部党员大会 the members entitled to vote come
    from the roster (`records.entitled_for`) or, without one, from `entitled_count` typed by the secretary —
    the record then says whether more than half were present (`ActivityRecord.quorum_met`)."""
    require(actor, "activities.manage_activity", activity)
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": ValidationError("请填写活动纪要", code="required")})
    texts = clean_resolutions(resolutions) if resolutions is not None else None
    images = [clean_image_upload(photo) for photo in photos]
    now = _now(now)
    with transaction.atomic():
        locked = lock_activity(activity)
        if locked.status not in (ActivityStatus.PUBLISHED, ActivityStatus.FINISHED):
            raise ValidationError(f"活动{locked.get_status_display()}，不能提交台账", code="not_held")
        if locked.ends_at > now:
            raise ValidationError("活动结束后才能提交台账", code="not_ended")
        entitled, source = entitled_for(locked, entitled_count)
        defaults: dict[str, Any] = {
            "summary": summary,
            "station_id": locked.station_id,
            "filed_by": actor,
            "filed_at": now,
            "present_count": present_count(locked),
            "entitled_count": entitled,
            "entitled_source": source,
        }
        if minutes is not None:
            defaults["minutes"] = sanitize_html(minutes) if minutes.strip() else ""
        record, created = ActivityRecord.objects.update_or_create(activity=locked, defaults=defaults)
        if texts is not None:
            replace_resolutions(record, texts)
        added = []
        for index, image in enumerate(images):
            caption = (captions[index] if index < len(captions) else "").strip()[:120]
            photo = RecordPhoto(record=record, caption=caption, uploaded_by=actor)
            photo.photo.save(image.name or "photo.jpg", image, save=False)
            photo.save()
            added.append(photo.photo.name)
        if locked.status == ActivityStatus.PUBLISHED:
            locked.status = ActivityStatus.FINISHED
            locked.save(update_fields=["status", "updated_at"])
        record_event(
            actor=actor,
            action="activities.record.file",
            target=locked,
            station=locked.station,
            data={
                "record": record.pk,
                "created": created,
                "present": record.present_count,
                "entitled": entitled,
                "entitled_source": source,
                "resolutions": len(texts) if texts is not None else None,
                "photos": added,
            },
        )
        result = summary_of(locked)
        attendee_ids = tuple(locked.attendances.values_list("person_id", flat=True))
        transaction.on_commit(
            lambda: activity_record_filed.send(sender=ActivitySummary, summary=result, actor=actor)
        )
        transaction.on_commit(
            lambda: activity_attendees_final.send(
                sender=ActivitySummary, summary=result, attendee_ids=attendee_ids, actor=actor
            )
        )
    return record


def record_photo_remove(*, actor: Any, photo: RecordPhoto) -> None:
    """Take a photo off a record (the organisers)."""
    activity = Activity.objects.prefetch_related("organizers").get(pk=photo.record.activity_id)
    require(actor, "activities.manage_activity", activity)
    with transaction.atomic():
        record_event(
            actor=actor,
            action="activities.record.photo",
            target=activity,
            station=activity.station,
            data={"removed": photo.photo.name},
        )
        photo.photo.delete(save=False)
        photo.delete()
