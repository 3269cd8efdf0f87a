"""Overdue escalation (the Celery beat task: station admin first, HQ later, each once), the work cards,
and the demo data."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.core.models import Notification
from dangjian.core.workcards import work_page_for
from dangjian.demo.feedback_seed import create_feedback
from dangjian.feedback import rules, services
from dangjian.feedback.models import (
    Channel,
    Escalation,
    Feedback,
    FeedbackContact,
    FeedbackEvent,
    Kind,
    Status,
)
from dangjian.feedback.tasks import escalate_overdue_task
from tests.feedback.builders import submit

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)


def noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def overdue_item(world: Any) -> Feedback:
    feedback = submit(world.a)  # a complaint: 3 working days
    Feedback.objects.filter(pk=feedback.pk).update(
        received_at=noon(MONDAY), due_on=rules.due_date("complaint", MONDAY)
    )
    feedback.refresh_from_db()
    return feedback


def test_due_dates_count_working_days() -> None:
    friday = date(2026, 3, 6)
    assert rules.due_date("complaint", friday) == date(2026, 3, 11)  # Mon, Tue, Wed
    assert rules.due_date("consultation", MONDAY) == date(2026, 3, 4)
    assert rules.due_date("suggestion", MONDAY) == date(2026, 3, 11)


def test_overdue_alerts_the_station_admin_then_hq_once_each(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    feedback = overdue_item(world)  # due Thursday 5 March
    with django_capture_on_commit_callbacks(execute=True):
        assert services.escalate_overdue(now=noon(date(2026, 3, 5))) == 0  # due today: not overdue yet
        assert escalate_overdue_task(now=noon(date(2026, 3, 6)).isoformat()) == 1
    feedback.refresh_from_db()
    assert feedback.escalation == Escalation.STATION
    assert Notification.objects.filter(recipient=world.own_admin, title__startswith="逾期未答复").count() == 1
    assert not Notification.objects.filter(recipient=world.hq_admin, title__startswith="逾期未答复").exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.escalate_overdue(now=noon(date(2026, 3, 7))) == 0  # idempotent, HQ not yet
        assert services.escalate_overdue(now=noon(date(2026, 3, 8))) == 1
        assert services.escalate_overdue(now=noon(date(2026, 3, 9))) == 0
    feedback.refresh_from_db()
    assert feedback.escalation == Escalation.HQ and feedback.escalated_hq_at
    assert Notification.objects.filter(recipient=world.hq_admin, title__startswith="逾期未答复").count() == 1
    assert Notification.objects.filter(recipient=world.own_admin, title__startswith="逾期未答复").count() == 1
    steps = list(FeedbackEvent.objects.filter(feedback=feedback).values_list("action", flat=True))
    assert steps == ["submit", "escalate_station", "escalate_hq"]


def test_a_replied_item_is_not_escalated(world: Any) -> None:
    feedback = overdue_item(world)
    services.reply(actor=world.worker_a, feedback=feedback, text="已答复")
    assert services.escalate_overdue(now=noon(date(2026, 3, 20))) == 0


def test_work_cards(world: Any) -> None:
    mine = submit(world.a)
    services.assign(actor=world.own_admin, feedback=mine, assignee=world.worker_a)
    late = submit(world.a)
    Feedback.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    worker_card = work_page_for(world.worker_a).card("feedback.assigned")
    assert worker_card is not None and worker_card.count == 1
    assert work_page_for(world.worker_a).card("feedback.overdue") is None
    admin_card = work_page_for(world.own_admin).card("feedback.overdue")
    assert admin_card is not None and admin_card.count == 1
    other = work_page_for(world.other_admin).card("feedback.overdue")
    assert other is not None and other.count == 0  # B's admin acts on nothing of A
    assert work_page_for(world.resident).card("feedback.assigned") is None


def test_demo_feedback(world: Any) -> None:
    today = date(2026, 12, 3)
    made = create_feedback(today)
    assert made == Feedback.objects.count() > 100
    assert set(Feedback.objects.values_list("channel", flat=True)) == set(Channel.values)
    assert set(Feedback.objects.values_list("kind", flat=True)) == set(Kind.values)
    assert Feedback.objects.filter(status=Status.CLOSED, rating__isnull=False).exists()
    assert Feedback.objects.filter(reopen_count__gt=0, status=Status.CLOSED).exists()
    assert Feedback.objects.filter(
        status__in=("received", "assigned", "in_progress"), due_on__lt=today
    ).exists()
    assert Feedback.objects.filter(escalation__gt=0).exists()
    assert Feedback.objects.filter(channel__in=("box", "book"), entered_by__isnull=False).exists()
    assert not Feedback.objects.filter(kind="complaint", validity="invalid", resolution="resolved").exists()
    oldest = Feedback.objects.order_by("received_at").first()
    assert oldest is not None and (today - timezone.localtime(oldest.received_at).date()).days >= 330
    with scopes_disabled():
        assert FeedbackContact.objects.exists()
    assert FeedbackEvent.objects.count() > made * 3
