"""The pages and the API: isolation like member records (other organisation's officer, other station's
admin: 404; the ID number masked everywhere), the step form refusing a premature step with the rule and
the earliest day, the contact person's evaluation, the applicant's own progress, constant query counts on
the lists, the reminders and the work cards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from dangjian.core.crypto import decrypt
from dangjian.core.models import Notification
from dangjian.development import services
from dangjian.development.models import Reminder, Report
from dangjian.development.rules import add_months, chinese_date
from tests.development.builders import make_candidate, old_candidate, plan_day, today, walk

pytestmark = pytest.mark.django_db


def detail_url(candidate) -> str:
    return reverse("development:detail", kwargs={"pk": candidate.pk})


def test_keepers_see_a_candidate_others_get_404(dev, client) -> None:
    candidate = make_candidate(dev.a)
    plain = decrypt(candidate.id_number_encrypted)
    for user, status in (
        (dev.a.secretary, 200),
        (dev.admin_a, 200),
        (dev.hq_admin, 200),
        (dev.other_officer, 404),
        (dev.admin_b, 404),
        (dev.b.secretary, 404),
        (dev.a.members[4], 404),
    ):
        client.force_login(user)
        response = client.get(detail_url(candidate))
        assert response.status_code == status, user.username
        if status == 200:
            text = response.content.decode()
            assert candidate.id_number_masked in text and plain not in text
        api = client.get(f"/api/v1/development/candidates/{candidate.pk}")
        assert api.status_code == status, user.username
        if status == 200:
            assert api.json()["id_number_masked"] == candidate.id_number_masked
            assert plain not in api.content.decode()
    client.force_login(dev.admin_b)
    assert (
        client.get(reverse("development:step", kwargs={"pk": candidate.pk, "step": "talk"})).status_code
        == 404
    )
    listing = client.get("/api/v1/development/candidates").json()
    assert listing["count"] == 0


def test_the_list_filters_and_its_queries_do_not_grow(dev, client, django_assert_max_num_queries) -> None:
    client.force_login(dev.a.secretary)
    old_candidate(dev.a, months_ago=3)  # the talk is overdue
    make_candidate(dev.a, name="吴思远")
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse("development:list")).status_code == 200
    for number in range(6):
        make_candidate(dev.a, name=f"钱{'一二三四五六'[number]}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("development:list"))
    assert response.status_code == 200
    overdue = client.get(reverse("development:list") + "?overdue=on").content.decode()
    assert "逾期：党组织派人谈话" in overdue and "吴思远" not in overdue
    api = client.get("/api/v1/development/candidates?stage=1").json()
    assert api["count"] == 8


def test_a_premature_step_is_refused_on_the_form_with_the_rule_and_earliest_day(dev, client) -> None:
    candidate = walk(dev.a, old_candidate(dev.a, months_ago=13), "contacts")
    earliest = add_months(plan_day(candidate, "activist"), 12)
    client.force_login(dev.a.secretary)
    url = reverse("development:step", kwargs={"pk": candidate.pk, "step": "target"})
    response = client.post(url, {"done_on": today().isoformat()})
    assert response.status_code == 200
    assert (
        f"成为入党积极分子满一年后才能确定为发展对象（最早 {chinese_date(earliest)}）"
        in response.content.decode()
    )
    page = client.get(detail_url(candidate)).content.decode()
    assert f"最早 {chinese_date(earliest)}" in page


def test_the_secretary_moves_an_applicant_to_activist(dev, client) -> None:
    candidate = make_candidate(dev.a, applied_on=today() - timedelta(days=20))
    client.force_login(dev.a.secretary)
    day = (today() - timedelta(days=10)).isoformat()
    step = lambda key: reverse("development:step", kwargs={"pk": candidate.pk, "step": key})  # noqa: E731
    assert client.post(step("talk"), {"done_on": day, "note": "谈话情况良好"}).status_code == 302
    assert client.post(reverse("development:advance", kwargs={"pk": candidate.pk})).status_code == 302
    assert client.post(step("activist"), {"done_on": day}).status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == 2
    api = client.get(f"/api/v1/development/candidates/{candidate.pk}").json()
    states = {s["key"]: s["state"] for s in api["steps"]}
    assert (
        states["activist"] == "done" and states["activist_filed"] == "open" and states["target"] == "blocked"
    )


def test_a_contact_person_files_a_half_year_evaluation(dev, client) -> None:
    candidate = walk(dev.a, old_candidate(dev.a, months_ago=9), "contacts")
    contact = dev.a.members[1]
    client.force_login(contact)
    page = client.get(reverse("development:contacts")).content.decode()
    assert candidate.name in page and "待填写：第1次半年考察" in page
    url = reverse("development:report", kwargs={"pk": candidate.pk})
    response = client.post(
        url, {"kind": "evaluation", "filed_on": today().isoformat(), "content": "积极参加志愿服务"}
    )
    assert response.status_code == 302
    assert Report.all_objects.filter(candidate=candidate, kind="evaluation", number=1).exists()
    client.force_login(dev.a.members[6])  # not their contact person
    assert client.get(url).status_code == 404


def test_the_applicant_sees_their_own_progress(dev, client) -> None:
    candidate = walk(dev.a, old_candidate(dev.a), "approval")  # the account exists from the admission
    with scopes_disabled():
        user = candidate.user
    client.force_login(user)
    page = client.get(reverse("development:mine")).content.decode()
    assert dev.a.organization.name in page and "上级党委审批" in page
    mine = client.get("/api/v1/development/me").json()
    assert mine[0]["stage"] == 4 and mine[0]["steps"][16]["state"] == "done"
    client.force_login(dev.a.members[5])
    assert client.get("/api/v1/development/me").json() == []


def test_reminders_are_sent_once_before_and_once_after_the_due_day(
    dev, django_capture_on_commit_callbacks
) -> None:
    candidate = make_candidate(
        dev.a, applied_on=add_months(today(), -1) + timedelta(days=3)
    )  # talk due in 3 days
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders() == 1
        assert services.send_reminders() == 0
    assert Reminder.all_objects.filter(candidate=candidate, subject="talk", kind="before").exists()
    later = add_months(candidate.applied_on, 1) + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(today=later) == 1
        assert services.send_reminders(today=later) == 0
    titles = list(Notification.objects.filter(recipient=dev.a.secretary).values_list("title", flat=True))
    assert any("已逾期" in title for title in titles) and any("即将到期" in title for title in titles)


def test_the_work_cards_count_what_the_person_keeps(dev) -> None:
    from dangjian.development import workcards

    old_candidate(dev.a, months_ago=3)
    assert workcards.overdue_steps(dev.a.secretary) == 1
    assert workcards.overdue_steps(dev.b.secretary) == 0
    candidate = walk(dev.a, old_candidate(dev.a, months_ago=9), "contacts")
    assert workcards.reports_due(dev.a.members[1]) >= 1
    assert workcards.reports_due(dev.a.members[6]) is None
    assert candidate.pk
