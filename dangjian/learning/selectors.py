"""Reads of remote learning. Courses: published ones are visible to everyone signed in at every station
(1+N); drafts to the station's authors and instructors. Learning records are personal data: reads run
inside `viewer_scope(user)` (django-scopes) and are narrowed to what the person may see.

`access_<thing>(*, user, pk, manage=False)` fetches and authorises in one step: missing and forbidden are
the same 404, on pages and in the API alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from dangjian.accounts import permissions as visibility
from dangjian.accounts.models import Role, User
from dangjian.core.access import fetch_or_404
from dangjian.core.figures import Figures, grouped, merge
from dangjian.core.workflow import ReviewStatus
from dangjian.learning.assignments import Rate, completion_rates, with_completion
from dangjian.learning.completion import rule_in_force
from dangjian.learning.credit_rules import yearly_target
from dangjian.learning.models import (
    Assignment,
    AssignmentKind,
    AssignmentLearner,
    Course,
    CourseCompletion,
    Lesson,
    PointEntry,
    Quiz,
    QuizAttempt,
)
from dangjian.learning.permissions import learner_station_id

AUTHOR_ROLES = (Role.STATION_ADMIN, Role.WORKER)
KEEPER_ROLES = (Role.STATION_ADMIN, Role.WORKER, Role.INSTRUCTOR)


# ---------------------------------------------------------------- scope of personal data


def viewer_station_ids(user: Any) -> set[int] | None:
    """Stations whose learning records the user may read at all (None: every station)."""
    own = learner_station_id(user) if getattr(user, "is_authenticated", False) else None
    return visibility.scope_station_ids(user, KEEPER_ROLES, also={own} if own else set())


@contextmanager
def viewer_scope(user: Any) -> Iterator[None]:
    station_ids = viewer_station_ids(user)
    if station_ids is None:
        with scopes_disabled():
            yield
    else:
        with scope(station=sorted(station_ids)):
            yield


# ---------------------------------------------------------------- courses


def visible_courses(user: Any) -> QuerySet[Course]:
    """Published courses for everyone signed in; any state of the courses the user writes or reviews."""
    if not getattr(user, "is_authenticated", False):
        return Course.objects.none()
    kept = visibility.station_rows_q(user, (*AUTHOR_ROLES, Role.INSTRUCTOR))
    # the empty Q() of HQ holders means every row; OR-ed with anything it would vanish
    condition = Q(status=ReviewStatus.PUBLISHED) | kept if kept else Q()
    return Course.objects.filter(condition).select_related("station")


def access_course(*, user: Any, pk: Any, manage: bool = False) -> Course:
    course = fetch_or_404(visible_courses(user), pk)
    if not user.has_perm("learning.change_course" if manage else "learning.view_course", course):
        raise Http404
    return course


def access_lesson(*, user: Any, pk: Any) -> Lesson:
    lesson = fetch_or_404(
        Lesson.objects.filter(course__in=visible_courses(user)).select_related("course__station"), pk
    )
    if not user.has_perm("learning.view_course", lesson.course):
        raise Http404
    return lesson


def access_quiz(*, user: Any, pk: Any) -> Quiz:
    quiz = fetch_or_404(Quiz.objects.filter(course__in=visible_courses(user)).select_related("course"), pk)
    if not user.has_perm("learning.view_course", quiz.course):
        raise Http404
    return quiz


def access_attempt(*, user: Any, pk: Any) -> QuizAttempt:
    """One of the person's own attempts (call inside `viewer_scope`)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    return fetch_or_404(QuizAttempt.objects.filter(user_id=user.pk).select_related("quiz__course"), pk)


def access_assignment(*, user: Any, pk: Any) -> Assignment:
    """An assignment the user keeps (its rates and learners)."""
    assignment = fetch_or_404(
        Assignment.objects.filter(visibility.role_rows_q(user, AUTHOR_ROLES)).select_related(
            "course", "station"
        ),
        pk,
    )
    if not user.has_perm("learning.view_assignment", assignment):
        raise Http404
    return assignment


# ---------------------------------------------------------------- hours, targets, points


@dataclass(frozen=True)
class YearSummary:
    year: int
    hours: Decimal
    target: Decimal
    points: int
    courses: int

    @property
    def percent(self) -> int:
        return min(100, int(self.hours * 100 / self.target)) if self.target else 100


