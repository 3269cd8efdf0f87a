"""Records of activities (台账, DB3212/T 1124 §7.3: 每次活动后建立台账).

A record has a summary, minutes (sanitised rich text), photos (re-encoded uploads), the attendance taken
from check-in, and for a 支部党员大会 the quorum: more than half of the members entitled to vote present
(中国共产党支部工作条例（试行）: 有表决权的党员到会人数超过半数方可召开). The members entitled to vote are
counted by the roster keeper — the members capability answers `signals.entitled_voters_wanted` (activities
may not import members, DESIGN.md arrows) — and when nobody answers, the secretary types the number
(`EntitledSource.TYPED`; the page offers `PartyOrganization.member_count` as a start). See
docs/decisions.md.

`flag_missing_records` (Celery beat, daily) tells the organisers and the station's instructors once of an
activity still without a record 7 days after it ended. `records_workbook` exports an organisation's year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from io import BytesIO
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from dangjian.accounts.models import Role
from dangjian.accounts.permissions import OFFICER_ROLES, role_holders
from dangjian.activities.invitations import send_once
from dangjian.activities.links import activity_url
from dangjian.activities.models import (
    COUNTING_STATUSES,
    Activity,
    ActivityRecord,
    ActivityType,
    Attendance,
    EntitledSource,
    RecordPhoto,
    RecordResolution,
)
from dangjian.activities.selectors import manageable_activities, year_bounds
from dangjian.activities.signals import EntitledVotersQuery, entitled_voters_wanted
from dangjian.core.access import fetch_or_404
from dangjian.core.audit import record_event
from dangjian.core.notifications import notify
from dangjian.organizations.models import PartyOrganization

RECORD_GRACE = timedelta(days=7)
QUORUM_TYPES = (ActivityType.GENERAL_MEETING,)
MAX_RESOLUTIONS = 50
HEADER_FILL = PatternFill("solid", fgColor="C8161D")


def roster_entitled_count(*, organization_id: int, on: date) -> int | None:
    """The members entitled to vote, as the roster keeper counts them; None when nobody answers."""
    for _receiver, answer in entitled_voters_wanted.send(
        sender=EntitledVotersQuery, organization_id=organization_id, on=on
    ):
        if isinstance(answer, int) and not isinstance(answer, bool) and answer >= 0:
            return answer
    return None


def lead_organization_id(activity: Activity) -> int | None:
    """The lead organiser (the lowest pk among the organisers when the order is not known)."""
    ids = sorted(activity.organizer_ids)
    return ids[0] if ids else None


def entitled_for(activity: Activity, typed: int | None) -> tuple[int | None, str]:
    """(entitled count, source) of a record: only a 支部党员大会 has a quorum; the roster wins over a typed
    number; without either the count stays empty (the record is kept, its quorum shown as not recorded —
    `ActivityRecord.quorum_met` None — and the page asks the secretary to fill it in)."""
    if activity.activity_type not in QUORUM_TYPES:
        return None, ""
    organization_id = lead_organization_id(activity)
    counted = (
        roster_entitled_count(organization_id=organization_id, on=timezone.localdate(activity.starts_at))
        if organization_id is not None
        else None
    )
    if counted is not None:
        return counted, EntitledSource.ROSTER
    if typed is None:
        return None, ""
    if not isinstance(typed, int) or typed < 1:
        raise ValidationError(
            {"entitled_count": ValidationError("应到党员人数至少为 1", code="entitled_count")}
        )
    return typed, EntitledSource.TYPED


def clean_resolutions(resolutions: Sequence[str]) -> list[str]:
    cleaned = [(text or "").strip() for text in resolutions]
    cleaned = [text for text in cleaned if text]
    if len(cleaned) > MAX_RESOLUTIONS:
        raise ValidationError(f"决议最多 {MAX_RESOLUTIONS} 条", code="too_many")
    if any(len(text) > 500 for text in cleaned):
        raise ValidationError("每条决议不超过 500 字", code="too_long")
    return cleaned


def present_count(activity: Activity) -> int:
    return Attendance.objects.filter(activity=activity).count()


def replace_resolutions(record: ActivityRecord, texts: list[str]) -> None:
    record.resolutions.all().delete()
    RecordResolution.objects.bulk_create(
        [RecordResolution(record=record, position=i + 1, text=text) for i, text in enumerate(texts)]
    )


# ---------------------------------------------------------------- the record missing 7 days after the end


def flag_missing_records(*, now: datetime | None = None) -> int:
    """Held activities (published or finished) with organisers, ended at least 7 days ago and without a
    record: their organisers' secretaries and officers, their creator and the instructors of the station
    are told — once per activity (`SentReminder` `record_missing:<pk>`). Returns how many were flagged."""
    now = now or timezone.now()
    due = (
        Activity.objects.filter(
            status__in=COUNTING_STATUSES, ends_at__lte=now - RECORD_GRACE, organizers__isnull=False
        )
        .exclude(Exists(ActivityRecord.objects.filter(activity_id=OuterRef("pk"))))
        .select_related("station", "created_by")
        .prefetch_related("organizers")
        .distinct()
        .order_by("ends_at", "id")
    )
    flagged = 0
    for activity in due:
        people = [activity.created_by]
        for organization_id in sorted(activity.organizer_ids):
            people += list(role_holders(*OFFICER_ROLES, organization_id=organization_id))
        people += list(role_holders(Role.INSTRUCTOR, station_id=activity.station_id))
        with transaction.atomic():
            if not send_once(f"record_missing:{activity.pk}", people):
                continue
            ended = timezone.localtime(activity.ends_at)
            notify(
                recipients=people,
                title=f"活动台账未提交：{activity.title}",
                body=(
                    f"“{activity.title}”已于{ended:%Y年%m月%d日}结束 7 天，尚未建立台账"
                    "（DB3212/T 1124 §7.3：每次活动后建立台账），请尽快补交。"
                ),
                url=activity_url(activity),
                station=activity.station,
            )
            record_event(
                actor=None,
                action="activities.record.flag",
                target=activity,
                station=activity.station,
                data={"recipients": len({p.pk for p in people})},
            )
            flagged += 1
    return flagged


# ---------------------------------------------------------------- reads and the Excel export


def record_of(*, activity: Activity) -> ActivityRecord | None:
    return (
        ActivityRecord.objects.filter(activity=activity)
        .select_related("filed_by")
        .prefetch_related("photos", "resolutions")
        .first()
    )


def year_activities(*, organization: PartyOrganization, year: int) -> QuerySet[Activity]:
    """The organisation's held activities of a year (local time), oldest first, each with its record,
    resolutions and attendance count — a constant number of queries."""
    start, end = year_bounds(year)
    return (
        Activity.objects.filter(
            organizers=organization, status__in=COUNTING_STATUSES, starts_at__gte=start, starts_at__lt=end
        )
        .select_related("record", "record__filed_by")
        .prefetch_related(
            Prefetch("record__resolutions", queryset=RecordResolution.objects.order_by("position", "id"))
        )
        .annotate(attended=Count("attendances", distinct=True))
        .order_by("starts_at", "id")
    )


@dataclass(frozen=True)
class RecordLine:
    activity: Activity
    record: ActivityRecord | None

    @property
    def quorum_label(self) -> str:
        if self.record is None or self.record.quorum_met is None:
            return ""
        met = "达到" if self.record.quorum_met else "未达到"
        return f"应到 {self.record.entitled_count} 人，实到 {self.record.present_count} 人，{met}半数"


def record_lines(*, organization: PartyOrganization, year: int) -> list[RecordLine]:
    lines = []
    for activity in year_activities(organization=organization, year=year):
        try:
            record = activity.record
        except ActivityRecord.DoesNotExist:
            record = None
        lines.append(RecordLine(activity=activity, record=record))
    return lines


def records_filename(*, organization: PartyOrganization, year: int) -> str:
    """`万达广场楼宇联合党支部-2027年活动台账.xlsx` (the view sends it with an RFC 6266 header)."""
    return f"{organization.name}-{year}年活动台账.xlsx"


def records_workbook(*, organization: PartyOrganization, year: int) -> bytes:
    """An organisation's year of records (台账) as .xlsx: one row per held activity."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}年活动台账"
    sheet.append([f"{organization.name} {year}年活动台账"])
    sheet["A1"].font = Font(bold=True, size=13)
    headers = [
        "日期",
        "时间",
        "活动类型",
        "活动名称",
        "主题",
        "实到人数",
        "法定人数",
        "台账",
        "活动纪要",
        "决议",
        "提交人",
        "提交时间",
    ]
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    for line in record_lines(organization=organization, year=year):
        activity, record = line.activity, line.record
        start, end = timezone.localtime(activity.starts_at), timezone.localtime(activity.ends_at)
        sheet.append(
            [
                f"{start:%Y-%m-%d}",
                f"{start:%H:%M}–{end:%H:%M}",
                activity.get_activity_type_display(),
                activity.title,
                activity.theme,
                record.present_count if record else getattr(activity, "attended", 0),
                line.quorum_label,
                "已建立" if record else "未建立",
                record.summary if record else "",
                "\n".join(f"{r.position}. {r.text}" for r in record.resolutions.all()) if record else "",
                record.filed_by.display_name if record else "",
                f"{timezone.localtime(record.filed_at):%Y-%m-%d %H:%M}" if record else "",
            ]
        )
    for letter, width in zip("ABCDEFGHIJKL", (12, 13, 12, 30, 20, 9, 30, 8, 50, 40, 10, 17), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    output = BytesIO()
    book.save(output)
    return output.getvalue()


def entitled_hint(*, activity: Activity) -> tuple[int | None, str]:
    """What the record page offers for the members entitled to vote of a 支部党员大会: the roster's count
    (source `roster`, not to be typed), else the organisation's registered member count as a start for the
    secretary (source `typed`); (None, "") for other types."""
    if activity.activity_type not in QUORUM_TYPES:
        return None, ""
    organization_id = lead_organization_id(activity)
    if organization_id is None:
        return None, EntitledSource.TYPED
    counted = roster_entitled_count(
        organization_id=organization_id, on=timezone.localdate(activity.starts_at)
    )
    if counted is not None:
        return counted, EntitledSource.ROSTER
    member_count = (
        PartyOrganization.objects.filter(pk=organization_id).values_list("member_count", flat=True).first()
    )
    return member_count or None, EntitledSource.TYPED


def access_record_photo(*, user: Any, pk: Any) -> RecordPhoto:
    """A photo of a record of an activity the user manages (to take it off); the same 404 otherwise."""
    photo = fetch_or_404(
        RecordPhoto.objects.filter(
            record__activity__in=manageable_activities(user).values("pk")
        ).select_related("record"),
        pk,
    )
    activity = Activity.objects.prefetch_related("organizers").get(pk=photo.record.activity_id)
    if not user.has_perm("activities.manage_activity", activity):
        raise Http404
    return photo
