"""The commits after which the cockpit's figures are recomputed (a minute later, once for many): the
capabilities' own events, heard through their `signals` modules."""

from __future__ import annotations

from typing import Any

from dangjian.activities import signals as activities
from dangjian.dashboards.figures import request_refresh
from dangjian.development import signals as development
from dangjian.dues import signals as dues
from dangjian.elections import signals as elections
from dangjian.feedback import signals as feedback
from dangjian.learning import signals as learning
from dangjian.venues import signals as venues

SIGNALS = (
    activities.activity_published,
    activities.activity_cancelled,
    activities.activity_record_filed,
    activities.activity_attendees_final,
    development.candidate_admitted,
    development.candidate_became_full_member,
    dues.dues_period_closed,
    elections.election_completed,
    feedback.feedback_submitted,
    feedback.feedback_closed,
    feedback.feedback_rated,
    learning.course_completed,
    venues.reservation_decided,
    venues.reservation_checked_in,
)


def figures_changed(sender: Any, **kwargs: Any) -> None:
    request_refresh()


def connect() -> None:
    for signal in SIGNALS:
        signal.connect(figures_changed, dispatch_uid=f"dashboards.refresh.{id(signal)}")
