"""Excel files of member management (openpyxl): the import template, reading an uploaded workbook
safely, and the roster export. The columns are declared once (`COLUMNS`) and shared by all three, so an
unmasked export can be imported again on another platform.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dangjian.core.validators import id_number_check_character
from dangjian.members.identity import ShownIdentity
from dangjian.members.models import (
    ETHNICITY_CHOICES,
    Category,
    DuesCategory,
    Education,
    Gender,
    MemberProfile,
    MemberStatus,
)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # a 5 MB upload that inflates beyond this is a zip bomb
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATA_SHEET = "党员信息"
NOTES_SHEET = "填写说明"
EXAMPLE_MARK = "（示例）"
YES, NO = "是", "否"
EXAMPLE_ID_NUMBER = "32120219860512003" + id_number_check_character("32120219860512003")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    example: str
    note: str
    width: int = 14
    choices: tuple[str, ...] = ()
    text: bool = False  # stored as text so Excel keeps leading zeros and all 18 digits


def _labels(choices: Iterable[tuple[str, Any]]) -> tuple[str, ...]:
    return tuple(str(label) for _, label in choices)


COLUMNS: tuple[Column, ...] = (
    Column("real_name", "姓名", True, f"{EXAMPLE_MARK}王建华", "与身份证一致", 12),
    Column(
        "gender", "性别", True, "男", "男 或 女，须与公民身份号码第 17 位一致", 8, _labels(Gender.choices)
    ),
    Column("ethnicity", "民族", True, "汉族", "56 个民族名称或“其他”，如：汉族、回族", 10),
    Column("birth_date", "出生日期", True, "1986-05-12", "写成 1986-05-12，须与公民身份号码一致", 12),
    Column(
        "id_number",
        "公民身份号码",
        True,
        EXAMPLE_ID_NUMBER,
        "18 位，末位可为 X；系统核验校验位",
        22,
        text=True,
    ),
    Column("mobile", "手机号码", True, "13912345678", "11 位手机号码，同时作为登录账号", 14, text=True),
    Column(
        "organization",
        "所在党组织",
        True,
        "中共泰州华信软件科技有限公司支部委员会",
        "平台已登记的党组织全称，且须由您管理",
        36,
    ),
    Column("category", "党员类别", True, "正式党员", "正式党员 或 预备党员", 10, _labels(Category.choices)),
    Column("admitted_on", "入党日期", True, "2010-07-01", "写成 2010-07-01；入党时应年满十八周岁", 12),
    Column(
        "full_member_on", "转正日期", False, "2011-07-01", "正式党员必填，须晚于入党日期；预备党员留空", 12
    ),
    Column(
        "education",
        "学历",
        True,
        "大学本科",
        "、".join(_labels(Education.choices)),
        12,
        _labels(Education.choices),
    ),
    Column("job_title", "职务/岗位", False, "软件工程师", "可不填", 14),
    Column(
        "resident_unit",
        "工作单位",
        False,
        "泰州华信软件科技有限公司",
        "本站点已登记的入驻单位全称，可不填",
        28,
    ),
    Column(
        "affiliation_organization",
        "组织关系所在党组织",
        True,
        "中共泰州华信软件科技有限公司支部委员会",
        "§5.1 组织关系不变，仅作记录",
        36,
    ),
    Column(
        "status",
        "党籍状态",
        False,
        "正常",
        "不填为“正常”；可填 " + "、".join(_labels(MemberStatus.choices)),
        10,
        _labels(MemberStatus.choices),
    ),
    Column(
        "dues_category",
        "党费类别",
        False,
        "在职",
        "不填为“在职”；可填 " + "、".join(_labels(DuesCategory.choices)),
        10,
        _labels(DuesCategory.choices),
    ),
    Column("hardship", "生活困难", False, NO, "是 或 否，不填为“否”", 10, (YES, NO)),
)
HEADERS = tuple(column.header for column in COLUMNS)
ETHNICITY_LABELS = _labels(ETHNICITY_CHOICES)


# ---------------------------------------------------------------- the template


def build_template() -> bytes:
    """The import template: headers, one example row (skipped on import), drop-down lists, and a notes
    sheet explaining every column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    _write_header(sheet)
    sheet.append([column.example for column in COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(color="808080", italic=True)
    _format_columns(sheet, rows=MAX_ROWS + 1)
    _add_drop_downs(sheet)
    _write_notes(workbook.create_sheet(NOTES_SHEET))
    return _save(workbook)


def _write_header(sheet: Any) -> None:
    sheet.append(list(HEADERS))
    for cell, column in zip(sheet[1], COLUMNS, strict=True):
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="C00000" if column.required else "7F7F7F")
        cell.alignment = Alignment(horizontal="center")
    sheet.freeze_panes = "A2"


def _format_columns(sheet: Any, *, rows: int) -> None:
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.text:
            for row in range(2, min(rows, 3) + 1):
                sheet[f"{letter}{row}"].number_format = "@"
            sheet.column_dimensions[letter].number_format = "@"


def _add_drop_downs(sheet: Any) -> None:
    for index, column in enumerate(COLUMNS, start=1):
        if not column.choices:
            continue
        letter = get_column_letter(index)
        validation = DataValidation(type="list", formula1=f'"{",".join(column.choices)}"', allow_blank=True)
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)


