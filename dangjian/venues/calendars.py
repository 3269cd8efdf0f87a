"""Calendars of the venues (§6.2 一馆三区 reservations, issue 9 §5): week and month grids per venue and per
station, and iCalendar exports per venue, per person and per booking.

Free/busy is shown to everyone allowed to see the venue: the times of the bookings that hold a slot, each
titled 已预约. The purpose and the holder are shown only to the holder and to the station's staff (the
guide, the station admin, HQ). Every function reads a constant number of queries whatever the row count:
the venues, their opening hours and closed days, and the reservations of the range, each in one query.
Times are stored in UTC and shown in Asia/Shanghai.

A station's calendar also shows what other capabilities register in `core.calendar_feeds` (activities,
issue 10 §8): each entry as the person may see it; an entry standing for a booking replaces that booking
on the grid, so an activity's own venue booking is not shown twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone

from dangjian.core import calendar_feeds
from dangjian.venues.models import (
    HOLDING_STATUSES,
    ClosedDay,
    OpeningHours,
    Reservation,
    ReservationStatus,
    Venue,
)

WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")
STAFF_DETAIL_PERMISSION = "venues.view_reservation"  # obj: a station (its staff)
# What each person sees of others' bookings; their own pending ones are shown to them (and to staff) too.
SHOWN_TO_ALL = tuple(HOLDING_STATUSES)
SHOWN_TO_HOLDER = (*HOLDING_STATUSES, ReservationStatus.PENDING)
BUSY_LABEL = "已预约"
FEED_STATUS = "feed"  # a slot from core.calendar_feeds, not a booking
ICS_PAST_DAYS = 30
ICS_AHEAD_DAYS = 180
ICS_MAX_EVENTS = 500


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def date_label(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Slot:
    """One booking on the grid: its times always, its purpose and holder only for those who may see them."""

    starts_at: datetime
    ends_at: datetime
    venue_name: str
    status: str
    status_label: str
    title: str
    holder_name: str
    detailed: bool
    mine: bool
    reservation_id: int | None
    url: str = ""  # a registered feed's entry links to its own page

    @property
    def is_feed(self) -> bool:
        return self.status == FEED_STATUS

    @property
    def time_label(self) -> str:
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


@dataclass
class Day:
    date: date
    slots: list[Slot] = field(default_factory=list)
    hours_label: str = ""
    closed_reason: str = ""
    in_range: bool = True
    is_today: bool = False

    @property
    def weekday_label(self) -> str:
        return f"周{WEEKDAYS[self.date.weekday()]}"

    @property
    def is_closed(self) -> bool:
        return bool(self.closed_reason)


@dataclass
class CalendarView:
    view: str  # "week" or "month"
    day: date
    first: date
    last: date
    title: str
    days: list[Day]
    previous: date
    following: date
    venue: Venue | None = None
    station: Any = None
    weekday_headers: tuple[str, ...] = WEEKDAYS

    @property
    def weeks(self) -> list[list[Day]]:
        return [self.days[i : i + 7] for i in range(0, len(self.days), 7)]

    @property
    def slot_count(self) -> int:
        return sum(len(d.slots) for d in self.days if d.in_range)


# ---------------------------------------------------------------- who sees what


class DetailRule:
    """Whether `user` sees the purpose and holder of a booking: its holder, or the station's staff (asked
    once per station, so a grid of many bookings asks a handful of times)."""

    def __init__(self, user: Any, *, stations: list[Any]) -> None:
        self.user = user
        self._staff: dict[int, bool] = {}
        self._stations = {station.pk: station for station in stations}

    def is_staff_id(self, station_id: int) -> bool:
        return self.is_staff(self._stations[station_id])

    def is_staff(self, station: Any) -> bool:
        if not self.user.is_authenticated:
            return False
        if station.pk not in self._staff:
            self._staff[station.pk] = self.user.has_perm(STAFF_DETAIL_PERMISSION, station)
        return self._staff[station.pk]

    def sees(self, reservation: Reservation) -> bool:
        return self.is_mine(reservation) or self.is_staff(reservation.station)

    def is_mine(self, reservation: Reservation) -> bool:
        return bool(self.user.is_authenticated and reservation.holder_id == self.user.pk)


def _slot(reservation: Reservation, rule: DetailRule) -> Slot:
    detailed = rule.sees(reservation)
    return Slot(
        starts_at=timezone.localtime(reservation.starts_at, local_zone()),
        ends_at=timezone.localtime(reservation.ends_at, local_zone()),
        venue_name=reservation.venue.name,
        status=reservation.status,
        status_label=reservation.get_status_display() if detailed else BUSY_LABEL,
        title=reservation.purpose if detailed else BUSY_LABEL,
        holder_name=reservation.holder.display_name if detailed else "",
        detailed=detailed,
        mine=rule.is_mine(reservation),
        reservation_id=reservation.pk if detailed else None,
    )


def _feed_slot(entry: calendar_feeds.CalendarEntry) -> Slot:
    return Slot(
        starts_at=timezone.localtime(entry.starts_at, local_zone()),
        ends_at=timezone.localtime(entry.ends_at, local_zone()),
        venue_name=entry.place,
        status=FEED_STATUS,
        status_label=entry.kind_label,
        title=entry.title,
        holder_name="",
        detailed=False,
        mine=False,
        reservation_id=None,
        url=entry.url,
    )


def _visible(user: Any, rule: DetailRule, station_ids: set[int]) -> Q:
    """Bookings holding a slot for everyone; pending ones for their holder and the station's staff."""
    for pk in station_ids:
        rule.is_staff_id(pk)
    condition = Q(status__in=SHOWN_TO_ALL)
    staff_stations = [pk for pk in station_ids if rule._staff.get(pk)]
    if staff_stations:
        condition |= Q(status=ReservationStatus.PENDING, station_id__in=staff_stations)
    if user.is_authenticated:
        condition |= Q(status=ReservationStatus.PENDING, holder_id=user.pk)
    return condition


