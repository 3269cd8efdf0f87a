"""Pages of feedback (DB3212/T 1124 §10.1.2).

Public (`/feedback/…`): the submit form (no account needed), the tracking page opened by its code (the
timeline, the reply, rating, "问题解决了吗？" with reopen), and "我的反馈" for people signed in.
Staff (`/manage/feedback/…`): the list with filters, an item with its actions (assign, start, reply,
decide, close) and the paper entry form for the complaint box and the suggestion book.

Every object is fetched through `selectors` (`access_feedback`: the same 404 for missing and forbidden;
`by_code` for a tracking code) and every write goes through one service; a refusal is shown on the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from dangjian.core.page_guards import View, page, staff_page_for
from dangjian.core.pagination import paginate, querystring_without_page
from dangjian.core.request_context import client_ip_of
from dangjian.feedback import rules, selectors, services
from dangjian.feedback.forms import (
    AssignForm,
    CloseForm,
    DecideForm,
    EmptyForm,
    FilterForm,
    LookupForm,
    PaperEntryForm,
    RateForm,
    ReopenForm,
    ReplyForm,
    SubmissionForm,
)
from dangjian.feedback.models import OPEN_STATUSES, Feedback, Status
from dangjian.organizations.models import PartyOrganization
from dangjian.stations.models import ResidentUnit, Station

staff_page = staff_page_for("feedback.enter_management")
NEW_CODE_SESSION_KEY = "feedback_new_codes"


def _form_kwargs(stations: Any) -> dict[str, Any]:
    return {
        "stations": stations,
        "organizations": PartyOrganization.objects.filter(is_active=True, station__in=stations)
        .select_related("station")
        .order_by("station_id", "name"),
        "units": ResidentUnit.objects.filter(is_active=True, station__in=stations)
        .select_related("station")
        .order_by("station_id", "name"),
    }


def _submission(data: dict[str, Any]) -> services.Submission:
    return services.Submission(
        station=data["station"],
        channel=data["channel"],
        kind=data["kind"],
        title=data["title"],
        content=data["content"],
        contact_name=data.get("contact_name", ""),
        contact_phone=data.get("contact_phone", ""),
        organization=data.get("organization"),
        unit=data.get("unit"),
    )


def _public_stations() -> Any:
    return Station.objects.filter(is_active=True).order_by("-kind", "sort_order", "id")


# ---------------------------------------------------------------- public


@page("GET", "POST", login=False)
def submit(request: HttpRequest) -> HttpResponse:
    """Anyone writes a complaint, suggestion, praise or question; a tracking code follows it."""
    stations = _public_stations()
    initial: dict[str, Any] = {"kind": "suggestion", "channel": "online"}
    code = request.GET.get("station", "")[:40]
    chosen = stations.filter(code=code).first() if code else None
    if chosen is not None:
        initial["station"] = chosen.pk
    form = SubmissionForm(request.POST or None, initial=initial, **_form_kwargs(stations))
    if request.method == "POST" and form.is_valid():
        try:
            feedback = services.submit(
                actor=request.user, submission=_submission(form.cleaned_data), ip=client_ip_of(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _remember_new(request, feedback)
            return HttpResponseRedirect(reverse("feedback:track", kwargs={"code": feedback.tracking_code}))
    context = {"form": form, "rules": rules.DUE_WORKING_DAYS, "title": "意见反馈"}
    return render(request, "feedback/submit.html", context)


def _remember_new(request: HttpRequest, feedback: Feedback) -> None:
    """The tracking page shows "请保存查询码" once, to the browser that submitted."""
    codes = request.session.get(NEW_CODE_SESSION_KEY, [])[-4:]
    request.session[NEW_CODE_SESSION_KEY] = [*codes, feedback.tracking_code]


def _just_submitted(request: HttpRequest, feedback: Feedback) -> bool:
    codes = request.session.get(NEW_CODE_SESSION_KEY, [])
    if feedback.tracking_code not in codes:
        return False
    request.session[NEW_CODE_SESSION_KEY] = [c for c in codes if c != feedback.tracking_code]
    return True


@page("GET", login=False)
def lookup(request: HttpRequest) -> HttpResponse:
    """Type the tracking code; a wrong one is told so on the same form (no hint whether it exists)."""
    form = LookupForm(request.GET or None)
    if request.GET and form.is_valid():
        try:
            feedback = selectors.by_code(form.cleaned_data["code"])
        except Http404:
            form.add_error("code", "没有找到该查询码对应的反馈，请核对后重新输入")
        else:
            return HttpResponseRedirect(reverse("feedback:track", kwargs={"code": feedback.tracking_code}))
    return render(request, "feedback/lookup.html", {"form": form, "title": "查询反馈进度"})


def _track_context(
    request: HttpRequest, feedback: Feedback, forms: dict[str, BaseForm] | None = None
) -> dict[str, Any]:
    contact = selectors.contact_of(feedback)
    forms = forms or {}
    return {
        "feedback": feedback,
        "steps": selectors.public_steps(feedback),
        "masked_phone": contact.masked_phone if contact and contact.phone else "",
        "contact_name": contact.name if contact else "",
        "rate_form": forms.get("rate") or RateForm(),
        "reopen_form": forms.get("reopen") or ReopenForm(),
        "can_rate": feedback.status in (Status.REPLIED, Status.CLOSED) and feedback.rating is None,
        "can_follow_up": feedback.status == Status.CLOSED and feedback.confirmed_solved_at is None,
        "can_reopen": feedback.reopen_count < services.MAX_REOPENS,
        "overdue": feedback.is_overdue(),
        "title": f"反馈进度 · {feedback.title}",
    }


@page("GET", login=False)
def track(request: HttpRequest, code: str) -> HttpResponse:
    feedback = selectors.by_code(code)
    context = _track_context(request, feedback)
    context["just_submitted"] = _just_submitted(request, feedback)
    response = render(request, "feedback/track.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


def _follow_up_action(
    which: str, form_class: Any, call: Callable[[Any, Feedback, str, Any], Any], done: str
) -> View:
    @page("POST", login=False)
    def action(request: HttpRequest, code: str) -> HttpResponse:
        feedback = selectors.by_code(code)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                call(request.user, feedback, feedback.tracking_code, form)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, done)
                return HttpResponseRedirect(
                    reverse("feedback:track", kwargs={"code": feedback.tracking_code})
                )
        context = _track_context(request, feedback, {which: form})
        return render(request, "feedback/track.html", context, status=200)

    action.__name__ = f"track_{which}"
    return action


track_rate = _follow_up_action(
    "rate",
    RateForm,
    lambda actor, feedback, code, form: services.rate(
        actor=actor,
        feedback=feedback,
        code=code,
        rating=form.cleaned_data["rating"],
        comment=form.cleaned_data["comment"],
    ),
    "感谢您的评价！",
)
track_confirm = _follow_up_action(
    "confirm",
    EmptyForm,
    lambda actor, feedback, code, form: services.confirm_solved(actor=actor, feedback=feedback, code=code),
    "感谢您的确认，欢迎继续监督我们的工作。",
)
track_reopen = _follow_up_action(
    "reopen",
    ReopenForm,
    lambda actor, feedback, code, form: services.reopen(
        actor=actor, feedback=feedback, code=code, reason=form.cleaned_data["reason"]
    ),
    "已重新交办，我们会尽快再次答复您。",
)


@page("GET")
def mine(request: HttpRequest) -> HttpResponse:
    queryset = selectors.my_feedback(user=request.user)
    context = {
        "page": paginate(request, queryset),
        "querystring": querystring_without_page(request),
        "title": "我的反馈",
    }
    return render(request, "feedback/mine.html", context)


@page("GET")
def mine_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The submitter's item (from the inbox): its tracking page; a handler is sent to the staff page."""
    feedback = selectors.access_feedback(user=request.user, pk=pk)
    if feedback.submitter_id == request.user.pk:
        return HttpResponseRedirect(reverse("feedback:track", kwargs={"code": feedback.tracking_code}))
    return HttpResponseRedirect(reverse("feedback:manage_detail", kwargs={"pk": feedback.pk}))


