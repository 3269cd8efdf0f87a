"""Every venues list and calendar reads a constant number of queries, whatever the row count."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.venues.models import Equipment, FaultReport, ReservationStatus, Tour
from tests.venues.builders import at, booked, day, make_venue

pytestmark = pytest.mark.django_db
MAX_QUERIES = 25


def grow(w: Any, n: int) -> None:
    first_slot = w.book_bar.reservations.count()  # grown twice: the second round takes later slots
    for i in range(n):
        venue = make_venue(w.a, name=f"活动室{Venue_count(w)}-{i}", audience="public")
        Equipment.objects.create(venue=venue, kind="audio", name="音响")
        for slot in (
            first_slot + 2 * i,
            first_slot + 2 * i + 1,
        ):  # approved bookings of one venue never overlap (PostgreSQL refuses)
            start = 8 + 2 * (slot % 6)
            booked(w.resident, w.book_bar, offset=1 + slot // 6, start=start, end=start + 1)
        booked(w.member, venue, offset=2, start=10, end=11, status=ReservationStatus.PENDING)
        FaultReport.objects.create(station=w.a, venue=venue, reporter=w.resident, description="话筒坏了")
        Tour.objects.create(
            station=w.a,
            group_name=f"参观团{i}",
            contact_name="顾丽华",
            contact_phone="13805261234",
            visitor_count=10,
            starts_at=at(3, 9),
            ends_at=at(3, 10),
            requested_by=w.resident,
        )


def Venue_count(w: Any) -> int:
    from dangjian.venues.models import Venue

    return Venue.objects.count()


PAGES = [
    ("resident", lambda w: reverse("venues:list")),
    ("resident", lambda w: reverse("venues:mine")),
    ("member", lambda w: reverse("venues:detail", kwargs={"pk": w.book_bar.pk}) + f"?day={day(2)}"),
    ("member", lambda w: reverse("venues:calendar", kwargs={"pk": w.book_bar.pk}) + "?view=month"),
    ("guide_a", lambda w: reverse("venues:calendar", kwargs={"pk": w.book_bar.pk}) + f"?day={day(2)}"),
    ("guide_a", lambda w: reverse("venues:station_calendar", kwargs={"code": w.a.code}) + "?view=month"),
    ("guide_a", lambda w: reverse("venues:station_calendar", kwargs={"code": w.a.code}) + f"?day={day(2)}"),
    ("guide_a", lambda w: reverse("venues:review_queue")),
    ("guide_a", lambda w: reverse("venues:today")),
    ("guide_a", lambda w: reverse("venues:tours")),
    ("own_admin", lambda w: reverse("venues:faults")),
    ("own_admin", lambda w: reverse("venues:venue_list")),
    ("own_admin", lambda w: reverse("venues:six_have")),
    ("hq_admin", lambda w: reverse("venues:six_have_overview")),
    ("resident", lambda w: reverse("venues:mine_ics")),
    ("guide_a", lambda w: reverse("venues:venue_ics", kwargs={"pk": w.book_bar.pk})),
]


def count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("index", range(len(PAGES)))
def test_constant_queries(venues, client, django_assert_max_num_queries, index) -> None:
    role, url_of = PAGES[index]
    client.force_login(getattr(venues, role))
    grow(venues, 2)
    url = url_of(venues)
    few = count(client, url)
    grow(venues, 6)
    with django_assert_max_num_queries(MAX_QUERIES):
        many = count(client, url)
    assert many == few, f"{url}: {few} queries with few rows, {many} with many"
