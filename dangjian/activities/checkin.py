"""Check-in (签到) at activities (issue 10 §4; DB3212/T 1124 §5.5: guides handle activity registration).

Three ways, one `Attendance` per person and activity (a database constraint):
- the guide (or an organiser) scans the person's registration QR code (`Registration.token`, shown on the
  person's phone) — `check_in(actor=guide, activity, token=…)`;
- the guide searches the name — `check_in(actor=guide, activity, person=…)`;
- the attendee scans the activity's code (`Activity.checkin_code`, posted at the door) —
  `check_in(actor=attendee, activity, activity_code=…)`; they must be registered or a member of an organiser.

Every scan carries a `nonce` (made by the page or app once per scan): a retried upload finds its
`CheckInNonce` and gets the same result back — one attendance, nothing counted twice. A second check-in of
the same person is refused (`already_checked_in`), as is a code of another activity (`wrong_activity`).
The activity row is locked first, so simultaneous uploads of one scan are decided one after the other.

When the network fails, the printable sign-in sheet (`signin_sheet`: names and QR tokens) is used and the
ticks are entered afterwards (`attendance_enter`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.activities.models import (
    Activity,
    ActivityStatus,
    Attendance,
    CheckInMethod,
    CheckInNonce,
    Registration,
    RegistrationStatus,
)
from dangjian.core.audit import record_event

OPENS_BEFORE = timedelta(hours=1)  # check-in opens an hour before the start and closes at the end
HELD_STATUSES = (ActivityStatus.PUBLISHED, ActivityStatus.FINISHED)
MAX_NONCE = 64
# What a scanning page sends (a UUID or a random token): anything else is not one of ours.
NONCE_SHAPE = re.compile(r"[A-Za-z0-9_.:-]+")


@dataclass(frozen=True)
class CheckInResult:
    attendance: Attendance
    replayed: bool  # True: a retried upload of a scan already counted (the same attendance)

    @property
    def person(self) -> Any:
        return self.attendance.person


def _clock(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def check_in(
    *,
    actor: Any,
    activity: Activity,
    token: str | None = None,
    person: User | None = None,
    activity_code: str | None = None,
    nonce: str,
    now: datetime | None = None,
) -> CheckInResult:
    """Check someone in (see the module). Returns the attendance; a replayed nonce returns the same one."""
    nonce = (nonce or "").strip()
    if len(nonce) > MAX_NONCE or not NONCE_SHAPE.fullmatch(nonce):
        raise ValidationError("签到请求缺少有效的请求标识，请刷新页面后重试", code="nonce")
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("请先登录再签到")
    now = now or timezone.now()
    replay = _replayed(nonce, actor, activity)
    if replay is not None:
        return replay
    subject, method = _subject(actor, activity, token, person, activity_code)
    try:
        with transaction.atomic():
            locked = (
                Activity.objects.select_for_update(of=("self",)).select_related("station").get(pk=activity.pk)
            )
            replay = _replayed(nonce, actor, locked)  # another upload of this scan won the lock first
            if replay is not None:
                return replay
            _check_open(locked, now)
            attendance = _attend(locked, subject, method, actor, now)
            CheckInNonce.objects.create(nonce=nonce, activity=locked, attendance=attendance, actor=actor)
            record_event(
                actor=actor,
                action="activities.checkin.scan",
                target=locked,
                station=locked.station,
                data={"person": subject.pk, "method": method, "attendance": attendance.pk},
            )
    except IntegrityError:
        # The constraints are the last guard (a racing upload of the same scan or of the same person).
        replay = _replayed(nonce, actor, activity)
        if replay is not None:
            return replay
        raise _already(Attendance.objects.get(activity=activity, person=subject)) from None
    return CheckInResult(attendance=attendance, replayed=False)


def _replayed(nonce: str, actor: Any, activity: Activity) -> CheckInResult | None:
    found = CheckInNonce.objects.select_related("attendance__person").filter(nonce=nonce).first()
    if found is None:
        return None
    if found.actor_id != actor.pk or found.activity_id != activity.pk:
        raise ValidationError("签到请求标识已被使用，请重新扫码", code="nonce_reused")
    return CheckInResult(attendance=found.attendance, replayed=True)


def _subject(
    actor: Any, activity: Activity, token: str | None, person: User | None, code: str | None
) -> tuple[User, str]:
    if token is not None or person is not None:
        if not actor.has_perm("activities.check_in_others", activity):
            raise PermissionDenied("只有本活动的主办方或本站点讲解员可以为他人签到")
        if token is not None:
            return _by_token(activity, token), CheckInMethod.QR
        assert person is not None
        if not _expected(activity, person):
            raise ValidationError(f"{person.display_name}未报名本活动", code="not_registered")
        return person, CheckInMethod.SEARCH
    if code is None:
        raise ValidationError("请扫描报名二维码或活动签到码", code="no_code")
    if (code or "").strip() != activity.checkin_code:
        other = Activity.objects.filter(checkin_code=(code or "").strip()).exclude(pk=activity.pk).first()
        if other is not None:
            raise ValidationError(f"这是“{other.title}”的签到码，不是本活动的", code="wrong_activity")
        raise ValidationError("签到码无效，请扫描活动现场张贴的二维码", code="invalid_code")
    if not actor.has_perm("activities.check_in_self", activity):
        raise ValidationError("您未报名本活动，请先报名或联系讲解员", code="not_registered")
    return actor, CheckInMethod.CODE


def _by_token(activity: Activity, token: str) -> User:
    registration = (
        Registration.objects.select_related("person", "activity").filter(token=(token or "").strip()).first()
    )
    if registration is None:
        raise ValidationError("二维码无效，请让对方刷新报名二维码", code="invalid_code")
    if registration.activity_id != activity.pk:
        raise ValidationError(
            f"这是“{registration.activity.title}”的报名二维码，不是本活动的", code="wrong_activity"
        )
    if registration.status != RegistrationStatus.REGISTERED:
        raise ValidationError(
            f"{registration.person.display_name}的报名{registration.get_status_display()}，不能签到",
            code="not_registered",
        )
    return registration.person


def _expected(activity: Activity, person: User) -> bool:
    """Registered (a seat) or a member of an organiser."""
    if person.organization_id is not None and person.organization_id in activity.organizer_ids:
        return True
    return Registration.objects.filter(
        activity=activity, person=person, status=RegistrationStatus.REGISTERED
    ).exists()


def _check_open(activity: Activity, now: datetime) -> None:
    if activity.status not in HELD_STATUSES:
        raise ValidationError(f"活动{activity.get_status_display()}，不能签到", code="not_open")
    if now < activity.starts_at - OPENS_BEFORE:
        raise ValidationError("活动开始前 1 小时起才能签到", code="too_early")
    if now > activity.ends_at:
        raise ValidationError("活动已结束，请由主办方补录签到", code="ended")


def _already(existing: Attendance) -> ValidationError:
    return ValidationError(
        f"{existing.person.display_name}已于{_clock(existing.checked_in_at)}签到，请勿重复签到",
        code="already_checked_in",
    )


def _attend(activity: Activity, person: User, method: str, actor: Any, now: datetime) -> Attendance:
    existing = Attendance.objects.select_related("person").filter(activity=activity, person=person).first()
    if existing is not None:
        raise _already(existing)
    return Attendance.objects.create(
        activity=activity,
        person=person,
        station_id=activity.station_id,
        method=method,
        checked_in_at=now,
        recorded_by=actor,
    )


@dataclass(frozen=True)
class SheetRow:
    person_id: int
    name: str
    organization: str
    token: str  # the registration's QR token ("" for an organiser's member who has not registered)
    checked_in: bool


def signin_sheet(*, activity: Activity) -> list[SheetRow]:
    """The printable sign-in sheet (签到表): everyone registered (with their QR token) and the members of the
    organisers, by name, marking who has checked in. The page asks `activities.view_signin_sheet`."""
    present = set(Attendance.objects.filter(activity=activity).values_list("person_id", flat=True))
    registered = list(
        Registration.objects.filter(activity=activity, status=RegistrationStatus.REGISTERED).select_related(
            "person__organization"
        )
    )
    rows = {
        r.person_id: SheetRow(
            person_id=r.person_id,
            name=r.person.display_name,
            organization=r.person.organization.name if r.person.organization else "",
            token=r.token,
            checked_in=r.person_id in present,
        )
        for r in registered
    }
    members = User.objects.filter(
        organization_id__in=sorted(activity.organizer_ids), is_active=True
    ).select_related("organization")
    for member in members:
        rows.setdefault(
            member.pk,
            SheetRow(
                person_id=member.pk,
                name=member.display_name,
                organization=member.organization.name if member.organization else "",
                token="",
                checked_in=member.pk in present,
            ),
        )
    return sorted(rows.values(), key=lambda r: (r.organization, r.name, r.person_id))


def attendance_enter(*, actor: Any, activity: Activity, person_ids: Iterable[int]) -> list[Attendance]:
    """Enter the ticks of the paper sheet after the activity has begun: the people (registered or members
    of an organiser) not yet checked in are marked present; those already present are left as they are.
    Returns the new attendances."""
    if not actor.has_perm("activities.view_signin_sheet", activity):
        raise PermissionDenied("只有本活动的主办方或本站点讲解员可以补录签到")
    wanted = sorted({int(pk) for pk in person_ids})
    with transaction.atomic():
        locked = (
            Activity.objects.select_for_update(of=("self",)).select_related("station").get(pk=activity.pk)
        )
        if locked.status not in HELD_STATUSES:
            raise ValidationError(f"活动{locked.get_status_display()}，不能补录签到", code="not_open")
        if locked.starts_at > timezone.now():
            raise ValidationError("活动开始后才能补录签到", code="too_early")
        allowed = {row.person_id for row in signin_sheet(activity=locked)}
        strangers = [pk for pk in wanted if pk not in allowed]
        if strangers:
            raise ValidationError("所选人员中有未报名本活动的人员", code="not_registered")
        present = set(Attendance.objects.filter(activity=locked).values_list("person_id", flat=True))
        made = Attendance.objects.bulk_create(
            [
                Attendance(
                    activity=locked,
                    person_id=pk,
                    station_id=locked.station_id,
                    method=CheckInMethod.SHEET,
                    recorded_by=actor,
                )
                for pk in wanted
                if pk not in present
            ]
        )
        record_event(
            actor=actor,
            action="activities.checkin.enter",
            target=locked,
            station=locked.station,
            data={"people": [a.person_id for a in made]},
        )
    return made
