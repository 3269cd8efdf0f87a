"""Readiness (`/readyz`): whether this process can serve — the database answers and every migration is
applied, the cache answers, the media storage is reachable, and a Celery worker is alive (its heartbeat
task wrote the cache within the last `HEARTBEAT_STALE_SECONDS`; where tasks run inline there is no worker
to wait for). Liveness stays `/healthz`, which asks nothing."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

HEARTBEAT_KEY = "core:celery-heartbeat"
HEARTBEAT_SECONDS = 60
HEARTBEAT_STALE_SECONDS = 3 * HEARTBEAT_SECONDS


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    pending = MigrationExecutor(connection).migration_plan(
        MigrationExecutor(connection).loader.graph.leaf_nodes()
    )
    return f"{len(pending)} migrations not applied" if pending else ""


def _cache() -> str:
    probe = f"core:readyz:{time.monotonic_ns()}"
    cache.set(probe, 1, 10)
    answered = cache.get(probe) == 1
    cache.delete(probe)
    return "" if answered else "the cache does not keep a value"


def _storage() -> str:
    default_storage.exists("readyz-probe")  # raises when the storage cannot be reached
    return ""


def _celery() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return ""
    beat = cache.get(HEARTBEAT_KEY)
    if beat is None:
        return "no worker heartbeat yet"
    age = time.time() - float(beat)
    return f"last worker heartbeat {age:.0f} s ago" if age > HEARTBEAT_STALE_SECONDS else ""


CHECKS: dict[str, Callable[[], str]] = {
    "database": _database,
    "cache": _cache,
    "storage": _storage,
    "celery": _celery,
}


def readiness() -> dict[str, str]:
    """{check: "ok" or what is wrong}; a check that raises reports the exception's class, never its text
    (which may name hosts or credentials)."""
    found = {}
    for name, check in CHECKS.items():
        try:
            problem = check()
        except Exception as error:
            problem = f"unavailable ({type(error).__name__})"
        found[name] = problem or "ok"
    return found


def record_heartbeat() -> None:
    cache.set(HEARTBEAT_KEY, time.time(), HEARTBEAT_STALE_SECONDS * 2)
