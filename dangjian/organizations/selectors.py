from __future__ import annotations

from typing import Any, TypeVar, cast

from django.db.models import Count, IntegerField, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from dangjian.accounts.permissions import managed_station_ids
from dangjian.organizations.models import Alliance, JointBuildingAgreement, PartyOrganization
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


def public_organization(pk: int) -> PartyOrganization:
    return (
        with_roster_count(PartyOrganization.objects.select_related("station", "secretary", "parent"))
        .prefetch_related("units__building", "committee__user", "alliances")
        .get(pk=pk, is_active=True, station__is_active=True)
    )
