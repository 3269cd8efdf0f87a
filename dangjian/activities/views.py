"""Pages of activities and organisation life (活动邀约 DB3212/T 1124 §6.3; registration §5.5; §7.3).

Public and personal (`/activities/…`): the activities a person may see (station, type, month), one activity
with its seats and the one-tap register / waiting list / offer / cancel / 请假 buttons, my activities and
offers, one registration.
Staff (`/manage/activities/…`): the activities one manages (guides: their station's, for registration),
create and edit with the rich-text editor, publish, cancel with a reason, the registrations with the waiting
list, the record (台账), leave requests to decide, monthly themes and the annual plan, and the compliance of
each organisation (§7.3) red/amber/green for the month, quarter and year, with what is missing and why.

Every object is fetched through `selectors.access_*` (the same 404 for missing and forbidden) and every write
goes through one service; a refusal is shown on the form (or as a message) and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit
from uuid import uuid4

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from dangjian.activities import (
    charts,
    checkin,
    invitations,
    page_selectors,
    permissions,
    records,
    selectors,
    services,
)
from dangjian.activities.forms import (
    ActivityFilterForm,
    ActivityForm,
    AnswerForm,
    DecisionForm,
    InviteForm,
    LeaveForm,
    PlanForm,
    ReasonForm,
    RecordForm,
    ThemeForm,
)
from dangjian.activities.life_rules import STATUS_LABELS, local_date, quarter_of
from dangjian.activities.models import (
    Activity,
    ActivityRecord,
    ActivityStatus,
    ActivityType,
    Attendance,
    LeaveStatus,
    RegistrationStatus,
)
from dangjian.core.forms import show_refusal
from dangjian.core.middleware import uses_camera
from dangjian.core.page_guards import View, page, staff_page_for
from dangjian.core.pagination import paginate, querystring_without_page

staff_page = staff_page_for(permissions.ENTER_MANAGEMENT)


def _text(error: ValidationError) -> str:
    return "；".join(error.messages)


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(default)


def _detail_url(activity: Activity) -> str:
    return reverse("activities:detail", kwargs={"pk": activity.pk})


def _manage_url(activity: Activity) -> str:
    return reverse("activities:manage_detail", kwargs={"pk": activity.pk})


# ---------------------------------------------------------------- public and personal


@page("GET", login=False)
def activity_list(request: HttpRequest) -> HttpResponse:
    """The activities the person may see, by station, type and month (upcoming first, or past ones)."""
    stations = list(page_selectors.activity_stations())
    form = ActivityFilterForm(request.GET or None, stations=stations)
    data = form.cleaned_data if form.is_valid() else {}
    past = request.GET.get("when") == "past"
    activities = page_selectors.public_activities(
        user=request.user,
        station_code=data.get("station", ""),
        activity_type=data.get("type", ""),
        month=data.get("month"),
        past=past,
    )
    context = {
        "page": paginate(request, activities),
        "querystring": querystring_without_page(request),
        "form": form,
        "past": past,
        "now": timezone.now(),
    }
    return render(request, "activities/list.html", context)


def _detail_context(
    request: HttpRequest, activity: Activity, leave_form: BaseForm | None = None
) -> dict[str, Any]:
    user = request.user
    taken, waiting = page_selectors.seat_counts(activity)
    mine = page_selectors.live_registration_of(user=user, activity=activity)
    now = timezone.now()
    return {
        "activity": activity,
        "organizers": list(activity.organizers.all()),
        "taken": taken,
        "waiting": waiting,
        "seats_left": None if activity.capacity is None else max(activity.capacity - taken, 0),
        "mine": mine,
        "position": selectors.waiting_position(mine) if mine is not None else None,
        "leave": page_selectors.open_leave_of(user=user, activity=activity),
        "leave_form": leave_form or LeaveForm(),
        "can_register": mine is None
        and activity.status == ActivityStatus.PUBLISHED
        and activity.starts_at > now
        and user.has_perm("activities.register", activity),
        "can_leave": activity.status == ActivityStatus.PUBLISHED
        and activity.ends_at > now
        and user.has_perm("activities.request_leave", activity),
        "can_cancel": mine is not None and now < activity.cancel_until,
        "can_manage": user.has_perm("activities.manage_activity", activity),
        "is_full": activity.capacity is not None and taken >= activity.capacity,
        "now": now,
        "self_check_in": not _checkin_closed(activity)
        and user.has_perm("activities.check_in_self", activity),
    }


@page("GET", login=False)
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        activity = selectors.access_activity(user=request.user, pk=pk)
    except Http404:
        if not request.user.is_authenticated:  # it may be open to people signed in
            return redirect_to_login(request.get_full_path())
        raise
    return render(request, "activities/detail.html", _detail_context(request, activity))


@page("POST")
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """One tap: a free seat, or a place on the waiting list."""
    activity = selectors.access_activity(user=request.user, pk=pk)
    try:
        registration = services.register(actor=request.user, activity=activity)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _text(error) if isinstance(error, ValidationError) else str(error))
    else:
        if registration.status == RegistrationStatus.REGISTERED:
            messages.success(request, f"报名成功：{activity.title}")
        elif registration.status == RegistrationStatus.OFFERED:
            messages.success(request, "有空出的名额为您保留，请确认参加")
        else:
            position = selectors.waiting_position(registration)
            messages.success(request, f"名额已满，您已进入候补名单（第 {position} 位），有名额空出时会通知您")
    return HttpResponseRedirect(_detail_url(activity))


@page("POST")
def leave_request(request: HttpRequest, pk: int) -> HttpResponse:
    """请假: a member of an organiser gives the reason they cannot come; their secretary decides."""
    activity = selectors.access_activity(user=request.user, pk=pk)
    form = LeaveForm(request.POST)
    if form.is_valid():
        try:
            services.leave_request(actor=request.user, activity=activity, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            show_refusal(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "请假申请已提交，等待党组织书记审批")
            return HttpResponseRedirect(_detail_url(activity))
    return render(request, "activities/detail.html", _detail_context(request, activity, form))


@page("GET")
def my_activities(request: HttpRequest) -> HttpResponse:
    """My registrations (with the offers to accept first) and my leave requests."""
    context = {
        "offers": list(selectors.open_offers_for(request.user)[:20]),
        "page": paginate(request, page_selectors.my_registrations(user=request.user)),
        "querystring": querystring_without_page(request),
        "leaves": list(page_selectors.my_leave_requests(user=request.user)[:20]),
        "now": timezone.now(),
        "live": (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING, RegistrationStatus.OFFERED),
    }
    return render(request, "activities/mine.html", context)


@page("GET")
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One registration of the person: its status, the offered seat with its expiry, accept or decline."""
    registration = selectors.access_registration(user=request.user, pk=pk)
    activity = registration.activity
    now = timezone.now()
    context = {
        "registration": registration,
        "activity": activity,
        "position": selectors.waiting_position(registration),
        "offer_open": registration.status == RegistrationStatus.OFFERED
        and registration.offer_expires_at is not None
        and registration.offer_expires_at > now,
        "can_cancel": registration.is_live and now < activity.cancel_until,
        "qr": qr_svg(registration.token, scale=6, title="我的报名二维码")
        if registration.status == RegistrationStatus.REGISTERED
        else "",
    }
    return render(request, "activities/registration.html", context)


