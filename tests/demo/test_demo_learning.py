"""The demo's remote learning (issue 11 item 9): a dozen published courses of every lesson kind with files
the server can measure, question banks and exams, assignments from HQ and an organisation with deadlines,
instructor training for every instructor, and a year of learning whose 学时 match the completions."""

from __future__ import annotations

import io
import time
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django_scopes import scopes_disabled

from dangjian.accounts.models import Role, User
from dangjian.accounts.permissions import role_holders
from dangjian.core.uploads import check_upload
from dangjian.core.workflow import ReviewStatus
from dangjian.learning.media import mp4_duration
from dangjian.learning.models import (
    Assignment,
    AssignmentKind,
    AssignmentLearner,
    Course,
    CourseCompletion,
    Lesson,
    LessonKind,
    LessonProgress,
    QuizAttempt,
)
from dangjian.learning.quizzes import is_correct
from dangjian.learning.selectors import my_assignments, training_record, year_summary

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeded() -> float:
    started = time.monotonic()
    call_command("seed_demo", "--i-know-this-is-not-production", stdout=io.StringIO())
    return time.monotonic() - started


def test_a_dozen_published_courses_of_every_lesson_kind_with_real_files(seeded: float) -> None:
    courses = list(Course.objects.all())
    assert len(courses) == 12
    assert {c.status for c in courses} == {ReviewStatus.PUBLISHED}
    assert {c.station.kind for c in courses} == {"hq", "branch"}
    assert all(c.credit_hours > 0 and c.length_seconds > 0 for c in courses)
    lessons = list(Lesson.objects.all())
    assert {lesson.kind for lesson in lessons} == set(LessonKind.values)
    for lesson in lessons:
        if lesson.kind == LessonKind.RICHTEXT:
            assert lesson.body.strip()
            continue
        with lesson.media.open("rb") as stored:
            checked = check_upload(stored)
            assert checked.content_type == lesson.media_type or checked.kind.value in lesson.media_type
            if lesson.kind == LessonKind.VIDEO:
                assert round(mp4_duration(stored) or 0) == lesson.duration_seconds
    for course in courses:
        assert course.questions.count() >= 5
        for quiz in course.quizzes.all():
            assert quiz.draw_count <= course.questions.count()


def test_assignments_from_hq_and_an_organisation_and_instructor_training(seeded: float) -> None:
    required = Assignment.objects.filter(kind=AssignmentKind.REQUIRED)
    assert {a.station.kind for a in required} == {"hq", "branch"}
    assert required.filter(organization__isnull=False).exists()  # the demo secretary's organisation
    training = Assignment.objects.filter(kind=AssignmentKind.TRAINING)
    assert training.count() == 2
    instructors = set(role_holders(Role.INSTRUCTOR).values_list("pk", flat=True))
    with scopes_disabled():
        for assignment in training:
            assert (
                set(AssignmentLearner.objects.filter(assignment=assignment).values_list("user_id", flat=True))
                == instructors
            )
    instructor = User.objects.get(username="instructor")
    admin = User.objects.get(username="admin")
    record = training_record(user=admin, instructor=instructor)
    assert len(record) == 2 and all(entry.completed_at is not None for entry in record)
    others = [training_record(user=admin, instructor=u) for u in User.objects.filter(pk__in=instructors)]
    assert any(all(e.completed_at is None for e in r) for r in others)  # some have not trained yet


def test_a_year_of_learning_whose_hours_match_the_completions(seeded: float) -> None:
    member = User.objects.get(username="member")
    summary = year_summary(member)
    with scopes_disabled():
        completions = CourseCompletion.objects.filter(user=member, year=summary.year)
        assert summary.hours == completions.aggregate(h=Sum("credit_hours"))["h"]
        assert summary.courses >= 4 and summary.points > 0
        assert summary.hours < summary.target  # behind the yearly target
        half_done = LessonProgress.objects.filter(user=member, completed_at__isnull=True).first()
        assert half_done is not None and half_done.position > 0  # resumes where they stopped
        for completion in CourseCompletion.objects.select_related("course")[:50]:
            lessons = completion.course.lessons.count()
            done = LessonProgress.objects.filter(
                user_id=completion.user_id, lesson__course=completion.course, completed_at__isnull=False
            ).count()
            assert done == lessons
        for attempt in QuizAttempt.objects.all()[:50]:
            questions = {q.pk: q for q in attempt.quiz.course.questions.all()}
            assert all(
                is_correct(questions[int(k)].kind, questions[int(k)].answer, v)
                for k, v in attempt.answers.items()
            )
        learners = CourseCompletion.objects.values("user_id").distinct().count()
    assert learners >= 20
    open_ones = my_assignments(member)
    assert open_ones and all(not row.done for row in open_ones)  # the course ahead, begun, not finished
    assert Decimal("0") < summary.hours


def test_a_second_run_adds_no_learning_and_the_seed_stays_quick(seeded: float) -> None:
    with scopes_disabled():
        before = (Course.objects.count(), LessonProgress.objects.count(), CourseCompletion.objects.count())
    call_command("seed_demo", "--i-know-this-is-not-production", stdout=io.StringIO())
    with scopes_disabled():
        assert (
            Course.objects.count(),
            LessonProgress.objects.count(),
            CourseCompletion.objects.count(),
        ) == before
