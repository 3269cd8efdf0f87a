"""Excel workbooks of tables (openpyxl) and their download responses with Chinese file names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="B71C1C")
FORMATS = {
    "yuan": "#,##0.00",
    "count": "#,##0",
    "hours": "#,##0.0",
    "rate": "0.0%",
    "percent": "0.0",  # a number that already is a percentage (87.5)
    "date": "yyyy年m月d日",
    "text": "@",
}


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"  # a key of FORMATS
    width: int = 12


@dataclass(frozen=True)
class Table:
    sheet: str  # the sheet's name (≤ 31 characters)
    heading: str  # the first row: what the table is, with its period
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]


def workbook(tables: Sequence[Table]) -> bytes:
    """One sheet per table: a heading row, a header row, then the rows; numbers stay numbers."""
    book = Workbook()
    for index, table in enumerate(tables):
        sheet = book.active if index == 0 else book.create_sheet()
        _write(sheet, table)
    output = BytesIO()
    book.save(output)
    return output.getvalue()


def _write(sheet: Any, table: Table) -> None:
    sheet.title = table.sheet[:31]
    sheet.append([table.heading])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([column.title for column in table.columns])
    for cell in sheet[2]:
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    for row in table.rows:
        sheet.append([float(value) if isinstance(value, Decimal) else value for value in row])
    for position, column in enumerate(table.columns, start=1):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = column.width
        for (cell,) in sheet.iter_rows(min_row=3, min_col=position, max_col=position):
            cell.number_format = FORMATS[column.kind]
    sheet.freeze_panes = "A3"


def file_download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A generated document as a download under its Chinese name (RFC 6266 filename*)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return file_download(content, filename, XLSX_TYPE)
