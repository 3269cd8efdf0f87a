"""The display screen shows the panels other capabilities register in core.screen_panels (news imports no
capability): each with its items (dates with the year) or its empty text; a panel's scopes are in the
screen's page-cache key, and a cached screen ends when a panel changes by itself."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.core import cache as page_cache
from dangjian.core import screen_panels
from tests.venues.test_page_cache import body, cached, page_caching  # noqa: F401  page_caching: autouse

pytestmark = pytest.mark.django_db
KEY = "tests.panel"


@pytest.fixture
def panel(world: Any) -> Iterator[list[screen_panels.ScreenItem]]:
    shown: list[screen_panels.ScreenItem] = []
    screen_panels.register_panel(
        screen_panels.ScreenPanel(
            key=KEY,
            title="测试栏目",
            items=lambda station: [item for item in shown if station == world.a],
            scopes=lambda code: (f"tests:panel:{code}",),
            next_change=lambda station: min((i.starts_at for i in shown if i.starts_at), default=None),
            order=1,
            empty_text="暂无测试内容",
        )
    )
    yield shown
    screen_panels.unregister_panel(KEY)


def test_a_panel_shows_its_items_or_its_empty_text(world, panel, client) -> None:
    start = timezone.localtime() + timedelta(days=3)
    panel.append(screen_panels.ScreenItem(title="楼宇读书会", starts_at=start, place="万达书吧", note="讲座"))
    page = body(client, reverse("news:screen", kwargs={"code": world.a.code}))
    assert 'data-panel="tests.panel"' in page and "楼宇读书会" in page and "万达书吧 · 讲座" in page
    assert f"{start.year}年{start.month}月{start.day}日" in page
    assert "暂无测试内容" in body(client, reverse("news:screen_items", kwargs={"code": world.b.code}))


def test_the_cached_screen_renews_with_the_panels_scopes_and_ends_at_its_next_change(
    world, panel, client, django_capture_on_commit_callbacks, django_assert_num_queries
) -> None:
    url = reverse("news:screen", kwargs={"code": world.a.code})
    assert "楼宇读书会" not in cached(client, url, django_assert_num_queries)
    panel.append(
        screen_panels.ScreenItem(title="楼宇读书会", starts_at=timezone.now() + timedelta(minutes=3))
    )
    assert "楼宇读书会" not in cached(client, url, django_assert_num_queries)  # still the cached page
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.bump(f"tests:panel:{world.a.code}")
    page_cache._local_pages.clear()
    assert "楼宇读书会" in body(client, url)
    ends = [stored[2] for stored in page_cache._local_pages._entries.values()]
    assert ends == [pytest.approx(panel[0].starts_at.timestamp(), abs=1)]
