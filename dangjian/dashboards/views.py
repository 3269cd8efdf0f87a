"""Pages of the HQ cockpit (数据驾驶舱, DB3212/T 1124 §4.4, §5.3): the platform with every branch
compared, a station with its resident units and organisations, an organisation with the links to the
lists behind its figures; each table also as Excel. HQ reads every station; a station's admins and
instructors their own (anything else is a 404)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.accounts.models import User
from dangjian.core.audit import record_event
from dangjian.core.forms import show_refusal
from dangjian.core.pagination import paginate, querystring_without_page
from dangjian.core.spreadsheets import Column, Table, file_download, workbook, xlsx_response
from dangjian.dashboards import annual, conformance, figures, metrics, reports, selectors, services
from dangjian.dashboards.forms import GoalForm, PeriodForm
from dangjian.stations.models import Station

DEFAULT_METRIC = "coverage_rate"
RANKING_SIZE = 15


def actor_of(request: HttpRequest) -> User:
    return cast(User, request.user)  # the views are login_required


def _require(request: HttpRequest, permission: str, obj: Any = None) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _period(request: HttpRequest) -> tuple[PeriodForm, int, str]:
    this_year = timezone.localdate().year
    form = PeriodForm(request.GET or None, this_year=this_year)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["year"], form.cleaned_data.get("metric") or DEFAULT_METRIC
    return (
        PeriodForm(initial={"year": this_year, "metric": DEFAULT_METRIC}, this_year=this_year),
        this_year,
        DEFAULT_METRIC,
    )


def _ranking_chart(
    year: int, key: str, names: dict[int, str], rows: list[tuple[int, Decimal]]
) -> dict[str, Any]:
    metric = metrics.BY_KEY[key]
    scale = 100 if metric.unit == metrics.Unit.RATE else 1
    return {
        "title": f"{year}年各站点{metric.label}排名（前 {len(rows)} 名）",
        "unit": "%" if scale == 100 else "",
        "categories": [names.get(pk, "") for pk, _ in rows],
        "values": [float(round(value * scale, 1)) for _, value in rows],
    }


def _export(
    request: HttpRequest, filename: str, tables: list[Table], *, content: bytes | None = None
) -> HttpResponse:
    record_event(actor=request.user, action="dashboards.export", data={"file": filename})
    return xlsx_response(workbook(tables) if content is None else content, filename)


# ---------------------------------------------------------------- the platform


@login_required
@require_GET
def cockpit(request: HttpRequest) -> HttpResponse:
    _require(request, "dashboards.view_cockpit")
    if not request.user.has_perm("dashboards.view_platform"):
        own = selectors.cockpit_stations(request.user).first()
        if own is None:
            raise PermissionDenied
        return HttpResponseRedirect(reverse("dashboards:station", args=[own.code]))
    form, year, key = _period(request)
    branches = selectors.sorted_stations(selectors.cockpit_stations(request.user), year=year, key=key)
    if request.GET.get("export") == "xlsx":
        return _export(request, f"各站点驾驶舱数据-{year}年.xlsx", [_branch_table(year, list(branches))])
    platform, computed_at = figures.fresh_platform_values(year)
    page = paginate(request, branches)
    page_ids = [station.pk for station in page]
    values = figures.station_values(year, page_ids)
    goals = selectors.goals_of(year=year, station_ids=page_ids)
    ranking = figures.ranking(year, key, limit=RANKING_SIZE)
    names = dict(Station.objects.filter(pk__in=[pk for pk, _ in ranking]).values_list("pk", "name"))
    rows = [
        {
            "station": station,
            "cells": [reports.Shown(metrics.BY_KEY[k], values[station.pk].get(k)) for k in metrics.COMPARED],
            "goals": _goal_summary(selectors.goal_lines(values[station.pk], goals[station.pk])),
        }
        for station in page
    ]
    context = {
        "form": form,
        "year": year,
        "metric": metrics.BY_KEY[key],
        "computed_at": computed_at,
        "sections": reports.sections(platform),
        "headline": reports.headline(platform),
        "columns": [metrics.BY_KEY[k] for k in metrics.COMPARED],
        "rows": rows,
        "page": page,
        "querystring": querystring_without_page(request),
        "chart": _ranking_chart(year, key, names, ranking) if ranking else None,
    }
    return render(request, "dashboards/cockpit.html", context)


def _goal_summary(lines: list[selectors.GoalLine]) -> dict[str, int]:
    judged = [line for line in lines if line.reached is not None]
    return {"set": len(judged), "reached": sum(1 for line in judged if line.reached)}


def _branch_table(year: int, stations: list[Station]) -> Table:
    values = figures.station_values(year, [s.pk for s in stations])
    shown = [metrics.BY_KEY[key] for key in metrics.COUNT_KEYS] + list(metrics.RATES)
    columns = [Column("站点", width=24), *(Column(m.label, _kind(m), 14) for m in shown)]
    rows = [[s.name, *(values[s.pk].get(m.key) for m in shown)] for s in stations]
    return Table("各站点", f"{year}年各站点驾驶舱数据", columns, rows)


def _kind(metric: metrics.Metric) -> str:
    return str(metric.unit)


@login_required
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    _require(request, "dashboards.view_platform")
    _, year, _ = _period(request)
    services.refresh_requested(actor=actor_of(request), year=year)
    messages.success(request, "已开始重新统计，约一分钟后刷新本页即可看到新数据。")
    return HttpResponseRedirect(f"{reverse('dashboards:cockpit')}?year={year}")


# ---------------------------------------------------------------- one station


@login_required
@require_GET
def station(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.access_cockpit_station(user=request.user, code=code)
    form, year, _ = _period(request)
    _, computed_at = figures.fresh_platform_values(year)
    values = figures.station_values(year, [found.pk])[found.pk]
    export = request.GET.get("export")
    if export == "organizations":
        return _export(request, f"{found.name}-党组织数据-{year}年.xlsx", [_organization_table(found, year)])
    if export == "units":
        return _export(request, f"{found.name}-未参与单位-{year}年.xlsx", [_unit_table(found, year)])
    page = paginate(request, selectors.station_organizations(found))
    goals = selectors.goals_of(year=year, station_ids=[found.pk])[found.pk]
    unreached = selectors.unreached_units(station=found, year=year)
    context = {
        "station": found,
        "form": form,
        "year": year,
        "computed_at": computed_at,
        "sections": reports.sections(values),
        "headline": reports.headline(values),
        "goal_lines": selectors.goal_lines(values, goals),
        "lines": selectors.organization_lines(organizations_page=list(page), year=year),
        "page": page,
        "querystring": querystring_without_page(request),
        "unreached": unreached[:20],
        "unreached_count": len(unreached),
        "coverage_chart": _coverage_chart(values, year),
        "is_platform": request.user.has_perm("dashboards.view_platform"),
    }
    return render(request, "dashboards/station.html", context)


def _coverage_chart(values: figures.StationValues, year: int) -> dict[str, Any]:
    keys = ("units_total", "units_with_people", "units_with_party", "units_with_activity")
    return {
        "title": f"{year}年入驻单位参与情况",
        "unit": "家",
        "categories": [metrics.BY_KEY[k].label for k in keys],
        "values": [int(values.get(k) or 0) for k in keys],
    }


def _organization_table(found: Station, year: int) -> Table:
    lines = selectors.organization_lines(
        organizations_page=list(selectors.station_organizations(found)), year=year
    )
    columns = [
        Column("党组织", width=36), Column("党员", "count"), Column("开展活动", "count"), Column("组织生活", width=10),
        Column("完成学时", "hours"), Column("应交党费", "yuan", 14), Column("实交党费", "yuan", 14),
        Column("收缴率", "rate"), Column("任期", width=14), Column("培养中", "count"), Column("本年接收", "count"),
    ]  # fmt: skip
    rows = [
        [
            line.organization.name,
            line.members,
            line.activities,
            line.life_label,
            line.learning_hours,
            line.dues_due,
            line.dues_paid,
            line.dues_rate,
            line.term_label,
            line.in_pipeline,
            line.admitted,
        ]
        for line in lines
    ]
    return Table("党组织", f"{found.name}{year}年各党组织数据", columns, rows)


def _unit_table(found: Station, year: int) -> Table:
    columns = [
        Column("单位", width=36),
        Column("楼宇", width=24),
        Column("有注册人员", width=12),
        Column("有党组织或党员", width=14),
    ]
    rows = [
        [u.unit.name, u.unit.building.name, "是" if u.has_people else "否", "是" if u.has_party else "否"]
        for u in selectors.unreached_units(station=found, year=year)
    ]
    return Table("未参与单位", f"{found.name}{year}年未参加过活动的入驻单位", columns, rows)


# ---------------------------------------------------------------- one organisation


@login_required
@require_GET
def organization(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_cockpit_organization(user=request.user, pk=pk)
    form, year, _ = _period(request)
    line = selectors.organization_lines(organizations_page=[found], year=year)[0]
    context = {"organization": found, "station": found.station, "form": form, "year": year, "line": line}
    return render(request, "dashboards/organization.html", context)


# ---------------------------------------------------------------- goals (§5.3)


@login_required
@require_http_methods(["GET", "POST"])
def goals(request: HttpRequest) -> HttpResponse:
    _require(request, "dashboards.set_goals")
    this_year = timezone.localdate().year
    branches = selectors.cockpit_stations(request.user)
    form = GoalForm(request.POST or None, this_year=this_year, stations=branches, initial={"year": this_year})
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["station"]
        targets = {m.key: form.cleaned_data.get(m.key) for m in metrics.GOAL_METRICS}
        stations_set = [chosen] if chosen else list(branches.filter(kind="branch"))
        try:
            year = form.cleaned_data["year"]
            services.goals_set(actor=actor_of(request), stations=stations_set, year=year, targets=targets)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"已保存{form.cleaned_data['year']}年的达标目标。")
            return HttpResponseRedirect(f"{reverse('dashboards:goals')}?year={form.cleaned_data['year']}")
    year = _year_param(request, this_year)
    page = paginate(request, branches)
    page_goals = selectors.goals_of(year=year, station_ids=[s.pk for s in page])
    rows = [
        {
            "station": s,
            "targets": [
                (m.label, _target_text(m, page_goals[s.pk].get(m.key))) for m in metrics.GOAL_METRICS
            ],
        }
        for s in page
    ]
    context = {
        "form": form,
        "year": year,
        "columns": metrics.GOAL_METRICS,
        "rows": rows,
        "page": page,
        "querystring": querystring_without_page(request),
    }
    return render(request, "dashboards/goals.html", context)


def _year_param(request: HttpRequest, this_year: int) -> int:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and this_year - 5 < int(text) <= this_year + 1 else this_year


def _target_text(metric: metrics.Metric, target: Decimal | None) -> str:
    if target is None:
        return "—"
    return f"{target.normalize():f}%" if metric.unit == metrics.Unit.RATE else metrics.shown(metric, target)


# ---------------------------------------------------------------- conformance to DB3212/T 1124


def _conformance_page(
    request: HttpRequest,
    *,
    station: Station | None,
    values: figures.StationValues,
    year: int,
    form: PeriodForm,
    computed_at: datetime | None,
) -> HttpResponse:
    lines = reports.conformance_lines(
        values, platform=station is None, station_code=station.code if station else ""
    )
    counts = {status: sum(1 for line in lines if line.status is status) for status in conformance.Status}
    context = {
        "station": station,
        "year": year,
        "form": form,
        "lines": lines,
        "counts": [(status.label, counts[status], status.value) for status in conformance.Status],
        "unjudged": sum(1 for line in lines if line.status is None),
        "computed_at": computed_at,
    }
    return render(request, "dashboards/conformance.html", context)


@login_required
@require_GET
def platform_conformance(request: HttpRequest) -> HttpResponse:
    _require(request, "dashboards.view_platform")
    form, year, _ = _period(request)
    values, computed_at = figures.fresh_platform_values(year)
    return _conformance_page(
        request, station=None, values=values, year=year, form=form, computed_at=computed_at
    )


@login_required
@require_GET
def station_conformance(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.access_cockpit_station(user=request.user, code=code)
    form, year, _ = _period(request)
    _, computed_at = figures.fresh_platform_values(year)
    values = figures.station_values(year, [found.pk])[found.pk]
    return _conformance_page(
        request, station=found, values=values, year=year, form=form, computed_at=computed_at
    )


# ---------------------------------------------------------------- annual report


def _annual_response(request: HttpRequest, report: annual.AnnualReport) -> HttpResponse:
    wanted = request.GET.get("format")
    name = f"{report.title}"
    if wanted == "xlsx":
        return _export(request, f"{name}.xlsx", [], content=annual.workbook_of(report))
    if wanted == "pdf":
        try:
            content = annual.pdf_of(report, base_url=request.build_absolute_uri("/"))
        except annual.PdfUnavailable:
            messages.error(
                request, "本机缺少生成 PDF 所需的组件（Pango），请先导出 Excel，或请管理员安装后再试。"
            )
            return HttpResponseRedirect(request.path + f"?year={report.year}")
        record_event(actor=request.user, action="dashboards.export", data={"file": f"{name}.pdf"})
        return file_download(content, f"{name}.pdf", "application/pdf")
    context = {
        "report": report,
        "year": report.year,
        "form": _period(request)[0],
        "branches": report.branches[: annual.PDF_BRANCHES],
        "charts": [(chart.as_data(), f"annual-chart-{index}") for index, chart in enumerate(report.charts)],
    }
    return render(request, "dashboards/annual.html", context)


@login_required
@require_GET
def platform_annual(request: HttpRequest) -> HttpResponse:
    _require(request, "dashboards.view_platform")
    _, year, _ = _period(request)
    branches = list(
        selectors.sorted_stations(selectors.cockpit_stations(request.user), year=year, key="coverage_rate")
    )
    return _annual_response(request, annual.annual_report(year=year, station=None, stations=branches))


@login_required
@require_GET
def station_annual(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.access_cockpit_station(user=request.user, code=code)
    _, year, _ = _period(request)
    return _annual_response(request, annual.annual_report(year=year, station=found))
