"""Who may do what with party-affairs disclosures (DB3212/T 1124 §6.3 党务公开, §5.5).

Writers are the people who keep the organisation's affairs: the station admins and party-affairs workers
of the organisation's station (§5.4.2) and the organisation's own secretary and officers. Reviewers are
the instructors assigned at exactly that station (§5.4.1, §5.5). Objects are a `Disclosure` or, for
"may write for", a `PartyOrganization`.
"""

from __future__ import annotations

from typing import Any

import rules

from dangjian.accounts.models import Role
from dangjian.accounts.permissions import (
    OFFICER_ROLES,
    holds_role_anywhere,
    is_any_instructor,
    is_instructor_at,
    is_officer_of,
    is_station_admin_of,
    is_worker_of,
)
from dangjian.disclosures.models import Disclosure

WRITER_STATION_ROLES = (Role.STATION_ADMIN, Role.WORKER)


def organization_of(obj: Any) -> Any:
    """The organisation a disclosure belongs to, or the organisation itself."""
    return obj.organization if isinstance(obj, Disclosure) else obj


@rules.predicate
def is_officer_of_its_organization(user: Any, obj: Any) -> bool:
    return bool(is_officer_of(user, organization_of(obj)))


@rules.predicate
def is_any_writer(user: Any) -> bool:
    return holds_role_anywhere(user, *WRITER_STATION_ROLES, *OFFICER_ROLES)


can_write = is_station_admin_of | is_worker_of | is_officer_of_its_organization

rules.add_perm("disclosures.manage", is_any_writer | is_any_instructor)
rules.add_perm("disclosures.add_disclosure", is_any_writer)
rules.add_perm("disclosures.write_for", can_write)  # obj: the organisation
rules.add_perm("disclosures.change_disclosure", can_write)
rules.add_perm("disclosures.submit_disclosure", can_write)
rules.add_perm("disclosures.review_disclosure", is_instructor_at)
rules.add_perm("disclosures.withdraw_disclosure", can_write | is_instructor_at)
rules.add_perm("disclosures.archive_disclosure", can_write)
