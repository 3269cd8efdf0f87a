"""The forum API (`/api/v1/forum`): read boards, topics and a topic with replies; post topics and replies;
like; refusals keep their codes."""

from __future__ import annotations

import pytest
from django.test import Client

from dangjian.forum import services
from dangjian.forum.models import PostStatus, Topic
from tests.forum.builders import answer, ask, post

pytestmark = pytest.mark.django_db

API = "/api/v1/forum"


def _json(client: Client, url: str, body: dict) -> tuple[int, dict]:
    response = client.post(url, body, content_type="application/json")
    return response.status_code, response.json()


def test_reading_needs_no_account(forum, client) -> None:
    question = ask(forum.member, forum.board_a)
    reply = answer(forum.instructor_a, question, as_answer=True)
    boards = client.get(f"{API}/boards").json()
    assert boards["count"] == 3 and boards["items"][0]["is_platform"]
    topics = client.get(f"{API}/boards/{forum.board_a.pk}/topics").json()["items"]
    assert [t["id"] for t in topics] == [question.pk]
    assert topics[0]["answered"] and topics[0]["answered_by"]["name"] == "陈立群"
    detail = client.get(f"{API}/topics/{question.pk}").json()
    assert detail["replies"][0]["id"] == reply.pk and detail["replies"][0]["by_instructor"]
    assert detail["answer_id"] == reply.pk
    replies = client.get(f"{API}/topics/{question.pk}/replies").json()
    assert replies["count"] == 1
    assert client.get(f"{API}/boards/{forum.board_a.pk}/topics?answered=false").json()["count"] == 0


def test_posting_needs_an_account(forum, client) -> None:
    status, body = _json(client, f"{API}/boards/{forum.board_a.pk}/topics", {"title": "匿名", "body": "匿名"})
    assert status == 401 and body["code"] == "not_authenticated"
    assert not Topic.objects.exists()


def test_post_a_topic_and_a_reply_and_like(forum, client) -> None:
    client.force_login(forum.member)
    status, made = _json(
        client,
        f"{API}/boards/{forum.board_a.pk}/topics",
        {"title": "问一下", "body": "党费怎么交？", "kind": "question"},
    )
    assert status == 201 and made["kind"] == "question" and made["status"] == "published"
    client.force_login(forum.instructor_a)
    status, reply = _json(
        client, f"{API}/topics/{made['id']}/replies", {"body": "在平台上在线缴纳。", "as_answer": True}
    )
    assert status == 201 and reply["by_instructor"]
    assert Topic.objects.get(pk=made["id"]).answer_id == reply["id"]
    client.force_login(forum.member2)
    status, liked = _json(client, f"{API}/topics/{made['id']}/like", {"liked": True})
    assert (status, liked) == (200, {"liked": True, "like_count": 1})
    status, liked = _json(client, f"{API}/replies/{reply['id']}/like", {})
    assert (status, liked) == (200, {"liked": True, "like_count": 1})


def test_refusals_keep_their_codes(forum, client) -> None:
    client.force_login(forum.member)
    board_url = f"{API}/boards/{forum.board_a.pk}/topics"
    status, body = _json(client, board_url, {"title": "广告", "body": "专业代开发票"})
    assert status == 400 and body["code"] == "sensitive" and "代开发票" in body["message"]
    status, body = _json(client, board_url, {"title": "", "body": "正文"})
    assert status == 422
    status, body = _json(client, board_url, {"title": "标\u0000题", "body": "正文"})
    assert status == 422
    status, body = _json(client, board_url, {"title": "兼职", "body": "加微信领红包"})
    assert status == 201 and body["status"] == PostStatus.PENDING
    topic = post(forum.member, forum.board_a)
    services.moderate(actor=forum.worker_a, post=topic, action="lock", reason="讨论结束")
    status, body = _json(client, f"{API}/topics/{topic.pk}/replies", {"body": "补充"})
    assert status == 400 and body["code"] == "locked" and body["message"] == "该主题已锁定，不能再回复"
    assert _json(client, f"{API}/topics/999999/replies", {"body": "补充"})[0] == 404
    assert _json(client, f"{API}/boards/99999999999999999999/topics", {"title": "a", "body": "b"})[0] == 422


def test_a_held_topic_is_missing_for_others(forum, client) -> None:
    topic = post(forum.member, forum.board_a, body="加微信领红包")
    client.force_login(forum.member2)
    assert client.get(f"{API}/topics/{topic.pk}").status_code == 404
    assert client.get(f"{API}/boards/{forum.board_a.pk}/topics").json()["count"] == 0
    assert _json(client, f"{API}/topics/{topic.pk}/like", {"liked": True})[0] == 404
