"""Reads of activities and organisation life (DB3212/T 1124 §6.3 活动邀约, §7.3).

`access_<thing>(*, user, pk, manage=False)` fetches and authorises in one step: a missing row, a forbidden
row and a pk that is no id all get the same 404 (pages and API alike). The role part of every filter is
built by `dangjian.accounts.permissions` (the one visibility authority); the audience part reads only the
person's own attributes.

`compliance_for` / `compliance_for_organizations` judge organisation life (the rules in force as data,
`life_rules.evaluate`) in a constant number of queries, for the secretary's and station pages and the HQ
dashboard.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, When
from django.http import Http404
from django.utils import timezone

from dangjian.accounts import permissions as visibility
from dangjian.accounts.models import PersonKind, Role
from dangjian.activities.life_rules import (
    SHANGHAI,
    ActivityFact,
    LifeRuleError,
    LifeRules,
    PeriodResult,
    Status,
    YearResult,
    evaluate,
    local_date,
    rules_in_force,
)
from dangjian.activities.models import (
    COUNTING_STATUSES,
    Activity,
    ActivityRecord,
    ActivityStatus,
    AnnualPlan,
    Attendance,
    Audience,
    Invitation,
    InvitationStatus,
    InviteeKind,
    JointMeeting,
    JointMeetingStatus,
    LeaveRequest,
    LeaveStatus,
    LifeRuleSet,
    MonthlyTheme,
    Registration,
    RegistrationStatus,
)
from dangjian.activities.permissions import person_station_ids
from dangjian.core.access import fetch_or_404
from dangjian.core.figures import Figures, grouped, merge
from dangjian.organizations.models import PartyOrganization

MANAGE_STATION_ROLES = (Role.STATION_ADMIN, Role.WORKER)
COMPLIANCE_STATION_ROLES = (Role.STATION_ADMIN, Role.WORKER, Role.INSTRUCTOR)
NO_RULE_MESSAGE = "未配置组织生活规则，请联系平台管理员"


# ---------------------------------------------------------------- who sees what


def managed_activities_q(user: Any) -> Q:
    """Activities the user may manage: of the stations where they are admin or worker (HQ: all), and of
    the organisations they are secretary or officer of (as an organiser)."""
    condition = visibility.role_rows_q(user, MANAGE_STATION_ROLES, organization_field="organizers")
    return Q(pk__in=Activity.objects.filter(condition).values("pk"))


def audience_q(user: Any) -> Q:
    """Published (or held, or cancelled) activities whose audience includes the person."""
    shown = ~Q(status=ActivityStatus.DRAFT)
    audiences = Q(audience=Audience.PUBLIC)
    if getattr(user, "is_authenticated", False):
        if getattr(user, "person_kind", "") != PersonKind.RESIDENT:
            audiences |= Q(audience=Audience.ALL_STATIONS)
        audiences |= Q(audience=Audience.STATION, station_id__in=sorted(person_station_ids(user)))
        if getattr(user, "organization_id", None):
            organised = Activity.organizers.through.objects.filter(
                partyorganization_id=user.organization_id
            ).values("activity_id")
            audiences |= Q(audience=Audience.ORGANIZATION, pk__in=organised)
    return shown & audiences


def visible_activities(user: Any) -> QuerySet[Activity]:
    return Activity.objects.filter(managed_activities_q(user) | audience_q(user)).select_related("station")


def manageable_activities(user: Any) -> QuerySet[Activity]:
    return Activity.objects.filter(managed_activities_q(user)).select_related("station")


def access_activity(*, user: Any, pk: Any, manage: bool = False) -> Activity:
    queryset = manageable_activities(user) if manage else visible_activities(user)
    activity = fetch_or_404(queryset.prefetch_related("organizers"), pk)
    permission = "activities.manage_activity" if manage else "activities.view_activity"
    if not user.has_perm(permission, activity):
        raise Http404
    return activity


def access_registration(*, user: Any, pk: Any, manage: bool = False) -> Registration:
    """The person's own registration; with `manage`, one of an activity the user manages."""
    if manage:
        queryset = Registration.objects.filter(activity__in=manageable_activities(user).values("pk"))
    elif getattr(user, "is_authenticated", False):
        queryset = Registration.objects.filter(person_id=user.pk)
    else:
        raise Http404
    registration = fetch_or_404(queryset.select_related("activity__station", "person"), pk)
    permission = "activities.cancel_registration" if manage else "activities.view_registration"
    if not user.has_perm(permission, registration):
        raise Http404
    return registration


