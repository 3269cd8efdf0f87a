"""The indicators page (with its ECharts trend) and the public accountability page in Chromium at 375 px
and 1440 px: the chart is drawn, nothing scrolls sideways on a phone; screenshots for the record."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from dangjian.evaluation import rectifications
from dangjian.evaluation.indicators import Period
from dangjian.evaluation.models import OccasionKind, OccurrenceStatus, SatisfactionAnswer
from tests import factories as f
from tests.browser_support import DESKTOP, PHONE, log_in, no_sideways_scroll
from tests.evaluation.builders import at, day, invitation, make_item, measure, occurrence, png

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
OUT = Path("/tmp/i12")


def _figures(world) -> Period:
    """Five quarters of answers and deliveries at A, ending with the last full quarter."""
    last = Period.containing(timezone.localdate(), "quarter").previous()
    item = make_item(world.a, title="党建指导员接待日")
    for back, period in enumerate(reversed(last.trend(5))):
        first = period.first_day
        for n in range(6):
            person = f.UserFactory()
            asked = invitation(person, world.a, occasion_id=1000 * back + n)
            SatisfactionAnswer.objects.create(
                invitation=asked,
                station=world.a,
                occasion_kind=OccasionKind.ACTIVITY,
                score=(5, 4, 4, 3, 5, 2 if back % 2 else 5)[n],
                answered_at=at(first + timedelta(days=10 + n), 15),
            )
        for week in range(8):
            scheduled = at(first + timedelta(days=7 * week + 2), 9)
            row = occurrence(item, scheduled)
            if week < 6 - back % 2:
                row.status, row.delivered_at, row.on_time = OccurrenceStatus.DELIVERED, scheduled, week != 3
            else:
                row.status = OccurrenceStatus.MISSED
            row.save()
    return last


def test_indicator_and_accountability_pages(world, live_server, browser, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    last = _figures(world)
    done = measure(world.a, owner=world.worker_a, verifier=world.officer_a, title="接待日准时开始")
    for action, kwargs in (
        ("start", {}),
        ("submit", {"evidence_text": "两名指导员轮值，近 8 次全部按时", "evidence_file": png()}),
        ("approve", {"comment": "抽查接待记录属实"}),
    ):
        actor = world.officer_a if action == "approve" else world.worker_a
        done = rectifications.rectification_move(actor=actor, measure=done, action=action, **kwargs)
    going = measure(
        world.a,
        owner=world.worker_a,
        verifier=world.officer_a,
        title="周末阵地开放时间落实到位",
        deadline=day(20),
    )
    rectifications.rectification_move(actor=world.worker_a, measure=going, action="start")
    rectifications.progress_add(
        actor=world.worker_a, measure=going, text="已与物业签订周末开门协议，试运行两周"
    )

    for name, viewport in (("375", PHONE), ("1440", DESKTOP)):
        context = browser.new_context(viewport=viewport, locale="zh-CN", device_scale_factor=1)
        page = context.new_page()
        errors: list[str] = []
        page.on(
            "console",
            lambda message, seen=errors: seen.append(message.text) if message.type == "error" else None,
        )
        page.goto(f"{live_server.url}/evaluation/station/{world.a.code}/accountability/")
        assert page.get_by_text("接待日准时开始").is_visible()
        page.screenshot(path=str(OUT / f"evaluation_accountability_{name}.png"), full_page=True)
        if name == "375":
            no_sideways_scroll(page, "整改公示")
        log_in(page, live_server.url, world.own_admin.username)
        page.goto(f"{live_server.url}/manage/evaluation/indicators/?station={world.a.pk}&period={last.code}")
        page.wait_for_selector("[data-eval-chart][data-chart-ready='1']")
        page.screenshot(path=str(OUT / f"evaluation_indicators_{name}.png"), full_page=True)
        if name == "375":
            no_sideways_scroll(page, "服务评价指标")
        assert not errors, errors
        context.close()
