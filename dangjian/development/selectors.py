"""Reads of the development pipeline, isolated like member records (`dangjian.members.selectors`).

Candidates are read inside `development_scope(user)` (django-scopes: the stations where the user holds a
station role or an officer role; no restriction for HQ and platform admins) and narrowed by `visible_q`
to their own organisations where their role is an organisation role. Two reads bypass the scope, keyed
by the requester's own id so they can only return the requester's rows: the applicant's own
applications and the candidates a contact person is assigned to.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from dangjian.accounts import permissions as visibility
from dangjian.accounts.models import User
from dangjian.accounts.permissions import ALL_STATIONS
from dangjian.core.access import fetch_or_404
from dangjian.development.models import (
    Candidate,
    CandidatePerson,
    CandidateStatus,
    PersonRole,
    Report,
    ReportKind,
    StepRecord,
)
from dangjian.development.permissions import STATION_ROLES
from dangjian.development.timers import Facts, ReportDue, State, StepState, reports_due, timeline
from dangjian.organizations.models import PartyOrganization

CANDIDATE_RELATED = ("organization", "station", "resident_unit", "user")
DUE_SOON_DAYS = 14


@contextmanager
def development_scope(user: Any) -> Iterator[None]:
    station_ids = visibility.scope_station_ids(user, STATION_ROLES)
    context: AbstractContextManager[None] = (
        scopes_disabled() if station_ids is ALL_STATIONS else scope(station=sorted(station_ids or ()))
    )
    with context:
        yield


def visible_q(
    user: Any, *, organization_field: str = "organization_id", station_field: str = "station_id"
) -> Any:
    return visibility.role_rows_q(
        user, STATION_ROLES, station_field=station_field, organization_field=organization_field
    )


def with_pipeline(candidates: QuerySet[Candidate]) -> QuerySet[Candidate]:
    """Candidates with what their timeline needs: two further queries whatever their number."""
    return candidates.select_related(*CANDIDATE_RELATED).prefetch_related(
        Prefetch("records", queryset=StepRecord.all_objects.all()),
        Prefetch("reports", queryset=Report.all_objects.all()),
        Prefetch("people", queryset=CandidatePerson.all_objects.select_related("user")),
    )


def _related(candidate: Candidate, name: str, model: Any) -> list[Any]:
    """Prefetched rows of a candidate, or read for it (`all_objects`: keyed by a candidate the caller
    already found inside its scope)."""
    cache = getattr(candidate, "_prefetched_objects_cache", {})
    if name in cache:
        return list(cache[name])
    return list(model.all_objects.filter(candidate_id=candidate.pk))


def records_of(candidate: Candidate) -> list[StepRecord]:
    return _related(candidate, "records", StepRecord)


def reports_of(candidate: Candidate) -> list[Report]:
    return _related(candidate, "reports", Report)


def people_of(candidate: Candidate) -> list[CandidatePerson]:
    return _related(candidate, "people", CandidatePerson)


def visible_candidates(user: Any) -> QuerySet[Candidate]:
    """Candidates the user keeps; call inside `development_scope(user)`."""
    if not getattr(user, "is_authenticated", False):
        return Candidate.objects.none()
    return Candidate.objects.filter(visible_q(user)).order_by("organization_id", "applied_on", "id")


def access_candidate(*, user: Any, pk: Any) -> Candidate:
    """A candidate the person keeps; anything else (missing, another organisation's, another station's)
    is the same 404."""
    with development_scope(user):
        candidate = fetch_or_404(with_pipeline(visible_candidates(user)), pk)
    if not user.has_perm("development.view_candidate", candidate):
        raise Http404
    return candidate


def manageable_organizations(user: Any) -> QuerySet[PartyOrganization]:
    return (
        PartyOrganization.objects.filter(visible_q(user, organization_field="pk"), is_active=True)
        .select_related("station")
        .order_by("station_id", "name")
    )


def access_organization(*, user: Any, pk: Any) -> PartyOrganization:
    organization = fetch_or_404(PartyOrganization.objects.select_related("station"), pk)
    if not user.has_perm("development.manage_for", organization):
        raise Http404
    return organization


def contact_candidates(user: Any) -> QuerySet[Candidate]:
    """Active candidates the user is contact person of (keyed by the user's own id: `all_objects`)."""
    if not getattr(user, "is_authenticated", False):
        return Candidate.all_objects.none()
    assigned = CandidatePerson.all_objects.filter(user_id=user.pk, role=PersonRole.CONTACT).values(
        "candidate_id"
    )
    return with_pipeline(
        Candidate.all_objects.filter(pk__in=assigned, status=CandidateStatus.ACTIVE)
    ).order_by("applied_on", "id")


def access_contact_candidate(*, user: Any, pk: Any) -> Candidate:
    candidate = fetch_or_404(contact_candidates(user), pk)
    if not user.has_perm("development.file_report", candidate):
        raise Http404
    return candidate


def own_applications(user: Any) -> QuerySet[Candidate]:
    """The signed-in person's own applications (keyed by their own id: `all_objects`)."""
    if not getattr(user, "is_authenticated", False):
        return Candidate.all_objects.none()
    return with_pipeline(Candidate.all_objects.filter(user_id=user.pk)).order_by("-applied_on", "-id")


# ---------------------------------------------------------------- the pipeline of one candidate


def facts_of(candidate: Candidate) -> Facts:
    """The engine's view of a candidate (uses prefetched records and reports when present)."""
    records = records_of(candidate)
    reports = reports_of(candidate)
    return Facts(
        done={record.step: record.done_on for record in records},
        special_approval=candidate.special_approval,
        evaluations=tuple(r.filed_on for r in reports if r.kind == ReportKind.EVALUATION),
        thought_reports=tuple(r.filed_on for r in reports if r.kind == ReportKind.THOUGHT_REPORT),
    )


@dataclass(frozen=True)
class Pipeline:
    """A candidate's 25 steps as of a day, and what is overdue or due soon."""

    candidate: Candidate
    steps: list[StepState]
    reports: list[ReportDue]
    today: date

    @property
    def open_steps(self) -> list[StepState]:
        return [s for s in self.steps if s.state == State.OPEN]

    @property
    def overdue(self) -> list[StepState]:
        if not self.candidate.is_active:
            return []
        return [s for s in self.steps if s.overdue_on(self.today)]

    @property
    def due_soon(self) -> list[StepState]:
        if not self.candidate.is_active:
            return []
        soon = date.fromordinal(self.today.toordinal() + DUE_SOON_DAYS)
        return [s for s in self.open_steps if s.due and self.today <= s.due <= soon]

    @property
    def reports_open(self) -> list[ReportDue]:
        """Evaluations and thought reports due within the horizon and not filed."""
        if not self.candidate.is_active:
            return []
        return [item for item in self.reports if not item.filed]

    @property
    def stage_done(self) -> bool:
        done = {s.step.key for s in self.steps if s.state == State.DONE}
        return all(s.step.key in done for s in self.steps if s.step.stage == self.candidate.stage)

    def state_of(self, key: str) -> StepState:
        return next(s for s in self.steps if s.step.key == key)


def pipeline_of(candidate: Candidate, today: date | None = None) -> Pipeline:
    today = today or timezone.localdate()
    facts = facts_of(candidate)
    return Pipeline(
        candidate=candidate,
        steps=timeline(facts, today),
        reports=reports_due(facts, today, horizon_days=DUE_SOON_DAYS),
        today=today,
    )


def pipelines(candidates: Iterable[Candidate], today: date | None = None) -> list[Pipeline]:
    return [pipeline_of(candidate, today) for candidate in candidates]


def full_member_user_ids(user_ids: Iterable[int]) -> set[int]:
    """Which of these people are full (正式) party members in good standing (`all_objects`: the check
    answers only yes/no for people the caller names)."""
    from dangjian.members.models import ACTIVE_STATUSES, Category, MemberProfile

    return set(
        MemberProfile.all_objects.filter(
            user_id__in=list(user_ids), category=Category.FORMAL, status__in=ACTIVE_STATUSES
        ).values_list("user_id", flat=True)
    )


def entitled_voters(organization_id: int) -> int:
    """Full members of the organisation with the right to vote (probationary members have none)."""
    from dangjian.members.models import ACTIVE_STATUSES, Category, MemberProfile

    return MemberProfile.all_objects.filter(
        organization_id=organization_id, category=Category.FORMAL, status__in=ACTIVE_STATUSES
    ).count()


def chosen_person(user_id: int) -> User:
    """The person picked from `member_choices` (the form has checked that they are one of them)."""
    return User.objects.get(pk=user_id)


def member_choices(organization: PartyOrganization) -> list[tuple[int, str]]:
    """Full members of the candidate's organisation, as choices for contact persons and introducers."""
    from dangjian.members.models import ACTIVE_STATUSES, Category, MemberProfile

    with scope(station=[organization.station_id]):
        rows = (
            MemberProfile.objects.filter(
                organization=organization, category=Category.FORMAL, status__in=ACTIVE_STATUSES
            )
            .select_related("user")
            .order_by("user__real_name")
        )
        return [(row.user_id, row.user.display_name) for row in rows]
