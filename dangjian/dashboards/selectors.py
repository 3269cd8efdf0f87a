"""Reads of the HQ cockpit: which stations and organisations a person may look into, the stored figures
of a page of stations, the live figures of one station's organisations, the goals, the screens.

`access_<thing>()` fetches and authorises in one step (the same 404 for missing and forbidden)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from dangjian.accounts import selectors as accounts
from dangjian.accounts.models import Role
from dangjian.accounts.permissions import stations_with_role
from dangjian.activities import selectors as activities
from dangjian.activities.life_rules import STATUS_LABELS
from dangjian.activities.life_rules import Status as LifeStatus
from dangjian.core.access import fetch_or_404
from dangjian.dashboards import metrics
from dangjian.dashboards.figures import StationValues
from dangjian.dashboards.models import Figure, Goal, Screen
from dangjian.development import selectors as development
from dangjian.dues import selectors as dues
from dangjian.learning import selectors as learning
from dangjian.members import selectors as members
from dangjian.organizations import selectors as organizations
from dangjian.organizations.models import PartyOrganization
from dangjian.stations import selectors as stations
from dangjian.stations.models import ResidentUnit, Station

VIEWER_ROLES = (Role.STATION_ADMIN, Role.INSTRUCTOR)


def cockpit_stations(user: Any) -> QuerySet[Station]:
    """Active stations whose cockpit the person may read (HQ: every one)."""
    visible = stations.restrict_to_stations(
        Station.objects.filter(is_active=True), stations_with_role(user, *VIEWER_ROLES), field="id"
    )
    return visible.order_by("sort_order", "pk")


def access_cockpit_station(*, user: Any, code: str) -> Station:
    found = cockpit_stations(user).filter(code=code).first() if len(code) <= 40 else None
    if found is None or not user.has_perm("dashboards.view_station", found):
        raise Http404
    return found


def access_cockpit_organization(*, user: Any, pk: Any) -> PartyOrganization:
    visible = PartyOrganization.objects.filter(station__in=cockpit_stations(user)).select_related("station")
    found = fetch_or_404(visible, pk)
    if not user.has_perm("dashboards.view_station", found.station):
        raise Http404
    return found


def sorted_stations(stations_qs: QuerySet[Station], *, year: int, key: str | None) -> QuerySet[Station]:
    """Stations ordered by their stored value of `key` (best first; no value last), else by their order."""
    if key is None:
        return stations_qs
    value = Figure.objects.filter(station_id=OuterRef("pk"), year=year, key=key).values("value")[:1]
    annotated = stations_qs.annotate(sort_value=Subquery(value, output_field=DecimalField()))
    value_order = (
        F("sort_value").asc(nulls_last=True)
        if metrics.BY_KEY[key].lower_is_better
        else F("sort_value").desc(nulls_last=True)
    )
    return annotated.order_by(value_order, "sort_order", "pk")


# ---------------------------------------------------------------- goals (§5.3)


@dataclass(frozen=True)
class GoalLine:
    metric: metrics.Metric
    value: Decimal | None
    target: Decimal | None  # as HQ typed it (percent for a rate)

    @property
    def target_value(self) -> Decimal | None:
        if self.target is None:
            return None
        return self.target / 100 if self.metric.unit == metrics.Unit.RATE else self.target

    @property
    def progress(self) -> Decimal | None:
        return metrics.progress(self.value, self.target_value, lower_is_better=self.metric.lower_is_better)

    @property
    def reached(self) -> bool | None:
        done = self.progress
        return None if done is None else done >= 1

    @property
    def value_label(self) -> str:
        return metrics.shown(self.metric, self.value)

    @property
    def target_label(self) -> str:
        return metrics.shown(self.metric, self.target_value)

    @property
    def percent(self) -> int | None:
        done = self.progress
        return None if done is None else int(done * 100)


def goals_of(*, year: int, station_ids: Sequence[int]) -> dict[int, dict[str, Decimal]]:
    """{station id: {metric key: target}} of the stations asked for, one query."""
    found: dict[int, dict[str, Decimal]] = {pk: {} for pk in station_ids}
    for station_id, key, target in Goal.objects.filter(year=year, station_id__in=list(found)).values_list(
        "station_id", "key", "target"
    ):
        found[station_id][key] = target
    return found


def goal_lines(values: StationValues, targets: dict[str, Decimal]) -> list[GoalLine]:
    return [
        GoalLine(metric, values.get(metric.key), targets.get(metric.key)) for metric in metrics.GOAL_METRICS
    ]


# ---------------------------------------------------------------- one station: units and organisations


def unreached_units(*, station: Station, year: int) -> list[UnitReach]:
    """The station's resident units no activity of `year` reached, each with what it does have (§4.3)."""
    taking_part = activities.units_taking_part(year=year, station_id=station.pk)
    with_people = accounts.units_with_people(station.pk)
    with_party = organizations.units_with_organization(station.pk) | members.units_with_members(station.pk)
    return [
        UnitReach(unit=unit, has_people=unit.pk in with_people, has_party=unit.pk in with_party)
        for unit in stations.units_of_station(station.pk)
        if unit.pk not in taking_part
    ]


