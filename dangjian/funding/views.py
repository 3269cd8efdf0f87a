"""Pages of funds (经费管理): the ledger with its filters and totals, a new income or expense, an entry
with its reversal and vouchers, the stations' year overview, a station's budgets and its budget against
actual, and the Excel exports. An entry or station outside the person's stations is a 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dangjian.core.file_responses import file_response
from dangjian.core.forms import show_refusal
from dangjian.core.pagination import paginate, querystring_without_page
from dangjian.core.spreadsheets import xlsx_response
from dangjian.funding import excel, selectors, services
from dangjian.funding.amounts import yuan
from dangjian.funding.forms import (
    BudgetForm,
    EntryForm,
    LedgerFilterForm,
    ReverseForm,
    VoucherForm,
    YearForm,
)
from dangjian.funding.models import Entry, EntryKind
from dangjian.stations.models import Station

View = Callable[..., HttpResponseBase]


def page(*methods: str) -> Callable[[View], View]:
    """Signed-in only (anonymous: the login page), these methods only (405)."""

    def decorate(view: View) -> View:
        return login_required(require_http_methods(list(methods))(view))

    return decorate


def _require(request: HttpRequest, permission: str, obj: Any = None) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _this_year() -> int:
    return timezone.localdate().year


def _station_choices(request: HttpRequest) -> list[tuple[int, str]]:
    return list(selectors.visible_stations(request.user).values_list("pk", "name"))


# ---------------------------------------------------------------- the ledger


def _ledger_selection(request: HttpRequest) -> tuple[LedgerFilterForm, selectors.LedgerFilter]:
    form = LedgerFilterForm(request.GET or None, stations=_station_choices(request))
    if not form.is_valid():
        return form, selectors.LedgerFilter()
    data = form.cleaned_data
    return form, selectors.LedgerFilter(
        station_id=data.get("station"),
        year=data.get("year"),
        kind=data.get("kind") or "",
        line=data.get("line") or "",
    )


@page("GET")
def ledger(request: HttpRequest) -> HttpResponse:
    _require(request, "funding.enter")
    form, chosen = _ledger_selection(request)
    entries = selectors.filter_entries(selectors.visible_entries(request.user), chosen)
    return render(
        request,
        "funding/ledger.html",
        {
            "form": form,
            "page": paginate(request, entries),
            "totals": selectors.ledger_totals(entries),
            "querystring": querystring_without_page(request),
            "export_query": request.GET.urlencode(),
            "several_stations": len(form.fields["station"].choices) > 2,  # type: ignore[attr-defined]
            "can_keep": request.user.has_perm("funding.keep_any"),
        },
    )


def _ledger_station(request: HttpRequest, chosen: selectors.LedgerFilter) -> Station | None:
    if not chosen.station_id:
        return None
    return selectors.visible_stations(request.user).filter(pk=chosen.station_id).first()


@page("GET")
def ledger_export(request: HttpRequest) -> HttpResponse:
    _require(request, "funding.enter")
    _, chosen = _ledger_selection(request)
    entries = selectors.filter_entries(selectors.visible_entries(request.user), chosen)
    station = _ledger_station(request, chosen)
    title = f"经费台账-{station.name if station else '全部站点'}-{f'{chosen.year}年' if chosen.year else '全部年度'}"
    content = excel.ledger_workbook(title, entries.iterator(chunk_size=500), selectors.ledger_totals(entries))
    services.export_audit(
        actor=request.user,
        what="ledger",
        station=station,
        filters={"year": chosen.year, "kind": chosen.kind, "line": chosen.line},
    )
    return xlsx_response(content, f"{title}.xlsx")


def _entry_create(request: HttpRequest, kind: str) -> HttpResponse:
    _require(request, "funding.keep_any")
    form = EntryForm(
        request.POST or None,
        request.FILES or None,
        kind=kind,
        stations=selectors.keepable_stations(request.user),
        buildings=selectors.keepable_buildings(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_record(actor=request.user, data=form.entry_input())
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"已登记{entry.get_kind_display()} {yuan(entry.amount)} 元")
            return HttpResponseRedirect(entry.get_absolute_url())
    title = "登记收入" if kind == EntryKind.INCOME else "登记支出"
    return render(request, "funding/entry_form.html", {"form": form, "title": title, "kind": kind})


@page("GET", "POST")
def income_create(request: HttpRequest) -> HttpResponse:
    return _entry_create(request, EntryKind.INCOME)


@page("GET", "POST")
def expense_create(request: HttpRequest) -> HttpResponse:
    return _entry_create(request, EntryKind.EXPENSE)


def _detail(request: HttpRequest, entry: Entry, **forms: Any) -> HttpResponse:
    can_record = request.user.has_perm("funding.record", entry)
    return render(
        request,
        "funding/entry_detail.html",
        {
            "entry": entry,
            "vouchers": list(entry.vouchers.all()),
            "can_record": can_record,
            "can_reverse": can_record and not entry.is_reversal and getattr(entry, "reversal", None) is None,
            "reverse_form": forms.get("reverse_form") or ReverseForm(),
            "voucher_form": forms.get("voucher_form") or VoucherForm(),
        },
    )


@page("GET")
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.access_entry(user=request.user, pk=pk))


@page("POST")
def entry_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.access_entry(user=request.user, pk=pk)
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            reversal = services.entry_reverse(
                actor=request.user, entry=entry, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"已冲销，冲销金额 {yuan(reversal.amount)} 元")
            return HttpResponseRedirect(reversal.get_absolute_url())
    return _detail(request, entry, reverse_form=form)


@page("POST")
def voucher_add(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.access_entry(user=request.user, pk=pk)
    form = VoucherForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.voucher_add(actor=request.user, entry=entry, upload=form.cleaned_data["file"])
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "凭证已上传")
            return HttpResponseRedirect(entry.get_absolute_url())
    return _detail(request, entry, voucher_form=form)


@page("GET")
def voucher(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A voucher shown in place (PDF, image), only to those who read the entry's ledger."""
    found = selectors.access_voucher(user=request.user, pk=pk)
    if not found.file:
        raise Http404
    suffix = found.file.name.rsplit(".", 1)[-1]
    return file_response(
        request,
        found.file,
        filename=f"凭证-{found.entry.occurred_on:%Y年%m月%d日}-{found.pk}.{suffix}",
        content_type=found.content_type,
        inline=True,
    )


