"""Reads of demonstration and leadership (示范引领, §9). A nomination is seen by those who keep its
organisation, the instructors of its station and HQ; a publicity record or event by its station's admins
and workers and HQ. Anything else — missing, another station's — is the same 404 (`access_<thing>`).

The cockpit figures (`awards_by_station`, `publicity_city_or_above_by_station`, `events_by_station`) are
each one grouped query whatever the number of stations."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from dangjian.accounts import permissions as visibility
from dangjian.accounts.models import PersonKind, Role, User
from dangjian.core.access import fetch_or_404
from dangjian.honors.models import (
    CITY_OR_ABOVE,
    DemonstrationEvent,
    HonorKind,
    Nomination,
    NominationEvent,
    NominationStatus,
    PublicityRecord,
)
from dangjian.honors.permissions import NOMINATION_STATION_ROLES, RECORD_STATION_ROLES
from dangjian.organizations.models import PartyOrganization
from dangjian.stations.models import Station

NOMINATION_RELATED = ("station", "organization", "nominated_by")


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


# ---------------------------------------------------------------- nominations


def visible_nominations(user: Any) -> QuerySet[Nomination]:
    if not _signed_in(user):
        return Nomination.objects.none()
    condition = visibility.role_rows_q(user, NOMINATION_STATION_ROLES)
    return Nomination.objects.filter(condition).select_related(*NOMINATION_RELATED).order_by("-year", "-id")


def access_nomination(*, user: Any, pk: Any) -> Nomination:
    """A nomination the person may see; anything else is the same 404."""
    nomination = fetch_or_404(visible_nominations(user), pk)
    if not user.has_perm("honors.view_nomination", nomination):
        raise Http404
    return nomination


def events_of(nomination: Nomination) -> QuerySet[NominationEvent]:
    return NominationEvent.objects.filter(nomination=nomination).select_related("actor").order_by("at", "id")


def nominating_organizations(user: Any) -> QuerySet[PartyOrganization]:
    """Active organisations the user may nominate for (the form's choices)."""
    if not _signed_in(user):
        return PartyOrganization.objects.none()
    condition = visibility.role_rows_q(user, visibility.KEEPER_STATION_ROLES, organization_field="pk")
    return (
        PartyOrganization.objects.filter(condition, is_active=True)
        .select_related("station")
        .order_by("station_id", "name")
    )


def access_organization(*, user: Any, pk: Any) -> PartyOrganization:
    organization = fetch_or_404(nominating_organizations(user), pk)
    if not user.has_perm("honors.nominate_for", organization):
        raise Http404
    return organization


def eligible_nominees(organization: PartyOrganization, kind: str) -> QuerySet[User]:
    """Who may be nominated for a personal honour of `organization`: its party members (优秀共产党员:
    the members whose organisation it is), or those holding a party-affairs role for it (优秀党务工作者:
    the station's workers, the organisation's secretary and officers)."""
    if kind == HonorKind.MEMBER:
        return User.objects.filter(
            organization_id=organization.pk, person_kind=PersonKind.MEMBER, is_active=True
        ).order_by("real_name", "id")
    if kind == HonorKind.WORKER:
        workers = visibility.role_holders(Role.WORKER, station_id=organization.station_id)
        officers = visibility.role_holders(*visibility.OFFICER_ROLES, organization_id=organization.pk)
        return User.objects.filter(Q(pk__in=workers.values("pk")) | Q(pk__in=officers.values("pk"))).order_by(
            "real_name", "id"
        )
    return User.objects.none()


# ---------------------------------------------------------------- the public honour roll


def honour_roll(*, year: int | None = None, station_id: int | None = None) -> QuerySet[Nomination]:
    """Awarded honours, newest year first; only public facts leave here (the page shows names, the
    organisation, kind, year and the deeds' summary)."""
    awarded = Nomination.objects.filter(status=NominationStatus.AWARDED)
    if year is not None:
        awarded = awarded.filter(year=year)
    if station_id is not None:
        awarded = awarded.filter(station_id=station_id)
    return (
        awarded.select_related("station", "organization")
        .only(
            "id",
            "kind",
            "year",
            "nominee_name",
            "deeds",
            "station__id",
            "station__name",
            "organization__id",
            "organization__name",
        )
        .order_by("-year", "kind", "station__sort_order", "id")
    )


def roll_years() -> list[int]:
    return list(
        Nomination.objects.filter(status=NominationStatus.AWARDED)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def public_stations() -> QuerySet[Station]:
    return Station.objects.filter(is_active=True).order_by("sort_order", "id")


# ---------------------------------------------------------------- publicity and events


def visible_publicity(user: Any) -> QuerySet[PublicityRecord]:
    if not _signed_in(user):
        return PublicityRecord.objects.none()
    return (
        PublicityRecord.objects.filter(visibility.station_rows_q(user, RECORD_STATION_ROLES))
        .select_related("station")
        .order_by("-published_on", "-id")
    )


def access_publicity(*, user: Any, pk: Any) -> PublicityRecord:
    record = fetch_or_404(visible_publicity(user), pk)
    if not user.has_perm("honors.keep_records_of", record):
        raise Http404
    return record


def kept_stations(user: Any) -> QuerySet[Station]:
    """Stations whose publicity and events the user keeps (the forms' choices)."""
    if not _signed_in(user):
        return Station.objects.none()
    condition = visibility.station_rows_q(user, RECORD_STATION_ROLES, station_field="pk")
    return Station.objects.filter(condition, is_active=True).order_by("sort_order", "id")


def publicity_check(user: Any, *, year: int) -> QuerySet[Station]:
    """§9 yearly check: each station the user governs (HQ: every one; a station admin: their own) with
    `city_or_above`, its records at city level or above that year, and `records`, all its records."""
    governed = visibility.station_rows_q(user, (Role.STATION_ADMIN,), station_field="pk")
    in_year = Q(publicity_records__published_on__year=year)
    return (
        Station.objects.filter(governed)
        .annotate(
            city_or_above=Count(
                "publicity_records", filter=in_year & Q(publicity_records__level__in=CITY_OR_ABOVE)
            ),
            records=Count("publicity_records", filter=in_year),
        )
        .order_by("sort_order", "id")
    )


def stations_missing_publicity(user: Any, *, year: int) -> int:
    """How many stations the user administers (HQ: every station) have no record at city level or above
    in `year` — the work card's warning."""
    return int(publicity_check(user, year=year).filter(Q(city_or_above=0)).count())


def visible_events(user: Any) -> QuerySet[DemonstrationEvent]:
    if not _signed_in(user):
        return DemonstrationEvent.objects.none()
    return (
        DemonstrationEvent.objects.filter(visibility.station_rows_q(user, RECORD_STATION_ROLES))
        .select_related("station")
        .annotate(attendee_count=Count("attendees"))
        .order_by("-held_on", "-id")
    )


def attendee_choices(user: Any) -> QuerySet[User]:
    """Registered people who may be listed as attendees: the people of the stations the user keeps."""
    condition = Q(pk__in=[])
    for station_id in kept_stations(user).values_list("pk", flat=True):
        condition |= visibility.people_of_station_q(station_id)
    return User.objects.filter(condition, is_active=True).distinct().order_by("real_name", "id")


# ---------------------------------------------------------------- HQ cockpit figures


def _by_station(queryset: QuerySet[Any]) -> dict[int, int]:
    rows = queryset.order_by().values("station_id").annotate(n=Count("pk")).values_list("station_id", "n")
    return {station_id: n for station_id, n in rows}


def awards_by_station(*, year: int) -> dict[int, int]:
    """Honours awarded per station in `year` (stations with none are absent)."""
    return _by_station(Nomination.objects.filter(year=year, status=NominationStatus.AWARDED))


def publicity_city_or_above_by_station(*, year: int) -> dict[int, int]:
    """Publicity records at city level or above per station in `year`."""
    return _by_station(PublicityRecord.objects.filter(published_on__year=year, level__in=CITY_OR_ABOVE))


def events_by_station(*, year: int) -> dict[int, int]:
    """Demonstration events hosted per station in `year`."""
    return _by_station(DemonstrationEvent.objects.filter(held_on__year=year))


def nominee_choices(user: Any) -> QuerySet[User]:
    """People the user may name in a nomination (the form's choices; the service checks the kind): the
    members of the organisations they nominate for, and the holders of a party-affairs role (workers,
    secretaries, officers) of their stations."""
    organizations = nominating_organizations(user)
    members = Q(organization__in=organizations, person_kind=PersonKind.MEMBER)
    holders = visibility.role_holders(Role.WORKER, *visibility.OFFICER_ROLES)
    if not visibility.governs_all_stations(user):
        here = Q(pk__in=[])
        for station_id in set(organizations.values_list("station_id", flat=True)):
            here |= visibility.people_of_station_q(station_id)
        holders = holders.filter(here)
    return User.objects.filter(members | Q(pk__in=holders.values("pk")), is_active=True).order_by(
        "real_name", "id"
    )
