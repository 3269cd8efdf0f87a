"""Reads of party-member records (DB3212/T 1124 §6.3 党员管理), isolated by station and organisation.

Every read of `MemberProfile` / `ProfileCorrection` happens inside `member_scope(user)` (django-scopes:
the stations where the user holds a role that sees members, or no restriction for HQ and platform
admins) and is further narrowed by `visible_q(user)` to the user's own organisations where their role is
an organisation role. Callers build querysets inside the `with` block; django-scopes filters a queryset
when it is created, so a queryset made inside stays restricted wherever it is evaluated.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.db.models.functions import ExtractYear
from django.http import Http404
from django_scopes import scope, scopes_disabled

from dangjian.accounts import permissions as visibility
from dangjian.accounts.models import Role
from dangjian.accounts.permissions import ALL_STATIONS
from dangjian.core.access import fetch_or_404
from dangjian.core.figures import Figures, grouped
from dangjian.members.models import (
    ACTIVE_STATUSES,
    Category,
    CorrectionStatus,
    Education,
    Gender,
    MemberProfile,
    MemberStatus,
    ProfileCorrection,
)
from dangjian.members.permissions import STATION_ROLES
from dangjian.members.validation import years_before
from dangjian.organizations.models import PartyOrganization
from dangjian.stations.models import ResidentUnit, Station

PROFILE_RELATED = ("user", "organization", "station", "resident_unit")


def scope_station_ids(user: Any) -> set[int] | None:
    """Stations whose member rows the user may read at all; `ALL_STATIONS` (None) for HQ/platform admins."""
    return visibility.scope_station_ids(user, STATION_ROLES)


@contextmanager
def member_scope(user: Any) -> Iterator[None]:
    """The django-scopes scope of `user`'s member reads (anonymous users: no station at all)."""
    station_ids = scope_station_ids(user)
    context: AbstractContextManager[None] = (
        scopes_disabled() if station_ids is ALL_STATIONS else scope(station=sorted(station_ids))
    )
    with context:
        yield


def visible_q(
    user: Any, *, organization_field: str = "organization_id", station_field: str = "station_id"
) -> Q:
    """Rows of the stations where the user is station admin or worker, plus their own organisations'."""
    return visibility.role_rows_q(
        user, STATION_ROLES, station_field=station_field, organization_field=organization_field
    )


def revealable_q(user: Any) -> Q:
    """Rows whose full ID number the user may see: their stations as station admin, their organisations
    as secretary (HQ/platform admins: every row)."""
    return visibility.role_rows_q(user, (Role.STATION_ADMIN,), organization_roles=(Role.ORG_SECRETARY,))


