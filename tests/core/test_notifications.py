"""Notifications (DB3212/T 1124 §7.1): written and mailed only after commit, one per person; the inbox
page, the header badge and the API each show only the person's own."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.celery import app as celery_app
from dangjian.accounts.services import token_create
from dangjian.core.context_processors import notifications
from dangjian.core.models import Notification
from dangjian.core.notifications import mark_all_read, mark_read, notify, unread_count

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture(autouse=True)
def eager_tasks(monkeypatch) -> None:
    """Run Celery tasks inline even when REDIS_URL turns the settings' eager default off."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


def send(django_capture_on_commit_callbacks, recipients, **kwargs) -> None:
    """`notify` inside a transaction that commits (the test's own transaction never does)."""
    kwargs.setdefault("title", "主题党日活动报名已开始")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=recipients, **kwargs)


def give(user, n: int, **kwargs) -> list[Notification]:
    """`n` notifications for `user`, written directly (no on_commit)."""
    return Notification.objects.bulk_create(
        Notification(recipient=user, title=f"通知{i}", url=f"/n/{i}/", **kwargs) for i in range(n)
    )


# ---------------------------------------------------------------- notify


def test_notify_writes_one_row_per_person_only_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(
            recipients=[world.member, world.resident, world.member],
            title="党课《新时代楼宇党建》今晚开讲",
            body="地点：万达广场分站党群服务中心",
            url="/stations/wanda/",
            station=world.a,
        )
        assert not Notification.objects.exists()

    assert len(callbacks) == 1
    rows = Notification.objects.order_by("recipient_id")
    assert [n.recipient_id for n in rows] == sorted([world.member.pk, world.resident.pk])
    assert {(n.title, n.url, n.station_id, n.read_at) for n in rows} == {
        ("党课《新时代楼宇党建》今晚开讲", "/stations/wanda/", world.a.pk, None)
    }


def test_rolled_back_change_notifies_nobody(world, django_capture_on_commit_callbacks, mailoutbox):
    world.member.email = "member@example.com"
    world.member.save()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(recipients=[world.member], title="不会发出的通知")
        transaction.set_rollback(True)

    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_emails_go_to_those_with_an_address(world, django_capture_on_commit_callbacks, mailoutbox, settings):
    settings.SITE_URL = "https://dangjian.example.cn"
    world.member.email = "member@example.com"
    world.member.save()
    send(
        django_capture_on_commit_callbacks,
        [world.member, world.resident],
        title="党费收缴提醒",
        body="请于月底前缴纳",
        url="/dues/",
    )

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["member@example.com"]
    assert mail.subject == "【楼宇党建共享平台】党费收缴提醒"
    assert "请于月底前缴纳" in mail.body
    assert "查看详情：https://dangjian.example.cn/dues/" in mail.body


def test_email_false_sends_no_mail(world, django_capture_on_commit_callbacks, mailoutbox):
    world.member.email = "member@example.com"
    world.member.save()
    send(django_capture_on_commit_callbacks, [world.member], email=False)

    assert Notification.objects.filter(recipient=world.member).count() == 1
    assert mailoutbox == []


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_only_site_paths_are_accepted_as_links(world, url: str):
    with pytest.raises(ValueError):
        notify(recipients=[world.member], title="钓鱼链接", url=url)


def test_a_foreign_link_in_the_table_is_never_rendered_or_followed(world, client: Client):
    (notification,) = Notification.objects.bulk_create(
        [Notification(recipient=world.member, title="旧数据", url="//evil.example/")]
    )
    client.force_login(world.member)

    assert "evil.example" not in client.get(reverse("core:inbox")).content.decode()
    response = client.post(reverse("core:inbox_read", kwargs={"pk": notification.pk}))
    assert response["Location"] == reverse("core:inbox")


def test_long_titles_are_shortened(world, django_capture_on_commit_callbacks):
    send(django_capture_on_commit_callbacks, [world.member], title="长" * 200)

    title = Notification.objects.get().title
    assert len(title) == 120 and title.endswith("…")


# ---------------------------------------------------------------- read state


def test_mark_read_and_all_read(world):
    first, *_ = give(world.member, 3)
    give(world.resident, 1)
    assert unread_count(world.member) == 3

    mark_read(user=world.member, notification=first)
    first.refresh_from_db()
    assert first.read_at is not None
    assert unread_count(world.member) == 2

    assert mark_all_read(user=world.member) == 2
    assert unread_count(world.member) == 0
    assert unread_count(world.resident) == 1


def test_mark_read_refuses_anothers_notification(world):
    (notification,) = give(world.worker_a, 1)
    with pytest.raises(PermissionDenied):
        mark_read(user=world.member, notification=notification)


