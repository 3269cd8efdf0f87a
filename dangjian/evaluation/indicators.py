"""The four evaluation indicators of DB3212/T 1124 §10.1.1, as pure arithmetic on counts (no database).

    服务对象满意度   = 满意（4 分、5 分）的评价数 ÷ 全部满意度评价数        (and the mean score)
    服务时间准确率   = 在承诺时限内提供的次数 ÷ 已提供的次数
    服务项目完成率   = 已提供的次数 ÷ 统计期内到期的计划次数
    有效投诉办结率   = 有效投诉中已解决办结的件数 ÷ 有效投诉件数

Rates are exact (`Fraction`); a zero denominator gives `None`, shown as "—" (never 0%, never an error).
Periods (`Period`) are local (Asia/Shanghai) months, quarters and years: [start, end).
The selectors count in the database (`selectors.indicator_counts`) and hand the counts here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

SATISFIED_FROM = 4  # scores 4 and 5 are "satisfied"
TARGETS = {  # the station's own threshold under which an indicator is "未达标" (a rectification may follow)
    "satisfaction": Fraction(90, 100),
    "punctuality": Fraction(95, 100),
    "completion": Fraction(95, 100),
    "complaints": Fraction(100, 100),
}


@dataclass(frozen=True)
class Definition:
    code: str
    name: str
    formula: str


DEFINITIONS = (
    Definition("satisfaction", "服务对象满意度", "满意（4 分、5 分）的评价数 ÷ 全部满意度评价数"),
    Definition("punctuality", "服务时间准确率", "在承诺时限内提供的次数 ÷ 已提供的次数"),
    Definition("completion", "服务项目完成率", "已提供的次数 ÷ 统计期内到期的计划次数"),
    Definition("complaints", "有效投诉办结率", "有效投诉中已解决办结的件数 ÷ 有效投诉件数"),
)
DEFINITION_BY_CODE = {d.code: d for d in DEFINITIONS}


def rate(numerator: int, denominator: int) -> Fraction | None:
    """numerator / denominator exactly; None when nothing was counted."""
    if numerator < 0 or denominator < 0 or numerator > denominator:
        raise ValueError(f"counts out of range: {numerator}/{denominator}")
    return Fraction(numerator, denominator) if denominator else None


def mean(total: int, count: int) -> Fraction | None:
    return Fraction(total, count) if count else None


def percent(value: Fraction | None, places: int = 1) -> Decimal | None:
    """A rate as a percentage rounded half up (Decimal): 2/3 -> 66.7."""
    if value is None:
        return None
    exponent = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator * 100) / Decimal(value.denominator)).quantize(exponent, ROUND_HALF_UP)


def percent_label(value: Fraction | None) -> str:
    shown = percent(value)
    return "—" if shown is None else f"{shown}%"


@dataclass(frozen=True)
class Counts:
    """What the database counted for one station (or organisation) and period."""

    satisfied: int = 0
    answers: int = 0
    score_total: int = 0
    on_time: int = 0
    delivered: int = 0
    completed: int = 0
    planned_due: int = 0
    complaints_resolved: int = 0
    complaints_valid: int = 0


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    formula: str
    numerator: int
    denominator: int
    value: Fraction | None

    @property
    def percent(self) -> Decimal | None:
        return percent(self.value)

    @property
    def label(self) -> str:
        return percent_label(self.value)

    @property
    def meets_target(self) -> bool | None:
        return None if self.value is None else self.value >= TARGETS[self.code]


@dataclass(frozen=True)
class Report:
    indicators: tuple[Indicator, ...]
    mean_score: Fraction | None

    def get(self, code: str) -> Indicator:
        return next(i for i in self.indicators if i.code == code)

    @property
    def mean_label(self) -> str:
        if self.mean_score is None:
            return "—"
        return f"{Decimal(self.mean_score.numerator) / Decimal(self.mean_score.denominator):.2f}"


def _indicator(code: str, numerator: int, denominator: int) -> Indicator:
    d = DEFINITION_BY_CODE[code]
    return Indicator(code, d.name, d.formula, numerator, denominator, rate(numerator, denominator))


def report(counts: Counts) -> Report:
    """The four indicators of one set of counts."""
    return Report(
        indicators=(
            _indicator("satisfaction", counts.satisfied, counts.answers),
            _indicator("punctuality", counts.on_time, counts.delivered),
            _indicator("completion", counts.completed, counts.planned_due),
            _indicator("complaints", counts.complaints_resolved, counts.complaints_valid),
        ),
        mean_score=mean(counts.score_total, counts.answers),
    )


# ---------------------------------------------------------------- periods

PERIOD_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>0[1-9]|1[0-2])|Q(?P<quarter>[1-4])))?$")
KIND_LABELS = {"month": "月", "quarter": "季度", "year": "年"}


@dataclass(frozen=True)
class Period:
    """A month ("2026-03"), a quarter ("2026-Q1") or a year ("2026")."""

    kind: str
    year: int
    index: int = 1  # month 1–12, quarter 1–4, 1 for a year

    @classmethod
    def parse(cls, text: str) -> Period | None:
        found = PERIOD_PATTERN.match(text or "")
        if found is None or not 2000 <= int(found["year"]) <= 2100:
            return None
        year = int(found["year"])
        if found["month"]:
            return cls("month", year, int(found["month"]))
        if found["quarter"]:
            return cls("quarter", year, int(found["quarter"]))
        return cls("year", year)

    @classmethod
    def containing(cls, day: date, kind: str) -> Period:
        if kind == "month":
            return cls("month", day.year, day.month)
        if kind == "quarter":
            return cls("quarter", day.year, (day.month - 1) // 3 + 1)
        return cls("year", day.year)

    @property
    def code(self) -> str:
        if self.kind == "month":
            return f"{self.year}-{self.index:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.index}"
        return f"{self.year}"

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.year}年{self.index}月"
        if self.kind == "quarter":
            return f"{self.year}年第{self.index}季度"
        return f"{self.year}年"

    @property
    def first_day(self) -> date:
        if self.kind == "month":
            return date(self.year, self.index, 1)
        if self.kind == "quarter":
            return date(self.year, 3 * self.index - 2, 1)
        return date(self.year, 1, 1)

    @property
    def end_day(self) -> date:
        """The first day after the period."""
        months = {"month": 1, "quarter": 3, "year": 12}[self.kind]
        month = self.first_day.month - 1 + months
        return date(self.year + month // 12, month % 12 + 1, 1)

    def bounds(self, zone: tzinfo) -> tuple[datetime, datetime]:
        return (
            datetime.combine(self.first_day, time.min, tzinfo=zone),
            datetime.combine(self.end_day, time.min, tzinfo=zone),
        )

    def previous(self) -> Period:
        if self.kind == "year":
            return Period("year", self.year - 1)
        last = 12 if self.kind == "month" else 4
        if self.index == 1:
            return Period(self.kind, self.year - 1, last)
        return Period(self.kind, self.year, self.index - 1)

    def trend(self, length: int) -> list[Period]:
        """This period and the `length - 1` before it, oldest first."""
        periods = [self]
        while len(periods) < length:
            periods.append(periods[-1].previous())
        return periods[::-1]