def access_leave_request(*, user: Any, pk: Any, manage: bool = False) -> LeaveRequest:
    """The person's own leave request; with `manage`, one the user decides (secretary of its organisation)."""
    if manage:
        condition = visibility.role_rows_q(user, (), organization_roles=(Role.ORG_SECRETARY,))
        queryset = LeaveRequest.objects.filter(condition)
    elif getattr(user, "is_authenticated", False):
        queryset = LeaveRequest.objects.filter(person_id=user.pk)
    else:
        raise Http404
    leave = fetch_or_404(queryset.select_related("activity__station", "organization", "person"), pk)
    if manage and not user.has_perm("activities.decide_leave", leave):
        raise Http404
    return leave


def access_life_organization(*, user: Any, pk: Any, manage: bool = False) -> PartyOrganization:
    """An organisation whose organisation life the user may see (its officers; the admins, workers and
    instructors of its station; HQ) — with `manage`, keep (its secretary or officers: themes, plan)."""
    if manage:
        condition = visibility.role_rows_q(user, (), organization_field="pk")
    else:
        condition = visibility.role_rows_q(user, COMPLIANCE_STATION_ROLES, organization_field="pk")
    organization = fetch_or_404(PartyOrganization.objects.filter(condition).select_related("station"), pk)
    permission = "activities.manage_life" if manage else "activities.view_compliance"
    if not user.has_perm(permission, organization):
        raise Http404
    return organization


# ---------------------------------------------------------------- registration


def registrations_of(*, user: Any, activity: Activity) -> QuerySet[Registration]:
    """An activity's registrations for its organisers and the station's guides (§5.4.3, §5.5: guides handle
    registration): seats first, then the waiting list in order."""
    if not user.has_perm("activities.view_registrations", activity):
        raise Http404
    return (
        Registration.objects.filter(activity=activity)
        .select_related("person")
        .order_by(
            Case(
                When(status=RegistrationStatus.REGISTERED, then=0),
                When(status=RegistrationStatus.OFFERED, then=1),
                When(status=RegistrationStatus.WAITING, then=2),
                default=3,
            ),
            "queued_at",
            "id",
        )
    )


def waiting_position(registration: Registration) -> int | None:
    """1 for the head of the waiting list; None unless the registration is waiting."""
    if registration.status != RegistrationStatus.WAITING or registration.queued_at is None:
        return None
    ahead = Registration.objects.filter(
        Q(queued_at__lt=registration.queued_at) | Q(queued_at=registration.queued_at, pk__lt=registration.pk),
        activity_id=registration.activity_id,
        status=RegistrationStatus.WAITING,
    ).count()
    return ahead + 1


def open_offers_for(user: Any, *, now: datetime | None = None) -> QuerySet[Registration]:
    """The person's offered seats still waiting for their tap."""
    if not getattr(user, "is_authenticated", False):
        return Registration.objects.none()
    return (
        Registration.objects.filter(
            person_id=user.pk, status=RegistrationStatus.OFFERED, offer_expires_at__gt=now or timezone.now()
        )
        .select_related("activity")
        .order_by("offer_expires_at")
    )


def pending_leave_for(user: Any) -> QuerySet[LeaveRequest]:
    """Pending leave requests the user decides (secretary of the requester's organisation)."""
    condition = visibility.role_rows_q(user, (), organization_roles=(Role.ORG_SECRETARY,))
    return LeaveRequest.objects.filter(condition, status=LeaveStatus.PENDING).select_related(
        "activity", "person"
    )


