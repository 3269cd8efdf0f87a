"""The forum's demo data: the platform board and the stations' boards, with discussions, answered and
open 问指导员 questions and a report waiting, all readable on the pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from dangjian.demo.forum_seed import create_forum
from dangjian.forum.models import Board, Report, Topic, TopicKind
from tests.forum.builders import post

pytestmark = pytest.mark.django_db


def test_the_demo_boards_are_lived_in(forum, client) -> None:
    made = create_forum(date(2026, 6, 15))
    assert made == Topic.objects.count() > 0
    assert Board.objects.filter(is_platform=True).count() == 1
    questions = Topic.objects.filter(board=forum.board_a, kind=TopicKind.QUESTION)
    assert questions.filter(answered_at__isnull=False, answered_by=forum.instructor_a).exists()
    assert questions.filter(answered_at__isnull=True).exists()
    assert Topic.objects.filter(board=forum.board_a, reply_count__gt=0).exists()
    assert Report.objects.filter(station=forum.a).exists()
    assert client.get(reverse("forum:board", args=[forum.board_a.pk])).status_code == 200
    for topic in Topic.objects.filter(board=forum.board_a)[:3]:
        assert client.get(reverse("forum:topic", args=[topic.pk])).status_code == 200
    board = Board.objects.get(pk=forum.board_a.pk)
    assert board.topic_count == Topic.objects.filter(board=board).count() and board.last_activity_at


def test_the_demo_text_passes_the_sensitive_words_untouched(forum) -> None:
    from dangjian.core.moderation import screen_text
    from dangjian.demo import forum_seed

    texts = [
        text
        for title, body, replies in forum_seed.PLATFORM_TOPICS + forum_seed.STATION_TOPICS
        for text in (title, body, *replies)
    ]
    texts += [text for question in forum_seed.QUESTIONS for text in question if text]
    assert [text for text in texts if not screen_text(text).clean] == []
    assert post(forum.member, forum.board_a, body=forum_seed.QUESTIONS[0][2] or "").status == "published"
