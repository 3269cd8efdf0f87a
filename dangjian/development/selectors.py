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

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from dangjian.accounts import permissions as visibility
from dangjian.accounts.models import User
from dangjian.accounts.permissions import ALL_STATIONS
from dangjian.core.access import fetch_or_404
from dangjian.core.figures import Figures, grouped, merge
from dangjian.development import documents
from dangjian.development.models import (
    Candidate,
    CandidatePerson,
    CandidateStatus,
    PersonRole,
    Report,
    ReportKind,
    StepDocument,
    StepRecord,
)
from dangjian.development.permissions import STATION_ROLES
from dangjian.development.rules import RULES_2014
from dangjian.development.timers import Facts, ReportDue, State, StepState, reports_due, timeline
from dangjian.organizations.models import PartyOrganization

CANDIDATE_RELATED = ("organization", "station", "resident_unit", "user")
DUE_SOON_DAYS = 14
STAGE_NUMBERS = tuple(stage.number for stage in RULES_2014.stages)


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


# ---------------------------------------------------------------- documents (档案)


def signed_documents_of(candidate: Candidate) -> list[StepDocument]:
    """The signed uploads of a candidate found inside its scope, newest first per document."""
    return list(
        StepDocument.all_objects.filter(candidate_id=candidate.pk)
        .select_related("uploaded_by")
        .order_by("step", "title", "-created_at", "-id")
    )


def access_signed_document(*, user: Any, candidate_pk: Any, pk: Any) -> StepDocument:
    """A signed upload of a candidate the person keeps (the same 404 for missing and forbidden)."""
    candidate = access_candidate(user=user, pk=candidate_pk)
    return fetch_or_404(StepDocument.all_objects.filter(candidate_id=candidate.pk), pk)


def dossier_of(candidate: Candidate) -> documents.Dossier:
    """What the candidate's documents show (records, people and reports prefetched or read once)."""
    records = StepRecord.all_objects.filter(candidate_id=candidate.pk).select_related("responsible")
    people = people_of(candidate)
    unit = candidate.resident_unit.name if candidate.resident_unit else ""
    return documents.Dossier(
        rules=facts_of(candidate).rules(),
        name=candidate.name,
        gender=candidate.get_gender_display(),
        ethnicity=candidate.get_ethnicity_display(),
        birth_date=candidate.birth_date,
        education=candidate.get_education_display(),
        unit=unit,
        job_title=candidate.job_title,
        id_number_masked=candidate.id_number_masked,
        organization=candidate.organization.name,
        superior=candidate.organization.formal_superior,
        applied_on=candidate.applied_on,
        steps={record.step: _step_facts(record) for record in records},
        contacts=tuple(p.user.display_name for p in people if p.role == PersonRole.CONTACT),
        introducers=tuple(p.user.display_name for p in people if p.role == PersonRole.INTRODUCER),
        reports=tuple(
            documents.ReportFacts(
                kind_label=r.get_kind_display(),
                number=r.number,
                filed_on=r.filed_on,
                filed_by=r.filed_by.display_name,
                content=r.content,
            )
            for r in Report.all_objects.filter(candidate_id=candidate.pk).select_related("filed_by")
        ),
    )


def _step_facts(record: StepRecord) -> documents.StepFacts:
    return documents.StepFacts(
        done_on=record.done_on,
        responsible=record.responsible.display_name if record.responsible else "",
        note=record.note,
        entitled=record.entitled,
        present=record.present,
        votes_for=record.votes_for,
        training_days=record.training_days,
        training_hours=record.training_hours,
        notice_from=record.notice_from,
        notice_until=record.notice_until,
    )


# ---------------------------------------------------------------- overview (per organisation and station)

# The steps counted per year on the overview, with the label of what they make of a person.
YEAR_STEPS = (
    ("apply", "递交入党申请"),
    ("activist", "确定入党积极分子"),
    ("target", "确定发展对象"),
    ("approval", "接收预备党员"),
    ("full_approval", "转为正式党员"),
)
OVERVIEW_YEARS = 5


@dataclass(frozen=True)
class OrganizationLine:
    organization: PartyOrganization
    by_stage: list[int]  # active candidates in stages 1–5
    overdue: int  # open steps past their due date
    admitted: int  # 接收预备党员 in the year shown
    full: int  # 转为正式党员 in the year shown

    @property
    def active(self) -> int:
        return sum(self.by_stage)


@dataclass(frozen=True)
class YearCounts:
    years: list[int]
    counts: dict[str, list[int]]  # step key → one number per year


def overview_organizations(user: Any, *, station_id: int | None = None) -> QuerySet[PartyOrganization]:
    organizations = manageable_organizations(user)
    return organizations.filter(station_id=station_id) if station_id else organizations


def stage_counts(user: Any, organization_ids: Iterable[int]) -> dict[int, list[int]]:
    """Active candidates per stage of each organisation (one query)."""
    from django.db.models import Count

    counts: dict[int, list[int]] = {pk: [0] * len(STAGE_NUMBERS) for pk in organization_ids}
    with development_scope(user):
        rows = (
            visible_candidates(user)
            .filter(status=CandidateStatus.ACTIVE, organization_id__in=list(counts))
            .order_by()
            .values("organization_id", "stage")
            .annotate(n=Count("id"))
        )
        for row in rows:
            counts[row["organization_id"]][row["stage"] - 1] = row["n"]
    return counts


