"""The indicators counted in the database against the same hand-computed fixture as test_indicators.py:
station A's 2025 third quarter (answers, deliveries on time / late / missed, valid complaints made through
the feedback capability's services), an empty station B (every rate "—"), and HQ's comparison counted in
a constant number of queries whatever the number of stations."""

from __future__ import annotations

from datetime import datetime, timedelta
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.evaluation import selectors
from dangjian.evaluation.indicators import Period
from dangjian.evaluation.models import OccasionKind, OccurrenceStatus, SatisfactionAnswer
from dangjian.stations.models import Station
from tests import factories as f
from tests.evaluation.builders import invitation, make_item, occurrence
from tests.evaluation.complaints import complaint

pytestmark = pytest.mark.django_db

Q3 = Period("quarter", 2025, 3)
AFTER_Q3 = timezone.make_aware(datetime(2025, 10, 15, 10, 0))  # "now" of the computation


def local(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(2025, month, day, hour, minute))


def answer(station, score: int, when: datetime, n: int) -> SatisfactionAnswer:
    person = f.UserFactory()
    invited = invitation(person, station, occasion_id=n)
    return SatisfactionAnswer.objects.create(
        invitation=invited,
        station=station,
        occasion_kind=OccasionKind.ACTIVITY,
        score=score,
        answered_at=when,
    )


def fixture(world) -> None:
    # satisfaction: 5,5,4,4,3,2,5 in the quarter (5 satisfied of 7, mean 4); one outside; one of B's? no: B has none
    for n, score in enumerate([5, 5, 4, 4, 3, 2, 5]):
        answer(world.a, score, local(8, 1 + n, 15), n)
    answer(world.a, 1, local(6, 30, 15), 99)  # the second quarter: not counted
    answer(world.a, 1, local(10, 1, 0, 30), 98)  # 00:30 on 1 October local time: the fourth quarter
    # deliveries: 10 occurrences due in the quarter; 6 on time, 2 late, 2 missed
    item = make_item(world.a, window_minutes=15)
    for week in range(10):
        scheduled = local(7, 2, 9) + timedelta(days=7 * week)
        o = occurrence(item, scheduled)
        if week < 6:
            o.status, o.delivered_at, o.on_time = (
                OccurrenceStatus.DELIVERED,
                scheduled + timedelta(minutes=5),
                True,
            )
        elif week < 8:
            o.status, o.delivered_at, o.on_time = (
                OccurrenceStatus.DELIVERED,
                scheduled + timedelta(hours=1),
                False,
            )
        else:
            o.status = OccurrenceStatus.MISSED
        o.save()
    occurrence(item, local(6, 25, 9))  # the second quarter: not counted
    # complaints: 3 valid (2 closed as resolved, 1 open), 1 invalid closed unresolved: 2 / 3
    handler = f.UserFactory(username="complaint_handler")
    f.grant(handler, "station_admin", world.a)
    complaint(world.a, handler, on=local(8, 5, 10), resolved=True)
    complaint(world.a, handler, on=local(8, 12, 10), resolved=True)
    complaint(world.a, handler, on=local(9, 2, 10), resolved=None)
    complaint(world.a, handler, on=local(9, 3, 10), valid=False, resolved=False)


def test_station_indicators_match_the_hand_computed_fixture(world) -> None:
    fixture(world)

    report = selectors.station_report(station_id=world.a.pk, period=Q3, now=AFTER_Q3)

    assert report.get("satisfaction").value == Fraction(5, 7) and report.get("satisfaction").label == "71.4%"
    assert report.mean_label == "4.00"
    assert (report.get("punctuality").numerator, report.get("punctuality").denominator) == (6, 8)
    assert report.get("punctuality").label == "75.0%"
    assert (report.get("completion").numerator, report.get("completion").denominator) == (8, 10)
    assert report.get("completion").label == "80.0%"
    assert (report.get("complaints").numerator, report.get("complaints").denominator) == (2, 3)
    assert report.get("complaints").label == "66.7%"


def test_a_station_without_data_shows_dashes(world) -> None:
    fixture(world)

    report = selectors.station_report(station_id=world.b.pk, period=Q3, now=AFTER_Q3)

    assert [i.label for i in report.indicators] == ["—", "—", "—", "—"]
    assert report.mean_label == "—"


def test_occurrences_not_yet_due_are_not_planned_due(world) -> None:
    item = make_item(world.a)
    occurrence(item, local(9, 30, 9))  # its window ends 09:15 on 30 September
    before = timezone.make_aware(datetime(2025, 9, 30, 9, 10))
    after = timezone.make_aware(datetime(2025, 9, 30, 9, 20))
    assert (
        selectors.station_report(station_id=world.a.pk, period=Q3, now=before).get("completion").label == "—"
    )
    assert (
        selectors.station_report(station_id=world.a.pk, period=Q3, now=after).get("completion").label
        == "0.0%"
    )


def test_the_page_shows_the_formulas_and_dashes(world, client) -> None:
    fixture(world)
    client.force_login(world.own_admin)

    page = client.get("/manage/evaluation/indicators/", {"station": world.b.pk, "period": "2025-Q3"})
    assert page.status_code == 404  # B is not A's admin's station
    page = client.get(
        "/manage/evaluation/indicators/", {"station": world.a.pk, "period": "2025-Q3"}
    ).content.decode()

    assert "71.4%" in page and "75.0%" in page and "80.0%" in page and "66.7%" in page
    assert (
        "满意（4 分、5 分）的评价数 ÷ 全部满意度评价数" in page
        and "有效投诉中已解决办结的件数 ÷ 有效投诉件数" in page
    )
    assert "2025年第3季度" in page and "—" in page  # the earlier quarters of the trend have nothing: "—"


def _stations(n: int) -> None:
    for _ in range(n):
        number = Station.objects.count()
        station = f.StationFactory(code=f"extra{number}", name=f"海陵区第{number}分站")
        item = make_item(station)
        occurrence(item, local(8, 4, 9), status=OccurrenceStatus.MISSED)
        answer(station, 4, local(8, 5, 10), 1000 + station.pk)


def _comparison_queries(world, client) -> int:
    client.force_login(world.hq_admin)
    client.get("/manage/evaluation/indicators/compare/", {"period": "2025-Q3"})  # warm the session
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/manage/evaluation/indicators/compare/", {"period": "2025-Q3"})
    assert page.status_code == 200
    return len(queries)


def test_hq_comparison_costs_the_same_queries_for_1x_and_5x_stations(world, client) -> None:
    _stations(1)
    once = _comparison_queries(world, client)
    _stations(4)
    five_times = _comparison_queries(world, client)
    assert five_times == once
    rows = selectors.comparison(period=Q3)
    assert len(rows) == 3 + 5
    assert all(r.get("completion").label == "0.0%" for s, r in rows if s.name.startswith("海陵区第"))


def test_organisation_indicators_count_satisfaction_and_complaints(world) -> None:
    invited = invitation(f.UserFactory(), world.a, occasion_id=7, organization=world.org_a)
    SatisfactionAnswer.objects.create(
        invitation=invited,
        station=world.a,
        organization=world.org_a,
        occasion_kind="activity",
        score=5,
        answered_at=local(8, 3, 10),
    )
    counts = selectors.indicator_counts(period=Q3, ids=[world.org_a.pk], by="organization", now=AFTER_Q3)
    assert counts[world.org_a.pk].answers == 1 and counts[world.org_a.pk].delivered == 0
