"""Courses, lessons, questions and quizzes, and their review (§5.5, core/workflow.py): a station's admins
and workers write a course; it is submitted; an instructor of that station (not its author) publishes it
or returns it with a comment. A published course is one row every station studies (1+N); it is no longer
edited — learners' progress is measured against its lessons — and is withdrawn to retire it.

Every write authorises first (`has_perm`), checks the input with Chinese messages, and is audited.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from dangjian.accounts.models import Role, User
from dangjian.accounts.permissions import role_holders
from dangjian.core import notifications
from dangjian.core.audit import record_event
from dangjian.core.richtext import sanitize_html
from dangjian.core.uploads import FileKind, check_upload, clean_image_upload
from dangjian.core.workflow import (
    ReviewAction,
    ReviewStatus,
    TransitionError,
    next_status,
    refuse_self_review,
    require_comment,
)
from dangjian.learning.completion import course_length, rule_in_force
from dangjian.learning.credit_rules import completion_hours
from dangjian.learning.media import mp4_duration
from dangjian.learning.models import Category, Course, Lesson, LessonKind, Question, QuestionKind, Quiz

EDITABLE = (ReviewStatus.DRAFT, ReviewStatus.RETURNED)
MEDIA_KINDS: dict[str, tuple[FileKind, ...]] = {
    LessonKind.VIDEO: (FileKind.MP4,),
    LessonKind.DOCUMENT: (FileKind.PDF,),
    LessonKind.EBOOK: (FileKind.EPUB, FileKind.PDF),
}
MAX_CHOICES = 8


def _require(actor: Any, permission: str, obj: Any) -> None:
    if not actor.has_perm(permission, obj):
        raise PermissionDenied


def _editable(actor: Any, course: Course) -> None:
    _require(actor, "learning.change_course", course)
    if course.status not in EDITABLE:
        raise TransitionError(f"课程{course.get_status_display()}，不能再修改", code="wrong_state")


def _log(actor: Any, action: str, course: Course, **data: Any) -> None:
    record_event(actor=actor, action=f"learning.{action}", target=course, station=course.station, data=data)


# ---------------------------------------------------------------- courses


def _clean_course(title: str, description: str, category: str) -> tuple[str, str]:
    title = (title or "").strip()
    if not title:
        raise ValidationError("请填写课程名称", code="title_required")
    if len(title) > 120 or len(description or "") > 2000:
        raise ValidationError("课程名称不超过 120 字，简介不超过 2000 字", code="too_long")
    if category not in Category.values:
        raise ValidationError("请选择课程类别", code="bad_category")
    return title, (description or "").strip()


@transaction.atomic
def course_create(
    *,
    actor: User,
    station: Any,
    title: str,
    description: str = "",
    category: str = Category.THEORY,
    cover: Any = None,
) -> Course:
    _require(actor, "learning.add_course", station)
    title, description = _clean_course(title, description, category)
    course = Course(station=station, title=title, description=description, category=category, author=actor)
    if cover is not None:
        course.cover = clean_image_upload(cover)
    course.save()
    _log(actor, "course.create", course)
    return course


@transaction.atomic
def course_update(
    *,
    actor: User,
    course: Course,
    title: str,
    description: str = "",
    category: str = Category.THEORY,
    cover: Any = None,
) -> Course:
    course = _locked(course)
    _editable(actor, course)
    course.title, course.description = _clean_course(title, description, category)
    course.category = category
    if cover is not None:
        course.cover = clean_image_upload(cover)
    course.save()
    _log(actor, "course.update", course)
    return course


def refresh_credit_hours(course: Course) -> None:
    """The course's counted length and the hours it earns under today's rule (shown in the catalogue;
    a completion is credited under the rule of its own day)."""
    _, rules = rule_in_force(timezone.localdate())
    course.length_seconds = course_length(course, rules)
    course.credit_hours, _ = completion_hours(rules, length_seconds=course.length_seconds, exam_passed=False)
    Course.objects.filter(pk=course.pk).update(
        length_seconds=course.length_seconds, credit_hours=course.credit_hours
    )


# ---------------------------------------------------------------- review


@transaction.atomic
def course_submit(*, actor: User, course: Course) -> Course:
    course = _locked(course)
    _require(actor, "learning.change_course", course)
    course.status = next_status(course.status, ReviewAction.SUBMIT)
    _require_complete(course)
    course.submitted_by, course.submitted_at = actor, timezone.now()
    course.save()
    _log(actor, "course.submit", course)
    notifications.notify(
        recipients=role_holders(Role.INSTRUCTOR, station_id=course.station_id).exclude(pk=actor.pk),
        title=f"待审核课程：{course.title}",
        body=f"{actor.display_name} 提交了课程《{course.title}》，请审核。",
        station=course.station,
    )
    return course


@transaction.atomic
def course_approve(*, actor: User, course: Course, comment: str = "") -> Course:
    course = _review(actor, course, ReviewAction.APPROVE)
    course.published_at = course.reviewed_at
    course.review_comment = (comment or "").strip()[:500]
    course.save()
    refresh_credit_hours(course)
    _log(actor, "course.approve", course, comment=course.review_comment)
    _tell_author(course, title=f"课程已发布：{course.title}", body="您提交的课程已审核通过，各站点均可学习。")
    return course


@transaction.atomic
def course_return(*, actor: User, course: Course, comment: str) -> Course:
    comment = require_comment(comment, what="退回意见")
    course = _review(actor, course, ReviewAction.RETURN)
    course.review_comment = comment
    course.save()
    _log(actor, "course.return", course, comment=comment)
    _tell_author(course, title=f"课程已退回：{course.title}", body=f"退回意见：{comment}")
    return course


@transaction.atomic
def course_withdraw(*, actor: User, course: Course, reason: str) -> Course:
    course = _locked(course)
    _require(actor, "learning.withdraw_course", course)
    reason = require_comment(reason, what="撤回原因")
    course.status = next_status(course.status, ReviewAction.WITHDRAW)
    course.withdrawn_reason = reason
    course.save()
    _log(actor, "course.withdraw", course, reason=reason)
    return course


def _review(actor: User, course: Course, action: ReviewAction) -> Course:
    course = _locked(course)
    _require(actor, "learning.review_course", course)
    course.status = next_status(course.status, action)
    refuse_self_review(reviewer_id=actor.pk, author_ids={course.author_id, course.submitted_by_id})
    course.reviewed_by, course.reviewed_at = actor, timezone.now()
    return course


def _require_complete(course: Course) -> None:
    """What a course needs before review: lessons, each with its content, quizzes their questions."""
    lessons = list(course.lessons.all())
    if not lessons:
        raise ValidationError("课程至少需要一个课时", code="no_lessons")
    for lesson in lessons:
        if lesson.kind == LessonKind.RICHTEXT and not lesson.body.strip():
            raise ValidationError(f"课时“{lesson.title}”没有内容", code="lesson_empty")
        if lesson.kind != LessonKind.RICHTEXT and not (lesson.media or lesson.courseware_id):
            raise ValidationError(f"课时“{lesson.title}”还没有上传文件或引用课件", code="lesson_empty")
        if lesson.is_video and lesson.duration_seconds <= 0:
            raise ValidationError(f"视频课时“{lesson.title}”须填写时长", code="lesson_empty")
    from dangjian.learning.quizzes import bank_of  # quizzes imports completion, which this module does too

    for quiz in course.quizzes.all():
        if len(bank_of(quiz)) < quiz.draw_count:
            raise ValidationError(
                f"测验“{quiz.title}”的题库不足 {quiz.draw_count} 道题", code="bank_too_small"
            )


def _tell_author(course: Course, *, title: str, body: str) -> None:
    people = {course.author_id, course.submitted_by_id} - {None}
    notifications.notify(
        recipients=User.objects.filter(pk__in=people), title=title, body=body, station=course.station
    )


def _locked(course: Course) -> Course:
    return Course.objects.select_for_update(of=("self",)).select_related("station").get(pk=course.pk)


# ---------------------------------------------------------------- lessons


@transaction.atomic
def lesson_save(
    *,
    actor: User,
    course: Course,
    title: str,
    kind: str,
    lesson: Lesson | None = None,
    upload: Any = None,
    courseware: Any = None,
    body: str = "",
    duration_seconds: int | None = None,
    page_count: int = 1,
    prerequisites: Iterable[Lesson] = (),
) -> Lesson:
    """Add a lesson at the end of the course, or change `lesson`. A video's length is read from the MP4
    when not given."""
    course = _locked(course)
    _editable(actor, course)
    if lesson is not None and lesson.course_id != course.pk:
        raise PermissionDenied
    if kind not in LessonKind.values:
        raise ValidationError("请选择课时类型", code="bad_kind")
    title = _text(title, "课时名称", upper=120, code="title_required")
    if lesson is None:
        position = (course.lessons.aggregate(p=Max("position"))["p"] or 0) + 1
        lesson = Lesson(course=course, position=position)
    lesson.title, lesson.kind = title, kind
    lesson.body = sanitize_html(body) if kind == LessonKind.RICHTEXT else ""
    lesson.page_count = _positive(page_count, "页数", upper=5000) if kind != LessonKind.VIDEO else 1
    probed = _attach(lesson, upload) if upload is not None else None
    lesson.courseware = (
        _usable_courseware(courseware, course) if courseware is not None else lesson.courseware
    )
    if kind == LessonKind.VIDEO:
        lesson.duration_seconds = _video_length(lesson, duration_seconds, probed)
    lesson.save()
    lesson.prerequisites.set(_prerequisites(lesson, prerequisites))
    refresh_credit_hours(course)
    _log(actor, "lesson.save", course, lesson=lesson.pk)
    return lesson


@transaction.atomic
def lesson_remove(*, actor: User, lesson: Lesson) -> None:
    course = _locked(lesson.course)
    _editable(actor, course)
    lesson.delete()
    refresh_credit_hours(course)
    _log(actor, "lesson.remove", course, lesson=lesson.pk)


def _attach(lesson: Lesson, upload: Any) -> float | None:
    """Store the checked file on the lesson; returns a video's length read from the MP4."""
    kinds = MEDIA_KINDS.get(lesson.kind)
    if not kinds:
        raise ValidationError("图文课时不需要上传文件", code="no_media")
    checked = check_upload(upload, kinds=kinds)
    lesson.media.save(f"lesson.{checked.extension}", checked.file, save=False)
    lesson.media_type = checked.content_type
    return mp4_duration(checked.file) if checked.kind is FileKind.MP4 else None


