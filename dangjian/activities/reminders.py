"""Deadline reminders of organisation life and the automatic end of activities (Celery beat, daily/hourly).

- The annual work plan (§7.3: 年初制定年度工作计划) is due by the deadline of the rules in force (data,
  `LifeRuleSet.plan_deadline_*`): from `PLAN_LEAD_DAYS` before it, the secretaries and officers of every
  active organisation without a plan for the year are reminded — once per organisation and year.
- The monthly theme (§7.3: 每月确定一个主题), when the rules ask one: from `THEME_LEAD_DAYS` before the month
  starts, organisations without a theme for it are reminded — once per organisation and month.
- An activity still published after it ended becomes finished (`finish_ended_activities`).

Each reminder is recorded (`SentReminder`), so the task may run as often as it likes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.permissions import OFFICER_ROLES, role_holders
from dangjian.activities.invitations import send_once
from dangjian.activities.life_rules import LifeRuleError, rules_in_force
from dangjian.activities.links import path_or_blank
from dangjian.activities.models import Activity, ActivityStatus, AnnualPlan, MonthlyTheme
from dangjian.activities.selectors import rule_versions
from dangjian.core.audit import record_event
from dangjian.core.notifications import notify
from dangjian.organizations.models import PartyOrganization

PLAN_LEAD_DAYS = 14
THEME_LEAD_DAYS = 7


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _life_url(organization: PartyOrganization) -> str:
    return path_or_blank("activities:life_org", pk=organization.pk)


def remind_plan_deadline(*, now: datetime | None = None) -> int:
    """Remind organisations without this year's plan from 14 days before the deadline until it passes.
    Returns how many organisations were reminded."""
    today = timezone.localdate(now or timezone.now())
    try:
        rules = rules_in_force(rule_versions(), date(today.year, 1, 1))
    except LifeRuleError:
        return 0
    deadline = rules.plan_deadline(today.year)
    if deadline is None or not deadline - timedelta(days=PLAN_LEAD_DAYS) <= today <= deadline:
        return 0
    filed = AnnualPlan.objects.filter(year=today.year).values("organization_id")
    due = PartyOrganization.objects.filter(is_active=True).exclude(pk__in=filed).select_related("station")
    reminded = 0
    for organization in due.order_by("pk"):
        people = list(role_holders(*OFFICER_ROLES, organization_id=organization.pk))
        with transaction.atomic():
            if not people or not send_once(f"plan:{organization.pk}:{today.year}", people):
                continue
            notify(
                recipients=people,
                title=f"请报送{today.year}年度工作计划",
                body=(
                    f"{organization.name}尚未报送{today.year}年度工作计划，报送截止日期为"
                    f"{deadline:%Y年%m月%d日}（DB3212/T 1124 §7.3：年初制定年度工作计划）。"
                ),
                url=_life_url(organization),
                station=organization.station,
            )
            reminded += 1
    return reminded


def remind_monthly_theme(*, now: datetime | None = None) -> int:
    """Remind organisations without next month's theme from 7 days before the month starts. Returns how
    many organisations were reminded."""
    today = timezone.localdate(now or timezone.now())
    month = _next_month(today)
    if (month - today).days > THEME_LEAD_DAYS:
        return 0
    try:
        rules = rules_in_force(rule_versions(), month)
    except LifeRuleError:
        return 0
    if not rules.theme_every_month:
        return 0
    themed = MonthlyTheme.objects.filter(month=month).values("organization_id")
    due = PartyOrganization.objects.filter(is_active=True).exclude(pk__in=themed).select_related("station")
    reminded = 0
    for organization in due.order_by("pk"):
        people = list(role_holders(*OFFICER_ROLES, organization_id=organization.pk))
        with transaction.atomic():
            if not people or not send_once(f"theme:{organization.pk}:{month:%Y-%m}", people):
                continue
            notify(
                recipients=people,
                title=f"请确定{month.year}年{month.month}月的主题",
                body=(
                    f"{organization.name}尚未确定{month.year}年{month.month}月的活动主题"
                    "（DB3212/T 1124 §7.3：每月确定一个主题）。"
                ),
                url=_life_url(organization),
                station=organization.station,
            )
            reminded += 1
    return reminded


def finish_ended_activities(*, now: datetime | None = None) -> int:
    """Published activities whose end has passed become finished. Returns how many."""
    now = now or timezone.now()
    finished = 0
    with transaction.atomic():
        ended = list(
            Activity.objects.select_for_update(of=("self",))
            .filter(status=ActivityStatus.PUBLISHED, ends_at__lte=now)
            .select_related("station")
            .order_by("id")
        )
        for activity in ended:
            activity.status = ActivityStatus.FINISHED
            activity.save(update_fields=["status", "updated_at"])
            record_event(
                actor=None,
                action="activities.activity.finish",
                target=activity,
                station=activity.station,
                data={"ended": activity.ends_at},
            )
            finished += 1
    return finished
