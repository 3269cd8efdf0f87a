"""The HQ cockpit's figures: per station for one year, each one grouped query, on a hand-computed fixture."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from dangjian.honors import selectors, services
from dangjian.honors.models import HonorKind, MediaLevel
from tests import factories as f
from tests.honors.builders import nominate, publicity, walk

pytestmark = pytest.mark.django_db
YEAR = 2025


def _event(actor: Any, station: Any, on: date) -> None:
    services.event_create(
        actor=actor,
        station=station,
        data=services.EventInput(kind="on_site", title="楼宇党建现场会", held_on=on, place="万达广场"),
    )


@pytest.fixture
def figures(hn: Any) -> Any:
    """A: two honours awarded in 2025 (one more waiting, one of 2024); B: one awarded in 2025.
    Publicity at city level or above in 2025: A two (plus one 其他), B none (its city report is 2024).
    Events in 2025: A one, B two (and one in 2026 for A)."""
    second_org = f.PartyOrganizationFactory(station=hn.a, name="泰州华信软件科技有限公司党支部")
    walk(nominate(actor=hn.admin_a, organization=hn.org_a, year=YEAR), hn, 3)
    walk(nominate(actor=hn.admin_a, organization=second_org, year=YEAR), hn, 3)
    walk(
        nominate(
            actor=hn.admin_a, organization=hn.org_a, kind=HonorKind.MEMBER, nominee=hn.member, year=YEAR
        ),
        hn,
        2,
    )
    walk(nominate(actor=hn.admin_a, organization=hn.org_a, year=YEAR - 1), hn, 3)
    b_award = nominate(actor=hn.admin_b, organization=hn.org_b, year=YEAR)
    services.nomination_act(actor=hn.admin_b, nomination=b_award, action="submit")
    services.nomination_act(actor=hn.instructor_b, nomination=b_award, action="approve")
    services.nomination_act(actor=hn.hq_admin, nomination=b_award, action="award")
    publicity(hn.admin_a, hn.a, level=MediaLevel.CITY, on=date(YEAR, 3, 1))
    publicity(hn.admin_a, hn.a, level=MediaLevel.NATIONAL, on=date(YEAR, 12, 31))
    publicity(hn.admin_a, hn.a, level=MediaLevel.OTHER, on=date(YEAR, 5, 1))
    publicity(hn.admin_b, hn.b, level=MediaLevel.CITY, on=date(YEAR - 1, 12, 31))
    _event(hn.admin_a, hn.a, date(YEAR, 6, 1))
    _event(hn.admin_a, hn.a, date(YEAR + 1, 1, 1))
    _event(hn.admin_b, hn.b, date(YEAR, 1, 1))
    _event(hn.admin_b, hn.b, date(YEAR, 9, 9))
    return hn


def test_awards_by_station(figures: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        found = selectors.awards_by_station(year=YEAR)
    assert found == {figures.a.pk: 2, figures.b.pk: 1}
    assert selectors.awards_by_station(year=YEAR - 1) == {figures.a.pk: 1}


def test_publicity_city_or_above_by_station(figures: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        found = selectors.publicity_city_or_above_by_station(year=YEAR)
    assert found == {figures.a.pk: 2}
    assert selectors.publicity_city_or_above_by_station(year=YEAR - 1) == {figures.b.pk: 1}


def test_events_by_station(figures: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        found = selectors.events_by_station(year=YEAR)
    assert found == {figures.a.pk: 1, figures.b.pk: 2}
    assert selectors.events_by_station(year=YEAR + 1) == {figures.a.pk: 1}
