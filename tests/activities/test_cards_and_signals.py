"""Work-page cards count only what the person may act on (DESIGN.md "Work pages"); other apps hear of
activities through `activities.signals`, sent once the transaction commits."""

from __future__ import annotations

from typing import Any

import pytest

from dangjian.activities.services import leave_request, record_file, register, registration_cancel
from dangjian.activities.signals import ActivitySummary, activity_published, activity_record_filed
from dangjian.core.workcards import work_page_for
from tests.activities.builders import new_activity

pytestmark = pytest.mark.django_db


def card_count(user: Any, key: str) -> int | None:
    card = work_page_for(user).card(key)
    return None if card is None else card.count


def test_the_offer_card_counts_the_persons_open_offers(life) -> None:
    activity = new_activity(life.secretary_a, [life.world.org_a], capacity=1)
    first, _ = (register(actor=p, activity=activity) for p in life.members[:2])
    assert card_count(life.members[1], "activities.offers") == 0
    registration_cancel(actor=life.members[0], registration=first)
    assert card_count(life.members[1], "activities.offers") == 1
    assert card_count(life.members[0], "activities.offers") == 0
    shown = work_page_for(life.members[1]).card("activities.offers")
    assert shown is not None and shown.url.startswith("/")


def test_the_leave_card_is_the_secretarys_only(life) -> None:
    activity = new_activity(life.secretary_a, [life.world.org_a, life.world.org_b])
    leave_request(actor=life.members[0], activity=activity, reason="出差")
    assert card_count(life.secretary_a, "activities.leave_requests") == 1
    assert card_count(life.secretary_b, "activities.leave_requests") == 0  # a co-organiser's secretary
    assert card_count(life.world.officer_a, "activities.leave_requests") is None  # an officer decides none
    assert card_count(life.world.member, "activities.leave_requests") is None


def test_signals_are_sent_once_the_transaction_commits(life, django_capture_on_commit_callbacks) -> None:
    heard: list[tuple[str, ActivitySummary]] = []

    def published(sender: Any, summary: ActivitySummary, **kwargs: Any) -> None:
        heard.append(("published", summary))

    def filed(sender: Any, summary: ActivitySummary, **kwargs: Any) -> None:
        heard.append(("filed", summary))

    activity_published.connect(published)
    activity_record_filed.connect(filed)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            activity = new_activity(life.secretary_a, [life.world.org_a, life.world.org_b])
        assert heard == []  # nothing before the commit
        for callback in callbacks:
            callback()
        assert [kind for kind, _ in heard] == ["published"]
        summary = heard[0][1]
        assert summary.activity_id == activity.pk
        assert summary.organization_ids == tuple(sorted([life.world.org_a.pk, life.world.org_b.pk]))
        with django_capture_on_commit_callbacks(execute=True):
            record_file(actor=life.secretary_a, activity=activity, summary="纪要", now=activity.ends_at)
        assert [kind for kind, _ in heard] == ["published", "filed"]
    finally:
        activity_published.disconnect(published)
        activity_record_filed.disconnect(filed)
