"""Builders for the learning tests: a tiny MP4 the server can measure, a PDF, and a published course made
through the services (written by A's worker, approved by A's instructor)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.learning import services
from dangjian.learning.models import Course, Lesson, LessonKind, QuestionKind, Quiz
from dangjian.learning.samples import mp4_bytes

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.get_fixed_timezone(0))  # 09:00 in Shanghai


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def mp4_upload(seconds: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("第一课.mp4", mp4_bytes(seconds), content_type="video/mp4")


def pdf_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "讲义.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


@dataclass
class Built:
    course: Course
    video: Lesson
    document: Lesson
    quiz: Quiz | None


def draft_course(
    world: Any, *, title: str = "学习贯彻党的二十大精神", video_seconds: int = 600, pages: int = 3
) -> Built:
    author = world.worker_a
    course = services.course_create(actor=author, station=world.a, title=title, description="专题学习")
    video = services.lesson_save(
        actor=author, course=course, title="开篇导学", kind=LessonKind.VIDEO, upload=mp4_upload(video_seconds)
    )
    document = services.lesson_save(
        actor=author,
        course=course,
        title="原文选读",
        kind=LessonKind.DOCUMENT,
        upload=pdf_upload(),
        page_count=pages,
    )
    return Built(course, video, document, None)


def add_exam(
    world: Any,
    built: Built,
    *,
    draw: int = 2,
    pass_percent: int = 60,
    attempts: int = 2,
    minutes: int | None = 20,
) -> Quiz:
    author = world.worker_a
    course = built.course
    services.question_save(
        actor=author,
        course=course,
        kind=QuestionKind.SINGLE,
        text="党的根本宗旨是？",
        choices=["全心全意为人民服务", "发展经济"],
        answer=[0],
        explanation="党章总纲。",
    )
    services.question_save(
        actor=author,
        course=course,
        kind=QuestionKind.MULTIPLE,
        text="“四个意识”包括？",
        choices=["政治意识", "大局意识", "市场意识", "看齐意识"],
        answer=[0, 1, 3],
        explanation="还有核心意识。",
    )
    services.question_save(
        actor=author, course=course, kind=QuestionKind.TRUE_FALSE, text="党员应按期交纳党费。", answer=[True]
    )
    services.question_save(
        actor=author,
        course=course,
        kind=QuestionKind.FILL,
        text="党的最高理想是实现____。",
        answer=["共产主义"],
    )
    quiz = services.quiz_save(
        actor=author,
        course=course,
        title="结业考试",
        draw_count=draw,
        pass_percent=pass_percent,
        max_attempts=attempts,
        time_limit_minutes=minutes,
        is_exam=True,
    )
    built.quiz = quiz
    return quiz


def publish(world: Any, built: Built) -> Built:
    services.course_submit(actor=world.worker_a, course=built.course)
    services.course_approve(actor=world.instructor_a, course=built.course)
    built.course.refresh_from_db()
    for row in (built.video, built.document, built.quiz):
        if row is not None:
            row.refresh_from_db()
            row.course = built.course
    return built


def finish(user: Any, built: Built, *, start: float) -> float:
    """Learn every lesson honestly from wall second `start` (30 s beats: the largest gap the rule pays), pass
    the exam if there is one; returns the wall second reached."""
    from dangjian.learning.progress import heartbeat, lesson_open
    from dangjian.learning.quizzes import attempt_start, attempt_submit

    now = start
    lesson_open(actor=user, lesson=built.video, now=at(now))
    for media in range(0, built.video.duration_seconds, 30):
        now += 30
        heartbeat(actor=user, lesson=built.video, segments=[[media, media + 30]], now=at(now))
    lesson_open(actor=user, lesson=built.document, now=at(now))
    for page in range(1, built.document.page_count + 1):
        now += 10
        heartbeat(actor=user, lesson=built.document, page=page, now=at(now))
    if built.quiz is not None:
        attempt = attempt_start(actor=user, quiz=built.quiz, now=at(now))
        from dangjian.learning.models import Question

        key = {
            str(q.pk): q.answer if q.kind == "multiple" else q.answer[0]
            for q in Question.objects.filter(pk__in=attempt.question_ids)
        }
        attempt_submit(actor=user, attempt=attempt, answers=key, now=at(now + 60))
        now += 60
    return now
