"""The people pages (人员与角色管理): role grants and revocations, the audit trail, self-registration,
the people a station keeps and temporary passwords. They sit above the structure layer because their
forms and lists offer stations, buildings, units and organisations; the writes are `accounts.services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_scopes import scope, scopes_disabled

from dangjian.accounts import services
from dangjian.accounts.models import User
from dangjian.accounts.permissions import ALL_STATIONS, managed_role_assignments, managed_station_ids
from dangjian.accounts.selectors import access_role_assignment
from dangjian.accounts.views import BACKEND, safe_next
from dangjian.core.manage_views import ManagedListView, ManagedResource
from dangjian.core.models import AuditEvent
from dangjian.core.pagination import paginate, querystring_without_page
from dangjian.core.request_context import client_ip_of
from dangjian.people.forms import (
    AuditFilterForm,
    PersonFilterForm,
    PersonForm,
    RegisterForm,
    RoleFilterForm,
    RoleGrantForm,
)
from dangjian.people.selectors import (
    access_member_account,
    access_person,
    changeable_people,
    people_of_managed_stations,
)


class RoleList(ManagedListView):
    permission = "accounts.view_roles"
    title = "角色授权"
    headers = ["姓名", "角色", "范围", "授权时间", ""]
    row_template = "people/rows/role.html"
    create_url_name = "people:role_create"
    search_fields = ("user__real_name", "user__username", "user__mobile")
    search_placeholder = "姓名、用户名或手机号"
    filter_form_class = RoleFilterForm

    def get_queryset(self) -> QuerySet:
        return managed_role_assignments(self.request.user)


@login_required
@require_http_methods(["GET", "POST"])
def role_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("accounts.view_roles"):
        raise PermissionDenied
    form = RoleGrantForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.role_grant(
                actor=request.user,
                user=data["login"],
                role=data["role"],
                station=data["station"],
                building=data.get("building"),
                organization=data.get("organization"),
                grid=data.get("grid"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "已授权")
            return HttpResponseRedirect(reverse("people:role_list"))
    context = {"form": form, "title": "新增角色授权", "cancel_url": reverse("people:role_list")}
    return render(request, "manage/form.html", context)


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access_role_assignment(user=request.user, pk=pk, manage=True)
    try:
        services.role_revoke(actor=request.user, assignment=assignment)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已撤销授权")
    return HttpResponseRedirect(reverse("people:role_list"))


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """Admins filter the audit trail of the stations they govern (platform admins: everything)."""
    if not request.user.has_perm("accounts.view_audit"):
        raise PermissionDenied
    station_ids = managed_station_ids(request.user)
    with _audit_scope(station_ids):
        events: Any = AuditEvent.objects.select_related("actor", "station", "target_type")
        form = AuditFilterForm(request.GET or None, user=request.user)
        if form.is_valid():
            events = form.apply(events)
        page = paginate(request, events, per_page=30)
        context: dict[str, Any] = {
            "form": form,
            "page": page,
            "querystring": querystring_without_page(request),
        }
        return render(request, "people/audit.html", context)


def _audit_scope(station_ids: set[int] | None):
    if station_ids is ALL_STATIONS:
        return scopes_disabled()
    return scope(station=sorted(station_ids))


@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """自助注册 (§4.7): staff of resident units and residents of surrounding communities."""
    if request.user.is_authenticated:
        return HttpResponseRedirect(reverse("portal:home"))
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.register_person(
                form_user=form.instance, password=form.cleaned_data["password1"], ip=client_ip_of(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, person, backend=BACKEND)
            messages.success(request, "注册成功，欢迎使用楼宇党建共享平台")
            return HttpResponseRedirect(reverse("portal:home"))
    return render(request, "people/register.html", {"form": form})


PEOPLE = ManagedResource(
    namespace="people",
    name="person",
    path="manage/people",
    titles=("人员管理", "新增人员", "编辑人员"),
    form_class=PersonForm,
    manageable=changeable_people,
    listing=people_of_managed_stations,
    access=access_person,
    save=lambda form, actor, before: services.person_save(person=form.instance, actor=actor, before=before),
    permissions=("accounts.manage_people", "accounts.manage_people", "accounts.change_person"),
    headers=["姓名", "手机号码", "类别", "站点", "单位", "状态", ""],
    row_template="people/rows/person.html",
    search_fields=("real_name", "mobile", "username"),
    search_placeholder="姓名、手机号或用户名",
    filter_form_class=PersonFilterForm,
    edit_actions=lambda person: [
        ("重置密码", reverse("people:person_reset_password", kwargs={"pk": person.pk}))
    ],
)


@login_required
@require_http_methods(["GET", "POST"])
def person_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_person(user=request.user, pk=pk, manage=True)
    if request.method == "POST":
        try:
            password = services.password_reset_by_admin(person=person, actor=request.user)
        except PermissionDenied as refused:
            raise Http404 from refused
        return _temporary_password_shown(request, person, password, reverse("people:person_list"))
    context = {"person": person, "cancel_url": reverse("people:person_edit", kwargs={"pk": person.pk})}
    return render(request, "people/temporary_password_confirm.html", context)


def _temporary_password_shown(
    request: HttpRequest, person: User, password: str, back_url: str
) -> HttpResponse:
    context = {
        "person": person,
        "password": password,
        "hours": services.TEMPORARY_PASSWORD_HOURS,
        "back_url": back_url,
    }
    response = render(request, "people/temporary_password_done.html", context)
    add_never_cache_headers(response)  # the password is shown once: never from a cache
    return response


@login_required
@require_http_methods(["GET", "POST"])
def member_temporary_password(request: HttpRequest, pk: int) -> HttpResponse:
    """A temporary password for a member, from their record (§6.3 党员管理: imported members sign in for
    the first time this way): their organisation's secretary or officer for a member holding no role,
    or whoever governs the person. Anyone else gets the same 404 as for a missing person."""
    person = access_member_account(user=request.user, pk=pk)
    back_url = safe_next(request, reverse("portal:workpage"))
    if request.method == "POST":
        try:
            password = services.password_reset_for_member(person=person, actor=request.user)
        except PermissionDenied as refused:
            raise Http404 from refused
        return _temporary_password_shown(request, person, password, back_url)
    context = {"person": person, "cancel_url": back_url, "next": back_url}
    return render(request, "people/temporary_password_confirm.html", context)
