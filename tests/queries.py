"""Counting the SQL of one page, for the constant-query-count assertions."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def get_query_count(client: Any, url: str) -> int:
    """Queries run by one GET of `url`, which must answer 200."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)
