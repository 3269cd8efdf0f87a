"""Pages of joint meetings (issue 10 §7; DB3212/T 1124 §7.4): the supervising unit plans a meeting with its
agenda and invited organisations, records attendance and minutes, cancels, adds decisions with owners and
due dates; the open decisions stay listed until done and their owners follow them up; the year is
flagged when none is held or more than two are planned. Every page for the roles the access matrix does
not have (the invited organisation's secretary, another organisation's, a decision owner without a role,
the platform admin, a worker); bad input answers a Chinese message and changes nothing; the lists read a
constant number of queries; the work cards count what the person acts on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import Role, User
from dangjian.activities.joint import joint_decision_save, joint_meeting_record, joint_meeting_save
from dangjian.activities.models import (
    DecisionStatus,
    JointDecision,
    JointMeeting,
    JointMeetingStatus,
)
from dangjian.core.models import Notification
from dangjian.core.workcards import work_page_for
from tests import factories as f
from tests.activities.builders import Life, local, member_of

pytestmark = pytest.mark.django_db


@dataclass
class Joint:
    life: Life
    platform_admin: User
    owner: User  # a member of A's organisation with no role, owner of `decision`
    held: JointMeeting  # ten days ago, A's organisation invited (B's not)
    planned: JointMeeting  # in three weeks, A's organisation invited
    decision: JointDecision


def make_joint(life: Life) -> Joint:
    platform_admin = f.UserFactory(username="platform_admin", real_name="周主任")
    f.grant(platform_admin, Role.PLATFORM_ADMIN, life.world.hq)
    now = timezone.now()
    held = joint_meeting_save(
        actor=platform_admin,
        meeting=JointMeeting(
            title="上半年楼宇党建联席会议", starts_at=now - timedelta(days=10), location="总站"
        ),
        organizations=[life.world.org_a],
    )
    joint_meeting_record(actor=platform_admin, meeting=held, minutes="<p>通报工作</p>", attended={})
    planned = joint_meeting_save(
        actor=platform_admin,
        meeting=JointMeeting(title="下半年楼宇党建联席会议", starts_at=now + timedelta(days=21)),
        organizations=[life.world.org_a],
    )
    owner = life.members[0]
    decision = joint_decision_save(
        actor=platform_admin,
        meeting=held,
        decision=JointDecision(content="建立共享场地清单", owner=owner, due_on=date(2099, 3, 31)),
    )
    return Joint(life, platform_admin, owner, held, planned, decision)


@pytest.fixture
def meetings(life: Life) -> Joint:
    return make_joint(life)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    """Run what the services do on commit (the notifications) inside the test's transaction."""
    return django_capture_on_commit_callbacks


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, obj: Any = None) -> str:
    return reverse(f"activities:{name}", kwargs={"pk": obj.pk} if obj is not None else None)


# ---------------------------------------------------------------- who gets what (beyond the access matrix)

PAGES = {
    "joint_list": lambda j: url("joint_list"),
    "joint_create": lambda j: url("joint_create"),
    "joint_meeting": lambda j: url("joint_meeting", j.held),
    "joint_edit": lambda j: url("joint_edit", j.planned),
    "joint_record": lambda j: url("joint_record", j.held),
    "joint_decisions": lambda j: url("joint_decisions"),
    "joint_decision": lambda j: url("joint_decision", j.decision),
    "joint_decision_edit": lambda j: url("joint_decision_edit", j.decision),
}
CONVENER = dict.fromkeys(PAGES, 200)
# the invited organisation's secretary sees the meeting and its decisions; convening is not theirs
INVITED = {
    **CONVENER,
    "joint_create": 403,
    "joint_edit": 403,
    "joint_record": 403,
    "joint_decision_edit": 403,
}
# another organisation's secretary, a worker: staff, but the meeting is missing to them
STRANGER_STAFF = {**INVITED, "joint_meeting": 404, "joint_decision": 404}
# the owner has no role: no management pages, but their decision and the decision list
OWNER = {**dict.fromkeys(PAGES, 403), "joint_decisions": 200, "joint_decision": 200}
EXPECTED = {
    "platform_admin": CONVENER,
    "secretary_a": INVITED,
    "secretary_b": STRANGER_STAFF,
    "worker_a": STRANGER_STAFF,
    "owner": OWNER,
}


