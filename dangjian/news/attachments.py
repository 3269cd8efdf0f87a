"""Attachment uploads: the kind is decided by the file's first bytes, not by its name (DESIGN.md)."""

from __future__ import annotations

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
    return {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}.get(kind)
