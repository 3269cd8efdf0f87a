"""Excel import (issue 4 item 3): every row validated, all rows or none, a per-row Chinese report; the
file is checked by content and size; 1,000 rows take seconds."""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from dangjian.accounts.models import User
from dangjian.core.crypto import keyed_hash
from dangjian.members.excel import COLUMNS, DATA_SHEET, HEADERS, NOTES_SHEET
from dangjian.members.models import MemberProfile
from tests.members.builders import make_profile, with_wrong_check
from tests.members.conftest import audit_actions
from tests.members.workbooks import member_row, workbook_bytes

pytestmark = pytest.mark.django_db

URL = "/manage/members/import/"


def upload(client: Any, content: bytes, name: str = "党员.xlsx") -> Any:
    return client.post(URL, {"file": SimpleUploadedFile(name, content)})


def profile_count() -> int:
    with scopes_disabled():
        return MemberProfile.objects.count()


def report(response: Any) -> list[str]:
    return [str(line) for line in response.context["errors"]]


def account_fields(user: User) -> dict[str, Any]:
    """What registering a member must never change on an existing account."""
    return User.objects.filter(pk=user.pk).values(
        "username", "real_name", "mobile", "person_kind", "home_station", "organization", "resident_unit"
    )[0]


def test_a_good_thousand_row_file_imports_every_row_in_seconds(people, client) -> None:
    client.force_login(people.own_admin)
    content = workbook_bytes(1000, people.org_a.name)
    before = profile_count()

    started = time.monotonic()
    response = upload(client, content)
    elapsed = time.monotonic() - started

    assert response.status_code == 302, report(response) if response.status_code == 200 else response
    assert profile_count() == before + 1000
    assert elapsed < 30, f"import took {elapsed:.1f}s"
    user = User.objects.get(username="13700000999")
    assert user.real_name == "测试党员999" and not user.has_usable_password()
    with scopes_disabled():
        profile = MemberProfile.objects.get(user=user)
    assert profile.station_id == people.a.pk and profile.id_number_hash == keyed_hash(
        member_row(999, "")["id_number"]
    )
    assert audit_actions() == ["members.import"]


def test_one_bad_row_in_a_thousand_imports_nothing_and_names_the_row(people, client) -> None:
    client.force_login(people.own_admin)
    bad = member_row(500, "")["id_number"]
    content = workbook_bytes(1000, people.org_a.name, changes={500: {"id_number": with_wrong_check(bad)}})
    users_before, before = User.objects.count(), profile_count()

    response = upload(client, content)

    assert response.status_code == 200
    assert report(response) == ["第 502 行：公民身份号码校验位不正确，请核对后重新输入"]
    assert "第 502 行：公民身份号码校验位不正确" in response.content.decode()
    assert (User.objects.count(), profile_count()) == (users_before, before)
    assert audit_actions() == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"birth_date": "1970-01-02"}, "公民身份号码中的出生日期与填写的出生日期不一致"),
        ({"gender": "男"}, "公民身份号码中的性别码（第 17 位）与填写的性别不一致"),
        ({"mobile": "1234"}, "请输入 11 位手机号码，例如 13812345678"),
        ({"organization": "不存在的党支部"}, "党组织“不存在的党支部”不存在，请填写平台已登记的党组织全称"),
        ({"category": "入党积极分子"}, "党员类别“入党积极分子”不在可选范围内（正式党员、预备党员）"),
        ({"status": "退休"}, "党籍状态“退休”不在可选范围内（正常、流动、转出、停止党籍、去世）"),
        ({"education": "博士"}, "学历“博士”不在可选范围内"),
        ({"admitted_on": "2015-13-01"}, "入党日期“2015-13-01”不是有效日期"),
        ({"full_member_on": "2014-07-01"}, "转正日期应晚于入党日期"),
        ({"full_member_on": ""}, "正式党员须填写转正日期"),
        ({"category": "预备党员"}, "预备党员不应填写转正日期"),
        ({"admitted_on": "1980-07-01", "full_member_on": "1981-07-01"}, "入党时应年满十八周岁"),
        ({"real_name": ""}, "姓名不能为空"),
        ({"ethnicity": "火星族"}, "民族“火星族”不在可选范围内"),
        ({"hardship": "也许"}, "生活困难请填写“是”或“否”"),
        ({"resident_unit": "不存在的公司"}, "工作单位“不存在的公司”不是该党组织所在站点已登记的入驻单位"),
    ],
)
def test_each_kind_of_bad_cell_is_reported(people, client, change: dict[str, str], reason: str) -> None:
    client.force_login(people.own_admin)

    response = upload(client, workbook_bytes(3, people.org_a.name, changes={1: change}))

    lines = report(response)
    assert lines and all(line.startswith("第 3 行：") for line in lines), lines
    assert any(reason in line for line in lines), lines
    assert profile_count() == 1  # only people.profile_a


