from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dangjian.stations.models import Station

SWITCHER_LIMIT = 30


def stations(request: HttpRequest) -> dict[str, Any]:
    """Station switcher entries and the current station, evaluated only if a template uses them."""

    def switcher() -> list[Station]:
        return list(
            Station.objects.filter(is_active=True).only("id", "name", "kind", "code")[:SWITCHER_LIMIT]
        )

    return {"switcher_stations": switcher, "current_station": getattr(request, "station", None)}
