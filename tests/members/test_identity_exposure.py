"""A masked ID number cannot be rebuilt from what one role sees (security probe finding 2; DESIGN.md: a
mask is judged with everything else the same role sees — together they leave at least six of the 18
digits unknown).

For every role not entitled to the full number, every page, API response and export of the members app
is collected (the same requests as `test_no_leaks`); the ID digits any mask there shows, plus the digits
a birth date there shows (the year is counted as shown to everyone), must leave six positions unknown.
Before the fix an officer saw `321***********1234` beside 1986-05-12: three unknown, rebuilt by the
check digit and the city's county codes."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from dangjian.members.models import MemberProfile
from tests.members.builders import id_number
from tests.members.test_no_leaks import NOT_ENTITLED, member_urls, readable_parts, requests_for

pytestmark = pytest.mark.django_db

ID_POSITIONS = 18
MIN_UNKNOWN = 6
YEAR = set(range(7, 11))  # digits 7–10
MONTH_DAY = set(range(11, 15))  # digits 11–14
ENTITLED = ("member_a", "secretary_a", "own_admin", "hq_admin", "platform_admin")
MASK_LIKE = re.compile(r"(?<![0-9Xx*])[0-9Xx*]{18}(?![0-9Xx*])")


def month_day_forms(day: date) -> tuple[str, ...]:
    """The ways a page, a JSON document or a workbook could spell `day` with its month and day."""
    return (
        day.isoformat(),
        f"{day:%Y%m%d}",
        f"{day:%Y/%m/%d}",
        f"{day.year}/{day.month}/{day.day}",
        f"{day:%Y.%m.%d}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day:%Y年%m月%d日}",
        f"{day.month}月{day.day}日",
        f"{day:%m月%d日}",
    )


def workbook_text(content: bytes) -> str:
    """Every cell of an xlsx as text (dates as 1986-05-12), whatever type the cell was written as."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return ""
    values = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                values.append(value.date().isoformat() if hasattr(value, "date") else str(value))
    workbook.close()
    return "\n".join(values)


def texts_seen(client: Client, w: Any) -> list[tuple[str, str]]:
    """(request, text) for every request of the members app, POSTs rolled back."""
    seen = []
    for name, url in member_urls(w).items():
        for method, target, data in requests_for(url):
            with transaction.atomic():
                response = getattr(client, method)(target, data)
                body = (
                    b"".join(getattr(response, "streaming_content", []))
                    if response.streaming
                    else response.content
                )
                transaction.set_rollback(True)
            label = f"{name} {method.upper()} {target} {data or ''}".strip()
            parts = [part.decode("utf-8", "replace") for part in readable_parts(body)]
            if body.startswith(b"PK\x03\x04"):
                parts.append(workbook_text(body))
            seen.extend((label, part) for part in parts)
    return seen


def known_positions(seen: list[tuple[str, str]], number: str, births: tuple[date, ...]) -> dict[int, str]:
    """Positions (1–18) of `number` the texts give away, each with the first request that did."""
    known = dict.fromkeys(YEAR, "the birth year (shown to every viewer)")
    for label, text in seen:
        for token in MASK_LIKE.findall(text):
            token = token.upper()
            shown = [i for i, c in enumerate(token, start=1) if c != "*"]
            if shown and all(token[i - 1] == number[i - 1] for i in shown):
                for position in shown:
                    known.setdefault(position, label)
        if any(form in text for day in births for form in month_day_forms(day)):
            for position in MONTH_DAY:
                known.setdefault(position, label)
    return known


def numbers_and_births(w: Any) -> list[tuple[str, tuple[date, ...]]]:
    births = (w.profile_a.birth_date, w.requested_birth_date)
    return [(w.profile_a.plain_id_number, births), (w.requested_id_number, births)]


def unknown_after(known: dict[int, str]) -> int:
    return ID_POSITIONS - len(known)


@pytest.mark.parametrize("role", NOT_ENTITLED)
def test_what_a_role_sees_leaves_six_id_digits_unknown(leaky, client, role: str) -> None:
    user = getattr(leaky, role)
    if user is not None:
        client.force_login(user)

    seen = texts_seen(client, leaky)

    for number, births in numbers_and_births(leaky):
        known = known_positions(seen, number, births)
        assert unknown_after(known) >= MIN_UNKNOWN, "\n".join(
            f"digit {position}: {source}" for position, source in sorted(known.items())
        )


def test_the_scan_sees_the_officers_mask_and_would_notice_a_full_date(leaky, client) -> None:
    """Controls: the officer's scan is not vacuous (it finds the mask and the birth year: seven digits
    unknown), and the same scan as the entitled secretary, who sees the full date, counts fewer."""
    number, born = leaky.profile_a.plain_id_number, (leaky.profile_a.birth_date,)
    client.force_login(leaky.officer_a)
    officer_seen = texts_seen(client, leaky)
    client.force_login(leaky.secretary_a)
    secretary_seen = texts_seen(client, leaky)

    officer_knows = known_positions(officer_seen, number, born)

    assert {1, 2, 3, 15, 16, 17, 18} <= set(officer_knows)
    assert any(f"{leaky.profile_a.birth_date.year} 年" in text for _, text in officer_seen)
    assert unknown_after(officer_knows) == 7  # digits 4–6 and 11–14
    assert unknown_after(known_positions(secretary_seen, number, born)) < MIN_UNKNOWN


