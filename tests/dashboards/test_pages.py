"""The cockpit's pages on the hand-counted platform: drill-down, goals (§5.3), Excel exports, the big
screen and the conformance report."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.core.cache import cache
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from dangjian.core.models import AuditEvent
from dangjian.dashboards import figures
from dangjian.dashboards.models import Goal, Screen
from tests.dashboards.builders import HandWorld, hand_world, this_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> HandWorld:
    built = hand_world()
    figures.refresh(this_year())
    return built


def _sheet(response: Any) -> list[tuple[Any, ...]]:
    book = load_workbook(BytesIO(response.content))
    return list(book.active.iter_rows(values_only=True))


def test_a_station_admin_is_sent_to_their_own_station(client: Any, world: HandWorld) -> None:
    client.force_login(world.admin_a)
    response = client.get("/manage/cockpit/")
    assert response.status_code == 302 and response["Location"] == f"/manage/cockpit/stations/{world.a.code}/"
    assert client.get(f"/manage/cockpit/stations/{world.b.code}/").status_code == 404


def test_drill_down_from_the_platform_to_an_organisation(client: Any, world: HandWorld) -> None:
    client.force_login(world.hq_admin)
    platform = client.get("/manage/cockpit/").content.decode()
    assert f'href="/manage/cockpit/stations/{world.a.code}/?year={this_year()}"' in platform
    station = client.get(f"/manage/cockpit/stations/{world.a.code}/")
    text = station.content.decode()
    assert "尚未参加活动的入驻单位（3 家）" in text
    unreached = {item.unit.name for item in station.context["unreached"]}
    assert "泰州智汇人力有限公司" in unreached and "泰州华信软件有限公司" not in unreached
    lines = {line.organization.pk: line for line in station.context["lines"]}
    assert lines[world.organization.pk].members == 2
    assert lines[world.organization.pk].dues_rate == Decimal("0.5")
    organization = client.get(f"/manage/cockpit/organizations/{world.organization.pk}/").content.decode()
    assert "2 人" in organization and "50.0%" in organization
    assert f"/manage/members/?organization={world.organization.pk}" in organization


def test_the_branch_table_exports_every_station_with_numbers(client: Any, world: HandWorld) -> None:
    client.force_login(world.hq_admin)
    response = client.get("/manage/cockpit/?export=xlsx&metric=coverage_rate")
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    rows = _sheet(response)
    header = rows[1]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[2:]}
    assert by_name["海陵万达分站"]["入驻单位"] == 4
    assert by_name["海陵万达分站"]["入驻单位参与率"] == pytest.approx(0.25)
    assert by_name["凤城河分站"]["入驻单位参与率"] == pytest.approx(1.0)
    with scopes_disabled():
        assert AuditEvent.objects.filter(action="dashboards.export").count() == 1


def test_the_station_exports_its_organisations_and_unreached_units(client: Any, world: HandWorld) -> None:
    client.force_login(world.admin_a)
    organizations = _sheet(client.get(f"/manage/cockpit/stations/{world.a.code}/?export=organizations"))
    named = {row[0]: row for row in organizations[2:]}
    assert named["中共泰州华信软件科技有限公司支部委员会"][1] == 2
    units = _sheet(client.get(f"/manage/cockpit/stations/{world.a.code}/?export=units"))
    assert sorted(row[0] for row in units[2:]) == [
        "泰州凤城律所有限公司",
        "泰州智汇人力有限公司",
        "泰州鼓楼物业有限公司",
    ]


def test_hq_sets_goals_and_the_station_shows_its_progress(client: Any, world: HandWorld) -> None:
    client.force_login(world.hq_admin)
    year = this_year()
    response = client.post(
        "/manage/cockpit/goals/",
        {"year": year, "station": world.a.pk, "coverage_rate": "50", "dues_rate": "100"},
    )
    assert response.status_code == 302
    assert Goal.objects.get(station=world.a, year=year, key="coverage_rate").target == Decimal("50.00")
    client.force_login(world.admin_a)
    page = client.get(f"/manage/cockpit/stations/{world.a.code}/")
    goals = {line.metric.key: line for line in page.context["goal_lines"]}
    assert goals["coverage_rate"].percent == 50  # 25% of a 50% target
    assert goals["dues_rate"].percent == 50 and goals["dues_rate"].reached is False
    assert goals["learning_rate"].target is None


def test_one_goal_for_every_branch_and_a_blank_removes_it(client: Any, world: HandWorld) -> None:
    client.force_login(world.hq_admin)
    year = this_year()
    client.post("/manage/cockpit/goals/", {"year": year, "station": "", "activities_held": "12"})
    assert set(
        Goal.objects.filter(year=year, key="activities_held").values_list("station__code", flat=True)
    ) == {"wanda", "fengcheng"}
    client.post("/manage/cockpit/goals/", {"year": year, "station": world.b.pk, "activities_held": ""})
    assert list(
        Goal.objects.filter(year=year, key="activities_held").values_list("station__code", flat=True)
    ) == ["wanda"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("coverage_rate", "120", "100"),
        ("activities_held", "-3", "0"),
        ("dues_rate", "很多", "输入一个数字"),
    ],
)
def test_a_wrong_goal_is_refused_in_chinese_and_changes_nothing(
    client: Any, world: HandWorld, field: str, value: str, message: str
) -> None:
    client.force_login(world.hq_admin)
    response = client.post(
        "/manage/cockpit/goals/", {"year": this_year(), "station": world.a.pk, field: value}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Goal.objects.exists()


def test_a_station_admin_cannot_set_goals(client: Any, world: HandWorld) -> None:
    client.force_login(world.admin_a)
    response = client.post(
        "/manage/cockpit/goals/", {"year": this_year(), "station": world.a.pk, "coverage_rate": "10"}
    )
    assert response.status_code == 403 and not Goal.objects.exists()


def test_the_big_screen_shows_the_figures_and_when_they_were_computed(client: Any, world: HandWorld) -> None:
    Screen.objects.create(name="总站大厅", code="hq-hall", width=3840, height=2160)
    page = client.get("/big-screen/hq-hall/")
    text = page.content.decode()
    assert 'data-width="3840" data-height="2160"' in text and "--u: calc(2160px / 1080)" in text
    data = client.get("/big-screen/hq-hall/data/").json()
    counters = {c["label"]: c["value"] for c in data["counters"]}
    assert counters["入驻单位"] == "6" and counters["入驻单位参与率"] == "50.0%"
    assert data["computed_at"].startswith(f"{this_year()}年")
    assert [t["name"] for t in data["tiles"]][:2] == ["凤城河分站", "海陵万达分站"]
    assert client.get("/big-screen/nowhere/").status_code == 404


def test_a_new_screen_needs_a_resolution(client: Any, world: HandWorld) -> None:
    client.force_login(world.hq_admin)
    response = client.post("/manage/cockpit/screens/new/", {"name": "大厅", "code": "hall", "resolution": ""})
    assert "请选择常用分辨率，或填写宽和高" in response.content.decode() and not Screen.objects.exists()
    client.post("/manage/cockpit/screens/new/", {"name": "大厅", "code": "hall", "resolution": "5760x1080"})
    assert Screen.objects.get(code="hall").width == 5760


def test_a_commit_asks_for_one_refresh(
    django_capture_on_commit_callbacks: Any, monkeypatch: Any, settings: Any
) -> None:
    from dangjian.dashboards import tasks

    settings.CELERY_TASK_ALWAYS_EAGER = False  # a worker refreshes a minute later
    queued: list[int] = []
    monkeypatch.setattr(tasks.refresh_figures, "apply_async", lambda **kw: queued.append(kw["countdown"]))
    cache.delete(figures.REFRESH_QUEUED_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        figures.request_refresh()
        figures.request_refresh()
    assert queued == [figures.REFRESH_DELAY_SECONDS]
    assert cache.get(figures.STALE_KEY)


def test_where_tasks_run_inline_the_next_cockpit_page_recomputes(
    client: Any, world: HandWorld, django_capture_on_commit_callbacks: Any
) -> None:
    from tests import factories as f

    f.ResidentUnitFactory(building=f.BuildingFactory(station=world.b))
    with django_capture_on_commit_callbacks(execute=True):
        figures.request_refresh()
    client.force_login(world.hq_admin)
    page = client.get("/manage/cockpit/")
    assert page.context["sections"][0][1][0].value == 7  # the new unit is counted
    assert not cache.get(figures.STALE_KEY)


def test_the_conformance_report_judges_the_station_from_its_figures(client: Any, world: HandWorld) -> None:
    client.force_login(world.admin_a)
    page = client.get(f"/manage/cockpit/stations/{world.a.code}/conformance/")
    lines = {line.clause.id: line for line in page.context["lines"]}
    assert lines["§4.3"].status is not None and lines["§4.3"].status.value == "partly"
    assert lines["§4.3"].explanation == "入驻单位 4 家中 1 家本年参加过活动（25%）"
    assert "§7.4" not in lines  # a platform clause: on HQ's report
    client.force_login(world.hq_admin)
    platform = client.get("/manage/cockpit/conformance/")
    assert "§7.4" in {line.clause.id for line in platform.context["lines"]}
    assert f"数据统计于 {this_year()}年" in platform.content.decode()
