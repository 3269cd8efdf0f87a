"""Generated import workbooks: `n` valid member rows of one organisation, optionally with changes."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from openpyxl import Workbook

from dangjian.members.excel import COLUMNS, DATA_SHEET, HEADERS
from tests.members.builders import id_number

FIRST_BIRTH = date(1970, 1, 1)


def member_row(i: int, organization_name: str) -> dict[str, Any]:
    birth = FIRST_BIRTH + timedelta(days=i * 7)
    male = i % 2 == 0
    return {
        "real_name": f"测试党员{i}",
        "gender": "男" if male else "女",
        "ethnicity": "汉族",
        "birth_date": birth.isoformat(),
        "id_number": id_number(birth, i % 400, division=("321202", "321203", "321204")[i % 3], male=male),
        "mobile": f"137{i:08d}",
        "organization": organization_name,
        "category": "正式党员",
        "admitted_on": "2015-07-01",
        "full_member_on": "2016-07-01",
        "education": "大学本科",
        "job_title": "工程师",
        "resident_unit": "",
        "affiliation_organization": organization_name,
        "status": "正常",
        "dues_category": "在职",
        "hardship": "否",
    }


def workbook_bytes(
    n: int, organization_name: str, *, changes: Mapping[int, Mapping[str, Any]] | None = None, start: int = 0
) -> bytes:
    """A workbook of `n` rows; `changes[i]` overrides cells of data row i (Excel row i + 2)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(DATA_SHEET)
    sheet.append(list(HEADERS))
    for i in range(start, start + n):
        row = {**member_row(i, organization_name), **(changes or {}).get(i - start, {})}
        sheet.append([row[column.key] for column in COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
