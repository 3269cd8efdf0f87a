"""Shortcut cards of the people pages on the work page: people, role grants and the audit trail."""

from __future__ import annotations

from dangjian.core.workcards import SHORTCUT, register_card

register_card(
    key="people.people",
    title="人员管理",
    icon="people",
    url="people:person_list",
    roles="accounts.manage_people",
    order=80,
    section=SHORTCUT,
    hint="登记人员、重置密码（临时密码）",
)
register_card(
    key="people.roles",
    title="授权角色",
    icon="person-plus",
    url="people:role_create",
    roles="accounts.view_roles",
    order=81,
    section=SHORTCUT,
    hint="指导员审核、党务工作者发布、讲解员预约",
)
register_card(
    key="people.audit",
    title="操作审计",
    icon="shield-check",
    url="people:audit",
    roles="accounts.view_audit",
    order=82,
    section=SHORTCUT,
    hint="每一次修改都有记录可查",
)
