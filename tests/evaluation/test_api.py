"""The evaluation API: my pending surveys, answering (409 `duplicate` the second time), a station's
indicators (null where the denominator is zero), voting (409 `duplicate`, 400 `not_open`)."""

from __future__ import annotations

import pytest

from tests.evaluation.access_rows import ballot_body
from tests.evaluation.builders import at, day, invitation, questionnaire

pytestmark = pytest.mark.django_db


def test_pending_and_answer(world, client) -> None:
    asked = invitation(world.member, world.a, occasion_title="七一主题党日活动")
    client.force_login(world.member)
    listed = client.get("/api/v1/evaluation/surveys/pending").json()
    assert listed["count"] == 1 and listed["items"][0]["title"] == "七一主题党日活动"
    assert listed["items"][0]["occurred_at"].endswith("+08:00")

    url = f"/api/v1/evaluation/surveys/{asked.pk}/answer"
    first = client.post(url, {"score": 4, "comment": "组织有序"}, content_type="application/json")
    assert first.status_code == 201 and first.json()["score"] == 4
    second = client.post(url, {"score": 2}, content_type="application/json")
    assert second.status_code == 409 and second.json()["code"] == "duplicate"
    assert client.get("/api/v1/evaluation/surveys/pending").json()["count"] == 0


@pytest.mark.parametrize(
    "body",
    [
        {"score": 0},
        {"score": 6},
        {"score": "五"},
        {},
        {"score": 5, "comment": "x" * 501},
        {"score": 5, "comment": "a\x00b"},
    ],
)
def test_bad_answers_are_422(world, client, body) -> None:
    asked = invitation(world.member, world.a)
    client.force_login(world.member)
    response = client.post(
        f"/api/v1/evaluation/surveys/{asked.pk}/answer", body, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["code"] == "invalid"


def test_indicators_with_zero_denominators_are_null(world, client) -> None:
    client.force_login(world.own_admin)
    body = client.get(f"/api/v1/evaluation/stations/{world.a.pk}/indicators", {"period": "2025-Q3"}).json()
    assert body["period_label"] == "2025年第3季度" and body["mean_score"] is None
    assert [i["percent"] for i in body["indicators"]] == [None, None, None, None]
    assert [i["code"] for i in body["indicators"]] == [
        "satisfaction",
        "punctuality",
        "completion",
        "complaints",
    ]
    bad = client.get(f"/api/v1/evaluation/stations/{world.a.pk}/indicators", {"period": "2025-Q9"})
    assert bad.status_code == 422
    other = client.get(f"/api/v1/evaluation/stations/{world.b.pk}/indicators", {"period": "2025"})
    assert other.status_code == 404


def test_vote(world, client) -> None:
    world.eval_questionnaire = found = questionnaire(world.a, world.own_admin)
    from dangjian.evaluation.models import Question

    world.eval_single, world.eval_multiple = list(
        Question.objects.filter(questionnaire=found).order_by("position")
    )[:2]
    client.force_login(world.member)
    url = f"/api/v1/evaluation/questionnaires/{found.pk}/vote"
    assert client.post(url, ballot_body(world), content_type="application/json").status_code == 201
    again = client.post(url, ballot_body(world), content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "duplicate"
    closed = questionnaire(world.a, world.own_admin, opens=at(day(-5), 9), closes=at(day(-1), 9))
    late = client.post(
        f"/api/v1/evaluation/questionnaires/{closed.pk}/vote",
        {"choices": {}},
        content_type="application/json",
    )
    assert late.status_code == 400 and late.json()["code"] == "not_open"
