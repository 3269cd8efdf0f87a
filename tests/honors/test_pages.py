"""The 示范引领 pages: the nomination form and its steps, the events with attendees, and every list in a
constant number of queries whatever its rows."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from dangjian.honors import services
from dangjian.honors.models import DemonstrationEvent, MediaLevel, Nomination, NominationStatus
from tests import factories as f
from tests.honors.builders import nominate, publicity, this_year, walk

pytestmark = pytest.mark.django_db


def test_nominate_submit_and_return_through_the_pages(hn: Any, client: Any) -> None:
    client.force_login(hn.worker_a)
    body = {
        "organization": hn.org_a.pk,
        "kind": "member",
        "year": this_year(),
        "nominee": hn.member.pk,
        "deeds": "带头参与楼宇志愿服务",
    }
    created = client.post(reverse("honors:create"), body)
    assert created.status_code == 302
    nomination = Nomination.objects.get()
    assert client.post(reverse("honors:act", args=[nomination.pk, "submit"])).status_code == 302
    client.force_login(hn.instructor_a)
    page = client.get(nomination.get_absolute_url()).content.decode()
    assert "审核通过" in page and "退回修改" in page and "授予荣誉" not in page
    refused = client.post(reverse("honors:act", args=[nomination.pk, "return"]), {"comment": ""})
    assert refused.status_code == 400 and "请填写退回意见" in refused.content.decode()
    assert Nomination.objects.get().status == NominationStatus.SUBMITTED
    client.post(reverse("honors:act", args=[nomination.pk, "return"]), {"comment": "请补充具体事例"})
    assert Nomination.objects.get().status == NominationStatus.RETURNED


def test_a_duplicate_shows_on_the_form(hn: Any, client: Any) -> None:
    nominate(actor=hn.admin_a, organization=hn.org_a)
    client.force_login(hn.admin_a)
    body = {"organization": hn.org_a.pk, "kind": "organization", "year": this_year(), "deeds": "先进事迹"}
    response = client.post(reverse("honors:create"), body)
    assert response.status_code == 200 and "同一对象每年每类荣誉只能推荐一次" in response.content.decode()


def test_an_unknown_step_is_a_404(hn: Any, client: Any) -> None:
    nomination = nominate(actor=hn.admin_a, organization=hn.org_a)
    client.force_login(hn.admin_a)
    assert client.post(reverse("honors:act", args=[nomination.pk, "publish"])).status_code == 404


def test_an_event_with_attendees_and_visitors(hn: Any, client: Any) -> None:
    client.force_login(hn.admin_a)
    body = {
        "station": hn.a.pk,
        "kind": "visit",
        "title": "姜堰区楼宇党建观摩学习",
        "held_on": date(this_year(), 1, 1).isoformat(),
        "place": "万达广场党群服务中心",
        "attendees": [hn.worker_a.pk, hn.officer_a.pk],
        "visitor_count": 1,
        "visitors": "姜堰区委组织部 王某\n高港区委组织部 李某",
    }
    refused = client.post(reverse("honors:event_create"), body)
    assert refused.status_code == 200 and "外单位来访人数少于所列人员" in refused.content.decode()
    assert client.post(reverse("honors:event_create"), {**body, "visitor_count": 12}).status_code == 302
    event = DemonstrationEvent.objects.get()
    assert set(event.attendees.values_list("pk", flat=True)) == {hn.worker_a.pk, hn.officer_a.pk}
    listing = client.get(reverse("honors:event_list")).content.decode()
    assert "观摩学习" in listing and "平台人员 2 人，外单位 12 人" in listing


def _grow(hn: Any, n: int, start: int) -> None:
    for i in range(start, start + n):
        organization = f.PartyOrganizationFactory(station=hn.a, name=f"楼宇企业党支部{i}")
        walk(nominate(actor=hn.admin_a, organization=organization), hn, 3)
        publicity(hn.admin_a, hn.a, level=MediaLevel.CITY, on=date(this_year(), 1, 1))
        event = services.event_create(
            actor=hn.admin_a,
            station=hn.a,
            data=services.EventInput(
                kind="exchange",
                title=f"经验交流会{i}",
                held_on=date(this_year(), 1, 1),
                place="万达广场",
                attendees=(hn.worker_a,),
            ),
        )
        assert event.pk
        f.StationFactory()


PAGES = ["honors:roll", "honors:list", "honors:publicity_list", "honors:publicity_check", "honors:event_list"]


@pytest.mark.parametrize("name", PAGES)
def test_lists_use_constant_queries(
    hn: Any, client: Any, name: str, django_assert_max_num_queries: Any
) -> None:
    client.force_login(hn.hq_admin)
    url = reverse(name)
    _grow(hn, 1, 0)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _grow(hn, 12, 1)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200


def test_an_hq_instructor_sees_a_branch_nomination_but_does_not_review_it(hn: Any, client: Any) -> None:
    from dangjian.accounts.models import Role

    hq_instructor = f.UserFactory(username="hq_instructor")
    f.grant(hq_instructor, Role.INSTRUCTOR, hn.hq)
    nomination = walk(nominate(actor=hn.admin_a, organization=hn.org_a), hn, 1)
    client.force_login(hq_instructor)
    page = client.get(nomination.get_absolute_url())
    assert page.status_code == 200 and "审核通过" not in page.content.decode()
    client.post(reverse("honors:act", args=[nomination.pk, "approve"]))
    assert Nomination.objects.get(pk=nomination.pk).status == NominationStatus.SUBMITTED
    client.force_login(hn.instructor_b)
    assert client.get(nomination.get_absolute_url()).status_code == 404