def actor(j: Joint, role: str) -> User:
    found = getattr(j, role, None) or getattr(j.life, role, None) or getattr(j.life.world, role)
    assert isinstance(found, User)
    return found


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_every_joint_page_for_the_roles_the_matrix_lacks(meetings: Joint, role: str) -> None:
    client = as_user(actor(meetings, role))
    got = {name: client.get(path(meetings)).status_code for name, path in PAGES.items()}
    assert got == EXPECTED[role]


def test_only_the_owner_or_the_convener_follows_up(meetings: Joint) -> None:
    body = {"status": "in_progress", "note": "已收集 5 家"}
    target = url("joint_decision", meetings.decision)
    assert as_user(meetings.life.secretary_a).post(target, body).status_code == 404  # sees it, may not
    assert as_user(meetings.owner).post(target, body).status_code == 302
    assert as_user(meetings.platform_admin).post(target, {"status": "open"}).status_code == 302
    assert JointDecision.objects.get(pk=meetings.decision.pk).status == DecisionStatus.OPEN


# ---------------------------------------------------------------- convening, recording, cancelling


def meeting_form(life: Life, **fields: Any) -> dict[str, Any]:
    return {
        "title": "专题联席会议",
        "starts_at": "2099-05-10T14:30",
        "location": "总站二楼会议室",
        "agenda": "<p>一、通报共建项目</p><script>alert(1)</script>",
        "organizations": [life.world.org_a.pk, life.world.org_b.pk],
        **fields,
    }


def test_the_convener_plans_a_meeting_and_the_invited_officers_are_told(
    meetings: Joint, on_commit: Any
) -> None:
    client = as_user(meetings.platform_admin)
    with on_commit(execute=True):
        response = client.post(url("joint_create"), meeting_form(meetings.life))
    meeting = JointMeeting.objects.get(title="专题联席会议")
    assert response.status_code == 302 and response.url == url("joint_meeting", meeting)
    assert "<script>" not in meeting.agenda and meeting.status == JointMeetingStatus.PLANNED
    told = Notification.objects.filter(recipient=meetings.life.secretary_b, title__contains="专题联席会议")
    assert told.get().url == url("joint_meeting", meeting)
    page = client.get(url("joint_meeting", meeting)).content.decode()
    assert "2099年5月10日 14:30" in page and "金融大厦楼宇联合党支部" in page and "取消会议" in page


BAD_MEETINGS = [
    ({"title": ""}, "这个字段是必填项"),
    ({"organizations": []}, "这个字段是必填项"),
    ({"organizations": ["99999999999999999999"]}, "选择一个有效的选项"),
    ({"starts_at": "2099-13-40T25:00"}, "输入一个有效的日期/时间"),
    ({"starts_at": "9999-01-01T10:00"}, "日期应在"),
]


