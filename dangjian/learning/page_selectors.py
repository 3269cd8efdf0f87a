"""Reads the learning pages need beyond the domain's selectors: the catalogue, one learner's outline of a
course (each lesson's progress and lock, the quizzes and whether they are passed), and the staff lists.
Every function asks a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django_scopes import scopes_disabled

from dangjian.accounts import permissions as visibility
from dangjian.accounts.models import Role
from dangjian.core.workflow import ReviewStatus
from dangjian.learning.models import (
    AttemptStatus,
    Course,
    CourseCompletion,
    Lesson,
    LessonProgress,
    Quiz,
    QuizAttempt,
)
from dangjian.learning.selectors import AUTHOR_ROLES, visible_courses


def catalogue(*, category: str = "", query: str = "") -> QuerySet[Course]:
    """Published courses (1+N: one row each, for every station), newest first, with their lesson count."""
    courses = Course.objects.filter(status=ReviewStatus.PUBLISHED).select_related("station")
    if category:
        courses = courses.filter(category=category)
    if query:
        courses = courses.filter(Q(title__icontains=query) | Q(description__icontains=query))
    return courses.annotate(lesson_count=Count("lessons")).order_by("-published_at", "-id")


@dataclass
class LessonState:
    lesson: Lesson
    progress: LessonProgress | None
    locked: bool
    quiz: Quiz | None = None
    quiz_passed: bool = False

    @property
    def completed(self) -> bool:
        return bool(self.progress and self.progress.completed_at)

    @property
    def percent(self) -> int:
        """How far the learner is: covered seconds of a video, pages read enough of a document."""
        progress, lesson = self.progress, self.lesson
        if progress is None:
            return 0
        if progress.completed_at:
            return 100
        if lesson.is_video:
            return min(99, int(progress.covered_seconds * 100 / max(lesson.duration_seconds, 1)))
        return min(99, int(len(progress.page_seconds) * 100 / max(lesson.page_count, 1)))


@dataclass
class Outline:
    course: Course
    lessons: list[LessonState]
    exam: Quiz | None
    exam_passed: bool
    completion: CourseCompletion | None
    attempts: dict[int, list[QuizAttempt]] = field(default_factory=dict)

    @property
    def lessons_done(self) -> int:
        return sum(1 for state in self.lessons if state.completed)

    @property
    def all_lessons_done(self) -> bool:
        return bool(self.lessons) and self.lessons_done == len(self.lessons)


def outline(*, user: Any, course: Course) -> Outline:
    """The course as one learner sees it (five queries)."""
    lessons = list(course.lessons.prefetch_related("prerequisites").order_by("position"))
    quizzes = list(course.quizzes.all())
    with scopes_disabled():  # the learner's own rows, by user
        progress = {
            p.lesson_id: p for p in LessonProgress.objects.filter(user_id=user.pk, lesson__course=course)
        }
        attempts: dict[int, list[QuizAttempt]] = {}
        for attempt in QuizAttempt.objects.filter(user_id=user.pk, quiz__course=course).order_by("number"):
            attempts.setdefault(attempt.quiz_id, []).append(attempt)
        completion = CourseCompletion.objects.filter(user_id=user.pk, course=course).first()
    done = {pk for pk, p in progress.items() if p.completed_at}
    passed = {quiz_id for quiz_id, rows in attempts.items() if any(a.passed for a in rows)}
    by_lesson = {q.lesson_id: q for q in quizzes if q.lesson_id}
    exam = next((q for q in quizzes if q.lesson_id is None), None)
    states = [
        LessonState(
            lesson=lesson,
            progress=progress.get(lesson.pk),
            locked=any(p.pk not in done for p in lesson.prerequisites.all()),
            quiz=by_lesson.get(lesson.pk),
            quiz_passed=by_lesson.get(lesson.pk) is not None and by_lesson[lesson.pk].pk in passed,
        )
        for lesson in lessons
    ]
    return Outline(course, states, exam, exam is not None and exam.pk in passed, completion, attempts)


def attempts_of(*, user: Any, quiz: Quiz) -> list[QuizAttempt]:
    with scopes_disabled():  # the learner's own rows, by user
        return list(QuizAttempt.objects.filter(user_id=user.pk, quiz=quiz).order_by("number"))


def attempts_left(quiz: Quiz, attempts: list[QuizAttempt]) -> int:
    used = sum(1 for a in attempts if a.status != AttemptStatus.OPEN)
    return max(0, quiz.max_attempts - used)


# ---------------------------------------------------------------- staff


def managed_courses(user: Any) -> QuerySet[Course]:
    """Every course the user writes or reviews (any state), with lesson and question counts."""
    kept = visibility.station_rows_q(user, (*AUTHOR_ROLES, Role.INSTRUCTOR))
    courses = Course.objects.all() if not kept else Course.objects.filter(kept)
    return (
        courses.select_related("station", "author")
        .annotate(
            lesson_count=Count("lessons", distinct=True), question_count=Count("questions", distinct=True)
        )
        .order_by("-updated_at", "-id")
    )


def awaiting_review(user: Any) -> list[Course]:
    """Submitted courses this user may approve or return (an instructor of the course's station, not its
    author)."""
    stations = visibility.instructor_station_ids(user)
    if not stations:
        return []
    rows = (
        visible_courses(user)
        .filter(status=ReviewStatus.SUBMITTED, station_id__in=stations)
        .exclude(Q(author_id=user.pk) | Q(submitted_by_id=user.pk))
        .select_related("station")
        .order_by("submitted_at")
    )
    return list(rows[:50])
