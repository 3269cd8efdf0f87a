import rules

from dangjian.accounts.permissions import is_any_station_admin, is_officer_of, is_station_admin_of

rules.add_perm("organizations.manage", is_any_station_admin)
rules.add_perm("organizations.add_partyorganization", is_station_admin_of)  # obj: the station
rules.add_perm("organizations.change_partyorganization", is_station_admin_of)
rules.add_perm("organizations.add_alliance", is_station_admin_of)  # obj: the station
rules.add_perm("organizations.add_jointbuildingagreement", is_station_admin_of)  # obj: the station
rules.add_perm("organizations.change_committee", is_station_admin_of | is_officer_of)
rules.add_perm("organizations.change_alliance", is_station_admin_of)
rules.add_perm("organizations.change_jointbuildingagreement", is_station_admin_of)
