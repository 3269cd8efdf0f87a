"""The annual report of the hand-counted platform as a page, an Excel workbook (opened with openpyxl)
and a PDF (opened with pypdf): the fixture's numbers are in each, and the PDF's text is Chinese with its
font embedded, not boxes."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from dangjian.dashboards import figures
from tests.dashboards.builders import HandWorld, hand_world, this_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> HandWorld:
    built = hand_world()
    figures.refresh(this_year())
    return built


def _pdf_text(content: bytes) -> tuple[str, set[str]]:
    reader = PdfReader(BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            described = font.get_object()
            for descendant in described.get("/DescendantFonts", [described]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is not None and any(
                    k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    fonts.add(str(descendant.get_object().get("/BaseFont")))
    return text, fonts


def test_the_station_report_as_a_page_and_a_workbook(client: Any, world: HandWorld) -> None:
    client.force_login(world.admin_a)
    url = f"/manage/cockpit/stations/{world.a.code}/annual/"
    page = client.get(url).content.decode()
    assert f"海陵万达分站{this_year()}年度楼宇党建工作报告" in page
    assert '<td data-metric="coverage_rate">25.0%</td>' in page
    response = client.get(url + "?format=xlsx")
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["指标", "达标目标", "标准符合性"]
    indicators = {row[1]: row[2] for row in book["指标"].iter_rows(min_row=3, values_only=True)}
    assert indicators["入驻单位"] == 4 and indicators["入驻单位参与率"] == pytest.approx(0.25)
    assert indicators["应交党费"] == pytest.approx(91.36)
    clauses = {row[0]: row[2] for row in book["标准符合性"].iter_rows(min_row=3, values_only=True)}
    assert clauses["§4.3"] == "部分达标"


def test_the_station_report_as_a_pdf_in_chinese(client: Any, world: HandWorld) -> None:
    client.force_login(world.admin_a)
    response = client.get(f"/manage/cockpit/stations/{world.a.code}/annual/?format=pdf")
    assert response["Content-Type"] == "application/pdf"
    text, embedded = _pdf_text(response.content)
    compact = text.replace(" ", "").replace("\n", "")
    assert f"海陵万达分站{this_year()}年度楼宇党建工作报告" in compact
    assert "入驻单位参与率25.0%" in compact and "91.36元" in compact
    assert "入驻单位4家中1家本年参加过活动（25%）" in compact
    assert embedded, "the Chinese font is embedded"
    assert "\ufffd" not in text  # no character the font could not map


def test_the_platform_report_compares_every_station(client: Any, world: HandWorld) -> None:
    client.force_login(world.hq_admin)
    book = load_workbook(BytesIO(client.get("/manage/cockpit/annual/?format=xlsx").content))
    branches = {row[0]: row[1] for row in book["各站点"].iter_rows(min_row=3, values_only=True)}
    assert branches["凤城河分站"] == pytest.approx(1.0) and branches["海陵万达分站"] == pytest.approx(0.25)
    text, _ = _pdf_text(client.get("/manage/cockpit/annual/?format=pdf").content)
    compact = text.replace(" ", "").replace("\n", "")
    assert "入驻单位参与率50.0%" in compact and "凤城河分站" in compact
