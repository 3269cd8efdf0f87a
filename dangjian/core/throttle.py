"""Fixed-window throttles counted in the database, shared by every worker (DESIGN.md: throttles and
lockouts count in the database or Redis, never in one process's memory)."""

from __future__ import annotations

import time

from django.db import transaction
from django.db.models import F

from dangjian.core.models import ThrottleBucket


def throttle_hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit of `key` in the current window; True if it is within `limit`.

    The bucket row is created once (the unique constraint settles a race for it) and incremented with
    an UPDATE under a row lock, so concurrent hits are never lost."""
    window = int(time.time()) // window_seconds
    with transaction.atomic():
        bucket, _ = ThrottleBucket.objects.select_for_update().get_or_create(key=key[:200], window=window)
        ThrottleBucket.objects.filter(pk=bucket.pk).update(count=F("count") + 1)
        bucket.refresh_from_db(fields=["count"])
    if bucket.count == 1:
        ThrottleBucket.objects.filter(key=key[:200], window__lt=window).delete()
    return bucket.count <= limit
