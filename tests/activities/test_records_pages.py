"""The records (台账) of an organisation's year as a printable page and an Excel download (issue 10 §5): every
held activity with its date (with the year), type, theme, place, attendance, quorum, summary, minutes,
resolutions and photo thumbnails; an ended activity without a record flagged, one still to come not; a
quarter at a time; print CSS; the workbook under its Chinese name (RFC 5987); for the organisation's
officers and its station's staff only; constant queries; bad parameters fall back, never 500."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.accounts.models import Role
from dangjian.activities.checkin import attendance_enter
from dangjian.activities.records_views import quarter_bounds
from dangjian.activities.services import record_file
from tests import factories as f
from tests.activities.builders import local, new_activity
from tests.venues.builders import png

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def print_url(organization: Any, query: str = "") -> str:
    return reverse("activities:records_print", kwargs={"pk": organization.pk}) + query


def export_url(organization: Any, query: str = "") -> str:
    return reverse("activities:records_export", kwargs={"pk": organization.pk}) + query


LAST_YEAR = timezone.localdate().year - 1


def last_year(life: Any, title: str, *, day: int = 0, **fields: Any) -> Any:
    """Held on a March day of last year (local time), so that it has ended whatever day the suite runs."""
    start = local(LAST_YEAR, 3, 2, 9) + timedelta(days=day)
    return new_activity(life.secretary_a, [life.world.org_a], starts_at=start, title=title, **fields)


def test_the_ledger_shows_each_activity_with_its_record(life, client) -> None:
    meeting = last_year(
        life,
        "一季度支部党员大会",
        activity_type="general_meeting",
        theme="学习二十大",
        location_text="党员活动室",
    )
    attendance_enter(actor=life.secretary_a, activity=meeting, person_ids=[m.pk for m in life.members[:5]])
    record_file(
        actor=life.secretary_a,
        activity=meeting,
        summary="审议发展对象\n通过年度计划",
        minutes="<p>会议由书记主持</p><script>alert(1)</script>",
        photos=[png("a.png")],
        captions=["会场合影"],
        resolutions=["同意接收张三为预备党员"],
        entitled_count=8,
    )
    missing = last_year(life, "未建台账的主题党日", day=3)
    client.force_login(life.secretary_a)

    page = client.get(print_url(life.world.org_a, f"?year={LAST_YEAR}")).content.decode()

    assert f"{life.world.org_a.name} {LAST_YEAR}年活动台账" in page
    entry = page.split(f'data-activity="{meeting.pk}"')[1].split("</article>")[0]
    assert f"{LAST_YEAR}年3月2日 09:00" in entry and "支部党员大会" in entry and "党员活动室" in entry
    assert "学习二十大" in entry and "会议由书记主持" in entry and "<script>" not in entry
    assert "应到 8 人，实到 5 人，达到半数" in entry and "同意接收张三为预备党员" in entry
    assert 'alt="会场合影"' in entry and "/media/activities/records/" in entry
    assert "已建立台账" in entry and life.secretary_a.display_name in entry
    assert "data-missing" in page.split(f'data-activity="{missing.pk}"')[1].split("</article>")[0]
    assert "共 2 次活动：已建立台账 1 次" in page and "未建立台账 1 次" in page
    assert "@media print" in page and "导出 Excel" in page


def test_an_activity_still_to_come_is_not_flagged(life, client) -> None:
    ahead = new_activity(
        life.secretary_a, [life.world.org_a], title="下周的党课", activity_type="party_lecture"
    )
    client.force_login(life.secretary_a)
    year = timezone.localtime(ahead.starts_at).year
    page = client.get(print_url(life.world.org_a, f"?year={year}")).content.decode()
    entry = page.split(f'data-activity="{ahead.pk}"')[1].split("</article>")[0]
    assert "尚未结束" in entry and "data-missing" not in entry and "尚未结束 1 次" in page


def test_a_quarter_at_a_time(life, client) -> None:
    year = timezone.localdate().year - 1
    march = new_activity(
        life.secretary_a, [life.world.org_a], title="三月底的主题党日", starts_at=local(year, 3, 31, 23, 0),
        hours=0.5,
    )  # fmt: skip
    april = new_activity(
        life.secretary_a, [life.world.org_a], title="四月的主题党日", starts_at=local(year, 4, 1, 9)
    )
    client.force_login(life.secretary_a)
    first = client.get(print_url(life.world.org_a, f"?year={year}&quarter=1")).content.decode()
    second = client.get(print_url(life.world.org_a, f"?year={year}&quarter=2")).content.decode()
    assert march.title in first and april.title not in first and "第一季度" in first
    assert april.title in second and march.title not in second
    assert quarter_bounds(year, 4)[1] == local(year + 1, 1, 1, 0)


def test_the_excel_download_has_the_chinese_file_name(life, client) -> None:
    meeting = last_year(life, "支部党员大会", activity_type="general_meeting")
    record_file(actor=life.secretary_a, activity=meeting, summary="纪要", entitled_count=8)
    year = LAST_YEAR
    client.force_login(life.world.own_admin)

    response = client.get(export_url(life.world.org_a, f"?year={year}"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = f"{life.world.org_a.name}-{year}年活动台账.xlsx"
    assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[2][3] == "支部党员大会" and rows[2][7] == "已建立"


@pytest.mark.parametrize("name", ["records_print", "records_export"])
def test_only_the_organisations_officers_and_its_stations_staff(life, client, name) -> None:
    world = life.world
    instructor = f.UserFactory(username="instructor_a")
    f.grant(instructor, Role.INSTRUCTOR, world.a)
    guide = f.UserFactory(username="guide_a")
    f.grant(guide, Role.GUIDE, world.a)
    target = reverse(f"activities:{name}", kwargs={"pk": world.org_a.pk})
    expected = {
        life.secretary_a: 200,
        world.officer_a: 200,
        instructor: 200,
        world.worker_a: 200,
        world.own_admin: 200,
        world.hq_admin: 200,
        guide: 404,  # a guide handles registrations, not organisation life
        life.secretary_b: 404,
        world.other_admin: 404,
        life.members[0]: 403,
        world.resident: 403,
    }
    for person, status in expected.items():
        client.force_login(person)
        assert client.get(target).status_code == status, person.username
        assert client.post(target).status_code == 405
    client.logout()
    assert client.get(target).status_code == 302
    missing = reverse(f"activities:{name}", kwargs={"pk": world.org_b.pk + 1000})
    client.force_login(world.hq_admin)
    assert client.get(missing).status_code == 404


@pytest.mark.parametrize(
    "query", ["?year=abc", "?year=99999", "?year=1999", "?quarter=9", "?quarter=x&year=", "?year=%00"]
)
def test_bad_parameters_fall_back_to_this_year(life, client, query) -> None:
    client.force_login(life.secretary_a)
    page = client.get(print_url(life.world.org_a, query))
    assert page.status_code == 200 and f"{timezone.localdate().year}年活动台账" in page.content.decode()
    assert client.get(export_url(life.world.org_a, query)).status_code == 200


def test_the_ledger_reads_a_constant_number_of_queries(life, client, django_assert_max_num_queries) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def grow(start: int, n: int) -> None:
        for i in range(start, start + n):
            activity = last_year(life, f"活动{i}", day=i, activity_type="general_meeting")
            attendance_enter(actor=life.secretary_a, activity=activity, person_ids=[life.members[i % 8].pk])
            record_file(
                actor=life.secretary_a,
                activity=activity,
                summary="纪要",
                photos=[png()],
                resolutions=["决议一", "决议二"],
                entitled_count=8,
            )
            last_year(life, f"无台账{i}", day=i)

    client.force_login(life.secretary_a)
    url = print_url(life.world.org_a, f"?year={LAST_YEAR}")
    grow(0, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow(1, 5)
    with django_assert_max_num_queries(len(few)):
        page = client.get(url)
    assert page.content.decode().count('data-activity="') == 12
