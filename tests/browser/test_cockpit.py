"""In Chromium: the HQ admin opens the cockpit, drills down to a branch and to one of its organisations
(at 375 px and at 1440 px), and the big screen is laid out the same at 1920×1080 and at 3840×2160 — the
4K stage is the full-HD one drawn twice as large, never stretched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from dangjian.activities.defaults import ensure_default_rules
from dangjian.activities.models import LifeRequirement, LifeRuleSet
from dangjian.dashboards import figures
from dangjian.dashboards.models import Screen
from tests.browser_support import DESKTOP, PHONE, log_in, no_sideways_scroll
from tests.dashboards.builders import hand_world, this_year
from tests.dues.builders import default_rule

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# Where each part of the big screen sits, as fractions of the stage: the same at every resolution.
LAYOUT = """() => {
  const stage = document.getElementById('bs-stage').getBoundingClientRect();
  return ['.bs-head', '.bs-counters', '.bs-tiles-panel', '.bs-rankings', '.bs-side', '.bs-foot'].map((s) => {
    const box = document.querySelector(s).getBoundingClientRect();
    return [s, (box.left - stage.left) / stage.width, (box.top - stage.top) / stage.height,
            box.width / stage.width, box.height / stage.height].map((v) => typeof v === 'number' ? Math.round(v * 1000) / 1000 : v);
  });
}"""


def _fits(page: Any, name: str, width: int) -> None:
    if width == PHONE["width"]:
        no_sideways_scroll(page, name)
    else:
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name


def _drill_down(page: Any, base: str, world: Any, shots: Path, width: int) -> None:
    page.goto(f"{base}/manage/cockpit/")
    expect(page.locator("[data-cockpit-chart][data-chart-ready] canvas")).to_be_visible()
    _fits(page, "数据驾驶舱", width)
    page.screenshot(path=str(shots / f"cockpit-platform-{width}.png"), full_page=True)
    page.locator("[data-branch-table] a", has_text="海陵万达分站").click()
    expect(page.locator("h1")).to_have_text("海陵万达分站")
    expect(page.locator("[data-unreached]")).to_contain_text("尚未参加活动的入驻单位（3 家）")
    _fits(page, "站点驾驶舱", width)
    page.screenshot(path=str(shots / f"cockpit-station-{width}.png"), full_page=True)
    page.locator("[data-organization-table] a", has_text="华信软件").click()
    expect(page.locator("h1")).to_have_text(world.organization.name)
    expect(page.locator('[data-figure="members"]')).to_have_text("2 人")
    expect(page.locator('[data-figure="dues"]')).to_contain_text("50.0%")
    _fits(page, "党组织驾驶舱", width)
    page.screenshot(path=str(shots / f"cockpit-organization-{width}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_hq_drills_down_and_the_big_screen_keeps_its_layout(
    live_server: Any, browser: Any, screenshot_dir: Path
) -> None:
    default_rule()  # the transactional flush took the migrations' rule rows
    ensure_default_rules(LifeRuleSet, LifeRequirement)
    world = hand_world()
    figures.refresh(this_year())
    Screen.objects.create(name="总站大厅", code="hall-hd", width=1920, height=1080)
    Screen.objects.create(name="总站指挥中心", code="hall-4k", width=3840, height=2160)
    base = live_server.url
    errors: list[str] = []
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        page = context.new_page()
        page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        log_in(page, base, world.hq_admin.username)
        _drill_down(page, base, world, screenshot_dir, viewport["width"])
        context.close()

    layouts = []
    for code, width, height in (("hall-hd", 1920, 1080), ("hall-4k", 3840, 2160)):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        page = context.new_page()
        page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        page.goto(f"{base}/big-screen/{code}/")
        expect(page.locator("#bs-stage[data-charts-ready]")).to_be_attached()
        expect(page.locator('[data-bs="counters"]')).to_contain_text("50.0%")
        assert page.locator("#bs-stage").get_attribute("data-scale") == "1"  # drawn at its real size
        font = page.evaluate(
            "() => parseFloat(getComputedStyle(document.querySelector('.bs-counter-value')).fontSize)"
        )
        assert font == pytest.approx(40 * height / 1080)
        layouts.append(page.evaluate(LAYOUT))
        page.screenshot(path=str(screenshot_dir / f"big-screen-{width}x{height}.png"))
        context.close()
    assert layouts[0] == layouts[1]
    assert errors == []
