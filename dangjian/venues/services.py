"""Writes of the stations' offline spaces (阵地, DB3212/T 1124 §6.1, §6.2, §5.4.3, §5.5).

Every function is keyword-only, authorises first (`PermissionDenied`), runs in one transaction, writes the
audit log and tells people once the transaction commits. Refusals of bad requests or wrong states are
`ValidationError`s with a Chinese message and a code.

No double booking: every write that makes a booking hold its slot (request on a venue without approval,
approval, a tour's booking) first locks the venue row (`select_for_update`), so bookings of one venue are
decided one after the other, then re-reads the overlapping bookings. On PostgreSQL an exclusion constraint
is the last guard (its `IntegrityError` becomes a `conflict` refusal); on SQLite the transaction is
IMMEDIATE (settings), which serialises writers the same way.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from dangjian.accounts.models import Role, User
from dangjian.accounts.permissions import role_holders
from dangjian.core.audit import record_event, snapshot
from dangjian.core.notifications import notify
from dangjian.core.services import authorise_write, editable_field_names, save_audited
from dangjian.core.uploads import clean_image_upload
from dangjian.stations.models import Station
from dangjian.venues import scopes
from dangjian.venues.models import (
    HOLDING_STATUSES,
    QUOTA_STATUSES,
    ClosedDay,
    Equipment,
    EquipmentState,
    FaultReport,
    FaultStatus,
    OpeningHours,
    Recurrence,
    Reservation,
    ReservationSeries,
    ReservationStatus,
    SixHave,
    SixHaveEvidence,
    SixHaveItem,
    Tour,
    TourStatus,
    Venue,
)
from dangjian.venues.signals import (
    reservation_checked_in,
    reservation_decided,
    reservation_released,
    tour_recorded,
    venue_back_in_service,
    venue_out_of_service,
)

NO_SHOW_GRACE = timedelta(minutes=30)  # not checked in 30 minutes after the start: released (未到场)
CHECK_IN_EARLY = timedelta(minutes=15)  # the holder may scan the QR code from 15 minutes before the start
MAX_OCCURRENCES = 60  # a recurring request makes at most this many bookings
VENUE_FIELDS = (
    "name",
    "kind",
    "capacity",
    "building",
    "unit",
    "floor_label",
    "room",
    "photo",
    "description",
    "audience",
    "needs_approval",
    "min_advance_minutes",
    "max_advance_days",
    "max_duration_minutes",
    "monthly_quota",
    "is_active",
)
EQUIPMENT_FIELDS = ("kind", "name", "quantity", "state", "note")
REVIEW_REFUSAL = "只有本站点的讲解员或站点管理员可以审核预约"
MANAGE_REFUSAL = "只有本站点的站点管理员可以管理场所"
MAINTAIN_REFUSAL = "只有该场所所在楼宇的党务工作者或站点管理员可以维护设备和处理报修"
TOUR_REFUSAL = "只有本站点的讲解员或站点管理员可以处理参观预约"


# ---------------------------------------------------------------- shared helpers


def require(actor: Any, permission: str, obj: Any, message: str = "您没有权限进行此操作") -> None:
    if actor is None or not actor.has_perm(permission, obj):
        raise PermissionDenied(message)


def page(name: str, **kwargs: Any) -> str:
    """A site path for a notification; "" while the page does not exist (a notification needs no link)."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def reservation_page(reservation: Reservation) -> str:
    return page("venues:reservation", pk=reservation.pk) or page("venues:mine")


def date_label(day: date) -> str:
    """`2027年1月5日`."""
    return f"{day.year}年{day.month}月{day.day}日"


def slot_label(starts_at: datetime, ends_at: datetime) -> str:
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    return f"{date_label(start.date())} {start:%H:%M}–{end:%H:%M}"


def lock_venue(venue: Venue) -> Venue:
    """The venue row locked for the rest of the transaction: bookings of one venue are decided one at a
    time (on SQLite the IMMEDIATE transaction has already taken the database's write lock)."""
    return Venue.objects.select_for_update(of=("self",)).select_related("station").get(pk=venue.pk)


def holding_overlaps(
    venue: Venue, starts_at: datetime, ends_at: datetime, *, exclude_pk: int | None = None
) -> list[Reservation]:
    """Approved or checked-in bookings of the venue overlapping [starts_at, ends_at)."""
    found = Reservation.objects.filter(
        venue=venue, status__in=HOLDING_STATUSES, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).select_related("holder")
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    return list(found.order_by("starts_at"))


def conflict_error(starts_at: datetime, ends_at: datetime, other: Reservation) -> ValidationError:
    return ValidationError(
        f"{slot_label(starts_at, ends_at)}与已通过的预约（{slot_label(other.starts_at, other.ends_at)}）时间冲突，请选择其他时段",
        code="conflict",
    )


def save_holding(reservation: Reservation, *, update_fields: list[str] | None = None) -> None:
    """Save a booking that holds its slot; the PostgreSQL exclusion constraint refusing it (a concurrent
    booking won) becomes a `conflict` refusal."""
    try:
        with transaction.atomic():
            reservation.save(update_fields=update_fields)
    except IntegrityError as error:
        raise ValidationError(
            f"{slot_label(reservation.starts_at, reservation.ends_at)}已被他人预约，请选择其他时段",
            code="conflict",
        ) from error


def _bookings_changed(reservation: Reservation) -> None:
    """The booking started or stopped holding its slot: the venue's and station's cached grids render
    afresh once the transaction commits (dangjian/venues/scopes.py)."""
    scopes.bookings_changed(venue_id=reservation.venue_id, station_code=reservation.station.code)


def tell_after_commit(send: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: send(**kwargs), robust=True)


def guides_of(station_id: int) -> list[User]:
    return list(role_holders(Role.GUIDE, station_id=station_id))


# ---------------------------------------------------------------- venues, hours and closed days


def venue_save(*, actor: Any, venue: Venue, data: Mapping[str, Any]) -> Venue:
    """Create (`venue` unsaved, with its station) or edit a venue from `data` (any of `VENUE_FIELDS`; a
    photo is an upload, re-encoded). The station admin of the station (HQ: any station) only."""
    unknown = set(data) - set(VENUE_FIELDS)
    if unknown:
        raise ValueError(f"venue_save: unknown fields {sorted(unknown)}")
    adding = venue._state.adding
    before = None if adding else snapshot(venue, fields=editable_field_names(venue))
    for name, value in data.items():
        if name == "photo" and isinstance(value, UploadedFile):
            value = clean_image_upload(value)
        setattr(venue, name, value)
    _check_venue_places(venue)
    authorise_write(
        actor, venue, add="venues.manage_venue", change="venues.manage_venue", station=venue.station
    )
    saved = save_audited(
        venue,
        actor=actor,
        action="venues.venue.create" if adding else "venues.venue.update",
        station=venue.station,
        before=before,
    )
    scopes.venues_changed()
    return saved


