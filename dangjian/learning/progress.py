"""Progress that cannot be faked (issue 11 §2): heartbeats, judged by the server's clock.

The player sends a heartbeat every ~10 seconds (and when the learner pauses, seeks or leaves):
- for a video, the stretches it played since the last beat (`segments`, in seconds of the video) and the
  playhead (`position`, where the learner resumes). What counts is the union of played stretches
  (intervals.py), never the playhead: a seek to the end adds nothing, a stretch played twice counts once.
  New stretches are accepted only as far as the server's clock pays for them: the time since the progress
  clock last advanced, at most `max_beat_gap` seconds, at `max_playback_rate` — so a beat claiming more
  than has elapsed, a sped-up client clock, or a second tab playing another part at the same time adds no
  more than the wall time that really passed. The lesson completes when the union covers
  `completion_ratio` (90%) of its length.
- for a document, e-book or rich text, the page shown during the time since the last beat (`page`); that
  time (at most `max_beat_gap`) is credited to the page. The lesson completes when every page, the last one
  included, has been read for `min_seconds_per_page`.

Every beat locks the learner's progress row, so two tabs' beats are taken one after the other against one
clock. The thresholds are data of the credit rule in force (credit_rules.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.learning import intervals
from dangjian.learning.completion import (
    award_points,
    complete_course_if_done,
    local_day,
    rule_in_force,
    station_for,
)
from dangjian.learning.credit_rules import CreditRules
from dangjian.learning.models import Lesson, LessonProgress

MAX_SEGMENTS = 30  # a heartbeat every ~10 s never carries more stretches than this


@dataclass(frozen=True)
class Beat:
    progress: LessonProgress
    gained: float  # video seconds newly covered, or reading seconds credited
    lesson_completed: bool  # completed by this beat
    course_completed: bool


def lesson_open(*, actor: Any, lesson: Lesson, now: datetime | None = None) -> LessonProgress:
    """Start (or resume) a lesson: the progress row, whose clock starts now the first time; `position` is
    where the learner stopped."""
    now = now or timezone.now()
    require_study(actor, lesson)
    with scopes_disabled(), transaction.atomic():
        return _progress_row(actor, lesson, now)


@transaction.atomic
def heartbeat(
    *,
    actor: Any,
    lesson: Lesson,
    segments: Any = (),
    position: Any = None,
    page: Any = None,
    now: datetime | None = None,
) -> Beat:
    now = now or timezone.now()
    require_study(actor, lesson)
    _, rules = rule_in_force(local_day(now))
    with scopes_disabled():
        _progress_row(actor, lesson, now)
        progress = LessonProgress.objects.select_for_update().get(user=actor, lesson=lesson)
        if lesson.is_video:
            gained, done = _video_beat(
                progress, lesson, rules, now, segments=_segments(segments), position=position
            )
        else:
            gained, done = _page_beat(progress, lesson, rules, now, page=_page(page, lesson))
        progress.updated_at = now
        newly = done and progress.completed_at is None
        if newly:
            progress.completed_at = now
        progress.save()
    course_completed = False
    if newly:
        station_id = station_for(actor, lesson.course)
        award_points(
            user=actor,
            station_id=station_id,
            action="lesson_completed",
            source=f"lesson:{lesson.pk}",
            now=now,
            rules=rules,
        )
        course_completed = complete_course_if_done(user=actor, course=lesson.course, now=now) is not None
    return Beat(progress, gained, newly, course_completed)


def require_study(actor: Any, lesson: Lesson) -> None:
    """The learner may study the course, and the lesson's prerequisites are done."""
    if not actor.has_perm("learning.study", lesson.course):
        raise PermissionDenied
    if lesson.is_video and lesson.duration_seconds <= 0:
        raise ValidationError("该视频课时尚未设置时长，暂不能学习", code="lesson_not_ready")
    required = {p.pk for p in lesson.prerequisites.all()}
    if required:
        with scopes_disabled():
            done = set(
                LessonProgress.objects.filter(
                    user=actor, lesson_id__in=required, completed_at__isnull=False
                ).values_list("lesson_id", flat=True)
            )
        if required - done:
            raise ValidationError("请先学完本课时的先修课时", code="prerequisite")


