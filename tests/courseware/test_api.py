"""The courseware API (/api/v1/courseware): the library, Chinese search, one item, and its file as a
preview or a download with ranges; refusals with their documented codes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dangjian.accounts.services import token_create
from dangjian.courseware.models import Courseware
from tests.api.builders import API
from tests.api.test_error_codes import documented_codes
from tests.courseware import samples
from tests.courseware.conftest import publish, upload_draft

pytestmark = pytest.mark.django_db

URL = f"{API}/courseware"


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def shelf(cw) -> Any:
    """A platform-wide PDF, a station-only PPT of A, and a draft."""
    cw.platform_pdf = publish(
        cw, upload_draft(cw, title="学习贯彻党的二十大精神专题党课", tags="党课 二十大", sharing="platform")
    )
    cw.station_ppt = publish(
        cw,
        upload_draft(
            cw, name="凤城河畔.pptx", data=samples.office("pptx"), title="凤城河畔红色足迹", tags="党史"
        ),
    )
    cw.draft = upload_draft(cw, title="尚未提交的课件")
    return cw


def test_the_library_lists_what_the_person_may_use(shelf, client: Client) -> None:
    client.force_login(shelf.worker_a)
    body = client.get(URL).json()
    assert [item["title"] for item in body["items"]] == ["凤城河畔红色足迹", "学习贯彻党的二十大精神专题党课"]
    ppt = body["items"][0]
    assert ppt["file"]["kind"] == "pptx" and ppt["file"]["kind_label"] == "PPT 演示文稿"
    assert ppt["file"]["name"] == "凤城河畔.pptx" and ppt["sharing_label"] == "本站点共享"
    assert ppt["station"]["id"] == shelf.a.pk and ppt["tags"] == ["党史"]
    assert ppt["download_url"] == f"{URL}/{shelf.station_ppt.pk}/download"
    assert ppt["published_at"].endswith("+08:00")
    client.force_login(shelf.other_admin)  # branch B: the platform item only
    assert [i["title"] for i in client.get(URL).json()["items"]] == ["学习贯彻党的二十大精神专题党课"]


def test_filters_by_tag_and_kind(shelf, client: Client) -> None:
    client.force_login(shelf.worker_a)
    assert [i["title"] for i in client.get(URL, {"tag": "党史"}).json()["items"]] == ["凤城河畔红色足迹"]
    assert [i["file"]["kind"] for i in client.get(URL, {"kind": "pdf"}).json()["items"]] == ["pdf"]


def test_search_in_chinese_finds_only_visible_items(shelf, client: Client) -> None:
    client.force_login(shelf.other_admin)
    body = client.get(f"{URL}/search", {"q": "二十大"}).json()
    assert body["total"] == 1
    found = body["items"][0]
    assert found["courseware"]["id"] == shelf.platform_pdf.pk
    assert "<mark>二十大</mark>" in found["title_html"]
    assert client.get(f"{URL}/search", {"q": "凤城河畔"}).json()["total"] == 0  # A's own material
    client.force_login(shelf.worker_a)
    assert client.get(f"{URL}/search", {"q": "凤城河畔"}).json()["total"] == 1
    assert client.get(f"{URL}/search", {"q": ""}).json() == {
        "query": "",
        "total": 0,
        "page": 1,
        "num_pages": 1,
        "items": [],
    }


def test_detail_and_the_same_404_for_draft_missing_and_other_station(shelf, client: Client) -> None:
    client.force_login(shelf.worker_a)
    assert client.get(f"{URL}/{shelf.platform_pdf.pk}").json()["file"]["content_type"] == "application/pdf"
    for pk in (shelf.draft.pk, 999_999):
        response = client.get(f"{URL}/{pk}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    client.force_login(shelf.other_admin)
    answer = client.get(f"{URL}/{shelf.station_ppt.pk}")
    assert answer.status_code == 404 and answer.json() == {"code": "not_found", "message": "资源不存在"}


def test_preview_is_inline_only_for_safe_types_and_not_counted(shelf, client: Client) -> None:
    client.force_login(shelf.member)
    pdf = client.get(f"{URL}/{shelf.platform_pdf.pk}/preview")
    assert pdf.status_code == 200 and _body(pdf) == samples.PDF
    assert pdf["Content-Disposition"].startswith("inline") and pdf["X-Content-Type-Options"] == "nosniff"
    client.force_login(shelf.worker_a)
    ppt = client.get(f"{URL}/{shelf.station_ppt.pk}/preview")
    assert ppt["Content-Disposition"].startswith("attachment")
    assert Courseware.objects.get(pk=shelf.platform_pdf.pk).download_count == 0


def test_download_counts_once_and_ranges_give_the_right_bytes(shelf, client: Client) -> None:
    item = publish(shelf, upload_draft(shelf, name="党课.mp4", data=samples.MP4, sharing="platform"))
    client.force_login(shelf.member)
    url = f"{URL}/{item.pk}/download"
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Content-Disposition"].startswith("attachment")
    part = client.get(url, headers={"Range": "bytes=50-99"})
    assert part.status_code == 206 and _body(part) == samples.MP4[50:100]
    assert part["Content-Range"] == f"bytes 50-99/{len(samples.MP4)}"
    seek = client.get(f"{URL}/{item.pk}/preview", headers={"Range": "bytes=-16"})
    assert seek.status_code == 206 and _body(seek) == samples.MP4[-16:]
    assert Courseware.objects.get(pk=item.pk).download_count == 1


def test_a_range_beyond_the_end_is_a_documented_json_416(shelf, client: Client) -> None:
    client.force_login(shelf.member)
    response = client.get(f"{URL}/{shelf.platform_pdf.pk}/download", headers={"Range": "bytes=10000-"})
    assert response.status_code == 416
    assert response.json()["code"] == "range_not_satisfiable"
    assert response["Content-Range"] == f"bytes */{len(samples.PDF)}"
    schema = client.get(f"{API}/openapi.json").json()
    operation = schema["paths"][f"{URL}/{{courseware_id}}/download"]["get"]
    assert documented_codes(schema, operation, 416) == ["range_not_satisfiable"]
    assert Courseware.objects.get(pk=shelf.platform_pdf.pk).download_count == 0


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("", {"kind": "exe"}, "kind"),
        ("", {"tag": "标" * 21}, "tag"),
        ("", {"page": "0"}, "page"),
        ("/search", {"q": "字" * 101}, "q"),
        ("/search", {"page": "x"}, "page"),
        ("/abc", {}, "courseware_id"),
        ("/0/download", {}, "courseware_id"),
    ],
)
def test_bad_input_is_refused_in_chinese(shelf, client: Client, path, params, field) -> None:
    client.force_login(shelf.member)
    response = client.get(f"{URL}{path}", params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and [d["field"] for d in body["details"]] == [field]
    assert all("\u4e00" <= ch <= "\u9fff" for ch in body["message"][:2])


def test_anonymous_callers_get_401_and_tokens_work(shelf, client: Client) -> None:
    refused = client.get(f"{URL}/{shelf.platform_pdf.pk}/download")
    assert refused.status_code == 401 and refused.json()["code"] == "not_authenticated"
    _, secret = token_create(user=shelf.member, name="手机")
    headers = {"Authorization": f"Bearer {secret}"}
    response = client.get(f"{URL}/{shelf.platform_pdf.pk}/download", headers=headers)
    assert response.status_code == 200 and _body(response) == samples.PDF


def test_the_library_list_uses_constant_queries(cw, client: Client, django_assert_max_num_queries) -> None:
    for i in range(3):
        publish(cw, upload_draft(cw, title=f"课件{i}", tags=f"标签{i} 党课", sharing="platform"))
    client.force_login(cw.member)
    with django_assert_max_num_queries(12) as few:
        assert client.get(URL).status_code == 200
    for i in range(3, 9):
        publish(cw, upload_draft(cw, title=f"课件{i}", tags=f"标签{i} 党课", sharing="platform"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(URL).json()["items"]) == 9