def year_summary(person: Any, year: int | None = None) -> YearSummary:
    """A learner's 学时 of the year against their target, with points and courses completed."""
    year = year or timezone.localdate().year
    _, rules = rule_in_force(date(year, 12, 31))
    roles = [role for role in rules.role_targets if visibility.holds_role_anywhere(person, role)]
    with scopes_disabled():  # the person's own rows, by user
        done = CourseCompletion.objects.filter(user=person, year=year).aggregate(
            h=Sum("credit_hours"), n=Count("pk")
        )
        points = PointEntry.objects.filter(user=person, day__year=year).aggregate(p=Sum("points"))["p"]
    return YearSummary(
        year=year,
        hours=done["h"] or Decimal("0.00"),
        target=yearly_target(rules, roles),
        points=int(points or 0),
        courses=int(done["n"] or 0),
    )


def learner_year(*, user: Any, person: Any, year: int | None = None) -> YearSummary:
    """Someone's 学时 of the year, for them, their organisation's officers and their station's keepers."""
    if not user.has_perm("learning.view_learner", person):
        raise Http404
    return year_summary(person, year)


def hours_by_learner(user_ids: Iterable[int], year: int) -> dict[int, Decimal]:
    """{user id: 学时 of the year} for many learners in one query (call inside `viewer_scope`)."""
    rows = (
        CourseCompletion.objects.filter(user_id__in=list(user_ids), year=year)
        .values("user_id")
        .annotate(h=Sum("credit_hours"))
    )
    return {r["user_id"]: r["h"] for r in rows}


@dataclass(frozen=True)
class MemberYear:
    person: User
    hours: Decimal
    target: Decimal

    @property
    def met(self) -> bool:
        return self.hours >= self.target


def organization_year(*, user: Any, organization: Any, year: int) -> list[MemberYear]:
    """Each member of an organisation with their 学时 of the year and target (constant queries: one per
    role that has its own target)."""
    if not user.has_perm("learning.view_organization_progress", organization):
        raise Http404
    people = list(User.objects.filter(organization=organization, is_active=True).order_by("id"))
    _, rules = rule_in_force(date(year, 12, 31))
    holders = {
        role: set(visibility.role_holders(role).values_list("pk", flat=True)) for role in rules.role_targets
    }
    with viewer_scope(user):
        hours = hours_by_learner([p.pk for p in people], year)
    return [
        MemberYear(
            person=p,
            hours=hours.get(p.pk, Decimal("0.00")),
            target=yearly_target(rules, [role for role, ids in holders.items() if p.pk in ids]),
        )
        for p in people
    ]


@dataclass(frozen=True)
class Standing:
    rank: int
    user_id: int
    name: str
    hours: Decimal
    points: int


def leaderboard(
    *, station_id: int | None = None, organization_id: int | None = None, year: int, limit: int = 20
) -> list[Standing]:
    """Learners of a station or an organisation ranked by 学时 of the year, then points (two queries).
    Only names and totals are shown, to the people of that station or organisation."""
    with scopes_disabled():  # totals only; who may see a board is the caller's check
        completions = CourseCompletion.objects.filter(year=year)
        if station_id is not None:
            completions = completions.filter(station_id=station_id)
        if organization_id is not None:
            completions = completions.filter(user__organization_id=organization_id)
        rows = list(
            completions.values("user_id", "user__real_name", "user__username")
            .annotate(h=Sum("credit_hours"))
            .order_by("-h", "user_id")[: limit * 2]
        )
        points = dict(
            PointEntry.objects.filter(user_id__in=[r["user_id"] for r in rows], day__year=year)
            .values("user_id")
            .annotate(p=Sum("points"))
            .values_list("user_id", "p")
        )
    rows.sort(key=lambda r: (-r["h"], -(points.get(r["user_id"]) or 0), r["user_id"]))
    return [
        Standing(
            n,
            r["user_id"],
            r["user__real_name"] or r["user__username"],
            r["h"],
            int(points.get(r["user_id"]) or 0),
        )
        for n, r in enumerate(rows[:limit], start=1)
    ]


# ---------------------------------------------------------------- assignments


def my_assignments(user: Any, *, open_only: bool = True) -> list[AssignmentLearner]:
    """The person's assigned courses, nearest deadline first, each marked `done` (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    with scopes_disabled():  # the person's own rows, by user
        rows = with_completion(AssignmentLearner.objects.filter(user_id=user.pk)).select_related(
            "assignment__course"
        )
        if open_only:
            rows = rows.filter(done=False)  # type: ignore[misc]
        return list(rows.order_by("assignment__deadline", "pk"))


def assignment_rates(*, user: Any, assignment: Assignment, by: str) -> list[Rate]:
    """Completion rates of an assignment the user keeps, per organisation or station (one query)."""
    if not user.has_perm("learning.view_assignment", assignment):
        raise Http404
    with viewer_scope(user):
        return completion_rates(AssignmentLearner.objects.filter(assignment=assignment), by=by)


def organization_rates(*, user: Any, organization: Any, today: date | None = None) -> Rate | None:
    """Completion of the open assignments (deadline today or later) of an organisation's members."""
    if not user.has_perm("learning.view_organization_progress", organization):
        raise Http404
    today = today or timezone.localdate()
    with viewer_scope(user):
        rates = completion_rates(
            AssignmentLearner.objects.filter(organization=organization, assignment__deadline__gte=today),
            by="organization",
        )
    return rates[0] if rates else None


