"""Template context of the shared kernel."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest

from dangjian.core.notifications import unread_count


def notifications(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """`unread_notification_count` for the header bell: counted with one query the first time a
    template uses it, never when none does; 0 for anonymous visitors."""

    @cache
    def count() -> int:
        user: Any = getattr(request, "user", None)
        return unread_count(user)

    return {"unread_notification_count": count}
