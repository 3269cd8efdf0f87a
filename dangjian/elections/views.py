"""Pages of committee elections (换届选举): the list, the overdue renewals, a new request, an election's
detail with its timeline, the superior's decision, the candidates, the meeting record, the result report
and its approval, and an organisation's term history. An election outside the person's organisations or
stations is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from dangjian.core.forms import show_refusal
from dangjian.core.pagination import paginate, querystring_without_page
from dangjian.elections import selectors, services
from dangjian.elections.forms import (
    CandidatesForm,
    DecisionForm,
    FilterForm,
    MeetingForm,
    RequestForm,
    ResultForm,
)
from dangjian.elections.models import Election, ElectionStatus
from dangjian.elections.rules import rules_on
from dangjian.organizations.models import by_rank


def _require(request: HttpRequest, permission: str, obj: Any = None) -> None:
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


@login_required
@require_GET
def election_list(request: HttpRequest) -> HttpResponse:
    _require(request, "elections.manage")
    form = FilterForm(request.GET or None, stations=selectors.stations_of(request.user))
    elections = selectors.visible_elections(request.user)
    if form.is_valid():
        status = form.cleaned_data.get("status")
        if status == "waiting":
            elections = elections.filter(status__in=[ElectionStatus.REQUESTED, ElectionStatus.REPORTED])
        elif status:
            elections = elections.filter(status=status)
        if form.cleaned_data.get("station"):
            elections = elections.filter(station_id=form.cleaned_data["station"])
    return render(
        request,
        "elections/list.html",
        {
            "form": form,
            "page": paginate(request, elections),
            "querystring": querystring_without_page(request),
        },
    )


@login_required
@require_GET
def overdue_list(request: HttpRequest) -> HttpResponse:
    _require(request, "elections.see_overdue")
    return render(
        request,
        "elections/overdue.html",
        {
            "page": paginate(request, selectors.overdue_organizations(request.user)),
            "querystring": querystring_without_page(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def election_create(request: HttpRequest) -> HttpResponse:
    _require(request, "elections.manage")
    organizations = selectors.requestable_organizations(request.user)
    initial = {"organization": request.GET.get("organization")} if request.GET.get("organization") else {}
    form = RequestForm(request.POST or None, organizations=organizations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            election = services.election_request(
                actor=request.user, organization=form.cleaned_data["organization"], data=form.request_input()
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"已提交{election.organization.name}的换届请示，等待上级批复")
            return HttpResponseRedirect(election.get_absolute_url())
    return render(request, "elections/create.html", {"form": form})


def _context(request: HttpRequest, election: Election, **more: Any) -> dict[str, Any]:
    user = request.user
    candidates = selectors.candidates_of(election)
    return {
        "election": election,
        "candidates": candidates,
        "elected": [c for c in candidates if c.elected],
        "events": selectors.events_of(election),
        "can_keep": user.has_perm("elections.keep", election),
        "can_decide": user.has_perm("elections.decide", election),
        "min_candidates": rules_on(election.planned_on).min_candidates(election.seats),
        **more,
    }


@login_required
@require_GET
def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    election = selectors.access_election(user=request.user, pk=pk)
    return render(request, "elections/detail.html", _context(request, election))


def _decision(request: HttpRequest, pk: int, *, result: bool) -> HttpResponse:
    election = selectors.access_election(user=request.user, pk=pk)
    _require(request, "elections.decide", election)
    form = DecisionForm(request.POST or None, refuse_label="退回" if result else "不同意")
    if request.method == "POST" and form.is_valid():
        decide = services.result_decide if result else services.election_decide
        try:
            decide(
                actor=request.user, election=election, approve=form.approve, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "已批复")
            return HttpResponseRedirect(election.get_absolute_url())
    expected = ElectionStatus.REPORTED if result else ElectionStatus.REQUESTED
    title = "批复选举结果" if result else "批复换届请示"
    return render(
        request,
        "elections/step.html",
        _context(request, election, form=form, title=title, ready=election.status == expected),
    )


@login_required
@require_http_methods(["GET", "POST"])
def election_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(request, pk, result=False)


@login_required
@require_http_methods(["GET", "POST"])
def result_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(request, pk, result=True)


@login_required
@require_http_methods(["GET", "POST"])
def candidates(request: HttpRequest, pk: int) -> HttpResponse:
    election = selectors.access_election(user=request.user, pk=pk)
    _require(request, "elections.keep", election)
    members = selectors.formal_members(election.organization_id)
    chosen = [c.user_id for c in selectors.candidates_of(election)]
    form = CandidatesForm(request.POST or None, members=members, initial={"candidates": chosen})
    if request.method == "POST" and form.is_valid():
        try:
            services.candidates_set(
                actor=request.user, election=election, users=form.cleaned_data["candidates"]
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "已确定候选人")
            return HttpResponseRedirect(election.get_absolute_url())
    return render(
        request,
        "elections/step.html",
        _context(
            request, election, form=form, title="确定候选人", ready=election.status == ElectionStatus.APPROVED
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    election = selectors.access_election(user=request.user, pk=pk)
    _require(request, "elections.keep", election)
    form = MeetingForm(request.POST or None, candidates=selectors.candidates_of(election))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_record(actor=request.user, election=election, data=form.meeting_input())
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "已记录选举大会和计票结果")
            return HttpResponseRedirect(election.get_absolute_url())
    return render(
        request,
        "elections/step.html",
        _context(
            request,
            election,
            form=form,
            title="选举大会",
            ready=election.status == ElectionStatus.APPROVED,
            entitled=selectors.entitled_voters(election.organization_id, election.planned_on),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def result(request: HttpRequest, pk: int) -> HttpResponse:
    election = selectors.access_election(user=request.user, pk=pk)
    _require(request, "elections.keep", election)
    elected = [c for c in selectors.candidates_of(election) if c.elected]
    form = ResultForm(request.POST or None, elected=elected, positions=list(election.positions))
    if request.method == "POST" and form.is_valid():
        try:
            services.result_report(actor=request.user, election=election, positions=form.positions())
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "已报告选举结果，等待上级批复")
            return HttpResponseRedirect(election.get_absolute_url())
    return render(
        request,
        "elections/step.html",
        _context(
            request, election, form=form, title="报告选举结果", ready=election.status == ElectionStatus.VOTED
        ),
    )


@login_required
@require_GET
def terms(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.access_organization(user=request.user, pk=pk)
    return render(
        request,
        "elections/terms.html",
        {
            "organization": organization,
            "committee": by_rank(organization.committee.select_related("user")),
            "past_terms": selectors.past_terms(organization),
            "elections": selectors.visible_elections(request.user).filter(organization=organization)[:20],
        },
    )
