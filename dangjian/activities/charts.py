"""Chart data of the compliance pages (§7.3): plain dicts the templates hand to the browser with
`json_script`, drawn as stacked bars by ECharts (static/js/compliance-chart.js; the page's tables stay,
the chart only summarises them). Months are shown up to the current one: later months have not begun."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from dangjian.activities.life_rules import STATUS_LABELS, PeriodResult, Status
from dangjian.activities.selectors import OrganizationCompliance

# (status, colour) in the order stacked; the colours are the pages' green / amber / red
SERIES = ((Status.MET, "#1e7b45"), (Status.OPEN, "#c98a00"), (Status.MISSING, "#c8161d"))


def months_to_show(year: int, today: date) -> int:
    return today.month if year == today.year else 12


def _chart(title: str, unit: str, months: int, count: Callable[[int, Status], int]) -> dict[str, Any]:
    return {
        "title": title,
        "unit": unit,
        "categories": [f"{m}月" for m in range(1, months + 1)],
        "series": [
            {
                "name": STATUS_LABELS[status],
                "color": color,
                "data": [count(m, status) for m in range(1, months + 1)],
            }
            for status, color in SERIES
        ],
    }


def station_months(results: Sequence[OrganizationCompliance], *, year: int, today: date) -> dict[str, Any]:
    """Per month: how many of the organisations (those on the page) met the month, are still open, or
    missed it."""

    def count(month: int, status: Status) -> int:
        return sum(1 for result in results if result.month(month).status is status)

    return _chart(f"{year}年各月达标情况（本页党组织）", "个", months_to_show(year, today), count)


def organization_months(result: OrganizationCompliance, *, today: date) -> dict[str, Any]:
    """Per month: how many of the month's requirements are met, still open, or missing."""

    def count(month: int, status: Status) -> int:
        period: PeriodResult = result.month(month)
        return sum(1 for check in period.checks if check.status is status)

    return _chart(f"{result.year}年各月要求完成情况", "项", months_to_show(result.year, today), count)
