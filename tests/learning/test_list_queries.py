"""Every learning and courseware list page reads the same number of queries however many rows it shows
(DESIGN.md: constant queries on every list): the catalogue and the staff course list as courses grow, my
learning as assignments grow, the leaderboards as learners grow, the assignment list and an assignment's
completion page as assignments and learners grow, and the courseware lists (tests/courseware/test_list_queries.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import PersonKind
from dangjian.learning.assignments import assignment_create
from tests import factories as f
from tests.learning.builders import draft_course, finish, publish
from tests.queries import get_query_count

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assert_constant(client: Client, url: str, grow: Callable[[int], None], *, shows: str) -> None:
    """The page's queries with a few rows equal those with several times as many; the last row grown shows."""
    grow(1)
    few = get_query_count(client, url)
    grow(4)
    response = client.get(url)
    assert response.status_code == 200 and shows in response.content.decode()
    assert get_query_count(client, url) == few


class Grower:
    """Numbered courses, assignments and learners of station A, made through the services."""

    def __init__(self, world: Any) -> None:
        self.world, self.made, self.learned = world, 0, 0

    def courses(self, count: int) -> list[Any]:
        built = []
        for _ in range(count):
            self.made += 1
            built.append(publish(self.world, draft_course(self.world, title=f"党史专题第{self.made}讲")))
        return built

    def assignments(self, count: int, **targets: Any) -> None:
        for course in self.courses(count):
            assignment_create(
                actor=self.world.own_admin,
                course=course.course,
                deadline=timezone.localdate() + timedelta(days=10 + self.made),
                station=self.world.a,
                **(targets or {"people": [self.world.member]}),
            )

    def learners(self, count: int, course: Any) -> None:
        for _ in range(count):
            self.learned += 1
            learner = f.UserFactory(
                username=f"learner_{self.learned}",
                real_name=f"学员{self.learned}号",
                person_kind=PersonKind.MEMBER,
                organization=self.world.org_a,
                home_station=self.world.a,
            )
            finish(learner, course, start=0)


@pytest.fixture
def grow(lw) -> Grower:
    return Grower(lw)


def test_the_catalogue(lw, grow) -> None:
    url = reverse("learning:catalogue")
    assert_constant(signed_in(lw.member), url, grow.courses, shows="党史专题第5讲")


def test_the_staff_course_list(lw, grow) -> None:
    url = reverse("learning:manage")
    assert_constant(signed_in(lw.worker_a), url, grow.courses, shows="党史专题第5讲")


def test_my_learning(lw, grow) -> None:
    url = reverse("learning:my_courses")
    assert_constant(signed_in(lw.member), url, grow.assignments, shows="党史专题第5讲")


@pytest.mark.parametrize("board", ["station", "organization"])
def test_the_leaderboards(lw, grow, board: str) -> None:
    course = grow.courses(1)[0]
    url = reverse("learning:leaderboard") + f"?board={board}"
    assert_constant(
        signed_in(lw.member),
        url,
        lambda n: grow.learners(n, course),
        shows="学员1号",  # learners of A and of org_a: on both boards
    )


def test_the_assignment_list(lw, grow) -> None:
    url = reverse("learning:assignments")
    assert_constant(signed_in(lw.own_admin), url, grow.assignments, shows="党史专题第5讲")


def test_an_assignments_completion_page(lw, grow) -> None:
    built = grow.courses(1)[0]
    assignment = assignment_create(
        actor=lw.own_admin,
        course=built.course,
        deadline=timezone.localdate() + timedelta(days=30),
        station=lw.a,
        organizations=[lw.org_a],
    )
    url = reverse("learning:assignment", kwargs={"pk": assignment.pk})
    assert_constant(signed_in(lw.own_admin), url, lambda n: grow.learners(n, built), shows=lw.org_a.name)
