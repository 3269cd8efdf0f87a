"""Organisation life (组织生活) compliance: the pure rules engine (no database, no Django).

What an organisation must hold, and how often, is data, not code: one `LifeRules` per version (the database
keeps versions as `LifeRuleSet` rows with their `LifeRequirement`s, chosen by effective date, like the dues
rule). The version every platform starts with (`defaults.NATIONAL_BRANCH_RULES`) is:

- 《中国共产党支部工作条例（试行）》(2018) 三会一课 and the yearly meetings: 支部党员大会 ≥ 1 a quarter,
  支部委员会 ≥ 1 a month, 党小组会 ≥ 1 a month, 党课 ≥ 1 a quarter, 主题党日 ≥ 1 a month, 组织生活会 ≥ 1 a year,
  民主评议党员 ≥ 1 a year;
- DB3212/T 1124—2023 §7.3: an annual work plan filed at the start of the year (by a deadline, 1月31日),
  one theme a month, and ≥ 3 activities a quarter each with its record (台账).

`evaluate` takes an organisation's facts for a year — the activities that count (published or finished,
`counts_for_life`), the months that have a theme, when the plan was filed — and says, per month, quarter and
year, what is met, what is missing (with a Chinese reason) and what is still open. Periods are calendar
periods in Asia/Shanghai: an activity at 23:30 on 31 March local time counts for March and the first quarter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Period(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


PERIOD_LABELS = {Period.MONTH: "每月", Period.QUARTER: "每季度", Period.YEAR: "每年"}


class Status(StrEnum):
    MET = "met"  # 已达标
    MISSING = "missing"  # the period is over (or the deadline passed) and the requirement was not met
    OPEN = "open"  # not met yet, but the period (or the deadline) is still running


STATUS_LABELS = {Status.MET: "已达标", Status.MISSING: "未达标", Status.OPEN: "进行中"}


@dataclass(frozen=True)
class Requirement:
    """At least `minimum` counting activities per `period`: of `activity_type` ("" = of any type), and
    with `needs_record` only those whose record (台账) has been filed."""

    activity_type: str
    type_label: str  # "支部党员大会"; for any type the name of the requirement ("组织生活活动")
    period: Period
    minimum: int
    needs_record: bool = False

    @property
    def label(self) -> str:
        return f"{self.type_label}（有台账）" if self.needs_record else self.type_label


@dataclass(frozen=True)
class LifeRules:
    """One version of the organisation-life rules, in force from `effective_from`."""

    effective_from: date
    requirements: tuple[Requirement, ...]
    theme_every_month: bool = True  # §7.3: 每月确定一个主题
    plan_deadline_month: int | None = 1  # §7.3: 年初制定年度工作计划 — filed by this date of the year
    plan_deadline_day: int | None = 31
    name: str = ""

    def plan_deadline(self, year: int) -> date | None:
        if self.plan_deadline_month is None or self.plan_deadline_day is None:
            return None
        last = month_end(year, self.plan_deadline_month).day  # 2月30日 is read as the month's last day
        return date(year, self.plan_deadline_month, min(self.plan_deadline_day, last))


class LifeRuleError(ValueError):
    """No version of the rules is in force for a period."""


@dataclass(frozen=True)
class ActivityFact:
    """One activity that counts for organisation life: its type, start (aware) and whether its record
    has been filed."""

    activity_type: str
    starts_at: datetime
    has_record: bool = False
    pk: int | None = None

    @property
    def local_day(self) -> date:
        return local_date(self.starts_at)


@dataclass(frozen=True)
class Check:
    """One requirement in one period."""

    key: str  # "type:general_meeting", "any-recorded", "theme", "plan"
    label: str
    required: int
    actual: int
    status: Status
    reason: str = ""  # Chinese, for anything not met

    @property
    def met(self) -> bool:
        return self.status is Status.MET


@dataclass(frozen=True)
class PeriodResult:
    kind: Period
    year: int
    index: int  # month 1–12, quarter 1–4, or 1 for the year
    start: date
    end: date  # inclusive
    checks: tuple[Check, ...]

    @property
    def label(self) -> str:
        return period_label(self.kind, self.year, self.index)

    @property
    def status(self) -> Status:
        if any(c.status is Status.MISSING for c in self.checks):
            return Status.MISSING
        if any(c.status is Status.OPEN for c in self.checks):
            return Status.OPEN
        return Status.MET

    @property
    def met(self) -> bool:
        return self.status is Status.MET

    @property
    def missing(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.status is Status.MISSING)

    @property
    def open(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.status is Status.OPEN)


@dataclass(frozen=True)
class YearResult:
    year: int
    months: tuple[PeriodResult, ...]
    quarters: tuple[PeriodResult, ...]
    whole_year: PeriodResult
    periods: tuple[PeriodResult, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "periods", (*self.months, *self.quarters, self.whole_year))

    def month(self, month: int) -> PeriodResult:
        return self.months[month - 1]

    def quarter(self, quarter: int) -> PeriodResult:
        return self.quarters[quarter - 1]

    @property
    def status(self) -> Status:
        statuses = {p.status for p in self.periods}
        if Status.MISSING in statuses:
            return Status.MISSING
        return Status.OPEN if Status.OPEN in statuses else Status.MET

    @property
    def reasons(self) -> list[str]:
        """Every missing requirement of the year, month by month, then quarters, then the year."""
        return [c.reason for p in self.periods for c in p.missing]


# ---------------------------------------------------------------- periods in Asia/Shanghai


def local_date(moment: datetime) -> date:
    """The calendar day of an aware moment in Asia/Shanghai (periods are local calendar periods)."""
    if moment.tzinfo is None:
        raise ValueError("activity times must be timezone-aware")
    return moment.astimezone(SHANGHAI).date()


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def month_end(year: int, month: int) -> date:
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def period_bounds(kind: Period, year: int, index: int) -> tuple[date, date]:
    if kind is Period.MONTH:
        return date(year, index, 1), month_end(year, index)
    if kind is Period.QUARTER:
        first = 3 * (index - 1) + 1
        return date(year, first, 1), month_end(year, first + 2)
    return date(year, 1, 1), date(year, 12, 31)


def period_label(kind: Period, year: int, index: int) -> str:
    if kind is Period.MONTH:
        return f"{year}年{index}月"
    if kind is Period.QUARTER:
        return f"{year}年第{index}季度"
    return f"{year}年度"


def in_period(day: date, kind: Period, year: int, index: int) -> bool:
    start, end = period_bounds(kind, year, index)
    return start <= day <= end


def rules_in_force(versions: Iterable[LifeRules], day: date) -> LifeRules:
    """The latest version that took effect on or before `day`."""
    candidates = [v for v in versions if v.effective_from <= day]
    if not candidates:
        raise LifeRuleError(f"{day:%Y年%m月%d日}没有生效的组织生活规则，请联系平台管理员")
    return max(candidates, key=lambda v: v.effective_from)


# ---------------------------------------------------------------- the engine


def evaluate(
    *,
    year: int,
    versions: Sequence[LifeRules],
    activities: Iterable[ActivityFact],
    theme_months: Iterable[int] = (),
    plan_filed_on: date | None = None,
    today: date,
) -> YearResult:
    """Compliance of one organisation for `year`. Each period is judged by the version in force on its
    first day. `theme_months`: months (1–12) of `year` with a theme set; `plan_filed_on`: the local day the
    year's plan was first filed; `today`: the local day (periods after it are open, not missing)."""
    facts = [a for a in activities if a.local_day.year == year]
    themes = set(theme_months)
    months = tuple(
        _period(Period.MONTH, year, m, versions, facts, today, themes=themes) for m in range(1, 13)
    )
    quarters = tuple(_period(Period.QUARTER, year, q, versions, facts, today) for q in range(1, 5))
    whole = _period(Period.YEAR, year, 1, versions, facts, today, plan_filed_on=plan_filed_on, plan=True)
    return YearResult(year=year, months=months, quarters=quarters, whole_year=whole)


