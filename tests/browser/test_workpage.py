"""Each role's work page (工作台) in a real browser, on a 375 px phone and a 1440 px desktop: the right
counts, nothing wider than the screen. Screenshots go to var/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser_support import DESKTOP, log_in, phone_context
from tests.portal.test_workpage import fill_desk

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# role -> the cards and counts its page must show (the desk of tests/portal/test_workpage.py)
EXPECTED = {
    "worker_a": {"news.drafts": "2", "news.returned": "1", "stations.units": "1"},
    "instructor_a": {"news.review_queue": "1", "disclosures.review_queue": "1"},
    "officer_a": {"members.roster": "2", "dues.arrears": "1", "members.corrections": "1"},
    "hq_admin": {"stations.branches": "2", "members.roster": "3"},
}


def counts_on(page) -> dict[str, str]:
    cards = page.locator("[data-card][data-count]")
    return {
        cards.nth(i).get_attribute("data-card"): cards.nth(i).get_attribute("data-count")
        for i in range(cards.count())
    }


@pytest.mark.django_db(transaction=True)
def test_each_role_sees_its_counts_on_phone_and_desktop(
    live_server, browser, world, screenshot_dir: Path
) -> None:
    base = live_server.url
    desk = fill_desk(world)
    for role, expected in EXPECTED.items():
        user = getattr(desk, role)
        context = phone_context(browser)
        page = context.new_page()
        log_in(page, base, user.username)
        assert page.url == f"{base}/work/"
        shown = counts_on(page)
        assert {key: shown.get(key) for key in expected} == expected, role
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), role
        page.screenshot(path=str(screenshot_dir / f"workpage-{role}-375.png"), full_page=True)
        page.set_viewport_size(DESKTOP)
        page.reload()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), role
        page.screenshot(path=str(screenshot_dir / f"workpage-{role}-1440.png"), full_page=True)
        context.close()
    worker_page = screenshot_dir / "workpage-worker_a-375.png"
    assert worker_page.stat().st_size > 0
