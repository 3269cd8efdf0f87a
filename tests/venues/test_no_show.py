"""A no-show (not checked in within 30 minutes of the start) is released by the scheduled task and counts
against the person's monthly quota (issue 9 acceptance)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from dangjian.venues import services
from dangjian.venues.models import Reservation, ReservationStatus
from dangjian.venues.tasks import release_no_shows_task
from tests.venues.builders import at, request, status_of

pytestmark = pytest.mark.django_db


def test_the_beat_schedule_runs_the_task_every_five_minutes() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["venues-release-no-shows"]
    assert entry == {"task": "venues.release_no_shows", "schedule": 300.0}


def test_released_thirty_minutes_after_the_start_by_the_task_and_counted_in_the_quota(venues) -> None:
    venues.hall.monthly_quota = 1
    venues.hall.save()
    [booking] = request(venues.member, venues.hall, 3, 10, 12)
    start = booking.starts_at

    assert services.release_no_shows(now=start + timedelta(minutes=29)) == 0
    assert status_of(booking) == ReservationStatus.APPROVED

    released = release_no_shows_task.delay(now=(start + timedelta(minutes=30)).isoformat()).get()
    assert released == 1
    booking.refresh_from_db()
    assert booking.status == ReservationStatus.NO_SHOW and booking.released_at == start + timedelta(
        minutes=30
    )
    assert services.release_no_shows(now=start + timedelta(hours=1)) == 0  # once

    # The slot is free again for someone else …
    assert request(venues.own_admin, venues.hall, 3, 10, 12)[0].status == ReservationStatus.APPROVED
    # … and the no-show uses up the holder's booking of the month.
    with pytest.raises(ValidationError) as caught:
        request(venues.member, venues.hall, 3, 14, 15)
    assert caught.value.code == "quota"


def test_a_checked_in_booking_is_not_released(venues) -> None:
    [booking] = request(venues.member, venues.hall, 3, 10, 12)
    services.reservation_check_in(actor=venues.guide_a, reservation=booking, now=at(3, 10, 5))
    assert services.release_no_shows(now=at(3, 11)) == 0
    assert status_of(booking) == ReservationStatus.CHECKED_IN


def test_the_guide_may_mark_a_no_show_once_started(venues) -> None:
    [booking] = request(venues.member, venues.hall, 3, 10, 12)
    with pytest.raises(ValidationError):
        services.reservation_mark_no_show(actor=venues.guide_a, reservation=booking, now=at(3, 9))
    services.reservation_mark_no_show(actor=venues.guide_a, reservation=booking, now=at(3, 10, 10))
    assert Reservation.objects.get(pk=booking.pk).status == ReservationStatus.NO_SHOW
