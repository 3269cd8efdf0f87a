"""Rules of the HQ cockpit (`dashboards.<action>`), built from the role predicates of accounts.

HQ (platform admins, HQ station admins) reads every station and the platform, sets the yearly goals
(§5.3) and keeps the big screens; a station's admins and instructors read their own station's cockpit
and its organisations. Objects are a `Station` or a `PartyOrganization` (its station decides)."""

from __future__ import annotations

import rules

from dangjian.accounts.permissions import (
    is_any_instructor,
    is_any_station_admin,
    is_hq_admin,
    is_instructor_of,
    is_station_admin_of,
)

rules.add_perm("dashboards.view_cockpit", is_any_station_admin | is_any_instructor)
rules.add_perm("dashboards.view_platform", is_hq_admin)
rules.add_perm("dashboards.view_station", is_station_admin_of | is_instructor_of)
rules.add_perm("dashboards.set_goals", is_hq_admin)
rules.add_perm("dashboards.manage_screens", is_hq_admin)