@dataclass(frozen=True)
class TrainingEntry:
    assignment: Assignment
    completed_at: Any
    credit_hours: Decimal | None
    best_percent: int | None

    @property
    def overdue(self) -> bool:
        return self.completed_at is None and self.assignment.deadline < timezone.localdate()


def training_record(*, user: Any, instructor: User) -> list[TrainingEntry]:
    """An instructor's training (§5.4.1): each training course assigned to them, when they completed it,
    the hours and their best quiz result (three queries)."""
    return training_records(user=user, instructors=[instructor])[instructor.pk]


def training_records(*, user: Any, instructors: Sequence[User]) -> dict[int, list[TrainingEntry]]:
    """The training records of several instructors at once, by person id: three queries, however many."""
    if not all(user.has_perm("learning.view_training_record", person) for person in instructors):
        raise Http404
    ids = [person.pk for person in instructors]
    with scopes_disabled():  # these people's rows, authorised above
        rows = list(
            AssignmentLearner.objects.filter(user_id__in=ids, assignment__kind=AssignmentKind.TRAINING)
            .select_related("assignment__course")
            .order_by("assignment__deadline", "pk")
        )
        course_ids = {r.assignment.course_id for r in rows}
        completions = {
            (c.user_id, c.course_id): c
            for c in CourseCompletion.objects.filter(user_id__in=ids, course_id__in=course_ids)
        }
        best: dict[tuple[int, int], int] = {}
        for person_id, course_id, percent in QuizAttempt.objects.filter(
            user_id__in=ids, quiz__course_id__in=course_ids, status="submitted"
        ).values_list("user_id", "quiz__course_id", "percent"):
            best[person_id, course_id] = max(best.get((person_id, course_id), 0), percent)
    records: dict[int, list[TrainingEntry]] = {pk: [] for pk in ids}
    for r in rows:
        key = (r.user_id, r.assignment.course_id)
        completion = completions.get(key)
        records[r.user_id].append(
            TrainingEntry(
                assignment=r.assignment,
                completed_at=getattr(completion, "completed_at", None),
                credit_hours=getattr(completion, "credit_hours", None),
                best_percent=best.get(key),
            )
        )
    return records


# ---------------------------------------------------------------- HQ cockpit figures (dashboards)


def learning_figures(*, year: int) -> Figures:
    """Per station: `learning_hours` (学时 completed this year by its learners), `courses` (published
    courses it offers) and `instructors_trained` (people who completed an instructor-training course
    assigned to them this year, §5.4.1); three queries."""
    with scopes_disabled():  # totals only
        training_courses = AssignmentLearner.objects.filter(
            assignment__kind=AssignmentKind.TRAINING,
            user_id=OuterRef("user_id"),
            assignment__course_id=OuterRef("course_id"),
        )
        completions = CourseCompletion.objects.filter(year=year)
        hours = grouped(completions, learning_hours=Sum("credit_hours"))
        trained = grouped(
            completions.filter(Exists(training_courses)),
            instructors_trained=Count("user_id", distinct=True),
        )
    courses = grouped(Course.objects.filter(status=ReviewStatus.PUBLISHED), courses=Count("pk"))
    return merge(hours, trained, courses)


def hours_by_organization(*, year: int, organization_ids: Iterable[int]) -> dict[int, Decimal]:
    """{organisation id: 学时 its people completed this year}, one query."""
    with scopes_disabled():  # totals only
        rows = (
            CourseCompletion.objects.filter(year=year, user__organization_id__in=list(organization_ids))
            .order_by()
            .values("user__organization_id")
            .annotate(h=Sum("credit_hours"))
        )
        return {row["user__organization_id"]: row["h"] or Decimal("0") for row in rows}


def default_yearly_target(year: int) -> Decimal:
    """The 学时 target of an ordinary learner in `year` (the rule in force on 31 December)."""
    _, rules = rule_in_force(date(year, 12, 31))
    return yearly_target(rules, [])
