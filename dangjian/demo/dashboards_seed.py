"""Demo of the HQ cockpit: the big screens of the halls (a full-HD screen and a 4K one at HQ, a three-
screen wall at 万达广场分站), this year's goals HQ set for every branch (§5.3 达标建设), and the figures
computed once at the end of the seed, so the cockpit opens with numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from dangjian.accounts.models import User
from dangjian.dashboards import figures
from dangjian.dashboards.models import Goal, Screen
from dangjian.stations.models import Station, StationKind

SCREENS = (
    ("总站党群服务中心大厅", "hq-hall", 1920, 1080, None),
    ("总站指挥中心 4K 大屏", "hq-command-4k", 3840, 2160, None),
    ("万达广场分站三屏拼接", "wanda-wall", 5760, 1080, "hailing-wanda"),
)
# Branch goals of the year: coverage and rates in percent, counts as counts.
GOALS = {
    "coverage_rate": Decimal(80),
    "activities_held": Decimal(40),
    "learning_rate": Decimal(60),
    "life_rate": Decimal(100),
    "dues_rate": Decimal(95),
    "satisfaction": Decimal(90),
    "articles_published": Decimal(12),
}


def create_dashboards(today: date) -> None:
    stations = {s.code: s for s in Station.objects.all()}
    for name, code, width, height, station_code in SCREENS:
        Screen.objects.create(
            name=name, code=code, width=width, height=height, station=stations.get(station_code or "")
        )
    hq_admin = User.objects.get(username="hq_admin")
    Goal.objects.bulk_create(
        Goal(station=station, year=today.year, key=key, target=target, set_by=hq_admin)
        for station in stations.values()
        if station.kind == StationKind.BRANCH
        for key, target in GOALS.items()
    )
    figures.refresh(today.year)
