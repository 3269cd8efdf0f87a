"""Assignments, 学时 and completion rates against a hand-computed fixture (issue 11 §5, acceptance).

Three published courses of station A (length = video + 3 pages × 10 s):
  C1  1770 s video → 30 min → 1.00 学时, with an exam → +0.50 when passed
  C2   870 s video → 15 min → 0.50 学时
  C3   270 s video →  5 min → 0.25 学时
Completed: member C1 (exam passed), C2, C3 → 2.25 学时; member2 C2 → 0.50; member_b (station B) C3 → 0.25.
Assignments: HQ assigns C2 to org_a and org_b → org_a 2 of 2 (100.0%), org_b 0 of 1 (0.0%);
A's worker assigns C3 to org_a → 1 of 2 (50.0%).
Points of member: 2 lessons × 3 courses × 1 + exam 2 + 3 courses × 5 = 23.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.core.models import Notification
from dangjian.learning import selectors
from dangjian.learning.assignments import assignment_create, remind_due_assignments, reminder_stage
from dangjian.learning.models import AssignmentKind, AssignmentLearner
from tests import factories as f
from tests.learning.builders import add_exam, draft_course, finish, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def fx(lw):
    c1 = draft_course(lw, title="党章学习", video_seconds=1770)
    add_exam(lw, c1, draw=4, pass_percent=100)
    c1, c2, c3 = (
        publish(lw, c1),
        publish(lw, draft_course(lw, title="党史专题", video_seconds=870)),
        publish(lw, draft_course(lw, title="廉政教育", video_seconds=270)),
    )
    deadline = timezone.localdate() + timedelta(days=30)
    lw.hq_assignment = assignment_create(
        actor=lw.hq_admin,
        course=c2.course,
        deadline=deadline,
        station=lw.hq,
        organizations=[lw.org_a, lw.org_b],
    )
    lw.a_assignment = assignment_create(
        actor=lw.worker_a, course=c3.course, deadline=deadline, station=lw.a, organizations=[lw.org_a]
    )
    now = 0.0
    for built in (c1, c2, c3):
        now = finish(lw.member, built, start=now + 100)
    finish(lw.member2, c2, start=now + 100)
    finish(lw.member_b, c3, start=now + 100)
    lw.courses = (c1, c2, c3)
    return lw


def test_credit_hours_per_member_match_the_hand_computed_totals(fx) -> None:
    summary = selectors.year_summary(fx.member, 2026)
    assert (summary.hours, summary.target, summary.courses, summary.points) == (
        Decimal("2.25"),
        Decimal("50.00"),
        3,
        23,
    )
    assert summary.percent == 4
    assert selectors.year_summary(fx.member2, 2026).hours == Decimal("0.50")
    assert selectors.year_summary(fx.member_b, 2026).hours == Decimal("0.25")
    assert selectors.year_summary(fx.instructor_a, 2026).target == Decimal("60.00")  # the instructors' target
    rows = {
        row.person.username: (row.hours, row.met)
        for row in selectors.organization_year(user=fx.officer_a, organization=fx.org_a, year=2026)
    }
    assert rows == {"member": (Decimal("2.25"), False), "member2": (Decimal("0.50"), False)}


def test_completion_rates_per_organisation_and_station_match_the_fixture(fx) -> None:
    by_org = {
        r.label: (r.assigned, r.completed, r.on_time, r.percent)
        for r in selectors.assignment_rates(user=fx.hq_admin, assignment=fx.hq_assignment, by="organization")
    }
    assert by_org == {fx.org_a.name: (2, 2, 2, Decimal("100.0")), fx.org_b.name: (1, 0, 0, Decimal("0.0"))}
    by_station = {
        r.key: (r.assigned, r.completed)
        for r in selectors.assignment_rates(user=fx.hq_admin, assignment=fx.hq_assignment, by="station")
    }
    assert by_station == {fx.a.pk: (2, 2), fx.b.pk: (1, 0)}
    rate = selectors.organization_rates(user=fx.officer_a, organization=fx.org_a)
    assert (rate.assigned, rate.completed, rate.percent) == (
        4,
        3,
        Decimal("75.0"),
    )  # both assignments of org_a
    a_only = selectors.assignment_rates(user=fx.worker_a, assignment=fx.a_assignment, by="organization")
    assert [(r.assigned, r.completed, r.percent) for r in a_only] == [(2, 1, Decimal("50.0"))]


def test_leaderboards_per_station_and_organisation(fx) -> None:
    station = selectors.leaderboard(station_id=fx.a.pk, year=2026)
    assert [(s.rank, s.user_id, s.hours) for s in station] == [
        (1, fx.member.pk, Decimal("2.25")),
        (2, fx.member2.pk, Decimal("0.50")),
    ]
    assert station[0].points == 23
    assert [s.user_id for s in selectors.leaderboard(organization_id=fx.org_b.pk, year=2026)] == [
        fx.member_b.pk
    ]
    assert selectors.leaderboard(station_id=fx.a.pk, year=2025) == []


def test_my_assigned_courses_leave_out_what_i_completed(fx) -> None:
    assert selectors.my_assignments(fx.member) == []
    assert [row.assignment.course.title for row in selectors.my_assignments(fx.member2)] == ["廉政教育"]


def test_who_may_see_the_rates_of_an_assignment(fx) -> None:
    for outsider in (fx.member, fx.other_admin, fx.officer_a):
        with pytest.raises(Http404):
            selectors.access_assignment(user=outsider, pk=fx.hq_assignment.pk)
    assert selectors.access_assignment(user=fx.worker_a, pk=fx.a_assignment.pk) == fx.a_assignment
    with pytest.raises(Http404):
        selectors.organization_rates(user=fx.member, organization=fx.org_a)
    with pytest.raises(Http404):
        selectors.organization_year(user=fx.other_admin, organization=fx.org_a, year=2026)


def test_an_officer_assigns_to_their_own_organisation_only(lw, course) -> None:
    deadline = timezone.localdate() + timedelta(days=7)
    with pytest.raises(PermissionDenied):
        assignment_create(
            actor=lw.officer_a,
            course=course.course,
            deadline=deadline,
            station=lw.a,
            organizations=[lw.org_b],
        )
    with pytest.raises(PermissionDenied):
        assignment_create(
            actor=lw.officer_a, course=course.course, deadline=deadline, station=lw.a, roles=["instructor"]
        )
    with pytest.raises(PermissionDenied):
        assignment_create(
            actor=lw.other_admin, course=course.course, deadline=deadline, station=lw.a, people=[lw.member]
        )
    done = assignment_create(
        actor=lw.officer_a,
        course=course.course,
        deadline=deadline,
        station=lw.a,
        organizations=[lw.org_a],
        by_organization=lw.org_a,
    )
    with scopes_disabled():
        assert set(
            AssignmentLearner.objects.filter(assignment=done).values_list("user__username", flat=True)
        ) == {"member", "member2"}
    assert selectors.access_assignment(user=lw.officer_a, pk=done.pk) == done


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"deadline": -1}, "bad_deadline"),
        ({"organizations": []}, "no_targets"),
        ({"kind": "other"}, "bad_kind"),
        ({"roles": ["boss"]}, "bad_role"),
    ],
)
def test_bad_assignments_are_refused(lw, course, change, code) -> None:
    arguments = {
        "deadline": timezone.localdate() + timedelta(days=3),
        "organizations": [lw.org_a],
        "kind": AssignmentKind.REQUIRED,
    }
    if change.get("deadline") == -1:
        change = {"deadline": timezone.localdate() - timedelta(days=1)}
    arguments.update(change)
    with pytest.raises(ValidationError) as refused:
        assignment_create(actor=lw.own_admin, course=course.course, station=lw.a, **arguments)
    assert refused.value.code == code


def test_a_draft_course_is_not_assigned(lw) -> None:
    built = draft_course(lw)
    with pytest.raises(ValidationError) as refused:
        assignment_create(
            actor=lw.own_admin,
            course=built.course,
            deadline=timezone.localdate(),
            station=lw.a,
            organizations=[lw.org_a],
        )
    assert refused.value.code == "course_unpublished"


def test_instructor_training_is_assigned_by_hq_to_every_instructor_with_a_record_each(lw, course) -> None:
    deadline = timezone.localdate() + timedelta(days=60)
    with pytest.raises(PermissionDenied):
        assignment_create(
            actor=lw.own_admin,
            course=course.course,
            deadline=deadline,
            station=lw.a,
            roles=["instructor"],
            kind=AssignmentKind.TRAINING,
        )
    hq_instructor = f.UserFactory(username="hq_instructor", home_station=lw.hq)
    f.grant(hq_instructor, "instructor", lw.hq)
    training = assignment_create(
        actor=lw.hq_admin,
        course=course.course,
        deadline=deadline,
        station=lw.hq,
        roles=["instructor"],
        kind=AssignmentKind.TRAINING,
    )
    with scopes_disabled():
        reached = set(
            AssignmentLearner.objects.filter(assignment=training).values_list("user__username", flat=True)
        )
    assert reached == {"instructor_a", "instructor_b", "hq_instructor"}
    finish(lw.instructor_a, course, start=0)
    record = selectors.training_record(user=lw.hq_admin, instructor=lw.instructor_a)
    assert [(r.assignment.pk, r.credit_hours, r.overdue) for r in record] == [
        (training.pk, Decimal("0.25"), False)
    ]
    assert selectors.training_record(user=lw.instructor_b, instructor=lw.instructor_b)[0].completed_at is None
    for outsider in (lw.instructor_b, lw.member, lw.other_admin):
        with pytest.raises(Http404):
            selectors.training_record(user=outsider, instructor=lw.instructor_a)


def test_reminders_seven_days_and_one_day_before_each_once(
    lw, course, django_capture_on_commit_callbacks
) -> None:
    today = timezone.localdate()
    assignment_create(
        actor=lw.own_admin,
        course=course.course,
        deadline=today + timedelta(days=10),
        station=lw.a,
        people=[lw.member, lw.member2],
    )
    finish(lw.member2, course, start=0)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_due_assignments(today) == 0
        assert remind_due_assignments(today + timedelta(days=3)) == 1  # 7 days left; member2 is done
        assert remind_due_assignments(today + timedelta(days=4)) == 0  # once
        assert remind_due_assignments(today + timedelta(days=9)) == 1  # 1 day left
        assert remind_due_assignments(today + timedelta(days=11)) == 0  # past the deadline
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["member", "member"]
    assert [reminder_stage(d) for d in (-1, 0, 1, 2, 7, 8)] == [None, 1, 1, 7, 7, None]
