"""The cockpit's figures against the hand-counted platform of tests/dashboards/builders.py, and the cost
of computing and reading them: the same number of queries at 10 and at 200 stations."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.dashboards import figures, selectors
from dangjian.dashboards.models import Figure
from dangjian.stations.models import Station
from tests import factories as f
from tests.dashboards.builders import MONTHLY, hand_world, this_year

pytestmark = pytest.mark.django_db


def test_coverage_and_counts_match_the_hand_count() -> None:
    world = hand_world()
    computed = figures.compute(this_year())
    a, b = computed[world.a.pk], computed[world.b.pk]
    assert (a["units_total"], a["units_with_people"], a["units_with_party"], a["units_with_activity"]) == (
        4,
        2,
        2,
        1,
    )
    assert a["coverage_rate"] == Decimal("0.25")
    assert (b["units_total"], b["units_with_people"], b["units_with_party"], b["units_with_activity"]) == (
        2,
        2,
        0,
        2,
    )
    assert b["coverage_rate"] == 1
    assert a["people"] == 3  # the two of 华信软件 and the one of 凤城律所; the treasurer names no station
    assert a["members"] == 2  # the paying and the owing member; the transferred one is not on the roll
    assert (a["organizations"], a["terms_overdue"]) == (2, 1)
    assert (a["dues_due"], a["dues_paid"]) == (2 * MONTHLY, MONTHLY)
    assert a["dues_rate"] == Decimal("0.5")
    assert (a["activities_held"], b["activities_held"]) == (1, 1)
    assert computed[world.hq.pk]["coverage_rate"] is None  # no units: no rate, not 0%


def test_refresh_stores_the_platform_as_sums_not_means() -> None:
    world = hand_world()
    written = figures.refresh(this_year())
    assert written == Figure.objects.filter(year=this_year()).count()
    platform, computed_at = figures.platform_values(this_year())
    assert computed_at is not None
    assert platform["units_total"] == 6
    assert platform["units_with_activity"] == 3
    assert platform["coverage_rate"] == Decimal("0.5")  # (1 + 2) / (4 + 2), not the mean of 25% and 100%
    stored = figures.station_values(this_year(), [world.a.pk])[world.a.pk]
    assert stored["coverage_rate"] == Decimal("0.2500")
    assert figures.ranking(this_year(), "coverage_rate") == [
        (world.b.pk, Decimal("1.0000")),
        (world.a.pk, Decimal("0.2500")),
    ]


def test_a_second_refresh_replaces_the_year() -> None:
    hand_world()
    first = figures.refresh(this_year())
    assert figures.refresh(this_year()) == first
    assert Figure.objects.filter(year=this_year()).count() == first


def test_units_never_reached_name_what_they_lack() -> None:
    world = hand_world()
    unreached = selectors.unreached_units(station=world.a, year=this_year())
    found = {item.unit.name: (item.has_people, item.has_party) for item in unreached}
    assert found == {
        "泰州凤城律所有限公司": (True, False),
        "泰州鼓楼物业有限公司": (False, True),
        "泰州智汇人力有限公司": (False, False),
    }


def _stations(count: int) -> None:
    existing = Station.objects.count()
    Station.objects.bulk_create(
        [
            Station(kind="branch", code=f"scale-{n}", name=f"海陵区第{n}楼宇党建分站")
            for n in range(existing, count)
        ]
    )


def _queries(action: object) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()  # type: ignore[operator]
    return len(captured.captured_queries)


def test_computing_costs_the_same_queries_at_10_and_200_stations() -> None:
    """Counting is a fixed set of grouped queries; only storing the rows takes more insert batches."""
    world = hand_world()
    f.ResidentUnitFactory(building=f.BuildingFactory(station=world.b))
    _stations(10)
    at_ten = _queries(lambda: figures.compute(this_year()))
    _stations(200)
    assert _queries(lambda: figures.compute(this_year())) == at_ten


def test_the_cockpit_page_costs_the_same_queries_at_10_and_200_stations(client: object) -> None:
    world = hand_world()
    client.force_login(world.hq_admin)  # type: ignore[attr-defined]
    _stations(10)
    figures.refresh(this_year())
    client.get("/manage/cockpit/")  # type: ignore[attr-defined]  # warm the caches of the first request
    at_ten = _queries(lambda: client.get("/manage/cockpit/?metric=dues_rate"))  # type: ignore[attr-defined]
    _stations(200)
    figures.refresh(this_year())
    at_two_hundred = _queries(lambda: client.get("/manage/cockpit/?metric=dues_rate"))  # type: ignore[attr-defined]
    assert at_two_hundred == at_ten
    page = client.get("/manage/cockpit/?metric=coverage_rate&page=1")  # type: ignore[attr-defined]
    assert page.status_code == 200
    first_rows = [row["station"].code for row in page.context["rows"]][:2]
    assert first_rows == ["fengcheng", "wanda"]  # 100% before 25%; stations without units after


def test_every_metric_the_conformance_rules_read_is_computed() -> None:
    from dangjian.dashboards import conformance, metrics

    assert set(metrics.BY_KEY) >= conformance.METRIC_KEYS
    world = hand_world()
    assert set(figures.compute(this_year())[world.a.pk]) >= conformance.METRIC_KEYS


@pytest.mark.parametrize(
    "url", ["/manage/cockpit/goals/", "/manage/cockpit/screens/", "/manage/cockpit/conformance/"]
)
def test_hq_pages_cost_the_same_queries_at_10_and_40_stations(client: object, url: str) -> None:
    from dangjian.dashboards.models import Screen

    world = hand_world()
    client.force_login(world.hq_admin)  # type: ignore[attr-defined]
    _stations(10)
    Screen.objects.create(name="总站大厅", code="hall-1", width=1920, height=1080)
    client.get(url)  # type: ignore[attr-defined]  # the first visit computes the figures
    few = _queries(lambda: client.get(url))  # type: ignore[attr-defined]
    _stations(40)
    Screen.objects.bulk_create(
        [Screen(name=f"分站大屏{n}", code=f"hall-{n}", width=1920, height=1080) for n in range(2, 30)]
    )
    assert _queries(lambda: client.get(url)) == few  # type: ignore[attr-defined]
