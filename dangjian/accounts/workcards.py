"""Cards of accounts and of the person's own things on the work page: messages, personal centre and
search (the admins' people, roles and audit cards are `dangjian/people/workcards.py`)."""

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
