"""Every activities list and the compliance page read a constant number of queries, whatever the rows."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.activities.invitations import invitation_send
from dangjian.activities.models import LeaveRequest
from dangjian.activities.services import register, theme_set
from dangjian.organizations.models import PartyOrganization
from tests import factories as f
from tests.activities.builders import member_of, new_activity

pytestmark = pytest.mark.django_db
MAX_QUERIES = 30


def grow(life: Any, n: int) -> None:
    world = life.world
    for i in range(n):
        org = f.PartyOrganizationFactory(station=world.a, name=f"第{PartyOrganization.objects.count()}党支部")
        activity = new_activity(
            life.secretary_a, [world.org_a], capacity=2, audience="station", title=f"活动{i}"
        )
        people = [member_of(world.org_a, f"m{activity.pk}_{k}") for k in range(3)]
        for person in people:
            register(actor=person, activity=activity)
            register(actor=person, activity=life.first)  # its waiting list grows
        register(actor=life.members[0], activity=activity)
        LeaveRequest.objects.create(
            activity=activity, person=people[0], organization=world.org_a, station=world.a, reason="出差"
        )
        invitation_send(actor=life.secretary_a, activity=life.first, organizations=[org])
        invitation_send(actor=life.secretary_a, activity=activity, people=[life.members[0]])
        month = activity.starts_at.date()
        theme_set(actor=life.secretary_a, organization=world.org_a, month=month, theme=f"主题{i}")


PAGES = [
    ("anonymous", lambda life: reverse("activities:list")),
    ("member", lambda life: reverse("activities:list")),
    ("member", lambda life: reverse("activities:my")),
    ("secretary", lambda life: reverse("activities:manage_list")),
    ("secretary", lambda life: reverse("activities:leave_requests")),
    ("secretary", lambda life: reverse("activities:registrations", kwargs={"pk": life.first.pk})),
    ("member", lambda life: reverse("activities:invitations")),
    ("secretary", lambda life: reverse("activities:activity_invitations", kwargs={"pk": life.first.pk})),
    ("secretary", lambda life: reverse("activities:checkin", kwargs={"pk": life.first.pk})),
    ("secretary", lambda life: reverse("activities:signin_sheet", kwargs={"pk": life.first.pk})),
    ("secretary", lambda life: reverse("activities:checkin_list")),
    ("admin", lambda life: reverse("activities:compliance")),
    ("admin", lambda life: reverse("activities:manage_list")),
    ("admin", lambda life: reverse("activities:compliance_org", kwargs={"pk": life.world.org_a.pk})),
]


def count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("index", range(len(PAGES)))
def test_constant_queries(life, client, django_assert_max_num_queries, index) -> None:
    role, url_of = PAGES[index]
    people = {"member": life.members[0], "secretary": life.secretary_a, "admin": life.world.own_admin}
    if role in people:
        client.force_login(people[role])
    life.first = new_activity(life.secretary_a, [life.world.org_a], capacity=1, audience="public")
    grow(life, 2)
    url = url_of(life)
    few = count(client, url)
    grow(life, 6)
    with django_assert_max_num_queries(MAX_QUERIES):
        many = count(client, url)
    assert many == few, f"{url}: {few} queries with few rows, {many} with many"
