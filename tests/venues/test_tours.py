"""Tours (参观预约, §5.4.3): a group requests a visit → the admin assigns a guide → the guide confirms, which
books a venue through the same overlap guard → after the visit the guide records the count and feedback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dangjian.venues import services
from dangjian.venues.models import Reservation, ReservationStatus, Tour, TourStatus
from dangjian.venues.selectors import access_tour, today_tours, tours_for
from tests.venues.builders import at, booked, status_of

pytestmark = pytest.mark.django_db


def ask(venues, offset: int = 4, start: int = 14, end: int = 15) -> Tour:
    return services.tour_request(
        actor=venues.resident,
        station=venues.a,
        group_name="鼓楼社区党支部",
        group_kind="community",
        contact_name="顾晓梅",
        contact_phone="13952612345",
        visitor_count=15,
        starts_at=at(offset, start),
        ends_at=at(offset, end),
    )


def test_request_assign_confirm_book_and_record(venues) -> None:
    tour = ask(venues)
    assert tour.status == TourStatus.REQUESTED and list(tours_for(user=venues.guide_a)) == [tour]
    with pytest.raises(ValidationError) as caught:
        services.tour_assign(actor=venues.own_admin, tour=tour, guide=venues.guide_b)
    assert caught.value.code == "guide"
    services.tour_assign(actor=venues.own_admin, tour=tour, guide=venues.guide_a)

    booked(venues.member, venues.hall, 4, 14, 15)  # the hall is taken then
    with pytest.raises(ValidationError) as caught:
        services.tour_confirm(actor=venues.guide_a, tour=tour, venue=venues.hall)
    assert caught.value.code == "conflict"
    assert Tour.objects.get(pk=tour.pk).status == TourStatus.REQUESTED

    [pending] = [booked(venues.member, venues.book_bar, 4, 13, 15, status=ReservationStatus.PENDING)]
    tour = services.tour_confirm(actor=venues.guide_a, tour=tour, venue=venues.book_bar)
    assert tour.status == TourStatus.CONFIRMED and tour.guide == venues.guide_a
    booking = Reservation.objects.get(pk=tour.reservation_id)
    assert booking.status == ReservationStatus.APPROVED and (booking.starts_at, booking.ends_at) == (
        tour.starts_at,
        tour.ends_at,
    )
    assert status_of(pending) == ReservationStatus.REJECTED  # overlapping requests are rejected as ever

    with pytest.raises(ValidationError) as caught:
        services.tour_record(actor=venues.guide_a, tour=tour, actual_count=23, feedback="很有收获")
    assert caught.value.code == "not_yet"
    Tour.objects.filter(pk=tour.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now() - timedelta(minutes=1)
    )
    tour = services.tour_record(
        actor=venues.guide_a, tour=tour, actual_count=23, feedback="讲解生动，很有收获"
    )
    assert (tour.status, tour.actual_count) == (TourStatus.DONE, 23)
    assert status_of(booking) == ReservationStatus.CHECKED_IN


def test_a_tours_booking_is_not_released_as_a_no_show(venues) -> None:
    tour = ask(venues, 4, 10, 11)
    tour = services.tour_confirm(actor=venues.guide_a, tour=tour, venue=venues.hall)
    assert services.release_no_shows(now=at(4, 11)) == 0
    assert status_of(tour.reservation) == ReservationStatus.APPROVED


def test_decline_and_cancel_release_the_booking(venues) -> None:
    tour = services.tour_confirm(actor=venues.guide_a, tour=ask(venues), venue=venues.hall)
    services.tour_cancel(actor=venues.resident, tour=tour)
    assert status_of(tour.reservation) == ReservationStatus.CANCELLED
    other = ask(venues, 5)
    with pytest.raises(ValidationError):
        services.tour_decline(actor=venues.guide_a, tour=other, reason="")
    assert (
        services.tour_decline(actor=venues.guide_a, tour=other, reason="当天闭馆").status
        == TourStatus.DECLINED
    )


def test_another_stations_guide_may_not_handle_and_gets_404(venues) -> None:
    tour = ask(venues, 2)
    with pytest.raises(PermissionDenied):
        services.tour_confirm(actor=venues.guide_b, tour=tour, venue=venues.hall)
    from django.http import Http404

    with pytest.raises(Http404):
        access_tour(user=venues.guide_b, pk=tour.pk)
    with pytest.raises(Http404):
        access_tour(user=venues.member_b, pk=tour.pk)
    assert access_tour(user=venues.resident, pk=tour.pk) == tour  # the requester
    assert access_tour(user=venues.hq_guide, pk=tour.pk, manage=True) == tour
    assert today_tours(user=venues.guide_b).count() == 0