def _check_venue_places(venue: Venue) -> None:
    if venue.building is not None and venue.building.station_id != venue.station_id:
        raise ValidationError({"building": ValidationError("所选楼宇不属于本站点", code="wrong_station")})
    if venue.unit is not None and venue.unit.station_id != venue.station_id:
        raise ValidationError({"unit": ValidationError("所选单位不属于本站点", code="wrong_station")})


HoursInput = Mapping[int, tuple[time, time] | None] | Iterable[tuple[int, time, time]]


def opening_hours_set(*, actor: Any, venue: Venue, hours: HoursInput) -> list[OpeningHours]:
    """Replace the venue's weekly opening hours: `{weekday: (opens, closes)}` or `[(weekday, opens, closes)]`
    (0 = 星期一 … 6 = 星期日); a weekday not given (or given None) is closed."""
    require(actor, "venues.manage_venue", venue, MANAGE_REFUSAL)
    rows = _hours_rows(hours)
    with transaction.atomic():
        lock_venue(venue)
        OpeningHours.objects.filter(venue=venue).delete()
        created = OpeningHours.objects.bulk_create(
            [OpeningHours(venue=venue, weekday=d, opens=o, closes=c) for d, o, c in rows]
        )
        record_event(
            actor=actor,
            action="venues.hours.set",
            target=venue,
            station=venue.station,
            data={"hours": [[d, f"{o:%H:%M}", f"{c:%H:%M}"] for d, o, c in rows]},
        )
        scopes.venues_changed()
    return created


def _hours_rows(hours: HoursInput) -> list[tuple[int, time, time]]:
    if isinstance(hours, Mapping):
        items = [(d, *span) for d, span in hours.items() if span is not None]
    else:
        items = list(hours)
    rows: dict[int, tuple[int, time, time]] = {}
    for weekday, opens, closes in items:
        if not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise ValidationError("星期应为 0（星期一）至 6（星期日）", code="weekday")
        if weekday in rows:
            raise ValidationError("同一天只能设置一个开放时段", code="weekday")
        if not (isinstance(opens, time) and isinstance(closes, time)) or closes <= opens:
            raise ValidationError("关闭时间应晚于开放时间", code="hours_order")
        rows[weekday] = (weekday, opens, closes)
    return [rows[d] for d in sorted(rows)]


def closed_day_add(
    *, actor: Any, station: Station, venue: Venue | None, date: date, reason: str
) -> ClosedDay:
    """Close the whole station (`venue` None) or one venue on `date` (节假日闭馆); holders of bookings that
    day are told to contact the station."""
    require(actor, "venues.manage_venue", station, MANAGE_REFUSAL)
    if venue is not None and venue.station_id != station.pk:
        raise ValidationError("所选场所不属于本站点", code="wrong_station")
    with transaction.atomic():
        if ClosedDay.objects.filter(station=station, venue=venue, date=date).exists():
            raise ValidationError(f"{date_label(date)}已设为闭馆日", code="duplicate")
        closed = ClosedDay.objects.create(
            station=station, venue=venue, date=date, reason=(reason or "").strip()
        )
        record_event(
            actor=actor,
            action="venues.closed_day.add",
            target=closed,
            station=station,
            data={"date": date, "venue": venue.pk if venue else None, "reason": closed.reason},
        )
        _warn_holders_of_closed_day(closed)
        scopes.venues_changed()
    return closed


def _warn_holders_of_closed_day(closed: ClosedDay) -> None:
    affected = _bookings_on(closed)
    place = closed.venue.name if closed.venue else closed.station.name
    notify(
        recipients=[r.holder for r in affected],
        title=f"{place}{date_label(closed.date)}闭馆",
        body=f"您在{date_label(closed.date)}的场所预约受闭馆影响（{closed.reason or '闭馆'}），请与站点讲解员联系调整。",
        url=page("venues:mine"),
        station=closed.station,
    )


def _bookings_on(closed: ClosedDay) -> list[Reservation]:
    start = timezone.make_aware(datetime.combine(closed.date, time.min))
    found = Reservation.objects.filter(
        station=closed.station,
        status__in=(ReservationStatus.PENDING, *HOLDING_STATUSES),
        starts_at__lt=start + timedelta(days=1),
        ends_at__gt=start,
    ).select_related("holder")
    if closed.venue_id is not None:
        found = found.filter(venue_id=closed.venue_id)
    return list(found)


def closed_day_remove(*, actor: Any, closed_day: ClosedDay) -> None:
    require(actor, "venues.manage_venue", closed_day, MANAGE_REFUSAL)
    with transaction.atomic():
        record_event(
            actor=actor,
            action="venues.closed_day.remove",
            target=closed_day,
            station=closed_day.station,
            data={"date": closed_day.date, "venue": closed_day.venue_id},
        )
        closed_day.delete()
        scopes.venues_changed()


# ---------------------------------------------------------------- reservation requests


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime

    @property
    def day(self) -> date:
        return timezone.localtime(self.starts_at).date()


def occurrences(
    starts_at: datetime, ends_at: datetime, recurrence: str | None, until: date | None
) -> list[Slot]:
    """The slot and, for a weekly or monthly request, its repeats up to and including `until` (local
    dates; a monthly repeat on the 31st skips months without one)."""
    first = Slot(starts_at, ends_at)
    if not recurrence:
        return [first]
    if recurrence not in Recurrence.values:
        raise ValidationError("重复方式应为每周或每月", code="recurrence")
    if until is None or until < first.day:
        raise ValidationError("请填写不早于首次预约日期的重复截止日期", code="until")
    local_start, length = timezone.localtime(starts_at), ends_at - starts_at
    slots = [first]
    for n in range(1, MAX_OCCURRENCES * 2):
        day = _repeat_day(local_start.date(), recurrence, n)
        if day is None:
            continue
        if day > until or len(slots) >= MAX_OCCURRENCES:
            break
        start = timezone.make_aware(datetime.combine(day, local_start.time().replace(tzinfo=None)))
        slots.append(Slot(start, start + length))
    return slots


def _repeat_day(first: date, recurrence: str, n: int) -> date | None:
    if recurrence == Recurrence.WEEKLY:
        return first + timedelta(weeks=n)
    month_index = first.month - 1 + n
    year, month = first.year + month_index // 12, month_index % 12 + 1
    if first.day > calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, first.day)


