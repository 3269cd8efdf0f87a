"""Completion that cannot be faked (issue 11 §2, acceptance): heartbeats claiming more than has elapsed on
the server, stretches played twice, a seek to the end, a sped-up client and a second tab do not complete a
video; honest play of 90% does. Documents complete when every page has been read long enough."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scopes_disabled

from dangjian.learning import services
from dangjian.learning.models import CourseCompletion, LessonKind, LessonProgress, PointEntry
from dangjian.learning.progress import heartbeat, lesson_open
from tests.learning.builders import at, draft_course, publish

pytestmark = pytest.mark.django_db
BEAT = 10


def play(
    user,
    lesson,
    *,
    wall_from: float,
    media_from: float,
    seconds: float,
    media_step: float = BEAT,
    every: float = BEAT,
):
    """Beats every `every` wall seconds, each claiming the next `media_step` seconds of the video."""
    beats = []
    for n in range(1, math.ceil(seconds / every) + 1):
        start = media_from + (n - 1) * media_step
        beats.append(
            heartbeat(
                actor=user,
                lesson=lesson,
                segments=[[start, start + media_step]],
                position=start + media_step,
                now=at(wall_from + n * every),
            )
        )
    return beats


def progress_of(user, lesson) -> LessonProgress:
    with scopes_disabled():
        return LessonProgress.objects.get(user=user, lesson=lesson)


def test_honest_play_of_ninety_percent_completes_the_video(lw, course) -> None:
    lesson_open(actor=lw.member, lesson=course.video, now=at(0))
    beats = play(lw.member, course.video, wall_from=0, media_from=0, seconds=540)
    assert [b.lesson_completed for b in beats].index(True) == 53  # the 54th beat reaches 540 s = 90%
    assert progress_of(lw.member, course.video).covered_seconds == 540
    assert not beats[52].progress.completed_at


def test_heartbeats_claiming_more_than_elapsed_do_not_complete(lw, course) -> None:
    lesson_open(actor=lw.member, lesson=course.video, now=at(0))
    for n in range(1, 7):  # every 10 s, each claiming the whole video
        beat = heartbeat(
            actor=lw.member, lesson=course.video, segments=[[0, 600]], position=600, now=at(n * BEAT)
        )
        assert beat.gained == 10
    progress = progress_of(lw.member, course.video)
    assert progress.covered_seconds == 60 and progress.completed_at is None
    assert progress.intervals == [[0.0, 60.0]]  # the earliest stretch is kept


def test_a_stretch_played_twice_counts_once(lw, course) -> None:
    lesson_open(actor=lw.member, lesson=course.video, now=at(0))
    play(lw.member, course.video, wall_from=0, media_from=0, seconds=300)
    again = play(lw.member, course.video, wall_from=300, media_from=0, seconds=300)
    assert sum(b.gained for b in again) == 0
    progress = progress_of(lw.member, course.video)
    assert progress.covered_seconds == 300 and progress.completed_at is None


def test_a_seek_to_the_end_does_not_complete_and_resume_is_where_the_learner_stopped(lw, course) -> None:
    lesson_open(actor=lw.member, lesson=course.video, now=at(0))
    play(lw.member, course.video, wall_from=0, media_from=0, seconds=20)
    heartbeat(actor=lw.member, lesson=course.video, segments=[[590, 600]], position=600, now=at(30))
    progress = progress_of(lw.member, course.video)
    assert progress.covered_seconds == 30 and progress.completed_at is None
    assert lesson_open(actor=lw.member, lesson=course.video, now=at(40)).position == 600


def test_a_sped_up_player_is_paid_only_for_the_time_that_passed(lw, course) -> None:
    lesson_open(actor=lw.member, lesson=course.video, now=at(0))
    beats = play(
        lw.member, course.video, wall_from=0, media_from=0, seconds=300, media_step=20
    )  # claims 2x speed
    assert sum(b.gained for b in beats) == 300
    assert progress_of(lw.member, course.video).completed_at is None


def test_a_second_tab_playing_another_part_adds_no_more_than_the_wall_time(lw, course) -> None:
    lesson_open(actor=lw.member, lesson=course.video, now=at(0))
    gained = 0.0
    for n in range(1, 31):  # 300 s of wall time, two tabs beating together
        first = heartbeat(
            actor=lw.member, lesson=course.video, segments=[[(n - 1) * 10, n * 10]], now=at(n * BEAT)
        )
        second = heartbeat(
            actor=lw.member,
            lesson=course.video,
            segments=[[300 + (n - 1) * 10, 300 + n * 10]],
            now=at(n * BEAT),
        )
        gained += first.gained + second.gained
    assert gained == 300
    assert progress_of(lw.member, course.video).completed_at is None


def test_a_pause_banks_at_most_the_largest_gap(lw, course) -> None:
    lesson_open(actor=lw.member, lesson=course.video, now=at(0))
    beat = heartbeat(actor=lw.member, lesson=course.video, segments=[[0, 100]], now=at(3600))
    assert beat.gained == 30  # the rule's max_beat_gap


def test_a_client_clock_ahead_changes_nothing_the_server_time_decides(lw, course) -> None:
    lesson_open(actor=lw.member, lesson=course.video, now=at(0))
    first = heartbeat(actor=lw.member, lesson=course.video, segments=[[0, 10]], now=at(10))
    same_instant = heartbeat(actor=lw.member, lesson=course.video, segments=[[10, 20]], now=at(10))
    assert (first.gained, same_instant.gained) == (10, 0)


def test_a_document_completes_when_every_page_was_read_long_enough(lw, course) -> None:
    lesson = course.document  # 3 pages, at least 10 s each (the default rule)
    lesson_open(actor=lw.member, lesson=lesson, now=at(0))
    heartbeat(actor=lw.member, lesson=lesson, page=1, now=at(10))
    heartbeat(actor=lw.member, lesson=lesson, page=2, now=at(20))
    assert not heartbeat(actor=lw.member, lesson=lesson, page=3, now=at(25)).lesson_completed
    assert heartbeat(actor=lw.member, lesson=lesson, page=3, now=at(30)).lesson_completed
    assert progress_of(lw.member, lesson).page_seconds == {"1": 10.0, "2": 10.0, "3": 10.0}


def test_jumping_to_the_last_page_of_a_document_does_not_complete(lw, course) -> None:
    lesson = course.document
    lesson_open(actor=lw.member, lesson=lesson, now=at(0))
    beat = heartbeat(actor=lw.member, lesson=lesson, page=3, now=at(600))
    assert beat.gained == 30 and not beat.lesson_completed


def test_completing_every_lesson_completes_the_course_with_hours_and_points(lw, course) -> None:
    lesson_open(actor=lw.member, lesson=course.video, now=at(0))
    play(lw.member, course.video, wall_from=0, media_from=0, seconds=600)
    lesson_open(actor=lw.member, lesson=course.document, now=at(700))
    last = [
        heartbeat(actor=lw.member, lesson=course.document, page=p, now=at(700 + 10 * p)) for p in (1, 2, 3)
    ][-1]
    assert last.course_completed
    with scopes_disabled():
        completion = CourseCompletion.objects.get(user=lw.member, course=course.course)
        points = sorted(PointEntry.objects.filter(user=lw.member).values_list("action", "points"))
    # 600 s of video + 3 pages × 10 s = 10.5 minutes: under 15 minutes, 0.25 学时
    assert (completion.course_hours, completion.exam_bonus, completion.credit_hours) == (
        Decimal("0.25"),
        Decimal("0"),
        Decimal("0.25"),
    )
    assert completion.year == 2026 and completion.station_id == lw.a.pk
    assert points == [("course_completed", 5), ("lesson_completed", 1), ("lesson_completed", 1)]


def test_a_prerequisite_must_be_done_first(lw) -> None:
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
    with pytest.raises(ValidationError) as refused:
        lesson_open(actor=lw.member, lesson=built.document, now=at(0))
    assert refused.value.code == "prerequisite"


def test_a_draft_course_and_anonymous_visitors_cannot_be_studied(lw) -> None:
    built = draft_course(lw)
    with pytest.raises(PermissionDenied):
        lesson_open(actor=lw.member, lesson=built.video, now=at(0))
    publish(lw, built)
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        heartbeat(actor=AnonymousUser(), lesson=built.video, segments=[[0, 10]], now=at(10))


@pytest.mark.parametrize(
    "segments",
    ["0-10", [[0]], [[10, 0]], [[-1, 5]], [["a", 5]], [[float("nan"), 5]], [[True, 5]], [[0, 1]] * 31],
)
def test_malformed_heartbeats_are_refused_with_a_message(lw, course, segments) -> None:
    with pytest.raises(ValidationError) as refused:
        heartbeat(actor=lw.member, lesson=course.video, segments=segments, now=at(10))
    assert refused.value.code == "bad_heartbeat" and refused.value.messages[0]


@pytest.mark.parametrize("page", [None, 0, 4, "x", -1, True, 1.5])
def test_a_page_outside_the_document_is_refused(lw, course, page) -> None:
    with pytest.raises(ValidationError) as refused:
        heartbeat(actor=lw.member, lesson=course.document, page=page, now=at(10))
    assert refused.value.code == "bad_heartbeat"