# ---------------------------------------------------------------- organisation-life compliance (§7.3)


def rule_versions() -> list[LifeRules]:
    """Every version of the rules, newest first (two queries)."""
    return [rs.rules() for rs in LifeRuleSet.objects.prefetch_related("requirements")]


def rules_in_force_on(day: date) -> LifeRules:
    try:
        return rules_in_force(rule_versions(), day)
    except LifeRuleError as error:
        raise ValidationError(NO_RULE_MESSAGE, code="no_rule") from error


@dataclass(frozen=True)
class OrganizationCompliance:
    """One organisation's organisation life in a year: per month, quarter and the year what is met and
    what is missing, with the reasons (DB3212/T 1124 §7.3; 中国共产党支部工作条例（试行）)."""

    organization_id: int
    organization_name: str
    station_id: int
    year: int
    result: YearResult

    @property
    def status(self) -> Status:
        return self.result.status

    @property
    def months(self) -> tuple[PeriodResult, ...]:
        return self.result.months

    @property
    def quarters(self) -> tuple[PeriodResult, ...]:
        return self.result.quarters

    @property
    def whole_year(self) -> PeriodResult:
        return self.result.whole_year

    @property
    def reasons(self) -> list[str]:
        return self.result.reasons

    def month(self, month: int) -> PeriodResult:
        return self.result.month(month)

    def quarter(self, quarter: int) -> PeriodResult:
        return self.result.quarter(quarter)


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The year as aware moments in Asia/Shanghai: [1 January 00:00, next 1 January 00:00)."""
    return datetime(year, 1, 1, tzinfo=SHANGHAI), datetime(year + 1, 1, 1, tzinfo=SHANGHAI)


def compliance_for(
    *, organization: PartyOrganization, year: int, today: date | None = None
) -> OrganizationCompliance:
    return compliance_for_organizations(organizations=[organization], year=year, today=today)[0]


def compliance_for_organizations(
    *, organizations: Sequence[PartyOrganization], year: int, today: date | None = None
) -> list[OrganizationCompliance]:
    """Compliance of each organisation for `year`, in the order given, in six queries whatever their
    number. Only published or finished activities marked `counts_for_life` count, each for every one of
    its organisers, in the local (Asia/Shanghai) period it starts in."""
    today = today or local_date(timezone.now())
    versions = rule_versions()
    ids = [o.pk for o in organizations]
    facts = _activity_facts(ids, year)
    themes: defaultdict[int, set[int]] = defaultdict(set)
    for organization_id, month in MonthlyTheme.objects.filter(
        organization_id__in=ids, month__year=year
    ).values_list("organization_id", "month"):
        themes[organization_id].add(month.month)
    plans = dict(
        AnnualPlan.objects.filter(organization_id__in=ids, year=year).values_list(
            "organization_id", "submitted_at"
        )
    )
    results = []
    for organization in organizations:
        filed = plans.get(organization.pk)
        try:
            result = evaluate(
                year=year,
                versions=versions,
                activities=facts[organization.pk],
                theme_months=themes[organization.pk],
                plan_filed_on=local_date(filed) if filed is not None else None,
                today=today,
            )
        except LifeRuleError as error:
            raise ValidationError(NO_RULE_MESSAGE, code="no_rule") from error
        results.append(
            OrganizationCompliance(
                organization_id=organization.pk,
                organization_name=organization.name,
                station_id=organization.station_id,
                year=year,
                result=result,
            )
        )
    return results


def _activity_facts(organization_ids: Iterable[int], year: int) -> defaultdict[int, list[ActivityFact]]:
    start, end = year_bounds(year)
    links: QuerySet[Any] = Activity.organizers.through.objects.filter(
        partyorganization_id__in=list(organization_ids),
        activity__status__in=COUNTING_STATUSES,
        activity__counts_for_life=True,
        activity__starts_at__gte=start,
        activity__starts_at__lt=end,
    )
    recorded = Exists(ActivityRecord.objects.filter(activity_id=OuterRef("activity_id")))
    rows = links.annotate(has_record=recorded).values_list(
        "partyorganization_id", "activity_id", "activity__activity_type", "activity__starts_at", "has_record"
    )
    facts: defaultdict[int, list[ActivityFact]] = defaultdict(list)
    for organization_id, activity_id, activity_type, starts_at, has_record in rows:
        facts[organization_id].append(
            ActivityFact(
                activity_type=activity_type, starts_at=starts_at, has_record=has_record, pk=activity_id
            )
        )
    return facts


# ---------------------------------------------------------------- invitations (活动邀约) and check-in


def invitations_of(*, user: Any, activity: Activity) -> QuerySet[Invitation]:
    """An activity's invitations with their answers, for its organisers (`invitation_counts` sums them)."""
    if not user.has_perm("activities.invite", activity):
        raise Http404
    return (
        Invitation.objects.filter(activity=activity)
        .select_related("organization", "unit", "alliance", "person", "answered_by")
        .order_by("kind", "id")
    )


