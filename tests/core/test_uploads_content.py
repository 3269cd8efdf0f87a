"""core.uploads.check_upload: a file is what its bytes say, whatever its name (issue 11 §6 acceptance:
HTML or PHP renamed .pdf, SVG with a script renamed .png and oversized files are refused, in Chinese)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from dangjian.core.uploads import FileKind, check_quota, check_upload, human_size, stored_name
from tests.courseware import samples as s


@pytest.mark.parametrize(
    ("name", "data", "kind", "content_type", "extension"),
    [
        ("讲义.pdf", s.PDF, FileKind.PDF, "application/pdf", "pdf"),
        ("讲义.docx", s.office("docx"), FileKind.DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
        ("课件.pptx", s.office("pptx"), FileKind.PPTX, "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
        ("统计.xlsx", s.office("xlsx"), FileKind.XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        ("党课.mp4", s.MP4, FileKind.MP4, "video/mp4", "mp4"),
        ("读本.epub", s.epub(), FileKind.EPUB, "application/epub+zip", "epub"),
        ("照片.png", s.png(), FileKind.IMAGE, "image/png", "png"),
        # the name does not matter, only the content
        ("讲义.html", s.PDF, FileKind.PDF, "application/pdf", "pdf"),
        ("课件.pdf", s.office("pptx"), FileKind.PPTX, "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
        ("视频", s.MP4, FileKind.MP4, "video/mp4", "mp4"),
    ],
)  # fmt: skip
def test_kind_comes_from_the_content(name, data, kind, content_type, extension) -> None:
    checked = check_upload(s.upload(name, data))
    assert (checked.kind, checked.content_type, checked.extension) == (kind, content_type, extension)
    assert checked.size > 0


@pytest.mark.parametrize(
    ("name", "data", "code", "words"),
    [
        ("讲义.pdf", s.HTML, "markup", "网页或脚本"),
        ("讲义.pdf", s.PHP, "markup", "网页或脚本"),
        ("照片.png", s.SVG, "svg", "SVG"),
        ("照片.png", b"  <svg onload='alert(1)'></svg>", "svg", "SVG"),
        ("宏.docx", s.office("docm"), "macro", "含宏"),
        ("压缩包.docx", s.plain_zip(), "unsupported", "只能上传"),
        ("坏.docx", b"PK\x03\x04broken", "unsupported", "损坏"),
        ("影片.mp4", s.MOV, "unsupported_video", "MOV"),
        ("照片.mp4", s.HEIC, "unsupported_video", "HEIC"),
        ("说明.txt", "纯文本".encode(), "unsupported", "只能上传"),
        ("空.pdf", b"", "empty", "空"),
    ],
)
def test_impostors_are_refused_with_a_clear_message(name, data, code, words) -> None:
    with pytest.raises(ValidationError) as refused:
        check_upload(s.upload(name, data))
    assert refused.value.code == code
    assert words in refused.value.messages[0]


def test_an_image_is_re_encoded_so_a_script_tail_is_gone() -> None:
    checked = check_upload(s.upload("海报.png", s.png() + b"<script>alert(1)</script>"))
    stored = checked.file.read()
    assert stored.startswith(b"\x89PNG") and b"<script>" not in stored


def test_only_the_kinds_asked_for() -> None:
    with pytest.raises(ValidationError) as refused:
        check_upload(s.upload("照片.png", s.png()), kinds=[FileKind.PDF, FileKind.EPUB])
    assert refused.value.code == "unsupported"
    assert "PDF 文档、电子书" in refused.value.messages[0]
    assert "图片" in refused.value.messages[0]


@override_settings(
    UPLOAD_MAX_BYTES={"pdf": 40, "docx": 1, "pptx": 1, "xlsx": 1, "mp4": 10_000, "epub": 1, "image": 1}
)
def test_each_kind_has_its_own_size_limit() -> None:
    with pytest.raises(ValidationError) as refused:
        check_upload(s.upload("讲义.pdf", s.PDF))
    assert refused.value.code == "too_large"
    assert refused.value.messages[0] == f"PDF 文档不能超过 40 B，这个文件有 {len(s.PDF)} B"
    assert check_upload(s.upload("党课.mp4", s.MP4)).kind is FileKind.MP4


def test_quota() -> None:
    check_quota(used=900, incoming=100, quota=1000)
    with pytest.raises(ValidationError) as refused:
        check_quota(used=900 * 1024 * 1024, incoming=200 * 1024 * 1024, quota=1024 * 1024 * 1024)
    assert refused.value.code == "over_quota"
    assert refused.value.messages[0].startswith(
        "超出个人存储空间：共 1 GB，已用 900 MB，剩余 124 MB，这个文件有 200 MB"
    )


@pytest.mark.parametrize(
    ("size", "text"), [(0, "0 B"), (1536, "1.5 KB"), (50 * 1024 * 1024, "50 MB"), (3 * 1024**4, "3072 GB")]
)
def test_human_size(size, text) -> None:
    assert human_size(size) == text


@pytest.mark.parametrize(
    ("original", "extension", "name"),
    [
        ("党课讲义.html", "pdf", "党课讲义.pdf"),
        ("../../etc/passwd", "pdf", "passwd.pdf"),
        ("C:\\Users\\张三\\课件.pptx", "pptx", "课件.pptx"),
        ("", "mp4", "文件.mp4"),
        ("a\x00b.pdf", "pdf", "ab.pdf"),
        ("长" * 300, "epub", "长" * 100 + ".epub"),
    ],
)
def test_stored_name(original, extension, name) -> None:
    assert stored_name(original, extension) == name
