import pytest

from dangjian.accounts.models import PersonKind, Role
from tests import factories as f
from tests.learning.builders import draft_course, publish


@pytest.fixture
def lw(world):
    """The world plus instructors of A and HQ, a second member of org_a and a member of org_b."""
    world.instructor_a = f.UserFactory(username="instructor_a", home_station=world.a)
    f.grant(world.instructor_a, Role.INSTRUCTOR, world.a)
    world.instructor_b = f.UserFactory(username="instructor_b", home_station=world.b)
    f.grant(world.instructor_b, Role.INSTRUCTOR, world.b)
    world.member.home_station = world.a
    world.member.save()
    world.member2 = f.UserFactory(
        username="member2", person_kind=PersonKind.MEMBER, organization=world.org_a, home_station=world.a
    )
    world.member_b = f.UserFactory(
        username="member_b", person_kind=PersonKind.MEMBER, organization=world.org_b, home_station=world.b
    )
    return world


@pytest.fixture
def course(lw):
    """A published course of A: a 600 s video and a 3-page document, no quiz."""
    return publish(lw, draft_course(lw))
