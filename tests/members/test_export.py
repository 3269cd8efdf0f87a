"""Excel export of the roster (issue 4 item 3): masked by default; full numbers only for roles entitled
to reveal, as a separate POST, audited; the current filter applies."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from dangjian.accounts.models import Role
from dangjian.core.models import AuditEvent
from dangjian.members.excel import HEADERS
from tests.factories import grant
from tests.members.builders import make_profile
from tests.members.conftest import audit_actions

pytestmark = pytest.mark.django_db

URL = "/manage/members/export.xlsx"


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


def id_column(rows: list[tuple]) -> list[str]:
    index = HEADERS.index("公民身份号码")
    return [row[index] for row in rows[1:]]


def test_default_export_is_masked_and_audited(people, client) -> None:
    client.force_login(people.own_admin)

    rows = sheet_rows(client.get(URL))

    assert rows[0] == HEADERS
    assert id_column(rows) == [people.profile_a.id_number_masked]
    assert audit_actions() == ["members.export"]


def test_unmasked_export_for_entitled_roles_is_audited(people, client) -> None:
    client.force_login(people.secretary_a)

    rows = sheet_rows(client.post(URL, {"unmasked": "1"}))

    assert id_column(rows) == [people.profile_a.plain_id_number]
    assert audit_actions() == ["members.export.unmasked"]
    with scopes_disabled():
        assert AuditEvent.objects.get().data["rows"] == 1


def test_unmasked_export_reveals_only_rows_the_user_may_reveal(people, client) -> None:
    """org_a's secretary keeps no other organisation; a station admin of A reveals A's rows only."""
    other = make_profile(people.org_b)
    client.force_login(people.hq_admin)
    assert sorted(id_column(sheet_rows(client.post(URL, {"unmasked": "1"})))) == sorted(
        [people.profile_a.plain_id_number, other.plain_id_number]
    )
    client.force_login(people.other_admin)
    assert id_column(sheet_rows(client.post(URL, {"unmasked": "1"}))) == [other.plain_id_number]


@pytest.mark.parametrize("role", ["officer_a", "worker_a"])
def test_unmasked_export_is_refused_to_keepers_who_may_not_reveal(people, client, role: str) -> None:
    client.force_login(getattr(people, role))

    response = client.post(URL, {"unmasked": "1"})

    assert response.status_code == 403
    assert audit_actions() == []


def test_export_follows_the_filter(people, client) -> None:
    make_profile(people.org_a, education="postgraduate")
    client.force_login(people.officer_a)

    assert len(sheet_rows(client.get(URL, {"education": "postgraduate"}))) == 2
    assert len(sheet_rows(client.get(URL))) == 3


def test_formula_like_text_stays_text(people, client) -> None:
    make_profile(people.org_a, job_title='=HYPERLINK("http://x")')
    client.force_login(people.own_admin)

    response = client.get(URL)

    assert b"<f>" not in response.content
    assert any(row[HEADERS.index("职务/岗位")] == '=HYPERLINK("http://x")' for row in sheet_rows(response))


def birth_column(rows: list[tuple]) -> list[str]:
    index = HEADERS.index("出生日期")
    return [row[index] for row in rows[1:]]


def test_masked_export_carries_the_birth_year_only_whoever_exports(people, client) -> None:
    """Finding 2: a mask beside a full birth date left three digits unknown; the masked export is the
    same for every role, so it carries the year."""
    for role in ("officer_a", "worker_a", "secretary_a", "own_admin"):
        client.force_login(getattr(people, role))
        assert birth_column(sheet_rows(client.get(URL))) == ["1986 年"], role


def test_unmasked_export_gives_the_full_date_only_beside_a_revealed_number(people, client) -> None:
    """The secretary of org_a who is also an officer of org_b: org_a's rows come out in full, org_b's
    stay masked with the birth year only."""
    other = make_profile(people.org_b, birth_date=date(1990, 3, 4))
    grant(people.secretary_a, Role.ORG_OFFICER, people.b, organization=people.org_b)
    client.force_login(people.secretary_a)

    rows = sheet_rows(client.post(URL, {"unmasked": "1"}))

    assert sorted(zip(id_column(rows), birth_column(rows), strict=True)) == sorted(
        [(people.profile_a.plain_id_number, "1986-05-12"), (other.id_number_masked, "1990 年")]
    )