@pytest.mark.parametrize(("change", "message"), BAD_MEETINGS)
def test_a_bad_meeting_form_is_refused_in_chinese(
    meetings: Joint, change: dict[str, Any], message: str
) -> None:
    before = JointMeeting.objects.count()
    response = as_user(meetings.platform_admin).post(
        url("joint_create"), meeting_form(meetings.life, **change)
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert JointMeeting.objects.count() == before


def test_a_held_meeting_is_not_edited_again(meetings: Joint) -> None:
    response = as_user(meetings.platform_admin).post(
        url("joint_edit", meetings.held), meeting_form(meetings.life)
    )
    assert response.status_code == 200 and "会议已召开，不能再修改" in response.content.decode()
    assert JointMeeting.objects.get(pk=meetings.held.pk).title == "上半年楼宇党建联席会议"


def test_the_convener_changes_a_planned_meeting(meetings: Joint) -> None:
    form = meeting_form(meetings.life, title="下半年联席会议（改）")
    response = as_user(meetings.platform_admin).post(url("joint_edit", meetings.planned), form)
    assert response.status_code == 302
    changed = JointMeeting.objects.get(pk=meetings.planned.pk)
    assert changed.title == "下半年联席会议（改）"
    assert set(changed.invitees.values_list("organization_id", flat=True)) == {
        meetings.life.world.org_a.pk,
        meetings.life.world.org_b.pk,
    }


def test_attendance_with_the_representative_and_the_minutes(meetings: Joint) -> None:
    org_a, secretary_a = meetings.life.world.org_a, meetings.life.secretary_a
    client = as_user(meetings.platform_admin)
    form = client.get(url("joint_record", meetings.held)).content.decode()
    assert f'name="representative_{org_a.pk}"' in form and secretary_a.display_name in form
    body = {
        "minutes": "<p>研究共建项目</p>",
        f"attended_{org_a.pk}": "on",
        f"representative_{org_a.pk}": secretary_a.pk,
    }
    assert client.post(url("joint_record", meetings.held), body).status_code == 302
    invitee = meetings.held.invitees.get()
    assert invitee.attended and invitee.representative == secretary_a
    page = client.get(url("joint_meeting", meetings.held)).content.decode()
    assert "研究共建项目" in page and "出席" in page and secretary_a.display_name in page


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"minutes": ""}, "这个字段是必填项"),
        (
            {"minutes": "x", "representative_{org}": "{member_b}"},
            "选择一个有效的选项",
        ),  # not of A's organisation
        (
            {"minutes": "x", "representative_{org}": "{secretary}"},
            "请勾选出席",
        ),  # a representative, not attending
        ({"minutes": "x", "representative_{org}": "99999999999999999999"}, "选择一个有效的选项"),
    ],
)
def test_bad_attendance_is_refused_in_chinese(meetings: Joint, body: dict[str, str], message: str) -> None:
    life = meetings.life
    values = {"org": life.world.org_a.pk, "member_b": life.member_b.pk, "secretary": life.secretary_a.pk}
    posted = {k.format(**values): v.format(**values) for k, v in body.items()}
    response = as_user(meetings.platform_admin).post(url("joint_record", meetings.held), posted)
    assert response.status_code == 200 and message in response.content.decode()
    assert JointMeeting.objects.get(pk=meetings.held.pk).minutes == "<p>通报工作</p>"


def test_a_meeting_ahead_is_not_recorded_as_held(meetings: Joint) -> None:
    client = as_user(meetings.platform_admin)
    assert "会议召开后才能登记" in client.get(url("joint_record", meetings.planned)).content.decode()
    response = client.post(url("joint_record", meetings.planned), {"minutes": "提前写好"})
    assert response.status_code == 200 and "会议召开后才能登记召开情况" in response.content.decode()
    assert JointMeeting.objects.get(pk=meetings.planned.pk).status == JointMeetingStatus.PLANNED


def test_cancelling_needs_a_reason_and_tells_the_invited(meetings: Joint, on_commit: Any) -> None:
    client = as_user(meetings.platform_admin)
    refused = client.post(url("joint_cancel", meetings.planned), {"reason": " "})
    assert refused.status_code == 200 and "这个字段是必填项" in refused.content.decode()
    with on_commit(execute=True):
        assert (
            client.post(url("joint_cancel", meetings.planned), {"reason": "与区委会议冲突"}).status_code
            == 302
        )
    assert JointMeeting.objects.get(pk=meetings.planned.pk).status == JointMeetingStatus.CANCELLED
    told = Notification.objects.get(recipient=meetings.life.secretary_a, title__startswith="联席会议取消")
    assert "与区委会议冲突" in told.body
    again = client.post(url("joint_cancel", meetings.held), {"reason": "x"}, follow=True)
    assert "会议已召开，不能取消" in again.content.decode()
    assert JointMeeting.objects.get(pk=meetings.held.pk).status == JointMeetingStatus.HELD


