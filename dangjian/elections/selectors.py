"""Reads of committee elections. An election is seen by those who keep it (its organisation's officers,
its station's admins and workers, HQ); anything else — missing, another organisation's, another
station's — is the same 404 (`access_election`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dangjian.accounts import permissions as visibility
from dangjian.accounts.models import Role, User
from dangjian.core.access import fetch_or_404
from dangjian.elections.models import (
    UNDER_WAY_STATUSES,
    Election,
    ElectionCandidate,
    ElectionEvent,
)
from dangjian.elections.permissions import STATION_ROLES
from dangjian.members.listeners import entitled_voters as roster_entitled_voters
from dangjian.members.models import ACTIVE_STATUSES, Category, MemberProfile
from dangjian.organizations.models import CommitteeTerm, PartyOrganization

ELECTION_RELATED = ("organization", "station")


def visible_q(
    user: Any, *, organization_field: str = "organization_id", station_field: str = "station_id"
) -> Q:
    return visibility.role_rows_q(
        user, STATION_ROLES, station_field=station_field, organization_field=organization_field
    )


def visible_elections(user: Any) -> QuerySet[Election]:
    """Elections the user keeps (or decides), newest first, with their organisation and station."""
    if not getattr(user, "is_authenticated", False):
        return Election.objects.none()
    return (
        Election.objects.filter(visible_q(user))
        .select_related(*ELECTION_RELATED)
        .order_by("-created_at", "-id")
    )


def with_details(elections: QuerySet[Election]) -> QuerySet[Election]:
    return elections.prefetch_related(
        Prefetch("candidates", queryset=ElectionCandidate.objects.order_by("id")),
        Prefetch("events", queryset=ElectionEvent.objects.select_related("actor").order_by("at", "id")),
    )


def access_election(*, user: Any, pk: Any) -> Election:
    """An election the person keeps; anything else is the same 404."""
    election = fetch_or_404(with_details(visible_elections(user)), pk)
    if not user.has_perm("elections.view_election", election):
        raise Http404
    return election


def requestable_organizations(user: Any) -> QuerySet[PartyOrganization]:
    """Active organisations whose renewal the user may request (choices of the request form)."""
    if not getattr(user, "is_authenticated", False):
        return PartyOrganization.objects.none()
    return (
        PartyOrganization.objects.filter(visible_q(user, organization_field="pk"), is_active=True)
        .select_related("station")
        .order_by("station_id", "name")
    )


def access_organization(*, user: Any, pk: Any) -> PartyOrganization:
    """An organisation whose elections and term history the user keeps; else 404."""
    organization = fetch_or_404(requestable_organizations(user).select_related("secretary"), pk)
    if not user.has_perm("elections.request_for", organization):
        raise Http404
    return organization


def candidates_of(election: Election) -> list[ElectionCandidate]:
    cache = getattr(election, "_prefetched_objects_cache", {})
    if "candidates" in cache:
        return list(cache["candidates"])
    return list(ElectionCandidate.objects.filter(election_id=election.pk).order_by("id"))


def events_of(election: Election) -> list[ElectionEvent]:
    cache = getattr(election, "_prefetched_objects_cache", {})
    if "events" in cache:
        return list(cache["events"])
    return list(
        ElectionEvent.objects.filter(election_id=election.pk).select_related("actor").order_by("at", "id")
    )


def formal_members(organization_id: int, on: date | None = None) -> QuerySet[User]:
    """Full members (正式党员) in good standing of the organisation on `on`: who may stand as candidates.
    Only names leave here (no personal data of the record)."""
    on = on or timezone.localdate()
    profiles = MemberProfile.all_objects.filter(
        organization_id=organization_id,
        category=Category.FORMAL,
        status__in=ACTIVE_STATUSES,
        full_member_on__lte=on,
    )
    return User.objects.filter(pk__in=profiles.values("user_id")).order_by("real_name", "id")


def entitled_voters(organization_id: int, on: date) -> int | None:
    """Members entitled to vote on `on` from the roster (dangjian.members); None without a roster."""
    return roster_entitled_voters(None, organization_id=organization_id, on=on)


def overdue_organizations(user: Any, today: date | None = None) -> QuerySet[PartyOrganization]:
    """Active organisations the user governs (station admins, HQ) whose term has ended with no renewal
    approved and under way."""
    today = today or timezone.localdate()
    if not getattr(user, "is_authenticated", False):
        return PartyOrganization.objects.none()
    under_way = Election.objects.filter(organization_id=OuterRef("pk"), status__in=UNDER_WAY_STATUSES)
    governed = visibility.station_rows_q(user, (Role.STATION_ADMIN,))
    return (
        PartyOrganization.objects.filter(governed, is_active=True, term_end__lt=today)
        .exclude(Exists(under_way))
        .select_related("station", "secretary")
        .order_by("term_end", "id")
    )


def past_terms(organization: PartyOrganization) -> QuerySet[CommitteeTerm]:
    return CommitteeTerm.objects.filter(organization=organization).order_by("-ended_on", "-id")


def stations_of(elections_user: Any) -> list[tuple[int, str]]:
    """Stations of the organisations the user may keep (the list's station filter)."""
    seen: dict[int, str] = {}
    for organization in requestable_organizations(elections_user):
        seen.setdefault(organization.station_id, organization.station.name)
    return list(seen.items())
