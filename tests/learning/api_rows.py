"""Access-matrix rows of the learning API (`/api/v1/learning/…`), merged into `ROWS` by
tests/learning/access_rows.py, whose `prepare` calls `prepare_api`.

The objects belong to branch A: a published course (a 60 s video, a 2-page document and a final exam of two
questions) written by A's worker and approved by A's instructor. The matrix member has learnt both
lessons and holds an open attempt of the exam. A published course is one row every station studies (1+N):
everyone signed in reads it, opens its lessons and sends heartbeats (their own progress); the exam opens
only to those who have learnt the lessons (the others: 400 `lessons_first`); an attempt is its learner's
(others meet it as missing).
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from tests.access import Row, everyone, statuses

SIGNED_IN = statuses(401, 200, 200, 200, 200, 200)
MEMBERS_OWN = statuses(401, 404, 200, 404, 404, 404)
# the member has learnt the lessons (their open attempt is resumed); the others have not
EXAM_START = statuses(401, 400, 201, 400, 400, 400)


def prepare_api(world: Any) -> None:
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from dangjian.accounts.models import Role
    from dangjian.learning.models import LessonProgress
    from dangjian.learning.quizzes import attempt_start
    from tests import factories as f
    from tests.learning.builders import add_exam, draft_course, publish

    instructor = f.UserFactory(username="matrix_learning_instructor", home_station=world.a)
    f.grant(instructor, Role.INSTRUCTOR, world.a)
    authors = SimpleNamespace(a=world.a, worker_a=world.worker_a, instructor_a=instructor)
    built = draft_course(authors, title="学习贯彻党的二十届三中全会精神", video_seconds=60, pages=2)
    add_exam(authors, built, draw=2, attempts=3, minutes=None)
    publish(authors, built)
    now = timezone.now()
    with scopes_disabled():
        for lesson in (built.video, built.document):
            LessonProgress.objects.create(
                user=world.member, lesson=lesson, station=world.a, clock_at=now, completed_at=now
            )
    world.learning_course, world.learning_video = built.course, built.video
    world.learning_exam = built.quiz
    world.learning_attempt = attempt_start(actor=world.member, quiz=built.quiz)


def _pk(attr: str, name: str) -> Callable[[Any], dict[str, Any]]:
    return lambda w: {name: getattr(w, attr).pk}


def _post(
    kwargs: Callable[[Any], dict[str, Any]],
    post: dict[str, int],
    body: Callable[[Any], dict[str, Any]] = lambda w: {},
) -> Row:
    return Row(get=everyone(405), post=post, kwargs=kwargs, post_data=body, json=True)


def heartbeat_body(w: Any) -> dict[str, Any]:
    return {"segments": [[0, 10]], "position": 10}


def answers_body(w: Any) -> dict[str, Any]:
    return {"answers": {}}


API_ROWS: dict[str, Row] = {
    "api:learning_course_list": Row(get=SIGNED_IN, post=everyone(405)),
    "api:learning_course_detail": Row(
        get=SIGNED_IN, post=everyone(405), kwargs=_pk("learning_course", "course_id")
    ),
    "api:learning_my_courses": Row(get=SIGNED_IN, post=everyone(405)),
    "api:learning_my_year": Row(get=SIGNED_IN, post=everyone(405)),
    "api:learning_lesson_open": _post(_pk("learning_video", "lesson_id"), SIGNED_IN),
    "api:learning_heartbeat": _post(_pk("learning_video", "lesson_id"), SIGNED_IN, heartbeat_body),
    "api:learning_attempt_start": _post(_pk("learning_exam", "quiz_id"), EXAM_START),
    "api:learning_attempt_detail": Row(
        get=MEMBERS_OWN, post=everyone(405), kwargs=_pk("learning_attempt", "attempt_id")
    ),
    "api:learning_attempt_submit": _post(_pk("learning_attempt", "attempt_id"), MEMBERS_OWN, answers_body),
}
