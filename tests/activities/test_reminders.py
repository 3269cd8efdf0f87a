"""Deadline reminders as beat tasks sent once (issue 10 §6): the annual plan before the deadline of the rules
in force, the monthly theme before the month starts; activities become finished after they end."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from dangjian.activities.models import ActivityStatus, LifeRuleSet, SentReminder
from dangjian.activities.reminders import finish_ended_activities, remind_monthly_theme, remind_plan_deadline
from dangjian.activities.services import PlannedItem, plan_submit, theme_set
from dangjian.activities.tasks import remind_deadlines_task
from tests.activities.builders import inbox, local, new_activity

pytestmark = pytest.mark.django_db


def test_the_plan_is_reminded_before_the_deadline_once_and_not_to_those_who_filed(
    life, django_capture_on_commit_callbacks
) -> None:
    plan_submit(
        actor=life.secretary_b,
        organization=life.world.org_b,
        year=2027,
        planned=[PlannedItem(month=3, activity_type="theme_day", title="学雷锋")],
    )
    assert remind_plan_deadline(now=local(2027, 1, 10)) == 0  # more than 14 days before 31 January
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_plan_deadline(now=local(2027, 1, 20)) == 1
        assert remind_plan_deadline(now=local(2027, 1, 25)) == 0  # sent once
    assert inbox(life.secretary_a) == ["请报送2027年度工作计划"]
    assert inbox(life.secretary_b) == []
    assert remind_plan_deadline(now=local(2027, 2, 2)) == 0  # the deadline has passed: compliance shows it


def test_the_deadline_is_read_from_the_rules_in_force(life) -> None:
    LifeRuleSet.objects.update(plan_deadline_month=3, plan_deadline_day=15)
    assert remind_plan_deadline(now=local(2027, 1, 20)) == 0
    assert remind_plan_deadline(now=local(2027, 3, 5)) == 2  # A and B, neither has filed


def test_next_months_theme_is_reminded_once_in_the_week_before(
    life, django_capture_on_commit_callbacks
) -> None:
    theme_set(actor=life.secretary_b, organization=life.world.org_b, month=date(2027, 4, 1), theme="读书月")
    assert remind_monthly_theme(now=local(2027, 3, 20)) == 0  # 12 days before April
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_monthly_theme(now=local(2027, 3, 26)) == 1
        assert remind_monthly_theme(now=local(2027, 3, 31, 20)) == 0
    assert inbox(life.secretary_a) == ["请确定2027年4月的主题"]
    assert SentReminder.objects.filter(key=f"theme:{life.world.org_a.pk}:2027-04").exists()


def test_the_beat_task_runs_both(life) -> None:
    assert remind_deadlines_task.run() == SentReminder.objects.count()


def test_activities_become_finished_after_they_end(life) -> None:
    start = timezone.now() - timedelta(hours=3)
    ended = new_activity(life.secretary_a, [life.world.org_a], starts_at=start, hours=2)
    running = new_activity(life.secretary_a, [life.world.org_a], starts_at=start, hours=5)
    draft = new_activity(life.secretary_a, [life.world.org_a], starts_at=start, hours=1, publish=False)

    assert finish_ended_activities() == 1
    ended.refresh_from_db(), running.refresh_from_db(), draft.refresh_from_db()
    assert (ended.status, running.status, draft.status) == (
        ActivityStatus.FINISHED,
        ActivityStatus.PUBLISHED,
        ActivityStatus.DRAFT,
    )
    assert finish_ended_activities() == 0
