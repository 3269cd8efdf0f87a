"""Who may do what with a station's offline spaces (DB3212/T 1124 §6.1, §6.2, §5.4.3, §5.5).

- The station admin of the venue's station (and HQ, whose grants reach every branch) keeps venues, hours,
  closed days and policies, and may do everything the guide and the worker may.
- The guide (讲解员) of the station reviews reservations, checks people in, and handles tours.
- The party-affairs worker (党务工作者) of the venue's building (any worker of the station for a venue
  without a building) keeps equipment and faults; any worker of the station keeps its 六有 checklist.
- Booking: the venue's audience (本站人员 / 本站及周边社区 / 所有注册用户).
- Anyone signed in may report a fault on a venue they can see and request a tour.

Objects: a `Station`, or anything with a `station_id` (venue, reservation, fault, tour, equipment).
Selectors narrow querysets the same way (`access_*` gives a 404); these rules are the second check.
"""

from __future__ import annotations

from typing import Any

import rules

from dangjian.accounts.permissions import (
    belongs_to_station,
    is_any_guide,
    is_any_station_admin,
    is_any_worker,
    is_authenticated,
    is_guide_of,
    is_hq_admin,
    is_served_by_station,
    is_station_admin_of,
    is_worker_of,
    is_worker_of_building,
)


def venue_of(obj: Any) -> Any:
    """The venue of a reservation, fault or piece of equipment; a venue itself; else None."""
    if obj is None:
        return None
    if obj.__class__.__name__ == "Venue":
        return obj
    return getattr(obj, "venue", None) if getattr(obj, "venue_id", None) else None


@rules.predicate
def is_holder(user: Any, obj: Any) -> bool:
    return getattr(obj, "holder_id", None) == getattr(user, "pk", object())


@rules.predicate
def is_reporter(user: Any, obj: Any) -> bool:
    return getattr(obj, "reporter_id", None) == getattr(user, "pk", object())


@rules.predicate
def is_requester(user: Any, obj: Any) -> bool:
    return getattr(obj, "requested_by_id", None) == getattr(user, "pk", object())


@rules.predicate
def is_assigned_guide(user: Any, obj: Any) -> bool:
    return getattr(obj, "guide_id", None) == getattr(user, "pk", object())


@rules.predicate
def maintains_venue(user: Any, obj: Any) -> bool:
    """The worker of the venue's building (of any building of the station when it has none)."""
    venue = venue_of(obj)
    return bool(is_worker_of_building(user, venue if venue is not None else obj))


@rules.predicate
def is_public_venue(user: Any, obj: Any) -> bool:
    venue = venue_of(obj)
    return venue is not None and venue.is_active and venue.audience == "public"


@rules.predicate
def in_audience(user: Any, obj: Any) -> bool:
    """The venue's booking audience: 本站人员 (home station or a role there), 本站及周边社区 (also people of the
    places the station serves, when it is open to its surroundings), 所有注册用户."""
    venue = venue_of(obj)
    if venue is None or not venue.is_active or not getattr(user, "is_authenticated", False):
        return False
    if venue.audience == "public" or belongs_to_station(user, venue):
        return True
    return bool(
        venue.audience == "surroundings"
        and venue.station.open_to_surroundings
        and is_served_by_station(user, venue)
    )


is_station_staff = is_station_admin_of | is_guide_of | is_worker_of
can_guide = is_guide_of | is_station_admin_of
can_maintain = maintains_venue | is_station_admin_of


@rules.predicate
def sees_venue(user: Any, obj: Any) -> bool:
    """Anonymous visitors see public venues; people signed in every active venue; staff also inactive ones."""
    venue = venue_of(obj)
    if venue is None:
        return False
    if is_station_staff(user, venue):
        return True
    if not venue.is_active:
        return False
    return venue.audience == "public" or bool(getattr(user, "is_authenticated", False))


rules.add_perm("venues.enter_management", is_any_station_admin | is_any_guide | is_any_worker)
rules.add_perm("venues.manage_venue", is_station_admin_of)  # obj: station or venue
rules.add_perm("venues.view_venue", sees_venue)
rules.add_perm("venues.book", in_audience)  # obj: venue
rules.add_perm("venues.view_busy", is_public_venue | in_audience | is_station_staff)  # free/busy times
rules.add_perm("venues.view_reservation", is_holder | is_station_staff)  # details of a booking
rules.add_perm("venues.cancel_reservation", is_holder | can_guide)
rules.add_perm(
    "venues.review_reservation", can_guide
)  # approve, reject, no-show; obj: reservation/venue/station
rules.add_perm("venues.check_in", can_guide)  # the holder checks in by scanning the venue's QR code
rules.add_perm("venues.maintain", can_maintain)  # equipment and faults; obj: venue, equipment, fault
rules.add_perm("venues.report_fault", is_authenticated & sees_venue)  # obj: venue
rules.add_perm("venues.view_fault", is_reporter | can_maintain | is_station_staff)
rules.add_perm("venues.check_six_have", is_worker_of | is_station_admin_of)  # obj: station
rules.add_perm("venues.view_six_have", is_station_staff)  # obj: station
rules.add_perm("venues.view_six_have_overview", is_hq_admin)
rules.add_perm("venues.request_tour", is_authenticated)  # obj: station
rules.add_perm("venues.handle_tour", can_guide)  # assign, confirm, decline, record; obj: tour or station
rules.add_perm("venues.view_tour", is_requester | is_assigned_guide | is_station_staff)
rules.add_perm("venues.cancel_tour", is_requester | can_guide)