def test_duplicates_within_the_file_and_against_the_database(people, client) -> None:
    client.force_login(people.own_admin)
    rows = {
        1: {
            "id_number": member_row(0, "")["id_number"],
            "birth_date": member_row(0, "")["birth_date"],
            "gender": "男",
        },
        2: {"mobile": "13700000000"},
        3: {"id_number": people.profile_a.plain_id_number, "birth_date": "1986-05-12", "gender": "男"},
        4: {"mobile": people.member_a.mobile},
    }

    lines = report(upload(client, workbook_bytes(5, people.org_a.name, changes=rows)))

    assert "第 3 行：公民身份号码与第 2 行重复" in lines
    assert "第 4 行：手机号码与第 2 行重复" in lines
    assert "第 5 行：公民身份号码已登记在其他党员名下" in lines
    assert "第 6 行：手机号码对应的人员已有党员信息" in lines


def test_an_organisation_the_importer_does_not_manage_is_refused(people, client) -> None:
    client.force_login(people.officer_a)

    lines = report(upload(client, workbook_bytes(2, people.org_b.name)))

    assert lines == [f"第 {n} 行：党组织“{people.org_b.name}”不在您的管理范围内" for n in (2, 3)]


def test_an_ordinary_account_of_the_station_is_attached_unchanged(people, client) -> None:
    """Finding 4: an account without roles, at the organisation's station, with the same mobile and
    name, is linked — and the import changes nothing of it."""
    client.force_login(people.own_admin)
    existing = User.objects.create(
        username="someone", real_name="测试党员0", mobile="13700000000", home_station=people.a
    )
    before = account_fields(existing)

    response = upload(client, workbook_bytes(2, people.org_a.name))

    assert response.status_code == 302
    with scopes_disabled():
        assert MemberProfile.objects.filter(user=existing).exists()
    assert account_fields(existing) == before


def test_an_hq_admins_account_is_never_attached_or_changed_by_an_import(people, client) -> None:
    client.force_login(people.secretary_a)
    hq_admin = people.hq_admin
    before = account_fields(hq_admin)
    changes = {0: {"mobile": hq_admin.mobile, "real_name": hq_admin.real_name}}

    lines = report(upload(client, workbook_bytes(2, people.org_a.name, changes=changes)))

    assert lines == [
        "第 2 行：手机号码已注册平台账号，且该账号担任平台角色、属于其他站点或已停用，导入时不能关联"
    ]
    assert account_fields(hq_admin) == before
    with scopes_disabled():
        assert not MemberProfile.objects.filter(user=hq_admin).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,mobile\n\xe7\x8e\x8b,13900000000\n", "请上传 Excel 工作簿（.xlsx 格式）"),
        (b"<html><script>alert(1)</script></html>", "请上传 Excel 工作簿（.xlsx 格式）"),
        (b"PK\x03\x04not really a zip", "请上传 Excel 工作簿（.xlsx 格式）"),
        (b"", "上传的文件是空的"),
    ],
)
def test_files_that_are_not_xlsx_are_refused_by_content(people, client, content: bytes, message: str) -> None:
    client.force_login(people.own_admin)

    response = upload(client, content, name="党员信息.xlsx")

    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_zip_that_is_not_a_workbook_is_refused(people, client) -> None:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    client.force_login(people.own_admin)

    assert "请上传 Excel 工作簿" in upload(client, out.getvalue()).content.decode()


def test_files_over_five_megabytes_are_refused(people, client) -> None:
    client.force_login(people.own_admin)

    response = upload(client, b"PK\x03\x04" + b"0" * (5 * 1024 * 1024))

    assert "文件不能超过 5 MB" in response.content.decode()


def test_more_than_five_thousand_rows_are_refused(people, client) -> None:
    client.force_login(people.own_admin)

    response = upload(client, workbook_bytes(5001, people.org_a.name))

    assert "一次最多导入 5000 行" in response.content.decode()
    assert profile_count() == 1


def test_missing_headers_are_reported(people, client) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["姓名", "手机号码"])
    out = io.BytesIO()
    workbook.save(out)
    client.force_login(people.own_admin)

    assert "第 1 行缺少以下列：性别" in upload(client, out.getvalue()).content.decode()


def test_template_downloads_opens_and_imports_after_filling(people, client) -> None:
    client.force_login(people.own_admin)

    response = client.get("/manage/members/import/template.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [DATA_SHEET, NOTES_SHEET]
    sheet = workbook[DATA_SHEET]
    assert tuple(cell.value for cell in sheet[1]) == HEADERS
    assert str(sheet["A2"].value).startswith("（示例）")
    notes = " ".join(
        str(cell.value) for row in workbook[NOTES_SHEET].iter_rows() for cell in row if cell.value
    )
    assert "公民身份号码" in notes and "全部不导入" in notes
    row = member_row(42, people.org_a.name)
    sheet.append([row[column.key] for column in COLUMNS])
    filled = io.BytesIO()
    workbook.save(filled)

    assert upload(client, filled.getvalue()).status_code == 302
    assert profile_count() == 2  # the example row was skipped


def test_import_needs_a_keeper_role(people, client) -> None:
    client.force_login(people.member_a)

    assert upload(client, workbook_bytes(1, people.org_a.name)).status_code == 403


def test_existing_profile_rows_are_unaffected_by_a_rejected_import(people, client) -> None:
    make_profile(people.org_a)
    client.force_login(people.own_admin)

    upload(client, workbook_bytes(2, people.org_a.name, changes={0: {"mobile": "x"}}))

    assert profile_count() == 2
