"""The one visibility authority: the only place that knows what a role assignment lets a person do.

Three things are built here from the same grants, and nowhere else (a test forbids role look-ups
outside `dangjian.accounts`):
- role predicates, from which apps build their `rules` permissions (`<app>.<action>`) in their own
  `permissions.py`; views, templates and the API only ever ask `user.has_perm(name, obj)`;
- queryset filters of what a role sees (`role_rows_q`, `instructor_station_ids`, …) for selectors;
- the station sets handed to django-scopes (`scope_station_ids`), and who holds a role (`role_holders`)
  for services that tell someone something.

A role at the HQ station governs every branch (DB3212/T 1124 §4.4: HQ manages the branches).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from dangjian.accounts.models import Role, RoleAssignment, User

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
        return Q(pk__isnull=False)  # everyone; unlike Q(), usable as a When() condition
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
# the sensitive-word lists of the whole platform (dangjian/core/moderation.py): HQ and the supervising unit
rules.add_perm("core.edit_word_lists", is_hq_admin | is_platform_admin)
rules.add_perm("accounts.manage_tokens", is_authenticated)
rules.add_perm("accounts.manage_people", is_any_station_admin)
rules.add_perm("accounts.change_person", is_governor_of_person)


@rules.predicate
def is_officer_of_role_free_member(user: Any, person: Any) -> bool:
    """The secretary or an officer of the person's organisation, and the person holds no role at all
    (nor is staff or superuser): an officer may help a member sign in, never take over a role holder."""
    org_id = getattr(person, "organization_id", None)
    return bool(
        org_id is not None
        and org_id in officer_organization_ids(user)
        and getattr(person, "pk", None) != getattr(user, "pk", None)
        and getattr(person, "is_active", False)
        and not getattr(person, "is_staff", False)
        and not getattr(person, "is_superuser", False)
        and not grants_of(person)
    )


# A temporary password: whoever governs the person (station/HQ admins), or their organisation's officer.
rules.add_perm("accounts.reset_member_password", is_governor_of_person | is_officer_of_role_free_member)


# ---------------------------------------------------------------- filters and sets built from the grants


def organization_ids_with_role(user: Any, *roles: str) -> set[int]:
    return {g.organization_id for g in grants_of(user) if g.role in roles and g.organization_id}


def stations_with_exact_role(user: Any, *roles: str) -> set[int]:
    """Stations where the user holds one of `roles` itself: an HQ grant does not reach the branches
    (§5.5: a station's own instructors review its items)."""
    return {g.station_id for g in grants_of(user) if g.role in roles}


def instructor_station_ids(user: Any) -> set[int]:
    return stations_with_exact_role(user, Role.INSTRUCTOR)


def is_secretary_of(user: Any, organization: Any) -> bool:
    return getattr(organization, "pk", None) in organization_ids_with_role(user, Role.ORG_SECRETARY)


def is_hq_instructor(user: Any) -> bool:
    return any(g.role == Role.INSTRUCTOR and g.is_hq_station for g in grants_of(user))


def role_rows_q(
    user: Any,
    station_roles: tuple[str, ...],
    *,
    organization_roles: tuple[str, ...] = OFFICER_ROLES,
    station_field: str = "station_id",
    organization_field: str = "organization_id",
    owner_field: str | None = None,
) -> Q:
    """Rows a person sees through their roles: those of the stations where they hold `station_roles`
    (every station for HQ and platform holders: the empty `Q()`), those of the organisations where they
    hold `organization_roles`, and, with `owner_field`, their own rows. Nothing for anonymous visitors."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    station_ids = stations_with_role(user, *station_roles)
    if station_ids is ALL_STATIONS:
        return Q()
    condition = Q(**{f"{station_field}__in": sorted(station_ids)}) | Q(
        **{f"{organization_field}__in": sorted(organization_ids_with_role(user, *organization_roles))}
    )
    if owner_field is not None:
        condition |= Q(**{owner_field: user.pk})
    return condition


def scope_station_ids(
    user: Any, station_roles: tuple[str, ...], *, also: set[int] | frozenset[int] = frozenset()
) -> set[int] | None:
    """The django-scopes stations of a person's reads of personal data: where they hold `station_roles`
    or an officer role, plus `also` (their own record's station); `ALL_STATIONS` for HQ holders."""
    if not getattr(user, "is_authenticated", False):
        return set()
    station_ids = stations_with_role(user, *station_roles)
    if station_ids is ALL_STATIONS:
        return ALL_STATIONS
    return set(station_ids) | stations_with_exact_role(user, *OFFICER_ROLES) | set(also)


def role_holders(
    *roles: str,
    station_id: int | None = None,
    organization_id: int | None = None,
    at_hq: bool = False,
    building_id: int | None = None,
) -> QuerySet[User]:
    """Active people holding one of `roles` at exactly that station / organisation / the HQ station (the
    recipients of a notice: the instructors who review a station's items, an organisation's secretary);
    with `building_id`, only grants of that building or of no building (a building's workers)."""
    condition = Q(role__in=roles)
    if station_id is not None:
        condition &= Q(station_id=station_id)
    if building_id is not None:
        condition &= Q(building_id=building_id) | Q(building__isnull=True)
    if organization_id is not None:
        condition &= Q(organization_id=organization_id)
    if at_hq:
        condition &= Q(station__kind="hq")
    holders = RoleAssignment.objects.filter(condition).values("user_id")
    return User.objects.filter(pk__in=holders, is_active=True).order_by("id")


def people_of_station_q(station_id: int) -> Q:
    """People of a station, for a `User` query: those who live or work there (home station) and those
    holding any role there (whom a post on the station's forum may @)."""
    holders = RoleAssignment.objects.filter(station_id=station_id).values("user_id")
    return Q(home_station_id=station_id) | Q(pk__in=holders)


def role_holder_ids(users: Iterable[Any]) -> set[int]:
    """Which of these people hold any role at all (one query)."""
    return set(RoleAssignment.objects.filter(user__in=list(users)).values_list("user_id", flat=True))


def holds_any_role(user: Any) -> bool:
    return bool(grants_of(user))


def assignments_of_role(role: str) -> QuerySet[RoleAssignment]:
    """Assignments of one role with their people, for a `Prefetch` (a grid's leaders)."""
    return RoleAssignment.objects.filter(role=role).select_related("user")


def managed_role_assignments(user: Any) -> QuerySet[RoleAssignment]:
    """The role assignments an admin may see and revoke: those at the stations they manage (every one
    for HQ and platform admins), with their people and what each is scoped to (the 角色授权 list)."""
    assignments = RoleAssignment.objects.select_related(
        "user", "station", "building", "organization", "grid__building"
    )
    station_ids = managed_station_ids(user)
    if station_ids is ALL_STATIONS:
        return assignments
    return assignments.filter(station_id__in=sorted(station_ids))


# ---------------------------------------------------------------- belonging to a station (venues, §4.5, §4.7)


@rules.predicate
def is_any_guide(user: Any) -> bool:
    return _has_role(user, Role.GUIDE)


def _building_grant_covers(grant: Grant, station_id: int | None, building_id: int | None) -> bool:
    if grant.is_hq_station:
        return True
    if grant.station_id != station_id:
        return False
    return grant.building_id is None or building_id is None or grant.building_id == building_id


@rules.predicate
def is_worker_of_building(user: Any, obj: Any) -> bool:
    """A party-affairs worker (building scope) of the object's building, or any worker of its station when
    the object has no building (a station-wide space); HQ workers and platform admins everywhere."""
    if is_platform_admin_user(user):
        return True
    station_id, building_id = station_id_of(obj), getattr(obj, "building_id", None)
    return any(
        g.role == Role.WORKER and _building_grant_covers(g, station_id, building_id) for g in grants_of(user)
    )


def belonging_station_ids(user: Any) -> set[int] | None:
    """Stations a person belongs to: their home station and every station where they hold any role
    (`ALL_STATIONS` for holders of an HQ role and platform admins). Nothing for anonymous visitors."""
    if not getattr(user, "is_authenticated", False):
        return set()
    held = stations_with_role(user, *Role.values)
    if held is ALL_STATIONS:
        return ALL_STATIONS
    home = getattr(user, "home_station_id", None)
    return set(held) | ({home} if home else set())


def served_station_ids(user: Any) -> set[int]:
    """The stations serving the person's surrounding place (§4.7 片区共享: a community or street whose
    people use a large branch's resources)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "place_id", None):
        return set()
    return {user.place.station_id}


@rules.predicate
def belongs_to_station(user: Any, obj: Any) -> bool:
    station_ids = belonging_station_ids(user)
    return station_ids is ALL_STATIONS or station_id_of(obj) in station_ids


@rules.predicate
def is_served_by_station(user: Any, obj: Any) -> bool:
    return station_id_of(obj) in served_station_ids(user)


def station_rows_q(
    user: Any,
    station_roles: tuple[str, ...],
    *,
    station_field: str = "station_id",
    owner_field: str | None = None,
) -> Q:
    """Rows of the stations where the user holds `station_roles` (every station for HQ and platform
    holders), plus with `owner_field` their own rows; nothing for anonymous visitors. Like `role_rows_q`
    for models without an organisation."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    station_ids = stations_with_role(user, *station_roles)
    if station_ids is ALL_STATIONS:
        return Q()
    condition = Q(**{f"{station_field}__in": sorted(station_ids)})
    if owner_field is not None:
        condition |= Q(**{owner_field: user.pk})
    return condition


def building_worker_rows_q(
    user: Any, *, station_field: str = "station_id", building_field: str = "building_id"
) -> Q:
    """`is_worker_of_building` as a filter: rows of the buildings a worker keeps, and rows without a
    building at the stations where they work (everything for HQ workers and platform admins)."""
    if is_platform_admin_user(user):
        return Q()
    condition = Q(pk__in=[])
    for g in grants_of(user):
        if g.role != Role.WORKER:
            continue
        if g.is_hq_station:
            return Q()
        here = Q(**{station_field: g.station_id})
        if g.building_id is not None:
            here &= Q(**{building_field: g.building_id}) | Q(**{f"{building_field}__isnull": True})
        condition |= here
    return condition


# ---------------------------------------------------------------- predicates of activities (issue 10)


@rules.predicate
def is_officer_of_organizer(user: Any, obj: Any) -> bool:
    """The secretary or an officer of any organisation organising `obj` (an activity: its `organizer_ids`,
    several for 联学共建 / alliance activities, DB3212/T 1124 §5.2 活动共办)."""
    organizer_ids = getattr(obj, "organizer_ids", None) or ()
    return bool(organization_ids_with_role(user, *OFFICER_ROLES) & set(organizer_ids))


@rules.predicate
def is_secretary_of_organization(user: Any, organization: Any) -> bool:
    """The secretary (书记) of exactly this organisation — not an officer, not a station role."""
    return is_secretary_of(user, organization)


def organization_of(obj: Any) -> Any:
    """The organisation a record belongs to (its `organization`), or `obj` when it is the organisation."""
    return obj.organization if hasattr(obj, "organization_id") else obj


@rules.predicate
def is_officer_of_its_organization(user: Any, obj: Any) -> bool:
    return bool(is_officer_of(user, organization_of(obj)))


# The station roles that keep the records of every organisation of their station.
KEEPER_STATION_ROLES = (Role.STATION_ADMIN, Role.WORKER)


@rules.predicate
def keeps_any_organization(user: Any) -> bool:
    """A station admin or party-affairs worker anywhere, or an officer of any organisation."""
    return holds_role_anywhere(user, *KEEPER_STATION_ROLES, *OFFICER_ROLES)


# Who keeps an organisation's records (a candidate's file, a renewal): its station's admins and workers
# and the organisation's own secretary and officers; obj is the organisation or a record of it.
keeps_organization = is_station_admin_of | is_worker_of | is_officer_of_its_organization