def _video_length(lesson: Lesson, given: int | None, probed: float | None) -> int:
    if given:
        return _positive(given, "视频时长（秒）", upper=24 * 3600)
    if probed:
        return max(1, round(probed))
    return lesson.duration_seconds


def _usable_courseware(courseware: Any, course: Course) -> Any:
    """A courseware item learners may open: published, and shared platform-wide or of the course's station."""
    if courseware.status != ReviewStatus.PUBLISHED or (
        courseware.sharing != "platform" and courseware.station_id != course.station_id
    ):
        raise ValidationError("只能引用已发布、本站点或全平台共享的课件", code="courseware_unavailable")
    return courseware


def _prerequisites(lesson: Lesson, chosen: Iterable[Lesson]) -> list[Lesson]:
    chosen = list(chosen)
    if any(p.course_id != lesson.course_id or p.pk == lesson.pk for p in chosen):
        raise ValidationError("先修课时须是本课程的其他课时", code="bad_prerequisite")
    if any(p.position > lesson.position for p in chosen):
        raise ValidationError("先修课时须排在本课时之前", code="bad_prerequisite")
    return chosen


def _positive(value: Any, what: str, *, upper: int) -> int:
    if isinstance(value, bool) or not str(value).isdigit() or not 1 <= int(value) <= upper:
        raise ValidationError(f"{what}应为 1 到 {upper} 之间的整数", code="bad_number")
    return int(value)


