"""A person signed in with a temporary password goes nowhere but to choosing their own."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from dangjian.core.api_errors import error_response

PASSWORD_CHANGE_MESSAGE = "您正在使用临时密码，请先设置自己的新密码"
OPEN_PREFIXES = ("/static/", "/media/", "/healthz", "/favicon")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if getattr(user, "must_change_password", False) and not self._open(request.path):
            if request.path.startswith("/api/"):
                return error_response(403, "password_change_required", PASSWORD_CHANGE_MESSAGE)
            messages.warning(request, PASSWORD_CHANGE_MESSAGE)
            return HttpResponseRedirect(reverse("accounts:password_change"))
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        allowed = (reverse("accounts:password_change"), reverse("accounts:logout"))
        return path in allowed or path.startswith(OPEN_PREFIXES)
