"""The lists of 党务公开 run the same number of SQL queries with 3 items or 30 (DESIGN.md: constant
query counts on every list page and API list)."""

from __future__ import annotations

from datetime import date

import pytest

from dangjian.disclosures import services
from tests.disclosures.builders import published, submitted, write_draft
from tests.queries import get_query_count

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15
VISIBILITIES = ("public", "station", "organization")
STATES = ("published", "submitted", "withdrawn", "draft", "published")


def _grow(people, n: int, start: int = 0) -> None:
    """`n` more items of org_a in every state, audience, category and quarter; the first three already
    give every list below at least one row (published public 党费, submitted, withdrawn)."""
    for i in range(start, start + n):
        quarter = i % 4
        fields = {
            "title": f"第{i + 1}号公示",
            "visibility": "public" if i % 2 == 0 else VISIBILITIES[i % 3],
            "category": ("dues", "recruitment", "honors", "major")[quarter],
            "period_start": date(2026, 3 * quarter + 1, 1),
            "period_end": date(2026, 3 * quarter + 3, 28),
        }
        state = STATES[i % len(STATES)]
        if state == "draft":
            write_draft(people.worker_a, people.org_a, **fields)
        elif state == "submitted":
            submitted(people.worker_a, people.org_a, **fields)
        else:
            item = published(people.worker_a, people.org_a, reviewer=people.instructor_a, **fields)
            if state == "withdrawn":
                services.disclosure_withdraw(disclosure=item, actor=people.worker_a, comment="更正")


@pytest.mark.parametrize(
    ("viewer", "urls"),
    [
        ("anonymous", ["/organizations/{org}/disclosures/", "/api/v1/disclosures"]),
        ("member", ["/organizations/{org}/disclosures/", "/api/v1/disclosures?year=2026"]),
        ("worker_a", ["/manage/disclosures/", "/manage/disclosures/?status=published&category=dues"]),
        ("instructor_a", ["/manage/disclosures/?mine=on", "/organizations/{org}/disclosures/?category=dues"]),
        ("hq_admin", ["/manage/disclosures/", "/api/v1/disclosures?organization={org}"]),
    ],
)
def test_lists_use_constant_queries(people, client, viewer, urls) -> None:
    user = people.actor(viewer)
    if user is not None:
        client.force_login(user)
    urls = [url.format(org=people.org_a.pk) for url in urls]
    _grow(people, 3)
    few = {url: get_query_count(client, url) for url in urls}
    _grow(people, 27, start=3)
    many = {url: get_query_count(client, url) for url in urls}
    assert few == many, f"query count grows with rows: {few} → {many}"
    assert max(many.values()) <= MAX_QUERIES, many
