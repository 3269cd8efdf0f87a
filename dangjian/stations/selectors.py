"""Reads of the station structure."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404

from dangjian.accounts.models import Role
from dangjian.accounts.permissions import (
    ALL_STATIONS,
    assignments_of_role,
    managed_station_ids,
    stations_with_role,
)
from dangjian.core.access import fetch_or_404
from dangjian.stations.models import Building, Floor, GridArea, Place, ResidentUnit, Station


def public_stations() -> QuerySet[Station]:
    return (
        Station.objects.filter(is_active=True)
        .annotate(
            building_count=Count("buildings", distinct=True),
            unit_count=Count("units", filter=Q(units__is_active=True), distinct=True),
        )
        .order_by("sort_order", "id")
    )


def platform_totals() -> dict[str, int]:
    """Counts for the home page's figures, by aggregate queries (no station list is loaded)."""
    return {
        "stations": Station.objects.filter(is_active=True).count(),
        "buildings": Building.objects.filter(station__is_active=True).count(),
        "units": ResidentUnit.objects.filter(is_active=True, station__is_active=True).count(),
    }


def hq_station() -> Station | None:
    return Station.objects.filter(kind="hq").first()


def restrict_to_stations(
    qs: QuerySet, station_ids: set[int] | None, *, field: str = "station_id"
) -> QuerySet:
    if station_ids is ALL_STATIONS:
        return qs
    return qs.filter(**{f"{field}__in": station_ids})


def manageable_stations(user: Any) -> QuerySet[Station]:
    return restrict_to_stations(Station.objects.all(), managed_station_ids(user), field="id")


def unit_editor_station_ids(user: Any) -> set[int] | None:
    """Resident units are kept by station admins and by the buildings' party-affairs workers (§5.4.2)."""
    return stations_with_role(user, Role.STATION_ADMIN, Role.WORKER)


def stations_for_unit_editing(user: Any) -> QuerySet[Station]:
    return restrict_to_stations(Station.objects.all(), unit_editor_station_ids(user), field="id")


def manageable_buildings(user: Any) -> QuerySet[Building]:
    return restrict_to_stations(Building.objects.select_related("station"), managed_station_ids(user))


def unit_editable_queryset(user: Any) -> QuerySet[ResidentUnit]:
    return restrict_to_stations(ResidentUnit.objects.all(), unit_editor_station_ids(user))


def unit_list(qs: QuerySet[ResidentUnit]) -> QuerySet[ResidentUnit]:
    return qs.select_related("station", "building", "floor", "grid").order_by(
        "station_id", "building__name", "-floor__number", "room", "id"
    )


def manageable_grids(user: Any) -> QuerySet[GridArea]:
    return restrict_to_stations(
        GridArea.objects.select_related("station", "building")
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=assignments_of_role(Role.GRID_LEADER),
                to_attr="leader_roles",
            )
        )
        .annotate(unit_count=Count("units"))
        .order_by("station_id", "building__name", "name"),
        managed_station_ids(user),
    )


def manageable_places(user: Any) -> QuerySet[Place]:
    return restrict_to_stations(Place.objects.select_related("station", "parent"), managed_station_ids(user))


def building_units_by_floor(building: Building) -> QuerySet[ResidentUnit]:
    """Active units top floor first, units without a floor last (one query; the template regroups)."""
    return (
        building.units.filter(is_active=True)
        .select_related("floor", "grid")
        .order_by(F("floor__number").desc(nulls_last=True), "room", "name")
    )


def public_buildings() -> QuerySet[Building]:
    """Buildings of active stations with their count of active units (the public list and detail)."""
    return (
        Building.objects.filter(station__is_active=True)
        .select_related("station")
        .annotate(unit_count=Count("units", filter=Q(units__is_active=True)))
        .order_by("station_id", "name", "id")
    )