# ---------------------------------------------------------------- budgets


def _year(request: HttpRequest) -> int:
    form = YearForm(request.GET or None)
    if form.is_valid() and form.cleaned_data.get("year"):
        return int(form.cleaned_data["year"])
    return _this_year()


@page("GET")
def station_overview(request: HttpRequest) -> HttpResponse:
    """Each station the person reads with the year's income, expense, balance and expense budget."""
    _require(request, "funding.enter")
    year = _year(request)
    stations = list(selectors.visible_stations(request.user))
    totals = selectors.station_year_totals(year=year, station_ids=[s.pk for s in stations])
    empty = selectors.FundingTotals(selectors.ZERO, selectors.ZERO, selectors.ZERO)
    rows = [(station, totals.get(station.pk, empty)) for station in stations]
    return render(
        request, "funding/stations.html", {"rows": rows, "year": year, "years": _year_choices(year)}
    )


def _year_choices(year: int) -> list[int]:
    this = _this_year()
    return sorted({this + 1, this, this - 1, this - 2, year}, reverse=True)


@page("GET", "POST")
def budgets(request: HttpRequest, pk: int) -> HttpResponse:
    station = selectors.access_station(user=request.user, pk=pk)
    year = _year(request)
    can_set = request.user.has_perm("funding.set_budget", station)
    form = BudgetForm(request.POST or None, current=selectors.budget_of(station, year))
    if request.method == "POST":
        _require(request, "funding.set_budget", station)
        if form.is_valid():
            try:
                changed = services.budget_set(
                    actor=request.user, station=station, year=year, amounts=form.amounts()
                )
            except ValidationError as error:
                show_refusal(form, error)
            else:
                messages.success(request, f"已保存{year}年预算（{len(changed)} 项有变动）")
                return HttpResponseRedirect(f"{reverse('funding:budgets', args=[station.pk])}?year={year}")
    return render(
        request,
        "funding/budgets.html",
        {"station": station, "year": year, "years": _year_choices(year), "form": form, "can_set": can_set},
    )


def _report_rows(station: Station, year: int) -> dict[str, Any]:
    expense = selectors.budget_rows(station, year, EntryKind.EXPENSE)
    income = selectors.budget_rows(station, year, EntryKind.INCOME)
    return {
        "expense": (expense, selectors.total_row(expense, "支出合计")),
        "income": (income, selectors.total_row(income, "收入合计")),
    }


def _chart(station: Station, year: int, rows: list[selectors.BudgetRow]) -> dict[str, Any]:
    return {
        "title": f"{station.name}{year}年支出预算与实际",
        "categories": [row.label for row in rows],
        "unit": "元",
        "stacked": False,
        "series": [
            {"name": "预算", "color": "#adb5bd", "data": [float(row.budget or 0) for row in rows]},
            {"name": "实际支出", "color": "#c00000", "data": [float(row.actual) for row in rows]},
        ],
    }


@page("GET")
def report(request: HttpRequest, pk: int) -> HttpResponse:
    station = selectors.access_station(user=request.user, pk=pk)
    year = _year(request)
    tables = _report_rows(station, year)
    return render(
        request,
        "funding/report.html",
        {
            "station": station,
            "year": year,
            "years": _year_choices(year),
            "expense_rows": tables["expense"][0],
            "expense_total": tables["expense"][1],
            "income_rows": tables["income"][0],
            "income_total": tables["income"][1],
            "chart": _chart(station, year, tables["expense"][0]),
        },
    )


@page("GET")
def report_export(request: HttpRequest, pk: int) -> HttpResponse:
    station = selectors.access_station(user=request.user, pk=pk)
    year = _year(request)
    tables = _report_rows(station, year)
    title = f"经费预算执行情况-{station.name}-{year}年"
    content = excel.report_workbook(title, tables["expense"], tables["income"])
    services.export_audit(actor=request.user, what="report", station=station, filters={"year": year})
    return xlsx_response(content, f"{title}.xlsx")
