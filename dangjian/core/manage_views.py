"""Generic management pages (list, create, edit) shared by every capability.

An app subclasses these with its model's form, service and scoped queryset. Isolation is built in:
the edit view fetches the object through the app's `access_<thing>(user=…, pk=…, manage=True)`
(DESIGN.md "One visibility authority"), so an object of another station is a 404, never a 403 that
would confirm it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.views import View

from dangjian.core.access import fetch_or_404
from dangjian.core.audit import snapshot
from dangjian.core.pagination import paginate, querystring_without_page
from dangjian.core.services import editable_field_names


class ManagedListView(LoginRequiredMixin, View):
    """Paginated, filterable list of the records the user may manage."""

    permission: ClassVar[str]
    title: ClassVar[str]
    headers: ClassVar[list[str]]
    row_template: ClassVar[str]
    create_url_name: ClassVar[str | None] = None
    search_fields: ClassVar[tuple[str, ...]] = ()
    search_placeholder: ClassVar[str] = "搜索名称"
    filter_form_class: ClassVar[type[Any] | None] = None
    template_name: ClassVar[str] = "manage/list.html"

    request: HttpRequest

    def get_queryset(self) -> QuerySet:
        raise NotImplementedError

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()  # type: ignore[attr-defined]
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        self.request = request
        return self.get(request)

    def get(self, request: HttpRequest) -> HttpResponse:
        queryset = self.get_queryset()
        filter_form = (
            self.filter_form_class(request.GET or None, user=request.user) if self.filter_form_class else None
        )
        if filter_form is not None and filter_form.is_valid():
            queryset = filter_form.apply(queryset)  # type: ignore[attr-defined]
        query = request.GET.get("q", "").strip()[:50]
        if query and self.search_fields:
            condition = Q()
            for field in self.search_fields:
                condition |= Q(**{f"{field}__icontains": query})
            queryset = queryset.filter(condition)
        page = paginate(request, queryset)
        context = {
            "title": self.title,
            "headers": self.headers,
            "row_template": self.row_template,
            "page": page,
            "query": query,
            "search_enabled": bool(self.search_fields),
            "search_placeholder": self.search_placeholder,
            "filter_form": filter_form,
            "querystring": querystring_without_page(request),
            "create_url": reverse(self.create_url_name)
            if self.create_url_name and self.can_create()
            else None,
        }
        return render(request, self.template_name, context)

    def can_create(self) -> bool:
        return True


class ManagedFormView(LoginRequiredMixin, View):
    """Create or edit one record through its service; shared by `ManagedCreateView` and `ManagedUpdateView`."""

    form_class: ClassVar[type[Any]]
    title: ClassVar[str]
    success_url_name: ClassVar[str]
    template_name: ClassVar[str] = "manage/form.html"
    success_message: ClassVar[str] = "已保存"

    request: HttpRequest
    kwargs: dict[str, Any]
    object: Any = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()  # type: ignore[attr-defined]
        self.request, self.kwargs = request, kwargs
        self.prepare()
        if request.method == "POST":
            return self.post(request)
        if request.method in ("GET", "HEAD"):
            return self.render_form(self.build_form())
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})

    def prepare(self) -> None:
        """Check permission and load the object; raise PermissionDenied or Http404."""

    def build_form(self, data: Any = None, files: Any = None) -> BaseForm:
        return self.form_class(data, files, user=self.request.user, **self.form_kwargs())  # type: ignore[call-arg]

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def post(self, request: HttpRequest) -> HttpResponse:
        before = self.before_snapshot()
        form = self.build_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                saved = self.save(form, before)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, self.success_message)
                return HttpResponseRedirect(self.success_url(saved))
        return self.render_form(form, status=200)

    def before_snapshot(self) -> dict[str, Any] | None:
        return None

    def save(self, form: BaseForm, before: dict[str, Any] | None) -> Any:
        raise NotImplementedError

    def success_url(self, saved: Any) -> str:
        return reverse(self.success_url_name)

    def render_form(self, form: BaseForm, status: int = 200) -> HttpResponse:
        context = {
            "form": form,
            "title": self.title,
            "object": self.object,
            "cancel_url": reverse(self.success_url_name),
        }
        context.update(self.extra_context())
        return render(self.request, self.template_name, context, status=status)

    def extra_context(self) -> dict[str, Any]:
        return {}


class ManagedCreateView(ManagedFormView):
    """`permission` is checked without an object; the form limits choices to permitted stations."""

    permission: ClassVar[str]

    def prepare(self) -> None:
        if not self.request.user.has_perm(self.permission):
            raise PermissionDenied


class ManagedUpdateView(ManagedFormView):
    permission: ClassVar[str]  # checked against the object

    def get_object(self) -> Any:
        """The object to edit: an app overrides this with its `access_<thing>(…, manage=True)`; the
        default looks it up in `get_queryset()` (the same 404 for missing and forbidden)."""
        return fetch_or_404(self.get_queryset(), self.kwargs["pk"])

    def get_queryset(self) -> QuerySet:
        raise NotImplementedError

    def prepare(self) -> None:
        self.object = self.get_object()
        if not self.request.user.has_perm(self.permission, self.object):
            raise Http404

    def form_kwargs(self) -> dict[str, Any]:
        return {"instance": self.object}

    def before_snapshot(self) -> dict[str, Any] | None:
        return snapshot(self.object, fields=editable_field_names(self.object))


@dataclass(frozen=True)
class ManagedResource:
    """The list, create and edit pages of one kind of record, declared once.

    `access(user=…, pk=…, manage=True)` is the app's `access_<thing>` the edit page fetches the object
    with (isolation: anything the person may not change is a 404); `manageable(user)` is the list's
    queryset (and, for a resource without `access`, where the edit page looks objects up);
    `save(form, actor, before)` calls the capability's service (`before` is None on create).
    """

    namespace: str
    name: str  # URL names are <name>_list, <name>_create, <name>_edit
    path: str  # URL prefix inside the app's URLconf, e.g. "buildings"
    titles: tuple[str, str, str]  # list, create, edit
    form_class: type[Any]
    manageable: Callable[[Any], QuerySet]
    save: Callable[[Any, Any, dict[str, Any] | None], Any]
    permissions: tuple[str, str, str]  # list, create (no object), change (the object)
    headers: list[str]
    row_template: str
    search_fields: tuple[str, ...] = ()
    search_placeholder: str = "搜索名称"
    filter_form_class: type[Any] | None = None
    listing: Callable[[Any], QuerySet] | None = None  # list rows, when they need more than `manageable`
    can_create: Callable[[Any], bool] | None = None
    created_url: Callable[[Any], str] | None = None  # where to go after create; default: the list
    initial: Callable[[HttpRequest], dict[str, Any]] | None = None  # create form defaults from the query
    edit_actions: Callable[[Any], list[tuple[str, str]]] | None = (
        None  # (label, url) buttons on the edit page
    )
    access: Callable[..., Any] | None = None  # the app's access_<thing>(*, user, pk, manage)

    def url_name(self, page: str) -> str:
        return f"{self.namespace}:{self.name}_{page}"

    def urls(self) -> list[URLPattern]:
        return [
            path(f"{self.path}/", self._list_view(), name=f"{self.name}_list"),
            path(f"{self.path}/new/", self._create_view(), name=f"{self.name}_create"),
            path(f"{self.path}/<int:pk>/edit/", self._edit_view(), name=f"{self.name}_edit"),
        ]

    def _list_view(self) -> Callable[..., HttpResponseBase]:
        resource = self

        class ListPage(ManagedListView):
            permission = resource.permissions[0]
            title = resource.titles[0]
            headers = resource.headers
            row_template = resource.row_template
            create_url_name = resource.url_name("create")
            search_fields = resource.search_fields
            search_placeholder = resource.search_placeholder
            filter_form_class = resource.filter_form_class

            def get_queryset(self) -> QuerySet:
                return (resource.listing or resource.manageable)(self.request.user)

            def can_create(self) -> bool:
                return resource.can_create(self.request.user) if resource.can_create else True

        return ListPage.as_view()

    def _create_view(self) -> Callable[..., HttpResponseBase]:
        resource = self

        class CreatePage(ManagedCreateView):
            permission = resource.permissions[1]
            form_class = resource.form_class
            title = resource.titles[1]
            success_url_name = resource.url_name("list")

            def build_form(self, data: Any = None, files: Any = None) -> BaseForm:
                initial = resource.initial(self.request) if resource.initial and data is None else None
                return self.form_class(data, files, user=self.request.user, initial=initial)

            def save(self, form: BaseForm, before: dict[str, Any] | None) -> Any:
                return resource.save(form, self.request.user, None)

            def success_url(self, saved: Any) -> str:
                return resource.created_url(saved) if resource.created_url else reverse(self.success_url_name)

        return CreatePage.as_view()

    def _edit_view(self) -> Callable[..., HttpResponseBase]:
        resource = self

        class EditPage(ManagedUpdateView):
            permission = resource.permissions[2]
            form_class = resource.form_class
            title = resource.titles[2]
            success_url_name = resource.url_name("list")

            def get_object(self) -> Any:
                if resource.access is not None:
                    return resource.access(user=self.request.user, pk=self.kwargs["pk"], manage=True)
                return super().get_object()

            def get_queryset(self) -> QuerySet:
                return resource.manageable(self.request.user)

            def save(self, form: BaseForm, before: dict[str, Any] | None) -> Any:
                return resource.save(form, self.request.user, before)

            def extra_context(self) -> dict[str, Any]:
                return {"actions": resource.edit_actions(self.object) if resource.edit_actions else []}

        return EditPage.as_view()