@dataclass
class VenueRules:
    """Everything a request is checked against, read once for all its occurrences."""

    venue: Venue
    hours: dict[int, tuple[time, time]]
    closed: dict[date, str]
    holding: list[Reservation]
    now: datetime

    @classmethod
    def load(cls, venue: Venue, slots: Sequence[Slot], now: datetime) -> VenueRules:
        first, last = slots[0], slots[-1]
        closed_rows = ClosedDay.objects.filter(
            Q(venue__isnull=True) | Q(venue=venue),
            station_id=venue.station_id,
            date__gte=first.day,
            date__lte=last.day,
        )
        holding = Reservation.objects.filter(
            venue=venue, status__in=HOLDING_STATUSES, starts_at__lt=last.ends_at, ends_at__gt=first.starts_at
        )
        return cls(
            venue=venue,
            hours={h.weekday: (h.opens, h.closes) for h in OpeningHours.objects.filter(venue=venue)},
            closed={c.date: c.reason for c in closed_rows},
            holding=list(holding.order_by("starts_at")),
            now=now,
        )

    def refusal(self, slot: Slot) -> ValidationError | None:
        for check in (self._time, self._policy, self._open, self._free):
            error = check(slot)
            if error is not None:
                return error
        return None

    def _time(self, slot: Slot) -> ValidationError | None:
        if slot.ends_at <= slot.starts_at:
            return ValidationError("结束时间应晚于开始时间", code="order")
        if slot.starts_at < self.now:
            return ValidationError(
                f"{slot_label(slot.starts_at, slot.ends_at)}已经过去，不能预约", code="past"
            )
        return None

    def _policy(self, slot: Slot) -> ValidationError | None:
        venue = self.venue
        if slot.starts_at < self.now + timedelta(minutes=venue.min_advance_minutes):
            return ValidationError(
                f"{venue.name}须至少提前 {_minutes_label(venue.min_advance_minutes)}预约", code="too_soon"
            )
        latest = timezone.localdate(self.now) + timedelta(days=venue.max_advance_days)
        if slot.day > latest:
            return ValidationError(
                f"{date_label(slot.day)}超出可预约范围：{venue.name}最多提前 {venue.max_advance_days} 天预约"
                f"（至{date_label(latest)}）",
                code="too_far",
            )
        if slot.ends_at - slot.starts_at > timedelta(minutes=venue.max_duration_minutes):
            return ValidationError(
                f"{venue.name}单次预约最长 {_minutes_label(venue.max_duration_minutes)}", code="too_long"
            )
        return None

    def _open(self, slot: Slot) -> ValidationError | None:
        if slot.day in self.closed:
            reason = self.closed[slot.day]
            return ValidationError(
                f"{date_label(slot.day)}闭馆{f'（{reason}）' if reason else ''}，不能预约", code="closed"
            )
        start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
        span = self.hours.get(start.weekday())
        inside = (
            span is not None
            and end.date() == start.date()
            and span[0] <= start.time()
            and end.time() <= span[1]
        )
        if not inside:
            return ValidationError(
                f"{date_label(slot.day)} {start:%H:%M}–{end:%H:%M}不在{self.venue.name}的开放时间内"
                f"（{_hours_label(span)}）",
                code="outside_hours",
            )
        return None

    def _free(self, slot: Slot) -> ValidationError | None:
        for other in self.holding:
            if other.starts_at < slot.ends_at and other.ends_at > slot.starts_at:
                return conflict_error(slot.starts_at, slot.ends_at, other)
        return None


def _minutes_label(minutes: int) -> str:
    if minutes % 1440 == 0:
        return f"{minutes // 1440} 天"
    if minutes % 60 == 0:
        return f"{minutes // 60} 小时"
    return f"{minutes} 分钟"


def _hours_label(span: tuple[time, time] | None) -> str:
    return "当天不开放" if span is None else f"当天 {span[0]:%H:%M}–{span[1]:%H:%M} 开放"


def _check_request_basics(venue: Venue, purpose: str, head_count: int) -> None:
    if not (purpose or "").strip():
        raise ValidationError({"purpose": ValidationError("请填写用途", code="required")})
    if not isinstance(head_count, int) or head_count < 1:
        raise ValidationError({"head_count": ValidationError("人数至少为 1", code="head_count")})
    if venue.out_of_service:
        reason = venue.out_of_service_reason or "设施故障"
        raise ValidationError(f"{venue.name}暂停使用（{reason}），暂不能预约", code="out_of_service")
    if head_count > venue.capacity:
        raise ValidationError(
            f"{venue.name}最多容纳 {venue.capacity} 人，预约人数 {head_count} 人超出", code="over_capacity"
        )


def _check_audience(actor: Any, venue: Venue) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("请先登录再预约")
    if not actor.has_perm("venues.book", venue):
        raise ValidationError(f"{venue.name}仅对{_audience_label(venue)}开放预约", code="audience")


def _audience_label(venue: Venue) -> str:
    if venue.audience == "surroundings" and venue.station.open_to_surroundings:
        return f"{venue.station.name}人员及周边社区居民"
    return f"{venue.station.name}人员"


