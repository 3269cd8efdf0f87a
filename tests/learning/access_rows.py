"""Access-matrix rows of remote learning. Objects belong to branch A: a published course (a 600 s video,
a 3-page document and a final exam) written by A's worker and approved by A's instructor, which the member
has finished (so the member owns a submitted attempt)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from dangjian.accounts.models import Role
from dangjian.learning.assignments import assignment_create
from tests.access import (
    ADMIN_LIST_POST,
    ADMIN_PAGE,
    HQ_ONLY_PAGE,
    LOGGED_IN_PAGE,
    Row,
    everyone,
    statuses,
)
from tests.factories import UserFactory, grant
from tests.learning.builders import add_exam, draft_course, finish, publish

GET_ONLY = statuses(302, 405, 405, 405, 405, 405)
OWN_ATTEMPT = statuses(302, 404, 200, 404, 404, 404)
SIGNED_IN_JSON = statuses(302, 200, 200, 200, 200, 200)
BAD_JSON = statuses(302, 400, 400, 400, 400, 400)
# management pages of one course or assignment of A: A's and HQ's admins; B's admin 404, no role 403
KEPT_GET = statuses(302, 403, 403, 404, 200, 200)
KEPT_FORM_POST = statuses(302, 403, 403, 404, 400, 400)  # an empty form is refused
ADMIN_FORM_POST = statuses(302, 403, 403, 400, 400, 400)


def prepare(world: Any) -> None:
    world.instructor_a = UserFactory(username="matrix_learning_instructor_a")
    grant(world.instructor_a, Role.INSTRUCTOR, world.a)
    built = draft_course(world)
    add_exam(world, built)
    world.learning = publish(world, built)
    finish(world.member, world.learning, start=0)
    from django_scopes import scopes_disabled

    from dangjian.learning.models import QuizAttempt

    with scopes_disabled():
        world.learning_page_attempt = QuizAttempt.objects.get(user=world.member, quiz=built.quiz)
    world.learning_draft = draft_course(world, title="草稿课程").course
    world.learning_assignment = assignment_create(
        actor=world.own_admin,
        course=world.learning.course,
        deadline=date.today() + timedelta(days=30),
        station=world.a,
        organizations=[world.org_a],
    )


def _course(w: Any) -> dict[str, Any]:
    return {"pk": w.learning.course.pk}


def _draft(w: Any) -> dict[str, Any]:
    return {"pk": w.learning_draft.pk}


def _video(w: Any) -> dict[str, Any]:
    return {"pk": w.learning.video.pk}


ROWS: dict[str, Row] = {
    "learning:catalogue": Row(get=LOGGED_IN_PAGE, post=GET_ONLY),
    "learning:catalogue [filtered]": Row(
        get=LOGGED_IN_PAGE, post=GET_ONLY, query="?category=theory&q=二十大"
    ),
    "learning:my_courses": Row(get=LOGGED_IN_PAGE, post=GET_ONLY),
    "learning:leaderboard": Row(get=LOGGED_IN_PAGE, post=GET_ONLY),
    "learning:leaderboard [organization]": Row(
        get=LOGGED_IN_PAGE, post=GET_ONLY, query="?board=organization"
    ),
    "learning:course": Row(get=LOGGED_IN_PAGE, post=GET_ONLY, kwargs=_course),
    "learning:lesson": Row(get=LOGGED_IN_PAGE, post=GET_ONLY, kwargs=_video),
    "learning:lesson [document]": Row(
        get=LOGGED_IN_PAGE, post=GET_ONLY, kwargs=lambda w: {"pk": w.learning.document.pk}
    ),
    "learning:lesson_media": Row(get=LOGGED_IN_PAGE, post=GET_ONLY, kwargs=_video),
    "learning:heartbeat": Row(
        get=GET_ONLY, post=SIGNED_IN_JSON, kwargs=_video, json=True, post_data=lambda w: {"position": 5}
    ),
    "learning:heartbeat [bad]": Row(
        get=GET_ONLY, post=BAD_JSON, kwargs=_video, json=True, post_data=lambda w: {"segments": [[9, 1]]}
    ),
    # starting an attempt: the member has passed already, the others have not learnt the lessons; both
    # are told so on the quiz page
    "learning:quiz": Row(get=LOGGED_IN_PAGE, post=everyone(302), kwargs=lambda w: {"pk": w.learning.quiz.pk}),
    "learning:attempt": Row(
        get=OWN_ATTEMPT, post=OWN_ATTEMPT, kwargs=lambda w: {"pk": w.learning_page_attempt.pk}
    ),
    # staff
    "learning:manage": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "learning:course_create": Row(get=ADMIN_PAGE, post=ADMIN_FORM_POST),
    "learning:assignments": Row(get=ADMIN_PAGE, post=ADMIN_LIST_POST),
    "learning:assign": Row(get=ADMIN_PAGE, post=ADMIN_FORM_POST),
    "learning:assignment": Row(
        get=KEPT_GET, post=ADMIN_LIST_POST, kwargs=lambda w: {"pk": w.learning_assignment.pk}
    ),
    "learning:training": Row(get=HQ_ONLY_PAGE, post=ADMIN_LIST_POST),
    "learning:manage_course": Row(get=KEPT_GET, post=ADMIN_LIST_POST, kwargs=_course),
    "learning:manage_course [draft]": Row(get=KEPT_GET, post=ADMIN_LIST_POST, kwargs=_draft),
    "learning:course_edit": Row(get=KEPT_GET, post=KEPT_FORM_POST, kwargs=_draft),
    "learning:lesson_add": Row(get=KEPT_GET, post=KEPT_FORM_POST, kwargs=_draft),
    "learning:question_add": Row(get=KEPT_GET, post=KEPT_FORM_POST, kwargs=_draft),
    "learning:quiz_add": Row(get=KEPT_GET, post=KEPT_FORM_POST, kwargs=_draft),
    "learning:course_action": Row(
        get=ADMIN_LIST_POST,
        post=statuses(302, 403, 403, 404, 302, 302),
        kwargs=lambda w: {**_draft(w), "action": "submit"},
    ),
}


# ---------------------------------------------------------------- the learning API (tests/learning/api_rows.py)
# Appended: `prepare` also makes the API rows' objects (their own course, the member's open attempt).
_prepare_before_api = prepare


def prepare(world: Any) -> None:
    from tests.learning.api_rows import prepare_api

    _prepare_before_api(world)
    prepare_api(world)


def _api_rows() -> dict[str, Row]:
    from tests.learning.api_rows import API_ROWS

    return API_ROWS


ROWS.update(_api_rows())
