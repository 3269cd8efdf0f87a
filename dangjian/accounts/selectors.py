"""Reads of accounts for pages outside this app (the work page)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dangjian.accounts.models import RoleAssignment


def role_assignments_of(user: Any) -> QuerySet[RoleAssignment]:
    """The person's roles with what each is scoped to (one query)."""
    return RoleAssignment.objects.filter(user_id=getattr(user, "pk", None) or 0).select_related(
        "station", "building", "organization", "grid__building"
    )
