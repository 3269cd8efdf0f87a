"""A member corrects their own record (issue 4 item 2): the request goes to the organisation's officers,
who accept (applied through the same validation, audited) or reject it (§6.3 党员管理)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from dangjian.core.crypto import keyed_hash
from dangjian.core.models import Notification
from dangjian.members.models import CorrectionStatus, MemberProfile, ProfileCorrection
from tests.members.builders import id_number
from tests.members.conftest import audit_actions

pytestmark = pytest.mark.django_db


def request_correction(client, people, field: str, value: str, reason: str = "档案记载有误"):
    client.force_login(people.member_a)
    return client.post("/me/member/", {"field": field, "new_value": value, "reason": reason})


def only_correction() -> ProfileCorrection:
    with scopes_disabled():
        return ProfileCorrection.objects.get()


def reload(profile: MemberProfile) -> MemberProfile:
    with scopes_disabled():
        return MemberProfile.objects.select_related("user").get(pk=profile.pk)


def test_request_then_officer_accepts_changes_the_profile_and_is_audited(
    people, client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = request_correction(client, people, "education", "研究生", "已取得硕士学位")
    assert response.status_code == 302
    correction = only_correction()
    assert (correction.old_value, correction.new_value, correction.status) == (
        "大学本科",
        "研究生",
        "pending",
    )
    assert Notification.objects.filter(recipient=people.officer_a).exists()

    client.force_login(people.officer_a)
    assert "已取得硕士学位" in client.get("/manage/members/corrections/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/manage/members/corrections/{correction.pk}/accept/", {"note": "已核对学位证"})

    assert reload(people.profile_a).education == "postgraduate"
    correction = only_correction()
    assert correction.status == CorrectionStatus.ACCEPTED and correction.decided_by == people.officer_a
    assert audit_actions() == [
        "members.correction.request",
        "members.profile.update",
        "members.correction.accept",
    ]
    assert Notification.objects.filter(recipient=people.member_a, title__contains="已采纳").exists()


def test_reject_needs_a_reason_and_leaves_the_profile(people, client) -> None:
    request_correction(client, people, "job_title", "部门经理")
    correction = only_correction()
    client.force_login(people.secretary_a)

    client.post(f"/manage/members/corrections/{correction.pk}/reject/", {"note": ""})
    assert only_correction().status == CorrectionStatus.PENDING
    client.post(f"/manage/members/corrections/{correction.pk}/reject/", {"note": "与人事档案不符"})

    assert only_correction().status == CorrectionStatus.REJECTED
    assert reload(people.profile_a).job_title == ""
    assert audit_actions()[-1] == "members.correction.reject"


def test_a_decided_request_cannot_be_decided_again(people, client) -> None:
    request_correction(client, people, "job_title", "部门经理")
    correction = only_correction()
    client.force_login(people.officer_a)
    client.post(f"/manage/members/corrections/{correction.pk}/accept/")

    response = client.post(f"/manage/members/corrections/{correction.pk}/reject/", {"note": "x"})

    assert response.status_code == 404  # no longer pending
    assert only_correction().status == CorrectionStatus.ACCEPTED


def test_accept_applies_the_same_validation_as_the_edit_form(people, client) -> None:
    request_correction(client, people, "birth_date", "1990-01-01")  # disagrees with the ID number
    correction = only_correction()
    client.force_login(people.officer_a)

    response = client.post(f"/manage/members/corrections/{correction.pk}/accept/", follow=True)

    assert "公民身份号码中的出生日期与填写的出生日期不一致" in response.content.decode()
    assert only_correction().status == CorrectionStatus.PENDING
    assert reload(people.profile_a).birth_date == date(1986, 5, 12)


def test_bad_values_are_refused_at_request_time(people, client) -> None:
    response = request_correction(client, people, "education", "博士后")

    assert response.status_code == 200
    assert "学历“博士后”不在可选范围内" in response.content.decode()
    with scopes_disabled():
        assert not ProfileCorrection.objects.exists()


def test_id_number_correction_keeps_only_ciphertext_and_applies_on_accept(people, client) -> None:
    new_number = id_number(date(1986, 5, 12), 321)
    request_correction(client, people, "id_number", new_number, "原号码末位录入错误")
    correction = only_correction()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM members_profilecorrection")
        assert not any(new_number in str(value) for row in cursor.fetchall() for value in row)
    assert correction.new_value == f"{new_number[:3]}***********{new_number[-4:]}"
    client.force_login(people.officer_a)

    client.post(f"/manage/members/corrections/{correction.pk}/accept/")

    profile = reload(people.profile_a)
    assert profile.id_number_hash == keyed_hash(new_number)
    assert only_correction().new_value_encrypted == ""


def test_another_organisations_officer_cannot_decide(people, client) -> None:
    request_correction(client, people, "job_title", "部门经理")
    client.force_login(people.officer_b)

    response = client.post(f"/manage/members/corrections/{only_correction().pk}/accept/")

    assert response.status_code == 404
    assert only_correction().status == CorrectionStatus.PENDING


def test_me_page_without_a_profile(people, client) -> None:
    client.force_login(people.resident)

    assert "您还没有党员信息" in client.get("/me/member/").content.decode()
