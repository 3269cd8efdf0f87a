"""The planned times of a service item (pure: dates in, local datetimes out)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, tzinfo


def planned_days(
    *,
    recurrence: str,
    weekday: int | None,
    day_of_month: int | None,
    first: date,
    last: date,
) -> Iterator[date]:
    """Every day in [first, last] the schedule names (weekly on `weekday`, monthly on `day_of_month`)."""
    if last < first:
        return
    if recurrence == "weekly":
        if weekday is None:
            return
        day = first + timedelta(days=(weekday - first.weekday()) % 7)
        while day <= last:
            yield day
            day += timedelta(days=7)
        return
    if day_of_month is None:
        return
    year, month = first.year, first.month
    while True:
        day = date(year, month, day_of_month)
        if day > last:
            return
        if day >= first:
            yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def planned_times(days: Iterator[date], at: time, zone: tzinfo) -> list[datetime]:
    return [datetime.combine(day, at, tzinfo=zone) for day in days]
