"""The pure parts: interval arithmetic, the credit rule as data (versions by date, brackets, targets,
daily caps), the MP4 length probe."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from dangjian.learning import intervals
from dangjian.learning.credit_rules import (
    DEFAULT_RULES,
    Bracket,
    CreditRuleError,
    check,
    completion_hours,
    course_hours,
    points_for,
    rules_in_force,
    yearly_target,
)
from dangjian.learning.media import mp4_duration
from tests.learning.builders import mp4_bytes


def test_merge_joins_overlapping_and_touching_stretches() -> None:
    assert intervals.merge([[5, 10], [0, 5], [20, 30], [25, 26], [40, 40]]) == [(0, 10), (20, 30)]
    assert intervals.covered([[0, 10], [5, 15]]) == 15


def test_only_the_new_part_of_a_claim_is_added_and_within_the_budget() -> None:
    union, gained = intervals.accept([[0, 30]], [[20, 60]], length=100, budget=10)
    assert (union, gained) == ([(0, 40)], 10)
    union, gained = intervals.accept([[10, 20]], [[0, 40]], length=100, budget=100)
    assert (union, gained) == ([(0, 40)], 30)
    union, gained = intervals.accept([], [[90, 200]], length=100, budget=100)  # clipped to the video
    assert (union, gained) == ([(90, 100)], 10)


def test_the_allowance_is_the_elapsed_time_capped_by_the_gap_at_the_rate() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    start, seconds = intervals.allowance(now=now, clock_at=now - timedelta(seconds=12), rate=1.0, max_gap=30)
    assert (start, seconds) == (now - timedelta(seconds=12), 12)
    _, seconds = intervals.allowance(now=now, clock_at=now - timedelta(hours=1), rate=1.5, max_gap=30)
    assert seconds == 45
    _, seconds = intervals.allowance(now=now, clock_at=now + timedelta(seconds=5), rate=1.0, max_gap=30)
    assert seconds == 0


@pytest.mark.parametrize(
    ("minutes", "hours"),
    [(0, "0.00"), (0.5, "0.25"), (14.99, "0.25"), (15, "0.50"), (29.9, "0.50"), (30, "1.00"), (180, "1.00")],
)
def test_course_length_to_hours_by_the_default_brackets(minutes: float, hours: str) -> None:
    assert course_hours(DEFAULT_RULES, int(minutes * 60)) == Decimal(hours)


def test_a_passed_exam_adds_the_bonus_and_targets_follow_roles() -> None:
    assert completion_hours(DEFAULT_RULES, length_seconds=1800, exam_passed=True) == (
        Decimal("1.00"),
        Decimal("0.50"),
    )
    assert yearly_target(DEFAULT_RULES, []) == Decimal("50.00")
    assert yearly_target(DEFAULT_RULES, ["instructor", "worker"]) == Decimal("60.00")


def test_points_stop_at_the_daily_cap() -> None:
    assert [points_for(DEFAULT_RULES, "lesson_completed", earned_today=n) for n in (0, 9, 10, 11)] == [
        1,
        1,
        0,
        0,
    ]
    assert points_for(DEFAULT_RULES, "course_completed", earned_today=17) == 3
    assert points_for(DEFAULT_RULES, "unknown", earned_today=0) == 0


def test_the_version_in_force_is_the_latest_started() -> None:
    later = replace(DEFAULT_RULES, effective_from=date(2027, 1, 1), name="2027 版")
    assert rules_in_force([DEFAULT_RULES, later], date(2026, 12, 31)) is DEFAULT_RULES
    assert rules_in_force([DEFAULT_RULES, later], date(2027, 1, 1)) is later
    assert rules_in_force([later], date(2020, 1, 1)) is DEFAULT_RULES


def test_rule_data_the_engine_cannot_use_is_refused() -> None:
    check(DEFAULT_RULES)
    with pytest.raises(CreditRuleError):
        check(replace(DEFAULT_RULES, brackets=(Bracket(15, Decimal("1")),)))
    with pytest.raises(CreditRuleError):
        check(replace(DEFAULT_RULES, completion_ratio=Decimal("1.5")))
    with pytest.raises(TypeError):
        course_hours(replace(DEFAULT_RULES, brackets=(Bracket(0, 0.5),)), 60)  # type: ignore[arg-type]


def test_the_length_of_an_mp4_is_read_from_its_movie_header() -> None:
    assert mp4_duration(io.BytesIO(mp4_bytes(754))) == 754
    assert mp4_duration(io.BytesIO(mp4_bytes(90, timescale=90000))) == 90
    assert mp4_duration(io.BytesIO(b"\x00\x00\x00\x18ftypisom" + bytes(16))) is None
    assert mp4_duration(io.BytesIO(b"")) is None
