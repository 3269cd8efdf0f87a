"""The compliance pages (§7.3) carry an ECharts chart beside their tables: the data goes to the browser as
`json_script` (no inline script: the CSP allows scripts from the site only), drawn by the vendored ECharts
and static/js/bar-chart.js — per month, how many organisations met, are open or missed it (the
station page), and how many of an organisation's requirements (its page)."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.activities import charts
from dangjian.activities.selectors import compliance_for
from tests import factories as f
from tests.activities.builders import local, new_activity

pytestmark = pytest.mark.django_db
SCRIPT = re.compile(r"<script([^>]*)>(.*?)</script>", re.S)


def chart_of(page: str) -> dict[str, Any]:
    found = re.search(r'<script id="bar-chart-data" type="application/json">(.*?)</script>', page, re.S)
    assert found, "no chart data on the page"
    return json.loads(found.group(1))


def scripts_are_files_or_data(page: str) -> None:
    for attributes, text in SCRIPT.findall(page):
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
        assert "src=" not in attributes or not text.strip()


def test_the_station_page_charts_each_month_of_its_organisations(life, client) -> None:
    instructor = f.UserFactory(username="instructor_a")
    f.grant(instructor, Role.INSTRUCTOR, life.world.a)
    f.PartyOrganizationFactory(station=life.world.a, name="万达物业党支部")
    year = timezone.localdate().year - 1
    client.force_login(instructor)

    page = client.get(reverse("activities:compliance") + f"?year={year}").content.decode()

    chart = chart_of(page)
    assert chart["categories"] == [f"{m}月" for m in range(1, 13)]  # a past year: every month
    assert [s["name"] for s in chart["series"]] == ["已达标", "进行中", "未达标"]
    assert all(sum(s["data"][m] for s in chart["series"]) == 2 for m in range(12))  # two organisations
    assert chart["series"][2]["data"] == [2] * 12  # nothing held last year: every month missed
    assert "vendor/echarts-6.1.0/echarts.min.js" in page and "js/bar-chart.js" in page
    assert "<table" in page  # the table stays
    scripts_are_files_or_data(page)


def test_the_organisation_page_charts_its_requirements_per_month(life, client) -> None:
    year = timezone.localdate().year - 1
    new_activity(life.secretary_a, [life.world.org_a], starts_at=local(year, 3, 31, 23, 30), hours=0.25)
    client.force_login(life.secretary_a)

    page = client.get(
        reverse("activities:compliance_org", kwargs={"pk": life.world.org_a.pk}) + f"?year={year}"
    ).content.decode()

    chart = chart_of(page)
    result = compliance_for(organization=life.world.org_a, year=year, today=timezone.localdate())
    march = result.month(3)
    met, _, missing = (s["data"][2] for s in chart["series"])
    assert met == sum(1 for c in march.checks if c.met) >= 1  # the 主题党日 of 31 March counts for March
    assert missing == len(march.missing)
    assert "<details" in page
    scripts_are_files_or_data(page)


def test_months_to_come_are_left_out() -> None:
    today = date(2026, 5, 20)
    assert charts.months_to_show(2026, today) == 5
    assert charts.months_to_show(2025, today) == 12
