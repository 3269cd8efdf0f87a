"""Management is isolated (DESIGN.md): another station's guide, worker and admin, and a member of another
station, are refused by the services (PermissionDenied) and get 404 from `access_*`; HQ roles govern every
branch. Anonymous visitors see only public venues."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from dangjian.venues import services
from dangjian.venues.models import ReservationStatus
from dangjian.venues.selectors import (
    access_fault,
    access_reservation,
    access_venue,
    bookable_venues,
    faults_for,
    review_queue,
    venues_for,
)
from tests.venues.builders import request, status_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["guide_b", "other_admin", "worker_b", "member_b", "worker_a", "member"])
def test_who_may_not_decide_a_request_is_refused(venues, role) -> None:
    [pending] = request(venues.resident, venues.book_bar)
    actor = getattr(venues, role)
    with pytest.raises(PermissionDenied):
        services.reservation_approve(actor=actor, reservation=pending)
    with pytest.raises(PermissionDenied):
        services.reservation_reject(actor=actor, reservation=pending, reason="不行")
    assert status_of(pending) == ReservationStatus.PENDING


@pytest.mark.parametrize("role", ["guide_b", "other_admin", "worker_b", "member_b"])
def test_another_station_gets_404_on_requests_and_faults(venues, role) -> None:
    [pending] = request(venues.resident, venues.book_bar)
    fault = services.fault_report(actor=venues.member, venue=venues.book_bar, description="空调不制冷")
    actor = getattr(venues, role)
    for manage in (False, True):
        with pytest.raises(Http404):
            access_reservation(user=actor, pk=pending.pk, manage=manage)
        with pytest.raises(Http404):
            access_fault(user=actor, pk=fault.pk, manage=manage)
    assert pending not in review_queue(user=actor)
    assert fault not in faults_for(user=actor)
    with pytest.raises(PermissionDenied):
        services.fault_repair(actor=actor, fault=fault, note="修好了")


@pytest.mark.parametrize("role", ["guide_a", "own_admin", "hq_admin", "hq_guide"])
def test_the_stations_guide_and_admin_and_hq_may(venues, role) -> None:
    [pending] = request(venues.resident, venues.book_bar)
    actor = getattr(venues, role)
    assert access_reservation(user=actor, pk=pending.pk, manage=True) == pending
    assert pending in review_queue(user=actor)
    assert services.reservation_approve(actor=actor, reservation=pending).reservation.status == "approved"


def test_the_holder_sees_their_own_booking_and_no_one_elses(venues) -> None:
    [mine] = request(venues.resident, venues.book_bar)
    assert access_reservation(user=venues.resident, pk=mine.pk) == mine
    with pytest.raises(Http404):
        access_reservation(user=venues.resident, pk=mine.pk, manage=True)
    with pytest.raises(Http404):
        access_reservation(user=venues.member, pk=mine.pk)
    with pytest.raises(PermissionDenied):
        services.reservation_cancel(actor=venues.member, reservation=mine)


def test_only_the_buildings_worker_and_the_admin_handle_faults(venues) -> None:
    fault = services.fault_report(actor=venues.resident, venue=venues.book_bar, description="桌椅损坏")
    assert access_fault(user=venues.worker_a, pk=fault.pk, manage=True) == fault
    assert access_fault(user=venues.resident, pk=fault.pk) == fault  # the reporter
    with pytest.raises(Http404):
        access_fault(user=venues.resident, pk=fault.pk, manage=True)
    with pytest.raises(PermissionDenied):
        services.fault_assign(actor=venues.guide_a, fault=fault, assignee=venues.worker_a)


def test_anonymous_visitors_see_public_venues_only(venues) -> None:
    anonymous = AnonymousUser()
    assert list(venues_for(user=anonymous)) == []
    venues.hall.audience = "public"
    venues.hall.save()
    assert list(venues_for(user=anonymous)) == [venues.hall]
    assert access_venue(user=anonymous, pk=venues.hall.pk) == venues.hall
    with pytest.raises(Http404):
        access_venue(user=anonymous, pk=venues.book_bar.pk)
    with pytest.raises(PermissionDenied):
        services.reservation_request(
            actor=anonymous,
            venue=venues.hall,
            starts_at=None,
            ends_at=None,
            purpose="x",
            head_count=1,  # type: ignore[arg-type]
        )


def test_bookable_venues_follow_the_audience(venues) -> None:
    assert set(bookable_venues(user=venues.resident)) == {venues.book_bar}
    assert set(bookable_venues(user=venues.member)) == {venues.book_bar, venues.hall}
    assert set(bookable_venues(user=venues.member_b)) == {venues.salon_b}
    assert set(bookable_venues(user=venues.resident_b)) == set()  # B is not open to its surroundings
    assert set(bookable_venues(user=venues.hq_admin)) == {venues.book_bar, venues.hall, venues.salon_b}
    for user in (venues.resident, venues.member, venues.member_b, venues.resident_b, venues.hq_admin):
        for venue in (venues.book_bar, venues.hall, venues.salon_b):
            assert user.has_perm("venues.book", venue) == (venue in bookable_venues(user=user))


@pytest.mark.parametrize("role", ["other_admin", "guide_a", "worker_a", "member"])
def test_who_may_not_keep_venues_is_refused(venues, role) -> None:
    with pytest.raises(PermissionDenied):
        services.venue_save(actor=getattr(venues, role), venue=venues.book_bar, data={"capacity": 99})
    with pytest.raises(PermissionDenied):
        services.closed_day_add(
            actor=getattr(venues, role),
            station=venues.a,
            venue=None,
            date=venues.a.created_at.date(),
            reason="x",
        )
