from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from dangjian.accounts.permissions import managed_station_ids
from dangjian.organizations.models import Alliance, JointBuildingAgreement, PartyOrganization
from dangjian.stations.selectors import restrict_to_stations


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


def public_organization(pk: int) -> PartyOrganization:
    return (
        PartyOrganization.objects.select_related("station", "secretary", "parent")
        .prefetch_related("units__building", "committee__user", "alliances")
        .get(pk=pk, is_active=True, station__is_active=True)
    )
