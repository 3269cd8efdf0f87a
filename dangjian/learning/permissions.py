"""Who may do what in remote learning (DB3212/T 1124 §6.3 远程学习, §5.4.1, §5.5).

- A station's admins and party-affairs workers write its courses (HQ grants reach every branch); an
  instructor of exactly that station reviews them (§5.5, never their own). A published course is one row
  that everyone signed in may study, at every station (1+N).
- Learning records are the learner's: they, the secretary and officers of their organisation, and the
  admins, workers and instructors of their station (HQ: all) see them.
- Required courses are assigned by an organisation's secretary or officers to its members, by a station's
  admins and workers to its organisations, roles and people; instructor training (§5.4.1) only by HQ.

Role look-ups are the predicates of `dangjian.accounts.permissions` (the one visibility authority).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import rules

from dangjian.accounts.permissions import (
    is_any_instructor,
    is_any_officer,
    is_any_station_admin,
    is_any_worker,
    is_authenticated,
    is_hq_admin,
    is_instructor_at,
    is_instructor_of,
    is_officer_of,
    is_platform_admin,
    is_self,
    is_station_admin_of,
    is_worker_of,
)
from dangjian.core.workflow import ReviewStatus


def learner_station_id(person: Any) -> int | None:
    """The station a learner belongs to: their home station, else their organisation's station."""
    station_id = getattr(person, "home_station_id", None)
    if station_id is None and getattr(person, "organization_id", None):
        station_id = person.organization.station_id
    return station_id


def _at_station_of(person: Any) -> SimpleNamespace:
    return SimpleNamespace(station_id=learner_station_id(person))


@rules.predicate
def is_published_course(user: Any, course: Any) -> bool:
    return getattr(course, "status", None) == ReviewStatus.PUBLISHED


@rules.predicate
def keeps_learner(user: Any, person: Any) -> bool:
    """The officers of the person's organisation; the admins, workers and instructors of their station."""
    if person is None:
        return False
    if getattr(person, "organization_id", None) and is_officer_of(user, person.organization):
        return True
    station = _at_station_of(person)
    return bool(
        is_station_admin_of(user, station) or is_worker_of(user, station) or is_instructor_of(user, station)
    )


@rules.predicate
def governs_learner_station(user: Any, person: Any) -> bool:
    station = _at_station_of(person)
    return bool(is_station_admin_of(user, station) or is_worker_of(user, station))


@rules.predicate
def assigns_for_organization_of(user: Any, person: Any) -> bool:
    return bool(getattr(person, "organization_id", None)) and bool(is_officer_of(user, person.organization))


@rules.predicate
def keeps_assignment(user: Any, assignment: Any) -> bool:
    """The assigning station's admins and workers; the assigning organisation's secretary and officers."""
    if is_station_admin_of(user, assignment) or is_worker_of(user, assignment):
        return True
    return assignment.organization_id is not None and bool(is_officer_of(user, assignment.organization))


@rules.predicate
def is_station_admin_of_learner(user: Any, person: Any) -> bool:
    return bool(is_station_admin_of(user, _at_station_of(person)))


can_author = is_station_admin_of | is_worker_of  # obj: a station or a course

rules.add_perm("learning.add_course", can_author)  # obj: the station
rules.add_perm(
    "learning.change_course", can_author
)  # obj: a course — edit, lessons, questions, quizzes, submit
rules.add_perm("learning.review_course", is_instructor_at)  # obj: a course
rules.add_perm("learning.withdraw_course", is_station_admin_of | is_instructor_at)  # obj: a course
rules.add_perm("learning.view_course", can_author | is_instructor_of | is_published_course)  # obj: a course
rules.add_perm("learning.study", is_authenticated & is_published_course)  # obj: a course
rules.add_perm("learning.view_learner", is_self | keeps_learner)  # obj: a person — records, hours
rules.add_perm("learning.assign_organization", is_officer_of | can_author)  # obj: an organisation
rules.add_perm("learning.assign_role", can_author)  # obj: the station whose role holders are assigned
rules.add_perm(
    "learning.assign_person", governs_learner_station | assigns_for_organization_of
)  # obj: a person
rules.add_perm("learning.assign_training", is_platform_admin | is_hq_admin)  # instructor training, §5.4.1
rules.add_perm("learning.view_assignment", keeps_assignment)  # obj: an assignment — rates
rules.add_perm(
    "learning.view_organization_progress", is_officer_of | can_author | is_instructor_of
)  # obj: an organisation
rules.add_perm(
    "learning.view_training_record", is_self | is_platform_admin | is_hq_admin | is_station_admin_of_learner
)  # obj: an instructor

# Who sees 远程学习管理 in the management menu (no object): authors, reviewers, assigning officers.
ENTER_MANAGEMENT = "learning.enter_management"
rules.add_perm(ENTER_MANAGEMENT, is_any_station_admin | is_any_worker | is_any_instructor | is_any_officer)
