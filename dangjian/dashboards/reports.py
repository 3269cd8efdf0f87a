"""What the cockpit's pages and the annual report show of stored figures: metrics as text, the
sections, and the conformance lines (clause, status, evidence)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from dangjian.dashboards import conformance, figures, metrics


@dataclass(frozen=True)
class Shown:
    """One metric as a tile or a cell shows it."""

    metric: metrics.Metric
    value: Decimal | None

    @property
    def text(self) -> str:
        return metrics.shown(self.metric, self.value)


def headline(values: figures.StationValues) -> list[Shown]:
    return [Shown(metrics.BY_KEY[key], values.get(key)) for key in metrics.HEADLINE]


def sections(values: figures.StationValues) -> list[tuple[metrics.Section, list[Shown]]]:
    return [(section, [Shown(m, values.get(m.key)) for m in section.metrics]) for section in metrics.SECTIONS]


@dataclass(frozen=True)
class ConformanceLine:
    clause: conformance.Clause
    status: conformance.Status | None  # None: not judged from figures (its evidence is the features)
    explanation: str
    links: list[tuple[str, str]]


def conformance_lines(
    values: figures.StationValues, *, platform: bool, station_code: str
) -> list[ConformanceLine]:
    """Every clause that applies (a station's, or the platform's with the HQ-only ones), judged where a
    rule measures it, with the links to its evidence pages."""
    judged = {s.clause.id: s for s in conformance.evaluate(values, platform=platform)}
    lines = []
    for entry in conformance.TABLE:
        if entry.scope is conformance.Scope.PLATFORM and not platform:
            continue
        found = judged.get(entry.id)
        links = [
            (page.label, page.url(station_code))
            for page in entry.pages
            if station_code or not page.by_station
        ]
        lines.append(
            ConformanceLine(entry, found.status if found else None, found.explanation if found else "", links)
        )
    return lines
