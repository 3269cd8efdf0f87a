"""Pages of the development pipeline (发展党员). Management: the candidates list, a new application, a
candidate's 25-step timeline with the forms of a step, the people, the stage and closing. The contact
person's page files half-year evaluations; `/me/development/` is the applicant's own progress. A
candidate outside the person's organisations or stations is a 404."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.core.file_responses import file_response
from dangjian.core.forms import show_refusal
from dangjian.core.pagination import paginate, querystring_without_page
from dangjian.development import documents, selectors, services
from dangjian.development.forms import (
    CandidateFilterForm,
    CandidateForm,
    CloseForm,
    OverviewFilterForm,
    PersonForm,
    ReportForm,
    SignedDocumentForm,
    StepForm,
)
from dangjian.development.models import Candidate, StepDocument
from dangjian.development.rules import RULES_2014
from dangjian.stations.models import ResidentUnit

STAGES = [(stage.number, stage.title) for stage in RULES_2014.stages]


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


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
    page = paginate(request, rows)  # type: ignore[arg-type]
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
            show_refusal(form, error)
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
    meeting_step = step in selectors.MEETING_STEPS
    form = StepForm(
        request.POST or None,
        step=step,
        entitled=selectors.entitled_voters(candidate.organization_id) if meeting_step else None,
        meetings=selectors.branch_meetings(candidate) if meeting_step else (),
        courses=selectors.completed_courses(candidate) if step == "training" else (),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.step_complete(actor=request.user, candidate=candidate, step=step, data=form.step_input())
        except ValidationError as error:
            show_refusal(form, error)
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
            show_refusal(form, error)
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


# ---------------------------------------------------------------- documents (档案)

DOCUMENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _document_choices(dossier: documents.Dossier) -> list[tuple[str, str]]:
    return [
        (f"{step.key}:{title}", f"第{step.number}步 {step.title} · {title}")
        for step in dossier.rules.steps
        if step.key in dossier.steps
        for title in step.documents
    ]


def _download(content: bytes, *, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCUMENT_TYPES.get(fmt, "application/zip"))
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def step_document(request: HttpRequest, pk: int, step: str, index: int, fmt: str) -> HttpResponse:
    """One standard document of a step, filled in, as Word or PDF."""
    candidate = selectors.access_candidate(user=request.user, pk=pk)
    dossier = selectors.dossier_of(candidate)
    if fmt not in DOCUMENT_TYPES or step not in dossier.rules.steps_by_key:
        raise Http404
    titles = dossier.rules.step(step).documents
    if not 0 <= index < len(titles):
        raise Http404
    sheet = documents.sheet(dossier, step, titles[index])
    content = (
        documents.render_docx([sheet])
        if fmt == "docx"
        else documents.render_pdf([sheet], title=f"{candidate.name} {sheet.title}")
    )
    return _download(content, filename=f"{candidate.name}-{sheet.title}.{fmt}", fmt=fmt)


@login_required
@require_GET
def dossier_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole file (档案) on one printable page, with its downloads and the signed uploads."""
    candidate = selectors.access_candidate(user=request.user, pk=pk)
    dossier = selectors.dossier_of(candidate)
    return render(
        request,
        "development/dossier.html",
        {
            "candidate": candidate,
            "cover": documents.cover(dossier),
            "sheets": documents.dossier_sheets(dossier),
            "signed": selectors.signed_documents_of(candidate),
            "upload_form": SignedDocumentForm(choices=_document_choices(dossier)),
        },
    )


