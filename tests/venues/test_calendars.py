"""Calendars and iCalendar exports: free/busy for everyone allowed to see the venue, details only for the
holder and the station's staff; the .ics files parse back with icalendar, in Asia/Shanghai."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from dangjian.venues.calendars import calendar_month, calendar_week, person_ics, venue_ics
from dangjian.venues.models import ReservationStatus
from tests.venues.builders import at, booked, day

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def events(content: bytes) -> list:
    return [c for c in Calendar.from_ical(content).walk() if c.name == "VEVENT"]


def test_the_venue_calendar_hides_details_from_others(venues) -> None:
    mine = booked(venues.resident, venues.book_bar, offset=2, start=9, end=11)
    for viewer, sees in (
        (venues.member, False),
        (venues.resident, True),
        (venues.guide_a, True),
        (venues.guide_b, False),
    ):
        found = events(venue_ics(venue=venues.book_bar, user=viewer))
        assert len(found) == 1
        summary = str(found[0]["summary"])
        assert ("读书分享会" in summary) is sees, viewer
        assert ("已预约" in summary) is not sees
        start = found[0].decoded("dtstart")
        assert start == at(2, 9) and start.utcoffset() == at(2, 9).astimezone(SHANGHAI).utcoffset()
        assert str(found[0]["uid"]) == f"venue-reservation-{mine.pk}@dangjian"


def test_the_week_grid_shows_busy_times_and_details_only_to_those_allowed(venues) -> None:
    booked(venues.resident, venues.book_bar, offset=1, start=14, end=16)
    booked(venues.member, venues.book_bar, offset=1, start=9, end=10, status=ReservationStatus.PENDING)
    week = calendar_week(user=venues.member_b, venue=venues.book_bar, day=day(1))
    slots = [s for d in week.days for s in d.slots]
    assert [(s.title, s.holder_name) for s in slots] == [("已预约", "")]  # others' pending ones are not shown
    holder = calendar_week(user=venues.resident, venue=venues.book_bar, day=day(1))
    assert [s.title for d in holder.days for s in d.slots] == ["读书分享会"]
    staff = calendar_week(user=venues.guide_a, station=venues.a, day=day(1))
    assert {s.title for d in staff.days for s in d.slots} == {"读书分享会"}
    assert sorted(s.status for d in staff.days for s in d.slots) == ["approved", "pending"]


def test_the_month_grid_covers_whole_weeks(venues) -> None:
    month = calendar_month(user=venues.member, venue=venues.book_bar, day=day(0))
    assert len(month.days) % 7 == 0 and month.days[0].date.weekday() == 0
    assert all(d.in_range == (d.date.month == day(0).month) for d in month.days)


def test_the_person_feed_has_their_own_bookings(venues, client) -> None:
    booked(venues.resident, venues.book_bar, offset=2)
    booked(venues.resident, venues.hall, offset=4, status=ReservationStatus.PENDING)
    booked(venues.member, venues.hall, offset=5)
    found = events(person_ics(user=venues.resident))
    assert sorted(str(e["status"]) for e in found) == ["CONFIRMED", "TENTATIVE"]
    client.force_login(venues.resident)
    response = client.get(reverse("venues:mine_ics"))
    assert response["Content-Type"].startswith("text/calendar")
    assert "filename*=utf-8''%E6%88%91%E7%9A%84" in response["Content-Disposition"]
    assert len(events(response.content)) == 2


def test_calendar_pages_render_week_and_month(venues, client) -> None:
    booked(venues.resident, venues.book_bar, offset=1)
    url = reverse("venues:calendar", kwargs={"pk": venues.book_bar.pk})
    client.force_login(venues.member)
    week = client.get(url, {"view": "week", "day": day(1).isoformat()}).content.decode()
    assert "已预约" in week and "读书分享会" not in week
    month = client.get(url, {"view": "month", "day": "not-a-day"})
    assert month.status_code == 200
    station = client.get(
        reverse("venues:station_calendar", kwargs={"code": venues.a.code}), {"view": "month"}
    )
    assert station.status_code == 200
