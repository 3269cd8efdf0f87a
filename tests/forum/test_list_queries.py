"""The board page, the topic page, the instructor's questions, the moderation queue and the API lists use
the same number of queries for 1 row and for many (pictures, likes and authors included)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.forum import services
from tests import factories as f
from tests.forum.builders import answer, ask, png, post

pytestmark = pytest.mark.django_db


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _grow(forum: Any, times: int) -> None:
    for n in range(times):
        author = f.UserFactory(home_station=forum.a)
        topic = post(author, forum.board_a, title=f"楼宇党建交流第{n}帖", images=[png()])
        question = ask(author, forum.board_a, title=f"问指导员第{n}问")
        reply = answer(forum.instructor_a, question, as_answer=True, images=[png()])
        services.like_set(actor=forum.member2, post=topic, liked=True)
        services.like_set(actor=forum.member2, post=reply, liked=True)
        answer(author, forum.topic, body=f"第{n}条回复", images=[png()])
        services.report_create(actor=author, topic=forum.topic, reason=f"举报{n}")


def _compare(forum: Any, client: Any, url: Callable[[Any], str], login: Any = None) -> None:
    if login is not None:
        client.force_login(login)
    forum.topic = post(forum.member, forum.board_a, title="主题页")
    _grow(forum, 1)
    few = _queries(client, url(forum))
    _grow(forum, 5)
    many = _queries(client, url(forum))
    assert many == few, f"{url(forum)}: {few} queries for 1 row, {many} for 6"


@pytest.mark.parametrize("who", ["anonymous", "member2", "worker_a"])
def test_the_board_page(forum, client, who: str) -> None:
    login = None if who == "anonymous" else getattr(forum, who)
    _compare(forum, client, lambda w: reverse("forum:board", args=[w.board_a.pk]), login)


@pytest.mark.parametrize("who", ["anonymous", "member2", "worker_a"])
def test_the_topic_page(forum, client, who: str) -> None:
    login = None if who == "anonymous" else getattr(forum, who)
    _compare(forum, client, lambda w: reverse("forum:topic", args=[w.topic.pk]), login)


def test_the_home_questions_and_queue(forum, client) -> None:
    _compare(forum, client, lambda w: reverse("forum:home"))
    client.force_login(forum.instructor_a)
    few = _queries(client, reverse("forum:questions"))
    _grow(forum, 3)
    assert _queries(client, reverse("forum:questions")) == few
    client.force_login(forum.worker_a)
    few = _queries(client, reverse("forum:queue"))
    _grow(forum, 3)
    assert _queries(client, reverse("forum:queue")) == few


def test_the_api_lists(forum, client) -> None:
    client.force_login(forum.member2)
    _compare(forum, client, lambda w: f"/api/v1/forum/boards/{w.board_a.pk}/topics")
    few = _queries(client, f"/api/v1/forum/topics/{forum.topic.pk}")
    _grow(forum, 2)
    assert _queries(client, f"/api/v1/forum/topics/{forum.topic.pk}") == few
    assert _queries(client, f"/api/v1/forum/topics/{forum.topic.pk}/replies") <= few + 1