def with_revealable(members: QuerySet[MemberProfile], user: Any) -> QuerySet[MemberProfile]:
    """Annotate `revealable`: may the user see this row's full ID number (for the unmasked export)."""
    condition = revealable_q(user)
    if not condition:  # HQ and platform admins: every row
        return members.annotate(revealable=Value(True, output_field=BooleanField()))
    return members.annotate(
        revealable=Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def visible_profiles(user: Any) -> QuerySet[MemberProfile]:
    """Profiles the user manages; call inside `member_scope(user)`."""
    if not getattr(user, "is_authenticated", False):
        return MemberProfile.objects.none()
    return (
        MemberProfile.objects.filter(visible_q(user))
        .select_related(*PROFILE_RELATED)
        .order_by("organization_id", "user__real_name", "id")
    )


def own_profile(user: Any) -> MemberProfile | None:
    """The signed-in person's own record. The one read that bypasses the station scope (`all_objects`):
    it is keyed by the requester's own user id, so it can only ever return their own row."""
    if not getattr(user, "is_authenticated", False):
        return None
    return MemberProfile.all_objects.select_related(*PROFILE_RELATED).filter(user_id=user.pk).first()


def manageable_organizations(user: Any) -> QuerySet[PartyOrganization]:
    """Active organisations whose members the user keeps (choices of forms, filters and the import)."""
    return (
        PartyOrganization.objects.filter(visible_q(user, organization_field="pk"), is_active=True)
        .select_related("station")
        .order_by("station_id", "name")
    )


def manageable_stations(user: Any) -> QuerySet[Station]:
    station_ids = scope_station_ids(user)
    stations = Station.objects.filter(is_active=True)
    return stations if station_ids is ALL_STATIONS else stations.filter(pk__in=station_ids)


def selectable_units(user: Any) -> QuerySet[ResidentUnit]:
    """Resident units of the stations of the user's organisations (the work-unit choices)."""
    station_ids = manageable_organizations(user).values("station_id")
    return ResidentUnit.objects.filter(station_id__in=station_ids, is_active=True).order_by(
        "station_id", "name"
    )


def pending_corrections(user: Any) -> QuerySet[ProfileCorrection]:
    """Pending correction requests the user may decide; call inside `member_scope(user)`."""
    return (
        ProfileCorrection.objects.filter(
            visible_q(user, organization_field="profile__organization_id"), status=CorrectionStatus.PENDING
        )
        .select_related("profile__user", "profile__organization", "requested_by")
        .order_by("created_at", "id")
    )


def own_corrections(profile: MemberProfile) -> QuerySet[ProfileCorrection]:
    """A member's own requests, newest first (scoped to the profile's station)."""
    with scope(station=[profile.station_id]):
        return ProfileCorrection.objects.filter(profile=profile).select_related(
            "decided_by", "profile__organization"
        )


# ---------------------------------------------------------------- statistics (§6.3 党员管理)


AGE_BANDS = (
    (None, 30, "30岁及以下"),
    (31, 40, "31–40岁"),
    (41, 50, "41–50岁"),
    (51, 60, "51–60岁"),
    (61, None, "61岁及以上"),
)


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: float


@dataclass(frozen=True)
class MemberStatistics:
    total: int
    gender: list[Bar]
    age: list[Bar]
    education: list[Bar]
    category: list[Bar]
    join_year: list[Bar]
    status: list[Bar]


def _bars(counts: list[tuple[str, int]], total: int) -> list[Bar]:
    return [Bar(label, count, round(100 * count / total, 1) if total else 0.0) for label, count in counts]


def age_band_q(low: int | None, high: int | None, today: date) -> Q:
    """Members aged `low`–`high` full years on `today` (age ≥ n ⇔ born on or before today − n years)."""
    condition = Q()
    if low is not None:
        condition &= Q(birth_date__lte=years_before(today, low))
    if high is not None:
        condition &= Q(birth_date__gt=years_before(today, high + 1))
    return condition


CHOICE_BREAKDOWNS = (
    ("gender", Gender.choices),
    ("education", Education.choices),
    ("category", Category.choices),
)


def _count_key(field: str, value: str) -> str:
    return f"{field}__{value}"


def member_statistics(members: QuerySet[MemberProfile], today: date) -> MemberStatistics:
    """Counts by gender, age band, education and category of the members on the roll (正常 and 流动), and by
    status of every record, in one aggregate query; admission years in a second (grouped) query."""
    on_roll = Q(status__in=ACTIVE_STATUSES)
    aggregates = {
        "total": Count("id", filter=on_roll),
        "records": Count("id"),
        **{
            f"band{i}": Count("id", filter=on_roll & age_band_q(lo, hi, today))
            for i, (lo, hi, _) in enumerate(AGE_BANDS)
        },
        **{
            _count_key(field, value): Count("id", filter=on_roll & Q(**{field: value}))
            for field, choices in CHOICE_BREAKDOWNS
            for value, _ in choices
        },
        **{
            _count_key("status", value): Count("id", filter=Q(status=value))
            for value, _ in MemberStatus.choices
        },
    }
    counted = members.aggregate(**aggregates)
    total = counted["total"]

    def breakdown(field: str, choices: Any, of: int) -> list[Bar]:
        return _bars([(str(label), counted[_count_key(field, value)]) for value, label in choices], of)

    years = (
        members.filter(on_roll)
        .order_by()
        .annotate(year=ExtractYear("admitted_on"))
        .values_list("year")
        .annotate(n=Count("id"))
    )
    return MemberStatistics(
        total=total,
        gender=breakdown("gender", Gender.choices, total),
        age=_bars([(label, counted[f"band{i}"]) for i, (_, _, label) in enumerate(AGE_BANDS)], total),
        education=breakdown("education", Education.choices, total),
        category=breakdown("category", Category.choices, total),
        join_year=_bars([(f"{year}年", n) for year, n in sorted(years)], total),
        status=breakdown("status", MemberStatus.choices, counted["records"]),
    )


def access_profile(*, user: Any, pk: Any) -> MemberProfile:
    """A member record the person manages (inside their scope); anything else is the same 404."""
    with member_scope(user):
        profile = fetch_or_404(visible_profiles(user), pk)
    if not user.has_perm("members.view_profile", profile):
        raise Http404
    return profile


def access_pending_correction(*, user: Any, pk: Any) -> ProfileCorrection:
    """A pending correction request the person may decide; anything else is the same 404."""
    with member_scope(user):
        return fetch_or_404(pending_corrections(user), pk)


def access_roster_organization(*, user: Any, pk: Any) -> PartyOrganization:
    """An organisation whose roster the person keeps (`members.manage_for`); else 404."""
    organization = fetch_or_404(PartyOrganization.objects.select_related("station"), pk)
    if not user.has_perm("members.manage_for", organization):
        raise Http404
    return organization


# ---------------------------------------------------------------- HQ cockpit figures (dashboards)


def member_figures(*, by: str = "station_id", within: Iterable[int] | None = None) -> Figures:
    """Members still in the organisation's life (`members`) per station or organisation, one query."""
    with scopes_disabled():  # totals only
        on_roll = MemberProfile.objects.filter(status__in=ACTIVE_STATUSES)
        return grouped(on_roll, by, within=within, members=Count("pk"))


def units_with_members(station_id: int | None = None) -> set[int]:
    """Resident units where at least one party member works (§4.3)."""
    with scopes_disabled():  # ids only
        rows = MemberProfile.objects.filter(status__in=ACTIVE_STATUSES, resident_unit__isnull=False)
        if station_id is not None:
            rows = rows.filter(resident_unit__station_id=station_id)
        return set(rows.values_list("resident_unit_id", flat=True).distinct())
