"""Excel workbooks of funds (core.spreadsheets): the ledger rows of a filter and a station's budget against
actual of a year. Amounts are numbers with the `#,##0.00` format, never text."""

from __future__ import annotations

from collections.abc import Iterable

from dangjian.core.spreadsheets import Column, Table, workbook
from dangjian.funding.models import Entry
from dangjian.funding.selectors import BudgetRow, LedgerTotals

LEDGER_COLUMNS = (
    Column("发生日期", "date", 16),
    Column("站点", width=22),
    Column("楼宇", width=22),
    Column("收支", width=8),
    Column("来源或类别", width=16),
    Column("摘要", width=36),
    Column("往来单位或个人", width=24),
    Column("金额（元）", "yuan", 14),
    Column("冲销", width=28),
    Column("登记人", width=12),
)
REPORT_COLUMNS = (
    Column("项目", width=20),
    Column("预算（元）", "yuan", 14),
    Column("实际（元）", "yuan", 14),
    Column("执行率（%）", "percent", 14),
    Column("结余（元）", "yuan", 14),
    Column("超预算", width=14),
)


def _reversal_note(entry: Entry) -> str:
    if entry.reverses_id:
        return f"冲销第 {entry.reverses_id} 号记录：{entry.reason}"
    if getattr(entry, "reversal", None) is not None:
        return "已冲销"
    return ""


def _ledger_row(entry: Entry) -> list[object]:
    return [
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


def ledger_workbook(title: str, entries: Iterable[Entry], totals: LedgerTotals) -> bytes:
    rows = [_ledger_row(entry) for entry in entries]
    rows += [
        [label, *[""] * 6, amount]
        for label, amount in (
            ("收入合计", totals.income),
            ("支出合计", totals.expense),
            ("结余", totals.balance),
        )
    ]
    return workbook([Table("经费台账", title, LEDGER_COLUMNS, rows)])


def _report_table(sheet: str, title: str, rows: list[BudgetRow], total: BudgetRow) -> Table:
    lines = [
        [row.label, row.budget, row.actual, row.rate, row.remaining, "是" if row.over else ""]
        for row in [*rows, total]
    ]
    return Table(sheet, title, REPORT_COLUMNS, lines)


def report_workbook(
    title: str,
    expense: tuple[list[BudgetRow], BudgetRow],
    income: tuple[list[BudgetRow], BudgetRow],
) -> bytes:
    return workbook(
        [
            _report_table("支出预算执行", f"{title}（支出）", *expense),
            _report_table("收入计划完成", f"{title}（收入）", *income),
        ]
    )
