"""The feedback pages: anonymous submission and tracking, the staff list and item, paper entry; who sees
contact details; another station's worker gets 404; the lists' query counts stay constant."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dangjian.accounts.models import Role
from dangjian.feedback import rules
from dangjian.feedback.models import Feedback, Status
from tests import factories as f
from tests.feedback.builders import closed, submit

pytestmark = pytest.mark.django_db

PHONE = "13852601234"


def body(world: Any, **fields: Any) -> dict[str, Any]:
    data = {
        "station": world.a.pk,
        "kind": "complaint",
        "channel": "online",
        "title": "三楼书吧周末不开放",
        "content": "周六上午到三楼书吧，门锁着，希望周末也能开放。",
        "contact_name": "王女士",
        "contact_phone": PHONE,
    }
    data.update(fields)
    return data


def test_anonymous_submission_shows_the_tracking_code(world: Any, client: Client) -> None:
    assert client.get(reverse("feedback:submit")).status_code == 200
    response = client.post(reverse("feedback:submit"), body(world), follow=True)
    feedback = Feedback.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "feedback:track", kwargs={"code": feedback.tracking_code}
    )
    page = response.content.decode()
    assert "提交成功" in page and feedback.code_display in page and "data-copy-code" in page
    assert PHONE not in page and "138****1234" in page
    again = client.get(reverse("feedback:track", kwargs={"code": feedback.tracking_code})).content.decode()
    assert "提交成功" not in again  # shown once


def test_a_refused_submission_is_shown_on_the_form(world: Any, client: Client) -> None:
    response = client.post(reverse("feedback:submit"), body(world, content="本公司代开发票"))
    assert response.status_code == 200 and "不允许" in response.content.decode()
    assert not Feedback.objects.exists()


def test_the_31st_page_submission_from_one_address_is_refused_politely(world: Any, client: Client) -> None:
    for _ in range(rules.PER_IP_PER_HOUR):
        assert (
            client.post(reverse("feedback:submit"), body(world), REMOTE_ADDR="192.0.2.50").status_code == 302
        )
    response = client.post(reverse("feedback:submit"), body(world), REMOTE_ADDR="192.0.2.50")
    assert response.status_code == 200 and "提交过于频繁，请一小时后再试" in response.content.decode()
    assert client.post(reverse("feedback:submit"), body(world), REMOTE_ADDR="192.0.2.51").status_code == 302


def test_lookup_by_code(world: Any, client: Client) -> None:
    feedback = submit(world.a)
    typed = feedback.code_display.lower()
    response = client.get(reverse("feedback:lookup"), {"code": typed})
    assert response.url == reverse("feedback:track", kwargs={"code": feedback.tracking_code})
    wrong = client.get(reverse("feedback:lookup"), {"code": "ABCD-EFGH-JKMN"})
    assert "没有找到" in wrong.content.decode()
    assert client.get(reverse("feedback:track", kwargs={"code": "nope"})).status_code == 404


def test_track_page_rates_and_reopens(world: Any, client: Client) -> None:
    feedback = closed(world.a, world.worker_a)
    url = reverse("feedback:track", kwargs={"code": feedback.tracking_code})
    page = client.get(url).content.decode()
    assert "问题解决了吗" in page and "工作人员" in page and world.worker_a.display_name not in page
    client.post(reverse("feedback:track_rate", kwargs={"code": feedback.tracking_code}), {"rating": "2"})
    client.post(
        reverse("feedback:track_reopen", kwargs={"code": feedback.tracking_code}), {"reason": "周日还是关门"}
    )
    feedback.refresh_from_db()
    assert feedback.reopen_count == 1 and feedback.status == Status.ASSIGNED


def test_contact_details_only_for_the_station_staff_and_the_submitter(world: Any, client: Client) -> None:
    feedback = submit(world.a, actor=world.member)
    detail = reverse("feedback:manage_detail", kwargs={"pk": feedback.pk})
    api = reverse("api:feedback_item", kwargs={"feedback_id": feedback.pk})
    for person in (world.own_admin, world.worker_a, world.hq_admin):
        client.force_login(person)
        assert PHONE in client.get(detail).content.decode()
        assert client.get(api).json()["contact"]["phone"] == PHONE
    for person in (world.other_admin, world.resident, world.officer_a):
        client.force_login(person)
        assert client.get(detail).status_code in (403, 404)
        assert client.get(api).status_code == 404
    client.logout()
    track = client.get(reverse("api:feedback_track", kwargs={"code": feedback.tracking_code})).json()
    assert PHONE not in str(track) and track["contact_phone_masked"] == "138****1234"
    client.force_login(world.member)
    mine = client.get(reverse("api:feedback_mine")).json()
    assert mine["count"] == 1 and PHONE not in str(mine)


def test_another_stations_worker_gets_404(world: Any, client: Client) -> None:
    feedback = submit(world.a)
    worker_b = f.UserFactory()
    f.grant(worker_b, Role.WORKER, world.b, building=world.building_b)
    client.force_login(worker_b)
    assert client.get(reverse("feedback:manage_detail", kwargs={"pk": feedback.pk})).status_code == 404
    assert client.post(reverse("feedback:start", kwargs={"pk": feedback.pk})).status_code == 404
    assert client.get(reverse("api:feedback_item", kwargs={"feedback_id": feedback.pk})).status_code == 404
    missing = client.get(reverse("feedback:manage_detail", kwargs={"pk": 987654})).status_code
    assert missing == 404
    assert feedback not in client.get(reverse("feedback:manage_list")).context["page"].object_list


def test_staff_handle_on_the_item_page(world: Any, client: Client) -> None:
    feedback = submit(world.a)
    client.force_login(world.worker_a)
    url = lambda name: reverse(f"feedback:{name}", kwargs={"pk": feedback.pk})  # noqa: E731
    assert client.post(url("start")).status_code == 302
    assert client.post(url("reply"), {"text": "已调整周末值班"}).status_code == 302
    refused = client.post(url("close"), {"resolution": "resolved"})
    assert "请先认定投诉是否有效" in refused.content.decode()
    client.post(url("decide"), {"validity": "invalid", "reason": "不属实"})
    refused = client.post(url("close"), {"resolution": "resolved"})
    assert "无效投诉不能办结" in refused.content.decode()
    assert client.post(url("close"), {"resolution": "unresolved"}).status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == Status.CLOSED


def test_paper_entry_page(world: Any, client: Client) -> None:
    client.force_login(world.worker_a)
    assert client.get(reverse("feedback:paper")).status_code == 200
    response = client.post(
        reverse("feedback:paper"),
        {
            "station": world.a.pk,
            "channel": "box",
            "kind": "suggestion",
            "title": "建议增加饮水机",
            "content": "投诉箱纸条：二楼没有饮水机。",
        },
    )
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.channel == "box" and feedback.entered_by == world.worker_a


def _list_queries(client: Client, django_assert_max_num_queries: Any, url: str, limit: int) -> None:
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url_name", ["feedback:manage_list", "api:feedback_items"])
def test_staff_lists_take_constant_queries(world: Any, client: Client, url_name: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.own_admin)
    url = reverse(url_name)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for _ in range(2):
        submit(world.a, ip="10.9.9.9")
    few = count()
    for _ in range(8):
        submit(world.a, ip="10.9.9.9")
    assert count() == few


def test_my_feedback_page(world: Any, client: Client, django_assert_max_num_queries: Any) -> None:
    for _ in range(3):
        submit(world.a, actor=world.resident)
    client.force_login(world.resident)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("feedback:mine")).content.decode()
    assert page.count("三楼书吧周末不开放") == 3
