"""The credit rule every platform starts with (`credit_rules.DEFAULT_RULES`), as rows.

Used by the data migration (with historical models) and by tests whose database was flushed."""

from __future__ import annotations

from typing import Any

from dangjian.learning.credit_rules import DEFAULT_RULES

DEFAULT_NOTE = (
    "课程时长不足 15 分钟计 0.25 学时，15–30 分钟计 0.5 学时，30 分钟及以上计 1 学时；课程含考试且考试通过的，"
    "另加 0.5 学时。每人每年学时目标 50 学时，党建指导员 60 学时。视频播放覆盖 90% 时长计为学完，"
    "文档、电子书每页至少阅读 10 秒；学习积分与学时分开计算，每项行为每日积分有上限。"
)


def ensure_default_rule(rule_model: Any, bracket_model: Any, target_model: Any, point_model: Any) -> Any:
    """The default rule's rows, created if missing; returns the rule row."""
    rules = DEFAULT_RULES
    rule, created = rule_model.objects.get_or_create(
        effective_from=rules.effective_from,
        defaults={
            "name": rules.name,
            "exam_bonus": rules.exam_bonus,
            "yearly_target": rules.yearly_target,
            "completion_ratio": rules.completion_ratio,
            "min_seconds_per_page": rules.min_seconds_per_page,
            "max_playback_rate": rules.max_playback_rate,
            "max_beat_gap": rules.max_beat_gap,
            "note": DEFAULT_NOTE,
        },
    )
    if created:
        bracket_model.objects.bulk_create(
            [bracket_model(rule=rule, min_minutes=b.min_minutes, hours=b.hours) for b in rules.brackets]
        )
        target_model.objects.bulk_create(
            [target_model(rule=rule, role=role, hours=hours) for role, hours in rules.role_targets.items()]
        )
        point_model.objects.bulk_create(
            [
                point_model(rule=rule, action=str(action), points=p.points, daily_cap=p.daily_cap)
                for action, p in rules.points.items()
            ]
        )
    return rule
