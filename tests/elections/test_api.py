"""The elections API: reads for those who keep an election, writes along the pipeline, and each refusal
answering its service's code (documented in the OpenAPI schema)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from dangjian.elections.models import ElectionStatus
from dangjian.organizations.models import CommitteeMember
from tests.api.test_error_codes import documented_codes
from tests.elections import builders as b
from tests.elections.builders import today

pytestmark = pytest.mark.django_db
API = "/api/v1/elections"


def _post(client, user, path: str, body: dict[str, Any]):
    client.force_login(user)
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json")


def _get(client, user, path: str):
    client.force_login(user)
    return client.get(f"{API}{path}")


def _documented(client, path: str, status: int) -> list[str]:
    schema = client.get("/api/v1/openapi.json").json()
    return documented_codes(schema, schema["paths"][f"{API}{path}"]["post"], status)


def test_the_list_and_the_detail(el, client, django_assert_max_num_queries) -> None:
    mine = b.voted(el.a, el.admin_a)
    b.request(el.b)
    response = _get(client, el.a.secretary, "/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["items"]] == [mine.pk]
    assert response.json()["items"][0]["status_label"] == "已选举，待报告结果"
    assert _get(client, el.hq_admin, "/").json()["count"] == 2
    assert _get(client, el.hq_admin, "/?status=requested").json()["count"] == 1
    assert _get(client, el.hq_admin, "/?status=bogus").status_code == 422
    detail = _get(client, el.worker_a, f"/{mine.pk}").json()
    assert [c["elected"] for c in detail["candidates"]] == [True, True, True, False]
    assert detail["entitled"] == 9 and [e["action"] for e in detail["events"]] == [
        "request",
        "approve",
        "candidates",
        "meeting",
    ]
    for outsider in (el.admin_b, el.worker_b, el.b.secretary, el.other_officer):
        assert _get(client, outsider, f"/{mine.pk}").status_code == 404
    assert _get(client, el.a.secretary, "/0").status_code == 422


def test_the_pipeline_and_its_codes(el, client) -> None:
    request = {
        "organization": el.a.organization.pk,
        "seats": 3,
        "positions": ["secretary", "organization"],
        "planned_on": (today() + timedelta(days=9)).isoformat(),
    }
    response = _post(client, el.a.secretary, "/", {**request, "positions": ["organization"]})
    assert response.status_code == 400 and response.json()["code"] == "no_secretary"
    assert _post(client, el.admin_b, "/", request).status_code == 404
    response = _post(client, el.a.secretary, "/", request)
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = _post(client, el.a.secretary, "/", request)
    assert response.status_code == 400 and response.json()["code"] == "already_open"
    assert _post(client, el.a.secretary, f"/{pk}/decide", {"approve": True}).status_code == 403
    assert _post(client, el.admin_b, f"/{pk}/decide", {"approve": True}).status_code == 404
    response = _post(
        client,
        el.a.secretary,
        f"/{pk}/meeting",
        {
            "meeting_on": today().isoformat(),
            "present": 8,
            "ballots_issued": 8,
            "ballots_returned": 8,
            "votes": [],
        },
    )
    assert response.status_code == 400 and response.json()["code"] == "wrong_state"
    assert (
        _post(client, el.admin_a, f"/{pk}/decide", {"approve": True}).json()["status"]
        == ElectionStatus.APPROVED
    )
    response = _post(
        client, el.a.secretary, f"/{pk}/candidates", {"candidates": [u.pk for u in el.a.members[:2]]}
    )
    assert response.status_code == 400 and response.json()["code"] == "too_few_candidates"
    response = _post(
        client,
        el.a.secretary,
        f"/{pk}/candidates",
        {"candidates": [el.a.probationary[0].pk, *[u.pk for u in el.a.members[:3]]]},
    )
    assert response.status_code == 400 and response.json()["code"] == "not_formal_member"
    response = _post(
        client, el.a.secretary, f"/{pk}/candidates", {"candidates": [u.pk for u in el.a.members[:4]]}
    )
    assert response.status_code == 200
    ids = [c["id"] for c in response.json()["candidates"]]

    def meeting(present: int, returned: int, votes: list[int]) -> Any:
        return _post(
            client,
            el.a.secretary,
            f"/{pk}/meeting",
            {
                "meeting_on": today().isoformat(),
                "present": present,
                "ballots_issued": present,
                "ballots_returned": returned,
                "votes": [{"candidate": i, "votes": v} for i, v in zip(ids, votes, strict=True)],
            },
        )

    codes = {}
    for case, (present, returned, votes) in {
        "no_quorum": (4, 4, [4, 4, 4, 1]),
        "ballots_exceed": (8, 9, [8, 7, 6, 2]),
        "not_elected": (8, 8, [4, 4, 4, 4]),
    }.items():
        response = meeting(present, returned, votes)
        assert response.status_code == 400
        codes[case] = response.json()["code"]
        assert response.json()["code"] in _documented(client, "/{election_id}/meeting", 400)
    assert codes == {
        "no_quorum": "no_quorum",
        "ballots_exceed": "ballots_exceed",
        "not_elected": "not_elected",
    }
    response = meeting(8, 8, [8, 7, 6, 2])
    assert response.status_code == 200 and response.json()["status"] == ElectionStatus.VOTED
    winners = [c["id"] for c in response.json()["candidates"] if c["elected"]]
    loser = next(c["id"] for c in response.json()["candidates"] if not c["elected"])
    bad = [
        {"candidate": loser, "position": "secretary"},
        *[{"candidate": w, "position": "member"} for w in winners],
    ]
    response = _post(client, el.a.secretary, f"/{pk}/result", {"positions": bad})
    assert response.status_code == 400 and response.json()["code"] == "not_elected"
    good = [
        {"candidate": w, "position": p}
        for w, p in zip(winners, ("secretary", "organization", "member"), strict=True)
    ]
    assert _post(client, el.a.secretary, f"/{pk}/result", {"positions": good}).status_code == 200
    response = _post(client, el.admin_a, f"/{pk}/result/decide", {"approve": False})
    assert response.status_code == 400 and response.json()["code"] == "required"
    response = _post(client, el.hq_admin, f"/{pk}/result/decide", {"approve": True})
    assert response.status_code == 200
    assert response.json()["term_end"] == today().replace(year=today().year + 3).isoformat()
    assert CommitteeMember.objects.filter(organization=el.a.organization).count() == 3
    response = _post(client, el.hq_admin, f"/{pk}/result/decide", {"approve": True})
    assert response.status_code == 400 and response.json()["code"] == "wrong_state"


def test_every_write_documents_its_codes(client) -> None:
    assert {"no_quorum", "ballots_exceed", "not_elected", "too_few_candidates", "wrong_state"} <= set(
        _documented(client, "/{election_id}/meeting", 400)
    )
    assert "too_few_candidates" in _documented(client, "/{election_id}/candidates", 400)
    assert "already_open" in _documented(client, "/", 400)
    assert "forbidden" in _documented(client, "/{election_id}/decide", 403)
