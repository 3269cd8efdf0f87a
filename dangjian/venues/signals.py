"""Signals the venues app emits (DESIGN.md: another capability reacts to them by importing only this module;
venues never imports the listener). Each is sent once the transaction commits.

- `reservation_decided.send(sender=Reservation, reservation=r, approved=bool, actor=user)`: a booking was
  approved (by the guide, automatically, or for a tour) or rejected (by the guide, or automatically
  because an overlapping one was approved) — e.g. activities may confirm an event that uses the venue.
- `venue_out_of_service.send(sender=Venue, venue=v, fault=f)`: a blocking fault put the venue out of service.
- `venue_back_in_service.send(sender=Venue, venue=v, fault=f)`: the last blocking fault was repaired.
- `reservation_released.send(sender=Reservation, reservation=r)`: a no-show released the slot.
"""

from __future__ import annotations

from django.dispatch import Signal

reservation_decided = Signal()
venue_out_of_service = Signal()
venue_back_in_service = Signal()
reservation_released = Signal()

# Completion points (the evaluation capability asks the people served how satisfied they were):
# - `reservation_checked_in.send(sender=Reservation, reservation=r, actor=user)`: a booking was used;
# - `tour_recorded.send(sender=Tour, tour=t, actor=user)`: a tour took place and its result was recorded.
reservation_checked_in = Signal()
tour_recorded = Signal()
