"""Portal pages: the platform's home and each station's home (§3.2: one platform for PC and phone;
§4.4: what HQ publishes appears at every branch)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from dangjian.core.pagination import paginate, querystring_without_page
from dangjian.disclosures import selectors as disclosures
from dangjian.news import selectors as news
from dangjian.organizations import selectors as orgs
from dangjian.organizations.models import TermStatus
from dangjian.stations import selectors as stations
from dangjian.stations.models import Station

LATEST = 6


BRANCHES_ON_HOME = 8


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The platform's home: a fixed number of stations whatever N is; the rest are in the directory."""
    shown: list[Any] = list(stations.public_stations().filter(kind="hq")) + list(
        stations.public_stations().filter(kind="branch")[:BRANCHES_ON_HOME]
    )
    totals = stations.platform_totals()
    context = {
        "hq": next((s for s in shown if s.is_hq), None),
        "branches": [s for s in shown if not s.is_hq],
        "more_branches": max(0, totals["stations"] - len(shown)),
        "totals": totals,
        "articles": news.platform_articles(request.user)[:LATEST],
        "live_channels": "platform",
    }
    return render(request, "portal/home.html", context)


@require_GET
def station_directory(request: HttpRequest) -> HttpResponse:
    """All stations, paginated and searchable (a district may run hundreds of branches)."""
    query = request.GET.get("q", "").strip()[:40]
    directory = stations.public_stations()
    if query:
        directory = directory.filter(Q(name__icontains=query) | Q(address__icontains=query))
    page = paginate(request, directory, per_page=24)
    context = {"page": page, "query": query, "querystring": querystring_without_page(request)}
    return render(request, "portal/stations.html", context)


@require_GET
def station_detail(request: HttpRequest, code: str) -> HttpResponse:
    station = get_object_or_404(Station.objects.filter(is_active=True), code=code)
    context = {
        "station": station,
        "buildings": station.buildings.annotate(
            unit_count=Count("units", filter=Q(units__is_active=True))
        ).order_by("name"),
        "organizations": station.organizations.filter(is_active=True)
        .select_related("secretary")
        .order_by("kind", "name"),
        "places": station.places.select_related("parent").order_by("kind", "name"),
        "articles": news.station_articles(request.user, station)[:LATEST],
        "live_channels": f"station-{station.pk} platform",
    }
    return render(request, "portal/station.html", context)


@login_required
@require_GET
def manage_home(request: HttpRequest) -> HttpResponse:
    """管理中心 overview: what the person keeps, and what waits for them (§5.3 达标建设, §5.5 review)."""
    user = request.user
    if not user.has_perm("stations.enter_management"):
        raise PermissionDenied
    counts = {
        "stations": stations.manageable_stations(user).count(),
        "buildings": stations.manageable_buildings(user).count(),
        "units": stations.unit_editable_queryset(user).filter(is_active=True).count(),
    }
    organizations: Any = orgs.manageable_organizations(user)
    todo = {
        "articles_to_review": news.review_queue(user).count(),
        "disclosures_to_review": disclosures.manageable_disclosures(user)
        .filter(disclosures.awaiting_review_by(user))
        .count(),
        "terms_expiring": organizations.with_term_status(TermStatus.EXPIRING).count(),
        "terms_expired": organizations.with_term_status(TermStatus.EXPIRED).count(),
    }
    return render(request, "manage/home.html", {"counts": counts, "todo": todo})
