"""Activities on the station calendar and the display screen (issue 10 §8), through core's registries.

Calendar: a station's published and held activities appear as each person may see them (visitors: the
public ones), with a venue or without; an activity's own venue booking shows once, as the activity (a
person who may not see the activity still sees the booking as 已预约). Screen: "近期活动" lists the public
activities to come of the station and of HQ, never another branch's, a draft, a cancelled or an ended one;
a change that puts an activity on a screen or takes it off tells the open screens. Both pages read a
constant number of queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.activities import feeds
from dangjian.activities.models import Activity
from dangjian.activities.services import activity_cancel, activity_publish, activity_save
from dangjian.core import calendar_feeds, screen_panels
from dangjian.venues.calendars import calendar_month, calendar_week
from tests.activities.builders import new_activity
from tests.venues.builders import at, make_venue

pytestmark = pytest.mark.django_db


def titles(calendar: Any) -> list[str]:
    return [slot.title for day in calendar.days if day.in_range for slot in day.slots]


def week_of(activity: Activity) -> Any:
    return timezone.localtime(activity.starts_at).date()


def station_activity(world: Any, station: Any, title: str, **fields: Any) -> Activity:
    """A station's own public activity (no organisers: a 讲座), published by the station's admin."""
    admin = world.hq_admin if station == world.hq else world.own_admin
    values: dict[str, Any] = {"audience": "public", "counts_for_life": False, "activity_type": "lecture"}
    return new_activity(admin, [], station=station, title=title, **{**values, **fields})


@pytest.fixture
def shown(life: Any) -> Any:
    """A's public activity without a venue, its members-only one, a draft and a cancelled one; B's public
    one — all next week."""
    world = life.world
    life.public = new_activity(
        life.secretary_a, [world.org_a], audience="public", title="社区读书会", location_text="鼓楼社区"
    )
    life.members_only = new_activity(life.secretary_a, [world.org_a], title="支部主题党日")
    life.draft = new_activity(life.secretary_a, [world.org_a], audience="public", title="草稿", publish=False)
    life.cancelled = new_activity(life.secretary_a, [world.org_a], audience="public", title="取消的讲座")
    activity_cancel(actor=life.secretary_a, activity=life.cancelled, reason="场地维修")
    life.elsewhere = new_activity(life.secretary_b, [world.org_b], audience="public", title="金融大厦读书会")
    return life


# ---------------------------------------------------------------- the calendar


def test_the_station_calendar_shows_activities_as_each_person_may_see_them(shown) -> None:
    world, day = shown.world, week_of(shown.public)
    visitor = titles(calendar_week(user=AnonymousUser(), station=world.a, day=day))
    member = titles(calendar_week(user=shown.members[0], station=world.a, day=day))
    other = titles(calendar_week(user=shown.member_b, station=world.a, day=day))
    assert visitor == other == ["社区读书会"]
    assert sorted(member) == ["支部主题党日", "社区读书会"]
    assert "金融大厦读书会" in titles(calendar_week(user=AnonymousUser(), station=world.b, day=day))
    slot = next(
        s for d in calendar_month(user=AnonymousUser(), station=world.a, day=day).days for s in d.slots
    )
    assert slot.is_feed and slot.url == reverse("activities:detail", kwargs={"pk": shown.public.pk})
    assert (slot.venue_name, slot.status_label) == ("鼓楼社区", "主题党日")


def test_an_activitys_own_booking_is_shown_once(life) -> None:
    world = life.world
    hall = make_venue(
        world.a, name="万达党群综合馆", kind="hall", capacity=80, needs_approval=False, audience="public"
    )
    activity = new_activity(
        life.secretary_a, [world.org_a], starts_at=at(3, 10), publish=False, title="在综合馆的主题党日"
    )
    activity = activity_save(
        actor=life.secretary_a, activity=activity, organizations=[world.org_a], venue=hall
    )
    activity_publish(actor=life.secretary_a, activity=activity)
    day = week_of(activity)

    member = [s for d in calendar_week(user=life.members[0], station=world.a, day=day).days for s in d.slots]
    assert [(s.title, s.venue_name, s.is_feed) for s in member] == [
        ("在综合馆的主题党日", "万达党群综合馆", True)
    ]
    visitor = [s for d in calendar_week(user=AnonymousUser(), station=world.a, day=day).days for s in d.slots]
    assert [(s.title, s.is_feed) for s in visitor] == [("已预约", False)]  # the booking, not the activity
    venue_grid = calendar_week(user=life.members[0], venue=hall, day=day)
    assert [s.is_feed for d in venue_grid.days for s in d.slots] == [False]  # a venue's grid: bookings only


def test_the_calendar_page_links_the_activity(shown, client) -> None:
    day = week_of(shown.public)
    url = reverse("venues:station_calendar", kwargs={"code": shown.world.a.code})
    page = client.get(f"{url}?view=month&day={day:%Y-%m-%d}").content.decode()
    assert reverse("activities:detail", kwargs={"pk": shown.public.pk}) in page
    assert "本月预约与活动" in page and "vcal-slot-feed" in page and "支部主题党日" not in page


# ---------------------------------------------------------------- the display screen


def test_the_screen_lists_the_public_activities_of_the_station_and_of_hq(shown, client) -> None:
    world = shown.world
    hq_talk = station_activity(world, world.hq, "总站党史讲座")
    station_activity(world, world.a, "已结束的讲座", starts_at=timezone.now() - timedelta(hours=3))
    under_way = station_activity(
        world, world.a, "进行中的讲座", starts_at=timezone.now() - timedelta(hours=1)
    )

    items = feeds.screen_items(world.a)

    assert [i.title for i in items] == ["进行中的讲座", "社区读书会", "总站党史讲座"]
    assert next(i for i in items if i.title == "总站党史讲座").note == "讲座 · 总站"
    assert next(i for i in items if i.title == "社区读书会").place == "鼓楼社区"
    assert [i.note for i in feeds.screen_items(world.hq)] == ["讲座"]  # HQ's own: no 总站 note
    assert feeds.screen_next_change(world.a) == under_way.ends_at  # the first change: it ends
    assert feeds.screen_next_change(world.b) == shown.elsewhere.starts_at  # or it starts

    page = client.get(reverse("news:screen", kwargs={"code": world.a.code})).content.decode()
    assert "近期活动" in page and "社区读书会" in page and "总站党史讲座" in page
    start = timezone.localtime(hq_talk.starts_at)
    assert f"{start.year}年{start.month}月{start.day}日" in page
    for hidden in ("支部主题党日", "草稿", "取消的讲座", "金融大厦读书会", "已结束的讲座"):
        assert hidden not in page, hidden
    items_page = client.get(reverse("news:screen_items", kwargs={"code": world.a.code})).content.decode()
    assert "社区读书会" in items_page and 'data-panel="activities.upcoming"' in items_page


def test_without_public_activities_the_panel_says_so(world, client) -> None:
    page = client.get(reverse("news:screen", kwargs={"code": world.a.code})).content.decode()
    assert "近期暂无公开活动" in page


def test_screens_are_told_when_an_activity_comes_on_or_goes_off(
    life, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(
        screen_panels.live, "publish", lambda channel, event, data: told.append((channel, event))
    )
    world = life.world
    with django_capture_on_commit_callbacks(execute=True):
        draft = new_activity(life.secretary_a, [world.org_a], audience="public", publish=False)
        members_only = new_activity(life.secretary_a, [world.org_a])
    assert told == []  # a draft and an activity for members only are on no screen
    with django_capture_on_commit_callbacks(execute=True):
        activity_publish(actor=life.secretary_a, activity=draft)
    assert told == [(f"station-{world.a.pk}", "screen.changed")]
    told.clear()
    with django_capture_on_commit_callbacks(execute=True):
        activity_cancel(actor=life.secretary_a, activity=draft, reason="天气原因")
        station_activity(world, world.hq, "总站讲座")
    assert told == [(f"station-{world.a.pk}", "screen.changed"), ("platform", "screen.changed")]
    del members_only


# ---------------------------------------------------------------- the registries


def test_the_registries_refuse_a_key_twice_and_order_what_they_hold(world) -> None:
    def no_scopes(code: str) -> tuple[str, ...]:
        return ()

    nothing = calendar_feeds.CalendarFeed("activities.activities", entries=lambda **k: [], scopes=no_scopes)
    with pytest.raises(ValueError):
        calendar_feeds.register_feed(nothing)
    with pytest.raises(ValueError):
        screen_panels.register_panel(screen_panels.ScreenPanel("activities.upcoming", "x", list, no_scopes))
    assert feeds.station_scope(world.a.code) in calendar_feeds.scopes_for(world.a.code)
    assert feeds.HQ_SCOPE in screen_panels.scopes_for(world.a.code)
    screen_panels.register_panel(screen_panels.ScreenPanel("tests.silent", "无内容", lambda s: [], no_scopes))
    try:
        assert [p.key for p in screen_panels.panels_for(world.a)] == ["activities.upcoming"]
    finally:
        screen_panels.unregister_panel("tests.silent")


# ---------------------------------------------------------------- constant queries


def grow(life: Any, n: int) -> None:
    for i in range(n):
        new_activity(life.secretary_a, [life.world.org_a], audience="public", title=f"公开活动{i}")
        new_activity(life.secretary_a, [life.world.org_a], title=f"党员活动{i}")
        station_activity(life.world, life.world.hq, f"总站活动{i}")


@pytest.mark.parametrize("who", ["anonymous", "member"])
@pytest.mark.parametrize("page", ["calendar", "screen"])
def test_the_pages_read_a_constant_number_of_queries(
    life, client, django_assert_max_num_queries, who, page
) -> None:
    if who == "member":
        client.force_login(life.members[0])
    grow(life, 1)
    day = timezone.localdate() + timedelta(days=7)
    code = life.world.a.code
    url = {
        "calendar": reverse("venues:station_calendar", kwargs={"code": code})
        + f"?view=month&day={day:%Y-%m-%d}",
        "screen": reverse("news:screen", kwargs={"code": code}),
    }[page]
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow(life, 6)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200
