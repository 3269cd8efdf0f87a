"""The registry of what a station's calendar shows besides its venue bookings (DESIGN.md: core knows no
capability; the venues calendar reads this registry, never another app).

A capability registers a `CalendarFeed` (`register_feed`, from its `AppConfig.ready`): `entries(user=,
station=, start=, end=)` answers the entries of one station between two aware moments that the person
may see, in a constant number of queries; `scopes(code)` names the page-cache scopes (dangjian/core/cache.py) of what
the feed shows of that station, so the calendar's cached anonymous page renders afresh when the feed's
content changes. An entry that stands for a venue booking names it (`reservation_id`): the calendar then
shows the entry instead of the booking, never both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dangjian.core.registry import Registry


@dataclass(frozen=True)
class CalendarEntry:
    starts_at: datetime  # aware
    ends_at: datetime
    title: str
    kind_label: str  # what the entry is, shown beside it: "主题党日"
    place: str  # a venue's name or a typed place
    url: str = ""  # the entry's page
    reservation_id: int | None = None  # the venue booking this entry stands for


Entries = Callable[..., list[CalendarEntry]]  # (*, user, station, start, end)
Scopes = Callable[[str], tuple[str, ...]]  # station code -> page-cache scopes


@dataclass(frozen=True)
class CalendarFeed:
    key: str  # unique, prefixed by the registering app: "activities.activities"
    entries: Entries
    scopes: Scopes


_FEEDS: Registry[CalendarFeed] = Registry("calendar feed")
register_feed = _FEEDS.register
unregister_feed = _FEEDS.unregister
registered_feeds = _FEEDS.items


def entries_for(*, user: Any, station: Any, start: datetime, end: datetime) -> list[CalendarEntry]:
    """Every feed's entries of the station overlapping [start, end), by start time."""
    found = [
        entry
        for feed in registered_feeds()
        for entry in feed.entries(user=user, station=station, start=start, end=end)
    ]
    return sorted(found, key=lambda entry: (entry.starts_at, entry.title))


def scopes_for(code: str) -> tuple[str, ...]:
    return tuple(scope for feed in registered_feeds() for scope in feed.scopes(code))
