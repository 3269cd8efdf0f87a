"""Reads of party-affairs disclosures (DB3212/T 1124 §6.3 党务公开).

Public reads go through `visible_disclosures`, which applies the audience rule shared with search
(`dangjian.core.search.visibility_q`); management reads through `manageable_disclosures`, which is
station-scoped (a worker of building A never sees B's drafts: DESIGN.md "Management is isolated").
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import BooleanField, Count, F, Q, QuerySet, Value

from dangjian.accounts.models import Role
from dangjian.accounts.permissions import instructor_station_ids, role_rows_q
from dangjian.accounts.viewer import viewer_for
from dangjian.core.access import fetch_or_404
from dangjian.core.figures import Figures, grouped
from dangjian.core.search import visibility_q
from dangjian.core.workflow import ReviewStatus
from dangjian.disclosures.models import PUBLIC_STATUSES, Disclosure
from dangjian.disclosures.permissions import WRITER_STATION_ROLES
from dangjian.organizations.models import PartyOrganization

# Everyone who works on a station's disclosures: writers (§5.4.2) and reviewers (§5.4.1).
WORKING_STATION_ROLES = (*WRITER_STATION_ROLES, Role.INSTRUCTOR)


def _scope(user: Any, station_roles: tuple[str, ...], *, station_field: str, organization_field: str) -> Q:
    """Rows of the stations where the user holds `station_roles`, plus rows of their own organisations."""
    return role_rows_q(
        user, station_roles, station_field=station_field, organization_field=organization_field
    )


def writer_organizations(user: Any) -> QuerySet[PartyOrganization]:
    """Active organisations the user may write disclosures for (choices of the edit form)."""
    scope = _scope(user, WRITER_STATION_ROLES, station_field="station_id", organization_field="pk")
    return (
        PartyOrganization.objects.filter(scope, is_active=True)
        .select_related("station")
        .order_by("station_id", "name")
    )


def working_organizations(user: Any) -> QuerySet[PartyOrganization]:
    """Organisations whose disclosures the user sees in management (choices of the list filter)."""
    scope = _scope(user, WORKING_STATION_ROLES, station_field="station_id", organization_field="pk")
    return PartyOrganization.objects.filter(scope).order_by("station_id", "name")


def manageable_disclosures(user: Any) -> QuerySet[Disclosure]:
    """Items of the organisations at the stations where the user writes or reviews, or of the
    organisations where they are officers; anything else is a 404 in management pages and the API."""
    if not getattr(user, "is_authenticated", False):
        return Disclosure.objects.none()
    scope = _scope(
        user, WORKING_STATION_ROLES, station_field="station_id", organization_field="organization_id"
    )
    return (
        Disclosure.objects.filter(scope)
        .select_related("organization", "station", "author")
        .order_by("-updated_at", "-id")
    )


def awaiting_review_by(user: Any) -> Q:
    """Submitted items this user may review: they are an instructor at exactly the item's station
    (§5.5) and neither wrote nor submitted it."""
    return (
        Q(status=ReviewStatus.SUBMITTED, station_id__in=sorted(instructor_station_ids(user)))
        & ~Q(author_id=user.pk)
        & ~Q(submitted_by_id=user.pk)
    )


def visible_disclosures(user: Any) -> QuerySet[Disclosure]:
    """Published and withdrawn items `user` may read: anonymous visitors see public items only; the
    audience rule is the one search uses, so a page never shows what search would hide and vice versa."""
    return (
        Disclosure.objects.filter(
            status__in=PUBLIC_STATUSES, organization__is_active=True, station__is_active=True
        )
        .alias(audience=F("visibility"), shared=Value(False, output_field=BooleanField()))
        .filter(visibility_q(viewer_for(user)))
        .select_related("organization", "station")
    )


def organization_disclosures(
    user: Any, organization: PartyOrganization, *, category: str | None = None
) -> QuerySet[Disclosure]:
    """One organisation's public index, newest period first (the template groups it by quarter)."""
    items = visible_disclosures(user).filter(organization=organization)
    if category:
        items = items.filter(category=category)
    return items.order_by("-period_start", "-published_at", "-id")


def covering_year(year: int) -> Q:
    """Items whose period overlaps calendar year `year`."""
    return Q(period_start__lte=date(year, 12, 31), period_end__gte=date(year, 1, 1))


def access_disclosure_organization(*, user: Any, pk: Any) -> PartyOrganization:
    """An active organisation of an active station, whose public disclosures index anyone may open."""
    return fetch_or_404(
        PartyOrganization.objects.filter(is_active=True, station__is_active=True).select_related("station"),
        pk,
    )


def access_disclosure(*, user: Any, pk: Any, manage: bool = False) -> Disclosure:
    """A published item the person may read, or (`manage`) one they write or review; else 404."""
    return fetch_or_404(manageable_disclosures(user) if manage else visible_disclosures(user), pk)


# ---------------------------------------------------------------- HQ cockpit figures (dashboards)


def disclosure_figures(*, year: int) -> Figures:
    """Per station: `disclosures_published` this year (党务公开, §6.3), one query."""
    published = Disclosure.objects.filter(status__in=PUBLIC_STATUSES, published_at__year=year)
    return grouped(published, disclosures_published=Count("pk"))
