"""Cards of member management (党员管理, §6.3) on the work page: an officer's roster and the correction
requests waiting for them; a member's own record."""

from __future__ import annotations

from typing import Any

from dangjian.accounts.models import PersonKind
from dangjian.accounts.permissions import is_any_officer, is_any_station_admin
from dangjian.core.workcards import KEEP, SHORTCUT, register_card
from dangjian.members.models import ACTIVE_STATUSES
from dangjian.members.selectors import member_scope, pending_corrections, visible_profiles


def roster_count(user: Any) -> int:
    """Members on the roll (正常 and 流动) of the organisations and stations the user keeps."""
    with member_scope(user):
        return visible_profiles(user).filter(status__in=ACTIVE_STATUSES).count()


def corrections_count(user: Any) -> int:
    """Pending requests the user may decide (officers of the organisation, station admins)."""
    with member_scope(user):
        return pending_corrections(user).count()


def is_member(user: Any) -> bool:
    return getattr(user, "person_kind", "") == PersonKind.MEMBER


register_card(
    key="members.corrections",
    title="待处理的信息更正",
    icon="person-exclamation",
    url="members:corrections",
    roles=is_any_officer | is_any_station_admin,
    count=corrections_count,
    order=40,
    unit="条",
    hint="党员申请更正本人信息，确认后生效",
)
register_card(
    key="members.roster",
    title="党员花名册",
    icon="person-vcard",
    url="members:roster",
    roles="members.manage",
    count=roster_count,
    order=20,
    section=KEEP,
    unit="名",
    hint="在册党员（正常、流动）",
)
register_card(
    key="members.import",
    title="导入党员",
    icon="file-earmark-spreadsheet",
    url="members:import",
    roles="members.manage",
    order=40,
    section=SHORTCUT,
    hint="按模板批量登记，导入后凭手机号登录",
)
register_card(
    key="members.me",
    title="我的党员档案",
    icon="person-badge",
    url="members:me",
    roles=is_member,
    order=60,
    section=SHORTCUT,
    hint="核对本人信息，有误可申请更正",
)
