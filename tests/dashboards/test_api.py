"""The cockpit's API answers the same numbers as its pages, and the same 404 for a station one may not read."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from dangjian.dashboards import figures
from tests.dashboards.builders import hand_world, this_year

pytestmark = pytest.mark.django_db


def test_platform_station_and_ranking(client: Any) -> None:
    world = hand_world()
    figures.refresh(this_year())
    client.force_login(world.hq_admin)
    platform = client.get("/api/v1/dashboards/platform").json()
    by_key = {m["key"]: m for m in platform["metrics"]}
    assert (
        Decimal(by_key["coverage_rate"]["value"]) == Decimal("0.5")
        and by_key["coverage_rate"]["text"] == "50.0%"
    )
    ranked = client.get("/api/v1/dashboards/stations?metric=coverage_rate").json()["items"]
    assert [s["code"] for s in ranked][:2] == ["fengcheng", "wanda"]
    assert client.get("/api/v1/dashboards/stations?metric=nothing").json()["code"] == "invalid"
    client.force_login(world.admin_a)
    station = client.get(f"/api/v1/dashboards/stations/{world.a.code}").json()
    assert {m["key"]: m["text"] for m in station["metrics"]}["dues_due"] == "91.36 元"
    assert client.get(f"/api/v1/dashboards/stations/{world.b.code}").status_code == 404
    refused = client.get("/api/v1/dashboards/platform")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
