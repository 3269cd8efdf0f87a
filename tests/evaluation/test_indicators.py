"""The four §10.1.1 indicators as pure arithmetic, against a hand-computed fixture (docs/indicators.md):
exact fractions, half-up percentages, and a zero denominator that gives "—" — never 0%, never an error."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from dangjian.evaluation.indicators import Counts, Period, percent, percent_label, rate, report

# Hand-computed: 7 answers scored 5,5,4,4,3,2,5 -> satisfied 5 of 7 = 71.428…% -> 71.4%, mean 28/7 = 4.00;
# 8 deliveries, 6 in the window -> 75.0%; 10 planned and due, 8 delivered -> 80.0%;
# 3 valid complaints, 2 closed as resolved -> 66.666…% -> 66.7%.
FIXTURE = Counts(
    satisfied=5,
    answers=7,
    score_total=28,
    on_time=6,
    delivered=8,
    completed=8,
    planned_due=10,
    complaints_resolved=2,
    complaints_valid=3,
)


def test_the_hand_computed_fixture() -> None:
    got = report(FIXTURE)

    assert got.get("satisfaction").value == Fraction(5, 7)
    assert got.get("satisfaction").label == "71.4%"
    assert got.mean_score == 4 and got.mean_label == "4.00"
    assert got.get("punctuality").value == Fraction(3, 4) and got.get("punctuality").label == "75.0%"
    assert got.get("completion").value == Fraction(4, 5) and got.get("completion").label == "80.0%"
    assert got.get("complaints").value == Fraction(2, 3) and got.get("complaints").label == "66.7%"
    assert [i.code for i in got.indicators] == ["satisfaction", "punctuality", "completion", "complaints"]


def test_zero_denominators_give_a_dash_not_zero_percent() -> None:
    got = report(Counts())

    for indicator in got.indicators:
        assert indicator.value is None
        assert indicator.percent is None
        assert indicator.label == "—"
        assert indicator.meets_target is None
    assert got.mean_score is None and got.mean_label == "—"


def test_a_zero_numerator_is_a_real_zero() -> None:
    got = report(Counts(satisfied=0, answers=4, score_total=8))
    assert got.get("satisfaction").label == "0.0%"
    assert got.get("satisfaction").meets_target is False
    assert got.get("punctuality").label == "—"  # nothing delivered: unknown, not 0%


def test_only_one_zero_denominator_leaves_the_others_computed() -> None:
    got = report(Counts(on_time=1, delivered=1, completed=1, planned_due=1))
    assert got.get("punctuality").label == "100.0%"
    assert got.get("completion").meets_target is True
    assert got.get("complaints").label == "—"


def test_percentages_round_half_up() -> None:
    assert percent(Fraction(1, 8)) == Decimal("12.5")
    assert percent(Fraction(1, 6)) == Decimal("16.7")
    assert percent(Fraction(1, 3)) == Decimal("33.3")
    assert percent(Fraction(2, 3)) == Decimal("66.7")
    assert percent_label(None) == "—"


def test_impossible_counts_are_a_programming_error() -> None:
    with pytest.raises(ValueError):
        rate(3, 2)
    with pytest.raises(ValueError):
        rate(-1, 2)


@pytest.mark.parametrize(
    ("text", "kind", "first", "end"),
    [
        ("2026-03", "month", date(2026, 3, 1), date(2026, 4, 1)),
        ("2026-12", "month", date(2026, 12, 1), date(2027, 1, 1)),
        ("2026-Q1", "quarter", date(2026, 1, 1), date(2026, 4, 1)),
        ("2026-Q4", "quarter", date(2026, 10, 1), date(2027, 1, 1)),
        ("2026", "year", date(2026, 1, 1), date(2027, 1, 1)),
    ],
)
def test_periods(text: str, kind: str, first: date, end: date) -> None:
    period = Period.parse(text)
    assert period is not None and period.kind == kind and period.code == text
    assert period.first_day == first and period.end_day == end
    start, stop = period.bounds(ZoneInfo("Asia/Shanghai"))
    assert start.date() == first and stop.date() == end and start.utcoffset().total_seconds() == 8 * 3600


@pytest.mark.parametrize("text", ["", "2026-13", "2026-Q5", "26-01", "1999", "2026-03\x00", "x" * 5000])
def test_bad_periods_are_refused(text: str) -> None:
    assert Period.parse(text) is None


def test_trend_goes_back_over_the_year_boundary() -> None:
    trend = Period("quarter", 2026, 2).trend(4)
    assert [p.code for p in trend] == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    assert Period.containing(date(2026, 8, 9), "quarter").label == "2026年第3季度"
    assert Period("month", 2026, 1).previous().code == "2025-12"