def with_floor_counts(building: Building) -> Building:
    """Prefetch the building's floors, top first, each with its count of active units."""
    floors = Floor.objects.annotate(unit_count=Count("units", filter=Q(units__is_active=True))).order_by(
        "-number"
    )
    prefetch_related_objects([building], Prefetch("floors", queryset=floors))
    return building


def readable_units(user: Any) -> QuerySet[ResidentUnit]:
    """Active units of active stations for everyone, plus every unit of the stations the user keeps."""
    station_ids = unit_editor_station_ids(user)
    if station_ids is ALL_STATIONS:
        return unit_list(ResidentUnit.objects.all())
    visible = Q(is_active=True, station__is_active=True) | Q(station_id__in=station_ids)
    return unit_list(ResidentUnit.objects.filter(visible))


# ---------------------------------------------------------------- fetch and authorise in one step
# `access_<thing>(*, user, pk, manage=False)` (DESIGN.md "One visibility authority"): what the person may
# see, or with `manage` what they may change; a missing row, another station's row and a pk that is no id
# all get the same 404, on pages and in the API alike.


def _managed(found: Any, user: Any, permission: str) -> Any:
    if not user.has_perm(permission, found):
        raise Http404
    return found


def station_by_code(code: str) -> Station:
    """An active station by its public code (portal, news and screen pages); else 404."""
    found = Station.objects.filter(is_active=True, code=code).first() if len(code) <= 40 else None
    if found is None:
        raise Http404
    return found


def access_station(*, user: Any, pk: Any, manage: bool = False) -> Station:
    """An active station with its figures, or (`manage`) one the person administers."""
    if manage:
        return _managed(fetch_or_404(manageable_stations(user), pk), user, "stations.change_station")
    return fetch_or_404(public_stations(), pk)


def access_building(*, user: Any, pk: Any, manage: bool = False) -> Building:
    """A building of an active station (public), or (`manage`) one of a station the person administers."""
    if manage:
        return _managed(fetch_or_404(manageable_buildings(user), pk), user, "stations.change_building")
    return fetch_or_404(public_buildings(), pk)


def access_unit_building(*, user: Any, pk: Any) -> Building:
    """A building the person may put resident units in (station admins and workers of its station)."""
    buildings = restrict_to_stations(
        Building.objects.select_related("station"), unit_editor_station_ids(user)
    )
    return _managed(fetch_or_404(buildings, pk), user, "stations.add_residentunit")


def access_unit(*, user: Any, pk: Any, manage: bool = False) -> ResidentUnit:
    """An active unit (or any unit of the stations the person keeps), or (`manage`) one they may edit."""
    if manage:
        return _managed(
            fetch_or_404(unit_list(unit_editable_queryset(user)), pk), user, "stations.change_residentunit"
        )
    return fetch_or_404(readable_units(user), pk)


def access_grid(*, user: Any, pk: Any, manage: bool = False) -> GridArea:
    """A grid of a station the person administers (grids have no public page); `manage` also asks
    `stations.change_gridarea`."""
    found = fetch_or_404(manageable_grids(user), pk)
    return _managed(found, user, "stations.change_gridarea") if manage else found


def access_place(*, user: Any, pk: Any, manage: bool = False) -> Place:
    """A community or street of a station the person administers; `manage` also asks
    `stations.change_place`."""
    found = fetch_or_404(manageable_places(user), pk)
    return _managed(found, user, "stations.change_place") if manage else found


# ---------------------------------------------------------------- HQ cockpit figures (dashboards)


def unit_stations() -> dict[int, int]:
    """{resident unit id: its station id} of every unit (§4.3 coverage is counted unit by unit)."""
    return dict(ResidentUnit.objects.filter(is_active=True).values_list("pk", "station_id"))


def units_of_station(station_id: int) -> QuerySet[ResidentUnit]:
    active = ResidentUnit.objects.filter(station_id=station_id, is_active=True)
    return active.select_related("building").order_by("building__name", "name", "pk")