def _period(
    kind: Period,
    year: int,
    index: int,
    versions: Sequence[LifeRules],
    facts: list[ActivityFact],
    today: date,
    *,
    themes: set[int] | None = None,
    plan_filed_on: date | None = None,
    plan: bool = False,
) -> PeriodResult:
    start, end = period_bounds(kind, year, index)
    rules = rules_in_force(versions, start)
    label = period_label(kind, year, index)
    held = [f for f in facts if start <= f.local_day <= end]
    over = today > end
    checks = [
        _count_check(requirement, held, label, over)
        for requirement in rules.requirements
        if requirement.period is kind
    ]
    if kind is Period.MONTH and rules.theme_every_month and themes is not None:
        checks.append(_theme_check(index in themes, label, over))
    if plan:
        deadline = rules.plan_deadline(year)
        if deadline is not None:
            checks.append(_plan_check(plan_filed_on, deadline, year, today))
    return PeriodResult(kind=kind, year=year, index=index, start=start, end=end, checks=tuple(checks))


def _of_type(requirement: Requirement, fact: ActivityFact) -> bool:
    return not requirement.activity_type or fact.activity_type == requirement.activity_type


def _count_check(requirement: Requirement, held: list[ActivityFact], label: str, over: bool) -> Check:
    of_type = [f for f in held if _of_type(requirement, f)]
    actual = sum(1 for f in of_type if f.has_record or not requirement.needs_record)
    key = f"type:{requirement.activity_type}" if requirement.activity_type else "any"
    if requirement.needs_record:
        key += "-recorded"
    if actual >= requirement.minimum:
        return Check(key, requirement.label, requirement.minimum, actual, Status.MET)
    reason = f"{label}{requirement.label} {actual} 次，至少 {requirement.minimum} 次"
    without = len(of_type) - actual
    if without:  # DB3212/T 1124 §7.3: 每次活动后建立台账 — held, but not counted until the record is filed
        reason += f"（另有 {without} 次活动尚未提交台账）"
    status = Status.MISSING if over else Status.OPEN
    return Check(key, requirement.label, requirement.minimum, actual, status, reason)


def _theme_check(has_theme: bool, label: str, over: bool) -> Check:
    if has_theme:
        return Check("theme", "当月主题", 1, 1, Status.MET)
    # DB3212/T 1124 §7.3: 每月确定一个主题 — the month's theme must exist while the month runs.
    return Check(
        "theme", "当月主题", 1, 0, Status.MISSING if over else Status.OPEN, f"{label}未确定组织生活主题"
    )


def _plan_check(filed_on: date | None, deadline: date, year: int, today: date) -> Check:
    label = "年度工作计划"
    due = f"{deadline.month}月{deadline.day}日"
    if filed_on is not None and filed_on <= deadline:
        return Check("plan", label, 1, 1, Status.MET)
    if filed_on is not None:
        return Check(
            "plan",
            label,
            1,
            1,
            Status.MISSING,
            f"{year}年度工作计划逾期报送（应于{due}前报送，实际{filed_on.month}月{filed_on.day}日报送）",
        )
    if today > deadline:
        return Check("plan", label, 1, 0, Status.MISSING, f"{year}年度工作计划未在{due}前报送")
    return Check("plan", label, 1, 0, Status.OPEN, f"{year}年度工作计划尚未报送（截止{due}）")
