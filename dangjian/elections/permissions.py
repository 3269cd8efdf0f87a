"""Rules of committee elections (`elections.<action>`), built from the role predicates of accounts.

The organisation's secretary and officers, and the station admins and party-affairs workers of its
station, keep an election (request it, list candidates, record the meeting, report the result); the
superior — the station's admins, and HQ/platform admins whose grants reach every station — approves or
refuses the request and the result. Objects are an `Election` or, for "for an organisation", a
`PartyOrganization`.
"""

from __future__ import annotations

from typing import Any

import rules

from dangjian.accounts.models import Role
from dangjian.accounts.permissions import (
    OFFICER_ROLES,
    holds_role_anywhere,
    is_any_station_admin,
    is_officer_of,
    is_station_admin_of,
    is_worker_of,
)

STATION_ROLES = (Role.STATION_ADMIN, Role.WORKER)


def organization_of(obj: Any) -> Any:
    """The organisation of an election, or the organisation itself."""
    return obj.organization if hasattr(obj, "seats") else obj


@rules.predicate
def is_officer_of_its_organization(user: Any, obj: Any) -> bool:
    return bool(is_officer_of(user, organization_of(obj)))


@rules.predicate
def is_any_election_keeper(user: Any) -> bool:
    return holds_role_anywhere(user, *STATION_ROLES, *OFFICER_ROLES)


can_keep = is_station_admin_of | is_worker_of | is_officer_of_its_organization

rules.add_perm("elections.manage", is_any_election_keeper)  # the list, the request form
rules.add_perm("elections.request_for", can_keep)  # obj: organisation
rules.add_perm("elections.view_election", can_keep)
rules.add_perm("elections.keep", can_keep)  # candidates, meeting, result report
rules.add_perm("elections.decide", is_station_admin_of)  # 批复: the request and the result
rules.add_perm("elections.see_overdue", is_any_station_admin)  # the overdue renewals of the work page
