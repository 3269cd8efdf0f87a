"""A worker drafts and submits, an instructor approves, and a branch portal page and the display screen
that were already open show the article within 2 s, without reload (§7.1, §6.2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dangjian.accounts.models import Role
from tests.browser_support import DESKTOP, PHONE, log_in, wait_until
from tests.factories import UserFactory, grant

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
SCREEN = {"width": 1920, "height": 1080}
TITLE = "万达广场分站举办“红色物业”楼宇议事会"


def signed_in_page(browser, base: str, username: str, viewport: dict):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    log_in(page, base, username)
    return page


@pytest.mark.django_db(transaction=True)
def test_published_article_reaches_open_portal_and_screen(
    live_server, browser, world, screenshot_dir: Path
) -> None:
    base = live_server.url
    instructor = UserFactory(username="instructor_li", real_name="李文华")
    grant(instructor, Role.INSTRUCTOR, world.a)

    viewers = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    portal = viewers.new_page()
    portal.goto(f"{base}/stations/{world.a.code}/news/")
    screen_context = browser.new_context(viewport=SCREEN, locale="zh-CN")
    screen = screen_context.new_page()
    screen.goto(f"{base}/screen/{world.a.code}/")
    for page in (portal, screen):
        wait_until(
            page, "!!document.body.dataset.liveOpen && document.body.dataset.liveOpen.includes('station-')"
        )

    worker = signed_in_page(browser, base, world.worker_a.username, PHONE)
    worker.goto(f"{base}/manage/articles/new/")
    worker.get_by_label("发布站点").select_option(label=world.a.name)
    worker.get_by_label("栏目").select_option(label="要闻动态")
    worker.get_by_label("标题").fill(TITLE)
    worker.get_by_label("摘要").fill("楼宇党组织、物业和入驻企业共商停车难、快递收发等问题。")
    worker.get_by_label("正文").fill(
        "4月10日下午，万达广场分站召开楼宇议事会。\n\n与会代表围绕停车、快递等事项提出建议。"
    )
    worker.get_by_role("button", name="保存草稿").click()
    worker.get_by_role("button", name="提交审核").click()
    assert worker.get_by_text("已提交审核").is_visible()
    worker.screenshot(path=str(screenshot_dir / "article-submitted-375.png"), full_page=True)

    reviewer = signed_in_page(browser, base, instructor.username, DESKTOP)
    reviewer.goto(f"{base}/manage/articles/?queue=1")
    reviewer.get_by_role("link", name=TITLE).first.click()
    reviewer.screenshot(path=str(screenshot_dir / "article-review-1440.png"), full_page=True)
    reviewer.get_by_role("button", name="审核通过").click()
    assert reviewer.get_by_text("审核通过，已发布").is_visible()

    portal.locator("#live-banner").get_by_text(TITLE).wait_for(timeout=2000)
    screen.locator(".screen-list").get_by_text(TITLE).wait_for(timeout=2000)
    portal.screenshot(path=str(screenshot_dir / "portal-live-banner-1440.png"))
    screen.screenshot(path=str(screenshot_dir / "screen-1920.png"))
    assert portal.url.endswith(f"/stations/{world.a.code}/news/")  # no reload, no navigation
    for context in (viewers, screen_context, worker.context, reviewer.context):
        context.close()
