"""A visitor has a station's portal page open; an article is published; a banner announces it at once
(DB3212/T 1124 §7.1 real-time propagation)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dangjian.core import live
from dangjian.core.live import publish
from tests import factories as f
from tests.browser_support import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def streams_end() -> Iterator[None]:
    """End the live server's open streams after the test, so none of its threads keeps waiting."""
    yield
    live.close_subscriptions()


@pytest.mark.django_db(transaction=True)
def test_new_article_banner_appears_live(live_server, browser, streams_end, screenshot_dir: Path) -> None:
    station = f.StationFactory(code="wanda", name="万达广场分站")
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/stations/{station.code}/")
        body = page.locator("body")
        assert body.get_attribute("data-live-channels") == f"station-{station.pk} platform"
        # The stream is open (and so subscribed) before anything is published.
        page.wait_for_selector(f'body[data-live-open~="station-{station.pk}"]', timeout=5000)

        publish(
            f"station-{station.pk}",
            "article.published",
            {"title": "万达广场分站开展主题党日活动", "url": "/"},
        )

        banner = page.locator("#live-banner .alert")
        banner.get_by_text("万达广场分站开展主题党日活动").wait_for(timeout=2000)
        assert banner.inner_text().startswith("新发布：万达广场分站开展主题党日活动")
        assert banner.get_by_role("link").get_attribute("href") == "/"
        page.screenshot(path=str(screenshot_dir / "live-banner-375.png"))

        banner.get_by_role("button", name="关闭").click()
        banner.wait_for(state="detached", timeout=2000)
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_event_data_is_shown_as_text_never_as_markup(live_server, browser, streams_end) -> None:
    station = f.StationFactory(code="jinrong", name="金融大厦分站")
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/stations/{station.code}/")
        page.wait_for_selector('body[data-live-open~="platform"]', timeout=5000)
        page.evaluate(
            "() => document.addEventListener('live:article.published',"
            " (e) => { window.liveDetail = e.detail; }, {once: true})"
        )

        title = '<img src=x onerror="document.body.dataset.pwned=1">标题'
        publish("platform", "article.published", {"title": title, "url": "javascript:alert(1)"})

        banner = page.locator("#live-banner .alert")
        banner.wait_for(timeout=2000)
        assert page.evaluate("() => window.liveDetail") == {"title": title, "url": "javascript:alert(1)"}
        assert banner.inner_text().startswith("新发布：" + title)
        assert banner.locator("img").count() == 0
        assert banner.get_by_role("link").count() == 0  # an unsafe url is not made a link
        assert page.locator("body").get_attribute("data-pwned") is None
    finally:
        context.close()
