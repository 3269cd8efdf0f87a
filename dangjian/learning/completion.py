"""What finishing something earns: course completion, credit hours under the rule in force, points with
daily caps. Called by progress.py (a lesson completed by heartbeats) and quizzes.py (a quiz passed) inside
their transactions, on rows of a learner they have already authorised (hence `scopes_disabled`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.core.audit import record_event
from dangjian.learning import signals
from dangjian.learning.credit_rules import CreditRules, completion_hours, points_for
from dangjian.learning.defaults import ensure_default_rule
from dangjian.learning.models import (
    PAGED_KINDS,
    Course,
    CourseCompletion,
    CreditBracket,
    CreditRule,
    LessonProgress,
    PointEntry,
    PointRuleRow,
    QuizAttempt,
    RoleTarget,
)
from dangjian.learning.permissions import learner_station_id


def rule_in_force(on: date) -> tuple[CreditRule, CreditRules]:
    """The version of the credit rule in force on `on` (the default rule's rows are put back if a flushed
    test database lost them)."""
    row = (
        CreditRule.objects.filter(effective_from__lte=on)
        .prefetch_related("brackets", "role_targets", "point_rules")
        .order_by("-effective_from")
        .first()
    )
    if row is None:
        ensure_default_rule(CreditRule, CreditBracket, RoleTarget, PointRuleRow)
        row = CreditRule.objects.prefetch_related("brackets", "role_targets", "point_rules").earliest(
            "effective_from"
        )
    return row, row.ruleset()


def course_length(course: Course, rules: CreditRules) -> int:
    """A course's counted length: its videos' durations plus, for documents, e-books and rich text, the
    minimum reading time of their pages."""
    total = 0
    for lesson in course.lessons.all():
        if lesson.kind in PAGED_KINDS:
            total += lesson.page_count * rules.min_seconds_per_page
        else:
            total += lesson.duration_seconds
    return total


def station_for(user: Any, course: Course) -> int:
    """The station a learner's records belong to (the course's for someone without one, e.g. a platform
    admin trying a course)."""
    return learner_station_id(user) or course.station_id


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def award_points(
    *, user: Any, station_id: int, action: str, source: str, now: datetime, rules: CreditRules
) -> int:
    """Points for one action, within the day's cap and once per source; returns the points given. The
    caller holds the learner's progress or attempt lock, so one learner's awards are serialised."""
    day = local_day(now)
    with scopes_disabled():
        if PointEntry.objects.filter(user=user, action=action, source=source).exists():
            return 0
        today = PointEntry.objects.filter(user=user, action=action, day=day).aggregate(s=Sum("points"))["s"]
        points = points_for(rules, action, earned_today=int(today or 0))
        if points:
            PointEntry.objects.create(
                user=user, station_id=station_id, action=action, source=source, points=points, day=day, at=now
            )
    return points


def course_done(user: Any, course: Course) -> bool:
    """Every lesson completed and every quiz of the course passed."""
    with scopes_disabled():
        lessons = course.lessons.count()
        completed = LessonProgress.objects.filter(
            user=user, lesson__course=course, completed_at__isnull=False
        ).count()
        quizzes = set(course.quizzes.values_list("pk", flat=True))
        passed = set(
            QuizAttempt.objects.filter(user=user, quiz__course=course, passed=True).values_list(
                "quiz_id", flat=True
            )
        )
    return lessons > 0 and completed == lessons and quizzes <= passed


def exam_passed(user: Any, course: Course) -> bool:
    with scopes_disabled():
        return QuizAttempt.objects.filter(
            user=user, quiz__course=course, quiz__is_exam=True, passed=True
        ).exists()


def complete_course_if_done(*, user: Any, course: Course, now: datetime) -> CourseCompletion | None:
    """Record the course as completed (once) when it is done, with its hours under the rule in force
    today, the course points, the audit entry and, on commit, `course_completed`."""
    with scopes_disabled():
        if CourseCompletion.objects.filter(user=user, course=course).exists() or not course_done(
            user, course
        ):
            return None
        row, rules = rule_in_force(local_day(now))
        hours, bonus = completion_hours(
            rules, length_seconds=course_length(course, rules), exam_passed=exam_passed(user, course)
        )
        station_id = station_for(user, course)
        completion = CourseCompletion.objects.create(
            user=user,
            course=course,
            station_id=station_id,
            completed_at=now,
            year=local_day(now).year,
            course_hours=hours,
            exam_bonus=bonus,
            credit_hours=hours + bonus,
            rule=row,
        )
    award_points(
        user=user,
        station_id=station_id,
        action="course_completed",
        source=f"course:{course.pk}",
        now=now,
        rules=rules,
    )
    record_event(
        actor=user,
        action="learning.course.complete",
        target=course,
        station=course.station,
        data={"learner": user.pk, "credit_hours": str(completion.credit_hours)},
    )
    summary = signals.CompletionSummary(
        user_id=user.pk,
        course_id=course.pk,
        station_id=station_id,
        completed_at=now,
        year=completion.year,
        credit_hours=completion.credit_hours,
    )
    transaction.on_commit(
        lambda: signals.course_completed.send(sender=signals.CompletionSummary, summary=summary)
    )
    return completion
