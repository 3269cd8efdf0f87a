"""A station's calendar shows what other capabilities register in core.calendar_feeds, beside its venue
bookings (venues imports no capability): each entry in the person's grid with its link and place; an entry
standing for a booking replaces it; a venue's own calendar shows bookings only; the feed's scopes are in
the station calendar's page-cache key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from dangjian.core import calendar_feeds
from dangjian.venues import scopes
from dangjian.venues.calendars import calendar_month, calendar_week
from tests.venues.builders import at, booked, day

pytestmark = pytest.mark.django_db
KEY = "tests.feed"


@pytest.fixture
def feed(venues: Any) -> Iterator[list[calendar_feeds.CalendarEntry]]:
    """A feed answering the entries the test puts in the list (for station A only)."""
    shown: list[calendar_feeds.CalendarEntry] = []

    def entries(*, user: Any, station: Any, start: Any, end: Any) -> list[calendar_feeds.CalendarEntry]:
        return [e for e in shown if station == venues.a and start <= e.starts_at < end]

    scopes = lambda code: (f"tests:feed:{code}",)  # noqa: E731
    calendar_feeds.register_feed(calendar_feeds.CalendarFeed(key=KEY, entries=entries, scopes=scopes))
    yield shown
    calendar_feeds.unregister_feed(KEY)


def entry(title: str, offset: int, start: int, end: int, **fields: Any) -> calendar_feeds.CalendarEntry:
    return calendar_feeds.CalendarEntry(
        starts_at=at(offset, start), ends_at=at(offset, end), title=title, kind_label="讲座", **fields
    )


def test_entries_join_the_bookings_in_time_order(venues, feed) -> None:
    booked(venues.resident, venues.book_bar, offset=2, start=9, end=11)
    feed.append(entry("楼宇读书会", 2, 14, 16, place="万达书吧", url="/activities/1/"))
    feed.append(entry("早间党课", 2, 8, 9, place=""))
    week = calendar_week(user=venues.guide_a, station=venues.a, day=day(2))
    slots = next(d for d in week.days if d.date == day(2)).slots
    assert [(s.title, s.is_feed) for s in slots] == [
        ("早间党课", True),
        ("读书分享会", False),
        ("楼宇读书会", True),
    ]
    assert slots[2].url == "/activities/1/" and slots[2].status_label == "讲座"
    assert calendar_week(user=venues.guide_a, station=venues.b, day=day(2)).slot_count == 0
    assert calendar_month(user=venues.guide_a, venue=venues.book_bar, day=day(2)).slot_count == 1


def test_an_entry_standing_for_a_booking_replaces_it(venues, feed) -> None:
    booking = booked(venues.resident, venues.book_bar, offset=2, start=9, end=11)
    feed.append(entry("读书会（活动）", 2, 9, 11, place="万达书吧", url="/a/", reservation_id=booking.pk))
    week = calendar_week(user=venues.guide_a, station=venues.a, day=day(2))
    assert [s.title for d in week.days for s in d.slots] == ["读书会（活动）"]


def test_the_station_calendar_page_and_its_cache_scopes(venues, feed, client) -> None:
    feed.append(entry("楼宇读书会", 2, 14, 16, place="万达书吧", url="/activities/1/"))
    assert "tests:feed:wanda" in scopes.station_calendar_scopes("wanda")
    url = reverse("venues:station_calendar", kwargs={"code": venues.a.code})
    page = client.get(f"{url}?day={day(2):%Y-%m-%d}").content.decode()
    assert 'href="/activities/1/"' in page and "楼宇读书会" in page and "（讲座）" in page
