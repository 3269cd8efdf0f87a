"""Reads of the station structure."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet

from dangjian.accounts.models import Role
from dangjian.accounts.permissions import (
    ALL_STATIONS,
    assignments_of_role,
    managed_station_ids,
    stations_with_role,
)
from dangjian.stations.models import Building, GridArea, Place, ResidentUnit, Station


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