# ---------------------------------------------------------------- staff


def _filters(form: FilterForm, request: HttpRequest) -> selectors.ListFilters:
    if not form.is_valid():
        return selectors.ListFilters()
    data = form.cleaned_data
    return selectors.ListFilters(
        status=data["status"],
        kind=data["kind"],
        channel=data["channel"],
        overdue=data["overdue"],
        mine=data["mine"],
        q=data["q"].strip(),
    )


@staff_page("GET")
def manage_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    filters = _filters(form, request)
    queryset = selectors.staff_list(user=request.user, filters=filters)
    context = {
        "form": form,
        "page": paginate(request, queryset),
        "querystring": querystring_without_page(request),
        "today": timezone.localdate(),
        "open_statuses": OPEN_STATUSES,
        "overdue_count": selectors.overdue_managed(user=request.user).count()
        if request.user.has_perm("feedback.enter_management")
        else 0,
        "title": "意见反馈办理",
    }
    return render(request, "feedback/manage/list.html", context)


def _detail_forms(feedback: Feedback, data: Any = None, which: str = "") -> dict[str, BaseForm]:
    def bound(name: str) -> Any:
        return data if which == name else None

    return {
        "assign": AssignForm(
            bound("assign"),
            people=selectors.handlers_for(feedback=feedback),
            initial={"person": feedback.assignee_id},
        ),
        "start": EmptyForm(bound("start")),
        "reply": ReplyForm(bound("reply"), initial={"text": feedback.reply}),
        "decide": DecideForm(
            bound("decide"),
            initial={"validity": feedback.validity or "valid", "reason": feedback.validity_reason},
        ),
        "close": CloseForm(bound("close"), initial={"resolution": "resolved"}),
    }


