"""JSON API of party organisations (public reads). No person's mobile number is exposed here."""

from datetime import date
from typing import Annotated

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.filter_schema import FilterLookup

from dangjian.accounts.api_auth import PUBLIC_READ
from dangjian.core.api_schemas import ObjectId, SearchText, StationRef, paginated, with_errors
from dangjian.organizations import selectors
from dangjian.organizations.models import (
    CommitteeMember,
    OrgKind,
    PartyOrganization,
    PartyOrganizationQuerySet,
    TermStatus,
)

router = Router(tags=["党组织"])


class OrganizationRef(Schema):
    id: int
    name: str


class UnitRef(Schema):
    id: int
    name: str


class CommitteeMemberOut(Schema):
    name: str
    position: str
    position_label: str

    @staticmethod
    def resolve_name(obj: CommitteeMember) -> str:
        return obj.user.display_name

    @staticmethod
    def resolve_position_label(obj: CommitteeMember) -> str:
        return obj.get_position_display()


class OrganizationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    station: StationRef
    parent: OrganizationRef | None
    formal_superior: str
    secretary_name: str | None
    term_start: date | None
    term_end: date | None
    term_status: str
    term_status_label: str
    member_count: int = Field(description="党员人数（按党员名册统计在册党员）")
    unit_count: int

    @staticmethod
    def resolve_member_count(obj: PartyOrganization) -> int:
        return obj.roster_count  # type: ignore[attr-defined]  # annotated by with_roster_count

    @staticmethod
    def resolve_kind_label(obj: PartyOrganization) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_secretary_name(obj: PartyOrganization) -> str | None:
        return obj.secretary.display_name if obj.secretary else None

    @staticmethod
    def resolve_term_status(obj: PartyOrganization) -> str:
        return obj.term_status().value

    @staticmethod
    def resolve_term_status_label(obj: PartyOrganization) -> str:
        return str(obj.term_status().label)


class OrganizationDetailOut(OrganizationOut):
    established_on: date | None
    intro: str
    units: list[UnitRef]
    committee: list[CommitteeMemberOut]
    alliances: list[OrganizationRef]

    @staticmethod
    def resolve_committee(obj: PartyOrganization) -> list[CommitteeMember]:
        return obj.committee_by_rank


class OrganizationFilter(FilterSchema):
    station: Annotated[ObjectId | None, FilterLookup("station_id")] = Field(None, description="站点编号")
    kind: OrgKind | None = Field(None, description="组织类型")
    term: TermStatus | None = Field(None, description="任期状态")
    q: Annotated[SearchText | None, FilterLookup(["name__icontains", "short_name__icontains"])] = Field(
        None, description="名称或简称包含"
    )

    def filter_term(self, value: TermStatus | None) -> Q:
        return Q()  # applied by `filtered_organizations` through the queryset's own term rules


def filtered_organizations(
    queryset: PartyOrganizationQuerySet, filters: OrganizationFilter
) -> PartyOrganizationQuerySet:
    queryset = filters.filter(queryset)
    return queryset.with_term_status(filters.term) if filters.term else queryset


@router.get(
    "/organizations",
    response=with_errors({200: list[OrganizationOut]}, 401, 422),
    url_name="organization_list",
    summary="党组织列表",
    description="`term` 按任期状态筛选：normal 任期正常、expiring 90 天内到期、expired 已到期未换届、unknown 未登记任期。",
    **PUBLIC_READ,
)
@paginated
def organization_list(
    request: HttpRequest, filters: Query[OrganizationFilter]
) -> QuerySet[PartyOrganization]:
    return filtered_organizations(selectors.public_organizations(), filters)


@router.get(
    "/organizations/{organization_id}",
    response=with_errors({200: OrganizationDetailOut}, 401, 404, 422),
    url_name="organization_detail",
    summary="党组织详情（含覆盖单位与委员会）",
    **PUBLIC_READ,
)
def organization_detail(request: HttpRequest, organization_id: ObjectId) -> PartyOrganization:
    return selectors.access_organization(user=request.user, pk=organization_id)
