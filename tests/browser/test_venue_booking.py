"""On a 375 px phone: a resident of the community around a large branch (万达广场分站, open to its
surroundings, §4.5/§4.7) books the branch's book bar (书吧); the guide (讲解员) signs in, sees on the review
page the other request that conflicts with it, and approves (the other one is rejected automatically); the
resident sees the booking confirmed and adds it to their calendar — the downloaded .ics is parsed back
(issue 9 acceptance). Screenshots of the venues pages at 375 and 1440 px go to var/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from icalendar import Calendar

from dangjian.accounts.models import PersonKind, Role
from dangjian.venues import services
from dangjian.venues.models import Reservation, ReservationStatus
from tests import factories as f
from tests.browser_support import DESKTOP, PHONE, log_in, no_sideways_scroll, phone_context
from tests.venues.builders import at, day, make_venue

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True)
def test_resident_books_the_book_bar_and_the_guide_approves(
    live_server, browser, world, screenshot_dir: Path
) -> None:
    world.a.open_to_surroundings = True
    world.a.save()
    resident = f.UserFactory(
        username="gulou_resident", real_name="顾晓梅", person_kind=PersonKind.RESIDENT, place=world.place_a
    )
    guide = f.UserFactory(username="wanda_guide", real_name="孙丽")
    f.grant(guide, Role.GUIDE, world.a)
    book_bar = make_venue(
        world.a, name="万达书吧", building=world.building_a, audience="surroundings", capacity=30
    )
    other = services.reservation_request(
        actor=world.member,
        venue=make_venue(world.a, name="万达讲堂", kind="lecture", audience="public"),
        starts_at=at(3, 9),
        ends_at=at(3, 10),
        purpose="占位",
        head_count=5,
    )  # an unrelated request in another venue: not a conflict
    world.member.home_station = world.a
    world.member.save()
    rival = services.reservation_request(
        actor=world.member,
        venue=book_bar,
        starts_at=at(3, 15),
        ends_at=at(3, 17),
        purpose="党小组学习会",
        head_count=8,
    )[0]
    base = live_server.url

    # the resident books on the phone
    context = phone_context(browser)
    page = context.new_page()
    log_in(page, base, resident.username)
    page.goto(f"{base}/venues/?station={world.a.code}")
    page.locator(f"[data-venue='{book_bar.pk}']").click()
    page.wait_for_url(f"{base}/venues/{book_bar.pk}/")
    form = page.locator("[data-booking-form]")
    form.locator("#id_date").fill(day(3).isoformat())
    form.locator("#id_start").fill("14:00")
    form.locator("#id_end").fill("16:00")
    form.locator("#id_purpose").fill("鼓楼社区读书分享会")
    form.locator("#id_head_count").fill("12")
    page.screenshot(path=str(screenshot_dir / "venues-book-375.png"), full_page=True)
    no_sideways_scroll(page, "the venue page")
    form.get_by_role("button", name="提交预约").click()
    page.wait_for_url(f"{base}/venues/mine/")
    assert "等待讲解员审核" in page.locator(".alert").first.inner_text()
    mine = Reservation.objects.get(holder=resident)
    assert mine.status == ReservationStatus.PENDING

    # the guide reviews: the rival request is listed as a conflict before deciding
    guide_context = phone_context(browser)
    guide_page = guide_context.new_page()
    log_in(guide_page, base, guide.username)
    guide_page.goto(f"{base}/manage/venues/review/")
    guide_page.locator(f"tr[data-reservation='{mine.pk}']").get_by_role("link", name="审核").click()
    guide_page.wait_for_url(f"{base}/manage/venues/reservations/{mine.pk}/")
    conflicts = guide_page.locator("[data-conflicts]")
    assert conflicts.locator(f"[data-conflict='{rival.pk}']").is_visible()
    assert "党小组学习会" in conflicts.inner_text()
    assert conflicts.locator("[data-conflict]").count() == 1
    guide_page.screenshot(path=str(screenshot_dir / "venues-review-375.png"), full_page=True)
    no_sideways_scroll(guide_page, "the review page")
    guide_page.get_by_role("button", name="通过").click()
    guide_page.wait_for_url(f"{base}/manage/venues/reservations/{mine.pk}/")
    assert "已自动驳回" in guide_page.locator(".alert-success").inner_text()
    assert guide_page.locator("[data-status]").get_attribute("data-status") == "approved"
    guide_context.close()
    rival.refresh_from_db()
    other[0].refresh_from_db()
    assert rival.status == ReservationStatus.REJECTED and other[0].status == ReservationStatus.PENDING

    # the resident sees it confirmed and adds it to the calendar
    page.goto(f"{base}/venues/mine/")
    row = page.locator(f"tr[data-reservation='{mine.pk}']")
    assert "已通过" in row.inner_text()
    page.screenshot(path=str(screenshot_dir / "venues-mine-375.png"), full_page=True)
    no_sideways_scroll(page, "my bookings")
    with page.expect_download() as download:
        row.get_by_role("link", name="添加到日历").click()
    assert download.value.suggested_filename.endswith(".ics")
    content = Path(download.value.path()).read_bytes()
    events = [c for c in Calendar.from_ical(content).walk() if c.name == "VEVENT"]
    assert len(events) == 1
    event = events[0]
    assert "鼓楼社区读书分享会" in str(event["summary"]) and "万达书吧" in str(event["summary"])
    assert event.decoded("dtstart") == at(3, 14) and event.decoded("dtend") == at(3, 16)
    assert str(event["status"]) == "CONFIRMED"
    context.close()


SHOTS = {
    "list": (None, lambda w: f"/venues/?station={w.a.code}"),
    "detail": ("member", lambda w: f"/venues/{w.api_venue.pk}/"),
    "calendar-month": ("own_admin", lambda w: f"/venues/{w.api_venue.pk}/calendar/?view=month"),
    "station-week": ("own_admin", lambda w: f"/venues/station/{w.a.code}/calendar/"),
    "mine": ("member", lambda w: "/venues/mine/"),
    "review": ("own_admin", lambda w: f"/manage/venues/reservations/{w.api_pending.pk}/"),
    "today": ("own_admin", lambda w: "/manage/venues/today/"),
    "hours": ("own_admin", lambda w: f"/manage/venues/spaces/{w.api_venue.pk}/hours/"),
    "tour": ("own_admin", lambda w: f"/manage/venues/tours/{w.api_tour.pk}/"),
    "fault": ("own_admin", lambda w: f"/manage/venues/faults/{w.api_fault.pk}/"),
    "six-have": ("own_admin", lambda w: "/manage/venues/six-have/"),
    "overview": ("hq_admin", lambda w: "/manage/venues/six-have/overview/"),
    "poster": ("own_admin", lambda w: f"/manage/venues/spaces/{w.api_venue.pk}/poster/"),
}


@pytest.mark.django_db(transaction=True)
def test_screenshots_of_the_venues_pages(live_server, browser, matrix_world, screenshot_dir: Path) -> None:
    base = live_server.url
    for name, (role, url_of) in SHOTS.items():
        context = browser.new_context(viewport=PHONE, locale="zh-CN")
        if role:
            client = Client()
            client.force_login(matrix_world.actor(role))
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
        page = context.new_page()
        response = page.goto(base + url_of(matrix_world))
        assert response and response.status == 200, name
        no_sideways_scroll(page, name)
        page.screenshot(path=str(screenshot_dir / f"venues-{name}-375.png"), full_page=True)
        page.set_viewport_size(DESKTOP)
        page.reload()
        page.screenshot(path=str(screenshot_dir / f"venues-{name}-1440.png"), full_page=True)
        context.close()