# ---------------------------------------------------------------- the entitled keep the full date


def _pages_of(w: Any, role: str) -> list[str]:
    if role == "member_a":
        return ["/me/member/", "/api/v1/me/member"]
    return [f"/manage/members/{w.profile_a.pk}/", f"/api/v1/organizations/{w.org_a.pk}/members"]


@pytest.mark.parametrize("role", ENTITLED)
def test_the_full_birth_date_is_for_the_member_and_entitled_roles_only(leaky, client, role: str) -> None:
    born = leaky.profile_a.birth_date
    client.force_login(leaky.officer_a)
    officer_page = client.get(f"/manage/members/{leaky.profile_a.pk}/").content.decode()
    client.force_login(getattr(leaky, role))

    for url in _pages_of(leaky, role):
        response = client.get(url)
        assert response.status_code == 200, url
        assert born.isoformat() in response.content.decode(), url
    assert born.isoformat() not in officer_page and f"{born.year} 年" in officer_page


def test_the_api_gives_officers_the_birth_year_and_no_date(leaky, client) -> None:
    client.force_login(leaky.officer_a)

    item = client.get(f"/api/v1/organizations/{leaky.org_a.pk}/members").json()["items"][0]

    assert (item["birth_year"], item["birth_date"]) == (leaky.profile_a.birth_date.year, None)
    assert item["id_number_masked"] == leaky.profile_a.id_number_masked


def test_the_api_gives_the_member_their_full_birth_date(leaky, client) -> None:
    client.force_login(leaky.member_a)

    data = client.get("/api/v1/me/member").json()

    born = leaky.profile_a.birth_date
    assert (data["birth_year"], data["birth_date"]) == (born.year, born.isoformat())


def test_a_birth_date_correction_shows_years_to_officers_and_dates_to_the_secretary(leaky, client) -> None:
    client.force_login(leaky.officer_a)
    officer_page = client.get("/manage/members/corrections/").content.decode()
    client.force_login(leaky.secretary_a)
    secretary_page = client.get("/manage/members/corrections/").content.decode()

    old, new = leaky.profile_a.birth_date, leaky.requested_birth_date
    assert f"{old.year} 年 → <strong>{new.year} 年</strong>" in officer_page
    assert f"{old.isoformat()} → <strong>{new.isoformat()}</strong>" in secretary_page


# ---------------------------------------------------------------- editing does not give the date back


EDIT_FIELDS = {
    "gender": "male",
    "ethnicity": "01",
    "category": "formal",
    "admitted_on": "2010-07-01",
    "full_member_on": "2011-07-01",
    "education": "bachelor",
    "affiliation_organization": "中共泰州市海陵区人才服务中心支部委员会",
    "status": "normal",
    "dues_category": "employed",
}


def edit(client: Client, w: Any, **changes: Any) -> Any:
    data = {
        "real_name": w.member_a.real_name,
        "mobile": w.member_a.mobile,
        "id_number": "",
        "organization": w.org_a.pk,
        **EDIT_FIELDS,
        **changes,
    }
    return client.post(f"/manage/members/{w.profile_a.pk}/edit/", data)


def stored(w: Any) -> MemberProfile:
    with scopes_disabled():
        return MemberProfile.objects.get(pk=w.profile_a.pk)


def test_an_officer_edits_without_the_birth_date_and_it_is_kept(people, client) -> None:
    client.force_login(people.officer_a)

    page = client.get(f"/manage/members/{people.profile_a.pk}/edit/").content.decode()
    response = edit(client, people, job_title="党务专员", birth_date="1990-01-01")

    assert 'name="birth_date"' not in page and "1986-05-12" not in page
    assert response.status_code == 302
    assert (stored(people).birth_date, stored(people).job_title) == (date(1986, 5, 12), "党务专员")


def test_a_new_number_typed_by_an_officer_brings_its_birth_date(people, client) -> None:
    client.force_login(people.officer_a)

    future = edit(client, people, id_number=id_number(date(2099, 1, 1), 41))  # a form error, not a 500
    response = edit(client, people, id_number=id_number(date(1986, 6, 2), 41))

    assert future.status_code == 200
    assert "公民身份号码中的出生日期（第 7–14 位）不正确" in future.content.decode()
    assert response.status_code == 302
    assert stored(people).birth_date == date(1986, 6, 2)


def test_admission_dates_cannot_probe_the_birthday(people, client) -> None:
    """The member turned 18 on 2004-05-12. Whatever day of 2004 an officer tries, the answer is the same
    (before the fix, "入党时应年满十八周岁" answered whether the birthday had passed); the secretary, who
    sees the date, may set such a day."""
    client.force_login(people.officer_a)

    for admitted_on in ("2004-05-11", "2004-05-12", "2004-12-31"):
        response = edit(client, people, admitted_on=admitted_on, full_member_on="2005-07-01")
        assert response.status_code == 200
        page = response.content.decode()
        assert "入党日期在该党员年满十八周岁的当年" in page, admitted_on
        assert "入党时应年满十八周岁，请核对" not in page, admitted_on
        assert stored(people).admitted_on == date(2010, 7, 1)

    client.force_login(people.secretary_a)
    response = edit(
        client, people, birth_date="1986-05-12", admitted_on="2004-05-12", full_member_on="2005-07-01"
    )
    assert response.status_code == 302
    assert stored(people).admitted_on == date(2004, 5, 12)
