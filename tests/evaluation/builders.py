"""Builders of the evaluation tests. Times are built from fixed local days (never `now() + 1h`), so no
test depends on the hour it runs at."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from dangjian.evaluation import services
from dangjian.evaluation.models import (
    OccasionKind,
    QuestionKind,
    Questionnaire,
    Rectification,
    RectificationSource,
    SatisfactionInvitation,
    ServiceItem,
    ServiceOccurrence,
)


def day(offset: int) -> date:
    return timezone.localdate() + timedelta(days=offset)


def at(on: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(on, time(hour, minute)))


def png(name: str = "整改现场.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def make_item(station: Any, **fields: Any) -> ServiceItem:
    defaults: dict[str, Any] = {
        "title": "党建指导员接待日",
        "kind": "reception",
        "recurrence": "weekly",
        "weekday": 2,
        "at_time": time(9, 0),
        "window_minutes": 15,
        "starts_on": date(2025, 1, 1),
        "is_active": False,  # no automatic plan: tests make the occurrences they need
    }
    defaults.update(fields)
    return ServiceItem.objects.create(station=station, **defaults)


def occurrence(item: ServiceItem, scheduled_at: datetime, **fields: Any) -> ServiceOccurrence:
    return ServiceOccurrence.objects.create(
        item=item,
        station_id=item.station_id,
        scheduled_at=scheduled_at,
        window_ends_at=scheduled_at + timedelta(minutes=item.window_minutes),
        **fields,
    )


def invitation(person: Any, station: Any, occasion_id: int = 1, **fields: Any) -> SatisfactionInvitation:
    defaults: dict[str, Any] = {
        "occasion_kind": OccasionKind.ACTIVITY,
        "occasion_title": "学习贯彻党的二十届三中全会精神主题党日",
        "occurred_at": at(day(-1), 15),
    }
    defaults.update(fields)
    return SatisfactionInvitation.objects.create(
        person=person, station=station, occasion_id=occasion_id, **defaults
    )


def questionnaire(
    station: Any, author: Any, *, opens: datetime | None = None, closes: datetime | None = None
) -> Questionnaire:
    return services.questionnaire_open(
        actor=author,
        station=station,
        title="万达广场党群服务中心开放时间调整征求意见",
        description="拟将周末开放时间延长至 20:00，请各位发表意见。",
        opens_at=opens or at(day(-1), 9),
        closes_at=closes or at(day(7), 18),
        questions=[
            services.QuestionData(
                "您是否同意周末延长开放时间？", QuestionKind.SINGLE, ["同意", "不同意", "无所谓"]
            ),
            services.QuestionData(
                "您希望增加哪些服务？", QuestionKind.MULTIPLE, ["党课讲座", "法律咨询", "心理疏导"]
            ),
            services.QuestionData("其他意见", QuestionKind.TEXT),
        ],
    )


def measure(station: Any, *, owner: Any, verifier: Any, **fields: Any) -> Rectification:
    defaults: dict[str, Any] = {
        "title": "提升党建指导员接待日准时率",
        "problem": "第三季度接待日多次推迟开始，服务时间准确率低于 95%。",
        "source": RectificationSource.INDICATOR,
        "indicator": "punctuality",
        "deadline": day(30),
    }
    defaults.update(fields)
    return Rectification.objects.create(
        station=station, owner=owner, verifier=verifier, created_by=verifier, **defaults
    )
