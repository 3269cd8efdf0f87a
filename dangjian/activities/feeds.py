"""Activities on the station calendar and on the display screen (issue 10 §8), through core's registries
(`core.calendar_feeds`, `core.screen_panels`): venues and news read those and never import activities.

- **Calendar**: a station's calendar shows its published and held activities that the person may see
  (anonymous visitors: the public ones), with or without a venue; an activity's own venue booking is
  shown as the activity, not a second time.
- **Screen**: "近期活动" lists the public activities still to come (or under way) of the station and of
  HQ (an HQ activity is for every station, as 全站同步 articles are), soonest first.
- **Freshness**: every saved or deleted activity renews the page-cache scopes of its station (and, for
  HQ, of every screen), old and new station alike, on commit; a change that puts an activity on a screen
  or takes it off tells the open screens at once (`screen.changed`). A cached screen ends when a shown
  activity starts or ends.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_init, post_save
from django.utils import timezone

from dangjian.activities.links import activity_url
from dangjian.activities.models import COUNTING_STATUSES, Activity, ActivityStatus, Audience
from dangjian.activities.selectors import visible_activities
from dangjian.core import cache as page_cache
from dangjian.core import calendar_feeds, screen_panels
from dangjian.stations.models import Station, StationKind
from dangjian.venues import scopes as venue_scopes
from dangjian.venues.models import ReservationStatus

HQ_SCOPE = "activities:hq"  # HQ's public activities: on every station's screen
MAX_CALENDAR_ENTRIES = 300  # a month of one station, with room to spare
SCREEN_ITEMS = 6
HQ_NOTE = "总站"
DROPPED_BOOKINGS = (ReservationStatus.REJECTED, ReservationStatus.CANCELLED)


def station_scope(code: str) -> str:
    """What the calendar and the screen show of one station's activities."""
    return f"activities:station:{code}"


def calendar_scopes(code: str) -> tuple[str, ...]:
    return (station_scope(code),)


def screen_scopes(code: str) -> tuple[str, ...]:
    return (station_scope(code), HQ_SCOPE, venue_scopes.VENUES)


def place_of(activity: Activity) -> str:
    """The booked venue (unless its booking was rejected or cancelled), else the place typed on the activity
    (as the activity pages show it)."""
    booking = activity.reservation
    if booking is not None and booking.status not in DROPPED_BOOKINGS:
        return booking.venue.name
    return activity.location_text


# ---------------------------------------------------------------- the calendar


def calendar_entries(*, user: Any, station: Any, start: datetime, end: datetime) -> list[Any]:
    """The station's published and held activities overlapping [start, end) that the person may see."""
    activities = (
        visible_activities(user)
        .filter(station=station, status__in=COUNTING_STATUSES, starts_at__lt=end, ends_at__gt=start)
        .select_related("reservation__venue")
        .order_by("starts_at", "id")[:MAX_CALENDAR_ENTRIES]
    )
    return [
        calendar_feeds.CalendarEntry(
            starts_at=activity.starts_at,
            ends_at=activity.ends_at,
            title=activity.title,
            kind_label=activity.get_activity_type_display(),
            place=place_of(activity),
            url=activity_url(activity),
            reservation_id=activity.reservation_id,
        )
        for activity in activities
    ]


# ---------------------------------------------------------------- the display screen


def upcoming_public(station: Any, *, now: datetime | None = None) -> QuerySet[Activity]:
    """Public published activities of the station and of HQ that have not ended, soonest first."""
    return (
        Activity.objects.filter(Q(station=station) | Q(station__kind=StationKind.HQ))
        .filter(status=ActivityStatus.PUBLISHED, audience=Audience.PUBLIC, ends_at__gt=now or timezone.now())
        .select_related("station", "reservation__venue")
        .order_by("starts_at", "id")
    )


def screen_items(station: Any) -> list[screen_panels.ScreenItem]:
    items = []
    for activity in upcoming_public(station)[:SCREEN_ITEMS]:
        from_hq = activity.station.kind == StationKind.HQ and activity.station_id != station.pk
        note = activity.get_activity_type_display()
        items.append(
            screen_panels.ScreenItem(
                title=activity.title,
                starts_at=activity.starts_at,
                place=place_of(activity) or activity.station.name,
                note=f"{note} · {HQ_NOTE}" if from_hq else note,
            )
        )
    return items


def screen_next_change(station: Any) -> datetime | None:
    """When the list changes by itself: a shown activity starts (under way) or ends (it leaves)."""
    now = timezone.now()
    shown = upcoming_public(station, now=now).values_list("starts_at", "ends_at")[:SCREEN_ITEMS]
    return min((start if start > now else end for start, end in shown), default=None)


# ---------------------------------------------------------------- keeping pages fresh


class Shown(NamedTuple):
    """What of an activity decides where it is shown, as loaded (post_init) or last saved."""

    station_id: int | None
    status: str
    audience: str

    @property
    def on_screens(self) -> bool:
        return self.status == ActivityStatus.PUBLISHED and self.audience == Audience.PUBLIC


SNAPSHOT = "_feeds_shown"


def _shown(activity: Activity) -> Shown:
    values = activity.__dict__
    return Shown(values.get("station_id"), values.get("status", ""), values.get("audience", ""))


def remember(sender: Any, instance: Activity, **kwargs: Any) -> None:
    instance.__dict__[SNAPSHOT] = _shown(instance)


def activity_changed(sender: Any, instance: Activity, **kwargs: Any) -> None:
    """Renew the calendar and screen scopes of the activity's station, before and after the change."""
    before: Shown = instance.__dict__.get(SNAPSHOT) or Shown(None, "", "")
    after = _shown(instance)
    ids = {before.station_id, after.station_id} - {None}
    stations = list(Station.objects.filter(pk__in=ids).only("code", "kind"))
    scopes: list[str] = []
    for station in stations:
        scopes.append(station_scope(station.code))
        if station.kind == StationKind.HQ:
            scopes.append(HQ_SCOPE)
    page_cache.bump(*scopes)
    if before.on_screens or after.on_screens:
        for station in stations:
            screen_panels.screen_changed(station_id=station.pk, everywhere=station.kind == StationKind.HQ)
    instance.__dict__[SNAPSHOT] = after


def register() -> None:
    """Called once from `ActivitiesConfig.ready`."""
    calendar_feeds.register_feed(
        calendar_feeds.CalendarFeed(
            key="activities.activities", entries=calendar_entries, scopes=calendar_scopes
        )
    )
    screen_panels.register_panel(
        screen_panels.ScreenPanel(
            key="activities.upcoming",
            title="近期活动",
            items=screen_items,
            scopes=screen_scopes,
            next_change=screen_next_change,
            order=10,
            empty_text="近期暂无公开活动",
        )
    )
    post_init.connect(remember, sender=Activity, dispatch_uid="activities.feeds.remember")
    post_save.connect(activity_changed, sender=Activity, dispatch_uid="activities.feeds.saved")
    post_delete.connect(activity_changed, sender=Activity, dispatch_uid="activities.feeds.deleted")
