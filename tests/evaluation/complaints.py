"""Complaints made through the feedback capability's own services (evaluation reads them only through
`dangjian.feedback.selectors.valid_complaint_counts`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from dangjian.feedback import services as feedback
from dangjian.feedback.models import Feedback


def complaint(
    station: Any, handler: Any, *, on: datetime, valid: bool = True, resolved: bool | None = None
) -> Feedback:
    """A complaint from the complaint box collected at `on`, decided valid or invalid, and closed as
    resolved / unresolved (`resolved`), or left open (None)."""
    made = feedback.enter_paper(
        actor=handler,
        submission=feedback.Submission(
            station=station,
            channel="box",
            kind="complaint",
            title="党群服务中心周末未按时开门",
            content="周六上午九点半到达，党群服务中心仍未开门，希望按公示时间开放。",
        ),
        received_on=timezone.localtime(on).date(),
        now=on,
    )
    made = feedback.decide(
        actor=handler,
        feedback=made,
        validity="valid" if valid else "invalid",
        reason="" if valid else "经核实当日为公示的闭馆日",
    )
    if resolved is None:
        return made
    made = feedback.reply(actor=handler, feedback=made, text="已调整值班安排，确保按公示时间开放。")
    return feedback.close(actor=handler, feedback=made, resolution="resolved" if resolved else "unresolved")
