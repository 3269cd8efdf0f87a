"""Role predicates: the only place that knows what a role assignment lets a person do.

Apps build their `rules` permissions (`<app>.<action>`) from these predicates in their own
`permissions.py`; views, templates and the API only ever ask `user.has_perm(name, obj)`.

A role at the HQ station governs every branch (DB3212/T 1124 §4.4: HQ manages the branches).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.db.models import Exists, OuterRef, Q

from dangjian.accounts.models import Role, RoleAssignment

ALL_STATIONS = None  # sentinel returned by `managed_station_ids` for HQ and platform admins
OFFICER_ROLES = (Role.ORG_SECRETARY, Role.ORG_OFFICER)


@dataclass(frozen=True)
class Grant:
    role: str
    station_id: int
    is_hq_station: bool
    building_id: int | None
    organization_id: int | None
    grid_id: int | None


def grants_of(user: Any) -> tuple[Grant, ...]:
    """The user's role assignments, read once per user object (one query per request)."""
    if not getattr(user, "is_authenticated", False):
        return ()
    cached = getattr(user, "_grants_cache", None)
    if cached is None:
        rows = RoleAssignment.objects.filter(user_id=user.pk).values_list(
            "role", "station_id", "station__kind", "building_id", "organization_id", "grid_id"
        )
        cached = tuple(Grant(r, s, kind == "hq", b, o, g) for r, s, kind, b, o, g in rows)
        user._grants_cache = cached
    return cached


def forget_grants(user: Any) -> None:
    if hasattr(user, "_grants_cache"):
        del user._grants_cache


def station_id_of(obj: Any) -> int | None:
    """The station an object belongs to: a Station itself, or anything with a `station_id`."""
    if obj is None:
        return None
    if obj.__class__.__name__ == "Station":
        return obj.pk
    return getattr(obj, "station_id", None)


def _has_role(user: Any, *roles: str) -> bool:
    return any(g.role in roles for g in grants_of(user))