def _check_quota(actor: Any, venue: Venue, slots: Sequence[Slot]) -> None:
    """Per person per month (local month of the start): pending, approved, checked-in and no-show
    bookings of the venue count — a no-show uses up a booking."""
    if not venue.monthly_quota:
        return
    wanted: dict[tuple[int, int], int] = {}
    for slot in slots:
        wanted[(slot.day.year, slot.day.month)] = wanted.get((slot.day.year, slot.day.month), 0) + 1
    for (year, month), count in sorted(wanted.items()):
        start = timezone.make_aware(datetime(year, month, 1))
        end = timezone.make_aware(datetime(year + month // 12, month % 12 + 1, 1))
        used = Reservation.objects.filter(
            venue=venue, holder=actor, status__in=QUOTA_STATUSES, starts_at__gte=start, starts_at__lt=end
        ).count()
        if used + count > venue.monthly_quota:
            raise ValidationError(
                f"{venue.name}每人每月最多预约 {venue.monthly_quota} 次，您{year}年{month}月已预约 {used} 次"
                "（未到场也计入次数）",
                code="quota",
            )


def reservation_request(
    *,
    actor: Any,
    venue: Venue,
    starts_at: datetime,
    ends_at: datetime,
    purpose: str,
    head_count: int,
    recurrence: str | None = None,
    until: date | None = None,
    now: datetime | None = None,
) -> list[Reservation]:
    """Request the venue for [starts_at, ends_at) — and, with `recurrence` (weekly/monthly) and `until`,
    for each repeat. Every occurrence is checked; the refusal names the first one refused. On a venue
    without approval the bookings are approved at once (the same overlap guarantee)."""
    _check_audience(actor, venue)
    now = now or timezone.now()
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("reservation_request needs aware datetimes")
    slots = occurrences(starts_at, ends_at, recurrence, until)
    with transaction.atomic():
        venue = lock_venue(venue)
        _check_request_basics(venue, purpose, head_count)
        checks = VenueRules.load(venue, slots, now)
        for slot in slots:
            error = checks.refusal(slot)
            if error is not None:
                raise _for_occurrence(error, slot, recurring=len(slots) > 1)
        _check_quota(actor, venue, slots)
        made = _create_bookings(actor, venue, slots, purpose.strip(), head_count, recurrence, until, now)
        _record_request(actor, venue, made)
        if any(r.holds_slot for r in made):  # approved at once: the slots are busy
            scopes.bookings_changed(venue_id=venue.pk, station_code=venue.station.code)
    return made


def _for_occurrence(error: ValidationError, slot: Slot, *, recurring: bool) -> ValidationError:
    """A refusal of a recurring request names the first occurrence refused."""
    label, message = date_label(slot.day), error.messages[0]
    if not recurring or message.startswith(label):
        return error
    return ValidationError(f"{label}的预约无法安排：{message}", code=error.code)


def _create_bookings(
    actor: Any,
    venue: Venue,
    slots: Sequence[Slot],
    purpose: str,
    head_count: int,
    recurrence: str | None,
    until: date | None,
    now: datetime,
) -> list[Reservation]:
    series = None
    if recurrence and until is not None and len(slots) > 1:
        series = ReservationSeries.objects.create(
            venue=venue, holder=actor, recurrence=recurrence, until=until, purpose=purpose
        )
    approved = not venue.needs_approval
    made = []
    for slot in slots:
        reservation = Reservation(
            station_id=venue.station_id,
            venue=venue,
            holder=actor,
            purpose=purpose,
            head_count=head_count,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            series=series,
            status=ReservationStatus.APPROVED if approved else ReservationStatus.PENDING,
            decided_at=now if approved else None,
            decision_reason="无需审核，自动通过" if approved else "",
        )
        if approved:
            save_holding(reservation)
        else:
            reservation.save()
        made.append(reservation)
    return made


def _record_request(actor: Any, venue: Venue, made: list[Reservation]) -> None:
    first = made[0]
    record_event(
        actor=actor,
        action="venues.reservation.request",
        target=first,
        station=venue.station,
        data={
            "venue": venue.pk,
            "reservations": [r.pk for r in made],
            "slots": [slot_label(r.starts_at, r.ends_at) for r in made],
            "status": first.status,
        },
    )
    when = slot_label(first.starts_at, first.ends_at) + (f" 等 {len(made)} 次" if len(made) > 1 else "")
    if first.status == ReservationStatus.APPROVED:
        notify(
            recipients=[actor],
            title=f"预约成功：{venue.name}",
            body=f"您已成功预约{venue.name}（{when}）。请在开始前后 15 分钟内扫描场所二维码签到，开始 30 分钟后未签到将释放并计入预约次数。",
            url=reservation_page(first),
            station=venue.station,
        )
        for reservation in made:
            tell_after_commit(
                reservation_decided.send,
                sender=Reservation,
                reservation=reservation,
                approved=True,
                actor=None,
            )
    else:
        notify(
            recipients=guides_of(venue.station_id),
            title=f"待审核的场所预约：{venue.name}",
            body=f"{actor.display_name}申请预约{venue.name}（{when}），用途：{first.purpose}。",
            url=page("venues:review_queue"),
            station=venue.station,
        )


# ---------------------------------------------------------------- decisions


@dataclass(frozen=True)
class ApprovalResult:
    reservation: Reservation
    auto_rejected: list[Reservation] = field(default_factory=list)


def _locked_reservation(reservation: Reservation) -> Reservation:
    return (
        Reservation.objects.select_for_update(of=("self",))
        .select_related("venue", "holder", "station")
        .get(pk=reservation.pk)
    )


def reservation_approve(*, actor: Any, reservation: Reservation) -> ApprovalResult:
    """The guide approves a pending request after seeing its conflicts; pending requests it overlaps are
    rejected automatically with a reason naming it, and the result lists them."""
    require(actor, "venues.review_reservation", reservation, REVIEW_REFUSAL)
    with transaction.atomic():
        venue = lock_venue(reservation.venue)
        locked = _locked_reservation(reservation)
        if locked.status != ReservationStatus.PENDING:
            raise ValidationError(f"该预约{locked.get_status_display()}，不能再审核", code="wrong_state")
        if venue.out_of_service:
            raise ValidationError(f"{venue.name}暂停使用，不能通过预约", code="out_of_service")
        taken = holding_overlaps(venue, locked.starts_at, locked.ends_at, exclude_pk=locked.pk)
        if taken:
            raise conflict_error(locked.starts_at, locked.ends_at, taken[0])
        locked.status, locked.decided_by, locked.decided_at = (
            ReservationStatus.APPROVED,
            actor,
            timezone.now(),
        )
        locked.decision_reason = ""
        save_holding(
            locked, update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"]
        )
        rejected = _reject_overlapping_pending(actor, locked)
        _bookings_changed(locked)
        record_event(
            actor=actor,
            action="venues.reservation.approve",
            target=locked,
            station=venue.station,
            data={"auto_rejected": [r.pk for r in rejected]},
        )
        notify(
            recipients=[locked.holder],
            title=f"预约已通过：{venue.name}",
            body=f"您预约的{venue.name}（{locked.time_label}）已通过审核。请按时到场并扫描场所二维码签到。",
            url=reservation_page(locked),
            station=venue.station,
        )
        tell_after_commit(
            reservation_decided.send, sender=Reservation, reservation=locked, approved=True, actor=actor
        )
    return ApprovalResult(reservation=locked, auto_rejected=rejected)


def _reject_overlapping_pending(actor: Any, approved: Reservation) -> list[Reservation]:
    overlapping = list(
        Reservation.objects.select_for_update()
        .filter(
            venue_id=approved.venue_id,
            status=ReservationStatus.PENDING,
            starts_at__lt=approved.ends_at,
            ends_at__gt=approved.starts_at,
        )
        .exclude(pk=approved.pk)
        .select_related("holder")
        .order_by("starts_at", "id")
    )
    reason = f"与已通过的预约（{approved.holder.display_name}，{approved.time_label}）时间冲突，系统自动驳回"
    now = timezone.now()
    for other in overlapping:
        other.status, other.decided_by, other.decided_at, other.decision_reason = (
            ReservationStatus.REJECTED,
            actor,
            now,
            reason[:200],
        )
    Reservation.objects.bulk_update(overlapping, ["status", "decided_by", "decided_at", "decision_reason"])
    for other in overlapping:
        record_event(
            actor=actor,
            action="venues.reservation.auto_reject",
            target=other,
            station=approved.station,
            data={"approved": approved.pk},
        )
        _tell_rejected(other)
    return overlapping


def _tell_rejected(reservation: Reservation) -> None:
    notify(
        recipients=[reservation.holder],
        title=f"预约未通过：{reservation.venue.name}",
        body=f"您预约的{reservation.venue.name}（{reservation.time_label}）未通过：{reservation.decision_reason}",
        url=reservation_page(reservation),
        station=reservation.station,
    )
    tell_after_commit(
        reservation_decided.send, sender=Reservation, reservation=reservation, approved=False, actor=None
    )


def reservation_reject(*, actor: Any, reservation: Reservation, reason: str) -> Reservation:
    require(actor, "venues.review_reservation", reservation, REVIEW_REFUSAL)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError("请填写不通过的理由", code="required")})
    with transaction.atomic():
        locked = _locked_reservation(reservation)
        if locked.status != ReservationStatus.PENDING:
            raise ValidationError(f"该预约{locked.get_status_display()}，不能再审核", code="wrong_state")
        locked.status, locked.decided_by, locked.decided_at = (
            ReservationStatus.REJECTED,
            actor,
            timezone.now(),
        )
        locked.decision_reason = reason[:200]
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
        _bookings_changed(locked)
        record_event(
            actor=actor,
            action="venues.reservation.reject",
            target=locked,
            station=locked.station,
            data={"reason": locked.decision_reason},
        )
        _tell_rejected(locked)
    return locked


