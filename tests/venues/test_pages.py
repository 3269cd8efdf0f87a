"""The venues pages (issue 9): booking through the venue page, refusals shown as Chinese form errors that
change nothing, the guide's review page with the conflicts, another station's guide meeting 404, the
check-in page, the QR poster, fault reports and tours."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from dangjian.venues import services
from dangjian.venues.models import ClosedDay, FaultReport, Reservation, ReservationStatus, Tour
from tests.venues.builders import at, booked, day, png, status_of

pytestmark = pytest.mark.django_db


def booking(offset: int = 3, start: str = "10:00", end: str = "12:00", **extra: Any) -> dict[str, Any]:
    return {
        "date": day(offset).isoformat(),
        "start": start,
        "end": end,
        "purpose": "社区读书分享会",
        "head_count": "12",
        **extra,
    }


def test_a_surrounding_resident_books_the_book_bar(venues, client) -> None:
    client.force_login(venues.resident)
    url = reverse("venues:detail", kwargs={"pk": venues.book_bar.pk})
    page = client.get(url)
    assert page.status_code == 200 and "提交预约" in page.content.decode()
    response = client.post(url, booking())
    assert response.status_code == 302 and response["Location"] == reverse("venues:mine")
    made = Reservation.objects.get()
    assert (made.holder, made.status, made.head_count) == (venues.resident, ReservationStatus.PENDING, 12)
    mine = client.get(reverse("venues:mine")).content.decode()
    assert "待审核" in mine and "万达书吧" in mine


def test_a_weekly_booking_names_the_first_colliding_date(venues, client) -> None:
    booked(venues.member, venues.book_bar, offset=3 + 14, start=10, end=12)
    client.force_login(venues.resident)
    body = booking(recurrence="weekly", until=day(3 + 21).isoformat())
    response = client.post(reverse("venues:detail", kwargs={"pk": venues.book_bar.pk}), body)
    collide = day(17)
    assert response.status_code == 200
    assert f"{collide.year}年{collide.month}月{collide.day}日" in response.content.decode()
    assert Reservation.objects.count() == 1


@pytest.mark.parametrize(
    "body, message",
    [
        (booking(end="09:00"), "结束时间应晚于开始时间"),
        (booking(head_count="0"), "确保该值大于或等于"),
        (booking(recurrence="weekly"), "重复预约请填写截止日期"),
        ({**booking(), "date": "2026-13-45"}, "输入一个有效的日期"),
    ],
)
def test_bad_input_is_a_chinese_form_error_and_changes_nothing(venues, client, body, message) -> None:
    client.force_login(venues.resident)
    response = client.post(reverse("venues:detail", kwargs={"pk": venues.book_bar.pk}), body)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Reservation.objects.exists()


def test_a_service_refusal_is_shown_on_the_form(venues, client) -> None:
    ClosedDay.objects.create(station=venues.a, date=day(3), reason="国庆节")
    client.force_login(venues.resident)
    url = reverse("venues:detail", kwargs={"pk": venues.book_bar.pk})
    closed = client.post(url, booking()).content.decode()
    assert "国庆节" in closed or "闭馆" in closed
    late = client.post(url, booking(start="21:30", end="22:30")).content.decode()
    assert "开放时间" in late
    assert not Reservation.objects.exists()


def test_someone_outside_the_audience_is_told_and_nothing_is_written(venues, client) -> None:
    client.force_login(venues.resident_b)
    url = reverse("venues:detail", kwargs={"pk": venues.book_bar.pk})
    page = client.get(url).content.decode()
    assert "提交预约" not in page and "仅向本站及周边社区开放预约" in page
    assert "您不在该场所的可预约范围内" in client.post(url, booking()).content.decode()
    assert not Reservation.objects.exists()


def test_the_guide_sees_the_conflicts_and_approving_rejects_them(venues, client) -> None:
    first = services.reservation_request(
        actor=venues.resident,
        venue=venues.book_bar,
        starts_at=at(3, 10),
        ends_at=at(3, 12),
        purpose="读书会",
        head_count=10,
    )[0]
    second = services.reservation_request(
        actor=venues.member,
        venue=venues.book_bar,
        starts_at=at(3, 11),
        ends_at=at(3, 13),
        purpose="党小组会",
        head_count=8,
    )[0]
    client.force_login(venues.guide_a)
    queue = client.get(reverse("venues:review_queue")).content.decode()
    assert "读书会" in queue and "党小组会" in queue
    review = client.get(reverse("venues:review", kwargs={"pk": first.pk})).content.decode()
    assert "时间冲突的申请和预约（1）" in review and "党小组会" in review
    response = client.post(reverse("venues:approve", kwargs={"pk": first.pk}), follow=True)
    text = response.content.decode()
    assert "已自动驳回" in text and venues.member.display_name in text
    assert (status_of(first), status_of(second)) == (ReservationStatus.APPROVED, ReservationStatus.REJECTED)


def test_rejecting_needs_a_reason(venues, client) -> None:
    pending = booked(venues.resident, venues.book_bar, status=ReservationStatus.PENDING)
    client.force_login(venues.guide_a)
    url = reverse("venues:reject", kwargs={"pk": pending.pk})
    assert "这个字段是必填项" in client.post(url, {"reason": ""}).content.decode()
    assert status_of(pending) == ReservationStatus.PENDING
    client.post(url, {"reason": "当天有上级检查"})
    assert status_of(pending) == ReservationStatus.REJECTED


@pytest.mark.parametrize("name", ["review", "approve", "reject", "check_in"])
def test_another_stations_guide_gets_404(venues, client, name) -> None:
    pending = booked(venues.resident, venues.book_bar, status=ReservationStatus.PENDING)
    client.force_login(venues.guide_b)
    url = reverse(f"venues:{name}", kwargs={"pk": pending.pk})
    response = client.get(url) if name == "review" else client.post(url, {"reason": "不同意"})
    assert response.status_code == 404
    assert status_of(pending) == ReservationStatus.PENDING


def test_another_stations_guide_gets_404_on_tours_and_faults(venues, client) -> None:
    tour = Tour.objects.create(
        station=venues.a,
        group_name="鼓楼社区党委",
        contact_name="顾丽华",
        contact_phone="13805261234",
        visitor_count=10,
        starts_at=at(5, 9),
        ends_at=at(5, 10),
        requested_by=venues.resident,
    )
    fault = FaultReport.objects.create(
        station=venues.a, venue=venues.book_bar, reporter=venues.resident, description="灯不亮"
    )
    client.force_login(venues.guide_b)
    assert client.get(reverse("venues:tour", kwargs={"pk": tour.pk})).status_code == 404
    assert (
        client.post(reverse("venues:tour_decline", kwargs={"pk": tour.pk}), {"reason": "x"}).status_code
        == 404
    )
    client.force_login(venues.worker_b)
    assert client.get(reverse("venues:fault", kwargs={"pk": fault.pk})).status_code == 404


def test_the_holder_cancels_and_downloads_the_calendar_file(venues, client) -> None:
    mine = booked(venues.resident, venues.book_bar)
    client.force_login(venues.resident)
    ics = client.get(reverse("venues:reservation_ics", kwargs={"pk": mine.pk}))
    assert ics["Content-Type"].startswith("text/calendar")
    assert "filename*=utf-8''" in ics["Content-Disposition"]
    assert client.post(reverse("venues:cancel", kwargs={"pk": mine.pk})).status_code == 302
    assert status_of(mine) == ReservationStatus.CANCELLED


def test_the_qr_code_opens_the_check_in_page(venues, client, django_capture_on_commit_callbacks) -> None:
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    mine = Reservation.objects.create(
        station=venues.a,
        venue=venues.book_bar,
        holder=venues.resident,
        purpose="读书会",
        head_count=5,
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(hours=1),
        status=ReservationStatus.APPROVED,
    )
    client.force_login(venues.resident)
    url = reverse("venues:checkin", kwargs={"token": venues.book_bar.checkin_token})
    assert "确认签到" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert status_of(mine) == ReservationStatus.CHECKED_IN
    assert client.get(reverse("venues:checkin", kwargs={"token": "nope"})).status_code == 404


def test_the_poster_is_a_qr_code_of_the_check_in_url(venues, client) -> None:
    client.force_login(venues.own_admin)
    page = client.get(reverse("venues:poster", kwargs={"pk": venues.book_bar.pk})).content.decode()
    assert "<svg" in page and venues.book_bar.checkin_token in page


def test_anyone_signed_in_reports_a_fault_with_a_photo(venues, client) -> None:
    client.force_login(venues.resident)
    url = reverse("venues:fault_report", kwargs={"pk": venues.book_bar.pk})
    response = client.post(url, {"description": "投影仪无法开机", "blocks_venue": "on", "photo": png()})
    assert response.status_code == 302
    fault = FaultReport.objects.get()
    assert fault.blocks_venue and fault.photo
    venues.book_bar.refresh_from_db()
    assert venues.book_bar.out_of_service
    refused = client.post(reverse("venues:detail", kwargs={"pk": venues.book_bar.pk}), booking())
    assert refused.status_code == 200 and not Reservation.objects.exists()
    bad = client.post(
        url, {"description": "坏了", "photo": png("x.png").__class__("x.png", b"<html>", "image/png")}
    )
    assert bad.status_code == 200 and FaultReport.objects.count() == 1


def test_a_tour_is_requested_and_confirmed_with_a_booking(venues, client) -> None:
    client.force_login(venues.resident)
    body = {
        "station": venues.a.pk,
        "group_name": "鼓楼社区党委",
        "group_kind": "community",
        "contact_name": "顾丽华",
        "contact_phone": "13805261234",
        "visitor_count": "15",
        "date": day(5).isoformat(),
        "start": "09:00",
        "end": "10:30",
    }
    assert client.post(reverse("venues:tour_request"), body).status_code == 302
    tour = Tour.objects.get()
    client.force_login(venues.guide_a)
    assert "鼓楼社区党委" in client.get(reverse("venues:tours")).content.decode()
    client.post(reverse("venues:tour_confirm", kwargs={"pk": tour.pk}), {"venue": venues.hall.pk})
    tour.refresh_from_db()
    assert tour.status == "confirmed" and tour.reservation is not None


def test_opening_hours_and_closed_days_are_kept_on_one_page(venues, client) -> None:
    client.force_login(venues.own_admin)
    url = reverse("venues:hours", kwargs={"pk": venues.book_bar.pk})
    bad = client.post(url, {"form": "hours", "opens_0": "18:00", "closes_0": "09:00"})
    assert "关闭时间应晚于开放时间" in bad.content.decode()
    assert venues.book_bar.hours.count() == 7
    client.post(url, {"form": "hours", "opens_0": "09:00", "closes_0": "17:00"})
    assert list(venues.book_bar.hours.values_list("weekday", flat=True)) == [0]
    client.post(
        url, {"form": "closed", "date": day(9).isoformat(), "reason": "国庆节", "whole_station": "on"}
    )
    assert ClosedDay.objects.get().venue is None
    client.force_login(venues.guide_a)  # the guide reviews, but does not keep the venue
    assert client.get(url).status_code == 404


def test_the_six_have_checklist_and_the_hq_overview(venues, client) -> None:
    client.force_login(venues.worker_a)
    url = reverse("venues:six_have")
    client.post(url, {"station": venues.a.pk, "item": "flag", "met": "on", "note": "已悬挂", "photo": png()})
    client.force_login(venues.hq_admin)
    overview = client.get(reverse("venues:six_have_overview")).content.decode()
    assert "有场所" in overview and venues.a.name in overview
    client.force_login(venues.own_admin)
    assert client.get(reverse("venues:six_have_overview")).status_code == 403


def test_the_guide_marks_a_started_booking_no_show(venues, client) -> None:
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    started = Reservation.objects.create(
        station=venues.a,
        venue=venues.book_bar,
        holder=venues.resident,
        purpose="读书会",
        head_count=5,
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(hours=1),
        status=ReservationStatus.APPROVED,
    )
    client.force_login(venues.guide_a)
    assert "未到场" in client.get(reverse("venues:today")).content.decode()
    client.force_login(venues.guide_b)
    assert client.post(reverse("venues:no_show", kwargs={"pk": started.pk})).status_code == 404
    client.force_login(venues.guide_a)
    assert client.post(reverse("venues:no_show", kwargs={"pk": started.pk})).status_code == 302
    assert status_of(started) == ReservationStatus.NO_SHOW
