"""Reads of funds. A station's ledger and budgets are seen by its admins, party-affairs workers and
instructors (every station for HQ and platform admins); anything else — missing, another station's —
is the same 404 (`access_entry`, `access_station`, `access_voucher`).

`station_year_totals` is what the HQ cockpit reads: income, expense and expense budget of a year per
station, in one grouped query whatever the number of stations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    DecimalField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from dangjian.accounts import permissions as visibility
from dangjian.core.access import fetch_or_404
from dangjian.funding.models import Budget, Entry, EntryKind, Voucher, line_choices
from dangjian.funding.permissions import KEEPER_ROLES, READER_ROLES
from dangjian.stations.models import Building, Station

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONEY: DecimalField = DecimalField(max_digits=14, decimal_places=2)
ENTRY_RELATED = ("station", "building", "recorded_by", "reverses", "reversal")


@dataclass(frozen=True)
class FundingTotals:
    income: Decimal
    expense: Decimal
    budget: Decimal  # the sum of the year's expense budgets

    @property
    def balance(self) -> Decimal:
        return self.income - self.expense


# ---------------------------------------------------------------- stations and entries a person sees


def visible_stations(user: Any) -> QuerySet[Station]:
    """Stations whose ledger the user reads, HQ first."""
    return Station.objects.filter(visibility.station_rows_q(user, READER_ROLES, station_field="pk")).order_by(
        "-kind", "name", "id"
    )  # "hq" sorts after "branch": descending puts HQ first


def keepable_stations(user: Any) -> QuerySet[Station]:
    """Stations whose ledger and budgets the user keeps (choices of the entry and budget forms)."""
    return Station.objects.filter(visibility.station_rows_q(user, KEEPER_ROLES, station_field="pk")).order_by(
        "-kind", "name", "id"
    )


def keepable_buildings(user: Any) -> QuerySet[Building]:
    return (
        Building.objects.filter(visibility.station_rows_q(user, KEEPER_ROLES))
        .select_related("station")
        .order_by("station_id", "name", "id")
    )


def access_building(*, user: Any, pk: int | None) -> Building | None:
    """A building of a station the user keeps (None when none is named); anything else is a 404."""
    if pk is None:
        return None
    return fetch_or_404(keepable_buildings(user), pk)


def access_station(*, user: Any, pk: Any) -> Station:
    """A station whose ledger the user reads; anything else is the same 404."""
    station = fetch_or_404(visible_stations(user), pk)
    if not user.has_perm("funding.view_ledger", station):
        raise Http404
    return station


def visible_entries(user: Any) -> QuerySet[Entry]:
    """Entries of the stations the user reads, newest first, with what a list row shows."""
    if not getattr(user, "is_authenticated", False):
        return Entry.objects.none()
    has_voucher = Voucher.objects.filter(entry_id=OuterRef("pk"))
    return (
        Entry.objects.filter(visibility.station_rows_q(user, READER_ROLES))
        .select_related(*ENTRY_RELATED)
        .annotate(has_voucher=Exists(has_voucher))
        .order_by("-occurred_on", "-id")
    )


def access_entry(*, user: Any, pk: Any) -> Entry:
    """An entry of a station the user reads, with its vouchers; anything else is the same 404."""
    entry = fetch_or_404(visible_entries(user).prefetch_related("vouchers"), pk)
    if not user.has_perm("funding.view_ledger", entry):
        raise Http404
    return entry


def access_voucher(*, user: Any, pk: Any) -> Voucher:
    voucher = fetch_or_404(
        Voucher.objects.filter(
            entry__in=Entry.objects.filter(visibility.station_rows_q(user, READER_ROLES))
        ).select_related("entry"),
        pk,
    )
    if not user.has_perm("funding.view_ledger", voucher.entry):
        raise Http404
    return voucher


@dataclass(frozen=True)
class LedgerFilter:
    station_id: int | None = None
    year: int | None = None
    kind: str = ""
    line: str = ""
    building_id: int | None = None


def filter_entries(entries: QuerySet[Entry], chosen: LedgerFilter) -> QuerySet[Entry]:
    if chosen.station_id:
        entries = entries.filter(station_id=chosen.station_id)
    if chosen.year:
        entries = entries.filter(occurred_on__year=chosen.year)
    if chosen.kind:
        entries = entries.filter(kind=chosen.kind)
    if chosen.line:
        entries = entries.filter(line=chosen.line)
    if chosen.building_id:
        entries = entries.filter(building_id=chosen.building_id)
    return entries


@dataclass(frozen=True)
class LedgerTotals:
    income: Decimal
    expense: Decimal

    @property
    def balance(self) -> Decimal:
        return self.income - self.expense


INCOME = Q(kind=EntryKind.INCOME)
EXPENSE = Q(kind=EntryKind.EXPENSE)


def _cents(value: Any) -> Decimal:
    """A database sum as yuan with two decimals (SQLite gives `58000` for 58,000.00)."""
    return Decimal(value or 0).quantize(CENT)


def ledger_totals(entries: QuerySet[Entry]) -> LedgerTotals:
    """Income, expense and balance of the rows (reversals included), in one query."""
    sums = entries.order_by().aggregate(
        income=Coalesce(Sum("amount", filter=INCOME), Value(ZERO), output_field=MONEY),
        expense=Coalesce(Sum("amount", filter=EXPENSE), Value(ZERO), output_field=MONEY),
    )
    return LedgerTotals(income=_cents(sums["income"]), expense=_cents(sums["expense"]))


def entry_years(entries: QuerySet[Entry]) -> list[int]:
    dates = entries.order_by().dates("occurred_on", "year", order="DESC")
    return [d.year for d in dates]


# ---------------------------------------------------------------- budget against actual


@dataclass(frozen=True)
class BudgetRow:
    kind: str
    line: str
    label: str
    budget: Decimal | None  # None: no budget set for the line
    actual: Decimal

    @property
    def rate(self) -> Decimal | None:
        """执行率 in percent, one decimal; None without a (positive) budget."""
        if not self.budget:
            return None
        return (Decimal(100) * self.actual / self.budget).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def over(self) -> bool:
        """Spent beyond the budget (an expense line without a budget that has spending counts too)."""
        if self.kind != EntryKind.EXPENSE:
            return False
        return self.actual > (self.budget or ZERO)

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.actual


def budget_rows(station: Station, year: int, kind: str) -> list[BudgetRow]:
    """Each line of a kind (every category or source, set or not) with its budget and actual sum."""
    actual = dict(
        Entry.objects.filter(station=station, occurred_on__year=year, kind=kind)
        .order_by()
        .values("line")
        .annotate(total=Sum("amount"))
        .values_list("line", "total")
    )
    budgets = dict(Budget.objects.filter(station=station, year=year, kind=kind).values_list("line", "amount"))
    return [
        BudgetRow(kind, line, label, budgets.get(line), _cents(actual.get(line)))
        for line, label in line_choices(kind)
    ]


def budget_of(station: Station, year: int) -> dict[tuple[str, str], Decimal]:
    """The budget amounts set for a station's year, by (kind, line)."""
    rows = Budget.objects.filter(station=station, year=year).values_list("kind", "line", "amount")
    return {(kind, line): amount for kind, line, amount in rows}