@dataclass(frozen=True)
class UnitReach:
    unit: ResidentUnit
    has_people: bool
    has_party: bool


@dataclass
class OrganizationLine:
    organization: PartyOrganization
    members: int = 0
    activities: int = 0
    life_status: str = ""
    learning_hours: Decimal = Decimal(0)
    dues_due: Decimal = Decimal(0)
    dues_paid: Decimal = Decimal(0)
    in_pipeline: int = 0
    admitted: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def life_label(self) -> str:
        return STATUS_LABELS.get(LifeStatus(self.life_status), "") if self.life_status else ""

    @property
    def life_missing(self) -> bool:
        return self.life_status == LifeStatus.MISSING

    @property
    def dues_rate(self) -> Decimal | None:
        return self.dues_paid / self.dues_due if self.dues_due else None

    @property
    def dues_rate_label(self) -> str:
        return metrics.shown(metrics.BY_KEY["dues_rate"], self.dues_rate)

    @property
    def term_label(self) -> str:
        return self.organization.term_status_label


def organization_lines(
    *, organizations_page: Sequence[PartyOrganization], year: int, today: date | None = None
) -> list[OrganizationLine]:
    """The live figures of a page of organisations, a fixed number of queries whatever their number."""
    today = today or timezone.localdate()
    ids = [o.pk for o in organizations_page]
    member_counts = members.member_figures(by="organization_id", within=ids)
    activity_counts = activities.organization_activity_counts(year=year, organization_ids=ids)
    life = activities.life_statuses(year=year, organizations=list(organizations_page), today=today)
    hours = learning.hours_by_organization(year=year, organization_ids=ids)
    dues_counts = dues.dues_figures(year=year, today=today, by="organization_id", within=ids)
    pipeline = development.development_figures(year=year, by="organization_id", within=ids)
    lines = []
    for organization in organizations_page:
        pk = organization.pk
        lines.append(
            OrganizationLine(
                organization=organization,
                members=int(member_counts.get(pk, {}).get("members", 0)),
                activities=activity_counts.get(pk, 0),
                life_status=str(life.get(pk, "")),
                learning_hours=hours.get(pk, Decimal(0)),
                dues_due=dues_counts.get(pk, {}).get("dues_due", Decimal(0)),
                dues_paid=dues_counts.get(pk, {}).get("dues_paid", Decimal(0)),
                in_pipeline=int(pipeline.get(pk, {}).get("development_in_pipeline", 0)),
                admitted=int(pipeline.get(pk, {}).get("development_admitted", 0)),
            )
        )
    return lines


def station_organizations(station: Station) -> QuerySet[PartyOrganization]:
    return organizations.organizations_of_stations([station.pk])


# ---------------------------------------------------------------- big screens


def screens() -> QuerySet[Screen]:
    return Screen.objects.select_related("station")


def access_screen(*, code: str) -> Screen:
    """A big screen by its access code (the screen has no login: the code is its key); else 404."""
    found = screens().filter(code=code).first() if len(code) <= 40 else None
    if found is None:
        raise Http404
    return found


def access_managed_screen(*, user: Any, pk: Any) -> Screen:
    if not user.has_perm("dashboards.manage_screens"):
        raise Http404
    return fetch_or_404(screens(), pk)


def stations_behind_goals(user: Any, *, year: int) -> int:
    """How many of the stations the person reads have a goal of `year` not reached yet (two queries)."""
    visible = cockpit_stations(user).values("pk")
    targets = list(
        Goal.objects.filter(year=year, station_id__in=visible).values_list("station_id", "key", "target")
    )
    stored = {
        (station_id, key): value
        for station_id, key, value in Figure.objects.filter(
            year=year, station_id__in={pk for pk, _, _ in targets}, key__in={key for _, key, _ in targets}
        ).values_list("station_id", "key", "value")
    }
    behind = {
        station_id
        for station_id, key, target in targets
        if GoalLine(metrics.BY_KEY[key], stored.get((station_id, key)), target).reached is False
    }
    return len(behind)
