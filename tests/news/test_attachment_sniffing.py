"""Attachment sniffing by content: every accepted type and every refused one, with the first bytes real
files of that type start with. An ISO base media file is a video only when its `ftyp` brands are MP4's;
QuickTime, HEIC/HEIF/AVIF, 3GP and M4A share the box and are refused with a Chinese reason."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dangjian.news import attachments
from dangjian.news.attachments import ftyp_brands, sniff_attachment
from dangjian.news.models import AttachmentKind


def _ftyp(major: bytes, minor: int, *compatible: bytes) -> bytes:
    """An `ftyp` box as encoders write it, followed by the `free` and `mdat` boxes a real file has."""
    body = major + struct.pack(">I", minor) + b"".join(compatible)
    ftyp = struct.pack(">I", 8 + len(body)) + b"ftyp" + body
    return ftyp + b"\x00\x00\x00\x08free" + b"\x00\x00\x01\x00mdat" + b"\x00" * 248


def _image(fmt: str, **options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 16, 46)).save(out, format=fmt, **options)
    return out.getvalue()


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504  # .doc / .xls / .ppt / WPS compound file
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<</Type/Catalog>>\nendobj\ntrailer<<>>\n%%EOF\n"

# Heads of real MP4 files: ffmpeg (libx264), Android camera, iPhone "export as MP4", iTunes M4V, DASH.
MP4_HEADS = {
    "ffmpeg-isom": _ftyp(b"isom", 0x200, b"isom", b"iso2", b"avc1", b"mp41"),
    "android-mp42": _ftyp(b"mp42", 0, b"isom", b"mp42"),
    "iphone-mp42": _ftyp(b"mp42", 1, b"mp41", b"mp42", b"isom"),
    "mp41": _ftyp(b"mp41", 0, b"mp41", b"isom"),
    "iso2": _ftyp(b"iso2", 0x200, b"iso2", b"avc1", b"mp41"),
    "avc1": _ftyp(b"avc1", 0, b"avc1", b"isom"),
    "itunes-m4v": _ftyp(b"M4V ", 1, b"M4V ", b"M4A ", b"mp42", b"isom"),
    "dash-iso5": _ftyp(b"iso5", 0x200, b"iso5", b"iso6", b"mp41"),
}

# Heads of ISO base media files that are not MP4 video, and the reason each is refused.
NOT_MP4_HEADS = {
    "mov-ffmpeg": (_ftyp(b"qt  ", 0x200, b"qt  "), "QuickTime"),
    "mov-iphone": (_ftyp(b"qt  ", 0x20050300, b"qt  "), "QuickTime"),
    "heic-iphone": (_ftyp(b"heic", 0, b"mif1", b"heic"), "HEIC"),
    "heix": (_ftyp(b"heix", 0, b"mif1", b"heix"), "HEIC"),
    "mif1-samsung": (_ftyp(b"mif1", 0, b"mif1", b"heic"), "HEIC"),
    "heif-sequence": (_ftyp(b"msf1", 0, b"msf1", b"hevc"), "HEIC"),
    "mp4-brand-heic-inside": (_ftyp(b"isom", 0, b"isom", b"mif1", b"heic"), "HEIC"),
    "3gp4-android": (_ftyp(b"3gp4", 0, b"isom", b"3gp4"), "3GP"),
    "3gp5": (_ftyp(b"3gp5", 0x200, b"3gp5", b"isom"), "3GP"),
    "3g2a": (_ftyp(b"3g2a", 0, b"3g2a"), "3GP"),
    "m4a-itunes": (_ftyp(b"M4A ", 0, b"M4A ", b"mp42", b"isom"), "音频"),
    "canon-raw": (_ftyp(b"crx ", 1, b"crx ", b"isom"), "只能上传 MP4"),
    "truncated-box": (b"\x00\x00\x00\x0cftypisom" + b"\x00" * 64, "只能上传 MP4"),
}


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "data", "kind", "content_type"),
    [
        ("通知.pdf", PDF, AttachmentKind.PDF, "application/pdf"),
        ("通知.html", PDF, AttachmentKind.PDF, "application/pdf"),
        ("报表.docx", _docx(), AttachmentKind.OFFICE, "application/octet-stream"),
        ("报表.XLSX", _docx(), AttachmentKind.OFFICE, "application/octet-stream"),
        ("旧版.doc", OLE, AttachmentKind.OFFICE, "application/octet-stream"),
        ("旧版.wps", OLE, AttachmentKind.OFFICE, "application/octet-stream"),
        ("照片.jpg", _image("JPEG"), AttachmentKind.IMAGE, "image/jpeg"),
        ("照片.svg", _image("PNG"), AttachmentKind.IMAGE, "image/png"),
        ("照片.webp", _image("WEBP"), AttachmentKind.IMAGE, "image/webp"),
        ("动图.gif", _image("GIF"), AttachmentKind.IMAGE, "image/gif"),
    ],
    ids=["pdf", "pdf-named-html", "docx", "xlsx-upper", "doc", "wps", "jpeg", "png-named-svg", "webp", "gif"],
)
def test_accepted_types(name, data, kind, content_type) -> None:
    upload = _upload(name, data)
    assert sniff_attachment(upload) == (kind, content_type)
    assert upload.tell() == 0  # the file is stored from its start


@pytest.mark.parametrize("head", MP4_HEADS.values(), ids=MP4_HEADS.keys())
def test_mp4_brands_are_video(head) -> None:
    assert sniff_attachment(_upload("宣传片.mov", head)) == (AttachmentKind.VIDEO, "video/mp4")


@pytest.mark.parametrize(("head", "reason"), NOT_MP4_HEADS.values(), ids=NOT_MP4_HEADS.keys())
def test_other_iso_media_is_refused_with_a_reason(head, reason) -> None:
    with pytest.raises(ValidationError) as refused:
        sniff_attachment(_upload("宣传片.mp4", head))
    assert refused.value.code == "unsupported_video"
    assert reason in refused.value.messages[0]
    assert "请" in refused.value.messages[0] or "只能" in refused.value.messages[0]


def test_a_real_avif_picture_is_refused() -> None:
    data = _image("AVIF")
    assert ftyp_brands(data)[0] == b"avif"
    with pytest.raises(ValidationError, match="HEIC/HEIF/AVIF"):
        sniff_attachment(_upload("照片.mp4", data))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("页面.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("图标.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("程序.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100),
        ("压缩包.zip", _docx()),  # a ZIP is an Office file only under an Office name
        ("旧版.bin", OLE),
        ("位图.bmp", _image("BMP")),
        ("扫描.tiff", _image("TIFF")),
        ("文本.txt", "党员大会纪要".encode()),
    ],
    ids=["html", "svg", "exe", "zip", "ole-without-office-name", "bmp", "tiff", "text"],
)
def test_other_types_are_refused(name, data) -> None:
    with pytest.raises(ValidationError) as refused:
        sniff_attachment(_upload(name, data))
    assert refused.value.code == "unsupported"
    assert refused.value.messages == ["只能上传 PDF、Office 文档、图片或 MP4 视频"]


def test_empty_and_too_large_files_are_refused() -> None:
    with pytest.raises(ValidationError, match="文件是空的"):
        sniff_attachment(_upload("空.pdf", b""))
    big = _upload("大.pdf", PDF)
    big.size = attachments.MAX_BYTES + 1
    with pytest.raises(ValidationError, match="50 MB"):
        sniff_attachment(big)


def test_ftyp_brands_reads_major_and_compatible() -> None:
    head = MP4_HEADS["ffmpeg-isom"]
    assert ftyp_brands(head) == (b"isom", [b"isom", b"iso2", b"avc1", b"mp41"])
    assert ftyp_brands(b"\x00\x00\x00\x08ftyp") == (b"", [])
    assert ftyp_brands(PDF) == (b"", [])
