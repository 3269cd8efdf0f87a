"""The 示范引领 API: the public roll, nominations and their workflow with each refusal keeping its code
(documented in the OpenAPI schema), and publicity records."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from dangjian.honors.models import Nomination, NominationStatus, PublicityRecord
from tests.api.test_error_codes import documented_codes
from tests.honors.builders import nominate, this_year, walk

pytestmark = pytest.mark.django_db
API = "/api/v1/honors"


def _post(client: Any, user: Any, path: str, body: dict[str, Any]) -> Any:
    client.force_login(user)
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json")


def _get(client: Any, user: Any, path: str) -> Any:
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    return client.get(f"{API}{path}")


def _act(client: Any, user: Any, nomination: Nomination, action: str, comment: str = "") -> Any:
    return _post(
        client, user, f"/nominations/{nomination.pk}/actions", {"action": action, "comment": comment}
    )


def test_the_workflow_through_the_api(hn: Any, client: Any) -> None:
    created = _post(
        client,
        hn.officer_a,
        "/nominations",
        {
            "organization": hn.org_a.pk,
            "kind": "member",
            "year": this_year(),
            "nominee": hn.member.pk,
            "deeds": "十年如一日服务楼宇党员",
        },
    )
    assert created.status_code == 201, created.content
    nomination = Nomination.objects.get(pk=created.json()["id"])
    assert created.json()["nominee_name"] == "周立新" and created.json()["status"] == "draft"
    assert _act(client, hn.officer_a, nomination, "submit").json()["status"] == "submitted"
    assert _act(client, hn.instructor_a, nomination, "approve").json()["status_label"] == "待总站决定"
    assert _act(client, hn.hq_admin, nomination, "award").json()["status"] == "awarded"
    roll = _get(client, None, "/roll").json()
    assert roll["count"] == 1
    assert set(roll["items"][0]) == {
        "id",
        "year",
        "kind",
        "kind_label",
        "nominee",
        "organization",
        "station",
        "summary",
    }


@pytest.mark.parametrize(
    ("steps", "who", "action", "comment", "status", "code"),
    [
        (0, "instructor_a", "approve", "", 400, "wrong_state"),
        (2, "hq_admin", "reject", "", 400, "comment_required"),
        (1, "instructor_a", "return", "x" * 501, 422, "invalid"),
        (1, "instructor_b", "approve", "", 404, "not_found"),
        (1, "admin_a", "approve", "", 403, "forbidden"),
    ],
)
def test_each_refusal_keeps_its_code(
    hn: Any, client: Any, steps: int, who: str, action: str, comment: str, status: int, code: str
) -> None:
    nomination = walk(nominate(actor=hn.admin_a, organization=hn.org_a), hn, steps)
    before = Nomination.objects.get(pk=nomination.pk).status
    response = _act(client, getattr(hn, who), nomination, action, comment)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert Nomination.objects.get(pk=nomination.pk).status == before


def test_the_refusal_codes_are_documented(hn: Any, client: Any) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    act = schema["paths"][f"{API}/nominations/{{nomination_id}}/actions"]["post"]
    assert {"wrong_state", "self_review", "comment_required"} <= set(documented_codes(schema, act, 400))
    create = schema["paths"][f"{API}/nominations"]["post"]
    assert {"duplicate", "nominee", "year"} <= set(documented_codes(schema, create, 400))


def test_a_second_nomination_is_a_duplicate(hn: Any, client: Any) -> None:
    body = {"organization": hn.org_a.pk, "kind": "organization", "year": this_year(), "deeds": "先进事迹"}
    assert _post(client, hn.admin_a, "/nominations", body).status_code == 201
    again = _post(client, hn.worker_a, "/nominations", body)
    assert (again.status_code, again.json()["code"]) == (400, "duplicate")
    assert Nomination.objects.count() == 1


def test_a_nominee_outside_reach_is_refused(hn: Any, client: Any) -> None:
    body = {
        "organization": hn.org_a.pk,
        "kind": "member",
        "year": this_year(),
        "nominee": hn.member_b.pk,
        "deeds": "x",
    }
    refused = _post(client, hn.admin_a, "/nominations", body)
    assert (refused.status_code, refused.json()["code"]) == (400, "nominee")
    outside = _post(client, hn.admin_b, "/nominations", {**body, "nominee": None, "kind": "organization"})
    assert outside.status_code == 404
    assert not Nomination.objects.exists()


def test_the_lists_show_only_what_is_in_reach(hn: Any, client: Any) -> None:
    mine = nominate(actor=hn.admin_a, organization=hn.org_a)
    nominate(actor=hn.admin_b, organization=hn.org_b)
    assert [row["id"] for row in _get(client, hn.instructor_a, "/nominations").json()["items"]] == [mine.pk]
    assert _get(client, hn.hq_admin, "/nominations").json()["count"] == 2
    assert _get(client, hn.resident, "/nominations").json()["count"] == 0
    assert _get(client, hn.hq_admin, "/nominations?status=bogus").status_code == 422


def test_publicity_through_the_api(hn: Any, client: Any) -> None:
    body = {
        "station": hn.a.pk,
        "outlet": "泰州日报",
        "level": "city",
        "published_on": date(this_year(), 1, 1).isoformat(),
        "title": "海陵区楼宇党建共享平台启用",
        "link": "https://www.taizhou.com.cn/",
    }
    created = _post(client, hn.worker_a, "/publicity", body)
    assert created.status_code == 201 and created.json()["level_label"] == "市级"
    bad_link = _post(client, hn.worker_a, "/publicity", {**body, "link": "javascript:alert(1)"})
    assert (bad_link.status_code, bad_link.json()["code"]) == (400, "invalid")
    assert "link" in bad_link.json()["details"]
    assert _post(client, hn.admin_b, "/publicity", body).status_code == 404
    assert PublicityRecord.objects.count() == 1
    assert _get(client, hn.admin_b, "/publicity").json()["count"] == 0
    assert _get(client, hn.admin_a, "/publicity").json()["count"] == 1


def test_the_roll_answers_anonymous_visitors(hn: Any, client: Any) -> None:
    walk(nominate(actor=hn.admin_a, organization=hn.org_a), hn, 3)
    walk(nominate(actor=hn.admin_b, organization=hn.org_b), hn, 0)
    assert _get(client, None, f"/roll?year={this_year()}").json()["count"] == 1
    assert _get(client, None, f"/roll?station={hn.b.pk}").json()["count"] == 0
    assert Nomination.objects.filter(status=NominationStatus.AWARDED).count() == 1