# ---------------------------------------------------------------- decisions


def test_a_decision_with_an_owner_and_due_date_is_followed_up_until_done(
    meetings: Joint, on_commit: Any
) -> None:
    life, convener = meetings.life, as_user(meetings.platform_admin)
    body = {"content": "编制共建项目清单", "owner": life.secretary_a.pk, "due_on": "2099-06-30"}
    with on_commit(execute=True):
        assert convener.post(url("joint_decision_add", meetings.held), body).status_code == 302
    decision = JointDecision.objects.get(content="编制共建项目清单")
    told = Notification.objects.get(recipient=life.secretary_a, title__contains="编制共建项目清单")
    assert told.url == url("joint_decision", decision) and "2099年06月30日" in told.body

    owner = as_user(life.secretary_a)
    listed = owner.get(url("joint_decisions") + "?mine=1").content.decode()
    assert "编制共建项目清单" in listed and "建立共享场地清单" not in listed  # mine only
    owner.post(url("joint_decision", decision), {"status": "in_progress", "note": "已联系 5 家单位"})
    owner.post(url("joint_decision", decision), {"status": "done", "note": "清单已发布"})
    page = owner.get(url("joint_decision", decision)).content.decode()
    assert "已联系 5 家单位" in page and "清单已发布" in page and "已完成" in page
    assert "编制共建项目清单" not in owner.get(url("joint_decisions")).content.decode()  # done: gone
    assert "编制共建项目清单" in owner.get(url("joint_decisions") + "?done=1").content.decode()
    again = owner.post(url("joint_decision", decision), {"status": "done", "note": ""})
    assert again.status_code == 200 and "该事项已完成" in again.content.decode()


def test_an_overdue_decision_is_marked(meetings: Joint) -> None:
    JointDecision.objects.filter(pk=meetings.decision.pk).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    assert "已逾期" in as_user(meetings.owner).get(url("joint_decisions")).content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"content": ""}, "这个字段是必填项"),
        ({"owner": "{member_b}"}, "选择一个有效的选项"),  # B's organisation was not invited
        ({"owner": "99999999999999999999"}, "选择一个有效的选项"),
        ({"due_on": "2099-02-30"}, "输入一个有效的日期"),
        ({"due_on": "9999-01-01"}, "日期应在"),
    ],
)
def test_a_bad_decision_is_refused_in_chinese(meetings: Joint, change: dict[str, str], message: str) -> None:
    life = meetings.life
    body = {"content": "新事项", "owner": life.secretary_a.pk, "due_on": "2099-06-30"}
    body.update({k: v.format(member_b=life.member_b.pk) for k, v in change.items()})
    response = as_user(meetings.platform_admin).post(url("joint_decision_add", meetings.held), body)
    assert response.status_code == 200 and message in response.content.decode()
    assert not JointDecision.objects.filter(content="新事项").exists()


def test_a_bad_follow_up_is_refused(meetings: Joint) -> None:
    response = as_user(meetings.owner).post(url("joint_decision", meetings.decision), {"status": "finished"})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert JointDecision.objects.get(pk=meetings.decision.pk).follow_up == ""


def test_the_convener_changes_a_decision_and_the_new_owner_is_told(meetings: Joint, on_commit: Any) -> None:
    life = meetings.life
    body = {"content": "建立共享场地清单（含周边社区）", "owner": life.secretary_a.pk, "due_on": "2099-04-30"}
    with on_commit(execute=True):
        response = as_user(meetings.platform_admin).post(url("joint_decision_edit", meetings.decision), body)
    assert response.status_code == 302
    changed = JointDecision.objects.get(pk=meetings.decision.pk)
    assert changed.owner == life.secretary_a and changed.due_on == date(2099, 4, 30)
    assert Notification.objects.filter(recipient=life.secretary_a, title__contains="含周边社区").exists()


