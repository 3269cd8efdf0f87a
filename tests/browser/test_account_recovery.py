"""An imported member cannot sign in until someone helps: the secretary or officer of their
organisation gives a temporary password from the member's record, and the member — on a 375 px phone —
signs in with it, is made to choose their own, and lands on their work page (工作台)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from dangjian.accounts.models import PersonKind, User
from tests.browser_support import DESKTOP, log_in, phone_context
from tests.dues.builders import default_rule, generate, make_member, now
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

MOBILE = "13952608866"
NEW_PASSWORD = "Fengcheng#2027"


def imported_member(world) -> User:
    user = UserFactory(
        username=MOBILE,
        mobile=MOBILE,
        real_name="周晓燕",
        person_kind=PersonKind.MEMBER,
        organization=world.org_a,
        home_station=world.a,
    )
    user.set_unusable_password()
    user.save()
    return user


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.django_db(transaction=True)
def test_imported_member_signs_in_with_the_officers_temporary_password_on_a_phone(
    live_server, browser, world, screenshot_dir: Path
) -> None:
    base = live_server.url
    default_rule()
    person = imported_member(world)
    profile = make_member(world.org_a, user=person)  # with a declared income base
    generate(world.org_a, now())  # this month's dues: the member owes one month

    # the member cannot sign in yet: there is no password to type
    context = phone_context(browser)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    assert page.get_by_role("link", name="忘记密码？").is_visible()
    page.get_by_label("用户名或手机号").fill(MOBILE)
    page.get_by_label("密码").fill("Guess#2026a")
    page.get_by_role("button", name="登录").click()
    assert "用户名或密码错误" in page.content()
    page.screenshot(path=str(screenshot_dir / "recovery-login-375.png"), full_page=True)
    context.close()

    # the organisation's officer gives a temporary password from the member's record
    officer = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    desk = officer.new_page()
    log_in(desk, base, world.officer_a.username)
    assert desk.url == f"{base}/work/"
    desk.goto(f"{base}{reverse('members:detail', kwargs={'pk': profile.pk})}")
    desk.once("dialog", lambda dialog: dialog.accept())
    desk.get_by_role("button", name="重置密码").click()
    desk.wait_for_url(f"{base}/accounts/people/{person.pk}/temporary-password/")
    temporary = desk.locator("[data-temporary-password]").inner_text().strip()
    assert len(temporary) >= 8
    desk.screenshot(path=str(screenshot_dir / "recovery-temporary-password-1440.png"), full_page=True)
    officer.close()

    # the member signs in on the phone with it and must choose their own at once
    context = phone_context(browser)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名或手机号").fill(MOBILE)
    page.get_by_label("密码").fill(temporary)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/accounts/password/")
    assert "临时密码" in page.content()
    page.screenshot(path=str(screenshot_dir / "recovery-choose-password-375.png"), full_page=True)
    page.locator("#id_old_password").fill(temporary)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="确认修改").click()
    page.wait_for_url(f"{base}/work/")
    assert "密码已修改" in page.content()
    owed = page.locator('[data-card="dues.owed"]')
    assert owed.get_attribute("data-count") == "1"
    assert page.locator('[data-card="members.me"]').is_visible()
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshot_dir / "recovery-workpage-member-375.png"), full_page=True)
    context.close()

    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD) and not person.must_change_password


@pytest.mark.django_db(transaction=True)
def test_member_signs_in_with_a_text_message_code_on_a_phone(
    live_server, browser, world, settings, screenshot_dir: Path
) -> None:
    from dangjian.core import sms

    settings.SMS_SENDER = "dangjian.core.sms.LocmemSmsSender"
    sms.outbox.clear()
    base = live_server.url
    person = imported_member(world)
    context = phone_context(browser)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("link", name="忘记密码？").click()
    page.wait_for_url(f"{base}/accounts/password-reset/")
    page.screenshot(path=str(screenshot_dir / "recovery-forgot-375.png"), full_page=True)
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("link", name="短信验证码登录").click()
    page.get_by_label("手机号码").fill(MOBILE)
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_load_state()
    assert "验证码已发送" in page.content()
    [message] = sms.outbox
    assert message.mobile == MOBILE and message.text.startswith("【楼宇党建】")
    code = message.text.split("验证码 ", 1)[1][:6]
    page.get_by_label("短信验证码").fill(code)
    page.screenshot(path=str(screenshot_dir / "recovery-sms-375.png"), full_page=True)
    page.get_by_label("短信验证码").press("Enter")  # Enter signs in; it does not ask for another code
    page.wait_for_url(f"{base}/work/")
    assert page.locator("h1", has_text="工作台").is_visible()
    assert len(sms.outbox) == 1
    context.close()
    sms.outbox.clear()
    assert person.pk
