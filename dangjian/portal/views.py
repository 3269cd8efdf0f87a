"""Portal pages: the platform's home and each station's home (§3.2: one platform for PC and phone;
§4.4: what HQ publishes appears at every branch)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dangjian.core import cache as page_cache
from dangjian.core.pagination import paginate, querystring_without_page
from dangjian.news import selectors as news
from dangjian.news.views import next_scheduled_publication
from dangjian.stations import selectors as stations

LATEST = 6


BRANCHES_ON_HOME = 8


# What each anonymous page shows (dangjian/core/cache.py); the services bump these on commit.
HOME_SCOPES = (page_cache.STATIONS, page_cache.STRUCTURE, page_cache.PLATFORM_NEWS, page_cache.COLUMNS)
DIRECTORY_SCOPES = (page_cache.STATIONS, page_cache.STRUCTURE)


def station_scopes(code: str) -> tuple[str, ...]:
    """A station's portal: its structure, its own articles and the synced ones it did not hide."""
    return (
        page_cache.STATIONS,
        page_cache.station_structure(code),
        page_cache.station_news(code),
        page_cache.SYNCED_NEWS,
        page_cache.COLUMNS,
    )


def _platform_totals() -> dict[str, int]:
    """The district's figures (the home page, and the HQ card wherever it is shown)."""
    return page_cache.cached_value(
        "platform-totals", scopes=DIRECTORY_SCOPES, compute=stations.platform_totals
    )


def _home_stations() -> list[Any]:
    return list(stations.public_stations().filter(kind="hq")) + list(
        stations.public_stations().filter(kind="branch")[:BRANCHES_ON_HOME]
    )


@require_GET
@page_cache.anonymous_page(lambda: HOME_SCOPES, expires=next_scheduled_publication)
def home(request: HttpRequest) -> HttpResponse:
    """The platform's home: a fixed number of stations whatever N is; the rest are in the directory.
    The station cards and figures aggregate over every station: cached for everyone until the structure
    changes (and the whole page for anonymous visitors)."""
    shown = page_cache.cached_value("home-stations", scopes=DIRECTORY_SCOPES, compute=_home_stations)
    totals = _platform_totals()
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
@page_cache.anonymous_page(lambda: DIRECTORY_SCOPES, query=("page",))
def station_directory(request: HttpRequest) -> HttpResponse:
    """All stations, paginated and searchable (a district may run hundreds of branches); a search
    (`?q=`) is never cached."""
    query = request.GET.get("q", "").strip()[:40]
    directory = stations.public_stations()
    if query:
        directory = directory.filter(Q(name__icontains=query) | Q(address__icontains=query))
    page = paginate(request, directory, per_page=24)
    context = {
        "page": page,
        "query": query,
        "querystring": querystring_without_page(request),
        "totals": _platform_totals(),
    }
    return render(request, "portal/stations.html", context)


@require_GET
@page_cache.anonymous_page(station_scopes, expires=next_scheduled_publication)
def station_detail(request: HttpRequest, code: str) -> HttpResponse:
    station = stations.station_by_code(code)
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
