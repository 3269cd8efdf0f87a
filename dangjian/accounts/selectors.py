"""Reads of accounts: the work page's roles, and the fetch-and-authorise look-ups (`access_<thing>`, the
same 404 for a missing row and one the person may not see) of API tokens and role assignments."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from dangjian.accounts.models import ApiToken, Role, RoleAssignment, User
from dangjian.accounts.permissions import managed_role_assignments
from dangjian.core.access import fetch_or_404
from dangjian.core.figures import Figures, grouped


def role_assignments_of(user: Any) -> QuerySet[RoleAssignment]:
    """The person's roles with what each is scoped to (one query)."""
    return RoleAssignment.objects.filter(user_id=getattr(user, "pk", None) or 0).select_related(
        "station", "building", "organization", "grid__building"
    )


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    """The person's own API tokens, revoked ones included (nobody else's, nothing for anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=user.pk)


def access_token(*, user: Any, pk: Any, manage: bool = False) -> ApiToken:
    """One of the caller's own API tokens (to see or revoke: the same set); another person's token is the
    same 404 as a missing one."""
    return fetch_or_404(tokens_of(user), pk)


def access_role_assignment(*, user: Any, pk: Any, manage: bool = False) -> RoleAssignment:
    """A role assignment the admin may see and revoke (one at a station they manage; HQ and platform admins:
    any), with its person and scope; anything else is the same 404 as a missing one."""
    assignment = fetch_or_404(managed_role_assignments(user), pk)
    if not user.has_perm("accounts.assign_role", assignment):  # the rule agrees with the queryset
        raise Http404
    return assignment


# ---------------------------------------------------------------- HQ cockpit figures (dashboards)

COUNTED_ROLES = {Role.INSTRUCTOR: "instructors", Role.WORKER: "workers", Role.GUIDE: "guides"}


def people_figures() -> Figures:
    """Registered, active people of each station (`people`), one query."""
    return grouped(User.objects.filter(is_active=True), "home_station_id", people=Count("pk"))


def role_figures() -> Figures:
    """Active holders of the counted roles per station (`instructors`, `workers`, `guides`), one query."""
    active = RoleAssignment.objects.filter(user__is_active=True, role__in=list(COUNTED_ROLES))
    counts = {
        key: Count("user_id", filter=Q(role=role), distinct=True) for role, key in COUNTED_ROLES.items()
    }
    return grouped(active, "station_id", within=None, **counts)


def role_holder_ids(role: str) -> dict[int, set[int]]:
    """{station id: ids of the active people holding `role` there}, one query."""
    holders: dict[int, set[int]] = {}
    rows = RoleAssignment.objects.filter(user__is_active=True, role=role).values_list("station_id", "user_id")
    for station_id, user_id in rows:
        holders.setdefault(station_id, set()).add(user_id)
    return holders


def units_with_people(station_id: int | None = None) -> set[int]:
    """Resident units with at least one registered, active person (§4.3)."""
    rows = User.objects.filter(is_active=True, resident_unit__isnull=False)
    if station_id is not None:
        rows = rows.filter(resident_unit__station_id=station_id)
    return set(rows.values_list("resident_unit_id", flat=True).distinct())
