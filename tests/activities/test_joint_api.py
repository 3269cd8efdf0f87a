"""JSON API of joint meetings (`/api/v1/activities/joint-meetings`, issue 10 §7; DB3212/T 1124 §7.4): the
convener plans, changes, records and cancels meetings and adds decisions; invited officers read them; the
owner follows a decision up; the year's §7.4 status. Every refusal answers a code its operation documents
in the OpenAPI schema; bad input answers 4xx, never 500; the lists read a constant number of queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.activities.models import DecisionStatus, JointDecision, JointMeeting, JointMeetingStatus
from tests.activities.builders import Life
from tests.activities.test_joint_pages import Joint, grow, make_joint, meeting_form
from tests.api.test_error_codes import documented_codes

pytestmark = pytest.mark.django_db

API = "/api/v1/activities/joint-meetings"


@pytest.fixture
def meetings(life: Life) -> Joint:
    return make_joint(life)


@pytest.fixture
def schema(client: Client) -> dict[str, Any]:
    return client.get("/api/v1/openapi.json").json()  # type: ignore[no-any-return]


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, method: str, path: str, body: Any) -> Any:
    return getattr(client, method)(f"{API}{path}", body, content_type="application/json")


def refused(
    schema: dict[str, Any], response: Any, method: str, template: str, status: int, code: str
) -> None:
    """The response is `status` with `code`, and the operation documents that code for that status."""
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    operation = schema["paths"][f"{API}{template}"][method]
    assert code in documented_codes(schema, operation, status)


def meeting_body(j: Joint, **fields: Any) -> dict[str, Any]:
    return meeting_form(j.life, **fields)


# ---------------------------------------------------------------- meetings


def test_the_convener_plans_a_meeting_and_others_are_refused(meetings: Joint, schema: dict[str, Any]) -> None:
    created = send(as_user(meetings.platform_admin), "post", "", meeting_body(meetings))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["starts_at"] == "2099-05-10T14:30:00+08:00"  # no offset: Beijing time
    assert body["status"] == "planned" and body["invited_count"] == 2 and body["may_manage"]
    assert "<script>" not in body["agenda"] and body["station"]["id"] == meetings.life.world.hq.pk
    assert {i["station"]["id"] for i in body["invitees"]} == {
        meetings.life.world.a.pk,
        meetings.life.world.b.pk,
    }
    assert body["convened_by"] == {"id": meetings.platform_admin.pk, "name": "周主任"}
    assert {i["organization"]["id"] for i in body["invitees"]} == {
        meetings.life.world.org_a.pk,
        meetings.life.world.org_b.pk,
    }
    for stranger in (meetings.life.secretary_a, meetings.life.world.own_admin, meetings.owner):
        refused(
            schema, send(as_user(stranger), "post", "", meeting_body(meetings)), "post", "", 403, "forbidden"
        )


def test_the_schema_names_are_the_joint_meetings_own(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    assert set(components["JointPersonRef"]["properties"]) == {"id", "name"}
    assert "kind" in components["InviteeOut"]["properties"]  # the invitations' own, not overwritten
    assert "attended" in components["JointInviteeOut"]["properties"]
    meeting = components["JointMeetingOut"]["properties"]["starts_at"]
    assert meeting["format"] == "date-time"


def test_invited_officers_read_the_meeting_others_meet_it_as_missing(meetings: Joint) -> None:
    path = f"{API}/{meetings.held.pk}"
    seen = as_user(meetings.life.secretary_a).get(path)
    assert seen.status_code == 200 and not seen.json()["may_manage"]
    assert [d["content"] for d in seen.json()["decisions"]] == ["建立共享场地清单"]
    for stranger in (meetings.life.secretary_b, meetings.owner, meetings.life.world.other_admin):
        assert as_user(stranger).get(path).status_code == 404
    assert Client().get(path).status_code == 401
    year = meetings.held.starts_at.year
    listed = as_user(meetings.life.secretary_a).get(f"{API}?year={year}").json()
    assert "上半年楼宇党建联席会议" in [m["title"] for m in listed["items"]]
    assert as_user(meetings.life.secretary_b).get(f"{API}?year={year}").json()["count"] == 0


def test_only_a_planned_meeting_is_changed(meetings: Joint, schema: dict[str, Any]) -> None:
    convener = as_user(meetings.platform_admin)
    changed = send(convener, "put", f"/{meetings.planned.pk}", meeting_body(meetings, title="改期后的会议"))
    assert changed.status_code == 200 and changed.json()["title"] == "改期后的会议"
    again = send(convener, "put", f"/{meetings.held.pk}", meeting_body(meetings))
    refused(schema, again, "put", "/{meeting_id}", 400, "not_editable")
    invited = send(
        as_user(meetings.life.secretary_a), "put", f"/{meetings.planned.pk}", meeting_body(meetings)
    )
    assert invited.status_code == 404  # invited: reads it, does not change it


def test_recording_attendance_representatives_and_minutes(meetings: Joint, schema: dict[str, Any]) -> None:
    life, convener = meetings.life, as_user(meetings.platform_admin)
    org_a = life.world.org_a.pk
    body = {
        "minutes": "<p>研究共建项目</p>",
        "attended": [{"organization": org_a, "representative": life.secretary_a.pk}],
    }
    recorded = send(convener, "post", f"/{meetings.held.pk}/record", body)
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["attended_count"] == 1
    assert recorded.json()["invitees"][0]["representative"]["id"] == life.secretary_a.pk

    template = "/{meeting_id}/record"
    cases = [
        (meetings.planned.pk, body, "not_held"),
        (
            meetings.held.pk,
            {"minutes": "x", "attended": [{"organization": life.world.org_b.pk}]},
            "not_invited",
        ),
        (
            meetings.held.pk,
            {"minutes": "x", "attended": [{"organization": org_a, "representative": life.member_b.pk}]},
            "representative",
        ),
        (
            meetings.held.pk,
            {"minutes": "x", "attended": [{"organization": org_a, "representative": 987654321}]},
            "representative",
        ),
    ]
    for pk, case, code in cases:
        refused(schema, send(convener, "post", f"/{pk}/record", case), "post", template, 400, code)
    assert JointMeeting.objects.get(pk=meetings.held.pk).minutes == "<p>研究共建项目</p>"


def test_cancelling(meetings: Joint, schema: dict[str, Any]) -> None:
    convener = as_user(meetings.platform_admin)
    done = send(convener, "post", f"/{meetings.planned.pk}/cancel", {"reason": "与区委会议冲突"})
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
    template = "/{meeting_id}/cancel"
    refused(
        schema,
        send(convener, "post", f"/{meetings.held.pk}/cancel", {"reason": "x"}),
        "post",
        template,
        400,
        "not_planned",
    )
    recorded = send(convener, "post", f"/{meetings.planned.pk}/record", {"minutes": "x"})
    refused(schema, recorded, "post", "/{meeting_id}/record", 400, "cancelled")
    decided = send(
        convener,
        "post",
        f"/{meetings.planned.pk}/decisions",
        {"content": "x", "owner": meetings.owner.pk, "due_on": "2099-01-01"},
    )
    refused(schema, decided, "post", "/{meeting_id}/decisions", 400, "cancelled")


BAD_INPUT = [
    ("post", "", {"title": "", "starts_at": "2099-05-10T14:30:00", "organizations": [1]}, 422),
    ("post", "", {"title": "会议", "starts_at": "9999-05-10T14:30:00", "organizations": [1]}, 422),
    ("post", "", {"title": "会议", "starts_at": "明天下午", "organizations": [1]}, 422),
    ("post", "", {"title": "会议", "starts_at": "2099-05-10T14:30:00", "organizations": []}, 422),
    ("post", "", {"title": "会议\x00", "starts_at": "2099-05-10T14:30:00", "organizations": [1]}, 422),
    (
        "post",
        "",
        {"title": "会议", "starts_at": "2099-05-10T14:30:00", "organizations": [99999999999999999999]},
        422,
    ),
    ("post", "/{held}/record", {"minutes": ""}, 422),
    ("post", "/{held}/record", {"minutes": "x", "attended": [{"organization": "A"}]}, 422),
    ("post", "/{planned}/cancel", {"reason": ""}, 422),
    ("post", "/{held}/decisions", {"content": "x", "owner": 1, "due_on": "2099-02-30"}, 422),
    ("post", "/{held}/decisions", {"content": "x", "owner": 1, "due_on": "9999-01-01"}, 422),
    ("post", "/decisions/{decision}/follow-up", {"status": "finished"}, 422),
    ("post", "/decisions/{decision}/follow-up", {"status": "done", "note": "x" * 501}, 422),
    ("get", "/99999999999999999999", None, 422),
    ("get", "?year=1800", None, 422),
    ("get", "/years/1800", None, 404),
]


@pytest.mark.parametrize(("method", "path", "body", "status"), BAD_INPUT)
def test_bad_input_is_refused_and_changes_nothing(
    meetings: Joint, method: str, path: str, body: Any, status: int
) -> None:
    before = (JointMeeting.objects.count(), JointDecision.objects.count())
    target = path.format(held=meetings.held.pk, planned=meetings.planned.pk, decision=meetings.decision.pk)
    client = as_user(meetings.platform_admin)
    response = send(client, method, target, body) if body is not None else client.get(f"{API}{target}")
    assert response.status_code == status, response.content
    assert response.json()["message"]
    assert (JointMeeting.objects.count(), JointDecision.objects.count()) == before
    assert JointMeeting.objects.get(pk=meetings.planned.pk).status == JointMeetingStatus.PLANNED


def test_an_unknown_organisation_is_refused(meetings: Joint, schema: dict[str, Any]) -> None:
    body = meeting_body(meetings, organizations=[987654321])
    refused(schema, send(as_user(meetings.platform_admin), "post", "", body), "post", "", 400, "invitee")


# ---------------------------------------------------------------- decisions


def test_decisions_are_added_followed_up_and_listed_until_done(
    meetings: Joint, schema: dict[str, Any]
) -> None:
    life, convener = meetings.life, as_user(meetings.platform_admin)
    body = {"content": "编制共建项目清单", "owner": life.secretary_a.pk, "due_on": "2099-06-30"}
    added = send(convener, "post", f"/{meetings.held.pk}/decisions", body)
    assert added.status_code == 201, added.content
    decision = added.json()
    assert decision["owner"]["id"] == life.secretary_a.pk and decision["status"] == "open"
    for owner, code in ((life.member_b.pk, "owner"), (987654321, "owner")):
        wrong = send(convener, "post", f"/{meetings.held.pk}/decisions", {**body, "owner": owner})
        refused(schema, wrong, "post", "/{meeting_id}/decisions", 400, code)

    owner = as_user(life.secretary_a)
    mine = owner.get(f"{API}/decisions?mine=true").json()
    assert [d["content"] for d in mine["items"]] == ["编制共建项目清单"]
    path = f"/decisions/{decision['id']}/follow-up"
    assert send(owner, "post", path, {"status": "in_progress", "note": "已联系 5 家"}).status_code == 200
    finished = send(owner, "post", path, {"status": "done", "note": "清单已发布"})
    assert finished.status_code == 200 and finished.json()["status"] == "done"
    assert [line.split("：", 1)[1] for line in finished.json()["follow_up"]] == ["已联系 5 家", "清单已发布"]
    refused(
        schema,
        send(owner, "post", path, {"status": "done"}),
        "post",
        "/decisions/{decision_id}/follow-up",
        400,
        "already_done",
    )
    assert owner.get(f"{API}/decisions?mine=true").json()["count"] == 0  # done: off the open list
    assert owner.get(f"{API}/decisions?mine=true&done=true").json()["count"] == 1


def test_who_follows_up_and_who_changes_a_decision(meetings: Joint) -> None:
    path = f"/decisions/{meetings.decision.pk}"
    body = {"status": "in_progress", "note": "x"}
    assert send(as_user(meetings.life.secretary_a), "post", f"{path}/follow-up", body).status_code == 404
    assert as_user(meetings.life.secretary_a).get(f"{API}{path}").status_code == 200  # invited: reads it
    assert as_user(meetings.life.secretary_b).get(f"{API}{path}").status_code == 404
    change = {"content": "建立共享场地清单（含周边社区）", "owner": meetings.owner.pk, "due_on": "2099-04-30"}
    assert (
        send(as_user(meetings.owner), "put", path, change).status_code == 404
    )  # the owner does not change it
    changed = send(as_user(meetings.platform_admin), "put", path, change)
    assert changed.status_code == 200 and changed.json()["due_on"] == "2099-04-30"
    assert JointDecision.objects.get(pk=meetings.decision.pk).status == DecisionStatus.OPEN


def test_an_overdue_decision_says_so(meetings: Joint) -> None:
    JointDecision.objects.filter(pk=meetings.decision.pk).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    found = as_user(meetings.owner).get(f"{API}/decisions/{meetings.decision.pk}").json()
    assert found["overdue"] and found["due_on"] == str(timezone.localdate() - timedelta(days=1))


# ---------------------------------------------------------------- the year and the lists


def test_the_year_status(meetings: Joint) -> None:
    convener = as_user(meetings.platform_admin)
    none_held = convener.get(f"{API}/years/2001").json()
    assert (
        none_held["flagged"] and none_held["held"] == 0 and "2001年未召开联席会议" in none_held["reasons"][0]
    )
    this_year = meetings.held.starts_at.year
    assert convener.get(f"{API}/years/{this_year}").json()["held"] == 1
    assert as_user(meetings.owner).get(f"{API}/years/{this_year}").status_code == 403  # no role


@pytest.mark.parametrize("path", ["?year={year}", "/decisions", "/decisions?done=true"])
def test_the_lists_read_a_constant_number_of_queries(meetings: Joint, path: str) -> None:
    client = as_user(meetings.platform_admin)
    target = f"{API}{path.format(year=meetings.held.starts_at.year)}"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(target).status_code == 200
        return len(captured)

    grow(meetings, 2)
    few = queries()
    grow(meetings, 6)
    assert queries() == few
    assert client.get(target).json()["count"] >= 8
