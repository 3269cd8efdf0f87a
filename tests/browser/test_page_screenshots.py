"""Screenshots at 375 and 1440 px of the pages the layout, contrast and wording fixes touched, into
var/screenshots/ for a person to look at; plus what a screenshot cannot show: the login page's 注册 link
is underlined, not told by colour alone, and the public menu has no developer entries."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.test_every_page_at_375 import district_sized_dues
from tests.browser_support import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _pages(w) -> dict[str, tuple[str | None, str]]:
    return {
        "home": (None, "/"),
        "stations": (None, "/stations/"),
        "org": (None, f"/organizations/{w.org_a.pk}/"),
        "login": (None, "/accounts/login/"),
        "audit": ("hq_admin", "/manage/audit/"),
        "dues-report": ("hq_admin", "/manage/dues/reports/"),
        "receipt": ("own_admin", f"/dues/receipts/{w.dues_payment.pk}/"),
        "synced": ("hq_admin", "/manage/synced/"),
        "article-manage": ("worker_a", f"/manage/articles/{w.article_draft.pk}/"),
        "work": ("worker_a", "/work/"),
        "dev-dossier": ("own_admin", f"/manage/development/{w.dev_candidate_talked.pk}/dossier/"),
        "dev-overview": ("hq_admin", "/manage/development/overview/"),
        "dev-step": ("own_admin", f"/manage/development/{w.dev_candidate.pk}/steps/talk/"),
        "elections": ("own_admin", "/manage/elections/"),
        "election-voted": ("own_admin", f"/manage/elections/{w.el_voted.pk}/"),
        "election-meeting": ("own_admin", f"/manage/elections/{w.el_approved.pk}/meeting/"),
        "funding-ledger": ("hq_admin", "/manage/funding/"),
        "funding-report": ("own_admin", f"/manage/funding/stations/{w.a.pk}/report/"),
        "honour-roll": (None, "/honors/"),
        "nominations": ("own_admin", "/manage/honors/"),
        "publicity-check": ("hq_admin", "/manage/publicity/check/"),
        "demonstrations": ("own_admin", "/manage/demonstrations/"),
        "cockpit-conformance": ("hq_admin", "/manage/cockpit/conformance/"),
        "cockpit-annual": ("own_admin", f"/manage/cockpit/stations/{w.a.code}/annual/"),
    }


@pytest.mark.django_db(transaction=True)
def test_screenshots_of_changed_pages(live_server, browser, matrix_world, screenshot_dir: Path) -> None:
    district_sized_dues(matrix_world)
    base = live_server.url
    for name, (role, url) in _pages(matrix_world).items():
        context = browser.new_context(viewport=PHONE, locale="zh-CN")
        if role:
            client = Client()
            client.force_login(matrix_world.actor(role))
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
        page = context.new_page()
        response = page.goto(base + url)
        assert response and response.status == 200, f"{name}: {url}"
        page.screenshot(path=str(screenshot_dir / f"ui-{name}-375.png"), full_page=True)
        page.set_viewport_size(DESKTOP)
        page.reload()
        page.screenshot(path=str(screenshot_dir / f"ui-{name}-1440.png"), full_page=True)
        context.close()


@pytest.mark.django_db(transaction=True)
def test_register_link_is_underlined_and_menus_have_no_developer_entries(live_server, browser, world) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    register = page.get_by_role("link", name="注册", exact=True)
    assert "underline" in register.evaluate("el => getComputedStyle(el).textDecorationLine")
    assert page.locator("#mainNav").get_by_text("开放接口").count() == 0
    assert (
        page.locator(".site-footer").get_by_role("link", name="开放接口").get_attribute("href")
        == "/api/v1/docs"
    )
    context.close()
