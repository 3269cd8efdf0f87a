"""The demo funds: every station's ledger and budgets, through the services, with one reversal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dangjian.accounts.models import Role
from dangjian.demo.funding_seed import seed_funding
from dangjian.funding import selectors
from dangjian.funding.models import Budget, Entry, Voucher
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_demo_ledger_reads_like_a_year_of_work() -> None:
    assert seed_funding(date(2026, 6, 30)) == 0  # no station yet
    hq = f.StationFactory(kind="hq", code="hq", name="海陵区楼宇党建共享平台总站", sort_order=0)
    wanda = f.StationFactory(code="wanda", name="万达广场分站", sort_order=10)
    f.BuildingFactory(station=wanda, name="万达广场写字楼 A 座")
    f.grant(f.UserFactory(username="hq_admin"), Role.STATION_ADMIN, hq)
    f.grant(f.UserFactory(username="wanda_admin"), Role.STATION_ADMIN, wanda)
    assert seed_funding(date(2026, 6, 30)) == 18
    reversal = Entry.objects.get(reverses__isnull=False)
    assert reversal.station == wanda and reversal.amount == Decimal("-9600.00")
    assert Voucher.objects.count() == 8
    assert Budget.objects.filter(year=2026).count() == 14
    totals = selectors.station_year_totals(year=2026)
    assert totals[wanda.pk].income == Decimal("58000.00")
    assert totals[wanda.pk].expense == Decimal("21100.50")
    assert totals[wanda.pk].budget == Decimal("33500.00")
    assert totals[hq.pk].income == Decimal("87000.00")  # HQ's figures are half as large again
    assert str(totals[hq.pk].expense) == "31650.75"
    over = [r.line for r in selectors.budget_rows(wanda, 2026, "expense") if r.over]
    assert over == ["equipment"]
    assert Entry.objects.filter(station=wanda, building__isnull=False).count() == 2