# ---------------------------------------------------------------- the year (§7.4: 1–2 a year)


def test_the_list_flags_a_year_with_none_held_or_more_than_two(meetings: Joint) -> None:
    client = as_user(meetings.platform_admin)
    year = timezone.localdate().year
    page = client.get(url("joint_list") + f"?year={year - 3}").content.decode()
    assert 'data-year-status="flagged"' in page and f"{year - 3}年未召开联席会议" in page
    for month in (3, 6):
        joint_meeting_save(
            actor=meetings.platform_admin,
            meeting=JointMeeting(title=f"{month}月会议", starts_at=local(2098, month, 10)),
            organizations=[meetings.life.world.org_a],
        )
    page = client.get(url("joint_list") + "?year=2098").content.decode()
    assert 'data-year-status="ok"' in page and "计划召开 2 次" in page and "3月会议" in page
    joint_meeting_save(
        actor=meetings.platform_admin,
        meeting=JointMeeting(title="9月会议", starts_at=local(2098, 9, 10)),
        organizations=[meetings.life.world.org_a],
    )
    page = client.get(url("joint_list") + "?year=2098").content.decode()
    assert (
        'data-year-status="flagged"' in page and "2098年已召开或计划召开 3 次联席会议，超过每年 2 次" in page
    )
    for bad in ("abc", "99999999999999999999", "1800"):  # a bad year: this year
        assert f"{year}年" in client.get(url("joint_list") + f"?year={bad}").content.decode()


def test_the_invited_secretary_sees_only_the_meetings_of_their_organisation(meetings: Joint) -> None:
    year = meetings.held.starts_at.year
    mine = as_user(meetings.life.secretary_a).get(url("joint_list") + f"?year={year}").content.decode()
    assert "上半年楼宇党建联席会议" in mine and "召集联席会议" not in mine
    other = as_user(meetings.life.secretary_b).get(url("joint_list") + f"?year={year}").content.decode()
    assert "上半年楼宇党建联席会议" not in other


# ---------------------------------------------------------------- query counts and work cards


def grow(j: Joint, n: int) -> None:
    for i in range(n):
        org = f.PartyOrganizationFactory(station=j.life.world.a, name=f"第{i}联合党支部{n}")
        member = member_of(org, f"rep_{n}_{i}")
        meeting = joint_meeting_save(
            actor=j.platform_admin,
            meeting=JointMeeting(title=f"会议{n}-{i}", starts_at=j.held.starts_at + timedelta(hours=i + 1)),
            organizations=[org, j.life.world.org_a],
        )
        joint_decision_save(
            actor=j.platform_admin,
            meeting=meeting,
            decision=JointDecision(content=f"事项{n}-{i}", owner=member, due_on=date(2099, 1, 1)),
        )


@pytest.mark.parametrize(
    "page", [lambda j: url("joint_list") + f"?year={j.held.starts_at.year}", lambda j: url("joint_decisions")]
)
def test_the_lists_read_a_constant_number_of_queries(meetings: Joint, page: Any) -> None:
    client = as_user(meetings.platform_admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page(meetings)).status_code == 200
        return len(captured)

    grow(meetings, 2)
    few = queries()
    grow(meetings, 6)
    assert queries() == few


def test_the_work_cards_count_what_the_person_acts_on(meetings: Joint) -> None:
    owner_card = work_page_for(meetings.owner).card("activities.joint_decisions")
    assert owner_card is not None and owner_card.count == 1 and owner_card.url.endswith("?mine=1")
    assert work_page_for(meetings.life.secretary_b).card("activities.joint_decisions") is None
    convener = work_page_for(meetings.platform_admin).card("activities.joint_meetings")
    assert convener is not None and convener.note
    assert work_page_for(meetings.life.secretary_a).card("activities.joint_meetings") is None
