"""Joint meetings (issue 10 §7; DB3212/T 1124 §7.4): convened by the supervising unit, with the invited
organisations, attendance, minutes and decisions with owners, due dates and follow-up shown until done;
the year flagged when none is held or more than two are planned."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.activities.joint import (
    access_decision,
    access_joint_meeting,
    joint_decision_follow_up,
    joint_decision_save,
    joint_meeting_cancel,
    joint_meeting_record,
    joint_meeting_save,
    joint_year_status,
    open_decisions,
)
from dangjian.activities.models import DecisionStatus, JointDecision, JointMeeting, JointMeetingStatus
from tests import factories as f
from tests.activities.builders import audit_actions, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def convener(life: Any) -> Any:
    life.platform_admin = f.UserFactory(username="platform_admin")
    f.grant(life.platform_admin, Role.PLATFORM_ADMIN, life.world.hq)
    return life


def _meeting(life: Any, *, starts_at: Any = None, actor: Any = None) -> JointMeeting:
    return joint_meeting_save(
        actor=actor or life.platform_admin,
        meeting=JointMeeting(
            title="2026年度楼宇党建联席会议",
            starts_at=starts_at or timezone.now() - timedelta(days=1),
            location="总站会议室",
            agenda="<p>通报工作</p><script>x</script>",
        ),
        organizations=[life.world.org_a, life.world.org_b],
    )


def test_the_supervising_unit_convenes_and_others_are_refused(convener) -> None:
    meeting = _meeting(convener)
    assert meeting.station == convener.world.hq and "<script>" not in meeting.agenda
    assert set(meeting.invitees.values_list("organization_id", flat=True)) == {
        convener.world.org_a.pk,
        convener.world.org_b.pk,
    }
    hq_admin = convener.world.hq_admin  # the HQ station admin governs every station
    assert _meeting(convener, actor=hq_admin).convened_by == hq_admin
    for stranger in (convener.secretary_a, convener.world.own_admin, convener.world.other_admin):
        with pytest.raises(PermissionDenied):
            _meeting(convener, actor=stranger)
    assert "activities.joint.save" in audit_actions()


def test_attendance_minutes_and_decisions_followed_up_until_done(convener) -> None:
    meeting = _meeting(convener)
    held = joint_meeting_record(
        actor=convener.platform_admin,
        meeting=meeting,
        minutes="研究共建项目",
        attended={convener.world.org_a.pk: convener.secretary_a},
    )
    assert held.status == JointMeetingStatus.HELD
    rows = {i.organization_id: i for i in held.invitees.all()}
    assert (
        rows[convener.world.org_a.pk].attended
        and rows[convener.world.org_a.pk].representative == convener.secretary_a
    )
    assert not rows[convener.world.org_b.pk].attended

    decision = joint_decision_save(
        actor=convener.platform_admin,
        meeting=held,
        decision=JointDecision(
            content="建立共享场地清单", owner=convener.secretary_a, due_on=date(2027, 3, 31)
        ),
    )
    assert list(open_decisions(user=convener.secretary_a)) == [decision]
    assert list(open_decisions(user=convener.secretary_b)) == [decision]  # B was invited: sees it
    assert list(open_decisions(user=convener.world.member)) == []

    with pytest.raises(PermissionDenied):
        joint_decision_follow_up(actor=convener.secretary_b, decision=decision, status="in_progress")
    joint_decision_follow_up(
        actor=convener.secretary_a, decision=decision, status="in_progress", note="已收集 5 家"
    )
    done = joint_decision_follow_up(
        actor=convener.secretary_a, decision=decision, status="done", note="清单已发布"
    )
    assert done.status == DecisionStatus.DONE and done.done_at is not None
    assert "已收集 5 家" in done.follow_up and "清单已发布" in done.follow_up
    assert list(open_decisions(user=convener.platform_admin)) == []  # shown until done


def test_a_meeting_in_the_future_cannot_be_recorded_as_held_and_a_held_one_not_cancelled(convener) -> None:
    later = _meeting(convener, starts_at=timezone.now() + timedelta(days=10))
    with pytest.raises(ValidationError) as refused:
        joint_meeting_record(actor=convener.platform_admin, meeting=later, minutes="x", attended={})
    assert refused.value.code == "not_held"
    joint_meeting_cancel(actor=convener.platform_admin, meeting=later, reason="改期")
    held = joint_meeting_record(
        actor=convener.platform_admin, meeting=_meeting(convener), minutes="x", attended={}
    )
    with pytest.raises(ValidationError) as not_planned:
        joint_meeting_cancel(actor=convener.platform_admin, meeting=held, reason="x")
    assert not_planned.value.code == "not_planned"


def test_meetings_and_decisions_are_404_for_people_not_concerned(convener) -> None:
    meeting = _meeting(convener)
    assert access_joint_meeting(user=convener.secretary_b, pk=meeting.pk) == meeting
    with pytest.raises(Http404):
        access_joint_meeting(user=convener.world.member, pk=meeting.pk)
    with pytest.raises(Http404):
        access_joint_meeting(user=convener.secretary_a, pk=meeting.pk, manage=True)
    decision = joint_decision_save(
        actor=convener.platform_admin,
        meeting=meeting,
        decision=JointDecision(content="事项", owner=convener.world.worker_a, due_on=date(2027, 1, 1)),
    )
    assert access_decision(user=convener.world.worker_a, pk=decision.pk, manage=True) == decision
    with pytest.raises(Http404):
        access_decision(user=convener.secretary_b, pk=decision.pk, manage=True)


def test_the_year_is_flagged_when_none_is_held_or_more_than_two_are_planned(convener) -> None:
    assert joint_year_status(year=2025, today=date(2026, 1, 5)).flagged  # none held, the year is over
    assert "尚未计划" in joint_year_status(year=2026, today=date(2026, 3, 1)).reasons[0]
    _meeting(convener, starts_at=local(2026, 5, 10))
    assert not joint_year_status(year=2026, today=date(2026, 3, 1)).flagged
    _meeting(convener, starts_at=local(2026, 9, 10))
    assert not joint_year_status(year=2026, today=date(2026, 3, 1)).flagged
    _meeting(convener, starts_at=local(2026, 11, 10))
    status = joint_year_status(year=2026, today=date(2026, 3, 1))
    assert status.flagged and "超过每年 2 次" in status.reasons[0]
    # planned but never held: flagged once the year is over
    assert joint_year_status(year=2026, today=date(2027, 1, 2)).reasons[0].startswith("2026年未召开")
