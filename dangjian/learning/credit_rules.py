"""Credit hours (学时) and learning points (学习积分): the pure rules engine (no database, no Django).

The rule is data, versioned by effective date like the dues rule (dangjian/dues/amounts.py): the database
keeps each version as a `CreditRule` row with its brackets, role targets and point rules, and the version in
force on a day is the latest whose `effective_from` is on or before it. `DEFAULT_RULES` is the first version.

- A completed course earns the hours of the highest bracket its length reaches (default: under 15 minutes
  0.25, 15 to 30 minutes 0.5, 30 minutes or more 1), plus `exam_bonus` when it has an exam that was passed.
- The yearly target is `yearly_target` (default 50 学时) unless the person holds a role with its own
  target; with several, the highest applies.
- Points are kept apart from hours: each learning action earns its points, at most `daily_cap` a day.
- The completion thresholds live here too, so that one version of the rule says how learning is judged:
  `completion_ratio` of a video's length played, `min_seconds_per_page` of a document read per page,
  `max_playback_rate` and `max_beat_gap` bounding what a heartbeat may claim (dangjian/learning/progress.py).

Hours are `Decimal` to the hundredth; a float is a programming error and raises `TypeError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

HUNDREDTH = Decimal("0.01")
NO_HOURS = Decimal("0.00")


class CreditRuleError(ValueError):
    """Rule data the engine cannot use (no bracket starting at zero minutes, a negative value…)."""


class PointAction(StrEnum):
    LESSON_COMPLETED = "lesson_completed"
    QUIZ_PASSED = "quiz_passed"
    COURSE_COMPLETED = "course_completed"


POINT_ACTION_LABELS: dict[PointAction, str] = {
    PointAction.LESSON_COMPLETED: "完成一节课",
    PointAction.QUIZ_PASSED: "通过测验",
    PointAction.COURSE_COMPLETED: "完成一门课程",
}


@dataclass(frozen=True)
class Bracket:
    """Courses of at least `min_minutes` earn `hours` (unless a higher bracket applies)."""

    min_minutes: int
    hours: Decimal


@dataclass(frozen=True)
class PointRule:
    points: int
    daily_cap: int


@dataclass(frozen=True)
class CreditRules:
    effective_from: date
    brackets: tuple[Bracket, ...]
    exam_bonus: Decimal
    yearly_target: Decimal
    role_targets: Mapping[str, Decimal] = field(default_factory=dict)
    points: Mapping[str, PointRule] = field(default_factory=dict)
    completion_ratio: Decimal = Decimal("0.90")
    min_seconds_per_page: int = 10
    max_playback_rate: Decimal = Decimal("1.00")
    max_beat_gap: int = 30
    name: str = ""


DEFAULT_RULES = CreditRules(
    name="平台默认学时规则",
    effective_from=date(2024, 1, 1),
    brackets=(
        Bracket(0, Decimal("0.25")),
        Bracket(15, Decimal("0.50")),
        Bracket(30, Decimal("1.00")),
    ),
    exam_bonus=Decimal("0.50"),
    yearly_target=Decimal("50.00"),
    role_targets={"instructor": Decimal("60.00")},
    points={
        PointAction.LESSON_COMPLETED: PointRule(points=1, daily_cap=10),
        PointAction.QUIZ_PASSED: PointRule(points=2, daily_cap=10),
        PointAction.COURSE_COMPLETED: PointRule(points=5, daily_cap=20),
    },
)


def to_hundredth(value: Decimal) -> Decimal:
    if not isinstance(value, Decimal):
        raise TypeError(f"hours must be a Decimal, got {type(value).__name__}")
    return value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def check(rules: CreditRules) -> CreditRules:
    """`rules` itself if the engine can use it; otherwise CreditRuleError with a Chinese message."""
    if not rules.brackets or min(b.min_minutes for b in rules.brackets) != 0:
        raise CreditRuleError("学时档次须从 0 分钟起")
    values = [b.hours for b in rules.brackets] + [rules.exam_bonus, rules.yearly_target]
    if any(v < 0 for v in [*values, *rules.role_targets.values()]):
        raise CreditRuleError("学时不能为负数")
    if not Decimal("0") < rules.completion_ratio <= Decimal("1"):
        raise CreditRuleError("视频完成比例应在 0 到 1 之间")
    if rules.max_playback_rate <= 0 or rules.max_beat_gap <= 0 or rules.min_seconds_per_page < 0:
        raise CreditRuleError("播放倍速上限、心跳间隔上限须为正数，每页最少阅读时间不能为负数")
    return rules


def rules_in_force(versions: Iterable[CreditRules], on: date) -> CreditRules:
    """The latest version in force on `on`; the default rule when none is (an empty database)."""
    candidates = [v for v in versions if v.effective_from <= on]
    if not candidates:
        return DEFAULT_RULES
    return max(candidates, key=lambda v: v.effective_from)


def course_hours(rules: CreditRules, length_seconds: int) -> Decimal:
    """学时 of a course `length_seconds` long, before any exam bonus; a course with no length earns none."""
    if length_seconds <= 0:
        return NO_HOURS
    minutes = Decimal(length_seconds) / 60
    reached = [b for b in rules.brackets if minutes >= b.min_minutes]
    return to_hundredth(max(reached, key=lambda b: b.min_minutes).hours) if reached else NO_HOURS


def completion_hours(
    rules: CreditRules, *, length_seconds: int, exam_passed: bool
) -> tuple[Decimal, Decimal]:
    """(course hours, exam bonus) credited for completing a course."""
    bonus = to_hundredth(rules.exam_bonus) if exam_passed else NO_HOURS
    return course_hours(rules, length_seconds), bonus


def yearly_target(rules: CreditRules, roles: Sequence[str]) -> Decimal:
    """The person's yearly target: the highest target of the roles they hold, else the default."""
    targets = [rules.role_targets[role] for role in roles if role in rules.role_targets]
    return to_hundredth(max(targets) if targets else rules.yearly_target)


def points_for(rules: CreditRules, action: str, *, earned_today: int) -> int:
    """Points an action earns now, given what that action already earned today (the daily cap)."""
    rule = rules.points.get(action)
    if rule is None:
        return 0
    return max(0, min(rule.points, rule.daily_cap - earned_today))
