"""On a 375 px phone: a branch secretary creates an activity with a venue of the station booked for it,
publishes it and invites an alliance; a party member of the organisation finds it, registers in one tap and
shows the registration QR code; once it is under way (the clock is moved: its times are put around now) the
guide's camera page reads that QR code from the phone camera (Chromium plays a video of it as the camera,
tests/browser/camera.py) and checks the member in; once it has been held (its times are put in the past)
the secretary files its record (台账), and the organisation's compliance page shows the month's 主题党日
requirement met (green). Then the camera page's photo fallback and refusals, and the attendee's own page
reading the door code. Screenshots of the activities pages at 375 and 1440 px go to var/screenshots/."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.accounts.models import Role
from dangjian.activities.defaults import ensure_default_rules
from dangjian.activities.models import (
    Activity,
    ActivityRecord,
    ActivityStatus,
    Attendance,
    CheckInMethod,
    Invitation,
    LifeRequirement,
    LifeRuleSet,
    Registration,
)
from dangjian.activities.services import register
from dangjian.venues.models import ReservationStatus
from tests import factories as f
from tests.activities.builders import member_of, new_activity, secretary_of
from tests.browser.camera import camera_browser, qr_png, write_y4m
from tests.browser_support import DESKTOP, PHONE, log_in, no_sideways_scroll, phone_context
from tests.venues.builders import make_venue

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True)
def guide_of(station, username: str):
    guide = f.UserFactory(username=username, real_name="孙丽")
    f.grant(guide, Role.GUIDE, station)
    return guide


def test_secretary_creates_invites_member_registers_guide_scans_record_turns_the_month_green(
    live_server, browser, world, screenshot_dir: Path, tmp_path: Path
) -> None:
    ensure_default_rules(LifeRuleSet, LifeRequirement)  # the transactional test flushed the migration's rows
    org = world.org_a
    secretary = secretary_of(org, "wanda_secretary")
    member = member_of(org, "wanda_member", real_name="王晓红")
    hall = make_venue(world.a, name="万达党群综合馆", kind="hall", capacity=80, needs_approval=False)
    day = timezone.localdate() + timedelta(days=3)
    base = live_server.url

    # the secretary creates the activity with the venue, on the phone
    context = phone_context(browser)
    page = context.new_page()
    log_in(page, base, secretary.username)
    page.goto(f"{base}/manage/activities/new/")
    page.get_by_label("活动名称").fill("学习雷锋精神主题党日")
    page.get_by_label("活动类型").select_option("theme_day")
    page.get_by_label("当月主题").fill("学习雷锋好榜样")
    page.get_by_label("牵头主办党组织").select_option(str(org.pk))
    page.locator("#id_starts_at").fill(f"{day:%Y-%m-%d}T10:00")
    page.locator("#id_ends_at").fill(f"{day:%Y-%m-%d}T12:00")
    page.get_by_label("预约场地").select_option(str(hall.pk))
    page.locator("#id_capacity").fill("30")
    page.locator(".ql-editor").fill("集中学习雷锋事迹，开展志愿服务。")
    page.screenshot(path=str(screenshot_dir / "activities-create-375.png"), full_page=True)
    no_sideways_scroll(page, "the activity form")
    page.get_by_role("button", name="保存").click()
    activity = Activity.objects.get()
    page.wait_for_url(f"{base}/manage/activities/{activity.pk}/")
    assert "万达党群综合馆" in page.locator("dl").first.inner_text()
    page.get_by_role("button", name="发布活动").click()
    page.wait_for_url(f"{base}/manage/activities/{activity.pk}/")
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PUBLISHED
    assert activity.reservation is not None and activity.reservation.status == ReservationStatus.APPROVED
    assert "集中学习雷锋事迹" in activity.description

    # the secretary invites the station's alliance (活动邀约)
    page.get_by_role("link", name="活动邀约").click()
    page.wait_for_url(f"{base}/manage/activities/{activity.pk}/invitations/")
    page.get_by_label("邀请党建联盟").select_option(str(world.alliance_a.pk))
    page.get_by_label("邀请说明").fill("欢迎联盟各成员单位派员参加")
    page.get_by_role("button", name="发出邀约").click()
    page.wait_for_url(f"{base}/manage/activities/{activity.pk}/invitations/")
    assert "已发出 1 份邀约" in page.locator(".alert").first.inner_text()
    assert "已邀请 1" in page.locator("[data-counts]").inner_text()
    assert world.alliance_a.name in page.locator("[data-invitation]").first.inner_text()
    assert Invitation.objects.get(activity=activity).alliance == world.alliance_a
    no_sideways_scroll(page, "the invitations page")

    # the member finds it and registers in one tap
    member_context = phone_context(browser)
    member_page = member_context.new_page()
    log_in(member_page, base, member.username)
    member_page.goto(f"{base}/activities/")
    member_page.locator(f"[data-activity='{activity.pk}']").click()
    member_page.wait_for_url(f"{base}/activities/{activity.pk}/")
    assert f"{day.year}年{day.month}月{day.day}日 10:00" in member_page.locator("[data-when]").inner_text()
    member_page.get_by_role("button", name="一键报名").click()
    member_page.wait_for_url(f"{base}/activities/{activity.pk}/")
    assert "报名成功" in member_page.locator(".alert").first.inner_text()
    assert "剩余 29 个" in member_page.locator("[data-seats]").inner_text()
    member_page.screenshot(path=str(screenshot_dir / "activities-registered-375.png"), full_page=True)
    no_sideways_scroll(member_page, "the activity page")
    registration = Registration.objects.get()
    assert registration.person == member
    member_page.goto(f"{base}/activities/registrations/{registration.pk}/")
    assert member_page.locator("[data-qr] svg").is_visible()  # shown to the guide at the door
    member_page.screenshot(path=str(screenshot_dir / "activities-my-qr-375.png"), full_page=True)
    no_sideways_scroll(member_page, "the registration page")
    member_context.close()

    # under way: the guide's camera page reads the QR code on the member's phone and checks them in
    moment = timezone.now()
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=moment - timedelta(minutes=20), ends_at=moment + timedelta(minutes=40)
    )
    guide = guide_of(world.a, "wanda_guide")
    video = write_y4m(qr_png(registration.token), tmp_path / "member-qr.y4m")
    with camera_browser(browser, video) as camera:
        guide_context = phone_context(camera)
        guide_page = guide_context.new_page()
        log_in(guide_page, base, guide.username)
        guide_page.goto(f"{base}/manage/activities/{activity.pk}/scan/")
        guide_page.get_by_role("button", name="打开摄像头扫码").click()
        result = guide_page.locator("[data-result].scan-ok")
        result.wait_for(timeout=20_000)
        assert "王晓红" in result.inner_text() and "签到成功" in result.inner_text()
        assert guide_page.locator("[data-present]").inner_text() == "1"
        assert "王晓红 签到成功" in guide_page.locator("[data-history]").inner_text()
        guide_page.wait_for_timeout(1_000)  # the code stays in front of the camera: sent once
        assert guide_page.locator("[data-history] li").count() == 1
        guide_page.screenshot(path=str(screenshot_dir / "activities-scan-375.png"), full_page=True)
        no_sideways_scroll(guide_page, "the camera check-in page")
        guide_context.close()
    attendance = Attendance.objects.get(activity=activity)
    assert attendance.person == member and attendance.method == CheckInMethod.QR
    assert attendance.recorded_by == guide

    # it has been held: its time is moved into the past (this month), then the secretary files the record
    now = timezone.now()
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=now - timedelta(minutes=70), ends_at=now - timedelta(minutes=10)
    )
    page.goto(f"{base}/manage/activities/{activity.pk}/")
    page.get_by_role("link", name="提交台账").click()
    page.wait_for_url(f"{base}/manage/activities/{activity.pk}/record/")
    page.get_by_label("活动纪要").fill("全体党员学习雷锋事迹，到社区开展志愿服务。")
    page.get_by_role("button", name="提交台账").click()
    page.wait_for_url(f"{base}/manage/activities/{activity.pk}/")
    assert ActivityRecord.objects.filter(activity=activity).exists()

    # the compliance page: that month's 主题党日 requirement is met
    page.goto(f"{base}/manage/activities/compliance/")
    row = page.locator(f"tr[data-organization='{org.pk}']")
    row.get_by_role("link", name=org.name).click()
    month = timezone.localtime(now - timedelta(minutes=70)).month
    card = page.locator(f"#p-month-{month}")
    check = card.locator("[data-check='主题党日']")
    assert check.get_attribute("data-rag") == "green", card.inner_text()
    assert "1/1" in check.inner_text()
    check.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "activities-compliance-org-375.png"), full_page=True)
    no_sideways_scroll(page, "the compliance page")
    context.close()


def photo(page, png: bytes) -> None:
    page.locator("[data-photo]").set_input_files(
        files=[{"name": "二维码.png", "mimeType": "image/png", "buffer": png}]
    )


def blank_png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (400, 300), (245, 245, 245)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_camera_page_reads_a_photo_and_the_attendee_scans_the_door_code(
    live_server, browser, world, screenshot_dir: Path, tmp_path: Path
) -> None:
    ensure_default_rules(LifeRuleSet, LifeRequirement)
    org, base = world.org_a, live_server.url
    secretary = secretary_of(org, "wanda_secretary")
    visitor, stranger, scanner, typist = (
        member_of(org, username, real_name=name)
        for username, name in (
            ("visitor", "李明"),
            ("stranger", "赵强"),
            ("scanner", "周敏"),
            ("typist", "吴芳"),
        )
    )
    soon = timezone.now() + timedelta(minutes=30)
    activity = new_activity(
        secretary, [org], audience="public", title="党课：新时代的楼宇党建", starts_at=soon
    )
    other = new_activity(secretary, [org], audience="public", title="另一场活动")
    visitor_qr = qr_png(register(actor=visitor, activity=activity).token)
    foreign_qr = qr_png(register(actor=stranger, activity=other).token)

    # the guide's phone cannot use its camera: photos from the album instead
    guide = guide_of(world.a, "wanda_guide")
    context = phone_context(browser)
    page = context.new_page()
    log_in(page, base, guide.username)
    page.goto(f"{base}/manage/activities/{activity.pk}/scan/")
    result = page.locator("[data-result]")
    photo(page, visitor_qr)
    page.locator("[data-result].scan-ok").wait_for()
    assert "李明" in result.inner_text() and "签到成功" in result.inner_text()
    photo(page, visitor_qr)  # the same person again
    page.locator("[data-result].scan-refused").wait_for()
    assert "李明已于" in result.inner_text() and "请勿重复签到" in result.inner_text()
    photo(page, foreign_qr)
    expect(result).to_contain_text("另一场活动")
    assert "这是“另一场活动”的报名二维码，不是本活动的" in result.inner_text()
    photo(page, blank_png())
    expect(result).to_contain_text("未能识别图片中的二维码")
    assert page.locator("[data-present]").inner_text() == "1"
    assert page.locator("[data-history] li").count() == 3
    no_sideways_scroll(page, "the camera check-in page")
    page.goto(f"{base}/manage/activities/{activity.pk}/door-code/")
    page.screenshot(path=str(screenshot_dir / "activities-door-code-375.png"), full_page=True)
    no_sideways_scroll(page, "the door code page")
    context.close()
    assert list(Attendance.objects.values_list("person__username", flat=True)) == ["visitor"]

    # an attendee reads the door code with the phone camera and is checked in
    Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    door = f"{base}/activities/{activity.pk}/scan/?code={activity.checkin_code}"
    with camera_browser(browser, write_y4m(qr_png(door), tmp_path / "door.y4m")) as camera:
        scanner_context = phone_context(camera)
        scanner_page = scanner_context.new_page()
        log_in(scanner_page, base, scanner.username)
        scanner_page.goto(f"{base}/activities/{activity.pk}/")
        scanner_page.locator("[data-self-scan]").click()
        scanner_page.wait_for_url(f"{base}/activities/{activity.pk}/scan/")
        no_sideways_scroll(scanner_page, "the attendee's scan page")
        scanner_page.get_by_role("button", name="打开摄像头扫码").click()
        scanner_page.locator("[data-checked-in]").wait_for(timeout=20_000)
        assert "签到成功" in scanner_page.locator(".alert").first.inner_text()
        scanner_page.screenshot(path=str(screenshot_dir / "activities-self-scan-375.png"), full_page=True)
        scanner_context.close()
    assert Attendance.objects.get(person=scanner).method == CheckInMethod.CODE

    # another types the code printed under the door QR code, first with a typo
    typist_context = phone_context(browser)
    typist_page = typist_context.new_page()
    log_in(typist_page, base, typist.username)
    typist_page.goto(f"{base}/activities/{activity.pk}/scan/")
    typist_page.get_by_label("或输入签到码").fill(activity.checkin_code[:-1])
    typist_page.get_by_role("button", name="签到", exact=True).click()
    assert "签到码无效" in typist_page.locator("[data-error]").inner_text()
    code = activity.checkin_code
    typist_page.get_by_label("或输入签到码").fill(" ".join(code[i : i + 4] for i in range(0, len(code), 4)))
    typist_page.get_by_role("button", name="签到", exact=True).click()
    typist_page.locator("[data-checked-in]").wait_for()
    typist_context.close()
    assert Attendance.objects.filter(activity=activity).count() == 3


SHOTS = {
    "list": (None, lambda w: "/activities/"),
    "detail": ("member", lambda w: f"/activities/{w.api_activity.pk}/"),
    "offer": ("member", lambda w: f"/activities/{w.api_full.pk}/"),
    "mine": ("member", lambda w: "/activities/mine/"),
    "registration": ("member", lambda w: f"/activities/registrations/{w.api_offer.pk}/"),
    "manage-list": ("own_admin", lambda w: "/manage/activities/"),
    "manage-form": ("own_admin", lambda w: f"/manage/activities/{w.api_activity.pk}/edit/"),
    "manage-detail": ("own_admin", lambda w: f"/manage/activities/{w.api_activity.pk}/"),
    "registrations": ("own_admin", lambda w: f"/manage/activities/{w.api_full.pk}/registrations/"),
    "record": ("own_admin", lambda w: f"/manage/activities/{w.api_past.pk}/record/"),
    "leave": ("api_secretary", lambda w: "/manage/activities/leave/"),
    "invitations": ("own_admin", lambda w: f"/manage/activities/{w.api_activity.pk}/invitations/"),
    "my-invitations": ("member", lambda w: "/activities/invitations/"),
    "checkin": ("own_admin", lambda w: f"/manage/activities/{w.activity_ongoing.pk}/checkin/"),
    "sheet": ("own_admin", lambda w: f"/manage/activities/{w.activity_ongoing.pk}/sheet/"),
    "scan": ("own_admin", lambda w: f"/manage/activities/{w.activity_ongoing.pk}/scan/"),
    "door-code": ("own_admin", lambda w: f"/manage/activities/{w.activity_ongoing.pk}/door-code/"),
    "self-scan": ("member", lambda w: f"/activities/{w.activity_ongoing.pk}/scan/"),
    "life": ("officer_a", lambda w: f"/manage/activities/life/{w.org_a.pk}/"),
    "compliance": ("own_admin", lambda w: f"/manage/activities/compliance/?station={w.a.pk}"),
    "compliance-org": ("own_admin", lambda w: f"/manage/activities/compliance/{w.org_a.pk}/"),
}


@pytest.mark.django_db(transaction=True)
def test_screenshots_of_the_activities_pages(
    live_server, browser, matrix_world, screenshot_dir: Path
) -> None:
    ensure_default_rules(LifeRuleSet, LifeRequirement)
    base = live_server.url
    for name, (role, url_of) in SHOTS.items():
        context = browser.new_context(viewport=PHONE, locale="zh-CN")
        if role:
            client = Client()
            client.force_login(getattr(matrix_world, role))
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])
        page = context.new_page()
        response = page.goto(base + url_of(matrix_world))
        assert response and response.status == 200, name
        no_sideways_scroll(page, name)
        page.screenshot(path=str(screenshot_dir / f"activities-{name}-375.png"), full_page=True)
        page.set_viewport_size(DESKTOP)
        page.reload()
        page.screenshot(path=str(screenshot_dir / f"activities-{name}-1440.png"), full_page=True)
        context.close()
