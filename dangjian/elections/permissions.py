"""Rules of committee elections (`elections.<action>`), built from the role predicates of accounts.

The organisation's secretary and officers, and the station admins and party-affairs workers of its
station, keep an election (request it, list candidates, record the meeting, report the result); the
superior — the station's admins, and HQ/platform admins whose grants reach every station — approves or
refuses the request and the result. Objects are an `Election` or, for "for an organisation", a
`PartyOrganization`.
"""

from __future__ import annotations

import rules

from dangjian.accounts.permissions import (
    KEEPER_STATION_ROLES,
    is_any_station_admin,
    is_station_admin_of,
    keeps_any_organization,
    keeps_organization,
)

STATION_ROLES = KEEPER_STATION_ROLES


rules.add_perm("elections.manage", keeps_any_organization)  # the list, the request form
rules.add_perm("elections.request_for", keeps_organization)  # obj: organisation
rules.add_perm("elections.view_election", keeps_organization)
rules.add_perm("elections.keep", keeps_organization)  # candidates, meeting, result report
rules.add_perm("elections.decide", is_station_admin_of)  # 批复: the request and the result
rules.add_perm("elections.see_overdue", is_any_station_admin)  # the overdue renewals of the work page
