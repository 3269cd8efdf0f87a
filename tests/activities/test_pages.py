"""The activities pages (issue 10): a secretary creates (with a venue) and publishes an activity, members
register in one tap or join the waiting list, an offered seat is accepted with its expiry shown, 请假 is asked
and decided, the record is filed, themes and the plan are kept, and the compliance page says what is met;
bad input is a Chinese form error that changes nothing; another station's people meet A's things as missing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.activities.models import (
    Activity,
    ActivityRecord,
    ActivityStatus,
    AnnualPlan,
    LeaveRequest,
    LeaveStatus,
    MonthlyTheme,
    Registration,
    RegistrationStatus,
)
from dangjian.activities.services import register, registration_cancel
from dangjian.venues.models import ReservationStatus
from tests import factories as f
from tests.activities.builders import new_activity
from tests.venues.builders import make_venue

pytestmark = pytest.mark.django_db


def body(life: Any, **extra: Any) -> dict[str, Any]:
    start = timezone.localtime() + timedelta(days=5)
    return {
        "title": "学习雷锋精神主题党日",
        "activity_type": "theme_day",
        "theme": "学习雷锋好榜样",
        "lead": life.world.org_a.pk,
        "starts_at": f"{start:%Y-%m-%d}T10:00",
        "ends_at": f"{start:%Y-%m-%d}T12:00",
        "capacity": "2",
        "audience": "organization",
        "counts_for_life": "on",
        "offer_hold_hours": "24",
        "description": "<p>集中学习</p><script>alert(1)</script>",
        **extra,
    }


def url(name: str, obj: Any = None) -> str:
    return reverse(f"activities:{name}", kwargs={"pk": obj.pk} if obj is not None else None)


def test_a_secretary_creates_books_a_venue_and_publishes_and_a_member_registers(life, client) -> None:
    hall = make_venue(life.world.a, name="万达党群综合馆", kind="hall", capacity=80, needs_approval=False)
    client.force_login(life.secretary_a)
    form = client.get(url("create")).content.decode()
    assert "牵头主办党组织" in form and "万达党群综合馆" in form and 'class="editor' in form
    response = client.post(url("create"), body(life, venue=hall.pk))
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == url("manage_detail", activity)
    assert activity.status == ActivityStatus.DRAFT and "<script>" not in activity.description
    assert list(activity.organizers.all()) == [life.world.org_a]
    assert activity.reservation is not None and activity.reservation.status == ReservationStatus.APPROVED
    manage = client.get(url("manage_detail", activity)).content.decode()
    assert "万达党群综合馆" in manage and "发布活动" in manage
    assert client.post(url("publish", activity)).status_code == 302
    member = life.members[0]
    client.force_login(member)
    listing = client.get(url("list")).content.decode()
    assert "学习雷锋精神主题党日" in listing
    detail = client.get(url("detail", activity)).content.decode()
    start = timezone.localtime(activity.starts_at)
    assert f"{start.year}年{start.month}月{start.day}日" in detail and "剩余 2 个" in detail
    assert "一键报名" in detail and "提交请假" in detail
    client.post(url("register", activity))
    detail = client.get(url("detail", activity)).content.decode()
    assert "您已报名" in detail and "剩余 1 个" in detail
    assert Registration.objects.get().status == RegistrationStatus.REGISTERED


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"title": ""}, "这个字段是必填项"),
        ({"ends_at": "2020-01-01T08:00"}, "结束时间应晚于开始时间"),
        ({"capacity": "0"}, "名额至少为 1"),
        ({"starts_at": "明天"}, "输入一个有效的日期"),
        ({"lead": "", "station": ""}, "请选择牵头主办党组织或活动所属站点"),
        ({"offer_hold_hours": "999"}, "候补名额保留时长应在 1 至 168 小时之间"),
    ],
)
def test_bad_input_is_a_chinese_form_error_and_changes_nothing(life, client, extra, message) -> None:
    client.force_login(life.secretary_a)
    response = client.post(url("create"), body(life, **extra))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Activity.objects.exists()


def test_an_organisation_of_another_station_is_no_choice(life, client) -> None:
    client.force_login(life.secretary_a)
    response = client.post(url("create"), body(life, lead=life.world.org_b.pk))
    assert "选择一个有效的选项" in response.content.decode()
    assert not Activity.objects.exists()


def test_a_venue_refusal_is_shown_on_the_form_and_nothing_is_saved(life, client) -> None:
    hall = make_venue(life.world.a, name="万达党群综合馆", hours=(9, 11), needs_approval=False)
    client.force_login(life.secretary_a)
    response = client.post(url("create"), body(life, venue=hall.pk))  # 10:00–12:00: past closing
    assert response.status_code == 200 and "开放时间" in response.content.decode()
    assert not Activity.objects.exists()


def test_the_waiting_list_and_a_one_tap_offer_with_its_expiry(life, client) -> None:
    activity = new_activity(life.secretary_a, [life.world.org_a], capacity=1)
    first, second = life.members[:2]
    register(actor=first, activity=activity)
    client.force_login(second)
    page = client.get(url("detail", activity)).content.decode()
    assert "加入候补名单" in page
    client.post(url("register", activity))
    assert "候补名单第 1 位" in client.get(url("detail", activity)).content.decode()
    registration_cancel(actor=first, registration=Registration.objects.get(person=first))
    offered = Registration.objects.get(person=second)
    assert offered.status == RegistrationStatus.OFFERED
    mine = client.get(url("my")).content.decode()
    expires = timezone.localtime(offered.offer_expires_at)
    assert "待确认的候补名额" in mine and f"{expires:%Y}年{expires.month}月{expires.day}日" in mine
    response = client.post(url("offer_accept", offered), {"next": url("my")})
    assert response.status_code == 302
    assert Registration.objects.get(pk=offered.pk).status == RegistrationStatus.REGISTERED
    again = client.post(url("offer_accept", offered), follow=True).content.decode()
    assert "无需重复确认" in again


def test_leave_is_asked_with_a_reason_and_decided_by_the_secretary(life, client) -> None:
    activity = new_activity(life.secretary_a, [life.world.org_a])
    member = life.members[0]
    client.force_login(member)
    empty = client.post(url("leave", activity), {"reason": "  "})
    assert empty.status_code == 200 and "这个字段是必填项" in empty.content.decode()
    assert not LeaveRequest.objects.exists()
    client.post(url("leave", activity), {"reason": "出差在外"})
    leave = LeaveRequest.objects.get()
    client.force_login(life.secretary_a)
    page = client.get(url("leave_requests")).content.decode()
    assert "出差在外" in page and member.display_name in page
    client.post(url("leave_decide", leave), {"decision": "approve", "note": "同意"})
    assert LeaveRequest.objects.get().status == LeaveStatus.APPROVED


def test_the_record_is_filed_after_the_activity(life, client) -> None:
    past = new_activity(
        life.secretary_a, [life.world.org_a], starts_at=timezone.now() - timedelta(days=2), title="支委会"
    )
    future = new_activity(life.secretary_a, [life.world.org_a])
    client.force_login(life.secretary_a)
    assert "这个字段是必填项" in client.post(url("record", past), {"summary": ""}).content.decode()
    assert not ActivityRecord.objects.exists()
    early = client.post(url("record", future), {"summary": "纪要"}).content.decode()
    assert "活动结束后才能提交台账" in early and not ActivityRecord.objects.exists()
    response = client.post(url("record", past), {"summary": "研究发展党员工作"})
    assert response.status_code == 302
    assert Activity.objects.get(pk=past.pk).status == ActivityStatus.FINISHED


def test_cancelling_needs_a_reason(life, client) -> None:
    activity = new_activity(life.secretary_a, [life.world.org_a])
    client.force_login(life.secretary_a)
    response = client.post(url("cancel", activity), {"reason": ""})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    assert Activity.objects.get(pk=activity.pk).status == ActivityStatus.PUBLISHED
    client.post(url("cancel", activity), {"reason": "上级临时通知调整"})
    assert Activity.objects.get(pk=activity.pk).status == ActivityStatus.CANCELLED


def test_themes_and_the_plan_with_chinese_errors(life, client) -> None:
    org = life.world.org_a
    client.force_login(life.secretary_a)
    bad = client.post(
        reverse("activities:theme_set", kwargs={"pk": org.pk}), {"month": "2026-13", "theme": "x"}
    )
    assert "请填写正确的月份" in bad.content.decode() and not MonthlyTheme.objects.exists()
    today = timezone.localdate()
    client.post(
        reverse("activities:theme_set", kwargs={"pk": org.pk}),
        {"month": f"{today:%Y-%m}", "theme": "学习党章"},
    )
    assert MonthlyTheme.objects.get().month == today.replace(day=1)
    plan_url = reverse("activities:plan_submit", kwargs={"pk": org.pk})
    wrong = client.post(plan_url, {"year": today.year, "planned": "3 茶话会 迎春"}).content.decode()
    assert "活动类型“茶话会”不正确" in wrong and not AnnualPlan.objects.exists()
    empty = client.post(plan_url, {"year": today.year, "planned": ""}).content.decode()
    assert "请上传计划文件或至少填写一项计划活动" in empty and not AnnualPlan.objects.exists()
    client.post(plan_url, {"year": today.year, "planned": "3 主题党日 学习雷锋\n7月 党课 书记讲党课"})
    assert AnnualPlan.objects.get().planned.count() == 2


def test_the_compliance_page_shows_each_organisation_with_its_reasons(life, client) -> None:
    instructor = f.UserFactory(username="instructor_a")
    f.grant(instructor, Role.INSTRUCTOR, life.world.a)
    client.force_login(instructor)
    page = client.get(url("compliance")).content.decode()
    assert life.world.org_a.name in page and "未确定组织生活主题" in page
    assert 'data-rag="amber"' in page or 'data-rag="red"' in page
    detail = client.get(reverse("activities:compliance_org", kwargs={"pk": life.world.org_a.pk})).content
    assert "支委会" in detail.decode() and "第1季度" in detail.decode()


def test_another_stations_people_meet_as_missing(life, client) -> None:
    activity = new_activity(life.secretary_a, [life.world.org_a])
    client.force_login(life.secretary_b)
    for name in ("manage_detail", "edit", "registrations", "record"):
        assert client.get(url(name, activity)).status_code == 404, name
    assert (
        client.get(reverse("activities:compliance_org", kwargs={"pk": life.world.org_a.pk})).status_code
        == 404
    )
    assert client.get(reverse("activities:life_org", kwargs={"pk": life.world.org_a.pk})).status_code == 404
    client.force_login(life.member_b)
    assert client.get(url("detail", activity)).status_code == 404
    assert client.post(url("register", activity)).status_code == 404
    assert not Registration.objects.exists()
    assert activity.title not in client.get(url("list")).content.decode()


def test_visitors_are_sent_to_sign_in_for_an_activity_not_open_to_the_public(life, client) -> None:
    activity = new_activity(life.secretary_a, [life.world.org_a])
    response = client.get(url("detail", activity))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    public = new_activity(life.secretary_a, [life.world.org_a], audience="public", title="社区读书会")
    assert "登录后报名" in client.get(url("detail", public)).content.decode()


def test_the_registration_shows_its_qr_code(life, client) -> None:
    activity = new_activity(life.secretary_a, [life.world.org_a])
    registration = register(actor=life.members[0], activity=activity)
    client.force_login(life.members[0])
    page = client.get(url("registration", registration)).content.decode()
    assert "我的报名二维码" in page and "<svg" in page


def test_the_guide_searches_a_name_and_checks_in_once(life, client) -> None:
    from dangjian.activities.models import Attendance

    guide = f.UserFactory(username="guide_a")
    f.grant(guide, Role.GUIDE, life.world.a)
    activity = new_activity(
        life.secretary_a, [life.world.org_a], starts_at=timezone.now() - timedelta(minutes=20)
    )
    person = life.members[2]
    client.force_login(guide)
    today = client.get(reverse("activities:checkin_list")).content.decode()
    assert activity.title in today
    found = client.get(url("checkin", activity) + f"?q={person.display_name}").content.decode()
    assert person.display_name in found and "签到" in found
    body = {"person": person.pk, "nonce": "scan-1"}
    assert client.post(url("checkin", activity), body).status_code == 302
    assert client.post(url("checkin", activity), body).status_code == 302  # a retried upload: counted once
    assert Attendance.objects.filter(activity=activity).count() == 1
    again = client.post(url("checkin", activity), {**body, "nonce": "scan-2"}).content.decode()
    assert "请勿重复签到" in again and Attendance.objects.count() == 1
    stranger = client.post(url("checkin", activity), {"person": life.member_b.pk, "nonce": "scan-3"})
    assert "请选择已报名本活动的人员" in stranger.content.decode() and Attendance.objects.count() == 1


def test_the_sign_in_sheet_prints_small_qr_codes_and_takes_the_ticks(life, client) -> None:
    from dangjian.activities.models import Attendance

    activity = new_activity(life.secretary_a, [life.world.org_a])
    register(actor=life.members[0], activity=activity)
    start = timezone.now() - timedelta(minutes=20)  # it has begun
    Activity.objects.filter(pk=activity.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    client.force_login(life.secretary_a)
    sheet = client.get(url("signin_sheet", activity)).content.decode()
    assert "<svg" in sheet and life.members[1].display_name in sheet
    assert "请勾选已签到的人员" in client.post(url("signin_sheet", activity), {}).content.decode()
    client.post(url("signin_sheet", activity), {"person": [life.members[0].pk, life.members[1].pk]})
    assert Attendance.objects.filter(activity=activity).count() == 2


def test_a_general_meetings_record_counts_the_quorum(life, client) -> None:
    past = new_activity(
        life.secretary_a,
        [life.world.org_a],
        activity_type="general_meeting",
        starts_at=timezone.now() - timedelta(days=1),
        title="支部党员大会",
    )
    client.force_login(life.secretary_a)
    page = client.get(url("record", past)).content.decode()
    assert "实到人数" in page and "应到人数" in page
    from tests.venues.builders import png

    response = client.post(
        url("record", past),
        {
            "summary": "选举支部委员",
            "minutes": "会议由书记主持",
            "resolutions": "通过发展对象名单\n通过年度计划",
            "entitled_count": "9",
            "photo": png(),
            "caption": "会议现场",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    filed = ActivityRecord.objects.get()
    assert filed.resolutions.count() == 2 and filed.photos.count() == 1


def test_an_activity_invites_an_alliance_and_the_member_answers_in_person(life, client) -> None:
    from dangjian.activities.invitations import invitation_send
    from dangjian.activities.models import Invitation, InvitationStatus

    activity = new_activity(life.secretary_a, [life.world.org_a], audience="station")
    client.force_login(life.secretary_a)
    page = url("activity_invitations", activity)
    empty = client.post(page, {"note": "欢迎参加"}).content.decode()
    assert "请至少选择一个邀请对象" in empty and not Invitation.objects.exists()
    client.post(page, {"alliances": [life.world.alliance_a.pk], "note": "联学共建"})
    assert Invitation.objects.get().kind == "alliance"
    assert "未答复 1" in client.get(page).content.decode()
    person = life.members[3]
    invitation = invitation_send(actor=life.secretary_a, activity=activity, people=[person])[0]
    client.force_login(person)
    assert activity.title in client.get(reverse("activities:invitations")).content.decode()
    bad = client.post(url("invitation_answer", invitation), {"answer": "maybe"}, follow=True).content.decode()
    assert "请选择接受或婉拒" in bad
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.PENDING
    client.post(url("invitation_answer", invitation), {"answer": "accept", "head_count": "1"})
    answered = Invitation.objects.get(pk=invitation.pk)
    assert (answered.status, answered.head_count) == (InvitationStatus.ACCEPTED, 1)
