"""The handling rules of feedback as data (DB3212/T 1124 §10.1.2), like `dues/amounts.py`: change a number
here, not an if-chain in the services.

- `DUE_WORKING_DAYS`: working days (Monday to Friday) from receipt to the reply each kind is promised in.
- `HQ_ESCALATION_DAYS`: days an item may stay overdue after the station admin was alerted before HQ is.
- `PER_IP_PER_HOUR` / `PER_PERSON_PER_HOUR`: how many submissions one client address / one signed-in person
  may make in an hour (paper entries by staff are not counted).
"""

from __future__ import annotations

from datetime import date, timedelta

DUE_WORKING_DAYS: dict[str, int] = {
    "complaint": 3,
    "consultation": 2,
    "suggestion": 7,
    "praise": 7,
}
HQ_ESCALATION_DAYS = 2
PER_IP_PER_HOUR = 30
PER_PERSON_PER_HOUR = 10
RATING_RANGE = range(1, 6)
TITLE_MAX = 80
CONTENT_MAX = 2000
REPLY_MAX = 2000
NOTE_MAX = 500
WEEKEND = (5, 6)  # Saturday, Sunday


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days after `start` (weekends skipped; `start` itself does not count)."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() not in WEEKEND:
            left -= 1
    return day


def due_date(kind: str, received_on: date) -> date:
    return add_working_days(received_on, DUE_WORKING_DAYS[kind])
