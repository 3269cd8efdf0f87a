"""JSON API of funds (经费管理). A station's admins, party-affairs workers and instructors read its ledger
and budget against actual (HQ every station); its admins and workers record and reverse entries. Anyone
else gets 404. A service's refusal answers 400 with its code (`amount_not_positive`, `already_reversed`,
`is_reversal`, `wrong_building`…).

- `GET /funding/entries`: the entries the caller reads (`?station=`, `?year=`, `?kind=`, `?line=`);
- `POST /funding/entries`: record an income or an expense (a voucher is uploaded on the page);
- `GET /funding/entries/{id}`; `POST /funding/entries/{id}/reverse`: the reversing entry (冲销);
- `GET /funding/stations/{id}/report?year=`: budget against actual of a station's year.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from dangjian.core.api_schemas import ObjectId, local, paginated, text, with_errors, write_responses
from dangjian.funding import selectors, services
from dangjian.funding.models import Entry, EntryKind, ExpenseCategory, IncomeSource

router = Router(tags=["经费管理"])

RECORD_CODES = (
    "invalid",
    "invalid_line",
    "wrong_building",
    "invalid_date",
    "future_date",
    "amount_invalid",
    "amount_not_positive",
    "amount_too_large",
    "required",
    "too_long",
)
REVERSE_CODES = ("already_reversed", "is_reversal", "required", "too_long", "invalid")
Year = Annotated[int, Field(ge=services.FIRST_YEAR, le=services.LAST_YEAR)]
Line = Literal["dues", "administrative", "sponsorship", "construction", "equipment", "activities", "training", "publicity", "other"]  # fmt: skip
assert set(Line.__args__) == set(IncomeSource.values) | set(ExpenseCategory.values)  # type: ignore[attr-defined]


class Ref(Schema):
    id: int
    name: str


class EntryOut(Schema):
    id: int
    station: Ref
    building: Ref | None
    kind: str
    kind_label: str
    line: str
    line_label: str
    amount: Decimal = Field(..., description="元；冲销记录为负数")
    occurred_on: date
    summary: str
    counterparty: str
    reverses_id: int | None = Field(None, description="冲销的原记录 id")
    reversal_id: int | None = Field(None, description="冲销本记录的记录 id")
    reason: str
    recorded_by: str
    recorded_at: datetime

    @staticmethod
    def resolve_kind_label(obj: Entry) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_reversal_id(obj: Entry) -> int | None:
        reversal = getattr(obj, "reversal", None)
        return reversal.pk if reversal is not None else None

    @staticmethod
    def resolve_recorded_by(obj: Entry) -> str:
        return str(obj.recorded_by.display_name)

    @staticmethod
    def resolve_recorded_at(obj: Entry) -> datetime | None:
        return local(obj.recorded_at)


class EntryFilter(Schema):
    station: ObjectId | None = Field(None, description="站点 id")
    year: Year | None = Field(None, description="年度")
    kind: EntryKind | None = Field(None, description="income 收入 / expense 支出")
    line: Line | None = Field(None, description="收入来源或支出类别")


class EntryIn(Schema):
    station: ObjectId
    building: ObjectId | None = None
    kind: EntryKind
    line: Line
    amount: Decimal = Field(..., description="元，大于零，最多两位小数", max_digits=12, decimal_places=2)
    occurred_on: date
    summary: Annotated[str, text(200, min_length=1)]
    counterparty: Annotated[str, text(100)] = ""


class ReverseIn(Schema):
    reason: Annotated[str, text(300, min_length=1)]


class BudgetRowOut(Schema):
    line: str
    label: str
    budget: Decimal | None
    actual: Decimal
    rate: Decimal | None = Field(None, description="执行率（%）")
    over: bool


class ReportOut(Schema):
    station: Ref
    year: int
    expense: list[BudgetRowOut]
    income: list[BudgetRowOut]
    expense_total: BudgetRowOut
    income_total: BudgetRowOut


class ReportQuery(Schema):
    year: Year | None = Field(None, description="年度，默认今年")


def _entry_out(request: HttpRequest, entry: Entry) -> Entry:
    """The entry as now stored, with its station, building and reversal."""
    return selectors.access_entry(user=request.user, pk=entry.pk)


@router.get(
    "/entries",
    response=with_errors({200: list[EntryOut]}, 401, 422),
    url_name="funding_entries",
    summary="经费收支记录列表",
    description="站点管理员、党务工作者、指导员可查看本站点的台账；总站可查看全部站点。",
)
@paginated
def entries_list(request: HttpRequest, filters: Query[EntryFilter]) -> QuerySet[Entry]:
    chosen = selectors.LedgerFilter(
        station_id=filters.station, year=filters.year, kind=filters.kind or "", line=filters.line or ""
    )
    return selectors.filter_entries(selectors.visible_entries(request.user), chosen)


@router.post(
    "/entries",
    response=write_responses({201: EntryOut}, RECORD_CODES),
    url_name="funding_entry_create",
    summary="登记经费收入或支出",
    description="金额大于零、最多两位小数；楼宇须属于所选站点。凭证请在网页上传。",
)
def entry_create(request: HttpRequest, payload: EntryIn) -> Status:
    station = selectors.access_station(user=request.user, pk=payload.station)
    entry = services.entry_record(
        actor=request.user,
        data=services.EntryInput(
            station=station,
            kind=payload.kind,
            line=payload.line,
            amount=payload.amount,
            occurred_on=payload.occurred_on,
            summary=payload.summary,
            counterparty=payload.counterparty,
            building=selectors.access_building(user=request.user, pk=payload.building),
        ),
    )
    return Status(201, _entry_out(request, entry))


@router.get(
    "/entries/{entry_id}",
    response=with_errors({200: EntryOut}, 401, 404, 422),
    url_name="funding_entry_detail",
    summary="经费收支记录详情",
)
def entry_detail(request: HttpRequest, entry_id: ObjectId) -> Entry:
    return selectors.access_entry(user=request.user, pk=entry_id)


@router.post(
    "/entries/{entry_id}/reverse",
    response=write_responses({201: EntryOut}, REVERSE_CODES),
    url_name="funding_entry_reverse",
    summary="冲销经费收支记录",
    description="以一笔金额相反的冲销记录更正登记错误；每笔记录只能冲销一次，冲销记录不能再冲销。",
)
def entry_reverse(request: HttpRequest, entry_id: ObjectId, payload: ReverseIn) -> Status:
    entry = selectors.access_entry(user=request.user, pk=entry_id)
    reversal = services.entry_reverse(actor=request.user, entry=entry, reason=payload.reason)
    return Status(201, _entry_out(request, reversal))


def _row_out(row: selectors.BudgetRow) -> dict[str, Any]:
    return {
        "line": row.line,
        "label": row.label,
        "budget": row.budget,
        "actual": row.actual,
        "rate": row.rate,
        "over": row.over,
    }


@router.get(
    "/stations/{station_id}/report",
    response=with_errors({200: ReportOut}, 401, 404, 422),
    url_name="funding_report",
    summary="站点年度预算执行情况",
    description="各支出类别的预算、实际支出、执行率和是否超预算，及各收入来源的计划与实际。",
)
def station_report(request: HttpRequest, station_id: ObjectId, query: Query[ReportQuery]) -> dict[str, Any]:
    station = selectors.access_station(user=request.user, pk=station_id)
    year = query.year or timezone.localdate().year
    expense = selectors.budget_rows(station, year, EntryKind.EXPENSE)
    income = selectors.budget_rows(station, year, EntryKind.INCOME)
    return {
        "station": {"id": station.pk, "name": station.name},
        "year": year,
        "expense": [_row_out(r) for r in expense],
        "income": [_row_out(r) for r in income],
        "expense_total": _row_out(selectors.total_row(expense, "支出合计")),
        "income_total": _row_out(selectors.total_row(income, "收入合计")),
    }
