"""Anonymous venue pages come from the page cache (dangjian/core/cache.py, dangjian/venues/scopes.py) and
never show anything stale: a hit runs no SQL, and every change made through the services — a venue edit,
a blocking fault and its repair, a booking approved, cancelled or released as a no-show, a tour's booking —
shows at the next anonymous request. The free/busy grids end at the next midnight; signed-in people never
get a cached page."""

from __future__ import annotations

import re
import time as time_module
from collections.abc import Iterator
from datetime import time, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.core import cache as page_cache
from dangjian.venues import scopes, services
from dangjian.venues.models import ReservationStatus, Venue
from tests.venues.builders import at, day, make_venue, request

pytestmark = pytest.mark.django_db

OFFSET, START, END = 3, 10, 12
SLOT = "10:00–12:00"  # the booking's times on every grid (the venues open 08:00–21:00)
CSRF_TOKEN = re.compile(r"\b[A-Za-z0-9]{64}\b")


@pytest.fixture(autouse=True)
def page_caching(settings: Any) -> Iterator[None]:
    """Caching on, in this process's own memory (as tests/portal/test_cache.py)."""
    settings.PAGE_CACHE_SECONDS = 600
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "venue-page-cache-tests",
        }
    }
    cache.clear()
    page_cache._local_pages.clear()
    yield
    cache.clear()
    page_cache._local_pages.clear()


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Any) -> Any:
    """Run services as if their transaction committed: the on-commit version bumps happen."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def public(venues: Any) -> Any:
    """Two venues of A that anonymous visitors see: a lecture room needing approval, a salon booked at once."""
    venues.lecture = make_venue(venues.a, name="万达共享讲堂", kind="lecture", audience="public")
    venues.salon = make_venue(
        venues.a, name="万达共享沙龙", kind="salon", audience="public", needs_approval=False
    )
    return venues


def body(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def cached(client: Client, url: str, django_assert_num_queries: Any) -> str:
    """The page, served from the cache: filled by a first request, then a second one runs no SQL."""
    first = body(client, url)
    with django_assert_num_queries(0):
        second = body(client, url)
    assert CSRF_TOKEN.sub("", second) == CSRF_TOKEN.sub("", first)  # each response: its own masked token
    return second


def grids(venue: Venue) -> list[str]:
    """The pages showing the venue's free/busy on the booking's day."""
    on = f"?day={day(OFFSET):%Y-%m-%d}"
    return [
        reverse("venues:detail", kwargs={"pk": venue.pk}) + on,
        reverse("venues:calendar", kwargs={"pk": venue.pk}) + on,
        reverse("venues:calendar", kwargs={"pk": venue.pk}) + on + "&view=month",
        reverse("venues:station_calendar", kwargs={"code": venue.station.code}) + on,
    ]


def venue_pages(venue: Venue) -> list[str]:
    return [
        reverse("venues:list"),
        reverse("venues:list") + f"?station={venue.station.code}&kind={venue.kind}",
        reverse("venues:detail", kwargs={"pk": venue.pk}),
    ]


# ---------------------------------------------------------------- cached, and bypassed when personal


def test_anonymous_venue_pages_are_cached_and_a_hit_runs_no_sql(
    public, client, django_assert_num_queries
) -> None:
    for url in [*venue_pages(public.lecture), *grids(public.lecture)]:
        page = cached(client, url, django_assert_num_queries)
        assert public.lecture.name in page or public.a.name in page, url
    assert public.hall.name not in body(client, reverse("venues:list"))  # 本站人员 only: not for visitors


def rendered(client: Client, url: str) -> str:
    """The page, rendered afresh (it ran SQL: not from the cache)."""
    with CaptureQueriesContext(connection) as queries:
        page = body(client, url)
    assert len(queries) > 0, url
    return page


def test_signed_in_people_and_other_parameters_bypass_the_cache(public, client) -> None:
    url = grids(public.lecture)[0]
    body(client, url)
    rendered(client, url + "&page=2")  # a parameter the page does not name: rendered afresh
    request(public.member, public.lecture, OFFSET, START, END)
    client.force_login(public.member)
    for page in grids(public.lecture):
        assert SLOT in rendered(client, page), page  # the holder sees their own pending request
        assert SLOT in rendered(client, page), page
    client.logout()
    assert SLOT not in body(client, url)  # visitors do not


def test_a_grid_ends_at_the_next_midnight_and_the_list_does_not(public, client) -> None:
    midnight = scopes.next_midnight()
    assert timedelta(0) < midnight - timezone.localtime() <= timedelta(days=1)
    assert timezone.localtime(midnight).time() == time.min
    body(client, grids(public.lecture)[0])
    [(_, _, grid_ends)] = page_cache._local_pages._entries.values()
    assert grid_ends <= midnight.timestamp()
    page_cache._local_pages.clear()
    started = time_module.time()
    body(client, reverse("venues:list"))
    [(_, _, list_ends)] = page_cache._local_pages._entries.values()
    assert list_ends >= started + 600


# ---------------------------------------------------------------- venues


def test_a_venue_edit_shows_at_once(public, client, commit, django_assert_num_queries) -> None:
    for url in venue_pages(public.lecture) + grids(public.lecture):
        assert "红色书香讲堂" not in cached(client, url, django_assert_num_queries)
    with commit():
        services.venue_save(actor=public.own_admin, venue=public.lecture, data={"name": "红色书香讲堂"})
    for url in venue_pages(public.lecture) + grids(public.lecture)[:3]:
        assert "红色书香讲堂" in body(client, url), url
    for url in venue_pages(public.lecture):
        assert "红色书香讲堂" in cached(client, url, django_assert_num_queries)


def test_a_venue_made_station_only_leaves_the_visitors_list(public, client, commit) -> None:
    assert public.lecture.name in body(client, reverse("venues:list"))
    with commit():
        services.venue_save(actor=public.own_admin, venue=public.lecture, data={"audience": "station"})
    assert public.lecture.name not in body(client, reverse("venues:list"))
    assert client.get(reverse("venues:detail", kwargs={"pk": public.lecture.pk})).status_code == 404


def test_a_blocking_fault_and_its_repair_show_at_once(
    public, client, commit, django_assert_num_queries
) -> None:
    pages = venue_pages(public.lecture)
    for url in pages:
        assert "暂停使用" not in cached(client, url, django_assert_num_queries)
    with commit():
        fault = services.fault_report(
            actor=public.resident, venue=public.lecture, description="投影仪冒烟", blocks_venue=True
        )
    for url in pages:
        assert "暂停使用" in body(client, url), url
    for url in pages:
        assert "暂停使用" in cached(client, url, django_assert_num_queries)
    with commit():
        services.fault_repair(actor=public.worker_a, fault=fault, note="已更换投影仪")
    for url in pages:
        assert "暂停使用" not in body(client, url), url


def test_opening_hours_and_closed_days_show_at_once(public, client, commit) -> None:
    url = grids(public.lecture)[0]
    assert "09:30–17:30" not in body(client, url)
    with commit():
        services.opening_hours_set(
            actor=public.own_admin,
            venue=public.lecture,
            hours={d: (time(9, 30), time(17, 30)) for d in range(7)},
        )
    assert "09:30–17:30" in body(client, url)
    with commit():
        closed = services.closed_day_add(
            actor=public.own_admin, station=public.a, venue=None, date=day(OFFSET), reason="设备检修闭馆"
        )
    assert "设备检修闭馆" in body(client, url)
    with commit():
        services.closed_day_remove(actor=public.own_admin, closed_day=closed)
    assert "设备检修闭馆" not in body(client, url)


# ---------------------------------------------------------------- bookings


def test_an_approval_shows_the_busy_slot_at_once(public, client, commit, django_assert_num_queries) -> None:
    pages = grids(public.lecture)
    for url in pages:
        assert SLOT not in cached(client, url, django_assert_num_queries)
    with commit():
        [pending] = request(public.member, public.lecture, OFFSET, START, END)
    for url in pages:
        assert SLOT not in cached(client, url, django_assert_num_queries)  # pending: not shown to visitors
    with commit():
        services.reservation_approve(actor=public.guide_a, reservation=pending)
    for url in pages:
        assert SLOT in body(client, url), url
    for url in pages:
        assert SLOT in cached(client, url, django_assert_num_queries)


def test_an_auto_approved_request_and_its_cancellation_show_at_once(
    public, client, commit, django_assert_num_queries
) -> None:
    pages = grids(public.salon)
    for url in pages:
        assert SLOT not in cached(client, url, django_assert_num_queries)
    with commit():
        [booking] = request(public.member, public.salon, OFFSET, START, END)
    assert booking.status == ReservationStatus.APPROVED
    for url in pages:
        assert SLOT in cached(client, url, django_assert_num_queries)
    with commit():
        services.reservation_cancel(actor=public.member, reservation=booking)
    for url in pages:
        assert SLOT not in body(client, url), url


def test_a_no_show_released_by_the_task_frees_the_slot_at_once(
    public, client, commit, django_assert_num_queries
) -> None:
    with commit():
        [booking] = request(public.member, public.salon, OFFSET, START, END)
    pages = grids(public.salon)
    for url in pages:
        assert SLOT in cached(client, url, django_assert_num_queries)
    with commit():
        assert services.release_no_shows(now=booking.starts_at + timedelta(minutes=30)) == 1
    for url in pages:
        assert SLOT not in body(client, url), url


def test_a_tour_confirmed_and_cancelled_shows_at_once(public, client, commit) -> None:
    tour = services.tour_request(
        actor=public.resident,
        station=public.a,
        group_name="鼓楼社区党支部",
        group_kind="community",
        contact_name="顾晓梅",
        contact_phone="13952612345",
        visitor_count=15,
        starts_at=at(OFFSET, START),
        ends_at=at(OFFSET, END),
    )
    pages = grids(public.lecture)
    for url in pages:
        assert SLOT not in body(client, url)
    with commit():
        services.tour_confirm(actor=public.guide_a, tour=tour, venue=public.lecture)
    for url in pages:
        assert SLOT in body(client, url), url
    tour.refresh_from_db()
    with commit():
        services.tour_cancel(actor=public.resident, tour=tour)
    for url in pages:
        assert SLOT not in body(client, url), url


def test_a_booking_of_one_venue_leaves_the_others_cached(
    public, client, commit, django_assert_num_queries
) -> None:
    other = reverse("venues:detail", kwargs={"pk": public.lecture.pk})
    cached(client, other, django_assert_num_queries)
    with commit():
        request(public.member, public.salon, OFFSET, START, END)
    with django_assert_num_queries(0):
        body(client, other)