# ---------------------------------------------------------------- the grids


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    zone = local_zone()
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
    )


def _venues_of(user: Any, venue: Venue | None, station: Any) -> list[Venue]:
    """The venue, or the station's active venues whose free/busy the person may see (two queries)."""
    from dangjian.venues.selectors import venues_for

    if venue is not None:
        queryset = Venue.objects.filter(pk=venue.pk)
    else:
        queryset = venues_for(user=user, station=station).filter(is_active=True)
    venues = list(
        queryset.select_related("station").prefetch_related(
            Prefetch("hours", queryset=OpeningHours.objects.order_by("weekday"))
        )
    )
    return [v for v in venues if venue is not None or user.has_perm("venues.view_busy", v)]


def _build(
    *,
    user: Any,
    venue: Venue | None,
    station: Any,
    view: str,
    day: date,
    first: date,
    last: date,
    shown: tuple[date, date],
) -> CalendarView:
    if venue is None and station is None:
        raise ValueError("calendar of a venue or of a station")
    venues = _venues_of(user, venue, station)
    station = venue.station if venue is not None else station
    rule = DetailRule(user, stations=[station])
    start, end = _bounds(first, last)
    reservations = (
        Reservation.objects.filter(venue__in=[v.pk for v in venues], starts_at__lt=end, ends_at__gt=start)
        .filter(_visible(user, rule, {station.pk}))
        .select_related("venue", "holder", "station")
        .order_by("starts_at", "id")
    )
    closed = ClosedDay.objects.filter(station=station, date__gte=first, date__lte=last).filter(
        Q(venue__isnull=True) | Q(venue__in=[v.pk for v in venues])
    )
    closed_on: dict[date, str] = {}
    for closed_day in closed:
        if closed_day.venue_id is None or venue is not None:
            closed_on[closed_day.date] = closed_day.reason or "闭馆"
    entries = (
        calendar_feeds.entries_for(user=user, station=station, start=start, end=end) if venue is None else []
    )
    replaced = {entry.reservation_id for entry in entries if entry.reservation_id is not None}
    slots = [_slot(r, rule) for r in reservations if r.pk not in replaced]
    slots += [_feed_slot(entry) for entry in entries]
    by_day: dict[date, list[Slot]] = defaultdict(list)
    for slot in sorted(slots, key=lambda s: (s.starts_at, s.ends_at)):
        current = slot.starts_at.date()
        while current <= slot.ends_at.date() and current <= last:
            if slot.ends_at > datetime.combine(current, time.min, tzinfo=local_zone()):
                by_day[current].append(slot)
            current += timedelta(days=1)
    today = timezone.localdate()
    days = []
    current = first
    while current <= last:
        hours = _hours_label(venue, venues, current)
        days.append(
            Day(
                date=current,
                slots=by_day.get(current, []),
                hours_label=hours,
                closed_reason=closed_on.get(current, "" if hours else ("闭馆" if venue is not None else "")),
                in_range=shown[0] <= current <= shown[1],
                is_today=current == today,
            )
        )
        current += timedelta(days=1)
    if view == "week":
        title = f"{date_label(first)}—{last.month}月{last.day}日"
        previous, following = day - timedelta(days=7), day + timedelta(days=7)
    else:
        title = f"{day.year}年{day.month}月"
        previous = (day.replace(day=1) - timedelta(days=1)).replace(day=1)
        following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return CalendarView(
        view=view,
        day=day,
        first=first,
        last=last,
        title=title,
        days=days,
        previous=previous,
        following=following,
        venue=venue,
        station=station,
    )


