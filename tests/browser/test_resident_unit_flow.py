"""A station admin, on a phone, adds a resident unit to a building and sees it on the building page."""

from __future__ import annotations

from pathlib import Path

import pytest

from dangjian.stations.models import ResidentUnit
from tests.browser_support import DESKTOP, PHONE, log_in, phone_context
from tests.factories import valid_uscc

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.django_db(transaction=True)
def test_station_admin_adds_unit_on_phone(live_server, browser, world, screenshot_dir: Path) -> None:
    base = live_server.url
    context = phone_context(browser)
    page = context.new_page()
    log_in(page, base, world.own_admin.username)

    page.goto(f"{base}/buildings/{world.building_a.pk}/")
    page.get_by_role("link", name="添加入驻单位").click()
    page.get_by_label("单位名称").fill("泰州凤城数智科技有限公司")
    page.get_by_label("统一社会信用代码").fill(valid_uscc(777))
    page.get_by_label("楼层").select_option(label="12F")
    page.get_by_label("房间号").fill("1203")
    page.get_by_label("从业人数").fill("36")
    page.get_by_label("党员人数").fill("4")
    page.get_by_label("联系电话").fill("13952612345")
    page.screenshot(path=str(screenshot_dir / "unit-form-375.png"), full_page=True)
    page.get_by_role("button", name="保存").click()

    page.wait_for_url(f"{base}/buildings/{world.building_a.pk}/")
    unit_card = page.locator(".unit-item", has_text="泰州凤城数智科技有限公司")
    assert unit_card.is_visible()
    assert "1203 室" in unit_card.inner_text()
    assert page.locator(".floor", has=unit_card).locator(".floor-label").inner_text() == "12F"
    page.screenshot(path=str(screenshot_dir / "building-375.png"), full_page=True)
    assert (
        ResidentUnit.objects.filter(name="泰州凤城数智科技有限公司", building=world.building_a).count() == 1
    )

    page.set_viewport_size(DESKTOP)
    page.reload()
    page.screenshot(path=str(screenshot_dir / "building-1440.png"), full_page=True)
    context.close()
    assert (screenshot_dir / "building-375.png").stat().st_size > 0
    assert (screenshot_dir / "building-1440.png").stat().st_size > 0


@pytest.mark.django_db(transaction=True)
def test_wrong_credit_code_is_explained_on_the_page(
    live_server, browser, world, screenshot_dir: Path
) -> None:
    base = live_server.url
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    log_in(page, base, world.own_admin.username)
    page.goto(f"{base}/manage/units/new/?building={world.building_a.pk}")
    page.get_by_label("单位名称").fill("泰州错码商贸有限公司")
    code = valid_uscc(778)
    page.get_by_label("统一社会信用代码").fill(code[:17] + ("0" if code[17] != "0" else "1"))
    page.get_by_role("button", name="保存").click()
    assert page.get_by_text("校验位不正确").is_visible()
    page.screenshot(path=str(screenshot_dir / "unit-form-error-375.png"), full_page=True)
    assert not ResidentUnit.objects.filter(name="泰州错码商贸有限公司").exists()
    context.close()