def reservation_cancel(*, actor: Any, reservation: Reservation, reason: str = "") -> Reservation:
    """The holder cancels a pending or approved booking before it starts; the station's guide or admin may
    too, with a reason (the holder is told)."""
    require(actor, "venues.cancel_reservation", reservation, "只能取消自己的预约")
    by_holder = reservation.holder_id == actor.pk
    reason = (reason or "").strip()
    if not by_holder and not reason:
        raise ValidationError({"reason": ValidationError("请填写取消原因", code="required")})
    with transaction.atomic():
        locked = _locked_reservation(reservation)
        if locked.status not in (ReservationStatus.PENDING, ReservationStatus.APPROVED):
            raise ValidationError(f"该预约{locked.get_status_display()}，不能取消", code="wrong_state")
        if by_holder and locked.starts_at <= timezone.now():
            raise ValidationError("预约已开始，不能取消", code="started")
        locked.status = ReservationStatus.CANCELLED
        locked.decision_reason = reason[:200] if not by_holder else locked.decision_reason
        locked.save(update_fields=["status", "decision_reason", "updated_at"])
        _bookings_changed(locked)
        record_event(
            actor=actor,
            action="venues.reservation.cancel",
            target=locked,
            station=locked.station,
            data={"by_holder": by_holder, "reason": reason},
        )
        if not by_holder:
            notify(
                recipients=[locked.holder],
                title=f"预约已取消：{locked.venue.name}",
                body=f"您预约的{locked.venue.name}（{locked.time_label}）已被站点取消：{reason}",
                url=reservation_page(locked),
                station=locked.station,
            )
    return locked


def reservation_check_in(
    *,
    actor: Any,
    reservation: Reservation | None = None,
    venue: Venue | None = None,
    token: str | None = None,
    now: datetime | None = None,
) -> Reservation:
    """Check a booking in: the station's guide (any approved booking, `reservation`), or the holder
    scanning the venue's QR code (`token`, optionally `venue`/`reservation`) from 15 minutes before the
    start to its end."""
    now = now or timezone.now()
    if token is not None:
        reservation = _scanned_booking(actor, reservation, venue, token, now)
    elif reservation is None:
        raise ValueError("reservation_check_in needs a reservation or a token")
    else:
        require(actor, "venues.check_in", reservation, "只有本站点的讲解员可以为他人签到")
    with transaction.atomic():
        locked = _locked_reservation(reservation)
        if locked.status != ReservationStatus.APPROVED:
            raise ValidationError(f"该预约{locked.get_status_display()}，不能签到", code="wrong_state")
        if not locked.starts_at - CHECK_IN_EARLY <= now <= locked.ends_at:
            raise ValidationError("请在预约开始前 15 分钟至结束前签到", code="not_now")
        locked.status, locked.checked_in_at = ReservationStatus.CHECKED_IN, now
        locked.save(update_fields=["status", "checked_in_at", "updated_at"])
        record_event(
            actor=actor,
            action="venues.reservation.check_in",
            target=locked,
            station=locked.station,
            data={"by_qr": token is not None},
        )
        tell_after_commit(reservation_checked_in.send, sender=Reservation, reservation=locked, actor=actor)
    return locked


def _scanned_booking(
    actor: Any, reservation: Reservation | None, venue: Venue | None, token: str, now: datetime
) -> Reservation:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("请先登录再签到")
    scanned = Venue.objects.filter(checkin_token=token).first() if token else None
    if scanned is None or (venue is not None and venue.pk != scanned.pk):
        raise ValidationError("签到码无效，请扫描场所张贴的二维码", code="token")
    if reservation is not None:
        if reservation.venue_id != scanned.pk or reservation.holder_id != actor.pk:
            raise ValidationError("签到码与预约的场所不符", code="token")
        return reservation
    found = (
        Reservation.objects.filter(
            venue=scanned,
            holder=actor,
            status=ReservationStatus.APPROVED,
            starts_at__lte=now + CHECK_IN_EARLY,
            ends_at__gte=now,
        )
        .order_by("starts_at")
        .first()
    )
    if found is None:
        raise ValidationError(f"您现在在{scanned.name}没有可签到的预约", code="not_now")
    return found


def release_no_shows(*, now: datetime | None = None) -> int:
    """Approved bookings not checked in 30 minutes after their start become 未到场 (no-show): the slot is
    released and the booking still counts against the holder's monthly quota. Bookings made for a tour
    are the guide's and are not released. Returns how many were released (run every 5 minutes)."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Reservation.objects.select_for_update()
            .filter(
                status=ReservationStatus.APPROVED,
                checked_in_at__isnull=True,
                starts_at__lte=now - NO_SHOW_GRACE,
            )
            .exclude(tours__status__in=(TourStatus.CONFIRMED, TourStatus.DONE))
            .select_related("venue", "holder", "station")
            .order_by("id")
        )
        for reservation in due:
            _release(reservation, now)
    return len(due)


# ---------------------------------------------------------------- 六有 and equipment


def six_have_check(
    *,
    actor: Any,
    station: Station,
    item: str,
    met: bool,
    note: str = "",
    photos: Iterable[UploadedFile] = (),
) -> SixHaveItem:
    """Record the check of one of the station's 六有 items (§6.1), with evidence photos (re-encoded)."""
    require(actor, "venues.check_six_have", station, "只有本站点的党务工作者或站点管理员可以登记六有检查")
    if item not in SixHave.values:
        raise ValidationError({"item": ValidationError("请选择六有中的一项", code="item")})
    images = [clean_image_upload(photo) for photo in photos]
    with transaction.atomic():
        row, _ = SixHaveItem.objects.select_for_update().get_or_create(station=station, item=item)
        row.met, row.note, row.checked_by, row.checked_at = (
            bool(met),
            (note or "").strip()[:200],
            actor,
            timezone.now(),
        )
        row.save()
        evidence = [SixHaveEvidence(item=row, photo=image, uploaded_by=actor) for image in images]
        for proof in evidence:
            proof.save()
        record_event(
            actor=actor,
            action="venues.six_have.check",
            target=row,
            station=station,
            data={"item": item, "met": row.met, "note": row.note, "photos": [p.photo.name for p in evidence]},
        )
    return row


