"""In Chromium on a 375 px phone: the compliance pages draw their ECharts chart (under the site's CSP, no
console error), the records (台账) page fits the screen and prints, and an activity shows on the station
calendar and the display screen's "近期活动"."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.activities.defaults import ensure_default_rules
from dangjian.activities.models import LifeRequirement, LifeRuleSet
from tests.activities.builders import new_activity, secretary_of
from tests.browser_support import log_in, no_sideways_scroll, phone_context

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True)
def test_the_chart_the_ledger_the_calendar_and_the_screen(
    live_server, browser, world, screenshot_dir: Path
) -> None:
    ensure_default_rules(LifeRuleSet, LifeRequirement)  # the transactional flush took the migration's rows
    base, secretary = live_server.url, secretary_of(world.org_a, "secretary_a")
    # 10:00 a week ahead, local time: an activity started late in the evening would run past midnight and
    # rightly show on two days of the calendar
    morning = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=7)
    talk = new_activity(secretary, [world.org_a], audience="public", title="社区读书会", starts_at=morning)
    context = phone_context(browser)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, base, secretary.username)

    for url in (
        reverse("activities:compliance_org", kwargs={"pk": world.org_a.pk}),
        reverse("activities:compliance"),
    ):
        page.goto(base + url)
        page.wait_for_selector("[data-chart-ready] canvas")
        assert page.locator("[data-chart-ready] canvas").first.bounding_box()["width"] > 300
        no_sideways_scroll(page, url)
    page.screenshot(path=str(screenshot_dir / "compliance-chart-375.png"), full_page=True)

    page.goto(base + reverse("activities:records_print", kwargs={"pk": world.org_a.pk}))
    no_sideways_scroll(page, "台账")
    page.screenshot(path=str(screenshot_dir / "records-print-375.png"), full_page=True)
    page.emulate_media(media="print")
    assert page.locator(".manage-nav").is_hidden() and page.locator("[data-export]").is_hidden()
    page.emulate_media(media="screen")

    day = timezone.localtime(talk.starts_at).strftime("%Y-%m-%d")
    page.goto(base + reverse("venues:station_calendar", kwargs={"code": world.a.code}) + f"?day={day}")
    assert page.locator(".vcal-slot-feed", has_text="社区读书会").count() == 1
    no_sideways_scroll(page, "日历")
    page.screenshot(path=str(screenshot_dir / "station-calendar-activity-375.png"), full_page=True)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(base + reverse("news:screen", kwargs={"code": world.a.code}))
    assert page.locator('[data-panel="activities.upcoming"]', has_text="社区读书会").is_visible()
    page.screenshot(path=str(screenshot_dir / "screen-upcoming-activities-1920.png"))
    assert errors == []
    context.close()
