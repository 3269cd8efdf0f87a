"""Pages of joint meetings (联席会议, DB3212/T 1124 §7.4), under `/manage/activities/joint/`.

The supervising unit (platform admins, the HQ station's admins) plans a meeting with its agenda and the
organisations invited, records who attended and the minutes, cancels it, and adds decisions (议定事项) with
an owner and a due date. The invited organisations' secretaries and officers see the meetings they are
invited to. The open decisions stay on their page until done; each decision's owner reports progress on
the decision's own page (an owner need not see the whole meeting). The list of a year says when the year
falls short of §7.4 (none held) or goes beyond it (more than two).

Objects are fetched through joint.py's `access_*` (the same 404 for missing and forbidden); every write is
one service of joint.py, whose refusals are shown on the form and change nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from dangjian.activities import joint, permissions
from dangjian.activities.forms import ReasonForm
from dangjian.activities.joint_forms import (
    FollowUpForm,
    JointDecisionForm,
    JointMeetingForm,
    JointRecordForm,
    JointYearForm,
)
from dangjian.activities.models import DecisionStatus, JointDecision, JointMeeting, JointMeetingStatus
from dangjian.core.forms import show_refusal
from dangjian.core.page_guards import page, staff_page_for
from dangjian.core.pagination import paginate, querystring_without_page

CONVENE = "activities.convene_joint_meeting"
staff_page = staff_page_for(permissions.ENTER_MANAGEMENT)
convene_page = staff_page_for(CONVENE)


def _meeting_url(meeting: JointMeeting) -> str:
    return reverse("activities:joint_meeting", kwargs={"pk": meeting.pk})


def _decision_url(decision: JointDecision) -> str:
    return reverse("activities:joint_decision", kwargs={"pk": decision.pk})


def _refused(form: BaseForm, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, ValidationError):
        show_refusal(form, error)
    else:
        form.add_error(None, str(error))


# ---------------------------------------------------------------- meetings


@staff_page("GET")
def joint_list(request: HttpRequest) -> HttpResponse:
    """The meetings of a year the person sees, and whether the year meets §7.4 (1–2 a year)."""
    today = timezone.localdate()
    form = JointYearForm(request.GET or None)
    year = form.cleaned_data["year"] if form.is_valid() else today.year
    context = {
        "page": paginate(request, joint.meetings_of_year(user=request.user, year=year)),
        "querystring": querystring_without_page(request),
        "status": joint.joint_year_status(year=year, today=today),
        "year": year,
        "years": sorted({*range(today.year + 1, today.year - 5, -1), year}, reverse=True),
        "can_convene": request.user.has_perm(CONVENE),
        "title": "联席会议",
    }
    return render(request, "activities/joint/list.html", context)


def _save_meeting(request: HttpRequest, form: JointMeetingForm) -> JointMeeting | None:
    if not form.is_valid():
        return None
    try:
        return joint.joint_meeting_save(
            actor=request.user, meeting=form.instance, organizations=list(form.cleaned_data["organizations"])
        )
    except (ValidationError, PermissionDenied) as error:
        _refused(form, error)
    return None


def _form_page(request: HttpRequest, form: BaseForm, title: str, back: str) -> HttpResponse:
    """A form of these pages on the activities' form page (with the rich-text editor)."""
    return render(request, "activities/manage/form.html", {"form": form, "title": title, "cancel_url": back})


def _meeting_page(request: HttpRequest, meeting: JointMeeting | None) -> HttpResponse:
    form = JointMeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST":
        saved = _save_meeting(request, form)
        if saved is not None:
            messages.success(request, "联席会议已保存，新受邀党组织的书记、委员已收到通知")
            return HttpResponseRedirect(_meeting_url(saved))
    if meeting is None:
        return _form_page(request, form, "召集联席会议", reverse("activities:joint_list"))
    return _form_page(request, form, f"修改联席会议 · {meeting.title}", _meeting_url(meeting))


@convene_page("GET", "POST")
def joint_create(request: HttpRequest) -> HttpResponse:
    return _meeting_page(request, None)


@convene_page("GET", "POST")
def joint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, joint.access_joint_meeting(user=request.user, pk=pk, manage=True))


def _detail_page(
    request: HttpRequest,
    meeting: JointMeeting,
    *,
    decision_form: BaseForm | None = None,
    cancel_form: BaseForm | None = None,
) -> HttpResponse:
    may_manage = request.user.has_perm(CONVENE, meeting)
    context = {
        "meeting": meeting,
        "invitees": list(joint.meeting_invitees(meeting)),
        "decisions": list(joint.meeting_decisions(meeting)),
        "may_manage": may_manage,
        "planned": meeting.status == JointMeetingStatus.PLANNED,
        "cancelled": meeting.status == JointMeetingStatus.CANCELLED,
        "decision_form": decision_form
        or (JointDecisionForm(owners=joint.owner_choices(meeting)) if may_manage else None),
        "cancel_form": cancel_form or ReasonForm(),
        "today": timezone.localdate(),
        "done": DecisionStatus.DONE,
        "title": meeting.title,
    }
    return render(request, "activities/joint/detail.html", context)


