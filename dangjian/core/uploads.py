"""Uploads: the type is decided by the content, never by the name (DESIGN.md).

- `clean_image_upload`: an image is decoded and re-encoded so that nothing but pixels survives (no
  scripts, no EXIF location);
- `check_upload`: documents, video, e-books and images for the courseware library and other files:
  PDF by its header, Office Open XML and EPUB by the parts of their zip package, MP4 by its `ftyp`
  brands, images by decoding; markup (HTML, PHP, SVG) is refused by name in the message; a size limit
  per kind (settings.UPLOAD_MAX_BYTES); `check_quota` for per-person storage.
"""

from __future__ import annotations

import io
import os
import re
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
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


# ------------------------------------------------------------------ documents, video and e-books
#
# `check_upload` decides what a file is from its bytes alone; the name it came with is only kept for
# display. Each kind has its own size limit (settings.UPLOAD_MAX_BYTES, in bytes by kind).


class FileKind(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    PPTX = "pptx"
    XLSX = "xlsx"
    MP4 = "mp4"
    EPUB = "epub"
    IMAGE = "image"


KIND_LABELS = {
    FileKind.PDF: "PDF 文档",
    FileKind.DOCX: "Word 文档",
    FileKind.PPTX: "PPT 演示文稿",
    FileKind.XLSX: "Excel 表格",
    FileKind.MP4: "MP4 视频",
    FileKind.EPUB: "电子书",
    FileKind.IMAGE: "图片",
}
# (content type, extension) of each kind; images take theirs from the re-encoded format
KIND_TYPES = {
    FileKind.PDF: ("application/pdf", "pdf"),
    FileKind.DOCX: ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    FileKind.PPTX: ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
    FileKind.XLSX: ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    FileKind.MP4: ("video/mp4", "mp4"),
    FileKind.EPUB: ("application/epub+zip", "epub"),
}
IMAGE_CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
# An Office Open XML package is the kind its [Content_Types].xml names for its main part, at the path
# where that kind keeps it; macro-enabled packages (docm, pptm, xlsm) name other types and are refused.
OFFICE_MAIN_PARTS = {
    FileKind.DOCX: ("word/document.xml", "wordprocessingml.document.main+xml"),
    FileKind.PPTX: ("ppt/presentation.xml", "presentationml.presentation.main+xml"),
    FileKind.XLSX: ("xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
}
CONTENT_TYPES_PART = "[Content_Types].xml"
MAX_CONTENT_TYPES_BYTES = 1024 * 1024  # a real one is a few kB; a bigger one is not read (zip bombs)
EPUB_MIMETYPE = b"application/epub+zip"

# ISO base media (`ftyp`) brands browsers play as video/mp4; the same box heads QuickTime, HEIF and 3GP.
MP4_BRANDS = frozenset(
    brand.encode().ljust(4)
    for brand in [
        "isom",
        "iso2",
        "iso3",
        "iso4",
        "iso5",
        "iso6",
        "mp41",
        "mp42",
        "avc1",
        "dash",
        "M4V",
        "M4VH",
        "M4VP",
    ]
)
HEIF_BRANDS = frozenset(
    b.encode() for b in ["mif1", "msf1", "heic", "heix", "heim", "heis", "hevc", "hevx", "avif", "avis"]
)
FTYP_READ = 1024

# Text that a browser would run: the reason an "image" or "PDF" is refused, said plainly.
_MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|iframe|\?php|svg|\?xml)\b", re.IGNORECASE)
SNIFF_BYTES = 4096

UNSUPPORTED = "只能上传 PDF、Word、PPT、Excel 文档，MP4 视频，电子书或 JPG、PNG、WebP 图片"


@dataclass(frozen=True)
class CheckedUpload:
    """An upload whose type its content proved: what to store (`file`: the upload itself, or for images
    the re-encoded pixels) and under which type and extension."""

    kind: FileKind
    content_type: str
    extension: str
    file: File

    @property
    def size(self) -> int:
        return int(self.file.size or 0)


def check_upload(upload: UploadedFile, *, kinds: Iterable[FileKind] = tuple(FileKind)) -> CheckedUpload:
    """What `upload` is, judged by its bytes, if it is one of `kinds` and within that kind's size
    limit; otherwise ValidationError with a Chinese message (codes: empty, markup, svg, unsupported,
    unsupported_video, macro, too_large)."""
    if not upload.size:
        raise ValidationError("文件是空的", code="empty")
    kind = _sniff(upload)
    allowed = set(kinds)
    if kind not in allowed:
        names = "、".join(KIND_LABELS[k] for k in FileKind if k in allowed)
        raise ValidationError(f"此处只能上传{names}，这个文件是{KIND_LABELS[kind]}", code="unsupported")
    _check_size(kind, int(upload.size))
    if kind is FileKind.IMAGE:
        image = clean_image_upload(upload)
        extension = (image.name or "").rsplit(".", 1)[-1]
        return CheckedUpload(kind, IMAGE_CONTENT_TYPES[extension], extension, image)
    content_type, extension = KIND_TYPES[kind]
    upload.seek(0)
    return CheckedUpload(kind, content_type, extension, upload)


def max_bytes(kind: FileKind) -> int:
    limits: dict[str, int] = settings.UPLOAD_MAX_BYTES
    return limits[kind.value]


def _check_size(kind: FileKind, size: int) -> None:
    limit = max_bytes(kind)
    if size > limit:
        raise ValidationError(
            f"{KIND_LABELS[kind]}不能超过 {human_size(limit)}，这个文件有 {human_size(size)}",
            code="too_large",
        )


def _sniff(upload: UploadedFile) -> FileKind:
    head = _head(upload, SNIFF_BYTES)
    if head.startswith(b"%PDF-"):
        return FileKind.PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    if head[4:8] == b"ftyp":
        _require_mp4(head[:FTYP_READ])
        return FileKind.MP4
    if _is_image(upload):  # before the markup test: image metadata may hold XML; pixels are re-encoded
        return FileKind.IMAGE
    if _MARKUP.search(head):
        if re.search(rb"<\s*svg\b", head, re.IGNORECASE):
            raise ValidationError(
                "不支持 SVG 矢量图（其中可以含有脚本），请转换为 PNG 或 JPG 后上传", code="svg"
            )
        raise ValidationError("这个文件的内容是网页或脚本（HTML、PHP 等），不能上传", code="markup")
    raise ValidationError(UNSUPPORTED, code="unsupported")


def _head(upload: UploadedFile, size: int) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _zip_kind(upload: UploadedFile) -> FileKind:
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
            if _is_epub(package):
                return FileKind.EPUB
            if CONTENT_TYPES_PART in names:
                return _office_kind(package, names)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError) as exc:
        raise ValidationError("文件已损坏或不是有效的 Office 文档、电子书", code="unsupported") from exc
    finally:
        upload.seek(0)
    raise ValidationError(UNSUPPORTED, code="unsupported")