def test_anonymous_has_no_unread(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert unread_count(AnonymousUser()) == 0


# ---------------------------------------------------------------- pages


def test_header_shows_unread_count(world, client: Client):
    give(world.member, 4)
    client.force_login(world.member)

    page = client.get(reverse("portal:home")).content.decode()
    assert 'data-unread-count aria-hidden="true">4<' in page
    assert "消息通知，4 条未读" in page


def test_header_shows_no_badge_without_unread(world, client: Client):
    client.force_login(world.member)
    page = client.get(reverse("portal:home")).content.decode()
    assert reverse("core:inbox") in page
    assert "data-unread-count" not in page


def test_unread_count_is_not_queried_when_no_template_uses_it(world, rf):
    request = rf.get("/")
    request.user = world.member
    with CaptureQueriesContext(connection) as queries:
        context = notifications(request)
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        assert context["unread_notification_count"]() == 0
        assert context["unread_notification_count"]() == 0
    assert len(queries) == 1


def test_inbox_lists_own_notifications_unread_highlighted(world, client: Client):
    read, unread = give(world.member, 2)
    mark_read(user=world.member, notification=read)
    give(world.resident, 1)
    client.force_login(world.member)

    response = client.get(reverse("core:inbox"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("data-unread>") == 1
    assert reverse("core:inbox_read", kwargs={"pk": unread.pk}) in page
    assert reverse("core:inbox_read", kwargs={"pk": read.pk}) in page
    assert len(response.context["page"].object_list) == 2


def test_reading_one_goes_to_its_link(world, client: Client):
    (notification,) = give(world.member, 1)
    client.force_login(world.member)

    response = client.post(reverse("core:inbox_read", kwargs={"pk": notification.pk}))

    assert response.status_code == 302
    assert response["Location"] == "/n/0/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_reading_anothers_is_not_found(world, client: Client):
    (notification,) = give(world.worker_a, 1)
    client.force_login(world.member)

    response = client.post(reverse("core:inbox_read", kwargs={"pk": notification.pk}))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_read_all_page(world, client: Client):
    give(world.member, 3)
    give(world.worker_a, 1)
    client.force_login(world.member)

    response = client.post(reverse("core:inbox_read_all"), follow=True)

    assert response.redirect_chain == [(reverse("core:inbox"), 302)]
    assert "已将 3 条消息标为已读" in response.content.decode()
    assert unread_count(world.member) == 0
    assert unread_count(world.worker_a) == 1


def test_inbox_query_count_is_constant(world, client: Client, django_assert_max_num_queries):
    client.force_login(world.member)
    give(world.member, 3, station=world.a)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("core:inbox")).status_code == 200

    give(world.member, 27, station=world.b)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("core:inbox")).status_code == 200


# ---------------------------------------------------------------- API


def test_api_lists_own_and_filters_unread(world, client: Client):
    read, _ = give(world.member, 2)
    mark_read(user=world.member, notification=read)
    give(world.resident, 1)
    client.force_login(world.member)

    everything = client.get(f"{API}/inbox").json()
    unread = client.get(f"{API}/inbox?unread=true").json()
    only_read = client.get(f"{API}/inbox?unread=false").json()

    assert everything["count"] == 2
    assert unread["count"] == 1 and unread["items"][0]["is_read"] is False
    assert only_read["count"] == 1 and only_read["items"][0]["id"] == read.pk
    assert set(everything["items"][0]) >= {
        "id",
        "title",
        "body",
        "url",
        "station_id",
        "created_at",
        "read_at",
    }


def test_api_list_query_count_is_constant(world, client: Client, django_assert_max_num_queries):
    client.force_login(world.member)
    give(world.member, 3)
    with django_assert_max_num_queries(10) as few:
        client.get(f"{API}/inbox")
    give(world.member, 27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"{API}/inbox?page_size=100").json()["count"] == 30


def test_api_mark_read(world, client: Client):
    (mine,) = give(world.member, 1)
    (theirs,) = give(world.worker_a, 1)
    client.force_login(world.member)

    response = client.post(f"{API}/inbox/{mine.pk}/read")
    assert response.status_code == 200
    assert response.json()["is_read"] is True

    response = client.post(f"{API}/inbox/{theirs.pk}/read")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_api_mark_all_read(world, client: Client):
    give(world.member, 2)
    give(world.worker_a, 1)
    client.force_login(world.member)

    assert client.post(f"{API}/inbox/read-all").json() == {"updated": 2}
    assert unread_count(world.worker_a) == 1


def test_api_needs_sign_in(client: Client):
    assert client.get(f"{API}/inbox").status_code == 401
    assert client.post(f"{API}/inbox/read-all").status_code == 401


def test_api_works_with_a_bearer_token(world):
    give(world.member, 1)
    _, secret = token_create(user=world.member, name="手机")
    response = Client().get(f"{API}/inbox", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert response.json()["count"] == 1
