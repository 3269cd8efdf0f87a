"""Per-request facts that services need without every caller threading them through (the client IP
for the audit log, the lockout and the throttles). Set by `RequestContextMiddleware`; empty outside a
request."""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest

_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)


def _valid_ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip_of(request: HttpRequest) -> str:
    """The client's address, never taken from a header the client could have written.

    With `TRUSTED_PROXY_HOPS = n` (the number of reverse proxies in front of the app, each appending
    the address it saw to X-Forwarded-For), the client is the n-th entry from the right: anything to
    its left was sent by the client and is ignored. With 0 (no proxy, the default) the header is
    ignored altogether and the socket's address counts."""
    remote = _valid_ip(request.META.get("REMOTE_ADDR") or "") or "0.0.0.0"
    hops = settings.TRUSTED_PROXY_HOPS
    if hops <= 0:
        return remote
    entries = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(entries) < hops:
        return remote
    return _valid_ip(entries[-hops]) or remote


def set_client_ip(ip: str | None):
    return _client_ip.set(ip)


def reset_client_ip(token) -> None:
    _client_ip.reset(token)


def current_client_ip() -> str | None:
    return _client_ip.get()
