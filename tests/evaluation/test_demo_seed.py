"""The demo's evaluation data (`dangjian.demo.evaluation_seed.create_evaluation`, run after `seed_demo`):
service items with a year of deliveries (some late, some missed), satisfaction answers, one questionnaire
with results, two rectifications (one closed with evidence, one in progress) — and the indicators show
figures, not dashes."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from dangjian.demo.evaluation_seed import create_evaluation
from dangjian.evaluation import selectors
from dangjian.evaluation.indicators import Period
from dangjian.evaluation.models import (
    Ballot,
    OccurrenceStatus,
    Questionnaire,
    Rectification,
    RectificationStatus,
    SatisfactionAnswer,
    ServiceOccurrence,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_demo_evaluation(settings: Any, tmp_path: Any) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    call_command(
        "seed_demo", "--i-know-this-is-not-production", stdout=io.StringIO()
    )  # runs create_evaluation
    assert ServiceOccurrence.objects.count() > 500
    assert create_evaluation() == 0  # once

    occurrences = ServiceOccurrence.objects
    assert occurrences.filter(status=OccurrenceStatus.DELIVERED, on_time=False).exists()
    assert occurrences.filter(status=OccurrenceStatus.MISSED).exists()
    assert occurrences.filter(status=OccurrenceStatus.PLANNED).exists()
    assert SatisfactionAnswer.objects.count() > 100
    assert Questionnaire.objects.count() == 1 and Ballot.objects.count() > 0
    measures = {m.status: m for m in Rectification.objects.all()}
    assert set(measures) == {RectificationStatus.CLOSED, RectificationStatus.IN_PROGRESS}
    closed = measures[RectificationStatus.CLOSED]
    assert closed.evidence_text and closed.evidence_file and closed.notes.count() == 5

    last_quarter = Period.containing(timezone.localdate(), "quarter").previous()  # always inside the year
    report = selectors.station_report(station_id=closed.station_id, period=last_quarter)
    assert report.get("satisfaction").value is not None
    assert report.get("punctuality").value is not None and report.get("completion").value is not None
