from __future__ import annotations

from datetime import date
from typing import Any, TypeVar, cast

from django.db.models import Count, IntegerField, Model, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from dangjian.accounts.permissions import managed_station_ids
from dangjian.core.access import fetch_or_404
from dangjian.core.figures import Figures, grouped
from dangjian.organizations.models import (
    Alliance,
    CommitteeMember,
    JointBuildingAgreement,
    PartyOrganization,
    PartyOrganizationQuerySet,
)
from dangjian.stations.models import ResidentUnit
from dangjian.stations.selectors import restrict_to_stations

_Q = TypeVar("_Q", bound=QuerySet[Any])


def manageable_organizations(user: Any) -> QuerySet[PartyOrganization]:
    return restrict_to_stations(
        PartyOrganization.objects.select_related("station", "secretary", "parent")
        .annotate(unit_total=Count("units", distinct=True))
        .order_by("station_id", "kind", "name"),
        managed_station_ids(user),
    )


def manageable_alliances(user: Any) -> QuerySet[Alliance]:
    return restrict_to_stations(
        Alliance.objects.select_related("station", "lead_organization")
        .annotate(organization_total=Count("organizations", distinct=True))
        .order_by("station_id", "name"),
        managed_station_ids(user),
    )


def manageable_agreements(user: Any) -> QuerySet[JointBuildingAgreement]:
    return restrict_to_stations(
        JointBuildingAgreement.objects.select_related("station", "alliance").prefetch_related(
            "organizations"
        ),
        managed_station_ids(user),
    )


# 党员人数 is counted from the roster, never typed in. Who is on the roll (党籍状态 正常 or 流动) is the
# members app's rule, `members.models.ACTIVE_STATUSES`; organizations sits below members (members imports
# organizations) and may not import it back, so the count is an annotation over the reverse relation
# `member_profiles` that members' FK declares, filtered by the same status values. A test pins these
# values to ACTIVE_STATUSES so the two cannot drift apart. (An aggregate over a join does not go through
# MemberProfile's scoped manager, and it reveals only a number, which the public page always showed.)
ON_ROLL_STATUSES = ("normal", "mobile")


def with_roster_count(queryset: _Q) -> _Q:
    """Annotate `roster_count`: the organisation's member profiles that are on the roll. A correlated
    subquery, so it can sit beside other counts (units) without multiplying their joins."""
    relation = PartyOrganization._meta.get_field("member_profiles")
    profiles = cast(type[Model], relation.related_model)._base_manager  # unscoped: a count, not rows
    on_roll = (
        profiles.filter(organization=OuterRef("pk"), status__in=ON_ROLL_STATUSES)
        .order_by()
        .values("organization")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(roster_count=Coalesce(Subquery(on_roll, output_field=IntegerField()), 0))


def public_organizations() -> PartyOrganizationQuerySet:
    """Active organisations of active stations with their roster and unit counts (the public list)."""
    return (
        with_roster_count(PartyOrganization.objects.filter(is_active=True, station__is_active=True))
        .select_related("station", "parent", "secretary")
        .annotate(unit_count=Count("units", filter=Q(units__is_active=True), distinct=True))
        .order_by("station_id", "kind", "name", "id")
    )


# ---------------------------------------------------------------- fetch and authorise in one step
# `access_<thing>(*, user, pk, manage=False)` (DESIGN.md "One visibility authority"): a missing row,
# another station's row and a pk that is no id all get the same 404, on pages and in the API alike.


def _managed(found: Any, user: Any, permission: str) -> Any:
    if not user.has_perm(permission, found):
        raise Http404
    return found


def access_organization(*, user: Any, pk: Any, manage: bool = False) -> PartyOrganization:
    """An active organisation with its active units, committee and alliances (the public page and API),
    or (`manage`) one of a station the person administers."""
    if manage:
        return _managed(
            fetch_or_404(manageable_organizations(user), pk), user, "organizations.change_partyorganization"
        )
    units = ResidentUnit.objects.filter(is_active=True).select_related("building").order_by("name")
    detail = public_organizations().prefetch_related(
        Prefetch("units", queryset=units), "committee__user", "alliances"
    )
    return fetch_or_404(detail, pk)


def access_committee_organization(*, user: Any, pk: Any) -> PartyOrganization:
    """An organisation whose committee the person keeps (its station's admins, its own officers)."""
    organization = fetch_or_404(PartyOrganization.objects.select_related("station"), pk)
    return _managed(organization, user, "organizations.change_committee")  # type: ignore[no-any-return]


def access_committee_member(*, user: Any, organization: PartyOrganization, pk: Any) -> CommitteeMember:
    """A member of the committee of `organization` (already fetched with
    `access_committee_organization`); a member of another organisation's committee is a 404."""
    _managed(organization, user, "organizations.change_committee")
    return fetch_or_404(CommitteeMember.objects.filter(organization=organization), pk)


def access_alliance(*, user: Any, pk: Any, manage: bool = False) -> Alliance:
    """An alliance of a station the person administers; `manage` also asks the change permission."""
    found = fetch_or_404(manageable_alliances(user), pk)
    return _managed(found, user, "organizations.change_alliance") if manage else found


def access_agreement(*, user: Any, pk: Any, manage: bool = False) -> JointBuildingAgreement:
    """A joint-building agreement of a station the person administers; `manage` also asks the change
    permission."""
    found = fetch_or_404(manageable_agreements(user), pk)
    return _managed(found, user, "organizations.change_jointbuildingagreement") if manage else found


# ---------------------------------------------------------------- HQ cockpit figures (dashboards)


def units_with_organization(station_id: int | None = None) -> set[int]:
    """Resident units with a party organisation of their own (§4.3)."""
    links = PartyOrganization.units.through.objects.all()
    if station_id is not None:
        links = links.filter(residentunit__station_id=station_id)
    return set(links.values_list("residentunit_id", flat=True).distinct())


def organization_figures(*, today: date) -> Figures:
    """Per station: `organizations` and `terms_overdue` (term ended, no renewal: §5.2), one query."""
    return grouped(
        PartyOrganization.objects.all(),
        organizations=Count("pk"),
        terms_overdue=Count("pk", filter=Q(term_end__lt=today)),
    )


def alliance_figures() -> Figures:
    """Per station: `alliances` (党建联盟, §5.2) it leads, one query."""
    return grouped(Alliance.objects.all(), alliances=Count("pk"))


def organizations_of_stations(station_ids: list[int] | None = None) -> QuerySet[PartyOrganization]:
    found = PartyOrganization.objects.all()
    if station_ids is not None:
        found = found.filter(station_id__in=station_ids)
    return found.order_by("station_id", "name", "pk")
