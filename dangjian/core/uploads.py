"""Uploaded images: the type is decided by decoding the content, not by the name; the image is
re-encoded so that nothing but pixels survives (no scripts, no EXIF location)."""

from __future__ import annotations

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

ALLOWED_IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "png"}
MAX_IMAGE_SIDE = 4096


def clean_image_upload(upload: UploadedFile) -> ContentFile:
    if upload.size and upload.size > settings.UPLOAD_IMAGE_MAX_BYTES:
        limit_mb = settings.UPLOAD_IMAGE_MAX_BYTES // (1024 * 1024)
        raise ValidationError(f"图片不能超过 {limit_mb} MB", code="too_large")
    try:
        upload.seek(0)
        image = Image.open(upload)
        image.verify()
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError("请上传 JPG、PNG 或 WebP 格式的图片", code="not_image") from exc
    source_format = image.format or ""
    if source_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError("请上传 JPG、PNG 或 WebP 格式的图片", code="not_image")
    image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
    return _reencode(image, ALLOWED_IMAGE_FORMATS[source_format])


def _reencode(image: Image.Image, extension: str) -> ContentFile:
    out = io.BytesIO()
    if extension == "jpg":
        image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
    elif extension == "webp":
        image.save(out, format="WEBP", quality=85)
    else:
        image.convert("RGBA").save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
