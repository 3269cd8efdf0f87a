from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils._os import safe_join
from django.views.decorators.http import require_GET


def page_forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/403_csrf.html", status=403)


@require_GET
def serve_media(request: HttpRequest, path: str) -> FileResponse:
    """Local media for the embedded default; production serves media from object storage.
    Files are sent as inert downloads of their own type, never rendered as HTML."""
    try:
        full = Path(safe_join(str(settings.MEDIA_ROOT), path))
    except Exception as exc:
        raise Http404 from exc
    if not full.is_file():
        raise Http404
    response = FileResponse(full.open("rb"))
    if response.headers.get("Content-Type", "").startswith(("text/html", "image/svg")):
        response.headers["Content-Type"] = "application/octet-stream"
        response.headers["Content-Disposition"] = "attachment"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
