"""Work-page cards (issue 11 §7): my assigned courses and the nearest deadline, my 学时 against the target,
and for officers their organisation's completion; a constant number of queries whatever the data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.core.workcards import work_page_for
from dangjian.learning.assignments import assignment_create
from tests.learning.builders import draft_course, finish, publish

pytestmark = pytest.mark.django_db


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_the_cards_of_a_member_and_an_officer(lw, course) -> None:
    deadline = timezone.localdate() + timedelta(days=5)
    assignment_create(
        actor=lw.own_admin, course=course.course, deadline=deadline, station=lw.a, organizations=[lw.org_a]
    )
    page = work_page_for(fresh(lw.member))
    assigned = page.card("learning.assigned")
    assert (
        assigned is not None and assigned.count == 1 and assigned.note == f"最近截止：{deadline:%Y年%m月%d日}"
    )
    hours = page.card("learning.hours")
    assert hours is not None and hours.note == f"{timezone.localdate().year}年 0.00 / 50.00 学时，积分 0"
    officer = work_page_for(fresh(lw.officer_a)).card("learning.organization")
    assert officer is not None and (officer.count, officer.note) == (2, "完成率 0%（0/2）")
    assert work_page_for(fresh(lw.member_b)).card("learning.assigned") is None  # nothing assigned
    assert work_page_for(fresh(lw.resident)).card("learning.hours") is None


def test_a_completed_course_leaves_the_cards(lw, course) -> None:
    deadline = timezone.localdate() + timedelta(days=5)
    assignment_create(
        actor=lw.own_admin, course=course.course, deadline=deadline, station=lw.a, people=[lw.member]
    )
    finish(lw.member, course, start=0)
    assert work_page_for(fresh(lw.member)).card("learning.assigned") is None


def test_the_cards_ask_a_constant_number_of_queries(lw) -> None:
    deadline = timezone.localdate() + timedelta(days=5)

    def measured() -> int:
        with CaptureQueriesContext(connection) as queries:
            work_page_for(fresh(lw.officer_a))
            work_page_for(fresh(lw.member))
        return len(queries)

    first = publish(lw, draft_course(lw, title="课程一"))
    assignment_create(
        actor=lw.own_admin, course=first.course, deadline=deadline, station=lw.a, organizations=[lw.org_a]
    )
    before = measured()
    for title in ("课程二", "课程三"):
        built = publish(lw, draft_course(lw, title=title))
        assignment_create(
            actor=lw.own_admin, course=built.course, deadline=deadline, station=lw.a, organizations=[lw.org_a]
        )
    finish(lw.member2, first, start=0)
    assert measured() == before
