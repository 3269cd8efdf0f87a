"""The courseware library on a 375 px phone in Chromium: the library, an item's page, a PDF read with the
vendored PDF.js (its worker included, under the site's CSP) and an e-book read with epub.js; nothing
wider than the screen, no console error. Screenshots go to /tmp/cw_*.png."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from dangjian.accounts.models import Role
from dangjian.courseware import services
from dangjian.courseware.models import CoursewareVersion
from dangjian.demo.courseware_seed import epub_of, pdf_of
from tests import factories as f
from tests.browser_support import log_in, no_sideways_scroll, phone_context

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
SHOTS = Path("/tmp")


def _publish(world, reviewer, title: str, name: str, data: bytes):
    item = services.courseware_create(
        actor=world.worker_a,
        station=world.a,
        details=services.Details(title, "泰州市海陵区楼宇党建学习材料", "党课 学习", "platform"),
        upload=SimpleUploadedFile(name, data),
    )
    services.courseware_transition(actor=world.worker_a, courseware=item, action="submit")
    return services.courseware_transition(actor=reviewer, courseware=item, action="approve")


@pytest.mark.django_db(transaction=True)
def test_reading_a_pdf_and_an_e_book_on_a_phone(live_server, browser, world, tmp_path, monkeypatch) -> None:
    field = CoursewareVersion._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path / "courseware"))
    reviewer = f.UserFactory(username="browser_cw_hq_instructor")
    f.grant(reviewer, Role.INSTRUCTOR, world.hq)
    pdf = _publish(
        world,
        reviewer,
        "学习贯彻党的二十届三中全会精神专题党课",
        "专题党课.pdf",
        pdf_of("专题党课", ("第一部分 全会的重大意义", "第二部分 楼宇党组织怎么做")),
    )
    book = _publish(
        world,
        reviewer,
        "泰州红色故事汇",
        "泰州红色故事汇.epub",
        epub_of(
            "泰州红色故事汇",
            (
                ("人民海军从这里起航", "1949年4月23日，华东军区海军在泰州白马庙成立。"),
                ("黄桥决战", "新四军以少胜多。"),
            ),
        ),
    )
    base = live_server.url
    page = phone_context(browser).new_page()
    errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, base, world.member.username)

    page.goto(base + reverse("courseware:library"))
    assert page.get_by_text("泰州红色故事汇").first.is_visible()
    no_sideways_scroll(page, "课件库")
    page.screenshot(path=str(SHOTS / "cw_library.png"), full_page=True)

    page.goto(base + pdf.get_absolute_url())
    no_sideways_scroll(page, "课件详情")
    page.screenshot(path=str(SHOTS / "cw_detail.png"), full_page=True)
    page.get_by_role("link", name="在线阅读").click()
    page.wait_for_selector("#cw-reader[data-ready] canvas", timeout=20_000)
    assert page.locator("[data-reader-position]").inner_text() == "第 1 / 2 页"
    canvas = page.locator("#cw-reader canvas").bounding_box()
    assert canvas is not None and 300 < canvas["width"] <= 375 and canvas["height"] > 400
    page.get_by_role("button", name="下一页").click()
    expect(page.locator("[data-reader-position]")).to_have_text("第 2 / 2 页")
    assert page.get_by_role("button", name="下一页").is_disabled()
    no_sideways_scroll(page, "PDF 阅读")
    page.screenshot(path=str(SHOTS / "cw_pdf.png"), full_page=True)

    page.goto(base + reverse("courseware:reader", kwargs={"pk": book.pk}))
    page.wait_for_selector("#cw-reader[data-ready] iframe", timeout=20_000)
    chapter = page.frame_locator("#cw-reader iframe").first
    assert "人民海军从这里起航" in chapter.locator("h2").inner_text()
    page.get_by_role("button", name="下一页").click()
    expect(page.locator("[data-reader-position]")).to_have_text(re.compile(r"^第 2 / \d+ 章$"))
    no_sideways_scroll(page, "电子书阅读")
    page.screenshot(path=str(SHOTS / "cw_epub.png"), full_page=True)

    broken = _publish(world, reviewer, "无法解析的讲义", "讲义.pdf", b"%PDF-1.4\n%%EOF\n")
    page.goto(base + reverse("courseware:reader", kwargs={"pk": broken.pk}))
    expect(page.locator("[data-reader-status]")).to_have_text("无法在线显示此文件，请下载后查看")
    assert errors == []
