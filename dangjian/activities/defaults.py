"""The organisation-life rules every platform starts with, as rows: 《中国共产党支部工作条例（试行）》 and
DB3212/T 1124—2023 §7.3.

Used by the data migration (with historical models) and by tests whose database was flushed."""

from __future__ import annotations

from datetime import date
from typing import Any

NATIONAL_BRANCH_RULES_NAME = "《中国共产党支部工作条例（试行）》及 DB3212/T 1124—2023 §7.3"
NATIONAL_BRANCH_RULES_FROM = date(2018, 10, 28)  # 条例 issued by the Central Committee on 2018-10-28
NATIONAL_BRANCH_RULES_NOTE = (
    "《中国共产党支部工作条例（试行）》：支部党员大会一般每季度召开1次，支部委员会一般每月召开1次，"
    "党小组会一般每月召开1次，党课一般每季度1次，每月相对固定1天开展主题党日，"
    "每年至少召开1次组织生活会、开展1次民主评议党员。"
    "DB3212/T 1124—2023 §7.3：年初制定年度工作计划，每季度开展活动不少于3次，每月确定1个主题，"
    "每次活动后建立台账。"
)
# (activity type, period, minimum, needs record, label) — "" is any type of counting activity.
NATIONAL_BRANCH_REQUIREMENTS: tuple[tuple[str, str, int, bool, str], ...] = (
    ("general_meeting", "quarter", 1, False, ""),
    ("committee_meeting", "month", 1, False, ""),
    ("group_meeting", "month", 1, False, ""),
    ("party_lecture", "quarter", 1, False, ""),
    ("theme_day", "month", 1, False, ""),
    ("life_meeting", "year", 1, False, ""),
    ("member_review", "year", 1, False, ""),
    (
        "",
        "quarter",
        3,
        True,
        "组织生活活动",
    ),  # DB3212/T 1124 §7.3: ≥3 activities a quarter, each with a record
)


def ensure_default_rules(rule_set_model: Any, requirement_model: Any) -> Any:
    """The national rule set and its requirements, created if missing; returns the rule-set row."""
    rule_set, created = rule_set_model.objects.get_or_create(
        effective_from=NATIONAL_BRANCH_RULES_FROM,
        defaults={
            "name": NATIONAL_BRANCH_RULES_NAME,
            "theme_every_month": True,
            "plan_deadline_month": 1,
            "plan_deadline_day": 31,
            "note": NATIONAL_BRANCH_RULES_NOTE,
        },
    )
    if created:
        requirement_model.objects.bulk_create(
            [
                requirement_model(
                    rule_set=rule_set,
                    activity_type=activity_type,
                    period=period,
                    minimum=minimum,
                    needs_record=needs_record,
                    label=label,
                    sort_order=(index + 1) * 10,
                )
                for index, (activity_type, period, minimum, needs_record, label) in enumerate(
                    NATIONAL_BRANCH_REQUIREMENTS
                )
            ]
        )
    return rule_set
