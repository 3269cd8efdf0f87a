"""Reads the activities pages need beyond `selectors.py` (owned by the pages; the role part of every filter
still comes from `dangjian.accounts.permissions`, the one visibility authority).

Every list here is one query plus its prefetches, whatever the number of rows: seats, the waiting list
and the organisers are annotated or prefetched, never counted per row."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from dangjian.accounts import permissions as visibility
from dangjian.accounts.models import Role, User
from dangjian.activities import checkin, selectors
from dangjian.activities.life_rules import SHANGHAI
from dangjian.activities.models import (
    SEAT_STATUSES,
    Activity,
    ActivityStatus,
    LeaveRequest,
    LeaveStatus,
    Registration,
    RegistrationStatus,
)
from dangjian.core.access import fetch_or_404
from dangjian.organizations.models import PartyOrganization
from dangjian.stations.models import Station
from dangjian.venues.models import Venue

ORGANIZER_ROLES = (Role.STATION_ADMIN, Role.WORKER)


def with_counts(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    """Seats taken and people waiting as annotations, the organisers prefetched (no query per row)."""
    return (
        queryset.annotate(
            seats_taken=Count(
                "registrations", filter=Q(registrations__status__in=SEAT_STATUSES), distinct=True
            ),
            waiting_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING), distinct=True
            ),
        )
        .select_related("reservation__venue")
        .prefetch_related(Prefetch("organizers", queryset=PartyOrganization.objects.order_by("name")))
    )


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = datetime(month.year, month.month, 1, tzinfo=SHANGHAI)
    nxt = datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, tzinfo=SHANGHAI)
    return start, nxt


def public_activities(
    *,
    user: Any,
    station_code: str = "",
    activity_type: str = "",
    month: date | None = None,
    past: bool = False,
) -> QuerySet[Activity]:
    """The activities the person may see (drafts left to the management pages), filtered."""
    queryset = selectors.visible_activities(user).exclude(status=ActivityStatus.DRAFT)
    if station_code:
        queryset = queryset.filter(station__code=station_code)
    if activity_type:
        queryset = queryset.filter(activity_type=activity_type)
    now = timezone.now()
    if month is not None:
        start, end = month_bounds(month)
        queryset = queryset.filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "id")
    elif past:
        queryset = queryset.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    else:
        queryset = queryset.filter(ends_at__gte=now).order_by("starts_at", "id")
    return with_counts(queryset)


def activity_stations() -> QuerySet[Station]:
    return Station.objects.filter(is_active=True).order_by("sort_order", "id")


def my_registrations(*, user: Any) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(person_id=user.pk)
        .select_related("activity__station")
        .order_by("-activity__starts_at", "-id")
    )


def my_leave_requests(*, user: Any) -> QuerySet[LeaveRequest]:
    return LeaveRequest.objects.filter(person_id=user.pk).select_related("activity").order_by("-created_at")


def live_registration_of(*, user: Any, activity: Activity) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Registration.objects.filter(
            activity=activity, person_id=user.pk, status__in=[*SEAT_STATUSES, RegistrationStatus.WAITING]
        )
        .order_by("-id")
        .first()
    )


def open_leave_of(*, user: Any, activity: Activity) -> LeaveRequest | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        LeaveRequest.objects.filter(
            activity=activity, person_id=user.pk, status__in=[LeaveStatus.PENDING, LeaveStatus.APPROVED]
        )
        .order_by("-id")
        .first()
    )


def seat_counts(activity: Activity) -> tuple[int, int]:
    """(seats taken, people waiting) of one activity, in one query."""
    row = Registration.objects.filter(activity=activity).aggregate(
        taken=Count("id", filter=Q(status__in=SEAT_STATUSES)),
        waiting=Count("id", filter=Q(status=RegistrationStatus.WAITING)),
    )
    return row["taken"] or 0, row["waiting"] or 0


# ---------------------------------------------------------------- management


def guide_station_ids(user: Any) -> set[int] | None:
    return visibility.stations_with_role(user, Role.GUIDE)


def staff_activities(*, user: Any) -> QuerySet[Activity]:
    """Activities on the management list: those the person manages, and for guides those of their
    stations (to handle registration, §5.5)."""
    condition = selectors.managed_activities_q(user)
    guide_stations = guide_station_ids(user)
    if guide_stations is visibility.ALL_STATIONS:
        condition = Q()
    elif guide_stations:
        condition |= Q(station_id__in=sorted(guide_stations))
    return with_counts(Activity.objects.filter(condition).select_related("station")).order_by(
        "-starts_at", "-id"
    )


def access_staff_activity(*, user: Any, pk: Any) -> Activity:
    """An activity on the management pages: managed, or (guides) whose registrations they handle."""
    from django.http import Http404

    from dangjian.core.access import fetch_or_404

    activity = fetch_or_404(staff_activities(user=user), pk)
    if not (
        user.has_perm("activities.manage_activity", activity)
        or user.has_perm("activities.view_registrations", activity)
    ):
        raise Http404
    return activity


def organizable_organizations(*, user: Any) -> QuerySet[PartyOrganization]:
    """The organisations the person may organise activities for: their own as secretary or officer, and
    every organisation of the stations where they are admin or party-affairs worker."""
    condition = visibility.role_rows_q(user, ORGANIZER_ROLES, organization_field="pk")
    return (
        PartyOrganization.objects.filter(condition, is_active=True)
        .select_related("station")
        .order_by("station__sort_order", "station_id", "name")
    )


def station_activity_stations(*, user: Any) -> QuerySet[Station]:
    """Stations whose own activities (without organisers: a station's 讲座) the person may add."""
    ids = visibility.stations_with_role(user, *ORGANIZER_ROLES)
    stations = Station.objects.filter(is_active=True).order_by("sort_order", "id")
    if ids is visibility.ALL_STATIONS:
        return stations
    return stations.filter(pk__in=sorted(ids or ()))


def compliance_organizations(*, user: Any, station_id: int | None = None) -> QuerySet[PartyOrganization]:
    """Organisations whose organisation life the person may see (§7.3): their own as an officer, and
    those of the stations where they are admin, worker or instructor."""
    condition = visibility.role_rows_q(user, selectors.COMPLIANCE_STATION_ROLES, organization_field="pk")
    queryset = PartyOrganization.objects.filter(condition, is_active=True).select_related("station")
    if station_id is not None:
        queryset = queryset.filter(station_id=station_id)
    return queryset.order_by("station__sort_order", "station_id", "name")


def compliance_stations(*, user: Any) -> list[Station]:
    ids = compliance_organizations(user=user).values("station_id")
    return list(Station.objects.filter(pk__in=ids).order_by("sort_order", "id"))


def life_organizations(*, user: Any) -> QuerySet[PartyOrganization]:
    """Organisations whose themes and annual plan the person keeps (secretary or officer)."""
    condition = visibility.role_rows_q(user, (), organization_field="pk")
    return (
        PartyOrganization.objects.filter(condition, is_active=True).select_related("station").order_by("name")
    )


def pending_leave(*, user: Any) -> QuerySet[LeaveRequest]:
    return (
        selectors.pending_leave_for(user).select_related("organization").order_by("activity__starts_at", "id")
    )


def decided_leave(*, user: Any) -> QuerySet[LeaveRequest]:
    condition = visibility.role_rows_q(user, (), organization_roles=(Role.ORG_SECRETARY,))
    return (
        LeaveRequest.objects.filter(condition)
        .exclude(status=LeaveStatus.PENDING)
        .select_related("activity", "person", "decided_by")
        .order_by("-decided_at", "-id")
    )


def activity_venues(*, user: Any) -> QuerySet[Venue]:
    """The active venues of the stations the person may organise activities in (for the booking field)."""
    station_ids = set(organizable_organizations(user=user).values_list("station_id", flat=True))
    station_ids |= set(station_activity_stations(user=user).values_list("pk", flat=True))
    return (
        Venue.objects.filter(is_active=True, station_id__in=sorted(station_ids))
        .select_related("station")
        .order_by("station__sort_order", "station_id", "kind", "name")
    )


def sheet_person(*, activity: Activity, person_id: int) -> User:
    """A person on the activity's sign-in sheet (registered, or a member of an organiser); 404 otherwise."""
    listed = {row.person_id for row in checkin.signin_sheet(activity=activity)}
    return fetch_or_404(User.objects.filter(pk__in=listed), person_id)
