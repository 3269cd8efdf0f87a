"""Attachment uploads: the kind is decided by the file's first bytes, not by its name (DESIGN.md), and
the file is stored and downloaded under a name ending with the extension of that detected type."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from dangjian.news.models import AttachmentKind

MAX_BYTES = 50 * 1024 * 1024
OFFICE_SUFFIXES = (".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".et", ".dps")
CONTENT_TYPES = {
    AttachmentKind.PDF: "application/pdf",
    AttachmentKind.OFFICE: "application/octet-stream",
    AttachmentKind.VIDEO: "video/mp4",
}
IMAGE_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}
# The extension of each detected type; Office documents keep the Office suffix the sniffing required.
EXTENSIONS = {
    "application/pdf": ".pdf",
    "video/mp4": ".mp4",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/gif": ".gif",
}
SAFE_CONTENT_TYPES = {*EXTENSIONS, "application/octet-stream"}
MAX_NAME = 120
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,8}$")

# An ISO base media file (`ftyp` box) is MP4 only when its major brand says so: the same box heads
# QuickTime movies, HEIC photos and 3GP clips, which browsers do not play as `video/mp4`.
MP4_BRANDS = frozenset(
    {
        b"isom",
        b"iso2",
        b"iso3",
        b"iso4",
        b"iso5",
        b"iso6",
        b"mp41",
        b"mp42",
        b"avc1",
        b"M4V ",
        b"M4VH",
        b"M4VP",
    }
)
# Still-image brands (HEIF/AVIF): an "MP4" that lists one of these is a picture, not a video.
IMAGE_BRANDS = frozenset(
    {b"mif1", b"msf1", b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"avif", b"avis"}
)
REFUSED_BRANDS = {
    b"qt  ": "不支持 QuickTime（MOV）视频，请转换为 MP4（H.264）格式后上传",
    **dict.fromkeys(IMAGE_BRANDS, "不支持 HEIC/HEIF/AVIF 图片，请转换为 JPEG 或 PNG 格式后上传"),
    **{
        brand: "不支持 3GP 手机视频，请转换为 MP4（H.264）格式后上传"
        for brand in (
            b"3gp4",
            b"3gp5",
            b"3gp6",
            b"3gp7",
            b"3gg6",
            b"3ge6",
            b"3gs6",
            b"3g2a",
            b"3g2b",
            b"3g2c",
        )
    },
    **dict.fromkeys((b"M4A ", b"M4B ", b"M4P "), "不支持 M4A 等音频文件，只能上传 MP4 视频"),
}
FTYP_MAX = 1024  # enough for any real list of compatible brands


def sniff_attachment(upload: UploadedFile) -> tuple[AttachmentKind, str]:
    """(kind, content type) of an upload, or ValidationError in Chinese."""
    if not upload.size:
        raise ValidationError("文件是空的", code="empty")
    if upload.size > MAX_BYTES:
        raise ValidationError("附件不能超过 50 MB", code="too_large")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    name = (upload.name or "").lower()
    if head.startswith(b"%PDF-"):
        return AttachmentKind.PDF, CONTENT_TYPES[AttachmentKind.PDF]
    if (head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0")) and name.endswith(
        OFFICE_SUFFIXES
    ):
        return AttachmentKind.OFFICE, CONTENT_TYPES[AttachmentKind.OFFICE]
    if head[4:8] == b"ftyp":
        _require_mp4(upload)
        return AttachmentKind.VIDEO, CONTENT_TYPES[AttachmentKind.VIDEO]
    image_type = _image_type(upload)
    if image_type:
        return AttachmentKind.IMAGE, image_type
    raise ValidationError("只能上传 PDF、Office 文档、图片或 MP4 视频", code="unsupported")


def ftyp_brands(head: bytes) -> tuple[bytes, list[bytes]]:
    """(major brand, compatible brands) of a file that starts with an ISO base media `ftyp` box."""
    size = int.from_bytes(head[:4], "big")
    if size == 0:  # the box runs to the end of the file
        size = len(head)
    if size < 16 or head[4:8] != b"ftyp":
        return b"", []
    box = head[:size]
    compatible = [box[i : i + 4] for i in range(16, len(box) - 3, 4)]
    return box[8:12], compatible


def _require_mp4(upload: UploadedFile) -> None:
    upload.seek(0)
    head = upload.read(FTYP_MAX)
    upload.seek(0)
    major, compatible = ftyp_brands(head)
    refused = next((b for b in (major, *compatible) if b in IMAGE_BRANDS), None)
    if major not in MP4_BRANDS:
        refused = major
    if refused is None:
        return
    message = REFUSED_BRANDS.get(refused, "只能上传 MP4（H.264）视频，此文件是其他格式的媒体文件")
    raise ValidationError(message, code="unsupported_video")


def _image_type(upload: UploadedFile) -> str | None:
    try:
        with Image.open(upload) as image:
            image.verify()
            kind = (image.format or "").lower()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    finally:
        upload.seek(0)
    return IMAGE_TYPES.get(kind)


def detected_extension(content_type: str, name: str) -> str:
    """The extension of the type an attachment was detected as (".pdf" for a PDF named `x.html`)."""
    if content_type in EXTENSIONS:
        return EXTENSIONS[content_type]
    suffix = _EXTENSION.search(name or "")
    if suffix and suffix.group(0).lower() in OFFICE_SUFFIXES:
        return suffix.group(0).lower()
    return ".bin"


def served_content_type(content_type: str) -> str:
    """Only the types sniffing produces are ever sent; anything else goes out as bytes."""
    return content_type if content_type in SAFE_CONTENT_TYPES else "application/octet-stream"


def attachment_name(name: str, content_type: str) -> str:
    """The uploaded name with its extension replaced by the detected type's: `报告.html` → `报告.pdf`.
    Chinese names are kept; unprintable characters and path separators are dropped; at most 120 chars."""
    extension = detected_extension(content_type, name)
    cleaned = "".join(c for c in (name or "") if c.isprintable() and c not in "/\\")
    stem = _EXTENSION.sub("", cleaned.strip())
    if stem.lower().endswith(extension):
        stem = stem[: -len(extension)]
    stem = stem.strip(" .") or "附件"
    return stem[: MAX_NAME - len(extension)] + extension
