"""Excel workbooks (openpyxl) of funds: the ledger rows of a filter and a station's budget against
actual of a year. Amounts are numbers with the `#,##0.00` format, never text."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from dangjian.funding.models import Entry
from dangjian.funding.selectors import BudgetRow, LedgerTotals

HEADER_FILL = PatternFill("solid", fgColor="C00000")
MONEY_FORMAT = "#,##0.00"
LEDGER_HEADERS = [
    "发生日期",
    "站点",
    "楼宇",
    "收支",
    "来源或类别",
    "摘要",
    "往来单位或个人",
    "金额（元）",
    "冲销",
    "登记人",
]
REPORT_HEADERS = ["项目", "预算（元）", "实际（元）", "执行率（%）", "结余（元）", "超预算"]


def _head(sheet: Any, title: str, headers: list[str]) -> None:
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEADER_FILL
        cell.alignment = Alignment(horizontal="center")


def _money(sheet: Any, columns: Iterable[int], *, first_row: int = 3) -> None:
    for row in sheet.iter_rows(min_row=first_row):
        for index in columns:
            if isinstance(row[index].value, int | float | Decimal):
                row[index].number_format = MONEY_FORMAT


def _saved(book: Workbook) -> bytes:
    output = BytesIO()
    book.save(output)
    return output.getvalue()


def _reversal_note(entry: Entry) -> str:
    if entry.reverses_id:
        return f"冲销第 {entry.reverses_id} 号记录：{entry.reason}"
    if getattr(entry, "reversal", None) is not None:
        return "已冲销"
    return ""


def ledger_workbook(title: str, entries: Iterable[Entry], totals: LedgerTotals) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "经费台账"
    _head(sheet, title, LEDGER_HEADERS)
    for entry in entries:
        sheet.append(
            [
                entry.occurred_on,
                entry.station.name,
                entry.building.name if entry.building else "",
                entry.get_kind_display(),
                entry.line_label,
                entry.summary,
                entry.counterparty,
                entry.amount,
                _reversal_note(entry),
                entry.recorded_by.display_name,
            ]
        )
        sheet.cell(row=sheet.max_row, column=1).number_format = "yyyy年m月d日"
    for label, amount in (
        ("收入合计", totals.income),
        ("支出合计", totals.expense),
        ("结余", totals.balance),
    ):
        sheet.append([label, *[""] * 6, amount])
    _money(sheet, [7])
    widths = {"A": 16, "B": 22, "C": 22, "D": 8, "E": 16, "F": 36, "G": 24, "H": 14, "I": 28, "J": 12}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    return _saved(book)


def _report_sheet(sheet: Any, title: str, rows: list[BudgetRow], total: BudgetRow) -> None:
    _head(sheet, title, REPORT_HEADERS)
    for row in [*rows, total]:
        sheet.append(
            [
                row.label,
                row.budget,
                row.actual,
                row.rate,
                row.remaining,
                "是" if row.over else "",
            ]
        )
    _money(sheet, [1, 2, 4])
    for excel_row in sheet.iter_rows(min_row=3):
        if excel_row[3].value is not None:
            excel_row[3].number_format = "0.0"
    sheet.column_dimensions["A"].width = 20
    for letter in "BCDEF":
        sheet.column_dimensions[letter].width = 14


def report_workbook(
    title: str,
    expense: tuple[list[BudgetRow], BudgetRow],
    income: tuple[list[BudgetRow], BudgetRow],
) -> bytes:
    book = Workbook()
    _report_sheet(book.active, f"{title}（支出）", *expense)
    book.active.title = "支出预算执行"
    income_sheet = book.create_sheet("收入计划完成")
    _report_sheet(income_sheet, f"{title}（收入）", *income)
    return _saved(book)
