"""Quizzes and exams (issue 11 §4): a random draw of the course's bank per attempt, a pass mark, a limited
number of attempts, a time limit, automatic grading, explanations after submission.

Grading is all or nothing per question: a multiple-choice answer with one right option missing, or one
wrong option added, is wrong. Fill-in answers match an accepted text after NFKC normalisation (full-width
letters and digits count as half-width), ignoring case and surrounding spaces.

A submission after the time limit (plus `GRACE` for the network) records the attempt as expired with no
score: the answers are not graded, and the attempt counts against the limit.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.learning.completion import (
    award_points,
    complete_course_if_done,
    local_day,
    rule_in_force,
    station_for,
)
from dangjian.learning.models import AttemptStatus, LessonProgress, Question, QuestionKind, Quiz, QuizAttempt

GRACE = timedelta(seconds=30)
_random = random.SystemRandom()


# ---------------------------------------------------------------- grading (pure)


def normalise_text(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value).split()).casefold()


def parse_answer(kind: str, value: Any, *, choices: int) -> Any:
    """The answer in its canonical form, or ValueError when it is not an answer to this kind of question
    (an option that does not exist, a text for a choice, …). `None` is no answer."""
    if value is None:
        return None
    if kind == QuestionKind.SINGLE:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < choices:
            raise ValueError
        return value
    if kind == QuestionKind.MULTIPLE:
        if not isinstance(value, list) or any(
            isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < choices for v in value
        ):
            raise ValueError
        return sorted(set(value))
    if kind == QuestionKind.TRUE_FALSE:
        if not isinstance(value, bool):
            raise ValueError
        return value
    if not isinstance(value, str) or len(value) > 200:
        raise ValueError
    return value.strip()


def is_correct(kind: str, key: Sequence[Any], given: Any) -> bool:
    if given is None:
        return False
    if kind == QuestionKind.SINGLE:
        return [given] == list(key)
    if kind == QuestionKind.MULTIPLE:
        return sorted(set(given)) == sorted(set(key))  # a partial answer is wrong
    if kind == QuestionKind.TRUE_FALSE:
        return [given] == list(key)
    return normalise_text(given) in {normalise_text(str(k)) for k in key}


@dataclass(frozen=True)
class Grade:
    score: int
    max_score: int
    correct: dict[int, bool]

    @property
    def percent(self) -> int:
        """Rounded half up to a whole percent."""
        return (self.score * 200 + self.max_score) // (2 * self.max_score) if self.max_score else 0


def grade(questions: Sequence[Question], answers: Mapping[int, Any]) -> Grade:
    correct = {q.pk: is_correct(q.kind, q.answer, answers.get(q.pk)) for q in questions}
    return Grade(
        score=sum(q.points for q in questions if correct[q.pk]),
        max_score=sum(q.points for q in questions),
        correct=correct,
    )


def parse_answers(questions: Sequence[Question], raw: Any) -> dict[int, Any]:
    """{question id: answer} from what a learner sent ({"12": 1, "13": [0, 2]}); an unknown question or a
    malformed answer is ValidationError naming the question by its number in the paper."""
    if not isinstance(raw, Mapping):
        raise ValidationError("答案格式不正确", code="bad_answer")
    by_id = {q.pk: (number, q) for number, q in enumerate(questions, start=1)}
    parsed: dict[int, Any] = {}
    for key, value in raw.items():
        question_id = int(key) if str(key).isdigit() else None
        if question_id not in by_id:
            raise ValidationError("答案中有不属于本次试卷的题目", code="bad_answer")
        number, question = by_id[question_id]
        try:
            parsed[question_id] = parse_answer(question.kind, value, choices=len(question.choices))
        except ValueError:
            raise ValidationError(f"第 {number} 题的答案格式不正确", code="bad_answer") from None
    return parsed


# ---------------------------------------------------------------- attempts


def bank_of(quiz: Quiz) -> list[int]:
    """The question ids a quiz draws from: its lesson's, or for a final exam the whole course's."""
    questions = Question.objects.filter(course_id=quiz.course_id)
    if quiz.lesson_id is not None:
        questions = questions.filter(lesson_id=quiz.lesson_id)
    return list(questions.order_by("id").values_list("pk", flat=True))


@transaction.atomic
def attempt_start(*, actor: Any, quiz: Quiz, now: datetime | None = None) -> QuizAttempt:
    """A new attempt with a fresh random draw, or the open one (resumed while its time lasts)."""
    now = now or timezone.now()
    course = quiz.course
    if not actor.has_perm("learning.study", course):
        raise PermissionDenied
    _require_lessons_done(actor, quiz)
    with scopes_disabled():
        attempts = list(
            QuizAttempt.objects.select_for_update().filter(quiz=quiz, user=actor).order_by("number")
        )
        for attempt in attempts:
            if attempt.status == AttemptStatus.OPEN:
                if not _is_late(attempt, now):
                    return attempt
                _expire(attempt, now)
        if any(a.passed for a in attempts):
            raise ValidationError("您已通过该测验，无需再次作答", code="already_passed")
        if len(attempts) >= quiz.max_attempts:
            raise ValidationError(
                f"该测验最多作答 {quiz.max_attempts} 次，您的次数已用完", code="attempts_used"
            )
        bank = bank_of(quiz)
        if len(bank) < quiz.draw_count:
            raise ValidationError("题库中的试题不足，暂不能作答", code="bank_too_small")
        number = (QuizAttempt.objects.filter(quiz=quiz, user=actor).aggregate(n=Max("number"))["n"] or 0) + 1
        limit = quiz.time_limit_minutes
        return QuizAttempt.objects.create(
            quiz=quiz,
            user=actor,
            station_id=station_for(actor, course),
            number=number,
            question_ids=_random.sample(bank, quiz.draw_count),
            started_at=now,
            deadline=now + timedelta(minutes=limit) if limit else None,
        )


@transaction.atomic
def attempt_submit(
    *, actor: Any, attempt: QuizAttempt, answers: Any, now: datetime | None = None
) -> QuizAttempt:
    """Grade the attempt; a late one is recorded as expired, ungraded. Passing may complete the course."""
    now = now or timezone.now()
    with scopes_disabled():
        attempt = (
            QuizAttempt.objects.select_for_update(of=("self",))
            .select_related("quiz__course")
            .get(pk=attempt.pk)
        )
        if attempt.user_id != actor.pk:
            raise PermissionDenied
        if attempt.status != AttemptStatus.OPEN:
            raise ValidationError("本次作答已经结束", code="attempt_closed")
        if _is_late(attempt, now):
            _expire(attempt, now)
            return attempt
        questions = paper_of(attempt)
        parsed = parse_answers(questions, answers)
        result = grade(questions, parsed)
        attempt.answers = {str(k): v for k, v in parsed.items()}
        attempt.score, attempt.max_score, attempt.percent = result.score, result.max_score, result.percent
        attempt.passed = result.percent >= attempt.quiz.pass_percent
        attempt.status, attempt.submitted_at = AttemptStatus.SUBMITTED, now
        attempt.save()
    if attempt.passed:
        _, rules = rule_in_force(local_day(now))
        course = attempt.quiz.course
        award_points(
            user=actor,
            station_id=attempt.station_id,
            action="quiz_passed",
            source=f"quiz:{attempt.quiz_id}",
            now=now,
            rules=rules,
        )
        complete_course_if_done(user=actor, course=course, now=now)
    return attempt


def expire_overdue_attempts(now: datetime | None = None) -> int:
    """Open attempts whose time ran out are closed as expired (the task; also done lazily on start)."""
    now = now or timezone.now()
    with scopes_disabled():
        return QuizAttempt.objects.filter(status=AttemptStatus.OPEN, deadline__lt=now - GRACE).update(
            status=AttemptStatus.EXPIRED, submitted_at=now
        )


def paper_of(attempt: QuizAttempt) -> list[Question]:
    """The attempt's questions in the order drawn."""
    by_id = Question.objects.in_bulk(attempt.question_ids)
    return [by_id[pk] for pk in attempt.question_ids if pk in by_id]


