from __future__ import annotations

from typing import Any


def positive_int_or_none(value: Any) -> int | None:
    """A primary key typed by a person or a URL: a positive int, or None for anything else."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None
