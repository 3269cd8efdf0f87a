"""The in-page reader (PDF.js / epub.js) of the courseware library and its work-page cards."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.core.workcards import work_page_for
from dangjian.courseware import services
from tests.courseware import samples
from tests.courseware.conftest import publish, upload_draft

pytestmark = pytest.mark.django_db


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_the_reader_loads_the_vendored_pdf_js_with_the_preview_url(cw, client) -> None:
    item = publish(cw, upload_draft(cw, sharing="platform"))
    client.force_login(cw.member)
    page = client.get(reverse("courseware:reader", kwargs={"pk": item.pk})).content.decode()
    assert 'data-kind="pdf"' in page and reverse("courseware:preview", kwargs={"pk": item.pk}) in page
    assert "pdfjs-dist-6.5.438/pdf.min.js" in page and "pdf.worker.min.js" in page
    assert "js/courseware-reader.js" in page
    detail = client.get(item.get_absolute_url()).content.decode()
    assert reverse("courseware:reader", kwargs={"pk": item.pk}) in detail and "在线阅读" in detail


def test_the_reader_of_an_e_book_loads_epub_js_and_jszip(cw, client) -> None:
    item = publish(cw, upload_draft(cw, name="党章.epub", data=samples.epub(), sharing="platform"))
    client.force_login(cw.member)
    page = client.get(reverse("courseware:reader", kwargs={"pk": item.pk})).content.decode()
    assert page.index("jszip-3.10.1/jszip.min.js") < page.index("epubjs-0.3.93/epub.min.js")


def test_nothing_to_read_for_other_kinds(cw, client) -> None:
    item = publish(cw, upload_draft(cw, name="讲稿.docx", data=samples.office("docx"), sharing="platform"))
    client.force_login(cw.member)
    assert client.get(reverse("courseware:reader", kwargs={"pk": item.pk})).status_code == 404
    assert "在线阅读" not in client.get(item.get_absolute_url()).content.decode()


def test_a_video_plays_from_the_range_serving_preview(cw, client) -> None:
    item = publish(cw, upload_draft(cw, name="微党课.mp4", data=samples.MP4, sharing="platform"))
    client.force_login(cw.member)
    page = client.get(item.get_absolute_url()).content.decode()
    assert (
        f'<video class="w-100 rounded bg-dark" controls preload="metadata" playsinline src="{reverse("courseware:preview", kwargs={"pk": item.pk})}"'
        in page
    )


def test_cards_for_the_reviewer_and_the_uploader(cw) -> None:
    submitted = upload_draft(cw, title="待审核的课件")
    services.courseware_transition(actor=cw.worker_a, courseware=submitted, action="submit")
    returned = upload_draft(cw, title="退回的课件")
    services.courseware_transition(actor=cw.worker_a, courseware=returned, action="submit")
    services.courseware_transition(
        actor=cw.instructor_a, courseware=returned, action="return", comment="请补充讲稿"
    )
    review = work_page_for(fresh(cw.instructor_a)).card("courseware.review_queue")
    assert review is not None and review.count == 1 and review.url == reverse("courseware:manage_list")
    assert work_page_for(fresh(cw.instructor_b)).card("courseware.review_queue").count == 0
    mine = work_page_for(fresh(cw.worker_a)).card("courseware.mine")
    assert mine is not None and (mine.count, mine.note) == (2, "1 份退回待修改")
    assert work_page_for(fresh(cw.worker_a)).card("courseware.review_queue") is None  # not an instructor
    assert work_page_for(fresh(cw.member)).card("courseware.mine") is None
    assert work_page_for(fresh(cw.instructor_b)).card("courseware.mine") is None  # uploaded nothing


def test_the_cards_take_constant_queries(cw) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            work_page_for(fresh(cw.worker_a))
        return len(captured.captured_queries)

    upload_draft(cw, title="一")
    before = queries()
    for title in ("二", "三", "四"):
        upload_draft(cw, title=title)
    assert queries() == before
