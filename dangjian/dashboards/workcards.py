"""Cards of the HQ cockpit on the work page (工作台): the stations (HQ: every one; a station's admins and
instructors: their own) that have not reached a goal HQ set for this year (§5.3 达标建设)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from dangjian.core.workcards import KEEP, register_card
from dangjian.dashboards import selectors


def behind_goals(user: Any) -> int:
    return selectors.stations_behind_goals(user, year=timezone.localdate().year)


register_card(
    key="dashboards.behind_goals",
    title="数据驾驶舱",
    icon="speedometer2",
    url="dashboards:cockpit",
    roles="dashboards.view_cockpit",
    count=behind_goals,
    order=5,
    section=KEEP,
    unit="个站点",
    hint="未完成本年达标目标的站点",
)
