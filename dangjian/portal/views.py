"""Portal pages: the platform's home and each station's home (§3.2: one platform for PC and phone;
§4.4: what HQ publishes appears at every branch)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from dangjian.news import selectors as news
from dangjian.stations import selectors as stations
from dangjian.stations.models import Station

LATEST = 6


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    all_stations: list[Any] = list(stations.public_stations())
    context = {
        "hq": next((s for s in all_stations if s.is_hq), None),
        "branches": [s for s in all_stations if not s.is_hq],
        "totals": {
            "stations": len(all_stations),
            "buildings": sum(s.building_count for s in all_stations),
            "units": sum(s.unit_count for s in all_stations),
        },
        "articles": news.platform_articles(request.user)[:LATEST],
        "live_channels": "platform",
    }
    return render(request, "portal/home.html", context)


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
