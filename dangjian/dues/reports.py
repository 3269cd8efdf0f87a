"""Dues reports (DB3212/T 1124 §6.3 党费收缴; §8 dues as a funding source): due, paid, collection rate and
arrears per month, per organisation and per station, for the rows the viewer may see — as page rows with
a bar width for the CSS charts, and as an Excel workbook (openpyxl).

Each table is one aggregate query, whatever the number of lines (DESIGN.md: constant query counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from dangjian.dues.amounts import ZERO, to_fen
from dangjian.dues.models import DuesLine
from dangjian.dues.periods import months_of_year, period_label
from dangjian.dues.selectors import visible_q
from dangjian.dues.services import rate_percent

PAID = Q(payment__isnull=False)
TOTALS = {
    "due": Sum("amount_due"),
    "paid": Sum("amount_due", filter=PAID),
    "extra": Sum("extra_paid", filter=PAID),
    "lines": Count("id"),
    "unpaid": Count("id", filter=Q(payment__isnull=True, amount_due__gt=0)),
}


@dataclass(frozen=True)
class ReportRow:
    label: str
    due: Decimal
    paid: Decimal
    extra: Decimal
    lines: int
    unpaid: int
    group: str = ""  # e.g. the station of an organisation row

    @property
    def arrears(self) -> Decimal:
        return self.due - self.paid

    @property
    def rate(self) -> Decimal:
        return rate_percent(self.paid, self.due)

    @property
    def bar(self) -> int:
        """Width of the rate bar in percent (0–100) for the CSS chart."""
        return int(min(self.rate, Decimal(100)))


@dataclass(frozen=True)
class Selection:
    """What a report covers: a year, optionally one month, station and organisation."""

    year: int
    month: int | None = None
    station_id: int | None = None
    organization_id: int | None = None

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月" if self.month else f"{self.year}年全年"


def report_lines(user: Any, selection: Selection) -> QuerySet[DuesLine]:
    """The lines of the selection the user may see (run inside `viewer_scope(user)`)."""
    start = date(selection.year, selection.month or 1, 1)
    end = date(selection.year, selection.month or 12, 1)
    lines = DuesLine.objects.filter(visible_q(user), period__gte=start, period__lte=end)
    if selection.station_id:
        lines = lines.filter(station_id=selection.station_id)
    if selection.organization_id:
        lines = lines.filter(organization_id=selection.organization_id)
    return lines


def _row(label: str, values: dict[str, Any], group: str = "") -> ReportRow:
    return ReportRow(
        label=label,
        due=to_fen(values.get("due") or ZERO),  # SQLite sums decimals with extra digits
        paid=to_fen(values.get("paid") or ZERO),
        extra=to_fen(values.get("extra") or ZERO),
        lines=values.get("lines") or 0,
        unpaid=values.get("unpaid") or 0,
        group=group,
    )


def total_row(lines: QuerySet[DuesLine]) -> ReportRow:
    return _row("合计", lines.aggregate(**TOTALS))


def monthly_rows(lines: QuerySet[DuesLine], year: int) -> list[ReportRow]:
    """Twelve rows, one per month of the year (months without lines show zeros)."""
    by_period = {row["period"]: row for row in lines.values("period").annotate(**TOTALS).order_by("period")}
    return [_row(period_label(p), by_period.get(p, {})) for p in months_of_year(year)]


def organization_rows(lines: QuerySet[DuesLine]) -> QuerySet[Any]:
    """One aggregate row per organisation (paginate it; `as_rows` turns a page into `ReportRow`s)."""
    return (
        lines.values("organization_id", "organization__name", "station__name")
        .annotate(**TOTALS)
        .order_by("station__name", "organization__name", "organization_id")
    )


def station_rows(lines: QuerySet[DuesLine]) -> list[ReportRow]:
    rows = (
        lines.values("station_id", "station__name").annotate(**TOTALS).order_by("station__name", "station_id")
    )
    return [_row(row["station__name"], row) for row in rows]


def as_rows(values: Any) -> list[ReportRow]:
    return [_row(row["organization__name"], row, group=row["station__name"]) for row in values]


# ---------------------------------------------------------------- Excel


HEADERS = ["", "应交（元）", "实交（元）", "收缴率（%）", "欠交（元）", "自愿多交（元）", "明细数", "未缴数"]
HEADER_FILL = PatternFill("solid", fgColor="C8161D")


def export_workbook(user: Any, selection: Selection) -> bytes:
    """The report as .xlsx: sheets 按月, 按党组织, 按站点 (amounts as numbers, 2 decimals)."""
    lines = report_lines(user, selection)
    book = Workbook()
    _write(book.active, "按月", "月份", [*monthly_rows(lines, selection.year), total_row(lines)], selection)
    _write(
        book.create_sheet(), "按党组织", "党组织", as_rows(organization_rows(lines)), selection, group="站点"
    )
    _write(book.create_sheet(), "按站点", "站点", station_rows(lines), selection)
    output = BytesIO()
    book.save(output)
    return output.getvalue()


def _write(
    sheet: Any, title: str, first: str, rows: list[ReportRow], selection: Selection, group: str = ""
) -> None:
    sheet.title = title
    sheet.append([f"党费收缴情况统计（{selection.label}）"])
    sheet["A1"].font = Font(bold=True, size=13)
    headers = [first, *([group] if group else []), *HEADERS[1:]]
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        sheet.append(
            [
                row.label,
                *([row.group] if group else []),
                row.due,
                row.paid,
                row.rate,
                row.arrears,
                row.extra,
                row.lines,
                row.unpaid,
            ]
        )
    first_amount = 2 if group else 1
    money_columns = range(first_amount, first_amount + 5)
    for excel_row in sheet.iter_rows(min_row=3):
        for index in money_columns:
            excel_row[index].number_format = "0.0" if headers[index].startswith("收缴率") else "#,##0.00"
    sheet.column_dimensions["A"].width = 34
    for letter in "BCDEFGHI":
        sheet.column_dimensions[letter].width = 14
