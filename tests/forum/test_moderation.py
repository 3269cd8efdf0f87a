"""Moderation by the board station's workers and admin (HQ for the platform board): report, hide, lock, pin,
with the reason kept and audited; another station's worker meets A's board as missing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from dangjian.core.models import AuditEvent
from dangjian.forum import selectors, services
from dangjian.forum.models import ModerationLog, Report, ReportStatus, Topic
from tests.forum.builders import answer, post

pytestmark = pytest.mark.django_db


def test_another_stations_worker_cannot_moderate(forum, client) -> None:
    topic = post(forum.member, forum.board_a)
    reply = answer(forum.member2, topic)
    with pytest.raises(PermissionDenied):
        services.moderate(actor=forum.worker_b, post=topic, action="hide", reason="越权")
    client.force_login(forum.worker_b)
    for url in (
        reverse("forum:topic_moderate", args=[topic.pk, "hide"]),
        reverse("forum:topic_moderate", args=[topic.pk, "lock"]),
        reverse("forum:reply_moderate", args=[reply.pk, "hide"]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "越权"}).status_code == 404
    assert not ModerationLog.objects.exists()
    assert not Topic.objects.get(pk=topic.pk).is_hidden


def test_members_cannot_moderate(forum, client) -> None:
    topic = post(forum.member, forum.board_a)
    client.force_login(forum.member2)
    assert (
        client.post(reverse("forum:topic_moderate", args=[topic.pk, "pin"]), {"reason": "置顶"}).status_code
        == 404
    )
    assert client.get(reverse("forum:queue")).status_code == 403


def test_the_platform_board_is_kept_by_hq(forum) -> None:
    topic = post(forum.member, forum.platform)
    with pytest.raises(PermissionDenied):
        services.moderate(actor=forum.worker_a, post=topic, action="pin", reason="置顶")
    services.moderate(actor=forum.hq_worker, post=topic, action="pin", reason="全区通知")
    assert Topic.objects.get(pk=topic.pk).is_pinned


def test_hide_keeps_the_reason_and_hides_from_others(forum, client) -> None:
    topic = post(forum.member, forum.board_a, title="楼下停车位转让")
    client.force_login(forum.worker_a)
    assert (
        client.post(reverse("forum:topic_moderate", args=[topic.pk, "hide"]), {"reason": ""}).status_code
        == 200
    )
    assert not Topic.objects.get(pk=topic.pk).is_hidden  # no reason, no change
    response = client.post(
        reverse("forum:topic_moderate", args=[topic.pk, "hide"]), {"reason": "与党建无关的广告"}
    )
    assert response.status_code == 302
    log = ModerationLog.objects.get()
    assert (log.action, log.reason, log.actor) == ("hide", "与党建无关的广告", forum.worker_a)
    with scopes_disabled():
        event = AuditEvent.objects.get(action="forum.moderate.hide")
    assert event.data["reason"] == "与党建无关的广告" and event.station == forum.a
    client.force_login(forum.member2)
    assert client.get(reverse("forum:topic", args=[topic.pk])).status_code == 404
    assert (
        "楼下停车位转让" not in client.get(reverse("forum:board", args=[forum.board_a.pk])).content.decode()
    )
    client.force_login(forum.member)
    assert "与党建无关的广告" in client.get(reverse("forum:topic", args=[topic.pk])).content.decode()
    with pytest.raises(ValidationError) as refused:
        services.moderate(actor=forum.worker_a, post=topic, action="hide", reason="再次屏蔽")
    assert refused.value.code == "wrong_state"


def test_a_hidden_reply_is_not_shown_to_others(forum, client) -> None:
    topic = post(forum.member, forum.board_a)
    reply = answer(forum.member2, topic, body="这条回复将被屏蔽")
    services.moderate(actor=forum.own_admin, post=reply, action="hide", reason="人身攻击")
    assert Topic.objects.get(pk=topic.pk).reply_count == 0
    assert "这条回复将被屏蔽" not in client.get(reverse("forum:topic", args=[topic.pk])).content.decode()
    client.force_login(forum.worker_a)
    assert "这条回复将被屏蔽" in client.get(reverse("forum:topic", args=[topic.pk])).content.decode()


def test_pinned_topics_come_first(forum, client) -> None:
    pinned = post(forum.member, forum.board_a, title="站点公告：书吧开放时间调整")
    post(forum.member, forum.board_a, title="最新的讨论")
    services.moderate(actor=forum.worker_a, post=pinned, action="pin", reason="重要通知")
    page = client.get(reverse("forum:board", args=[forum.board_a.pk])).content.decode()
    assert page.index("书吧开放时间调整") < page.index("最新的讨论")
    services.moderate(actor=forum.worker_a, post=pinned, action="unpin", reason="通知已过期")
    page = client.get(reverse("forum:board", args=[forum.board_a.pk])).content.decode()
    assert page.index("最新的讨论") < page.index("书吧开放时间调整")
    assert list(ModerationLog.objects.values_list("action", flat=True)) == ["unpin", "pin"]


def test_reports_go_to_the_workers_queue(forum, client) -> None:
    topic = post(forum.member, forum.board_a)
    reply = answer(forum.member2, topic, body="推销保险，有意私聊")
    client.force_login(forum.member)
    response = client.post(reverse("forum:reply_report", args=[reply.pk]), {"reason": "广告推销"})
    assert response.status_code == 302
    with pytest.raises(ValidationError) as refused:
        services.report_create(actor=forum.member, topic=topic, reply=reply, reason="再报一次")
    assert refused.value.code == "duplicate"
    assert [r.reason for r in selectors.open_reports(user=forum.worker_a)] == ["广告推销"]
    assert not selectors.open_reports(user=forum.worker_b).exists()
    client.force_login(forum.worker_a)
    assert "广告推销" in client.get(reverse("forum:queue")).content.decode()
    assert "待处理的举报和待审帖子" in client.get(reverse("portal:workpage")).content.decode()
    services.moderate(actor=forum.worker_a, post=reply, action="hide", reason="广告")
    assert Report.objects.get().status == ReportStatus.UPHELD


def test_a_report_is_dismissed_with_a_reason(forum, client) -> None:
    topic = post(forum.member, forum.board_a)
    report = services.report_create(actor=forum.member2, topic=topic, reason="看不懂")
    client.force_login(forum.worker_b)
    assert client.post(reverse("forum:report_dismiss", args=[report.pk]), {"reason": "x"}).status_code == 404
    client.force_login(forum.worker_a)
    client.post(reverse("forum:report_dismiss", args=[report.pk]), {"reason": "内容正常"})
    report.refresh_from_db()
    assert report.status == ReportStatus.DISMISSED and report.handling_note == "内容正常"
    assert ModerationLog.objects.get().action == "dismiss_report"
    with pytest.raises(ValidationError):
        services.report_dismiss(actor=forum.worker_a, report=report, note="再次")


def test_anonymous_visitors_cannot_report(forum, client) -> None:
    topic = post(forum.member, forum.board_a)
    response = client.post(reverse("forum:topic_report", args=[topic.pk]), {"reason": "匿名举报"})
    assert response.status_code == 302 and not Report.objects.exists()


def test_an_unknown_action_is_not_found(forum, client) -> None:
    topic = post(forum.member, forum.board_a)
    client.force_login(forum.worker_a)
    assert (
        client.post(reverse("forum:topic_moderate", args=[topic.pk, "delete"]), {"reason": "x"}).status_code
        == 404
    )
    assert (
        client.post(
            reverse("forum:reply_moderate", args=[answer(forum.member2, topic).pk, "pin"])
        ).status_code
        == 404
    )
