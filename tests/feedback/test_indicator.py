"""`selectors.valid_complaint_counts` (the "有效投诉解决率" of §10.1.1) against a hand-computed fixture."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.feedback import services
from dangjian.feedback.models import Feedback
from dangjian.feedback.selectors import valid_complaint_counts
from tests.feedback.builders import closed, replied, submit

pytestmark = pytest.mark.django_db

START = timezone.make_aware(datetime(2026, 3, 1))
END = timezone.make_aware(datetime(2026, 4, 1))


def received(feedback: Feedback, when: datetime) -> Feedback:
    Feedback.objects.filter(pk=feedback.pk).update(received_at=when)
    return feedback


def test_valid_complaints_and_those_closed_as_resolved(world: Any) -> None:
    inside = START + timedelta(days=10)
    worker, admin_b = world.worker_a, world.other_admin
    # station A, March: 3 valid (2 closed resolved, 1 closed unresolved), 1 invalid, 1 undecided,
    # 1 valid still only replied, 1 suggestion closed resolved (not a complaint)
    for _ in range(2):
        received(closed(world.a, worker, organization=world.org_a), inside)
    received(closed(world.a, worker, resolution="unresolved"), inside)
    received(closed(world.a, worker, validity="invalid", resolution="unresolved"), inside)
    received(replied(world.a, worker), inside)
    decided = replied(world.a, worker)
    services.decide(actor=worker, feedback=decided, validity="valid")
    received(decided, inside)
    received(closed(world.a, worker, kind="suggestion"), inside)
    # station A outside the period: the day before and exactly the end (half-open)
    received(closed(world.a, worker), START - timedelta(seconds=1))
    received(closed(world.a, worker), END)
    # station B, March: 1 valid closed resolved
    received(closed(world.b, admin_b), inside)
    # a valid complaint closed resolved, then reopened: no longer resolved
    reopened = closed(world.a, worker)
    services.reopen(actor=None, feedback=reopened, reason="仍然没有解决", code=reopened.tracking_code)
    received(reopened, inside)

    with CaptureQueriesContext(connection) as queries:
        by_station = valid_complaint_counts(start=START, end=END)
    assert len(queries) == 1
    # A: valid = 2 + 1 + 1 (replied, decided) + 1 reopened = 5; resolved = 2
    assert by_station == {world.a.pk: (5, 2), world.b.pk: (1, 1)}
    assert valid_complaint_counts(start=START, end=END, ids=[world.b.pk, world.hq.pk]) == {
        world.b.pk: (1, 1),
        world.hq.pk: (0, 0),
    }
    assert valid_complaint_counts(start=START, end=END, by="organization") == {world.org_a.pk: (2, 2)}
    with pytest.raises(ValueError):
        valid_complaint_counts(start=START, end=END, by="building")


def test_an_empty_period_has_no_rows(world: Any) -> None:
    submit(world.a)
    assert valid_complaint_counts(start=START, end=END) == {}
