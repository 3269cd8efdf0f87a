"""Writes of the HQ cockpit: yearly goals per station (§5.3), big-screen settings, a refresh on demand.
Each authorises, runs in one transaction, and writes the audit log."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.db import transaction

from dangjian.accounts.models import User
from dangjian.core.audit import record_event
from dangjian.core.services import refusal, require_perm
from dangjian.dashboards import metrics
from dangjian.dashboards.models import Goal, Screen
from dangjian.stations.models import Station

MAX_RATE_TARGET = Decimal(100)


def _checked_targets(targets: Mapping[str, Decimal | None]) -> dict[str, Decimal | None]:
    checked: dict[str, Decimal | None] = {}
    for key, target in targets.items():
        metric = metrics.BY_KEY.get(key)
        if metric is None or not metric.goal:
            raise refusal("没有这项考核指标", "unknown_metric")
        if target is not None and (
            target < 0 or (metric.unit == metrics.Unit.RATE and target > MAX_RATE_TARGET)
        ):
            raise refusal(f"“{metric.label}”的目标值超出范围", "out_of_range", key)
        checked[key] = target
    return checked


@transaction.atomic
def goals_set(
    *, actor: User, stations: Sequence[Station], year: int, targets: Mapping[str, Decimal | None]
) -> int:
    """Set `year`'s targets of each station (a blank target removes that goal); answers goals written."""
    require_perm(actor, "dashboards.set_goals", None, "只有总站可以设定达标目标")
    if not 2000 <= year <= 2100:
        raise refusal("年度不正确", "invalid", "year")
    if not stations:
        raise refusal("请至少选择一个站点", "required", "stations")
    checked = _checked_targets(targets)
    station_ids = [station.pk for station in stations]
    cleared = [key for key, target in checked.items() if target is None]
    Goal.objects.filter(station_id__in=station_ids, year=year, key__in=cleared).delete()
    kept = {key: target for key, target in checked.items() if target is not None}
    Goal.objects.bulk_create(
        [
            Goal(station_id=pk, year=year, key=key, target=target, set_by=actor)
            for pk in station_ids
            for key, target in kept.items()
        ],
        update_conflicts=True,
        unique_fields=["station", "year", "key"],
        update_fields=["target", "set_by", "updated_at"],
    )
    record_event(
        actor=actor,
        action="dashboards.goals.set",
        station=stations[0] if len(stations) == 1 else None,
        data={
            "year": year,
            "stations": [s.name for s in stations][:20],
            "station_count": len(stations),
            "targets": {k: str(v) if v is not None else None for k, v in checked.items()},
        },
    )
    return len(station_ids) * len(kept)


@transaction.atomic
def screen_save(*, actor: User, screen: Screen) -> Screen:
    require_perm(actor, "dashboards.manage_screens", None, "只有总站可以设置党建大屏")
    screen.full_clean()
    screen.save()
    record_event(
        actor=actor,
        action="dashboards.screen.save",
        target=screen,
        station=screen.station,
        data={"width": screen.width, "height": screen.height},
    )
    return screen


@transaction.atomic
def screen_delete(*, actor: User, screen: Screen) -> None:
    require_perm(actor, "dashboards.manage_screens", None, "只有总站可以设置党建大屏")
    record_event(actor=actor, action="dashboards.screen.delete", target=screen, station=screen.station)
    screen.delete()


def refresh_requested(*, actor: User, year: int) -> None:
    """HQ asks for the figures to be recomputed now (queued; the page says so)."""
    require_perm(actor, "dashboards.view_platform", None, "只有总站可以重新统计")
    from dangjian.dashboards.tasks import refresh_figures

    record_event(actor=actor, action="dashboards.figures.refresh", data={"year": year})
    transaction.on_commit(lambda: refresh_figures.delay(year))
