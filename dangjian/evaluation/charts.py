"""The data the ECharts of the evaluation pages draw (static/js/evaluation-charts.js reads it from a
`json_script`); the tables beside each chart stay the full account. A rate without a denominator is
`null` in a series (a gap in the line, never 0%)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dangjian.evaluation.indicators import DEFINITIONS, Period, Report
from dangjian.evaluation.selectors import QuestionResult
from dangjian.stations.models import Station

COLORS = ("#c8161d", "#d97706", "#2563eb", "#059669")


def _value(report: Report, code: str) -> float | None:
    shown = report.get(code).percent
    return float(shown) if shown is not None else None


def trend_chart(trend: Sequence[tuple[Period, Report]]) -> dict[str, Any]:
    return {
        "type": "line",
        "title": "指标趋势",
        "unit": "%",
        "categories": [period.label for period, _ in trend],
        "series": [
            {"name": d.name, "color": COLORS[i], "data": [_value(report, d.code) for _, report in trend]}
            for i, d in enumerate(DEFINITIONS)
        ],
    }


def comparison_chart(rows: Sequence[tuple[Station, Report]]) -> dict[str, Any]:
    return {
        "type": "bar",
        "title": "各站点指标对比",
        "unit": "%",
        "categories": [station.name for station, _ in rows],
        "series": [
            {"name": d.name, "color": COLORS[i], "data": [_value(report, d.code) for _, report in rows]}
            for i, d in enumerate(DEFINITIONS)
        ],
    }


def results_chart(results: Sequence[QuestionResult]) -> dict[str, Any]:
    """One bar chart per choice question: each option's votes."""
    return {
        "type": "results",
        "questions": [
            {
                "id": q.question_id,
                "title": q.text,
                "categories": [o.text for o in q.options],
                "data": [o.count for o in q.options],
            }
            for q in results
            if q.options
        ],
    }
