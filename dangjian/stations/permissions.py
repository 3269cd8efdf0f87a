import rules

from dangjian.accounts.permissions import (
    is_any_instructor,
    is_any_officer,
    is_any_station_admin,
    is_any_worker,
    is_hq_admin,
    is_station_admin_of,
    is_worker_of,
)

rules.add_perm("stations.manage", is_any_station_admin)
rules.add_perm(
    "stations.enter_management", is_any_station_admin | is_any_worker | is_any_instructor | is_any_officer
)
rules.add_perm("stations.view_units", is_any_station_admin | is_any_worker)
rules.add_perm("stations.add_station", is_hq_admin)
rules.add_perm("stations.change_station", is_station_admin_of)
rules.add_perm("stations.add_building", is_station_admin_of)  # obj: station
rules.add_perm("stations.change_building", is_station_admin_of)
rules.add_perm("stations.add_residentunit", is_station_admin_of | is_worker_of)  # obj: station
rules.add_perm("stations.change_residentunit", is_station_admin_of | is_worker_of)
rules.add_perm("stations.add_gridarea", is_station_admin_of)
rules.add_perm("stations.change_gridarea", is_station_admin_of)
rules.add_perm("stations.add_place", is_station_admin_of)
rules.add_perm("stations.change_place", is_station_admin_of)
