"""Writes of the station structure. Each is atomic and audited (core.services.save_audited)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.core import cache as page_cache
from dangjian.core.services import authorise_write, save_audited
from dangjian.stations.models import Building, Floor, GridArea, Place, ResidentUnit, Station


def station_save(*, station: Station, actor: Any, before: Mapping[str, Any] | None = None) -> Station:
    authorise_write(
        actor, station, add="stations.add_station", change="stations.change_station", station=None
    )
    action = "stations.station.create" if before is None else "stations.station.update"
    if station.pk is None and station.is_hq and Station.objects.filter(kind="hq").exists():
        raise ValidationError("平台只能有一个总站", code="second_hq")
    saved = save_audited(
        station, actor=actor, action=action, station=station if station.pk else None, before=before
    )
    page_cache.station_changed(saved.code)
    return saved


@transaction.atomic
def building_save(*, building: Building, actor: Any, before: Mapping[str, Any] | None = None) -> Building:
    authorise_write(
        actor,
        building,
        add="stations.add_building",
        change="stations.change_building",
        station=building.station,
    )
    action = "stations.building.create" if before is None else "stations.building.update"
    save_audited(building, actor=actor, action=action, station=building.station, before=before)
    sync_floors(building)
    page_cache.structure_changed(building.station.code, before=before, station_id=building.station_id)
    return building


def sync_floors(building: Building) -> None:
    """Make the Floor rows match the building's floor counts; refuse to drop a floor that has units."""
    wanted = set(range(1, building.floors_above + 1)) | {-n for n in range(1, building.floors_below + 1)}
    existing = dict(building.floors.values_list("number", "id"))
    to_drop = [fid for number, fid in existing.items() if number not in wanted]
    if to_drop and ResidentUnit.objects.filter(floor_id__in=to_drop).exists():
        raise ValidationError("要减少的楼层上仍有入驻单位，请先调整这些单位的楼层", code="floor_in_use")
    Floor.objects.filter(id__in=to_drop).delete()
    Floor.objects.bulk_create([Floor(building=building, number=n) for n in sorted(wanted - set(existing))])


def unit_save(*, unit: ResidentUnit, actor: Any, before: Mapping[str, Any] | None = None) -> ResidentUnit:
    if unit.floor is not None and unit.floor.building_id != unit.building_id:
        raise ValidationError({"floor": ValidationError("所选楼层不属于该楼宇", code="floor_mismatch")})
    if unit.grid is not None and unit.grid.building_id != unit.building_id:
        raise ValidationError({"grid": ValidationError("所选网格不属于该楼宇", code="grid_mismatch")})
    if unit.party_member_count > unit.headcount:
        raise ValidationError(
            {"party_member_count": ValidationError("党员人数不能超过从业人数", code="party_members_exceed")}
        )
    unit.station_id = unit.building.station_id
    authorise_write(
        actor,
        unit,
        add="stations.add_residentunit",
        change="stations.change_residentunit",
        station=unit.building.station,
    )
    action = "stations.unit.create" if before is None else "stations.unit.update"
    saved = save_audited(unit, actor=actor, action=action, station=unit.building.station, before=before)
    page_cache.structure_changed(unit.building.station.code, before=before, station_id=unit.station_id)
    return saved


def grid_save(
    *, grid: GridArea, actor: Any, floors: Iterable[Floor], before: Mapping[str, Any] | None = None
) -> GridArea:
    floors = list(floors)
    if any(f.building_id != grid.building_id for f in floors):
        raise ValidationError({"floors": ValidationError("网格只能覆盖本楼宇的楼层", code="floor_mismatch")})
    grid.station_id = grid.building.station_id
    authorise_write(
        actor,
        grid,
        add="stations.add_gridarea",
        change="stations.change_gridarea",
        station=grid.building.station,
    )
    action = "stations.grid.create" if before is None else "stations.grid.update"
    return save_audited(
        grid, actor=actor, action=action, station=grid.building.station, before=before, m2m={"floors": floors}
    )


def place_save(*, place: Place, actor: Any, before: Mapping[str, Any] | None = None) -> Place:
    if place.parent is not None and place.parent.kind != "street":
        raise ValidationError({"parent": ValidationError("上级只能是街道", code="parent_kind")})
    authorise_write(
        actor, place, add="stations.add_place", change="stations.change_place", station=place.station
    )
    action = "stations.place.create" if before is None else "stations.place.update"
    saved = save_audited(place, actor=actor, action=action, station=place.station, before=before)
    page_cache.structure_changed(place.station.code, before=before, station_id=place.station_id)
    return saved
