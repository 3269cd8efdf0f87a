"""Cards of activities on the work page: the seats offered to the person from a waiting list (to accept
before they lapse), and for an organisation's secretary the leave requests (请假) to decide. The pages come
in a later slice: URLs are reversed when the card is shown, falling back to the inbox (where every offer
and leave request is also announced) while the activities pages do not exist yet."""

from __future__ import annotations

from typing import Any

from dangjian.accounts.models import Role
from dangjian.accounts.permissions import is_any_officer, is_authenticated, organization_ids_with_role
from dangjian.activities.links import path_or
from dangjian.activities.selectors import open_offers_for, pending_leave_for
from dangjian.core.workcards import register_card

INBOX = "core:inbox"


def offers_count(user: Any) -> int:
    return open_offers_for(user).count()


def leave_count(user: Any) -> int | None:
    """Pending leave requests of the organisations the user is secretary of; None (no card) for others."""
    if not organization_ids_with_role(user, Role.ORG_SECRETARY):
        return None
    return pending_leave_for(user).count()


register_card(
    key="activities.offers",
    title="待确认的候补名额",
    icon="hourglass-split",
    url=lambda user: path_or("activities:my", INBOX),
    roles=is_authenticated,
    count=offers_count,
    order=15,
    unit="个",
    hint="空出的名额为您保留，逾期将顺延给下一位",
)
register_card(
    key="activities.leave_requests",
    title="待审批的请假",
    icon="calendar-x",
    url=lambda user: path_or("activities:leave_requests", INBOX),
    roles=is_any_officer,
    count=leave_count,
    order=55,
    unit="条",
    hint="主办活动中本组织党员的请假申请",
)
