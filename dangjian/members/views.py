"""Pages of member management (DB3212/T 1124 §6.3 党员管理).

Management: the roster with filters and search, a profile, create/edit, statistics, correction
requests, Excel import/template/export. Self-service: `/me/member/`, where a member sees their own
record and asks for corrections. Every read of member rows is inside `member_scope(user)` and
`visible_profiles(user)`, so a record outside the user's stations or organisations is a 404.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.core.crypto import keyed_hash
from dangjian.core.manage_views import ManagedCreateView, ManagedUpdateView
from dangjian.core.pagination import paginate, querystring_without_page
from dangjian.core.validators import normalize_id_number
from dangjian.members import excel, identity, selectors, services
from dangjian.members.forms import (
    CorrectionRequestForm,
    DecisionForm,
    ImportForm,
    MemberFilterForm,
    MemberProfileForm,
    looks_like_id_number,
    search_condition,
)
from dangjian.members.importing import ImportRejected, import_members
from dangjian.members.models import MemberProfile
from dangjian.members.selectors import member_scope, visible_profiles

SEARCH_MAX_LENGTH = 50


def _require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _visible_profile(request: HttpRequest, pk: int) -> MemberProfile:
    return selectors.access_profile(user=request.user, pk=pk)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"  # RFC 6266
    add_never_cache_headers(response)
    return response


# ---------------------------------------------------------------- roster and export


def filtered_roster(
    request: HttpRequest, params: Any
) -> tuple[QuerySet[MemberProfile], MemberFilterForm, str]:
    """The roster rows the filters and search select; call inside `member_scope`."""
    members = visible_profiles(request.user)
    form = MemberFilterForm(params or None, user=request.user)
    if form.is_valid():
        members = form.apply(members)
    query = str(params.get("q", "")).strip()[:SEARCH_MAX_LENGTH]
    if query:
        members = members.filter(search_condition(query))
    return members, form, query


def _id_search_redirect(request: HttpRequest) -> HttpResponse | None:
    """An ID number typed into the search box comes back as its keyed hash, so the plain number is not
    kept in the URL, the browser history or the page."""
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    if not looks_like_id_number(query):
        return None
    params = request.GET.copy()
    params.pop("q")
    params.pop("page", None)
    params["id_hash"] = keyed_hash(normalize_id_number(query))
    return HttpResponseRedirect(f"{request.path}?{params.urlencode()}")


@login_required
@require_GET
def roster(request: HttpRequest) -> HttpResponse:
    """花名册: the members of the user's stations and organisations, filtered, searched, paginated."""
    _require(request, "members.manage")
    redirect = _id_search_redirect(request)
    if redirect is not None:
        return redirect
    with member_scope(request.user):
        members, form, query = filtered_roster(request, request.GET)
        context = {
            "page": paginate(request, members),
            "filter_form": form,
            "query": query,
            "id_search": bool(form.is_valid() and form.cleaned_data.get("id_hash")),
            "querystring": querystring_without_page(request),
            "can_export_unmasked": request.user.has_perm("members.export_unmasked"),
        }
        return render(request, "members/roster.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    """The current roster filter as .xlsx. GET: ID numbers masked, birth years only. POST with
    `unmasked=1`: full numbers and birth dates of the rows the user may reveal (others stay masked, with
    the year only), for entitled roles only; both audited (`identity.exported_identity`)."""
    _require(request, "members.manage")
    unmasked = request.method == "POST" and request.POST.get("unmasked") == "1"
    if unmasked:
        _require(request, "members.export_unmasked")
    params = request.POST if request.method == "POST" else request.GET
    with member_scope(request.user):
        members, form, _ = filtered_roster(request, params)
        rows = list(selectors.with_revealable(members, request.user))
    content = excel.build_export(
        rows, identity=lambda profile: identity.exported_identity(profile, unmasked=unmasked)
    )
    services.record_export(
        actor=request.user, profiles=rows, unmasked=unmasked, filters=form.active_filters()
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _xlsx(content, f"党员名册{'（含完整身份信息）' if unmasked else ''}-{stamp}.xlsx")


# ---------------------------------------------------------------- one member


def _detail_context(request: HttpRequest, profile: MemberProfile, revealed: str = "") -> dict[str, Any]:
    with member_scope(request.user):
        corrections = list(profile.corrections.select_related("decided_by")[:10])
    return {
        "profile": profile,
        "identity": identity.shown_identity(request.user, profile),
        "revealed": revealed,
        "corrections": corrections,
        "can_reveal": request.user.has_perm("members.reveal_id_number", profile),
        "can_edit": request.user.has_perm("members.change_profile", profile),
    }


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    return response


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _visible_profile(request, pk)
    return _private(render(request, "members/detail.html", _detail_context(request, profile)))


@login_required
@require_POST
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """“显示完整号码”: an explicit, audited POST; the number is shown in this response only."""
    profile = _visible_profile(request, pk)
    number = services.reveal_id_number(actor=request.user, profile=profile)
    return _private(render(request, "members/detail.html", _detail_context(request, profile, number)))


class MemberCreateView(ManagedCreateView):
    permission = "members.manage"
    form_class = MemberProfileForm
    title = "登记党员"
    success_url_name = "members:roster"
    success_message = "已登记党员信息"

    def save(self, form: BaseForm, before: dict[str, Any] | None) -> Any:
        member_form = cast(MemberProfileForm, form)
        return services.member_create(
            actor=self.request.user, profile=member_form.instance, person=member_form.person()
        )

    def success_url(self, saved: Any) -> str:
        return saved.get_absolute_url()


class MemberEditView(ManagedUpdateView):
    permission = "members.change_profile"
    form_class = MemberProfileForm
    title = "编辑党员信息"
    success_url_name = "members:roster"

    def get_object(self) -> Any:
        return selectors.access_profile(user=self.request.user, pk=self.kwargs["pk"])

    def before_snapshot(self) -> dict[str, Any] | None:
        return services.profile_snapshot(self.object)

    def save(self, form: BaseForm, before: dict[str, Any] | None) -> Any:
        member_form = cast(MemberProfileForm, form)
        return services.member_update(
            actor=self.request.user, profile=member_form.instance, person=member_form.person(), before=before
        )

    def success_url(self, saved: Any) -> str:
        return saved.get_absolute_url()

    def extra_context(self) -> dict[str, Any]:
        return {"cancel_url": self.object.get_absolute_url()}


# ---------------------------------------------------------------- statistics


@login_required
@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    """§6.3 党员管理 statistics: gender, age band, education, admission year, category, status."""
    _require(request, "members.manage")
    with member_scope(request.user):
        members = visible_profiles(request.user)
        form = MemberFilterForm(request.GET or None, user=request.user)
        if form.is_valid():
            members = form.apply(members)
        statistics = selectors.member_statistics(members, timezone.localdate())
    return render(request, "members/stats.html", {"stats": statistics, "filter_form": form})


# ---------------------------------------------------------------- corrections


@login_required
@require_GET
def corrections(request: HttpRequest) -> HttpResponse:
    """Pending correction requests of the user's organisations and stations, oldest first."""
    _require(request, "members.manage")
    with member_scope(request.user):
        page = paginate(request, selectors.pending_corrections(request.user))
        return render(request, "members/corrections.html", {"page": page, "decision_form": DecisionForm()})


def _decide(request: HttpRequest, pk: int, service: Any, done: str) -> HttpResponse:
    correction = selectors.access_pending_correction(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        service(actor=request.user, correction=correction, note=note)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error) or "没有权限处理该申请")
    else:
        messages.success(request, done)
    return HttpResponseRedirect(reverse("members:corrections"))


