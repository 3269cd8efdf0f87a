"""Signals the learning app emits (DESIGN.md: a listener imports only this module).

Sent once the transaction commits, with a `CompletionSummary` — what a listener (member development,
dashboards) needs without reading a learning model:

    course_completed.send(sender=CompletionSummary, summary=summary)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.dispatch import Signal

course_completed = Signal()


@dataclass(frozen=True)
class CompletionSummary:
    user_id: int
    course_id: int
    station_id: int
    completed_at: datetime
    year: int
    credit_hours: Decimal
