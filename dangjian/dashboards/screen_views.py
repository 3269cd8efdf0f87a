"""The big screen (党建大屏) of a hall and its settings.

A screen is drawn at its configured resolution (1920×1080, 3840×2160, a 5760×1080 wall…) in CSS pixels
and the whole stage is scaled by one CSS transform to the window (`static/js/big-screen.js`): text never
stretches, and on the real screen the scale is 1. The page has no login; its access code is its key, and it
shows only figures and public items. It fetches `…/data/` again when the live stream says the figures were
recomputed, something was published, or every five minutes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangjian.activities import selectors as activities
from dangjian.core.forms import show_refusal
from dangjian.core.pagination import paginate
from dangjian.dashboards import figures, metrics, selectors, services
from dangjian.dashboards.forms import ScreenForm
from dangjian.dashboards.models import Screen
from dangjian.dashboards.views import actor_of
from dangjian.news import selectors as news
from dangjian.stations.models import Station

COUNTERS = ("units_total", "people", "members", "organizations", "activities_held", "learning_hours", "dues_rate", "satisfaction", "coverage_rate")  # fmt: skip
RANKINGS = ("coverage_rate", "learning_rate", "life_rate")
TILE_METRIC = "coverage_rate"
MAX_TILES = 48
LATEST = 8


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y年%m月%d日 %H:%M") if moment else ""


def _counter(key: str, value: Decimal | None) -> dict[str, str]:
    return {"label": metrics.BY_KEY[key].label, "value": metrics.shown(metrics.BY_KEY[key], value)}


def screen_data(screen: Screen) -> dict[str, Any]:
    """Everything the screen shows, as JSON-safe values (a fixed number of queries)."""
    year = timezone.localdate().year
    platform, computed_at = figures.fresh_platform_values(year)
    values = (
        figures.station_values(year, [screen.station_id])[screen.station_id]
        if screen.station_id
        else platform
    )
    tiles = figures.ranking(year, TILE_METRIC, limit=MAX_TILES)
    ranked = {key: figures.ranking(year, key, limit=10) for key in RANKINGS}
    wanted = {pk for pk, _ in tiles} | {pk for rows in ranked.values() for pk, _ in rows}
    names = dict(Station.objects.filter(pk__in=wanted).values_list("pk", "name"))
    today = activities.todays_public_activities(station_id=screen.station_id)[:LATEST]
    latest = (
        news.screen_articles(screen.station, limit=LATEST)
        if screen.station
        else list(news.platform_articles(AnonymousUser())[:LATEST])
    )
    return {
        "title": f"{screen.station.name if screen.station else '全平台'} · 党建大屏",
        "year": year,
        "computed_at": _local(computed_at),
        "counters": [_counter(key, values.get(key)) for key in COUNTERS],
        "tiles": [
            {
                "name": names.get(pk, ""),
                "value": float(value),
                "text": metrics.shown(metrics.BY_KEY[TILE_METRIC], value),
            }
            for pk, value in tiles
        ],
        "rankings": [
            {
                "title": f"{metrics.BY_KEY[key].label}排名",
                "names": [names.get(pk, "") for pk, _ in rows],
                "values": [float(round(v * 100, 1)) for _, v in rows],
            }
            for key, rows in ranked.items()
        ],
        "today": [
            {
                "time": timezone.localtime(a.starts_at).strftime("%H:%M"),
                "title": a.title,
                "station": a.station.name,
            }
            for a in today
        ],
        "latest": [
            {
                "date": timezone.localtime(a.visible_from).strftime("%Y年%m月%d日"),
                "title": a.title,
                "station": a.station.name,
            }
            for a in latest
        ],
    }


@require_GET
def big_screen(request: HttpRequest, code: str) -> HttpResponse:
    screen = selectors.access_screen(code=code)
    context = {
        "screen": screen,
        "data": screen_data(screen),
        "live_channels": f"platform station-{screen.station_id}" if screen.station_id else "platform",
        "wide": screen.width >= 2 * screen.height,
    }
    return render(request, "dashboards/big_screen.html", context)


@require_GET
def big_screen_data(request: HttpRequest, code: str) -> JsonResponse:
    screen = selectors.access_screen(code=code)
    response = JsonResponse(screen_data(screen), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- settings (HQ)


@login_required
@require_GET
def screen_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("dashboards.manage_screens"):
        raise PermissionDenied
    page = paginate(request, selectors.screens())
    return render(request, "dashboards/screens.html", {"page": page, "screens": list(page)})


def _screen_form(request: HttpRequest, screen: Screen, *, title: str) -> HttpResponse:
    form = ScreenForm(request.POST or None, instance=screen)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.width, saved.height = form.cleaned_data["width"], form.cleaned_data["height"]
        try:
            services.screen_save(actor=actor_of(request), screen=saved)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"已保存党建大屏“{saved.name}”。")
            return HttpResponseRedirect(reverse("dashboards:screens"))
    context = {"form": form, "title": title, "screen": screen, "cancel_url": reverse("dashboards:screens")}
    return render(request, "dashboards/screen_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def screen_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("dashboards.manage_screens"):
        raise PermissionDenied
    return _screen_form(request, Screen(), title="新增党建大屏")


@login_required
@require_http_methods(["GET", "POST"])
def screen_edit(request: HttpRequest, pk: int) -> HttpResponse:
    screen = selectors.access_managed_screen(user=request.user, pk=pk)
    return _screen_form(request, screen, title=f"党建大屏“{screen.name}”")


@login_required
@require_POST
def screen_delete(request: HttpRequest, pk: int) -> HttpResponse:
    screen = selectors.access_managed_screen(user=request.user, pk=pk)
    services.screen_delete(actor=actor_of(request), screen=screen)
    messages.success(request, f"已删除党建大屏“{screen.name}”。")
    return HttpResponseRedirect(reverse("dashboards:screens"))
