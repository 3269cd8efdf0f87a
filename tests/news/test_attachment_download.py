"""Attachments are named by the type their content was detected as, not by the name they came with:
a PDF uploaded as `报告.html` is stored and served as `报告.pdf`, `application/pdf`."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from dangjian.news import services
from dangjian.news.models import ArticleAttachment
from tests.news.conftest import published

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n<html><script>alert(1)</script></html>"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def _private_storage(tmp_path, monkeypatch) -> None:
    field = ArticleAttachment._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path))


def _download(client, attachment: ArticleAttachment):
    url = reverse("news:attachment", kwargs={"pk": attachment.article_id, "attachment_pk": attachment.pk})
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    return response, body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("uploaded_as", "data", "served_as", "content_type"),
    [
        ("报告.html", PDF, "报告.pdf", "application/pdf"),
        ("x.html", PDF, "x.pdf", "application/pdf"),
        ("会议纪要", PDF, "会议纪要.pdf", "application/pdf"),
        ("活动照片.svg", _png(), "活动照片.png", "image/png"),
        ("宣传片.exe", MP4, "宣传片.mp4", "video/mp4"),
        ("2024年第3期.简报", PDF, "2024年第3期.简报.pdf", "application/pdf"),
        ("报告.pdf.html", PDF, "报告.pdf", "application/pdf"),
    ],
    ids=["pdf-as-html", "ascii-name", "no-extension", "png-as-svg", "mp4-as-exe", "dotted-name", "double"],
)
def test_download_is_named_and_typed_by_detected_content(
    news, client, uploaded_as, data, served_as, content_type
) -> None:
    article = published(news)
    attachment = services.attachment_add(
        actor=news.worker_a, article=article, upload=SimpleUploadedFile(uploaded_as, data, "text/html")
    )
    extension = served_as.rsplit(".", 1)[-1]
    assert attachment.name == served_as
    assert attachment.file.name.endswith(f".{extension}")
    response, body = _download(client, attachment)
    assert body == data
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    if served_as.isascii():
        assert f'filename="{served_as}"' in disposition
    else:
        assert f"filename*=utf-8''{quote(served_as)}" in disposition
    assert ".html" not in disposition and ".exe" not in disposition and ".svg" not in disposition
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_rows_saved_before_the_fix_are_served_by_their_detected_type(news, client) -> None:
    """An attachment stored earlier under its uploaded name still downloads with the detected extension."""
    article = published(news)
    attachment = ArticleAttachment(
        article=article, name="通知.html", kind="pdf", size=len(PDF), content_type="application/pdf",
        uploaded_by=news.worker_a,
    )  # fmt: skip
    attachment.file.save("通知.html", ContentFile(PDF), save=False)
    attachment.save()
    response, _ = _download(client, attachment)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('通知.pdf')}"
    page = client.get(article.get_absolute_url()).content.decode()
    assert "通知.pdf" in page and "通知.html" not in page


@pytest.mark.django_db
def test_office_documents_keep_their_office_extension(news, client) -> None:
    article = published(news)
    docx = b"PK\x03\x04" + b"\x00" * 60
    attachment = services.attachment_add(
        actor=news.worker_a, article=article, upload=SimpleUploadedFile("工作方案.docx", docx)
    )
    response, _ = _download(client, attachment)
    assert attachment.name == "工作方案.docx"
    assert response["Content-Type"] == "application/octet-stream"
    assert f"filename*=utf-8''{quote('工作方案.docx')}" in response["Content-Disposition"]


@pytest.mark.django_db
def test_upload_page_stores_the_detected_name(news, client) -> None:
    article = published(news)
    client.force_login(news.worker_a)
    url = reverse("news:attachment_upload", kwargs={"pk": article.pk})
    assert client.post(url, {"file": SimpleUploadedFile("报告.html", PDF, "text/html")}).status_code == 302
    attachment = article.attachments.get()
    assert (attachment.name, attachment.content_type) == ("报告.pdf", "application/pdf")
    assert attachment.file.name.endswith(".pdf")
    response, _ = _download(client, attachment)
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote('报告.pdf')}"
