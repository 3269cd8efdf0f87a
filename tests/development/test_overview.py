"""The overview (发展党员总览): per organisation the candidates in each stage, the overdue steps and the
year's new members; per year the development numbers (chart data and table); each keeper sees only
their own organisations; the queries do not grow with organisations or candidates."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from django.urls import reverse

from dangjian.development.models import StepRecord
from dangjian.development.selectors import YEAR_STEPS
from tests import factories as f
from tests.development.builders import make_branch, make_candidate, old_candidate, today, walk
from tests.queries import get_query_count

pytestmark = pytest.mark.django_db
URL = reverse("development:overview")


def chart_of(html: str) -> dict:
    found = re.search(r'<script id="bar-chart-data" type="application/json">(.*?)</script>', html, re.S)
    assert found, "the page carries its chart data"
    return json.loads(found.group(1))


def line_of(html: str, organization) -> list[str]:
    row = re.search(rf'<tr data-organization="{organization.pk}">(.*?)</tr>', html, re.S)
    assert row, organization.name
    return re.findall(r'class="text-end">(?:<span[^>]*>)?(\d+)', row.group(1))


def test_stages_overdue_and_years_of_each_organisation(dev, client) -> None:
    fresh = [make_candidate(dev.a, name=name) for name in ("陈佳怡", "林浩然")]
    overdue = old_candidate(dev.a, months_ago=3, name="赵子墨")  # its talk is two months late
    target = walk(dev.a, old_candidate(dev.a, name="顾思远"), "target")
    make_candidate(dev.b, name="金融大厦的申请人")
    client.force_login(dev.admin_a)
    html = client.get(URL).content.decode()
    # stages 1–5, overdue steps, admitted this year, full this year
    assert line_of(html, dev.a.organization)[:5] == ["3", "0", "1", "0", "0"]
    assert int(line_of(html, dev.a.organization)[5]) >= 1  # at least 赵子墨's talk
    assert f'data-organization="{dev.b.organization.pk}"' not in html and "金融大厦楼宇联合党支部" not in html
    chart = chart_of(html)
    year = today().year
    assert chart["categories"][-1] == f"{year}年" and len(chart["categories"]) == 5
    applied = Counter(c.applied_on.year for c in [*fresh, overdue, target])
    expected = [applied.get(int(label[:4]), 0) for label in chart["categories"]]
    series = {s["name"]: s["data"] for s in chart["series"]}
    assert series[dict(YEAR_STEPS)["apply"]] == expected
    activist_year = StepRecord.all_objects.get(candidate=target, step="activist").done_on.year
    assert series["确定入党积极分子"][chart["categories"].index(f"{activist_year}年")] == 1
    table = re.search(r"<table[^>]*data-year-table>(.*?)</table>", html, re.S).group(1)
    assert '<th scope="row" class="fw-normal">递交入党申请</th>' in table


def test_the_station_filter_and_another_stations_admin(dev, client) -> None:
    make_candidate(dev.a, name="陈佳怡")
    client.force_login(dev.admin_b)
    html = client.get(URL).content.decode()
    assert f'data-organization="{dev.a.organization.pk}"' not in html
    assert f'data-organization="{dev.b.organization.pk}"' in html
    client.force_login(dev.hq_admin)
    both = client.get(URL).content.decode()
    assert (
        f'data-organization="{dev.a.organization.pk}"' in both
        and f'data-organization="{dev.b.organization.pk}"' in both
    )
    only_b = client.get(f"{URL}?station={dev.b.station.pk}").content.decode()
    assert f'data-organization="{dev.a.organization.pk}"' not in only_b
    client.force_login(dev.a.members[3])  # a plain member keeps no candidates
    assert client.get(URL).status_code == 403


def test_the_overview_queries_do_not_grow(dev, client) -> None:
    make_candidate(dev.a, name="陈佳怡")
    client.force_login(dev.hq_admin)
    few = get_query_count(client, URL)
    for number in range(4):
        branch = make_branch(dev.a.station, full=2, probationary=0, name=f"万达广场第{number + 2}支部")
        for _ in range(3):
            make_candidate(branch)
        old_candidate(branch, months_ago=3)
    station = f.StationFactory(code="yiyaocheng", name="医药城分站")
    make_candidate(make_branch(station, full=2, probationary=0))
    assert get_query_count(client, URL) == few
