"""Records (台账, issue 10 §5; DB3212/T 1124 §7.3): summary, sanitised minutes, re-encoded photos, attendance
from check-in, the quorum of a 支部党员大会 (more than half of the members entitled to vote, from the roster
when the roster keeper answers, else typed), resolutions; the record missing 7 days after the end flagged
once to the organiser and the instructor; the year exported to Excel."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.accounts.models import Role
from dangjian.activities.checkin import attendance_enter
from dangjian.activities.models import ActivityRecord, EntitledSource, SentReminder
from dangjian.activities.records import flag_missing_records, records_filename, records_workbook
from dangjian.activities.selectors import compliance_for
from dangjian.activities.services import record_file
from dangjian.activities.signals import entitled_voters_wanted
from tests import factories as f
from tests.activities.builders import audit_actions, inbox, local, new_activity
from tests.venues.builders import png

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def held(life: Any, activity_type: str = "general_meeting", *, days_ago: int = 1, **fields: Any) -> Any:
    start = timezone.now() - timedelta(days=days_ago, hours=3)
    return new_activity(
        life.secretary_a, [life.world.org_a], starts_at=start, activity_type=activity_type, **fields
    )


def test_the_quorum_comes_from_the_roster_when_the_roster_keeper_answers(life) -> None:
    meeting = held(life)
    attendance_enter(actor=life.secretary_a, activity=meeting, person_ids=[m.pk for m in life.members[:5]])

    def roster(sender: Any, organization_id: int, on: Any, **kwargs: Any) -> int:
        assert organization_id == life.world.org_a.pk
        return 9

    entitled_voters_wanted.connect(roster, weak=False)
    try:
        record = record_file(
            actor=life.secretary_a, activity=meeting, summary="审议发展对象", entitled_count=4
        )
    finally:
        entitled_voters_wanted.disconnect(roster)

    assert (record.entitled_count, record.entitled_source, record.present_count) == (
        9,
        EntitledSource.ROSTER,
        5,
    )
    assert record.quorum_met is True  # 5 of 9: more than half


def test_without_a_roster_the_secretary_types_the_entitled_count(life) -> None:
    meeting = held(life)
    attendance_enter(actor=life.secretary_a, activity=meeting, person_ids=[m.pk for m in life.members[:4]])
    record = record_file(actor=life.secretary_a, activity=meeting, summary="纪要", entitled_count=8)
    assert (record.entitled_count, record.entitled_source) == (8, EntitledSource.TYPED)
    assert record.quorum_met is False  # 4 of 8 is not more than half

    attendance_enter(actor=life.secretary_a, activity=meeting, person_ids=[life.members[4].pk])
    again = record_file(actor=life.secretary_a, activity=meeting, summary="纪要", entitled_count=8)
    assert again.pk == record.pk and again.present_count == 5 and again.quorum_met is True


def test_other_types_have_no_quorum(life) -> None:
    record = record_file(
        actor=life.secretary_a, activity=held(life, "theme_day"), summary="纪要", entitled_count=8
    )
    assert record.entitled_count is None and record.quorum_met is None


def test_minutes_are_sanitised_photos_reencoded_and_resolutions_kept_in_order(life) -> None:
    meeting = held(life)
    record = record_file(
        actor=life.secretary_a,
        activity=meeting,
        summary="纪要",
        minutes="<p>会议记录</p><script>alert(1)</script><img src=x onerror=alert(1)>",
        photos=[png("a.png"), png("b.png")],
        captions=["合影"],
        resolutions=["同意接收张三为预备党员", "  ", "通过年度工作计划"],
    )
    assert (
        "<script>" not in record.minutes and "onerror" not in record.minutes and "会议记录" in record.minutes
    )
    assert [r.text for r in record.resolutions.all()] == ["同意接收张三为预备党员", "通过年度工作计划"]
    photos = list(record.photos.all())
    assert len(photos) == 2 and photos[0].caption == "合影"
    assert photos[0].photo.name.startswith("activities/records/")

    # filing again without minutes or resolutions keeps them; new photos are added
    again = record_file(actor=life.secretary_a, activity=meeting, summary="更正纪要", photos=[png()])
    assert "会议记录" in again.minutes and again.resolutions.count() == 2 and again.photos.count() == 3
    assert "activities.record.file" in audit_actions()


def test_a_file_that_is_not_an_image_is_refused(life) -> None:
    from django.core.exceptions import ValidationError

    fake = SimpleUploadedFile("x.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    with pytest.raises(ValidationError) as refused:
        record_file(actor=life.secretary_a, activity=held(life), summary="纪要", photos=[fake])
    assert refused.value.code == "not_image" and not ActivityRecord.objects.exists()


def test_a_missing_record_is_flagged_once_to_the_organiser_and_the_instructor(
    life, django_capture_on_commit_callbacks
) -> None:
    instructor = f.UserFactory(username="instructor_a")
    f.grant(instructor, Role.INSTRUCTOR, life.world.a)
    late = held(life, "theme_day", days_ago=8, title="八天前的主题党日")
    recent = held(life, "theme_day", days_ago=3, title="三天前的主题党日")
    filed = held(life, "party_lecture", days_ago=9)
    record_file(actor=life.secretary_a, activity=filed, summary="纪要")

    with django_capture_on_commit_callbacks(execute=True):
        assert flag_missing_records() == 1
        assert flag_missing_records() == 0  # the beat runs again: flagged once
        assert flag_missing_records(now=timezone.now() + timedelta(days=4)) == 1  # now `recent` is due
    title = f"活动台账未提交：{late.title}"
    assert inbox(life.secretary_a).count(title) == 1 and inbox(instructor).count(title) == 1
    assert SentReminder.objects.filter(key=f"record_missing:{late.pk}").exists()
    assert SentReminder.objects.filter(key=f"record_missing:{recent.pk}").exists()
    assert not SentReminder.objects.filter(key=f"record_missing:{filed.pk}").exists()


def test_records_feed_the_compliance_engines_with_a_record(life) -> None:
    start = local(2026, 2, 10, 9)
    activities = [
        new_activity(life.secretary_a, [life.world.org_a], starts_at=start + timedelta(days=i))
        for i in range(3)
    ]
    for activity in activities[:2]:
        record_file(actor=life.secretary_a, activity=activity, summary="纪要")
    q1 = compliance_for(organization=life.world.org_a, year=2026, today=local(2026, 4, 2).date()).quarter(1)
    with_record = next(c for c in q1.checks if "有台账" in c.label)
    assert with_record.actual == 2 and with_record.required == 3


def test_a_years_records_export_to_excel_with_a_chinese_file_name(life) -> None:
    meeting = held(life)
    attendance_enter(actor=life.secretary_a, activity=meeting, person_ids=[m.pk for m in life.members[:5]])
    record_file(
        actor=life.secretary_a, activity=meeting, summary="审议", entitled_count=8, resolutions=["决议一"]
    )
    held(life, "theme_day", title="未建台账的活动")
    year = timezone.localtime(meeting.starts_at).year

    data = records_workbook(organization=life.world.org_a, year=year)

    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == f"{life.world.org_a.name} {year}年活动台账"
    body = {row[3]: row for row in rows[2:]}
    assert body[meeting.title][5] == 5 and "达到半数" in body[meeting.title][6]
    assert body[meeting.title][7] == "已建立" and body[meeting.title][9] == "1. 决议一"
    assert body["未建台账的活动"][7] == "未建立"
    assert (
        records_filename(organization=life.world.org_a, year=year)
        == f"{life.world.org_a.name}-{year}年活动台账.xlsx"
    )


def test_the_entitled_hint_offers_the_roster_or_the_registered_member_count(life) -> None:
    from dangjian.activities.records import entitled_hint

    life.world.org_a.member_count = 23
    life.world.org_a.save()
    meeting = held(life)
    assert entitled_hint(activity=meeting) == (23, EntitledSource.TYPED)
    assert entitled_hint(activity=held(life, "theme_day")) == (None, "")

    def roster(sender: Any, **kwargs: Any) -> int:
        return 19

    entitled_voters_wanted.connect(roster, weak=False)
    try:
        assert entitled_hint(activity=meeting) == (19, EntitledSource.ROSTER)
    finally:
        entitled_voters_wanted.disconnect(roster)


def test_a_photo_is_taken_off_by_the_organisers_only(life) -> None:
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from dangjian.activities.models import RecordPhoto
    from dangjian.activities.records import access_record_photo
    from dangjian.activities.services import record_photo_remove

    record = record_file(
        actor=life.secretary_a, activity=held(life, "theme_day"), summary="纪要", photos=[png()]
    )
    photo = record.photos.get()
    with pytest.raises(Http404):
        access_record_photo(user=life.secretary_b, pk=photo.pk)
    with pytest.raises(PermissionDenied):
        record_photo_remove(actor=life.secretary_b, photo=photo)
    record_photo_remove(actor=life.secretary_a, photo=access_record_photo(user=life.secretary_a, pk=photo.pk))
    assert not RecordPhoto.objects.exists() and "activities.record.photo" in audit_actions()
