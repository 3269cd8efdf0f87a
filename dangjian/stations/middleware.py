from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from dangjian.core.parsing import positive_int_or_none

SESSION_STATION_KEY = "current_station_id"


def _current_station(request: HttpRequest):
    from dangjian.stations.models import Station

    station_id = (
        positive_int_or_none(request.session.get(SESSION_STATION_KEY))
        if hasattr(request, "session")
        else None
    )
    if station_id:
        station = Station.objects.filter(pk=station_id, is_active=True).first()
        if station is not None:
            return station
    home_id = getattr(request.user, "home_station_id", None) if hasattr(request, "user") else None
    if home_id:
        return Station.objects.filter(pk=home_id, is_active=True).first()
    return None


class CurrentStationMiddleware:
    """`request.station`: the station the person chose in the switcher, else their home station."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.station = SimpleLazyObject(lambda: _current_station(request))  # type: ignore[attr-defined]
        return self.get_response(request)
