"""Registering and editing a member through the form (§6.3 党员管理): ID checksum and birth-date
consistency, mobile format, duplicates — each with a clear Chinese error, and nothing saved."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from dangjian.accounts.models import User
from dangjian.core.models import AuditEvent
from dangjian.members.models import MemberProfile
from tests.members.builders import id_number, with_wrong_check
from tests.members.conftest import audit_actions

pytestmark = pytest.mark.django_db

NEW = "/manage/members/new/"


def form_data(people: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "real_name": "钱雨萱",
        "gender": "female",
        "mobile": "13655550001",
        "id_number": id_number(date(1995, 3, 8), 12, male=False),
        "birth_date": "1995-03-08",
        "ethnicity": "01",
        "organization": people.org_a.pk,
        "category": "formal",
        "admitted_on": "2018-06-01",
        "full_member_on": "2019-06-01",
        "education": "bachelor",
        "job_title": "会计",
        "resident_unit": people.unit_a.pk,
        "affiliation_organization": "中共泰州市海陵区人才服务中心支部委员会",
        "status": "normal",
        "dues_category": "employed",
    }
    data.update(changes)
    return data


def profiles() -> int:
    with scopes_disabled():
        return MemberProfile.objects.count()


def test_create_registers_person_and_profile(people, client) -> None:
    client.force_login(people.officer_a)
    data = form_data(people)

    response = client.post(NEW, data)

    assert response.status_code == 302
    user = User.objects.get(mobile="13655550001")
    assert user.username == "13655550001" and not user.has_usable_password()
    with scopes_disabled():
        profile = MemberProfile.objects.get(user=user)
        event = AuditEvent.objects.get(action="members.profile.create")
    assert profile.station == people.a and profile.resident_unit == people.unit_a
    assert response["Location"] == f"/manage/members/{profile.pk}/"
    assert data["id_number"] not in str(event.data)
    assert event.data["created"]["id_number"] == profile.id_number_masked


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id_number": "with_wrong_check"}, "公民身份号码校验位不正确"),
        ({"id_number": "32120219950308"}, "公民身份号码应为 18 位"),
        ({"birth_date": "1995-03-09"}, "公民身份号码中的出生日期与填写的出生日期不一致"),
        ({"gender": "male"}, "公民身份号码中的性别码（第 17 位）与填写的性别不一致"),
        ({"mobile": "12345678901"}, "请输入 11 位手机号码"),
        ({"full_member_on": ""}, "正式党员须填写转正日期"),
        ({"full_member_on": "2018-01-01"}, "转正日期应晚于入党日期"),
        ({"admitted_on": "2010-06-01", "full_member_on": "2011-06-01"}, "入党时应年满十八周岁"),
    ],
)
def test_invalid_input_gets_a_chinese_error_and_saves_nothing(people, client, changes, message) -> None:
    client.force_login(people.own_admin)
    data = form_data(people, **changes)
    if data["id_number"] == "with_wrong_check":
        data["id_number"] = with_wrong_check(form_data(people)["id_number"])

    response = client.post(NEW, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert profiles() == 1


def test_duplicate_id_number_is_refused_even_across_stations(people, client) -> None:
    client.force_login(people.other_admin)
    data = form_data(
        people,
        organization=people.org_b.pk,
        resident_unit="",
        id_number=people.profile_a.plain_id_number,
        birth_date="1986-05-12",
        gender="male",
    )

    response = client.post(NEW, data)

    assert "该公民身份号码已登记在其他党员名下" in response.content.decode()
    assert people.profile_a.plain_id_number not in response.content.decode().replace(
        f'value="{people.profile_a.plain_id_number}"', ""
    )
    assert profiles() == 1


def test_cannot_register_into_an_organisation_one_does_not_keep(people, client) -> None:
    client.force_login(people.officer_a)

    response = client.post(NEW, form_data(people, organization=people.org_b.pk, resident_unit=""))

    assert response.status_code == 200
    assert profiles() == 1


def test_edit_keeps_the_number_when_left_blank_and_audits_changes(people, client) -> None:
    profile = people.profile_a
    client.force_login(people.secretary_a)
    url = f"/manage/members/{profile.pk}/edit/"
    page = client.get(url).content.decode()
    assert profile.plain_id_number not in page and profile.id_number_masked in page
    data = form_data(
        people,
        real_name="赵敏",
        mobile=profile.user.mobile,
        id_number="",
        birth_date="1986-05-12",
        gender="male",
        job_title="党务专员",
        admitted_on="2010-07-01",
        full_member_on="2011-07-01",
    )

    response = client.post(url, data)

    assert response.status_code == 302
    with scopes_disabled():
        stored = MemberProfile.objects.get(pk=profile.pk)
    assert stored.id_number_hash == profile.id_number_hash and stored.job_title == "党务专员"
    assert audit_actions() == ["members.profile.update"]
    with scopes_disabled():
        changed = AuditEvent.objects.get(action="members.profile.update").data["changed"]
    assert changed["job_title"] == ["", "党务专员"]
    assert "id_number" not in changed


def test_mobile_of_someone_else_is_refused_on_edit(people, client) -> None:
    client.force_login(people.own_admin)
    data = form_data(
        people,
        mobile=people.worker_a.mobile,
        id_number="",
        birth_date="1986-05-12",
        gender="male",
        admitted_on="2010-07-01",
        full_member_on="2011-07-01",
    )

    response = client.post(f"/manage/members/{people.profile_a.pk}/edit/", data)

    assert "该手机号码已被其他用户使用" in response.content.decode()


def test_id_search_uses_the_keyed_hash_and_keeps_the_number_out_of_the_url(people, client) -> None:
    client.force_login(people.officer_a)

    response = client.get("/manage/members/", {"q": people.profile_a.plain_id_number.lower()})

    assert response.status_code == 302
    assert people.profile_a.plain_id_number not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert people.member_a.real_name in page and "已按公民身份号码精确检索" in page
    assert people.profile_a.plain_id_number not in page


def test_search_by_name_and_mobile(people, client) -> None:
    client.force_login(people.worker_a)

    assert (
        people.member_a.real_name
        in client.get("/manage/members/", {"q": people.member_a.mobile[-6:]}).content.decode()
    )
    assert "暂无党员信息" in client.get("/manage/members/", {"q": "查无此人"}).content.decode()


def test_filters_narrow_the_roster(people, client) -> None:
    client.force_login(people.own_admin)

    assert (
        people.member_a.real_name
        in client.get("/manage/members/", {"education": "bachelor"}).content.decode()
    )
    assert "暂无党员信息" in client.get("/manage/members/", {"education": "postgraduate"}).content.decode()
    assert "暂无党员信息" in client.get("/manage/members/", {"category": "probationary"}).content.decode()


def test_check_constraints_hold_in_the_database(people) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE members_memberprofile SET full_member_on = admitted_on WHERE id = %s",
            [people.profile_a.pk],
        )
