"""Sending a courseware file, for the pages and the API alike: the live version shown in place or
downloaded (core.file_responses: safe types inline only, ranges), a download counted once."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponseBase

from dangjian.core.file_responses import file_response
from dangjian.courseware import services
from dangjian.courseware.models import Courseware, CoursewareVersion


def serve_version(request: HttpRequest, version: CoursewareVersion, *, inline: bool) -> HttpResponseBase:
    return file_response(
        request,
        version.file,
        filename=version.name,
        content_type=version.content_type,
        inline=inline,
        etag=f'"{version.sha256}"',
    )


def serve_live(request: HttpRequest, courseware: Courseware, *, download: bool) -> HttpResponseBase:
    """The live file: a preview (inline when its type is safe, never counted) or a download, counted
    when the whole file or its first bytes go out (a resumed range is not a new download)."""
    if courseware.live_version is None:
        raise Http404
    response = serve_version(request, courseware.live_version, inline=not download)
    if download and request.method == "GET" and _is_a_new_download(response):
        services.download_recorded(courseware=courseware)
    return response


def _is_a_new_download(response: HttpResponseBase) -> bool:
    if response.status_code == 200:
        return True
    return response.status_code == 206 and response.get("Content-Range", "").startswith("bytes 0-")
