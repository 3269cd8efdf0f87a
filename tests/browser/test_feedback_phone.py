"""On a phone, without an account: submit a complaint, keep the tracking code, and after the station has
replied and closed it, open the tracking page with the code, rate the handling and say it is not solved —
the item is handled again (DB3212/T 1124 §10.1.2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dangjian.feedback import services
from dangjian.feedback.models import Feedback, Status
from tests.browser_support import no_sideways_scroll, phone_context

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
SHOTS = Path("/tmp/i12")


@pytest.mark.django_db(transaction=True)
def test_anonymous_submit_track_rate_and_reopen_on_a_phone(live_server, browser, world) -> None:
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = phone_context(browser)
    page = context.new_page()

    page.goto(f"{base}/feedback/")
    page.get_by_label("反馈站点").select_option(label=world.a.name)
    page.get_by_label("反馈类别").select_option(label="投诉")
    page.get_by_label("您的身份").select_option(label="周边楼宇·街道·社区")
    page.get_by_label("标题").fill("党群服务中心周末不开门")
    page.get_by_label("具体内容").fill(
        "上周六下午两点到三楼党群服务中心借书，门是锁着的，门口公示的开放时间是 9:00–17:00。"
    )
    page.get_by_label("联系人").fill("王女士")
    page.get_by_label("联系电话").fill("13852601234")
    no_sideways_scroll(page, "feedback submit form")
    page.screenshot(path=str(SHOTS / "feedback_submit.png"), full_page=True)
    page.get_by_role("button", name="提交反馈").click()

    page.wait_for_url(f"{base}/feedback/track/**")
    code_box = page.locator("[data-new-code]")
    assert code_box.is_visible()
    shown = page.locator("[data-tracking-code]").inner_text()
    feedback = Feedback.objects.get()
    assert shown == feedback.code_display and feedback.submitter is None
    assert page.get_by_role("button", name="复制查询码").is_visible()
    no_sideways_scroll(page, "feedback tracking code")
    page.screenshot(path=str(SHOTS / "feedback_code.png"), full_page=True)
    context.close()

    # the station replies and closes it (through the services)
    services.assign(actor=world.own_admin, feedback=feedback, assignee=world.worker_a)
    services.reply(
        actor=world.worker_a, feedback=feedback, text="经核实当天值班人员临时外出，已调整为周末双人值班。"
    )
    services.decide(actor=world.worker_a, feedback=feedback, validity="valid")
    services.close(actor=world.worker_a, feedback=feedback, resolution="resolved")

    # later, on another phone (no session): the code alone opens it
    context = phone_context(browser)
    page = context.new_page()
    page.goto(f"{base}/feedback/track/")
    page.get_by_label("查询码").fill(shown.lower())
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(f"{base}/feedback/track/{feedback.tracking_code}/")
    assert "周末双人值班" in page.locator("[data-reply]").inner_text()
    assert "问题解决了吗" in page.content()
    assert world.worker_a.display_name not in page.content()  # staff are 工作人员 to the code holder

    page.get_by_label("满意度").select_option(label="不满意")
    page.get_by_label("评价").fill("答复了，但这周末还是没开门")
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_url(f"{base}/feedback/track/{feedback.tracking_code}/")
    assert "感谢您的评价" in page.content()

    page.locator("[data-not-solved]").click()
    page.get_by_label("还有哪些没有解决").fill("本周六下午去还是锁门，也没有看到值班电话。")
    no_sideways_scroll(page, "feedback reopen")
    page.get_by_role("button", name="提交重新办理申请").click()
    page.wait_for_url(f"{base}/feedback/track/{feedback.tracking_code}/")
    assert "已重新交办" in page.content()
    page.screenshot(path=str(SHOTS / "feedback_reopened.png"), full_page=True)
    context.close()

    feedback.refresh_from_db()
    assert feedback.status == Status.ASSIGNED and feedback.reopen_count == 1
    assert feedback.rating is None  # the earlier rating is kept in the timeline; a new one follows
    assert feedback.events.filter(action="rate", note__startswith="2 分").exists()
