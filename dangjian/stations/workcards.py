"""Cards of stations and buildings on the work page: HQ's branches (§4.4 “1+N”), a station admin's
stations and buildings, the resident units a station's admins and party-affairs workers keep."""

from __future__ import annotations

from typing import Any

from dangjian.accounts.permissions import governs_all_stations, is_any_station_admin
from dangjian.core.workcards import KEEP, SHORTCUT, register_card
from dangjian.stations.selectors import manageable_buildings, manageable_stations, unit_editable_queryset


def branch_count(user: Any) -> int:
    return manageable_stations(user).filter(kind="branch", is_active=True).count()


def is_branch_admin(user: Any) -> bool:
    """A station admin who does not govern every station (HQ sees the branches instead)."""
    return bool(is_any_station_admin(user)) and not governs_all_stations(user)


register_card(
    key="stations.branches",
    title="分站",
    icon="diagram-3",
    url="stations:station_list",
    roles=governs_all_stations,
    count=branch_count,
    order=10,
    section=KEEP,
    unit="个",
    hint="总站统一管理的各楼宇分站",
)
register_card(
    key="stations.stations",
    title="我管理的站点",
    icon="building",
    url="stations:station_list",
    roles=is_branch_admin,
    count=lambda user: manageable_stations(user).filter(is_active=True).count(),
    order=10,
    section=KEEP,
    unit="个",
)
register_card(
    key="stations.buildings",
    title="楼宇",
    icon="buildings",
    url="stations:building_list",
    roles=is_any_station_admin,
    count=lambda user: manageable_buildings(user).count(),
    order=11,
    section=KEEP,
    unit="栋",
)
register_card(
    key="stations.units",
    title="在驻单位",
    icon="briefcase",
    url="stations:unit_list",
    roles="stations.view_units",
    count=lambda user: unit_editable_queryset(user).filter(is_active=True).count(),
    order=12,
    section=KEEP,
    unit="家",
    hint="本站楼宇的入驻企业和单位",
)
register_card(
    key="stations.add_unit",
    title="登记入驻单位",
    icon="plus-square",
    url="stations:unit_create",
    roles="stations.view_units",
    order=30,
    section=SHORTCUT,
    hint="核验统一社会信用代码，按楼层归入网格",
)
