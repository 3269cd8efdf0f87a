"""The annual report (年度报告) of a station or of the platform: the standard's indicators for a year, the
goals against them (§5.3), the conformance of each clause, and for the platform every station compared.
One set of data (`annual_report`) becomes the page, an Excel workbook (`workbook_of`) and a PDF
(`pdf_of`: WeasyPrint, the Chinese font embedded by subsetting, the charts as inline SVG)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from dangjian.core import spreadsheets
from dangjian.core.svg_charts import horizontal_bars
from dangjian.dashboards import conformance, figures, metrics, reports, selectors
from dangjian.dashboards.selectors import GoalLine
from dangjian.stations.models import Station

PDF_BRANCHES = 40  # the PDF lists the best stations; the workbook has every one
COMPARED_KEYS = ("coverage_rate", "life_rate", "learning_rate", "dues_rate")


class PdfUnavailable(RuntimeError):
    """The machine lacks what WeasyPrint needs (Pango); the page and the workbook still work."""


@dataclass(frozen=True)
class Chart:
    title: str
    categories: list[str]
    values: list[float]
    unit: str = ""

    def svg(self) -> str:
        return horizontal_bars(self.categories, self.values, unit=self.unit)

    def as_data(self) -> dict[str, Any]:
        return {"title": self.title, "categories": self.categories, "values": self.values, "unit": self.unit}


@dataclass
class BranchLine:
    station: Station
    cells: list[reports.Shown]


@dataclass
class AnnualReport:
    year: int
    station: Station | None
    computed_at: datetime | None
    sections: list[tuple[metrics.Section, list[reports.Shown]]]
    conformance: list[reports.ConformanceLine]
    goals: list[GoalLine] = field(default_factory=list)
    branches: list[BranchLine] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    @property
    def scope_name(self) -> str:
        return self.station.name if self.station else "楼宇党建共享平台（全平台）"

    @property
    def title(self) -> str:
        return f"{self.scope_name}{self.year}年度楼宇党建工作报告"

    @property
    def compared(self) -> list[metrics.Metric]:
        return [metrics.BY_KEY[key] for key in COMPARED_KEYS]

    def status_counts(self) -> list[tuple[str, int]]:
        judged = [line.status for line in self.conformance if line.status is not None]
        return [(status.label, judged.count(status)) for status in conformance.Status]


def _station_charts(values: figures.StationValues, year: int) -> list[Chart]:
    keys = ("units_total", "units_with_people", "units_with_party", "units_with_activity")
    return [
        Chart(
            f"{year}年入驻单位参与情况（家）",
            [metrics.BY_KEY[k].label for k in keys],
            [float(values.get(k) or 0) for k in keys],
        )
    ]


def _ranking_chart(year: int, key: str, names: dict[int, str]) -> Chart:
    rows = figures.ranking(year, key, limit=15)
    metric = metrics.BY_KEY[key]
    return Chart(
        f"{year}年{metric.label}前 {len(rows)} 名",
        [names.get(pk, "") for pk, _ in rows],
        [float(round(value * 100, 1)) for _, value in rows],
        "%",
    )


def annual_report(
    *, year: int, station: Station | None, stations: list[Station] | None = None
) -> AnnualReport:
    """The report of `station` (None: the platform, comparing `stations`) from the stored figures."""
    platform, computed_at = figures.fresh_platform_values(year)
    if station is not None:
        values = figures.station_values(year, [station.pk])[station.pk]
        goals = selectors.goal_lines(
            values, selectors.goals_of(year=year, station_ids=[station.pk])[station.pk]
        )
        return AnnualReport(
            year=year,
            station=station,
            computed_at=computed_at,
            sections=reports.sections(values),
            conformance=reports.conformance_lines(values, platform=False, station_code=station.code),
            goals=goals,
            charts=_station_charts(values, year),
        )
    every = stations or []
    by_station = figures.station_values(year, [s.pk for s in every])
    names = {s.pk: s.name for s in every}
    return AnnualReport(
        year=year,
        station=None,
        computed_at=computed_at,
        sections=reports.sections(platform),
        conformance=reports.conformance_lines(platform, platform=True, station_code=""),
        branches=[
            BranchLine(s, [reports.Shown(metrics.BY_KEY[k], by_station[s.pk].get(k)) for k in COMPARED_KEYS])
            for s in every
        ],
        charts=[_ranking_chart(year, key, names) for key in ("coverage_rate", "dues_rate")],
    )


def workbook_of(report: AnnualReport) -> bytes:
    """Sheets: 指标, 达标目标 (a station), 各站点 (the platform), 标准符合性."""
    C = spreadsheets.Column
    heading = report.title
    indicator_rows = [
        [section.title, shown.metric.label, shown.value if shown.value is not None else None, shown.text]
        for section, items in report.sections
        for shown in items
    ]
    tables = [
        spreadsheets.Table(
            "指标",
            heading,
            [C("类别", width=18), C("指标", width=26), C("数值", "text", 16), C("显示", width=18)],
            indicator_rows,
        )
    ]
    if report.goals:
        tables.append(
            spreadsheets.Table(
                "达标目标",
                f"{heading}：达标目标",
                [C("指标", width=26), C("本年完成", width=16), C("目标", width=16), C("完成度", "rate", 12)],
                [
                    [
                        g.metric.label,
                        g.value_label,
                        g.target_label if g.target is not None else "未设定",
                        g.progress,
                    ]
                    for g in report.goals
                ],
            )
        )
    if report.branches:
        tables.append(
            spreadsheets.Table(
                "各站点",
                f"{heading}：各站点",
                [C("站点", width=28), *(C(m.label, "rate", 14) for m in report.compared)],
                [[b.station.name, *(cell.value for cell in b.cells)] for b in report.branches],
            )
        )
    tables.append(
        spreadsheets.Table(
            "标准符合性",
            f"{heading}：DB3212/T 1124—2023 符合性",
            [C("条款", width=10), C("名称", width=20), C("本年情况", width=12), C("说明", width=60)],
            [
                [
                    line.clause.id,
                    line.clause.title,
                    line.status.label if line.status else line.clause.service.label,
                    line.explanation or line.clause.basis,
                ]
                for line in report.conformance
            ],
        )
    )
    return spreadsheets.workbook(tables)


def pdf_of(report: AnnualReport, *, base_url: str) -> bytes:
    """The report as an A4 PDF; raises `PdfUnavailable` where WeasyPrint cannot run."""
    try:
        from weasyprint import HTML
    except OSError as error:  # Pango missing: WeasyPrint loads it when imported
        raise PdfUnavailable(str(error)) from error
    context = {
        "report": report,
        "branches": report.branches[:PDF_BRANCHES],
        "generated_at": timezone.localtime(),
        "charts": [(chart, chart.svg()) for chart in report.charts],
    }
    html = render_to_string("dashboards/annual_pdf.html", context)
    return bytes(HTML(string=html, base_url=base_url).write_pdf())