def _hours_label(venue: Venue | None, venues: list[Venue], day: date) -> str:
    """The day's opening hours of the venue (empty: closed that weekday); for a station, of its venues."""
    spans = [h for v in venues for h in v.hours.all() if h.weekday == day.weekday()]
    if not spans:
        return ""
    opens, closes = min(h.opens for h in spans), max(h.closes for h in spans)
    return f"{opens:%H:%M}–{closes:%H:%M}"


def calendar_week(*, user: Any, day: date, venue: Venue | None = None, station: Any = None) -> CalendarView:
    first = day - timedelta(days=day.weekday())
    last = first + timedelta(days=6)
    return _build(
        user=user,
        venue=venue,
        station=station,
        view="week",
        day=day,
        first=first,
        last=last,
        shown=(first, last),
    )


def calendar_month(*, user: Any, day: date, venue: Venue | None = None, station: Any = None) -> CalendarView:
    month_first = day.replace(day=1)
    month_last = (month_first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    first = month_first - timedelta(days=month_first.weekday())
    last = month_last + timedelta(days=6 - month_last.weekday())
    return _build(
        user=user,
        venue=venue,
        station=station,
        view="month",
        day=day,
        first=first,
        last=last,
        shown=(month_first, month_last),
    )


# ---------------------------------------------------------------- iCalendar


def _calendar(name: str) -> Any:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//楼宇党建共享平台//场所预约//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _event(reservation: Reservation, *, detailed: bool) -> Any:
    from icalendar import Event

    zone = local_zone()
    venue = reservation.venue
    event = Event()
    event.add("uid", f"venue-reservation-{reservation.pk}@dangjian")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(reservation.starts_at, zone))
    event.add("dtend", timezone.localtime(reservation.ends_at, zone))
    event.add(
        "summary", f"{venue.name}：{reservation.purpose}" if detailed else f"{venue.name}：{BUSY_LABEL}"
    )
    location = " ".join(part for part in (reservation.station.name, venue.name, venue.location_label) if part)
    event.add("location", location)
    if detailed:
        event.add(
            "description",
            f"预约人：{reservation.holder.display_name}；人数：{reservation.head_count}；"
            f"状态：{reservation.get_status_display()}",
        )
    event.add("status", "TENTATIVE" if reservation.status == ReservationStatus.PENDING else "CONFIRMED")
    return event


def _finish(calendar: Any) -> bytes:
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _ics_window() -> tuple[datetime, datetime]:
    now = timezone.now()
    return now - timedelta(days=ICS_PAST_DAYS), now + timedelta(days=ICS_AHEAD_DAYS)


def venue_ics(*, venue: Venue, user: Any) -> bytes:
    """The venue's bookings that hold a slot (the last 30 days and the next 180), details as on its grid."""
    rule = DetailRule(user, stations=[venue.station])
    start, end = _ics_window()
    reservations = (
        Reservation.objects.filter(venue=venue, starts_at__lt=end, ends_at__gt=start)
        .filter(_visible(user, rule, {venue.station_id}))
        .select_related("venue", "holder", "station")
        .order_by("starts_at", "id")[:ICS_MAX_EVENTS]
    )
    calendar = _calendar(f"{venue.station.name} · {venue.name}")
    for reservation in reservations:
        calendar.add_component(_event(reservation, detailed=rule.sees(reservation)))
    return _finish(calendar)


def person_ics(*, user: Any) -> bytes:
    """The person's own bookings (pending as tentative, approved and checked in as confirmed)."""
    start, end = _ics_window()
    reservations = (
        Reservation.objects.filter(
            holder=user, status__in=SHOWN_TO_HOLDER, starts_at__lt=end, ends_at__gt=start
        )
        .select_related("venue", "holder", "station")
        .order_by("starts_at", "id")[:ICS_MAX_EVENTS]
    )
    calendar = _calendar("我的场所预约")
    for reservation in reservations:
        calendar.add_component(_event(reservation, detailed=True))
    return _finish(calendar)


def reservation_ics(*, reservation: Reservation) -> bytes:
    """One booking, for 添加到日历 (the caller has fetched it through `access_reservation`)."""
    calendar = _calendar(f"{reservation.venue.name}预约")
    calendar.add_component(_event(reservation, detailed=True))
    return _finish(calendar)
