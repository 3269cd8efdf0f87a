"""JSON API of remote learning (`/api/v1/learning/…`): the catalogue with filters and 1+N visibility, a
course's detail with the caller's progress, heartbeats judged by the server's clock (a skip to the end
does not complete, honest play does and credits the 学时), quizzes (no key before submission, partial
multiple choice wrong, attempt limits, explanations after), my courses and my year; refusals keep the
services' codes, bad input answers 4xx in Chinese, lists run a constant number of queries."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import F
from django.test import Client
from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.learning import assignments, services
from dangjian.learning.models import Category, LessonKind, LessonProgress, Question
from tests.learning.builders import add_exam, draft_course, publish
from tests.queries import get_query_count

pytestmark = pytest.mark.django_db

API = "/api/v1/learning"


def post(client: Client, path: str, body: Any = None) -> Any:
    return client.post(f"{API}{path}", body if body is not None else {}, content_type="application/json")


def signed_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def code_of(response: Any) -> tuple[int, str]:
    return response.status_code, response.json().get("code", "")


def age(user: Any, lesson: Any, seconds: float = 30) -> None:
    """Let `seconds` of wall time pass for the learner's progress clock (what the server pays for)."""
    with scopes_disabled():
        LessonProgress.objects.filter(user=user, lesson=lesson).update(
            clock_at=F("clock_at") - timedelta(seconds=seconds)
        )


def play(client: Client, user: Any, lesson: Any, *, until: int, step: int = 30) -> Any:
    """Play a video honestly from 0 to `until`, one beat per `step` seconds of wall time."""
    post(client, f"/lessons/{lesson.pk}/open")
    response = None
    for start in range(0, until, step):
        age(user, lesson, step)
        end = min(start + step, until)
        response = post(
            client, f"/lessons/{lesson.pk}/heartbeat", {"segments": [[start, end]], "position": end}
        )
        assert response.status_code == 200, response.content
    return response


def read(client: Client, user: Any, lesson: Any) -> Any:
    post(client, f"/lessons/{lesson.pk}/open")
    response = None
    for page in range(1, lesson.page_count + 1):
        age(user, lesson, 10)
        response = post(client, f"/lessons/{lesson.pk}/heartbeat", {"page": page})
        assert response.status_code == 200, response.content
    return response


@pytest.fixture
def examined(lw):
    """A published course of A: a 120 s video, a 2-page document and a final exam (2 of 4 questions)."""
    built = draft_course(lw, video_seconds=120, pages=2)
    add_exam(lw, built, draw=4, attempts=2, minutes=None)
    return publish(lw, built)


# ---------------------------------------------------------------- catalogue


def test_the_catalogue_lists_published_courses_of_every_station_with_filters(lw, course, client) -> None:
    draft = draft_course(lw, title="党费收缴规范（草稿）")
    other = services.course_create(actor=lw.worker_a, station=lw.a, title="楼宇党建案例", category="practice")
    signed_in(client, lw.member_b)  # a member of B: A's published course is theirs to study too (1+N)

    items = client.get(f"{API}/courses").json()["items"]

    assert [c["title"] for c in items] == ["学习贯彻党的二十大精神"]
    assert items[0]["station"]["name"] == "万达广场分站"
    assert items[0]["lesson_count"] == 2 and items[0]["category_label"] == "理论学习"
    assert client.get(f"{API}/courses?category=practice").json()["count"] == 0
    assert client.get(f"{API}/courses?q=二十大").json()["count"] == 1
    assert client.get(f"{API}/courses?station={lw.b.pk}").json()["count"] == 0
    assert draft.course.pk and other.pk  # drafts stay out of the catalogue, even for their station


def test_anonymous_callers_are_asked_to_sign_in(course, client) -> None:
    assert code_of(client.get(f"{API}/courses")) == (401, "not_authenticated")
    assert code_of(post(client, f"/lessons/{course.video.pk}/heartbeat", {})) == (401, "not_authenticated")