@dataclass(frozen=True)
class ReviewedQuestion:
    number: int
    question: Question
    given: Any
    correct: bool


def attempt_review(attempt: QuizAttempt) -> list[ReviewedQuestion]:
    """After submission: each question with the learner's answer, whether it was right, and (on the
    question) the right answer and the explanation. Before: nothing — the key stays hidden."""
    if attempt.status == AttemptStatus.OPEN:
        return []
    given = {int(k): v for k, v in attempt.answers.items()}
    return [
        ReviewedQuestion(n, q, given.get(q.pk), is_correct(q.kind, q.answer, given.get(q.pk)))
        for n, q in enumerate(paper_of(attempt), start=1)
    ]


def _is_late(attempt: QuizAttempt, now: datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + GRACE


def _expire(attempt: QuizAttempt, now: datetime) -> None:
    attempt.status, attempt.submitted_at = AttemptStatus.EXPIRED, now
    attempt.score = attempt.percent = 0
    attempt.passed = False
    attempt.save()


def _require_lessons_done(actor: Any, quiz: Quiz) -> None:
    """A lesson's quiz opens once the lesson is learnt; a final exam once every lesson is."""
    lessons = [quiz.lesson_id] if quiz.lesson_id else list(quiz.course.lessons.values_list("pk", flat=True))
    with scopes_disabled():
        done = LessonProgress.objects.filter(
            user=actor, lesson_id__in=lessons, completed_at__isnull=False
        ).count()
    if done < len(lessons):
        raise ValidationError("请先学完相关课时再参加测验", code="lessons_first")
