"""Reads of the stations' offline spaces (阵地). Every queryset is narrowed to what the person may see, with
the filters built in `accounts.permissions` (the one visibility authority); `access_<thing>` fetches and
authorises in one step, the same 404 for missing and forbidden, for pages and the API alike.

- Venues are shared (§3.2): anonymous visitors see public venues, people signed in every active venue, the
  station's staff also its inactive ones. Booking follows the venue's audience (`bookable_venues`).
- Bookings, faults and tours of a station: the person's own, and those of the stations where they are
  station admin, guide or party-affairs worker (HQ: every station); another station's staff get 404.

Calendars and iCalendar exports are in `calendars.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangjian.accounts import permissions as visibility
from dangjian.accounts.models import Role, User
from dangjian.core.access import fetch_or_404
from dangjian.core.figures import Figures, grouped, merge
from dangjian.stations.models import Station
from dangjian.venues.models import (
    HOLDING_STATUSES,
    BookingAudience,
    ClosedDay,
    Equipment,
    FaultReport,
    FaultStatus,
    Reservation,
    ReservationStatus,
    SixHave,
    SixHaveItem,
    Tour,
    TourStatus,
    Venue,
)

M = TypeVar("M")
STAFF_ROLES = (Role.STATION_ADMIN, Role.GUIDE, Role.WORKER)
REVIEW_ROLES = (Role.STATION_ADMIN, Role.GUIDE)
ADMIN_ROLES = (Role.STATION_ADMIN,)


def any_of(*conditions: Q) -> Q:
    """OR of row filters where an empty `Q()` means every row (an HQ holder): `Q(a) | Q()` would
    silently drop the empty one and narrow instead of widen."""
    if any(not condition for condition in conditions):
        return Q()
    combined = Q(pk__in=[])
    for condition in conditions:
        combined |= condition
    return combined


def second_check(user: Any, permission: str, found: M) -> M:
    """The rule agrees with the queryset that found the row (the same 404 if it does not)."""
    if not user.has_perm(permission, found):
        raise Http404
    return found


# ---------------------------------------------------------------- venues


def _venues() -> QuerySet[Venue]:
    return Venue.objects.select_related("station", "building", "unit")


def venues_for(*, user: Any, station: Station | None = None) -> QuerySet[Venue]:
    """Venues the person may see: public ones for anonymous visitors, every active one for people signed in,
    plus the inactive ones of the stations where they are staff."""
    if getattr(user, "is_authenticated", False):
        condition = any_of(Q(is_active=True), visibility.station_rows_q(user, STAFF_ROLES))
    else:
        condition = Q(is_active=True, audience=BookingAudience.PUBLIC)
    venues = _venues().filter(condition)
    if station is not None:
        venues = venues.filter(station=station)
    return venues.order_by("station__sort_order", "station_id", "kind", "name", "id")


def audience_q(user: Any) -> Q:
    """Venues whose audience includes the person (`venues.book` as a filter)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    belonging = visibility.belonging_station_ids(user)
    if belonging is visibility.ALL_STATIONS:
        return Q()
    served = sorted(visibility.served_station_ids(user))
    return (
        Q(audience=BookingAudience.PUBLIC)
        | Q(station_id__in=sorted(belonging))
        | Q(audience=BookingAudience.SURROUNDINGS, station__open_to_surroundings=True, station_id__in=served)
    )


def bookable_venues(*, user: Any, station: Station | None = None) -> QuerySet[Venue]:
    """Active venues in service the person may book."""
    venues = _venues().filter(audience_q(user), is_active=True, out_of_service=False)
    if station is not None:
        venues = venues.filter(station=station)
    return venues.order_by("station__sort_order", "station_id", "kind", "name", "id")


def managed_venues(*, user: Any, station: Station | None = None) -> QuerySet[Venue]:
    """Venues of the stations where the person is admin, guide or worker (the management pages)."""
    venues = _venues().filter(visibility.station_rows_q(user, STAFF_ROLES))
    if station is not None:
        venues = venues.filter(station=station)
    return venues.order_by("station_id", "kind", "name", "id")