def _write_notes(sheet: Any) -> None:
    sheet.append(["列名", "是否必填", "填写要求"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        sheet.append([column.header, "必填" if column.required else "选填", column.note])
    sheet.append([])
    for line in (
        f"第 2 行为示例（姓名以“{EXAMPLE_MARK}”开头），导入时自动跳过，可以删除。",
        f"一次最多导入 {MAX_ROWS} 行，文件不超过 5 MB，只接受 .xlsx 格式。",
        "任何一行有错误时全部不导入，页面会列出每一行的错误（行号即本表左侧的行号），改正后重新上传。",
        "公民身份号码加密保存，页面与导出默认只显示前 3 位和后 4 位，出生日期只显示年份；"
        "完整号码与出生日期仅向有权查看的人员显示，每次查看或导出均记入审计。",
        "新导入人员以手机号码为登录账号：可在登录页用“短信验证码登录”，或通过“忘记密码？”用短信验证码设置密码；"
        "也可由所在党组织书记、委员或站点管理员在党员信息页“重置密码”给出临时密码（首次登录须修改）。",
        "民族可填：" + "、".join(ETHNICITY_LABELS),
    ):
        sheet.append([line])
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 70


def _save(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- reading an upload


@dataclass(frozen=True)
class SheetRow:
    number: int  # the row number Excel shows
    values: dict[str, Any]


def check_xlsx(data: bytes) -> None:
    """Refuse anything that is not an .xlsx workbook by its content (a ZIP holding a SpreadsheetML
    workbook), whatever its name; refuse zip bombs."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError("文件不能超过 5 MB", code="too_large")
    not_xlsx = ValidationError("请上传 Excel 工作簿（.xlsx 格式），可先下载导入模板", code="not_xlsx")
    if not data.startswith(b"PK\x03\x04"):
        raise not_xlsx
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise not_xlsx from exc
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise not_xlsx
    if inflated > MAX_UNZIPPED_BYTES:
        raise ValidationError("文件内容过大，请分批导入", code="too_large")


def read_rows(data: bytes) -> list[SheetRow]:
    """The filled rows of the data sheet keyed by column, the example row skipped; raise a
    ValidationError for a wrong file, missing headers or more than `MAX_ROWS` rows."""
    check_xlsx(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ValidationError("无法读取该 Excel 文件，请用导入模板重新填写", code="unreadable") from exc
    try:
        sheet = workbook[DATA_SHEET] if DATA_SHEET in workbook.sheetnames else workbook.worksheets[0]
        return list(_rows_of(sheet.iter_rows(values_only=True)))
    finally:
        workbook.close()


def _rows_of(rows: Iterator[tuple[Any, ...]]) -> Iterator[SheetRow]:
    header = next(rows, None) or ()
    positions = _header_positions(header)
    count = 0
    for number, values in enumerate(rows, start=2):
        if all(value is None or str(value).strip() == "" for value in values):
            continue
        row = {key: values[index] if index < len(values) else None for key, index in positions.items()}
        if str(row.get("real_name") or "").startswith(EXAMPLE_MARK):
            continue
        count += 1
        if count > MAX_ROWS:
            raise ValidationError(f"一次最多导入 {MAX_ROWS} 行，请分批导入", code="too_many_rows")
        yield SheetRow(number, row)


def _header_positions(header: tuple[Any, ...]) -> dict[str, int]:
    found = {str(value).strip().rstrip("*"): index for index, value in enumerate(header) if value is not None}
    missing = [column.header for column in COLUMNS if column.required and column.header not in found]
    if missing:
        raise ValidationError(
            "第 1 行缺少以下列：" + "、".join(missing) + "。请使用导入模板，不要修改表头", code="headers"
        )
    return {column.key: found[column.header] for column in COLUMNS if column.header in found}


# ---------------------------------------------------------------- export


def build_export(
    profiles: Iterable[MemberProfile], *, identity: Callable[[MemberProfile], ShownIdentity]
) -> bytes:
    """The roster as a workbook with the template's columns; `identity` decides what the ID and birth
    columns show for each row (`identity.exported_identity`: the mask and the birth year, unless the
    export is an entitled, audited unmasked one and the row is one the user may reveal)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(DATA_SHEET)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.append(list(HEADERS))
    for profile in profiles:
        sheet.append([_cell(sheet, value) for value in export_row(profile, identity(profile))])
    return _save(workbook)


def export_row(profile: MemberProfile, shown: ShownIdentity) -> list[Any]:
    values: dict[str, Any] = {
        "real_name": profile.user.real_name,
        "gender": profile.get_gender_display(),
        "ethnicity": profile.get_ethnicity_display(),
        "birth_date": shown.birth,
        "id_number": shown.id_number,
        "mobile": profile.user.mobile or "",
        "organization": profile.organization.name,
        "category": profile.get_category_display(),
        "admitted_on": profile.admitted_on,
        "full_member_on": profile.full_member_on,
        "education": profile.get_education_display(),
        "job_title": profile.job_title,
        "resident_unit": profile.resident_unit.name if profile.resident_unit else "",
        "affiliation_organization": profile.affiliation_organization,
        "status": profile.get_status_display(),
        "dues_category": profile.get_dues_category_display(),
        "hardship": YES if profile.hardship else NO,
    }
    return [values[column.key] for column in COLUMNS]


def _cell(sheet: Any, value: Any) -> Any:
    """Dates as 2020-07-01 text; text that looks like a formula stays text (no formula injection)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell
    return value
