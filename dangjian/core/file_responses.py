"""Serving a stored file (anything reachable through Django's storage API) to a browser.

- Never as a page: the type goes out only if it is one the upload checks produce, else as bytes;
  `inline` is honoured only for types a browser shows without running anything of the file's (PDF,
  raster images, MP4); everything else, HTML and SVG above all, is an attachment. `nosniff` and a CSP
  that allows no scripts go with every file.
- HTTP range requests (RFC 9110 §14): one `bytes=` range gets 206 with exactly those bytes, so that a
  phone's video player can seek; a range beyond the end gets 416; a malformed header, several ranges
  or an `If-Range` that does not match are answered with the whole file (200), as the RFC allows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.core.files import File
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.http import content_disposition_header

INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png", "image/webp", "video/mp4"})
SERVED_TYPES = INLINE_TYPES | {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/epub+zip",
}
FILE_POLICY = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'"
CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1


class Unsatisfiable(Exception):
    """The range starts beyond the end of the file (416)."""


def parse_range(header: str, size: int) -> ByteRange | None:
    """The one range `header` asks for within a file of `size` bytes; None when the whole file should
    be sent (no header, a malformed one, several ranges); Unsatisfiable when nothing of it exists."""
    match = _RANGE.match(header.strip().replace(" ", ""))
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        suffix = int(last)
        if suffix == 0:
            raise Unsatisfiable
        return ByteRange(max(0, size - suffix), size - 1)
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if last and int(last) < start:
        return None  # syntactically invalid: ignored, the whole file is sent
    if start >= size:
        raise Unsatisfiable
    return ByteRange(start, end)


def file_response(
    request: HttpRequest,
    file: File,
    *,
    filename: str,
    content_type: str,
    inline: bool = False,
    etag: str = "",
) -> HttpResponseBase:
    """`file` (a FieldFile or any storage file) as a download, or shown in place when `inline` and
    its type is safe; whole (200) or one range (206), 416 for a range beyond the end."""
    served_type = content_type if content_type in SERVED_TYPES else "application/octet-stream"
    show_inline = inline and served_type in INLINE_TYPES
    size = int(file.size)
    byte_range = _requested_range(request, size, etag)
    if isinstance(byte_range, HttpResponse):
        return _secure(byte_range, inline=False)
    part = byte_range or ByteRange(0, size - 1)
    body: Iterator[bytes] = iter(()) if request.method == "HEAD" or size == 0 else _read(file, part)
    response = StreamingHttpResponse(body, content_type=served_type, status=206 if byte_range else 200)
    response["Content-Length"] = str(part.length if size else 0)
    if byte_range:
        response["Content-Range"] = f"bytes {part.start}-{part.end}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = content_disposition_header(not show_inline, filename) or "attachment"
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    if etag:
        response["ETag"] = etag
    return _secure(response, inline=show_inline)


def _requested_range(request: HttpRequest, size: int, etag: str) -> ByteRange | HttpResponse | None:
    header = request.headers.get("Range", "")
    if not header or request.method not in ("GET", "HEAD") or size == 0:
        return None
    if_range = request.headers.get("If-Range")
    if if_range is not None and (not etag or if_range.strip() != etag):
        return None
    try:
        return parse_range(header, size)
    except Unsatisfiable:
        refused = HttpResponse(status=416, content_type="text/plain; charset=utf-8")
        refused["Content-Range"] = f"bytes */{size}"
        refused.content = "请求的范围超出了文件长度".encode()
        return refused


def _secure(response: HttpResponseBase, *, inline: bool) -> HttpResponseBase:
    response["X-Content-Type-Options"] = "nosniff"
    # an inline PDF or video may sit in a frame of our own pages; nothing else frames a file
    response["Content-Security-Policy"] = FILE_POLICY + (
        "; frame-ancestors 'self'" if inline else "; frame-ancestors 'none'"
    )
    response["X-Frame-Options"] = "SAMEORIGIN" if inline else "DENY"
    return response


def _read(file: File, part: ByteRange) -> Iterator[bytes]:
    handle: IO[bytes] = file.open("rb")
    try:
        handle.seek(part.start)
        left = part.length
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
    finally:
        handle.close()
