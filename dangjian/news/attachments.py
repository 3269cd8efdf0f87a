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
        return AttachmentKind.VIDEO, CONTENT_TYPES[AttachmentKind.VIDEO]
    image_type = _image_type(upload)
    if image_type:
        return AttachmentKind.IMAGE, image_type
    raise ValidationError("只能上传 PDF、Office 文档、图片或 MP4 视频", code="unsupported")


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
