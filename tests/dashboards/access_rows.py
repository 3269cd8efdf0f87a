"""Access-matrix rows of the HQ cockpit (数据驾驶舱). HQ reads the platform, sets goals and keeps the big
screens; branch A's admin reads A's cockpit (the platform page sends them there); anyone else gets 404 on
A's pages. The big screen is public by its access code."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.access import ADMIN_LIST_POST, HQ_ONLY_PAGE, NOT_ALLOWED, PUBLIC, Row, everyone, statuses

GET_ONLY = ADMIN_LIST_POST
STATION_PAGE = statuses(302, 404, 404, 404, 200, 200)
HQ_OBJECT = statuses(302, 404, 404, 404, 404, 200)
HQ_OBJECT_POSTED = statuses(302, 404, 404, 404, 404, 302)
HQ_POSTED = statuses(302, 403, 403, 403, 403, 302)


def prepare(world: Any) -> None:
    from dangjian.dashboards.models import Screen

    world.screen_a = Screen.objects.create(
        name="万达分站大厅大屏", code="wanda-hall", width=1920, height=1080, station=world.a
    )
    world.screen_gone = Screen.objects.create(name="待拆除的旧屏", code="old-hall", width=1920, height=1080)


def goal_body(world: Any) -> dict[str, Any]:
    return {"year": str(date.today().year), "station": world.a.pk, "coverage_rate": "90"}


def screen_edit_body(world: Any) -> dict[str, Any]:
    return {
        "name": "万达分站大厅大屏",
        "code": "wanda-hall",
        "resolution": "",
        "width": "5760",
        "height": "1080",
        "station": world.a.pk,
    }


def screen_body(world: Any) -> dict[str, Any]:
    return {"name": "总站党群服务中心大屏", "code": "hq-hall-4k", "resolution": "3840x2160", "station": ""}


ROWS: dict[str, Row] = {
    "dashboards:cockpit": Row(get=statuses(302, 403, 403, 302, 302, 200), post=GET_ONLY),
    "dashboards:refresh": Row(get=GET_ONLY, post=HQ_POSTED),
    "dashboards:conformance": Row(get=HQ_ONLY_PAGE, post=GET_ONLY),
    "dashboards:annual": Row(get=HQ_ONLY_PAGE, post=GET_ONLY),
    "dashboards:station_annual": Row(get=STATION_PAGE, post=GET_ONLY, kwargs=lambda w: {"code": w.a.code}),
    "dashboards:station": Row(get=STATION_PAGE, post=GET_ONLY, kwargs=lambda w: {"code": w.a.code}),
    "dashboards:station_conformance": Row(
        get=STATION_PAGE, post=GET_ONLY, kwargs=lambda w: {"code": w.a.code}
    ),
    "dashboards:organization": Row(get=STATION_PAGE, post=GET_ONLY, kwargs=lambda w: {"pk": w.org_a.pk}),
    "dashboards:goals": Row(
        get=HQ_ONLY_PAGE,
        post=HQ_POSTED,
        post_data=goal_body,
    ),
    "dashboards:screens": Row(get=HQ_ONLY_PAGE, post=GET_ONLY),
    "dashboards:screen_create": Row(get=HQ_ONLY_PAGE, post=HQ_POSTED, post_data=screen_body),
    "dashboards:screen_edit": Row(
        get=HQ_OBJECT,
        post=HQ_OBJECT_POSTED,
        kwargs=lambda w: {"pk": w.screen_a.pk},
        post_data=lambda w: {
            "name": "万达分站大厅大屏",
            "code": "wanda-hall",
            "resolution": "",
            "width": "5760",
            "height": "1080",
            "station": w.a.pk,
        },
    ),
    "dashboards:screen_delete": Row(
        get=GET_ONLY, post=HQ_OBJECT_POSTED, kwargs=lambda w: {"pk": w.screen_gone.pk}
    ),
    "api:dashboards_platform": Row(get=statuses(401, 403, 403, 403, 403, 200), post=everyone(405)),
    "api:dashboards_stations": Row(get=statuses(401, 200, 200, 200, 200, 200), post=everyone(405)),
    "api:dashboards_station": Row(
        get=statuses(401, 404, 404, 404, 200, 200), post=everyone(405), kwargs=lambda w: {"code": w.a.code}
    ),
    "dashboards:big_screen": Row(get=PUBLIC, post=NOT_ALLOWED, kwargs=lambda w: {"code": w.screen_a.code}),
    "dashboards:big_screen_data": Row(
        get=PUBLIC, post=NOT_ALLOWED, kwargs=lambda w: {"code": w.screen_a.code}
    ),
}
