"""Pages of party-dues collection (党费收缴, DB3212/T 1124 §6.3; 2008 national rule).

Member: `/me/dues/` (own lines, payments, pay online), receipts, the demo gateway's payer page.
Provider: `/dues/callback/<provider>/` (signed callbacks, CSRF-exempt, JSON answers).
Management (`/manage/dues/…`): the organisations one may see, each organisation's monthly sheet, arrears,
payments, declarations, reliefs and setting; reports with CSS bar charts and Excel; the rule versions.

Every page runs inside `viewer_scope(user)` (django-scopes) and looks objects up inside the viewer's
visible querysets, so another organisation's treasurer or another station's admin gets a 404. Pages a
viewer may see but not act on (a station admin on the treasurer's forms) answer 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from dangjian.core.pagination import paginate, querystring_without_page
from dangjian.dues import online, reports, selectors, services
from dangjian.dues.amounts import ZERO
from dangjian.dues.forms import (
    DeclarationForm,
    PayForm,
    PaymentRecordForm,
    ReliefForm,
    ReportFilterForm,
    SettingForm,
    YearForm,
)
from dangjian.dues.models import OrderStatus, sheet_url
from dangjian.dues.periods import add_months, month_start, months_between, period_label, period_of
from dangjian.dues.providers import (
    CallbackRefused,
    DemoProvider,
    online_payment_available,
    provider_label,
    provider_named,
)
from dangjian.organizations.models import PartyOrganization

View = Callable[..., HttpResponse]


def dues_page(*methods: str) -> Callable[[View], View]:
    """Signed-in only (anonymous: login redirect), these methods only (405), inside the viewer's scope."""

    def decorate(view: View) -> View:
        @wraps(view)
        def scoped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            with selectors.viewer_scope(request.user):
                return view(request, *args, **kwargs)

        return login_required(require_http_methods(list(methods))(scoped))

    return decorate


def _today() -> date:
    return timezone.localdate()


def _error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, "；".join(error.messages))


# ---------------------------------------------------------------- the member's own dues


@dues_page("GET")
def my_dues(request: HttpRequest) -> HttpResponse:
    """A member's own dues: this year's months, unpaid total, payments and receipts, and the pay form."""
    profile = selectors.own_profile(request.user)
    today = _today()
    year = YearForm(request.GET or None).year_or(today.year)
    context: dict[str, Any] = {"profile": profile, "year": year, "today": today}
    if profile is not None:
        options = selectors.pay_options(profile, today)
        context.update(
            online_payment=online_payment_available(),
            open_orders=_open_orders(profile),
            lines=list(selectors.member_lines(profile, year)),
            unpaid=selectors.member_unpaid(profile, today),
            payments=paginate(request, selectors.member_payments(profile)),
            options=options,
            form=PayForm(options=options),
            years=[year - 1, year + 1],
        )
    return render(request, "dues/my_dues.html", context)


def _open_orders(profile: Any) -> list[dict[str, Any]]:
    """The member's pending orders at providers still enabled, each with where to go on paying it."""
    rows = []
    for order in selectors.member_open_orders(profile):
        provider = provider_named(order.provider)
        if provider is not None:
            months = "、".join(line.label for line in sorted(order.lines.all(), key=lambda line: line.period))
            rows.append({"order": order, "months": months, "pay_url": provider.pay_url(order)})
    return rows


@dues_page("POST")
def my_pay(request: HttpRequest) -> HttpResponse:
    """Create an online order for the months ticked on `/me/dues/` and go to the provider's page."""
    profile = selectors.own_profile(request.user)
    back = HttpResponseRedirect(reverse("dues:my_dues"))
    if profile is None:
        messages.error(request, "您还没有党员档案，无需缴纳党费")
        return back
    if not online_payment_available():
        messages.error(request, online.ONLINE_UNAVAILABLE)
        return back
    form = PayForm(request.POST, options=selectors.pay_options(profile, _today()))
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return back
    try:
        order = online.order_create(
            member=profile,
            periods=form.periods(),
            extra=form.cleaned_data["extra"] or ZERO,
            actor=request.user,
        )
    except ValidationError as error:
        _error(request, error)
        return back
    provider = provider_named(order.provider)
    assert provider is not None  # order_create refuses unknown providers
    return HttpResponseRedirect(provider.pay_url(order))


