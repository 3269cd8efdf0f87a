"""On a phone: a member reveals their own ID number and asks for a correction; the organisation's
secretary sees the roster and statistics and accepts the correction (§6.3 党员管理)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django_scopes import scopes_disabled

from dangjian.members.models import MemberProfile
from tests.browser_support import log_in, phone_context

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def phone_page(browser):
    context = phone_context(browser)
    return context, context.new_page()


@pytest.mark.django_db(transaction=True)
def test_member_corrects_and_secretary_accepts_on_a_phone(
    live_server,
    browser,
    people,
    screenshot_dir: Path,
) -> None:
    base, profile = live_server.url, people.profile_a
    context, page = phone_page(browser)
    log_in(page, base, people.member_a.username)

    page.goto(f"{base}/me/member/")
    assert profile.id_number_masked in page.content()
    page.get_by_role("button", name="显示完整号码").click()
    assert page.locator("[data-revealed-id]").inner_text() == profile.plain_id_number
    page.get_by_label("更正项目").select_option(label="学历")
    page.get_by_label("更正为").fill("研究生")
    page.get_by_label("更正理由").fill("已取得硕士学位")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(f"{base}/me/member/")
    assert "更正申请已提交" in page.content()
    page.screenshot(path=str(screenshot_dir / "member-me-375.png"), full_page=True)
    context.close()

    context, page = phone_page(browser)
    log_in(page, base, people.secretary_a.username)
    page.goto(f"{base}/manage/members/")
    assert people.member_a.real_name in page.content()
    assert profile.plain_id_number not in page.content()
    page.screenshot(path=str(screenshot_dir / "member-roster-375.png"), full_page=True)
    page.goto(f"{base}/manage/members/stats/")
    page.screenshot(path=str(screenshot_dir / "member-stats-375.png"), full_page=True)
    page.goto(f"{base}/manage/members/corrections/")
    page.get_by_role("button", name="采纳", exact=True).click()
    page.wait_for_url(f"{base}/manage/members/corrections/")
    assert "已采纳" in page.content()
    context.close()

    with scopes_disabled():
        assert MemberProfile.objects.get(pk=profile.pk).education == "postgraduate"