# ---------------------------------------------------------------- question bank and quizzes


def _editable_part(actor: User, course: Course, lesson: Lesson | None) -> Course:
    """The locked course, editable by the actor, and `lesson` (if any) one of its lessons."""
    course = _locked(course)
    _editable(actor, course)
    if lesson is not None and lesson.course_id != course.pk:
        raise ValidationError("所属课时须是本课程的课时", code="bad_lesson")
    return course


def _text(value: str, what: str, *, upper: int, code: str = "text_required") -> str:
    value = (value or "").strip()
    if not value or len(value) > upper:
        raise ValidationError(f"请填写{what}（不超过 {upper} 字）", code=code)
    return value


def _own(row: Any, course: Course) -> Any:
    """A question or quiz being changed must be the course's own."""
    if row.course_id != course.pk:
        raise PermissionDenied
    return row


@transaction.atomic
def question_save(
    *,
    actor: User,
    course: Course,
    kind: str,
    text: str,
    answer: Sequence[Any],
    choices: Sequence[str] = (),
    explanation: str = "",
    points: int = 1,
    lesson: Lesson | None = None,
    question: Question | None = None,
) -> Question:
    course = _editable_part(actor, course, lesson)
    text = _text(text, "题干", upper=500)
    options, key = _checked_key(kind, list(choices), list(answer))
    question = _own(question or Question(course=course), course)
    question.lesson, question.kind, question.text = lesson, kind, text
    question.choices, question.answer = options, key
    question.explanation = (explanation or "").strip()[:1000]
    question.points = _positive(points, "分值", upper=100)
    question.save()
    _log(actor, "question.save", course, question=question.pk)
    return question