@login_required
@require_GET
def dossier_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The whole file in the order of the steps: one PDF, or a ZIP of the PDF, each document in Word
    and the signed uploads."""
    candidate = selectors.access_candidate(user=request.user, pk=pk)
    if fmt not in ("pdf", "zip"):
        raise Http404
    dossier = selectors.dossier_of(candidate)
    pdf = documents.render_pdf(
        [documents.cover(dossier), *documents.dossier_sheets(dossier)], title=f"{candidate.name}发展党员档案"
    )
    services.dossier_exported(actor=request.user, candidate=candidate, fmt=fmt)
    name = f"{candidate.name}-发展党员档案"
    if fmt == "pdf":
        return _download(pdf, filename=f"{name}.pdf", fmt="pdf")
    signed = [
        documents.SignedFile(
            step_key=d.step,
            title=d.title,
            uploaded_on=timezone.localdate(d.created_at),
            extension=PurePosixPath(d.file.name).suffix.lower(),
            content=_read(d),
        )
        for d in selectors.signed_documents_of(candidate)
    ]
    return _download(
        documents.dossier_zip(dossier, pdf=pdf, signed=signed),
        filename=f"{name}.zip",
        fmt="zip",
    )


def _read(document: StepDocument) -> bytes:
    with document.file.open("rb") as handle:
        return bytes(handle.read())


@login_required
@require_POST
def signed_upload(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = selectors.access_candidate(user=request.user, pk=pk)
    form = SignedDocumentForm(
        request.POST, request.FILES, choices=_document_choices(selectors.dossier_of(candidate))
    )
    back = HttpResponseRedirect(reverse("development:dossier", kwargs={"pk": candidate.pk}))
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return back
    step, title = form.step_and_title()
    try:
        services.signed_document_upload(
            actor=request.user, candidate=candidate, step=step, title=title, upload=form.cleaned_data["file"]
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已上传签字材料：{title}")
    return back


@login_required
@require_GET
def signed_file(request: HttpRequest, pk: int, document: int) -> HttpResponseBase:
    found = selectors.access_signed_document(user=request.user, candidate_pk=pk, pk=document)
    suffix = PurePosixPath(found.file.name).suffix.lower()
    return file_response(
        request,
        found.file,
        filename=f"{found.candidate.name}-{found.title}（签字）{suffix}",
        content_type=found.content_type,
        inline=True,
    )


# ---------------------------------------------------------------- overview

SERIES_COLOURS = ("#9aa5b1", "#e0a100", "#d9480f", "#c92a2a", "#8b0f14")


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Per organisation and station: candidates per stage, overdue steps, the year's new members, and
    the development numbers of the last five years (ECharts, with the same numbers in a table)."""
    _require(request, "development.manage")
    this_year = timezone.localdate().year
    years = list(range(this_year - selectors.OVERVIEW_YEARS + 1, this_year + 1))
    organizations = selectors.overview_organizations(request.user)
    stations = sorted({(o.station_id, o.station.name) for o in organizations}, key=lambda s: s[0])
    form = OverviewFilterForm(request.GET or None, stations=stations, years=years)
    chosen = form.cleaned_data if form.is_valid() else {}
    station_id, year = chosen.get("station"), chosen.get("year") or this_year
    if station_id:
        organizations = organizations.filter(station_id=station_id)
    ids = list(organizations.values_list("pk", flat=True))
    page = paginate(request, organizations)
    per_year = selectors.year_counts(request.user, ids, last_year=this_year)
    stage_totals = [
        sum(column) for column in zip(*selectors.stage_counts(request.user, ids).values(), strict=True)
    ]
    return render(
        request,
        "development/overview.html",
        {
            "form": form,
            "year": year,
            "page": page,
            "lines": selectors.organization_lines(request.user, page.object_list, year=year),
            "stages": RULES_2014.stages,
            "stage_totals": stage_totals or [0] * len(RULES_2014.stages),
            "per_year": per_year,
            "year_rows": [(label, per_year.counts[key]) for key, label in selectors.YEAR_STEPS],
            "chart": {
                "title": f"近{selectors.OVERVIEW_YEARS}年发展党员情况",
                "unit": "人",
                "stacked": False,
                "categories": [f"{y}年" for y in per_year.years],
                "series": [
                    {"name": label, "color": colour, "data": per_year.counts[key]}
                    for (key, label), colour in zip(selectors.YEAR_STEPS, SERIES_COLOURS, strict=True)
                ],
            },
            "querystring": querystring_without_page(request),
        },
    )
