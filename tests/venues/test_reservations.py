"""Requesting a venue (DB3212/T 1124 §6.2, issue 9): each refusal with its code and a clear Chinese reason,
nothing saved; recurring requests check every occurrence and name the first refused date; approving one
request rejects the pending ones it overlaps and says so."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.core.models import Notification
from dangjian.venues import services
from dangjian.venues.models import ClosedDay, Reservation, ReservationSeries, ReservationStatus
from dangjian.venues.selectors import conflicts_of, review_queue
from tests.venues.builders import at, booked, day, request, status_of

pytestmark = pytest.mark.django_db


def refused(code: str, call: Any) -> str:
    before = Reservation.objects.count()
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.code == code, caught.value
    assert Reservation.objects.count() == before
    return caught.value.messages[0]


def test_a_member_of_the_station_requests_and_the_guide_is_told(
    venues, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        [made] = request(venues.member, venues.book_bar)
    assert made.status == ReservationStatus.PENDING and made.station_id == venues.a.pk
    assert list(review_queue(user=venues.guide_a)) == [made]
    assert Notification.objects.filter(recipient=venues.guide_a, title__contains="万达书吧").exists()


def test_a_venue_without_approval_is_booked_at_once(venues) -> None:
    [made] = request(venues.member, venues.hall)
    assert made.status == ReservationStatus.APPROVED and made.decided_at is not None


def test_past(venues) -> None:
    message = refused("past", lambda: services.reservation_request(
        actor=venues.member, venue=venues.book_bar, starts_at=at(-1, 10), ends_at=at(-1, 11),
        purpose="学习", head_count=3,
    ))  # fmt: skip
    assert "已经过去" in message


def test_closed_day_of_the_station_and_of_the_venue(venues) -> None:
    ClosedDay.objects.create(station=venues.a, date=day(3), reason="国庆节")
    message = refused("closed", lambda: request(venues.member, venues.book_bar, 3))
    assert "国庆节" in message and f"{day(3).year}年{day(3).month}月{day(3).day}日" in message
    ClosedDay.objects.create(station=venues.a, venue=venues.book_bar, date=day(4), reason="书架维护")
    assert "书架维护" in refused("closed", lambda: request(venues.member, venues.book_bar, 4))
    assert request(venues.member, venues.hall, 4)  # the other venue is open that day


def test_outside_opening_hours_and_a_weekday_without_hours(venues) -> None:
    assert "开放时间" in refused("outside_hours", lambda: request(venues.member, venues.book_bar, 3, 7, 9))
    assert "开放时间" in refused("outside_hours", lambda: request(venues.member, venues.book_bar, 3, 20, 22))
    venues.book_bar.hours.filter(weekday=day(5).weekday()).delete()
    assert "当天不开放" in refused("outside_hours", lambda: request(venues.member, venues.book_bar, 5))


def test_over_capacity(venues) -> None:
    message = refused("over_capacity", lambda: request(venues.member, venues.book_bar, head_count=21))
    assert "20 人" in message


def test_too_soon_too_far_too_long(venues) -> None:
    soon = timezone.now() + timedelta(minutes=30)
    assert "提前" in refused("too_soon", lambda: services.reservation_request(
        actor=venues.member, venue=venues.book_bar, starts_at=soon, ends_at=soon + timedelta(hours=1),
        purpose="学习", head_count=3, now=soon - timedelta(minutes=30),
    ))  # fmt: skip
    assert "30 天" in refused("too_far", lambda: request(venues.member, venues.book_bar, 31))
    assert "4 小时" in refused("too_long", lambda: request(venues.member, venues.book_bar, 3, 9, 14))


def test_monthly_quota_counts_pending_approved_and_no_shows(venues) -> None:
    venues.book_bar.monthly_quota = 2
    venues.book_bar.save()
    first = booked(venues.member, venues.book_bar, 2, 9, 10, status=ReservationStatus.NO_SHOW)
    first.starts_at, first.ends_at = at(3, 9), at(3, 10)  # same local month as the next ones when possible
    first.save()
    request(venues.member, venues.book_bar, 3, 14, 15)
    same_month = 3 if at(4, 10).month == at(3, 10).month else None
    if same_month is None:
        pytest.skip("day 4 falls in the next month")
    message = refused("quota", lambda: request(venues.member, venues.book_bar, 4, 10, 11))
    assert "未到场也计入" in message and "已预约 2 次" in message
    assert request(venues.resident, venues.book_bar, 4, 10, 11)  # another person's quota is theirs


def test_out_of_service(venues) -> None:
    venues.book_bar.out_of_service, venues.book_bar.out_of_service_reason = True, "空调故障"
    venues.book_bar.save()
    assert "空调故障" in refused("out_of_service", lambda: request(venues.member, venues.book_bar))


def test_conflict_with_an_approved_booking_but_not_with_a_pending_one(venues) -> None:
    booked(venues.resident, venues.book_bar, 3, 9, 11)
    booked(venues.resident, venues.book_bar, 3, 14, 16, status=ReservationStatus.PENDING)
    assert "时间冲突" in refused("conflict", lambda: request(venues.member, venues.book_bar, 3, 10, 12))
    assert request(venues.member, venues.book_bar, 3, 11, 12)  # touching the end is no overlap
    assert request(venues.member, venues.book_bar, 3, 15, 16)  # a pending request does not hold the slot


def test_audience(venues) -> None:
    # A is open to its surroundings: its community's resident may book the book bar (本站及周边社区) …
    assert request(venues.resident, venues.book_bar)
    # … but not a venue for the station's own people, nor may a member of B.
    assert "万达广场分站人员" in refused("audience", lambda: request(venues.resident, venues.hall))
    refused("audience", lambda: request(venues.member_b, venues.book_bar))
    # B is not open to its surroundings: its surroundings venue behaves as "station only".
    refused("audience", lambda: request(venues.resident_b, venues.salon_b))
    assert request(venues.member_b, venues.salon_b)
    venues.hall.audience = "public"
    venues.hall.save()
    assert request(venues.resident_b, venues.hall)


def test_a_weekly_request_colliding_on_its_fifth_occurrence_is_refused_naming_that_date(venues) -> None:
    venues.book_bar.max_advance_days = 60
    venues.book_bar.monthly_quota = 0
    venues.book_bar.save()
    fifth = booked(venues.resident, venues.book_bar, 2 + 28, 10, 11)
    fifth_day = day(30)
    message = refused("conflict", lambda: request(
        venues.member, venues.book_bar, 2, 9, 11, recurrence="weekly", until=day(2 + 35),
    ))  # fmt: skip
    assert message.startswith(f"{fifth_day.year}年{fifth_day.month}月{fifth_day.day}日")
    assert not ReservationSeries.objects.exists()
    assert Reservation.objects.filter(holder=venues.member).count() == 0
    fifth.delete()
    made = request(venues.member, venues.book_bar, 2, 9, 11, recurrence="weekly", until=day(2 + 35))
    assert len(made) == 6 and len({r.series_id for r in made}) == 1
    assert [r.starts_at - made[0].starts_at for r in made] == [timedelta(weeks=n) for n in range(6)]


def test_a_recurring_request_past_the_advance_limit_names_the_first_date_too_far(venues) -> None:
    message = refused("too_far", lambda: request(
        venues.member, venues.book_bar, 2, 9, 11, recurrence="weekly", until=day(2 + 35),
    ))  # fmt: skip
    first_too_far = day(2 + 35)  # occurrences on days 2, 9, 16, 23, 30 (the last allowed), 37
    assert message.startswith(f"{first_too_far.year}年{first_too_far.month}月{first_too_far.day}日")


def test_approving_rejects_the_overlapping_pending_requests_and_reports_them(
    venues, django_capture_on_commit_callbacks
) -> None:
    [mine] = request(venues.member, venues.book_bar, 3, 10, 12)
    [overlapping] = request(venues.resident, venues.book_bar, 3, 11, 13)
    [later] = request(venues.resident, venues.book_bar, 3, 13, 14)
    assert conflicts_of(reservation=mine) == [overlapping]
    with django_capture_on_commit_callbacks(execute=True):
        result = services.reservation_approve(actor=venues.guide_a, reservation=mine)
    assert result.reservation.status == ReservationStatus.APPROVED
    assert result.auto_rejected == [overlapping]
    assert (
        status_of(overlapping) == ReservationStatus.REJECTED and status_of(later) == ReservationStatus.PENDING
    )
    reason = Reservation.objects.get(pk=overlapping.pk).decision_reason
    assert "时间冲突" in reason and venues.member.display_name in reason
    assert Notification.objects.filter(recipient=venues.resident, title__startswith="预约未通过").exists()
    assert Notification.objects.filter(recipient=venues.member, title__startswith="预约已通过").exists()
    with pytest.raises(ValidationError) as caught:
        services.reservation_approve(actor=venues.guide_a, reservation=overlapping)
    assert caught.value.code == "wrong_state"


def test_approving_over_an_approved_booking_is_refused(venues) -> None:
    [pending] = request(venues.member, venues.book_bar, 3, 10, 12)
    booked(venues.resident, venues.book_bar, 3, 11, 12)
    with pytest.raises(ValidationError) as caught:
        services.reservation_approve(actor=venues.guide_a, reservation=pending)
    assert caught.value.code == "conflict"
    assert status_of(pending) == ReservationStatus.PENDING


def test_reject_needs_a_reason_and_cancel_by_holder_or_staff(venues) -> None:
    [one] = request(venues.member, venues.book_bar, 3, 10, 12)
    with pytest.raises(ValidationError):
        services.reservation_reject(actor=venues.guide_a, reservation=one, reason=" ")
    services.reservation_reject(actor=venues.guide_a, reservation=one, reason="当天有上级检查")
    assert status_of(one) == ReservationStatus.REJECTED
    [two] = request(venues.member, venues.hall, 3, 10, 12)
    services.reservation_cancel(actor=venues.member, reservation=two)
    assert status_of(two) == ReservationStatus.CANCELLED
    [three] = request(venues.member, venues.hall, 4, 10, 12)
    with pytest.raises(ValidationError):
        services.reservation_cancel(actor=venues.own_admin, reservation=three)
    services.reservation_cancel(actor=venues.own_admin, reservation=three, reason="场馆临时征用")
    assert status_of(three) == ReservationStatus.CANCELLED


def test_check_in_by_qr_code_from_fifteen_minutes_before(venues) -> None:
    [booking] = request(venues.member, venues.hall, 3, 10, 12)
    token = venues.hall.checkin_token
    with pytest.raises(ValidationError) as caught:
        services.reservation_check_in(actor=venues.member, token=token, now=at(3, 9, 40))
    assert caught.value.code == "not_now"
    with pytest.raises(ValidationError) as caught:
        services.reservation_check_in(actor=venues.member, token="wrong", now=at(3, 9, 50))
    assert caught.value.code == "token"
    done = services.reservation_check_in(actor=venues.member, token=token, now=at(3, 9, 50))
    assert done.pk == booking.pk and status_of(booking) == ReservationStatus.CHECKED_IN
