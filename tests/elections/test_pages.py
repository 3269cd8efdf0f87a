"""The election pages: lists with a constant number of queries, Chinese refusals on the forms, 404 for
another station's roles and another organisation's officers, the pipeline walked through the pages, the
term history and the work-page card of overdue renewals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.core.workcards import work_page_for
from dangjian.elections.models import ElectionStatus
from dangjian.organizations.models import CommitteeTerm
from tests.elections import builders as b
from tests.elections.builders import P, today

pytestmark = pytest.mark.django_db


def _page(client, user, name, *, data=None, **kwargs):
    client.force_login(user)
    url = reverse(f"elections:{name}", kwargs=kwargs or None)
    return client.post(url, data) if data is not None else client.get(url)


def test_the_list_shows_only_the_persons_elections_in_constant_queries(
    el, client, django_assert_max_num_queries
) -> None:
    mine = b.request(el.a)
    theirs = b.request(el.b)
    client.force_login(el.admin_a)
    with CaptureQueriesContext(connection) as one:
        response = client.get(reverse("elections:list") + "?status=requested")
    assert response.status_code == 200
    assert f'data-election="{mine.pk}"' in response.text
    assert f'data-election="{theirs.pk}"' not in response.text
    for n in range(3):
        branch = b.make_branch(el.a.station, full=3, name=f"泰州海陵第{n + 1}楼宇联合党支部")
        b.request(branch, seats=1, positions=(P.SECRETARY,))
    with django_assert_max_num_queries(len(one)):
        response = client.get(reverse("elections:list") + "?status=requested")
    assert response.text.count("data-election=") == 4
    response = client.get(reverse("elections:list") + "?status=bogus&station=x&page=abc")
    assert response.status_code == 200


def test_the_hq_admin_filters_by_station(el, client) -> None:
    b.request(el.a)
    theirs = b.request(el.b)
    response = _page(client, el.hq_admin, "list")
    assert response.text.count("data-election=") == 2
    client.force_login(el.hq_admin)
    response = client.get(reverse("elections:list") + f"?station={el.b.station.pk}")
    assert response.text.count("data-election=") == 1 and f'data-election="{theirs.pk}"' in response.text


def test_a_wrong_request_gets_chinese_errors(el, client) -> None:
    base = {
        "organization": el.a.organization.pk,
        "seats": 3,
        "positions": ["organization"],
        "planned_on": (today() + timedelta(days=7)).isoformat(),
    }
    response = _page(client, el.a.secretary, "create", data=base)
    assert response.status_code == 200 and "拟设职务中须有书记" in response.text
    response = _page(client, el.a.secretary, "create", data={**base, "seats": "三", "planned_on": "明天"})
    assert response.status_code == 200 and "整数" in response.text
    response = _page(client, el.a.secretary, "create", data={**base, "organization": el.b.organization.pk})
    assert response.status_code == 200 and "选择一个有效的选项" in response.text
    el.a.organization.term_end = today() + timedelta(days=800)
    el.a.organization.save()
    response = _page(client, el.a.secretary, "create", data={**base, "positions": ["secretary"]})
    assert "届满前 180 天内方可提交换届请示" in response.text


def test_the_pipeline_through_the_pages(el, client) -> None:
    response = _page(
        client,
        el.a.secretary,
        "create",
        data={
            "organization": el.a.organization.pk,
            "seats": 3,
            "positions": ["secretary", "organization"],
            "planned_on": (today() + timedelta(days=7)).isoformat(),
            "reason": "任期即将届满",
        },
    )
    assert response.status_code == 302
    election = el.a.organization.elections.get()
    assert _page(client, el.a.secretary, "decide", pk=election.pk).status_code == 403  # not the superior
    response = _page(client, el.admin_a, "decide", pk=election.pk, data={"decision": "refuse"})
    assert "不予批准时请填写批复意见" in response.text
    response = _page(
        client, el.admin_a, "decide", pk=election.pk, data={"decision": "approve", "note": "同意"}
    )
    assert response.status_code == 302
    response = _page(
        client,
        el.a.secretary,
        "candidates",
        pk=election.pk,
        data={"candidates": [u.pk for u in el.a.members[:2]]},
    )
    assert "候选人数不得少于 3 人" in response.text
    response = _page(
        client, el.a.secretary, "candidates", pk=election.pk, data={"candidates": [el.a.probationary[0].pk]}
    )
    assert "候选人须为本组织的正式党员" in response.text
    members = el.a.members[:4]
    response = _page(
        client, el.a.secretary, "candidates", pk=election.pk, data={"candidates": [u.pk for u in members]}
    )
    assert response.status_code == 302
    rows = b.candidates(election)
    meeting = {
        "meeting_on": today().isoformat(),
        "present": 4,
        "ballots_issued": 4,
        "ballots_returned": 4,
        **{f"votes_{c.pk}": 4 for c in rows},
    }
    response = _page(client, el.a.secretary, "meeting", pk=election.pk, data=meeting)
    assert "有选举权的到会人数须超过应到会人数的半数" in response.text
    response = _page(
        client,
        el.a.secretary,
        "meeting",
        pk=election.pk,
        data={**meeting, "present": 8, "ballots_issued": 8, "ballots_returned": 9},
    )
    assert "选举无效" in response.text
    response = _page(client, el.a.secretary, "meeting", pk=election.pk, data={**meeting, "present": "八"})
    assert response.status_code == 200 and "整数" in response.text
    votes = dict(zip([f"votes_{c.pk}" for c in rows], (8, 7, 6, 2), strict=True))
    response = _page(
        client,
        el.a.secretary,
        "meeting",
        pk=election.pk,
        data={**meeting, "present": 8, "ballots_issued": 8, "ballots_returned": 8, **votes},
    )
    assert response.status_code == 302
    detail = _page(client, el.worker_a, "detail", pk=election.pk)
    assert detail.status_code == 200 and "当选" in detail.text and "8 票" in detail.text
    elected = [c for c in b.candidates(election) if c.elected]
    response = _page(
        client, el.a.secretary, "result", pk=election.pk, data={f"position_{c.pk}": "member" for c in elected}
    )
    assert "当选人员中须确定一名书记" in response.text
    positions = dict(
        zip([f"position_{c.pk}" for c in elected], ("secretary", "organization", "member"), strict=True)
    )
    assert _page(client, el.a.secretary, "result", pk=election.pk, data=positions).status_code == 302
    response = _page(client, el.hq_admin, "result_decide", pk=election.pk, data={"decision": "approve"})
    assert response.status_code == 302
    election.refresh_from_db()
    assert election.status == ElectionStatus.COMPLETED
    terms = _page(client, el.admin_a, "terms", pk=el.a.organization.pk)  # the old secretary may be out
    past = CommitteeTerm.objects.get()
    assert f'data-term="{past.pk}"' in terms.text and el.a.secretary.display_name in terms.text
    assert f"{today().year + 3}年" in terms.text


def test_a_wrong_state_is_a_chinese_message(el, client) -> None:
    election = b.request(el.a)
    response = _page(client, el.a.secretary, "meeting", pk=election.pk)
    assert "不能办理此事项" in response.text
    response = _page(
        client, el.a.secretary, "candidates", pk=election.pk, data={"candidates": [el.a.members[0].pk]}
    )
    assert response.status_code == 200 and "不能确定候选人" in response.text


@pytest.mark.parametrize("name", ["detail", "decide", "candidates", "meeting", "result", "result_decide"])
def test_another_station_and_another_organisation_get_404(el, client, name) -> None:
    election = b.with_candidates(el.a, el.admin_a)
    for outsider in (el.admin_b, el.worker_b, el.b.secretary, el.other_officer):
        assert _page(client, outsider, name, pk=election.pk).status_code == 404
        assert _page(client, outsider, name, pk=election.pk, data={}).status_code in (404, 405)
    assert _page(client, el.admin_b, "terms", pk=el.a.organization.pk).status_code == 404
    assert _page(client, el.other_officer, "terms", pk=el.a.organization.pk).status_code == 404
    assert _page(client, el.a.secretary, "detail", pk=election.pk).status_code == 200
    assert _page(client, el.a.secretary, "detail", pk=10**12).status_code == 404


def test_overdue_renewals_on_the_work_page(el, client) -> None:
    organization = el.a.organization
    organization.term_end = today() - timedelta(days=3)
    organization.save()
    assert work_page_for(el.admin_a).card("elections.overdue").count == 1
    assert work_page_for(el.hq_admin).card("elections.overdue").count == 1
    assert work_page_for(el.admin_b).card("elections.overdue").count == 0
    assert work_page_for(el.a.secretary).card("elections.overdue") is None
    response = _page(client, el.admin_a, "overdue")
    assert f'data-organization="{organization.pk}"' in response.text
    assert _page(client, el.admin_b, "overdue").text.count("data-organization=") == 0
    election = b.request(el.a)
    assert work_page_for(el.admin_a).card("elections.overdue").count == 1  # requested, not yet approved
    from dangjian.elections import services

    services.election_decide(actor=el.admin_a, election=election, approve=True)
    admin = type(el.admin_a).objects.get(pk=el.admin_a.pk)
    assert work_page_for(admin).card("elections.overdue").count == 0
    assert work_page_for(admin).card("elections.open").count == 1