def test_the_detail_has_lessons_quizzes_and_the_callers_progress(lw, examined, client) -> None:
    signed_in(client, lw.member)
    play(client, lw.member, examined.video, until=60)

    body = client.get(f"{API}/courses/{examined.course.pk}").json()

    video, document = body["lessons"]
    assert (video["kind"], video["duration_seconds"], document["page_count"]) == ("video", 120, 2)
    assert video["mine"]["covered_seconds"] == 60 and video["mine"]["position"] == 60
    assert video["mine"]["completed"] is False and document["mine"] is None
    [exam] = body["quizzes"]
    assert exam["is_exam"] and exam["draw_count"] == 4 and exam["attempts_used"] == 0 and not exam["passed"]
    assert body["completed_at"] is None


def test_a_draft_is_missing_to_learners_and_other_stations(lw, client) -> None:
    draft = draft_course(lw)
    for user in (lw.member, lw.member_b, lw.other_admin):
        signed_in(client, user)
        assert code_of(client.get(f"{API}/courses/{draft.course.pk}")) == (404, "not_found")
    signed_in(client, lw.worker_a)  # its author sees it but cannot study a draft
    assert client.get(f"{API}/courses/{draft.course.pk}").status_code == 200
    assert code_of(post(client, f"/lessons/{draft.video.pk}/open")) == (403, "forbidden")


# ---------------------------------------------------------------- heartbeats


def test_a_skip_to_the_end_or_a_claim_beyond_the_elapsed_time_does_not_complete(lw, course, client) -> None:
    signed_in(client, lw.member)
    video = course.video  # 600 s
    post(client, f"/lessons/{video.pk}/open")
    age(lw.member, video, 30)

    skipped = post(client, f"/lessons/{video.pk}/heartbeat", {"segments": [[0, 600]], "position": 600}).json()

    assert skipped["gained"] == 30 and skipped["progress"]["covered_seconds"] == 30
    assert not skipped["lesson_completed"]
    again = post(client, f"/lessons/{video.pk}/heartbeat", {"segments": [[0, 30]]}).json()
    assert again["gained"] == 0 and again["progress"]["covered_seconds"] == 30  # played twice: once


def test_honest_play_completes_the_course_and_credits_the_hours(lw, course, client) -> None:
    signed_in(client, lw.member)

    played = play(client, lw.member, course.video, until=540).json()  # 90% of 600 s
    assert played["lesson_completed"] and not played["course_completed"]
    read_out = read(client, lw.member, course.document).json()

    assert read_out["lesson_completed"] and read_out["course_completed"]
    year = client.get(f"{API}/me/year").json()
    assert Decimal(year["hours"]) == Decimal("0.25")  # 10.5 minutes: under 15 minutes
    assert year["courses"] == 1 and year["points"] == 1 + 1 + 5 and year["target"] == "50.00"
    detail = client.get(f"{API}/courses/{course.course.pk}").json()
    assert detail["completed_at"] is not None and detail["credited_hours"] == "0.25"


def test_resume_returns_the_last_position(lw, course, client) -> None:
    signed_in(client, lw.member)
    play(client, lw.member, course.video, until=90)

    resumed = post(client, f"/lessons/{course.video.pk}/open").json()

    assert resumed["position"] == 90 and resumed["intervals"] == [[0, 90]]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"segments": [[10, 5]]}, 400),  # a stretch ending before it starts
        ({"segments": [[0]]}, 422),
        ({"segments": [["开始", 5]]}, 422),
        ({"segments": [[0, 1e400]]}, 422),
        ({"segments": [[0, 1]] * 31}, 422),
        ({"position": -1}, 422),
        ({"page": 0}, 422),
        ("不是 JSON", 400),
    ],
)
def test_bad_heartbeats_are_refused_in_chinese(lw, course, client, body: Any, status: int) -> None:
    signed_in(client, lw.member)
    response = client.post(
        f"{API}/lessons/{course.video.pk}/heartbeat",
        body if isinstance(body, str) else json.dumps(body),
        content_type="application/json",
    )

    assert response.status_code == status, response.content
    assert response.json()["code"] in ("bad_heartbeat", "invalid", "invalid_json")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["message"])


