"""Pages of the development pipeline (发展党员). Management: the candidates list, a new application, a
candidate's 25-step timeline with the forms of a step, the people, the stage and closing. The contact
person's page files half-year evaluations; `/me/development/` is the applicant's own progress. A
candidate outside the person's organisations or stations is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.core.pagination import querystring_without_page
from dangjian.development import selectors, services
from dangjian.development.forms import (
    CandidateFilterForm,
    CandidateForm,
    CloseForm,
    PersonForm,
    ReportForm,
    StepForm,
)
from dangjian.development.models import Candidate
from dangjian.development.rules import RULES_2014
from dangjian.stations.models import ResidentUnit

STAGES = [(stage.number, stage.title) for stage in RULES_2014.stages]


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _apply_errors(form: BaseForm, error: ValidationError) -> None:
    """A service's refusal shown on the form: per field when it names one, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_GET
def candidate_list(request: HttpRequest) -> HttpResponse:
    _require(request, "development.manage")
    form = CandidateFilterForm(request.GET or None, stages=STAGES)
    stage = form.cleaned_data.get("stage") if form.is_valid() else None
    overdue_only = bool(form.is_valid() and form.cleaned_data.get("overdue"))
    with selectors.development_scope(request.user):
        candidates = selectors.visible_candidates(request.user)
        if stage:
            candidates = candidates.filter(stage=stage)
        rows = selectors.pipelines(selectors.with_pipeline(candidates))
    if overdue_only:
        rows = [row for row in rows if row.overdue]
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    page.elided_range = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))  # type: ignore[attr-defined]
    return render(
        request,
        "development/list.html",
        {"form": form, "page": page, "querystring": querystring_without_page(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_create(request: HttpRequest) -> HttpResponse:
    _require(request, "development.manage")
    organizations = selectors.manageable_organizations(request.user)
    units = ResidentUnit.objects.filter(
        station_id__in=organizations.values("station_id"), is_active=True
    ).order_by("name")
    form = CandidateForm(request.POST or None, organizations=organizations, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.candidate_create(
                actor=request.user, organization=form.cleaned_data["organization"], applicant=form.applicant()
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"已登记{candidate.name}的入党申请")
            return HttpResponseRedirect(candidate.get_absolute_url())
    return render(request, "development/create.html", {"form": form})


@login_required
@require_GET
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = selectors.access_candidate(user=request.user, pk=pk)
    pipeline = selectors.pipeline_of(candidate)
    return render(
        request,
        "development/detail.html",
        {
            "candidate": candidate,
            "pipeline": pipeline,
            "records": {record.step: record for record in selectors.records_of(candidate)},
            "stages": RULES_2014.stages,
            "person_form": PersonForm(members=selectors.member_choices(candidate.organization)),
            "close_form": CloseForm(),
            "people": selectors.people_of(candidate),
            "reports": selectors.reports_of(candidate),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def step_complete(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    candidate = selectors.access_candidate(user=request.user, pk=pk)
    if step not in RULES_2014.steps_by_key:
        raise Http404
    entitled = selectors.entitled_voters(candidate.organization_id) if step.endswith("meeting") else None
    form = StepForm(request.POST or None, step=step, entitled=entitled)
    if request.method == "POST" and form.is_valid():
        try:
            services.step_complete(actor=request.user, candidate=candidate, step=step, data=form.step_input())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"已办理：{RULES_2014.step(step).title}")
            return HttpResponseRedirect(candidate.get_absolute_url())
    pipeline = selectors.pipeline_of(candidate)
    return render(
        request,
        "development/step.html",
        {"candidate": candidate, "form": form, "state": pipeline.state_of(step)},
    )


def _back(request: HttpRequest, candidate: Candidate, action: Any, success: str) -> HttpResponse:
    try:
        action()
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, success)
    return HttpResponseRedirect(candidate.get_absolute_url())


@login_required
@require_POST
def person_assign(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = selectors.access_candidate(user=request.user, pk=pk)
    form = PersonForm(request.POST, members=selectors.member_choices(candidate.organization))
    if not form.is_valid():
        messages.error(request, "请选择身份和本支部的正式党员")
        return HttpResponseRedirect(candidate.get_absolute_url())
    person = selectors.chosen_person(form.cleaned_data["user"])
    return _back(
        request,
        candidate,
        lambda: services.person_assign(
            actor=request.user, candidate=candidate, user=person, role=form.cleaned_data["role"]
        ),
        f"已指定{person.display_name}",
    )


@login_required
@require_POST
def stage_advance(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = selectors.access_candidate(user=request.user, pk=pk)
    return _back(
        request,
        candidate,
        lambda: services.stage_advance(actor=request.user, candidate=candidate),
        "已进入下一阶段",
    )


@login_required
@require_POST
def candidate_close(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = selectors.access_candidate(user=request.user, pk=pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择终止原因并填写情况说明")
        return HttpResponseRedirect(candidate.get_absolute_url())
    return _back(
        request,
        candidate,
        lambda: services.candidate_close(
            actor=request.user,
            candidate=candidate,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        ),
        "已终止培养",
    )


# ---------------------------------------------------------------- contact persons and applicants


@login_required
@require_GET
def contacts(request: HttpRequest) -> HttpResponse:
    rows = selectors.pipelines(selectors.contact_candidates(request.user))
    return render(request, "development/contacts.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def report_file(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = selectors.access_contact_candidate(user=request.user, pk=pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_file(actor=request.user, candidate=candidate, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "已提交")
            return HttpResponseRedirect(reverse("development:contacts"))
    pipeline = selectors.pipeline_of(candidate)
    return render(
        request, "development/report.html", {"candidate": candidate, "form": form, "pipeline": pipeline}
    )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    rows = selectors.pipelines(selectors.own_applications(request.user))
    return render(request, "development/mine.html", {"rows": rows, "stages": RULES_2014.stages})
