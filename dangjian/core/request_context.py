"""Per-request facts that services need without every caller threading them through (the client IP
for the audit log). Set by `RequestContextMiddleware`; empty outside a request."""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest

_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)


def client_ip_of(request: HttpRequest) -> str:
    if getattr(settings, "USE_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


def set_client_ip(ip: str | None):
    return _client_ip.set(ip)


def reset_client_ip(token) -> None:
    _client_ip.reset(token)


def current_client_ip() -> str | None:
    return _client_ip.get()
