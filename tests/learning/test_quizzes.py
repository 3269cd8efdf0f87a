"""Quizzes and exams (issue 11 §4, acceptance): partial multiple-choice answers are wrong, attempts are
limited, the time limit holds, the pass mark decides, explanations only after submission; a passed exam
completes the course and adds the exam bonus."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scopes_disabled

from dangjian.learning.models import AttemptStatus, CourseCompletion, Question, QuestionKind
from dangjian.learning.progress import heartbeat, lesson_open
from dangjian.learning.quizzes import (
    attempt_review,
    attempt_start,
    attempt_submit,
    expire_overdue_attempts,
    grade,
    is_correct,
)
from tests.learning.builders import add_exam, at, draft_course, publish

pytestmark = pytest.mark.django_db


def test_a_partial_or_padded_multiple_choice_answer_is_wrong() -> None:
    key = [0, 1, 3]
    assert is_correct(QuestionKind.MULTIPLE, key, [3, 1, 0])
    assert not is_correct(QuestionKind.MULTIPLE, key, [0, 1])  # one right option missing
    assert not is_correct(QuestionKind.MULTIPLE, key, [0, 1, 2, 3])  # one wrong option added
    assert not is_correct(QuestionKind.MULTIPLE, key, None)


def test_fill_in_answers_ignore_width_case_and_spaces() -> None:
    assert is_correct(QuestionKind.FILL, ["共产主义"], " 共产主义 ")
    assert is_correct(QuestionKind.FILL, ["GDP"], "ｇｄｐ")
    assert not is_correct(QuestionKind.FILL, ["共产主义"], "社会主义")


def test_points_and_percent_are_all_or_nothing_per_question() -> None:
    q1 = Question(pk=1, kind=QuestionKind.SINGLE, answer=[0], points=2)
    q2 = Question(pk=2, kind=QuestionKind.MULTIPLE, answer=[0, 1], points=1)
    q3 = Question(pk=3, kind=QuestionKind.TRUE_FALSE, answer=[False], points=1)
    result = grade([q1, q2, q3], {1: 0, 2: [0], 3: False})
    assert (result.score, result.max_score, result.percent) == (3, 4, 75)


@pytest.fixture
def exam(lw):
    built = draft_course(lw)
    add_exam(lw, built, draw=4, pass_percent=75, attempts=2, minutes=20)
    publish(lw, built)
    lesson_open(actor=lw.member, lesson=built.video, now=at(0))
    for n in range(1, 61):
        heartbeat(actor=lw.member, lesson=built.video, segments=[[(n - 1) * 10, n * 10]], now=at(n * 10))
    lesson_open(actor=lw.member, lesson=built.document, now=at(700))
    for page in (1, 2, 3):
        heartbeat(actor=lw.member, lesson=built.document, page=page, now=at(700 + 10 * page))
    return built


def answers(attempt, *, right: set[str]) -> dict[str, object]:
    """Right answers for the question kinds in `right`, a partial or wrong one for the others."""
    given: dict[str, object] = {}
    for question in Question.objects.filter(pk__in=attempt.question_ids):
        if question.kind == QuestionKind.MULTIPLE:
            value: object = question.answer if "multiple" in right else question.answer[:2]
        elif question.kind == QuestionKind.FILL:
            value = question.answer[0] if "fill" in right else "不知道"
        elif question.kind == QuestionKind.TRUE_FALSE:
            value = question.answer[0] if "true_false" in right else not question.answer[0]
        else:
            value = question.answer[0] if "single" in right else 1
        given[str(question.pk)] = value
    return given


ALL = {"single", "multiple", "true_false", "fill"}


def test_the_pass_mark_decides_and_passing_completes_the_course_with_the_bonus(lw, exam) -> None:
    first = attempt_start(actor=lw.member, quiz=exam.quiz, now=at(800))
    assert sorted(first.question_ids) == sorted(
        Question.objects.filter(course=exam.course).values_list("pk", flat=True)
    )
    first = attempt_submit(
        actor=lw.member, attempt=first, answers=answers(first, right=ALL - {"multiple"}), now=at(900)
    )
    assert (first.score, first.percent, first.passed) == (3, 75, True)  # 75 is the pass mark
    with scopes_disabled():
        completion = CourseCompletion.objects.get(user=lw.member, course=exam.course)
    assert (completion.course_hours, completion.exam_bonus, completion.credit_hours) == (
        Decimal("0.25"),
        Decimal("0.50"),
        Decimal("0.75"),
    )


def test_below_the_pass_mark_fails_and_the_attempts_are_limited(lw, exam) -> None:
    for n in (1, 2):
        attempt = attempt_start(actor=lw.member, quiz=exam.quiz, now=at(800 * n))
        attempt = attempt_submit(
            actor=lw.member,
            attempt=attempt,
            answers=answers(attempt, right={"single", "fill"}),
            now=at(800 * n + 60),
        )
        assert (attempt.number, attempt.percent, attempt.passed) == (n, 50, False)
    with pytest.raises(ValidationError) as refused:
        attempt_start(actor=lw.member, quiz=exam.quiz, now=at(3000))
    assert refused.value.code == "attempts_used"
    with scopes_disabled():
        assert not CourseCompletion.objects.filter(user=lw.member).exists()


def test_an_open_attempt_is_resumed_not_drawn_again(lw, exam) -> None:
    first = attempt_start(actor=lw.member, quiz=exam.quiz, now=at(800))
    assert attempt_start(actor=lw.member, quiz=exam.quiz, now=at(860)).pk == first.pk


def test_a_submission_after_the_time_limit_is_expired_and_counts(lw, exam) -> None:
    attempt = attempt_start(actor=lw.member, quiz=exam.quiz, now=at(800))
    assert attempt.deadline == at(800) + timedelta(minutes=20)
    late = attempt_submit(
        actor=lw.member, attempt=attempt, answers=answers(attempt, right=ALL), now=at(800 + 21 * 60)
    )
    assert (late.status, late.score, late.passed) == (AttemptStatus.EXPIRED, 0, False)
    second = attempt_start(actor=lw.member, quiz=exam.quiz, now=at(3000))
    assert second.number == 2


def test_within_the_grace_of_the_network_a_submission_still_counts(lw, exam) -> None:
    attempt = attempt_start(actor=lw.member, quiz=exam.quiz, now=at(800))
    done = attempt_submit(
        actor=lw.member, attempt=attempt, answers=answers(attempt, right=ALL), now=at(800 + 20 * 60 + 20)
    )
    assert done.passed


def test_the_task_closes_attempts_whose_time_ran_out(lw, exam) -> None:
    attempt = attempt_start(actor=lw.member, quiz=exam.quiz, now=at(800))
    assert expire_overdue_attempts(now=at(800 + 19 * 60)) == 0
    assert expire_overdue_attempts(now=at(800 + 21 * 60)) == 1
    with scopes_disabled():
        attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.EXPIRED
    with pytest.raises(ValidationError) as refused:
        attempt_submit(actor=lw.member, attempt=attempt, answers={}, now=at(800 + 22 * 60))
    assert refused.value.code == "attempt_closed"


def test_explanations_and_the_key_only_after_submission(lw, exam) -> None:
    attempt = attempt_start(actor=lw.member, quiz=exam.quiz, now=at(800))
    assert attempt_review(attempt) == []
    attempt = attempt_submit(
        actor=lw.member, attempt=attempt, answers=answers(attempt, right=ALL - {"multiple"}), now=at(900)
    )
    review = {r.question.kind: r for r in attempt_review(attempt)}
    assert review["multiple"].correct is False and review["multiple"].question.explanation == "还有核心意识。"
    assert review["single"].correct is True


def test_a_quiz_waits_for_the_lessons_and_another_person_cannot_submit(lw) -> None:
    built = draft_course(lw)
    add_exam(lw, built)
    publish(lw, built)
    with pytest.raises(ValidationError) as refused:
        attempt_start(actor=lw.member2, quiz=built.quiz, now=at(0))
    assert refused.value.code == "lessons_first"


def test_someone_else_cannot_submit_my_attempt(lw, exam) -> None:
    attempt = attempt_start(actor=lw.member, quiz=exam.quiz, now=at(800))
    with pytest.raises(PermissionDenied):
        attempt_submit(actor=lw.member2, attempt=attempt, answers={}, now=at(820))


@pytest.mark.parametrize(
    "bad",
    ["答案", {"999999": 0}, {"x": 0}, "single:9", "single:text", "multiple:1", "true_false:yes", "fill:7"],
)
def test_malformed_answers_are_refused_and_the_attempt_stays_open(lw, exam, bad) -> None:
    attempt = attempt_start(actor=lw.member, quiz=exam.quiz, now=at(800))
    if isinstance(bad, str) and ":" in bad:
        kind, value = bad.split(":")
        question = Question.objects.get(course=exam.course, kind=kind)
        parsed = {"9": 9, "text": "甲", "1": 1, "yes": "yes", "7": 7}[value]
        bad = {str(question.pk): parsed}
    with pytest.raises(ValidationError) as refused:
        attempt_submit(actor=lw.member, attempt=attempt, answers=bad, now=at(900))
    assert refused.value.code == "bad_answer"
    with scopes_disabled():
        attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.OPEN
