"""The rich-text editor's server side: pictures uploaded into a body (content-checked, re-encoded,
stored through Django's storage API, audited, only by people who may write there), pictures from other
sites refused with a clear message, and what the editor produces surviving nh3."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from dangjian.core.models import AuditEvent
from dangjian.core.richtext import foreign_image_sources, sanitize_html
from dangjian.news import services
from dangjian.news.models import Article
from tests.news.conftest import content

URL = "/manage/articles/images/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def picture(
    name: str = "现场.jpg", *, fmt: str = "JPEG", size: tuple[int, int] = (320, 200)
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 20, 30))
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"  # EXIF Make: must not survive re-encoding
    image.save(buffer, format=fmt, exif=exif) if fmt == "JPEG" else image.save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def draft(news, **overrides) -> Article:
    return services.article_create(
        actor=news.worker_a, station=news.a, content=content(news.news_column, **overrides)
    )


# ---------------------------------------------------------------- upload service


@pytest.mark.django_db
def test_body_picture_is_reencoded_stored_and_audited(news, media: Path) -> None:
    article = draft(news)
    url = services.body_image_add(actor=news.worker_a, article=article, upload=picture())
    assert url.startswith("/media/news/body/") and url.endswith(".jpg")
    name = url.removeprefix("/media/")
    assert default_storage.exists(name)
    with default_storage.open(name) as stored:
        image = Image.open(stored)
        assert image.format == "JPEG" and image.size == (320, 200)
        assert 0x010F not in image.getexif()  # re-encoded: no EXIF left
    event = AuditEvent.objects.with_scopes_disabled().get(action="news.body_image.add")
    assert event.actor == news.worker_a and event.station == news.a and event.data["file"] == name
    assert event.target_id == str(article.pk)


@pytest.mark.django_db
def test_body_picture_for_a_new_article_is_authorised_by_station(news) -> None:
    url = services.body_image_add(actor=news.worker_a, station=news.a, upload=picture("a.png", fmt="PNG"))
    assert url.endswith(".png")
    with pytest.raises(PermissionDenied):
        services.body_image_add(actor=news.worker_b, station=news.a, upload=picture())
    with pytest.raises(PermissionDenied):  # instructors review, they do not write
        services.body_image_add(actor=news.instructor_a, station=news.a, upload=picture())
    with pytest.raises(ValidationError) as missing:
        services.body_image_add(actor=news.worker_a, upload=picture())
    assert missing.value.code == "no_station"


@pytest.mark.django_db
def test_only_writers_of_the_article_add_pictures(news, media: Path) -> None:
    article = draft(news)
    for outsider in (news.worker_b, news.instructor_a, news.member):
        with pytest.raises(PermissionDenied):
            services.body_image_add(actor=outsider, article=article, upload=picture())
    assert stored_files(media) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("x.png", b"<html><script>alert(1)</script></html>", content_type="image/png"),
        SimpleUploadedFile("x.jpg", b"\xff\xd8\xff\xe0 truncated", content_type="image/jpeg"),
        SimpleUploadedFile(
            "x.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', content_type="image/svg+xml"
        ),
        SimpleUploadedFile("empty.png", b"", content_type="image/png"),
    ],
    ids=["html-named-png", "truncated-jpeg", "svg", "empty"],
)
def test_non_pictures_are_refused_and_nothing_is_stored(news, media: Path, upload) -> None:
    with pytest.raises(ValidationError) as refused:
        services.body_image_add(actor=news.worker_a, station=news.a, upload=upload)
    assert "请上传 JPG、PNG 或 WebP 格式的图片" in refused.value.messages[0]
    assert stored_files(media) == []
    assert not AuditEvent.objects.with_scopes_disabled().filter(action="news.body_image.add").exists()


# ---------------------------------------------------------------- upload endpoint


@pytest.mark.django_db
def test_endpoint_answers_the_editor_with_json(news, client) -> None:
    article = draft(news)
    client.force_login(news.worker_a)
    response = client.post(URL, {"article": article.pk, "image": picture()})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    url = response.json()["url"]
    assert url.startswith("/media/news/body/")
    assert client.get(url).status_code == 200  # served back, as an inert image
    new = client.post(URL, {"station": news.a.pk, "image": picture()})
    assert new.status_code == 200 and new.json()["url"].startswith("/media/news/body/")


@pytest.mark.django_db
def test_endpoint_refuses_non_pictures_with_a_clear_400(news, client) -> None:
    client.force_login(news.worker_a)
    fake = SimpleUploadedFile("活动照片.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    response = client.post(URL, {"station": news.a.pk, "image": fake})
    assert response.status_code == 400
    assert response.json() == {"code": "not_image", "message": "请上传 JPG、PNG 或 WebP 格式的图片"}
    nothing = client.post(URL, {"station": news.a.pk})
    assert nothing.status_code == 400 and nothing.json()["code"] == "no_image"
    no_station = client.post(URL, {"image": picture()})
    assert no_station.status_code == 400 and "请先选择发布站点" in no_station.json()["message"]
    junk = client.post(URL, {"station": "abc", "article": "-1", "image": picture()})
    assert junk.status_code == 400


@pytest.mark.django_db
def test_decompression_bomb_is_a_400_not_a_500(news, client) -> None:
    buffer = io.BytesIO()
    Image.new("1", (14000, 14000)).save(buffer, format="PNG")  # 196 M pixels in a few kB
    client.force_login(news.worker_a)
    bomb = SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png")
    response = client.post(URL, {"station": news.a.pk, "image": bomb})
    assert response.status_code == 400 and response.json()["code"] == "not_image"


@pytest.mark.django_db
def test_endpoint_hides_other_stations_and_refuses_reviewers(news, client, media: Path) -> None:
    article = draft(news)
    client.force_login(news.worker_b)
    assert client.post(URL, {"article": article.pk, "image": picture()}).status_code == 404
    assert client.post(URL, {"station": news.a.pk, "image": picture()}).status_code == 404
    client.force_login(news.instructor_a)  # finds A's draft (to review it) but may not write into it
    refused = client.post(URL, {"article": article.pk, "image": picture()})
    assert refused.status_code == 403 and "message" in refused.json()
    client.force_login(news.member)
    assert client.post(URL, {"station": news.a.pk, "image": picture()}).status_code == 403
    assert stored_files(media) == []


@pytest.mark.django_db
def test_endpoint_is_csrf_protected(news, media: Path) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(news.worker_a)
    assert client.post(URL, {"station": news.a.pk, "image": picture()}).status_code == 403
    assert stored_files(media) == []


# ---------------------------------------------------------------- pictures from other sites


WECHAT = (
    '<p>转自公众号</p><p><img src="https://mmbiz.qpic.cn/mmbiz_jpg/abc/640?wx_fmt=jpeg&amp;from=appmsg"></p>'
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        WECHAT,
        '<p><img src="file:///C:/Users/dangwu/AppData/Local/Temp/msohtmlclip1/image001.png"></p>',  # Word
        '<p><img src="data:image/png;base64,iVBORw0KGgo="></p>',
        '<p><img src="//cdn.example.com/a.png"></p>',
        "<p><img src=x></p>",
    ],
    ids=["wechat", "word", "data-uri", "protocol-relative", "relative"],
)
def test_pictures_from_other_sites_are_refused_on_save(news, body: str) -> None:
    with pytest.raises(ValidationError) as refused:
        draft(news, body=body)
    assert refused.value.code == "external_image"
    message = refused.value.messages[0]
    assert "1 张外部图片" in message and "“图片”按钮上传" in message
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_refusal_names_the_site_and_editing_is_refused_too(news) -> None:
    with pytest.raises(ValidationError) as refused:
        draft(news, body=WECHAT)
    assert "mmbiz.qpic.cn" in refused.value.messages[0]
    article = draft(news)
    with pytest.raises(ValidationError):
        services.article_save_draft(actor=news.worker_a, article=article, content={"body": WECHAT})
    article.refresh_from_db()
    assert "mmbiz" not in article.latest_revision.body


@pytest.mark.django_db
def test_refused_body_comes_back_in_the_form_with_the_message(news, client) -> None:
    client.force_login(news.worker_a)
    data = {"station": news.a.pk, "column": news.news_column.pk, "title": "转载", "audience": "public",
            "body": WECHAT, "publish_at": ""}  # fmt: skip
    response = client.post(reverse("news:manage_create"), data)
    assert response.status_code == 200
    assert "外部图片" in " ".join(response.context["form"].non_field_errors())
    assert "mmbiz.qpic.cn" in response.context["form"]["body"].value()  # nothing the worker wrote is lost
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_uploaded_pictures_are_kept(news) -> None:
    url = services.body_image_add(actor=news.worker_a, station=news.a, upload=picture())
    article = draft(news, body=f'<h2>活动现场</h2><p><img src="{url}" alt="现场"></p>')
    assert f'<img src="{url}" alt="现场">' in article.latest_revision.body


# ---------------------------------------------------------------- what the editor produces


def test_editor_markup_survives_nh3() -> None:
    html = (
        "<h2>一、活动概况</h2><h3>（一）时间地点</h3><h4>1. 时间</h4>"
        "<p><strong>加粗</strong><em>斜体</em><u>下划线</u><s>删除线</s></p>"
        "<ol><li>第一项</li></ol><ul><li>要点</li></ul><blockquote>引用</blockquote>"
        '<p><a href="https://www.12371.cn/" target="_blank" rel="noopener noreferrer">共产党员网</a></p>'
        '<table><tbody><tr><td data-row="row-a1">姓名</td><td data-row="row-a1">支部</td></tr></tbody></table>'
        '<p><img src="/media/news/body/2026/04/a.png"></p>'
    )
    clean = sanitize_html(html)
    for kept in ("<h2>", "<h3>", "<h4>", "<strong>", "<em>", "<u>", "<s>", "<ol>", "<ul>", "<li>",
                 "<blockquote>", '<a href="https://www.12371.cn/"', "<table>", "<tbody>", "<tr>",
                 "<td>姓名</td>", '<img src="/media/news/body/2026/04/a.png">'):  # fmt: skip
        assert kept in clean, (kept, clean)
    assert "data-row" not in clean and "target=" not in clean


def test_nh3_drops_pictures_from_other_sites_even_without_the_service() -> None:
    clean = sanitize_html(f'{WECHAT}<img src="/media/../../etc/passwd"><img src="/media/ok.png">')
    assert "mmbiz" not in clean and "passwd" not in clean and "<img>" not in clean
    assert '<img src="/media/ok.png">' in clean


def test_foreign_image_sources_reads_every_spelling() -> None:
    assert foreign_image_sources("<p>纯文本，没有图片</p>") == []
    assert foreign_image_sources('<IMG SRC="/media/a.png"><img src=/media/b.png>') == []
    found = foreign_image_sources("<img src='http://a.example/x.png'><img><img src=\"javascript:alert(1)\">")
    assert found == ["http://a.example/x.png", "", ""]


# ---------------------------------------------------------------- form: station and 全站同步


@pytest.mark.django_db
def test_single_station_worker_gets_the_station_preselected_and_no_sync(news, client) -> None:
    client.force_login(news.worker_a)
    page = client.get(reverse("news:manage_create"))
    assert page.context["station_form"]["station"].value() == news.a.pk
    form = page.context["form"]
    assert "sync_to_all" not in form.fields
    assert list(form.fields["organization"].queryset) == [news.org_a]  # the preselected station's
    body = form["body"].as_widget()
    assert 'class="editor' in body and f'data-upload-url="{URL}"' in body
    html = page.content.decode()
    assert "vendor/quill-2.0.3/quill.js" in html and "js/editor-init.js" in html and "<script>" not in html


@pytest.mark.django_db
def test_sync_is_offered_only_to_hq_staff(news, client) -> None:
    client.force_login(news.worker_hq)
    page = client.get(reverse("news:manage_create"))
    assert "sync_to_all" in page.context["form"].fields
    assert page.context["station_form"]["station"].value() is None  # HQ staff write for every station
    data = {"station": news.a.pk, "column": news.news_column.pk, "title": "总站人员代分站发布",
            "audience": "public", "body": "<p>正文</p>", "publish_at": "", "sync_to_all": "on"}  # fmt: skip
    refused = client.post(reverse("news:manage_create"), data)
    assert refused.status_code == 200 and "推荐到总站" in " ".join(refused.context["form"].non_field_errors())
    assert client.post(reverse("news:manage_create"), {**data, "station": news.hq.pk}).status_code == 302
    assert Article.objects.get().sync_to_all is True

    branch = draft(news)
    client.force_login(news.worker_a)
    edit = client.get(reverse("news:manage_edit", kwargs={"pk": branch.pk}))
    assert "sync_to_all" not in edit.context["form"].fields


# ---------------------------------------------------------------- review page


@pytest.mark.django_db
def test_review_page_shows_what_will_be_published(news, client) -> None:
    article = services.article_create(
        actor=news.worker_hq,
        station=news.hq,
        content=content(
            news.news_column,
            title="总站：学习贯彻全会精神",
            cover=picture("封面.jpg"),
            audience="logged_in",
            pinned=True,
            sync_to_all=True,
            publish_at=datetime(2030, 5, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
        ),
    )
    services.article_submit(actor=news.worker_hq, article=article)
    client.force_login(news.instructor_hq)
    page = client.get(reverse("news:manage_detail", kwargs={"pk": article.pk}))
    html = page.content.decode()
    revision = Article.objects.get(pk=article.pk).latest_revision
    assert f'src="{revision.cover.url}"' in html and "publish-cover" in html
    for shown in ("登录用户", "2030-05-01 09:00", "到时自动发布", ">置顶<", "在所有分站展示", "审核通过"):
        assert shown in html, shown
    assert f'action="/manage/articles/{article.pk}/attachments/"' not in html  # the reviewer does not edit


@pytest.mark.django_db
def test_draft_page_without_cover_says_so(news, client) -> None:
    article = draft(news)
    client.force_login(news.worker_a)
    html = client.get(reverse("news:manage_detail", kwargs={"pk": article.pk})).content.decode()
    for shown in ("未设置封面", "公开", "审核通过后立即发布", "不置顶", "仅万达广场分站展示"):
        assert shown in html, shown
    assert f'action="/manage/articles/{article.pk}/attachments/"' in html


# ---------------------------------------------------------------- vendored editor


def test_vendored_editor_is_pinned_and_has_no_source_map_references() -> None:
    root = Path(__file__).resolve().parents[2]
    folder = root / "static" / "vendor" / "quill-2.0.3"
    assert {p.name for p in folder.iterdir()} == {
        "quill.js",
        "quill.js.LICENSE.txt",
        "quill.snow.css",
        "LICENSE",
    }
    for name in ("quill.js", "quill.snow.css"):
        assert "sourceMappingURL" not in (folder / name).read_text(encoding="utf-8")
    assert "Quill Editor v2.0.3" in (folder / "quill.js.LICENSE.txt").read_text(encoding="utf-8")
    script = (root / "scripts" / "vendor-assets.sh").read_text(encoding="utf-8")
    assert '"quill|2.0.3|sha512-' in script
    assert "eval(" not in (root / "static" / "js" / "editor-init.js").read_text(encoding="utf-8")


def test_json_error_shape_is_stable() -> None:
    from dangjian.news.views import _json_error

    response = _json_error(400, "not_image", "请上传 JPG、PNG 或 WebP 格式的图片")
    assert response.status_code == 400
    assert json.loads(response.content) == {
        "code": "not_image",
        "message": "请上传 JPG、PNG 或 WebP 格式的图片",
    }