def access_venue(*, user: Any, pk: Any, manage: bool = False) -> Venue:
    """A venue the person may see; with `manage`, one of a station where they are staff (what they may do
    with it is then asked with `venues.manage_venue` / `venues.maintain`)."""
    venues = managed_venues(user=user) if manage else venues_for(user=user)
    return second_check(user, "venues.view_venue", fetch_or_404(venues, pk))


def venue_by_token(*, token: str) -> Venue | None:
    """The venue whose QR code was scanned (check-in)."""
    return _venues().filter(checkin_token=token).first() if token else None


# ---------------------------------------------------------------- reservations


def _reservations() -> QuerySet[Reservation]:
    return Reservation.objects.select_related("venue", "station", "holder", "decided_by")


def visible_reservations(*, user: Any) -> QuerySet[Reservation]:
    """The person's own bookings and those of the stations where they are staff."""
    return _reservations().filter(visibility.station_rows_q(user, STAFF_ROLES, owner_field="holder_id"))


def reviewable_reservations(*, user: Any) -> QuerySet[Reservation]:
    """Bookings of the stations where the person is guide or station admin (HQ: every station)."""
    return _reservations().filter(visibility.station_rows_q(user, REVIEW_ROLES))


def access_reservation(*, user: Any, pk: Any, manage: bool = False) -> Reservation:
    if manage:
        return second_check(
            user, "venues.review_reservation", fetch_or_404(reviewable_reservations(user=user), pk)
        )
    return second_check(user, "venues.view_reservation", fetch_or_404(visible_reservations(user=user), pk))


def review_queue(*, user: Any) -> QuerySet[Reservation]:
    """Pending requests the guide may decide, the soonest first."""
    return (
        reviewable_reservations(user=user)
        .filter(status=ReservationStatus.PENDING, ends_at__gt=timezone.now())
        .order_by("starts_at", "id")
    )


def conflicts_of(*, reservation: Reservation) -> list[Reservation]:
    """Pending requests and approved (or checked-in) bookings of the same venue overlapping it — what the
    guide sees before deciding."""
    return list(
        Reservation.objects.filter(
            venue_id=reservation.venue_id,
            status__in=(ReservationStatus.PENDING, *HOLDING_STATUSES),
            starts_at__lt=reservation.ends_at,
            ends_at__gt=reservation.starts_at,
        )
        .exclude(pk=reservation.pk)
        .select_related("holder")
        .order_by("starts_at", "id")
    )


def my_reservations(*, user: Any) -> QuerySet[Reservation]:
    """The person's own bookings, the latest first."""
    if not getattr(user, "is_authenticated", False):
        return Reservation.objects.none()
    return _reservations().filter(holder_id=user.pk).order_by("-starts_at", "-id")


def upcoming_reservations(*, user: Any, now: datetime | None = None) -> QuerySet[Reservation]:
    """The person's pending and approved bookings not yet over, the soonest first."""
    now = now or timezone.now()
    return (
        my_reservations(user=user)
        .filter(status__in=(ReservationStatus.PENDING, ReservationStatus.APPROVED), ends_at__gt=now)
        .order_by("starts_at", "id")
    )


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return start, start + timedelta(days=1)


def today_bookings(*, user: Any, day: date | None = None) -> QuerySet[Reservation]:
    """Approved and checked-in bookings of the day at the stations where the person is guide or admin."""
    start, end = local_day_bounds(day or timezone.localdate())
    return (
        reviewable_reservations(user=user)
        .filter(status__in=HOLDING_STATUSES, starts_at__lt=end, ends_at__gt=start)
        .order_by("starts_at", "id")
    )


@dataclass(frozen=True)
class BusySlot:
    """A taken (or, `tentative`, requested) time of a venue: only times, nobody's details."""

    starts_at: datetime
    ends_at: datetime
    tentative: bool = False


