"""The HQ cockpit's selector (`station_year_totals`) against a hand-computed ledger, in one query
whatever the number of stations; who sees which entries; the work card's count."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from dangjian.funding import selectors, services
from dangjian.funding.selectors import FundingTotals
from tests import factories as f
from tests.funding.builders import YEAR, on, pdf_upload, record

pytestmark = pytest.mark.django_db


def _ledger(fu) -> None:
    """A: income 20,000 + 6,000 (− 6,000 reversed) + 1,500.50; expense 4,200 + 980.25; budget 9,000 +
    3,000 (the income plan of 50,000 does not count). B: income 3,000; expense 3,800 (over). HQ: nothing
    this year, one expense last year."""
    record(fu.admin_a, fu.a, "income", "dues", "20000")
    wrong = record(fu.admin_a, fu.a, "income", "sponsorship", "6000")
    services.entry_reverse(actor=fu.admin_a, entry=wrong, reason="赞助取消")
    record(fu.worker_a, fu.a, "income", "other", "1500.50", building=fu.tower_a)
    record(fu.worker_a, fu.a, "expense", "construction", "4200")
    record(fu.worker_a, fu.a, "expense", "training", "980.25", when=on(12, 31))
    services.budget_set(
        actor=fu.admin_a,
        station=fu.a,
        year=YEAR,
        amounts={
            ("expense", "construction"): "9000",
            ("expense", "training"): "3000",
            ("income", "dues"): "50000",
        },
    )
    services.budget_set(actor=fu.admin_a, station=fu.a, year=YEAR + 1, amounts={("expense", "training"): "7"})
    record(fu.admin_b, fu.b, "income", "administrative", "3000")
    record(fu.admin_b, fu.b, "expense", "activities", "3800")
    record(fu.hq_admin, fu.hq, "expense", "publicity", "777", when=on(1, 1, year=YEAR - 1))


def test_station_year_totals_match_the_hand_computed_ledger(fu) -> None:
    _ledger(fu)
    totals = selectors.station_year_totals(year=YEAR)
    zero = Decimal("0.00")
    assert totals == {
        fu.a.pk: FundingTotals(Decimal("21500.50"), Decimal("5180.25"), Decimal("12000.00")),
        fu.b.pk: FundingTotals(Decimal("3000.00"), Decimal("3800.00"), zero),
        fu.hq.pk: FundingTotals(zero, zero, zero),
    }
    assert totals[fu.a.pk].balance == Decimal("16320.25")
    only_b = selectors.station_year_totals(year=YEAR, station_ids=[fu.b.pk])
    assert list(only_b) == [fu.b.pk]
    assert selectors.station_year_totals(year=YEAR - 1)[fu.hq.pk].expense == Decimal("777.00")


def test_station_year_totals_is_one_query_whatever_the_stations(fu, django_assert_num_queries) -> None:
    _ledger(fu)
    with django_assert_num_queries(1):
        selectors.station_year_totals(year=YEAR)
    for n in range(6):
        station = f.StationFactory(code=f"more{n}", name=f"泰州第{n}分站")
        record(fu.hq_admin, station, "income", "dues", "10")
    with django_assert_num_queries(1):
        assert len(selectors.station_year_totals(year=YEAR)) == 9


def test_each_role_sees_its_stations_entries(fu) -> None:
    own = record(fu.admin_a, fu.a, "income", "dues", "100")
    other = record(fu.admin_b, fu.b, "income", "dues", "100")
    seen = {
        who: set(selectors.visible_entries(getattr(fu, who)).values_list("pk", flat=True))
        for who in ("admin_a", "worker_a", "instructor_a", "admin_b", "hq_admin", "member")
    }
    assert seen == {
        "admin_a": {own.pk},
        "worker_a": {own.pk},
        "instructor_a": {own.pk},
        "admin_b": {other.pk},
        "hq_admin": {own.pk, other.pk},
        "member": set(),
    }


def test_the_work_card_counts_this_years_expenses_without_a_voucher(fu) -> None:
    today = timezone.localdate()
    record(fu.admin_a, fu.a, "expense", "equipment", "100", when=today)
    record(fu.admin_a, fu.a, "expense", "equipment", "100", when=today, voucher=pdf_upload())
    reversed_one = record(fu.admin_a, fu.a, "expense", "equipment", "100", when=today)
    services.entry_reverse(actor=fu.admin_a, entry=reversed_one, reason="重复")
    record(fu.admin_a, fu.a, "income", "dues", "100", when=today)
    record(fu.admin_b, fu.b, "expense", "equipment", "100", when=today)
    assert selectors.expenses_without_voucher(fu.worker_a, today.year) == 1
    assert selectors.expenses_without_voucher(fu.hq_admin, today.year) == 2
    assert selectors.expenses_without_voucher(fu.instructor_a, today.year) == 0
