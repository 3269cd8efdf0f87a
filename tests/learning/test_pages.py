"""The learning pages: constant queries on lists, the heartbeat endpoint (JSON, CSRF, bad input, no credit
for a skip), quiz pages (answers from the form, malformed answers refused in Chinese, the result with
explanations), my learning, and the staff pages (a course written, submitted and approved through the
forms; an assignment with completion rates)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.learning.assignments import assignment_create
from dangjian.learning.models import AssignmentKind, AttemptStatus, Course, LessonProgress, QuizAttempt
from tests import factories as f
from tests.learning.builders import add_exam, draft_course, finish, publish
from tests.queries import get_query_count

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def exam_course(lw):
    built = draft_course(lw)
    add_exam(lw, built)
    return publish(lw, built)


def test_catalogue_queries_stay_constant(lw, django_assert_max_num_queries) -> None:
    for n in range(3):
        publish(lw, draft_course(lw, title=f"专题课程{n}"))
    client = signed_in(lw.member)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("learning:catalogue"))
    assert response.status_code == 200 and "专题课程2" in response.content.decode()
    for n in range(3, 9):
        publish(lw, draft_course(lw, title=f"专题课程{n}"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("learning:catalogue")).status_code == 200


def test_catalogue_filters_and_refuses_a_bad_category(lw, course) -> None:
    client = signed_in(lw.member)
    assert "学习贯彻" in client.get(reverse("learning:catalogue") + "?q=二十大").content.decode()
    assert "学习贯彻" not in client.get(reverse("learning:catalogue") + "?q=不存在").content.decode()
    response = client.get(reverse("learning:catalogue") + "?category=<script>&page=abc")
    assert response.status_code == 200 and "学习贯彻" in response.content.decode()


def test_drafts_are_not_in_the_catalogue_and_404_for_members(lw) -> None:
    draft = draft_course(lw, title="未发布课程")
    client = signed_in(lw.member)
    assert "未发布课程" not in client.get(reverse("learning:catalogue")).content.decode()
    assert client.get(reverse("learning:course", kwargs={"pk": draft.course.pk})).status_code == 404
    assert client.get(reverse("learning:lesson", kwargs={"pk": draft.video.pk})).status_code == 404


def test_my_learning_and_leaderboard_queries_stay_constant(
    lw, exam_course, django_assert_max_num_queries
) -> None:
    finish(lw.member, exam_course, start=0)
    finish(lw.member2, exam_course, start=0)
    client = signed_in(lw.member)
    with django_assert_max_num_queries(20):
        mine = client.get(reverse("learning:my_courses"))
    assert "hours-data" in mine.content.decode()
    with django_assert_max_num_queries(12):
        board = client.get(reverse("learning:leaderboard"))
    assert lw.member2.display_name in board.content.decode()


def test_course_page_shows_locks_and_progress(lw, course, django_assert_max_num_queries) -> None:
    course.document.prerequisites.set([course.video])
    client = signed_in(lw.member)
    with django_assert_max_num_queries(18):
        page = client.get(reverse("learning:course", kwargs={"pk": course.course.pk})).content.decode()
    assert "未解锁" in page and "须先学完“开篇导学”" in page
    # a locked lesson's player sends the learner back with the reason
    response = client.get(reverse("learning:lesson", kwargs={"pk": course.document.pk}), follow=True)
    assert "请先学完本课时的先修课时" in response.content.decode()


def beat(client: Client, lesson, body) -> tuple[int, dict]:
    raw = body if isinstance(body, bytes | str) else json.dumps(body)
    response = client.post(
        reverse("learning:heartbeat", kwargs={"pk": lesson.pk}), raw, content_type="application/json"
    )
    return response.status_code, response.json()


@pytest.mark.parametrize(
    "body, message",
    [
        (b"{not json", "心跳数据格式不正确"),
        ([1, 2], "心跳数据格式不正确"),
        ({"segments": "0-600"}, "播放区间应为"),
        ({"segments": [[10, 5]]}, "播放区间的开始不能小于 0"),
        ({"segments": [[0, "NaN"]]}, "播放区间应为数字"),
        ({"position": "far"}, "播放位置应为数字"),
    ],
)
def test_heartbeat_refuses_bad_input_in_chinese(lw, course, body, message) -> None:
    client = signed_in(lw.member)
    status, data = beat(client, course.video, body)
    assert status == 400 and message in data["message"] and data["ok"] is False


def test_heartbeat_page_number_is_checked(lw, course) -> None:
    status, data = beat(signed_in(lw.member), course.document, {"page": 9})
    assert status == 400 and "页码应在 1 到 3 之间" in data["message"]


def test_a_skip_to_the_end_through_the_page_does_not_complete(lw, course) -> None:
    client = signed_in(lw.member)
    client.get(reverse("learning:lesson", kwargs={"pk": course.video.pk}))
    status, data = beat(client, course.video, {"segments": [[0, 600]], "position": 600})
    assert status == 200 and data["completed"] is False and data["covered"] < 60
    with scopes_disabled():
        row = LessonProgress.objects.get(user=lw.member, lesson=course.video)
    assert row.position == 600  # resume where the learner stopped
    page = client.get(reverse("learning:lesson", kwargs={"pk": course.video.pk})).content.decode()
    assert '"position": 600.0' in page


def test_heartbeat_needs_the_csrf_token(lw, course) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(lw.member)
    response = client.post(
        reverse("learning:heartbeat", kwargs={"pk": course.video.pk}), "{}", content_type="application/json"
    )
    assert response.status_code == 403


def test_quiz_through_the_pages(lw, exam_course) -> None:
    client = signed_in(lw.member)
    quiz_url = reverse("learning:quiz", kwargs={"pk": exam_course.quiz.pk})
    refused = client.post(quiz_url, follow=True).content.decode()
    assert "请先学完相关课时再参加测验" in refused
    finish_lessons_only(lw.member, exam_course)
    response = client.post(quiz_url)
    with scopes_disabled():
        attempt = QuizAttempt.objects.get(user=lw.member, quiz=exam_course.quiz)
    assert response["Location"] == reverse("learning:attempt", kwargs={"pk": attempt.pk})
    paper = client.get(response["Location"]).content.decode()
    assert "data-deadline" in paper and "解析" not in paper  # no key before submission
    questions = {q.pk: q for q in exam_course.course.questions.all()}
    bad = {f"q{pk}": "abc" for pk in attempt.question_ids}
    refused = client.post(response["Location"], bad).content.decode()
    assert "题的答案格式不正确" in refused
    right = {f"q{pk}": form_value(questions[pk]) for pk in attempt.question_ids}
    result = client.post(response["Location"], right, follow=True).content.decode()
    assert "已通过" in result and "课程《" in result and "已完成" in result
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.SUBMITTED and attempt.passed


def form_value(question):
    if question.kind == "multiple":
        return [str(i) for i in question.answer]
    if question.kind == "single":
        return str(question.answer[0])
    if question.kind == "true_false":
        return "true" if question.answer[0] else "false"
    return question.answer[0]


def finish_lessons_only(user, built) -> None:
    quiz, built.quiz = built.quiz, None
    finish(user, built, start=0)
    built.quiz = quiz


def test_someone_elses_attempt_is_404(lw, exam_course) -> None:
    finish(lw.member, exam_course, start=0)
    with scopes_disabled():
        attempt = QuizAttempt.objects.get(user=lw.member)
    url = reverse("learning:attempt", kwargs={"pk": attempt.pk})
    assert signed_in(lw.member2).get(url).status_code == 404
    own = signed_in(lw.member).get(url).content.decode()
    assert "正确答案" in own and "您的答案" in own


# ---------------------------------------------------------------- staff


def test_a_course_is_written_submitted_and_approved_through_the_forms(lw) -> None:
    from tests.learning.builders import mp4_upload

    author = signed_in(lw.worker_a)
    response = author.post(
        reverse("learning:course_create"),
        {"title": "党章学习", "category": "constitution", "description": ""},
    )
    course = Course.objects.get(title="党章学习")
    assert response["Location"] == reverse("learning:manage_course", kwargs={"pk": course.pk})
    added = author.post(
        reverse("learning:lesson_add", kwargs={"pk": course.pk}),
        {"title": "视频", "kind": "video", "upload": mp4_upload(60)},
    )
    assert added.status_code == 302 and course.lessons.get().duration_seconds == 60
    bad_key = author.post(
        reverse("learning:question_add", kwargs={"pk": course.pk}),
        {"kind": "single", "text": "题", "choices": "甲\n乙", "answer": "甲", "points": 1},
    )
    assert bad_key.status_code == 400 and "请填写正确选项的序号" in bad_key.content.decode()
    good = author.post(
        reverse("learning:question_add", kwargs={"pk": course.pk}),
        {"kind": "multiple", "text": "多选", "choices": "甲\n乙\n丙", "answer": "1，3", "points": 2},
    )
    assert good.status_code == 302 and course.questions.get().answer == [0, 2]
    author.post(reverse("learning:course_action", kwargs={"pk": course.pk, "action": "submit"}))
    reviewer = signed_in(lw.instructor_a)
    queue = reviewer.get(reverse("learning:manage")).content.decode()
    assert "待我审核" in queue and "党章学习" in queue
    no_comment = reviewer.post(
        reverse("learning:course_action", kwargs={"pk": course.pk, "action": "return"}), follow=True
    )
    assert "退回意见" in no_comment.content.decode()
    reviewer.post(reverse("learning:course_action", kwargs={"pk": course.pk, "action": "approve"}))
    course.refresh_from_db()
    assert course.status == "published"
    edit = author.post(
        reverse("learning:course_edit", kwargs={"pk": course.pk}), {"title": "新", "category": "theory"}
    )
    assert edit.status_code == 400 and "不能再修改" in edit.content.decode()


def test_assignment_pages_show_completion_rates(lw, course, django_assert_max_num_queries) -> None:
    admin = signed_in(lw.own_admin)
    deadline = (timezone.localdate() + timedelta(days=10)).isoformat()
    past = admin.post(
        reverse("learning:assign"),
        {
            "course": course.course.pk,
            "deadline": "2000-01-01",
            "organizations": [lw.org_a.pk],
            "kind": "required",
        },
    )
    text = past.content.decode()
    assert past.status_code == 400 and ("日期应在" in text or "不能早于今天" in text)
    response = admin.post(
        reverse("learning:assign"),
        {
            "course": course.course.pk,
            "deadline": deadline,
            "organizations": [lw.org_a.pk],
            "kind": "required",
        },
    )
    assert response.status_code == 302
    finish(lw.member, course, start=0)
    with django_assert_max_num_queries(20):
        page = admin.get(response["Location"]).content.decode()
    assert lw.org_a.name in page and "50.0%" in page
    with django_assert_max_num_queries(14):
        assert admin.get(reverse("learning:assignments")).status_code == 200


def test_training_record_page_queries_stay_constant_as_instructors_grow(lw, course) -> None:
    def train(course_built) -> None:
        assignment_create(
            actor=lw.hq_admin,
            course=course_built.course,
            deadline=timezone.localdate() + timedelta(days=30),
            station=lw.hq,
            roles=["instructor"],
            kind=AssignmentKind.TRAINING,
        )

    train(course)
    finish(lw.instructor_a, course, start=0)
    client = signed_in(lw.hq_admin)
    url = reverse("learning:training")
    before = get_query_count(client, url)
    newcomers = []
    for n in range(4):
        person = f.UserFactory(username=f"train_extra_{n}", real_name=f"新任辅导员{n}", home_station=lw.a)
        f.grant(person, "instructor", lw.a)
        newcomers.append(person)
    train(publish(lw, draft_course(lw, title="辅导员业务能力提升培训")))
    assert get_query_count(client, url) == before
    page = client.get(url).content.decode()
    assert lw.instructor_a.display_name in page and newcomers[-1].display_name in page
    assert "辅导员业务能力提升培训" in page
