"""An activity's venue booking kept in step (issue 10 §1): booked through the venues services — approved at
once for the station's guide or admin, a pending request for a secretary — moved with the activity or
refused with the venue's conflict (nothing changed), cancelled with it; registrants told of a new time."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from dangjian.accounts.models import Role
from dangjian.activities.models import Activity
from dangjian.activities.services import activity_cancel, activity_publish, activity_save, register
from dangjian.venues.models import Reservation, ReservationStatus
from tests import factories as f
from tests.activities.builders import inbox, new_activity
from tests.venues.builders import at, booked, make_venue, status_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(life: Any) -> Any:
    world = life.world
    world.guide_a = f.UserFactory(username="guide_a", real_name="孙丽")
    f.grant(world.guide_a, Role.GUIDE, world.a)
    world.book_bar = make_venue(world.a, name="万达书吧")  # needs the guide's approval
    world.hall = make_venue(world.a, name="万达党群综合馆", kind="hall", capacity=80, needs_approval=False)
    return life


def _save(actor: Any, activity: Activity, **kwargs: Any) -> Activity:
    saved = activity_save(
        actor=actor, activity=activity, organizations=list(activity.organizers.all()), **kwargs
    )
    return Activity.objects.prefetch_related("organizers").select_related("reservation").get(pk=saved.pk)


def test_a_secretary_books_a_venue_needing_approval_as_a_pending_request(place) -> None:
    activity = new_activity(place.secretary_a, [place.world.org_a], starts_at=at(3, 10), publish=False)
    activity = _save(place.secretary_a, activity, venue=place.world.book_bar)

    booking = activity.reservation
    assert booking is not None and booking.status == ReservationStatus.PENDING
    assert booking.holder == place.secretary_a
    assert (booking.starts_at, booking.ends_at) == (activity.starts_at, activity.ends_at)
    assert booking.purpose == f"活动：{activity.title}"


def test_the_guide_books_approved_at_once(place) -> None:
    world = place.world
    start = at(3, 10)
    activity = activity_save(
        actor=world.own_admin,
        activity=Activity(
            station=world.a,
            activity_type="lecture",
            title="楼宇讲座",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            audience="station",
            counts_for_life=False,
        ),
        organizations=[],
        venue=world.book_bar,
    )
    assert status_of(activity.reservation) == ReservationStatus.APPROVED


def test_moving_the_activity_moves_the_booking_and_tells_the_registered(
    place, django_capture_on_commit_callbacks
) -> None:
    world = place.world
    activity = new_activity(place.secretary_a, [world.org_a], starts_at=at(3, 10), publish=False)
    activity = _save(place.secretary_a, activity, venue=world.hall)
    old = activity.reservation
    assert old.status == ReservationStatus.APPROVED  # the hall books at once
    activity_publish(actor=place.secretary_a, activity=activity)
    register(
        actor=place.members[0], activity=Activity.objects.prefetch_related("organizers").get(pk=activity.pk)
    )

    activity = Activity.objects.prefetch_related("organizers").get(pk=activity.pk)
    activity.starts_at, activity.ends_at = at(4, 14), at(4, 16)
    with django_capture_on_commit_callbacks(execute=True):
        moved = _save(place.secretary_a, activity)

    assert status_of(old) == ReservationStatus.CANCELLED
    new = moved.reservation
    assert new.pk != old.pk and new.status == ReservationStatus.APPROVED
    assert (new.starts_at, new.ends_at, new.venue_id) == (at(4, 14), at(4, 16), world.hall.pk)
    assert inbox(place.members[0])[-1] == f"活动时间调整：{activity.title}"


def test_a_move_into_a_taken_slot_is_refused_with_the_venues_conflict_and_changes_nothing(place) -> None:
    world = place.world
    activity = new_activity(place.secretary_a, [world.org_a], starts_at=at(3, 10), publish=False)
    activity = _save(place.secretary_a, activity, venue=world.hall)
    old = activity.reservation
    booked(world.member, world.hall, offset=4, start=14, end=16)  # someone else holds the new slot

    activity.starts_at, activity.ends_at = at(4, 15), at(4, 17)
    with pytest.raises(ValidationError) as refused:
        _save(place.secretary_a, activity)

    assert refused.value.code == "conflict"
    assert "时间冲突" in refused.value.messages[0]
    stored = Activity.objects.get(pk=activity.pk)
    assert (stored.starts_at, stored.reservation_id) == (at(3, 10), old.pk)
    assert status_of(old) == ReservationStatus.APPROVED
    assert Reservation.objects.count() == 2


def test_an_edit_that_keeps_the_time_keeps_the_booking(place) -> None:
    activity = new_activity(place.secretary_a, [place.world.org_a], starts_at=at(3, 10), publish=False)
    activity = _save(place.secretary_a, activity, venue=place.world.hall)
    booking = activity.reservation
    activity.title = "新的名称"
    again = _save(place.secretary_a, activity)
    assert again.reservation_id == booking.pk and Reservation.objects.count() == 1


def test_another_officer_cannot_move_a_booking_held_by_the_secretary(place) -> None:
    world = place.world
    activity = new_activity(place.secretary_a, [world.org_a], starts_at=at(3, 10), publish=False)
    activity = _save(place.secretary_a, activity, venue=world.hall)
    activity.starts_at, activity.ends_at = at(5, 10), at(5, 12)
    with pytest.raises(ValidationError) as refused:
        _save(world.officer_a, activity)
    assert refused.value.code == "booking_held_by_other"
    assert status_of(activity.reservation) == ReservationStatus.APPROVED


def test_dropping_the_venue_and_cancelling_the_activity_cancel_the_booking(place) -> None:
    world = place.world
    first = _save(
        place.secretary_a,
        new_activity(place.secretary_a, [world.org_a], starts_at=at(3, 10), publish=False),
        venue=world.hall,
    )
    booking = first.reservation
    dropped = _save(place.secretary_a, first, venue=None)
    assert dropped.reservation is None and status_of(booking) == ReservationStatus.CANCELLED

    second = _save(
        place.secretary_a,
        new_activity(place.secretary_a, [world.org_a], starts_at=at(6, 10), publish=False),
        venue=world.book_bar,
    )
    activity_cancel(actor=place.secretary_a, activity=second, reason="天气原因")
    assert status_of(second.reservation) == ReservationStatus.CANCELLED


def test_a_venue_of_another_station_is_refused(place) -> None:
    salon_b = make_venue(place.world.b, name="金融沙龙")
    activity = new_activity(place.secretary_a, [place.world.org_a], starts_at=at(3, 10), publish=False)
    with pytest.raises(ValidationError) as refused:
        _save(place.secretary_a, activity, venue=salon_b)
    assert refused.value.error_dict["venue"][0].code == "wrong_station"