def year_counts(user: Any, organization_ids: Iterable[int], *, last_year: int) -> YearCounts:
    """How many candidates passed each of `YEAR_STEPS` in each of the last years (one query)."""
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    years = list(range(last_year - OVERVIEW_YEARS + 1, last_year + 1))
    counts = {key: [0] * len(years) for key, _ in YEAR_STEPS}
    with development_scope(user):
        rows = (
            StepRecord.objects.filter(
                visible_q(user, organization_field="candidate__organization_id"),
                candidate__organization_id__in=list(organization_ids),
                step__in=list(counts),
                done_on__year__gte=years[0],
                done_on__year__lte=years[-1],
            )
            .annotate(year=ExtractYear("done_on"))
            .order_by()
            .values("step", "year")
            .annotate(n=Count("id"))
        )
        for row in rows:
            counts[row["step"]][row["year"] - years[0]] = row["n"]
    return YearCounts(years=years, counts=counts)


def organization_lines(
    user: Any, organizations: Iterable[PartyOrganization], *, year: int, today: date | None = None
) -> list[OrganizationLine]:
    """One line per organisation: candidates per stage, overdue steps, admitted and full in `year`
    (a fixed number of queries however many organisations and candidates)."""
    from django.db.models import Count

    organizations = list(organizations)
    ids = [o.pk for o in organizations]
    by_stage = stage_counts(user, ids)
    overdue: dict[int, int] = dict.fromkeys(ids, 0)
    done: dict[tuple[int, str], int] = {}
    with development_scope(user):
        active = visible_candidates(user).filter(status=CandidateStatus.ACTIVE, organization_id__in=ids)
        for pipeline in pipelines(with_pipeline(active), today):
            overdue[pipeline.candidate.organization_id] += len(pipeline.overdue)
        rows = (
            StepRecord.objects.filter(
                visible_q(user, organization_field="candidate__organization_id"),
                candidate__organization_id__in=ids,
                step__in=("approval", "full_approval"),
                done_on__year=year,
            )
            .order_by()
            .values("candidate__organization_id", "step")
            .annotate(n=Count("id"))
        )
        for row in rows:
            done[(row["candidate__organization_id"], row["step"])] = row["n"]
    return [
        OrganizationLine(
            organization=o,
            by_stage=by_stage[o.pk],
            overdue=overdue[o.pk],
            admitted=done.get((o.pk, "approval"), 0),
            full=done.get((o.pk, "full_approval"), 0),
        )
        for o in organizations
    ]


# ---------------------------------------------------------------- facts from other capabilities

MEETING_STEPS = ("branch_meeting", "full_meeting")
MEETINGS_LISTED = 20


@dataclass(frozen=True)
class MeetingFacts:
    """A 支部党员大会 of the candidate's organisation with its record (台账): the day and the counts."""

    activity_id: int
    title: str
    held_on: date
    entitled: int | None
    present: int


def branch_meetings(candidate: Candidate) -> list[MeetingFacts]:
    """The latest general meetings (支部党员大会) of the candidate's organisation that have a record
    (keyed by the organisation of a candidate the caller already keeps)."""
    from dangjian.activities.models import Activity, ActivityType

    with scopes_disabled():
        activities = (
            Activity.objects.filter(
                organizers=candidate.organization_id,
                activity_type=ActivityType.GENERAL_MEETING,
                record__isnull=False,
            )
            .select_related("record")
            .order_by("-starts_at", "-id")[:MEETINGS_LISTED]
        )
        return [
            MeetingFacts(
                activity_id=a.pk,
                title=a.title,
                held_on=timezone.localdate(a.starts_at),
                entitled=a.record.entitled_count,
                present=a.record.present_count,
            )
            for a in activities
        ]


def branch_meeting(candidate: Candidate, activity_id: int) -> MeetingFacts | None:
    return next((m for m in branch_meetings(candidate) if m.activity_id == activity_id), None)


@dataclass(frozen=True)
class CourseFacts:
    course_id: int
    title: str
    completed_on: date
    hours: int  # whole 学时 credited


def completed_courses(candidate: Candidate) -> list[CourseFacts]:
    """Courses the candidate completed in the learning capability (needs the candidate's account)."""
    from dangjian.learning.models import CourseCompletion

    if candidate.user_id is None:
        return []
    with scopes_disabled():
        completions = (
            CourseCompletion.objects.filter(user_id=candidate.user_id)
            .select_related("course")
            .order_by("-completed_at")
        )
        return [
            CourseFacts(
                course_id=c.course_id,
                title=c.course.title,
                completed_on=timezone.localdate(c.completed_at),
                hours=int(c.credit_hours),
            )
            for c in completions
        ]


def completed_course(candidate: Candidate, course_id: int) -> CourseFacts | None:
    return next((c for c in completed_courses(candidate) if c.course_id == course_id), None)


def access_reportable_candidate(*, user: Any, pk: Any) -> Candidate:
    """A candidate the person keeps or is contact person of (the same 404 otherwise)."""
    try:
        return access_candidate(user=user, pk=pk)
    except Http404:
        return access_contact_candidate(user=user, pk=pk)


def unit_of_station(unit_id: int, station_id: int) -> bool:
    from dangjian.stations.models import ResidentUnit

    return ResidentUnit.objects.filter(pk=unit_id, station_id=station_id, is_active=True).exists()


# ---------------------------------------------------------------- HQ cockpit figures (dashboards)


def development_figures(*, year: int, by: str = "station_id", within: Iterable[int] | None = None) -> Figures:
    """Per station or organisation: `development_in_pipeline` (being developed now) and
    `development_admitted` (接收预备党员 this year), two queries."""
    record_field = "candidate__organization_id" if by == "organization_id" else "station_id"
    with scopes_disabled():  # totals only
        active = Candidate.objects.filter(status=CandidateStatus.ACTIVE)
        admitted = StepRecord.objects.filter(step="approval", done_on__year=year)
        pipeline = grouped(active, by, within=within, development_in_pipeline=Count("pk"))
        received = grouped(
            admitted, record_field, within=within, development_admitted=Count("candidate_id", distinct=True)
        )
    return merge(pipeline, received)
