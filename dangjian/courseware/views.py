"""Pages of the courseware library (课件分享): the library with Chinese search, one item with preview
and download, and management (upload, new versions, review). Every lookup goes through the
`access_*` selectors (missing and forbidden are the same 404); every write through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from dangjian.accounts.viewer import viewer_for
from dangjian.core.page_guards import page, staff_page_for
from dangjian.core.pagination import paginate, querystring_without_page
from dangjian.core.parsing import positive_int_or_none
from dangjian.core.search import search
from dangjian.courseware import selectors, services
from dangjian.courseware.forms import CommentForm, DetailsForm, LibraryFilterForm, UploadForm, VersionForm
from dangjian.courseware.models import READABLE_KINDS, Courseware
from dangjian.courseware.serving import serve_live, serve_version

staff_page = staff_page_for("courseware.manage")


# ---------------------------------------------------------------- readers


@page("GET")
def library(request: HttpRequest) -> HttpResponse:
    """Published items the person may use; a query goes through the core search index (jieba)."""
    form = LibraryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    query = filters.get("q", "")
    context: dict[str, Any] = {
        "form": form,
        "tags": selectors.tag_names(),
        "tag": filters.get("tag", ""),
        "querystring": querystring_without_page(request),
    }
    if query:
        context["results"] = search(
            query,
            viewer=viewer_for(request.user),
            kinds=[selectors.SEARCH_KIND],
            page=positive_int_or_none(request.GET.get("page")) or 1,
        )
    else:
        items = selectors.library(request.user, tag=filters.get("tag", ""), kind=filters.get("kind", ""))
        context["page"] = paginate(request, items)
    return render(request, "courseware/library.html", context)


@page("GET")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    courseware = selectors.access_courseware(user=request.user, pk=pk)
    can_manage = selectors.manageable_coursewares(request.user).filter(pk=courseware.pk).exists()
    context = {"courseware": courseware, "version": courseware.live_version, "can_manage": can_manage}
    return render(request, "courseware/detail.html", context)


@page("GET", "HEAD")
def preview(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The live file shown in place when its type is safe to show (PDF, images, MP4; ranges for video
    seeking); anything else downloads. Not counted as a download."""
    courseware = selectors.access_courseware(user=request.user, pk=pk)
    return serve_live(request, courseware, download=False)


@page("GET", "HEAD")
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The live file as an attachment, counted once per download (a resumed range is not a new one)."""
    courseware = selectors.access_courseware(user=request.user, pk=pk)
    return serve_live(request, courseware, download=True)


@page("GET")
def reader(request: HttpRequest, pk: int) -> HttpResponse:
    """A PDF or an e-book read in the page (vendored PDF.js / epub.js); other kinds have nothing to read."""
    courseware = selectors.access_courseware(user=request.user, pk=pk)
    version = courseware.live_version
    if version is None or version.kind not in READABLE_KINDS:
        raise Http404
    return render(request, "courseware/reader.html", {"courseware": courseware, "version": version})


# ---------------------------------------------------------------- management


@staff_page("GET")
def manage_list(request: HttpRequest) -> HttpResponse:
    items = selectors.manageable_coursewares(request.user)
    context = {
        "page": paginate(request, items),
        "awaiting": selectors.awaiting_review_by(request.user)[:20],
        "querystring": querystring_without_page(request),
    }
    return render(request, "courseware/manage_list.html", context)


@staff_page("GET", "POST")
def upload(request: HttpRequest) -> HttpResponse:
    stations = selectors.sharing_stations(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, stations=stations)
    if request.method == "POST" and form.is_valid():
        courseware = _try(
            form,
            lambda: services.courseware_create(
                actor=request.user,
                station=form.cleaned_data["station"],
                details=form.details(),
                upload=form.cleaned_data["file"],
            ),
        )
        if courseware is not None:
            messages.success(request, "课件已上传为草稿，提交审核通过后即可共享")
            return HttpResponseRedirect(reverse("courseware:manage_detail", kwargs={"pk": courseware.pk}))
    return render(
        request,
        "manage/form.html",
        {"form": form, "title": "上传课件", "cancel_url": reverse("courseware:manage_list")},
    )


def _try(form: Form, write: Any) -> Any:
    """The service's result, or None with its refusal shown on the form."""
    try:
        return write()
    except ValidationError as error:
        form.add_error(None, _as_form_error(form, error))
        return None


