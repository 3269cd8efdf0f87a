"""Counts grouped by station (or organisation) for the HQ cockpit (DB3212/T 1124 §4.4, §5.3).

Each capability's selectors answer `…_figures(year=…)` as `Figures`: {station id: {metric key: value}},
one grouped query whatever the number of stations; the dashboards app adds them up
(`dangjian/dashboards/figures.py`)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

Figures = dict[int, dict[str, Decimal]]


def grouped(
    rows: QuerySet[Any], by: str = "station_id", *, within: Iterable[int] | None = None, **aggregates: Any
) -> Figures:
    """`SELECT by, aggregates… GROUP BY by` as {by value: {aggregate name: Decimal}} (missing sums are 0);
    `within`: only these values of `by` (one page of organisations)."""
    if within is not None:
        rows = rows.filter(**{f"{by}__in": list(within)})
    answer: Figures = {}
    for row in rows.order_by().values(by).annotate(**aggregates):
        key = row.pop(by)
        if key is not None:
            answer[key] = {name: Decimal(value or 0) for name, value in row.items()}
    return answer


def merge(*parts: Figures) -> Figures:
    """The union of several capabilities' figures, station by station."""
    merged: Figures = {}
    for part in parts:
        for key, values in part.items():
            merged.setdefault(key, {}).update(values)
    return merged
