"""No page answers 500 to parameters a person can type (DESIGN.md: bad input never returns 500)."""

import pytest
from django.urls import reverse

from tests.access_matrix import MATRIX

pytestmark = pytest.mark.django_db

JUNK = {
    "page": "abc",
    "station": "abc",
    "building": "-1",
    "industry": "<script>alert(1)</script>",
    "kind": "'; DROP TABLE x; --",
    "term": "whenever",
    "role": "king",
    "has_party_org": "maybe",
    "date_from": "2026-02-30",
    "date_to": "not-a-date",
    "q": "党建" * 200,
    "next": "javascript:alert(1)",
}
OVERFLOW = {
    name: "9" * 30 for name in ("page", "station", "building", "grid", "floor", "organization", "login")
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "member", "own_admin", "hq_admin"])
def test_pages_survive_junk_parameters(matrix_world, client, role) -> None:
    world = matrix_world
    user = world.actor(role)
    if user is not None:
        client.force_login(user)
    errors = []
    for name, row in MATRIX.items():
        if name.startswith("api:"):
            continue
        url = reverse(name.split(" [", 1)[0], kwargs=row.kwargs(world))
        for method in ("get", "post"):
            for params in (JUNK, OVERFLOW):
                response = getattr(client, method)(url, params)
                if response.status_code >= 500:
                    errors.append(f"{method.upper()} {url} {sorted(params)[0]}… -> {response.status_code}")
    assert not errors, errors
