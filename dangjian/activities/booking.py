"""An activity's venue booking (活动预约场地), kept in step with the activity through the venues services.

- **Booking**: `activity_save(..., venue=v)` requests the venue for the activity's time with
  `venues.services.reservation_request` (every rule of the venue applies: opening hours, closed days,
  advance limits, duration, capacity, quota, audience, conflicts). When the actor may approve bookings at
  that venue (its station's guide or admin, `venues.review_reservation`) the request is approved at once
  with `reservation_approve` (which rejects the overlapping pending requests, as a guide's approval
  always does); otherwise it stays a pending request for the station's guides, like anyone's, and the
  activity shows its state. A venue without approval books at once for everybody.
- **Moving**: a change of time (or of venue) cancels the live booking and requests the new slot inside one
  savepoint: a refusal (the venue's `conflict`, `outside_hours`, … message and code) rolls everything back
  — the old booking stands and the activity is not changed. Only someone who may cancel the booking (its
  holder, the station's guide or admin) may move it; anyone else is refused with `booking_held_by_other`.
- **Cancelling** the activity cancels its live booking; dropping the venue (`venue=None`) does too.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from dangjian.venues.models import Reservation, ReservationStatus, Venue
from dangjian.venues.services import reservation_approve, reservation_cancel, reservation_request

LIVE_BOOKING = (ReservationStatus.PENDING, ReservationStatus.APPROVED)
MOVE_REASON = "活动时间或场地调整"
CANCEL_REASON = "活动取消"


class Keep:
    """`activity_save(venue=KEEP)`: keep the venue the activity has (moving its booking with the time)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP = Keep()


def live_booking(activity: Any) -> Reservation | None:
    if activity.reservation_id is None:
        return None
    return (
        Reservation.objects.select_related("venue__station", "holder", "station")
        .filter(pk=activity.reservation_id, status__in=LIVE_BOOKING)
        .first()
    )


def book(*, actor: Any, activity: Any, venue: Venue) -> Reservation:
    """Request (and, for those who may, approve) the venue for the activity's time."""
    head_count = activity.capacity if activity.capacity else venue.capacity
    made = reservation_request(
        actor=actor,
        venue=venue,
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        purpose=f"活动：{activity.title}"[:200],
        head_count=head_count,
    )
    booking = made[0]
    if booking.status == ReservationStatus.PENDING and actor.has_perm("venues.review_reservation", booking):
        booking = reservation_approve(actor=actor, reservation=booking).reservation
    return booking


def release(*, actor: Any, booking: Reservation, reason: str) -> None:
    """Cancel the live booking (the holder, or the station's guide or admin with the reason)."""
    if not actor.has_perm("venues.cancel_reservation", booking):
        raise ValidationError(
            f"场地预约由{booking.holder.display_name}办理，请由其本人或本站讲解员调整或取消",
            code="booking_held_by_other",
        )
    reservation_cancel(
        actor=actor, reservation=booking, reason="" if booking.holder_id == actor.pk else reason
    )


def keep_in_step(*, actor: Any, activity: Any, stored: Any, venue: Any) -> Reservation | None:
    """Inside the transaction of `activity_save`: the booking the activity should have after the change.
    `stored` is the activity before the change (None when new); `venue` a Venue, None (no venue) or KEEP."""
    current = live_booking(stored) if stored is not None else None
    if isinstance(venue, Keep):
        venue = current.venue if current is not None else None
        if venue is None and stored is not None and stored.reservation_id is not None:
            return stored.reservation  # a rejected/cancelled booking stays linked for the record
    if venue is not None and venue.station_id != activity.station_id:
        raise ValidationError({"venue": ValidationError("所选场所不属于活动所在站点", code="wrong_station")})
    if venue is None:
        if current is not None:
            release(actor=actor, booking=current, reason=MOVE_REASON)
        return None
    if current is not None:
        unchanged = (
            current.venue_id == venue.pk
            and current.starts_at == activity.starts_at
            and current.ends_at == activity.ends_at
        )
        if unchanged:
            return current
        release(actor=actor, booking=current, reason=MOVE_REASON)
    return book(actor=actor, activity=activity, venue=venue)


def release_for_cancel(*, actor: Any, activity: Any) -> None:
    current = live_booking(activity)
    if current is not None:
        release(actor=actor, booking=current, reason=CANCEL_REASON)
