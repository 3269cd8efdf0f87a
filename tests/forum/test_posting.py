"""Posting in the forum: plain text, pictures through the upload checks, sensitive words (corpus untouched,
held, blocked, replaced), XSS payloads shown inert, @-mentions notified once, likes, locked topics."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled

from dangjian.core.models import AuditEvent, Notification
from dangjian.forum import services
from dangjian.forum.models import Like, Mention, PostImage, PostStatus, Reply, Topic
from tests.forum.builders import answer, png, post

pytestmark = pytest.mark.django_db

CORPUS = [
    line
    for line in (Path(__file__).parents[1] / "core" / "sensitive_corpus.txt").read_text("utf-8").splitlines()
    if line.strip()
]
HELD_WORD = "加微信领"  # in the built-in review list of dangjian/core/moderation.py
BLOCKED_WORD = "代开发票"
REPLACED_WORD = "脑残"
XSS = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">点我领取</a>',
]


def test_the_party_building_corpus_posts_untouched(forum) -> None:
    for number, line in enumerate(CORPUS):
        topic = post(forum.member, forum.board_a, title=f"学习交流第{number + 1}帖", body=line)
        assert topic.status == PostStatus.PUBLISHED, line
        assert Topic.objects.get(pk=topic.pk).body == line
    reply = answer(forum.member2, topic, body="\n".join(CORPUS[:20]))
    assert reply.status == PostStatus.PUBLISHED and reply.body == "\n".join(CORPUS[:20])


def test_a_listed_word_holds_the_post_for_the_stations_workers(forum, client) -> None:
    topic = post(forum.member, forum.board_a, body=f"兼职信息：{HELD_WORD}红包，名额有限")
    assert topic.status == PostStatus.PENDING and topic.review_note
    url = reverse("forum:topic", args=[topic.pk])
    assert client.get(url).status_code == 404  # nobody else sees it
    client.force_login(forum.member2)
    assert client.get(url).status_code == 404
    assert topic.title not in client.get(reverse("forum:board", args=[forum.board_a.pk])).content.decode()
    client.force_login(forum.member)  # the author, with the note
    page = client.get(url).content.decode()
    assert "审核" in page and topic.title in page
    client.force_login(forum.worker_b)  # another station's worker
    assert client.get(url).status_code == 404
    client.force_login(forum.worker_a)
    assert client.get(url).status_code == 200
    assert topic.title in client.get(reverse("forum:queue")).content.decode()
    response = client.post(reverse("forum:topic_moderate", args=[topic.pk, "approve"]))
    assert response.status_code == 302
    assert Topic.objects.get(pk=topic.pk).status == PostStatus.PUBLISHED
    client.logout()
    assert client.get(url).status_code == 200


def test_a_held_word_in_the_title_holds_too(forum) -> None:
    assert post(forum.member, forum.board_a, title=f"{HELD_WORD}活动").status == PostStatus.PENDING


def test_a_held_reply_is_rejected_with_its_reason(forum) -> None:
    topic = post(forum.member, forum.board_a)
    reply = answer(forum.member2, topic, body=f"{HELD_WORD}现金")
    assert reply.status == PostStatus.PENDING
    assert Topic.objects.get(pk=topic.pk).reply_count == 0
    with pytest.raises(ValidationError):
        services.review(actor=forum.worker_a, post=reply, approve=False, reason="")
    services.review(actor=forum.worker_a, post=reply, approve=False, reason="含广告信息")
    reply.refresh_from_db()
    assert reply.status == PostStatus.REJECTED and "含广告信息" in reply.review_note
    with pytest.raises(ValidationError) as refused:
        services.review(actor=forum.worker_a, post=reply, approve=True)
    assert refused.value.code == "wrong_state"


def test_a_blocked_word_is_refused_and_nothing_is_saved(forum, client) -> None:
    with scopes_disabled():
        before = (Topic.objects.count(), AuditEvent.objects.count())
        with pytest.raises(ValidationError) as refused:
            post(forum.member, forum.board_a, body=f"专业{BLOCKED_WORD}，联系电话见下")
        assert BLOCKED_WORD in refused.value.messages[0] and "不允许发布" in refused.value.messages[0]
        assert (Topic.objects.count(), AuditEvent.objects.count()) == before
    client.force_login(forum.member)
    response = client.post(
        reverse("forum:topic_new", args=[forum.board_a.pk]),
        {"kind": "discussion", "title": "求助", "body": f"哪里可以{BLOCKED_WORD}"},
    )
    assert response.status_code == 200 and "不允许发布" in response.content.decode()
    assert Topic.objects.count() == before[0]


def test_a_replaced_word_is_stored_masked(forum) -> None:
    reply = answer(forum.member2, post(forum.member, forum.board_a), body=f"这种做法真是{REPLACED_WORD}")
    assert reply.status == PostStatus.PUBLISHED
    assert REPLACED_WORD not in Reply.objects.get(pk=reply.pk).body and "＊＊" in reply.body


@pytest.mark.parametrize("payload", XSS)
def test_xss_payloads_are_stored_as_typed_and_shown_as_text(forum, client, payload: str) -> None:
    topic = post(forum.member, forum.board_a, title=f"标题{payload}"[:80], body=f"正文 {payload}")
    answer(forum.member2, topic, body=f"回复 {payload}")
    assert Topic.objects.get(pk=topic.pk).body == f"正文 {payload}"
    for url in (reverse("forum:topic", args=[topic.pk]), reverse("forum:board", args=[forum.board_a.pk])):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert '<a href="javascript:' not in page
    page = client.get(reverse("forum:topic", args=[topic.pk])).content.decode()
    assert "&lt;" in page


def test_pictures_are_checked_by_content_and_reencoded(forum) -> None:
    topic = post(forum.member, forum.board_a, images=[png(), png("第二张.png")])
    assert PostImage.objects.filter(topic=topic).count() == 2
    stored = PostImage.objects.filter(topic=topic).first()
    assert stored is not None and stored.image.name.endswith(".png")
    fake = SimpleUploadedFile("照片.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    with pytest.raises(ValidationError):
        post(forum.member, forum.board_a, images=[fake])
    with pytest.raises(ValidationError) as refused:
        post(forum.member, forum.board_a, images=[png() for _ in range(5)])
    assert refused.value.code == "too_many"


def test_pictures_through_the_page(forum, client) -> None:
    client.force_login(forum.member)
    response = client.post(
        reverse("forum:topic_new", args=[forum.board_a.pk]),
        {
            "kind": "discussion",
            "title": "书吧新到的图书",
            "body": "欢迎大家来借阅。",
            "images": [png(), png()],
        },
    )
    assert response.status_code == 302
    topic = Topic.objects.get(title="书吧新到的图书")
    assert PostImage.objects.filter(topic=topic).count() == 2
    assert "<img" in client.get(reverse("forum:topic", args=[topic.pk])).content.decode()


def test_mentions_notify_each_person_once(forum, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        topic = post(
            forum.member,
            forum.board_a,
            body="@李秀英 @lixiuying 周三的志愿服务一起去吧，@李秀英你也来。@王建华 @不存在的人",
        )
    assert list(Mention.objects.filter(topic=topic).values_list("user__username", flat=True)) == ["lixiuying"]
    assert Notification.objects.filter(recipient=forum.member2, title__contains="提到了您").count() == 1
    assert not Notification.objects.filter(recipient=forum.member, title__contains="提到了您").exists()


def test_mentions_of_people_of_another_station_are_ignored(forum, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post(forum.member, forum.board_a, body="@赵敏 你好")
    assert not Notification.objects.filter(recipient=forum.member_b).exists()


def test_a_held_posts_mentions_are_told_on_approval_once(forum, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        topic = post(forum.member, forum.board_a, body=f"@lixiuying {HELD_WORD}")
    assert not Notification.objects.filter(recipient=forum.member2).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.review(actor=forum.worker_a, post=topic, approve=True)
    assert Notification.objects.filter(recipient=forum.member2, title__contains="提到了您").count() == 1


def test_mentions_are_capped_per_post(forum) -> None:
    from tests import factories as f

    names = [f"people{n}" for n in range(8)]
    for name in names:
        f.UserFactory(username=name, home_station=forum.a)
    topic = post(forum.member, forum.board_a, body=" ".join(f"@{name}" for name in names))
    assert Mention.objects.filter(topic=topic).count() == 5


def test_likes_toggle_and_count_one_per_person(forum) -> None:
    topic = post(forum.member, forum.board_a)
    assert services.like_set(actor=forum.member2, post=topic, liked=True) == (True, 1)
    assert services.like_set(actor=forum.member2, post=topic, liked=True) == (True, 1)
    assert services.like_set(actor=forum.worker_a, post=topic, liked=True) == (True, 2)
    assert services.like_set(actor=forum.member2, post=topic, liked=False) == (False, 1)
    assert Topic.objects.get(pk=topic.pk).like_count == 1
    reply = answer(forum.member2, topic)
    services.like_set(actor=forum.member, post=reply, liked=True)
    assert Like.objects.filter(reply=reply).count() == 1
    assert Like.objects.filter(topic=topic, reply__isnull=True).count() == 1


def test_the_like_button_on_the_page(forum, client) -> None:
    topic = post(forum.member, forum.board_a)
    client.force_login(forum.member2)
    client.post(reverse("forum:topic_like", args=[topic.pk]), {"liked": "1"})
    assert "已赞 1" in client.get(reverse("forum:topic", args=[topic.pk])).content.decode()
    client.post(reverse("forum:topic_like", args=[topic.pk]), {"liked": "0"})
    assert Topic.objects.get(pk=topic.pk).like_count == 0
    button = client.post(reverse("forum:topic_like", args=[topic.pk]), {"liked": "1"}, HTTP_HX_REQUEST="true")
    assert button.status_code == 200 and "已赞 1" in button.content.decode()
    assert 'value="0"' in button.content.decode() and "<html" not in button.content.decode()


def test_a_locked_topic_refuses_replies_in_chinese(forum, client) -> None:
    topic = post(forum.member, forum.board_a)
    services.moderate(actor=forum.worker_a, post=topic, action="lock", reason="讨论已结束")
    with pytest.raises(ValidationError) as refused:
        answer(forum.member2, topic)
    assert refused.value.messages == ["该主题已锁定，不能再回复"]
    client.force_login(forum.member2)
    response = client.post(reverse("forum:reply", args=[topic.pk]), {"body": "还想补充一点"})
    assert "该主题已锁定，不能再回复" in response.content.decode()
    assert not Reply.objects.filter(topic=topic).exists()
    services.moderate(actor=forum.worker_a, post=topic, action="unlock", reason="重新开放讨论")
    assert answer(forum.member2, topic).status == PostStatus.PUBLISHED


def test_anonymous_visitors_cannot_post(forum, client) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        post(AnonymousUser(), forum.board_a)
    response = client.post(
        reverse("forum:topic_new", args=[forum.board_a.pk]),
        {"kind": "discussion", "title": "匿名", "body": "匿名"},
    )
    assert response.status_code == 302 and "/login" in response["Location"]
    assert not Topic.objects.exists()


@pytest.mark.parametrize(
    ("title", "body", "code"),
    [
        ("", "正文", "required"),
        ("标题", "   ", "required"),
        ("标题" * 50, "正文", "too_long"),
        ("标\x00题", "正文", "invalid"),
    ],
)
def test_bad_input_is_refused(forum, title: str, body: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        post(forum.member, forum.board_a, title=title, body=body)
    assert refused.value.code == code
    assert not Topic.objects.exists()


def test_replies_bump_the_topic_to_the_top(forum, client) -> None:
    older = post(forum.member, forum.board_a, title="较早的主题")
    post(forum.member, forum.board_a, title="较新的主题")
    answer(forum.member2, older)
    page = client.get(reverse("forum:board", args=[forum.board_a.pk])).content.decode()
    assert page.index("较早的主题") < page.index("较新的主题")