def _registration_move(call: Callable[..., Any], done: str) -> View:
    @page("POST")
    def move(request: HttpRequest, pk: int) -> HttpResponse:
        registration = selectors.access_registration(user=request.user, pk=pk)
        try:
            call(actor=request.user, registration=registration)
        except ValidationError as error:
            messages.error(request, _text(error))
        else:
            messages.success(request, done.format(title=registration.activity.title))
        return _back(request, reverse("activities:registration", kwargs={"pk": registration.pk}))

    move.__name__ = call.__name__
    return move


offer_accept = _registration_move(services.offer_accept, "已确认参加：{title}")
offer_decline = _registration_move(services.offer_decline, "已放弃候补名额，名额将顺延给下一位")
registration_cancel = _registration_move(services.registration_cancel, "已取消报名：{title}")


# ---------------------------------------------------------------- staff: activities


@staff_page("GET")
def manage_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    queryset = page_selectors.staff_activities(user=request.user)
    if status in ActivityStatus.values:
        queryset = queryset.filter(status=status)
    context = {
        "page": paginate(request, queryset),
        "querystring": querystring_without_page(request),
        "statuses": ActivityStatus.choices,
        "status": status,
        "can_create": page_selectors.organizable_organizations(user=request.user).exists()
        or page_selectors.station_activity_stations(user=request.user).exists(),
        "title": "活动管理",
    }
    return render(request, "activities/manage/list.html", context)


