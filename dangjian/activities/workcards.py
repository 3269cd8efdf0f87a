"""Cards of activities on the work page: the seats offered to the person from a waiting list (to accept
before they lapse), and for an organisation's secretary the leave requests (请假) to decide. The pages come
in a later slice: URLs are reversed when the card is shown, falling back to the inbox (where every offer
and leave request is also announced) while the activities pages do not exist yet."""

from __future__ import annotations

from typing import Any

from dangjian.accounts.models import Role
from dangjian.accounts.permissions import (
    is_any_guide,
    is_any_officer,
    is_any_station_admin,
    is_any_worker,
    is_authenticated,
    organization_ids_with_role,
)
from dangjian.activities import joint
from dangjian.activities.links import path_or
from dangjian.activities.selectors import (
    checkin_activities,
    invitations_to_answer,
    missing_records_for,
    open_offers_for,
    pending_leave_for,
)
from dangjian.core.workcards import KEEP, register_card

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


def invitations_count(user: Any) -> int | None:
    """Invitations (活动邀约) waiting for the user's answer; no card when there are none."""
    return invitations_to_answer(user=user).count() or None


def missing_records_count(user: Any) -> int | None:
    """Held activities the user manages that ended without a record (台账); no card when there are none."""
    return missing_records_for(user=user).count() or None


def checkin_count(user: Any) -> int | None:
    """Activities open for check-in now that the user checks people in at; no card when there are none."""
    return checkin_activities(user=user).count() or None


register_card(
    key="activities.invitations",
    title="待答复的活动邀约",
    icon="envelope-open",
    url=lambda user: path_or("activities:invitations", INBOX),
    roles=is_authenticated,
    count=invitations_count,
    order=16,
    unit="条",
    hint="接受请填写参加人数",
)
register_card(
    key="activities.missing_records",
    title="待建立的活动台账",
    icon="journal-text",
    url=lambda user: path_or("activities:manage_list", INBOX),
    roles=is_any_officer | is_any_station_admin | is_any_worker,
    count=missing_records_count,
    order=56,
    unit="场",
    hint="每次活动后建立台账（§7.3）",
)
register_card(
    key="activities.checkins",
    title="正在签到的活动",
    icon="qr-code-scan",
    url=lambda user: path_or("activities:checkin_list", INBOX),
    roles=is_any_guide | is_any_officer | is_any_station_admin | is_any_worker,
    count=checkin_count,
    order=14,
    unit="场",
    hint="扫描报名二维码或查找姓名签到",
)
register_card(
    key="activities.joint_decisions",
    title="待落实的议定事项",
    icon="list-check",
    url=lambda user: path_or("activities:joint_decisions", INBOX) + "?mine=1",
    roles=is_authenticated,
    count=joint.owned_open_count,
    order=57,
    unit="项",
    hint="联席会议明确由您负责的事项，请按时限落实并更新进展",
)
register_card(
    key="activities.joint_meetings",
    title="联席会议",
    icon="people",
    url=lambda user: path_or("activities:joint_list", INBOX),
    roles="activities.convene_joint_meeting",
    count=joint.this_year_count,
    section=KEEP,
    order=58,
    unit="次",
    hint="本年度召开和计划召开的次数（每年 1–2 次）",
    note=joint.this_year_note,
)
