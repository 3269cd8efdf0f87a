"""Builders of feedback for the feedback tests: submissions through the services, and a handled item in
each state of the workflow."""

from __future__ import annotations

from typing import Any

from dangjian.accounts.models import User
from dangjian.feedback import services
from dangjian.feedback.models import Feedback

REPLY = "已联系物业，周六、周日书吧开放时间调整为 9:00–17:00，感谢您的建议。"


def submission(station: Any, **fields: Any) -> services.Submission:
    defaults: dict[str, Any] = {
        "channel": "online",
        "kind": "complaint",
        "title": "三楼书吧周末不开放",
        "content": "周六上午到万达广场三楼书吧看书，门锁着，门口也没有告示，希望周末也能开放。",
        "contact_name": "王女士",
        "contact_phone": "13852601234",
    }
    defaults.update(fields)
    return services.Submission(station=station, **defaults)


def submit(station: Any, actor: Any = None, ip: str = "10.1.2.3", **fields: Any) -> Feedback:
    return services.submit(actor=actor, submission=submission(station, **fields), ip=ip)


def replied(station: Any, handler: User, **fields: Any) -> Feedback:
    feedback = submit(station, **fields)
    return services.reply(actor=handler, feedback=feedback, text=REPLY)


def closed(
    station: Any, handler: User, *, validity: str = "valid", resolution: str = "resolved", **fields: Any
) -> Feedback:
    feedback = replied(station, handler, **fields)
    if feedback.is_complaint:
        services.decide(
            actor=handler,
            feedback=feedback,
            validity=validity,
            reason="" if validity == "valid" else "反映的情况不属实",
        )
    return services.close(actor=handler, feedback=feedback, resolution=resolution)
