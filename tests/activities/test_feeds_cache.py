"""The anonymous station calendar and display screen come from the page cache and show activities at once:
publishing, moving (in time or to another station) and cancelling an activity renews them on commit, an HQ
activity renews every station's screen, and a cached screen ends when a shown activity starts or ends."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.activities.models import Activity
from dangjian.activities.services import activity_cancel, activity_publish, activity_save
from dangjian.core import cache as page_cache
from tests.activities.builders import new_activity
from tests.venues.test_page_cache import body, cached, page_caching  # noqa: F401  page_caching: autouse

pytestmark = pytest.mark.django_db

NEXT_WEEK = timezone.localdate() + timedelta(days=7)


def screen(station: Any) -> str:
    return reverse("news:screen", kwargs={"code": station.code})


def calendar(station: Any) -> str:
    url = reverse("venues:station_calendar", kwargs={"code": station.code})
    return f"{url}?view=month&day={NEXT_WEEK:%Y-%m-%d}"


def pages(station: Any) -> list[str]:
    return [screen(station), calendar(station)]


def draft(life: Any, title: str, **fields: Any) -> Activity:
    return new_activity(
        life.secretary_a, [life.world.org_a], audience="public", title=title, publish=False, **fields
    )


def test_publishing_moving_and_cancelling_show_at_once(
    life, client, django_capture_on_commit_callbacks, django_assert_num_queries
) -> None:
    talk = draft(life, "社区读书会")
    for url in pages(life.world.a):
        assert "社区读书会" not in cached(client, url, django_assert_num_queries)
    with django_capture_on_commit_callbacks(execute=True):
        talk = activity_publish(actor=life.secretary_a, activity=talk)
    for url in pages(life.world.a):
        assert "社区读书会" in body(client, url), url
        assert "社区读书会" in cached(client, url, django_assert_num_queries)

    moved = Activity.objects.prefetch_related("organizers").get(pk=talk.pk)
    moved.starts_at += timedelta(hours=3)
    moved.ends_at += timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        activity_save(actor=life.secretary_a, activity=moved, organizations=[life.world.org_a])
    assert f"{timezone.localtime(moved.starts_at):%H:%M}" in body(client, screen(life.world.a))

    with django_capture_on_commit_callbacks(execute=True):
        activity_cancel(actor=life.secretary_a, activity=moved, reason="场地维修")
    for url in pages(life.world.a):
        assert "社区读书会" not in body(client, url), url


def test_an_hq_activity_renews_every_screen(
    life, client, django_capture_on_commit_callbacks, django_assert_num_queries
) -> None:
    world = life.world
    for station in (world.a, world.b):
        cached(client, screen(station), django_assert_num_queries)
    talk = new_activity(
        world.hq_admin, [], station=world.hq, audience="public", counts_for_life=False, title="总站党史讲座",
        publish=False,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        activity_publish(actor=world.hq_admin, activity=talk)
    for station in (world.a, world.b):
        assert "总站党史讲座" in body(client, screen(station))


def test_an_activity_moved_to_another_station_leaves_the_first(
    life, client, django_capture_on_commit_callbacks
) -> None:
    world = life.world
    talk = new_activity(
        world.hq_admin, [], station=world.a, audience="public", counts_for_life=False, title="巡回宣讲"
    )
    assert "巡回宣讲" in body(client, screen(world.a)) and "巡回宣讲" not in body(client, screen(world.b))
    talk.station = world.b
    with django_capture_on_commit_callbacks(execute=True):
        activity_save(actor=world.hq_admin, activity=talk, organizations=[])
    assert "巡回宣讲" not in body(client, screen(world.a)) and "巡回宣讲" in body(client, screen(world.b))


def test_a_cached_screen_ends_when_a_shown_activity_starts(life, client) -> None:
    soon = timezone.now() + timedelta(minutes=2)  # within the cache's 600 seconds
    talk = new_activity(
        life.secretary_a, [life.world.org_a], audience="public", title="读书会", starts_at=soon
    )
    page_cache._local_pages.clear()
    body(client, screen(life.world.a))
    [(_, _, ends)] = page_cache._local_pages._entries.values()
    assert ends == pytest.approx(talk.starts_at.timestamp(), abs=1)