def answerable_invitations_q(user: Any) -> Q:
    """Invitations the user answers: to them; to an organisation they are secretary or officer of (or whose
    alliance it leads, or that covers the unit); to a unit of a station where they are admin or worker."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    officer_ids = sorted(visibility.organization_ids_with_role(user, *visibility.OFFICER_ROLES))
    unit_station = visibility.role_rows_q(
        user, MANAGE_STATION_ROLES, organization_roles=(), station_field="unit__station_id"
    )
    return (
        Q(kind=InviteeKind.PERSON, person_id=user.pk)
        | Q(kind=InviteeKind.ORGANIZATION, organization_id__in=officer_ids)
        | Q(kind=InviteeKind.ALLIANCE, alliance__lead_organization_id__in=officer_ids)
        | Q(kind=InviteeKind.UNIT, unit__organizations__in=officer_ids)
        | (Q(kind=InviteeKind.UNIT) & unit_station)
    )


def invitations_to_answer(*, user: Any, pending_only: bool = True) -> QuerySet[Invitation]:
    """The invitations the user answers (pending ones by default), soonest activity first."""
    ids = Invitation.objects.filter(answerable_invitations_q(user)).values("pk")
    found = Invitation.objects.filter(pk__in=ids)
    if pending_only:
        found = found.filter(status=InvitationStatus.PENDING, activity__starts_at__gt=timezone.now())
    return found.select_related("activity__station", "organization", "unit", "alliance", "person").order_by(
        "activity__starts_at", "id"
    )


def access_invitation(*, user: Any, pk: Any, manage: bool = False) -> Invitation:
    """An invitation the user answers; with `manage`, one of an activity they organise."""
    if manage:
        queryset = Invitation.objects.filter(activity__in=manageable_activities(user).values("pk"))
    else:
        queryset = Invitation.objects.filter(
            pk__in=Invitation.objects.filter(answerable_invitations_q(user)).values("pk")
        )
    invitation = fetch_or_404(
        queryset.select_related(
            "activity__station",
            "organization",
            "unit",
            "alliance__lead_organization",
            "person",
            "answered_by",
        ),
        pk,
    )
    if manage:
        activity = Activity.objects.prefetch_related("organizers").get(pk=invitation.activity_id)
        allowed = user.has_perm("activities.invite", activity)
    else:
        allowed = user.has_perm("activities.answer_invitation", invitation)
    if not allowed:
        raise Http404
    return invitation


def attendances_of(*, user: Any, activity: Activity) -> QuerySet[Attendance]:
    """Who has checked in, for the activity's organisers and the station's guides."""
    if not user.has_perm("activities.view_signin_sheet", activity):
        raise Http404
    return Attendance.objects.filter(activity=activity).select_related("person", "recorded_by")


def checkin_activities(*, user: Any, now: datetime | None = None) -> QuerySet[Activity]:
    """Activities open for check-in now (from an hour before the start to the end) that the user may check
    people in at — the organisers', and the guides' of the station — with how many have checked in."""
    now = now or timezone.now()
    condition = visibility.role_rows_q(
        user, (*MANAGE_STATION_ROLES, Role.GUIDE), organization_field="organizers"
    )
    ids = Activity.objects.filter(condition).values("pk")
    return (
        Activity.objects.filter(
            pk__in=ids,
            status__in=COUNTING_STATUSES,
            starts_at__lte=now + timedelta(hours=1),
            ends_at__gte=now,
        )
        .select_related("station")
        .annotate(attended=Count("attendances", distinct=True))
        .order_by("starts_at", "id")
    )


def missing_records_for(*, user: Any, now: datetime | None = None) -> QuerySet[Activity]:
    """Held activities the user manages, with organisers, that have ended without a record (台账)."""
    return (
        manageable_activities(user)
        .filter(status__in=COUNTING_STATUSES, ends_at__lte=now or timezone.now(), organizers__isnull=False)
        .exclude(Exists(ActivityRecord.objects.filter(activity_id=OuterRef("pk"))))
        .distinct()
        .order_by("ends_at", "id")
    )


# ---------------------------------------------------------------- HQ cockpit figures (dashboards)


def activity_figures(*, year: int, now: datetime | None = None) -> Figures:
    """Per station: `activities_held` (published or finished, started this year by now) and
    `joint_meetings` (联席会议 held this year, §7.4), two queries."""
    start, end = year_bounds(year)
    until = min(end, now or timezone.now())
    held = Activity.objects.filter(status__in=COUNTING_STATUSES, starts_at__gte=start, starts_at__lt=until)
    meetings = JointMeeting.objects.filter(
        status=JointMeetingStatus.HELD, starts_at__gte=start, starts_at__lt=end
    )
    return merge(grouped(held, activities_held=Count("pk")), grouped(meetings, joint_meetings=Count("pk")))


def organization_activity_counts(*, year: int, organization_ids: Iterable[int]) -> dict[int, int]:
    """{organisation id: activities it organised that were held this year}, one query."""
    start, end = year_bounds(year)
    links = Activity.organizers.through.objects.filter(
        partyorganization_id__in=list(organization_ids),
        activity__status__in=COUNTING_STATUSES,
        activity__starts_at__gte=start,
        activity__starts_at__lt=min(end, timezone.now()),
    )
    rows = links.order_by().values("partyorganization_id").annotate(n=Count("pk"))
    return {row["partyorganization_id"]: row["n"] for row in rows}


def units_taking_part(*, year: int, station_id: int | None = None) -> set[int]:
    """Resident units one of whose people checked in at an activity of this year (§4.3)."""
    start, end = year_bounds(year)
    rows = Attendance.objects.filter(
        activity__starts_at__gte=start, activity__starts_at__lt=end, person__resident_unit__isnull=False
    )
    if station_id is not None:
        rows = rows.filter(person__resident_unit__station_id=station_id)
    return set(rows.values_list("person__resident_unit_id", flat=True).distinct())


def life_statuses(
    *, year: int, organizations: Sequence[PartyOrganization], today: date | None = None
) -> dict[int, Status]:
    """{organisation id: its organisation-life status of the year so far (§7.3)}, six queries; empty when
    no rule is in force for the year (nothing can be judged, which the figures show as no value)."""
    try:
        found = compliance_for_organizations(organizations=organizations, year=year, today=today)
    except ValidationError:
        return {}
    return {line.organization_id: line.result.status for line in found}


def todays_public_activities(*, station_id: int | None = None, day: date | None = None) -> QuerySet[Activity]:
    """Public published activities starting on `day` (today), platform-wide or of one station and HQ,
    soonest first (the big screen: no login, so public only)."""
    day = day or timezone.localdate()
    start = datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)
    found = Activity.objects.filter(
        status__in=COUNTING_STATUSES,
        audience=Audience.PUBLIC,
        starts_at__gte=start,
        starts_at__lt=start + timedelta(days=1),
    )
    if station_id is not None:
        found = found.filter(Q(station_id=station_id) | Q(station__kind="hq"))
    return found.select_related("station").order_by("starts_at", "pk")
