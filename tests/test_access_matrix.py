"""Every URL pattern × every visitor role × GET/POST, on objects of branch A (see access_matrix.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access_matrix import MATRIX, ROLES, Row, url_name_of

pytestmark = pytest.mark.django_db


def _pattern_names(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _pattern_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            names.add(f"{namespace}{entry.name}" if entry.name else f"<unnamed {entry.pattern}>")
    return names


def all_url_names() -> set[str]:
    return _pattern_names(get_resolver().url_patterns)


def test_every_url_pattern_has_a_row() -> None:
    missing = sorted(all_url_names() - {url_name_of(name) for name in MATRIX})
    assert not missing, f"URL patterns without an access-matrix row: {missing}"


def test_matrix_has_no_stale_rows() -> None:
    stale = sorted({url_name_of(name) for name in MATRIX} - all_url_names())
    assert not stale, f"access-matrix rows for URL names that no longer exist: {stale}"


def _request(client: Any, method: str, url: str, data: dict[str, Any], *, json: bool) -> int:
    """One request whose effects are rolled back, so every role meets the same data."""
    with transaction.atomic():
        if method == "get":
            response = client.get(url)
        elif json:
            response = client.post(url, data, content_type="application/json")
        else:
            response = client.post(url, data)
        transaction.set_rollback(True)
    return response.status_code


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(name: str, matrix_world, client) -> None:
    row: Row = MATRIX[name]
    url = reverse(url_name_of(name), kwargs=row.kwargs(matrix_world)) + row.query.format(
        building=matrix_world.building_a.pk
    )
    wrong = []
    for role in ROLES:
        user = matrix_world.actor(role)
        client.logout()
        if user is not None:
            client.force_login(user)
        for method, expected in (("get", row.get[role]), ("post", row.post[role])):
            got = _request(client, method, url, row.post_data(matrix_world), json=row.json)
            if got != expected:
                wrong.append(f"{role} {method.upper()} {url}: expected {expected}, got {got}")
    assert not wrong, "\n".join(wrong)