def _checked_key(kind: str, choices: list[Any], answer: list[Any]) -> tuple[list[str], list[Any]]:
    """(options, answer key) of a question of `kind`, or ValidationError saying what is wrong."""
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        options = [str(c).strip() for c in choices if str(c).strip()]
        if not 2 <= len(options) <= MAX_CHOICES or len(options) != len(choices):
            raise ValidationError(f"选择题须有 2 到 {MAX_CHOICES} 个不为空的选项", code="bad_choices")
        valid = all(isinstance(a, int) and not isinstance(a, bool) and 0 <= a < len(options) for a in answer)
        wanted = len(answer) == 1 if kind == QuestionKind.SINGLE else len(answer) >= 2
        if not valid or not wanted or len(set(answer)) != len(answer):
            raise ValidationError("单选题须有一个正确选项，多选题至少两个", code="bad_answer_key")
        return options, sorted(answer)
    if kind == QuestionKind.TRUE_FALSE:
        if len(answer) != 1 or not isinstance(answer[0], bool):
            raise ValidationError("判断题的答案须为“正确”或“错误”", code="bad_answer_key")
        return [], answer
    if kind == QuestionKind.FILL:
        accepted = [str(a).strip() for a in answer if str(a).strip()]
        if not accepted:
            raise ValidationError("填空题至少需要一个参考答案", code="bad_answer_key")
        return [], accepted
    raise ValidationError("请选择题型", code="bad_kind")


@transaction.atomic
def quiz_save(
    *,
    actor: User,
    course: Course,
    title: str,
    draw_count: int,
    pass_percent: int = 60,
    max_attempts: int = 3,
    time_limit_minutes: int | None = None,
    is_exam: bool = False,
    lesson: Lesson | None = None,
    quiz: Quiz | None = None,
) -> Quiz:
    """A lesson's quiz or (no `lesson`) the course's final exam; one of each at most."""
    course = _editable_part(actor, course, lesson)
    title = _text(title, "测验名称", upper=120, code="title_required")
    quiz = _own(quiz or Quiz(course=course), course)
    quiz.lesson, quiz.title, quiz.is_exam = lesson, title, bool(is_exam)
    quiz.draw_count = _positive(draw_count, "每次抽题数", upper=200)
    quiz.max_attempts = _positive(max_attempts, "可作答次数", upper=20)
    if isinstance(pass_percent, bool) or not str(pass_percent).isdigit() or int(pass_percent) > 100:
        raise ValidationError("及格分应为 0 到 100 之间的整数", code="bad_number")
    quiz.pass_percent = int(pass_percent)
    quiz.time_limit_minutes = (
        _positive(time_limit_minutes, "限时（分钟）", upper=600) if time_limit_minutes else None
    )
    try:
        with transaction.atomic():
            quiz.save()
    except IntegrityError:
        raise ValidationError(
            "每个课时只能有一个测验，每门课程只能有一次结业考试", code="quiz_exists"
        ) from None
    _log(actor, "quiz.save", course, quiz=quiz.pk)
    return quiz
