"""Every timing rule of the 2014 rules at its boundary: the day before, the day, the day after (pure
engine, dates are Asia/Shanghai calendar days). Each row: the rule, the anchor step's day, the step
constrained, the boundary day, and whether the day before / the day / the day after may be used."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dangjian.development.rules import (
    RULES_2014,
    RuleSet,
    VoteOutcome,
    add_months,
    add_working_days,
    rules_on,
    working_days_between,
)
from dangjian.development.timers import (
    Facts,
    State,
    completion_problem,
    missing_reports,
    reports_due,
    timeline,
)

TODAY = date(2030, 1, 1)  # far after every boundary: "no future date" never interferes
ONE = timedelta(days=1)


def facts_before(step: str, anchors: dict[str, date], *, special: bool = False) -> Facts:
    """Every step before `step` done (early, 2020), with the anchors' days set; `step` and later open."""
    number = RULES_2014.step(step).number
    done = {s.key: date(2020, 1, 1) for s in RULES_2014.steps if s.number < number}
    done.update(anchors)
    return Facts(done=done, special_approval=special)


# rule code, step, anchor step, anchor day, boundary day, (before ok, on ok, after ok)
EARLIEST_ROWS = [
    ("activist_one_year", "target", "activist", date(2026, 3, 5), date(2027, 3, 5)),
    ("activist_one_year leap day", "target", "activist", date(2024, 2, 29), date(2025, 2, 28)),
    ("cultivation_one_year", "cultivation", "activist", date(2026, 3, 5), date(2027, 3, 5)),
    ("probation_one_year", "full_meeting", "branch_meeting", date(2025, 12, 10), date(2026, 12, 10)),
]


@pytest.mark.parametrize(("name", "step", "anchor", "anchor_day", "boundary"), EARLIEST_ROWS)
def test_earliest_rules_at_their_boundary(name, step, anchor, anchor_day, boundary) -> None:
    facts = facts_before(step, {anchor: anchor_day})
    before = completion_problem(step, boundary - ONE, facts, TODAY)
    assert before is not None and before.code == "too_early" and before.limit == boundary
    assert f"（最早 {boundary.year}年{boundary.month}月{boundary.day}日）" in before.message
    assert completion_problem(step, boundary, facts, TODAY) is None
    assert completion_problem(step, boundary + ONE, facts, TODAY) is None


def test_the_development_target_refusal_names_the_rule_and_the_earliest_day() -> None:
    facts = facts_before("target", {"activist": date(2026, 3, 5)})
    refusal = completion_problem("target", date(2027, 3, 4), facts, TODAY)
    assert refusal is not None
    assert refusal.message == "成为入党积极分子满一年后才能确定为发展对象（最早 2027年3月5日）"


# hard deadlines: the approvals of the superior committee
DEADLINE_ROWS = [
    ("approval three months", "approval", "branch_meeting", date(2026, 3, 10), False, date(2026, 6, 10)),
    ("approval month end", "approval", "branch_meeting", date(2025, 11, 30), False, date(2026, 2, 28)),
    ("approval six months special", "approval", "branch_meeting", date(2026, 3, 10), True, date(2026, 9, 10)),
    (
        "full approval three months",
        "full_approval",
        "full_meeting",
        date(2026, 12, 10),
        False,
        date(2027, 3, 10),
    ),
]


@pytest.mark.parametrize(("name", "step", "anchor", "anchor_day", "special", "limit"), DEADLINE_ROWS)
def test_hard_deadlines_at_their_boundary(name, step, anchor, anchor_day, special, limit) -> None:
    facts = facts_before(step, {anchor: anchor_day}, special=special)
    assert completion_problem(step, limit - ONE, facts, TODAY) is None
    assert completion_problem(step, limit, facts, TODAY) is None
    after = completion_problem(step, limit + ONE, facts, TODAY)
    assert after is not None and after.code == "too_late" and after.limit == limit
    assert f"（最迟 {limit.year}年{limit.month}月{limit.day}日）" in after.message


def test_without_the_special_case_six_months_is_too_late() -> None:
    facts = facts_before("approval", {"branch_meeting": date(2026, 3, 10)})
    refusal = completion_problem("approval", date(2026, 9, 10), facts, TODAY)
    assert refusal is not None and refusal.code == "too_late"


# soft deadlines: the step stays possible, it is shown overdue from the day after
SOFT_ROWS = [
    ("talk within a month", "talk", "apply", date(2026, 1, 31), date(2026, 2, 28)),
    ("talk within a month", "talk", "apply", date(2026, 3, 5), date(2026, 4, 5)),
    (
        "full request at probation end",
        "full_request",
        "branch_meeting",
        date(2025, 12, 10),
        date(2026, 12, 10),
    ),
]


@pytest.mark.parametrize(("name", "step", "anchor", "anchor_day", "due"), SOFT_ROWS)
def test_soft_deadlines_are_overdue_from_the_day_after(name, step, anchor, anchor_day, due) -> None:
    facts = facts_before(step, {anchor: anchor_day})
    state = next(s for s in timeline(facts, due) if s.step.key == step)
    assert state.state == State.OPEN and state.due == due
    assert not state.overdue_on(due - ONE)
    assert not state.overdue_on(due)
    assert state.overdue_on(due + ONE)
    assert completion_problem(step, due + ONE, facts, TODAY) is None  # late, but still recorded


