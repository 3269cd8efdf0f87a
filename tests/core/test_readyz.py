"""`/readyz`: 200 when the database (with every migration applied), the cache, the storage and a Celery
worker's heartbeat are there; 503 naming what is not, without the error's text."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.cache import cache

from dangjian.core import health, tasks

pytestmark = pytest.mark.django_db


def test_ready_where_tasks_run_inline(client: Any) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": dict.fromkeys(health.CHECKS, "ok")}
    assert response["Cache-Control"] == "no-store"
    assert client.post("/readyz").status_code == 405


def test_a_missing_migration_makes_it_unready(client: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(health.MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["database"] == "1 migrations not applied"


def test_an_unreachable_storage_is_named_without_its_message(client: Any, monkeypatch: Any) -> None:
    def unreachable(name: str) -> bool:
        raise OSError("connect to s3.internal:9000 with key AKIA… refused")

    monkeypatch.setattr(health.default_storage, "exists", unreachable)
    body = client.get("/readyz").json()
    assert body["status"] == "unavailable" and body["checks"]["storage"] == "unavailable (OSError)"
    assert "AKIA" not in str(body)


def test_a_cache_that_keeps_nothing_is_unready(client: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(health.cache, "get", lambda *args, **kwargs: None)
    assert client.get("/readyz").json()["checks"]["cache"] == "the cache does not keep a value"


def test_with_a_worker_the_heartbeat_decides(client: Any, settings: Any) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    cache.delete(health.HEARTBEAT_KEY)
    assert client.get("/readyz").json()["checks"]["celery"] == "no worker heartbeat yet"
    tasks.heartbeat()
    assert client.get("/readyz").status_code == 200
    cache.set(health.HEARTBEAT_KEY, time.time() - 10 * health.HEARTBEAT_SECONDS)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["celery"].startswith(
        "last worker heartbeat"
    )