def test_a_page_beyond_the_document_is_refused(lw, course, client) -> None:
    signed_in(client, lw.member)
    post(client, f"/lessons/{course.document.pk}/open")
    response = post(client, f"/lessons/{course.document.pk}/heartbeat", {"page": 9})
    assert code_of(response) == (400, "bad_heartbeat")
    assert "页码应在 1 到 3 之间" in response.json()["message"]


def test_a_prerequisite_keeps_its_code(lw, client) -> None:
    built = draft_course(lw)
    services.lesson_save(
        actor=lw.worker_a,
        course=built.course,
        lesson=built.document,
        title="原文选读",
        kind=LessonKind.DOCUMENT,
        page_count=3,
        prerequisites=[built.video],
    )
    publish(lw, built)
    signed_in(client, lw.member)
    assert code_of(post(client, f"/lessons/{built.document.pk}/open")) == (400, "prerequisite")


# ---------------------------------------------------------------- quizzes


def _learn(client: Client, user: Any, built: Any) -> None:
    play(client, user, built.video, until=120)
    read(client, user, built.document)


def _key(attempt: dict[str, Any]) -> dict[str, Any]:
    questions = Question.objects.in_bulk([q["id"] for q in attempt["questions"]])
    return {str(pk): q.answer if q.kind == "multiple" else q.answer[0] for pk, q in questions.items()}


def test_the_exam_opens_after_the_lessons_and_hides_the_key(lw, examined, client) -> None:
    signed_in(client, lw.member)
    quiz = examined.quiz
    assert code_of(post(client, f"/quizzes/{quiz.pk}/attempts")) == (400, "lessons_first")
    _learn(client, lw.member, examined)

    started = post(client, f"/quizzes/{quiz.pk}/attempts")

    assert started.status_code == 201
    paper = started.json()
    assert paper["status"] == "open" and len(paper["questions"]) == 4
    assert all(q["answer"] is None and q["explanation"] is None for q in paper["questions"])
    again = post(client, f"/quizzes/{quiz.pk}/attempts").json()
    assert again["id"] == paper["id"]  # the open attempt is resumed, not a new draw


def test_partial_multiple_choice_is_wrong_and_the_explanations_follow(lw, examined, client) -> None:
    signed_in(client, lw.member)
    _learn(client, lw.member, examined)
    paper = post(client, f"/quizzes/{examined.quiz.pk}/attempts").json()
    answers = _key(paper)
    multiple = next(q for q in paper["questions"] if q["kind"] == "multiple")
    answers[str(multiple["id"])] = [0, 1]  # one right option missing

    result = post(client, f"/attempts/{paper['id']}/submit", {"answers": answers}).json()

    assert (result["status"], result["score"], result["max_score"], result["percent"]) == (
        "submitted",
        3,
        4,
        75,
    )
    assert result["passed"]
    reviewed = {q["id"]: q for q in result["questions"]}
    assert reviewed[multiple["id"]]["correct"] is False
    assert reviewed[multiple["id"]]["answer"] == [0, 1, 3]
    assert reviewed[multiple["id"]]["explanation"] == "还有核心意识。"
    assert client.get(f"{API}/attempts/{paper['id']}").json()["percent"] == 75
    assert code_of(post(client, f"/attempts/{paper['id']}/submit", {"answers": {}})) == (
        400,
        "attempt_closed",
    )
    assert code_of(post(client, f"/quizzes/{examined.quiz.pk}/attempts")) == (400, "already_passed")
    year = client.get(f"{API}/me/year").json()
    assert Decimal(year["hours"]) == Decimal("0.75")  # 0.25 for the course, 0.5 for the exam passed