def _detail_page(
    request: HttpRequest, feedback: Feedback, forms: dict[str, BaseForm], status: int = 200
) -> HttpResponse:
    context = {
        "feedback": feedback,
        "forms": forms,
        "contact": selectors.contact_for(user=request.user, feedback=feedback),
        "steps": selectors.public_steps(feedback, staff_view=True),
        "overdue": feedback.is_overdue(),
        "open_statuses": OPEN_STATUSES,
        "title": f"{feedback.get_kind_display()} · {feedback.title}",
    }
    return render(request, "feedback/manage/detail.html", context, status=status)


@staff_page("GET")
def manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.access_feedback(user=request.user, pk=pk, manage=True)
    return _detail_page(request, feedback, _detail_forms(feedback))


def _staff_action(which: str, call: Callable[[Any, Feedback, BaseForm], Any], done: str) -> View:
    @staff_page("POST")
    def action(request: HttpRequest, pk: int) -> HttpResponse:
        feedback = selectors.access_feedback(user=request.user, pk=pk, manage=True)
        forms = _detail_forms(feedback, request.POST, which)
        form = forms[which]
        if form.is_valid():
            try:
                call(request.user, feedback, form)
            except ValidationError as error:
                form.add_error(None, error)
            except PermissionDenied:
                raise
            else:
                messages.success(request, done)
                return HttpResponseRedirect(reverse("feedback:manage_detail", kwargs={"pk": feedback.pk}))
        return _detail_page(request, feedback, forms)

    action.__name__ = f"feedback_{which}"
    return action


assign = _staff_action(
    "assign",
    lambda actor, f, form: services.assign(actor=actor, feedback=f, assignee=form.cleaned_data["person"]),
    "已分派承办人",
)
start = _staff_action("start", lambda actor, f, form: services.start(actor=actor, feedback=f), "已开始办理")
reply = _staff_action(
    "reply",
    lambda actor, f, form: services.reply(actor=actor, feedback=f, text=form.cleaned_data["text"]),
    "已答复提交人",
)
decide = _staff_action(
    "decide",
    lambda actor, f, form: services.decide(
        actor=actor, feedback=f, validity=form.cleaned_data["validity"], reason=form.cleaned_data["reason"]
    ),
    "已认定投诉",
)
close = _staff_action(
    "close",
    lambda actor, f, form: services.close(
        actor=actor, feedback=f, resolution=form.cleaned_data["resolution"], note=form.cleaned_data["note"]
    ),
    "已办结",
)


@staff_page("GET", "POST")
def paper(request: HttpRequest) -> HttpResponse:
    """A guide or worker types in slips from the complaint box (投诉箱) or the suggestion book (意见簿)."""
    stations = selectors.handled_stations(user=request.user)
    initial: dict[str, Any] = {"channel": "box", "kind": "suggestion"}
    if stations.count() == 1:
        initial["station"] = stations.first().pk  # type: ignore[union-attr]
    form = PaperEntryForm(request.POST or None, initial=initial, **_form_kwargs(stations))
    if request.method == "POST" and form.is_valid():
        try:
            feedback = services.enter_paper(
                actor=request.user,
                submission=_submission(form.cleaned_data),
                received_on=form.cleaned_data["received_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已录入，查询码 {feedback.code_display}（可写在回执上交给留言人）")
            return HttpResponseRedirect(reverse("feedback:manage_detail", kwargs={"pk": feedback.pk}))
    return render(request, "feedback/manage/paper.html", {"form": form, "title": "录入纸质意见"})
