from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase

from dangjian.core.request_context import client_ip_of, reset_client_ip, set_client_ip

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data: blob:",
        "style-src 'self' 'unsafe-inline'",
        "script-src 'self'",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(self)"
# Pages that scan QR codes with the phone's camera (activities check-in) open it for this origin only.
CAMERA_PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(self)"
CAMERA_ATTRIBUTE = "uses_camera"

View = Callable[..., HttpResponseBase]


def uses_camera(view: View) -> View:
    """Marks the view's responses as a camera page: the middleware then sends `camera=(self)`. The mark is
    an attribute of the response the server made, so nothing a client sends can open the camera."""

    @wraps(view)
    def marked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        setattr(response, CAMERA_ATTRIBUTE, True)
        return response

    return marked


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = set_client_ip(client_ip_of(request))
        try:
            return self.get_response(request)
        finally:
            reset_client_ip(token)


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: CSP and a restrictive Permissions-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/v1/docs"):
            # The OpenAPI page of django-ninja loads its own inline bootstrap script.
            response.headers.setdefault(
                "Content-Security-Policy",
                CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'"),
            )
        else:
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        camera = getattr(response, CAMERA_ATTRIBUTE, False) is True
        response.headers.setdefault(
            "Permissions-Policy", CAMERA_PERMISSIONS_POLICY if camera else PERMISSIONS_POLICY
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response