def equipment_save(
    *, actor: Any, venue: Venue, equipment: Equipment | None, data: Mapping[str, Any]
) -> Equipment:
    """Add (`equipment` None) or edit a piece of the venue's equipment (音响、话筒、桌椅、电子显示屏、投影…)."""
    require(actor, "venues.maintain", venue, MAINTAIN_REFUSAL)
    unknown = set(data) - set(EQUIPMENT_FIELDS)
    if unknown:
        raise ValueError(f"equipment_save: unknown fields {sorted(unknown)}")
    if equipment is not None and equipment.venue_id != venue.pk:
        raise ValidationError("该设备不属于此场所", code="wrong_venue")
    adding = equipment is None
    equipment = equipment or Equipment(venue=venue)
    before = None if adding else snapshot(equipment, fields=editable_field_names(equipment))
    for name, value in data.items():
        setattr(equipment, name, value)
    return save_audited(
        equipment,
        actor=actor,
        action="venues.equipment.create" if adding else "venues.equipment.update",
        station=venue.station,
        before=before,
    )


# ---------------------------------------------------------------- faults


def fault_report(
    *,
    actor: Any,
    venue: Venue,
    description: str,
    equipment: Equipment | None = None,
    blocks_venue: bool = False,
    photo: UploadedFile | None = None,
) -> FaultReport:
    """Anyone signed in reports a fault (with a photo); the building's workers are told. A fault that makes
    the venue unusable puts it out of service — no new bookings — and warns holders of coming bookings."""
    require(actor, "venues.report_fault", venue, "请先登录再报修")
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": ValidationError("请描述故障情况", code="required")})
    if equipment is not None and equipment.venue_id != venue.pk:
        raise ValidationError("该设备不属于此场所", code="wrong_venue")
    image = clean_image_upload(photo) if photo is not None else None
    with transaction.atomic():
        venue = lock_venue(venue)
        fault = FaultReport.objects.create(
            station_id=venue.station_id,
            venue=venue,
            equipment=equipment,
            reporter=actor,
            description=description,
            blocks_venue=bool(blocks_venue),
            **({"photo": image} if image is not None else {}),
        )
        if equipment is not None and equipment.state == EquipmentState.GOOD:
            Equipment.objects.filter(pk=equipment.pk).update(state=EquipmentState.FAULTY)
        record_event(
            actor=actor,
            action="venues.fault.report",
            target=fault,
            station=venue.station,
            data={
                "venue": venue.pk,
                "equipment": equipment.pk if equipment else None,
                "blocks": fault.blocks_venue,
            },
        )
        notify(
            recipients=list(
                role_holders(Role.WORKER, station_id=venue.station_id, building_id=venue.building_id)
            ),
            title=f"新的报修：{venue.name}",
            body=f"{actor.display_name}报修：{description[:100]}"
            + ("（场地无法使用）" if fault.blocks_venue else ""),
            url=page("venues:fault", pk=fault.pk) or page("venues:faults"),
            station=venue.station,
        )
        if fault.blocks_venue:
            _take_out_of_service(venue, fault)
    return fault


def _take_out_of_service(venue: Venue, fault: FaultReport) -> None:
    venue.out_of_service = True
    venue.out_of_service_reason = f"设施故障：{fault.description}"[:200]
    venue.save(update_fields=["out_of_service", "out_of_service_reason", "updated_at"])
    scopes.venues_changed()
    coming = list(
        Reservation.objects.filter(
            venue=venue,
            status__in=(ReservationStatus.PENDING, ReservationStatus.APPROVED),
            ends_at__gt=timezone.now(),
        ).select_related("holder")
    )
    notify(
        recipients=[r.holder for r in coming],
        title=f"场所暂停使用：{venue.name}",
        body=f"{venue.name}因设施故障暂停使用，您的预约可能受影响，请留意站点通知或与讲解员联系。",
        url=page("venues:mine"),
        station=venue.station,
    )
    tell_after_commit(venue_out_of_service.send, sender=Venue, venue=venue, fault=fault)


def _locked_fault(fault: FaultReport) -> FaultReport:
    return (
        FaultReport.objects.select_for_update(of=("self",))
        .select_related("venue", "station", "reporter")
        .get(pk=fault.pk)
    )


def fault_assign(*, actor: Any, fault: FaultReport, assignee: User) -> FaultReport:
    """Assign an open fault to a worker of the venue's building (a worker may take it themselves)."""
    require(actor, "venues.maintain", fault, MAINTAIN_REFUSAL)
    if assignee is None or not assignee.is_active or not assignee.has_perm("venues.maintain", fault):
        raise ValidationError("维修人应为该场所所在楼宇的党务工作者", code="assignee")
    with transaction.atomic():
        locked = _locked_fault(fault)
        if locked.status == FaultStatus.REPAIRED:
            raise ValidationError("该报修已修复", code="wrong_state")
        locked.status, locked.assignee, locked.assigned_at = FaultStatus.ASSIGNED, assignee, timezone.now()
        locked.save(update_fields=["status", "assignee", "assigned_at"])
        record_event(
            actor=actor,
            action="venues.fault.assign",
            target=locked,
            station=locked.station,
            data={"assignee": assignee.pk},
        )
        if assignee.pk != actor.pk:
            notify(
                recipients=[assignee],
                title=f"报修派单：{locked.venue.name}",
                body=f"请处理{locked.venue.name}的报修：{locked.description[:100]}",
                url=page("venues:fault", pk=locked.pk) or page("venues:faults"),
                station=locked.station,
            )
    return locked


def fault_repair(*, actor: Any, fault: FaultReport, note: str) -> FaultReport:
    """Mark the fault repaired; the last open blocking fault of the venue repaired puts it back in service."""
    require(actor, "venues.maintain", fault, MAINTAIN_REFUSAL)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": ValidationError("请填写维修情况", code="required")})
    with transaction.atomic():
        venue = lock_venue(fault.venue)
        locked = _locked_fault(fault)
        if locked.status == FaultStatus.REPAIRED:
            raise ValidationError("该报修已修复", code="wrong_state")
        locked.status, locked.repaired_at, locked.repair_note = (
            FaultStatus.REPAIRED,
            timezone.now(),
            note[:200],
        )
        if locked.assignee_id is None:
            locked.assignee, locked.assigned_at = actor, locked.repaired_at
        locked.save(update_fields=["status", "repaired_at", "repair_note", "assignee", "assigned_at"])
        _equipment_repaired(locked)
        record_event(
            actor=actor,
            action="venues.fault.repair",
            target=locked,
            station=locked.station,
            data={"note": note},
        )
        notify(
            recipients=[locked.reporter],
            title=f"报修已修复：{venue.name}",
            body=f"您报修的问题已处理：{note}",
            url=page("venues:fault", pk=locked.pk),
            station=locked.station,
        )
        if locked.blocks_venue and venue.out_of_service and not _open_blocking(venue).exists():
            venue.out_of_service, venue.out_of_service_reason = False, ""
            venue.save(update_fields=["out_of_service", "out_of_service_reason", "updated_at"])
            scopes.venues_changed()
            tell_after_commit(venue_back_in_service.send, sender=Venue, venue=venue, fault=locked)
    return locked


