from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, QuerySet, When
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_scopes import scope, scopes_disabled

from dangjian.accounts import services
from dangjian.accounts.forms import (
    AuditFilterForm,
    EmailPasswordResetForm,
    LoginForm,
    PersonFilterForm,
    PersonForm,
    ProfileForm,
    RegisterForm,
    RoleFilterForm,
    RoleGrantForm,
    SmsCodeForm,
    SmsResetForm,
    StyledPasswordChangeForm,
    StyledSetPasswordForm,
    TokenForm,
)
from dangjian.accounts.models import CodePurpose, RoleAssignment, User
from dangjian.accounts.permissions import ALL_STATIONS, governed_people_q, managed_station_ids
from dangjian.core.audit import snapshot
from dangjian.core.manage_views import ManagedListView, ManagedResource
from dangjian.core.models import AuditEvent
from dangjian.core.pagination import paginate, querystring_without_page
from dangjian.core.parsing import positive_int_or_none
from dangjian.core.request_context import client_ip_of
from dangjian.stations.selectors import restrict_to_stations


def _safe_next(request: HttpRequest, default: str | None = None) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default or reverse("portal:home")


BACKEND = "dangjian.accounts.backends.UsernameOrMobileBackend"


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_in(
                request,
                ip=client_ip_of(request),
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except services.LoginRefused as refused:
            form.add_error(None, refused.message)
        else:
            login(request, user, backend=BACKEND)
            return HttpResponseRedirect(_safe_next(request, services.landing_url(user)))
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "您已安全退出")
    return HttpResponseRedirect(reverse("portal:home"))


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    before = snapshot(user, fields=["real_name", "mobile", "email"])  # type: ignore[arg-type]
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(user=form.instance, before=before)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "个人信息已更新")
            return HttpResponseRedirect(request.path)
    roles = RoleAssignment.objects.filter(user_id=request.user.pk or 0).select_related(
        "station", "building", "organization", "grid__building"
    )
    return render(request, "accounts/profile.html", {"form": form, "roles": roles})


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = StyledPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        forced = form.user.must_change_password
        form.save()
        update_session_auth_hash(request, form.user)
        services.password_changed(user=form.user)
        messages.success(request, "密码已修改")
        # After the forced change of a temporary password the person goes on to their work page.
        return HttpResponseRedirect(
            services.landing_url(form.user) if forced else reverse("accounts:profile")
        )
    return render(request, "accounts/password.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _, new_secret = services.token_create(user=request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = TokenForm()
    user_tokens = request.user.api_tokens.all()  # type: ignore[union-attr]
    return render(
        request, "accounts/tokens.html", {"form": form, "tokens": user_tokens, "new_secret": new_secret}
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens, pk=pk)  # type: ignore[union-attr]
    services.token_revoke(user=request.user, token=token)  # type: ignore[arg-type]
    messages.success(request, "令牌已撤销")
    return HttpResponseRedirect(reverse("accounts:tokens"))


class RoleList(ManagedListView):
    permission = "accounts.view_roles"
    title = "角色授权"
    headers = ["姓名", "角色", "范围", "授权时间", ""]
    row_template = "accounts/rows/role.html"
    create_url_name = "accounts:role_create"
    search_fields = ("user__real_name", "user__username", "user__mobile")
    search_placeholder = "姓名、用户名或手机号"
    filter_form_class = RoleFilterForm

    def get_queryset(self) -> QuerySet:
        return restrict_to_stations(
            RoleAssignment.objects.select_related(
                "user", "station", "building", "organization", "grid__building"
            ),
            managed_station_ids(self.request.user),
        )


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
            return HttpResponseRedirect(reverse("accounts:role_list"))
    context = {"form": form, "title": "新增角色授权", "cancel_url": reverse("accounts:role_list")}
    return render(request, "manage/form.html", context)


@login_required
@require_POST
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = restrict_to_stations(
        RoleAssignment.objects.select_related("station", "user"), managed_station_ids(request.user)
    )
    assignment = get_object_or_404(queryset, pk=pk)
    try:
        services.role_revoke(actor=request.user, assignment=assignment)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已撤销授权")
    return HttpResponseRedirect(reverse("accounts:role_list"))


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
        return render(request, "accounts/audit.html", context)


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
    return render(request, "accounts/register.html", {"form": form})


def _people_of_managed_stations(user: Any) -> QuerySet:
    """The list: everyone whose home station the admin keeps, marked with whether the admin may change
    them (someone holding roles at another station or at HQ is listed but not editable)."""
    return (
        restrict_to_stations(
            User.objects.select_related("home_station", "resident_unit", "organization"),
            managed_station_ids(user),
            field="home_station_id",
        )
        .annotate(can_change=Case(When(governed_people_q(user), then=True), default=False))
        .order_by("home_station_id", "real_name", "id")
    )


def _changeable_people(user: Any) -> QuerySet:
    return _people_of_managed_stations(user).filter(governed_people_q(user))


PEOPLE = ManagedResource(
    namespace="accounts",
    name="person",
    path="manage/people",
    titles=("人员管理", "新增人员", "编辑人员"),
    form_class=PersonForm,
    manageable=_changeable_people,
    listing=_people_of_managed_stations,
    save=lambda form, actor, before: services.person_save(person=form.instance, actor=actor, before=before),
    permissions=("accounts.manage_people", "accounts.manage_people", "accounts.change_person"),
    headers=["姓名", "手机号码", "类别", "站点", "单位", "状态", ""],
    row_template="accounts/rows/person.html",
    search_fields=("real_name", "mobile", "username"),
    search_placeholder="姓名、手机号或用户名",
    filter_form_class=PersonFilterForm,
    edit_actions=lambda person: [
        ("重置密码", reverse("accounts:person_reset_password", kwargs={"pk": person.pk}))
    ],
)


@login_required
@require_http_methods(["GET", "POST"])
def person_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(_changeable_people(request.user), pk=pk)
    if request.method == "POST":
        try:
            password = services.password_reset_by_admin(person=person, actor=request.user)
        except PermissionDenied as refused:
            raise Http404 from refused
        return _temporary_password_shown(request, person, password, reverse("accounts:person_list"))
    context = {"person": person, "cancel_url": reverse("accounts:person_edit", kwargs={"pk": person.pk})}
    return render(request, "accounts/temporary_password_confirm.html", context)


def _temporary_password_shown(
    request: HttpRequest, person: User, password: str, back_url: str
) -> HttpResponse:
    context = {
        "person": person,
        "password": password,
        "hours": services.TEMPORARY_PASSWORD_HOURS,
        "back_url": back_url,
    }
    response = render(request, "accounts/temporary_password_done.html", context)
    add_never_cache_headers(response)  # the password is shown once: never from a cache
    return response


@login_required
@require_http_methods(["GET", "POST"])
def member_temporary_password(request: HttpRequest, pk: int) -> HttpResponse:
    """A temporary password for a member, from their record (§6.3 党员管理: imported members sign in for
    the first time this way): their organisation's secretary or officer for a member holding no role,
    or whoever governs the person. Anyone else gets the same 404 as for a missing person."""
    person_pk = positive_int_or_none(str(pk))
    person = User.objects.filter(pk=person_pk).select_related("home_station").first() if person_pk else None
    if person is None or not request.user.has_perm("accounts.reset_member_password", person):
        raise Http404
    back_url = _safe_next(request, reverse("portal:workpage"))
    if request.method == "POST":
        try:
            password = services.password_reset_for_member(person=person, actor=request.user)
        except PermissionDenied as refused:
            raise Http404 from refused
        return _temporary_password_shown(request, person, password, back_url)
    context = {"person": person, "cancel_url": back_url, "next": back_url}
    return render(request, "accounts/temporary_password_confirm.html", context)


# ---------------------------------------------------------------- 忘记密码: e-mailed link


class PasswordResetStart(auth_views.PasswordResetView):
    """Step 1: an e-mail address. The answer is the same whether an account uses it or not; throttled
    per IP and per address (counted in the database)."""

    form_class = EmailPasswordResetForm
    template_name = "accounts/password_forgot.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    title = "找回密码"

    def form_valid(self, form: Any) -> HttpResponse:
        allowed = services.password_reset_allowed(
            email=form.cleaned_data["email"], ip=client_ip_of(self.request)
        )
        if not allowed:
            form.add_error(None, "找回密码的请求过于频繁，请一小时后再试")
            return self.form_invalid(form)
        self.extra_email_context = {"site_url": settings.SITE_URL.rstrip("/")}
        return super().form_valid(form)


class PasswordResetSent(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_forgot_sent.html"
    title = "邮件已发送"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        hours = max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)
        return {**super().get_context_data(**kwargs), "timeout_hours": hours}


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """Step 2: the e-mailed link; a new password ends the temporary-password flags and every token."""

    form_class = StyledSetPasswordForm
    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    title = "设置新密码"

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_reset_completed(user=form.user, channel="email")
        return response


class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_set_done.html"
    title = "密码已重置"


# ---------------------------------------------------------------- 短信验证码: sign in or reset


def _sms_page(request: HttpRequest, *, reset: bool) -> HttpResponse:
    sending = "send" in request.POST
    form_class = SmsResetForm if reset else SmsCodeForm
    form = form_class(request.POST or None, sending=sending)
    sent = False
    if request.method == "POST" and form.is_valid():
        ip, mobile = client_ip_of(request), form.cleaned_data["mobile"]
        purpose = CodePurpose.RESET if reset else CodePurpose.LOGIN
        try:
            if sending:
                services.sms_code_request(mobile=mobile, purpose=purpose, ip=ip)
            elif reset:
                services.sms_password_reset(
                    mobile=mobile,
                    code=form.cleaned_data["code"],
                    password=form.cleaned_data["new_password1"],
                    ip=ip,
                )
            else:
                user = services.sms_sign_in(mobile=mobile, code=form.cleaned_data["code"], ip=ip)
        except services.CodeRefused as refused:
            form.add_error(None, refused.message)
        except ValidationError as error:
            form.add_error("new_password1" if reset else None, error)
        else:
            if sending:
                sent = True
            elif reset:
                messages.success(request, "密码已重置，请用新密码登录")
                return HttpResponseRedirect(reverse("accounts:login"))
            else:
                login(request, user, backend=BACKEND)
                return HttpResponseRedirect(_safe_next(request, services.landing_url(user)))
    context = {
        "form": form,
        "sent": sent,
        "reset": reset,
        "minutes": services.SMS_CODE_MINUTES,
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "title": "短信验证码重置密码" if reset else "短信验证码登录",
    }
    return render(request, "accounts/sms.html", context)


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def sms_login(request: HttpRequest) -> HttpResponse:
    return _sms_page(request, reset=False)


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def sms_reset(request: HttpRequest) -> HttpResponse:
    return _sms_page(request, reset=True)