@staff_page("GET")
def joint_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, joint.access_joint_meeting(user=request.user, pk=pk))


@convene_page("GET", "POST")
def joint_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Attendance per invited organisation (with its representative) and the minutes; may be corrected."""
    meeting = joint.access_joint_meeting(user=request.user, pk=pk, manage=True)
    form = JointRecordForm(
        request.POST or None,
        initial={"minutes": meeting.minutes},
        invitees=list(joint.meeting_invitees(meeting)),
        choices=joint.representative_choices(meeting),
    )
    if request.method == "POST" and form.is_valid():
        try:
            joint.joint_meeting_record(
                actor=request.user,
                meeting=meeting,
                minutes=form.cleaned_data["minutes"],
                attended=form.attended(),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "已登记会议召开情况和纪要")
            return HttpResponseRedirect(_meeting_url(meeting))
    if meeting.starts_at > timezone.now():
        form.fields["minutes"].help_text = "会议召开后才能登记召开情况"
    return _form_page(request, form, f"登记召开情况 · {meeting.title}", _meeting_url(meeting))


@convene_page("POST")
def joint_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = joint.access_joint_meeting(user=request.user, pk=pk, manage=True)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            joint.joint_meeting_cancel(
                actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:  # held or cancelled already: the page has no cancel form now
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, "联席会议已取消，受邀党组织已收到通知")
        return HttpResponseRedirect(_meeting_url(meeting))
    return _detail_page(request, meeting, cancel_form=form)


@convene_page("POST")
def joint_decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = joint.access_joint_meeting(user=request.user, pk=pk, manage=True)
    form = JointDecisionForm(
        request.POST, instance=JointDecision(meeting=meeting), owners=joint.owner_choices(meeting)
    )
    if form.is_valid():
        try:
            decision = joint.joint_decision_save(actor=request.user, meeting=meeting, decision=form.instance)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"已添加议定事项，已通知责任人 {decision.owner.display_name}")
            return HttpResponseRedirect(_meeting_url(meeting))
    return _detail_page(request, meeting, decision_form=form)


# ---------------------------------------------------------------- decisions (议定事项)


@page("GET")
def joint_decisions(request: HttpRequest) -> HttpResponse:
    """The decisions not done yet (earliest due first), shown until done; `?mine=1` only one's own,
    `?done=1` the done ones too."""
    mine, done = request.GET.get("mine") == "1", request.GET.get("done") == "1"
    context = {
        "page": paginate(request, joint.decisions_for(user=request.user, mine=mine, done=done)),
        "querystring": querystring_without_page(request),
        "mine": mine,
        "done": done,
        "today": timezone.localdate(),
        "done_status": DecisionStatus.DONE,
        "title": "联席会议议定事项",
    }
    return render(request, "activities/joint/decisions.html", context)


def _decision_page(
    request: HttpRequest, decision: JointDecision, form: BaseForm | None = None
) -> HttpResponse:
    user = request.user
    may_follow_up = user.has_perm("activities.follow_up_decision", decision)
    context = {
        "decision": decision,
        "meeting": decision.meeting,
        "form": form or (FollowUpForm(initial={"status": decision.status}) if may_follow_up else None),
        "may_see_meeting": user.has_perm("activities.view_joint_meeting", decision.meeting),
        "may_manage": user.has_perm(CONVENE, decision.meeting),
        "log": [line for line in decision.follow_up.splitlines() if line.strip()],
        "today": timezone.localdate(),
        "done": DecisionStatus.DONE,
        "title": "议定事项",
    }
    return render(request, "activities/joint/decision.html", context)


@page("GET", "POST")
def joint_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """One decision with its follow-up record; its owner (or the convener) reports progress here."""
    manage = request.method == "POST"  # following up: the owner or the convener only
    decision = joint.access_decision(user=request.user, pk=pk, manage=manage)
    if not manage:
        return _decision_page(request, decision)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            joint.joint_decision_follow_up(
                actor=request.user,
                decision=decision,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as error:
            _refused(form, error)
        else:
            messages.success(request, "落实情况已更新")
            return HttpResponseRedirect(_decision_url(decision))
    return _decision_page(request, decision, form)


@convene_page("GET", "POST")
def joint_decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The convener changes a decision's content, owner or due date (the owner is told again)."""
    decision = joint.access_decision(user=request.user, pk=pk)
    if not request.user.has_perm(CONVENE, decision.meeting):
        raise Http404
    meeting = decision.meeting
    form = JointDecisionForm(request.POST or None, instance=decision, owners=joint.owner_choices(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            joint.joint_decision_save(actor=request.user, meeting=meeting, decision=form.instance)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "议定事项已保存")
            return HttpResponseRedirect(_decision_url(decision))
    return _form_page(request, form, "修改议定事项", _decision_url(decision))