def _open_blocking(venue: Venue) -> Any:
    return FaultReport.objects.filter(venue=venue, blocks_venue=True).exclude(status=FaultStatus.REPAIRED)


def _equipment_repaired(fault: FaultReport) -> None:
    if fault.equipment_id is None:
        return
    still_open = FaultReport.objects.filter(equipment_id=fault.equipment_id).exclude(
        status=FaultStatus.REPAIRED
    )
    if not still_open.exists():
        Equipment.objects.filter(pk=fault.equipment_id, state=EquipmentState.FAULTY).update(
            state=EquipmentState.GOOD
        )


# ---------------------------------------------------------------- tours (参观预约, §5.4.3)


def tour_request(
    *,
    actor: Any,
    station: Station,
    group_name: str,
    group_kind: str,
    contact_name: str,
    contact_phone: str,
    visitor_count: int,
    starts_at: datetime,
    ends_at: datetime,
    venue: Venue | None = None,
    now: datetime | None = None,
) -> Tour:
    """A group (unit, community…) asks to visit the station; the station's guides are told."""
    require(actor, "venues.request_tour", station, "请先登录再申请参观")
    now = now or timezone.now()
    _check_tour(
        station, group_name, contact_name, contact_phone, visitor_count, starts_at, ends_at, venue, now
    )
    with transaction.atomic():
        tour = Tour(
            station=station,
            group_name=group_name.strip(),
            group_kind=group_kind,
            contact_name=contact_name.strip(),
            contact_phone=contact_phone.strip(),
            visitor_count=visitor_count,
            starts_at=starts_at,
            ends_at=ends_at,
            venue=venue,
            requested_by=actor,
        )
        tour.full_clean()
        tour.save()
        record_event(
            actor=actor,
            action="venues.tour.request",
            target=tour,
            station=station,
            data={
                "group": tour.group_name,
                "visitors": visitor_count,
                "slot": slot_label(starts_at, ends_at),
            },
        )
        notify(
            recipients=guides_of(station.pk),
            title=f"新的参观预约：{tour.group_name}",
            body=f"{tour.group_name}（{visitor_count} 人）申请于{slot_label(starts_at, ends_at)}参观{station.name}。",
            url=page("venues:tour", pk=tour.pk) or page("venues:today"),
            station=station,
        )
    return tour


def _check_tour(
    station: Station,
    group_name: str,
    contact_name: str,
    contact_phone: str,
    visitor_count: int,
    starts_at: datetime,
    ends_at: datetime,
    venue: Venue | None,
    now: datetime,
) -> None:
    if not (group_name or "").strip() or not (contact_name or "").strip():
        raise ValidationError("请填写参观团体和联系人", code="required")
    digits = "".join(ch for ch in contact_phone or "" if ch.isdigit())
    if not 7 <= len(digits) <= 12:
        raise ValidationError({"contact_phone": ValidationError("请填写有效的联系电话", code="phone")})
    if not isinstance(visitor_count, int) or visitor_count < 1:
        raise ValidationError({"visitor_count": ValidationError("参观人数至少为 1", code="visitor_count")})
    if ends_at <= starts_at:
        raise ValidationError("结束时间应晚于开始时间", code="order")
    if starts_at < now:
        raise ValidationError("参观时间已经过去", code="past")
    if venue is not None and venue.station_id != station.pk:
        raise ValidationError({"venue": ValidationError("所选场所不属于该站点", code="wrong_station")})


def _locked_tour(tour: Tour) -> Tour:
    return (
        Tour.objects.select_for_update(of=("self",)).select_related("station", "requested_by").get(pk=tour.pk)
    )


def tour_assign(*, actor: Any, tour: Tour, guide: User) -> Tour:
    require(actor, "venues.handle_tour", tour, TOUR_REFUSAL)
    if guide is None or not guide.is_active or not guide.has_perm("venues.handle_tour", tour):
        raise ValidationError("请选择本站点的讲解员", code="guide")
    with transaction.atomic():
        locked = _locked_tour(tour)
        if locked.status not in (TourStatus.REQUESTED, TourStatus.CONFIRMED):
            raise ValidationError(f"该参观{locked.get_status_display()}，不能指派讲解员", code="wrong_state")
        locked.guide = guide
        locked.save(update_fields=["guide", "updated_at"])
        record_event(
            actor=actor,
            action="venues.tour.assign",
            target=locked,
            station=locked.station,
            data={"guide": guide.pk},
        )
        if guide.pk != actor.pk:
            notify(
                recipients=[guide],
                title=f"参观接待：{locked.group_name}",
                body=f"请接待{locked.group_name}（{locked.visitor_count} 人，{slot_label(locked.starts_at, locked.ends_at)}）。",
                url=page("venues:tour", pk=locked.pk),
                station=locked.station,
            )
    return locked


def tour_confirm(*, actor: Any, tour: Tour, venue: Venue) -> Tour:
    """Confirm the visit and book `venue` for it: an approved booking through the same overlap guard as
    every other (pending requests it overlaps are rejected automatically)."""
    require(actor, "venues.handle_tour", tour, TOUR_REFUSAL)
    if venue.station_id != tour.station_id:
        raise ValidationError({"venue": ValidationError("所选场所不属于该站点", code="wrong_station")})
    with transaction.atomic():
        locked = _locked_tour(tour)
        if locked.status != TourStatus.REQUESTED:
            raise ValidationError(f"该参观{locked.get_status_display()}，不能确认", code="wrong_state")
        booking = _book_for_tour(actor, locked, lock_venue(venue))
        locked.status, locked.venue, locked.reservation = TourStatus.CONFIRMED, venue, booking
        locked.guide = locked.guide or actor
        locked.save(update_fields=["status", "venue", "reservation", "guide", "updated_at"])
        record_event(
            actor=actor,
            action="venues.tour.confirm",
            target=locked,
            station=locked.station,
            data={"venue": venue.pk, "reservation": booking.pk},
        )
        notify(
            recipients=[locked.requested_by],
            title=f"参观已确认：{locked.station.name}",
            body=f"{locked.group_name}于{slot_label(locked.starts_at, locked.ends_at)}在{venue.name}参观，讲解员将接待。",
            url=page("venues:tour", pk=locked.pk),
            station=locked.station,
        )
    return locked