def _is_epub(package: zipfile.ZipFile) -> bool:
    """OCF: the first entry is `mimetype`, stored, holding exactly the EPUB media type."""
    first = package.infolist()[0] if package.infolist() else None
    if first is None or first.filename != "mimetype" or first.file_size > 64:
        return False
    return package.read(first).strip() == EPUB_MIMETYPE and "META-INF/container.xml" in package.namelist()


def _office_kind(package: zipfile.ZipFile, names: set[str]) -> FileKind:
    info = package.getinfo(CONTENT_TYPES_PART)
    if info.file_size > MAX_CONTENT_TYPES_BYTES:
        raise ValidationError("文件已损坏或不是有效的 Office 文档", code="unsupported")
    declared = package.read(info).decode("utf-8", "replace")
    for kind, (part, content_type) in OFFICE_MAIN_PARTS.items():
        if part in names and content_type in declared:
            return kind
    if "macroEnabled" in declared:
        raise ValidationError(
            "不能上传含宏的 Office 文档，请另存为不含宏的 Word、PPT 或 Excel 文档后上传", code="macro"
        )
    raise ValidationError(
        "只支持 Office 2007 及以后格式的 Word、PPT、Excel 文档（旧版 doc、ppt、xls 请另存后上传）",
        code="unsupported",
    )


def _require_mp4(head: bytes) -> None:
    size = int.from_bytes(head[:4], "big") or len(head)
    box = head[:size]
    brands = [box[8:12], *(box[i : i + 4] for i in range(16, len(box) - 3, 4))]
    if brands[0] not in MP4_BRANDS or any(brand in HEIF_BRANDS for brand in brands):
        raise ValidationError(
            "只能上传 MP4（H.264）视频；QuickTime（MOV）、3GP、HEIC 等请先转换为 MP4",
            code="unsupported_video",
        )


def _is_image(upload: UploadedFile) -> bool:
    try:
        with Image.open(upload) as image:
            image.verify()
            return (image.format or "") in ALLOWED_IMAGE_FORMATS
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        return False
    finally:
        upload.seek(0)


def check_quota(*, used: int, incoming: int, quota: int) -> None:
    """Refuse a file that would take a person's stored bytes over their quota."""
    if used + incoming > quota:
        left = max(0, quota - used)
        raise ValidationError(
            f"超出个人存储空间：共 {human_size(quota)}，已用 {human_size(used)}，剩余 {human_size(left)}，"
            f"这个文件有 {human_size(incoming)}。请删除不用的文件后再上传",
            code="over_quota",
        )


def human_size(size: int) -> str:
    """1536 → "1.5 KB"; whole numbers without decimals ("50 MB")."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            text = f"{value:.1f}".removesuffix(".0")
            return f"{text} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def stored_name(original: str, extension: str) -> str:
    """The name a file is offered under: the uploaded stem (Chinese kept; separators and control
    characters dropped; at most 100 characters) with the extension of its detected type."""
    stem = "".join(c for c in os.path.basename((original or "").replace("\\", "/")) if c.isprintable())
    stem = re.sub(r"\.[A-Za-z0-9]{1,8}$", "", stem).strip(" .") or "文件"
    return f"{stem[:100]}.{extension}"
