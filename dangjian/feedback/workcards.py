"""Cards of feedback on the work page (工作台): a handler's items assigned to them and not yet replied; a
station admin's overdue items at their stations (HQ: every station)."""

from __future__ import annotations

from typing import Any

from dangjian.accounts.permissions import is_any_guide, is_any_station_admin, is_any_worker
from dangjian.core.workcards import SHORTCUT, register_card, remembered
from dangjian.feedback.selectors import CardCounts, card_counts


def counts(user: Any) -> CardCounts:
    """One query for both cards (`remembered` for the request)."""
    return remembered(user, "feedback.cards", lambda: card_counts(user=user))  # type: ignore[no-any-return]


def handles_feedback(user: Any) -> bool:
    return bool(is_any_worker(user) or is_any_guide(user) or is_any_station_admin(user))


register_card(
    key="feedback.assigned",
    title="我承办的意见反馈",
    icon="chat-left-text",
    url="feedback:manage_list",
    query="?mine=1&status=",
    roles=handles_feedback,
    count=lambda user: counts(user).assigned,
    order=25,
    unit="条",
    hint="分派给我、尚未答复的投诉、建议和咨询",
)
register_card(
    key="feedback.overdue",
    title="逾期未答复的意见反馈",
    icon="alarm",
    url="feedback:manage_list",
    query="?overdue=1",
    roles=is_any_station_admin,
    count=lambda user: counts(user).overdue,
    order=26,
    unit="条",
    hint="超过答复期限，请督促承办人",
)
register_card(
    key="feedback.manage",
    title="意见反馈办理",
    icon="inbox",
    url="feedback:manage_list",
    roles="feedback.enter_management",
    order=65,
    section=SHORTCUT,
    hint="投诉、建议、表扬、咨询；录入投诉箱、意见簿",
)