@dues_page("POST")
def my_order_cancel(request: HttpRequest, order: str) -> HttpResponse:
    """Cancel one of the member's own pending orders (anyone else's is a 404)."""
    found = selectors.access_order(user=request.user, number=order)
    try:
        online.order_cancel(order=found, actor=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, f"已取消订单 {found.number}，其中的月份可以重新选择缴纳")
    return HttpResponseRedirect(reverse("dues:my_dues"))


@dues_page("GET")
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """A payment's receipt, for the payer and the organisation's officers and station roles."""
    payment = selectors.access_payment(user=request.user, pk=pk)
    lines = payment.lines.order_by("period")
    context = {"payment": payment, "lines": lines, "provider_label": provider_label(payment.provider)}
    return render(request, "dues/receipt.html", context)


@dues_page("GET", "POST")
def demo_pay(request: HttpRequest, order: str) -> HttpResponse:
    """The demo gateway's payer page: shows the order; confirming sends the gateway's signed callback."""
    profile = selectors.own_profile(request.user)
    if profile is None or provider_named(DemoProvider.name) is None:
        raise Http404  # no demo gateway unless a setting turns it on
    found = selectors.access_order(user=request.user, number=order, provider=DemoProvider.name)
    if request.method == "POST":
        try:
            result = online.demo_pay(order=found, actor=request.user)
        except CallbackRefused as refusal:
            messages.error(request, f"支付失败：{refusal.message}")
            return HttpResponseRedirect(request.path)
        return HttpResponseRedirect(result.payment.get_absolute_url())
    context = {
        "order": found,
        "lines": found.lines.order_by("period"),
        "paid": found.status == OrderStatus.PAID,
    }
    return render(request, "dues/demo_pay.html", context)


@csrf_exempt
@require_POST
def callback(request: HttpRequest, provider: str) -> JsonResponse:
    """A provider's signed payment callback. 200 `ok` (also for a repeated delivery, `duplicate: true`);
    400 with a machine-readable `code` when refused (audited); 404 for an unknown provider."""
    try:
        result = online.callback_receive(provider_name=provider, body=request.body, headers=request.headers)
    except CallbackRefused as refusal:
        status = 404 if refusal.code == "unknown_provider" else 400
        return _json({"code": refusal.code, "message": refusal.message}, status)
    return _json({"code": "ok", "receipt_no": result.payment.receipt_no, "duplicate": result.duplicate}, 200)


def _json(body: dict[str, Any], status: int) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


# ---------------------------------------------------------------- management: lookups


def organization_or_404(request: HttpRequest, pk: int, *, manage: bool = False) -> PartyOrganization:
    """An organisation whose dues the user may see (404 otherwise); `manage` also requires its treasurer
    (403 for a station admin who may only look)."""
    return selectors.access_dues_organization(user=request.user, pk=pk, manage=manage)


def period_or_404(year: int, month: int) -> date:
    period = period_of(year, month)
    if period is None:
        raise Http404
    return period


def organization_context(request: HttpRequest, organization: PartyOrganization, tab: str) -> dict[str, Any]:
    return {
        "organization": organization,
        "tab": tab,
        "can_manage": request.user.has_perm("dues.manage_organization", organization),
        "current_sheet_url": sheet_url(organization.pk, month_start(_today())),
    }


def require_enter(request: HttpRequest) -> None:
    if not request.user.has_perm("dues.enter"):
        raise PermissionDenied


# ---------------------------------------------------------------- management: pages


