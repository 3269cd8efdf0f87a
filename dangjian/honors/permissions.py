"""Rules of demonstration and leadership (`honors.<action>`), built from the role predicates of accounts.

- Nominations (推荐): an organisation's station admins and party-affairs workers and its own secretary
  and officers nominate for it and its members (obj: the organisation or a nomination); the instructors
  assigned at the nomination's station review it (§5.5; HQ instructors see every nomination but review
  only HQ's own); HQ (and platform admins) decide and award.
- Publicity records and demonstration events: the station's admins and workers keep them (obj: the
  station or a record); HQ keeps every station's.
"""

from __future__ import annotations

import rules

from dangjian.accounts.models import Role
from dangjian.accounts.permissions import (
    KEEPER_STATION_ROLES,
    is_any_instructor,
    is_any_station_admin,
    is_any_worker,
    is_hq_admin,
    is_instructor_at,
    is_instructor_of,
    is_platform_admin,
    is_station_admin_of,
    is_worker_of,
    keeps_any_organization,
    keeps_organization,
)

# the station roles that see a station's nominations (the instructors review them)
NOMINATION_STATION_ROLES = (*KEEPER_STATION_ROLES, Role.INSTRUCTOR)
RECORD_STATION_ROLES = KEEPER_STATION_ROLES

decides_honours = is_hq_admin | is_platform_admin
keeps_station_records = is_station_admin_of | is_worker_of

rules.add_perm("honors.manage", keeps_any_organization | is_any_instructor)  # the nominations list
rules.add_perm("honors.nominate", keeps_any_organization)  # the nomination form
rules.add_perm("honors.nominate_for", keeps_organization)  # obj: organisation
rules.add_perm("honors.view_nomination", keeps_organization | is_instructor_of | decides_honours)
rules.add_perm("honors.submit", keeps_organization)  # obj: nomination
rules.add_perm("honors.review", is_instructor_at)  # obj: nomination (its station's own instructors)
rules.add_perm("honors.decide", decides_honours)  # obj: nomination
rules.add_perm("honors.keep_records", is_any_station_admin | is_any_worker)  # publicity and event lists
rules.add_perm("honors.keep_records_of", keeps_station_records)  # obj: station or record
rules.add_perm("honors.see_publicity_check", is_any_station_admin)  # the yearly §9 check
rules.add_perm("honors.see_reviews", is_any_instructor)  # the work card of nominations to review
rules.add_perm("honors.see_decisions", decides_honours)  # the work card of nominations to decide