def total_row(rows: list[BudgetRow], label: str = "合计") -> BudgetRow:
    budgets = [r.budget for r in rows if r.budget is not None]
    return BudgetRow(
        rows[0].kind if rows else EntryKind.EXPENSE,
        "",
        label,
        sum(budgets, ZERO) if budgets else None,
        sum((r.actual for r in rows), ZERO),
    )


# ---------------------------------------------------------------- the HQ cockpit


def _sum_of(model: Any, *, year_filter: Q, kind: str) -> Coalesce:
    rows = (
        model.objects.filter(year_filter, station_id=OuterRef("pk"), kind=kind)
        .order_by()
        .values("station_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=MONEY), Value(ZERO), output_field=MONEY)


def station_year_totals(*, year: int, station_ids: Iterable[int] | None = None) -> dict[int, FundingTotals]:
    """Income, expense (reversals included) and expense budget of `year` for each station (every station
    when `station_ids` is None), keyed by station id: one query whatever the number of stations."""
    stations = Station.objects.all()
    if station_ids is not None:
        stations = stations.filter(pk__in=sorted(set(station_ids)))
    in_year = Q(occurred_on__year=year)
    rows = (
        stations.order_by("pk")
        .annotate(
            income=_sum_of(Entry, year_filter=in_year, kind=EntryKind.INCOME),
            expense=_sum_of(Entry, year_filter=in_year, kind=EntryKind.EXPENSE),
            budget=_sum_of(Budget, year_filter=Q(year=year), kind=EntryKind.EXPENSE),
        )
        .values_list("pk", "income", "expense", "budget")
    )
    return {
        pk: FundingTotals(_cents(income), _cents(expense), _cents(budget))
        for pk, income, expense, budget in rows
    }


def expenses_without_voucher(user: Any, year: int) -> int:
    """Expenses (not reversals, not reversed) of `year` at the stations the user keeps, with no voucher."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return int(
        Entry.objects.filter(
            visibility.station_rows_q(user, KEEPER_ROLES),
            kind=EntryKind.EXPENSE,
            occurred_on__year=year,
            reverses__isnull=True,
            reversal__isnull=True,
        )
        .exclude(Exists(Voucher.objects.filter(entry_id=OuterRef("pk"))))
        .count()
    )
