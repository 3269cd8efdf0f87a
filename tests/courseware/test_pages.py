"""Pages of the courseware library: uploads refused with the service's Chinese message, previews and
downloads with ranges (a phone's video player seeks), nothing served as a page, constant queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangjian.courseware import services
from dangjian.courseware.models import Courseware
from tests.courseware import samples
from tests.courseware.conftest import publish, upload_draft

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("党课讲义.pdf", samples.HTML, "网页或脚本"),
        ("党课讲义.pdf", samples.PHP, "网页或脚本"),
        ("海报.png", samples.SVG, "不支持 SVG 矢量图"),
    ],
)
def test_the_upload_page_refuses_impostors_in_chinese(cw, client, name, data, words) -> None:
    client.force_login(cw.worker_a)
    response = client.post(
        reverse("courseware:upload"),
        {"title": "党课", "station": cw.a.pk, "sharing": "station", "file": samples.upload(name, data)},
    )
    assert response.status_code == 200
    assert words in response.content.decode()
    assert not Courseware.objects.exists()


def test_upload_then_review_on_the_pages(cw, client) -> None:
    client.force_login(cw.worker_a)
    response = client.post(
        reverse("courseware:upload"),
        {
            "title": "党史学习教育",
            "station": cw.a.pk,
            "sharing": "station",
            "tags": "党史",
            "file": samples.upload("党史.mp4", samples.MP4),
        },
    )
    item = Courseware.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_manage_url()
    client.post(reverse("courseware:transition", kwargs={"pk": item.pk, "action": "submit"}))
    client.force_login(cw.instructor_a)
    page = client.get(item.get_manage_url())
    assert "审核通过" in page.content.decode()
    client.post(reverse("courseware:transition", kwargs={"pk": item.pk, "action": "approve"}))
    item.refresh_from_db()
    assert item.status == "published"
    detail = client.get(item.get_absolute_url()).content.decode()
    assert ("<video" in detail and "2026" not in detail) or "年" in detail


def test_a_refused_move_is_said_in_chinese(cw, client) -> None:
    item = upload_draft(cw)
    services.courseware_transition(actor=cw.worker_a, courseware=item, action="submit")
    client.force_login(cw.instructor_a)
    response = client.post(
        reverse("courseware:transition", kwargs={"pk": item.pk, "action": "return"}), follow=True
    )
    assert "请填写退回意见" in response.content.decode()
    assert (
        client.post(reverse("courseware:transition", kwargs={"pk": item.pk, "action": "x"})).status_code
        == 404
    )


def test_video_preview_answers_ranges(cw, client) -> None:
    item = publish(cw, upload_draft(cw, name="党课.mp4", data=samples.MP4))
    client.force_login(cw.hq_admin)
    url = reverse("courseware:preview", kwargs={"pk": item.pk})
    response = client.get(url, headers={"Range": "bytes=100-199"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(samples.MP4)}"
    assert _body(response) == samples.MP4[100:200]
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(url, headers={"Range": "bytes=999999-"}).status_code == 416
    item.refresh_from_db()
    assert item.download_count == 0  # previews are not downloads


def test_downloads_are_attachments_and_counted_once(cw, client) -> None:
    item = publish(cw, upload_draft(cw, name="课件.pptx", data=samples.office("pptx")))
    client.force_login(cw.hq_admin)
    url = reverse("courseware:download", kwargs={"pk": item.pk})
    whole = client.get(url)
    assert whole.status_code == 200 and _body(whole) == samples.office("pptx")
    assert whole["Content-Disposition"].startswith("attachment")
    assert "filename*=utf-8''%E8%AF%BE%E4%BB%B6.pptx" in whole["Content-Disposition"]
    client.get(url, headers={"Range": "bytes=0-9"})  # a download manager's first piece: counted
    client.get(url, headers={"Range": "bytes=10-"})  # its continuation: not a new download
    client.head(url)
    item.refresh_from_db()
    assert item.download_count == 2


def test_office_and_epub_previews_are_never_inline(cw, client) -> None:
    for name, data in (("a.docx", samples.office("docx")), ("b.epub", samples.epub())):
        item = publish(cw, upload_draft(cw, name=name, data=data))
        client.force_login(cw.hq_admin)
        response = client.get(reverse("courseware:preview", kwargs={"pk": item.pk}))
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_library_search_in_chinese(cw, client) -> None:
    publish(cw, upload_draft(cw, title="学习贯彻党的二十大精神", sharing="platform"))
    publish(cw, upload_draft(cw, title="垃圾分类知识", tags="社区", sharing="platform"))
    client.force_login(cw.resident)
    page = client.get(reverse("courseware:library"), {"q": "二十大"}).content.decode()
    assert "<mark>二十大</mark>" in page and "垃圾分类" not in page
    by_tag = client.get(reverse("courseware:library"), {"tag": "社区"}).content.decode()
    assert "垃圾分类知识" in by_tag and "二十大精神" not in by_tag


@pytest.mark.parametrize("params", [{"page": "x"}, {"kind": "exe"}, {"q": "x" * 500}, {"tag": "<script>"}])
def test_library_survives_junk(cw, client, params) -> None:
    client.force_login(cw.member)
    assert client.get(reverse("courseware:library"), params).status_code == 200


def _pages(cw, count: int) -> None:
    for i in range(count):
        publish(cw, upload_draft(cw, title=f"课件{i}", tags=f"标签{i} 党课", sharing="platform"))


@pytest.mark.parametrize("url_name", ["courseware:library", "courseware:manage_list"])
def test_lists_use_constant_queries(cw, client, django_assert_max_num_queries, url_name) -> None:
    client.force_login(cw.hq_admin)
    _pages(cw, 2)
    with django_assert_max_num_queries(16) as few:
        client.get(reverse(url_name))
    _pages(cw, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(url_name)).status_code == 200
