from __future__ import annotations

from typing import Any

import pytest
from django_scopes import scopes_disabled

from dangjian.accounts.models import Role
from dangjian.core.models import AuditEvent
from tests.members.builders import make_profile, make_role_holder


@pytest.fixture
def people(world: Any) -> Any:
    """The `world` plus a member of org_a with a profile, org_a's secretary, org_b's officer and
    secretary, and B's worker (§5.1, §6.3: who keeps and who may see a member's record)."""
    world.profile_a = make_profile(world.org_a)
    world.member_a = world.profile_a.user
    world.secretary_a = make_role_holder("secretary_a", Role.ORG_SECRETARY, world.a, organization=world.org_a)
    world.officer_b = make_role_holder("officer_b", Role.ORG_OFFICER, world.b, organization=world.org_b)
    world.secretary_b = make_role_holder("secretary_b", Role.ORG_SECRETARY, world.b, organization=world.org_b)
    world.worker_b = make_role_holder("worker_b", Role.WORKER, world.b, building=world.building_b)
    world.platform_admin = make_role_holder("platform_admin", Role.PLATFORM_ADMIN, world.hq)
    return world


def audit_actions(prefix: str = "members.") -> list[str]:
    with scopes_disabled():
        return list(
            AuditEvent.objects.filter(action__startswith=prefix)
            .order_by("at", "id")
            .values_list("action", flat=True)
        )
