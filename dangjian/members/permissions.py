"""Who may see and change party-member records (DB3212/T 1124 §6.3 党员管理; DESIGN.md "Personal data
is isolated").

A record is visible to the member themself, to the secretary and officers of their organisation, to the
station admins and party-affairs workers of its station, and to HQ station admins and platform admins
(whose grants reach every station). The unmasked ID number is for fewer people: the member, the
organisation's secretary, station admins and HQ/platform admins, each view audited.

Objects are a `MemberProfile`, a `ProfileCorrection` or, for "for an organisation", a `PartyOrganization`.
"""

from __future__ import annotations

from typing import Any

import rules

from dangjian.accounts.models import PersonKind, Role
from dangjian.accounts.permissions import (
    OFFICER_ROLES,
    holds_role_anywhere,
    is_officer_of,
    is_secretary_of,
    is_station_admin_of,
    is_worker_of,
)

STATION_ROLES = (Role.STATION_ADMIN, Role.WORKER)
REVEAL_STATION_ROLES = (Role.STATION_ADMIN,)


def organization_of(obj: Any) -> Any:
    """The organisation a profile or correction belongs to, or the organisation itself."""
    if hasattr(obj, "profile_id"):
        return obj.profile.organization
    if hasattr(obj, "id_number_hash"):
        return obj.organization
    return obj


def owner_id_of(obj: Any) -> int | None:
    """The user a profile (or a correction's profile) describes."""
    if hasattr(obj, "profile_id"):
        return obj.profile.user_id
    return getattr(obj, "user_id", None) if hasattr(obj, "id_number_hash") else None


def is_secretary_of_organization(user: Any, organization: Any) -> bool:
    return is_secretary_of(user, organization)


@rules.predicate
def is_party_member(user: Any) -> bool:
    return getattr(user, "person_kind", None) == PersonKind.MEMBER


@rules.predicate
def is_the_member(user: Any, obj: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and owner_id_of(obj) == user.pk


@rules.predicate
def is_officer_of_its_organization(user: Any, obj: Any) -> bool:
    return bool(is_officer_of(user, organization_of(obj)))


@rules.predicate
def is_secretary_of_its_organization(user: Any, obj: Any) -> bool:
    return is_secretary_of_organization(user, organization_of(obj))


@rules.predicate
def is_any_member_manager(user: Any) -> bool:
    return holds_role_anywhere(user, *STATION_ROLES, *OFFICER_ROLES)


@rules.predicate
def is_any_revealer(user: Any) -> bool:
    return holds_role_anywhere(user, *REVEAL_STATION_ROLES, Role.ORG_SECRETARY)


# Keepers of a station's or an organisation's records (obj: profile, correction or organisation).
can_manage = is_station_admin_of | is_worker_of | is_officer_of_its_organization

rules.add_perm("members.manage", is_any_member_manager)  # the roster, statistics, import, export
rules.add_perm("members.manage_for", can_manage)  # obj: organisation — list, add, import into it
rules.add_perm("members.view_profile", can_manage | is_the_member)
rules.add_perm("members.view_own_record", is_party_member)  # 我的党员档案 / 我的党费 in the personal menu
rules.add_perm("members.change_profile", can_manage)
rules.add_perm(
    "members.reveal_id_number", is_the_member | is_secretary_of_its_organization | is_station_admin_of
)
rules.add_perm("members.export_unmasked", is_any_revealer)
rules.add_perm("members.decide_correction", is_officer_of_its_organization | is_station_admin_of)
