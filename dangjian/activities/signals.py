"""Signals the activities app emits (DESIGN.md: a capability reacts to another's events through the emitter's
`signals.py`; a listener imports only this module, and activities never imports the listener).

Each is sent once the transaction commits, with an `ActivitySummary` — everything a listener (news, the
display screen, dashboards, member development) needs without reading an activities model:

    activity_published.send(sender=ActivitySummary, summary=summary, actor=user)
    activity_cancelled.send(sender=ActivitySummary, summary=summary, actor=user)
    activity_record_filed.send(sender=ActivitySummary, summary=summary, actor=user)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.dispatch import Signal

activity_published = Signal()
activity_cancelled = Signal()
activity_record_filed = Signal()  # 台账 filed (DB3212/T 1124 §7.3)


@dataclass(frozen=True)
class ActivitySummary:
    activity_id: int
    station_id: int
    organization_ids: tuple[int, ...]
    activity_type: str
    title: str
    starts_at: datetime
    ends_at: datetime
    audience: str
    counts_for_life: bool
