"""The roster, the corrections list, the export and the API list run the same number of SQL queries
with 3 members or 30 (DESIGN.md: constant query counts)."""

from __future__ import annotations

import pytest
from django_scopes import scope

from dangjian.members.models import CorrectableField, ProfileCorrection
from tests.members.builders import make_profile
from tests.queries import get_query_count

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15
URLS = (
    "/manage/members/",
    "/manage/members/?education=bachelor&status=normal",
    "/manage/members/corrections/",
    "/manage/members/stats/",
    "/manage/members/export.xlsx",
    "/api/v1/organizations/{org}/members",
    "/api/v1/organizations/{org}/members?page_size=100",
)


def grow(people, n: int) -> None:
    for _ in range(n):
        profile = make_profile(people.org_a, resident_unit=people.unit_a)
        with scope(station=[people.a.pk]):
            ProfileCorrection.objects.create(
                profile=profile,
                station=people.a,
                field=CorrectableField.JOB_TITLE,
                new_value="会计",
                reason="岗位调整",
                requested_by=profile.user,
            )


@pytest.mark.parametrize("role", ["officer_a", "own_admin", "hq_admin"])
def test_lists_use_constant_queries(people, client, role: str) -> None:
    client.force_login(getattr(people, role))
    urls = [url.format(org=people.org_a.pk) for url in URLS]
    grow(people, 2)  # with profile_a: 3 members
    few = {url: get_query_count(client, url) for url in urls}
    grow(people, 27)  # 30 members
    many = {url: get_query_count(client, url) for url in urls}

    assert few == many, {url: (few[url], many[url]) for url in urls if few[url] != many[url]}
    assert max(many.values()) <= MAX_QUERIES, many
