"""The development write API: officers register applications and do steps, refusals keep the rule's code
(too_early with the earliest day, no_quorum, training_short …), contact persons file reports, and no one
outside the candidate's organisation and station reaches a candidate (404)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dangjian.development.models import Candidate, Report, StepRecord
from dangjian.development.rules import add_months, chinese_date
from tests.development.builders import applicant, make_candidate, old_candidate, plan_day, today, walk

pytestmark = pytest.mark.django_db
BASE = "/api/v1/development/candidates"


def post(client, url: str, body: dict):
    return client.post(url, body, content_type="application/json")


def test_an_officer_registers_an_application_and_does_the_talk(dev, client) -> None:
    client.force_login(dev.a.secretary)
    person = applicant(today() - timedelta(days=10), name="沈雨桐", gender="female")
    body = {
        "organization": dev.a.organization.pk,
        "name": person.name,
        "gender": person.gender,
        "education": person.education,
        "phone": person.phone,
        "id_number": person.id_number,
        "applied_on": person.applied_on.isoformat(),
    }
    made = post(client, BASE, body)
    assert made.status_code == 201, made.content
    candidate = Candidate.all_objects.get(name="沈雨桐")
    assert made.json()["id_number_masked"] == candidate.id_number_masked
    assert candidate.birth_date == person.birth_date  # taken from the ID number
    again = post(client, BASE, body)
    assert again.status_code == 400 and again.json()["code"] == "duplicate"
    bad = post(client, BASE, {**body, "gender": "unknown", "id_number": "3212021996081812"})
    assert bad.status_code == 400 and set(bad.json()["details"]) >= {"gender", "id_number"}
    talk = post(
        client, f"{BASE}/{candidate.pk}/steps/talk", {"done_on": (today() - timedelta(days=2)).isoformat()}
    )
    assert talk.status_code == 201 and talk.json()["state"] == "done"
    advance = post(client, f"{BASE}/{candidate.pk}/advance", {})
    assert advance.status_code == 200 and advance.json()["stage"] == 2


def test_refusals_keep_the_rules_code(dev, client) -> None:
    client.force_login(dev.a.secretary)
    early = walk(dev.a, old_candidate(dev.a, months_ago=13), "contacts")
    response = post(client, f"{BASE}/{early.pk}/steps/target", {"done_on": today().isoformat()})
    assert response.status_code == 400 and response.json()["code"] == "too_early"
    earliest = add_months(plan_day(early, "activist"), 12)
    assert f"最早 {chinese_date(earliest)}" in response.json()["message"]
    meeting = walk(dev.a, old_candidate(dev.a), "application_form")
    day = plan_day(meeting, "branch_meeting").isoformat()
    for figures, code in (
        ({"entitled": 10, "present": 5, "votes_for": 5}, "no_quorum"),
        ({"entitled": 10, "present": 8, "votes_for": 5}, "not_passed"),
        ({}, "vote_missing"),
    ):
        refused = post(client, f"{BASE}/{meeting.pk}/steps/branch_meeting", {"done_on": day, **figures})
        assert (refused.status_code, refused.json()["code"]) == (400, code)
    training = walk(dev.a, old_candidate(dev.a), "political_review")
    short = post(
        client,
        f"{BASE}/{training.pk}/steps/training",
        {"done_on": plan_day(training, "training").isoformat(), "training_days": 2, "training_hours": 16},
    )
    assert (short.status_code, short.json()["code"]) == (400, "training_short")
    unknown = post(client, f"{BASE}/{training.pk}/steps/nothing", {"done_on": day})
    assert (unknown.status_code, unknown.json()["code"]) == (400, "unknown_step")
    assert not StepRecord.all_objects.filter(candidate=early, step="target").exists()
    assert not StepRecord.all_objects.filter(candidate=meeting, step="branch_meeting").exists()
    assert not StepRecord.all_objects.filter(candidate=training, step="training").exists()


def test_a_contact_person_files_a_report_and_outsiders_get_404(dev, client) -> None:
    candidate = walk(dev.a, old_candidate(dev.a, months_ago=9), "contacts")
    contact = candidate.people.get().user
    client.force_login(contact)
    body = {"kind": "thought_report", "filed_on": today().isoformat(), "content": "学习党章的体会。"}
    filed = post(client, f"{BASE}/{candidate.pk}/reports", body)
    assert filed.status_code == 201, filed.content
    assert (
        post(client, f"{BASE}/{candidate.pk}/steps/target", {"done_on": today().isoformat()}).status_code
        == 404
    )
    count = Report.all_objects.count()
    fresh = make_candidate(dev.a)
    for outsider in (dev.admin_b, dev.other_officer, dev.b.secretary, dev.a.members[5]):
        client.force_login(outsider)
        for url, payload in (
            (f"{BASE}/{candidate.pk}/reports", body),
            (f"{BASE}/{fresh.pk}/steps/talk", {"done_on": today().isoformat()}),
            (f"{BASE}/{fresh.pk}/people", {"user": dev.a.members[2].pk, "role": "contact"}),
            (f"{BASE}/{fresh.pk}/advance", {}),
        ):
            assert post(client, url, payload).status_code == 404, (outsider.username, url)
        other = post(
            client,
            BASE,
            {
                "organization": dev.a.organization.pk,
                "name": "x",
                "gender": "male",
                "education": "bachelor",
                "phone": "13700000000",
                "id_number": "1",
                "applied_on": today().isoformat(),
            },
        )
        assert other.status_code in (404, 400) and not Candidate.all_objects.filter(name="x").exists()
    assert Report.all_objects.count() == count
    assert not StepRecord.all_objects.filter(candidate=fresh, step="talk").exists()
