"""Pages of demonstration and leadership (示范引领, §9): the public honour roll (荣誉榜); the nominations
(推荐) with their review and HQ's decision; publicity records (宣传报道) and the yearly §9 check; the
demonstration events (示范活动). A nomination or record outside the person's stations is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from dangjian.core import cache as page_cache
from dangjian.core.file_responses import file_response
from dangjian.core.forms import show_refusal
from dangjian.core.page_guards import page, staff_page_for
from dangjian.core.pagination import paginate, querystring_without_page
from dangjian.core.workflow import ReviewAction
from dangjian.honors import selectors, services
from dangjian.honors.forms import (
    DeedsForm,
    EventForm,
    NominationFilterForm,
    NominationForm,
    PublicityForm,
    RollFilterForm,
    StepForm,
    YearForm,
)
from dangjian.honors.models import ACTION_LABELS, REJECT, TRANSITIONS, EventKind, Nomination

nomination_page = staff_page_for("honors.manage")
nominate_page = staff_page_for("honors.nominate")
records_page = staff_page_for("honors.keep_records")
check_page = staff_page_for("honors.see_publicity_check")

# who may take each step, and the button's style
STEP_PERMISSIONS = {action: step.permission for action, step in services.STEPS.items()}
NEEDS_COMMENT = {ReviewAction.RETURN.value, REJECT}


# ---------------------------------------------------------------- the public honour roll


def _roll_scopes() -> tuple[str, ...]:
    return (page_cache.STATIONS, page_cache.STRUCTURE, services.ROLL)


@page("GET", login=False)
@page_cache.anonymous_page(_roll_scopes, query=("year", "station", "page"))
def honour_roll(request: HttpRequest) -> HttpResponse:
    """Awarded honours by year and station: names, organisation, kind, year and a short summary only."""
    stations = [(s.pk, s.name) for s in selectors.public_stations()]
    form = RollFilterForm(request.GET or None, years=selectors.roll_years(), stations=stations)
    year = station = None
    if form.is_valid():
        year, station = form.cleaned_data.get("year"), form.cleaned_data.get("station")
    context = {
        "form": form,
        "page": paginate(request, selectors.honour_roll(year=year, station_id=station)),
        "querystring": querystring_without_page(request),
    }
    return render(request, "honors/roll.html", context)


# ---------------------------------------------------------------- nominations


@nomination_page("GET")
def nomination_list(request: HttpRequest) -> HttpResponse:
    form = NominationFilterForm(request.GET or None)
    nominations = selectors.visible_nominations(request.user)
    if form.is_valid():
        for name in ("year", "kind", "status"):
            if form.cleaned_data.get(name):
                nominations = nominations.filter(**{name: form.cleaned_data[name]})
    context = {
        "form": form,
        "page": paginate(request, nominations),
        "querystring": querystring_without_page(request),
        "can_nominate": request.user.has_perm("honors.nominate"),
    }
    return render(request, "honors/list.html", context)


@nominate_page("GET", "POST")
def nomination_create(request: HttpRequest) -> HttpResponse:
    form = NominationForm(
        request.POST or None,
        request.FILES or None,
        organizations=selectors.nominating_organizations(request.user),
        nominees=selectors.nominee_choices(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.nomination_create(
                actor=request.user,
                organization=form.cleaned_data["organization"],
                data=form.nomination_input(),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "已保存推荐，请核对后提交审核")
            return HttpResponseRedirect(nomination.get_absolute_url())
    return render(
        request,
        "honors/form.html",
        {"form": form, "title": "推荐评先评优", "multipart": True, "back": reverse("honors:list")},
    )


def _steps(request: HttpRequest, nomination: Nomination) -> list[dict[str, Any]]:
    """The moves the person may make on the nomination now."""
    return [
        {"action": action, "label": ACTION_LABELS[action], "needs_comment": action in NEEDS_COMMENT}
        for action, (sources, _target) in TRANSITIONS.items()
        if nomination.status in sources and request.user.has_perm(STEP_PERMISSIONS[action], nomination)
    ]


@page("GET")
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = selectors.access_nomination(user=request.user, pk=pk)
    context = {
        "nomination": nomination,
        "events": selectors.events_of(nomination),
        "steps": _steps(request, nomination),
        "form": StepForm(),
        "can_edit": nomination.status in services.EDITABLE
        and request.user.has_perm("honors.submit", nomination),
    }
    return render(request, "honors/detail.html", context)


@page("GET", "POST")
def nomination_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Revise the deeds of a draft or returned nomination."""
    nomination = selectors.access_nomination(user=request.user, pk=pk)
    if not request.user.has_perm("honors.submit", nomination):
        raise Http404
    form = DeedsForm(request.POST or None, initial={"deeds": nomination.deeds})
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_update(
                actor=request.user, nomination=nomination, deeds=form.cleaned_data["deeds"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "已修改主要事迹")
            return HttpResponseRedirect(nomination.get_absolute_url())
    context = {
        "form": form,
        "title": f"修改推荐：{nomination.nominee_name}",
        "back": nomination.get_absolute_url(),
    }
    return render(request, "honors/form.html", context)


@page("POST")
def nomination_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    nomination = selectors.access_nomination(user=request.user, pk=pk)
    if action not in services.STEPS:
        raise Http404
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            services.nomination_act(
                actor=request.user, nomination=nomination, action=action, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"已{ACTION_LABELS[action]}")
            return HttpResponseRedirect(nomination.get_absolute_url())
    context = {
        "nomination": nomination,
        "events": selectors.events_of(nomination),
        "steps": _steps(request, nomination),
        "form": form,
    }
    return render(request, "honors/detail.html", context, status=400)


def _download(request: HttpRequest, file: FieldFile, name: str, content_type: str) -> HttpResponseBase:
    if not file:
        raise Http404
    return file_response(request, file, filename=name, content_type=content_type, inline=True)


@page("GET")
def nomination_attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    nomination = selectors.access_nomination(user=request.user, pk=pk)
    return _download(request, nomination.attachment, nomination.attachment_name, nomination.attachment_type)


# ---------------------------------------------------------------- publicity


@records_page("GET")
def publicity_list(request: HttpRequest) -> HttpResponse:
    context = {
        "page": paginate(request, selectors.visible_publicity(request.user)),
        "querystring": querystring_without_page(request),
    }
    return render(request, "honors/publicity_list.html", context)


@records_page("GET", "POST")
def publicity_create(request: HttpRequest) -> HttpResponse:
    form = PublicityForm(
        request.POST or None, request.FILES or None, stations=selectors.kept_stations(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.publicity_create(
                actor=request.user, station=form.cleaned_data["station"], data=form.publicity_input()
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "已登记宣传报道")
            return HttpResponseRedirect(reverse("honors:publicity_list"))
    return render(
        request,
        "honors/form.html",
        {"form": form, "title": "登记宣传报道", "multipart": True, "back": reverse("honors:publicity_list")},
    )


@page("GET")
def publicity_clipping(request: HttpRequest, pk: int) -> HttpResponseBase:
    record = selectors.access_publicity(user=request.user, pk=pk)
    return _download(request, record.clipping, record.clipping_name, record.clipping_type)


@check_page("GET")
def publicity_check(request: HttpRequest) -> HttpResponse:
    """§9: each station meets the publicity requirement when it has a record at city level or above."""
    form = YearForm(request.GET or None, initial={"year": timezone.localdate().year})
    year = form.year_or_current()
    context = {
        "form": form,
        "year": year,
        "page": paginate(request, selectors.publicity_check(request.user, year=year)),
        "querystring": querystring_without_page(request),
    }
    return render(request, "honors/publicity_check.html", context)


# ---------------------------------------------------------------- demonstration events


@records_page("GET")
def event_list(request: HttpRequest) -> HttpResponse:
    context = {
        "page": paginate(request, selectors.visible_events(request.user)),
        "querystring": querystring_without_page(request),
        "kinds": EventKind,
    }
    return render(request, "honors/event_list.html", context)


@records_page("GET", "POST")
def event_create(request: HttpRequest) -> HttpResponse:
    form = EventForm(
        request.POST or None,
        stations=selectors.kept_stations(request.user),
        people=selectors.attendee_choices(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.event_create(
                actor=request.user, station=form.cleaned_data["station"], data=form.event_input()
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "已登记示范活动")
            return HttpResponseRedirect(reverse("honors:event_list"))
    return render(
        request,
        "honors/form.html",
        {"form": form, "title": "登记示范活动", "multipart": False, "back": reverse("honors:event_list")},
    )