@login_required
@require_POST
def correction_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services.correction_accept, "已采纳，党员信息已更新")


@login_required
@require_POST
def correction_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services.correction_reject, "已退回该更正申请")


# ---------------------------------------------------------------- Excel import


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _require(request, "members.manage")
    return _xlsx(excel.build_template(), "党员信息导入模板.xlsx")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    """Upload a filled template; all rows are imported or none, with a per-row report."""
    _require(request, "members.manage")
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "errors": [], "error_total": 0}
    if request.method == "POST" and form.is_valid():
        try:
            count = import_members(actor=request.user, data=_upload_bytes(form.cleaned_data["file"]))
        except ImportRejected as rejected:
            context.update(errors=rejected.errors, error_total=rejected.total)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, f"已导入 {count} 名党员")
            return HttpResponseRedirect(reverse("members:roster"))
    return render(request, "members/import.html", context)


def _upload_bytes(upload: Any) -> bytes:
    """The upload's content, refusing (without reading it) anything over the size limit."""
    if upload.size > excel.MAX_UPLOAD_BYTES:
        raise ValidationError("文件不能超过 5 MB", code="too_large")
    return upload.read(excel.MAX_UPLOAD_BYTES + 1)


# ---------------------------------------------------------------- the member's own page


def _own_context(request: HttpRequest, profile: MemberProfile | None, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {"profile": profile, "revealed": "", "form": CorrectionRequestForm()}
    if profile is not None:
        context["identity"] = identity.shown_identity(request.user, profile)
        context["corrections"] = list(selectors.own_corrections(profile)[:20])
    context.update(extra)
    return context


def _own_profile_or_404(request: HttpRequest) -> MemberProfile:
    profile = selectors.own_profile(request.user)
    if profile is None:
        raise Http404("您还没有党员信息")
    return profile


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def me(request: HttpRequest) -> HttpResponse:
    """The member's own record (ID number masked) and the correction request form."""
    if request.method != "POST":
        profile = selectors.own_profile(request.user)
        return _private(render(request, "members/me.html", _own_context(request, profile)))
    profile = _own_profile_or_404(request)
    form = CorrectionRequestForm(request.POST)
    if form.is_valid():
        try:
            services.correction_request(actor=request.user, profile=profile, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("new_value" if not hasattr(error, "error_dict") else None, error)
        else:
            messages.success(request, "更正申请已提交，所在党组织确认后生效")
            return HttpResponseRedirect(reverse("members:me"))
    return _private(render(request, "members/me.html", _own_context(request, profile, form=form)))


@login_required
@require_POST
def me_reveal(request: HttpRequest) -> HttpResponse:
    profile = _own_profile_or_404(request)
    number = services.reveal_id_number(actor=request.user, profile=profile, channel="self")
    return _private(render(request, "members/me.html", _own_context(request, profile, revealed=number)))


CREATE_VIEW = MemberCreateView.as_view()
EDIT_VIEW = MemberEditView.as_view()
