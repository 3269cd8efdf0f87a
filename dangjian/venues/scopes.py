"""What the anonymous venue pages show, as page-cache scopes (dangjian/core/cache.py, DESIGN.md "Caching").

- `VENUES`: every venue row and what the list, the venue page and the calendars show of it — name, kind,
  capacity, audience, photo, active, opening hours, closed days, out of service (暂停使用). Bumped by
  `venue_save`, `opening_hours_set`, `closed_day_add`/`_remove` and the faults that take a venue out of
  service or put it back.
- `venue_bookings(pk)` / `station_bookings(code)`: the free/busy of one venue (its page and calendar) and
  of one station (its calendar) — the bookings that hold a slot. Bumped by every write that makes a
  booking hold or free a slot (`bookings_changed`). Pending requests are shown only to their holder and
  the station's staff, who never get a cached page; check-in keeps the slot held, so neither changes the
  anonymous grid.

The grids depend on the date (this week, today's column), so a cached grid ends at the next local midnight
(`next_midnight`).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from dangjian.core import cache as page_cache
from dangjian.core import calendar_feeds

VENUES = "venues"


def venue_bookings(pk: int) -> str:
    """The bookings holding a slot of one venue (its page's week grid, its calendar)."""
    return f"venues:bookings:{pk}"


def station_bookings(code: str) -> str:
    """The bookings holding a slot of any venue of one station (the station's calendar)."""
    return f"venues:station-bookings:{code}"


def bookings_changed(*, venue_id: int, station_code: str) -> None:
    """A booking of the venue started or stopped holding its slot: its grids render afresh on commit."""
    page_cache.bump(venue_bookings(venue_id), station_bookings(station_code))


def venues_changed() -> None:
    """A venue, its opening hours, closed days or service state changed."""
    page_cache.bump(VENUES)


# What each anonymous page shows; the header's station switcher is `STATIONS`, the building and unit
# names on the list and the venue page `STRUCTURE`.
LIST_SCOPES = (page_cache.STATIONS, page_cache.STRUCTURE, VENUES)


def detail_scopes(pk: int) -> tuple[str, ...]:
    return (page_cache.STATIONS, page_cache.STRUCTURE, VENUES, venue_bookings(pk))


def venue_calendar_scopes(pk: int) -> tuple[str, ...]:
    return (page_cache.STATIONS, VENUES, venue_bookings(pk))


def station_calendar_scopes(code: str) -> tuple[str, ...]:
    """The station's calendar also shows the entries of the registered feeds (core.calendar_feeds)."""
    return (page_cache.STATIONS, VENUES, station_bookings(code), *calendar_feeds.scopes_for(code))


def next_midnight() -> datetime:
    """When today's grid stops being true by itself (the current week and today's column move on)."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    return datetime.combine(tomorrow, time.min, tzinfo=timezone.get_current_timezone())
