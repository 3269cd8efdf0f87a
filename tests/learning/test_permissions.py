"""Who sees what, role by role (anonymous, resident, members of A and B, A's worker, officer, instructor,
B's admin and instructor, A's admin, HQ): drafts, published courses, a learner's records, an
organisation's progress, and personal records only inside a scope."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django_scopes import scopes_disabled
from django_scopes.exceptions import ScopeError

from dangjian.learning import selectors
from dangjian.learning.models import LessonProgress
from dangjian.learning.progress import lesson_open
from tests.learning.builders import at, draft_course

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "resident",
    "member",
    "member_b",
    "worker_a",
    "officer_a",
    "instructor_a",
    "instructor_b",
    "other_admin",
    "own_admin",
    "hq_admin",
]
SEES_DRAFT = {"worker_a", "instructor_a", "own_admin", "hq_admin"}
SEES_PUBLISHED = set(ROLES) - {"anonymous"}
KEEPS_MEMBER = {"member", "worker_a", "officer_a", "instructor_a", "own_admin", "hq_admin"}
ORG_PROGRESS = {"worker_a", "officer_a", "instructor_a", "own_admin", "hq_admin"}


def actor(lw, role):
    return AnonymousUser() if role == "anonymous" else getattr(lw, role)


def visible(call) -> bool:
    try:
        call()
    except Http404:
        return False
    return True


@pytest.mark.parametrize("role", ROLES)
def test_drafts_for_their_station_published_for_everyone_signed_in(lw, course, role) -> None:
    draft = draft_course(lw, title="草稿课程").course
    user = actor(lw, role)
    assert visible(lambda: selectors.access_course(user=user, pk=draft.pk)) is (role in SEES_DRAFT)
    assert visible(lambda: selectors.access_course(user=user, pk=course.course.pk)) is (
        role in SEES_PUBLISHED
    )


@pytest.mark.parametrize("role", ROLES)
def test_a_members_records_and_their_organisations_progress(lw, role) -> None:
    user = actor(lw, role)
    assert visible(lambda: selectors.learner_year(user=user, person=lw.member, year=2026)) is (
        role in KEEPS_MEMBER
    )
    assert visible(lambda: selectors.organization_rates(user=user, organization=lw.org_a)) is (
        role in ORG_PROGRESS
    )


def test_progress_rows_are_read_only_inside_a_scope(lw, course) -> None:
    lesson_open(actor=lw.member, lesson=course.video, now=at(0))
    with pytest.raises(ScopeError):
        list(LessonProgress.objects.all())
    with selectors.viewer_scope(lw.member_b):
        assert not LessonProgress.objects.filter(user=lw.member).exists()  # another station's learner
    with selectors.viewer_scope(lw.worker_a):
        assert LessonProgress.objects.filter(user=lw.member).count() == 1
    with scopes_disabled():
        assert LessonProgress.objects.count() == 1


def test_attempts_are_the_persons_own(lw, course) -> None:
    with pytest.raises(Http404):
        selectors.access_attempt(user=AnonymousUser(), pk=1)
    with selectors.viewer_scope(lw.member), pytest.raises(Http404):
        selectors.access_attempt(user=lw.member, pk=999)
