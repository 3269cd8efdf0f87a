"""Two tabs at once (issue 11 §2): heartbeats of the same learner and lesson arriving together are taken
one after the other against one clock, so together they gain no more than the time that passed; the first
beats of two tabs create one progress row. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from dangjian.accounts.models import User
from dangjian.learning.models import Lesson, LessonProgress
from dangjian.learning.progress import heartbeat, lesson_open
from tests.concurrency import run_at_once
from tests.learning.builders import at, draft_course, publish

TABS = 4


@pytest.mark.django_db(transaction=True)
def test_tabs_beating_at_once_gain_only_the_elapsed_time(lw) -> None:
    built = publish(lw, draft_course(lw))
    lesson_open(actor=lw.member, lesson=built.video, now=at(0))

    def tab(index: int) -> float:
        user = User.objects.get(pk=lw.member.pk)
        lesson = Lesson.objects.select_related("course").get(pk=built.video.pk)
        start = index * 100
        return heartbeat(actor=user, lesson=lesson, segments=[[start, start + 10]], now=at(10)).gained

    results = run_at_once(tab, TABS)
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(results) == 10  # type: ignore[arg-type]
    with scopes_disabled():
        assert LessonProgress.objects.get(user=lw.member, lesson=built.video).covered_seconds == 10


@pytest.mark.django_db(transaction=True)
def test_first_beats_of_two_tabs_make_one_progress_row(lw) -> None:
    built = publish(lw, draft_course(lw))

    def tab(index: int) -> float:
        user = User.objects.get(pk=lw.member.pk)
        lesson = Lesson.objects.select_related("course").get(pk=built.document.pk)
        return heartbeat(actor=user, lesson=lesson, page=1, now=at(index)).gained

    results = run_at_once(tab, TABS)
    assert not [r for r in results if isinstance(r, BaseException)], results
    with scopes_disabled():
        assert LessonProgress.objects.filter(user=lw.member, lesson=built.document).count() == 1
