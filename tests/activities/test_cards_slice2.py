"""The second slice's work-page cards: invitations to answer, records missing, activities open for check-in
— each counting only what the person may act on, and absent when there is nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.activities.invitations import invitation_send
from dangjian.activities.services import record_file
from dangjian.core.workcards import work_page_for
from tests import factories as f
from tests.activities.builders import new_activity

pytestmark = pytest.mark.django_db


def card_count(user: Any, key: str) -> int | None:
    card = work_page_for(user).card(key)
    return None if card is None else card.count


def test_the_invitation_card_counts_what_the_person_answers(life) -> None:
    activity = new_activity(life.secretary_a, [life.world.org_a], audience="public")
    assert card_count(life.secretary_b, "activities.invitations") is None
    invitation_send(actor=life.secretary_a, activity=activity, organizations=[life.world.org_b])
    assert card_count(life.secretary_b, "activities.invitations") == 1
    assert card_count(life.secretary_a, "activities.invitations") is None


def test_the_missing_record_card_and_the_check_in_card(life) -> None:
    guide = f.UserFactory(username="guide_a")
    f.grant(guide, Role.GUIDE, life.world.a)
    ended = new_activity(life.secretary_a, [life.world.org_a], starts_at=timezone.now() - timedelta(hours=3))
    new_activity(life.secretary_a, [life.world.org_a], starts_at=timezone.now() + timedelta(minutes=20))
    assert card_count(life.secretary_a, "activities.missing_records") == 1
    assert card_count(life.secretary_b, "activities.missing_records") is None
    record_file(actor=life.secretary_a, activity=ended, summary="纪要")
    assert card_count(life.secretary_a, "activities.missing_records") is None
    assert card_count(guide, "activities.checkins") == 1
    assert card_count(life.world.other_admin, "activities.checkins") is None
