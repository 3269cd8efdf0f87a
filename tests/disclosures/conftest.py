from __future__ import annotations

from typing import Any

import pytest
from django_scopes import scopes_disabled

from dangjian.accounts.models import Role
from dangjian.core.models import AuditEvent
from tests import factories as f
from tests.disclosures.builders import make_instructor


@pytest.fixture
def people(world):
    """The `world` plus the reviewers and writers of the disclosure workflow (§5.4, §5.5)."""
    world.instructor_a = make_instructor(world.a, "instructor_a")
    world.instructor_b = make_instructor(world.b, "instructor_b")
    world.instructor_hq = make_instructor(world.hq, "instructor_hq")
    world.worker_b = f.UserFactory(username="worker_b")
    f.grant(world.worker_b, Role.WORKER, world.b, building=world.building_b)
    world.officer_b = f.UserFactory(username="officer_b")
    f.grant(world.officer_b, Role.ORG_OFFICER, world.b, organization=world.org_b)
    return world


def audit_actions() -> list[str]:
    with scopes_disabled():
        return list(
            AuditEvent.objects.filter(action__startswith="disclosures.")
            .order_by("at", "id")
            .values_list("action", flat=True)
        )


def reload(obj: Any) -> Any:
    obj.refresh_from_db()
    return obj
