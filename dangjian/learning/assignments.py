"""Required courses (issue 11 §5): HQ, a station or an organisation assigns a published course with a
deadline to organisations (their members), roles (their holders: at the assigning station, or at every
station when HQ assigns) or people. Instructor training (§5.4.1) is HQ's assignment of a course to every
instructor; each instructor's record of it is `selectors.training_record`.

The learners are resolved when the course is assigned and kept as rows with their organisation at that
time, so completion rates per organisation and station, reminders and "my courses" read one table; someone
who joins an organisation later is assigned by a new assignment (docs/learning.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django_scopes import scopes_disabled

from dangjian.accounts.models import Role, User
from dangjian.accounts.permissions import role_holders
from dangjian.core import notifications
from dangjian.core.audit import record_event
from dangjian.learning.models import (
    Assignment,
    AssignmentKind,
    AssignmentLearner,
    AssignmentTarget,
    Course,
    CourseCompletion,
)
from dangjian.learning.permissions import learner_station_id

REMINDER_DAYS = (7, 1)  # reminders this many days before the deadline, each once


@transaction.atomic
def assignment_create(
    *,
    actor: User,
    course: Course,
    deadline: date,
    station: Any,
    organizations: Iterable[Any] = (),
    roles: Iterable[str] = (),
    people: Iterable[User] = (),
    kind: str = AssignmentKind.REQUIRED,
    by_organization: Any = None,
    note: str = "",
) -> Assignment:
    """Assign `course` from `station` (or, with `by_organization`, from that organisation) and tell each
    learner. Every target must be one the actor may assign to."""
    organizations, roles, people = list(organizations), list(roles), list(people)
    _check(
        actor,
        course=course,
        deadline=deadline,
        kind=kind,
        targets=len(organizations) + len(roles) + len(people),
    )
    _authorise_targets(actor, station=station, organizations=organizations, roles=roles, people=people)
    if by_organization is not None and not actor.has_perm("learning.assign_organization", by_organization):
        raise PermissionDenied
    assignment = Assignment.objects.create(
        station=station,
        organization=by_organization,
        course=course,
        kind=kind,
        deadline=deadline,
        note=(note or "").strip()[:300],
        assigned_by=actor,
    )
    AssignmentTarget.objects.bulk_create(
        [AssignmentTarget(assignment=assignment, organization=o) for o in organizations]
        + [AssignmentTarget(assignment=assignment, role=r) for r in roles]
        + [AssignmentTarget(assignment=assignment, person=p) for p in people]
    )
    learners = _resolve(assignment, organizations=organizations, roles=roles, people=people)
    with scopes_disabled():
        AssignmentLearner.objects.bulk_create(
            [
                AssignmentLearner(
                    assignment=assignment,
                    user=person,
                    station_id=learner_station_id(person) or station.pk,
                    organization_id=person.organization_id,
                )
                for person in learners
            ]
        )
    record_event(
        actor=actor,
        action="learning.assignment.create",
        target=assignment,
        station=station,
        data={"course": course.pk, "deadline": deadline.isoformat(), "learners": len(learners), "kind": kind},
    )
    notifications.notify(
        recipients=learners,
        title=f"学习任务：{course.title}",
        body=f"请于 {deadline:%Y年%m月%d日} 前学完课程《{course.title}》。",
        station=station,
    )
    return assignment


def _check(actor: User, *, course: Course, deadline: date, kind: str, targets: int) -> None:
    if not actor.has_perm("learning.study", course):
        raise ValidationError("只能布置已发布的课程", code="course_unpublished")
    if kind not in AssignmentKind.values:
        raise ValidationError("请选择任务类别", code="bad_kind")
    if kind == AssignmentKind.TRAINING and not actor.has_perm("learning.assign_training"):
        raise PermissionDenied("指导员培训由总站布置")
    if not isinstance(deadline, date) or deadline < timezone.localdate():
        raise ValidationError("完成期限不能早于今天", code="bad_deadline")
    if not targets:
        raise ValidationError("请至少选择一个党组织、角色或人员", code="no_targets")


def _authorise_targets(
    actor: User, *, station: Any, organizations: list[Any], roles: list[str], people: list[User]
) -> None:
    if any(not actor.has_perm("learning.assign_organization", o) for o in organizations):
        raise PermissionDenied
    if roles and not actor.has_perm("learning.assign_role", station):
        raise PermissionDenied
    if any(role not in Role.values for role in roles):
        raise ValidationError("角色不存在", code="bad_role")
    if any(not actor.has_perm("learning.assign_person", p) for p in people):
        raise PermissionDenied


def _resolve(
    assignment: Assignment, *, organizations: list[Any], roles: list[str], people: list[User]
) -> list[User]:
    """Each learner once: the active people of the organisations, the holders of the roles (at the
    assigning station, or anywhere when it is HQ), and the people named."""
    found: dict[int, User] = {}
    if organizations:
        for person in User.objects.filter(organization__in=organizations, is_active=True).select_related(
            "organization"
        ):
            found[person.pk] = person
    station_id = None if assignment.station.is_hq else assignment.station_id
    for role in roles:
        for person in role_holders(role, station_id=station_id).select_related("organization"):
            found[person.pk] = person
    for person in people:
        if person.is_active:
            found[person.pk] = person
    return sorted(found.values(), key=lambda p: p.pk)


# ---------------------------------------------------------------- completion rates


def with_completion(learners: QuerySet[AssignmentLearner]) -> QuerySet[AssignmentLearner]:
    """Learner rows marked `done` (the course completed) and `on_time` (by the deadline, Shanghai time)."""
    completions = CourseCompletion.objects.filter(
        user=OuterRef("user_id"), course=OuterRef("assignment__course_id")
    )
    return learners.annotate(
        done=Exists(completions),
        on_time=Exists(completions.filter(completed_at__date__lte=OuterRef("assignment__deadline"))),
    )


@dataclass(frozen=True)
class Rate:
    key: int | None
    label: str
    assigned: int
    completed: int
    on_time: int

    @property
    def percent(self) -> Decimal:
        """Completed of assigned, in percent to one decimal (half up)."""
        if not self.assigned:
            return Decimal("0.0")
        return (Decimal(self.completed * 100) / self.assigned).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def completion_rates(learners: QuerySet[AssignmentLearner], *, by: str) -> list[Rate]:
    """Rates of `learners` grouped `by` "organization" or "station" (one query), largest group first."""
    if by not in ("organization", "station"):
        raise ValueError(by)
    rows = (
        with_completion(learners)
        .order_by()
        .values(f"{by}_id", f"{by}__name")
        .annotate(
            assigned=Count("pk"),
            completed=Count("pk", filter=Q(done=True)),
            on_time=Count("pk", filter=Q(on_time=True)),
        )
    )
    rates = [
        Rate(r[f"{by}_id"], r[f"{by}__name"] or "未加入党组织", r["assigned"], r["completed"], r["on_time"])
        for r in rows
    ]
    return sorted(rates, key=lambda r: (-r.assigned, r.label))


# ---------------------------------------------------------------- reminders


def reminder_stage(days_left: int) -> int | None:
    """The reminder due `days_left` days before a deadline: the smallest of REMINDER_DAYS not below it."""
    if days_left < 0:
        return None
    due = [d for d in REMINDER_DAYS if d >= days_left]
    return min(due) if due else None


def remind_due_assignments(today: date | None = None) -> int:
    """Tell learners who have not completed an assigned course 7 days and 1 day before its deadline, each
    reminder once. Returns how many were sent."""
    today = today or timezone.localdate()
    horizon = date.fromordinal(today.toordinal() + max(REMINDER_DAYS))
    sent = 0
    with scopes_disabled(), transaction.atomic():
        due = (
            with_completion(AssignmentLearner.objects.filter(assignment__deadline__range=(today, horizon)))  # type: ignore[misc]
            .filter(done=False)
            .select_for_update(of=("self",))
            .select_related("assignment__course", "assignment__station", "user")
        )
        for row in due:
            stage = reminder_stage((row.assignment.deadline - today).days)
            if stage is None or (row.reminded_days is not None and row.reminded_days <= stage):
                continue
            course = row.assignment.course
            notifications.notify(
                recipients=[row.user],
                title=f"学习任务即将截止：{course.title}",
                body=f"课程《{course.title}》须于 {row.assignment.deadline:%Y年%m月%d日} 前学完，请抓紧学习。",
                station=row.assignment.station,
            )
            AssignmentLearner.objects.filter(pk=row.pk).update(reminded_days=stage)
            sent += 1
    return sent