def _activity_form(request: HttpRequest, instance: Activity | None) -> ActivityForm:
    post = request.method == "POST"
    return ActivityForm(
        request.POST if post else None,
        request.FILES if post else None,
        instance=instance,
        user=request.user,
        organizations=page_selectors.organizable_organizations(user=request.user),
        stations=page_selectors.station_activity_stations(user=request.user),
        venues=page_selectors.activity_venues(user=request.user),
    )


def _save_activity(request: HttpRequest, form: ActivityForm) -> Activity | None:
    if not form.is_valid():
        return None
    activity: Activity = form.instance
    activity.station = form.cleaned_data["station_obj"]
    cover = form.cleaned_data.get("cover")
    if cover is False:  # 清除 ticked
        activity.cover = ""
        cover = None
    try:
        return services.activity_save(
            actor=request.user,
            activity=activity,
            organizations=form.cleaned_data["organizations"],
            cover=cover if cover is not None and hasattr(cover, "content_type") else None,
            venue=form.cleaned_data.get("venue"),
        )
    except ValidationError as error:
        show_refusal(form, error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    return None


def _form_page(request: HttpRequest, form: ActivityForm, activity: Activity | None) -> HttpResponse:
    context = {
        "form": form,
        "activity": activity,
        "title": "编辑活动" if activity is not None else "新建活动",
        "cancel_url": _manage_url(activity) if activity is not None else reverse("activities:manage_list"),
    }
    return render(request, "activities/manage/form.html", context)


@staff_page("GET", "POST")
def activity_create(request: HttpRequest) -> HttpResponse:
    form = _activity_form(request, None)
    if request.method == "POST":
        saved = _save_activity(request, form)
        if saved is not None:
            messages.success(request, "活动已保存为草稿，确认无误后请发布")
            return HttpResponseRedirect(_manage_url(saved))
    return _form_page(request, form, None)


@staff_page("GET", "POST")
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.access_activity(user=request.user, pk=pk, manage=True)
    form = _activity_form(request, activity)
    if request.method == "POST":
        saved = _save_activity(request, form)
        if saved is not None:
            messages.success(request, "活动已保存")
            return HttpResponseRedirect(_manage_url(saved))
    return _form_page(request, form, activity)


def _record_of(activity: Activity) -> ActivityRecord | None:
    return ActivityRecord.objects.filter(activity=activity).select_related("filed_by").first()


def _manage_page(
    request: HttpRequest, activity: Activity, cancel_form: BaseForm | None = None
) -> HttpResponse:
    taken, waiting = page_selectors.seat_counts(activity)
    user = request.user
    context = {
        "activity": activity,
        "organizers": list(activity.organizers.all()),
        "taken": taken,
        "waiting": waiting,
        "cancel_form": cancel_form or ReasonForm(),
        "can_manage": user.has_perm("activities.manage_activity", activity),
        "can_view_registrations": user.has_perm("activities.view_registrations", activity),
        "can_check_in": user.has_perm("activities.check_in_others", activity),
        "can_sheet": user.has_perm("activities.view_signin_sheet", activity),
        "can_invite": user.has_perm("activities.invite", activity),
        "record": _record_of(activity),
        "ended": activity.ends_at <= timezone.now(),
        "title": activity.title,
    }
    return render(request, "activities/manage/detail.html", context)


@staff_page("GET")
def manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = page_selectors.access_staff_activity(user=request.user, pk=pk)
    return _manage_page(request, activity)


@staff_page("POST")
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.access_activity(user=request.user, pk=pk, manage=True)
    try:
        services.activity_publish(actor=request.user, activity=activity)
    except ValidationError as error:
        messages.error(request, _text(error))
    else:
        messages.success(request, "活动已发布，面向对象现在可以看到并报名")
    return HttpResponseRedirect(_manage_url(activity))


@staff_page("POST")
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.access_activity(user=request.user, pk=pk, manage=True)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.activity_cancel(
                actor=request.user, activity=activity, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "活动已取消，已报名的人员会收到通知")
            return HttpResponseRedirect(_manage_url(activity))
    return _manage_page(request, activity, form)


@staff_page("GET")
def registrations(request: HttpRequest, pk: int) -> HttpResponse:
    """Seats first, then the waiting list in order (organisers and the station's guides)."""
    activity = page_selectors.access_staff_activity(user=request.user, pk=pk)
    rows = selectors.registrations_of(user=request.user, activity=activity)
    taken, waiting = page_selectors.seat_counts(activity)
    context = {
        "activity": activity,
        "page": paginate(request, rows, per_page=50),
        "querystring": querystring_without_page(request),
        "taken": taken,
        "waiting": waiting,
        "live": (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING, RegistrationStatus.OFFERED),
        "can_cancel": request.user.has_perm("activities.manage_activity", activity),
        "title": f"报名名单 · {activity.title}",
    }
    return render(request, "activities/manage/registrations.html", context)


@staff_page("POST")
def staff_registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    registration = selectors.access_registration(user=request.user, pk=pk, manage=True)
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except ValidationError as error:
        messages.error(request, _text(error))
    else:
        messages.success(request, f"已取消 {registration.person.display_name} 的报名")
    return HttpResponseRedirect(reverse("activities:registrations", kwargs={"pk": registration.activity_id}))


@staff_page("GET", "POST")
def record(request: HttpRequest, pk: int) -> HttpResponse:
    """The record (台账, §7.3) of a held activity: summary, minutes, resolutions, photos; the attendance from
    check-in, and for a 支部党员大会 the quorum from the roster (or the number the secretary types)."""
    activity = selectors.access_activity(user=request.user, pk=pk, manage=True)
    existing = _record_of(activity)
    hint, source = records.entitled_hint(activity=activity)
    roster = hint if source == "roster" else None
    quorum = activity.activity_type in records.QUORUM_TYPES
    initial: dict[str, Any] = {"entitled_count": hint}
    if existing is not None:
        initial = {
            "summary": existing.summary,
            "minutes": existing.minutes,
            "resolutions": "\n".join(r.text for r in existing.resolutions.all()),
            "entitled_count": existing.entitled_count or hint,
        }
    form = RecordForm(
        request.POST or None, request.FILES or None, initial=initial, quorum=quorum, roster=roster
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_file(
                actor=request.user,
                activity=activity,
                summary=data["summary"],
                minutes=data["minutes"],
                resolutions=form.resolution_lines(),
                photos=[data["photo"]] if data.get("photo") else [],
                captions=[data["caption"]],
                entitled_count=data.get("entitled_count"),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "台账已提交")
            return HttpResponseRedirect(_manage_url(activity))
    context = {
        "activity": activity,
        "form": form,
        "record": existing,
        "photos": list(existing.photos.all()) if existing is not None else [],
        "present": records.present_count(activity),
        "quorum": quorum,
        "roster": roster,
        "title": f"活动台账 · {activity.title}",
    }
    return render(request, "activities/manage/record.html", context)


# ---------------------------------------------------------------- staff: leave (请假)


@staff_page("GET")
def leave_requests(request: HttpRequest) -> HttpResponse:
    context = {
        "pending": list(page_selectors.pending_leave(user=request.user)[:100]),
        "page": paginate(request, page_selectors.decided_leave(user=request.user)),
        "querystring": querystring_without_page(request),
        "form": DecisionForm(),
        "title": "请假审批",
    }
    return render(request, "activities/manage/leave_requests.html", context)


@staff_page("POST")
def leave_decide(request: HttpRequest, pk: int) -> HttpResponse:
    leave = selectors.access_leave_request(user=request.user, pk=pk, manage=True)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择批准或不批准")
    else:
        try:
            services.leave_decide(
                actor=request.user,
                leave=leave,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, _text(error))
        else:
            messages.success(request, f"已处理 {leave.person.display_name} 的请假申请")
    return HttpResponseRedirect(reverse("activities:leave_requests"))


# ---------------------------------------------------------------- staff: themes, plans, compliance (§7.3)


def _today() -> date:
    return local_date(timezone.now())


def _year_of(request: HttpRequest) -> int:
    text = request.GET.get("year", "")
    today = _today()
    if text.isdigit() and len(text) == 4 and 2000 <= int(text) <= today.year + 1:
        return int(text)
    return today.year


@staff_page("GET")
def life(request: HttpRequest) -> HttpResponse:
    """The organisations whose themes and annual plan the person keeps."""
    context = {
        "organizations": list(page_selectors.life_organizations(user=request.user)[:100]),
        "title": "主题与年度计划",
    }
    return render(request, "activities/manage/life.html", context)


def _life_page(
    request: HttpRequest,
    organization: Any,
    theme_form: BaseForm | None = None,
    plan_form: BaseForm | None = None,
) -> HttpResponse:
    year = _year_of(request)
    today = _today()
    context = {
        "organization": organization,
        "year": year,
        "themes": list(organization.monthly_themes.filter(month__year=year).order_by("month")),
        "plan": organization.annual_plans.filter(year=year).prefetch_related("planned").first(),
        "theme_form": theme_form or ThemeForm(initial={"month": today.replace(day=1)}),
        "plan_form": plan_form or PlanForm(initial={"year": year}),
        "title": f"主题与年度计划 · {organization.name}",
    }
    return render(request, "activities/manage/life_org.html", context)


@staff_page("GET")
def life_org(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.access_life_organization(user=request.user, pk=pk, manage=True)
    return _life_page(request, organization)


@staff_page("POST")
def theme_set(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.access_life_organization(user=request.user, pk=pk, manage=True)
    form = ThemeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.theme_set(
                actor=request.user, organization=organization, month=data["month"], theme=data["theme"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{data['month']:%Y年%m月}的主题已设定")
            return HttpResponseRedirect(reverse("activities:life_org", kwargs={"pk": organization.pk}))
    return _life_page(request, organization, theme_form=form)


@staff_page("POST")
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.access_life_organization(user=request.user, pk=pk, manage=True)
    form = PlanForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_submit(
                actor=request.user,
                organization=organization,
                year=data["year"],
                planned=[
                    services.PlannedItem(month=m, activity_type=t, title=title)
                    for m, t, title in data["planned"]
                ],
                document=data["document"],
                note=data["note"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{data['year']}年度工作计划已报送")
            return HttpResponseRedirect(reverse("activities:life_org", kwargs={"pk": organization.pk}))
    return _life_page(request, organization, plan_form=form)


RAG = {"met": "green", "open": "amber", "missing": "red"}


def _period_cell(period: Any) -> dict[str, Any]:
    status = period.status.value
    return {
        "label": period.label,
        "status": status,
        "rag": RAG[status],
        "status_label": STATUS_LABELS[period.status],
        "missing": [c.reason for c in period.missing],
        "open": [c.reason for c in period.open],
    }


@staff_page("GET")
def compliance(request: HttpRequest) -> HttpResponse:
    """Each organisation of a station red/amber/green for this month, quarter and year (§7.3)."""
    year = _year_of(request)
    today = _today()
    month, quarter = (today.month, quarter_of(today)) if year == today.year else (12, 4)
    stations = page_selectors.compliance_stations(user=request.user)
    wanted = request.GET.get("station", "")
    station = next((s for s in stations if str(s.pk) == wanted), stations[0] if stations else None)
    organizations = page_selectors.compliance_organizations(
        user=request.user, station_id=station.pk if station else -1
    )
    page_of = paginate(request, organizations)
    rows, error = [], ""
    try:
        results = selectors.compliance_for_organizations(
            organizations=list(page_of.object_list), year=year, today=today
        )
    except ValidationError as refusal:
        results, error = [], _text(refusal)
    for organization, result in zip(page_of.object_list, results, strict=False):
        rows.append(
            {
                "organization": organization,
                "month": _period_cell(result.month(month)),
                "quarter": _period_cell(result.quarter(quarter)),
                "year": _period_cell(result.whole_year),
                "can_keep": request.user.has_perm("activities.manage_life", organization),
            }
        )
    counts = {rag: sum(1 for r in rows if r["month"]["rag"] == rag) for rag in ("green", "amber", "red")}
    context = {
        "rows": rows,
        "page": page_of,
        "querystring": querystring_without_page(request),
        "stations": stations,
        "station": station,
        "year": year,
        "years": list(range(today.year, today.year - 5, -1)),
        "month": month,
        "quarter": quarter,
        "counts": counts,
        "chart": charts.station_months(results, year=year, today=today) if rows else None,
        "error": error,
        "title": "组织生活达标情况",
    }
    return render(request, "activities/manage/compliance.html", context)


@staff_page("GET")
def compliance_org(request: HttpRequest, pk: int) -> HttpResponse:
    """One organisation's year: every month, quarter and the year, each requirement met or not and why."""
    organization = selectors.access_life_organization(user=request.user, pk=pk)
    year = _year_of(request)
    today = _today()
    error, result = "", None
    try:
        result = selectors.compliance_for(organization=organization, year=year, today=today)
    except ValidationError as refusal:
        error = _text(refusal)
    periods = []
    if result is not None:
        for period in (*result.months, *result.quarters, result.whole_year):
            cell = _period_cell(period)
            cell["checks"] = [
                {
                    "label": c.label,
                    "required": c.required,
                    "actual": c.actual,
                    "rag": RAG[c.status.value],
                    "status_label": STATUS_LABELS[c.status],
                    "reason": c.reason,
                }
                for c in period.checks
            ]
            cell["kind"], cell["index"] = period.kind.value, period.index
            cell["open_now"] = period.start <= today <= period.end
            periods.append(cell)
    context = {
        "organization": organization,
        "year": year,
        "years": list(range(_today().year, _today().year - 5, -1)),
        "months": [p for p in periods if p["kind"] == "month"],
        "quarters": [p for p in periods if p["kind"] == "quarter"],
        "whole_year": next((p for p in periods if p["kind"] == "year"), None),
        "error": error,
        "can_keep": request.user.has_perm("activities.manage_life", organization),
        "title": f"组织生活达标情况 · {organization.name}",
        "types": ActivityType.choices,
        "leave_statuses": LeaveStatus.choices,
        "chart": charts.organization_months(result, today=today) if result is not None else None,
    }
    return render(request, "activities/manage/compliance_org.html", context)


# ---------------------------------------------------------------- check-in (签到) and the sign-in sheet


def qr_svg(text: str, *, scale: int = 3, title: str = "签到二维码") -> str:
    """A small inline QR code (an SVG drawn by segno)."""
    import segno

    return str(
        segno.make(text, error="m").svg_inline(scale=scale, dark="#1f1f1f", title=title, omitsize=True)
    )


@staff_page("GET")
def checkin_today(request: HttpRequest) -> HttpResponse:
    """The activities open for check-in now that the person checks people in at (guides, organisers)."""
    context = {
        "activities": list(selectors.checkin_activities(user=request.user)[:50]),
        "title": "今日签到",
    }
    return render(request, "activities/manage/checkin_today.html", context)


def _checkin_page(request: HttpRequest, activity: Activity, error: str = "") -> HttpResponse:
    if not request.user.has_perm("activities.check_in_others", activity):
        raise Http404
    import uuid

    query = request.GET.get("q", "").strip()[:40]
    rows = checkin.signin_sheet(activity=activity)
    shown = [r for r in rows if query in r.name or query in r.organization] if query else rows
    context = {
        "activity": activity,
        "rows": shown[:200],
        "query": query,
        "present": sum(1 for r in rows if r.checked_in),
        "expected": len(rows),
        "nonce": uuid.uuid4().hex,
        "error": error,
        "title": f"签到 · {activity.title}",
    }
    return render(request, "activities/manage/checkin.html", context)


@staff_page("GET", "POST")
def checkin_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The guide searches a name and checks the person in (each tap carries a nonce: a retry counts once)."""
    activity = page_selectors.access_staff_activity(user=request.user, pk=pk)
    if request.method == "GET":
        return _checkin_page(request, activity)
    if not request.user.has_perm("activities.check_in_others", activity):
        raise Http404
    wanted = request.POST.get("person", "")
    row = next((r for r in checkin.signin_sheet(activity=activity) if str(r.person_id) == wanted), None)
    if row is None:
        return _checkin_page(request, activity, "请选择已报名本活动的人员")
    try:
        result = checkin.check_in(
            actor=request.user,
            activity=activity,
            person=page_selectors.sheet_person(activity=activity, person_id=row.person_id),
            nonce=request.POST.get("nonce", ""),
        )
    except ValidationError as refusal:
        return _checkin_page(request, activity, _text(refusal))
    messages.success(request, f"{result.person.display_name} 签到成功")
    query = request.POST.get("q", "").strip()[:40]
    target = reverse("activities:checkin", kwargs={"pk": activity.pk})
    return HttpResponseRedirect(f"{target}?q={query}" if query else target)


@staff_page("GET", "POST")
def signin_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable sign-in sheet (签到表) with small QR codes; afterwards the ticks are entered here."""
    activity = page_selectors.access_staff_activity(user=request.user, pk=pk)
    if not request.user.has_perm("activities.view_signin_sheet", activity):
        raise Http404
    error = ""
    if request.method == "POST":
        ids = [v for v in request.POST.getlist("person") if v.isdigit() and len(v) < 10]
        if not ids:
            error = "请勾选已签到的人员"
        else:
            try:
                made = checkin.attendance_enter(
                    actor=request.user, activity=activity, person_ids=[int(v) for v in ids]
                )
            except ValidationError as refusal:
                error = _text(refusal)
            else:
                messages.success(request, f"已补录 {len(made)} 人签到")
                return HttpResponseRedirect(reverse("activities:signin_sheet", kwargs={"pk": activity.pk}))
    rows = checkin.signin_sheet(activity=activity)
    context = {
        "activity": activity,
        "rows": [(row, qr_svg(row.token, scale=2) if row.token else "") for row in rows],
        "present": sum(1 for r in rows if r.checked_in),
        "error": error,
        "title": f"签到表 · {activity.title}",
    }
    return render(request, "activities/manage/signin_sheet.html", context)


# ---------------------------------------------------------------- invitations (活动邀约)


def _invitations_page(request: HttpRequest, activity: Activity, form: BaseForm | None = None) -> HttpResponse:
    context = {
        "activity": activity,
        "invitations": list(selectors.invitations_of(user=request.user, activity=activity)[:200]),
        "counts": invitations.invitation_counts(activity=activity),
        "form": form or InviteForm(activity=activity),
        "can_invite": activity.status in (ActivityStatus.DRAFT, ActivityStatus.PUBLISHED)
        and activity.starts_at > timezone.now(),
        "title": f"活动邀约 · {activity.title}",
    }
    return render(request, "activities/manage/invitations.html", context)


@staff_page("GET", "POST")
def invitation_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The organisers invite organisations, alliances and units, and see who accepted (with head counts),
    declined or has not answered (they are reminded)."""
    activity = selectors.access_activity(user=request.user, pk=pk, manage=True)
    if not request.user.has_perm("activities.invite", activity):
        raise Http404
    if request.method == "GET":
        return _invitations_page(request, activity)
    form = InviteForm(request.POST, activity=activity)
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = invitations.invitation_send(
                actor=request.user,
                activity=activity,
                organizations=list(data["organizations"]),
                alliances=list(data["alliances"]),
                units=list(data["units"]),
                note=data["note"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"已发出 {len(made)} 份邀约" if made else "所选对象均已邀请过")
            return HttpResponseRedirect(
                reverse("activities:activity_invitations", kwargs={"pk": activity.pk})
            )
    return _invitations_page(request, activity, form)


@page("GET")
def my_invitations(request: HttpRequest) -> HttpResponse:
    """The invitations the person answers (for themselves, or for the organisation or unit they speak for)."""
    context = {
        "pending": list(selectors.invitations_to_answer(user=request.user)[:50]),
        "page": paginate(request, selectors.invitations_to_answer(user=request.user, pending_only=False)),
        "querystring": querystring_without_page(request),
        "form": AnswerForm(),
    }
    return render(request, "activities/invitations.html", context)


@page("POST")
def invitation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.access_invitation(user=request.user, pk=pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择接受或婉拒，参加人数至少 1 人")
    else:
        data = form.cleaned_data
        try:
            invitations.invitation_answer(
                actor=request.user,
                invitation=invitation,
                accept=data["answer"] == "accept",
                head_count=data["head_count"],
                note=data["note"],
            )
        except ValidationError as error:
            messages.error(request, _text(error))
        else:
            messages.success(request, f"已答复邀约：{invitation.activity.title}")
    return HttpResponseRedirect(reverse("activities:invitations"))


# ---------------------------------------------------------------- camera check-in (扫码签到)


def _checkin_closed(activity: Activity) -> str:
    """Why check-in is not open now (the service refuses then too), or "" while it is."""
    now = timezone.now()
    opens = activity.starts_at - checkin.OPENS_BEFORE
    if activity.status not in checkin.HELD_STATUSES:
        return f"活动{activity.get_status_display()}，不能签到"
    if now < opens:
        return f"签到将于 {timezone.localtime(opens):%Y年%m月%d日 %H:%M} 开始（活动开始前 1 小时）"
    if now > activity.ends_at:
        return "活动已结束，未签到的人员请在签到表中补录"
    return ""


@staff_page("GET")
@uses_camera
def scan_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The guide's camera page: static/js/qr-scan.js reads the registration QR codes on people's phones and
    sends each to the API's check-in operation with a nonce of its own (a retried upload counts once)."""
    activity = page_selectors.access_staff_activity(user=request.user, pk=pk)
    if not request.user.has_perm("activities.check_in_others", activity):
        raise Http404
    rows = checkin.signin_sheet(activity=activity)
    context = {
        "activity": activity,
        "present": sum(1 for r in rows if r.checked_in),
        "expected": len(rows),
        "closed": _checkin_closed(activity),
        "title": f"扫码签到 · {activity.title}",
    }
    return render(request, "activities/manage/scan.html", context)


def _door_url(request: HttpRequest, activity: Activity) -> str:
    """What the activity's door QR code holds: the attendee's scan page with the code, so a phone's own
    camera app opens it too."""
    path = reverse("activities:self_scan", kwargs={"pk": activity.pk})
    return request.build_absolute_uri(f"{path}?{urlencode({'code': activity.checkin_code})}")


@staff_page("GET")
def door_code(request: HttpRequest, pk: int) -> HttpResponse:
    """The activity's own check-in code (活动签到码) to print and post at the door."""
    activity = page_selectors.access_staff_activity(user=request.user, pk=pk)
    if not request.user.has_perm("activities.check_in_others", activity):
        raise Http404
    code = activity.checkin_code
    context = {
        "activity": activity,
        "qr": qr_svg(_door_url(request, activity), scale=8, title="活动签到码"),
        "groups": [code[i : i + 4] for i in range(0, len(code), 4)],
        "title": f"活动签到码 · {activity.title}",
    }
    return render(request, "activities/manage/scan_door.html", context)


def _typed_code(raw: str) -> str:
    """The code typed (spaces ignored) or the door QR code's whole link pasted."""
    text = "".join(raw.split())[:400]
    if "code=" in text:
        found = parse_qs(urlsplit(text).query).get("code", [""])
        text = found[0]
    return text[:40]


@page("GET", "POST")
@uses_camera
def self_scan(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendee scans (or types) the activity's code posted at the door and checks themselves in."""
    activity = selectors.access_activity(user=request.user, pk=pk)
    error, code = "", _typed_code(request.GET.get("code", ""))
    if request.method == "POST":
        code = _typed_code(request.POST.get("code", ""))
        if not code:
            error = "请扫描或输入活动现场张贴的签到码"
        else:
            try:
                checkin.check_in(
                    actor=request.user,
                    activity=activity,
                    activity_code=code,
                    nonce=request.POST.get("nonce", ""),
                )
            except ValidationError as refusal:
                error = _text(refusal)
            else:
                messages.success(request, "签到成功")
                return HttpResponseRedirect(reverse("activities:self_scan", kwargs={"pk": activity.pk}))
    context = {
        "activity": activity,
        "attendance": Attendance.objects.filter(activity=activity, person_id=request.user.pk).first(),
        "may_check_in": request.user.has_perm("activities.check_in_self", activity),
        "closed": _checkin_closed(activity),
        "code": code,
        "nonce": uuid4().hex,
        "error": error,
        "title": f"扫码签到 · {activity.title}",
    }
    return render(request, "activities/scan.html", context)