def _book_for_tour(actor: Any, tour: Tour, venue: Venue) -> Reservation:
    if venue.out_of_service:
        raise ValidationError(f"{venue.name}暂停使用，不能安排参观", code="out_of_service")
    if tour.visitor_count > venue.capacity:
        raise ValidationError(
            f"{venue.name}最多容纳 {venue.capacity} 人，参观人数 {tour.visitor_count} 人超出",
            code="over_capacity",
        )
    taken = holding_overlaps(venue, tour.starts_at, tour.ends_at)
    if taken:
        raise conflict_error(tour.starts_at, tour.ends_at, taken[0])
    booking = Reservation(
        station_id=venue.station_id,
        venue=venue,
        holder=tour.requested_by,
        purpose=f"参观接待：{tour.group_name}"[:200],
        head_count=tour.visitor_count,
        starts_at=tour.starts_at,
        ends_at=tour.ends_at,
        status=ReservationStatus.APPROVED,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_reason="参观预约确认",
    )
    save_holding(booking)
    _reject_overlapping_pending(actor, booking)
    scopes.bookings_changed(venue_id=venue.pk, station_code=venue.station.code)
    tell_after_commit(
        reservation_decided.send, sender=Reservation, reservation=booking, approved=True, actor=actor
    )
    return booking


def _release_tour_booking(tour: Tour) -> None:
    if tour.reservation_id is None:
        return
    released = Reservation.objects.filter(
        pk=tour.reservation_id, status__in=(ReservationStatus.PENDING, ReservationStatus.APPROVED)
    ).update(status=ReservationStatus.CANCELLED, updated_at=timezone.now())
    if released and tour.venue_id is not None:  # the tour's venue is its booking's (tour_confirm)
        scopes.bookings_changed(venue_id=tour.venue_id, station_code=tour.station.code)


def tour_decline(*, actor: Any, tour: Tour, reason: str) -> Tour:
    require(actor, "venues.handle_tour", tour, TOUR_REFUSAL)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError("请填写婉拒原因", code="required")})
    with transaction.atomic():
        locked = _locked_tour(tour)
        if locked.status not in (TourStatus.REQUESTED, TourStatus.CONFIRMED):
            raise ValidationError(f"该参观{locked.get_status_display()}，不能婉拒", code="wrong_state")
        _release_tour_booking(locked)
        locked.status, locked.decision_reason = TourStatus.DECLINED, reason[:200]
        locked.save(update_fields=["status", "decision_reason", "updated_at"])
        record_event(
            actor=actor,
            action="venues.tour.decline",
            target=locked,
            station=locked.station,
            data={"reason": reason},
        )
        notify(
            recipients=[locked.requested_by],
            title=f"参观未能安排：{locked.station.name}",
            body=f"很抱歉，{locked.group_name}的参观未能安排：{reason}",
            url=page("venues:tour", pk=locked.pk),
            station=locked.station,
        )
    return locked


def tour_record(*, actor: Any, tour: Tour, actual_count: int, feedback: str) -> Tour:
    """After the visit the guide records how many came and the group's feedback."""
    require(actor, "venues.handle_tour", tour, TOUR_REFUSAL)
    if not isinstance(actual_count, int) or actual_count < 0:
        raise ValidationError({"actual_count": ValidationError("请填写实到人数", code="actual_count")})
    with transaction.atomic():
        locked = _locked_tour(tour)
        if locked.status != TourStatus.CONFIRMED:
            raise ValidationError(f"该参观{locked.get_status_display()}，不能登记结果", code="wrong_state")
        if locked.starts_at > timezone.now():
            raise ValidationError("参观尚未开始，结束后再登记结果", code="not_yet")
        locked.status, locked.actual_count, locked.feedback = (
            TourStatus.DONE,
            actual_count,
            (feedback or "").strip(),
        )
        locked.save(update_fields=["status", "actual_count", "feedback", "updated_at"])
        if locked.reservation_id is not None:
            Reservation.objects.filter(pk=locked.reservation_id, status=ReservationStatus.APPROVED).update(
                status=ReservationStatus.CHECKED_IN, checked_in_at=locked.starts_at, updated_at=timezone.now()
            )
        record_event(
            actor=actor,
            action="venues.tour.record",
            target=locked,
            station=locked.station,
            data={"actual_count": actual_count, "feedback": locked.feedback[:200]},
        )
        tell_after_commit(tour_recorded.send, sender=Tour, tour=locked, actor=actor)
    return locked


def tour_cancel(*, actor: Any, tour: Tour) -> Tour:
    require(actor, "venues.cancel_tour", tour, "只能取消自己申请的参观")
    with transaction.atomic():
        locked = _locked_tour(tour)
        if locked.status not in (TourStatus.REQUESTED, TourStatus.CONFIRMED):
            raise ValidationError(f"该参观{locked.get_status_display()}，不能取消", code="wrong_state")
        _release_tour_booking(locked)
        locked.status = TourStatus.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        record_event(actor=actor, action="venues.tour.cancel", target=locked, station=locked.station)
        recipients = [locked.guide] if locked.guide_id else guides_of(locked.station_id)
        notify(
            recipients=[p for p in recipients if p is not None and p.pk != actor.pk],
            title=f"参观已取消：{locked.group_name}",
            body=f"{locked.group_name}于{slot_label(locked.starts_at, locked.ends_at)}的参观已取消。",
            url=page("venues:tour", pk=locked.pk),
            station=locked.station,
        )
    return locked


def quota_used(*, user: Any, venue: Venue, month: date) -> int:
    """How many bookings of the venue the person has used in the month (no-shows included)."""
    start = timezone.make_aware(datetime(month.year, month.month, 1))
    end = timezone.make_aware(datetime(month.year + month.month // 12, month.month % 12 + 1, 1))
    return int(
        Reservation.objects.filter(
            venue=venue, holder=user, status__in=QUOTA_STATUSES, starts_at__gte=start, starts_at__lt=end
        ).aggregate(n=Count("id"))["n"]
    )


def reservation_mark_no_show(
    *, actor: Any, reservation: Reservation, now: datetime | None = None
) -> Reservation:
    """The guide marks an approved booking 未到场 once it has started: the slot is released and the booking
    counts against the holder's monthly quota (the scheduled task does the same 30 minutes after the start)."""
    require(actor, "venues.review_reservation", reservation, REVIEW_REFUSAL)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_reservation(reservation)
        if locked.status != ReservationStatus.APPROVED:
            raise ValidationError(
                f"该预约{locked.get_status_display()}，不能标记为未到场", code="wrong_state"
            )
        if locked.starts_at > now:
            raise ValidationError("预约尚未开始，不能标记为未到场", code="not_yet")
        _release(locked, now, actor=actor)
    return locked


def _release(reservation: Reservation, now: datetime, *, actor: Any = None) -> None:
    reservation.status, reservation.released_at = ReservationStatus.NO_SHOW, now
    reservation.save(update_fields=["status", "released_at", "updated_at"])
    _bookings_changed(reservation)
    record_event(
        actor=actor, action="venues.reservation.no_show", target=reservation, station=reservation.station
    )
    notify(
        recipients=[reservation.holder],
        title=f"未签到，预约已释放：{reservation.venue.name}",
        body=f"您预约的{reservation.venue.name}（{reservation.time_label}）未签到，已释放，并计入当月预约次数。",
        url=reservation_page(reservation),
        station=reservation.station,
    )
    tell_after_commit(reservation_released.send, sender=Reservation, reservation=reservation)
