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


# Asked, not told: the roster keeper (the members capability, which activities may not import) answers how
# many members of an organisation are entitled to vote on a day (正式党员; 预备党员 have no vote), for the
# quorum of a 支部党员大会. A receiver returns an int, or None when it does not know:
#
#     @receiver(entitled_voters_wanted)
#     def count(sender, organization_id, on, **kwargs): return <formal members of the organisation on `on`>
#
# Without a receiver the secretary types the number (`records.entitled_for`).
entitled_voters_wanted = Signal()


@dataclass(frozen=True)
class EntitledVotersQuery:
    """The `sender` of `entitled_voters_wanted`."""

    organization_id: int


# Sent with the record (台账) of a held activity, once the transaction commits, for those who ask the people
# present (the evaluation capability's satisfaction survey, DB3212/T 1124 §10.1.1):
#
#     activity_attendees_final.send(sender=ActivitySummary, summary=summary, attendee_ids=(…), actor=user)
#
# `attendee_ids`: the people checked in (Attendance). Sent on every filing; listeners must be idempotent.
activity_attendees_final = Signal()
