"""core.file_responses.file_response: downloads and in-place previews of stored files, with ranges
(issue 11 §6: a phone's video player seeks with range requests; nothing is ever served as a page)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.test import RequestFactory

from dangjian.core.file_responses import file_response

DATA = bytes(range(256)) * 40  # 10240 bytes, each position recognisable


@pytest.fixture
def stored(tmp_path):
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("video.mp4", ContentFile(DATA))
    return storage.open(name, "rb")


def _get(stored, *, method="get", content_type="video/mp4", inline=True, etag="", **headers):
    request = getattr(RequestFactory(), method)("/f", headers=headers)
    return file_response(
        request, stored, filename="党课视频.mp4", content_type=content_type, inline=inline, etag=etag
    )


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_whole_file_without_range(stored) -> None:
    response = _get(stored)
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(DATA))
    assert response["Accept-Ranges"] == "bytes"
    assert _body(response) == DATA


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=1000-1999", 1000, 1999),
        ("bytes=10000-", 10000, 10239),
        ("bytes=-240", 10000, 10239),
        ("bytes=10200-99999", 10200, 10239),  # an end past the file is cut to the last byte
        ("bytes=5-5", 5, 5),
        ("bytes=-999999", 0, 10239),
    ],
)
def test_a_range_gets_206_with_exactly_those_bytes(stored, header, start, end) -> None:
    response = _get(stored, Range=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{len(DATA)}"
    assert response["Content-Length"] == str(end - start + 1)
    assert _body(response) == DATA[start : end + 1]


@pytest.mark.parametrize("header", ["bytes=10240-", "bytes=20000-30000", "bytes=-0"])
def test_a_range_beyond_the_end_gets_416(stored, header) -> None:
    response = _get(stored, Range=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(DATA)}"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("header", ["bytes=5-1", "items=0-1", "bytes=0-1,5-9", "bytes=abc", "bytes=-"])
def test_a_range_the_server_may_ignore_gets_the_whole_file(stored, header) -> None:
    response = _get(stored, Range=header)
    assert response.status_code == 200
    assert _body(response) == DATA


def test_if_range_must_match_the_etag(stored) -> None:
    assert _get(stored, etag='"v1"', Range="bytes=0-9", If_Range='"v0"').status_code == 200
    matching = _get(stored, etag='"v1"', Range="bytes=0-9", If_Range='"v1"')
    assert matching.status_code == 206
    assert matching["ETag"] == '"v1"'


def test_head_sends_headers_only(stored) -> None:
    response = _get(stored, method="head", Range="bytes=0-9")
    assert response.status_code == 206
    assert response["Content-Length"] == "10"
    assert _body(response) == b""


@pytest.mark.parametrize(
    ("content_type", "inline", "served", "disposition"),
    [
        ("video/mp4", True, "video/mp4", "inline"),
        ("application/pdf", True, "application/pdf", "inline"),
        ("image/png", True, "image/png", "inline"),
        ("application/pdf", False, "application/pdf", "attachment"),
        ("text/html", True, "application/octet-stream", "attachment"),
        ("image/svg+xml", True, "application/octet-stream", "attachment"),
        ("application/epub+zip", True, "application/epub+zip", "attachment"),
    ],
)
def test_only_safe_types_are_shown_in_place(stored, content_type, inline, served, disposition) -> None:
    response = _get(stored, content_type=content_type, inline=inline)
    assert response["Content-Type"] == served
    assert response["Content-Disposition"].startswith(disposition)
    assert "filename*=utf-8''%E5%85%9A%E8%AF%BE%E8%A7%86%E9%A2%91.mp4" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "script-src" not in response["Content-Security-Policy"]
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


def test_an_empty_file(tmp_path) -> None:
    storage = FileSystemStorage(location=tmp_path)
    empty = storage.open(storage.save("empty.pdf", ContentFile(b"")), "rb")
    response = _get(empty, content_type="application/pdf", Range="bytes=0-10")
    assert response.status_code == 200
    assert response["Content-Length"] == "0"
    assert _body(response) == b""
