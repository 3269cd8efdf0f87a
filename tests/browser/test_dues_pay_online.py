"""A party member, on a 375 px phone, pays this month's dues online through the demo gateway's page
and sees the receipt (DB3212/T 1124 §6.3 党费收缴; §3.2 PC and phone)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django_scopes import scopes_disabled

from dangjian.dues.models import DuesPayment
from dangjian.dues.periods import period_key
from tests.browser_support import PHONE, log_in, phone_context
from tests.dues.builders import DEMO_ON, MONTHLY, default_rule, make_member, now

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True)
def test_member_pays_one_month_on_a_phone(
    live_server, browser, world, screenshot_dir: Path, settings
) -> None:
    for name, value in DEMO_ON.items():  # the demo gateway exists only when a setting turns it on
        setattr(settings, name, value)
    default_rule()
    payer = make_member(world.org_a)
    base = live_server.url
    context = phone_context(browser)
    page = context.new_page()
    log_in(page, base, payer.user.username)

    page.goto(f"{base}/me/dues/")
    for box in page.locator("input[name=months]").all():
        box.uncheck()
    page.locator(f"#month-{period_key(now())}").check()
    page.screenshot(path=str(screenshot_dir / "dues-pay-375.png"), full_page=True)
    page.get_by_role("button", name="去支付").click()

    page.wait_for_url(f"{base}/dues/pay/demo/**")
    assert "45.68" in page.locator("[data-order-amount]").inner_text()
    page.screenshot(path=str(screenshot_dir / "dues-gateway-375.png"), full_page=True)
    page.get_by_role("button", name="确认支付").click()

    page.wait_for_url(f"{base}/dues/receipts/**")
    with scopes_disabled():
        payment = DuesPayment.objects.get()
    assert payment.amount == MONTHLY and payment.method == "online"
    assert page.locator("[data-receipt-no]").inner_text() == payment.receipt_no
    assert "45.68 元" in page.locator("[data-receipt-amount]").inner_text()
    assert page.get_by_role("heading", name="党费收据").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the receipt scrolls sideways on a phone ({width}px)"
    page.screenshot(path=str(screenshot_dir / "dues-receipt-375.png"), full_page=True)
    context.close()
    assert (screenshot_dir / "dues-receipt-375.png").stat().st_size > 0
