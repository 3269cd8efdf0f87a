from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from dangjian.accounts import selectors, services
from dangjian.accounts.forms import (
    EmailPasswordResetForm,
    LoginForm,
    ProfileForm,
    SmsCodeForm,
    SmsResetForm,
    StyledPasswordChangeForm,
    StyledSetPasswordForm,
    TokenForm,
)
from dangjian.accounts.models import CodePurpose
from dangjian.core.audit import snapshot
from dangjian.core.request_context import client_ip_of


def safe_next(request: HttpRequest, default: str | None = None) -> str:
    """The `next` of the request when it stays on this site, else `default` (the home page)."""
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
            return HttpResponseRedirect(safe_next(request, services.landing_url(user)))
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
    roles = selectors.role_assignments_of(request.user)
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
    token = selectors.access_token(user=request.user, pk=pk)
    services.token_revoke(user=request.user, token=token)  # type: ignore[arg-type]
    messages.success(request, "令牌已撤销")
    return HttpResponseRedirect(reverse("accounts:tokens"))


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
                return HttpResponseRedirect(safe_next(request, services.landing_url(user)))
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