@dues_page("GET")
def home(request: HttpRequest) -> HttpResponse:
    """The organisations whose dues the user may see, with this month's figures."""
    require_enter(request)
    period = month_start(_today())
    page = paginate(request, selectors.visible_organizations(request.user))
    lines = reports.report_lines(request.user, reports.Selection(period.year, period.month))
    figures = {
        row["organization_id"]: row
        for row in reports.organization_rows(
            lines.filter(organization_id__in=[o.pk for o in page.object_list])
        )
    }
    rows = [
        (org, reports.as_rows([figures[org.pk]])[0] if org.pk in figures else None)
        for org in page.object_list
    ]
    context = {"page": page, "rows": rows, "period": period, "querystring": querystring_without_page(request)}
    return render(request, "dues/manage_home.html", context)


@dues_page("GET")
def sheet(request: HttpRequest, organization: int, year: int, month: int) -> HttpResponse:
    """An organisation's month: figures, lines, members lacking a declaration, generate and close."""
    org = organization_or_404(request, organization)
    period = period_or_404(year, month)
    found = selectors.sheet_of(org, period)
    undeclared = selectors.undeclared_members(org, period)
    context = organization_context(request, org, "sheet")
    context.update(
        period=period,
        label=period_label(period),
        sheet=found,
        page=paginate(request, selectors.sheet_lines(found)) if found else None,
        totals=services.sheet_totals(found) if found else None,
        unbilled=selectors.unbilled_count(org, period),
        undeclared=list(undeclared[:20]),
        undeclared_count=undeclared.count(),
        previous_url=sheet_url(org.pk, add_months(period, -1)),
        next_url=sheet_url(org.pk, add_months(period, 1)),
        querystring=querystring_without_page(request),
    )
    if found:
        context["rate"] = services.rate_percent(context["totals"]["paid"], context["totals"]["due"])
    return render(request, "dues/sheet.html", context)


@dues_page("POST")
def sheet_generate(request: HttpRequest, organization: int, year: int, month: int) -> HttpResponse:
    org = organization_or_404(request, organization, manage=True)
    period = period_or_404(year, month)
    try:
        result = services.sheet_generate(organization=org, period=period, actor=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        if result.created:
            messages.success(request, f"已生成 {result.created} 条党费明细")
        else:
            messages.info(request, "没有需要新增的明细；已生成的明细保持不变")
        if result.undeclared:
            names = "、".join(m.user.display_name for m in result.undeclared[:10])
            messages.warning(request, f"{len(result.undeclared)} 名党员尚未申报收入基数，未生成明细：{names}")
    return HttpResponseRedirect(sheet_url(org.pk, period))


@dues_page("POST")
def sheet_close(request: HttpRequest, organization: int, year: int, month: int) -> HttpResponse:
    period = period_or_404(year, month)
    found = selectors.access_sheet(user=request.user, organization=organization, period=period, manage=True)
    org = found.organization
    try:
        services.sheet_close(sheet=found, actor=request.user)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, f"{period_label(period)}已结账，收缴情况摘要已发送，可用于党务公开")
    return HttpResponseRedirect(sheet_url(org.pk, period))


@dues_page("GET")
def arrears(request: HttpRequest, organization: int) -> HttpResponse:
    """Members with unpaid months; those beyond the 6-month back-payment limit, or with six or more
    unpaid months, are flagged for the organisation to act on (2008 rule; 党章)."""
    org = organization_or_404(request, organization)
    today = _today()
    page = paginate(request, selectors.arrears_rows(org, today))
    for row in page.object_list:
        row["beyond_limit"] = months_between(row["oldest"], month_start(today)) > services.BACK_PAYMENT_MONTHS
        row["alert"] = row["months"] >= 6
        row["oldest_label"], row["latest_label"] = period_label(row["oldest"]), period_label(row["latest"])
    context = organization_context(request, org, "arrears")
    context.update(page=page, querystring=querystring_without_page(request))
    return render(request, "dues/arrears.html", context)