def is_platform_admin_user(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or _has_role(user, Role.PLATFORM_ADMIN)


def governs_all_stations(user: Any) -> bool:
    """Platform admins and HQ station admins manage every station."""
    if is_platform_admin_user(user):
        return True
    return any(g.role == Role.STATION_ADMIN and g.is_hq_station for g in grants_of(user))


def managed_station_ids(user: Any) -> set[int] | None:
    """Stations whose things the user may manage; `ALL_STATIONS` (None) means every station."""
    if governs_all_stations(user):
        return ALL_STATIONS
    return {g.station_id for g in grants_of(user) if g.role == Role.STATION_ADMIN}


def stations_with_role(user: Any, *roles: str) -> set[int] | None:
    """Stations where the user holds one of `roles`; `ALL_STATIONS` if held at HQ or as platform admin."""
    if is_platform_admin_user(user):
        return ALL_STATIONS
    grants = [g for g in grants_of(user) if g.role in roles]
    if any(g.is_hq_station for g in grants):
        return ALL_STATIONS
    return {g.station_id for g in grants}


def holds_role_anywhere(user: Any, *roles: str) -> bool:
    station_ids = stations_with_role(user, *roles)
    return station_ids is ALL_STATIONS or bool(station_ids)


def officer_organization_ids(user: Any) -> set[int]:
    """Organisations where the user is secretary or officer."""
    return {g.organization_id for g in grants_of(user) if g.role in OFFICER_ROLES and g.organization_id}


def _holds_at_station(user: Any, obj: Any, *roles: str) -> bool:
    station_ids = stations_with_role(user, *roles)
    if station_ids is ALL_STATIONS:
        return True
    return station_id_of(obj) in station_ids


@rules.predicate
def is_platform_admin(user: Any) -> bool:
    return is_platform_admin_user(user)


@rules.predicate
def is_hq_admin(user: Any) -> bool:
    return governs_all_stations(user)


@rules.predicate
def is_station_admin_of(user: Any, obj: Any) -> bool:
    return _holds_at_station(user, obj, Role.STATION_ADMIN)


@rules.predicate
def is_any_station_admin(user: Any) -> bool:
    return governs_all_stations(user) or _has_role(user, Role.STATION_ADMIN)


@rules.predicate
def is_any_worker(user: Any) -> bool:
    return _has_role(user, Role.WORKER)


@rules.predicate
def is_instructor_of(user: Any, obj: Any) -> bool:
    return _holds_at_station(user, obj, Role.INSTRUCTOR)


@rules.predicate
def is_any_officer(user: Any) -> bool:
    return _has_role(user, Role.ORG_SECRETARY, Role.ORG_OFFICER)


@rules.predicate
def is_any_instructor(user: Any) -> bool:
    return _has_role(user, Role.INSTRUCTOR)


@rules.predicate
def is_instructor_at(user: Any, obj: Any) -> bool:
    """An instructor assigned at exactly the object's station (§5.5: a station's instructors review its
    items; HQ instructors review HQ items). Unlike `is_instructor_of`, an HQ grant does not reach branches."""
    station_id = station_id_of(obj)
    return any(g.role == Role.INSTRUCTOR and g.station_id == station_id for g in grants_of(user))


@rules.predicate
def is_worker_of(user: Any, obj: Any) -> bool:
    return _holds_at_station(user, obj, Role.WORKER)


@rules.predicate
def is_guide_of(user: Any, obj: Any) -> bool:
    return _holds_at_station(user, obj, Role.GUIDE)


@rules.predicate
def is_officer_of(user: Any, organization: Any) -> bool:
    org_id = getattr(organization, "pk", None)
    return any(
        g.role in (Role.ORG_SECRETARY, Role.ORG_OFFICER) and g.organization_id == org_id
        for g in grants_of(user)
    )


@rules.predicate
def is_grid_leader_of(user: Any, grid: Any) -> bool:
    grid_id = getattr(grid, "pk", None)
    return any(g.role == Role.GRID_LEADER and g.grid_id == grid_id for g in grants_of(user))


@rules.predicate
def is_authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rules.predicate
def is_self(user: Any, obj: Any) -> bool:
    return getattr(obj, "pk", None) == getattr(user, "pk", None) and user.is_authenticated


def _holds_governing_grant(person: Any) -> bool:
    """Platform admins and holders of any HQ role: only HQ and platform admins may change them."""
    return bool(getattr(person, "is_superuser", False)) or any(
        g.role == Role.PLATFORM_ADMIN or g.is_hq_station for g in grants_of(person)
    )


def governs_person(actor: Any, person: Any) -> bool:
    """May `actor` change or reset `person`? Only if the actor governs the person's home station and
    every station where the person holds a role: otherwise a branch admin could reset the password of
    someone who holds roles elsewhere and act with those roles. Platform admins are changed only by
    platform admins; holders of an HQ role only by HQ station admins and platform admins."""
    if is_platform_admin_user(actor):
        return True
    if governs_all_stations(actor):
        return not (
            getattr(person, "is_superuser", False)
            or any(g.role == Role.PLATFORM_ADMIN for g in grants_of(person))
        )
    station_ids = managed_station_ids(actor) or set()
    if getattr(person, "home_station_id", None) not in station_ids or _holds_governing_grant(person):
        return False
    return all(g.station_id in station_ids for g in grants_of(person))


def governed_people_q(actor: Any) -> Q:
    """`governs_person` as a filter on users, for the lists and look-ups of people an admin keeps."""
    if is_platform_admin_user(actor):
        return Q()
    platform_roles = RoleAssignment.objects.filter(user_id=OuterRef("pk"), role=Role.PLATFORM_ADMIN)
    if governs_all_stations(actor):
        return Q(is_superuser=False) & ~Q(Exists(platform_roles))
    station_ids = sorted(managed_station_ids(actor) or ())
    elsewhere = RoleAssignment.objects.filter(user_id=OuterRef("pk")).filter(
        ~Q(station_id__in=station_ids) | Q(role=Role.PLATFORM_ADMIN) | Q(station__kind="hq")
    )
    return Q(home_station_id__in=station_ids, is_superuser=False) & ~Q(Exists(elsewhere))


@rules.predicate
def is_governor_of_person(user: Any, person: Any) -> bool:
    return governs_person(user, person)


# Permissions of this app.
rules.add_perm("accounts.view_roles", is_any_station_admin)
rules.add_perm("accounts.assign_role", is_station_admin_of)  # obj: the station the role is at
rules.add_perm("accounts.view_audit", is_any_station_admin)
rules.add_perm("accounts.manage_tokens", is_authenticated)
rules.add_perm("accounts.manage_people", is_any_station_admin)
rules.add_perm("accounts.change_person", is_governor_of_person)
