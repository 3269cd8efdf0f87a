"""Statistics of members (§6.3 党员管理): gender, age bands, education, admission year, category and
status, computed with aggregate queries over the user's own members."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from dangjian.members.models import MemberProfile
from dangjian.members.selectors import age_band_q, member_statistics
from tests.members.builders import make_profile

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 30)


@pytest.fixture
def small(people):
    """org_a: profile_a (male, born 1986-05-12, 本科, joined 2010) plus four more; one transferred out."""
    make_profile(
        people.org_a,
        gender="female",
        birth_date=date(2000, 7, 1),
        education="postgraduate",
        category="probationary",
        admitted_on=date(2026, 1, 1),
        full_member_on=None,
    )
    make_profile(
        people.org_a,
        gender="female",
        birth_date=date(1996, 6, 30),
        education="bachelor",
        admitted_on=date(2020, 7, 1),
        full_member_on=date(2021, 7, 1),
    )
    make_profile(
        people.org_a,
        gender="male",
        birth_date=date(1960, 1, 1),
        education="high_school",
        admitted_on=date(1985, 7, 1),
        full_member_on=date(1986, 7, 1),
        dues_category="retired",
    )
    make_profile(people.org_a, gender="male", birth_date=date(1970, 1, 1), status="transferred_out")
    make_profile(people.org_b)  # another station: never counted for A's keepers
    return people


def counts(bars) -> dict[str, int]:
    return {bar.label: bar.count for bar in bars}


def test_numbers_for_a_small_fixture(small) -> None:
    with scope(station=[small.a.pk]):
        stats = member_statistics(MemberProfile.objects.all(), TODAY)

    assert stats.total == 4
    assert counts(stats.gender) == {"男": 2, "女": 2}
    # ages on 2026-06-30: 25, 30 (birthday today), 40, 66
    assert counts(stats.age) == {"30岁及以下": 2, "31–40岁": 1, "41–50岁": 0, "51–60岁": 0, "61岁及以上": 1}
    assert counts(stats.education)["大学本科"] == 2 and counts(stats.education)["研究生"] == 1
    assert counts(stats.category) == {"正式党员": 3, "预备党员": 1}
    assert counts(stats.join_year) == {"1985年": 1, "2010年": 1, "2020年": 1, "2026年": 1}
    assert counts(stats.status)["正常"] == 4 and counts(stats.status)["转出"] == 1
    assert [bar.percent for bar in stats.gender] == [50.0, 50.0]


def test_age_band_edges() -> None:
    assert age_band_q(None, 30, TODAY) is not None
    born_31_years_ago_tomorrow = date(1995, 7, 1)  # still 30 on TODAY
    born_31_years_ago = date(1995, 6, 30)  # 31 on TODAY
    from django.db.models import Q

    def matches(q: Q, birth: date) -> bool:
        lookups = dict(q.children)
        low = lookups.get("birth_date__lte")
        high = lookups.get("birth_date__gt")
        return (low is None or birth <= low) and (high is None or birth > high)

    assert matches(age_band_q(None, 30, TODAY), born_31_years_ago_tomorrow)
    assert not matches(age_band_q(None, 30, TODAY), born_31_years_ago)
    assert matches(age_band_q(31, 40, TODAY), born_31_years_ago)


def test_statistics_use_a_fixed_number_of_queries(small) -> None:
    with scope(station=[small.a.pk]), CaptureQueriesContext(connection) as few:
        member_statistics(MemberProfile.objects.all(), TODAY)
    for _ in range(10):
        make_profile(small.org_a)
    with scope(station=[small.a.pk]), CaptureQueriesContext(connection) as many:
        member_statistics(MemberProfile.objects.all(), TODAY)
    assert len(few) == len(many) == 2


def test_stats_page_shows_only_ones_own_members(small, client) -> None:
    client.force_login(small.officer_a)

    page = client.get("/manage/members/stats/").content.decode()

    assert "data-stat-total>4<" in page.replace(" ", "")
    client.force_login(small.other_admin)
    assert "data-stat-total>1<" in client.get("/manage/members/stats/").content.decode().replace(" ", "")
