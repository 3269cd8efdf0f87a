"""The forum's forms and API operations, under the junk of tests/test_junk_input.py (out-of-range ids, NUL
characters, huge strings, far dates), answer without a server error, as a member, a worker and an admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.access_matrix import url_name_of
from tests.forum.access_rows import API_ROWS, PAGE_ROWS
from tests.test_junk_input import FIELD_JUNK, junk_bodies, post_forms_of, status_of

pytestmark = pytest.mark.django_db

ACTORS = ("member", "worker_a", "own_admin")


def _urls(world: Any, rows: dict[str, Any]) -> list[str]:
    return sorted({reverse(url_name_of(name), kwargs=row.kwargs(world)) for name, row in rows.items()})


@pytest.mark.parametrize("role", ACTORS)
def test_forum_forms_survive_junk(matrix_world, role: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(matrix_world.actor(role))
    errors, forms_seen = [], 0
    for url in _urls(matrix_world, PAGE_ROWS):
        page = client.get(url)
        if page.status_code != 200:
            continue
        for action, fields in post_forms_of(page.content.decode(), url):
            forms_seen += 1
            for label, body in junk_bodies(fields):
                if status_of(client, "post", action, data=body) >= 500:
                    errors.append(f"POST {action} {label}")
    assert forms_seen >= 3
    assert not errors, errors


@pytest.mark.parametrize("role", ACTORS)
def test_forum_api_survives_junk(matrix_world, role: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(matrix_world.actor(role))
    errors = []
    for url in _urls(matrix_world, API_ROWS):
        query = dict.fromkeys(["page", "page_size", "kind", "answered"], "99999999999999999999")
        if status_of(client, "get", url, data=query) >= 500:
            errors.append(f"GET {url} query")
        for value in (*FIELD_JUNK, 10**20, -(10**20), 1e308, [], {}):
            body = dict.fromkeys(["title", "body", "kind", "liked", "as_answer"], value)
            if status_of(client, "post", url, data=body, content_type="application/json") >= 500:
                errors.append(f"POST {url} {value!r:.20}")
    assert not errors, errors
