"""The platform home stays the same size whatever the number of branches; the directory pages them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangjian.stations.models import Station


@pytest.mark.django_db
def test_home_shows_a_fixed_number_of_branches_and_links_the_directory(world, client) -> None:
    Station.objects.bulk_create(
        [
            Station(
                kind="branch", code=f"extra-{n}", name=f"海陵区第{n}楼宇分站", address="泰州市", sort_order=n
            )
            for n in range(40)
        ]
    )
    body = client.get(reverse("portal:home")).content.decode()
    assert body.count('class="station-card') == 1 + 8
    assert "全部 43 个站点" in body
    directory = client.get(reverse("portal:stations"), {"q": "第39"}).content.decode()
    assert "海陵区第39楼宇分站" in directory and "海陵区第38楼宇分站" not in directory
    second = client.get(reverse("portal:stations"), {"page": 2}).content.decode()
    assert second.count('class="station-card') == 43 - 24
