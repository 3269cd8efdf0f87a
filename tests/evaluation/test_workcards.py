"""Work-page cards: members the surveys waiting for their answer, owners and verifiers their measures,
station admins the open (and overdue) measures and the indicators shortcut with this quarter's
satisfaction. A card counts only what the person may act on."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dangjian.evaluation.models import Rectification, RectificationStatus
from tests.evaluation.builders import day, invitation, measure

pytestmark = pytest.mark.django_db


def cards(client: Client, user: Any) -> dict[str, Any]:
    client.force_login(user)
    page = client.get(reverse("portal:workpage")).context["page"]
    return {c.card.key: c for _, _, shown in page.sections for c in shown}


def test_cards_count_what_each_person_may_act_on(world, client) -> None:
    invitation(world.member, world.a)
    invitation(world.member, world.a, occasion_id=2)
    late = measure(
        world.a, owner=world.worker_a, verifier=world.officer_a, status=RectificationStatus.IN_PROGRESS
    )
    Rectification.objects.filter(pk=late.pk).update(deadline=day(-2))
    measure(
        world.a,
        owner=world.worker_a,
        verifier=world.officer_a,
        status=RectificationStatus.PENDING_VERIFICATION,
    )
    measure(world.a, owner=world.worker_a, verifier=world.officer_a, status=RectificationStatus.CLOSED)

    member = cards(client, world.member)
    assert member["evaluation.pending_surveys"].count == 2
    assert "evaluation.open_measures" not in member and "evaluation.my_measures" not in member

    owner = cards(client, world.worker_a)
    assert owner["evaluation.my_measures"].count == 1  # the one in progress; the other waits for the verifier
    verifier = cards(client, world.officer_a)
    assert verifier["evaluation.my_measures"].count == 1

    admin = cards(client, world.own_admin)
    assert (
        admin["evaluation.open_measures"].count == 2
        and admin["evaluation.open_measures"].note == "其中逾期 1 项"
    )
    assert admin["evaluation.indicators"].note.endswith("满意度 —")  # nothing answered this quarter: a dash
    assert cards(client, world.other_admin)["evaluation.open_measures"].count == 0  # B's admin: not A's

    from django.utils import timezone

    from dangjian.evaluation.models import SatisfactionAnswer

    for n, score in enumerate((5, 4, 2)):
        asked = invitation(world.resident, world.a, occasion_id=10 + n)
        SatisfactionAnswer.objects.create(
            invitation=asked,
            station=world.a,
            occasion_kind="activity",
            score=score,
            answered_at=timezone.now(),
        )
    admin = cards(client, world.own_admin)
    assert admin["evaluation.indicators"].note.endswith("满意度 66.7%")
    assert cards(client, world.hq_admin)["evaluation.indicators"].note.startswith("全平台")
