"""Cards of remote learning on the work page (issue 11 §7): my assigned courses and the nearest deadline,
my 学时 this year against the target, and for officers their organisations' completion of open assignments.

The learning pages come later; until they exist the cards lead to the work page itself (`_learning_url`)."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.accounts.models import PersonKind
from dangjian.accounts.permissions import (
    OFFICER_ROLES,
    is_any_instructor,
    is_any_officer,
    is_authenticated,
    organization_ids_with_role,
)
from dangjian.core.workcards import KEEP, SHORTCUT, register_card, remembered
from dangjian.learning.assignments import completion_rates
from dangjian.learning.models import AssignmentLearner
from dangjian.learning.selectors import my_assignments, year_summary


def _learning_url(name: str) -> Any:
    def url(user: Any) -> str:
        try:
            return reverse(name)
        except NoReverseMatch:
            return reverse("portal:workpage")

    return url


def _open(user: Any) -> list[AssignmentLearner]:
    return remembered(user, "learning.open", lambda: my_assignments(user))  # type: ignore[no-any-return]


def open_count(user: Any) -> int | None:
    """Assigned courses not yet completed; no card for someone never assigned anything open."""
    return len(_open(user)) or None


def nearest_deadline(user: Any) -> str:
    rows = _open(user)
    if not rows:
        return ""
    deadline = rows[0].assignment.deadline
    late = "（已逾期）" if deadline < timezone.localdate() else ""
    return f"最近截止：{deadline:%Y年%m月%d日}{late}"


def learns(user: Any) -> bool:
    """Party members and instructors have yearly targets; others ask no query."""
    return getattr(user, "person_kind", "") == PersonKind.MEMBER or bool(is_any_instructor(user))


def hours_note(user: Any) -> str:
    summary = year_summary(user)
    return f"{summary.year}年 {summary.hours} / {summary.target} 学时，积分 {summary.points}"


def _officer_rate(user: Any) -> Any:
    def compute() -> Any:
        organization_ids = sorted(organization_ids_with_role(user, *OFFICER_ROLES))
        with scopes_disabled():  # the officer's own organisations' rows
            rows = AssignmentLearner.objects.filter(
                organization_id__in=organization_ids, assignment__deadline__gte=timezone.localdate()
            )
            rates = completion_rates(rows, by="organization")
        return rates

    return remembered(user, "learning.officer_rates", compute)


def officer_pending(user: Any) -> int:
    return sum(r.assigned - r.completed for r in _officer_rate(user))


def officer_note(user: Any) -> str:
    rates = _officer_rate(user)
    assigned = sum(r.assigned for r in rates)
    if not assigned:
        return "暂无进行中的学习任务"
    completed = sum(r.completed for r in rates)
    return f"完成率 {completed * 100 // assigned}%（{completed}/{assigned}）"


register_card(
    key="learning.assigned",
    title="待学课程",
    icon="journal-bookmark",
    url=_learning_url("learning:my_courses"),
    roles=is_authenticated,
    count=open_count,
    order=20,
    unit="门",
    note=nearest_deadline,
)
register_card(
    key="learning.hours",
    title="我的学时",
    icon="mortarboard",
    url=_learning_url("learning:my_courses"),
    roles=learns,
    order=30,
    section=SHORTCUT,
    note=hours_note,
)
register_card(
    key="learning.organization",
    title="本组织学习任务未完成",
    icon="people",
    url=_learning_url("learning:manage"),
    roles=is_any_officer,
    count=officer_pending,
    order=60,
    section=KEEP,
    unit="人次",
    note=officer_note,
)
