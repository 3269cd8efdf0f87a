"""The feedback API: anonymous submission and tracking by code, 429 on the 31st submission of an hour,
refusals keeping their codes, and a signed-in session needing its CSRF token on the public writes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from dangjian.feedback import rules
from dangjian.feedback.models import Feedback, Status
from tests.feedback.access_rows import submit_body
from tests.feedback.builders import closed, replied

pytestmark = pytest.mark.django_db


def post(client: Client, name: str, body: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    return client.post(reverse(name, kwargs=kwargs or None), body or {}, content_type="application/json")


def test_anonymous_submit_then_track(world: Any, client: Client) -> None:
    response = post(client, "api:feedback_submit", submit_body(world))
    assert response.status_code == 201, response.content
    answer = response.json()
    assert len(answer["tracking_code"]) == 12 and answer["status"] == "received"
    assert answer["contact_phone_masked"] == "139****1234"
    tracked = client.get(reverse("api:feedback_track", kwargs={"code": answer["code_display"]}))
    assert tracked.status_code == 200 and tracked.json()["timeline"][0]["who"] == "提交人"


def test_the_31st_api_submission_is_429(world: Any, client: Client) -> None:
    for _ in range(rules.PER_IP_PER_HOUR):
        assert post(client, "api:feedback_submit", submit_body(world)).status_code == 201
    refused = post(client, "api:feedback_submit", submit_body(world))
    assert refused.status_code == 429 and refused.json()["code"] == "throttled"
    other = client.post(
        reverse("api:feedback_submit"),
        submit_body(world),
        content_type="application/json",
        REMOTE_ADDR="192.0.2.99",
    )
    assert other.status_code == 201


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"title": ""}, "invalid"),
        ({"organization": 999999}, "wrong_station"),
        ({"content": "代开发票"}, "sensitive"),
    ],
)
def test_bad_submissions_keep_their_code(
    world: Any, client: Client, change: dict[str, Any], code: str
) -> None:
    response = post(client, "api:feedback_submit", {**submit_body(world), **change})
    assert response.status_code in (400, 422) and response.json()["code"] == code
    assert not Feedback.objects.exists()


def test_staff_refusals_keep_their_codes(world: Any, client: Client) -> None:
    complaint = replied(world.a, world.worker_a)
    client.force_login(world.worker_a)
    close = post(client, "api:feedback_close", {"resolution": "resolved"}, feedback_id=complaint.pk)
    assert close.status_code == 400 and close.json()["code"] == "undecided"
    decide = post(client, "api:feedback_decide", {"validity": "invalid"}, feedback_id=complaint.pk)
    assert decide.json()["code"] == "comment_required"
    post(client, "api:feedback_decide", {"validity": "invalid", "reason": "不属实"}, feedback_id=complaint.pk)
    close = post(client, "api:feedback_close", {"resolution": "resolved"}, feedback_id=complaint.pk)
    assert close.json()["code"] == "invalid_complaint"
    again = post(client, "api:feedback_reply", {"text": "再答复"}, feedback_id=complaint.pk)
    assert again.json()["code"] == "wrong_state"


def test_rate_and_reopen_by_code(world: Any, client: Client) -> None:
    feedback = closed(world.a, world.worker_a)
    code = feedback.tracking_code
    assert post(client, "api:feedback_track_rate", {"rating": 4}, code=code).json()["rating"] == 4
    assert post(client, "api:feedback_track_rate", {"rating": 5}, code=code).json()["code"] == "already_rated"
    reopened = post(client, "api:feedback_track_reopen", {"reason": "还是没解决"}, code=code)
    assert reopened.status_code == 200 and reopened.json()["reopen_count"] == 1
    assert reopened.json()["status"] == Status.ASSIGNED
    assert post(client, "api:feedback_track_rate", {"rating": 4}, code="WRONGWRONG23").status_code == 404


def test_a_session_write_needs_csrf(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.resident)
    response = post(client, "api:feedback_submit", submit_body(world))
    assert response.status_code == 403 and not Feedback.objects.exists()
    anonymous = Client(enforce_csrf_checks=True)
    assert post(anonymous, "api:feedback_submit", submit_body(world)).status_code == 201
