from __future__ import annotations

from typing import Any

import pytest
from django_scopes import scopes_disabled

from dangjian.accounts.models import Role
from dangjian.core.models import AuditEvent
from tests import factories as f
from tests.dues.builders import DEMO_ON, default_rule, make_member, treasurer
from tests.members.builders import make_role_holder


@pytest.fixture(autouse=True)
def demo_provider(settings: Any) -> None:
    """Dues tests pay through the demo gateway, which exists only when a setting turns it on; the tests of
    the gateway being off set `settings.DUES_DEMO_PROVIDER = False` themselves."""
    for name, value in DEMO_ON.items():
        setattr(settings, name, value)


@pytest.fixture
def dues(world: Any) -> Any:
    """The `world` plus dues people: a paying member of org_a, org_a's treasurer and secretary, org_b's
    treasurer, and a third organisation in branch A with its own treasurer."""
    default_rule()
    world.payer = make_member(world.org_a)
    world.treasurer_a = treasurer(world.org_a)
    world.secretary_a = make_role_holder("secretary_a", Role.ORG_SECRETARY, world.a, organization=world.org_a)
    world.treasurer_b = treasurer(world.org_b)
    world.org_c = f.PartyOrganizationFactory(station=world.a, name="万达广场物业公司党支部")
    world.treasurer_c = treasurer(world.org_c)
    world.worker_b = make_role_holder("worker_b", Role.WORKER, world.b, building=world.building_b)
    return world


def audit_actions(prefix: str = "dues.") -> list[str]:
    with scopes_disabled():
        return list(
            AuditEvent.objects.filter(action__startswith=prefix)
            .order_by("at", "id")
            .values_list("action", flat=True)
        )