@dues_page("GET")
def payment_list(request: HttpRequest, organization: int) -> HttpResponse:
    org = organization_or_404(request, organization)
    context = organization_context(request, org, "payments")
    context.update(
        page=paginate(request, selectors.organization_payments(org)),
        querystring=querystring_without_page(request),
    )
    return render(request, "dues/payments.html", context)


@dues_page("GET")
def declaration_list(request: HttpRequest, organization: int) -> HttpResponse:
    org = organization_or_404(request, organization)
    year = YearForm(request.GET or None).year_or(_today().year)
    context = organization_context(request, org, "declarations")
    context.update(
        year=year,
        page=paginate(request, selectors.organization_declarations(org, year)),
        querystring=querystring_without_page(request),
    )
    return render(request, "dues/declarations.html", context)


@dues_page("GET")
def relief_list(request: HttpRequest, organization: int) -> HttpResponse:
    org = organization_or_404(request, organization)
    context = organization_context(request, org, "reliefs")
    context.update(
        page=paginate(request, selectors.organization_reliefs(org)),
        querystring=querystring_without_page(request),
    )
    return render(request, "dues/reliefs.html", context)


# ---------------------------------------------------------------- management: the treasurer's forms


def treasurer_form(
    request: HttpRequest,
    organization: int,
    *,
    title: str,
    build: Callable[[PartyOrganization, Any], BaseForm],
    save: Callable[[PartyOrganization, BaseForm], str],
    cancel: str,
) -> HttpResponse:
    """GET shows the form, POST validates and calls the service; `save` returns where to go next.
    A service refusal is shown on the form and changes nothing."""
    org = organization_or_404(request, organization, manage=True)
    form = build(org, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            target = save(org, form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "已保存")
            return HttpResponseRedirect(target)
    context = {
        "form": form,
        "title": f"{title} · {org.name}",
        "cancel_url": reverse(cancel, kwargs={"organization": org.pk}),
        "actions": [("返回本月收缴表", sheet_url(org.pk, month_start(_today())))],
    }
    return render(request, "manage/form.html", context)


def _member_initial(request: HttpRequest) -> dict[str, Any]:
    member = request.GET.get("member", "")
    return {"member": member} if member.isdigit() and len(member) < 19 else {}


@dues_page("GET", "POST")
def payment_create(request: HttpRequest, organization: int) -> HttpResponse:
    """The treasurer records cash or a transfer (back payment at most 6 months)."""

    def build(org: PartyOrganization, data: Any) -> BaseForm:
        members = selectors.organization_members(org)
        return PaymentRecordForm(data, members=members, initial=_member_initial(request))

    def save(org: PartyOrganization, form: BaseForm) -> str:
        data = form.cleaned_data
        payment = services.payment_record(
            organization=org,
            member=data["member"],
            periods=form.periods(),  # type: ignore[attr-defined]
            method=data["method"],
            extra=data["extra"] or ZERO,
            paid_on=data["paid_on"],
            note=data["note"],
            actor=request.user,
        )
        return payment.get_absolute_url()

    return treasurer_form(
        request, organization, title="登记党费", build=build, save=save, cancel="dues:payment_list"
    )


@dues_page("GET", "POST")
def declaration_create(request: HttpRequest, organization: int) -> HttpResponse:
    """A member's monthly base for a year, from the month the pay changes."""

    def build(org: PartyOrganization, data: Any) -> BaseForm:
        return DeclarationForm(
            data, members=selectors.organization_members(org), initial=_member_initial(request)
        )

    def save(org: PartyOrganization, form: BaseForm) -> str:
        data = form.cleaned_data
        services.declaration_save(
            member=data["member"],
            year=data["year"],
            effective_month=data["effective_month"],
            monthly_base=data["monthly_base"],
            voluntary_extra=data["voluntary_extra"] or ZERO,
            note=data["note"],
            actor=request.user,
        )
        return reverse("dues:declaration_list", kwargs={"organization": org.pk}) + f"?year={data['year']}"

    return treasurer_form(
        request, organization, title="申报收入基数", build=build, save=save, cancel="dues:declaration_list"
    )


@dues_page("GET", "POST")
def relief_create(request: HttpRequest, organization: int) -> HttpResponse:
    """Hardship reduction or waiver approved by the organisation, with reason."""

    def build(org: PartyOrganization, data: Any) -> BaseForm:
        return ReliefForm(data, members=selectors.organization_members(org), initial=_member_initial(request))

    def save(org: PartyOrganization, form: BaseForm) -> str:
        data = form.cleaned_data
        services.relief_approve(
            member=data["member"],
            kind=data["kind"],
            reduced_amount=data["reduced_amount"],
            start=data["start"],
            end=data["end"],
            reason=data["reason"],
            actor=request.user,
        )
        return reverse("dues:relief_list", kwargs={"organization": org.pk})

    return treasurer_form(
        request, organization, title="党费减免", build=build, save=save, cancel="dues:relief_list"
    )


@dues_page("GET", "POST")
def setting_edit(request: HttpRequest, organization: int) -> HttpResponse:
    """The farmers' monthly amount, 0.20–1.00 yuan as the branch sets (2008 rule)."""

    def build(org: PartyOrganization, data: Any) -> BaseForm:
        return SettingForm(data, initial={"farmer_amount": selectors.farmer_amount_of(org) or "0.20"})

    def save(org: PartyOrganization, form: BaseForm) -> str:
        services.setting_save(
            organization=org, farmer_amount=form.cleaned_data["farmer_amount"], actor=request.user
        )
        return sheet_url(org.pk, month_start(_today()))

    return treasurer_form(
        request, organization, title="党费设置", build=build, save=save, cancel="dues:arrears"
    )


# ---------------------------------------------------------------- reports and rules


def report_selection(request: HttpRequest) -> tuple[ReportFilterForm, reports.Selection]:
    form = ReportFilterForm(request.GET or None, organizations=selectors.visible_organizations(request.user))
    data = form.cleaned_data if form.is_valid() else {}
    organization = data.get("organization")
    selection = reports.Selection(
        year=data.get("year") or _today().year,
        month=data.get("month"),
        station_id=data.get("station"),
        organization_id=organization.pk if organization else None,
    )
    return form, selection


@dues_page("GET")
def report(request: HttpRequest) -> HttpResponse:
    """Due, paid, rate and arrears by month, organisation and station, with CSS bar charts."""
    require_enter(request)
    form, selection = report_selection(request)
    lines = reports.report_lines(request.user, selection)
    year_lines = reports.report_lines(request.user, replace(selection, month=None))
    page = paginate(request, reports.organization_rows(lines))
    context = {
        "form": form,
        "selection": selection,
        "total": reports.total_row(lines),
        "months": reports.monthly_rows(year_lines, selection.year),
        "page": page,
        "organizations": reports.as_rows(page.object_list),
        "stations": reports.station_rows(lines),
        "querystring": querystring_without_page(request),
        "export_query": request.GET.urlencode(),
    }
    return render(request, "dues/report.html", context)


@dues_page("GET")
def report_export(request: HttpRequest) -> HttpResponse:
    require_enter(request)
    _, selection = report_selection(request)
    content = reports.export_workbook(request.user, selection)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"党费统计报表-{selection.year}年{f'{selection.month}月' if selection.month else ''}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"  # RFC 6266
    return response


@dues_page("GET")
def rule_list(request: HttpRequest) -> HttpResponse:
    """The versions of the dues rule and their brackets (the 2008 rule by default)."""
    require_enter(request)
    return render(request, "dues/rules.html", {"rules": selectors.rules_with_brackets()})
