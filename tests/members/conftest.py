from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from dangjian.accounts.models import Role
from dangjian.core.crypto import encrypt, mask_id_number
from dangjian.core.models import AuditEvent
from dangjian.members.models import CorrectableField, ProfileCorrection
from dangjian.members.services import set_id_number
from tests.members.builders import id_number, make_profile, make_role_holder


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


def avoiding_today(*candidates: date) -> date:
    """The first candidate whose month and day are not today's (pages print today's date)."""
    today = timezone.localdate()
    return next(day for day in candidates if (day.month, day.day) != (today.month, today.day))


@pytest.fixture
def leaky(people: Any) -> Any:
    """People with profile_a born on a day no page prints otherwise (not the import template example's
    1986-05-12, not today), plus pending corrections asking for a *new* ID number and a new birth date,
    so both numbers and both birth dates are scanned for."""
    profile = people.profile_a
    profile.birth_date = avoiding_today(date(1979, 2, 17), date(1979, 9, 23))
    profile.plain_id_number = id_number(profile.birth_date, people.member_a.pk)
    set_id_number(profile, profile.plain_id_number)
    with scopes_disabled():
        profile.save()
    people.requested_id_number = id_number(profile.birth_date, 777)
    people.requested_birth_date = avoiding_today(date(1979, 2, 26), date(1979, 10, 2))
    with scope(station=[people.a.pk]):
        people.id_correction = ProfileCorrection.objects.create(
            profile=profile,
            station=people.a,
            field=CorrectableField.ID_NUMBER,
            old_value=profile.id_number_masked,
            new_value=mask_id_number(people.requested_id_number),
            new_value_encrypted=encrypt(people.requested_id_number),
            reason="原号码录入有误",
            requested_by=people.member_a,
        )
        people.birth_correction = ProfileCorrection.objects.create(
            profile=profile,
            station=people.a,
            field=CorrectableField.BIRTH_DATE,
            old_value=profile.birth_date.isoformat(),
            new_value=people.requested_birth_date.isoformat(),
            reason="出生日期录入有误",
            requested_by=people.member_a,
        )
    return people


def audit_actions(prefix: str = "members.") -> list[str]:
    with scopes_disabled():
        return list(
            AuditEvent.objects.filter(action__startswith=prefix)
            .order_by("at", "id")
            .values_list("action", flat=True)
        )
