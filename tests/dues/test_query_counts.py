"""Dues list pages and API lists run the same number of SQL queries with 3 members or 30 (DESIGN.md:
constant query counts on every list page and API list)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dangjian.dues import services
from tests.dues.builders import generate, make_member, months_ago, now, pay_cash, treasurer
from tests.queries import get_query_count

pytestmark = pytest.mark.django_db
MAX_QUERIES = 25


def _grow(dues, n: int) -> None:
    """`n` more members of org_a, each with three months billed and the first paid in cash; every third
    has an approved reduction."""
    members = [make_member(dues.org_a, base=Decimal(f"{2500 + 300 * i}.00")) for i in range(n)]
    for member in members[::3]:
        services.relief_approve(
            member=member,
            kind="reduction",
            reduced_amount=Decimal("1.00"),
            start=months_ago(2),
            end=None,
            reason="生活困难",
            actor=treasurer(dues.org_a),
        )
    for period in (months_ago(2), months_ago(1), now()):
        generate(dues.org_a, period)
    for member in members:
        pay_cash(member, [months_ago(2)], extra=Decimal("1.00"))


@pytest.mark.parametrize(
    ("viewer", "urls"),
    [
        (
            "treasurer_a",
            [
                "/manage/dues/organizations/{org}/{y}-{m}/",
                "/manage/dues/organizations/{org}/arrears/",
                "/manage/dues/organizations/{org}/payments/",
                "/manage/dues/organizations/{org}/declarations/?year={ly}",
                "/manage/dues/organizations/{org}/reliefs/",
                "/api/v1/organizations/{org}/dues-sheets/{y}-{m}",
            ],
        ),
        ("hq_admin", ["/manage/dues/", "/manage/dues/reports/", "/manage/dues/reports/?year={y}&month={m}"]),
        ("own_admin", ["/manage/dues/rules/", "/manage/dues/reports/export/"]),
        ("payer", ["/me/dues/", "/api/v1/me/dues"]),
    ],
)
def test_lists_use_constant_queries(dues, client, viewer, urls) -> None:
    user = dues.payer.user if viewer == "payer" else getattr(dues, viewer)
    client.force_login(user)
    period = now()
    urls = [u.format(org=dues.org_a.pk, y=period.year, m=period.month, ly=period.year - 1) for u in urls]
    _grow(dues, 3)
    few = {url: get_query_count(client, url) for url in urls}
    _grow(dues, 27)
    many = {url: get_query_count(client, url) for url in urls}
    assert few == many, f"query count grows with rows: {few} → {many}"
    assert max(many.values()) <= MAX_QUERIES, many
