"""On a phone: the secretary moves an applicant from the application to activist (the talk, the next
stage, the activist), a premature development target is refused with the rule and the earliest day, and
a contact person files a half-year evaluation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from dangjian.development.models import Report
from dangjian.development.rules import add_months, chinese_date
from tests.browser_support import log_in, no_sideways_scroll, phone_context
from tests.development.builders import make_branch, make_candidate, old_candidate, plan_day, today, walk

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True)
def test_secretary_and_contact_person_on_a_phone(live_server, browser) -> None:
    from tests import factories as f

    base = live_server.url
    branch = make_branch(f.StationFactory(code="wanda", name="万达广场分站"), name="万达广场楼宇联合党支部")
    applicant = make_candidate(branch, applied_on=today() - timedelta(days=20), name="周子涵")
    activist = walk(branch, old_candidate(branch, months_ago=13, name="刘子轩"), "contacts")
    earliest = add_months(plan_day(activist, "activist"), 12)

    context = phone_context(browser)
    page = context.new_page()
    log_in(page, base, branch.secretary.username)
    page.goto(f"{base}/manage/development/{applicant.pk}/")
    no_sideways_scroll(page, "candidate timeline")
    page.locator('[data-step="talk"] a', has_text="办理").click()
    page.get_by_label("办理日期").fill((today() - timedelta(days=12)).isoformat())
    page.get_by_label("情况说明").fill("谈话中了解到该同志入党动机端正")
    page.get_by_role("button", name="确认办理").click()
    page.wait_for_url(f"{base}/manage/development/{applicant.pk}/")
    page.get_by_role("button", name="进入下一阶段").first.click()
    page.wait_for_url(f"{base}/manage/development/{applicant.pk}/")
    page.locator('[data-step="activist"] a', has_text="办理").click()
    page.get_by_label("办理日期").fill((today() - timedelta(days=2)).isoformat())
    page.get_by_role("button", name="确认办理").click()
    page.wait_for_url(f"{base}/manage/development/{applicant.pk}/")
    assert page.locator('[data-step="activist"]').get_attribute("data-state") == "done"

    page.goto(f"{base}/manage/development/{activist.pk}/steps/target/")
    page.get_by_label("办理日期").fill(today().isoformat())
    page.get_by_role("button", name="确认办理").click()
    message = f"成为入党积极分子满一年后才能确定为发展对象（最早 {chinese_date(earliest)}）"
    expect(page.get_by_text(message)).to_be_visible()
    no_sideways_scroll(page, "refused step")
    context.close()

    context = phone_context(browser)
    page = context.new_page()
    log_in(page, base, branch.members[1].username)
    page.goto(f"{base}/development/contacts/")
    no_sideways_scroll(page, "contact person's candidates")
    page.get_by_role("link", name="填写考察").click()
    page.get_by_label("考察情况").fill("该同志积极参加楼宇志愿服务，学习认真。")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(f"{base}/development/contacts/")
    assert Report.all_objects.filter(candidate=activist, kind="evaluation").count() == 1
    context.close()
