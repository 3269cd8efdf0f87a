"""Annual-plan documents: the type is decided by the file's first bytes, not by its name (DESIGN.md), and
the stored name ends with the extension of the detected type."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

MAX_BYTES = 20 * 1024 * 1024
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc / .wps / .xls of old Office and WPS
ZIP = b"PK\x03\x04"  # .docx / .xlsx (Office Open XML)
OOXML_SUFFIXES = {".docx", ".xlsx", ".pptx"}
OLE2_SUFFIXES = {".doc", ".wps", ".xls", ".et", ".ppt", ".dps"}
REFUSAL = "年度计划文件请上传 PDF、Word（doc/docx）、WPS 或 Excel 格式"


def clean_plan_document(upload: UploadedFile) -> ContentFile:
    """A copy of an accepted upload under a random name with the detected type's extension."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(f"计划文件不能超过 {MAX_BYTES // (1024 * 1024)} MB", code="too_large")
    upload.seek(0)
    content = upload.read()
    if not content:
        raise ValidationError("计划文件是空的", code="empty")
    extension = _extension(content, upload.name or "")
    if extension is None:
        raise ValidationError(REFUSAL, code="bad_type")
    return ContentFile(content, name=f"{uuid.uuid4().hex}{extension}")


def _extension(content: bytes, name: str) -> str | None:
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if content.startswith(b"%PDF-"):
        return ".pdf"
    if content.startswith(ZIP) and b"[Content_Types].xml" in content[:4096]:
        return suffix if suffix in OOXML_SUFFIXES else ".docx"
    if content.startswith(OLE2):
        return suffix if suffix in OLE2_SUFFIXES else ".doc"
    return None
