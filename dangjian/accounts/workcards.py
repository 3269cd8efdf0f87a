"""Cards of accounts and of the person's own things on the work page: messages, personal centre, and
for admins people, roles and the audit trail."""

from __future__ import annotations

from typing import Any

from dangjian.accounts.permissions import is_authenticated
from dangjian.core.notifications import unread_count
from dangjian.core.workcards import SHORTCUT, register_card


def unread_messages(user: Any) -> int:
    return unread_count(user)


register_card(
    key="accounts.inbox",
    title="未读消息",
    icon="bell",
    url="core:inbox",
    roles=is_authenticated,
    count=unread_messages,
    order=90,
    unit="条",
    hint="审核结果、通知公告、党费提醒",
)
register_card(
    key="accounts.people",
    title="人员管理",
    icon="people",
    url="accounts:person_list",
    roles="accounts.manage_people",
    order=80,
    section=SHORTCUT,
    hint="登记人员、重置密码（临时密码）",
)
register_card(
    key="accounts.roles",
    title="授权角色",
    icon="person-plus",
    url="accounts:role_create",
    roles="accounts.view_roles",
    order=81,
    section=SHORTCUT,
    hint="指导员审核、党务工作者发布、讲解员预约",
)
register_card(
    key="accounts.audit",
    title="操作审计",
    icon="shield-check",
    url="accounts:audit",
    roles="accounts.view_audit",
    order=82,
    section=SHORTCUT,
    hint="每一次修改都有记录可查",
)
register_card(
    key="accounts.profile",
    title="个人中心",
    icon="person-circle",
    url="accounts:profile",
    roles=is_authenticated,
    order=95,
    section=SHORTCUT,
    hint="联系方式、修改密码、我的角色",
)
register_card(
    key="accounts.search",
    title="检索",
    icon="search",
    url="core:search",
    roles=is_authenticated,
    order=92,
    section=SHORTCUT,
    hint="全文检索信息发布与党务公开",
)
