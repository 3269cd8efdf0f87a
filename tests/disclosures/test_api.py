"""JSON API of 党务公开 (DB3212/T 1124 §6.3): visible reads, filters, workflow actions and error codes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from dangjian.accounts.services import token_create
from dangjian.disclosures import services
from tests.disclosures.builders import published, submitted, write_draft
from tests.disclosures.conftest import reload

pytestmark = pytest.mark.django_db

API = "/api/v1/disclosures"


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def _post(client, item, action: str, body: dict[str, Any] | None = None, **extra: Any):
    return client.post(f"{API}/{item.pk}/{action}", body or {}, content_type="application/json", **extra)


@pytest.fixture
def items(people):
    def make(title: str, visibility: str = "public", **fields: Any):
        return published(
            people.worker_a,
            people.org_a,
            reviewer=people.instructor_a,
            title=title,
            visibility=visibility,
            **fields,
        )

    people.public = make("公开的公示")
    people.station_item = make("本站点可见", "station")
    people.org_item = make("本组织可见", "organization")
    people.withdrawn = make("已撤回的公示", body="<p>不应再出现的正文</p>")
    services.disclosure_withdraw(disclosure=people.withdrawn, actor=people.worker_a, comment="名单有误")
    people.draft = write_draft(people.worker_a, people.org_a, title="草稿")
    return people


# ---------------------------------------------------------------- reading


@pytest.mark.parametrize(
    ("viewer", "sees"),
    [
        ("anonymous", {"public", "withdrawn"}),
        ("resident", {"public", "withdrawn"}),
        ("member", {"public", "withdrawn", "org_item"}),
        ("worker_a", {"public", "withdrawn", "station_item"}),
        ("worker_b", {"public", "withdrawn"}),
        ("hq_admin", {"public", "withdrawn", "station_item", "org_item"}),
    ],
)
def test_list_and_detail_respect_visibility(items, client, viewer, sees) -> None:
    user = items.actor(viewer)
    if user is not None:
        client.force_login(user)
    listed = set(_ids(client.get(API)))
    for name in ("public", "withdrawn", "station_item", "org_item", "draft"):
        item = getattr(items, name)
        assert (item.pk in listed) == (name in sees), name
        assert client.get(f"{API}/{item.pk}").status_code == (200 if name in sees else 404), name


def test_withdrawn_items_carry_the_reason_and_no_body(items, client) -> None:
    data = client.get(f"{API}/{items.withdrawn.pk}").json()
    assert data["status"] == "withdrawn" and data["status_label"] == "已撤回"
    assert data["withdrawn_reason"] == "名单有误" and data["body"] is None
    assert "不应再出现的正文" not in client.get(API).content.decode()


def test_detail_shape(items, client) -> None:
    data = client.get(f"{API}/{items.public.pk}").json()
    assert data["organization"] == {"id": items.org_a.pk, "name": items.org_a.name}
    assert data["station"]["id"] == items.a.pk
    assert data["category"] == "dues" and data["category_label"] == "党费收缴与使用"
    assert data["period_start"] == "2026-07-01" and data["url"] == items.public.get_absolute_url()
    assert "3,860.00" in data["body"]


def test_filters(items, client) -> None:
    other = published(
        items.worker_b,
        items.org_b,
        reviewer=items.instructor_b,
        title="金融支部发展党员公示",
        category="recruitment",
        period_start=date(2025, 10, 1),
        period_end=date(2026, 1, 15),
    )
    assert _ids(client.get(API, {"organization": items.org_b.pk})) == [other.pk]
    assert _ids(client.get(API, {"category": "recruitment"})) == [other.pk]
    assert set(_ids(client.get(API, {"year": 2025}))) == {other.pk}  # the period overlaps 2025
    assert other.pk in _ids(client.get(API, {"year": 2026}))
    assert _ids(client.get(API, {"year": 2024})) == []


@pytest.mark.parametrize(
    "params",
    [
        {"organization": "abc"},
        {"organization": "-1"},
        {"organization": "9" * 30},
        {"category": "secret"},
        {"year": "abc"},
        {"year": "99999"},
        {"page": "0"},
        {"page_size": "abc"},
    ],
)
def test_junk_filters_are_422_never_500(items, client, params) -> None:
    response = client.get(API, params)
    assert response.status_code == 422 and response.json()["code"] == "invalid"


def test_unknown_ids_are_404(items, client) -> None:
    assert client.get(f"{API}/999999").json()["code"] == "not_found"
    assert client.get(f"{API}/{'9' * 30}").status_code in (404, 422)


# ---------------------------------------------------------------- workflow


def test_workflow_through_the_api(people, client) -> None:
    item = write_draft(people.worker_a, people.org_a)
    client.force_login(people.worker_a)
    assert _post(client, item, "submit").json() == {
        "id": item.pk,
        "status": "submitted",
        "status_label": "待审核",
    }
    client.force_login(people.instructor_a)
    response = _post(client, item, "return", {"comment": "请补充支出明细"})
    assert response.json()["status"] == "returned"
    client.force_login(people.worker_a)
    _post(client, item, "submit")
    client.force_login(people.instructor_a)
    assert _post(client, item, "approve", {"comment": "同意"}).json()["status"] == "published"
    response = _post(client, item, "withdraw", {"comment": "数据有误"})
    assert response.json()["status"] == "withdrawn"
    assert reload(item).withdrawn_reason == "数据有误"


def test_bearer_token_may_submit(people, client) -> None:
    item = write_draft(people.worker_a, people.org_a)
    _token, secret = token_create(user=people.worker_a, name="手机")
    response = _post(client, item, "submit", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200 and reload(item).status == "submitted"


@pytest.mark.parametrize(
    ("setup", "actor", "action", "body", "message", "code"),
    [
        ("submitted", "worker_a", "approve", {}, "只有本站点的党建指导员", "forbidden"),
        ("submitted", "own_admin", "approve", {}, "只有本站点的党建指导员", "forbidden"),
        ("submitted", "instructor_a", "return", {}, "请填写退回意见", "comment_required"),
        ("submitted", "instructor_a", "return", {"comment": "   "}, "请填写退回意见", "comment_required"),
        ("published", "worker_a", "withdraw", {}, "请填写撤回原因", "comment_required"),
        ("draft", "instructor_a", "approve", {}, "当前状态为“草稿”，不能审核通过", "wrong_state"),
        ("published", "worker_a", "submit", {}, "当前状态为“已发布”，不能提交审核", "wrong_state"),
    ],
)
def test_refusals_are_400_with_a_chinese_message(
    people, client, setup, actor, action, body, message, code
) -> None:
    item = {
        "draft": lambda: write_draft(people.worker_a, people.org_a),
        "submitted": lambda: submitted(people.worker_a, people.org_a),
        "published": lambda: published(people.worker_a, people.org_a, reviewer=people.instructor_a),
    }[setup]()
    status = item.status
    client.force_login(getattr(people, actor))
    response = _post(client, item, action, body)
    assert response.status_code == 400
    assert response.json()["code"] == code and message in response.json()["message"]
    assert reload(item).status == status


def test_self_approval_is_400(people, client) -> None:
    from tests import factories as f

    f.grant(people.worker_a, "instructor", people.a)
    item = submitted(people.worker_a, people.org_a)
    client.force_login(people.worker_a)
    response = _post(client, item, "approve")
    assert response.status_code == 400 and "不能审核自己" in response.json()["message"]


@pytest.mark.parametrize("outsider", ["instructor_b", "worker_b", "other_admin", "member", "resident"])
@pytest.mark.parametrize("action", ["submit", "approve", "return", "withdraw"])
def test_other_stations_get_404(people, client, outsider, action) -> None:
    item = submitted(people.worker_a, people.org_a)
    client.force_login(getattr(people, outsider))
    response = _post(client, item, action, {"comment": "理由"})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert reload(item).status == "submitted"


def test_anonymous_actions_are_401(people, client) -> None:
    item = write_draft(people.worker_a, people.org_a)
    assert _post(client, item, "submit").status_code == 401
    assert reload(item).status == "draft"


@pytest.mark.parametrize(
    "raw",
    [
        '{"comment": "原因\\u0000"}',
        '{"comment": 5}',
        '{"comment": "' + "长" * 501 + '"}',
        "not json",
        "[1, 2]",
    ],
)
def test_bad_bodies_never_500(people, client, raw) -> None:
    item = published(people.worker_a, people.org_a, reviewer=people.instructor_a)
    client.force_login(people.worker_a)
    response = client.post(f"{API}/{item.pk}/withdraw", raw, content_type="application/json")
    assert 400 <= response.status_code < 500, response.content
    assert reload(item).status == "published"
