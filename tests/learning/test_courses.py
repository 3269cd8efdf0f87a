"""Courses through the shared review workflow (§5.5): written by a station's admins and workers, reviewed
by an instructor of that station who did not write it; published, one row every station studies (1+N);
bad input refused with Chinese messages; every service authorises."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django_scopes import scopes_disabled

from dangjian.core.models import AuditEvent
from dangjian.core.workflow import ReviewStatus
from dangjian.learning import selectors, services
from dangjian.learning.models import LessonKind, QuestionKind
from tests.learning.builders import draft_course, mp4_upload

pytestmark = pytest.mark.django_db


def test_a_course_is_reviewed_by_an_instructor_of_its_station_and_then_shared_everywhere(lw) -> None:
    built = draft_course(lw)
    course = built.course
    assert built.video.duration_seconds == 600  # read from the MP4, not told by a client
    for outsider in (lw.member_b, lw.member, lw.instructor_b):
        with pytest.raises(Http404):
            selectors.access_course(user=outsider, pk=course.pk)
    with pytest.raises(PermissionDenied):
        services.course_submit(actor=lw.member, course=course)
    services.course_submit(actor=lw.worker_a, course=course)
    with pytest.raises(PermissionDenied):
        services.course_approve(actor=lw.instructor_b, course=course)  # another station's instructor
    services.course_approve(actor=lw.instructor_a, course=course)
    course.refresh_from_db()
    assert course.status == ReviewStatus.PUBLISHED and course.published_at is not None
    assert course.length_seconds == 630 and str(course.credit_hours) == "0.25"
    for anyone in (lw.member_b, lw.member, lw.resident, lw.other_admin):
        assert selectors.access_course(user=anyone, pk=course.pk) == course  # 1+N: one row
    with scopes_disabled():
        actions = set(
            AuditEvent.objects.filter(action__startswith="learning.course").values_list("action", flat=True)
        )
    assert actions == {"learning.course.create", "learning.course.submit", "learning.course.approve"}


def test_nobody_reviews_their_own_course_and_a_return_needs_a_comment(lw) -> None:
    from tests import factories as f

    f.grant(lw.worker_a, "instructor", lw.a)
    built = draft_course(lw)
    services.course_submit(actor=lw.worker_a, course=built.course)
    with pytest.raises(ValidationError) as refused:
        services.course_approve(actor=lw.worker_a, course=built.course)
    assert refused.value.code == "self_review"
    with pytest.raises(ValidationError) as refused:
        services.course_return(actor=lw.instructor_a, course=built.course, comment="  ")
    assert refused.value.code == "comment_required"
    services.course_return(actor=lw.instructor_a, course=built.course, comment="请补充课后测验")
    built.course.refresh_from_db()
    assert built.course.status == ReviewStatus.RETURNED
    services.course_update(actor=lw.worker_a, course=built.course, title="学习贯彻党的二十大精神（修订）")


def test_a_published_course_is_not_edited_and_is_withdrawn_with_a_reason(lw, course) -> None:
    with pytest.raises(ValidationError) as refused:
        services.lesson_save(
            actor=lw.worker_a, course=course.course, title="新课时", kind=LessonKind.RICHTEXT, body="内容"
        )
    assert refused.value.code == "wrong_state"
    with pytest.raises(ValidationError):
        services.course_withdraw(actor=lw.instructor_a, course=course.course, reason="")
    services.course_withdraw(actor=lw.instructor_a, course=course.course, reason="内容已过时")
    with pytest.raises(Http404):
        selectors.access_course(user=lw.member, pk=course.course.pk)


def test_an_incomplete_course_cannot_be_submitted(lw) -> None:
    course = services.course_create(actor=lw.worker_a, station=lw.a, title="空课程")
    with pytest.raises(ValidationError) as refused:
        services.course_submit(actor=lw.worker_a, course=course)
    assert refused.value.code == "no_lessons"
    services.lesson_save(actor=lw.worker_a, course=course, title="视频", kind=LessonKind.VIDEO)
    with pytest.raises(ValidationError) as refused:
        services.course_submit(actor=lw.worker_a, course=course)
    assert refused.value.code == "lesson_empty"


def test_the_station_of_a_course_is_kept_by_its_own_authors(lw) -> None:
    with pytest.raises(PermissionDenied):
        services.course_create(actor=lw.other_admin, station=lw.a, title="越权课程")
    with pytest.raises(PermissionDenied):
        services.course_create(actor=lw.member, station=lw.a, title="越权课程")
    assert services.course_create(actor=lw.hq_admin, station=lw.a, title="总站代建课程").station == lw.a


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"title": ""}, "title_required"),
        ({"title": "甲" * 121}, "too_long"),
        ({"title": "课程", "category": "nonsense"}, "bad_category"),
    ],
)
def test_bad_course_input_is_refused(lw, kwargs, code) -> None:
    with pytest.raises(ValidationError) as refused:
        services.course_create(actor=lw.worker_a, station=lw.a, **kwargs)
    assert refused.value.code == code and refused.value.messages[0]


def test_a_lesson_file_is_checked_by_its_content(lw) -> None:
    course = services.course_create(actor=lw.worker_a, station=lw.a, title="课程")
    fake = SimpleUploadedFile(
        "video.mp4", b"<html><script>alert(1)</script></html>", content_type="video/mp4"
    )
    with pytest.raises(ValidationError) as refused:
        services.lesson_save(
            actor=lw.worker_a, course=course, title="假视频", kind=LessonKind.VIDEO, upload=fake
        )
    assert refused.value.code == "markup"
    with pytest.raises(ValidationError) as refused:
        services.lesson_save(
            actor=lw.worker_a,
            course=course,
            title="视频当文档",
            kind=LessonKind.DOCUMENT,
            upload=mp4_upload(60),
        )
    assert refused.value.code == "unsupported"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"kind": QuestionKind.SINGLE, "choices": ["甲"], "answer": [0]}, "bad_choices"),
        ({"kind": QuestionKind.SINGLE, "choices": ["甲", "乙"], "answer": [0, 1]}, "bad_answer_key"),
        ({"kind": QuestionKind.MULTIPLE, "choices": ["甲", "乙", "丙"], "answer": [0]}, "bad_answer_key"),
        ({"kind": QuestionKind.MULTIPLE, "choices": ["甲", "乙"], "answer": [0, 5]}, "bad_answer_key"),
        ({"kind": QuestionKind.TRUE_FALSE, "answer": ["对"]}, "bad_answer_key"),
        ({"kind": QuestionKind.FILL, "answer": ["  "]}, "bad_answer_key"),
        ({"kind": "essay", "answer": ["x"]}, "bad_kind"),
    ],
)
def test_a_question_with_an_impossible_key_is_refused(lw, kwargs, code) -> None:
    course = services.course_create(actor=lw.worker_a, station=lw.a, title="课程")
    with pytest.raises(ValidationError) as refused:
        services.question_save(actor=lw.worker_a, course=course, text="题干", **kwargs)
    assert refused.value.code == code


def test_one_final_exam_per_course_and_a_bank_big_enough_to_draw(lw) -> None:
    built = draft_course(lw)
    services.question_save(
        actor=lw.worker_a, course=built.course, kind=QuestionKind.TRUE_FALSE, text="题", answer=[True]
    )
    services.quiz_save(actor=lw.worker_a, course=built.course, title="考试", draw_count=2)
    with pytest.raises(ValidationError) as refused:
        services.quiz_save(actor=lw.worker_a, course=built.course, title="又一次考试", draw_count=1)
    assert refused.value.code == "quiz_exists"
    with pytest.raises(ValidationError) as refused:
        services.course_submit(actor=lw.worker_a, course=built.course)
    assert refused.value.code == "bank_too_small"


def test_published_rows_are_found_only_through_access_functions_with_one_404(lw, course) -> None:
    for pk in ("abc", -1, 999999):
        with pytest.raises(Http404):
            selectors.access_course(user=lw.member, pk=pk)
    with pytest.raises(Http404):
        selectors.access_course(user=lw.member, pk=course.course.pk, manage=True)
    assert selectors.access_course(user=lw.worker_a, pk=course.course.pk, manage=True) == course.course
    assert selectors.access_lesson(user=lw.member_b, pk=course.video.pk) == course.video
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Http404):
        selectors.access_lesson(user=AnonymousUser(), pk=course.video.pk)


def test_a_lesson_may_reference_published_courseware_of_its_station_or_the_platform(lw) -> None:
    from dangjian.courseware.models import Courseware

    def courseware(station, *, sharing="station", status=ReviewStatus.PUBLISHED):
        return Courseware.objects.create(
            station=station, title="课件", owner=lw.worker_a, sharing=sharing, status=status
        )

    course = services.course_create(actor=lw.worker_a, station=lw.a, title="引用课件的课程")
    for refused in (courseware(lw.b), courseware(lw.a, status=ReviewStatus.DRAFT)):
        with pytest.raises(ValidationError) as error:
            services.lesson_save(
                actor=lw.worker_a, course=course, title="课件", kind=LessonKind.DOCUMENT, courseware=refused
            )
        assert error.value.code == "courseware_unavailable"
    for usable in (courseware(lw.a), courseware(lw.b, sharing="platform")):
        lesson = services.lesson_save(
            actor=lw.worker_a, course=course, title="课件", kind=LessonKind.DOCUMENT, courseware=usable
        )
        assert lesson.courseware == usable
