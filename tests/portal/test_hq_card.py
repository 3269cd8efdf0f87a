"""The HQ station serves the whole district: its card shows the district's buildings and units (it said
"0 栋楼宇 0 家单位"), or its own when it has buildings; branch cards show their own."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests import factories as f


def _card(body: str, name: str) -> str:
    cards = [chunk.split("</a>", 1)[0] for chunk in body.split('class="station-card')[1:]]
    (card,) = [c for c in cards if f">{name}</h3>" in c]
    return re.sub(r"\s+", " ", card)


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["portal:home", "portal:stations"])
def test_hq_card_shows_the_district_totals(world, client, page) -> None:
    f.ResidentUnitFactory(
        building=world.building_a, name="第三家单位", is_active=False
    )  # inactive: not counted
    body = client.get(reverse(page)).content.decode()
    hq = _card(body, world.hq.name)
    assert "全区" in hq
    assert "<strong>2</strong> 栋楼宇" in hq and "<strong>2</strong> 家单位" in hq
    branch = _card(body, world.a.name)
    assert "<strong>1</strong> 栋楼宇" in branch and "<strong>1</strong> 家单位" in branch
    assert "全区" not in branch


@pytest.mark.django_db
def test_hq_with_buildings_of_its_own_shows_them(world, client) -> None:
    f.BuildingFactory(station=world.hq, name="区行政中心")
    hq = _card(client.get(reverse("portal:home")).content.decode(), world.hq.name)
    assert "全区" not in hq
    assert "<strong>1</strong> 栋楼宇" in hq and "<strong>0</strong> 家单位" in hq


@pytest.mark.django_db
def test_hero_counts_every_branch_not_only_the_ones_shown(world, client) -> None:
    for n in range(10):
        f.StationFactory(code=f"extra{n}", name=f"第{n}分站")
    body = client.get(reverse("portal:home")).content.decode()
    assert "一个总站、12 个分站" in body
