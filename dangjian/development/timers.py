"""What each step of a candidate's pipeline waits for, and whether it may be done on a day — pure
functions over the candidate's step dates and the rules (`dangjian.development.rules`), no database.

`Facts` is what the engine needs of a candidate: the day each done step was done, whether the superior
committee's approval is a special case (six months instead of three) and the days the half-year
evaluations and quarterly thought reports were filed. `timeline(facts, today)` gives each of the 25
steps its state (done / open with its due date / blocked with the reason); `completion_problem` is the
refusal of doing a step on a day, naming the rule and the earliest (or latest) allowed day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from dangjian.development.rules import (
    Kind,
    RuleSet,
    Step,
    TimingRule,
    add_months,
    chinese_date,
    rules_on,
)


class State(StrEnum):
    DONE = "done"
    OPEN = "open"
    BLOCKED = "blocked"


STATE_LABELS = {State.DONE: "已完成", State.OPEN: "办理中", State.BLOCKED: "未到办理条件"}


@dataclass(frozen=True)
class Facts:
    done: dict[str, date] = field(default_factory=dict)
    special_approval: bool = False
    evaluations: tuple[date, ...] = ()  # days the half-year evaluations were filed
    thought_reports: tuple[date, ...] = ()

    def rules(self) -> RuleSet:
        return rules_on(self.done.get("apply") or date.today())


@dataclass(frozen=True)
class Refusal:
    message: str
    code: str
    rule: str = ""
    limit: date | None = None


@dataclass(frozen=True)
class StepState:
    step: Step
    state: State
    done_on: date | None = None
    due: date | None = None  # the last day by a deadline rule
    earliest: date | None = None  # the first day an earliest rule allows
    reason: str = ""  # why it is blocked (or what it waits for)

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    def overdue_on(self, today: date) -> bool:
        return self.state != State.DONE and self.due is not None and today > self.due


def rule_limit(rule: TimingRule, facts: Facts) -> date | None:
    anchor = facts.done.get(rule.anchor)
    if anchor is None:
        return None
    return rule.limit(anchor, special=facts.special_approval)


def _missing_prerequisites(step: Step, facts: Facts, rules: RuleSet) -> list[Step]:
    return [rules.step(key) for key in step.after if key not in facts.done]


def _limits(step: Step, facts: Facts, rules: RuleSet) -> tuple[date | None, date | None]:
    """(earliest, due) of a step from its timing rules and the dates of the steps before it."""
    earliest = max((facts.done[key] for key in step.after if key in facts.done), default=None)
    due = None
    for rule in rules.rules_for(step.key):
        limit = rule_limit(rule, facts)
        if limit is None:
            continue
        if rule.kind == Kind.EARLIEST:
            earliest = max(earliest, limit) if earliest else limit
        else:
            due = min(due, limit) if due else limit
    return earliest, due


def step_state(step: Step, facts: Facts, today: date, rules: RuleSet) -> StepState:
    if step.key in facts.done:
        return StepState(step, State.DONE, done_on=facts.done[step.key])
    missing = _missing_prerequisites(step, facts, rules)
    earliest, due = _limits(step, facts, rules)
    if missing:
        names = "、".join(f"第{s.number}步{s.title}" for s in missing)
        return StepState(step, State.BLOCKED, due=due, reason=f"须先完成{names}")
    blocking = [r for r in rules.rules_for(step.key) if r.kind == Kind.EARLIEST]
    if earliest is not None and earliest > today and blocking:
        rule = next(r for r in blocking if rule_limit(r, facts) == earliest)
        return StepState(
            step,
            State.BLOCKED,
            due=due,
            earliest=earliest,
            reason=f"{rule.text}（最早 {chinese_date(earliest)}）",
        )
    return StepState(step, State.OPEN, due=due, earliest=earliest)


def timeline(facts: Facts, today: date) -> list[StepState]:
    rules = facts.rules()
    return [step_state(step, facts, today, rules) for step in rules.steps]


def completion_problem(key: str, day: date, facts: Facts, today: date) -> Refusal | None:
    """Why step `key` may not be recorded as done on `day` (None if it may)."""
    rules = facts.rules()
    step = rules.step(key)
    if key in facts.done:
        return Refusal(f"第{step.number}步“{step.title}”已办理", "already_done")
    if day > today:
        return Refusal("办理日期不能晚于今天", "future_date")
    for rule in rules.rules_for(key):  # the rule first: its refusal names the earliest (latest) day
        refusal = _rule_refusal(rule, day, facts)
        if refusal is not None:
            return refusal
    missing = _missing_prerequisites(step, facts, rules)
    if missing:
        first = missing[0]
        return Refusal(f"须先完成第{first.number}步“{first.title}”", "prerequisite")
    before = max((facts.done[k] for k in step.after if k in facts.done), default=None)
    if before is not None and day < before:
        return Refusal(
            f"办理日期不能早于上一步的办理日期（{chinese_date(before)}）", "before_previous", limit=before
        )
    return None


def _rule_refusal(rule: TimingRule, day: date, facts: Facts) -> Refusal | None:
    limit = rule_limit(rule, facts)
    if limit is None:
        return None
    if rule.kind == Kind.EARLIEST and day < limit:
        return Refusal(f"{rule.text}（最早 {chinese_date(limit)}）", "too_early", rule.code, limit)
    if rule.kind == Kind.DEADLINE and rule.hard and day > limit:
        return Refusal(f"{rule.text}（最迟 {chinese_date(limit)}）", "too_late", rule.code, limit)
    return None


# ---------------------------------------------------------------- evaluations and thought reports


@dataclass(frozen=True)
class ReportDue:
    kind: str  # "evaluation" | "thought_report"
    number: int  # the 1st, 2nd… of its kind
    due: date
    filed: bool


def reports_due(facts: Facts, today: date, *, horizon_days: int = 0) -> list[ReportDue]:
    """The half-year evaluations and quarterly thought reports of the activist period: from the day the
    activist was determined until the development target is determined (or up to `today` + the horizon
    while it is open). The n-th is due n periods after the activist day; the n-th filed covers it."""
    activist = facts.done.get("activist")
    if activist is None:
        return []
    rules = facts.rules()
    end = facts.done.get("target") or date.fromordinal(today.toordinal() + horizon_days)
    result: list[ReportDue] = []
    for kind, months, filed in (
        ("evaluation", rules.evaluation_months, facts.evaluations),
        ("thought_report", rules.thought_report_months, facts.thought_reports),
    ):
        number = 1
        while (due := add_months(activist, months * number)) <= end:
            result.append(ReportDue(kind, number, due, filed=len(filed) >= number))
            number += 1
    return sorted(result, key=lambda item: (item.due, item.kind))


def missing_reports(facts: Facts, day: date) -> list[ReportDue]:
    """Reports due on or before `day` not yet filed."""
    return [item for item in reports_due(facts, day) if not item.filed and item.due <= day]