def _as_form_error(form: Form, error: ValidationError) -> Any:
    """Field errors the form has stay on their field; the rest go on top of the form."""
    if not hasattr(error, "error_dict"):
        return error
    return {
        field if field in form.fields else "__all__": errors for field, errors in error.error_dict.items()
    }


@page("GET")
def manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    courseware = selectors.access_courseware(user=request.user, pk=pk, manage=True)
    return _manage_page(request, courseware)


def _manage_page(
    request: HttpRequest, courseware: Courseware, *, version_form: Form | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    context = {
        "courseware": courseware,
        "versions": selectors.versions_of(courseware),
        "open_version": selectors.open_version(courseware),
        "can_change": user.has_perm("courseware.change_courseware", courseware),
        "can_review": user.has_perm("courseware.review_courseware", courseware),
        "can_withdraw": user.has_perm("courseware.withdraw_courseware", courseware),
        "version_form": version_form or VersionForm(),
        "comment_form": CommentForm(),
    }
    return render(request, "courseware/manage_detail.html", context, status=status)


@page("GET", "POST")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    courseware = selectors.access_courseware(user=request.user, pk=pk, manage=True)
    initial = {
        "title": courseware.title,
        "description": courseware.description,
        "sharing": courseware.sharing,
        "tags": " ".join(tag.name for tag in courseware.tags.all()),
    }
    form = DetailsForm(request.POST or None, initial=initial)
    back = reverse("courseware:manage_detail", kwargs={"pk": courseware.pk})
    if request.method == "POST" and form.is_valid():
        saved = _try(
            form,
            lambda: services.courseware_update(
                actor=request.user, courseware=courseware, details=form.details()
            ),
        )
        if saved is not None:
            messages.success(request, "已保存")
            return HttpResponseRedirect(back)
    return render(request, "manage/form.html", {"form": form, "title": "修改课件信息", "cancel_url": back})


@page("POST")
def version_add(request: HttpRequest, pk: int) -> HttpResponse:
    courseware = selectors.access_courseware(user=request.user, pk=pk, manage=True)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        added = _try(
            form,
            lambda: services.version_add(
                actor=request.user,
                courseware=courseware,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            ),
        )
        if added is not None:
            messages.success(request, f"已上传第 {added.number} 版，提交审核通过后替换在用版本")
            return HttpResponseRedirect(reverse("courseware:manage_detail", kwargs={"pk": courseware.pk}))
    return _manage_page(request, courseware, version_form=form, status=400)


@page("POST")
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    courseware = selectors.access_courseware(user=request.user, pk=pk, manage=True)
    if action not in services.STEPS:
        raise Http404
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    back = courseware.get_manage_url()
    return _act(
        request,
        lambda: services.courseware_transition(
            actor=request.user, courseware=courseware, action=action, comment=comment
        ),
        done=f"已{services.STEPS[action].action.label}",
        success_url=back,
        failure_url=back,
    )


@page("POST")
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    courseware = selectors.access_courseware(user=request.user, pk=pk, manage=True)
    return _act(
        request,
        lambda: services.courseware_delete(actor=request.user, courseware=courseware),
        done="课件草稿已删除",
        success_url=reverse("courseware:manage_list"),
        failure_url=courseware.get_manage_url(),
    )


def _act(
    request: HttpRequest, write: Callable[[], Any], *, done: str, success_url: str, failure_url: str
) -> HttpResponseRedirect:
    """Run one service call from a button: its refusal or `done` as a message, then back to a page."""
    try:
        write()
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return HttpResponseRedirect(failure_url)
    messages.success(request, done)
    return HttpResponseRedirect(success_url)


@page("GET", "HEAD")
def version_file(request: HttpRequest, pk: int, version_pk: int) -> HttpResponseBase:
    """Any version of a managed item (reviewers look at the file before approving it)."""
    version = selectors.access_version(user=request.user, courseware=pk, pk=version_pk)
    return serve_version(request, version, inline=True)