def _progress_row(actor: Any, lesson: Lesson, now: datetime) -> LessonProgress:
    progress, _ = LessonProgress.objects.get_or_create(
        user=actor,
        lesson=lesson,
        defaults={
            "station_id": station_for(actor, lesson.course),
            "clock_at": now,
            "started_at": now,
            "updated_at": now,
        },
    )
    return progress


def _video_beat(
    progress: LessonProgress,
    lesson: Lesson,
    rules: CreditRules,
    now: datetime,
    *,
    segments: list[tuple[float, float]],
    position: Any,
) -> tuple[float, bool]:
    length = float(lesson.duration_seconds)
    rate = float(rules.max_playback_rate)
    window_start, budget = intervals.allowance(
        now=now, clock_at=progress.clock_at, rate=rate, max_gap=rules.max_beat_gap
    )
    union, gained = intervals.accept(progress.intervals, segments, length=length, budget=budget)
    if gained:
        progress.clock_at = min(now, window_start + timedelta(seconds=gained / rate))
    progress.intervals = [list(pair) for pair in union]
    progress.covered_seconds = intervals.covered(union)
    if position is not None:
        progress.position = min(max(_number(position, "播放位置"), 0.0), length)
    done = Decimal(str(progress.covered_seconds)) >= rules.completion_ratio * Decimal(lesson.duration_seconds)
    return gained, done


def _page_beat(
    progress: LessonProgress, lesson: Lesson, rules: CreditRules, now: datetime, *, page: int
) -> tuple[float, bool]:
    elapsed = (now - progress.clock_at).total_seconds()
    credit = round(min(max(elapsed, 0.0), float(rules.max_beat_gap)), 3)
    if now > progress.clock_at:
        progress.clock_at = now
    seconds = dict(progress.page_seconds)
    seconds[str(page)] = round(float(seconds.get(str(page), 0)) + credit, 3)
    progress.page_seconds = seconds
    progress.position = float(page)
    minimum = rules.min_seconds_per_page
    done = all(float(seconds.get(str(p), 0)) >= minimum for p in range(1, lesson.page_count + 1))
    return credit, done


# ---------------------------------------------------------------- input a client sends


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValidationError(f"{what}应为数字", code="bad_heartbeat")
    try:
        number = float(value)
    except ValueError:
        raise ValidationError(f"{what}应为数字", code="bad_heartbeat") from None
    if not math.isfinite(number):
        raise ValidationError(f"{what}应为数字", code="bad_heartbeat")
    return number


def _segments(raw: Any) -> list[tuple[float, float]]:
    """[[start, end], …] in seconds of the video, each start before its end; at most MAX_SEGMENTS."""
    if raw is None:
        return []
    if not isinstance(raw, list | tuple) or len(raw) > MAX_SEGMENTS:
        raise ValidationError(f"播放区间应为不超过 {MAX_SEGMENTS} 段的列表", code="bad_heartbeat")
    parsed = []
    for item in raw:
        if not isinstance(item, list | tuple) or len(item) != 2:
            raise ValidationError("每段播放区间应为[开始秒数, 结束秒数]", code="bad_heartbeat")
        start, end = _number(item[0], "播放区间"), _number(item[1], "播放区间")
        if start < 0 or end < start:
            raise ValidationError("播放区间的开始不能小于 0，也不能晚于结束", code="bad_heartbeat")
        parsed.append((start, end))
    return parsed


def _page(raw: Any, lesson: Lesson) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | str) or not str(raw).isdigit():
        raise ValidationError("请提供当前页码", code="bad_heartbeat")
    page = int(raw)
    if not 1 <= page <= lesson.page_count:
        raise ValidationError(f"页码应在 1 到 {lesson.page_count} 之间", code="bad_heartbeat")
    return page
