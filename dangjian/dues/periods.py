"""Months as periods: a period is the `date` of the month's first day (pure helpers, no database)."""

from __future__ import annotations

import re
from datetime import date

PERIOD_PATTERN = re.compile(r"^(\d{4})-(\d{1,2})$")
FIRST_YEAR, LAST_YEAR = 2000, 2100


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(period: date, months: int) -> date:
    index = period.year * 12 + period.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> int:
    """How many months `end` lies after `start` (negative if before)."""
    return (end.year - start.year) * 12 + end.month - start.month


def period_of(year: int, month: int) -> date | None:
    """The period of a year and month typed in a URL or a form, or None if there is no such month."""
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def parse_period(text: str) -> date | None:
    """ "2026-07" → 2026-07-01; anything else → None."""
    match = PERIOD_PATTERN.match((text or "").strip())
    return period_of(int(match[1]), int(match[2])) if match else None


def period_label(period: date) -> str:
    return f"{period.year}年{period.month}月"


def period_key(period: date) -> str:
    return f"{period.year}-{period.month:02d}"


def months_of_year(year: int) -> list[date]:
    return [date(year, month, 1) for month in range(1, 13)]
