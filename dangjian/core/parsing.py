from __future__ import annotations

from typing import Any

MAX_ID = 2**63 - 1  # the largest primary key a database can hold (bigint)


def positive_int_or_none(value: Any) -> int | None:
    """A primary key typed by a person or a URL: a positive int a database can hold, or None for
    anything else (an out-of-range number would raise OverflowError inside the database driver)."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None