def test_attempts_are_limited_and_someone_elses_attempt_is_missing(lw, examined, client) -> None:
    signed_in(client, lw.member)
    _learn(client, lw.member, examined)
    for _ in range(2):  # two attempts allowed, both failed
        paper = post(client, f"/quizzes/{examined.quiz.pk}/attempts").json()
        assert post(client, f"/attempts/{paper['id']}/submit", {"answers": {}}).json()["passed"] is False

    assert code_of(post(client, f"/quizzes/{examined.quiz.pk}/attempts")) == (400, "attempts_used")
    signed_in(client, lw.member2)
    assert code_of(client.get(f"{API}/attempts/{paper['id']}")) == (404, "not_found")
    assert code_of(post(client, f"/attempts/{paper['id']}/submit", {"answers": {}})) == (404, "not_found")


@pytest.mark.parametrize(
    ("answers", "status", "code"),
    [
        ({"999999": 0}, 400, "bad_answer"),  # not a question of the paper
        ("not a mapping", 422, "invalid"),
        ({"abc": 0}, 422, "invalid"),
    ],
)
def test_bad_answers_are_refused(lw, examined, client, answers: Any, status: int, code: str) -> None:
    signed_in(client, lw.member)
    _learn(client, lw.member, examined)
    paper = post(client, f"/quizzes/{examined.quiz.pk}/attempts").json()

    response = post(client, f"/attempts/{paper['id']}/submit", {"answers": answers})

    assert code_of(response) == (status, code)


def test_a_wrongly_typed_answer_names_the_question(lw, examined, client) -> None:
    signed_in(client, lw.member)
    _learn(client, lw.member, examined)
    paper = post(client, f"/quizzes/{examined.quiz.pk}/attempts").json()
    single = next(q for q in paper["questions"] if q["kind"] == "single")

    response = post(client, f"/attempts/{paper['id']}/submit", {"answers": {str(single["id"]): "甲"}})

    assert code_of(response) == (400, "bad_answer")
    assert f"第 {single['number']} 题" in response.json()["message"]


# ---------------------------------------------------------------- my courses


def test_my_courses_show_assignments_with_deadlines_and_progress(lw, course, client) -> None:
    deadline = timezone.localdate() + timedelta(days=10)
    assignments.assignment_create(
        actor=lw.own_admin, course=course.course, deadline=deadline, station=lw.a, people=[lw.member]
    )
    signed_in(client, lw.member)
    play(client, lw.member, course.video, until=540)

    [mine] = client.get(f"{API}/me/courses").json()["items"]

    assert mine["course"]["title"] == "学习贯彻党的二十大精神"
    assert (mine["lessons_done"], mine["deadline"], mine["assigned"], mine["overdue"]) == (
        1,
        deadline.isoformat(),
        True,
        False,
    )
    assert mine["completed_at"] is None
    signed_in(client, lw.member2)
    assert client.get(f"{API}/me/courses").json()["items"] == []


def test_a_bad_year_is_refused(lw, client) -> None:
    signed_in(client, lw.member)
    assert code_of(client.get(f"{API}/me/year?year=1999")) == (422, "invalid")
    assert client.get(f"{API}/me/year?year=2025").json()["hours"] == "0.00"


# ---------------------------------------------------------------- constant queries


def _more_courses(lw: Any, count: int) -> None:
    for n in range(count):
        built = publish(lw, draft_course(lw, title=f"基层党建实务第{n + 1}讲", video_seconds=60, pages=1))
        assignments.assignment_create(
            actor=lw.own_admin,
            course=built.course,
            deadline=timezone.localdate() + timedelta(days=5 + n),
            station=lw.a,
            people=[lw.member],
        )


def test_lists_run_a_constant_number_of_queries(lw, client) -> None:
    signed_in(client, lw.member)
    urls = (f"{API}/courses", f"{API}/me/courses", f"{API}/courses?category={Category.THEORY}")
    _more_courses(lw, 1)
    few = [get_query_count(client, url) for url in urls]
    _more_courses(lw, 4)
    many = [get_query_count(client, url) for url in urls]

    assert many == few
