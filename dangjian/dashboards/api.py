"""JSON API of the HQ cockpit (数据驾驶舱): the stored figures of the platform (HQ) and of a station (its
admins and instructors, HQ), with the yearly goals; the same numbers as the pages, for a mobile app or a
district's own big screen. A station the caller may not read answers 404.

- `GET /dashboards/platform?year=`: every metric of the platform, and when it was computed;
- `GET /dashboards/stations?year=&metric=`: the stations the caller reads, best first by `metric`;
- `GET /dashboards/stations/{code}?year=`: one station's metrics and goals.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from dangjian.core.api_errors import ApiError
from dangjian.core.api_schemas import local, paginated, with_errors
from dangjian.dashboards import figures, metrics, selectors
from dangjian.stations.models import Station

router = Router(tags=["总站驾驶舱"])


class PeriodQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="年度，默认本年")


class RankQuery(PeriodQuery):
    metric: str = Field("coverage_rate", description="排序指标（见 `/platform` 的 key），默认入驻单位参与率")


class MetricOut(Schema):
    key: str
    label: str
    unit: str = Field(..., description="count 个数、rate 比率（0–1）、yuan 元、hours 学时")
    value: Decimal | None = Field(..., description="无记录（如分母为 0）时为 null")
    text: str = Field(..., description="页面上的显示，如 92.5%、1,234.00 元")


class GoalOut(Schema):
    key: str
    label: str
    target: Decimal | None = Field(..., description="目标值（率以百分数表示）；未设定为 null")
    progress: Decimal | None = Field(..., description="完成度 0–1")


class FiguresOut(Schema):
    year: int
    computed_at: datetime | None
    metrics: list[MetricOut]


class StationFiguresOut(FiguresOut):
    code: str
    name: str
    goals: list[GoalOut]


class StationLineOut(Schema):
    code: str
    name: str
    kind: str
    value: Decimal | None = Field(..., description="排序指标的数值")

    @staticmethod
    def resolve_value(obj: Any) -> Decimal | None:
        return getattr(obj, "sort_value", None)


def _year(query: PeriodQuery) -> int:
    return query.year or timezone.localdate().year


def _metrics(values: figures.StationValues) -> list[dict[str, Any]]:
    return [
        {
            "key": m.key,
            "label": m.label,
            "unit": str(m.unit),
            "value": values.get(m.key),
            "text": metrics.shown(m, values.get(m.key)),
        }
        for m in metrics.METRICS
    ]


@router.get(
    "/platform",
    response=with_errors({200: FiguresOut}, 401, 403, 422),
    url_name="dashboards_platform",
    summary="全平台统计数据",
    description="总站（平台管理员、总站站点管理员）可查看。",
)
def dashboards_platform(request: HttpRequest, query: Query[PeriodQuery]) -> dict[str, Any]:
    if not request.user.has_perm("dashboards.view_platform"):
        raise PermissionDenied("只有总站可以查看全平台数据")
    year = _year(query)
    values, computed_at = figures.fresh_platform_values(year)
    return {"year": year, "computed_at": local(computed_at), "metrics": _metrics(values)}


@router.get(
    "/stations",
    response=with_errors({200: list[StationLineOut]}, 401, 422),
    url_name="dashboards_stations",
    summary="各站点排名",
    description="调用者可查看的站点（总站：全部），按所选指标由好到差排列。",
)
@paginated
def dashboards_stations(request: HttpRequest, query: Query[RankQuery]) -> QuerySet[Station]:
    if query.metric not in metrics.BY_KEY:
        raise ApiError(422, "invalid", "没有这项指标")
    year = _year(query)
    figures.fresh_platform_values(year)
    return selectors.sorted_stations(selectors.cockpit_stations(request.user), year=year, key=query.metric)


@router.get(
    "/stations/{code}",
    response=with_errors({200: StationFiguresOut}, 401, 404, 422),
    url_name="dashboards_station",
    summary="站点统计数据与达标目标",
)
def dashboards_station(request: HttpRequest, code: str, query: Query[PeriodQuery]) -> dict[str, Any]:
    station = selectors.access_cockpit_station(user=request.user, code=code)
    year = _year(query)
    _, computed_at = figures.fresh_platform_values(year)
    values = figures.station_values(year, [station.pk])[station.pk]
    goals = selectors.goal_lines(values, selectors.goals_of(year=year, station_ids=[station.pk])[station.pk])
    return {
        "year": year,
        "computed_at": local(computed_at),
        "code": station.code,
        "name": station.name,
        "metrics": _metrics(values),
        "goals": [
            {"key": g.metric.key, "label": g.metric.label, "target": g.target, "progress": g.progress}
            for g in goals
        ],
    }
