"""Who may do what with courseware (DB3212/T 1124 §5.4, §5.5).

Sharers are a station's admins, party-affairs workers and instructors (they keep its learning material);
the uploader keeps their own item. Reviewers: for an item shared with its station, an instructor assigned
at exactly that station; for one shared with the whole platform, an HQ instructor (§4.4: HQ decides what
every branch sees). Objects: a `Station` for "may share at", a `Courseware` for the rest.
"""

from __future__ import annotations

from typing import Any

import rules

from dangjian.accounts.models import Role
from dangjian.accounts.permissions import (
    holds_role_anywhere,
    is_hq_instructor,
    is_instructor_at,
    is_instructor_of,
    is_station_admin_of,
    is_worker_of,
)

SHARER_ROLES = (Role.STATION_ADMIN, Role.WORKER, Role.INSTRUCTOR)


@rules.predicate
def is_any_sharer(user: Any) -> bool:
    return holds_role_anywhere(user, *SHARER_ROLES)


@rules.predicate
def is_owner(user: Any, courseware: Any) -> bool:
    return getattr(courseware, "owner_id", None) == user.pk and user.is_authenticated


@rules.predicate
def is_its_reviewer(user: Any, courseware: Any) -> bool:
    if getattr(courseware, "sharing", None) == "platform":
        return is_hq_instructor(user)
    return bool(is_instructor_at(user, courseware))


is_sharer_at = is_station_admin_of | is_worker_of | is_instructor_of
can_keep = is_owner | is_station_admin_of | is_worker_of

rules.add_perm("courseware.manage", is_any_sharer)
rules.add_perm("courseware.add_courseware", is_sharer_at)  # obj: the station
rules.add_perm("courseware.change_courseware", can_keep)
rules.add_perm("courseware.review_courseware", is_its_reviewer)
rules.add_perm("courseware.withdraw_courseware", can_keep | is_its_reviewer)
