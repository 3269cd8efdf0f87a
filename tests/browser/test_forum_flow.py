"""On a 375 px phone: a party member asks the station's instructor a question (问指导员) on the board of
万达广场分站, with a script payload in the text that must show as text and never run; the instructor signs
in, answers, and the question shows as answered by them. Screenshots of the board and the topic at 375 px
go to var/screenshots/ (and to FORUM_SCREENSHOTS when set)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dangjian.accounts.models import PersonKind, Role
from dangjian.forum import services
from dangjian.forum.models import Topic
from tests import factories as f
from tests.browser_support import log_in, no_sideways_scroll, phone_context

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PAYLOAD = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'


def _shots(screenshot_dir: Path) -> list[Path]:
    extra = os.environ.get("FORUM_SCREENSHOTS")
    return [screenshot_dir, *([Path(extra)] if extra else [])]


@pytest.mark.django_db(transaction=True)
def test_a_member_asks_and_the_instructor_answers_on_a_phone(
    live_server, browser, world, screenshot_dir: Path
) -> None:
    member = f.UserFactory(
        username="wanda_member", real_name="王建华", person_kind=PersonKind.MEMBER, home_station=world.a
    )
    instructor = f.UserFactory(username="wanda_instructor", real_name="陈立群")
    f.grant(instructor, Role.INSTRUCTOR, world.a)
    board = services.station_board(world.a)
    services.platform_board()
    notice = services.topic_create(
        actor=world.worker_a, board=board, title="书吧周末开放时间调整", body="自下月起，周六开放至晚上七点。"
    )
    services.moderate(actor=world.worker_a, post=notice, action="pin", reason="站点通知")
    services.reply_create(actor=member, topic=notice, body="太好了，周末终于可以来看书了。")
    base = live_server.url

    context = phone_context(browser)
    page = context.new_page()
    log_in(page, base, "wanda_member")
    page.goto(f"{base}/forum/boards/{board.pk}/")
    page.get_by_role("link", name="问指导员").first.click()
    page.get_by_label("标题").fill("流动党员组织关系转接要带哪些材料？")
    page.get_by_label("内容").fill(f"我从外地调到万达广场的单位工作。{PAYLOAD}")
    page.get_by_role("button", name="发布").click()
    page.wait_for_url(f"{base}/forum/topics/**")
    assert page.evaluate("window.__xss === undefined")
    assert "<script>window.__xss=2</script>" in page.locator("[data-topic-body] .forum-body").inner_text()
    assert page.locator("[data-topic-body] img").count() == 0
    topic = Topic.objects.get(title__startswith="流动党员")
    context.close()

    context = phone_context(browser)
    page = context.new_page()
    log_in(page, base, "wanda_instructor")
    page.goto(f"{base}/forum/topics/{topic.pk}/")
    assert page.evaluate("window.__xss === undefined")
    page.get_by_label("回复内容").fill("您好，请先在系统里提出转接申请，带好介绍信到楼宇联合党支部报到。")
    page.get_by_role("button", name="发表回复").click()
    page.wait_for_load_state()
    assert "指导员陈立群已于" in page.locator("[data-topic-body]").inner_text()
    assert Topic.objects.get(pk=topic.pk).answered_by_id == instructor.pk
    no_sideways_scroll(page, "topic")
    for folder in _shots(screenshot_dir):
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / "forum_topic_375.png"), full_page=True)
    page.goto(f"{base}/forum/boards/{board.pk}/")
    no_sideways_scroll(page, "board")
    text = page.locator("main").inner_text() if page.locator("main").count() else page.content()
    assert text.index("书吧周末开放时间调整") < text.index("流动党员组织关系")  # pinned first
    for folder in _shots(screenshot_dir):
        page.screenshot(path=str(folder / "forum_board_375.png"), full_page=True)
    context.close()