def busy_slots(*, venue: Venue, start: datetime, end: datetime) -> list[BusySlot]:
    """Free/busy of the venue between `start` and `end`: approved and checked-in bookings, and pending
    requests as tentative (one query)."""
    rows = (
        Reservation.objects.filter(
            venue=venue,
            status__in=(ReservationStatus.PENDING, *HOLDING_STATUSES),
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .order_by("starts_at", "id")
        .values_list("starts_at", "ends_at", "status")
    )
    return [BusySlot(s, e, status == ReservationStatus.PENDING) for s, e, status in rows]


# ---------------------------------------------------------------- faults


def _faults() -> QuerySet[FaultReport]:
    return FaultReport.objects.select_related("venue", "station", "equipment", "reporter", "assignee")


def _maintainer_q(user: Any) -> Q:
    return any_of(
        visibility.building_worker_rows_q(user, building_field="venue__building_id"),
        visibility.station_rows_q(user, ADMIN_ROLES),
    )


def faults_for(*, user: Any) -> QuerySet[FaultReport]:
    """Faults the person may see: those they reported, those of the buildings they maintain, and every
    fault of the stations where they are admin or guide; the newest first."""
    condition = any_of(
        _maintainer_q(user), visibility.station_rows_q(user, REVIEW_ROLES, owner_field="reporter_id")
    )
    return _faults().filter(condition).order_by("-reported_at", "-id")


def maintained_faults(*, user: Any) -> QuerySet[FaultReport]:
    """Faults the person may handle (assign, repair): the worker's buildings, the admin's stations."""
    return _faults().filter(_maintainer_q(user)).order_by("-reported_at", "-id")


def open_faults(*, user: Any) -> QuerySet[FaultReport]:
    return maintained_faults(user=user).exclude(status=FaultStatus.REPAIRED)


def access_fault(*, user: Any, pk: Any, manage: bool = False) -> FaultReport:
    if manage:
        return second_check(user, "venues.maintain", fetch_or_404(maintained_faults(user=user), pk))
    return second_check(user, "venues.view_fault", fetch_or_404(faults_for(user=user), pk))


def maintainers_for(*, fault: FaultReport) -> QuerySet[User]:
    """Workers who may be assigned the fault: those of the venue's building (all the station's when the
    venue has no building)."""
    return workers_of(venue=fault.venue)


# ---------------------------------------------------------------- tours


def _tours() -> QuerySet[Tour]:
    return Tour.objects.select_related("station", "venue", "requested_by", "guide", "reservation")


def tours_for(*, user: Any) -> QuerySet[Tour]:
    """Tours the person requested or guides, and those of the stations where they are staff."""
    if not getattr(user, "is_authenticated", False):
        return Tour.objects.none()
    condition = any_of(
        visibility.station_rows_q(user, STAFF_ROLES, owner_field="requested_by_id"), Q(guide_id=user.pk)
    )
    return _tours().filter(condition).order_by("-starts_at", "-id")


def handled_tours(*, user: Any) -> QuerySet[Tour]:
    """Tours of the stations where the person is guide or station admin."""
    return _tours().filter(visibility.station_rows_q(user, REVIEW_ROLES)).order_by("starts_at", "id")


def access_tour(*, user: Any, pk: Any, manage: bool = False) -> Tour:
    if manage:
        return second_check(user, "venues.handle_tour", fetch_or_404(handled_tours(user=user), pk))
    return second_check(user, "venues.view_tour", fetch_or_404(tours_for(user=user), pk))


def today_tours(*, user: Any, day: date | None = None) -> QuerySet[Tour]:
    """Requested and confirmed tours of the day at the stations where the person is guide or admin."""
    start, end = local_day_bounds(day or timezone.localdate())
    return handled_tours(user=user).filter(
        status__in=(TourStatus.REQUESTED, TourStatus.CONFIRMED), starts_at__lt=end, ends_at__gt=start
    )


def guides_for(*, station: Station) -> QuerySet[User]:
    """The station's guides (讲解员), to assign a tour to."""
    return visibility.role_holders(Role.GUIDE, station_id=station.pk)


# ---------------------------------------------------------------- 六有 (§6.1)


@dataclass(frozen=True)
class SixHaveRow:
    """One of the six items at a station: met or not, with its check and evidence (None: never checked)."""

    item: str
    label: str
    check: SixHaveItem | None

    @property
    def met(self) -> bool:
        return self.check is not None and self.check.met


@dataclass(frozen=True)
class StationSixHave:
    station: Station
    rows: list[SixHaveRow]

    @property
    def missing(self) -> list[str]:
        return [row.label for row in self.rows if not row.met]

    @property
    def complete(self) -> bool:
        return not self.missing


def _rows_of(checks: dict[str, SixHaveItem]) -> list[SixHaveRow]:
    return [SixHaveRow(item, str(label), checks.get(item)) for item, label in SixHave.choices]


def _checks() -> QuerySet[SixHaveItem]:
    return SixHaveItem.objects.select_related("checked_by").prefetch_related("evidence")


def station_six_have(*, station: Station) -> StationSixHave:
    """The station's six items in the standard's order (two queries)."""
    checks = {c.item: c for c in _checks().filter(station=station)}
    return StationSixHave(station, _rows_of(checks))


def six_have_overview(*, user: Any) -> list[StationSixHave]:
    """HQ: every active station with which of the six are met and which are missing (three queries);
    others: the stations where they are staff."""
    stations = Station.objects.filter(is_active=True).order_by("sort_order", "id")
    if not user.has_perm("venues.view_six_have_overview"):
        stations = stations.filter(visibility.station_rows_q(user, STAFF_ROLES, station_field="pk"))
    stations = stations.prefetch_related(Prefetch("six_have_items", queryset=_checks(), to_attr="checks"))
    return [StationSixHave(s, _rows_of({c.item: c for c in s.checks})) for s in stations]  # type: ignore[attr-defined]


# ---------------------------------------------------------------- what the pages need besides


def stations_with_venues(*, user: Any) -> QuerySet[Station]:
    """Active stations having a venue the person may see (the list page's filter)."""
    visible = venues_for(user=user).values("station_id")
    return Station.objects.filter(is_active=True, pk__in=visible).order_by("sort_order", "id")


def access_station(*, user: Any, code: str) -> Station:
    """An active station by its code (its calendar shows only what the person may see); else 404, the same
    for an inactive station, a missing one and a code no station could have."""
    code = str(code)
    station = Station.objects.filter(is_active=True, code=code).first() if len(code) <= 40 else None
    if station is None:
        raise Http404
    return station


def tour_stations() -> QuerySet[Station]:
    """Stations a group may ask to visit."""
    return Station.objects.filter(is_active=True).order_by("sort_order", "id")


def my_tours(*, user: Any) -> QuerySet[Tour]:
    if not getattr(user, "is_authenticated", False):
        return Tour.objects.none()
    return _tours().filter(requested_by_id=user.pk).order_by("-starts_at", "-id")


def checkin_candidates(*, user: Any, venue: Venue | None, now: datetime | None = None) -> list[Reservation]:
    """The person's approved bookings of the scanned venue they may check in to now (15 minutes before the
    start to the end)."""
    if venue is None or not getattr(user, "is_authenticated", False):
        return []
    now = now or timezone.now()
    return list(
        _reservations()
        .filter(
            venue=venue,
            holder_id=user.pk,
            status=ReservationStatus.APPROVED,
            starts_at__lte=now + timedelta(minutes=15),
            ends_at__gte=now,
        )
        .order_by("starts_at")
    )


def staff_venues(*, user: Any) -> QuerySet[Venue]:
    """Venues of the stations where the person is admin, guide or worker."""
    return managed_venues(user=user)


def manageable_venues(*, user: Any) -> QuerySet[Venue]:
    """Venues the person may create and edit: those of the stations where they are station admin."""
    return (
        _venues().filter(visibility.station_rows_q(user, ADMIN_ROLES)).order_by("station_id", "kind", "name")
    )


def manageable_venue_stations(*, user: Any) -> QuerySet[Station]:
    """Stations where the person may create venues."""
    return Station.objects.filter(visibility.station_rows_q(user, ADMIN_ROLES, station_field="pk")).order_by(
        "sort_order", "id"
    )


def station_venues(*, station: Station) -> QuerySet[Venue]:
    return _venues().filter(station=station, is_active=True).order_by("kind", "name", "id")


def closed_days_of(*, venue: Venue, since: date | None = None) -> QuerySet[ClosedDay]:
    """The venue's own and its station's closed days from `since` (today) on."""
    return (
        ClosedDay.objects.filter(Q(venue__isnull=True) | Q(venue=venue), station_id=venue.station_id)
        .filter(date__gte=since or timezone.localdate())
        .select_related("venue")
        .order_by("date", "id")
    )


def access_closed_day(*, user: Any, pk: Any, manage: bool = True) -> ClosedDay:
    """A closed day of a station where the person is station admin (closed days are only ever fetched to
    be removed); else 404, the same as for a missing one."""
    days = ClosedDay.objects.filter(visibility.station_rows_q(user, ADMIN_ROLES)).select_related(
        "station", "venue"
    )
    return second_check(user, "venues.manage_venue", fetch_or_404(days, pk))


def access_equipment(*, user: Any, pk: Any, manage: bool = True) -> Equipment:
    """Equipment of a venue the person maintains (its building's worker, the station's admin), to edit;
    else 404, the same as for a missing one."""
    condition = any_of(
        visibility.building_worker_rows_q(
            user, station_field="venue__station_id", building_field="venue__building_id"
        ),
        visibility.station_rows_q(user, ADMIN_ROLES, station_field="venue__station_id"),
    )
    item = fetch_or_404(Equipment.objects.filter(condition).select_related("venue__station"), pk)
    second_check(user, "venues.maintain", item.venue)
    return item


def equipment_of(*, venue: Venue) -> QuerySet[Equipment]:
    return Equipment.objects.filter(venue=venue).order_by("kind", "name", "id")


def todays_reservations(*, user: Any, day: date | None = None) -> QuerySet[Reservation]:
    return today_bookings(user=user, day=day)


def guides_of(*, station: Station) -> QuerySet[User]:
    return guides_for(station=station)


def workers_of(*, venue: Venue) -> QuerySet[User]:
    """Workers who maintain the venue: of its building (the station's all when it has none)."""
    return visibility.role_holders(Role.WORKER, station_id=venue.station_id, building_id=venue.building_id)


def six_have_stations(*, user: Any) -> QuerySet[Station]:
    """Stations whose 六有 checklist the person may open (staff of the station; HQ: every station)."""
    return Station.objects.filter(
        visibility.station_rows_q(user, STAFF_ROLES, station_field="pk"), is_active=True
    ).order_by("sort_order", "id")


def six_have_items(*, station: Station) -> list[SixHaveRow]:
    return station_six_have(station=station).rows


# ---------------------------------------------------------------- HQ cockpit figures (dashboards)

USED_STATUSES = (ReservationStatus.APPROVED, ReservationStatus.CHECKED_IN)


def venue_figures(*, year: int) -> Figures:
    """Per station: `venues` (一馆三区 in service), `venue_bookings` (approved or used reservations
    starting this year), `six_have_met` / `six_have_total` (§6.1), three queries."""
    start = datetime(year, 1, 1, tzinfo=timezone.get_current_timezone())
    end = datetime(year + 1, 1, 1, tzinfo=timezone.get_current_timezone())
    bookings = Reservation.objects.filter(status__in=USED_STATUSES, starts_at__gte=start, starts_at__lt=end)
    return merge(
        grouped(Venue.objects.all(), venues=Count("pk")),
        grouped(bookings, venue_bookings=Count("pk")),
        grouped(
            SixHaveItem.objects.all(),
            six_have_met=Count("pk", filter=Q(met=True)),
            six_have_total=Count("pk"),
        ),
    )