def test_a_blocked_step_shows_the_rule_and_earliest_day() -> None:
    facts = facts_before("target", {"activist": date(2026, 3, 5)})
    state = next(s for s in timeline(facts, date(2026, 9, 1)) if s.step.key == "target")
    assert state.state == State.BLOCKED and state.earliest == date(2027, 3, 5)
    assert "最早 2027年3月5日" in state.reason
    later = next(s for s in timeline(facts, date(2027, 3, 5)) if s.step.key == "target")
    assert later.state == State.OPEN


def test_steps_wait_for_the_steps_before_them() -> None:
    facts = Facts(done={"apply": date(2026, 3, 5)})
    states = {s.step.key: s for s in timeline(facts, date(2026, 3, 6))}
    assert states["talk"].state == State.OPEN
    assert states["activist"].state == State.BLOCKED and "党组织派人谈话" in states["activist"].reason
    refusal = completion_problem("activist", date(2026, 3, 6), facts, date(2026, 3, 6))
    assert refusal is not None and refusal.code == "prerequisite"


def test_a_step_is_not_done_before_the_step_it_follows_nor_in_the_future() -> None:
    facts = Facts(done={"apply": date(2026, 3, 5)})
    assert completion_problem("talk", date(2026, 3, 4), facts, date(2026, 3, 10)).code == "before_previous"
    assert completion_problem("talk", date(2026, 3, 5), facts, date(2026, 3, 10)) is None
    assert completion_problem("talk", date(2026, 3, 11), facts, date(2026, 3, 10)).code == "future_date"
    assert completion_problem("apply", date(2026, 3, 5), facts, date(2026, 3, 10)).code == "already_done"


# ---------------------------------------------------------------- evaluations and thought reports


def test_half_year_evaluations_and_quarterly_reports_fall_due_at_their_boundary() -> None:
    facts = Facts(done={"apply": date(2025, 1, 1), "talk": date(2025, 1, 10), "activist": date(2025, 3, 5)})
    due = {(r.kind, r.number): r.due for r in reports_due(facts, date(2026, 3, 5))}
    assert due[("thought_report", 1)] == date(2025, 6, 5)
    assert due[("evaluation", 1)] == date(2025, 9, 5)
    assert due[("evaluation", 2)] == date(2026, 3, 5)
    assert len([k for k in due if k[0] == "thought_report"]) == 4
    assert not [r for r in missing_reports(facts, date(2025, 9, 4)) if r.kind == "evaluation"]
    assert [r.number for r in missing_reports(facts, date(2025, 9, 5)) if r.kind == "evaluation"] == [1]
    filed = Facts(done=facts.done, evaluations=(date(2025, 9, 1),))
    assert not [r for r in missing_reports(filed, date(2025, 9, 6)) if r.kind == "evaluation"]


# ---------------------------------------------------------------- dates, versions, the notice


def test_months_and_working_days() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert add_working_days(date(2026, 12, 4), 1) == date(2026, 12, 7)  # Friday → Monday
    assert working_days_between(date(2026, 12, 7), date(2026, 12, 11)) == 5
    assert working_days_between(date(2026, 12, 9), date(2026, 12, 15)) == 5  # over a weekend
    assert working_days_between(date(2026, 12, 9), date(2026, 12, 14)) == 4


def test_the_version_in_force_is_picked_by_date(monkeypatch) -> None:
    from dangjian.development import rules as module

    later = RuleSet(
        effective_from=date(2028, 1, 1),
        name="假设的修订版",
        stages=RULES_2014.stages,
        steps=RULES_2014.steps,
        timing=RULES_2014.timing,
        training_hours=32,
    )
    monkeypatch.setattr(module, "VERSIONS", (RULES_2014, later))
    assert module.rules_on(date(2027, 12, 31)) is RULES_2014
    assert module.rules_on(date(2028, 1, 1)) is later
    assert rules_on(date(2010, 1, 1)) is RULES_2014


def test_the_data_has_five_stages_and_twenty_five_steps() -> None:
    assert [s.number for s in RULES_2014.steps] == list(range(1, 26))
    assert {s.stage for s in RULES_2014.steps} == {1, 2, 3, 4, 5}
    for step in RULES_2014.steps:
        assert all(RULES_2014.step(key).number < step.number for key in step.after)


# ---------------------------------------------------------------- the branch general meeting's vote

ROSTER = 9  # full members entitled to vote


@pytest.mark.parametrize(
    ("present", "votes_for", "quorate", "passed", "code"),
    [
        (4, 4, False, False, "no_quorum"),  # 4 of 9: not more than half
        (5, 5, True, True, None),  # 5 of 9 present, 5 of 9 entitled for
        (5, 4, True, False, "not_passed"),  # majority of those present, not of those entitled
        (9, 4, True, False, "not_passed"),
        (9, 5, True, True, None),
        (6, 7, True, False, "vote_numbers"),
    ],
)
def test_branch_meeting_quorum_and_majority(present, votes_for, quorate, passed, code) -> None:
    outcome = VoteOutcome(ROSTER, present, votes_for)
    assert outcome.quorate is quorate
    if code != "vote_numbers":
        assert outcome.passed is passed
    problem = outcome.problem()
    assert (problem[1] if problem else None) == code


def test_an_even_roster_needs_strictly_more_than_half() -> None:
    assert VoteOutcome(10, 5, 5).problem()[1] == "no_quorum"
    assert VoteOutcome(10, 6, 5).problem()[1] == "not_passed"
    assert VoteOutcome(10, 6, 6).problem() is None
    assert VoteOutcome(0, 0, 0).problem()[1] == "no_voters"
